/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-qemu-trust.c: regression tests for what outside testing found the
 * QEMU driver doing to users' data and files, each against real QEMU
 * running firmware only: an overlay deleted while a backing chain still
 * reached it, a user's file deleted as a "socket", a dangling symlink
 * followed as an overlay, a 100-deep chain, state queries that waited for
 * a busy domain, a destroy that could not stop a waiting shutdown, a
 * diskspec for a disk the domain lacks, URI roots and parameters taken
 * without a word, a hanging <emulator> left running, one corrupt record
 * breaking the others, and files left after undefine or a failed start.
 * Kills at every step of every verb are test-qemu-crash.c's.
 */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include <virtplug/sdk/alloc.h>
#include <virtplug/sdk/services.h>
#include <virtplug/virtplug.h>

#include "qemu-test-util.h"

typedef struct fixture {
    char *root;
    vp_conn *conn;
    char *disk;
} fixture;

static int
setup_extra(void **state, const char *extra)
{
    fixture *f = vp_new0(fixture, 1);
    f->root = qt_root_new();
    f->disk = vp_asprintf("%s/ch.qcow2", f->root);
    assert_int_equal(qt_run_capture((const char *const[]){QEMU_IMG, "create", "-q", "-f", "qcow2",
                                                          f->disk, "16M", NULL},
                                    NULL),
                     0);
    _cleanup_free_ char *uri = qt_uri(f->root, extra);
    assert_int_equal(vp_conn_open(uri, 0, &f->conn), 0);
    *state = f;
    return 0;
}

static int
setup(void **state)
{
    return setup_extra(state, NULL);
}

static int
teardown(void **state)
{
    fixture *f = *state;
    vp_conn_close(f->conn);
    qt_root_destroy(f->root);
    free(f->disk);
    free(f);
    return 0;
}

/* A firmware-only PC with one qcow2 disk and @extra devices. */
static vp_domain *
define(fixture *f, const char *name, const char *disk, const char *extra)
{
    _cleanup_free_ char *xml =
        vp_asprintf("<domain type='qemu'><name>%s</name><memory unit='MiB'>32</memory>"
                    "<os><type arch='x86_64' machine='pc'>hvm</type></os><devices>"
                    "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
                    "<source file='%s'/><target dev='vda' bus='virtio'/></disk>%s"
                    "</devices></domain>",
                    name, disk, extra ? extra : "");
    vp_domain *dom = NULL;
    assert_int_equal(vp_domain_define_xml(f->conn, xml, 0, &dom), 0);
    return dom;
}

static void
disk_snapshot(vp_domain *dom, const char *name)
{
    _cleanup_free_ char *xml =
        vp_asprintf("<domainsnapshot><name>%s</name></domainsnapshot>", name);
    vp_snapshot *snap = NULL;
    assert_int_equal(vp_snapshot_create_xml(dom, xml, VP_SNAPSHOT_CREATE_DISK_ONLY, &snap), 0);
    vp_snapshot_free(snap);
}

static void
assert_state(vp_domain *dom, int state)
{
    int s = -1, reason = -1;
    assert_int_equal(vp_domain_get_state(dom, &s, &reason, 0), 0);
    assert_int_equal(s, state);
}

/* Defect 1: the reproduction from the report, word for word. */
static void
test_overlay_kept_while_a_chain_reaches_it(void **state)
{
    fixture *f = *state;
    vp_domain *dom = define(f, "ch", f->disk, NULL);
    assert_int_equal(vp_domain_start(dom, 0), 0);
    disk_snapshot(dom, "a");
    disk_snapshot(dom, "b");
    assert_int_equal(vp_domain_destroy(dom, 0), 0);
    vp_snapshot *b = NULL, *a = NULL;
    assert_int_equal(vp_snapshot_lookup_by_name(dom, "b", 0, &b), 0);
    /* The record alone (what a plain delete did when this was found). */
    assert_int_equal(vp_snapshot_delete(b, VP_SNAPSHOT_DELETE_METADATA_ONLY), 0);
    assert_int_equal(vp_snapshot_lookup_by_name(dom, "a", 0, &a), 0);
    _cleanup_free_ char *ov_a = vp_asprintf("%s/ch.a", f->root);
    _cleanup_free_ char *ov_b = vp_asprintf("%s/ch.b", f->root);
    QT_ASSERT_ERROR(vp_snapshot_delete(a, VP_SNAPSHOT_DELETE_OVERLAYS), VP_ERR_OPERATION_INVALID,
                    ov_a, "disk 'vda' of domain 'ch'", ov_b);
    assert_int_equal(access(ov_a, F_OK), 0);
    /* The record stays too: nothing was half done. */
    vp_snapshot_free(a);
    assert_int_equal(vp_snapshot_lookup_by_name(dom, "a", 0, &a), 0);
    assert_int_equal(vp_domain_start(dom, 0), 0);
    assert_state(dom, VP_DOMAIN_RUNNING);
    assert_int_equal(vp_domain_destroy(dom, 0), 0);
    vp_snapshot_free(a);
    vp_snapshot_free(b);
    vp_domain_free(dom);
}

