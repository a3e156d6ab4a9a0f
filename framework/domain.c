/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * domain.c: the public domain calls.
 *
 * Owns vp_domain handles (a connection reference and a name) and the
 * entry points that check their arguments, reset the thread's error and
 * call the hypervisor driver's slot, or report it unsupported. No driver
 * logic lives here.
 */
#include <config.h>

#include <time.h>

#include "internal.h"

vp_domain *
vpi_domain_new(vp_conn *conn, const char *name)
{
    vp_domain *dom = vp_new0(vp_domain, 1);
    dom->conn = vpi_conn_ref(conn);
    dom->name = vp_strdup(name);
    return dom;
}

VP_EXPORT void
vp_domain_free(vp_domain *dom)
{
    if (!dom)
        return;
    vpi_conn_unref(dom->conn);
    free(dom->name);
    free(dom);
}

VP_EXPORT void
vp_domain_list_free(vp_domain **domains)
{
    if (!domains)
        return;
    for (vp_domain **d = domains; *d; d++)
        vp_domain_free(*d);
    free(domains);
}

VP_EXPORT const char *
vp_domain_get_name(vp_domain *dom)
{
    return dom ? dom->name : NULL;
}

VP_EXPORT vp_conn *
vp_domain_get_conn(vp_domain *dom)
{
    return dom ? dom->conn : NULL;
}

VP_EXPORT int
vp_domain_lookup_by_name(vp_conn *conn, const char *name, vp_domain **ret_dom)
{
    VPI_ERROR_RESET();
    vp_return_if_fail(conn, "conn");
    vp_return_if_fail(name, "name");
    vp_return_if_fail(ret_dom, "ret_dom");
    VPI_HV_SLOT(conn, domain_lookup, "domain-lookup-by-name");
    int r = vpi_slot_result(conn->hv_plugin, "domain-lookup-by-name",
                            conn->hv->domain_lookup(conn->hv_priv, name));
    if (r < 0)
        return r;
    *ret_dom = vpi_domain_new(conn, name);
    return vpi_result(0);
}

VP_EXPORT int
vp_domain_define_xml(vp_conn *conn, const char *xml, unsigned int flags, vp_domain **ret_dom)
{
    VPI_ERROR_RESET();
    vp_return_if_fail(conn, "conn");
    vp_return_if_fail(xml, "xml");
    char *name = NULL;
    int r = vpi_conn_define(conn, xml, flags, &name);
    if (r < 0)
        return r;
    if (ret_dom)
        *ret_dom = vpi_domain_new(conn, name);
    free(name);
    return vpi_result(0);
}

/* The calls that take a domain and flags and return a status:
 * vp_domain_undefine, vp_domain_start, vp_domain_shutdown,
 * vp_domain_destroy, vp_domain_suspend and vp_domain_resume. */
#define DOMAIN_SIMPLE_CALL(fn, slot, op)                                                           \
    VP_EXPORT int fn(vp_domain *dom, unsigned int flags)                                           \
    {                                                                                              \
        VPI_ERROR_RESET();                                                                         \
        vp_return_if_fail(dom, "dom");                                                             \
        VPI_HV_SLOT(dom->conn, slot, op);                                                          \
        return vpi_result(vpi_slot_result(                                                         \
            dom->conn->hv_plugin, op, dom->conn->hv->slot(dom->conn->hv_priv, dom->name, flags))); \
    }

DOMAIN_SIMPLE_CALL(vp_domain_undefine, domain_undefine, "domain-undefine")
DOMAIN_SIMPLE_CALL(vp_domain_start, domain_start, "domain-start")
DOMAIN_SIMPLE_CALL(vp_domain_shutdown, domain_shutdown, "domain-shutdown")
DOMAIN_SIMPLE_CALL(vp_domain_destroy, domain_destroy, "domain-destroy")
DOMAIN_SIMPLE_CALL(vp_domain_suspend, domain_suspend, "domain-suspend")
DOMAIN_SIMPLE_CALL(vp_domain_resume, domain_resume, "domain-resume")

VP_EXPORT int
vp_domain_get_state(vp_domain *dom, int *ret_state, int *ret_reason, unsigned int flags)
{
    VPI_ERROR_RESET();
    vp_return_if_fail(dom, "dom");
    vp_return_if_fail(ret_state, "ret_state");
    VPI_HV_SLOT(dom->conn, domain_get_state, "domain-get-state");
    int state, reason = 0;
    int r = vpi_slot_result(
        dom->conn->hv_plugin, "domain-get-state",
        dom->conn->hv->domain_get_state(dom->conn->hv_priv, dom->name, &state, &reason, flags));
    if (r < 0)
        return r;
    *ret_state = state;
    if (ret_reason)
        *ret_reason = reason;
    return vpi_result(0);
}

VP_EXPORT int
vp_domain_get_xml(vp_domain *dom, unsigned int flags, char **ret_xml)
{
    VPI_ERROR_RESET();
    vp_return_if_fail(dom, "dom");
    vp_return_if_fail(ret_xml, "ret_xml");
    VPI_HV_SLOT(dom->conn, domain_get_xml, "domain-get-xml");
    return vpi_result(vpi_slot_result(
        dom->conn->hv_plugin, "domain-get-xml",
        dom->conn->hv->domain_get_xml(dom->conn->hv_priv, dom->name, flags, ret_xml)));
}

