/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * helper-ops.c: the far side's answers that take more than one public
 * call: the handles' names, domain and node records, statistics, and the
 * ops through a domain handle (helper-ops.h).
 */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <virtplug/sdk/alloc.h>
#include <virtplug/sdk/plugin.h>
#include <virtplug/sdk/services.h>

#include "helper-ops.h"

char **
helper_domain_names(vp_domain **doms, int n)
{
    char **names = vp_new0(char *, (size_t)n + 1);
    for (int i = 0; i < n; i++)
        names[i] = vp_strdup(vp_domain_get_name(doms[i]));
    return names;
}

char **
helper_snapshot_names(vp_snapshot **snaps, int n)
{
    char **names = vp_new0(char *, (size_t)n + 1);
    for (int i = 0; i < n; i++)
        names[i] = vp_strdup(vp_snapshot_get_name(snaps[i]));
    return names;
}

int
helper_domain_info(vp_domain *dom, remote_msg *reply)
{
    vp_domain_info info = {.size = sizeof(info)};
    int r = vp_domain_get_info(dom, &info);
    if (r >= 0)
        reply->str = remote_record_format(REMOTE_REC_DOMAIN_INFO, &info);
    return r;
}

/* Protocol 5: the statistics of @dom, and the groups the far driver
 * knows (the caller's core refuses an enforced group it lacks): all of
 * those asked for unless an enforced call says otherwise, then each
 * group alone. */
int
helper_domain_stats(vp_domain *dom, const remote_msg *c, remote_msg *reply)
{
    const unsigned int all = VP_DOMAIN_STATS_LAST - 1;
    const unsigned int enforce = VP_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS;
    if (c->a < 0 || (c->a & ~(int64_t)all) || c->flags)
        return vp_plugin_error_set(VP_ERR_INVALID_ARG,
                                   "domain-get-stats: unknown groups 0x%llx or flags 0x%llx",
                                   (unsigned long long)c->a, (unsigned long long)c->flags);
    unsigned int want = c->a ? (unsigned int)c->a : all, known = want;
    vp_typed_params *params = NULL;
    int r = vp_domain_get_stats(dom, want, enforce, &params);
    if (r == VP_ERR_NOT_SUPPORTED) {
        known = 0;
        for (unsigned int bit = 1; bit < VP_DOMAIN_STATS_LAST; bit <<= 1) {
            vp_typed_params *one = NULL;
            if ((want & bit) && vp_domain_get_stats(dom, bit, enforce, &one) >= 0)
                known |= bit;
            vp_typed_params_free(one);
        }
        r = vp_domain_get_stats(dom, want, 0, &params);
    }
    if (r >= 0) {
        reply->str = remote_params_format(params);
        reply->a = known;
    }
    vp_typed_params_free(params);
    return r;
}

/* The node statistics of @op (a: the cell or the CPU). */
int
helper_node_stats(vp_conn *conn, const remote_msg *c, remote_msg *reply)
{
    if (c->a < INT32_MIN || c->a > INT32_MAX)
        return vp_plugin_error_set(
            VP_ERR_INVALID_ARG, "invalid %s %lld",
            c->op == REMOTE_OP_NODE_GET_CPU_STATS ? "CPU number" : "NUMA cell", (long long)c->a);
    vp_typed_params *params = NULL;
    int r = c->op == REMOTE_OP_NODE_GET_CPU_STATS
                ? vp_node_get_cpu_stats(conn, (int)c->a, (unsigned int)c->flags, &params)
                : vp_node_get_memory_stats(conn, (int)c->a, (unsigned int)c->flags, &params);
    if (r >= 0)
        reply->str = remote_params_format(params);
    vp_typed_params_free(params);
    return r;
}

/* domain-fs-freeze and domain-fs-thaw: the mount points come as a JSON
 * array in xml. */
static int
helper_fs_freeze_thaw(const remote_msg *c, vp_domain *dom, unsigned int f)
{
    char **mps = NULL;
    size_t n = 0;
    int r = remote_strings_parse(c->xml, "the client", &mps, &n);
    if (r < 0)
        return r;
    const char **v = n ? (const char **)mps : NULL;
    r = c->op == REMOTE_OP_DOMAIN_FS_FREEZE ? vp_domain_fs_freeze(dom, v, n, f)
                                            : vp_domain_fs_thaw(dom, v, n, f);
    vp_strv_free(mps);
    return r;
}

/* The ops that need a domain handle: lookup first, as the far core's own
 * callers do; an unknown name answers with the driver's own error. */
