/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-conn.c: opening connections: URI errors, scheme selection, the
 * default URI, argument checks.
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <virtplug/virtplug.h>

#include "test-assert.h"

static void
test_malformed_uris(void **state)
{
    static const struct {
        const char *uri;
        const char *keyword;
    } cases[] = {
        {"test", "expected 'scheme:///path'"},
        {"://x", "scheme is empty"},
        {"1test:///default", "invalid character '1'"},
        {"te st:///default", "space or control character"},
        {"test:///default?a=1&a=2", "parameter 'a' is given twice"},
        {"test:///def%zzault", "bad percent-escape"},
        {"test:///default#frag", "fragments"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        vp_conn *conn = NULL;
        vpt_assert_error(vp_conn_open(cases[i].uri, 0, &conn), VP_ERR_INVALID_ARG,
                         cases[i].keyword);
        assert_null(conn);
    }
}

static void
test_unknown_scheme(void **state)
{
    vp_conn *conn = NULL;
    vpt_assert_error(vp_conn_open("nosuchdriver:///x", 0, &conn), VP_ERR_NO_URI_SCHEME,
                     "no driver for URI scheme 'nosuchdriver'");
    assert_null(conn);
}

static void
test_known_scheme_missing_plugin(void **state)
{
    char dir[] = "/tmp/vp-test-conn-XXXXXX";
    assert_non_null(mkdtemp(dir));
    setenv("VIRTPLUG_PLUGIN_DIR", dir, 1);
    vp_conn *conn = NULL;
    int r = vp_conn_open("qemu:///system", 0, &conn);
    vpt_assert_error(r, VP_ERR_NO_PLUGIN, "virtplug-plugin-qemu");
    assert_non_null(strstr(vp_error_last()->message, dir));
    assert_non_null(strstr(vp_error_last()->message, "plugin 'qemu' is not installed"));
    rmdir(dir);
    unsetenv("VIRTPLUG_PLUGIN_DIR");
}

static void
test_default_uri(void **state)
{
    vp_conn *conn = NULL;
    unsetenv("VIRTPLUG_DEFAULT_URI");
    /* The default is the embedded test driver, which needs no plugin. */
    assert_int_equal(vp_conn_open(NULL, 0, &conn), 0);
    assert_string_equal(vp_conn_get_driver_name(conn), "test");
    assert_string_equal(vp_conn_get_uri(conn), "test:///default");
    vp_conn_close(conn);

    setenv("VIRTPLUG_DEFAULT_URI", "nosuchdriver:///y", 1);
    vpt_assert_error(vp_conn_open(NULL, 0, &conn), VP_ERR_NO_URI_SCHEME, "nosuchdriver");
    unsetenv("VIRTPLUG_DEFAULT_URI");
}

static void
test_bad_arguments(void **state)
{
    vpt_assert_error(vp_conn_open("test:///default", 0, NULL), VP_ERR_INVALID_ARG, "ret_conn");
    vp_conn *conn = NULL;
    vpt_assert_error(vp_conn_open("test:///default", 0x80, &conn), VP_ERR_INVALID_ARG, "flags");
    vpt_assert_error(vp_conn_num_of_domains(NULL), VP_ERR_INVALID_ARG, "conn");
    vpt_assert_error(vp_domain_get_state(NULL, NULL, NULL, 0), VP_ERR_INVALID_ARG, "dom");
    vpt_assert_error(vp_domain_lookup_by_name(NULL, "x", NULL), VP_ERR_INVALID_ARG, "conn");
    vp_conn_close(NULL);
    vp_domain_free(NULL);
    vp_snapshot_free(NULL);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_malformed_uris),
        cmocka_unit_test(test_unknown_scheme),
        cmocka_unit_test(test_known_scheme_missing_plugin),
        cmocka_unit_test(test_default_uri),
        cmocka_unit_test(test_bad_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
