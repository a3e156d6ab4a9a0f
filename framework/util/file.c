/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * util/file.c: the one place that writes state to disk, and the reader
 * of whole files.
 *
 * Every state file (domain definitions, runtime records, the node-suspend
 * outcome) is written here: temporary file in the same directory, fsync,
 * rename over the target, fsync the directory. A crash leaves the old file
 * or the new one. Nothing else in virtplug writes state files. The
 * temporary file of TARGET is named "TARGET.tmp.PID.XXXXXX" (the writer's
 * pid, six random letters or digits) and its writer holds an exclusive
 * flock() on it from creation to rename. A writer that dies leaves it
 * behind, so every write of TARGET first removes the stale temporary files
 * of that same TARGET: a name of exactly that shape, a regular file (never
 * a symlink) owned by the caller, whose pid is not a live process (a
 * reused pid keeps the file, it is not ours to judge) and which nobody
 * holds a lock on (a live writer in another pid namespace, or a fork of
 * it, keeps it). Anything else in the directory, including the temporary
 * files of other targets and names of any other shape, is never touched.
 * A writer that finds its new temporary file unlinked before it took its
 * lock starts again with another name. The reader of the files a user
 * names (vp_plugin_file_read_regular: vpsh define FILE, test:///PATH,
 * hostpower.conf) refuses anything but a regular file before reading a
 * byte, so a FIFO or a device cannot block a caller or be read by mistake;
 * vp_plugin_file_read, for the files virtplug and its plugins name
 * themselves (sysfs, records), reads what it is given.
 */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

static int
write_all(int fd, const char *data, size_t size)
{
    while (size > 0) {
        ssize_t n = write(fd, data, size);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        data += n;
        size -= (size_t)n;
    }
    return 0;
}

static int
fsync_dir_of(const char *path)
{
    _cleanup_free_ char *copy = vp_strdup(path);
    int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    int r = fsync(fd) < 0 ? -errno : 0;
    close(fd);
    return r;
}

/* ---- Stale temporary files ------------------------------------------ */

/* How many random characters mkostemp() puts in place of "XXXXXX". */
#define TMP_RANDOM_LEN 6
/* Attempts at a temporary file that a cleaner elsewhere keeps removing. */
#define TMP_CREATE_ATTEMPTS 8

