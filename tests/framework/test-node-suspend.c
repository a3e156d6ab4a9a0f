/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-node-suspend.c: the node-suspend policy (framework/node-suspend.c)
 * against the test driver's simulated host power: argument rules, the
 * capability check before arming, the delay thread, cancel, the alarm
 * cleared on every failure, the outcome record on disk, one request at a
 * time across threads and processes, and abandoned requests.
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "internal.h"
#include "node-suspend.h"
#include "builtin/test/test-hostpower.h"
#include "hostpower/hp-conn.h"
#include "test-assert.h"

#define WAIT_MS 30000
#define SLOW "test:///default?suspend_delay_ms=600000"
#define FAST "test:///default?suspend_delay_ms=20&hostpower_sleep_ms=5"
#define SLOW_DELAY_US (600000 * 1000LL)
#define FAST_DELAY_US (20 * 1000LL)
/* The thread waits on CLOCK_MONOTONIC and the times are CLOCK_REALTIME: a
 * slewing wall clock may drift this far apart from it over a short delay. */
#define CLOCK_SLACK_US 1000

static const char *argv0;

static void
assert_log(vp_conn *conn, const char *expected, bool armed)
{
    bool is_armed;
    _cleanup_free_ char *log = NULL;
    vpi_test_hostpower_inspect(hp_conn_hostpower_priv(conn), &is_armed, &log);
    assert_string_equal(log, expected);
    assert_int_equal(is_armed, armed);
}

static char *
record_text(void)
{
    _cleanup_free_ char *path = vp_asprintf("%s/" VPI_NODE_SUSPEND_STATE_FILE, hp_runtime_dir());
    char *text = NULL;
    if (vp_plugin_file_read(path, 1 << 16, &text, NULL) < 0)
        return NULL;
    return text;
}

static void
test_arguments_refused_before_anything(void **state)
{
    vp_conn *conn = hp_conn_new(SLOW, NULL);
    vpt_assert_error(vp_node_suspend_for_duration(conn, 4, 60, 0), VP_ERR_INVALID_ARG,
                     "unknown suspend target 4");
    vpt_assert_error(vp_node_suspend_for_duration(conn, 0, 60, 0x10), VP_ERR_INVALID_ARG,
                     "unsupported flags 0x10");
    vpt_assert_error(vp_node_suspend_for_duration(conn, 0, 0, 0), VP_ERR_INVALID_ARG, "no-wakeup");
    vpt_assert_error(vp_node_suspend_for_duration(conn, 0, 59, 0), VP_ERR_INVALID_ARG,
                     "minimum of 60 s");
    vpt_assert_error(vp_node_suspend_for_duration(conn, 0, 1, 0), VP_ERR_INVALID_ARG,
                     "freezing tasks");
    vpt_assert_error(vp_node_suspend_for_duration(conn, 0, 60, VP_NODE_SUSPEND_NO_WAKEUP),
                     VP_ERR_INVALID_ARG, "duration 0, not 60");
    vpt_assert_error(vp_node_suspend_for_duration(conn, 0, ~0ull, 0), VP_ERR_INVALID_ARG,
                     "too long");
    vpt_assert_error(vp_node_suspend_for_duration(NULL, 0, 60, 0), VP_ERR_INVALID_ARG, "conn");
    assert_log(conn, "", false);
    assert_int_equal(hp_conn_suspend_result(conn).state, VP_NODE_SUSPEND_NONE);
    assert_null(record_text());
    vp_conn_close(conn);
}

