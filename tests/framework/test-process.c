/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-process.c: process identities (framework/util/process.c): a live
 * process is recognised, a token whose pid now belongs to another process
 * (simulated by a wrong start time or another boot) is not, a signal never
 * reaches a process that is not the recorded one, waits end when the
 * process goes, and identities and pidfiles read back.
 */
#include <config.h>

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test-services-common.h"

/* A child that sleeps until killed. */
static pid_t
sleeper(void)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        for (;;)
            pause();
    }
    return pid;
}

static void
reap(pid_t pid)
{
    kill(pid, SIGKILL);
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
        ;
}

static void
test_identify_and_alive(void **state)
{
    (void)state;
    vp_plugin_process self;
    assert_int_equal(vp_plugin_process_identify(getpid(), &self), 0);
    assert_int_equal(self.pid, getpid());
    assert_true(self.start_time > 0);
    assert_true(vp_plugin_process_is_alive(&self));

    /* The same pid with another start time: the pid was reused. */
    vp_plugin_process reused = self;
    reused.start_time += 1;
    assert_false(vp_plugin_process_is_alive(&reused));
    reused.start_time = self.start_time - 1;
    assert_false(vp_plugin_process_is_alive(&reused));
    /* The same pid and start time in another boot. */
    if (self.boot_id[0]) {
        vp_plugin_process other_boot = self;
        other_boot.boot_id[0] = other_boot.boot_id[0] == '0' ? '1' : '0';
        assert_false(vp_plugin_process_is_alive(&other_boot));
    }
    /* A token without a boot id still compares pid and start time. */
    vp_plugin_process no_boot = self;
    no_boot.boot_id[0] = '\0';
    assert_true(vp_plugin_process_is_alive(&no_boot));

    vp_plugin_process none = {0};
    assert_false(vp_plugin_process_is_alive(&none));
    assert_false(vp_plugin_process_is_alive(NULL));
}

static void
test_gone_and_zombie(void **state)
{
    (void)state;
    pid_t pid = sleeper();
    vp_plugin_process p;
    assert_int_equal(vp_plugin_process_identify(pid, &p), 0);
    assert_true(vp_plugin_process_is_alive(&p));
    assert_false(vp_plugin_process_wait_gone(&p, 50));
    kill(pid, SIGKILL);
    /* Not reaped yet: a zombie is gone too. */
    assert_true(vp_plugin_process_wait_gone(&p, 10000));
    assert_false(vp_plugin_process_is_alive(&p));
    svc_assert_error(vp_plugin_process_identify(pid, &p), VP_ERR_OPERATION_INVALID, "not running");
    reap(pid);
    svc_assert_error(vp_plugin_process_identify(pid, &p), VP_ERR_OPERATION_INVALID, "not running");
    assert_false(vp_plugin_process_is_alive(&p));
    assert_true(vp_plugin_process_wait_gone(&p, 0));
}

/* The child's second thread: it waits for the end of the pipe. */
static void *
wait_for_eof(void *arg)
{
    char c;
    while (read(*(int *)arg, &c, 1) != 0)
        ;
    return NULL;
}

/* /proc/PID/stat's state letter, or 0. */
static char
proc_state(pid_t pid)
{
    char path[64], buf[512];
    snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    const char *p = strrchr(buf, ')');
    return p && p[1] == ' ' ? p[2] : 0;
}

/* A killed QEMU's leader thread is a zombie while its other threads still
 * tear down and hold its files (its image locks): it is not gone yet. */
static void
test_zombie_leader_with_threads(void **state)
{
    (void)state;
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[1]);
        pthread_t t;
        if (pthread_create(&t, NULL, wait_for_eof, &fds[0]) != 0)
            _exit(1);
        pthread_exit(NULL); /* the leader ends, the other thread runs on */
    }
    close(fds[0]);
    vp_plugin_process p;
    assert_int_equal(vp_plugin_process_identify(pid, &p), 0);
    for (int i = 0; i < 10000 && proc_state(pid) != 'Z'; i++)
        usleep(1000);
    assert_int_equal(proc_state(pid), 'Z');
    assert_true(vp_plugin_process_is_alive(&p));
    assert_false(vp_plugin_process_wait_gone(&p, 50));
    close(fds[1]); /* the last thread ends: now the process is gone */
    assert_true(vp_plugin_process_wait_gone(&p, 10000));
    assert_false(vp_plugin_process_is_alive(&p));
    reap(pid);
}

