/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-qemu-qmp-events.c: events the guest raises inside QEMU, through
 * the events-only monitor NAME.qmp-events (qemu-events-qmp.c), against
 * real QEMU: a pause nobody made through the driver ('stop' sent straight
 * to NAME.qmp) and a reset ('system_reset') reach the watch that holds the
 * monitor, which records them, and a watcher in a second process sees them
 * through the record; the holder SIGKILLed, the other watcher takes the
 * monitor over; a QEMU without the events socket (as one started by an
 * older virtplug) is still watched through its pidfd and records; and the
 * tiny guest panicking (pvpanic, <on_crash>preserve</on_crash>) is
 * reported crashed panicked to a second process; with the default
 * <on_crash>destroy</on_crash> (QEMU exits) a process that does not hold
 * the monitor reports crashed panicked then stopped crashed, and the state
 * reads shut off (crashed) with or without any watcher.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <virtplug/sdk/alloc.h>
#include <virtplug/virtplug.h>

#include "guest/guest.h"
#include "qemu-monitor.h"
#include "qemu-test-util.h"

#define UUID "5b7c9d2e-4a61-4f3b-8c2d-9e0f1a2b3c4d"
#define MAX_SEEN 32

typedef struct fixture {
    char *root;
    char *uri;
    vp_conn *conn;
    vp_domain *dom;
} fixture;

typedef struct seen {
    int n;
    int events[MAX_SEEN], details[MAX_SEEN];
} seen;

static char *
domain_xml(void)
{
    return vp_strdup("<domain type='qemu'><name>ev1</name><uuid>" UUID "</uuid>"
                     "<memory unit='MiB'>32</memory><vcpu>1</vcpu>"
                     "<os><type arch='x86_64' machine='none'>hvm</type></os>"
                     "<devices></devices></domain>");
}

static int
setup(void **state)
{
    fixture *f = vp_new0(fixture, 1);
    f->root = qt_root_new();
    f->uri = qt_uri(f->root, NULL);
    assert_int_equal(vp_conn_open(f->uri, 0, &f->conn), 0);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    fixture *f = *state;
    vp_domain_free(f->dom);
    vp_conn_close(f->conn);
    qt_root_destroy(f->root);
    free(f->uri);
    free(f);
    return 0;
}

static void
start_ev1(fixture *f)
{
    _cleanup_free_ char *xml = domain_xml();
    assert_int_equal(vp_domain_define_xml(f->conn, xml, 0, &f->dom), 0);
    assert_int_equal(vp_domain_start(f->dom, 0), 0);
}

static void
record(vp_conn *conn, const vp_domain_event *ev, void *opaque)
{
    seen *s = opaque;
    if (s->n >= MAX_SEEN)
        return;
    s->events[s->n] = ev->event;
    s->details[s->n] = ev->detail;
    s->n++;
}

/* Dispatch until @s holds @want events or @timeout_ms passed. */
static void
pump(vp_conn *conn, seen *s, int want, int timeout_ms)
{
    struct pollfd p = {.fd = vp_conn_event_fd(conn), .events = POLLIN};
    assert_true(p.fd >= 0);
    for (int waited = 0; (want < 0 || s->n < want) && waited < timeout_ms; waited += 50) {
        if (poll(&p, 1, 50) == 1)
            assert_true(vp_conn_event_dispatch(conn) >= 0);
    }
}

static void
assert_seen(const seen *s, int want, const int *events, const int *details)
{
    if (s->n != want) {
        for (int i = 0; i < s->n; i++)
            fprintf(stderr, "seen: %s %s\n", vp_domain_event_name(s->events[i], 0),
                    vp_domain_event_detail_name(s->events[i], s->details[i], 0));
    }
    assert_int_equal(s->n, want);
    for (int i = 0; i < want; i++) {
        assert_int_equal(s->events[i], events[i]);
        assert_int_equal(s->details[i], details[i]);
    }
}

