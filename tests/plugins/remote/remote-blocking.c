/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * remote-blocking.c: a call that blocks on the far side holds up no other
 * call of the same connection. URI (argv[1]) must give the far test
 * driver a suspend delay of seconds (suspend_delay_ms): one thread starts
 * a node suspend and waits for it (vp_node_suspend_wait blocks in the far
 * helper for the delay), and while it waits, another thread's CALLS
 * (argv[2]) calls of vp_domain_get_state must all be answered. Prints
 * "calls answered while a call blocked" and exits 0 when they were. Run by
 * test-remote-threads.sh.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <virtplug/virtplug.h>

static vp_conn *conn;
static atomic_bool wait_returned;
static int wait_result;

static void *
waiter(void *arg)
{
    (void)arg;
    wait_result = vp_node_suspend_wait(conn, -1);
    atomic_store(&wait_returned, true);
    return NULL;
}

int
main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: remote-blocking URI CALLS\n");
        return 2;
    }
    int calls = (int)strtol(argv[2], NULL, 10);
    vp_domain *dom = NULL;
    if (vp_conn_open(argv[1], 0, &conn) < 0 || vp_domain_lookup_by_name(conn, "test", &dom) < 0 ||
        vp_node_suspend_for_duration(conn, VP_NODE_SUSPEND_TARGET_MEM, 60, 0) < 0) {
        fprintf(stderr, "%s\n", vp_error_last()->message);
        return 1;
    }
    pthread_t t;
    pthread_create(&t, NULL, waiter, NULL);
    /* Let the wait reach the far side first. */
    nanosleep(&(struct timespec){0, 200 * 1000 * 1000}, NULL);
    int failures = 0;
    for (int i = 0; i < calls; i++) {
        int state = -1, reason;
        if (vp_domain_get_state(dom, &state, &reason, 0) < 0 || state != VP_DOMAIN_RUNNING)
            failures++;
    }
    bool held_up = atomic_load(&wait_returned);
    pthread_join(t, NULL);
    if (wait_result < 0)
        fprintf(stderr, "the wait failed: %s\n", vp_error_last()->message);
    if (failures)
        fprintf(stderr, "%d calls failed\n", failures);
    if (held_up)
        fprintf(stderr, "the calls were answered only after the blocking call\n");
    vp_domain_free(dom);
    vp_conn_close(conn);
    if (wait_result < 0 || failures || held_up)
        return 1;
    printf("calls answered while a call blocked\n");
    return 0;
}
