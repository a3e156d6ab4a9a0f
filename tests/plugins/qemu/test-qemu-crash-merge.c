/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-qemu-crash-merge.c: the crash-injection harness (crash-run.c; what
 * it checks is described in test-qemu-crash.c) on the deletes of running
 * domains that fold an overlay the base of which another branch of the
 * tree shares: the overlay is streamed up, live (QMP block-stream) into
 * the image the domain runs on, whether that is the active layer or a
 * lower one, and with qemu-img rebase into the other branch built on it.
 * And the revert to an internal snapshot that a disk-only one was taken
 * on top of (qemu-snapshot-unstack.c), also with two branches on the
 * image that holds it; and the delete of the active layer's snapshot over
 * a base another domain shares (the base streamed down into the active
 * layer). And both the commit of a lower layer and the stream into one
 * with data of the overlay's own to move, which must read back after a
 * kill of QEMU at any step. Every step is killed with SIGKILL,
 * SIGINT, and SIGKILL of vpsh and QEMU; afterwards the invariants hold,
 * every record's image reads the base's data, and the verb run again
 * finishes.
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
#include <virtplug/sdk/services.h>
#include <virtplug/virtplug.h>

#include "crash-harness.h"
#include "qemu-chain.h"
#include "qemu-monitor.h"
#include "qemu-test-util.h"

/* s0 and s1 taken running (c.qcow2 <- c.s0 <- c.s1), a revert to s0 and
 * s2 taken there (c.qcow2 <- c.s0.r1 <- c.s2), then a revert to s1: the
 * domain runs on c.s1.r1 over c.s0, whose base c.qcow2 the branch of s2
 * shares. Deleting s0 cannot write c.qcow2: c.s0 is streamed up into
 * c.s1.r1 (running) and c.s1 (s1's overlay). */
static void
prepare_shared_base_running(fixture *f)
{
    VPSH_OK(f, "define", f->xml_path);
    VPSH_OK(f, "start", "c");
    VPSH_OK(f, "snapshot-create-as", "c", "s0", "--disk-only");
    VPSH_OK(f, "snapshot-create-as", "c", "s1", "--disk-only");
    VPSH_OK(f, "snapshot-revert", "c", "s0", "--running", "--force");
    VPSH_OK(f, "snapshot-create-as", "c", "s2", "--disk-only");
    VPSH_OK(f, "snapshot-revert", "c", "s1", "--running", "--force");
}

/* The same with s3 taken on top: c.s1.r1, which c.s0 is streamed into,
 * is a lower layer of the running chain (under c.s3). */
static void
prepare_shared_base_lower(fixture *f)
{
    prepare_shared_base_running(f);
    VPSH_OK(f, "snapshot-create-as", "c", "s3", "--disk-only");
}

/* Every record's overlay still reads the base's data (the definition's
 * image is one of the invariants). */
static void
verify_records(const fixture *f, const char *when)
{
    _cleanup_free_ char *dir = vp_asprintf("%s/config/c.snapshots", f->root);
    DIR *d = opendir(dir);
    assert_non_null(d);
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        _cleanup_free_ char *path = vp_asprintf("%s/%s", dir, e->d_name), *xml = NULL;
        assert_int_equal(vp_plugin_file_read(path, 1 << 20, &xml, NULL), 0);
        const char *p = strstr(xml, "file='");
        _cleanup_free_ char *image = p ? vp_strndup(p + 6, strcspn(p + 6, "'")) : NULL;
        if (image)
            crash_assert_base_data(image, when);
    }
    closedir(d);
}

/* As verify_records; and s0's overlay goes only with its record. */
static void
verify_branches(const fixture *f, const char *when)
{
    _cleanup_free_ char *s0 = vp_asprintf("%s/c.s0", f->root);
    _cleanup_free_ char *s0_rec = vp_asprintf("%s/config/c.snapshots/s0.xml", f->root);
    bool rec = access(s0_rec, F_OK) == 0, file = access(s0, F_OK) == 0;
    if (!rec && file)
        fprintf(stderr, "%s: s0's overlay outlived its record\n", when);
    assert_false(!rec && file);
    verify_records(f, when);
}

