/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-qemu-host-suspend.c: the QEMU driver's side of a host suspend with
 * the pause policy (plugins/qemu/qemu-host-suspend.c), with real
 * '-machine none' QEMUs on qemu:///embed and a fake Linux host
 * (tests/helpers/hostpower: fake sysfs, fake pm-utils whose pm-suspend
 * "sleeps" until the test wakes it). Nothing suspends this machine or arms
 * its RTC. One domain is paused by its user beforehand and stays paused;
 * one has its QEMU killed while the host sleeps and is named as failing to
 * resume; the vpsh that asked for the suspend is killed while the host
 * sleeps, and the next nodesuspend-status resumes the guests.
 */
#include <config.h>

#include <setjmp.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include <virtplug/sdk/alloc.h>
#include <virtplug/sdk/services.h>
#include <virtplug/virtplug.h>

#include "hostpower/fake-host.h"
#include "hostpower/hp-tmp.h"
#include "qemu-test-util.h"

extern char **environ;

/* pm-suspend that "sleeps" until the test creates FAKE/wake. */
static const char sleeping_pm_suspend[] =
    "#!/bin/sh\n"
    "top=$(dirname \"$(dirname \"$0\")\")\n"
    "echo pm-suspend >>\"$top/calls.log\"\n"
    "touch \"$top/asleep\"\n"
    "i=0\n"
    "while [ ! -e \"$top/wake\" ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done\n"
    "exit 0\n";

typedef struct fixture {
    char *root;
    vp_conn *conn;
    hp_fake *fake;
} fixture;

static int
setup(void **state)
{
    fixture *f = vp_new0(fixture, 1);
    f->root = qt_root_new();
    _cleanup_free_ char *rt = vp_asprintf("%s/vp-runtime", f->root);
    assert_int_equal(vp_plugin_mkdir_p(rt, 0700), 0);
    setenv("VIRTPLUG_RUNTIME_DIR", rt, 1);
    f->fake = hp_fake_new("pm-utils", "suspend_delay_ms = 50\n");
    hp_fake_write(f->fake, "bin/pm-suspend", sleeping_pm_suspend);
    _cleanup_free_ char *pm = vp_asprintf("%s/bin/pm-suspend", f->fake->dir);
    assert_int_equal(chmod(pm, 0755), 0);
    _cleanup_free_ char *uri = qt_uri(f->root, NULL);
    assert_int_equal(vp_conn_open(uri, 0, &f->conn), 0);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    fixture *f = *state;
    hp_fake_write(f->fake, "wake", ""); /* an orphaned fake pm-suspend ends */
    vp_conn_close(f->conn);
    qt_root_destroy(f->root);
    hp_fake_free(f->fake);
    free(f);
    return 0;
}

/* A '-machine none' domain; with @clock a firmware-only 'pc' one (the
 * only kind with an RTC), whose <clock> is @clock. */
static vp_domain *
start_domain(fixture *f, const char *name, const char *clock)
{
    _cleanup_free_ char *xml = vp_asprintf("<domain type='qemu'><name>%s</name>"
                                           "<memory unit='MiB'>32</memory><vcpu>1</vcpu>"
                                           "<os><type arch='x86_64' machine='%s'>hvm</type></os>"
                                           "%s<devices/></domain>",
                                           name, clock ? "pc" : "none", clock ? clock : "");
    vp_domain *dom = NULL;
    if (vp_domain_define_xml(f->conn, xml, 0, &dom) < 0)
        fail_msg("define '%s': %s", name, vp_error_last()->message);
    if (vp_domain_start(dom, 0) < 0)
        fail_msg("start '%s': %s", name, vp_error_last()->message);
    return dom;
}

static void
assert_state(vp_domain *dom, int state, int reason)
{
    int s = -1, why = -1;
    assert_int_equal(vp_domain_get_state(dom, &s, &why, 0), 0);
    if (s != state || why != reason)
        fail_msg("domain '%s' is %d/%d, expected %d/%d", vp_domain_get_name(dom), s, why, state,
                 reason);
}

static int
fake_asleep(void *arg)
{
    hp_fake *fake = arg;
    _cleanup_free_ char *path = vp_asprintf("%s/asleep", fake->dir);
    return access(path, F_OK) == 0;
}

