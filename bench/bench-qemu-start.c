/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * bench-qemu-start.c: two figures of issue 15, each beside libvirt 9.0
 * measured in the same run (bench-libvirt-scale through libvirtd's
 * qemu:///system, libvirtd started by bench/libvirtd-ctl.sh when it does
 * not run, and stopped again then):
 *
 *  - define + start of a virt-install domain (bench/data/
 *    virt-install-q35.xml: q35, virtio disk, the default network, the
 *    agent channel, VNC, sound, video, balloon, rng) until QEMU runs:
 *    vp_domain_define_xml + vp_domain_start beside virDomainDefineXML +
 *    virDomainCreate, the median of RUNS after one warm-up each; every run
 *    destroyed and undefined untimed. Target: at least 3x faster.
 *  - `vpsh list --all` as a whole process with COUNT running domains
 *    (diskless 32 MiB 'pc' domains, paused, so COUNT QEMUs fit on two
 *    cores; libvirt has no '-machine none'), beside `virsh list --all`
 *    with the same COUNT in libvirtd, four times: domains that cannot
 *    change their run state by themselves (ACPI S3 off), domains that can
 *    with nobody holding their events monitors and nothing happened since
 *    an earlier list (their events logs unchanged), the same right after
 *    each was resumed and suspended (one run: each QEMU asked), and the
 *    same with a process holding them (registered for events). Target: at
 *    least 10x faster, and under 10 ms.
 *
 * It owns only its temporary embed root and the QEMUs it starts there: a
 * SIGINT, SIGTERM or SIGHUP kills them before this process dies of it, and
 * every one is destroyed before exit, whatever failed. libvirt's side
 * starts its domains with autodestroy, so libvirtd stops them when that
 * program's connection goes.
 */
#include <config.h>

#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <virtplug/sdk/alloc.h>
#include <virtplug/sdk/services.h>
#include <virtplug/virtplug.h>

#include "bench-common.h"

#define RUNS 10
#define COUNT 100
#define LIST_RUNS 20
#define TEMPLATE VP_BENCH_TOP_SRCDIR "/bench/data/virt-install-q35.xml"

typedef struct figures {
    double define_start_ms, lv_define_start_ms;
    double list_ms[4], list_rss_kib, lv_list_ms;
    int list_rows[4], lv_list_rows;
    char note[256], lv_note[256];
} figures;

/* ---- the QEMUs of this run ------------------------------------------- */

static char root[] = "/tmp/vp-bench-start-XXXXXX";
static volatile pid_t pids[COUNT + 1];
static volatile sig_atomic_t n_pids;

static void
on_signal(int sig)
{
    for (sig_atomic_t i = 0; i < n_pids; i++)
        if (pids[i] > 0)
            kill(pids[i], SIGKILL);
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Remember the QEMU of domain @name, so a signal can kill it. */
static void
started(const char *name)
{
    _cleanup_free_ char *path = vp_asprintf("%s/run/%s.pid", root, name);
    FILE *f = fopen(path, "re");
    int pid = 0;
    if (f && fscanf(f, "%d", &pid) == 1 && pid > 1 && n_pids < COUNT + 1) {
        pids[n_pids] = pid;
        n_pids = n_pids + 1;
    }
    if (f)
        fclose(f);
}

static int
fail(const char *what)
{
    const vp_error *e = vp_error_last();
    fprintf(stderr, "bench-qemu-start: %s: %s\n", what, e ? e->message : "failed");
    return -1;
}

static int
rm_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st, (void)type, (void)ftw;
    return remove(path);
}

