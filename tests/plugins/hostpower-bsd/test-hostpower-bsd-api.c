/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-hostpower-bsd-api.c: the hostpower-bsd plugin as applications reach
 * it, loaded by the core from the build tree through
 * "test:///default?hostpower=hostpower-bsd", with hostpower.conf pointing
 * at the fake FreeBSD or OpenBSD commands of tests/helpers/bsd/.
 *
 * Checks capabilities through vp_node_get_suspend_capabilities() and the
 * whole node-suspend path of the core's policy (framework/node-suspend.c)
 * on top of this plugin: the command of each target, failures recorded
 * with exit status and stderr, the timed request refused before anything
 * runs, --no-wakeup accepted, and a cancel during the delay.
 */
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <virtplug/sdk/alloc.h>
#include <virtplug/virtplug.h>

#include "bsd-fixture.h"

#define URI "test:///default?hostpower=hostpower-bsd"
#define MEM (1u << VP_NODE_SUSPEND_TARGET_MEM)
#define DISK (1u << VP_NODE_SUSPEND_TARGET_DISK)
#define WAIT_MS 60000 /* generous: a loaded 2-core machine */

typedef struct world {
    bsd_fixture *fx;
    vp_conn *conn;
} world;

static void
world_open(world *w, const char *flavour, const char *extra_conf)
{
    w->fx = bsd_fixture_new(flavour, extra_conf);
    assert_int_equal(vp_conn_open(URI, 0, &w->conn), 0);
}

static void
world_close(world *w)
{
    vp_conn_close(w->conn);
    bsd_fixture_free(w->fx);
}

static unsigned int
caps(world *w)
{
    unsigned int targets = 0xff;
    assert_int_equal(vp_node_get_suspend_capabilities(w->conn, &targets), 0);
    return targets;
}

static void
test_capabilities(void **state)
{
    world w;
    world_open(&w, "freebsd", NULL);
    bsd_fixture_sysctl(w.fx, "hw.acpi.supported_sleep_state", "S3 S4 S5");
    assert_int_equal(caps(&w), MEM);
    bsd_fixture_sysctl(w.fx, "hw.acpi.s4bios", "1");
    assert_int_equal(caps(&w), MEM | DISK);
    world_close(&w);

    world_open(&w, "openbsd", NULL);
    assert_int_equal(caps(&w), MEM | DISK);
    world_close(&w);
}

static void
test_auto_on_linux(void **state)
{
    world w;
    world_open(&w, "freebsd", NULL);
    /* Without "os", this Linux machine is no BSD: the plugin, opened on the
     * first node call, names the OS and the key to set. */
    bsd_fixture_conf_text(w.fx, "# os = auto\n");
    unsigned int targets = 0;
    assert_int_equal(vp_node_get_suspend_capabilities(w.conn, &targets), VP_ERR_NOT_SUPPORTED);
    assert_non_null(strstr(vp_error_last()->message, "does not know the OS 'Linux'"));
    assert_non_null(strstr(vp_error_last()->message, "os = freebsd"));
    world_close(&w);
}

/* Request a suspend without wake-up and wait for its outcome. */
static vp_node_suspend_result
suspend_no_wakeup(world *w, unsigned int target)
{
    int r = vp_node_suspend_for_duration(w->conn, target, 0, VP_NODE_SUSPEND_NO_WAKEUP);
    assert_int_equal(r, 0);
    assert_int_equal(vp_node_suspend_wait(w->conn, WAIT_MS), 0);
    vp_node_suspend_result res = {.size = sizeof(res)};
    assert_int_equal(vp_node_get_suspend_result(w->conn, &res), 0);
    assert_int_equal(res.target, target);
    assert_int_equal(res.flags, VP_NODE_SUSPEND_NO_WAKEUP);
    assert_string_equal(res.driver, "hostpower-bsd");
    assert_int_equal(res.wake_at_us, 0);
    return res;
}

static void
assert_requested(world *w, unsigned int target, const char *call)
{
    bsd_fixture_forget_calls(w->fx);
    vp_node_suspend_result res = suspend_no_wakeup(w, target);
    if (res.state != VP_NODE_SUSPEND_REQUESTED)
        fail_msg("state '%s' (%s)", vp_node_suspend_state_name(res.state), res.error_message);
    assert_true(bsd_fixture_called(w->fx, call));
}

static void
test_freebsd_targets(void **state)
{
    world w;
    world_open(&w, "freebsd", "suspend_delay_ms = 0\n");
    bsd_fixture_sysctl(w.fx, "hw.acpi.supported_sleep_state", "S3 S4 S5");
    bsd_fixture_sysctl(w.fx, "hw.acpi.s4bios", "1");
    assert_requested(&w, VP_NODE_SUSPEND_TARGET_MEM, "acpiconf -s 3");
    assert_requested(&w, VP_NODE_SUSPEND_TARGET_DISK, "acpiconf -s 4");
    world_close(&w);
}

static void
test_openbsd_targets(void **state)
{
    world w;
    world_open(&w, "openbsd", "suspend_delay_ms = 0\n");
    assert_requested(&w, VP_NODE_SUSPEND_TARGET_MEM, "zzz -z");
    assert_requested(&w, VP_NODE_SUSPEND_TARGET_DISK, "zzz -Z");
    world_close(&w);
}

static void
assert_failed(const vp_node_suspend_result *res, const char *const *words)
{
    assert_int_equal(res->state, VP_NODE_SUSPEND_FAILED);
    assert_int_equal(res->error_code, VP_ERR_SYSTEM);
    for (; *words; words++)
        if (!strstr(res->error_message, *words))
            fail_msg("outcome '%s' lacks '%s'", res->error_message, *words);
}

