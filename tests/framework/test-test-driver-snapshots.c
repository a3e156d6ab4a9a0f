/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-test-driver-snapshots.c: the test driver's in-memory snapshots:
 * create (named by XML or by creation time), list in creation order,
 * lookup, delete, XML, the quiesce rule (refused on a domain that is not
 * running, before anything else) and flag checks; and the tree: each
 * snapshot's parent (the current one when it was taken), the current
 * snapshot after create and delete, children and descendants, and the
 * children of a deleted snapshot handed to its parent; and revert, with
 * libvirt's test-driver semantics: the state the snapshot recorded or the
 * one the flags ask for, the force rule, and the tree branching from the
 * reverted-to snapshot; and redefine (records imported as they are).
 */
#include <config.h>

#include <time.h>

#include <virtplug/sdk/alloc.h>
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
    assert_error(vp_snapshot_create_xml(dom, NULL, VP_SNAPSHOT_CREATE_QUIESCE | (1u << 3), &snap),
                 VP_ERR_INVALID_ARG, "flags 0x8");
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

static vp_snapshot *
create_named(vp_domain *dom, const char *name)
{
    _cleanup_free_ char *xml =
        vp_asprintf("<domainsnapshot><name>%s</name></domainsnapshot>", name);
    return create(dom, xml, 0);
}

/* The name of @dom's current snapshot, or NULL when it has none. */
static char *
current_name(vp_domain *dom)
{
    vp_snapshot *cur = NULL;
    int r = vp_snapshot_current(dom, 0, &cur);
    if (r == VP_ERR_NO_SNAPSHOT) {
        assert_non_null(strstr(vp_error_last()->message, "domain 'test' has no current snapshot"));
        return NULL;
    }
    assert_ok(r);
    char *name = vp_strdup(vp_snapshot_get_name(cur));
    vp_snapshot_free(cur);
    return name;
}

static void
assert_current(vp_domain *dom, const char *want)
{
    _cleanup_free_ char *got = current_name(dom);
    if (!want)
        assert_null(got);
    else
        assert_string_equal(got, want);
}

static void
assert_parent(vp_snapshot *snap, const char *want)
{
    vp_snapshot *parent = NULL;
    if (!want) {
        _cleanup_free_ char *msg =
            vp_asprintf("snapshot '%s' has no parent", vp_snapshot_get_name(snap));
        assert_error(vp_snapshot_get_parent(snap, 0, &parent), VP_ERR_NO_SNAPSHOT, msg);
        assert_null(parent);
        return;
    }
    assert_ok(vp_snapshot_get_parent(snap, 0, &parent));
    assert_string_equal(vp_snapshot_get_name(parent), want);
    vp_snapshot_free(parent);
}

/* @want: the names, space-separated, in list order ("" for none). */
static void
assert_children(vp_snapshot *snap, unsigned int flags, const char *want)
{
    vp_snapshot **kids = NULL;
    int n = vp_snapshot_list_children(snap, flags, &kids);
    assert_true(n >= 0);
    _cleanup_free_ char *got = vp_strdup("");
    for (int i = 0; i < n; i++) {
        char *more = vp_asprintf("%s%s%s", got, i ? " " : "", vp_snapshot_get_name(kids[i]));
        free(got);
        got = more;
    }
    assert_null(kids[n]);
    assert_string_equal(got, want);
    vp_snapshot_list_free(kids);
}

