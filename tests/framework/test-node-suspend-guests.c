/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-node-suspend-guests.c: the guests policy of a host suspend
 * (framework/node-suspend-guests.c) on test:///default and its simulated
 * host power: pause before, resume and set the clocks after; a domain the
 * user paused stays paused; the policy from the flags or hostpower.conf;
 * a domain that cannot be paused (named, or fatal with --guests-strict);
 * a cancel after the guests were paused; a domain gone while the host
 * slept; the outcome record and vp_node_get_suspend_guests(); a record
 * left by a killed process repaired by the next reader.
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "internal.h"
#include "node-suspend.h"
#include "builtin/test/test-hostpower.h"
#include "hostpower/hp-conn.h"
#include "test-assert.h"

#define WAIT_MS 30000
#define URI "test:///default?suspend_delay_ms=20&hostpower_sleep_ms=300"

static vp_conn *
open_conn(const char *uri)
{
    vp_conn *conn = NULL;
    if (vp_conn_open(uri, 0, &conn) < 0)
        fail_msg("open '%s': %s", uri, vp_error_last()->message);
    return conn;
}

static char *
record_text(void)
{
    _cleanup_free_ char *path = vp_asprintf("%s/" VPI_NODE_SUSPEND_STATE_FILE, hp_runtime_dir());
    char *text = NULL;
    if (vp_plugin_file_read(path, 1 << 20, &text, NULL) < 0)
        return NULL;
    return text;
}

static int
record_has(void *arg)
{
    _cleanup_free_ char *text = record_text();
    return text && strstr(text, arg);
}

static void
wait_record(const char *what)
{
    if (!hp_wait_for(record_has, (void *)what, WAIT_MS))
        fail_msg("the record never had '%s'", what);
}

/* A second domain, started, and paused when @paused (by its user). */
static vp_domain *
add_domain(vp_conn *conn, const char *name, bool paused)
{
    _cleanup_free_ char *xml =
        vp_asprintf("<domain type='test'><name>%s</name><memory unit='MiB'>64</memory>"
                    "<os><type>hvm</type></os></domain>",
                    name);
    vp_domain *dom = NULL;
    if (vp_domain_define_xml(conn, xml, 0, &dom) < 0)
        fail_msg("define: %s", vp_error_last()->message);
    assert_int_equal(vp_domain_start(dom, 0), 0);
    if (paused)
        assert_int_equal(vp_domain_suspend(dom, 0), 0);
    return dom;
}

static vp_domain *
lookup(vp_conn *conn, const char *name)
{
    vp_domain *dom = NULL;
    assert_int_equal(vp_domain_lookup_by_name(conn, name, &dom), 0);
    return dom;
}

static void
assert_state(vp_conn *conn, const char *name, int state, int reason)
{
    vp_domain *dom = lookup(conn, name);
    int s = -1, why = -1;
    assert_int_equal(vp_domain_get_state(dom, &s, &why, 0), 0);
    vp_domain_free(dom);
    if (s != state || why != reason)
        fail_msg("domain '%s' is %d/%d, expected %d/%d", name, s, why, state, reason);
}

/* The outcome's entry for @name: its done bits (-1 when absent) and message. */
static int
guest_done(vp_conn *conn, const char *name, char **ret_message)
{
    vp_node_suspend_guest **g = NULL;
    int n = vp_node_get_suspend_guests(conn, 0, &g);
    assert_true(n >= 0);
    int done = -1;
    for (int i = 0; i < n; i++) {
        if (strcmp(g[i]->name, name) == 0) {
            done = (int)g[i]->done;
            if (ret_message)
                *ret_message = g[i]->message ? vp_strdup(g[i]->message) : NULL;
        }
    }
    assert_null(g[n]);
    vp_node_suspend_guests_free(g);
    return done;
}

static vp_node_suspend_result
result(vp_conn *conn)
{
    vp_node_suspend_result res = {.size = sizeof(res)};
    assert_int_equal(vp_node_get_suspend_result(conn, &res), 0);
    return res;
}

