/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-snapshot.c: the driver's snapshot slots.
 *
 * Owns the snapshot records (CONFIG/DOMAIN.snapshots/NAME.xml, written
 * atomically and only after QEMU confirmed the snapshot), the current
 * snapshot (CONFIG/DOMAIN.snapshots/.current, the parent of the next one;
 * moved under the intent, see qemu_snapshot_intent_remove), the choice of
 * disks, overlay paths and block nodes for a request, and deleting
 * snapshots (internal: QMP snapshot-delete job, or qemu-img when the domain
 * is shut off; external: the record, and the overlays only when asked and
 * unused). Taking the snapshot itself, with freeze and thaw, is the state
 * machine's job (snapshot-fsm.c); this file never talks to the agent.
 */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "qemu-driver.h"
#include "qemu-monitor.h"
#include "qemu-snapshot.h"
#include "snapshot-fsm.h"

#ifndef QEMU_IMG_BINARY
#define QEMU_IMG_BINARY ""
#endif

#define SNAP_RECORD_MAX_BYTES (256 * 1024)

char *
qemu_snapshot_dir(const qemu_driver *drv, const char *domain)
{
    return vp_asprintf("%s/%s.snapshots", drv->config_dir, domain);
}

char *
qemu_snapshot_record_path(const qemu_driver *drv, const char *domain, const char *name)
{
    return vp_asprintf("%s/%s.snapshots/%s.xml", drv->config_dir, domain, name);
}

int
qemu_snapshot_record_load(const qemu_driver *drv, const char *domain, const char *name,
                          vp_snapshot_def **ret_def)
{
    _cleanup_free_ char *path =
        qemu_domain_name_valid(name) ? qemu_snapshot_record_path(drv, domain, name) : NULL;
    if (!path || access(path, F_OK) < 0)
        return vp_plugin_error_set(VP_ERR_NO_SNAPSHOT, "domain '%s' has no snapshot named '%s'",
                                   domain, name);
    _cleanup_free_ char *xml = NULL;
    int r = vp_plugin_file_read(path, SNAP_RECORD_MAX_BYTES, &xml, NULL);
    if (r < 0)
        return r;
    return vp_plugin_snapshot_def_parse(xml, VP_PLUGIN_SNAPSHOT_PARSE_RECORD, ret_def);
}

int
qemu_snapshot_record_write(const qemu_driver *drv, const char *domain, const vp_snapshot_def *def)
{
    _cleanup_free_ char *xml = NULL;
    int r = vp_plugin_snapshot_def_format(def, 0, &xml);
    if (r < 0)
        return r;
    _cleanup_free_ char *dir = qemu_snapshot_dir(drv, domain);
    r = vp_plugin_mkdir_p(dir, 0700);
    if (r < 0)
        return r;
    _cleanup_free_ char *path = qemu_snapshot_record_path(drv, domain, def->name);
    return vp_plugin_file_write_atomic(path, xml, strlen(xml), 0600);
}

static char *
current_path(const qemu_driver *drv, const char *domain)
{
    return vp_asprintf("%s/%s.snapshots/.current", drv->config_dir, domain);
}

int
qemu_snapshot_current_read(const qemu_driver *drv, const char *domain, char **ret_name)
{
    _cleanup_free_ char *path = current_path(drv, domain);
    char *name = NULL;
    if (access(path, F_OK) == 0) {
        int r = vp_plugin_file_read(path, 4096, &name, NULL);
        if (r < 0)
            return r;
        name[strcspn(name, "\n")] = '\0';
        if (!qemu_domain_name_valid(name)) {
            free(name);
            name = NULL; /* not ours: no current snapshot */
        }
    }
    *ret_name = name;
    return 0;
}

int
qemu_snapshot_current_set(const qemu_driver *drv, const char *domain, const char *name)
{
    _cleanup_free_ char *path = current_path(drv, domain);
    if (!name) {
        if (unlink(path) < 0 && errno != ENOENT)
            return vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno, "cannot remove '%s'", path);
        return 0;
    }
    _cleanup_free_ char *text = vp_asprintf("%s\n", name);
    return vp_plugin_file_write_atomic(path, text, strlen(text), 0600);
}

