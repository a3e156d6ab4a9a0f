/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-lock.c: per-domain lock files.
 *
 * Owns RUNTIME/NAME.lock: an open-file-description (OFD) write lock on it
 * serialises operations on one domain across processes and across threads
 * of one process (each acquire opens the file anew). The lock goes away
 * with the descriptor, so a crashed process never leaves a domain locked.
 * A lock file may be removed by its holder (undefine does): a waiter that
 * then gets the lock on the removed file sees that the path no longer
 * names what it locked and starts over on the new file, so two holders
 * never meet.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "qemu-driver.h"

static int64_t
mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Whether @fd is still the file @path names (not removed or replaced). */
static bool
lock_file_current(int fd, const char *path)
{
    struct stat a, b;
    return fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_dev == b.st_dev &&
           a.st_ino == b.st_ino;
}

/* One attempt: 1 taken (@ret_fd), 0 busy, < 0 an error. */
static int
lock_once(const char *path, int *ret_fd)
{
    for (;;) {
        int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd < 0)
            return vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno, "cannot open lock file '%s'",
                                             path);
        struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
        if (fcntl(fd, F_OFD_SETLK, &fl) < 0) {
            int e = errno;
            close(fd);
            if (e == EAGAIN || e == EACCES || e == EINTR)
                return 0;
            return vp_plugin_error_set_errno(VP_ERR_SYSTEM, e, "cannot lock '%s'", path);
        }
        if (lock_file_current(fd, path)) {
            *ret_fd = fd;
            return 1;
        }
        close(fd); /* the holder removed it (undefine): lock the new one */
    }
}

int
qemu_lock_try(const qemu_driver *drv, const char *name, int *ret_fd)
{
    _cleanup_free_ char *path = qemu_domain_path(drv, name, ".lock");
    return lock_once(path, ret_fd);
}

int
qemu_lock_acquire(const qemu_driver *drv, const char *name, int timeout_ms, int *ret_fd)
{
    _cleanup_free_ char *path = qemu_domain_path(drv, name, ".lock");
    int64_t deadline = mono_ms() + timeout_ms;
    /* Poll rather than F_OFD_SETLKW: a blocking wait cannot time out. */
    for (;;) {
        int r = lock_once(path, ret_fd);
        if (r != 0)
            return r < 0 ? r : 0;
        if (mono_ms() >= deadline)
            return vp_plugin_error_set(
                VP_ERR_OPERATION_IN_PROGRESS,
                "domain '%s' is busy with another operation; try again later", name);
        struct timespec ts = {.tv_nsec = 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
}

void
qemu_lock_release(int fd)
{
    if (fd >= 0)
        close(fd);
}
