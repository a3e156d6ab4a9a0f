/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * bench/bench-libvirt-qemu.c: the libvirt 9.0 anchors of bench-qemu-guest
 * and bench-qemu-merge, through libvirtd's qemu:///system.
 *
 *   bench-libvirt-qemu guest GUEST_DIR BOOTS SNAPSHOTS
 *   bench-libvirt-qemu merge ROUNDS QEMU_IMG
 *
 * "guest" defines a copy of the tiny guest (its own disk copy in a
 * temporary directory, TCG), then prints "key value" lines that
 * bench-qemu-guest puts beside its own figures:
 *   start_agent_ms   median of BOOTS: virDomainCreate to the first
 *                    guest-ping answer through virDomainQemuAgentCommand
 *   snapshot_ms      median of SNAPSHOTS quiesced disk-only snapshots, the
 *                    whole virDomainSnapshotCreateXML call (with its
 *                    metadata, as virtplug keeps a record)
 * "merge" does what bench-qemu-merge does to virtplug, ROUNDS times, on a
 * firmware-only TCG domain of libvirt's: an external disk-only snapshot,
 * 64 MiB written into its overlay with qemu-io while shut off, start, and
 * the whole virDomainSnapshotDelete that merges it (libvirt 9.0 commits an
 * external snapshot into its base):
 *   merge_ms         the median
 * The domain is destroyed and undefined and the directory removed at the
 * end, whatever failed; every boot has a timeout. libvirtd must already
 * run (bench/libvirtd-ctl.sh start): this program never starts one.
 */
#include <config.h>

#include <ftw.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libvirt/libvirt-qemu.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "bench-common.h"
#include "guest/guest.h"

#define MAX_RUNS 32
#define BOOT_TIMEOUT_S 120
#define DOMAIN_NAME "vp-bench-libvirt-tiny"

static void
quiet(void *data, virErrorPtr err)
{
    (void)data, (void)err; /* libvirt prints every error by default */
}

static int
fail(const char *what)
{
    virErrorPtr e = virGetLastError();
    fprintf(stderr, "bench-libvirt-qemu: %s: %s\n", what, e && e->message ? e->message : "failed");
    return -1;
}

static int
remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

/* virDomainCreate, then guest-ping until the agent answers. */
static int
boot_once(virDomainPtr dom, double *ret_ms)
{
    int64_t t0 = bench_now_ns();
    if (virDomainCreate(dom) < 0)
        return fail("virDomainCreate");
    int64_t deadline = t0 + (int64_t)BOOT_TIMEOUT_S * 1000000000;
    while (bench_now_ns() < deadline) {
        char *reply = virDomainQemuAgentCommand(dom, "{\"execute\":\"guest-ping\"}", 1, 0);
        if (reply) {
            *ret_ms = (bench_now_ns() - t0) / 1e6;
            free(reply);
            return 0;
        }
        usleep(10000);
    }
    fprintf(stderr, "bench-libvirt-qemu: the agent did not answer within %d s\n", BOOT_TIMEOUT_S);
    return -1;
}

static int
snapshot_once(virDomainPtr dom, const char *dir, int i, double *ret_ms)
{
    char xml[1024];
    snprintf(xml, sizeof(xml),
             "<domainsnapshot><name>q%d</name><disks><disk name='vda' snapshot='external'>"
             "<driver type='qcow2'/><source file='%s/lv-%d.qcow2'/></disk></disks>"
             "</domainsnapshot>",
             i, dir, i);
    unsigned int flags = VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY | VIR_DOMAIN_SNAPSHOT_CREATE_QUIESCE |
                         VIR_DOMAIN_SNAPSHOT_CREATE_ATOMIC;
    int64_t t0 = bench_now_ns();
    virDomainSnapshotPtr snap = virDomainSnapshotCreateXML(dom, xml, flags);
    int64_t t1 = bench_now_ns();
    if (!snap)
        return fail("virDomainSnapshotCreateXML (quiesced, disk-only)");
    virDomainSnapshotFree(snap);
    *ret_ms = (t1 - t0) / 1e6;
    return 0;
}

/* One round of "merge": snapshot, fill the overlay while shut off, start,
 * time the delete, destroy. */
static int
merge_round(virDomainPtr dom, const char *dir, const char *qemu_img, int i, double *ret_ms)
{
    char xml[1024], io[4096], overlay[4096];
    snprintf(xml, sizeof(xml),
             "<domainsnapshot><name>m%d</name><disks><disk name='vda' snapshot='external'>"
             "<driver type='qcow2'/><source file='%s/m%d.qcow2'/></disk></disks>"
             "</domainsnapshot>",
             i, dir, i);
    if (virDomainCreate(dom) < 0)
        return fail("virDomainCreate");
    virDomainSnapshotPtr snap =
        virDomainSnapshotCreateXML(dom, xml, VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY);
    if (!snap)
        return fail("virDomainSnapshotCreateXML (disk-only)");
    const char *slash = strrchr(qemu_img, '/');
    snprintf(io, sizeof(io), "%.*s/qemu-io", slash ? (int)(slash - qemu_img) : 0, qemu_img);
    snprintf(overlay, sizeof(overlay), "%s/m%d.qcow2", dir, i);
    const char *const write_argv[] = {io,      "-f", "qcow2", "-c", "write -P 0x5a 0 64M",
                                      overlay, NULL};
    int r = virDomainDestroy(dom) < 0            ? fail("virDomainDestroy")
            : bench_run(write_argv, NULL, 0) < 0 ? fail("qemu-io")
                                                 : 0;
    if (r == 0 && virDomainCreate(dom) < 0)
        r = fail("virDomainCreate");
    int64_t t0 = bench_now_ns();
    if (r == 0 && virDomainSnapshotDelete(snap, 0) < 0)
        r = fail("virDomainSnapshotDelete (merge)");
    int64_t t1 = bench_now_ns();
    virDomainSnapshotFree(snap);
    *ret_ms = (t1 - t0) / 1e6;
    if (virDomainDestroy(dom) < 0 && r == 0)
        r = fail("virDomainDestroy");
    return r;
}

