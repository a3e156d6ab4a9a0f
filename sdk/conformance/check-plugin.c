/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * check-plugin.c: the kit's checks of the plugin itself: descriptor, name,
 * ABI, init and fini, and that every slot it leaves empty answers "not
 * supported" naming the plugin and the operation.
 *
 * Owns only checks. An empty slot is reached through the public call that
 * uses it; a filled slot is never called here, so these checks have no
 * effect on the host. Host-power slots that would arm the RTC or suspend
 * the machine are never called, filled or not.
 */
#include <config.h>

#include <stddef.h>
#include <stdio.h>
#include <unistd.h>

#include "kit.h"

int
kit_load(vp_registry_entry **ret_entry)
{
    if (kit_opts.file)
        return vp_registry_load_file(kit_opts.file, 0, ret_entry);
    return vp_registry_get(kit_opts.name, 0, ret_entry);
}

static bool
str_set(const char *s)
{
    return s && *s;
}

static const char *
kinds_name(unsigned int kinds)
{
    if ((kinds & VP_PLUGIN_KIND_HYPERVISOR) && (kinds & VP_PLUGIN_KIND_HOSTPOWER))
        return "hypervisor and host-power";
    if (kinds & VP_PLUGIN_KIND_HYPERVISOR)
        return "hypervisor";
    if (kinds & VP_PLUGIN_KIND_HOSTPOWER)
        return "host-power";
    return "none";
}

/* The slots without which a hypervisor driver cannot be used at all:
 * no connection, a connection whose state leaks, nothing to list. */
static void
check_required_slots(const vp_registry_entry *e)
{
    static const size_t required[] = {
        offsetof(vp_hypervisor_driver, conn_open) / sizeof(void *),
        offsetof(vp_hypervisor_driver, conn_close) / sizeof(void *),
        offsetof(vp_hypervisor_driver, conn_list_domains) / sizeof(void *),
    };
    _cleanup_free_ char *missing = NULL;
    for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
        if (vp_registry_entry_has_slot(e, VP_PLUGIN_KIND_HYPERVISOR, (unsigned)required[i]))
            continue;
        const char *op = vp_registry_slot_name(VP_PLUGIN_KIND_HYPERVISOR, (unsigned)required[i]);
        char *more = vp_asprintf("%s%s'%s'", missing ? missing : "", missing ? ", " : "", op);
        free(missing);
        missing = more;
    }
    if (!kit_check(!missing, "hypervisor driver fills conn_open, conn_close and conn_list_domains"))
        kit_diag("empty: %s; every hypervisor driver must open, close and list", missing);
}

void
kit_group_load(void)
{
    vp_registry_entry *e = NULL;
    int r = kit_load(&e);
    if (!kit_check(r >= 0, "loads, passes the loader's checks and init succeeds")) {
        kit_diag("%s: %s", vp_error_code_name(r), kit_error_message());
        vp_registry_entry_free(e);
        return;
    }
    kit_check(strcmp(e->name, kit_opts.name) == 0, "descriptor name '%s' matches the file name",
              e->name);
    kit_check(e->abi_major == VP_PLUGIN_ABI_MAJOR && e->abi_minor <= VP_PLUGIN_ABI_MINOR,
              "built for plugin ABI %u.%u, which this virtplug (ABI %d.%d) runs", e->abi_major,
              e->abi_minor, VP_PLUGIN_ABI_MAJOR, VP_PLUGIN_ABI_MINOR);
    kit_check(str_set(e->version) && str_set(e->license) && str_set(e->description),
              "descriptor has a version, a license and a description");
    if (e->path) {
        _cleanup_free_ char *want = vp_asprintf("virtplug-plugin-%s", e->name);
        if (!kit_check(str_set(e->package), "descriptor names its distribution package"))
            kit_diag("set .package = \"%s\" in VP_PLUGIN_DEFINE()", want);
        else if (strcmp(e->package, want) != 0)
            kit_diag("package '%s' differs from the usual name '%s'", e->package, want);
    }
    kit_check(e->kinds & (VP_PLUGIN_KIND_HYPERVISOR | VP_PLUGIN_KIND_HOSTPOWER),
              "provides a driver (%s)", kinds_name(e->kinds));
    if (e->kinds & VP_PLUGIN_KIND_HYPERVISOR)
        check_required_slots(e);
    vp_registry_entry *again = NULL;
    r = kit_load(&again);
    kit_check(r >= 0 && again && strcmp(again->name, e->name) == 0,
              "loading it a second time returns the same plugin");
    vp_registry_entry_free(again);
    vp_registry_entry_free(e);
}

