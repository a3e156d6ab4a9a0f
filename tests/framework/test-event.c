/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-event.c: domain events (framework/event.c, event-names.c) through
 * the test driver: its own changes raise libvirt's events, the event fd
 * polls readable exactly while events wait, dispatch runs callbacks in
 * the caller's thread, masks, register and deregister (also from inside a
 * callback), free_opaque, refusals, changes from several threads while
 * one dispatches, the names and the transition table.
 */
#include <config.h>

#include <poll.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>

#include <virtplug/sdk/services.h>

#include "test-test-driver-common.h"

#define UUID_A "11111111-2222-3333-4444-555555555555"

typedef struct seen {
    char names[32][32];
    char uuids[32][40];
    int events[32], details[32];
    int n;
    int freed;
    vp_conn *conn;
    int self_id; /* deregister this id from the callback */
} seen;

static void
record(vp_conn *conn, const vp_domain_event *ev, void *opaque)
{
    seen *s = opaque;
    assert_true(s->n < 32);
    snprintf(s->names[s->n], sizeof(s->names[0]), "%s", ev->domain);
    snprintf(s->uuids[s->n], sizeof(s->uuids[0]), "%s", ev->uuid ? ev->uuid : "");
    s->events[s->n] = ev->event;
    s->details[s->n] = ev->detail;
    assert_true(ev->time_us > 0);
    s->n++;
    if (s->self_id > 0) {
        assert_ok(vp_conn_event_deregister(conn, s->self_id));
        s->self_id = 0;
    }
}

static void
count_free(void *opaque)
{
    ((seen *)opaque)->freed++;
}

static bool
readable(int fd)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};
    return poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

static void
assert_event(const seen *s, int i, const char *name, int event, int detail)
{
    assert_true(i < s->n);
    assert_string_equal(s->names[i], name);
    assert_int_equal(s->events[i], event);
    assert_int_equal(s->details[i], detail);
}

/* Every change made through the connection, once each, in order, with
 * libvirt's event and detail; the fd says when to dispatch. */
static void
test_own_changes(void **state)
{
    vp_conn *conn = open_default();
    seen s = {0};
    int id = 0;
    assert_ok(vp_conn_event_register(conn, 0, record, &s, NULL, &id));
    assert_true(id > 0);
    int fd = vp_conn_event_fd(conn);
    assert_true(fd >= 0);
    assert_false(readable(fd));
    vp_domain *dom = define(conn, "vm1", UUID_A);
    assert_true(readable(fd));
    assert_int_equal(vp_conn_event_dispatch(conn), 1);
    assert_false(readable(fd));
    assert_event(&s, 0, "vm1", VP_DOMAIN_EVENT_DEFINED, VP_DOMAIN_EVENT_DEFINED_ADDED);
    assert_string_equal(s.uuids[0], UUID_A);
    assert_ok(vp_domain_start(dom, 0));
    assert_ok(vp_domain_suspend(dom, 0));
    assert_ok(vp_domain_resume(dom, 0));
    assert_ok(vp_domain_shutdown(dom, 0));
    assert_ok(vp_domain_start(dom, 0));
    assert_ok(vp_domain_destroy(dom, 0));
    char *xml = domain_xml("vm1", UUID_A);
    assert_ok(vp_domain_define_xml(conn, xml, 0, NULL));
    free(xml);
    assert_ok(vp_domain_undefine(dom, 0));
    assert_true(readable(fd));
    assert_int_equal(vp_conn_event_dispatch(conn), 8);
    assert_event(&s, 1, "vm1", VP_DOMAIN_EVENT_STARTED, VP_DOMAIN_EVENT_STARTED_BOOTED);
    assert_event(&s, 2, "vm1", VP_DOMAIN_EVENT_SUSPENDED, VP_DOMAIN_EVENT_SUSPENDED_PAUSED);
    assert_event(&s, 3, "vm1", VP_DOMAIN_EVENT_RESUMED, VP_DOMAIN_EVENT_RESUMED_UNPAUSED);
    assert_event(&s, 4, "vm1", VP_DOMAIN_EVENT_STOPPED, VP_DOMAIN_EVENT_STOPPED_SHUTDOWN);
    assert_event(&s, 5, "vm1", VP_DOMAIN_EVENT_STARTED, VP_DOMAIN_EVENT_STARTED_BOOTED);
    assert_event(&s, 6, "vm1", VP_DOMAIN_EVENT_STOPPED, VP_DOMAIN_EVENT_STOPPED_DESTROYED);
    assert_event(&s, 7, "vm1", VP_DOMAIN_EVENT_DEFINED, VP_DOMAIN_EVENT_DEFINED_UPDATED);
    assert_event(&s, 8, "vm1", VP_DOMAIN_EVENT_UNDEFINED, VP_DOMAIN_EVENT_UNDEFINED_REMOVED);
    assert_false(readable(fd));
    assert_int_equal(vp_conn_event_dispatch(conn), 0);
    /* A refused change raises nothing. */
    vp_domain *test = lookup(conn, "test");
    assert_error(vp_domain_resume(test, 0), VP_ERR_OPERATION_INVALID, "is not paused");
    assert_false(readable(fd));
    vp_domain_free(test);
    vp_domain_free(dom);
    vp_conn_close(conn);
}

