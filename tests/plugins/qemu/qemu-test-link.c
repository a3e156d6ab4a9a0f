/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-test-link.c: the link of a virtio-net NIC as its guest sees it:
 * VIRTIO_NET_S_LINK_UP (bit 0) of the status field of its config space
 * (offset 6 after the 20 bytes of the legacy header, without MSI-X, in
 * its I/O BAR 0), which QEMU clears when QMP set_link takes the link
 * down. The BAR's address comes from query-pci once the firmware has
 * placed it; the field is read with HMP i.
 */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include <virtplug/sdk/alloc.h>

#include "qemu-test-link.h"

#define STATUS_OFFSET (20 + 6)
#define STATUS_LINK_UP 0x1u

/* BAR 0 of device @id, or 0 while the firmware has not placed it. */
static uint64_t
bar0(qemu_monitor *mon, const char *id)
{
    json_object *buses = NULL, *v;
    if (qemu_monitor_command(mon, "query-pci", NULL, 10000, &buses) < 0)
        return 0;
    uint64_t addr = 0;
    json_object *devs = NULL;
    for (size_t b = 0; b < json_object_array_length(buses); b++) {
        if (!json_object_object_get_ex(json_object_array_get_idx(buses, b), "devices", &devs))
            continue;
        for (size_t i = 0; i < json_object_array_length(devs); i++) {
            json_object *d = json_object_array_get_idx(devs, i), *regions;
            if (!json_object_object_get_ex(d, "qdev_id", &v) ||
                strcmp(json_object_get_string(v), id) != 0 ||
                !json_object_object_get_ex(d, "regions", &regions))
                continue;
            for (size_t r = 0; r < json_object_array_length(regions); r++) {
                json_object *reg = json_object_array_get_idx(regions, r), *bar;
                if (json_object_object_get_ex(reg, "bar", &bar) && json_object_get_int(bar) == 0 &&
                    json_object_object_get_ex(reg, "address", &v))
                    addr = (uint64_t)json_object_get_int64(v);
            }
        }
    }
    json_object_put(buses);
    return addr > 0 && addr < 0x10000u ? addr : 0;
}

int
qt_nic_link_up(qemu_monitor *mon, const char *id)
{
    for (int tries = 0; tries < 200; tries++) {
        uint64_t addr = bar0(mon, id);
        if (!addr) {
            nanosleep(&(struct timespec){0, 100 * 1000 * 1000}, NULL);
            continue;
        }
        json_object *args = json_object_new_object(), *out = NULL;
        _cleanup_free_ char *line =
            vp_asprintf("i /w 0x%llx", (unsigned long long)(addr + STATUS_OFFSET));
        json_object_object_add(args, "command-line", json_object_new_string(line));
        int r = qemu_monitor_command(mon, "human-monitor-command", args, 10000, &out);
        json_object_put(args);
        const char *text = r >= 0 ? json_object_get_string(out) : NULL;
        const char *eq = text ? strstr(text, "= ") : NULL;
        unsigned long status = eq ? strtoul(eq + 2, NULL, 16) : 0;
        json_object_put(out);
        if (!eq)
            return -1;
        return (status & STATUS_LINK_UP) ? 1 : 0;
    }
    return -1;
}
