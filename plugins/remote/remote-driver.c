/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * remote-driver.c: the remote plugin's descriptor and vtables.
 *
 * Owns the slots of DRIVER+ssh:// connections: each one is a call of
 * remote-ops.c's table, sent with remote_call() (remote-call.c), whose
 * reply fills the slot's out-parameters; those of save images are in
 * remote-save.c. No slot decides anything itself: the far host's core
 * and driver check, act and word the errors.
 */
#include <config.h>

#include <string.h>

#include <virtplug/virtplug.h>
#include <virtplug/sdk/alloc.h>
#include <virtplug/sdk/conf.h>
#include <virtplug/sdk/plugin.h>
#include <virtplug/sdk/services.h>
#include <virtplug/sdk/stats.h>

#include "remote-argv.h"
#include "remote-call.h"
#include "remote-events.h"
#include "remote-hostpower.h"

static int
remote_open(const vp_plugin_uri *uri, unsigned int flags, void **ret_priv)
{
    remote_conn *c;
    int r = remote_conn_open(uri, &c);
    if (r < 0)
        return r;
    VP_PLUGIN_DEBUG("remote", "'%s': far driver '%s'", vp_plugin_uri_get_string(uri),
                    remote_conn_driver(c));
    *ret_priv = c;
    return 0;
}

static void
remote_close(void *priv)
{
    remote_conn_close(priv);
}

static int
remote_num_of_domains(void *priv)
{
    remote_msg reply = {0};
    int r = remote_call(priv, REMOTE_OP_NUM_OF_DOMAINS, (remote_call_args){0}, &reply);
    if (r >= 0)
        r = reply.ret >= 0 && reply.ret <= INT32_MAX ? (int)reply.ret : 0;
    remote_msg_clear(&reply);
    return r;
}

static int
remote_list_domains(void *priv, unsigned int flags, char ***ret_names)
{
    return remote_call_names(priv, REMOTE_OP_LIST_DOMAINS, (remote_call_args){.flags = flags},
                             ret_names);
}

static int
remote_domain_lookup(void *priv, const char *name)
{
    return remote_call_void(priv, REMOTE_OP_DOMAIN_LOOKUP, (remote_call_args){.dom = name});
}

static int
remote_define_xml(void *priv, const char *xml, unsigned int flags, char **ret_name)
{
    return remote_call_str(priv, REMOTE_OP_DOMAIN_DEFINE_XML,
                           (remote_call_args){.xml = xml, .flags = flags}, ret_name);
}

static int
remote_create_xml(void *priv, const char *xml, unsigned int flags, char **ret_name)
{
    return remote_call_str(priv, REMOTE_OP_DOMAIN_CREATE_XML,
                           (remote_call_args){.xml = xml, .flags = flags}, ret_name);
}

static int
remote_is_persistent(void *priv, const char *name, int *ret_persistent)
{
    remote_msg reply = {0};
    int r =
        remote_call(priv, REMOTE_OP_DOMAIN_IS_PERSISTENT, (remote_call_args){.dom = name}, &reply);
    if (r >= 0)
        *ret_persistent = reply.a != 0;
    remote_msg_clear(&reply);
    return r;
}

/* The slots that take a domain and flags and return a status. */
#define DOMAIN_SLOT(fn, op)                                                                        \
    static int fn(void *priv, const char *name, unsigned int flags)                                \
    {                                                                                              \
        return remote_call_void(priv, op, (remote_call_args){.dom = name, .flags = flags});        \
    }
DOMAIN_SLOT(remote_undefine, REMOTE_OP_DOMAIN_UNDEFINE)
DOMAIN_SLOT(remote_start, REMOTE_OP_DOMAIN_START)
DOMAIN_SLOT(remote_shutdown, REMOTE_OP_DOMAIN_SHUTDOWN)
DOMAIN_SLOT(remote_destroy, REMOTE_OP_DOMAIN_DESTROY)
DOMAIN_SLOT(remote_suspend, REMOTE_OP_DOMAIN_SUSPEND)
DOMAIN_SLOT(remote_resume, REMOTE_OP_DOMAIN_RESUME)
DOMAIN_SLOT(remote_pm_wakeup, REMOTE_OP_DOMAIN_PM_WAKEUP)

