/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-command.c: the QEMU command line of a domain definition.
 *
 * Owns the translation of a vp_domain_def into argv for
 * qemu-system-x86_64, how each path is spelled for the option that carries
 * it (the elements beyond the 1.0 subset are qemu-devices.c's; the disks
 * take what NAME.xml lacks from its extras tree), and the block node names
 * ("drive-vda" for a disk's format node, "file-vda" for its protocol node) that QMP commands such
 * as snapshots use. It never runs anything and never touches the disk.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
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

const char *
qemu_command_protocol(const char *device, bool block)
{
    if (!block)
        return "file";
    return device && strcmp(device, "cdrom") == 0 ? "host_cdrom" : "host_device";
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

/* ---- disks ---------------------------------------------------------------
 *
 * NAME.xml has each disk in its 1.0 form (a snapshot points it at an
 * overlay); the extras tree has the whole <disk>, found by target dev, for
 * what the 1.0 subset lacks: type='block', <driver cache io discard
 * detect_zeroes>, <address>, <boot order>, <shareable>; and the floppies,
 * which only the tree has.
 */

typedef struct disk_ctx {
    qemu_devices_ctx *dev;
    json_object *tree;
    bool q35;
} disk_ctx;

/* libvirt's cache modes as QEMU's cache.direct, cache.no-flush and the
 * device's write-cache. */
static const struct {
    const char *mode;
    bool direct, no_flush, write_cache;
} cache_modes[] = {
    {"writeback", false, false, true},     {"none", true, false, true},
    {"writethrough", false, false, false}, {"directsync", true, false, false},
    {"unsafe", false, true, true},
};

static json_object *
tree_disk(json_object *tree, const char *dev)
{
    json_object *d;
    for (size_t i = 0; (d = qemu_tree_kid(tree, "disk", i)); i++) {
        const char *t = qemu_tree_attr(qemu_tree_kid(d, "target", 0), "dev");
        if (t && strcmp(t, dev) == 0)
            return d;
    }
    return NULL;
}

static bool
eq(const char *v, const char *want)
{
    return v && strcmp(v, want) == 0;
}

/* The JSON members (",\"k\":v...") of the protocol and format nodes for
 * <driver>, and the device's options. */
static int
driver_opts(const char *dev, json_object *driver, bool shareable, char **ret_file,
            char **ret_format, char **ret_device)
{
    const char *cache = qemu_tree_attr(driver, "cache"), *io = qemu_tree_attr(driver, "io");
    const char *discard = qemu_tree_attr(driver, "discard");
    const char *zeroes = qemu_tree_attr(driver, "detect_zeroes");
    _cleanup_free_ char *c = vp_strdup(""), *wc = vp_strdup("");
    bool direct = false;
    for (size_t i = 0; cache && i < sizeof(cache_modes) / sizeof(cache_modes[0]); i++) {
        if (strcmp(cache, cache_modes[i].mode) != 0)
            continue;
        direct = cache_modes[i].direct;
        free(c);
        free(wc);
        c = vp_asprintf(",\"cache\":{\"direct\":%s,\"no-flush\":%s}", direct ? "true" : "false",
                        cache_modes[i].no_flush ? "true" : "false");
        wc = vp_asprintf(",write-cache=%s", cache_modes[i].write_cache ? "on" : "off");
    }
    if (eq(io, "native") && !direct)
        return vp_plugin_error_set(
            VP_ERR_NOT_SUPPORTED,
            "disk '%s': <driver io='native'> needs cache='none' or cache='directsync' (QEMU opens the file with O_DIRECT for it)",
            dev);
    if (shareable && cache && !direct)
        return vp_plugin_error_set(
            VP_ERR_NOT_SUPPORTED,
            "disk '%s': a <shareable/> disk needs cache='none' or cache='directsync': another guest writes to it",
            dev);
    /* detect_zeroes='unmap' without discard='unmap' is 'on', as in libvirt. */
    if (eq(zeroes, "unmap") && !eq(discard, "unmap"))
        zeroes = "on";
    _cleanup_free_ char *d = discard ? vp_asprintf(",\"discard\":\"%s\"", discard) : vp_strdup("");
    *ret_file =
        vp_asprintf("%s%s%s%s%s", c, d, io ? ",\"aio\":\"" : "", io ? io : "", io ? "\"" : "");
    *ret_format = vp_asprintf("%s%s%s%s%s", c, d, zeroes ? ",\"detect-zeroes\":\"" : "",
                              zeroes ? zeroes : "", zeroes ? "\"" : "");
    /* <driver error_policy rerror_policy>: what QEMU does when a write or
     * a read fails (stop pauses the guest: an I/O error event and
     * "suspended I/O error"); reads follow writes unless said otherwise, as
     * in libvirt, except for enospace, which only writes know. */
    const char *werror = qemu_tree_attr(driver, "error_policy");
    const char *rerror = qemu_tree_attr(driver, "rerror_policy");
    if (!rerror && werror && !eq(werror, "enospace"))
        rerror = werror;
    _cleanup_free_ char *err =
        vp_asprintf("%s%s%s%s", werror ? ",werror=" : "",
                    werror ? (eq(werror, "enospace") ? "enospc" : werror) : "",
                    rerror ? ",rerror=" : "", rerror ? rerror : "");
    *ret_device = vp_asprintf("%s%s%s", wc, shareable ? ",share-rw=on" : "", err);
    return 0;
}

int
qemu_command_format_options(json_object *tree, const char *dev, json_object **ret_options)
{
    json_object *d = tree_disk(tree, dev);
    _cleanup_free_ char *file_opts = NULL, *format_opts = NULL, *dev_opts = NULL;
    int r =
        driver_opts(dev, qemu_tree_kid(d, "driver", 0), qemu_tree_kid(d, "shareable", 0) != NULL,
                    &file_opts, &format_opts, &dev_opts);
    if (r < 0)
        return r;
    _cleanup_free_ char *text = vp_asprintf("{%s}", format_opts + (*format_opts == ',' ? 1 : 0));
    *ret_options = json_tokener_parse(text);
    if (!*ret_options)
        return vp_plugin_error_set(VP_ERR_INTERNAL, "disk '%s': cannot read back its options '%s'",
                                   dev, text);
    return 0;
}

static long
drive_number(json_object *addr, const char *name)
{
    const char *v = qemu_tree_attr(addr, name);
    return v ? strtol(v, NULL, 10) : 0;
}

/* Where the device goes: its PCI slot (virtio) or its <address
 * type='drive'> on the ide, sata or scsi bus, as libvirt spells them. */
static int
disk_placement(disk_ctx *ctx, const char *dev, const char *bus, json_object *d, char **ret)
{
    json_object *addr = qemu_tree_kid(d, "address", 0);
    const char *type = qemu_tree_attr(addr, "type");
    bool virtio = strcmp(bus, "virtio") == 0;
    if (type && strcmp(type, virtio ? "pci" : "drive") != 0)
        return vp_plugin_error_set(
            VP_ERR_NOT_SUPPORTED,
            "disk '%s': <address type='%s'> does not fit bus '%s'; virtio disks take type='pci', ide, sata and scsi disks type='drive'",
            dev, type, bus);
    long ctl = drive_number(addr, "controller"), b = drive_number(addr, "bus");
    long t = drive_number(addr, "target"), u = drive_number(addr, "unit");
    if (virtio)
        *ret = qemu_pci_opts(ctx->dev->pci, d);
    else if (!type)
        *ret = vp_strdup(strcmp(bus, "scsi") == 0 ? ",bus=scsi0.0" : "");
    else if (strcmp(bus, "scsi") == 0 && ctl != 0 &&
             !qemu_tree_has_controller(ctx->tree, "scsi", ctl))
        return vp_plugin_error_set(
            VP_ERR_NOT_SUPPORTED,
            "disk '%s': <address type='drive' controller='%ld'> needs <controller type='scsi' index='%ld' model='virtio-scsi'/>",
            dev, ctl, ctl);
    else if (strcmp(bus, "scsi") == 0)
        *ret = vp_asprintf(",bus=scsi%ld.0,channel=%ld,scsi-id=%ld,lun=%ld", ctl, b, t, u);
    else if (strcmp(bus, "sata") == 0 && ctl == 0 && b == 0 && t == 0 && u >= 0 && u < 6)
        *ret = vp_asprintf(",bus=ide.%ld", u);
    else if (strcmp(bus, "ide") == 0 && ctl == 0 && b >= 0 && b < 2 && t == 0 && u >= 0 && u < 2)
        *ret = vp_asprintf(",bus=ide.%ld,unit=%ld", b, u);
    else
        return vp_plugin_error_set(
            VP_ERR_NOT_SUPPORTED,
            "disk '%s': <address type='drive' controller='%ld' bus='%ld' target='%ld' unit='%ld'> does not exist on bus '%s'; ide has buses 0-1 and units 0-1, sata (q35) units 0-5 on bus 0",
            dev, ctl, b, t, u, bus);
    return 0;
}

static char *
boot_opt(json_object *d)
{
    const char *order = qemu_tree_attr(qemu_tree_kid(d, "boot", 0), "order");
    return order ? vp_asprintf(",bootindex=%s", order) : vp_strdup("");
}

static int
add_disk_device(argv_buf *a, disk_ctx *ctx, const vp_domain_disk_def *disk, json_object *d,
                const char *node, const char *opts)
{
    const char *bus = disk_bus(disk);
    bool cdrom = disk->device && strcmp(disk->device, "cdrom") == 0;
    if (strcmp(bus, "sata") == 0 && !ctx->q35)
        return vp_plugin_error_set(
            VP_ERR_NOT_SUPPORTED,
            "disk '%s': bus 'sata' needs machine q35 (its own sata controller); pc has ide",
            disk->target_dev);
    if (strcmp(bus, "ide") == 0 && ctx->q35)
        return vp_plugin_error_set(
            VP_ERR_NOT_SUPPORTED,
            "disk '%s': bus 'ide' needs machine pc; q35 has a sata controller: use bus 'sata'",
            disk->target_dev);
    if (strcmp(bus, "virtio") != 0 && strcmp(bus, "ide") != 0 && strcmp(bus, "sata") != 0 &&
        strcmp(bus, "scsi") != 0)
        return vp_plugin_error_set(
            VP_ERR_NOT_SUPPORTED,
            "disk '%s': bus '%s' is not supported by the qemu driver; use virtio, ide, sata or scsi",
            disk->target_dev, bus);
    if (strcmp(bus, "virtio") == 0 && cdrom)
        return vp_plugin_error_set(
            VP_ERR_NOT_SUPPORTED,
            "disk '%s': a cdrom cannot be on bus 'virtio'; use sata (q35), ide (pc) or scsi",
            disk->target_dev);
    _cleanup_free_ char *place = NULL;
    int r = disk_placement(ctx, disk->target_dev, bus, d, &place);
    if (r < 0)
        return r;
    if (strcmp(bus, "scsi") == 0 && !ctx->dev->scsi0) {
        _cleanup_free_ char *addr = qemu_pci_opts(ctx->dev->pci, NULL);
        argv_add2(a, "-device", vp_asprintf("virtio-scsi-pci,id=scsi0%s", addr));
        ctx->dev->scsi0 = true;
    }
    const char *model = strcmp(bus, "virtio") == 0 ? "virtio-blk-pci"
                        : strcmp(bus, "scsi") == 0 ? (cdrom ? "scsi-cd" : "scsi-hd")
                        : cdrom                    ? "ide-cd"
                                                   : "ide-hd";
    _cleanup_free_ char *drive = node ? vp_asprintf(",drive=%s", node) : vp_strdup("");
    _cleanup_free_ char *boot = boot_opt(d);
    argv_add2(a, "-device",
              vp_asprintf("%s%s%s,id=%s%s%s", model, place, drive, disk->target_dev, boot, opts));
    return 0;
}

/* One -blockdev node in JSON: @child_key is "filename" for the protocol
 * node (a path) and "file" for the format node (the protocol node's name);
 * @extra: more members (",\"k\":v"). */
static char *
blockdev_json(const char *driver, const char *child_key, const char *child, const char *node,
              bool readonly, const char *extra)
{
    _cleanup_free_ char *d = json_string(driver);
    _cleanup_free_ char *c = json_string(child);
    _cleanup_free_ char *n = json_string(node);
    return vp_asprintf("{\"driver\":%s,\"%s\":%s,\"node-name\":%s%s%s}", d, child_key, c, n,
                       readonly ? ",\"read-only\":true" : "", extra);
}

/* The protocol driver: a block device or cdrom drive for type='block' as
 * long as the disk still is that device (a snapshot's overlay is a file). */
static const char *
disk_protocol(const vp_domain_disk_def *disk, json_object *d)
{
    const char *src = qemu_tree_attr(qemu_tree_kid(d, "source", 0), "dev");
    bool block = eq(qemu_tree_attr(d, "type"), "block") && src && disk->source_file &&
                 strcmp(src, disk->source_file) == 0;
    return qemu_command_protocol(disk->device, block);
}

static int
add_disk(argv_buf *a, disk_ctx *ctx, const vp_domain_disk_def *disk)
{
    json_object *d = tree_disk(ctx->tree, disk->target_dev);
    bool shareable = qemu_tree_kid(d, "shareable", 0) != NULL;
    if (shareable && disk->driver_type && strcmp(disk->driver_type, "raw") != 0)
        return vp_plugin_error_set(
            VP_ERR_NOT_SUPPORTED,
            "disk '%s': a <shareable/> disk must be raw: two guests writing one %s image corrupt it",
            disk->target_dev, disk->driver_type);
    _cleanup_free_ char *file_opts = NULL, *format_opts = NULL, *dev_opts = NULL;
    int r = driver_opts(disk->target_dev, qemu_tree_kid(d, "driver", 0), shareable, &file_opts,
                        &format_opts, &dev_opts);
    if (r < 0)
        return r;
    _cleanup_free_ char *node = NULL;
    if (disk->source_file) {
        _cleanup_free_ char *fnode = qemu_command_file_node(disk->target_dev);
        node = qemu_command_drive_node(disk->target_dev);
        argv_add2(a, "-blockdev",
                  blockdev_json(disk_protocol(disk, d), "filename", disk->source_file, fnode,
                                disk->readonly, file_opts));
        argv_add2(a, "-blockdev",
                  blockdev_json(disk->driver_type ? disk->driver_type : "raw", "file", fnode, node,
                                disk->readonly, format_opts));
    }
    return add_disk_device(a, ctx, disk, d, node, dev_opts);
}

/* A floppy (only in the tree: the 1.0 subset has none) on pc's own
 * floppy controller; its medium a file, or a block device (type='block'). */
static int
add_floppy(argv_buf *a, disk_ctx *ctx, json_object *d)
{
    const char *dev = qemu_tree_attr(qemu_tree_kid(d, "target", 0), "dev");
    bool block = eq(qemu_tree_attr(d, "type"), "block");
    const char *src = qemu_tree_attr(qemu_tree_kid(d, "source", 0), block ? "dev" : "file");
    const char *fmt = qemu_tree_attr(qemu_tree_kid(d, "driver", 0), "type");
    if (ctx->q35)
        return vp_plugin_error_set(
            VP_ERR_NOT_SUPPORTED,
            "floppy '%s': machine q35 has no floppy controller; use machine pc, or a cdrom", dev);
    if (!dev || strlen(dev) != 3 || strncmp(dev, "fd", 2) != 0 || dev[2] < 'a' || dev[2] > 'b')
        return vp_plugin_error_set(VP_ERR_NOT_SUPPORTED,
                                   "floppy '%s': use <target dev='fda'/> or 'fdb'", dev ? dev : "");
    if (src && !block && !eq(qemu_tree_attr(d, "type"), "file"))
        return vp_plugin_error_set(VP_ERR_NOT_SUPPORTED,
                                   "floppy '%s': use <disk type='file'> or <disk type='block'>",
                                   dev);
    _cleanup_free_ char *drive = vp_strdup("");
    if (src) {
        _cleanup_free_ char *fnode = qemu_command_file_node(dev);
        _cleanup_free_ char *node = qemu_command_drive_node(dev);
        bool ro = qemu_tree_kid(d, "readonly", 0) != NULL;
        argv_add2(
            a, "-blockdev",
            blockdev_json(qemu_command_protocol("floppy", block), "filename", src, fnode, ro, ""));
        argv_add2(a, "-blockdev", blockdev_json(fmt ? fmt : "raw", "file", fnode, node, ro, ""));
        free(drive);
        drive = vp_asprintf(",drive=%s", node);
    }
    /* The boot order of a floppy is its controller's, per drive. */
    const char *order = qemu_tree_attr(qemu_tree_kid(d, "boot", 0), "order");
    if (order)
        argv_add2(a, "-global", vp_asprintf("isa-fdc.bootindex%c=%s", dev[2] - 'a' + 'A', order));
    argv_add2(a, "-device", vp_asprintf("floppy,unit=%d%s,id=%s", dev[2] - 'a', drive, dev));
    return 0;
}

static int
add_disks(argv_buf *a, const vp_domain_def *def, disk_ctx *ctx)
{
    for (size_t i = 0; i < def->n_disks; i++) {
        int r = add_disk(a, ctx, &def->disks[i]);
        if (r < 0)
            return r;
    }
    json_object *d;
    for (size_t i = 0; (d = qemu_tree_kid(ctx->tree, "disk", i)); i++) {
        if (!eq(qemu_tree_attr(d, "device"), "floppy"))
            continue;
        int r = add_floppy(a, ctx, d);
        if (r < 0)
            return r;
    }
    return 0;
}

/* Whether a device of @tree has a <boot order> (<os> has <boot dev>s). */
static bool
has_boot_order(json_object *tree)
{
    bool found = false;
    json_object_object_foreach(tree, name, arr)
    {
        for (size_t i = 0; !found && json_object_is_type(arr, json_type_array) &&
                           i < json_object_array_length(arr);
             i++)
            found = strcmp(name, "os") != 0 &&
                    qemu_tree_kid(json_object_array_get_idx(arr, i), "boot", 0) != NULL;
    }
    return found;
}

/* <bootmenu enable timeout>: ",menu=on,splash-time=MS". */
static char *
bootmenu_opts(json_object *tree)
{
    json_object *m = qemu_tree_kid(qemu_tree_kid(tree, "os", 0), "bootmenu", 0);
    const char *enable = qemu_tree_attr(m, "enable"), *timeout = qemu_tree_attr(m, "timeout");
    if (!enable)
        return vp_strdup("");
    return vp_asprintf(",menu=%s%s%s", eq(enable, "yes") ? "on" : "off",
                       timeout ? ",splash-time=" : "", timeout ? timeout : "");
}

static int
add_boot(argv_buf *a, const vp_domain_def *def, json_object *tree)
{
    if (tree && def->n_os_boot_devs > 0 && has_boot_order(tree))
        return vp_plugin_error_set(
            VP_ERR_NOT_SUPPORTED,
            "domain '%s': per-device <boot order> cannot be used together with <os><boot dev>, as in libvirt; keep one of them",
            def->name);
    _cleanup_free_ char *menu = tree ? bootmenu_opts(tree) : vp_strdup("");
    if (*menu && !def->os_kernel && def->n_os_boot_devs == 0)
        argv_add2(a, "-boot", vp_strdup(menu + 1));
    if (def->os_kernel) {
        /* Taken as given, like -pidfile. A multiboot kernel would read
         * -initrd as a comma-separated module list, but <initrd> is a Linux
         * initrd, whose path QEMU opens as is. */
        argv_add2(a, "-kernel", vp_strdup(def->os_kernel));
        if (def->os_initrd)
            argv_add2(a, "-initrd", vp_strdup(def->os_initrd));
        if (def->os_cmdline)
            argv_add2(a, "-append", vp_strdup(def->os_cmdline));
        return 0;
    }
    if (def->n_os_boot_devs == 0)
        return 0;
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
    argv_add2(a, "-boot", vp_asprintf("order=%s%s", order, menu));
    return 0;
}

static void
add_chardevs(argv_buf *a, const vp_domain_def *def, const qemu_command_paths *paths,
             qemu_devices_ctx *ctx)
{
    if (paths->agent) {
        _cleanup_free_ char *p = qemu_opts_value(paths->agent);
        /* The driver's own path: a FIFO pair QEMU keeps open, so the guest
         * never sees the host go away between clients (qemu-agent.c). */
        argv_add2(a, "-chardev",
                  paths->agent_pipes
                      ? vp_asprintf("pipe,id=charagent0,path=%s", p)
                      : vp_asprintf("socket,id=charagent0,path=%s,server=on,wait=off", p));
        if (!ctx->virtio_serial0) {
            _cleanup_free_ char *addr = qemu_pci_opts(ctx->pci, NULL);
            argv_add2(a, "-device", vp_asprintf("virtio-serial-pci,id=virtio-serial0%s", addr));
        }
        _cleanup_free_ char *port =
            qemu_chardev_port_opts(paths->devices, qemu_chardev_agent(paths->devices));
        argv_add2(a, "-device",
                  vp_asprintf("virtserialport%s,chardev=charagent0,id=channel0,"
                              "name=org.qemu.guest_agent.0",
                              port));
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

/* The lifecycle actions QEMU itself can carry out (on_crash: destroy, or
 * preserve); others are refused rather than silently ignored. */
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
        if (strcmp(actions[i].element, "on_crash") == 0 && strcmp(v, "preserve") == 0) {
            /* QEMU keeps the panicked guest (state crashed) until destroyed. */
            argv_add2(a, "-action", vp_strdup("panic=pause"));
            continue;
        }
        return vp_plugin_error_set(
            VP_ERR_NOT_SUPPORTED,
            "domain '%s': <%s>%s</%s> is not supported by the qemu driver; use '%s'", def->name,
            actions[i].element, v, actions[i].element, actions[i].supported);
    }
    return 0;
}

/* A guest panic that ends QEMU (<on_crash>destroy</on_crash>, the
 * default, with a <panic> device) leaves QEMU's "Guest crashed" in its
 * guest-errors log: the evidence whoever finds QEMU gone reads
 * (qemu-runtime.c), with no process holding a monitor. QEMU expands '%' in
 * -D's path, so a path with one has no such log (a panic then reads as a
 * shutdown). */
static void
add_guest_errors(argv_buf *a, const vp_domain_def *def, const qemu_command_paths *paths)
{
    if (!paths->guest_errors || strchr(paths->guest_errors, '%') ||
        !qemu_tree_kid(paths->devices, "panic", 0) ||
        (def->on_crash && strcmp(def->on_crash, "preserve") == 0))
        return;
    argv_add2(a, "-d", vp_strdup("guest_errors"));
    argv_add2(a, "-D", vp_strdup(paths->guest_errors));
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
    _cleanup_(qemu_pci_freep) qemu_pci *pci = NULL;
    bool graphics = false;
    int r = qemu_pci_new(paths->devices, machine, &pci);
    qemu_devices_ctx ctx = {.pci = pci, .tap_fds = paths->tap_fds, .n_tap_fds = paths->n_tap_fds};
    if (r >= 0)
        r = qemu_devices_args(paths->devices, machine, paths->accel, &ctx, &machine_opts, &extra,
                              &graphics);
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
    add_guest_errors(&a, def, paths);
    _cleanup_free_ char *qmp = qemu_opts_value(paths->qmp);
    argv_add2(&a, "-chardev", vp_asprintf("socket,id=charmonitor,path=%s,server=on,wait=off", qmp));
    argv_add2(&a, "-mon", vp_strdup("chardev=charmonitor,mode=control"));
    if (paths->qmp_events) {
        /* A second monitor that only a watch reads (qemu-events.c): QEMU
         * sends events to every monitor, and this one is never busy with
         * an operation's commands. */
        _cleanup_free_ char *ev = qemu_opts_value(paths->qmp_events);
        argv_add2(&a, "-chardev",
                  vp_asprintf("socket,id=charevents,path=%s,server=on,wait=off", ev));
        argv_add2(&a, "-mon", vp_strdup("chardev=charevents,mode=control"));
    }
    if (paths->events_log) {
        /* A monitor writing QEMU's events to a file (qemu-events-log.c). */
        _cleanup_free_ char *log = qemu_opts_value(paths->events_log);
        argv_add2(&a, "-chardev", vp_asprintf("pipe,id=chareventslog,path=%s", log));
        argv_add2(&a, "-mon", vp_strdup("chardev=chareventslog,mode=control"));
    }
    r = add_boot(&a, def, paths->devices);
    if (r >= 0)
        r = add_lifecycle(&a, def);
    /* The controllers (first among the extras) before the disks on them. */
    for (char **e = extra; r >= 0 && *e; e++)
        argv_add(&a, VP_STEAL_PTR(*e));
    disk_ctx dctx = {.dev = &ctx, .tree = paths->devices, .q35 = qemu_machine_is_q35(machine)};
    if (r >= 0)
        r = add_disks(&a, def, &dctx);
    if (r < 0) {
        vp_strv_free(a.v);
        return r;
    }
    add_chardevs(&a, def, paths, &ctx);
    if (paths->incoming)
        argv_add2(&a, "-incoming", vp_strdup("defer"));
    if (paths->paused)
        argv_add(&a, vp_strdup("-S"));
    *ret_argv = a.v;
    return 0;
}
