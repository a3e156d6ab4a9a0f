/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * bench-qemu-merge.c: deleting an external snapshot merges it (issue 16):
 * vp_snapshot_delete of a running domain's active overlay holding 64 MiB
 * of changed data, beside the floor measured in the same run on the same
 * kind of chain: a bare QMP client's block-commit, wait until ready,
 * job-complete, wait until concluded, job-dismiss, blockdev-del of the
 * dropped node and the removal of the overlay file (virtplug's delete
 * removes it too; the floor without it is printed beside). Target: at
 * most 1.2x the floor. Rounds alternate between the two so both see the
 * same machine. Then libvirt 9.0's anchor: the same
 * rounds on a domain of libvirtd's (bench-libvirt-qemu merge, libvirtd
 * started by bench/libvirtd-ctl.sh when installed), after virtplug's QEMUs
 * are gone.
 *
 * Firmware-only domains (no guest OS, no guest writes) under TCG in a
 * private embed root under /tmp, removed at the end; every QEMU it starts
 * is destroyed before it exits. Skips with a message when QEMU or qemu-img
 * is missing.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <virtplug/sdk/alloc.h>
#include <virtplug/sdk/services.h>
#include <virtplug/virtplug.h>

#include "bench-common.h"
#include "qemu-monitor.h"

#define ROUNDS 5
#define CHANGED "write -P 0x5a 0 64M"

static const char *qemu_img = QEMU_IMG_PATH;

static int
run(const char *const *argv)
{
    int status = -1;
    _cleanup_free_ char *err = NULL;
    if (vp_plugin_command_run(argv, 600000, &status, NULL, &err) < 0 || status != 0) {
        fprintf(stderr, "bench-qemu-merge: %s %s failed: %s\n", argv[0], argv[1],
                err ? err : vp_error_last()->message);
        return -1;
    }
    return 0;
}

static int
fail(const char *what)
{
    const vp_error *e = vp_error_last();
    fprintf(stderr, "bench-qemu-merge: %s: %s\n", what, e ? e->message : "?");
    return -1;
}

static char *
qemu_io(void)
{
    const char *slash = strrchr(qemu_img, '/');
    return vp_asprintf("%.*s/qemu-io", slash ? (int)(slash - qemu_img) : 0, qemu_img);
}

static vp_domain *
define(vp_conn *conn, const char *name, const char *disk)
{
    _cleanup_free_ char *xml =
        vp_asprintf("<domain type='qemu'><name>%s</name><memory unit='MiB'>32</memory>"
                    "<os><type arch='x86_64' machine='pc'>hvm</type></os><devices>"
                    "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
                    "<source file='%s'/><target dev='vda' bus='virtio'/></disk></devices></domain>",
                    name, disk);
    vp_domain *dom = NULL;
    return vp_domain_define_xml(conn, xml, 0, &dom) < 0 ? NULL : dom;
}

/* virtplug: snapshot, fill the overlay while shut off, start, time the delete. */
static int
round_virtplug(vp_domain *dom, const char *overlay, double *ret_ms)
{
    _cleanup_free_ char *io = qemu_io();
    if (vp_domain_start(dom, 0) < 0 ||
        vp_snapshot_create_xml(dom, "<domainsnapshot><name>s</name></domainsnapshot>",
                               VP_SNAPSHOT_CREATE_DISK_ONLY, NULL) < 0 ||
        vp_domain_destroy(dom, 0) < 0)
        return fail("preparing the snapshot");
    if (run((const char *const[]){io, "-f", "qcow2", "-c", CHANGED, overlay, NULL}) < 0)
        return -1;
    vp_snapshot *snap = NULL;
    if (vp_domain_start(dom, 0) < 0 || vp_snapshot_lookup_by_name(dom, "s", 0, &snap) < 0)
        return fail("starting");
    int64_t t0 = bench_now_ns();
    int r = vp_snapshot_delete(snap, 0);
    int64_t t1 = bench_now_ns();
    vp_snapshot_free(snap);
    if (r < 0)
        return fail("vp_snapshot_delete");
    *ret_ms = (t1 - t0) / 1e6;
    return vp_domain_destroy(dom, 0) < 0 ? fail("destroy") : 0;
}

static int
qmp(qemu_monitor *mon, const char *command, json_object *args, json_object **ret)
{
    int r = qemu_monitor_command(mon, command, args, 600000, ret);
    json_object_put(args);
    return r;
}

