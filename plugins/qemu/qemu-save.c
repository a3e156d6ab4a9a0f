/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-save.c: save, restore and managed save of QEMU domains: QEMU's
 * migration stream written to a file it is given by descriptor.
 *
 * Owns the save image (docs/qemu-driver.md: a 64-byte header, the
 * running domain's XML, then the stream), the save intent
 * (RUNTIME/NAME.save, a key=value record written before anything is
 * touched) and its repair by
 * the next operation on the domain, and the managed-save image
 * CONFIG/NAME.save. A save writes PATH.vpsave-part, pauses the guest,
 * migrates into the file, records the stream's length in the header
 * (the mark of a whole image), renames the file into place, and only then
 * stops QEMU; so a kill at any step leaves the domain running (the repair
 * resumes it) or a whole image and the domain shut off (saved). It never
 * replaces an existing file that is not a save image, and never uses an
 * image whose header does not record the stream's length. A restore runs
 * the image's whole definition (read back as a model, as a define reads
 * one), never the domain's current devices. The XML inside the images is
 * qemu-save-xml.c's; the format is shared through qemu-save.h.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "qemu-driver.h"
#include "qemu-live.h"
#include "qemu-monitor.h"
#include "qemu-save.h"
#include "qemu-snapshot.h"

#define IMAGE_MAGIC "VirtplugQemuSave"
#define IMAGE_MAGIC_LEN 16
#define IMAGE_VERSION 1
#define MIGRATE_POLL_MS 20

VP_DEFINE_CLEANUP(json_object, json_object_put)
VP_DEFINE_CLEANUP(qemu_monitor, qemu_monitor_close)

/* What the driver supports of domain XML (qemu-caps.c). */
extern const vp_plugin_domain_cap qemu_domain_caps[];

