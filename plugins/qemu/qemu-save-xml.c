/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-save-xml.c: the XML inside the qemu driver's save images
 * (save-image-dumpxml/-define, managedsave-dumpxml/-define).
 *
 * Owns the crash-safe rewrite of an image with a new XML: the whole new
 * image goes to PATH.vpsave-part (header, XML, the stream copied with
 * copy_file_range), is synced and renamed over the image, so a kill
 * leaves the old image or the new one, and the part file a killed rewrite
 * left is swept by the next look at the image. The core has checked that
 * the new XML keeps the saved machine; the image format is qemu-save.c's.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "qemu-save.h"

/* Remove the part file a killed rewrite or save of image @path left. */
static void
part_sweep(const char *path)
{
    _cleanup_free_ char *part = vp_asprintf("%s%s", path, PART_SUFFIX);
    struct stat st;
    if (lstat(part, &st) == 0 && S_ISREG(st.st_mode)) {
        VP_PLUGIN_DEBUG(QEMU_AREA, "removing '%s', left by a killed save or define", part);
        unlink(part);
    }
}

/* Copy @len bytes from @in at @in_off to @out at @out_off: copy_file_range
 * (a reflink or a copy in the kernel) where it works, else read and write. */
static int
copy_stream(int in, off_t in_off, int out, off_t out_off, uint64_t len, const char *part)
{
    bool kernel = true;
    char buf[65536];
    while (len > 0) {
        size_t chunk = len > (1u << 30) ? (1u << 30) : (size_t)len;
        ssize_t n = -1;
        if (kernel) {
            n = copy_file_range(in, &in_off, out, &out_off, chunk, 0);
            if (n < 0 &&
                (errno == EXDEV || errno == ENOSYS || errno == EINVAL || errno == EOPNOTSUPP)) {
                kernel = false;
                continue;
            }
        } else {
            n = pread(in, buf, chunk < sizeof(buf) ? chunk : sizeof(buf), in_off);
            if (n > 0 && pwrite(out, buf, (size_t)n, out_off) != n)
                n = -1;
            if (n > 0) {
                in_off += n;
                out_off += n;
            }
        }
        if (n <= 0)
            return vp_plugin_error_set_errno(VP_ERR_SYSTEM, n == 0 ? EIO : errno,
                                             "cannot copy the saved state into '%s'", part);
        len -= (uint64_t)n;
    }
    return 0;
}

/* Rewrite image @path with @xml: the whole new image goes to
 * PATH.vpsave-part (header, XML, the stream copied), is synced and renamed
 * over @path, so a kill leaves the old image or the new one. */
static int
image_rewrite(const char *path, const char *xml, unsigned int flags)
{
    part_sweep(path);
    int in = -1;
    image_header h;
    _cleanup_free_ char *old = NULL;
    int r = qemu_save_image_open(path, &in, &h, &old);
    if (r < 0)
        return r;
    image_header nh = {.xml_len = (uint32_t)strlen(xml),
                       .state = qemu_save_restore_paused(flags, &h) ? VP_DOMAIN_PAUSED
                                                                    : VP_DOMAIN_RUNNING,
                       .nonce = h.nonce};
    _cleanup_free_ char *part = vp_asprintf("%s%s", path, PART_SUFFIX);
    int out = open(part, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (out < 0)
        r = vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno, "cannot create '%s'", part);
    if (r >= 0)
        r = qemu_save_write_head(out, part, xml, &nh);
    if (r >= 0)
        qemu_step("save-image-define: new XML written");
    if (r >= 0)
        r = copy_stream(in, IMAGE_HEADER_LEN + (off_t)h.xml_len, out,
                        IMAGE_HEADER_LEN + (off_t)nh.xml_len, h.stream_len, part);
    if (r >= 0)
        qemu_step("save-image-define: stream copied");
    if (r >= 0)
        r = qemu_save_seal(out, part, path, &nh, true);
    if (out >= 0)
        close(out);
    close(in);
    if (r < 0 && out >= 0)
        unlink(part);
    return r;
}

int
qemu_domain_save_image_get_xml(void *priv, const char *path, unsigned int flags, char **ret_xml)
{
    (void)priv;
    if (flags != 0)
        return vp_plugin_error_set(VP_ERR_INVALID_ARG, "unsupported save-image flags 0x%x", flags);
    part_sweep(path);
    int fd = -1;
    image_header h;
    int r = qemu_save_image_open(path, &fd, &h, ret_xml);
    if (r >= 0)
        close(fd);
    return r;
}

int
qemu_domain_save_image_define_xml(void *priv, const char *path, const char *xml, unsigned int flags)
{
    (void)priv;
    return image_rewrite(path, xml, flags);
}

/* Take @name's lock for @op (*@lock, *@rec) and find its managed-save
 * image. */
static int
managed_image(qemu_driver *drv, const char *name, const char *op, int *lock, qemu_record **rec,
              char **ret_path)
{
    int r = qemu_domain_begin(drv, name, op, lock, rec);
    if (r >= 0)
        r = qemu_domain_exists(drv, name);
    if (r < 0)
        return r;
    char *path = qemu_save_managed_path(drv, name);
    if (access(path, F_OK) < 0) {
        free(path);
        return vp_plugin_error_set(VP_ERR_OPERATION_INVALID,
                                   "domain '%s' has no managed save image", name);
    }
    *ret_path = path;
    return 0;
}

int
qemu_domain_managed_save_get_xml(void *priv, const char *name, unsigned int flags, char **ret_xml)
{
    qemu_driver *drv = priv;
    _cleanup_domain_lock_ int lock = -1;
    _cleanup_(qemu_record_freep) qemu_record *rec = NULL;
    _cleanup_free_ char *path = NULL;
    int r = managed_image(drv, name, "managedsave-dumpxml", &lock, &rec, &path);
    return r < 0 ? r : qemu_domain_save_image_get_xml(priv, path, flags, ret_xml);
}

int
qemu_domain_managed_save_define_xml(void *priv, const char *name, const char *xml,
                                    unsigned int flags)
{
    qemu_driver *drv = priv;
    _cleanup_domain_lock_ int lock = -1;
    _cleanup_(qemu_record_freep) qemu_record *rec = NULL;
    _cleanup_free_ char *path = NULL;
    int r = managed_image(drv, name, "managedsave-define", &lock, &rec, &path);
    return r < 0 ? r : image_rewrite(path, xml, flags);
}
