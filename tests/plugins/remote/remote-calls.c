/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * remote-calls.c: the slots of remote protocol 5 through a real sshd, run
 * by test-remote-calls.sh:
 *
 *   remote-calls stats URI LOCAL-URI   the statistics over ssh equal the
 *       far side's (LOCAL-URI is the same kind of host opened here), far
 *       errors keep their code and gain "on host '127.0.0.1'";
 *   remote-calls cancel URI DOMAIN     a call that waits on the guest of
 *       DOMAIN in one thread is cancelled by vp_conn_cancel_jobs() from
 *       another thread of the same connection;
 *   remote-calls console URI DOMAIN TEXT  the console of DOMAIN over ssh
 *       brings TEXT (what its guest prints after a reset), and ends with
 *       the domain.
 *
 *   remote-calls idle URI              a connection idle for longer than
 *       its timeout (timeout=4) answers its next call.
 *
 * Exits 0, or says what differed and exits 1.
 */
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <virtplug/virtplug.h>

static int failures;

#define CHECK(cond, ...)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "line %d: ", __LINE__);                                                \
            fprintf(stderr, __VA_ARGS__);                                                          \
            fprintf(stderr, "\n");                                                                 \
            failures++;                                                                            \
        }                                                                                          \
    } while (0)

static const char *
last_message(void)
{
    const vp_error *e = vp_error_last();
    return e && e->message ? e->message : "(none)";
}

/* @what of @remote and @local hold the same keys, types and values, but
 * with @cpu_times for the CPU times (each process's own, and what is
 * derived from them), whose keys and types only must agree. */
static void
same_params(const char *what, const vp_typed_params *remote, const vp_typed_params *local,
            bool cpu_times)
{
    int n = vp_typed_params_count(local);
    CHECK(vp_typed_params_count(remote) == n, "%s: %d values over ssh, %d on the far side", what,
          vp_typed_params_count(remote), n);
    for (int i = 0; i < n && i < vp_typed_params_count(remote); i++) {
        const char *k = vp_typed_params_field(local, i);
        CHECK(strcmp(vp_typed_params_field(remote, i), k) == 0, "%s: key %d is '%s', not '%s'",
              what, i, vp_typed_params_field(remote, i), k);
        CHECK(vp_typed_params_type(remote, i) == vp_typed_params_type(local, i),
              "%s: '%s' has type %d, not %d", what, k, vp_typed_params_type(remote, i),
              vp_typed_params_type(local, i));
        if (cpu_times && (strstr(k, ".time") || strncmp(k, "cpu.", 4) == 0))
            continue;
        char *a = NULL, *b = NULL;
        vp_typed_params_format_value(remote, i, &a);
        vp_typed_params_format_value(local, i, &b);
        CHECK(a && b && strcmp(a, b) == 0, "%s: '%s' is %s over ssh, %s on the far side", what, k,
              a, b);
        free(a);
        free(b);
    }
}

/* @r failed with @code and a message that starts "on host '127.0.0.1': "
 * followed by what the far side said (@far_message). */
static void
far_error(const char *what, int r, int code, const char *far_message)
{
    char want[1024];
    snprintf(want, sizeof(want), "on host '127.0.0.1': %s", far_message);
    CHECK(r == code, "%s: returned %d, not %d (%s)", what, r, code, last_message());
    CHECK(strcmp(last_message(), want) == 0, "%s: '%s', not '%s'", what, last_message(), want);
}

