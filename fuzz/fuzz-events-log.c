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
 * last line without its CRLF, or a NUL byte. The same bytes go to the
 * reader of tray moves, which must find none where no line names
 * DEVICE_TRAY_MOVED, at most one a line, and set booleans only.
 */
#include <config.h>

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

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

    json_object *trays = json_object_new_object();
    int moves = qemu_events_tray_moves(bytes, size, trays);
    size_t lines = 0;
    for (size_t i = 0; i < size; i++)
        lines += bytes[i] == '\n';
    if (moves < 0 || (size_t)moves > lines)
        abort(); /* more moves than lines */
    if (moves > 0 && !memmem(bytes, size, "DEVICE_TRAY_MOVED", 17))
        abort(); /* a move from a line that names none */
    if ((size_t)json_object_object_length(trays) > (size_t)moves)
        abort();
    json_object_object_foreach(trays, id, open)
    {
        (void)id;
        if (!json_object_is_type(open, json_type_boolean))
            abort();
    }
    json_object_put(trays);
    return 0;
}
