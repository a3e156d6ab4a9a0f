/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * bench-qemu-util.c: the guest domain of bench-qemu-guest (a private embed
 * root, the domain in it, its QEMU killed and the root removed at the end)
 * and the bare raw-socket client whose round trips are the floor.
 *
 * The bare client is deliberately minimal: blocking writes, poll + read of
 * whole buffers, replies found by key word, no JSON parser. It must never
 * share code with the plugin's clients, which it is the floor for. It
 * kills only the QEMU whose pid its own root recorded.
 */
#include <config.h>

#include <errno.h>
#include <ftw.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <virtplug/sdk/alloc.h>

#include "bench-common.h"
#include "bench-qemu-util.h"
#include "guest/guest.h"

#define BARE_TIMEOUT_MS 30000

/* ---- environment -------------------------------------------------------- */

int
bq_environment(void)
{
    const char *qemu = secure_getenv("QEMU_SYSTEM");
    if (!qemu || !*qemu || access(qemu, X_OK) < 0) {
        printf("qemu guest figures: skipped (no QEMU: QEMU_SYSTEM '%s' is not executable)\n",
               qemu ? qemu : "");
        return -1;
    }
    /* make check sets these for the guest builder; make bench does not. */
    setenv("VP_TOP_SRCDIR", VP_BENCH_TOP_SRCDIR, 0);
    setenv("VP_TOP_BUILDDIR", VP_BENCH_TOP_BUILDDIR, 0);
    return 0;
}

int
bq_fail(const char *what)
{
    const vp_error *e = vp_error_last();
    fprintf(stderr, "bench-qemu-guest: %s: %s\n", what, e ? e->message : "failed");
    return -1;
}

/* ---- the guest domain -------------------------------------------------- */

int
bq_guest_define(bq_guest *b, const char *guest_dir)
{
    char tmpl[] = "/tmp/vp-bench-qemu-XXXXXX";
    if (!mkdtemp(tmpl)) {
        perror("bench-qemu-guest: mkdtemp");
        return -1;
    }
    b->root = vp_strdup(tmpl);
    b->qmp_path = vp_asprintf("%s/run/tiny.qmp", b->root);
    b->agent_path = vp_asprintf("%s/run/tiny.agent", b->root);
    b->top_node = vp_strdup("drive-vda");
    _cleanup_free_ char *from = vp_asprintf("%s/disk.qcow2", guest_dir);
    _cleanup_free_ char *to = vp_asprintf("%s/disk.qcow2", b->root);
    if (bench_copy_file(from, to) < 0)
        return -1;
    _cleanup_free_ char *uri = vp_asprintf("qemu:///embed?root=%s", b->root);
    if (vp_conn_open(uri, 0, &b->conn) < 0)
        return bq_fail("vp_conn_open");
    char xml[4096];
    if (vp_test_guest_xml(xml, sizeof(xml), "qemu", "tiny", guest_dir, b->root, "") < 0)
        return -1;
    if (vp_domain_define_xml(b->conn, xml, 0, &b->dom) < 0)
        return bq_fail("vp_domain_define_xml");
    return 0;
}

void
bq_set_top(bq_guest *b, const char *node)
{
    free(b->top_node);
    b->top_node = vp_strdup(node);
}

/* The pid this root recorded, when that process is still a QEMU of this
 * root (its command line names the root): never another helper's QEMU that
 * inherited a recycled pid. */
static int
recorded_qemu_pid(const char *root)
{
    _cleanup_free_ char *path = vp_asprintf("%s/run/tiny.pid", root);
    FILE *f = fopen(path, "re");
    int pid = 0;
    if (!f)
        return 0;
    if (fscanf(f, "%d", &pid) != 1 || pid <= 1)
        pid = 0;
    fclose(f);
    _cleanup_free_ char *cmdline = vp_asprintf("/proc/%d/cmdline", pid);
    static char cmd[65536];
    FILE *c = pid ? fopen(cmdline, "re") : NULL;
    size_t n = c ? fread(cmd, 1, sizeof(cmd), c) : 0;
    if (c)
        fclose(c);
    bool ours =
        memmem(cmd, n, "qemu-system", strlen("qemu-system")) && memmem(cmd, n, root, strlen(root));
    return ours ? pid : 0;
}

/* Interrupted (make bench stopped, a timeout(1) around it): kill the
 * running QEMU first, then die of the signal. */
static volatile sig_atomic_t running_pid;

static void
on_signal(int sig)
{
    if (running_pid > 0)
        kill(running_pid, SIGKILL);
    signal(sig, SIG_DFL);
    raise(sig);
}

void
bq_guest_started(bq_guest *b)
{
    running_pid = recorded_qemu_pid(b->root);
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
        signal(sigs[i], on_signal);
}

static int
rm_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    return remove(path);
}

