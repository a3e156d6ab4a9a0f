/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-error.c: the per-thread error slot and error-code names.
 */
#include <config.h>

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <virtplug/sdk/services.h>
#include <virtplug/virtplug.h>

static void
test_set_and_read(void **state)
{
    assert_int_equal(vp_plugin_error_set(VP_ERR_NO_DOMAIN, "no domain named '%s'", "x"),
                     VP_ERR_NO_DOMAIN);
    const vp_error *e = vp_error_last();
    assert_non_null(e);
    assert_int_equal(e->code, VP_ERR_NO_DOMAIN);
    assert_string_equal(e->message, "no domain named 'x'");
    /* A name table cannot fail and leaves it; a call that can fail resets it. */
    assert_non_null(vp_domain_state_name(1));
    assert_non_null(vp_error_last());
    vp_conn *conn = NULL;
    vp_conn_open("nosuch:///", 0, &conn);
    assert_non_null(vp_error_last());
}

static void
test_errno_suffix(void **state)
{
    vp_plugin_error_set_errno(VP_ERR_SYSTEM, 2, "cannot open '%s'", "/x");
    assert_string_equal(vp_error_last()->message, "cannot open '/x': No such file or directory");
}

static void
test_nonnegative_code_becomes_internal(void **state)
{
    assert_int_equal(vp_plugin_error_set(0, "oops"), VP_ERR_INTERNAL);
    assert_int_equal(vp_error_last()->code, VP_ERR_INTERNAL);
}

static void *
thread_sets_error(void *arg)
{
    vp_plugin_error_set(VP_ERR_TIMEOUT, "thread error");
    return (void *)(vp_error_last() && vp_error_last()->code == VP_ERR_TIMEOUT ? arg : NULL);
}

static void
test_errors_are_per_thread(void **state)
{
    vp_plugin_error_set(VP_ERR_XML, "main error");
    pthread_t t;
    void *ret = NULL;
    assert_int_equal(pthread_create(&t, NULL, thread_sets_error, (void *)1), 0);
    assert_int_equal(pthread_join(t, &ret), 0);
    assert_ptr_equal(ret, (void *)1);
    assert_int_equal(vp_error_last()->code, VP_ERR_XML);
    assert_string_equal(vp_error_last()->message, "main error");
}

/* A copy outlives the thread's next call, and the thread itself. */
static void *
thread_copies_error(void *arg)
{
    vp_plugin_error_set(VP_ERR_TIMEOUT, "from thread %d", 7);
    return vp_error_copy(vp_error_last());
}

static void
test_copy(void **state)
{
    assert_null(vp_error_copy(NULL));
    vp_error_free(NULL);
    vp_plugin_error_set(VP_ERR_NO_DOMAIN, "no domain named '%s'", "web");
    vp_error *copy = vp_error_copy(vp_error_last());
    vp_conn *conn = NULL;
    assert_int_equal(vp_conn_open("test:///default", 0, &conn), 0);
    assert_null(vp_error_last());
    assert_int_equal(copy->code, VP_ERR_NO_DOMAIN);
    assert_string_equal(copy->message, "no domain named 'web'");
    vp_error_free(copy);
    vp_conn_close(conn);

    pthread_t t;
    void *ret = NULL;
    assert_int_equal(pthread_create(&t, NULL, thread_copies_error, NULL), 0);
    assert_int_equal(pthread_join(t, &ret), 0);
    copy = ret;
    assert_int_equal(copy->code, VP_ERR_TIMEOUT);
    assert_string_equal(copy->message, "from thread 7");
    vp_error_free(copy);
}

/* Clean-up after a failure can fail too; the first error survives it. */
static void
test_save_restore(void **state)
{
    (void)state;
    assert_int_equal(vp_plugin_error_restore(NULL), 0);
    vp_plugin_error_set(VP_ERR_TIMEOUT, "QEMU of domain '%s' did not start", "web");
    vp_plugin_saved_error *why = vp_plugin_error_save();
    assert_non_null(why);
    assert_null(vp_error_last()); /* taken out: the clean-up starts clean */
    vp_plugin_error_set(VP_ERR_SYSTEM, "cannot identify process %d", 42);
    assert_int_equal(vp_plugin_error_restore(why), VP_ERR_TIMEOUT);
    const vp_error *err = vp_error_last();
    assert_non_null(err);
    assert_int_equal(err->code, VP_ERR_TIMEOUT);
    assert_string_equal(err->message, "QEMU of domain 'web' did not start");

    /* Nothing set: nothing saved, and restoring keeps what was set since. */
    vp_conn *conn = NULL;
    assert_int_equal(vp_conn_open("test:///default", 0, &conn), 0); /* resets the error */
    vp_conn_close(conn);
    assert_null(vp_plugin_error_save());
    vp_plugin_error_set(VP_ERR_SYSTEM, "later");
    assert_int_equal(vp_plugin_error_restore(NULL), 0);
    assert_int_equal(vp_error_last()->code, VP_ERR_SYSTEM);
}

