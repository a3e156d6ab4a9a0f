/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-qemu-guest.c: one boot of the tiny Linux guest (busybox + qemu-ga,
 * tests/helpers/guest/) as a domain defined from XML on
 * qemu:///embed?root=<tmpdir>, through its whole life: start, running,
 * the agent answering guestinfo, quiesced snapshots (also one whose freeze
 * answers after the host's agent timeout, through the guest's fsfreeze
 * hook), suspend/resume, a second process finding it, ACPI shutdown, shut
 * off, undefine; and reverts: a value in a guest tmpfs brought back by an
 * internal snapshot (memory), a marker file on the data disk brought back
 * by a disk-only one, reverted running, paused and shut off. The QEMU is
 * killed in the teardown whatever happened.
 * Skips (77) when the guest cannot be built.
 */
#include <config.h>

#include <inttypes.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <json-c/json.h>

#include <virtplug/sdk/alloc.h>
#include <virtplug/sdk/services.h>
#include <virtplug/virtplug.h>

#include "guest/guest.h"
#include "hostpower/fake-host.h"
#include "qemu-agent.h"
#include "qemu-test-util.h"
#include "test-qemu-guest.h"

/* Under TCG the agent answers about 3-4 s after start; allow a loaded host. */
#define AGENT_WAIT_S 60

/* The guest's fsfreeze hook sleeps on a freeze while this file exists (as
 * many seconds as it says, 4 when empty) and removes it:
 * tests/helpers/guest/build-guest.sh. */
#define SLOW_FREEZE_MARKER "/run/vp-slow-freeze"
/* Shorter than the hook's sleep, so the freeze times out; a third of it is
 * left to the two resyncs that follow (the machine tries twice). */
#define SLOW_AGENT_TIMEOUT_MS 3000
#define STR_(x) #x
#define STR(x) STR_(x)

static char *guest_dir;

static int
setup(void **state)
{
    fixture *f = vp_new0(fixture, 1);
    f->root = qt_root_new();
    _cleanup_free_ char *uri = qt_uri(f->root, "agent_timeout_ms=5000");
    assert_int_equal(vp_conn_open(uri, 0, &f->conn), 0);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    fixture *f = *state;
    vp_conn_close(f->conn);
    qt_root_destroy(f->root);
    free(f);
    return 0;
}

static char *
guest_xml(const fixture *f)
{
    char xml[4096];
    assert_int_equal(vp_test_guest_xml(xml, sizeof(xml), "kvm", "tiny", guest_dir, f->root, ""), 0);
    return vp_strdup(xml);
}

static void
copy_disk(const fixture *f)
{
    assert_int_equal(vp_test_guest_copy_disk(guest_dir, f->root), 0);
}

static void
assert_state(vp_domain *dom, int state, int reason)
{
    int s = -1, why = -1;
    assert_int_equal(vp_domain_get_state(dom, &s, &why, 0), 0);
    assert_int_equal(s, state);
    assert_int_equal(why, reason);
}

/* guestinfo until the agent is up: each try waits up to the URI's timeout. */
char *
wait_guest_info(vp_domain *dom)
{
    time_t deadline = time(NULL) + AGENT_WAIT_S;
    for (;;) {
        char *json = NULL;
        int r = vp_domain_get_guest_info(dom, 0, &json);
        if (r == 0)
            return json;
        assert_int_equal(r, VP_ERR_AGENT_UNRESPONSIVE);
        if (time(NULL) >= deadline) {
            fprintf(stderr, "agent silent for %d s: %s\n", AGENT_WAIT_S, vp_error_last()->message);
            fail();
        }
    }
}

static const char *
e2fsck_path(void)
{
    return access("/usr/sbin/e2fsck", X_OK) == 0 ? "/usr/sbin/e2fsck" : "/sbin/e2fsck";
}

/* One guest-agent command of domain 'tiny' over a connection of our own
 * (the driver holds none between calls). @args: JSON text or NULL.
 * @ret_return: (optional) (transfer full). */
int
agent_run(const fixture *f, const char *command, const char *args, json_object **ret_return)
{
    _cleanup_free_ char *path = vp_asprintf("%s/run/tiny.agent", f->root);
    qemu_agent *agent = NULL;
    int r = qemu_agent_open_for(path, "tiny", 10000, &agent);
    if (r < 0)
        return r;
    json_object *jargs = args ? json_tokener_parse(args) : NULL;
    assert_true(!args || jargs);
    r = qemu_agent_command(agent, command, jargs, 10000, ret_return);
    json_object_put(jargs);
    qemu_agent_close(agent);
    return r;
}