/* An internal snapshot s0, then a disk-only one s1 on top of it: the
 * revert to s0 brings the disk back onto c.qcow2, after c.qcow2's data
 * was copied for s1's overlay, which moves onto the copy. */
static void
prepare_internal_below_external(fixture *f)
{
    VPSH_OK(f, "define", f->xml_path);
    VPSH_OK(f, "start", "c");
    VPSH_OK(f, "snapshot-create-as", "c", "s0");
    VPSH_OK(f, "snapshot-create-as", "c", "s1", "--disk-only");
}

/* The revert is done (the domain on c.qcow2, s0 current) or not begun
 * (on s1's overlay, s1 current); s1's overlay reads what it did. */
static void
verify_unstack(const fixture *f, const char *when)
{
    _cleanup_free_ char *def = vp_asprintf("%s/config/c.xml", f->root), *xml = NULL;
    _cleanup_free_ char *cur = vp_asprintf("%s/config/c.snapshots/.current", f->root);
    _cleanup_free_ char *current = NULL;
    assert_int_equal(vp_plugin_file_read(def, 1 << 20, &xml, NULL), 0);
    vp_plugin_file_read(cur, 1024, &current, NULL);
    _cleanup_free_ char *on_base = vp_asprintf("file='%s'", f->disk);
    bool reverted = strstr(xml, on_base) != NULL;
    verify_records(f, when);
    if (!reverted)
        return;
    /* Loading s0 rewrites c.qcow2: s1's branch is no longer built on it. */
    _cleanup_free_ char *s1 = vp_asprintf("%s/config/c.snapshots/s1.xml", f->root);
    _cleanup_free_ char *s1_xml = NULL;
    assert_int_equal(vp_plugin_file_read(s1, 1 << 20, &s1_xml, NULL), 0);
    const char *p = strstr(s1_xml, "file='");
    assert_non_null(p);
    _cleanup_free_ char *image = vp_strndup(p + 6, strcspn(p + 6, "'"));
    _cleanup_(qemu_chain_freep) qemu_chain *chain = NULL;
    assert_int_equal(qemu_chain_walk(image, &chain), 0);
    for (size_t i = 0; i < chain->n; i++) {
        if (strcmp(chain->links[i].path, f->disk) == 0)
            fprintf(stderr, "%s: the disk is back on '%s' (current '%s'), which s1 still reads\n",
                    when, f->disk, current ? current : "none");
        assert_string_not_equal(chain->links[i].path, f->disk);
    }
}

/* As prepare_internal_below_external, then a revert to s1: c.qcow2
 * carries two branches, s1's overlay and the one the revert made
 * (c.s1.r1), and the revert to s0 moves both onto the copy. */
static void
prepare_internal_below_branches(fixture *f)
{
    prepare_internal_below_external(f);
    VPSH_OK(f, "snapshot-revert", "c", "s1", "--running", "--force");
}

/* As verify_unstack; the revert's branch, while it is there, reads what
 * it did and, once the disk is back on c.qcow2, no longer reaches it. */
static void
verify_unstack_branches(const fixture *f, const char *when)
{
    verify_unstack(f, when);
    /* Once nothing reaches it, the revert's overlay may be gone. */
    _cleanup_free_ char *r1 = vp_asprintf("%s/c.s1.r1", f->root);
    if (access(r1, F_OK) < 0)
        return;
    crash_assert_base_data(r1, when);
    _cleanup_free_ char *def = vp_asprintf("%s/config/c.xml", f->root), *xml = NULL;
    assert_int_equal(vp_plugin_file_read(def, 1 << 20, &xml, NULL), 0);
    _cleanup_free_ char *on_base = vp_asprintf("file='%s'", f->disk);
    _cleanup_(qemu_chain_freep) qemu_chain *chain = NULL;
    assert_int_equal(qemu_chain_walk(r1, &chain), 0);
    for (size_t i = 0; strstr(xml, on_base) && i < chain->n; i++) {
        if (strcmp(chain->links[i].path, f->disk) == 0)
            fprintf(stderr, "%s: the disk is back on '%s', which '%s' still reads\n", when, f->disk,
                    r1);
        assert_string_not_equal(chain->links[i].path, f->disk);
    }
}