static void
run_full_sequence(unsigned int target, const char *expected_log)
{
    vp_conn *conn = hp_conn_new(FAST, NULL);
    int64_t before = vp_plugin_now_us();
    assert_int_equal(vp_node_suspend_for_duration(conn, target, 60, 0), 0);
    assert_null(vp_error_last());
    vp_node_suspend_result res = hp_conn_suspend_result(conn);
    assert_true(res.state == VP_NODE_SUSPEND_PENDING || res.state == VP_NODE_SUSPEND_SUSPENDING ||
                res.state == VP_NODE_SUSPEND_RESUMED);
    assert_true(res.wake_at_us >= before + 60 * 1000000LL);
    /* The answer already says when the delay ends. */
    assert_int_equal(res.suspend_at_us, res.requested_us + FAST_DELAY_US);
    int64_t suspend_at_us = res.suspend_at_us;
    assert_int_equal(vp_node_suspend_wait(conn, WAIT_MS), 0);
    res = hp_conn_suspend_result(conn);
    assert_int_equal(res.state, VP_NODE_SUSPEND_RESUMED);
    assert_int_equal(res.suspend_at_us, suspend_at_us);
    /* ... and the suspend did not start before it. */
    assert_true(res.started_us + CLOCK_SLACK_US >= res.suspend_at_us);
    assert_int_equal(res.target, target);
    assert_int_equal(res.duration_s, 60);
    assert_int_equal(res.flags, 0);
    assert_int_equal(res.pid, getpid());
    assert_string_equal(res.driver, "test");
    assert_true(res.requested_us >= before);
    assert_true(res.started_us >= res.requested_us);
    assert_true(res.ended_us >= res.started_us);
    assert_int_equal(res.error_code, 0);
    assert_string_equal(res.error_message, "");
    assert_log(conn, expected_log, false);
    _cleanup_free_ char *text = record_text();
    assert_non_null(strstr(text, "state=resumed\n"));
    _cleanup_free_ char *t = vp_asprintf("target=%s\n", vp_node_suspend_target_name(target));
    assert_non_null(strstr(text, t));
    vp_conn_close(conn);
}

static void
test_full_sequence_mem(void **state)
{
    run_full_sequence(VP_NODE_SUSPEND_TARGET_MEM, "arm:60 suspend:mem clear");
}

static void
test_full_sequence_disk(void **state)
{
    run_full_sequence(VP_NODE_SUSPEND_TARGET_DISK, "arm:60 suspend:disk clear");
}

static void
test_full_sequence_suspend_then_hibernate(void **state)
{
    run_full_sequence(VP_NODE_SUSPEND_TARGET_SUSPEND_THEN_HIBERNATE,
                      "arm:60 suspend:suspend-then-hibernate clear");
}

static void
test_full_sequence_hybrid(void **state)
{
    run_full_sequence(VP_NODE_SUSPEND_TARGET_HYBRID, "arm:60 suspend:hybrid clear");
}

static void
test_no_wakeup_arms_nothing(void **state)
{
    vp_conn *conn = hp_conn_new(FAST, NULL);
    assert_int_equal(vp_node_suspend_for_duration(conn, VP_NODE_SUSPEND_TARGET_MEM, 0,
                                                  VP_NODE_SUSPEND_NO_WAKEUP),
                     0);
    assert_int_equal(vp_node_suspend_wait(conn, WAIT_MS), 0);
    vp_node_suspend_result res = hp_conn_suspend_result(conn);
    assert_int_equal(res.state, VP_NODE_SUSPEND_RESUMED);
    assert_int_equal(res.wake_at_us, 0);
    assert_int_equal(res.suspend_at_us, res.requested_us + FAST_DELAY_US);
    assert_int_equal(res.flags, VP_NODE_SUSPEND_NO_WAKEUP);
    assert_log(conn, "suspend:mem", false);
    vp_conn_close(conn);
}

static void
test_target_host_cannot_do_refused_before_arming(void **state)
{
    vp_conn *conn = hp_conn_new(FAST "&hostpower_caps=mem", NULL);
    vpt_assert_error(vp_node_suspend_for_duration(conn, VP_NODE_SUSPEND_TARGET_DISK, 60, 0),
                     VP_ERR_NOT_SUPPORTED, "cannot suspend to 'disk'");
    assert_non_null(strstr(vp_error_last()->message, "can do: mem"));
    assert_log(conn, "", false);
    assert_int_equal(hp_conn_suspend_result(conn).state, VP_NODE_SUSPEND_NONE);
    /* The refusal released the lock and the in-process guard. */
    assert_int_equal(vp_node_suspend_for_duration(conn, VP_NODE_SUSPEND_TARGET_MEM, 60, 0), 0);
    assert_int_equal(vp_node_suspend_wait(conn, WAIT_MS), 0);
    vp_conn_close(conn);
}