void
kit_group_fini(void)
{
    vp_registry_entry *e = NULL;
    if (kit_load(&e) < 0) {
        kit_skip("it does not load", "fini");
        vp_registry_entry_free(e);
        return;
    }
    if (kit_opts.uri && (e->kinds & VP_PLUGIN_KIND_HYPERVISOR)) {
        vp_conn *conn = NULL;
        if (vp_conn_open(kit_opts.uri, 0, &conn) >= 0)
            vp_conn_close(conn);
    }
    int r = vp_registry_call_fini(e->name, 0);
    if (r == 0)
        kit_skip("the descriptor has no fini", "fini");
    else
        kit_check(r == 1, "fini returns after init and a connection");
    vp_registry_entry_free(e);
}

enum { NEEDS_CONN, NEEDS_DOM, NEEDS_SNAP, NEEDS_URI, UNREACHABLE };

typedef struct slot_call {
    int needs;
    int (*call)(slot_objects *o);
} slot_call;

static int
call_num(slot_objects *o)
{
    return vp_conn_num_of_domains(o->conn);
}

static void
ignore_event(vp_conn *conn, const vp_domain_event *event, void *opaque)
{
}

static int
call_event_register(slot_objects *o)
{
    return vp_conn_event_register(o->conn, 0, ignore_event, NULL, NULL, NULL);
}

static int
call_list(slot_objects *o)
{
    vp_domain **doms = NULL;
    int r = vp_conn_list_domains(o->conn, 0, &doms);
    vp_domain_list_free(doms);
    return r;
}

static int
call_lookup(slot_objects *o)
{
    vp_domain *dom = NULL;
    int r = vp_domain_lookup_by_name(o->conn, "virtplug-check", &dom);
    vp_domain_free(dom);
    return r;
}

static int
call_define(slot_objects *o)
{
    return vp_domain_define_xml(o->conn, "<domain type='test'><name>virtplug-check</name></domain>",
                                0, NULL);
}

/* Reached only when both create slots are empty: nothing starts. */
static int
call_create(slot_objects *o)
{
    return vp_domain_create_xml(o->conn, "<domain type='test'><name>virtplug-check</name></domain>",
                                0, NULL);
}

#define DOM_CALL(fn)                                                                               \
    static int call_##fn(slot_objects *o)                                                          \
    {                                                                                              \
        return vp_domain_##fn(o->dom, 0);                                                          \
    }
DOM_CALL(undefine)
DOM_CALL(start)
DOM_CALL(shutdown)
DOM_CALL(destroy)
DOM_CALL(suspend)
DOM_CALL(resume)

static int
call_get_state(slot_objects *o)
{
    int state, reason;
    return vp_domain_get_state(o->dom, &state, &reason, 0);
}

static int
call_get_xml(slot_objects *o)
{
    char *xml = NULL;
    int r = vp_domain_get_xml(o->dom, 0, &xml);
    free(xml);
    return r;
}

static int
call_snap_create(slot_objects *o)
{
    return vp_snapshot_create_xml(o->dom, NULL, 0, NULL);
}

static int
call_snap_list(slot_objects *o)
{
    vp_snapshot **snaps = NULL;
    int r = vp_snapshot_list(o->dom, 0, &snaps);
    vp_snapshot_list_free(snaps);
    return r;
}

static int
call_snap_lookup(slot_objects *o)
{
    vp_snapshot *snap = NULL;
    int r = vp_snapshot_lookup_by_name(o->dom, "virtplug-check", 0, &snap);
    vp_snapshot_free(snap);
    return r;
}

static int
call_snap_delete(slot_objects *o)
{
    return vp_snapshot_delete(o->snap, 0);
}

static int
call_snap_get_xml(slot_objects *o)
{
    char *xml = NULL;
    int r = vp_snapshot_get_xml(o->snap, 0, &xml);
    free(xml);
    return r;
}

