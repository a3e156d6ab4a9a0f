/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * bench-stats.c: vp_conn_get_all_domain_stats over 100 QEMU domains beside
 * libvirt 9.0's virConnectGetAllDomainStats over the same 100 (issue 17).
 *
 * libvirt refuses '-machine none' (its capabilities leave that machine
 * out), so the figure beside libvirt's is taken on what both can run: 100
 * firmware-only 'pc' domains of 32 MiB, paused (so 100 TCG guests do not
 * fight for the CPUs while they are measured), the same XML on both
 * sides, every group. A second virtplug figure is taken on 100 running
 * '-machine none' domains, as the issue names it. libvirtd is started by
 * this bench as an unprivileged user in session mode in a private
 * directory (the host's own libvirtd, if any, is never touched) and
 * stopped after; bench-libvirt-stats runs as that user. Each figure is
 * the median of 5 calls after one warm-up call.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <virtplug/sdk/alloc.h>
#include <virtplug/virtplug.h>

#include "bench-common.h"

#define COUNT 100
#define RUNS 5
#define NOBODY "65534"

extern char **environ;

static const char *qemu;

static char *
pc_xml(const char *name)
{
    return vp_asprintf("<domain type='qemu'><name>%s</name><memory unit='MiB'>32</memory>"
                       "<vcpu>1</vcpu><os><type arch='x86_64' machine='pc'>hvm</type></os>"
                       "<devices><emulator>%s</emulator><controller type='usb' model='none'/>"
                       "<memballoon model='none'/></devices></domain>",
                       name, qemu);
}

static char *
none_xml(const char *name)
{
    return vp_asprintf("<domain type='qemu'><name>%s</name><memory unit='MiB'>32</memory>"
                       "<vcpu>1</vcpu><os><type arch='x86_64' machine='none'>hvm</type></os>"
                       "</domain>",
                       name);
}

static int
rm_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    return remove(path);
}

static int
fail(const char *what)
{
    const vp_error *e = vp_error_last();
    fprintf(stderr, "bench-stats: %s: %s\n", what, e ? e->message : strerror(errno));
    return -1;
}

/* virtplug: COUNT domains of @make_xml (paused when @pause), the median ms
 * of vp_conn_get_all_domain_stats, then every domain destroyed. */
