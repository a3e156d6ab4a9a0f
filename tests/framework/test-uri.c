/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-uri.c: tests of framework/uri.c, the connection URI parser
 * (vpi_uri_parse, internal) and the accessors plugins read it with.
 *
 * Each well-formed URI splits into the expected scheme, host, path and
 * decoded parameters; each malformed one is VP_ERR_INVALID_ARG with a
 * message that quotes the URI and says what is wrong.
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "internal.h"

VP_DEFINE_CLEANUP(vpi_uri, vpi_uri_free)

#define KW(...) ((const char *const[]){__VA_ARGS__, NULL})

static vpi_uri *
parse_ok(const char *str)
{
    vpi_uri *uri = NULL;
    if (vpi_uri_parse(str, &uri) < 0)
        fail_msg("'%s' did not parse: %s", str, vp_error_last()->message);
    return uri;
}

static void
test_schemes(void **state)
{
    static const struct {
        const char *uri, *scheme, *host, *path;
    } cases[] = {
        {"test:///default", "test", "", "/default"},
        {"test:///abs/path/node.xml", "test", "", "/abs/path/node.xml"},
        {"qemu:///system", "qemu", "", "/system"},
        {"qemu:///session", "qemu", "", "/session"},
        {"QEMU:///system", "qemu", "", "/system"},
        {"qemu+unix:///system", "qemu+unix", "", "/system"},
        {"my-drv.v2://", "my-drv.v2", "", ""},
        {"qemu://host.example/system", "qemu", "host.example", "/system"},
        {"qemu://host:1234", "qemu", "host:1234", ""},
        {"test:///", "test", "", "/"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        _cleanup_(vpi_uri_freep) vpi_uri *uri = parse_ok(cases[i].uri);
        assert_string_equal(vp_plugin_uri_get_string(uri), cases[i].uri);
        assert_string_equal(vp_plugin_uri_get_scheme(uri), cases[i].scheme);
        assert_string_equal(vp_plugin_uri_get_host(uri), cases[i].host);
        assert_string_equal(vp_plugin_uri_get_path(uri), cases[i].path);
        assert_int_equal(vp_plugin_uri_get_param_count(uri), 0);
    }
}

static void
test_percent_decoding(void **state)
{
    _cleanup_(vpi_uri_freep) vpi_uri *uri =
        parse_ok("test:///tmp/my%20dir/n%C3%B6de%2Bx.xml?root=%2Fsrv%2Fa%26b&k%3Dy=v+w");
    assert_string_equal(vp_plugin_uri_get_path(uri), "/tmp/my dir/n\xc3\xb6"
                                                     "de+x.xml");
    assert_string_equal(vp_plugin_uri_get_param(uri, "root"), "/srv/a&b");
    /* '+' is not a space in these URIs: it stays. */
    assert_string_equal(vp_plugin_uri_get_param(uri, "k=y"), "v+w");
    _cleanup_(vpi_uri_freep) vpi_uri *host = parse_ok("qemu://h%61st/x");
    assert_string_equal(vp_plugin_uri_get_host(host), "hast");
    _cleanup_(vpi_uri_freep) vpi_uri *upper = parse_ok("test:///%4a%4A");
    assert_string_equal(vp_plugin_uri_get_path(upper), "/JJ");
}

static void
test_query_params(void **state)
{
    _cleanup_(vpi_uri_freep) vpi_uri *uri =
        parse_ok("qemu:///embed?root=/tmp/vp&hostpower=hostpower-bsd&flag&empty=");
    assert_int_equal(vp_plugin_uri_get_param_count(uri), 4);
    assert_string_equal(vp_plugin_uri_get_path(uri), "/embed");
    assert_string_equal(vp_plugin_uri_get_param(uri, "root"), "/tmp/vp");
    assert_string_equal(vp_plugin_uri_get_param(uri, "hostpower"), "hostpower-bsd");
    assert_string_equal(vp_plugin_uri_get_param(uri, "flag"), "");
    assert_string_equal(vp_plugin_uri_get_param(uri, "empty"), "");
    assert_null(vp_plugin_uri_get_param(uri, "missing"));
    assert_null(vp_plugin_uri_get_param(uri, NULL));
    assert_string_equal(vp_plugin_uri_get_param_name(uri, 0), "root");
    assert_string_equal(vp_plugin_uri_get_param_value(uri, 1), "hostpower-bsd");
    assert_string_equal(vp_plugin_uri_get_param_name(uri, 3), "empty");
    assert_null(vp_plugin_uri_get_param_name(uri, 4));
    assert_null(vp_plugin_uri_get_param_value(uri, 4));
    /* A value may hold '=' and '?'. */
    _cleanup_(vpi_uri_freep) vpi_uri *eq = parse_ok("test:///default?a=b=c?d");
    assert_string_equal(vp_plugin_uri_get_param(eq, "a"), "b=c?d");
    assert_string_equal(vp_plugin_uri_get_path(eq), "/default");
}

static void
test_accessors_null(void **state)
{
    assert_null(vp_plugin_uri_get_string(NULL));
    assert_null(vp_plugin_uri_get_scheme(NULL));
    assert_null(vp_plugin_uri_get_host(NULL));
    assert_null(vp_plugin_uri_get_path(NULL));
    assert_null(vp_plugin_uri_get_param(NULL, "x"));
    assert_int_equal(vp_plugin_uri_get_param_count(NULL), 0);
    assert_null(vp_plugin_uri_get_param_name(NULL, 0));
    vpi_uri_free(NULL);
}

static const struct {
    const char *uri;
    const char *const *keywords;
} malformed[] = {
    {"", KW("malformed URI ''", "expected 'scheme:///path'", "test:///default")},
    {"default", KW("malformed URI 'default'", "expected 'scheme:///path'")},
    {"test:/default", KW("expected 'scheme:///path'")},
    {"://default", KW("malformed URI '://default'", "the scheme is empty")},
    {"1test:///default", KW("invalid character '1' in the scheme")},
    {"te_st:///default", KW("invalid character '_' in the scheme")},
    {"t\xc3\xa9st:///x", KW("non-ASCII character in the scheme")},
    {"test:///de fault", KW("space or control character")},
    {"test:///default\n", KW("space or control character")},
    {"test:///a\x7f", KW("space or control character")},
    {"test:///default#frag", KW("fragments ('#') are not allowed")},
    {"test:///a%2", KW("bad percent-escape in the path")},
    {"test:///a%zz", KW("bad percent-escape in the path")},
    {"test:///a%00b", KW("bad percent-escape in the path")},
    {"test://h%g1/a", KW("bad percent-escape in the host")},
    {"test:///a?x=%", KW("bad percent-escape in the query")},
    {"test:///a?%41=1&%41=2", KW("parameter 'A' is given twice")},
    {"test:///a?root=1&root=1", KW("parameter 'root' is given twice")},
    {"test:///a?x=1&&y=2", KW("empty query parameter")},
    {"test:///a?x=1&", KW("empty query parameter")},
    {"test:///a?&x=1", KW("empty query parameter")},
    {"test:///a?=1", KW("query parameter without a name")},
};

static void
test_malformed(void **state)
{
    for (size_t i = 0; i < sizeof(malformed) / sizeof(malformed[0]); i++) {
        vpi_uri *uri = NULL;
        int r = vpi_uri_parse(malformed[i].uri, &uri);
        const vp_error *e = vp_error_last();
        if (r != VP_ERR_INVALID_ARG || !e || e->code != r)
            fail_msg("'%s': expected VP_ERR_INVALID_ARG, got %d", malformed[i].uri, r);
        assert_null(uri);
        for (size_t k = 0; malformed[i].keywords[k]; k++)
            if (!strstr(e->message, malformed[i].keywords[k]))
                fail_msg("'%s': message '%s' lacks '%s'", malformed[i].uri, e->message,
                         malformed[i].keywords[k]);
    }
    vpi_uri *uri = NULL;
    assert_int_equal(vpi_uri_parse(NULL, &uri), VP_ERR_INVALID_ARG);
    assert_null(uri);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_schemes),      cmocka_unit_test(test_percent_decoding),
        cmocka_unit_test(test_query_params), cmocka_unit_test(test_accessors_null),
        cmocka_unit_test(test_malformed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
