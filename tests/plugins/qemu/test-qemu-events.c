/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-qemu-events.c: domain events of the QEMU driver (qemu-events.c)
 * against real QEMU '-machine none' domains: the changes another process
 * makes (define, start, suspend, resume, destroy, undefine: seen through
 * inotify on the records; several before a dispatch each reported, from
 * the record's history), a QEMU killed with SIGKILL (seen through its
 * pidfd, reported as stopped/crashed), the tiny guest powering off (its
 * QEMU exits on its own: stopped/shutdown), a QEMU already running when the
 * watch starts, and this connection's own changes reported once each
 * although two sources see them. The application's side is poll() on
 * vp_conn_event_fd() and vp_conn_event_dispatch(). Where pidfd_open is
 * refused (a seccomp filter in a child process of the test), the same
 * changes are reported right and a killed QEMU at the next look.
 */
#include <config.h>

#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <virtplug/sdk/alloc.h>
#include <virtplug/virtplug.h>

#include "guest/guest.h"
#include "qemu-test-util.h"

#define UUID "3f1c1a9e-2b7d-4c55-9a43-1d2e3f405162"

typedef struct fixture {
    char *root;
    char *uri;
    vp_conn *conn;
} fixture;

typedef struct seen {
    int n;
    char names[32][32];
    char uuids[32][40];
    int events[32], details[32];
} seen;

static char *
domain_xml(const char *name)
{
    return vp_asprintf("<domain type='qemu'><name>%s</name><uuid>" UUID "</uuid>"
                       "<memory unit='MiB'>32</memory><vcpu>1</vcpu>"
                       "<os><type arch='x86_64' machine='none'>hvm</type></os>"
                       "<devices></devices></domain>",
                       name);
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
    vp_conn_close(f->conn);
    qt_root_destroy(f->root);
    free(f->uri);
    free(f);
    return 0;
}

static void
record(vp_conn *conn, const vp_domain_event *ev, void *opaque)
{
    seen *s = opaque;
    if (s->n >= 32)
        return;
    snprintf(s->names[s->n], sizeof(s->names[0]), "%s", ev->domain);
    snprintf(s->uuids[s->n], sizeof(s->uuids[0]), "%s", ev->uuid ? ev->uuid : "");
    s->events[s->n] = ev->event;
    s->details[s->n] = ev->detail;
    s->n++;
}

/* poll() the event fd and dispatch until @s holds @want events or more;
 * a generous bound keeps a lost event from hanging the suite. */
static void
wait_some(vp_conn *conn, seen *s, int want)
{
    struct pollfd p = {.fd = vp_conn_event_fd(conn), .events = POLLIN};
    assert_true(p.fd >= 0);
    for (int rounds = 0; s->n < want && rounds < 200; rounds++) {
        if (poll(&p, 1, 100) == 1)
            assert_true(vp_conn_event_dispatch(conn) >= 0);
    }
}

/* wait_some(), and @s then holds exactly @want events. */
static void
wait_events(vp_conn *conn, seen *s, int want)
{
    wait_some(conn, s, want);
    if (s->n != want) {
        for (int i = 0; i < s->n; i++)
            fprintf(stderr, "seen: %s %s %s\n", s->names[i], vp_domain_event_name(s->events[i], 0),
                    vp_domain_event_detail_name(s->events[i], s->details[i], 0));
    }
    assert_int_equal(s->n, want);
}

/* Nothing more arrives for a while: a change is reported once. */
static void
assert_quiet(vp_conn *conn, seen *s)
{
    int n = s->n;
    struct pollfd p = {.fd = vp_conn_event_fd(conn), .events = POLLIN};
    if (poll(&p, 1, 300) == 1)
        vp_conn_event_dispatch(conn);
    assert_int_equal(s->n, n);
}

