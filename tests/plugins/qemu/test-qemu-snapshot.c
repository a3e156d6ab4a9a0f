/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-qemu-snapshot.c: the driver's snapshot slots (qemu-snapshot.c)
 * against real QEMU running firmware only (no guest OS, so no agent):
 * internal snapshots through the snapshot-save/-delete jobs (checked with
 * qemu-img), disk-only external snapshots and their overlay chain (checked
 * with qemu-img info), records written only for snapshots QEMU took, the
 * quiesce refusals that happen before anything is sent, and delete with
 * and without overlays; the tree (parents, the current snapshot, children
 * handed to the parent of a deleted snapshot) with internal and disk-only
 * chains. Quiesce with a real agent is in test-qemu-guest.c.
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

#include "qemu-test-util.h"

typedef struct fixture {
    char *root;
    vp_conn *conn;
    vp_domain *dom;
    char *disk;
} fixture;

static int
setup(void **state)
{
    fixture *f = vp_new0(fixture, 1);
    f->root = qt_root_new();
    f->disk = vp_asprintf("%s/disk.qcow2", f->root);
    assert_int_equal(qt_run_capture((const char *const[]){QEMU_IMG, "create", "-q", "-f", "qcow2",
                                                          f->disk, "16M", NULL},
                                    NULL),
                     0);
    _cleanup_free_ char *uri = qt_uri(f->root, "agent_timeout_ms=1000");
    assert_int_equal(vp_conn_open(uri, 0, &f->conn), 0);
    _cleanup_free_ char *xml = vp_asprintf(
        "<domain type='qemu'><name>snap</name><memory unit='MiB'>32</memory>"
        "<os><type arch='x86_64' machine='pc'>hvm</type></os><devices>"
        "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
        "<source file='%s'/><target dev='vda' bus='virtio'/></disk>"
        "<channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>"
        "</devices></domain>",
        f->disk);
    assert_int_equal(vp_domain_define_xml(f->conn, xml, 0, &f->dom), 0);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    fixture *f = *state;
    vp_domain_free(f->dom);
    vp_conn_close(f->conn);
    qt_root_destroy(f->root);
    free(f->disk);
    free(f);
    return 0;
}

static char *
img_output(const char *const *argv)
{
    char *out = NULL;
    assert_int_equal(qt_run_capture(argv, &out), 0);
    return out;
}

static char *
snapshot_xml(vp_domain *dom, const char *name)
{
    vp_snapshot *snap = NULL;
    assert_int_equal(vp_snapshot_lookup_by_name(dom, name, 0, &snap), 0);
    char *xml = NULL;
    assert_int_equal(vp_snapshot_get_xml(snap, 0, &xml), 0);
    vp_snapshot_free(snap);
    return xml;
}

static bool
record_exists(const fixture *f, const char *name)
{
    _cleanup_free_ char *path = vp_asprintf("%s/config/snap.snapshots/%s.xml", f->root, name);
    return access(path, F_OK) == 0;
}

