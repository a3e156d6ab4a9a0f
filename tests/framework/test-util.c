/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-util.c: the SDK services of framework/util/: atomic file writes
 * (and the removal of the temporary files of writers that died), file
 * reads (only regular files for the files a user names), directories,
 * child processes, key = value files.
 */
#include <config.h>

#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <virtplug/sdk/alloc.h>
#include <virtplug/sdk/services.h>
#include <virtplug/virtplug.h>

static char tmpdir[64];

static int
setup(void **state)
{
    snprintf(tmpdir, sizeof(tmpdir), "/tmp/vp-test-util-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int
teardown(void **state)
{
    const char *argv[] = {"/bin/rm", "-rf", tmpdir, NULL};
    int st;
    return vp_plugin_command_run(argv, 10000, &st, NULL, NULL);
}

static void
assert_msg(const char *keyword)
{
    const vp_error *e = vp_error_last();
    assert_non_null(e);
    if (!strstr(e->message, keyword))
        fail_msg("message '%s' lacks '%s'", e->message, keyword);
}

static void
test_write_atomic(void **state)
{
    _cleanup_free_ char *path = vp_asprintf("%s/state", tmpdir);
    assert_int_equal(vp_plugin_file_write_atomic(path, "one\n", 4, 0600), 0);
    assert_int_equal(vp_plugin_file_write_atomic(path, "two!\n", 5, 0640), 0);
    char *data = NULL;
    size_t n = 0;
    assert_int_equal(vp_plugin_file_read(path, 100, &data, &n), 0);
    assert_string_equal(data, "two!\n");
    assert_int_equal(n, 5);
    free(data);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0640);
    /* No temporary file is left behind. */
    _cleanup_free_ char *ls_out = NULL;
    const char *argv[] = {"/bin/ls", "-A", tmpdir, NULL};
    int status;
    assert_int_equal(vp_plugin_command_run(argv, 10000, &status, &ls_out, NULL), 0);
    assert_string_equal(ls_out, "state\n");
}

static void
test_write_atomic_fails_cleanly(void **state)
{
    _cleanup_free_ char *path = vp_asprintf("%s/no/such/dir/file", tmpdir);
    assert_int_equal(vp_plugin_file_write_atomic(path, "x", 1, 0600), VP_ERR_SYSTEM);
    assert_msg("cannot create a temporary file for");
    assert_msg(path);
}

static void
test_read_limits(void **state)
{
    _cleanup_free_ char *path = vp_asprintf("%s/big", tmpdir);
    assert_int_equal(vp_plugin_file_write_atomic(path, "0123456789", 10, 0600), 0);
    char *data = NULL;
    assert_int_equal(vp_plugin_file_read(path, 5, &data, NULL), VP_ERR_INVALID_ARG);
    assert_null(data);
    assert_msg("larger than 5 bytes");
    assert_int_equal(vp_plugin_file_read("/nonexistent/x", 5, &data, NULL), VP_ERR_SYSTEM);
    assert_msg("No such file");
}

/* A FIFO without a writer blocks open() and read() for ever: the reader
 * of the files a user names must refuse it by name without waiting. The
 * alarm turns a hang into a failure. */
static void
test_read_regular_refuses_others(void **state)
{
    _cleanup_free_ char *fifo = vp_asprintf("%s/fifo", tmpdir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    char *data = NULL;
    alarm(20);
    assert_int_equal(vp_plugin_file_read_regular(fifo, 100, &data, NULL), VP_ERR_INVALID_ARG);
    alarm(0);
    assert_null(data);
    assert_msg(fifo);
    assert_msg("is not a regular file (it is a FIFO)");
    assert_int_equal(vp_plugin_file_read_regular(tmpdir, 100, &data, NULL), VP_ERR_INVALID_ARG);
    assert_msg("is not a regular file (it is a directory)");
    assert_int_equal(vp_plugin_file_read_regular("/dev/null", 100, &data, NULL),
                     VP_ERR_INVALID_ARG);
    assert_msg("'/dev/null' is not a regular file (it is a device)");
    assert_int_equal(vp_plugin_file_read_regular("/nonexistent/x", 5, &data, NULL), VP_ERR_SYSTEM);
    assert_msg("cannot open '/nonexistent/x': No such file");

    /* The key = value files a user names are read the same way. */
    static const char *const keys[] = {"backend", NULL};
    vp_plugin_conf *conf = NULL;
    alarm(20);
    assert_int_equal(vp_plugin_conf_load(fifo, keys, true, &conf), VP_ERR_INVALID_ARG);
    alarm(0);
    assert_null(conf);
    assert_msg("is not a regular file (it is a FIFO)");

    /* A symbolic link to a regular file is followed; limits still hold. */
    _cleanup_free_ char *file = vp_asprintf("%s/real", tmpdir);
    _cleanup_free_ char *link = vp_asprintf("%s/link", tmpdir);
    assert_int_equal(vp_plugin_file_write_atomic(file, "data", 4, 0600), 0);
    assert_int_equal(symlink(file, link), 0);
    size_t n = 0;
    assert_int_equal(vp_plugin_file_read_regular(link, 100, &data, &n), 0);
    assert_string_equal(data, "data");
    assert_int_equal(n, 4);
    free(data);
    data = NULL;
    assert_int_equal(vp_plugin_file_read_regular(link, 3, &data, NULL), VP_ERR_INVALID_ARG);
    assert_msg("larger than 3 bytes");

    /* The plain reader, for files virtplug names itself, reads a device
     * (a test's fake sysfs file may be /dev/null). */
    assert_int_equal(vp_plugin_file_read("/dev/null", 100, &data, &n), 0);
    assert_string_equal(data, "");
    free(data);
}

/* A writer of @target in a child process, caught halfway: it has created
 * and locked its temporary file as vp_plugin_file_write_atomic() names
 * it, with @name_pid (0: its own pid) and @random in the name. */
typedef struct fake_writer {
    pid_t pid;
    bool stay;
    int release_fd; /* a byte on it lets a writer that stays exit */
    char *tmp;      /* its temporary file */
} fake_writer;

static void
writer_child(const char *tmp, bool stay, int ready_fd, int release_fd)
{
    char c = 'r';
    const char *path = tmp;
    alarm(60); /* never outlive a test that failed before releasing it */
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0 || flock(fd, LOCK_EX) < 0 || write(fd, "partial", 7) != 7 ||
        write(ready_fd, &c, 1) != 1)
        _exit(1);
    if (stay && read(release_fd, &c, 1) < 0)
        _exit(1);
    _exit(0); /* as a killed writer: the file stays, the lock goes */
}

static void
writer_start(fake_writer *w, const char *target, pid_t name_pid, const char *random, bool stay)
{
    int ready[2], release[2];
    assert_int_equal(pipe(ready), 0);
    assert_int_equal(pipe(release), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(ready[0]);
        close(release[1]);
        char tmp[512];
        snprintf(tmp, sizeof(tmp), "%s.tmp.%ld.%s", target, (long)(name_pid ? name_pid : getpid()),
                 random);
        writer_child(tmp, stay, ready[1], release[0]);
    }
    close(ready[1]);
    close(release[0]);
    char c;
    assert_int_equal(read(ready[0], &c, 1), 1);
    close(ready[0]);
    w->pid = pid;
    w->stay = stay;
    w->release_fd = release[1];
    w->tmp = vp_asprintf("%s.tmp.%ld.%s", target, (long)(name_pid ? name_pid : pid), random);
}

/* Let the writer exit and reap it: from then on its pid is gone. */
static void
writer_end(fake_writer *w)
{
    char c = 'x'; /* a byte, not EOF: later children hold copies of the pipe */
    if (w->stay)
        assert_int_equal(write(w->release_fd, &c, 1), 1);
    close(w->release_fd);
    int status;
    assert_int_equal(waitpid(w->pid, &status, 0), w->pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static bool
exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

static void
touch(const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    assert_true(fd >= 0);
    close(fd);
}

static void
test_write_atomic_removes_stale_tmp(void **state)
{
    _cleanup_free_ char *dir = vp_asprintf("%s/stale", tmpdir);
    _cleanup_free_ char *target = vp_asprintf("%s/rec.json", dir);
    assert_int_equal(vp_plugin_mkdir_p(dir, 0700), 0);

    fake_writer dead, live, locked;
    writer_start(&dead, target, 0, "Ab3xYz", false); /* killed halfway */
    writer_end(&dead);
    writer_start(&live, target, 0, "Ab3xYz", true); /* still writing */
    /* A dead pid in the name, but a live process holds the lock (a writer
     * in another pid namespace): the lock alone keeps it. */
    writer_start(&locked, target, dead.pid, "L0cked", true);

    /* What must stay although it looks close: a live pid (this test's)
     * and no lock, another target's temporary file, other shapes of name,
     * a symbolic link and a directory of the right shape. */
    long d = (long)dead.pid;
    char *keep[] = {
        vp_asprintf("%s.tmp.%ld.Qq1234", target, (long)getpid()),
        vp_asprintf("%s/other.json.tmp.%ld.Ab3xYz", dir, d),
        vp_asprintf("%s.tmp.%ld.Ab3xY", target, d),
        vp_asprintf("%s.tmp.%ld.Ab3xYz.bak", target, d),
        vp_asprintf("%s.tmp.0%ld.Ab3xYz", target, d),
        vp_asprintf("%s.tmp.%ld.Ab-xYz", target, d),
        vp_asprintf("%s.tmp.notes", target),
        vp_asprintf("%s.tmp.XyZ123", target),
        vp_asprintf("%s.bak", target),
        NULL,
    };
    for (size_t i = 0; keep[i]; i++)
        touch(keep[i]);
    _cleanup_free_ char *sym = vp_asprintf("%s.tmp.%ld.Sym123", target, d);
    _cleanup_free_ char *subdir = vp_asprintf("%s.tmp.%ld.Dir123", target, d);
    assert_int_equal(symlink(keep[1], sym), 0);
    assert_int_equal(mkdir(subdir, 0700), 0);

    assert_true(exists(dead.tmp));
    assert_int_equal(vp_plugin_file_write_atomic(target, "one", 3, 0600), 0);
    assert_false(exists(dead.tmp));
    assert_true(exists(live.tmp));
    assert_true(exists(locked.tmp));
    for (size_t i = 0; keep[i]; i++)
        if (!exists(keep[i]))
            fail_msg("'%s' was removed", keep[i]);
    assert_true(exists(sym));
    assert_true(exists(subdir));

    /* Once the writers are gone, the next write removes their files too. */
    writer_end(&live);
    writer_end(&locked);
    assert_int_equal(vp_plugin_file_write_atomic(target, "two", 3, 0600), 0);
    assert_false(exists(live.tmp));
    assert_false(exists(locked.tmp));
    for (size_t i = 0; keep[i]; i++) {
        if (!exists(keep[i]))
            fail_msg("'%s' was removed", keep[i]);
        free(keep[i]);
    }
    assert_true(exists(sym));
    assert_true(exists(subdir));
    char *data = NULL;
    assert_int_equal(vp_plugin_file_read(target, 100, &data, NULL), 0);
    assert_string_equal(data, "two");
    free(data);
    free(dead.tmp);
    free(live.tmp);
    free(locked.tmp);
}

static void
test_mkdir_p(void **state)
{
    _cleanup_free_ char *path = vp_asprintf("%s/a/b/c", tmpdir);
    assert_int_equal(vp_plugin_mkdir_p(path, 0700), 0);
    assert_int_equal(vp_plugin_mkdir_p(path, 0700), 0);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    _cleanup_free_ char *file = vp_asprintf("%s/f", tmpdir);
    assert_int_equal(vp_plugin_file_write_atomic(file, "", 0, 0600), 0);
    assert_true(vp_plugin_mkdir_p(file, 0700) < 0);
}

static void
test_command_output_and_status(void **state)
{
    const char *argv[] = {"/bin/sh", "-c", "echo out; echo err >&2; exit 3", NULL};
    int status = -1;
    char *out = NULL, *err = NULL;
    assert_int_equal(vp_plugin_command_run(argv, 10000, &status, &out, &err), 0);
    assert_int_equal(status, 3);
    assert_string_equal(out, "out\n");
    assert_string_equal(err, "err\n");
    free(out);
    free(err);
}

/* The command gets stdin, stdout and stderr, nothing else of the caller's:
 * a daemon it starts would hold an inheritable descriptor for life. */
static void
test_command_inherits_no_descriptor(void **state)
{
    int p[2];
    assert_int_equal(pipe(p), 0); /* no O_CLOEXEC: inheritable */
    _cleanup_free_ char *script = vp_asprintf(
        "[ -e /proc/self/fd/%d ] || [ -e /proc/self/fd/%d ] && echo leaked; exit 0", p[0], p[1]);
    const char *argv[] = {"/bin/sh", "-c", script, NULL};
    int status = -1;
    char *out = NULL;
    assert_int_equal(vp_plugin_command_run(argv, 10000, &status, &out, NULL), 0);
    assert_int_equal(status, 0);
    assert_string_equal(out, "");
    free(out);
    close(p[0]);
    close(p[1]);
}

static void
test_command_timeout_and_missing(void **state)
{
    const char *argv[] = {"/bin/sleep", "30", NULL};
    int status = -1;
    assert_int_equal(vp_plugin_command_run(argv, 100, &status, NULL, NULL), VP_ERR_TIMEOUT);
    assert_msg("did not finish within 100 ms");
    const char *missing[] = {"/nonexistent/cmd", NULL};
    assert_int_equal(vp_plugin_command_run(missing, 1000, &status, NULL, NULL), VP_ERR_SYSTEM);
    assert_msg("cannot run '/nonexistent/cmd'");
    const char *relative[] = {"sh", NULL};
    assert_int_equal(vp_plugin_command_run(relative, 1000, &status, NULL, NULL),
                     VP_ERR_INVALID_ARG);
}

static void
test_conf(void **state)
{
    _cleanup_free_ char *path = vp_asprintf("%s/hp.conf", tmpdir);
    const char *text =
        "# comment\n\nbackend = sysfs\n  suspend_delay_ms=250 \nrtc_device = \"rtc1\"\n";
    assert_int_equal(vp_plugin_file_write_atomic(path, text, strlen(text), 0600), 0);
    static const char *const keys[] = {"backend", "suspend_delay_ms", "rtc_device", NULL};
    vp_plugin_conf *conf = NULL;
    assert_int_equal(vp_plugin_conf_load(path, keys, false, &conf), 0);
    assert_string_equal(vp_plugin_conf_get(conf, "backend", NULL), "sysfs");
    assert_string_equal(vp_plugin_conf_get(conf, "rtc_device", NULL), "rtc1");
    assert_string_equal(vp_plugin_conf_get(conf, "missing", "dflt"), "dflt");
    unsigned v = 0;
    assert_int_equal(vp_plugin_conf_get_uint(conf, "suspend_delay_ms", 1, &v), 0);
    assert_int_equal(v, 250);
    assert_int_equal(vp_plugin_conf_get_uint(conf, "backend", 1, &v), VP_ERR_INVALID_ARG);
    assert_msg("key 'backend' needs an unsigned integer, not 'sysfs'");
    vp_plugin_conf_free(conf);

    const char *bad = "backend = sysfs\nbakend = x\n";
    assert_int_equal(vp_plugin_file_write_atomic(path, bad, strlen(bad), 0600), 0);
    assert_int_equal(vp_plugin_conf_load(path, keys, false, &conf), VP_ERR_INVALID_ARG);
    assert_msg(":2: unknown key 'bakend'");
    const char *noeq = "backend sysfs\n";
    assert_int_equal(vp_plugin_file_write_atomic(path, noeq, strlen(noeq), 0600), 0);
    assert_int_equal(vp_plugin_conf_load(path, keys, false, &conf), VP_ERR_INVALID_ARG);
    assert_msg(":1: expected 'key = value'");

    _cleanup_free_ char *missing = vp_asprintf("%s/none.conf", tmpdir);
    assert_int_equal(vp_plugin_conf_load(missing, keys, true, &conf), 0);
    assert_string_equal(vp_plugin_conf_get(conf, "backend", "auto"), "auto");
    vp_plugin_conf_free(conf);
    assert_int_equal(vp_plugin_conf_load(missing, keys, false, &conf), VP_ERR_SYSTEM);
}

static void
test_runtime_dir(void **state)
{
    _cleanup_free_ char *want = vp_asprintf("%s/run/virtplug", tmpdir);
    setenv("VIRTPLUG_RUNTIME_DIR", want, 1);
    char *dir = NULL;
    assert_int_equal(vp_plugin_runtime_dir(&dir), 0);
    assert_string_equal(dir, want);
    struct stat st;
    assert_int_equal(stat(dir, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    free(dir);
    unsetenv("VIRTPLUG_RUNTIME_DIR");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_write_atomic),
        cmocka_unit_test(test_write_atomic_fails_cleanly),
        cmocka_unit_test(test_read_limits),
        cmocka_unit_test(test_read_regular_refuses_others),
        cmocka_unit_test(test_write_atomic_removes_stale_tmp),
        cmocka_unit_test(test_mkdir_p),
        cmocka_unit_test(test_command_output_and_status),
        cmocka_unit_test(test_command_inherits_no_descriptor),
        cmocka_unit_test(test_command_timeout_and_missing),
        cmocka_unit_test(test_conf),
        cmocka_unit_test(test_runtime_dir),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
