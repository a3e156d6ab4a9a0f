/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-snapshot-intent.c: the intents of snapshot operations, and crash
 * recovery from them.
 *
 * Owns CONFIG/DOMAIN.intent: before a snapshot operation asks QEMU for
 * anything or removes a file, it writes here (atomically) what it is about
 * to do; it removes the intent once the records and the definition say
 * what was done. An operation killed in between (SIGKILL, Ctrl-C, power
 * loss) leaves the intent, and the next operation on the domain, holding
 * its lock, settles it before anything else: what QEMU uses decides (for
 * a running domain, query-block and query-jobs; for a shut off one, the
 * files), so the definition and the records always name the images QEMU
 * writes. It never removes a file the intent does not name, and never one
 * that a backing chain still reaches.
 */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "qemu-agent.h"
#include "qemu-json.h"
#include "qemu-monitor.h"
#include "qemu-snapshot.h"

#define INTENT_MAX_BYTES (1024 * 1024)
/* How long recovery waits for a snapshot-save job a killed caller started. */
#define RECOVER_JOB_TIMEOUT_MS (10 * 60 * 1000)

static char *
intent_path(const qemu_driver *drv, const char *domain)
{
    return vp_asprintf("%s/%s.intent", drv->config_dir, domain);
}

int
qemu_snapshot_intent_write(const qemu_driver *drv, const char *domain, json_object *o)
{
    const char *text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY);
    _cleanup_free_ char *path = intent_path(drv, domain);
    int r = vp_plugin_file_write_atomic(path, text, strlen(text), 0600);
    json_object_put(o);
    return r;
}

int
qemu_snapshot_intent_create(const qemu_driver *drv, const char *domain,
                            const vp_snapshot_def *record)
{
    _cleanup_free_ char *xml = NULL;
    int r = vp_plugin_snapshot_def_format(record, 0, &xml);
    if (r < 0)
        return r;
    json_object *o = json_object_new_object();
    json_object_object_add(o, "op", json_object_new_string("snapshot-create"));
    json_object_object_add(o, "record", json_object_new_string(xml));
    return qemu_snapshot_intent_write(drv, domain, o);
}

void
qemu_snapshot_intent_note_parent(json_object *intent, const char *parent)
{
    json_object_object_add(intent, "parent", parent ? json_object_new_string(parent) : NULL);
}

int
qemu_snapshot_intent_delete(const qemu_driver *drv, const char *domain, const char *snapshot,
                            const char *parent, bool internal, const char *const *files,
                            size_t n_files)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "op", json_object_new_string("snapshot-delete"));
    qemu_snapshot_intent_note_parent(o, parent);
    json_object_object_add(o, "internal", json_object_new_boolean(internal));
    json_object_object_add(o, "snapshot", json_object_new_string(snapshot));
    json_object *a = json_object_new_array();
    for (size_t i = 0; i < n_files; i++)
        json_object_array_add(a, json_object_new_string(files[i]));
    json_object_object_add(o, "files", a);
    return qemu_snapshot_intent_write(drv, domain, o);
}

/* ---- the snapshot tree ------------------------------------------------- */

/* Snapshot @name is gone: its children get @parent, then the current
 * snapshot moves to @parent if it was @name. Each record and .current is
 * written atomically, and a step already done changes nothing the second
 * time. */
static int
tree_forget(const qemu_driver *drv, const char *domain, const char *name, const char *parent)
{
    qemu_snap_entry *e = NULL;
    int n = qemu_snapshot_records_list(drv, domain, &e);
    int r = 0;
    for (int i = 0; i < n; i++) {
        vp_snapshot_def *def = NULL;
        if (r >= 0 && qemu_snapshot_record_load(drv, domain, e[i].name, &def) >= 0 && def->parent &&
            strcmp(def->parent, name) == 0) {
            free(def->parent);
            def->parent = parent ? vp_strdup(parent) : NULL;
            r = qemu_snapshot_record_write(drv, domain, def);
        }
        vp_plugin_snapshot_def_free(def);
        free(e[i].name);
    }
    free(e);
    if (r < 0)
        return r;
    qemu_step("snapshot tree: children re-parented");
    _cleanup_free_ char *current = NULL;
    r = qemu_snapshot_current_read(drv, domain, &current);
    if (r >= 0 && current && strcmp(current, name) == 0)
        r = qemu_snapshot_current_set(drv, domain, parent);
    return r;
}

