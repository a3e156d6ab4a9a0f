/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-qemu-ioerror.c: a disk that fills up, end to end. The tiny guest
 * gets two more disks, sparse raw files of 16 MiB on a 4 MiB tmpfs: vdc
 * with <driver error_policy='report'>, vdb with error_policy='stop'. Its
 * agent runs dd on vdc, then on vdb: the first fills the tmpfs and fails
 * in the guest (io-error, action report), the second pauses the guest
 * (io-error, action pause, then suspended I/O error). A watcher in a
 * second process sees both through the record the holder of the events
 * monitor writes, with each disk's source path, alias and "enospc";
 * vp_domain_get_state() reads paused (I/O error).
 *
 * Needs root: the tmpfs is mounted in a mount namespace of its own (a
 * child process that unshares it and makes every mount private), and
 * QEMU is started from that child, so the mount lives only as long as
 * the namespace's last process; the parent then checks that its own
 * mount table never held it. Then an I/O error that pauses the guest
 * while no process watches is reported, once, by the first watch after it.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <virtplug/sdk/alloc.h>
#include <virtplug/virtplug.h>

#include "guest/guest.h"
#include "qemu-test-util.h"

#define DISK_SIZE (16 << 20)

/* The tmpfs's directory, made by the parent before the fork. */
static char full_dir[] = "/tmp/vp-ioerror-XXXXXX";
/* The tiny guest's directory (vp_test_guest_prepare). */
static char *guest_dir;

typedef struct seen {
    bool suspended_ioerror;
    int io_stop, io_report, wrong;
} seen;

/* Check one event against the disks of test_disk_fills_up: @stop_path
 * (vdb, pause) and @report_path (vdc, report). */
static void
judge(seen *s, const vp_domain_event *ev, const char *stop_path, const char *report_path)
{
    bool ok = true;
    if (ev->event == VP_DOMAIN_EVENT_SUSPENDED) {
        /* As libvirt: the io-error first, then the pause it caused. */
        ok = ev->detail == VP_DOMAIN_EVENT_SUSPENDED_IOERROR && s->io_stop > 0;
        s->suspended_ioerror |= ok;
    } else if (ev->event == VP_DOMAIN_EVENT_IO_ERROR) {
        bool vdb = ev->dev_alias && strcmp(ev->dev_alias, "vdb") == 0;
        bool vdc = ev->dev_alias && strcmp(ev->dev_alias, "vdc") == 0;
        ok = (vdb || vdc) && ev->src_path && ev->reason &&
             strcmp(ev->src_path, vdb ? stop_path : report_path) == 0 &&
             strcmp(ev->reason, "enospc") == 0 &&
             ev->detail == (vdb ? VP_DOMAIN_EVENT_IO_ERROR_PAUSE : VP_DOMAIN_EVENT_IO_ERROR_REPORT);
        if (ok && vdb)
            s->io_stop++;
        if (ok && vdc)
            s->io_report++;
    } else {
        ok = false;
    }
    if (!ok)
        s->wrong++;
    fprintf(stderr, "process %d saw: %s %s src_path=%s dev_alias=%s reason=%s%s\n", (int)getpid(),
            vp_domain_event_name(ev->event, 0),
            vp_domain_event_detail_name(ev->event, ev->detail, 0),
            ev->src_path ? ev->src_path : "(null)", ev->dev_alias ? ev->dev_alias : "(null)",
            ev->reason ? ev->reason : "(null)", ok ? "" : " (unexpected)");
}

typedef struct watch_ctx {
    seen s;
    const char *stop_path, *report_path;
} watch_ctx;

static void
on_event(vp_conn *conn, const vp_domain_event *ev, void *opaque)
{
    watch_ctx *w = opaque;
    judge(&w->s, ev, w->stop_path, w->report_path);
}

static bool
done(const seen *s)
{
    return s->suspended_ioerror && s->io_stop > 0 && s->io_report > 0;
}

/* Dispatch @conn until done(@w) or @timeout_ms passed. */
static void
pump(vp_conn *conn, watch_ctx *w, int timeout_ms)
{
    struct pollfd p = {.fd = vp_conn_event_fd(conn), .events = POLLIN};
    if (p.fd < 0)
        return;
    for (int waited = 0; !done(&w->s) && waited < timeout_ms; waited += 50)
        if (poll(&p, 1, 50) == 1 && vp_conn_event_dispatch(conn) < 0)
            return;
}

