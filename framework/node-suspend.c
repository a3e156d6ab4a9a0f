/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * node-suspend.c: the generic asynchronous host-suspend job.
 *
 * Owns the node-suspend policy, once for every host-power driver: the
 * argument rules (60 s minimum, 0 only without wake-up), the capability
 * check before anything is armed, one request at a time host-wide (the
 * SDK's lock on a file in the runtime directory, plus an in-process guard),
 * the delay thread that arms, waits, has the guests prepared (the pause
 * policy, node-suspend-guests.c), suspends, has them restored and clears
 * the alarm on every failure, and the outcome record (node-suspend-record.c)
 * written atomically at every state change.
 * It must never touch the host itself: every effect goes through the
 * driver's vtable, and it never keeps the lock after a request is final.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stddef.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"
#include "node-suspend.h"

/* Far beyond any RTC; only keeps wake_at_us (int64 microseconds) exact. */
#define NS_MAX_DURATION_S ((unsigned long long)(INT64_MAX / 1000000) / 2)

typedef struct ns_job {
    vp_conn *conn; /* a reference: closing the conn meanwhile is safe */
    const vpi_plugin *plugin;
    void *priv;
    int lock_fd; /* holds the host-wide lock until the request is final */
    char *state_path;
    unsigned int delay_ms;
    int64_t delay_end_mono_us; /* CLOCK_MONOTONIC twin of rec.suspend_at_us */
    bool armed;
    bool record_written;
    vpi_ns_guests guests; /* the guests policy and what it did */
    /* Under ns.lock: */
    bool cancel;
    int phase; /* VP_NODE_SUSPEND_PENDING, then _SUSPENDING */
    vp_node_suspend_result rec;
} ns_job;

/* This process's request. busy is set from the first check to the final
 * record, so a second caller in this process is refused without touching
 * the disk; the OFD lock then refuses other processes. */
static struct {
    pthread_mutex_t lock;
    pthread_cond_t cond; /* CLOCK_MONOTONIC: cancel, final */
    bool busy;
    ns_job *job;
    bool started;
    bool unjoined;
    pthread_t thread;
    unsigned long generation; /* bumped when a request becomes final */
    int last_error_code;
    char last_error_message[512];
} ns = {.lock = PTHREAD_MUTEX_INITIALIZER};

static pthread_once_t ns_once = PTHREAD_ONCE_INIT;

static void
ns_init(void)
{
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&ns.cond, &attr);
    pthread_condattr_destroy(&attr);
}

static void
ns_job_free(ns_job *job)
{
    if (!job)
        return;
    if (job->lock_fd >= 0)
        close(job->lock_fd);
    if (job->conn)
        vpi_conn_unref(job->conn);
    vpi_ns_guests_clear(&job->guests);
    free(job->state_path);
    free(job);
}
VP_DEFINE_CLEANUP(ns_job, ns_job_free)

/* ---- The outcome record (node-suspend-record.c) ---------------------- */

static int
record_write(ns_job *job)
{
    int r = vpi_ns_record_write(job->state_path, &job->rec, &job->guests);
    if (r >= 0)
        job->record_written = true;
    return r;
}

/* ---- The host-wide lock ---------------------------------------------- */

int
vpi_ns_lock_acquire(const char *dir, int *ret_fd)
{
    _cleanup_free_ char *path = vp_asprintf("%s/" VPI_NODE_SUSPEND_LOCK_FILE, dir);
    int fd = -1;
    int r = vp_plugin_lock_try(path, &fd);
    if (r < 0)
        return r;
    if (r == 0) {
        _cleanup_free_ char *state = vp_asprintf("%s/" VPI_NODE_SUSPEND_STATE_FILE, dir);
        vp_node_suspend_result rec;
        if (vpi_ns_record_read(state, &rec, NULL) < 0)
            rec.pid = 0;
        return vp_error_set(
            VP_ERR_OPERATION_IN_PROGRESS,
            "another node suspend is in progress on this host (requested by pid %lld); wait for it or cancel it in that process",
            (long long)rec.pid);
    }
    *ret_fd = fd;
    return 0;
}

