/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-snapshot-fsm.c: the snapshot state machine (plugins/qemu/
 * snapshot-fsm.c) against a mock monitor and a mock agent for each rule
 * and fault, asserting the path of states, what each mock was sent and the
 * files on disk; and against a real QEMU -machine none for the snapshot-save
 * job and for overlay removal after a failed transaction.
 */
#include <config.h>

#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cmocka.h>
#include <virtplug/sdk/services.h>

#include "mock-qemu.h"
#include "qemu-monitor.h"
#include "real-qemu.h"
#include "snapshot-fsm.h"
#include "test-assert.h"

#define LONG_MS 10000
#define SHORT_MS 300

#define PATH_QUIESCED "INIT CHECK_STATE AGENT_SYNC FREEZING FROZEN THAWING VERIFY_THAW"

typedef struct fixture {
    mock_qemu *qmp;
    mock_qemu *agent;
    qemu_monitor *mon;
    char overlay[2][160];
    qemu_snapshot_disk disks[2];
    qemu_snapshot_job job;
    qemu_snapshot_outcome out;
} fixture;

static int
setup(void **state)
{
    fixture *fx = calloc(1, sizeof(*fx));
    fx->qmp = mock_qemu_start(MOCK_QEMU_QMP);
    fx->agent = mock_qemu_start(MOCK_QEMU_AGENT);
    for (int i = 0; i < 2; i++) {
        snprintf(fx->overlay[i], sizeof(fx->overlay[i]), "%s/s1-vd%c.qcow2", mock_qemu_dir(fx->qmp),
                 'a' + i);
        fx->disks[i] = (qemu_snapshot_disk){.node_name = i ? "disk1" : "disk0",
                                            .overlay_path = fx->overlay[i]};
    }
    fx->job = (qemu_snapshot_job){
        .domain_name = "vm1",
        .snapshot_name = "s1",
        .domain_state = VP_DOMAIN_RUNNING,
        .flags = VP_SNAPSHOT_CREATE_DISK_ONLY | VP_SNAPSHOT_CREATE_QUIESCE,
        .disks = fx->disks,
        .n_disks = 1,
        .agent_timeout_ms = LONG_MS,
        .qmp_timeout_ms = LONG_MS,
    };
    *state = fx;
    return 0;
}

static int
teardown(void **state)
{
    fixture *fx = *state;
    qemu_monitor_close(fx->mon);
    for (int i = 0; i < 2; i++)
        unlink(fx->overlay[i]);
    mock_qemu_stop(fx->qmp);
    mock_qemu_stop(fx->agent);
    free(fx);
    return 0;
}

/* Start serving (after the test set its rules) and run the machine. */
static int
run(fixture *fx)
{
    if (qemu_monitor_open(mock_qemu_socket(fx->qmp), LONG_MS, &fx->mon) < 0)
        fail_msg("monitor: %s", vp_error_last()->message);
    fx->job.monitor = fx->mon;
    fx->job.agent_path = mock_qemu_socket(fx->agent);
    return qemu_snapshot_fsm_run(&fx->job, &fx->out);
}

static void
assert_path(const qemu_snapshot_outcome *out, const char *expected)
{
    char *path = qemu_snapshot_outcome_path(out);
    assert_string_equal(path, expected);
    free(path);
}

static void
assert_log(mock_qemu *m, const char *expected)
{
    char *log = mock_qemu_log(m);
    assert_string_equal(log, expected);
    free(log);
}

static bool
exists(const char *path)
{
    return access(path, F_OK) == 0;
}

