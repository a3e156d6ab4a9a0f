/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * builtin/test/test-stats.c: the statistics of the simulated host.
 *
 * Owns the domain_get_stats, node_get_memory_stats, node_get_cpu_stats,
 * conn_get_sysinfo and conn_get_capabilities slots of the test driver.
 * Every value is either the domain's definition, its simulated CPU time (which dominfo shows
 * too), or a fixed number derived from it, so that tests and
 * applications can predict each one; docs/test-driver.md lists them. The
 * host's values are libvirt's test driver's fixed ones where it has them
 * (nodecpustats, sysinfo, capabilities). Nothing here changes a domain.
 */
#include <config.h>

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <virtplug/sdk/stats.h>

#include "internal.h"
#include "test-driver.h"

#define KNOWN_GROUPS                                                                               \
    (VP_DOMAIN_STATS_STATE | VP_DOMAIN_STATS_CPU_TOTAL | VP_DOMAIN_STATS_BALLOON |                 \
     VP_DOMAIN_STATS_VCPU | VP_DOMAIN_STATS_INTERFACE | VP_DOMAIN_STATS_BLOCK)

/* The guest's balloon report: libvirt's test driver's dommemstat, derived
 * from the current memory @cur (KiB) as it derives them. */
static void
balloon_guest(vp_typed_params *p, unsigned long long cur)
{
    vp_plugin_typed_params_add_ullong(p, 0, "balloon.swap_in");
    vp_plugin_typed_params_add_ullong(p, 0, "balloon.swap_out");
    vp_plugin_typed_params_add_ullong(p, 0, "balloon.major_fault");
    vp_plugin_typed_params_add_ullong(p, 0, "balloon.minor_fault");
    vp_plugin_typed_params_add_ullong(p, cur / 2, "balloon.unused");
    vp_plugin_typed_params_add_ullong(p, cur, "balloon.available");
    vp_plugin_typed_params_add_ullong(p, cur / 2, "balloon.rss");
    vp_plugin_typed_params_add_ullong(p, 627319920, "balloon.last-update");
    vp_plugin_typed_params_add_ullong(p, cur / 2, "balloon.usable");
    vp_plugin_typed_params_add_ullong(p, cur / 8, "balloon.disk_caches");
    vp_plugin_typed_params_add_ullong(p, 0, "balloon.hugetlb_pgalloc");
    vp_plugin_typed_params_add_ullong(p, 0, "balloon.hugetlb_pgfail");
}

/* Block device @i: a fixed amount of I/O per device, (i + 1) times. */
static void
block_io(vp_typed_params *p, size_t i)
{
    unsigned long long k = i + 1;
    vp_plugin_typed_params_add_ullong(p, 100 * k, "block.%zu.rd.reqs", i);
    vp_plugin_typed_params_add_ullong(p, 409600 * k, "block.%zu.rd.bytes", i);
    vp_plugin_typed_params_add_ullong(p, 1000000 * k, "block.%zu.rd.times", i);
    vp_plugin_typed_params_add_ullong(p, 50 * k, "block.%zu.wr.reqs", i);
    vp_plugin_typed_params_add_ullong(p, 204800 * k, "block.%zu.wr.bytes", i);
    vp_plugin_typed_params_add_ullong(p, 2000000 * k, "block.%zu.wr.times", i);
    vp_plugin_typed_params_add_ullong(p, 10 * k, "block.%zu.fl.reqs", i);
    vp_plugin_typed_params_add_ullong(p, 500000 * k, "block.%zu.fl.times", i);
}

/* libvirt's test driver's sizes of every disk with a source (its
 * domblkinfo), and its disk errors of a running domain: disk i has
 * error (i % 2) + 1, VIR_DOMAIN_DISK_ERROR_UNSPEC then _NO_SPACE. */
#define TEST_DISK_CAPACITY 1099506450432ull
#define TEST_DISK_PHYSICAL 1099511627776ull

