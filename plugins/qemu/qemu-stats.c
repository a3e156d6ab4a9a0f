/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-stats.c: the statistics of QEMU domains and of their host.
 *
 * Owns the domain_get_stats, node_get_memory_stats, node_get_cpu_stats
 * and conn_get_sysinfo slots. Where each value comes from, as libvirt
 * takes it: CPU time and RSS from /proc/PID/stat of the domain's QEMU,
 * each vCPU's time from /proc/PID/task/TID/stat of the thread
 * query-cpus-fast names (its wait from .../schedstat), the balloon from
 * query-balloon and the guest's report (qom-get guest-stats, when the
 * guest sends one), block I/O from query-blockstats (the disk's node
 * "drive-DEV" or its device "DEV"), the sizes and I/O status of disks
 * from query-block and the images (qemu-chain.c; a shut-off domain's
 * from the images only), each vCPU's last CPU from its stat and its
 * affinity from sched_getaffinity, and the traffic of tap interfaces
 * from /proc/net/dev (seen from the guest: the tap's rx is the guest's
 * tx). One QMP connection serves the state and every group; it is
 * only opened when the domain's lock is free (a busy domain's QMP values
 * are left out: the monitor takes one client). The host is this machine: the core's
 * readers (vp_plugin_host_*) answer for it. Nothing here changes a domain.
 */
#include <config.h>

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <virtplug/sdk/host.h>
#include <virtplug/sdk/stats.h>

#include <json-c/json.h>

#include "qemu-chain.h"
#include "qemu-devices.h"
#include "qemu-driver.h"
#include "qemu-monitor.h"

#define KNOWN_GROUPS                                                                               \
    (VP_DOMAIN_STATS_STATE | VP_DOMAIN_STATS_CPU_TOTAL | VP_DOMAIN_STATS_BALLOON |                 \
     VP_DOMAIN_STATS_VCPU | VP_DOMAIN_STATS_INTERFACE | VP_DOMAIN_STATS_BLOCK)

/* The run-queue wait of a thread (ns), the second number of schedstat. */
static int
read_wait_ns(pid_t pid, pid_t tid, unsigned long long *ret_ns)
{
    char path[96];
    snprintf(path, sizeof(path), "/proc/%d/task/%d/schedstat", (int)pid, (int)tid);
    FILE *f = fopen(path, "re");
    if (!f)
        return -errno;
    unsigned long long run, wait;
    int n = fscanf(f, "%llu %llu", &run, &wait);
    fclose(f);
    if (n != 2)
        return -EIO;
    *ret_ns = wait;
    return 0;
}

/* ---- QMP ---------------------------------------------------------------------- */

/* Run @cmd; NULL when it failed (the value is left out, not an error). */
static json_object *
ask(qemu_monitor *mon, const char *cmd, json_object *args)
{
    json_object *ret = NULL;
    if (qemu_monitor_command(mon, cmd, args, QEMU_MONITOR_TIMEOUT_MS, &ret) < 0) {
        VP_PLUGIN_DEBUG(QEMU_AREA, "stats: %s failed", cmd);
        return NULL;
    }
    return ret;
}

static long long
get_int(json_object *o, const char *key, long long dflt)
{
    json_object *v;
    return json_object_object_get_ex(o, key, &v) ? json_object_get_int64(v) : dflt;
}

static const char *
get_str(json_object *o, const char *key)
{
    json_object *v;
    return json_object_object_get_ex(o, key, &v) ? json_object_get_string(v) : NULL;
}

