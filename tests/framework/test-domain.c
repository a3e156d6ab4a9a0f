/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-domain.c: framework/domain.c through the test driver: UUIDs, IDs
 * and handles bound to the domain they were made for. A handle whose name
 * was undefined and defined again (another UUID) must fail every call with
 * the stale-handle error and must never act on the new domain.
 */
#include <config.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <time.h>

#include "test-test-driver-common.h"

#define UUID_A "aaaaaaaa-0000-4000-8000-000000000001"
#define UUID_B "bbbbbbbb-0000-4000-8000-000000000002"

static void
assert_uuid(vp_domain *dom, const char *want)
{
    char uuid[VP_UUID_STRING_BUFLEN];
    assert_ok(vp_domain_get_uuid_string(dom, uuid));
    assert_string_equal(uuid, want);
}

static int
get_id(vp_domain *dom)
{
    int id = -42;
    assert_ok(vp_domain_get_id(dom, &id));
    return id;
}

static void
test_uuid_of_handles(void **state)
{
    vp_conn *conn = open_default();
    vp_domain *dom = lookup(conn, "test");
    assert_uuid(dom, TEST_UUID);
    vp_domain_free(dom);

    vp_domain *a = define(conn, "a", UUID_A);
    assert_uuid(a, UUID_A);
    vp_domain **doms = NULL;
    assert_int_equal(vp_conn_list_domains(conn, 0, &doms), 2);
    assert_uuid(doms[0], UUID_A);
    assert_uuid(doms[1], TEST_UUID);
    vp_domain_list_free(doms);
    vp_domain_free(a);

    assert_error(vp_domain_get_uuid_string(NULL, (char[37]){0}), VP_ERR_INVALID_ARG, "dom");
    char *os = NULL;
    vp_domain *t = lookup(conn, "test");
    assert_ok(vp_domain_get_os_type(t, &os));
    assert_string_equal(os, "hvm");
    free(os);
    vp_domain_free(t);
    vp_conn_close(conn);
}

static void
test_lookup_by_uuid(void **state)
{
    vp_conn *conn = open_default();
    vp_domain *dom = NULL;
    assert_ok(vp_domain_lookup_by_uuid_string(conn, TEST_UUID, &dom));
    assert_string_equal(vp_domain_get_name(dom), "test");
    vp_domain_free(dom);
    dom = NULL;
    assert_ok(vp_domain_lookup_by_uuid_string(conn, "6695EB01-F6A4-8304-79AA-97F2502E193F", &dom));
    assert_string_equal(vp_domain_get_name(dom), "test");
    vp_domain_free(dom);
    dom = NULL;
    assert_error(vp_domain_lookup_by_uuid_string(conn, UUID_B, &dom), VP_ERR_NO_DOMAIN,
                 "no domain with uuid '" UUID_B "'");
    assert_null(dom);
    assert_error(vp_domain_lookup_by_uuid_string(conn, "test", &dom), VP_ERR_INVALID_ARG,
                 "'test' is not a UUID");
    assert_error(vp_domain_lookup_by_uuid_string(conn, NULL, &dom), VP_ERR_INVALID_ARG, "uuid");
    vp_conn_close(conn);
}

/* libvirt's numbering: the default domain runs as 1, each start takes the
 * next number, a shut-off domain has -1, IDs are never reused. */
static void
test_ids(void **state)
{
    vp_conn *conn = open_default();
    vp_domain *test = lookup(conn, "test");
    assert_int_equal(get_id(test), 1);
    vp_domain *dom = NULL;
    assert_ok(vp_domain_lookup_by_id(conn, 1, &dom));
    assert_string_equal(vp_domain_get_name(dom), "test");
    assert_uuid(dom, TEST_UUID);
    vp_domain_free(dom);

    assert_ok(vp_domain_destroy(test, 0));
    assert_int_equal(get_id(test), -1);
    dom = NULL;
    assert_error(vp_domain_lookup_by_id(conn, 1, &dom), VP_ERR_NO_DOMAIN,
                 "no running domain with id 1");
    assert_null(dom);

    vp_domain *a = define(conn, "a", UUID_A);
    assert_int_equal(get_id(a), -1);
    assert_ok(vp_domain_start(a, 0));
    assert_ok(vp_domain_start(test, 0));
    assert_int_equal(get_id(a), 2);
    assert_int_equal(get_id(test), 3);
    /* Paused domains keep their ID. */
    assert_ok(vp_domain_suspend(a, 0));
    assert_int_equal(get_id(a), 2);
    assert_ok(vp_domain_lookup_by_id(conn, 2, &dom));
    assert_string_equal(vp_domain_get_name(dom), "a");
    vp_domain_free(dom);
    assert_ok(vp_domain_destroy(a, 0));
    assert_ok(vp_domain_start(a, 0));
    assert_int_equal(get_id(a), 4);

    assert_error(vp_domain_lookup_by_id(conn, -1, &dom), VP_ERR_INVALID_ARG, "invalid domain id");
    assert_error(vp_domain_get_id(test, NULL), VP_ERR_INVALID_ARG, "ret_id");
    vp_domain_free(a);
    vp_domain_free(test);
    vp_conn_close(conn);
}