static json_object *
args1(const char *key, const char *value)
{
    json_object *a = json_object_new_object();
    json_object_object_add(a, key, json_object_new_string(value));
    return a;
}

/* Poll the job until its status is @want. */
static int
wait_job(qemu_monitor *mon, const char *want)
{
    for (;;) {
        json_object *jobs = NULL, *st;
        if (qmp(mon, "query-jobs", NULL, &jobs) < 0)
            return -1;
        bool done = json_object_array_length(jobs) > 0 &&
                    json_object_object_get_ex(json_object_array_get_idx(jobs, 0), "status", &st) &&
                    strcmp(json_object_get_string(st), want) == 0;
        json_object_put(jobs);
        if (done)
            return 0;
        qemu_monitor_wait_event(mon, "JOB_STATUS_CHANGE", 200, NULL);
    }
}

/* The floor: the same commit by hand over QMP. */
static int
round_floor(vp_domain *dom, const char *root, const char *base, const char *overlay, double *ret_ms,
            double *ret_kept_ms)
{
    _cleanup_free_ char *io = qemu_io();
    unlink(overlay);
    if (run((const char *const[]){qemu_img, "create", "-q", "-f", "qcow2", "-b", base, "-F",
                                  "qcow2", overlay, NULL}) < 0 ||
        run((const char *const[]){io, "-f", "qcow2", "-c", CHANGED, overlay, NULL}) < 0)
        return -1;
    if (vp_domain_start(dom, 0) < 0)
        return fail("starting the floor's domain");
    _cleanup_free_ char *qmp_path = vp_asprintf("%s/run/floor.qmp", root);
    qemu_monitor *mon = NULL;
    if (qemu_monitor_open(qmp_path, 10000, &mon) < 0)
        return fail("QMP");
    int64_t t0 = bench_now_ns();
    json_object *nodes = NULL;
    json_object *flat = json_object_new_object();
    json_object_object_add(flat, "flat", json_object_new_boolean(true));
    int r = qmp(mon, "query-named-block-nodes", flat, &nodes);
    const char *base_node = NULL;
    for (size_t i = 0; r >= 0 && i < json_object_array_length(nodes) && !base_node; i++) {
        json_object *n = json_object_array_get_idx(nodes, i), *drv, *file, *name;
        if (json_object_object_get_ex(n, "drv", &drv) &&
            strcmp(json_object_get_string(drv), "qcow2") == 0 &&
            json_object_object_get_ex(n, "file", &file) &&
            strcmp(json_object_get_string(file), base) == 0 &&
            json_object_object_get_ex(n, "node-name", &name))
            base_node = json_object_get_string(name);
    }
    json_object *commit = args1("job-id", "floor");
    json_object_object_add(commit, "device", json_object_new_string("drive-vda"));
    json_object_object_add(commit, "base-node", json_object_new_string(base_node ? base_node : ""));
    json_object_object_add(commit, "auto-dismiss", json_object_new_boolean(false));
    if (r >= 0)
        r = qmp(mon, "block-commit", commit, NULL);
    else
        json_object_put(commit);
    if (r >= 0)
        r = wait_job(mon, "ready");
    if (r >= 0)
        r = qmp(mon, "job-complete", args1("id", "floor"), NULL);
    if (r >= 0)
        r = wait_job(mon, "concluded");
    if (r >= 0)
        r = qmp(mon, "job-dismiss", args1("id", "floor"), NULL);
    if (r >= 0)
        r = qmp(mon, "blockdev-del", args1("node-name", "drive-vda"), NULL);
    if (r >= 0)
        r = qmp(mon, "blockdev-del", args1("node-name", "file-vda"), NULL);
    int64_t t_kept = bench_now_ns();
    /* The overlay goes, as virtplug's delete removes it. */
    if (r >= 0 && unlink(overlay) < 0)
        r = -1;
    int64_t t1 = bench_now_ns();
    json_object_put(nodes);
    qemu_monitor_close(mon);
    if (r < 0)
        return fail("the bare commit");
    *ret_ms = (t1 - t0) / 1e6;
    *ret_kept_ms = (t_kept - t0) / 1e6;
    return vp_domain_destroy(dom, 0) < 0 ? fail("destroy") : 0;
}