/* guest-fsfreeze-status. (transfer full) */
char *
fsfreeze_status(const fixture *f)
{
    json_object *ret = NULL;
    int r = agent_run(f, "guest-fsfreeze-status", NULL, &ret);
    if (r < 0)
        fail_msg("guest-fsfreeze-status failed: %s", vp_error_last()->message);
    assert_true(json_object_is_type(ret, json_type_string));
    char *status = vp_strdup(json_object_get_string(ret));
    json_object_put(ret);
    return status;
}

/* Until guest-fsfreeze-status reads "thawed": a late freeze and the thaw
 * queued behind it may still be draining in the agent. */
static void
wait_thawed(const fixture *f)
{
    time_t deadline = time(NULL) + 30;
    for (;;) {
        json_object *ret = NULL;
        int r = agent_run(f, "guest-fsfreeze-status", NULL, &ret);
        bool thawed = r == 0 && !strcmp(json_object_get_string(ret), "thawed");
        json_object_put(ret);
        if (thawed)
            return;
        if (time(NULL) >= deadline)
            fail_msg("guest still not thawed after 30 s (%d)", r);
        usleep(200000);
    }
}

/* The overlay of snapshot q1 is the active layer, backed by the base disk. */
static void
check_overlay_chain(const fixture *f)
{
    _cleanup_free_ char *overlay = vp_asprintf("%s/disk.q1", f->root);
    _cleanup_free_ char *base = vp_asprintf("%s/disk.qcow2", f->root);
    _cleanup_free_ char *out = NULL;
    assert_int_equal(qt_run_capture((const char *const[]){QEMU_IMG, "info", "-U", "--backing-chain",
                                                          "--output=json", overlay, NULL},
                                    &out),
                     0);
    json_object *chain = json_tokener_parse(out);
    assert_true(json_object_is_type(chain, json_type_array));
    assert_int_equal(json_object_array_length(chain), 2);
    json_object *top = json_object_array_get_idx(chain, 0);
    json_object *bottom = json_object_array_get_idx(chain, 1);
    json_object *v = NULL;
    assert_true(json_object_object_get_ex(top, "filename", &v));
    assert_string_equal(json_object_get_string(v), overlay);
    assert_true(json_object_object_get_ex(top, "format", &v));
    assert_string_equal(json_object_get_string(v), "qcow2");
    assert_true(json_object_object_get_ex(top, "full-backing-filename", &v));
    assert_string_equal(json_object_get_string(v), base);
    assert_true(json_object_object_get_ex(bottom, "filename", &v));
    assert_string_equal(json_object_get_string(v), base);
    assert_false(json_object_object_get_ex(bottom, "backing-filename", NULL));
    json_object_put(chain);
}

/* Make the guest's next freeze sleep in its hook for @seconds (text, as
 * base64; NULL: the hook's default of 4 s) before it freezes. */
void
slow_next_freeze(const fixture *f, const char *seconds_b64)
{
    json_object *handle = NULL;
    assert_int_equal(agent_run(f, "guest-file-open",
                               "{\"path\":\"" SLOW_FREEZE_MARKER "\",\"mode\":\"w\"}", &handle),
                     0);
    int64_t h = json_object_get_int64(handle);
    json_object_put(handle);
    if (seconds_b64) {
        _cleanup_free_ char *write_args =
            vp_asprintf("{\"handle\":%" PRId64 ",\"buf-b64\":\"%s\"}", h, seconds_b64);
        assert_int_equal(agent_run(f, "guest-file-write", write_args, NULL), 0);
    }
    _cleanup_free_ char *close_args = vp_asprintf("{\"handle\":%" PRId64 "}", h);
    assert_int_equal(agent_run(f, "guest-file-close", close_args, NULL), 0);
}

/* A quiesced snapshot @name whose freeze answers after the connection's
 * timeout: it fails naming the freeze's timeout, and leaves no snapshot and
 * no overlay. Returns the error message. (transfer full) */