/* True when no process holds the lock (an OFD lock of this process on
 * another descriptor counts as held). */
bool
vpi_ns_lock_is_free(const char *dir)
{
    _cleanup_free_ char *path = vp_asprintf("%s/" VPI_NODE_SUSPEND_LOCK_FILE, dir);
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return true;
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
    bool is_free = fcntl(fd, F_OFD_GETLK, &fl) == 0 && fl.l_type == F_UNLCK;
    close(fd);
    return is_free;
}

/* ---- Checks before anything is armed --------------------------------- */

static int
check_request(unsigned int target, unsigned long long duration_s, unsigned int flags)
{
    if (target >= VP_NODE_SUSPEND_TARGET_LAST)
        return vp_error_set(VP_ERR_INVALID_ARG,
                            "unknown suspend target %u; use mem (0), disk (1) or hybrid (2)",
                            target);
    if (flags & ~(VP_NODE_SUSPEND_NO_WAKEUP | VP_NODE_SUSPEND_GUESTS_PAUSE |
                  VP_NODE_SUSPEND_GUESTS_NONE | VP_NODE_SUSPEND_GUESTS_STRICT))
        return vp_error_set(VP_ERR_INVALID_ARG,
                            "vp_node_suspend_for_duration: unsupported flags 0x%x", flags);
    if (flags & VP_NODE_SUSPEND_NO_WAKEUP) {
        if (duration_s != 0)
            return vp_error_set(VP_ERR_INVALID_ARG,
                                "a suspend without wake-up takes duration 0, not %llu", duration_s);
        return 0;
    }
    if (duration_s == 0)
        return vp_error_set(
            VP_ERR_INVALID_ARG,
            "duration 0 means no timed wake-up: ask for it with the no-wakeup flag (vpsh: --no-wakeup)");
    if (duration_s < VP_NODE_SUSPEND_MIN_DURATION_S)
        return vp_error_set(
            VP_ERR_INVALID_ARG,
            "suspend duration %llu s is below the minimum of %d s: freezing tasks alone may take 20 s and hibernation longer, so the wake alarm could fire before the host sleeps",
            duration_s, VP_NODE_SUSPEND_MIN_DURATION_S);
    if (duration_s > NS_MAX_DURATION_S)
        return vp_error_set(VP_ERR_INVALID_ARG,
                            "suspend duration %llu s is too long; the largest is %llu s",
                            duration_s, NS_MAX_DURATION_S);
    return 0;
}

static int
check_driver(const vpi_plugin *p, void *priv, unsigned int target, unsigned int flags)
{
    if (!p->hostpower.get_capabilities)
        return vpi_not_supported(p, "node-get-suspend-capabilities");
    if (!p->hostpower.suspend)
        return vpi_not_supported(p, "node-suspend");
    if (!(flags & VP_NODE_SUSPEND_NO_WAKEUP) && !p->hostpower.wake_alarm_arm)
        return vpi_not_supported(p, "node-wake-alarm");
    unsigned int caps = 0;
    int r = vpi_slot_result(p, "node-get-suspend-capabilities",
                            p->hostpower.get_capabilities(priv, &caps));
    if (r < 0)
        return r;
    if (caps & (1u << target))
        return 0;
    char can[32] = "";
    for (unsigned int t = 0; t < VP_NODE_SUSPEND_TARGET_LAST; t++)
        if (caps & (1u << t))
            snprintf(can + strlen(can), sizeof(can) - strlen(can), "%s%s", *can ? ", " : "",
                     vp_node_suspend_target_name(t));
    return vp_error_set(VP_ERR_NOT_SUPPORTED,
                        "this host cannot suspend to '%s' (host-power driver '%s' can do: %s)",
                        vp_node_suspend_target_name(target), p->name, *can ? can : "nothing");
}

/* ---- Alarm clearing that keeps the first error ----------------------- */

/* Clear the job's alarm. When @keep_code < 0 the thread's error is the
 * failure being reported: keep it, adding the clear's failure if any. */
