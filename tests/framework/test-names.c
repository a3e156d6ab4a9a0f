/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-names.c: vp_plugin_name_is_safe (framework/util/names.c): which
 * names may become file names, and messages that name the bad character
 * and its position.
 */
#include <config.h>

#include "test-services-common.h"

static void
test_safe_names(void **state)
{
    (void)state;
    const char *good[] = {"web", "a.b", "..a", "a..", "x-1_2", "caf\xc3\xa9", " lead", "a b", NULL};
    for (const char *const *n = good; *n; n++) {
        if (vp_plugin_name_is_safe("domain name", *n, 0, NULL, 0) != 0)
            fail_msg("'%s' refused: %s", *n, vp_error_last()->message);
    }
    char longest[256];
    memset(longest, 'a', 255);
    longest[255] = '\0';
    assert_int_equal(vp_plugin_name_is_safe(NULL, longest, 0, NULL, 0), 0);
}

static void
test_unsafe_names(void **state)
{
    (void)state;
    svc_assert_error(vp_plugin_name_is_safe("domain name", "", 0, NULL, 0), VP_ERR_INVALID_ARG,
                     "invalid domain name ''", "empty");
    svc_assert_error(vp_plugin_name_is_safe("domain name", ".", 0, NULL, 0), VP_ERR_INVALID_ARG,
                     "invalid domain name '.'", "directories");
    svc_assert_error(vp_plugin_name_is_safe("domain name", "..", 0, NULL, 0), VP_ERR_INVALID_ARG,
                     "invalid domain name '..'");
    svc_assert_error(vp_plugin_name_is_safe("domain name", "a/b", 0, NULL, 0), VP_ERR_INVALID_ARG,
                     "invalid domain name 'a/b'", "character '/' at position 2",
                     "a domain name becomes a file name");
    svc_assert_error(vp_plugin_name_is_safe("domain name", "/", 0, NULL, 0), VP_ERR_INVALID_ARG,
                     "'/' at position 1");
    /* Control characters are shown escaped, the message stays one line. */
    svc_assert_error(vp_plugin_name_is_safe("snapshot name", "ab\tc", 0, NULL, 0),
                     VP_ERR_INVALID_ARG, "invalid snapshot name 'ab\\x09c'",
                     "character 0x09 at position 3");
    svc_assert_error(vp_plugin_name_is_safe(NULL, "a\nb", 0, NULL, 0), VP_ERR_INVALID_ARG,
                     "invalid name 'a\\x0ab'", "0x0a at position 2");
    assert_null(strchr(vp_error_last()->message, '\n'));
    svc_assert_error(vp_plugin_name_is_safe(NULL, "del\x7f", 0, NULL, 0), VP_ERR_INVALID_ARG,
                     "0x7f at position 4");
    char toolong[257];
    memset(toolong, 'a', 256);
    toolong[256] = '\0';
    svc_assert_error(vp_plugin_name_is_safe("domain name", toolong, 0, NULL, 0), VP_ERR_INVALID_ARG,
                     "256 bytes long, at most 255");
    svc_assert_error(vp_plugin_name_is_safe("domain name", "abcde", 4, NULL, 0), VP_ERR_INVALID_ARG,
                     "5 bytes long, at most 4");
}

static void
test_driver_rules(void **state)
{
    (void)state;
    /* The qemu driver's additions: ',' splits QEMU options, and no hidden files. */
    unsigned int flags = VP_PLUGIN_NAME_NO_LEADING_DOT;
    assert_int_equal(vp_plugin_name_is_safe("domain name", "web-1", 64, "\\,", flags), 0);
    svc_assert_error(vp_plugin_name_is_safe("domain name", "a,b", 64, "\\,", flags),
                     VP_ERR_INVALID_ARG, "character ',' at position 2");
    svc_assert_error(vp_plugin_name_is_safe("domain name", "a\\b", 64, "\\,", flags),
                     VP_ERR_INVALID_ARG, "character '\\' at position 2");
    svc_assert_error(vp_plugin_name_is_safe("domain name", ".hidden", 64, "\\,", flags),
                     VP_ERR_INVALID_ARG, "starts with '.'");
    /* Without the flag a leading dot is fine. */
    assert_int_equal(vp_plugin_name_is_safe("domain name", ".hidden", 64, NULL, 0), 0);
}

static void
test_quiet_leaves_the_error(void **state)
{
    (void)state;
    vp_plugin_error_set(VP_ERR_NO_DOMAIN, "marker");
    assert_int_equal(vp_plugin_name_is_safe("domain name", "a/b", 0, NULL, VP_PLUGIN_NAME_QUIET),
                     VP_ERR_INVALID_ARG);
    assert_int_equal(vp_error_last()->code, VP_ERR_NO_DOMAIN);
    assert_string_equal(vp_error_last()->message, "marker");
    svc_assert_error(vp_plugin_name_is_safe("domain name", NULL, 0, NULL, 0), VP_ERR_INVALID_ARG,
                     "invalid argument: name");
    svc_assert_error(vp_plugin_name_is_safe("domain name", "a", 0, NULL, 1u << 7),
                     VP_ERR_INVALID_ARG, "flags");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_safe_names),
        cmocka_unit_test(test_unsafe_names),
        cmocka_unit_test(test_driver_rules),
        cmocka_unit_test(test_quiet_leaves_the_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
