/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-bsd-sleep.c: plugins/hostpower-bsd/bsd-sleep.c, with scripted ops.
 *
 * The fake ops answer each command line from a small table, so this test
 * reaches what shell fakes cannot produce on demand: a probe that times
 * out, a command that cannot start, stderr far too long for the outcome
 * record, no stderr at all, and exactly which path was checked.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <virtplug/sdk/services.h>

#include "bsd-host.h"

typedef struct answer {
    const char *cmd; /* argv joined by blanks */
    int error;       /* < 0: run itself fails with this code */
    int status;
    const char *out;
    const char *err;
} answer;

static const answer *answers;
static char ran[1024];         /* every command line, ';'-separated */
static char checked_path[256]; /* the last path given to executable() */

static int
fake_sysname(char *buf, size_t size)
{
    snprintf(buf, size, "FreeBSD");
    return 0;
}

static bool
fake_executable(const char *path)
{
    snprintf(checked_path, sizeof(checked_path), "%s", path);
    return strcmp(path, "/fake/zzz") == 0;
}

static int
fake_run(const char *const *argv, int timeout_ms, int *ret_exit_status, char **ret_stdout,
         char **ret_stderr)
{
    char cmd[256] = "";
    for (size_t i = 0; argv[i]; i++)
        snprintf(cmd + strlen(cmd), sizeof(cmd) - strlen(cmd), "%s%s", i ? " " : "", argv[i]);
    snprintf(ran + strlen(ran), sizeof(ran) - strlen(ran), "%s;", cmd);
    for (const answer *a = answers; a && a->cmd; a++) {
        if (strcmp(a->cmd, cmd) != 0)
            continue;
        if (a->error < 0)
            return vp_plugin_error_set(a->error, "fake: '%s' did not finish", argv[0]);
        *ret_exit_status = a->status;
        *ret_stdout = vp_strdup(a->out ? a->out : "");
        *ret_stderr = vp_strdup(a->err ? a->err : "");
        return 0;
    }
    /* Anything unscripted behaves like a sysctl the OS does not have. */
    *ret_exit_status = 1;
    *ret_stdout = vp_strdup("");
    *ret_stderr = vp_strdup("unknown oid\n");
    return 0;
}

static const bsd_ops fake_ops = {
    .sysname = fake_sysname,
    .executable = fake_executable,
    .run = fake_run,
};

static bsd_host host_template = {
    .ops = &fake_ops,
    .sysctl = (char *)"/fake/sysctl",
    .acpiconf = (char *)"/fake/acpiconf",
    .zzz = (char *)"/fake/zzz",
    .apm = (char *)"/fake/apm",
};

static bsd_host *
host_for(bsd_os os, const answer *table)
{
    static bsd_host host;
    host = host_template;
    host.os = os;
    answers = table;
    ran[0] = '\0';
    checked_path[0] = '\0';
    return &host;
}

static void
assert_message_has(const char *word)
{
    const vp_error *e = vp_error_last();
    assert_non_null(e);
    if (!strstr(e->message, word))
        fail_msg("message '%s' lacks '%s'", e->message, word);
}

static void
test_sysctl_get(void **state)
{
    static const answer table[] = {
        {"/fake/sysctl -n hw.acpi.supported_sleep_state", 0, 0, "S3 S4 S5 \n\n", ""},
        {NULL},
    };
    bsd_host *host = host_for(BSD_OS_FREEBSD, table);
    char *value = NULL;
    assert_int_equal(bsd_sysctl_get(host, "hw.acpi.supported_sleep_state", &value), 1);
    assert_string_equal(value, "S3 S4 S5");
    free(value);
    value = (char *)0x1;
    assert_int_equal(bsd_sysctl_get(host, "hw.nothing", &value), 0);
    assert_ptr_equal(value, (char *)0x1);
    assert_null(vp_error_last());
}

static void
test_probe_timeout(void **state)
{
    static const answer table[] = {
        {.cmd = "/fake/sysctl -n hw.acpi.supported_sleep_state", .error = VP_ERR_TIMEOUT},
        {.cmd = "/fake/sysctl -n hw.acpi.sleep.states", .error = VP_ERR_TIMEOUT},
        {NULL},
    };
    unsigned int targets = 0xff;
    assert_int_equal(bsd_sleep_capabilities(host_for(BSD_OS_FREEBSD, table), &targets),
                     VP_ERR_TIMEOUT);
    assert_int_equal(bsd_sleep_capabilities(host_for(BSD_OS_NETBSD, table), &targets),
                     VP_ERR_TIMEOUT);
    assert_int_equal(targets, 0xff);
    /* The MEM suspend probes ACPI first and must not guess when it cannot. */
    int st = -1;
    assert_int_equal(
        bsd_sleep_suspend(host_for(BSD_OS_FREEBSD, table), VP_NODE_SUSPEND_TARGET_MEM, &st),
        VP_ERR_TIMEOUT);
    assert_null(strstr(ran, "acpiconf"));
    assert_null(strstr(ran, "apm"));
    assert_int_equal(st, -1);
}