/* The documented rule: calls that can fail reset the thread's error when
 * they start; calls that cannot fail leave it, so an application can
 * use them while it reports the error. */
static void
test_reset_rule(void **state)
{
    vp_conn *conn = NULL;
    assert_int_equal(vp_conn_open("test:///default", 0, &conn), 0);
    vp_domain *dom = NULL;
    assert_int_equal(vp_domain_lookup_by_name(conn, "test", &dom), 0);
    vp_domain *none = NULL;
    assert_int_equal(vp_domain_lookup_by_name(conn, "nosuch", &none), VP_ERR_NO_DOMAIN);
    const vp_error *e = vp_error_last();
    assert_non_null(e);
    assert_string_equal(vp_conn_get_uri(conn), "test:///default");
    assert_string_equal(vp_conn_get_driver_name(conn), "test");
    assert_string_equal(vp_domain_get_name(dom), "test");
    assert_ptr_equal(vp_domain_get_conn(dom), conn);
    assert_string_equal(vp_error_code_name(e->code), "VP_ERR_NO_DOMAIN");
    assert_string_equal(vp_domain_state_name(VP_DOMAIN_RUNNING), "running");
    assert_non_null(vp_domain_state_reason_name(VP_DOMAIN_RUNNING, 1));
    assert_non_null(vp_node_suspend_target_name(VP_NODE_SUSPEND_TARGET_MEM));
    assert_non_null(vp_node_suspend_state_name(VP_NODE_SUSPEND_NONE));
    assert_non_null(vp_registry_slot_name(VP_PLUGIN_KIND_HYPERVISOR, 0));
    vp_error_free(vp_error_copy(vp_error_last()));
    vp_domain_free(NULL);
    e = vp_error_last();
    assert_non_null(e);
    assert_int_equal(e->code, VP_ERR_NO_DOMAIN);
    if (!strstr(e->message, "nosuch"))
        fail_msg("the error changed: %s", e->message);
    /* A call that can fail and succeeds clears it. */
    int st = 0;
    assert_int_equal(vp_domain_get_state(dom, &st, NULL, 0), 0);
    assert_null(vp_error_last());
    vp_domain_free(dom);
    vp_conn_close(conn);
}

/* What the error callback heard. */
typedef struct heard {
    int calls;
    int code;
    char message[256];
    vp_conn *conn;
    bool nest; /* call a failing function from the callback */
} heard;

static void
on_error(vp_conn *conn, const vp_error *err, void *opaque)
{
    heard *h = opaque;
    h->calls++;
    h->code = err->code;
    h->conn = conn;
    snprintf(h->message, sizeof(h->message), "%s", err->message);
    if (h->nest) {
        vp_domain *none = NULL;
        assert_int_equal(vp_domain_lookup_by_name(conn, "inner", &none), VP_ERR_NO_DOMAIN);
    }
}

/* The connection's callback hears once of each failed call, with the
 * error the call returns, and never of a call that succeeds. */
