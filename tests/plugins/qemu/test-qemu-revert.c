/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-qemu-revert.c: reverting to snapshots (qemu-snapshot-revert.c),
 * against real QEMU running firmware only. Each layer of a chain of three
 * disk-only snapshots holds its own data pattern (qemu-io, written while
 * the domain is shut off), so what a revert brings back is read from the
 * images: after reverting to s<i>, exactly the patterns of the layers
 * below s<i>'s overlay read back through the definition's image, the chain
 * branched (a new overlay over the image s<i> left), every other
 * snapshot's chain still reads as before, and qemu-img check is clean.
 * Reverts of shut-off, running and paused domains, the state each ends
 * in (libvirt's rules, --running, --paused, --force), reverts to any
 * snapshot of the tree, snapshots taken after a revert (children of the
 * reverted-to one), and deleting every snapshot afterwards. Internal
 * snapshots: the state the snapshot recorded, and the disk brought back
 * (a pattern written after the snapshot is gone), also from below an
 * external snapshot taken after it. Records redefined. The sweep of the
 * overlays reverts left sees every node a running QEMU holds open.
 */
#include <config.h>

#include <dirent.h>
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
#include "qemu-monitor.h"
#include "qemu-test-util.h"

typedef qi_fixture fixture;

static void
check_clean(const char *image)
{
    qi_run_ok((const char *const[]){QEMU_IMG, "check", "-q", "-U", image, NULL});
}

static char *
path_of(const fixture *f, const char *file)
{
    return vp_asprintf("%s/%s", f->root, file);
}

static void
assert_state(vp_domain *dom, int state, int reason)
{
    int s = -1, r = -1;
    assert_int_equal(vp_domain_get_state(dom, &s, &r, 0), 0);
    if (s != state || r != reason)
        fail_msg("state %d reason %d, expected %d reason %d", s, r, state, reason);
}

static void
assert_current(vp_domain *dom, const char *want)
{
    vp_snapshot *cur = NULL;
    assert_int_equal(vp_snapshot_current(dom, 0, &cur), 0);
    assert_string_equal(vp_snapshot_get_name(cur), want);
    vp_snapshot_free(cur);
}

static void
assert_parent(vp_domain *dom, const char *name, const char *want)
{
    vp_snapshot *snap = NULL, *parent = NULL;
    assert_int_equal(vp_snapshot_lookup_by_name(dom, name, 0, &snap), 0);
    assert_int_equal(vp_snapshot_get_parent(snap, 0, &parent), 0);
    assert_string_equal(vp_snapshot_get_name(parent), want);
    vp_snapshot_free(parent);
    vp_snapshot_free(snap);
}

static void
delete_ok(vp_domain *dom, const char *name)
{
    vp_snapshot *snap = NULL;
    assert_int_equal(vp_snapshot_lookup_by_name(dom, name, 0, &snap), 0);
    if (vp_snapshot_delete(snap, 0) < 0)
        fail_msg("deleting '%s': %s", name, vp_error_last()->message);
    vp_snapshot_free(snap);
}

/* A disk-only snapshot @name of the shut-off domain (started for it),
 * then pattern @layer written into its overlay. */
static void
layer(fixture *f, const char *name, int layer)
{
    assert_int_equal(vp_domain_start(f->dom, 0), 0);
    qr_snapshot(f->dom, name, VP_SNAPSHOT_CREATE_DISK_ONLY);
    assert_int_equal(vp_domain_destroy(f->dom, 0), 0);
    _cleanup_free_ char *top = qi_def_image(f->dom);
    qi_write_pattern(top, layer);
}

/* base <- ch.s1 <- ch.s2 <- ch.s3, layer i holding pattern i; shut off. */
static int
setup(void **state)
{
    fixture *f = qi_fixture_new();
    for (int i = 1; i <= 3; i++) {
        _cleanup_free_ char *name = vp_asprintf("s%d", i);
        layer(f, name, i);
    }
    _cleanup_free_ char *top = qi_def_image(f->dom);
    assert_int_equal(qi_chain_length(top), 4);
    qr_assert_layers(top, "0123");
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    qi_fixture_free(*state);
    return 0;
}

/* The overlays of the three snapshots are untouched: each still reads
 * what it read before (s3's overlay: every layer). */
static void
assert_snapshots_intact(const fixture *f)
{
    static const char *const want[] = {"01", "012", "0123"};
    for (int i = 1; i <= 3; i++) {
        _cleanup_free_ char *ov = vp_asprintf("%s/ch.s%d", f->root, i);
        check_clean(ov);
        qr_assert_layers(ov, want[i - 1]);
    }
}

/* Shut off: any snapshot of the tree; the chain branches each time. */
static void
test_shut_off_any_snapshot(void **state)
{
    fixture *f = *state;
    qr_revert_ok(f->dom, "s2", 0);
    assert_state(f->dom, VP_DOMAIN_SHUTOFF, VP_DOMAIN_SHUTOFF_DESTROYED);
    assert_current(f->dom, "s2");
    _cleanup_free_ char *top = qi_def_image(f->dom);
    _cleanup_free_ char *want = path_of(f, "ch.s2.r1");
    assert_string_equal(top, want);
    assert_int_equal(qi_chain_length(top), 3);
    check_clean(top);
    qr_assert_layers(top, "01");
    assert_snapshots_intact(f);

    /* The new branch gets data and a snapshot of its own: a child of s2. */
    qi_write_pattern(top, 4);
    layer(f, "s4", 5);
    assert_parent(f->dom, "s4", "s2");
    assert_current(f->dom, "s4");

    qr_revert_ok(f->dom, "s1", 0);
    _cleanup_free_ char *top1 = qi_def_image(f->dom);
    qr_assert_layers(top1, "0");
    qr_revert_ok(f->dom, "s3", 0);
    _cleanup_free_ char *top3 = qi_def_image(f->dom);
    qr_assert_layers(top3, "012");
    qr_revert_ok(f->dom, "s4", 0);
    _cleanup_free_ char *top4 = qi_def_image(f->dom);
    qr_assert_layers(top4, "014");
    assert_int_equal(qi_chain_length(top4), 4);
    check_clean(top4);
    assert_snapshots_intact(f);
    /* What the guest wrote after a revert is discarded by the next one:
     * an overlay a revert made goes once nothing builds on it; one a
     * snapshot builds on (ch.s2.r1, below s4) stays. */
    _cleanup_free_ char *r1 = path_of(f, "ch.s1.r1"), *r3 = path_of(f, "ch.s3.r1");
    assert_int_equal(access(r1, F_OK), -1);
    assert_int_equal(access(r3, F_OK), -1);
    assert_int_equal(access(top, F_OK), 0);
    /* Reverting twice to the same snapshot: a second new overlay. */
    qr_revert_ok(f->dom, "s4", 0);
    _cleanup_free_ char *again = qi_def_image(f->dom);
    assert_string_not_equal(again, top4);
    assert_int_equal(access(top4, F_OK), -1);
    qr_assert_layers(again, "014");
    assert_current(f->dom, "s4");
    assert_int_equal(vp_domain_start(f->dom, 0), 0);
    assert_int_equal(vp_domain_destroy(f->dom, 0), 0);
}

/* Running and paused domains: stopped (libvirt's rule for a snapshot
 * without memory), or restarted with force as the flags say. */
static void
test_running_and_paused(void **state)
{
    fixture *f = *state;
    _cleanup_free_ char *before = qi_def_image(f->dom);
    assert_int_equal(vp_domain_start(f->dom, 0), 0);
    QT_ASSERT_ERROR(qr_revert(f->dom, "s1", VP_SNAPSHOT_REVERT_RUNNING), VP_ERR_OPERATION_INVALID,
                    "must restart the guest", "force");
    assert_state(f->dom, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_BOOTED);
    _cleanup_free_ char *same = qi_def_image(f->dom);
    assert_string_equal(same, before);
    _cleanup_free_ char *r1 = path_of(f, "ch.s1.r1");
    assert_int_equal(access(r1, F_OK), -1);
    assert_current(f->dom, "s3");

    qr_revert_ok(f->dom, "s1", 0);
    assert_state(f->dom, VP_DOMAIN_SHUTOFF, VP_DOMAIN_SHUTOFF_FROM_SNAPSHOT);
    _cleanup_free_ char *top = qi_def_image(f->dom);
    assert_string_equal(top, r1);
    qr_assert_layers(top, "0");

    assert_int_equal(vp_domain_start(f->dom, 0), 0);
    qr_revert_ok(f->dom, "s2", VP_SNAPSHOT_REVERT_RUNNING | VP_SNAPSHOT_REVERT_FORCE);
    assert_state(f->dom, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_FROM_SNAPSHOT);
    assert_current(f->dom, "s2");
    assert_int_equal(vp_domain_suspend(f->dom, 0), 0);
    qr_revert_ok(f->dom, "s3", VP_SNAPSHOT_REVERT_PAUSED | VP_SNAPSHOT_REVERT_FORCE);
    assert_state(f->dom, VP_DOMAIN_PAUSED, VP_DOMAIN_PAUSED_FROM_SNAPSHOT);
    /* A snapshot of the reverted, paused domain is s3's child. */
    qr_snapshot(f->dom, "s5", VP_SNAPSHOT_CREATE_DISK_ONLY);
    assert_parent(f->dom, "s5", "s3");
    assert_int_equal(vp_domain_destroy(f->dom, 0), 0);
    _cleanup_free_ char *s5 = qi_def_image(f->dom);
    assert_int_equal(qi_chain_length(s5), 5);
    qr_assert_layers(s5, "012");
    check_clean(s5);
    assert_snapshots_intact(f);
    /* From shut off, --paused starts it paused; no force needed. */
    qr_revert_ok(f->dom, "s1", VP_SNAPSHOT_REVERT_PAUSED);
    assert_state(f->dom, VP_DOMAIN_PAUSED, VP_DOMAIN_PAUSED_FROM_SNAPSHOT);
    assert_int_equal(vp_domain_destroy(f->dom, 0), 0);
}

/* Every image file under the root is on the definition's chain. */
static void
assert_only_chain_files(const fixture *f)
{
    _cleanup_free_ char *top = qi_def_image(f->dom);
    char *out = NULL;
    assert_int_equal(
        qt_run_capture((const char *const[]){QEMU_IMG, "info", "-U", "--backing-chain", top, NULL},
                       &out),
        0);
    DIR *d = opendir(f->root);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strncmp(e->d_name, "ch.", 3) != 0)
            continue;
        _cleanup_free_ char *line = vp_asprintf("image: %s/%s\n", f->root, e->d_name);
        if (!strstr(out, line))
            fail_msg("'%s' is left, and not on the chain of '%s':\n%s", e->d_name, top, out);
    }
    closedir(d);
    free(out);
}

