/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-events-classify.h: whether bytes QEMU appended to a domain's events
 * log (qemu-events-log.c) report only events that cannot change its run
 * state (qemu-events-classify.c). Never installed.
 */
#ifndef VIRTPLUG_QEMU_EVENTS_CLASSIFY_H
#define VIRTPLUG_QEMU_EVENTS_CLASSIFY_H

#include <stdbool.h>
#include <stddef.h>

/* The most bytes classified at once: past that, QEMU is asked instead. */
#define QEMU_EVENTS_HARMLESS_MAX (64 * 1024)

/*
 * qemu_events_harmless: whether the @len bytes at @bytes (untrusted, not
 * NUL-terminated) are at most QEMU_EVENTS_HARMLESS_MAX bytes of whole
 * lines, each ending in CRLF and holding exactly one JSON object whose
 * members are QMP's "event", "timestamp" and "data" only, with an "event"
 * that cannot change a run state (RTC_CHANGE, BALLOON_CHANGE, ...). No
 * bytes at all: true. Thread-safe; sets no error.
 */
bool qemu_events_harmless(const char *bytes, size_t len);

struct json_object;
/*
 * qemu_events_tray_moves: the DEVICE_TRAY_MOVED events among the whole
 * lines of the @len bytes at @bytes (untrusted, not NUL-terminated), in
 * order, set in @trays: its member named by the event's data "id" (the
 * device's qdev id) set to its "tray-open" boolean. Lines holding a NUL
 * byte (a hole a confirmation punched), torn or not an object of that
 * shape are skipped, as is a last line without its newline. Returns how
 * many moves were set. Thread-safe; sets no error.
 */
int qemu_events_tray_moves(const char *bytes, size_t len, struct json_object *trays);

#endif /* VIRTPLUG_QEMU_EVENTS_CLASSIFY_H */