static void
assert_event(const seen *s, int i, int event, int detail)
{
    assert_string_equal(s->names[i], "ev1");
    assert_string_equal(s->uuids[i], UUID);
    if (s->events[i] != event || s->details[i] != detail)
        fprintf(stderr, "event %d: %s %s, expected %s %s\n", i,
                vp_domain_event_name(s->events[i], 0),
                vp_domain_event_detail_name(s->events[i], s->details[i], 0),
                vp_domain_event_name(event, 0), vp_domain_event_detail_name(event, detail, 0));
    assert_int_equal(s->events[i], event);
    assert_int_equal(s->details[i], detail);
}

/* Run one change in another process: "ev-child VERB URI NAME". */
static void
other_process(const fixture *f, const char *verb)
{
    const char *args[] = {"ev-child", verb, f->uri, "ev1", NULL};
    assert_int_equal(qt_run_self(args), 0);
}

static void
test_other_process_changes(void **state)
{
    fixture *f = *state;
    seen s = {0};
    assert_int_equal(vp_conn_event_register(f->conn, 0, record, &s, NULL, NULL), 0);
    static const struct {
        const char *verb;
        int event, detail;
    } steps[] = {
        {"define", VP_DOMAIN_EVENT_DEFINED, VP_DOMAIN_EVENT_DEFINED_ADDED},
        {"start", VP_DOMAIN_EVENT_STARTED, VP_DOMAIN_EVENT_STARTED_BOOTED},
        {"suspend", VP_DOMAIN_EVENT_SUSPENDED, VP_DOMAIN_EVENT_SUSPENDED_PAUSED},
        {"resume", VP_DOMAIN_EVENT_RESUMED, VP_DOMAIN_EVENT_RESUMED_UNPAUSED},
        {"destroy", VP_DOMAIN_EVENT_STOPPED, VP_DOMAIN_EVENT_STOPPED_DESTROYED},
        {"define", VP_DOMAIN_EVENT_DEFINED, VP_DOMAIN_EVENT_DEFINED_UPDATED},
        {"undefine", VP_DOMAIN_EVENT_UNDEFINED, VP_DOMAIN_EVENT_UNDEFINED_REMOVED},
    };
    for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
        other_process(f, steps[i].verb);
        wait_events(f->conn, &s, (int)i + 1);
        assert_event(&s, (int)i, steps[i].event, steps[i].detail);
    }
    assert_quiet(f->conn, &s);
}

/* Several changes another process makes before this one dispatches are
 * each reported, in order: the record's history lists them. */
static void
test_other_process_burst(void **state)
{
    fixture *f = *state;
    seen s = {0};
    other_process(f, "define");
    assert_int_equal(vp_conn_event_register(f->conn, 0, record, &s, NULL, NULL), 0);
    other_process(f, "burst"); /* start, suspend, resume, destroy, start, destroy */
    wait_events(f->conn, &s, 6);
    assert_event(&s, 0, VP_DOMAIN_EVENT_STARTED, VP_DOMAIN_EVENT_STARTED_BOOTED);
    assert_event(&s, 1, VP_DOMAIN_EVENT_SUSPENDED, VP_DOMAIN_EVENT_SUSPENDED_PAUSED);
    assert_event(&s, 2, VP_DOMAIN_EVENT_RESUMED, VP_DOMAIN_EVENT_RESUMED_UNPAUSED);
    assert_event(&s, 3, VP_DOMAIN_EVENT_STOPPED, VP_DOMAIN_EVENT_STOPPED_DESTROYED);
    assert_event(&s, 4, VP_DOMAIN_EVENT_STARTED, VP_DOMAIN_EVENT_STARTED_BOOTED);
    assert_event(&s, 5, VP_DOMAIN_EVENT_STOPPED, VP_DOMAIN_EVENT_STOPPED_DESTROYED);
    assert_quiet(f->conn, &s);
}

/* Start ev1, register @s (the watch starts with the domain running: that
 * is not reported), then kill its QEMU with SIGKILL and wait until the
 * process is gone. */