static void
test_quiesced_snapshot(void **state)
{
    fixture *fx = *state;
    assert_int_equal(run(fx), 0);
    assert_path(&fx->out, PATH_QUIESCED " DONE");
    assert_log(fx->agent, "guest-sync-delimited guest-fsfreeze-freeze guest-fsfreeze-thaw "
                          "guest-fsfreeze-status");
    assert_log(fx->qmp, "qmp_capabilities transaction");
    assert_true(fx->out.freeze_sent);
    assert_int_equal(fx->out.frozen_count, 1);
    assert_int_equal(fx->out.thaw_attempts, 1);
    assert_true(fx->out.thaw_confirmed);
    assert_true(fx->out.snapshot_taken);
    assert_true(fx->out.freeze_reply_ns > 0);
    assert_true(fx->out.thaw_reply_ns >= fx->out.freeze_reply_ns);
    assert_true(exists(fx->overlay[0]));
    assert_false(mock_qemu_frozen(fx->agent));
}

static void
test_no_quiesce_no_agent(void **state)
{
    fixture *fx = *state;
    fx->job.flags = VP_SNAPSHOT_CREATE_DISK_ONLY;
    assert_int_equal(run(fx), 0);
    assert_path(&fx->out, "INIT CHECK_STATE SNAPSHOTTING DONE");
    assert_int_equal(mock_qemu_connections(fx->agent), 0);
    assert_false(fx->out.freeze_sent);
    assert_true(fx->out.freeze_reply_ns == 0 && fx->out.thaw_reply_ns == 0);
    assert_true(fx->out.snapshot_taken);
}

static void
check_not_running(fixture *fx, int domain_state, const char *word)
{
    fx->job.domain_state = domain_state;
    int r = run(fx);
    vpt_assert_error(r, VP_ERR_OPERATION_INVALID, "cannot quiesce domain 'vm1'", word);
    assert_path(&fx->out, "INIT CHECK_STATE FAILED");
    assert_int_equal(mock_qemu_connections(fx->agent), 0);
    assert_log(fx->qmp, "qmp_capabilities");
    assert_false(fx->out.freeze_sent);
}

static void
test_quiesce_paused_refused(void **state)
{
    check_not_running(*state, VP_DOMAIN_PAUSED, "it is paused");
}

static void
test_quiesce_shutoff_refused(void **state)
{
    check_not_running(*state, VP_DOMAIN_SHUTOFF, "it is shut off");
}

static void
test_quiesce_needs_disk_only(void **state)
{
    fixture *fx = *state;
    fx->job.flags = VP_SNAPSHOT_CREATE_QUIESCE;
    vpt_assert_error(run(fx), VP_ERR_INVALID_ARG, "cannot quiesce domain 'vm1'", "disk-only");
    assert_int_equal(mock_qemu_connections(fx->agent), 0);
}

static void
test_existing_overlay_refused(void **state)
{
    fixture *fx = *state;
    int fd = open(fx->overlay[0], O_WRONLY | O_CREAT, 0600);
    assert_true(fd >= 0);
    close(fd);
    vpt_assert_error(run(fx), VP_ERR_INVALID_ARG, fx->overlay[0], "already exists");
    assert_path(&fx->out, "INIT CHECK_STATE FAILED");
    assert_int_equal(mock_qemu_connections(fx->agent), 0);
    assert_log(fx->qmp, "qmp_capabilities");
    assert_true(exists(fx->overlay[0])); /* not ours to delete */
}

static void
test_sync_unanswered_no_freeze(void **state)
{
    fixture *fx = *state;
    mock_qemu_on(fx->agent, "guest-sync-delimited", MOCK_HANG, NULL, -1);
    fx->job.agent_timeout_ms = SHORT_MS;
    vpt_assert_error(run(fx), VP_ERR_AGENT_UNRESPONSIVE, "domain 'vm1'", "within 300 ms");
    assert_path(&fx->out, "INIT CHECK_STATE AGENT_SYNC FAILED");
    assert_log(fx->agent, "guest-sync-delimited");
    assert_log(fx->qmp, "qmp_capabilities");
    assert_false(fx->out.freeze_sent);
}

