/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-qemu-driver.c: the QEMU driver against real QEMU, without a guest
 * OS: '-machine none' domains start in well under a second under TCG.
 * Covers connections, definitions, start/stop/suspend/resume, state
 * reasons, a second process finding a running QEMU, a QEMU killed with
 * SIGKILL, a start that QEMU refuses, a guest that never answers its
 * agent or the power button, and paths (root, disk, serial file, kernel)
 * holding characters QEMU's option syntaxes treat specially. The full
 * guest lifecycle is in test-qemu-guest.c. Every QEMU started here is
 * killed in the teardown.
 */
#include <config.h>

#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <virtplug/sdk/alloc.h>
#include <virtplug/virtplug.h>

#include "qemu-test-util.h"

typedef qt_root_conn fixture;

static char *
domain_xml(const char *name, const char *machine, const char *devices)
{
    return vp_asprintf("<domain type='qemu'>\n"
                       "  <name>%s</name>\n"
                       "  <memory unit='MiB'>32</memory>\n"
                       "  <vcpu>1</vcpu>\n"
                       "  <os><type arch='x86_64' machine='%s'>hvm</type></os>\n"
                       "  <devices>%s</devices>\n"
                       "</domain>\n",
                       name, machine, devices ? devices : "");
}

static int
setup_extra(void **state, const char *extra)
{
    *state = qt_root_conn_open(extra);
    return 0;
}

static int
setup(void **state)
{
    return setup_extra(state, NULL);
}

static int
setup_short_lock(void **state)
{
    return setup_extra(state, "lock_timeout_ms=300");
}

static int
setup_short_timeouts(void **state)
{
    return setup_extra(state, "agent_timeout_ms=1500&shutdown_timeout_ms=1500");
}

static int
teardown(void **state)
{
    qt_root_conn_close(*state);
    return 0;
}

static vp_domain *
define(fixture *f, const char *name, const char *machine, const char *devices)
{
    _cleanup_free_ char *xml = domain_xml(name, machine, devices);
    vp_domain *dom = NULL;
    int r = vp_domain_define_xml(f->conn, xml, 0, &dom);
    if (r < 0)
        fprintf(stderr, "define: %s\n", vp_error_last()->message);
    assert_int_equal(r, 0);
    return dom;
}

static void
assert_state(vp_domain *dom, int state, int reason)
{
    int s = -1, why = -1;
    assert_int_equal(vp_domain_get_state(dom, &s, &why, 0), 0);
    assert_int_equal(s, state);
    assert_int_equal(why, reason);
}

/* ---- connections ---------------------------------------------------------- */

static void
test_conn_open_errors(void **state)
{
    vp_conn *conn = NULL;
    QT_ASSERT_ERROR(vp_conn_open("qemu:///embed", 0, &conn), VP_ERR_INVALID_ARG, "absolute",
                    "root=");
    QT_ASSERT_ERROR(vp_conn_open("qemu:///embed?root=relative/dir", 0, &conn), VP_ERR_INVALID_ARG,
                    "absolute");
    QT_ASSERT_ERROR(vp_conn_open("qemu:///bogus", 0, &conn), VP_ERR_INVALID_ARG, "'/bogus'",
                    "qemu:///session");
    QT_ASSERT_ERROR(vp_conn_open("qemu://otherhost/system", 0, &conn), VP_ERR_INVALID_ARG,
                    "'otherhost'");
    QT_ASSERT_ERROR(
        vp_conn_open("qemu:///embed?root=/var/tmp/vp-nowhere&agent_timeout_ms=0", 0, &conn),
        VP_ERR_INVALID_ARG, "agent_timeout_ms", "'0'");
    assert_null(conn);
}

static void
test_conn_open_embed_creates_dirs(void **state)
{
    fixture *f = *state;
    _cleanup_free_ char *config = vp_asprintf("%s/config", f->root);
    _cleanup_free_ char *run = vp_asprintf("%s/run", f->root);
    assert_int_equal(access(config, F_OK), 0);
    assert_int_equal(access(run, F_OK), 0);
    assert_string_equal(vp_conn_get_driver_name(f->conn), "qemu");
    assert_int_equal(vp_conn_num_of_domains(f->conn), 0);
}

