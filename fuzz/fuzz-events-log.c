/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * fuzz-events-log.c: libFuzzer target for the classifier of what QEMU
 * appended to a domain's events log (plugins/qemu/qemu-events-classify.c).
 *
 * The input is the new bytes of the log, as a list reads them: whole or
 * torn lines of QMP events, garbage, NUL bytes, more than the classifier
 * takes. Whatever the bytes, it must answer without crashing, hanging or
 * leaking; and it must never call harmless what no harmless log holds: a
 * last line without its CRLF, or a NUL byte.
 */
#include <config.h>

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "qemu-events-classify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *bytes = (const char *)data;
    bool harmless = qemu_events_harmless(bytes, size);
    if (harmless && size > 0 && (size < 2 || bytes[size - 2] != '\r' || bytes[size - 1] != '\n'))
        abort(); /* a torn last line passed */
    if (harmless && memchr(bytes, '\0', size))
        abort(); /* a NUL byte passed */
    return 0;
}