static int
call_guest_info(slot_objects *o)
{
    char *json = NULL;
    int r = vp_domain_get_guest_info(o->dom, 0, &json);
    free(json);
    return r;
}

static int
call_snap_current(slot_objects *o)
{
    vp_snapshot *snap = NULL;
    int r = vp_snapshot_current(o->dom, 0, &snap);
    vp_snapshot_free(snap);
    return r;
}

static int
call_get_uuid(slot_objects *o)
{
    char uuid[VP_UUID_STRING_BUFLEN];
    return vp_domain_get_uuid_string(o->dom, uuid);
}

static int
call_lookup_uuid(slot_objects *o)
{
    vp_domain *dom = NULL;
    int r = vp_domain_lookup_by_uuid_string(o->conn, "00000000-0000-0000-0000-000000000000", &dom);
    vp_domain_free(dom);
    return r;
}

static int
call_lookup_id(slot_objects *o)
{
    vp_domain *dom = NULL;
    int r = vp_domain_lookup_by_id(o->conn, 0, &dom);
    vp_domain_free(dom);
    return r;
}

static int
call_get_id(slot_objects *o)
{
    int id;
    return vp_domain_get_id(o->dom, &id);
}

static int
call_get_info(slot_objects *o)
{
    vp_domain_info info = {.size = sizeof(info)};
    return vp_domain_get_info(o->dom, &info);
}

static int
call_node_info(slot_objects *o)
{
    vp_node_info info = {.size = sizeof(info)};
    return vp_node_get_info(o->conn, &info);
}

static int
call_hostname(slot_objects *o)
{
    char *name = NULL;
    int r = vp_conn_get_hostname(o->conn, &name);
    free(name);
    return r;
}

static int
call_get_time(slot_objects *o)
{
    long long seconds;
    unsigned int nseconds;
    return vp_domain_get_time(o->dom, &seconds, &nseconds, 0);
}

static int
call_set_time(slot_objects *o)
{
    return vp_domain_set_time(o->dom, 0, 0, VP_DOMAIN_TIME_SYNC);
}

/* A domain slot reached with one call and no answer to keep. */
#define DOM_CALL_ONE(fn, call)                                                                     \
    static int fn(slot_objects *o)                                                                 \
    {                                                                                              \
        return call;                                                                               \
    }
DOM_CALL_ONE(call_fs_freeze, vp_domain_fs_freeze(o->dom, NULL, 0, 0))
DOM_CALL_ONE(call_fs_thaw, vp_domain_fs_thaw(o->dom, NULL, 0, 0))
DOM_CALL_ONE(call_pm_suspend,
             vp_domain_pm_suspend_for_duration(o->dom, VP_NODE_SUSPEND_TARGET_MEM, 0, 0))
DOM_CALL_ONE(call_pm_wakeup, vp_domain_pm_wakeup(o->dom, 0))
DOM_CALL_ONE(call_update_device,
             vp_domain_update_device(o->dom, "<graphics type='vnc'/>", VP_DOMAIN_AFFECT_LIVE))

static int
call_snap_revert(slot_objects *o)
{
    return vp_snapshot_revert(o->snap, 0);
}

static int
call_open_console(slot_objects *o)
{
    int fd = -1;
    int r = vp_domain_open_console(o->dom, NULL, 0, &fd);
    if (fd >= 0)
        close(fd);
    return r;
}

static int
call_get_stats(slot_objects *o)
{
    vp_typed_params *params = NULL;
    int r = vp_domain_get_stats(o->dom, 0, 0, &params);
    vp_typed_params_free(params);
    return r;
}

static int
call_display(slot_objects *o)
{
    char *uri = NULL;
    int r = vp_domain_get_display_uri(o->dom, 0, &uri);
    free(uri);
    return r;
}

static int
call_node_memory_stats(slot_objects *o)
{
    vp_typed_params *params = NULL;
    int r = vp_node_get_memory_stats(o->conn, VP_NODE_MEMORY_STATS_ALL_CELLS, 0, &params);
    vp_typed_params_free(params);
    return r;
}