/* The current snapshot, only if its record exists (else NULL). */
static int
current_existing(const qemu_driver *drv, const char *domain, char **ret_name)
{
    char *name = NULL;
    int r = qemu_snapshot_current_read(drv, domain, &name);
    if (r < 0)
        return r;
    _cleanup_free_ char *path = name ? qemu_snapshot_record_path(drv, domain, name) : NULL;
    if (path && access(path, F_OK) < 0) {
        free(name);
        name = NULL;
    }
    *ret_name = name;
    return 0;
}

int
qemu_snapshot_get_current(qemu_driver *drv, const char *domain, unsigned int flags, char **ret_name)
{
    if (flags)
        return vp_plugin_error_set(VP_ERR_INVALID_ARG, "unsupported flags 0x%x", flags);
    char *name = NULL;
    int r = qemu_domain_exists(drv, domain);
    if (r >= 0)
        r = current_existing(drv, domain, &name);
    if (r < 0)
        return r;
    if (!name)
        return vp_plugin_error_set(VP_ERR_NO_SNAPSHOT, "domain '%s' has no current snapshot",
                                   domain);
    *ret_name = name;
    return 0;
}

/* ---- block nodes ---------------------------------------------------------- */

json_object *
qemu_snapshot_block_of(json_object *blocks, const char *dev)
{
    _cleanup_free_ char *needle = vp_asprintf("/peripheral/%s/", dev);
    _cleanup_free_ char *tail = vp_asprintf("/peripheral/%s", dev);
    size_t n = blocks && json_object_is_type(blocks, json_type_array)
                   ? json_object_array_length(blocks)
                   : 0;
    for (size_t i = 0; i < n; i++) {
        json_object *b = json_object_array_get_idx(blocks, i), *qdev;
        if (!json_object_object_get_ex(b, "qdev", &qdev))
            continue;
        const char *q = json_object_get_string(qdev);
        size_t ql = strlen(q), tl = strlen(tail);
        if (strcmp(q, dev) == 0 || strstr(q, needle) ||
            (ql >= tl && strcmp(q + ql - tl, tail) == 0))
            return b;
    }
    return NULL;
}

/* The node a disk's device sits on now: after an external snapshot that is
 * the overlay, not the drive-DEV node the command line made. */
char *
qemu_snapshot_top_node(json_object *blocks, const char *dev)
{
    json_object *b = qemu_snapshot_block_of(blocks, dev), *ins, *node;
    if (b && json_object_object_get_ex(b, "inserted", &ins) &&
        json_object_object_get_ex(ins, "node-name", &node))
        return vp_strdup(json_object_get_string(node));
    return qemu_command_drive_node(dev);
}

static bool
snapshots_have_tag(json_object *snaps, const char *tag)
{
    size_t n =
        snaps && json_object_is_type(snaps, json_type_array) ? json_object_array_length(snaps) : 0;
    for (size_t i = 0; i < n; i++) {
        json_object *name;
        if (json_object_object_get_ex(json_object_array_get_idx(snaps, i), "name", &name) &&
            strcmp(json_object_get_string(name), tag) == 0)
            return true;
    }
    return false;
}

