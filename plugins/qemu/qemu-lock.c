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
 * file once it holds the lock: "PID:START_TIME:BOOT_ID OP SINCE\n", its
 * process identity (vp_plugin_process_format), the verb it runs ("start",
 * "snapshot-delete", ...) and when it took the lock (seconds since the
 * epoch), emptied at release. A command that finds the lock busy names
 * them: "domain 'web' is busy: snapshot-delete by process 1234 since
 * 12:01:02". Brief holders that take the lock with a try for a few
 * milliseconds (a watch recording a QMP event, a state query) write none,
 * so destroy can tell them from an operation: it waits for the first and
 * kills at once under the second (qemu-driver.c). A record a killed holder
 * left names a process that is gone and reads as none. A record of an
 * older virtplug ("PID:START:BOOT operation") reads as an operation named
 * "operation", taken at an unknown time.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "qemu-driver.h"

static void
owner_write(int fd, const char *op)
{
    vp_plugin_saved_error *saved = vp_plugin_error_save();
    vp_plugin_process self;
    char id[VP_PLUGIN_PROCESS_STRLEN];
    if (vp_plugin_process_identify(getpid(), &self) == 0) {
        _cleanup_free_ char *text = vp_asprintf("%s %s %lld\n", vp_plugin_process_format(&self, id),
                                                op, (long long)time(NULL));
        if (pwrite(fd, text, strlen(text), 0) != (ssize_t)strlen(text))
            VP_PLUGIN_DEBUG(QEMU_AREA, "cannot write the lock's owner record");
    }
    vp_plugin_error_restore(saved);
}

/* The operation holding domain @name's lock, from its owner record: true
 * with @ret_op (transfer full; NULL: not wanted), @ret_owner and @ret_since
 * (0 when the record does not say) when the record names a live process;
 * false for none, a brief holder's empty file or a killed holder's record. */
static bool
owner_read(const qemu_driver *drv, const char *name, char **ret_op, vp_plugin_process *ret_owner,
           time_t *ret_since)
{
    _cleanup_free_ char *path = qemu_domain_path(drv, name, ".lock");
    _cleanup_free_ char *text = NULL;
    vp_plugin_saved_error *saved = vp_plugin_error_save();
    bool held = false;
    if (access(path, F_OK) == 0 && vp_plugin_file_read(path, 256, &text, NULL) == 0) {
        char *op = strchr(text, ' ');
        size_t len = op ? strcspn(op + 1, " \n") : 0;
        if (len > 0) {
            *op++ = '\0';
            char *since = op + len;
            bool more = *since == ' ';
            *since = '\0';
            held = vp_plugin_process_parse(text, ret_owner) == 0 &&
                   vp_plugin_process_is_alive(ret_owner);
            *ret_since = more ? (time_t)strtoll(since + 1, NULL, 10) : 0;
            if (held && ret_op)
                *ret_op = vp_strdup(op);
        }
    }
    vp_plugin_error_restore(saved);
    return held;
}

bool
qemu_lock_held_by_operation(const qemu_driver *drv, const char *name)
{
    vp_plugin_process owner;
    time_t since;
    return owner_read(drv, name, NULL, &owner, &since);
}

/* Replace the generic busy error of domain @name's lock with one naming
 * the operation that holds it, when its owner record says. */
static int
busy_error(const qemu_driver *drv, const char *name, int r)
{
    _cleanup_free_ char *op = NULL;
    vp_plugin_process owner;
    time_t since = 0;
    if (!owner_read(drv, name, &op, &owner, &since))
        return r;
    char when[32] = "";
    struct tm tm;
    if (since > 0 && localtime_r(&since, &tm))
        strftime(when, sizeof(when), " since %H:%M:%S", &tm);
    return vp_plugin_error_set(VP_ERR_OPERATION_IN_PROGRESS,
                               "domain '%s' is busy: %s by process %d%s; try again later", name, op,
                               (int)owner.pid, when);
}

int
qemu_lock_try(const qemu_driver *drv, const char *name, int *ret_fd)
{
    _cleanup_free_ char *path = qemu_domain_path(drv, name, ".lock");
    return vp_plugin_lock_try(path, ret_fd);
}

int
qemu_lock_acquire(const qemu_driver *drv, const char *name, const char *op, int timeout_ms,
                  int *ret_fd)
{
    _cleanup_free_ char *path = qemu_domain_path(drv, name, ".lock");
    _cleanup_free_ char *what = vp_asprintf("domain '%s'", name);
    int r = vp_plugin_lock_acquire(path, what, timeout_ms, ret_fd);
    if (r == 0)
        owner_write(*ret_fd, op);
    if (r == VP_ERR_OPERATION_IN_PROGRESS)
        r = busy_error(drv, name, r);
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
