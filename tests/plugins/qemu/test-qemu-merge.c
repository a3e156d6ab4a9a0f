/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-qemu-merge.c: deleting external snapshots merges them
 * (qemu-snapshot-merge.c), against real QEMU running firmware only. Each
 * layer of a three-snapshot chain holds its own data pattern, written with
 * qemu-io while the domain is shut off; snapshots are then deleted in
 * every order, shut off, running and paused, and after each delete the
 * chain is one image shorter (qemu-img info --backing-chain), clean
 * (qemu-img check), QEMU writes what the definition names, the deleted
 * overlay is gone, and every pattern still reads back through the
 * definition's image. A base image another domain shares is never merged
 * into (the overlay is copied up instead; the active layer over such a
 * base gets the base's data copied down into it), and --metadata keeps
 * every file.
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
#include "qemu-test-util.h"

typedef qi_fixture fixture;

/* Every pattern of layers 0..@layers-1 reads back through @image. */
static void
assert_patterns(const char *image, int layers)
{
    for (int i = 0; i < layers; i++) {
        if (!qi_has_pattern(image, i))
            fail_msg("layer %d's pattern is lost in '%s'", i, image);
    }
}

static void
disk_snapshot(vp_domain *dom, const char *name)
{
    _cleanup_free_ char *xml =
        vp_asprintf("<domainsnapshot><name>%s</name></domainsnapshot>", name);
    assert_int_equal(vp_snapshot_create_xml(dom, xml, VP_SNAPSHOT_CREATE_DISK_ONLY, NULL), 0);
}

/* base <- ch.s1 <- ch.s2 <- ch.s3, layer i holding pattern i; shut off. */
static int
setup(void **state)
{
    fixture *f = qi_fixture_new();
    for (int i = 1; i <= 3; i++) {
        _cleanup_free_ char *name = vp_asprintf("s%d", i);
        _cleanup_free_ char *ovl = vp_asprintf("%s/ch.s%d", f->root, i);
        assert_int_equal(vp_domain_start(f->dom, 0), 0);
        disk_snapshot(f->dom, name);
        assert_int_equal(vp_domain_destroy(f->dom, 0), 0);
        qi_write_pattern(ovl, i);
    }
    _cleanup_free_ char *top = qi_def_image(f->dom);
    assert_int_equal(qi_chain_length(top), 4);
    assert_patterns(top, 4);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    qi_fixture_free(*state);
    return 0;
}

/* Delete @order (snapshot numbers) one by one; check after each. */
static void
delete_in_order(fixture *f, const int *order, int state)
{
    if (state != VP_DOMAIN_SHUTOFF)
        assert_int_equal(vp_domain_start(f->dom, 0), 0);
    if (state == VP_DOMAIN_PAUSED)
        assert_int_equal(vp_domain_suspend(f->dom, 0), 0);
    for (int k = 0; k < 3; k++) {
        _cleanup_free_ char *name = vp_asprintf("s%d", order[k]);
        _cleanup_free_ char *ovl = vp_asprintf("%s/ch.s%d", f->root, order[k]);
        vp_snapshot *snap = NULL;
        assert_int_equal(vp_snapshot_lookup_by_name(f->dom, name, 0, &snap), 0);
        if (vp_snapshot_delete(snap, 0) < 0)
            fail_msg("deleting '%s': %s", name, vp_error_last()->message);
        vp_snapshot_free(snap);
        assert_int_equal(access(ovl, F_OK), -1);
        _cleanup_free_ char *top = qi_def_image(f->dom);
        assert_int_equal(qi_chain_length(top), 3 - k);
        int s = -1, reason = -1;
        assert_int_equal(vp_domain_get_state(f->dom, &s, &reason, 0), 0);
        assert_int_equal(s, state);
        if (state == VP_DOMAIN_SHUTOFF) {
            qi_run_ok((const char *const[]){QEMU_IMG, "check", "-q", top, NULL});
            assert_patterns(top, 4);
        }
    }
    if (state != VP_DOMAIN_SHUTOFF)
        assert_int_equal(vp_domain_destroy(f->dom, 0), 0);
    _cleanup_free_ char *top = qi_def_image(f->dom);
    assert_string_equal(top, f->base);
    qi_run_ok((const char *const[]){QEMU_IMG, "check", "-q", top, NULL});
    assert_patterns(top, 4);
    vp_snapshot **snaps = NULL;
    assert_int_equal(vp_snapshot_list(f->dom, 0, &snaps), 0);
    vp_snapshot_list_free(snaps);
    assert_int_equal(vp_domain_start(f->dom, 0), 0);
    assert_int_equal(vp_domain_destroy(f->dom, 0), 0);
}

static void
test_shut_off_first_middle_last(void **state)
{
    delete_in_order(*state, (const int[]){1, 2, 3}, VP_DOMAIN_SHUTOFF);
}

static void
test_shut_off_last_first_middle(void **state)
{
    delete_in_order(*state, (const int[]){3, 1, 2}, VP_DOMAIN_SHUTOFF);
}

static void
test_running_middle_last_first(void **state)
{
    delete_in_order(*state, (const int[]){2, 3, 1}, VP_DOMAIN_RUNNING);
}

static void
test_running_last_middle_first(void **state)
{
    delete_in_order(*state, (const int[]){3, 2, 1}, VP_DOMAIN_RUNNING);
}

static void
test_paused_first_last_middle(void **state)
{
    delete_in_order(*state, (const int[]){1, 3, 2}, VP_DOMAIN_PAUSED);
}

/* --metadata keeps every file; the chain stays four deep. */
static void
test_metadata_only_keeps_files(void **state)
{
    fixture *f = *state;
    vp_snapshot *snap = NULL;
    assert_int_equal(vp_snapshot_lookup_by_name(f->dom, "s2", 0, &snap), 0);
    QT_ASSERT_ERROR(
        vp_snapshot_delete(snap, VP_SNAPSHOT_DELETE_METADATA_ONLY | VP_SNAPSHOT_DELETE_OVERLAYS),
        VP_ERR_INVALID_ARG, "choose one");
    assert_int_equal(vp_snapshot_delete(snap, VP_SNAPSHOT_DELETE_METADATA_ONLY), 0);
    vp_snapshot_free(snap);
    _cleanup_free_ char *ovl = vp_asprintf("%s/ch.s2", f->root);
    assert_int_equal(access(ovl, F_OK), 0);
    _cleanup_free_ char *top = qi_def_image(f->dom);
    assert_int_equal(qi_chain_length(top), 4);
    assert_patterns(top, 4);
}

/* Domain 'other' on ROOT/other.qcow2 (in *@ret_image), built on
 * @backing. */
static vp_domain *
define_other(fixture *f, const char *backing, char **ret_image)
{
    *ret_image = vp_asprintf("%s/other.qcow2", f->root);
    qi_run_ok((const char *const[]){QEMU_IMG, "create", "-q", "-f", "qcow2", "-b", backing, "-F",
                                    "qcow2", *ret_image, NULL});
    _cleanup_free_ char *xml =
        vp_asprintf("<domain type='qemu'><name>other</name><memory unit='MiB'>32</memory>"
                    "<os><type arch='x86_64' machine='pc'>hvm</type></os><devices>"
                    "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
                    "<source file='%s'/><target dev='vda' bus='virtio'/></disk></devices></domain>",
                    *ret_image);
    vp_domain *other = NULL;
    assert_int_equal(vp_domain_define_xml(f->conn, xml, 0, &other), 0);
    return other;
}

/* A base another domain also runs on is never written into: the overlay
 * is copied up into the image above it instead, by QMP block-stream
 * while the domain runs, by qemu-img rebase when it is shut off. */
static void
test_shared_base_streamed(void **state)
{
    fixture *f = *state;
    _cleanup_free_ char *s1 = vp_asprintf("%s/ch.s1", f->root), *other_top = NULL;
    vp_domain *other = define_other(f, s1, &other_top);
    /* Merging s2 would write into ch.s1, which 'other' is built on. */
    vp_snapshot *snap = NULL;
    assert_int_equal(vp_snapshot_lookup_by_name(f->dom, "s2", 0, &snap), 0);
    _cleanup_free_ char *top = qi_def_image(f->dom);
    assert_int_equal(qi_chain_length(top), 4);
    assert_int_equal(vp_domain_start(f->dom, 0), 0);
    /* Running: ch.s2 goes into ch.s3 (block-stream), ch.s1 stays as it was. */
    assert_int_equal(vp_snapshot_delete(snap, 0), 0);
    vp_snapshot_free(snap);
    assert_int_equal(vp_domain_destroy(f->dom, 0), 0);
    _cleanup_free_ char *s2 = vp_asprintf("%s/ch.s2", f->root);
    assert_int_equal(access(s2, F_OK), -1);
    _cleanup_free_ char *intent = vp_asprintf("%s/config/ch.intent", f->root);
    assert_int_equal(access(intent, F_OK), -1);
    assert_int_equal(qi_chain_length(top), 3);
    qi_run_ok((const char *const[]){QEMU_IMG, "check", "-q", top, NULL});
    assert_patterns(top, 4);
    assert_patterns(other_top, 2);
    assert_false(qi_has_pattern(other_top, 2));
    /* Then s1: committed into the base, which 'other' reaches through ch.s1
     * only; ch.s1 stays for it. */
    assert_int_equal(vp_snapshot_lookup_by_name(f->dom, "s1", 0, &snap), 0);
    assert_int_equal(vp_snapshot_delete(snap, 0), 0);
    vp_snapshot_free(snap);
    assert_int_equal(access(s1, F_OK), 0); /* 'other' is built on it */
    assert_int_equal(qi_chain_length(top), 2);
    qi_run_ok((const char *const[]){QEMU_IMG, "check", "-q", top, NULL});
    assert_patterns(top, 4);
    assert_patterns(other_top, 2);
    vp_domain_free(other);
}

/* The active layer's snapshot over a base another domain is built on:
 * nothing can be committed into the base, so the base's data comes down
 * into the active layer instead (QMP block-stream on it while the domain
 * runs or is paused, qemu-img rebase shut off). The record goes, the domain stays on
 * its image, now one image shorter, and the base stays for the other. */
static void
active_layer_shared_base(fixture *f, int state)
{
    _cleanup_free_ char *other_top = NULL;
    _cleanup_free_ char *s2 = vp_asprintf("%s/ch.s2", f->root);
    vp_domain *other = define_other(f, s2, &other_top);
    _cleanup_free_ char *top = qi_def_image(f->dom);
    if (state != VP_DOMAIN_SHUTOFF)
        assert_int_equal(vp_domain_start(f->dom, 0), 0);
    if (state == VP_DOMAIN_PAUSED)
        assert_int_equal(vp_domain_suspend(f->dom, 0), 0);
    vp_snapshot *snap = NULL;
    assert_int_equal(vp_snapshot_lookup_by_name(f->dom, "s3", 0, &snap), 0);
    if (vp_snapshot_delete(snap, 0) < 0)
        fail_msg("deleting s3: %s", vp_error_last()->message);
    vp_snapshot_free(snap);
    assert_int_equal(vp_snapshot_lookup_by_name(f->dom, "s3", 0, &snap), VP_ERR_NO_SNAPSHOT);
    if (state != VP_DOMAIN_SHUTOFF) {
        int now = -1, reason = -1;
        assert_int_equal(vp_domain_get_state(f->dom, &now, &reason, 0), 0);
        assert_int_equal(now, state);
        assert_int_equal(vp_domain_destroy(f->dom, 0), 0);
    }
    _cleanup_free_ char *now = qi_def_image(f->dom);
    assert_string_equal(now, top);
    _cleanup_free_ char *intent = vp_asprintf("%s/config/ch.intent", f->root);
    assert_int_equal(access(intent, F_OK), -1);
    assert_int_equal(qi_chain_length(top), 3);
    qi_run_ok((const char *const[]){QEMU_IMG, "check", "-q", top, NULL});
    assert_patterns(top, 4);
    assert_int_equal(access(s2, F_OK), 0);
    assert_patterns(other_top, 3);
    assert_false(qi_has_pattern(other_top, 3));
    /* The domain runs on it again. */
    assert_int_equal(vp_domain_start(f->dom, 0), 0);
    assert_int_equal(vp_domain_destroy(f->dom, 0), 0);
    vp_domain_free(other);
}

static void
test_active_layer_shared_base_running(void **state)
{
    active_layer_shared_base(*state, VP_DOMAIN_RUNNING);
}

/* Paused: the stream runs with the guest stopped, which stays paused. */
static void
test_active_layer_shared_base_paused(void **state)
{
    active_layer_shared_base(*state, VP_DOMAIN_PAUSED);
}

static void
test_active_layer_shared_base_shut_off(void **state)
{
    active_layer_shared_base(*state, VP_DOMAIN_SHUTOFF);
}

int
main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_shut_off_first_middle_last, setup, teardown),
        cmocka_unit_test_setup_teardown(test_shut_off_last_first_middle, setup, teardown),
        cmocka_unit_test_setup_teardown(test_running_middle_last_first, setup, teardown),
        cmocka_unit_test_setup_teardown(test_running_last_middle_first, setup, teardown),
        cmocka_unit_test_setup_teardown(test_paused_first_last_middle, setup, teardown),
        cmocka_unit_test_setup_teardown(test_metadata_only_keeps_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_shared_base_streamed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_active_layer_shared_base_running, setup, teardown),
        cmocka_unit_test_setup_teardown(test_active_layer_shared_base_paused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_active_layer_shared_base_shut_off, setup, teardown),
    };
    return qi_tests_main(argc, argv, tests, sizeof(tests) / sizeof(tests[0]));
}