static void
test_tree_chain(void **state)
{
    vp_conn *conn = open_default();
    vp_domain *dom = lookup(conn, "test");
    assert_current(dom, NULL);
    vp_snapshot *a = create_named(dom, "a");
    assert_current(dom, "a");
    vp_snapshot *b = create_named(dom, "b");
    assert_current(dom, "b");
    vp_snapshot *c = create_named(dom, "c");
    assert_current(dom, "c");
    assert_parent(a, NULL);
    assert_parent(b, "a");
    assert_parent(c, "b");
    assert_int_equal(vp_snapshot_is_current(a, 0), 0);
    assert_int_equal(vp_snapshot_is_current(c, 0), 1);
    assert_children(a, 0, "b");
    assert_children(a, VP_SNAPSHOT_LIST_DESCENDANTS, "b c");
    assert_children(c, VP_SNAPSHOT_LIST_DESCENDANTS, "");
    /* The record says so, in libvirt's spelling. */
    _cleanup_free_ char *xml = NULL;
    assert_ok(vp_snapshot_get_xml(c, 0, &xml));
    assert_non_null(strstr(xml, "  <parent>\n    <name>b</name>\n  </parent>\n"));

    /* The middle one goes: its child gets its parent; the current stays. */
    assert_ok(vp_snapshot_delete(b, 0));
    assert_parent(c, "a");
    assert_children(a, 0, "c");
    assert_current(dom, "c");
    assert_error(vp_snapshot_is_current(b, 0), VP_ERR_NO_SNAPSHOT, "no snapshot named 'b'");
    assert_error(vp_snapshot_get_parent(b, 0, &(vp_snapshot *){NULL}), VP_ERR_NO_SNAPSHOT,
                 "no snapshot named 'b'");
    /* The current one goes: its parent is current, and parents the next. */
    assert_ok(vp_snapshot_delete(c, 0));
    assert_current(dom, "a");
    assert_int_equal(vp_snapshot_is_current(a, 0), 1);
    vp_snapshot *d = create_named(dom, "d");
    assert_parent(d, "a");
    /* A root goes: its children become roots; the current one was not it. */
    assert_ok(vp_snapshot_delete(a, 0));
    assert_parent(d, NULL);
    assert_current(dom, "d");
    assert_ok(vp_snapshot_delete(d, 0));
    assert_current(dom, NULL);
    vp_snapshot *e = create_named(dom, "e");
    assert_parent(e, NULL);
    vp_snapshot_free(a);
    vp_snapshot_free(b);
    vp_snapshot_free(c);
    vp_snapshot_free(d);
    vp_snapshot_free(e);
    vp_domain_free(dom);
    vp_conn_close(conn);
}

static void
test_tree_errors(void **state)
{
    vp_conn *conn = open_default();
    vp_domain *dom = lookup(conn, "test");
    vp_snapshot *a = create_named(dom, "a"), *found = NULL;
    vp_snapshot **kids = NULL;
    /* The driver sets the parent: a request may not. */
    assert_error(
        vp_snapshot_create_xml(
            dom, "<domainsnapshot><parent><name>a</name></parent></domainsnapshot>", 0, &found),
        VP_ERR_XML, "<parent> is set by the driver");
    assert_error(vp_snapshot_current(dom, 4, &found), VP_ERR_INVALID_ARG, "flags 0x4");
    assert_error(vp_snapshot_is_current(a, 4), VP_ERR_INVALID_ARG, "flags 0x4");
    assert_error(vp_snapshot_get_parent(a, 4, &found), VP_ERR_INVALID_ARG, "flags 0x4");
    assert_error(vp_snapshot_list_children(a, 2, &kids), VP_ERR_INVALID_ARG, "flags 0x2");
    assert_error(vp_snapshot_current(NULL, 0, &found), VP_ERR_INVALID_ARG, "dom");
    assert_error(vp_snapshot_current(dom, 0, NULL), VP_ERR_INVALID_ARG, "ret_snap");
    assert_error(vp_snapshot_is_current(NULL, 0), VP_ERR_INVALID_ARG, "snap");
    assert_error(vp_snapshot_get_parent(a, 0, NULL), VP_ERR_INVALID_ARG, "ret_parent");
    assert_error(vp_snapshot_list_children(a, 0, NULL), VP_ERR_INVALID_ARG, "ret_snaps");
    assert_null(found);
    assert_null(kids);
    vp_snapshot_free(a);
    vp_domain_free(dom);
    vp_conn_close(conn);
}

static vp_snapshot *
create_flags(vp_domain *dom, const char *name, unsigned int flags)
{
    _cleanup_free_ char *xml =
        vp_asprintf("<domainsnapshot><name>%s</name></domainsnapshot>", name);
    return create(dom, xml, flags);
}

