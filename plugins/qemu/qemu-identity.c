/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-identity.c: domain UUIDs and IDs.
 *
 * Owns RUNTIME/.last-id (the last ID handed out by this driver instance,
 * libvirt's per-driver counter, kept on disk because there is no daemon:
 * every process that starts a domain counts on from it) and the identity
 * slots: UUID of a name, name of a UUID or an ID, ID of a name. The ID of
 * a running domain lives in its runtime record (qemu-domain.c). The UUID is
 * read from the <uuid> line of CONFIG/NAME.xml, which only this driver
 * writes (through the core's formatter), so answering it needs no XML
 * parser.
 *
 * Owns CONFIG/.generation too: one counter, mapped shared by every
 * process of the driver on the same directories, that moves before any of
 * them writes or removes a definition (conn_get_generation). The core asks
 * for the UUID again only when it moved since a handle was last checked,
 * so a call through a handle costs a memory read, not a file read. The
 * move comes first: a name can take another UUID only through a define
 * begun after the old definition was gone, so after any reader read the
 * old UUID, and a kill after the move costs one needless check, never a
 * missed one.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "qemu-driver.h"

#define QEMU_ID_FILE ".last-id"
#define QEMU_ID_LOCK ".last-id.lock"
#define QEMU_GENERATION_FILE ".generation"
/* How much of a definition's head is read for its <uuid>. */
#define UUID_HEAD_BYTES 1024

/* ---- UUIDs ------------------------------------------------------------- */

/* The <uuid> of the definition text @xml, without parsing it: the driver's
 * files come from the core's formatter, which writes one "<uuid>" element. */
static int
uuid_from_text(const char *xml, unsigned char ret_uuid[16])
{
    const char *p = strstr(xml, "<uuid>");
    if (!p || strlen(p + 6) < 36 || strncmp(p + 6 + 36, "</uuid>", 7) != 0)
        return -1;
    char text[37];
    memcpy(text, p + 6, 36);
    text[36] = '\0';
    return vp_plugin_uuid_parse(text, ret_uuid) < 0 ? -1 : 0;
}

int
qemu_domain_read_uuid(const qemu_driver *drv, const char *name, unsigned char ret_uuid[16])
{
    if (!qemu_domain_name_valid(name))
        return vp_plugin_error_set(VP_ERR_NO_DOMAIN, "no domain named '%s'", name);
    _cleanup_free_ char *path = qemu_domain_path(drv, name, ".xml");
    /* The formatter writes <uuid> right after <name>: the head of the file
     * has it, in one read (the core asks often: lists, handles). */
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT)
        return vp_plugin_error_set(VP_ERR_NO_DOMAIN, "no domain named '%s'", name);
    if (fd >= 0) {
        char head[UUID_HEAD_BYTES + 1];
        ssize_t got = read(fd, head, UUID_HEAD_BYTES);
        close(fd);
        if (got > 0) {
            head[got] = '\0';
            if (uuid_from_text(head, ret_uuid) == 0)
                return 0;
        }
    }
    _cleanup_free_ char *xml = NULL;
    int r = vp_plugin_file_read(path, 1024 * 1024, &xml, NULL);
    if (r == VP_ERR_SYSTEM && access(path, F_OK) < 0)
        return vp_plugin_error_set(VP_ERR_NO_DOMAIN, "no domain named '%s'", name);
    if (r < 0)
        return r;
    if (uuid_from_text(xml, ret_uuid) == 0)
        return 0;
    /* A file written by hand: the parser knows every spelling. */
    vp_domain_def *def = NULL;
    r = vp_plugin_domain_def_parse(xml, 0, &def);
    if (r < 0)
        return r;
    memcpy(ret_uuid, def->uuid, 16);
    vp_plugin_domain_def_free(def);
    return 0;
}

/* ---- the generation of definitions -------------------------------------- */

