/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-host-suspend.c: the QEMU domains around a host suspend (the
 * node_suspend_prepare and node_suspend_restore slots).
 *
 * Owns which domains the driver paused for a host suspend: prepare marks a
 * running domain in its runtime record (host_paused) before the QMP stop,
 * so a kill between the two leaves a mark on a domain that still runs,
 * which restore's cont then leaves running; restore resumes exactly the
 * marked domains (cont), sets each guest's clock from the host's through
 * its agent (guest-set-time) and, for an x86 RTC that catches up lost
 * ticks, resets that catch-up (rtc-reset-reinjection); then clears the
 * mark. A domain the user paused is never marked, so it stays paused; a
 * user's suspend or resume clears the mark. Each domain is handled under
 * its own lock, one after the other; one that fails is reported, never
 * fatal. It never decides when the host sleeps (the core does).
 */
#include <config.h>

#include <string.h>
#include <time.h>

#include "qemu-driver.h"
#include "qemu-devices.h"
#include "qemu-monitor.h"

typedef struct guest_list {
    vp_plugin_suspend_guest **v;
    size_t n;
} guest_list;

/* Add an entry; @message is taken over (may be NULL). */
static void
list_add(guest_list *l, const char *name, unsigned int done, int code, char *message)
{
    l->v = vp_renew(vp_plugin_suspend_guest *, l->v, l->n + 2);
    vp_plugin_suspend_guest *g = vp_new0(vp_plugin_suspend_guest, 1);
    g->name = vp_strdup(name);
    g->done = done;
    g->error_code = code;
    g->message = message;
    l->v[l->n++] = g;
    l->v[l->n] = NULL;
}

static int
list_hand_out(guest_list *l, vp_plugin_suspend_guest ***ret_guests)
{
    if (!l->v)
        l->v = vp_new0(vp_plugin_suspend_guest *, 1);
    *ret_guests = l->v;
    return (int)l->n;
}

/* The message of the error just set, as an entry's (transfer full). */
static char *
last_message(void)
{
    const vp_error *e = vp_error_last();
    return vp_strdup(e && e->message ? e->message : "unknown error");
}

/* ---- prepare ---------------------------------------------------------- */

static const char *
run_status(qemu_monitor *mon)
{
    json_object *ret = NULL, *status;
    if (qemu_monitor_command(mon, "query-status", NULL, QEMU_MONITOR_TIMEOUT_MS, &ret) < 0)
        return NULL;
    static __thread char buf[32];
    snprintf(buf, sizeof(buf), "%s",
             json_object_object_get_ex(ret, "status", &status) ? json_object_get_string(status)
                                                               : "");
    json_object_put(ret);
    return buf;
}

/* Pause one running domain, under its lock; the mark is written first. */
static void
prepare_locked(qemu_driver *drv, const char *name, qemu_record *rec, guest_list *l)
{
    qemu_monitor *mon = NULL;
    int r = qemu_monitor_open(rec->qmp_path, QEMU_MONITOR_TIMEOUT_MS, &mon);
    const char *status = r >= 0 ? run_status(mon) : NULL;
    if (!status) {
        list_add(l, name, VP_NODE_SUSPEND_GUEST_PAUSE_FAILED, vp_error_last()->code,
                 last_message());
        qemu_monitor_close(mon);
        return;
    }
    if (strcmp(status, "running") != 0 && !rec->host_paused) {
        /* Paused by its user (or not running a guest at all): left alone. */
        qemu_monitor_close(mon);
        list_add(l, name, VP_NODE_SUSPEND_GUEST_WAS_PAUSED, 0, NULL);
        return;
    }
    rec->host_paused = true;
    rec->state = VP_DOMAIN_PAUSED;
    rec->reason = VP_DOMAIN_PAUSED_UNKNOWN;
    r = qemu_domain_write_record(drv, name, rec);
    if (r >= 0) {
        qemu_step("host suspend: domain marked, not yet stopped");
        r = qemu_monitor_command(mon, "stop", NULL, QEMU_MONITOR_TIMEOUT_MS, NULL);
    }
    qemu_monitor_close(mon);
    if (r >= 0) {
        qemu_step("host suspend: domain stopped");
        list_add(l, name, VP_NODE_SUSPEND_GUEST_PAUSED, 0, NULL);
        return;
    }
    char *why = last_message();
    rec->host_paused = false;
    rec->state = VP_DOMAIN_RUNNING;
    rec->reason = VP_DOMAIN_RUNNING_UNKNOWN;
    (void)qemu_domain_write_record(drv, name, rec);
    list_add(l, name, VP_NODE_SUSPEND_GUEST_PAUSE_FAILED, r, why);
}

/* ---- restore ------------------------------------------------------------ */

/* Whether QEMU re-injects the RTC ticks the paused guest missed: an x86
 * guest whose <clock> asks for the RTC's catch-up policy. */
static bool
rtc_catches_up(const qemu_driver *drv, const char *name)
{
    /* The extras (JSON) first: parsing the definition is the dearer read. */
    _cleanup_(json_object_putp) json_object *tree = NULL;
    if (qemu_domain_load_extras(drv, name, &tree) < 0 || !qemu_devices_rtc_catchup(tree))
        return false;
    vp_domain_def *def = NULL;
    if (qemu_domain_load_def(drv, name, &def) < 0)
        return false;
    const char *arch = def->os_arch ? def->os_arch : "x86_64";
    bool x86 = strcmp(arch, "x86_64") == 0 || strcmp(arch, "i686") == 0;
    vp_plugin_domain_def_free(def);
    return x86;
}

static void
note(char **message, const char *what, const char *why)
{
    char *joined = *message ? vp_asprintf("%s; %s: %s", *message, what, why)
                            : vp_asprintf("%s: %s", what, why);
    free(*message);
    *message = joined;
}