static void
block_group(vp_typed_params *p, const vp_domain_def *def, bool active)
{
    vp_plugin_typed_params_add_uint(p, (unsigned int)def->n_disks, "block.count");
    for (size_t i = 0; i < def->n_disks; i++) {
        const char *source = def->disks[i].source_file;
        vp_plugin_typed_params_add_string(p, def->disks[i].target_dev, "block.%zu.name", i);
        if (source)
            vp_plugin_typed_params_add_string(p, source, "block.%zu.path", i);
        if (active)
            block_io(p, i);
        if (source) { /* libvirt's order: after the I/O counters */
            vp_plugin_typed_params_add_ullong(p, TEST_DISK_PHYSICAL, "block.%zu.allocation", i);
            vp_plugin_typed_params_add_ullong(p, TEST_DISK_CAPACITY, "block.%zu.capacity", i);
            vp_plugin_typed_params_add_ullong(p, TEST_DISK_PHYSICAL, "block.%zu.physical", i);
        }
        if (active)
            vp_plugin_typed_params_add_int(p, (int)(i % 2) + 1, "block.%zu.error", i);
    }
}

/* libvirt's test driver's vCPUs: each last ran on the host's last CPU
 * (15 of nodeinfo's 16) and may run on every CPU of its CPU map, which
 * has 8. A shut-off domain has the counts and the affinity only. */
#define TEST_VCPU_CPU 15
#define TEST_CPU_MAP "yyyyyyyy"

static void
vcpu_group(vp_typed_params *p, const vp_domain_info *info, bool active)
{
    vp_plugin_typed_params_add_uint(p, info->vcpus, "vcpu.current");
    vp_plugin_typed_params_add_uint(p, info->vcpus, "vcpu.maximum");
    for (uint32_t i = 0; i < info->vcpus; i++) {
        if (active) {
            vp_plugin_typed_params_add_int(p, 1, "vcpu.%u.state", i);
            vp_plugin_typed_params_add_ullong(p, info->cpu_time_ns / info->vcpus, "vcpu.%u.time",
                                              i);
            vp_plugin_typed_params_add_ullong(p, 0, "vcpu.%u.wait", i);
            vp_plugin_typed_params_add_int(p, TEST_VCPU_CPU, "vcpu.%u.cpu", i);
        }
        vp_plugin_typed_params_add_string(p, TEST_CPU_MAP, "vcpu.%u.affinity", i);
    }
}

/* Interface @i: a fixed amount of traffic, (i + 1) times. */
static void
net_io(vp_typed_params *p, size_t i)
{
    unsigned long long k = i + 1;
    vp_plugin_typed_params_add_ullong(p, 1048576 * k, "net.%zu.rx.bytes", i);
    vp_plugin_typed_params_add_ullong(p, 1024 * k, "net.%zu.rx.pkts", i);
    vp_plugin_typed_params_add_ullong(p, 0, "net.%zu.rx.errs", i);
    vp_plugin_typed_params_add_ullong(p, 1 * k, "net.%zu.rx.drop", i);
    vp_plugin_typed_params_add_ullong(p, 524288 * k, "net.%zu.tx.bytes", i);
    vp_plugin_typed_params_add_ullong(p, 512 * k, "net.%zu.tx.pkts", i);
    vp_plugin_typed_params_add_ullong(p, 0, "net.%zu.tx.errs", i);
    vp_plugin_typed_params_add_ullong(p, 0, "net.%zu.tx.drop", i);
}

/* The interfaces of the definition: <target dev>, else vnetN. */
static void
net_group(vp_typed_params *p, const test_domain *dom)
{
    const vp_model_node *devices = vp_plugin_model_node_kid(
        vp_plugin_domain_model_root((const vp_domain_model *)dom->model), "devices", 0);
    size_t n = 0;
    while (devices && vp_plugin_model_node_kid(devices, "interface", n))
        n++;
    vp_plugin_typed_params_add_uint(p, (unsigned int)n, "net.count");
    for (size_t i = 0; i < n; i++) {
        const vp_model_node *nic = vp_plugin_model_node_kid(devices, "interface", i);
        const char *dev =
            vp_plugin_model_node_attr(vp_plugin_model_node_kid(nic, "target", 0), "dev");
        char vnet[32]; /* libvirt names a tap it makes vnetN */
        snprintf(vnet, sizeof(vnet), "vnet%zu", i);
        vp_plugin_typed_params_add_string(p, dev ? dev : vnet, "net.%zu.name", i);
        net_io(p, i);
    }
}

