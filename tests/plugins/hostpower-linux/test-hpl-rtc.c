/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-hpl-rtc.c: the RTC ioctl path of hpl-rtc.c (RTC_RD_TIME, then
 * RTC_WKALM_SET; cleared with RTC_WKALM_RD and RTC_WKALM_SET enabled=0),
 * taken when sysfs does not list the RTC but rtc_dev_dir/rtc_device
 * exists. The plugin's sources are compiled into this program, which is
 * linked with -Wl,--wrap=ioctl so that the fake RTC of
 * tests/helpers/hostpower/fake-rtc.c answers the ioctls made on the fake
 * host's dev/rtc0, a regular file. Checked: the alarm time (the RTC's time
 * plus the duration, in the RTC's own time base, across month, year and
 * leap-day boundaries and whatever TZ says), that the suspend runs after
 * the alarm is set and that resume, cancel and a failed suspend clear it,
 * and that a failing ioctl is an error naming the device with nothing
 * suspended. The plugin's sysfs writes are wrapped too, to check their
 * order (alarm 0 first; mem_sleep selected before the suspend and restored
 * after). Nothing here can reach the real /sys, /dev/rtc* or RTC.
 */
#include <config.h>

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "internal.h"
#include "hostpower/fake-host.h"
#include "hostpower/fake-rtc.h"
#include "hostpower/hp-conn.h"

extern const vp_plugin_descriptor *const hostpower_linux_LTX_virtplug_plugin;
#define HPL_DESC hostpower_linux_LTX_virtplug_plugin

#define WAIT_MS 30000
#define URI_FAST "test:///default?suspend_delay_ms=10"
#define URI_SLOW "test:///default?suspend_delay_ms=600000"
#define MEM VP_NODE_SUSPEND_TARGET_MEM
/* What the pm-utils back end asks before anything is armed. */
#define PROBES                                                                                     \
    "pm-is-supported --suspend []\npm-is-supported --hibernate []\n"                               \
    "pm-is-supported --suspend-hybrid []\n"
/* The suspend itself: pm-suspend, after asking again. */
#define SUSPENDED "pm-is-supported --suspend []\npm-suspend []\n"
/* The RTC of every test reads 2023-12-31 23:59:30 unless it says otherwise;
 * with 60 s the alarm lands in the next year. */
#define RTC_NOW hp_rtc_time(2023, 12, 31, 23, 59, 30)
#define ARMED "RTC_RD_TIME -> 2023-12-31 23:59:30\nRTC_WKALM_SET enabled=1 2024-01-01 00:00:30\n"
#define CLEARED                                                                                    \
    "RTC_WKALM_RD -> enabled=1 2024-01-01 00:00:30\nRTC_WKALM_SET enabled=0 2024-01-01 00:00:30\n"

/* Start the fake RTC afresh on the host's dev/rtc0, reading @now, with an
 * empty calls.log. */
static void
rtc_restart(hp_fake *fake, struct rtc_time now)
{
    _cleanup_free_ char *dev = vp_asprintf("%s/dev/rtc0", fake->dir);
    _cleanup_free_ char *log = vp_asprintf("%s/calls.log", fake->dir);
    hp_fake_remove(fake, "calls.log");
    hp_rtc_start(dev, log, now);
}

/* Remove rtc0 from the fake host's sysfs, as on a host where sysfs does
 * not list it (not mounted, or a container without it). */
static void
remove_sysfs_rtc(hp_fake *fake)
{
    hp_fake_remove(fake, "root/sys/class/rtc/rtc0/wakealarm");
    hp_fake_remove(fake, "root/sys/class/rtc/rtc0/since_epoch");
    hp_fake_remove(fake, "root/sys/class/rtc/rtc0");
}

/* A fake host whose sysfs does not list rtc0 but which has the device
 * node, dev/rtc0, answered by the fake RTC reading @now. */
static hp_fake *
rtc_host_new(struct rtc_time now)
{
    hp_fake *fake = hp_fake_new("pm-utils", NULL);
    remove_sysfs_rtc(fake);
    hp_fake_write(fake, "dev/rtc0", "");
    rtc_restart(fake, now);
    return fake;
}

static void
rtc_host_free(hp_fake *fake)
{
    hp_rtc_stop();
    hp_fake_free(fake);
}