static void
test_internal_snapshot(void **state)
{
    fixture *f = *state;
    assert_int_equal(vp_domain_start(f->dom, 0), 0);
    vp_snapshot *snap = NULL;
    assert_int_equal(vp_snapshot_create_xml(f->dom,
                                            "<domainsnapshot><name>s1</name>"
                                            "<description>first</description></domainsnapshot>",
                                            0, &snap),
                     0);
    assert_string_equal(vp_snapshot_get_name(snap), "s1");
    assert_true(record_exists(f, "s1"));
    _cleanup_free_ char *list =
        img_output((const char *const[]){QEMU_IMG, "snapshot", "-U", "-l", f->disk, NULL});
    assert_non_null(strstr(list, "s1"));

    _cleanup_free_ char *xml = snapshot_xml(f->dom, "s1");
    assert_non_null(strstr(xml, "<name>s1</name>"));
    assert_non_null(strstr(xml, "first"));
    assert_non_null(strstr(xml, "running"));
    assert_non_null(strstr(xml, "internal"));

    QT_ASSERT_ERROR(
        vp_snapshot_create_xml(f->dom, "<domainsnapshot><name>s1</name></domainsnapshot>", 0, NULL),
        VP_ERR_EXISTS, "'s1'");
    QT_ASSERT_ERROR(vp_domain_undefine(f->dom, 0), VP_ERR_OPERATION_INVALID, "running");

    vp_snapshot **snaps = NULL;
    assert_int_equal(vp_snapshot_list(f->dom, 0, &snaps), 1);
    assert_string_equal(vp_snapshot_get_name(snaps[0]), "s1");
    vp_snapshot_list_free(snaps);

    assert_int_equal(vp_snapshot_delete(snap, 0), 0);
    assert_false(record_exists(f, "s1"));
    _cleanup_free_ char *after =
        img_output((const char *const[]){QEMU_IMG, "snapshot", "-U", "-l", f->disk, NULL});
    assert_null(strstr(after, "s1"));
    QT_ASSERT_ERROR(vp_snapshot_lookup_by_name(f->dom, "s1", 0, &snap), VP_ERR_NO_SNAPSHOT, "'s1'");
    vp_snapshot_free(snap);
    assert_int_equal(vp_domain_destroy(f->dom, 0), 0);
}

static void
test_internal_snapshot_deleted_offline(void **state)
{
    fixture *f = *state;
    assert_int_equal(vp_domain_start(f->dom, 0), 0);
    assert_int_equal(vp_snapshot_create_xml(
                         f->dom, "<domainsnapshot><name>off</name></domainsnapshot>", 0, NULL),
                     0);
    assert_int_equal(vp_domain_destroy(f->dom, 0), 0);
    QT_ASSERT_ERROR(vp_domain_undefine(f->dom, 0), VP_ERR_OPERATION_INVALID, "snapshot");
    QT_ASSERT_ERROR(vp_snapshot_create_xml(f->dom, NULL, 0, NULL), VP_ERR_OPERATION_INVALID,
                    "'snap'", "shut off");
    vp_snapshot *snap = NULL;
    assert_int_equal(vp_snapshot_lookup_by_name(f->dom, "off", 0, &snap), 0);
    assert_int_equal(vp_snapshot_delete(snap, 0), 0);
    vp_snapshot_free(snap);
    _cleanup_free_ char *list =
        img_output((const char *const[]){QEMU_IMG, "snapshot", "-l", f->disk, NULL});
    assert_null(strstr(list, "off"));
    assert_int_equal(vp_domain_undefine(f->dom, 0), 0);
}

