/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-qemu-tpm.c: the emulated TPM (plugins/qemu/qemu-tpm.c) with real
 * swtpm and QEMU under TCG. query-tpm shows the device on swtpm; swtpm
 * ends with QEMU, also when QEMU is killed; its state outlives a stop and
 * goes with undefine; a start killed right after swtpm was launched
 * leaves nothing running after the next operation; without swtpm the
 * start is refused naming it.
 */
#include <config.h>

#include <dirent.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <virtplug/sdk/alloc.h>
#include <virtplug/sdk/services.h>
#include <virtplug/virtplug.h>

#include "qemu-test-qmp.h"
#include "qemu-test-util.h"

#define SWTPM "/usr/bin/swtpm"
#define TPM_CRB "<tpm model='tpm-crb'><backend type='emulator' version='2.0'/></tpm>"

/* How many processes have @needle in their command line. */
static int
count_procs(const char *needle)
{
    int n = 0;
    DIR *d = opendir("/proc");
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (e->d_name[0] < '1' || e->d_name[0] > '9')
            continue;
        _cleanup_free_ char *path = vp_asprintf("/proc/%s/cmdline", e->d_name);
        char buf[8192];
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            continue;
        ssize_t len = read(fd, buf, sizeof(buf) - 1);
        close(fd);
        for (ssize_t i = 0; i < len; i++)
            buf[i] = buf[i] ? buf[i] : ' ';
        buf[len > 0 ? len : 0] = '\0';
        n += strstr(buf, needle) != NULL;
    }
    if (d)
        closedir(d);
    return n;
}

static int
swtpm_running(qt_fixture *f)
{
    _cleanup_free_ char *ctrl = vp_asprintf("path=%s/run/dev.swtpm,", f->root);
    return count_procs(ctrl);
}

static void
wait_swtpm_gone(qt_fixture *f)
{
    for (int i = 0; i < 500 && swtpm_running(f) > 0; i++)
        usleep(10000);
    assert_int_equal(swtpm_running(f), 0);
}

static void
assert_query_tpm(qt_fixture *f, const char *model)
{
    json_object *list = qt_qmp(f, "query-tpm", NULL), *v, *opts;
    assert_int_equal(json_object_array_length(list), 1);
    json_object *t = json_object_array_get_idx(list, 0);
    assert_true(json_object_object_get_ex(t, "model", &v));
    assert_string_equal(json_object_get_string(v), model);
    assert_true(json_object_object_get_ex(t, "id", &v));
    assert_string_equal(json_object_get_string(v),
                        "tpm-tpm0"); /* the backend, as libvirt names it */
    assert_true(json_object_object_get_ex(t, "options", &opts));
    assert_true(json_object_object_get_ex(opts, "type", &v));
    assert_string_equal(json_object_get_string(v), "emulator");
    json_object_put(list);
}

static void
test_tpm_lifecycle(void **state)
{
    qt_fixture *f = *state;
    qt_start(f, "q35", NULL, TPM_CRB);
    assert_query_tpm(f, "tpm-crb");
    assert_int_equal(swtpm_running(f), 1);
    _cleanup_free_ char *dir = vp_asprintf("%s/config/dev.tpm", f->root);
    assert_int_equal(access(dir, F_OK), 0);

    /* QEMU killed: swtpm ends with it; the next operation cleans up. */
    pid_t pid = qt_pid(f->root, "dev");
    qemu_monitor_close(f->mon);
    f->mon = NULL;
    kill(pid, SIGKILL);
    assert_true(qt_wait_pid_gone(pid, 5000));
    wait_swtpm_gone(f);
    int st = -1, reason = -1;
    assert_int_equal(vp_domain_get_state(f->dom, &st, &reason, 0), 0);
    assert_int_equal(st, VP_DOMAIN_SHUTOFF);
    assert_false(qt_run_file_exists(f->root, "dev", ".swtpm"));
    assert_false(qt_run_file_exists(f->root, "dev", ".swtpm.pid"));

    /* Again, on tpm-tis, with the state kept; undefine removes it. */
    assert_int_equal(vp_domain_undefine(f->dom, 0), 0);
    vp_domain_free(VP_STEAL_PTR(f->dom));
    assert_int_equal(access(dir, F_OK), -1);
    qt_start(f, "pc", NULL, "<tpm model='tpm-tis'><backend type='emulator' version='2.0'/></tpm>");
    assert_query_tpm(f, "tpm-tis");
    qemu_monitor_close(f->mon);
    f->mon = NULL;
    assert_int_equal(vp_domain_destroy(f->dom, 0), 0);
    wait_swtpm_gone(f);
    assert_int_equal(access(dir, F_OK), 0);
    assert_int_equal(vp_domain_undefine(f->dom, 0), 0);
    assert_int_equal(access(dir, F_OK), -1);
    vp_domain_free(f->dom);
    f->dom = NULL;
}

/* vpsh start stopped right after swtpm was launched and killed there. */
static void
test_start_killed_after_swtpm(void **state)
{
    qt_fixture *f = *state;
    const char *top = secure_getenv("VP_TOP_BUILDDIR");
    if (!top)
        skip();
    assert_int_equal(qt_define(f, "q35", NULL, TPM_CRB), 0);
    _cleanup_free_ char *vpsh = qt_vpsh_path();
    _cleanup_free_ char *uri = qt_uri(f->root, NULL);
    /* Step 1: the agent channel, variable store and TPM state made; step 2:
     * the start's intent; step 3: swtpm started. */
    qt_kill_at_step((const char *const[]){vpsh, "-c", uri, "start", "dev", NULL}, 3);
    assert_int_equal(swtpm_running(f), 1);
    int st = -1, reason = -1;
    assert_int_equal(vp_domain_get_state(f->dom, &st, &reason, 0), 0);
    assert_int_equal(st, VP_DOMAIN_SHUTOFF);
    assert_int_equal(reason, VP_DOMAIN_SHUTOFF_FAILED);
    wait_swtpm_gone(f);
    assert_false(qt_run_file_exists(f->root, "dev", ".swtpm.pid"));
    /* And it starts afterwards. */
    qt_start_defined(f);
    assert_query_tpm(f, "tpm-crb");
}

static void
test_no_swtpm(void **state)
{
    qt_fixture *f = *state;
    _cleanup_free_ char *conf = vp_asprintf("%s/config/qemu.conf", f->root);
    const char *text = "swtpm = /nonexistent/swtpm\n";
    assert_int_equal(vp_plugin_file_write_atomic(conf, text, strlen(text), 0600), 0);
    assert_int_equal(qt_define(f, "q35", NULL, TPM_CRB), 0);
    QT_ASSERT_ERROR(vp_domain_start(f->dom, 0), VP_ERR_NOT_SUPPORTED, "'/nonexistent/swtpm'",
                    "swtpm", "'dev'");
    QT_ASSERT_ERROR(
        qt_define(f, "q35", NULL, "<tpm model='tpm-crb'><backend type='passthrough'/></tpm>"),
        VP_ERR_XML, "passthrough");
}

int
main(int argc, char **argv)
{
    (void)argc;
    if (access(SWTPM, X_OK) < 0) {
        fprintf(stderr, "SKIP: '%s' is not installed (Debian package swtpm)\n", SWTPM);
        return 77;
    }
    const struct CMUnitTest tests[] = {
        QT_DEVICE_TEST(test_tpm_lifecycle),
        QT_DEVICE_TEST(test_start_killed_after_swtpm),
        QT_DEVICE_TEST(test_no_swtpm),
    };
    return qt_device_tests_main(argv, tests, sizeof(tests) / sizeof(tests[0]));
}
