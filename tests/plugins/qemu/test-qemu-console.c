/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-qemu-console.c: console sessions (plugins/qemu/qemu-console.c and
 * vpsh console) on the tiny Linux guest, and VNC displays (domdisplay) on
 * firmware-only domains, against real QEMU under TCG.
 *
 * vpsh console runs on a pty this test allocates, as under a terminal:
 * the guest's boot messages come through it, ^] detaches, a second
 * session is refused, --force takes the console over and the older
 * session says so, a killed session's socket is replaced, and the stream
 * ends when the domain stops. Displays: two autoport domains started at
 * the same time get two ports, each answering the RFB greeting; a port in
 * use is a start error; a display on a unix socket greets there.
 */
#include <config.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <virtplug/sdk/alloc.h>
#include <virtplug/virtplug.h>

#include "guest/guest.h"
#include "qemu-test-util.h"

extern char **environ;

#define BOOT_WAIT_S 180

static char *guest_dir;

typedef struct fixture {
    char *root;
    char *uri;
    vp_conn *conn;
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

static int
teardown(void **state)
{
    fixture *f = *state;
    vp_conn_close(f->conn);
    qt_root_destroy(f->root);
    free(f->uri);
    free(f);
    return 0;
}

static char *
vpsh_path(void)
{
    return qt_vpsh_path();
}

/* ---- vpsh on a pty ------------------------------------------------------ */

typedef struct term {
    int master;
    pid_t pid;
    char *out; /* everything read so far */
    size_t len;
} term;

/* vpsh @args... with a pty as its stdin, stdout and stderr. */
static void
term_spawn(term *t, const char *const *args)
{
    t->master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    assert_true(t->master >= 0);
    assert_int_equal(grantpt(t->master), 0);
    assert_int_equal(unlockpt(t->master), 0);
    const char *slave = ptsname(t->master);
    assert_non_null(slave);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, slave, O_RDWR, 0);
    posix_spawn_file_actions_adddup2(&fa, 0, 1);
    posix_spawn_file_actions_adddup2(&fa, 0, 2);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID);
    assert_int_equal(posix_spawn(&t->pid, args[0], &fa, &attr, (char *const *)args, environ), 0);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    t->out = vp_new0(char, 1);
    t->len = 0;
}

/* Read until @want appears (true) or @timeout_s passed or the pty closed. */
static bool
term_expect(term *t, const char *want, int timeout_s)
{
    time_t deadline = time(NULL) + timeout_s;
    while (!strstr(t->out, want)) {
        struct pollfd p = {.fd = t->master, .events = POLLIN};
        if (time(NULL) >= deadline || poll(&p, 1, 1000) < 0)
            return false;
        if (!p.revents)
            continue;
        char buf[4096];
        ssize_t n = read(t->master, buf, sizeof(buf));
        if (n <= 0)
            return false; /* EIO: vpsh exited */
        t->out = vp_renew(char, t->out, t->len + (size_t)n + 1);
        memcpy(t->out + t->len, buf, (size_t)n);
        t->len += (size_t)n;
        t->out[t->len] = '\0';
        /* The guest's NUL bytes would end the string early. */
        for (size_t i = 0; i < t->len; i++)
            t->out[i] = t->out[i] ? t->out[i] : ' ';
    }
    return true;
}