static void
test_external_chain(void **state)
{
    fixture *f = *state;
    assert_int_equal(vp_domain_start(f->dom, 0), 0);
    assert_int_equal(vp_snapshot_create_xml(f->dom,
                                            "<domainsnapshot><name>e1</name></domainsnapshot>",
                                            VP_SNAPSHOT_CREATE_DISK_ONLY, NULL),
                     0);
    _cleanup_free_ char *ov1 = vp_asprintf("%s/disk.e1", f->root);
    _cleanup_free_ char *info1 =
        img_output((const char *const[]){QEMU_IMG, "info", "-U", ov1, NULL});
    assert_non_null(strstr(info1, f->disk)); /* backing file: the base */
    /* The second overlay goes on top of the first (the current top node). */
    assert_int_equal(vp_snapshot_create_xml(f->dom,
                                            "<domainsnapshot><name>e2</name></domainsnapshot>",
                                            VP_SNAPSHOT_CREATE_DISK_ONLY, NULL),
                     0);
    _cleanup_free_ char *ov2 = vp_asprintf("%s/disk.e2", f->root);
    _cleanup_free_ char *info2 =
        img_output((const char *const[]){QEMU_IMG, "info", "-U", ov2, NULL});
    assert_non_null(strstr(info2, ov1));

    _cleanup_free_ char *dom_xml = NULL;
    assert_int_equal(vp_domain_get_xml(f->dom, 0, &dom_xml), 0);
    assert_non_null(strstr(dom_xml, ov2)); /* the next start uses the overlay */
    _cleanup_free_ char *xml = snapshot_xml(f->dom, "e2");
    assert_non_null(strstr(xml, "disk-snapshot"));
    assert_non_null(strstr(xml, "external"));
    assert_non_null(strstr(xml, ov2));

    vp_snapshot **snaps = NULL;
    assert_int_equal(vp_snapshot_list(f->dom, 0, &snaps), 2);
    assert_string_equal(vp_snapshot_get_name(snaps[0]), "e1");
    QT_ASSERT_ERROR(vp_snapshot_delete(snaps[0], VP_SNAPSHOT_DELETE_OVERLAYS),
                    VP_ERR_OPERATION_INVALID, "'e1'", "running");
    assert_int_equal(access(ov1, F_OK), 0);
    assert_int_equal(vp_domain_destroy(f->dom, 0), 0);
    QT_ASSERT_ERROR(vp_snapshot_delete(snaps[1], VP_SNAPSHOT_DELETE_OVERLAYS),
                    VP_ERR_OPERATION_INVALID, ov2, "uses it");
    QT_ASSERT_ERROR(vp_snapshot_delete(snaps[0], VP_SNAPSHOT_DELETE_OVERLAYS),
                    VP_ERR_OPERATION_INVALID, "'e2'", "delete it first");
    /* Without a flag e2 is merged: its overlay folds into e1's, which the
     * definition names from then on. */
    if (vp_snapshot_delete(snaps[1], 0) < 0)
        fail_msg("merging e2: %s", vp_error_last()->message);
    assert_int_equal(access(ov2, F_OK), -1);
    free(dom_xml);
    dom_xml = NULL;
    assert_int_equal(vp_domain_get_xml(f->dom, 0, &dom_xml), 0);
    assert_non_null(strstr(dom_xml, ov1));
    /* With --metadata only the record goes; the overlay stays. */
    assert_int_equal(vp_snapshot_delete(snaps[0], VP_SNAPSHOT_DELETE_METADATA_ONLY), 0);
    vp_snapshot_list_free(snaps);
    assert_int_equal(access(ov1, F_OK), 0);
    assert_false(record_exists(f, "e1"));
    assert_false(record_exists(f, "e2"));
}

static void
test_failed_transaction_leaves_no_record(void **state)
{
    fixture *f = *state;
    assert_int_equal(vp_domain_start(f->dom, 0), 0);
    int r = vp_snapshot_create_xml(f->dom,
                                   "<domainsnapshot><name>bad</name><disks>"
                                   "<disk name='vda' snapshot='external'>"
                                   "<source file='/nonexistent/vp-dir/ov.qcow2'/></disk>"
                                   "</disks></domainsnapshot>",
                                   VP_SNAPSHOT_CREATE_DISK_ONLY, NULL);
    assert_true(r < 0);
    assert_non_null(strstr(vp_error_last()->message, "/nonexistent/vp-dir/ov.qcow2"));
    assert_false(record_exists(f, "bad"));
    _cleanup_free_ char *dom_xml = NULL;
    assert_int_equal(vp_domain_get_xml(f->dom, 0, &dom_xml), 0);
    assert_non_null(strstr(dom_xml, f->disk));
    assert_int_equal(vp_domain_destroy(f->dom, 0), 0);
}

