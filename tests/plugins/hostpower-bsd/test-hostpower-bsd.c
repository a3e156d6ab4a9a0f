/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-hostpower-bsd.c: plugins/hostpower-bsd/hostpower-bsd.c, its vtable
 * called directly with the real ops against the fake BSD commands of
 * tests/helpers/bsd/ (FreeBSD, OpenBSD and NetBSD flavours).
 *
 * Checks the capabilities each flavour reports, the command each target
 * runs (from the fakes' record), the errors (exit status and stderr, with
 * what to do), and the wake-alarm refusal. Nothing here can suspend the
 * machine: every command path points into tests/helpers/bsd/.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <virtplug/sdk/alloc.h>
#include <virtplug/sdk/plugin.h>
#include <virtplug/sdk/services.h>

#include "bsd-fixture.h"
#include "test-assert.h"

extern const vp_plugin_descriptor *const hostpower_bsd_LTX_virtplug_plugin;

#define MEM (1u << VP_NODE_SUSPEND_TARGET_MEM)
#define DISK (1u << VP_NODE_SUSPEND_TARGET_DISK)

typedef struct world {
    bsd_fixture *fx;
    const vp_hostpower_driver *drv;
    void *priv;
} world;

static const vp_hostpower_driver *
driver(void)
{
    const vp_plugin_descriptor *d = hostpower_bsd_LTX_virtplug_plugin;
    assert_string_equal(d->name, "hostpower-bsd");
    assert_null(d->hypervisor);
    assert_non_null(d->hostpower);
    return d->hostpower;
}

static void
world_open(world *w, const char *flavour, const char *extra_conf)
{
    w->fx = bsd_fixture_new(flavour, extra_conf);
    w->drv = driver();
    assert_int_equal(w->drv->open(NULL, &w->priv), 0);
}

static void
world_close(world *w)
{
    w->drv->close(w->priv);
    bsd_fixture_free(w->fx);
}

static unsigned int
caps(world *w)
{
    unsigned int targets = 0xff;
    assert_int_equal(w->drv->get_capabilities(w->priv, &targets), 0);
    return targets;
}

static void
test_freebsd_capabilities(void **state)
{
    world w;
    world_open(&w, "freebsd", NULL);
    /* No ACPI and no APM: nothing. */
    assert_int_equal(caps(&w), 0);
    /* S3 only. */
    bsd_fixture_sysctl(w.fx, "hw.acpi.supported_sleep_state", "S1 S3 S5");
    assert_int_equal(caps(&w), MEM);
    assert_true(bsd_fixture_called(w.fx, "sysctl -n hw.acpi.supported_sleep_state"));
    /* S4 without S4BIOS is not hibernation on FreeBSD. */
    bsd_fixture_sysctl(w.fx, "hw.acpi.supported_sleep_state", "S3 S4 S5");
    bsd_fixture_sysctl(w.fx, "hw.acpi.s4bios", "0");
    assert_int_equal(caps(&w), MEM);
    bsd_fixture_sysctl(w.fx, "hw.acpi.s4bios", "1");
    assert_int_equal(caps(&w), MEM | DISK);
    /* "S34" is not S3 nor S4. */
    bsd_fixture_sysctl(w.fx, "hw.acpi.supported_sleep_state", "S34 S5");
    assert_int_equal(caps(&w), 0);
    world_close(&w);
}

static void
test_freebsd_apm_capabilities(void **state)
{
    world w;
    world_open(&w, "freebsd", NULL);
    bsd_fixture_sysctl(w.fx, "machdep.apm_suspend_delay", "1");
    assert_int_equal(caps(&w), MEM);
    world_close(&w);
}

static void
test_openbsd_capabilities(void **state)
{
    world w;
    world_open(&w, "openbsd", NULL);
    assert_int_equal(caps(&w), MEM | DISK);
    world_close(&w);
    /* Without zzz, OpenBSD cannot ask apmd for anything. */
    world_open(&w, "openbsd", "zzz = /nonexistent/zzz\n");
    assert_int_equal(caps(&w), 0);
    world_close(&w);
}

static void
test_netbsd_capabilities(void **state)
{
    world w;
    world_open(&w, "netbsd", NULL);
    assert_int_equal(caps(&w), 0);
    bsd_fixture_sysctl(w.fx, "hw.acpi.sleep.states", "S0 S1 S3 S4 S5");
    assert_int_equal(caps(&w), MEM); /* never DISK on NetBSD */
    bsd_fixture_sysctl(w.fx, "hw.acpi.sleep.states", "S0 S1 S5");
    assert_int_equal(caps(&w), 0);
    world_close(&w);
}

static void
test_delay(void **state)
{
    world w;
    world_open(&w, "freebsd", "suspend_delay_ms = 1234\n");
    unsigned int delay = 0;
    assert_int_equal(w.drv->get_suspend_delay_ms(w.priv, &delay), 0);
    assert_int_equal(delay, 1234);
    world_close(&w);
    world_open(&w, "openbsd", NULL);
    assert_int_equal(w.drv->get_suspend_delay_ms(w.priv, &delay), 0);
    assert_int_equal(delay, 10000);
    world_close(&w);
}

