/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-qemu-nvram.c: undefine of UEFI domains (plugins/qemu/qemu-firmware.c,
 * qemu-driver.c) as libvirt's: a domain whose variable store exists is
 * refused without VP_DOMAIN_UNDEFINE_NVRAM or _KEEP_NVRAM (the domain and
 * the store stay), NVRAM removes the driver's store and a store the XML
 * names, KEEP_NVRAM keeps either (a domain defined again under the name
 * boots with the kept store), both together are refused; a UEFI domain
 * never started, and a BIOS domain beside a NAME_VARS.fd it did not make,
 * need no flag and leave that file alone. Through vpsh too, with virsh's
 * options and messages; vpsh's undefine --snapshots-metadata refuses a
 * UEFI domain without --nvram or --keep-nvram before removing any
 * snapshot record. QEMU runs OVMF under TCG; nothing waits for a
 * boot.
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include <virtplug/sdk/alloc.h>
#include <virtplug/virtplug.h>

#include "qemu-test-qmp.h"
#include "qemu-test-util.h"

#define OVMF_CODE "/usr/share/OVMF/OVMF_CODE_4M.fd"
#define OVMF_VARS "/usr/share/OVMF/OVMF_VARS_4M.fd"
#define EFI_OS "  <os firmware='efi'><type arch='x86_64' machine='pc'>hvm</type></os>\n"

/* Start the defined domain (its store is made then) and destroy it. */
static void
start_and_destroy(qt_fixture *f)
{
    qt_start_defined(f);
    qemu_monitor_close(VP_STEAL_PTR(f->mon));
    assert_int_equal(vp_domain_destroy(f->dom, 0), 0);
}

static void
assert_defined(qt_fixture *f)
{
    vp_domain *dom = NULL;
    assert_int_equal(vp_domain_lookup_by_name(f->conn, "dev", &dom), 0);
    vp_domain_free(dom);
}

static ino_t
inode_of(const char *path)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    return st.st_ino;
}

/* The driver's own store, CONFIG/dev_VARS.fd. */
static void
test_own_store(void **state)
{
    qt_fixture *f = *state;
    _cleanup_free_ char *vars = vp_asprintf("%s/config/dev_VARS.fd", f->root);
    assert_int_equal(qt_define(f, "pc", EFI_OS, NULL), 0);
    start_and_destroy(f);
    assert_int_equal(access(vars, F_OK), 0);

    QT_ASSERT_ERROR(vp_domain_undefine(f->dom, 0), VP_ERR_OPERATION_INVALID,
                    "cannot undefine domain with nvram", "'dev'", vars, "--nvram", "--keep-nvram");
    assert_defined(f);
    assert_int_equal(access(vars, F_OK), 0);
    QT_ASSERT_ERROR(
        vp_domain_undefine(f->dom, VP_DOMAIN_UNDEFINE_NVRAM | VP_DOMAIN_UNDEFINE_KEEP_NVRAM),
        VP_ERR_INVALID_ARG, "mutually exclusive");
    QT_ASSERT_ERROR(vp_domain_undefine(f->dom, 1u << 30), VP_ERR_INVALID_ARG,
                    "unsupported undefine flags");
    assert_defined(f);

    /* Kept: the next domain of that name boots with it. */
    ino_t kept = inode_of(vars);
    assert_int_equal(vp_domain_undefine(f->dom, VP_DOMAIN_UNDEFINE_KEEP_NVRAM), 0);
    vp_domain_free(VP_STEAL_PTR(f->dom));
    assert_int_equal(access(vars, F_OK), 0);
    assert_int_equal(qt_define(f, "pc", EFI_OS, NULL), 0);
    start_and_destroy(f);
    assert_int_equal(inode_of(vars), kept);

    assert_int_equal(vp_domain_undefine(f->dom, VP_DOMAIN_UNDEFINE_NVRAM), 0);
    vp_domain_free(VP_STEAL_PTR(f->dom));
    assert_int_equal(access(vars, F_OK), -1);
    qt_assert_no_domain(f);
}