int
test_domain_get_stats(void *priv, const char *name, unsigned int groups, unsigned int flags,
                      vp_typed_params *p)
{
    test_host *host = priv;
    int r = test_check_flags("domain-get-stats", flags, 0);
    if (r < 0)
        return r;
    vp_domain_info info = {.size = sizeof(info)};
    r = test_domain_get_info(priv, name, &info);
    if (r < 0)
        return r;
    bool active = info.state != VP_DOMAIN_SHUTOFF;
    if (groups & VP_DOMAIN_STATS_STATE) {
        vp_plugin_typed_params_add_int(p, info.state, "state.state");
        vp_plugin_typed_params_add_int(p, info.reason, "state.reason");
    }
    if (active && (groups & VP_DOMAIN_STATS_CPU_TOTAL)) {
        unsigned long long user = info.cpu_time_ns / 10 * 9;
        vp_plugin_typed_params_add_ullong(p, info.cpu_time_ns, "cpu.time");
        vp_plugin_typed_params_add_ullong(p, user, "cpu.user");
        vp_plugin_typed_params_add_ullong(p, info.cpu_time_ns - user, "cpu.system");
    }
    if (active && (groups & VP_DOMAIN_STATS_BALLOON)) {
        vp_plugin_typed_params_add_ullong(p, info.memory_kib, "balloon.current");
        vp_plugin_typed_params_add_ullong(p, info.max_memory_kib, "balloon.maximum");
        balloon_guest(p, info.memory_kib);
    }
    if (groups & VP_DOMAIN_STATS_VCPU)
        vcpu_group(p, &info, active);
    pthread_mutex_lock(&host->lock);
    test_domain *dom = NULL;
    r = test_host_get(host, name, &dom);
    if (r >= 0 && active && (groups & VP_DOMAIN_STATS_INTERFACE))
        net_group(p, dom);
    if (r >= 0 && (groups & VP_DOMAIN_STATS_BLOCK))
        block_group(p, dom->def, active);
    pthread_mutex_unlock(&host->lock);
    return r < 0 ? r : KNOWN_GROUPS;
}

/* libvirt's test driver's fixed host: the same 16 CPUs of nodeinfo. */
int
test_node_get_memory_stats(void *priv, int cell, unsigned int flags, vp_typed_params *p)
{
    if (cell >= 2)
        return vp_error_set(VP_ERR_INVALID_ARG,
                            "invalid NUMA cell %d: the test host has cells 0 and 1", cell);
    unsigned long long total = cell < 0 ? 3145728 : 3145728 / 2;
    vp_plugin_typed_params_add_ullong(p, total, "total");
    vp_plugin_typed_params_add_ullong(p, total / 2, "free");
    if (cell < 0) {
        vp_plugin_typed_params_add_ullong(p, total / 32, "buffers");
        vp_plugin_typed_params_add_ullong(p, total / 4, "cached");
    }
    return 0;
}

int
test_node_get_cpu_stats(void *priv, int cpu, unsigned int flags, vp_typed_params *p)
{
    if (cpu >= 16)
        return vp_error_set(VP_ERR_INVALID_ARG,
                            "invalid CPU number %d: the test host has CPUs 0 to 15", cpu);
    /* libvirt's test driver gives these for every CPU and for all. */
    vp_plugin_typed_params_add_ullong(p, 34678723400000ull, "kernel");
    vp_plugin_typed_params_add_ullong(p, 9797400000ull, "user");
    vp_plugin_typed_params_add_ullong(p, 87264900000ull, "idle");
    vp_plugin_typed_params_add_ullong(p, 763600000ull, "iowait");
    return 0;
}

int
test_conn_get_sysinfo(void *priv, unsigned int flags, char **ret_xml)
{
    *ret_xml = vp_strdup("<sysinfo type='smbios'>\n"
                         "  <bios>\n"
                         "    <entry name='vendor'>LENOVO</entry>\n"
                         "    <entry name='version'>G4ETA1WW (2.61 )</entry>\n"
                         "    <entry name='date'>05/07/2014</entry>\n"
                         "    <entry name='release'>2.61</entry>\n"
                         "  </bios>\n"
                         "</sysinfo>\n");
    return 0;
}

/* libvirt's test driver's capabilities, so scripts that read them find the
 * same host (nodeinfo's 16 CPUs in 2 cells, i686) and guests; its empty
 * <power_management/> is where the core puts the simulated host power. */
