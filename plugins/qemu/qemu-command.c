/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-command.c: the QEMU command line of a domain definition.
 *
 * Owns the translation of a vp_domain_def into argv for
 * qemu-system-x86_64, how each path is spelled for the option that carries
 * it (the elements beyond the 1.0 subset are qemu-devices.c's), and the block node names
 * ("drive-vda" for a disk's format node, "file-vda" for its protocol node) that QMP commands such
 * as snapshots use. It never runs anything and never touches the disk.
 */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "qemu-driver.h"
#include "qemu-devices.h"

/*
 * QEMU reads a path in one of three ways, depending on the option (checked
 * by running QEMU 7.2 on such paths; docs/qemu-driver.md has the table):
 *
 * - "key=value,..." lists (QemuOpts: -chardev, -mon, -name): a value ends at
 *   a single ',', so a comma in it is written twice; '=' inside a value is
 *   literal. Every path follows an explicit "path=": with an implied first
 *   key, as in "-qmp unix:PATH,...", QEMU takes the "/a" of "/a=b" for a
 *   key name, which is why the monitor is a -chardev plus -mon.
 * - -blockdev in its JSON form: a JSON string carries any path with only
 *   '"', '\' and control characters escaped, nothing in it can be read as
 *   a key or separator, and QEMU checks each value's type. (The
 *   "driver=file,filename=..." form reads doubled commas right too; JSON
 *   leaves nothing to get wrong.)
 * - the argument itself (-pidfile, -kernel, -initrd, -append): QEMU opens
 *   the string as given, so nothing is escaped; a doubled comma would name
 *   another file.
 *
 * No character has to be refused: every byte but NUL survives these
 * spellings (JSON wants UTF-8, which every string from XML is), and every
 * path is absolute (the XML and the embed root must be), so none starts
 * with something QEMU would read as an option.
 */

typedef struct argv_buf {
    char **v;
    size_t n;
} argv_buf;

static void
argv_add(argv_buf *a, char *arg)
{
    a->v = vp_renew(char *, a->v, a->n + 2);
    a->v[a->n++] = arg;
    a->v[a->n] = NULL;
}

static void
argv_add2(argv_buf *a, const char *opt, char *value)
{
    argv_add(a, vp_strdup(opt));
    argv_add(a, value);
}

char *
qemu_opts_value(const char *s)
{
    size_t extra = 0;
    for (const char *p = s; *p; p++)
        extra += *p == ',';
    char *out = vp_new0(char, strlen(s) + extra + 1);
    char *o = out;
    for (const char *p = s; *p; p++) {
        *o++ = *p;
        if (*p == ',')
            *o++ = ',';
    }
    return out;
}

/* @s as a quoted JSON string. Bytes from 0x80 up pass unchanged: QEMU
 * wants UTF-8 there, which every string parsed from XML is. */
static char *
json_string(const char *s)
{
    char *out = vp_new0(char, strlen(s) * 6 + 3);
    char *o = out;
    *o++ = '"';
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') {
            *o++ = '\\';
            *o++ = (char)*p;
        } else if (*p < 0x20) {
            o += snprintf(o, 7, "\\u%04x", *p);
        } else {
            *o++ = (char)*p;
        }
    }
    *o++ = '"';
    return out;
}

char *
qemu_command_drive_node(const char *target_dev)
{
    return vp_asprintf("drive-%s", target_dev);
}

char *
qemu_command_file_node(const char *target_dev)
{
    return vp_asprintf("file-%s", target_dev);
}

static const char *
disk_bus(const vp_domain_disk_def *disk)
{
    if (disk->target_bus)
        return disk->target_bus;
    if (strncmp(disk->target_dev, "vd", 2) == 0)
        return "virtio";
    if (strncmp(disk->target_dev, "sd", 2) == 0)
        return "scsi";
    return "ide";
}