static void
test_conn_open_session(void **state)
{
    fixture *f = *state;
    _cleanup_free_ char *config = vp_asprintf("%s/xdg-config", f->root);
    _cleanup_free_ char *runtime = vp_asprintf("%s/vp-runtime", f->root);
    setenv("XDG_CONFIG_HOME", config, 1);
    setenv("VIRTPLUG_RUNTIME_DIR", runtime, 1);
    vp_conn *conn = NULL;
    assert_int_equal(vp_conn_open("qemu:///session", 0, &conn), 0);
    vp_conn_close(conn);
    unsetenv("XDG_CONFIG_HOME");
    unsetenv("VIRTPLUG_RUNTIME_DIR");
    _cleanup_free_ char *qconfig = vp_asprintf("%s/virtplug/qemu", config);
    _cleanup_free_ char *qrun = vp_asprintf("%s/qemu", runtime);
    assert_int_equal(access(qconfig, F_OK), 0);
    assert_int_equal(access(qrun, F_OK), 0);
}

/* ---- definitions ------------------------------------------------------------ */

static void
test_define_lookup_list_undefine(void **state)
{
    fixture *f = *state;
    vp_domain *dom = define(f, "alpha", "none", NULL);
    vp_domain_free(define(f, "beta", "none", NULL));
    _cleanup_free_ char *path = vp_asprintf("%s/config/alpha.xml", f->root);
    assert_int_equal(access(path, F_OK), 0);

    _cleanup_free_ char *xml = NULL;
    assert_int_equal(vp_domain_get_xml(dom, 0, &xml), 0);
    assert_non_null(strstr(xml, "<name>alpha</name>"));
    assert_non_null(strstr(xml, "none"));

    vp_domain **list = NULL;
    assert_int_equal(vp_conn_list_domains(f->conn, 0, &list), 2);
    assert_string_equal(vp_domain_get_name(list[0]), "alpha");
    assert_string_equal(vp_domain_get_name(list[1]), "beta");
    vp_domain_list_free(list);
    assert_int_equal(vp_conn_list_domains(f->conn, VP_LIST_DOMAINS_ACTIVE, &list), 0);
    vp_domain_list_free(list);

    /* A second definition of the name with another uuid is refused. */
    _cleanup_free_ char *again = domain_xml("alpha", "pc", NULL);
    QT_ASSERT_ERROR(vp_domain_define_xml(f->conn, again, 0, NULL), VP_ERR_EXISTS,
                    "domain 'alpha' already exists");
    /* The same uuid (the formatted XML carries it) redefines it. */
    assert_int_equal(vp_domain_define_xml(f->conn, xml, 0, NULL), 0);

    assert_int_equal(vp_domain_undefine(dom, 0), 0);
    assert_int_not_equal(access(path, F_OK), 0);
    vp_domain *gone = NULL;
    QT_ASSERT_ERROR(vp_domain_lookup_by_name(f->conn, "alpha", &gone), VP_ERR_NO_DOMAIN, "'alpha'");
    QT_ASSERT_ERROR(vp_domain_start(dom, 0), VP_ERR_NO_DOMAIN, "'alpha'");
    vp_domain_free(dom);
}

static void
test_define_rejects_bad_names(void **state)
{
    fixture *f = *state;
    _cleanup_free_ char *xml = domain_xml("../escape", "none", NULL);
    QT_ASSERT_ERROR(vp_domain_define_xml(f->conn, xml, 0, NULL), VP_ERR_XML, "'../escape'");
    _cleanup_free_ char *bad = vp_strdup("<domain type='qemu'><name>x</name><bogus/></domain>");
    int r = vp_domain_define_xml(f->conn, bad, 0, NULL);
    assert_int_equal(r, VP_ERR_XML);
    assert_non_null(strstr(vp_error_last()->message, "bogus"));
}

/* ---- lifecycle without a guest -------------------------------------------- */

