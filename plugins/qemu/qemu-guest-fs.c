/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-guest-fs.c: the guest's filesystems and its own power states
 * (domfsfreeze, domfsthaw, dompmsuspend, dompmwakeup): guest agent
 * commands guest-fsfreeze-freeze(-list), guest-fsfreeze-thaw and
 * guest-suspend-ram/-disk/-hybrid, and QMP system_wakeup.
 *
 * Owns the four slots. A freeze never stays behind from a call that
 * failed: it refuses filesystems that are already frozen (a thaw on its
 * failure path must only undo its own freeze), and when the freeze
 * command fails or its answer is unusable it asks the guest whether it is
 * frozen and thaws it. The domain's lock is released while the guest is
 * asked, as the clock slots do (qemu-time.c): the agent's own lock
 * serialises its clients.
 */
#include <config.h>

#include <string.h>

#include "qemu-driver.h"
#include "qemu-agent.h"
#include "qemu-devices.h"
#include "qemu-json.h"

/* Lock domain @name for @op, check its agent can answer (a suspended guest's
 * cannot), read its record and let the lock go; then open the agent for a
 * job. */
static int
agent_begin(qemu_driver *drv, const char *name, const char *op, const char *what, qemu_job *job,
            qemu_agent **ret_agent)
{
    /* The state QEMU reports (the record does not follow a guest that
     * suspended itself). */
    int state = 0, reason = 0;
    int r = qemu_domain_get_state(drv, name, &state, &reason, 0);
    if (r >= 0 && state == VP_DOMAIN_PMSUSPENDED)
        return vp_plugin_error_set(
            VP_ERR_OPERATION_INVALID,
            "cannot %s of domain '%s': it is suspended already; wake it up first", what, name);
    _cleanup_domain_lock_ int lock = -1;
    _cleanup_(qemu_record_freep) qemu_record *rec = NULL;
    if (r >= 0)
        r = qemu_domain_begin(drv, name, op, &lock, &rec);
    if (r >= 0)
        r = qemu_time_check_agent(name, rec, what);
    if (r < 0)
        return r;
    qemu_lock_release(lock);
    lock = -1;
    return qemu_job_agent_open(drv, job, rec->agent_path, name, ret_agent);
}

static void
agent_end(const qemu_driver *drv, qemu_job *job, qemu_agent *agent)
{
    qemu_agent_close(agent);
    qemu_job_end(drv, job);
}

/* 1 when the guest agent says the filesystems are frozen, 0 when thawed,
 * or an error. */
static int
fs_frozen(const qemu_driver *drv, qemu_agent *agent)
{
    json_object *ret = NULL;
    int r = qemu_agent_command(agent, "guest-fsfreeze-status", NULL, drv->agent_timeout_ms, &ret);
    if (r < 0)
        return r;
    const char *s = json_object_get_string(ret);
    r = s && strcmp(s, "frozen") == 0;
    json_object_put(ret);
    return r;
}

/* The count a freeze or thaw answered, or an error naming @command. */
static int
answer_count(const char *name, const char *command, json_object *ret)
{
    if (!json_object_is_type(ret, json_type_int) || json_object_get_int64(ret) < 0 ||
        json_object_get_int64(ret) > 1000000)
        return vp_plugin_error_set(VP_ERR_PROTOCOL,
                                   "the guest agent of domain '%s' answered '%s' with no count",
                                   name, command);
    return (int)json_object_get_int64(ret);
}