static int
job_clear_alarm(ns_job *job, int keep_code)
{
    if (!job->armed || !job->plugin->hostpower.wake_alarm_clear) {
        job->armed = false;
        return keep_code < 0 ? keep_code : 0;
    }
    const vp_error *e = vp_error_last();
    _cleanup_free_ char *kept = vp_strdup(keep_code < 0 && e ? e->message : "");
    int r = vpi_slot_result(job->plugin, "node-wake-alarm-clear",
                            job->plugin->hostpower.wake_alarm_clear(job->priv));
    job->armed = false;
    if (keep_code >= 0)
        return r;
    if (r < 0) {
        e = vp_error_last();
        return vp_error_set(keep_code, "%s; also cannot clear the wake alarm: %s", kept,
                            e ? e->message : "unknown error");
    }
    return vp_error_set(keep_code, "%s", kept);
}

static void
job_record_error(ns_job *job, int code)
{
    const vp_error *e = vp_error_last();
    job->rec.error_code = code;
    snprintf(job->rec.error_message, sizeof(job->rec.error_message), "%s",
             e ? e->message : "unknown error");
}

/* ---- The thread -------------------------------------------------------- */

static int64_t
mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static struct timespec
mono_timespec(int64_t us)
{
    return (struct timespec){.tv_sec = us / 1000000, .tv_nsec = (us % 1000000) * 1000};
}

static struct timespec
deadline_after_ms(int64_t ms)
{
    return mono_timespec(mono_us() + ms * 1000);
}

/* Wait out the delay; returns true when cancelled. The delay counts from
 * the request, not from the thread's start, so the suspend starts when
 * the record's suspend_at_us says. Leaving the delay and entering
 * SUSPENDING is one step under ns.lock, so cancel either wins or finds
 * the job already suspending. */
static bool
job_wait_delay(ns_job *job)
{
    struct timespec deadline = mono_timespec(job->delay_end_mono_us);
    pthread_mutex_lock(&ns.lock);
    while (!job->cancel) {
        if (pthread_cond_timedwait(&ns.cond, &ns.lock, &deadline) == ETIMEDOUT)
            break;
    }
    bool cancelled = job->cancel;
    pthread_mutex_unlock(&ns.lock);
    return cancelled;
}

/* Leave the cancellable phase: true when a cancel came first. */
static bool
job_enter_suspending(ns_job *job)
{
    pthread_mutex_lock(&ns.lock);
    bool cancelled = job->cancel;
    if (!cancelled)
        job->phase = VP_NODE_SUSPEND_SUSPENDING;
    pthread_mutex_unlock(&ns.lock);
    return cancelled;
}

/* Pause the guests (pause policy): the record says "preparing" before the
 * driver acts, so a kill meanwhile is repaired by the next reader. Returns
 * < 0 when the request must stop (--guests-strict and a domain that could
 * not be paused), with the error set. */
static int
job_prepare_guests(ns_job *job)
{
    if (!job->guests.policy)
        return 0;
    job->guests.state = VP_NODE_SUSPEND_GUESTS_STATE_PREPARING;
    if (record_write(job) < 0)
        VP_DEBUG("node-suspend", "cannot record 'preparing': %s", vp_error_last()->message);
    int r = vpi_ns_guests_prepare(job->conn, &job->guests);
    if (record_write(job) < 0)
        VP_DEBUG("node-suspend", "cannot record 'prepared': %s", vp_error_last()->message);
    if (r < 0 && (job->rec.flags & VP_NODE_SUSPEND_GUESTS_STRICT))
        return r;
    if (r < 0)
        VP_DEBUG("node-suspend", "pausing the guests failed, suspending anyway: %s",
                 vp_error_last()->message);
    _cleanup_free_ char *failed = vpi_ns_guests_pause_failures(&job->guests);
    if (failed && (job->rec.flags & VP_NODE_SUSPEND_GUESTS_STRICT))
        return vp_error_set(
            VP_ERR_OPERATION_INVALID,
            "cannot pause domain %s; the host was not suspended (--guests-strict), the other domains were resumed",
            failed);
    return 0;
}

/* Resume what prepare paused and set the clocks; a failure is in the
 * outcome's entries, the request's own outcome stays. */
