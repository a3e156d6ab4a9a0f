/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-log.c: the cap on a domain's QEMU log (RUNTIME/NAME.log).
 *
 * Owns keeping the log at most "log_max_bytes" of qemu.conf (default
 * 1 MiB) plus one older part: every operation that takes the domain's
 * lock looks at the log's size, and when it passed the cap, its last
 * log_max_bytes move to NAME.log.1 (replacing the older part) and the log
 * is emptied. QEMU appends (O_APPEND), so it goes on writing at the new
 * end; what it wrote between the copy and the truncation is lost, and
 * between two operations a running QEMU may write past the cap. There is
 * no daemon to hold the log (libvirt's virtlogd), so this is as close as
 * the driver gets. QEMU's guest-errors log (NAME.guest-errors, written
 * only for a domain with a <panic> device) is capped the same way, but in
 * place: QEMU writes it at its own offset (not appending), so everything
 * before its last log_max_bytes is freed as a hole and its end, where a
 * panic leaves its line, stays. It never touches any other file.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/falloc.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "qemu-driver.h"

#define LOG_MAX_DEFAULT (1024 * 1024)
#define LOG_MAX_MIN 1024

static unsigned int
log_max(const qemu_driver *drv)
{
    _cleanup_(vp_plugin_conf_freep) vp_plugin_conf *conf = NULL;
    _cleanup_free_ char *path = NULL;
    unsigned int max = LOG_MAX_DEFAULT;
    /* A bad file is reported by the operations that need it (a start);
     * here the default holds (a call that succeeds clears the error). */
    if (qemu_conf_load(drv, &path, &conf) < 0 ||
        vp_plugin_conf_get_uint(conf, "log_max_bytes", LOG_MAX_DEFAULT, &max) < 0)
        return LOG_MAX_DEFAULT;
    return max < LOG_MAX_MIN ? LOG_MAX_MIN : max;
}

/* Free all but the last @max bytes of the guest-errors log. */
static void
cap_guest_errors(const qemu_driver *drv, const char *name)
{
    _cleanup_free_ char *path = qemu_domain_path(drv, name, ".guest-errors");
    struct stat st;
    if (lstat(path, &st) < 0 || !S_ISREG(st.st_mode) || st.st_blocks * 512 <= LOG_MAX_MIN)
        return;
    unsigned int max = log_max(drv);
    if ((unsigned long long)st.st_blocks * 512 <= max)
        return;
    int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return;
    off_t len = st.st_size - (off_t)max;
    if (len > 0 && fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, len) < 0)
        VP_PLUGIN_DEBUG(QEMU_AREA, "domain '%s': cannot free the start of '%s': %s", name, path,
                        strerror(errno));
    close(fd);
}

void
qemu_log_cap(const qemu_driver *drv, const char *name)
{
    cap_guest_errors(drv, name);
    _cleanup_free_ char *path = qemu_domain_path(drv, name, ".log");
    struct stat st;
    if (lstat(path, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size <= LOG_MAX_MIN)
        return;
    unsigned int max = log_max(drv);
    if ((unsigned long long)st.st_size <= max)
        return;
    int fd = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return;
    _cleanup_free_ char *tail = vp_new0(char, max);
    ssize_t n = pread(fd, tail, max, st.st_size - (off_t)max);
    _cleanup_free_ char *old = qemu_domain_path(drv, name, ".log.1");
    if (n > 0 && vp_plugin_file_write_atomic(old, tail, (size_t)n, 0600) == 0 &&
        ftruncate(fd, 0) == 0)
        VP_PLUGIN_DEBUG(QEMU_AREA, "domain '%s': log over %u bytes, kept its end in '%s'", name,
                        max, old);
    close(fd);
}
