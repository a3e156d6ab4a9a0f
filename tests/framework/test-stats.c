/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-stats.c: framework/stats.c and framework/host-stats.c: the typed
 * parameter list (building, reading, converting, refusing), the public
 * statistics calls on the test driver (its documented values, filters,
 * enforce, a stopped domain), the host readers below fake /proc and /sys
 * trees, and the real host against /proc/meminfo and /proc/stat.
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <virtplug/sdk/host.h>
#include <virtplug/sdk/services.h>
#include <virtplug/sdk/stats.h>

#include "hostpower/hp-tmp.h"
#include "node-info.h"

static unsigned long long
ull(const vp_typed_params *p, const char *key)
{
    unsigned long long v = 0;
    if (vp_typed_params_get_ullong(p, key, &v) != 1)
        fail_msg("no key '%s'", key);
    return v;
}

static const char *
str(const vp_typed_params *p, const char *key)
{
    const char *v = NULL;
    if (vp_typed_params_get_string(p, key, &v) != 1)
        fail_msg("no string key '%s'", key);
    return v;
}

static bool
has(const vp_typed_params *p, const char *key)
{
    for (int i = 0; i < vp_typed_params_count(p); i++)
        if (strcmp(vp_typed_params_field(p, i), key) == 0)
            return true;
    return false;
}

static void
test_typed_params(void **state)
{
    vp_conn *conn = NULL;
    vp_domain *dom = NULL;
    vp_typed_params *p = NULL;
    assert_int_equal(vp_conn_open("test:///default", 0, &conn), 0);
    assert_int_equal(vp_domain_lookup_by_name(conn, "test", &dom), 0);
    /* A list from the library, extended here through the SDK builders. */
    assert_int_equal(vp_domain_get_stats(dom, VP_DOMAIN_STATS_STATE, 0, &p), 0);
    assert_int_equal(vp_typed_params_count(p), 2);
    assert_string_equal(vp_typed_params_field(p, 0), "state.state");
    assert_int_equal(vp_typed_params_type(p, 0), VP_TYPED_PARAM_INT);
    vp_plugin_typed_params_add_llong(p, -5, "neg.%d", 1);
    vp_plugin_typed_params_add_double(p, 0.5, "half");
    vp_plugin_typed_params_add_string(p, "vda", "block.%zu.name", (size_t)0);
    vp_plugin_typed_params_add_ullong(p, 18446744073709551615ull, "big");
    assert_int_equal(vp_typed_params_count(p), 6);
    assert_null(vp_typed_params_field(p, 6));
    assert_null(vp_typed_params_field(p, -1));
    assert_int_equal(vp_typed_params_type(p, 6), VP_ERR_INVALID_ARG);
    assert_non_null(strstr(vp_error_last()->message, "index 6"));

    long long l = 0;
    unsigned long long u = 0;
    double d = 0;
    const char *s = NULL;
    assert_int_equal(vp_typed_params_get_llong(p, "neg.1", &l), 1);
    assert_int_equal(l, -5);
    assert_int_equal(vp_typed_params_get_ullong(p, "neg.1", &u), VP_ERR_INVALID_ARG);
    assert_non_null(strstr(vp_error_last()->message, "'neg.1'"));
    assert_int_equal(vp_typed_params_get_llong(p, "big", &l), VP_ERR_INVALID_ARG);
    assert_int_equal(vp_typed_params_get_double(p, "half", &d), 1);
    assert_true(d == 0.5);
    assert_int_equal(vp_typed_params_get_double(p, "state.state", &d), 1);
    assert_true(d == 1.0);
    assert_int_equal(vp_typed_params_get_string(p, "block.0.name", &s), 1);
    assert_string_equal(s, "vda");
    assert_int_equal(vp_typed_params_get_string(p, "half", &s), VP_ERR_INVALID_ARG);
    assert_int_equal(vp_typed_params_get_ullong(p, "block.0.name", &u), VP_ERR_INVALID_ARG);
    assert_int_equal(vp_typed_params_get_ullong(p, "absent", &u), 0);
    assert_null(vp_error_last());
    assert_int_equal(vp_typed_params_get_ullong(NULL, "x", &u), VP_ERR_INVALID_ARG);

    const char *want[] = {"1", "1", "-5", "0.500000", "vda", "18446744073709551615"};
    for (int i = 0; i < 6; i++) {
        char *text = NULL;
        assert_int_equal(vp_typed_params_format_value(p, i, &text), 0);
        assert_string_equal(text, want[i]);
        free(text);
    }
    char *text = NULL;
    assert_int_equal(vp_typed_params_format_value(p, 9, &text), VP_ERR_INVALID_ARG);
    vp_typed_params_free(p);
    vp_typed_params_free(NULL);
    vp_domain_free(dom);
    vp_conn_close(conn);
}