/* A store the XML names, outside the driver's directory: removed only
 * when --nvram asks for it. */
static void
test_given_store(void **state)
{
    qt_fixture *f = *state;
    _cleanup_free_ char *vars = vp_asprintf("%s/mine_VARS.fd", f->root);
    _cleanup_free_ char *os = vp_asprintf(
        "  <os><type arch='x86_64' machine='pc'>hvm</type>"
        "<loader readonly='yes' type='pflash'>%s</loader><nvram template='%s'>%s</nvram></os>\n",
        OVMF_CODE, OVMF_VARS, vars);
    assert_int_equal(qt_define(f, "pc", os, NULL), 0);
    start_and_destroy(f);
    assert_int_equal(access(vars, F_OK), 0);
    QT_ASSERT_ERROR(vp_domain_undefine(f->dom, 0), VP_ERR_OPERATION_INVALID,
                    "cannot undefine domain with nvram", vars);
    assert_int_equal(access(vars, F_OK), 0);
    assert_int_equal(vp_domain_undefine(f->dom, VP_DOMAIN_UNDEFINE_NVRAM), 0);
    vp_domain_free(VP_STEAL_PTR(f->dom));
    assert_int_equal(access(vars, F_OK), -1);

    /* Not a regular file: never removed, even with --nvram. */
    assert_int_equal(mkdir(vars, 0700), 0);
    assert_int_equal(qt_define(f, "pc", os, NULL), 0);
    QT_ASSERT_ERROR(vp_domain_undefine(f->dom, VP_DOMAIN_UNDEFINE_NVRAM), VP_ERR_OPERATION_INVALID,
                    "not a regular file", "--keep-nvram");
    assert_int_equal(vp_domain_undefine(f->dom, VP_DOMAIN_UNDEFINE_KEEP_NVRAM), 0);
    vp_domain_free(VP_STEAL_PTR(f->dom));
    assert_int_equal(rmdir(vars), 0);
}

/* No store yet, or not a UEFI domain: no flag needed, and a NAME_VARS.fd
 * the domain did not make stays. */
static void
test_no_store(void **state)
{
    qt_fixture *f = *state;
    assert_int_equal(qt_define(f, "pc", EFI_OS, NULL), 0);
    assert_int_equal(vp_domain_undefine(f->dom, 0), 0);
    vp_domain_free(VP_STEAL_PTR(f->dom));

    _cleanup_free_ char *vars = vp_asprintf("%s/config/dev_VARS.fd", f->root);
    FILE *k = fopen(vars, "w");
    assert_non_null(k);
    fputs("kept by --keep-nvram", k);
    fclose(k);
    assert_int_equal(qt_define(f, "pc", NULL, NULL), 0);
    assert_int_equal(vp_domain_undefine(f->dom, 0), 0);
    vp_domain_free(VP_STEAL_PTR(f->dom));
    assert_int_equal(access(vars, F_OK), 0);
    assert_int_equal(unlink(vars), 0);
}

/* vpsh undefine with virsh's options and messages. */
static char *
vpsh(qt_fixture *f, const char *args)
{
    _cleanup_free_ char *path = qt_vpsh_path();
    _cleanup_free_ char *line =
        vp_asprintf("'%s' -c 'qemu:///embed?root=%s' %s 2>&1; echo \"rc=$?\"", path, f->root, args);
    char *out = NULL;
    assert_int_equal(qt_run_capture((const char *const[]){"/bin/sh", "-c", line, NULL}, &out), 0);
    return out;
}