static void
test_freeze_error_still_thaws(void **state)
{
    fixture *fx = *state;
    mock_qemu_on(fx->agent, "guest-fsfreeze-freeze", MOCK_ERROR,
                 "GenericError: fsfreeze hook has failed with status 1", 1);
    vpt_assert_error(run(fx), VP_ERR_OPERATION_INVALID, "hook has failed", "'vm1'");
    assert_path(&fx->out, "INIT CHECK_STATE AGENT_SYNC FREEZING THAWING VERIFY_THAW FAILED");
    assert_log(fx->agent, "guest-sync-delimited guest-fsfreeze-freeze guest-fsfreeze-thaw "
                          "guest-fsfreeze-status");
    assert_log(fx->qmp, "qmp_capabilities"); /* no snapshot of an unquiesced guest */
    assert_true(fx->out.thaw_confirmed);
    assert_false(fx->out.snapshot_taken);
}

/* The freeze answers after the host gave up: the thaw must go over a fresh
 * connection, wait for the agent to catch up, and leave the guest thawed. */
static void
test_late_freeze_thawed_over_fresh_connection(void **state)
{
    fixture *fx = *state;
    mock_qemu_on_late(fx->agent, "guest-fsfreeze-freeze", 1500, 1);
    fx->job.freeze_timeout_ms = SHORT_MS;
    vpt_assert_error(run(fx), VP_ERR_AGENT_UNRESPONSIVE, "'guest-fsfreeze-freeze'", "'vm1'");
    assert_path(&fx->out, "INIT CHECK_STATE AGENT_SYNC FREEZING THAWING VERIFY_THAW FAILED");
    assert_int_equal(mock_qemu_connections(fx->agent), 2);
    assert_log(fx->agent, "guest-sync-delimited guest-fsfreeze-freeze guest-sync-delimited "
                          "guest-fsfreeze-thaw guest-fsfreeze-status");
    assert_int_equal(fx->out.thaw_attempts, 1);
    assert_true(fx->out.thaw_confirmed);
    assert_false(mock_qemu_frozen(fx->agent));
    assert_log(fx->qmp, "qmp_capabilities");
}

/* The freeze outlasts the fresh connection's sync too: the thaw is queued
 * behind it on that connection, and the agent catches up while the state
 * machine verifies. */
static void
test_late_freeze_caught_up_by_queued_thaw(void **state)
{
    fixture *fx = *state;
    mock_qemu_on_late(fx->agent, "guest-fsfreeze-freeze", 1700, 1);
    fx->job.freeze_timeout_ms = 200;
    fx->job.agent_timeout_ms = 1000;
    vpt_assert_error(run(fx), VP_ERR_AGENT_UNRESPONSIVE, "'guest-fsfreeze-freeze'", "'vm1'");
    assert_path(&fx->out, "INIT CHECK_STATE AGENT_SYNC FREEZING THAWING VERIFY_THAW FAILED");
    assert_true(fx->out.thaw_queued);
    assert_true(fx->out.thaw_confirmed);
    assert_int_equal(fx->out.thaw_attempts, 1);
    assert_int_equal(mock_qemu_connections(fx->agent), 2);
    assert_log(fx->agent, "guest-sync-delimited guest-fsfreeze-freeze guest-sync-delimited "
                          "guest-fsfreeze-thaw guest-sync-delimited guest-fsfreeze-status");
    assert_false(mock_qemu_frozen(fx->agent));
}

/* The freeze outlasts every wait: the result says the thaw is unconfirmed
 * and queued, and the queued thaw still runs when the freeze returns. */