static vp_domain *
start_watch_kill(fixture *f, seen *s)
{
    _cleanup_free_ char *xml = domain_xml("ev1");
    vp_domain *dom = NULL;
    assert_int_equal(vp_domain_define_xml(f->conn, xml, 0, &dom), 0);
    assert_int_equal(vp_domain_start(dom, 0), 0);
    assert_int_equal(vp_conn_event_register(f->conn, 0, record, s, NULL, NULL), 0);
    assert_quiet(f->conn, s);
    pid_t pid = qt_pid(f->root, "ev1");
    assert_true(pid > 0);
    assert_int_equal(kill(pid, SIGKILL), 0);
    assert_true(qt_wait_pid_gone(pid, 5000));
    return dom;
}

/* SIGKILL of QEMU: the pidfd reports it before anyone asks the state. */
static void
test_sigkill_seen_through_pidfd(void **state)
{
    fixture *f = *state;
    seen s = {0};
    vp_domain *dom = start_watch_kill(f, &s);
    wait_events(f->conn, &s, 1);
    assert_event(&s, 0, VP_DOMAIN_EVENT_STOPPED, VP_DOMAIN_EVENT_STOPPED_CRASHED);
    int st, reason;
    assert_int_equal(vp_domain_get_state(dom, &st, &reason, 0), 0);
    assert_int_equal(st, VP_DOMAIN_SHUTOFF);
    assert_int_equal(reason, VP_DOMAIN_SHUTOFF_CRASHED);
    /* The state query rewrote the record: still one event. */
    assert_quiet(f->conn, &s);
    vp_domain_free(dom);
}

/* This connection's own changes: seen by inotify and pidfd alike, each
 * reported once. */
static void
test_own_changes_once(void **state)
{
    fixture *f = *state;
    seen s = {0};
    assert_int_equal(vp_conn_event_register(f->conn, 0, record, &s, NULL, NULL), 0);
    _cleanup_free_ char *xml = domain_xml("ev1");
    vp_domain *dom = NULL;
    assert_int_equal(vp_domain_define_xml(f->conn, xml, 0, &dom), 0);
    assert_int_equal(vp_domain_start(dom, 0), 0);
    assert_int_equal(vp_domain_destroy(dom, 0), 0);
    assert_int_equal(vp_domain_undefine(dom, 0), 0);
    wait_events(f->conn, &s, 4);
    assert_event(&s, 0, VP_DOMAIN_EVENT_DEFINED, VP_DOMAIN_EVENT_DEFINED_ADDED);
    assert_event(&s, 1, VP_DOMAIN_EVENT_STARTED, VP_DOMAIN_EVENT_STARTED_BOOTED);
    assert_event(&s, 2, VP_DOMAIN_EVENT_STOPPED, VP_DOMAIN_EVENT_STOPPED_DESTROYED);
    assert_event(&s, 3, VP_DOMAIN_EVENT_UNDEFINED, VP_DOMAIN_EVENT_UNDEFINED_REMOVED);
    assert_quiet(f->conn, &s);
    vp_domain_free(dom);
}

/* The fd is quiet while nothing changes, and a deregistered callback
 * hears nothing more. */
static void
test_quiet_and_deregister(void **state)
{
    fixture *f = *state;
    seen s = {0};
    int id = 0;
    assert_int_equal(vp_conn_event_register(f->conn, 0, record, &s, NULL, &id), 0);
    struct pollfd p = {.fd = vp_conn_event_fd(f->conn), .events = POLLIN};
    assert_int_equal(poll(&p, 1, 0), 0);
    other_process(f, "define");
    wait_events(f->conn, &s, 1);
    assert_int_equal(poll(&p, 1, 0), 0);
    assert_int_equal(vp_conn_event_deregister(f->conn, id), 0);
    other_process(f, "undefine");
    assert_quiet(f->conn, &s);
}

