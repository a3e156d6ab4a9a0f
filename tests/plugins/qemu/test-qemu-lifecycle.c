/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-qemu-lifecycle.c: reboot, reset, autostart and transient domains of
 * the QEMU driver against real QEMU under TCG, with '-machine none'
 * domains and PCs with firmware but no OS (the tiny guest's reboot is in
 * test-qemu-guest-net.c). Every QEMU started here is killed in the teardown.
 */
#include <config.h>

#include <dirent.h>
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <json-c/json.h>

#include <virtplug/sdk/alloc.h>
#include <virtplug/sdk/services.h>
#include <virtplug/virtplug.h>

#include "qemu-monitor.h"
#include "qemu-test-util.h"

typedef qt_root_conn fixture;

static int
setup(void **state)
{
    *state = qt_root_conn_open("agent_timeout_ms=1500&start_timeout_ms=20000");
    return 0;
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
    _cleanup_free_ char *xml =
        vp_asprintf("<domain type='qemu'>\n"
                    "  <name>%s</name>\n"
                    "  <memory unit='MiB'>32</memory>\n"
                    "  <os><type arch='x86_64' machine='%s'>hvm</type></os>\n"
                    "  <devices>%s</devices>\n"
                    "</domain>\n",
                    name, machine, devices ? devices : "");
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

/* The instruction pointer QEMU shows for the first vCPU ("EIP=0000fff0"
 * at reset), asked over the domain's own QMP socket. (transfer full) */
static char *
eip_of(fixture *f, const char *name)
{
    _cleanup_free_ char *path = vp_asprintf("%s/run/%s.qmp", f->root, name);
    qemu_monitor *mon = NULL;
    assert_int_equal(qemu_monitor_open(path, 10000, &mon), 0);
    json_object *args = json_object_new_object(), *ret = NULL;
    json_object_object_add(args, "command-line", json_object_new_string("info registers"));
    assert_int_equal(qemu_monitor_command(mon, "human-monitor-command", args, 10000, &ret), 0);
    json_object_put(args);
    qemu_monitor_close(mon);
    const char *text = json_object_get_string(ret), *at = strstr(text, "EIP=");
    assert_non_null(at);
    char *eip = vp_strndup(at + 4, 8);
    json_object_put(ret);
    return eip;
}

/* QMP query-status's status of the domain's QEMU. (transfer full) */
static char *
status_of(fixture *f, const char *name)
{
    _cleanup_free_ char *path = vp_asprintf("%s/run/%s.qmp", f->root, name);
    qemu_monitor *mon = NULL;
    assert_int_equal(qemu_monitor_open(path, 10000, &mon), 0);
    json_object *ret = NULL, *status;
    assert_int_equal(qemu_monitor_command(mon, "query-status", NULL, 10000, &ret), 0);
    qemu_monitor_close(mon);
    assert_true(json_object_object_get_ex(ret, "status", &status));
    char *s = vp_strdup(json_object_get_string(status));
    json_object_put(ret);
    return s;
}

/* ---- start paused, graceful destroy ------------------------------------------- */

/* Started paused, QEMU waits in prelaunch with its first vCPU at the reset
 * vector (it never ran): the domain is paused (user) until resume; a
 * created domain too. A graceful destroy ends QEMU by QMP quit; a QEMU that
 * cannot act (SIGSTOPped) outlives it: the call fails and the domain still
 * runs, until the SIGTERM it was sent ends it, recorded as destroyed. */
static void
test_start_paused_destroy_graceful(void **state)
{
    fixture *f = *state;
    vp_domain *dom = define(f, "pc2", "pc", NULL);
    QT_ASSERT_ERROR(vp_domain_start(dom, 2), VP_ERR_INVALID_ARG, "unsupported start flags 0x2");
    assert_int_equal(vp_domain_start(dom, VP_DOMAIN_START_PAUSED), 0);
    assert_state(dom, VP_DOMAIN_PAUSED, VP_DOMAIN_PAUSED_USER);
    _cleanup_free_ char *status = status_of(f, "pc2");
    assert_string_equal(status, "prelaunch");
    _cleanup_free_ char *eip = eip_of(f, "pc2");
    assert_string_equal(eip, "0000fff0");
    assert_int_equal(vp_domain_resume(dom, 0), 0);
    assert_state(dom, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_UNPAUSED);
    _cleanup_free_ char *running = status_of(f, "pc2");
    assert_string_equal(running, "running");
    QT_ASSERT_ERROR(vp_domain_destroy(dom, 2), VP_ERR_INVALID_ARG, "unsupported destroy flags 0x2");
    assert_int_equal(vp_domain_destroy(dom, VP_DOMAIN_DESTROY_GRACEFUL), 0);
    assert_state(dom, VP_DOMAIN_SHUTOFF, VP_DOMAIN_SHUTOFF_DESTROYED);

    assert_int_equal(vp_domain_start(dom, 0), 0);
    pid_t pid = qt_pid(f->root, "pc2");
    assert_int_equal(kill(pid, SIGSTOP), 0);
    QT_ASSERT_ERROR(vp_domain_destroy(dom, VP_DOMAIN_DESTROY_GRACEFUL), VP_ERR_TIMEOUT,
                    "still running after QMP quit and SIGTERM", "without --graceful");
    assert_int_equal(kill(pid, 0), 0);
    assert_int_equal(kill(pid, SIGCONT), 0);
    assert_true(qt_wait_pid_gone(pid, 10000));
    assert_state(dom, VP_DOMAIN_SHUTOFF, VP_DOMAIN_SHUTOFF_DESTROYED);
    vp_domain_free(dom);

    vp_domain *t = NULL;
    assert_int_equal(
        vp_domain_create_xml(f->conn,
                             "<domain type='qemu'><name>t2</name><memory unit='MiB'>32</memory>"
                             "<os><type arch='x86_64' machine='none'>hvm</type></os></domain>",
                             VP_DOMAIN_START_PAUSED, &t),
        0);
    assert_state(t, VP_DOMAIN_PAUSED, VP_DOMAIN_PAUSED_USER);
    assert_int_equal(vp_domain_destroy(t, 0), 0);
    vp_domain_free(t);
}

/* ---- reset ------------------------------------------------------------------- */

/* A PC whose firmware ran is put back to the reset vector, and stays as
 * it was (paused here, so the registers hold still to be read). */
static void
test_reset_puts_the_machine_back(void **state)
{
    fixture *f = *state;
    vp_domain *dom = define(f, "pc1", "pc", NULL);
    QT_ASSERT_ERROR(vp_domain_reset(dom, 0), VP_ERR_OPERATION_INVALID, "cannot reset domain 'pc1'",
                    "not running");
    assert_int_equal(vp_domain_start(dom, 0), 0);
    pid_t pid = qt_pid(f->root, "pc1");
    assert_int_equal(vp_domain_suspend(dom, 0), 0);
    _cleanup_free_ char *before = eip_of(f, "pc1");
    assert_string_not_equal(before, "0000fff0");
    QT_ASSERT_ERROR(vp_domain_reset(dom, 1), VP_ERR_INVALID_ARG, "reset flags");
    assert_int_equal(vp_domain_reset(dom, 0), 0);
    _cleanup_free_ char *after = eip_of(f, "pc1");
    assert_string_equal(after, "0000fff0");
    /* The same QEMU, in the state it was. */
    assert_int_equal(qt_pid(f->root, "pc1"), pid);
    assert_state(dom, VP_DOMAIN_PAUSED, VP_DOMAIN_PAUSED_USER);
    assert_int_equal(vp_domain_resume(dom, 0), 0);
    assert_int_equal(vp_domain_reset(dom, 0), 0);
    assert_state(dom, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_UNPAUSED);
    assert_int_equal(vp_domain_destroy(dom, 0), 0);
    vp_domain_free(dom);
}

/* ---- reboot ------------------------------------------------------------------ */

#define PING "{\"execute\":\"guest-ping\"}"

/* Reboot and the agent passthrough without an agent that answers. */
static void
test_reboot_needs_the_agent(void **state)
{
    fixture *f = *state;
    vp_domain *none = define(f, "none1", "none", NULL);
    QT_ASSERT_ERROR(vp_domain_reboot(none, 0), VP_ERR_OPERATION_INVALID, "domain 'none1'",
                    "not running");
    assert_int_equal(vp_domain_start(none, 0), 0);
    QT_ASSERT_ERROR(vp_domain_reboot(none, 0), VP_ERR_NOT_SUPPORTED,
                    "reboot the guest of domain 'none1'", "no guest agent channel");
    QT_ASSERT_ERROR(vp_domain_reboot(none, VP_DOMAIN_REBOOT_ACPI_POWER_BTN), VP_ERR_NOT_SUPPORTED,
                    "by ACPI", "daemon", "guest agent", "reset");
    QT_ASSERT_ERROR(
        vp_domain_reboot(none, VP_DOMAIN_REBOOT_ACPI_POWER_BTN | VP_DOMAIN_REBOOT_GUEST_AGENT),
        VP_ERR_INVALID_ARG, "one way");
    QT_ASSERT_ERROR(vp_domain_reboot(none, 1u << 5), VP_ERR_INVALID_ARG, "0x20");
    char *reply = NULL;
    QT_ASSERT_ERROR(vp_domain_qemu_agent_command(none, PING, 5, 0, &reply), VP_ERR_NOT_SUPPORTED,
                    "guest agent of domain 'none1'", "no guest agent channel");
    QT_ASSERT_ERROR(
        vp_domain_qemu_agent_command(none, PING, VP_DOMAIN_AGENT_RESPONSE_TIMEOUT_BLOCK, 0, &reply),
        VP_ERR_INVALID_ARG, "without a limit");
    QT_ASSERT_ERROR(vp_domain_qemu_agent_command(none, "{\"execute\":1}", 5, 0, &reply),
                    VP_ERR_INVALID_ARG, "no \"execute\" string");
    QT_ASSERT_ERROR(vp_domain_qemu_agent_command(
                        none, "{\"execute\":\"guest-ping\",\"arguments\":[]}", 5, 0, &reply),
                    VP_ERR_INVALID_ARG, "\"arguments\"", "not an object");
    assert_null(reply);
    assert_state(none, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_BOOTED);

    /* A PC with firmware only: the agent channel is there, nobody answers. */
    vp_domain *bare = define(f, "bare", "pc",
                             "<channel type='unix'>"
                             "<target type='virtio' name='org.qemu.guest_agent.0'/></channel>");
    assert_int_equal(vp_domain_start(bare, 0), 0);
    QT_ASSERT_ERROR(vp_domain_reboot(bare, VP_DOMAIN_REBOOT_GUEST_AGENT), VP_ERR_AGENT_UNRESPONSIVE,
                    "'bare'");
    QT_ASSERT_ERROR(vp_domain_qemu_agent_command(bare, PING, 1, 0, &reply),
                    VP_ERR_AGENT_UNRESPONSIVE, "'bare'");
    assert_int_equal(vp_domain_suspend(bare, 0), 0);
    QT_ASSERT_ERROR(vp_domain_reboot(bare, 0), VP_ERR_OPERATION_INVALID, "'bare'", "paused");
    QT_ASSERT_ERROR(vp_domain_qemu_agent_command(bare, PING, 1, 0, &reply),
                    VP_ERR_OPERATION_INVALID, "'bare'", "paused");
    assert_int_equal(vp_domain_destroy(bare, 0), 0);
    assert_int_equal(vp_domain_destroy(none, 0), 0);
    vp_domain_free(bare);
    vp_domain_free(none);
}

/* ---- autostart ---------------------------------------------------------------- */

static bool
config_file_exists(fixture *f, const char *file)
{
    _cleanup_free_ char *path = vp_asprintf("%s/config/%s", f->root, file);
    return access(path, F_OK) == 0;
}

static int
autostart_of(fixture *f, const char *name)
{
    /* A connection of its own: the mark is on disk, not in this one. */
    _cleanup_free_ char *uri = qt_uri(f->root, NULL);
    vp_conn *conn = NULL;
    vp_domain *dom = NULL;
    int autostart = -1;
    assert_int_equal(vp_conn_open(uri, 0, &conn), 0);
    assert_int_equal(vp_domain_lookup_by_name(conn, name, &dom), 0);
    assert_int_equal(vp_domain_get_autostart(dom, &autostart), 0);
    vp_domain_free(dom);
    vp_conn_close(conn);
    return autostart;
}

/* vpsh (the one built beside this test) -c the fixture's URI @args; its
 * stdout into a file, not a pipe: the QEMU it starts inherits the
 * caller's descriptors, and a pipe's reader would wait for that QEMU. */
static int
vpsh(fixture *f, const char *const *args, char **ret_out)
{
    _cleanup_free_ char *out = vp_asprintf("%s/vpsh.out", f->root);
    pid_t pid = qt_vpsh_spawn(f->root, args, STDOUT_FILENO, out, NULL);
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(WIFEXITED(st));
    if (ret_out)
        assert_int_equal(vp_plugin_file_read(out, 1 << 20, ret_out, NULL), 0);
    return WEXITSTATUS(st);
}

static void
test_autostart_kept_with_definition(void **state)
{
    fixture *f = *state;
    vp_domain *dom = define(f, "a1", "none", NULL);
    vp_domain *other = define(f, "a2", "none", NULL);
    assert_int_equal(autostart_of(f, "a1"), 0);
    assert_int_equal(vp_domain_set_autostart(dom, 1), 0);
    assert_true(config_file_exists(f, "a1.autostart"));
    assert_int_equal(autostart_of(f, "a1"), 1);
    assert_int_equal(autostart_of(f, "a2"), 0);
    /* A redefine keeps it, as libvirt's. */
    char *xml = NULL;
    vp_domain *again = NULL;
    assert_int_equal(vp_domain_get_xml(dom, 0, &xml), 0);
    assert_int_equal(vp_domain_define_xml(f->conn, xml, 0, &again), 0);
    free(xml);
    vp_domain_free(again);
    assert_int_equal(autostart_of(f, "a1"), 1);

    /* What the boot unit runs: the marked shut-off domains start. */
    char *out = NULL;
    assert_int_equal(vpsh(f, (const char *const[]){"start", "--autostart-all", NULL}, &out), 0);
    assert_string_equal(out, "Domain 'a1' started\n\n");
    free(out);
    assert_state(dom, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_BOOTED);
    assert_state(other, VP_DOMAIN_SHUTOFF, VP_DOMAIN_SHUTOFF_UNKNOWN);
    /* Already running: nothing to do, no error. */
    assert_int_equal(vpsh(f, (const char *const[]){"start", "--autostart-all", NULL}, NULL), 0);
    assert_int_equal(vp_domain_destroy(dom, 0), 0);

    assert_int_equal(vp_domain_set_autostart(dom, 0), 0);
    assert_false(config_file_exists(f, "a1.autostart"));
    assert_int_equal(autostart_of(f, "a1"), 0);
    assert_int_equal(vp_domain_set_autostart(dom, 0), 0);
    /* Undefine takes the mark with the definition: a domain defined
     * later under the name starts unmarked. */
    assert_int_equal(vp_domain_set_autostart(dom, 1), 0);
    assert_int_equal(vp_domain_undefine(dom, 0), 0);
    assert_false(config_file_exists(f, "a1.autostart"));
    int autostart = -1;
    QT_ASSERT_ERROR(vp_domain_get_autostart(dom, &autostart), VP_ERR_NO_DOMAIN, "'a1'");
    QT_ASSERT_ERROR(vp_domain_set_autostart(dom, 1), VP_ERR_NO_DOMAIN, "'a1'");
    vp_domain_free(dom);
    dom = define(f, "a1", "none", NULL);
    assert_int_equal(autostart_of(f, "a1"), 0);
    vp_domain_free(dom);
    vp_domain_free(other);
}

static void
count_event(vp_conn *conn, const vp_domain_event *ev, void *opaque)
{
    int *seen = opaque; /* event, detail pairs after a count */
    if (seen[0] < 8) {
        seen[1 + 2 * seen[0]] = ev->event;
        seen[2 + 2 * seen[0]] = ev->detail;
        seen[0]++;
    }
}

/* Whether any file of domain @name (NAME.*) is left in ROOT/@sub. */
static bool
files_left(fixture *f, const char *sub, const char *name)
{
    _cleanup_free_ char *dir = vp_asprintf("%s/%s", f->root, sub);
    _cleanup_free_ char *prefix = vp_asprintf("%s.", name);
    DIR *d = opendir(dir);
    bool left = false;
    struct dirent *e;
    while (d && !left && (e = readdir(d)))
        left = strncmp(e->d_name, prefix, strlen(prefix)) == 0;
    if (d)
        closedir(d);
    return left;
}

/* create: running and transient at once; gone, every file of it, once it
 * stops; its events are libvirt's (started; stopped, then undefined). */
/* A '-machine none' domain named @name with @mib MiB, and a serial port
 * when @serial. */
static char *
none_xml(const char *name, int mib, bool serial)
{
    return vp_asprintf("<domain type='qemu'><name>%s</name>"
                       "<uuid>3c1a8f0e-5b6d-4e2f-9a17-2d4c6b8e0f13</uuid>"
                       "<memory unit='MiB'>%d</memory>"
                       "<os><type arch='x86_64' machine='none'>hvm</type></os>"
                       "<devices>%s</devices></domain>",
                       name, mib, serial ? "<serial type='pty'/>" : "");
}

/* Whether the XML (inactive with @flags VP_DOMAIN_XML_INACTIVE) of @dom
 * has <memory> @kib and, when @serial, a serial port. */
static void
assert_xml(vp_domain *dom, unsigned int flags, const char *kib, bool serial)
{
    char *xml = NULL;
    assert_int_equal(vp_domain_get_xml(dom, flags, &xml), 0);
    _cleanup_free_ char *memory = vp_asprintf("<memory unit='KiB'>%s</memory>", kib);
    if (!strstr(xml, memory) || !strstr(xml, "<serial type='pty'") != !serial)
        fprintf(stderr, "want %s KiB, %s serial port, XML (flags %u):\n%s\n", kib,
                serial ? "a" : "no", flags, xml);
    assert_non_null(strstr(xml, memory));
    assert_int_equal(strstr(xml, "<serial type='pty'") != NULL, serial);
    free(xml);
}

/* A define of a running domain (virsh edit of a running VM): QEMU keeps
 * running what it was started with, so the running XML, its memory and
 * its devices stay; the new definition waits for the stop, the last one
 * given wins, and the next start runs it. */
static void
test_define_while_running(void **state)
{
    fixture *f = *state;
    _cleanup_free_ char *old = none_xml("n1", 32, true), *mid = none_xml("n1", 48, false),
                        *last = none_xml("n1", 64, false);
    vp_domain *dom = NULL;
    assert_int_equal(vp_domain_define_xml(f->conn, old, 0, &dom), 0);
    assert_int_equal(vp_domain_start(dom, 0), 0);
    assert_int_equal(vp_domain_define_xml(f->conn, mid, 0, NULL), 0);
    assert_xml(dom, 0, "32768", true);
    assert_xml(dom, VP_DOMAIN_XML_INACTIVE, "49152", false);
    vp_domain_info info = {.size = sizeof(info)};
    assert_int_equal(vp_domain_get_info(dom, &info), 0);
    assert_int_equal(info.max_memory_kib, 32768);
    assert_true(config_file_exists(f, "n1.next.json"));
    assert_int_equal(vp_domain_define_xml(f->conn, last, 0, NULL), 0);
    assert_xml(dom, 0, "32768", true);
    assert_xml(dom, VP_DOMAIN_XML_INACTIVE, "65536", false);
    assert_int_equal(vp_domain_destroy(dom, 0), 0);
    assert_false(config_file_exists(f, "n1.next.json"));
    assert_xml(dom, 0, "65536", false);
    assert_xml(dom, VP_DOMAIN_XML_INACTIVE, "65536", false);
    assert_int_equal(vp_domain_start(dom, 0), 0);
    assert_xml(dom, 0, "65536", false);
    assert_int_equal(vp_domain_get_info(dom, &info), 0);
    assert_int_equal(info.max_memory_kib, 65536);
    /* Undefined while a definition waits: nothing of either stays. */
    assert_int_equal(vp_domain_define_xml(f->conn, old, 0, NULL), 0);
    assert_int_equal(vp_domain_destroy(dom, 0), 0);
    assert_xml(dom, 0, "32768", true);
    assert_int_equal(vp_domain_undefine(dom, 0), 0);
    assert_false(config_file_exists(f, "n1.next.json"));
    assert_false(config_file_exists(f, "n1.xml"));
    vp_domain_free(dom);
}

/* A transient domain given a definition while it runs becomes persistent,
 * runs on as it was created, and is the new definition once stopped. */
static void
test_define_makes_a_running_transient_persistent(void **state)
{
    fixture *f = *state;
    _cleanup_free_ char *old = none_xml("t2", 32, true), *new_one = none_xml("t2", 48, false);
    vp_domain *dom = NULL;
    assert_int_equal(vp_domain_create_xml(f->conn, old, 0, &dom), 0);
    assert_int_equal(vp_domain_define_xml(f->conn, new_one, 0, NULL), 0);
    assert_int_equal(vp_domain_is_persistent(dom), 1);
    assert_xml(dom, 0, "32768", true);
    assert_xml(dom, VP_DOMAIN_XML_INACTIVE, "49152", false);
    assert_int_equal(vp_domain_destroy(dom, 0), 0);
    assert_state(dom, VP_DOMAIN_SHUTOFF, VP_DOMAIN_SHUTOFF_DESTROYED);
    assert_xml(dom, 0, "49152", false);
    assert_false(config_file_exists(f, "t2.transient"));
    assert_false(config_file_exists(f, "t2.next.json"));
    vp_domain_free(dom);
}

static void
test_transient_domain(void **state)
{
    fixture *f = *state;
    static const char xml[] = "<domain type='qemu'><name>t1</name><memory unit='MiB'>32</memory>"
                              "<os><type arch='x86_64' machine='none'>hvm</type></os></domain>";
    int seen[17] = {0};
    assert_int_equal(vp_conn_event_register(f->conn, 0, count_event, seen, NULL, NULL), 0);
    vp_domain *dom = NULL;
    assert_int_equal(vp_domain_create_xml(f->conn, xml, 0, &dom), 0);
    assert_state(dom, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_BOOTED);
    assert_int_equal(vp_domain_is_persistent(dom), 0);
    assert_true(config_file_exists(f, "t1.transient"));
    QT_ASSERT_ERROR(vp_domain_set_autostart(dom, 1), VP_ERR_OPERATION_INVALID,
                    "cannot set autostart of domain 't1': it is transient");
    vp_snapshot *snap = NULL;
    QT_ASSERT_ERROR(vp_snapshot_create_xml(dom, NULL, 0, &snap), VP_ERR_OPERATION_INVALID,
                    "cannot snapshot domain 't1': it is transient");
    QT_ASSERT_ERROR(vp_domain_create_xml(f->conn, xml, 0, NULL), VP_ERR_EXISTS,
                    "cannot create domain 't1': a domain of that name is running");
    QT_ASSERT_ERROR(vp_domain_create_xml(f->conn, xml, 2, NULL), VP_ERR_INVALID_ARG,
                    "unsupported create flags 0x2");
    vp_domain **doms = NULL;
    assert_int_equal(vp_conn_list_domains(f->conn, VP_LIST_DOMAINS_ACTIVE, &doms), 1);
    vp_domain_list_free(doms);
    assert_int_equal(vp_domain_destroy(dom, 0), 0);
    int st = 0;
    QT_ASSERT_ERROR(vp_domain_get_state(dom, &st, NULL, 0), VP_ERR_NO_DOMAIN, "t1");
    assert_int_equal(vp_conn_list_domains(f->conn, 0, &doms), 0);
    vp_domain_list_free(doms);
    assert_false(files_left(f, "config", "t1"));
    assert_false(files_left(f, "run", "t1"));
    assert_int_equal(vp_conn_event_dispatch(f->conn), 3);
    assert_int_equal(seen[0], 3);
    assert_int_equal(seen[1], VP_DOMAIN_EVENT_STARTED);
    assert_int_equal(seen[2], VP_DOMAIN_EVENT_STARTED_BOOTED);
    assert_int_equal(seen[3], VP_DOMAIN_EVENT_STOPPED);
    assert_int_equal(seen[4], VP_DOMAIN_EVENT_STOPPED_DESTROYED);
    assert_int_equal(seen[5], VP_DOMAIN_EVENT_UNDEFINED);
    assert_int_equal(seen[6], VP_DOMAIN_EVENT_UNDEFINED_REMOVED);
    vp_domain_free(dom);

    /* A defined name is refused; a define while it runs makes it persistent. */
    vp_domain *d2 = define(f, "t2", "none", NULL);
    _cleanup_free_ char *xml2 = NULL;
    assert_int_equal(vp_domain_get_xml(d2, 0, &xml2), 0);
    QT_ASSERT_ERROR(vp_domain_create_xml(f->conn, xml2, 0, NULL), VP_ERR_EXISTS,
                    "cannot create domain 't2'");
    assert_int_equal(vp_domain_undefine(d2, 0), 0);
    assert_int_equal(vp_domain_create_xml(f->conn, xml2, 0, NULL), 0);
    assert_int_equal(vp_domain_is_persistent(d2), 0);
    vp_domain *again = NULL;
    assert_int_equal(vp_domain_define_xml(f->conn, xml2, 0, &again), 0);
    assert_int_equal(vp_domain_is_persistent(d2), 1);
    assert_false(config_file_exists(f, "t2.transient"));
    assert_int_equal(vp_domain_destroy(d2, 0), 0);
    assert_state(d2, VP_DOMAIN_SHUTOFF, VP_DOMAIN_SHUTOFF_DESTROYED);
    assert_int_equal(vp_domain_undefine(d2, 0), 0);
    vp_domain_free(again);
    vp_domain_free(d2);
}

int
main(int argc, char **argv)
{
    qt_self = argv[0];
    if (argc > 1 && strncmp(argv[1], "child-", 6) == 0)
        return qt_child_main(argc, argv);
    if (access(QEMU_BINARY, X_OK) < 0) {
        fprintf(stderr, "SKIP: '%s' is not installed (Debian package qemu-system-x86)\n",
                QEMU_BINARY);
        return 77;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_start_paused_destroy_graceful, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reset_puts_the_machine_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reboot_needs_the_agent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_autostart_kept_with_definition, setup, teardown),
        cmocka_unit_test_setup_teardown(test_transient_domain, setup, teardown),
        cmocka_unit_test_setup_teardown(test_define_while_running, setup, teardown),
        cmocka_unit_test_setup_teardown(test_define_makes_a_running_transient_persistent, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