static void
job_restore_guests(ns_job *job)
{
    if (!job->guests.policy || job->guests.state == VP_NODE_SUSPEND_GUESTS_STATE_NONE)
        return;
    if (vpi_ns_guests_restore(job->conn, &job->guests) < 0)
        VP_DEBUG("node-suspend", "resuming the guests failed: %s", vp_error_last()->message);
}

static void
job_cancelled(ns_job *job)
{
    int r = job_clear_alarm(job, 0);
    if (r < 0)
        job_record_error(job, r);
    job->rec.state = VP_NODE_SUSPEND_CANCELLED;
    job->rec.ended_us = vp_plugin_now_us();
    VP_DEBUG("node-suspend", "cancelled during the delay");
}

static void
job_suspend(ns_job *job)
{
    job->rec.state = VP_NODE_SUSPEND_SUSPENDING;
    job->rec.started_us = vp_plugin_now_us();
    if (record_write(job) < 0)
        VP_DEBUG("node-suspend", "cannot record 'suspending': %s", vp_error_last()->message);
    VP_DEBUG("node-suspend", "suspending to '%s' with driver '%s'",
             vp_node_suspend_target_name(job->rec.target), job->plugin->name);
    int state = VP_NODE_SUSPEND_RESUMED;
    int r = job->plugin->hostpower.suspend(job->priv, job->rec.target, &state);
    job->rec.ended_us = vp_plugin_now_us();
    if (r < 0) {
        r = vpi_slot_failed(job->plugin, "node-suspend", r);
        r = job_clear_alarm(job, r);
        job_record_error(job, r);
        job->rec.state = VP_NODE_SUSPEND_FAILED;
        return;
    }
    job->rec.state = state == VP_NODE_SUSPEND_REQUESTED ? state : VP_NODE_SUSPEND_RESUMED;
    /* After a wake by another source the alarm would still fire later. The
     * OS has not slept yet when it only accepted the request. */
    if (job->rec.state == VP_NODE_SUSPEND_RESUMED && job_clear_alarm(job, 0) < 0)
        VP_DEBUG("node-suspend", "cannot clear the alarm after resume: %s",
                 vp_error_last()->message);
}

/* Publish the final record, release the lock, then tell waiters. Nothing
 * of the job is used after ns.lock is released here. */
static void
job_finish(ns_job *job)
{
    if (record_write(job) < 0)
        VP_DEBUG("node-suspend", "cannot record the outcome: %s", vp_error_last()->message);
    int code = job->rec.error_code;
    char message[sizeof(ns.last_error_message)];
    snprintf(message, sizeof(message), "%s", job->rec.error_message);
    VP_DEBUG("node-suspend", "final state '%s'", vp_node_suspend_state_name(job->rec.state));
    pthread_mutex_lock(&ns.lock);
    ns.job = NULL;
    pthread_mutex_unlock(&ns.lock);
    ns_job_free(job); /* closes the lock file: the host-wide lock is free */
    pthread_mutex_lock(&ns.lock);
    ns.busy = false;
    ns.generation++;
    ns.last_error_code = code;
    memcpy(ns.last_error_message, message, sizeof(message));
    pthread_cond_broadcast(&ns.cond);
    pthread_mutex_unlock(&ns.lock);
}

/* Strict refusal after prepare: undo it and fail without suspending. */
static void
job_refused(ns_job *job, int r)
{
    job_restore_guests(job);
    r = job_clear_alarm(job, r);
    job_record_error(job, r);
    job->rec.state = VP_NODE_SUSPEND_FAILED;
    job->rec.ended_us = vp_plugin_now_us();
}

static void *
job_thread(void *arg)
{
    ns_job *job = arg;
    int r = 0;
    if (job_wait_delay(job)) {
        job_cancelled(job);
    } else if ((r = job_prepare_guests(job)) < 0) {
        job_refused(job, r);
    } else if (job_enter_suspending(job)) {
        job_restore_guests(job);
        job_cancelled(job);
    } else {
        job_suspend(job);
        /* An OS that only queued the sleep has not slept yet: the guests
         * stay paused until a reader repairs the record after resume. */
        if (job->rec.state != VP_NODE_SUSPEND_REQUESTED)
            job_restore_guests(job);
    }
    job_finish(job);
    return NULL;
}

