/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * bench/bench-libvirt-scale.c: the libvirt 9.0 anchors of bench-qemu-start,
 * through libvirtd's qemu:///system.
 *
 *   bench-libvirt-scale define-start TEMPLATE DIR RUNS
 *   bench-libvirt-scale list COUNT RUNS
 *
 * "define-start" fills the virt-install template (bench/data/
 * virt-install-q35.xml: @NAME@, @DISK@ in DIR, @EMULATOR@, and user
 * networking where it names the network 'default') and times
 * virDomainDefineXML + virDomainCreate until QEMU runs, RUNS times after
 * one warm-up, each run destroyed and undefined untimed:
 *   define_start_ms   the median
 * "list" starts COUNT diskless 32 MiB 'pc' domains paused (libvirt has no
 * '-machine none'), then times 'virsh -c qemu:///system list --all' as a
 * whole process RUNS times:
 *   list_ms           the median
 *   list_rows         the domains virsh listed
 * Every domain is started with VIR_DOMAIN_START_AUTODESTROY, so libvirtd
 * destroys it when this program's connection goes, whatever stopped it;
 * at the end each is destroyed and undefined, through a new connection
 * when libvirtd was restarted meanwhile (it forgets autodestroy then).
 * libvirtd must already run (bench/libvirtd-ctl.sh start): this program
 * never starts one.
 */
#include <config.h>

#include <dirent.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "bench-common.h"

#define MAX_RUNS 64
#define MAX_COUNT 512
#define PREFIX "vp-bench-scale-"
#define CLEANUP_S 60

static void
quiet(void *data, virErrorPtr err)
{
    (void)data, (void)err; /* libvirt prints every error by default */
}

static int
fail(const char *what)
{
    virErrorPtr e = virGetLastError();
    fprintf(stderr, "bench-libvirt-scale: %s: %s\n", what, e && e->message ? e->message : "failed");
    return -1;
}

static const char *
qemu_path(void)
{
    const char *qemu = secure_getenv("QEMU_SYSTEM");
    return qemu && *qemu ? qemu : "/usr/bin/qemu-system-x86_64";
}

/* @s with every @from replaced by @to. (transfer full) */
static char *
replace(const char *s, const char *from, const char *to)
{
    size_t n = 0, lf = strlen(from), lt = strlen(to);
    for (const char *p = strstr(s, from); p; p = strstr(p + lf, from))
        n++;
    char *out = malloc(strlen(s) + n * lt + 1), *o = out;
    if (!out)
        abort();
    for (const char *p; (p = strstr(s, from)); s = p + lf) {
        memcpy(o, s, (size_t)(p - s));
        o += p - s;
        memcpy(o, to, lt);
        o += lt;
    }
    memcpy(o, s, strlen(s) + 1);
    return out;
}

/* Destroy and undefine every domain of this program (also what an
 * earlier, killed run left); how many were found, or -1 when libvirtd
 * did not answer. */
static int
remove_ours(virConnectPtr conn)
{
    virDomainPtr *doms = NULL;
    int n = virConnectListAllDomains(conn, &doms, 0), found = 0;
    for (int i = 0; i < n; i++) {
        if (strncmp(virDomainGetName(doms[i]), PREFIX, strlen(PREFIX)) == 0) {
            found++;
            if (virDomainIsActive(doms[i]) == 1)
                virDomainDestroy(doms[i]);
            virDomainUndefine(doms[i]);
        }
        virDomainFree(doms[i]);
    }
    free(doms);
    return n < 0 ? -1 : found;
}

/* libvirtd did not come back: SIGKILL the QEMUs of our domains (their
 * command line names "guest=" PREFIX...) so none outlives the bench; the
 * definitions go at the next run. */
static void
kill_ours(void)
{
    DIR *proc = opendir("/proc");
    struct dirent *e;
    int killed = 0;
    while (proc && (e = readdir(proc))) {
        char path[300], cmd[8192];
        long pid = strtol(e->d_name, NULL, 10);
        if (pid <= 1)
            continue;
        snprintf(path, sizeof(path), "/proc/%ld/cmdline", pid);
        FILE *f = fopen(path, "re");
        size_t n = f ? fread(cmd, 1, sizeof(cmd) - 1, f) : 0;
        if (f)
            fclose(f);
        if (memmem(cmd, n, "qemu-system", strlen("qemu-system")) &&
            memmem(cmd, n, "guest=" PREFIX, strlen("guest=" PREFIX)) &&
            kill((pid_t)pid, SIGKILL) == 0)
            killed++;
    }
    if (proc)
        closedir(proc);
    fprintf(stderr,
            "bench-libvirt-scale: libvirtd did not answer; %d QEMUs of " PREFIX
            "* killed, their definitions are removed at the next run\n",
            killed);
}

/* Until none of ours is left: a libvirtd restarted meanwhile (by whoever
 * shares it) forgot the autodestroy marks and dropped our connection, so
 * reconnect and remove what it still runs, for up to CLEANUP_S seconds. */
static void
cleanup(virConnectPtr *conn)
{
    for (int i = 0; i < CLEANUP_S; i++) {
        if (*conn && virConnectIsAlive(*conn) != 1) {
            virConnectClose(*conn);
            *conn = NULL;
        }
        if (!*conn)
            *conn = virConnectOpen("qemu:///system");
        if (*conn && remove_ours(*conn) == 0)
            return;
        sleep(1);
    }
    kill_ours();
}

