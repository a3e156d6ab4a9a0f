/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * bench-remote-echo.c: the floor of a remote call's round trip: a frame of
 * the size of a domain-get-state call sent through ssh to 'cat' on the far
 * side and read back, over the same kind of channel (one socket as ssh's
 * stdin and stdout). Usage: bench-remote-echo CALLS SSH-ARGV... (the last
 * element is the far command, 'cat'). Prints the microseconds per round
 * trip, the median of 5 batches.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double
now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

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

static int
compare(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int
main(int argc, char **argv)
{
    if (argc < 3)
        return 2;
    long calls = strtol(argv[1], NULL, 10);
    int sv[2];
    if (calls < 1 || socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
        return 2;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(sv[1], 0);
        dup2(sv[1], 1);
        close(sv[0]);
        close(sv[1]);
        execvp(argv[2], argv + 2);
        _exit(127);
    }
    close(sv[1]);
    static const char frame[] =
        "\0\0\0\102{\"t\":\"call\",\"id\":3,\"op\":\"domain-get-state\",\"dom\":\"test\",\"flags\":0}";
    size_t len = sizeof(frame) - 1;
    if (round_trip(sv[0], frame, len) < 0) /* connect and warm up */
        return 1;
    double batch[5];
    for (int b = 0; b < 5; b++) {
        double t0 = now_us();
        for (long i = 0; i < calls; i++)
            if (round_trip(sv[0], frame, len) < 0)
                return 1;
        batch[b] = (now_us() - t0) / (double)calls;
    }
    qsort(batch, 5, sizeof(batch[0]), compare);
    printf("%.1f\n", batch[2]);
    shutdown(sv[0], SHUT_WR);
    waitpid(pid, NULL, 0);
    return 0;
}