/* The tiny guest powers off (ACPI, asked by another process): its QEMU
 * exits on its own, which the pidfd sees, as "stopped shutdown". A state
 * query that finds QEMU between the guest's power-off and its exit (run
 * state 'shutdown', a slow machine's window) reports "shutdown finished"
 * first, as libvirt does; nothing else may come. */
static void
test_guest_powers_off(void **state)
{
    fixture *f = *state;
    _cleanup_free_ char *dir = NULL;
    int r = vp_test_guest_prepare(&dir);
    if (r == 77)
        skip();
    assert_int_equal(r, 0);
    _cleanup_free_ char *disk = vp_asprintf("%s/disk.qcow2", f->root);
    _cleanup_free_ char *from = vp_asprintf("%s/disk.qcow2", dir);
    const char *const cp[] = {"/bin/cp", "--", from, disk, NULL};
    assert_int_equal(qt_run_capture(cp, NULL), 0);
    _cleanup_free_ char *xml = vp_asprintf(
        "<domain type='kvm'><name>ev1</name><uuid>" UUID "</uuid>"
        "<memory unit='MiB'>256</memory><vcpu>1</vcpu>"
        "<os><type arch='x86_64' machine='pc'>hvm</type><kernel>%s/vmlinuz</kernel>"
        "<initrd>%s/initramfs.gz</initrd><cmdline>console=ttyS0 quiet panic=-1</cmdline></os>"
        "<devices><disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
        "<source file='%s'/><target dev='vda' bus='virtio'/></disk>"
        "<channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>"
        "</devices></domain>",
        dir, dir, disk);
    vp_domain *dom = NULL;
    assert_int_equal(vp_domain_define_xml(f->conn, xml, 0, &dom), 0);
    assert_int_equal(vp_domain_start(dom, 0), 0);
    /* The guest handles the power button once it is up: its agent answers. */
    time_t deadline = time(NULL) + 120;
    char *info = NULL;
    while (vp_domain_get_guest_info(dom, 0, &info) < 0 && time(NULL) < deadline)
        sleep(1);
    assert_non_null(info);
    free(info);
    seen s = {0};
    assert_int_equal(vp_conn_event_register(f->conn, 0, record, &s, NULL, NULL), 0);
    other_process(f, "shutdown");
    wait_some(f->conn, &s, 1);
    int want = 1;
    if (s.n > 0 && s.events[0] == VP_DOMAIN_EVENT_SHUTDOWN) {
        assert_event(&s, 0, VP_DOMAIN_EVENT_SHUTDOWN, VP_DOMAIN_EVENT_SHUTDOWN_FINISHED);
        want = 2;
    }
    wait_events(f->conn, &s, want);
    assert_event(&s, want - 1, VP_DOMAIN_EVENT_STOPPED, VP_DOMAIN_EVENT_STOPPED_SHUTDOWN);
    assert_quiet(f->conn, &s);
    vp_domain_free(dom);
}

/* Without pidfds (no-pidfd child below): this connection's changes are
 * reported as with them, a destroy as destroyed, not crashed. */
static void
test_own_changes_without_pidfd(void **state)
{
    (void)state;
    const char *args[] = {"no-pidfd", NULL};
    assert_int_equal(qt_run_self(args), 0);
}

/* pidfd_open fails with ENOSYS in this process and its children from here
 * on, as on a kernel before 5.3 or under valgrind. */
static int
refuse_pidfd_open(void)
{
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
    struct sock_filter code[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_pidfd_open, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog prog = {.len = sizeof(code) / sizeof(code[0]), .filter = code};
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
        prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0)
        return -1;
    return syscall(SYS_pidfd_open, getpid(), 0) < 0 && errno == ENOSYS ? 0 : -1;
}

/* A QEMU killed while no pidfd watches it: reported as crashed at the
 * next look, here the state query that finds it gone. */