/* The plugin's sysfs writes, through the linker's --wrap as its ioctls:
 * while write_log is set, each write of the plugin's hpl-rtc.c and
 * hpl-suspend.c is appended to it as "write PATH TEXT" (PATH below the fake
 * host's root) before it is done, so a test sees the order of the writes
 * to one file, which its final content cannot show. */
int __real_hpl_write_file(const char *path, const char *text);
int __wrap_hpl_write_file(const char *path, const char *text);
static char *write_log;
static const char *write_root;

/* The kernel's side of the wakeup_count handshake, for the fake sysfs of
 * regular files: writing sys/power/wakeup_count succeeds only with the
 * count the file holds (else EINVAL) and leaves it as it is. Scripted
 * wakeup events: each bumps the count. events_at_commit: how many of the
 * next writes of the count find a new event first; alarm_fires_at_commit:
 * that event is the wake alarm firing (the kernel empties 'wakealarm');
 * state_busy: how many of the next writes of sys/power/state a wakeup
 * event aborts (EBUSY). */
static int events_at_commit;
static bool alarm_fires_at_commit;
static int state_busy;

static bool
ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* A wakeup event: the count in @root's sys/power/wakeup_count goes up. */
static void
wakeup_event(const char *root)
{
    _cleanup_free_ char *path = vp_asprintf("%s/root/sys/power/wakeup_count", root);
    _cleanup_free_ char *count = NULL;
    assert_int_equal(vp_plugin_file_read(path, 64, &count, NULL), 0);
    _cleanup_free_ char *next = vp_asprintf("%ld\n", strtol(count, NULL, 10) + 1);
    assert_int_equal(vp_plugin_file_write_atomic(path, next, strlen(next), 0644), 0);
}

static int
kernel_refuses(const char *path, const char *text, int errnum)
{
    int r =
        vp_plugin_error_set_errno(VP_ERR_SYSTEM, errnum, "cannot write '%s' to '%s'", text, path);
    errno = errnum;
    return r;
}

int
__wrap_hpl_write_file(const char *path, const char *text)
{
    if (write_log) {
        size_t n = strlen(write_root);
        FILE *f = fopen(write_log, "a");
        assert_non_null(f);
        fprintf(f, "write %s %s", strncmp(path, write_root, n) ? path : path + n, text);
        assert_int_equal(fclose(f), 0);
    }
    if (write_root && ends_with(path, "/sys/power/wakeup_count")) {
        if (events_at_commit > 0) {
            events_at_commit--;
            wakeup_event(write_root);
            if (alarm_fires_at_commit) {
                _cleanup_free_ char *alarm =
                    vp_asprintf("%s/root/sys/class/rtc/rtc0/wakealarm", write_root);
                assert_int_equal(__real_hpl_write_file(alarm, ""), 0);
            }
        }
        _cleanup_free_ char *count = NULL;
        assert_int_equal(vp_plugin_file_read(path, 64, &count, NULL), 0);
        return strcmp(count, text) == 0 ? 0 : kernel_refuses(path, text, EINVAL);
    }
    if (write_root && state_busy > 0 && ends_with(path, "/sys/power/state")) {
        state_busy--;
        wakeup_event(write_root);
        return kernel_refuses(path, text, EBUSY);
    }
    return __real_hpl_write_file(path, text);
}

/* The last error is @code with exactly the message @expected (freed). */
static void
assert_error_is(int r, int code, char *expected)
{
    assert_int_equal(r, code);
    const vp_error *e = vp_error_last();
    assert_non_null(e);
    assert_int_equal(e->code, code);
    assert_string_equal(e->message, expected);
    free(expected);
}

static void
assert_alarm(int enabled, const char *time)
{
    assert_int_equal(hp_rtc_alarm_enabled(), enabled);
    _cleanup_free_ char *at = hp_rtc_alarm_time();
    assert_string_equal(at, time);
}

static void
assert_calls(hp_fake *fake, const char *expected)
{
    _cleanup_free_ char *calls = hp_fake_calls(fake);
    assert_string_equal(calls, expected);
}

/* Suspend to RAM for 60 s on @fake with its sysfs writes logged, then
 * check everything logged against @expected. */
