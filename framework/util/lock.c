/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * util/lock.c: lock files that serialise operations across processes.
 *
 * Owns vp_plugin_lock_*: an exclusive lock on a lock file, taken on a
 * descriptor opened anew by each call, so it serialises the threads of
 * one process as well as processes. Linux gets open file description
 * (OFD) locks, which the qemu driver used before this was a service and
 * which node-suspend.c uses, so processes of an older and a newer build
 * exclude each other; other systems get flock(), which has the same
 * per-description semantics. A lock dies with its descriptor: a killed
 * holder never leaves a domain locked. A holder may remove the lock file;
 * a waiter that then locks the removed file sees that the path names
 * another file (or none) and starts again, so two holders never meet.
 * It never removes a lock file itself.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

/* How long a waiter sleeps between attempts, at most. */
#define LOCK_POLL_MAX_MS 50

/* Lock @fd, waiting for it when @wait: 0 taken, -EAGAIN busy, another -errno. */
static int
lock_fd(int fd, bool wait)
{
    int r;
#ifdef F_OFD_SETLK
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
    while ((r = fcntl(fd, wait ? F_OFD_SETLKW : F_OFD_SETLK, &fl)) < 0 && wait && errno == EINTR)
        ;
#else
    while ((r = flock(fd, wait ? LOCK_EX : LOCK_EX | LOCK_NB)) < 0 && wait && errno == EINTR)
        ;
#endif
    if (r == 0)
        return 0;
    if (errno == EACCES || errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
        return -EAGAIN;
    return -errno;
}

/* Whether @fd is still the file @path names (not removed or replaced). */
static bool
lock_file_current(int fd, const char *path)
{
    struct stat a, b;
    return fstat(fd, &a) == 0 && lstat(path, &b) == 0 && a.st_dev == b.st_dev &&
           a.st_ino == b.st_ino;
}

/* One attempt, waiting in the kernel when @wait: 1 taken (@ret_fd),
 * 0 busy, < 0 an error (set). */
static int
lock_once(const char *path, bool wait, int *ret_fd)
{
    for (;;) {
        int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, 0600);
        if (fd < 0)
            return vp_error_set_errno(VP_ERR_SYSTEM, errno, "cannot open lock file '%s'", path);
        struct stat st;
        if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
            close(fd);
            return vp_error_set(VP_ERR_SYSTEM, "lock file '%s' is not a regular file", path);
        }
        int r = lock_fd(fd, wait);
        if (r < 0) {
            close(fd);
            if (r == -EAGAIN)
                return 0;
            return vp_error_set_errno(VP_ERR_SYSTEM, -r, "cannot lock '%s'", path);
        }
        if (lock_file_current(fd, path)) {
            *ret_fd = fd;
            return 1;
        }
        VP_DEBUG("lock", "'%s' was removed by its holder; locking the new file", path);
        close(fd);
    }
}

VP_EXPORT int
vp_plugin_lock_try(const char *path, int *ret_fd)
{
    if (!path || !*path || !ret_fd)
        return vp_error_set(VP_ERR_INVALID_ARG, "invalid argument: %s",
                            !ret_fd ? "ret_fd" : "path");
    return lock_once(path, false, ret_fd);
}

VP_EXPORT int
vp_plugin_lock_acquire(const char *path, const char *what, int timeout_ms, int *ret_fd)
{
    if (!path || !*path || !ret_fd || timeout_ms < -1)
        return vp_error_set(VP_ERR_INVALID_ARG, "invalid argument: %s",
                            !ret_fd           ? "ret_fd"
                            : timeout_ms < -1 ? "timeout_ms"
                                              : "path");
    /* Without a limit the kernel queues the waiter. With one, polling: a
     * blocking wait cannot time out without a signal, and a library must
     * not take the caller's signals. */
    while (timeout_ms < 0) {
        int r = lock_once(path, true, ret_fd);
        if (r != 0)
            return r < 0 ? r : 0;
    }
    int64_t deadline = vpi_mono_ms() + timeout_ms;
    int step_ms = 1;
    for (;;) {
        int r = lock_once(path, false, ret_fd);
        if (r != 0)
            return r < 0 ? r : 0;
        int64_t now = vpi_mono_ms();
        if (now >= deadline)
            return vp_error_set(VP_ERR_OPERATION_IN_PROGRESS,
                                "%s is busy with another operation; try again later",
                                what ? what : path);
        int wait_ms = step_ms;
        if (deadline - now < wait_ms)
            wait_ms = (int)(deadline - now);
        vpi_sleep_ms(wait_ms);
        step_ms = step_ms * 2 > LOCK_POLL_MAX_MS ? LOCK_POLL_MAX_MS : step_ms * 2;
    }
}

VP_EXPORT void
vp_plugin_lock_release(int fd)
{
    if (fd >= 0)
        close(fd);
}
