/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-chain.c: qcow2 headers and the backing chains they make, and the
 * sizes of an image (domblkinfo's capacity, allocation and physical).
 *
 * Owns the parsing of a qcow2 header cluster (backing file name, its
 * stated format, the external data file name) and the walk from an image
 * down its backing chain, resolving each name the way QEMU does, so the
 * driver can tell which files an image still needs before it deletes any.
 * It never writes, opens only read-only, reads nothing past an image's
 * first cluster, and never reads from a file that is not a regular file or
 * a block device (a FIFO or a socket in a chain must not block it).
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/fs.h>

#include <virtplug/sdk/services.h>

#include "qemu-chain.h"

#define CHAIN_AREA "qemu"

/* docs/interop/qcow2.txt in QEMU; every number big-endian. */
#define QCOW2_MAGIC 0x514649fbu /* "QFI\xfb" */
#define QCOW2_V2_HEADER_BYTES 72
#define QCOW2_V3_HEADER_MIN_BYTES 104
#define QCOW2_MIN_CLUSTER_BITS 9
#define QCOW2_MAX_CLUSTER_BITS 21 /* QEMU's limit: 2 MiB */
#define QCOW2_BACKING_NAME_MAX 1023
#define QCOW2_BACKING_FORMAT_MAX 15 /* QEMU's backing_format[16] */
#define QCOW2_DATA_FILE_NAME_MAX 4095
#define QCOW2_EXT_END 0x00000000u
#define QCOW2_EXT_BACKING_FORMAT 0xe2792acau
#define QCOW2_EXT_DATA_FILE 0x44415441u
#define QCOW2_INCOMPAT_DATA_FILE (UINT64_C(1) << 2)

/* What the walker needs from one header. */
typedef struct qcow2_header {
    char *backing;        /* NULL: none */
    char *backing_format; /* NULL: not stated (QEMU then probes) */
    char *data_file;      /* NULL: none, or one QEMU does not use */
} qcow2_header;

static void
qcow2_header_clear(qcow2_header *h)
{
    free(h->backing);
    free(h->backing_format);
    free(h->data_file);
}

static uint32_t
be32_at(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static uint64_t
be64_at(const unsigned char *p)
{
    return (uint64_t)be32_at(p) << 32 | be32_at(p + 4);
}

/* A malformed header: named after @file when the walker read it. */
VP_PLUGIN_PRINTF(2, 3)
static int
qcow2_malformed(const char *file, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    _cleanup_free_ char *what = vp_vasprintf(fmt, ap);
    va_end(ap);
    if (file)
        return vp_plugin_error_set(
            VP_ERR_INVALID_ARG,
            "'%s' has a malformed qcow2 header: %s; check it with 'qemu-img check'", file, what);
    return vp_plugin_error_set(VP_ERR_INVALID_ARG, "malformed qcow2 header: %s", what);
}

/* A string of @len bytes at @data + @off: *@ret_str, or an error naming @what. */
static int
qcow2_string(const char *file, const unsigned char *data, uint64_t off, uint32_t len,
             const char *what, char **ret_str)
{
    if (memchr(data + off, '\0', len))
        return qcow2_malformed(file, "the %s contains a NUL byte", what);
    if (*ret_str)
        return qcow2_malformed(file, "the %s appears twice", what);
    *ret_str = vp_strndup((const char *)data + off, len);
    return 0;
}

/* One header extension (@type, @len bytes at @off, inside @size). */
static int
qcow2_parse_extension(const char *file, const unsigned char *data, uint32_t type, uint64_t off,
                      uint32_t len, qcow2_header *h)
{
    switch (type) {
    case QCOW2_EXT_BACKING_FORMAT:
        if (len > QCOW2_BACKING_FORMAT_MAX)
            return qcow2_malformed(
                file, "the backing file format name of %u bytes is longer than %d bytes", len,
                QCOW2_BACKING_FORMAT_MAX);
        return qcow2_string(file, data, off, len, "backing file format name", &h->backing_format);
    case QCOW2_EXT_DATA_FILE:
        if (len == 0)
            return qcow2_malformed(file, "the external data file name is empty");
        if (len > QCOW2_DATA_FILE_NAME_MAX)
            return qcow2_malformed(
                file, "the external data file name of %u bytes is longer than %d bytes", len,
                QCOW2_DATA_FILE_NAME_MAX);
        return qcow2_string(file, data, off, len, "external data file name", &h->data_file);
    default:
        return 0; /* QEMU skips the ones it does not know */
    }
}

/*
 * The header extensions from @start up to @end (the backing name's offset,
 * else the end of the first cluster), as QEMU's qcow2_read_extensions()
 * walks them: an end marker or reaching @end ends them; one that does not
 * fit before @end is an error. Past @size we know nothing: an error too.
 */
static int
qcow2_parse_extensions(const char *file, const unsigned char *data, size_t size, uint64_t start,
                       uint64_t end, qcow2_header *h)
{
    uint64_t off = start;
    while (off < end) {
        if (end - off < 8)
            return qcow2_malformed(
                file, "the header extension at offset %llu does not fit before offset %llu",
                (unsigned long long)off, (unsigned long long)end);
        if (off + 8 > size)
            return qcow2_malformed(
                file, "the header extension at offset %llu lies past the %zu bytes read",
                (unsigned long long)off, size);
        uint32_t type = be32_at(data + off);
        uint32_t len = be32_at(data + off + 4);
        off += 8;
        if (type == QCOW2_EXT_END)
            return 0;
        if (len > end - off)
            return qcow2_malformed(
                file, "header extension 0x%08x of %u bytes does not fit before offset %llu", type,
                len, (unsigned long long)end);
        if (off + len > size)
            return qcow2_malformed(
                file, "header extension 0x%08x at offset %llu runs past the %zu bytes read", type,
                (unsigned long long)off - 8, size);
        int r = qcow2_parse_extension(file, data, type, off, len, h);
        if (r < 0)
            return r;
        off += ((uint64_t)len + 7) & ~(uint64_t)7;
    }
    return 0;
}

/* The backing file name at @off (@len bytes), checked as QEMU checks it. */
static int
qcow2_parse_backing(const char *file, const unsigned char *data, size_t size, uint64_t cluster,
                    uint64_t off, uint32_t len, qcow2_header *h)
{
    if (len > QCOW2_BACKING_NAME_MAX)
        return qcow2_malformed(file, "the backing file name of %u bytes is longer than %d bytes",
                               len, QCOW2_BACKING_NAME_MAX);
    if (len > cluster - off)
        return qcow2_malformed(
            file,
            "the backing file name at %llu (%u bytes) runs past the first cluster (%llu bytes)",
            (unsigned long long)off, len, (unsigned long long)cluster);
    if (off + len > size)
        return qcow2_malformed(
            file, "the backing file name at offset %llu (%u bytes) runs past the %zu bytes read",
            (unsigned long long)off, len, size);
    if (len == 0)
        return 0; /* QEMU: an empty name is no backing file */
    return qcow2_string(file, data, off, len, "backing file name", &h->backing);
}

/*
 * Parse the first @size bytes of a file: 1 and *@h filled when it is qcow2
 * (version 2 or 3), 0 when it is not, or an error (messages name @file,
 * when given). *@h may be partly filled on error: clear it in any case.
 */
static int
qcow2_parse(const char *file, const unsigned char *data, size_t size, qcow2_header *h)
{
    if (size < 4 || be32_at(data) != QCOW2_MAGIC)
        return 0;
    if (size < 24)
        return qcow2_malformed(file, "the header is truncated to %zu bytes", size);
    uint32_t version = be32_at(data + 4);
    if (version < 2)
        return 0; /* qcow (version 1) is another format */
    if (version > 3)
        return qcow2_malformed(file, "version %u is not supported (only 2 and 3)", version);
    uint32_t cluster_bits = be32_at(data + 20);
    if (cluster_bits < QCOW2_MIN_CLUSTER_BITS || cluster_bits > QCOW2_MAX_CLUSTER_BITS)
        return qcow2_malformed(file, "the cluster size 2^%u is outside 2^%d..2^%d", cluster_bits,
                               QCOW2_MIN_CLUSTER_BITS, QCOW2_MAX_CLUSTER_BITS);
    uint64_t cluster = UINT64_C(1) << cluster_bits;
    size_t fixed = version == 2 ? QCOW2_V2_HEADER_BYTES : QCOW2_V3_HEADER_MIN_BYTES;
    if (size < fixed)
        return qcow2_malformed(file, "the version %u header is truncated to %zu of %zu bytes",
                               version, size, fixed);
    uint64_t header_bytes = QCOW2_V2_HEADER_BYTES;
    uint64_t incompatible = 0;
    if (version == 3) {
        incompatible = be64_at(data + 72);
        header_bytes = be32_at(data + 100);
        if (header_bytes < QCOW2_V3_HEADER_MIN_BYTES)
            return qcow2_malformed(file, "the header length %llu is below %d bytes",
                                   (unsigned long long)header_bytes, QCOW2_V3_HEADER_MIN_BYTES);
        if (header_bytes > cluster)
            return qcow2_malformed(file, "the header length %llu exceeds the cluster size %llu",
                                   (unsigned long long)header_bytes, (unsigned long long)cluster);
    }
    uint64_t backing_off = be64_at(data + 8);
    uint32_t backing_len = be32_at(data + 16);
    if (backing_off > cluster)
        return qcow2_malformed(
            file, "the backing file name offset %llu lies past the first cluster (%llu bytes)",
            (unsigned long long)backing_off, (unsigned long long)cluster);
    int r = qcow2_parse_extensions(file, data, size, header_bytes,
                                   backing_off ? backing_off : cluster, h);
    if (r < 0)
        return r;
    if (!(incompatible & QCOW2_INCOMPAT_DATA_FILE)) {
        free(h->data_file); /* QEMU ignores the name without the feature bit */
        h->data_file = NULL;
    }
    if (backing_off) {
        r = qcow2_parse_backing(file, data, size, cluster, backing_off, backing_len, h);
        if (r < 0)
            return r;
    }
    return 1;
}

int
qemu_chain_parse_qcow2_backing(const unsigned char *data, size_t size, char **ret_backing)
{
    if ((!data && size > 0) || !ret_backing)
        return vp_plugin_error_set(VP_ERR_INVALID_ARG,
                                   "qemu_chain_parse_qcow2_backing: no data or no result pointer");
    _cleanup_(qcow2_header_clear) qcow2_header h = {0};
    int r = qcow2_parse(NULL, data, size, &h);
    if (r <= 0 || !h.backing)
        return r < 0 ? r : 0;
    *ret_backing = VP_STEAL_PTR(h.backing);
    return 1;
}

int
qemu_chain_parse_qcow2_backing_format(const unsigned char *data, size_t size, char **ret_format)
{
    if ((!data && size > 0) || !ret_format)
        return vp_plugin_error_set(
            VP_ERR_INVALID_ARG,
            "qemu_chain_parse_qcow2_backing_format: no data or no result pointer");
    _cleanup_(qcow2_header_clear) qcow2_header h = {0};
    int r = qcow2_parse(NULL, data, size, &h);
    if (r <= 0 || !h.backing || !h.backing_format)
        return r < 0 ? r : 0;
    *ret_format = VP_STEAL_PTR(h.backing_format);
    return 1;
}

int
qemu_chain_parse_qcow2_data_file(const unsigned char *data, size_t size, char **ret_data_file)
{
    if ((!data && size > 0) || !ret_data_file)
        return vp_plugin_error_set(
            VP_ERR_INVALID_ARG, "qemu_chain_parse_qcow2_data_file: no data or no result pointer");
    _cleanup_(qcow2_header_clear) qcow2_header h = {0};
    int r = qcow2_parse(NULL, data, size, &h);
    if (r <= 0 || !h.data_file)
        return r < 0 ? r : 0;
    *ret_data_file = VP_STEAL_PTR(h.data_file);
    return 1;
}

/* ---- Sizes ----------------------------------------------------------- */

int
qemu_chain_image_sizes(const char *path, const char *format, qemu_image_sizes *ret_sizes)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0)
        return -errno;
    struct stat st;
    qemu_image_sizes z = {0};
    int r = fstat(fd, &st) < 0 ? -errno : 0;
    if (r == 0 && S_ISREG(st.st_mode)) {
        z.physical = (uint64_t)st.st_size;
        z.allocation = (uint64_t)st.st_blocks * 512; /* what du counts, as qemu-img's disk size */
    } else if (r == 0 && S_ISBLK(st.st_mode)) {
        r = ioctl(fd, BLKGETSIZE64, &z.physical) < 0 ? -errno : 0;
        z.allocation = z.physical;
    } else if (r == 0) {
        r = -EINVAL; /* a FIFO or a socket has no size */
    }
    z.capacity = z.physical;
    unsigned char head[32];
    /* A qcow2 image states its virtual size at byte 24; raw is its size. */
    if (r == 0 && (!format || strcmp(format, "raw") != 0) &&
        pread(fd, head, sizeof(head), 0) == (ssize_t)sizeof(head) && be32_at(head) == QCOW2_MAGIC &&
        be32_at(head + 4) >= 2)
        z.capacity = be64_at(head + 24);
    close(fd);
    if (r == 0)
        *ret_sizes = z;
    return r;
}