static int
add_disk_device(argv_buf *a, const vp_domain_disk_def *disk, const char *node, bool *scsi_added)
{
    const char *bus = disk_bus(disk);
    bool cdrom = disk->device && strcmp(disk->device, "cdrom") == 0;
    _cleanup_free_ char *drive = node ? vp_asprintf(",drive=%s", node) : vp_strdup("");
    if (strcmp(bus, "virtio") == 0 && !cdrom) {
        argv_add2(a, "-device", vp_asprintf("virtio-blk-pci%s,id=%s", drive, disk->target_dev));
    } else if (strcmp(bus, "ide") == 0 || strcmp(bus, "sata") == 0) {
        argv_add2(a, "-device",
                  vp_asprintf("%s%s,id=%s", cdrom ? "ide-cd" : "ide-hd", drive, disk->target_dev));
    } else if (strcmp(bus, "scsi") == 0) {
        if (!*scsi_added) {
            argv_add2(a, "-device", vp_strdup("virtio-scsi-pci,id=scsi0"));
            *scsi_added = true;
        }
        argv_add2(a, "-device",
                  vp_asprintf("%s,bus=scsi0.0%s,id=%s", cdrom ? "scsi-cd" : "scsi-hd", drive,
                              disk->target_dev));
    } else {
        return vp_plugin_error_set(
            VP_ERR_NOT_SUPPORTED,
            "disk '%s': bus '%s' is not supported by the qemu driver; use virtio, ide, sata or scsi",
            disk->target_dev, bus);
    }
    return 0;
}

/* One -blockdev node in JSON: @child_key is "filename" for the protocol
 * node (a path) and "file" for the format node (the protocol node's name). */
static char *
blockdev_json(const char *driver, const char *child_key, const char *child, const char *node,
              bool readonly)
{
    _cleanup_free_ char *d = json_string(driver);
    _cleanup_free_ char *c = json_string(child);
    _cleanup_free_ char *n = json_string(node);
    return vp_asprintf("{\"driver\":%s,\"%s\":%s,\"node-name\":%s%s}", d, child_key, c, n,
                       readonly ? ",\"read-only\":true" : "");
}

static int
add_disks(argv_buf *a, const vp_domain_def *def)
{
    bool scsi_added = false;
    for (size_t i = 0; i < def->n_disks; i++) {
        const vp_domain_disk_def *disk = &def->disks[i];
        _cleanup_free_ char *node = NULL;
        if (disk->source_file) {
            _cleanup_free_ char *fnode = qemu_command_file_node(disk->target_dev);
            node = qemu_command_drive_node(disk->target_dev);
            argv_add2(a, "-blockdev",
                      blockdev_json("file", "filename", disk->source_file, fnode, disk->readonly));
            argv_add2(a, "-blockdev",
                      blockdev_json(disk->driver_type ? disk->driver_type : "raw", "file", fnode,
                                    node, disk->readonly));
        }
        int r = add_disk_device(a, disk, node, &scsi_added);
        if (r < 0)
            return r;
    }
    return 0;
}

static void
add_boot(argv_buf *a, const vp_domain_def *def)
{
    if (def->os_kernel) {
        /* Taken as given, like -pidfile. A multiboot kernel would read
         * -initrd as a comma-separated module list, but <initrd> is a Linux
         * initrd, whose path QEMU opens as is. */
        argv_add2(a, "-kernel", vp_strdup(def->os_kernel));
        if (def->os_initrd)
            argv_add2(a, "-initrd", vp_strdup(def->os_initrd));
        if (def->os_cmdline)
            argv_add2(a, "-append", vp_strdup(def->os_cmdline));
        return;
    }
    if (def->n_os_boot_devs == 0)
        return;
    char order[8] = "";
    size_t n = 0;
    for (size_t i = 0; i < def->n_os_boot_devs && n < sizeof(order) - 1; i++) {
        const char *d = def->os_boot_devs[i];
        order[n++] = strcmp(d, "cdrom") == 0     ? 'd'
                     : strcmp(d, "network") == 0 ? 'n'
                     : strcmp(d, "fd") == 0      ? 'a'
                                                 : 'c';
    }
    order[n] = '\0';
    argv_add2(a, "-boot", vp_asprintf("order=%s", order));
}

