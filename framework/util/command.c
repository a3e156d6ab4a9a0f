/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * util/command.c: running child processes for drivers.
 *
 * Owns vp_plugin_command_run(): spawn a command without a shell, capture
 * stdout and stderr, enforce a timeout, reap the child. It never leaves a
 * zombie or a child running after a timeout.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "internal.h"

extern char **environ;

typedef struct capture {
    int fd;
    char *buf;
    size_t len, cap;
} capture;

static void
capture_read(capture *c)
{
    if (c->len + 4096 > c->cap) {
        c->cap = c->cap ? c->cap * 2 : 8192;
        c->buf = vp_renew(char, c->buf, c->cap);
    }
    ssize_t n = read(c->fd, c->buf + c->len, c->cap - c->len - 1);
    if (n > 0) {
        c->len += (size_t)n;
    } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
        close(c->fd);
        c->fd = -1;
    }
}

static int
spawn_child(const char *const *argv, int out_fd, int err_fd, pid_t *ret_pid)
{
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    sigset_t none;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, out_fd, STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&fa, err_fd, STDERR_FILENO);
    /* Nothing else of the caller's: a daemon it starts (swtpm --daemon)
     * would keep an application's inheritable descriptor open for life. */
    posix_spawn_file_actions_addclosefrom_np(&fa, STDERR_FILENO + 1);
    posix_spawnattr_init(&attr);
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    sigset_t all;
    sigfillset(&all);
    posix_spawnattr_setsigdefault(&attr, &all);
    int r = posix_spawn(ret_pid, argv[0], &fa, &attr, (char *const *)argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    return r;
}

static int
wait_child(pid_t pid, int *ret_status)
{
    int st;
    while (waitpid(pid, &st, 0) < 0) {
        if (errno != EINTR)
            return -errno;
    }
    *ret_status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    return 0;
}

static char *
capture_take(capture *c)
{
    if (!c->buf)
        return vp_strdup("");
    c->buf[c->len] = '\0';
    char *s = c->buf;
    c->buf = NULL;
    return s;
}

VP_EXPORT int
vp_plugin_command_run(const char *const *argv, int timeout_ms, int *ret_exit_status,
                      char **ret_stdout, char **ret_stderr)
{
    if (!argv || !argv[0] || argv[0][0] != '/' || !ret_exit_status)
        return vp_error_set(VP_ERR_INVALID_ARG, "invalid argument: %s",
                            !ret_exit_status ? "ret_exit_status" : "argv (needs an absolute path)");
    /* Checked here too: some spawn implementations (and valgrind) report a
     * failed exec only as exit status 127. */
    if (access(argv[0], X_OK) < 0)
        return vp_error_set_errno(VP_ERR_SYSTEM, errno, "cannot run '%s'", argv[0]);
    int out[2], err[2];
    if (pipe2(out, O_CLOEXEC) < 0)
        return vp_error_set_errno(VP_ERR_SYSTEM, errno, "cannot run '%s': pipe", argv[0]);
    if (pipe2(err, O_CLOEXEC) < 0) {
        int e = errno;
        close(out[0]);
        close(out[1]);
        return vp_error_set_errno(VP_ERR_SYSTEM, e, "cannot run '%s': pipe", argv[0]);
    }
    pid_t pid;
    int r = spawn_child(argv, out[1], err[1], &pid);
    close(out[1]);
    close(err[1]);
    if (r != 0) {
        close(out[0]);
        close(err[0]);
        return vp_error_set_errno(VP_ERR_SYSTEM, r, "cannot run '%s'", argv[0]);
    }
    VP_DEBUG("command", "started '%s' as pid %d", argv[0], (int)pid);

    capture caps[2] = {{.fd = out[0]}, {.fd = err[0]}};
    int64_t deadline = timeout_ms >= 0 ? vpi_mono_ms() + timeout_ms : -1;
    bool timed_out = false;
    while (caps[0].fd >= 0 || caps[1].fd >= 0) {
        struct pollfd pfd[2] = {{.fd = caps[0].fd, .events = POLLIN},
                                {.fd = caps[1].fd, .events = POLLIN}};
        int wait_ms = -1;
        if (deadline >= 0) {
            int64_t left = deadline - vpi_mono_ms();
            if (left <= 0) {
                timed_out = true;
                break;
            }
            wait_ms = (int)left;
        }
        int n = poll(pfd, 2, wait_ms);
        if (n < 0 && errno != EINTR)
            break;
        for (int i = 0; i < 2; i++)
            if (pfd[i].fd >= 0 && (pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
                capture_read(&caps[i]);
    }
    for (int i = 0; i < 2; i++)
        if (caps[i].fd >= 0)
            close(caps[i].fd);
    if (timed_out)
        kill(pid, SIGKILL);
    int status = 0;
    r = wait_child(pid, &status);
    _cleanup_free_ char *o = capture_take(&caps[0]);
    _cleanup_free_ char *e = capture_take(&caps[1]);
    if (r < 0)
        return vp_error_set_errno(VP_ERR_SYSTEM, -r, "cannot wait for '%s'", argv[0]);
    if (timed_out)
        return vp_error_set(VP_ERR_TIMEOUT, "'%s' did not finish within %d ms and was killed",
                            argv[0], timeout_ms);
    VP_DEBUG("command", "'%s' exited with status %d", argv[0], status);
    *ret_exit_status = status;
    if (ret_stdout)
        *ret_stdout = VP_STEAL_PTR(o);
    if (ret_stderr)
        *ret_stderr = VP_STEAL_PTR(e);
    return 0;
}