static char *
late_freeze_snapshot(const fixture *f, const char *name)
{
    _cleanup_free_ char *uri = qt_uri(f->root, "agent_timeout_ms=" STR(SLOW_AGENT_TIMEOUT_MS));
    vp_conn *conn = NULL;
    assert_int_equal(vp_conn_open(uri, 0, &conn), 0);
    vp_domain *dom = NULL;
    assert_int_equal(vp_domain_lookup_by_name(conn, "tiny", &dom), 0);
    _cleanup_free_ char *xml =
        vp_asprintf("<domainsnapshot><name>%s</name></domainsnapshot>", name);
    _cleanup_free_ char *which = vp_asprintf("snapshot '%s'", name);
    int r = vp_snapshot_create_xml(dom, xml,
                                   VP_SNAPSHOT_CREATE_DISK_ONLY | VP_SNAPSHOT_CREATE_QUIESCE, NULL);
    QT_ASSERT_ERROR(r, VP_ERR_AGENT_UNRESPONSIVE, which, "'tiny'", "guest-fsfreeze-freeze",
                    STR(SLOW_AGENT_TIMEOUT_MS) " ms");
    char *message = vp_strdup(vp_error_last()->message);
    vp_snapshot *none = NULL;
    assert_int_equal(vp_snapshot_lookup_by_name(dom, name, 0, &none), VP_ERR_NO_SNAPSHOT);
    vp_domain_free(dom);
    vp_conn_close(conn);
    _cleanup_free_ char *overlay = vp_asprintf("%s/disk.%s", f->root, name);
    assert_int_equal(access(overlay, F_OK), -1);
    return message;
}

/* The hook ran (it consumed the marker), so the freeze really was late. */
static void
assert_hook_ran(const fixture *f)
{
    int r = agent_run(f, "guest-file-open", "{\"path\":\"" SLOW_FREEZE_MARKER "\",\"mode\":\"r\"}",
                      NULL);
    QT_ASSERT_ERROR(r, VP_ERR_OPERATION_INVALID, SLOW_FREEZE_MARKER);
}

/* A freeze that answers only after the host's agent timeout: the guest's
 * hook sleeps 4 s, the connection waits 3 s. The state machine gives up on
 * the freeze, thaws over a fresh resynchronised connection (which waits
 * behind the late freeze in the agent), confirms "thawed" and reports the
 * freeze's timeout; no snapshot and no overlay are left. */
static void
check_slow_freeze(const fixture *f)
{
    slow_next_freeze(f, NULL);
    _cleanup_free_ char *message = late_freeze_snapshot(f, "q3");
    assert_null(strstr(message, "may still be frozen"));
    wait_thawed(f);
    assert_hook_ran(f);
}

/* A freeze later than every wait of the state machine: the hook sleeps
 * 11 s against 3 s for the freeze, 3 s for the fresh connection's sync and
 * 3 s to verify. The fresh sync goes unanswered, so the thaw is written
 * behind the freeze on that connection; the call says the thaw was queued
 * and is unconfirmed, and the real qemu-ga runs it once the freeze returns,
 * after the state machine has given up and closed the connection. Without
 * the queued thaw the guest would stay frozen. */
static void
check_thaw_queued_behind_late_freeze(const fixture *f)
{
    slow_next_freeze(f, "MTE="); /* "11" */
    _cleanup_free_ char *message = late_freeze_snapshot(f, "q4");
    if (!strstr(message, "may still be frozen") || !strstr(message, "a thaw was queued"))
        fail_msg("message: %s", message);
    wait_thawed(f);
    assert_hook_ran(f);
}

/* A quiesced disk-only snapshot: the base it leaves behind is a clean file
 * system, and the agent is thawed again (guest-get-fsinfo is refused while
 * frozen). */