/* After reverts branched the chain, every snapshot can be deleted; the
 * domain's data stays, and every image left is clean. */
static void
test_delete_after_revert(void **state)
{
    fixture *f = *state;
    qr_revert_ok(f->dom, "s2", 0);
    _cleanup_free_ char *top = qi_def_image(f->dom);
    qi_write_pattern(top, 4);
    layer(f, "s4", 5);
    qr_revert_ok(f->dom, "s4", 0);
    _cleanup_free_ char *cur = qi_def_image(f->dom);
    qr_assert_layers(cur, "014");
    static const char *const order[] = {"s3", "s1", "s4", "s2"};
    for (size_t k = 0; k < 4; k++) {
        delete_ok(f->dom, order[k]);
        _cleanup_free_ char *now = qi_def_image(f->dom);
        check_clean(now);
        qr_assert_layers(now, "014");
        if (strcmp(order[k], "s1") == 0) {
            /* ch.s1 was the base of two branches: s2's, moved onto the
             * base with it, reads as before. */
            _cleanup_free_ char *s2 = path_of(f, "ch.s2");
            check_clean(s2);
            qr_assert_layers(s2, "012");
        }
    }
    /* Every overlay the deleted snapshots made is gone; what is left is
     * the chain the domain runs on. */
    assert_only_chain_files(f);
    vp_snapshot **snaps = NULL;
    assert_int_equal(vp_snapshot_list(f->dom, 0, &snaps), 0);
    vp_snapshot_list_free(snaps);
    assert_int_equal(vp_domain_start(f->dom, 0), 0);
    assert_int_equal(vp_domain_destroy(f->dom, 0), 0);
}