/* Freeze or thaw: the mount points travel as a JSON array. */
static int
fs_call(void *priv, int op, const char *name, const char *const *mountpoints, size_t n,
        unsigned int flags)
{
    _cleanup_free_ char *list = remote_strings_format(mountpoints, n);
    remote_msg reply = {0};
    int r =
        remote_call(priv, op, (remote_call_args){.dom = name, .xml = list, .flags = flags}, &reply);
    if (r >= 0)
        r = reply.ret >= 0 && reply.ret <= INT32_MAX ? (int)reply.ret : 0;
    remote_msg_clear(&reply);
    return r;
}

#define FS_SLOT(fn, op)                                                                            \
    static int fn(void *priv, const char *name, const char *const *mps, size_t n,                  \
                  unsigned int flags)                                                              \
    {                                                                                              \
        return fs_call(priv, op, name, mps, n, flags);                                             \
    }
FS_SLOT(remote_fs_freeze, REMOTE_OP_DOMAIN_FS_FREEZE)
FS_SLOT(remote_fs_thaw, REMOTE_OP_DOMAIN_FS_THAW)

static int
remote_pm_suspend(void *priv, const char *name, unsigned int target, unsigned long long duration,
                  unsigned int flags)
{
    /* The core has checked the duration: 0. */
    return remote_call_void(
        priv, REMOTE_OP_DOMAIN_PM_SUSPEND,
        (remote_call_args){.dom = name, .flags = flags, .a = target, .b = (int64_t)duration});
}

static int
remote_get_state(void *priv, const char *name, int *ret_state, int *ret_reason, unsigned int flags)
{
    remote_msg reply = {0};
    int r = remote_call(priv, REMOTE_OP_DOMAIN_GET_STATE,
                        (remote_call_args){.dom = name, .flags = flags}, &reply);
    if (r >= 0) {
        *ret_state = (int)reply.a;
        *ret_reason = (int)reply.b;
    }
    remote_msg_clear(&reply);
    return r;
}

static int
remote_get_xml(void *priv, const char *name, unsigned int flags, char **ret_xml)
{
    return remote_call_str(priv, REMOTE_OP_DOMAIN_GET_XML,
                           (remote_call_args){.dom = name, .flags = flags}, ret_xml);
}

static int
remote_guest_info(void *priv, const char *name, unsigned int flags, char **ret_json)
{
    return remote_call_str(priv, REMOTE_OP_DOMAIN_GET_GUEST_INFO,
                           (remote_call_args){.dom = name, .flags = flags}, ret_json);
}

static int
remote_snapshot_create(void *priv, const char *domain, const char *xml, unsigned int flags,
                       char **ret_name)
{
    return remote_call_str(priv, REMOTE_OP_SNAPSHOT_CREATE_XML,
                           (remote_call_args){.dom = domain, .xml = xml, .flags = flags}, ret_name);
}

static int
remote_snapshot_list(void *priv, const char *domain, unsigned int flags, char ***ret_names)
{
    return remote_call_names(priv, REMOTE_OP_SNAPSHOT_LIST,
                             (remote_call_args){.dom = domain, .flags = flags}, ret_names);
}

static int
remote_snapshot_lookup(void *priv, const char *domain, const char *name, unsigned int flags)
{
    return remote_call_void(priv, REMOTE_OP_SNAPSHOT_LOOKUP,
                            (remote_call_args){.dom = domain, .snap = name, .flags = flags});
}

static int
remote_snapshot_delete(void *priv, const char *domain, const char *name, unsigned int flags)
{
    return remote_call_void(priv, REMOTE_OP_SNAPSHOT_DELETE,
                            (remote_call_args){.dom = domain, .snap = name, .flags = flags});
}