static void
put_le(unsigned char *p, uint64_t v, int n)
{
    for (int i = 0; i < n; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t
get_le(const unsigned char *p, int n)
{
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

static void
header_encode(const image_header *h, unsigned char buf[IMAGE_HEADER_LEN])
{
    memset(buf, 0, IMAGE_HEADER_LEN);
    memcpy(buf, IMAGE_MAGIC, IMAGE_MAGIC_LEN);
    put_le(buf + 16, IMAGE_VERSION, 4);
    put_le(buf + 20, h->xml_len, 4);
    put_le(buf + 24, h->state, 4);
    put_le(buf + 32, h->stream_len, 8);
    put_le(buf + 40, h->nonce, 8);
}

/* Read the header of open image @fd: 1 and @ret when it is one of this
 * driver's (whole or not), 0 when it is not an image at all. */
static int
header_read(int fd, image_header *ret)
{
    unsigned char buf[IMAGE_HEADER_LEN];
    if (pread(fd, buf, sizeof(buf), 0) != (ssize_t)sizeof(buf) ||
        memcmp(buf, IMAGE_MAGIC, IMAGE_MAGIC_LEN) != 0 || get_le(buf + 16, 4) != IMAGE_VERSION)
        return 0;
    ret->xml_len = (uint32_t)get_le(buf + 20, 4);
    ret->state = (uint32_t)get_le(buf + 24, 4);
    ret->stream_len = get_le(buf + 32, 8);
    ret->nonce = get_le(buf + 40, 8);
    return 1;
}

/* Whether open @fd is a whole image: its size is what the header says. */
static bool
header_whole(int fd, const image_header *h)
{
    struct stat st;
    return fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && h->stream_len > 0 &&
           h->xml_len <= IMAGE_XML_MAX &&
           (uint64_t)st.st_size == IMAGE_HEADER_LEN + (uint64_t)h->xml_len + h->stream_len;
}

/* 0 when @path does not exist or holds a save image of this driver (a
 * save may replace it); VP_ERR_EXISTS for anything else. */
static int
check_target(const char *path)
{
    struct stat st;
    if (lstat(path, &st) < 0)
        return errno == ENOENT
                   ? 0
                   : vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno, "cannot check '%s'", path);
    int fd = S_ISREG(st.st_mode) ? open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK) : -1;
    image_header h;
    int is_image = fd >= 0 && header_read(fd, &h) == 1;
    if (fd >= 0)
        close(fd);
    if (is_image)
        return 0;
    return vp_plugin_error_set(
        VP_ERR_EXISTS,
        "'%s' exists and is not a save image; virtplug never overwrites it: remove it or choose another file",
        path);
}

char *
qemu_save_managed_path(const qemu_driver *drv, const char *name)
{
    return vp_asprintf("%s/%s.save", drv->config_dir, name);
}

/* ---- QMP -------------------------------------------------------------- */

static int
qmp_simple(qemu_monitor *mon, const char *command)
{
    return qemu_monitor_command(mon, command, NULL, QEMU_MONITOR_TIMEOUT_MS, NULL);
}

/* Pass @fd to QEMU as @fdname, then run @command with {"uri": "fd:NAME"}. */
static int
qmp_migrate_fd(qemu_monitor *mon, int fd, const char *fdname, const char *command)
{
    _cleanup_(json_object_putp) json_object *args = json_object_new_object();
    json_object_object_add(args, "fdname", json_object_new_string(fdname));
    int r = qemu_monitor_command_fd(mon, "getfd", args, fd, QEMU_MONITOR_TIMEOUT_MS, NULL);
    if (r < 0)
        return r;
    _cleanup_(json_object_putp) json_object *margs = json_object_new_object();
    _cleanup_free_ char *uri = vp_asprintf("fd:%s", fdname);
    json_object_object_add(margs, "uri", json_object_new_string(uri));
    return qemu_monitor_command(mon, command, margs, QEMU_MONITOR_TIMEOUT_MS, NULL);
}

/* Poll query-migrate until the migration ended: 0 when completed, else
 * VP_ERR_SYSTEM with QEMU's reason. */
static int
qmp_migrate_wait(qemu_monitor *mon, const char *name, const char *what)
{
    for (;;) {
        _cleanup_(json_object_putp) json_object *info = NULL;
        int r = qemu_monitor_command(mon, "query-migrate", NULL, QEMU_MONITOR_TIMEOUT_MS, &info);
        if (r < 0)
            return r;
        json_object *st = json_object_object_get(info, "status");
        const char *status = st ? json_object_get_string(st) : "";
        if (strcmp(status, "completed") == 0)
            return 0;
        if (strcmp(status, "failed") == 0 || strcmp(status, "cancelled") == 0) {
            json_object *e = json_object_object_get(info, "error-desc");
            return vp_plugin_error_set(VP_ERR_SYSTEM, "QEMU could not %s domain '%s': %s", what,
                                       name, e ? json_object_get_string(e) : status);
        }
        struct timespec ts = {0, MIGRATE_POLL_MS * 1000000L};
        nanosleep(&ts, NULL);
    }
}

/* After migrate_cancel: until QEMU's migration left its active states
 * (cancelling is asynchronous), so the next save can begin; at most
 * QEMU_MONITOR_TIMEOUT_MS. */
static void
wait_migration_settled(qemu_monitor *mon)
{
    for (int waited = 0; waited < QEMU_MONITOR_TIMEOUT_MS; waited += MIGRATE_POLL_MS) {
        _cleanup_(json_object_putp) json_object *info = NULL;
        if (qemu_monitor_command(mon, "query-migrate", NULL, QEMU_MONITOR_TIMEOUT_MS, &info) < 0)
            return;
        json_object *st = json_object_object_get(info, "status");
        const char *status = st ? json_object_get_string(st) : "";
        if (strcmp(status, "active") != 0 && strcmp(status, "cancelling") != 0 &&
            strcmp(status, "setup") != 0 && strcmp(status, "device") != 0)
            return;
        struct timespec ts = {0, MIGRATE_POLL_MS * 1000000L};
        nanosleep(&ts, NULL);
    }
}

/* ---- The intent -------------------------------------------------------- */

static int
intent_write(const qemu_driver *drv, const char *name, const char *path, bool running,
             uint64_t nonce)
{
    _cleanup_free_ char *rec = qemu_domain_path(drv, name, ".save");
    _cleanup_free_ char *nonce_s = vp_asprintf("%" PRIu64, nonce);
    const char *pairs[] = {"path", path, "running", running ? "1" : "0", "nonce", nonce_s, NULL};
    return vp_plugin_kv_write(rec, pairs, 0600);
}

static void
intent_remove(const qemu_driver *drv, const char *name)
{
    _cleanup_free_ char *rec = qemu_domain_path(drv, name, ".save");
    unlink(rec);
}

/* Whether @path is the whole image the save of @nonce wrote. */
static bool
image_is_ours(const char *path, uint64_t nonce)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0)
        return false;
    image_header h;
    bool ours = header_read(fd, &h) == 1 && h.nonce == nonce && header_whole(fd, &h);
    close(fd);
    return ours;
}

