/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * bench-events.c: the latency of domain events (issue 17), from the change
 * to the callback, for each source, as an application sees it: poll() on
 * vp_conn_event_fd(), then vp_conn_event_dispatch().
 *
 *  - Own change, test driver: vp_domain_suspend/resume on test:///default,
 *    beside libvirt's test:///default (virDomainSuspend to its lifecycle
 *    callback through virEventRunDefaultImpl) measured in the same run.
 *  - Another process's change, QEMU: a child process pauses and resumes a
 *    '-machine none' domain; from the moment its call began (so the figure
 *    is an upper bound: it holds the child's QMP command and record write)
 *    to this process's callback (inotify). Target < 50 ms. The child's
 *    call itself is printed beside it.
 *  - QEMU killed with SIGKILL: from kill() to the "stopped crashed"
 *    callback (pidfd). Target < 50 ms.
 *  - A change inside QEMU that no driver call made: 'stop' and 'cont' sent
 *    straight to QEMU's monitor NAME.qmp (as a guest's I/O error or a tool
 *    would pause it), from the command sent to the "suspended"/"resumed"
 *    callback: the QMP event on NAME.qmp-events, query-status, the record
 *    written and read back (the watch here holds the events monitor).
 *
 * It owns only its temporary embed root and the QEMU it starts there,
 * killed before it exits.
 */
#include <config.h>

#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <virtplug/sdk/alloc.h>
#include <virtplug/sdk/services.h>
#include <virtplug/virtplug.h>

#ifdef VP_BENCH_HAVE_LIBVIRT
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#endif

#include "bench-common.h"

#define OWN_RUNS 2000
#define OTHER_RUNS 40
#define KILL_RUNS 5
#define QMP_RUNS 20
#define WAIT_MS 5000

typedef struct catcher {
    int64_t at_ns; /* when the awaited event arrived; 0 before */
    int event;     /* the event awaited */
} catcher;

static void
catch_event(vp_conn *conn, const vp_domain_event *ev, void *opaque)
{
    catcher *c = opaque;
    if (ev->event == c->event && !c->at_ns)
        c->at_ns = bench_now_ns();
}

/* Wait on the fd and dispatch until @c caught its event; its time, or -1. */
static int64_t
await(vp_conn *conn, catcher *c, int event)
{
    struct pollfd p = {.fd = vp_conn_event_fd(conn), .events = POLLIN};
    int64_t deadline = bench_now_ns() + (int64_t)WAIT_MS * 1000000;
    c->event = event;
    while (!c->at_ns && bench_now_ns() < deadline)
        if (poll(&p, 1, 100) == 1 && vp_conn_event_dispatch(conn) < 0)
            return -1;
    int64_t t = c->at_ns ? c->at_ns : -1;
    c->at_ns = 0;
    return t;
}

static int
fail(const char *what)
{
    const vp_error *e = vp_error_last();
    fprintf(stderr, "bench-events: %s: %s\n", what, e ? e->message : "?");
    return -1;
}

/* ---- own change, test driver ------------------------------------------ */

static int
own_changes(double *ret_ms)
{
    vp_conn *conn = NULL;
    vp_domain *dom = NULL;
    catcher c = {0};
    double v[OWN_RUNS];
    int r = vp_conn_open("test:///default", 0, &conn) < 0 ? fail("open test:///default") : 0;
    if (r >= 0 && (vp_domain_lookup_by_name(conn, "test", &dom) < 0 ||
                   vp_conn_event_register(conn, 0, catch_event, &c, NULL, NULL) < 0))
        r = fail("register");
    for (int i = 0; r >= 0 && i < OWN_RUNS; i++) {
        bool pause = i % 2 == 0;
        int64_t t0 = bench_now_ns();
        if ((pause ? vp_domain_suspend(dom, 0) : vp_domain_resume(dom, 0)) < 0)
            r = fail("suspend/resume");
        int64_t t1 =
            r < 0 ? -1
                  : await(conn, &c, pause ? VP_DOMAIN_EVENT_SUSPENDED : VP_DOMAIN_EVENT_RESUMED);
        if (r >= 0 && t1 < 0)
            r = fail("no event from the test driver");
        v[i] = (double)(t1 - t0) / 1e6;
    }
    if (r >= 0)
        *ret_ms = bench_median(v, OWN_RUNS);
    vp_domain_free(dom);
    vp_conn_close(conn);
    return r;
}

