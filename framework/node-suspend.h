/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * node-suspend.h: the host-suspend job (framework/node-suspend.c).
 *
 * The outcome record and the lock live in the runtime directory under these
 * names; tests and tools read them there.
 */
#ifndef VIRTPLUG_NODE_SUSPEND_H
#define VIRTPLUG_NODE_SUSPEND_H

/* Held (fcntl OFD write lock) for the whole life of a request, host-wide. */
#define VPI_NODE_SUSPEND_LOCK_FILE "node-suspend.lock"
/* The last request's outcome: "key=value" lines, written atomically. */
#define VPI_NODE_SUSPEND_STATE_FILE "node-suspend.state"

/* The delay used when a driver does not say (libvirt's). */
#define VPI_NODE_SUSPEND_DEFAULT_DELAY_MS 10000u

#endif /* VIRTPLUG_NODE_SUSPEND_H */
