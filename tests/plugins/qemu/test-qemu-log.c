/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-qemu-log.c: the cap on a domain's QEMU log (plugins/qemu/qemu-log.c)
 * with real QEMU: a log over log_max_bytes of qemu.conf keeps its end in
 * NAME.log.1 and starts over, at the start and at any later operation
 * while QEMU appends to it; undefine removes both files. QEMU's
 * guest-errors log is capped in place, keeping its end.
 */
#include <config.h>

#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include <virtplug/sdk/alloc.h>
#include <virtplug/sdk/services.h>
#include <virtplug/virtplug.h>

#include "qemu-test-qmp.h"
#include "qemu-test-util.h"

#define CAP 4096

static off_t
size_of(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? st.st_size : -1;
}

/* Append @n bytes of @c, and @marker last, to @path as QEMU does. */
static void
append(const char *path, char c, size_t n, const char *marker)
{
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0600);
    assert_true(fd >= 0);
    _cleanup_free_ char *buf = vp_new0(char, n);
    memset(buf, c, n);
    assert_int_equal(write(fd, buf, n), (ssize_t)n);
    assert_int_equal(write(fd, marker, strlen(marker)), (ssize_t)strlen(marker));
    close(fd);
}

static void
assert_ends_with(const char *path, const char *marker)
{
    _cleanup_free_ char *text = NULL;
    size_t size = 0;
    assert_int_equal(vp_plugin_file_read(path, 1 << 20, &text, &size), 0);
    assert_true(size >= strlen(marker));
    assert_string_equal(text + size - strlen(marker), marker);
}

/* qemu.conf: log_max_bytes = CAP. */
static void
set_cap(const qt_fixture *f)
{
    _cleanup_free_ char *conf = vp_asprintf("%s/config/qemu.conf", f->root);
    _cleanup_free_ char *text = vp_asprintf("log_max_bytes = %d\n", CAP);
    assert_int_equal(vp_plugin_file_write_atomic(conf, text, strlen(text), 0600), 0);
}

static void
test_log_capped(void **state)
{
    qt_fixture *f = *state;
    set_cap(f);
    _cleanup_free_ char *log = vp_asprintf("%s/run/dev.log", f->root);
    _cleanup_free_ char *old = vp_asprintf("%s/run/dev.log.1", f->root);
    /* A log a long life left, before the start. */
    append(log, 'a', 3 * CAP, "first-end\n");
    qt_start(f, "pc", NULL, NULL);
    assert_int_equal(size_of(old), CAP);
    assert_ends_with(old, "first-end\n");
    assert_true(size_of(log) < CAP);

    /* QEMU's appends go on at the new end; the next operation caps. */
    int st = -1, reason = -1;
    append(log, 'b', 2 * CAP, "second-end\n");
    qemu_monitor_close(VP_STEAL_PTR(f->mon));
    assert_int_equal(vp_domain_suspend(f->dom, 0), 0);
    assert_int_equal(size_of(log), 0);
    assert_ends_with(old, "second-end\n");
    assert_int_equal(size_of(old), CAP);
    /* Under the cap nothing moves. */
    append(log, 'c', 100, "small\n");
    assert_int_equal(vp_domain_resume(f->dom, 0), 0);
    assert_int_equal(vp_domain_get_state(f->dom, &st, &reason, 0), 0);
    assert_int_equal(st, VP_DOMAIN_RUNNING);
    assert_ends_with(log, "small\n");
    assert_ends_with(old, "second-end\n");

    assert_int_equal(vp_domain_destroy(f->dom, 0), 0);
    assert_int_equal(vp_domain_undefine(f->dom, 0), 0);
    vp_domain_free(VP_STEAL_PTR(f->dom));
    assert_int_equal(access(log, F_OK), -1);
    assert_int_equal(access(old, F_OK), -1);
}

/* QEMU's guest-errors log (written at QEMU's own offset, never appended)
 * is capped in place: its start becomes a hole, its size and its end (where
 * a panic leaves "Guest crashed") stay. */
static void
test_guest_errors_capped(void **state)
{
    qt_fixture *f = *state;
    set_cap(f);
    qt_start(f, "pc", NULL, NULL);
    _cleanup_free_ char *log = vp_asprintf("%s/run/dev.guest-errors", f->root);
    append(log, 'g', 64 * CAP, "Guest crashed");
    struct stat before, after;
    assert_int_equal(stat(log, &before), 0);
    qemu_monitor_close(VP_STEAL_PTR(f->mon));
    assert_int_equal(vp_domain_suspend(f->dom, 0), 0);
    assert_int_equal(stat(log, &after), 0);
    assert_int_equal(after.st_size, before.st_size);
    assert_true(after.st_blocks * 512 <= 2 * CAP + 4096);
    assert_true(after.st_blocks < before.st_blocks);
    assert_ends_with(log, "gggGuest crashed");
    assert_int_equal(vp_domain_destroy(f->dom, 0), 0);
    assert_int_equal(vp_domain_undefine(f->dom, 0), 0);
    vp_domain_free(VP_STEAL_PTR(f->dom));
    assert_int_equal(access(log, F_OK), -1);
}

int
main(int argc, char **argv)
{
    (void)argc;
    const struct CMUnitTest tests[] = {
        QT_DEVICE_TEST(test_log_capped),
        QT_DEVICE_TEST(test_guest_errors_capped),
    };
    return qt_device_tests_main(argv, tests, sizeof(tests) / sizeof(tests[0]));
}