void
qemu_generation_open(qemu_driver *drv)
{
    /* Beside the definitions it counts, not in the runtime directory: a
     * runtime directory removed by hand while processes have the old file
     * mapped would split them between two counters. */
    _cleanup_free_ char *path = vp_asprintf("%s/%s", drv->config_dir, QEMU_GENERATION_FILE);
    bool rw = true;
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        rw = false;
        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    }
    if (fd < 0) {
        VP_PLUGIN_DEBUG(QEMU_AREA, "no generation file '%s': %s; handles are checked at each call",
                        path, strerror(errno));
        return;
    }
    /* Two processes that make the file at once both grow it to the same
     * size: the second ftruncate() changes nothing. */
    struct stat st;
    size_t size = sizeof(uint64_t);
    if (fstat(fd, &st) < 0 ||
        ((size_t)st.st_size < size && (!rw || ftruncate(fd, (off_t)size) < 0))) {
        close(fd);
        return;
    }
    void *map = mmap(NULL, size, rw ? PROT_READ | PROT_WRITE : PROT_READ, MAP_SHARED, fd, 0);
    close(fd);
    if (map == MAP_FAILED)
        return;
    drv->generation = map;
    drv->generation_rw = rw;
}

void
qemu_generation_close(qemu_driver *drv)
{
    if (drv->generation)
        munmap(drv->generation, sizeof(uint64_t));
    drv->generation = NULL;
}

void
qemu_generation_bump(const qemu_driver *drv)
{
    if (drv->generation && drv->generation_rw)
        __atomic_add_fetch(drv->generation, 1, __ATOMIC_SEQ_CST);
}

uint64_t
qemu_conn_get_generation(void *priv)
{
    const qemu_driver *drv = priv;
    if (!drv->generation)
        return 0; /* check every call */
    /* 0 means "check every call" to the core, and the highest value is
     * another promise: the counter maps past both. */
    uint64_t g = __atomic_load_n(drv->generation, __ATOMIC_SEQ_CST);
    return g % (UINT64_MAX - 1) + 1;
}

/* ---- IDs ------------------------------------------------------------------ */

/* The highest ID a record of this driver holds: where the counter goes on
 * when its file was lost (a runtime directory cleaned by hand). */
static int
highest_recorded_id(const qemu_driver *drv)
{
    char **names = NULL;
    int n = qemu_domain_list_names(drv, &names), top = 0;
    for (int i = 0; i < n; i++) {
        _cleanup_(qemu_record_freep) qemu_record *rec = NULL;
        if (qemu_domain_peek_record(drv, names[i], &rec) == 0 && rec->active && rec->id > top)
            top = rec->id;
    }
    vp_strv_free(names);
    return top;
}

int
qemu_id_allocate(const qemu_driver *drv, int *ret_id)
{
    _cleanup_free_ char *lock_path = vp_asprintf("%s/%s", drv->runtime_dir, QEMU_ID_LOCK);
    _cleanup_free_ char *path = vp_asprintf("%s/%s", drv->runtime_dir, QEMU_ID_FILE);
    int fd = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0)
        return vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno, "cannot open '%s'", lock_path);
    /* Held for a read and a small write: waiting on it cannot hang. */
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
    while (fcntl(fd, F_OFD_SETLKW, &fl) < 0) {
        if (errno != EINTR) {
            int e = errno;
            close(fd);
            return vp_plugin_error_set_errno(VP_ERR_SYSTEM, e, "cannot lock '%s'", lock_path);
        }
    }
    long last = -1;
    _cleanup_free_ char *text = NULL;
    if (access(path, F_OK) == 0 && vp_plugin_file_read(path, 64, &text, NULL) == 0) {
        char *end;
        errno = 0;
        last = strtol(text, &end, 10);
        if (errno || end == text || last < 0 || last >= INT32_MAX)
            last = -1;
    }
    if (last < 0)
        last = highest_recorded_id(drv);
    int id = (int)last + 1;
    char buf[32];
    snprintf(buf, sizeof(buf), "%d\n", id);
    /* Written before the ID is used: a start killed after this skips an
     * ID, which is harmless; it never hands one out twice. */
    int r = vp_plugin_file_write_atomic(path, buf, strlen(buf), 0600);
    close(fd);
    if (r < 0)
        return r;
    *ret_id = id;
    return 0;
}

