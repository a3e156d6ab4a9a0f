/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * bench-qmp.c: one QMP round trip (query-status) through the plugin's QMP
 * client against a real QEMU -machine none, beside the floor: a bare
 * blocking-socket loop sending the same command to the same QEMU in the
 * same run. Target: client <= 1.1 x floor.
 *
 * Calls alternate floor and client one by one so that load from other
 * processes hits both alike; each figure is the median per call.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <virtplug/sdk/services.h>

#include "qemu-monitor.h"
#include "real-qemu.h"

#define CALLS 5001

static double
now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* Read up to and including the next newline, byte buffer kept by caller. */
static int
bare_read_line(int fd, char *buf, size_t size)
{
    size_t n = 0;
    while (n + 1 < size) {
        ssize_t r = read(fd, buf + n, 1);
        if (r <= 0)
            return -1;
        if (buf[n++] == '\n')
            break;
    }
    buf[n] = '\0';
    return 0;
}

static int
bare_connect(const char *path)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
        return -1;
    char line[4096];
    static const char caps[] = "{\"execute\":\"qmp_capabilities\"}\n";
    if (bare_read_line(fd, line, sizeof(line)) < 0 ||
        write(fd, caps, strlen(caps)) != (ssize_t)strlen(caps) ||
        bare_read_line(fd, line, sizeof(line)) < 0)
        return -1;
    return fd;
}

/* The floor reads whole buffers as a real minimal client would, not a byte
 * at a time: one write, one read per round trip. Returns microseconds. */
static double
call_bare(int fd)
{
    static const char cmd[] = "{\"execute\":\"query-status\",\"id\":\"b\"}\n";
    char buf[4096];
    double t0 = now_us();
    if (write(fd, cmd, strlen(cmd)) != (ssize_t)strlen(cmd))
        return -1;
    size_t n = 0;
    do {
        ssize_t r = read(fd, buf + n, sizeof(buf) - n);
        if (r <= 0)
            return -1;
        n += (size_t)r;
    } while (buf[n - 1] != '\n');
    return now_us() - t0;
}

static double
call_client(qemu_monitor *mon)
{
    double t0 = now_us();
    json_object *ret = NULL;
    if (qemu_monitor_command(mon, "query-status", NULL, 10000, &ret) < 0)
        return -1;
    json_object_put(ret);
    return now_us() - t0;
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double
median(double *v, size_t n)
{
    qsort(v, n, sizeof(double), cmp_double);
    return v[n / 2];
}

int
main(void)
{
    real_proc q;
    if (!real_qemu_binary()) {
        printf("qmp round trip: skipped (no QEMU; set QEMU_SYSTEM)\n");
        return 0;
    }
    if (!real_qemu_start2(&q)) {
        fprintf(stderr, "bench-qmp: QEMU did not start\n");
        return 1;
    }
    int status = 1;
    double b, c;
    qemu_monitor *mon = NULL;
    int fd = bare_connect(q.socket2);
    if (fd < 0 || qemu_monitor_open(q.socket, 10000, &mon) < 0) {
        fprintf(stderr, "bench-qmp: cannot connect to QEMU\n");
        goto out;
    }
    /* Calls alternate floor and client one by one, in turn first, so that load
     * from other processes hits both alike; the figures are medians per call. */
    static double bare[CALLS], client[CALLS];
    for (int i = 0; i < CALLS; i++) {
        if (i % 2) {
            bare[i] = call_bare(fd);
            client[i] = call_client(mon);
        } else {
            client[i] = call_client(mon);
            bare[i] = call_bare(fd);
        }
        if (bare[i] < 0 || client[i] < 0) {
            fprintf(stderr, "bench-qmp: a round trip failed\n");
            goto out;
        }
    }
    b = median(bare, CALLS);
    c = median(client, CALLS);
    printf("qmp round trip (query-status, QEMU %s -machine none): client %.1f us, "
           "bare socket floor %.1f us, ratio %.2f (target <= 1.10)\n",
           qemu_monitor_get_version(mon), c, b, c / b);
    status = 0;
out:
    qemu_monitor_close(mon);
    if (fd >= 0)
        close(fd);
    real_proc_stop(&q);
    return status;
}
