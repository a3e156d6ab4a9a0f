/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * domain.c: the public domain calls.
 *
 * Owns vp_domain handles (a connection reference, a name and the UUID the
 * handle was made for) and the entry points that check their arguments,
 * reset the thread's error, check that the handle still names its domain
 * (vpi_domain_check: a handle never acts on another domain that took its
 * name) and call the hypervisor driver's slot, or report it unsupported.
 * No driver logic lives here.
 */
#include <config.h>

#include <virtplug/sdk/conf.h>
#include <time.h>

#include "internal.h"
#include "node-info.h"

vp_domain *
vpi_domain_new(vp_conn *conn, const char *name)
{
    vp_domain *dom = vp_new0(vp_domain, 1);
    dom->conn = vpi_conn_ref(conn);
    dom->name = vp_strdup(name);
    return dom;
}

int
vpi_domain_make(vp_conn *conn, const char *name, vp_domain **ret_dom)
{
    unsigned char uuid[16];
    bool has_uuid = conn->hv->domain_get_uuid != NULL;
    /* Read before the UUID: the handle is checked as of this generation. */
    uint64_t gen = conn->hv->conn_get_generation ? conn->hv->conn_get_generation(conn->hv_priv) : 0;
    if (has_uuid) {
        int r = vpi_slot_result(conn->hv_plugin, "domain-get-uuid",
                                conn->hv->domain_get_uuid(conn->hv_priv, name, uuid));
        if (r < 0)
            return r;
    }
    vp_domain *dom = vpi_domain_new(conn, name);
    if (has_uuid) {
        dom->has_uuid = true;
        memcpy(dom->uuid, uuid, sizeof(uuid));
        atomic_init(&dom->checked_generation, gen);
    }
    *ret_dom = dom;
    return 0;
}

vp_domain *
vpi_domain_copy(const vp_domain *dom)
{
    vp_domain *copy = vpi_domain_new(dom->conn, dom->name);
    copy->has_uuid = dom->has_uuid;
    memcpy(copy->uuid, dom->uuid, sizeof(copy->uuid));
    atomic_init(&copy->checked_generation,
                atomic_load_explicit(&dom->checked_generation, memory_order_relaxed));
    return copy;
}

int
vpi_domain_verify(vp_domain *dom, uint64_t generation)
{
    vp_conn *conn = dom->conn;
    unsigned char now[16];
    int r = vpi_slot_result(conn->hv_plugin, "domain-get-uuid",
                            conn->hv->domain_get_uuid(conn->hv_priv, dom->name, now));
    if (r < 0)
        return r;
    if (memcmp(now, dom->uuid, sizeof(now)) != 0) {
        char was[37], is[37];
        vp_plugin_uuid_format(dom->uuid, was);
        vp_plugin_uuid_format(now, is);
        return vp_plugin_error_stale_handle(dom->name, was, is);
    }
    /* @generation was read before the driver was asked: a change after
     * that read moves it, and the next call checks again. */
    atomic_store_explicit(&dom->checked_generation, generation, memory_order_relaxed);
    return 0;
}

static __thread char *call_name; /* of the current call's handle; kept for the next */
static __thread size_t call_name_size;
static __thread unsigned char call_uuid[16];
static pthread_key_t call_name_key;
static pthread_once_t call_name_once = PTHREAD_ONCE_INIT;

static void
call_name_key_init(void)
{
    /* Frees a thread's copy of the name when the thread exits. */
    (void)pthread_key_create(&call_name_key, free);
}

void
vpi_call_handle_set(const vp_domain *dom)
{
    size_t n = strlen(dom->name) + 1;
    if (n > call_name_size) {
        pthread_once(&call_name_once, call_name_key_init);
        free(call_name);
        call_name = vp_new0(char, n);
        call_name_size = n;
        (void)pthread_setspecific(call_name_key, call_name);
    }
    memcpy(call_name, dom->name, n);
    memcpy(call_uuid, dom->uuid, sizeof(call_uuid));
    vpi_call_handle_valid = true;
}