int
qemu_domain_fs_freeze(void *priv, const char *name, const char *const *mountpoints, size_t n,
                      unsigned int flags)
{
    qemu_driver *drv = priv;
    if (flags != 0)
        return vp_plugin_error_set(VP_ERR_INVALID_ARG, "unsupported fs-freeze flags 0x%x", flags);
    qemu_agent *agent = NULL;
    qemu_job job;
    int r = agent_begin(drv, name, "domfsfreeze", "freeze the filesystems", &job, &agent);
    if (r < 0)
        return r;
    r = fs_frozen(drv, agent);
    if (r > 0)
        r = vp_plugin_error_set(
            VP_ERR_OPERATION_INVALID,
            "cannot freeze the filesystems of domain '%s': they are frozen already; thaw them first",
            name);
    if (r < 0) {
        agent_end(drv, &job, agent);
        return r;
    }
    const char *command = n ? "guest-fsfreeze-freeze-list" : "guest-fsfreeze-freeze";
    _cleanup_(json_object_putp) json_object *args = NULL;
    if (n) {
        args = json_object_new_object();
        json_object *list = json_object_new_array();
        for (size_t i = 0; i < n; i++)
            json_object_array_add(list, json_object_new_string(mountpoints[i]));
        json_object_object_add(args, "mountpoints", list);
    }
    json_object *ret = NULL;
    r = qemu_agent_command(agent, command, args, drv->agent_timeout_ms, &ret);
    if (r >= 0)
        r = answer_count(name, command, ret);
    json_object_put(ret);
    if (r < 0) {
        /* Whatever froze in this call is thawed before the error goes up;
         * if even that fails, the error says so. */
        _cleanup_free_ char *why = vp_strdup(vp_error_last() ? vp_error_last()->message : "");
        vp_plugin_saved_error *saved = vp_plugin_error_save();
        int frozen = fs_frozen(drv, agent);
        int t = frozen > 0 ? qemu_agent_command(agent, "guest-fsfreeze-thaw", NULL,
                                                drv->agent_timeout_ms, NULL)
                           : frozen;
        vp_plugin_error_restore(saved);
        if (t < 0)
            r = vp_plugin_error_set(
                r,
                "%s; the filesystems of domain '%s' may be frozen: the thaw after it failed too; run 'vpsh domfsthaw %s'",
                why, name, name);
    }
    agent_end(drv, &job, agent);
    return r;
}

int
qemu_domain_fs_thaw(void *priv, const char *name, const char *const *mountpoints, size_t n,
                    unsigned int flags)
{
    qemu_driver *drv = priv;
    (void)mountpoints;
    if (flags != 0)
        return vp_plugin_error_set(VP_ERR_INVALID_ARG, "unsupported fs-thaw flags 0x%x", flags);
    if (n > 0)
        return vp_plugin_error_set(
            VP_ERR_NOT_SUPPORTED,
            "cannot thaw single mount points of domain '%s': the QEMU guest agent thaws all filesystems at once; give none",
            name);
    qemu_agent *agent = NULL;
    qemu_job job;
    int r = agent_begin(drv, name, "domfsthaw", "thaw the filesystems", &job, &agent);
    if (r < 0)
        return r;
    json_object *ret = NULL;
    r = qemu_agent_command(agent, "guest-fsfreeze-thaw", NULL, drv->agent_timeout_ms, &ret);
    if (r >= 0)
        r = answer_count(name, "guest-fsfreeze-thaw", ret);
    json_object_put(ret);
    agent_end(drv, &job, agent);
    return r;
}

/* VP_ERR_OPERATION_INVALID when the domain's <pm> disables a sleep state
 * @target needs (S3 for mem and hybrid, S4 for disk and hybrid). */
static int
check_pm(const qemu_driver *drv, const char *name, unsigned int target)
{
    json_object *tree = NULL;
    int r = qemu_domain_load_extras(drv, name, &tree);
    if (r < 0 || !tree)
        return r < 0 ? r : 0;
    json_object *pm = qemu_tree_kid(tree, "pm", 0);
    static const struct {
        const char *element, *state;
        bool mem, disk, hybrid;
    } need[] = {{"suspend-to-mem", "S3", true, false, true},
                {"suspend-to-disk", "S4", false, true, true}};
    for (size_t i = 0; r >= 0 && pm && i < 2; i++) {
        bool used = target == VP_NODE_SUSPEND_TARGET_MEM    ? need[i].mem
                    : target == VP_NODE_SUSPEND_TARGET_DISK ? need[i].disk
                                                            : need[i].hybrid;
        const char *enabled = qemu_tree_attr(qemu_tree_kid(pm, need[i].element, 0), "enabled");
        if (used && enabled && strcmp(enabled, "no") == 0)
            r = vp_plugin_error_set(
                VP_ERR_OPERATION_INVALID,
                "cannot suspend domain '%s': its <pm><%s enabled='no'/> disables the %s state",
                name, need[i].element, need[i].state);
    }
    json_object_put(tree);
    return r;
}

