/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * hpl-util.c: file and command helpers of the hostpower-linux plugin.
 *
 * Owns how the plugin touches files under sysfs_root (one line read, whole
 * writes opened with O_TRUNC so a fake tree of regular files behaves like
 * sysfs) and how a command's failure is reported (its path, exit status
 * and stderr). It never decides what to write or run.
 */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "hpl.h"

char *
hpl_sys_path(const hpl *hp, const char *rel)
{
    return vp_asprintf("%s%s", hp->sysfs_root, rel);
}

bool
hpl_exists(const char *path)
{
    return access(path, F_OK) == 0;
}

static void
trim_end(char *s)
{
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
}

/* The first line of @path, without its newline. Errors: VP_ERR_SYSTEM. */
int
hpl_read_line(const char *path, char **ret_line)
{
    char *data = NULL;
    int r = vp_plugin_file_read(path, 64 * 1024, &data, NULL);
    if (r < 0)
        return r;
    char *nl = strchr(data, '\n');
    if (nl)
        *nl = '\0';
    trim_end(data);
    *ret_line = data;
    return 0;
}

/* Write @text to an existing file in one write(), as sysfs wants it. */
int
hpl_write_file(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        int e = errno;
        int r = vp_plugin_error_set_errno(VP_ERR_SYSTEM, e, "cannot open '%s' for writing", path);
        errno = e;
        return r;
    }
    size_t len = strlen(text);
    ssize_t n;
    do {
        n = write(fd, text, len);
    } while (n < 0 && errno == EINTR);
    int e = n < 0 ? errno : (size_t)n < len ? EIO : 0;
    if (close(fd) < 0 && e == 0 && errno != EINTR)
        e = errno;
    if (e != 0) {
        _cleanup_free_ char *shown = vp_strdup(text);
        trim_end(shown);
        int r =
            vp_plugin_error_set_errno(VP_ERR_SYSTEM, e, "cannot write '%s' to '%s'", shown, path);
        errno = e;
        return r;
    }
    return 0;
}

/* Whether @word is one of the blank-separated words of @list; a word in
 * [brackets] (the current choice in sysfs lists) counts too. */
bool
hpl_word_in(const char *list, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = list; *p;) {
        while (*p && isspace((unsigned char)*p))
            p++;
        const char *start = p;
        while (*p && !isspace((unsigned char)*p))
            p++;
        size_t len = (size_t)(p - start);
        if (len > 0 && *start == '[' && start[len - 1] == ']') {
            start++;
            len -= 2;
        }
        if (len == n && strncmp(start, word, n) == 0)
            return true;
    }
    return false;
}

/* Run @argv; a non-zero exit is an error naming the command, its status and
 * its stderr. @ret_ran (optional): whether it started at all. */
int
hpl_run(const char *const *argv, int timeout_ms, bool *ret_ran)
{
    int status = 0;
    _cleanup_free_ char *err = NULL;
    int r = vp_plugin_command_run(argv, timeout_ms, &status, NULL, &err);
    if (ret_ran)
        *ret_ran = r >= 0 || r == VP_ERR_TIMEOUT;
    if (r < 0)
        return r;
    if (status == 0)
        return 0;
    trim_end(err);
    return vp_plugin_error_set(VP_ERR_SYSTEM, "'%s' exited with status %d: %s", argv[0], status,
                               *err ? err : "(no error output)");
}
