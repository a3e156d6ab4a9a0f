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

/* Another domain on an image over @backing (qemu-img create -b): its
 * definition's chain reaches @backing. Returns the image. (transfer full) */
char *
qr_other_domain(qi_fixture *f, const char *name, const char *backing, vp_domain **ret_dom)
{
    char *img = vp_asprintf("%s/%s.qcow2", f->root, name);
    qi_run_ok((const char *const[]){QEMU_IMG, "create", "-q", "-f", "qcow2", "-F", "qcow2", "-b",
                                    backing, img, NULL});
    _cleanup_free_ char *xml =
        vp_asprintf("<domain type='qemu'><name>%s</name><memory unit='MiB'>32</memory>"
                    "<os><type arch='x86_64' machine='pc'>hvm</type></os><devices>"
                    "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
                    "<source file='%s'/><target dev='vda' bus='virtio'/></disk></devices></domain>",
                    name, img);
    assert_int_equal(vp_domain_define_xml(f->conn, xml, 0, ret_dom), 0);
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

/* The guest of running domain @name reads through disk vda exactly the
 * layers of @want: read through its QEMU (an NBD export of the disk's top
 * node, drive-vda, the node the guest's device reads). */
void
qr_assert_guest_layers(const qi_fixture *f, const char *name, const char *want)
{
    _cleanup_free_ char *sock = vp_asprintf("%s/nbd-%s.sock", f->root, name);
    _cleanup_free_ char *start =
        vp_asprintf("{\"addr\":{\"type\":\"unix\",\"data\":{\"path\":\"%s\"}}}", sock);
    qr_qmp_ok(f, name, "nbd-server-start", start);
    qr_qmp_ok(f, name, "block-export-add",
              "{\"type\":\"nbd\",\"id\":\"guest-view\",\"node-name\":\"drive-vda\"}");
    _cleanup_free_ char *uri = vp_asprintf("nbd+unix:///drive-vda?socket=%s", sock);
    for (int i = 0; i < QR_LAYERS; i++) {
        bool wanted = strchr(want, '0' + i) != NULL;
        if (qi_has_pattern_raw(uri, i) != wanted)
            fail_msg("the guest of '%s' %s layer %d", name, wanted ? "lacks" : "reads", i);
    }
    qr_qmp_ok(f, name, "block-export-del", "{\"id\":\"guest-view\"}");
    qr_qmp_ok(f, name, "nbd-server-stop", NULL);
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
