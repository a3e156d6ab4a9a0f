/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * host-stats.c: what this machine says about its memory, its CPU time and
 * its SMBIOS tables (vp_plugin_host_memory_stats, _cpu_stats, _sysinfo),
 * for drivers whose domains run here.
 *
 * The files and their meaning are libvirt's Linux readers' (virhostmem.c,
 * virhostcpu.c), the SMBIOS data comes from the kernel's
 * /sys/class/dmi/id instead of dmidecode, so nothing is run. Everything
 * is read below a root directory so that tests give a fake tree; nothing
 * is ever written.
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <virtplug/sdk/host.h>
#include <virtplug/sdk/stats.h>

#include "internal.h"
#include "node-info.h"

#define STATS_FILE_MAX_BYTES (4u << 20)

static int
read_at(const char *root, const char *rel, char **ret_text)
{
    _cleanup_free_ char *path = vp_asprintf("%s/%s", root, rel);
    return vp_plugin_file_read(path, STATS_FILE_MAX_BYTES, ret_text, NULL);
}

/* The number after "@key" at the start of a line of @text (after
 * @prefix, "Node 0 " in a cell's meminfo): 1, or 0 when absent. */
static int
meminfo_value(const char *text, const char *prefix, const char *key, unsigned long long *ret)
{
    size_t plen = strlen(prefix), klen = strlen(key);
    for (const char *line = text; line && *line; line = strchr(line, '\n')) {
        line += *line == '\n';
        if (strncmp(line, prefix, plen) == 0 && strncmp(line + plen, key, klen) == 0) {
            *ret = strtoull(line + plen + klen, NULL, 10);
            return 1;
        }
    }
    return 0;
}

int
vpi_host_memory_stats_at(const char *root, int cell, vp_typed_params *params)
{
    static const struct {
        const char *line, *field;
    } keys[] = {{"MemTotal:", "total"},
                {"MemFree:", "free"},
                {"Buffers:", "buffers"},
                {"Cached:", "cached"}};
    _cleanup_free_ char *rel = cell < 0
                                   ? vp_strdup("proc/meminfo")
                                   : vp_asprintf("sys/devices/system/node/node%d/meminfo", cell);
    _cleanup_free_ char *prefix = cell < 0 ? vp_strdup("") : vp_asprintf("Node %d ", cell);
    _cleanup_free_ char *text = NULL;
    int r = read_at(root, rel, &text);
    if (r < 0 && cell >= 0)
        return vp_error_set(VP_ERR_INVALID_ARG, "invalid NUMA cell %d: the host has no '%s/%s'",
                            cell, root, rel);
    if (r < 0)
        return r;
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        unsigned long long kib;
        if (meminfo_value(text, prefix, keys[i].line, &kib))
            vp_plugin_typed_params_add_ullong(params, kib, "%s", keys[i].field);
        else if (i < 2) /* a cell has no buffers and cached lines */
            return vp_error_set(VP_ERR_SYSTEM, "'%s/%s' has no %s line", root, rel, keys[i].line);
    }
    return 0;
}

int
vpi_host_cpu_stats_at(const char *root, int cpu, long ticks_per_s, vp_typed_params *params)
{
    _cleanup_free_ char *text = NULL;
    int r = read_at(root, "proc/stat", &text);
    if (r < 0)
        return r;
    char want[32];
    if (cpu < 0)
        snprintf(want, sizeof(want), "cpu ");
    else
        snprintf(want, sizeof(want), "cpu%d ", cpu);
    const char *line = text;
    while (line && strncmp(line, want, strlen(want)) != 0) {
        line = strchr(line, '\n');
        line = line ? line + 1 : NULL;
    }
    if (!line)
        return vp_error_set(VP_ERR_INVALID_ARG,
                            "invalid CPU number %d: '%s/proc/stat' has no '%s' line", cpu, root,
                            want);
    unsigned long long usr, nice, sys, idle, iowait = 0, irq = 0, softirq = 0;
    if (sscanf(line + strlen(want), "%llu %llu %llu %llu %llu %llu %llu", &usr, &nice, &sys, &idle,
               &iowait, &irq, &softirq) < 4)
        return vp_error_set(VP_ERR_SYSTEM, "cannot parse the '%s' line of '%s/proc/stat'", want,
                            root);
    unsigned long long ns =
        1000000000ull / (unsigned long long)(ticks_per_s > 0 ? ticks_per_s : 100);
    vp_plugin_typed_params_add_ullong(params, (sys + irq + softirq) * ns, "kernel");
    vp_plugin_typed_params_add_ullong(params, (usr + nice) * ns, "user");
    vp_plugin_typed_params_add_ullong(params, idle * ns, "idle");
    vp_plugin_typed_params_add_ullong(params, iowait * ns, "iowait");
    return 0;
}

/* @s with XML's special characters escaped, control characters dropped. */
static char *
xml_escape(const char *s)
{
    size_t n = 0;
    char *out = vp_new0(char, strlen(s) * 6 + 1);
    for (; *s; s++) {
        const char *rep = *s == '<'    ? "&lt;"
                          : *s == '>'  ? "&gt;"
                          : *s == '&'  ? "&amp;"
                          : *s == '\'' ? "&apos;"
                                       : NULL;
        if (rep) {
            memcpy(out + n, rep, strlen(rep));
            n += strlen(rep);
        } else if ((unsigned char)*s >= 0x20) {
            out[n++] = *s;
        }
    }
    return out;
}