static void
test_revert_states(void **state)
{
    vp_conn *conn = open_default();
    vp_domain *dom = lookup(conn, "test");
    assert_state(dom, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_BOOTED);
    vp_snapshot *run = create_flags(dom, "run", 0);
    vp_snapshot *disk = create_flags(dom, "disk", VP_SNAPSHOT_CREATE_DISK_ONLY);
    assert_ok(vp_domain_suspend(dom, 0));
    vp_snapshot *paused = create_flags(dom, "paused", 0);
    assert_ok(vp_domain_destroy(dom, 0));
    vp_snapshot *off = create_flags(dom, "off", 0);

    /* Memory state: the state it was taken in, from snapshot. */
    assert_ok(vp_snapshot_revert(run, 0));
    assert_state(dom, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_FROM_SNAPSHOT);
    assert_current(dom, "run");
    assert_ok(vp_snapshot_revert(paused, 0));
    assert_state(dom, VP_DOMAIN_PAUSED, VP_DOMAIN_PAUSED_FROM_SNAPSHOT);
    assert_current(dom, "paused");
    assert_ok(vp_snapshot_revert(paused, VP_SNAPSHOT_REVERT_RUNNING));
    assert_state(dom, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_FROM_SNAPSHOT);
    assert_ok(vp_snapshot_revert(run, VP_SNAPSHOT_REVERT_PAUSED));
    assert_state(dom, VP_DOMAIN_PAUSED, VP_DOMAIN_PAUSED_FROM_SNAPSHOT);

    /* No memory state: a running domain stops; asking it to run again
     * restarts the guest, which needs force. */
    assert_error(vp_snapshot_revert(disk, VP_SNAPSHOT_REVERT_RUNNING), VP_ERR_OPERATION_INVALID,
                 "must restart the guest");
    assert_state(dom, VP_DOMAIN_PAUSED, VP_DOMAIN_PAUSED_FROM_SNAPSHOT);
    assert_current(dom, "run");
    assert_ok(vp_snapshot_revert(disk, VP_SNAPSHOT_REVERT_RUNNING | VP_SNAPSHOT_REVERT_FORCE));
    assert_state(dom, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_FROM_SNAPSHOT);
    assert_current(dom, "disk");
    assert_ok(vp_snapshot_revert(disk, 0));
    assert_state(dom, VP_DOMAIN_SHUTOFF, VP_DOMAIN_SHUTOFF_FROM_SNAPSHOT);
    assert_ok(vp_domain_start(dom, 0));
    assert_ok(vp_snapshot_revert(off, 0));
    assert_state(dom, VP_DOMAIN_SHUTOFF, VP_DOMAIN_SHUTOFF_FROM_SNAPSHOT);
    /* Shut off to shut off: nothing changes but the current snapshot. */
    assert_ok(vp_domain_start(dom, 0));
    assert_ok(vp_domain_destroy(dom, 0));
    assert_ok(vp_snapshot_revert(disk, 0));
    assert_state(dom, VP_DOMAIN_SHUTOFF, VP_DOMAIN_SHUTOFF_DESTROYED);
    assert_current(dom, "disk");
    /* From shut off, the flags start it; no force needed. */
    assert_ok(vp_snapshot_revert(off, VP_SNAPSHOT_REVERT_PAUSED));
    assert_state(dom, VP_DOMAIN_PAUSED, VP_DOMAIN_PAUSED_FROM_SNAPSHOT);
    assert_int_equal(vp_conn_num_of_domains(conn), 1);
    assert_ok(vp_snapshot_revert(off, 0));
    assert_int_equal(vp_conn_num_of_domains(conn), 0);

    vp_snapshot_free(run);
    vp_snapshot_free(disk);
    vp_snapshot_free(paused);
    vp_snapshot_free(off);
    vp_domain_free(dom);
    vp_conn_close(conn);
}

