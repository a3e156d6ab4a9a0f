/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-transient.c: transient domains of the QEMU driver (libvirt's
 * virDomainCreateXML), which exist only while they run.
 *
 * Owns the mark CONFIG/NAME.transient and the rule "transient and not
 * running means removed". A create writes the mark before anything else
 * (its intent), then the definition, then starts QEMU, all under one hold
 * of the domain's lock; a domain found stopped while marked (by the stop
 * itself, qemu_domain_mark_stopped, by the refresh of a later operation,
 * or by a listing) is removed, the mark last, so a process killed at any
 * step leaves, after the next operation, nothing of the domain or the
 * domain running as a transient one. The mark lives beside the definition,
 * not in the runtime directory, so that a host reboot (which may empty
 * that) leaves a mark to remove the domain by, never a persistent one.
 * It never removes a file a definition names (disks, an <nvram> path).
 */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "qemu-driver.h"
#include "qemu-snapshot.h"

#define MARK_SUFFIX QEMU_TRANSIENT_SUFFIX

static char *
mark_path(const qemu_driver *drv, const char *name)
{
    return vp_asprintf("%s/%s" MARK_SUFFIX, drv->config_dir, name);
}

bool
qemu_transient_is(const qemu_driver *drv, const char *name)
{
    _cleanup_free_ char *path = mark_path(drv, name);
    return access(path, F_OK) == 0;
}

static int
mark(const qemu_driver *drv, const char *name)
{
    _cleanup_free_ char *path = mark_path(drv, name);
    static const char text[] = "transient: removed when it stops (vp_domain_create_xml)\n";
    return vp_plugin_file_write_atomic(path, text, strlen(text), 0600);
}

int
qemu_transient_unmark(const qemu_driver *drv, const char *name)
{
    _cleanup_free_ char *path = mark_path(drv, name);
    return qemu_config_unlink(drv, path);
}

int
qemu_transient_reap(const qemu_driver *drv, const char *name, const qemu_record *rec)
{
    if (!qemu_domain_name_valid(name) || !qemu_transient_is(drv, name))
        return 0;
    _cleanup_(qemu_record_freep) qemu_record *own = NULL;
    if (!rec && qemu_domain_peek_record(drv, name, &own) >= 0)
        rec = own;
    if (rec && rec->active)
        return 0;
    VP_PLUGIN_DEBUG(QEMU_AREA, "transient domain '%s' is shut off: removing it", name);
    /* This connection's watch sees the stop (with its reason) before the
     * definition goes: stopped, then undefined, as libvirt reports. */
    qemu_events_look((qemu_driver *)drv, name, false);
    _cleanup_free_ char *dir = qemu_snapshot_dir(drv, name);
    rmdir(dir); /* a transient domain has no snapshots: an empty directory at most */
    qemu_record none = {0};
    qemu_domain_remove_runtime(drv, name, rec ? rec : &none);
    qemu_firmware_remove_own_vars(drv, name, true);
    qemu_tpm_remove_state(drv, name);
    qemu_step("transient: runtime files removed");
    int r = qemu_autostart_forget(drv, name);
    if (r >= 0)
        r = qemu_domain_delete_def(drv, name);
    if (r >= 0)
        qemu_step("transient: definition removed");
    if (r >= 0)
        r = qemu_transient_unmark(drv, name);
    return r < 0 ? r : 1;
}

void
qemu_transient_settle(const qemu_driver *drv, const char *name)
{
    if (!qemu_domain_name_valid(name) || !qemu_transient_is(drv, name))
        return;
    int fd = -1;
    if (qemu_lock_try(drv, name, &fd) <= 0)
        return; /* an operation holds it: it settles the domain itself */
    /* Errors here belong to no caller: the next operation meets them again. */
    vp_plugin_saved_error *saved = vp_plugin_error_save();
    qemu_record *rec = NULL;
    if (qemu_domain_settle_define(drv, name) >= 0 && qemu_domain_refresh(drv, name, &rec) >= 0)
        qemu_transient_reap(drv, name, rec);
    else
        qemu_transient_reap(drv, name, NULL);
    qemu_record_free(rec);
    vp_plugin_error_restore(saved);
    qemu_lock_release(fd);
}

