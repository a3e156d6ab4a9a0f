/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * bsd-ops.c: the real operating-system calls of the hostpower-bsd plugin.
 *
 * Owns bsd_real_ops and nothing else: thin wrappers around uname(3),
 * access(2) and the core's child-process service. It must never decide
 * anything; the decisions live in bsd-sleep.c, where tests reach them.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <virtplug/sdk/services.h>

#include "bsd-ops.h"

static int
real_sysname(char *buf, size_t size)
{
    struct utsname u;
    if (uname(&u) < 0)
        return vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno,
                                         "cannot read the OS name with uname()");
    snprintf(buf, size, "%s", u.sysname);
    return 0;
}

static bool
real_executable(const char *path)
{
    return access(path, X_OK) == 0;
}

const bsd_ops bsd_real_ops = {
    .sysname = real_sysname,
    .executable = real_executable,
    .run = vp_plugin_command_run,
};
