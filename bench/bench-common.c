/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * bench/bench-common.c: timing helpers for the benchmark programs.
 *
 * Owns the clock, the median, and running a command many times with
 * fork/exec + wait4 to read its wall time and peak RSS. Benchmarks only:
 * nothing here is part of libvirtplug.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench-common.h"

extern char **environ;

int64_t
bench_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double
bench_median(double *v, size_t n)
{
    if (n == 0)
        return 0;
    qsort(v, n, sizeof(*v), cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static volatile int bench_sink_value;

void
bench_sink(int v)
{
    bench_sink_value = v;
}

/* The environment of the child: ours plus @extra. */
static char **
child_env(const char *extra)
{
    size_t n = 0;
    while (environ[n])
        n++;
    char **env = calloc(n + 2, sizeof(*env));
    if (!env)
        abort();
    size_t o = 0;
    if (extra)
        env[o++] = (char *)extra;
    for (size_t i = 0; i < n; i++)
        env[o++] = environ[i];
    return env;
}

static int
run_once(const char *const *argv, char **env, double *ret_ms, double *ret_rss_kib)
{
    int64_t t0 = bench_now_ns();
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        int fd = open("/dev/null", O_RDWR);
        if (fd >= 0) {
            dup2(fd, STDIN_FILENO);
            dup2(fd, STDOUT_FILENO);
            dup2(fd, STDERR_FILENO);
        }
        execve(argv[0], (char *const *)argv, env);
        _exit(127);
    }
    int status;
    struct rusage ru;
    while (wait4(pid, &status, 0, &ru) < 0)
        if (errno != EINTR)
            return -1;
    int64_t t1 = bench_now_ns();
    *ret_ms = (double)(t1 - t0) / 1e6;
    *ret_rss_kib = (double)ru.ru_maxrss;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

int
bench_process(const char *const *argv, const char *env_extra, int runs, double *ret_ms,
              double *ret_rss_kib, char *ret_note, size_t note_size)
{
    double *ms = calloc((size_t)runs, sizeof(*ms));
    double *rss = calloc((size_t)runs, sizeof(*rss));
    char **env = child_env(env_extra);
    if (!ms || !rss)
        abort();
    int r = 0;
    double warm_ms, warm_rss;
    (void)run_once(argv, env, &warm_ms, &warm_rss); /* page cache, like a user's second run */
    for (int i = 0; i < runs && r == 0; i++) {
        if (run_once(argv, env, &ms[i], &rss[i]) < 0) {
            snprintf(ret_note, note_size, "'%s' failed", argv[0]);
            r = -1;
        }
    }
    if (r == 0) {
        *ret_ms = bench_median(ms, (size_t)runs);
        *ret_rss_kib = bench_median(rss, (size_t)runs);
    }
    free(ms);
    free(rss);
    free(env);
    return r;
}

int
bench_run(const char *const *argv, char *out, size_t out_size)
{
    int fds[2];
    /* Close-on-exec: a daemon the command starts (libvirtd-ctl.sh's
     * libvirtd) must not inherit the pipe, or its end never comes. */
    if (out && pipe2(fds, O_CLOEXEC) < 0)
        return -1;
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        int null = open("/dev/null", O_RDWR);
        if (null >= 0)
            dup2(null, STDIN_FILENO);
        if (out)
            dup2(fds[1], STDOUT_FILENO);
        else if (null >= 0)
            dup2(null, STDOUT_FILENO);
        execvp(argv[0], (char *const *)argv);
        _exit(127);
    }
    size_t len = 0;
    if (out) {
        close(fds[1]);
        ssize_t n;
        while ((n = read(fds[0], out + len, out_size - 1 - len)) != 0) {
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0 || (len += (size_t)n) == out_size - 1)
                break;
        }
        out[len] = '\0';
        close(fds[0]);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

int
bench_copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb");
    FILE *out = fopen(to, "wb");
    int r = in && out ? 0 : -1;
    char buf[65536];
    size_t n;
    while (r == 0 && (n = fread(buf, 1, sizeof(buf), in)) > 0)
        r = fwrite(buf, 1, n, out) == n ? 0 : -1;
    if (in)
        fclose(in);
    if (out && fclose(out) != 0)
        r = -1;
    if (r < 0)
        fprintf(stderr, "bench: cannot copy '%s' to '%s'\n", from, to);
    return r;
}

/* The first line of what "libvirtd-ctl.sh ACTION" printed, into @line. */
static int
libvirtd_ctl(const char *srcdir, const char *action, char *line, size_t size)
{
    char script[4096];
    snprintf(script, sizeof(script), "%s/bench/libvirtd-ctl.sh", srcdir);
    int r = bench_run((const char *const[]){"sh", script, action, NULL}, line, size);
    line[strcspn(line, "\n")] = '\0';
    return r;
}

int
bench_libvirt_anchors(const char *srcdir, const char *builddir, const char *const *args,
                      const char *const *keys, double *values, char *note, size_t note_size)
{
    return bench_libvirt_program(srcdir, builddir, "bench-libvirt-qemu", args, keys, values, note,
                                 note_size);
}

int
bench_libvirt_program(const char *srcdir, const char *builddir, const char *program,
                      const char *const *args, const char *const *keys, double *values, char *note,
                      size_t note_size)
{
    char line[512], prog[4096], out[4096];
    if (libvirtd_ctl(srcdir, "start", line, sizeof(line)) < 0) {
        snprintf(note, note_size, "n/a: %s", *line ? line : "libvirtd-ctl.sh failed");
        return -1;
    }
    bool started = strcmp(line, "started") == 0;
    size_t n = 0, n_args = 0;
    while (keys[n])
        values[n++] = -1;
    while (args[n_args])
        n_args++;
    const char **argv = calloc(n_args + 2, sizeof(*argv));
    if (!argv)
        abort();
    snprintf(prog, sizeof(prog), "%s/bench/%s", builddir, program);
    argv[0] = prog;
    memcpy(argv + 1, args, n_args * sizeof(*argv));
    int r = bench_run(argv, out, sizeof(out));
    free(argv);
    for (char *l = out; r == 0 && *l; l += strcspn(l, "\n") + (l[strcspn(l, "\n")] != '\0')) {
        for (size_t k = 0; k < n; k++) {
            size_t len = strlen(keys[k]);
            if (strncmp(l, keys[k], len) == 0 && l[len] == ' ')
                values[k] = strtod(l + len + 1, NULL);
        }
    }
    for (size_t k = 0; k < n; k++)
        r = values[k] < 0 ? -1 : r;
    if (r < 0)
        snprintf(note, note_size, "libvirt run failed (see stderr)");
    if (started && libvirtd_ctl(srcdir, "stop", line, sizeof(line)) < 0)
        fprintf(stderr, "bench: could not stop the libvirtd it started\n");
    return r;
}

static bool
is_elf(const char *path)
{
    char magic[4] = {0};
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    ssize_t n = read(fd, magic, sizeof(magic));
    close(fd);
    return n == 4 && memcmp(magic, "\177ELF", 4) == 0;
}

int
bench_vpsh_binary(const char *top, char *path, size_t size)
{
    const char *cands[] = {"tools/vpsh/.libs/lt-vpsh", "tools/vpsh/.libs/vpsh", "tools/vpsh/vpsh"};
    for (size_t i = 0; i < sizeof(cands) / sizeof(cands[0]); i++) {
        snprintf(path, size, "%s/%s", top, cands[i]);
        if (is_elf(path))
            return 0;
    }
    path[0] = '\0';
    return -1;
}
