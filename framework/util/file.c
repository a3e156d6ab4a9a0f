/*
 * util/file.c: the one place that writes state to disk.
 *
 * Every state file (domain definitions, runtime records, the node-suspend
 * outcome) is written here: temporary file in the same directory, fsync,
 * rename over the target, fsync the directory. A crash leaves the old file
 * or the new one. Nothing else in virtplug writes state files.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
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

VP_EXPORT int
vp_plugin_file_write_atomic(const char *path, const void *data, size_t size, unsigned int mode)
{
    if (!path || (!data && size > 0))
        return vp_error_set(VP_ERR_INVALID_ARG, "invalid argument: %s", !path ? "path" : "data");

    _cleanup_free_ char *tmp = vp_asprintf("%s.tmp.XXXXXX", path);
    int fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0)
        return vp_error_set_errno(VP_ERR_SYSTEM, errno, "cannot create a temporary file for '%s'",
                                  path);
    int r = fchmod(fd, (mode_t)mode) < 0 ? -errno : 0;
    if (r == 0)
        r = write_all(fd, data, size);
    if (r == 0 && fsync(fd) < 0)
        r = -errno;
    if (close(fd) < 0 && r == 0)
        r = -errno;
    if (r == 0 && rename(tmp, path) < 0)
        r = -errno;
    if (r < 0) {
        unlink(tmp);
        return vp_error_set_errno(VP_ERR_SYSTEM, -r, "cannot write '%s'", path);
    }
    r = fsync_dir_of(path);
    if (r < 0)
        return vp_error_set_errno(VP_ERR_SYSTEM, -r, "cannot sync the directory of '%s'", path);
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
