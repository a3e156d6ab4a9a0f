/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-lock.c: lock files (framework/util/lock.c): two processes and two
 * threads exclude each other, a killed holder frees the lock, the busy
 * message names what is locked, and a lock file removed while held never
 * lets two holders meet.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test-services-common.h"

static char *
lock_path(void)
{
    return vp_asprintf("%s/web.lock", svc_tmpdir);
}

/* A child process that takes the lock (waiting without limit), writes
 * 'L' to @ret_report once it holds it, and keeps it until @ret_release
 * reads end of file. It first closes @inherited, a lock of this process:
 * a forked child shares the locks of the descriptors it inherits. */
static pid_t
holder_start(const char *path, int inherited, int *ret_report, int *ret_release)
{
    int report[2], release[2];
    assert_int_equal(pipe(report), 0);
    assert_int_equal(pipe(release), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(report[0]);
        close(release[1]);
        vp_plugin_lock_release(inherited);
        int fd = -1;
        if (vp_plugin_lock_acquire(path, "domain 'web'", -1, &fd) < 0)
            _exit(2);
        if (write(report[1], "L", 1) != 1)
            _exit(3);
        char c;
        while (read(release[0], &c, 1) > 0)
            ;
        vp_plugin_lock_release(fd);
        _exit(0);
    }
    close(report[1]);
    close(release[0]);
    *ret_report = report[0];
    *ret_release = release[1];
    return pid;
}

/* Whether the holder reported the lock within @timeout_ms. */
static bool
holder_locked(int report_fd, int timeout_ms)
{
    struct pollfd p = {.fd = report_fd, .events = POLLIN};
    if (poll(&p, 1, timeout_ms) != 1)
        return false;
    char c = 0;
    return read(report_fd, &c, 1) == 1 && c == 'L';
}

static void
holder_finish(pid_t pid, int report_fd, int release_fd)
{
    close(release_fd);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    close(report_fd);
}

static void
test_two_processes_contend(void **state)
{
    (void)state;
    _cleanup_free_ char *path = lock_path();
    int report, release;
    pid_t pid = holder_start(path, -1, &report, &release);
    assert_true(holder_locked(report, 10000));

    int fd = -1;
    assert_int_equal(vp_plugin_lock_try(path, &fd), 0);
    assert_int_equal(fd, -1);
    svc_assert_error(vp_plugin_lock_acquire(path, "domain 'web'", 30, &fd),
                     VP_ERR_OPERATION_IN_PROGRESS, "domain 'web' is busy with another operation",
                     "try again later");
    svc_assert_error(vp_plugin_lock_acquire(path, NULL, 0, &fd), VP_ERR_OPERATION_IN_PROGRESS,
                     path);

    holder_finish(pid, report, release);
    assert_int_equal(vp_plugin_lock_acquire(path, "domain 'web'", 10000, &fd), 0);
    assert_true(fd >= 0);
    assert_int_equal(fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
    /* Now the other way round: the child waits for this process. */
    pid = holder_start(path, fd, &report, &release);
    assert_false(holder_locked(report, 100));
    vp_plugin_lock_release(fd);
    assert_true(holder_locked(report, 10000));
    holder_finish(pid, report, release);
}

static void
test_killed_holder_frees_the_lock(void **state)
{
    (void)state;
    _cleanup_free_ char *path = lock_path();
    int report, release;
    pid_t pid = holder_start(path, -1, &report, &release);
    assert_true(holder_locked(report, 10000));
    kill(pid, SIGKILL);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    close(report);
    close(release);
    int fd = -1;
    assert_int_equal(vp_plugin_lock_try(path, &fd), 1);
    vp_plugin_lock_release(fd);
}

typedef struct thread_arg {
    const char *path;
    int result;
    int fd;
} thread_arg;

static void *
thread_try(void *p)
{
    thread_arg *a = p;
    a->result = vp_plugin_lock_try(a->path, &a->fd);
    return NULL;
}

static void
test_two_threads_contend(void **state)
{
    (void)state;
    _cleanup_free_ char *path = lock_path();
    int fd = -1;
    assert_int_equal(vp_plugin_lock_try(path, &fd), 1);
    thread_arg a = {.path = path, .fd = -1};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, thread_try, &a), 0);
    pthread_join(t, NULL);
    assert_int_equal(a.result, 0);
    /* Even this same thread cannot take it twice: each call is a new holder. */
    int again = -1;
    assert_int_equal(vp_plugin_lock_try(path, &again), 0);
    vp_plugin_lock_release(fd);
    assert_int_equal(pthread_create(&t, NULL, thread_try, &a), 0);
    pthread_join(t, NULL);
    assert_int_equal(a.result, 1);
    vp_plugin_lock_release(a.fd);
}

/* The holder removes the lock file (undefine does) while another process
 * waits on it, then takes the lock on the new file at that path. The
 * waiter got the removed file's lock but must not count it: it may hold
 * the lock only after the new file's holder lets go. */
static void
test_removed_while_held(void **state)
{
    (void)state;
    _cleanup_free_ char *path = lock_path();
    int old_fd = -1;
    assert_int_equal(vp_plugin_lock_try(path, &old_fd), 1);
    int report, release;
    pid_t pid = holder_start(path, old_fd, &report, &release);
    assert_false(holder_locked(report, 100));

    assert_int_equal(unlink(path), 0);
    int new_fd = -1;
    assert_int_equal(vp_plugin_lock_try(path, &new_fd), 1);
    vp_plugin_lock_release(old_fd);
    /* The waiter now locks the removed file at once, finds it removed and
     * waits on the new one. */
    assert_false(holder_locked(report, 300));
    vp_plugin_lock_release(new_fd);
    assert_true(holder_locked(report, 10000));
    holder_finish(pid, report, release);
}

static void
test_refuses_what_is_not_a_lock_file(void **state)
{
    (void)state;
    _cleanup_free_ char *link = vp_asprintf("%s/link.lock", svc_tmpdir);
    _cleanup_free_ char *target = vp_asprintf("%s/target", svc_tmpdir);
    assert_int_equal(symlink(target, link), 0);
    int fd = -1;
    svc_assert_error(vp_plugin_lock_try(link, &fd), VP_ERR_SYSTEM, "cannot open lock file", link);
    struct stat st;
    assert_int_equal(lstat(target, &st), -1); /* never created through the link */
    _cleanup_free_ char *dir = vp_asprintf("%s/nowhere/x.lock", svc_tmpdir);
    svc_assert_error(vp_plugin_lock_acquire(dir, "domain 'x'", 0, &fd), VP_ERR_SYSTEM, dir);
    svc_assert_error(vp_plugin_lock_acquire(NULL, "x", 0, &fd), VP_ERR_INVALID_ARG, "path");
    svc_assert_error(vp_plugin_lock_acquire(link, "x", -2, &fd), VP_ERR_INVALID_ARG, "timeout_ms");
    vp_plugin_lock_release(-1);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_processes_contend),
        cmocka_unit_test(test_killed_holder_frees_the_lock),
        cmocka_unit_test(test_two_threads_contend),
        cmocka_unit_test(test_removed_while_held),
        cmocka_unit_test(test_refuses_what_is_not_a_lock_file),
    };
    return cmocka_run_group_tests(tests, svc_setup, svc_teardown);
}