/* One QMP command straight to QEMU's own monitor NAME.qmp, as a tool
 * outside virtplug would send it: the driver knows nothing of it. */
static void
qmp_direct(const fixture *f, const char *command)
{
    _cleanup_free_ char *path = vp_asprintf("%s/run/ev1.qmp", f->root);
    qemu_monitor *mon = NULL;
    assert_int_equal(qemu_monitor_open(path, 10000, &mon), 0);
    assert_int_equal(qemu_monitor_command(mon, command, NULL, 10000, NULL), 0);
    qemu_monitor_close(mon);
}

/* ---- The second process ---------------------------------------------- */

/* "watch URI READY EVENT DETAIL [EVENT DETAIL]...": register, dispatch a
 * moment (to hold the events monitor when it is free), create READY, then
 * dispatch until the events given came (exit 0), or 60 s (exit 1); with
 * no events given, dispatch until killed. */
static int
watch_main(int argc, char **argv)
{
    vp_conn *conn = NULL;
    seen s = {0};
    if (argc < 4 || vp_conn_open(argv[2], 0, &conn) < 0 ||
        vp_conn_event_register(conn, 0, record, &s, NULL, NULL) < 0)
        return 100;
    struct pollfd p = {.fd = vp_conn_event_fd(conn), .events = POLLIN};
    for (int i = 0; i < 10; i++)
        if (poll(&p, 1, 30) == 1)
            vp_conn_event_dispatch(conn);
    int fd = open(argv[3], O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return 101;
    close(fd);
    int want = (argc - 4) / 2;
    for (int waited = 0; (want == 0 || s.n < want) && waited < 60000; waited += 50)
        if (poll(&p, 1, 50) == 1)
            vp_conn_event_dispatch(conn);
    int r = s.n == want ? 0 : 1;
    for (int i = 0; i < s.n; i++) {
        bool ok = i < want && s.events[i] == (int)strtol(argv[4 + 2 * i], NULL, 10) &&
                  s.details[i] == (int)strtol(argv[5 + 2 * i], NULL, 10);
        if (!ok)
            r = 1;
        fprintf(stderr, "watcher %d saw: %s %s%s\n", (int)getpid(),
                vp_domain_event_name(s.events[i], 0),
                vp_domain_event_detail_name(s.events[i], s.details[i], 0),
                ok ? "" : " (unexpected)");
    }
    vp_conn_close(conn);
    return r;
}

/* Start a watcher process expecting @n events (@ed: event, detail pairs)
 * and wait until it watches. */
static pid_t
spawn_watcher(const fixture *f, int n, const int *ed)
{
    _cleanup_free_ char *ready = vp_asprintf("%s/ready-%d", f->root, n);
    unlink(ready);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        char *args[4 + 2 * MAX_SEEN + 1] = {(char *)qt_self, "watch", f->uri, ready};
        for (int i = 0; i < 2 * n; i++)
            args[4 + i] = vp_asprintf("%d", ed[i]);
        args[4 + 2 * n] = NULL;
        execv(qt_self, args);
        _exit(127);
    }
    for (int i = 0; i < 400 && access(ready, F_OK) < 0; i++)
        usleep(25000);
    assert_int_equal(access(ready, F_OK), 0);
    return pid;
}