static void
wait_asleep(fixture *f)
{
    if (!hp_wait_for(fake_asleep, f->fake, 60000))
        fail_msg("the fake host never went to sleep");
}

/* The outcome's entry for @name: done bits (-1 when absent), message. */
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
            *ret_message = g[i]->message ? vp_strdup(g[i]->message) : NULL;
        }
    }
    vp_node_suspend_guests_free(g);
    return done;
}

static void
assert_guest(vp_conn *conn, const char *name, unsigned int done, const char *in_message)
{
    _cleanup_free_ char *message = NULL;
    int got = guest_done(conn, name, &message);
    if (got != (int)done)
        fail_msg("domain '%s' has done 0x%x (%s), expected 0x%x", name, got, message ? message : "",
                 done);
    if (in_message && (!message || !strstr(message, in_message)))
        fail_msg("domain '%s': message '%s' lacks '%s'", name, message ? message : "", in_message);
}

/* a runs firmware only (its RTC catches up lost ticks), b is paused by its user, c has
 * its QEMU killed while the host sleeps. */
static void
test_pause_suspend_resume(void **state)
{
    fixture *f = *state;
    vp_domain *a = start_domain(f, "a",
                                "<clock offset='utc'><timer name='rtc' "
                                "tickpolicy='catchup'/></clock>");
    vp_domain *b = start_domain(f, "b", NULL);
    vp_domain *c = start_domain(f, "c", NULL);
    assert_int_equal(vp_domain_suspend(b, 0), 0);
    assert_int_equal(vp_node_suspend_for_duration(f->conn, VP_NODE_SUSPEND_TARGET_MEM, 60,
                                                  VP_NODE_SUSPEND_GUESTS_PAUSE),
                     0);
    wait_asleep(f);
    assert_state(a, VP_DOMAIN_PAUSED, VP_DOMAIN_PAUSED_UNKNOWN);
    assert_state(b, VP_DOMAIN_PAUSED, VP_DOMAIN_PAUSED_USER);
    assert_state(c, VP_DOMAIN_PAUSED, VP_DOMAIN_PAUSED_UNKNOWN);
    pid_t pid = qt_pid(f->root, "c");
    assert_true(pid > 0);
    assert_int_equal(kill(pid, SIGKILL), 0);
    assert_true(qt_wait_pid_gone(pid, 5000));
    hp_fake_write(f->fake, "wake", "");
    assert_int_equal(vp_node_suspend_wait(f->conn, 60000), 0);

    vp_node_suspend_result res = {.size = sizeof(res)};
    assert_int_equal(vp_node_get_suspend_result(f->conn, &res), 0);
    if (res.state != VP_NODE_SUSPEND_RESUMED)
        fail_msg("outcome '%s': %s", vp_node_suspend_state_name(res.state), res.error_message);
    assert_int_equal(res.guests, VP_NODE_SUSPEND_GUESTS_PAUSE);
    assert_int_equal(res.guests_state, VP_NODE_SUSPEND_GUESTS_STATE_RESTORED);
    assert_int_equal(res.n_guests, 3);
    assert_guest(f->conn, "a",
                 VP_NODE_SUSPEND_GUEST_PAUSED | VP_NODE_SUSPEND_GUEST_RESUMED |
                     VP_NODE_SUSPEND_GUEST_RTC_REINJECTION_RESET |
                     VP_NODE_SUSPEND_GUEST_CLOCK_NOT_SET,
                 "no guest agent channel");
    assert_guest(f->conn, "b", VP_NODE_SUSPEND_GUEST_WAS_PAUSED, NULL);
    assert_guest(f->conn, "c", VP_NODE_SUSPEND_GUEST_PAUSED | VP_NODE_SUSPEND_GUEST_RESUME_FAILED,
                 "QEMU of domain 'c'");
    assert_state(a, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_UNPAUSED);
    assert_state(b, VP_DOMAIN_PAUSED, VP_DOMAIN_PAUSED_USER);
    assert_state(c, VP_DOMAIN_SHUTOFF, VP_DOMAIN_SHUTOFF_CRASHED);
    _cleanup_free_ char *calls = hp_fake_calls(f->fake);
    assert_non_null(strstr(calls, "pm-suspend"));
    /* Nothing is left marked: a second restore (the next reader) is a no-op. */
    assert_int_equal(vp_node_get_suspend_result(f->conn, &res), 0);
    assert_int_equal(res.n_guests, 3);
    vp_domain_destroy(a, 0);
    vp_domain_destroy(b, 0);
    vp_domain_free(a);
    vp_domain_free(b);
    vp_domain_free(c);
}

