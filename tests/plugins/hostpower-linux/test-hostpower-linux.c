/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-hostpower-linux.c: the hostpower-linux plugin, compiled into this
 * program and driven through the core's node-suspend policy, against a fake
 * host (tests/helpers/hostpower/fake-host.c): configuration, capabilities
 * of every back end, the full sequence for every target and back end as the
 * fakes recorded it, refusals before arming, the RTC fallbacks, failures
 * with the command's status and stderr, cancel, the duration limits, and
 * the mem_sleep variant: selected around the suspend, restored after it,
 * refused before arming when the kernel does not offer it.
 * Nothing here can reach the real /sys or RTC: every path is a fake.
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "internal.h"
#include "hostpower/fake-host.h"
#include "hostpower/hp-conn.h"
#include "test-assert.h"

extern const vp_plugin_descriptor *const hostpower_linux_LTX_virtplug_plugin;
#define HPL_DESC hostpower_linux_LTX_virtplug_plugin

#define WAIT_MS 30000
#define URI_FAST "test:///default?suspend_delay_ms=10"
#define URI_SLOW "test:///default?suspend_delay_ms=600000"
#define ALARM "root/sys/class/rtc/rtc0/wakealarm"
#define MEM VP_NODE_SUSPEND_TARGET_MEM
#define DISK VP_NODE_SUSPEND_TARGET_DISK
#define HYBRID VP_NODE_SUSPEND_TARGET_HYBRID
#define STH VP_NODE_SUSPEND_TARGET_SUSPEND_THEN_HIBERNATE

static int
setup(void **state)
{
    return hp_runtime_dir_setup(state);
}

static int
teardown(void **state)
{
    setenv("VIRTPLUG_HOSTPOWER_CONF", "/nonexistent/hostpower.conf", 1);
    return hp_runtime_dir_teardown(state);
}

static void
assert_contains(const char *haystack, const char *needle)
{
    if (!strstr(haystack, needle))
        fail_msg("'%s' lacks '%s'", haystack, needle);
}

static void
assert_lacks(const char *haystack, const char *needle)
{
    if (strstr(haystack, needle))
        fail_msg("'%s' has '%s'", haystack, needle);
}

static void
assert_file(hp_fake *fake, const char *rel, const char *expected)
{
    _cleanup_free_ char *content = hp_fake_read(fake, rel);
    assert_non_null(content);
    assert_string_equal(content, expected);
}

/* Open the plugin's driver directly, for configuration errors. */
static int
open_direct(const char *uri, void **ret_priv)
{
    vpi_uri *parsed = NULL;
    assert_int_equal(vpi_uri_parse(uri, &parsed), 0);
    int r = HPL_DESC->hostpower->open(parsed, ret_priv);
    vpi_uri_free(parsed);
    return r;
}

static void
test_conf_override_must_exist(void **state)
{
    void *priv = NULL;
    setenv("VIRTPLUG_HOSTPOWER_CONF", "/nonexistent/hostpower.conf", 1);
    vpt_assert_error(open_direct(URI_FAST, &priv), VP_ERR_INVALID_ARG,
                     "'/nonexistent/hostpower.conf' (from VIRTPLUG_HOSTPOWER_CONF) does not exist");
    assert_null(priv);
}