#ifdef VP_BENCH_HAVE_LIBVIRT
static int64_t libvirt_at_ns;

static int
libvirt_lifecycle(virConnectPtr conn, virDomainPtr dom, int event, int detail, void *opaque)
{
    libvirt_at_ns = bench_now_ns();
    return 0;
}

static void
libvirt_quiet(void *data, virErrorPtr err)
{
    (void)data, (void)err;
}

/* The same figure on libvirt's test:///default and its event loop. */
static int
libvirt_own_changes(double *ret_ms)
{
    virSetErrorFunc(NULL, libvirt_quiet);
    if (virEventRegisterDefaultImpl() < 0)
        return -1;
    virConnectPtr conn = virConnectOpen("test:///default");
    virDomainPtr dom = conn ? virDomainLookupByName(conn, "test") : NULL;
    int r = dom && virConnectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                                    VIR_DOMAIN_EVENT_CALLBACK(libvirt_lifecycle),
                                                    NULL, NULL) >= 0
                ? 0
                : -1;
    double v[OWN_RUNS];
    for (int i = 0; r >= 0 && i < OWN_RUNS; i++) {
        libvirt_at_ns = 0;
        int64_t t0 = bench_now_ns();
        if ((i % 2 == 0 ? virDomainSuspend(dom) : virDomainResume(dom)) < 0)
            r = -1;
        while (r >= 0 && !libvirt_at_ns)
            if (virEventRunDefaultImpl() < 0)
                r = -1;
        v[i] = (double)(libvirt_at_ns - t0) / 1e6;
    }
    if (r >= 0)
        *ret_ms = bench_median(v, OWN_RUNS);
    if (dom)
        virDomainFree(dom);
    if (conn)
        virConnectClose(conn);
    return r;
}
#endif

/* ---- QEMU: another process's change, and SIGKILL ------------------------ */

static char *
domain_xml(void)
{
    return vp_strdup("<domain type='qemu'><name>ev</name><memory unit='MiB'>32</memory>"
                     "<vcpu>1</vcpu><os><type arch='x86_64' machine='none'>hvm</type></os>"
                     "</domain>");
}

/* The child: pause or resume on each byte from @in, then report on @out
 * when its call began and when it returned. */
static int
child_changes(const char *uri, int in, int out)
{
    vp_conn *conn = NULL;
    vp_domain *dom = NULL;
    if (vp_conn_open(uri, 0, &conn) < 0 || vp_domain_lookup_by_name(conn, "ev", &dom) < 0)
        return fail("child: open");
    char cmd;
    while (read(in, &cmd, 1) == 1) {
        int64_t t[2] = {bench_now_ns(), 0};
        int r = cmd == 'p' ? vp_domain_suspend(dom, 0) : vp_domain_resume(dom, 0);
        t[1] = r < 0 ? -1 : bench_now_ns();
        if (write(out, t, sizeof(t)) != sizeof(t))
            break;
    }
    vp_domain_free(dom);
    vp_conn_close(conn);
    return 0;
}

static int
other_process(const char *uri, vp_conn *conn, catcher *c, double *ret_ms, double *ret_call_ms)
{
    int to_child[2], from_child[2];
    if (pipe(to_child) < 0 || pipe(from_child) < 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        close(to_child[1]);
        close(from_child[0]);
        _exit(child_changes(uri, to_child[0], from_child[1]) < 0 ? 1 : 0);
    }
    close(to_child[0]);
    close(from_child[1]);
    double v[OTHER_RUNS], call[OTHER_RUNS];
    int r = pid < 0 ? -1 : 0;
    for (int i = 0; r >= 0 && i < OTHER_RUNS; i++) {
        char cmd = i % 2 == 0 ? 'p' : 'r';
        int64_t t[2] = {-1, -1};
        if (write(to_child[1], &cmd, 1) != 1)
            r = -1;
        int64_t t1 =
            r < 0
                ? -1
                : await(conn, c, cmd == 'p' ? VP_DOMAIN_EVENT_SUSPENDED : VP_DOMAIN_EVENT_RESUMED);
        if (r >= 0 && read(from_child[0], t, sizeof(t)) != sizeof(t))
            r = -1;
        if (r >= 0 && (t1 < 0 || t[1] < 0))
            r = fail("no event of the other process's change");
        v[i] = (double)(t1 - t[0]) / 1e6;
        call[i] = (double)(t[1] - t[0]) / 1e6;
    }
    close(to_child[1]);
    close(from_child[0]);
    if (pid > 0)
        waitpid(pid, NULL, 0);
    if (r >= 0) {
        *ret_ms = bench_median(v, OTHER_RUNS);
        *ret_call_ms = bench_median(call, OTHER_RUNS);
    }
    return r;
}

