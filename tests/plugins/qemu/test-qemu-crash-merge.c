/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-qemu-crash-merge.c: the crash-injection harness (crash-run.c; what
 * it checks is described in test-qemu-crash.c) on the deletes of running
 * domains that fold an overlay the base of which another branch of the
 * tree shares: the overlay is streamed up, live (QMP block-stream) into
 * the image the domain runs on, whether that is the active layer or a
 * lower one, and with qemu-img rebase into the other branch built on it.
 * Every step is killed with SIGKILL, SIGINT, and SIGKILL of vpsh and
 * QEMU; afterwards the invariants hold, every layer's data reads back
 * through each branch, and the delete run again finishes.
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

/* Every snapshot's overlay still reads the base's data (the definition's
 * image is one of the invariants), and s0's overlay goes only with its
 * record. */
static void
verify_branches(const fixture *f, const char *when)
{
    _cleanup_free_ char *s0 = vp_asprintf("%s/c.s0", f->root);
    _cleanup_free_ char *dir = vp_asprintf("%s/config/c.snapshots", f->root);
    _cleanup_free_ char *s0_rec = vp_asprintf("%s/s0.xml", dir);
    bool rec = access(s0_rec, F_OK) == 0, file = access(s0, F_OK) == 0;
    if (!rec && file)
        fprintf(stderr, "%s: s0's overlay outlived its record\n", when);
    assert_false(!rec && file);
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        _cleanup_free_ char *path = vp_asprintf("%s/%s", dir, e->d_name), *xml = NULL;
        assert_int_equal(vp_plugin_file_read(path, 1 << 20, &xml, NULL), 0);
        const char *p = strstr(xml, "file='");
        assert_non_null(p);
        _cleanup_free_ char *image = vp_strndup(p + 6, strcspn(p + 6, "'"));
        crash_assert_base_data(image, when);
        n++;
    }
    closedir(d);
    assert_true(n >= 2);
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