#define TEST_GUEST(os_type)                                                                        \
    "  <guest>\n"                                                                                  \
    "    <os_type>" os_type "</os_type>\n"                                                         \
    "    <arch name='i686'>\n"                                                                     \
    "      <wordsize>32</wordsize>\n"                                                              \
    "      <emulator>/usr/bin/test-hv</emulator>\n"                                                \
    "      <domain type='test'/>\n"                                                                \
    "    </arch>\n"                                                                                \
    "    <features>\n"                                                                             \
    "      <pae/>\n"                                                                               \
    "      <nonpae/>\n"                                                                            \
    "    </features>\n"                                                                            \
    "  </guest>\n"

static const char test_capabilities[] =
    "<capabilities>\n"
    "\n"
    "  <host>\n"
    "    <cpu>\n"
    "      <arch>i686</arch>\n"
    "      <features>\n"
    "        <pae/>\n"
    "        <nonpae/>\n"
    "      </features>\n"
    "      <pages unit='KiB' size='4'/>\n"
    "      <pages unit='KiB' size='8'/>\n"
    "      <pages unit='KiB' size='2048'/>\n"
    "      <pages unit='KiB' size='1048576'/>\n"
    "    </cpu>\n"
    "    <power_management/>\n"
    "    <iommu support='no'/>\n"
    "    <topology>\n"
    "      <cells num='2'>\n"
    "        <cell id='0'>\n"
    "          <memory unit='KiB'>2097152</memory>\n"
    "          <pages unit='KiB' size='4'>524288</pages>\n"
    "          <pages unit='KiB' size='2048'>0</pages>\n"
    "          <pages unit='KiB' size='1048576'>0</pages>\n"
    "          <cpus num='8'>\n"
    "            <cpu id='0' socket_id='0' die_id='0' core_id='0' siblings='0'/>\n"
    "            <cpu id='1' socket_id='0' die_id='0' core_id='1' siblings='1'/>\n"
    "            <cpu id='2' socket_id='0' die_id='0' core_id='2' siblings='2'/>\n"
    "            <cpu id='3' socket_id='0' die_id='0' core_id='3' siblings='3'/>\n"
    "            <cpu id='4' socket_id='0' die_id='0' core_id='4' siblings='4'/>\n"
    "            <cpu id='5' socket_id='0' die_id='0' core_id='5' siblings='5'/>\n"
    "            <cpu id='6' socket_id='0' die_id='0' core_id='6' siblings='6'/>\n"
    "            <cpu id='7' socket_id='0' die_id='0' core_id='7' siblings='7'/>\n"
    "          </cpus>\n"
    "        </cell>\n"
    "        <cell id='1'>\n"
    "          <memory unit='KiB'>4194304</memory>\n"
    "          <pages unit='KiB' size='8'>524288</pages>\n"
    "          <pages unit='KiB' size='2048'>0</pages>\n"
    "          <pages unit='KiB' size='1048576'>0</pages>\n"
    "          <cpus num='8'>\n"
    "            <cpu id='8' socket_id='1' die_id='0' core_id='0' siblings='8'/>\n"
    "            <cpu id='9' socket_id='1' die_id='0' core_id='1' siblings='9'/>\n"
    "            <cpu id='10' socket_id='1' die_id='0' core_id='2' siblings='10'/>\n"
    "            <cpu id='11' socket_id='1' die_id='0' core_id='3' siblings='11'/>\n"
    "            <cpu id='12' socket_id='1' die_id='0' core_id='4' siblings='12'/>\n"
    "            <cpu id='13' socket_id='1' die_id='0' core_id='5' siblings='13'/>\n"
    "            <cpu id='14' socket_id='1' die_id='0' core_id='6' siblings='14'/>\n"
    "            <cpu id='15' socket_id='1' die_id='0' core_id='7' siblings='15'/>\n"
    "          </cpus>\n"
    "        </cell>\n"
    "      </cells>\n"
    "    </topology>\n"
    "    <secmodel>\n"
    "      <model>testSecurity</model>\n"
    "      <doi></doi>\n"
    "    </secmodel>\n"
    "  </host>\n"
    "\n" TEST_GUEST("hvm") "\n" TEST_GUEST("xen") "\n"
                                                  "</capabilities>\n";

int
test_conn_get_capabilities(void *priv, unsigned int flags, char **ret_xml)
{
    int r = test_check_flags("connect-get-capabilities", flags, 0);
    if (r < 0)
        return r;
    *ret_xml = vp_strdup(test_capabilities);
    return 0;
}
