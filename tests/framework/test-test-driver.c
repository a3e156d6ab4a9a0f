/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-test-driver.c: the embedded test driver through the public API:
 * opening test:///default, the default domain, the run-state transitions
 * with libvirt's state and reason numbers, their errors, listing and
 * counting, and that connections do not share state.
 */
#include <config.h>

#include "test-test-driver-common.h"

static void
test_open_default(void **state)
{
    vp_conn *conn = open_default();
    assert_string_equal(vp_conn_get_driver_name(conn), "test");
    assert_string_equal(vp_conn_get_uri(conn), "test:///default");
    assert_int_equal(vp_conn_num_of_domains(conn), 1);
    vp_domain **doms = NULL;
    assert_int_equal(vp_conn_list_domains(conn, 0, &doms), 1);
    assert_string_equal(vp_domain_get_name(doms[0]), "test");
    assert_null(doms[1]);
    vp_domain_list_free(doms);
    vp_domain *dom = lookup(conn, "test");
    assert_state(dom, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_BOOTED);
    assert_ptr_equal(vp_domain_get_conn(dom), conn);
    vp_domain_free(dom);
    vp_conn_close(conn);
}

static void
test_open_bad_uris(void **state)
{
    vp_conn *conn = NULL;
    assert_error(vp_conn_open("test://data/node.xml", 0, &conn), VP_ERR_INVALID_ARG,
                 "relative path in 'test://data/node.xml'");
    assert_non_null(strstr(vp_error_last()->message, "test:///ABS/PATH.xml"));
    assert_null(conn);
    assert_error(vp_conn_open("test://", 0, &conn), VP_ERR_INVALID_ARG, "no path in 'test://'");
    assert_null(conn);
    assert_error(vp_conn_open("test:///nonexistent-dir/node.xml", 0, &conn), VP_ERR_SYSTEM,
                 "/nonexistent-dir/node.xml");
    assert_null(conn);
}

static void
test_lookup_missing(void **state)
{
    vp_conn *conn = open_default();
    vp_domain *dom = NULL;
    assert_error(vp_domain_lookup_by_name(conn, "nosuch", &dom), VP_ERR_NO_DOMAIN,
                 "no domain named 'nosuch'");
    assert_null(dom);
    vp_conn_close(conn);
}

/* Every transition and its state/reason, on the default domain. */
static void
test_lifecycle(void **state)
{
    vp_conn *conn = open_default();
    vp_domain *dom = lookup(conn, "test");
    assert_ok(vp_domain_suspend(dom, 0));
    assert_state(dom, VP_DOMAIN_PAUSED, VP_DOMAIN_PAUSED_USER);
    assert_int_equal(vp_conn_num_of_domains(conn), 1); /* paused is active, as in libvirt */
    assert_ok(vp_domain_resume(dom, 0));
    assert_state(dom, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_UNPAUSED);
    assert_ok(vp_domain_shutdown(dom, 0));
    assert_state(dom, VP_DOMAIN_SHUTOFF, VP_DOMAIN_SHUTOFF_SHUTDOWN);
    assert_int_equal(vp_conn_num_of_domains(conn), 0);
    /* Waiting for the power-off gives the same: the test guest obeys at once. */
    assert_ok(vp_domain_start(dom, 0));
    assert_ok(vp_domain_shutdown(dom, VP_DOMAIN_SHUTDOWN_WAIT));
    assert_state(dom, VP_DOMAIN_SHUTOFF, VP_DOMAIN_SHUTOFF_SHUTDOWN);
    /* No call of the test driver waits on a guest: nothing to cancel. */
    assert_int_equal(vp_conn_cancel_jobs(conn, 0), 0);
    assert_error(vp_conn_cancel_jobs(conn, 2), VP_ERR_INVALID_ARG,
                 "vp_conn_cancel_jobs: unsupported flags 0x2");
    assert_error(vp_conn_cancel_jobs(NULL, 0), VP_ERR_INVALID_ARG, "conn");
    assert_ok(vp_domain_start(dom, 0));
    assert_state(dom, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_BOOTED);
    assert_int_equal(vp_conn_num_of_domains(conn), 1);
    assert_ok(vp_domain_destroy(dom, 0));
    assert_state(dom, VP_DOMAIN_SHUTOFF, VP_DOMAIN_SHUTOFF_DESTROYED);
    assert_int_equal(vp_conn_num_of_domains(conn), 0);
    /* A paused domain can be destroyed. */
    assert_ok(vp_domain_start(dom, 0));
    assert_ok(vp_domain_suspend(dom, 0));
    assert_ok(vp_domain_destroy(dom, 0));
    assert_state(dom, VP_DOMAIN_SHUTOFF, VP_DOMAIN_SHUTOFF_DESTROYED);
    assert_int_equal(vp_conn_num_of_domains(conn), 0);
    vp_domain_free(dom);
    vp_conn_close(conn);
}

