/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-qemu-disks.c: the disks beyond the 1.0 subset (qemu-command.c with
 * the extras tree) against real QEMU under TCG, on firmware-only
 * domains: <driver cache io discard detect_zeroes>, type='block' (a loop
 * device this test makes and removes), cdroms with and without a medium,
 * floppies, virtio-scsi, <boot order>, <bootmenu>, <shareable>. Each is
 * read back from QEMU: query-named-block-nodes (driver, cache,
 * detect_zeroes, read-only), query-block (medium, tray), qom-get of the
 * device (bootindex, write-cache, share-rw, its bus). dumpxml keeps every
 * attribute, also after a snapshot moved a disk to an overlay.
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <virtplug/sdk/alloc.h>
#include <virtplug/virtplug.h>

#include "qemu-test-qmp.h"
#include "qemu-test-util.h"

static void
make_image(qt_fixture *f, const char *name, const char *format, const char *size)
{
    _cleanup_free_ char *path = vp_asprintf("%s/%s", f->root, name);
    assert_int_equal(
        qt_run_capture(
            (const char *const[]){QEMU_IMG, "create", "-q", "-f", format, path, size, NULL}, NULL),
        0);
}

/* The string form of member @path ("cache.direct") of @o. */
static const char *
member(json_object *o, const char *path)
{
    _cleanup_free_ char *p = vp_strdup(path);
    json_object *v = o;
    for (char *k = p, *dot; k; k = dot) {
        dot = strchr(k, '.');
        if (dot)
            *dot++ = '\0';
        if (!json_object_object_get_ex(v, k, &v))
            return NULL;
    }
    return json_object_get_string(v);
}

static void
assert_member(json_object *o, const char *path, const char *want)
{
    const char *v = member(o, path);
    if (!v || strcmp(v, want) != 0)
        fprintf(stderr, "%s: '%s', want '%s'\n", path, v ? v : "(none)", want);
    assert_non_null(v);
    assert_string_equal(v, want);
}

/* The query-block entry of device @id: whether it has a medium. */
static bool
has_medium(qt_fixture *f, const char *id)
{
    json_object *blocks = qt_qmp(f, "query-block", NULL), *v;
    int found = -1;
    for (size_t i = 0; found < 0 && i < json_object_array_length(blocks); i++) {
        json_object *b = json_object_array_get_idx(blocks, i);
        if (json_object_object_get_ex(b, "qdev", &v) && strstr(json_object_get_string(v), id))
            found = json_object_object_get_ex(b, "inserted", &v);
    }
    json_object_put(blocks);
    assert_true(found >= 0);
    return found == 1;
}

static char *
device_prop(qt_fixture *f, const char *id, const char *prop)
{
    _cleanup_free_ char *path = vp_asprintf("/machine/peripheral/%s", id);
    return qt_qom_get(f, path, prop);
}

static void
assert_prop(qt_fixture *f, const char *id, const char *prop, const char *want)
{
    _cleanup_free_ char *v = device_prop(f, id, prop);
    assert_string_equal(v, want);
}