/* Define "a" with @uuid through another handle than the one under test. */
static void
redefine(vp_conn *conn, const char *uuid)
{
    vp_domain *other = lookup(conn, "a");
    assert_ok(vp_domain_undefine(other, 0));
    vp_domain_free(other);
    vp_domain_free(define(conn, "a", uuid));
}

static void
assert_stale(int r)
{
    assert_error(r, VP_ERR_NO_DOMAIN,
                 "domain 'a' was undefined and redefined since this handle was made");
    assert_non_null(strstr(vp_error_last()->message, "'" UUID_A "', now '" UUID_B "'"));
}

static void
test_stale_handle_fails_every_call(void **state)
{
    vp_conn *conn = open_default();
    vp_domain *old = define(conn, "a", UUID_A);
    assert_state(old, VP_DOMAIN_SHUTOFF, VP_DOMAIN_SHUTOFF_UNKNOWN);
    redefine(conn, UUID_B);

    int st, id;
    char *xml = NULL;
    assert_stale(vp_domain_get_state(old, &st, NULL, 0));
    assert_stale(vp_domain_get_xml(old, 0, &xml));
    assert_null(xml);
    assert_stale(vp_domain_get_id(old, &id));
    char *os = NULL;
    assert_stale(vp_domain_get_os_type(old, &os));
    assert_null(os);
    assert_stale(vp_domain_start(old, 0));
    assert_stale(vp_domain_suspend(old, 0));
    assert_stale(vp_domain_resume(old, 0));
    assert_stale(vp_domain_shutdown(old, 0));
    assert_stale(vp_domain_destroy(old, 0));
    assert_stale(vp_domain_undefine(old, 0));
    /* Nothing reached the new domain of the same name. */
    vp_domain *now = lookup(conn, "a");
    assert_uuid(now, UUID_B);
    assert_state(now, VP_DOMAIN_SHUTOFF, VP_DOMAIN_SHUTOFF_UNKNOWN);
    /* The stale handle still says which domain it was made for. */
    assert_uuid(old, UUID_A);
    /* Checked again on each call, not only once. */
    assert_stale(vp_domain_start(old, 0));
    assert_state(now, VP_DOMAIN_SHUTOFF, VP_DOMAIN_SHUTOFF_UNKNOWN);
    assert_ok(vp_domain_start(now, 0));
    assert_stale(vp_domain_destroy(old, 0));
    assert_state(now, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_BOOTED);
    vp_domain_free(now);
    vp_domain_free(old);
    vp_conn_close(conn);
}

/* Snapshot calls through a stale domain handle, or through a snapshot
 * handle of the old domain, never reach the new one. */