/* Domain 'o' on o.qcow2, built on c.qcow2 (its XML written, not
 * defined). Returns o.qcow2. (transfer full) */
static char *
other_on_base(const fixture *f, char **ret_xml_path)
{
    char *img = vp_asprintf("%s/o.qcow2", f->root);
    char *path = vp_asprintf("%s/o.xml", f->root);
    assert_int_equal(qt_run_capture((const char *const[]){QEMU_IMG, "create", "-q", "-f", "qcow2",
                                                          "-F", "qcow2", "-b", f->disk, img, NULL},
                                    NULL),
                     0);
    _cleanup_free_ char *xml =
        vp_asprintf("<domain type='qemu'><name>o</name><memory unit='MiB'>32</memory>"
                    "<os><type arch='x86_64' machine='pc'>hvm</type></os><devices>"
                    "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
                    "<source file='%s'/><target dev='vda' bus='virtio'/></disk></devices></domain>",
                    img);
    assert_int_equal(vp_plugin_file_write_atomic(path, xml, strlen(xml), 0600), 0);
    *ret_xml_path = path;
    return img;
}

/* Domain 'o' on o.qcow2, built on c.qcow2, then s0 taken running: the
 * domain runs on c.s0, the active layer, over c.qcow2, which 'o' shares.
 * Deleting s0 cannot commit into c.qcow2: c.qcow2's data is streamed
 * down into c.s0 (block-stream on the active layer). */
static void
prepare_active_shared_base(fixture *f)
{
    _cleanup_free_ char *path = NULL;
    _cleanup_free_ char *img = other_on_base(f, &path);
    VPSH_OK(f, "define", f->xml_path);
    VPSH_OK(f, "define", path);
    VPSH_OK(f, "start", "c");
    VPSH_OK(f, "snapshot-create-as", "c", "s0", "--disk-only");
}

/* What 'o' wrote to o.qcow2 itself, above the base's data. */
#define OTHER_PATTERN "write -P 0x3c 128k 64k"
#define OTHER_CHECK "read -P 0x3c 128k 64k"

/* As prepare_internal_below_external, with domain 'o' running on
 * o.qcow2 (data of its own) over c.qcow2, which holds s0: the revert to
 * s0 moves o's QEMU onto the copy of c.qcow2, live. */
static void
prepare_internal_below_running_other(fixture *f)
{
    prepare_internal_below_external(f);
    _cleanup_free_ char *path = NULL;
    _cleanup_free_ char *img = other_on_base(f, &path);
    _cleanup_free_ char *io = crash_qemu_io();
    assert_int_equal(
        qt_run_capture((const char *const[]){io, "-c", OTHER_PATTERN, img, NULL}, NULL), 0);
    VPSH_OK(f, "define", path);
    VPSH_OK(f, "start", "o");
}

/* As verify_unstack; o.qcow2 reads what it did, and once the disk of c
 * is back on c.qcow2, it no longer reaches c.qcow2, nor does o's QEMU
 * hold it open. */