static void
test_wake_alarm_refused(void **state)
{
    static const char *const flavours[] = {"freebsd", "openbsd", "netbsd"};
    static const char *const names[] = {"FreeBSD", "OpenBSD", "NetBSD"};
    for (size_t i = 0; i < 3; i++) {
        world w;
        world_open(&w, flavours[i], NULL);
        int64_t wake_at = 42;
        int r = w.drv->wake_alarm_arm(w.priv, 120, &wake_at);
        const char *words[] = {"BSDs have no RTC wake alarm", names[i],      "120 s",
                               "VP_NODE_SUSPEND_NO_WAKEUP",   "--no-wakeup", NULL};
        vpt_assert_error_words(r, VP_ERR_NOT_SUPPORTED, words);
        assert_int_equal(wake_at, 42);
        assert_int_equal(w.drv->wake_alarm_clear(w.priv), 0);
        /* Neither ran a command. */
        _cleanup_free_ char *calls = bsd_fixture_calls(w.fx);
        assert_string_equal(calls, "");
        world_close(&w);
    }
}

static void
suspend_ok(world *w, unsigned int target, const char *call)
{
    int st = -1;
    bsd_fixture_forget_calls(w->fx);
    assert_int_equal(w->drv->suspend(w->priv, target, &st), 0);
    assert_int_equal(st, VP_NODE_SUSPEND_REQUESTED);
    if (!bsd_fixture_called(w->fx, call)) {
        _cleanup_free_ char *calls = bsd_fixture_calls(w->fx);
        fail_msg("'%s' was not run; the fakes saw:\n%s", call, calls);
    }
}

static void
test_freebsd_suspend(void **state)
{
    world w;
    world_open(&w, "freebsd", NULL);
    bsd_fixture_sysctl(w.fx, "hw.acpi.supported_sleep_state", "S3 S4 S5");
    bsd_fixture_sysctl(w.fx, "hw.acpi.s4bios", "1");
    suspend_ok(&w, VP_NODE_SUSPEND_TARGET_MEM, "acpiconf -s 3");
    suspend_ok(&w, VP_NODE_SUSPEND_TARGET_DISK, "acpiconf -s 4");
    world_close(&w);
}

static void
test_freebsd_suspend_apm(void **state)
{
    world w;
    world_open(&w, "freebsd", NULL);
    bsd_fixture_sysctl(w.fx, "machdep.apm_suspend_delay", "1");
    suspend_ok(&w, VP_NODE_SUSPEND_TARGET_MEM, "apm -z");
    assert_int_equal(bsd_fixture_count(w.fx, "acpiconf"), 0);
    world_close(&w);
}

static void
test_freebsd_unsupported_state(void **state)
{
    world w;
    world_open(&w, "freebsd", NULL);
    bsd_fixture_sysctl(w.fx, "hw.acpi.supported_sleep_state", "S3 S5");
    int st = -1;
    int r = w.drv->suspend(w.priv, VP_NODE_SUSPEND_TARGET_DISK, &st);
    const char *words[] = {
        "suspend to 'disk' failed",      "acpiconf -s 4'",
        "exited with status 74",         "request sleep type (4) failed: Operation not supported",
        "hw.acpi.supported_sleep_state", NULL};
    vpt_assert_error_words(r, VP_ERR_SYSTEM, words);
    assert_int_equal(st, -1);
    assert_true(bsd_fixture_called(w.fx, "acpiconf -s 4"));
    world_close(&w);
}

static void
test_openbsd_suspend(void **state)
{
    world w;
    world_open(&w, "openbsd", NULL);
    suspend_ok(&w, VP_NODE_SUSPEND_TARGET_MEM, "zzz -z");
    suspend_ok(&w, VP_NODE_SUSPEND_TARGET_DISK, "zzz -Z");
    /* Never through "apm -z", which succeeds silently without apmd. */
    assert_int_equal(bsd_fixture_count(w.fx, "apm"), 0);
    world_close(&w);
}

static void
test_openbsd_apmd_not_running(void **state)
{
    world w;
    world_open(&w, "openbsd", NULL);
    bsd_fixture_state(w.fx, "apmd.down", "");
    for (unsigned int target = 0; target <= VP_NODE_SUSPEND_TARGET_DISK; target++) {
        int st = -1;
        int r = w.drv->suspend(w.priv, target, &st);
        const char *words[] = {
            "failed",           "zzz -", "exited with status 1", "cannot connect to apmd",
            "rcctl start apmd", NULL};
        vpt_assert_error_words(r, VP_ERR_SYSTEM, words);
        assert_int_equal(st, -1);
    }
    assert_int_equal(bsd_fixture_count(w.fx, "zzz"), 2);
    world_close(&w);
}

