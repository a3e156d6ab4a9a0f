/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-hostpower-linux-load.c: the hostpower-linux plugin as users get it:
 * plugins/.libs/hostpower-linux.so loaded by the core for a URI with
 * ?hostpower=hostpower-linux, through the public API only. Checks that the
 * test environment's VIRTPLUG_HOSTPOWER_CONF (a file that does not exist)
 * stops the plugin before it touches anything, and one whole request
 * against a fake host.
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <virtplug/virtplug.h>

#include "hostpower/fake-host.h"
#include "hostpower/hp-tmp.h"

#define URI "test:///default?hostpower=hostpower-linux&suspend_delay_ms=10"

static void
test_missing_conf_stops_the_plugin(void **state)
{
    setenv("VIRTPLUG_HOSTPOWER_CONF", "/nonexistent/hostpower.conf", 1);
    vp_conn *conn = NULL;
    assert_int_equal(vp_conn_open(URI, 0, &conn), 0);
    unsigned int caps = 0;
    assert_int_equal(vp_node_get_suspend_capabilities(conn, &caps), VP_ERR_INVALID_ARG);
    assert_non_null(
        strstr(vp_error_last()->message,
               "'/nonexistent/hostpower.conf' (from VIRTPLUG_HOSTPOWER_CONF) does not exist"));
    assert_int_equal(vp_node_suspend_for_duration(conn, VP_NODE_SUSPEND_TARGET_MEM, 60, 0),
                     VP_ERR_INVALID_ARG);
    vp_conn_close(conn);
}

static void
test_whole_request_through_the_loader(void **state)
{
    char *runtime = hp_tmpdir_new();
    setenv("VIRTPLUG_RUNTIME_DIR", runtime, 1);
    hp_fake *fake = hp_fake_new("pm-utils", NULL);
    vp_conn *conn = NULL;
    assert_int_equal(vp_conn_open(URI, 0, &conn), 0);
    unsigned int caps = 0;
    assert_int_equal(vp_node_get_suspend_capabilities(conn, &caps), 0);
    assert_int_equal(caps, 7);
    assert_int_equal(vp_node_suspend_for_duration(conn, VP_NODE_SUSPEND_TARGET_HYBRID, 60, 0), 0);
    assert_int_equal(vp_node_suspend_wait(conn, 30000), 0);
    vp_node_suspend_result res = {.size = sizeof(res)};
    assert_int_equal(vp_node_get_suspend_result(conn, &res), 0);
    assert_int_equal(res.state, VP_NODE_SUSPEND_RESUMED);
    assert_string_equal(res.driver, "hostpower-linux");
    char *calls = hp_fake_calls(fake);
    assert_non_null(strstr(calls, "pm-suspend-hybrid [1700000060]\n"));
    free(calls);
    char *alarm = hp_fake_read(fake, "root/sys/class/rtc/rtc0/wakealarm");
    assert_string_equal(alarm, "0\n");
    free(alarm);
    vp_conn_close(conn);
    hp_fake_free(fake);
    hp_tmpdir_free(runtime);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_missing_conf_stops_the_plugin),
        cmocka_unit_test(test_whole_request_through_the_loader),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