/* A created domain is reported started, no definition; when it stops,
 * stopped then undefined, as libvirt reports a transient domain. */
static void
test_transient(void **state)
{
    vp_conn *conn = open_default();
    seen s = {0};
    assert_ok(vp_conn_event_register(conn, 0, record, &s, NULL, NULL));
    char *xml = domain_xml("tvm", UUID_A);
    vp_domain *dom = NULL;
    assert_ok(vp_domain_create_xml(conn, xml, 0, &dom));
    free(xml);
    assert_ok(vp_domain_destroy(dom, 0));
    assert_int_equal(vp_conn_event_dispatch(conn), 3);
    assert_event(&s, 0, "tvm", VP_DOMAIN_EVENT_STARTED, VP_DOMAIN_EVENT_STARTED_BOOTED);
    assert_event(&s, 1, "tvm", VP_DOMAIN_EVENT_STOPPED, VP_DOMAIN_EVENT_STOPPED_DESTROYED);
    assert_event(&s, 2, "tvm", VP_DOMAIN_EVENT_UNDEFINED, VP_DOMAIN_EVENT_UNDEFINED_REMOVED);
    vp_domain_free(dom);
    vp_conn_close(conn);
}

/* Only the masked events reach a registration; with nobody listening for
 * an event nothing is queued. */
static void
test_mask(void **state)
{
    vp_conn *conn = open_default();
    seen stops = {0};
    assert_ok(vp_conn_event_register(conn, VP_DOMAIN_EVENT_MASK(VP_DOMAIN_EVENT_STOPPED), record,
                                     &stops, NULL, NULL));
    int fd = vp_conn_event_fd(conn);
    vp_domain *test = lookup(conn, "test");
    assert_ok(vp_domain_suspend(test, 0));
    assert_false(readable(fd)); /* nobody wants "suspended" */
    assert_ok(vp_domain_destroy(test, 0));
    assert_true(readable(fd));
    assert_int_equal(vp_conn_event_dispatch(conn), 1);
    assert_int_equal(stops.n, 1);
    assert_event(&stops, 0, "test", VP_DOMAIN_EVENT_STOPPED, VP_DOMAIN_EVENT_STOPPED_DESTROYED);
    assert_string_equal(stops.uuids[0], TEST_UUID);
    assert_error(
        vp_conn_event_register(conn, 1u << VP_DOMAIN_EVENT_LAST, record, &stops, NULL, NULL),
        VP_ERR_INVALID_ARG, "unknown event mask bits");
    assert_error(vp_conn_event_register(conn, 0, NULL, NULL, NULL, NULL), VP_ERR_INVALID_ARG,
                 "callback");
    vp_domain_free(test);
    vp_conn_close(conn);
}

