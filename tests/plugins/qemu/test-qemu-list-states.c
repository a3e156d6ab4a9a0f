/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-qemu-list-states.c: vp_domain_list_get_states() (the QEMU driver's
 * conn_get_domain_states slot, plugins/qemu/qemu-state-bulk.c) gives the
 * answers of vp_domain_get_state() and vp_domain_get_id() one by one, for
 * '-machine none' domains running, paused by the driver, paused by a QMP
 * client of their own ('stop' on NAME.qmp), shut off, crashed (QEMU
 * SIGKILLed) and busy (their lock held by another open file description,
 * as another process holds it); a domain whose monitor serves another
 * client reads what its record says. The core's fallback for a driver
 * without the slot (test:///default) answers the same as one by one too.
 *
 * Where the answer comes from: a domain that cannot change its run state
 * by itself ('-machine none': "self_change": false in its record) is
 * listed from its record, a 'stop' sent behind the driver's back does not
 * show; one that can (a diskless 'pc', whose guest has ACPI S3) is asked
 * from QEMU and listed paused after such a 'stop'; with a second process
 * holding its events monitor it is listed from its record, which that
 * process keeps (frozen with SIGSTOP, the record lags, which shows the
 * list read it; continued, it catches up); the holder SIGKILLed and a
 * pause made, the list asks QEMU again and tells the truth at once; a
 * SIGKILLed QEMU is listed shut off (crashed) either way.
 *
 * QEMU's own events log (test_events_log): once a list has found a
 * domain's record true, the record is listed while the log has not grown
 * (shown by a record made wrong by hand), and the truth as soon as QEMU
 * did anything (a pause and resume by a bare QMP client, a torn line).
 * Harmless events only (test_events_harmless: RTC_CHANGE and the like,
 * appended by hand) leave it listed from the confirmation; anything else
 * in them makes the list ask. A pause nobody recorded
 * (test_record_disagrees) is asked once, then listed from what QEMU said
 * without asking (QEMU frozen by SIGSTOP could not answer).
 */
#include <config.h>

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
#include <json-c/json.h>

#include <virtplug/sdk/alloc.h>
#include <virtplug/virtplug.h>

#include "qemu-monitor.h"
#include "qemu-test-util.h"

typedef struct fixture {
    char *root;
    vp_conn *conn;
} fixture;

static int
setup(void **state)
{
    fixture *f = vp_new0(fixture, 1);
    f->root = qt_root_new();
    _cleanup_free_ char *uri = qt_uri(f->root, NULL);
    assert_int_equal(vp_conn_open(uri, 0, &f->conn), 0);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    fixture *f = *state;
    vp_conn_close(f->conn);
    qt_root_destroy(f->root);
    free(f);
    return 0;
}

/* A domain on machine @machine: 'none' cannot change its run state by
 * itself (no disk, no ACPI S3, no panic device), a diskless 'pc' can (its
 * guest may suspend to RAM), so a list asks its QEMU unless a holder of
 * its events monitor keeps its record. */
static vp_domain *
define_on(vp_conn *conn, const char *name, const char *machine, bool start)
{
    _cleanup_free_ char *xml =
        vp_asprintf("<domain type='qemu'><name>%s</name><memory unit='MiB'>32</memory>"
                    "<vcpu>1</vcpu><os><type arch='x86_64' machine='%s'>hvm</type></os>"
                    "<devices><emulator>%s</emulator></devices></domain>",
                    name, machine, QEMU_BINARY);
    vp_domain *dom = NULL;
    int r = vp_domain_define_xml(conn, xml, 0, &dom);
    if (r >= 0 && start)
        r = vp_domain_start(dom, 0);
    if (r < 0)
        fail_msg("domain '%s': %s", name, vp_error_last()->message);
    return dom;
}

static vp_domain *
define(vp_conn *conn, const char *name, bool start)
{
    /* Those that QEMU is made to pause behind the driver's back. */
    bool self = strcmp(name, "qmpstopped") == 0 || strcmp(name, "busy") == 0;
    return define_on(conn, name, self ? "pc" : "none", start);
}

/* A QMP client of our own on domain @name's monitor. */
static qemu_monitor *
monitor(const fixture *f, const char *name)
{
    _cleanup_free_ char *path = vp_asprintf("%s/run/%s.qmp", f->root, name);
    qemu_monitor *mon = NULL;
    if (qemu_monitor_open(path, 5000, &mon) < 0)
        fail_msg("QMP on '%s': %s", path, vp_error_last()->message);
    return mon;
}

/* An OFD lock on domain @name's lock file, as another process takes it. */
static int
hold_lock(const fixture *f, const char *name)
{
    _cleanup_free_ char *path = vp_asprintf("%s/run/%s.lock", f->root, name);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    assert_true(fd >= 0);
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
    assert_int_equal(fcntl(fd, F_OFD_SETLK, &fl), 0);
    return fd;
}

typedef struct answer {
    int state, reason, id;
} answer;

/* The answers of every listed domain, at once and one by one, in @doms'
 * order; they must agree. */
static void
assert_same_answers(vp_domain **doms, int n, answer *ret_bulk)
{
    int *st = vp_new0(int, (size_t)n), *re = vp_new0(int, (size_t)n), *id = vp_new0(int, (size_t)n);
    assert_int_equal(vp_domain_list_get_states(doms, st, re, id, 0), n);
    for (int i = 0; i < n; i++) {
        answer one = {.id = -1};
        assert_int_equal(vp_domain_get_state(doms[i], &one.state, &one.reason, 0), 0);
        if (one.state != VP_DOMAIN_SHUTOFF)
            assert_int_equal(vp_domain_get_id(doms[i], &one.id), 0);
        if (st[i] != one.state || re[i] != one.reason || id[i] != one.id)
            fail_msg("domain '%s': at once %d/%d id %d, one by one %d/%d id %d",
                     vp_domain_get_name(doms[i]), st[i], re[i], id[i], one.state, one.reason,
                     one.id);
        ret_bulk[i] = (answer){st[i], re[i], id[i]};
    }
    free(st), free(re), free(id);
}

static int
index_of(vp_domain **doms, const char *name)
{
    for (int i = 0; doms[i]; i++)
        if (strcmp(vp_domain_get_name(doms[i]), name) == 0)
            return i;
    fail_msg("domain '%s' is not listed", name);
    return -1;
}

static void
test_states_at_once(void **state)
{
    fixture *f = *state;
    const char *names[] = {"running", "drvpaused", "qmpstopped", "off", "crashed", "busy"};
    vp_domain *d[6];
    for (int i = 0; i < 6; i++)
        d[i] = define(f->conn, names[i], strcmp(names[i], "off") != 0);
    assert_int_equal(vp_domain_suspend(d[1], 0), 0);
    qemu_monitor *mon = monitor(f, "qmpstopped");
    assert_int_equal(qemu_monitor_command(mon, "stop", NULL, 5000, NULL), 0);
    qemu_monitor_close(mon);
    pid_t pid = qt_pid(f->root, "crashed");
    assert_true(pid > 0);
    assert_int_equal(kill(pid, SIGKILL), 0);
    assert_true(qt_wait_pid_gone(pid, 5000));
    int lock = hold_lock(f, "busy");
    /* The busy domain's record says running; make QEMU say otherwise, so
     * that an answer from QEMU would show. */
    mon = monitor(f, "busy");
    assert_int_equal(qemu_monitor_command(mon, "stop", NULL, 5000, NULL), 0);
    qemu_monitor_close(mon);

    vp_domain **doms = NULL;
    int n = vp_conn_list_domains(f->conn, 0, &doms);
    assert_int_equal(n, 6);
    answer a[6];
    assert_same_answers(doms, n, a);
    answer want[] = {
        {VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_BOOTED, 1},
        {VP_DOMAIN_PAUSED, VP_DOMAIN_PAUSED_USER, 2},
        {VP_DOMAIN_PAUSED, VP_DOMAIN_PAUSED_USER, 3},
        {VP_DOMAIN_SHUTOFF, VP_DOMAIN_SHUTOFF_UNKNOWN, -1},
        {VP_DOMAIN_SHUTOFF, VP_DOMAIN_SHUTOFF_CRASHED, -1},
        {VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_BOOTED, 5}, /* its record, not QEMU */
    };
    for (int i = 0; i < 6; i++) {
        answer got = a[index_of(doms, names[i])];
        if (got.state != want[i].state || got.reason != want[i].reason || got.id != want[i].id)
            fail_msg("domain '%s': %d/%d id %d, want %d/%d id %d", names[i], got.state, got.reason,
                     got.id, want[i].state, want[i].reason, want[i].id);
    }
    /* Free again, the busy one reads QEMU's answer, at once as one by one. */
    close(lock);
    assert_same_answers(doms, n, a);
    answer busy = a[index_of(doms, "busy")];
    assert_int_equal(busy.state, VP_DOMAIN_PAUSED);
    assert_int_equal(busy.reason, VP_DOMAIN_PAUSED_USER);

    /* A monitor serving another client: the record answers, at once. */
    mon = monitor(f, "running");
    int st[6], re[6], id[6];
    assert_int_equal(vp_domain_list_get_states(doms, st, re, id, 0), n);
    int i = index_of(doms, "running");
    assert_int_equal(st[i], VP_DOMAIN_RUNNING);
    assert_int_equal(re[i], VP_DOMAIN_RUNNING_BOOTED);
    assert_int_equal(id[i], 1);
    qemu_monitor_close(mon);

    /* An undefined domain reads VP_ERR_NO_DOMAIN; the others still answer. */
    assert_int_equal(vp_domain_undefine(d[3], 0), 0);
    assert_int_equal(vp_domain_list_get_states(doms, st, NULL, NULL, 0), n);
    for (i = 0; i < n; i++)
        assert_int_equal(st[i], strcmp(vp_domain_get_name(doms[i]), "off") == 0 ? VP_ERR_NO_DOMAIN
                                                                                : a[i].state);
    assert_int_equal(vp_domain_list_get_states(doms, st, NULL, NULL, 1), VP_ERR_INVALID_ARG);
    vp_domain_list_free(doms);
    for (i = 0; i < 6; i++)
        vp_domain_free(d[i]);
}

/* ---- where the list's answers come from --------------------------------- */

static void
ignore_event(vp_conn *conn, const vp_domain_event *ev, void *opaque)
{
    (void)conn, (void)ev, (void)opaque;
}

/* "hold URI": register for events and dispatch until killed, so that this
 * process holds the events monitor of every running domain. */
static int
hold_main(const char *uri)
{
    vp_conn *conn = NULL;
    if (vp_conn_open(uri, 0, &conn) < 0 ||
        vp_conn_event_register(conn, 0, ignore_event, NULL, NULL, NULL) < 0)
        return 100;
    struct pollfd p = {.fd = vp_conn_event_fd(conn), .events = POLLIN};
    for (;;)
        if (poll(&p, 1, 50) == 1)
            vp_conn_event_dispatch(conn);
}

static pid_t
spawn_holder(const fixture *f)
{
    _cleanup_free_ char *uri = qt_uri(f->root, NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        execl(qt_self, qt_self, "hold", uri, (char *)NULL);
        _exit(127);
    }
    return pid;
}

static void
kill_holder(pid_t pid)
{
    int status;
    assert_int_equal(kill(pid, SIGKILL), 0);
    assert_int_equal(waitpid(pid, &status, 0), pid);
}

/* Whether a holder's mark is on domain @name (any byte of its file). */
static bool
marked(const fixture *f, const char *name)
{
    _cleanup_free_ char *path = vp_asprintf("%s/run/%s.qmp-events-held", f->root, name);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
    bool held = fcntl(fd, F_OFD_GETLK, &fl) == 0 && fl.l_type != F_UNLCK;
    close(fd);
    return held;
}

static void
wait_marked(const fixture *f, const char *name)
{
    for (int i = 0; i < 400 && !marked(f, name); i++)
        usleep(25000);
    if (!marked(f, name))
        fail_msg("no holder's mark on domain '%s'", name);
}

static void
qmp_direct(const fixture *f, const char *name, const char *command)
{
    qemu_monitor *mon = monitor(f, name);
    assert_int_equal(qemu_monitor_command(mon, command, NULL, 5000, NULL), 0);
    qemu_monitor_close(mon);
}

/* The listed state of domain @dom alone. */
static int
listed(vp_domain *dom)
{
    vp_domain *one[] = {dom, NULL};
    int st = 0, re = 0, id = 0;
    assert_int_equal(vp_domain_list_get_states(one, &st, &re, &id, 0), 1);
    return st;
}

/* List @dom until it reads @want, for up to 10 s (a holder writes a
 * change as its process reads the event). */
static void
wait_listed(vp_domain *dom, int want)
{
    for (int i = 0; i < 400 && listed(dom) != want; i++)
        usleep(25000);
    assert_int_equal(listed(dom), want);
}

static bool
record_says(const fixture *f, const char *name, const char *text)
{
    _cleanup_free_ char *path = vp_asprintf("%s/run/%s.json", f->root, name);
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    char buf[8192];
    size_t n = fread(buf, 1, sizeof(buf) - 1, fp);
    fclose(fp);
    buf[n] = '\0';
    return strstr(buf, text) != NULL;
}

static void
test_record_or_qemu(void **state)
{
    fixture *f = *state;
    vp_domain *fixed = define_on(f->conn, "fixed", "none", true);
    vp_domain *self = define_on(f->conn, "selfpc", "pc", true);
    assert_true(record_says(f, "fixed", "\"self_change\":false"));
    assert_false(record_says(f, "selfpc", "\"self_change\""));

    /* No holder: the record for the one, QEMU for the other. */
    qmp_direct(f, "fixed", "stop");
    qmp_direct(f, "selfpc", "stop");
    assert_int_equal(listed(fixed), VP_DOMAIN_RUNNING);
    assert_int_equal(listed(self), VP_DOMAIN_PAUSED);
    qmp_direct(f, "fixed", "cont");
    qmp_direct(f, "selfpc", "cont");
    assert_int_equal(listed(self), VP_DOMAIN_RUNNING);

    /* A holder keeps the record: listed from it. */
    pid_t holder = spawn_holder(f);
    wait_marked(f, "selfpc");
    qmp_direct(f, "selfpc", "stop");
    wait_listed(self, VP_DOMAIN_PAUSED);
    qmp_direct(f, "selfpc", "cont");
    wait_listed(self, VP_DOMAIN_RUNNING);
    assert_int_equal(kill(holder, SIGSTOP), 0);
    qmp_direct(f, "selfpc", "stop");
    assert_int_equal(listed(self), VP_DOMAIN_RUNNING); /* the record, behind */
    assert_int_equal(kill(holder, SIGCONT), 0);
    wait_listed(self, VP_DOMAIN_PAUSED);
    qmp_direct(f, "selfpc", "cont");
    wait_listed(self, VP_DOMAIN_RUNNING);

    /* The holder killed, then a pause: QEMU is asked again. */
    kill_holder(holder);
    assert_false(marked(f, "selfpc"));
    qmp_direct(f, "selfpc", "stop");
    assert_int_equal(listed(self), VP_DOMAIN_PAUSED);

    /* Killed QEMUs are shut off, whatever their records say. */
    vp_domain *doms[] = {fixed, self};
    for (int i = 0; i < 2; i++) {
        pid_t pid = qt_pid(f->root, vp_domain_get_name(doms[i]));
        assert_true(pid > 0);
        assert_int_equal(kill(pid, SIGKILL), 0);
        assert_true(qt_wait_pid_gone(pid, 5000));
        assert_int_equal(listed(doms[i]), VP_DOMAIN_SHUTOFF);
        vp_domain_free(doms[i]);
    }
}

/* ---- QEMU's own log of its events (qemu-events-log.c) --------------- */

/* Rewrite domain @name's record, and the confirmation a list made of it
 * (RUNTIME/NAME.events-seen: "PID START SIZE STATE REASON QSTATE
 * QREASON"), as if QEMU had been found paused by the user (@paused) or
 * running where QEMU runs: paused, the two disagree with QEMU, which only
 * a list that reads the confirmation reports. */
static void
record_set_paused(const fixture *f, const char *name, bool paused)
{
    int state = paused ? VP_DOMAIN_PAUSED : VP_DOMAIN_RUNNING;
    int reason = paused ? VP_DOMAIN_PAUSED_USER : VP_DOMAIN_RUNNING_BOOTED;
    _cleanup_free_ char *path = vp_asprintf("%s/run/%s.json", f->root, name);
    json_object *o = json_object_from_file(path);
    assert_non_null(o);
    json_object_object_add(o, "state", json_object_new_int(state));
    json_object_object_add(o, "reason", json_object_new_int(reason));
    assert_int_equal(json_object_to_file(path, o), 0);
    json_object_put(o);
    _cleanup_free_ char *seen = vp_asprintf("%s/run/%s.events-seen", f->root, name);
    FILE *fp = fopen(seen, "r+");
    assert_non_null(fp);
    long long pid, start, size;
    assert_int_equal(fscanf(fp, "%lld %lld %lld", &pid, &start, &size), 3);
    rewind(fp);
    assert_true(ftruncate(fileno(fp), 0) == 0);
    fprintf(fp, "%lld %lld %lld %d %d %d %d\n", pid, start, size, state, reason, state, reason);
    assert_int_equal(fclose(fp), 0);
}

static off_t
file_size(const fixture *f, const char *name, const char *suffix)
{
    _cleanup_free_ char *path = vp_asprintf("%s/run/%s%s", f->root, name, suffix);
    struct stat st;
    return lstat(path, &st) == 0 ? st.st_size : -1;
}

/* QEMU writes its events to RUNTIME/NAME.events-log.out through a monitor
 * nobody listens on: a domain that can change by itself (a diskless 'pc',
 * ACPI S3) is listed from its record once a list found the record true and
 * as long as that log has not grown since; any event in between (a pause
 * behind the driver's back, with no holder) makes the list ask QEMU. */
static void
test_events_log(void **state)
{
    fixture *f = *state;
    vp_domain *self = define_on(f->conn, "logged", "pc", true);
    assert_false(record_says(f, "logged", "\"self_change\""));
    /* The negotiation's input is gone once QEMU runs, the log is ours. */
    assert_int_equal(file_size(f, "logged", ".events-log.in"), -1);
    _cleanup_free_ char *log = vp_asprintf("%s/run/logged.events-log.out", f->root);
    struct stat st;
    assert_int_equal(lstat(log, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0600);

    /* The first list asks QEMU and confirms the record. */
    assert_int_equal(file_size(f, "logged", ".events-seen"), -1);
    assert_int_equal(listed(self), VP_DOMAIN_RUNNING);
    assert_true(file_size(f, "logged", ".events-seen") > 0);

    /* Confirmed and the log unchanged: the record is read, even where it
     * is wrong (made so by hand), and QEMU is not asked. */
    record_set_paused(f, "logged", true);
    assert_int_equal(listed(self), VP_DOMAIN_PAUSED);
    assert_int_equal(listed(self), VP_DOMAIN_PAUSED);

    /* Anything QEMU does grows the log: asked again, the truth; QEMU's
     * answer is kept beside the record it disagrees with. */
    off_t before = file_size(f, "logged", ".events-log.out");
    qmp_direct(f, "logged", "stop");
    qmp_direct(f, "logged", "cont");
    assert_true(file_size(f, "logged", ".events-log.out") > before);
    assert_int_equal(listed(self), VP_DOMAIN_RUNNING);
    assert_int_equal(listed(self), VP_DOMAIN_RUNNING);

    /* The record made true again, a list confirms it; a pause made by a
     * bare QMP client is then listed at once. */
    record_set_paused(f, "logged", false);
    assert_int_equal(listed(self), VP_DOMAIN_RUNNING);
    for (int i = 0; i < 20; i++) {
        qmp_direct(f, "logged", "stop");
        assert_int_equal(listed(self), VP_DOMAIN_PAUSED);
        qmp_direct(f, "logged", "cont");
        assert_int_equal(listed(self), VP_DOMAIN_RUNNING);
        assert_int_equal(listed(self), VP_DOMAIN_RUNNING);
    }
    /* A half-written line (QEMU killed in a write) counts as growth. */
    int fd = open(log, O_WRONLY | O_APPEND | O_CLOEXEC);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "{\"timestamp\": {\"sec", 19), 19);
    close(fd);
    record_set_paused(f, "logged", true);
    assert_int_equal(listed(self), VP_DOMAIN_RUNNING);

    /* A SIGKILLed QEMU is shut off whatever its record and log say. */
    record_set_paused(f, "logged", false);
    assert_int_equal(listed(self), VP_DOMAIN_RUNNING);
    pid_t pid = qt_pid(f->root, "logged");
    assert_true(pid > 0);
    assert_int_equal(kill(pid, SIGKILL), 0);
    assert_true(qt_wait_pid_gone(pid, 5000));
    assert_int_equal(listed(self), VP_DOMAIN_SHUTOFF);
    vp_domain_free(self);
}