static void
test_pause_resume_and_clocks(void **state)
{
    vp_conn *conn = open_conn(URI);
    vp_domain *user = add_domain(conn, "user", true);
    vp_domain *test = lookup(conn, "test");
    assert_int_equal(vp_domain_set_time(test, 1000, 0, 0), 0);
    assert_int_equal(vp_node_suspend_for_duration(conn, 0, 60, VP_NODE_SUSPEND_GUESTS_PAUSE), 0);
    wait_record("state=suspending\n");
    /* While the host sleeps: paused, its record says so. */
    assert_state(conn, "test", VP_DOMAIN_PAUSED, VP_DOMAIN_PAUSED_UNKNOWN);
    _cleanup_free_ char *asleep = record_text();
    assert_non_null(strstr(asleep, "guests_state=prepared\n"));
    assert_non_null(strstr(asleep, "guest.0.name="));
    assert_int_equal(vp_node_suspend_wait(conn, WAIT_MS), 0);

    vp_node_suspend_result res = result(conn);
    assert_int_equal(res.state, VP_NODE_SUSPEND_RESUMED);
    assert_int_equal(res.guests, VP_NODE_SUSPEND_GUESTS_PAUSE);
    assert_int_equal(res.guests_state, VP_NODE_SUSPEND_GUESTS_STATE_RESTORED);
    assert_int_equal(res.n_guests, 2);
    assert_int_equal(res.n_guest_failures, 0);
    assert_int_equal(guest_done(conn, "test", NULL), VP_NODE_SUSPEND_GUEST_PAUSED |
                                                         VP_NODE_SUSPEND_GUEST_RESUMED |
                                                         VP_NODE_SUSPEND_GUEST_CLOCK_SET);
    assert_int_equal(guest_done(conn, "user", NULL), VP_NODE_SUSPEND_GUEST_WAS_PAUSED);
    assert_state(conn, "test", VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_UNPAUSED);
    assert_state(conn, "user", VP_DOMAIN_PAUSED, VP_DOMAIN_PAUSED_USER);
    /* The clock set to 1000 s before is the host's again. */
    long long sec = 0;
    unsigned int nsec = 0;
    assert_int_equal(vp_domain_get_time(test, &sec, &nsec, 0), 0);
    assert_true(sec >= time(NULL) - 5 && sec <= time(NULL) + 5);
    _cleanup_free_ char *text = record_text();
    assert_non_null(strstr(text, "guests=pause\nguests_state=restored\n"));
    assert_non_null(strstr(text, "guest.0.done=paused,resumed,clock-set\n") ||
                    strstr(text, "guest.1.done=paused,resumed,clock-set\n"));
    assert_non_null(strstr(text, "=was-paused\n"));
    vp_domain_free(test);
    vp_domain_free(user);
    vp_conn_close(conn);
}

static void
test_none_leaves_guests_alone(void **state)
{
    vp_conn *conn = open_conn(URI);
    assert_int_equal(vp_node_suspend_for_duration(conn, 0, 60, VP_NODE_SUSPEND_GUESTS_NONE), 0);
    assert_int_equal(vp_node_suspend_wait(conn, WAIT_MS), 0);
    vp_node_suspend_result res = result(conn);
    assert_int_equal(res.state, VP_NODE_SUSPEND_RESUMED);
    assert_int_equal(res.guests, 0);
    assert_int_equal(res.guests_state, VP_NODE_SUSPEND_GUESTS_STATE_NONE);
    assert_int_equal(res.n_guests, 0);
    assert_int_equal(guest_done(conn, "test", NULL), -1);
    assert_state(conn, "test", VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_BOOTED);
    vp_conn_close(conn);
}

static void
write_conf(const char *text)
{
    _cleanup_free_ char *path = vp_asprintf("%s/hostpower.conf", hp_runtime_dir());
    assert_int_equal(vp_plugin_file_write_atomic(path, text, strlen(text), 0644), 0);
    setenv("VIRTPLUG_HOSTPOWER_CONF", path, 1);
}