/* A definition given while the domain runs waits for its stop
 * (qemu-define-next.c): a merge must not remove a file its disk's backing
 * chain reaches, though no running QEMU and no record uses that chain. */
static void
test_waiting_definition_keeps_its_chain(void **state)
{
    fixture *f = *state;
    vp_domain *dom = define(f, "ch", f->disk, NULL);
    assert_int_equal(vp_domain_start(dom, 0), 0);
    disk_snapshot(dom, "a");
    _cleanup_free_ char *ov_a = vp_asprintf("%s/ch.a", f->root);
    _cleanup_free_ char *x = vp_asprintf("%s/x.qcow2", f->root);
    assert_int_equal(qt_run_capture((const char *const[]){QEMU_IMG, "create", "-q", "-f", "qcow2",
                                                          "-F", "qcow2", "-b", ov_a, x, NULL},
                                    NULL),
                     0);
    char *xml = NULL;
    assert_int_equal(vp_domain_get_xml(dom, VP_DOMAIN_XML_INACTIVE, &xml), 0);
    _cleanup_free_ char *was = vp_asprintf("<source file='%s'/>", ov_a);
    char *at = strstr(xml, was);
    assert_non_null(at);
    _cleanup_free_ char *next =
        vp_asprintf("%.*s<source file='%s'/>%s", (int)(at - xml), xml, x, at + strlen(was));
    free(xml);
    assert_int_equal(vp_domain_define_xml(f->conn, next, 0, NULL), 0);
    vp_snapshot *a = NULL;
    assert_int_equal(vp_snapshot_lookup_by_name(dom, "a", 0, &a), 0);
    /* The merge folds a's overlay into the base, which x reads the same
     * through it; the overlay stays, as x's chain reaches it. */
    assert_int_equal(vp_snapshot_delete(a, 0), 0);
    assert_int_equal(access(ov_a, F_OK), 0);
    assert_state(dom, VP_DOMAIN_RUNNING);
    /* Stopped, the domain is that definition, on its own chain. */
    assert_int_equal(vp_domain_destroy(dom, 0), 0);
    char *out = NULL;
    int st = qt_run_capture((const char *const[]){QEMU_IMG, "check", "-f", "qcow2", x, NULL}, &out);
    if (st != 0)
        fprintf(stderr, "qemu-img check %s: %s\n", x, out ? out : "");
    assert_int_equal(st, 0);
    free(out);
    assert_int_equal(vp_domain_get_xml(dom, 0, &xml), 0);
    _cleanup_free_ char *now = vp_asprintf("<source file='%s'/>", x);
    assert_non_null(strstr(xml, now));
    free(xml);
    assert_int_equal(vp_domain_start(dom, 0), 0);
    assert_state(dom, VP_DOMAIN_RUNNING);
    assert_int_equal(vp_domain_destroy(dom, 0), 0);
    vp_snapshot_free(a);
    vp_domain_free(dom);
}