static void
test_stale_handle_snapshots(void **state)
{
    vp_conn *conn = open_default();
    vp_domain *old = define(conn, "a", UUID_A);
    const char *xml_s = "<domainsnapshot><name>s</name></domainsnapshot>";
    vp_snapshot *old_s = NULL;
    assert_ok(vp_snapshot_create_xml(old, xml_s, 0, &old_s));
    /* Another handle deletes it, undefines "a" and defines a new "a" with
     * a snapshot of the same name. */
    vp_domain *other = lookup(conn, "a");
    vp_snapshot *s = NULL;
    assert_ok(vp_snapshot_lookup_by_name(other, "s", 0, &s));
    assert_ok(vp_snapshot_delete(s, 0));
    vp_snapshot_free(s);
    assert_ok(vp_domain_undefine(other, 0));
    vp_domain_free(other);
    vp_domain *now = define(conn, "a", UUID_B);
    vp_snapshot *new_s = NULL;
    assert_ok(vp_snapshot_create_xml(now, xml_s, 0, &new_s));

    s = NULL;
    vp_snapshot **list = NULL;
    char *xml = NULL;
    assert_stale(vp_snapshot_create_xml(old, NULL, 0, &s));
    assert_stale(vp_snapshot_list(old, 0, &list));
    assert_stale(vp_snapshot_lookup_by_name(old, "s", 0, &s));
    assert_stale(vp_snapshot_current(old, 0, &s));
    assert_null(s);
    assert_null(list);
    assert_stale(vp_snapshot_get_xml(old_s, 0, &xml));
    assert_null(xml);
    assert_stale(vp_snapshot_is_current(old_s, 0));
    assert_stale(vp_snapshot_get_parent(old_s, 0, &s));
    assert_stale(vp_snapshot_list_children(old_s, 0, &list));
    assert_stale(vp_snapshot_delete(old_s, 0));
    /* The new domain's snapshot of the same name is still there, and its
     * handles (bound to the new UUID) work. */
    assert_int_equal(vp_snapshot_list(now, 0, &list), 1);
    vp_snapshot_list_free(list);
    assert_int_equal(vp_snapshot_is_current(new_s, 0), 1);
    assert_ok(vp_snapshot_delete(new_s, 0));
    vp_snapshot_free(new_s);
    vp_snapshot_free(old_s);
    vp_domain_free(now);
    vp_domain_free(old);
    vp_conn_close(conn);
}

/* The handle was checked (and its generation cached) before the change:
 * the change must still be seen by the next call. */
static void
test_stale_after_cached_check(void **state)
{
    vp_conn *conn = open_default();
    vp_domain *old = define(conn, "a", UUID_A);
    for (int i = 0; i < 3; i++)
        assert_state(old, VP_DOMAIN_SHUTOFF, VP_DOMAIN_SHUTOFF_UNKNOWN);
    /* An unrelated undefine moves the generation: the handle is still good. */
    vp_domain *b = define(conn, "b", NULL);
    assert_ok(vp_domain_undefine(b, 0));
    vp_domain_free(b);
    assert_state(old, VP_DOMAIN_SHUTOFF, VP_DOMAIN_SHUTOFF_UNKNOWN);
    redefine(conn, UUID_B);
    int st;
    assert_stale(vp_domain_get_state(old, &st, NULL, 0));
    vp_domain_free(old);
    vp_conn_close(conn);
}

static void
test_undefined_and_same_uuid(void **state)
{
    vp_conn *conn = open_default();
    vp_domain *old = define(conn, "a", UUID_A);
    vp_domain *other = lookup(conn, "a");
    assert_ok(vp_domain_undefine(other, 0));
    int st;
    assert_error(vp_domain_get_state(old, &st, NULL, 0), VP_ERR_NO_DOMAIN, "no domain named 'a'");
    /* Defined again with its own UUID, it is the same domain again. */
    vp_domain_free(define(conn, "a", UUID_A));
    assert_ok(vp_domain_get_state(old, &st, NULL, 0));
    /* A redefinition that keeps the UUID keeps the handle good. */
    vp_domain_free(define(conn, "a", UUID_A));
    assert_ok(vp_domain_start(old, 0));
    assert_int_equal(get_id(old), 2);
    vp_domain_free(other);
    vp_domain_free(old);
    vp_conn_close(conn);
}

static vp_domain_info
get_info(vp_domain *dom)
{
    vp_domain_info info = {.size = sizeof(info)};
    assert_ok(vp_domain_get_info(dom, &info));
    assert_int_equal(info.size, sizeof(info));
    return info;
}

static void
sleep_ms(int ms)
{
    struct timespec ts = {.tv_sec = 0, .tv_nsec = ms * 1000000L};
    nanosleep(&ts, NULL);
}

/* libvirt's dominfo numbers of the default domain; the simulated CPU time
 * grows while the domain runs, stands still while it is paused and is 0
 * when it is shut off. */