static void
test_sigkill_seen_at_next_look(void **state)
{
    fixture *f = *state;
    seen s = {0};
    vp_domain *dom = start_watch_kill(f, &s);
    /* Nothing watched the QEMU: its end shows when someone looks. */
    int st, reason;
    assert_int_equal(vp_domain_get_state(dom, &st, &reason, 0), 0);
    assert_int_equal(st, VP_DOMAIN_SHUTOFF);
    assert_int_equal(reason, VP_DOMAIN_SHUTOFF_CRASHED);
    wait_events(f->conn, &s, 1);
    assert_event(&s, 0, VP_DOMAIN_EVENT_STOPPED, VP_DOMAIN_EVENT_STOPPED_CRASHED);
    vp_domain_free(dom);
}

static int
no_pidfd_main(void)
{
    if (refuse_pidfd_open() < 0) {
        fprintf(stderr, "cannot refuse pidfd_open with a seccomp filter: %s\n", strerror(errno));
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_own_changes_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sigkill_seen_at_next_look, setup, teardown),
    };
    return cmocka_run_group_tests_name("without pidfd", tests, NULL, NULL);
}

/* The second process of the tests above. */
static int
child_main(int argc, char **argv)
{
    if (argc != 5)
        return 100;
    const char *verb = argv[2];
    vp_conn *conn = NULL;
    vp_domain *dom = NULL;
    int r = vp_conn_open(argv[3], 0, &conn);
    if (r >= 0 && strcmp(verb, "define") == 0) {
        char *xml = domain_xml(argv[4]);
        r = vp_domain_define_xml(conn, xml, 0, NULL);
        free(xml);
    } else if (r >= 0) {
        r = vp_domain_lookup_by_name(conn, argv[4], &dom);
        if (r >= 0 && strcmp(verb, "start") == 0)
            r = vp_domain_start(dom, 0);
        else if (r >= 0 && strcmp(verb, "suspend") == 0)
            r = vp_domain_suspend(dom, 0);
        else if (r >= 0 && strcmp(verb, "resume") == 0)
            r = vp_domain_resume(dom, 0);
        else if (r >= 0 && strcmp(verb, "destroy") == 0)
            r = vp_domain_destroy(dom, 0);
        else if (r >= 0 && strcmp(verb, "shutdown") == 0)
            r = vp_domain_shutdown(dom, 0);
        else if (r >= 0 && strcmp(verb, "undefine") == 0)
            r = vp_domain_undefine(dom, 0);
        else if (r >= 0 && strcmp(verb, "burst") == 0) {
            int (*const steps[])(vp_domain *, unsigned int) = {vp_domain_start,  vp_domain_suspend,
                                                               vp_domain_resume, vp_domain_destroy,
                                                               vp_domain_start,  vp_domain_destroy};
            for (size_t i = 0; r >= 0 && i < sizeof(steps) / sizeof(steps[0]); i++)
                r = steps[i](dom, 0);
        }
    }
    if (r < 0) {
        const vp_error *e = vp_error_last();
        fprintf(stderr, "child %s: %s\n", verb, e ? e->message : "?");
    }
    vp_domain_free(dom);
    vp_conn_close(conn);
    return r < 0 ? 1 : 0;
}

int
main(int argc, char **argv)
{
    qt_self = argv[0];
    if (argc > 1 && strcmp(argv[1], "ev-child") == 0)
        return child_main(argc, argv);
    if (argc > 1 && strcmp(argv[1], "no-pidfd") == 0)
        return no_pidfd_main();
    if (argc > 1)
        return qt_child_main(argc, argv);
    if (access(QEMU_BINARY, X_OK) < 0) {
        fprintf(stderr, "SKIP: '%s' is not installed (Debian package qemu-system-x86)\n",
                QEMU_BINARY);
        return 77;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_other_process_changes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_other_process_burst, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sigkill_seen_through_pidfd, setup, teardown),
        cmocka_unit_test_setup_teardown(test_own_changes_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_quiet_and_deregister, setup, teardown),
        cmocka_unit_test_setup_teardown(test_guest_powers_off, setup, teardown),
        cmocka_unit_test(test_own_changes_without_pidfd),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