/* Defect 4: a channel source path naming a regular file. */
static void
test_channel_path_file_is_never_deleted(void **state)
{
    fixture *f = *state;
    _cleanup_free_ char *precious = vp_asprintf("%s/precious", f->root);
    assert_int_equal(vp_plugin_file_write_atomic(precious, "keep me\n", 8, 0600), 0);
    _cleanup_free_ char *chan =
        vp_asprintf("<channel type='unix'><source mode='bind' path='%s'/>"
                    "<target type='virtio' name='org.qemu.guest_agent.0'/></channel>",
                    precious);
    vp_domain *dom = define(f, "chan", f->disk, chan);
    QT_ASSERT_ERROR(vp_domain_start(dom, 0), VP_ERR_INVALID_ARG, precious, "not a socket");
    _cleanup_free_ char *text = NULL;
    assert_int_equal(vp_plugin_file_read(precious, 64, &text, NULL), 0);
    assert_string_equal(text, "keep me\n");
    assert_int_equal(qt_pid(f->root, "chan"), -1);
    assert_false(qt_run_file_exists(f->root, "chan", ".qmp"));
    assert_state(dom, VP_DOMAIN_SHUTOFF);
    vp_domain_free(dom);
}

/* Defect 4: a dangling symlink as overlay is refused, its target never made. */
static void
test_dangling_symlink_overlay_refused(void **state)
{
    fixture *f = *state;
    vp_domain *dom = define(f, "ln", f->disk, NULL);
    assert_int_equal(vp_domain_start(dom, 0), 0);
    _cleanup_free_ char *link = vp_asprintf("%s/link", f->root);
    _cleanup_free_ char *target = vp_asprintf("%s/elsewhere", f->root);
    assert_int_equal(symlink(target, link), 0);
    _cleanup_free_ char *xml =
        vp_asprintf("<domainsnapshot><name>s</name><disks><disk name='vda' snapshot='external'>"
                    "<source file='%s'/></disk></disks></domainsnapshot>",
                    link);
    QT_ASSERT_ERROR(vp_snapshot_create_xml(dom, xml, VP_SNAPSHOT_CREATE_DISK_ONLY, NULL),
                    VP_ERR_INVALID_ARG, link, "already exists");
    assert_int_equal(access(target, F_OK), -1);
    assert_int_equal(vp_domain_destroy(dom, 0), 0);
    vp_domain_free(dom);
}

/* Defect 5: query-block of a 100-deep chain nests past json-c's default. */
static void
test_hundred_deep_chain(void **state)
{
    fixture *f = *state;
    vp_domain *dom = define(f, "deep", f->disk, NULL);
    assert_int_equal(vp_domain_start(dom, 0), 0);
    for (int i = 1; i <= 100; i++) {
        _cleanup_free_ char *name = vp_asprintf("s%d", i);
        disk_snapshot(dom, name);
    }
    assert_int_equal(vp_domain_destroy(dom, 0), 0);
    assert_int_equal(vp_domain_start(dom, 0), 0);
    disk_snapshot(dom, "s101");
    char *xml = NULL;
    assert_int_equal(vp_domain_get_xml(dom, 0, &xml), 0);
    _cleanup_free_ char *top = vp_asprintf("%s/ch.s101", f->root);
    assert_non_null(strstr(xml, top));
    free(xml);
    assert_int_equal(vp_domain_destroy(dom, 0), 0);
    vp_domain_free(dom);
}

/* Defect 3: a QEMU of the domain that no record knows (its record lost)
 * is adopted by the next start, never left holding the disk. */
static void
test_unrecorded_qemu_adopted(void **state)
{
    fixture *f = *state;
    vp_domain *dom = define(f, "orphan", f->disk, NULL);
    assert_int_equal(vp_domain_start(dom, 0), 0);
    pid_t pid = qt_pid(f->root, "orphan");
    assert_true(pid > 0);
    _cleanup_free_ char *rec = vp_asprintf("%s/run/orphan.json", f->root);
    assert_int_equal(unlink(rec), 0);
    assert_state(dom, VP_DOMAIN_SHUTOFF);
    QT_ASSERT_ERROR(vp_domain_start(dom, 0), VP_ERR_OPERATION_INVALID, "'orphan'",
                    "already running", "adopted");
    assert_state(dom, VP_DOMAIN_RUNNING);
    assert_int_equal(qt_pid(f->root, "orphan"), pid);
    assert_int_equal(vp_domain_destroy(dom, 0), 0);
    assert_true(qt_wait_pid_gone(pid, 5000));
    vp_domain_free(dom);
}

