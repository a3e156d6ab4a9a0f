/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-qemu-firmware.c: UEFI domains (plugins/qemu/qemu-firmware.c)
 * against real QEMU under TCG with Debian's OVMF (package ovmf). OVMF
 * boots until it writes to the serial port; QEMU has the code read-only
 * and the domain's own variable store on pflash; the store is made from
 * the template, kept across starts, removed by undefine --nvram, while a store the
 * XML names is made but never removed. A missing template or firmware is
 * a start error naming the file.
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <virtplug/sdk/alloc.h>
#include <virtplug/sdk/services.h>
#include <virtplug/virtplug.h>

#include "qemu-test-qmp.h"
#include "qemu-test-util.h"

#define OVMF_CODE "/usr/share/OVMF/OVMF_CODE_4M.fd"
#define OVMF_VARS "/usr/share/OVMF/OVMF_VARS_4M.fd"
#define BOOT_WAIT_S 180

static const char *
file_of(json_object *blk)
{
    json_object *ins, *v;
    if (!json_object_object_get_ex(blk, "inserted", &ins) ||
        !json_object_object_get_ex(ins, "file", &v))
        return NULL;
    return json_object_get_string(v);
}

/* query-block's pflash0 and pflash1: the code (read-only) and the store. */
static void
assert_pflash(qt_fixture *f, const char *vars)
{
    json_object *list = qt_qmp(f, "query-block", NULL), *v, *ins;
    bool code = false, store = false;
    for (size_t i = 0; i < json_object_array_length(list); i++) {
        json_object *b = json_object_array_get_idx(list, i);
        const char *dev =
            json_object_object_get_ex(b, "device", &v) ? json_object_get_string(v) : "";
        if (strcmp(dev, "pflash0") == 0) {
            assert_string_equal(file_of(b), OVMF_CODE);
            assert_true(json_object_object_get_ex(b, "inserted", &ins) &&
                        json_object_object_get_ex(ins, "ro", &v) && json_object_get_boolean(v));
            code = true;
        } else if (strcmp(dev, "pflash1") == 0) {
            assert_string_equal(file_of(b), vars);
            store = true;
        }
    }
    json_object_put(list);
    assert_true(code && store);
}

/* Wait until the firmware wrote to the serial log: OVMF's boot manager. */
static void
wait_firmware_output(const char *log)
{
    time_t deadline = time(NULL) + BOOT_WAIT_S;
    for (;;) {
        _cleanup_free_ char *text = NULL;
        size_t size = 0;
        if (vp_plugin_file_read(log, 16 * 1024 * 1024, &text, &size) == 0) {
            for (size_t i = 0; i < size; i++)
                text[i] = text[i] ? text[i] : ' ';
            if (strstr(text, "BdsDxe") || strstr(text, "Shell>"))
                return;
        }
        if (time(NULL) >= deadline)
            fail_msg("OVMF wrote nothing recognisable to '%s' within %d s", log, BOOT_WAIT_S);
        usleep(200000);
    }
}

static bool
same_size(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_size == sb.st_size;
}

static void
test_efi_boots_with_own_store(void **state)
{
    qt_fixture *f = *state;
    _cleanup_free_ char *log = vp_asprintf("%s/serial.log", f->root);
    _cleanup_free_ char *dev = vp_asprintf("<serial type='file'><source path='%s'/></serial>", log);
    qt_start(f, "q35", "  <os firmware='efi'><type arch='x86_64' machine='q35'>hvm</type></os>\n",
             dev);
    _cleanup_free_ char *vars = vp_asprintf("%s/config/dev_VARS.fd", f->root);
    assert_true(same_size(vars, OVMF_VARS));
    assert_pflash(f, vars);
    wait_firmware_output(log);

    /* The store stays the domain's across starts; undefine --nvram
     * removes it (test-qemu-nvram has the rest). */
    qemu_monitor_close(f->mon);
    f->mon = NULL;
    assert_int_equal(vp_domain_destroy(f->dom, 0), 0);
    assert_int_equal(access(vars, F_OK), 0);
    assert_int_equal(vp_domain_undefine(f->dom, VP_DOMAIN_UNDEFINE_NVRAM), 0);
    assert_int_equal(access(vars, F_OK), -1);
    vp_domain_free(f->dom);
    f->dom = NULL;
}