static void
append_log(const fixture *f, const char *name, const char *bytes, size_t len)
{
    _cleanup_free_ char *log = vp_asprintf("%s/run/%s.events-log.out", f->root, name);
    int fd = open(log, O_WRONLY | O_APPEND | O_CLOEXEC);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, bytes, len), (ssize_t)len);
    close(fd);
}

#define RTC_LINE                                                                                   \
    "{\"timestamp\": {\"seconds\": 1765070000, \"microseconds\": 123456}, \"event\": "             \
    "\"RTC_CHANGE\", \"data\": {\"offset\": 0, \"qom-path\": \"/machine/unattached/device[9]\"}}"  \
    "\r\n"

/* What the list makes of bytes added to the events log (written here by
 * hand, as QEMU writes them; QEMU itself writes nothing meanwhile): with
 * the record and its confirmation made wrong by hand (paused), harmless
 * events only leave the confirmation true (listed paused, not asked, and
 * moved past them); a run-state event, a torn line, an unknown event or
 * more than 64 KiB make the list ask QEMU (running). A confirmation covers
 * a torn last line only once it is whole (it may be a tray move). */
static void
test_events_harmless(void **state)
{
    fixture *f = *state;
    vp_domain *dom = define_on(f->conn, "harmless", "pc", true);
    assert_int_equal(listed(dom), VP_DOMAIN_RUNNING);
    size_t big_len = 70 * 1024 / (sizeof(RTC_LINE) - 1) * (sizeof(RTC_LINE) - 1);
    char *big = vp_new0(char, big_len + 1);
    for (size_t at = 0; at < big_len; at += sizeof(RTC_LINE) - 1)
        memcpy(big + at, RTC_LINE, sizeof(RTC_LINE) - 1);
    static const struct {
        const char *bytes;
        int listed;
        bool torn;
    } cases[] = {
        {RTC_LINE, VP_DOMAIN_PAUSED, false},
        {RTC_LINE "{\"timestamp\": {\"seconds\": 1765070001, \"microseconds\": 2}, \"event\": "
                  "\"VSERPORT_CHANGE\", \"data\": {\"open\": true, \"id\": \"channel0\"}}\r\n",
         VP_DOMAIN_PAUSED, false},
        {RTC_LINE "{\"timestamp\": {\"seconds\": 1765070002, \"microseconds\": 3}, \"event\": "
                  "\"STOP\"}\r\n",
         VP_DOMAIN_RUNNING, false},
        {"{\"timestamp\": {\"seconds\": 1765070003, \"microseconds\": 4}, \"event\": \"RTC_CH",
         VP_DOMAIN_RUNNING, true},
        {"{\"timestamp\": {\"seconds\": 1765070004, \"microseconds\": 5}, \"event\": "
         "\"RTC_CHANGED\"}\r\n",
         VP_DOMAIN_RUNNING, false},
        {NULL, VP_DOMAIN_RUNNING, false}, /* more than 64 KiB of harmless events */
        {RTC_LINE, VP_DOMAIN_PAUSED, false},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        record_set_paused(f, "harmless", true);
        const char *bytes = cases[i].bytes ? cases[i].bytes : big;
        append_log(f, "harmless", bytes, cases[i].bytes ? strlen(bytes) : big_len);
        int got = listed(dom);
        if (got != cases[i].listed)
            fail_msg("case %zu: listed %d, want %d", i, got, cases[i].listed);
        /* Not asked or asked, the confirmation covers the bytes now (but
         * for a torn last line). */
        assert_int_equal(qt_events_seen_size(f->root, "harmless"),
                         file_size(f, "harmless", ".events-log.out") -
                             (cases[i].torn ? (long long)strlen(bytes) : 0));
        assert_true(record_says(f, "harmless", "\"state\":3")); /* never written by a list */
    }
    free(big);
    pid_t pid = qt_pid(f->root, "harmless");
    assert_true(pid > 0);
    assert_int_equal(kill(pid, SIGKILL), 0);
    assert_true(qt_wait_pid_gone(pid, 5000));
    assert_int_equal(listed(dom), VP_DOMAIN_SHUTOFF);
    vp_domain_free(dom);
}

