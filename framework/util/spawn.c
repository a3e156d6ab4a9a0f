/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * util/spawn.c: starting a program as a detached daemon.
 *
 * Owns vp_plugin_process_spawn_detached(). The caller forks a child that
 * starts a session of its own and forks the daemon, then exits (reaped
 * here at once, so the caller never keeps a zombie or a child). The
 * daemon reports its pid over a pipe and waits on a second pipe; the
 * caller reads its identity, writes the pidfile, and only then lets it
 * run the program. A caller killed before that point closes the pipe and
 * the daemon exits without running anything, so no program runs without
 * its pidfile. An exec failure comes back over the first pipe, which
 * close-on-exec shuts on success. Between fork and exec the children make
 * only async-signal-safe calls, with every signal blocked until the
 * dispositions are reset, so a multithreaded caller is safe.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef HAVE_CLOSE_RANGE
#include <linux/close_range.h>
#endif

#include "internal.h"

extern char **environ;

/* What the children tell the caller over the report pipe. */
enum { MSG_PID = 1, MSG_FORK_FAILED, MSG_SETUP_FAILED, MSG_EXEC_FAILED };
typedef struct spawn_msg {
    int kind;
    int value; /* the pid, or an errno */
} spawn_msg;

typedef struct spawn_fds {
    int report[2]; /* children -> caller */
    int go[2];     /* caller -> daemon (a socket pair): one byte means "run it" */
    int null_fd;   /* /dev/null, for stdin (and output without a log) */
    int log_fd;    /* the log, or -1 */
    long max_fd;
} spawn_fds;

static void
fds_close(spawn_fds *f)
{
    int *all[] = {&f->report[0], &f->report[1], &f->go[0], &f->go[1], &f->null_fd, &f->log_fd};
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
        if (*all[i] >= 0)
            close(*all[i]);
        *all[i] = -1;
    }
}

/* ---- in the children: async-signal-safe calls only ------------------- */

static void
child_report(int fd, int kind, int value)
{
    spawn_msg m = {.kind = kind, .value = value};
    while (write(fd, &m, sizeof(m)) < 0 && errno == EINTR)
        ;
}

/* Every descriptor from 3 up closes on exec (the report pipe with them). */
static void
child_cloexec_all(long max_fd)
{
#ifdef HAVE_CLOSE_RANGE
    if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
        return;
#endif
    for (long fd = 3; fd < max_fd; fd++)
        fcntl((int)fd, F_SETFD, FD_CLOEXEC);
}

static void
child_reset_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = SIG_DFL;
    for (int sig = 1; sig < NSIG; sig++) {
        if (sig != SIGKILL && sig != SIGSTOP)
            sigaction(sig, &sa, NULL);
    }
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
}

static _Noreturn void
daemon_run(spawn_fds *f, const char *const *argv)
{
    int out = f->log_fd >= 0 ? f->log_fd : f->null_fd;
    child_report(f->report[1], MSG_PID, (int)getpid());
    char go = 0;
    ssize_t n;
    while ((n = read(f->go[0], &go, 1)) < 0 && errno == EINTR)
        ;
    if (n != 1)
        _exit(127); /* the caller died or gave up before the pidfile was written */
    if (dup2(f->null_fd, STDIN_FILENO) < 0 || dup2(out, STDOUT_FILENO) < 0 ||
        dup2(out, STDERR_FILENO) < 0 || chdir("/") < 0) {
        child_report(f->report[1], MSG_SETUP_FAILED, errno);
        _exit(127);
    }
    child_cloexec_all(f->max_fd);
    child_reset_signals();
    execve(argv[0], (char *const *)argv, environ);
    child_report(f->report[1], MSG_EXEC_FAILED, errno);
    _exit(127);
}

static _Noreturn void
intermediate_run(spawn_fds *f, const char *const *argv)
{
    /* The caller's ends stay the caller's: a daemon holding the go pair's
     * other end would never read end of file when the caller gives up,
     * and would wait forever. */
    close(f->report[0]);
    close(f->go[1]);
    if (setsid() < 0) {
        child_report(f->report[1], MSG_SETUP_FAILED, errno);
        _exit(1);
    }
    pid_t pid = fork();
    if (pid < 0) {
        child_report(f->report[1], MSG_FORK_FAILED, errno);
        _exit(1);
    }
    if (pid == 0)
        daemon_run(f, argv);
    _exit(0);
}

/* ---- in the caller -------------------------------------------------------- */

/* The next message, or kind 0 at end of file. */
static spawn_msg
read_msg(int fd)
{
    spawn_msg m = {0};
    ssize_t n;
    while ((n = read(fd, &m, sizeof(m))) < 0 && errno == EINTR)
        ;
    if (n != (ssize_t)sizeof(m))
        m.kind = 0;
    return m;
}

/* Move @*fd above the standard descriptors (a caller may have closed
 * stdin or stdout, so a new descriptor can be 0, 1 or 2): the daemon's
 * dup2() onto 0, 1 and 2 must not overwrite one it still needs. */
static int
fd_above_stdio(int *fd)
{
    if (*fd > STDERR_FILENO)
        return 0;
    int moved = fcntl(*fd, F_DUPFD_CLOEXEC, STDERR_FILENO + 1);
    if (moved < 0)
        return -errno;
    close(*fd);
    *fd = moved;
    return 0;
}

