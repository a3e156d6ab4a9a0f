/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-args.c: tests of tools/vpsh/args.c, the parser of a verb's
 * arguments.
 *
 * A fake vpsh_usage() records the usage error instead of printing it, so
 * each case checks the exit status and the message's key words: options
 * with and without values, "--name=value", repeated and unknown options,
 * "--" ending the options, --help and --json anywhere, and the counts of
 * positional arguments.
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "vpsh.h"

static char usage_message[512];
static const vpsh_cmd *usage_cmd;

/* The fake: vpsh.c's real one prints the message and a usage line. */
int
vpsh_usage(const vpsh_cmd *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(usage_message, sizeof(usage_message), fmt, ap);
    va_end(ap);
    usage_cmd = cmd;
    return VPSH_EXIT_USAGE;
}

static const vpsh_opt opts[] = {
    {"flag", NULL, false, "a flag", NULL},   {"value", "V", false, "one value", NULL},
    {"many", "M", true, "repeatable", NULL}, {"nothere", NULL, false, NULL, "no API for it"},
    {NULL, NULL, false, NULL, NULL},
};

static const vpsh_cmd cmd = {"verb", "A [B]", "a verb", opts, 1, 2, NULL, "a b", 0};

/* Parse the NULL-terminated words; returns the status. */
static int
parse(vpsh_args *a, bool *help, bool *json, ...)
{
    char *argv[16];
    int argc = 0;
    va_list ap;
    va_start(ap, json);
    for (char *w; (w = va_arg(ap, char *));)
        argv[argc++] = w;
    va_end(ap);
    usage_message[0] = '\0';
    usage_cmd = NULL;
    *help = *json = false;
    return vpsh_args_parse(&cmd, argc, argv, a, help, json);
}

static void
test_positionals_and_options(void **state)
{
    vpsh_args a;
    bool help, json;
    assert_int_equal(parse(&a, &help, &json, "x", "--flag", "--value", "v1", "--many=m1", "y",
                           "--many", "m2", NULL),
                     0);
    assert_int_equal(a.npos, 2);
    assert_string_equal(a.pos[0], "x");
    assert_string_equal(a.pos[1], "y");
    assert_true(vpsh_flag(&a, "flag"));
    assert_string_equal(vpsh_opt_value(&a, "value"), "v1");
    const char *const *v;
    assert_int_equal(vpsh_opt_values(&a, "many", &v), 2);
    assert_string_equal(v[0], "m1");
    assert_string_equal(v[1], "m2");
    assert_false(help);
    assert_false(json);
    vpsh_args_clear(&a);
}

static void
test_absent_options(void **state)
{
    vpsh_args a;
    bool help, json;
    assert_int_equal(parse(&a, &help, &json, "x", NULL), 0);
    assert_false(vpsh_flag(&a, "flag"));
    assert_null(vpsh_opt_value(&a, "value"));
    const char *const *v;
    assert_int_equal(vpsh_opt_values(&a, "many", &v), 0);
    assert_null(v);
    /* A name the verb does not have reads as absent. */
    assert_false(vpsh_flag(&a, "nosuch"));
    vpsh_args_clear(&a);
}

static void
test_double_dash_and_globals(void **state)
{
    vpsh_args a;
    bool help, json;
    assert_int_equal(parse(&a, &help, &json, "--json", "--", "--flag", NULL), 0);
    assert_true(json);
    assert_int_equal(a.npos, 1);
    assert_string_equal(a.pos[0], "--flag");
    assert_false(vpsh_flag(&a, "flag"));
    vpsh_args_clear(&a);
    /* --help needs no positionals. */
    assert_int_equal(parse(&a, &help, &json, "--help", NULL), 0);
    assert_true(help);
    vpsh_args_clear(&a);
}

static void
expect_usage(int status, const char *words)
{
    assert_int_equal(status, VPSH_EXIT_USAGE);
    assert_ptr_equal(usage_cmd, &cmd);
    if (!strstr(usage_message, words))
        fail_msg("usage message '%s' lacks '%s'", usage_message, words);
}

static void
test_usage_errors(void **state)
{
    vpsh_args a;
    bool help, json;
    /* virsh's words, so scripts that grep virsh's errors find vpsh's. */
    expect_usage(parse(&a, &help, &json, NULL), "command 'verb' requires <a> option");
    expect_usage(parse(&a, &help, &json, "x", "y", "z", NULL), "unexpected data 'z'");
    expect_usage(parse(&a, &help, &json, "x", "--nope", NULL),
                 "command 'verb' doesn't support option --nope");
    expect_usage(parse(&a, &help, &json, "x", "--flag", "--flag", NULL),
                 "option --flag already seen");
    expect_usage(parse(&a, &help, &json, "x", "--value", "1", "--value=2", NULL),
                 "option --value already seen");
    expect_usage(parse(&a, &help, &json, "x", "--flag=1", NULL), "invalid '=' after option --flag");
    expect_usage(parse(&a, &help, &json, "x", "--value", NULL),
                 "expected syntax: --value <string>");
    /* A prefix of an option's name is not the option. */
    expect_usage(parse(&a, &help, &json, "x", "--fla", NULL), "doesn't support option --fla");
    /* A declared option vpsh cannot honour is refused with its reason. */
    expect_usage(parse(&a, &help, &json, "x", "--nothere", NULL),
                 "option --nothere of command 'verb' is not supported: no API for it");
    /* A named positional given twice, and a required one missing. */
    expect_usage(parse(&a, &help, &json, "--a", "x", "--a", "y", NULL), "option --a already seen");
    expect_usage(parse(&a, &help, &json, "--b", "y", NULL), "command 'verb' requires <a> option");
    expect_usage(parse(&a, &help, &json, "--a", "x", "y", "z", NULL), "unexpected data 'z'");
}

/* Each positional also as virsh's named option, mixed with bare ones. */
static void
test_named_positionals(void **state)
{
    vpsh_args a;
    bool help, json;
    assert_int_equal(parse(&a, &help, &json, "--b", "y", "x", NULL), 0);
    assert_int_equal(a.npos, 2);
    assert_string_equal(a.pos[0], "x");
    assert_string_equal(a.pos[1], "y");
    vpsh_args_clear(&a);
    assert_int_equal(parse(&a, &help, &json, "--a=x", NULL), 0);
    assert_int_equal(a.npos, 1);
    assert_string_equal(a.pos[0], "x");
    vpsh_args_clear(&a);
    assert_int_equal(parse(&a, &help, &json, "x", "--a", "y", NULL), 0);
    assert_string_equal(a.pos[0], "y");
    assert_string_equal(a.pos[1], "x");
    vpsh_args_clear(&a);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_positionals_and_options), cmocka_unit_test(test_absent_options),
        cmocka_unit_test(test_double_dash_and_globals), cmocka_unit_test(test_usage_errors),
        cmocka_unit_test(test_named_positionals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
