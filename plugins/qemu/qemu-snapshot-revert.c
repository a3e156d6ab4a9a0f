/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-snapshot-revert.c: reverting a domain to one of its snapshots.
 *
 * Owns the revert slot and the recovery of its "snapshot-revert" intent.
 * An internal snapshot is loaded by QEMU's snapshot-load job (a shut-off
 * domain is started for it first), with the guest paused from before the
 * load until the state the snapshot recorded, or the flags ask for, is
 * set. An external (disk-only) snapshot is reverted to by stopping the
 * domain and giving each of its disks a NEW overlay over the image the
 * snapshot left behind (the backing file of the snapshot's own overlay):
 * the chain branches, so every other snapshot stays as it is; the
 * definition then names the new overlays. The image a disk ran on until
 * then is removed only when an earlier revert made it and no chain
 * reaches it (what the guest wrote since is what a revert discards).
 * Either way the reverted-to snapshot becomes current.
 *
 * The intent is written before QEMU is asked for anything or a file is
 * created, and names every overlay it will create; a revert killed at any
 * step is finished (the definition names the new overlays; the load
 * concluded) or undone (overlays nothing reaches are removed) by the next
 * operation on the domain. It never removes a file other than the
 * overlays its own intent names and those an earlier revert made (listed
 * in .reverts), and those only when no chain reaches them.
 */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "qemu-json.h"
#include "qemu-monitor.h"
#include "qemu-snapshot.h"

#define REVERT_START_FLAGS (VP_SNAPSHOT_REVERT_RUNNING | VP_SNAPSHOT_REVERT_PAUSED)

static bool
has_memory(const vp_snapshot_def *snap)
{
    return snap->memory == VP_SNAPSHOT_LOCATION_INTERNAL &&
           (snap->state == VP_DOMAIN_RUNNING || snap->state == VP_DOMAIN_PAUSED);
}

/* What the domain is afterwards (libvirt's rules): "running", "paused" or
 * "shutoff". */
static const char *
revert_target(const vp_snapshot_def *snap, unsigned int flags)
{
    if (flags & VP_SNAPSHOT_REVERT_RUNNING)
        return "running";
    if (flags & VP_SNAPSHOT_REVERT_PAUSED)
        return "paused";
    if (has_memory(snap))
        return snap->state == VP_DOMAIN_PAUSED ? "paused" : "running";
    return "shutoff";
}

/* The guest runs or stays paused as @target says; the record says why. */
static int
set_run_state(const qemu_driver *drv, const char *domain, qemu_record *rec, qemu_monitor *mon,
              const char *target)
{
    bool run = strcmp(target, "running") == 0;
    int r = qemu_monitor_command(mon, run ? "cont" : "stop", NULL, QEMU_MONITOR_TIMEOUT_MS, NULL);
    if (r < 0)
        return r;
    rec->state = run ? VP_DOMAIN_RUNNING : VP_DOMAIN_PAUSED;
    rec->reason = run ? VP_DOMAIN_RUNNING_FROM_SNAPSHOT : VP_DOMAIN_PAUSED_FROM_SNAPSHOT;
    return qemu_domain_write_record(drv, domain, rec);
}

/* Start the shut-off domain for a revert; *@rec becomes the new record. */
static int
start_domain(const qemu_driver *drv, const char *domain, qemu_record **rec)
{
    vp_domain_def *def = NULL;
    int r = qemu_domain_load_def(drv, domain, &def);
    qemu_record *started = NULL;
    if (r >= 0)
        r = qemu_process_start(drv, def, &started);
    vp_plugin_domain_def_free(def);
    if (r < 0)
        return r;
    qemu_record_free(*rec);
    *rec = started;
    return 0;
}

static int
intent_set(const qemu_driver *drv, const char *domain, json_object *intent, const char *key,
           const char *value)
{
    json_object_object_add(intent, key, json_object_new_string(value));
    return qemu_snapshot_intent_write(drv, domain, json_object_get(intent));
}

/* ---- internal: snapshot-load ---------------------------------------------- */

static int
not_held(const char *domain, const char *snap, const char *dev)
{
    return vp_plugin_error_set(
        VP_ERR_NOT_SUPPORTED,
        "not supported yet: reverting domain '%s' to internal snapshot '%s': the image disk '%s' runs on now does not hold it (an external snapshot was taken after it); revert to that external snapshot's parent or delete the external snapshots first",
        domain, snap, dev);
}

/* The nodes that hold @snap, each checked to hold it still. */
static int
internal_devices(const char *domain, const vp_snapshot_def *snap, json_object *blocks,
                 json_object **ret_devices)
{
    json_object *devices = json_object_new_array();
    int r = 0;
    for (size_t i = 0; r >= 0 && i < snap->n_disks; i++) {
        const vp_snapshot_disk_def *d = &snap->disks[i];
        bool has = false;
        if (d->location != VP_SNAPSHOT_LOCATION_INTERNAL)
            continue;
        r = qemu_snapshot_tag_exists(blocks, d->name, NULL, snap->name, &has);
        if (r >= 0 && !has)
            r = not_held(domain, snap->name, d->name);
        _cleanup_free_ char *node = qemu_snapshot_top_node(blocks, d->name);
        if (r >= 0)
            json_object_array_add(devices, json_object_new_string(node));
    }
    if (r >= 0 && json_object_array_length(devices) == 0)
        r = vp_plugin_error_set(VP_ERR_OPERATION_INVALID,
                                "snapshot '%s' of domain '%s' holds no disk to revert", snap->name,
                                domain);
    if (r < 0) {
        json_object_put(devices);
        return r;
    }
    *ret_devices = devices;
    return 0;
}

static char *
load_job_id(const char *tag)
{
    return vp_asprintf("vp-revert-%s", tag);
}

/* Start the load of @snap with the guest paused; the job's outcome is
 * read by load_finish. */
static int
load_start(const char *domain, qemu_monitor *mon, const vp_snapshot_def *snap)
{
    int r = qemu_monitor_command(mon, "stop", NULL, QEMU_MONITOR_TIMEOUT_MS, NULL);
    if (r < 0)
        return r;
    qemu_step("snapshot-revert: guest paused");
    json_object *blocks = NULL, *devices = NULL;
    r = qemu_monitor_command(mon, "query-block", NULL, QEMU_MONITOR_TIMEOUT_MS, &blocks);
    if (r >= 0)
        r = internal_devices(domain, snap, blocks, &devices);
    json_object_put(blocks);
    if (r < 0)
        return r;
    _cleanup_free_ char *job_id = load_job_id(snap->name);
    json_object *args = json_object_new_object();
    json_object_object_add(args, "job-id", json_object_new_string(job_id));
    json_object_object_add(args, "tag", json_object_new_string(snap->name));
    /* The first disk holds the VM state, as snapshot-save put it there. */
    json_object_object_add(args, "vmstate", json_object_get(json_object_array_get_idx(devices, 0)));
    json_object_object_add(args, "devices", devices);
    r = qemu_monitor_command(mon, "snapshot-load", args, QEMU_MONITOR_TIMEOUT_MS, NULL);
    json_object_put(args);
    if (r >= 0)
        qemu_step("snapshot-revert: load started");
    return r;
}

/* Wait for the load job: 1 loaded, 0 when QEMU has no such job (it never
 * began), or an error (QEMU's, when the load failed). The intent says
 * "loaded" before the job is dismissed, so a kill in between is known. */
static int
load_finish(const qemu_driver *drv, const char *domain, qemu_monitor *mon, json_object *intent,
            const char *tag)
{
    _cleanup_free_ char *job_id = load_job_id(tag);
    _cleanup_free_ char *what = vp_asprintf("loading snapshot '%s'", tag);
    _cleanup_free_ char *error = NULL;
    int ok = -1;
    int r = qemu_snapshot_job_result(mon, job_id, what, &ok, &error);
    if (r < 0 || ok < 0)
        return r < 0 ? r : 0;
    if (ok == 1) {
        r = intent_set(drv, domain, intent, "phase", "loaded");
        if (r < 0)
            return r;
        qemu_step("snapshot-revert: loaded");
    } else {
        /* What the guest is now is not known: it stays paused, for the
         * user to decide, and nothing is current. */
        r = intent_set(drv, domain, intent, "phase", "failed");
        if (r < 0)
            return r;
    }
    qemu_snapshot_job_dismiss(mon, job_id);
    if (ok == 0)
        return vp_plugin_error_set(
            VP_ERR_OPERATION_INVALID,
            "QEMU could not load snapshot '%s' of domain '%s': %s; the domain is left paused", tag,
            domain, error ? error : "no message");
    return 1;
}

static int
revert_internal(qemu_driver *drv, const char *domain, qemu_record **rec,
                const vp_snapshot_def *snap, const char *target)
{
    json_object *intent = json_object_new_object();
    json_object_object_add(intent, "op", json_object_new_string("snapshot-revert"));
    json_object_object_add(intent, "snapshot", json_object_new_string(snap->name));
    json_object_object_add(intent, "internal", json_object_new_boolean(true));
    json_object_object_add(intent, "target", json_object_new_string(target));
    json_object_object_add(intent, "started", json_object_new_boolean(!(*rec)->active));
    json_object_object_add(
        intent, "resume",
        json_object_new_boolean((*rec)->active && (*rec)->state == VP_DOMAIN_RUNNING));
    json_object_object_add(intent, "phase", json_object_new_string("begun"));
    int r = qemu_snapshot_intent_write(drv, domain, json_object_get(intent));
    if (r >= 0) {
        qemu_step("snapshot-revert: intent written");
        if (!(*rec)->active) {
            r = start_domain(drv, domain, rec);
            if (r >= 0)
                qemu_step("snapshot-revert: QEMU started");
        }
    }
    qemu_monitor *mon = NULL;
    if (r >= 0)
        r = qemu_monitor_open((*rec)->qmp_path, QEMU_MONITOR_TIMEOUT_MS, &mon);
    if (r >= 0)
        r = load_start(domain, mon, snap);
    if (r >= 0)
        r = load_finish(drv, domain, mon, intent, snap->name);
    if (r == 0)
        r = vp_plugin_error_set(VP_ERR_INTERNAL,
                                "QEMU of domain '%s' has no job loading snapshot '%s'", domain,
                                snap->name);
    if (r >= 0)
        r = set_run_state(drv, domain, *rec, mon, target);
    if (r >= 0) {
        qemu_step("snapshot-revert: state set");
        r = qemu_snapshot_current_set(drv, domain, snap->name);
    }
    qemu_monitor_close(mon);
    json_object_put(intent);
    return r;
}

/* Undo a load that never began: stop a QEMU started for it, run again a
 * guest paused for it. */
static int
load_undo(const qemu_driver *drv, const char *domain, qemu_record *rec, qemu_monitor *mon,
          json_object *intent)
{
    json_object *started, *resume;
    if (json_object_object_get_ex(intent, "started", &started) &&
        json_object_get_boolean(started)) {
        int r = qemu_process_kill(drv, domain, rec);
        return r < 0 ? r : qemu_domain_mark_stopped(drv, domain, rec, VP_DOMAIN_SHUTOFF_DESTROYED);
    }
    if (json_object_object_get_ex(intent, "resume", &resume) && json_object_get_boolean(resume))
        return qemu_monitor_command(mon, "cont", NULL, QEMU_MONITOR_TIMEOUT_MS, NULL);
    return 0;
}

static int
recover_internal(qemu_driver *drv, const char *domain, qemu_record *rec, json_object *intent,
                 const vp_snapshot_def *snap)
{
    const char *phase = qemu_json_str(intent, "phase"), *target = qemu_json_str(intent, "target");
    bool loaded = phase && strcmp(phase, "loaded") == 0;
    if (!rec->active && phase && strcmp(phase, "failed") == 0)
        return 0;
    if (!rec->active) {
        /* QEMU is gone, and the memory state with it; the disks are set
         * to the snapshot (the load may have begun) and it is current. */
        VP_PLUGIN_DEBUG(QEMU_AREA, "domain '%s': revert to '%s' lost its QEMU; %s", domain,
                        snap->name, loaded ? "the disks were loaded" : "loading the disks");
        vp_domain_def *dom = NULL;
        int r = loaded ? 0 : qemu_domain_load_def(drv, domain, &dom);
        if (r >= 0 && dom)
            r = qemu_snapshot_internal_offline(dom, snap, "-a");
        vp_plugin_domain_def_free(dom);
        return r < 0 ? r : qemu_snapshot_current_set(drv, domain, snap->name);
    }
    qemu_monitor *mon = NULL;
    int r = qemu_monitor_open(rec->qmp_path, QEMU_MONITOR_TIMEOUT_MS, &mon);
    if (phase && strcmp(phase, "failed") == 0) {
        qemu_monitor_close(mon);
        return 0; /* the caller said why; the guest stays paused */
    }
    if (r >= 0 && !loaded) {
        r = load_finish(drv, domain, mon, intent, snap->name);
        if (r == VP_ERR_OPERATION_INVALID) {
            VP_PLUGIN_DEBUG(QEMU_AREA, "domain '%s': %s", domain, vp_error_last()->message);
            qemu_monitor_close(mon);
            return 0;
        }
        if (r == 0) {
            VP_PLUGIN_DEBUG(QEMU_AREA, "domain '%s': revert to '%s' never began: undoing it",
                            domain, snap->name);
            r = load_undo(drv, domain, rec, mon, intent);
            qemu_monitor_close(mon);
            return r;
        }
    }
    if (r >= 0)
        r = set_run_state(drv, domain, rec, mon, target ? target : "paused");
    qemu_monitor_close(mon);
    return r < 0 ? r : qemu_snapshot_current_set(drv, domain, snap->name);
}

/* ---- external: new overlays --------------------------------------------------- */

/* A path for a new overlay beside @overlay that no file has yet. */
static char *
pick_overlay(const char *overlay)
{
    for (unsigned int n = 1;; n++) {
        char *path = vp_asprintf("%s.r%u", overlay, n);
        struct stat st;
        if (lstat(path, &st) < 0 && errno == ENOENT)
            return path;
        free(path);
    }
}

/* Each external disk of @snap: its dev, the image the snapshot left (the
 * backing file of its overlay) and a new overlay to create over it. */
static int
plan_external(const qemu_driver *drv, const char *domain, const vp_snapshot_def *snap,
              json_object *disks)
{
    vp_domain_def *dom = NULL;
    int r = qemu_domain_load_def(drv, domain, &dom);
    for (size_t i = 0; r >= 0 && i < snap->n_disks; i++) {
        const vp_snapshot_disk_def *sd = &snap->disks[i];
        bool found = false;
        if (sd->location != VP_SNAPSHOT_LOCATION_EXTERNAL || !sd->source_file)
            continue;
        for (size_t j = 0; j < dom->n_disks && !found; j++)
            found = strcmp(dom->disks[j].target_dev, sd->name) == 0;
        struct stat st;
        if (!found)
            r = vp_plugin_error_set(
                VP_ERR_OPERATION_INVALID,
                "cannot revert to snapshot '%s': domain '%s' has no disk '%s' any more", snap->name,
                domain, sd->name);
        else if (stat(sd->source_file, &st) < 0)
            r = vp_plugin_error_set_errno(
                VP_ERR_OPERATION_INVALID, errno,
                "cannot revert to snapshot '%s': its overlay '%s' of disk '%s' is gone, and with it the name of the image the snapshot left",
                snap->name, sd->source_file, sd->name);
        _cleanup_free_ char *base = NULL, *format = NULL;
        if (r >= 0)
            r = qemu_snapshot_image_backing(sd->source_file, &base, &format);
        if (r < 0)
            break;
        _cleanup_free_ char *overlay = pick_overlay(sd->source_file);
        const char *old = NULL;
        for (size_t j = 0; j < dom->n_disks && !old; j++)
            if (strcmp(dom->disks[j].target_dev, sd->name) == 0)
                old = dom->disks[j].source_file;
        json_object *d = json_object_new_object();
        json_object_object_add(d, "old", old ? json_object_new_string(old) : NULL);
        json_object_object_add(d, "dev", json_object_new_string(sd->name));
        json_object_object_add(d, "base", json_object_new_string(base));
        json_object_object_add(d, "base_format", json_object_new_string(format));
        json_object_object_add(d, "overlay", json_object_new_string(overlay));
        json_object_array_add(disks, d);
    }
    vp_plugin_domain_def_free(dom);
    if (r >= 0 && json_object_array_length(disks) == 0)
        r = vp_plugin_error_set(VP_ERR_OPERATION_INVALID,
                                "snapshot '%s' of domain '%s' holds no disk to revert", snap->name,
                                domain);
    return r;
}

/* Create the overlays the intent names (one already made is checked to
 * sit on its base, so a file that is not ours is never taken over). */
static int
create_overlays(json_object *disks)
{
    for (size_t i = 0; i < json_object_array_length(disks); i++) {
        json_object *d = json_object_array_get_idx(disks, i);
        const char *base = qemu_json_str(d, "base"), *fmt = qemu_json_str(d, "base_format");
        const char *overlay = qemu_json_str(d, "overlay");
        struct stat st;
        int r = 0;
        if (lstat(overlay, &st) < 0)
            r = qemu_snapshot_img_run((const char *const[]){"create", "-q", "-f", "qcow2", "-F",
                                                            fmt, "-b", base, overlay, NULL},
                                      overlay, NULL);
        else if (!S_ISREG(st.st_mode) || !qemu_snapshot_backed_by(overlay, base))
            r = vp_plugin_error_set(
                VP_ERR_OPERATION_INVALID,
                "cannot revert: '%s' exists and is not an overlay of '%s'; move it away and revert again",
                overlay, base);
        if (r < 0)
            return r;
    }
    qemu_step("snapshot-revert: overlays created");
    return 0;
}

/* 1 when the definition's disks all name the intent's overlays, 0 when
 * none does yet (the definition is written whole). */
static int
def_switched(const qemu_driver *drv, const char *domain, json_object *disks, bool switch_now)
{
    vp_domain_def *dom = NULL;
    int r = qemu_domain_load_def(drv, domain, &dom);
    bool all = true;
    for (size_t i = 0; r >= 0 && i < json_object_array_length(disks); i++) {
        json_object *d = json_object_array_get_idx(disks, i);
        for (size_t j = 0; j < dom->n_disks; j++) {
            vp_domain_disk_def *disk = &dom->disks[j];
            if (strcmp(disk->target_dev, qemu_json_str(d, "dev")) != 0)
                continue;
            all = all && qemu_snapshot_same_file(disk->source_file, qemu_json_str(d, "overlay"));
            if (switch_now) {
                free(disk->source_file);
                disk->source_file = vp_strdup(qemu_json_str(d, "overlay"));
                free(disk->driver_type);
                disk->driver_type = vp_strdup("qcow2");
            }
        }
    }
    if (r >= 0 && switch_now) {
        r = qemu_domain_save_def(drv, dom);
        if (r >= 0)
            qemu_step("snapshot-revert: definition written");
    }
    vp_plugin_domain_def_free(dom);
    return r < 0 ? r : all;
}

/* Remove the images the disks ran on before the revert, and any other an
 * earlier revert made, that nothing reaches now. */
static int
drop_left(qemu_driver *drv, const char *domain)
{
    int r = qemu_snapshot_reverts_sweep(drv, domain);
    if (r >= 0)
        qemu_step("snapshot-revert: left images removed");
    return r;
}

/* Stop a running domain for a revert, as destroy does (the record says
 * why first, so a kill in between still records it). */
int
qemu_snapshot_stop_for_revert(const qemu_driver *drv, const char *domain, qemu_record *rec)
{
    rec->stop_reason = VP_DOMAIN_SHUTOFF_FROM_SNAPSHOT;
    int r = qemu_domain_write_record(drv, domain, rec);
    if (r >= 0)
        r = qemu_process_kill(drv, domain, rec);
    if (r >= 0)
        r = qemu_domain_mark_stopped(drv, domain, rec, VP_DOMAIN_SHUTOFF_FROM_SNAPSHOT);
    if (r >= 0)
        qemu_step("snapshot-revert: QEMU stopped");
    return r;
}

/* Start the reverted domain as @target says; after the intent is gone,
 * a start being crash-safe on its own. */
static int
start_as(const qemu_driver *drv, const char *domain, qemu_record **rec, const char *target)
{
    if (strcmp(target, "shutoff") == 0)
        return 0;
    qemu_monitor *mon = NULL;
    int r = start_domain(drv, domain, rec);
    if (r >= 0)
        r = qemu_monitor_open((*rec)->qmp_path, QEMU_MONITOR_TIMEOUT_MS, &mon);
    if (r >= 0)
        r = set_run_state(drv, domain, *rec, mon, target);
    qemu_monitor_close(mon);
    return r;
}

static int
revert_external(qemu_driver *drv, const char *domain, qemu_record *rec, const vp_snapshot_def *snap,
                const char *target)
{
    json_object *intent = json_object_new_object(), *disks = json_object_new_array();
    json_object_object_add(intent, "op", json_object_new_string("snapshot-revert"));
    json_object_object_add(intent, "snapshot", json_object_new_string(snap->name));
    json_object_object_add(intent, "internal", json_object_new_boolean(false));
    json_object_object_add(intent, "target", json_object_new_string(target));
    json_object_object_add(intent, "disks", disks);
    int r = plan_external(drv, domain, snap, disks);
    if (r >= 0)
        r = qemu_snapshot_intent_write(drv, domain, json_object_get(intent));
    if (r >= 0) {
        qemu_step("snapshot-revert: intent written");
        if (rec->active)
            r = qemu_snapshot_stop_for_revert(drv, domain, rec);
    }
    if (r >= 0)
        r = create_overlays(disks);
    if (r >= 0)
        r = qemu_snapshot_reverts_add(drv, domain, disks);
    if (r >= 0)
        r = def_switched(drv, domain, disks, true);
    if (r >= 0)
        r = qemu_snapshot_current_set(drv, domain, snap->name);
    if (r >= 0) {
        qemu_step("snapshot-revert: current snapshot set");
        r = drop_left(drv, domain);
    }
    if (r >= 0)
        r = qemu_snapshot_intent_remove(drv, domain);
    json_object_put(intent);
    return r;
}

/* Finished when the definition names the new overlays; else undone: the
 * overlays it may have created go, when nothing reaches them. */
static int
recover_external(qemu_driver *drv, const char *domain, json_object *intent, const char *snap)
{
    json_object *disks;
    if (!json_object_object_get_ex(intent, "disks", &disks))
        return vp_plugin_error_set(VP_ERR_INTERNAL,
                                   "the revert intent of domain '%s' is incomplete", domain);
    int r = def_switched(drv, domain, disks, false);
    if (r < 0)
        return r;
    if (r == 1) {
        VP_PLUGIN_DEBUG(QEMU_AREA, "domain '%s': revert to '%s' was done: finishing it", domain,
                        snap);
        r = qemu_snapshot_current_set(drv, domain, snap);
        return r < 0 ? r : drop_left(drv, domain);
    }
    VP_PLUGIN_DEBUG(QEMU_AREA, "domain '%s': revert to '%s' was not done: undoing it", domain,
                    snap);
    for (size_t i = 0; i < json_object_array_length(disks); i++) {
        json_object *d = json_object_array_get_idx(disks, i);
        const char *overlay = qemu_json_str(d, "overlay"), *base = qemu_json_str(d, "base");
        struct stat st;
        if (!overlay || !base || lstat(overlay, &st) < 0 || !S_ISREG(st.st_mode) ||
            !qemu_snapshot_backed_by(overlay, base) ||
            qemu_snapshot_file_unreached(drv, domain, snap, overlay) < 0)
            continue;
        if (unlink(overlay) < 0 && errno != ENOENT)
            return vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno, "cannot remove overlay '%s'",
                                             overlay);
    }
    return 0;
}