static int
call_node_cpu_stats(slot_objects *o)
{
    vp_typed_params *params = NULL;
    int r = vp_node_get_cpu_stats(o->conn, VP_NODE_CPU_STATS_ALL_CPUS, 0, &params);
    vp_typed_params_free(params);
    return r;
}

static int
call_sysinfo(slot_objects *o)
{
    char *xml = NULL;
    int r = vp_conn_get_sysinfo(o->conn, 0, &xml);
    free(xml);
    return r;
}

static int
call_capabilities(slot_objects *o)
{
    char *xml = NULL;
    int r = vp_conn_get_capabilities(o->conn, 0, &xml);
    free(xml);
    return r;
}

static int
call_reboot(slot_objects *o)
{
    return vp_domain_reboot(o->dom, 0);
}

static int
call_reset(slot_objects *o)
{
    return vp_domain_reset(o->dom, 0);
}

/* Sets what it read: the kit leaves the domain's mark as it found it. */
static int
call_set_autostart(slot_objects *o)
{
    int autostart = 0;
    int r = vp_domain_get_autostart(o->dom, &autostart);
    return r == VP_ERR_NOT_SUPPORTED || r >= 0 ? vp_domain_set_autostart(o->dom, autostart) : r;
}

static int
call_get_autostart(slot_objects *o)
{
    int autostart;
    return vp_domain_get_autostart(o->dom, &autostart);
}

static int
call_agent_command(slot_objects *o)
{
    char *reply = NULL;
    int r = vp_domain_qemu_agent_command(o->dom, "{\"execute\":\"guest-ping\"}",
                                         VP_DOMAIN_AGENT_RESPONSE_TIMEOUT_DEFAULT, 0, &reply);
    free(reply);
    return r;
}

static int
call_set_memory(slot_objects *o)
{
    return vp_domain_set_memory_flags(o->dom, 262144, VP_DOMAIN_AFFECT_LIVE);
}

static int
call_set_vcpus(slot_objects *o)
{
    return vp_domain_set_vcpus_flags(o->dom, 1, VP_DOMAIN_AFFECT_LIVE);
}

static int
call_set_metadata(slot_objects *o)
{
    return vp_domain_set_metadata(o->dom, VP_DOMAIN_METADATA_TITLE, "t", VP_DOMAIN_AFFECT_LIVE);
}

/* Save and restore: the kit calls them only for empty slots, where the
 * core answers "not supported" before anything is written or read. */
static int
call_save(slot_objects *o)
{
    return vp_domain_save(o->dom, "/nonexistent/virtplug-check.save", 0);
}

static int
call_restore(slot_objects *o)
{
    return vp_domain_restore(o->conn, "/nonexistent/virtplug-check.save", 0, NULL);
}

static int
call_managed_save(slot_objects *o)
{
    return vp_domain_managed_save(o->dom, 0);
}

static int
call_has_managed_save(slot_objects *o)
{
    return vp_domain_has_managed_save(o->dom, 0);
}

static int
call_managed_save_remove(slot_objects *o)
{
    return vp_domain_managed_save_remove(o->dom, 0);
}

static int
call_open(slot_objects *o)
{
    vp_conn *conn = NULL;
    int r = vp_conn_open(kit_opts.uri, 0, &conn);
    vp_conn_close(conn);
    return r;
}

/* One entry per slot of vp_hypervisor_driver, in declaration order. */
/* Since 1.1 the last, domain_define_model, is the alternative to
 * domain_define_xml: define reaches whichever is filled and answers "not
 * supported" (naming domain-define-xml) only when both are empty, which
 * the define-xml entry checks. conn_get_domain_capabilities, when empty,
 * leaves the answer to the core (the descriptor's table): no error to see;
 * so do the four node-suspend slots (the core's own policy runs). */
