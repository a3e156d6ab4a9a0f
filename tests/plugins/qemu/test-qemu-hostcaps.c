/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-qemu-hostcaps.c: what domcapabilities says of this host
 * (plugins/qemu/qemu-hostcaps.c, the core's slot in framework/caps.c):
 * <tpm supported='yes'> with libvirt's backendModel emulator while the
 * swtpm of qemu.conf is installed and supported='no' when it names one
 * that is not; <os><loader> listing exactly the OVMF builds this host has
 * (checked against the files), efi among the firmware values only with
 * one of them; the same facts in the JSON document. No QEMU runs.
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
#include <json-c/json.h>

#include <virtplug/sdk/alloc.h>
#include <virtplug/virtplug.h>

#include "qemu-test-qmp.h"
#include "qemu-test-util.h"

VP_DEFINE_CLEANUP(json_object, json_object_put)

static const char *const ovmf_builds[][2] = {
    {"/usr/share/OVMF/OVMF_CODE_4M.fd", "/usr/share/OVMF/OVMF_VARS_4M.fd"},
    {"/usr/share/OVMF/OVMF_CODE.fd", "/usr/share/OVMF/OVMF_VARS.fd"},
};

static char *
caps_of(qt_fixture *f, unsigned int flags)
{
    char *caps = NULL;
    int r = vp_conn_get_domain_capabilities(f->conn, flags, &caps);
    if (r < 0)
        fprintf(stderr, "domcapabilities: %s\n", vp_error_last()->message);
    assert_int_equal(r, 0);
    return caps;
}

/* The <tpm> element of @caps, up to its end. (transfer full) */
static char *
tpm_of(const char *caps)
{
    const char *t = strstr(caps, "    <tpm ");
    assert_non_null(t);
    const char *end = strstr(t, "/>\n");
    const char *close = strstr(t, "</tpm>\n");
    size_t n = close && (!end || close < end) ? (size_t)(close - t) + 7 : (size_t)(end - t) + 3;
    return vp_strndup(t, n);
}

static void
write_conf(qt_fixture *f, const char *text)
{
    _cleanup_free_ char *path = vp_asprintf("%s/config/qemu.conf", f->root);
    qt_write_file(path, text, 0600);
}

static void
test_tpm_follows_swtpm(void **state)
{
    qt_fixture *f = *state;
    _cleanup_free_ char *fake = vp_asprintf("%s/swtpm", f->root);
    qt_write_file(fake, "#!/bin/sh\nexit 1\n", 0755);
    _cleanup_free_ char *conf = vp_asprintf("swtpm = %s\n", fake);
    write_conf(f, conf);
    _cleanup_free_ char *caps = caps_of(f, 0);
    _cleanup_free_ char *tpm = tpm_of(caps);
    assert_non_null(strstr(tpm, "<tpm supported='yes'>"));
    assert_non_null(strstr(tpm, "<enum name='backendModel'>\n        <value>emulator</value>"));
    assert_non_null(strstr(tpm, "<enum name='backendVersion'>\n        <value>2.0</value>"));

    write_conf(f, "swtpm = /nonexistent/swtpm\n");
    _cleanup_free_ char *none = caps_of(f, 0);
    _cleanup_free_ char *no_tpm = tpm_of(none);
    assert_string_equal(no_tpm, "    <tpm supported='no'/>\n");
    _cleanup_free_ char *json = caps_of(f, VP_DOMAIN_CAPS_JSON);
    _cleanup_(json_object_putp) json_object *doc = json_tokener_parse(json);
    json_object *devices, *t, *v;
    assert_true(json_object_object_get_ex(doc, "devices", &devices));
    assert_true(json_object_object_get_ex(devices, "tpm", &t));
    assert_true(json_object_object_get_ex(t, "supported", &v));
    assert_false(json_object_get_boolean(v));
}

static void
test_loader_lists_ovmf(void **state)
{
    qt_fixture *f = *state;
    _cleanup_free_ char *caps = caps_of(f, 0);
    const char *os = strstr(caps, "  <os supported='yes'>\n");
    assert_non_null(os);
    const char *loader = strstr(os, "    <loader supported='yes'>\n");
    const char *os_end = strstr(os, "  </os>\n");
    assert_non_null(loader);
    assert_true(loader < os_end);
    const char *loader_end = strstr(loader, "    </loader>\n");
    _cleanup_(json_object_putp) json_object *doc = NULL;
    _cleanup_free_ char *json = caps_of(f, VP_DOMAIN_CAPS_JSON);
    doc = json_tokener_parse(json);
    json_object *jos, *jl, *values;
    assert_true(json_object_object_get_ex(doc, "os", &jos));
    assert_true(json_object_object_get_ex(jos, "loader", &jl));
    assert_true(json_object_object_get_ex(jl, "values", &values));
    size_t installed = 0;
    for (size_t i = 0; i < sizeof(ovmf_builds) / sizeof(ovmf_builds[0]); i++) {
        bool here = access(ovmf_builds[i][0], R_OK) == 0 && access(ovmf_builds[i][1], R_OK) == 0;
        _cleanup_free_ char *value = vp_asprintf("<value>%s</value>", ovmf_builds[i][0]);
        const char *at = strstr(loader, value);
        assert_int_equal(at != NULL && at < loader_end, here);
        installed += here;
    }
    assert_int_equal(json_object_array_length(values), installed);
    /* The secure-boot builds are not offered: the driver refuses them. */
    assert_null(strstr(loader, "secboot"));
    const char *firmware = strstr(os, "    <enum name='firmware'>\n");
    const char *efi = strstr(firmware, "<value>efi</value>");
    assert_int_equal(efi != NULL && efi<strstr(firmware, "</enum>"), installed> 0);
}

int
main(int argc, char **argv)
{
    (void)argc;
    const struct CMUnitTest tests[] = {
        QT_DEVICE_TEST(test_tpm_follows_swtpm),
        QT_DEVICE_TEST(test_loader_lists_ovmf),
    };
    return qt_device_tests_main(argv, tests, sizeof(tests) / sizeof(tests[0]));
}
