/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * guest.c: run build-guest.sh for a test and report where the guest is,
 * and give a domain its own copy of the guest's disk. It never downloads
 * anything itself; the script does, once per tree.
 */
#include <config.h>

#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

int
vp_test_guest_copy_disk(const char *guest_dir, const char *dir)
{
    _cleanup_free_ char *from = vp_asprintf("%s/disk.qcow2", guest_dir);
    _cleanup_free_ char *to = vp_asprintf("%s/disk.qcow2", dir);
    FILE *in = fopen(from, "rb");
    FILE *out = in ? fopen(to, "wb") : NULL;
    if (!out) {
        fprintf(stderr, "guest: cannot copy '%s' to '%s': %s\n", from, to, strerror(errno));
        if (in)
            fclose(in);
        return -1;
    }
    char buf[65536];
    size_t n;
    int r = 0;
    while (r == 0 && (n = fread(buf, 1, sizeof(buf), in)) > 0)
        r = fwrite(buf, 1, n, out) == n ? 0 : -1;
    if (ferror(in))
        r = -1;
    fclose(in);
    if (fclose(out) != 0)
        r = -1;
    if (r < 0)
        fprintf(stderr, "guest: cannot copy '%s' to '%s'\n", from, to);
    return r;
}
