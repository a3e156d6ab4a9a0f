/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-bsd-host.c: plugins/hostpower-bsd/bsd-host.c, with a fake uname.
 *
 * Checks the keys of hostpower.conf as hostpower-bsd reads them: defaults
 * when the file is missing, the "os" key and its auto-detection, and that
 * every mistake is an error naming the file and the value; and that the
 * sample docs/hostpower-bsd.conf reads as the defaults.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <virtplug/sdk/services.h>

#include "bsd-host.h"
#include "test-assert.h"

static const char *fake_sysname_value;
static int fake_sysname_calls;

static int
fake_sysname(char *buf, size_t size)
{
    fake_sysname_calls++;
    if (!fake_sysname_value)
        return vp_plugin_error_set(VP_ERR_SYSTEM, "fake uname failed");
    snprintf(buf, size, "%s", fake_sysname_value);
    return 0;
}

static bool
fake_executable(const char *path)
{
    return false;
}

static int
fake_run(const char *const *argv, int timeout_ms, int *ret_exit_status, char **ret_stdout,
         char **ret_stderr)
{
    fail_msg("bsd-host.c must never run a command (asked for '%s')", argv[0]);
    return -1;
}

static const bsd_ops fake_ops = {
    .sysname = fake_sysname,
    .executable = fake_executable,
    .run = fake_run,
};

/* A conf file in a fresh directory; NULL @text: no file at all. */
typedef struct conf {
    char dir[32];
    char path[64];
} conf;

static void
conf_write(conf *c, const char *text)
{
    snprintf(c->dir, sizeof(c->dir), "/tmp/vp-test-bsdhost-XXXXXX");
    assert_non_null(mkdtemp(c->dir));
    snprintf(c->path, sizeof(c->path), "%s/hostpower.conf", c->dir);
    if (text) {
        FILE *fp = fopen(c->path, "w");
        assert_non_null(fp);
        fputs(text, fp);
        assert_int_equal(fclose(fp), 0);
    }
}

static void
conf_remove(conf *c)
{
    unlink(c->path);
    assert_int_equal(rmdir(c->dir), 0);
}

static int
reset(void **state)
{
    fake_sysname_value = "FreeBSD";
    fake_sysname_calls = 0;
    return 0;
}

static void
test_defaults_without_file(void **state)
{
    conf c;
    conf_write(&c, NULL);
    _cleanup_(bsd_host_freep) bsd_host *host = NULL;
    assert_int_equal(bsd_host_new(c.path, &fake_ops, &host), 0);
    assert_int_equal(host->os, BSD_OS_FREEBSD);
    assert_string_equal(host->sysctl, "/sbin/sysctl");
    assert_string_equal(host->acpiconf, "/usr/sbin/acpiconf");
    assert_string_equal(host->zzz, "/usr/sbin/zzz");
    assert_string_equal(host->apm, "/usr/sbin/apm");
    assert_int_equal(host->suspend_delay_ms, BSD_DEFAULT_SUSPEND_DELAY_MS);
    assert_string_equal(host->conf_path, c.path);
    conf_remove(&c);
}

static void
test_auto_detection(void **state)
{
    static const struct {
        const char *sysname;
        bsd_os os;
    } cases[] = {
        {"FreeBSD", BSD_OS_FREEBSD},
        {"DragonFly", BSD_OS_FREEBSD},
        {"OpenBSD", BSD_OS_OPENBSD},
        {"NetBSD", BSD_OS_NETBSD},
    };
    conf c;
    conf_write(&c, "os = auto\n");
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        fake_sysname_value = cases[i].sysname;
        _cleanup_(bsd_host_freep) bsd_host *host = NULL;
        assert_int_equal(bsd_host_new(c.path, &fake_ops, &host), 0);
        assert_int_equal(host->os, cases[i].os);
    }
    conf_remove(&c);
}

static void
test_auto_on_linux_refused(void **state)
{
    conf c;
    conf_write(&c, NULL);
    fake_sysname_value = "Linux";
    bsd_host *host = (bsd_host *)0x1;
    int r = bsd_host_new(c.path, &fake_ops, &host);
    const char *words[] = {"does not know the OS 'Linux'", "os = freebsd", c.path, NULL};
    vpt_assert_error_words(r, VP_ERR_NOT_SUPPORTED, words);
    assert_ptr_equal(host, (bsd_host *)0x1);
    conf_remove(&c);
}