static int
run_stats(const char *uri, const char *local_uri)
{
    vp_conn *rc = NULL, *lc = NULL;
    if (vp_conn_open(uri, 0, &rc) < 0 || vp_conn_open(local_uri, 0, &lc) < 0) {
        fprintf(stderr, "open: %s\n", last_message());
        return 1;
    }
    vp_typed_params *rp = NULL, *lp = NULL;
    for (int cell = -1; cell <= 1; cell++) {
        CHECK(vp_node_get_memory_stats(rc, cell, 0, &rp) == 0, "memory stats: %s", last_message());
        CHECK(vp_node_get_memory_stats(lc, cell, 0, &lp) == 0, "memory stats: %s", last_message());
        same_params("node memory", rp, lp, false);
        vp_typed_params_free(rp);
        vp_typed_params_free(lp);
        rp = lp = NULL;
    }
    for (int cpu = -1; cpu <= 3; cpu += 4) {
        CHECK(vp_node_get_cpu_stats(rc, cpu, 0, &rp) == 0, "cpu stats: %s", last_message());
        CHECK(vp_node_get_cpu_stats(lc, cpu, 0, &lp) == 0, "cpu stats: %s", last_message());
        same_params("node cpu", rp, lp, false);
        vp_typed_params_free(rp);
        vp_typed_params_free(lp);
        rp = lp = NULL;
    }
    char *rs = NULL, *ls = NULL;
    CHECK(vp_conn_get_sysinfo(rc, 0, &rs) == 0, "sysinfo: %s", last_message());
    CHECK(vp_conn_get_sysinfo(lc, 0, &ls) == 0, "sysinfo: %s", last_message());
    CHECK(rs && ls && strcmp(rs, ls) == 0, "sysinfo differs:\n%s\n%s", rs, ls);
    free(rs);
    free(ls);
    rs = ls = NULL;
    CHECK(vp_conn_get_capabilities(rc, 0, &rs) == 0, "capabilities: %s", last_message());
    CHECK(vp_conn_get_capabilities(lc, 0, &ls) == 0, "capabilities: %s", last_message());
    CHECK(rs && ls && strcmp(rs, ls) == 0, "capabilities differ:\n%s\n%s", rs, ls);
    free(rs);
    free(ls);

    /* Far errors: their code, their words, and the host. */
    int r = vp_node_get_memory_stats(lc, 7, 0, &lp);
    char far[512];
    snprintf(far, sizeof(far), "%s", last_message());
    far_error("memory stats of cell 7", vp_node_get_memory_stats(rc, 7, 0, &rp), r, far);
    r = vp_node_get_cpu_stats(lc, 99, 0, &lp);
    snprintf(far, sizeof(far), "%s", last_message());
    far_error("cpu stats of cpu 99", vp_node_get_cpu_stats(rc, 99, 0, &rp), r, far);

    /* One domain, each group, then all; a shut-off one. */
    vp_domain *rd = NULL, *ld = NULL;
    CHECK(vp_domain_lookup_by_name(rc, "test", &rd) == 0, "lookup: %s", last_message());
    CHECK(vp_domain_lookup_by_name(lc, "test", &ld) == 0, "lookup: %s", last_message());
    for (unsigned int g = 0; g < VP_DOMAIN_STATS_LAST; g = g ? g << 1 : 1) {
        CHECK(vp_domain_get_stats(rd, g, VP_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS, &rp) == 0,
              "domain stats 0x%x: %s", g, last_message());
        CHECK(vp_domain_get_stats(ld, g, 0, &lp) == 0, "domain stats: %s", last_message());
        same_params("domain stats", rp, lp, true);
        vp_typed_params_free(rp);
        vp_typed_params_free(lp);
        rp = lp = NULL;
    }
    /* Filesystem freeze and thaw carry their mount points and counts; an
     * unknown mount point and the guest power calls fail as the far side's. */
    const char *mps[] = {"/", "/boot"}, *bad[] = {"/x"};
    CHECK(vp_domain_fs_freeze(rd, mps, 1, 0) == 1, "freeze /: %s", last_message());
    CHECK(vp_domain_fs_freeze(rd, NULL, 0, 0) == 1, "freeze all: %s", last_message());
    CHECK(vp_domain_fs_thaw(rd, mps, 2, 0) == 2, "thaw: %s", last_message());
    r = vp_domain_fs_freeze(ld, bad, 1, 0);
    snprintf(far, sizeof(far), "%s", last_message());
    far_error("freeze of /x", vp_domain_fs_freeze(rd, bad, 1, 0), r, far);
    r = vp_domain_pm_wakeup(ld, 0);
    snprintf(far, sizeof(far), "%s", last_message());
    far_error("pm wakeup", vp_domain_pm_wakeup(rd, 0), r, far);
    /* A live device update reaches the far driver (the test driver has none). */
    const char *vnc = "<graphics type='vnc'/>";
    r = vp_domain_update_device(ld, vnc, VP_DOMAIN_AFFECT_LIVE);
    snprintf(far, sizeof(far), "%s", last_message());
    far_error("update device", vp_domain_update_device(rd, vnc, VP_DOMAIN_AFFECT_LIVE), r, far);
    CHECK(vp_domain_destroy(rd, 0) == 0 && vp_domain_destroy(ld, 0) == 0, "destroy: %s",
          last_message());
    CHECK(vp_domain_get_stats(rd, 0, 0, &rp) == 0, "domain stats: %s", last_message());
    CHECK(vp_domain_get_stats(ld, 0, 0, &lp) == 0, "domain stats: %s", last_message());
    same_params("stats of a shut-off domain", rp, lp, false);
    vp_typed_params_free(rp);
    vp_typed_params_free(lp);
    rp = lp = NULL;
    vp_domain_stats **ra = NULL, **la = NULL;
    int rn = vp_conn_get_all_domain_stats(rc, 0, 0, &ra);
    int ln = vp_conn_get_all_domain_stats(lc, 0, 0, &la);
    CHECK(rn == ln && rn >= 1, "all domain stats: %d records over ssh, %d on the far side (%s)", rn,
          ln, last_message());
    for (int i = 0; i < rn && i < ln; i++) {
        CHECK(strcmp(vp_domain_get_name(vp_domain_stats_get_domain(ra[i])),
                     vp_domain_get_name(vp_domain_stats_get_domain(la[i]))) == 0,
              "all domain stats: record %d is another domain", i);
        same_params("all domain stats", vp_domain_stats_get_params(ra[i]),
                    vp_domain_stats_get_params(la[i]), false);
    }
    vp_domain_stats_list_free(ra);
    vp_domain_stats_list_free(la);
    CHECK(vp_conn_get_all_domain_stats(rc, 0, VP_CONNECT_GET_ALL_DOMAINS_STATS_RUNNING, &ra) == 0,
          "no running domain: %s", last_message());
    vp_domain_stats_list_free(ra);
    CHECK(vp_domain_undefine(ld, 0) == 0, "undefine: %s", last_message());
    r = vp_domain_get_stats(ld, 0, 0, &lp);
    snprintf(far, sizeof(far), "%s", last_message());
    CHECK(vp_domain_undefine(rd, 0) == 0, "undefine: %s", last_message());
    far_error("stats of an undefined domain", vp_domain_get_stats(rd, 0, 0, &rp), r, far);

    /* The test driver waits on no guest: nothing to cancel, over ssh too. */
    CHECK(vp_conn_cancel_jobs(rc, 0) == 0, "cancel: %s", last_message());
    vp_domain_free(rd);
    vp_domain_free(ld);
    vp_conn_close(rc);
    vp_conn_close(lc);
    return failures ? 1 : 0;
}