/* ---- the slot ------------------------------------------------------------------ */

/* Before anything is written: every disk of an internal snapshot must
 * still hold it (an external snapshot taken since moved the disk on). */
static int
internal_check(const qemu_driver *drv, const char *domain, const qemu_record *rec,
               const vp_snapshot_def *snap)
{
    json_object *blocks = NULL, *devices = NULL;
    qemu_monitor *mon = NULL;
    int r = 0;
    if (rec->active) {
        r = qemu_monitor_open(rec->qmp_path, QEMU_MONITOR_TIMEOUT_MS, &mon);
        if (r >= 0)
            r = qemu_monitor_command(mon, "query-block", NULL, QEMU_MONITOR_TIMEOUT_MS, &blocks);
        if (r >= 0)
            r = internal_devices(domain, snap, blocks, &devices);
        qemu_monitor_close(mon);
        json_object_put(blocks);
        json_object_put(devices);
        return r;
    }
    vp_domain_def *dom = NULL;
    r = qemu_domain_load_def(drv, domain, &dom);
    for (size_t i = 0; r >= 0 && i < snap->n_disks; i++) {
        const vp_snapshot_disk_def *d = &snap->disks[i];
        bool has = true;
        for (size_t j = 0; d->location == VP_SNAPSHOT_LOCATION_INTERNAL && j < dom->n_disks; j++) {
            if (strcmp(dom->disks[j].target_dev, d->name) == 0 && dom->disks[j].source_file)
                r = qemu_snapshot_tag_exists(NULL, d->name, dom->disks[j].source_file, snap->name,
                                             &has);
        }
        if (r >= 0 && !has)
            r = not_held(domain, snap->name, d->name);
    }
    vp_plugin_domain_def_free(dom);
    return r;
}

