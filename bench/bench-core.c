/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * bench/bench-core.c: the core's speed figures (issue 3, "Speed").
 *
 * Measures, on the embedded test:///default driver through the public
 * API of the shared libvirtplug: opening a connection, num_of_domains and
 * get_state per call, and `vpsh -c test:///default list --all` as a whole
 * process (fork/exec + wait4: median wall time and peak RSS). Runs
 * bench-libvirt (built when configure found libvirt) in the same run for
 * the anchors, and prints one table. Prints figures, never fails on them.
 */
#include <config.h>

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <virtplug/virtplug.h>

#include "bench-common.h"

#define OPEN_RUNS 2000
#define BATCHES 5
#define PROCESS_RUNS 30

typedef struct figures {
    double open_ms, num_ns, state_ns, cli_ms, cli_rss_kib;
    double floor_ms, floor_rss_kib; /* /bin/true through the same harness */
    char cli_note[256];
    bool have_cli;
} figures;

static void
die(const char *what)
{
    const vp_error *e = vp_error_last();
    fprintf(stderr, "bench-core: %s: %s\n", what, e ? e->message : "failed");
    exit(1);
}

static double
bench_open_ms(void)
{
    static double ms[OPEN_RUNS];
    for (int i = 0; i < OPEN_RUNS; i++) {
        vp_conn *c = NULL;
        int64_t t0 = bench_now_ns();
        int r = vp_conn_open("test:///default", 0, &c);
        int64_t t1 = bench_now_ns();
        if (r < 0)
            die("open test:///default");
        vp_conn_close(c);
        ms[i] = (double)(t1 - t0) / 1e6;
    }
    return bench_median(ms, OPEN_RUNS);
}

static double
bench_num_ns(vp_conn *c, int calls)
{
    double ns[BATCHES];
    for (int b = 0; b < BATCHES; b++) {
        int64_t t0 = bench_now_ns();
        for (int i = 0; i < calls; i++)
            bench_sink(vp_conn_num_of_domains(c));
        ns[b] = (double)(bench_now_ns() - t0) / calls;
    }
    return bench_median(ns, BATCHES);
}

static double
bench_state_ns(vp_domain *dom, int calls)
{
    double ns[BATCHES];
    for (int b = 0; b < BATCHES; b++) {
        int64_t t0 = bench_now_ns();
        for (int i = 0; i < calls; i++) {
            int state, reason;
            bench_sink(vp_domain_get_state(dom, &state, &reason, 0) + state);
        }
        ns[b] = (double)(bench_now_ns() - t0) / calls;
    }
    return bench_median(ns, BATCHES);
}

/* vpsh of this build tree: the real binary, not libtool's wrapper script
 * (a shell would dominate the figure), with the build's libvirtplug. */
static void
bench_vpsh(const char *top, figures *f)
{
    char path[4096], env[4200];
    if (bench_vpsh_binary(top, path, sizeof(path)) < 0) {
        snprintf(f->cli_note, sizeof(f->cli_note), "skipped: %.200s/tools/vpsh/vpsh is not built",
                 top);
        return;
    }
    snprintf(env, sizeof(env), "LD_LIBRARY_PATH=%s/framework/.libs", top);
    const char *const floor_argv[] = {"/bin/true", NULL};
    char floor_note[256];
    if (bench_process(floor_argv, NULL, PROCESS_RUNS, &f->floor_ms, &f->floor_rss_kib, floor_note,
                      sizeof(floor_note)) < 0)
        f->floor_ms = f->floor_rss_kib = 0;
    const char *const argv[] = {path, "-c", "test:///default", "list", "--all", NULL};
    if (bench_process(argv, env, PROCESS_RUNS, &f->cli_ms, &f->cli_rss_kib, f->cli_note,
                      sizeof(f->cli_note)) == 0)
        f->have_cli = true;
}

static void
parse_anchor_line(const char *line, figures *a)
{
    double v;
    if (sscanf(line, "open_ms %lf", &v) == 1)
        a->open_ms = v;
    else if (sscanf(line, "num_ns %lf", &v) == 1)
        a->num_ns = v;
    else if (sscanf(line, "state_ns %lf", &v) == 1)
        a->state_ns = v;
    else if (sscanf(line, "virsh_ms %lf", &v) == 1) {
        a->cli_ms = v;
        a->have_cli = true;
    } else if (sscanf(line, "virsh_rss_kib %lf", &v) == 1)
        a->cli_rss_kib = v;
    else if (strncmp(line, "virsh_note ", 11) == 0)
        snprintf(a->cli_note, sizeof(a->cli_note), "%.*s", (int)strcspn(line + 11, "\n"),
                 line + 11);
}

/* Run bench-libvirt next to this program and read its "key value" lines.
 * Returns false (with a note) when there is no anchor. */
