/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * bench-remote-echo.c: a remote call's round trip beside its floor, and 8
 * threads beside one, measured in the same run. The floor is a frame of
 * the size of a domain-get-state call sent through ssh to 'cat' on the far
 * side and read back, over the same kind of channel as the plugin's (one
 * socket as ssh's stdin and stdout). The calls are vp_domain_get_state on
 * domain 'test' of URI, from one thread and from 8 sharing the connection.
 *
 * Usage: bench-remote-echo ROUNDS CALLS URI SSH-ARGV... (the last element
 * of SSH-ARGV is the far command, 'cat'). Each round runs CALLS echoes,
 * CALLS calls from one thread and CALLS calls from each of 8 threads, one
 * after the other, so that the load of the machine weighs on each figure
 * alike; the medians of the rounds are printed as "KEY value" lines:
 * echo_us, call_us, one_calls_s, eight_calls_s, and the best round of
 * each as best_echo_us, best_call_us, best_one_calls_s and
 * best_eight_calls_s (on a busy machine, the closest to an idle one).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <virtplug/virtplug.h>

#include "bench-common.h"

#define THREADS 8
#define MAX_ROUNDS 200

static vp_domain *dom;
static long calls;

static int
round_trip(int fd, const char *frame, size_t len)
{
    char buf[256];
    if (send(fd, frame, len, MSG_NOSIGNAL) != (ssize_t)len)
        return -1;
    for (size_t got = 0; got < len;) {
        ssize_t n = recv(fd, buf, sizeof(buf), 0);
        if (n <= 0 && errno != EINTR)
            return -1;
        if (n > 0)
            got += (size_t)n;
    }
    return 0;
}

static void *
caller(void *arg)
{
    (void)arg;
    for (long i = 0; i < calls; i++) {
        int state = -1, reason;
        if (vp_domain_get_state(dom, &state, &reason, 0) < 0 || state != VP_DOMAIN_RUNNING)
            return (void *)1;
    }
    return NULL;
}

/* @n threads make CALLS calls each; the seconds it took, < 0 on failure. */
static double
run_callers(int n)
{
    pthread_t t[THREADS];
    int64_t t0 = bench_now_ns();
    for (int i = 0; i < n; i++)
        if (pthread_create(&t[i], NULL, caller, NULL) != 0)
            return -1;
    int failed = 0;
    for (int i = 0; i < n; i++) {
        void *r;
        pthread_join(t[i], &r);
        failed |= r != NULL;
    }
    return failed ? -1 : (double)(bench_now_ns() - t0) / 1e9;
}

static pid_t
start_echo(char **argv, int *ret_fd)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(sv[1], 0);
        dup2(sv[1], 1);
        execvp(argv[0], argv);
        _exit(127);
    }
    close(sv[1]);
    *ret_fd = sv[0];
    return pid;
}

int
main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: bench-remote-echo ROUNDS CALLS URI SSH-ARGV...\n");
        return 2;
    }
    int rounds = (int)strtol(argv[1], NULL, 10);
    calls = strtol(argv[2], NULL, 10);
    if (rounds < 1 || rounds > MAX_ROUNDS || calls < 1)
        return 2;
    vp_conn *conn;
    if (vp_conn_open(argv[3], 0, &conn) < 0 || vp_domain_lookup_by_name(conn, "test", &dom) < 0) {
        fprintf(stderr, "bench-remote-echo: %s\n", vp_error_last()->message);
        return 1;
    }
    int fd;
    pid_t pid = start_echo(argv + 4, &fd);
    /* The frame the plugin sends for vp_domain_get_state, with a handle. */
    static const char json[] =
        "{\"t\":\"call\",\"id\":30,\"op\":\"domain-get-state\",\"dom\":\"test\","
        "\"flags\":0,\"handle\":\"6695eb01-f6a4-8304-79aa-97f2502e193f\"}";
    char frame[4 + sizeof(json)];
    size_t len = 4 + sizeof(json) - 1;
    memcpy(frame, (const char[4]){0, 0, 0, (char)(sizeof(json) - 1)}, 4);
    memcpy(frame + 4, json, sizeof(json) - 1);
    /* Connect and warm up both. */
    if (pid < 0 || round_trip(fd, frame, len) < 0 || run_callers(1) < 0) {
        fprintf(stderr, "bench-remote-echo: the warm-up failed\n");
        return 1;
    }
    double echo[MAX_ROUNDS], call[MAX_ROUNDS], one[MAX_ROUNDS], eight[MAX_ROUNDS];
    for (int r = 0; r < rounds; r++) {
        int64_t t0 = bench_now_ns();
        for (long i = 0; i < calls; i++)
            if (round_trip(fd, frame, len) < 0)
                return 1;
        echo[r] = (double)(bench_now_ns() - t0) / 1e3 / (double)calls;
        double s1 = run_callers(1), s8 = run_callers(THREADS);
        if (s1 < 0 || s8 < 0) {
            fprintf(stderr, "bench-remote-echo: a call failed: %s\n",
                    vp_error_last() ? vp_error_last()->message : "wrong state");
            return 1;
        }
        call[r] = s1 * 1e6 / (double)calls;
        one[r] = (double)calls / s1;
        eight[r] = (double)(THREADS * calls) / s8;
    }
    /* bench_median() sorts: the best round is then first (or last). */
    size_t n = (size_t)rounds;
    printf("echo_us %.1f\ncall_us %.1f\none_calls_s %.0f\neight_calls_s %.0f\n",
           bench_median(echo, n), bench_median(call, n), bench_median(one, n),
           bench_median(eight, n));
    printf("best_echo_us %.1f\nbest_call_us %.1f\nbest_one_calls_s %.0f\nbest_eight_calls_s %.0f\n",
           echo[0], call[0], one[n - 1], eight[n - 1]);
    shutdown(fd, SHUT_WR);
    waitpid(pid, NULL, 0);
    vp_domain_free(dom);
    vp_conn_close(conn);
    return 0;
}