typedef struct waiting {
    vp_domain *dom;
    int r;
    char message[1024];
} waiting;

static void *
wait_on_guest(void *arg)
{
    waiting *w = arg;
    long long s;
    unsigned int ns;
    w->r = vp_domain_get_time(w->dom, &s, &ns, 0);
    snprintf(w->message, sizeof(w->message), "%s", last_message());
    return NULL;
}

static int
run_cancel(const char *uri, const char *name)
{
    vp_conn *c = NULL;
    vp_domain *dom = NULL;
    if (vp_conn_open(uri, 0, &c) < 0 || vp_domain_lookup_by_name(c, name, &dom) < 0) {
        fprintf(stderr, "open: %s\n", last_message());
        return 1;
    }
    waiting w = {.dom = dom};
    pthread_t t;
    pthread_create(&t, NULL, wait_on_guest, &w);
    /* The call may not wait on the far side yet: cancel until it was. */
    int n = 0;
    for (int i = 0; i < 2000 && n == 0; i++) {
        n = vp_conn_cancel_jobs(c, 0);
        if (n == 0)
            nanosleep(&(struct timespec){.tv_nsec = 10 * 1000 * 1000}, false);
    }
    CHECK(n == 1, "vp_conn_cancel_jobs returned %d (%s)", n, last_message());
    pthread_join(t, false);
    CHECK(w.r == VP_ERR_OPERATION_INVALID, "the waiting call returned %d: %s", w.r, w.message);
    CHECK(strncmp(w.message, "on host '127.0.0.1': ", 21) == 0 &&
              strstr(w.message, "cancelled by vp_conn_cancel_jobs"),
          "the waiting call said '%s'", w.message);
    /* Nothing waits now; the connection goes on. */
    CHECK(vp_conn_cancel_jobs(c, 0) == 0, "a second cancel: %s", last_message());
    int state, reason;
    CHECK(vp_domain_get_state(dom, &state, &reason, 0) == 0 && state == VP_DOMAIN_RUNNING,
          "after the cancel: %s", last_message());
    vp_domain_free(dom);
    vp_conn_close(c);
    return failures ? 1 : 0;
}

