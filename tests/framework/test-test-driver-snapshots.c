/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-test-driver-snapshots.c: the test driver's in-memory snapshots:
 * create (named by XML or by creation time), list in creation order,
 * lookup, delete, XML, the quiesce rule (refused on a domain that is not
 * running, before anything else) and flag checks.
 */
#include <config.h>

#include <time.h>

#include <virtplug/sdk/conf.h>

#include "test-test-driver-common.h"

/* Seconds of CLOCK_REALTIME, the driver's clock (time() may read a coarse
 * clock that lags it across a second boundary). */
static long
now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (long)ts.tv_sec;
}

static vp_snapshot *
create(vp_domain *dom, const char *xml, unsigned int flags)
{
    vp_snapshot *snap = NULL;
    int r = vp_snapshot_create_xml(dom, xml, flags, &snap);
    assert_ok(r);
    assert_non_null(snap);
    return snap;
}

static void
assert_snapshots(vp_domain *dom, const char *const *want)
{
    vp_snapshot **snaps = NULL;
    size_t n_want = 0;
    while (want[n_want])
        n_want++;
    assert_int_equal(vp_snapshot_list(dom, 0, &snaps), (int)n_want);
    for (size_t i = 0; i < n_want; i++)
        assert_string_equal(vp_snapshot_get_name(snaps[i]), want[i]);
    assert_null(snaps[n_want]);
    vp_snapshot_list_free(snaps);
}

static void
test_unnamed_snapshot(void **state)
{
    vp_conn *conn = open_default();
    vp_domain *dom = lookup(conn, "test");
    long before = now_s();
    vp_snapshot *a = create(dom, NULL, 0);
    vp_snapshot *b = create(dom, "", 0);
    long after = now_s();
    /* Named after the creation time in seconds, as libvirt does. */
    long t = strtol(vp_snapshot_get_name(a), NULL, 10);
    assert_true(t >= before && t <= after);
    assert_string_not_equal(vp_snapshot_get_name(a), vp_snapshot_get_name(b));
    const char *const want[] = {vp_snapshot_get_name(a), vp_snapshot_get_name(b), NULL};
    assert_snapshots(dom, want);
    vp_snapshot_free(a);
    vp_snapshot_free(b);
    vp_domain_free(dom);
    vp_conn_close(conn);
}

static void
test_lookup_delete(void **state)
{
    vp_conn *conn = open_default();
    vp_domain *dom = lookup(conn, "test");
    vp_snapshot *a = create(dom, NULL, 0);
    vp_snapshot *found = NULL;
    assert_ok(vp_snapshot_lookup_by_name(dom, vp_snapshot_get_name(a), 0, &found));
    assert_string_equal(vp_snapshot_get_name(found), vp_snapshot_get_name(a));
    vp_snapshot_free(found);
    found = NULL;
    assert_error(vp_snapshot_lookup_by_name(dom, "nosuch", 0, &found), VP_ERR_NO_SNAPSHOT,
                 "domain 'test' has no snapshot named 'nosuch'");
    assert_null(found);
    /* A domain with snapshots cannot be undefined. */
    assert_ok(vp_domain_destroy(dom, 0));
    assert_error(vp_domain_undefine(dom, 0), VP_ERR_OPERATION_INVALID, "it has 1 snapshots");
    assert_ok(vp_snapshot_delete(a, 0));
    assert_error(vp_snapshot_delete(a, 0), VP_ERR_NO_SNAPSHOT, "no snapshot named");
    char *xml = NULL;
    assert_error(vp_snapshot_get_xml(a, 0, &xml), VP_ERR_NO_SNAPSHOT, "no snapshot named");
    const char *const none[] = {NULL};
    assert_snapshots(dom, none);
    assert_ok(vp_domain_undefine(dom, 0));
    assert_error(vp_snapshot_create_xml(dom, NULL, 0, &found), VP_ERR_NO_DOMAIN,
                 "no domain named 'test'");
    vp_snapshot **snaps = NULL;
    assert_error(vp_snapshot_list(dom, 0, &snaps), VP_ERR_NO_DOMAIN, "no domain named 'test'");
    vp_snapshot_free(a);
    vp_domain_free(dom);
    vp_conn_close(conn);
}

static void
test_quiesce_refused_when_not_running(void **state)
{
    vp_conn *conn = open_default();
    vp_domain *dom = lookup(conn, "test");
    vp_snapshot *snap = NULL;
    unsigned int q = VP_SNAPSHOT_CREATE_QUIESCE | VP_SNAPSHOT_CREATE_DISK_ONLY;
    assert_ok(vp_domain_suspend(dom, 0));
    /* Refused before the XML is even read: this XML is not well-formed. */
    assert_error(vp_snapshot_create_xml(dom, "<domainsnapshot", q, &snap), VP_ERR_OPERATION_INVALID,
                 "cannot quiesce domain 'test': it is paused; resume it");
    assert_null(snap);
    assert_error(vp_snapshot_create_xml(dom, NULL, VP_SNAPSHOT_CREATE_QUIESCE, &snap),
                 VP_ERR_OPERATION_INVALID, "it is paused");
    assert_ok(vp_domain_destroy(dom, 0));
    assert_error(vp_snapshot_create_xml(dom, NULL, q, &snap), VP_ERR_OPERATION_INVALID,
                 "cannot quiesce domain 'test': it is shut off; start it");
    assert_null(snap);
    const char *const none[] = {NULL};
    assert_snapshots(dom, none); /* nothing was created */
    /* Without quiesce a paused or shut-off domain can be snapshotted. */
    snap = create(dom, NULL, VP_SNAPSHOT_CREATE_DISK_ONLY);
    char *xml = NULL;
    assert_ok(vp_snapshot_get_xml(snap, 0, &xml));
    assert_non_null(strstr(xml, "<state>shutoff</state>")); /* not disk-snapshot: libvirt's rule */
    free(xml);
    vp_snapshot_free(snap);
    /* Running again: quiesce is accepted. */
    assert_ok(vp_domain_start(dom, 0));
    snap = create(dom, NULL, q);
    vp_snapshot_free(snap);
    vp_domain_free(dom);
    vp_conn_close(conn);
}

