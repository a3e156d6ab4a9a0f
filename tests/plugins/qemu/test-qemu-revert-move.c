/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-qemu-revert-move.c: another running domain's QEMU moved onto the
 * copy a revert to an internal snapshot makes of the image it is built on
 * (qemu-snapshot-move.c), against real QEMU running firmware only. The
 * base of the fixture holds internal snapshot i1; domain 'other' runs on
 * overlays over that base, each with a data pattern of its own. After the
 * revert of 'ch' to i1, 'other' reads the same data through each disk, its
 * QEMU holds no node on the base and each overlay's node reads through
 * the copy. A paused domain stays paused; a domain with two disks on the
 * base has both moved; the discard setting a domain started with stays
 * in effect after its definition drops it (a discard through the disk,
 * asked with HMP's qemu-io, deallocates only with discard='unmap').
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

#include "qemu-image-util.h"
#include "qemu-revert-util.h"
#include "qemu-test-util.h"

typedef qi_fixture fixture;

static int
teardown(void **state)
{
    qi_fixture_free(*state);
    return 0;
}

static void
start_ok(vp_domain *dom)
{
    if (vp_domain_start(dom, 0) < 0)
        fail_msg("start: %s", vp_error_last()->message);
}

/* The QEMU of 'other' reads @image through the copy of the base, and
 * holds nothing on the base any more; the header of @image names the copy. */
static void
assert_moved(const fixture *f, const char *image)
{
    _cleanup_free_ char *keep = vp_asprintf("%s.k1", f->base);
    json_object *held = qr_qemu_node_on(f, "other", f->base), *image_info, *backing;
    if (held)
        fail_msg("the QEMU of 'other' still holds '%s': %s", f->base, json_object_get_string(held));
    json_object *node = qr_qemu_node_on(f, "other", image);
    assert_non_null(node);
    assert_true(json_object_object_get_ex(node, "image", &image_info) &&
                json_object_object_get_ex(image_info, "backing-image", &backing));
    assert_string_equal(json_object_get_string(json_object_object_get(backing, "filename")), keep);
    json_object_put(node);
    if (!qr_backed_by(image, keep))
        fail_msg("'%s' is not on '%s'", image, keep);
}

/* The fixture of qr_internal_fixture() with 'ch' running on the overlay
 * of external snapshot e1 over the base (layers 0 1), so that another
 * domain can read the base too. */
static fixture *
running_on_e1(void **state)
{
    fixture *f = qr_internal_fixture();
    *state = f;
    start_ok(f->dom);
    qr_snapshot(f->dom, "e1", VP_SNAPSHOT_CREATE_DISK_ONLY);
    return f;
}

/* Domain 'other' with @n disks on @bus over the base, image i holding the
 * layers of @layers[i] beyond the base's, started. (transfer full) */
static char **
start_other(fixture *f, size_t n, const char *bus, const char *driver_attrs,
            const char *const *layers, vp_domain **ret_other)
{
    char **imgs = qr_other_domain_disks(f, "other", f->base, n, bus, driver_attrs, ret_other);
    for (size_t i = 0; i < n; i++) {
        for (const char *l = layers[i]; *l; l++)
            qi_write_pattern(imgs[i], *l - '0');
    }
    start_ok(*ret_other);
    return imgs;
}

/* 'other' shut off: each image keeps what it read (the base's layer 0,
 * the copy's layer 1, and its own); then undefined. */
static void
stop_other(vp_domain *other, char **imgs, const char *const *want)
{
    assert_int_equal(vp_domain_destroy(other, 0), 0);
    for (size_t i = 0; imgs[i]; i++)
        qr_assert_layers(imgs[i], want[i]);
    assert_int_equal(vp_domain_undefine(other, 0), 0);
    vp_domain_free(other);
    vp_strv_free(imgs);
}

/* Both domains run; 'ch' is reverted to i1, which runs from it. */
static void
revert_ch(fixture *f)
{
    qr_revert_ok(f->dom, "i1", 0);
    qt_assert_state(f->dom, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_FROM_SNAPSHOT);
    assert_int_equal(vp_domain_destroy(f->dom, 0), 0);
    qr_assert_layers(f->base, "0");
}

/* A paused domain is moved and stays paused, in its QEMU too, reading
 * the same data; it resumes as usual. */
static void
test_paused(void **state)
{
    fixture *f = running_on_e1(state);
    vp_domain *other = NULL;
    char **imgs = start_other(f, 1, "virtio", "", (const char *const[]){"4"}, &other);
    assert_int_equal(vp_domain_suspend(other, 0), 0);
    qr_assert_guest_layers(f, "other", "014");

    revert_ch(f);
    qt_assert_state(other, VP_DOMAIN_PAUSED, VP_DOMAIN_PAUSED_USER);
    json_object *status = qr_qmp_call(f, "other", "query-status", NULL);
    assert_string_equal(json_object_get_string(json_object_object_get(status, "status")), "paused");
    json_object_put(status);
    qr_assert_guest_layers(f, "other", "014");
    assert_moved(f, imgs[0]);

    assert_int_equal(vp_domain_resume(other, 0), 0);
    qt_assert_state(other, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_UNPAUSED);
    stop_other(other, imgs, (const char *const[]){"014"});
}

/* Two disks, each on an overlay of its own over the base: both move onto
 * the one copy, each reading its own data. */
static void
test_two_disks(void **state)
{
    fixture *f = running_on_e1(state);
    vp_domain *other = NULL;
    char **imgs = start_other(f, 2, "virtio", "", (const char *const[]){"4", "5"}, &other);

    revert_ch(f);
    qt_assert_state(other, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_BOOTED);
    qr_assert_disk_layers(f, "other", "vda", "014");
    qr_assert_disk_layers(f, "other", "vdb", "015");
    assert_moved(f, imgs[0]);
    assert_moved(f, imgs[1]);
    stop_other(other, imgs, (const char *const[]){"014", "015"});
}

/* Discard layer @layer's clusters through disk hda of 'other' (HMP's
 * qemu-io on the device's own block backend: an IDE disk's device holds
 * it, where virtio's holds it in a child without an id; a backend of its
 * own would need write permission the device does not share): QEMU
 * deallocates them only when the disk's format node has discard='unmap'. */
static void
discard_layer(const fixture *f, int layer)
{
    _cleanup_free_ char *args = vp_asprintf(
        "{\"command-line\":\"qemu-io -d hda \\\"discard %dk 64k\\\"\"}", QI_OFFSET_K(layer));
    json_object *out = qr_qmp_call(f, "other", "human-monitor-command", args);
    const char *text = json_object_get_string(out);
    /* qemu-io reports to QEMU's stdout; HMP's answer holds only errors. */
    if (text && *text)
        fail_msg("qemu-io discard on 'other': %s", text);
    json_object_put(out);
}

/* 'other' started with discard='unmap' (a discard deallocates), then
 * its definition was redefined with discard='ignore': the move restates
 * what QEMU started with, so a discard still deallocates afterwards. (A
 * definition without discard could not tell: QEMU 7.2 keeps a node's
 * discard setting through a reopen that does not name it.) */
static void
test_discard_as_started(void **state)
{
    fixture *f = running_on_e1(state);
    vp_domain *other = NULL;
    char **imgs = start_other(f, 1, "ide", " discard='unmap'", (const char *const[]){"45"}, &other);
    discard_layer(f, 5);
    qr_assert_disk_layers(f, "other", "hda", "014");

    char *xml = NULL;
    assert_int_equal(vp_domain_get_xml(other, VP_DOMAIN_XML_INACTIVE, &xml), 0);
    const char *at = strstr(xml, "discard='unmap'");
    assert_non_null(at);
    _cleanup_free_ char *ignore =
        vp_asprintf("%.*sdiscard='ignore'%s", (int)(at - xml), xml, at + strlen("discard='unmap'"));
    vp_domain *again = NULL;
    assert_int_equal(vp_domain_define_xml(f->conn, ignore, 0, &again), 0);
    vp_domain_free(again);
    free(xml);

    revert_ch(f);
    assert_moved(f, imgs[0]);
    qr_assert_disk_layers(f, "other", "hda", "014");
    discard_layer(f, 4);
    qr_assert_disk_layers(f, "other", "hda", "01");
    stop_other(other, imgs, (const char *const[]){"01"});
}

int
main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_paused, teardown),
        cmocka_unit_test_teardown(test_two_disks, teardown),
        cmocka_unit_test_teardown(test_discard_as_started, teardown),
    };
    return qi_tests_main(argc, argv, tests, sizeof(tests) / sizeof(tests[0]));
}