static void
test_arm_failure_leaves_nothing(void **state)
{
    vp_conn *conn = hp_conn_new(FAST "&hostpower_fail=arm", NULL);
    vpt_assert_error(vp_node_suspend_for_duration(conn, 0, 60, 0), VP_ERR_SYSTEM,
                     "cannot arm the simulated wake alarm");
    assert_int_equal(hp_conn_suspend_result(conn).state, VP_NODE_SUSPEND_NONE);
    vpt_assert_error(vp_node_suspend_cancel(conn, 0), VP_ERR_OPERATION_INVALID, "no node suspend");
    vp_conn *other = hp_conn_new(FAST, NULL);
    assert_int_equal(vp_node_suspend_for_duration(other, 0, 60, 0), 0);
    assert_int_equal(vp_node_suspend_wait(other, WAIT_MS), 0);
    vp_conn_close(other);
    vp_conn_close(conn);
}

static void
test_suspend_failure_recorded_and_alarm_cleared(void **state)
{
    vp_conn *conn = hp_conn_new(FAST "&hostpower_fail=suspend", NULL);
    assert_int_equal(vp_node_suspend_for_duration(conn, VP_NODE_SUSPEND_TARGET_DISK, 120, 0), 0);
    assert_int_equal(vp_node_suspend_wait(conn, WAIT_MS), 0);
    vp_node_suspend_result res = hp_conn_suspend_result(conn);
    assert_int_equal(res.state, VP_NODE_SUSPEND_FAILED);
    assert_int_equal(res.error_code, VP_ERR_SYSTEM);
    assert_non_null(strstr(res.error_message, "simulated suspend to 'disk' failed"));
    assert_true(res.ended_us >= res.started_us && res.started_us > 0);
    assert_log(conn, "arm:120 suspend:disk clear", false);
    _cleanup_free_ char *text = record_text();
    assert_non_null(strstr(text, "state=failed\n"));
    assert_non_null(strstr(text, "error_code=-13\n"));
    vp_conn_close(conn);
}

static void
test_suspend_failure_without_wakeup(void **state)
{
    vp_conn *conn = hp_conn_new(FAST "&hostpower_fail=suspend", NULL);
    assert_int_equal(vp_node_suspend_for_duration(conn, 0, 0, VP_NODE_SUSPEND_NO_WAKEUP), 0);
    assert_int_equal(vp_node_suspend_wait(conn, WAIT_MS), 0);
    vp_node_suspend_result res = hp_conn_suspend_result(conn);
    assert_int_equal(res.state, VP_NODE_SUSPEND_FAILED);
    assert_int_equal(res.error_code, VP_ERR_SYSTEM);
    assert_non_null(strstr(res.error_message, "simulated suspend to 'mem' failed"));
    assert_log(conn, "suspend:mem", false);
    vp_conn_close(conn);
}

static void
test_cancel_during_delay(void **state)
{
    vp_conn *conn = hp_conn_new(SLOW, NULL);
    assert_int_equal(vp_node_suspend_for_duration(conn, 0, 60, 0), 0);
    assert_int_equal(hp_conn_suspend_result(conn).state, VP_NODE_SUSPEND_PENDING);
    assert_int_equal(vp_node_suspend_cancel(conn, 0), 0);
    vp_node_suspend_result res = hp_conn_suspend_result(conn);
    assert_int_equal(res.state, VP_NODE_SUSPEND_CANCELLED);
    assert_true(res.ended_us >= res.requested_us);
    assert_int_equal(res.started_us, 0);
    /* The time it would have slept at stays in the record. */
    assert_int_equal(res.suspend_at_us, res.requested_us + SLOW_DELAY_US);
    assert_log(conn, "arm:60 clear", false);
    vpt_assert_error(vp_node_suspend_cancel(conn, 0), VP_ERR_OPERATION_INVALID, "no node suspend");
    vpt_assert_error(vp_node_suspend_cancel(conn, 1), VP_ERR_INVALID_ARG, "unsupported flags");
    assert_int_equal(vp_node_suspend_wait(conn, 0), 0);
    vp_conn_close(conn);
}

