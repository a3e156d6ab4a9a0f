/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-stop.c: the shutdown and destroy slots of the QEMU driver.
 *
 * Owns how a running domain is asked to stop (the ACPI power button or the
 * guest agent, and the optional wait for QEMU to go, done without the
 * domain's lock) and how it is stopped at once (destroy: the intent in the
 * record first, then QMP quit, SIGTERM and SIGKILL, or, graceful, never
 * SIGKILL), including a destroy that must win over another operation
 * holding the domain's lock.
 */
#include <config.h>

#include <signal.h>
#include <time.h>

#include "qemu-driver.h"
#include "qemu-snapshot.h"

/* Ask the guest to power off (the ACPI power button, or its agent's
 * guest-shutdown; with both flags the agent first and the button when the
 * agent cannot be reached, as libvirt) and return once QEMU or the agent
 * took the request, as libvirt does. With VP_DOMAIN_SHUTDOWN_WAIT, wait until
 * QEMU is gone, at most shutdown_timeout_ms, WITHOUT the domain's lock:
 * state queries, destroy and other connections go on meanwhile; the
 * record is settled under the lock afterwards. */
int
qemu_domain_shutdown(void *priv, const char *name, unsigned int flags)
{
    qemu_driver *drv = priv;
    const unsigned int agent = VP_DOMAIN_SHUTDOWN_GUEST_AGENT;
    const unsigned int acpi = VP_DOMAIN_SHUTDOWN_ACPI_POWER_BTN;
    if (flags & ~(unsigned)(VP_DOMAIN_SHUTDOWN_WAIT | agent | acpi))
        return vp_plugin_error_set(VP_ERR_INVALID_ARG, "unsupported shutdown flags 0x%x", flags);
    vp_plugin_process proc;
    bool transient = false;
    {
        _cleanup_domain_lock_ int lock = -1;
        _cleanup_(qemu_record_freep) qemu_record *rec = NULL;
        int r = qemu_domain_begin(drv, name, "shutdown", &lock, &rec);
        if (r < 0)
            return r;
        r = qemu_domain_require_active(name, rec, "shut down");
        if (r < 0)
            return r;
        r = -1;
        if (flags & agent) {
            r = qemu_agent_guest_shutdown(drv, name, rec, "powerdown");
            if (r < 0 && (flags & acpi))
                VP_PLUGIN_DEBUG(QEMU_AREA,
                                "domain '%s': the agent failed (%s), pressing the power button",
                                name, vp_error_last()->message);
            else if (r < 0)
                return r;
        }
        if (r < 0)
            r = qemu_domain_qmp(drv, name, rec, "system_powerdown", NULL);
        if (r < 0)
            return r;
        proc = rec->proc;
        transient = qemu_transient_is(drv, name);
    }
    if (!(flags & VP_DOMAIN_SHUTDOWN_WAIT))
        return 0;
    int r = qemu_job_wait_gone(drv, name, &proc, drv->shutdown_timeout_ms);
    if (r < 0)
        return r;
    if (r == 0)
        return vp_plugin_error_set(
            VP_ERR_TIMEOUT,
            "domain '%s' did not power off within %d ms after it was asked; the guest may ignore it: use destroy to stop it",
            name, drv->shutdown_timeout_ms);
    _cleanup_domain_lock_ int lock = -1;
    _cleanup_(qemu_record_freep) qemu_record *rec = NULL;
    r = qemu_domain_begin(drv, name, "shutdown", &lock, &rec);
    if (r == VP_ERR_NO_DOMAIN && transient)
        return 0; /* a transient domain that powered off is gone: its end */
    if (r < 0)
        return r;
    if (!rec->active && rec->reason == VP_DOMAIN_SHUTOFF_CRASHED)
        return vp_plugin_error_set(
            VP_ERR_OPERATION_INVALID,
            "QEMU of domain '%s' was killed while the guest shut down; the domain is shut off (crashed)",
            name);
    return 0;
}