/* Deregistering stops the calls and frees the opaque once; an unknown id
 * is refused; a callback may deregister itself. */
static void
test_deregister(void **state)
{
    vp_conn *conn = open_default();
    seen a = {0}, b = {0};
    int id_a, id_b;
    assert_ok(vp_conn_event_register(conn, 0, record, &a, count_free, &id_a));
    assert_ok(vp_conn_event_register(conn, 0, record, &b, count_free, &id_b));
    assert_true(id_a != id_b);
    b.self_id = id_b;
    vp_domain *test = lookup(conn, "test");
    assert_ok(vp_domain_suspend(test, 0));
    assert_ok(vp_domain_resume(test, 0));
    assert_int_equal(vp_conn_event_dispatch(conn), 2);
    assert_int_equal(a.n, 2);
    assert_int_equal(b.n, 1); /* gone after its first call */
    assert_int_equal(b.freed, 1);
    assert_ok(vp_conn_event_deregister(conn, id_a));
    assert_int_equal(a.freed, 1);
    assert_error(vp_conn_event_deregister(conn, id_a), VP_ERR_INVALID_ARG, "no event registration");
    assert_ok(vp_domain_suspend(test, 0));
    assert_int_equal(vp_conn_event_dispatch(conn), 0);
    assert_int_equal(a.n, 2);
    vp_domain_free(test);
    vp_conn_close(conn);
    assert_int_equal(a.freed, 1);
    assert_int_equal(b.freed, 1);
}

/* Registrations still present when the connection closes are freed. */
static void
test_close_frees(void **state)
{
    vp_conn *conn = open_default();
    seen a = {0};
    assert_ok(vp_conn_event_register(conn, 0, record, &a, count_free, NULL));
    vp_domain *test = lookup(conn, "test");
    assert_ok(vp_domain_destroy(test, 0)); /* queued, never dispatched */
    vp_domain_free(test);
    vp_conn_close(conn);
    assert_int_equal(a.freed, 1);
    assert_int_equal(a.n, 0);
}

static void
nested(vp_conn *conn, const vp_domain_event *ev, void *opaque)
{
    int *r = opaque;
    *r = vp_conn_event_dispatch(conn);
}

static void
test_nested_dispatch_refused(void **state)
{
    vp_conn *conn = open_default();
    int r = 1;
    assert_ok(vp_conn_event_register(conn, 0, nested, &r, NULL, NULL));
    vp_domain *test = lookup(conn, "test");
    assert_ok(vp_domain_destroy(test, 0));
    assert_int_equal(vp_conn_event_dispatch(conn), 1);
    assert_int_equal(r, VP_ERR_OPERATION_INVALID);
    vp_domain_free(test);
    vp_conn_close(conn);
}

static void *
destroy_later(void *arg)
{
    vp_domain *dom = arg;
    usleep(20000);
    vp_domain_destroy(dom, 0);
    return NULL;
}

/* A change made in another thread wakes a poll() on the fd. */
static void
test_poll_wakes(void **state)
{
    vp_conn *conn = open_default();
    seen s = {0};
    assert_ok(vp_conn_event_register(conn, 0, record, &s, NULL, NULL));
    struct pollfd p = {.fd = vp_conn_event_fd(conn), .events = POLLIN};
    vp_domain *test = lookup(conn, "test");
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, destroy_later, test), 0);
    assert_int_equal(poll(&p, 1, 10000), 1);
    pthread_join(t, NULL);
    assert_int_equal(vp_conn_event_dispatch(conn), 1);
    assert_event(&s, 0, "test", VP_DOMAIN_EVENT_STOPPED, VP_DOMAIN_EVENT_STOPPED_DESTROYED);
    vp_domain_free(test);
    vp_conn_close(conn);
}

/* Four threads change four domains while this one dispatches: every
 * transition arrives once, and each domain's in the order it was made. */
#define HAMMER_THREADS 4
#define HAMMER_ROUNDS 500

