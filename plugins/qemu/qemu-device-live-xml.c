/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-device-live-xml.c: what the running domain's XML shows of the
 * media and link states that qemu-device-live.c changes live.
 *
 * Owns the noting, at each start, of the medium of every cdrom and floppy
 * and the link state of every NIC in RUN/NAME.live-meta, and the overlay
 * of what live-meta holds on the definition's text, device by device. It
 * only edits text handed to it: it never talks to QEMU and never writes
 * the definition.
 */
#include <config.h>

#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include <virtplug/sdk/services.h>

#include "qemu-device-live.h"
#include "qemu-devices.h"
#include "qemu-driver.h"
#include "qemu-live.h"

static bool
eq(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

bool
qemu_device_live_removable(json_object *disk)
{
    const char *device = qemu_tree_attr(disk, "device");
    return eq(device, "cdrom") || eq(device, "floppy");
}

const char *
qemu_device_live_source(json_object *disk)
{
    json_object *s = qemu_tree_kid(disk, "source", 0);
    const char *file = qemu_tree_attr(s, "file");
    return file ? file : qemu_tree_attr(s, "dev");
}

json_object *
qemu_device_live_member(json_object *o, const char *key)
{
    json_object *v = NULL;
    if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_object)) {
        v = json_object_new_object();
        json_object_object_add(o, key, v);
    }
    return v;
}

void
qemu_device_live_put(json_object *o, const char *key, const char *v)
{
    json_object_object_add(o, key, v ? json_object_new_string(v) : NULL);
}

void
qemu_device_live_note(json_object *meta, json_object *devices)
{
    json_object *media = qemu_device_live_member(meta, QEMU_LIVE_MEDIA),
                *links = qemu_device_live_member(meta, QEMU_LIVE_LINKS);
    json_object *types = qemu_device_live_member(meta, QEMU_LIVE_MEDIA_TYPES);
    json_object *ids = qemu_device_live_member(meta, QEMU_LIVE_NIC_IDS), *o;
    for (size_t i = 0; (o = qemu_tree_kid(devices, "disk", i)); i++) {
        const char *dev = qemu_tree_attr(qemu_tree_kid(o, "target", 0), "dev");
        if (dev && qemu_device_live_removable(o)) {
            qemu_device_live_put(media, dev, qemu_device_live_source(o));
            qemu_device_live_put(types, dev, qemu_tree_attr(o, "type"));
        }
    }
    for (size_t i = 0; (o = qemu_tree_kid(devices, "interface", i)); i++) {
        const char *mac = qemu_tree_attr(qemu_tree_kid(o, "mac", 0), "address");
        if (!mac)
            continue;
        _cleanup_free_ char *id = vp_asprintf("net%zu", i);
        qemu_device_live_put(links, mac, qemu_tree_attr(qemu_tree_kid(o, "link", 0), "state"));
        qemu_device_live_put(ids, mac, id);
    }
}

/* ---- the running domain's XML ------------------------------------------- */

/* The @i-th block "\n    <@name ...\n    </@name>" of @xml: [*ret_from,
 * *ret_to), or false. */
static bool
block_at(const char *xml, const char *name, size_t i, const char **ret_from, const char **ret_to)
{
    _cleanup_free_ char *open = vp_asprintf("\n    <%s ", name);
    _cleanup_free_ char *close = vp_asprintf("\n    </%s>", name);
    const char *from = xml;
    for (size_t k = 0; from && k <= i; k++)
        from = strstr(from + 1, open);
    const char *to = from ? strstr(from, close) : NULL;
    if (!to)
        return false;
    *ret_from = from;
    *ret_to = to + strlen(close);
    return true;
}

/* The value of attribute @attr of the first line of @from..@to that
 * starts with "      <@kid ", or NULL. (transfer full) */
static char *
kid_attr(const char *from, const char *to, const char *kid, const char *attr)
{
    _cleanup_free_ char *line = vp_asprintf("\n      <%s ", kid);
    _cleanup_free_ char *key = vp_asprintf(" %s='", attr);
    const char *at = strstr(from, line);
    if (!at || at >= to)
        return NULL;
    const char *end = strchr(at + 1, '\n');
    const char *v = strstr(at, key);
    if (!v || (end && v > end))
        return NULL;
    v += strlen(key);
    return vp_strndup(v, strcspn(v, "'"));
}