static void
test_policy_from_hostpower_conf(void **state)
{
    const char *saved = secure_getenv("VIRTPLUG_HOSTPOWER_CONF");
    _cleanup_free_ char *keep = saved ? vp_strdup(saved) : NULL;
    vp_conn *conn = open_conn(URI);
    write_conf("# the host's policy\nbackend = sysfs\n  guests = pause  \n");
    assert_int_equal(vp_node_suspend_for_duration(conn, 0, 60, 0), 0);
    assert_int_equal(vp_node_suspend_wait(conn, WAIT_MS), 0);
    assert_int_equal(result(conn).guests, VP_NODE_SUSPEND_GUESTS_PAUSE);
    assert_int_equal(guest_done(conn, "test", NULL), VP_NODE_SUSPEND_GUEST_PAUSED |
                                                         VP_NODE_SUSPEND_GUEST_RESUMED |
                                                         VP_NODE_SUSPEND_GUEST_CLOCK_SET);
    /* The request's flag wins over the file. */
    assert_int_equal(vp_node_suspend_for_duration(conn, 0, 60, VP_NODE_SUSPEND_GUESTS_NONE), 0);
    assert_int_equal(vp_node_suspend_wait(conn, WAIT_MS), 0);
    assert_int_equal(result(conn).n_guests, 0);
    write_conf("guests = sometimes\n");
    vpt_assert_error(vp_node_suspend_for_duration(conn, 0, 60, 0), VP_ERR_INVALID_ARG,
                     "key 'guests' is 'sometimes'; use pause or none");
    assert_non_null(strstr(vp_error_last()->message, "hostpower.conf"));
    write_conf("guests = none\n");
    vpt_assert_error(vp_node_suspend_for_duration(conn, 0, 60, VP_NODE_SUSPEND_GUESTS_STRICT),
                     VP_ERR_INVALID_ARG, "--guests-strict needs the pause policy");
    if (keep)
        setenv("VIRTPLUG_HOSTPOWER_CONF", keep, 1);
    else
        unsetenv("VIRTPLUG_HOSTPOWER_CONF");
    vp_conn_close(conn);
}

static void
test_conflicting_flags_refused(void **state)
{
    vp_conn *conn = open_conn(URI);
    vpt_assert_error(vp_node_suspend_for_duration(
                         conn, 0, 60, VP_NODE_SUSPEND_GUESTS_PAUSE | VP_NODE_SUSPEND_GUESTS_NONE),
                     VP_ERR_INVALID_ARG, "either pause or none");
    vpt_assert_error(vp_node_suspend_for_duration(
                         conn, 0, 60, VP_NODE_SUSPEND_GUESTS_NONE | VP_NODE_SUSPEND_GUESTS_STRICT),
                     VP_ERR_INVALID_ARG, "--guests-strict needs the pause policy");
    assert_int_equal(result(conn).state, VP_NODE_SUSPEND_NONE);
    vp_conn_close(conn);
}

static void
test_pause_failure_named_and_suspend_goes_on(void **state)
{
    vp_conn *conn = open_conn(URI "&guests_pause_fail=test");
    vp_domain *other = add_domain(conn, "other", false);
    assert_int_equal(vp_node_suspend_for_duration(conn, 0, 60, VP_NODE_SUSPEND_GUESTS_PAUSE), 0);
    assert_int_equal(vp_node_suspend_wait(conn, WAIT_MS), 0);
    vp_node_suspend_result res = result(conn);
    assert_int_equal(res.state, VP_NODE_SUSPEND_RESUMED);
    assert_int_equal(res.n_guest_failures, 1);
    _cleanup_free_ char *why = NULL;
    assert_int_equal(guest_done(conn, "test", &why), VP_NODE_SUSPEND_GUEST_PAUSE_FAILED);
    assert_non_null(why);
    assert_non_null(strstr(why, "cannot pause domain 'test'"));
    assert_int_equal(guest_done(conn, "other", NULL), VP_NODE_SUSPEND_GUEST_PAUSED |
                                                          VP_NODE_SUSPEND_GUEST_RESUMED |
                                                          VP_NODE_SUSPEND_GUEST_CLOCK_SET);
    vp_domain_free(other);
    vp_conn_close(conn);
}

static void
test_pause_failure_strict_refuses_suspend(void **state)
{
    vp_conn *conn = open_conn(URI "&guests_pause_fail=test");
    vp_domain *other = add_domain(conn, "other", false);
    assert_int_equal(vp_node_suspend_for_duration(
                         conn, 0, 60, VP_NODE_SUSPEND_GUESTS_PAUSE | VP_NODE_SUSPEND_GUESTS_STRICT),
                     0);
    assert_int_equal(vp_node_suspend_wait(conn, WAIT_MS), 0);
    vp_node_suspend_result res = result(conn);
    assert_int_equal(res.state, VP_NODE_SUSPEND_FAILED);
    assert_int_equal(res.error_code, VP_ERR_OPERATION_INVALID);
    assert_non_null(strstr(res.error_message, "cannot pause domain 'test'"));
    assert_non_null(strstr(res.error_message, "--guests-strict"));
    assert_int_equal(res.started_us, 0); /* never suspended */
    bool armed;
    _cleanup_free_ char *log = NULL;
    vpi_test_hostpower_inspect(hp_conn_hostpower_priv(conn), &armed, &log);
    assert_string_equal(log, "arm:60 clear");
    assert_false(armed);
    assert_int_equal(guest_done(conn, "other", NULL), VP_NODE_SUSPEND_GUEST_PAUSED |
                                                          VP_NODE_SUSPEND_GUEST_RESUMED |
                                                          VP_NODE_SUSPEND_GUEST_CLOCK_SET);
    assert_state(conn, "other", VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_UNPAUSED);
    vp_domain_free(other);
    vp_conn_close(conn);
}

