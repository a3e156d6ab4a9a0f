/*
 * qemu-lock.c: per-domain lock files.
 *
 * Owns RUNTIME/NAME.lock: an open-file-description (OFD) write lock on it
 * serialises operations on one domain across processes and across threads
 * of one process (each acquire opens the file anew). The lock goes away
 * with the descriptor, so a crashed process never leaves a domain locked.
 * It never deletes lock files: unlinking a lock file another process is
 * waiting on would let two holders in.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
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

int
qemu_lock_acquire(const qemu_driver *drv, const char *name, int timeout_ms, int *ret_fd)
{
    _cleanup_free_ char *path = qemu_domain_path(drv, name, ".lock");
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno, "cannot open lock file '%s'", path);
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
    int64_t deadline = mono_ms() + timeout_ms;
    /* Poll rather than F_OFD_SETLKW: a blocking wait cannot time out. */
    while (fcntl(fd, F_OFD_SETLK, &fl) < 0) {
        int e = errno;
        if (e != EAGAIN && e != EACCES && e != EINTR) {
            close(fd);
            return vp_plugin_error_set_errno(VP_ERR_SYSTEM, e, "cannot lock '%s'", path);
        }
        if (mono_ms() >= deadline) {
            close(fd);
            return vp_plugin_error_set(
                VP_ERR_OPERATION_IN_PROGRESS,
                "domain '%s' is busy with another operation; try again later", name);
        }
        struct timespec ts = {.tv_nsec = 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    *ret_fd = fd;
    return 0;
}

void
qemu_lock_release(int fd)
{
    if (fd >= 0)
        close(fd);
}