/* A snapshot whose base another branch shares: its overlay is copied up
 * into the images above it instead (the base never changes under the
 * other branch), while the domain runs: QMP block-stream into the image
 * it runs on, qemu-img rebase into the other branch's. */
static void
test_delete_shared_base(void **state)
{
    fixture *f = qi_fixture_new();
    *state = f;
    layer(f, "s1", 1);
    layer(f, "s2", 2);
    qr_revert_ok(f->dom, "s1", 0); /* ch.s1.r1 over the base, beside ch.s1 */
    _cleanup_free_ char *other = qi_def_image(f->dom);
    qi_write_pattern(other, 3);
    layer(f, "s3", 4);             /* ch.s1.s3 over ch.s1.r1 */
    qr_revert_ok(f->dom, "s2", 0); /* ch.s2.r1 over ch.s1 */
    _cleanup_free_ char *top = qi_def_image(f->dom);
    qr_assert_layers(top, "01");

    assert_int_equal(vp_domain_start(f->dom, 0), 0);
    _cleanup_free_ char *ch_s1 = path_of(f, "ch.s1");
    delete_ok(f->dom, "s1");
    assert_int_equal(access(ch_s1, F_OK), -1);
    assert_state(f->dom, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_BOOTED);
    assert_int_equal(vp_domain_destroy(f->dom, 0), 0);
    _cleanup_free_ char *now = qi_def_image(f->dom);
    assert_string_equal(now, top);
    assert_int_equal(qi_chain_length(now), 2);
    check_clean(now);
    qr_assert_layers(now, "01");
    _cleanup_free_ char *s2 = path_of(f, "ch.s2"), *s3 = path_of(f, "ch.s1.s3");
    check_clean(s2);
    qr_assert_layers(s2, "012");
    check_clean(s3);
    qr_assert_layers(s3, "034");
    qr_assert_layers(f->base, "0");
    /* The rest goes too, running. */
    assert_int_equal(vp_domain_start(f->dom, 0), 0);
    delete_ok(f->dom, "s3");
    delete_ok(f->dom, "s2");
    assert_int_equal(vp_domain_destroy(f->dom, 0), 0);
    _cleanup_free_ char *last = qi_def_image(f->dom);
    check_clean(last);
    qr_assert_layers(last, "01");
}