/* The test driver's documented values (docs/test-driver.md). */
static void
test_domain_stats(void **state)
{
    vp_conn *conn = NULL;
    vp_domain *dom = NULL;
    vp_typed_params *p = NULL;
    assert_int_equal(vp_conn_open("test:///default", 0, &conn), 0);
    const char *xml = "<domain type='test'><name>st</name><memory>1048576</memory>"
                      "<currentMemory>524288</currentMemory><vcpu>3</vcpu>"
                      "<os><type>hvm</type></os><devices>"
                      "<disk type='file' device='disk'><source file='/img/a.qcow2'/>"
                      "<target dev='vda' bus='virtio'/></disk>"
                      "<disk type='file' device='disk'><source file='/img/b.raw'/>"
                      "<target dev='vdb' bus='virtio'/></disk>"
                      "<interface type='network'><source network='default'/>"
                      "<target dev='tap7'/></interface>"
                      "<interface type='user'/></devices></domain>";
    assert_int_equal(vp_domain_define_xml(conn, xml, 0, &dom), 0);

    /* Shut off: the state, and what the definition says of the vCPUs
     * and disks (counts, affinity, names, paths and sizes), no I/O. */
    assert_int_equal(vp_domain_get_stats(dom, 0, 0, &p), 0);
    assert_int_equal(ull(p, "state.state"), VP_DOMAIN_SHUTOFF);
    assert_int_equal(ull(p, "vcpu.current"), 3);
    assert_string_equal(str(p, "vcpu.2.affinity"), "yyyyyyyy");
    assert_false(has(p, "vcpu.2.state"));
    assert_false(has(p, "vcpu.2.cpu"));
    assert_int_equal(ull(p, "block.count"), 2);
    assert_int_equal(ull(p, "block.1.capacity"), 1099506450432ull);
    assert_int_equal(ull(p, "block.1.physical"), 1099511627776ull);
    assert_false(has(p, "block.0.rd.reqs"));
    assert_false(has(p, "block.0.error"));
    assert_false(has(p, "cpu.time"));
    assert_false(has(p, "balloon.current"));
    assert_false(has(p, "net.count"));
    vp_typed_params_free(p);

    assert_int_equal(vp_domain_start(dom, 0), 0);
    assert_int_equal(vp_domain_get_stats(dom, 0, 0, &p), 0);
    assert_int_equal(ull(p, "state.state"), VP_DOMAIN_RUNNING);
    assert_int_equal(ull(p, "state.reason"), 1);
    assert_int_equal(ull(p, "cpu.time"), ull(p, "cpu.user") + ull(p, "cpu.system"));
    assert_int_equal(ull(p, "balloon.current"), 524288);
    assert_int_equal(ull(p, "balloon.maximum"), 1048576);
    assert_int_equal(ull(p, "balloon.unused"), 262144);
    assert_int_equal(ull(p, "balloon.last-update"), 627319920);
    assert_int_equal(ull(p, "vcpu.current"), 3);
    assert_int_equal(ull(p, "vcpu.2.state"), 1);
    assert_int_equal(ull(p, "vcpu.2.cpu"), 15);
    assert_string_equal(str(p, "vcpu.0.affinity"), "yyyyyyyy");
    assert_false(has(p, "vcpu.3.state"));
    assert_int_equal(ull(p, "block.count"), 2);
    assert_string_equal(str(p, "block.1.name"), "vdb");
    assert_string_equal(str(p, "block.1.path"), "/img/b.raw");
    assert_int_equal(ull(p, "block.0.rd.reqs"), 100);
    assert_int_equal(ull(p, "block.1.wr.bytes"), 409600);
    assert_int_equal(ull(p, "block.0.allocation"), 1099511627776ull);
    assert_int_equal(ull(p, "block.0.error"), 1); /* libvirt's: unspecified, then no space */
    assert_int_equal(ull(p, "block.1.error"), 2);
    assert_int_equal(ull(p, "net.count"), 2);
    assert_string_equal(str(p, "net.0.name"), "tap7");
    assert_string_equal(str(p, "net.1.name"), "vnet1");
    assert_int_equal(ull(p, "net.1.rx.bytes"), 2097152);
    vp_typed_params_free(p);

    /* One group only. */
    assert_int_equal(vp_domain_get_stats(dom, VP_DOMAIN_STATS_BLOCK, 0, &p), 0);
    assert_string_equal(vp_typed_params_field(p, 0), "block.count");
    assert_false(has(p, "state.state"));
    vp_typed_params_free(p);

    assert_int_equal(vp_domain_get_stats(dom, 1u << 20, 0, &p), VP_ERR_INVALID_ARG);
    assert_non_null(strstr(vp_error_last()->message, "groups"));
    assert_int_equal(vp_domain_get_stats(dom, 0, VP_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE, &p),
                     VP_ERR_INVALID_ARG);
    assert_int_equal(vp_domain_get_stats(dom, 0, 0, NULL), VP_ERR_INVALID_ARG);

    /* All domains, filtered by state. */
    assert_int_equal(vp_domain_suspend(dom, 0), 0);
    vp_domain_stats **recs = NULL;
    int n = vp_conn_get_all_domain_stats(conn, VP_DOMAIN_STATS_STATE,
                                         VP_CONNECT_GET_ALL_DOMAINS_STATS_PAUSED, &recs);
    assert_int_equal(n, 1);
    assert_string_equal(vp_domain_get_name(vp_domain_stats_get_domain(recs[0])), "st");
    assert_int_equal(ull(vp_domain_stats_get_params(recs[0]), "state.state"), VP_DOMAIN_PAUSED);
    assert_null(recs[1]);
    vp_domain_stats_list_free(recs);
    n = vp_conn_get_all_domain_stats(conn, 0, VP_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS,
                                     &recs);
    assert_int_equal(n, 2);
    vp_domain_stats_list_free(recs);
    assert_int_equal(vp_conn_get_all_domain_stats(conn, 0, 1u << 12, &recs), VP_ERR_INVALID_ARG);
    assert_int_equal(vp_domain_destroy(dom, 0), 0);
    n = vp_conn_get_all_domain_stats(conn, 0, VP_CONNECT_GET_ALL_DOMAINS_STATS_INACTIVE, &recs);
    assert_int_equal(n, 1);
    assert_int_equal(ull(vp_domain_stats_get_params(recs[0]), "state.state"), VP_DOMAIN_SHUTOFF);
    assert_false(has(vp_domain_stats_get_params(recs[0]), "cpu.time"));
    vp_domain_stats_list_free(recs);

    /* The simulated host. */
    assert_int_equal(vp_node_get_memory_stats(conn, VP_NODE_MEMORY_STATS_ALL_CELLS, 0, &p), 0);
    assert_int_equal(ull(p, "total"), 3145728);
    assert_int_equal(vp_typed_params_count(p), 4);
    vp_typed_params_free(p);
    assert_int_equal(vp_node_get_memory_stats(conn, 2, 0, &p), VP_ERR_INVALID_ARG);
    assert_non_null(strstr(vp_error_last()->message, "cell 2"));
    assert_int_equal(vp_node_get_cpu_stats(conn, 3, 0, &p), 0);
    assert_int_equal(ull(p, "kernel"), 34678723400000ull);
    vp_typed_params_free(p);
    assert_int_equal(vp_node_get_cpu_stats(conn, 16, 0, &p), VP_ERR_INVALID_ARG);
    assert_int_equal(vp_node_get_cpu_stats(conn, -2, 0, &p), VP_ERR_INVALID_ARG);
    /* libvirt's test host, the simulated host power in <power_management>. */
    char *caps = NULL;
    assert_int_equal(vp_conn_get_capabilities(conn, 0, &caps), 0);
    assert_non_null(strstr(caps, "<capabilities>\n\n  <host>\n    <cpu>\n      <arch>i686</arch>"));
    assert_non_null(strstr(caps, "    <power_management>\n      <suspend_mem/>\n      "
                                 "<suspend_disk/>\n      <suspend_hybrid/>\n    "
                                 "</power_management>\n    <iommu support='no'/>\n"));
    assert_null(strstr(caps, "then_hibernate"));
    assert_non_null(strstr(caps, "<cells num='2'>"));
    free(caps);
    assert_int_equal(vp_conn_get_capabilities(conn, 1, &caps), VP_ERR_INVALID_ARG);
    assert_int_equal(vp_conn_get_capabilities(conn, 0, NULL), VP_ERR_INVALID_ARG);
    char *sysinfo = NULL;
    assert_int_equal(vp_conn_get_sysinfo(conn, 0, &sysinfo), 0);
    assert_non_null(strstr(sysinfo, "<entry name='vendor'>LENOVO</entry>"));
    free(sysinfo);
    assert_int_equal(vp_conn_get_sysinfo(conn, 1, &sysinfo), VP_ERR_INVALID_ARG);
    vp_domain_free(dom);
    vp_conn_close(conn);
}

