/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-spawn.c: detached daemons (framework/util/spawn.c): the daemon
 * outlives the process that started it, is nobody's child there, has its
 * own session, the pidfile names it, its output goes to the log and it
 * inherits no descriptor; exec failures are reported and leave no
 * pidfile; a pidfile that cannot be written means the program never runs.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test-services-common.h"

/* Fields 4 (ppid) and 6 (session) of /proc/PID/stat. */
static void
proc_parent_and_session(pid_t pid, long *ret_ppid, long *ret_sid)
{
    _cleanup_free_ char *path = vp_asprintf("/proc/%d/stat", (int)pid);
    _cleanup_free_ char *text = NULL;
    assert_int_equal(vp_plugin_file_read(path, 4096, &text, NULL), 0);
    const char *p = strrchr(text, ')');
    assert_non_null(p);
    char state;
    long pgrp;
    assert_int_equal(sscanf(p + 2, "%c %ld %ld %ld", &state, ret_ppid, &pgrp, ret_sid), 4);
}

/* No child of this process exists, not even a zombie. */
static void
assert_no_children(void)
{
    errno = 0;
    assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
    assert_int_equal(errno, ECHILD);
}

static void
kill_daemon(const vp_plugin_process *p)
{
    assert_int_equal(vp_plugin_process_signal(p, SIGKILL), 1);
    assert_true(vp_plugin_process_wait_gone(p, 10000));
}

/* The daemon survives the process that started it. */
static void
test_daemon_outlives_its_parent(void **state)
{
    (void)state;
    /* No heap memory lives across the fork: the child ends with _exit(),
     * and valgrind counts what it never freed. */
    char pidfile[128];
    snprintf(pidfile, sizeof(pidfile), "%s/sleep.pid", svc_tmpdir);
    int report[2];
    assert_int_equal(pipe(report), 0);
    pid_t parent = fork();
    assert_true(parent >= 0);
    if (parent == 0) {
        close(report[0]);
        const char *argv[] = {"/bin/sleep", "600", NULL};
        vp_plugin_process p;
        if (vp_plugin_process_spawn_detached(argv, NULL, pidfile, 0, &p) < 0)
            _exit(2);
        char buf[VP_PLUGIN_PROCESS_STRLEN];
        vp_plugin_process_format(&p, buf);
        if (write(report[1], buf, strlen(buf) + 1) < 0)
            _exit(3);
        _exit(0);
    }
    close(report[1]);
    char buf[VP_PLUGIN_PROCESS_STRLEN] = "";
    ssize_t n = read(report[0], buf, sizeof(buf) - 1);
    close(report[0]);
    int status;
    assert_int_equal(waitpid(parent, &status, 0), parent);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_true(n > 0);
    assert_no_children();

    vp_plugin_process p, from_pidfile;
    assert_int_equal(vp_plugin_process_parse(buf, &p), 0);
    assert_true(vp_plugin_process_is_alive(&p));
    /* The pidfile names exactly that process. */
    assert_int_equal(vp_plugin_process_read_pidfile(pidfile, &from_pidfile), 0);
    assert_int_equal(from_pidfile.pid, p.pid);
    assert_true(from_pidfile.start_time == p.start_time);
    _cleanup_free_ char *text = NULL;
    assert_int_equal(vp_plugin_file_read(pidfile, 64, &text, NULL), 0);
    _cleanup_free_ char *want = vp_asprintf("%d\n", (int)p.pid);
    assert_string_equal(text, want);
    /* It runs the program, in a session of its own, and not as the dead
     * parent's child. */
    _cleanup_free_ char *exe_path = vp_asprintf("/proc/%d/exe", (int)p.pid);
    char exe[256] = "";
    assert_true(readlink(exe_path, exe, sizeof(exe) - 1) > 0);
    assert_non_null(strstr(exe, "sleep"));
    long ppid, sid;
    proc_parent_and_session(p.pid, &ppid, &sid);
    assert_true(ppid != parent);
    assert_true(sid != getsid(0));
    kill_daemon(&p);
}

