/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-device-live.c: the domain_update_device slot for a <disk> and an
 * <interface> of a running domain (libvirt's change-media and
 * domif-setlink, through update-device).
 *
 * Owns the medium of a running cdrom or floppy and the link state of a
 * running NIC: what QEMU has is kept in RUN/NAME.live-meta (the members
 * qemu-device-live.h names), noted at each start and laid over the
 * definition by the running domain's XML (qemu-device-live-xml.c); and
 * "media-intent": the medium a change asked for and QEMU may not have yet.
 * A medium changes over QMP as libvirt changes it (blockdev-open-tray,
 * blockdev-remove-medium, blockdev-add and blockdev-insert-medium of the
 * new file or block device as the nodes "file-DEV" and "drive-DEV" the command line gives
 * a disk, blockdev-close-tray), a link over QMP set_link. Every other
 * difference between the running device and the new one is refused,
 * naming it. A new link state is written to live-meta before QMP is
 * asked; a new medium is written as the intent, and as the medium once
 * QMP has done it (until then the running XML shows the medium QEMU was
 * known to have, so the same change-media finds its drive as before).
 * Every QMP step can be made again from any state a kill leaves, so the
 * same update run again repairs (the tray ends closed with the new
 * medium). A QMP refusal records what QEMU then has. It never touches
 * the definition (the core's, --config) nor any medium's file.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include <virtplug/sdk/services.h>

#include "qemu-device-live.h"
#include "qemu-devices.h"
#include "qemu-driver.h"
#include "qemu-live.h"
#include "qemu-json.h"
#include "qemu-monitor.h"

/* Attempts of a media change that the guest interrupts by closing the tray. */
#define MEDIA_ATTEMPTS 5

static bool
eq(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

static json_object *
disk_by_target(json_object *tree, const char *dev)
{
    json_object *d;
    for (size_t i = 0; (d = qemu_tree_kid(tree, "disk", i)); i++)
        if (eq(qemu_tree_attr(qemu_tree_kid(d, "target", 0), "dev"), dev))
            return d;
    return NULL;
}

static json_object *
nic_by_mac(json_object *tree, const char *mac, size_t *ret_index)
{
    json_object *n;
    for (size_t i = 0; (n = qemu_tree_kid(tree, "interface", i)); i++) {
        const char *m = qemu_tree_attr(qemu_tree_kid(n, "mac", 0), "address");
        if (m && strcasecmp(m, mac) == 0) {
            *ret_index = i;
            return n;
        }
    }
    return NULL;
}

/* ---- update-device ------------------------------------------------------ */

static int
refuse(const char *key, const char *element, const char *which, const char *domain,
       const char *live)
{
    const char *what = key[0] == '@' ? "attribute" : "element";
    return vp_plugin_error_set(
        VP_ERR_NOT_SUPPORTED,
        "cannot change %s '%s' of <%s> '%s' of running domain '%s': only %s changes live; change the definition (--config) and restart it",
        what, key[0] == '@' ? key + 1 : key, element, which, domain, live);
}

/* Every key of @a but those of @skip (NULL-terminated) is the same in @b. */
static int
compare_but(json_object *a, json_object *b, const char *const *skip, const char *element,
            const char *which, const char *domain, const char *live)
{
    json_object_object_foreach(a, key, v)
    {
        bool skipped = strncmp(key, "@vp-", 4) == 0;
        for (const char *const *s = skip; !skipped && *s; s++)
            skipped = strcmp(key, *s) == 0;
        json_object *w = NULL;
        if (!skipped && (!json_object_object_get_ex(b, key, &w) || !json_object_equal(v, w)))
            return refuse(key, element, which, domain, live);
    }
    return 0;
}

static int
compare_both(json_object *old, json_object *new, const char *const *skip, const char *element,
             const char *which, const char *domain, const char *live)
{
    int r = compare_but(old, new, skip, element, which, domain, live);
    return r < 0 ? r : compare_but(new, old, skip, element, which, domain, live);
}

/* The value of the one attribute @expr selects in @xml (formatted as
 * ' name="value"'), or NULL. (transfer full) */
static char *
xpath_attr(const char *xml, const char *expr)
{
    char **texts = NULL;
    size_t n = 0;
    if (vp_plugin_xml_xpath(xml, expr, 0, &texts, &n) < 0)
        return NULL;
    const char *eq = n == 1 ? strchr(texts[0], '=') : NULL;
    char *v =
        eq && (eq[1] == '"' || eq[1] == '\'') ? vp_strndup(eq + 2, strcspn(eq + 2, "\"'")) : NULL;
    vp_strv_free(texts);
    return v;
}

/* The device element's name of @xml ("disk"), or NULL. (transfer full) */
static char *
element_name(const char *xml)
{
    const char *p = xml;
    for (;;) {
        p += strspn(p, " \t\r\n");
        if (strncmp(p, "<?", 2) == 0 && strstr(p, "?>"))
            p = strstr(p, "?>") + 2;
        else if (strncmp(p, "<!--", 4) == 0 && strstr(p, "-->"))
            p = strstr(p, "-->") + 3;
        else
            break;
    }
    if (*p != '<')
        return NULL;
    p++;
    return vp_strndup(p, strcspn(p, " \t\r\n/>"));
}

typedef struct live_ctx {
    qemu_driver *drv;
    const char *name;
    qemu_record *rec;
    json_object *defined; /* the definition's extras */
    json_object *after;   /* the extras of the running domain to be */
    json_object *meta;    /* live-meta */
} live_ctx;

static void
live_ctx_clear(live_ctx *c)
{
    json_object_put(c->defined);
    json_object_put(c->after);
    json_object_put(c->meta);
}

static int
live_begin(live_ctx *c, const vp_domain_model *after)
{
    int r = qemu_live_read(c->drv, c->name, &c->meta);
    if (r == 0)
        c->meta = json_object_new_object();
    if (r >= 0)
        r = qemu_domain_load_extras(c->drv, c->name, &c->defined);
    c->after = qemu_devices_from_model(after);
    return r < 0 ? r : 0;
}

/* One QMP command with @args (transfer full). */
static int
qmp(qemu_monitor *mon, const char *command, json_object *args, json_object **ret)
{
    int r = qemu_monitor_command(mon, command, args, QEMU_MONITOR_TIMEOUT_MS, ret);
    json_object_put(args);
    return r;
}

static json_object *
args_id(const char *dev)
{
    json_object *a = json_object_new_object();
    qemu_device_live_put(a, "id", dev);
    return a;
}

/* blockdev-del of @node if QEMU has it. */
static int
del_node(qemu_monitor *mon, json_object *nodes, const char *node)
{
    for (size_t i = 0; i < json_object_array_length(nodes); i++) {
        if (!eq(qemu_json_str(json_object_array_get_idx(nodes, i), "node-name"), node))
            continue;
        json_object *a = json_object_new_object();
        qemu_device_live_put(a, "node-name", node);
        return qmp(mon, "blockdev-del", a, NULL);
    }
    return 0;
}

static int
add_node(qemu_monitor *mon, const char *driver, const char *child_key, const char *child,
         const char *node, bool readonly)
{
    json_object *a = json_object_new_object();
    qemu_device_live_put(a, "driver", driver);
    qemu_device_live_put(a, child_key, child);
    qemu_device_live_put(a, "node-name", node);
    json_object_object_add(a, "read-only", json_object_new_boolean(readonly));
    return qmp(mon, "blockdev-add", a, NULL);
}

/* The query-block entry of drive @dev, or NULL. (transfer full) */
static json_object *
block_of(qemu_monitor *mon, const char *dev)
{
    json_object *blocks = NULL, *found = NULL;
    if (qmp(mon, "query-block", NULL, &blocks) < 0)
        return NULL;
    for (size_t i = 0; !found && i < json_object_array_length(blocks); i++)
        if (eq(qemu_json_str(json_object_array_get_idx(blocks, i), "qdev"), dev))
            found = json_object_get(json_object_array_get_idx(blocks, i));
    json_object_put(blocks);
    return found;
}

/* The tray of @dev open. A tray the guest locked is only asked to open
 * (QEMU answers at once); the firmware locks it for a moment while it
 * probes the drive, so the request is made again for a while, as
 * libvirt waits for the tray, unless @force opens it at once. */
static int
open_tray(qemu_monitor *mon, const char *dev, const char *domain, bool force)
{
    for (int tries = 0; tries < 50; tries++) {
        json_object *open = args_id(dev);
        json_object_object_add(open, "force", json_object_new_boolean(force));
        int r = qmp(mon, "blockdev-open-tray", open, NULL);
        if (r < 0)
            return r;
        /* A drive without a tray (a floppy) has no tray_open. */
        json_object *b = block_of(mon, dev), *v = NULL;
        bool is_open =
            b && (!json_object_object_get_ex(b, "tray_open", &v) || json_object_get_boolean(v));
        json_object_put(b);
        if (is_open)
            return 0;
        nanosleep(&(struct timespec){0, 200 * 1000 * 1000}, NULL);
    }
    return vp_plugin_error_set(
        VP_ERR_OPERATION_INVALID,
        "cannot change the medium of drive '%s' of domain '%s': the guest keeps its tray locked; try again once it lets it go, or force it open (--force)",
        dev, domain);
}

/* A medium to insert: @path NULL for none. */
typedef struct medium {
    const char *path;
    const char *protocol; /* "file", "host_cdrom" or "host_device" */
    const char *format;   /* NULL: raw */
    bool readonly;
} medium;

/* The medium @m in the drive @dev, from whatever state an earlier,
 * killed run left; once, see media_apply(). */
static int
media_apply_once(qemu_monitor *mon, const char *dev, const char *domain, const medium *m,
                 bool force, bool *ret_opened)
{
    int r = open_tray(mon, dev, domain, force);
    *ret_opened = r >= 0;
    if (r >= 0)
        r = qmp(mon, "blockdev-remove-medium", args_id(dev), NULL);
    if (r < 0)
        return r;
    qemu_step("change-media: tray open and empty");
    _cleanup_free_ char *node = qemu_command_drive_node(dev);
    _cleanup_free_ char *fnode = qemu_command_file_node(dev);
    json_object *flat = json_object_new_object(), *nodes = NULL;
    json_object_object_add(flat, "flat", json_object_new_boolean(1));
    r = qmp(mon, "query-named-block-nodes", flat, &nodes);
    if (r >= 0)
        r = del_node(mon, nodes, node);
    if (r >= 0)
        r = del_node(mon, nodes, fnode);
    json_object_put(nodes);
    if (r >= 0 && m->path) {
        r = add_node(mon, m->protocol, "filename", m->path, fnode, m->readonly);
        if (r >= 0)
            r = add_node(mon, m->format ? m->format : "raw", "file", fnode, node, m->readonly);
        json_object *insert = args_id(dev);
        qemu_device_live_put(insert, "node-name", node);
        if (r >= 0)
            r = qmp(mon, "blockdev-insert-medium", insert, NULL);
        else
            json_object_put(insert);
        if (r >= 0)
            qemu_step("change-media: new medium inserted");
    }
    return r < 0 ? r : qmp(mon, "blockdev-close-tray", args_id(dev), NULL);
}

/* True when QEMU says the tray of @dev is closed. */
static bool
tray_closed(qemu_monitor *mon, const char *dev)
{
    json_object *b = block_of(mon, dev), *v = NULL;
    bool closed = b && json_object_object_get_ex(b, "tray_open", &v) && !json_object_get_boolean(v);
    json_object_put(b);
    return closed;
}

/* media_apply_once(), begun again while the guest closed the tray between
 * two of its commands (QEMU closes an open tray when the guest asks it to
 * load the medium, as Linux does when something opens an empty drive):
 * QEMU then refuses the next command, and each step can be made again
 * from what the last attempt left. A tray that never opened is not
 * tried again: open_tray() waited for it already. */
static int
media_apply(qemu_monitor *mon, const char *dev, const char *domain, const medium *m, bool force)
{
    int r = 0;
    for (int attempt = 0; attempt < MEDIA_ATTEMPTS; attempt++) {
        bool opened = false;
        r = media_apply_once(mon, dev, domain, m, force, &opened);
        if (r >= 0 || !opened || !tray_closed(mon, dev))
            return r;
        VP_PLUGIN_DEBUG("qemu", "domain '%s': the guest closed the tray of '%s' meanwhile; again",
                        domain, dev);
    }
    return r;
}

/* What the drive @dev holds now, as QEMU says: its medium's file, or
 * NULL (*@ret_file, transfer full); 0 when QEMU has no such drive. */
static int
media_query(qemu_monitor *mon, const char *dev, char **ret_file)
{
    json_object *b = block_of(mon, dev), *in = NULL;
    if (!b)
        return 0;
    json_object_object_get_ex(b, "inserted", &in);
    *ret_file = in && qemu_json_str(in, "file") ? vp_strdup(qemu_json_str(in, "file")) : NULL;
    json_object_put(b);
    return 1;
}

/* Live-meta @meta says what drive @dev of QEMU holds now, as QEMU says,
 * and no intent is left for it: true, else false (QEMU did not answer, or
 * has no such drive). */
static bool
media_note_truth(json_object *meta, qemu_monitor *mon, const char *dev)
{
    _cleanup_free_ char *file = NULL;
    if (!mon || media_query(mon, dev, &file) <= 0)
        return false;
    struct stat st;
    const char *type = !file                                         ? NULL
                       : stat(file, &st) == 0 && S_ISBLK(st.st_mode) ? "block"
                                                                     : "file";
    qemu_device_live_put(qemu_device_live_member(meta, QEMU_LIVE_MEDIA), dev, file);
    qemu_device_live_put(qemu_device_live_member(meta, QEMU_LIVE_MEDIA_TYPES), dev, type);
    json_object_object_del(qemu_device_live_member(meta, QEMU_LIVE_MEDIA_INTENT), dev);
    return true;
}

/* After a QMP refusal, live-meta says what QEMU has (the error stays). */
static void
media_record_truth(live_ctx *c, qemu_monitor *mon, const char *dev)
{
    vp_plugin_saved_error *saved = vp_plugin_error_save();
    if (media_note_truth(c->meta, mon, dev))
        qemu_live_store(c->drv, c->name, c->meta);
    vp_plugin_error_restore(saved);
}

int
qemu_device_live_settle(const qemu_driver *drv, const char *name, const qemu_record *rec)
{
    json_object *meta = NULL, *intent = NULL;
    int r = qemu_live_read(drv, name, &meta);
    if (r <= 0 || !json_object_object_get_ex(meta, QEMU_LIVE_MEDIA_INTENT, &intent) ||
        !json_object_is_type(intent, json_type_object) || json_object_object_length(intent) == 0) {
        json_object_put(meta);
        return r < 0 ? r : 0;
    }
    qemu_monitor *mon = NULL;
    r = qemu_monitor_open(rec->qmp_path, QEMU_MONITOR_TIMEOUT_MS, &mon);
    /* The keys first: noting a drive takes it out of the intent. */
    _cleanup_strv_free_ char **devs =
        vp_new0(char *, (size_t)json_object_object_length(intent) + 1);
    size_t n = 0;
    json_object_object_foreach(intent, dev, v)
    {
        (void)v;
        devs[n++] = vp_strdup(dev);
    }
    for (size_t i = 0; r >= 0 && i < n; i++) {
        if (!media_note_truth(meta, mon, devs[i]))
            r = vp_plugin_error_set(
                VP_ERR_SYSTEM,
                "domain '%s': cannot tell which medium drive '%s' holds after a media change that did not finish (QEMU did not say)",
                name, devs[i]);
        else
            VP_PLUGIN_DEBUG(QEMU_AREA, "domain '%s': the unfinished change of drive %s settled",
                            name, devs[i]);
    }
    qemu_monitor_close(mon);
    if (r >= 0)
        r = qemu_live_store(drv, name, meta);
    json_object_put(meta);
    return r < 0 ? r : 0;
}

/* The new medium exists, this process can read it, and it is a block
 * device when @block asks for one (QEMU's host_* drivers), else not one
 * (QEMU's file driver refuses them). */
static int
media_check_file(const char *file, bool block, const char *dev, const char *domain)
{
    const char *what = block ? "dev" : "file";
    int fd = open(file, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return vp_plugin_error_set(
            errno == ENOENT ? VP_ERR_INVALID_ARG : VP_ERR_SYSTEM,
            "cannot change the medium of disk '%s' of domain '%s': source %s '%s' cannot be opened: %s",
            dev, domain, what, file, strerror(errno));
    struct stat st;
    int r = fstat(fd, &st);
    close(fd);
    if (r < 0)
        return vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno, "cannot stat '%s'", file);
    if (block && !S_ISBLK(st.st_mode))
        return vp_plugin_error_set(
            VP_ERR_INVALID_ARG,
            "cannot change the medium of disk '%s' of domain '%s': source dev '%s' is not a block device; give a file as <disk type='file'> with <source file>",
            dev, domain, file);
    if (!block && S_ISBLK(st.st_mode))
        return vp_plugin_error_set(
            VP_ERR_INVALID_ARG,
            "cannot change the medium of disk '%s' of domain '%s': source file '%s' is a block device; give it as <disk type='block'> with <source dev>",
            dev, domain, file);
    return 0;
}

static int
update_disk(live_ctx *c, const char *dev, bool force)
{
    json_object *old = disk_by_target(c->defined, dev), *new = disk_by_target(c->after, dev);
    if (!old || !new)
        return vp_plugin_error_set(VP_ERR_INVALID_ARG, "domain '%s' has no disk with target '%s'",
                                   c->name, dev);
    if (!qemu_device_live_removable(old))
        return vp_plugin_error_set(
            VP_ERR_NOT_SUPPORTED,
            "cannot change disk '%s' of running domain '%s': only the medium of a cdrom or floppy changes live; change the definition (--config) and restart it",
            dev, c->name);
    static const char *const skip[] = {"source", "@type", NULL};
    const char *live = "the medium (<source file> or <source dev>)";
    /* The tray the running XML shows (change-media edits that XML) is
     * QEMU's and the guest's, never asked of an update. */
    json_object *targets[] = {qemu_tree_kid(old, "target", 0), qemu_tree_kid(new, "target", 0)};
    for (size_t i = 0; i < 2; i++)
        if (json_object_is_type(targets[i], json_type_object))
            json_object_object_del(targets[i], "@tray");
    int r = compare_both(old, new, skip, "disk", dev, c->name, live);
    if (r < 0)
        return r;
    json_object *src = qemu_tree_kid(new, "source", 0);
    const char *type = qemu_tree_attr(new, "type");
    bool block = eq(type, "block");
    if (src && !block && !eq(type, "file"))
        return vp_plugin_error_set(
            VP_ERR_NOT_SUPPORTED,
            "cannot change the medium of disk '%s' of running domain '%s' to a <disk type='%s'>: only files (type='file') and block devices (type='block') are inserted live",
            dev, c->name, type);
    if (src) {
        json_object_object_foreach(src, key, v)
        {
            (void)v;
            if (strcmp(key, block ? "@dev" : "@file") != 0)
                return refuse(key, "disk", dev, c->name,
                              block ? "a medium's device (<source dev>)"
                                    : "a medium's file (<source file>)");
        }
    }
    const char *file = qemu_tree_attr(src, block ? "dev" : "file");
    if (file && (r = media_check_file(file, block, dev, c->name)) < 0)
        return r;
    /* The intent: the medium shown stays the one QEMU is known to have,
     * so that after a kill the same command (change-media --eject too)
     * finds it and runs again. */
    qemu_device_live_put(qemu_device_live_member(c->meta, QEMU_LIVE_MEDIA_INTENT), dev, file);
    r = qemu_live_store(c->drv, c->name, c->meta);
    if (r < 0)
        return r;
    qemu_step("change-media: intent written");
    qemu_monitor *mon = NULL;
    r = qemu_monitor_open(c->rec->qmp_path, QEMU_MONITOR_TIMEOUT_MS, &mon);
    const char *device = qemu_tree_attr(new, "device");
    medium m = {.path = file,
                .protocol = qemu_command_protocol(device, block),
                .format = qemu_tree_attr(qemu_tree_kid(new, "driver", 0), "type"),
                .readonly = eq(device, "cdrom") || qemu_tree_kid(new, "readonly", 0)};
    if (r >= 0)
        r = media_apply(mon, dev, c->name, &m, force);
    if (r < 0) {
        media_record_truth(c, mon, dev);
    } else {
        qemu_device_live_put(qemu_device_live_member(c->meta, QEMU_LIVE_MEDIA), dev, file);
        qemu_device_live_put(qemu_device_live_member(c->meta, QEMU_LIVE_MEDIA_TYPES), dev, type);
        json_object_object_del(qemu_device_live_member(c->meta, QEMU_LIVE_MEDIA_INTENT), dev);
        r = qemu_live_store(c->drv, c->name, c->meta);
    }
    qemu_monitor_close(mon);
    if (r >= 0)
        VP_PLUGIN_DEBUG(QEMU_AREA, "domain '%s': drive %s has %s", c->name, dev,
                        file ? file : "no medium");
    return r;
}

static int
update_interface(live_ctx *c, const char *mac)
{
    size_t index = 0, ignored = 0;
    json_object *old = nic_by_mac(c->defined, mac, &index);
    json_object *new = nic_by_mac(c->after, mac, &ignored);
    if (!old || !new)
        return vp_plugin_error_set(
            VP_ERR_INVALID_ARG, "domain '%s' has no interface with MAC address '%s'", c->name, mac);
    static const char *const skip[] = {"link", NULL};
    int r = compare_both(old, new, skip, "interface", mac, c->name, "<link state>");
    if (r < 0)
        return r;
    const char *state = qemu_tree_attr(qemu_tree_kid(new, "link", 0), "state");
    /* QEMU's own id of the NIC, as the start gave it. */
    json_object *ids = NULL, *id = NULL;
    _cleanup_free_ char *fallback = vp_asprintf("net%zu", index);
    const char *qemu_id = fallback;
    if (json_object_object_get_ex(c->meta, QEMU_LIVE_NIC_IDS, &ids) &&
        json_object_is_type(ids, json_type_object)) {
        json_object_object_foreach(ids, m, v)
        {
            if (strcasecmp(m, mac) == 0 && v)
                id = v;
        }
    }
    if (id)
        qemu_id = json_object_get_string(id);
    json_object *links = qemu_device_live_member(c->meta, QEMU_LIVE_LINKS);
    const char *key = mac;
    json_object_object_foreach(links, m, v)
    {
        (void)v;
        if (strcasecmp(m, mac) == 0)
            key = m;
    }
    _cleanup_free_ char *k = vp_strdup(key);
    qemu_device_live_put(links, k, state);
    r = qemu_live_store(c->drv, c->name, c->meta);
    if (r < 0)
        return r;
    qemu_step("domif-setlink: running link state written");
    json_object *a = json_object_new_object();
    qemu_device_live_put(a, "name", qemu_id);
    json_object_object_add(a, "up", json_object_new_boolean(!eq(state, "down")));
    qemu_monitor *mon = NULL;
    r = qemu_monitor_open(c->rec->qmp_path, QEMU_MONITOR_TIMEOUT_MS, &mon);
    if (r >= 0)
        r = qmp(mon, "set_link", a, NULL);
    else
        json_object_put(a);
    qemu_monitor_close(mon);
    if (r >= 0)
        VP_PLUGIN_DEBUG(QEMU_AREA, "domain '%s': link of %s (%s) %s", c->name, qemu_id, mac,
                        eq(state, "down") ? "down" : "up");
    return r;
}

int
qemu_device_live_update(qemu_driver *drv, const char *name, const char *xml,
                        const vp_domain_model *after, unsigned int flags)
{
    _cleanup_free_ char *element = element_name(xml);
    bool disk = eq(element, "disk"), nic = eq(element, "interface");
    if (!disk && !nic)
        return 1;
    _cleanup_free_ char *key =
        xpath_attr(xml, disk ? "/disk/target/@dev" : "/interface/mac/@address");
    if (!key)
        return vp_plugin_error_set(VP_ERR_XML, "the <%s> to update has no %s", element,
                                   disk ? "<target dev>" : "<mac address>");
    _cleanup_domain_lock_ int lock = -1;
    _cleanup_(qemu_record_freep) qemu_record *rec = NULL;
    int r = qemu_domain_begin(drv, name, disk ? "change-media" : "domif-setlink", &lock, &rec);
    if (r < 0)
        return r;
    if (!rec->active || rec->starting)
        return vp_plugin_error_set(VP_ERR_OPERATION_INVALID, "domain '%s' is not running", name);
    live_ctx c = {.drv = drv, .name = name, .rec = rec};
    r = live_begin(&c, after);
    if (r >= 0)
        r = disk ? update_disk(&c, key, flags & VP_DOMAIN_DEVICE_MODIFY_FORCE)
                 : update_interface(&c, key);
    live_ctx_clear(&c);
    return r < 0 ? r : 0;
}