static void
test_openbsd_checks_zzz(void **state)
{
    unsigned int targets = 0;
    bsd_host *host = host_for(BSD_OS_OPENBSD, NULL);
    assert_int_equal(bsd_sleep_capabilities(host, &targets), 0);
    assert_string_equal(checked_path, "/fake/zzz");
    assert_int_equal(targets,
                     (1u << VP_NODE_SUSPEND_TARGET_MEM) | (1u << VP_NODE_SUSPEND_TARGET_DISK));
    assert_string_equal(ran, ""); /* no probe command on OpenBSD */
    host->zzz = (char *)"/elsewhere/zzz";
    assert_int_equal(bsd_sleep_capabilities(host, &targets), 0);
    assert_int_equal(targets, 0);
}

static void
test_long_stderr_bounded(void **state)
{
    static char long_err[2000];
    memset(long_err, 'x', sizeof(long_err) - 1);
    memcpy(long_err, "zzz: begins here\n", 17);
    const answer table[] = {
        {"/fake/zzz -Z", 0, 1, "Hibernating system...\n", long_err},
        {NULL},
    };
    int st = -1;
    assert_int_equal(
        bsd_sleep_suspend(host_for(BSD_OS_OPENBSD, table), VP_NODE_SUSPEND_TARGET_DISK, &st),
        VP_ERR_SYSTEM);
    assert_message_has("suspend to 'disk' failed: '/fake/zzz -Z' exited with status 1: "
                       "zzz: begins here xxx");
    assert_message_has("xxx...");
    assert_true(strlen(vp_error_last()->message) < 512); /* fits the outcome record */
    assert_int_equal(st, -1);
}

static void
test_no_stderr(void **state)
{
    static const answer table[] = {
        {"/fake/sysctl -n hw.acpi.sleep.states", 0, 0, "S0 S3 S5\n", ""},
        {"/fake/sysctl -w hw.acpi.sleep.state=3", 0, 1, "", ""},
        {NULL},
    };
    int st = -1;
    assert_int_equal(
        bsd_sleep_suspend(host_for(BSD_OS_NETBSD, table), VP_NODE_SUSPEND_TARGET_MEM, &st),
        VP_ERR_SYSTEM);
    assert_message_has("exited with status 1: no error output");
    assert_null(strstr(vp_error_last()->message, "apmd")); /* no unrelated hint */
}

static void
test_command_cannot_start(void **state)
{
    static const answer table[] = {
        {"/fake/sysctl -n hw.acpi.supported_sleep_state", 0, 0, "S3 S4 S5\n", ""},
        {.cmd = "/fake/acpiconf -s 4", .error = VP_ERR_SYSTEM},
        {NULL},
    };
    int st = -1;
    assert_int_equal(
        bsd_sleep_suspend(host_for(BSD_OS_FREEBSD, table), VP_NODE_SUSPEND_TARGET_DISK, &st),
        VP_ERR_SYSTEM);
    assert_message_has("fake: '/fake/acpiconf' did not finish");
    assert_int_equal(st, -1);
}

static void
test_success_is_requested(void **state)
{
    static const answer table[] = {
        {"/fake/sysctl -n hw.acpi.supported_sleep_state", 0, 0, "S3\n", ""},
        {"/fake/acpiconf -s 3", 0, 0, "", ""},
        {NULL},
    };
    int st = -1;
    assert_int_equal(
        bsd_sleep_suspend(host_for(BSD_OS_FREEBSD, table), VP_NODE_SUSPEND_TARGET_MEM, &st), 0);
    /* Never "resumed": with devd, acpiconf returns before the host sleeps. */
    assert_int_equal(st, VP_NODE_SUSPEND_REQUESTED);
    assert_string_equal(ran, "/fake/sysctl -n hw.acpi.supported_sleep_state;/fake/acpiconf -s 3;");
}

static void
test_unknown_target(void **state)
{
    int st = -1;
    for (int os = 0; os < BSD_OS_LAST; os++) {
        assert_int_equal(bsd_sleep_suspend(host_for((bsd_os)os, NULL), 7, &st),
                         VP_ERR_NOT_SUPPORTED);
        assert_message_has("cannot suspend to 'unknown'");
    }
    assert_int_equal(st, -1);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sysctl_get),
        cmocka_unit_test(test_probe_timeout),
        cmocka_unit_test(test_openbsd_checks_zzz),
        cmocka_unit_test(test_long_stderr_bounded),
        cmocka_unit_test(test_no_stderr),
        cmocka_unit_test(test_command_cannot_start),
        cmocka_unit_test(test_success_is_requested),
        cmocka_unit_test(test_unknown_target),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