static void
suspend_logging_writes(hp_fake *fake, const char *expected)
{
    write_log = vp_asprintf("%s/calls.log", fake->dir);
    write_root = fake->dir;
    vp_conn *conn = hp_conn_new(URI_FAST, HPL_DESC);
    assert_int_equal(vp_node_suspend_for_duration(conn, MEM, 60, 0), 0);
    assert_int_equal(vp_node_suspend_wait(conn, WAIT_MS), 0);
    assert_int_equal(hp_conn_suspend_result(conn).state, VP_NODE_SUSPEND_RESUMED);
    vp_conn_close(conn);
    free(write_log);
    write_log = NULL;
    write_root = NULL;
    assert_calls(fake, expected);
}

/* The sysfs alarm: an alarm already armed refuses a new one (EBUSY), so
 * 0 is written first, then since_epoch + N; after resume, 0 again. The
 * fake commands log the alarm they saw: pm-suspend the new one. */
static void
test_sysfs_alarm_written_zero_first(void **state)
{
    hp_fake *fake = hp_fake_new("pm-utils", NULL);
    hp_fake_write(fake, "root/sys/class/rtc/rtc0/wakealarm", "1699999999\n");
    suspend_logging_writes(fake, "pm-is-supported --suspend [1699999999]\n"
                                 "pm-is-supported --hibernate [1699999999]\n"
                                 "pm-is-supported --suspend-hybrid [1699999999]\n"
                                 "write /root/sys/class/rtc/rtc0/wakealarm 0\n"
                                 "write /root/sys/class/rtc/rtc0/wakealarm 1700000060\n"
                                 "pm-is-supported --suspend [1700000060]\n"
                                 "write /root/sys/power/wakeup_count 42\n"
                                 "pm-suspend [1700000060]\n"
                                 "write /root/sys/class/rtc/rtc0/wakealarm 0\n");
    hp_fake_free(fake);
}

/* Over sysfs with mem_sleep = deep: the variant is selected before 'mem'
 * is written to state, and the kernel's previous choice comes back after. */
static void
test_sysfs_mem_sleep_selected_before_suspend(void **state)
{
    hp_fake *fake = hp_fake_new("sysfs", "mem_sleep = deep\n");
    hp_fake_write(fake, "root/sys/power/mem_sleep", "[s2idle] deep\n");
    suspend_logging_writes(fake, "write /root/sys/class/rtc/rtc0/wakealarm 0\n"
                                 "write /root/sys/class/rtc/rtc0/wakealarm 1700000060\n"
                                 "write /root/sys/power/mem_sleep deep\n"
                                 "write /root/sys/power/wakeup_count 42\n"
                                 "write /root/sys/power/state mem\n"
                                 "write /root/sys/power/mem_sleep s2idle\n"
                                 "write /root/sys/class/rtc/rtc0/wakealarm 0\n");
    hp_fake_free(fake);
}

/* An RTC that sysfs lists without 'wakealarm' cannot wake the host: the
 * kernel hides the file then. Refused before anything is set, although the
 * device node and rtcwake are there and would accept an alarm. */
static void
test_rtc_that_cannot_wake_refused(void **state)
{
    hp_fake *fake = rtc_host_new(RTC_NOW);
    hp_fake_write(fake, "root/sys/class/rtc/rtc0/since_epoch", "1700000000\n");
    vp_conn *conn = hp_conn_new(URI_FAST, HPL_DESC);
    assert_int_equal(vp_node_suspend_for_duration(conn, MEM, 60, 0), VP_ERR_NOT_SUPPORTED);
    const char *msg = vp_error_last()->message;
    if (!strstr(msg, "RTC 'rtc0' cannot wake the host") || !strstr(msg, "without 'wakealarm'"))
        fail_msg("message: %s", msg);
    assert_calls(fake, PROBES);
    assert_int_equal(hp_conn_suspend_result(conn).state, VP_NODE_SUSPEND_NONE);
    vp_conn_close(conn);
    rtc_host_free(fake);
}