int
qemu_snapshot_revert_recover(qemu_driver *drv, const char *domain, qemu_record *rec,
                             json_object *intent)
{
    const char *name = qemu_json_str(intent, "snapshot");
    json_object *internal;
    if (!name || !json_object_object_get_ex(intent, "internal", &internal))
        return vp_plugin_error_set(VP_ERR_INTERNAL,
                                   "the revert intent of domain '%s' is incomplete", domain);
    if (!json_object_get_boolean(internal))
        return recover_external(drv, domain, intent, name);
    vp_snapshot_def *snap = NULL;
    if (qemu_snapshot_record_load(drv, domain, name, &snap) < 0)
        return 0; /* deleted since: nothing to revert to */
    int r = recover_internal(drv, domain, rec, intent, snap);
    vp_plugin_snapshot_def_free(snap);
    return r;
}

int
qemu_snapshot_revert(qemu_driver *drv, const char *domain, const char *name, unsigned int flags)
{
    if (flags & ~(unsigned)(REVERT_START_FLAGS | VP_SNAPSHOT_REVERT_FORCE))
        return vp_plugin_error_set(VP_ERR_INVALID_ARG, "unsupported snapshot revert flags 0x%x",
                                   flags);
    if ((flags & REVERT_START_FLAGS) == REVERT_START_FLAGS)
        return vp_plugin_error_set(
            VP_ERR_INVALID_ARG,
            "reverting to snapshot '%s': the domain cannot end both running and paused; choose one",
            name);
    _cleanup_domain_lock_ int lock = -1;
    _cleanup_(qemu_record_freep) qemu_record *rec = NULL;
    int r = qemu_domain_begin(drv, domain, "snapshot-revert", &lock, &rec);
    if (r < 0)
        return r;
    vp_snapshot_def *snap = NULL;
    r = qemu_snapshot_record_load(drv, domain, name, &snap);
    if (r < 0)
        return r;
    const char *target = revert_target(snap, flags);
    if (rec->active && !has_memory(snap) && (flags & REVERT_START_FLAGS) &&
        !(flags & VP_SNAPSHOT_REVERT_FORCE))
        r = vp_plugin_error_set(
            VP_ERR_OPERATION_INVALID,
            "reverting domain '%s' to snapshot '%s' must restart the guest: the snapshot holds no memory state; use force to allow it",
            domain, name);
    else if (snap->memory == VP_SNAPSHOT_LOCATION_INTERNAL && !has_memory(snap))
        r = vp_plugin_error_set(
            VP_ERR_NOT_SUPPORTED,
            "not supported yet: reverting domain '%s' to internal snapshot '%s', whose record says it was taken shut off (a redefined record): the qemu driver reverts internal snapshots with their memory state",
            domain, name);
    else if (snap->memory == VP_SNAPSHOT_LOCATION_INTERNAL &&
             (r = qemu_snapshot_unstack(drv, domain, rec, snap)) >= 0 &&
             (r = internal_check(drv, domain, rec, snap)) >= 0)
        r = revert_internal(drv, domain, &rec, snap, target);
    else if (snap->memory != VP_SNAPSHOT_LOCATION_INTERNAL)
        r = revert_external(drv, domain, rec, snap, target);
    if (r >= 0 && snap->memory == VP_SNAPSHOT_LOCATION_INTERNAL)
        r = qemu_snapshot_intent_remove(drv, domain);
    /* The image the disk ran on, when an earlier revert made it. */
    if (r >= 0 && snap->memory == VP_SNAPSHOT_LOCATION_INTERNAL)
        r = qemu_snapshot_reverts_sweep(drv, domain);
    else if (r >= 0)
        r = start_as(drv, domain, &rec, target);
    else
        qemu_snapshot_settle_failed(drv, domain, rec);
    vp_plugin_snapshot_def_free(snap);
    return r < 0 ? r : 0;
}