static int
remote_snapshot_revert(void *priv, const char *domain, const char *name, unsigned int flags)
{
    return remote_call_void(priv, REMOTE_OP_SNAPSHOT_REVERT,
                            (remote_call_args){.dom = domain, .snap = name, .flags = flags});
}

/* The live changes: the far core changes the far domain live (its driver's
 * slot); definitions are changed by this side's core through get-xml and
 * define. A removed text travels as "". */
static int
remote_set_memory(void *priv, const char *name, uint64_t memory_kib, unsigned int flags)
{
    return remote_call_void(
        priv, REMOTE_OP_DOMAIN_SET_MEMORY,
        (remote_call_args){.dom = name, .a = (int64_t)memory_kib, .flags = flags});
}

static int
remote_set_vcpus(void *priv, const char *name, unsigned int nvcpus, unsigned int flags)
{
    return remote_call_void(priv, REMOTE_OP_DOMAIN_SET_VCPUS,
                            (remote_call_args){.dom = name, .a = nvcpus, .flags = flags});
}

/* The far core finds the device and checks the change against the far
 * driver (@after is NULL: this driver's table checks nothing). */
static int
remote_update_device(void *priv, const char *name, const char *xml, const vp_domain_model *after,
                     unsigned int flags)
{
    (void)after;
    return remote_call_void(priv, REMOTE_OP_DOMAIN_UPDATE_DEVICE,
                            (remote_call_args){.dom = name, .xml = xml, .flags = flags});
}

static int
remote_set_metadata(void *priv, const char *name, int type, const char *text, unsigned int flags)
{
    return remote_call_void(
        priv, REMOTE_OP_DOMAIN_SET_METADATA,
        (remote_call_args){.dom = name, .a = type, .xml = text ? text : "", .flags = flags});
}

static int
remote_snapshot_get_xml(void *priv, const char *domain, const char *name, unsigned int flags,
                        char **ret_xml)
{
    return remote_call_str(priv, REMOTE_OP_SNAPSHOT_GET_XML,
                           (remote_call_args){.dom = domain, .snap = name, .flags = flags},
                           ret_xml);
}

static int
remote_snapshot_current(void *priv, const char *domain, unsigned int flags, char **ret_name)
{
    return remote_call_str(priv, REMOTE_OP_SNAPSHOT_CURRENT,
                           (remote_call_args){.dom = domain, .flags = flags}, ret_name);
}

static int
remote_domain_caps(void *priv, unsigned int flags, char **ret_caps)
{
    return remote_call_str(priv, REMOTE_OP_DOMAIN_CAPABILITIES, (remote_call_args){.flags = flags},
                           ret_caps);
}

/* ---- Identity, runtime data and clocks (protocol 2) ------------------- */

/* Other processes change the far domains, so no generation seen from here
 * can say a name kept its meaning. From protocol 3 each call through a
 * handle carries the handle's UUID and the far helper checks it in the same
 * round trip (remote_call_msg()); with an older helper the core asks for the UUID
 * before each call. */
static uint64_t
remote_generation(void *priv)
{
    return remote_conn_proto(priv) >= 3 ? VP_PLUGIN_GENERATION_CHECKED_BY_DRIVER : 0;
}

static int
remote_get_uuid(void *priv, const char *name, unsigned char ret_uuid[16])
{
    remote_msg reply = {0};
    int r = remote_call(priv, REMOTE_OP_DOMAIN_GET_UUID, (remote_call_args){.dom = name}, &reply);
    if (r >= 0 && vp_plugin_uuid_parse(reply.str, ret_uuid) < 0)
        r = vp_plugin_error_set(VP_ERR_PROTOCOL,
                                "host '%s' broke the remote protocol: '%s' is not a domain's uuid",
                                remote_conn_host(priv), reply.str);
    remote_msg_clear(&reply);
    return r;
}

static int
remote_lookup_by_uuid(void *priv, const unsigned char uuid[16], char **ret_name)
{
    char text[VP_UUID_STRING_BUFLEN];
    vp_plugin_uuid_format(uuid, text);
    return remote_call_str(priv, REMOTE_OP_DOMAIN_LOOKUP_BY_UUID, (remote_call_args){.uuid = text},
                           ret_name);
}