static int
measure_merge(virConnectPtr conn, const char *dir, int rounds, const char *qemu_img)
{
    char xml[2048], base[4096];
    snprintf(base, sizeof(base), "%s/base.qcow2", dir);
    if (bench_run(
            (const char *const[]){qemu_img, "create", "-q", "-f", "qcow2", base, "256M", NULL},
            NULL, 0) < 0)
        return fail("qemu-img create");
    snprintf(xml, sizeof(xml),
             "<domain type='qemu'><name>" DOMAIN_NAME "</name><memory unit='MiB'>32</memory>"
             "<os><type arch='x86_64' machine='pc'>hvm</type></os><devices>"
             "<emulator>/usr/bin/qemu-system-x86_64</emulator>"
             "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
             "<source file='%s/base.qcow2'/><target dev='vda' bus='virtio'/></disk>"
             "<memballoon model='none'/></devices></domain>",
             dir);
    virDomainPtr dom = virDomainDefineXML(conn, xml);
    if (!dom)
        return fail("virDomainDefineXML");
    double ms[MAX_RUNS];
    int r = 0;
    for (int i = 0; r == 0 && i < rounds; i++)
        r = merge_round(dom, dir, qemu_img, i, &ms[i]);
    if (r == 0)
        printf("merge_ms %.1f\n", bench_median(ms, (size_t)rounds));
    virDomainDestroy(dom);
    virDomainUndefineFlags(dom, VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA);
    virDomainFree(dom);
    return r;
}

static int
measure(virConnectPtr conn, const char *guest_dir, const char *dir, int boots, int snapshots)
{
    char xml[4096], from[4096], to[4096];
    snprintf(from, sizeof(from), "%s/disk.qcow2", guest_dir);
    snprintf(to, sizeof(to), "%s/disk.qcow2", dir);
    if (bench_copy_file(from, to) < 0 ||
        vp_test_guest_xml(xml, sizeof(xml), "qemu", DOMAIN_NAME, guest_dir, dir,
                          "    <controller type='usb' model='none'/>\n"
                          "    <memballoon model='none'/>\n") < 0) {
        fprintf(stderr, "bench-libvirt-qemu: cannot prepare the guest in '%s'\n", dir);
        return -1;
    }
    virDomainPtr dom = virDomainDefineXML(conn, xml);
    if (!dom)
        return fail("virDomainDefineXML");
    double boot_ms[MAX_RUNS], snap_ms[MAX_RUNS];
    int r = 0;
    for (int i = 0; r == 0 && i < boots; i++) {
        r = boot_once(dom, &boot_ms[i]);
        if (r == 0 && i + 1 < boots && virDomainDestroy(dom) < 0)
            r = fail("virDomainDestroy");
    }
    for (int i = 0; r == 0 && i < snapshots; i++)
        r = snapshot_once(dom, dir, i, &snap_ms[i]);
    if (r == 0) {
        printf("start_agent_ms %.1f\n", bench_median(boot_ms, (size_t)boots));
        printf("snapshot_ms %.1f\n", bench_median(snap_ms, (size_t)snapshots));
    }
    virDomainDestroy(dom);
    virDomainUndefineFlags(dom, VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA);
    virDomainFree(dom);
    return r;
}

int
main(int argc, char **argv)
{
    bool guest = argc == 5 && strcmp(argv[1], "guest") == 0;
    bool merge = argc == 4 && strcmp(argv[1], "merge") == 0;
    int n1 = argc > 3 ? (int)strtol(argv[guest ? 3 : 2], NULL, 10) : 0;
    int n2 = guest ? (int)strtol(argv[4], NULL, 10) : 1;
    if ((!guest && !merge) || n1 < 1 || n1 > MAX_RUNS || n2 < 1 || n2 > MAX_RUNS) {
        fprintf(stderr, "usage: bench-libvirt-qemu guest GUEST_DIR BOOTS SNAPSHOTS\n"
                        "       bench-libvirt-qemu merge ROUNDS QEMU_IMG\n");
        return 2;
    }
    virSetErrorFunc(NULL, quiet);
    virConnectPtr conn = virConnectOpen("qemu:///system");
    if (!conn)
        return fail("virConnectOpen qemu:///system") < 0 ? 1 : 0;
    /* A domain left by an interrupted run is removed first. */
    virDomainPtr old = virDomainLookupByName(conn, DOMAIN_NAME);
    if (old) {
        virDomainDestroy(old);
        virDomainUndefineFlags(old, VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA);
        virDomainFree(old);
    }
    char dir[] = "/tmp/vp-bench-libvirt-XXXXXX";
    int status = 1;
    if (mkdtemp(dir)) {
        int r = guest ? measure(conn, argv[2], dir, n1, n2) : measure_merge(conn, dir, n1, argv[3]);
        status = r == 0 ? 0 : 1;
        nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    }
    virConnectClose(conn);
    return status;
}