static void
test_armed_before_suspend_and_cleared_after_resume(void **state)
{
    hp_fake *fake = rtc_host_new(RTC_NOW);
    vp_conn *conn = hp_conn_new(URI_FAST, HPL_DESC);
    int64_t before_us = vp_plugin_now_us();
    assert_int_equal(vp_node_suspend_for_duration(conn, MEM, 60, 0), 0);
    assert_int_equal(vp_node_suspend_wait(conn, WAIT_MS), 0);
    vp_node_suspend_result res = hp_conn_suspend_result(conn);
    if (res.state != VP_NODE_SUSPEND_RESUMED)
        fail_msg("state %s: %s", vp_node_suspend_state_name(res.state), res.error_message);
    /* wake_at_us is in the system's time, whatever the RTC reads. */
    assert_true(res.wake_at_us >= before_us + 60 * 1000000ll);
    assert_true(res.wake_at_us <= vp_plugin_now_us() + 60 * 1000000ll);
    /* Nothing but the fake RTC set the alarm: rtcwake was never run. */
    assert_calls(fake, PROBES ARMED SUSPENDED CLEARED);
    assert_alarm(0, "2024-01-01 00:00:30");
    vp_conn_close(conn);
    rtc_host_free(fake);
}

static void
test_cleared_on_cancel(void **state)
{
    hp_fake *fake = rtc_host_new(RTC_NOW);
    vp_conn *conn = hp_conn_new(URI_SLOW, HPL_DESC);
    assert_int_equal(vp_node_suspend_for_duration(conn, MEM, 60, 0), 0);
    assert_alarm(1, "2024-01-01 00:00:30");
    assert_calls(fake, PROBES ARMED);
    assert_int_equal(vp_node_suspend_cancel(conn, 0), 0);
    assert_int_equal(hp_conn_suspend_result(conn).state, VP_NODE_SUSPEND_CANCELLED);
    assert_alarm(0, "2024-01-01 00:00:30");
    assert_calls(fake, PROBES ARMED CLEARED);
    vp_conn_close(conn);
    rtc_host_free(fake);
}

/* A request whose pm-suspend fails, with @rtc_request (0: none) failing
 * with EIO on the fake RTC once the alarm is armed. Returns the result's
 * message (transfer full). */
static char *
failed_suspend_message(hp_fake *fake, unsigned long rtc_request)
{
    hp_fake_command_fails(fake, "pm-suspend", 1, "pm-action: inhibited\n");
    vp_conn *conn = hp_conn_new(URI_FAST, HPL_DESC);
    assert_int_equal(vp_node_suspend_for_duration(conn, MEM, 60, 0), 0);
    if (rtc_request)
        hp_rtc_fail(rtc_request, EIO);
    assert_int_equal(vp_node_suspend_wait(conn, WAIT_MS), 0);
    vp_node_suspend_result res = hp_conn_suspend_result(conn);
    assert_int_equal(res.state, VP_NODE_SUSPEND_FAILED);
    vp_conn_close(conn);
    hp_fake_remove(fake, "bin/pm-suspend.exit");
    return vp_strdup(res.error_message);
}

static void
test_cleared_when_suspend_fails(void **state)
{
    hp_fake *fake = rtc_host_new(RTC_NOW);
    _cleanup_free_ char *message = failed_suspend_message(fake, 0);
    _cleanup_free_ char *expected =
        vp_asprintf("'%s/bin/pm-suspend' exited with status 1: pm-action: inhibited", fake->dir);
    assert_string_equal(message, expected);
    assert_calls(fake, PROBES ARMED SUSPENDED CLEARED);
    assert_alarm(0, "2024-01-01 00:00:30");
    rtc_host_free(fake);
}

static void
test_clear_failure_is_reported(void **state)
{
    hp_fake *fake = rtc_host_new(RTC_NOW);
    _cleanup_free_ char *message = failed_suspend_message(fake, RTC_WKALM_RD);
    _cleanup_free_ char *expected = vp_asprintf(
        "'%s/bin/pm-suspend' exited with status 1: pm-action: inhibited; also cannot clear the wake alarm: cannot clear RTC wake alarm on '%s/dev/rtc0': Input/output error",
        fake->dir, fake->dir);
    assert_string_equal(message, expected);
    assert_calls(fake, PROBES ARMED SUSPENDED "RTC_WKALM_RD -> Input/output error\n");
    assert_alarm(1, "2024-01-01 00:00:30");

    /* The alarm was read but cannot be switched off. */
    rtc_restart(fake, RTC_NOW);
    vp_conn *conn = hp_conn_new(URI_SLOW, HPL_DESC);
    assert_int_equal(vp_node_suspend_for_duration(conn, MEM, 60, 0), 0);
    hp_rtc_fail(RTC_WKALM_SET, EIO);
    free(expected);
    expected =
        vp_asprintf("cannot clear RTC wake alarm on '%s/dev/rtc0': Input/output error", fake->dir);
    assert_error_is(vp_node_suspend_cancel(conn, 0), VP_ERR_SYSTEM, vp_strdup(expected));
    vp_node_suspend_result res = hp_conn_suspend_result(conn);
    assert_int_equal(res.state, VP_NODE_SUSPEND_CANCELLED);
    assert_string_equal(res.error_message, expected);
    assert_calls(fake, PROBES ARMED
                 "RTC_WKALM_RD -> enabled=1 2024-01-01 00:00:30\n"
                 "RTC_WKALM_SET enabled=0 2024-01-01 00:00:30 -> Input/output error\n");
    assert_alarm(1, "2024-01-01 00:00:30");
    vp_conn_close(conn);
    rtc_host_free(fake);
}