/* libvirt's --redefine: a record dropped with --metadata comes back as
 * it was, current on request, and can be reverted to. */
static void
test_redefine(void **state)
{
    fixture *f = *state;
    vp_snapshot *s3 = NULL;
    char *xml = NULL;
    assert_int_equal(vp_snapshot_lookup_by_name(f->dom, "s3", 0, &s3), 0);
    assert_int_equal(vp_snapshot_get_xml(s3, 0, &xml), 0);
    assert_int_equal(vp_snapshot_delete(s3, VP_SNAPSHOT_DELETE_METADATA_ONLY), 0);
    assert_current(f->dom, "s2");
    assert_int_equal(vp_snapshot_create_xml(f->dom, xml, VP_SNAPSHOT_CREATE_REDEFINE, NULL), 0);
    assert_current(f->dom, "s2");
    assert_parent(f->dom, "s3", "s2");
    char *again = NULL;
    assert_int_equal(vp_snapshot_get_xml(s3, 0, &again), 0);
    assert_string_equal(again, xml);
    free(again);
    assert_int_equal(
        vp_snapshot_create_xml(f->dom, xml,
                               VP_SNAPSHOT_CREATE_REDEFINE | VP_SNAPSHOT_CREATE_CURRENT, NULL),
        0);
    assert_current(f->dom, "s3");
    qr_revert_ok(f->dom, "s3", 0);
    _cleanup_free_ char *top = qi_def_image(f->dom);
    qr_assert_layers(top, "012");
    QT_ASSERT_ERROR(
        vp_snapshot_create_xml(f->dom,
                               "<domainsnapshot><name>rel</name><disks><disk name='vda' "
                               "snapshot='external'><source file='rel.qcow2'/></disk></disks>"
                               "</domainsnapshot>",
                               VP_SNAPSHOT_CREATE_REDEFINE, NULL),
        VP_ERR_XML, "rel.qcow2", "absolute");
    /* An internal record without memory state: said, not guessed. */
    assert_int_equal(vp_snapshot_create_xml(f->dom,
                                            "<domainsnapshot><name>io</name><state>shutoff</state>"
                                            "<memory snapshot='internal'/></domainsnapshot>",
                                            VP_SNAPSHOT_CREATE_REDEFINE, NULL),
                     0);
    QT_ASSERT_ERROR(qr_revert(f->dom, "io", 0), VP_ERR_NOT_SUPPORTED, "not supported yet", "'io'");
    assert_current(f->dom, "s3");
    free(xml);
    vp_snapshot_free(s3);
}

