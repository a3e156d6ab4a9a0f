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
 *
 * An operation (qemu_lock_acquire) writes its owner record into the lock
 * file once it holds the lock: "PID:START_TIME:BOOT_ID operation\n", its
 * process identity (vp_plugin_process_format), emptied at release. Brief
 * holders that take the lock with a try for a few milliseconds (a watch
 * recording a QMP event, a state query) write none, so destroy can tell
 * them from an operation: it waits for the first and kills at once under
 * the second (qemu-driver.c). A record a killed holder left names a
 * process that is gone and reads as none.
 */
#include <config.h>

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "qemu-driver.h"

#define OWNER_OPERATION "operation"

static void
owner_write(int fd)
{
    vp_plugin_saved_error *saved = vp_plugin_error_save();
    vp_plugin_process self;
    char id[VP_PLUGIN_PROCESS_STRLEN];
    if (vp_plugin_process_identify(getpid(), &self) == 0) {
        _cleanup_free_ char *text =
            vp_asprintf("%s " OWNER_OPERATION "\n", vp_plugin_process_format(&self, id));
        if (pwrite(fd, text, strlen(text), 0) != (ssize_t)strlen(text))
            VP_PLUGIN_DEBUG(QEMU_AREA, "cannot write the lock's owner record");
    }
    vp_plugin_error_restore(saved);
}

bool
qemu_lock_held_by_operation(const qemu_driver *drv, const char *name)
{
    _cleanup_free_ char *path = qemu_domain_path(drv, name, ".lock");
    _cleanup_free_ char *text = NULL;
    vp_plugin_saved_error *saved = vp_plugin_error_save();
    bool held = false;
    if (access(path, F_OK) == 0 && vp_plugin_file_read(path, 256, &text, NULL) == 0) {
        char *space = strchr(text, ' ');
        vp_plugin_process owner;
        if (space && strncmp(space + 1, OWNER_OPERATION, strlen(OWNER_OPERATION)) == 0) {
            *space = '\0';
            held = vp_plugin_process_parse(text, &owner) == 0 && vp_plugin_process_is_alive(&owner);
        }
    }
    vp_plugin_error_restore(saved);
    return held;
}

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
    int r = vp_plugin_lock_acquire(path, what, timeout_ms, ret_fd);
    if (r == 0)
        owner_write(*ret_fd);
    return r;
}

void
qemu_lock_release(int fd)
{
    struct stat st;
    if (fd >= 0 && fstat(fd, &st) == 0 && st.st_size > 0 && ftruncate(fd, 0) < 0)
        VP_PLUGIN_DEBUG(QEMU_AREA, "cannot empty the lock's owner record");
    vp_plugin_lock_release(fd);
}