static void
test_late_freeze_outlasting_all_waits_still_thawed(void **state)
{
    fixture *fx = *state;
    mock_qemu_on_late(fx->agent, "guest-fsfreeze-freeze", 3000, 1);
    fx->job.freeze_timeout_ms = 200;
    fx->job.agent_timeout_ms = 400;
    vpt_assert_error(run(fx), VP_ERR_AGENT_UNRESPONSIVE, "domain 'vm1' may still be frozen",
                     "a thaw was queued behind the agent's late freeze");
    assert_path(&fx->out, "INIT CHECK_STATE AGENT_SYNC FREEZING THAWING VERIFY_THAW FAILED");
    assert_true(fx->out.thaw_queued);
    assert_false(fx->out.thaw_confirmed);
    assert_int_equal(fx->out.thaw_attempts, 1);
    /* The agent runs the freeze, then what queued behind it, in order. */
    assert_true(mock_qemu_wait_count(fx->agent, "guest-sync-delimited", 3));
    assert_log(fx->agent, "guest-sync-delimited guest-fsfreeze-freeze guest-sync-delimited "
                          "guest-fsfreeze-thaw guest-sync-delimited");
    assert_false(mock_qemu_frozen(fx->agent));
}

static void
test_freeze_hang_still_thaws(void **state)
{
    fixture *fx = *state;
    mock_qemu_on(fx->agent, "guest-fsfreeze-freeze", MOCK_HANG, NULL, 1);
    fx->job.freeze_timeout_ms = SHORT_MS;
    vpt_assert_error(run(fx), VP_ERR_AGENT_UNRESPONSIVE, "'guest-fsfreeze-freeze'", NULL);
    assert_path(&fx->out, "INIT CHECK_STATE AGENT_SYNC FREEZING THAWING VERIFY_THAW FAILED");
    assert_int_equal(mock_qemu_connections(fx->agent), 2);
    assert_int_equal(mock_qemu_count(fx->agent, "guest-fsfreeze-thaw"), 1);
}

typedef struct canceller {
    mock_qemu *agent;
    int efd;
} canceller;

/* What vp_conn_cancel_jobs() does to a job, once the freeze was sent. */
static void *
cancel_once_freezing(void *arg)
{
    canceller *c = arg;
    if (mock_qemu_wait_count(c->agent, "guest-fsfreeze-freeze", 1)) {
        uint64_t one = 1;
        if (write(c->efd, &one, sizeof(one)) != sizeof(one))
            abort();
    }
    return NULL;
}

/* A freeze cancelled while the agent still runs it (a slow hook): the call
 * fails at once saying so, and the thaw still goes, over a fresh
 * connection behind the late freeze, and is confirmed. */
static void
test_cancelled_freeze_still_thaws(void **state)
{
    fixture *fx = *state;
    mock_qemu_on_late(fx->agent, "guest-fsfreeze-freeze", 1500, 1);
    canceller c = {.agent = fx->agent, .efd = eventfd(0, EFD_CLOEXEC)};
    assert_true(c.efd >= 0);
    fx->job.cancellable = true;
    fx->job.cancel_fd = c.efd;
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, cancel_once_freezing, &c), 0);
    vpt_assert_error(run(fx), VP_ERR_OPERATION_INVALID, "cancelled by vp_conn_cancel_jobs",
                     "'guest-fsfreeze-freeze'");
    pthread_join(t, NULL);
    close(c.efd);
    assert_path(&fx->out, "INIT CHECK_STATE AGENT_SYNC FREEZING THAWING VERIFY_THAW FAILED");
    assert_int_equal(mock_qemu_connections(fx->agent), 2);
    assert_int_equal(fx->out.thaw_attempts, 1);
    assert_true(fx->out.thaw_confirmed);
    assert_false(mock_qemu_frozen(fx->agent));
    assert_log(fx->qmp, "qmp_capabilities"); /* nothing taken */
}

static void
test_disconnect_after_freeze_reply(void **state)
{
    fixture *fx = *state;
    mock_qemu_on(fx->agent, "guest-fsfreeze-freeze", MOCK_REPLY_THEN_DISCONNECT, NULL, 1);
    assert_int_equal(run(fx), 0);
    /* The first thaw finds the connection gone; the status, over a new
     * one, still reads frozen; the second thaw works. */
    assert_path(&fx->out, PATH_QUIESCED " THAWING VERIFY_THAW DONE");
    assert_int_equal(mock_qemu_count(fx->agent, "guest-fsfreeze-thaw"), 1);
    assert_int_equal(fx->out.thaw_attempts, 2);
    assert_true(fx->out.thaw_confirmed);
    assert_false(mock_qemu_frozen(fx->agent));
}