/* The lifecycle flags libvirt has: start and create paused, a graceful
 * destroy, the ways a shutdown asks the guest. */
static void
test_lifecycle_flags(void **state)
{
    vp_conn *conn = open_default();
    vp_domain *dom = lookup(conn, "test");
    assert_ok(vp_domain_destroy(dom, VP_DOMAIN_DESTROY_GRACEFUL));
    assert_state(dom, VP_DOMAIN_SHUTOFF, VP_DOMAIN_SHUTOFF_DESTROYED);
    assert_ok(vp_domain_start(dom, VP_DOMAIN_START_PAUSED));
    assert_state(dom, VP_DOMAIN_PAUSED, VP_DOMAIN_PAUSED_USER);
    assert_ok(vp_domain_resume(dom, 0));
    assert_state(dom, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_UNPAUSED);
    const unsigned int modes[] = {VP_DOMAIN_SHUTDOWN_ACPI_POWER_BTN, VP_DOMAIN_SHUTDOWN_GUEST_AGENT,
                                  VP_DOMAIN_SHUTDOWN_ACPI_POWER_BTN |
                                      VP_DOMAIN_SHUTDOWN_GUEST_AGENT | VP_DOMAIN_SHUTDOWN_WAIT};
    for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
        assert_ok(vp_domain_shutdown(dom, modes[i]));
        assert_state(dom, VP_DOMAIN_SHUTOFF, VP_DOMAIN_SHUTOFF_SHUTDOWN);
        assert_ok(vp_domain_start(dom, 0));
    }
    /* A managed-save image of a running guest is restored paused. */
    assert_ok(vp_domain_managed_save(dom, 0));
    assert_ok(vp_domain_start(dom, VP_DOMAIN_START_PAUSED));
    assert_state(dom, VP_DOMAIN_PAUSED, VP_DOMAIN_PAUSED_USER);
    assert_int_equal(vp_domain_has_managed_save(dom, 0), 0);
    vp_domain_free(dom);
    vp_domain *t = NULL;
    assert_ok(vp_domain_create_xml(conn,
                                   "<domain type='test'><name>t2</name><memory>1024</memory>"
                                   "<os><type>hvm</type></os></domain>",
                                   VP_DOMAIN_START_PAUSED, &t));
    assert_state(t, VP_DOMAIN_PAUSED, VP_DOMAIN_PAUSED_USER);
    assert_error(vp_domain_create_xml(conn, "<domain/>", 2, NULL), VP_ERR_INVALID_ARG,
                 "'domain-create-xml'");
    vp_domain_free(t);
    vp_conn_close(conn);
}

static void
test_invalid_transitions(void **state)
{
    vp_conn *conn = open_default();
    vp_domain *dom = lookup(conn, "test");
    /* running */
    assert_error(vp_domain_start(dom, 0), VP_ERR_OPERATION_INVALID,
                 "domain 'test' is already running");
    assert_error(vp_domain_resume(dom, 0), VP_ERR_OPERATION_INVALID, "domain 'test' is not paused");
    assert_error(vp_domain_undefine(dom, 0), VP_ERR_OPERATION_INVALID,
                 "cannot undefine domain 'test': it is running");
    /* paused */
    assert_ok(vp_domain_suspend(dom, 0));
    assert_error(vp_domain_suspend(dom, 0), VP_ERR_OPERATION_INVALID,
                 "domain 'test' is already paused");
    assert_error(vp_domain_shutdown(dom, 0), VP_ERR_OPERATION_INVALID, "resume it first");
    assert_error(vp_domain_start(dom, 0), VP_ERR_OPERATION_INVALID, "already running");
    assert_error(vp_domain_undefine(dom, 0), VP_ERR_OPERATION_INVALID, "it is paused");
    assert_state(dom, VP_DOMAIN_PAUSED, VP_DOMAIN_PAUSED_USER);
    /* shut off */
    assert_ok(vp_domain_destroy(dom, 0));
    assert_error(vp_domain_destroy(dom, 0), VP_ERR_OPERATION_INVALID,
                 "domain 'test' is not running");
    assert_error(vp_domain_shutdown(dom, 0), VP_ERR_OPERATION_INVALID,
                 "domain 'test' is not running");
    assert_error(vp_domain_suspend(dom, 0), VP_ERR_OPERATION_INVALID,
                 "domain 'test' is not running");
    assert_error(vp_domain_resume(dom, 0), VP_ERR_OPERATION_INVALID,
                 "domain 'test' is not running");
    assert_state(dom, VP_DOMAIN_SHUTOFF, VP_DOMAIN_SHUTOFF_DESTROYED);
    vp_domain_free(dom);
    vp_conn_close(conn);
}