static void
check_quiesced_snapshot(const fixture *f, vp_domain *dom)
{
    assert_int_equal(
        vp_snapshot_create_xml(dom, "<domainsnapshot><name>q1</name></domainsnapshot>",
                               VP_SNAPSHOT_CREATE_DISK_ONLY | VP_SNAPSHOT_CREATE_QUIESCE, NULL),
        0);
    vp_snapshot *snap = NULL;
    assert_int_equal(vp_snapshot_lookup_by_name(dom, "q1", 0, &snap), 0);
    _cleanup_free_ char *xml = NULL;
    assert_int_equal(vp_snapshot_get_xml(snap, 0, &xml), 0);
    vp_snapshot_free(snap);
    assert_non_null(strstr(xml, "quiesced"));
    assert_non_null(strstr(xml, "disk.q1"));

    _cleanup_free_ char *status = fsfreeze_status(f);
    assert_string_equal(status, "thawed");
    check_overlay_chain(f);
    _cleanup_free_ char *info = NULL;
    assert_int_equal(vp_domain_get_guest_info(dom, 0, &info), 0);
    assert_non_null(strstr(info, "\"fsinfo\""));

    _cleanup_free_ char *base = vp_asprintf("%s/disk.qcow2", f->root);
    _cleanup_free_ char *raw = vp_asprintf("%s/base.raw", f->root);
    assert_int_equal(
        qt_run_capture(
            (const char *const[]){QEMU_IMG, "convert", "-U", "-O", "raw", base, raw, NULL}, NULL),
        0);
    assert_int_equal(qt_run_capture((const char *const[]){e2fsck_path(), "-fn", raw, NULL}, NULL),
                     0);
    unlink(raw);

    /* A snapshot that fails after the freeze still thaws the guest. */
    int r = vp_snapshot_create_xml(dom,
                                   "<domainsnapshot><name>q2</name><disks>"
                                   "<disk name='vda' snapshot='external'>"
                                   "<source file='/nonexistent/vp-dir/q2.qcow2'/></disk>"
                                   "</disks></domainsnapshot>",
                                   VP_SNAPSHOT_CREATE_DISK_ONLY | VP_SNAPSHOT_CREATE_QUIESCE, NULL);
    assert_true(r < 0);
    assert_non_null(strstr(vp_error_last()->message, "/nonexistent/vp-dir/q2.qcow2"));
    vp_snapshot *none = NULL;
    assert_int_equal(vp_snapshot_lookup_by_name(dom, "q2", 0, &none), VP_ERR_NO_SNAPSHOT);
    _cleanup_free_ char *again = NULL;
    assert_int_equal(vp_domain_get_guest_info(dom, 0, &again), 0);
    assert_non_null(strstr(again, "\"fsinfo\""));

    check_slow_freeze(f);
    check_thaw_queued_behind_late_freeze(f);
}

/* vpsh guestinfo from another process, in text and JSON. */
static void
check_vpsh_guestinfo(const char *uri)
{
    const char *top = secure_getenv("VP_TOP_BUILDDIR");
    if (!top) {
        fprintf(stderr, "VP_TOP_BUILDDIR unset: vpsh guestinfo not checked\n");
        return;
    }
    _cleanup_free_ char *vpsh = qt_vpsh_path();
    int status = -1;
    _cleanup_free_ char *out = NULL, *err = NULL;
    const char *text_argv[] = {vpsh, "-c", uri, "guestinfo", "tiny", NULL};
    assert_int_equal(vp_plugin_command_run(text_argv, 60000, &status, &out, &err), 0);
    if (status != 0)
        fail_msg("vpsh guestinfo exited %d: %s", status, err);
    assert_non_null(strstr(out, "info.version "));
    assert_non_null(strstr(out, "osinfo.kernel-release "));
    assert_non_null(strstr(out, ": /mnt\n"));
    assert_non_null(strstr(out, ": ext4\n"));
    free(out);
    free(err);
    out = err = NULL;
    const char *json_argv[] = {vpsh, "-c", uri, "--json", "guestinfo", "tiny", NULL};
    assert_int_equal(vp_plugin_command_run(json_argv, 60000, &status, &out, &err), 0);
    assert_int_equal(status, 0);
    assert_non_null(strstr(out, "\"domain\": \"tiny\""));
    assert_non_null(strstr(out, "\"guestinfo\": {"));
    assert_non_null(strstr(out, "\"fsinfo\""));
}

/* vpsh killed while the guest is frozen for a quiesced snapshot (stopped
 * by the driver's step hook right after the freeze answered): the next
 * operation thaws the guest and records the snapshot QEMU took. */
static void
check_killed_while_frozen(const fixture *f, vp_domain *dom)
{
    _cleanup_free_ char *vpsh = qt_vpsh_path();
    _cleanup_free_ char *uri = qt_uri(f->root, NULL);
    const char *argv[] = {vpsh,          "-c",        uri, "snapshot-create-as", "tiny", "q2",
                          "--disk-only", "--quiesce", NULL};
    /* Step 1 writes the intent, step 2 is the answered freeze. */
    qt_kill_at_step(argv, 2);
    _cleanup_free_ char *frozen = fsfreeze_status(f);
    assert_string_equal(frozen, "frozen");
    assert_state(dom, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_UNPAUSED);
    _cleanup_free_ char *thawed = fsfreeze_status(f);
    assert_string_equal(thawed, "thawed");
    /* The freeze was the last thing done: no snapshot was taken. */
    vp_snapshot *snap = NULL;
    QT_ASSERT_ERROR(vp_snapshot_lookup_by_name(dom, "q2", 0, &snap), VP_ERR_NO_SNAPSHOT, "'q2'");
    _cleanup_free_ char *intent = vp_asprintf("%s/config/tiny.intent", f->root);
    assert_int_equal(access(intent, F_OK), -1);
}

static int64_t
host_now_s(void)
{
    return (int64_t)time(NULL);
}

