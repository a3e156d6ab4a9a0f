/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * plugin-dir.h: private plugin directories for the loader and registry
 * tests. Header-only test helpers, never installed.
 *
 * The loader refuses symlinks and group- or world-writable files, so a
 * test copies the plugin files it needs from the build tree into a fresh
 * mkdtemp() directory with the mode it chooses, and points
 * VIRTPLUG_PLUGIN_DIR there.
 */
#ifndef VP_TESTS_PLUGIN_DIR_H
#define VP_TESTS_PLUGIN_DIR_H

#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <virtplug/sdk/alloc.h>

/* The build tree's copy of test plugin @plugin (tests/framework/plugins). */
static inline char *
pd_source(const char *plugin)
{
    const char *top = secure_getenv("VP_TOP_BUILDDIR");
    if (!top)
        top = ".";
    return vp_asprintf("%s/tests/framework/plugins/.libs/%s.so", top, plugin);
}

/* A new private directory (0755), made the plugin directory. */
static inline char *
pd_new(void)
{
    char tmpl[] = "/tmp/vp-plugins-XXXXXX";
    if (!mkdtemp(tmpl) || chmod(tmpl, 0755) < 0)
        abort();
    if (setenv("VIRTPLUG_PLUGIN_DIR", tmpl, 1) < 0)
        abort();
    return vp_strdup(tmpl);
}

/* Copy the file @src to @dst with exactly @mode; -1 on any failure. */
static inline int
pd_copy(const char *src, const char *dst, mode_t mode)
{
    FILE *in = fopen(src, "rb");
    if (!in)
        return -1;
    int fd = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        fclose(in);
        return -1;
    }
    char buf[65536];
    size_t n;
    int r = 0;
    while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
        if (write(fd, buf, n) != (ssize_t)n)
            r = -1;
    if (ferror(in) || fchmod(fd, mode) < 0)
        r = -1;
    fclose(in);
    if (close(fd) < 0)
        r = -1;
    return r;
}

/* Install test plugin @plugin into @dir as AS.so (AS NULL: same name). */
static inline int
pd_install(const char *dir, const char *plugin, const char *as, mode_t mode)
{
    _cleanup_free_ char *src = pd_source(plugin);
    _cleanup_free_ char *dst = vp_asprintf("%s/%s.so", dir, as ? as : plugin);
    return pd_copy(src, dst, mode);
}

static inline int
pd_remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    chmod(path, 0700);
    return remove(path) < 0 ? -1 : 0;
}

/* Remove @dir and everything in it; frees @dir. */
static inline void
pd_free(char *dir)
{
    if (!dir)
        return;
    chmod(dir, 0700);
    nftw(dir, pd_remove_one, 16, FTW_DEPTH | FTW_PHYS);
    free(dir);
}

/* Run @fn(@arg) in a child process: its exit status, or 128 + signal. */
static inline int
pd_in_child(int (*fn)(void *), void *arg)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        abort();
    if (pid == 0)
        _exit(fn(arg));
    int status;
    while (waitpid(pid, &status, 0) < 0)
        ;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

#endif /* VP_TESTS_PLUGIN_DIR_H */
