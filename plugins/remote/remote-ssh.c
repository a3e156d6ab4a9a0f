/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * remote-ssh.c: starting and ending the ssh process of a remote connection.
 *
 * Owns the fork/exec of ssh with its argv (never a shell), its stdin and
 * stdout on one socket (so writes to a dead peer fail with EPIPE instead of
 * raising SIGPIPE in the application), its stderr on a pipe, and reaping
 * it: every process started here is waited for, killed first if needed;
 * and what ssh said (the end of its stderr, its exit) as one error.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <virtplug/sdk/alloc.h>
#include <virtplug/sdk/services.h>

#include "remote-ssh.h"

/* In the child: only async-signal-safe calls until exec. */
static void
child_exec(char *const *argv, int sock, int err, int status)
{
    sigset_t all;
    sigemptyset(&all);
    sigprocmask(SIG_SETMASK, &all, NULL);
    signal(SIGPIPE, SIG_DFL);
    if (dup2(sock, STDIN_FILENO) < 0 || dup2(sock, STDOUT_FILENO) < 0 ||
        dup2(err, STDERR_FILENO) < 0)
        _exit(126);
    execvp(argv[0], argv);
    int e = errno;
    ssize_t unused = write(status, &e, sizeof(e));
    (void)unused;
    _exit(126);
}

int
remote_ssh_spawn(char *const *argv, int timeout_ms, remote_ssh *ret)
{
    int sv[2], ep[2], st[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
        return vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno, "cannot create a socket for ssh");
    if (pipe2(ep, O_CLOEXEC) < 0 || pipe2(st, O_CLOEXEC) < 0) {
        int e = errno;
        close(sv[0]);
        close(sv[1]);
        return vp_plugin_error_set_errno(VP_ERR_SYSTEM, e, "cannot create a pipe for ssh");
    }
    pid_t pid = fork();
    if (pid == 0)
        child_exec(argv, sv[1], ep[1], st[1]);
    int fork_errno = errno;
    close(sv[1]);
    close(ep[1]);
    close(st[1]);
    int exec_errno = 0;
    ssize_t n = pid > 0 ? read(st[0], &exec_errno, sizeof(exec_errno)) : 0;
    close(st[0]);
    if (pid < 0 || n == (ssize_t)sizeof(exec_errno)) {
        if (pid > 0)
            waitpid(pid, NULL, 0);
        close(sv[0]);
        close(ep[0]);
        return vp_plugin_error_set_errno(VP_ERR_SYSTEM, pid < 0 ? fork_errno : exec_errno,
                                         "cannot run '%s'", argv[0]);
    }
    struct timeval tv = {timeout_ms / 1000, (timeout_ms % 1000) * 1000};
    setsockopt(sv[0], SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    *ret = (remote_ssh){.pid = pid, .fd = sv[0], .err_fd = ep[0]};
    return 0;
}

static bool
reap_within(pid_t pid, int ms, int *ret_status)
{
    for (int waited = 0;; waited += 10) {
        pid_t r = waitpid(pid, ret_status, WNOHANG);
        if (r == pid || (r < 0 && errno != EINTR))
            return true;
        if (waited >= ms)
            return false;
        nanosleep(&(struct timespec){0, 10 * 1000 * 1000}, NULL);
    }
}

int
remote_ssh_reap(remote_ssh *ssh, int grace_ms)
{
    int status = 0;
    if (ssh->pid <= 0)
        return ssh->status;
    if (!reap_within(ssh->pid, grace_ms, &status)) {
        kill(ssh->pid, SIGTERM);
        if (!reap_within(ssh->pid, 1000, &status)) {
            kill(ssh->pid, SIGKILL);
            waitpid(ssh->pid, &status, 0);
        }
    }
    ssh->pid = 0;
    ssh->status = status;
    return status;
}

void
remote_ssh_kill(remote_ssh *ssh)
{
    if (ssh->pid > 0)
        kill(ssh->pid, SIGTERM);
}

bool
remote_ssh_have_terminal(void)
{
    int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return false;
    close(fd);
    return true;
}

/* ---- What ssh said: its stderr and its exit ---------------------------- */

/* The last non-empty line ssh wrote to stderr, or NULL. (transfer full) */
static char *
stderr_last_line(const remote_ssh *ssh)
{
    size_t end = ssh->err_len;
    while (end > 0 && (ssh->err_tail[end - 1] == '\n' || ssh->err_tail[end - 1] == '\r'))
        end--;
    size_t start = end;
    while (start > 0 && ssh->err_tail[start - 1] != '\n')
        start--;
    return end > start ? vp_strndup(ssh->err_tail + start, end - start) : NULL;
}

char *
remote_ssh_exit_message(const remote_ssh *ssh, const char *h, bool ready, int status, int *ret_code)
{
    _cleanup_free_ char *line = stderr_last_line(ssh);
    _cleanup_free_ char *why = NULL;
    int code = VP_ERR_SYSTEM;
    char *msg;
    if (WIFSIGNALED(status))
        why = vp_asprintf("ssh was killed by signal %d", WTERMSIG(status));
    else if (line)
        why = vp_asprintf("%s (exit status %d)", line, WEXITSTATUS(status));
    else
        why = vp_asprintf("ssh exited with status %d", WEXITSTATUS(status));
    if (!ready && WIFEXITED(status) && WEXITSTATUS(status) == 127) {
        code = VP_ERR_NO_PLUGIN;
        msg = vp_asprintf(
            "cannot start virtplug on host '%s': %s; install the package 'vpsh' on %s, or give the helper's path with '?command=PATH'",
            h, why, h);
    } else if (!ready && WIFEXITED(status) && WEXITSTATUS(status) == 255) {
        msg = vp_asprintf("cannot connect to host '%s': %s", h, line ? line : why);
    } else if (!ready) {
        msg = vp_asprintf(
            "cannot connect to host '%s': the connection ended before the handshake: %s", h, why);
    } else {
        msg = vp_asprintf("the connection to host '%s' was lost: %s", h, why);
    }
    *ret_code = code;
    return msg;
}

void
remote_ssh_read_stderr(remote_ssh *ssh)
{
    char buf[1024];
    ssize_t n = read(ssh->err_fd, buf, sizeof(buf));
    if (n <= 0) {
        if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
            close(ssh->err_fd);
            ssh->err_fd = -1;
        }
        return;
    }
    _Static_assert(sizeof(buf) <= REMOTE_SSH_STDERR_KEEP, "a read fits in the kept tail");
    if (ssh->err_len + (size_t)n > REMOTE_SSH_STDERR_KEEP) {
        size_t drop = ssh->err_len + (size_t)n - REMOTE_SSH_STDERR_KEEP;
        memmove(ssh->err_tail, ssh->err_tail + drop, ssh->err_len - drop);
        ssh->err_len -= drop;
    }
    memcpy(ssh->err_tail + ssh->err_len, buf, (size_t)n);
    ssh->err_len += (size_t)n;
    ssh->err_tail[ssh->err_len] = '\0';
}
