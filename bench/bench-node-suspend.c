/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * bench/bench-node-suspend.c: the node-suspend figure (issue 4, "Speed").
 *
 * Measures how long vp_node_suspend_for_duration() takes to return (the
 * checks, the host-wide lock, the capability probe, arming the wake alarm,
 * the outcome record, starting the thread), p50 and p99 over 1,000 calls,
 * each followed by vp_node_suspend_cancel() outside the timing. The real
 * hostpower-linux plugin runs against a fake host built here: a tree of
 * regular files for sys/power and sys/class/rtc, and a hostpower.conf that
 * points every path at it, so nothing can arm this machine's RTC or
 * suspend it.
 *
 * The anchor is libvirt's way: the alarm set by running 'rtcwake -m no -s N'.
 * Its figure here uses /bin/true as rtcwake, so it measures only the cost
 * of starting and reaping one small program (the real rtcwake also opens
 * /dev/rtc0 and reads the RTC, so it is slower): a lower bound for the
 * command path. The record lives on tmpfs (/dev/shm), as the runtime
 * directory /run is on usual hosts; one more line shows it on /tmp.
 */
#include <config.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <virtplug/virtplug.h>

#include "bench-common.h"

#define CALLS 1000
#define URI "test:///default?hostpower=hostpower-linux&suspend_delay_ms=600000"

static void
die(const char *what)
{
    const vp_error *e = vp_error_last();
    fprintf(stderr, "bench-node-suspend: %s: %s\n", what, e ? e->message : "failed");
    exit(1);
}

static void
write_file(const char *dir, const char *rel, const char *content)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", dir, rel);
    for (char *s = path + strlen(dir) + 1; (s = strchr(s, '/')); s++) {
        *s = '\0';
        mkdir(path, 0755);
        *s = '/';
    }
    FILE *f = fopen(path, "w");
    if (!f || fputs(content, f) < 0 || fclose(f) != 0)
        die(path);
}

/* A fake host under @base: sysfs tree, conf, runtime dir. */
static char *
fake_host(const char *base, bool with_rtc)
{
    char tmpl[4096];
    snprintf(tmpl, sizeof(tmpl), "%s/vp-bench-hostpower-XXXXXX", base);
    char *dir = mkdtemp(tmpl) ? strdup(tmpl) : NULL;
    if (!dir)
        die("mkdtemp");
    write_file(dir, "root/sys/power/state", "freeze mem disk\n");
    write_file(dir, "root/sys/power/disk", "[platform] shutdown suspend\n");
    if (with_rtc) {
        write_file(dir, "root/sys/class/rtc/rtc0/wakealarm", "");
        write_file(dir, "root/sys/class/rtc/rtc0/since_epoch", "1700000000\n");
    }
    char conf[8192];
    snprintf(conf, sizeof(conf),
             "backend = sysfs\nsysfs_root = %s/root\nrtcwake = /bin/true\n"
             "rtc_dev_dir = %s/dev\npm_is_supported = %s/none\n",
             dir, dir, dir);
    write_file(dir, "hostpower.conf", conf);
    write_file(dir, "run/.keep", "");
    char path[4096];
    snprintf(path, sizeof(path), "%s/hostpower.conf", dir);
    setenv("VIRTPLUG_HOSTPOWER_CONF", path, 1);
    snprintf(path, sizeof(path), "%s/run", dir);
    setenv("VIRTPLUG_RUNTIME_DIR", path, 1);
    return dir;
}

static void
remove_tree(const char *dir)
{
    char *argv_rm[] = {"/bin/rm", "-rf", (char *)dir, NULL};
    pid_t pid = fork();
    if (pid == 0) {
        execv(argv_rm[0], argv_rm);
        _exit(127);
    }
    int st;
    waitpid(pid, &st, 0);
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* p50 and p99 in microseconds of CALLS requests on a fresh fake host. */
static void
measure(const char *base, bool with_rtc, double *ret_p50, double *ret_p99)
{
    static double us[CALLS];
    char *dir = fake_host(base, with_rtc);
    vp_conn *conn = NULL;
    if (vp_conn_open(URI, 0, &conn) < 0)
        die("open " URI);
    for (int i = 0; i < CALLS; i++) {
        int64_t t0 = bench_now_ns();
        int r = vp_node_suspend_for_duration(conn, VP_NODE_SUSPEND_TARGET_MEM, 60, 0);
        int64_t t1 = bench_now_ns();
        if (r < 0)
            die("vp_node_suspend_for_duration");
        if (vp_node_suspend_cancel(conn, 0) < 0)
            die("vp_node_suspend_cancel");
        us[i] = (double)(t1 - t0) / 1e3;
    }
    vp_conn_close(conn);
    qsort(us, CALLS, sizeof(us[0]), cmp_double);
    *ret_p50 = us[CALLS / 2];
    *ret_p99 = us[CALLS * 99 / 100];
    remove_tree(dir);
    free(dir);
}

int
main(void)
{
    const char *shm = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    double p50, p99, a50, a99, d50, d99;
    measure(shm, true, &p50, &p99);
    measure(shm, false, &a50, &a99);
    measure("/tmp", true, &d50, &d99);
    printf("node suspend: vp_node_suspend_for_duration() until it returns, %d calls "
           "(each then cancelled), hostpower-linux on a fake host\n",
           CALLS);
    printf("  %-44s %10s %10s\n", "", "p50", "p99");
    printf("  %-44s %8.1f us %8.1f us   (target p99 <= 1000 us)\n",
           "virtplug, sysfs wakealarm, record on tmpfs", p50, p99);
    printf("  %-44s %8.1f us %8.1f us   (anchor: libvirt's rtcwake; /bin/true as rtcwake)\n",
           "rtcwake command path, record on tmpfs", a50, a99);
    printf("  %-44s %8.1f us %8.1f us   (fsync on a disk file system)\n",
           "virtplug, sysfs wakealarm, record on /tmp", d50, d99);
    return 0;
}
