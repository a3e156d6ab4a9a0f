/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-step.c: the named steps of the driver's mutating operations.
 *
 * Owns one counter per process. Every step between two writes of a
 * mutating operation (intent written, QEMU launched, record written, ...)
 * calls qemu_step() with its name, which is logged at debug level. When
 * VIRTPLUG_TEST_STOP_AT=N is set, the N-th step stops the whole process
 * with SIGSTOP, so a crash test can kill it exactly there (SIGKILL, or
 * SIGINT and SIGCONT) and check that the next operation repairs what it
 * left. It never changes what an operation does otherwise.
 */
#include <config.h>

#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "qemu-driver.h"

static atomic_int steps_taken;

void
qemu_step(const char *what)
{
    int n = atomic_fetch_add(&steps_taken, 1) + 1;
    VP_PLUGIN_DEBUG(QEMU_AREA, "step %d: %s", n, what);
    const char *stop = secure_getenv("VIRTPLUG_TEST_STOP_AT");
    if (stop && *stop && strtol(stop, NULL, 10) == n)
        raise(SIGSTOP);
}