static int
remote_lookup_by_id(void *priv, int id, char **ret_name)
{
    return remote_call_str(priv, REMOTE_OP_DOMAIN_LOOKUP_BY_ID, (remote_call_args){.a = id},
                           ret_name);
}

static int
remote_get_id(void *priv, const char *name, int *ret_id)
{
    remote_msg reply = {0};
    int r = remote_call(priv, REMOTE_OP_DOMAIN_GET_ID, (remote_call_args){.dom = name}, &reply);
    if (r >= 0)
        *ret_id = reply.a >= 0 && reply.a <= INT32_MAX ? (int)reply.a : -1;
    remote_msg_clear(&reply);
    return r;
}

/* For the slots that fill a record of the public API. */
static int
call_record(void *priv, int op, remote_call_args a, remote_record type, void *ret_rec)
{
    remote_msg reply = {0};
    int r = remote_call(priv, op, a, &reply);
    if (r >= 0)
        r = remote_record_parse(type, reply.str, remote_conn_host(priv), ret_rec);
    remote_msg_clear(&reply);
    return r;
}

static int
remote_get_info(void *priv, const char *name, struct vp_domain_info *ret_info)
{
    return call_record(priv, REMOTE_OP_DOMAIN_GET_INFO, (remote_call_args){.dom = name},
                       REMOTE_REC_DOMAIN_INFO, ret_info);
}

static int
remote_node_info(void *priv, struct vp_node_info *ret_info)
{
    return call_record(priv, REMOTE_OP_NODE_GET_INFO, (remote_call_args){0}, REMOTE_REC_NODE_INFO,
                       ret_info);
}

static int
remote_hostname(void *priv, char **ret_hostname)
{
    return remote_call_str(priv, REMOTE_OP_CONN_GET_HOSTNAME, (remote_call_args){0}, ret_hostname);
}

static int
remote_get_time(void *priv, const char *name, long long *ret_seconds, unsigned int *ret_nseconds,
                unsigned int flags)
{
    remote_msg reply = {0};
    int r = remote_call(priv, REMOTE_OP_DOMAIN_GET_TIME,
                        (remote_call_args){.dom = name, .flags = flags}, &reply);
    if (r >= 0 && (reply.b < 0 || reply.b >= 1000000000))
        r = vp_plugin_error_set(VP_ERR_PROTOCOL,
                                "host '%s' broke the remote protocol: a guest time of %lld ns",
                                remote_conn_host(priv), (long long)reply.b);
    if (r >= 0) {
        *ret_seconds = reply.a;
        *ret_nseconds = (unsigned int)reply.b;
    }
    remote_msg_clear(&reply);
    return r;
}

/* With VP_DOMAIN_TIME_SYNC the far core reads the far host's clock: the
 * guest runs there. */
static int
remote_set_time(void *priv, const char *name, long long seconds, unsigned int nseconds,
                unsigned int flags)
{
    return remote_call_void(
        priv, REMOTE_OP_DOMAIN_SET_TIME,
        (remote_call_args){.dom = name, .a = seconds, .b = nseconds, .flags = flags});
}

/* ---- Reboot, reset, autostart and the guest agent: on the far host ----- */

static int
remote_reboot(void *priv, const char *name, unsigned int flags)
{
    return remote_call_void(priv, REMOTE_OP_DOMAIN_REBOOT,
                            (remote_call_args){.dom = name, .flags = flags});
}

static int
remote_reset(void *priv, const char *name, unsigned int flags)
{
    return remote_call_void(priv, REMOTE_OP_DOMAIN_RESET,
                            (remote_call_args){.dom = name, .flags = flags});
}

static int
remote_set_autostart(void *priv, const char *name, int autostart)
{
    return remote_call_void(priv, REMOTE_OP_DOMAIN_SET_AUTOSTART,
                            (remote_call_args){.dom = name, .a = autostart != 0});
}