/* How often the state is asked while a suspend is awaited. */
#define PM_POLL_MS 100

/* 1 when domain @name is in the state a suspend to @target ends in:
 * pmsuspended (QEMU's SUSPEND event), or for disk also shut off or shut
 * down (a guest that hibernated powers off); 0 when not yet; or an error. */
static int
pm_reached(qemu_driver *drv, const char *name, unsigned int target)
{
    int state = 0, reason = 0;
    int r = qemu_domain_get_state(drv, name, &state, &reason, 0);
    if (r < 0)
        return r;
    if (state == VP_DOMAIN_PMSUSPENDED)
        return 1;
    return target == VP_NODE_SUSPEND_TARGET_DISK &&
           (state == VP_DOMAIN_SHUTOFF || state == VP_DOMAIN_SHUTDOWN);
}

/* Wait for the outcome of @command sent as @id: the agent answers only a
 * guest that refuses (its error goes up); a guest that suspends changes
 * the domain's state instead. Bounded by the agent timeout. */
static int
pm_await(qemu_driver *drv, const char *name, unsigned int target, qemu_agent *agent,
         const char *command, const char *id)
{
    int64_t deadline = qemu_json_now_ms() + drv->agent_timeout_ms;
    for (;;) {
        int r = qemu_agent_poll_reply(agent, command, id, PM_POLL_MS, NULL);
        if (r != 0) {
            /* An answer without an error is a success too; a connection
             * that closed is a QEMU that ended: the state says why. */
            if (r != VP_ERR_PROTOCOL)
                return r > 0 ? 0 : r;
            vp_plugin_saved_error *saved = vp_plugin_error_save();
            int reached = pm_reached(drv, name, target);
            vp_plugin_error_restore(saved);
            return reached > 0 ? 0 : r;
        }
        r = pm_reached(drv, name, target);
        if (r != 0)
            return r < 0 ? r : 0;
        if (qemu_json_now_ms() >= deadline)
            return vp_plugin_error_set(
                VP_ERR_AGENT_UNRESPONSIVE,
                "domain '%s' neither suspended nor refused '%s' within %d ms (agent_timeout_ms); it may still suspend: see 'vpsh domstate %s'",
                name, command, drv->agent_timeout_ms, name);
    }
}

int
qemu_domain_pm_suspend(void *priv, const char *name, unsigned int target,
                       unsigned long long duration, unsigned int flags)
{
    qemu_driver *drv = priv;
    static const char *const commands[] = {"guest-suspend-ram", "guest-suspend-disk",
                                           "guest-suspend-hybrid"};
    if (flags != 0 || target > VP_NODE_SUSPEND_TARGET_HYBRID || duration != 0)
        return vp_plugin_error_set(VP_ERR_INVALID_ARG,
                                   "unsupported pm-suspend target %u, duration %llu or flags 0x%x",
                                   target, duration, flags);
    int r = check_pm(drv, name, target);
    if (r < 0)
        return r;
    qemu_agent *agent = NULL;
    qemu_job job;
    r = agent_begin(drv, name, "dompmsuspend", "suspend the guest", &job, &agent);
    if (r < 0)
        return r;
    /* A guest that suspends does not answer; one that refuses (a mode its
     * kernel or tools lack) answers with an error. */
    _cleanup_free_ char *id = NULL;
    r = qemu_agent_send_unanswered(agent, commands[target], NULL, drv->agent_timeout_ms, &id);
    if (r >= 0)
        r = pm_await(drv, name, target, agent, commands[target], id);
    agent_end(drv, &job, agent);
    return r;
}

int
qemu_domain_pm_wakeup(void *priv, const char *name, unsigned int flags)
{
    return qemu_domain_qmp_active(priv, name, "dompmwakeup", flags, "wake up", "system_wakeup");
}
