/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * remote-ssh.h: the ssh child process of a remote connection.
 */
#ifndef VIRTPLUG_REMOTE_SSH_H
#define VIRTPLUG_REMOTE_SSH_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define REMOTE_SSH_STDERR_KEEP 2048

typedef struct remote_ssh {
    pid_t pid;  /* 0 once reaped */
    int fd;     /* ssh's stdin and stdout */
    int err_fd; /* ssh's stderr, -1 once it ended */
    int status; /* the wait status, once reaped */
    /* the end of what ssh wrote to stderr (one reader only) */
    char err_tail[REMOTE_SSH_STDERR_KEEP + 1];
    size_t err_len;
} remote_ssh;

/* Run @argv (argv[0] looked up in PATH); a send blocked for @timeout_ms
 * fails. Errors: VP_ERR_SYSTEM naming the program. */
int remote_ssh_spawn(char *const *argv, int timeout_ms, remote_ssh *ret_ssh);
/* Wait up to @grace_ms for ssh to exit, then SIGTERM, then SIGKILL; return
 * its wait status. */
int remote_ssh_reap(remote_ssh *ssh, int grace_ms);
/* SIGTERM to ssh, if it still runs. */
void remote_ssh_kill(remote_ssh *ssh);
/* True when ssh can prompt (for a password, a passphrase): this process
 * has a controlling terminal. */
bool remote_ssh_have_terminal(void);
/* One read of ssh's stderr into its kept tail; at its end, err_fd is
 * closed and set to -1. */
void remote_ssh_read_stderr(remote_ssh *ssh);
/* The message (transfer full) for ssh having ended with wait status
 * @status, naming @host and the cause (ssh's last line on stderr when it
 * wrote one); @ready: the handshake had ended. *@ret_code: the VP_ERR_*
 * code (VP_ERR_NO_PLUGIN when the far side has no helper). */
char *remote_ssh_exit_message(const remote_ssh *ssh, const char *host, bool ready, int status,
                              int *ret_code);

#endif /* VIRTPLUG_REMOTE_SSH_H */