/* The guest's own report: libvirt's keys for QEMU's stat-* names. */
static void
balloon_guest(qemu_monitor *mon, vp_typed_params *p)
{
    static const struct {
        const char *qemu, *key;
        bool bytes;
    } map[] = {
        {"stat-swap-in", "swap_in", true},
        {"stat-swap-out", "swap_out", true},
        {"stat-major-faults", "major_fault", false},
        {"stat-minor-faults", "minor_fault", false},
        {"stat-free-memory", "unused", true},
        {"stat-total-memory", "available", true},
        {"stat-available-memory", "usable", true},
        {"stat-disk-caches", "disk_caches", true},
        {"stat-htlb-pgalloc", "hugetlb_pgalloc", false},
        {"stat-htlb-pgfail", "hugetlb_pgfail", false},
    };
    json_object *args = json_object_new_object();
    json_object_object_add(args, "path", json_object_new_string("/machine/peripheral/balloon0"));
    json_object_object_add(args, "property", json_object_new_string("guest-stats"));
    json_object *ret = ask(mon, "qom-get", args);
    json_object_put(args);
    json_object *stats = NULL;
    /* Until the guest reported (a <stats period> set), last-update is 0
     * and every value -1: nothing to say. */
    if (ret && get_int(ret, "last-update", 0) > 0 &&
        json_object_object_get_ex(ret, "stats", &stats)) {
        for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
            long long v = get_int(stats, map[i].qemu, -1);
            if (v >= 0)
                vp_plugin_typed_params_add_ullong(
                    p, map[i].bytes ? (unsigned long long)v / 1024 : (unsigned long long)v,
                    "balloon.%s", map[i].key);
        }
        vp_plugin_typed_params_add_ullong(p, (unsigned long long)get_int(ret, "last-update", 0),
                                          "balloon.last-update");
    }
    json_object_put(ret);
}

static void
balloon_group(qemu_monitor *mon, const vp_domain_def *def, const qemu_proc_stat *ps,
              vp_typed_params *p)
{
    unsigned long long cur = def->current_memory_kib ? def->current_memory_kib : def->memory_kib;
    json_object *ret = mon ? ask(mon, "query-balloon", NULL) : NULL;
    if (ret)
        cur = (unsigned long long)get_int(ret, "actual", (long long)cur * 1024) / 1024;
    vp_plugin_typed_params_add_ullong(p, cur, "balloon.current");
    vp_plugin_typed_params_add_ullong(p, def->memory_kib, "balloon.maximum");
    if (ret)
        balloon_guest(mon, p);
    json_object_put(ret);
    if (ps) {
        long page = sysconf(_SC_PAGESIZE);
        vp_plugin_typed_params_add_ullong(p, ps->rss_pages * (unsigned long long)page / 1024,
                                          "balloon.rss");
    }
}

/* The host CPUs thread @tid of @pid may run on, as the vcpu group's
 * "affinity" map over every CPU the host has ('y' or '-'). (transfer full) */
static char *
affinity_map(pid_t tid, long ncpus)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    if (tid > 0 && sched_getaffinity(tid, sizeof(set), &set) < 0)
        return NULL;
    char *map = vp_new0(char, (size_t)ncpus + 1);
    for (long c = 0; c < ncpus; c++)
        map[c] = tid <= 0 || (c < CPU_SETSIZE && CPU_ISSET((int)c, &set)) ? 'y' : '-';
    return map;
}

static void
vcpu_group(qemu_monitor *mon, const vp_domain_def *def, pid_t pid, vp_typed_params *p)
{
    json_object *cpus = mon ? ask(mon, "query-cpus-fast", NULL) : NULL;
    size_t n =
        cpus && json_object_is_type(cpus, json_type_array) ? json_object_array_length(cpus) : 0;
    long ncpus = sysconf(_SC_NPROCESSORS_CONF);
    vp_plugin_typed_params_add_uint(p, cpus ? (unsigned int)n : def->vcpus, "vcpu.current");
    vp_plugin_typed_params_add_uint(p, def->vcpus, "vcpu.maximum");
    /* Shut off (no QEMU): each vCPU may run anywhere, as the driver pins none. */
    for (size_t i = 0; pid <= 0 && i < def->vcpus; i++) {
        _cleanup_free_ char *map = affinity_map(0, ncpus);
        vp_plugin_typed_params_add_string(p, map, "vcpu.%zu.affinity", i);
    }
    for (size_t i = 0; i < n; i++) {
        json_object *cpu = json_object_array_get_idx(cpus, i);
        long long index = get_int(cpu, "cpu-index", (long long)i);
        pid_t tid = (pid_t)get_int(cpu, "thread-id", 0);
        qemu_proc_stat ts;
        unsigned long long wait = 0;
        vp_plugin_typed_params_add_int(p, 1, "vcpu.%lld.state", index); /* VIR_VCPU_RUNNING */
        bool have_stat = tid > 0 && qemu_process_read_stat(pid, tid, &ts) == 0;
        if (have_stat)
            vp_plugin_typed_params_add_ullong(p, qemu_ticks_ns(ts.utime + ts.stime),
                                              "vcpu.%lld.time", index);
        if (tid > 0 && read_wait_ns(pid, tid, &wait) == 0)
            vp_plugin_typed_params_add_ullong(p, wait, "vcpu.%lld.wait", index);
        if (have_stat && ts.processor >= 0)
            vp_plugin_typed_params_add_int(p, ts.processor, "vcpu.%lld.cpu", index);
        _cleanup_free_ char *map = tid > 0 ? affinity_map(tid, ncpus) : NULL;
        if (map)
            vp_plugin_typed_params_add_string(p, map, "vcpu.%lld.affinity", index);
    }
    json_object_put(cpus);
}

