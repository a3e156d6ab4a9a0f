/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-qemu-jobs.c: calls that wait on a guest, against real QEMU with a
 * firmware-only PC (nothing answers the power button or the agent): they
 * hold no domain lock while they wait, and vp_conn_cancel_jobs() from
 * another thread ends them long before their timeouts.
 */
#include <config.h>

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <virtplug/sdk/alloc.h>
#include <virtplug/virtplug.h>

#include "qemu-test-util.h"

#define BARE_XML                                                                                   \
    "<domain type='qemu'><name>bare</name><memory unit='MiB'>32</memory><vcpu>1</vcpu>"            \
    "<os><type arch='x86_64' machine='pc'>hvm</type></os><devices>"                                \
    "<channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>"         \
    "</devices></domain>"

typedef struct fixture {
    char *root;
    vp_conn *conn;
} fixture;

/* Long timeouts for the guest (only a cancel ends the waits in time), a
 * short one for the domain's lock (a call that holds it is seen). */
static int
setup(void **state)
{
    fixture *f = vp_new0(fixture, 1);
    f->root = qt_root_new();
    _cleanup_free_ char *uri =
        qt_uri(f->root, "lock_timeout_ms=300&agent_timeout_ms=60000&shutdown_timeout_ms=60000");
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

/* A call of another thread that waits on the guest. */
enum { WAIT_SHUTDOWN, WAIT_GUEST_INFO, WAIT_GET_TIME };
typedef struct waiting_call {
    vp_domain *dom;
    int what; /* WAIT_* */
    int r;
    char msg[512];
} waiting_call;

static void *
run_waiting_call(void *arg)
{
    waiting_call *c = arg;
    char *json = NULL;
    long long sec;
    unsigned int nsec;
    c->r = c->what == WAIT_GUEST_INFO ? vp_domain_get_guest_info(c->dom, 0, &json)
           : c->what == WAIT_GET_TIME ? vp_domain_get_time(c->dom, &sec, &nsec, 0)
                                      : vp_domain_shutdown(c->dom, VP_DOMAIN_SHUTDOWN_WAIT);
    free(json);
    if (c->r < 0)
        snprintf(c->msg, sizeof(c->msg), "%s", vp_error_last()->message);
    return NULL;
}

/* Cancel until the call of @t was cancelled (it may not wait yet). */
static void
cancel_waiting_call(fixture *f, pthread_t t, waiting_call *c)
{
    int n = 0;
    for (int i = 0; i < 1000 && n == 0; i++) {
        n = vp_conn_cancel_jobs(f->conn, 0);
        if (n == 0)
            nanosleep(&(struct timespec){.tv_nsec = 10 * 1000 * 1000}, NULL);
    }
    assert_int_equal(n, 1);
    pthread_join(t, NULL);
    assert_int_equal(c->r, VP_ERR_OPERATION_INVALID);
    if (!strstr(c->msg, "cancelled by vp_conn_cancel_jobs") || !strstr(c->msg, "'bare'"))
        fail_msg("unexpected message: %s", c->msg);
}

/* Suspend and resume, each waiting at most lock_timeout_ms=300 for the
 * domain's lock: they fail while a call holds it. */
static void
assert_lock_free(vp_domain *dom)
{
    nanosleep(&(struct timespec){.tv_nsec = 700 * 1000 * 1000}, NULL);
    assert_int_equal(vp_domain_suspend(dom, 0), 0);
    assert_int_equal(vp_domain_resume(dom, 0), 0);
}

/* A shutdown that waits for a guest that ignores the power button holds
 * no lock: another thread reads the state and suspends and resumes
 * meanwhile, then cancels it; agent commands waiting on a guest without
 * an agent hold no lock either and are cancelled the same way, long
 * before agent_timeout_ms. */
static void
test_waits_unlocked_and_cancelled(void **state)
{
    fixture *f = *state;
    vp_domain *dom = NULL;
    assert_int_equal(vp_domain_define_xml(f->conn, BARE_XML, 0, &dom), 0);
    assert_int_equal(vp_domain_start(dom, 0), 0);
    waiting_call c = {.dom = dom, .what = WAIT_SHUTDOWN};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, run_waiting_call, &c), 0);
    /* Past the request (it holds the lock for one QMP command). */
    nanosleep(&(struct timespec){.tv_nsec = 300 * 1000 * 1000}, NULL);
    qt_assert_state(dom, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_BOOTED);
    assert_lock_free(dom);
    qt_assert_state(dom, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_UNPAUSED);
    cancel_waiting_call(f, t, &c);
    qt_assert_state(dom, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_UNPAUSED);

    for (int what = WAIT_GUEST_INFO; what <= WAIT_GET_TIME; what++) {
        waiting_call a = {.dom = dom, .what = what};
        assert_int_equal(pthread_create(&t, NULL, run_waiting_call, &a), 0);
        assert_lock_free(dom);
        cancel_waiting_call(f, t, &a);
    }
    /* Nothing waits now; the connection goes on. */
    assert_int_equal(vp_conn_cancel_jobs(f->conn, 0), 0);
    QT_ASSERT_ERROR(vp_conn_cancel_jobs(f->conn, 1), VP_ERR_INVALID_ARG, "unsupported flags");
    assert_int_equal(vp_domain_destroy(dom, 0), 0);
    vp_domain_free(dom);
}

int
main(int argc, char **argv)
{
    int r = qt_main_start(argc, argv, QEMU_BINARY);
    if (r >= 0)
        return r;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_waits_unlocked_and_cancelled, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