/* Destroy every domain of @conn, then SIGKILL what is still recorded. */
static void
destroy_all(vp_conn *conn)
{
    vp_domain **doms = NULL;
    int n = conn ? vp_conn_list_domains(conn, 0, &doms) : 0;
    for (int i = 0; i < n; i++) {
        int state = 0, reason = 0;
        if (vp_domain_get_state(doms[i], &state, &reason, 0) == 0 && state != VP_DOMAIN_SHUTOFF)
            vp_domain_destroy(doms[i], 0);
    }
    if (n > 0)
        vp_domain_list_free(doms);
    for (sig_atomic_t i = 0; i < n_pids; i++) {
        _cleanup_free_ char *proc = vp_asprintf("/proc/%d/cmdline", (int)pids[i]);
        char cmd[65536];
        FILE *f = fopen(proc, "re");
        size_t len = f ? fread(cmd, 1, sizeof(cmd), f) : 0;
        if (f)
            fclose(f);
        if (memmem(cmd, len, root, strlen(root))) /* still ours, not a reused pid */
            kill(pids[i], SIGKILL);
    }
    n_pids = 0;
}

/* ---- define + start of the virt-install domain ------------------------- */

static char *
virt_install_xml(const char *disk)
{
    char *tmpl = NULL;
    size_t len = 0;
    if (vp_plugin_file_read(TEMPLATE, 1 << 20, &tmpl, &len) < 0) {
        fail(TEMPLATE);
        return NULL;
    }
    const char *from[] = {"@NAME@", "@DISK@", "@EMULATOR@"};
    const char *to[] = {"vi", disk, secure_getenv("QEMU_SYSTEM")};
    for (size_t k = 0; k < 3; k++) {
        char *at;
        while ((at = strstr(tmpl, from[k]))) {
            *at = '\0';
            char *next = vp_asprintf("%s%s%s", tmpl, to[k], at + strlen(from[k]));
            free(tmpl);
            tmpl = next;
        }
    }
    return tmpl;
}

static int
measure_define_start(vp_conn *conn, figures *m)
{
    _cleanup_free_ char *disk = vp_asprintf("%s/vi.qcow2", root);
    const char *img = secure_getenv("QEMU_IMG") ? secure_getenv("QEMU_IMG") : "qemu-img";
    if (bench_run((const char *const[]){img, "create", "-q", "-f", "qcow2", disk, "16M", NULL},
                  NULL, 0) < 0)
        return fail("qemu-img create");
    _cleanup_free_ char *xml = virt_install_xml(disk);
    if (!xml)
        return -1;
    double ms[RUNS];
    for (int i = -1; i < RUNS; i++) { /* run -1 warms up */
        vp_domain *dom = NULL;
        int64_t t0 = bench_now_ns();
        int r = vp_domain_define_xml(conn, xml, 0, &dom) < 0
                    ? fail("define the virt-install domain")
                : vp_domain_start(dom, 0) < 0 ? fail("start the virt-install domain")
                                              : 0;
        int64_t t1 = bench_now_ns();
        if (r == 0)
            started("vi");
        if (i >= 0)
            ms[i] = (double)(t1 - t0) / 1e6;
        if (r == 0 && vp_domain_destroy(dom, 0) < 0)
            r = fail("destroy");
        if (dom && vp_domain_undefine(dom, 0) < 0 && r == 0)
            r = fail("undefine");
        vp_domain_free(dom);
        n_pids = 0;
        if (r < 0)
            return -1;
    }
    m->define_start_ms = bench_median(ms, RUNS);
    return 0;
}

/* ---- vpsh list --all with COUNT running domains -------------------------- */

/* The kinds of list: QEMUs that cannot change their run state by
 * themselves (S3 off: the record answers), QEMUs that can (a diskless pc's
 * guest has ACPI S3) with nobody holding their events monitors and nothing
 * happened since an earlier list confirmed their records (their events
 * logs have not grown: the record answers), the same right after each
 * was resumed and suspended again (each is asked, once: a single run, no
 * warm-up), and the same with a process holding them (the record
 * answers, kept by that process). */
enum { LIST_FIXED, LIST_ASKED, LIST_CHANGED, LIST_HELD, N_LISTS };
static const char *const list_what[N_LISTS] = {
    "list --all, 100 that cannot change by themselves",
    "list --all, 100 that can, no holder, unchanged",
    "list --all, 100 that can, no holder, all changed",
    "list --all, 100 that can, a holder",
};