static void
test_driver_options_boot_order(void **state)
{
    qt_fixture *f = *state;
    make_image(f, "a.raw", "raw", "4M");
    make_image(f, "b.qcow2", "qcow2", "4M");
    make_image(f, "cd.raw", "raw", "1M");
    make_image(f, "fd.raw", "raw", "1440K");
    make_image(f, "shared.raw", "raw", "1M");
    _cleanup_free_ char *devices = vp_asprintf(
        "<disk type='file' device='disk'>"
        "<driver name='qemu' type='raw' cache='none' io='native' discard='unmap' "
        "detect_zeroes='unmap'/><source file='%s/a.raw'/><target dev='vda' bus='virtio'/>"
        "<boot order='2'/></disk>"
        "<disk type='file' device='disk'><driver name='qemu' type='qcow2' cache='writethrough'/>"
        "<source file='%s/b.qcow2'/><target dev='sdb' bus='scsi'/>"
        "<address type='drive' controller='0' bus='0' target='0' unit='1'/></disk>"
        "<disk type='file' device='cdrom'><driver name='qemu' type='raw'/>"
        "<source file='%s/cd.raw'/><target dev='hdc' bus='ide'/><readonly/>"
        "<boot order='1'/><address type='drive' controller='0' bus='1' target='0' unit='0'/>"
        "</disk>"
        "<disk type='file' device='cdrom'><target dev='hdd' bus='ide'/><readonly/></disk>"
        "<disk type='file' device='floppy'><driver name='qemu' type='raw'/>"
        "<source file='%s/fd.raw'/><target dev='fda' bus='fdc'/><boot order='3'/></disk>"
        "<disk type='file' device='disk'><driver name='qemu' type='raw' cache='directsync'/>"
        "<source file='%s/shared.raw'/><target dev='vdc' bus='virtio'/><shareable/></disk>"
        "<controller type='scsi' index='0' model='virtio-scsi'/>"
        "<interface type='user'><model type='virtio'/><boot order='4'/></interface>",
        f->root, f->root, f->root, f->root, f->root);
    qt_start(f, "pc",
             "  <os><type arch='x86_64' machine='pc'>hvm</type>"
             "<bootmenu enable='yes' timeout='500'/></os>\n",
             devices);

    /* cache='none': O_DIRECT on the file, write-back in the guest. */
    json_object *file = qt_block_node(f, "file-vda"), *fmt = qt_block_node(f, "drive-vda");
    assert_member(file, "drv", "file");
    assert_member(file, "cache.direct", "true");
    assert_member(fmt, "detect_zeroes", "unmap");
    json_object_put(file);
    json_object_put(fmt);
    assert_prop(f, "vda", "write-cache", "on");
    assert_prop(f, "vda", "bootindex", "2");
    /* cache='writethrough': the guest sees no write cache. */
    qt_assert_device_type(f, "sdb", "scsi-hd");
    qt_assert_device_type(f, "scsi0", "virtio-scsi-pci");
    assert_prop(f, "sdb", "write-cache", "off");
    assert_prop(f, "sdb", "lun", "1");
    json_object *q = qt_block_node(f, "drive-sdb");
    assert_member(q, "drv", "qcow2");
    json_object_put(q);
    /* The cdroms: one with a medium, read-only, first to boot, on the
     * secondary IDE bus; one with an empty tray. */
    qt_assert_device_type(f, "hdc", "ide-cd");
    assert_prop(f, "hdc", "bootindex", "1");
    _cleanup_free_ char *bus = device_prop(f, "hdc", "parent_bus");
    assert_non_null(strstr(bus, "ide.1"));
    json_object *cd = qt_block_node(f, "drive-hdc");
    assert_member(cd, "ro", "true");
    json_object_put(cd);
    assert_true(has_medium(f, "hdc"));
    assert_false(has_medium(f, "hdd"));
    /* The floppy on pc's own controller. */
    qt_assert_device_type(f, "fda", "floppy");
    _cleanup_free_ char *fdc = qt_qom_find(f, "/machine", "isa-fdc");
    assert_non_null(fdc);
    _cleanup_free_ char *fd_boot = qt_qom_get(f, fdc, "bootindexA");
    assert_string_equal(fd_boot, "3");
    assert_true(has_medium(f, "fda"));
    /* A NIC takes its place in the boot order too. */
    assert_prop(f, "net0", "bootindex", "4");
    /* <shareable/>: other writers are allowed. */
    assert_prop(f, "vdc", "share-rw", "true");
}

static void
test_block_disk(void **state)
{
    qt_fixture *f = *state;
    make_image(f, "loop.raw", "raw", "8M");
    _cleanup_free_ char *img = vp_asprintf("%s/loop.raw", f->root);
    const char *loop_dev = qt_loop_attach(f, img);
    _cleanup_free_ char *devices =
        vp_asprintf("<disk type='block' device='disk'><driver name='qemu' type='raw' cache='none' "
                    "io='threads'/><source dev='%s'/><target dev='vda' bus='virtio'/></disk>",
                    loop_dev);
    qt_start(f, "pc", NULL, devices);
    json_object *file = qt_block_node(f, "file-vda");
    assert_member(file, "drv", "host_device");
    assert_member(file, "file", loop_dev);
    assert_member(file, "cache.direct", "true");
    json_object_put(file);
    _cleanup_free_ char *xml = NULL;
    assert_int_equal(vp_domain_get_xml(f->dom, 0, &xml), 0);
    _cleanup_free_ char *src = vp_asprintf("<source dev='%s'/>", loop_dev);
    assert_non_null(strstr(xml, "<disk type='block' device='disk'>"));
    assert_non_null(strstr(xml, src));
}

#define DISK_XML                                                                                   \
    "    <disk type='file' device='disk'>\n"                                                       \
    "      <driver name='qemu' type='qcow2' cache='none' discard='unmap'/>\n"                      \
    "      <source file='%s/d.qcow2'/>\n"                                                          \
    "      <target dev='vda' bus='virtio'/>\n"                                                     \
    "      <boot order='1'/>\n"                                                                    \
    "      <address type='pci' domain='0x0000' bus='0x00' slot='0x07' function='0x0'/>\n"          \
    "    </disk>\n"