static void
test_cancel_reports_a_failed_clear(void **state)
{
    vp_conn *conn = hp_conn_new(SLOW "&hostpower_fail=clear", NULL);
    assert_int_equal(vp_node_suspend_for_duration(conn, 0, 60, 0), 0);
    vpt_assert_error(vp_node_suspend_cancel(conn, 0), VP_ERR_SYSTEM, "cannot clear");
    vp_node_suspend_result res = hp_conn_suspend_result(conn);
    assert_int_equal(res.state, VP_NODE_SUSPEND_CANCELLED);
    assert_int_equal(res.error_code, VP_ERR_SYSTEM);
    vp_conn_close(conn);
}

static int
is_suspending(void *arg)
{
    return hp_conn_suspend_result(arg).state == VP_NODE_SUSPEND_SUSPENDING;
}

static void
test_cancel_after_delay_refused(void **state)
{
    vp_conn *conn = hp_conn_new("test:///default?suspend_delay_ms=0&hostpower_sleep_ms=400", NULL);
    assert_int_equal(vp_node_suspend_for_duration(conn, 0, 60, 0), 0);
    assert_true(hp_wait_for(is_suspending, conn, WAIT_MS));
    vpt_assert_error(vp_node_suspend_cancel(conn, 0), VP_ERR_OPERATION_INVALID, "already started");
    assert_int_equal(vp_node_suspend_wait(conn, WAIT_MS), 0);
    assert_int_equal(hp_conn_suspend_result(conn).state, VP_NODE_SUSPEND_RESUMED);
    vp_conn_close(conn);
}

static void
test_wait_timeout_and_conn_closed_meanwhile(void **state)
{
    vp_conn *conn = hp_conn_new(SLOW, NULL);
    vp_conn *other = hp_conn_new(SLOW, NULL);
    assert_int_equal(vp_node_suspend_for_duration(conn, 0, 60, 0), 0);
    vpt_assert_error(vp_node_suspend_wait(other, 10), VP_ERR_TIMEOUT, "did not finish");
    vp_conn_close(conn); /* the job keeps its own reference */
    assert_int_equal(vp_node_suspend_cancel(other, 0), 0);
    assert_int_equal(hp_conn_suspend_result(other).state, VP_NODE_SUSPEND_CANCELLED);
    vp_conn_close(other);
}

static void
test_result_size_honoured(void **state)
{
    vp_conn *conn = hp_conn_new(SLOW, NULL);
    assert_int_equal(vp_node_suspend_for_duration(conn, VP_NODE_SUSPEND_TARGET_HYBRID, 60, 0), 0);
    vp_node_suspend_result res;
    memset(&res, 0x5a, sizeof(res));
    res.size = offsetof(vp_node_suspend_result, target);
    assert_int_equal(vp_node_get_suspend_result(conn, &res), 0);
    assert_int_equal(res.size, offsetof(vp_node_suspend_result, target));
    assert_int_equal(res.state, VP_NODE_SUSPEND_PENDING);
    assert_int_equal(res.target, 0x5a5a5a5a);
    res.size = 2;
    vpt_assert_error(vp_node_get_suspend_result(conn, &res), VP_ERR_INVALID_ARG, "size");
    assert_int_equal(vp_node_suspend_cancel(conn, 0), 0);
    vp_conn_close(conn);
}

typedef struct race {
    vp_conn *conn;
    pthread_barrier_t *barrier;
    int r;
    int code;
} race;