static void
test_flags(void **state)
{
    vp_conn *conn = open_default();
    vp_domain *dom = lookup(conn, "test");
    vp_snapshot *snap = NULL;
    assert_error(vp_snapshot_create_xml(dom, NULL, 1u << 2, &snap), VP_ERR_INVALID_ARG,
                 "does not support flags 0x4");
    assert_null(snap);
    /* Unknown flags are refused before the quiesce check. */
    assert_ok(vp_domain_suspend(dom, 0));
    assert_error(vp_snapshot_create_xml(dom, NULL, VP_SNAPSHOT_CREATE_QUIESCE | 1u, &snap),
                 VP_ERR_INVALID_ARG, "flags 0x1");
    assert_ok(vp_domain_resume(dom, 0));
    snap = create(dom, NULL, 0);
    vp_snapshot **snaps = NULL;
    assert_error(vp_snapshot_list(dom, 8, &snaps), VP_ERR_INVALID_ARG, "'domain-snapshot-list'");
    vp_snapshot *found = NULL;
    assert_error(vp_snapshot_lookup_by_name(dom, vp_snapshot_get_name(snap), 2, &found),
                 VP_ERR_INVALID_ARG, "flags 0x2");
    char *xml = NULL;
    assert_error(vp_snapshot_get_xml(snap, 2, &xml), VP_ERR_INVALID_ARG, "flags 0x2");
    assert_error(vp_snapshot_delete(snap, 8), VP_ERR_INVALID_ARG, "flags 0x8");
    /* A test snapshot has no overlay files, so DELETE_OVERLAYS is fine, and
     * METADATA_ONLY (libvirt's record-only delete) is what every delete is. */
    assert_ok(vp_snapshot_delete(snap, VP_SNAPSHOT_DELETE_OVERLAYS));
    vp_snapshot_free(snap);
    snap = create(dom, NULL, 0);
    assert_ok(vp_snapshot_delete(snap, VP_SNAPSHOT_DELETE_METADATA_ONLY));
    vp_snapshot_free(snap);
    vp_domain_free(dom);
    vp_conn_close(conn);
}

static void
test_named_snapshots_xml(void **state)
{
    vp_conn *conn = open_default();
    vp_domain *dom = lookup(conn, "test");
    vp_snapshot *s1 = create(dom,
                             "<domainsnapshot><name>s1</name>"
                             "<description>first</description></domainsnapshot>",
                             0);
    vp_snapshot *s0 = create(dom, "<domainsnapshot><name>s0</name></domainsnapshot>",
                             VP_SNAPSHOT_CREATE_DISK_ONLY | VP_SNAPSHOT_CREATE_QUIESCE);
    assert_string_equal(vp_snapshot_get_name(s1), "s1");
    const char *const want[] = {"s1", "s0", NULL}; /* creation order, not sorted */
    assert_snapshots(dom, want);
    vp_snapshot *dup = NULL;
    assert_error(
        vp_snapshot_create_xml(dom, "<domainsnapshot><name>s1</name></domainsnapshot>", 0, &dup),
        VP_ERR_EXISTS, "domain 'test' already has a snapshot named 's1'");
    assert_null(dup);
    assert_error(vp_snapshot_create_xml(dom, "<domainsnapshot><bogus/></domainsnapshot>", 0, &dup),
                 VP_ERR_XML, "bogus");
    char *xml = NULL;
    assert_ok(vp_snapshot_get_xml(s1, 0, &xml));
    assert_non_null(strstr(xml, "<name>s1</name>"));
    assert_non_null(strstr(xml, "first"));
    assert_non_null(strstr(xml, "<state>running</state>"));
    assert_null(strstr(xml, "quiesced"));
    free(xml);
    assert_ok(vp_snapshot_get_xml(s0, 0, &xml));
    assert_non_null(strstr(xml, "<name>s0</name>"));
    assert_non_null(strstr(xml, "<state>disk-snapshot</state>"));
    assert_non_null(strstr(xml, "<quiesced/>"));
    /* The XML is a record the core parser reads back, as vpsh does. */
    vp_snapshot_def *def = NULL;
    assert_ok(vp_plugin_snapshot_def_parse(xml, VP_PLUGIN_SNAPSHOT_PARSE_RECORD, &def));
    assert_string_equal(def->name, "s0");
    assert_int_equal(def->state, VP_SNAPSHOT_STATE_DISK_SNAPSHOT);
    assert_true(def->quiesced);
    assert_int_equal(def->memory, VP_SNAPSHOT_LOCATION_NO);
    assert_true(def->creation_time > 0);
    vp_plugin_snapshot_def_free(def);
    free(xml);
    assert_ok(vp_snapshot_delete(s1, 0));
    const char *const left[] = {"s0", NULL};
    assert_snapshots(dom, left);
    vp_snapshot_free(s0);
    vp_snapshot_free(s1);
    vp_domain_free(dom);
    vp_conn_close(conn);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unnamed_snapshot),
        cmocka_unit_test(test_lookup_delete),
        cmocka_unit_test(test_quiesce_refused_when_not_running),
        cmocka_unit_test(test_flags),
        cmocka_unit_test(test_named_snapshots_xml),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