static void
add_chardevs(argv_buf *a, const vp_domain_def *def, const qemu_command_paths *paths)
{
    if (paths->agent) {
        _cleanup_free_ char *p = qemu_opts_value(paths->agent);
        argv_add2(a, "-chardev", vp_asprintf("socket,id=charagent0,path=%s,server=on,wait=off", p));
        argv_add2(a, "-device", vp_strdup("virtio-serial-pci,id=virtio-serial0"));
        argv_add2(a, "-device",
                  vp_strdup("virtserialport,bus=virtio-serial0.0,chardev=charagent0,"
                            "id=channel0,name=org.qemu.guest_agent.0"));
    }
    if (def->serial_type == VP_DOMAIN_SERIAL_FILE && def->serial_path) {
        _cleanup_free_ char *p = qemu_opts_value(def->serial_path);
        argv_add2(a, "-chardev", vp_asprintf("file,id=charserial0,path=%s", p));
        argv_add2(a, "-serial", vp_strdup("chardev:charserial0"));
    } else if (def->serial_type == VP_DOMAIN_SERIAL_PTY) {
        argv_add2(a, "-chardev", vp_strdup("pty,id=charserial0"));
        argv_add2(a, "-serial", vp_strdup("chardev:charserial0"));
    }
}

/* The lifecycle actions QEMU itself can carry out; others are refused
 * rather than silently ignored. */
static int
add_lifecycle(argv_buf *a, const vp_domain_def *def)
{
    const struct {
        const char *element, *value, *supported;
    } actions[] = {
        {"on_poweroff", def->on_poweroff, "destroy"},
        {"on_reboot", def->on_reboot, "restart"},
        {"on_crash", def->on_crash, "destroy"},
    };
    for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++) {
        const char *v = actions[i].value;
        if (!v || strcmp(v, actions[i].supported) == 0)
            continue;
        if (strcmp(actions[i].element, "on_reboot") == 0 && strcmp(v, "destroy") == 0) {
            argv_add(a, vp_strdup("-no-reboot"));
            continue;
        }
        return vp_plugin_error_set(
            VP_ERR_NOT_SUPPORTED,
            "domain '%s': <%s>%s</%s> is not supported by the qemu driver; use '%s'", def->name,
            actions[i].element, v, actions[i].element, actions[i].supported);
    }
    return 0;
}

int
qemu_command_build(const char *binary, const vp_domain_def *def, const qemu_command_paths *paths,
                   char ***ret_argv)
{
    argv_buf a = {0};
    char uuid[37];
    argv_add(&a, vp_strdup(binary));
    _cleanup_free_ char *name = qemu_opts_value(def->name);
    argv_add2(&a, "-name", vp_asprintf("guest=%s", name));
    argv_add2(&a, "-uuid", vp_strdup(vp_plugin_uuid_format(def->uuid, uuid)));
    const char *machine = def->os_machine ? def->os_machine : "pc";
    _cleanup_free_ char *machine_opts = NULL;
    _cleanup_strv_free_ char **extra = NULL;
    bool graphics = false;
    int r =
        qemu_devices_args(paths->devices, machine, paths->accel, &machine_opts, &extra, &graphics);
    if (r < 0) {
        vp_strv_free(a.v);
        return r;
    }
    argv_add2(&a, "-machine", vp_asprintf("%s%s", machine, machine_opts));
    argv_add2(&a, "-accel", vp_strdup(paths->accel));
    argv_add2(&a, "-m", vp_asprintf("%lluk", (unsigned long long)def->memory_kib));
    argv_add2(&a, "-smp", vp_asprintf("%u", def->vcpus ? def->vcpus : 1));
    argv_add(&a, vp_strdup("-nodefaults"));
    argv_add(&a, vp_strdup("-no-user-config"));
    if (!graphics)
        argv_add2(&a, "-display", vp_strdup("none"));
    argv_add(&a, vp_strdup("-daemonize"));
    argv_add2(&a, "-pidfile", vp_strdup(paths->pidfile));
    _cleanup_free_ char *qmp = qemu_opts_value(paths->qmp);
    argv_add2(&a, "-chardev", vp_asprintf("socket,id=charmonitor,path=%s,server=on,wait=off", qmp));
    argv_add2(&a, "-mon", vp_strdup("chardev=charmonitor,mode=control"));
    add_boot(&a, def);
    r = add_lifecycle(&a, def);
    if (r >= 0)
        r = add_disks(&a, def);
    if (r < 0) {
        vp_strv_free(a.v);
        return r;
    }
    add_chardevs(&a, def, paths);
    for (char **e = extra; *e; e++)
        argv_add(&a, VP_STEAL_PTR(*e));
    *ret_argv = a.v;
    return 0;
}