static void
test_unknown_flags(void **state)
{
    vp_conn *conn = open_default();
    vp_domain *dom = lookup(conn, "test");
    int (*const calls[])(vp_domain *, unsigned int) = {
        vp_domain_start,   vp_domain_shutdown, vp_domain_destroy,
        vp_domain_suspend, vp_domain_resume,   vp_domain_undefine,
    };
    for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
        assert_error(calls[i](dom, 0x100), VP_ERR_INVALID_ARG, "does not support flags 0x100");
    int st;
    assert_error(vp_domain_get_state(dom, &st, NULL, 1), VP_ERR_INVALID_ARG, "'domain-get-state'");
    char *xml = NULL;
    assert_error(vp_domain_get_xml(dom, 4, &xml), VP_ERR_INVALID_ARG, "'domain-get-xml'");
    assert_null(xml);
    assert_error(vp_domain_define_xml(conn, "<domain/>", 2, NULL), VP_ERR_INVALID_ARG,
                 "'domain-define-xml'");
    assert_state(dom, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_BOOTED); /* nothing happened */
    vp_domain_free(dom);
    vp_conn_close(conn);
}

/* A handle outlives the domain it names: calls answer "no domain". */
static void
test_stale_handle(void **state)
{
    vp_conn *conn = open_default();
    vp_domain *dom = lookup(conn, "test");
    assert_ok(vp_domain_destroy(dom, 0));
    assert_ok(vp_domain_undefine(dom, 0));
    assert_int_equal(vp_conn_num_of_domains(conn), 0);
    vp_domain **doms = NULL;
    assert_int_equal(vp_conn_list_domains(conn, 0, &doms), 0);
    assert_null(doms[0]);
    vp_domain_list_free(doms);
    int st = -1, reason = -1;
    assert_error(vp_domain_get_state(dom, &st, &reason, 0), VP_ERR_NO_DOMAIN,
                 "no domain named 'test'");
    assert_int_equal(st, -1); /* out-params untouched on failure */
    assert_int_equal(reason, -1);
    assert_error(vp_domain_start(dom, 0), VP_ERR_NO_DOMAIN, "no domain named 'test'");
    assert_error(vp_domain_undefine(dom, 0), VP_ERR_NO_DOMAIN, "no domain named 'test'");
    char *xml = NULL;
    assert_error(vp_domain_get_xml(dom, 0, &xml), VP_ERR_NO_DOMAIN, "'test'");
    vp_domain_free(dom);
    vp_conn_close(conn);
}

/* The connection stays alive while a domain handle holds it. */
static void
test_handle_keeps_conn(void **state)
{
    vp_conn *conn = open_default();
    vp_domain *dom = lookup(conn, "test");
    vp_conn_close(conn);
    assert_ok(vp_domain_suspend(dom, 0));
    assert_state(dom, VP_DOMAIN_PAUSED, VP_DOMAIN_PAUSED_USER);
    vp_domain_free(dom);
}

/* Each connection has its own in-memory host. */
static void
test_connections_are_separate(void **state)
{
    vp_conn *a = open_default();
    vp_conn *b = open_default();
    vp_domain *da = lookup(a, "test");
    assert_ok(vp_domain_destroy(da, 0));
    assert_ok(vp_domain_undefine(da, 0));
    assert_int_equal(vp_conn_num_of_domains(a), 0);
    assert_int_equal(vp_conn_num_of_domains(b), 1);
    vp_domain *db = lookup(b, "test");
    assert_state(db, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_BOOTED);
    vp_domain_free(da);
    vp_domain_free(db);
    vp_conn_close(a);
    vp_conn_close(b);
    /* A new connection starts from scratch. */
    vp_conn *c = open_default();
    vp_domain *dc = lookup(c, "test");
    assert_state(dc, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_BOOTED);
    vp_domain_free(dc);
    vp_conn_close(c);
}

static void
test_get_state_without_reason(void **state)
{
    vp_conn *conn = open_default();
    vp_domain *dom = lookup(conn, "test");
    int st = -1;
    assert_ok(vp_domain_get_state(dom, &st, NULL, 0));
    assert_int_equal(st, VP_DOMAIN_RUNNING);
    assert_null(vp_error_last());
    vp_domain_free(dom);
    vp_conn_close(conn);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_default),
        cmocka_unit_test(test_open_bad_uris),
        cmocka_unit_test(test_lookup_missing),
        cmocka_unit_test(test_lifecycle),
        cmocka_unit_test(test_lifecycle_flags),
        cmocka_unit_test(test_invalid_transitions),
        cmocka_unit_test(test_unknown_flags),
        cmocka_unit_test(test_stale_handle),
        cmocka_unit_test(test_handle_keeps_conn),
        cmocka_unit_test(test_connections_are_separate),
        cmocka_unit_test(test_get_state_without_reason),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
