/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * node-info.c: what a connection says about its host (vp_node_get_info,
 * vp_conn_get_hostname) and what this machine says about itself
 * (vp_plugin_host_*, for drivers whose domains run here).
 *
 * The host's data comes from its driver's slot, because only the driver
 * knows which host it manages (the test driver simulates one, a remote
 * driver would ask the far end); the reading of the local machine is here,
 * once, so that local drivers share it. It reads /proc and /sys below a
 * root directory (tests give a fake tree) and never writes anything.
 */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <virtplug/sdk/host.h>

#include "internal.h"
#include "node-info.h"

#define HOST_FILE_MAX_BYTES (4u << 20)

/* ---- public entry points ------------------------------------------------ */

void
vpi_copy_sized(void *ret, uint32_t ret_size, const void *full, size_t full_size)
{
    size_t n = ret_size < full_size ? ret_size : full_size;
    memcpy((char *)ret + sizeof(uint32_t), (const char *)full + sizeof(uint32_t),
           n - sizeof(uint32_t));
}

VP_EXPORT int
vp_node_get_info(vp_conn *conn, vp_node_info *ret_info)
{
    VPI_ERROR_RESET();
    VPI_RETURN_IF_NO_CONN(conn);
    vp_return_if_fail(ret_info, "ret_info");
    vp_return_if_fail(ret_info->size >= 8, "ret_info->size (set it to sizeof(vp_node_info))");
    VPI_HV_SLOT(conn, node_get_info, "node-get-info");
    vp_node_info info = {.size = sizeof(info)};
    int r = vpi_slot_result(conn->hv_plugin, "node-get-info",
                            conn->hv->node_get_info(conn->hv_priv, &info));
    if (r < 0)
        return r;
    info.model[sizeof(info.model) - 1] = '\0';
    vpi_copy_sized(ret_info, ret_info->size, &info, sizeof(info));
    return vpi_result(0);
}

VP_EXPORT int
vp_conn_get_hostname(vp_conn *conn, char **ret_hostname)
{
    VPI_ERROR_RESET();
    VPI_RETURN_IF_NO_CONN(conn);
    vp_return_if_fail(ret_hostname, "ret_hostname");
    VPI_HV_SLOT(conn, conn_get_hostname, "connect-get-hostname");
    return vpi_result(vpi_slot_result(conn->hv_plugin, "connect-get-hostname",
                                      conn->hv->conn_get_hostname(conn->hv_priv, ret_hostname)));
}

/* ---- this machine ------------------------------------------------------- */

/* ROOT/@rel into *@ret_text; VP_ERR_SYSTEM naming it. */
static int
read_at(const char *root, const char *rel, char **ret_text)
{
    _cleanup_free_ char *path = vp_asprintf("%s/%s", root, rel);
    return vp_plugin_file_read(path, HOST_FILE_MAX_BYTES, ret_text, NULL);
}

/* The number in ROOT/@rel, or -1. */
static long
read_number(const char *root, const char *rel)
{
    _cleanup_free_ char *text = NULL;
    if (read_at(root, rel, &text) < 0) {
        VPI_ERROR_RESET();
        return -1;
    }
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    return errno || end == text || v < 0 ? -1 : v;
}

/* Call @fn for each CPU of a kernel CPU list ("0-3,8,10-11"). Returns the
 * count, or -1 for a malformed list. */
static int
cpu_list_each(const char *list, void (*fn)(long cpu, void *data), void *data)
{
    int n = 0;
    const char *p = list;
    while (*p && *p != '\n') {
        char *end;
        long lo = strtol(p, &end, 10), hi = lo;
        if (end == p || lo < 0)
            return -1;
        p = end;
        if (*p == '-') {
            hi = strtol(p + 1, &end, 10);
            if (end == p + 1 || hi < lo)
                return -1;
            p = end;
        }
        for (long c = lo; c <= hi; c++, n++)
            if (fn)
                fn(c, data);
        if (*p == ',')
            p++;
        else if (*p && *p != '\n')
            return -1;
    }
    return n;
}

typedef struct core_id {
    long package, core;
} core_id;

typedef struct topology {
    const char *root;
    core_id *cores; /* distinct (package, core) pairs */
    size_t n_cores;
    long *packages;
    size_t n_packages;
} topology;

static void
topology_add(long cpu, void *data)
{
    topology *t = data;
    char rel[128];
    snprintf(rel, sizeof(rel), "sys/devices/system/cpu/cpu%ld/topology/physical_package_id", cpu);
    long pkg = read_number(t->root, rel);
    snprintf(rel, sizeof(rel), "sys/devices/system/cpu/cpu%ld/topology/core_id", cpu);
    long core = read_number(t->root, rel);
    if (core < 0)
        core = cpu; /* no topology: each CPU is its own core */
    if (pkg < 0)
        pkg = 0;
    bool seen = false;
    for (size_t i = 0; i < t->n_packages && !seen; i++)
        seen = t->packages[i] == pkg;
    if (!seen) {
        t->packages = vp_renew(long, t->packages, t->n_packages + 1);
        t->packages[t->n_packages++] = pkg;
    }
    for (size_t i = 0; i < t->n_cores; i++)
        if (t->cores[i].package == pkg && t->cores[i].core == core)
            return;
    t->cores = vp_renew(core_id, t->cores, t->n_cores + 1);
    t->cores[t->n_cores++] = (core_id){pkg, core};
}