static void
verify_unstack_running_other(const fixture *f, const char *when)
{
    verify_unstack(f, when);
    _cleanup_free_ char *o = vp_asprintf("%s/o.qcow2", f->root);
    crash_assert_base_data(o, when);
    crash_assert_pattern(o, OTHER_CHECK, "o's data", when);
    _cleanup_free_ char *def = vp_asprintf("%s/config/c.xml", f->root), *xml = NULL;
    assert_int_equal(vp_plugin_file_read(def, 1 << 20, &xml, NULL), 0);
    _cleanup_free_ char *on_base = vp_asprintf("file='%s'", f->disk);
    _cleanup_(qemu_chain_freep) qemu_chain *chain = NULL;
    assert_int_equal(qemu_chain_walk(o, &chain), 0);
    for (size_t i = 0; strstr(xml, on_base) && i < chain->n; i++) {
        if (strcmp(chain->links[i].path, f->disk) == 0)
            fprintf(stderr, "%s: the disk is back on '%s', which o.qcow2 still reads\n", when,
                    f->disk);
        assert_string_not_equal(chain->links[i].path, f->disk);
    }
    /* Nor does o's QEMU, while it runs, hold c.qcow2 open. */
    _cleanup_free_ char *qmp = vp_asprintf("%s/run/o.qmp", f->root);
    qemu_monitor *mon = NULL;
    json_object *nodes = NULL;
    if (!strstr(xml, on_base) || qt_pid(f->root, "o") <= 0 ||
        qemu_monitor_open(qmp, 5000, &mon) < 0)
        return;
    assert_int_equal(qemu_monitor_command(mon, "query-named-block-nodes", NULL, 10000, &nodes), 0);
    for (size_t i = 0; i < json_object_array_length(nodes); i++) {
        json_object *file = json_object_object_get(json_object_array_get_idx(nodes, i), "file");
        if (strcmp(json_object_get_string(file), f->disk) == 0)
            fprintf(stderr, "%s: the QEMU of 'o' still holds '%s'\n", when, f->disk);
        assert_string_not_equal(json_object_get_string(file), f->disk);
    }
    json_object_put(nodes);
    qemu_monitor_close(mon);
}

/* The domain stays on c.s0, which reads the base's data, and so does
 * 'o'; c.qcow2 stays for 'o'; s0's record is gone only once c.s0 no
 * longer reads through c.qcow2. */
static void
verify_active_shared_base(const fixture *f, const char *when)
{
    _cleanup_free_ char *s0 = vp_asprintf("%s/c.s0", f->root);
    _cleanup_free_ char *o = vp_asprintf("%s/o.qcow2", f->root);
    _cleanup_free_ char *rec = vp_asprintf("%s/config/c.snapshots/s0.xml", f->root);
    _cleanup_free_ char *def = vp_asprintf("%s/config/c.xml", f->root), *xml = NULL;
    assert_int_equal(vp_plugin_file_read(def, 1 << 20, &xml, NULL), 0);
    _cleanup_free_ char *on_s0 = vp_asprintf("file='%s'", s0);
    if (!strstr(xml, on_s0))
        fprintf(stderr, "%s: the definition left c.s0\n", when);
    assert_non_null(strstr(xml, on_s0));
    assert_int_equal(access(f->disk, F_OK), 0);
    crash_assert_base_data(s0, when);
    crash_assert_base_data(o, when);
    _cleanup_(qemu_chain_freep) qemu_chain *chain = NULL;
    assert_int_equal(qemu_chain_walk(s0, &chain), 0);
    if (access(rec, F_OK) < 0 && chain->n != 1)
        fprintf(stderr, "%s: s0's record is gone, but c.s0 still reads through the base\n", when);
    assert_false(access(rec, F_OK) < 0 && chain->n != 1);
}

/* A pattern of its own that the first overlay (c.s0) holds and nothing
 * below it does: what a merge of c.s0 moves. */
#define TOP_PATTERN "write -P 0xa5 64k 64k"
#define TOP_CHECK "read -P 0xa5 64k 64k"

/* s0 taken, then c.s0 given data of its own while the domain is shut off
 * (QEMU holds no lock on it then), and the domain started on it again. */
static void
prepare_s0_with_data(fixture *f)
{
    VPSH_OK(f, "define", f->xml_path);
    VPSH_OK(f, "start", "c");
    VPSH_OK(f, "snapshot-create-as", "c", "s0", "--disk-only");
    VPSH_OK(f, "destroy", "c");
    _cleanup_free_ char *io = crash_qemu_io(), *s0 = vp_asprintf("%s/c.s0", f->root);
    assert_int_equal(qt_run_capture((const char *const[]){io, "-c", TOP_PATTERN, s0, NULL}, NULL),
                     0);
    VPSH_OK(f, "start", "c");
}