typedef struct hammer {
    vp_domain *dom;
    int events; /* counted by the dispatching thread */
    int last;   /* the last event seen, to check the order */
    bool out_of_order;
} hammer;

static void *
hammer_run(void *arg)
{
    hammer *h = arg;
    for (int i = 0; i < HAMMER_ROUNDS; i++) {
        vp_domain_suspend(h->dom, 0);
        vp_domain_resume(h->dom, 0);
    }
    return NULL;
}

static void
hammer_count(vp_conn *conn, const vp_domain_event *ev, void *opaque)
{
    hammer *hs = opaque;
    int i = ev->domain[2] - '0'; /* "vm0".."vm3" */
    if (i < 0 || i >= HAMMER_THREADS)
        return;
    int want = hs[i].last == VP_DOMAIN_EVENT_SUSPENDED ? VP_DOMAIN_EVENT_RESUMED
                                                       : VP_DOMAIN_EVENT_SUSPENDED;
    if (hs[i].events > 0 && ev->event != want)
        hs[i].out_of_order = true;
    hs[i].last = ev->event;
    hs[i].events++;
}

static void
test_threads(void **state)
{
    vp_conn *conn = open_default();
    hammer hs[HAMMER_THREADS] = {0};
    pthread_t t[HAMMER_THREADS];
    for (int i = 0; i < HAMMER_THREADS; i++) {
        char name[8];
        snprintf(name, sizeof(name), "vm%d", i);
        hs[i].dom = define(conn, name, NULL);
        assert_ok(vp_domain_start(hs[i].dom, 0));
    }
    assert_ok(vp_conn_event_register(conn,
                                     VP_DOMAIN_EVENT_MASK(VP_DOMAIN_EVENT_SUSPENDED) |
                                         VP_DOMAIN_EVENT_MASK(VP_DOMAIN_EVENT_RESUMED),
                                     hammer_count, hs, NULL, NULL));
    struct pollfd p = {.fd = vp_conn_event_fd(conn), .events = POLLIN};
    for (int i = 0; i < HAMMER_THREADS; i++)
        assert_int_equal(pthread_create(&t[i], NULL, hammer_run, &hs[i]), 0);
    int total = 0, want = HAMMER_THREADS * HAMMER_ROUNDS * 2;
    time_t give_up = time(NULL) + 60; /* a lost event fails, never hangs */
    while (total < want && time(NULL) < give_up)
        if (poll(&p, 1, 100) == 1)
            total += vp_conn_event_dispatch(conn);
    for (int i = 0; i < HAMMER_THREADS; i++)
        pthread_join(t[i], NULL);
    total += vp_conn_event_dispatch(conn);
    assert_int_equal(total, want);
    for (int i = 0; i < HAMMER_THREADS; i++) {
        assert_int_equal(hs[i].events, HAMMER_ROUNDS * 2);
        assert_false(hs[i].out_of_order);
        vp_domain_free(hs[i].dom);
    }
    vp_conn_close(conn);
}