static void *
race_thread(void *arg)
{
    race *rc = arg;
    pthread_barrier_wait(rc->barrier);
    rc->r = vp_node_suspend_for_duration(rc->conn, 0, 60, 0);
    const vp_error *e = vp_error_last();
    rc->code = e ? e->code : 0;
    if (e && !strstr(e->message, "in progress"))
        rc->code = 1;
    return NULL;
}

static void
test_hundred_threads_exactly_one(void **state)
{
    enum { N = 100 };
    vp_conn *conn = hp_conn_new(SLOW, NULL);
    pthread_barrier_t barrier;
    pthread_barrier_init(&barrier, NULL, N);
    pthread_t th[N];
    race rc[N];
    for (int i = 0; i < N; i++) {
        rc[i] = (race){.conn = conn, .barrier = &barrier};
        assert_int_equal(pthread_create(&th[i], NULL, race_thread, &rc[i]), 0);
    }
    int ok = 0, busy = 0;
    for (int i = 0; i < N; i++) {
        pthread_join(th[i], NULL);
        ok += rc[i].r == 0;
        busy += rc[i].r == VP_ERR_OPERATION_IN_PROGRESS && rc[i].code == rc[i].r;
    }
    pthread_barrier_destroy(&barrier);
    assert_int_equal(ok, 1);
    assert_int_equal(busy, N - 1);
    assert_log(conn, "arm:60", true);
    assert_int_equal(vp_node_suspend_cancel(conn, 0), 0);
    vp_conn_close(conn);
}

/* A child: request (slow), report the result on @out, then wait for a byte
 * on @in; cancel if it got the request; exit. */
static void
child_request(int in, int out)
{
    vp_conn *conn = hp_conn_new(SLOW, NULL);
    char go;
    if (read(in, &go, 1) != 1)
        _exit(3);
    int r = vp_node_suspend_for_duration(conn, 0, 60, 0);
    if (write(out, &r, sizeof(r)) != sizeof(r))
        _exit(3);
    if (read(in, &go, 1) != 1)
        _exit(3);
    if (r == 0 && vp_node_suspend_cancel(conn, 0) < 0)
        _exit(4);
    vp_conn_close(conn);
    _exit(0);
}

static void
test_two_processes_exactly_one(void **state)
{
    int to_child[2][2], from_child[2];
    assert_int_equal(pipe(from_child), 0);
    pid_t pids[2];
    for (int i = 0; i < 2; i++) {
        assert_int_equal(pipe(to_child[i]), 0);
        pids[i] = fork();
        assert_true(pids[i] >= 0);
        if (pids[i] == 0)
            child_request(to_child[i][0], from_child[1]);
    }
    for (int i = 0; i < 2; i++) /* both start at once */
        assert_int_equal(write(to_child[i][1], "g", 1), 1);
    int results[2];
    for (int i = 0; i < 2; i++)
        assert_int_equal(read(from_child[0], &results[i], sizeof(int)), sizeof(int));
    assert_int_equal(results[0] + results[1], VP_ERR_OPERATION_IN_PROGRESS);
    assert_true(results[0] == 0 || results[1] == 0);
    vp_conn *conn = hp_conn_new(SLOW, NULL);
    vp_node_suspend_result res = hp_conn_suspend_result(conn);
    assert_int_equal(res.state, VP_NODE_SUSPEND_PENDING);
    assert_true(res.pid == pids[0] || res.pid == pids[1]);
    vpt_assert_error(vp_node_suspend_for_duration(conn, 0, 60, 0), VP_ERR_OPERATION_IN_PROGRESS,
                     "another node suspend is in progress on this host");
    for (int i = 0; i < 2; i++) {
        assert_int_equal(write(to_child[i][1], "g", 1), 1);
        int st;
        assert_int_equal(waitpid(pids[i], &st, 0), pids[i]);
        assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
        close(to_child[i][0]);
        close(to_child[i][1]);
    }
    assert_int_equal(hp_conn_suspend_result(conn).state, VP_NODE_SUSPEND_CANCELLED);
    close(from_child[0]);
    close(from_child[1]);
    vp_conn_close(conn);
}

