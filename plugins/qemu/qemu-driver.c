/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-driver.c: the QEMU hypervisor driver (qemu:///system,
 * qemu:///session, qemu:///embed?root=DIR) and the plugin descriptor.
 *
 * Owns the vtable (connections are qemu-conn.c's): each slot takes the domain's lock file, brings
 * the runtime record up to date (a QEMU that died is noticed here) and then acts through
 * qemu-domain.c, qemu-process.c and the QMP client. It keeps no domain state in memory, so any
 * number of processes can share the directories. It never parses XML itself (the core does) and
 * never writes a file except through qemu-domain.c.
 */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <virtplug/sdk/plugin.h>

#include "qemu-driver.h"
#include "qemu-live.h"
#include "qemu-agent.h"
#include "qemu-devices.h"
#include "qemu-monitor.h"
#include "qemu-snapshot.h"

/* ---- helpers --------------------------------------------------------------- */

int
qemu_domain_exists(const qemu_driver *drv, const char *name)
{
    _cleanup_free_ char *xml =
        qemu_domain_name_valid(name) ? qemu_domain_path(drv, name, ".xml") : NULL;
    if (xml && qemu_transient_is(drv, name) && !qemu_domain_peek_active(drv, name)) {
        /* Transient and not running: being created, or gone (removed now
         * if nobody holds it). */
        qemu_transient_settle(drv, name);
        if (qemu_transient_is(drv, name) && !qemu_domain_peek_active(drv, name))
            return vp_plugin_error_set(VP_ERR_NO_DOMAIN, "no domain named '%s'", name);
    }
    if (!xml || access(xml, F_OK) < 0)
        return vp_plugin_error_set(VP_ERR_NO_DOMAIN, "no domain named '%s'", name);
    return 0;
}

int
qemu_domain_begin(qemu_driver *drv, const char *name, const char *op, int *ret_lock,
                  qemu_record **ret_rec)
{
    int r = qemu_domain_exists(drv, name);
    if (r < 0)
        return r;
    int fd;
    r = qemu_lock_acquire(drv, name, op, drv->lock_timeout_ms, &fd);
    if (r < 0)
        return r;
    if (qemu_domain_exists(drv, name) < 0) {
        /* Undefined while this waited: the lock file it locked is new. */
        _cleanup_free_ char *path = qemu_domain_path(drv, name, ".lock");
        unlink(path);
        qemu_lock_release(fd);
        return VP_ERR_NO_DOMAIN;
    }
    r = qemu_domain_settle_define(drv, name);
    if (r >= 0)
        qemu_log_cap(drv, name);
    if (r >= 0)
        r = qemu_domain_refresh(drv, name, ret_rec);
    if (r >= 0)
        r = qemu_snapshot_recover(drv, name, *ret_rec);
    if (r >= 0)
        r = qemu_save_recover(drv, name, *ret_rec);
    if (r < 0) {
        qemu_record_free(*ret_rec);
        *ret_rec = NULL;
        qemu_lock_release(fd);
        return r;
    }
    *ret_lock = fd;
    return 0;
}

int
qemu_domain_require_active(const char *name, const qemu_record *rec, const char *what)
{
    if (!rec->active)
        return vp_plugin_error_set(VP_ERR_OPERATION_INVALID,
                                   "cannot %s domain '%s': it is not running", what, name);
    return 0;
}

/* One QMP command on a running domain. When QEMU vanished meanwhile, the
 * domain is recorded as crashed and the error says so. */
int
qemu_domain_qmp(qemu_driver *drv, const char *name, qemu_record *rec, const char *command,
                json_object **ret_return)
{
    qemu_monitor *mon = NULL;
    int r = qemu_monitor_open(rec->qmp_path, QEMU_MONITOR_TIMEOUT_MS, &mon);
    if (r >= 0) {
        r = qemu_monitor_command(mon, command, NULL, QEMU_MONITOR_TIMEOUT_MS, ret_return);
        qemu_monitor_close(mon);
    }
    if (r < 0 && !vp_plugin_process_is_alive(&rec->proc)) {
        qemu_domain_mark_stopped(drv, name, rec, VP_DOMAIN_SHUTOFF_CRASHED);
        return vp_plugin_error_set(
            VP_ERR_OPERATION_INVALID,
            "QEMU of domain '%s' exited during '%s'; the domain is shut off (crashed)", name,
            command);
    }
    return r;
}

/* ---- listing and definitions -------------------------------------------- */

static int
qemu_conn_list_domains(void *priv, unsigned int flags, char ***ret_names)
{
    qemu_driver *drv = priv;
    if (flags & ~(unsigned)(VP_LIST_DOMAINS_ACTIVE | VP_LIST_DOMAINS_INACTIVE))
        return vp_plugin_error_set(VP_ERR_INVALID_ARG, "unsupported list flags 0x%x", flags);
    if (flags == 0)
        flags = VP_LIST_DOMAINS_ACTIVE | VP_LIST_DOMAINS_INACTIVE;
    /* One read of the directory gives the names and the transient marks;
     * only when there are marks is it read again, after settling them. */
    char **names = NULL, **marked = NULL;
    int n = qemu_domain_list_names_marked(drv, &names, &marked);
    if (n >= 0 && marked[0]) {
        qemu_transient_settle_all(drv, marked);
        vp_strv_free(names);
        vp_strv_free(marked);
        n = qemu_domain_list_names_marked(drv, &names, &marked);
    }
    if (n < 0)
        return n;
    size_t n_marked = 0;
    while (marked[n_marked])
        n_marked++;
    int kept = 0;
    for (int i = 0; i < n; i++) {
        /* Whether it runs is read only when it matters: for a list of one
         * kind, or for a transient domain (one not running is being
         * created, or gone). */
        bool both = (flags & VP_LIST_DOMAINS_ACTIVE) && (flags & VP_LIST_DOMAINS_INACTIVE);
        bool transient =
            bsearch(&names[i], marked, n_marked, sizeof(char *), qemu_name_cmp) != NULL;
        bool running = (!both || transient) && qemu_domain_peek_active(drv, names[i]);
        bool exists = running || !transient;
        if (exists && (both || (running && (flags & VP_LIST_DOMAINS_ACTIVE)) ||
                       (!running && (flags & VP_LIST_DOMAINS_INACTIVE))))
            names[kept++] = names[i];
        else
            free(names[i]);
    }
    names[kept] = NULL;
    vp_strv_free(marked);
    *ret_names = names;
    return kept;
}

static int
qemu_conn_num_of_domains(void *priv)
{
    char **names = NULL;
    int n = qemu_conn_list_domains(priv, VP_LIST_DOMAINS_ACTIVE, &names);
    vp_strv_free(names);
    return n;
}

static int
qemu_domain_lookup(void *priv, const char *name)
{
    return qemu_domain_exists(priv, name);
}

static int
check_redefine(const qemu_driver *drv, const vp_domain_def *def)
{
    _cleanup_free_ char *path = qemu_domain_path(drv, def->name, ".xml");
    if (access(path, F_OK) < 0)
        return 0;
    vp_domain_def *old = NULL;
    int r = qemu_domain_load_def(drv, def->name, &old);
    if (r < 0)
        return r;
    bool same = memcmp(old->uuid, def->uuid, sizeof(def->uuid)) == 0;
    char uuid[37];
    vp_plugin_uuid_format(old->uuid, uuid);
    vp_plugin_domain_def_free(old);
    if (!same)
        return vp_plugin_error_set(
            VP_ERR_EXISTS,
            "domain '%s' already exists with uuid '%s'; undefine it first or use its uuid to redefine it",
            def->name, uuid);
    return 0;
}

void
qemu_define_parts_free(qemu_define_parts *d)
{
    free(d->xml);
    free(d->base);
    free(d->dom);
    free(d->dev);
    json_object_put(d->tree);
    vp_plugin_domain_def_free(d->def);
    *d = (qemu_define_parts){0};
}

/* The core's model, checked against qemu-caps.c: its formatted XML is kept
 * whole (dumpxml), its 1.0 part is the vp_domain_def the driver runs, and
 * the elements beyond it are read into the extras tree (qemu-devices.c). */
int
qemu_define_prepare(const qemu_driver *drv, const vp_domain_model *model, qemu_define_parts *d)
{
    *d = (qemu_define_parts){0};
    /* Before the first goto: the cleanup runs at every exit. */
    _cleanup_strv_free_ char **args = NULL;
    qemu_command_paths paths = {.qmp = "/", .pidfile = "/", .accel = "tcg"};
    int r = vp_plugin_domain_model_format(model, 0, &d->xml);
    if (r < 0)
        return r;
    /* An interface without <mac> gets libvirt's kind of address, kept in
     * the definition like the rest of it. */
    d->tree = qemu_devices_from_model(model);
    _cleanup_(json_object_putp) json_object *mapped = NULL;
    char *with_macs = qemu_network_add_macs(d->xml, d->tree);
    free(d->xml);
    d->xml = qemu_pci_add_indexes(with_macs, d->tree);
    free(with_macs);
    qemu_domain_split_xml(d->xml, &d->base, &d->dom, &d->dev);
    r = vp_plugin_domain_def_parse(d->base, 0, &d->def);
    if (r < 0)
        goto out;
    if (!qemu_domain_name_valid(d->def->name)) {
        r = vp_plugin_error_set(
            VP_ERR_XML,
            "domain name '%s' cannot be used by the qemu driver: use 1 to 64 characters, none of them '/', '\\', ',' or a control character, and no leading '.'",
            d->def->name ? d->def->name : "");
        goto out;
    }
    /* What the table cannot say (a USB input needs a USB controller, a
     * PCI address used twice) is refused now, not at the first start: the
     * command line is built once, for nothing. */
    /* The networks are mapped on a copy: the definition keeps type='network'. */
    r = json_object_deep_copy(d->tree, &mapped, NULL) < 0
            ? vp_plugin_error_set(VP_ERR_SYSTEM, "cannot copy the devices of domain '%s'",
                                  d->def->name)
            : qemu_network_resolve(drv, mapped, d->def->name);
    if (r < 0)
        goto out;
    paths.devices = mapped;
    paths.agent = d->def->has_agent_channel ? "/" : NULL;
    r = qemu_command_build("qemu", d->def, &paths, &args);
    if (r >= 0)
        r = qemu_hostcaps_check(drv, d->def->emulator ? d->def->emulator : drv->binary, mapped);
out:
    if (r < 0)
        qemu_define_parts_free(d);
    return r < 0 ? r : 0;
}

int
qemu_define_write(const qemu_driver *drv, const qemu_define_parts *d, bool running)
{
    int r = qemu_domain_settle_define(drv, d->def->name);
    if (r >= 0)
        r = check_redefine(drv, d->def);
    if (r >= 0) {
        qemu_step("define: checked");
        r = running ? qemu_define_next_write(drv, d)
                    : qemu_domain_save_defined(drv, d->def, d->xml, d->dom, d->dev, d->tree);
    }
    if (r >= 0)
        qemu_step("define: written");
    return r;
}

static int
qemu_domain_define_model(void *priv, const vp_domain_model *model, unsigned int flags,
                         char **ret_name)
{
    qemu_driver *drv = priv;
    if (flags != 0)
        return vp_plugin_error_set(VP_ERR_INVALID_ARG, "unsupported define flags 0x%x", flags);
    _cleanup_(qemu_define_parts_free) qemu_define_parts d = {0};
    int r = qemu_define_prepare(drv, model, &d);
    if (r < 0)
        return r;
    const char *name = d.def->name;
    _cleanup_domain_lock_ int fd = -1;
    r = qemu_lock_acquire(drv, name, "define", drv->lock_timeout_ms, &fd);
    bool transient = r >= 0 && qemu_transient_is(drv, name);
    _cleanup_free_ char *path = qemu_domain_path(drv, name, ".xml");
    _cleanup_(qemu_record_freep) qemu_record *rec = NULL;
    bool running = false;
    if (r >= 0)
        r = qemu_domain_settle_define(drv, name);
    if (r >= 0 && (transient || access(path, F_OK) == 0)) {
        /* A transient domain found stopped goes first; one that runs
         * becomes persistent. A running domain keeps running the
         * definition it was started with: this one waits for its stop,
         * as in libvirt (qemu-define-next.c). */
        r = qemu_domain_refresh(drv, name, &rec);
        if (r == VP_ERR_NO_DOMAIN)
            r = 0;
        running = r >= 0 && rec && rec->active;
        if (r >= 0 && transient && !running)
            r = qemu_transient_reap(drv, name, rec);
    }
    if (r >= 0)
        r = qemu_define_write(drv, &d, running);
    if (r >= 0 && transient && running)
        r = qemu_transient_unmark(drv, name);
    if (r >= 0) {
        VP_PLUGIN_DEBUG(QEMU_AREA, "defined domain '%s'", name);
        *ret_name = vp_strdup(name);
    }
    return r < 0 ? r : 0;
}

static int
qemu_domain_undefine(void *priv, const char *name, unsigned int flags)
{
    qemu_driver *drv = priv;
    const unsigned int nvram = VP_DOMAIN_UNDEFINE_NVRAM | VP_DOMAIN_UNDEFINE_KEEP_NVRAM;
    const unsigned int known = nvram | VP_DOMAIN_UNDEFINE_MANAGED_SAVE;
    if (flags & ~known)
        return vp_plugin_error_set(VP_ERR_INVALID_ARG, "unsupported undefine flags 0x%x",
                                   flags & ~known);
    if ((flags & nvram) == nvram)
        return vp_plugin_error_set(
            VP_ERR_INVALID_ARG,
            "flags VP_DOMAIN_UNDEFINE_NVRAM and VP_DOMAIN_UNDEFINE_KEEP_NVRAM are mutually exclusive");
    _cleanup_domain_lock_ int lock = -1;
    _cleanup_(qemu_record_freep) qemu_record *rec = NULL;
    int r = qemu_domain_begin(drv, name, "undefine", &lock, &rec);
    if (r < 0)
        return r;
    if (rec->active)
        return vp_plugin_error_set(
            VP_ERR_OPERATION_INVALID,
            "cannot undefine domain '%s': it is running; shut it down or destroy it first", name);
    int has_image = 0;
    qemu_domain_has_managed_save(drv, name, &has_image);
    if (has_image && !(flags & VP_DOMAIN_UNDEFINE_MANAGED_SAVE))
        return vp_plugin_error_set(
            VP_ERR_OPERATION_INVALID,
            "cannot undefine domain '%s': it has a managed-save image; remove it with 'managedsave-remove', or undefine with --managed-save",
            name);
    char **snaps = NULL;
    int n = qemu_snapshot_list(drv, name, 0, &snaps);
    vp_strv_free(snaps);
    if (n > 0)
        return vp_plugin_error_set(
            VP_ERR_OPERATION_INVALID,
            "cannot undefine domain '%s': it has %d snapshot(s); delete them first", name, n);
    /* Refused before anything is removed. */
    _cleanup_free_ char *vars = NULL;
    _cleanup_(json_object_putp) json_object *tree = NULL;
    r = qemu_domain_load_extras(drv, name, &tree);
    if (r >= 0)
        r = qemu_firmware_undefine_check(drv, tree, name, flags, &vars);
    if (r < 0)
        return r;
    _cleanup_free_ char *dir = qemu_snapshot_dir(drv, name);
    /* The list of overlays reverts made must not outlive the domain: a
     * domain defined later under this name is not the one that made them. */
    _cleanup_free_ char *reverts = vp_asprintf("%s/.reverts", dir);
    unlink(reverts);
    _cleanup_free_ char *unstacked = vp_asprintf("%s/.unstacked", dir);
    unlink(unstacked);
    rmdir(dir);
    /* Runtime files first, the definition last: an undefine killed in
     * between leaves a defined domain that the next undefine removes. */
    qemu_domain_remove_runtime(drv, name, rec);
    r = qemu_firmware_remove_vars(drv, name, vars);
    if (r < 0)
        return r;
    qemu_tpm_remove_state(drv, name);
    qemu_step("undefine: runtime files removed");
    r = qemu_managed_save_forget(drv, name);
    if (r >= 0)
        r = qemu_autostart_forget(drv, name); /* never a mark without a definition */
    if (r >= 0)
        qemu_step("undefine: autostart mark removed");
    return r < 0 ? r : qemu_domain_delete_def(drv, name);
}

static int
qemu_domain_get_xml(void *priv, const char *name, unsigned int flags, char **ret_xml)
{
    qemu_driver *drv = priv;
    int r = qemu_domain_exists(drv, name);
    return r < 0 ? r : qemu_live_get_xml(drv, name, flags, ret_xml);
}

/* ---- lifecycle ------------------------------------------------------------- */

/* A QEMU of this domain that no record knows (its pidfile argument shows it
 * in /proc) is adopted or reaped, never left to hold the disks. */
static int
adopt_unrecorded(const qemu_driver *drv, const char *name, qemu_record *rec)
{
    _cleanup_free_ char *pidfile = qemu_domain_path(drv, name, ".pid");
    _cleanup_free_ pid_t *pids = qemu_process_find_by_pidfile(pidfile);
    if (!pids[0])
        return 0;
    VP_PLUGIN_DEBUG(QEMU_AREA, "domain '%s': QEMU process %d runs without a record", name,
                    (int)pids[0]);
    rec->active = true;
    rec->starting = true;
    rec->self_change = true; /* its command line is not known */
    if (!rec->qmp_path)
        rec->qmp_path = qemu_domain_path(drv, name, ".qmp");
    return qemu_process_recover_start(drv, name, rec);
}

int
qemu_domain_start_locked(const qemu_driver *drv, const char *name, qemu_record *rec,
                         unsigned int flags)
{
    if (rec->active)
        return vp_plugin_error_set(VP_ERR_OPERATION_INVALID, "domain '%s' is already running",
                                   name);
    int r = adopt_unrecorded(drv, name, rec);
    if (r < 0)
        return r;
    if (rec->active)
        return vp_plugin_error_set(
            VP_ERR_OPERATION_INVALID,
            "domain '%s' is already running: a QEMU of it (pid %d) was running without a record and is now adopted",
            name, (int)rec->proc.pid);
    vp_domain_def *def = NULL;
    r = qemu_domain_load_def(drv, name, &def);
    if (r < 0)
        return r;
    qemu_record *started = NULL;
    r = flags & VP_DOMAIN_START_PAUSED ? qemu_process_start_paused(drv, def, &started)
                                       : qemu_process_start(drv, def, &started);
    vp_plugin_domain_def_free(def);
    if (r < 0)
        return r;
    qemu_record_free(started);
    return 0;
}

static int
qemu_domain_start(void *priv, const char *name, unsigned int flags)
{
    qemu_driver *drv = priv;
    if (flags & ~(unsigned)VP_DOMAIN_START_PAUSED)
        return vp_plugin_error_set(VP_ERR_INVALID_ARG, "unsupported start flags 0x%x", flags);
    _cleanup_domain_lock_ int lock = -1;
    _cleanup_(qemu_record_freep) qemu_record *rec = NULL;
    int r = qemu_domain_begin(drv, name, "start", &lock, &rec);
    if (r < 0)
        return r;
    bool restored = false;
    if (!rec->active)
        r = qemu_managed_save_start(drv, name, rec, flags, &restored);
    return r < 0 || restored ? r : qemu_domain_start_locked(drv, name, rec, flags);
}

/* suspend and resume: one QMP command and the state it leaves. */
static int
pause_or_continue(qemu_driver *drv, const char *name, bool pause)
{
    const char *op = pause ? "suspend" : "resume";
    _cleanup_domain_lock_ int lock = -1;
    _cleanup_(qemu_record_freep) qemu_record *rec = NULL;
    int r = qemu_domain_begin(drv, name, op, &lock, &rec);
    if (r < 0)
        return r;
    r = qemu_domain_require_active(name, rec, pause ? "suspend" : "resume");
    if (r < 0)
        return r;
    r = qemu_domain_qmp(drv, name, rec, pause ? "stop" : "cont", NULL);
    if (r < 0)
        return r;
    rec->state = pause ? VP_DOMAIN_PAUSED : VP_DOMAIN_RUNNING;
    rec->reason = pause ? VP_DOMAIN_PAUSED_USER : VP_DOMAIN_RUNNING_UNPAUSED;
    rec->host_paused = false; /* the user's now: a host-suspend restore leaves it */
    return qemu_domain_write_record(drv, name, rec);
}

static int
qemu_domain_suspend(void *priv, const char *name, unsigned int flags)
{
    if (flags != 0)
        return vp_plugin_error_set(VP_ERR_INVALID_ARG, "unsupported suspend flags 0x%x", flags);
    return pause_or_continue(priv, name, true);
}

static int
qemu_domain_resume(void *priv, const char *name, unsigned int flags)
{
    if (flags != 0)
        return vp_plugin_error_set(VP_ERR_INVALID_ARG, "unsupported resume flags 0x%x", flags);
    return pause_or_continue(priv, name, false);
}

/* ---- snapshots (qemu-snapshot.c) --------------------------------------------- */

static int
slot_snapshot_create_xml(void *priv, const char *domain, const char *xml, unsigned int flags,
                         char **ret_name)
{
    /* Its disks would keep overlays nobody could revert to once it stops. */
    if (qemu_domain_name_valid(domain) && qemu_transient_is(priv, domain) &&
        qemu_domain_exists(priv, domain) >= 0)
        return vp_plugin_error_set(
            VP_ERR_OPERATION_INVALID,
            "cannot snapshot domain '%s': it is transient; define it to make it persistent first",
            domain);
    return qemu_snapshot_create(priv, domain, xml, flags, ret_name);
}

static int
slot_snapshot_list(void *priv, const char *domain, unsigned int flags, char ***ret_names)
{
    return qemu_snapshot_list(priv, domain, flags, ret_names);
}

static int
slot_snapshot_lookup(void *priv, const char *domain, const char *name, unsigned int flags)
{
    return qemu_snapshot_lookup(priv, domain, name, flags);
}

static int
slot_snapshot_delete(void *priv, const char *domain, const char *name, unsigned int flags)
{
    return qemu_snapshot_delete(priv, domain, name, flags);
}

static int
slot_snapshot_get_current(void *priv, const char *domain, unsigned int flags, char **ret_name)
{
    return qemu_snapshot_get_current(priv, domain, flags, ret_name);
}

static int
slot_snapshot_get_xml(void *priv, const char *domain, const char *name, unsigned int flags,
                      char **ret_xml)
{
    return qemu_snapshot_get_xml(priv, domain, name, flags, ret_xml);
}

/* A revert stops and starts the domain: looked at as the lifecycle slots
 * below are, so this connection's events keep their order. */
static int
slot_snapshot_revert(void *priv, const char *domain, const char *name, unsigned int flags)
{
    int r = qemu_snapshot_revert(priv, domain, name, flags);
    qemu_events_look(priv, domain, false);
    return r;
}

/* ---- the plugin ---------------------------------------------------------------- */

/* Each change this connection makes is looked at as soon as it is done,
 * so its events keep their order even when the next change follows at
 * once, before the application dispatched (qemu-events.c). A failed
 * change is looked at too: it may have found and recorded a crash. */
#define LOOKED_AT(slot)                                                                            \
    static int slot##_looked(void *priv, const char *name, unsigned int flags)                     \
    {                                                                                              \
        int r = slot(priv, name, flags);                                                           \
        qemu_events_look(priv, name, false);                                                       \
        return r;                                                                                  \
    }
LOOKED_AT(qemu_domain_undefine)
LOOKED_AT(qemu_domain_start)
LOOKED_AT(qemu_domain_shutdown)
LOOKED_AT(qemu_domain_destroy)
LOOKED_AT(qemu_domain_suspend)
LOOKED_AT(qemu_domain_resume)
LOOKED_AT(qemu_domain_reboot)
LOOKED_AT(qemu_domain_reset)
LOOKED_AT(qemu_domain_pm_wakeup)

/* A guest that suspends itself changes state after the call: looked at
 * all the same, as the other changes. */
static int
qemu_domain_pm_suspend_looked(void *priv, const char *name, unsigned int target,
                              unsigned long long duration, unsigned int flags)
{
    int r = qemu_domain_pm_suspend(priv, name, target, duration, flags);
    qemu_events_look(priv, name, false);
    return r;
}

static int
qemu_domain_define_model_looked(void *priv, const vp_domain_model *model, unsigned int flags,
                                char **ret_name)
{
    int r = qemu_domain_define_model(priv, model, flags, ret_name);
    if (r >= 0)
        qemu_events_look(priv, *ret_name, true);
    return r;
}

static const vp_hypervisor_driver qemu_hypervisor = {
    .conn_open = qemu_conn_open,
    .conn_close = qemu_conn_close,
    .conn_num_of_domains = qemu_conn_num_of_domains,
    .conn_list_domains = qemu_conn_list_domains,
    .domain_lookup = qemu_domain_lookup,
    .domain_define_model = qemu_domain_define_model_looked,
    .domain_undefine = qemu_domain_undefine_looked,
    .domain_start = qemu_domain_start_looked,
    .domain_shutdown = qemu_domain_shutdown_looked,
    .domain_destroy = qemu_domain_destroy_looked,
    .domain_suspend = qemu_domain_suspend_looked,
    .domain_resume = qemu_domain_resume_looked,
    .domain_get_state = qemu_domain_get_state,
    .domain_get_xml = qemu_domain_get_xml,
    .snapshot_create_xml = slot_snapshot_create_xml,
    .snapshot_list = slot_snapshot_list,
    .snapshot_lookup = slot_snapshot_lookup,
    .snapshot_delete = slot_snapshot_delete,
    .snapshot_get_xml = slot_snapshot_get_xml,
    .snapshot_get_current = slot_snapshot_get_current,
    .domain_get_guest_info = qemu_domain_get_guest_info,
    .conn_get_generation = qemu_conn_get_generation,
    .domain_get_uuid = qemu_slot_domain_get_uuid,
    .domain_lookup_by_uuid = qemu_slot_domain_lookup_by_uuid,
    .domain_lookup_by_id = qemu_slot_domain_lookup_by_id,
    .domain_get_id = qemu_slot_domain_get_id,
    .domain_get_info = qemu_slot_domain_get_info,
    .node_get_info = qemu_slot_node_get_info,
    .conn_get_hostname = qemu_slot_conn_get_hostname,
    .conn_cancel_jobs = qemu_conn_cancel_jobs,
    .event_open = qemu_event_open,
    .event_read = qemu_event_read,
    .event_close = qemu_event_close,
    .domain_get_time = qemu_domain_get_time,
    .domain_set_time = qemu_domain_set_time,
    .node_suspend_prepare = qemu_node_suspend_prepare,
    .node_suspend_restore = qemu_node_suspend_restore,
    .snapshot_revert = slot_snapshot_revert,
    .domain_open_console = qemu_domain_open_console,
    .domain_get_display_uri = qemu_domain_get_display_uri,
    .domain_get_stats = qemu_slot_domain_get_stats,
    .node_get_memory_stats = qemu_slot_node_get_memory_stats,
    .node_get_cpu_stats = qemu_slot_node_get_cpu_stats,
    .conn_get_sysinfo = qemu_slot_conn_get_sysinfo,
    .domain_reboot = qemu_domain_reboot_looked,
    .domain_reset = qemu_domain_reset_looked,
    .domain_set_autostart = qemu_domain_set_autostart,
    .domain_get_autostart = qemu_domain_get_autostart,
    .domain_agent_command = qemu_domain_agent_command,
    .domain_set_memory = qemu_domain_set_memory,
    .domain_set_vcpus = qemu_domain_set_vcpus,
    .domain_create_model = qemu_domain_create_model,
    .domain_is_persistent = qemu_domain_is_persistent,
    .domain_set_metadata = qemu_domain_set_metadata,
    .conn_get_capabilities = qemu_conn_get_capabilities,
    .conn_host_domain_capabilities = qemu_conn_host_domain_capabilities,
    .domain_save = qemu_domain_save,
    .domain_restore = qemu_domain_restore,
    .domain_managed_save = qemu_domain_managed_save,
    .domain_has_managed_save = qemu_domain_has_managed_save,
    .domain_managed_save_remove = qemu_domain_managed_save_remove,
    .conn_get_domain_states = qemu_conn_get_domain_states,
    .domain_save_image_get_xml = qemu_domain_save_image_get_xml,
    .domain_save_image_define_xml = qemu_domain_save_image_define_xml,
    .domain_managed_save_get_xml = qemu_domain_managed_save_get_xml,
    .domain_managed_save_define_xml = qemu_domain_managed_save_define_xml,
    .domain_fs_freeze = qemu_domain_fs_freeze,
    .domain_fs_thaw = qemu_domain_fs_thaw,
    .domain_pm_suspend = qemu_domain_pm_suspend_looked,
    .domain_pm_wakeup = qemu_domain_pm_wakeup_looked,
    .domain_update_device = qemu_domain_update_device,
};

/* What the driver supports of domain XML (qemu-caps.c). */
extern const vp_plugin_domain_cap qemu_domain_caps[];

VP_PLUGIN_DEFINE(qemu, .name = "qemu", .version = PACKAGE_VERSION, .license = "LGPL-2.1-or-later",
                 .description = "QEMU/KVM domains: QMP, guest agent, snapshots",
                 .package = "virtplug-plugin-qemu", .hypervisor = &qemu_hypervisor,
                 .hypervisor_size = sizeof(qemu_hypervisor), .domain_caps = qemu_domain_caps);
