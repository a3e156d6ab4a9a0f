/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-jobs.c: waits on a guest that another thread can cancel.
 *
 * A call that may wait on a guest (shutdown with VP_DOMAIN_SHUTDOWN_WAIT, a
 * guest-agent command) is a job while it waits: it owns an eventfd, listed
 * on its connection, that it polls beside what it waits for (the QEMU
 * pidfd, the agent's FIFO). vp_conn_cancel_jobs() makes every listed
 * eventfd readable, so exactly the jobs in progress at that moment end,
 * and a call begun afterwards is not affected. Never under a domain's
 * lock: cancelling takes only the connection's list lock.
 */
#include <config.h>

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <virtplug/sdk/alloc.h>

#include "qemu-agent.h"
#include "qemu-driver.h"
#include "qemu-json.h"

struct qemu_jobs {
    pthread_mutex_t lock;
    qemu_job *head;
};

struct qemu_jobs *
qemu_jobs_new(void)
{
    struct qemu_jobs *jobs = vp_new0(struct qemu_jobs, 1);
    pthread_mutex_init(&jobs->lock, NULL);
    return jobs;
}

void
qemu_jobs_free(struct qemu_jobs *jobs)
{
    if (!jobs)
        return;
    pthread_mutex_destroy(&jobs->lock);
    free(jobs);
}

int
qemu_job_begin(const qemu_driver *drv, qemu_job *job)
{
    job->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (job->efd < 0)
        return vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno, "cannot create an eventfd");
    pthread_mutex_lock(&drv->jobs->lock);
    job->next = drv->jobs->head;
    drv->jobs->head = job;
    pthread_mutex_unlock(&drv->jobs->lock);
    return 0;
}

void
qemu_job_end(const qemu_driver *drv, qemu_job *job)
{
    if (job->efd < 0)
        return;
    pthread_mutex_lock(&drv->jobs->lock);
    for (qemu_job **p = &drv->jobs->head; *p; p = &(*p)->next) {
        if (*p == job) {
            *p = job->next;
            break;
        }
    }
    pthread_mutex_unlock(&drv->jobs->lock);
    close(job->efd);
    job->efd = -1;
}

bool
qemu_job_cancelled(const qemu_job *job)
{
    struct pollfd p = {.fd = job->efd, .events = POLLIN};
    return job->efd >= 0 && poll(&p, 1, 0) > 0;
}

int
qemu_job_cancelled_error(const char *what, const char *name)
{
    return vp_plugin_error_set(VP_ERR_OPERATION_INVALID,
                               "%s of domain '%s' cancelled by vp_conn_cancel_jobs", what, name);
}

int
qemu_conn_cancel_jobs(void *priv, unsigned int flags)
{
    qemu_driver *drv = priv;
    if (flags != 0)
        return vp_plugin_error_set(VP_ERR_INVALID_ARG, "unsupported cancel-jobs flags 0x%x", flags);
    int n = 0;
    pthread_mutex_lock(&drv->jobs->lock);
    for (qemu_job *j = drv->jobs->head; j; j = j->next) {
        uint64_t one = 1;
        if (write(j->efd, &one, sizeof(one)) == sizeof(one))
            n++;
    }
    pthread_mutex_unlock(&drv->jobs->lock);
    VP_PLUGIN_DEBUG(QEMU_AREA, "cancelled %d job(s)", n);
    return n;
}

/* A pidfd of @proc, -1 where the kernel has none (then the wait polls). */
static int
open_pidfd(const vp_plugin_process *proc)
{
#ifdef SYS_pidfd_open
    return (int)syscall(SYS_pidfd_open, proc->pid, 0);
#else
    (void)proc;
    return -1;
#endif
}

int
qemu_job_wait_gone(const qemu_driver *drv, const char *name, const vp_plugin_process *proc,
                   int timeout_ms)
{
    qemu_job job;
    int r = qemu_job_begin(drv, &job);
    if (r < 0)
        return r;
    int64_t deadline = timeout_ms >= 0 ? qemu_json_now_ms() + timeout_ms : -1;
    int pidfd = open_pidfd(proc);
    int step_ms = 2;
    r = 0;
    while (vp_plugin_process_is_alive(proc)) {
        int64_t now = qemu_json_now_ms();
        if (deadline >= 0 && now >= deadline) {
            r = -1;
            break;
        }
        int wait_ms = deadline >= 0 && deadline - now < 1000 ? (int)(deadline - now) : 1000;
        if (pidfd < 0) { /* no pidfd: look again soon */
            if (step_ms < wait_ms)
                wait_ms = step_ms;
            step_ms = step_ms < 100 ? step_ms * 2 : 100;
        }
        struct pollfd p[2] = {{.fd = job.efd, .events = POLLIN}, {.fd = pidfd, .events = POLLIN}};
        if (poll(p, pidfd >= 0 ? 2 : 1, wait_ms) > 0 && p[0].revents) {
            r = -2;
            break;
        }
    }
    if (pidfd >= 0)
        close(pidfd);
    qemu_job_end(drv, &job);
    if (r == -2)
        return qemu_job_cancelled_error("the wait for the power-off", name);
    return r == 0 ? 1 : 0;
}

int
qemu_job_agent_open(const qemu_driver *drv, qemu_job *job, const char *path, const char *name,
                    qemu_agent **ret_agent)
{
    int r = qemu_job_begin(drv, job);
    if (r < 0)
        return r;
    r = qemu_agent_open_cancellable(path, name, drv->agent_timeout_ms, job->efd, ret_agent);
    if (r < 0)
        qemu_job_end(drv, job);
    return r;
}