/* "iowatch URI READY STOP_PATH REPORT_PATH": the second process. Watches,
 * creates READY, and exits 0 once it saw suspended I/O error and both
 * io-errors, each right, 1 otherwise (after 180 s at most). */
static int
iowatch_main(int argc, char **argv)
{
    vp_conn *conn = NULL;
    watch_ctx w = {.stop_path = argv[4], .report_path = argv[5]};
    if (argc != 6 || vp_conn_open(argv[2], 0, &conn) < 0 ||
        vp_conn_event_register(conn, 0, on_event, &w, NULL, NULL) < 0)
        return 100;
    struct pollfd p = {.fd = vp_conn_event_fd(conn), .events = POLLIN};
    for (int i = 0; i < 10; i++)
        if (poll(&p, 1, 30) == 1)
            vp_conn_event_dispatch(conn);
    int fd = open(argv[3], O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return 101;
    close(fd);
    pump(conn, &w, 180000);
    vp_conn_close(conn);
    return done(&w.s) && w.s.wrong == 0 ? 0 : 1;
}

/* A sparse raw file of DISK_SIZE bytes. */
static void
make_disk(const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, DISK_SIZE), 0);
    close(fd);
}

typedef struct fixture {
    char *root, *uri;
    vp_conn *conn;
    vp_domain *dom;
} fixture;

static int
setup(void **state)
{
    fixture *f = vp_new0(fixture, 1);
    f->root = qt_root_new();
    f->uri = qt_uri(f->root, NULL);
    assert_int_equal(vp_conn_open(f->uri, 0, &f->conn), 0);
    *state = f;
    return 0;
}

/* Also after a failed assertion: no QEMU outlives the test (it would keep
 * the namespace, and the tmpfs, alive). */
static int
teardown(void **state)
{
    fixture *f = *state;
    int st = 0;
    if (f->dom && vp_domain_get_state(f->dom, &st, NULL, 0) == 0 && st != VP_DOMAIN_SHUTOFF)
        vp_domain_destroy(f->dom, 0);
    vp_domain_free(f->dom);
    vp_conn_close(f->conn);
    qt_root_destroy(f->root);
    free(f->uri);
    free(f);
    return 0;
}

static void
test_disk_fills_up(void **state)
{
    fixture *f = *state;
    const char *root = f->root, *uri = f->uri;
    vp_conn *conn = f->conn;
    _cleanup_free_ char *disk = vp_asprintf("%s/disk.qcow2", root);
    _cleanup_free_ char *from = vp_asprintf("%s/disk.qcow2", guest_dir);
    const char *const cp[] = {"/bin/cp", "--", from, disk, NULL};
    assert_int_equal(qt_run_capture(cp, NULL), 0);
    _cleanup_free_ char *stop_path = vp_asprintf("%s/stop.raw", full_dir);
    _cleanup_free_ char *report_path = vp_asprintf("%s/report.raw", full_dir);
    make_disk(stop_path);
    make_disk(report_path);
    _cleanup_free_ char *extra =
        vp_asprintf("    <disk type='file' device='disk'>\n"
                    "      <driver name='qemu' type='raw' error_policy='stop'/>\n"
                    "      <source file='%s'/>\n"
                    "      <target dev='vdb' bus='virtio'/>\n"
                    "    </disk>\n"
                    "    <disk type='file' device='disk'>\n"
                    "      <driver name='qemu' type='raw' error_policy='report'/>\n"
                    "      <source file='%s'/>\n"
                    "      <target dev='vdc' bus='virtio'/>\n"
                    "    </disk>\n",
                    stop_path, report_path);
    char xml[8192];
    assert_int_equal(vp_test_guest_xml(xml, sizeof(xml), "kvm", "io1", guest_dir, root, extra), 0);
    int r = vp_domain_define_xml(conn, xml, 0, &f->dom);
    vp_domain *dom = f->dom;
    if (r < 0)
        fprintf(stderr, "define: %s\n", vp_error_last()->message);
    assert_int_equal(r, 0);
    assert_int_equal(vp_domain_start(dom, 0), 0);
    time_t deadline = time(NULL) + 120;
    char *info = NULL;
    while (vp_domain_get_guest_info(dom, 0, &info) < 0 && time(NULL) < deadline)
        sleep(1);
    assert_non_null(info);
    free(info);

    /* This process holds the events monitor; the other one reads what it
     * records. */
    watch_ctx w = {.stop_path = stop_path, .report_path = report_path};
    assert_int_equal(vp_conn_event_register(conn, 0, on_event, &w, NULL, NULL), 0);
    pump(conn, &w, 300);
    _cleanup_free_ char *ready = vp_asprintf("%s/ready", root);
    pid_t other = fork();
    assert_true(other >= 0);
    if (other == 0) {
        execl(qt_self, qt_self, "iowatch", uri, ready, stop_path, report_path, (char *)NULL);
        _exit(127);
    }
    for (int i = 0; i < 400 && access(ready, F_OK) < 0; i++)
        usleep(25000);
    assert_int_equal(access(ready, F_OK), 0);

    /* vdc first: it fills the tmpfs and its dd fails in the guest; then
     * vdb, whose first failed write pauses the guest (so the agent never
     * answers for it: guest-exec returns at once, before dd runs). */
    char *reply = NULL;
    r = vp_domain_qemu_agent_command(
        dom,
        "{\"execute\":\"guest-exec\",\"arguments\":{\"path\":\"/bin/sh\",\"arg\":[\"-c\","
        "\"/bin/busybox dd if=/dev/zero of=/dev/vdc bs=1M count=16 conv=fsync; "
        "/bin/busybox dd if=/dev/zero of=/dev/vdb bs=1M count=16 conv=fsync\"]}}",
        30, 0, &reply);
    if (r < 0)
        fprintf(stderr, "guest-exec: %s\n", vp_error_last()->message);
    assert_int_equal(r, 0);
    free(reply);
    pump(conn, &w, 180000);
    assert_true(w.s.suspended_ioerror);
    assert_true(w.s.io_report > 0);
    assert_true(w.s.io_stop > 0);
    assert_int_equal(w.s.wrong, 0);
    int status;
    assert_int_equal(waitpid(other, &status, 0), other);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    qt_assert_state(dom, VP_DOMAIN_PAUSED, VP_DOMAIN_PAUSED_IOERROR);
    assert_int_equal(vp_domain_destroy(dom, 0), 0);
}