static const slot_call hypervisor_calls[] = {
    {NEEDS_URI, call_open},
    {UNREACHABLE, NULL},
    {NEEDS_CONN, call_num},
    {NEEDS_CONN, call_list},
    {NEEDS_CONN, call_lookup},
    {NEEDS_CONN, call_define},
    {NEEDS_DOM, call_undefine},
    {NEEDS_DOM, call_start},
    {NEEDS_DOM, call_shutdown},
    {NEEDS_DOM, call_destroy},
    {NEEDS_DOM, call_suspend},
    {NEEDS_DOM, call_resume},
    {NEEDS_DOM, call_get_state},
    {NEEDS_DOM, call_get_xml},
    {NEEDS_DOM, call_snap_create},
    {NEEDS_DOM, call_snap_list},
    {NEEDS_DOM, call_snap_lookup},
    {NEEDS_SNAP, call_snap_delete},
    {NEEDS_SNAP, call_snap_get_xml},
    {NEEDS_DOM, call_guest_info},
    {UNREACHABLE, NULL},
    {NEEDS_DOM, call_snap_current},
    {NEEDS_DOM, call_get_uuid},
    {NEEDS_CONN, call_lookup_uuid},
    {NEEDS_CONN, call_lookup_id},
    {NEEDS_DOM, call_get_id},
    {UNREACHABLE, NULL},
    {NEEDS_DOM, call_get_info},
    {NEEDS_CONN, call_node_info},
    {NEEDS_CONN, call_hostname},
    {NEEDS_CONN, call_event_register},
    {UNREACHABLE, NULL},
    {UNREACHABLE, NULL},
    /* 1.1, guest clocks and host suspend: an empty prepare or restore slot
     * is not an error (the core leaves the domains alone), so no call
     * reaches it as "not supported". */
    {NEEDS_DOM, call_get_time},
    {NEEDS_DOM, call_set_time},
    {UNREACHABLE, NULL},
    {UNREACHABLE, NULL},
    {NEEDS_SNAP, call_snap_revert},
    {UNREACHABLE, NULL},
    {UNREACHABLE, NULL},
    {UNREACHABLE, NULL},
    {UNREACHABLE, NULL},
    {UNREACHABLE, NULL},
    {UNREACHABLE, NULL}, /* node_get_suspend_guests: with the policy run elsewhere */
    {NEEDS_DOM, call_open_console},
    {NEEDS_DOM, call_display},
    /* 1.1, statistics */
    {NEEDS_DOM, call_get_stats},
    {NEEDS_CONN, call_node_memory_stats},
    {NEEDS_CONN, call_node_cpu_stats},
    {NEEDS_CONN, call_sysinfo},
    {NEEDS_DOM, call_reboot},
    {NEEDS_DOM, call_reset},
    {NEEDS_DOM, call_set_autostart},
    {NEEDS_DOM, call_get_autostart},
    {NEEDS_DOM, call_agent_command},
    {NEEDS_DOM, call_set_memory},
    {NEEDS_DOM, call_set_vcpus},
    {NEEDS_DOM, call_set_metadata},
    {UNREACHABLE, NULL}, /* conn_cancel_jobs: an empty slot is answered by the core */
    /* 1.1, transient domains: as define, create reaches either slot */
    {NEEDS_CONN, call_create},
    {UNREACHABLE, NULL},
    {UNREACHABLE, NULL}, /* domain_is_persistent: an empty slot is answered by the core */
    /* 1.1, host capabilities */
    {NEEDS_CONN, call_capabilities},
    {UNREACHABLE, NULL}, /* conn_host_domain_capabilities: empty, the table's document */
    /* 1.1, save and restore: reached only when empty, so nothing is saved */
    {NEEDS_DOM, call_save},
    {NEEDS_CONN, call_restore},
    {NEEDS_DOM, call_managed_save},
    {NEEDS_DOM, call_has_managed_save},
    {NEEDS_DOM, call_managed_save_remove},
    /* 1.1, bulk state */
    {UNREACHABLE, NULL}, /* conn_get_domain_states: an empty slot is answered by the core */
    /* 1.1, the XML inside save images */
    {NEEDS_CONN, call_save_image_get_xml},
    {NEEDS_CONN, call_save_image_define_xml},
    {NEEDS_DOM, call_managed_save_get_xml},
    {NEEDS_DOM, call_managed_save_define_xml},
    /* 1.1, guest filesystems and guest power: reached only when empty */
    {NEEDS_DOM, call_fs_freeze},
    {NEEDS_DOM, call_fs_thaw},
    {NEEDS_DOM, call_pm_suspend},
    {NEEDS_DOM, call_pm_wakeup},
    /* 1.1, live device update: reached only when empty */
    {NEEDS_DOM, call_update_device},
};

