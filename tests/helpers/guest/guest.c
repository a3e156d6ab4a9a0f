/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * guest.c: run build-guest.sh for a test and report where the guest is.
 * It never downloads anything itself; the script does, once per tree.
 */
#include <config.h>

#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <virtplug/sdk/alloc.h>

#include "guest/guest.h"

extern char **environ;

int
vp_test_guest_prepare(char **ret_dir)
{
    const char *src = secure_getenv("VP_TOP_SRCDIR");
    const char *build = secure_getenv("VP_TOP_BUILDDIR");
    if (!src || !build) {
        fprintf(stderr,
                "guest: VP_TOP_SRCDIR and VP_TOP_BUILDDIR must be set (run under make check)\n");
        return -1;
    }
    _cleanup_free_ char *script = vp_asprintf("%s/tests/helpers/guest/build-guest.sh", src);
    _cleanup_free_ char *dir = vp_asprintf("%s/tests/guest", build);
    char *argv[] = {(char *)"/bin/sh", script, dir, NULL};
    pid_t pid;
    if (posix_spawn(&pid, argv[0], NULL, NULL, argv, environ) != 0) {
        perror("guest: cannot run build-guest.sh");
        return -1;
    }
    int st;
    if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st))
        return -1;
    if (WEXITSTATUS(st) == 77)
        return 77;
    if (WEXITSTATUS(st) != 0) {
        fprintf(stderr, "guest: build-guest.sh failed with status %d\n", WEXITSTATUS(st));
        return -1;
    }
    *ret_dir = VP_STEAL_PTR(dir);
    return 0;
}