/* Defect 6: state answers while another operation holds the domain. */
static void
test_state_never_waits_for_a_busy_domain(void **state)
{
    fixture *f = *state;
    vp_domain *dom = define(f, "busy", f->disk, NULL);
    assert_int_equal(vp_domain_start(dom, 0), 0);
    _cleanup_free_ char *path = vp_asprintf("%s/run/busy.lock", f->root);
    int fd = open(path, O_RDWR | O_CLOEXEC);
    assert_true(fd >= 0);
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
    assert_int_equal(fcntl(fd, F_OFD_SETLK, &fl), 0);
    assert_state(dom, VP_DOMAIN_RUNNING);
    vp_domain **doms = NULL;
    assert_int_equal(vp_conn_list_domains(f->conn, VP_LIST_DOMAINS_ACTIVE, &doms), 1);
    vp_domain_list_free(doms);
    /* And a QEMU that died meanwhile reads shut off, not running. */
    pid_t pid = qt_pid(f->root, "busy");
    assert_int_equal(kill(pid, SIGKILL), 0);
    assert_true(qt_wait_pid_gone(pid, 5000));
    assert_state(dom, VP_DOMAIN_SHUTOFF);
    close(fd);
    assert_state(dom, VP_DOMAIN_SHUTOFF);
    vp_domain_free(dom);
}

static int
lock_holder(const char *path)
{
    int fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return 0;
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
    int r = fcntl(fd, F_OFD_GETLK, &fl);
    close(fd);
    return r == 0 && fl.l_type != F_UNLCK;
}

/* Defect 6: destroy wins over a shutdown that waits for a guest that
 * ignores the ACPI button (firmware only: nothing answers it). The wait
 * holds no lock: the destroy goes through at once and ends the wait. */
static void
test_destroy_wins_over_a_waiting_shutdown(void **state)
{
    fixture *f = *state;
    vp_domain *dom = define(f, "deaf", f->disk, NULL);
    assert_int_equal(vp_domain_start(dom, 0), 0);
    _cleanup_free_ char *uri = qt_uri(f->root, "shutdown_timeout_ms=60000");
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        vp_conn *conn = NULL;
        vp_domain *d = NULL;
        int r = vp_conn_open(uri, 0, &conn);
        if (r >= 0)
            r = vp_domain_lookup_by_name(conn, "deaf", &d);
        if (r >= 0)
            r = vp_domain_shutdown(d, VP_DOMAIN_SHUTDOWN_WAIT);
        _exit(r < 0 ? 1 : 0);
    }
    /* The child holds the lock only while it sends the request: give it
     * time to get there and into its (unlocked) wait. */
    _cleanup_free_ char *lock = vp_asprintf("%s/run/deaf.lock", f->root);
    for (int i = 0; i < 100 && !lock_holder(lock); i++)
        usleep(10000);
    usleep(500000);
    assert_int_equal(vp_domain_destroy(dom, 0), 0);
    int st;
    assert_int_equal(waitpid(child, &st, 0), child);
    /* Its wait ended with QEMU gone, destroyed rather than crashed. */
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    int s = -1, reason = -1;
    assert_int_equal(vp_domain_get_state(dom, &s, &reason, 0), 0);
    assert_int_equal(s, VP_DOMAIN_SHUTOFF);
    assert_int_equal(reason, VP_DOMAIN_SHUTOFF_DESTROYED);
    assert_int_equal(qt_pid(f->root, "deaf"), -1);
    vp_domain_free(dom);
}

/* Defect 7: a diskspec for a disk the domain does not have. */
static void
test_diskspec_for_a_missing_disk_refused(void **state)
{
    fixture *f = *state;
    vp_domain *dom = define(f, "spec", f->disk, NULL);
    assert_int_equal(vp_domain_start(dom, 0), 0);
    QT_ASSERT_ERROR(vp_snapshot_create_xml(dom,
                                           "<domainsnapshot><name>s</name><disks>"
                                           "<disk name='vdz' snapshot='external'/>"
                                           "</disks></domainsnapshot>",
                                           VP_SNAPSHOT_CREATE_DISK_ONLY, NULL),
                    VP_ERR_INVALID_ARG, "'vdz'", "'spec'", "'vda'");
    vp_snapshot **snaps = NULL;
    assert_int_equal(vp_snapshot_list(dom, 0, &snaps), 0);
    vp_snapshot_list_free(snaps);
    _cleanup_free_ char *ov = vp_asprintf("%s/ch.s", f->root);
    assert_int_equal(access(ov, F_OK), -1);
    assert_int_equal(vp_domain_destroy(dom, 0), 0);
    vp_domain_free(dom);
}