/* Read one line from @fd into @buf (NUL-terminated, without it); false
 * on EOF. Byte by byte: a QMP reply is short. */
static bool
read_line(int fd, char *buf, size_t size)
{
    size_t n = 0;
    char ch;
    while (read(fd, &ch, 1) == 1) {
        if (ch == '\n') {
            buf[n] = '\0';
            return true;
        }
        if (n + 1 < size)
            buf[n++] = ch;
    }
    return false;
}

/* Send @command to QEMU's own monitor ROOT/run/ev.qmp as a tool outside
 * virtplug would, and close it at once (the watch's query-status needs
 * it); the time it was sent, or -1. */
static int64_t
qmp_direct(const char *root, const char *command)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/run/ev.qmp", root);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    char line[4096];
    static const char caps[] = "{\"execute\":\"qmp_capabilities\"}\n";
    int64_t t0 = -1;
    if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
        read_line(fd, line, sizeof(line)) &&
        write(fd, caps, sizeof(caps) - 1) == (ssize_t)sizeof(caps) - 1 &&
        read_line(fd, line, sizeof(line))) {
        char cmd[128];
        int len = snprintf(cmd, sizeof(cmd), "{\"execute\":\"%s\"}\n", command);
        t0 = bench_now_ns();
        if (write(fd, cmd, (size_t)len) != len)
            t0 = -1;
        /* Its own events may come before the reply. */
        while (t0 >= 0 && read_line(fd, line, sizeof(line)) && !strstr(line, "\"return\""))
            ;
    }
    if (fd >= 0)
        close(fd);
    return t0;
}

static int
qmp_events(const char *root, vp_conn *conn, catcher *c, double *ret_ms)
{
    double v[QMP_RUNS];
    for (int i = 0; i < QMP_RUNS; i++) {
        bool pause = i % 2 == 0;
        int64_t t0 = qmp_direct(root, pause ? "stop" : "cont");
        if (t0 < 0)
            return fail("QMP straight to QEMU");
        int64_t t1 = await(conn, c, pause ? VP_DOMAIN_EVENT_SUSPENDED : VP_DOMAIN_EVENT_RESUMED);
        if (t1 < 0)
            return fail("no event of a pause made inside QEMU");
        v[i] = (double)(t1 - t0) / 1e6;
    }
    *ret_ms = bench_median(v, QMP_RUNS);
    return 0;
}

static pid_t
qemu_pid(const char *root)
{
    _cleanup_free_ char *path = vp_asprintf("%s/run/ev.pid", root);
    FILE *f = fopen(path, "r");
    int pid = -1;
    if (f) {
        if (fscanf(f, "%d", &pid) != 1)
            pid = -1;
        fclose(f);
    }
    return pid;
}

static int
sigkill(const char *root, vp_conn *conn, vp_domain *dom, catcher *c, double *ret_ms)
{
    double v[KILL_RUNS];
    int r = 0;
    for (int i = 0; r >= 0 && i < KILL_RUNS; i++) {
        if (vp_domain_start(dom, 0) < 0 || await(conn, c, VP_DOMAIN_EVENT_STARTED) < 0)
            return fail("start");
        pid_t pid = qemu_pid(root);
        if (pid <= 0)
            return fail("no pidfile");
        int64_t t0 = bench_now_ns();
        kill(pid, SIGKILL);
        int64_t t1 = await(conn, c, VP_DOMAIN_EVENT_STOPPED);
        if (t1 < 0)
            r = fail("no event of the SIGKILL");
        v[i] = (double)(t1 - t0) / 1e6;
        if (i == 0) {
            /* The domain must also read crashed (the event said so). */
            int state, reason;
            if (vp_domain_get_state(dom, &state, &reason, 0) < 0 ||
                reason != VP_DOMAIN_SHUTOFF_CRASHED)
                r = fail("state after SIGKILL");
        }
    }
    if (r >= 0)
        *ret_ms = bench_median(v, KILL_RUNS);
    return r;
}