static void
test_vpsh(void **state)
{
    qt_fixture *f = *state;
    _cleanup_free_ char *vars = vp_asprintf("%s/config/dev_VARS.fd", f->root);
    assert_int_equal(qt_define(f, "pc", EFI_OS, NULL), 0);
    start_and_destroy(f);
    _cleanup_free_ char *both = vpsh(f, "undefine dev --nvram --keep-nvram");
    assert_non_null(strstr(both, "Options --nvram and --keep-nvram are mutually exclusive"));
    assert_non_null(strstr(both, "rc=1"));
    _cleanup_free_ char *none = vpsh(f, "undefine dev");
    assert_non_null(strstr(none, "error: cannot undefine domain with nvram"));
    assert_non_null(strstr(none, "rc=1"));
    assert_defined(f);
    _cleanup_free_ char *ok = vpsh(f, "undefine dev --nvram");
    assert_non_null(strstr(ok, "Domain 'dev' has been undefined"));
    assert_non_null(strstr(ok, "rc=0"));
    assert_int_equal(access(vars, F_OK), -1);
    vp_domain_free(VP_STEAL_PTR(f->dom));
    qt_assert_no_domain(f);
}

/* undefine --snapshots-metadata of a UEFI domain without --nvram or
 * --keep-nvram: refused before any snapshot record goes. */
static void
test_vpsh_snapshots_metadata(void **state)
{
    qt_fixture *f = *state;
    _cleanup_free_ char *vars = vp_asprintf("%s/config/dev_VARS.fd", f->root);
    _cleanup_free_ char *disk = vp_asprintf("%s/d.qcow2", f->root);
    assert_int_equal(qt_run_capture((const char *const[]){QEMU_IMG, "create", "-q", "-f", "qcow2",
                                                          disk, "16M", NULL},
                                    NULL),
                     0);
    _cleanup_free_ char *devices =
        vp_asprintf("<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
                    "<source file='%s'/><target dev='vda' bus='virtio'/></disk>",
                    disk);
    assert_int_equal(qt_define(f, "pc", EFI_OS, devices), 0);
    qt_start_defined(f); /* the store is made */
    qemu_monitor_close(VP_STEAL_PTR(f->mon));
    _cleanup_free_ char *made = vpsh(f, "snapshot-create-as dev s1 --disk-only");
    if (!strstr(made, "rc=0"))
        fprintf(stderr, "%s", made);
    assert_non_null(strstr(made, "rc=0"));
    assert_int_equal(vp_domain_destroy(f->dom, 0), 0);
    _cleanup_free_ char *refused = vpsh(f, "undefine dev --snapshots-metadata");
    assert_non_null(strstr(refused, "error: cannot undefine domain with nvram"));
    assert_non_null(strstr(refused, "no snapshot record was removed"));
    assert_non_null(strstr(refused, "rc=1"));
    assert_defined(f);
    _cleanup_free_ char *kept = vpsh(f, "snapshot-list dev --name");
    assert_string_equal(kept, "s1\n\nrc=0\n");
    assert_int_equal(access(vars, F_OK), 0);
    _cleanup_free_ char *ok = vpsh(f, "undefine dev --snapshots-metadata --keep-nvram");
    assert_non_null(strstr(ok, "Domain 'dev' has been undefined"));
    assert_non_null(strstr(ok, "rc=0"));
    assert_int_equal(access(vars, F_OK), 0);
    vp_domain_free(VP_STEAL_PTR(f->dom));
    qt_assert_no_domain(f);
}

int
main(int argc, char **argv)
{
    (void)argc;
    if (access(OVMF_CODE, R_OK) < 0 || access(OVMF_VARS, R_OK) < 0) {
        fprintf(stderr, "SKIP: %s or %s is missing (Debian package ovmf)\n", OVMF_CODE, OVMF_VARS);
        return 77;
    }
    const struct CMUnitTest tests[] = {
        QT_DEVICE_TEST(test_own_store),
        QT_DEVICE_TEST(test_given_store),
        QT_DEVICE_TEST(test_no_store),
        QT_DEVICE_TEST(test_vpsh),
        QT_DEVICE_TEST(test_vpsh_snapshots_metadata),
    };
    return qt_device_tests_main(argv, tests, sizeof(tests) / sizeof(tests[0]));
}
