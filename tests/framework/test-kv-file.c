/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-kv-file.c: key=value records (framework/util/kv-file.c): every
 * value comes back byte for byte, the file is what the format promises,
 * and what cannot be read is an error naming the file and the line.
 */
#include <config.h>

#include <sys/stat.h>

#include "test-services-common.h"

static char *
path_of(const char *name)
{
    return vp_asprintf("%s/%s", svc_tmpdir, name);
}

static void
test_round_trip_special_characters(void **state)
{
    (void)state;
    _cleanup_free_ char *path = path_of("record");
    /* clang-format off */
    const char *pairs[] = {
        "pid",              "4242",
        "empty",            "",
        "spaces",           "  lead and trail  ",
        "equals",           "a=b==c",
        "hash",             "#not a comment",
        "newlines",         "one\ntwo\r\nthree\n",
        "backslashes",      "C:\\dir\\n is not a newline\\",
        "controls",         "tab\there bell\a esc\x1b del\x7f",
        "utf8",             "caf\xc3\xa9 \xe2\x82\xac",
        "path.with-dots_1", "/var/lib/x y/z",
        NULL,
    };
    /* clang-format on */
    assert_int_equal(vp_plugin_kv_write(path, pairs, 0640), 0);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0640);

    /* One line per pair, nothing raw that could break a line. */
    _cleanup_free_ char *text = NULL;
    assert_int_equal(vp_plugin_file_read(path, 4096, &text, NULL), 0);
    int lines = 0;
    for (const char *p = text; *p; p++)
        lines += *p == '\n';
    assert_int_equal(lines, 10);
    assert_non_null(strstr(text, "newlines=one\\ntwo\\r\\nthree\\n\n"));
    assert_non_null(strstr(text, "backslashes=C:\\\\dir\\\\n is not a newline\\\\\n"));
    assert_non_null(strstr(text, "controls=tab\\there bell\\x07 esc\\x1b del\\x7f\n"));

    _cleanup_strv_free_ char **got = NULL;
    assert_int_equal(vp_plugin_kv_read(path, 0, &got), 0);
    size_t i = 0;
    for (; pairs[i]; i += 2) {
        assert_non_null(got[i]);
        assert_string_equal(got[i], pairs[i]);
        assert_string_equal(got[i + 1], pairs[i + 1]);
        assert_string_equal(vp_plugin_kv_get(got, pairs[i]), pairs[i + 1]);
    }
    assert_null(got[i]);
    assert_null(vp_plugin_kv_get(got, "missing"));
}

static void
test_rewrite_is_atomic_replace(void **state)
{
    (void)state;
    _cleanup_free_ char *path = path_of("replaced");
    const char *one[] = {"a", "1", "b", "2", NULL};
    const char *two[] = {"c", "3", NULL};
    assert_int_equal(vp_plugin_kv_write(path, one, 0600), 0);
    assert_int_equal(vp_plugin_kv_write(path, two, 0600), 0);
    _cleanup_strv_free_ char **got = NULL;
    assert_int_equal(vp_plugin_kv_read(path, 0, &got), 0);
    assert_null(vp_plugin_kv_get(got, "a"));
    assert_string_equal(vp_plugin_kv_get(got, "c"), "3");
    /* No temporary file is left beside it. */
    _cleanup_free_ char *out = NULL;
    const char *argv[] = {"/bin/ls", "-a", svc_tmpdir, NULL};
    int status;
    assert_int_equal(vp_plugin_command_run(argv, 5000, &status, &out, NULL), 0);
    assert_null(strstr(out, ".tmp."));
}

static void
test_write_refuses_bad_keys(void **state)
{
    (void)state;
    _cleanup_free_ char *path = path_of("bad");
    const char *eq[] = {"a=b", "v", NULL};
    svc_assert_error(vp_plugin_kv_write(path, eq, 0600), VP_ERR_INVALID_ARG, "invalid key 'a=b'",
                     "byte 2");
    const char *empty[] = {"", "v", NULL};
    svc_assert_error(vp_plugin_kv_write(path, empty, 0600), VP_ERR_INVALID_ARG, "invalid key ''");
    const char *nl[] = {"a\nb", "v", NULL};
    svc_assert_error(vp_plugin_kv_write(path, nl, 0600), VP_ERR_INVALID_ARG, "invalid key");
    const char *twice[] = {"k", "1", "k", "2", NULL};
    svc_assert_error(vp_plugin_kv_write(path, twice, 0600), VP_ERR_INVALID_ARG,
                     "key 'k' is given twice");
    const char *odd[] = {"k", NULL};
    svc_assert_error(vp_plugin_kv_write(path, odd, 0600), VP_ERR_INVALID_ARG,
                     "key 'k' has no value");
    struct stat st;
    assert_int_equal(stat(path, &st), -1);
}

static void
assert_read_fails(const char *content, const char *k1, const char *k2)
{
    _cleanup_free_ char *path = path_of("hand-written");
    assert_int_equal(vp_plugin_file_write_atomic(path, content, strlen(content), 0600), 0);
    char **got = NULL;
    svc_assert_error(vp_plugin_kv_read(path, 0, &got), VP_ERR_INVALID_ARG, path, k1, k2);
    assert_null(got);
}

static void
test_read_refuses_what_it_cannot_read(void **state)
{
    (void)state;
    assert_read_fails("a=1\nno equals sign\n", "line 2", "no '='");
    assert_read_fails("a=1\n\n# comment\nbad key=2\n", "line 4", "invalid key 'bad key'");
    assert_read_fails("a=1\na=2\n", "line 2", "key 'a' appears twice");
    assert_read_fails("a=ok\nb=trailing\\\n", "line 2", "bad escape in the value of 'b'");
    assert_read_fails("a=\\q\n", "line 1", "bad escape");
    assert_read_fails("a=\\x4\n", "line 1", "bad escape");
    assert_read_fails("a=\\x00\n", "line 1", "bad escape");

    /* Comments and blank lines are skipped; a last line without a newline is read. */
    _cleanup_free_ char *path = path_of("comments");
    const char *text = "# written by hand\n\nx=1\ny=\\x41\\\\";
    assert_int_equal(vp_plugin_file_write_atomic(path, text, strlen(text), 0600), 0);
    _cleanup_strv_free_ char **got = NULL;
    assert_int_equal(vp_plugin_kv_read(path, 0, &got), 0);
    assert_string_equal(vp_plugin_kv_get(got, "x"), "1");
    assert_string_equal(vp_plugin_kv_get(got, "y"), "A\\");

    _cleanup_free_ char *missing = path_of("missing");
    char **none = NULL;
    svc_assert_error(vp_plugin_kv_read(missing, 0, &none), VP_ERR_SYSTEM, missing);
    svc_assert_error(vp_plugin_kv_read(path, 4, &none), VP_ERR_INVALID_ARG, "larger than 4 bytes");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_special_characters),
        cmocka_unit_test(test_rewrite_is_atomic_replace),
        cmocka_unit_test(test_write_refuses_bad_keys),
        cmocka_unit_test(test_read_refuses_what_it_cannot_read),
    };
    return cmocka_run_group_tests(tests, svc_setup, svc_teardown);
}