VP_EXPORT bool
vp_plugin_call_domain_uuid(const char *name, unsigned char ret_uuid[16])
{
    if (!vpi_call_handle_valid || !name || !ret_uuid || strcmp(name, call_name) != 0)
        return false;
    memcpy(ret_uuid, call_uuid, sizeof(call_uuid));
    return true;
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
    VPI_RETURN_IF_NO_CONN(conn);
    vp_return_if_fail(name, "name");
    vp_return_if_fail(ret_dom, "ret_dom");
    if (conn->hv->domain_get_uuid)
        return vpi_result(vpi_domain_make(conn, name, ret_dom));
    VPI_HV_SLOT(conn, domain_lookup, "domain-lookup-by-name");
    int r = vpi_slot_result(conn->hv_plugin, "domain-lookup-by-name",
                            conn->hv->domain_lookup(conn->hv_priv, name));
    if (r < 0)
        return r;
    *ret_dom = vpi_domain_new(conn, name);
    return vpi_result(0);
}

/* A handle for the domain a lookup slot named (@name, malloc()ed, freed
 * here). */
static int
domain_from_lookup(vp_conn *conn, int r, char *name, vp_domain **ret_dom)
{
    if (r >= 0)
        r = vpi_domain_make(conn, name, ret_dom);
    free(name);
    return vpi_result(r < 0 ? r : 0);
}

VP_EXPORT int
vp_domain_lookup_by_uuid_string(vp_conn *conn, const char *uuid, vp_domain **ret_dom)
{
    VPI_ERROR_RESET();
    VPI_RETURN_IF_NO_CONN(conn);
    vp_return_if_fail(uuid, "uuid");
    vp_return_if_fail(ret_dom, "ret_dom");
    unsigned char raw[16];
    if (vp_plugin_uuid_parse(uuid, raw) < 0)
        return vp_error_set(VP_ERR_INVALID_ARG,
                            "'%s' is not a UUID: write it as xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx",
                            uuid);
    VPI_HV_SLOT(conn, domain_lookup_by_uuid, "domain-lookup-by-uuid");
    char *name = NULL;
    int r = vpi_slot_result(conn->hv_plugin, "domain-lookup-by-uuid",
                            conn->hv->domain_lookup_by_uuid(conn->hv_priv, raw, &name));
    return domain_from_lookup(conn, r, name, ret_dom);
}

VP_EXPORT int
vp_domain_lookup_by_id(vp_conn *conn, int id, vp_domain **ret_dom)
{
    VPI_ERROR_RESET();
    VPI_RETURN_IF_NO_CONN(conn);
    vp_return_if_fail(ret_dom, "ret_dom");
    if (id < 0)
        return vp_error_set(VP_ERR_INVALID_ARG,
                            "invalid domain id %d: ids of running domains are 0 or more", id);
    VPI_HV_SLOT(conn, domain_lookup_by_id, "domain-lookup-by-id");
    char *name = NULL;
    int r = vpi_slot_result(conn->hv_plugin, "domain-lookup-by-id",
                            conn->hv->domain_lookup_by_id(conn->hv_priv, id, &name));
    return domain_from_lookup(conn, r, name, ret_dom);
}

VP_EXPORT int
vp_domain_get_uuid_string(vp_domain *dom, char *ret_uuid)
{
    VPI_ERROR_RESET();
    VPI_RETURN_IF_NO_DOM(dom);
    vp_return_if_fail(ret_uuid, "ret_uuid");
    if (!dom->has_uuid)
        return vpi_not_supported(dom->conn->hv_plugin, "domain-get-uuid");
    vp_plugin_uuid_format(dom->uuid, ret_uuid);
    return 0;
}

VP_EXPORT int
vp_domain_get_id(vp_domain *dom, int *ret_id)
{
    VPI_ERROR_RESET();
    VPI_RETURN_IF_NO_DOM(dom);
    vp_return_if_fail(ret_id, "ret_id");
    VPI_HV_SLOT(dom->conn, domain_get_id, "domain-get-id");
    VPI_DOMAIN_CHECK(dom);
    int id = -1;
    int r = vpi_slot_result(dom->conn->hv_plugin, "domain-get-id",
                            dom->conn->hv->domain_get_id(dom->conn->hv_priv, dom->name, &id));
    if (r < 0)
        return r;
    *ret_id = id < 0 ? -1 : id;
    return vpi_result(0);
}