VP_EXPORT int
vp_domain_get_guest_info(vp_domain *dom, unsigned int flags, char **ret_json)
{
    VPI_ERROR_RESET();
    vp_return_if_fail(dom, "dom");
    vp_return_if_fail(ret_json, "ret_json");
    VPI_HV_SLOT(dom->conn, domain_get_guest_info, "domain-get-guest-info");
    char *json = NULL;
    int r = vpi_slot_result(
        dom->conn->hv_plugin, "domain-get-guest-info",
        dom->conn->hv->domain_get_guest_info(dom->conn->hv_priv, dom->name, flags, &json));
    if (r < 0)
        return r;
    *ret_json = json;
    return vpi_result(0);
}

VP_EXPORT int
vp_domain_get_time(vp_domain *dom, long long *ret_seconds, unsigned int *ret_nseconds,
                   unsigned int flags)
{
    VPI_ERROR_RESET();
    vp_return_if_fail(dom, "dom");
    vp_return_if_fail(ret_seconds, "ret_seconds");
    vp_return_if_fail(ret_nseconds, "ret_nseconds");
    if (flags != 0)
        return vp_error_set(VP_ERR_INVALID_ARG, "vp_domain_get_time: unsupported flags 0x%x",
                            flags);
    VPI_HV_SLOT(dom->conn, domain_get_time, "domain-get-time");
    long long seconds = 0;
    unsigned int nseconds = 0;
    int r = vpi_slot_result(
        dom->conn->hv_plugin, "domain-get-time",
        dom->conn->hv->domain_get_time(dom->conn->hv_priv, dom->name, &seconds, &nseconds, flags));
    if (r < 0)
        return r;
    *ret_seconds = seconds;
    *ret_nseconds = nseconds;
    return vpi_result(0);
}

VP_EXPORT int
vp_domain_set_time(vp_domain *dom, long long seconds, unsigned int nseconds, unsigned int flags)
{
    VPI_ERROR_RESET();
    vp_return_if_fail(dom, "dom");
    if (flags & ~VP_DOMAIN_TIME_SYNC)
        return vp_error_set(VP_ERR_INVALID_ARG, "vp_domain_set_time: unsupported flags 0x%x",
                            flags);
    if (flags & VP_DOMAIN_TIME_SYNC) {
        struct timespec now;
        clock_gettime(CLOCK_REALTIME, &now);
        seconds = now.tv_sec;
        nseconds = (unsigned int)now.tv_nsec;
    } else if (seconds < 0) {
        return vp_error_set(VP_ERR_INVALID_ARG,
                            "cannot set a guest's clock to %lld s: before the epoch", seconds);
    } else if (nseconds >= 1000000000u) {
        return vp_error_set(VP_ERR_INVALID_ARG,
                            "nseconds is %u; it must be below 1000000000 (one second)", nseconds);
    }
    VPI_HV_SLOT(dom->conn, domain_set_time, "domain-set-time");
    return vpi_result(vpi_slot_result(
        dom->conn->hv_plugin, "domain-set-time",
        dom->conn->hv->domain_set_time(dom->conn->hv_priv, dom->name, seconds, nseconds, flags)));
}

VP_EXPORT const char *
vp_domain_state_name(int state)
{
    static const char *const names[] = {"no state",    "running",  "idle",    "paused",
                                        "in shutdown", "shut off", "crashed", "pmsuspended"};
    return state >= 0 && state < VP_DOMAIN_LAST ? names[state] : "unknown";
}

VP_EXPORT const char *
vp_domain_state_reason_name(int state, int reason)
{
    static const char *const running[] = {
        "unknown",       "booted",   "migrated",           "restored",
        "from snapshot", "unpaused", "migration canceled", "save canceled",
        "event wakeup"};
    static const char *const paused[] = {
        "unknown",   "user",       "migrating",     "saving",        "dumping",
        "I/O error", "watchdog",   "from snapshot", "shutting down", "creating snapshot",
        "crashed",   "starting up"};
    static const char *const shutdown[] = {"unknown", "user"};
    static const char *const shutoff[] = {"unknown",  "shutdown", "destroyed", "crashed",
                                          "migrated", "saved",    "failed",    "from snapshot"};
    static const char *const crashed[] = {"unknown", "panicked"};
#define PICK(tab)                                                                                  \
    (reason >= 0 && (size_t)reason < sizeof(tab) / sizeof(tab[0]) ? tab[reason] : "unknown")
    switch (state) {
    case VP_DOMAIN_RUNNING:
        return PICK(running);
    case VP_DOMAIN_PAUSED:
        return PICK(paused);
    case VP_DOMAIN_SHUTDOWN:
        return PICK(shutdown);
    case VP_DOMAIN_SHUTOFF:
        return PICK(shutoff);
    case VP_DOMAIN_CRASHED:
        return PICK(crashed);
    default:
        return "unknown";
    }
#undef PICK
}