/* Wait for vpsh to exit: its status. */
static int
term_wait(term *t)
{
    term_expect(t, "\x01never\x01", 10); /* drain until it closes the pty */
    int st = -1;
    pid_t w = 0;
    for (int i = 0; i < 1000 && (w = waitpid(t->pid, &st, WNOHANG)) == 0; i++)
        usleep(10000);
    if (w == 0) {
        kill(t->pid, SIGKILL);
        waitpid(t->pid, &st, 0);
        fail_msg("vpsh console did not exit; it printed: %s", t->out);
    }
    assert_int_equal(w, t->pid);
    close(t->master);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void
term_free(term *t)
{
    free(t->out);
}

/* ---- the guest ------------------------------------------------------------ */

static vp_domain *
start_tiny(fixture *f)
{
    _cleanup_free_ char *xml =
        vp_asprintf("<domain type='qemu'>\n"
                    "  <name>tiny</name>\n"
                    "  <memory unit='MiB'>256</memory>\n"
                    "  <os>\n"
                    "    <type arch='x86_64' machine='pc'>hvm</type>\n"
                    "    <kernel>%s/vmlinuz</kernel>\n"
                    "    <initrd>%s/initramfs.gz</initrd>\n"
                    "    <cmdline>console=ttyS0 panic=-1</cmdline>\n"
                    "  </os>\n"
                    "  <devices>\n"
                    "    <serial type='pty'><target port='0'/></serial>\n"
                    "    <console type='pty'><target type='serial' port='0'/></console>\n"
                    "  </devices>\n"
                    "</domain>\n",
                    guest_dir, guest_dir);
    vp_domain *dom = NULL;
    if (vp_domain_define_xml(f->conn, xml, 0, &dom) < 0)
        fail_msg("define: %s", vp_error_last()->message);
    if (vp_domain_start(dom, 0) < 0)
        fail_msg("start: %s", vp_error_last()->message);
    return dom;
}

/* A session that ended leaves the console free: a new one (closed at
 * once) opens without force. */
static void
assert_console_free(vp_domain *dom)
{
    int fd = -1, r = VP_ERR_OPERATION_IN_PROGRESS;
    for (int i = 0; i < 500 && r == VP_ERR_OPERATION_IN_PROGRESS; i++) {
        r = vp_domain_open_console(dom, NULL, 0, &fd);
        if (r == VP_ERR_OPERATION_IN_PROGRESS)
            usleep(10000);
    }
    if (r < 0)
        fail_msg("console not free: %s", vp_error_last()->message);
    close(fd);
}

/* No file of a session is left in the runtime directory. */
static void
assert_no_session_files(const fixture *f)
{
    assert_false(qt_run_file_exists(f->root, "tiny", ".console-serial0"));
}

/* The boot messages through vpsh console; a second session refused;
 * --force (through the API) detaches the first, which says so. */
static void
test_console_boot_and_force(void **state)
{
    fixture *f = *state;
    vp_domain *dom = start_tiny(f);
    _cleanup_free_ char *vpsh = vpsh_path();
    term t = {0};
    term_spawn(&t, (const char *const[]){vpsh, "-c", f->uri, "console", "tiny", NULL});
    assert_true(term_expect(&t, "Escape character is ^] (Ctrl + ])", 30));
    assert_non_null(strstr(t.out, "Connected to domain 'tiny'"));
    if (!term_expect(&t, "GUEST: ready", BOOT_WAIT_S))
        fail_msg("no 'GUEST: ready' on the console; it read: %s", t.out);
    /* The kernel's and /init's own lines came through, in order. */
    char *mods = strstr(t.out, "GUEST: starting qemu-ga");
    assert_non_null(mods);
    assert_true(mods < strstr(t.out, "GUEST: ready"));

    int fd = -1, fd2 = -1;
    QT_ASSERT_ERROR(vp_domain_open_console(dom, NULL, 0, &fd), VP_ERR_OPERATION_IN_PROGRESS,
                    "'serial0'", "'tiny'", "in use", "force");
    QT_ASSERT_ERROR(vp_domain_open_console(dom, "serial9", 0, &fd), VP_ERR_INVALID_ARG, "'serial9'",
                    "'tiny'");
    QT_ASSERT_ERROR(vp_domain_open_console(dom, "a/b", 0, &fd), VP_ERR_INVALID_ARG, "'a/b'");

    assert_int_equal(vp_domain_open_console(dom, NULL, VP_DOMAIN_CONSOLE_FORCE, &fd), 0);
    assert_int_equal(term_wait(&t), 1);
    assert_non_null(strstr(t.out, "another session took the console over"));
    term_free(&t);
    QT_ASSERT_ERROR(vp_domain_open_console(dom, NULL, 0, &fd2), VP_ERR_OPERATION_IN_PROGRESS,
                    "in use");
    close(fd);
    assert_console_free(dom);

    /* ^] detaches with status 0. */
    term t2 = {0};
    term_spawn(&t2, (const char *const[]){vpsh, "-c", f->uri, "console", "tiny", NULL});
    assert_true(term_expect(&t2, "Escape character is", 30));
    assert_int_equal(write(t2.master, "\x1d", 1), 1);
    assert_int_equal(term_wait(&t2), 0);
    term_free(&t2);
    assert_console_free(dom);

    /* A killed session takes its name with it. */
    term t3 = {0};
    term_spawn(&t3, (const char *const[]){vpsh, "-c", f->uri, "console", "tiny", NULL});
    assert_true(term_expect(&t3, "Escape character is", 30));
    kill(t3.pid, SIGKILL);
    assert_int_equal(term_wait(&t3), 128 + SIGKILL);
    term_free(&t3);
    assert_int_equal(vp_domain_open_console(dom, "serial0", 0, &fd), 0);

    /* The stream ends with the domain. */
    assert_int_equal(vp_domain_destroy(dom, 0), 0);
    char buf[256];
    struct pollfd p = {.fd = fd, .events = POLLIN};
    ssize_t n = 1;
    while (n > 0 && poll(&p, 1, 10000) > 0)
        n = read(fd, buf, sizeof(buf));
    assert_int_equal(n, 0);
    close(fd);
    assert_no_session_files(f);
    QT_ASSERT_ERROR(vp_domain_open_console(dom, NULL, 0, &fd), VP_ERR_OPERATION_INVALID,
                    "not running");
    assert_int_equal(vp_domain_undefine(dom, 0), 0);
    vp_domain_free(dom);
}

/* ---- VNC displays ------------------------------------------------------- */

static vp_domain *
define_vnc(fixture *f, const char *name, const char *graphics)
{
    _cleanup_free_ char *xml =
        vp_asprintf("<domain type='qemu'>\n"
                    "  <name>%s</name>\n"
                    "  <memory unit='MiB'>64</memory>\n"
                    "  <os><type arch='x86_64' machine='pc'>hvm</type></os>\n"
                    "  <devices>%s<video><model type='vga'/></video>"
                    "</devices>\n"
                    "</domain>\n",
                    name, graphics);
    vp_domain *dom = NULL;
    if (vp_domain_define_xml(f->conn, xml, 0, &dom) < 0)
        fail_msg("define: %s", vp_error_last()->message);
    return dom;
}

static void *
start_thread(void *arg)
{
    return (void *)(intptr_t)vp_domain_start(arg, 0);
}

/* The 12 bytes a VNC server greets with on TCP @port of 127.0.0.1. */
static void
assert_rfb_greeting(long port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET,
                             .sin_port = htons((uint16_t)port),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    char buf[13] = "";
    size_t got = 0;
    struct pollfd p = {.fd = fd, .events = POLLIN};
    while (got < 12 && poll(&p, 1, 10000) > 0) {
        ssize_t n = read(fd, buf + got, 12 - got);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    close(fd);
    assert_int_equal(got, 12);
    assert_int_equal(strncmp(buf, "RFB 003.", 8), 0);
}

/* The 12 bytes of the RFB greeting on unix socket @path. */
static void
assert_rfb_greeting_unix(const char *path)
{
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    assert_true(strlen(path) < sizeof(sa.sun_path));
    memcpy(sa.sun_path, path, strlen(path) + 1);
    assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    char buf[13] = "";
    struct pollfd p = {.fd = fd, .events = POLLIN};
    assert_true(poll(&p, 1, 10000) > 0);
    assert_true(read(fd, buf, 12) >= 8);
    close(fd);
    assert_int_equal(strncmp(buf, "RFB 003.", 8), 0);
}

/* VNC on a unix socket: the driver's own path, removed at the stop; a
 * path of the XML that exists is refused, never removed. */
static void
test_display_unix(void **state)
{
    fixture *f = *state;
    vp_domain *u = define_vnc(f, "vu", "<graphics type='vnc'><listen type='socket'/></graphics>");
    assert_int_equal(vp_domain_start(u, 0), 0);
    _cleanup_free_ char *uri = NULL;
    assert_int_equal(vp_domain_get_display_uri(u, 0, &uri), 0);
    _cleanup_free_ char *path = vp_asprintf("%s/run/vu.vnc", f->root);
    _cleanup_free_ char *want = vp_asprintf("vnc+unix://%s", path);
    assert_string_equal(uri, want);
    assert_rfb_greeting_unix(path);
    assert_int_equal(vp_domain_destroy(u, 0), 0);
    assert_int_equal(access(path, F_OK), -1);

    _cleanup_free_ char *mine = vp_asprintf("%s/mine.vnc", f->root);
    FILE *file = fopen(mine, "w");
    assert_non_null(file);
    fclose(file);
    _cleanup_free_ char *g =
        vp_asprintf("<graphics type='vnc'><listen type='socket' socket='%s'/></graphics>", mine);
    vp_domain *m = define_vnc(f, "vm", g);
    QT_ASSERT_ERROR(vp_domain_start(m, 0), VP_ERR_INVALID_ARG, mine, "'vm'", "exists");
    assert_int_equal(access(mine, F_OK), 0);
    unlink(mine);
    assert_int_equal(vp_domain_start(m, 0), 0);
    _cleanup_free_ char *uri2 = NULL;
    assert_int_equal(vp_domain_get_display_uri(m, 0, &uri2), 0);
    assert_non_null(strstr(uri2, mine));
    assert_rfb_greeting_unix(mine);
    assert_int_equal(vp_domain_destroy(m, 0), 0);
    vp_domain_free(u);
    vp_domain_free(m);
}

/* "vnc://127.0.0.1:N": the TCP port 5900 + N. */
static long
display_port(vp_domain *dom)
{
    _cleanup_free_ char *uri = NULL;
    if (vp_domain_get_display_uri(dom, 0, &uri) < 0)
        fail_msg("display: %s", vp_error_last()->message);
    const char *prefix = "vnc://127.0.0.1:";
    assert_int_equal(strncmp(uri, prefix, strlen(prefix)), 0);
    return 5900 + strtol(uri + strlen(prefix), NULL, 10);
}

static void
test_display_autoport(void **state)
{
    fixture *f = *state;
    const char *vnc = "<graphics type='vnc' autoport='yes'><listen type='address'/></graphics>";
    vp_domain *a = define_vnc(f, "va", vnc), *b = define_vnc(f, "vb", vnc);
    _cleanup_free_ char *none = NULL;
    QT_ASSERT_ERROR(vp_domain_get_display_uri(a, 0, &none), VP_ERR_OPERATION_INVALID,
                    "not running");
    pthread_t ta, tb;
    void *ra, *rb;
    pthread_create(&ta, NULL, start_thread, a);
    pthread_create(&tb, NULL, start_thread, b);
    pthread_join(ta, &ra);
    pthread_join(tb, &rb);
    assert_int_equal((intptr_t)ra, 0);
    assert_int_equal((intptr_t)rb, 0);
    long pa = display_port(a), pb = display_port(b);
    assert_true(pa != pb);
    assert_rfb_greeting(pa);
    assert_rfb_greeting(pb);

    /* vpsh domdisplay from another process, text and JSON. */
    _cleanup_free_ char *vpsh = vpsh_path(), *out = NULL, *json = NULL;
    assert_int_equal(
        qt_run_capture((const char *const[]){vpsh, "-c", f->uri, "domdisplay", "va", NULL}, &out),
        0);
    _cleanup_free_ char *want =
        vp_asprintf("vnc://127.0.0.1:%ld\n\n", pa - 5900); /* virsh's blank line */
    assert_string_equal(out, want);
    assert_int_equal(
        qt_run_capture(
            (const char *const[]){vpsh, "-c", f->uri, "--json", "domdisplay", "vb", NULL}, &json),
        0);
    _cleanup_free_ char *want_json = vp_asprintf("\"vnc://127.0.0.1:%ld\"", pb - 5900);
    assert_non_null(strstr(json, want_json));
    /* --include-password: none to include on a display without one. */
    _cleanup_free_ char *nopw = NULL;
    assert_int_equal(qt_run_capture((const char *const[]){vpsh, "-c", f->uri, "domdisplay", "va",
                                                          "--include-password", NULL},
                                    &nopw),
                     0);
    assert_string_equal(nopw, want);

    /* A fixed port another server holds: the start fails, naming it. */
    vp_domain_destroy(b, 0);
    _cleanup_free_ char *fixed = vp_asprintf("<graphics type='vnc' port='%ld' autoport='no'/>", pa);
    vp_domain *c = define_vnc(f, "vc", fixed);
    QT_ASSERT_ERROR(vp_domain_start(c, 0), VP_ERR_SYSTEM, "QEMU failed to start", "'vc'");

    /* A display with a password: domdisplay hides it, --include-password
     * puts it in as virsh does. */
    vp_domain *e = define_vnc(
        f, "ve",
        "<graphics type='vnc' autoport='yes' passwd='pw12345'><listen type='address'/></graphics>");
    assert_int_equal(vp_domain_start(e, 0), 0);
    long pe = display_port(e);
    _cleanup_free_ char *hidden = NULL, *shown = NULL;
    assert_int_equal(
        qt_run_capture((const char *const[]){vpsh, "-c", f->uri, "domdisplay", "ve", NULL},
                       &hidden),
        0);
    _cleanup_free_ char *want_hidden = vp_asprintf("vnc://127.0.0.1:%ld\n\n", pe - 5900);
    assert_string_equal(hidden, want_hidden);
    assert_int_equal(qt_run_capture((const char *const[]){vpsh, "-c", f->uri, "domdisplay", "ve",
                                                          "--include-password", NULL},
                                    &shown),
                     0);
    _cleanup_free_ char *want_shown = vp_asprintf("vnc://:pw12345@127.0.0.1:%ld\n\n", pe - 5900);
    assert_string_equal(shown, want_shown);
    vp_domain_destroy(e, 0);
    vp_domain_free(e);

    /* No graphics: nothing to show. */
    vp_domain *d = define_vnc(f, "vd", "");
    assert_int_equal(vp_domain_start(d, 0), 0);
    QT_ASSERT_ERROR(vp_domain_get_display_uri(d, 0, &none), VP_ERR_NOT_SUPPORTED,
                    "no graphical display");
    vp_domain_destroy(d, 0);
    vp_domain_destroy(a, 0);
    vp_domain_free(a);
    vp_domain_free(b);
    vp_domain_free(c);
    vp_domain_free(d);
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
    const struct CMUnitTest display[] = {
        cmocka_unit_test_setup_teardown(test_display_autoport, setup, teardown),
        cmocka_unit_test_setup_teardown(test_display_unix, setup, teardown),
    };
    int r = cmocka_run_group_tests_name("display", display, NULL, NULL);
    int g = vp_test_guest_prepare(&guest_dir);
    if (g != 0)
        return g == 77 && r == 0 ? 77 : 99;
    const struct CMUnitTest console[] = {
        cmocka_unit_test_setup_teardown(test_console_boot_and_force, setup, teardown),
    };
    r |= cmocka_run_group_tests_name("console", console, NULL, NULL);
    free(guest_dir);
    return r;
}