static void
test_lifecycle_machine_none(void **state)
{
    fixture *f = *state;
    vp_domain *dom = define(f, "none1", "none", NULL);
    assert_state(dom, VP_DOMAIN_SHUTOFF, VP_DOMAIN_SHUTOFF_UNKNOWN);

    assert_int_equal(vp_domain_start(dom, 0), 0);
    pid_t pid = qt_pid(f->root, "none1");
    assert_true(pid > 0);
    assert_true(qt_run_file_exists(f->root, "none1", ".qmp"));
    assert_true(qt_run_file_exists(f->root, "none1", ".json"));
    assert_state(dom, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_BOOTED);
    assert_int_equal(vp_conn_num_of_domains(f->conn), 1);

    QT_ASSERT_ERROR(vp_domain_start(dom, 0), VP_ERR_OPERATION_INVALID,
                    "domain 'none1' is already running");
    QT_ASSERT_ERROR(vp_domain_undefine(dom, 0), VP_ERR_OPERATION_INVALID, "'none1'", "running",
                    "destroy");

    assert_int_equal(vp_domain_suspend(dom, 0), 0);
    assert_state(dom, VP_DOMAIN_PAUSED, VP_DOMAIN_PAUSED_USER);
    /* Another process finds the same QEMU from the runtime record. */
    _cleanup_free_ char *uri = qt_uri(f->root, NULL);
    assert_int_equal(qt_run_self((const char *const[]){"child-state", uri, "none1", NULL}),
                     VP_DOMAIN_PAUSED * 10 + VP_DOMAIN_PAUSED_USER);
    assert_int_equal(vp_domain_resume(dom, 0), 0);
    assert_state(dom, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_UNPAUSED);

    char *json = NULL;
    QT_ASSERT_ERROR(vp_domain_get_guest_info(dom, 0, &json), VP_ERR_NOT_SUPPORTED,
                    "domain 'none1' has no guest agent channel");
    long long sec = -1;
    unsigned int nsec = 0;
    QT_ASSERT_ERROR(vp_domain_get_time(dom, &sec, &nsec, 0), VP_ERR_NOT_SUPPORTED,
                    "clock of domain 'none1'", "no guest agent channel", "org.qemu.guest_agent.0");
    QT_ASSERT_ERROR(vp_domain_set_time(dom, 0, 0, VP_DOMAIN_TIME_SYNC), VP_ERR_NOT_SUPPORTED,
                    "set the clock of domain 'none1'", "no guest agent channel");
    QT_ASSERT_ERROR(vp_domain_set_time(dom, 5, 1000000000u, 0), VP_ERR_INVALID_ARG, "nseconds");
    QT_ASSERT_ERROR(vp_domain_set_time(dom, 4000000000LL, 0, 0), VP_ERR_INVALID_ARG, "2070");
    assert_int_equal(sec, -1);

    assert_int_equal(vp_domain_destroy(dom, 0), 0);
    assert_true(qt_wait_pid_gone(pid, 1000));
    assert_state(dom, VP_DOMAIN_SHUTOFF, VP_DOMAIN_SHUTOFF_DESTROYED);
    assert_false(qt_run_file_exists(f->root, "none1", ".qmp"));
    assert_false(qt_run_file_exists(f->root, "none1", ".pid"));
    assert_int_equal(vp_conn_num_of_domains(f->conn), 0);
    QT_ASSERT_ERROR(vp_domain_destroy(dom, 0), VP_ERR_OPERATION_INVALID, "not running");
    QT_ASSERT_ERROR(vp_domain_suspend(dom, 0), VP_ERR_OPERATION_INVALID, "not running");
    QT_ASSERT_ERROR(vp_domain_get_time(dom, &sec, &nsec, 0), VP_ERR_OPERATION_INVALID,
                    "domain 'none1'", "not running");
    assert_int_equal(vp_domain_undefine(dom, 0), 0);
    vp_domain_free(dom);
}

/* A QEMU started by a process that has exited is found and stopped by another. */
static void
test_qemu_outlives_its_starter(void **state)
{
    fixture *f = *state;
    vp_domain *dom = define(f, "orphan", "none", NULL);
    _cleanup_free_ char *uri = qt_uri(f->root, NULL);
    assert_int_equal(qt_run_self((const char *const[]){"child-start", uri, "orphan", NULL}),
                     VP_DOMAIN_RUNNING * 10 + VP_DOMAIN_RUNNING_BOOTED);
    pid_t pid = qt_pid(f->root, "orphan");
    assert_true(pid > 0);
    assert_state(dom, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_BOOTED);
    assert_int_equal(vp_domain_destroy(dom, 0), 0);
    assert_true(qt_wait_pid_gone(pid, 1000));
    vp_domain_free(dom);
}

/* Another process holding the domain's lock file (simulated by an OFD lock
 * taken here) makes an operation wait, then give up with a clear error. */
