/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-paths.c: the persistent state directory of a driver instance
 * (vp_plugin_state_dir, framework/util/paths.c): where each URI keeps
 * its state, the override, that the qemu driver's directories are kept,
 * and URI paths that would leave the directory.
 */
#include <config.h>

#include <sys/stat.h>
#include <unistd.h>

#include "test-services-common.h"
#include "uri.h"

/* The state directory of @uri_text, or NULL with the error set. */
static char *
state_dir_of(const char *uri_text, int *ret_code)
{
    vpi_uri *uri = NULL;
    assert_int_equal(vpi_uri_parse(uri_text, &uri), 0);
    char *dir = NULL;
    *ret_code = vp_plugin_state_dir(uri, &dir);
    vpi_uri_free(uri);
    return dir;
}

static void
assert_state_dir(const char *uri_text, const char *want)
{
    int r;
    _cleanup_free_ char *dir = state_dir_of(uri_text, &r);
    if (r < 0)
        fail_msg("%s: %s", uri_text, vp_error_last()->message);
    assert_string_equal(dir, want);
    struct stat st;
    assert_int_equal(stat(dir, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    assert_int_equal(st.st_mode & 0777, 0700);
}

static void
test_override(void **state)
{
    (void)state;
    _cleanup_free_ char *base = vp_asprintf("%s/state", svc_tmpdir);
    setenv("VIRTPLUG_STATE_DIR", base, 1);
    _cleanup_free_ char *qemu = vp_asprintf("%s/qemu", base);
    assert_state_dir("qemu:///system", qemu);
    assert_state_dir("qemu:///session", qemu);
    _cleanup_free_ char *procvm = vp_asprintf("%s/procvm", base);
    assert_state_dir("procvm:///", procvm);
    _cleanup_free_ char *deep = vp_asprintf("%s/procvm/default/inner", base);
    assert_state_dir("procvm:///default/inner", deep);
    unsetenv("VIRTPLUG_STATE_DIR");
}

/* qemu:///session keeps the directory the qemu driver always used. */
static void
test_session_matches_the_qemu_driver(void **state)
{
    (void)state;
    unsetenv("VIRTPLUG_STATE_DIR");
    _cleanup_free_ char *xdg = vp_asprintf("%s/xdg", svc_tmpdir);
    setenv("XDG_CONFIG_HOME", xdg, 1);
    _cleanup_free_ char *want = vp_asprintf("%s/virtplug/qemu", xdg);
    assert_state_dir("qemu:///session", want);
    unsetenv("XDG_CONFIG_HOME");
    _cleanup_free_ char *home = vp_asprintf("%s/home", svc_tmpdir);
    char *old_home = vp_strdup(secure_getenv("HOME"));
    setenv("HOME", home, 1);
    _cleanup_free_ char *want_home = vp_asprintf("%s/.config/virtplug/qemu", home);
    assert_state_dir("qemu:///session", want_home);
    unsetenv("HOME");
    int r;
    char *none = state_dir_of("qemu:///session", &r);
    assert_null(none);
    svc_assert_error(r, VP_ERR_SYSTEM, "XDG_CONFIG_HOME", "VIRTPLUG_STATE_DIR");
    if (old_home)
        setenv("HOME", old_home, 1);
    free(old_home);
}

static void
test_paths_that_leave_the_directory(void **state)
{
    (void)state;
    _cleanup_free_ char *base = vp_asprintf("%s/state2", svc_tmpdir);
    setenv("VIRTPLUG_STATE_DIR", base, 1);
    int r;
    char *dir = state_dir_of("procvm:///../../etc", &r);
    assert_null(dir);
    svc_assert_error(r, VP_ERR_INVALID_ARG, "invalid URI path component '..'");
    dir = state_dir_of("procvm:///a/./b", &r);
    assert_null(dir);
    svc_assert_error(r, VP_ERR_INVALID_ARG, "invalid URI path component '.'");
    dir = state_dir_of("procvm:///a%0Ab", &r);
    assert_null(dir);
    svc_assert_error(r, VP_ERR_INVALID_ARG, "0x0a");
    /* Nothing was created outside the base. */
    struct stat st;
    _cleanup_free_ char *outside = vp_asprintf("%s/etc", svc_tmpdir);
    assert_int_equal(stat(outside, &st), -1);
    svc_assert_error(vp_plugin_state_dir(NULL, &dir), VP_ERR_INVALID_ARG, "uri");
    unsetenv("VIRTPLUG_STATE_DIR");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_override),
        cmocka_unit_test(test_session_matches_the_qemu_driver),
        cmocka_unit_test(test_paths_that_leave_the_directory),
    };
    return cmocka_run_group_tests(tests, svc_setup, svc_teardown);
}