/* The guest's clock after cont: rtc-reset-reinjection, then the agent. */
static unsigned int
restore_clock(qemu_driver *drv, const char *name, qemu_record *rec, qemu_monitor *mon,
              char **message, int *code)
{
    unsigned int done = 0;
    if (rtc_catches_up(drv, name)) {
        if (qemu_monitor_command(mon, "rtc-reset-reinjection", NULL, QEMU_MONITOR_TIMEOUT_MS,
                                 NULL) >= 0) {
            done |= VP_NODE_SUSPEND_GUEST_RTC_REINJECTION_RESET;
        } else {
            _cleanup_free_ char *why = last_message();
            note(message, "RTC catch-up not reset", why);
        }
    }
    if (!rec->agent_path) {
        note(message, "clock not set", "no guest agent channel");
        return done | VP_NODE_SUSPEND_GUEST_CLOCK_NOT_SET;
    }
    if (qemu_time_agent_set(drv, name, rec, true, 0) < 0) {
        _cleanup_free_ char *why = last_message();
        *code = vp_error_last()->code;
        note(message, "clock not set", why);
        return done | VP_NODE_SUSPEND_GUEST_CLOCK_NOT_SET;
    }
    return done | VP_NODE_SUSPEND_GUEST_CLOCK_SET;
}

/* Resume one marked domain, under its lock, and clear its mark. */
static void
restore_locked(qemu_driver *drv, const char *name, qemu_record *rec, guest_list *l)
{
    if (!rec->active) {
        rec->host_paused = false;
        (void)qemu_domain_write_record(drv, name, rec);
        list_add(
            l, name, VP_NODE_SUSPEND_GUEST_RESUME_FAILED, VP_ERR_OPERATION_INVALID,
            vp_asprintf("QEMU of domain '%s' exited while the host slept; the domain is shut off",
                        name));
        return;
    }
    qemu_monitor *mon = NULL;
    int r = qemu_monitor_open(rec->qmp_path, QEMU_MONITOR_TIMEOUT_MS, &mon);
    if (r >= 0)
        r = qemu_monitor_command(mon, "cont", NULL, QEMU_MONITOR_TIMEOUT_MS, NULL);
    if (r < 0) {
        char *why = last_message();
        qemu_monitor_close(mon);
        rec->host_paused = false;
        /* A transient domain is gone once recorded stopped: nothing to write. */
        if (!vp_plugin_process_is_alive(&rec->proc))
            qemu_domain_mark_stopped(drv, name, rec, VP_DOMAIN_SHUTOFF_CRASHED);
        else
            (void)qemu_domain_write_record(drv, name, rec);
        list_add(l, name, VP_NODE_SUSPEND_GUEST_RESUME_FAILED, r, why);
        return;
    }
    qemu_step("host suspend: domain continued, mark not yet cleared");
    rec->host_paused = false;
    rec->state = VP_DOMAIN_RUNNING;
    rec->reason = VP_DOMAIN_RUNNING_UNPAUSED;
    char *message = NULL;
    int code = 0;
    if (qemu_domain_write_record(drv, name, rec) < 0) {
        _cleanup_free_ char *why = last_message();
        note(&message, "record not updated", why);
    }
    unsigned int done = VP_NODE_SUSPEND_GUEST_RESUMED;
    done |= restore_clock(drv, name, rec, mon, &message, &code);
    qemu_monitor_close(mon);
    list_add(l, name, done, code, message);
}

/* ---- the slots ----------------------------------------------------------- */

/* Prepare (or restore) every domain that is running (or marked), each
 * under its own lock, one after the other. */
static int
each_domain(qemu_driver *drv, bool prepare, vp_plugin_suspend_guest ***ret_guests)
{
    _cleanup_strv_free_ char **names = NULL;
    int n = qemu_domain_list_names(drv, &names);
    if (n < 0)
        return n;
    guest_list l = {0};
    for (int i = 0; i < n; i++) {
        _cleanup_(qemu_record_freep) qemu_record *peek = NULL;
        if (qemu_domain_peek_record(drv, names[i], &peek) < 0 ||
            !(prepare ? peek->active : peek->host_paused))
            continue;
        _cleanup_domain_lock_ int lock = -1;
        _cleanup_(qemu_record_freep) qemu_record *rec = NULL;
        if (qemu_domain_begin(drv, names[i], "nodesuspend", &lock, &rec) < 0)
            list_add(&l, names[i],
                     prepare ? VP_NODE_SUSPEND_GUEST_PAUSE_FAILED
                             : VP_NODE_SUSPEND_GUEST_RESUME_FAILED,
                     vp_error_last()->code, last_message());
        else if (prepare && rec->active)
            prepare_locked(drv, names[i], rec, &l);
        else if (!prepare && rec->host_paused)
            restore_locked(drv, names[i], rec, &l);
    }
    return list_hand_out(&l, ret_guests);
}

int
qemu_node_suspend_prepare(void *priv, unsigned int flags, vp_plugin_suspend_guest ***ret_guests)
{
    if (flags & ~VP_NODE_SUSPEND_GUESTS_PAUSE)
        return vp_plugin_error_set(VP_ERR_INVALID_ARG, "unsupported prepare flags 0x%x", flags);
    return each_domain(priv, true, ret_guests);
}

int
qemu_node_suspend_restore(void *priv, unsigned int flags, vp_plugin_suspend_guest ***ret_guests)
{
    if (flags != 0)
        return vp_plugin_error_set(VP_ERR_INVALID_ARG, "unsupported restore flags 0x%x", flags);
    return each_domain(priv, false, ret_guests);
}