static int
start_list_domains(vp_conn *conn, bool self_change)
{
    for (int i = 0; i < COUNT; i++) {
        char name[16];
        snprintf(name, sizeof(name), "l%d", i);
        _cleanup_free_ char *xml =
            vp_asprintf("<domain type='qemu'><name>%s</name><memory unit='MiB'>32</memory>"
                        "<vcpu>1</vcpu><os><type arch='x86_64' machine='pc'>hvm</type></os>%s"
                        "<devices><emulator>%s</emulator><controller type='usb' model='none'/>"
                        "<memballoon model='none'/></devices></domain>",
                        name, self_change ? "" : "<pm><suspend-to-mem enabled='no'/></pm>",
                        secure_getenv("QEMU_SYSTEM"));
        vp_domain *dom = NULL;
        int r = vp_domain_define_xml(conn, xml, 0, &dom) < 0 ? fail(name)
                : vp_domain_start(dom, 0) < 0                ? fail(name)
                                                             : 0;
        if (r == 0)
            started(name);
        if (r == 0 && vp_domain_suspend(dom, 0) < 0)
            r = fail(name);
        vp_domain_free(dom);
        if (r < 0)
            return -1;
    }
    return 0;
}

static void
ignore_event(vp_conn *conn, const vp_domain_event *ev, void *opaque)
{
    (void)conn, (void)ev, (void)opaque;
}

/* A process that holds every domain's events monitor, as an application
 * watching events does; SIGKILLed by the caller. */
static pid_t
spawn_holder(const char *uri)
{
    pid_t pid = fork();
    if (pid != 0)
        return pid;
    vp_conn *conn = NULL;
    if (vp_conn_open(uri, 0, &conn) < 0 ||
        vp_conn_event_register(conn, 0, ignore_event, NULL, NULL, NULL) < 0)
        _exit(1);
    struct pollfd p = {.fd = vp_conn_event_fd(conn), .events = POLLIN};
    for (;;)
        if (poll(&p, 1, 1000) == 1)
            vp_conn_event_dispatch(conn);
}

/* Whether domain l@i's record is kept by a holder (its mark is taken). */
static bool
held(int i)
{
    _cleanup_free_ char *path = vp_asprintf("%s/run/l%d.qmp-events-held", root, i);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
    bool is = fd >= 0 && fcntl(fd, F_OFD_GETLK, &fl) == 0 && fl.l_type != F_UNLCK;
    if (fd >= 0)
        close(fd);
    return is;
}

static int
wait_all_held(void)
{
    for (int t = 0; t < 600; t++) {
        int i = 0;
        while (i < COUNT && held(i))
            i++;
        if (i == COUNT)
            return 0;
        usleep(100 * 1000);
    }
    fprintf(stderr, "bench-qemu-start: the holder did not take every events monitor in 60 s\n");
    return -1;
}

/* Run `vpsh list --all` LIST_RUNS times (LIST_CHANGED: once, without a
 * warm-up, which would confirm the records); count the paused rows it
 * prints. */
static int
time_list(figures *m, int k)
{
    char vpsh[4096], env[4200];
    if (bench_vpsh_binary(VP_BENCH_TOP_BUILDDIR, vpsh, sizeof(vpsh)) < 0) {
        snprintf(m->note, sizeof(m->note), "vpsh is not built");
        return -1;
    }
    snprintf(env, sizeof(env), "LD_LIBRARY_PATH=%s/framework/.libs", VP_BENCH_TOP_BUILDDIR);
    _cleanup_free_ char *uri = vp_asprintf("qemu:///embed?root=%s", root);
    const char *const argv[] = {vpsh, "-c", uri, "list", "--all", NULL};
    setenv("LD_LIBRARY_PATH", env + strlen("LD_LIBRARY_PATH="), 1);
    static char out[65536];
    int64_t t0 = bench_now_ns();
    if (k == LIST_CHANGED) {
        if (bench_run(argv, out, sizeof(out)) != 0) {
            snprintf(m->note, sizeof(m->note), "vpsh list failed");
            return -1;
        }
        m->list_ms[k] = (double)(bench_now_ns() - t0) / 1e6;
    } else if (bench_process(argv, env, LIST_RUNS, &m->list_ms[k], &m->list_rss_kib, m->note,
                             sizeof(m->note)) < 0) {
        return -1;
    }
    /* What it printed: every domain, paused. */
    if (k == LIST_CHANGED || bench_run(argv, out, sizeof(out)) == 0)
        for (const char *p = strstr(out, " paused"); p; p = strstr(p + 1, " paused"))
            m->list_rows[k]++;
    return 0;
}