static pid_t
fork_and_run(const char *uri, bool wait_outcome)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        vp_conn *conn = hp_conn_new(uri, NULL);
        if (vp_node_suspend_for_duration(conn, VP_NODE_SUSPEND_TARGET_MEM, 90, 0) < 0)
            _exit(1);
        if (wait_outcome && vp_node_suspend_wait(conn, WAIT_MS) < 0)
            _exit(2);
        _exit(0); /* without cancel: the request dies with the process */
    }
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    return pid;
}

static void
test_process_exiting_during_delay_is_abandoned(void **state)
{
    pid_t pid = fork_and_run(SLOW, false);
    vp_conn *conn = hp_conn_new(SLOW, NULL);
    vp_node_suspend_result res = hp_conn_suspend_result(conn);
    assert_int_equal(res.state, VP_NODE_SUSPEND_ABANDONED);
    assert_int_equal(res.pid, pid);
    assert_int_equal(res.duration_s, 90);
    /* No stale lock: the next request proceeds. */
    assert_int_equal(vp_node_suspend_for_duration(conn, 0, 60, 0), 0);
    res = hp_conn_suspend_result(conn);
    assert_int_equal(res.state, VP_NODE_SUSPEND_PENDING);
    assert_int_equal(res.pid, getpid());
    assert_int_equal(vp_node_suspend_cancel(conn, 0), 0);
    vp_conn_close(conn);
}

static void
test_outcome_readable_after_requester_exited(void **state)
{
    pid_t pid = fork_and_run(FAST, true);
    vp_conn *conn = hp_conn_new(SLOW, NULL);
    vp_node_suspend_result res = hp_conn_suspend_result(conn);
    assert_int_equal(res.state, VP_NODE_SUSPEND_RESUMED);
    assert_int_equal(res.pid, pid);
    assert_int_equal(res.duration_s, 90);
    /* Written by the child, read back here from the file alone. */
    assert_int_equal(res.suspend_at_us, res.requested_us + FAST_DELAY_US);
    _cleanup_free_ char *text = record_text();
    _cleanup_free_ char *line = vp_asprintf("\nsuspend_at_us=%lld\n", (long long)res.suspend_at_us);
    assert_non_null(strstr(text, line));
    vp_conn_close(conn);
}

static void
write_record(const char *text)
{
    _cleanup_free_ char *path = vp_asprintf("%s/" VPI_NODE_SUSPEND_STATE_FILE, hp_runtime_dir());
    assert_int_equal(vp_plugin_file_write_atomic(path, text, strlen(text), 0644), 0);
}

/* A record as the first 1.0 wrote it, before suspend_at_us existed. */
static const char old_record[] = "version=1\n"
                                 "state=resumed\n"
                                 "target=disk\n"
                                 "flags=0\n"
                                 "duration_s=120\n"
                                 "requested_us=1795000000000000\n"
                                 "started_us=1795000010000000\n"
                                 "ended_us=1795000130000000\n"
                                 "wake_at_us=1795000120000000\n"
                                 "pid=4242\n"
                                 "driver=hostpower-linux\n"
                                 "error_code=0\n"
                                 "error_message=\n";

static void
test_record_without_suspend_at_still_parses(void **state)
{
    write_record(old_record);
    vp_conn *conn = hp_conn_new(SLOW, NULL);
    vp_node_suspend_result res;
    memset(&res, 0x5a, sizeof(res));
    res.size = sizeof(res);
    assert_int_equal(vp_node_get_suspend_result(conn, &res), 0);
    assert_int_equal(res.state, VP_NODE_SUSPEND_RESUMED);
    assert_int_equal(res.target, VP_NODE_SUSPEND_TARGET_DISK);
    assert_int_equal(res.duration_s, 120);
    assert_int_equal(res.requested_us, 1795000000000000LL);
    assert_int_equal(res.started_us, 1795000010000000LL);
    assert_int_equal(res.ended_us, 1795000130000000LL);
    assert_int_equal(res.wake_at_us, 1795000120000000LL);
    assert_int_equal(res.pid, 4242);
    assert_string_equal(res.driver, "hostpower-linux");
    assert_int_equal(res.suspend_at_us, 0); /* not known, not left as it was */
    vp_conn_close(conn);
}