/* Defect 9: roots and parameters the driver must not take silently. */
static void
test_uri_roots_and_parameters(void **state)
{
    (void)state;
    struct stat before;
    bool had_config = stat("/config", &before) == 0;
    vp_conn *conn = NULL;
    QT_ASSERT_ERROR(vp_conn_open("qemu:///embed?root=/", 0, &conn), VP_ERR_INVALID_ARG, "'/'",
                    "system directory");
    QT_ASSERT_ERROR(vp_conn_open("qemu:///embed?root=/etc/", 0, &conn), VP_ERR_INVALID_ARG,
                    "system directory");
    QT_ASSERT_ERROR(vp_conn_open("qemu:///embed?root=/var/tmp/../etc", 0, &conn),
                    VP_ERR_INVALID_ARG, "'..'");
    assert_int_equal(stat("/config", &before) == 0, had_config);
    QT_ASSERT_ERROR(vp_conn_open("qemu:///embed?root=/var/tmp/vp-x&lock_timout_ms=1", 0, &conn),
                    VP_ERR_INVALID_ARG, "'lock_timout_ms'", "lock_timeout_ms");
    QT_ASSERT_ERROR(vp_conn_open("qemu:///session?root=/var/tmp/vp-x", 0, &conn),
                    VP_ERR_INVALID_ARG, "'root'", "embed");
    assert_null(conn);
}

/* Defect 9: a refused name gets the whole rule, not part of it. */
static void
test_name_error_states_the_rule(void **state)
{
    fixture *f = *state;
    QT_ASSERT_ERROR(vp_domain_define_xml(f->conn,
                                         "<domain type='qemu'><name>a\\b</name>"
                                         "<memory unit='MiB'>32</memory><os><type arch='x86_64' "
                                         "machine='none'>hvm</type></os></domain>",
                                         0, NULL),
                    VP_ERR_XML, "'a\\b'", "64 characters", "'/'", "'\\'", "','",
                    "control character", "leading '.'");
}

/* Defect 9: an <emulator> that hangs is killed with everything it started. */
static void
test_hanging_emulator_killed_with_its_children(void **state)
{
    fixture *f = *state;
    _cleanup_free_ char *script = vp_asprintf("%s/hang", f->root);
    _cleanup_free_ char *child_pid = vp_asprintf("%s/hang.child", f->root);
    _cleanup_free_ char *text =
        vp_asprintf("#!/bin/sh\nsleep 300 &\necho $! > '%s'\nwait\n", child_pid);
    assert_int_equal(vp_plugin_file_write_atomic(script, text, strlen(text), 0700), 0);
    vp_conn *conn = NULL;
    _cleanup_free_ char *uri = qt_uri(f->root, "start_timeout_ms=700");
    assert_int_equal(vp_conn_open(uri, 0, &conn), 0);
    _cleanup_free_ char *xml =
        vp_asprintf("<domain type='qemu'><name>hang</name><memory unit='MiB'>32</memory>"
                    "<os><type arch='x86_64' machine='none'>hvm</type></os>"
                    "<devices><emulator>%s</emulator></devices></domain>",
                    script);
    vp_domain *dom = NULL;
    assert_int_equal(vp_domain_define_xml(conn, xml, 0, &dom), 0);
    QT_ASSERT_ERROR(vp_domain_start(dom, 0), VP_ERR_TIMEOUT, "'hang'", "700 ms");
    _cleanup_free_ char *pidtext = NULL;
    assert_int_equal(vp_plugin_file_read(child_pid, 64, &pidtext, NULL), 0);
    pid_t pid = (pid_t)strtol(pidtext, NULL, 10);
    assert_true(pid > 0);
    assert_true(qt_wait_pid_gone(pid, 5000));
    assert_state(dom, VP_DOMAIN_SHUTOFF);
    vp_domain_free(dom);
    vp_conn_close(conn);
}