/* The entry of query-blockstats or query-block (@inserted: its node is
 * under "inserted") for disk @dev: its format node "drive-DEV", else its
 * device or qdev id. */
static json_object *
entry_of(json_object *list, const char *dev, bool inserted)
{
    char node[80], qdev[96];
    snprintf(node, sizeof(node), "drive-%s", dev);
    snprintf(qdev, sizeof(qdev), "/machine/peripheral/%s/", dev);
    for (size_t i = 0; list && i < json_object_array_length(list); i++) {
        json_object *e = json_object_array_get_idx(list, i), *ins = e;
        if (inserted && !json_object_object_get_ex(e, "inserted", &ins))
            ins = NULL;
        const char *nn = ins ? get_str(ins, "node-name") : NULL, *d = get_str(e, "device");
        const char *q = get_str(e, "qdev");
        if ((nn && strcmp(nn, node) == 0) || (d && strcmp(d, dev) == 0) ||
            (q && (strcmp(q, dev) == 0 || strncmp(q, qdev, strlen(qdev)) == 0)))
            return e;
    }
    return NULL;
}

/* A disk's sizes: QEMU's view of a running image (query-block's
 * virtual-size and actual-size, what qemu-img info says), else the
 * image's own; the physical size is always the file's. Then its I/O
 * status (libvirt's virDomainDiskErrorCode) when QEMU reports one. */
static void
block_sizes(json_object *entry, const vp_domain_disk_def *d, size_t i, vp_typed_params *p)
{
    qemu_image_sizes z;
    json_object *ins = NULL, *image = NULL;
    if (d->source_file && qemu_chain_image_sizes(d->source_file, d->driver_type, &z) == 0) {
        if (entry && json_object_object_get_ex(entry, "inserted", &ins) &&
            json_object_object_get_ex(ins, "image", &image)) {
            z.capacity = (uint64_t)get_int(image, "virtual-size", (long long)z.capacity);
            z.allocation = (uint64_t)get_int(image, "actual-size", (long long)z.allocation);
        }
        vp_plugin_typed_params_add_ullong(p, z.allocation, "block.%zu.allocation", i);
        vp_plugin_typed_params_add_ullong(p, z.capacity, "block.%zu.capacity", i);
        vp_plugin_typed_params_add_ullong(p, z.physical, "block.%zu.physical", i);
    }
    const char *io = entry ? get_str(entry, "io-status") : NULL;
    if (io)
        vp_plugin_typed_params_add_int(p,
                                       strcmp(io, "ok") == 0        ? 0
                                       : strcmp(io, "nospace") == 0 ? 2
                                                                    : 1,
                                       "block.%zu.error", i);
}