static int
tree_settle(const qemu_driver *drv, const char *domain, json_object *intent)
{
    json_object *op, *name = NULL, *parent = NULL;
    if (!json_object_object_get_ex(intent, "op", &op))
        return 0;
    const char *what = json_object_get_string(op);
    if (strcmp(what, "snapshot-create") == 0) {
        json_object *xml;
        vp_snapshot_def *snap = NULL;
        if (!json_object_object_get_ex(intent, "record", &xml) ||
            vp_plugin_snapshot_def_parse(json_object_get_string(xml),
                                         VP_PLUGIN_SNAPSHOT_PARSE_RECORD, &snap) < 0)
            return 0; /* recovery has said what is wrong with it */
        _cleanup_free_ char *path = qemu_snapshot_record_path(drv, domain, snap->name);
        int r = access(path, F_OK) == 0 ? qemu_snapshot_current_set(drv, domain, snap->name) : 0;
        vp_plugin_snapshot_def_free(snap);
        return r;
    }
    /* A delete or a merge: only one that began after the tree was kept
     * (it notes the parent) and whose record is gone. */
    if (!json_object_object_get_ex(intent, "snapshot", &name) ||
        !json_object_object_get_ex(intent, "parent", &parent))
        return 0;
    _cleanup_free_ char *path =
        qemu_snapshot_record_path(drv, domain, json_object_get_string(name));
    if (access(path, F_OK) == 0)
        return 0;
    return tree_forget(drv, domain, json_object_get_string(name),
                       parent ? json_object_get_string(parent) : NULL);
}

int
qemu_snapshot_intent_remove(const qemu_driver *drv, const char *domain)
{
    _cleanup_free_ char *path = intent_path(drv, domain);
    if (access(path, F_OK) == 0) {
        _cleanup_free_ char *text = NULL;
        int r = vp_plugin_file_read(path, INTENT_MAX_BYTES, &text, NULL);
        json_object *intent = r >= 0 ? json_tokener_parse(text) : NULL;
        if (intent)
            r = tree_settle(drv, domain, intent);
        json_object_put(intent);
        if (r < 0)
            return r;
    }
    if (unlink(path) < 0 && errno != ENOENT)
        return vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno, "cannot remove '%s'", path);
    return 0;
}

/* ---- recovery: snapshot-create ----------------------------------------- */

/* The file at the top of disk @dev in query-block. (transfer none) */
static const char *
block_file(json_object *blocks, const char *dev)
{
    json_object *b = qemu_snapshot_block_of(blocks, dev), *ins, *file;
    if (b && json_object_object_get_ex(b, "inserted", &ins) &&
        json_object_object_get_ex(ins, "file", &file))
        return json_object_get_string(file);
    return NULL;
}

/* Which overlays QEMU writes: for a running domain what query-block says;
 * for a shut off one every overlay that exists (it holds whatever QEMU
 * wrote after switching, and reads through to its base otherwise, so
 * using it never loses a write). */
static void
external_in_use(json_object *blocks, const vp_snapshot_def *snap, bool *in_use)
{
    for (size_t i = 0; i < snap->n_disks; i++) {
        const vp_snapshot_disk_def *d = &snap->disks[i];
        if (d->location != VP_SNAPSHOT_LOCATION_EXTERNAL || !d->source_file)
            continue;
        struct stat st;
        const char *top = blocks ? block_file(blocks, d->name) : NULL;
        in_use[i] = blocks ? top && strcmp(top, d->source_file) == 0
                           : lstat(d->source_file, &st) == 0 && S_ISREG(st.st_mode);
    }
}

/* Point the definition's disks at the overlays QEMU took. */
static int
def_adopt(const qemu_driver *drv, const char *domain, const vp_snapshot_def *snap,
          const bool *in_use)
{
    vp_domain_def *dom = NULL;
    int r = qemu_domain_load_def(drv, domain, &dom);
    if (r < 0)
        return r;
    for (size_t i = 0; i < snap->n_disks; i++) {
        for (size_t j = 0; in_use[i] && j < dom->n_disks; j++) {
            vp_domain_disk_def *d = &dom->disks[j];
            if (strcmp(d->target_dev, snap->disks[i].name) != 0)
                continue;
            free(d->source_file);
            d->source_file = vp_strdup(snap->disks[i].source_file);
            free(d->driver_type);
            d->driver_type =
                vp_strdup(snap->disks[i].driver_type ? snap->disks[i].driver_type : "qcow2");
        }
    }
    r = qemu_domain_save_def(drv, dom);
    vp_plugin_domain_def_free(dom);
    return r;
}