_Static_assert(sizeof(hypervisor_calls) / sizeof(hypervisor_calls[0]) ==
                   sizeof(vp_hypervisor_driver) / sizeof(void *),
               "one call per hypervisor slot");

static void
check_not_supported(int r, const char *op)
{
    const vp_error *e = vp_error_last();
    _cleanup_free_ char *want =
        vp_asprintf("driver '%s' does not implement '%s'", kit_opts.name, op);
    if (!kit_check(r == VP_ERR_NOT_SUPPORTED && e && strstr(e->message, want),
                   "empty slot '%s' answers VP_ERR_NOT_SUPPORTED naming the plugin", op))
        kit_diag("got %s: %s; expected \"%s\"", vp_error_code_name(r), kit_error_message(), want);
}

/* A domain (and one of its snapshots) to reach the per-domain slots with,
 * found only through filled slots. */
static void
find_objects(slot_objects *o)
{
    vp_domain **doms = NULL;
    if (vp_conn_list_domains(o->conn, 0, &doms) > 0) {
        o->dom = doms[0];
        for (size_t i = 1; doms[i]; i++)
            vp_domain_free(doms[i]);
    }
    free(doms);
    if (!o->dom)
        return;
    vp_snapshot **snaps = NULL;
    if (vp_snapshot_list(o->dom, 0, &snaps) > 0) {
        o->snap = snaps[0];
        for (size_t i = 1; snaps[i]; i++)
            vp_snapshot_free(snaps[i]);
    }
    free(snaps);
}

static void
check_hypervisor_slots(const vp_registry_entry *e)
{
    slot_objects o = {0};
    bool open_empty = !vp_registry_entry_has_slot(e, VP_PLUGIN_KIND_HYPERVISOR, 0);
    if (kit_opts.uri && !open_empty && vp_conn_open(kit_opts.uri, 0, &o.conn) < 0)
        kit_diag("cannot open '%s' (%s): the empty slots that need a connection are skipped",
                 kit_opts.uri, kit_error_message());
    if (o.conn)
        find_objects(&o);
    unsigned int n = vp_registry_slot_count(VP_PLUGIN_KIND_HYPERVISOR);
    for (unsigned int i = 0; i < n; i++) {
        if (vp_registry_entry_has_slot(e, VP_PLUGIN_KIND_HYPERVISOR, i))
            continue;
        const char *op = vp_registry_slot_name(VP_PLUGIN_KIND_HYPERVISOR, i);
        const slot_call *c = i < sizeof(hypervisor_calls) / sizeof(hypervisor_calls[0])
                                 ? &hypervisor_calls[i]
                                 : NULL;
        const unsigned int define_xml =
            offsetof(vp_hypervisor_driver, domain_define_xml) / sizeof(void (*)(void));
        const unsigned int define_model =
            offsetof(vp_hypervisor_driver, domain_define_model) / sizeof(void (*)(void));
        const unsigned int create_xml =
            offsetof(vp_hypervisor_driver, domain_create_xml) / sizeof(void (*)(void));
        const unsigned int create_model =
            offsetof(vp_hypervisor_driver, domain_create_model) / sizeof(void (*)(void));
        if (i == define_xml &&
            vp_registry_entry_has_slot(e, VP_PLUGIN_KIND_HYPERVISOR, define_model))
            kit_diag("empty slot '%s': the driver defines through domain-define-model", op);
        else if (i == create_xml &&
                 vp_registry_entry_has_slot(e, VP_PLUGIN_KIND_HYPERVISOR, create_model))
            kit_diag("empty slot '%s': the driver creates through domain-create-model", op);
        else if (!c || c->needs == UNREACHABLE)
            kit_diag("empty slot '%s' is not reachable through the public API", op);
        else if (c->needs == NEEDS_URI && !kit_opts.uri)
            kit_skip("give --uri", "empty slot '%s'", op);
        else if (c->needs == NEEDS_URI)
            check_not_supported(c->call(&o), op);
        else if (!o.conn)
            kit_skip(kit_opts.uri ? "no connection" : "give --uri", "empty slot '%s'", op);
        else if ((c->needs == NEEDS_DOM && !o.dom) || (c->needs == NEEDS_SNAP && !o.snap))
            kit_skip("no domain or snapshot to call it on", "empty slot '%s'", op);
        else
            check_not_supported(c->call(&o), op);
    }
    vp_snapshot_free(o.snap);
    vp_domain_free(o.dom);
    vp_conn_close(o.conn);
}