static int
remote_get_autostart(void *priv, const char *name, int *ret_autostart)
{
    remote_msg reply = {0};
    int r =
        remote_call(priv, REMOTE_OP_DOMAIN_GET_AUTOSTART, (remote_call_args){.dom = name}, &reply);
    if (r >= 0)
        *ret_autostart = reply.a != 0;
    remote_msg_clear(&reply);
    return r;
}

static int
remote_agent_command(void *priv, const char *name, const char *command, int timeout_s,
                     unsigned int flags, char **ret_reply)
{
    remote_msg reply = {0};
    int r = remote_call(
        priv, REMOTE_OP_DOMAIN_AGENT_COMMAND,
        (remote_call_args){.dom = name, .xml = command, .a = timeout_s, .flags = flags}, &reply);
    if (r >= 0)
        *ret_reply = reply.b ? VP_STEAL_PTR(reply.str) : NULL;
    remote_msg_clear(&reply);
    return r;
}

/* ---- Node suspend: the whole policy runs on the far host ---------------
 * Its lock, its record and its delay thread are the far helper's, which
 * stays until the suspend is over even when this side is gone. */

static int
remote_node_suspend(void *priv, unsigned int target, uint64_t duration_s, unsigned int flags)
{
    return remote_call_void(
        priv, REMOTE_OP_NODE_SUSPEND_FOR_DURATION,
        (remote_call_args){.a = target,
                           .b = duration_s > INT64_MAX ? INT64_MAX : (int64_t)duration_s,
                           .flags = flags});
}

static int
remote_node_suspend_result(void *priv, struct vp_node_suspend_result *ret_result)
{
    return call_record(priv, REMOTE_OP_NODE_SUSPEND_RESULT, (remote_call_args){0},
                       REMOTE_REC_SUSPEND_RESULT, ret_result);
}

static int
remote_node_suspend_cancel(void *priv, unsigned int flags)
{
    return remote_call_void(priv, REMOTE_OP_NODE_SUSPEND_CANCEL,
                            (remote_call_args){.flags = flags});
}

static int
remote_node_suspend_wait(void *priv, int timeout_ms)
{
    return remote_call_void(priv, REMOTE_OP_NODE_SUSPEND_WAIT, (remote_call_args){.a = timeout_ms});
}

static int
remote_node_suspend_guests(void *priv, unsigned int flags, vp_plugin_suspend_guest ***ret_guests)
{
    remote_msg reply = {0};
    int r = remote_call(priv, REMOTE_OP_NODE_SUSPEND_GUESTS, (remote_call_args){.flags = flags},
                        &reply);
    if (r >= 0)
        r = remote_guests_parse(reply.str, remote_conn_host(priv), ret_guests);
    remote_msg_clear(&reply);
    return r;
}

static int
remote_event_open(void *priv, vp_plugin_event_sink *sink, int *ret_fd)
{
    return remote_events_open(priv, sink, ret_fd);
}

static int
remote_event_read(void *priv)
{
    return remote_events_read(priv);
}

static void
remote_event_close(void *priv)
{
    remote_events_close(priv);
}

/* ---- Protocol 5: statistics, the display, cancelling and consoles ----- */

/* For the slots that append typed parameters: the far core's list. */
static int
call_params(void *priv, int op, remote_call_args a, vp_typed_params *params, int64_t *ret_a)
{
    remote_msg reply = {0};
    int r = remote_call(priv, op, a, &reply);
    if (r >= 0)
        r = remote_params_parse(reply.str, remote_conn_host(priv), params);
    if (r >= 0 && ret_a)
        *ret_a = reply.a;
    remote_msg_clear(&reply);
    return r;
}

/* The far core answers for the far driver; it reports which groups that
 * driver knows, so that this side's core refuses an enforced group it
 * lacks with the far driver's name in the words. */