static void
test_info(void **state)
{
    vp_conn *conn = open_default();
    vp_domain *test = lookup(conn, "test");
    vp_domain_info i = get_info(test);
    assert_int_equal(i.state, VP_DOMAIN_RUNNING);
    assert_int_equal(i.reason, VP_DOMAIN_RUNNING_BOOTED);
    assert_int_equal(i.vcpus, 2);
    assert_int_equal(i.max_memory_kib, 8388608);
    assert_int_equal(i.memory_kib, 2097152);
    sleep_ms(5);
    vp_domain_info later = get_info(test);
    assert_true(later.cpu_time_ns >= i.cpu_time_ns + 5000000);

    assert_ok(vp_domain_suspend(test, 0));
    i = get_info(test);
    assert_int_equal(i.state, VP_DOMAIN_PAUSED);
    sleep_ms(5);
    assert_int_equal(get_info(test).cpu_time_ns, i.cpu_time_ns);
    assert_ok(vp_domain_destroy(test, 0));
    i = get_info(test);
    assert_int_equal(i.state, VP_DOMAIN_SHUTOFF);
    assert_int_equal(i.reason, VP_DOMAIN_SHUTOFF_DESTROYED);
    assert_int_equal(i.cpu_time_ns, 0);
    assert_int_equal(i.max_memory_kib, 8388608);

    /* Without <currentMemory>, the guest has all of <memory>. */
    vp_domain *a = define(conn, "a", UUID_A);
    i = get_info(a);
    assert_int_equal(i.memory_kib, 1048576);
    assert_int_equal(i.max_memory_kib, 1048576);
    assert_int_equal(i.vcpus, 1);

    /* An older caller's smaller struct: only what fits is written. */
    struct {
        vp_domain_info head;
    } small;
    memset(&small, 0x5a, sizeof(small));
    small.head.size = 8;
    assert_ok(vp_domain_get_info(a, &small.head));
    assert_int_equal(small.head.size, 8);
    assert_int_equal(small.head.state, VP_DOMAIN_SHUTOFF);
    assert_int_equal(small.head.reason, 0x5a5a5a5a);
    small.head.size = 0;
    assert_error(vp_domain_get_info(a, &small.head), VP_ERR_INVALID_ARG, "size");

    redefine(conn, UUID_B);
    vp_domain_info stale = {.size = sizeof(stale)};
    assert_stale(vp_domain_get_info(a, &stale));
    vp_domain_free(a);
    vp_domain_free(test);
    vp_conn_close(conn);
}

typedef struct racer {
    vp_domain *dom;
    atomic_bool *stop;
    int bad; /* results that are neither 0 nor VP_ERR_NO_DOMAIN with a known message */
} racer;

static void *
race_state(void *arg)
{
    racer *r = arg;
    while (!atomic_load(r->stop)) {
        int st;
        int rc = vp_domain_get_state(r->dom, &st, NULL, 0);
        if (rc < 0 && (rc != VP_ERR_NO_DOMAIN ||
                       (!strstr(vp_error_last()->message, "no domain named 'a'") &&
                        !strstr(vp_error_last()->message, "was undefined and redefined"))))
            r->bad++;
    }
    return NULL;
}

/* Threads sharing one handle while another one undefines and redefines
 * its name, alternating two UUIDs: every call answers for the handle's
 * own domain or fails as stale (or gone), whatever the interleaving. */
static void
test_threads_and_redefines(void **state)
{
    vp_conn *conn = open_default();
    vp_domain *old = define(conn, "a", UUID_A);
    atomic_bool stop = false;
    racer racers[4];
    pthread_t threads[4];
    for (int i = 0; i < 4; i++) {
        racers[i] = (racer){old, &stop, 0};
        assert_int_equal(pthread_create(&threads[i], NULL, race_state, &racers[i]), 0);
    }
    for (int i = 0; i < 200; i++)
        redefine(conn, i % 2 ? UUID_A : UUID_B);
    atomic_store(&stop, true);
    for (int i = 0; i < 4; i++) {
        pthread_join(threads[i], NULL);
        assert_int_equal(racers[i].bad, 0);
    }
    /* The last definition has the handle's UUID again. */
    assert_state(old, VP_DOMAIN_SHUTOFF, VP_DOMAIN_SHUTOFF_UNKNOWN);
    redefine(conn, UUID_B);
    assert_stale(vp_domain_start(old, 0));
    vp_domain_free(old);
    vp_conn_close(conn);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_uuid_of_handles),
        cmocka_unit_test(test_lookup_by_uuid),
        cmocka_unit_test(test_ids),
        cmocka_unit_test(test_stale_handle_fails_every_call),
        cmocka_unit_test(test_stale_handle_snapshots),
        cmocka_unit_test(test_stale_after_cached_check),
        cmocka_unit_test(test_undefined_and_same_uuid),
        cmocka_unit_test(test_info),
        cmocka_unit_test(test_threads_and_redefines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