static void
test_transaction_failure_thaws_and_removes_overlays(void **state)
{
    fixture *fx = *state;
    fx->job.n_disks = 2;
    mock_qemu_on(fx->qmp, "transaction", MOCK_ERROR,
                 "GenericError: Cannot find device='disk1' nor node-name='disk1'", 1);
    vpt_assert_error(run(fx), VP_ERR_OPERATION_INVALID, "'transaction'", "node-name='disk1'");
    assert_path(&fx->out, PATH_QUIESCED " FAILED");
    assert_int_equal(fx->out.overlays_removed, 2);
    assert_false(exists(fx->overlay[0]));
    assert_false(exists(fx->overlay[1]));
    assert_int_equal(mock_qemu_count(fx->agent, "guest-fsfreeze-thaw"), 1);
    assert_true(fx->out.thaw_confirmed);
    assert_false(mock_qemu_frozen(fx->agent));
}

static void
test_qmp_timeout_still_thaws(void **state)
{
    fixture *fx = *state;
    mock_qemu_on(fx->qmp, "transaction", MOCK_HANG, NULL, 1);
    fx->job.qmp_timeout_ms = SHORT_MS;
    vpt_assert_error(run(fx), VP_ERR_TIMEOUT, "'transaction'", "'vm1'");
    assert_path(&fx->out, PATH_QUIESCED " FAILED");
    assert_int_equal(fx->out.overlays_removed, 0);
    assert_int_equal(mock_qemu_count(fx->agent, "guest-fsfreeze-thaw"), 1);
    assert_false(mock_qemu_frozen(fx->agent));
}

static void
test_qemu_gone_between_freeze_and_thaw(void **state)
{
    fixture *fx = *state;
    mock_qemu_on(fx->qmp, "transaction", MOCK_DISCONNECT, NULL, 1);
    vpt_assert_error(run(fx), VP_ERR_PROTOCOL, "QMP connection closed by QEMU", "'vm1'");
    assert_path(&fx->out, PATH_QUIESCED " FAILED");
    assert_int_equal(mock_qemu_count(fx->agent, "guest-fsfreeze-thaw"), 1);
    assert_false(mock_qemu_frozen(fx->agent));
}

static void
test_thaw_unconfirmed_names_domain(void **state)
{
    fixture *fx = *state;
    mock_qemu_on(fx->agent, "guest-fsfreeze-thaw", MOCK_HANG, NULL, -1);
    /* Every agent call uses this timeout, the sync that must succeed too:
     * long enough for a loaded machine, short enough for two thaws. */
    fx->job.agent_timeout_ms = 1000;
    int r = run(fx);
    vpt_assert_error(r, VP_ERR_AGENT_UNRESPONSIVE,
                     "file systems of domain 'vm1' may still be frozen", "snapshot 's1' was taken");
    assert_path(&fx->out, PATH_QUIESCED " THAWING VERIFY_THAW FAILED");
    assert_int_equal(fx->out.thaw_attempts, 2);
    assert_false(fx->out.thaw_confirmed);
    assert_true(fx->out.snapshot_taken);
    assert_int_equal(fx->out.final_state, QEMU_SNAP_FAILED);
    assert_true(mock_qemu_frozen(fx->agent));
}