/* Stop the QEMU of a domain whose image is whole: shut off, saved. */
static int
stop_saved(const qemu_driver *drv, const char *name, qemu_record *rec)
{
    if (!rec->active)
        return 0;
    rec->stop_reason = VP_DOMAIN_SHUTOFF_SAVED;
    int r = qemu_domain_write_record(drv, name, rec);
    if (r >= 0)
        qemu_step("save: stop intent written");
    if (r >= 0)
        r = qemu_process_kill(drv, name, rec);
    return r < 0 ? r : qemu_domain_mark_stopped(drv, name, rec, VP_DOMAIN_SHUTOFF_SAVED);
}

/* Undo a save that did not finish: the part file goes, QEMU's migration is
 * cancelled and a guest that ran runs again. */
static void
undo_save(const char *name, const qemu_record *rec, const char *path, bool running)
{
    _cleanup_free_ char *part = vp_asprintf("%s%s", path, PART_SUFFIX);
    unlink(part);
    if (!rec->active || !vp_plugin_process_is_alive(&rec->proc))
        return;
    _cleanup_(qemu_monitor_closep) qemu_monitor *mon = NULL;
    if (qemu_monitor_open(rec->qmp_path, QEMU_MONITOR_TIMEOUT_MS, &mon) < 0)
        return;
    qmp_simple(mon, "migrate_cancel");
    wait_migration_settled(mon);
    if (running && qmp_simple(mon, "cont") < 0)
        VP_PLUGIN_DEBUG(QEMU_AREA, "domain '%s': cannot resume it after a failed save", name);
}

int
qemu_save_recover(qemu_driver *drv, const char *name, qemu_record *rec)
{
    _cleanup_free_ char *rpath = qemu_domain_path(drv, name, ".save");
    char **pairs = NULL;
    if (vp_plugin_kv_read(rpath, 4096, &pairs) < 0)
        return 0; /* no intent: nothing to repair */
    const char *path = vp_plugin_kv_get(pairs, "path");
    const char *running = vp_plugin_kv_get(pairs, "running");
    const char *nonce = vp_plugin_kv_get(pairs, "nonce");
    int r = 0;
    if (path && nonce && image_is_ours(path, strtoull(nonce, NULL, 10))) {
        VP_PLUGIN_DEBUG(QEMU_AREA, "domain '%s': finishing the save to '%s'", name, path);
        r = stop_saved(drv, name, rec);
    } else if (path) {
        VP_PLUGIN_DEBUG(QEMU_AREA, "domain '%s': undoing the save to '%s'", name, path);
        undo_save(name, rec, path, running && strcmp(running, "1") == 0);
    }
    vp_strv_free(pairs);
    if (r >= 0)
        intent_remove(drv, name);
    return r;
}

/* ---- Save --------------------------------------------------------------- */

/* Write the header (stream length 0) and the XML to the part file @fd. */
int
qemu_save_write_head(int fd, const char *part, const char *xml, image_header *h)
{
    unsigned char buf[IMAGE_HEADER_LEN];
    header_encode(h, buf);
    size_t len = strlen(xml);
    if (write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf) || write(fd, xml, len) != (ssize_t)len)
        return vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno ? errno : EIO, "cannot write '%s'",
                                         part);
    return 0;
}