static int
remote_domain_stats(void *priv, const char *name, unsigned int groups, unsigned int flags,
                    vp_typed_params *params)
{
    int64_t known = 0;
    int r =
        call_params(priv, REMOTE_OP_DOMAIN_GET_STATS,
                    (remote_call_args){.dom = name, .a = groups, .flags = flags}, params, &known);
    return r < 0 ? r : (int)(known & (VP_DOMAIN_STATS_LAST - 1));
}

static int
remote_node_memory_stats(void *priv, int cell, unsigned int flags, vp_typed_params *params)
{
    return call_params(priv, REMOTE_OP_NODE_GET_MEMORY_STATS,
                       (remote_call_args){.a = cell, .flags = flags}, params, NULL);
}

static int
remote_node_cpu_stats(void *priv, int cpu, unsigned int flags, vp_typed_params *params)
{
    return call_params(priv, REMOTE_OP_NODE_GET_CPU_STATS,
                       (remote_call_args){.a = cpu, .flags = flags}, params, NULL);
}

static int
remote_sysinfo(void *priv, unsigned int flags, char **ret_xml)
{
    return remote_call_str(priv, REMOTE_OP_CONN_GET_SYSINFO, (remote_call_args){.flags = flags},
                           ret_xml);
}

static int
remote_capabilities(void *priv, unsigned int flags, char **ret_xml)
{
    return remote_call_str(priv, REMOTE_OP_CONN_GET_CAPABILITIES,
                           (remote_call_args){.flags = flags}, ret_xml);
}

/* The far host's address for the display, as the far driver says it,
 * with the far host's name from the URI where the far driver says
 * "localhost" (a display on every address), as virsh does over
 * qemu+ssh; a loopback address stays the far host's own. */
static int
remote_get_display_uri(void *priv, const char *name, unsigned int flags, char **ret_uri)
{
    _cleanup_free_ char *far = NULL;
    int r = remote_call_str(priv, REMOTE_OP_DOMAIN_GET_DISPLAY_URI,
                            (remote_call_args){.dom = name, .flags = flags}, &far);
    if (r >= 0)
        *ret_uri = remote_display_uri(far, remote_conn_host(priv));
    return r;
}

/* The calls of this connection wait in the far helper, on its one far
 * connection: the cancel travels as a call of its own while they are in
 * flight (ids are multiplexed), and the far core cancels them there. */
static int
remote_cancel_jobs(void *priv, unsigned int flags)
{
    remote_msg reply = {0};
    int r =
        remote_call(priv, REMOTE_OP_CONN_CANCEL_JOBS, (remote_call_args){.flags = flags}, &reply);
    if (r >= 0)
        r = reply.ret >= 0 && reply.ret <= INT32_MAX ? (int)reply.ret : 0;
    remote_msg_clear(&reply);
    return r;
}

/* The console's bytes travel as "stream" frames of this connection
 * (remote-stream.c); the socket handed back is one end of a pair whose
 * other end a thread of this process serves. */
static int
remote_open_console(void *priv, const char *name, const char *dev_name, unsigned int flags,
                    int *ret_fd)
{
    char handle[VP_UUID_STRING_BUFLEN];
    remote_msg m = remote_call_msg(
        priv, REMOTE_OP_DOMAIN_OPEN_CONSOLE,
        (remote_call_args){.dom = name, .xml = dev_name ? dev_name : "", .flags = flags}, handle);
    return remote_conn_open_stream(priv, &m, ret_fd);
}

