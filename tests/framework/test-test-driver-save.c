/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-test-driver-save.c: save, restore and managed save in the test
 * driver (framework/builtin/test/test-save.c), through the public API:
 * states and reasons, the image file on disk, the files a save refuses to
 * replace, damaged images, --running/--paused, managed save with start
 * and undefine, and the core's argument checks.
 */
#include <config.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test-test-driver-common.h"

static char dir[] = "/tmp/vp-save-test.XXXXXX";

static int
setup(void **state)
{
    return mkdtemp(dir) ? 0 : -1;
}

static int
teardown(void **state)
{
    return rmdir(dir); /* each test removes its files */
}

static char *
path_of(const char *name)
{
    char *p = NULL;
    assert_true(asprintf(&p, "%s/%s", dir, name) > 0);
    return p;
}

static void
write_file(const char *path, const char *data, size_t len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, data, len), (ssize_t)len);
    close(fd);
}

/* Save writes a whole image, shuts the domain off (saved); restore runs it
 * again (restored) and leaves the image. */
static void
test_save_restore(void **state)
{
    vp_conn *conn = open_default();
    vp_domain *dom = lookup(conn, "test");
    char *img = path_of("img");
    unlink(img);
    assert_ok(vp_domain_save(dom, img, 0));
    assert_state(dom, VP_DOMAIN_SHUTOFF, VP_DOMAIN_SHUTOFF_SAVED);
    struct stat st;
    assert_int_equal(stat(img, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    char head[17] = "";
    int fd = open(img, O_RDONLY);
    assert_int_equal(read(fd, head, 16), 16);
    close(fd);
    assert_string_equal(head, "VirtplugTestSave");
    /* Not running: nothing to save. */
    assert_error(vp_domain_save(dom, img, 0), VP_ERR_OPERATION_INVALID,
                 "cannot save domain 'test': it is not running");
    vp_domain *back = NULL;
    assert_ok(vp_domain_restore(conn, img, 0, &back));
    assert_string_equal(vp_domain_get_name(back), "test");
    assert_state(dom, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_RESTORED);
    assert_int_equal(vp_domain_is_persistent(dom), 1);
    assert_int_equal(access(img, F_OK), 0);
    assert_error(vp_domain_restore(conn, img, 0, NULL), VP_ERR_OPERATION_INVALID,
                 "domain 'test' is already active");
    /* An image is replaced by the next save to the same path. */
    assert_ok(vp_domain_save(dom, img, 0));
    assert_ok(vp_domain_restore(conn, img, 0, NULL));
    unlink(img);
    free(img);
    vp_domain_free(back);
    vp_domain_free(dom);
    vp_conn_close(conn);
}

/* The state a restore gives: the saved one, or the flag's. */
static void
test_restore_state_flags(void **state)
{
    vp_conn *conn = open_default();
    vp_domain *dom = lookup(conn, "test");
    char *img = path_of("img");
    unlink(img);
    assert_ok(vp_domain_suspend(dom, 0));
    assert_ok(vp_domain_save(dom, img, 0));
    assert_ok(vp_domain_restore(conn, img, 0, NULL));
    assert_state(dom, VP_DOMAIN_PAUSED, VP_DOMAIN_PAUSED_USER);
    assert_ok(vp_domain_destroy(dom, 0));
    assert_ok(vp_domain_restore(conn, img, VP_DOMAIN_SAVE_RUNNING, NULL));
    assert_state(dom, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_RESTORED);
    /* A running domain saved with PAUSED comes back paused. */
    assert_ok(vp_domain_save(dom, img, VP_DOMAIN_SAVE_PAUSED));
    assert_ok(vp_domain_restore(conn, img, 0, NULL));
    assert_state(dom, VP_DOMAIN_PAUSED, VP_DOMAIN_PAUSED_USER);
    assert_error(vp_domain_restore(conn, img, VP_DOMAIN_SAVE_RUNNING | VP_DOMAIN_SAVE_PAUSED, NULL),
                 VP_ERR_INVALID_ARG, "mutually exclusive");
    assert_error(vp_domain_save(dom, img, 1u << 8), VP_ERR_INVALID_ARG, "unsupported flags 0x100");
    assert_error(vp_domain_save(dom, "", 0), VP_ERR_INVALID_ARG, "no file given");
    unlink(img);
    free(img);
    vp_domain_free(dom);
    vp_conn_close(conn);
}

/* A save never replaces a file that is not an image; a damaged or
 * truncated image is refused by restore. */
static void
test_refusals(void **state)
{
    vp_conn *conn = open_default();
    vp_domain *dom = lookup(conn, "test");
    char *other = path_of("other"), *img = path_of("img");
    write_file(other, "precious data", 13);
    assert_error(vp_domain_save(dom, other, 0), VP_ERR_EXISTS, "is not a save image");
    assert_state(dom, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_BOOTED);
    char buf[32] = "";
    int fd = open(other, O_RDONLY);
    assert_int_equal(read(fd, buf, sizeof(buf)), 13);
    close(fd);
    assert_string_equal(buf, "precious data");
    assert_error(vp_domain_restore(conn, other, 0, NULL), VP_ERR_INVALID_ARG,
                 "is not a save image of the test driver");
    assert_error(vp_domain_restore(conn, dir, 0, NULL), VP_ERR_INVALID_ARG,
                 "is not a regular file");
    /* A truncated image. */
    unlink(img);
    assert_ok(vp_domain_save(dom, img, 0));
    assert_int_equal(truncate(img, 40), 0);
    assert_error(vp_domain_restore(conn, img, 0, NULL), VP_ERR_INVALID_ARG,
                 "is damaged or incomplete");
    assert_state(dom, VP_DOMAIN_SHUTOFF, VP_DOMAIN_SHUTOFF_SAVED);
    unlink(img);
    unlink(other);
    free(img);
    free(other);
    vp_domain_free(dom);
    vp_conn_close(conn);
}

/* An undefined domain comes back transient; a defined one keeps its
 * definition for the next start. */
static void
test_restore_undefined(void **state)
{
    vp_conn *conn = open_default();
    vp_domain *dom = lookup(conn, "test");
    char *img = path_of("img");
    unlink(img);
    assert_ok(vp_domain_save(dom, img, 0));
    assert_ok(vp_domain_undefine(dom, 0));
    vp_domain *back = NULL;
    assert_ok(vp_domain_restore(conn, img, 0, &back));
    assert_int_equal(vp_domain_is_persistent(back), 0);
    assert_ok(vp_domain_destroy(back, 0));
    vp_domain *gone = NULL;
    assert_error(vp_domain_lookup_by_name(conn, "test", &gone), VP_ERR_NO_DOMAIN, "test");
    unlink(img);
    free(img);
    vp_domain_free(back);
    vp_domain_free(dom);
    vp_conn_close(conn);
}

/* Managed save: start restores and drops the image; undefine refuses
 * while one exists unless told to remove it. */
static void
test_managed_save(void **state)
{
    vp_conn *conn = open_default();
    vp_domain *dom = lookup(conn, "test");
    assert_int_equal(vp_domain_has_managed_save(dom, 0), 0);
    assert_ok(vp_domain_suspend(dom, 0));
    assert_ok(vp_domain_managed_save(dom, 0));
    assert_state(dom, VP_DOMAIN_SHUTOFF, VP_DOMAIN_SHUTOFF_SAVED);
    assert_int_equal(vp_domain_has_managed_save(dom, 0), 1);
    assert_ok(vp_domain_start(dom, 0));
    assert_state(dom, VP_DOMAIN_PAUSED, VP_DOMAIN_PAUSED_USER);
    assert_int_equal(vp_domain_has_managed_save(dom, 0), 0);
    assert_ok(vp_domain_managed_save(dom, VP_DOMAIN_SAVE_RUNNING));
    assert_error(vp_domain_undefine(dom, 0), VP_ERR_OPERATION_INVALID,
                 "it has a managed-save image");
    assert_ok(vp_domain_managed_save_remove(dom, 0));
    assert_ok(vp_domain_managed_save_remove(dom, 0)); /* none: not an error */
    assert_ok(vp_domain_start(dom, 0));
    assert_state(dom, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_BOOTED);
    assert_ok(vp_domain_managed_save(dom, 0));
    assert_ok(vp_domain_undefine(dom, VP_DOMAIN_UNDEFINE_MANAGED_SAVE));
    vp_domain_free(dom);
    vp_conn_close(conn);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_save_restore), cmocka_unit_test(test_restore_state_flags),
        cmocka_unit_test(test_refusals),     cmocka_unit_test(test_restore_undefined),
        cmocka_unit_test(test_managed_save),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