/* ---- the host readers below a fake root ------------------------------------- */

static char *root;

/* ROOT/@rel holding @text, its directories made. */
static void
write_at(const char *rel, const char *text)
{
    _cleanup_free_ char *path = vp_asprintf("%s/%s", root, rel);
    _cleanup_free_ char *dir = vp_strndup(path, (size_t)(strrchr(path, '/') - path));
    assert_int_equal(vp_plugin_mkdir_p(dir, 0700), 0);
    assert_int_equal(vp_plugin_file_write_atomic(path, text, strlen(text), 0600), 0);
}

static int
make_root(void **state)
{
    root = hp_tmpdir_new();
    return 0;
}

static int
remove_root(void **state)
{
    hp_tmpdir_free(root);
    root = NULL;
    return 0;
}

static void
test_host_memory(void **state)
{
    write_at("proc/meminfo", "MemTotal:       24683784 kB\nMemFree:         1000 kB\n"
                             "MemAvailable:    5000 kB\nBuffers:          200 kB\n"
                             "Cached:          3000 kB\nSwapCached:        7 kB\n");
    write_at("sys/devices/system/node/node1/meminfo",
             "Node 1 MemTotal:       12000 kB\nNode 1 MemFree:         600 kB\n");
    vp_typed_params *p = vpi_typed_params_new();
    int base = vp_typed_params_count(p);
    assert_int_equal(vpi_host_memory_stats_at(root, -1, p), 0);
    assert_int_equal(vp_typed_params_count(p), base + 4);
    assert_string_equal(vp_typed_params_field(p, base + 3), "cached");
    char *t = NULL;
    vp_typed_params_format_value(p, base + 3, &t);
    assert_string_equal(t, "3000");
    free(t);
    vp_typed_params_format_value(p, base + 0, &t);
    assert_string_equal(t, "24683784");
    free(t);
    assert_int_equal(vpi_host_memory_stats_at(root, 1, p), 0);
    assert_int_equal(vp_typed_params_count(p), base + 6);
    vp_typed_params_format_value(p, base + 5, &t);
    assert_string_equal(t, "600");
    free(t);
    assert_int_equal(vpi_host_memory_stats_at(root, 0, p), VP_ERR_INVALID_ARG);
    assert_non_null(strstr(vp_error_last()->message, "invalid NUMA cell 0"));
    write_at("proc/meminfo", "MemFree: 1 kB\n");
    assert_int_equal(vpi_host_memory_stats_at(root, -1, p), VP_ERR_SYSTEM);
    assert_non_null(strstr(vp_error_last()->message, "MemTotal:"));
    vp_typed_params_free(p);
}