/* The stream went into @fd: record its length, sync, and rename (steps
 * named for @define, a rewrite of the XML, or a save). */
int
qemu_save_seal(int fd, const char *part, const char *path, image_header *h, bool define)
{
    off_t end = lseek(fd, 0, SEEK_END);
    if (end <= (off_t)(IMAGE_HEADER_LEN + h->xml_len))
        return vp_plugin_error_set(VP_ERR_SYSTEM, "QEMU wrote no state into '%s'", part);
    h->stream_len = (uint64_t)end - IMAGE_HEADER_LEN - h->xml_len;
    unsigned char buf[IMAGE_HEADER_LEN];
    header_encode(h, buf);
    if (pwrite(fd, buf, sizeof(buf), 0) != (ssize_t)sizeof(buf) || fsync(fd) < 0)
        return vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno ? errno : EIO, "cannot write '%s'",
                                         part);
    qemu_step(define ? "save-image-define: new image whole" : "save: image whole");
    if (rename(part, path) < 0)
        return vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno, "cannot rename '%s' to '%s'", part,
                                         path);
    _cleanup_free_ char *dir = vp_strdup(path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *(slash == dir ? slash + 1 : slash) = '\0';
    int dfd = open(slash ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    qemu_step(define ? "save-image-define: new image renamed" : "save: image renamed");
    return 0;
}

/* Pause the guest and migrate it into @fd. */
static int
migrate_out(const char *name, const qemu_record *rec, int fd, bool running)
{
    _cleanup_(qemu_monitor_closep) qemu_monitor *mon = NULL;
    int r = qemu_monitor_open(rec->qmp_path, QEMU_MONITOR_TIMEOUT_MS, &mon);
    if (r >= 0 && running)
        r = qmp_simple(mon, "stop");
    if (r >= 0)
        qemu_step("save: guest paused");
    if (r >= 0)
        r = qmp_migrate_fd(mon, fd, "vp-save", "migrate");
    if (r >= 0)
        qemu_step("save: migration started");
    return r < 0 ? r : qmp_migrate_wait(mon, name, "save the state of");
}

static int
save_locked(qemu_driver *drv, const char *name, qemu_record *rec, const char *path,
            unsigned int flags)
{
    if (!rec->active)
        return vp_plugin_error_set(VP_ERR_OPERATION_INVALID,
                                   "cannot save domain '%s': it is not running", name);
    /* Its definition goes when it stops, and restore needs one. */
    if (qemu_transient_is(drv, name))
        return vp_plugin_error_set(
            VP_ERR_NOT_SUPPORTED,
            "not supported yet: saving transient domain '%s' (the qemu driver restores only defined domains); define it first",
            name);
    int r = check_target(path);
    /* The running domain's XML, as libvirt saves it: the restore then
     * runs what QEMU had (a medium or a link state changed live), while
     * the definition stays for the next start. */
    _cleanup_free_ char *xml = NULL;
    if (r >= 0)
        r = qemu_device_live_settle(drv, name, rec);
    if (r >= 0)
        r = qemu_live_get_xml(drv, name, 0, &xml);
    if (r < 0)
        return r;
    /* The record follows suspend and resume (and a refresh, QEMU's own). */
    bool running = rec->state == VP_DOMAIN_RUNNING;
    bool paused_after = flags & VP_DOMAIN_SAVE_PAUSED    ? true
                        : flags & VP_DOMAIN_SAVE_RUNNING ? false
                                                         : !running;
    image_header h = {.xml_len = (uint32_t)strlen(xml),
                      .state = paused_after ? VP_DOMAIN_PAUSED : VP_DOMAIN_RUNNING,
                      .nonce = ((uint64_t)vp_plugin_now_us() << 16) ^ (uint64_t)getpid()};
    _cleanup_free_ char *part = vp_asprintf("%s%s", path, PART_SUFFIX);
    r = intent_write(drv, name, path, running, h.nonce);
    if (r < 0)
        return r;
    qemu_step("save: intent written");
    unlink(part); /* a part file is never a whole image: a crashed save's */
    int fd = open(part, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0)
        r = vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno, "cannot create '%s'", part);
    if (r >= 0)
        r = qemu_save_write_head(fd, part, xml, &h);
    if (r >= 0)
        r = migrate_out(name, rec, fd, running);
    if (r >= 0)
        r = qemu_save_seal(fd, part, path, &h, false);
    if (fd >= 0)
        close(fd);
    if (r < 0) {
        vp_plugin_saved_error *why = vp_plugin_error_save();
        undo_save(name, rec, path, running);
        intent_remove(drv, name);
        vp_plugin_error_restore(why);
        return r;
    }
    r = stop_saved(drv, name, rec);
    if (r >= 0)
        intent_remove(drv, name);
    return r;
}