/* ---- The walk -------------------------------------------------------- */

void
qemu_chain_free(qemu_chain *chain)
{
    if (!chain)
        return;
    for (size_t i = 0; i < chain->n; i++)
        free(chain->links[i].path);
    free(chain->links);
    free(chain->unresolved);
    free(chain);
}

bool
qemu_chain_reaches(const qemu_chain *chain, dev_t dev, ino_t ino)
{
    if (!chain)
        return false;
    for (size_t i = 0; i < chain->n; i++) {
        const qemu_chain_link *l = &chain->links[i];
        if (l->exists && l->dev == dev && l->ino == ino)
            return true;
    }
    return false;
}

/* The walk in progress. */
typedef struct chain_walk {
    const char *top;
    qemu_chain *chain;
    size_t *images; /* indexes in chain->links of the images whose header was read */
    size_t n_images;
    char *next;        /* the next image's path, NULL: the walk is over */
    char *next_format; /* the format its parent states for it, NULL: none */
} chain_walk;

static void
chain_walk_clear(chain_walk *w)
{
    qemu_chain_free(w->chain);
    free(w->images);
    free(w->next);
    free(w->next_format);
}

/*
 * The file QEMU opens for @name, found in the header of @image (QEMU's
 * bdrv_get_full_backing_filename_from_filename and path_combine): 1 and
 * *@ret_path, or 0 for a name the walker cannot follow: "json:{...}", a
 * protocol ("nbd://", "ssh:", anything before the first '/' ending in
 * ':'), or "file:" with a relative path (relative to QEMU's own working
 * directory). A relative name is taken from the image's directory as the
 * image was named, without resolving symlinks or "..".
 */
