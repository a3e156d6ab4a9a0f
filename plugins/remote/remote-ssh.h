/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * remote-ssh.h: the ssh child process of a remote connection.
 */
#ifndef VIRTPLUG_REMOTE_SSH_H
#define VIRTPLUG_REMOTE_SSH_H

#include <sys/types.h>

typedef struct remote_ssh {
    pid_t pid;  /* 0 once reaped */
    int fd;     /* ssh's stdin and stdout */
    int err_fd; /* ssh's stderr */
    int status; /* the wait status, once reaped */
} remote_ssh;

/* Run @argv (argv[0] looked up in PATH); a send blocked for @timeout_ms
 * fails. Errors: VP_ERR_SYSTEM naming the program. */
int remote_ssh_spawn(char *const *argv, int timeout_ms, remote_ssh *ret_ssh);
/* Wait up to @grace_ms for ssh to exit, then SIGTERM, then SIGKILL; return
 * its wait status. */
int remote_ssh_reap(remote_ssh *ssh, int grace_ms);
/* SIGTERM to ssh, if it still runs. */
void remote_ssh_kill(remote_ssh *ssh);

#endif /* VIRTPLUG_REMOTE_SSH_H */