/* Internal snapshots: the recorded state, and the disk brought back. */
static void
test_internal(void **state)
{
    fixture *f = qi_fixture_new();
    *state = f;
    assert_int_equal(vp_domain_start(f->dom, 0), 0);
    qr_snapshot(f->dom, "i1", 0);
    assert_int_equal(vp_domain_suspend(f->dom, 0), 0);
    qr_snapshot(f->dom, "i2", 0);
    assert_int_equal(vp_domain_resume(f->dom, 0), 0);

    qr_revert_ok(f->dom, "i2", 0);
    assert_state(f->dom, VP_DOMAIN_PAUSED, VP_DOMAIN_PAUSED_FROM_SNAPSHOT);
    assert_current(f->dom, "i2");
    qr_revert_ok(f->dom, "i1", 0);
    assert_state(f->dom, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_FROM_SNAPSHOT);
    assert_current(f->dom, "i1");
    qr_revert_ok(f->dom, "i1", VP_SNAPSHOT_REVERT_PAUSED);
    assert_state(f->dom, VP_DOMAIN_PAUSED, VP_DOMAIN_PAUSED_FROM_SNAPSHOT);
    qr_revert_ok(f->dom, "i2", VP_SNAPSHOT_REVERT_RUNNING);
    assert_state(f->dom, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_FROM_SNAPSHOT);

    /* Shut off: started for the load; what was written since is gone. */
    assert_int_equal(vp_domain_destroy(f->dom, 0), 0);
    qi_write_pattern(f->base, 5);
    qr_assert_layers(f->base, "05");
    qr_revert_ok(f->dom, "i1", 0);
    assert_state(f->dom, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_FROM_SNAPSHOT);
    assert_int_equal(vp_domain_destroy(f->dom, 0), 0);
    qr_assert_layers(f->base, "0");
    check_clean(f->base);
    _cleanup_free_ char *intent = vp_asprintf("%s/config/ch.intent", f->root);
    assert_int_equal(access(intent, F_OK), -1);
}

/* Revert the running domain to i1: it runs from the snapshot, on the
 * base again, which reads layer 0 alone; then shut off. */
static void
revert_to_i1(fixture *f)
{
    qr_revert_ok(f->dom, "i1", 0);
    assert_state(f->dom, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_FROM_SNAPSHOT);
    assert_current(f->dom, "i1");
    assert_int_equal(vp_domain_destroy(f->dom, 0), 0);
    _cleanup_free_ char *now = qi_def_image(f->dom);
    assert_string_equal(now, f->base);
    qr_assert_layers(f->base, "0");
    check_clean(f->base);
}

static void
assert_no_intent(const fixture *f)
{
    _cleanup_free_ char *intent = vp_asprintf("%s/config/ch.intent", f->root);
    assert_int_equal(access(intent, F_OK), -1);
}

/* e1's state comes back (layers 0 1), and i1's again from there, on the
 * base; shut off. */
static void
e1_then_i1(fixture *f)
{
    qr_revert_ok(f->dom, "e1", 0);
    _cleanup_free_ char *branch = qi_def_image(f->dom);
    qr_assert_layers(branch, "01");
    qr_revert_ok(f->dom, "i1", 0);
    assert_int_equal(vp_domain_destroy(f->dom, 0), 0);
    _cleanup_free_ char *again = qi_def_image(f->dom);
    assert_string_equal(again, f->base);
    qr_assert_layers(f->base, "0");
}