static void
test_host_cpu(void **state)
{
    write_at("proc/stat", "cpu  10 2 30 400 5 6 7 0 0 0\ncpu0 1 1 1 1 1 1 1 0 0 0\n"
                          "cpu1 9 1 29 399 4 5 6 0 0 0\nintr 5\n");
    vp_typed_params *p = vpi_typed_params_new();
    int base = 0;
    assert_int_equal(vpi_host_cpu_stats_at(root, -1, 100, p), 0);
    const char *want[] = {"kernel", "430000000",  "user",   "120000000",
                          "idle",   "4000000000", "iowait", "50000000"};
    for (int i = 0; i < 4; i++) {
        char *t = NULL;
        assert_string_equal(vp_typed_params_field(p, base + i), want[2 * i]);
        vp_typed_params_format_value(p, base + i, &t);
        assert_string_equal(t, want[2 * i + 1]);
        free(t);
    }
    assert_int_equal(vpi_host_cpu_stats_at(root, 1, 100, p), 0);
    assert_int_equal(vpi_host_cpu_stats_at(root, 2, 100, p), VP_ERR_INVALID_ARG);
    assert_non_null(strstr(vp_error_last()->message, "'cpu2 '"));
    vp_typed_params_free(p);
}

static void
test_host_sysinfo(void **state)
{
    char *xml = NULL;
    assert_int_equal(vpi_host_sysinfo_at(root, &xml), VP_ERR_NOT_SUPPORTED);
    assert_non_null(strstr(vp_error_last()->message, "/sys/class/dmi/id' does not exist"));
    write_at("sys/class/dmi/id/bios_vendor", "SeaBIOS\n");
    write_at("sys/class/dmi/id/bios_date", "04/01/2014\n");
    write_at("sys/class/dmi/id/sys_vendor", "QEMU <&'>\n");
    write_at("sys/class/dmi/id/product_name", "\n");
    /* A directory stands for a file the caller may not read. */
    write_at("sys/class/dmi/id/product_serial/x", "");
    assert_int_equal(vpi_host_sysinfo_at(root, &xml), 0);
    assert_string_equal(xml, "<sysinfo type='smbios'>\n"
                             "  <bios>\n"
                             "    <entry name='vendor'>SeaBIOS</entry>\n"
                             "    <entry name='date'>04/01/2014</entry>\n"
                             "  </bios>\n"
                             "  <system>\n"
                             "    <entry name='manufacturer'>QEMU &lt;&amp;&apos;&gt;</entry>\n"
                             "  </system>\n"
                             "  <!-- not readable in /sys/class/dmi/id: product_serial -->\n"
                             "</sysinfo>\n");
    free(xml);
}