static int
chain_resolve(const char *image, const char *name, char **ret_path)
{
    if (name[0] == '/') {
        *ret_path = vp_strdup(name);
        return 1;
    }
    size_t prefix = strcspn(name, ":/");
    if (name[prefix] == ':') {
        if (prefix == 4 && strncmp(name, "file", 4) == 0 && name[5] == '/') {
            *ret_path = vp_strdup(name + 5);
            return 1;
        }
        return 0;
    }
    const char *slash = strrchr(image, '/');
    *ret_path = vp_asprintf("%.*s%s", (int)(slash - image + 1), image, name);
    return 1;
}

/* Append a link for @path (transfer full) with what stat() says of it:
 * a missing file is a link that does not exist, not an error. */
static int
chain_add(qemu_chain *chain, char *path, struct stat *ret_st)
{
    chain->links = vp_renew(qemu_chain_link, chain->links, chain->n + 1);
    qemu_chain_link *link = &chain->links[chain->n++];
    *link = (qemu_chain_link){.path = path};
    if (stat(path, ret_st) < 0) {
        if (errno == ENOENT)
            return 0;
        return vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno,
                                         "cannot look at '%s' in the backing chain", path);
    }
    link->exists = true;
    link->dev = ret_st->st_dev;
    link->ino = ret_st->st_ino;
    return 0;
}