static void
test_lock_serialises_operations(void **state)
{
    fixture *f = *state;
    vp_domain *dom = define(f, "locked", "none", NULL);
    _cleanup_free_ char *path = vp_asprintf("%s/run/locked.lock", f->root);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    assert_true(fd >= 0);
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
    assert_int_equal(fcntl(fd, F_OFD_SETLK, &fl), 0);
    QT_ASSERT_ERROR(vp_domain_start(dom, 0), VP_ERR_OPERATION_IN_PROGRESS, "'locked'", "busy");
    /* State queries never wait for a busy domain: the record answers. */
    assert_state(dom, VP_DOMAIN_SHUTOFF, VP_DOMAIN_SHUTOFF_UNKNOWN);
    assert_int_equal(qt_pid(f->root, "locked"), -1); /* nothing was started */
    close(fd);
    assert_state(dom, VP_DOMAIN_SHUTOFF, VP_DOMAIN_SHUTOFF_UNKNOWN);
    vp_domain_free(dom);
}

static void
test_killed_qemu_reads_crashed(void **state)
{
    fixture *f = *state;
    vp_domain *dom = define(f, "victim", "none", NULL);
    assert_int_equal(vp_domain_start(dom, 0), 0);
    pid_t pid = qt_pid(f->root, "victim");
    assert_true(pid > 0);
    assert_int_equal(kill(pid, SIGKILL), 0);
    assert_true(qt_wait_pid_gone(pid, 5000));

    _cleanup_free_ char *uri = qt_uri(f->root, NULL);
    assert_int_equal(qt_run_self((const char *const[]){"child-state", uri, "victim", NULL}),
                     VP_DOMAIN_SHUTOFF * 10 + VP_DOMAIN_SHUTOFF_CRASHED);
    assert_state(dom, VP_DOMAIN_SHUTOFF, VP_DOMAIN_SHUTOFF_CRASHED);
    assert_false(qt_run_file_exists(f->root, "victim", ".pid"));
    assert_false(qt_run_file_exists(f->root, "victim", ".qmp"));
    /* Nothing stayed locked or half-recorded: it starts again. */
    assert_int_equal(vp_domain_start(dom, 0), 0);
    assert_state(dom, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_BOOTED);
    assert_int_equal(vp_domain_destroy(dom, 0), 0);
    vp_domain_free(dom);
}

static void *
kill_later(void *arg)
{
    struct timespec ts = {.tv_nsec = 300 * 1000 * 1000};
    nanosleep(&ts, NULL);
    kill(*(pid_t *)arg, SIGKILL);
    return NULL;
}

/* QEMU killed while shutdown waits for the guest: the call fails and says
 * so, the domain reads crashed, and its lock is free again. */
static void
test_killed_during_shutdown(void **state)
{
    fixture *f = *state;
    vp_domain *dom = define(f, "inflight", "pc", NULL);
    assert_int_equal(vp_domain_start(dom, 0), 0);
    pid_t pid = qt_pid(f->root, "inflight");
    assert_true(pid > 0);
    pthread_t killer;
    assert_int_equal(pthread_create(&killer, NULL, kill_later, &pid), 0);
    /* Killed while waiting for the power-off, or (on a slow host) already
     * during system_powerdown: either way the error says crashed. */
    QT_ASSERT_ERROR(vp_domain_shutdown(dom, VP_DOMAIN_SHUTDOWN_WAIT), VP_ERR_OPERATION_INVALID,
                    "'inflight'", "crashed");
    pthread_join(killer, NULL);
    assert_state(dom, VP_DOMAIN_SHUTOFF, VP_DOMAIN_SHUTOFF_CRASHED);
    assert_int_equal(vp_domain_start(dom, 0), 0);
    assert_int_equal(vp_domain_destroy(dom, 0), 0);
    vp_domain_free(dom);
}

static void
test_start_failure_reports_qemu_error(void **state)
{
    fixture *f = *state;
    vp_domain *dom = define(f, "nodisk", "pc",
                            "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
                            "<source file='/nonexistent/vp-missing.qcow2'/>"
                            "<target dev='vda' bus='virtio'/></disk>");
    QT_ASSERT_ERROR(vp_domain_start(dom, 0), VP_ERR_SYSTEM, "QEMU failed to start domain 'nodisk'",
                    "/nonexistent/vp-missing.qcow2", "No such file or directory");
    assert_state(dom, VP_DOMAIN_SHUTOFF, VP_DOMAIN_SHUTOFF_FAILED);
    assert_false(qt_run_file_exists(f->root, "nodisk", ".pid"));
    vp_domain_free(dom);

    /* <emulator> names the binary that runs. */
    dom = define(f, "emu", "none", "<emulator>/nonexistent/vp-qemu-system</emulator>");
    QT_ASSERT_ERROR(vp_domain_start(dom, 0), VP_ERR_SYSTEM, "'/nonexistent/vp-qemu-system'",
                    "'emu'");
    vp_domain_free(dom);
}