/* vp_domain_define_xml and vp_domain_create_xml: the core's define path
 * with @create's slots (caps.c). */
static int
domain_from_xml(vp_conn *conn, const char *xml, unsigned int flags, bool create,
                vp_domain **ret_dom)
{
    VPI_ERROR_RESET();
    VPI_RETURN_IF_NO_CONN(conn);
    vp_return_if_fail(xml, "xml");
    char *name = NULL;
    int r = create ? vpi_conn_create(conn, xml, flags, &name)
                   : vpi_conn_define(conn, xml, flags, &name);
    if (r >= 0 && ret_dom)
        r = vpi_domain_make(conn, name, ret_dom);
    free(name);
    return vpi_result(r < 0 ? r : 0);
}

VP_EXPORT int
vp_domain_define_xml(vp_conn *conn, const char *xml, unsigned int flags, vp_domain **ret_dom)
{
    return domain_from_xml(conn, xml, flags, false, ret_dom);
}

VP_EXPORT int
vp_domain_create_xml(vp_conn *conn, const char *xml, unsigned int flags, vp_domain **ret_dom)
{
    return domain_from_xml(conn, xml, flags, true, ret_dom);
}

VP_EXPORT int
vp_domain_is_persistent(vp_domain *dom)
{
    VPI_ERROR_RESET();
    VPI_RETURN_IF_NO_DOM(dom);
    VPI_DOMAIN_CHECK(dom);
    if (!dom->conn->hv->domain_is_persistent)
        return vpi_result(1);
    int persistent = 1;
    int r = vpi_slot_result(
        dom->conn->hv_plugin, "domain-is-persistent",
        dom->conn->hv->domain_is_persistent(dom->conn->hv_priv, dom->name, &persistent));
    return vpi_result(r < 0 ? r : persistent ? 1 : 0);
}

/* The calls that take a domain and flags and return a status:
 * vp_domain_undefine, vp_domain_start, vp_domain_shutdown,
 * vp_domain_destroy, vp_domain_suspend, vp_domain_resume and
 * vp_domain_reset. */
#define DOMAIN_SIMPLE_CALL(fn, slot, op)                                                           \
    VP_EXPORT int fn(vp_domain *dom, unsigned int flags)                                           \
    {                                                                                              \
        VPI_ERROR_RESET();                                                                         \
        VPI_RETURN_IF_NO_DOM(dom);                                                                 \
        VPI_HV_SLOT(dom->conn, slot, op);                                                          \
        VPI_DOMAIN_CHECK(dom);                                                                     \
        return vpi_result(vpi_slot_result(                                                         \
            dom->conn->hv_plugin, op, dom->conn->hv->slot(dom->conn->hv_priv, dom->name, flags))); \
    }

DOMAIN_SIMPLE_CALL(vp_domain_undefine, domain_undefine, "domain-undefine")
DOMAIN_SIMPLE_CALL(vp_domain_start, domain_start, "domain-start")
DOMAIN_SIMPLE_CALL(vp_domain_shutdown, domain_shutdown, "domain-shutdown")
DOMAIN_SIMPLE_CALL(vp_domain_destroy, domain_destroy, "domain-destroy")
DOMAIN_SIMPLE_CALL(vp_domain_suspend, domain_suspend, "domain-suspend")
DOMAIN_SIMPLE_CALL(vp_domain_resume, domain_resume, "domain-resume")
DOMAIN_SIMPLE_CALL(vp_domain_reset, domain_reset, "domain-reset")

VP_EXPORT int
vp_domain_reboot(vp_domain *dom, unsigned int flags)
{
    const unsigned int ways = VP_DOMAIN_REBOOT_ACPI_POWER_BTN | VP_DOMAIN_REBOOT_GUEST_AGENT;
    VPI_ERROR_RESET();
    vp_return_if_fail(dom, "dom");
    if (flags & ~ways)
        return vp_error_set(VP_ERR_INVALID_ARG, "vp_domain_reboot: unsupported flags 0x%x",
                            flags & ~ways);
    if (flags == ways)
        return vp_error_set(VP_ERR_INVALID_ARG,
                            "vp_domain_reboot: choose one way to reboot, ACPI or the guest agent");
    VPI_HV_SLOT(dom->conn, domain_reboot, "domain-reboot");
    VPI_DOMAIN_CHECK(dom);
    return vpi_result(
        vpi_slot_result(dom->conn->hv_plugin, "domain-reboot",
                        dom->conn->hv->domain_reboot(dom->conn->hv_priv, dom->name, flags)));
}