static bool
run_anchors(const char *dir, figures *a, char *note, size_t note_size)
{
#ifndef VP_BENCH_HAVE_LIBVIRT
    (void)dir, (void)a;
    snprintf(note, note_size, "configure did not find libvirt (install libvirt-dev)");
    return false;
#else
    char path[4096], cmd[4200], line[512];
    snprintf(path, sizeof(path), "%s/bench-libvirt", dir);
    snprintf(cmd, sizeof(cmd), "%d", PROCESS_RUNS);
    int fds[2];
    if (pipe(fds) < 0)
        return false;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        close(fds[0]);
        close(fds[1]);
        execl(path, path, cmd, (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    FILE *in = fdopen(fds[0], "r");
    while (in && fgets(line, sizeof(line), in))
        parse_anchor_line(line, a);
    if (in)
        fclose(in);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (pid < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        snprintf(note, note_size, "'%.200s' failed", path);
        return false;
    }
    return true;
#endif
}

static void
row(const char *figure, const char *mine, const char *anchor, const char *target, int ok)
{
    printf("| %-44s | %-14s | %-18s | %-10s | %-4s |\n", figure, mine, anchor, target,
           ok < 0 ? "n/a"
           : ok   ? "yes"
                  : "NO");
}

static void
print_table(const figures *m, const figures *a, bool have_anchor, const char *note)
{
    char mine[64], anc[64];
#define ANCHOR(fmt, v) (have_anchor ? (snprintf(anc, sizeof(anc), fmt, (v)), anc) : "n/a")
    printf("| %-44s | %-14s | %-18s | %-10s | %-4s |\n", "figure", "virtplug", "libvirt (same run)",
           "target", "met?");
    printf("|%s|%s|%s|%s|%s|\n", "----------------------------------------------",
           "----------------", "--------------------", "------------", "------");
    snprintf(mine, sizeof(mine), "%.4f ms", m->open_ms); /* 0.0001 ms = 100 ns */
    row("open a test:///default connection", mine, ANCHOR("%.3f ms", a->open_ms), "<= 0.2 ms",
        m->open_ms <= 0.2);
    snprintf(mine, sizeof(mine), "%.1f ns", m->num_ns);
    row("vp_conn_num_of_domains per call", mine, ANCHOR("%.1f ns", a->num_ns), "<= 15 ns",
        m->num_ns <= 15);
    snprintf(mine, sizeof(mine), "%.1f ns", m->state_ns);
    row("vp_domain_get_state per call", mine, ANCHOR("%.1f ns", a->state_ns), "<= 60 ns",
        m->state_ns <= 60);
    bool cli_anchor = have_anchor && a->have_cli;
    const char *skipped = "skipped";
    snprintf(mine, sizeof(mine), "%.2f ms", m->cli_ms);
    row("vpsh -c test:///default list --all, time", m->have_cli ? mine : skipped,
        cli_anchor ? (snprintf(anc, sizeof(anc), "%.2f ms (virsh)", a->cli_ms), anc) : "n/a",
        "<= 4 ms", m->have_cli ? m->cli_ms <= 4 : -1);
    snprintf(mine, sizeof(mine), "%.2f MiB", m->cli_rss_kib / 1024);
    row("vpsh -c test:///default list --all, peak RSS", m->have_cli ? mine : skipped,
        cli_anchor ? (snprintf(anc, sizeof(anc), "%.2f MiB (virsh)", a->cli_rss_kib / 1024), anc)
                   : "n/a",
        "<= 4 MiB", m->have_cli ? m->cli_rss_kib <= 4096 : -1);
#undef ANCHOR
    if (!m->have_cli)
        printf("vpsh row: %s\n", m->cli_note);
    else
        printf("process floor (same harness, /bin/true): %.2f ms, %.2f MiB\n", m->floor_ms,
               m->floor_rss_kib / 1024);
    if (!have_anchor)
        printf("libvirt column: %s\n", note);
    else if (!a->have_cli)
        printf("virsh: %s\n", a->cli_note[0] ? a->cli_note : "not measured");
    printf("(medians: %d opens, %d batches per call figure, %d process runs)\n", OPEN_RUNS, BATCHES,
           PROCESS_RUNS);
}

int
main(int argc, char **argv)
{
    (void)argc;
    char *self = strdup(argv[0]);
    if (!self)
        abort();
    const char *dir = dirname(self);
    char top[1024];
    snprintf(top, sizeof(top), "%s/..", dir);

    figures m = {0}, a = {0};
    m.open_ms = bench_open_ms();
    vp_conn *c = NULL;
    vp_domain *dom = NULL;
    if (vp_conn_open("test:///default", 0, &c) < 0 || vp_domain_lookup_by_name(c, "test", &dom) < 0)
        die("test:///default");
    m.num_ns = bench_num_ns(c, 20000000);
    m.state_ns = bench_state_ns(dom, 5000000);
    vp_domain_free(dom);
    vp_conn_close(c);
    bench_vpsh(top, &m);

    char note[256] = "";
    fflush(stdout);
    bool have_anchor = run_anchors(dir, &a, note, sizeof(note));
    print_table(&m, &a, have_anchor, note);
    free(self);
    return 0;
}