/* A PC with firmware but no OS: nothing answers the agent or ACPI. */
static void
test_no_guest_os(void **state)
{
    fixture *f = *state;
    vp_domain *dom = define(f, "bare", "pc",
                            "<channel type='unix'>"
                            "<target type='virtio' name='org.qemu.guest_agent.0'/></channel>");
    assert_int_equal(vp_domain_start(dom, 0), 0);
    assert_true(qt_run_file_exists(f->root, "bare", ".agent.in"));
    char *json = NULL;
    QT_ASSERT_ERROR(vp_domain_get_guest_info(dom, 0, &json), VP_ERR_AGENT_UNRESPONSIVE, "'bare'");
    assert_null(json);
    long long sec = -1;
    unsigned int nsec = 0;
    QT_ASSERT_ERROR(vp_domain_get_time(dom, &sec, &nsec, 0), VP_ERR_AGENT_UNRESPONSIVE, "'bare'");
    /* The request reaches QEMU: the call returns at once, as libvirt's. */
    assert_int_equal(vp_domain_shutdown(dom, 0), 0);
    QT_ASSERT_ERROR(vp_domain_shutdown(dom, VP_DOMAIN_SHUTDOWN_WAIT), VP_ERR_TIMEOUT,
                    "domain 'bare' did not power off", "destroy");
    QT_ASSERT_ERROR(vp_domain_shutdown(dom, 1u << 30), VP_ERR_INVALID_ARG, "shutdown flags");
    assert_state(dom, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_BOOTED);
    assert_int_equal(vp_domain_suspend(dom, 0), 0);
    QT_ASSERT_ERROR(vp_domain_set_time(dom, 0, 0, VP_DOMAIN_TIME_SYNC), VP_ERR_OPERATION_INVALID,
                    "domain 'bare'", "paused", "resume it first");
    assert_int_equal(vp_domain_resume(dom, 0), 0);
    assert_int_equal(vp_domain_destroy(dom, 0), 0);
    assert_state(dom, VP_DOMAIN_SHUTOFF, VP_DOMAIN_SHUTOFF_DESTROYED);
    assert_false(qt_run_file_exists(f->root, "bare", ".agent.in"));
    vp_domain_free(dom);
}

/* ---- paths with characters QEMU's option syntaxes treat specially ------- */

/* The root of these tests: '=' before ',' (an implied QemuOpts key, as in
 * "-qmp unix:PATH", would take "/tmp/vp-qemu-test-a" for a key name), a
 * space and both quotes. Short enough for the 107-byte socket paths. */
#define ODD_ROOT_TEMPLATE "/tmp/vp-qemu-test-a=b,c d'e\"f-XXXXXX"

static int
setup_odd_root(void **state)
{
    fixture *f = vp_new0(fixture, 1);
    f->root = vp_strdup(ODD_ROOT_TEMPLATE);
    assert_non_null(mkdtemp(f->root));
    /* A space cannot appear in a URI: percent-encode all but the plainest
     * characters (',' '=' and quotes would pass as they are). */
    _cleanup_free_ char *uri =
        vp_new0(char, strlen("qemu:///embed?root=") + 3 * strlen(f->root) + 1);
    char *o = stpcpy(uri, "qemu:///embed?root=");
    for (const char *p = f->root; *p; p++) {
        if (strchr("/._-", *p) || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
            (*p >= '0' && *p <= '9'))
            *o++ = *p;
        else
            o += snprintf(o, 4, "%%%02X", (unsigned char)*p);
    }
    int r = vp_conn_open(uri, 0, &f->conn);
    if (r < 0)
        fprintf(stderr, "open: %s\n", vp_error_last()->message);
    assert_int_equal(r, 0);
    *state = f;
    return 0;
}

/* @s with the XML special characters as entities. (transfer full) */
static char *
xml_escape(const char *s)
{
    char *out = vp_new0(char, strlen(s) * 6 + 1);
    char *o = out;
    for (; *s; s++) {
        const char *e = *s == '&'    ? "&amp;"
                        : *s == '<'  ? "&lt;"
                        : *s == '>'  ? "&gt;"
                        : *s == '\'' ? "&apos;"
                        : *s == '"'  ? "&quot;"
                                     : NULL;
        if (e) {
            o = stpcpy(o, e);
        } else {
            *o++ = *s;
        }
    }
    return out;
}

static void
write_file(const char *path, const void *data, size_t size)
{
    FILE *fp = fopen(path, "we");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, size, fp), size);
    assert_int_equal(fclose(fp), 0);
}

