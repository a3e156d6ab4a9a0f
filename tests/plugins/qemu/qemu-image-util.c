/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-image-util.c: data patterns in image chains, read back with
 * qemu-io, for the merge and revert tests (qemu-image-util.h).
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

#include "qemu-image-util.h"
#include "qemu-test-util.h"

/* qemu-io, from the same package and directory as qemu-img. */
static char qemu_io[4096];

bool
qi_init(void)
{
    const char *slash = strrchr(QEMU_IMG, '/');
    snprintf(qemu_io, sizeof(qemu_io), "%.*s/qemu-io", slash ? (int)(slash - QEMU_IMG) : 0,
             QEMU_IMG);
    if (access(qemu_io, X_OK) < 0) {
        fprintf(stderr, "SKIP: '%s' (package qemu-utils) is not installed\n", qemu_io);
        return false;
    }
    return true;
}

int
qi_tests_main(int argc, char **argv, const struct CMUnitTest *tests, size_t n)
{
    qt_self = argv[0];
    if (argc > 1)
        return qt_child_main(argc, argv);
    if (!qi_init())
        return 77;
    return _cmocka_run_group_tests("tests", tests, n, NULL, NULL);
}

void
qi_run_ok(const char *const *argv)
{
    char *out = NULL;
    int st = qt_run_capture(argv, &out);
    if (st != 0)
        fprintf(stderr, "%s %s failed (%d): %s\n", argv[0], argv[1], st, out ? out : "");
    assert_int_equal(st, 0);
    free(out);
}

void
qi_write_pattern(const char *image, int layer)
{
    _cleanup_free_ char *cmd =
        vp_asprintf("write -P %d %dk 64k", QI_PATTERN(layer), QI_OFFSET_K(layer));
    qi_run_ok((const char *const[]){qemu_io, "-f", "qcow2", "-c", cmd, image, NULL});
}

static bool
has_pattern(const char *format, const char *image, int layer)
{
    _cleanup_free_ char *cmd =
        vp_asprintf("read -P %d %dk 64k", QI_PATTERN(layer), QI_OFFSET_K(layer));
    char *out = NULL;
    /* qemu-io exits 1 when the verification fails. */
    int st = qt_run_capture(
        (const char *const[]){qemu_io, "-r", "-U", "-f", format, "-c", cmd, image, NULL}, &out);
    if (st != 0 && st != 1)
        fail_msg("qemu-io could not read '%s' (%d): %s", image, st, out ? out : "");
    bool ok = !strstr(out, "Pattern verification failed");
    free(out);
    return ok;
}

bool
qi_has_pattern(const char *image, int layer)
{
    return has_pattern("qcow2", image, layer);
}

bool
qi_has_pattern_raw(const char *uri, int layer)
{
    return has_pattern("raw", uri, layer);
}

int
qi_chain_length(const char *image)
{
    char *out = NULL;
    assert_int_equal(
        qt_run_capture(
            (const char *const[]){QEMU_IMG, "info", "-U", "--backing-chain", image, NULL}, &out),
        0);
    int n = 0;
    for (const char *p = out; (p = strstr(p, "image: ")); p += 7)
        n++;
    free(out);
    return n;
}

char *
qi_def_image(vp_domain *dom)
{
    char *xml = NULL;
    assert_int_equal(vp_domain_get_xml(dom, 0, &xml), 0);
    const char *p = strstr(xml, "file='");
    assert_non_null(p);
    p += 6;
    char *image = vp_strndup(p, strcspn(p, "'"));
    free(xml);
    return image;
}

qi_fixture *
qi_fixture_new(void)
{
    qi_fixture *f = vp_new0(qi_fixture, 1);
    f->root = qt_root_new();
    f->base = vp_asprintf("%s/ch.qcow2", f->root);
    qi_run_ok((const char *const[]){QEMU_IMG, "create", "-q", "-f", "qcow2", f->base, "16M", NULL});
    qi_write_pattern(f->base, 0);
    _cleanup_free_ char *uri = qt_uri(f->root, NULL);
    assert_int_equal(vp_conn_open(uri, 0, &f->conn), 0);
    _cleanup_free_ char *xml =
        vp_asprintf("<domain type='qemu'><name>ch</name><memory unit='MiB'>32</memory>"
                    "<os><type arch='x86_64' machine='pc'>hvm</type></os><devices>"
                    "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
                    "<source file='%s'/><target dev='vda' bus='virtio'/></disk></devices></domain>",
                    f->base);
    assert_int_equal(vp_domain_define_xml(f->conn, xml, 0, &f->dom), 0);
    return f;
}

void
qi_fixture_free(qi_fixture *f)
{
    if (!f)
        return;
    vp_domain_free(f->dom);
    vp_conn_close(f->conn);
    qt_root_destroy(f->root);
    free(f->base);
    free(f);
}