/* Defect 9: one corrupt runtime record spoils only its own domain. */
static void
test_corrupt_record_spoils_one_domain(void **state)
{
    fixture *f = *state;
    vp_domain *good = define(f, "good", f->disk, NULL);
    _cleanup_free_ char *disk2 = vp_asprintf("%s/other.qcow2", f->root);
    vp_domain *bad = define(f, "bad", disk2, NULL);
    _cleanup_free_ char *rec = vp_asprintf("%s/run/bad.json", f->root);
    assert_int_equal(vp_plugin_file_write_atomic(rec, "{garbage", 8, 0600), 0);
    vp_domain **doms = NULL;
    assert_int_equal(vp_conn_list_domains(f->conn, 0, &doms), 2);
    vp_domain_list_free(doms);
    assert_state(good, VP_DOMAIN_SHUTOFF);
    int s, reason;
    QT_ASSERT_ERROR(vp_domain_get_state(bad, &s, &reason, 0), VP_ERR_INTERNAL, rec,
                    "not valid JSON");
    vp_domain_free(good);
    vp_domain_free(bad);
}

/* A record longer than the one read the driver tries first is read to its
 * end, not taken for corrupt; so is one whose first read ends mid-way. */
static void
test_long_record_read_whole(void **state)
{
    fixture *f = *state;
    vp_domain *dom = define(f, "long", f->disk, NULL);
    _cleanup_free_ char *rec = vp_asprintf("%s/run/long.json", f->root);
    for (size_t pad = 4000; pad <= 12000; pad += 4000) {
        _cleanup_free_ char *spaces = vp_new0(char, pad + 1);
        memset(spaces, ' ', pad);
        _cleanup_free_ char *text =
            vp_asprintf("{\"active\":false,%s\"state\":%d,\"reason\":%d}", spaces,
                        VP_DOMAIN_SHUTOFF, VP_DOMAIN_SHUTOFF_CRASHED);
        assert_int_equal(vp_plugin_file_write_atomic(rec, text, strlen(text), 0600), 0);
        int s = -1, reason = -1;
        assert_int_equal(vp_domain_get_state(dom, &s, &reason, 0), 0);
        assert_int_equal(s, VP_DOMAIN_SHUTOFF);
        assert_int_equal(reason, VP_DOMAIN_SHUTOFF_CRASHED);
    }
    vp_domain_free(dom);
}

static size_t
files_named(const char *dir, const char *prefix)
{
    size_t n = 0, len = strlen(prefix);
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (strncmp(e->d_name, prefix, len) == 0) {
            fprintf(stderr, "left behind: %s/%s\n", dir, e->d_name);
            n++;
        }
    }
    if (d)
        closedir(d);
    return n;
}

/* Defect 11: undefine and a failed start leave nothing behind. */
static void
test_nothing_left_behind(void **state)
{
    fixture *f = *state;
    _cleanup_free_ char *run = vp_asprintf("%s/run", f->root);
    _cleanup_free_ char *config = vp_asprintf("%s/config", f->root);
    _cleanup_free_ char *chan = vp_strdup("<channel type='unix'>"
                                          "<target type='virtio' name='org.qemu.guest_agent.0'/>"
                                          "</channel>");
    vp_domain *dom = define(f, "gone", f->disk, chan);
    assert_int_equal(vp_domain_start(dom, 0), 0);
    assert_true(qt_run_file_exists(f->root, "gone", ".agent.in"));
    assert_int_equal(vp_domain_destroy(dom, 0), 0);
    assert_int_equal(vp_domain_undefine(dom, 0), 0);
    assert_int_equal(files_named(run, "gone."), 0);
    assert_int_equal(files_named(config, "gone."), 0);
    vp_domain_free(dom);

    /* A start that fails (the disk is missing) leaves no socket. */
    _cleanup_free_ char *missing = vp_asprintf("%s/missing.qcow2", f->root);
    dom = define(f, "fails", missing, chan);
    QT_ASSERT_ERROR(vp_domain_start(dom, 0), VP_ERR_SYSTEM, "'fails'");
    assert_false(qt_run_file_exists(f->root, "fails", ".qmp"));
    assert_false(qt_run_file_exists(f->root, "fails", ".agent.in"));
    assert_false(qt_run_file_exists(f->root, "fails", ".pid"));
    assert_int_equal(vp_domain_undefine(dom, 0), 0);
    assert_int_equal(files_named(run, "fails."), 0);
    vp_domain_free(dom);
}