static int
measure_virtplug(char *(*make_xml)(const char *), bool pause, double *ret_ms, int *ret_records)
{
    char root[] = "/tmp/vp-bench-stats-XXXXXX";
    if (!mkdtemp(root))
        return fail("mkdtemp");
    _cleanup_free_ char *uri = vp_asprintf("qemu:///embed?root=%s", root);
    vp_conn *conn = NULL;
    vp_domain *doms[COUNT] = {0};
    int r = vp_conn_open(uri, 0, &conn) < 0 ? fail("open") : 0;
    for (int i = 0; r == 0 && i < COUNT; i++) {
        char name[16];
        snprintf(name, sizeof(name), "s%d", i);
        _cleanup_free_ char *xml = make_xml(name);
        if (vp_domain_define_xml(conn, xml, 0, &doms[i]) < 0 || vp_domain_start(doms[i], 0) < 0 ||
            (pause && vp_domain_suspend(doms[i], 0) < 0))
            r = fail(name);
    }
    double ms[RUNS];
    for (int run = 0; r == 0 && run <= RUNS; run++) {
        vp_domain_stats **recs = NULL;
        int64_t t0 = bench_now_ns();
        int n =
            vp_conn_get_all_domain_stats(conn, 0, VP_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE, &recs);
        int64_t t1 = bench_now_ns();
        if (n < 0)
            r = fail("vp_conn_get_all_domain_stats");
        vp_domain_stats_list_free(recs);
        *ret_records = n;
        if (run > 0)
            ms[run - 1] = (double)(t1 - t0) / 1e6;
    }
    if (r == 0)
        *ret_ms = bench_median(ms, RUNS);
    for (int i = 0; i < COUNT; i++) {
        if (doms[i])
            vp_domain_destroy(doms[i], 0);
        vp_domain_free(doms[i]);
    }
    vp_conn_close(conn);
    nftw(root, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
    return r;
}

/* Run argv as user nobody with the session environment of @dir; stdin
 * from @in_fd (or /dev/null), stdout to @out_fd (or /dev/null). */
static pid_t
spawn_as_nobody(const char *dir, const char *const *args, int in_fd, int out_fd)
{
    _cleanup_free_ char *home = vp_asprintf("HOME=%s", dir);
    _cleanup_free_ char *run = vp_asprintf("XDG_RUNTIME_DIR=%s/run", dir);
    _cleanup_free_ char *config = vp_asprintf("XDG_CONFIG_HOME=%s/config", dir);
    _cleanup_free_ char *cache = vp_asprintf("XDG_CACHE_HOME=%s/cache", dir);
    const char *argv[16] = {"setpriv",
                            "--reuid=" NOBODY,
                            "--regid=" NOBODY,
                            "--clear-groups",
                            "env",
                            "-i",
                            home,
                            run,
                            config,
                            cache,
                            "PATH=/usr/sbin:/usr/bin:/bin"};
    size_t n = 11;
    for (size_t i = 0; args[i] && n < 15; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    if (in_fd >= 0)
        posix_spawn_file_actions_adddup2(&fa, in_fd, STDIN_FILENO);
    else
        posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    if (out_fd >= 0)
        posix_spawn_file_actions_adddup2(&fa, out_fd, STDOUT_FILENO);
    else
        posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    pid_t pid = -1;
    if (posix_spawnp(&pid, "setpriv", &fa, NULL, (char *const *)argv, environ) != 0)
        pid = -1;
    posix_spawn_file_actions_destroy(&fa);
    return pid;
}

/* libvirt: its own libvirtd in @dir, bench-libvirt-stats beside it. */
static int
measure_libvirt(const char *self_dir, double *ret_ms, int *ret_records, const char **ret_note)
{
    char dir[] = "/tmp/vp-bench-libvirtd-XXXXXX";
    if (access("/usr/sbin/libvirtd", X_OK) != 0) {
        *ret_note = "n/a (no libvirtd)";
        return -1;
    }
    if (!mkdtemp(dir))
        return fail("mkdtemp");
    _cleanup_free_ char *run = vp_asprintf("%s/run", dir);
    _cleanup_free_ char *xml_path = vp_asprintf("%s/domain.xml", dir);
    _cleanup_free_ char *out_path = vp_asprintf("%s/out", dir);
    _cleanup_free_ char *sock = vp_asprintf("%s/run/libvirt/libvirt-sock", dir);
    _cleanup_free_ char *tmpl = pc_xml("NAME");
    FILE *f = fopen(xml_path, "w");
    if (f) {
        fputs(tmpl, f);
        fclose(f);
    }
    mkdir(run, 0700);
    if (chmod(dir, 0755) < 0 || chown(dir, 65534, 65534) < 0 || chown(run, 65534, 65534) < 0) {
        *ret_note = "not measured (cannot hand a directory to user nobody)";
        nftw(dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
        return -1;
    }
    const char *daemon[] = {"libvirtd", "--timeout", "60", NULL};
    pid_t lvd = spawn_as_nobody(dir, daemon, -1, -1);
    for (int i = 0; lvd > 0 && i < 200 && access(sock, F_OK) != 0; i++)
        usleep(50000);
    int r = -1;
    *ret_note = "not measured (libvirtd did not start)";
    if (lvd > 0 && access(sock, F_OK) == 0) {
        _cleanup_free_ char *prog = vp_asprintf("%s/bench/bench-libvirt-stats", self_dir);
        char count[16], runs[16];
        snprintf(count, sizeof(count), "%d", COUNT);
        snprintf(runs, sizeof(runs), "%d", RUNS);
        const char *args[] = {prog, count, runs, NULL};
        int in = open(xml_path, O_RDONLY | O_CLOEXEC);
        int out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        pid_t child = spawn_as_nobody(dir, args, in, out);
        int status = -1;
        if (child > 0)
            waitpid(child, &status, 0);
        close(in);
        close(out);
        FILE *o = fopen(out_path, "r");
        if (o && WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
            fscanf(o, "%lf %d", ret_ms, ret_records) == 2)
            r = 0;
        else
            *ret_note = "not measured (bench-libvirt-stats failed)";
        if (o)
            fclose(o);
    }
    if (lvd > 0) {
        kill(lvd, SIGTERM);
        waitpid(lvd, NULL, 0);
    }
    nftw(dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
    return r;
}

int
main(int argc, char **argv)
{
    qemu = secure_getenv("QEMU_SYSTEM");
    if (!qemu || access(qemu, X_OK) != 0) {
        printf("stats: skipped (no QEMU: QEMU_SYSTEM is not executable)\n");
        return 0;
    }
    _cleanup_free_ char *self = vp_strdup(argv[0]);
    char *slash = strrchr(self, '/');
    if (slash)
        *slash = '\0';
    /* bench-stats lives in BUILD/bench: its libvirt side beside it. */
    _cleanup_free_ char *top = vp_asprintf("%s/..", slash ? self : ".");

    double vp_pc = 0, vp_none = 0, lv_pc = 0;
    int n_pc = 0, n_none = 0, n_lv = 0;
    if (measure_virtplug(pc_xml, true, &vp_pc, &n_pc) < 0 ||
        measure_virtplug(none_xml, false, &vp_none, &n_none) < 0)
        return 1;
    const char *note = NULL;
    int lr = -1;
#ifdef VP_BENCH_HAVE_LIBVIRT
    lr = measure_libvirt(top, &lv_pc, &n_lv, &note);
#else
    note = "n/a (built without libvirt)";
#endif
    printf("%-58s %10s %12s\n", "all-domain stats, every group, 100 domains", "virtplug",
           "libvirt 9.0");
    if (lr == 0)
        printf("%-58s %8.1f ms %9.1f ms  (%.1fx; %d and %d records)\n",
               "  firmware-only 'pc', paused (same XML both sides)", vp_pc, lv_pc, lv_pc / vp_pc,
               n_pc, n_lv);
    else
        printf("%-58s %8.1f ms  %s\n", "  firmware-only 'pc', paused", vp_pc, note);
    printf("%-58s %8.1f ms  %s\n", "  '-machine none', running", vp_none,
           "n/a (libvirt refuses machine 'none')");
    return 0;
}
