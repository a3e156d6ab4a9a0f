/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * bsd-ops.h: the operating-system calls of the hostpower-bsd plugin.
 *
 * Everything the plugin asks of the OS goes through one of these slots, so
 * a test can replace the whole table, and the real table only runs the
 * commands that hostpower.conf names: on Linux the same code runs against
 * fake sysctl, acpiconf, zzz and apm scripts.
 */
#ifndef HOSTPOWER_BSD_OPS_H
#define HOSTPOWER_BSD_OPS_H

#include <stdbool.h>
#include <stddef.h>

typedef struct bsd_ops {
    /* The kernel's name as uname(3) reports it ("FreeBSD"); for os = auto.
     * Writes @buf (NUL-terminated) and returns 0, or sets an error. */
    int (*sysname)(char *buf, size_t size);
    /* Whether @path names a file this process may execute. */
    bool (*executable)(const char *path);
    /* Run @argv as vp_plugin_command_run() does (same contract). */
    int (*run)(const char *const *argv, int timeout_ms, int *ret_exit_status, char **ret_stdout,
               char **ret_stderr);
} bsd_ops;

/* The real calls: uname(3), access(2), vp_plugin_command_run(). */
extern const bsd_ops bsd_real_ops;

#endif /* HOSTPOWER_BSD_OPS_H */