static bool
starts_tag(const char *line, const char *open)
{
    size_t n = strlen(open);
    return strncmp(line, open, n) == 0 && strchr(" />", line[n]);
}

/* @block (one device element, its kids at six spaces) without its kid
 * @kid and with @line (may be NULL) before the first kid named in
 * @before (NULL-terminated), else before its end tag. (transfer full) */
static char *
block_set_kid(const char *block, const char *kid, const char *line, const char *const *before)
{
    _cleanup_free_ char *open = vp_asprintf("      <%s", kid);
    _cleanup_free_ char *close = vp_asprintf("      </%s>", kid);
    char *out = vp_new0(char, strlen(block) + (line ? strlen(line) : 0) + 1), *o = out;
    bool placed = !line, skipping = false;
    for (const char *l = block; *l;) {
        size_t len = strcspn(l, "\n");
        size_t with_nl = len + (l[len] == '\n');
        if (skipping || starts_tag(l, open)) {
            /* A kid with kids of its own ends at its end tag. */
            if (skipping)
                skipping = strncmp(l, close, strlen(close)) != 0;
            else {
                _cleanup_free_ char *ln = vp_strndup(l, len);
                skipping =
                    len > 1 && l[len - 1] == '>' && l[len - 2] != '/' && !strstr(ln, close + 6);
            }
            l += with_nl;
            continue;
        }
        bool here = !placed && strncmp(l, "    </", 6) == 0;
        for (const char *const *b = before; !placed && !here && *b; b++) {
            _cleanup_free_ char *p = vp_asprintf("      <%s", *b);
            here = starts_tag(l, p);
        }
        if (here) {
            o = stpcpy(o, line);
            placed = true;
        }
        memcpy(o, l, with_nl);
        o += with_nl;
        l += with_nl;
    }
    return out;
}

/* *@xml with @from..@to replaced by @block. */
static void
text_splice(char **xml, const char *from, const char *to, const char *block)
{
    char *out = vp_asprintf("%.*s%s%s", (int)(from - *xml), *xml, block, to);
    free(*xml);
    *xml = out;
}

/* Where the value of attribute @attr of @block's first line (its
 * element's start tag) begins, or NULL. */
static const char *
head_attr_at(const char *block, const char *attr)
{
    _cleanup_free_ char *key = vp_asprintf(" %s='", attr);
    const char *at = strstr(block, key), *end = strchr(block, '\n');
    return !at || (end && at > end) ? NULL : at + strlen(key);
}

/* @block (one device element) with attribute @attr of its first line set
 * to @value, which replaces the one it has. (transfer full) */
static char *
head_set_attr(const char *block, const char *attr, const char *value)
{
    const char *v = head_attr_at(block, attr);
    if (!v)
        return vp_strdup(block);
    return vp_asprintf("%.*s%s%s", (int)(v - block), block, value, v + strcspn(v, "'"));
}

/* The disk of target @dev shows medium @file (NULL: none) of <disk
 * type=@type> (NULL: the definition's type, or "file" for another medium
 * than the definition's: a live-meta that has no "media-types" was
 * written when only files changed live). */
static void
overlay_medium(char **xml, const char *dev, const char *file, const char *type)
{
    const char *from, *to;
    for (size_t i = 0; block_at(*xml, "disk", i, &from, &to); i++) {
        _cleanup_free_ char *target = kid_attr(from, to, "target", "dev");
        if (!eq(target, dev))
            continue;
        const char *t = head_attr_at(from + 1, "type");
        _cleanup_free_ char *have_type = t ? vp_strndup(t, strcspn(t, "'")) : NULL;
        _cleanup_free_ char *have = kid_attr(from, to, "source", "file");
        if (!have)
            have = kid_attr(from, to, "source", "dev");
        bool same = (!have && !file) || eq(have, file);
        const char *want_type = type ? type : same || !file ? have_type : "file";
        if (same && (!want_type || eq(want_type, have_type)))
            return; /* QEMU has the definition's */
        _cleanup_free_ char *esc = file ? qemu_live_attr_escape(file) : NULL;
        _cleanup_free_ char *line = esc ? vp_asprintf("      <source %s='%s'/>\n",
                                                      eq(want_type, "block") ? "dev" : "file", esc)
                                        : NULL;
        static const char *const before[] = {"backingStore", "geometry", "blockio", "target", NULL};
        _cleanup_free_ char *block = vp_strndup(from + 1, (size_t)(to - from - 1));
        _cleanup_free_ char *edited = block_set_kid(block, "source", line, before);
        _cleanup_free_ char *typed = want_type ? head_set_attr(edited, "type", want_type) : NULL;
        text_splice(xml, from + 1, to, typed ? typed : edited);
        return;
    }
}