/* dumpxml gives back every attribute; after a snapshot the overlay (and
 * its format) replaces the source, and nothing else changes. */
static void
test_dumpxml_keeps_disk_attributes(void **state)
{
    qt_fixture *f = *state;
    make_image(f, "d.qcow2", "qcow2", "4M");
    _cleanup_free_ char *disk = vp_asprintf(DISK_XML, f->root);
    qt_start(f, "pc",
             "  <os><type arch='x86_64' machine='pc'>hvm</type>"
             "<bootmenu enable='no'/></os>\n",
             disk);
    _cleanup_free_ char *xml = NULL;
    assert_int_equal(vp_domain_get_xml(f->dom, 0, &xml), 0);
    assert_non_null(strstr(xml, disk));
    assert_non_null(strstr(xml, "    <bootmenu enable='no'/>\n"));
    assert_prop(f, "vda", "addr", "56");
    _cleanup_free_ char *after = qt_snapshot_s1_xml(f);
    char *at = strstr(disk, "/d.qcow2");
    assert_non_null(at);
    _cleanup_free_ char *want = vp_asprintf("%.*s/d.s1%s", (int)(at - disk), disk, at + 8);
    if (!strstr(after, want))
        fprintf(stderr, "after the snapshot:\n%s\nwanted:\n%s", after, want);
    assert_non_null(strstr(after, want));
    assert_non_null(strstr(after, "    <bootmenu enable='no'/>\n"));
    /* What dumpxml shows defines again and runs with the same options. */
    qt_redefine_restart(f, after);
    json_object *file = qt_block_node(f, "file-vda");
    assert_member(file, "cache.direct", "true");
    json_object_put(file);
    assert_prop(f, "vda", "bootindex", "1");
}

static void
test_refused_disks(void **state)
{
    qt_fixture *f = *state;
    QT_ASSERT_ERROR(qt_define(f, "pc",
                              "  <os><type arch='x86_64' machine='pc'>hvm</type>"
                              "<boot dev='hd'/></os>\n",
                              "<disk type='file' device='disk'><source file='/nonexistent.raw'/>"
                              "<target dev='vda'/><boot order='1'/></disk>"),
                    VP_ERR_NOT_SUPPORTED, "<boot order>", "<os><boot dev>");
    /* <os><boot dev> alone is fine. */
    assert_int_equal(qt_define(f, "pc",
                               "  <os><type arch='x86_64' machine='pc'>hvm</type>"
                               "<boot dev='cdrom'/><bootmenu enable='yes'/></os>\n",
                               "<disk type='file' device='cdrom'><target dev='hdc'/></disk>"),
                     0);
    assert_int_equal(vp_domain_undefine(f->dom, 0), 0);
    vp_domain_free(VP_STEAL_PTR(f->dom));
    QT_ASSERT_ERROR(qt_define(f, "pc", NULL,
                              "<disk type='file' device='disk'><driver name='qemu' io='native'/>"
                              "<source file='/nonexistent.raw'/><target dev='vda'/></disk>"),
                    VP_ERR_NOT_SUPPORTED, "vda", "io='native'", "cache='none'");
    QT_ASSERT_ERROR(qt_define(f, "pc", NULL,
                              "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
                              "<source file='/nonexistent.qcow2'/><target dev='vda'/>"
                              "<shareable/></disk>"),
                    VP_ERR_NOT_SUPPORTED, "vda", "shareable", "raw");
    QT_ASSERT_ERROR(qt_define(f, "q35", NULL,
                              "<disk type='file' device='floppy'><source file='/f.img'/>"
                              "<target dev='fda' bus='fdc'/></disk>"),
                    VP_ERR_NOT_SUPPORTED, "fda", "q35", "floppy controller");
    QT_ASSERT_ERROR(
        qt_define(f, "pc", NULL, "<disk type='network' device='disk'><target dev='vda'/></disk>"),
        VP_ERR_XML, "network");
    qt_assert_no_domain(f);
}

int
main(int argc, char **argv)
{
    (void)argc;
    const struct CMUnitTest tests[] = {
        QT_DEVICE_TEST(test_driver_options_boot_order),
        QT_DEVICE_TEST(test_block_disk),
        QT_DEVICE_TEST(test_dumpxml_keeps_disk_attributes),
        QT_DEVICE_TEST(test_refused_disks),
    };
    return qt_device_tests_main(argv, tests, sizeof(tests) / sizeof(tests[0]));
}