static bool
chain_readable_type(mode_t mode)
{
    return S_ISREG(mode) || S_ISBLK(mode);
}

static ssize_t
pread_full(int fd, unsigned char *buf, size_t size)
{
    size_t got = 0;
    while (got < size) {
        ssize_t r = pread(fd, buf + got, size - got, (off_t)got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -1;
        if (r == 0)
            break;
        got += (size_t)r;
    }
    return (ssize_t)got;
}

/*
 * The first cluster of @fd (@path), zero-filled past the end of the file
 * as QEMU reads it, or the few bytes that show it is not qcow2.
 * @ret_data: (transfer full) free().
 */
static int
chain_read_header(int fd, const char *path, unsigned char **ret_data, size_t *ret_size)
{
    unsigned char head[24];
    ssize_t n = pread_full(fd, head, sizeof(head));
    if (n < 0)
        return vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno,
                                         "cannot read '%s' in the backing chain", path);
    size_t size = (size_t)n;
    if (size == sizeof(head) && be32_at(head) == QCOW2_MAGIC) {
        uint32_t bits = be32_at(head + 20);
        if (bits >= QCOW2_MIN_CLUSTER_BITS && bits <= QCOW2_MAX_CLUSTER_BITS)
            size = (size_t)1 << bits;
    }
    _cleanup_free_ unsigned char *data = vp_new0(unsigned char, size);
    memcpy(data, head, (size_t)n);
    if (size > (size_t)n && pread_full(fd, data, size) < 0)
        return vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno,
                                         "cannot read '%s' in the backing chain", path);
    *ret_data = VP_STEAL_PTR(data);
    *ret_size = size;
    return 0;
}