static void
test_freebsd_state_refused(void **state)
{
    world w;
    world_open(&w, "freebsd", "suspend_delay_ms = 0\n");
    /* The firmware lists S4 and S4BIOS, but the kernel refuses it. */
    bsd_fixture_sysctl(w.fx, "hw.acpi.supported_sleep_state", "S3 S4 S5");
    bsd_fixture_sysctl(w.fx, "hw.acpi.s4bios", "1");
    bsd_fixture_state(w.fx, "acpiconf.exit", "74\n");
    bsd_fixture_state(w.fx, "acpiconf.stderr",
                      "acpiconf: request sleep type (4) failed: Operation not supported\n");
    vp_node_suspend_result res = suspend_no_wakeup(&w, VP_NODE_SUSPEND_TARGET_DISK);
    const char *words[] = {"acpiconf -s 4", "status 74",
                           "request sleep type (4) failed: Operation not supported", NULL};
    assert_failed(&res, words);
    world_close(&w);
}

static void
test_openbsd_apmd_not_running(void **state)
{
    world w;
    world_open(&w, "openbsd", "suspend_delay_ms = 0\n");
    bsd_fixture_state(w.fx, "apmd.down", "");
    vp_node_suspend_result res = suspend_no_wakeup(&w, VP_NODE_SUSPEND_TARGET_MEM);
    const char *words[] = {"zzz -z", "status 1", "cannot connect to apmd", "rcctl start apmd",
                           NULL};
    assert_failed(&res, words);
    world_close(&w);
}

/* Each BSD flavour with the command its MEM suspend runs. */
static const struct flavour {
    const char *os;
    const char *mem_command;
} flavours[] = {{"freebsd", "acpiconf"}, {"openbsd", "zzz"}};

static void
open_flavour(world *w, const struct flavour *f, const char *conf)
{
    world_open(w, f->os, conf);
    if (!strcmp(f->os, "freebsd"))
        bsd_fixture_sysctl(w->fx, "hw.acpi.supported_sleep_state", "S3 S5");
}

static void
test_timed_request_refused(void **state)
{
    for (size_t i = 0; i < sizeof(flavours) / sizeof(flavours[0]); i++) {
        world w;
        open_flavour(&w, &flavours[i], "suspend_delay_ms = 0\n");
        int r = vp_node_suspend_for_duration(w.conn, VP_NODE_SUSPEND_TARGET_MEM, 120, 0);
        assert_int_equal(r, VP_ERR_NOT_SUPPORTED);
        const char *msg = vp_error_last()->message;
        assert_non_null(strstr(msg, "BSDs have no RTC wake alarm"));
        assert_non_null(strstr(msg, "VP_NODE_SUSPEND_NO_WAKEUP"));
        assert_non_null(strstr(msg, "--no-wakeup"));
        /* Refused before anything happened: no suspend command, nothing pending. */
        assert_int_equal(bsd_fixture_count(w.fx, "acpiconf"), 0);
        assert_int_equal(bsd_fixture_count(w.fx, "zzz"), 0);
        assert_int_equal(bsd_fixture_count(w.fx, "apm"), 0);
        assert_int_equal(vp_node_suspend_cancel(w.conn, 0), VP_ERR_OPERATION_INVALID);
        /* The same request without a wake-up is accepted. */
        vp_node_suspend_result res = suspend_no_wakeup(&w, VP_NODE_SUSPEND_TARGET_MEM);
        assert_int_equal(res.state, VP_NODE_SUSPEND_REQUESTED);
        assert_int_equal(bsd_fixture_count(w.fx, flavours[i].mem_command), 1);
        world_close(&w);
    }
}

static void
test_cancel_during_delay(void **state)
{
    for (size_t i = 0; i < sizeof(flavours) / sizeof(flavours[0]); i++) {
        world w;
        /* A delay far longer than the test: the cancel must end it. */
        open_flavour(&w, &flavours[i], "suspend_delay_ms = 600000\n");
        int r = vp_node_suspend_for_duration(w.conn, VP_NODE_SUSPEND_TARGET_MEM, 0,
                                             VP_NODE_SUSPEND_NO_WAKEUP);
        assert_int_equal(r, 0);
        assert_int_equal(vp_node_suspend_cancel(w.conn, 0), 0);
        assert_int_equal(vp_node_suspend_wait(w.conn, WAIT_MS), 0);
        vp_node_suspend_result res = {.size = sizeof(res)};
        assert_int_equal(vp_node_get_suspend_result(w.conn, &res), 0);
        assert_int_equal(res.state, VP_NODE_SUSPEND_CANCELLED);
        /* hostpower.conf's suspend_delay_ms sets when it would have slept. */
        assert_int_equal(res.suspend_at_us, res.requested_us + 600000 * 1000LL);
        assert_int_equal(bsd_fixture_count(w.fx, flavours[i].mem_command), 0);
        world_close(&w);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_capabilities, bsd_fixture_teardown),
        cmocka_unit_test_teardown(test_auto_on_linux, bsd_fixture_teardown),
        cmocka_unit_test_teardown(test_freebsd_targets, bsd_fixture_teardown),
        cmocka_unit_test_teardown(test_openbsd_targets, bsd_fixture_teardown),
        cmocka_unit_test_teardown(test_freebsd_state_refused, bsd_fixture_teardown),
        cmocka_unit_test_teardown(test_openbsd_apmd_not_running, bsd_fixture_teardown),
        cmocka_unit_test_teardown(test_timed_request_refused, bsd_fixture_teardown),
        cmocka_unit_test_teardown(test_cancel_during_delay, bsd_fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