/* The vpsh that asked is killed while the host sleeps, between prepare and
 * restore: the next reader of the outcome (on this hypervisor) resumes. */
static void
test_killed_between_prepare_and_restore(void **state)
{
    fixture *f = *state;
    vp_domain *a = start_domain(f, "a", NULL);
    vp_domain *b = start_domain(f, "b", NULL);
    assert_int_equal(vp_domain_suspend(b, 0), 0);
    _cleanup_free_ char *vpsh = qt_vpsh_path();
    _cleanup_free_ char *uri = qt_uri(f->root, NULL);
    const char *argv[] = {vpsh, "-c", uri, "nodesuspend", "mem", "60", "--guests", "pause", NULL};
    pid_t pid;
    assert_int_equal(posix_spawn(&pid, vpsh, NULL, NULL, (char *const *)argv, environ), 0);
    wait_asleep(f);
    assert_int_equal(kill(pid, SIGKILL), 0);
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_state(a, VP_DOMAIN_PAUSED, VP_DOMAIN_PAUSED_UNKNOWN);

    vp_node_suspend_result res = {.size = sizeof(res)};
    assert_int_equal(vp_node_get_suspend_result(f->conn, &res), 0);
    assert_int_equal(res.state, VP_NODE_SUSPEND_ABANDONED);
    assert_int_equal(res.guests_state, VP_NODE_SUSPEND_GUESTS_STATE_RESTORED);
    assert_guest(f->conn, "a",
                 VP_NODE_SUSPEND_GUEST_PAUSED | VP_NODE_SUSPEND_GUEST_RESUMED |
                     VP_NODE_SUSPEND_GUEST_CLOCK_NOT_SET,
                 "no guest agent channel");
    assert_guest(f->conn, "b", VP_NODE_SUSPEND_GUEST_WAS_PAUSED, NULL);
    assert_state(a, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_UNPAUSED);
    assert_state(b, VP_DOMAIN_PAUSED, VP_DOMAIN_PAUSED_USER);
    vp_domain_destroy(a, 0);
    vp_domain_destroy(b, 0);
    vp_domain_free(a);
    vp_domain_free(b);
}

/* What the issue asks of vpsh: nodesuspend --guests pause on the fake
 * host pauses, suspends, resumes and sets the clocks (here: says why it
 * cannot, without an agent), all visible in nodesuspend-status, also
 * from another vpsh and with --json. */
static void
test_vpsh_nodesuspend_guests_pause(void **state)
{
    fixture *f = *state;
    vp_domain *a = start_domain(f, "a", NULL);
    vp_domain *b = start_domain(f, "b", NULL);
    assert_int_equal(vp_domain_suspend(b, 0), 0);
    hp_fake_write(f->fake, "wake", "");
    _cleanup_free_ char *vpsh = qt_vpsh_path();
    _cleanup_free_ char *uri = qt_uri(f->root, NULL);
    int status = -1;
    _cleanup_free_ char *out = NULL, *err = NULL;
    const char *run[] = {vpsh, "-c", uri, "nodesuspend", "mem", "300", "--guests", "pause", NULL};
    assert_int_equal(vp_plugin_command_run(run, 60000, &status, &out, &err), 0);
    if (status != 0)
        fail_msg("vpsh nodesuspend exited %d: %s", status, err);
    assert_non_null(strstr(out, "Guests:         pause (restored)\n"));
    assert_non_null(strstr(out, "Domain a:       paused, resumed, clock-not-set (clock not set: "
                                "no guest agent channel)\n"));
    assert_non_null(strstr(out, "Domain b:       was-paused\n"));
    assert_non_null(strstr(out, "Outcome:        resumed\n"));
    free(out);
    free(err);
    out = err = NULL;
    const char *status_argv[] = {vpsh, "-c", uri, "nodesuspend-status", NULL};
    assert_int_equal(vp_plugin_command_run(status_argv, 60000, &status, &out, &err), 0);
    assert_int_equal(status, 0);
    assert_non_null(strstr(out, "State:          resumed\n"));
    assert_non_null(strstr(out, "Domain a:       paused, resumed, clock-not-set"));
    free(out);
    free(err);
    out = err = NULL;
    const char *json_argv[] = {vpsh, "-c", uri, "--json", "nodesuspend-status", NULL};
    assert_int_equal(vp_plugin_command_run(json_argv, 60000, &status, &out, &err), 0);
    assert_int_equal(status, 0);
    assert_non_null(strstr(out, "\"policy\": \"pause\""));
    assert_non_null(strstr(out, "\"clock-not-set\""));
    assert_non_null(strstr(out, "\"message\": \"clock not set: no guest agent channel\""));
    assert_state(a, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_UNPAUSED);
    assert_state(b, VP_DOMAIN_PAUSED, VP_DOMAIN_PAUSED_USER);
    _cleanup_free_ char *calls = hp_fake_calls(f->fake);
    assert_non_null(strstr(calls, "pm-suspend"));
    vp_domain_destroy(a, 0);
    vp_domain_destroy(b, 0);
    vp_domain_free(a);
    vp_domain_free(b);
}