static int
wait_watcher(pid_t pid)
{
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* ---- The tests -------------------------------------------------------- */

/* Register in this process and dispatch until the events monitor is held
 * (the greeting and qmp_capabilities take one or two dispatches); the
 * start of the watch is not reported. */
static void
watch_here(fixture *f, seen *s)
{
    assert_int_equal(vp_conn_event_register(f->conn, 0, record, s, NULL, NULL), 0);
    pump(f->conn, s, -1, 300);
    assert_int_equal(s->n, 0);
}

/* 'stop' sent to QEMU by someone else: the holder records the pause that
 * query-status reads (paused, user), both watchers report it. */
static void
test_pause_outside_driver(void **state)
{
    fixture *f = *state;
    start_ev1(f);
    seen s = {0};
    watch_here(f, &s);
    const int ed[] = {VP_DOMAIN_EVENT_SUSPENDED, VP_DOMAIN_EVENT_SUSPENDED_PAUSED,
                      VP_DOMAIN_EVENT_RESUMED, VP_DOMAIN_EVENT_RESUMED_UNPAUSED};
    pid_t other = spawn_watcher(f, 2, ed);
    qmp_direct(f, "stop");
    pump(f->conn, &s, 1, 20000);
    qt_assert_state(f->dom, VP_DOMAIN_PAUSED, VP_DOMAIN_PAUSED_USER);
    qmp_direct(f, "cont");
    pump(f->conn, &s, 2, 20000);
    const int events[] = {ed[0], ed[2]}, details[] = {ed[1], ed[3]};
    assert_seen(&s, 2, events, details);
    assert_int_equal(wait_watcher(other), 0);
    qt_assert_state(f->dom, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_UNPAUSED);
    /* A resume through the driver: reported once, although the holder
     * also hears QEMU's RESUME. */
    assert_int_equal(vp_domain_suspend(f->dom, 0), 0);
    assert_int_equal(vp_domain_resume(f->dom, 0), 0);
    pump(f->conn, &s, 5, 1000);
    assert_int_equal(s.n, 4);
}

/* A reset changes no state: libvirt's reboot event, in both processes. */
static void
test_reset_is_reboot(void **state)
{
    fixture *f = *state;
    start_ev1(f);
    seen s = {0};
    watch_here(f, &s);
    const int ed[] = {VP_DOMAIN_EVENT_REBOOT, VP_DOMAIN_EVENT_REBOOT_RESET};
    pid_t other = spawn_watcher(f, 1, ed);
    qmp_direct(f, "system_reset");
    pump(f->conn, &s, 1, 20000);
    assert_seen(&s, 1, &ed[0], &ed[1]);
    assert_int_equal(wait_watcher(other), 0);
    assert_string_equal(vp_domain_event_name(VP_DOMAIN_EVENT_REBOOT, 0), "reboot");
    qt_assert_state(f->dom, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_BOOTED);
}

/* The process holding the events monitor is SIGKILLed: QEMU serves the
 * next queued watcher, this one, which reports what follows. */
static void
test_holder_killed_other_takes_over(void **state)
{
    fixture *f = *state;
    start_ev1(f);
    pid_t holder = spawn_watcher(f, 0, NULL); /* first: it holds the monitor */
    seen s = {0};
    watch_here(f, &s);
    /* While the other process holds it, this watch still sees the pause
     * through the record the holder writes. */
    qmp_direct(f, "stop");
    pump(f->conn, &s, 1, 20000);
    assert_int_equal(s.n, 1);
    assert_int_equal(kill(holder, SIGKILL), 0);
    assert_int_equal(waitpid(holder, NULL, 0), holder);
    qmp_direct(f, "cont");
    pump(f->conn, &s, 2, 20000);
    const int events[] = {VP_DOMAIN_EVENT_SUSPENDED, VP_DOMAIN_EVENT_RESUMED};
    const int details[] = {VP_DOMAIN_EVENT_SUSPENDED_PAUSED, VP_DOMAIN_EVENT_RESUMED_UNPAUSED};
    assert_seen(&s, 2, events, details);
    qt_assert_state(f->dom, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_UNPAUSED);
}

/* A QEMU without NAME.qmp-events (as one an older virtplug started: here
 * its socket is unlinked): no monitor to hold, the pidfd and the records
 * still report its changes, and nothing hangs. */
static void
test_qemu_without_events_socket(void **state)
{
    fixture *f = *state;
    start_ev1(f);
    _cleanup_free_ char *sock = vp_asprintf("%s/run/ev1.qmp-events", f->root);
    assert_int_equal(unlink(sock), 0);
    seen s = {0};
    watch_here(f, &s);
    assert_int_equal(vp_domain_suspend(f->dom, 0), 0);
    pump(f->conn, &s, 1, 20000);
    pid_t pid = qt_pid(f->root, "ev1");
    assert_true(pid > 0);
    assert_int_equal(kill(pid, SIGKILL), 0);
    pump(f->conn, &s, 2, 20000);
    const int events[] = {VP_DOMAIN_EVENT_SUSPENDED, VP_DOMAIN_EVENT_STOPPED};
    const int details[] = {VP_DOMAIN_EVENT_SUSPENDED_PAUSED, VP_DOMAIN_EVENT_STOPPED_CRASHED};
    assert_seen(&s, 2, events, details);
}

/* Boot the tiny guest as ev1 with a pvpanic device (<panic model='isa'/>)
 * and @on_crash ("preserve", or NULL for the default destroy), until its
 * agent answers. False when the guest cannot be built here (skip). */
static bool
boot_panic_guest(fixture *f, const char *on_crash)
{
    _cleanup_free_ char *dir = NULL;
    int r = vp_test_guest_prepare(&dir);
    if (r == 77)
        return false;
    assert_int_equal(r, 0);
    _cleanup_free_ char *disk = vp_asprintf("%s/disk.qcow2", f->root);
    _cleanup_free_ char *from = vp_asprintf("%s/disk.qcow2", dir);
    const char *const cp[] = {"/bin/cp", "--", from, disk, NULL};
    assert_int_equal(qt_run_capture(cp, NULL), 0);
    char xml[8192];
    assert_int_equal(vp_test_guest_xml(xml, sizeof(xml), "kvm", "ev1", dir, f->root,
                                       "    <panic model='isa'/>\n"),
                     0);
    /* <on_crash> belongs before <devices>. */
    char *devices = strstr(xml, "  <devices>");
    assert_non_null(devices);
    _cleanup_free_ char *action =
        on_crash ? vp_asprintf("  <on_crash>%s</on_crash>\n", on_crash) : vp_strdup("");
    _cleanup_free_ char *full = vp_asprintf("%.*s%s%s", (int)(devices - xml), xml, action, devices);
    r = vp_domain_define_xml(f->conn, full, 0, &f->dom);
    if (r < 0)
        fprintf(stderr, "define: %s\n", vp_error_last()->message);
    assert_int_equal(r, 0);
    assert_int_equal(vp_domain_start(f->dom, 0), 0);
    time_t deadline = time(NULL) + 120;
    char *info = NULL;
    while (vp_domain_get_guest_info(f->dom, 0, &info) < 0 && time(NULL) < deadline)
        sleep(1);
    assert_non_null(info);
    free(info);
    return true;
}

/* sysrq 'c' run by the guest's agent: the kernel panics, pvpanic tells
 * QEMU. The agent may not answer: the guest is gone before it can. */
static void
panic_guest(fixture *f)
{
    char *reply = NULL;
    vp_domain_qemu_agent_command(f->dom,
                                 "{\"execute\":\"guest-exec\",\"arguments\":{\"path\":\"/bin/sh\","
                                 "\"arg\":[\"-c\",\"echo c > /proc/sysrq-trigger\"]}}",
                                 10, 0, &reply);
    free(reply);
}

/* The tiny guest panics (sysrq 'c' run by its agent): pvpanic tells QEMU,
 * which keeps it (<on_crash>preserve</on_crash>); the holder records it
 * crashed and a watcher in a second process reports crashed panicked. */
static void
test_guest_panic(void **state)
{
    fixture *f = *state;
    if (!boot_panic_guest(f, "preserve"))
        skip();
    seen s = {0};
    watch_here(f, &s);
    const int ed[] = {VP_DOMAIN_EVENT_CRASHED, VP_DOMAIN_EVENT_CRASHED_PANICKED};
    pid_t other = spawn_watcher(f, 1, ed);
    panic_guest(f);
    pump(f->conn, &s, 1, 60000);
    assert_seen(&s, 1, &ed[0], &ed[1]);
    assert_int_equal(wait_watcher(other), 0);
    qt_assert_state(f->dom, VP_DOMAIN_CRASHED, VP_DOMAIN_CRASHED_PANICKED);
    assert_int_equal(vp_domain_destroy(f->dom, 0), 0);
}

/* With the default <on_crash>destroy</on_crash> QEMU exits on the panic.
 * A second process holds the events monitor (it gets GUEST_PANICKED); this
 * one does not, and still reports crashed panicked then stopped crashed,
 * from QEMU's exit and the evidence it left; so does a third process, and
 * the state afterwards is shut off (crashed). */
static void
test_guest_panic_exit(void **state)
{
    fixture *f = *state;
    if (!boot_panic_guest(f, NULL))
        skip();
    pid_t holder = spawn_watcher(f, 0, NULL);
    seen s = {0};
    watch_here(f, &s);
    const int ed[] = {VP_DOMAIN_EVENT_CRASHED, VP_DOMAIN_EVENT_CRASHED_PANICKED,
                      VP_DOMAIN_EVENT_STOPPED, VP_DOMAIN_EVENT_STOPPED_CRASHED};
    pid_t other = spawn_watcher(f, 2, ed);
    panic_guest(f);
    pump(f->conn, &s, 2, 60000);
    const int events[] = {ed[0], ed[2]}, details[] = {ed[1], ed[3]};
    assert_seen(&s, 2, events, details);
    assert_int_equal(wait_watcher(other), 0);
    assert_int_equal(kill(holder, SIGKILL), 0);
    wait_watcher(holder);
    /* Nothing more comes once the record is repaired. */
    qt_assert_state(f->dom, VP_DOMAIN_SHUTOFF, VP_DOMAIN_SHUTOFF_CRASHED);
    pump(f->conn, &s, 3, 500);
    assert_int_equal(s.n, 2);
}

/* No process watches at all: the first state query after the panic finds
 * QEMU gone and says shut off (crashed), and a watcher registered after
 * it reports nothing of the past. */
static void
test_guest_panic_unwatched(void **state)
{
    fixture *f = *state;
    if (!boot_panic_guest(f, NULL))
        skip();
    pid_t pid = qt_pid(f->root, "ev1");
    assert_true(pid > 0);
    panic_guest(f);
    for (int i = 0; i < 600 && kill(pid, 0) == 0; i++)
        usleep(100000);
    assert_int_equal(kill(pid, 0), -1);
    vp_conn *other = NULL;
    assert_int_equal(vp_conn_open(f->uri, 0, &other), 0);
    vp_domain *dom = NULL;
    assert_int_equal(vp_domain_lookup_by_name(other, "ev1", &dom), 0);
    qt_assert_state(dom, VP_DOMAIN_SHUTOFF, VP_DOMAIN_SHUTOFF_CRASHED);
    vp_domain_free(dom);
    vp_conn_close(other);
    seen s = {0};
    watch_here(f, &s);
    qt_assert_state(f->dom, VP_DOMAIN_SHUTOFF, VP_DOMAIN_SHUTOFF_CRASHED);
    pump(f->conn, &s, 1, 500);
    assert_int_equal(s.n, 0);
}

int
main(int argc, char **argv)
{
    qt_self = argv[0];
    if (argc > 1 && strcmp(argv[1], "watch") == 0)
        return watch_main(argc, argv);
    int r = qt_main_start(argc, argv, QEMU_BINARY);
    if (r >= 0)
        return r;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_pause_outside_driver, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reset_is_reboot, setup, teardown),
        cmocka_unit_test_setup_teardown(test_holder_killed_other_takes_over, setup, teardown),
        cmocka_unit_test_setup_teardown(test_qemu_without_events_socket, setup, teardown),
        cmocka_unit_test_setup_teardown(test_guest_panic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_guest_panic_exit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_guest_panic_unwatched, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
