/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-test-driver-threads.c: one test:///default connection used by 8
 * threads at once (define, start, destroy, get_state, list, undefine),
 * then checks that the host is consistent: every thread saw its own
 * domains in the states it put them in, the running count matches the
 * list, and starts and destroys of a shared domain add up.
 */
#include <config.h>

#include <pthread.h>
#include <stdbool.h>

#include "test-test-driver-common.h"

#define N_THREADS 8
#define N_ROUNDS 300
#define N_EXTRA 4 /* domains each thread keeps defined: the table must grow */

typedef struct worker {
    vp_conn *conn;
    int id;
    int shared_starts;
    int shared_destroys;
    char failure[256];
} worker;

#define CHECK(w, cond)                                                                             \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            snprintf((w)->failure, sizeof((w)->failure), "thread %d line %d: %s (%s)", (w)->id,    \
                     __LINE__, #cond, vp_error_last() ? vp_error_last()->message : "no error");    \
            return NULL;                                                                           \
        }                                                                                          \
    } while (0)

static bool
state_is(vp_domain *dom, int want)
{
    int st = -1;
    return vp_domain_get_state(dom, &st, NULL, 0) == 0 && st == want;
}

static void *
worker_run(void *arg)
{
    worker *w = arg;
    char name[64];
    vp_domain *shared = NULL;
    CHECK(w, vp_domain_lookup_by_name(w->conn, "test", &shared) == 0);
    for (int k = 0; k < N_EXTRA; k++) {
        snprintf(name, sizeof(name), "keep-%d-%d", w->id, k);
        char *xml = domain_xml(name, NULL);
        CHECK(w, vp_domain_define_xml(w->conn, xml, 0, NULL) == 0);
        free(xml);
    }
    /* A fixed uuid: each round redefines the same domain. */
    char uuid[40];
    snprintf(uuid, sizeof(uuid), "00000000-0000-4000-8000-0000000000%02d", w->id);
    snprintf(name, sizeof(name), "own-%d", w->id);
    char *xml = domain_xml(name, uuid);
    for (int i = 0; i < N_ROUNDS; i++) {
        vp_domain *dom = NULL;
        CHECK(w, vp_domain_define_xml(w->conn, xml, 0, &dom) == 0);
        CHECK(w, state_is(dom, VP_DOMAIN_SHUTOFF));
        CHECK(w, vp_domain_start(dom, 0) == 0);
        CHECK(w, state_is(dom, VP_DOMAIN_RUNNING));
        CHECK(w, vp_conn_num_of_domains(w->conn) >= 1);
        vp_domain **doms = NULL;
        int n = vp_conn_list_domains(w->conn, VP_LIST_DOMAINS_ACTIVE, &doms);
        CHECK(w, n >= 1);
        vp_domain_list_free(doms);
        CHECK(w, vp_domain_destroy(dom, 0) == 0);
        CHECK(w, state_is(dom, VP_DOMAIN_SHUTOFF));
        /* The shared domain: either call may lose the race, never both fail oddly. */
        int r = vp_domain_start(shared, 0);
        CHECK(w, r == 0 || r == VP_ERR_OPERATION_INVALID);
        w->shared_starts += r == 0;
        r = vp_domain_destroy(shared, 0);
        CHECK(w, r == 0 || r == VP_ERR_OPERATION_INVALID);
        w->shared_destroys += r == 0;
        if (i % 2 == 0)
            CHECK(w, vp_domain_undefine(dom, 0) == 0);
        vp_domain_free(dom);
    }
    free(xml);
    vp_domain_free(shared);
    return NULL;
}

static void
test_hammer_one_connection(void **state)
{
    vp_conn *conn = open_default();
    worker workers[N_THREADS] = {0};
    pthread_t threads[N_THREADS];
    for (int i = 0; i < N_THREADS; i++) {
        workers[i].conn = conn;
        workers[i].id = i;
        assert_int_equal(pthread_create(&threads[i], NULL, worker_run, &workers[i]), 0);
    }
    int starts = 0, destroys = 0;
    for (int i = 0; i < N_THREADS; i++) {
        assert_int_equal(pthread_join(threads[i], NULL), 0);
        if (workers[i].failure[0])
            fail_msg("%s", workers[i].failure);
        starts += workers[i].shared_starts;
        destroys += workers[i].shared_destroys;
    }

    /* 'test' began running: destroys exceed starts by 1 (now shut off) or
     * they are equal (running). */
    vp_domain *shared = lookup(conn, "test");
    int st = -1;
    assert_ok(vp_domain_get_state(shared, &st, NULL, 0));
    assert_int_equal(destroys - starts, st == VP_DOMAIN_SHUTOFF ? 1 : 0);
    vp_domain_free(shared);

    vp_domain **doms = NULL;
    int n_active = vp_conn_list_domains(conn, VP_LIST_DOMAINS_ACTIVE, &doms);
    vp_domain_list_free(doms);
    assert_int_equal(vp_conn_num_of_domains(conn), n_active);
    assert_int_equal(n_active, st == VP_DOMAIN_SHUTOFF ? 0 : 1);
    /* test + N_EXTRA each + the own domains: undefined on even rounds, so
     * the last (odd) round left each defined. */
    int n_all = vp_conn_list_domains(conn, 0, &doms);
    vp_domain_list_free(doms);
    assert_int_equal(n_all, 1 + N_THREADS * (N_EXTRA + 1));
    vp_conn_close(conn);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hammer_one_connection),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