/* ---- Starting a request ------------------------------------------------ */

/* Join a finished thread of an earlier request, if nobody did. */
static void
ns_join_locked_then_unlock(void)
{
    bool join = ns.unjoined;
    pthread_t th = ns.thread;
    ns.unjoined = false;
    pthread_mutex_unlock(&ns.lock);
    if (join)
        pthread_join(th, NULL);
}

static int
ns_reserve(void)
{
    pthread_once(&ns_once, ns_init);
    pthread_mutex_lock(&ns.lock);
    if (ns.busy) {
        pthread_mutex_unlock(&ns.lock);
        return vp_error_set(
            VP_ERR_OPERATION_IN_PROGRESS,
            "another node suspend of this process (pid %ld) is in progress; wait for it or cancel it",
            (long)getpid());
    }
    ns.busy = true;
    ns_join_locked_then_unlock();
    return 0;
}

static void
ns_unreserve(void)
{
    pthread_mutex_lock(&ns.lock);
    ns.busy = false;
    pthread_cond_broadcast(&ns.cond);
    pthread_mutex_unlock(&ns.lock);
}

static int
job_arm_and_record(ns_job *job)
{
    int r = 0;
    if (!(job->rec.flags & VP_NODE_SUSPEND_NO_WAKEUP)) {
        int64_t wake_at_us = 0;
        r = vpi_slot_result(
            job->plugin, "node-wake-alarm-arm",
            job->plugin->hostpower.wake_alarm_arm(job->priv, job->rec.duration_s, &wake_at_us));
        if (r < 0)
            return r;
        job->armed = true;
        job->rec.wake_at_us = wake_at_us;
    }
    r = record_write(job);
    if (r < 0)
        return job_clear_alarm(job, r);
    return 0;
}

static int
job_start_thread(ns_job *job)
{
    pthread_t th;
    /* The thread blocks every signal, so the application's handlers (vpsh
     * cancels on SIGINT) run in its own threads, never in ours. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_mutex_lock(&ns.lock);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    int e = pthread_create(&th, NULL, job_thread, job);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (e == 0) {
        ns.job = job;
        ns.started = true;
        ns.unjoined = true;
        ns.thread = th;
    }
    pthread_mutex_unlock(&ns.lock);
    if (e == 0)
        return 0;
    int r = vp_error_set_errno(VP_ERR_SYSTEM, e, "cannot start the node-suspend thread");
    r = job_clear_alarm(job, r);
    job_record_error(job, r);
    job->rec.state = VP_NODE_SUSPEND_FAILED;
    job->rec.ended_us = vp_plugin_now_us();
    (void)record_write(job);
    return vp_error_set(r, "%s", job->rec.error_message);
}

static int
job_new(vp_conn *conn, const vpi_plugin *p, void *priv, const char *dir, ns_job **ret_job)
{
    _cleanup_(ns_job_freep) ns_job *job = vp_new0(ns_job, 1);
    job->lock_fd = -1;
    job->plugin = p;
    job->priv = priv;
    job->phase = VP_NODE_SUSPEND_PENDING;
    job->state_path = vp_asprintf("%s/" VPI_NODE_SUSPEND_STATE_FILE, dir);
    int r = vpi_ns_lock_acquire(dir, &job->lock_fd);
    if (r < 0)
        return r;
    job->delay_ms = VPI_NODE_SUSPEND_DEFAULT_DELAY_MS;
    if (p->hostpower.get_suspend_delay_ms &&
        (r = vpi_slot_result(p, "node-get-suspend-delay",
                             p->hostpower.get_suspend_delay_ms(priv, &job->delay_ms))) < 0)
        return r;
    job->conn = vpi_conn_ref(conn);
    *ret_job = VP_STEAL_PTR(job);
    return 0;
}

static int
ns_start(vp_conn *conn, const vpi_plugin *p, void *priv, unsigned int target,
         unsigned long long duration_s, unsigned int flags, unsigned int policy)
{
    _cleanup_free_ char *dir = NULL;
    int r = vp_plugin_runtime_dir(&dir);
    if (r < 0)
        return r;
    _cleanup_(ns_job_freep) ns_job *job = NULL;
    r = job_new(conn, p, priv, dir, &job);
    if (r < 0)
        return r;
    r = check_driver(p, priv, target, flags);
    if (r < 0)
        return r;
    /* Guests an earlier request left paused are resumed before a new one. */
    vpi_ns_guests_repair_locked(conn, job->state_path, true);
    /* A driver without the slots leaves its domains alone, as before 1.1. */
    if (policy && conn->hv->node_suspend_prepare) {
        job->guests.policy = policy;
        job->guests.uri = vp_strdup(vp_conn_get_uri(conn));
    }
    vp_node_suspend_result *rec = &job->rec;
    rec->size = sizeof(*rec);
    rec->state = VP_NODE_SUSPEND_PENDING;
    rec->target = target;
    rec->flags = flags;
    rec->duration_s = duration_s;
    rec->requested_us = vp_plugin_now_us();
    job->delay_end_mono_us = mono_us() + (int64_t)job->delay_ms * 1000;
    rec->suspend_at_us = rec->requested_us + (int64_t)job->delay_ms * 1000;
    rec->pid = getpid();
    snprintf(rec->driver, sizeof(rec->driver), "%s", p->name);
    r = job_arm_and_record(job);
    if (r < 0)
        return r;
    r = job_start_thread(job);
    if (r < 0)
        return r;
    VP_DEBUG("node-suspend", "'%s' for %llu s armed; suspending in %u ms",
             vp_node_suspend_target_name(target), duration_s, job->delay_ms);
    job = NULL; /* the thread owns it */
    return 0;
}