/* Resume and suspend every domain again through the driver: their
 * events logs grow, so the next list asks each QEMU. */
static int
change_all(vp_conn *conn)
{
    for (int i = 0; i < COUNT; i++) {
        char name[16];
        snprintf(name, sizeof(name), "l%d", i);
        vp_domain *dom = NULL;
        int r = vp_domain_lookup_by_name(conn, name, &dom) < 0 ? fail(name)
                : vp_domain_resume(dom, 0) < 0                 ? fail(name)
                : vp_domain_suspend(dom, 0) < 0                ? fail(name)
                                                               : 0;
        vp_domain_free(dom);
        if (r < 0)
            return -1;
    }
    return 0;
}

static int
measure_list(vp_conn *conn, figures *m)
{
    int r = start_list_domains(conn, false);
    if (r == 0)
        r = time_list(m, LIST_FIXED);
    destroy_all(conn);
    if (r == 0) {
        /* The undefined domains' names again, now able to change. */
        vp_domain **doms = NULL;
        int n = vp_conn_list_domains(conn, 0, &doms);
        for (int i = 0; i < n; i++)
            vp_domain_undefine(doms[i], 0);
        if (n > 0)
            vp_domain_list_free(doms);
        r = start_list_domains(conn, true);
    }
    if (r == 0)
        r = time_list(m, LIST_ASKED);
    if (r == 0)
        r = change_all(conn);
    if (r == 0)
        r = time_list(m, LIST_CHANGED);
    if (r < 0)
        return r;
    _cleanup_free_ char *uri = vp_asprintf("qemu:///embed?root=%s", root);
    pid_t holder = spawn_holder(uri);
    if (holder < 0)
        return fail("fork the holder");
    r = wait_all_held();
    if (r == 0)
        r = time_list(m, LIST_HELD);
    kill(holder, SIGKILL);
    waitpid(holder, NULL, 0);
    return r;
}

/* ---- libvirt ------------------------------------------------------------- */

static void
libvirt_anchors(figures *m)
{
    m->lv_define_start_ms = m->lv_list_ms = -1;
#ifndef VP_BENCH_HAVE_LIBVIRT
    snprintf(m->lv_note, sizeof(m->lv_note), "n/a: configure did not find libvirt-dev");
#else
    char runs[16], count[16], list_runs[16];
    snprintf(runs, sizeof(runs), "%d", RUNS);
    snprintf(count, sizeof(count), "%d", COUNT);
    snprintf(list_runs, sizeof(list_runs), "%d", LIST_RUNS);
    const char *const define_args[] = {"define-start", TEMPLATE, root, runs, NULL};
    static const char *const define_keys[] = {"define_start_ms", NULL};
    double v[2];
    if (bench_libvirt_program(VP_BENCH_TOP_SRCDIR, VP_BENCH_TOP_BUILDDIR, "bench-libvirt-scale",
                              define_args, define_keys, v, m->lv_note, sizeof(m->lv_note)) == 0)
        m->lv_define_start_ms = v[0];
    const char *const list_args[] = {"list", count, list_runs, NULL};
    static const char *const list_keys[] = {"list_ms", "list_rows", NULL};
    if (bench_libvirt_program(VP_BENCH_TOP_SRCDIR, VP_BENCH_TOP_BUILDDIR, "bench-libvirt-scale",
                              list_args, list_keys, v, m->lv_note, sizeof(m->lv_note)) == 0) {
        m->lv_list_ms = v[0];
        m->lv_list_rows = (int)v[1];
    }
#endif
}

/* ---- report --------------------------------------------------------------- */