static void
test_read_time_fails(void **state)
{
    hp_fake *fake = rtc_host_new(RTC_NOW);
    hp_rtc_fail(RTC_RD_TIME, EIO);
    vp_conn *conn = hp_conn_new(URI_FAST, HPL_DESC);
    assert_error_is(
        vp_node_suspend_for_duration(conn, MEM, 60, 0), VP_ERR_SYSTEM,
        vp_asprintf("cannot read the time of RTC '%s/dev/rtc0': Input/output error", fake->dir));
    assert_int_equal(hp_conn_suspend_result(conn).state, VP_NODE_SUSPEND_NONE);
    assert_calls(fake, PROBES "RTC_RD_TIME -> Input/output error\n");
    assert_alarm(0, "1970-01-01 00:00:00");
    vp_conn_close(conn);
    rtc_host_free(fake);
}

static void
test_set_alarm_fails(void **state)
{
    static const struct {
        int errnum;
        const char *tail; /* of the message, after the device */
        const char *logged;
    } cases[] = {
        {EINVAL, " (this RTC has no alarm, or not that far ahead): Invalid argument",
         "Invalid argument"},
        {ERANGE, " (this RTC has no alarm, or not that far ahead): Numerical result out of range",
         "Numerical result out of range"},
        {EIO, ": Input/output error", "Input/output error"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        hp_fake *fake = rtc_host_new(RTC_NOW);
        hp_rtc_fail(RTC_WKALM_SET, cases[i].errnum);
        vp_conn *conn = hp_conn_new(URI_FAST, HPL_DESC);
        assert_error_is(
            vp_node_suspend_for_duration(conn, MEM, 60, 0), VP_ERR_SYSTEM,
            vp_asprintf("cannot arm RTC wake alarm on '%s/dev/rtc0'%s", fake->dir, cases[i].tail));
        assert_int_equal(hp_conn_suspend_result(conn).state, VP_NODE_SUSPEND_NONE);
        _cleanup_free_ char *log = vp_asprintf(
            PROBES
            "RTC_RD_TIME -> 2023-12-31 23:59:30\nRTC_WKALM_SET enabled=1 2024-01-01 00:00:30 -> %s\n",
            cases[i].logged);
        assert_calls(fake, log);
        assert_alarm(0, "1970-01-01 00:00:00");
        vp_conn_close(conn);
        rtc_host_free(fake);
    }
}

typedef struct conversion {
    struct rtc_time now;
    unsigned long long duration_s;
    const char *alarm;
} conversion;

static void
test_alarm_time_in_rtc_time_base(void **state)
{
    /* The RTC's time plus the duration, by the calendar alone: a zone with
     * daylight saving (whose spring gap 02:00-03:00 holds the third case)
     * must change nothing, as the RTC may keep UTC or local time. */
    const conversion cases[] = {
        {hp_rtc_time(2023, 12, 31, 23, 59, 30), 60, "2024-01-01 00:00:30"},
        {hp_rtc_time(2024, 1, 31, 23, 30, 0), 3600, "2024-02-01 00:30:00"},
        {hp_rtc_time(2024, 3, 10, 1, 59, 0), 120, "2024-03-10 02:01:00"},
        {hp_rtc_time(2024, 2, 28, 23, 59, 0), 120, "2024-02-29 00:01:00"},
        {hp_rtc_time(2023, 2, 28, 23, 59, 0), 120, "2023-03-01 00:01:00"},
        {hp_rtc_time(2100, 2, 28, 23, 0, 0), 3600, "2100-03-01 00:00:00"},
        {hp_rtc_time(2024, 4, 30, 12, 0, 0), 31 * 86400ull, "2024-05-31 12:00:00"},
        {hp_rtc_time(2024, 6, 30, 23, 59, 59), 61, "2024-07-01 00:01:00"},
        /* The last second a 32-bit RTC counter holds. */
        {hp_rtc_time(2106, 2, 7, 6, 27, 15), 60, "2106-02-07 06:28:15"},
    };
    const char *tz = secure_getenv("TZ");
    _cleanup_free_ char *saved_tz = tz ? vp_strdup(tz) : NULL;
    setenv("TZ", "EST5EDT,M3.2.0,M11.1.0", 1);
    tzset();
    hp_fake *fake = rtc_host_new(RTC_NOW);
    vp_conn *conn = hp_conn_new(URI_FAST, HPL_DESC);
    void *priv = hp_conn_hostpower_priv(conn);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        rtc_restart(fake, cases[i].now);
        int64_t wake_at_us = 0;
        int r = HPL_DESC->hostpower->wake_alarm_arm(priv, cases[i].duration_s, &wake_at_us);
        if (r < 0)
            fail_msg("case %zu: %s", i, vp_error_last()->message);
        assert_alarm(1, cases[i].alarm);
        assert_int_equal(HPL_DESC->hostpower->wake_alarm_clear(priv), 0);
        assert_alarm(0, cases[i].alarm);
        assert_int_equal(hp_rtc_calls(), 4);
    }
    /* One second more is past what the RTC holds: refused before arming. */
    rtc_restart(fake, hp_rtc_time(2106, 2, 7, 6, 27, 15));
    int64_t wake_at_us = 0;
    assert_int_equal(HPL_DESC->hostpower->wake_alarm_arm(priv, 61, &wake_at_us),
                     VP_ERR_INVALID_ARG);
    const char *message = vp_error_last()->message;
    if (!strstr(message, "too long for RTC 'rtc0'") ||
        !strstr(message, "the largest duration now is 60 s"))
        fail_msg("message '%s'", message);
    assert_int_equal(hp_rtc_calls(), 1);
    assert_alarm(0, "1970-01-01 00:00:00");
    vp_conn_close(conn);
    rtc_host_free(fake);
    if (saved_tz)
        setenv("TZ", saved_tz, 1);
    else
        unsetenv("TZ");
    tzset();
}