static int
fds_open(spawn_fds *f, const char *log_path)
{
    /* "go" is a socket: a send to a daemon that died answers EPIPE, where
     * a pipe would raise SIGPIPE in the caller. */
    if (pipe2(f->report, O_CLOEXEC) < 0 ||
        socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, f->go) < 0)
        return vp_error_set_errno(VP_ERR_SYSTEM, errno, "cannot create a pipe");
    f->null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (f->null_fd < 0)
        return vp_error_set_errno(VP_ERR_SYSTEM, errno, "cannot open '/dev/null'");
    if (log_path) {
        f->log_fd = open(log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOCTTY, 0600);
        if (f->log_fd < 0)
            return vp_error_set_errno(VP_ERR_SYSTEM, errno, "cannot open log file '%s'", log_path);
    }
    int *all[] = {&f->report[0], &f->report[1], &f->go[0], &f->go[1], &f->null_fd, &f->log_fd};
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
        int r = *all[i] >= 0 ? fd_above_stdio(all[i]) : 0;
        if (r < 0)
            return vp_error_set_errno(VP_ERR_SYSTEM, -r, "cannot move a descriptor");
    }
    f->max_fd = sysconf(_SC_OPEN_MAX);
    if (f->max_fd < 0 || f->max_fd > 65536)
        f->max_fd = 65536;
    return 0;
}

/* Fork the intermediate child with every signal blocked, reap it, and
 * read the daemon's pid. */
static int
fork_daemon(spawn_fds *f, const char *const *argv, pid_t *ret_pid)
{
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    pid_t child = fork();
    if (child == 0)
        intermediate_run(f, argv);
    int fork_errno = errno;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (child < 0)
        return vp_error_set_errno(VP_ERR_SYSTEM, fork_errno, "cannot start '%s': fork", argv[0]);
    close(f->report[1]);
    close(f->go[0]);
    f->report[1] = f->go[0] = -1;
    /* ECHILD: the application ignores SIGCHLD, and the kernel reaped it. */
    while (waitpid(child, NULL, 0) < 0 && errno == EINTR)
        ;
    spawn_msg m = read_msg(f->report[0]);
    if (m.kind == MSG_PID && m.value > 0) {
        *ret_pid = (pid_t)m.value;
        return 0;
    }
    if (m.kind == MSG_FORK_FAILED || m.kind == MSG_SETUP_FAILED)
        return vp_error_set_errno(VP_ERR_SYSTEM, m.value, "cannot start '%s': %s", argv[0],
                                  m.kind == MSG_FORK_FAILED ? "fork" : "setsid");
    return vp_error_set(VP_ERR_SYSTEM, "cannot start '%s': its process ended before it ran",
                        argv[0]);
}

static int
write_pidfile(const char *pidfile, pid_t pid)
{
    char text[32];
    int n = snprintf(text, sizeof(text), "%d\n", (int)pid);
    return vp_plugin_file_write_atomic(pidfile, text, (size_t)n, 0644);
}

VP_EXPORT int
vp_plugin_process_spawn_detached(const char *const *argv, const char *log_path, const char *pidfile,
                                 unsigned int flags, vp_plugin_process *ret_proc)
{
    if (!argv || !argv[0] || argv[0][0] != '/' || flags || !ret_proc)
        return vp_error_set(VP_ERR_INVALID_ARG, "invalid argument: %s",
                            !ret_proc ? "ret_proc"
                            : flags   ? "flags (must be 0)"
                                      : "argv (needs an absolute path)");
    if (access(argv[0], X_OK) < 0)
        return vp_error_set_errno(VP_ERR_SYSTEM, errno, "cannot run '%s'", argv[0]);
    spawn_fds f = {.report = {-1, -1}, .go = {-1, -1}, .null_fd = -1, .log_fd = -1};
    int r = fds_open(&f, log_path);
    pid_t pid = 0;
    if (r >= 0)
        r = fork_daemon(&f, argv, &pid);
    vp_plugin_process proc;
    /* The daemon waits on the go pipe: it is alive and is this pid. */
    if (r >= 0)
        r = vp_plugin_process_identify(pid, &proc);
    if (r >= 0 && pidfile)
        r = write_pidfile(pidfile, pid);
    if (r < 0) {
        fds_close(&f); /* a daemon waiting for "go" reads end of file and exits */
        return r;
    }
    char go = 'g';
    while (send(f.go[1], &go, 1, MSG_NOSIGNAL) < 0 && errno == EINTR)
        ;
    close(f.go[1]);
    f.go[1] = -1;
    spawn_msg m = read_msg(f.report[0]);
    fds_close(&f);
    if (m.kind == MSG_EXEC_FAILED || m.kind == MSG_SETUP_FAILED) {
        if (pidfile)
            unlink(pidfile);
        return vp_error_set_errno(VP_ERR_SYSTEM, m.value, "cannot run '%s'", argv[0]);
    }
    VP_DEBUG("process", "started '%s' detached as pid %d", argv[0], (int)pid);
    *ret_proc = proc;
    return 0;
}