int
helper_domain_op(const remote_msg *c, vp_domain *dom, remote_msg *reply)
{
    unsigned int f = (unsigned int)c->flags;
    int r, state = 0, reason = 0, n;
    vp_snapshot *snap = NULL;
    vp_snapshot **snaps = NULL;
    long long seconds = 0;
    unsigned int nseconds = 0;
    char uuid[VP_UUID_STRING_BUFLEN];
    switch (c->op) {
    case REMOTE_OP_DOMAIN_LOOKUP:
        return 0;
    case REMOTE_OP_DOMAIN_GET_UUID:
        r = vp_domain_get_uuid_string(dom, uuid);
        if (r >= 0)
            reply->str = vp_strdup(uuid);
        return r;
    case REMOTE_OP_DOMAIN_GET_ID:
        r = vp_domain_get_id(dom, &n);
        reply->a = n;
        return r;
    case REMOTE_OP_DOMAIN_GET_INFO:
        return helper_domain_info(dom, reply);
    case REMOTE_OP_DOMAIN_GET_TIME:
        r = vp_domain_get_time(dom, &seconds, &nseconds, f);
        reply->a = seconds;
        reply->b = nseconds;
        return r;
    case REMOTE_OP_DOMAIN_SET_TIME:
        if (c->b < 0 || c->b > UINT32_MAX)
            return vp_plugin_error_set(VP_ERR_INVALID_ARG,
                                       "nseconds is %lld; it must be below 1000000000",
                                       (long long)c->b);
        return vp_domain_set_time(dom, c->a, (unsigned int)c->b, f);
    case REMOTE_OP_DOMAIN_REBOOT:
        return vp_domain_reboot(dom, f);
    case REMOTE_OP_DOMAIN_RESET:
        return vp_domain_reset(dom, f);
    case REMOTE_OP_DOMAIN_SET_AUTOSTART:
        return vp_domain_set_autostart(dom, c->a != 0);
    case REMOTE_OP_DOMAIN_GET_AUTOSTART:
        r = vp_domain_get_autostart(dom, &n);
        reply->a = n;
        return r;
    case REMOTE_OP_DOMAIN_IS_PERSISTENT:
        r = vp_domain_is_persistent(dom);
        reply->a = r;
        return r < 0 ? r : 0;
    case REMOTE_OP_DOMAIN_SAVE:
        return vp_domain_save(dom, c->xml, f);
    case REMOTE_OP_DOMAIN_MANAGED_SAVE:
        return vp_domain_managed_save(dom, f);
    case REMOTE_OP_DOMAIN_HAS_MANAGED_SAVE:
        r = vp_domain_has_managed_save(dom, f);
        reply->a = r;
        return r < 0 ? r : 0;
    case REMOTE_OP_DOMAIN_MANAGED_SAVE_REMOVE:
        return vp_domain_managed_save_remove(dom, f);
    case REMOTE_OP_DOMAIN_MANAGED_SAVE_GET_XML:
        /* Whole, as domain-get-xml. */
        return vp_domain_managed_save_get_xml(dom, f | VP_DOMAIN_XML_SECURE, &reply->str);
    case REMOTE_OP_DOMAIN_MANAGED_SAVE_DEFINE_XML:
        return vp_domain_managed_save_define_xml(dom, c->xml, f);
    case REMOTE_OP_DOMAIN_FS_FREEZE:
    case REMOTE_OP_DOMAIN_FS_THAW:
        r = helper_fs_freeze_thaw(c, dom, f);
        reply->ret = r;
        return r;
    case REMOTE_OP_DOMAIN_PM_SUSPEND:
        if (c->a < 0 || c->a > UINT32_MAX || c->b < 0)
            return vp_plugin_error_set(VP_ERR_INVALID_ARG,
                                       "invalid guest suspend target %lld or duration %lld",
                                       (long long)c->a, (long long)c->b);
        return vp_domain_pm_suspend_for_duration(dom, (unsigned int)c->a, (unsigned long long)c->b,
                                                 f);
    case REMOTE_OP_DOMAIN_PM_WAKEUP:
        return vp_domain_pm_wakeup(dom, f);
    case REMOTE_OP_DOMAIN_AGENT_COMMAND:
        if (c->a < INT32_MIN || c->a > INT32_MAX)
            return vp_plugin_error_set(VP_ERR_INVALID_ARG, "invalid guest agent timeout %lld",
                                       (long long)c->a);
        r = vp_domain_qemu_agent_command(dom, c->xml, (int)c->a, f, &reply->str);
        reply->b = reply->str != NULL;
        return r;
    case REMOTE_OP_DOMAIN_SET_MEMORY:
    case REMOTE_OP_DOMAIN_SET_VCPUS:
        if (c->a <= 0 || (c->op == REMOTE_OP_DOMAIN_SET_VCPUS && c->a > UINT32_MAX))
            return vp_plugin_error_set(VP_ERR_INVALID_ARG, "'%s' of %lld is out of range",
                                       remote_op_get(c->op)->name, (long long)c->a);
        /* The live change the caller's core chose; flags: the slot's (0). */
        return c->op == REMOTE_OP_DOMAIN_SET_MEMORY
                   ? vp_domain_set_memory_flags(dom, (uint64_t)c->a, VP_DOMAIN_AFFECT_LIVE | f)
                   : vp_domain_set_vcpus_flags(dom, (unsigned int)c->a, VP_DOMAIN_AFFECT_LIVE | f);
    case REMOTE_OP_DOMAIN_UPDATE_DEVICE:
        /* The live change the caller's core chose; flags: the slot's. */
        return vp_domain_update_device(dom, c->xml, VP_DOMAIN_AFFECT_LIVE | f);
    case REMOTE_OP_DOMAIN_SET_METADATA:
        return vp_domain_set_metadata(dom, (int)c->a, c->xml, VP_DOMAIN_AFFECT_LIVE | f);
    case REMOTE_OP_DOMAIN_GET_STATS:
        return helper_domain_stats(dom, c, reply);
    case REMOTE_OP_DOMAIN_GET_DISPLAY_URI:
        return vp_domain_get_display_uri(dom, f, &reply->str);
    case REMOTE_OP_DOMAIN_OPEN_CONSOLE:
        /* run_call() makes the descriptor the call's stream. */
        r = vp_domain_open_console(dom, *c->xml ? c->xml : NULL, f, &n);
        reply->ret = n;
        return r;
    case REMOTE_OP_DOMAIN_UNDEFINE:
        return vp_domain_undefine(dom, f);
    case REMOTE_OP_DOMAIN_START:
        return vp_domain_start(dom, f);
    case REMOTE_OP_DOMAIN_SHUTDOWN:
        return vp_domain_shutdown(dom, f);
    case REMOTE_OP_DOMAIN_DESTROY:
        return vp_domain_destroy(dom, f);
    case REMOTE_OP_DOMAIN_SUSPEND:
        return vp_domain_suspend(dom, f);
    case REMOTE_OP_DOMAIN_RESUME:
        return vp_domain_resume(dom, f);
    case REMOTE_OP_DOMAIN_GET_STATE:
        r = vp_domain_get_state(dom, &state, &reason, f);
        reply->a = state;
        reply->b = reason;
        return r;
    case REMOTE_OP_DOMAIN_GET_XML:
        /* The secrets too: the near core hides them from its callers that
         * did not ask, and redefines from this XML (a --config change). */
        return vp_domain_get_xml(dom, f | VP_DOMAIN_XML_SECURE, &reply->str);
    case REMOTE_OP_DOMAIN_GET_GUEST_INFO:
        return vp_domain_get_guest_info(dom, f, &reply->str);
    case REMOTE_OP_SNAPSHOT_CREATE_XML:
        r = vp_snapshot_create_xml(dom, c->xml, f, &snap);
        break;
    case REMOTE_OP_SNAPSHOT_CURRENT:
        r = vp_snapshot_current(dom, f, &snap);
        break;
    case REMOTE_OP_SNAPSHOT_LIST:
        n = vp_snapshot_list(dom, f, &snaps);
        if (n >= 0) {
            reply->names = helper_snapshot_names(snaps, n);
            vp_snapshot_list_free(snaps);
        }
        return n;
    case REMOTE_OP_SNAPSHOT_LOOKUP:
    case REMOTE_OP_SNAPSHOT_DELETE:
    case REMOTE_OP_SNAPSHOT_GET_XML:
    case REMOTE_OP_SNAPSHOT_REVERT:
        r = vp_snapshot_lookup_by_name(dom, c->snap, 0, &snap);
        if (r >= 0 && c->op == REMOTE_OP_SNAPSHOT_DELETE)
            r = vp_snapshot_delete(snap, f);
        else if (r >= 0 && c->op == REMOTE_OP_SNAPSHOT_REVERT)
            r = vp_snapshot_revert(snap, f);
        else if (r >= 0 && c->op == REMOTE_OP_SNAPSHOT_GET_XML)
            r = vp_snapshot_get_xml(snap, f, &reply->str);
        vp_snapshot_free(snap);
        return r;
    default:
        return -1;
    }
    if (r >= 0)
        reply->str = vp_strdup(vp_snapshot_get_name(snap));
    vp_snapshot_free(snap);
    return r;
}

int
helper_node_info(vp_conn *conn, remote_msg *reply)
{
    vp_node_info info = {.size = sizeof(info)};
    int r = vp_node_get_info(conn, &info);
    if (r >= 0)
        reply->str = remote_record_format(REMOTE_REC_NODE_INFO, &info);
    return r;
}

/* The lookups that answer with a name. */
int
helper_lookup_name(int r, vp_domain *dom, remote_msg *reply)
{
    if (r >= 0)
        reply->str = vp_strdup(vp_domain_get_name(dom));
    vp_domain_free(dom);
    return r;
}
