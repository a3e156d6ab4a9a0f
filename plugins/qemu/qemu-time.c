/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-time.c: the guest clock of a QEMU domain (domtime), read and set
 * through its guest agent (guest-get-time, guest-set-time).
 *
 * Owns the two time slots and the agent call the host-suspend restore step
 * shares with them. It asks the guest only while the domain runs (a paused
 * guest's agent cannot answer, and waiting for it would only time out) and
 * never touches the domain's state or records.
 */
#include <config.h>

#include <time.h>

#include "qemu-driver.h"
#include "qemu-agent.h"

/* The range qemu-ga accepts (it refuses years before 1970 and from 2070). */
#define QEMU_TIME_MAX_S 3155760000LL

static int64_t
host_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int
qemu_time_check_agent(const char *name, const qemu_record *rec, const char *what)
{
    if (!rec->active)
        return vp_plugin_error_set(VP_ERR_OPERATION_INVALID,
                                   "cannot %s of domain '%s': it is not running", what, name);
    if (rec->state == VP_DOMAIN_PAUSED)
        return vp_plugin_error_set(
            VP_ERR_OPERATION_INVALID,
            "cannot %s of domain '%s': it is paused and its guest agent cannot answer; resume it first",
            what, name);
    if (!rec->agent_path)
        return vp_plugin_error_set(
            VP_ERR_NOT_SUPPORTED,
            "cannot %s of domain '%s': it has no guest agent channel; add <channel type='unix'> with target 'org.qemu.guest_agent.0' to its XML",
            what, name);
    return 0;
}

int
qemu_time_agent_set(const qemu_driver *drv, const char *name, const qemu_record *rec, bool sync,
                    int64_t ns)
{
    qemu_agent *agent = NULL;
    qemu_job job;
    int r = qemu_job_agent_open(drv, &job, rec->agent_path, name, &agent);
    if (r < 0)
        return r;
    /* Read the host's clock after the sync, right before the command. */
    json_object *args = json_object_new_object();
    json_object_object_add(args, "time", json_object_new_int64(sync ? host_now_ns() : ns));
    r = qemu_agent_command(agent, "guest-set-time", args, drv->agent_timeout_ms, NULL);
    json_object_put(args);
    qemu_agent_close(agent);
    qemu_job_end(drv, &job);
    return r;
}

/* Lock domain @name for @op and check that its guest agent can answer. */
static int
begin_with_agent(qemu_driver *drv, const char *name, const char *op, const char *what,
                 int *ret_lock, qemu_record **ret_rec)
{
    int r = qemu_domain_begin(drv, name, op, ret_lock, ret_rec);
    if (r >= 0 && (r = qemu_time_check_agent(name, *ret_rec, what)) < 0) {
        qemu_record_free(*ret_rec);
        *ret_rec = NULL;
        qemu_lock_release(*ret_lock);
        *ret_lock = -1;
    }
    return r;
}

/* The record read, the domain's lock is no longer needed: the agent's own
 * lock (NAME.agent.lock) serialises its clients, and waiting on the guest
 * must not hold up the domain's other operations. */
static void
unlock_for_agent(int *lock)
{
    qemu_lock_release(*lock);
    *lock = -1;
}

int
qemu_domain_get_time(void *priv, const char *name, long long *ret_seconds,
                     unsigned int *ret_nseconds, unsigned int flags)
{
    qemu_driver *drv = priv;
    if (flags != 0)
        return vp_plugin_error_set(VP_ERR_INVALID_ARG, "unsupported get-time flags 0x%x", flags);
    _cleanup_domain_lock_ int lock = -1;
    _cleanup_(qemu_record_freep) qemu_record *rec = NULL;
    int r = begin_with_agent(drv, name, "domtime", "read the clock", &lock, &rec);
    if (r < 0)
        return r;
    unlock_for_agent(&lock);
    qemu_agent *agent = NULL;
    qemu_job job;
    r = qemu_job_agent_open(drv, &job, rec->agent_path, name, &agent);
    if (r < 0)
        return r;
    json_object *ret = NULL;
    r = qemu_agent_command(agent, "guest-get-time", NULL, drv->agent_timeout_ms, &ret);
    qemu_agent_close(agent);
    qemu_job_end(drv, &job);
    if (r < 0)
        return r;
    bool is_int = json_object_is_type(ret, json_type_int);
    int64_t ns = is_int ? json_object_get_int64(ret) : 0;
    json_object_put(ret);
    if (!is_int || ns < 0)
        return vp_plugin_error_set(
            VP_ERR_PROTOCOL,
            "the guest agent of domain '%s' answered 'guest-get-time' with no time in nanoseconds",
            name);
    *ret_seconds = ns / 1000000000;
    *ret_nseconds = (unsigned int)(ns % 1000000000);
    return 0;
}

int
qemu_domain_set_time(void *priv, const char *name, long long seconds, unsigned int nseconds,
                     unsigned int flags)
{
    qemu_driver *drv = priv;
    if (flags & ~VP_DOMAIN_TIME_SYNC)
        return vp_plugin_error_set(VP_ERR_INVALID_ARG, "unsupported set-time flags 0x%x", flags);
    bool sync = flags & VP_DOMAIN_TIME_SYNC;
    if (!sync && seconds >= QEMU_TIME_MAX_S)
        return vp_plugin_error_set(
            VP_ERR_INVALID_ARG,
            "cannot set the clock of domain '%s' to %lld s: the guest agent takes times before 2070 only",
            name, seconds);
    _cleanup_domain_lock_ int lock = -1;
    _cleanup_(qemu_record_freep) qemu_record *rec = NULL;
    int r = begin_with_agent(drv, name, "domtime", "set the clock", &lock, &rec);
    if (r < 0)
        return r;
    unlock_for_agent(&lock);
    return qemu_time_agent_set(drv, name, rec, sync, (int64_t)seconds * 1000000000 + nseconds);
}