static void
test_record_suspend_at_read_back(void **state)
{
    /* A value no request would compute, so it can only come from the file. */
    _cleanup_free_ char *text = vp_asprintf("%ssuspend_at_us=1795000004321000\n", old_record);
    write_record(text);
    vp_conn *conn = hp_conn_new(SLOW, NULL);
    vp_node_suspend_result res = hp_conn_suspend_result(conn);
    assert_int_equal(res.suspend_at_us, 1795000004321000LL);
    assert_int_equal(res.requested_us, 1795000000000000LL);
    /* A caller built before the field passes a smaller size: untouched. */
    memset(&res, 0x5a, sizeof(res));
    res.size = offsetof(vp_node_suspend_result, suspend_at_us);
    assert_int_equal(vp_node_get_suspend_result(conn, &res), 0);
    assert_int_equal(res.state, VP_NODE_SUSPEND_RESUMED);
    assert_string_equal(res.driver, "hostpower-linux");
    assert_int_equal(res.suspend_at_us, 0x5a5a5a5a5a5a5a5aLL);
    vp_conn_close(conn);
}

static void
test_wait_without_request(void **state)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        /* A fresh process image is needed: this one has made requests. */
        execl(argv0, argv0, "--wait-without-request", (char *)NULL);
        _exit(5);
    }
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), 0);
}

static int
wait_without_request_main(void)
{
    vp_conn *conn = hp_conn_new(SLOW, NULL);
    int r = vp_node_suspend_wait(conn, 0);
    const vp_error *e = vp_error_last();
    int ok = r == VP_ERR_OPERATION_INVALID && e && strstr(e->message, "no node suspend");
    vp_conn_close(conn);
    return ok ? 0 : 1;
}

int
main(int argc, char **argv)
{
    argv0 = argv[0];
    if (argc > 1 && strcmp(argv[1], "--wait-without-request") == 0)
        return wait_without_request_main();
    const struct CMUnitTest tests[] = {
        HP_RUNTIME_TEST(test_wait_without_request),
        HP_RUNTIME_TEST(test_arguments_refused_before_anything),
        HP_RUNTIME_TEST(test_full_sequence_mem),
        HP_RUNTIME_TEST(test_full_sequence_disk),
        HP_RUNTIME_TEST(test_full_sequence_hybrid),
        HP_RUNTIME_TEST(test_full_sequence_suspend_then_hibernate),
        HP_RUNTIME_TEST(test_no_wakeup_arms_nothing),
        HP_RUNTIME_TEST(test_target_host_cannot_do_refused_before_arming),
        HP_RUNTIME_TEST(test_arm_failure_leaves_nothing),
        HP_RUNTIME_TEST(test_suspend_failure_recorded_and_alarm_cleared),
        HP_RUNTIME_TEST(test_suspend_failure_without_wakeup),
        HP_RUNTIME_TEST(test_cancel_during_delay),
        HP_RUNTIME_TEST(test_cancel_reports_a_failed_clear),
        HP_RUNTIME_TEST(test_cancel_after_delay_refused),
        HP_RUNTIME_TEST(test_wait_timeout_and_conn_closed_meanwhile),
        HP_RUNTIME_TEST(test_result_size_honoured),
        HP_RUNTIME_TEST(test_hundred_threads_exactly_one),
        HP_RUNTIME_TEST(test_two_processes_exactly_one),
        HP_RUNTIME_TEST(test_process_exiting_during_delay_is_abandoned),
        HP_RUNTIME_TEST(test_outcome_readable_after_requester_exited),
        HP_RUNTIME_TEST(test_record_without_suspend_at_still_parses),
        HP_RUNTIME_TEST(test_record_suspend_at_read_back),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
