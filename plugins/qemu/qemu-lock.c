/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-lock.c: per-domain lock files.
 *
 * Owns where a domain's lock lives (RUNTIME/NAME.lock) and what the busy
 * message calls it; the lock itself is the SDK's (vp_plugin_lock_*): it
 * serialises operations on one domain across processes and threads, dies
 * with its holder, and survives undefine removing the file while others
 * wait on it.
 */
#include <config.h>

#include "qemu-driver.h"

int
qemu_lock_try(const qemu_driver *drv, const char *name, int *ret_fd)
{
    _cleanup_free_ char *path = qemu_domain_path(drv, name, ".lock");
    return vp_plugin_lock_try(path, ret_fd);
}

int
qemu_lock_acquire(const qemu_driver *drv, const char *name, int timeout_ms, int *ret_fd)
{
    _cleanup_free_ char *path = qemu_domain_path(drv, name, ".lock");
    _cleanup_free_ char *what = vp_asprintf("domain '%s'", name);
    return vp_plugin_lock_acquire(path, what, timeout_ms, ret_fd);
}

void
qemu_lock_release(int fd)
{
    vp_plugin_lock_release(fd);
}