/* An internal snapshot below an external one: the disk goes back onto
 * the image that holds it, whose present data the external snapshot's
 * branch keeps (a copy it is moved onto), so both stay revertible. */
static void
test_internal_below_external(void **state)
{
    fixture *f = qr_internal_fixture();
    *state = f;
    assert_int_equal(vp_domain_start(f->dom, 0), 0);
    qr_snapshot(f->dom, "e1", VP_SNAPSHOT_CREATE_DISK_ONLY); /* takes layers 0 1 */
    assert_int_equal(vp_domain_destroy(f->dom, 0), 0);
    _cleanup_free_ char *e1 = qi_def_image(f->dom);
    qi_write_pattern(e1, 2);
    assert_int_equal(vp_domain_start(f->dom, 0), 0);

    revert_to_i1(f);
    qr_assert_layers(e1, "012");
    check_clean(e1);
    assert_int_equal(qi_chain_length(e1), 2);
    assert_no_intent(f);

    /* e1's state comes back, and i1's again from there. */
    e1_then_i1(f);
    qr_assert_layers(e1, "012");
    delete_ok(f->dom, "e1");
    delete_ok(f->dom, "i1");
    qr_assert_layers(f->base, "0");
}

/* An internal snapshot whose holding image carries several branches: the
 * external snapshot's overlay, the overlay a revert made beside it, and
 * another domain's image, that domain running. Every one is moved onto
 * the copy and keeps what it read; the running domain's QEMU is moved
 * live: its guest reads the same data all along, through the copy, and
 * its QEMU no longer holds the image the load rewrote. The revert's
 * overlay the disk ran on, which then nothing reaches, is removed (it is
 * listed as one a revert made); the others, reached or the user's, stay. */
static void
test_internal_below_branches(void **state)
{
    fixture *f = qr_internal_fixture();
    *state = f;
    layer(f, "e1", 2); /* ch.e1 over the base (layers 0 1), then 2 */
    _cleanup_free_ char *e1 = qi_def_image(f->dom);
    qr_revert_ok(f->dom, "e1", 0); /* ch.e1.r1 over the base, beside ch.e1 */
    _cleanup_free_ char *r1 = qi_def_image(f->dom);
    qi_write_pattern(r1, 3);
    vp_domain *other = NULL;
    _cleanup_free_ char *oimg = qr_other_domain(f, "other", f->base, &other);
    qi_write_pattern(oimg, 4);

    /* A domain whose own disk is the holding image: refused, saying how
     * to give it an overlay first; nothing changes. */
    _cleanup_free_ char *on_held_xml =
        vp_asprintf("<domain type='qemu'><name>onheld</name><memory unit='MiB'>32</memory>"
                    "<os><type arch='x86_64' machine='pc'>hvm</type></os><devices>"
                    "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
                    "<source file='%s'/><target dev='vda' bus='virtio'/></disk></devices></domain>",
                    f->base);
    vp_domain *on_held = NULL;
    assert_int_equal(vp_domain_define_xml(f->conn, on_held_xml, 0, &on_held), 0);
    assert_true(qr_revert(f->dom, "i1", 0) < 0);
    assert_int_equal(vp_error_last()->code, VP_ERR_OPERATION_INVALID);
    if (!strstr(vp_error_last()->message, "domain 'onheld' uses it as disk 'vda'") ||
        !strstr(vp_error_last()->message, "snapshot-create-as onheld NAME --disk-only"))
        fail_msg("unexpected refusal: %s", vp_error_last()->message);
    assert_int_equal(vp_domain_undefine(on_held, 0), 0);
    vp_domain_free(on_held);
    _cleanup_free_ char *still = qi_def_image(f->dom);
    assert_string_equal(still, r1);

    assert_int_equal(vp_domain_start(f->dom, 0), 0);
    assert_int_equal(vp_domain_start(other, 0), 0);
    qr_assert_guest_layers(f, "other", "014");
    revert_to_i1(f);
    int st = -1, reason = -1;
    assert_int_equal(vp_domain_get_state(other, &st, &reason, 0), 0);
    assert_int_equal(st, VP_DOMAIN_RUNNING);
    qr_assert_guest_layers(f, "other", "014");
    _cleanup_free_ char *keep = vp_asprintf("%s.k1", f->base);
    json_object *held = qr_qemu_node_on(f, "other", f->base);
    if (held)
        fail_msg("the QEMU of 'other' still holds '%s': %s", f->base, json_object_get_string(held));
    json_object *onode = qr_qemu_node_on(f, "other", oimg), *image, *backing;
    assert_non_null(onode);
    assert_true(json_object_object_get_ex(onode, "image", &image) &&
                json_object_object_get_ex(image, "backing-image", &backing));
    assert_string_equal(json_object_get_string(json_object_object_get(backing, "filename")), keep);
    json_object_put(onode);
    const char *const moved[] = {e1, oimg};
    const char *const want[] = {"012", "014"};
    for (size_t i = 0; i < 2; i++) {
        check_clean(moved[i]);
        qr_assert_layers(moved[i], want[i]);
        if (!qr_backed_by(moved[i], keep))
            fail_msg("'%s' is not on '%s'", moved[i], keep);
    }
    /* The revert's own overlay, which nothing reaches any more, is gone;
     * the record's overlay and the other domain's image stay. */
    assert_int_equal(access(r1, F_OK), -1);
    assert_int_equal(vp_domain_destroy(other, 0), 0);
    assert_int_equal(vp_domain_start(other, 0), 0);
    qr_assert_guest_layers(f, "other", "014");
    assert_int_equal(vp_domain_destroy(other, 0), 0);
    assert_no_intent(f);

    /* Every snapshot stays revertible and deletable. */
    e1_then_i1(f);
    qr_assert_layers(oimg, "014");
    delete_ok(f->dom, "e1");
    delete_ok(f->dom, "i1");
    qr_assert_layers(oimg, "014");
    assert_int_equal(vp_domain_undefine(other, 0), 0);
    vp_domain_free(other);
}

