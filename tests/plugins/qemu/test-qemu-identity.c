/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-qemu-identity.c: UUIDs, IDs and stale handles of the QEMU driver
 * (plugins/qemu/qemu-identity.c) against real QEMU '-machine none'
 * domains: IDs count on across connections (each one stands for another
 * process: the driver keeps nothing in memory) and across a lost counter
 * file; a handle whose domain was undefined and defined again by another
 * connection fails and starts nothing. Also the runtime data of
 * qemu-info.c (domain info with QEMU's CPU time, node info, host name).
 */
#include <config.h>

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
#include <virtplug/virtplug.h>

#include "qemu-test-util.h"

#define UUID_A "aaaaaaaa-0000-4000-8000-000000000001"
#define UUID_B "bbbbbbbb-0000-4000-8000-000000000002"

typedef struct fixture {
    char *root;
    vp_conn *conn;
    vp_conn *other; /* another process, as far as the driver can tell */
} fixture;

static int
setup(void **state)
{
    fixture *f = vp_new0(fixture, 1);
    f->root = qt_root_new();
    _cleanup_free_ char *uri = qt_uri(f->root, NULL);
    assert_int_equal(vp_conn_open(uri, 0, &f->conn), 0);
    assert_int_equal(vp_conn_open(uri, 0, &f->other), 0);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    fixture *f = *state;
    vp_conn_close(f->conn);
    vp_conn_close(f->other);
    qt_root_destroy(f->root);
    free(f);
    return 0;
}

static vp_domain *
define(vp_conn *conn, const char *name, const char *uuid)
{
    _cleanup_free_ char *xml =
        vp_asprintf("<domain type='qemu'>\n"
                    "  <name>%s</name>\n"
                    "  <uuid>%s</uuid>\n"
                    "  <memory unit='MiB'>32</memory>\n"
                    "  <vcpu>1</vcpu>\n"
                    "  <os><type arch='x86_64' machine='none'>hvm</type></os>\n"
                    "</domain>\n",
                    name, uuid);
    vp_domain *dom = NULL;
    int r = vp_domain_define_xml(conn, xml, 0, &dom);
    if (r < 0)
        fail_msg("define: %s", vp_error_last()->message);
    return dom;
}

static int
get_id(vp_domain *dom)
{
    int id = -42;
    int r = vp_domain_get_id(dom, &id);
    if (r < 0)
        fail_msg("get_id: %s", vp_error_last()->message);
    return id;
}

static void
assert_lookup_id(vp_conn *conn, int id, const char *name)
{
    vp_domain *dom = NULL;
    assert_int_equal(vp_domain_lookup_by_id(conn, id, &dom), 0);
    assert_string_equal(vp_domain_get_name(dom), name);
    vp_domain_free(dom);
}

static void
test_uuid(void **state)
{
    fixture *f = *state;
    vp_domain *a = define(f->conn, "a", UUID_A);
    char uuid[VP_UUID_STRING_BUFLEN];
    assert_int_equal(vp_domain_get_uuid_string(a, uuid), 0);
    assert_string_equal(uuid, UUID_A);
    vp_domain *dom = NULL;
    assert_int_equal(
        vp_domain_lookup_by_uuid_string(f->other, "AAAAAAAA-0000-4000-8000-000000000001", &dom), 0);
    assert_string_equal(vp_domain_get_name(dom), "a");
    vp_domain_free(dom);
    dom = NULL;
    QT_ASSERT_ERROR(vp_domain_lookup_by_uuid_string(f->conn, UUID_B, &dom), VP_ERR_NO_DOMAIN,
                    "no domain with uuid '" UUID_B "'");
    /* The OS type of a definition beyond the 1.0 subset, read as the
     * driver's capabilities allow. */
    vp_domain *x = NULL;
    assert_int_equal(vp_domain_define_xml(f->conn,
                                          "<domain type='qemu'><name>x</name>"
                                          "<memory unit='MiB'>32</memory><vcpu>1</vcpu>"
                                          "<os><type arch='x86_64' machine='pc'>hvm</type></os>"
                                          "<clock offset='utc'/></domain>",
                                          0, &x),
                     0);
    char *os = NULL;
    int r = vp_domain_get_os_type(x, &os);
    if (r < 0)
        fail_msg("os type: %s", vp_error_last()->message);
    assert_string_equal(os, "hvm");
    free(os);
    vp_domain_free(x);
    vp_domain_free(a);
}

static void
test_ids_count_on_across_processes(void **state)
{
    fixture *f = *state;
    vp_domain *a = define(f->conn, "a", UUID_A);
    vp_domain *b = define(f->conn, "b", UUID_B);
    assert_int_equal(get_id(a), -1);
    assert_int_equal(vp_domain_start(a, 0), 0);
    assert_int_equal(get_id(a), 1);
    assert_lookup_id(f->other, 1, "a");

    vp_domain *b2 = NULL;
    assert_int_equal(vp_domain_lookup_by_name(f->other, "b", &b2), 0);
    assert_int_equal(vp_domain_start(b2, 0), 0);
    assert_int_equal(get_id(b), 2);
    assert_int_equal(vp_domain_suspend(b, 0), 0);
    assert_int_equal(get_id(b2), 2);

    assert_int_equal(vp_domain_destroy(a, 0), 0);
    assert_int_equal(get_id(a), -1);
    vp_domain *dom = NULL;
    QT_ASSERT_ERROR(vp_domain_lookup_by_id(f->conn, 1, &dom), VP_ERR_NO_DOMAIN,
                    "no running domain with id 1");
    assert_int_equal(vp_domain_start(a, 0), 0);
    assert_int_equal(get_id(a), 3);

    /* The counter file lost: IDs go on above those of running domains. */
    assert_int_equal(vp_domain_destroy(a, 0), 0);
    _cleanup_free_ char *counter = vp_asprintf("%s/run/.last-id", f->root);
    assert_int_equal(unlink(counter), 0);
    assert_int_equal(vp_domain_start(a, 0), 0);
    assert_int_equal(get_id(a), 3);
    assert_lookup_id(f->conn, 2, "b");
    assert_lookup_id(f->conn, 3, "a");

    /* A QEMU killed behind the driver's back has no ID any more. */
    pid_t pid = qt_pid(f->root, "b");
    assert_true(pid > 0);
    kill(pid, SIGKILL);
    assert_true(qt_wait_pid_gone(pid, 5000));
    assert_int_equal(get_id(b), -1);
    QT_ASSERT_ERROR(vp_domain_lookup_by_id(f->conn, 2, &dom), VP_ERR_NO_DOMAIN, "id 2");

    assert_int_equal(vp_domain_destroy(a, 0), 0);
    vp_domain_free(a);
    vp_domain_free(b);
    vp_domain_free(b2);
}

static void
test_stale_handle(void **state)
{
    fixture *f = *state;
    vp_domain *old = define(f->conn, "a", UUID_A);
    vp_domain *other = NULL;
    assert_int_equal(vp_domain_lookup_by_name(f->other, "a", &other), 0);
    assert_int_equal(vp_domain_undefine(other, 0), 0);
    vp_domain_free(other);
    vp_domain *now = define(f->other, "a", UUID_B);

    const char *words[] = {"domain 'a' was undefined and redefined since this handle was made",
                           UUID_A, UUID_B, NULL};
    qt_assert_error(vp_domain_start(old, 0), VP_ERR_NO_DOMAIN, words);
    assert_int_equal(qt_pid(f->root, "a"), -1); /* nothing was started */
    int st;
    qt_assert_error(vp_domain_get_state(old, &st, NULL, 0), VP_ERR_NO_DOMAIN, words);
    qt_assert_error(vp_domain_undefine(old, 0), VP_ERR_NO_DOMAIN, words);
    int id;
    qt_assert_error(vp_domain_get_id(old, &id), VP_ERR_NO_DOMAIN, words);

    assert_int_equal(vp_domain_start(now, 0), 0);
    qt_assert_error(vp_domain_destroy(old, 0), VP_ERR_NO_DOMAIN, words);
    assert_true(qt_pid(f->root, "a") > 0); /* the new domain still runs */
    assert_int_equal(vp_domain_destroy(now, 0), 0);
    vp_domain_free(now);
    vp_domain_free(old);
}

/* CPU ticks (user + system) of @pid in ns, read here as the driver should. */
static uint64_t
proc_cpu_ns(pid_t pid)
{
    _cleanup_free_ char *path = vp_asprintf("/proc/%d/stat", (int)pid);
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    char buf[2048];
    size_t n = fread(buf, 1, sizeof(buf) - 1, fp);
    fclose(fp);
    buf[n] = '\0';
    const char *p = strrchr(buf, ')') + 2;
    unsigned long long utime = 0, stime = 0;
    assert_int_equal(
        sscanf(p, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime, &stime), 2);
    return (utime + stime) * (1000000000ull / (unsigned long long)sysconf(_SC_CLK_TCK));
}

/* qemu-info.c: the definition's memory and vCPUs, the state, and QEMU's
 * CPU time from /proc; 0 when shut off. A running guest without a balloon
 * has all of <memory> (QEMU's -m), whatever <currentMemory> says. */
static void
test_info(void **state)
{
    fixture *f = *state;
    _cleanup_free_ char *xml =
        vp_asprintf("<domain type='qemu'>\n"
                    "  <name>a</name>\n"
                    "  <uuid>%s</uuid>\n"
                    "  <memory unit='MiB'>32</memory>\n"
                    "  <currentMemory unit='MiB'>16</currentMemory>\n"
                    "  <vcpu>1</vcpu>\n"
                    "  <os><type arch='x86_64' machine='none'>hvm</type></os>\n"
                    "</domain>\n",
                    UUID_A);
    vp_domain *a = NULL;
    assert_int_equal(vp_domain_define_xml(f->conn, xml, 0, &a), 0);
    vp_domain_info info = {.size = sizeof(info)};
    assert_int_equal(vp_domain_get_info(a, &info), 0);
    assert_int_equal(info.state, VP_DOMAIN_SHUTOFF);
    assert_int_equal(info.max_memory_kib, 32 * 1024);
    assert_int_equal(info.memory_kib, 16 * 1024);
    assert_int_equal(info.vcpus, 1);
    assert_int_equal(info.cpu_time_ns, 0);
    assert_int_equal(vp_domain_start(a, 0), 0);
    pid_t pid = qt_pid(f->root, "a");
    uint64_t before = proc_cpu_ns(pid);
    assert_int_equal(vp_domain_get_info(a, &info), 0);
    uint64_t after = proc_cpu_ns(pid);
    assert_int_equal(info.state, VP_DOMAIN_RUNNING);
    assert_int_equal(info.reason, VP_DOMAIN_RUNNING_BOOTED);
    assert_int_equal(info.memory_kib, 32 * 1024);
    assert_true(info.cpu_time_ns >= before && info.cpu_time_ns <= after);
    assert_int_equal(vp_domain_suspend(a, 0), 0);
    assert_int_equal(vp_domain_get_info(a, &info), 0);
    assert_int_equal(info.state, VP_DOMAIN_PAUSED);

    vp_node_info node = {.size = sizeof(node)};
    assert_int_equal(vp_node_get_info(f->conn, &node), 0);
    assert_int_equal(node.cpus, sysconf(_SC_NPROCESSORS_ONLN));
    char *host = NULL;
    assert_int_equal(vp_conn_get_hostname(f->conn, &host), 0);
    assert_true(host && *host);
    free(host);
    assert_int_equal(vp_domain_destroy(a, 0), 0);
    vp_domain_free(a);
}

int
main(int argc, char **argv)
{
    qt_self = argv[0];
    if (argc > 1)
        return qt_child_main(argc, argv);
    if (access(QEMU_BINARY, X_OK) < 0) {
        fprintf(stderr, "SKIP: '%s' is not installed (Debian package qemu-system-x86)\n",
                QEMU_BINARY);
        return 77;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_uuid, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ids_count_on_across_processes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stale_handle, setup, teardown),
        cmocka_unit_test_setup_teardown(test_info, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