VP_EXPORT int
vp_domain_get_state(vp_domain *dom, int *ret_state, int *ret_reason, unsigned int flags)
{
    VPI_ERROR_RESET();
    VPI_RETURN_IF_NO_DOM(dom);
    vp_return_if_fail(ret_state, "ret_state");
    VPI_HV_SLOT(dom->conn, domain_get_state, "domain-get-state");
    VPI_DOMAIN_CHECK(dom);
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

/* One domain of vp_domain_list_get_states() through the per-domain slots. */
static void
list_state_one(vp_domain *dom, int *ret_state, int *ret_reason, int *ret_id)
{
    vp_conn *conn = dom->conn;
    int r = vpi_domain_check(dom);
    if (r >= 0)
        r = vpi_slot_result(
            conn->hv_plugin, "domain-get-state",
            conn->hv->domain_get_state(conn->hv_priv, dom->name, ret_state, ret_reason, 0));
    if (r < 0) {
        *ret_state = r;
        *ret_reason = 0;
        return;
    }
    if (*ret_state != VP_DOMAIN_SHUTOFF && conn->hv->domain_get_id &&
        conn->hv->domain_get_id(conn->hv_priv, dom->name, ret_id) < 0)
        *ret_id = -1;
}

VP_EXPORT int
vp_domain_list_get_states(vp_domain **domains, int *ret_states, int *ret_reasons, int *ret_ids,
                          unsigned int flags)
{
    VPI_ERROR_RESET();
    vp_return_if_fail(domains, "domains");
    vp_return_if_fail(ret_states, "ret_states");
    if (flags != 0)
        return vp_error_set(VP_ERR_INVALID_ARG, "vp_domain_list_get_states: unsupported flags 0x%x",
                            flags);
    size_t n = 0;
    for (; domains[n]; n++) {
        if (domains[n]->conn != domains[0]->conn)
            return vp_error_set(VP_ERR_INVALID_ARG,
                                "vp_domain_list_get_states: domain '%s' is of another connection "
                                "than domain '%s'",
                                domains[n]->name, domains[0]->name);
    }
    if (n == 0)
        return vpi_result(0);
    vp_conn *conn = domains[0]->conn;
    VPI_HV_SLOT(conn, domain_get_state, "domain-get-state");
    _cleanup_free_ int *reasons = vp_new0(int, n);
    _cleanup_free_ int *ids = vp_new0(int, n);
    for (size_t i = 0; i < n; i++)
        ids[i] = -1;
    const vp_hypervisor_driver *hv = conn->hv;
    uint64_t gen = hv->conn_get_generation ? hv->conn_get_generation(conn->hv_priv) : 0;
    if (!hv->conn_get_domain_states || gen == VP_PLUGIN_GENERATION_CHECKED_BY_DRIVER) {
        /* One by one (a driver that checks each call's handle itself
         * needs one call per handle). */
        for (size_t i = 0; i < n; i++)
            list_state_one(domains[i], &ret_states[i], &reasons[i], &ids[i]);
    } else {
        /* Check the handles, then ask for those still valid in one go. */
        _cleanup_free_ const char **names = vp_new0(const char *, n + 1);
        _cleanup_free_ size_t *at = vp_new0(size_t, n);
        size_t m = 0;
        for (size_t i = 0; i < n; i++) {
            int r = vpi_domain_check(domains[i]);
            ret_states[i] = r < 0 ? r : 0;
            if (r >= 0) {
                at[m] = i;
                names[m++] = domains[i]->name;
            }
        }
        _cleanup_free_ int *st = vp_new0(int, m + 1), *re = vp_new0(int, m + 1),
                           *id = vp_new0(int, m + 1);
        int r = m == 0 ? 0
                       : vpi_slot_result(
                             conn->hv_plugin, "connect-get-domain-states",
                             hv->conn_get_domain_states(conn->hv_priv, names, m, st, re, id, 0));
        if (r < 0)
            return r;
        for (size_t k = 0; k < m; k++) {
            ret_states[at[k]] = st[k];
            reasons[at[k]] = st[k] < 0 ? 0 : re[k];
            ids[at[k]] = st[k] < 0 || st[k] == VP_DOMAIN_SHUTOFF || id[k] < 0 ? -1 : id[k];
        }
    }
    if (ret_reasons)
        memcpy(ret_reasons, reasons, n * sizeof(int));
    if (ret_ids)
        memcpy(ret_ids, ids, n * sizeof(int));
    return vpi_result((int)n);
}

VP_EXPORT int
vp_domain_get_xml(vp_domain *dom, unsigned int flags, char **ret_xml)
{
    VPI_ERROR_RESET();
    VPI_RETURN_IF_NO_DOM(dom);
    vp_return_if_fail(ret_xml, "ret_xml");
    VPI_HV_SLOT(dom->conn, domain_get_xml, "domain-get-xml");
    VPI_DOMAIN_CHECK(dom);
    /* The core hides the secrets: drivers format everything they hold. */
    char *xml = NULL;
    int r = vpi_slot_result(dom->conn->hv_plugin, "domain-get-xml",
                            dom->conn->hv->domain_get_xml(dom->conn->hv_priv, dom->name,
                                                          flags & ~VP_DOMAIN_XML_SECURE, &xml));
    if (r < 0)
        return r;
    if (!(flags & VP_DOMAIN_XML_SECURE)) {
        /* The XML module formats the model without what its schema
         * declares secret. */
        char *hidden = NULL;
        r = vpi_conn_hide_secrets(dom->conn, xml, &hidden);
        free(xml);
        if (r < 0)
            return r;
        xml = hidden;
    }
    *ret_xml = xml;
    return vpi_result(0);
}

VP_EXPORT int
vp_domain_get_guest_info(vp_domain *dom, unsigned int flags, char **ret_json)
{
    VPI_ERROR_RESET();
    VPI_RETURN_IF_NO_DOM(dom);
    vp_return_if_fail(ret_json, "ret_json");
    VPI_HV_SLOT(dom->conn, domain_get_guest_info, "domain-get-guest-info");
    VPI_DOMAIN_CHECK(dom);
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
vp_domain_get_info(vp_domain *dom, vp_domain_info *ret_info)
{
    VPI_ERROR_RESET();
    VPI_RETURN_IF_NO_DOM(dom);
    vp_return_if_fail(ret_info, "ret_info");
    vp_return_if_fail(ret_info->size >= 8, "ret_info->size (set it to sizeof(vp_domain_info))");
    VPI_HV_SLOT(dom->conn, domain_get_info, "domain-get-info");
    VPI_DOMAIN_CHECK(dom);
    vp_domain_info info = {.size = sizeof(info)};
    int r = vpi_slot_result(dom->conn->hv_plugin, "domain-get-info",
                            dom->conn->hv->domain_get_info(dom->conn->hv_priv, dom->name, &info));
    if (r < 0)
        return r;
    vpi_copy_sized(ret_info, ret_info->size, &info, sizeof(info));
    return vpi_result(0);
}

VP_EXPORT int
vp_domain_get_time(vp_domain *dom, long long *ret_seconds, unsigned int *ret_nseconds,
                   unsigned int flags)
{
    VPI_ERROR_RESET();
    VPI_RETURN_IF_NO_DOM(dom);
    vp_return_if_fail(ret_seconds, "ret_seconds");
    vp_return_if_fail(ret_nseconds, "ret_nseconds");
    if (flags != 0)
        return vp_error_set(VP_ERR_INVALID_ARG, "vp_domain_get_time: unsupported flags 0x%x",
                            flags);
    VPI_HV_SLOT(dom->conn, domain_get_time, "domain-get-time");
    VPI_DOMAIN_CHECK(dom);
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
vp_domain_get_os_type(vp_domain *dom, char **ret_os_type)
{
    VPI_ERROR_RESET();
    VPI_RETURN_IF_NO_DOM(dom);
    vp_return_if_fail(ret_os_type, "ret_os_type");
    VPI_HV_SLOT(dom->conn, domain_get_xml, "domain-get-xml");
    VPI_DOMAIN_CHECK(dom);
    _cleanup_free_ char *xml = NULL;
    int r = vpi_slot_result(dom->conn->hv_plugin, "domain-get-xml",
                            dom->conn->hv->domain_get_xml(dom->conn->hv_priv, dom->name, 0, &xml));
    vp_domain_def *def = NULL;
    if (r >= 0)
        r = vpi_conn_parse(dom->conn, xml, &def);
    if (r >= 0 && !def->os_type)
        r = vp_error_set(VP_ERR_XML, "the definition of domain '%s' has no <os><type>", dom->name);
    if (r >= 0)
        *ret_os_type = vp_strdup(def->os_type);
    vp_plugin_domain_def_free(def);
    return vpi_result(r < 0 ? r : 0);
}

VP_EXPORT int
vp_domain_set_time(vp_domain *dom, long long seconds, unsigned int nseconds, unsigned int flags)
{
    VPI_ERROR_RESET();
    VPI_RETURN_IF_NO_DOM(dom);
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
    VPI_DOMAIN_CHECK(dom);
    return vpi_result(vpi_slot_result(
        dom->conn->hv_plugin, "domain-set-time",
        dom->conn->hv->domain_set_time(dom->conn->hv_priv, dom->name, seconds, nseconds, flags)));
}

VP_EXPORT int
vp_domain_set_autostart(vp_domain *dom, int autostart)
{
    VPI_ERROR_RESET();
    vp_return_if_fail(dom, "dom");
    VPI_HV_SLOT(dom->conn, domain_set_autostart, "domain-set-autostart");
    VPI_DOMAIN_CHECK(dom);
    return vpi_result(vpi_slot_result(
        dom->conn->hv_plugin, "domain-set-autostart",
        dom->conn->hv->domain_set_autostart(dom->conn->hv_priv, dom->name, autostart ? 1 : 0)));
}

VP_EXPORT int
vp_domain_get_autostart(vp_domain *dom, int *ret_autostart)
{
    VPI_ERROR_RESET();
    vp_return_if_fail(dom, "dom");
    vp_return_if_fail(ret_autostart, "ret_autostart");
    VPI_HV_SLOT(dom->conn, domain_get_autostart, "domain-get-autostart");
    VPI_DOMAIN_CHECK(dom);
    int autostart = 0;
    int r = vpi_slot_result(
        dom->conn->hv_plugin, "domain-get-autostart",
        dom->conn->hv->domain_get_autostart(dom->conn->hv_priv, dom->name, &autostart));
    if (r < 0)
        return r;
    *ret_autostart = autostart ? 1 : 0;
    return vpi_result(0);
}

VP_EXPORT int
vp_domain_qemu_agent_command(vp_domain *dom, const char *command, int timeout_s, unsigned int flags,
                             char **ret_reply)
{
    VPI_ERROR_RESET();
    vp_return_if_fail(dom, "dom");
    vp_return_if_fail(command, "command");
    vp_return_if_fail(ret_reply, "ret_reply");
    if (flags != 0)
        return vp_error_set(VP_ERR_INVALID_ARG,
                            "vp_domain_qemu_agent_command: unsupported flags 0x%x", flags);
    if (timeout_s == VP_DOMAIN_AGENT_RESPONSE_TIMEOUT_BLOCK)
        return vp_error_set(
            VP_ERR_INVALID_ARG,
            "cannot wait for a guest agent without a limit; give a timeout in seconds");
    if (timeout_s < VP_DOMAIN_AGENT_RESPONSE_TIMEOUT_BLOCK)
        return vp_error_set(VP_ERR_INVALID_ARG, "invalid guest agent timeout %d", timeout_s);
    if (!*command)
        return vp_error_set(VP_ERR_INVALID_ARG, "the guest agent command is empty");
    VPI_HV_SLOT(dom->conn, domain_agent_command, "domain-qemu-agent-command");
    VPI_DOMAIN_CHECK(dom);
    char *reply = NULL;
    int r = vpi_slot_result(dom->conn->hv_plugin, "domain-qemu-agent-command",
                            dom->conn->hv->domain_agent_command(dom->conn->hv_priv, dom->name,
                                                                command, timeout_s, flags, &reply));
    if (r < 0)
        return r;
    *ret_reply = reply;
    return vpi_result(0);
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