static void
test_revert_branches(void **state)
{
    vp_conn *conn = open_default();
    vp_domain *dom = lookup(conn, "test");
    vp_snapshot *a = create_named(dom, "a");
    vp_snapshot *b = create_named(dom, "b");
    vp_snapshot *c = create_named(dom, "c");
    assert_ok(vp_snapshot_revert(a, 0));
    assert_current(dom, "a");
    assert_int_equal(vp_snapshot_is_current(a, 0), 1);
    assert_int_equal(vp_snapshot_is_current(c, 0), 0);
    /* The next snapshot is a's child, beside b: the tree branches. */
    vp_snapshot *d = create_named(dom, "d");
    assert_parent(d, "a");
    assert_children(a, 0, "b d");
    assert_children(a, VP_SNAPSHOT_LIST_DESCENDANTS, "b c d");
    /* Any snapshot of the tree, and deleting any afterwards. */
    assert_ok(vp_snapshot_revert(c, 0));
    assert_current(dom, "c");
    assert_ok(vp_snapshot_delete(a, 0));
    assert_parent(b, NULL);
    assert_parent(d, NULL);
    assert_ok(vp_snapshot_delete(c, 0));
    assert_current(dom, "b");

    vp_snapshot *gone = NULL;
    assert_ok(vp_snapshot_lookup_by_name(dom, "d", 0, &gone));
    assert_ok(vp_snapshot_delete(gone, 0));
    assert_error(vp_snapshot_revert(gone, 0), VP_ERR_NO_SNAPSHOT, "no snapshot named 'd'");
    assert_error(vp_snapshot_revert(b, VP_SNAPSHOT_REVERT_RUNNING | VP_SNAPSHOT_REVERT_PAUSED),
                 VP_ERR_INVALID_ARG, "both running and paused");
    assert_error(vp_snapshot_revert(b, 8), VP_ERR_INVALID_ARG, "0x8");
    assert_error(vp_snapshot_revert(NULL, 0), VP_ERR_INVALID_ARG, "snap");
    assert_current(dom, "b");
    vp_snapshot_free(gone);
    vp_snapshot_free(a);
    vp_snapshot_free(b);
    vp_snapshot_free(c);
    vp_snapshot_free(d);
    vp_domain_free(dom);
    vp_conn_close(conn);
}

/* libvirt's --redefine: records imported as they are, the current one
 * set on request, the tree kept a tree. */
static void
test_redefine(void **state)
{
    vp_conn *conn = open_default();
    vp_domain *dom = lookup(conn, "test");
    vp_snapshot *a = create_named(dom, "a"), *b = create_named(dom, "b"), *got = NULL;
    static const char rec_x[] = "<domainsnapshot><name>x</name><state>shutoff</state>"
                                "<parent><name>a</name></parent>"
                                "<creationTime>1700000000</creationTime></domainsnapshot>";
    assert_ok(vp_snapshot_create_xml(dom, rec_x, VP_SNAPSHOT_CREATE_REDEFINE, &got));
    assert_string_equal(vp_snapshot_get_name(got), "x");
    vp_snapshot_free(got);
    assert_current(dom, "b"); /* unchanged without the current flag */
    assert_ok(vp_snapshot_lookup_by_name(dom, "x", 0, &got));
    assert_parent(got, "a");
    assert_children(a, 0, "b x");
    _cleanup_free_ char *xml = NULL;
    assert_ok(vp_snapshot_get_xml(got, 0, &xml));
    assert_non_null(strstr(xml, "<creationTime>1700000000</creationTime>"));
    assert_non_null(strstr(xml, "<state>shutoff</state>"));
    /* A record of the same name is replaced; current on request. */
    assert_ok(vp_snapshot_create_xml(
        dom, "<domainsnapshot><name>x</name><description>new</description></domainsnapshot>",
        VP_SNAPSHOT_CREATE_REDEFINE | VP_SNAPSHOT_CREATE_CURRENT, NULL));
    assert_current(dom, "x");
    assert_parent(got, NULL);
    assert_snapshots(dom, (const char *const[]){"a", "b", "x", NULL});
    /* What the tree forbids. */
    assert_error(
        vp_snapshot_create_xml(dom,
                               "<domainsnapshot><name>a</name><parent><name>b</name></parent>"
                               "</domainsnapshot>",
                               VP_SNAPSHOT_CREATE_REDEFINE, NULL),
        VP_ERR_INVALID_ARG, "its own ancestor");
    assert_error(
        vp_snapshot_create_xml(dom,
                               "<domainsnapshot><name>y</name><parent><name>nosuch</name></parent>"
                               "</domainsnapshot>",
                               VP_SNAPSHOT_CREATE_REDEFINE, NULL),
        VP_ERR_INVALID_ARG, "parent 'nosuch' of snapshot 'y' does not exist");
    assert_error(
        vp_snapshot_create_xml(dom, "<domainsnapshot/>", VP_SNAPSHOT_CREATE_REDEFINE, NULL),
        VP_ERR_XML, "needs its <name>");
    assert_error(vp_snapshot_create_xml(dom, NULL, VP_SNAPSHOT_CREATE_CURRENT, NULL),
                 VP_ERR_INVALID_ARG, "only goes with redefine");
    assert_parent(a, NULL);
    vp_snapshot_free(got);
    vp_snapshot_free(a);
    vp_snapshot_free(b);
    vp_domain_free(dom);
    vp_conn_close(conn);
}