static unsigned int
count_numa_nodes(const char *root)
{
    _cleanup_free_ char *dir = vp_asprintf("%s/sys/devices/system/node", root);
    DIR *d = opendir(dir);
    unsigned int n = 0;
    for (struct dirent *de; d && (de = readdir(d));) {
        if (strncmp(de->d_name, "node", 4) == 0 && de->d_name[4] >= '0' && de->d_name[4] <= '9')
            n++;
    }
    if (d)
        closedir(d);
    return n ? n : 1;
}

/* The integer part of the first "cpu MHz" of /proc/cpuinfo, else
 * cpufreq's maximum of cpu0, else 0. */
static unsigned int
cpu_mhz(const char *root)
{
    _cleanup_free_ char *text = NULL;
    if (read_at(root, "proc/cpuinfo", &text) == 0) {
        for (const char *line = text; line && *line; line = strchr(line, '\n')) {
            line += *line == '\n';
            if (strncmp(line, "cpu MHz", 7) == 0) {
                const char *colon = strchr(line, ':');
                if (colon)
                    return (unsigned int)strtoul(colon + 1, NULL, 10);
            }
        }
    }
    VPI_ERROR_RESET();
    long khz = read_number(root, "sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq");
    return khz > 0 ? (unsigned int)(khz / 1000) : 0;
}

static int
mem_total_kib(const char *root, uint64_t *ret_kib)
{
    _cleanup_free_ char *text = NULL;
    int r = read_at(root, "proc/meminfo", &text);
    if (r < 0)
        return r;
    const char *p = strstr(text, "MemTotal:");
    if (!p)
        return vp_error_set(VP_ERR_SYSTEM, "'%s/proc/meminfo' has no MemTotal line", root);
    *ret_kib = strtoull(p + strlen("MemTotal:"), NULL, 10);
    return 0;
}

int
vpi_host_node_info_at(const char *root, const char *machine, vp_node_info *ret_info)
{
    _cleanup_free_ char *online = NULL;
    int r = read_at(root, "sys/devices/system/cpu/online", &online);
    if (r < 0)
        return r;
    topology t = {.root = root};
    int cpus = cpu_list_each(online, topology_add, &t);
    size_t n_packages = t.n_packages, n_cores = t.n_cores;
    free(t.packages);
    free(t.cores);
    if (cpus <= 0)
        return vp_error_set(VP_ERR_SYSTEM, "cannot read the CPU list '%s' of '%s/%s'", online, root,
                            "sys/devices/system/cpu/online");
    vp_node_info info = {.size = sizeof(info), .cpus = (uint32_t)cpus};
    r = mem_total_kib(root, &info.memory_kib);
    if (r < 0)
        return r;
    info.mhz = cpu_mhz(root);
    info.nodes = count_numa_nodes(root);
    /* libvirt's rule: sockets per node, and a flat answer when the
     * topology does not divide evenly. */
    size_t per_core = n_cores ? (size_t)cpus / n_cores : 0;
    if (n_packages % info.nodes == 0 && n_cores % n_packages == 0 && per_core &&
        (size_t)cpus % n_cores == 0) {
        info.sockets = (uint32_t)(n_packages / info.nodes);
        info.cores = (uint32_t)(n_cores / n_packages);
        info.threads = (uint32_t)per_core;
    } else {
        info.nodes = 1;
        info.sockets = 1;
        info.cores = (uint32_t)cpus;
        info.threads = 1;
    }
    snprintf(info.model, sizeof(info.model), "%s", machine);
    vpi_copy_sized(ret_info, ret_info->size, &info, sizeof(info));
    return 0;
}

VP_EXPORT int
vp_plugin_host_node_info(vp_node_info *ret_info)
{
    vp_return_if_fail(ret_info, "ret_info");
    vp_return_if_fail(ret_info->size >= 8, "ret_info->size");
    struct utsname u;
    if (uname(&u) < 0)
        return vp_error_set_errno(VP_ERR_SYSTEM, errno, "uname failed");
    return vpi_host_node_info_at("", u.machine, ret_info);
}

VP_EXPORT int
vp_plugin_host_name(char **ret_name)
{
    vp_return_if_fail(ret_name, "ret_name");
    char name[256];
    if (gethostname(name, sizeof(name)) < 0)
        return vp_error_set_errno(VP_ERR_SYSTEM, errno, "cannot read the host name");
    name[sizeof(name) - 1] = '\0';
    *ret_name = vp_strdup(name);
    return 0;
}