static void
assert_guest_time_near(vp_domain *dom, int64_t want_s)
{
    long long sec = 0;
    unsigned int nsec = 1u << 31;
    assert_int_equal(vp_domain_get_time(dom, &sec, &nsec, 0), 0);
    assert_true(nsec < 1000000000u);
    if (sec < want_s - 30 || sec > want_s + 30)
        fail_msg("guest clock at %lld s, expected about %" PRId64 " s", sec, want_s);
}

/* domtime: the guest's clock read through the agent, moved an hour back
 * by the test (guest-set-time), read back so, and set right from the
 * host's clock (VP_DOMAIN_TIME_SYNC); and an explicit time. */
static void
check_domtime(const fixture *f, vp_domain *dom)
{
    assert_guest_time_near(dom, host_now_s());
    _cleanup_free_ char *back =
        vp_asprintf("{\"time\":%" PRId64 "}", (host_now_s() - 3600) * INT64_C(1000000000));
    int r = agent_run(f, "guest-set-time", back, NULL);
    if (r < 0)
        fail_msg("guest-set-time: %s", vp_error_last()->message);
    assert_guest_time_near(dom, host_now_s() - 3600);
    assert_int_equal(vp_domain_set_time(dom, 0, 0, VP_DOMAIN_TIME_SYNC), 0);
    assert_guest_time_near(dom, host_now_s());
    assert_int_equal(vp_domain_set_time(dom, 2000000000LL, 0, 0), 0);
    assert_guest_time_near(dom, 2000000000LL);
    assert_int_equal(vp_domain_set_time(dom, 0, 0, VP_DOMAIN_TIME_SYNC), 0);
    json_object *ret = NULL;
    assert_int_equal(agent_run(f, "guest-get-time", NULL, &ret), 0);
    int64_t ns = json_object_get_int64(ret);
    json_object_put(ret);
    assert_true(ns / 1000000000 > host_now_s() - 30 && ns / 1000000000 < host_now_s() + 30);
}

/* A host suspend with the pause policy on a fake host (nothing suspends
 * this machine): the guest's clock, moved an hour back by the test through
 * the agent, is set right by the restore step, read back with
 * guest-get-time. */
static void
check_host_suspend(const fixture *f, vp_domain *dom)
{
    _cleanup_free_ char *rt = vp_asprintf("%s/vp-runtime", f->root);
    assert_int_equal(vp_plugin_mkdir_p(rt, 0700), 0);
    setenv("VIRTPLUG_RUNTIME_DIR", rt, 1);
    hp_fake *fake = hp_fake_new("pm-utils", "suspend_delay_ms = 50\n");
    _cleanup_free_ char *back =
        vp_asprintf("{\"time\":%" PRId64 "}", (host_now_s() - 3600) * INT64_C(1000000000));
    assert_int_equal(agent_run(f, "guest-set-time", back, NULL), 0);
    assert_guest_time_near(dom, host_now_s() - 3600);
    assert_int_equal(vp_node_suspend_for_duration(f->conn, VP_NODE_SUSPEND_TARGET_MEM, 60,
                                                  VP_NODE_SUSPEND_GUESTS_PAUSE),
                     0);
    assert_int_equal(vp_node_suspend_wait(f->conn, 120000), 0);
    vp_node_suspend_result res = {.size = sizeof(res)};
    assert_int_equal(vp_node_get_suspend_result(f->conn, &res), 0);
    if (res.state != VP_NODE_SUSPEND_RESUMED)
        fail_msg("outcome '%s': %s", vp_node_suspend_state_name(res.state), res.error_message);
    vp_node_suspend_guest **g = NULL;
    assert_int_equal(vp_node_get_suspend_guests(f->conn, 0, &g), 1);
    assert_string_equal(g[0]->name, "tiny");
    if (g[0]->done != (VP_NODE_SUSPEND_GUEST_PAUSED | VP_NODE_SUSPEND_GUEST_RESUMED |
                       VP_NODE_SUSPEND_GUEST_CLOCK_SET))
        fail_msg("tiny: done 0x%x: %s", g[0]->done, g[0]->message ? g[0]->message : "");
    vp_node_suspend_guests_free(g);
    _cleanup_free_ char *calls = hp_fake_calls(fake);
    assert_non_null(strstr(calls, "pm-suspend"));
    hp_fake_free(fake);
    json_object *ret = NULL;
    assert_int_equal(agent_run(f, "guest-get-time", NULL, &ret), 0);
    int64_t ns = json_object_get_int64(ret);
    json_object_put(ret);
    if (ns / 1000000000 < host_now_s() - 30 || ns / 1000000000 > host_now_s() + 30)
        fail_msg("guest-get-time says %" PRId64 " s after the restore", ns / 1000000000);
    assert_state(dom, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_UNPAUSED);
}