/* Open @link's file for its header, unless it is not one to read: 1 and
 * *@ret_fd, 0 (the walk stops there), or an error naming the file. */
static int
chain_open(qemu_chain_link *link, const struct stat *st, int *ret_fd)
{
    if (!link->exists || !chain_readable_type(st->st_mode))
        return 0;
    int fd = open(link->path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0 && errno == ENOENT) {
        link->exists = false; /* removed since stat() */
        return 0;
    }
    if (fd < 0)
        return vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno,
                                         "cannot open '%s' in the backing chain", link->path);
    struct stat fst;
    if (fstat(fd, &fst) < 0) {
        int e = errno;
        close(fd);
        return vp_plugin_error_set_errno(VP_ERR_SYSTEM, e,
                                         "cannot look at '%s' in the backing chain", link->path);
    }
    /* What was opened is what counts, should the name have moved since stat(). */
    link->dev = fst.st_dev;
    link->ino = fst.st_ino;
    if (!chain_readable_type(fst.st_mode)) {
        close(fd);
        return 0;
    }
    *ret_fd = fd;
    return 1;
}

/* Refuse an image already read earlier in the walk: QEMU would refuse it. */
static int
chain_check_loop(const chain_walk *w, size_t index)
{
    const qemu_chain_link *link = &w->chain->links[index];
    for (size_t i = 0; i < w->n_images; i++) {
        const qemu_chain_link *seen = &w->chain->links[w->images[i]];
        if (seen->dev == link->dev && seen->ino == link->ino) {
            const char *parent = w->chain->links[w->images[w->n_images - 1]].path;
            return vp_plugin_error_set(
                VP_ERR_OPERATION_INVALID,
                "the backing chain of '%s' loops: '%s' names '%s', which is already in the chain; fix it with 'qemu-img rebase -u'",
                w->top, parent, link->path);
        }
    }
    return 0;
}