static void
test_quiesce_refused_before_agent(void **state)
{
    fixture *f = *state;
    QT_ASSERT_ERROR(
        vp_snapshot_create_xml(f->dom, NULL,
                               VP_SNAPSHOT_CREATE_DISK_ONLY | VP_SNAPSHOT_CREATE_QUIESCE, NULL),
        VP_ERR_OPERATION_INVALID, "cannot quiesce domain 'snap'", "shut off");
    assert_int_equal(vp_domain_start(f->dom, 0), 0);
    assert_int_equal(vp_domain_suspend(f->dom, 0), 0);
    QT_ASSERT_ERROR(
        vp_snapshot_create_xml(f->dom, "<domainsnapshot><name>q</name></domainsnapshot>",
                               VP_SNAPSHOT_CREATE_DISK_ONLY | VP_SNAPSHOT_CREATE_QUIESCE, NULL),
        VP_ERR_OPERATION_INVALID, "cannot quiesce domain 'snap'", "paused");
    assert_false(record_exists(f, "q"));
    _cleanup_free_ char *ov = vp_asprintf("%s/disk.q", f->root);
    assert_int_not_equal(access(ov, F_OK), 0);
    /* Running, but nothing answers the agent: no freeze, no snapshot. */
    assert_int_equal(vp_domain_resume(f->dom, 0), 0);
    QT_ASSERT_ERROR(
        vp_snapshot_create_xml(f->dom, "<domainsnapshot><name>q</name></domainsnapshot>",
                               VP_SNAPSHOT_CREATE_DISK_ONLY | VP_SNAPSHOT_CREATE_QUIESCE, NULL),
        VP_ERR_AGENT_UNRESPONSIVE, "'snap'");
    assert_false(record_exists(f, "q"));
    assert_int_not_equal(access(ov, F_OK), 0);
    assert_int_equal(vp_domain_destroy(f->dom, 0), 0);
}

/* ---- the tree ---------------------------------------------------------- */

static int
read_text(const char *path, char **ret_text)
{
    FILE *fp = fopen(path, "r");
    if (!fp)
        return -1;
    char *text = vp_new0(char, 65536);
    size_t n = fread(text, 1, 65535, fp);
    fclose(fp);
    text[n] = '\0';
    *ret_text = text;
    return 0;
}

static vp_snapshot *
tree_create(fixture *f, const char *name, unsigned int flags)
{
    _cleanup_free_ char *xml =
        vp_asprintf("<domainsnapshot><name>%s</name></domainsnapshot>", name);
    vp_snapshot *snap = NULL;
    if (vp_snapshot_create_xml(f->dom, xml, flags, &snap) < 0)
        fail_msg("creating '%s': %s", name, vp_error_last()->message);
    return snap;
}

static void
tree_delete(vp_snapshot *snap, unsigned int flags)
{
    if (vp_snapshot_delete(snap, flags) < 0)
        fail_msg("deleting '%s': %s", vp_snapshot_get_name(snap), vp_error_last()->message);
}

/* The parent as the API says and as the record on disk says. */
static void
assert_parent(const fixture *f, vp_snapshot *snap, const char *want)
{
    const char *name = vp_snapshot_get_name(snap);
    _cleanup_free_ char *path = vp_asprintf("%s/config/snap.snapshots/%s.xml", f->root, name);
    _cleanup_free_ char *record = NULL;
    assert_int_equal(read_text(path, &record), 0);
    vp_snapshot *parent = NULL;
    if (!want) {
        QT_ASSERT_ERROR(vp_snapshot_get_parent(snap, 0, &parent), VP_ERR_NO_SNAPSHOT, name,
                        "has no parent");
        assert_null(strstr(record, "<parent>"));
        return;
    }
    assert_int_equal(vp_snapshot_get_parent(snap, 0, &parent), 0);
    assert_string_equal(vp_snapshot_get_name(parent), want);
    vp_snapshot_free(parent);
    _cleanup_free_ char *elem = vp_asprintf("<parent>\n    <name>%s</name>\n  </parent>", want);
    assert_non_null(strstr(record, elem));
}