/* vpsh stopped at driver step @step (qemu-step.c) and killed there: 1 is
 * after the mark was written and before QMP stop, 3 after cont and before
 * the mark was cleared. The next reader of the outcome resumes the domain
 * (cont on a running QEMU is harmless) and clears the mark. */
static void
killed_at_step(fixture *f, int step)
{
    vp_domain *a = start_domain(f, "a", NULL);
    _cleanup_free_ char *vpsh = qt_vpsh_path();
    _cleanup_free_ char *uri = qt_uri(f->root, NULL);
    const char *argv[] = {vpsh, "-c", uri, "nodesuspend", "mem", "60", "--guests", "pause", NULL};
    hp_fake_write(f->fake, "wake", ""); /* this host wakes at once */
    qt_kill_at_step(argv, step);
    _cleanup_free_ char *json = vp_asprintf("%s/run/a.json", f->root);
    _cleanup_free_ char *record = NULL;
    assert_int_equal(vp_plugin_file_read(json, 1 << 16, &record, NULL), 0);
    assert_non_null(strstr(record, "\"host_paused\""));

    vp_node_suspend_result res = {.size = sizeof(res)};
    assert_int_equal(vp_node_get_suspend_result(f->conn, &res), 0);
    assert_int_equal(res.state, VP_NODE_SUSPEND_ABANDONED);
    assert_int_equal(res.guests_state, VP_NODE_SUSPEND_GUESTS_STATE_RESTORED);
    _cleanup_free_ char *message = NULL;
    int done = guest_done(f->conn, "a", &message);
    assert_true(done & VP_NODE_SUSPEND_GUEST_RESUMED);
    assert_state(a, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_UNPAUSED);
    free(record);
    record = NULL;
    assert_int_equal(vp_plugin_file_read(json, 1 << 16, &record, NULL), 0);
    assert_null(strstr(record, "\"host_paused\""));
    vp_domain_destroy(a, 0);
    vp_domain_free(a);
}

static void
test_killed_after_mark_before_stop(void **state)
{
    killed_at_step(*state, 1);
}

static void
test_killed_after_cont_before_unmark(void **state)
{
    killed_at_step(*state, 3);
}

int
main(int argc, char **argv)
{
    qt_self = argv[0];
    if (argc > 1)
        return qt_child_main(argc, argv);
    if (access(QEMU_BINARY, X_OK) < 0) {
        fprintf(stderr, "SKIP: '%s' is not installed (Debian package qemu-system-x86)\n",
                QEMU_BINARY);
        return 77;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_pause_suspend_resume, setup, teardown),
        cmocka_unit_test_setup_teardown(test_killed_between_prepare_and_restore, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vpsh_nodesuspend_guests_pause, setup, teardown),
        cmocka_unit_test_setup_teardown(test_killed_after_mark_before_stop, setup, teardown),
        cmocka_unit_test_setup_teardown(test_killed_after_cont_before_unmark, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
