/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-revert-util.c: what test-qemu-revert.c needs beyond the images:
 * another domain built on an image, and a running domain's QEMU asked
 * over QMP (its block nodes, and what its guest reads, through an NBD
 * export of the disk's node). Compiled with -DQEMU_IMG.
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <virtplug/sdk/alloc.h>
#include <virtplug/virtplug.h>

#include "qemu-monitor.h"
#include "qemu-revert-util.h"
#include "qemu-test-util.h"

/* Whether @image's backing file (qemu-img info) is @backing. */
bool
qr_backed_by(const char *image, const char *backing)
{
    char *out = NULL;
    assert_int_equal(
        qt_run_capture((const char *const[]){QEMU_IMG, "info", "-U", image, NULL}, &out), 0);
    _cleanup_free_ char *line = vp_asprintf("backing file: %s\n", backing);
    bool yes = strstr(out, line) != NULL;
    free(out);
    return yes;
}

void
qr_assert_layers(const char *image, const char *want)
{
    for (int i = 0; i < QR_LAYERS; i++) {
        bool expect = strchr(want, '0' + i) != NULL;
        if (qi_has_pattern(image, i) != expect)
            fail_msg("'%s': layer %d's pattern %s", image, i,
                     expect ? "is lost" : "is there, but must not be");
    }
}

void
qr_snapshot(vp_domain *dom, const char *name, unsigned int flags)
{
    _cleanup_free_ char *xml =
        vp_asprintf("<domainsnapshot><name>%s</name></domainsnapshot>", name);
    if (vp_snapshot_create_xml(dom, xml, flags, NULL) < 0)
        fail_msg("snapshot '%s': %s", name, vp_error_last()->message);
}

int
qr_revert(vp_domain *dom, const char *name, unsigned int flags)
{
    vp_snapshot *snap = NULL;
    assert_int_equal(vp_snapshot_lookup_by_name(dom, name, 0, &snap), 0);
    int r = vp_snapshot_revert(snap, flags);
    vp_snapshot_free(snap);
    return r;
}

void
qr_revert_ok(vp_domain *dom, const char *name, unsigned int flags)
{
    if (qr_revert(dom, name, flags) < 0)
        fail_msg("reverting to '%s': %s", name, vp_error_last()->message);
}

qi_fixture *
qr_internal_fixture(void)
{
    qi_fixture *f = qi_fixture_new();
    assert_int_equal(vp_domain_start(f->dom, 0), 0);
    qr_snapshot(f->dom, "i1", 0);
    assert_int_equal(vp_domain_destroy(f->dom, 0), 0);
    qi_write_pattern(f->base, 1);
    return f;
}

/* Each image over @backing (qemu-img create -b): the definition's chains
 * reach @backing. */
char **
qr_other_domain_disks(qi_fixture *f, const char *name, const char *backing, size_t n_disks,
                      const char *bus, const char *driver_attrs, vp_domain **ret_dom)
{
    char **imgs = vp_new0(char *, n_disks + 1);
    _cleanup_free_ char *disks = vp_strdup("");
    for (size_t i = 0; i < n_disks; i++) {
        char dev[] = {strcmp(bus, "ide") == 0 ? 'h' : 'v', 'd', (char)('a' + i), '\0'};
        imgs[i] = i == 0 ? vp_asprintf("%s/%s.qcow2", f->root, name)
                         : vp_asprintf("%s/%s-%s.qcow2", f->root, name, dev);
        qi_run_ok((const char *const[]){QEMU_IMG, "create", "-q", "-f", "qcow2", "-F", "qcow2",
                                        "-b", backing, imgs[i], NULL});
        char *more = vp_asprintf("%s<disk type='file' device='disk'><driver name='qemu' "
                                 "type='qcow2'%s/><source file='%s'/><target dev='%s' "
                                 "bus='%s'/></disk>",
                                 disks, driver_attrs, imgs[i], dev, bus);
        free(disks);
        disks = more;
    }
    _cleanup_free_ char *xml =
        vp_asprintf("<domain type='qemu'><name>%s</name><memory unit='MiB'>32</memory>"
                    "<os><type arch='x86_64' machine='pc'>hvm</type></os><devices>%s</devices>"
                    "</domain>",
                    name, disks);
    assert_int_equal(vp_domain_define_xml(f->conn, xml, 0, ret_dom), 0);
    return imgs;
}

char *
qr_other_domain(qi_fixture *f, const char *name, const char *backing, vp_domain **ret_dom)
{
    char **imgs = qr_other_domain_disks(f, name, backing, 1, "virtio", "", ret_dom);
    char *img = imgs[0];
    free(imgs);
    return img;
}

/* QMP command @cmd with @args (JSON text, NULL for none) to the QEMU of
 * domain @name, on a connection of its own, closed after; its return
 * (transfer full; NULL: not wanted). */
json_object *
qr_qmp_call(const qi_fixture *f, const char *name, const char *cmd, const char *args)
{
    _cleanup_free_ char *path = vp_asprintf("%s/run/%s.qmp", f->root, name);
    qemu_monitor *mon = NULL;
    if (qemu_monitor_open(path, 5000, &mon) < 0)
        fail_msg("QMP on '%s': %s", path, vp_error_last()->message);
    json_object *a = args ? json_tokener_parse(args) : NULL, *ret = NULL;
    if (qemu_monitor_command(mon, cmd, a, 10000, &ret) < 0)
        fail_msg("%s: %s", cmd, vp_error_last()->message);
    json_object_put(a);
    qemu_monitor_close(mon);
    return ret;
}

void
qr_qmp_ok(const qi_fixture *f, const char *name, const char *cmd, const char *args)
{
    json_object_put(qr_qmp_call(f, name, cmd, args));
}

/* The guest of running domain @name reads through disk @dev exactly the
 * layers of @want: read through its QEMU (an NBD export of the disk's top
 * node, drive-DEV, the node the guest's device reads). */
void
qr_assert_disk_layers(const qi_fixture *f, const char *name, const char *dev, const char *want)
{
    _cleanup_free_ char *sock = vp_asprintf("%s/nbd-%s.sock", f->root, name);
    _cleanup_free_ char *start =
        vp_asprintf("{\"addr\":{\"type\":\"unix\",\"data\":{\"path\":\"%s\"}}}", sock);
    _cleanup_free_ char *add =
        vp_asprintf("{\"type\":\"nbd\",\"id\":\"guest-view\",\"node-name\":\"drive-%s\"}", dev);
    qr_qmp_ok(f, name, "nbd-server-start", start);
    qr_qmp_ok(f, name, "block-export-add", add);
    _cleanup_free_ char *uri = vp_asprintf("nbd+unix:///drive-%s?socket=%s", dev, sock);
    for (int i = 0; i < QR_LAYERS; i++) {
        bool wanted = strchr(want, '0' + i) != NULL;
        if (qi_has_pattern_raw(uri, i) != wanted)
            fail_msg("the guest of '%s' %s layer %d on '%s'", name, wanted ? "lacks" : "reads", i,
                     dev);
    }
    qr_qmp_ok(f, name, "block-export-del", "{\"id\":\"guest-view\"}");
    qr_qmp_ok(f, name, "nbd-server-stop", NULL);
}

void
qr_assert_guest_layers(const qi_fixture *f, const char *name, const char *want)
{
    qr_assert_disk_layers(f, name, "vda", want);
}

/* The block node of the QEMU of @name on @file, or NULL. (transfer full) */
json_object *
qr_qemu_node_on(const qi_fixture *f, const char *name, const char *file)
{
    json_object *nodes = qr_qmp_call(f, name, "query-named-block-nodes", NULL), *found = NULL;
    for (size_t i = 0; !found && i < json_object_array_length(nodes); i++) {
        json_object *n = json_object_array_get_idx(nodes, i), *v;
        if (json_object_object_get_ex(n, "file", &v) &&
            strcmp(json_object_get_string(v), file) == 0)
            found = json_object_get(n);
    }
    json_object_put(nodes);
    return found;
}