static void
row(const char *figure, const char *mine, const char *anchor, const char *target, const char *met)
{
    printf("| %-44s | %-22s | %-24s | %-22s | %-4s |\n", figure, mine, anchor, target, met);
}

static void
print_table(const figures *m)
{
    char mine[64], anchor[64];
    row("figure", "virtplug", "libvirt 9.0 (same run)", "target", "met?");
    printf("|----------------------------------------------|------------------------|"
           "--------------------------|------------------------|------|\n");
    if (m->define_start_ms > 0)
        snprintf(mine, sizeof(mine), "%.1f ms", m->define_start_ms);
    else
        snprintf(mine, sizeof(mine), "failed");
    if (m->lv_define_start_ms > 0)
        snprintf(anchor, sizeof(anchor), "%.1f ms (%.1fx)", m->lv_define_start_ms,
                 m->lv_define_start_ms / m->define_start_ms);
    row("virt-install q35 domain: define + start", mine,
        m->lv_define_start_ms > 0 ? anchor : m->lv_note, ">= 3x faster",
        m->lv_define_start_ms <= 0 || m->define_start_ms <= 0 ? "n/a"
        : m->lv_define_start_ms >= 3 * m->define_start_ms     ? "yes"
                                                              : "NO");
    for (int k = 0; k < N_LISTS; k++) {
        double ms = m->list_ms[k];
        if (ms > 0)
            snprintf(mine, sizeof(mine), "%.2f ms (%d rows)", ms, m->list_rows[k]);
        else
            snprintf(mine, sizeof(mine), "failed: %.40s", m->note);
        if (m->lv_list_ms > 0 && ms > 0)
            snprintf(anchor, sizeof(anchor), "%.2f ms (%.1fx, %d rows)", m->lv_list_ms,
                     m->lv_list_ms / ms, m->lv_list_rows);
        bool fast = ms > 0 && ms < 10;
        row(list_what[k], mine, m->lv_list_ms > 0 && ms > 0 ? anchor : m->lv_note,
            ">= 10x faster, < 10 ms",
            m->lv_list_ms <= 0 || ms <= 0      ? (fast ? "<10" : "n/a")
            : m->lv_list_ms >= 10 * ms && fast ? "yes"
                                               : "NO");
    }
    printf(
        "(define + start: medians of %d after one warm-up, vp_domain_define_xml + "
        "vp_domain_start beside virDomainDefineXML + virDomainCreate, both TCG, libvirt's "
        "interface type='user' for the network 'default' virtplug maps to user networking; "
        "list: whole processes, medians of %d (all changed: one run), vpsh on its embed root beside virsh on "
        "qemu:///system; vpsh peak RSS %.0f KiB)\n",
        RUNS, LIST_RUNS, m->list_rss_kib);
}

int
main(void)
{
    const char *qemu = secure_getenv("QEMU_SYSTEM");
    if (!qemu || access(qemu, X_OK) < 0) {
        printf("qemu start figures: skipped (no QEMU: QEMU_SYSTEM '%s' is not executable)\n",
               qemu ? qemu : "");
        return 0;
    }
    if (!mkdtemp(root)) {
        perror("bench-qemu-start: mkdtemp");
        return 1;
    }
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    signal(SIGHUP, on_signal);
    figures m = {0};
    _cleanup_free_ char *uri = vp_asprintf("qemu:///embed?root=%s", root);
    vp_conn *conn = NULL;
    int r = vp_conn_open(uri, 0, &conn) < 0 ? fail("vp_conn_open") : 0;
    if (r == 0)
        r = measure_define_start(conn, &m);
    destroy_all(conn);
    if (r == 0)
        r = measure_list(conn, &m);
    destroy_all(conn);
    vp_conn_close(conn);
    nftw(root, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    /* One side at a time: libvirt's QEMUs start after virtplug's are gone;
     * its disk goes into the same (now empty) directory. */
    if (mkdir(root, 0700) == 0) {
        libvirt_anchors(&m);
        nftw(root, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    }
    print_table(&m);
    return r == 0 ? 0 : 1;
}