static void
test_signal_only_the_recorded_process(void **state)
{
    (void)state;
    pid_t pid = sleeper();
    vp_plugin_process p;
    assert_int_equal(vp_plugin_process_identify(pid, &p), 0);

    /* A token of the same pid that is not this process: nothing is sent. */
    vp_plugin_process impostor = p;
    impostor.start_time += 7;
    assert_int_equal(vp_plugin_process_signal(&impostor, SIGKILL), 0);
    assert_false(vp_plugin_process_wait_gone(&p, 100));
    assert_int_equal(waitpid(pid, NULL, WNOHANG), 0);

    assert_int_equal(vp_plugin_process_signal(&p, 0), 1);
    assert_int_equal(vp_plugin_process_signal(&p, SIGTERM), 1);
    assert_true(vp_plugin_process_wait_gone(&p, 10000));
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGTERM);
    assert_int_equal(vp_plugin_process_signal(&p, SIGKILL), 0);
    svc_assert_error(vp_plugin_process_signal(NULL, SIGKILL), VP_ERR_INVALID_ARG, "proc");
}

static void
test_format_and_parse(void **state)
{
    (void)state;
    vp_plugin_process self, back;
    assert_int_equal(vp_plugin_process_identify(getpid(), &self), 0);
    char buf[VP_PLUGIN_PROCESS_STRLEN];
    vp_plugin_process_format(&self, buf);
    assert_int_equal(vp_plugin_process_parse(buf, &back), 0);
    assert_int_equal(back.pid, self.pid);
    assert_true(back.start_time == self.start_time);
    assert_string_equal(back.boot_id, self.boot_id);
    assert_true(vp_plugin_process_is_alive(&back));

    assert_int_equal(vp_plugin_process_parse("4242:99:", &back), 0);
    assert_int_equal(back.pid, 4242);
    assert_true(back.start_time == 99);
    assert_string_equal(back.boot_id, "");
    vp_plugin_process_format(&back, buf);
    assert_string_equal(buf, "4242:99:");

    const char *bad[] = {"",      "4242",   "4242:",   "x:1:",  "-1:5:", "0:5:",
                         "12:x:", "1:2:zz", "1:2:3:4", " 1:2:", "1:-2:", NULL};
    for (const char *const *b = bad; *b; b++) {
        svc_assert_error(vp_plugin_process_parse(*b, &back), VP_ERR_INVALID_ARG,
                         "invalid process identity", "PID:START_TIME:BOOT_ID");
    }
}

static void
test_read_pidfile(void **state)
{
    (void)state;
    _cleanup_free_ char *path = vp_asprintf("%s/x.pid", svc_tmpdir);
    vp_plugin_process p, self;
    assert_int_equal(vp_plugin_process_identify(getpid(), &self), 0);
    _cleanup_free_ char *text = vp_asprintf("%d\n", (int)getpid());
    assert_int_equal(vp_plugin_file_write_atomic(path, text, strlen(text), 0644), 0);
    assert_int_equal(vp_plugin_process_read_pidfile(path, &p), 0);
    assert_int_equal(p.pid, getpid());
    assert_true(p.start_time == self.start_time);

    const char *bad[] = {"", "\n", "abc\n", "12abc\n", "-5\n", "0\n", "1 2\n", NULL};
    for (const char *const *b = bad; *b; b++) {
        assert_int_equal(vp_plugin_file_write_atomic(path, *b, strlen(*b), 0644), 0);
        svc_assert_error(vp_plugin_process_read_pidfile(path, &p), VP_ERR_INVALID_ARG,
                         "holds no pid", path);
    }
    pid_t pid = sleeper();
    reap(pid);
    _cleanup_free_ char *dead = vp_asprintf("%d", (int)pid);
    assert_int_equal(vp_plugin_file_write_atomic(path, dead, strlen(dead), 0644), 0);
    svc_assert_error(vp_plugin_process_read_pidfile(path, &p), VP_ERR_OPERATION_INVALID,
                     "not running");
    _cleanup_free_ char *missing = vp_asprintf("%s/missing.pid", svc_tmpdir);
    svc_assert_error(vp_plugin_process_read_pidfile(missing, &p), VP_ERR_SYSTEM, missing);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_identify_and_alive),
        cmocka_unit_test(test_gone_and_zombie),
        cmocka_unit_test(test_zombie_leader_with_threads),
        cmocka_unit_test(test_signal_only_the_recorded_process),
        cmocka_unit_test(test_format_and_parse),
        cmocka_unit_test(test_read_pidfile),
    };
    return cmocka_run_group_tests(tests, svc_setup, svc_teardown);
}