/* The wakeup_count handshake over sysfs: suspend to RAM for 60 s with the
 * writes logged; the outcome's state and error message are returned. */
static int
suspend_handshake(hp_fake *fake, char **ret_message)
{
    write_log = vp_asprintf("%s/calls.log", fake->dir);
    write_root = fake->dir;
    vp_conn *conn = hp_conn_new(URI_FAST, HPL_DESC);
    assert_int_equal(vp_node_suspend_for_duration(conn, MEM, 60, 0), 0);
    assert_int_equal(vp_node_suspend_wait(conn, WAIT_MS), 0);
    vp_node_suspend_result res = hp_conn_suspend_result(conn);
    vp_conn_close(conn);
    free(write_log);
    write_log = NULL;
    write_root = NULL;
    *ret_message = vp_strdup(res.error_message);
    return res.state;
}

#define ARM_SYSFS                                                                                  \
    "write /root/sys/class/rtc/rtc0/wakealarm 0\n"                                                 \
    "write /root/sys/class/rtc/rtc0/wakealarm 1700000060\n"
#define CLEAR_SYSFS "write /root/sys/class/rtc/rtc0/wakealarm 0\n"

/* Suspend on a fresh sysfs host with @events wakeup events scripted at the
 * count's write-back (the wake alarm firing as one when @alarm_fires) and
 * @busy suspends aborted by one; the outcome must be @want_state with the
 * writes @calls (between arming and clearing). (transfer full) the message. */
static char *
run_handshake(int events, bool alarm_fires, int busy, int want_state, const char *calls)
{
    hp_fake *fake = hp_fake_new("sysfs", NULL);
    events_at_commit = events;
    alarm_fires_at_commit = alarm_fires;
    state_busy = busy;
    char *message = NULL;
    assert_int_equal(suspend_handshake(fake, &message), want_state);
    events_at_commit = state_busy = 0;
    alarm_fires_at_commit = false;
    _cleanup_free_ char *expected = vp_asprintf(ARM_SYSFS "%s" CLEAR_SYSFS, calls);
    assert_calls(fake, expected);
    hp_fake_free(fake);
    return message;
}