void
qemu_transient_settle_all(const qemu_driver *drv, char *const *marked)
{
    char **names = NULL, **own = NULL;
    if (!marked) {
        if (qemu_domain_list_names_marked(drv, &names, &own) < 0)
            return;
        marked = own;
    }
    for (size_t i = 0; marked[i]; i++)
        qemu_transient_settle(drv, marked[i]);
    vp_strv_free(names);
    vp_strv_free(own);
}

/* Under the lock: mark, define, start. A failure removes what was made. */
static int
create_locked(qemu_driver *drv, const qemu_define_parts *d, unsigned int flags)
{
    const char *name = d->def->name;
    /* What a killed create or a stopped transient domain left goes first. */
    int r = qemu_domain_settle_define(drv, name);
    if (r >= 0)
        r = qemu_transient_reap(drv, name, NULL);
    if (r < 0)
        return r;
    _cleanup_free_ char *xml = qemu_domain_path(drv, name, ".xml");
    if (access(xml, F_OK) == 0 && qemu_domain_peek_active(drv, name))
        return vp_plugin_error_set(
            VP_ERR_EXISTS, "cannot create domain '%s': a domain of that name is running", name);
    if (access(xml, F_OK) == 0)
        return vp_plugin_error_set(
            VP_ERR_EXISTS,
            "cannot create domain '%s': a domain of that name is defined; start it, or undefine it first (the qemu driver does not run a created definition over a defined one)",
            name);
    r = mark(drv, name);
    if (r < 0)
        return r;
    qemu_step("create: transient mark written");
    r = qemu_define_write(drv, d, false);
    _cleanup_(qemu_record_freep) qemu_record *rec = NULL;
    if (r >= 0)
        r = qemu_domain_refresh(drv, name, &rec);
    if (r >= 0)
        r = qemu_domain_start_locked(drv, name, rec, flags);
    if (r < 0) {
        /* Why it failed, not what the removal met. */
        vp_plugin_saved_error *why = vp_plugin_error_save();
        qemu_transient_reap(drv, name, NULL);
        vp_plugin_error_restore(why);
        return r;
    }
    qemu_step("create: started");
    return 0;
}

int
qemu_domain_create_model(void *priv, const vp_domain_model *model, unsigned int flags,
                         char **ret_name)
{
    qemu_driver *drv = priv;
    if (flags & ~(unsigned)VP_DOMAIN_START_PAUSED)
        return vp_plugin_error_set(VP_ERR_INVALID_ARG, "unsupported create flags 0x%x", flags);
    _cleanup_(qemu_define_parts_free) qemu_define_parts d = {0};
    int r = qemu_define_prepare(drv, model, &d);
    if (r < 0)
        return r;
    const char *name = d.def->name;
    int fd = -1;
    r = qemu_lock_acquire(drv, name, "create", drv->lock_timeout_ms, &fd);
    if (r < 0)
        return r;
    r = create_locked(drv, &d, flags);
    if (fd >= 0)
        qemu_lock_release(fd);
    qemu_events_look(drv, name, true);
    if (r < 0)
        return r;
    VP_PLUGIN_DEBUG(QEMU_AREA, "created transient domain '%s'", name);
    *ret_name = vp_strdup(name);
    return 0;
}

int
qemu_domain_is_persistent(void *priv, const char *name, int *ret_persistent)
{
    qemu_driver *drv = priv;
    int r = qemu_domain_exists(drv, name);
    if (r < 0)
        return r;
    *ret_persistent = !qemu_transient_is(drv, name);
    return 0;
}