static void
test_error_callback(void **state)
{
    vp_conn *conn = NULL;
    assert_int_equal(vp_conn_open("test:///default", 0, &conn), 0);
    heard h = {0};
    assert_int_equal(vp_conn_set_error_func(conn, on_error, &h), 0);
    vp_domain *dom = NULL;
    assert_int_equal(vp_domain_lookup_by_name(conn, "test", &dom), 0);
    int st = 0;
    assert_int_equal(vp_domain_get_state(dom, &st, NULL, 0), 0);
    assert_int_equal(h.calls, 0);

    vp_domain *none = NULL;
    assert_int_equal(vp_domain_lookup_by_name(conn, "nosuch", &none), VP_ERR_NO_DOMAIN);
    assert_int_equal(h.calls, 1);
    assert_int_equal(h.code, VP_ERR_NO_DOMAIN);
    assert_ptr_equal(h.conn, conn);
    assert_non_null(strstr(h.message, "nosuch"));
    /* Through a domain handle, and for an argument refused before the driver. */
    assert_int_equal(vp_domain_start(dom, 0), VP_ERR_OPERATION_INVALID);
    assert_int_equal(h.calls, 2);
    assert_non_null(strstr(h.message, "already running"));
    assert_int_equal(vp_domain_get_state(dom, NULL, NULL, 0), VP_ERR_INVALID_ARG);
    assert_int_equal(h.calls, 3);
    assert_non_null(strstr(h.message, "ret_state"));

    /* The callback's own failed calls are not reported, and the thread's
     * error is the failed call's again when the callback returns. */
    h.nest = true;
    assert_int_equal(vp_domain_lookup_by_name(conn, "outer", &none), VP_ERR_NO_DOMAIN);
    assert_int_equal(h.calls, 4);
    assert_non_null(strstr(vp_error_last()->message, "outer"));
    h.nest = false;

    /* Another connection has its own (none). */
    vp_conn *other = NULL;
    assert_int_equal(vp_conn_open("test:///default", 0, &other), 0);
    assert_int_equal(vp_domain_lookup_by_name(other, "nosuch", &none), VP_ERR_NO_DOMAIN);
    assert_int_equal(h.calls, 4);
    vp_conn_close(other);

    assert_int_equal(vp_conn_set_error_func(conn, NULL, NULL), 0);
    assert_int_equal(vp_domain_lookup_by_name(conn, "nosuch", &none), VP_ERR_NO_DOMAIN);
    assert_int_equal(h.calls, 4);
    assert_int_equal(vp_conn_set_error_func(NULL, on_error, &h), VP_ERR_INVALID_ARG);
    vp_domain_free(dom);
    vp_conn_close(conn);
}

static void
test_code_names(void **state)
{
    assert_string_equal(vp_error_code_name(VP_ERR_NO_DOMAIN), "VP_ERR_NO_DOMAIN");
    assert_string_equal(vp_error_code_name(VP_ERR_PROTOCOL), "VP_ERR_PROTOCOL");
    assert_string_equal(vp_error_code_name(0), "VP_OK");
    assert_string_equal(vp_error_code_name(VP_ERR_LAST), "VP_ERR_UNKNOWN");
    assert_string_equal(vp_error_code_name(5), "VP_ERR_UNKNOWN");
    for (int c = -1; c > VP_ERR_LAST; c--)
        assert_non_null(strstr(vp_error_code_name(c), "VP_ERR_"));
}

static void
test_state_names(void **state)
{
    assert_string_equal(vp_domain_state_name(VP_DOMAIN_SHUTOFF), "shut off");
    assert_string_equal(vp_domain_state_name(99), "unknown");
    assert_string_equal(vp_domain_state_reason_name(VP_DOMAIN_SHUTOFF, VP_DOMAIN_SHUTOFF_DESTROYED),
                        "destroyed");
    assert_string_equal(vp_domain_state_reason_name(VP_DOMAIN_RUNNING, 99), "unknown");
    assert_string_equal(vp_node_suspend_target_name(VP_NODE_SUSPEND_TARGET_HYBRID), "hybrid");
    assert_string_equal(vp_node_suspend_target_name(VP_NODE_SUSPEND_TARGET_SUSPEND_THEN_HIBERNATE),
                        "suspend-then-hibernate");
    assert_null(vp_node_suspend_target_name(VP_NODE_SUSPEND_TARGET_LAST));
    assert_string_equal(vp_node_suspend_state_name(VP_NODE_SUSPEND_ABANDONED), "abandoned");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_set_and_read),
        cmocka_unit_test(test_errno_suffix),
        cmocka_unit_test(test_nonnegative_code_becomes_internal),
        cmocka_unit_test(test_errors_are_per_thread),
        cmocka_unit_test(test_copy),
        cmocka_unit_test(test_save_restore),
        cmocka_unit_test(test_reset_rule),
        cmocka_unit_test(test_error_callback),
        cmocka_unit_test(test_code_names),
        cmocka_unit_test(test_state_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
