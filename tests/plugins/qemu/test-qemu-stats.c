/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-qemu-stats.c: the statistics of the QEMU driver
 * (plugins/qemu/qemu-stats.c) against real QEMU: a '-machine none'
 * domain and a firmware-only PC with a raw disk and a balloon. Each value
 * is checked against its source, read by the test itself: /proc/PID/stat
 * (CPU time, RSS), /proc/PID/task/TID/stat of the vCPU thread QMP names,
 * and QMP's query-blockstats, query-block and query-balloon, qemu-img
 * info and stat for the disks' sizes, sched_getaffinity for a vCPU's
 * affinity; a balloon's <stats
 * period> reaches QEMU (no guest reports to it: the firmware has no
 * balloon driver, so the guest's figures are left out). Values that move are
 * read before and after the call and must lie between. A stopped domain
 * and a killed QEMU report the state and their definition's vCPUs and
 * disks only; node statistics match
 * /proc/meminfo.
 */
#include <config.h>

#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cmocka.h>
#include <json-c/json.h>

#include <virtplug/sdk/alloc.h>
#include <virtplug/virtplug.h>

#include "qemu-monitor.h"
#include "qemu-test-util.h"

typedef struct fixture {
    char *root;
    char *disk;
    vp_conn *conn;
} fixture;

static int
setup(void **state)
{
    fixture *f = vp_new0(fixture, 1);
    f->root = qt_root_new();
    f->disk = vp_asprintf("%s/disk.img", f->root);
    FILE *img = fopen(f->disk, "w");
    assert_non_null(img);
    assert_int_equal(ftruncate(fileno(img), 1 << 20), 0);
    fclose(img);
    _cleanup_free_ char *uri = qt_uri(f->root, NULL);
    assert_int_equal(vp_conn_open(uri, 0, &f->conn), 0);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    fixture *f = *state;
    vp_conn_close(f->conn);
    qt_root_destroy(f->root);
    free(f->disk);
    free(f);
    return 0;
}

static vp_domain *
define_start(fixture *f, const char *xml)
{
    vp_domain *dom = NULL;
    if (vp_domain_define_xml(f->conn, xml, 0, &dom) < 0 || vp_domain_start(dom, 0) < 0)
        fail_msg("define and start: %s", vp_error_last()->message);
    return dom;
}

static unsigned long long
ull(const vp_typed_params *p, const char *key)
{
    unsigned long long v = 0;
    if (vp_typed_params_get_ullong(p, key, &v) != 1)
        fail_msg("no key '%s'", key);
    return v;
}

/* utime + stime (ns) and rss (KiB) of /proc/PID[/task/TID]/stat. */
static void
proc_times(pid_t pid, pid_t tid, unsigned long long *ret_ns, unsigned long long *ret_rss_kib)
{
    _cleanup_free_ char *path = tid > 0 ? vp_asprintf("/proc/%d/task/%d/stat", (int)pid, (int)tid)
                                        : vp_asprintf("/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "re");
    assert_non_null(f);
    char buf[1024];
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    const char *p = strrchr(buf, ')') + 2;
    unsigned long long v[22] = {0};
    for (int i = 0; i < 22 && p; i++) { /* fields 3..24 */
        v[i] = strtoull(p, NULL, 10);
        p = strchr(p, ' ');
        p = p ? p + 1 : NULL;
    }
    *ret_ns = (v[11] + v[12]) * (1000000000ull / (unsigned long long)sysconf(_SC_CLK_TCK));
    if (ret_rss_kib)
        *ret_rss_kib = v[21] * (unsigned long long)sysconf(_SC_PAGESIZE) / 1024;
}

/* A QMP question to domain @name's QEMU (the stats call holds no monitor
 * meanwhile: QEMU takes one client). (transfer full) */
static json_object *
qmp(fixture *f, const char *name, const char *cmd)
{
    _cleanup_free_ char *path = vp_asprintf("%s/run/%s.qmp", f->root, name);
    qemu_monitor *mon = NULL;
    json_object *ret = NULL;
    assert_int_equal(qemu_monitor_open(path, 10000, &mon), 0);
    assert_int_equal(qemu_monitor_command(mon, cmd, NULL, 10000, &ret), 0);
    qemu_monitor_close(mon);
    return ret;
}

static long long
member(json_object *o, const char *key)
{
    json_object *v = NULL;
    assert_true(json_object_object_get_ex(o, key, &v));
    return json_object_get_int64(v);
}

/* A shut-off 1-vCPU domain without disks: no counters, its vCPU free
 * to run on every CPU of the host. */
static void
assert_shut_off_view(const vp_typed_params *p)
{
    unsigned long long v;
    const char *map = NULL;
    assert_int_equal(ull(p, "vcpu.current"), 1);
    assert_int_equal(ull(p, "vcpu.maximum"), 1);
    assert_int_equal(ull(p, "block.count"), 0);
    assert_int_equal(vp_typed_params_get_string(p, "vcpu.0.affinity", &map), 1);
    assert_int_equal(strlen(map), sysconf(_SC_NPROCESSORS_CONF));
    assert_null(strchr(map, '-'));
    assert_int_equal(vp_typed_params_get_ullong(p, "vcpu.0.state", &v), 0);
    assert_int_equal(vp_typed_params_get_ullong(p, "cpu.time", &v), 0);
    assert_int_equal(vp_typed_params_get_ullong(p, "balloon.current", &v), 0);
    assert_int_equal(vp_typed_params_get_ullong(p, "net.count", &v), 0);
}

static void
test_machine_none(void **state)
{
    fixture *f = *state;
    vp_domain *dom = NULL;
    vp_typed_params *p = NULL;
    assert_int_equal(vp_domain_define_xml(f->conn,
                                          "<domain type='qemu'><name>n</name>"
                                          "<memory unit='MiB'>32</memory><vcpu>1</vcpu>"
                                          "<os><type arch='x86_64' machine='none'>hvm</type></os>"
                                          "</domain>",
                                          0, &dom),
                     0);
    /* Shut off: the state, and the definition's vCPUs and disks. */
    assert_int_equal(vp_domain_get_stats(dom, 0, 0, &p), 0);
    assert_int_equal(ull(p, "state.state"), VP_DOMAIN_SHUTOFF);
    assert_shut_off_view(p);
    vp_typed_params_free(p);

    assert_int_equal(vp_domain_start(dom, 0), 0);
    pid_t pid = qt_pid(f->root, "n");
    unsigned long long before, after, rss;
    proc_times(pid, 0, &before, NULL);
    assert_int_equal(vp_domain_get_stats(dom, 0, 0, &p), 0);
    proc_times(pid, 0, &after, &rss);
    assert_int_equal(ull(p, "state.state"), VP_DOMAIN_RUNNING);
    assert_in_range(ull(p, "cpu.time"), before, after);
    assert_int_equal(ull(p, "cpu.time"), ull(p, "cpu.user") + ull(p, "cpu.system"));
    /* No balloon device: the definition's memory. */
    assert_int_equal(ull(p, "balloon.current"), 32768);
    assert_int_equal(ull(p, "balloon.maximum"), 32768);
    assert_in_range(ull(p, "balloon.rss"), rss / 2, rss * 2);
    /* '-machine none' has no CPU: QEMU reports none. */
    assert_int_equal(ull(p, "vcpu.current"), 0);
    assert_int_equal(ull(p, "vcpu.maximum"), 1);
    assert_int_equal(ull(p, "block.count"), 0);
    assert_int_equal(ull(p, "net.count"), 0);
    vp_typed_params_free(p);

    /* A QEMU killed behind the driver's back: shut off (crashed). */
    assert_int_equal(kill(pid, SIGKILL), 0);
    assert_true(qt_wait_pid_gone(pid, 5000));
    assert_int_equal(vp_domain_get_stats(dom, 0, 0, &p), 0);
    assert_shut_off_view(p);
    assert_int_equal(ull(p, "state.state"), VP_DOMAIN_SHUTOFF);
    assert_int_equal(ull(p, "state.reason"), VP_DOMAIN_SHUTOFF_CRASHED);
    vp_typed_params_free(p);
    vp_domain_free(dom);
}

static void
test_pc_disk_balloon(void **state)
{
    fixture *f = *state;
    _cleanup_free_ char *xml =
        vp_asprintf("<domain type='qemu'><name>p</name><memory unit='MiB'>64</memory>"
                    "<vcpu>1</vcpu><os><type arch='x86_64' machine='pc'>hvm</type></os>"
                    "<devices><disk type='file' device='disk'><driver name='qemu' type='raw'/>"
                    "<source file='%s'/><target dev='vda' bus='virtio'/></disk>"
                    "<memballoon model='virtio'><stats period='7'/></memballoon>"
                    "</devices></domain>",
                    f->disk);
    vp_domain *dom = define_start(f, xml);
    pid_t pid = qt_pid(f->root, "p");
    vp_typed_params *p = NULL;

    json_object *cpus = qmp(f, "p", "query-cpus-fast");
    assert_int_equal(json_object_array_length(cpus), 1);
    pid_t tid = (pid_t)member(json_object_array_get_idx(cpus, 0), "thread-id");
    json_object_put(cpus);
    json_object *blk = qmp(f, "p", "query-blockstats");
    json_object *stats = NULL;
    assert_true(json_object_object_get_ex(json_object_array_get_idx(blk, 0), "stats", &stats));
    long long rd_before = member(stats, "rd_bytes"), rq_before = member(stats, "rd_operations");
    json_object_put(blk);
    unsigned long long vcpu_before, vcpu_after;
    proc_times(pid, tid, &vcpu_before, NULL);

    assert_int_equal(vp_domain_get_stats(dom, 0, 0, &p), 0);

    proc_times(pid, tid, &vcpu_after, NULL);
    blk = qmp(f, "p", "query-blockstats");
    assert_true(json_object_object_get_ex(json_object_array_get_idx(blk, 0), "stats", &stats));
    assert_in_range(ull(p, "block.0.rd.bytes"), rd_before, member(stats, "rd_bytes"));
    assert_in_range(ull(p, "block.0.rd.reqs"), rq_before, member(stats, "rd_operations"));
    assert_int_equal(ull(p, "block.0.wr.bytes"), member(stats, "wr_bytes"));
    json_object_put(blk);
    assert_int_equal(ull(p, "block.count"), 1);
    const char *s = NULL;
    assert_int_equal(vp_typed_params_get_string(p, "block.0.name", &s), 1);
    assert_string_equal(s, "vda");
    assert_int_equal(vp_typed_params_get_string(p, "block.0.path", &s), 1);
    assert_string_equal(s, f->disk);

    assert_int_equal(ull(p, "vcpu.current"), 1);
    assert_int_equal(ull(p, "vcpu.0.state"), 1);
    assert_in_range(ull(p, "vcpu.0.time"), vcpu_before, vcpu_after);
    assert_true(ull(p, "cpu.time") >= ull(p, "vcpu.0.time"));

    /* <stats period>: QEMU asks the guest that often (firmware never answers). */
    _cleanup_free_ char *path = vp_asprintf("%s/run/p.qmp", f->root);
    qemu_monitor *mon = NULL;
    json_object *args = json_object_new_object(), *period = NULL;
    json_object_object_add(args, "path", json_object_new_string("/machine/peripheral/balloon0"));
    json_object_object_add(args, "property",
                           json_object_new_string("guest-stats-polling-interval"));
    assert_int_equal(qemu_monitor_open(path, 10000, &mon), 0);
    assert_int_equal(qemu_monitor_command(mon, "qom-get", args, 10000, &period), 0);
    assert_int_equal(json_object_get_int(period), 7);
    qemu_monitor_close(mon);
    json_object_put(args);
    json_object_put(period);
    assert_false(vp_typed_params_get_ullong(p, "balloon.last-update", &(unsigned long long){0}));
    json_object *balloon = qmp(f, "p", "query-balloon");
    assert_int_equal(ull(p, "balloon.current"), member(balloon, "actual") / 1024);
    json_object_put(balloon);
    assert_int_equal(ull(p, "balloon.maximum"), 65536);
    vp_typed_params_free(p);

    /* Every domain at once, and the running ones only. */
    vp_domain *n = NULL;
    assert_int_equal(vp_domain_define_xml(f->conn,
                                          "<domain type='qemu'><name>off</name>"
                                          "<memory unit='MiB'>32</memory>"
                                          "<os><type arch='x86_64' machine='none'>hvm</type></os>"
                                          "</domain>",
                                          0, &n),
                     0);
    vp_domain_stats **recs = NULL;
    assert_int_equal(vp_conn_get_all_domain_stats(f->conn, VP_DOMAIN_STATS_BLOCK, 0, &recs), 2);
    vp_domain_stats_list_free(recs);
    assert_int_equal(vp_conn_get_all_domain_stats(f->conn, VP_DOMAIN_STATS_STATE,
                                                  VP_CONNECT_GET_ALL_DOMAINS_STATS_RUNNING, &recs),
                     1);
    assert_string_equal(vp_domain_get_name(vp_domain_stats_get_domain(recs[0])), "p");
    vp_domain_stats_list_free(recs);
    /* A failure in one of the threads reaches the caller with its message. */
    _cleanup_free_ char *def = vp_asprintf("%s/config/off.xml", f->root);
    FILE *bad = fopen(def, "w");
    assert_non_null(bad);
    fputs("<domain type='qemu'><name>off</name><uuid>not-a-uuid</uuid>", bad);
    fclose(bad);
    recs = NULL;
    assert_int_equal(vp_conn_get_all_domain_stats(f->conn, 0, 0, &recs), VP_ERR_XML);
    assert_null(recs);
    assert_non_null(strstr(vp_error_last()->message, "malformed XML"));
    vp_domain_free(n);
    assert_int_equal(vp_domain_destroy(dom, 0), 0);
    vp_domain_free(dom);
}

/* qemu-img info's view of @path: its virtual size and its disk usage. */
static void
qemu_img_sizes(const char *path, long long *ret_virtual, long long *ret_actual)
{
    _cleanup_free_ char *out = NULL;
    assert_int_equal(
        qt_run_capture((const char *const[]){QEMU_IMG, "info", "-U", "--output=json", path, NULL},
                       &out),
        0);
    json_object *info = json_tokener_parse(out);
    assert_non_null(info);
    *ret_virtual = member(info, "virtual-size");
    *ret_actual = member(info, "actual-size");
    json_object_put(info);
}

/* The sizes of a qcow2 and a raw disk, shut off (from the images) and
 * running (from QEMU), against qemu-img and stat; the vCPU's last CPU
 * and affinity against its thread's stat and sched_getaffinity. */
static void
test_sizes_and_vcpus(void **state)
{
    fixture *f = *state;
    _cleanup_free_ char *q = vp_asprintf("%s/q.qcow2", f->root);
    assert_int_equal(
        qt_run_capture(
            (const char *const[]){QEMU_IMG, "create", "-q", "-f", "qcow2", q, "64M", NULL}, NULL),
        0);
    _cleanup_free_ char *xml =
        vp_asprintf("<domain type='qemu'><name>z</name><memory unit='MiB'>64</memory>"
                    "<vcpu>1</vcpu><os><type arch='x86_64' machine='pc'>hvm</type></os>"
                    "<devices><disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
                    "<source file='%s'/><target dev='vda' bus='virtio'/></disk>"
                    "<disk type='file' device='disk'><driver name='qemu' type='raw'/>"
                    "<source file='%s'/><target dev='vdb' bus='virtio'/></disk>"
                    "</devices></domain>",
                    q, f->disk);
    vp_domain *dom = NULL;
    vp_typed_params *p = NULL;
    assert_int_equal(vp_domain_define_xml(f->conn, xml, 0, &dom), 0);
    long long virt, actual;
    struct stat qst, rst;
    qemu_img_sizes(q, &virt, &actual);
    assert_int_equal(stat(q, &qst), 0);
    assert_int_equal(stat(f->disk, &rst), 0);
    assert_int_equal(vp_domain_get_stats(dom, VP_DOMAIN_STATS_BLOCK, 0, &p), 0);
    assert_int_equal(ull(p, "block.0.capacity"), 64 << 20);
    assert_int_equal(ull(p, "block.0.capacity"), virt);
    assert_int_equal(ull(p, "block.0.allocation"), actual);
    assert_int_equal(ull(p, "block.0.physical"), qst.st_size);
    assert_int_equal(ull(p, "block.1.capacity"), 1 << 20);
    assert_int_equal(ull(p, "block.1.allocation"), rst.st_blocks * 512);
    assert_int_equal(ull(p, "block.1.physical"), 1 << 20);
    unsigned long long v;
    assert_int_equal(vp_typed_params_get_ullong(p, "block.0.rd.reqs", &v), 0);
    assert_int_equal(vp_typed_params_get_ullong(p, "block.0.error", &v), 0);
    vp_typed_params_free(p);

    assert_int_equal(vp_domain_start(dom, 0), 0);
    assert_int_equal(vp_domain_get_stats(dom, VP_DOMAIN_STATS_BLOCK | VP_DOMAIN_STATS_VCPU, 0, &p),
                     0);
    json_object *blocks = qmp(f, "z", "query-block");
    for (size_t i = 0; i < json_object_array_length(blocks); i++) {
        json_object *e = json_object_array_get_idx(blocks, i), *ins, *image, *io;
        assert_true(json_object_object_get_ex(e, "inserted", &ins));
        assert_true(json_object_object_get_ex(ins, "image", &image));
        const char *node = json_object_get_string(json_object_object_get(ins, "node-name"));
        size_t d = strcmp(node, "drive-vda") == 0 ? 0 : 1;
        _cleanup_free_ char *cap = vp_asprintf("block.%zu.capacity", d);
        _cleanup_free_ char *alloc = vp_asprintf("block.%zu.allocation", d);
        _cleanup_free_ char *err = vp_asprintf("block.%zu.error", d);
        assert_int_equal(ull(p, cap), member(image, "virtual-size"));
        assert_int_equal(ull(p, alloc), member(image, "actual-size"));
        if (json_object_object_get_ex(e, "io-status", &io))
            assert_int_equal(ull(p, err), 0); /* "ok" */
        else
            assert_int_equal(vp_typed_params_get_ullong(p, err, &v), 0);
    }
    json_object_put(blocks);
    assert_int_equal(ull(p, "block.0.capacity"), virt);
    assert_int_equal(ull(p, "block.0.physical"), qst.st_size);

    json_object *cpus = qmp(f, "z", "query-cpus-fast");
    pid_t tid = (pid_t)member(json_object_array_get_idx(cpus, 0), "thread-id");
    json_object_put(cpus);
    long ncpus = sysconf(_SC_NPROCESSORS_CONF);
    assert_in_range(ull(p, "vcpu.0.cpu"), 0, ncpus - 1);
    cpu_set_t set;
    assert_int_equal(sched_getaffinity(tid, sizeof(set), &set), 0);
    const char *map = NULL;
    assert_int_equal(vp_typed_params_get_string(p, "vcpu.0.affinity", &map), 1);
    assert_int_equal(strlen(map), ncpus);
    for (long c = 0; c < ncpus; c++)
        assert_int_equal(map[c], CPU_ISSET((int)c, &set) ? 'y' : '-');
    vp_typed_params_free(p);
    assert_int_equal(vp_domain_destroy(dom, 0), 0);
    vp_domain_free(dom);
}

/* How many entries of @dir are named @prefix and a number. */
static int
count_numbered(const char *dir, const char *prefix)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;
    while (d && (e = readdir(d)))
        n += strncmp(e->d_name, prefix, strlen(prefix)) == 0 &&
             strspn(e->d_name + strlen(prefix), "0123456789") ==
                 strlen(e->d_name + strlen(prefix)) &&
             e->d_name[strlen(prefix)];
    if (d)
        closedir(d);
    return n;
}

static int
count_of(const char *text, const char *needle)
{
    int n = 0;
    for (const char *p = text; (p = strstr(p, needle)); p++)
        n++;
    return n;
}

/* The host as sysfs describes it, the guest as the binary does. */
static void
test_capabilities(void **state)
{
    fixture *f = *state;
    char *caps = NULL;
    assert_int_equal(vp_conn_get_capabilities(f->conn, 0, &caps), 0);
    struct utsname u;
    assert_int_equal(uname(&u), 0);
    _cleanup_free_ char *arch = vp_asprintf("      <arch>%s</arch>\n", u.machine);
    assert_non_null(strstr(caps, arch));
    int nodes = count_numbered("/sys/devices/system/node", "node");
    _cleanup_free_ char *cells = vp_asprintf("<cells num='%d'>", nodes ? nodes : 1);
    assert_non_null(strstr(caps, cells));
    assert_int_equal(count_of(caps, "<cell id="), nodes ? nodes : 1);
    /* Every online CPU in one cell (this machine's CPUs are all online). */
    assert_int_equal(count_of(caps, "socket_id="), sysconf(_SC_NPROCESSORS_ONLN));
    _cleanup_free_ char *emulator = vp_asprintf("<emulator>%s</emulator>", QEMU_BINARY);
    assert_non_null(strstr(caps, emulator));
    assert_non_null(strstr(caps, "<machine canonical='pc-i440fx-"));
    assert_non_null(strstr(caps, "'>pc</machine>\n"));
    assert_non_null(strstr(caps, "<machine>q35</machine>") || strstr(caps, ">q35</machine>"));
    assert_null(strstr(caps, ">none</machine>"));
    assert_non_null(strstr(caps, "      <domain type='qemu'/>\n"));
    assert_non_null(strstr(caps, "<power_management"));
    const char *iommu = count_numbered("/sys/kernel/iommu_groups", "") > 0
                            ? "<iommu support='yes'/>"
                            : "<iommu support='no'/>";
    assert_non_null(strstr(caps, iommu));
    free(caps);
}

static void
test_node(void **state)
{
    fixture *f = *state;
    vp_typed_params *p = NULL;
    assert_int_equal(vp_node_get_memory_stats(f->conn, VP_NODE_MEMORY_STATS_ALL_CELLS, 0, &p), 0);
    FILE *mi = fopen("/proc/meminfo", "r");
    unsigned long long kib = 0;
    assert_int_equal(fscanf(mi, "MemTotal: %llu kB", &kib), 1);
    fclose(mi);
    assert_int_equal(ull(p, "total"), kib);
    vp_typed_params_free(p);
    assert_int_equal(vp_node_get_cpu_stats(f->conn, 0, 0, &p), 0);
    assert_int_equal(vp_typed_params_count(p), 4);
    vp_typed_params_free(p);
    char *xml = NULL;
    int r = vp_conn_get_sysinfo(f->conn, 0, &xml);
    if (access("/sys/class/dmi/id", F_OK) == 0) {
        assert_int_equal(r, 0);
        assert_non_null(strstr(xml, "<sysinfo type='smbios'>"));
    } else {
        assert_int_equal(r, VP_ERR_NOT_SUPPORTED);
        assert_non_null(strstr(vp_error_last()->message, "/sys/class/dmi/id"));
    }
    free(xml);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_machine_none, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pc_disk_balloon, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sizes_and_vcpus, setup, teardown),
        cmocka_unit_test_setup_teardown(test_node, setup, teardown),
        cmocka_unit_test_setup_teardown(test_capabilities, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