static void
put_be(unsigned char *p, uint64_t v, int bytes)
{
    for (int i = bytes - 1; i >= 0; i--, v >>= 8)
        p[i] = (unsigned char)v;
}

/* An empty 1 MiB qcow2 (version 2, 64 KiB clusters), byte for byte what
 * 'qemu-img create -f qcow2 -o compat=0.10 F 1M' writes (this test has no
 * qemu-img): the header, the refcount table, one refcount block, and an
 * L1 table of one entry, each in a cluster of its own. */
static void
write_qcow2(const char *path)
{
    const size_t cluster = 65536, size = 3 * cluster + 8;
    _cleanup_free_ unsigned char *img = vp_new0(unsigned char, size);
    put_be(img, 0x514649fb, 4);            /* magic "QFI\xfb" */
    put_be(img + 4, 2, 4);                 /* version */
    put_be(img + 20, 16, 4);               /* cluster_bits */
    put_be(img + 24, 1 << 20, 8);          /* virtual size */
    put_be(img + 36, 1, 4);                /* l1_size */
    put_be(img + 40, 3 * cluster, 8);      /* l1_table_offset */
    put_be(img + 48, cluster, 8);          /* refcount_table_offset */
    put_be(img + 56, 1, 4);                /* refcount_table_clusters */
    put_be(img + cluster, 2 * cluster, 8); /* the refcount block */
    for (int i = 0; i < 4; i++)
        put_be(img + 2 * cluster + 2 * i, 1, 2); /* clusters 0-3 used once */
    write_file(path, img, size);
}

/* A Linux boot protocol 2.02 image (a 1 KiB setup, then 1 KiB of kernel)
 * whose real-mode entry writes the command line, which QEMU puts at
 * 0x20000, to COM1, then halts: what the serial file holds shows that
 * -kernel, -initrd and -append reached QEMU as written. */
static void
write_tiny_kernel(const char *path)
{
    static const unsigned char entry[] = {
        0xfc,             /* cld */
        0xba, 0xf8, 0x03, /* mov dx, 0x3f8 */
        0xb8, 0x00, 0x20, /* mov ax, 0x2000 */
        0x8e, 0xd8,       /* mov ds, ax */
        0x31, 0xf6,       /* xor si, si */
        0xac,             /* next: lodsb */
        0x84, 0xc0,       /* test al, al */
        0x74, 0x03,       /* jz halt */
        0xee,             /* out dx, al */
        0xeb, 0xf8,       /* jmp next */
        0xf4,             /* halt: hlt */
        0xeb, 0xfd,       /* jmp halt */
    };
    unsigned char img[2048] = {0};
    img[0x1f1] = 1; /* setup_sects: the boot sector plus 1 */
    img[0x200] = 0xeb;
    img[0x201] = 0x7e; /* where QEMU enters the setup: jmp 0x280 */
    memcpy(img + 0x202, "HdrS", 4);
    img[0x206] = 0x02; /* protocol version 2.02, little-endian */
    img[0x207] = 0x02;
    img[0x211] = 0x01; /* loadflags: LOADED_HIGH */
    memcpy(img + 0x280, entry, sizeof(entry));
    write_file(path, img, sizeof(img));
}

/* The contents of @path once it holds at least @len bytes (within 10 s),
 * else what it holds then. (transfer full) */