static void
test_uname_failure(void **state)
{
    conf c;
    conf_write(&c, NULL);
    fake_sysname_value = NULL;
    bsd_host *host = NULL;
    const char *words[] = {"fake uname failed", NULL};
    vpt_assert_error_words(bsd_host_new(c.path, &fake_ops, &host), VP_ERR_SYSTEM, words);
    assert_null(host);
    conf_remove(&c);
}

static void
test_explicit_os(void **state)
{
    conf c;
    conf_write(&c, "os = OpenBSD\nsuspend_delay_ms = 250\nzzz = /opt/zzz\n");
    fake_sysname_value = "Linux";
    _cleanup_(bsd_host_freep) bsd_host *host = NULL;
    assert_int_equal(bsd_host_new(c.path, &fake_ops, &host), 0);
    assert_int_equal(host->os, BSD_OS_OPENBSD);
    assert_int_equal(fake_sysname_calls, 0);
    assert_int_equal(host->suspend_delay_ms, 250);
    assert_string_equal(host->zzz, "/opt/zzz");
    assert_string_equal(bsd_os_name(host->os), "OpenBSD");
    conf_remove(&c);
}

static void
test_bad_values(void **state)
{
    static const struct {
        const char *text;
        int code;
        const char *word;
    } cases[] = {
        {"os = solaris\n", VP_ERR_INVALID_ARG, "os 'solaris' is not one of"},
        {"os = freebsd\nacpiconf = acpiconf\n", VP_ERR_INVALID_ARG,
         "'acpiconf' is not an absolute path"},
        {"os = freebsd\nsysctl = bin/sysctl\n", VP_ERR_INVALID_ARG, "sysctl 'bin/sysctl'"},
        {"backend = systemd\n", VP_ERR_INVALID_ARG, "backend"},
        {"suspend_delay_ms = soon\n", VP_ERR_INVALID_ARG, "suspend_delay_ms"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        conf c;
        conf_write(&c, cases[i].text);
        bsd_host *host = NULL;
        const char *words[] = {cases[i].word, c.path, NULL};
        vpt_assert_error_words(bsd_host_new(c.path, &fake_ops, &host), cases[i].code, words);
        assert_null(host);
        conf_remove(&c);
    }
}

static void
test_sample_conf(void **state)
{
    const char *top = secure_getenv("VP_TOP_SRCDIR");
    assert_non_null(top);
    char path[4096];
    snprintf(path, sizeof(path), "%s/docs/hostpower-bsd.conf", top);
    assert_int_equal(access(path, R_OK), 0);
    fake_sysname_value = "NetBSD";
    _cleanup_(bsd_host_freep) bsd_host *host = NULL;
    assert_int_equal(bsd_host_new(path, &fake_ops, &host), 0);
    assert_int_equal(host->os, BSD_OS_NETBSD);
    assert_string_equal(host->acpiconf, "/usr/sbin/acpiconf");
    assert_int_equal(host->suspend_delay_ms, BSD_DEFAULT_SUSPEND_DELAY_MS);
}

static void
test_os_from_sysname(void **state)
{
    bsd_os os = BSD_OS_NETBSD;
    assert_int_equal(bsd_os_from_sysname("Darwin", &os), -1);
    assert_int_equal(os, BSD_OS_NETBSD);
    assert_int_equal(bsd_os_from_sysname("freebsd", &os), -1); /* uname() is exact */
    assert_int_equal(bsd_os_from_sysname("FreeBSD", &os), 0);
    assert_int_equal(os, BSD_OS_FREEBSD);
    assert_string_equal(bsd_os_name(BSD_OS_NETBSD), "NetBSD");
    assert_string_equal(bsd_os_name(BSD_OS_LAST), "unknown");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_defaults_without_file, reset),
        cmocka_unit_test_setup(test_auto_detection, reset),
        cmocka_unit_test_setup(test_auto_on_linux_refused, reset),
        cmocka_unit_test_setup(test_uname_failure, reset),
        cmocka_unit_test_setup(test_explicit_os, reset),
        cmocka_unit_test_setup(test_bad_values, reset),
        cmocka_unit_test_setup(test_sample_conf, reset),
        cmocka_unit_test_setup(test_os_from_sysname, reset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