static bool
is_ascii_alnum(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Whether @name is "@base.tmp.PID.XXXXXX", the temporary file of a write
 * of @base; its PID into @ret_pid. */
static bool
tmp_name_parse(const char *name, const char *base, pid_t *ret_pid)
{
    size_t base_len = strlen(base);
    if (strncmp(name, base, base_len) != 0 || strncmp(name + base_len, ".tmp.", 5) != 0)
        return false;
    const char *p = name + base_len + 5;
    if (*p < '1' || *p > '9')
        return false;
    long long pid = 0;
    for (; *p >= '0' && *p <= '9'; p++) {
        pid = pid * 10 + (*p - '0');
        if (pid > INT_MAX)
            return false;
    }
    if (*p++ != '.')
        return false;
    size_t n = 0;
    while (is_ascii_alnum(p[n]))
        n++;
    if (n != TMP_RANDOM_LEN || p[n] != '\0')
        return false;
    *ret_pid = (pid_t)pid;
    return true;
}

/* A pid another user runs answers EPERM: alive too. */
static bool
pid_is_alive(pid_t pid)
{
    return kill(pid, 0) == 0 || errno != ESRCH;
}

/* Remove the temporary file @name in @dir_fd, written by @pid, if it is a
 * regular file of ours that no live writer holds (the header's rule). */
static void
tmp_remove_if_stale(int dir_fd, const char *name, pid_t pid)
{
    struct stat st, locked;
    if (pid_is_alive(pid))
        return;
    if (fstatat(dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode) ||
        st.st_uid != geteuid())
        return;
    int fd = openat(dir_fd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return;
    /* Locked, and still the file of that name: no writer can create it
     * again under the same pid and random part while it exists. */
    if (fstat(fd, &locked) == 0 && locked.st_dev == st.st_dev && locked.st_ino == st.st_ino &&
        flock(fd, LOCK_EX | LOCK_NB) == 0 && fstatat(dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
        st.st_dev == locked.st_dev && st.st_ino == locked.st_ino && unlinkat(dir_fd, name, 0) == 0)
        VP_DEBUG("file", "removed '%s', left by writer %ld that is gone", name, (long)pid);
    close(fd);
}

/* Best effort: a directory that cannot be read only keeps its stale files. */
static void
tmp_remove_stale(const char *path)
{
    _cleanup_free_ char *dir_copy = vp_strdup(path);
    _cleanup_free_ char *base_copy = vp_strdup(path);
    const char *base = basename(base_copy);
    DIR *d = opendir(dirname(dir_copy));
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        pid_t pid;
        if (tmp_name_parse(e->d_name, base, &pid))
            tmp_remove_if_stale(dirfd(d), e->d_name, pid);
    }
    closedir(d);
}

/* Create the temporary file of @path and take the writer's lock on it.
 * A cleaner that cannot see this pid (another pid namespace) may remove
 * the file before the lock is taken: then it has no link left, and a new
 * name is tried. Returns 0 or -errno. */
static int
tmp_create(const char *path, char **ret_tmp, int *ret_fd)
{
    for (int attempt = 0; attempt < TMP_CREATE_ATTEMPTS; attempt++) {
        char *tmp = vp_asprintf("%s.tmp.%ld.XXXXXX", path, (long)getpid());
        int fd = mkostemp(tmp, O_CLOEXEC);
        if (fd < 0) {
            int e = errno;
            free(tmp);
            return -e;
        }
        /* A file system without locks cannot lock for the cleaner either,
         * which then leaves every temporary file alone. */
        while (flock(fd, LOCK_EX) < 0 && errno == EINTR)
            ;
        struct stat st;
        if (fstat(fd, &st) == 0 && st.st_nlink > 0) {
            *ret_tmp = tmp;
            *ret_fd = fd;
            return 0;
        }
        close(fd);
        free(tmp);
    }
    return -EAGAIN;
}

/* ---- Writing and reading --------------------------------------------- */

VP_EXPORT int
vp_plugin_file_write_atomic(const char *path, const void *data, size_t size, unsigned int mode)
{
    if (!path || (!data && size > 0))
        return vp_error_set(VP_ERR_INVALID_ARG, "invalid argument: %s", !path ? "path" : "data");

    /* First, so the space stale files hold is free for this write. */
    tmp_remove_stale(path);
    _cleanup_free_ char *tmp = NULL;
    int fd = -1;
    int r = tmp_create(path, &tmp, &fd);
    if (r < 0)
        return vp_error_set_errno(VP_ERR_SYSTEM, -r, "cannot create a temporary file for '%s'",
                                  path);
    r = fchmod(fd, (mode_t)mode) < 0 ? -errno : 0;
    if (r == 0)
        r = write_all(fd, data, size);
    if (r == 0 && fsync(fd) < 0)
        r = -errno;
    /* The writer's lock is held until the file has its final name; after
     * a successful fsync() close() has nothing left to report. */
    if (r == 0 && rename(tmp, path) < 0)
        r = -errno;
    if (r < 0)
        unlink(tmp);
    close(fd);
    if (r < 0)
        return vp_error_set_errno(VP_ERR_SYSTEM, -r, "cannot write '%s'", path);
    r = fsync_dir_of(path);
    if (r < 0)
        return vp_error_set_errno(VP_ERR_SYSTEM, -r, "cannot sync the directory of '%s'", path);
    return 0;
}

const char *
vpi_file_kind(mode_t mode)
{
    if (S_ISLNK(mode))
        return "a symbolic link";
    if (S_ISFIFO(mode))
        return "a FIFO";
    if (S_ISDIR(mode))
        return "a directory";
    if (S_ISSOCK(mode))
        return "a socket";
    if (S_ISCHR(mode) || S_ISBLK(mode))
        return "a device";
    return "not a regular file";
}

static int
not_regular(const char *path, mode_t mode)
{
    return vp_error_set(VP_ERR_INVALID_ARG, "'%s' is not a regular file (it is %s)", path,
                        vpi_file_kind(mode));
}

/* Open @path for reading if it is a regular file. stat() first, so a
 * device is never opened (opening some has effects); O_NONBLOCK, so a
 * FIFO swapped in after stat() cannot block open(); fstat() then checks
 * what was opened. */
static int
open_regular(const char *path, int *ret_fd)
{
    struct stat st;
    if (stat(path, &st) < 0)
        return vp_error_set_errno(VP_ERR_SYSTEM, errno, "cannot open '%s'", path);
    if (!S_ISREG(st.st_mode))
        return not_regular(path, st.st_mode);
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0)
        return vp_error_set_errno(VP_ERR_SYSTEM, errno, "cannot open '%s'", path);
    int flags;
    if (fstat(fd, &st) < 0 || (flags = fcntl(fd, F_GETFL)) < 0 ||
        fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0) {
        int e = errno;
        close(fd);
        return vp_error_set_errno(VP_ERR_SYSTEM, e, "cannot open '%s'", path);
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return not_regular(path, st.st_mode);
    }
    *ret_fd = fd;
    return 0;
}

/* Read all of @fd, which is @path, and close it. */
static int
read_all(int fd, const char *path, size_t max_bytes, char **ret_data, size_t *ret_size)
{
    size_t cap = 4096, len = 0;
    char *buf = vp_new0(char, cap);
    for (;;) {
        if (len + 1 >= cap) {
            cap *= 2;
            buf = vp_renew(char, buf, cap);
        }
        ssize_t n = read(fd, buf + len, cap - len - 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int e = errno;
            close(fd);
            free(buf);
            return vp_error_set_errno(VP_ERR_SYSTEM, e, "cannot read '%s'", path);
        }
        if (n == 0)
            break;
        len += (size_t)n;
        if (len > max_bytes) {
            close(fd);
            free(buf);
            return vp_error_set(VP_ERR_INVALID_ARG, "file '%s' is larger than %zu bytes", path,
                                max_bytes);
        }
    }
    close(fd);
    buf[len] = '\0';
    *ret_data = buf;
    if (ret_size)
        *ret_size = len;
    return 0;
}

VP_EXPORT int
vp_plugin_file_read(const char *path, size_t max_bytes, char **ret_data, size_t *ret_size)
{
    if (!path || !ret_data)
        return vp_error_set(VP_ERR_INVALID_ARG, "invalid argument: %s",
                            !path ? "path" : "ret_data");
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return vp_error_set_errno(VP_ERR_SYSTEM, errno, "cannot open '%s'", path);
    return read_all(fd, path, max_bytes, ret_data, ret_size);
}

VP_EXPORT int
vp_plugin_file_read_regular(const char *path, size_t max_bytes, char **ret_data, size_t *ret_size)
{
    if (!path || !ret_data)
        return vp_error_set(VP_ERR_INVALID_ARG, "invalid argument: %s",
                            !path ? "path" : "ret_data");
    int fd = -1;
    int r = open_regular(path, &fd);
    if (r < 0)
        return r;
    return read_all(fd, path, max_bytes, ret_data, ret_size);
}

VP_EXPORT int
vp_plugin_mkdir_p(const char *path, unsigned int mode)
{
    if (!path || !*path)
        return vp_error_set(VP_ERR_INVALID_ARG, "invalid argument: %s", "path");
    _cleanup_free_ char *p = vp_strdup(path);
    for (char *s = p + 1;; s++) {
        if (*s != '/' && *s != '\0')
            continue;
        char c = *s;
        *s = '\0';
        if (mkdir(p, (mode_t)mode) < 0 && errno != EEXIST)
            return vp_error_set_errno(VP_ERR_SYSTEM, errno, "cannot create directory '%s'", p);
        *s = c;
        if (c == '\0')
            break;
    }
    struct stat st;
    if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode))
        return vp_error_set(VP_ERR_SYSTEM, "'%s' exists and is not a directory", path);
    return 0;
}