int
qemu_snapshot_job_result(qemu_monitor *mon, const char *job_id, const char *what, int *ret_ok,
                         char **ret_error)
{
    int64_t deadline = qemu_json_now_ms() + RECOVER_JOB_TIMEOUT_MS;
    for (;;) {
        json_object *jobs = NULL;
        int r = qemu_monitor_command(mon, "query-jobs", NULL, QEMU_MONITOR_TIMEOUT_MS, &jobs);
        if (r < 0)
            return r;
        int found = -1;
        for (size_t i = 0; i < json_object_array_length(jobs) && found < 0; i++) {
            json_object *j = json_object_array_get_idx(jobs, i), *id, *status, *err;
            if (!json_object_object_get_ex(j, "id", &id) ||
                strcmp(json_object_get_string(id), job_id) != 0 ||
                !json_object_object_get_ex(j, "status", &status))
                continue;
            bool done = strcmp(json_object_get_string(status), "concluded") == 0;
            found = done ? !json_object_object_get_ex(j, "error", &err) : 2;
            if (found == 0 && ret_error)
                *ret_error = vp_strdup(json_object_get_string(err));
        }
        json_object_put(jobs);
        if (found != 2) {
            *ret_ok = found;
            return 0;
        }
        if (qemu_json_now_ms() >= deadline)
            return vp_plugin_error_set(VP_ERR_TIMEOUT,
                                       "%s is still running in QEMU after %d s; try again later",
                                       what, RECOVER_JOB_TIMEOUT_MS / 1000);
        qemu_monitor_wait_event(mon, "JOB_STATUS_CHANGE", 1000, NULL);
    }
}

void
qemu_snapshot_job_dismiss(qemu_monitor *mon, const char *job_id)
{
    json_object *args = json_object_new_object();
    json_object_object_add(args, "id", json_object_new_string(job_id));
    qemu_monitor_command(mon, "job-dismiss", args, QEMU_MONITOR_TIMEOUT_MS, NULL);
    json_object_put(args);
}

/* Wait for the snapshot-save job of @tag if QEMU still runs it. */
static int
internal_job_result(qemu_monitor *mon, const char *tag, int *ret_ok)
{
    _cleanup_free_ char *job_id = vp_asprintf("vp-snapshot-%s", tag);
    _cleanup_free_ char *what = vp_asprintf("saving snapshot '%s'", tag);
    int r = qemu_snapshot_job_result(mon, job_id, what, ret_ok, NULL);
    if (r >= 0 && *ret_ok >= 0)
        qemu_snapshot_job_dismiss(mon, job_id);
    return r;
}

/* Whether an internal snapshot was taken: its job's outcome, else the tag
 * in the image that holds the VM state. */
static int
internal_taken(const qemu_driver *drv, const char *domain, qemu_monitor *mon, json_object *blocks,
               const vp_snapshot_def *snap, bool *ret_taken)
{
    int ok = -1;
    if (mon) {
        int r = internal_job_result(mon, snap->name, &ok);
        if (r < 0)
            return r;
        if (ok >= 0) {
            *ret_taken = ok;
            return 0;
        }
    }
    vp_domain_def *dom = NULL;
    int r = qemu_domain_load_def(drv, domain, &dom);
    if (r < 0)
        return r;
    *ret_taken = false;
    for (size_t i = 0; i < snap->n_disks && r >= 0; i++) {
        if (snap->disks[i].location != VP_SNAPSHOT_LOCATION_INTERNAL)
            continue;
        for (size_t j = 0; j < dom->n_disks; j++) {
            if (strcmp(dom->disks[j].target_dev, snap->disks[i].name) == 0)
                r = qemu_snapshot_tag_exists(blocks, snap->disks[i].name, dom->disks[j].source_file,
                                             snap->name, ret_taken);
        }
        break; /* the first one holds the VM state */
    }
    vp_plugin_domain_def_free(dom);
    return r;
}

/* A quiesced snapshot whose caller died may have left the guest frozen:
 * what it froze is thawed here. Best effort: an agent that does not
 * answer must not block every later operation on the domain. */