/* Destroy must win over an operation that waits (a QMP command on a hung
 * QEMU, a save): while another operation holds the lock, QEMU is killed by
 * signals (its monitor may be busy), which ends that operation's wait, and
 * the record is settled under the lock. */

static bool
kill_while_busy(qemu_driver *drv, const char *name, bool graceful)
{
    _cleanup_(qemu_record_freep) qemu_record *rec = NULL;
    if (qemu_domain_peek_record(drv, name, &rec) < 0 || !rec->active || rec->starting ||
        !vp_plugin_process_is_alive(&rec->proc))
        return false;
    VP_PLUGIN_DEBUG(QEMU_AREA, "domain '%s' is busy: destroying QEMU %d by signals", name,
                    (int)rec->proc.pid);
    vp_plugin_process_signal(&rec->proc, SIGTERM);
    if (!vp_plugin_process_wait_gone(&rec->proc, graceful ? QEMU_GRACEFUL_WAIT_MS : 3000) &&
        !graceful)
        vp_plugin_process_signal(&rec->proc, SIGKILL);
    return vp_plugin_process_wait_gone(&rec->proc, graceful ? 0 : 10000);
}

int
qemu_domain_destroy(void *priv, const char *name, unsigned int flags)
{
    qemu_driver *drv = priv;
    if (flags & ~(unsigned)VP_DOMAIN_DESTROY_GRACEFUL)
        return vp_plugin_error_set(VP_ERR_INVALID_ARG, "unsupported destroy flags 0x%x", flags);
    bool graceful = flags & VP_DOMAIN_DESTROY_GRACEFUL;
    int r = qemu_domain_exists(drv, name);
    if (r < 0)
        return r;
    _cleanup_domain_lock_ int lock = -1;
    /* A watching process that records a QMP event, or a state query, holds
     * the lock for a few milliseconds and says nothing of itself: destroy
     * waits for it (up to destroy_grace_ms), so that the destroy is
     * recorded as one (its intent first) and not as QEMU ending on its
     * own. An operation's owner record (qemu-lock.c) means busy now. */
    r = 0;
    for (int waited = 0; r == 0 && waited <= drv->destroy_grace_ms; waited += 5) {
        r = qemu_lock_try(drv, name, &lock);
        if (r == 0 && qemu_lock_held_by_operation(drv, name))
            break;
        if (r == 0)
            nanosleep(&(struct timespec){.tv_nsec = 5 * 1000 * 1000}, NULL);
    }
    if (r < 0)
        return r;
    bool killed = r == 0 && kill_while_busy(drv, name, graceful);
    if (lock < 0) {
        r = qemu_lock_acquire(drv, name, "destroy", drv->lock_timeout_ms, &lock);
        if (r < 0)
            return r;
    }
    _cleanup_(qemu_record_freep) qemu_record *rec = NULL;
    r = qemu_domain_settle_define(drv, name);
    if (r >= 0)
        r = qemu_domain_refresh(drv, name, &rec);
    /* While QEMU still runs, query-block can tell what an interrupted
     * snapshot left; after the kill only the files could. */
    if (r >= 0)
        r = qemu_snapshot_recover(drv, name, rec);
    if (r < 0)
        return r;
    if (!killed) {
        r = qemu_domain_require_active(name, rec, "destroy");
        if (r < 0)
            return r;
    }
    if (rec->active) {
        /* The intent: if this process dies before the record says shut
         * off, the next operation still records 'destroyed'. */
        rec->stop_reason = VP_DOMAIN_SHUTOFF_DESTROYED;
        r = qemu_domain_write_record(drv, name, rec);
        if (r < 0)
            return r;
        qemu_step("destroy: intent written");
        /* A graceful destroy that QEMU outlives leaves the intent: the
         * SIGTERM it sent is what ends QEMU when it does. */
        r = graceful ? qemu_process_terminate(drv, name, rec) : qemu_process_kill(drv, name, rec);
        if (r < 0)
            return r;
        qemu_step("destroy: QEMU gone");
    }
    return qemu_domain_mark_stopped(drv, name, rec, VP_DOMAIN_SHUTOFF_DESTROYED);
}