/* A fresh fixture (in *@state) with s1 taken and reverted to: the disk
 * on ch.s1.r1 over the base, which is returned. (transfer full) */
static char *
reverted_once(void **state, fixture **ret_f)
{
    fixture *f = qi_fixture_new();
    *state = *ret_f = f;
    layer(f, "s1", 1);
    qr_revert_ok(f->dom, "s1", 0);
    return qi_def_image(f->dom);
}

/* The overlay a revert made stays while anything is built on it: the
 * chain of a record, and also a file beside it that a metadata-only
 * delete left (redefining the record brings the snapshot back). A
 * revert's overlay nothing reaches goes; the user's base never does. */
static void
test_revert_overlay_swept(void **state)
{
    fixture *f = NULL;
    _cleanup_free_ char *r1 = reverted_once(state, &f); /* ch.s1.r1 over the base */
    qi_write_pattern(r1, 2);
    layer(f, "s2", 3); /* s2's overlay over ch.s1.r1 */
    _cleanup_free_ char *s2_overlay = qi_def_image(f->dom);
    qr_revert_ok(f->dom, "s1", 0); /* ch.s1.r2: ch.s1.r1 stays for s2 */
    assert_int_equal(access(r1, F_OK), 0);

    vp_snapshot *s2 = NULL;
    char *xml = NULL;
    assert_int_equal(vp_snapshot_lookup_by_name(f->dom, "s2", 0, &s2), 0);
    assert_int_equal(vp_snapshot_get_xml(s2, 0, &xml), 0);
    assert_int_equal(vp_snapshot_delete(s2, VP_SNAPSHOT_DELETE_METADATA_ONLY), 0);
    vp_snapshot_free(s2);
    /* A sweep: s2's overlay, which no record names now, needs ch.s1.r1;
     * ch.s1.r2, which the disk ran on, goes. */
    qr_revert_ok(f->dom, "s1", 0);
    _cleanup_free_ char *s1_r2 = path_of(f, "ch.s1.r2");
    assert_int_equal(access(s1_r2, F_OK), -1);
    assert_int_equal(access(r1, F_OK), 0);
    qr_assert_layers(s2_overlay, "023");
    assert_int_equal(vp_snapshot_create_xml(f->dom, xml, VP_SNAPSHOT_CREATE_REDEFINE, NULL), 0);
    free(xml);
    qr_revert_ok(f->dom, "s2", 0);
    _cleanup_free_ char *back = qi_def_image(f->dom);
    qr_assert_layers(back, "02");
    _cleanup_free_ char *s1_r3 = path_of(f, "ch.s1.r3");
    assert_int_equal(access(s1_r3, F_OK), -1); /* the revert's, left: gone */

    /* s2's overlay goes with s2; ch.s1.r1 stays under the definition's. */
    delete_ok(f->dom, "s2");
    assert_int_equal(access(s2_overlay, F_OK), -1);
    assert_int_equal(access(r1, F_OK), 0);
    _cleanup_free_ char *now = qi_def_image(f->dom);
    qr_assert_layers(now, "02");
    check_clean(now);
    assert_int_equal(access(f->base, F_OK), 0);
}

