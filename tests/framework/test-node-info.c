/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-node-info.c: framework/node-info.c: the reading of this machine
 * (fake /proc and /sys trees for each topology, then the real host against
 * sysconf and /proc/meminfo) and the public calls on the test driver,
 * which answers as libvirt's test driver does.
 */
#include <config.h>

#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include <virtplug/sdk/host.h>

#include "node-info.h"

static char root[64];

static void
put(const char *rel, const char *text)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", root, rel);
    for (char *p = strchr(path + strlen(root) + 1, '/'); p; p = strchr(p + 1, '/')) {
        *p = '\0';
        mkdir(path, 0700);
        *p = '/';
    }
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* CPU @cpu in package @pkg, core @core. */
static void
put_cpu(int cpu, int pkg, int core)
{
    char rel[128], v[16];
    snprintf(v, sizeof(v), "%d\n", pkg);
    snprintf(rel, sizeof(rel), "sys/devices/system/cpu/cpu%d/topology/physical_package_id", cpu);
    put(rel, v);
    snprintf(v, sizeof(v), "%d\n", core);
    snprintf(rel, sizeof(rel), "sys/devices/system/cpu/cpu%d/topology/core_id", cpu);
    put(rel, v);
}

static void
put_nodes(int n)
{
    for (int i = 0; i < n; i++) {
        char rel[64];
        snprintf(rel, sizeof(rel), "sys/devices/system/node/node%d/cpulist", i);
        put(rel, "0\n");
    }
}

static int
setup(void **state)
{
    snprintf(root, sizeof(root), "/tmp/vp-node-info-XXXXXX");
    assert_non_null(mkdtemp(root));
    put("proc/meminfo", "MemTotal:       24683784 kB\nMemFree:        1000 kB\n");
    put("proc/cpuinfo", "processor\t: 0\nmodel name\t: Some CPU\ncpu MHz\t\t: 2599.998\n\n");
    return 0;
}

static int
remove_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    return remove(path);
}