static void
block_group(qemu_monitor *mon, const vp_domain_def *def, bool active, vp_typed_params *p)
{
    static const struct {
        const char *qemu, *key;
    } map[] = {
        {"rd_operations", "rd.reqs"},     {"rd_bytes", "rd.bytes"},
        {"rd_total_time_ns", "rd.times"}, {"wr_operations", "wr.reqs"},
        {"wr_bytes", "wr.bytes"},         {"wr_total_time_ns", "wr.times"},
        {"flush_operations", "fl.reqs"},  {"flush_total_time_ns", "fl.times"},
    };
    json_object *list = mon ? ask(mon, "query-blockstats", NULL) : NULL;
    json_object *blocks = mon ? ask(mon, "query-block", NULL) : NULL;
    vp_plugin_typed_params_add_uint(p, (unsigned int)def->n_disks, "block.count");
    for (size_t i = 0; i < def->n_disks; i++) {
        const vp_domain_disk_def *d = &def->disks[i];
        vp_plugin_typed_params_add_string(p, d->target_dev, "block.%zu.name", i);
        if (d->source_file)
            vp_plugin_typed_params_add_string(p, d->source_file, "block.%zu.path", i);
        json_object *e = active ? entry_of(list, d->target_dev, false) : NULL, *stats;
        if (e && json_object_object_get_ex(e, "stats", &stats)) {
            for (size_t k = 0; k < sizeof(map) / sizeof(map[0]); k++) {
                long long v = get_int(stats, map[k].qemu, -1);
                if (v >= 0)
                    vp_plugin_typed_params_add_ullong(p, (unsigned long long)v, "block.%zu.%s", i,
                                                      map[k].key);
            }
        }
        block_sizes(active ? entry_of(blocks, d->target_dev, true) : NULL, d, i, p);
    }
    json_object_put(list);
    json_object_put(blocks);
}

/* The counters of network device @ifname in /proc/net/dev: 1 when found. */
static int
netdev_counters(const char *ifname, unsigned long long v[16])
{
    FILE *f = fopen("/proc/net/dev", "re");
    if (!f)
        return 0;
    char line[512];
    int found = 0;
    while (!found && fgets(line, sizeof(line), f)) {
        char *colon = strchr(line, ':');
        if (!colon)
            continue;
        *colon = '\0';
        const char *name = line + strspn(line, " ");
        if (strcmp(name, ifname) != 0)
            continue;
        found = sscanf(colon + 1,
                       "%llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu "
                       "%llu %llu",
                       &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8], &v[9], &v[10],
                       &v[11], &v[12], &v[13], &v[14], &v[15]) == 16;
    }
    fclose(f);
    return found;
}

/* Interfaces: the tap's counters, swapped to the guest's view; a user
 * (slirp) interface has no host device, and QEMU keeps no counters for
 * it, so it gets its name only. */
static void
net_group(qemu_driver *drv, const char *name, vp_typed_params *p)
{
    json_object *tree = NULL;
    if (qemu_domain_load_extras(drv, name, &tree) < 0)
        tree = NULL; /* no interfaces to report; the definition was read already */
    size_t n = tree ? qemu_tree_n(tree, "interface") : 0;
    vp_plugin_typed_params_add_uint(p, (unsigned int)n, "net.count");
    for (size_t i = 0; i < n; i++) {
        json_object *nic = qemu_tree_kid(tree, "interface", i);
        const char *dev = qemu_tree_attr(qemu_tree_kid(nic, "target", 0), "dev");
        char alias[32];
        snprintf(alias, sizeof(alias), "net%zu", i);
        vp_plugin_typed_params_add_string(p, dev ? dev : alias, "net.%zu.name", i);
        unsigned long long v[16];
        if (!dev || !qemu_tap_wanted(nic) || !netdev_counters(dev, v))
            continue;
        /* /proc/net/dev: rx bytes packets errs drop ... (8), tx bytes packets errs drop. */
        const unsigned long long guest[8] = {v[8], v[9], v[10], v[11], v[0], v[1], v[2], v[3]};
        static const char *const keys[8] = {"rx.bytes", "rx.pkts", "rx.errs", "rx.drop",
                                            "tx.bytes", "tx.pkts", "tx.errs", "tx.drop"};
        for (size_t k = 0; k < 8; k++)
            vp_plugin_typed_params_add_ullong(p, guest[k], "net.%zu.%s", i, keys[k]);
    }
    json_object_put(tree);
}