/* No process watches when vdb fills up and pauses the guest: its
 * BLOCK_IO_ERROR reaches no monitor. The first watch that takes the events
 * monitor over finds the pause and the disk's I/O status ("nospace") and
 * reports the io-error (pause, vdb, its source, "enospc") then suspended
 * I/O error, each once. */
static void
test_io_error_while_unwatched(void **state)
{
    fixture *f = *state;
    _cleanup_free_ char *stop_path = vp_asprintf("%s/stop.raw", full_dir);
    _cleanup_free_ char *report_path = vp_asprintf("%s/report.raw", full_dir);
    /* The tmpfs again empty: the first test's disks go. */
    unlink(stop_path);
    unlink(report_path);
    make_disk(stop_path);
    _cleanup_free_ char *disk = vp_asprintf("%s/disk.qcow2", f->root);
    _cleanup_free_ char *from = vp_asprintf("%s/disk.qcow2", guest_dir);
    const char *const cp[] = {"/bin/cp", "--", from, disk, NULL};
    assert_int_equal(qt_run_capture(cp, NULL), 0);
    _cleanup_free_ char *extra =
        vp_asprintf("    <disk type='file' device='disk'>\n"
                    "      <driver name='qemu' type='raw' error_policy='stop'/>\n"
                    "      <source file='%s'/>\n"
                    "      <target dev='vdb' bus='virtio'/>\n"
                    "    </disk>\n",
                    stop_path);
    char xml[8192];
    assert_int_equal(vp_test_guest_xml(xml, sizeof(xml), "kvm", "io2", guest_dir, f->root, extra),
                     0);
    assert_int_equal(vp_domain_define_xml(f->conn, xml, 0, &f->dom), 0);
    assert_int_equal(vp_domain_start(f->dom, 0), 0);
    time_t deadline = time(NULL) + 120;
    char *info = NULL;
    while (vp_domain_get_guest_info(f->dom, 0, &info) < 0 && time(NULL) < deadline)
        sleep(1);
    assert_non_null(info);
    free(info);
    char *reply = NULL;
    assert_int_equal(
        vp_domain_qemu_agent_command(
            f->dom,
            "{\"execute\":\"guest-exec\",\"arguments\":{\"path\":\"/bin/sh\",\"arg\":[\"-c\","
            "\"/bin/busybox dd if=/dev/zero of=/dev/vdb bs=1M count=16 conv=fsync\"]}}",
            30, 0, &reply),
        0);
    free(reply);
    int st = 0, reason = 0;
    deadline = time(NULL) + 180;
    while ((st != VP_DOMAIN_PAUSED || reason != VP_DOMAIN_PAUSED_IOERROR) &&
           time(NULL) < deadline) {
        assert_int_equal(vp_domain_get_state(f->dom, &st, &reason, 0), 0);
        usleep(200000);
    }
    assert_int_equal(st, VP_DOMAIN_PAUSED);
    assert_int_equal(reason, VP_DOMAIN_PAUSED_IOERROR);
    watch_ctx w = {.stop_path = stop_path, .report_path = report_path};
    assert_int_equal(vp_conn_event_register(f->conn, 0, on_event, &w, NULL, NULL), 0);
    struct pollfd p = {.fd = vp_conn_event_fd(f->conn), .events = POLLIN};
    /* Until both came, then a while longer: nothing comes twice. */
    for (int waited = 0, after = 0; waited < 30000 && after < 1000; waited += 50) {
        if (poll(&p, 1, 50) == 1)
            assert_true(vp_conn_event_dispatch(f->conn) >= 0);
        if (w.s.suspended_ioerror)
            after += 50;
    }
    assert_true(w.s.suspended_ioerror);
    assert_int_equal(w.s.io_stop, 1);
    assert_int_equal(w.s.io_report, 0);
    assert_int_equal(w.s.wrong, 0);
    qt_assert_state(f->dom, VP_DOMAIN_PAUSED, VP_DOMAIN_PAUSED_IOERROR);
    assert_int_equal(vp_domain_destroy(f->dom, 0), 0);
}