/* c.qcow2 <- c.s0 (its data) <- c.s1, running on c.s1: deleting s0
 * commits c.s0 into c.qcow2, a lower layer's commit, which ends with
 * QEMU rewriting c.s1's backing name. */
static void
prepare_lower_commit_data(fixture *f)
{
    prepare_s0_with_data(f);
    VPSH_OK(f, "snapshot-create-as", "c", "s1", "--disk-only");
}

/* As prepare_shared_base_lower, with c.s0's own data, which the delete
 * streams into c.s1.r1, a lower layer of the running chain. */
static void
prepare_shared_base_lower_data(fixture *f)
{
    prepare_s0_with_data(f);
    VPSH_OK(f, "snapshot-create-as", "c", "s1", "--disk-only");
    VPSH_OK(f, "snapshot-revert", "c", "s0", "--running", "--force");
    VPSH_OK(f, "snapshot-create-as", "c", "s2", "--disk-only");
    VPSH_OK(f, "snapshot-revert", "c", "s1", "--running", "--force");
    VPSH_OK(f, "snapshot-create-as", "c", "s3", "--disk-only");
}

/* c.s0's data reads back through the definition's image, whichever step
 * a kill hit: a QEMU killed after a job rewrote a backing name but before
 * the copied clusters' tables reached the file fails this. */
static void
verify_top_data(const fixture *f, const char *when)
{
    _cleanup_free_ char *def = vp_asprintf("%s/config/c.xml", f->root), *xml = NULL;
    assert_int_equal(vp_plugin_file_read(def, 1 << 20, &xml, NULL), 0);
    const char *p = strstr(xml, "file='");
    assert_non_null(p);
    _cleanup_free_ char *image = vp_strndup(p + 6, strcspn(p + 6, "'"));
    crash_assert_pattern(image, TOP_CHECK, "c.s0's data", when);
}

static void
verify_branches_top_data(const fixture *f, const char *when)
{
    verify_branches(f, when);
    verify_top_data(f, when);
}

static const scenario scenarios[] = {
    {"snapshot-delete stream, shared base, running",
     prepare_shared_base_running,
     {"snapshot-delete", "c", "s0", NULL},
     false,
     verify_branches},
    {"snapshot-delete stream into a lower layer, shared base, running",
     prepare_shared_base_lower,
     {"snapshot-delete", "c", "s0", NULL},
     false,
     verify_branches},
    {"snapshot-revert internal below a disk-only snapshot, running",
     prepare_internal_below_external,
     {"snapshot-revert", "c", "s0", NULL},
     false,
     verify_unstack},
    {"snapshot-revert internal below two branches, running",
     prepare_internal_below_branches,
     {"snapshot-revert", "c", "s0", NULL},
     false,
     verify_unstack_branches},
    {"snapshot-revert internal below a disk-only snapshot, another domain running on it",
     prepare_internal_below_running_other,
     {"snapshot-revert", "c", "s0", NULL},
     false,
     verify_unstack_running_other},
    {"snapshot-delete of the active layer over a shared base, running",
     prepare_active_shared_base,
     {"snapshot-delete", "c", "s0", NULL},
     false,
     verify_active_shared_base},
    {"snapshot-delete commit of a lower layer holding data, running",
     prepare_lower_commit_data,
     {"snapshot-delete", "c", "s0", NULL},
     false,
     verify_top_data},
    {"snapshot-delete stream of data into a lower layer, shared base, running",
     prepare_shared_base_lower_data,
     {"snapshot-delete", "c", "s0", NULL},
     false,
     verify_branches_top_data},
};

int
main(int argc, char **argv)
{
    qt_self = argv[0];
    if (argc > 1)
        return qt_child_main(argc, argv);
    return crash_run_scenarios("test-qemu-crash-merge", scenarios,
                               sizeof(scenarios) / sizeof(scenarios[0]));
}
