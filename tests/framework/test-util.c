/*
 * test-util.c: the SDK services of framework/util/: atomic file writes,
 * file reads, directories, child processes, key = value files.
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
        cmocka_unit_test(test_mkdir_p),
        cmocka_unit_test(test_command_output_and_status),
        cmocka_unit_test(test_command_timeout_and_missing),
        cmocka_unit_test(test_conf),
        cmocka_unit_test(test_runtime_dir),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
