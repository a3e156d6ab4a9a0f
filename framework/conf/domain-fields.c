/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * domain-fields.c: each field of vp_domain_def, once.
 *
 * Owns the table of the 1.0 struct's fields: where each one is in the
 * domain model (a path of model-schema*.c), its C type and offset, its
 * default, the 1.0 check its value gets, and the fixed values the 1.0
 * subset writes (<disk type='file'>, the console's target). The core
 * frees and copies definitions by it (defs.c); the XML module parses,
 * checks and formats them by it. A new 1.0 field is one line here. It
 * must name only paths the model declares (the tests parse through all).
 */
#include <config.h>

#include "conf/domain-fields.h"

#define DF(f) .name = #f, .off = offsetof(vp_domain_def, f), .size = sizeof(((vp_domain_def *)0)->f)
#define KF(f)                                                                                      \
    .name = #f, .off = offsetof(vp_domain_disk_def, f), .size = sizeof(((vp_domain_disk_def *)0)->f)

static const char *const serial_types[] = {"none", "file", "pty", NULL};

static const field disk_driver[] = {
    {"@name", F_CONST, .value = "qemu"},
    {"@type", F_STR, KF(driver_type)},
    {.path = NULL},
};

static const field disk_fields[] = {
    {"@type", F_CONST, .value = "file"},
    {"@device", F_STR, KF(device), .value = "disk"},
    {"driver", F_GROUP, KF(driver_type), .kids = disk_driver},
    {"source/@file", F_STR, KF(source_file), .check = C_PATH, .flags = FL_REQ},
    {"target/@dev", F_STR, KF(target_dev), .check = C_DISK_DEV, .flags = FL_NEED},
    {"target/@bus", F_STR, KF(target_bus)},
    {"readonly", F_BOOL, KF(readonly)},
    {.path = NULL},
};

static const field serial_fields[] = {
    {"@type", F_ENUM, DF(serial_type), .names = serial_types, .flags = FL_REQ},
    {"source/@path", F_STR, DF(serial_path), .check = C_PATH, .flags = FL_REQ},
    {"target/@port", F_CONST, .value = "0"},
    {.path = NULL},
};

/* libvirt writes a <console> that aliases serial port 0: its type and source. */
static const field console_fields[] = {
    {"@type", F_ENUM, DF(serial_type), .names = serial_types, .flags = FL_REQ | FL_OUT},
    {"source/@path", F_STR, DF(serial_path), .check = C_PATH, .flags = FL_REQ | FL_OUT},
    {"target/@type", F_CONST, .value = "serial"},
    {"target/@port", F_CONST, .value = "0"},
    {.path = NULL},
};

/* Without a path the driver picks one in its runtime dir, as libvirt does. */
static const field agent_source[] = {
    {"@mode", F_CONST, .value = "bind"},
    {"@path", F_STR, DF(agent_socket_path), .check = C_PATH},
    {.path = NULL},
};

static const field channel_fields[] = {
    {"@type", F_CONST, .value = "unix", .flags = FL_REQ},
    {"source", F_GROUP, DF(agent_socket_path), .kids = agent_source},
    {"target/@type", F_CONST, .value = "virtio", .flags = FL_REQ},
    {"target/@name", F_CONST, .value = AGENT_CHANNEL_NAME, .flags = FL_REQ},
    {.path = NULL},
};

const field vpi_domain_fields[] = {
    {"@type", F_STR, DF(type), .flags = FL_NEED},
    {"name", F_STR, DF(name), .flags = FL_NEED},
    {"uuid", F_UUID, DF(uuid)},
    {"description", F_STR, DF(description)},
    {"memory", F_KIB, DF(memory_kib), .check = C_SIZE, .flags = FL_NEED},
    {"currentMemory", F_KIB, DF(current_memory_kib), .check = C_SIZE},
    {"vcpu", F_U32, DF(vcpus), .value = "1", .check = C_VCPUS},
    {"os/type", F_STR, DF(os_type), .flags = FL_NEED},
    {"os/type/@arch", F_STR, DF(os_arch), .check = C_ARCH},
    {"os/type/@machine", F_STR, DF(os_machine), .check = C_MACHINE},
    {"os/kernel", F_STR, DF(os_kernel), .check = C_PATH},
    {"os/initrd", F_STR, DF(os_initrd), .check = C_PATH},
    {"os/cmdline", F_STR, DF(os_cmdline)},
    {"os/boot/@dev", F_LIST, DF(os_boot_devs), .n_off = offsetof(vp_domain_def, n_os_boot_devs)},
    {"on_poweroff", F_STR, DF(on_poweroff)},
    {"on_reboot", F_STR, DF(on_reboot)},
    {"on_crash", F_STR, DF(on_crash)},
    {"devices/emulator", F_STR, DF(emulator), .check = C_PATH},
    {"devices/disk", F_ARRAY, DF(disks), .n_off = offsetof(vp_domain_def, n_disks),
     .elem_size = sizeof(vp_domain_disk_def), .kids = disk_fields},
    {"devices/serial", F_GROUP, DF(serial_type), .kids = serial_fields},
    {"devices/console", F_BOOL, DF(has_console), .kids = console_fields},
    {"devices/channel", F_BOOL, DF(has_agent_channel), .kids = channel_fields},
    {.path = NULL},
};