static void
thaw_left_frozen(const qemu_driver *drv, const char *domain, const qemu_record *rec)
{
    qemu_agent *agent = NULL;
    if (!rec->active || !rec->agent_path ||
        qemu_agent_open_for(rec->agent_path, domain, drv->agent_timeout_ms, &agent) < 0) {
        VP_PLUGIN_DEBUG(QEMU_AREA, "domain '%s': cannot reach the agent to check the freeze",
                        domain);
        return;
    }
    json_object *status = NULL;
    if (qemu_agent_command(agent, "guest-fsfreeze-status", NULL, drv->agent_timeout_ms, &status) ==
            0 &&
        strcmp(json_object_get_string(status), "frozen") == 0) {
        VP_PLUGIN_DEBUG(QEMU_AREA, "domain '%s': thawing what an interrupted snapshot froze",
                        domain);
        qemu_agent_command(agent, "guest-fsfreeze-thaw", NULL, drv->agent_timeout_ms, NULL);
    }
    json_object_put(status);
    qemu_agent_close(agent);
}

static int
recover_create(qemu_driver *drv, const char *domain, const qemu_record *rec, json_object *intent)
{
    json_object *xml;
    vp_snapshot_def *snap = NULL;
    if (!json_object_object_get_ex(intent, "record", &xml))
        return vp_plugin_error_set(VP_ERR_INTERNAL, "the intent of domain '%s' has no record",
                                   domain);
    int r = vp_plugin_snapshot_def_parse(json_object_get_string(xml),
                                         VP_PLUGIN_SNAPSHOT_PARSE_RECORD, &snap);
    if (r < 0)
        return r;
    if (snap->quiesced)
        thaw_left_frozen(drv, domain, rec);
    qemu_monitor *mon = NULL;
    json_object *blocks = NULL;
    if (rec->active) {
        r = qemu_monitor_open(rec->qmp_path, QEMU_MONITOR_TIMEOUT_MS, &mon);
        if (r >= 0)
            r = qemu_monitor_command(mon, "query-block", NULL, QEMU_MONITOR_TIMEOUT_MS, &blocks);
    }
    bool *in_use = vp_new0(bool, snap->n_disks + 1);
    bool taken = false;
    if (r >= 0 && snap->memory == VP_SNAPSHOT_LOCATION_INTERNAL) {
        r = internal_taken(drv, domain, mon, blocks, snap, &taken);
    } else if (r >= 0) {
        external_in_use(blocks, snap, in_use);
        for (size_t i = 0; i < snap->n_disks; i++) {
            vp_snapshot_disk_def *d = &snap->disks[i];
            if (d->location != VP_SNAPSHOT_LOCATION_EXTERNAL)
                continue;
            if (in_use[i]) {
                taken = true;
                continue;
            }
            /* QEMU runs without it: made by a transaction that did not
             * switch (the intent proves the path was free before). */
            struct stat st;
            if (blocks && d->source_file && lstat(d->source_file, &st) == 0 &&
                S_ISREG(st.st_mode) &&
                qemu_snapshot_file_unreached(drv, domain, snap->name, d->source_file) == 0) {
                VP_PLUGIN_DEBUG(QEMU_AREA, "domain '%s': removing unused overlay '%s'", domain,
                                d->source_file);
                unlink(d->source_file);
            }
            d->location = VP_SNAPSHOT_LOCATION_NO;
            free(d->source_file);
            d->source_file = NULL;
            free(d->driver_type);
            d->driver_type = NULL;
        }
    }
    json_object_put(blocks);
    qemu_monitor_close(mon);
    VP_PLUGIN_DEBUG(QEMU_AREA, "domain '%s': interrupted snapshot '%s' %s", domain, snap->name,
                    taken ? "was taken: finishing it" : "was not taken: undoing it");
    if (r >= 0 && taken)
        r = qemu_snapshot_record_write(drv, domain, snap);
    if (r >= 0 && taken && snap->memory != VP_SNAPSHOT_LOCATION_INTERNAL)
        r = def_adopt(drv, domain, snap, in_use);
    free(in_use);
    vp_plugin_snapshot_def_free(snap);
    return r;
}

/* ---- recovery: snapshot-delete ------------------------------------------ */

/* An internal snapshot: the record goes once no image holds the tag any
 * more (the job ran to its end after the caller died); while one still
 * does, the record stays and deleting again finishes the job. */