/* A record redefined from libvirt holds the domain's definition: kept and
 * given back when it is a valid definition of this very domain. */
static void
test_redefine_with_domain(void **state)
{
    vp_conn *conn = open_default();
    vp_domain *dom = lookup(conn, "test");
#define SNAP_WITH(dom_xml)                                                                         \
    "<domainsnapshot><name>imported</name><state>shutoff</state>"                                  \
    "<creationTime>1700000000</creationTime>" dom_xml "</domainsnapshot>"
    static const char good[] = SNAP_WITH(
        "<domain type='test'><name>test</name><uuid>6695eb01-f6a4-8304-79aa-97f2502e193f</uuid>"
        "<memory unit='MiB'>8</memory><os><type>hvm</type></os></domain>");
    assert_ok(vp_snapshot_create_xml(dom, good, VP_SNAPSHOT_CREATE_REDEFINE, NULL));
    vp_snapshot *got = NULL;
    assert_ok(vp_snapshot_lookup_by_name(dom, "imported", 0, &got));
    _cleanup_free_ char *xml = NULL;
    assert_ok(vp_snapshot_get_xml(got, 0, &xml));
    assert_non_null(strstr(xml, "<domain type=\"test\"><name>test</name>"));
    vp_snapshot_free(got);
    assert_error(vp_snapshot_create_xml(
                     dom,
                     SNAP_WITH("<domain type='test'><name>other</name><memory unit='MiB'>8</memory>"
                               "<os><type>hvm</type></os></domain>"),
                     VP_SNAPSHOT_CREATE_REDEFINE, NULL),
                 VP_ERR_INVALID_ARG, "defines domain 'other', not 'test'");
    assert_error(vp_snapshot_create_xml(
                     dom,
                     SNAP_WITH("<domain type='test'><name>test</name>"
                               "<uuid>00000000-0000-0000-0000-000000000001</uuid>"
                               "<memory unit='MiB'>8</memory><os><type>hvm</type></os></domain>"),
                     VP_SNAPSHOT_CREATE_REDEFINE, NULL),
                 VP_ERR_INVALID_ARG, "has uuid '00000000-0000-0000-0000-000000000001'");
    assert_error(vp_snapshot_create_xml(dom,
                                        SNAP_WITH("<domain type='test'><name>test</name>"
                                                  "<bogus/></domain>"),
                                        VP_SNAPSHOT_CREATE_REDEFINE, NULL),
                 VP_ERR_XML, "the <domain> of snapshot 'imported'");
#undef SNAP_WITH
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
        cmocka_unit_test(test_tree_chain),
        cmocka_unit_test(test_tree_errors),
        cmocka_unit_test(test_revert_states),
        cmocka_unit_test(test_revert_branches),
        cmocka_unit_test(test_redefine),
        cmocka_unit_test(test_redefine_with_domain),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
