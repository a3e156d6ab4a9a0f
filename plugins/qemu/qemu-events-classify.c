/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-events-classify.c: which growths of a domain's events log
 * (qemu-events-log.c) leave its run state as a list last found it, so that
 * the list need not ask QEMU after a guest merely set its clock.
 *
 * The bytes are untrusted: a file anyone with the runtime directory's
 * rights may have written, or one QEMU was killed in the middle of. So
 * nothing passes but what is known to be harmless: an allow list of event
 * names that QEMU's QAPI documentation describes as reports of something
 * else than the run state, and that come without a run-state event of
 * their own kind (a pause, a shutdown, a suspend, a panic, a watchdog or
 * an I/O error always logs STOP, SHUTDOWN, SUSPEND, GUEST_PANICKED,
 * WATCHDOG or BLOCK_IO_ERROR, none of which is here). GUEST_CRASHLOADED
 * is left out: it changes no run state by itself, but it comes after a
 * panic, seldom, where asking QEMU costs nothing worth saving. An unknown event, a
 * line without its CRLF (QEMU still writing it, or killed in the write), a
 * line that is not exactly one JSON object of QMP's event members, a NUL
 * byte or too many bytes: not harmless, and the list asks QEMU. It reads
 * only its input and never sets an error.
 */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "qemu-events-classify.h"

/* The events that cannot change a run state; each also comes often enough
 * from a running guest or a display client to make asking QEMU costly. */
static const char *const harmless[] = {
    "ACPI_DEVICE_OST",       /* the guest's answer to a hotplug request */
    "BALLOON_CHANGE",        /* the guest gave or took balloon memory */
    "DEVICE_TRAY_MOVED",     /* a removable-media tray opened or closed */
    "NIC_RX_FILTER_CHANGED", /* the guest changed a NIC's receive filter */
    "RTC_CHANGE",            /* the guest set its RTC (hwclock -w) */
    "SPICE_CONNECTED",       /* SPICE and VNC clients came or went */
    "SPICE_DISCONNECTED",
    "SPICE_INITIALIZED",
    "VNC_CONNECTED",
    "VNC_DISCONNECTED",
    "VNC_INITIALIZED",
    "VSERPORT_CHANGE", /* the guest opened or closed a virtio-serial port */
};

static bool
name_harmless(const char *name)
{
    for (size_t i = 0; i < sizeof(harmless) / sizeof(harmless[0]); i++)
        if (strcmp(name, harmless[i]) == 0)
            return true;
    return false;
}

static bool
event_harmless(json_object *obj)
{
    if (!json_object_is_type(obj, json_type_object))
        return false;
    bool named = false;
    json_object_object_foreach(obj, key, val)
    {
        if (strcmp(key, "event") == 0)
            named = json_object_is_type(val, json_type_string) &&
                    name_harmless(json_object_get_string(val));
        else if (strcmp(key, "timestamp") != 0 && strcmp(key, "data") != 0)
            return false;
    }
    return named;
}

/* One line without its CRLF. */
static bool
line_harmless(json_tokener *tok, const char *line, size_t len)
{
    if (len == 0 || memchr(line, '\0', len))
        return false;
    json_tokener_reset(tok);
    json_object *obj = json_tokener_parse_ex(tok, line, (int)len);
    bool ok = obj && json_tokener_get_error(tok) == json_tokener_success &&
              json_tokener_get_parse_end(tok) == len && event_harmless(obj);
    json_object_put(obj);
    return ok;
}

/* The tray move one line (without its newline) reports, set in @trays. */
static bool
line_tray_move(json_tokener *tok, const char *line, size_t len, json_object *trays)
{
    static const char name[] = "\"DEVICE_TRAY_MOVED\"";
    if (len == 0 || len > INT32_MAX || memchr(line, '\0', len) ||
        !memmem(line, len, name, sizeof(name) - 1))
        return false;
    json_tokener_reset(tok);
    json_object *ev = json_tokener_parse_ex(tok, line, (int)len), *event, *data, *id, *open;
    bool ok = ev && json_tokener_get_error(tok) == json_tokener_success &&
              json_object_is_type(ev, json_type_object) &&
              json_object_object_get_ex(ev, "event", &event) &&
              json_object_is_type(event, json_type_string) &&
              strcmp(json_object_get_string(event), "DEVICE_TRAY_MOVED") == 0 &&
              json_object_object_get_ex(ev, "data", &data) &&
              json_object_object_get_ex(data, "id", &id) &&
              json_object_is_type(id, json_type_string) &&
              json_object_object_get_ex(data, "tray-open", &open) &&
              json_object_is_type(open, json_type_boolean);
    if (ok)
        json_object_object_add(trays, json_object_get_string(id),
                               json_object_new_boolean(json_object_get_boolean(open)));
    json_object_put(ev);
    return ok;
}

int
qemu_events_tray_moves(const char *bytes, size_t len, json_object *trays)
{
    json_tokener *tok = json_tokener_new();
    if (!tok)
        abort(); /* out of memory, as the allocation wrappers do */
    int n = 0;
    const char *end = bytes + len, *nl;
    for (; bytes < end && (nl = memchr(bytes, '\n', (size_t)(end - bytes))); bytes = nl + 1)
        n += line_tray_move(tok, bytes, (size_t)(nl - bytes), trays);
    json_tokener_free(tok);
    return n;
}

bool
qemu_events_harmless(const char *bytes, size_t len)
{
    if (len > QEMU_EVENTS_HARMLESS_MAX)
        return false;
    json_tokener *tok = json_tokener_new();
    if (!tok)
        abort(); /* out of memory, as the allocation wrappers do */
    bool ok = true;
    const char *end = bytes + len;
    while (ok && bytes < end) {
        const char *nl = memchr(bytes, '\n', (size_t)(end - bytes));
        ok = nl && nl > bytes && nl[-1] == '\r' &&
             line_harmless(tok, bytes, (size_t)(nl - 1 - bytes));
        bytes = nl ? nl + 1 : end;
    }
    json_tokener_free(tok);
    return ok;
}