/* Whether @dir is a mount point in this process's mount table. */
static bool
mounted(const char *dir)
{
    FILE *f = fopen("/proc/self/mountinfo", "re");
    if (!f)
        return false;
    char line[4096];
    bool found = false;
    size_t n = strlen(dir);
    while (!found && fgets(line, sizeof(line), f)) {
        /* "ID PARENT MAJ:MIN ROOT MOUNTPOINT ...": the fifth field. */
        char *p = line;
        for (int i = 0; i < 4 && p; i++)
            p = strchr(p + 1, ' ');
        found = p && strncmp(p + 1, dir, n) == 0 && p[1 + n] == ' ';
    }
    fclose(f);
    return found;
}

/* In the child: a mount namespace of its own, the tmpfs, the test. */
static int
child_main(void)
{
    if (unshare(CLONE_NEWNS) < 0) {
        fprintf(stderr, "SKIP: cannot make a mount namespace: %s\n", strerror(errno));
        return 77;
    }
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
        fprintf(stderr, "cannot make the mounts private: %s\n", strerror(errno));
        return 1;
    }
    if (mount("vp-ioerror", full_dir, "tmpfs", MS_NOSUID | MS_NODEV, "size=4M,mode=0700") < 0) {
        fprintf(stderr, "cannot mount a tmpfs on '%s': %s\n", full_dir, strerror(errno));
        return 1;
    }
    if (!mounted(full_dir)) {
        fprintf(stderr, "the tmpfs is not in the child's mount table\n");
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_disk_fills_up, setup, teardown),
        cmocka_unit_test_setup_teardown(test_io_error_while_unwatched, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

int
main(int argc, char **argv)
{
    qt_self = argv[0];
    if (argc > 1 && strcmp(argv[1], "iowatch") == 0)
        return iowatch_main(argc, argv);
    int r = qt_main_start(argc, argv, QEMU_BINARY);
    if (r >= 0)
        return r;
    if (geteuid() != 0) {
        fprintf(stderr, "SKIP: mounting the tmpfs that fills up needs root\n");
        return 77;
    }
    r = vp_test_guest_prepare(&guest_dir);
    if (r != 0)
        return r == 77 ? 77 : 1;
    if (!mkdtemp(full_dir)) {
        fprintf(stderr, "cannot make a directory: %s\n", strerror(errno));
        return 1;
    }
    fflush(NULL);
    pid_t child = fork();
    if (child < 0)
        return 1;
    if (child == 0)
        _exit(child_main());
    int status = 0;
    while (waitpid(child, &status, 0) < 0 && errno == EINTR)
        ;
    r = WIFEXITED(status) ? WEXITSTATUS(status) : 1;
    /* The child's namespace held the tmpfs: never this one. */
    if (mounted(full_dir)) {
        fprintf(stderr, "FAIL: '%s' is mounted in the test's own mount table\n", full_dir);
        r = 1;
    } else if (rmdir(full_dir) < 0) {
        fprintf(stderr, "FAIL: cannot remove '%s': %s\n", full_dir, strerror(errno));
        r = 1;
    }
    free(guest_dir);
    return r;
}