#define COUNT(n) "write /root/sys/power/wakeup_count " #n "\n"
#define STATE_MEM "write /root/sys/power/state mem\n"

/* The count is read before the alarm is armed and written back, as read,
 * right before sys/power/state: an event after arming would make the
 * kernel refuse it. */
static void
test_wakeup_count_read_before_arming_written_before_suspend(void **state)
{
    free(run_handshake(0, false, 0, VP_NODE_SUSPEND_RESUMED, COUNT(42) STATE_MEM));
}

/* A kernel without the file: no handshake, the suspend goes on. */
static void
test_wakeup_count_absent_skipped(void **state)
{
    hp_fake *fake = hp_fake_new("sysfs", NULL);
    hp_fake_remove(fake, "root/sys/power/wakeup_count");
    _cleanup_free_ char *message = NULL;
    assert_int_equal(suspend_handshake(fake, &message), VP_NODE_SUSPEND_RESUMED);
    assert_calls(fake, ARM_SYSFS STATE_MEM CLEAR_SYSFS);
    hp_fake_free(fake);
}

/* An event after arming (a key, a packet) while the alarm is still to
 * come: the kernel refuses 42, the count is read again and 43 accepted. */
static void
test_wakeup_event_retried_while_alarm_pending(void **state)
{
    free(run_handshake(1, false, 0, VP_NODE_SUSPEND_RESUMED, COUNT(42) COUNT(43) STATE_MEM));
}

/* The event was the wake alarm itself: suspending now would leave the host
 * asleep with nothing to wake it, so it does not, and says why. */
static void
test_alarm_fired_before_suspend_not_suspended(void **state)
{
    _cleanup_free_ char *message = run_handshake(1, true, 0, VP_NODE_SUSPEND_FAILED, COUNT(42));
    if (!strstr(message, "a wakeup event arrived after the wake alarm was armed and the wake "
                         "alarm has fired") ||
        !strstr(message, "nothing would wake it"))
        fail_msg("message: %s", message);
}

/* A wakeup event racing with the suspend aborts it (EBUSY from
 * sys/power/state): the handshake is redone and the suspend retried. */
static void
test_suspend_aborted_by_wakeup_event_retried(void **state)
{
    free(run_handshake(0, false, 1, VP_NODE_SUSPEND_RESUMED,
                       COUNT(42) STATE_MEM COUNT(43) STATE_MEM));
}

/* Events that keep coming: given up after HPL_WAKEUP_TRIES handshakes. */
static void
test_wakeup_events_keep_arriving(void **state)
{
    _cleanup_free_ char *message =
        run_handshake(100, false, 0, VP_NODE_SUSPEND_FAILED, COUNT(42) COUNT(43) COUNT(44));
    assert_string_equal(message, "wakeup events kept arriving after the wake alarm was armed (3 "
                                 "times); the host was not suspended");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        HP_RUNTIME_TEST(test_sysfs_alarm_written_zero_first),
        HP_RUNTIME_TEST(test_sysfs_mem_sleep_selected_before_suspend),
        HP_RUNTIME_TEST(test_rtc_that_cannot_wake_refused),
        HP_RUNTIME_TEST(test_armed_before_suspend_and_cleared_after_resume),
        HP_RUNTIME_TEST(test_cleared_on_cancel),
        HP_RUNTIME_TEST(test_cleared_when_suspend_fails),
        HP_RUNTIME_TEST(test_clear_failure_is_reported),
        HP_RUNTIME_TEST(test_read_time_fails),
        HP_RUNTIME_TEST(test_set_alarm_fails),
        HP_RUNTIME_TEST(test_alarm_time_in_rtc_time_base),
        HP_RUNTIME_TEST(test_wakeup_count_read_before_arming_written_before_suspend),
        HP_RUNTIME_TEST(test_wakeup_count_absent_skipped),
        HP_RUNTIME_TEST(test_wakeup_event_retried_while_alarm_pending),
        HP_RUNTIME_TEST(test_alarm_fired_before_suspend_not_suspended),
        HP_RUNTIME_TEST(test_suspend_aborted_by_wakeup_event_retried),
        HP_RUNTIME_TEST(test_wakeup_events_keep_arriving),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