static void
test_conf_errors(void **state)
{
    static const struct {
        const char *backend;
        const char *extra;
        const char *keyword;
    } cases[] = {
        {"auto", "bogus = 1\n", "unknown key 'bogus'"},
        {"hibernate-please", NULL, "use auto, pm-utils, systemd or sysfs"},
        {"auto", "rtc_device = ../x\n", "needs a device name"},
        {"auto", "suspend_delay_ms = soon\n", "needs an unsigned integer"},
        {"auto", "mem_sleep = s3\n", "key 'mem_sleep' is 's3'; use auto, s2idle, shallow or deep"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        hp_fake *fake = hp_fake_new(cases[i].backend, cases[i].extra);
        void *priv = NULL;
        vpt_assert_error(open_direct(URI_FAST, &priv), VP_ERR_INVALID_ARG, cases[i].keyword);
        assert_non_null(strstr(vp_error_last()->message, fake->conf));
        hp_fake_free(fake);
    }
    hp_fake *fake = hp_fake_new("sysfs", NULL);
    void *priv = NULL;
    vpt_assert_error(open_direct("test:///default?suspend_delay_ms=-1", &priv), VP_ERR_INVALID_ARG,
                     "'suspend_delay_ms'");
    hp_fake_write(fake, "hostpower.conf", "rtcwake = rtcwake\n");
    vpt_assert_error(open_direct(URI_FAST, &priv), VP_ERR_INVALID_ARG,
                     "key 'rtcwake' needs an absolute path, not 'rtcwake'");
    assert_null(priv);
    hp_fake_free(fake);
}

static void
test_suspend_delay_from_conf_and_uri(void **state)
{
    hp_fake *fake = hp_fake_new("sysfs", "suspend_delay_ms = 1234\n");
    unsigned int delay = 0;
    void *priv = NULL;
    assert_int_equal(open_direct("test:///default", &priv), 0);
    assert_int_equal(HPL_DESC->hostpower->get_suspend_delay_ms(priv, &delay), 0);
    assert_int_equal(delay, 1234);
    HPL_DESC->hostpower->close(priv);
    assert_int_equal(open_direct("test:///default?suspend_delay_ms=77", &priv), 0);
    assert_int_equal(HPL_DESC->hostpower->get_suspend_delay_ms(priv, &delay), 0);
    assert_int_equal(delay, 77);
    HPL_DESC->hostpower->close(priv);
    hp_fake_free(fake);
}

static unsigned int
caps_of(const char *backend, const char *state_file, const char *disk_file, int pm_exit)
{
    hp_fake *fake = hp_fake_new(backend, NULL);
    if (state_file)
        hp_fake_write(fake, "root/sys/power/state", state_file);
    if (disk_file)
        hp_fake_write(fake, "root/sys/power/disk", disk_file);
    if (pm_exit < 0)
        hp_fake_remove(fake, "bin/pm-is-supported");
    else if (pm_exit > 0)
        hp_fake_command_fails(fake, "pm-is-supported", pm_exit, "");
    vp_conn *conn = hp_conn_new(URI_FAST, HPL_DESC);
    unsigned int caps = 99;
    assert_int_equal(vp_node_get_suspend_capabilities(conn, &caps), 0);
    vp_conn_close(conn);
    hp_fake_free(fake);
    return caps;
}

static void
test_capabilities(void **state)
{
    assert_int_equal(caps_of("sysfs", NULL, NULL, 0), 7);
    assert_int_equal(caps_of("sysfs", "freeze mem\n", NULL, 0), 1 << MEM);
    assert_int_equal(caps_of("sysfs", NULL, "[platform] shutdown\n", 0), (1 << MEM) | (1 << DISK));
    assert_int_equal(caps_of("sysfs", "\n", NULL, 0), 0);
    assert_int_equal(caps_of("systemd", "freeze disk\n", NULL, 0), (1 << DISK) | (1 << HYBRID));
    /* Only systemd does suspend-then-hibernate, and only with both halves. */
    assert_int_equal(caps_of("systemd", NULL, NULL, 0), 15);
    assert_int_equal(caps_of("systemd", "freeze mem\n", NULL, 0), 1 << MEM);
    assert_int_equal(caps_of("pm-utils", "\n", NULL, 0), 7);
    assert_int_equal(caps_of("pm-utils", NULL, NULL, 1), 0);
    assert_int_equal(caps_of("pm-utils", NULL, NULL, -1), 0);
    assert_int_equal(caps_of("auto", NULL, NULL, -1), 7);
    assert_int_equal(caps_of("auto", "\n", NULL, 0), 7);
    assert_int_equal(caps_of("auto", "\n", NULL, 1), 0);

    hp_fake *fake = hp_fake_new("pm-utils", NULL);
    vp_conn *conn = hp_conn_new(URI_FAST, HPL_DESC);
    unsigned int caps = 0;
    assert_int_equal(vp_node_get_suspend_capabilities(conn, &caps), 0);
    _cleanup_free_ char *calls = hp_fake_calls(fake);
    assert_string_equal(calls, "pm-is-supported --suspend []\npm-is-supported --hibernate []\n"
                               "pm-is-supported --suspend-hybrid []\n");
    vp_conn_close(conn);
    hp_fake_free(fake);
}

typedef struct seq_case {
    const char *backend;
    bool systemd_booted;
    bool no_pm;
    unsigned int target;
    int state;
    const char *call;   /* what the fake was asked, with the alarm at that moment */
    const char *absent; /* a call that must not happen */
    const char *alarm;  /* the wakealarm file at the end */
} seq_case;

static void
run_sequence(const seq_case *c)
{
    hp_fake *fake = hp_fake_new(c->backend, NULL);
    if (c->systemd_booted)
        hp_fake_write(fake, "run/systemd/system/.exists", "");
    if (c->no_pm)
        hp_fake_remove(fake, "bin/pm-is-supported");
    vp_conn *conn = hp_conn_new(URI_FAST, HPL_DESC);
    assert_int_equal(vp_node_suspend_for_duration(conn, c->target, 60, 0), 0);
    assert_int_equal(vp_node_suspend_wait(conn, WAIT_MS), 0);
    vp_node_suspend_result res = hp_conn_suspend_result(conn);
    if (res.state != c->state)
        fail_msg("%s/%s: state %s: %s", c->backend, vp_node_suspend_target_name(c->target),
                 vp_node_suspend_state_name(res.state), res.error_message);
    assert_string_equal(res.driver, "hostpower-linux");
    _cleanup_free_ char *calls = hp_fake_calls(fake);
    if (c->call)
        assert_contains(calls, c->call);
    if (c->absent)
        assert_lacks(calls, c->absent);
    assert_file(fake, ALARM, c->alarm);
    if (strcmp(c->backend, "sysfs") == 0 || (c->no_pm && !c->systemd_booted)) {
        assert_file(fake, "root/sys/power/state", c->target == MEM ? "mem\n" : "disk\n");
        assert_file(fake, "root/sys/power/disk",
                    c->target == HYBRID ? "platform\n"
                                        : "[platform] shutdown reboot suspend test_resume\n");
    } else {
        assert_file(fake, "root/sys/power/state", "freeze mem disk\n");
    }
    vp_conn_close(conn);
    hp_fake_free(fake);
}

static void
test_full_sequence_every_target_and_backend(void **state)
{
    const int R = VP_NODE_SUSPEND_RESUMED, Q = VP_NODE_SUSPEND_REQUESTED;
    const char *armed = "1700000060\n", *cleared = "0\n";
    const seq_case cases[] = {
        {"pm-utils", false, false, MEM, R, "pm-suspend [1700000060]\n", NULL, cleared},
        {"pm-utils", false, false, DISK, R, "pm-hibernate [1700000060]\n", NULL, cleared},
        {"pm-utils", false, false, HYBRID, R, "pm-suspend-hybrid [1700000060]\n", NULL, cleared},
        {"systemd", true, false, MEM, Q, "systemctl suspend [1700000060]\n", "pm-", armed},
        {"systemd", true, false, DISK, Q, "systemctl hibernate [1700000060]\n", "pm-", armed},
        {"systemd", true, false, HYBRID, Q, "systemctl hybrid-sleep [1700000060]\n", "pm-", armed},
        {"systemd", true, false, STH, Q, "systemctl suspend-then-hibernate [1700000060]\n", "pm-",
         armed},
        {"auto", true, false, STH, Q, "systemctl suspend-then-hibernate [1700000060]\n", "pm-",
         armed},
        {"sysfs", false, false, MEM, R, NULL, "pm-", cleared},
        {"sysfs", false, false, DISK, R, NULL, "pm-", cleared},
        {"sysfs", false, false, HYBRID, R, NULL, "pm-", cleared},
        {"auto", true, false, HYBRID, Q, "systemctl hybrid-sleep [1700000060]\n", "pm-", armed},
        {"auto", false, false, DISK, R, "pm-hibernate [1700000060]\n", "systemctl", cleared},
        {"auto", false, true, MEM, R, NULL, "systemctl", cleared},
        {"auto", false, true, HYBRID, R, NULL, "systemctl", cleared},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        run_sequence(&cases[i]);
}

/* A request refused before anything was armed: no alarm, none of the
 * commands in @absent (NULL-terminated) ran, and no record. */
static void
assert_refused_before_arming(hp_fake *fake, vp_conn *conn, const char *const *absent)
{
    assert_file(fake, ALARM, "");
    _cleanup_free_ char *calls = hp_fake_calls(fake);
    for (size_t i = 0; absent[i]; i++)
        assert_lacks(calls, absent[i]);
    assert_int_equal(hp_conn_suspend_result(conn).state, VP_NODE_SUSPEND_NONE);
}

static void
test_pm_is_supported_says_no(void **state)
{
    hp_fake *fake = hp_fake_new("pm-utils", NULL);
    hp_fake_command_fails(fake, "pm-is-supported", 1, "");
    vp_conn *conn = hp_conn_new(URI_FAST, HPL_DESC);
    vpt_assert_error(vp_node_suspend_for_duration(conn, MEM, 60, 0), VP_ERR_NOT_SUPPORTED,
                     "cannot suspend to 'mem'");
    static const char *const absent[] = {"pm-suspend ", "rtcwake", NULL};
    assert_refused_before_arming(fake, conn, absent);
    _cleanup_free_ char *calls = hp_fake_calls(fake);
    assert_contains(calls, "pm-is-supported --suspend");
    vp_conn_close(conn);
    hp_fake_free(fake);
}

static void
test_no_rtc_and_no_rtcwake(void **state)
{
    hp_fake *fake = hp_fake_new("pm-utils", NULL);
    hp_fake_remove(fake, ALARM);
    hp_fake_remove(fake, "root/sys/class/rtc/rtc0/since_epoch");
    hp_fake_remove(fake, "root/sys/class/rtc/rtc0");
    hp_fake_remove(fake, "bin/rtcwake");
    vp_conn *conn = hp_conn_new(URI_FAST, HPL_DESC);
    _cleanup_free_ char *where =
        vp_asprintf("no RTC device under '%s/root/sys/class/rtc'", fake->dir);
    vpt_assert_error(vp_node_suspend_for_duration(conn, MEM, 60, 0), VP_ERR_NOT_SUPPORTED, where);
    assert_contains(vp_error_last()->message, "cannot arm RTC wake alarm");
    assert_contains(vp_error_last()->message, "no rtcwake at");
    _cleanup_free_ char *calls = hp_fake_calls(fake);
    assert_lacks(calls, "pm-suspend ");
    assert_int_equal(hp_conn_suspend_result(conn).state, VP_NODE_SUSPEND_NONE);
    /* Without wake-up it needs no RTC. */
    assert_int_equal(vp_node_suspend_for_duration(conn, MEM, 0, VP_NODE_SUSPEND_NO_WAKEUP), 0);
    assert_int_equal(vp_node_suspend_wait(conn, WAIT_MS), 0);
    assert_int_equal(hp_conn_suspend_result(conn).state, VP_NODE_SUSPEND_RESUMED);
    free(calls);
    calls = hp_fake_calls(fake);
    assert_contains(calls, "pm-suspend []\n");
    vp_conn_close(conn);
    hp_fake_free(fake);
}

static void
test_rtcwake_fallback(void **state)
{
    hp_fake *fake = hp_fake_new("pm-utils", NULL);
    hp_fake_remove(fake, ALARM);
    hp_fake_remove(fake, "root/sys/class/rtc/rtc0/since_epoch");
    hp_fake_remove(fake, "root/sys/class/rtc/rtc0");
    vp_conn *conn = hp_conn_new(URI_FAST, HPL_DESC);
    assert_int_equal(vp_node_suspend_for_duration(conn, MEM, 3600, 0), 0);
    assert_int_equal(vp_node_suspend_wait(conn, WAIT_MS), 0);
    assert_int_equal(hp_conn_suspend_result(conn).state, VP_NODE_SUSPEND_RESUMED);
    _cleanup_free_ char *calls = hp_fake_calls(fake);
    const char *armed = strstr(calls, "rtcwake -m no -s 3600 -d rtc0");
    const char *slept = strstr(calls, "pm-suspend []");
    const char *cleared = strstr(calls, "rtcwake -m disable -d rtc0");
    assert_true(armed && slept && cleared && armed < slept && slept < cleared);
    vp_conn_close(conn);

    /* rtcwake failing is the arm's error, and nothing is suspended. */
    hp_fake_command_fails(fake, "rtcwake", 1, "rtcwake: /dev/rtc0: unable to find device");
    hp_fake_remove(fake, "calls.log");
    conn = hp_conn_new(URI_FAST, HPL_DESC);
    vpt_assert_error(vp_node_suspend_for_duration(conn, MEM, 60, 0), VP_ERR_SYSTEM,
                     "rtcwake' exited with status 1: rtcwake: /dev/rtc0: unable to find device");
    free(calls);
    calls = hp_fake_calls(fake);
    assert_lacks(calls, "pm-suspend");
    vp_conn_close(conn);
    hp_fake_free(fake);
}

static void
test_rtc_ioctl_preferred_over_rtcwake(void **state)
{
    /* sysfs does not list the RTC, but a device node exists: the ioctl path
     * is taken (and here fails, since a regular file is no RTC); rtcwake is
     * never run. */
    hp_fake *fake = hp_fake_new("pm-utils", NULL);
    hp_fake_remove(fake, ALARM);
    hp_fake_remove(fake, "root/sys/class/rtc/rtc0/since_epoch");
    hp_fake_remove(fake, "root/sys/class/rtc/rtc0");
    hp_fake_write(fake, "dev/rtc0", "");
    vp_conn *conn = hp_conn_new(URI_FAST, HPL_DESC);
    _cleanup_free_ char *dev = vp_asprintf("cannot read the time of RTC '%s/dev/rtc0'", fake->dir);
    vpt_assert_error(vp_node_suspend_for_duration(conn, MEM, 60, 0), VP_ERR_SYSTEM, dev);
    _cleanup_free_ char *calls = hp_fake_calls(fake);
    assert_lacks(calls, "rtcwake");
    assert_lacks(calls, "pm-suspend ");
    assert_int_equal(hp_conn_suspend_result(conn).state, VP_NODE_SUSPEND_NONE);
    vp_conn_close(conn);
    hp_fake_free(fake);
}

static void
run_failing_suspend(const char *backend, const char *command, const char *keyword)
{
    hp_fake *fake = hp_fake_new(backend, NULL);
    hp_fake_write(fake, "run/systemd/system/.exists", "");
    hp_fake_command_fails(fake, command, 1, "pm-action: hook 99video inhibited the sleep\n");
    vp_conn *conn = hp_conn_new(URI_FAST, HPL_DESC);
    assert_int_equal(vp_node_suspend_for_duration(conn, MEM, 60, 0), 0);
    assert_int_equal(vp_node_suspend_wait(conn, WAIT_MS), 0);
    vp_node_suspend_result res = hp_conn_suspend_result(conn);
    assert_int_equal(res.state, VP_NODE_SUSPEND_FAILED);
    assert_int_equal(res.error_code, VP_ERR_SYSTEM);
    assert_contains(res.error_message, keyword);
    assert_contains(res.error_message, "exited with status 1: pm-action: hook 99video inhibited");
    assert_file(fake, ALARM, "0\n");
    vp_conn_close(conn);
    hp_fake_free(fake);
}

static void
test_suspend_command_fails(void **state)
{
    run_failing_suspend("pm-utils", "pm-suspend", "/bin/pm-suspend'");
    run_failing_suspend("systemd", "systemctl", "/bin/systemctl'");
}

static void
test_cancel_during_delay(void **state)
{
    hp_fake *fake = hp_fake_new("pm-utils", NULL);
    vp_conn *conn = hp_conn_new(URI_SLOW, HPL_DESC);
    assert_int_equal(vp_node_suspend_for_duration(conn, DISK, 60, 0), 0);
    assert_file(fake, ALARM, "1700000060\n");
    assert_int_equal(vp_node_suspend_cancel(conn, 0), 0);
    vp_node_suspend_result res = hp_conn_suspend_result(conn);
    assert_int_equal(res.state, VP_NODE_SUSPEND_CANCELLED);
    /* The plugin's delay (URI_SLOW's 600 s) sets when it would have slept. */
    assert_int_equal(res.suspend_at_us, res.requested_us + 600000 * 1000LL);
    assert_file(fake, ALARM, "0\n");
    _cleanup_free_ char *calls = hp_fake_calls(fake);
    assert_lacks(calls, "pm-hibernate");
    vp_conn_close(conn);
    hp_fake_free(fake);
}

static void
test_durations(void **state)
{
    hp_fake *fake = hp_fake_new("sysfs", NULL);
    vp_conn *conn = hp_conn_new(URI_SLOW, HPL_DESC);
    vpt_assert_error(vp_node_suspend_for_duration(conn, MEM, 59, 0), VP_ERR_INVALID_ARG, "60 s");
    vpt_assert_error(vp_node_suspend_for_duration(conn, MEM, 0, 0), VP_ERR_INVALID_ARG,
                     "no-wakeup");
    assert_file(fake, ALARM, "");
    assert_int_equal(vp_node_suspend_for_duration(conn, MEM, 60, 0), 0);
    assert_file(fake, ALARM, "1700000060\n");
    assert_int_equal(vp_node_suspend_cancel(conn, 0), 0);
    /* The largest: the alarm lands on the last second a 32-bit RTC holds. */
    const unsigned long long max = 4294967295ull - 1700000000ull;
    assert_int_equal(vp_node_suspend_for_duration(conn, MEM, max, 0), 0);
    assert_file(fake, ALARM, "4294967295\n");
    vp_node_suspend_result res = hp_conn_suspend_result(conn);
    assert_int_equal(res.duration_s, max);
    assert_true(res.wake_at_us >= res.requested_us + (int64_t)max * 1000000);
    assert_int_equal(vp_node_suspend_cancel(conn, 0), 0);
    vpt_assert_error(vp_node_suspend_for_duration(conn, MEM, max + 1, 0), VP_ERR_INVALID_ARG,
                     "the largest duration now is 2594967295 s");
    assert_file(fake, ALARM, "0\n");
    assert_int_equal(hp_conn_suspend_result(conn).state, VP_NODE_SUSPEND_CANCELLED);
    assert_int_equal(vp_node_suspend_for_duration(conn, MEM, 0, VP_NODE_SUSPEND_NO_WAKEUP), 0);
    assert_int_equal(vp_node_suspend_cancel(conn, 0), 0);
    assert_file(fake, ALARM, "0\n");
    vp_conn_close(conn);
    hp_fake_free(fake);
}

static void
test_alarm_not_kept(void **state)
{
    hp_fake *fake = hp_fake_new("sysfs", NULL);
    hp_fake_remove(fake, ALARM);
    _cleanup_free_ char *alarm = vp_asprintf("%s/%s", fake->dir, ALARM);
    assert_int_equal(symlink("/dev/null", alarm), 0);
    vp_conn *conn = hp_conn_new(URI_FAST, HPL_DESC);
    vpt_assert_error(vp_node_suspend_for_duration(conn, MEM, 60, 0), VP_ERR_SYSTEM,
                     "did not keep the alarm: wrote 1700000060, read back ''");
    assert_int_equal(hp_conn_suspend_result(conn).state, VP_NODE_SUSPEND_NONE);
    vp_conn_close(conn);
    hp_fake_free(fake);
}

static void
test_sysfs_write_error_names_file(void **state)
{
    hp_fake *fake = hp_fake_new("sysfs", NULL);
    hp_fake_remove(fake, "root/sys/class/rtc/rtc0/since_epoch");
    vp_conn *conn = hp_conn_new(URI_FAST, HPL_DESC);
    vpt_assert_error(vp_node_suspend_for_duration(conn, MEM, 60, 0), VP_ERR_SYSTEM, "since_epoch");
    assert_file(fake, ALARM, "");
    vp_conn_close(conn);
    hp_fake_free(fake);
}

static void
test_sysfs_hybrid_writes_suspend_mode(void **state)
{
    /* No mode in brackets, so nothing is restored: the file keeps what the
     * plugin wrote before 'disk' went to sys/power/state. */
    hp_fake *fake = hp_fake_new("sysfs", NULL);
    hp_fake_write(fake, "root/sys/power/disk", "platform shutdown suspend\n");
    vp_conn *conn = hp_conn_new(URI_FAST, HPL_DESC);
    assert_int_equal(vp_node_suspend_for_duration(conn, HYBRID, 60, 0), 0);
    assert_int_equal(vp_node_suspend_wait(conn, WAIT_MS), 0);
    assert_int_equal(hp_conn_suspend_result(conn).state, VP_NODE_SUSPEND_RESUMED);
    assert_file(fake, "root/sys/power/disk", "suspend\n");
    assert_file(fake, "root/sys/power/state", "disk\n");
    vp_conn_close(conn);
    hp_fake_free(fake);
}

#define MEM_SLEEP "root/sys/power/mem_sleep"

/* Suspend to @target through @backend with mem_sleep @conf_variant (NULL:
 * auto) on a kernel whose mem_sleep reads @mem_sleep (NULL: no such file). */
static hp_fake *
suspend_with_mem_sleep(const char *backend, const char *conf_variant, const char *mem_sleep,
                       unsigned int target, int state)
{
    _cleanup_free_ char *extra =
        conf_variant ? vp_asprintf("mem_sleep = %s\n", conf_variant) : NULL;
    hp_fake *fake = hp_fake_new(backend, extra);
    if (mem_sleep)
        hp_fake_write(fake, MEM_SLEEP, mem_sleep);
    else
        hp_fake_remove(fake, MEM_SLEEP);
    vp_conn *conn = hp_conn_new(URI_FAST, HPL_DESC);
    assert_int_equal(vp_node_suspend_for_duration(conn, target, 60, 0), 0);
    assert_int_equal(vp_node_suspend_wait(conn, WAIT_MS), 0);
    vp_node_suspend_result res = hp_conn_suspend_result(conn);
    if (res.state != state)
        fail_msg("%s/%s: state %s: %s", backend, vp_node_suspend_target_name(target),
                 vp_node_suspend_state_name(res.state), res.error_message);
    vp_conn_close(conn);
    return fake;
}

typedef struct mem_sleep_case {
    const char *backend;
    const char *variant; /* the key; NULL: not set */
    const char *before;  /* sys/power/mem_sleep; NULL: no such file */
    unsigned int target;
    const char *check;         /* a file of the fake... */
    const char *check_content; /* ...and what it holds at the end */
    const char *after;         /* mem_sleep at the end; NULL: no such file */
} mem_sleep_case;

static void
run_mem_sleep_cases(const mem_sleep_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const mem_sleep_case *c = &cases[i];
        hp_fake *fake = suspend_with_mem_sleep(c->backend, c->variant, c->before, c->target,
                                               VP_NODE_SUSPEND_RESUMED);
        assert_file(fake, c->check, c->check_content);
        if (c->after)
            assert_file(fake, MEM_SLEEP, c->after);
        else
            assert_null(hp_fake_read(fake, MEM_SLEEP));
        hp_fake_free(fake);
    }
}

static void
test_mem_sleep_selected_then_restored(void **state)
{
    const char *st = "root/sys/power/state";
    const mem_sleep_case cases[] = {
        /* sysfs: 'deep' selected, 'mem' written, 's2idle' selected again. */
        {"sysfs", "deep", "[s2idle] deep\n", MEM, st, "mem\n", "s2idle\n"},
        /* No choice marked: nothing to restore, so what was written stays. */
        {"sysfs", "deep", "s2idle deep\n", MEM, st, "mem\n", "deep\n"},
        /* Already selected: left alone. */
        {"sysfs", "deep", "s2idle [deep]\n", MEM, st, "mem\n", "s2idle [deep]\n"},
        /* pm-utils ran while the variant was selected, for mem and hybrid. */
        {"pm-utils", "deep", "[s2idle] shallow deep\n", MEM, "seen/pm-suspend/mem_sleep", "deep\n",
         "s2idle\n"},
        {"pm-utils", "shallow", "[s2idle] shallow deep\n", HYBRID,
         "seen/pm-suspend-hybrid/mem_sleep", "shallow\n", "s2idle\n"},
        /* Hibernation does not use it. */
        {"sysfs", "deep", "[s2idle] deep\n", DISK, st, "disk\n", "[s2idle] deep\n"},
    };
    run_mem_sleep_cases(cases, sizeof(cases) / sizeof(cases[0]));
}

static void
test_mem_sleep_restored_after_failed_suspend(void **state)
{
    hp_fake *fake = hp_fake_new("pm-utils", "mem_sleep = deep\n");
    hp_fake_write(fake, MEM_SLEEP, "[s2idle] deep\n");
    hp_fake_command_fails(fake, "pm-suspend", 1, "pm-action: hook 99video inhibited the sleep\n");
    vp_conn *conn = hp_conn_new(URI_FAST, HPL_DESC);
    assert_int_equal(vp_node_suspend_for_duration(conn, MEM, 60, 0), 0);
    assert_int_equal(vp_node_suspend_wait(conn, WAIT_MS), 0);
    vp_node_suspend_result res = hp_conn_suspend_result(conn);
    assert_int_equal(res.state, VP_NODE_SUSPEND_FAILED);
    assert_contains(res.error_message, "exited with status 1: pm-action: hook 99video");
    assert_file(fake, "seen/pm-suspend/mem_sleep", "deep\n");
    assert_file(fake, MEM_SLEEP, "s2idle\n");
    vp_conn_close(conn);
    hp_fake_free(fake);
}

/* A mem_sleep this host cannot honour is refused before anything is armed. */
static void
refused_mem_sleep(const char *backend, const char *variant, const char *mem_sleep,
                  unsigned int target, const char *keyword)
{
    _cleanup_free_ char *extra = vp_asprintf("mem_sleep = %s\n", variant);
    hp_fake *fake = hp_fake_new(backend, extra);
    hp_fake_write(fake, "run/systemd/system/.exists", "");
    if (mem_sleep)
        hp_fake_write(fake, MEM_SLEEP, mem_sleep);
    else
        hp_fake_remove(fake, MEM_SLEEP);
    vp_conn *conn = hp_conn_new(URI_FAST, HPL_DESC);
    _cleanup_free_ char *file = vp_asprintf("'%s/" MEM_SLEEP "'", fake->dir);
    _cleanup_free_ char *head = vp_asprintf("%s: key 'mem_sleep' is '%s'", fake->conf, variant);
    vpt_assert_error(vp_node_suspend_for_duration(conn, target, 60, 0), VP_ERR_NOT_SUPPORTED, head);
    assert_contains(vp_error_last()->message, keyword);
    if (strcmp(backend, "systemd") != 0)
        assert_contains(vp_error_last()->message, file);
    static const char *const absent[] = {"pm-suspend", "systemctl", "rtcwake", NULL};
    assert_refused_before_arming(fake, conn, absent);
    assert_file(fake, "root/sys/power/state", "freeze mem disk\n");
    if (mem_sleep)
        assert_file(fake, MEM_SLEEP, mem_sleep);
    vp_conn_close(conn);
    hp_fake_free(fake);
}

static void
test_mem_sleep_not_offered_refused(void **state)
{
    const char *offers = "offers only 's2idle [deep]'; set mem_sleep = auto or one of those";
    refused_mem_sleep("sysfs", "shallow", "s2idle [deep]\n", MEM, offers);
    refused_mem_sleep("pm-utils", "shallow", "s2idle [deep]\n", HYBRID, offers);
    /* The key is wrong for the whole host, so every target is refused. */
    refused_mem_sleep("sysfs", "shallow", "s2idle [deep]\n", DISK, offers);
    refused_mem_sleep("sysfs", "deep", NULL, MEM, "does not exist");
    refused_mem_sleep("systemd", "deep", "s2idle [deep]\n", MEM, "MemorySleepMode=");
}

static void
test_mem_sleep_auto(void **state)
{
    /* The kernel's choice is kept; a kernel without the file works as before. */
    const char *st = "root/sys/power/state";
    const mem_sleep_case cases[] = {
        {"sysfs", NULL, "[s2idle] deep\n", MEM, st, "mem\n", "[s2idle] deep\n"},
        {"sysfs", "auto", NULL, MEM, st, "mem\n", NULL},
        {"pm-utils", NULL, NULL, HYBRID, "seen/pm-suspend-hybrid/disk",
         "[platform] shutdown reboot suspend test_resume\n", NULL},
    };
    run_mem_sleep_cases(cases, sizeof(cases) / sizeof(cases[0]));
    hp_fake *fake = hp_fake_new("sysfs", NULL);
    hp_fake_remove(fake, MEM_SLEEP);
    vp_conn *conn = hp_conn_new(URI_FAST, HPL_DESC);
    unsigned int caps = 0;
    assert_int_equal(vp_node_get_suspend_capabilities(conn, &caps), 0);
    assert_int_equal(caps, 7);
    vp_conn_close(conn);
    hp_fake_free(fake);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_conf_override_must_exist, setup, teardown),
        cmocka_unit_test_setup_teardown(test_conf_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_suspend_delay_from_conf_and_uri, setup, teardown),
        cmocka_unit_test_setup_teardown(test_capabilities, setup, teardown),
        cmocka_unit_test_setup_teardown(test_full_sequence_every_target_and_backend, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_pm_is_supported_says_no, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_rtc_and_no_rtcwake, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rtcwake_fallback, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rtc_ioctl_preferred_over_rtcwake, setup, teardown),
        cmocka_unit_test_setup_teardown(test_suspend_command_fails, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cancel_during_delay, setup, teardown),
        cmocka_unit_test_setup_teardown(test_durations, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alarm_not_kept, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sysfs_write_error_names_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sysfs_hybrid_writes_suspend_mode, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mem_sleep_selected_then_restored, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mem_sleep_restored_after_failed_suspend, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_mem_sleep_not_offered_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mem_sleep_auto, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
