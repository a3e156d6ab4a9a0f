/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-snapshot-reverts.c: the overlays reverts made.
 *
 * Owns CONFIG/DOMAIN.snapshots/.reverts, the list of the overlays external
 * reverts (qemu-snapshot-revert.c) created, which is what says the driver
 * made a file: only a listed file is ever removed, never one the user
 * named nor a snapshot's overlay. An overlay is listed before the
 * definition names it; it is removed once nothing reaches it (the sweep,
 * run by each revert and snapshot-delete once done), and what is gone
 * leaves the list. Each step can run again after a kill.
 */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "qemu-json.h"
#include "qemu-snapshot.h"

/* CONFIG/DOMAIN.snapshots/.reverts: the overlays reverts created, one path
 * a line. A revert removes the image a disk ran on only when it is listed
 * here (made by an earlier revert, never a file the user named) and no
 * chain reaches it any more: it holds what the guest wrote since that
 * revert, which this revert discards. */
static char *
reverts_path(const qemu_driver *drv, const char *domain)
{
    return vp_asprintf("%s/%s.snapshots/.reverts", drv->config_dir, domain);
}

/* The list, without the files that are gone. (transfer full) */
static char **
reverts_read(const qemu_driver *drv, const char *domain)
{
    _cleanup_free_ char *path = reverts_path(drv, domain), *text = NULL;
    if (access(path, F_OK) < 0 || vp_plugin_file_read(path, 1 << 20, &text, NULL) < 0)
        return vp_new0(char *, 1);
    size_t n = 0;
    for (const char *p = text; *p; p++)
        n += *p == '\n';
    char **list = vp_new0(char *, n + 2);
    size_t k = 0;
    struct stat st;
    for (char *line = text, *end; *line; line = end + (*end != '\0')) {
        end = line + strcspn(line, "\n");
        char *item = vp_strndup(line, (size_t)(end - line));
        if (item[0] == '/' && lstat(item, &st) == 0)
            list[k++] = item;
        else
            free(item);
    }
    return list;
}

static int
reverts_write(const qemu_driver *drv, const char *domain, char **list)
{
    _cleanup_free_ char *path = reverts_path(drv, domain);
    _cleanup_free_ char *text = vp_strdup("");
    for (char **p = list; *p; p++) {
        char *more = vp_asprintf("%s%s\n", text, *p);
        free(text);
        text = more;
    }
    if (!*text) {
        if (unlink(path) < 0 && errno != ENOENT)
            return vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno, "cannot remove '%s'", path);
        return 0;
    }
    return vp_plugin_file_write_atomic(path, text, strlen(text), 0600);
}

static bool
listed(char **list, const char *path)
{
    for (char **p = list; path && *p; p++)
        if (strcmp(*p, path) == 0)
            return true;
    return false;
}

int
qemu_snapshot_reverts_add(const qemu_driver *drv, const char *domain, json_object *disks)
{
    char **list = reverts_read(drv, domain);
    size_t n = 0;
    while (list[n])
        n++;
    list = vp_renew(char *, list, n + json_object_array_length(disks) + 1);
    for (size_t i = 0; i < json_object_array_length(disks); i++) {
        const char *ov = qemu_json_str(json_object_array_get_idx(disks, i), "overlay");
        list[n] = NULL;
        if (ov && !listed(list, ov))
            list[n++] = vp_strdup(ov);
    }
    list[n] = NULL;
    int r = reverts_write(drv, domain, list);
    vp_strv_free(list);
    return r;
}

/* Whether a file beside @path (in its directory) names it as its backing
 * file: an overlay no record names any more (kept by a metadata-only
 * delete, to be redefined) still needs it. */
static bool
built_on_beside(const char *path)
{
    _cleanup_free_ char *copy = vp_strdup(path);
    const char *dir = dirname(copy); /* inside copy: @path is absolute */
    DIR *d = opendir(dir);
    bool found = false;
    for (struct dirent *e; d && !found && (e = readdir(d));) {
        if (e->d_name[0] == '.' && (!e->d_name[1] || (e->d_name[1] == '.' && !e->d_name[2])))
            continue;
        _cleanup_free_ char *other = vp_asprintf("%s/%s", dir, e->d_name);
        struct stat st;
        found = lstat(other, &st) == 0 && S_ISREG(st.st_mode) &&
                !qemu_snapshot_same_file(other, path) && qemu_snapshot_backed_by(other, path);
    }
    if (d)
        closedir(d);
    return found;
}

/* Remove every image listed in .reverts (made by a revert, never a file
 * the user named) that is a regular file no chain reaches now: no
 * definition, no record, no running QEMU (query-block, where its lock is
 * free; a busy domain keeps the file for a later sweep), no file beside
 * it; each step can run again. */
int
qemu_snapshot_reverts_sweep(qemu_driver *drv, const char *domain)
{
    int r = 0;
    /* Again while a pass removed something: one removed overlay may have
     * been the last file built on another. */
    for (bool again = true; r >= 0 && again;) {
        char **list = reverts_read(drv, domain);
        again = false;
        for (char **p = list; r >= 0 && *p; p++) {
            struct stat st;
            if (lstat(*p, &st) < 0 || !S_ISREG(st.st_mode) || built_on_beside(*p) ||
                qemu_snapshot_file_unreached(drv, domain, "", *p) < 0)
                continue;
            VP_PLUGIN_DEBUG(QEMU_AREA, "domain '%s': removing '%s', which a revert left", domain,
                            *p);
            if (unlink(*p) < 0 && errno != ENOENT)
                r = vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno, "cannot remove '%s'", *p);
            again = true;
        }
        vp_strv_free(list);
    }
    if (r >= 0) {
        char **list;
        /* Read again: what is gone leaves the list. */
        list = reverts_read(drv, domain);
        r = reverts_write(drv, domain, list);
        vp_strv_free(list);
    }
    return r;
}