/* A driver that runs the whole policy elsewhere (the remote plugin, on the
 * far host) answers the node-suspend calls itself: @slot of @conn, when
 * filled, with the operation name @op. */
#define NS_DELEGATE(conn, slot, op, ...)                                                           \
    do {                                                                                           \
        if ((conn)->hv->slot)                                                                      \
            return vpi_result(vpi_slot_result((conn)->hv_plugin, op,                               \
                                              (conn)->hv->slot((conn)->hv_priv, __VA_ARGS__)));    \
    } while (0)

VP_EXPORT int
vp_node_suspend_for_duration(vp_conn *conn, unsigned int target, unsigned long long duration_s,
                             unsigned int flags)
{
    VPI_ERROR_RESET();
    VPI_RETURN_IF_NO_CONN(conn);
    NS_DELEGATE(conn, node_suspend_for_duration, "node-suspend-for-duration", target, duration_s,
                flags);
    int r = check_request(target, duration_s, flags);
    if (r < 0)
        return r;
    const vpi_plugin *p;
    void *priv;
    unsigned int policy = 0;
    r = vpi_ns_guests_policy(flags, &policy);
    if (r < 0)
        return r;
    r = vpi_conn_get_hostpower(conn, &p, &priv);
    if (r < 0)
        return r;
    r = ns_reserve();
    if (r < 0)
        return r;
    r = ns_start(conn, p, priv, target, duration_s, flags, policy);
    if (r < 0) {
        ns_unreserve();
        return r;
    }
    /* A driver's probe may have left an error it recovered from. */
    vpi_error_reset();
    return 0;
}

/* ---- Reading, cancelling, waiting -------------------------------------- */

