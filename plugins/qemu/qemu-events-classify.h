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

#endif /* VIRTPLUG_QEMU_EVENTS_CLASSIFY_H */