/* ---- the slots ------------------------------------------------------------ */

int
qemu_slot_domain_get_uuid(void *priv, const char *name, unsigned char ret_uuid[16])
{
    /* A transient domain that stopped is gone (and removed now); any other
     * exists when its definition can be read. */
    int r = qemu_domain_name_valid(name) && qemu_transient_is(priv, name)
                ? qemu_domain_exists(priv, name)
                : 0;
    return r < 0 ? r : qemu_domain_read_uuid(priv, name, ret_uuid);
}

/* The first domain of the driver for which @match says yes. */
static int
find_domain(const qemu_driver *drv, bool (*match)(const qemu_driver *, const char *, const void *),
            const void *key, char **ret_name)
{
    char **names = NULL;
    int n = qemu_domain_list_names(drv, &names);
    if (n < 0)
        return n;
    char *found = NULL;
    for (int i = 0; i < n && !found; i++) {
        if (match(drv, names[i], key))
            found = vp_strdup(names[i]);
    }
    vp_strv_free(names);
    if (!found)
        return VP_ERR_NO_DOMAIN;
    *ret_name = found;
    return 0;
}

static bool
uuid_matches(const qemu_driver *drv, const char *name, const void *key)
{
    unsigned char uuid[16];
    return qemu_domain_read_uuid(drv, name, uuid) == 0 && memcmp(uuid, key, 16) == 0;
}

int
qemu_slot_domain_lookup_by_uuid(void *priv, const unsigned char uuid[16], char **ret_name)
{
    int r = find_domain(priv, uuid_matches, uuid, ret_name);
    if (r == VP_ERR_NO_DOMAIN) {
        char text[37];
        return vp_plugin_error_set(VP_ERR_NO_DOMAIN, "no domain with uuid '%s'",
                                   vp_plugin_uuid_format(uuid, text));
    }
    return r;
}

/* The ID of domain @name as its record says, without waiting for a busy
 * domain: -1 when it is shut off (or its QEMU is gone), 0 when it runs but
 * its record has no ID yet (a record written before IDs existed). */
static int
peek_id(const qemu_driver *drv, const char *name)
{
    _cleanup_(qemu_record_freep) qemu_record *rec = NULL;
    if (qemu_domain_peek_record(drv, name, &rec) < 0 || !rec->active)
        return -1;
    if (!rec->starting && !vp_plugin_process_is_alive(&rec->proc))
        return -1;
    return rec->id > 0 ? rec->id : 0;
}

static bool
id_matches(const qemu_driver *drv, const char *name, const void *key)
{
    return peek_id(drv, name) == *(const int *)key;
}

int
qemu_slot_domain_lookup_by_id(void *priv, int id, char **ret_name)
{
    int r = id > 0 ? find_domain(priv, id_matches, &id, ret_name) : VP_ERR_NO_DOMAIN;
    if (r == VP_ERR_NO_DOMAIN)
        return vp_plugin_error_set(VP_ERR_NO_DOMAIN, "no running domain with id %d", id);
    return r;
}

int
qemu_slot_domain_get_id(void *priv, const char *name, int *ret_id)
{
    qemu_driver *drv = priv;
    int r = qemu_domain_exists(drv, name);
    if (r < 0)
        return r;
    int id = peek_id(drv, name);
    if (id == 0) {
        /* Running without an ID: the refresh under the lock gives it one. */
        _cleanup_domain_lock_ int lock = -1;
        _cleanup_(qemu_record_freep) qemu_record *rec = NULL;
        r = qemu_domain_begin(drv, name, "domid", &lock, &rec);
        if (r < 0)
            return r;
        id = rec->active && rec->id > 0 ? rec->id : -1;
    }
    *ret_id = id;
    return 0;
}
