/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-host-caps.c: the conn_get_capabilities slot of the QEMU driver:
 * this machine and the guests its QEMU runs, in libvirt's <capabilities>
 * layout.
 *
 * Owns where each part comes from: the host's UUID (SMBIOS product_uuid,
 * else /etc/machine-id), its CPU architecture and topology (the core's
 * nodeinfo reader), the page sizes the kernel offers
 * (/sys/kernel/mm/hugepages), whether it has an IOMMU
 * (/sys/kernel/iommu_groups), its NUMA cells with their memory and each
 * CPU's socket, die, core and siblings (/sys/devices/system/node and
 * cpu/cpuN/topology); the guest from the driver's binary: its machines
 * (-machine help, aliases with their canonical name) and the domain types
 * (qemu, and kvm where hardware KVM is present). <power_management/> is
 * left for the core to fill from the host-power driver. It only reads.
 */
#include <config.h>

#include <ctype.h>
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <virtplug/sdk/host.h>

#include "qemu-driver.h"

#define SYS_NODE "/sys/devices/system/node"
#define SYS_CPU "/sys/devices/system/cpu"

/* A growing text. */
typedef struct text {
    char *s;
} text;

static void __attribute__((format(printf, 2, 3))) add(text *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    _cleanup_free_ char *piece = vp_vasprintf(fmt, ap);
    va_end(ap);
    char *next = vp_asprintf("%s%s", t->s ? t->s : "", piece);
    free(t->s);
    t->s = next;
}

/* The first line of @path, without its newline; false when unreadable. */
static bool
read_line(const char *path, char *buf, size_t size)
{
    FILE *f = fopen(path, "re");
    if (!f)
        return false;
    bool ok = fgets(buf, (int)size, f) != NULL;
    fclose(f);
    if (ok)
        buf[strcspn(buf, "\n")] = '\0';
    return ok;
}

static void
host_uuid(text *t)
{
    char buf[128], id[33];
    if (read_line("/sys/class/dmi/id/product_uuid", buf, sizeof(buf)) && strlen(buf) == 36) {
        for (char *c = buf; *c; c++)
            *c = (char)tolower((unsigned char)*c);
        add(t, "    <uuid>%s</uuid>\n", buf);
    } else if (read_line("/etc/machine-id", buf, sizeof(buf)) && strlen(buf) == 32 &&
               strspn(buf, "0123456789abcdef") == 32) {
        memcpy(id, buf, 33);
        add(t, "    <uuid>%.8s-%.4s-%.4s-%.4s-%.12s</uuid>\n", id, id + 8, id + 12, id + 16,
            id + 20);
    }
}

static int
cmp_ulong(const void *a, const void *b)
{
    unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;
    return x < y ? -1 : x > y;
}

/* The numbers N of the entries of @dir named @prefix N @suffix, sorted. */
static size_t
numbered(const char *dir, const char *prefix, const char *suffix, unsigned long **ret)
{
    DIR *d = opendir(dir);
    size_t n = 0;
    *ret = NULL;
    if (!d)
        return 0;
    struct dirent *e;
    size_t plen = strlen(prefix);
    while ((e = readdir(d))) {
        char *end;
        if (strncmp(e->d_name, prefix, plen) != 0 || !isdigit((unsigned char)e->d_name[plen]))
            continue;
        unsigned long v = strtoul(e->d_name + plen, &end, 10);
        if (strcmp(end, suffix) != 0)
            continue;
        *ret = vp_renew(unsigned long, *ret, n + 1);
        (*ret)[n++] = v;
    }
    closedir(d);
    qsort(*ret, n, sizeof(**ret), cmp_ulong);
    return n;
}

static void
host_cpu(text *t, const vp_node_info *ni)
{
    add(t, "    <cpu>\n      <arch>%s</arch>\n", ni->model);
    /* Per NUMA cell, as nodeinfo counts them. */
    add(t, "      <topology sockets='%u' dies='1' cores='%u' threads='%u'/>\n", ni->sockets,
        ni->cores, ni->threads);
    add(t, "      <pages unit='KiB' size='%ld'/>\n", sysconf(_SC_PAGESIZE) / 1024);
    _cleanup_free_ unsigned long *sizes = NULL;
    size_t n = numbered("/sys/kernel/mm/hugepages", "hugepages-", "kB", &sizes);
    for (size_t i = 0; i < n; i++)
        add(t, "      <pages unit='KiB' size='%lu'/>\n", sizes[i]);
    add(t, "    </cpu>\n");
}

/* Expand a cpulist ("0-3,6") into its numbers. */
static size_t
cpulist(const char *list, unsigned long **ret)
{
    size_t n = 0;
    *ret = NULL;
    const char *p = list;
    while (*p) {
        char *end;
        unsigned long lo = strtoul(p, &end, 10), hi = lo;
        if (end == p)
            break;
        if (*end == '-')
            hi = strtoul(end + 1, &end, 10);
        for (unsigned long c = lo; c <= hi && hi - lo < 65536; c++) {
            *ret = vp_renew(unsigned long, *ret, n + 1);
            (*ret)[n++] = c;
        }
        p = *end == ',' ? end + 1 : end + strlen(end);
    }
    return n;
}