/* An application's inheritable descriptor (here a pipe, as a shell's
 * "vpsh start web | cat" or a test harness's log gives) is not kept open by
 * the QEMU the driver starts: the reader sees EOF once the application
 * closes its end, while the domain runs on. */
static void
test_caller_descriptors_not_inherited(void **state)
{
    fixture *f = *state;
    int p[2];
    assert_int_equal(pipe(p), 0); /* no O_CLOEXEC: inheritable */
    vp_domain *dom = define(f, "fds", f->disk, NULL);
    assert_int_equal(vp_domain_start(dom, 0), 0);
    close(p[1]);
    struct pollfd pf = {.fd = p[0], .events = POLLIN};
    assert_int_equal(poll(&pf, 1, 5000), 1); /* EOF, not a timeout */
    char c;
    assert_int_equal(read(p[0], &c, 1), 0);
    close(p[0]);
    assert_state(dom, VP_DOMAIN_RUNNING);
    assert_int_equal(vp_domain_destroy(dom, 0), 0);
    vp_domain_free(dom);
}

/* Defect 11: an operation that waited for an undefine finds no domain and
 * leaves no lock file of its own behind. */
static void
test_waiter_of_an_undefine_leaves_no_lock(void **state)
{
    fixture *f = *state;
    vp_domain *dom = define(f, "w", f->disk, NULL);
    _cleanup_free_ char *lock = vp_asprintf("%s/run/w.lock", f->root);
    _cleanup_free_ char *def = vp_asprintf("%s/config/w.xml", f->root);
    int fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    assert_true(fd >= 0);
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
    assert_int_equal(fcntl(fd, F_OFD_SETLK, &fl), 0);
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        int r = vp_domain_start(dom, 0);
        const vp_error *e = vp_error_last();
        int status = r == VP_ERR_NO_DOMAIN && e && strstr(e->message, "'w'") ? 0 : 1;
        /* _exit() runs no cleanup: what the child holds is freed here, so
         * valgrind (make check-valgrind) sees no leak in it. */
        free(lock);
        free(def);
        vp_domain_free(dom);
        _exit(status);
    }
    /* What undefine does while it holds the lock, the definition last. */
    usleep(200000);
    assert_int_equal(unlink(lock), 0);
    assert_int_equal(unlink(def), 0);
    close(fd);
    int st;
    assert_int_equal(waitpid(child, &st, 0), child);
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), 0);
    assert_int_equal(access(lock, F_OK), -1);
    vp_domain_free(dom);
}

int
main(int argc, char **argv)
{
    qt_self = argv[0];
    if (argc > 1)
        return qt_child_main(argc, argv);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_overlay_kept_while_a_chain_reaches_it, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_waiting_definition_keeps_its_chain, setup, teardown),
        cmocka_unit_test_setup_teardown(test_channel_path_file_is_never_deleted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dangling_symlink_overlay_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hundred_deep_chain, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unrecorded_qemu_adopted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_state_never_waits_for_a_busy_domain, setup, teardown),
        cmocka_unit_test_setup_teardown(test_destroy_wins_over_a_waiting_shutdown, setup, teardown),
        cmocka_unit_test_setup_teardown(test_diskspec_for_a_missing_disk_refused, setup, teardown),
        cmocka_unit_test(test_uri_roots_and_parameters),
        cmocka_unit_test_setup_teardown(test_name_error_states_the_rule, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hanging_emulator_killed_with_its_children, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_corrupt_record_spoils_one_domain, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_record_read_whole, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nothing_left_behind, setup, teardown),
        cmocka_unit_test_setup_teardown(test_waiter_of_an_undefine_leaves_no_lock, setup, teardown),
        cmocka_unit_test_setup_teardown(test_caller_descriptors_not_inherited, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
