/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * real-qemu.h: start a real QEMU (-machine none) or a real qemu-ga for
 * client tests, and always stop it.
 *
 * The processes run in a private temporary directory, die with the test
 * (PR_SET_PDEATHSIG) and are killed by real_proc_stop(). qemu-ga runs as
 * nobody when the test runs as root, with every freeze RPC blocked: a freeze
 * on the host would FIFREEZE this machine's own file systems.
 */
#ifndef VIRTPLUG_TESTS_REAL_QEMU_H
#define VIRTPLUG_TESTS_REAL_QEMU_H

#include <stdbool.h>
#include <sys/types.h>

typedef struct real_proc {
    pid_t pid;
    char dir[64];
    char socket[100];
    char socket2[100]; /* the second monitor of real_qemu_start2() */
} real_proc;

/* The QEMU binary from $QEMU_SYSTEM (set by AM_TESTS_ENVIRONMENT), or NULL
 * if it is not set or not executable. */
const char *real_qemu_binary(void);

/* qemu-ga from $QEMU_GA or /usr/sbin/qemu-ga, or NULL if absent. */
const char *real_qemu_ga_binary(void);

/* Start `QEMU -machine none` with a QMP socket (p->socket) and wait (up to
 * 30 s) until it accepts connections. Returns false (and kills it) if not. */
bool real_qemu_start(real_proc *p);

/* As real_qemu_start() with a second, independent QMP monitor on
 * p->socket2 (each QMP socket serves one client at a time). */
bool real_qemu_start2(real_proc *p);

/* Start qemu-ga listening on p->socket; false if it never listens. */
bool real_qemu_ga_start(real_proc *p);

/* SIGKILL the process and reap it; the directory stays. */
void real_proc_kill(real_proc *p);

/* Kill the process, reap it, remove its directory. Safe to call twice. */
void real_proc_stop(real_proc *p);

#endif /* VIRTPLUG_TESTS_REAL_QEMU_H */