static void
test_cancel_after_prepare_restores(void **state)
{
    vp_conn *conn = open_conn(URI "&guests_prepare_ms=800");
    assert_int_equal(vp_node_suspend_for_duration(conn, 0, 60, VP_NODE_SUSPEND_GUESTS_PAUSE), 0);
    wait_record("guests_state=preparing\n");
    assert_int_equal(vp_node_suspend_cancel(conn, 0), 0);
    vp_node_suspend_result res = result(conn);
    assert_int_equal(res.state, VP_NODE_SUSPEND_CANCELLED);
    assert_int_equal(res.guests_state, VP_NODE_SUSPEND_GUESTS_STATE_RESTORED);
    assert_int_equal(guest_done(conn, "test", NULL), VP_NODE_SUSPEND_GUEST_PAUSED |
                                                         VP_NODE_SUSPEND_GUEST_RESUMED |
                                                         VP_NODE_SUSPEND_GUEST_CLOCK_SET);
    assert_state(conn, "test", VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_UNPAUSED);
    bool armed;
    _cleanup_free_ char *log = NULL;
    vpi_test_hostpower_inspect(hp_conn_hostpower_priv(conn), &armed, &log);
    assert_string_equal(log, "arm:60 clear");
    vp_conn_close(conn);
}

static void
test_domain_gone_while_asleep(void **state)
{
    vp_conn *conn = open_conn("test:///default?suspend_delay_ms=20&hostpower_sleep_ms=1500");
    assert_int_equal(vp_node_suspend_for_duration(conn, 0, 60, VP_NODE_SUSPEND_GUESTS_PAUSE), 0);
    wait_record("state=suspending\n");
    vp_domain *dom = lookup(conn, "test");
    assert_int_equal(vp_domain_destroy(dom, 0), 0);
    assert_int_equal(vp_node_suspend_wait(conn, WAIT_MS), 0);
    vp_node_suspend_result res = result(conn);
    assert_int_equal(res.state, VP_NODE_SUSPEND_RESUMED);
    assert_int_equal(res.n_guest_failures, 1);
    _cleanup_free_ char *why = NULL;
    assert_int_equal(guest_done(conn, "test", &why),
                     VP_NODE_SUSPEND_GUEST_PAUSED | VP_NODE_SUSPEND_GUEST_RESUME_FAILED);
    assert_non_null(strstr(why, "shut off while the host slept"));
    vp_domain_free(dom);
    vp_conn_close(conn);
}

static void
write_left_paused(const char *state, const char *uri, long long sleep_mark_ns)
{
    _cleanup_free_ char *text = vp_asprintf("version=1\nstate=%s\ntarget=mem\nflags=2\n"
                                            "duration_s=60\npid=999999\ndriver=test\n"
                                            "guests=pause\nguests_state=prepared\n"
                                            "guests_uri=%s\nguests_sleep_mark_ns=%lld\n"
                                            "guest.0.name=gone\n"
                                            "guest.0.done=paused\nguest.0.error_code=0\n"
                                            "guest.0.message=\n",
                                            state, uri, sleep_mark_ns);
    _cleanup_free_ char *path = vp_asprintf("%s/" VPI_NODE_SUSPEND_STATE_FILE, hp_runtime_dir());
    assert_int_equal(vp_plugin_file_write_atomic(path, text, strlen(text), 0644), 0);
}