static int
recover_delete_internal(qemu_driver *drv, const char *domain, const qemu_record *rec,
                        const char *name)
{
    vp_snapshot_def *snap = NULL;
    vp_domain_def *dom = NULL;
    if (qemu_snapshot_record_load(drv, domain, name, &snap) < 0)
        return 0; /* the record is gone: nothing left to do */
    int r = qemu_domain_load_def(drv, domain, &dom);
    qemu_monitor *mon = NULL;
    json_object *blocks = NULL;
    if (r >= 0 && rec->active) {
        r = qemu_monitor_open(rec->qmp_path, QEMU_MONITOR_TIMEOUT_MS, &mon);
        if (r >= 0)
            r = qemu_monitor_command(mon, "query-block", NULL, QEMU_MONITOR_TIMEOUT_MS, &blocks);
    }
    bool held = false;
    for (size_t i = 0; r >= 0 && !held && i < dom->n_disks; i++) {
        const vp_snapshot_disk_def *s = qemu_snapshot_request_disk(snap, &dom->disks[i]);
        if (s && s->location == VP_SNAPSHOT_LOCATION_INTERNAL && dom->disks[i].source_file)
            r = qemu_snapshot_tag_exists(blocks, dom->disks[i].target_dev,
                                         dom->disks[i].source_file, name, &held);
    }
    json_object_put(blocks);
    qemu_monitor_close(mon);
    if (r >= 0 && !held) {
        _cleanup_free_ char *path = qemu_snapshot_record_path(drv, domain, name);
        VP_PLUGIN_DEBUG(QEMU_AREA,
                        "domain '%s': snapshot '%s' left the images; removing its record", domain,
                        name);
        if (unlink(path) < 0 && errno != ENOENT)
            r = vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno, "cannot remove '%s'", path);
    }
    vp_plugin_domain_def_free(dom);
    vp_plugin_snapshot_def_free(snap);
    return r;
}

/* The record went first; the files it named go now, each only if no chain
 * reaches it. Without the record gone the delete never began. */
static int
recover_delete(qemu_driver *drv, const char *domain, const qemu_record *rec, json_object *intent)
{
    json_object *name, *files, *internal;
    if (!json_object_object_get_ex(intent, "snapshot", &name) ||
        !json_object_object_get_ex(intent, "files", &files))
        return vp_plugin_error_set(VP_ERR_INTERNAL, "the intent of domain '%s' is incomplete",
                                   domain);
    const char *snap = json_object_get_string(name);
    if (json_object_object_get_ex(intent, "internal", &internal) &&
        json_object_get_boolean(internal))
        return recover_delete_internal(drv, domain, rec, snap);
    _cleanup_free_ char *record = qemu_snapshot_record_path(drv, domain, snap);
    if (access(record, F_OK) == 0)
        return 0;
    for (size_t i = 0; i < json_object_array_length(files); i++) {
        const char *f = json_object_get_string(json_object_array_get_idx(files, i));
        struct stat st;
        if (lstat(f, &st) < 0 || !S_ISREG(st.st_mode))
            continue;
        int r = qemu_snapshot_file_unreached(drv, domain, snap, f);
        if (r < 0)
            return r;
        if (unlink(f) < 0 && errno != ENOENT)
            return vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno, "cannot remove overlay '%s'", f);
    }
    return 0;
}

int
qemu_snapshot_recover(qemu_driver *drv, const char *domain, qemu_record *rec)
{
    _cleanup_free_ char *path = intent_path(drv, domain);
    if (access(path, F_OK) < 0)
        return 0;
    _cleanup_free_ char *text = NULL;
    int r = vp_plugin_file_read(path, INTENT_MAX_BYTES, &text, NULL);
    if (r < 0)
        return r;
    json_object *intent = json_tokener_parse(text), *op;
    if (!intent || !json_object_object_get_ex(intent, "op", &op)) {
        /* An atomic write never leaves a torn file: this one is foreign. */
        json_object_put(intent);
        return vp_plugin_error_set(
            VP_ERR_INTERNAL,
            "intent file '%s' of domain '%s' is not valid; check it and remove it by hand", path,
            domain);
    }
    const char *what = json_object_get_string(op);
    if (strcmp(what, "snapshot-create") == 0)
        r = recover_create(drv, domain, rec, intent);
    else if (strcmp(what, "snapshot-delete") == 0)
        r = recover_delete(drv, domain, rec, intent);
    else if (strcmp(what, "snapshot-merge") == 0)
        r = qemu_snapshot_merge_recover(drv, domain, rec, intent);
    else if (strcmp(what, "snapshot-revert") == 0)
        r = qemu_snapshot_revert_recover(drv, domain, rec, intent);
    else if (strcmp(what, "snapshot-unstack") == 0)
        r = qemu_snapshot_unstack_recover(drv, domain, rec, intent);
    else
        r = vp_plugin_error_set(VP_ERR_INTERNAL, "intent file '%s' names an unknown operation '%s'",
                                path, what);
    json_object_put(intent);
    if (r >= 0)
        r = qemu_snapshot_intent_remove(drv, domain);
    return r;
}
