/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * util/debug.c: debug messages, enabled by VIRTPLUG_DEBUG.
 *
 * The library prints nothing except these, and only when asked; one line
 * per message, written with one write() so threads do not interleave.
 */
#include <config.h>

#include <stdio.h>
#include <unistd.h>

#include "internal.h"

static int debug_state = -1; /* -1: not read yet */

VP_EXPORT bool
vp_plugin_debug_enabled(void)
{
    int s = __atomic_load_n(&debug_state, __ATOMIC_RELAXED);
    if (__builtin_expect(s < 0, 0)) {
        const char *v = secure_getenv("VIRTPLUG_DEBUG");
        s = v && *v && strcmp(v, "0") != 0;
        __atomic_store_n(&debug_state, s, __ATOMIC_RELAXED);
    }
    return s;
}

VP_EXPORT void
vp_plugin_debug(const char *area, const char *fmt, ...)
{
    if (!vp_plugin_debug_enabled())
        return;
    va_list ap;
    va_start(ap, fmt);
    _cleanup_free_ char *msg = vp_vasprintf(fmt, ap);
    va_end(ap);
    _cleanup_free_ char *line = vp_asprintf("virtplug: %s: %s\n", area, msg);
    ssize_t n = write(STDERR_FILENO, line, strlen(line));
    (void)n;
}