static void
cell_cpu(text *t, unsigned long cpu)
{
    char path[128], socket[32] = "0", die[32] = "0", core[32] = "0", siblings[256];
    snprintf(path, sizeof(path), SYS_CPU "/cpu%lu/topology/physical_package_id", cpu);
    read_line(path, socket, sizeof(socket));
    snprintf(path, sizeof(path), SYS_CPU "/cpu%lu/topology/die_id", cpu);
    read_line(path, die, sizeof(die));
    snprintf(path, sizeof(path), SYS_CPU "/cpu%lu/topology/core_id", cpu);
    read_line(path, core, sizeof(core));
    snprintf(path, sizeof(path), SYS_CPU "/cpu%lu/topology/thread_siblings_list", cpu);
    if (!read_line(path, siblings, sizeof(siblings)))
        snprintf(siblings, sizeof(siblings), "%lu", cpu);
    add(t, "            <cpu id='%lu' socket_id='%s' die_id='%s' core_id='%s' siblings='%s'/>\n",
        cpu, socket, die, core, siblings);
}

/* One cell: its memory (MemTotal of its meminfo, else @total_kib) and CPUs. */
static void
cell(text *t, unsigned long id, const char *cpus, unsigned long long mem_kib)
{
    _cleanup_free_ unsigned long *list = NULL;
    size_t n = cpulist(cpus, &list);
    add(t, "        <cell id='%lu'>\n          <memory unit='KiB'>%llu</memory>\n", id, mem_kib);
    add(t, "          <cpus num='%zu'>\n", n);
    for (size_t i = 0; i < n; i++)
        cell_cpu(t, list[i]);
    add(t, "          </cpus>\n        </cell>\n");
}

static unsigned long long
node_mem_kib(unsigned long node)
{
    char path[96], line[256];
    unsigned long long kib = 0;
    snprintf(path, sizeof(path), SYS_NODE "/node%lu/meminfo", node);
    FILE *f = fopen(path, "re");
    while (f && fgets(line, sizeof(line), f))
        if (sscanf(line, "Node %*u MemTotal: %llu kB", &kib) == 1)
            break;
    if (f)
        fclose(f);
    return kib;
}

static void
host_topology(text *t, const vp_node_info *ni)
{
    _cleanup_free_ unsigned long *nodes = NULL;
    size_t n = numbered(SYS_NODE, "node", "", &nodes);
    add(t, "    <topology>\n      <cells num='%zu'>\n", n ? n : 1);
    char path[96], cpus[4096];
    for (size_t i = 0; i < n; i++) {
        snprintf(path, sizeof(path), SYS_NODE "/node%lu/cpulist", nodes[i]);
        if (!read_line(path, cpus, sizeof(cpus)))
            cpus[0] = '\0';
        cell(t, nodes[i], cpus, node_mem_kib(nodes[i]));
    }
    /* A kernel without NUMA: the whole host is cell 0. */
    if (!n && read_line(SYS_CPU "/online", cpus, sizeof(cpus)))
        cell(t, 0, cpus, (unsigned long long)ni->memory_kib);
    add(t, "      </cells>\n    </topology>\n");
}

static bool
has_entries(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    bool found = false;
    while (d && !found && (e = readdir(d)))
        found = e->d_name[0] != '.';
    if (d)
        closedir(d);
    return found;
}

/* Every machine of @binary's "-machine help" ("NAME  Title (alias of
 * CANONICAL)"), libvirt's <machine> lines; none when it cannot run. */
static void
guest_machines(text *t, const char *binary)
{
    const char *const argv[] = {binary, "-machine", "help", NULL};
    int status = -1;
    _cleanup_free_ char *out = NULL;
    if (vp_plugin_command_run(argv, 10000, &status, &out, NULL) < 0 || status != 0) {
        VP_PLUGIN_DEBUG(QEMU_AREA, "capabilities: '%s -machine help' failed", binary);
        return;
    }
    for (char *line = out, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        char name[128];
        if (strncmp(line, "Supported machines", 18) == 0 || sscanf(line, "%127s", name) != 1 ||
            strcmp(name, "none") == 0)
            continue;
        const char *alias = strstr(line, "(alias of ");
        if (alias) {
            char canonical[128];
            if (sscanf(alias, "(alias of %127[^)])", canonical) == 1)
                add(t, "      <machine canonical='%s'>%s</machine>\n", canonical, name);
        } else {
            add(t, "      <machine>%s</machine>\n", name);
        }
    }
}

int
qemu_conn_get_capabilities(void *priv, unsigned int flags, char **ret_xml)
{
    const qemu_driver *drv = priv;
    if (flags)
        return vp_plugin_error_set(VP_ERR_INVALID_ARG, "unsupported capabilities flags 0x%x",
                                   flags);
    vp_node_info ni = {.size = sizeof(ni)};
    int r = vp_plugin_host_node_info(&ni);
    if (r < 0)
        return r;
    text t = {NULL};
    add(&t, "<capabilities>\n\n  <host>\n");
    host_uuid(&t);
    host_cpu(&t, &ni);
    add(&t, "    <power_management/>\n");
    add(&t, "    <iommu support='%s'/>\n", has_entries("/sys/kernel/iommu_groups") ? "yes" : "no");
    host_topology(&t, &ni);
    add(&t, "  </host>\n\n  <guest>\n    <os_type>hvm</os_type>\n");
    add(&t, "    <arch name='x86_64'>\n      <wordsize>64</wordsize>\n");
    add(&t, "      <emulator>%s</emulator>\n", drv->binary);
    guest_machines(&t, drv->binary);
    add(&t, "      <domain type='qemu'/>\n");
    if (qemu_process_kvm_present())
        add(&t, "      <domain type='kvm'/>\n");
    add(&t, "    </arch>\n  </guest>\n\n</capabilities>\n");
    *ret_xml = t.s;
    return 0;
}