int
qemu_domain_save(void *priv, const char *name, const char *path, unsigned int flags)
{
    qemu_driver *drv = priv;
    _cleanup_free_ char *managed =
        qemu_save_managed_path(drv, name); /* the lock names a managedsave */
    int r;
    {
        _cleanup_domain_lock_ int lock = -1;
        _cleanup_(qemu_record_freep) qemu_record *rec = NULL;
        const char *op = path && strcmp(path, managed) == 0 ? "managedsave" : "save";
        r = qemu_domain_begin(drv, name, op, &lock, &rec);
        if (r >= 0)
            r = save_locked(drv, name, rec, path, flags);
    }
    qemu_events_look(drv, name, false);
    return r;
}

int
qemu_domain_managed_save(void *priv, const char *name, unsigned int flags)
{
    qemu_driver *drv = priv;
    _cleanup_free_ char *path = qemu_save_managed_path(drv, name);
    return qemu_domain_save(priv, name, path, flags);
}

int
qemu_domain_has_managed_save(void *priv, const char *name, int *ret_has)
{
    qemu_driver *drv = priv;
    int r = qemu_domain_exists(drv, name);
    if (r < 0)
        return r;
    _cleanup_free_ char *path = qemu_save_managed_path(drv, name);
    *ret_has = access(path, F_OK) == 0;
    return 0;
}

int
qemu_domain_managed_save_remove(void *priv, const char *name, unsigned int flags)
{
    qemu_driver *drv = priv;
    if (flags != 0)
        return vp_plugin_error_set(VP_ERR_INVALID_ARG, "unsupported managed-save-remove flags 0x%x",
                                   flags);
    _cleanup_domain_lock_ int lock = -1;
    _cleanup_(qemu_record_freep) qemu_record *rec = NULL;
    int r = qemu_domain_begin(drv, name, "managedsave-remove", &lock, &rec);
    if (r < 0)
        return r;
    return qemu_managed_save_forget(drv, name);
}

int
qemu_managed_save_forget(const qemu_driver *drv, const char *name)
{
    _cleanup_free_ char *path = qemu_save_managed_path(drv, name);
    if (access(path, F_OK) < 0)
        return 0;
    return qemu_config_unlink(drv, path);
}

/* ---- Restore ------------------------------------------------------------ */

/* Open image @path and read its header and XML; VP_ERR_INVALID_ARG unless
 * it is a whole image. */
int
qemu_save_image_open(const char *path, int *ret_fd, image_header *ret_h, char **ret_xml)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno, "cannot open '%s'", path);
    struct stat st;
    image_header h;
    int r = 0;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
        r = vp_plugin_error_set(VP_ERR_INVALID_ARG, "'%s' is not a regular file", path);
    else if (header_read(fd, &h) != 1)
        r = vp_plugin_error_set(VP_ERR_INVALID_ARG, "'%s' is not a save image of the qemu driver",
                                path);
    else if (!header_whole(fd, &h))
        r = vp_plugin_error_set(VP_ERR_INVALID_ARG,
                                "save image '%s' is incomplete or damaged; it cannot be restored",
                                path);
    char *xml = r < 0 ? NULL : vp_new0(char, (size_t)h.xml_len + 1);
    if (r >= 0 && pread(fd, xml, h.xml_len, IMAGE_HEADER_LEN) != (ssize_t)h.xml_len)
        r = vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno ? errno : EIO, "cannot read '%s'", path);
    if (r < 0) {
        free(xml);
        close(fd);
        return r;
    }
    *ret_fd = fd;
    *ret_h = h;
    *ret_xml = xml;
    return 0;
}

