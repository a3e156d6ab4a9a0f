/*
 * qemu-command.c: the QEMU command line of a domain definition.
 *
 * Owns the translation of a vp_domain_def into argv for
 * qemu-system-x86_64, and the block node names ("drive-vda" for a disk's
 * format node, "file-vda" for its protocol node) that QMP commands such as
 * snapshots use. It never runs anything and never touches the disk.
 */
#include <config.h>

#include <string.h>

#include "qemu-driver.h"

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

/* QEMU's option syntax splits on ','; a literal comma is written twice. */
static char *
escape_commas(const char *s)
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

static int
add_disks(argv_buf *a, const vp_domain_def *def)
{
    bool scsi_added = false;
    for (size_t i = 0; i < def->n_disks; i++) {
        const vp_domain_disk_def *disk = &def->disks[i];
        _cleanup_free_ char *node = NULL;
        if (disk->source_file) {
            _cleanup_free_ char *file = escape_commas(disk->source_file);
            _cleanup_free_ char *fnode = qemu_command_file_node(disk->target_dev);
            node = qemu_command_drive_node(disk->target_dev);
            const char *ro = disk->readonly ? ",read-only=on" : "";
            argv_add2(a, "-blockdev",
                      vp_asprintf("driver=file,filename=%s,node-name=%s%s", file, fnode, ro));
            argv_add2(a, "-blockdev",
                      vp_asprintf("driver=%s,file=%s,node-name=%s%s",
                                  disk->driver_type ? disk->driver_type : "raw", fnode, node, ro));
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
        _cleanup_free_ char *k = escape_commas(def->os_kernel);
        argv_add2(a, "-kernel", VP_STEAL_PTR(k));
        if (def->os_initrd)
            argv_add2(a, "-initrd", escape_commas(def->os_initrd));
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
        _cleanup_free_ char *p = escape_commas(paths->agent);
        argv_add2(a, "-chardev", vp_asprintf("socket,id=charagent0,path=%s,server=on,wait=off", p));
        argv_add2(a, "-device", vp_strdup("virtio-serial-pci,id=virtio-serial0"));
        argv_add2(a, "-device",
                  vp_strdup("virtserialport,bus=virtio-serial0.0,chardev=charagent0,"
                            "id=channel0,name=org.qemu.guest_agent.0"));
    }
    if (def->serial_type == VP_DOMAIN_SERIAL_FILE && def->serial_path) {
        _cleanup_free_ char *p = escape_commas(def->serial_path);
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
    argv_add2(&a, "-name", vp_asprintf("guest=%s", def->name));
    argv_add2(&a, "-uuid", vp_strdup(vp_plugin_uuid_format(def->uuid, uuid)));
    argv_add2(&a, "-machine", vp_strdup(def->os_machine ? def->os_machine : "pc"));
    argv_add2(&a, "-accel", vp_strdup(paths->accel));
    argv_add2(&a, "-m", vp_asprintf("%lluk", (unsigned long long)def->memory_kib));
    argv_add2(&a, "-smp", vp_asprintf("%u", def->vcpus ? def->vcpus : 1));
    argv_add(&a, vp_strdup("-nodefaults"));
    argv_add(&a, vp_strdup("-no-user-config"));
    argv_add2(&a, "-display", vp_strdup("none"));
    argv_add(&a, vp_strdup("-daemonize"));
    argv_add2(&a, "-pidfile", escape_commas(paths->pidfile));
    _cleanup_free_ char *qmp = escape_commas(paths->qmp);
    argv_add2(&a, "-qmp", vp_asprintf("unix:%s,server=on,wait=off", qmp));
    add_boot(&a, def);
    int r = add_lifecycle(&a, def);
    if (r >= 0)
        r = add_disks(&a, def);
    if (r < 0) {
        vp_strv_free(a.v);
        return r;
    }
    add_chardevs(&a, def, paths);
    *ret_argv = a.v;
    return 0;
}