/* Requests passed to qemu-ga as written (vpsh qemu-agent-command, domifaddr). */
static void
check_agent_passthrough(vp_domain *dom)
{
    char *reply = NULL;
    assert_int_equal(vp_domain_qemu_agent_command(dom, "{\"execute\": \"guest-ping\"}",
                                                  VP_DOMAIN_AGENT_RESPONSE_TIMEOUT_DEFAULT, 0,
                                                  &reply),
                     0);
    assert_string_equal(reply, "{\"return\":{}}");
    free(reply);
    reply = NULL;
    assert_int_equal(vp_domain_qemu_agent_command(
                         dom, "{\"execute\":\"guest-network-get-interfaces\"}", 10, 0, &reply),
                     0);
    assert_non_null(strstr(reply, "\"name\":\"lo\""));
    /* The tiny guest never brings lo up: a name, a MAC, no address. */
    assert_non_null(strstr(reply, "\"hardware-address\":\"00:00:00:00:00:00\""));
    free(reply);
    reply = NULL;
    assert_int_equal(vp_domain_qemu_agent_command(
                         dom, "{\"execute\":\"guest-get-time\",\"arguments\":{}}", 10, 0, &reply),
                     0);
    assert_non_null(strstr(reply, "{\"return\":"));
    free(reply);
    reply = NULL;
    QT_ASSERT_ERROR(
        vp_domain_qemu_agent_command(dom, "{\"execute\":\"guest-nonesuch\"}", 10, 0, &reply),
        VP_ERR_NOT_SUPPORTED, "guest-nonesuch", "CommandNotFound");
    QT_ASSERT_ERROR(
        vp_domain_qemu_agent_command(dom, "{\"execute\":\"guest-sync\"}", 10, 0, &reply),
        VP_ERR_INVALID_ARG, "guest-sync", "synchronises");
    QT_ASSERT_ERROR(vp_domain_qemu_agent_command(dom, "guest-ping", 10, 0, &reply),
                    VP_ERR_INVALID_ARG, "not a JSON object");
    assert_null(reply);
    /* Nothing is left unread: the next request gets its own answer. */
    assert_int_equal(vp_domain_qemu_agent_command(dom, "{\"execute\":\"guest-ping\"}",
                                                  VP_DOMAIN_AGENT_RESPONSE_TIMEOUT_NOWAIT, 0,
                                                  &reply),
                     0);
    assert_null(reply);
    assert_int_equal(
        vp_domain_qemu_agent_command(dom, "{\"execute\":\"guest-info\"}", 10, 0, &reply), 0);
    assert_non_null(strstr(reply, "supported_commands"));
    free(reply);
}

static void
test_guest_lifecycle(void **state)
{
    fixture *f = *state;
    copy_disk(f);
    _cleanup_free_ char *xml = guest_xml(f);
    vp_domain *dom = NULL;
    assert_int_equal(vp_domain_define_xml(f->conn, xml, 0, &dom), 0);
    assert_int_equal(vp_domain_start(dom, 0), 0);
    pid_t pid = qt_pid(f->root, "tiny");
    assert_true(pid > 0);
    assert_state(dom, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_BOOTED);

    _cleanup_free_ char *info = wait_guest_info(dom);
    assert_non_null(strstr(info, "\"info\""));
    assert_non_null(strstr(info, "\"version\""));
    assert_non_null(strstr(info, "guest-fsfreeze-freeze"));
    assert_non_null(strstr(info, "\"osinfo\""));
    assert_non_null(strstr(info, "kernel-release"));
    assert_non_null(strstr(info, "\"fsinfo\""));
    assert_non_null(strstr(info, "ext4"));
    assert_non_null(strstr(info, "\\/mnt"));

    check_domtime(f, dom);
    check_rtc_listed(f, dom);
    check_fsfreeze(f, dom);
    check_pm_suspend(dom);
    check_agent_passthrough(dom);
    check_host_suspend(f, dom);
    check_quiesced_snapshot(f, dom);

    assert_int_equal(vp_domain_suspend(dom, 0), 0);
    assert_state(dom, VP_DOMAIN_PAUSED, VP_DOMAIN_PAUSED_USER);
    assert_int_equal(vp_domain_resume(dom, 0), 0);
    assert_state(dom, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_UNPAUSED);
    check_killed_while_frozen(f, dom);

    _cleanup_free_ char *uri = qt_uri(f->root, NULL);
    assert_int_equal(qt_run_self((const char *const[]){"child-state", uri, "tiny", NULL}),
                     VP_DOMAIN_RUNNING * 10 + VP_DOMAIN_RUNNING_UNPAUSED);

    check_vpsh_guestinfo(uri);

    assert_int_equal(vp_domain_shutdown(dom, 0), 0);
    assert_true(qt_wait_pid_gone(pid, 5000));
    assert_state(dom, VP_DOMAIN_SHUTOFF, VP_DOMAIN_SHUTOFF_SHUTDOWN);
    assert_false(qt_run_file_exists(f->root, "tiny", ".agent.in"));
    assert_false(qt_run_file_exists(f->root, "tiny", ".qmp"));
    _cleanup_free_ char *console = vp_asprintf("%s/console.log", f->root);
    assert_int_equal(access(console, F_OK), 0);

    vp_snapshot *snap = NULL;
    assert_int_equal(vp_snapshot_lookup_by_name(dom, "q1", 0, &snap), 0);
    assert_int_equal(vp_snapshot_delete(snap, 0), 0);
    vp_snapshot_free(snap);
    assert_int_equal(vp_domain_undefine(dom, 0), 0);
    vp_domain **list = NULL;
    assert_int_equal(vp_conn_list_domains(f->conn, 0, &list), 0);
    vp_domain_list_free(list);
    vp_domain_free(dom);
}

