/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-qemu-list-states.c: vp_domain_list_get_states() (the QEMU driver's
 * conn_get_domain_states slot, plugins/qemu/qemu-state-bulk.c) gives the
 * answers of vp_domain_get_state() and vp_domain_get_id() one by one, for
 * '-machine none' domains running, paused by the driver, paused by a QMP
 * client of their own ('stop' on NAME.qmp), shut off, crashed (QEMU
 * SIGKILLed) and busy (their lock held by another open file description,
 * as another process holds it); a domain whose monitor serves another
 * client reads what its record says. The core's fallback for a driver
 * without the slot (test:///default) answers the same as one by one too.
 */
#include <config.h>

#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <virtplug/sdk/alloc.h>
#include <virtplug/virtplug.h>

#include "qemu-monitor.h"
#include "qemu-test-util.h"

typedef struct fixture {
    char *root;
    vp_conn *conn;
} fixture;

static int
setup(void **state)
{
    fixture *f = vp_new0(fixture, 1);
    f->root = qt_root_new();
    _cleanup_free_ char *uri = qt_uri(f->root, NULL);
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

static vp_domain *
define(vp_conn *conn, const char *name, bool start)
{
    _cleanup_free_ char *xml =
        vp_asprintf("<domain type='qemu'><name>%s</name><memory unit='MiB'>32</memory>"
                    "<vcpu>1</vcpu><os><type arch='x86_64' machine='none'>hvm</type></os>"
                    "<devices><emulator>%s</emulator></devices></domain>",
                    name, QEMU_BINARY);
    vp_domain *dom = NULL;
    int r = vp_domain_define_xml(conn, xml, 0, &dom);
    if (r >= 0 && start)
        r = vp_domain_start(dom, 0);
    if (r < 0)
        fail_msg("domain '%s': %s", name, vp_error_last()->message);
    return dom;
}

/* A QMP client of our own on domain @name's monitor. */
static qemu_monitor *
monitor(const fixture *f, const char *name)
{
    _cleanup_free_ char *path = vp_asprintf("%s/run/%s.qmp", f->root, name);
    qemu_monitor *mon = NULL;
    if (qemu_monitor_open(path, 5000, &mon) < 0)
        fail_msg("QMP on '%s': %s", path, vp_error_last()->message);
    return mon;
}

/* An OFD lock on domain @name's lock file, as another process takes it. */
static int
hold_lock(const fixture *f, const char *name)
{
    _cleanup_free_ char *path = vp_asprintf("%s/run/%s.lock", f->root, name);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    assert_true(fd >= 0);
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
    assert_int_equal(fcntl(fd, F_OFD_SETLK, &fl), 0);
    return fd;
}

typedef struct answer {
    int state, reason, id;
} answer;

/* The answers of every listed domain, at once and one by one, in @doms'
 * order; they must agree. */
static void
assert_same_answers(vp_domain **doms, int n, answer *ret_bulk)
{
    int *st = vp_new0(int, (size_t)n), *re = vp_new0(int, (size_t)n), *id = vp_new0(int, (size_t)n);
    assert_int_equal(vp_domain_list_get_states(doms, st, re, id, 0), n);
    for (int i = 0; i < n; i++) {
        answer one = {.id = -1};
        assert_int_equal(vp_domain_get_state(doms[i], &one.state, &one.reason, 0), 0);
        if (one.state != VP_DOMAIN_SHUTOFF)
            assert_int_equal(vp_domain_get_id(doms[i], &one.id), 0);
        if (st[i] != one.state || re[i] != one.reason || id[i] != one.id)
            fail_msg("domain '%s': at once %d/%d id %d, one by one %d/%d id %d",
                     vp_domain_get_name(doms[i]), st[i], re[i], id[i], one.state, one.reason,
                     one.id);
        ret_bulk[i] = (answer){st[i], re[i], id[i]};
    }
    free(st), free(re), free(id);
}

static int
index_of(vp_domain **doms, const char *name)
{
    for (int i = 0; doms[i]; i++)
        if (strcmp(vp_domain_get_name(doms[i]), name) == 0)
            return i;
    fail_msg("domain '%s' is not listed", name);
    return -1;
}

static void
test_states_at_once(void **state)
{
    fixture *f = *state;
    const char *names[] = {"running", "drvpaused", "qmpstopped", "off", "crashed", "busy"};
    vp_domain *d[6];
    for (int i = 0; i < 6; i++)
        d[i] = define(f->conn, names[i], strcmp(names[i], "off") != 0);
    assert_int_equal(vp_domain_suspend(d[1], 0), 0);
    qemu_monitor *mon = monitor(f, "qmpstopped");
    assert_int_equal(qemu_monitor_command(mon, "stop", NULL, 5000, NULL), 0);
    qemu_monitor_close(mon);
    pid_t pid = qt_pid(f->root, "crashed");
    assert_true(pid > 0);
    assert_int_equal(kill(pid, SIGKILL), 0);
    assert_true(qt_wait_pid_gone(pid, 5000));
    int lock = hold_lock(f, "busy");
    /* The busy domain's record says running; make QEMU say otherwise, so
     * that an answer from QEMU would show. */
    mon = monitor(f, "busy");
    assert_int_equal(qemu_monitor_command(mon, "stop", NULL, 5000, NULL), 0);
    qemu_monitor_close(mon);

    vp_domain **doms = NULL;
    int n = vp_conn_list_domains(f->conn, 0, &doms);
    assert_int_equal(n, 6);
    answer a[6];
    assert_same_answers(doms, n, a);
    answer want[] = {
        {VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_BOOTED, 1},
        {VP_DOMAIN_PAUSED, VP_DOMAIN_PAUSED_USER, 2},
        {VP_DOMAIN_PAUSED, VP_DOMAIN_PAUSED_USER, 3},
        {VP_DOMAIN_SHUTOFF, VP_DOMAIN_SHUTOFF_UNKNOWN, -1},
        {VP_DOMAIN_SHUTOFF, VP_DOMAIN_SHUTOFF_CRASHED, -1},
        {VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_BOOTED, 5}, /* its record, not QEMU */
    };
    for (int i = 0; i < 6; i++) {
        answer got = a[index_of(doms, names[i])];
        if (got.state != want[i].state || got.reason != want[i].reason || got.id != want[i].id)
            fail_msg("domain '%s': %d/%d id %d, want %d/%d id %d", names[i], got.state, got.reason,
                     got.id, want[i].state, want[i].reason, want[i].id);
    }
    /* Free again, the busy one reads QEMU's answer, at once as one by one. */
    close(lock);
    assert_same_answers(doms, n, a);
    answer busy = a[index_of(doms, "busy")];
    assert_int_equal(busy.state, VP_DOMAIN_PAUSED);
    assert_int_equal(busy.reason, VP_DOMAIN_PAUSED_USER);

    /* A monitor serving another client: the record answers, at once. */
    mon = monitor(f, "running");
    int st[6], re[6], id[6];
    assert_int_equal(vp_domain_list_get_states(doms, st, re, id, 0), n);
    int i = index_of(doms, "running");
    assert_int_equal(st[i], VP_DOMAIN_RUNNING);
    assert_int_equal(re[i], VP_DOMAIN_RUNNING_BOOTED);
    assert_int_equal(id[i], 1);
    qemu_monitor_close(mon);

    /* An undefined domain reads VP_ERR_NO_DOMAIN; the others still answer. */
    assert_int_equal(vp_domain_undefine(d[3], 0), 0);
    assert_int_equal(vp_domain_list_get_states(doms, st, NULL, NULL, 0), n);
    for (i = 0; i < n; i++)
        assert_int_equal(st[i], strcmp(vp_domain_get_name(doms[i]), "off") == 0 ? VP_ERR_NO_DOMAIN
                                                                                : a[i].state);
    assert_int_equal(vp_domain_list_get_states(doms, st, NULL, NULL, 1), VP_ERR_INVALID_ARG);
    vp_domain_list_free(doms);
    for (i = 0; i < 6; i++)
        vp_domain_free(d[i]);
}

/* A driver without the slot: the core asks one by one. */
static void
test_fallback_one_by_one(void **state)
{
    (void)state;
    vp_conn *conn = NULL;
    assert_int_equal(vp_conn_open("test:///default", 0, &conn), 0);
    vp_domain **doms = NULL;
    int n = vp_conn_list_domains(conn, 0, &doms);
    assert_true(n > 0);
    answer *a = vp_new0(answer, (size_t)n);
    assert_same_answers(doms, n, a);
    free(a);
    vp_domain_list_free(doms);
    vp_conn_close(conn);
}

int
main(int argc, char **argv)
{
    int r = qt_main_start(argc, argv, QEMU_BINARY);
    if (r >= 0)
        return r;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_states_at_once, setup, teardown),
        cmocka_unit_test(test_fallback_one_by_one),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