/* Feed the stream of image @fd to the QEMU of @rec waiting for it. */
static int
migrate_in(const char *name, const qemu_record *rec, int fd, const image_header *h, bool paused)
{
    if (lseek(fd, IMAGE_HEADER_LEN + (off_t)h->xml_len, SEEK_SET) < 0)
        return vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno, "cannot read the save image");
    _cleanup_(qemu_monitor_closep) qemu_monitor *mon = NULL;
    int r = qemu_monitor_open(rec->qmp_path, QEMU_MONITOR_TIMEOUT_MS, &mon);
    if (r >= 0)
        r = qmp_migrate_fd(mon, fd, "vp-restore", "migrate-incoming");
    if (r >= 0)
        qemu_step("restore: stream given to QEMU");
    if (r >= 0)
        r = qmp_migrate_wait(mon, name, "restore the state of");
    if (r >= 0 && !paused)
        r = qmp_simple(mon, "cont");
    return r;
}

/* The definition in image XML @xml (the part the 1.0 parser reads). */
static int
image_def(const char *xml, vp_domain_def **ret_def)
{
    _cleanup_free_ char *base = NULL, *dom_part = NULL, *dev_part = NULL;
    int r = qemu_domain_split_xml(xml, &base, &dom_part, &dev_part);
    return r < 0 ? r : vp_plugin_domain_def_parse(base, 0, ret_def);
}

/* The definition in image XML @xml read as a define reads one (the core's
 * parse against qemu-caps.c, then the define's own preparation): all of
 * it runs, devices included, whatever the domain's definition says now. */
static int
image_parts(const qemu_driver *drv, const char *xml, qemu_define_parts *ret_parts)
{
    vp_domain_model *model = NULL;
    int r = vp_plugin_domain_model_parse(xml, "qemu", qemu_domain_caps, NULL, &model);
    if (r >= 0)
        r = qemu_define_prepare(drv, model, ret_parts);
    vp_plugin_domain_model_free(model);
    return r;
}

/* Start shut-off domain @name (lock held) from image @fd holding @xml:
 * the image's whole definition runs (a save-image-define may have changed
 * it, a define may have changed the domain's since), the domain's own
 * stays for the next start, as in libvirt. */
static int
restore_locked(qemu_driver *drv, const char *name, int fd, const image_header *h, const char *xml,
               bool paused)
{
    _cleanup_(qemu_define_parts_free) qemu_define_parts parts = {0};
    int r = image_parts(drv, xml, &parts);
    if (r < 0)
        return r;
    /* A tray's state is the running domain's (live-meta and the events
     * log say it), never a definition's. */
    static const char *const trays[] = {" tray='open'", " tray='closed'"};
    for (size_t i = 0; i < 2; i++)
        for (char *t; (t = strstr(parts.xml, trays[i]));)
            memmove(t, t + strlen(trays[i]), strlen(t + strlen(trays[i])) + 1);
    /* QEMU runs the image's definition: the domain's own waits for the
     * stop, as one given while it runs (qemu-define-next.c), so the
     * running XML, a save and every other operation of the restored
     * domain read what QEMU runs. Written before QEMU starts: a kill
     * leaves the domain shut off, and the next operation puts its own
     * definition back. */
    r = qemu_define_next_park(drv, name, &parts);
    if (r > 0) {
        qemu_step("restore: the domain's definition waits");
        r = qemu_domain_save_defined(drv, parts.def, parts.xml, parts.dom, parts.dev, parts.tree);
    }
    if (r < 0)
        return r;
    qemu_record *run = NULL;
    r = qemu_process_start_incoming(drv, &parts, &run);
    if (r < 0)
        return r;
    qemu_step("restore: QEMU waiting for the state");
    r = migrate_in(name, run, fd, h, paused);
    if (r < 0) {
        vp_plugin_saved_error *why = vp_plugin_error_save();
        qemu_process_kill(drv, name, run);
        qemu_domain_mark_stopped(drv, name, run, VP_DOMAIN_SHUTOFF_FAILED);
        qemu_record_free(run);
        vp_plugin_error_restore(why);
        return r;
    }
    run->state = paused ? VP_DOMAIN_PAUSED : VP_DOMAIN_RUNNING;
    run->reason = paused ? VP_DOMAIN_PAUSED_USER : VP_DOMAIN_RUNNING_RESTORED;
    r = qemu_domain_write_record(drv, name, run);
    qemu_record_free(run);
    return r;
}