/* Write @b64 (base64) as the whole content of guest file @path. */
static void
guest_write(const fixture *f, const char *path, const char *b64)
{
    _cleanup_free_ char *open_args = vp_asprintf("{\"path\":\"%s\",\"mode\":\"w\"}", path);
    json_object *handle = NULL;
    assert_int_equal(agent_run(f, "guest-file-open", open_args, &handle), 0);
    int64_t h = json_object_get_int64(handle);
    json_object_put(handle);
    _cleanup_free_ char *write_args =
        vp_asprintf("{\"handle\":%" PRId64 ",\"buf-b64\":\"%s\"}", h, b64);
    assert_int_equal(agent_run(f, "guest-file-write", write_args, NULL), 0);
    _cleanup_free_ char *close_args = vp_asprintf("{\"handle\":%" PRId64 "}", h);
    assert_int_equal(agent_run(f, "guest-file-close", close_args, NULL), 0);
}

/* The content of guest file @path, base64. (transfer full) */
static char *
guest_read(const fixture *f, const char *path)
{
    _cleanup_free_ char *open_args = vp_asprintf("{\"path\":\"%s\",\"mode\":\"r\"}", path);
    json_object *handle = NULL, *ret = NULL, *buf = NULL;
    assert_int_equal(agent_run(f, "guest-file-open", open_args, &handle), 0);
    int64_t h = json_object_get_int64(handle);
    json_object_put(handle);
    _cleanup_free_ char *read_args = vp_asprintf("{\"handle\":%" PRId64 ",\"count\":64}", h);
    assert_int_equal(agent_run(f, "guest-file-read", read_args, &ret), 0);
    assert_true(json_object_object_get_ex(ret, "buf-b64", &buf));
    char *b64 = vp_strdup(json_object_get_string(buf));
    json_object_put(ret);
    _cleanup_free_ char *close_args = vp_asprintf("{\"handle\":%" PRId64 "}", h);
    assert_int_equal(agent_run(f, "guest-file-close", close_args, NULL), 0);
    return b64;
}

static void
assert_guest_file(const fixture *f, const char *path, const char *b64)
{
    _cleanup_free_ char *got = guest_read(f, path);
    assert_string_equal(got, b64);
}

static void
revert_to(vp_domain *dom, const char *name, unsigned int flags)
{
    vp_snapshot *snap = NULL;
    assert_int_equal(vp_snapshot_lookup_by_name(dom, name, 0, &snap), 0);
    if (vp_snapshot_revert(snap, flags) < 0)
        fail_msg("reverting to '%s': %s", name, vp_error_last()->message);
    vp_snapshot_free(snap);
}

#define TMPFS_MARKER "/run/vp-revert-marker"
#define DISK_MARKER "/mnt/vp-revert-marker"
#define B64_ONE "b25l"              /* "one" */
#define B64_TWO "dHdv"              /* "two" */
#define B64_DISK_ONE "ZGlzay1vbmU=" /* "disk-one" */
#define B64_DISK_TWO "ZGlzay10d28=" /* "disk-two" */

