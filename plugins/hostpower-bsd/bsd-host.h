/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * bsd-host.h: what the hostpower-bsd plugin knows about its host.
 *
 * A bsd_host is built once from hostpower.conf when a connection first
 * needs host power, and never changes afterwards, so every vtable slot may
 * read it from any thread without a lock.
 */
#ifndef HOSTPOWER_BSD_HOST_H
#define HOSTPOWER_BSD_HOST_H

#include <virtplug/sdk/alloc.h>

#include "bsd-ops.h"

typedef enum bsd_os {
    BSD_OS_FREEBSD = 0, /* also DragonFly, which kept FreeBSD's acpiconf */
    BSD_OS_OPENBSD = 1,
    BSD_OS_NETBSD = 2,
    BSD_OS_LAST = 3
} bsd_os;

typedef struct bsd_host {
    const bsd_ops *ops;
    bsd_os os;
    char *conf_path; /* for messages that tell what to edit */
    char *sysctl;    /* absolute command paths */
    char *acpiconf;
    char *zzz;
    char *apm;
    unsigned int suspend_delay_ms;
} bsd_host;

/* The default delay between the API's answer and the suspend (libvirt's). */
#define BSD_DEFAULT_SUSPEND_DELAY_MS 10000u

/**
 * bsd_host_new: read @conf_path (a missing file means all defaults) and
 * settle which OS this is: the "os" key, or uname() through @ops for "auto".
 * @ret_host: (transfer full) bsd_host_free().
 * Errors: VP_ERR_INVALID_ARG (unknown key or value, relative command path),
 * VP_ERR_NOT_SUPPORTED (os = auto on an OS that is not a BSD),
 * VP_ERR_SYSTEM (the file cannot be read).
 */
int bsd_host_new(const char *conf_path, const bsd_ops *ops, bsd_host **ret_host);

/** bsd_host_free: NULL-safe. */
void bsd_host_free(bsd_host *host);
VP_DEFINE_CLEANUP(bsd_host, bsd_host_free)

/** bsd_os_name: "FreeBSD", "OpenBSD", "NetBSD". */
const char *bsd_os_name(bsd_os os);

/**
 * bsd_os_from_sysname: map a uname() sysname to its family.
 * Returns 0 and writes @ret_os, or -1 for an OS that is not a BSD (no error set).
 */
int bsd_os_from_sysname(const char *sysname, bsd_os *ret_os);

/**
 * bsd_sleep_capabilities: bit (1 << VP_NODE_SUSPEND_TARGET_*) for each
 * target the host can do, probed now (see docs/hostpower-bsd.md).
 * Errors: VP_ERR_SYSTEM or VP_ERR_TIMEOUT when a probe cannot run.
 */
int bsd_sleep_capabilities(const bsd_host *host, unsigned int *ret_targets);

/**
 * bsd_sleep_suspend: run the OS's suspend command for @target and report
 * how far it is known to have got: VP_NODE_SUSPEND_REQUESTED (the OS
 * accepted the request and returned, possibly before the sleep).
 * Errors: VP_ERR_NOT_SUPPORTED (no command for @target on this OS),
 * VP_ERR_SYSTEM (the command failed: the message has its exit status and
 * stderr, and what to do), VP_ERR_TIMEOUT.
 */
int bsd_sleep_suspend(const bsd_host *host, unsigned int target, int *ret_state);

/**
 * bsd_sysctl_get: read sysctl @name with "sysctl -n NAME", trimmed.
 * Returns 1 and writes @ret_value (transfer full) when the OS has it, 0
 * when it does not (sysctl exits non-zero; @ret_value untouched, no error).
 * Errors: VP_ERR_SYSTEM (sysctl cannot run), VP_ERR_TIMEOUT.
 */
int bsd_sysctl_get(const bsd_host *host, const char *name, char **ret_value);

#endif /* HOSTPOWER_BSD_HOST_H */