/* Follow a name found in @image's header: 1 and *@ret_path, or 0 after
 * recording it as the name the walk stops at. */
static int
chain_follow(chain_walk *w, const char *image, char **name, char **ret_path)
{
    if (chain_resolve(image, *name, ret_path))
        return 1;
    VP_PLUGIN_DEBUG(CHAIN_AREA, "backing chain of '%s' stops at '%s'", w->top, *name);
    w->chain->unresolved = VP_STEAL_PTR(*name);
    return 0;
}

/* What @h says beyond the image at links[@index]: its data file, then
 * where the walk goes next. */
static int
chain_take_header(chain_walk *w, size_t index, qcow2_header *h)
{
    _cleanup_free_ char *image = vp_strdup(w->chain->links[index].path);
    if (h->data_file) {
        char *data_path = NULL;
        if (!chain_follow(w, image, &h->data_file, &data_path))
            return 0;
        struct stat st;
        int r = chain_add(w->chain, data_path, &st);
        if (r < 0)
            return r;
    }
    if (h->backing && chain_follow(w, image, &h->backing, &w->next))
        w->next_format = VP_STEAL_PTR(h->backing_format);
    return 0;
}

/* One image: record it, and read its header when it is one to read. */
static int
chain_step(chain_walk *w)
{
    _cleanup_free_ char *format = VP_STEAL_PTR(w->next_format);
    struct stat st;
    int r = chain_add(w->chain, VP_STEAL_PTR(w->next), &st);
    if (r < 0)
        return r;
    size_t index = w->chain->n - 1;
    qemu_chain_link *link = &w->chain->links[index];
    VP_PLUGIN_DEBUG(CHAIN_AREA, "backing chain of '%s': '%s'%s", w->top, link->path,
                    link->exists ? "" : " (missing)");
    /* A backing file stated to be raw (or anything but qcow2) is data, not a header. */
    if (format && strcmp(format, "qcow2") != 0)
        return 0;
    int fd = -1;
    r = chain_open(link, &st, &fd);
    if (r <= 0)
        return r;
    _cleanup_free_ unsigned char *data = NULL;
    size_t size = 0;
    r = chain_read_header(fd, link->path, &data, &size);
    close(fd);
    if (r < 0)
        return r;
    r = chain_check_loop(w, index);
    if (r < 0)
        return r;
    _cleanup_(qcow2_header_clear) qcow2_header h = {0};
    r = qcow2_parse(link->path, data, size, &h);
    if (r <= 0)
        return r;
    w->images = vp_renew(size_t, w->images, w->n_images + 1);
    w->images[w->n_images++] = index;
    return chain_take_header(w, index, &h);
}

int
qemu_chain_walk(const char *path, qemu_chain **ret_chain)
{
    if (!path || path[0] != '/' || !ret_chain)
        return vp_plugin_error_set(
            VP_ERR_INVALID_ARG,
            "the image whose backing chain to walk must be an absolute path, not '%s'",
            path ? path : "(null)");
    _cleanup_(chain_walk_clear) chain_walk w = {
        .top = path,
        .chain = vp_new0(qemu_chain, 1),
        .next = vp_strdup(path),
    };
    for (size_t depth = 1; w.next; depth++) {
        if (depth > QEMU_CHAIN_MAX_DEPTH)
            return vp_plugin_error_set(
                VP_ERR_OPERATION_INVALID,
                "the backing chain of '%s' is deeper than %d images: '%s' still names '%s' as its backing file",
                path, QEMU_CHAIN_MAX_DEPTH, w.chain->links[w.chain->n - 1].path, w.next);
        int r = chain_step(&w);
        if (r < 0)
            return r;
    }
    *ret_chain = VP_STEAL_PTR(w.chain);
    return 0;
}
