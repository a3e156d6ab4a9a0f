/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * remote-batch.c: calls in flight together on one ssh connection each get
 * their own answer. On the connection to URI (argv[1]), THREADS threads
 * (argv[3], default 8) each define a domain of their own, 'batch-K' with
 * K + 1 MiB of memory, started when K is odd, and make CALLS calls each
 * (argv[2]) that alternate vp_domain_get_info and vp_domain_get_state on
 * it: every answer must be that thread's domain's (its memory, its state),
 * so a reply handed to another caller of a batch is seen. Prints
 * "N threads x CALLS calls: 0 crossed" and exits 0 when all holds. Run by
 * test-remote-threads.sh, which also reads how many frames the connection
 * sent per write (its debug line at close).
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <virtplug/virtplug.h>

#define MAX_THREADS 64

static vp_conn *conn;
static int calls;

static void *
worker(void *arg)
{
    long k = (long)(intptr_t)arg, crossed = 0;
    char xml[256];
    snprintf(xml, sizeof(xml),
             "<domain type='test'><name>batch-%ld</name><memory unit='MiB'>%ld</memory>"
             "<os><type>hvm</type></os></domain>",
             k, k + 1);
    vp_domain *dom = NULL;
    int want = k % 2 ? VP_DOMAIN_RUNNING : VP_DOMAIN_SHUTOFF;
    if (vp_domain_define_xml(conn, xml, 0, &dom) < 0 ||
        (want == VP_DOMAIN_RUNNING && vp_domain_start(dom, 0) < 0)) {
        fprintf(stderr, "thread %ld: %s\n", k, vp_error_last()->message);
        vp_domain_free(dom);
        return (void *)1;
    }
    for (int i = 0; i < calls; i++) {
        vp_domain_info info = {.size = sizeof(info)};
        int state = -1, reason;
        int r =
            i % 2 ? vp_domain_get_state(dom, &state, &reason, 0) : vp_domain_get_info(dom, &info);
        bool ok = r >= 0 &&
                  (i % 2 ? state == want
                         : info.max_memory_kib == (uint64_t)(k + 1) * 1024 && info.state == want);
        if (!ok) {
            const vp_error *e = r < 0 ? vp_error_last() : NULL;
            fprintf(stderr, "thread %ld call %d: state %d memory %llu KiB: %s\n", k, i,
                    i % 2 ? state : info.state, (unsigned long long)info.max_memory_kib,
                    e ? e->message : "another thread's answer");
            crossed++;
        }
    }
    vp_domain_destroy(dom, 0);
    vp_domain_undefine(dom, 0);
    vp_domain_free(dom);
    return (void *)(intptr_t)crossed;
}

int
main(int argc, char **argv)
{
    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: remote-batch URI CALLS [THREADS]\n");
        return 2;
    }
    int n_threads = argc == 4 ? (int)strtol(argv[3], NULL, 10) : 8;
    calls = (int)strtol(argv[2], NULL, 10);
    if (n_threads < 1 || n_threads > MAX_THREADS || calls < 1)
        return 2;
    if (vp_conn_open(argv[1], 0, &conn) < 0) {
        fprintf(stderr, "%s\n", vp_error_last()->message);
        return 1;
    }
    pthread_t t[MAX_THREADS];
    for (long i = 0; i < n_threads; i++)
        pthread_create(&t[i], NULL, worker, (void *)(intptr_t)i);
    long crossed = 0;
    for (int i = 0; i < n_threads; i++) {
        void *r;
        pthread_join(t[i], &r);
        crossed += (long)(intptr_t)r;
    }
    vp_conn_close(conn);
    printf("%d threads x %d calls: %ld crossed\n", n_threads, calls, crossed);
    return crossed ? 1 : 0;
}
