/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-test-driver-guest-fs.c: filesystem freeze and thaw in the test
 * driver (framework/builtin/test/test-guests.c) through the public API,
 * counted as libvirt's test driver counts them ("/" and "/boot"), the
 * core's argument checks, and the guest power calls the test driver
 * leaves unsupported as libvirt's does.
 */
#include <config.h>

#include "test-test-driver-common.h"

/* Freeze counts what this call froze, thaw what it thawed. */
static void
test_freeze_thaw_counts(void **state)
{
    vp_conn *conn = open_default();
    vp_domain *dom = lookup(conn, "test");
    const char *root[] = {"/"}, *boot[] = {"/boot"}, *both[] = {"/", "/boot", "/"};
    assert_int_equal(vp_domain_fs_thaw(dom, NULL, 0, 0), 0);
    assert_int_equal(vp_domain_fs_freeze(dom, root, 1, 0), 1);
    assert_int_equal(vp_domain_fs_freeze(dom, NULL, 0, 0), 1);
    assert_int_equal(vp_domain_fs_freeze(dom, both, 3, 0), 0);
    assert_int_equal(vp_domain_fs_thaw(dom, boot, 1, 0), 1);
    assert_int_equal(vp_domain_fs_thaw(dom, NULL, 0, 0), 1);
    assert_int_equal(vp_domain_fs_freeze(dom, both, 3, 0), 2);
    assert_int_equal(vp_domain_fs_thaw(dom, both, 3, 0), 2);
    /* A paused domain's guest can be frozen, as libvirt's test driver. */
    assert_ok(vp_domain_suspend(dom, 0));
    assert_int_equal(vp_domain_fs_freeze(dom, NULL, 0, 0), 2);
    assert_int_equal(vp_domain_fs_thaw(dom, NULL, 0, 0), 2);
    assert_ok(vp_domain_resume(dom, 0));
    vp_domain_free(dom);
    vp_conn_close(conn);
}

/* An unknown mount point changes nothing; a shut-off domain, bad
 * arguments and flags are refused naming what was wrong. */
static void
test_freeze_refusals(void **state)
{
    vp_conn *conn = open_default();
    vp_domain *dom = lookup(conn, "test");
    const char *bad[] = {"/", "/nosuch"}, *empty[] = {""};
    assert_error(vp_domain_fs_freeze(dom, bad, 2, 0), VP_ERR_OPERATION_INVALID,
                 "mount point not found: /nosuch");
    assert_int_equal(vp_domain_fs_thaw(dom, NULL, 0, 0), 0); /* "/" was not frozen */
    assert_error(vp_domain_fs_thaw(dom, bad, 2, 0), VP_ERR_OPERATION_INVALID, "/nosuch");
    assert_error(vp_domain_fs_freeze(dom, empty, 1, 0), VP_ERR_INVALID_ARG, "mount point 1");
    assert_error(vp_domain_fs_freeze(dom, NULL, 2, 0), VP_ERR_INVALID_ARG, "no list");
    assert_error(vp_domain_fs_freeze(dom, NULL, 0, 1), VP_ERR_INVALID_ARG, "flags");
    assert_ok(vp_domain_destroy(dom, 0));
    assert_error(vp_domain_fs_freeze(dom, NULL, 0, 0), VP_ERR_OPERATION_INVALID, "not running");
    assert_error(vp_domain_fs_thaw(dom, NULL, 0, 0), VP_ERR_OPERATION_INVALID, "not running");
    vp_domain_free(dom);
    vp_conn_close(conn);
}

/* libvirt's test driver has no guest power management: neither has this
 * one; the core checks the arguments first. */
static void
test_pm_unsupported(void **state)
{
    vp_conn *conn = open_default();
    vp_domain *dom = lookup(conn, "test");
    assert_error(vp_domain_pm_suspend_for_duration(dom, VP_NODE_SUSPEND_TARGET_MEM, 0, 0),
                 VP_ERR_NOT_SUPPORTED, "domain-pm-suspend");
    assert_error(vp_domain_pm_wakeup(dom, 0), VP_ERR_NOT_SUPPORTED, "domain-pm-wakeup");
    assert_error(vp_domain_pm_suspend_for_duration(dom, VP_NODE_SUSPEND_TARGET_MEM, 60, 0),
                 VP_ERR_INVALID_ARG, "60 s");
    assert_error(vp_domain_pm_suspend_for_duration(dom, 7, 0, 0), VP_ERR_INVALID_ARG, "target 7");
    assert_error(vp_domain_pm_wakeup(dom, 2), VP_ERR_INVALID_ARG, "flags");
    vp_domain_free(dom);
    vp_conn_close(conn);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_freeze_thaw_counts),
        cmocka_unit_test(test_freeze_refusals),
        cmocka_unit_test(test_pm_unsupported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