static int
define_start(virConnectPtr conn, const char *tmpl_path, const char *dir, int runs)
{
    FILE *f = fopen(tmpl_path, "r");
    static char tmpl[65536];
    size_t len = f ? fread(tmpl, 1, sizeof(tmpl) - 1, f) : 0;
    if (f)
        fclose(f);
    if (len == 0) {
        fprintf(stderr, "bench-libvirt-scale: cannot read '%s'\n", tmpl_path);
        return -1;
    }
    tmpl[len] = '\0';
    char disk[4096];
    snprintf(disk, sizeof(disk), "%s/vi.qcow2", dir);
    if (bench_run(
            (const char *const[]){"qemu-img", "create", "-q", "-f", "qcow2", disk, "16M", NULL},
            NULL, 0) < 0)
        return fail("qemu-img create");
    const char *qemu = qemu_path();
    char *a = replace(tmpl, "@NAME@", PREFIX "vi");
    char *b = replace(a, "@DISK@", disk);
    char *c = replace(b, "@EMULATOR@", qemu);
    char *d = replace(c, "<interface type='network'>", "<interface type='user'>");
    char *xml = replace(d, "      <source network='default'/>\n", "");
    free(a), free(b), free(c), free(d);
    double ms[MAX_RUNS];
    int r = 0;
    for (int i = -1; r == 0 && i < runs; i++) { /* run -1 warms up */
        int64_t t0 = bench_now_ns();
        virDomainPtr dom = virDomainDefineXML(conn, xml);
        if (!dom) {
            r = fail("virDomainDefineXML");
            break;
        }
        if (virDomainCreateWithFlags(dom, VIR_DOMAIN_START_AUTODESTROY) < 0)
            r = fail("virDomainCreate");
        int64_t t1 = bench_now_ns();
        if (i >= 0)
            ms[i] = (double)(t1 - t0) / 1e6;
        virDomainDestroy(dom);
        if (virDomainUndefine(dom) < 0 && r == 0)
            r = fail("virDomainUndefine");
        virDomainFree(dom);
    }
    free(xml);
    remove(disk);
    if (r == 0)
        printf("define_start_ms %.1f\n", bench_median(ms, (size_t)runs));
    return r;
}

static int
list(virConnectPtr conn, int count, int runs)
{
    const char *qemu = qemu_path();
    virDomainPtr doms[MAX_COUNT] = {0};
    int r = 0;
    for (int i = 0; r == 0 && i < count; i++) {
        char xml[1024];
        snprintf(xml, sizeof(xml),
                 "<domain type='qemu'><name>" PREFIX "l%d</name><memory unit='MiB'>32</memory>"
                 "<vcpu>1</vcpu><os><type arch='x86_64' machine='pc'>hvm</type></os>"
                 "<devices><emulator>%s</emulator><controller type='usb' model='none'/>"
                 "<memballoon model='none'/></devices></domain>",
                 i, qemu);
        doms[i] = virDomainDefineXML(conn, xml);
        if (!doms[i] || virDomainCreateWithFlags(doms[i], VIR_DOMAIN_START_PAUSED |
                                                              VIR_DOMAIN_START_AUTODESTROY) < 0)
            r = fail("define and start paused");
    }
    double ms = 0, rss = 0;
    char note[256];
    const char *const argv[] = {"/usr/bin/virsh", "-c", "qemu:///system", "list", "--all", NULL};
    if (r == 0 && bench_process(argv, NULL, runs, &ms, &rss, note, sizeof(note)) < 0) {
        fprintf(stderr, "bench-libvirt-scale: %s\n", note);
        r = -1;
    }
    char out[65536];
    int rows = 0;
    if (r == 0 && bench_run(argv, out, sizeof(out)) == 0) {
        for (const char *p = strstr(out, PREFIX); p; p = strstr(p + 1, PREFIX))
            rows++;
    }
    if (r == 0)
        printf("list_ms %.2f\nlist_rows %d\n", ms, rows);
    for (int i = 0; i < count; i++) {
        if (!doms[i])
            continue;
        virDomainDestroy(doms[i]);
        virDomainUndefine(doms[i]);
        virDomainFree(doms[i]);
    }
    return r;
}

int
main(int argc, char **argv)
{
    virSetErrorFunc(NULL, quiet);
    bool usage = argc < 2;
    if (!usage && strcmp(argv[1], "define-start") == 0)
        usage = argc != 5;
    else if (!usage && strcmp(argv[1], "list") == 0)
        usage = argc != 4;
    else
        usage = true;
    int runs = usage ? 0 : (int)strtol(argv[argc - 1], NULL, 10);
    int count = !usage && argv[1][0] == 'l' ? (int)strtol(argv[2], NULL, 10) : 0;
    if (usage || runs < 1 || runs > MAX_RUNS || count < 0 || count > MAX_COUNT) {
        fprintf(stderr, "usage: bench-libvirt-scale define-start TEMPLATE DIR RUNS\n"
                        "       bench-libvirt-scale list COUNT RUNS\n");
        return 2;
    }
    virConnectPtr conn = virConnectOpen("qemu:///system");
    if (!conn) {
        fail("virConnectOpen qemu:///system");
        return 1;
    }
    cleanup(&conn);
    int r = !conn               ? -1
            : argv[1][0] == 'd' ? define_start(conn, argv[2], argv[3], runs)
                                : list(conn, count, runs);
    cleanup(&conn);
    if (conn)
        virConnectClose(conn);
    return r == 0 ? 0 : 1;
}