static void
overlay_link(char **xml, const char *mac, const char *state)
{
    const char *from, *to;
    for (size_t i = 0; block_at(*xml, "interface", i, &from, &to); i++) {
        _cleanup_free_ char *m = kid_attr(from, to, "mac", "address");
        if (!m || strcasecmp(m, mac) != 0)
            continue;
        _cleanup_free_ char *have = kid_attr(from, to, "link", "state");
        if ((!have && !state) || eq(have, state))
            return;
        _cleanup_free_ char *line = state ? vp_asprintf("      <link state='%s'/>\n", state) : NULL;
        static const char *const before[] = {"mtu",  "coalesce", "bandwidth", "vlan", "port", "rom",
                                             "boot", "alias",    "address",   "acpi", NULL};
        _cleanup_free_ char *block = vp_strndup(from + 1, (size_t)(to - from - 1));
        _cleanup_free_ char *edited = block_set_kid(block, "link", line, before);
        text_splice(xml, from + 1, to, edited);
        return;
    }
}

/* The disk of target @dev shows its tray @open as libvirt's running XML
 * does: tray='open' on <target>, nothing when closed. */
static void
overlay_tray(char **xml, const char *dev, bool open)
{
    const char *from, *to;
    for (size_t i = 0; block_at(*xml, "disk", i, &from, &to); i++) {
        _cleanup_free_ char *target = kid_attr(from, to, "target", "dev");
        if (!eq(target, dev))
            continue;
        _cleanup_free_ char *have = kid_attr(from, to, "target", "tray");
        if (open ? eq(have, "open") : !eq(have, "open"))
            return;
        const char *at = strstr(from, "\n      <target ") + 1, *end = strchr(at, '\n');
        _cleanup_free_ char *line = vp_strndup(at, (size_t)(end - at));
        char *tray = strstr(line, " tray='"), *quote = tray ? strchr(tray + 7, '\'') : NULL;
        if (quote) /* the definition's tray */
            memmove(tray, quote + 1, strlen(quote + 1) + 1);
        _cleanup_free_ char *edited = NULL;
        size_t n = strlen(line);
        if (open) {
            if (n < 2 || strcmp(line + n - 2, "/>") != 0)
                return; /* <target> is empty in what the core writes */
            edited = vp_asprintf("%.*s tray='open'/>", (int)(n - 2), line);
        }
        text_splice(xml, at, end, edited ? edited : line);
        return;
    }
}

void
qemu_device_live_overlay_trays(char **xml, json_object *trays)
{
    json_object_object_foreach(trays, dev, open)
    {
        overlay_tray(xml, dev, json_object_get_boolean(open));
    }
}

void
qemu_device_live_overlay(char **xml, json_object *meta)
{
    json_object *media = NULL, *links = NULL, *types = NULL;
    json_object_object_get_ex(meta, QEMU_LIVE_MEDIA_TYPES, &types);
    if (json_object_object_get_ex(meta, QEMU_LIVE_MEDIA, &media) &&
        json_object_is_type(media, json_type_object)) {
        json_object_object_foreach(media, dev, file)
        {
            json_object *type = NULL;
            if (json_object_is_type(types, json_type_object))
                json_object_object_get_ex(types, dev, &type);
            overlay_medium(xml, dev, file ? json_object_get_string(file) : NULL,
                           type ? json_object_get_string(type) : NULL);
        }
    }
    if (json_object_object_get_ex(meta, QEMU_LIVE_LINKS, &links) &&
        json_object_is_type(links, json_type_object)) {
        json_object_object_foreach(links, mac, state)
        {
            overlay_link(xml, mac, state ? json_object_get_string(state) : NULL);
        }
    }
}