/* The console of running @name: a second session is refused; a reset
 * (through the same connection, while the stream is open) makes the
 * guest print @text again, which comes through; a destroy ends the
 * stream. */
static int
run_console(const char *uri, const char *name, const char *text)
{
    vp_conn *c = NULL;
    vp_domain *dom = NULL;
    int fd = -1;
    if (vp_conn_open(uri, 0, &c) < 0 || vp_domain_lookup_by_name(c, name, &dom) < 0 ||
        vp_domain_open_console(dom, NULL, 0, &fd) < 0) {
        fprintf(stderr, "console: %s\n", last_message());
        return 1;
    }
    int fd2 = -1;
    int r = vp_domain_open_console(dom, NULL, 0, &fd2);
    CHECK(r == VP_ERR_OPERATION_IN_PROGRESS &&
              strncmp(last_message(), "on host '127.0.0.1': ", 21) == 0,
          "a second session: %d, '%s'", r, last_message());
    CHECK(vp_domain_reset(dom, 0) == 0, "reset: %s", last_message());
    size_t cap = 1 << 20, len = 0;
    char *buf = calloc(cap + 1, 1);
    time_t until = time(NULL) + 120;
    bool found = false;
    while (!found && time(NULL) < until && len < cap) {
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, 1000) <= 0)
            continue;
        ssize_t n = read(fd, buf + len, cap - len);
        if (n <= 0)
            break;
        len += (size_t)n;
        found = strstr(buf, text) != NULL;
    }
    CHECK(found, "the console did not bring '%s' (%zu bytes came: %s)", text, len, buf);
    /* Bytes the other way reach the far console (the firmware ignores
     * them); then the stream ends with the domain. */
    CHECK(write(fd, "\r", 1) == 1, "cannot write to the console");
    CHECK(vp_domain_destroy(dom, 0) == 0, "destroy: %s", last_message());
    ssize_t n = 1;
    struct pollfd p = {fd, POLLIN, 0};
    while (n > 0 && poll(&p, 1, 20000) > 0)
        n = read(fd, buf, cap);
    CHECK(n == 0, "the stream did not end with the domain (%zd)", n);
    free(buf);
    close(fd);
    vp_domain_free(dom);
    vp_conn_close(c);
    return failures ? 1 : 0;
}

/* A connection left idle for longer than its timeout (the URI's
 * "timeout=4": the open, an ssh login, must fit in it on a loaded
 * machine too) still answers its next call. */
static int
run_idle(const char *uri)
{
    vp_conn *c = NULL;
    if (vp_conn_open(uri, 0, &c) < 0) {
        fprintf(stderr, "open: %s\n", last_message());
        return 1;
    }
    CHECK(vp_conn_num_of_domains(c) == 1, "first call: %s", last_message());
    nanosleep(&(struct timespec){.tv_sec = 5, .tv_nsec = 500 * 1000 * 1000}, NULL);
    CHECK(vp_conn_num_of_domains(c) == 1, "after 5.5 s idle: %s", last_message());
    vp_conn_close(c);
    return failures ? 1 : 0;
}

int
main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "idle") == 0)
        return run_idle(argv[2]);
    if (argc == 4 && strcmp(argv[1], "stats") == 0)
        return run_stats(argv[2], argv[3]);
    if (argc == 4 && strcmp(argv[1], "cancel") == 0)
        return run_cancel(argv[2], argv[3]);
    if (argc == 5 && strcmp(argv[1], "console") == 0)
        return run_console(argv[2], argv[3], argv[4]);
    fprintf(stderr, "usage: remote-calls stats URI LOCAL-URI | cancel URI DOMAIN | console URI "
                    "DOMAIN TEXT | idle URI\n");
    return 2;
}
