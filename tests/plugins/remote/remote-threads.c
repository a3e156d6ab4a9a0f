/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * remote-threads.c: THREADS threads (argv[3], default 8) share one vp_conn
 * to URI (argv[1]) and call vp_domain_get_state on domain 'test' CALLS
 * times each (argv[2]), with calls in flight at once over the one ssh
 * process; every answer must be "running". Every 16th call also reads the
 * XML (unless argv[4] is "state-only"), so replies of different lengths
 * interleave. Run by
 * test-remote-threads.sh; bench/bench-remote.sh reads the calls per
 * second it prints on stderr.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <virtplug/virtplug.h>

#define MAX_THREADS 64

static vp_domain *dom;
static int calls;
static int state_only; /* argv[4] "state-only": no XML reads */

static void *
worker(void *arg)
{
    long failures = 0;
    for (int i = 0; i < calls; i++) {
        int state = -1, reason = -1;
        if (vp_domain_get_state(dom, &state, &reason, 0) < 0 || state != VP_DOMAIN_RUNNING) {
            const vp_error *e = vp_error_last();
            fprintf(stderr, "thread %ld call %d: state %d: %s\n", (long)(intptr_t)arg, i, state,
                    e ? e->message : "no error");
            failures++;
        }
        char *xml = NULL;
        if (!state_only && i % 16 == 0 &&
            (vp_domain_get_xml(dom, 0, &xml) < 0 || !strstr(xml, "<name>test<"))) {
            fprintf(stderr, "thread %ld: bad XML\n", (long)(intptr_t)arg);
            failures++;
        }
        free(xml);
    }
    return (void *)failures;
}

int
main(int argc, char **argv)
{
    if (argc < 3 || argc > 5) {
        fprintf(stderr, "usage: remote-threads URI CALLS [THREADS [state-only]]\n");
        return 2;
    }
    int n_threads = argc >= 4 ? (int)strtol(argv[3], NULL, 10) : 8;
    state_only = argc == 5 && strcmp(argv[4], "state-only") == 0;
    if (n_threads < 1 || n_threads > MAX_THREADS)
        return 2;
    calls = (int)strtol(argv[2], NULL, 10);
    vp_conn *conn;
    if (vp_conn_open(argv[1], 0, &conn) < 0 || vp_domain_lookup_by_name(conn, "test", &dom) < 0) {
        fprintf(stderr, "%s\n", vp_error_last()->message);
        return 1;
    }
    pthread_t t[MAX_THREADS];
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (long i = 0; i < n_threads; i++)
        pthread_create(&t[i], NULL, worker, (void *)(intptr_t)i);
    long failures = 0;
    for (int i = 0; i < n_threads; i++) {
        void *r;
        pthread_join(t[i], &r);
        failures += (long)(intptr_t)r;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    fprintf(stderr, "calls/s %.0f\n",
            (double)n_threads * (calls + (state_only ? 0 : (calls + 15) / 16)) / s);
    vp_domain_free(dom);
    vp_conn_close(conn);
    printf("%d threads x %d calls: %ld failures\n", n_threads, calls, failures);
    return failures ? 1 : 0;
}