/* ---- the slots --------------------------------------------------------------- */

int
qemu_slot_domain_get_stats(void *priv, const char *name, unsigned int groups, unsigned int flags,
                           vp_typed_params *p)
{
    qemu_driver *drv = priv;
    if (flags)
        return vp_plugin_error_set(VP_ERR_INVALID_ARG, "domain-get-stats: unsupported flags 0x%x",
                                   flags);
    vp_domain_def *def = NULL;
    int r = qemu_domain_load_def(drv, name, &def);
    if (r < 0)
        return r;
    /* The state and, for a running domain whose lock was free, the
     * monitor that answers every group below. */
    qemu_state_view v;
    r = qemu_domain_state_begin(drv, name, &v);
    if (r < 0) {
        vp_plugin_domain_def_free(def);
        return r;
    }
    _cleanup_(qemu_record_freep) qemu_record *peeked = NULL;
    const qemu_record *rec = v.rec;
    if (!rec && v.state != VP_DOMAIN_SHUTOFF && qemu_domain_peek_record(drv, name, &peeked) >= 0)
        rec = peeked; /* busy: the record as it is, without QMP */
    qemu_proc_stat ps;
    /* A QEMU gone since the state was read: shut off, as get_info says. */
    if (v.state != VP_DOMAIN_SHUTOFF &&
        (!rec || rec->proc.pid <= 0 || qemu_process_read_stat(rec->proc.pid, 0, &ps) < 0 ||
         !vp_plugin_process_is_alive(&rec->proc))) {
        v.state = VP_DOMAIN_SHUTOFF;
        v.reason = VP_DOMAIN_SHUTOFF_CRASHED;
    }
    if (groups & VP_DOMAIN_STATS_STATE) {
        vp_plugin_typed_params_add_int(p, v.state, "state.state");
        vp_plugin_typed_params_add_int(p, v.reason, "state.reason");
    }
    if (v.state != VP_DOMAIN_SHUTOFF) {
        if (groups & VP_DOMAIN_STATS_CPU_TOTAL) {
            vp_plugin_typed_params_add_ullong(p, qemu_ticks_ns(ps.utime + ps.stime), "cpu.time");
            vp_plugin_typed_params_add_ullong(p, qemu_ticks_ns(ps.utime), "cpu.user");
            vp_plugin_typed_params_add_ullong(p, qemu_ticks_ns(ps.stime), "cpu.system");
        }
        if (groups & VP_DOMAIN_STATS_BALLOON)
            balloon_group(v.mon, def, &ps, p);
        if (groups & VP_DOMAIN_STATS_VCPU)
            vcpu_group(v.mon, def, rec->proc.pid, p);
        if (groups & VP_DOMAIN_STATS_INTERFACE)
            net_group(drv, name, p);
        if (groups & VP_DOMAIN_STATS_BLOCK)
            block_group(v.mon, def, true, p);
    } else {
        /* What the definition and the images say (libvirt's fallback). */
        if (groups & VP_DOMAIN_STATS_VCPU)
            vcpu_group(NULL, def, 0, p);
        if (groups & VP_DOMAIN_STATS_BLOCK)
            block_group(NULL, def, false, p);
    }
    qemu_state_view_end(&v);
    vp_plugin_domain_def_free(def);
    return KNOWN_GROUPS;
}

int
qemu_slot_node_get_memory_stats(void *priv, int cell, unsigned int flags, vp_typed_params *p)
{
    return vp_plugin_host_memory_stats(cell, p);
}

int
qemu_slot_node_get_cpu_stats(void *priv, int cpu, unsigned int flags, vp_typed_params *p)
{
    return vp_plugin_host_cpu_stats(cpu, p);
}

int
qemu_slot_conn_get_sysinfo(void *priv, unsigned int flags, char **ret_xml)
{
    return vp_plugin_host_sysinfo(ret_xml);
}