/* Of the host-power slots only the capability probe is safe to call. */
static void
check_hostpower_slots(const vp_registry_entry *e)
{
    const unsigned int caps_slot = 2;
    if (vp_registry_entry_has_slot(e, VP_PLUGIN_KIND_HOSTPOWER, caps_slot))
        return;
    _cleanup_free_ char *uri = kit_hostpower_uri(e);
    vp_conn *conn = NULL;
    if (vp_conn_open(uri, 0, &conn) < 0) {
        kit_skip(kit_error_message(), "empty slot 'node-get-suspend-capabilities'");
        return;
    }
    unsigned int targets;
    check_not_supported(vp_node_get_suspend_capabilities(conn, &targets),
                        vp_registry_slot_name(VP_PLUGIN_KIND_HOSTPOWER, caps_slot));
    vp_conn_close(conn);
}

void
kit_group_slots(void)
{
    vp_registry_entry *e = NULL;
    if (kit_load(&e) < 0) {
        kit_skip("it does not load", "empty slots");
        vp_registry_entry_free(e);
        return;
    }
    for (unsigned int k = 0; k < 2; k++) {
        unsigned int kind = k ? VP_PLUGIN_KIND_HOSTPOWER : VP_PLUGIN_KIND_HYPERVISOR;
        unsigned int n = vp_registry_slot_count(kind);
        if (!(e->kinds & kind))
            continue;
        for (unsigned int i = 0; i < n; i++)
            if (!vp_registry_entry_has_slot(e, kind, i))
                kit_diag("%s slot '%s' is empty", k ? "host-power" : "hypervisor",
                         vp_registry_slot_name(kind, i));
    }
    if (e->kinds & VP_PLUGIN_KIND_HYPERVISOR)
        check_hypervisor_slots(e);
    if (e->kinds & VP_PLUGIN_KIND_HOSTPOWER)
        check_hostpower_slots(e);
    vp_registry_entry_free(e);
}

char *
kit_hostpower_uri(const vp_registry_entry *e)
{
    /* A host-power-only plugin is reached through another driver's URI:
     * --uri when given (it may configure the plugin), with ?hostpower=NAME
     * added unless it names one. */
    if (!kit_opts.uri)
        return vp_asprintf("test:///default?hostpower=%s", e->name);
    if ((e->kinds & VP_PLUGIN_KIND_HYPERVISOR) || strstr(kit_opts.uri, "hostpower="))
        return vp_strdup(kit_opts.uri);
    return vp_asprintf("%s%chostpower=%s", kit_opts.uri, strchr(kit_opts.uri, '?') ? '&' : '?',
                       e->name);
}

void
kit_group_hostpower(void)
{
    vp_registry_entry *e = NULL;
    if (kit_load(&e) < 0) {
        kit_skip("it does not load", "host power");
        vp_registry_entry_free(e);
        return;
    }
    _cleanup_free_ char *uri = kit_hostpower_uri(e);
    vp_conn *conn = NULL;
    if (vp_conn_open(uri, 0, &conn) < 0) {
        kit_skip(kit_error_message(), "capabilities through '%s'", uri);
        vp_registry_entry_free(e);
        return;
    }
    unsigned int targets = 0;
    int r = vp_node_get_suspend_capabilities(conn, &targets);
    const vp_error *err = vp_error_last();
    if (r >= 0)
        kit_check(targets < (1u << VP_NODE_SUSPEND_TARGET_LAST),
                  "capabilities through '%s': targets 0x%x", uri, targets);
    else
        kit_check(err && err->message[0] && r > VP_ERR_LAST,
                  "capabilities through '%s' fail cleanly: %s", uri, kit_error_message());
    kit_diag("wake-alarm and suspend slots are never called: they would act on this host");
    vp_conn_close(conn);
    vp_registry_entry_free(e);
}