int
main(void)
{
    if (access(QEMU_SYSTEM_PATH, X_OK) < 0 || access(qemu_img, X_OK) < 0) {
        printf("merge figures: skipped (QEMU or qemu-img is not installed)\n");
        return 0;
    }
    _cleanup_free_ char *root = vp_strdup("/tmp/vp-bench-merge-XXXXXX");
    if (!mkdtemp(root))
        return 1;
    _cleanup_free_ char *uri = vp_asprintf("qemu:///embed?root=%s", root);
    _cleanup_free_ char *vp_base = vp_asprintf("%s/m.qcow2", root);
    _cleanup_free_ char *vp_overlay = vp_asprintf("%s/m.s", root);
    _cleanup_free_ char *fl_base = vp_asprintf("%s/floor-base.qcow2", root);
    _cleanup_free_ char *fl_overlay = vp_asprintf("%s/floor-top.qcow2", root);
    vp_conn *conn = NULL;
    vp_domain *dom = NULL, *floor_dom = NULL;
    double mine[ROUNDS], floor[ROUNDS], floor_kept[ROUNDS];
    int r = vp_conn_open(uri, 0, &conn) < 0 ? fail("connect") : 0;
    if (r >= 0)
        r = run(
            (const char *const[]){qemu_img, "create", "-q", "-f", "qcow2", vp_base, "256M", NULL});
    if (r >= 0)
        r = run(
            (const char *const[]){qemu_img, "create", "-q", "-f", "qcow2", fl_base, "256M", NULL});
    if (r >= 0 &&
        (!(dom = define(conn, "m", vp_base)) || !(floor_dom = define(conn, "floor", fl_overlay))))
        r = fail("define");
    for (int i = 0; r >= 0 && i < ROUNDS; i++) {
        r = round_virtplug(dom, vp_overlay, &mine[i]);
        if (r >= 0)
            r = round_floor(floor_dom, root, fl_base, fl_overlay, &floor[i], &floor_kept[i]);
    }
    if (dom)
        vp_domain_destroy(dom, 0);
    if (floor_dom)
        vp_domain_destroy(floor_dom, 0);
    double lv = -1;
    char note[256] = "n/a: configure did not find libvirt-dev";
#ifdef VP_BENCH_HAVE_LIBVIRT
    if (r >= 0) {
        char rounds[16];
        snprintf(rounds, sizeof(rounds), "%d", ROUNDS);
        const char *const args[] = {"merge", rounds, qemu_img, NULL};
        static const char *const keys[] = {"merge_ms", NULL};
        if (bench_libvirt_anchors(VP_BENCH_TOP_SRCDIR, VP_BENCH_TOP_BUILDDIR, args, keys, &lv, note,
                                  sizeof(note)) < 0)
            lv = -1;
    }
#endif
    if (r >= 0) {
        double m = bench_median(mine, ROUNDS), f = bench_median(floor, ROUNDS);
        printf("| %-44s | %-12s | %-24s | %-10s | %-4s |\n", "figure", "virtplug",
               "floor (same run)", "target", "met?");
        printf("|----------------------------------------------|--------------|"
               "--------------------------|------------|------|\n");
        char a[32], b[32], t[32];
        snprintf(a, sizeof(a), "%.1f ms", m);
        snprintf(b, sizeof(b), "%.1f ms (bare QMP)", f);
        snprintf(t, sizeof(t), "<= %.1f ms", 1.2 * f);
        printf("| %-44s | %-12s | %-24s | %-10s | %-4s |\n",
               "snapshot-delete merge, 64 MiB, running", a, b, t, m <= 1.2 * f ? "yes" : "NO");
        if (lv >= 0)
            snprintf(b, sizeof(b), "%.1f ms (libvirt 9.0)", lv);
        printf("| %-44s | %-12s | %-24s | %-10s | %-4s |\n", "the same, beside libvirt", a,
               lv >= 0 ? b : note, "-", "n/a");
        printf("(medians of %d alternating rounds; both commit the active overlay of a running "
               "firmware-only TCG domain into its base, drop it and remove its file (the floor "
               "without the removal: %.1f ms); virtplug's includes its intent, the pause for the "
               "pivot, the definition and record writes; libvirt's: the whole "
               "virDomainSnapshotDelete on its own domain of the same kind, %d rounds after "
               "virtplug's)\n",
               ROUNDS, bench_median(floor_kept, ROUNDS), ROUNDS);
    }
    vp_domain_free(dom);
    vp_domain_free(floor_dom);
    vp_conn_close(conn);
    const char *rm[] = {"/bin/rm", "-rf", root, NULL};
    run(rm);
    return r < 0 ? 1 : 0;
}