static int
teardown(void **state)
{
    return nftw(root, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

static vp_node_info
read_info(void)
{
    vp_node_info info = {.size = sizeof(info)};
    int r = vpi_host_node_info_at(root, "x86_64", &info);
    if (r < 0)
        fail_msg("%s", vp_error_last()->message);
    assert_int_equal(info.size, sizeof(info));
    return info;
}

static void
assert_topology(const vp_node_info *i, unsigned cpus, unsigned nodes, unsigned sockets,
                unsigned cores, unsigned threads)
{
    assert_int_equal(i->cpus, cpus);
    assert_int_equal(i->nodes, nodes);
    assert_int_equal(i->sockets, sockets);
    assert_int_equal(i->cores, cores);
    assert_int_equal(i->threads, threads);
}

static void
test_two_cores(void **state)
{
    put("sys/devices/system/cpu/online", "0-1\n");
    put_cpu(0, 0, 0);
    put_cpu(1, 0, 1);
    put_nodes(1);
    vp_node_info i = read_info();
    assert_topology(&i, 2, 1, 1, 2, 1);
    assert_int_equal(i.mhz, 2599);
    assert_int_equal(i.memory_kib, 24683784);
    assert_string_equal(i.model, "x86_64");
}

/* 2 NUMA nodes, one package each, 4 cores of 2 threads: sockets count per
 * node, as libvirt's. */
static void
test_two_numa_nodes_smt(void **state)
{
    put("sys/devices/system/cpu/online", "0-15\n");
    for (int cpu = 0; cpu < 16; cpu++)
        put_cpu(cpu, cpu / 8, (cpu % 8) / 2);
    put_nodes(2);
    vp_node_info i = read_info();
    assert_topology(&i, 16, 2, 1, 4, 2);
}

/* Offline CPUs are not counted (cpu1 is offline and has no topology). */
static void
test_offline_cpus(void **state)
{
    put("sys/devices/system/cpu/online", "0,2-3\n");
    put_cpu(0, 0, 0);
    put_cpu(2, 0, 2);
    put_cpu(3, 0, 3);
    vp_node_info i = read_info();
    assert_topology(&i, 3, 1, 1, 3, 1);
}

/* A topology that does not divide (1 package over 2 nodes): libvirt's
 * flat answer. */
static void
test_uneven_topology(void **state)
{
    put("sys/devices/system/cpu/online", "0-2\n");
    for (int cpu = 0; cpu < 3; cpu++)
        put_cpu(cpu, 0, cpu);
    put_nodes(2);
    vp_node_info i = read_info();
    assert_topology(&i, 3, 1, 1, 3, 1);
}

static void
test_mhz_from_cpufreq(void **state)
{
    put("proc/cpuinfo", "processor\t: 0\nBogoMIPS\t: 50.00\n");
    put("sys/devices/system/cpu/online", "0\n");
    put("sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq", "3000000\n");
    vp_node_info i = read_info();
    assert_int_equal(i.mhz, 3000);
    assert_topology(&i, 1, 1, 1, 1, 1);
}

static void
test_errors(void **state)
{
    vp_node_info info = {.size = sizeof(info)};
    int r = vpi_host_node_info_at(root, "x86_64", &info);
    assert_int_equal(r, VP_ERR_SYSTEM);
    assert_non_null(strstr(vp_error_last()->message, "sys/devices/system/cpu/online"));
    put("sys/devices/system/cpu/online", "zero\n");
    r = vpi_host_node_info_at(root, "x86_64", &info);
    assert_int_equal(r, VP_ERR_SYSTEM);
    assert_non_null(strstr(vp_error_last()->message, "'zero"));
}

/* The caller's older, smaller struct gets the fields that fit. */
static void
test_small_struct(void **state)
{
    put("sys/devices/system/cpu/online", "0-1\n");
    struct {
        vp_node_info head;
        char guard[8];
    } buf;
    memset(&buf, 0x5a, sizeof(buf));
    buf.head.size = 8;
    assert_int_equal(vpi_host_node_info_at(root, "x86_64", &buf.head), 0);
    assert_int_equal(buf.head.size, 8);
    assert_int_equal(buf.head.cpus, 2);
    assert_int_equal(((unsigned char *)&buf.head)[8], 0x5a);
}

/* The real machine, against what sysconf and /proc/meminfo say. */
static void
test_this_machine(void **state)
{
    vp_node_info info = {.size = sizeof(info)};
    assert_int_equal(vp_plugin_host_node_info(&info), 0);
    assert_int_equal(info.cpus, sysconf(_SC_NPROCESSORS_ONLN));
    FILE *f = fopen("/proc/meminfo", "r");
    unsigned long long kib = 0;
    assert_int_equal(fscanf(f, "MemTotal: %llu kB", &kib), 1);
    fclose(f);
    assert_int_equal(info.memory_kib, kib);
    assert_int_equal((unsigned long)info.nodes * info.sockets * info.cores * info.threads,
                     info.cpus);
    char *name = NULL;
    char want[256] = "";
    gethostname(want, sizeof(want));
    assert_int_equal(vp_plugin_host_name(&name), 0);
    assert_string_equal(name, want);
    free(name);
}

/* libvirt's test driver's fixed host, and the machine's name. */
static void
test_test_driver(void **state)
{
    vp_conn *conn = NULL;
    assert_int_equal(vp_conn_open("test:///default", 0, &conn), 0);
    vp_node_info info = {.size = sizeof(info)};
    assert_int_equal(vp_node_get_info(conn, &info), 0);
    assert_string_equal(info.model, "i686");
    assert_topology(&info, 16, 2, 2, 2, 2);
    assert_int_equal(info.mhz, 1400);
    assert_int_equal(info.memory_kib, 3145728);
    info.size = 4;
    assert_int_equal(vp_node_get_info(conn, &info), VP_ERR_INVALID_ARG);
    assert_non_null(strstr(vp_error_last()->message, "size"));
    char *name = NULL, want[256] = "";
    gethostname(want, sizeof(want));
    assert_int_equal(vp_conn_get_hostname(conn, &name), 0);
    assert_string_equal(name, want);
    free(name);
    vp_conn_close(conn);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_two_cores, setup, teardown),
        cmocka_unit_test_setup_teardown(test_two_numa_nodes_smt, setup, teardown),
        cmocka_unit_test_setup_teardown(test_offline_cpus, setup, teardown),
        cmocka_unit_test_setup_teardown(test_uneven_topology, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mhz_from_cpufreq, setup, teardown),
        cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_small_struct, setup, teardown),
        cmocka_unit_test(test_this_machine),
        cmocka_unit_test(test_test_driver),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