static void
test_abandoned_record_repaired_by_reader(void **state)
{
    /* Another hypervisor: not this connection's to repair. */
    write_left_paused("suspending", "test:///default?other=1", 1);
    vp_conn *conn = open_conn(URI);
    vp_node_suspend_result res = result(conn);
    assert_int_equal(res.state, VP_NODE_SUSPEND_ABANDONED);
    assert_int_equal(res.guests_state, VP_NODE_SUSPEND_GUESTS_STATE_PREPARED);
    /* The same one: the reader resumes what is left and records it. */
    write_left_paused("suspending", URI, 1);
    res = result(conn);
    assert_int_equal(res.state, VP_NODE_SUSPEND_ABANDONED);
    assert_int_equal(res.guests_state, VP_NODE_SUSPEND_GUESTS_STATE_RESTORED);
    assert_int_equal(res.n_guests, 1);
    assert_int_equal(guest_done(conn, "gone", NULL), VP_NODE_SUSPEND_GUEST_PAUSED);
    _cleanup_free_ char *text = record_text();
    assert_non_null(strstr(text, "guests_state=restored\n"));
    assert_non_null(strstr(text, "state=suspending\n"));
    vp_conn_close(conn);
}

static long long
sleep_mark_now(void)
{
    struct timespec boot, mono;
    clock_gettime(CLOCK_BOOTTIME, &boot);
    clock_gettime(CLOCK_MONOTONIC, &mono);
    return ((long long)boot.tv_sec - mono.tv_sec) * 1000000000LL + (boot.tv_nsec - mono.tv_nsec);
}

/* An OS that only queued the sleep (systemd: state requested): the guests
 * stay paused until the host has slept (CLOCK_BOOTTIME ran ahead of
 * CLOCK_MONOTONIC), then the next reader resumes them. */
static void
test_requested_waits_for_the_sleep(void **state)
{
    vp_conn *conn = open_conn(URI);
    write_left_paused("requested", URI, sleep_mark_now());
    vp_node_suspend_result res = result(conn);
    assert_int_equal(res.state, VP_NODE_SUSPEND_REQUESTED);
    assert_int_equal(res.guests_state, VP_NODE_SUSPEND_GUESTS_STATE_PREPARED);
    /* As if the host slept 5 s since the guests were paused. */
    write_left_paused("requested", URI, sleep_mark_now() - 5000000000LL);
    res = result(conn);
    assert_int_equal(res.state, VP_NODE_SUSPEND_REQUESTED);
    assert_int_equal(res.guests_state, VP_NODE_SUSPEND_GUESTS_STATE_RESTORED);
    vp_conn_close(conn);
}

static void
test_guests_api_arguments(void **state)
{
    vp_conn *conn = open_conn(URI);
    vp_node_suspend_guest **g = NULL;
    vpt_assert_error(vp_node_get_suspend_guests(conn, 1, &g), VP_ERR_INVALID_ARG, "flags 0x1");
    vpt_assert_error(vp_node_get_suspend_guests(NULL, 0, &g), VP_ERR_INVALID_ARG, "conn");
    assert_int_equal(vp_node_get_suspend_guests(conn, 0, &g), 0);
    assert_null(g[0]);
    vp_node_suspend_guests_free(g);
    vp_node_suspend_guests_free(NULL);
    assert_string_equal(vp_node_suspend_guest_action_name(VP_NODE_SUSPEND_GUEST_CLOCK_NOT_SET),
                        "clock-not-set");
    assert_null(vp_node_suspend_guest_action_name(3));
    assert_string_equal(vp_node_suspend_guests_state_name(VP_NODE_SUSPEND_GUESTS_STATE_PREPARED),
                        "prepared");
    assert_null(vp_node_suspend_guests_state_name(VP_NODE_SUSPEND_GUESTS_STATE_LAST));
    vp_conn_close(conn);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        HP_RUNTIME_TEST(test_pause_resume_and_clocks),
        HP_RUNTIME_TEST(test_none_leaves_guests_alone),
        HP_RUNTIME_TEST(test_policy_from_hostpower_conf),
        HP_RUNTIME_TEST(test_conflicting_flags_refused),
        HP_RUNTIME_TEST(test_pause_failure_named_and_suspend_goes_on),
        HP_RUNTIME_TEST(test_pause_failure_strict_refuses_suspend),
        HP_RUNTIME_TEST(test_cancel_after_prepare_restores),
        HP_RUNTIME_TEST(test_domain_gone_while_asleep),
        HP_RUNTIME_TEST(test_abandoned_record_repaired_by_reader),
        HP_RUNTIME_TEST(test_requested_waits_for_the_sleep),
        HP_RUNTIME_TEST(test_guests_api_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
