/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * util/process.c: processes that outlive their caller, and knowing them
 * again later.
 *
 * Owns vp_plugin_process_*: a process's identity (pid, start time from
 * /proc/PID/stat field 22, boot id), whether a recorded identity still
 * runs, signalling it without hitting a process that took its pid over
 * (pidfd where the kernel has them), waiting for it to go, pidfiles, and
 * starting a detached daemon. The daemon is forked twice and waits for
 * the caller to write its pidfile before it runs the program: if the
 * caller is killed first, the daemon exits instead of running unseen.
 * Between fork and exec only async-signal-safe calls are made, so a
 * multithreaded caller is safe. It never keeps a child: the intermediate
 * process is reaped here and the daemon belongs to init.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef HAVE_PIDFD_OPEN
#include <sys/pidfd.h>
#endif

#include "internal.h"

#define BOOT_ID_PATH "/proc/sys/kernel/random/boot_id"

/* ---- identity ---------------------------------------------------------- */

static pthread_once_t boot_id_once = PTHREAD_ONCE_INIT;
static char boot_id[40];

static void
boot_id_read(void)
{
    int fd = open(BOOT_ID_PATH, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return;
    char buf[64];
    ssize_t n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    if (n <= 0)
        return;
    buf[n] = '\0';
    buf[strcspn(buf, "\n")] = '\0';
    if (strlen(buf) < sizeof(boot_id))
        memcpy(boot_id, buf, strlen(buf) + 1);
}

static const char *
current_boot_id(void)
{
    pthread_once(&boot_id_once, boot_id_read);
    return boot_id;
}

/* Field 3 (state) and field 22 (start time) of /proc/PID/stat: 0, or
 * -ESRCH when there is no such process, another -errno. */
static int
read_proc_stat(pid_t pid, char *ret_state, uint64_t *ret_start_time)
{
    char path[64], buf[1024];
    snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? -ESRCH : -errno;
    ssize_t n = read(fd, buf, sizeof(buf) - 1);
    int e = errno;
    close(fd);
    if (n < 0)
        return e == ESRCH ? -ESRCH : -e;
    if (n == 0)
        return -ESRCH;
    buf[n] = '\0';
    /* The command name may hold spaces and parentheses: skip to the last ')'. */
    char *p = strrchr(buf, ')');
    if (!p || p[1] != ' ')
        return -EIO;
    p += 2;
    char state = *p;
    for (int field = 3; field < 22; field++) {
        p = strchr(p, ' ');
        if (!p)
            return -EIO;
        p++;
    }
    char *end;
    errno = 0;
    uint64_t t = strtoull(p, &end, 10);
    if (errno || end == p)
        return -EIO;
    *ret_state = state;
    *ret_start_time = t;
    return 0;
}

/* Whether zombie @pid still has threads that are exiting. A killed
 * multi-threaded process's leader turns zombie while its other threads
 * still tear down (a QEMU's guest memory can take tens of milliseconds):
 * until the last of them has exited, the process's files, and the locks
 * on them (QEMU's image locks), are not released. */
static bool
zombie_has_threads(pid_t pid)
{
    char path[64], buf[4096];
    snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    ssize_t n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    if (n <= 0)
        return false;
    buf[n] = '\0';
    const char *threads = strstr(buf, "\nThreads:");
    return threads && strtol(threads + strlen("\nThreads:"), NULL, 10) > 1;
}

VP_EXPORT int
vp_plugin_process_identify(pid_t pid, vp_plugin_process *ret_proc)
{
    if (pid <= 0 || !ret_proc)
        return vp_error_set(VP_ERR_INVALID_ARG, "invalid argument: %s",
                            !ret_proc ? "ret_proc" : "pid");
    char state;
    uint64_t t;
    int r = read_proc_stat(pid, &state, &t);
    if (r == -ESRCH || (r == 0 && (state == 'Z' || state == 'X')))
        return vp_error_set(VP_ERR_OPERATION_INVALID, "process %d is not running", (int)pid);
    if (r < 0)
        return vp_error_set_errno(VP_ERR_SYSTEM, -r, "cannot read the state of process %d",
                                  (int)pid);
    vp_plugin_process p = {.pid = pid, .start_time = t};
    memcpy(p.boot_id, current_boot_id(), sizeof(p.boot_id));
    *ret_proc = p;
    return 0;
}

VP_EXPORT bool
vp_plugin_process_is_alive(const vp_plugin_process *proc)
{
    char state;
    uint64_t t;
    if (!proc || proc->pid <= 0)
        return false;
    if (proc->boot_id[0] && strncmp(proc->boot_id, current_boot_id(), sizeof(proc->boot_id)) != 0)
        return false;
    if (read_proc_stat(proc->pid, &state, &t) < 0)
        return false;
    if (t != proc->start_time || state == 'X')
        return false;
    return state != 'Z' || zombie_has_threads(proc->pid);
}

/* A pidfd of @proc's pid, -1 where the system has none or the pid is gone.
 * Opened before the identity is checked: a process alive now that started
 * at the recorded time held the pid all along, so the pidfd is that
 * process. */
static int
pidfd_of(const vp_plugin_process *proc)
{
#ifdef HAVE_PIDFD_OPEN
    return pidfd_open(proc->pid, 0);
#else
    (void)proc;
    errno = ENOSYS;
    return -1;
#endif
}

static int
pidfd_signal(int pidfd, int sig)
{
#ifdef HAVE_PIDFD_SEND_SIGNAL
    return pidfd_send_signal(pidfd, sig, NULL, 0);
#else
    (void)pidfd;
    (void)sig;
    errno = ENOSYS;
    return -1;
#endif
}

VP_EXPORT int
vp_plugin_process_signal(const vp_plugin_process *proc, int sig)
{
    if (!proc || proc->pid <= 0 || sig < 0)
        return vp_error_set(VP_ERR_INVALID_ARG, "invalid argument: %s", !proc ? "proc" : "sig");
    int pidfd = pidfd_of(proc);
    if (pidfd < 0 && errno == ESRCH)
        return 0;
    if (!vp_plugin_process_is_alive(proc)) {
        if (pidfd >= 0)
            close(pidfd);
        return 0;
    }
    int r = pidfd >= 0 ? pidfd_signal(pidfd, sig) : -1;
    if (pidfd < 0 || (r < 0 && errno == ENOSYS))
        r = kill(proc->pid, sig);
    int e = errno;
    if (pidfd >= 0)
        close(pidfd);
    if (r == 0)
        return 1;
    if (e == ESRCH)
        return 0;
    return vp_error_set_errno(VP_ERR_SYSTEM, e, "cannot send signal %d to process %d", sig,
                              (int)proc->pid);
}

VP_EXPORT bool
vp_plugin_process_wait_gone(const vp_plugin_process *proc, int timeout_ms)
{
    if (!proc)
        return true;
    int64_t deadline = timeout_ms >= 0 ? vpi_mono_ms() + timeout_ms : -1;
    int pidfd = pidfd_of(proc);
    int step_ms = 2;
    bool gone;
    while (!(gone = !vp_plugin_process_is_alive(proc))) {
        int64_t now = vpi_mono_ms();
        if (deadline >= 0 && now >= deadline)
            break;
        int wait_ms = deadline >= 0 && deadline - now < 1000 ? (int)(deadline - now) : 1000;
        if (pidfd >= 0) {
            /* Readable once the process exited, zombie or not (on a
             * kernel that signals it before the last thread is gone, a
             * short sleep keeps this from spinning). */
            struct pollfd pfd = {.fd = pidfd, .events = POLLIN};
            if (poll(&pfd, 1, wait_ms) > 0 && vp_plugin_process_is_alive(proc))
                vpi_sleep_ms(1);
        } else {
            if (step_ms < wait_ms)
                wait_ms = step_ms;
            vpi_sleep_ms(wait_ms);
            step_ms = step_ms < 100 ? step_ms * 2 : 100;
        }
    }
    if (pidfd >= 0)
        close(pidfd);
    return gone;
}

/* ---- the identity as text ---------------------------------------------- */

VP_EXPORT char *
vp_plugin_process_format(const vp_plugin_process *proc, char *buf)
{
    if (!buf)
        return NULL;
    if (!proc) {
        buf[0] = '\0';
        return buf;
    }
    snprintf(buf, VP_PLUGIN_PROCESS_STRLEN, "%d:%" PRIu64 ":%.*s", (int)proc->pid, proc->start_time,
             (int)sizeof(proc->boot_id) - 1, proc->boot_id);
    return buf;
}

static bool
boot_id_char_ok(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == '-';
}

VP_EXPORT int
vp_plugin_process_parse(const char *text, vp_plugin_process *ret_proc)
{
    if (!text || !ret_proc)
        return vp_error_set(VP_ERR_INVALID_ARG, "invalid argument: %s",
                            !text ? "text" : "ret_proc");
    vp_plugin_process p = {0};
    char *end;
    errno = 0;
    long pid = strtol(text, &end, 10);
    bool ok = !errno && end != text && *end == ':' && pid > 0 && pid <= INT32_MAX &&
              text[0] >= '0' && text[0] <= '9';
    const char *t = end + 1;
    if (ok) {
        errno = 0;
        p.start_time = strtoull(t, &end, 10);
        ok = !errno && end != t && *end == ':' && t[0] >= '0' && t[0] <= '9';
    }
    const char *b = end + 1;
    size_t blen = ok ? strlen(b) : 0;
    ok = ok && blen < sizeof(p.boot_id);
    for (size_t i = 0; ok && i < blen; i++)
        ok = boot_id_char_ok(b[i]);
    if (!ok)
        return vp_error_set(VP_ERR_INVALID_ARG,
                            "invalid process identity '%s': expected PID:START_TIME:BOOT_ID", text);
    p.pid = (pid_t)pid;
    memcpy(p.boot_id, b, blen + 1);
    *ret_proc = p;
    return 0;
}

/* ---- pidfiles -------------------------------------------------------------- */

VP_EXPORT int
vp_plugin_process_read_pidfile(const char *pidfile, vp_plugin_process *ret_proc)
{
    if (!pidfile || !ret_proc)
        return vp_error_set(VP_ERR_INVALID_ARG, "invalid argument: %s",
                            !pidfile ? "pidfile" : "ret_proc");
    _cleanup_free_ char *text = NULL;
    int r = vp_plugin_file_read(pidfile, 64, &text, NULL);
    if (r < 0)
        return r;
    char *end;
    errno = 0;
    long pid = strtol(text, &end, 10);
    while (*end == '\n' || *end == ' ' || *end == '\r')
        end++;
    if (errno || end == text || *end || pid <= 0 || pid > INT32_MAX || text[0] < '0' ||
        text[0] > '9')
        return vp_error_set(VP_ERR_INVALID_ARG, "pidfile '%s' holds no pid", pidfile);
    return vp_plugin_process_identify((pid_t)pid, ret_proc);
}