static void
test_names(void **state)
{
    assert_string_equal(vp_domain_event_name(VP_DOMAIN_EVENT_STOPPED, 0), "Stopped");
    assert_string_equal(vp_domain_event_name(VP_DOMAIN_EVENT_PMSUSPENDED, 0), "PMSuspended");
    assert_string_equal(vp_domain_event_name(VP_DOMAIN_EVENT_STOPPED, VP_DOMAIN_EVENT_NAME_ID),
                        "stopped");
    assert_string_equal(vp_domain_event_name(VP_DOMAIN_EVENT_LAST, 0), "unknown");
    assert_string_equal(
        vp_domain_event_detail_name(VP_DOMAIN_EVENT_STOPPED, VP_DOMAIN_EVENT_STOPPED_DESTROYED, 0),
        "Destroyed");
    assert_string_equal(vp_domain_event_detail_name(VP_DOMAIN_EVENT_SUSPENDED,
                                                    VP_DOMAIN_EVENT_SUSPENDED_IOERROR, 0),
                        "I/O Error");
    assert_string_equal(vp_domain_event_detail_name(VP_DOMAIN_EVENT_SUSPENDED,
                                                    VP_DOMAIN_EVENT_SUSPENDED_IOERROR,
                                                    VP_DOMAIN_EVENT_NAME_ID),
                        "ioerror");
    assert_string_equal(
        vp_domain_event_detail_name(VP_DOMAIN_EVENT_STARTED, VP_DOMAIN_EVENT_STARTED_WAKEUP, 0),
        "Event wakeup");
    assert_string_equal(vp_domain_event_detail_name(VP_DOMAIN_EVENT_CRASHED, 2, 0), "unknown");
    /* The events of libvirt's other callbacks: virsh's type names. */
    assert_string_equal(vp_domain_event_name(VP_DOMAIN_EVENT_REBOOT, 0), "reboot");
    assert_string_equal(vp_domain_event_name(VP_DOMAIN_EVENT_IO_ERROR, 0), "io-error");
    assert_string_equal(vp_domain_event_name(VP_DOMAIN_EVENT_IO_ERROR, VP_DOMAIN_EVENT_NAME_ID),
                        "io_error");
    assert_string_equal(
        vp_domain_event_detail_name(VP_DOMAIN_EVENT_IO_ERROR, VP_DOMAIN_EVENT_IO_ERROR_REPORT, 0),
        "report");
    assert_string_equal(vp_domain_event_detail_name(VP_DOMAIN_EVENT_IO_ERROR, 3, 0), "unknown");
}

/* The transition table, through the SDK call with no sink (it counts
 * what it would emit) and a sink of a real connection. */
static void
test_transitions(void **state)
{
    assert_int_equal(vp_plugin_event_emit_transition(NULL, "x", NULL, VP_DOMAIN_SHUTOFF,
                                                     VP_DOMAIN_PAUSED, VP_DOMAIN_PAUSED_USER),
                     2);
    assert_int_equal(
        vp_plugin_event_emit_transition(NULL, "x", NULL, VP_DOMAIN_SHUTOFF, VP_DOMAIN_SHUTOFF, 0),
        0);
    assert_int_equal(
        vp_plugin_event_emit_transition(NULL, "x", NULL, VP_DOMAIN_RUNNING, VP_DOMAIN_BLOCKED, 0),
        0);
    assert_int_equal(
        vp_plugin_event_emit_transition(NULL, "x", NULL, VP_DOMAIN_RUNNING, VP_DOMAIN_CRASHED, 1),
        1);
    assert_error(vp_plugin_event_emit_transition(NULL, "x", NULL, 0, VP_DOMAIN_LAST, 0),
                 VP_ERR_INVALID_ARG, "not a VP_DOMAIN_* state");
    assert_error(vp_plugin_event_emit(NULL, "x", NULL, VP_DOMAIN_EVENT_CRASHED, 5),
                 VP_ERR_INVALID_ARG, "not one of libvirt's");
    assert_error(vp_plugin_event_emit(NULL, NULL, NULL, 0, 0), VP_ERR_INVALID_ARG,
                 "no domain name");
    assert_int_equal(vp_plugin_event_emit_io_error(NULL, "x", NULL, VP_DOMAIN_EVENT_IO_ERROR_PAUSE,
                                                   "/d.img", "vda", "enospc"),
                     0);
    assert_error(vp_plugin_event_emit_io_error(NULL, "x", NULL, 3, "/d.img", "vda", ""),
                 VP_ERR_INVALID_ARG, "not one of libvirt's");
    assert_error(vp_plugin_event_emit_io_error(NULL, "x", NULL, 0, NULL, "vda", ""),
                 VP_ERR_INVALID_ARG, "no source path, alias or reason");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_own_changes),
        cmocka_unit_test(test_transient),
        cmocka_unit_test(test_mask),
        cmocka_unit_test(test_deregister),
        cmocka_unit_test(test_close_frees),
        cmocka_unit_test(test_nested_dispatch_refused),
        cmocka_unit_test(test_poll_wakes),
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_transitions), /* keep one test a line */
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