static void
test_netbsd_suspend(void **state)
{
    world w;
    world_open(&w, "netbsd", NULL);
    bsd_fixture_sysctl(w.fx, "hw.acpi.sleep.states", "S0 S3 S5");
    bsd_fixture_sysctl(w.fx, "hw.acpi.sleep.state", "0");
    suspend_ok(&w, VP_NODE_SUSPEND_TARGET_MEM, "sysctl -w hw.acpi.sleep.state=3");
    world_close(&w);
}

static void
test_netbsd_suspend_machdep(void **state)
{
    world w;
    world_open(&w, "netbsd", NULL);
    bsd_fixture_sysctl(w.fx, "machdep.sleep_state", "0");
    assert_int_equal(caps(&w), MEM);
    suspend_ok(&w, VP_NODE_SUSPEND_TARGET_MEM, "sysctl -w machdep.sleep_state=3");
    world_close(&w);
}

static void
test_no_hybrid_anywhere(void **state)
{
    static const char *const flavours[] = {"freebsd", "openbsd", "netbsd"};
    for (size_t i = 0; i < 3; i++) {
        world w;
        world_open(&w, flavours[i], NULL);
        bsd_fixture_sysctl(w.fx, "hw.acpi.supported_sleep_state", "S1 S2 S3 S4 S5");
        bsd_fixture_sysctl(w.fx, "hw.acpi.s4bios", "1");
        bsd_fixture_sysctl(w.fx, "hw.acpi.sleep.states", "S0 S1 S2 S3 S4 S5");
        assert_int_equal(caps(&w) & (1u << VP_NODE_SUSPEND_TARGET_HYBRID), 0);
        bsd_fixture_forget_calls(w.fx);
        int st = -1;
        int r = w.drv->suspend(w.priv, VP_NODE_SUSPEND_TARGET_HYBRID, &st);
        const char *words[] = {"cannot suspend to 'hybrid'", NULL};
        vpt_assert_error_words(r, VP_ERR_NOT_SUPPORTED, words);
        assert_int_equal(bsd_fixture_count(w.fx, "acpiconf") + bsd_fixture_count(w.fx, "zzz") +
                             bsd_fixture_count(w.fx, "apm"),
                         0);
        world_close(&w);
    }
}

static void
test_command_stderr_and_status(void **state)
{
    world w;
    world_open(&w, "freebsd", NULL);
    bsd_fixture_sysctl(w.fx, "hw.acpi.supported_sleep_state", "S3 S5");
    bsd_fixture_state(w.fx, "acpiconf.exit", "71\n");
    bsd_fixture_state(w.fx, "acpiconf.stderr", "acpiconf: first line\nsecond line\n");
    int st = -1;
    int r = w.drv->suspend(w.priv, VP_NODE_SUSPEND_TARGET_MEM, &st);
    const char *words[] = {"status 71", "acpiconf: first line second line", NULL};
    vpt_assert_error_words(r, VP_ERR_SYSTEM, words);
    /* Only exit status 74 means "state refused". */
    assert_null(strstr(vp_error_last()->message, "supported_sleep_state"));
    world_close(&w);
}

static void
test_missing_command(void **state)
{
    world w;
    world_open(&w, "freebsd", "acpiconf = /nonexistent/acpiconf\n");
    bsd_fixture_sysctl(w.fx, "hw.acpi.supported_sleep_state", "S3 S5");
    int st = -1;
    int r = w.drv->suspend(w.priv, VP_NODE_SUSPEND_TARGET_MEM, &st);
    assert_int_equal(r, VP_ERR_SYSTEM);
    assert_non_null(strstr(vp_error_last()->message, "/nonexistent/acpiconf"));
    assert_int_equal(st, -1);
    world_close(&w);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_freebsd_capabilities, bsd_fixture_teardown),
        cmocka_unit_test_teardown(test_freebsd_apm_capabilities, bsd_fixture_teardown),
        cmocka_unit_test_teardown(test_openbsd_capabilities, bsd_fixture_teardown),
        cmocka_unit_test_teardown(test_netbsd_capabilities, bsd_fixture_teardown),
        cmocka_unit_test_teardown(test_delay, bsd_fixture_teardown),
        cmocka_unit_test_teardown(test_wake_alarm_refused, bsd_fixture_teardown),
        cmocka_unit_test_teardown(test_freebsd_suspend, bsd_fixture_teardown),
        cmocka_unit_test_teardown(test_freebsd_suspend_apm, bsd_fixture_teardown),
        cmocka_unit_test_teardown(test_freebsd_unsupported_state, bsd_fixture_teardown),
        cmocka_unit_test_teardown(test_openbsd_suspend, bsd_fixture_teardown),
        cmocka_unit_test_teardown(test_openbsd_apmd_not_running, bsd_fixture_teardown),
        cmocka_unit_test_teardown(test_netbsd_suspend, bsd_fixture_teardown),
        cmocka_unit_test_teardown(test_netbsd_suspend_machdep, bsd_fixture_teardown),
        cmocka_unit_test_teardown(test_no_hybrid_anywhere, bsd_fixture_teardown),
        cmocka_unit_test_teardown(test_command_stderr_and_status, bsd_fixture_teardown),
        cmocka_unit_test_teardown(test_missing_command, bsd_fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