/* The list of frozen QEMU @pid's domain @dom: a list that asks it gets no
 * answer (it falls back on the record after its deadline), so what it
 * answers otherwise it knew without asking. */
static int
listed_frozen(vp_domain *dom, pid_t pid)
{
    assert_int_equal(kill(pid, SIGSTOP), 0);
    int st = listed(dom);
    assert_int_equal(kill(pid, SIGCONT), 0);
    return st;
}

/* A pause nobody recorded (a bare QMP 'stop', no holder): the record says
 * running; the first list asks QEMU and reads paused, the next ones read
 * paused without asking (QEMU frozen could not answer) while the log has
 * not grown, and the record is never written; a 'cont' is seen at once. */
static void
test_record_disagrees(void **state)
{
    fixture *f = *state;
    vp_domain *dom = define_on(f->conn, "unrecorded", "pc", true);
    pid_t pid = qt_pid(f->root, "unrecorded");
    assert_true(pid > 0);
    assert_int_equal(listed(dom), VP_DOMAIN_RUNNING);
    qmp_direct(f, "unrecorded", "stop");
    assert_int_equal(listed(dom), VP_DOMAIN_PAUSED);
    assert_int_equal(listed_frozen(dom, pid), VP_DOMAIN_PAUSED);
    assert_int_equal(listed_frozen(dom, pid), VP_DOMAIN_PAUSED);
    assert_true(record_says(f, "unrecorded", "\"state\":1"));
    qmp_direct(f, "unrecorded", "cont");
    assert_int_equal(listed(dom), VP_DOMAIN_RUNNING);
    assert_int_equal(listed_frozen(dom, pid), VP_DOMAIN_RUNNING);
    /* Paused again: asked again, then known again. */
    qmp_direct(f, "unrecorded", "stop");
    assert_int_equal(listed(dom), VP_DOMAIN_PAUSED);
    assert_int_equal(listed_frozen(dom, pid), VP_DOMAIN_PAUSED);
    qmp_direct(f, "unrecorded", "cont");
    assert_int_equal(listed(dom), VP_DOMAIN_RUNNING);
    vp_domain_free(dom);
}

/* A driver without the slot: the core asks one by one. */
static void
test_fallback_one_by_one(void **state)
{
    (void)state;
    vp_conn *conn = NULL;
    assert_int_equal(vp_conn_open("test:///default", 0, &conn), 0);
    vp_domain **doms = NULL;
    int n = vp_conn_list_domains(conn, 0, &doms);
    assert_true(n > 0);
    answer *a = vp_new0(answer, (size_t)n);
    assert_same_answers(doms, n, a);
    free(a);
    vp_domain_list_free(doms);
    vp_conn_close(conn);
}

int
main(int argc, char **argv)
{
    qt_self = argv[0];
    if (argc == 3 && strcmp(argv[1], "hold") == 0)
        return hold_main(argv[2]);
    int r = qt_main_start(argc, argv, QEMU_BINARY);
    if (r >= 0)
        return r;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_states_at_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_record_or_qemu, setup, teardown),
        cmocka_unit_test_setup_teardown(test_events_log, setup, teardown),
        cmocka_unit_test_setup_teardown(test_events_harmless, setup, teardown),
        cmocka_unit_test_setup_teardown(test_record_disagrees, setup, teardown),
        cmocka_unit_test(test_fallback_one_by_one),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
