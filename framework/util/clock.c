/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * clock.c: the monotonic clock in milliseconds and a sleep on it, for the
 * core's deadlines (locks, waits). On its own so that what needs only a
 * clock (the lock services, compiled into the fuzz targets) needs nothing
 * else.
 */
#include <config.h>

#include <time.h>

#include "internal.h"

int64_t
vpi_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
vpi_sleep_ms(int ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}