bool
qemu_save_restore_paused(unsigned int flags, const image_header *h)
{
    if (flags & VP_DOMAIN_SAVE_RUNNING)
        return false;
    return (flags & VP_DOMAIN_SAVE_PAUSED) || h->state == VP_DOMAIN_PAUSED;
}

int
qemu_domain_restore(void *priv, const char *path, unsigned int flags, char **ret_name)
{
    qemu_driver *drv = priv;
    int fd = -1;
    image_header h;
    _cleanup_free_ char *xml = NULL;
    int r = qemu_save_image_open(path, &fd, &h, &xml);
    if (r < 0)
        return r;
    /* The image holds the whole definition as the driver formats it; its
     * name and uuid are in the part the 1.0 parser reads. */
    vp_domain_def *def = NULL;
    r = image_def(xml, &def);
    _cleanup_free_ char *name = r < 0 ? NULL : vp_strdup(def->name);
    unsigned char uuid[16];
    if (r >= 0 && qemu_domain_exists(drv, name) < 0)
        r = vp_plugin_error_set(
            VP_ERR_NOT_SUPPORTED,
            "not supported yet: restoring domain '%s', which is no longer defined; define it from the XML in the image first",
            name);
    if (r >= 0 && (qemu_domain_read_uuid(drv, name, uuid) < 0 || memcmp(uuid, def->uuid, 16)))
        r = vp_plugin_error_set(VP_ERR_EXISTS,
                                "cannot restore '%s': domain '%s' is defined with another uuid",
                                path, name);
    vp_plugin_domain_def_free(def);
    if (r >= 0) {
        _cleanup_domain_lock_ int lock = -1;
        _cleanup_(qemu_record_freep) qemu_record *rec = NULL;
        r = qemu_domain_begin(drv, name, "restore", &lock, &rec);
        if (r >= 0 && rec->active)
            r = vp_plugin_error_set(VP_ERR_OPERATION_INVALID, "domain '%s' is already active",
                                    name);
        if (r >= 0)
            r = restore_locked(drv, name, fd, &h, xml, qemu_save_restore_paused(flags, &h));
    }
    close(fd);
    if (name)
        qemu_events_look(drv, name, false);
    if (r < 0)
        return r;
    *ret_name = VP_STEAL_PTR(name);
    return 0;
}

int
qemu_managed_save_start(qemu_driver *drv, const char *name, qemu_record *rec, unsigned int flags,
                        bool *ret_done)
{
    (void)rec; /* the image's definition runs, not the record's domain's */
    _cleanup_free_ char *path = qemu_save_managed_path(drv, name);
    *ret_done = false;
    if (access(path, F_OK) < 0)
        return 0;
    int fd = -1;
    image_header h;
    _cleanup_free_ char *xml = NULL;
    int r = qemu_save_image_open(path, &fd, &h, &xml);
    if (r >= 0)
        r = restore_locked(drv, name, fd, &h, xml,
                           qemu_save_restore_paused(
                               flags & VP_DOMAIN_START_PAUSED ? VP_DOMAIN_SAVE_PAUSED : 0, &h));
    if (fd >= 0)
        close(fd);
    if (r < 0)
        return r;
    qemu_step("start: restored from the managed save");
    *ret_done = true;
    return qemu_managed_save_forget(drv, name);
}