static void
test_internal_snapshot_job(void **state)
{
    fixture *fx = *state;
    static const char *const devices[] = {"disk0"};
    fx->job.flags = 0;
    fx->job.vmstate_node = "disk0";
    fx->job.devices = devices;
    fx->job.n_devices = 1;
    mock_qemu_on(
        fx->qmp, "query-jobs", MOCK_RETURN,
        "[{\"id\": \"vp-snapshot-s1\", \"status\": \"running\", \"type\": \"snapshot-save\"}]", 1);
    mock_qemu_on(
        fx->qmp, "query-jobs", MOCK_RETURN,
        "[{\"id\": \"vp-snapshot-s1\", \"status\": \"concluded\", \"type\": \"snapshot-save\"}]",
        1);
    assert_int_equal(run(fx), 0);
    assert_path(&fx->out, "INIT CHECK_STATE SNAPSHOTTING DONE");
    assert_log(fx->qmp, "qmp_capabilities snapshot-save query-jobs query-jobs job-dismiss");
    assert_int_equal(mock_qemu_connections(fx->agent), 0);
}

static void
test_internal_snapshot_job_error(void **state)
{
    fixture *fx = *state;
    static const char *const devices[] = {"raw0"};
    fx->job.flags = 0;
    fx->job.vmstate_node = "raw0";
    fx->job.devices = devices;
    fx->job.n_devices = 1;
    mock_qemu_on(fx->qmp, "query-jobs", MOCK_RETURN,
                 "[{\"id\": \"vp-snapshot-s1\", \"status\": \"concluded\", \"error\": "
                 "\"Device 'raw0' is writable but does not support snapshots\"}]",
                 1);
    vpt_assert_error(run(fx), VP_ERR_OPERATION_INVALID, "does not support snapshots", "'vm1'");
    assert_path(&fx->out, "INIT CHECK_STATE SNAPSHOTTING FAILED");
    assert_log(fx->qmp, "qmp_capabilities snapshot-save query-jobs job-dismiss");
}

/* ---- real QEMU -------------------------------------------------------- */

typedef struct real_fixture {
    real_proc q;
    qemu_monitor *mon;
    char image[160];
    char overlay[160];
} real_fixture;

static int
setup_real(void **state)
{
    *state = calloc(1, sizeof(real_fixture));
    return *state ? 0 : -1;
}

static int
teardown_real(void **state)
{
    real_fixture *rf = *state;
    qemu_monitor_close(rf->mon);
    real_proc_stop(&rf->q);
    free(rf);
    return 0;
}

/* QEMU -machine none with a qcow2 node "disk0". */
static void
start_real(real_fixture *rf)
{
    const char *img = secure_getenv("QEMU_IMG");
    if (!real_qemu_binary() || !img || access(img, X_OK) != 0)
        skip();
    if (!real_qemu_start(&rf->q))
        fail_msg("QEMU did not start");
    snprintf(rf->image, sizeof(rf->image), "%s/disk.qcow2", rf->q.dir);
    snprintf(rf->overlay, sizeof(rf->overlay), "%s/overlay.qcow2", rf->q.dir);
    const char *argv[] = {img, "create", "-q", "-f", "qcow2", rf->image, "16M", NULL};
    int status = -1;
    char *err = NULL;
    if (vp_plugin_command_run(argv, 60000, &status, NULL, &err) < 0)
        fail_msg("qemu-img create: %s", vp_error_last()->message);
    if (status != 0)
        fail_msg("qemu-img create exited with %d: %s", status, err);
    free(err);
    if (qemu_monitor_open(rf->q.socket, LONG_MS, &rf->mon) < 0)
        fail_msg("open: %s", vp_error_last()->message);
    json_object *args = json_tokener_parse("{\"driver\": \"qcow2\", \"node-name\": \"disk0\", "
                                           "\"file\": {\"driver\": \"file\"}}");
    json_object_object_add(json_object_object_get(args, "file"), "filename",
                           json_object_new_string(rf->image));
    int r = qemu_monitor_command(rf->mon, "blockdev-add", args, LONG_MS, NULL);
    json_object_put(args);
    if (r < 0)
        fail_msg("blockdev-add: %s", vp_error_last()->message);
}