static void
test_given_nvram_kept(void **state)
{
    qt_fixture *f = *state;
    _cleanup_free_ char *vars = vp_asprintf("%s/mine_VARS.fd", f->root);
    _cleanup_free_ char *os = vp_asprintf(
        "  <os><type arch='x86_64' machine='pc'>hvm</type>"
        "<loader readonly='yes' type='pflash'>%s</loader><nvram template='%s'>%s</nvram></os>\n",
        OVMF_CODE, OVMF_VARS, vars);
    qt_start(f, "pc", os, NULL);
    assert_true(same_size(vars, OVMF_VARS));
    assert_pflash(f, vars);
    _cleanup_free_ char *own = vp_asprintf("%s/config/dev_VARS.fd", f->root);
    assert_int_equal(access(own, F_OK), -1);
    qemu_monitor_close(f->mon);
    f->mon = NULL;
    assert_int_equal(vp_domain_destroy(f->dom, 0), 0);
    assert_int_equal(vp_domain_undefine(f->dom, VP_DOMAIN_UNDEFINE_KEEP_NVRAM), 0);
    assert_int_equal(access(vars, F_OK), 0); /* the user's: kept as asked */
    vp_domain_free(f->dom);
    f->dom = NULL;
}

static void
test_missing_files(void **state)
{
    qt_fixture *f = *state;
    _cleanup_free_ char *vars = vp_asprintf("%s/none_VARS.fd", f->root);
    _cleanup_free_ char *os =
        vp_asprintf("  <os firmware='efi'><type arch='x86_64' machine='pc'>hvm</type>"
                    "<nvram template='/nonexistent/VARS.fd'>%s</nvram></os>\n",
                    vars);
    assert_int_equal(qt_define(f, "pc", os, NULL), 0);
    QT_ASSERT_ERROR(vp_domain_start(f->dom, 0), VP_ERR_INVALID_ARG, "'/nonexistent/VARS.fd'",
                    "'dev'", "template");
    assert_int_equal(access(vars, F_OK), -1);
    int state_ = -1, reason = -1;
    assert_int_equal(vp_domain_get_state(f->dom, &state_, &reason, 0), 0);
    assert_int_equal(state_, VP_DOMAIN_SHUTOFF);
    assert_int_equal(vp_domain_undefine(f->dom, 0), 0);
    vp_domain_free(f->dom);
    f->dom = NULL;

    assert_int_equal(qt_define(f, "pc",
                               "  <os><type arch='x86_64' machine='pc'>hvm</type>"
                               "<loader type='pflash'>/nonexistent/CODE.fd</loader></os>\n",
                               NULL),
                     0);
    QT_ASSERT_ERROR(vp_domain_start(f->dom, 0), VP_ERR_INVALID_ARG, "'/nonexistent/CODE.fd'",
                    "firmware");
    assert_int_equal(vp_domain_undefine(f->dom, 0), 0);
    vp_domain_free(f->dom);
    f->dom = NULL;

    QT_ASSERT_ERROR(qt_define(f, "q35",
                              "  <os firmware='efi'><type arch='x86_64' machine='q35'>hvm</type>"
                              "<firmware><feature enabled='yes' name='secure-boot'/></firmware>"
                              "</os>\n",
                              NULL),
                    VP_ERR_NOT_SUPPORTED, "secure-boot");
    qt_assert_no_domain(f);
}

int
main(int argc, char **argv)
{
    (void)argc;
    if (access(OVMF_CODE, R_OK) < 0 || access(OVMF_VARS, R_OK) < 0) {
        fprintf(stderr, "SKIP: '%s' is not installed (Debian package ovmf)\n", OVMF_CODE);
        return 77;
    }
    const struct CMUnitTest tests[] = {
        QT_DEVICE_TEST(test_efi_boots_with_own_store),
        QT_DEVICE_TEST(test_given_nvram_kept),
        QT_DEVICE_TEST(test_missing_files),
    };
    return qt_device_tests_main(argv, tests, sizeof(tests) / sizeof(tests[0]));
}