static const vp_hypervisor_driver remote_hypervisor = {
    .conn_open = remote_open,
    .conn_close = remote_close,
    .conn_num_of_domains = remote_num_of_domains,
    .conn_list_domains = remote_list_domains,
    .domain_lookup = remote_domain_lookup,
    .domain_define_xml = remote_define_xml,
    .domain_undefine = remote_undefine,
    .domain_start = remote_start,
    .domain_shutdown = remote_shutdown,
    .domain_destroy = remote_destroy,
    .domain_suspend = remote_suspend,
    .domain_resume = remote_resume,
    .domain_get_state = remote_get_state,
    .domain_get_xml = remote_get_xml,
    .snapshot_create_xml = remote_snapshot_create,
    .snapshot_list = remote_snapshot_list,
    .snapshot_lookup = remote_snapshot_lookup,
    .snapshot_delete = remote_snapshot_delete,
    .snapshot_get_xml = remote_snapshot_get_xml,
    .domain_get_guest_info = remote_guest_info,
    .snapshot_get_current = remote_snapshot_current,
    .domain_get_uuid = remote_get_uuid,
    .conn_get_generation = remote_generation,
    .domain_lookup_by_uuid = remote_lookup_by_uuid,
    .domain_lookup_by_id = remote_lookup_by_id,
    .domain_get_id = remote_get_id,
    .domain_get_info = remote_get_info,
    .node_get_info = remote_node_info,
    .conn_get_hostname = remote_hostname,
    .event_open = remote_event_open,
    .event_read = remote_event_read,
    .event_close = remote_event_close,
    .domain_get_time = remote_get_time,
    .domain_set_time = remote_set_time,
    .conn_get_domain_capabilities = remote_domain_caps,
    .node_suspend_for_duration = remote_node_suspend,
    .node_get_suspend_result = remote_node_suspend_result,
    .node_suspend_cancel = remote_node_suspend_cancel,
    .node_suspend_wait = remote_node_suspend_wait,
    .node_get_suspend_guests = remote_node_suspend_guests,
    .snapshot_revert = remote_snapshot_revert,
    .domain_reboot = remote_reboot,
    .domain_reset = remote_reset,
    .domain_set_autostart = remote_set_autostart,
    .domain_get_autostart = remote_get_autostart,
    .domain_agent_command = remote_agent_command,
    .domain_set_memory = remote_set_memory,
    .domain_set_vcpus = remote_set_vcpus,
    .domain_set_metadata = remote_set_metadata,
    .conn_cancel_jobs = remote_cancel_jobs,
    .domain_create_xml = remote_create_xml,
    .domain_is_persistent = remote_is_persistent,
    .domain_get_stats = remote_domain_stats,
    .node_get_memory_stats = remote_node_memory_stats,
    .node_get_cpu_stats = remote_node_cpu_stats,
    .conn_get_sysinfo = remote_sysinfo,
    .conn_get_capabilities = remote_capabilities,
    .domain_get_display_uri = remote_get_display_uri,
    .domain_open_console = remote_open_console,
    .domain_save = remote_save,
    .domain_restore = remote_restore,
    .domain_managed_save = remote_managed_save,
    .domain_has_managed_save = remote_has_managed_save,
    .domain_managed_save_remove = remote_managed_save_remove,
    .domain_fs_freeze = remote_fs_freeze,
    .domain_fs_thaw = remote_fs_thaw,
    .domain_pm_suspend = remote_pm_suspend,
    .domain_pm_wakeup = remote_pm_wakeup,
    .domain_update_device = remote_update_device,
    .domain_save_image_get_xml = remote_save_image_get_xml,
    .domain_save_image_define_xml = remote_save_image_define_xml,
    .domain_managed_save_get_xml = remote_managed_save_get_xml,
    .domain_managed_save_define_xml = remote_managed_save_define_xml,
};

/* The far core checks definitions against the far driver's capabilities;
 * vp_conn_get_domain_capabilities() reads them through remote_domain_caps. */
static const vp_plugin_domain_cap remote_caps[] = {
    {"*", NULL},
    {NULL, NULL},
};

VP_PLUGIN_DEFINE(remote, .name = "remote", .version = PACKAGE_VERSION,
                 .license = "LGPL-2.1-or-later",
                 .description = "DRIVER+ssh:// URIs: every driver of another host over OpenSSH",
                 .package = "virtplug-plugin-remote", .hypervisor = &remote_hypervisor,
                 .hypervisor_size = sizeof(remote_hypervisor), .hostpower = &remote_hostpower,
                 .hostpower_size = sizeof(remote_hostpower), .domain_caps = remote_caps);