static void
test_real_internal_snapshot(void **state)
{
    real_fixture *rf = *state;
    start_real(rf);
    static const char *const devices[] = {"disk0"};
    qemu_snapshot_job job = {.domain_name = "vm1",
                             .snapshot_name = "s1",
                             .domain_state = VP_DOMAIN_RUNNING,
                             .monitor = rf->mon,
                             .vmstate_node = "disk0",
                             .devices = devices,
                             .n_devices = 1,
                             .qmp_timeout_ms = LONG_MS,
                             .job_timeout_ms = 60000};
    qemu_snapshot_outcome out;
    if (qemu_snapshot_fsm_run(&job, &out) < 0)
        fail_msg("snapshot: %s", vp_error_last()->message);
    assert_path(&out, "INIT CHECK_STATE SNAPSHOTTING DONE");
    /* The same tag again: QEMU's job fails, and the error is QEMU's. */
    int r = qemu_snapshot_fsm_run(&job, &out);
    vpt_assert_error(r, VP_ERR_OPERATION_INVALID, "'s1'", "already exists");
    /* Both jobs were dismissed. */
    json_object *jobs = NULL;
    assert_int_equal(qemu_monitor_command(rf->mon, "query-jobs", NULL, LONG_MS, &jobs), 0);
    assert_int_equal(json_object_array_length(jobs), 0);
    json_object_put(jobs);
}

static void
test_real_failed_transaction_removes_overlay(void **state)
{
    real_fixture *rf = *state;
    start_real(rf);
    char missing_overlay[200];
    snprintf(missing_overlay, sizeof(missing_overlay), "%s/never.qcow2", rf->q.dir);
    qemu_snapshot_disk disks[2] = {
        {.node_name = "disk0", .overlay_path = rf->overlay},
        {.node_name = "no-such-node", .overlay_path = missing_overlay},
    };
    qemu_snapshot_job job = {.domain_name = "vm1",
                             .snapshot_name = "s1",
                             .domain_state = VP_DOMAIN_RUNNING,
                             .monitor = rf->mon,
                             .flags = VP_SNAPSHOT_CREATE_DISK_ONLY,
                             .disks = disks,
                             .n_disks = 2,
                             .qmp_timeout_ms = LONG_MS};
    qemu_snapshot_outcome out;
    int r = qemu_snapshot_fsm_run(&job, &out);
    vpt_assert_error(r, VP_ERR_OPERATION_INVALID, "'transaction'", "'no-such-node'");
    assert_path(&out, "INIT CHECK_STATE SNAPSHOTTING FAILED");
    /* QEMU created the first overlay before failing on the second. */
    assert_int_equal(out.overlays_removed, 1);
    assert_false(exists(rf->overlay));
    assert_true(exists(rf->image));
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_quiesced_snapshot),
        T(test_no_quiesce_no_agent),
        T(test_quiesce_paused_refused),
        T(test_quiesce_shutoff_refused),
        T(test_quiesce_needs_disk_only),
        T(test_existing_overlay_refused),
        T(test_sync_unanswered_no_freeze),
        T(test_freeze_error_still_thaws),
        T(test_late_freeze_thawed_over_fresh_connection),
        T(test_late_freeze_caught_up_by_queued_thaw),
        T(test_late_freeze_outlasting_all_waits_still_thawed),
        T(test_freeze_hang_still_thaws),
        T(test_cancelled_freeze_still_thaws),
        T(test_disconnect_after_freeze_reply),
        T(test_transaction_failure_thaws_and_removes_overlays),
        T(test_qmp_timeout_still_thaws),
        T(test_qemu_gone_between_freeze_and_thaw),
        T(test_thaw_unconfirmed_names_domain),
        T(test_internal_snapshot_job),
        T(test_internal_snapshot_job_error),
        cmocka_unit_test_setup_teardown(test_real_internal_snapshot, setup_real, teardown_real),
        cmocka_unit_test_setup_teardown(test_real_failed_transaction_removes_overlay, setup_real,
                                        teardown_real),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