VP_EXPORT int
vp_node_get_suspend_result(vp_conn *conn, vp_node_suspend_result *ret_result)
{
    VPI_ERROR_RESET();
    VPI_RETURN_IF_NO_CONN(conn);
    vp_return_if_fail(ret_result, "ret_result");
    size_t size = ret_result->size;
    if (size < offsetof(vp_node_suspend_result, state) + sizeof(ret_result->state))
        return vp_error_set(
            VP_ERR_INVALID_ARG,
            "vp_node_suspend_result.size is %zu; set it to sizeof(vp_node_suspend_result)", size);
    vp_node_suspend_result rec = {.size = sizeof(rec)};
    if (conn->hv->node_get_suspend_result) {
        int r = vpi_slot_result(conn->hv_plugin, "node-get-suspend-result",
                                conn->hv->node_get_suspend_result(conn->hv_priv, &rec));
        if (r < 0)
            return r;
        if (size > sizeof(rec))
            size = sizeof(rec);
        rec.size = ret_result->size;
        memcpy(ret_result, &rec, size);
        return 0;
    }
    _cleanup_free_ char *dir = NULL;
    int r = vp_plugin_runtime_dir(&dir);
    if (r < 0)
        return r;
    _cleanup_free_ char *path = vp_asprintf("%s/" VPI_NODE_SUSPEND_STATE_FILE, dir);
    r = vpi_ns_guests_read(conn, dir, &rec, NULL);
    if (r < 0)
        return r;
    bool live = rec.state == VP_NODE_SUSPEND_PENDING || rec.state == VP_NODE_SUSPEND_SUSPENDING;
    /* The final record is written before the lock is released: a live
     * record read again after seeing the lock free is truly abandoned. */
    if (live && vpi_ns_lock_is_free(dir)) {
        r = vpi_ns_record_read(path, &rec, NULL);
        if (r < 0)
            return r;
        if (rec.state == VP_NODE_SUSPEND_PENDING || rec.state == VP_NODE_SUSPEND_SUSPENDING)
            rec.state = VP_NODE_SUSPEND_ABANDONED;
    }
    if (size > sizeof(rec))
        size = sizeof(rec);
    rec.size = ret_result->size;
    memcpy(ret_result, &rec, size);
    return 0;
}

VP_EXPORT int
vp_node_suspend_cancel(vp_conn *conn, unsigned int flags)
{
    VPI_ERROR_RESET();
    VPI_RETURN_IF_NO_CONN(conn);
    NS_DELEGATE(conn, node_suspend_cancel, "node-suspend-cancel", flags);
    if (flags != 0)
        return vp_error_set(VP_ERR_INVALID_ARG, "vp_node_suspend_cancel: unsupported flags 0x%x",
                            flags);
    pthread_once(&ns_once, ns_init);
    pthread_mutex_lock(&ns.lock);
    ns_job *job = ns.job;
    if (!job || job->phase != VP_NODE_SUSPEND_PENDING) {
        pthread_mutex_unlock(&ns.lock);
        if (job)
            return vp_error_set(
                VP_ERR_OPERATION_INVALID,
                "the node suspend already started suspending; it can no longer be cancelled");
        return vp_error_set(VP_ERR_OPERATION_INVALID, "no node suspend of this process is pending");
    }
    job->cancel = true;
    unsigned long gen = ns.generation;
    pthread_cond_broadcast(&ns.cond);
    while (ns.generation == gen)
        pthread_cond_wait(&ns.cond, &ns.lock);
    int code = ns.last_error_code;
    char message[sizeof(ns.last_error_message)];
    memcpy(message, ns.last_error_message, sizeof(message));
    ns_join_locked_then_unlock();
    if (code < 0)
        return vp_error_set(code, "%s", message);
    return 0;
}

VP_EXPORT int
vp_node_suspend_wait(vp_conn *conn, int timeout_ms)
{
    VPI_ERROR_RESET();
    VPI_RETURN_IF_NO_CONN(conn);
    NS_DELEGATE(conn, node_suspend_wait, "node-suspend-wait", timeout_ms);
    pthread_once(&ns_once, ns_init);
    pthread_mutex_lock(&ns.lock);
    if (!ns.started) {
        pthread_mutex_unlock(&ns.lock);
        return vp_error_set(VP_ERR_OPERATION_INVALID,
                            "no node suspend was requested by this process");
    }
    struct timespec deadline = deadline_after_ms(timeout_ms < 0 ? 0 : timeout_ms);
    while (ns.busy) {
        int e = timeout_ms < 0 ? pthread_cond_wait(&ns.cond, &ns.lock)
                               : pthread_cond_timedwait(&ns.cond, &ns.lock, &deadline);
        if (e == ETIMEDOUT && ns.busy) {
            pthread_mutex_unlock(&ns.lock);
            return vp_error_set(VP_ERR_TIMEOUT, "the node suspend did not finish within %d ms",
                                timeout_ms);
        }
    }
    ns_join_locked_then_unlock();
    return 0;
}