/* A revert's overlay no chain reaches, but that a running QEMU holds open
 * in a node outside every disk's chain (as a block job or a killed caller
 * may leave one), is not removed while that node is there; once it is
 * gone, the next sweep removes it. */
static void
test_sweep_sees_open_node(void **state)
{
    fixture *f = NULL;
    _cleanup_free_ char *r1 = reverted_once(state, &f); /* ch.s1.r1 over the base */
    _cleanup_free_ char *unrelated = path_of(f, "unrelated.qcow2");
    qi_run_ok(
        (const char *const[]){QEMU_IMG, "create", "-q", "-f", "qcow2", unrelated, "1M", NULL});
    vp_domain *other = NULL;
    _cleanup_free_ char *oimg = qr_other_domain(f, "other", unrelated, &other);
    assert_int_equal(vp_domain_start(other, 0), 0);
    _cleanup_free_ char *add = vp_asprintf(
        "{\"driver\":\"qcow2\",\"node-name\":\"held\",\"read-only\":true,"
        "\"file\":{\"driver\":\"file\",\"filename\":\"%s\",\"node-name\":\"held-file\"}}",
        r1);
    qr_qmp_ok(f, "other", "blockdev-add", add);

    qr_revert_ok(f->dom, "s1", 0); /* ch.s1.r2: the sweep finds ch.s1.r1 held */
    _cleanup_free_ char *r2 = qi_def_image(f->dom);
    if (access(r1, F_OK) < 0)
        fail_msg("'%s' was removed while the QEMU of 'other' held it open", r1);
    /* Its file node, made with it, goes with it. */
    qr_qmp_ok(f, "other", "blockdev-del", "{\"node-name\":\"held\"}");
    qr_revert_ok(f->dom, "s1", 0); /* ch.s1.r3: ch.s1.r1 and ch.s1.r2 go */
    assert_int_equal(access(r1, F_OK), -1);
    assert_int_equal(access(r2, F_OK), -1);
    assert_int_equal(access(f->base, F_OK), 0);
    assert_int_equal(vp_domain_destroy(other, 0), 0);
    assert_int_equal(access(oimg, F_OK), 0);
    assert_int_equal(vp_domain_undefine(other, 0), 0);
    vp_domain_free(other);
}

int
main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_shut_off_any_snapshot, setup, teardown),
        cmocka_unit_test_setup_teardown(test_running_and_paused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_delete_after_revert, setup, teardown),
        cmocka_unit_test_setup_teardown(test_redefine, setup, teardown),
        cmocka_unit_test_teardown(test_delete_shared_base, teardown),
        cmocka_unit_test_teardown(test_internal, teardown),
        cmocka_unit_test_teardown(test_internal_below_external, teardown),
        cmocka_unit_test_teardown(test_internal_below_branches, teardown),
        cmocka_unit_test_teardown(test_revert_overlay_swept, teardown),
        cmocka_unit_test_teardown(test_sweep_sees_open_node, teardown),
    };
    return qi_tests_main(argc, argv, tests, sizeof(tests) / sizeof(tests[0]));
}