typedef struct sysinfo_buf {
    const char *root;
    char *xml;     /* what is written so far */
    char *missing; /* files that exist but could not be read */
    bool section_open;
    unsigned int found;
} sysinfo_buf;

static void
append(char **buf, const char *text)
{
    char *old = *buf;
    *buf = vp_asprintf("%s%s", old ? old : "", text);
    free(old);
}

/* One <entry name='@name'> from /sys/class/dmi/id/@file, inside
 * <@section>, opened on its first entry. */
static void
entry(sysinfo_buf *b, const char *section, const char *name, const char *file)
{
    _cleanup_free_ char *rel = vp_asprintf("sys/class/dmi/id/%s", file);
    _cleanup_free_ char *path = vp_asprintf("%s/%s", b->root, rel);
    _cleanup_free_ char *text = NULL;
    if (access(path, F_OK) != 0)
        return;
    if (read_at(b->root, rel, &text) < 0) {
        VPI_ERROR_RESET();
        append(&b->missing, " ");
        append(&b->missing, file);
        return;
    }
    text[strcspn(text, "\n")] = '\0';
    if (!*text)
        return;
    if (!b->section_open) {
        _cleanup_free_ char *open = vp_asprintf("  <%s>\n", section);
        append(&b->xml, open);
        b->section_open = true;
    }
    _cleanup_free_ char *value = xml_escape(text);
    _cleanup_free_ char *line = vp_asprintf("    <entry name='%s'>%s</entry>\n", name, value);
    append(&b->xml, line);
    b->found++;
}

static void
section_end(sysinfo_buf *b, const char *section)
{
    if (!b->section_open)
        return;
    _cleanup_free_ char *close = vp_asprintf("  </%s>\n", section);
    append(&b->xml, close);
    b->section_open = false;
}

int
vpi_host_sysinfo_at(const char *root, char **ret_xml)
{
    /* libvirt's sections and entry names, each from the kernel's file. */
    static const struct {
        const char *section, *name, *file;
    } map[] = {
        {"bios", "vendor", "bios_vendor"},
        {"bios", "version", "bios_version"},
        {"bios", "date", "bios_date"},
        {"bios", "release", "bios_release"},
        {"system", "manufacturer", "sys_vendor"},
        {"system", "product", "product_name"},
        {"system", "version", "product_version"},
        {"system", "serial", "product_serial"},
        {"system", "uuid", "product_uuid"},
        {"system", "sku", "product_sku"},
        {"system", "family", "product_family"},
        {"baseBoard", "manufacturer", "board_vendor"},
        {"baseBoard", "product", "board_name"},
        {"baseBoard", "version", "board_version"},
        {"baseBoard", "serial", "board_serial"},
        {"baseBoard", "asset", "board_asset_tag"},
        {"chassis", "manufacturer", "chassis_vendor"},
        {"chassis", "version", "chassis_version"},
        {"chassis", "serial", "chassis_serial"},
        {"chassis", "asset", "chassis_asset_tag"},
    };
    sysinfo_buf b = {.root = root};
    append(&b.xml, "<sysinfo type='smbios'>\n");
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
        if (i > 0 && strcmp(map[i].section, map[i - 1].section) != 0)
            section_end(&b, map[i - 1].section);
        entry(&b, map[i].section, map[i].name, map[i].file);
    }
    section_end(&b, "chassis");
    if (!b.found) {
        free(b.xml);
        bool unreadable = b.missing != NULL;
        free(b.missing);
        return vp_error_set(
            VP_ERR_NOT_SUPPORTED,
            unreadable
                ? "cannot read the host's SMBIOS data: the files of '%s/sys/class/dmi/id' cannot be read"
                : "the host has no SMBIOS data: '%s/sys/class/dmi/id' does not exist or is empty",
            root);
    }
    if (b.missing) {
        _cleanup_free_ char *note =
            vp_asprintf("  <!-- not readable in /sys/class/dmi/id:%s -->\n", b.missing);
        append(&b.xml, note);
        free(b.missing);
    }
    append(&b.xml, "</sysinfo>\n");
    *ret_xml = b.xml;
    return 0;
}

VP_EXPORT int
vp_plugin_host_memory_stats(int cell, vp_typed_params *params)
{
    vp_return_if_fail(params, "params");
    return vpi_host_memory_stats_at("", cell, params);
}

VP_EXPORT int
vp_plugin_host_cpu_stats(int cpu, vp_typed_params *params)
{
    vp_return_if_fail(params, "params");
    return vpi_host_cpu_stats_at("", cpu, sysconf(_SC_CLK_TCK), params);
}

VP_EXPORT int
vp_plugin_host_sysinfo(char **ret_xml)
{
    vp_return_if_fail(ret_xml, "ret_xml");
    return vpi_host_sysinfo_at("", ret_xml);
}