static char *
wait_file_text(const char *path, size_t len)
{
    char *text = vp_new0(char, len + 1);
    for (int waited = 0; waited < 10000; waited += 50) {
        FILE *fp = fopen(path, "re");
        size_t n = fp ? fread(text, 1, len, fp) : 0;
        if (fp)
            fclose(fp);
        text[n] = '\0';
        if (n == len)
            break;
        struct timespec ts = {.tv_nsec = 50 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    return text;
}

static vp_domain *
define_odd(fixture *f, const char *name, const char *os, const char *devices)
{
    _cleanup_free_ char *ename = xml_escape(name);
    _cleanup_free_ char *xml = vp_asprintf("<domain type='qemu'><name>%s</name>"
                                           "<memory unit='MiB'>32</memory><vcpu>1</vcpu>"
                                           "<os><type arch='x86_64' machine='pc'>hvm</type>%s</os>"
                                           "<devices>%s</devices></domain>",
                                           ename, os, devices);
    vp_domain *dom = NULL;
    int r = vp_domain_define_xml(f->conn, xml, 0, &dom);
    if (r < 0)
        fprintf(stderr, "define: %s\n", vp_error_last()->message);
    assert_int_equal(r, 0);
    return dom;
}

static void
start_or_fail(vp_domain *dom)
{
    int r = vp_domain_start(dom, 0);
    if (r < 0)
        fprintf(stderr, "start: %s\n", vp_error_last()->message);
    assert_int_equal(r, 0);
}

/* The guest filesystem and guest power slots refuse before asking any
 * agent: <pm> disabling the state a target needs (named), a domain that
 * is not running, and a thaw of single mount points. */
static void
test_guest_fs_pm_refusals(void **state)
{
    fixture *f = *state;
    const char *xml = "<domain type='qemu'><name>pm</name><memory unit='MiB'>32</memory>"
                      "<vcpu>1</vcpu><os><type arch='x86_64' machine='pc'>hvm</type></os>"
                      "<pm><suspend-to-mem enabled='no'/><suspend-to-disk enabled='yes'/></pm>"
                      "<devices/></domain>";
    vp_domain *dom = NULL;
    assert_int_equal(vp_domain_define_xml(f->conn, xml, 0, &dom), 0);
    QT_ASSERT_ERROR(vp_domain_pm_suspend_for_duration(dom, VP_NODE_SUSPEND_TARGET_MEM, 0, 0),
                    VP_ERR_OPERATION_INVALID, "the S3 state");
    QT_ASSERT_ERROR(vp_domain_pm_suspend_for_duration(dom, VP_NODE_SUSPEND_TARGET_HYBRID, 0, 0),
                    VP_ERR_OPERATION_INVALID, "<suspend-to-mem enabled='no'/>");
    QT_ASSERT_ERROR(vp_domain_pm_suspend_for_duration(dom, VP_NODE_SUSPEND_TARGET_DISK, 0, 0),
                    VP_ERR_OPERATION_INVALID, "not running");
    QT_ASSERT_ERROR(vp_domain_pm_wakeup(dom, 0), VP_ERR_OPERATION_INVALID, "not running");
    QT_ASSERT_ERROR(vp_domain_fs_freeze(dom, NULL, 0, 0), VP_ERR_OPERATION_INVALID, "not running");
    const char *mnt[] = {"/"};
    QT_ASSERT_ERROR(vp_domain_fs_thaw(dom, mnt, 1, 0), VP_ERR_NOT_SUPPORTED, "all filesystems");
    vp_domain_free(dom);
}

/* A qcow2 disk, a serial file, the agent socket, the pidfile and the QMP
 * socket all under that root, and a name with '=', a space and quotes:
 * QEMU starts and every file is where the driver looks for it. */
static void
test_odd_root_disk_serial_sockets(void **state)
{
    fixture *f = *state;
    const char *name = "v=1 'q'";
    _cleanup_free_ char *disk = vp_asprintf("%s/disk.qcow2", f->root);
    _cleanup_free_ char *serial = vp_asprintf("%s/console.log", f->root);
    write_qcow2(disk);
    _cleanup_free_ char *edisk = xml_escape(disk);
    _cleanup_free_ char *eserial = xml_escape(serial);
    _cleanup_free_ char *devices = vp_asprintf(
        "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
        "<source file='%s'/><target dev='vda' bus='virtio'/></disk>"
        "<channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>"
        "<serial type='file'><source path='%s'/></serial>",
        edisk, eserial);
    vp_domain *dom = define_odd(f, name, "", devices);

    start_or_fail(dom);
    assert_state(dom, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_BOOTED);
    pid_t pid = qt_pid(f->root, name);
    assert_true(pid > 0);
    assert_true(qt_run_file_exists(f->root, name, ".qmp"));
    assert_true(qt_run_file_exists(f->root, name, ".agent.in"));
    assert_int_equal(access(serial, F_OK), 0);
    /* QMP answers on that socket, here and in another process. */
    assert_int_equal(vp_domain_suspend(dom, 0), 0);
    assert_state(dom, VP_DOMAIN_PAUSED, VP_DOMAIN_PAUSED_USER);
    assert_int_equal(vp_domain_resume(dom, 0), 0);
    const char *uri = vp_conn_get_uri(f->conn);
    assert_int_equal(qt_run_self((const char *const[]){"child-state", uri, name, NULL}),
                     VP_DOMAIN_RUNNING * 10 + VP_DOMAIN_RUNNING_UNPAUSED);

    assert_int_equal(vp_domain_destroy(dom, 0), 0);
    assert_true(qt_wait_pid_gone(pid, 1000));
    assert_state(dom, VP_DOMAIN_SHUTOFF, VP_DOMAIN_SHUTOFF_DESTROYED);
    assert_false(qt_run_file_exists(f->root, name, ".qmp"));
    assert_false(qt_run_file_exists(f->root, name, ".pid"));
    vp_domain_free(dom);
}

/* <kernel>, <initrd> and <cmdline> reach QEMU as written: the tiny kernel
 * boots from that root and prints the command line; a kernel or initrd
 * that does not exist is named exactly in QEMU's error. */
static void
test_odd_root_kernel(void **state)
{
    fixture *f = *state;
    _cleanup_free_ char *kernel = vp_asprintf("%s/vmlinuz", f->root);
    _cleanup_free_ char *initrd = vp_asprintf("%s/initrd", f->root);
    _cleanup_free_ char *serial = vp_asprintf("%s/console.log", f->root);
    write_tiny_kernel(kernel);
    write_file(initrd, "initrd", 6);
    const char *cmdline = "console=ttyS0,115200 a=b 'c' \"d\"";
    _cleanup_free_ char *ekernel = xml_escape(kernel);
    _cleanup_free_ char *einitrd = xml_escape(initrd);
    _cleanup_free_ char *ecmdline = xml_escape(cmdline);
    _cleanup_free_ char *eserial = xml_escape(serial);
    _cleanup_free_ char *os = vp_asprintf(
        "<kernel>%s</kernel><initrd>%s</initrd><cmdline>%s</cmdline>", ekernel, einitrd, ecmdline);
    _cleanup_free_ char *devices =
        vp_asprintf("<serial type='file'><source path='%s'/></serial>", eserial);
    vp_domain *dom = define_odd(f, "kern", os, devices);
    start_or_fail(dom);
    _cleanup_free_ char *printed = wait_file_text(serial, strlen(cmdline));
    assert_string_equal(printed, cmdline);
    assert_int_equal(vp_domain_destroy(dom, 0), 0);
    vp_domain_free(dom);

    _cleanup_free_ char *nokernel = vp_asprintf("%s/no,kernel", f->root);
    _cleanup_free_ char *enokernel = xml_escape(nokernel);
    _cleanup_free_ char *os2 = vp_asprintf("<kernel>%s</kernel>", enokernel);
    dom = define_odd(f, "nokern", os2, "");
    _cleanup_free_ char *quoted = vp_asprintf("could not open kernel file '%s'", nokernel);
    QT_ASSERT_ERROR(vp_domain_start(dom, 0), VP_ERR_SYSTEM, "QEMU failed to start domain 'nokern'",
                    quoted, "No such file or directory");
    vp_domain_free(dom);

    _cleanup_free_ char *noinitrd = vp_asprintf("%s/no,initrd", f->root);
    _cleanup_free_ char *enoinitrd = xml_escape(noinitrd);
    _cleanup_free_ char *os3 =
        vp_asprintf("<kernel>%s</kernel><initrd>%s</initrd>", ekernel, enoinitrd);
    dom = define_odd(f, "noinitrd", os3, "");
    _cleanup_free_ char *quoted2 = vp_asprintf("error reading initrd %s:", noinitrd);
    QT_ASSERT_ERROR(vp_domain_start(dom, 0), VP_ERR_SYSTEM,
                    "QEMU failed to start domain 'noinitrd'", quoted2);
    vp_domain_free(dom);
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
        cmocka_unit_test(test_conn_open_errors),
        cmocka_unit_test_setup_teardown(test_conn_open_embed_creates_dirs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_conn_open_session, setup, teardown),
        cmocka_unit_test_setup_teardown(test_define_lookup_list_undefine, setup, teardown),
        cmocka_unit_test_setup_teardown(test_define_rejects_bad_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lifecycle_machine_none, setup, teardown),
        cmocka_unit_test_setup_teardown(test_qemu_outlives_its_starter, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lock_serialises_operations, setup_short_lock,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_killed_qemu_reads_crashed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_killed_during_shutdown, setup, teardown),
        cmocka_unit_test_setup_teardown(test_start_failure_reports_qemu_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_guest_os, setup_short_timeouts, teardown),
        cmocka_unit_test_setup_teardown(test_odd_root_disk_serial_sockets, setup_odd_root,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_odd_root_kernel, setup_odd_root, teardown),
        cmocka_unit_test_setup_teardown(test_guest_fs_pm_refusals, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