static void
test_log_and_descriptors(void **state)
{
    (void)state;
    _cleanup_free_ char *log = vp_asprintf("%s/daemon.log", svc_tmpdir);
    _cleanup_free_ char *done = vp_asprintf("%s/done", svc_tmpdir);
    /* A descriptor of the caller without close-on-exec must not leak. */
    int leak = open("/dev/null", O_RDONLY);
    assert_true(leak >= 0);
    assert_int_equal(dup2(leak, 57), 57);
    close(leak);
    _cleanup_free_ char *script = vp_asprintf(
        "echo out; echo err >&2; pwd; ls /proc/$$/fd | tr '\\n' ' '; echo; touch %s", done);
    const char *argv[] = {"/bin/sh", "-c", script, NULL};
    vp_plugin_process p;
    assert_int_equal(vp_plugin_process_spawn_detached(argv, log, NULL, 0, &p), 0);
    close(57);
    assert_no_children();
    assert_true(vp_plugin_process_wait_gone(&p, 20000));
    for (int i = 0; i < 2000 && access(done, F_OK) < 0; i++)
        usleep(5000);
    _cleanup_free_ char *text = NULL;
    assert_int_equal(vp_plugin_file_read(log, 4096, &text, NULL), 0);
    assert_non_null(strstr(text, "out\nerr\n/\n"));
    assert_null(strstr(text, " 57 "));
    struct stat st;
    assert_int_equal(stat(log, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    /* The log is appended to, never truncated. */
    assert_int_equal(vp_plugin_process_spawn_detached(argv, log, NULL, 0, &p), 0);
    assert_true(vp_plugin_process_wait_gone(&p, 20000));
    _cleanup_free_ char *twice = NULL;
    for (int i = 0; i < 2000; i++) {
        free(twice);
        twice = NULL;
        assert_int_equal(vp_plugin_file_read(log, 4096, &twice, NULL), 0);
        if (strstr(strstr(twice, "out\n") + 1, "out\n"))
            break;
        usleep(5000);
    }
    assert_non_null(strstr(strstr(twice, "out\n") + 1, "out\n"));
}

static void
test_exec_failure_is_reported(void **state)
{
    (void)state;
    _cleanup_free_ char *pidfile = vp_asprintf("%s/bad.pid", svc_tmpdir);
    _cleanup_free_ char *prog = vp_asprintf("%s/not-a-program", svc_tmpdir);
    assert_int_equal(vp_plugin_file_write_atomic(prog,
                                                 "\x7f"
                                                 "ELF garbage",
                                                 12, 0755),
                     0);
    const char *argv[] = {prog, NULL};
    vp_plugin_process p = {.pid = 12345};
    svc_assert_error(vp_plugin_process_spawn_detached(argv, NULL, pidfile, 0, &p), VP_ERR_SYSTEM,
                     "cannot run", prog);
    assert_int_equal(p.pid, 12345); /* untouched on failure */
    assert_int_equal(access(pidfile, F_OK), -1);
    assert_no_children();

    const char *missing[] = {"/nonexistent/program", NULL};
    svc_assert_error(vp_plugin_process_spawn_detached(missing, NULL, NULL, 0, &p), VP_ERR_SYSTEM,
                     "cannot run '/nonexistent/program'");
    const char *relative[] = {"sleep", "1", NULL};
    svc_assert_error(vp_plugin_process_spawn_detached(relative, NULL, NULL, 0, &p),
                     VP_ERR_INVALID_ARG, "absolute path");
    const char *ok[] = {"/bin/true", NULL};
    svc_assert_error(vp_plugin_process_spawn_detached(ok, NULL, NULL, 1, &p), VP_ERR_INVALID_ARG,
                     "flags");
    _cleanup_free_ char *badlog = vp_asprintf("%s/nowhere/x.log", svc_tmpdir);
    svc_assert_error(vp_plugin_process_spawn_detached(ok, badlog, NULL, 0, &p), VP_ERR_SYSTEM,
                     "cannot open log file", badlog);
}

/* A caller whose stdin and stdout are closed: the descriptors the
 * service opens then start at 0, and must not be lost to the daemon's
 * own stdin and stdout (an exec failure would come back as success). */
static void
test_caller_without_stdio(void **state)
{
    (void)state;
    char prog[128], log[128], pidfile[128]; /* no heap memory across the fork */
    snprintf(prog, sizeof(prog), "%s/not-a-program-either", svc_tmpdir);
    snprintf(log, sizeof(log), "%s/closed-stdio.log", svc_tmpdir);
    snprintf(pidfile, sizeof(pidfile), "%s/closed-stdio.pid", svc_tmpdir);
    static const char garbage[] = {0x7f, 'E', 'L', 'F', '?'};
    assert_int_equal(vp_plugin_file_write_atomic(prog, garbage, sizeof(garbage), 0755), 0);
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        close(STDIN_FILENO);
        close(STDOUT_FILENO);
        const char *bad[] = {prog, NULL};
        vp_plugin_process p;
        int r = vp_plugin_process_spawn_detached(bad, log, pidfile, 0, &p);
        if (r != VP_ERR_SYSTEM || !strstr(vp_error_last()->message, "cannot run"))
            _exit(1);
        const char *good[] = {"/bin/sh", "-c", "echo out; echo err >&2", NULL};
        if (vp_plugin_process_spawn_detached(good, log, NULL, 0, &p) < 0 ||
            !vp_plugin_process_wait_gone(&p, 20000))
            _exit(2);
        _exit(0);
    }
    int status;
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_int_equal(access(pidfile, F_OK), -1);
    _cleanup_free_ char *text = NULL;
    assert_int_equal(vp_plugin_file_read(log, 4096, &text, NULL), 0);
    assert_non_null(strstr(text, "out\nerr\n"));
}

/* The pidfile cannot be written: the program must never run. */
static void
test_no_pidfile_no_program(void **state)
{
    (void)state;
    _cleanup_free_ char *pidfile = vp_asprintf("%s/nowhere/x.pid", svc_tmpdir);
    _cleanup_free_ char *marker = vp_asprintf("%s/ran", svc_tmpdir);
    const char *argv[] = {"/usr/bin/touch", marker, NULL};
    vp_plugin_process p;
    svc_assert_error(vp_plugin_process_spawn_detached(argv, NULL, pidfile, 0, &p), VP_ERR_SYSTEM,
                     pidfile);
    assert_no_children();
    usleep(300 * 1000);
    assert_int_equal(access(marker, F_OK), -1);
}

/* A spawn that fails after the fork (here: the pidfile cannot be
 * written) leaves no process behind: the daemon waiting for "go" sees the
 * caller give up and exits. A child of the test, as subreaper, collects
 * every descendant that ends; one still there after 20 s is the leak. */
static void
test_failed_spawn_leaves_no_process(void **state)
{
    (void)state;
    char pidfile[128]; /* no heap memory across the fork */
    snprintf(pidfile, sizeof(pidfile), "%s/nowhere/y.pid", svc_tmpdir);
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
            _exit(1);
        const char *argv[] = {"/bin/sleep", "600", NULL};
        vp_plugin_process p;
        if (vp_plugin_process_spawn_detached(argv, NULL, pidfile, 0, &p) != VP_ERR_SYSTEM)
            _exit(2);
        for (int i = 0; i < 2000; i++) {
            pid_t r = waitpid(-1, NULL, WNOHANG);
            if (r < 0 && errno == ECHILD)
                _exit(0);
            if (r == 0)
                usleep(10 * 1000);
        }
        _exit(3);
    }
    int status;
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_daemon_outlives_its_parent),
        cmocka_unit_test(test_log_and_descriptors),
        cmocka_unit_test(test_exec_failure_is_reported),
        cmocka_unit_test(test_caller_without_stdio),
        cmocka_unit_test(test_no_pidfile_no_program),
        cmocka_unit_test(test_failed_spawn_leaves_no_process),
    };
    return cmocka_run_group_tests(tests, svc_setup, svc_teardown);
}