static void
assert_current(const fixture *f, const char *want)
{
    vp_snapshot *cur = NULL;
    _cleanup_free_ char *path = vp_asprintf("%s/config/snap.snapshots/.current", f->root);
    if (!want) {
        QT_ASSERT_ERROR(vp_snapshot_current(f->dom, 0, &cur), VP_ERR_NO_SNAPSHOT,
                        "domain 'snap' has no current snapshot");
        assert_int_not_equal(access(path, F_OK), 0);
        return;
    }
    assert_int_equal(vp_snapshot_current(f->dom, 0, &cur), 0);
    assert_string_equal(vp_snapshot_get_name(cur), want);
    assert_int_equal(vp_snapshot_is_current(cur, 0), 1);
    vp_snapshot_free(cur);
    _cleanup_free_ char *text = NULL;
    assert_int_equal(read_text(path, &text), 0);
    _cleanup_free_ char *line = vp_asprintf("%s\n", want);
    assert_string_equal(text, line);
}

static void
assert_n_children(vp_snapshot *snap, unsigned int flags, int want)
{
    vp_snapshot **kids = NULL;
    assert_int_equal(vp_snapshot_list_children(snap, flags, &kids), want);
    vp_snapshot_list_free(kids);
}

/* A chain of three, the middle one deleted, then the current one. */
static void
tree_check(fixture *f, unsigned int create_flags)
{
    assert_int_equal(vp_domain_start(f->dom, 0), 0);
    assert_current(f, NULL);
    vp_snapshot *a = tree_create(f, "a", create_flags);
    assert_current(f, "a");
    vp_snapshot *b = tree_create(f, "b", create_flags);
    assert_current(f, "b");
    vp_snapshot *c = tree_create(f, "c", create_flags);
    assert_current(f, "c");
    assert_parent(f, a, NULL);
    assert_parent(f, b, "a");
    assert_parent(f, c, "b");
    assert_int_equal(vp_snapshot_is_current(a, 0), 0);
    assert_n_children(a, 0, 1);
    assert_n_children(a, VP_SNAPSHOT_LIST_DESCENDANTS, 2);

    tree_delete(b, 0);
    assert_parent(f, c, "a");
    assert_current(f, "c");
    assert_n_children(a, 0, 1);
    tree_delete(c, 0);
    assert_current(f, "a");
    assert_n_children(a, 0, 0);
    /* The next one goes on top of the current one. */
    vp_snapshot *d = tree_create(f, "d", create_flags);
    assert_parent(f, d, "a");
    /* A root's record alone: its child becomes a root. */
    tree_delete(a, VP_SNAPSHOT_DELETE_METADATA_ONLY);
    assert_parent(f, d, NULL);
    assert_current(f, "d");
    tree_delete(d, 0);
    assert_current(f, NULL);
    vp_snapshot_free(a);
    vp_snapshot_free(b);
    vp_snapshot_free(c);
    vp_snapshot_free(d);
    assert_int_equal(vp_domain_destroy(f->dom, 0), 0);
}

static void
test_tree_internal(void **state)
{
    tree_check(*state, 0);
}

static void
test_tree_disk_only(void **state)
{
    tree_check(*state, VP_SNAPSHOT_CREATE_DISK_ONLY);
}

int
main(int argc, char **argv)
{
    if (access(QEMU_BINARY, X_OK) < 0 || access(QEMU_IMG, X_OK) < 0) {
        fprintf(stderr,
                "SKIP: '%s' or '%s' is not installed (Debian: qemu-system-x86, qemu-utils)\n",
                QEMU_BINARY, QEMU_IMG);
        return 77;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_internal_snapshot, setup, teardown),
        cmocka_unit_test_setup_teardown(test_internal_snapshot_deleted_offline, setup, teardown),
        cmocka_unit_test_setup_teardown(test_external_chain, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failed_transaction_leaves_no_record, setup, teardown),
        cmocka_unit_test_setup_teardown(test_quiesce_refused_before_agent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tree_internal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tree_disk_only, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