static int
qemu_figures(double *ret_other_ms, double *ret_call_ms, double *ret_kill_ms, double *ret_qmp_ms)
{
    const char *qemu = secure_getenv("QEMU_SYSTEM");
    if (!qemu || access(qemu, X_OK) < 0)
        return 1;
    _cleanup_free_ char *root = vp_strdup("/tmp/vp-bench-events-XXXXXX");
    if (!mkdtemp(root))
        return -1;
    _cleanup_free_ char *uri = vp_asprintf("qemu:///embed?root=%s", root);
    _cleanup_free_ char *xml = domain_xml();
    vp_conn *conn = NULL;
    vp_domain *dom = NULL;
    catcher c = {0};
    int r = vp_conn_open(uri, 0, &conn) < 0 ? fail("open") : 0;
    if (r >= 0 && (vp_domain_define_xml(conn, xml, 0, &dom) < 0 || vp_domain_start(dom, 0) < 0))
        r = fail("define and start");
    if (r >= 0 && vp_conn_event_register(conn, 0, catch_event, &c, NULL, NULL) < 0)
        r = fail("register");
    if (r >= 0)
        r = other_process(uri, conn, &c, ret_other_ms, ret_call_ms);
    if (r >= 0)
        r = qmp_events(root, conn, &c, ret_qmp_ms);
    if (r >= 0 && vp_domain_destroy(dom, 0) < 0)
        r = fail("destroy");
    if (r >= 0)
        r = sigkill(root, conn, dom, &c, ret_kill_ms);
    pid_t left = qemu_pid(root);
    if (left > 0)
        kill(left, SIGKILL);
    if (dom) {
        vp_domain_destroy(dom, 0);
        vp_domain_undefine(dom, 0);
    }
    vp_domain_free(dom);
    vp_conn_close(conn);
    int status;
    vp_plugin_command_run((const char *const[]){"/bin/rm", "-rf", root, NULL}, 30000, &status, NULL,
                          NULL);
    return r;
}

static void
row(const char *figure, const char *mine, const char *anchor, const char *target, const char *met)
{
    printf("| %-46s | %-10s | %-30s | %-8s | %-4s |\n", figure, mine, anchor, target, met);
}

int
main(void)
{
    double own = 0, lv = -1, other = 0, call = 0, killed = 0, qmp = 0;
    if (own_changes(&own) < 0)
        return 1;
#ifdef VP_BENCH_HAVE_LIBVIRT
    if (libvirt_own_changes(&lv) < 0)
        lv = -1;
#endif
    int q = qemu_figures(&other, &call, &killed, &qmp);
    if (q < 0)
        return 1;
    char a[32], b[48], c[32], d[32];
    row("event latency, change to callback", "virtplug", "anchor (same run)", "target", "met?");
    printf("|------------------------------------------------|------------|"
           "--------------------------------|----------|------|\n");
    snprintf(a, sizeof(a), "%.3f ms", own);
    if (lv >= 0)
        snprintf(b, sizeof(b), "%.3f ms (libvirt test:///)", lv);
    else
        snprintf(b, sizeof(b), "libvirt not built in");
    row("own change, test driver (suspend/resume)", a, b, "-", "-");
    if (q == 1) {
        printf("(QEMU figures skipped: QEMU_SYSTEM is not an executable)\n");
        return 0;
    }
    snprintf(c, sizeof(c), "%.2f ms", other);
    snprintf(b, sizeof(b), "its call alone: %.2f ms", call);
    row("another process's change, QEMU (inotify)", c, b, "< 50 ms", other < 50 ? "yes" : "NO");
    snprintf(d, sizeof(d), "%.2f ms", killed);
    row("QEMU killed with SIGKILL (pidfd)", d, "-", "< 50 ms", killed < 50 ? "yes" : "NO");
    snprintf(d, sizeof(d), "%.2f ms", qmp);
    row("pause inside QEMU, no driver call (QMP event)", d, "-", "< 50 ms",
        qmp < 50 ? "yes" : "NO");
    printf(
        "(medians: %d own changes, %d pause/resume of another process, %d SIGKILLs and %d "
        "stop/cont sent straight to QEMU's monitor, of a "
        "'-machine none' TCG QEMU; each from the change (call made, kill or command sent) to the "
        "callback run by vp_conn_event_dispatch after poll() on vp_conn_event_fd; another process's "
        "change is timed from the start of its call, so it holds that call's QMP command and "
        "record write)\n",
        OWN_RUNS, OTHER_RUNS, KILL_RUNS, QMP_RUNS);
    return 0;
}