/* The real machine, against /proc. */
static void
test_this_machine(void **state)
{
    vp_typed_params *p = vpi_typed_params_new(), *q = vpi_typed_params_new();
    assert_int_equal(vp_plugin_host_memory_stats(-1, p), 0);
    FILE *f = fopen("/proc/meminfo", "r");
    unsigned long long kib = 0;
    assert_int_equal(fscanf(f, "MemTotal: %llu kB", &kib), 1);
    fclose(f);
    assert_int_equal(ull(p, "total"), kib);
    assert_true(ull(p, "free") <= kib);
    assert_int_equal(vp_plugin_host_memory_stats(9999, p), VP_ERR_INVALID_ARG);
    assert_int_equal(vp_plugin_host_cpu_stats(sysconf(_SC_NPROCESSORS_CONF) + 5, p),
                     VP_ERR_INVALID_ARG);
    /* cpu0's times, read twice, do not go back. */
    assert_int_equal(vp_plugin_host_cpu_stats(0, p), 0);
    assert_int_equal(vp_plugin_host_cpu_stats(0, q), 0);
    assert_true(ull(q, "idle") >= ull(p, "idle"));
    assert_true(ull(q, "kernel") >= ull(p, "kernel"));
    vp_typed_params_free(p);
    vp_typed_params_free(q);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_typed_params),
        cmocka_unit_test(test_domain_stats),
        cmocka_unit_test_setup_teardown(test_host_memory, make_root, remove_root),
        cmocka_unit_test_setup_teardown(test_host_cpu, make_root, remove_root),
        cmocka_unit_test_setup_teardown(test_host_sysinfo, make_root, remove_root),
        cmocka_unit_test(test_this_machine),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