static void
test_guest_revert(void **state)
{
    fixture *f = *state;
    copy_disk(f);
    _cleanup_free_ char *xml = guest_xml(f);
    vp_domain *dom = NULL;
    assert_int_equal(vp_domain_define_xml(f->conn, xml, 0, &dom), 0);
    assert_int_equal(vp_domain_start(dom, 0), 0);
    free(wait_guest_info(dom));

    /* Memory: a value in the guest's tmpfs comes back with the snapshot. */
    guest_write(f, TMPFS_MARKER, B64_ONE);
    assert_int_equal(
        vp_snapshot_create_xml(dom, "<domainsnapshot><name>m1</name></domainsnapshot>", 0, NULL),
        0);
    guest_write(f, TMPFS_MARKER, B64_TWO);
    assert_guest_file(f, TMPFS_MARKER, B64_TWO);
    revert_to(dom, "m1", 0);
    assert_state(dom, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_FROM_SNAPSHOT);
    assert_guest_file(f, TMPFS_MARKER, B64_ONE);

    /* Disk: a marker file, flushed by the quiesced snapshot's freeze. */
    guest_write(f, DISK_MARKER, B64_DISK_ONE);
    assert_int_equal(
        vp_snapshot_create_xml(dom, "<domainsnapshot><name>d1</name></domainsnapshot>",
                               VP_SNAPSHOT_CREATE_DISK_ONLY | VP_SNAPSHOT_CREATE_QUIESCE, NULL),
        0);
    guest_write(f, DISK_MARKER, B64_DISK_TWO);
    /* Running: restarted (force) on a new overlay over what d1 left. */
    revert_to(dom, "d1", VP_SNAPSHOT_REVERT_RUNNING | VP_SNAPSHOT_REVERT_FORCE);
    assert_state(dom, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_FROM_SNAPSHOT);
    free(wait_guest_info(dom));
    assert_guest_file(f, DISK_MARKER, B64_DISK_ONE);
    guest_write(f, DISK_MARKER, B64_DISK_TWO);
    /* Paused. */
    revert_to(dom, "d1", VP_SNAPSHOT_REVERT_PAUSED | VP_SNAPSHOT_REVERT_FORCE);
    assert_state(dom, VP_DOMAIN_PAUSED, VP_DOMAIN_PAUSED_FROM_SNAPSHOT);
    assert_int_equal(vp_domain_resume(dom, 0), 0);
    free(wait_guest_info(dom));
    assert_guest_file(f, DISK_MARKER, B64_DISK_ONE);
    guest_write(f, DISK_MARKER, B64_DISK_TWO);
    /* Shut off: the running domain is stopped (libvirt's rule), then
     * starts on the snapshot's disk; here started paused (nothing of the
     * guest runs before resume), and shut down through its agent. */
    revert_to(dom, "d1", 0);
    assert_state(dom, VP_DOMAIN_SHUTOFF, VP_DOMAIN_SHUTOFF_FROM_SNAPSHOT);
    assert_int_equal(vp_domain_start(dom, VP_DOMAIN_START_PAUSED), 0);
    assert_state(dom, VP_DOMAIN_PAUSED, VP_DOMAIN_PAUSED_USER);
    assert_int_equal(vp_domain_resume(dom, 0), 0);
    free(wait_guest_info(dom));
    assert_guest_file(f, DISK_MARKER, B64_DISK_ONE);
    assert_int_equal(
        vp_domain_shutdown(dom, VP_DOMAIN_SHUTDOWN_GUEST_AGENT | VP_DOMAIN_SHUTDOWN_WAIT), 0);
    assert_state(dom, VP_DOMAIN_SHUTOFF, VP_DOMAIN_SHUTOFF_SHUTDOWN);

    /* Every snapshot can go afterwards; the domain still boots. */
    vp_snapshot **snaps = NULL;
    int n = vp_snapshot_list(dom, 0, &snaps);
    assert_int_equal(n, 2);
    for (int i = n - 1; i >= 0; i--) {
        if (vp_snapshot_delete(snaps[i], 0) < 0)
            fail_msg("deleting '%s': %s", vp_snapshot_get_name(snaps[i]), vp_error_last()->message);
    }
    vp_snapshot_list_free(snaps);
    vp_domain_free(dom);
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
    int r = vp_test_guest_prepare(&guest_dir);
    if (r != 0)
        return r == 77 ? 77 : 99;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_guest_lifecycle, setup, teardown),
        cmocka_unit_test_setup_teardown(test_guest_revert, setup, teardown),
    };
    r = cmocka_run_group_tests(tests, NULL, NULL);
    free(guest_dir);
    return r;
}