int
qemu_snapshot_img_run(const char *const *args, const char *file, char **ret_out)
{
    const char *argv[16] = {*QEMU_IMG_BINARY ? QEMU_IMG_BINARY : "/usr/bin/qemu-img"};
    size_t n = 1;
    for (size_t i = 0; args[i] && n < 15; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    int status = -1;
    _cleanup_free_ char *out = NULL, *err = NULL;
    /* A commit of a large overlay takes as long as the disk needs. */
    int r = vp_plugin_command_run(argv, 3600 * 1000, &status, &out, &err);
    if (r < 0)
        return r;
    if (status != 0) {
        size_t len = err ? strlen(err) : 0;
        while (len > 0 && err[len - 1] == '\n')
            err[--len] = '\0';
        return vp_plugin_error_set(VP_ERR_OPERATION_INVALID, "qemu-img %s failed for '%s': %s",
                                   args[0], file, err && *err ? err : "no message");
    }
    if (ret_out)
        *ret_out = VP_STEAL_PTR(out);
    return 0;
}

int
qemu_snapshot_tag_exists(json_object *blocks, const char *dev, const char *path, const char *tag,
                         bool *ret_exists)
{
    if (blocks) {
        json_object *b = qemu_snapshot_block_of(blocks, dev), *ins, *image, *snaps = NULL;
        if (b && json_object_object_get_ex(b, "inserted", &ins) &&
            json_object_object_get_ex(ins, "image", &image))
            json_object_object_get_ex(image, "snapshots", &snaps);
        *ret_exists = snapshots_have_tag(snaps, tag);
        return 0;
    }
    _cleanup_free_ char *out = NULL;
    int r = qemu_snapshot_img_run((const char *const[]){"info", "-U", "--output=json", path, NULL},
                                  path, &out);
    if (r < 0)
        return r;
    json_object *info = json_tokener_parse(out), *snaps = NULL;
    if (info)
        json_object_object_get_ex(info, "snapshots", &snaps);
    *ret_exists = snapshots_have_tag(snaps, tag);
    json_object_put(info);
    return 0;
}

static bool
disk_snapshottable(const vp_domain_disk_def *d)
{
    return d->source_file && !d->readonly && !(d->device && strcmp(d->device, "cdrom") == 0);
}

const vp_snapshot_disk_def *
qemu_snapshot_request_disk(const vp_snapshot_def *req, const vp_domain_disk_def *d)
{
    for (size_t i = 0; i < req->n_disks; i++) {
        const char *n = req->disks[i].name;
        if (n && (strcmp(n, d->target_dev) == 0 || strcmp(n, d->source_file) == 0))
            return &req->disks[i];
    }
    return NULL;
}

/* libvirt's default overlay name: the image's suffix replaced by the snapshot name. */
static char *
default_overlay(const char *source, const char *snap)
{
    const char *slash = strrchr(source, '/');
    const char *dot = strrchr(source, '.');
    size_t stem = dot && (!slash || dot > slash) ? (size_t)(dot - source) : strlen(source);
    return vp_asprintf("%.*s.%s", (int)stem, source, snap);
}

/* ---- planning a snapshot ----------------------------------------------------- */

/* What a request resolves to, disk by disk (index = the domain's disk). */
typedef struct snap_plan {
    size_t n;
    bool *take;     /* this disk is in the snapshot */
    char **node;    /* its current top node */
    char **overlay; /* external: the overlay file */
    char **overlay_node;
    char **format;
    qemu_snapshot_disk *ext; /* the state machine's view */
    size_t n_ext;
    const char **devices; /* internal: the nodes for snapshot-save */
    size_t n_devices;
} snap_plan;

static void
plan_free(snap_plan *p)
{
    for (size_t i = 0; i < p->n; i++) {
        free(p->node[i]);
        free(p->overlay[i]);
        free(p->overlay_node[i]);
        free(p->format[i]);
    }
    free(p->take);
    free(p->node);
    free(p->overlay);
    free(p->overlay_node);
    free(p->format);
    free(p->ext);
    free(p->devices);
}

static int
plan_disk_external(snap_plan *p, size_t i, const vp_domain_disk_def *d,
                   const vp_snapshot_disk_def *spec, const char *snap)
{
    p->overlay[i] = spec && spec->source_file ? vp_strdup(spec->source_file)
                                              : default_overlay(d->source_file, snap);
    if (p->overlay[i][0] != '/')
        return vp_plugin_error_set(VP_ERR_INVALID_ARG,
                                   "overlay '%s' for disk '%s' must be an absolute path",
                                   p->overlay[i], d->target_dev);
    struct stat st;
    if (lstat(p->overlay[i], &st) == 0)
        return vp_plugin_error_set(
            VP_ERR_INVALID_ARG,
            "overlay '%s' for disk '%s' already exists; choose another file or remove it",
            p->overlay[i], d->target_dev);
    p->format[i] = vp_strdup(spec && spec->driver_type ? spec->driver_type : "qcow2");
    /* Node names: at most 31 characters, unique for this QEMU's lifetime. */
    p->overlay_node[i] = vp_asprintf("ov-%.8s-%llx", d->target_dev,
                                     (unsigned long long)(vp_plugin_now_us() & 0xffffffffffull));
    p->ext[p->n_ext++] = (qemu_snapshot_disk){
        .node_name = p->node[i],
        .overlay_path = p->overlay[i],
        .overlay_node_name = p->overlay_node[i],
        .format = p->format[i],
    };
    return 0;
}

/* Every disk the request names must be one of the domain's. */
static int
check_request_disks(const vp_domain_def *dom, const vp_snapshot_def *req, const char *domain)
{
    for (size_t i = 0; i < req->n_disks; i++) {
        const char *n = req->disks[i].name;
        bool found = false;
        for (size_t j = 0; n && j < dom->n_disks && !found; j++)
            found = strcmp(n, dom->disks[j].target_dev) == 0 ||
                    (dom->disks[j].source_file && strcmp(n, dom->disks[j].source_file) == 0);
        if (found)
            continue;
        _cleanup_free_ char *have = vp_strdup("");
        for (size_t j = 0; j < dom->n_disks; j++) {
            char *more = vp_asprintf("%s%s'%s'", have, j ? ", " : "", dom->disks[j].target_dev);
            free(have);
            have = more;
        }
        return vp_plugin_error_set(
            VP_ERR_INVALID_ARG,
            "snapshot '%s' names disk '%s', which domain '%s' does not have; its disks are: %s",
            req->name, n ? n : "", domain, *have ? have : "none");
    }
    return 0;
}

static int
plan_build(const vp_domain_def *dom, const vp_snapshot_def *req, bool disk_only,
           json_object *blocks, snap_plan *p)
{
    p->n = dom->n_disks;
    p->take = vp_new0(bool, p->n);
    p->node = vp_new0(char *, p->n);
    p->overlay = vp_new0(char *, p->n);
    p->overlay_node = vp_new0(char *, p->n);
    p->format = vp_new0(char *, p->n);
    p->ext = vp_new0(qemu_snapshot_disk, p->n);
    p->devices = vp_new0(const char *, p->n);
    for (size_t i = 0; i < p->n; i++) {
        const vp_domain_disk_def *d = &dom->disks[i];
        const vp_snapshot_disk_def *spec = qemu_snapshot_request_disk(req, d);
        int loc = spec ? spec->location : VP_SNAPSHOT_LOCATION_DEFAULT;
        if (!disk_snapshottable(d) || loc == VP_SNAPSHOT_LOCATION_NO)
            continue;
        if (loc == VP_SNAPSHOT_LOCATION_DEFAULT)
            loc = disk_only ? VP_SNAPSHOT_LOCATION_EXTERNAL : VP_SNAPSHOT_LOCATION_INTERNAL;
        if ((loc == VP_SNAPSHOT_LOCATION_EXTERNAL) != disk_only)
            return vp_plugin_error_set(
                VP_ERR_NOT_SUPPORTED,
                "disk '%s': %s snapshots need %s; the qemu driver does not mix internal and external disks",
                d->target_dev, disk_only ? "internal" : "external",
                disk_only ? "no --disk-only" : "--disk-only");
        if (!disk_only && (!d->driver_type || strcmp(d->driver_type, "qcow2") != 0))
            return vp_plugin_error_set(
                VP_ERR_NOT_SUPPORTED,
                "disk '%s' is not qcow2 and cannot hold an internal snapshot; use a disk-only snapshot or exclude it with snapshot='no'",
                d->target_dev);
        p->take[i] = true;
        p->node[i] = qemu_snapshot_top_node(blocks, d->target_dev);
        if (disk_only) {
            int r = plan_disk_external(p, i, d, spec, req->name);
            if (r < 0)
                return r;
        } else {
            p->devices[p->n_devices++] = p->node[i];
        }
    }
    if (p->n_ext == 0 && p->n_devices == 0)
        return vp_plugin_error_set(
            VP_ERR_INVALID_ARG,
            "snapshot '%s' selects no disk: the domain needs a writable disk with a source file",
            req->name);
    return 0;
}

/* The record: what was taken, for list, dumpxml and delete. */
static void
plan_fill_record(const vp_domain_def *dom, const snap_plan *p, bool disk_only, vp_snapshot_def *req)
{
    for (size_t i = 0; i < req->n_disks; i++) {
        free(req->disks[i].name);
        free(req->disks[i].driver_type);
        free(req->disks[i].source_file);
    }
    free(req->disks);
    req->disks = vp_new0(vp_snapshot_disk_def, p->n);
    req->n_disks = 0;
    for (size_t i = 0; i < p->n; i++) {
        vp_snapshot_disk_def *d = &req->disks[req->n_disks++];
        d->name = vp_strdup(dom->disks[i].target_dev);
        if (!p->take[i]) {
            d->location = VP_SNAPSHOT_LOCATION_NO;
            continue;
        }
        d->location = disk_only ? VP_SNAPSHOT_LOCATION_EXTERNAL : VP_SNAPSHOT_LOCATION_INTERNAL;
        d->driver_type = vp_strdup(p->format[i]);
        d->source_file = vp_strdup(p->overlay[i]);
    }
    req->memory = disk_only ? VP_SNAPSHOT_LOCATION_NO : VP_SNAPSHOT_LOCATION_INTERNAL;
}

/* ---- create ------------------------------------------------------------------------ */

static int
name_refused(const char *name)
{
    return vp_plugin_error_set(
        VP_ERR_XML,
        "snapshot name '%s' cannot be used: use 1 to 64 characters, none of them '/', '\\', ',' or a control character, and no leading '.'",
        name);
}

static int
request_parse(const qemu_driver *drv, const char *domain, const char *xml,
              vp_snapshot_def **ret_req)
{
    vp_snapshot_def *req = NULL;
    if (xml && *xml) {
        int r = vp_plugin_snapshot_def_parse(xml, 0, &req);
        if (r < 0)
            return r;
    } else {
        req = vp_new0(vp_snapshot_def, 1);
    }
    if (!req->name)
        req->name = vp_asprintf("%lld", (long long)(vp_plugin_now_us() / 1000000));
    _cleanup_free_ char *path = qemu_snapshot_record_path(drv, domain, req->name);
    int r = 0;
    if (!qemu_domain_name_valid(req->name))
        r = name_refused(req->name);
    else if (access(path, F_OK) == 0)
        r = vp_plugin_error_set(VP_ERR_EXISTS, "domain '%s' already has a snapshot named '%s'",
                                domain, req->name);
    if (r < 0) {
        vp_plugin_snapshot_def_free(req);
        return r;
    }
    *ret_req = req;
    return 0;
}

static int
monitor_query(qemu_monitor *mon, int *ret_state, json_object **ret_blocks)
{
    json_object *status = NULL, *s;
    int r = qemu_monitor_command(mon, "query-status", NULL, QEMU_MONITOR_TIMEOUT_MS, &status);
    if (r < 0)
        return r;
    bool running = json_object_object_get_ex(status, "status", &s) &&
                   strcmp(json_object_get_string(s), "running") == 0;
    json_object_put(status);
    *ret_state = running ? VP_DOMAIN_RUNNING : VP_DOMAIN_PAUSED;
    return qemu_monitor_command(mon, "query-block", NULL, QEMU_MONITOR_TIMEOUT_MS, ret_blocks);
}

/* After an external snapshot the domain runs on the overlays: so must its next start. */
static int
def_use_overlays(const qemu_driver *drv, vp_domain_def *dom, const snap_plan *p)
{
    for (size_t i = 0; i < p->n; i++) {
        if (!p->take[i])
            continue;
        free(dom->disks[i].source_file);
        dom->disks[i].source_file = vp_strdup(p->overlay[i]);
        free(dom->disks[i].driver_type);
        dom->disks[i].driver_type = vp_strdup(p->format[i]);
    }
    return qemu_domain_save_def(drv, dom);
}

/* After a failed snapshot, QEMU's own view decides what was taken (a
 * timeout or a lost connection may hide a transaction QEMU carried out);
 * the error the user sees stays the one that explains the failure. */
void
qemu_snapshot_settle_failed(qemu_driver *drv, const char *domain, qemu_record *rec)
{
    const vp_error *e = vp_error_last();
    int code = e ? e->code : VP_ERR_INTERNAL;
    _cleanup_free_ char *msg = vp_strdup(e && e->message ? e->message : "snapshot failed");
    if (qemu_snapshot_recover(drv, domain, rec) < 0)
        VP_PLUGIN_DEBUG(QEMU_AREA, "domain '%s': snapshot left to the next operation to settle",
                        domain);
    vp_plugin_error_set(code, "%s", msg);
}

static int
run_fsm(const qemu_driver *drv, const char *domain, const qemu_record *rec, qemu_monitor *mon,
        int state, const snap_plan *plan, const vp_snapshot_def *req, unsigned int flags)
{
    qemu_snapshot_job job = {
        .domain_name = domain,
        .snapshot_name = req->name,
        .domain_state = state,
        .monitor = mon,
        .agent_path = rec->agent_path,
        .flags = flags,
        .disks = plan->ext,
        .n_disks = plan->n_ext,
        .vmstate_node = plan->n_devices ? plan->devices[0] : NULL,
        .devices = plan->devices,
        .n_devices = plan->n_devices,
        .agent_timeout_ms = drv->agent_timeout_ms,
        .step = qemu_step,
    };
    qemu_job cancel;
    bool quiesce = flags & VP_SNAPSHOT_CREATE_QUIESCE;
    if (quiesce) {
        int r = qemu_job_begin(drv, &cancel);
        if (r < 0)
            return r;
        job.cancellable = true;
        job.cancel_fd = cancel.efd;
    }
    qemu_snapshot_outcome outcome;
    int r = qemu_snapshot_fsm_run(&job, &outcome);
    if (quiesce)
        qemu_job_end(drv, &cancel);
    if (vp_plugin_debug_enabled()) {
        _cleanup_free_ char *path = qemu_snapshot_outcome_path(&outcome);
        VP_PLUGIN_DEBUG(QEMU_AREA, "snapshot '%s' of '%s': %s", req->name, domain, path);
    }
    return r;
}

/* The intent is written before QEMU is asked; the record, then the
 * definition, after; the intent goes last. A kill at any point leaves the
 * intent for qemu_snapshot_recover(). */
static int
take_snapshot(qemu_driver *drv, const char *domain, qemu_record *rec, vp_domain_def *dom,
              vp_snapshot_def *req, unsigned int flags)
{
    bool disk_only = flags & VP_SNAPSHOT_CREATE_DISK_ONLY;
    int r = check_request_disks(dom, req, domain);
    if (r < 0)
        return r;
    qemu_monitor *mon = NULL;
    r = qemu_monitor_open(rec->qmp_path, QEMU_MONITOR_TIMEOUT_MS, &mon);
    if (r < 0)
        return r;
    int state = 0;
    json_object *blocks = NULL;
    snap_plan plan = {0};
    bool intent = false;
    r = monitor_query(mon, &state, &blocks);
    if (r >= 0)
        r = plan_build(dom, req, disk_only, blocks, &plan);
    if (r >= 0) {
        plan_fill_record(dom, &plan, disk_only, req);
        req->creation_time = vp_plugin_now_us() / 1000000;
        req->state = disk_only ? VP_SNAPSHOT_STATE_DISK_SNAPSHOT : state;
        req->quiesced = flags & VP_SNAPSHOT_CREATE_QUIESCE;
        r = qemu_snapshot_intent_create(drv, domain, req);
        intent = r >= 0;
    }
    if (r >= 0) {
        qemu_step("snapshot: intent written");
        r = run_fsm(drv, domain, rec, mon, state, &plan, req, flags);
        qemu_step("snapshot: QEMU answered");
    }
    json_object_put(blocks);
    qemu_monitor_close(mon);
    if (r >= 0) {
        r = qemu_snapshot_record_write(drv, domain, req);
        qemu_step("snapshot: record written");
        if (r >= 0 && disk_only) {
            r = def_use_overlays(drv, dom, &plan);
            qemu_step("snapshot: definition written");
        }
        if (r >= 0)
            r = qemu_snapshot_intent_remove(drv, domain);
    } else if (intent) {
        qemu_snapshot_settle_failed(drv, domain, rec);
    }
    plan_free(&plan);
    return r;
}

/* libvirt's redefine: the record as given, written atomically; then, if
 * asked, .current (a kill in between leaves the record, not current:
 * redefining again finishes). QEMU is not asked for anything. */
static int
redefine(qemu_driver *drv, const char *domain, const char *xml, unsigned int flags, char **ret_name)
{
    vp_snapshot_def *def = NULL;
    int r = vp_plugin_snapshot_def_parse(xml, VP_PLUGIN_SNAPSHOT_PARSE_RECORD, &def);
    if (r >= 0 && (!def->name || !qemu_domain_name_valid(def->name)))
        r = name_refused(def->name ? def->name : "");
    for (size_t i = 0; r >= 0 && i < def->n_disks; i++) {
        const char *f = def->disks[i].source_file;
        if (f && f[0] != '/')
            r = vp_plugin_error_set(
                VP_ERR_XML, "disk '%s' of snapshot '%s' names '%s', which is not an absolute path",
                def->disks[i].name, def->name, f);
    }
    if (r >= 0)
        r = qemu_snapshot_record_write(drv, domain, def);
    if (r >= 0 && (flags & VP_SNAPSHOT_CREATE_CURRENT)) {
        qemu_step("snapshot redefine: record written");
        r = qemu_snapshot_current_set(drv, domain, def->name);
    }
    if (r >= 0)
        *ret_name = vp_strdup(def->name);
    vp_plugin_snapshot_def_free(def);
    return r < 0 ? r : 0;
}

int
qemu_snapshot_create(qemu_driver *drv, const char *domain, const char *xml, unsigned int flags,
                     char **ret_name)
{
    const unsigned int known = VP_SNAPSHOT_CREATE_DISK_ONLY | VP_SNAPSHOT_CREATE_QUIESCE |
                               VP_SNAPSHOT_CREATE_REDEFINE | VP_SNAPSHOT_CREATE_CURRENT;
    if ((flags & ~known) || ((flags & VP_SNAPSHOT_CREATE_REDEFINE) &&
                             (flags & (VP_SNAPSHOT_CREATE_DISK_ONLY | VP_SNAPSHOT_CREATE_QUIESCE))))
        return vp_plugin_error_set(VP_ERR_INVALID_ARG, "unsupported snapshot flags 0x%x", flags);
    _cleanup_domain_lock_ int lock = -1;
    _cleanup_(qemu_record_freep) qemu_record *rec = NULL;
    int r = qemu_domain_begin(drv, domain, "snapshot-create", &lock, &rec);
    if (r < 0)
        return r;
    if (flags & VP_SNAPSHOT_CREATE_REDEFINE)
        return redefine(drv, domain, xml, flags, ret_name);
    vp_snapshot_def *req = NULL;
    r = request_parse(drv, domain, xml, &req);
    if (r < 0)
        return r;
    vp_domain_def *dom = NULL;
    if (!rec->active && (flags & VP_SNAPSHOT_CREATE_QUIESCE))
        r = vp_plugin_error_set(VP_ERR_OPERATION_INVALID,
                                "cannot quiesce domain '%s': it is shut off", domain);
    else if (!rec->active)
        r = vp_plugin_error_set(
            VP_ERR_OPERATION_INVALID,
            "cannot take snapshot '%s' of domain '%s': it is shut off; the qemu driver takes snapshots of running or paused domains",
            req->name, domain);
    if (r >= 0)
        r = qemu_domain_load_def(drv, domain, &dom);
    if (r >= 0)
        r = current_existing(drv, domain, &req->parent);
    if (r >= 0)
        r = take_snapshot(drv, domain, rec, dom, req, flags);
    if (r >= 0)
        *ret_name = vp_strdup(req->name);
    vp_plugin_domain_def_free(dom);
    vp_plugin_snapshot_def_free(req);
    return r < 0 ? r : 0;
}

/* ---- list, lookup, dumpxml ---------------------------------------------------------- */

static int
cmp_entry(const void *a, const void *b)
{
    const qemu_snap_entry *x = a, *y = b;
    if (x->created != y->created)
        return x->created < y->created ? -1 : 1;
    return strcmp(x->name, y->name);
}

/* Every record of @domain, oldest first. */
int
qemu_snapshot_records_list(const qemu_driver *drv, const char *domain,
                           qemu_snap_entry **ret_entries)
{
    _cleanup_free_ char *dir = qemu_snapshot_dir(drv, domain);
    qemu_snap_entry *e = vp_new0(qemu_snap_entry, 1);
    size_t n = 0;
    DIR *d = opendir(dir);
    struct dirent *de;
    while (d && (de = readdir(d))) {
        size_t len = strlen(de->d_name);
        if (de->d_name[0] == '.' || len <= 4 || strcmp(de->d_name + len - 4, ".xml") != 0)
            continue;
        _cleanup_free_ char *name = vp_strndup(de->d_name, len - 4);
        vp_snapshot_def *def = NULL;
        if (qemu_snapshot_record_load(drv, domain, name, &def) < 0)
            continue; /* a foreign file: not a snapshot of ours */
        e = vp_renew(qemu_snap_entry, e, n + 1);
        e[n++] = (qemu_snap_entry){.name = VP_STEAL_PTR(name), .created = def->creation_time};
        vp_plugin_snapshot_def_free(def);
    }
    if (d)
        closedir(d);
    qsort(e, n, sizeof(*e), cmp_entry);
    *ret_entries = e;
    return (int)n;
}

int
qemu_snapshot_list(qemu_driver *drv, const char *domain, unsigned int flags, char ***ret_names)
{
    int r = qemu_domain_exists(drv, domain);
    if (r < 0)
        return r;
    qemu_snap_entry *e = NULL;
    int n = qemu_snapshot_records_list(drv, domain, &e);
    char **names = vp_new0(char *, (size_t)n + 1);
    for (int i = 0; i < n; i++)
        names[i] = e[i].name;
    free(e);
    *ret_names = names;
    return n;
}

int
qemu_snapshot_lookup(qemu_driver *drv, const char *domain, const char *name, unsigned int flags)
{
    int r = qemu_domain_exists(drv, domain);
    if (r < 0)
        return r;
    vp_snapshot_def *def = NULL;
    r = qemu_snapshot_record_load(drv, domain, name, &def);
    vp_plugin_snapshot_def_free(def);
    return r < 0 ? r : 0;
}

int
qemu_snapshot_get_xml(qemu_driver *drv, const char *domain, const char *name, unsigned int flags,
                      char **ret_xml)
{
    int r = qemu_domain_exists(drv, domain);
    if (r < 0)
        return r;
    vp_snapshot_def *def = NULL;
    r = qemu_snapshot_record_load(drv, domain, name, &def);
    if (r >= 0)
        r = vp_plugin_snapshot_def_format(def, 0, ret_xml);
    vp_plugin_snapshot_def_free(def);
    return r < 0 ? r : 0;
}