void
bq_guest_destroy(bq_guest *b)
{
    if (b->dom) {
        int s = -1, why = -1;
        if (vp_domain_get_state(b->dom, &s, &why, 0) == 0 && s != VP_DOMAIN_SHUTOFF)
            vp_domain_destroy(b->dom, 0);
        vp_domain_free(b->dom);
    }
    vp_conn_close(b->conn);
    if (b->root) {
        int pid = recorded_qemu_pid(b->root);
        if (pid > 0)
            kill(pid, SIGKILL);
        running_pid = 0;
        nftw(b->root, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    }
    free(b->root);
    free(b->qmp_path);
    free(b->agent_path);
    free(b->top_node);
    *b = (bq_guest){0};
}

/* ---- the bare client --------------------------------------------------- */

static int
bare_connect(bare_conn *c, const char *path)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
    c->len = 0;
    /* The driver's agent channel is a FIFO pair (qemu-agent.c): the floor
     * uses what the driver uses. */
    char in[4096], out[4096];
    snprintf(in, sizeof(in), "%s.in", path);
    snprintf(out, sizeof(out), "%s.out", path);
    struct stat st;
    if (lstat(in, &st) == 0 && S_ISFIFO(st.st_mode)) {
        c->fd = open(out, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
        c->wfd = c->fd < 0 ? -1 : open(in, O_WRONLY | O_CLOEXEC);
        if (c->wfd < 0) {
            fprintf(stderr, "bench-qemu-guest: cannot open '%s': %s\n", in, strerror(errno));
            return -1;
        }
        return 0;
    }
    c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    c->wfd = c->fd;
    if (c->fd < 0 || connect(c->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        fprintf(stderr, "bench-qemu-guest: cannot connect to '%s': %s\n", path, strerror(errno));
        return -1;
    }
    return 0;
}

/* The next line (without its newline) into @line. */
static int
bare_line(bare_conn *c, char *line, size_t size)
{
    for (;;) {
        char *nl = memchr(c->buf, '\n', c->len);
        if (nl) {
            size_t n = (size_t)(nl - c->buf);
            snprintf(line, size, "%.*s", (int)n, c->buf);
            c->len -= n + 1;
            memmove(c->buf, nl + 1, c->len);
            return 0;
        }
        struct pollfd p = {.fd = c->fd, .events = POLLIN};
        if (c->len == sizeof(c->buf) || poll(&p, 1, BARE_TIMEOUT_MS) <= 0)
            return -1;
        ssize_t r = read(c->fd, c->buf + c->len, sizeof(c->buf) - c->len);
        if (r <= 0)
            return -1;
        c->len += (size_t)r;
    }
}

static int
bare_write(bare_conn *c, const char *s)
{
    size_t n = strlen(s);
    return write(c->wfd, s, n) == (ssize_t)n ? 0 : -1;
}

int
bare_call(bare_conn *c, const char *request, const char *what)
{
    char line[8192];
    if (bare_write(c, request) < 0)
        goto fail;
    for (;;) {
        if (bare_line(c, line, sizeof(line)) < 0)
            goto fail;
        if (strstr(line, "\"error\""))
            break;
        if (strstr(line, "\"return\""))
            return 0;
        /* QMP events (and nothing else) come unasked: skip them. */
    }
    fprintf(stderr, "bench-qemu-guest: bare %s: %.300s\n", what, line);
    return -1;
fail:
    fprintf(stderr, "bench-qemu-guest: bare %s: no reply\n", what);
    return -1;
}

int
bare_agent_open(bare_conn *c, const char *path, int id)
{
    if (bare_connect(c, path) < 0)
        return -1;
    char req[128], want[32], line[8192];
    snprintf(req, sizeof(req), "{\"execute\":\"guest-sync\",\"arguments\":{\"id\":%d}}\n", id);
    snprintf(want, sizeof(want), "%d}", id);
    if (bare_write(c, req) < 0)
        return -1;
    /* Earlier clients' late replies may come first. */
    do {
        if (bare_line(c, line, sizeof(line)) < 0) {
            fprintf(stderr, "bench-qemu-guest: bare guest-sync: no reply\n");
            return -1;
        }
    } while (!strstr(line, "\"return\"") || !strstr(line, want));
    return 0;
}

int
bare_qmp_open(bare_conn *c, const char *path)
{
    char line[8192];
    if (bare_connect(c, path) < 0 || bare_line(c, line, sizeof(line)) < 0) {
        fprintf(stderr, "bench-qemu-guest: bare QMP: no greeting\n");
        return -1;
    }
    return bare_call(c, "{\"execute\":\"qmp_capabilities\"}\n", "qmp_capabilities");
}

void
bare_close(bare_conn *c)
{
    if (c->wfd >= 0 && c->wfd != c->fd)
        close(c->wfd);
    if (c->fd >= 0)
        close(c->fd);
    c->fd = c->wfd = -1;
}
