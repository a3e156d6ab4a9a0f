/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * cmd-media.c: the vpsh verbs change-media, domif-setlink and
 * domif-getlink, as virsh's, declared in cmd-domain.c's table.
 *
 * Owns how these verbs find a domain's device (a disk by its target or
 * its source, an interface by its MAC address or its target dev, as
 * virsh finds them), and the device element they hand to
 * vp_domain_update_device(): the domain's own element, taken from its XML
 * through the XML module (vp_plugin_xml_xpath), with only its <source>
 * or its <link state> changed, so that the driver sees no other
 * difference. They only call the public API.
 */
#include <config.h>

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <virtplug/sdk/conf.h>

#include "vpsh.h"

/* The @element devices of @dom's XML (the definition with @config) and
 * the XML itself; prints the error. */
static int
read_devices(vp_domain *dom, bool config, const char *element, char **ret_xml,
             vpsh_xml_dev ***ret_devs)
{
    _cleanup_free_ char *xml = NULL;
    if (vp_domain_get_xml(dom, config ? VP_DOMAIN_XML_INACTIVE : 0, &xml) < 0)
        return vpsh_fail();
    if (vpsh_xml_devices(xml, element, ret_devs) < 0)
        return vpsh_failf("cannot read the <%s> elements of the XML of domain '%s'", element,
                          vp_domain_get_name(dom));
    *ret_xml = VP_STEAL_PTR(xml);
    return VPSH_EXIT_OK;
}

/* The @index-th (from 0) @element of <devices> in @xml, as its own
 * document; prints the error. (transfer full) */
static char *
device_xml(const char *xml, const char *element, size_t index)
{
    _cleanup_free_ char *expr = vp_asprintf("/domain/devices/%s[%zu]", element, index + 1);
    char **texts = NULL;
    size_t n = 0;
    if (vp_plugin_xml_xpath(xml, expr, 0, &texts, &n) < 0) {
        vpsh_fail();
        return NULL;
    }
    char *text = n == 1 ? VP_STEAL_PTR(texts[0]) : NULL;
    for (size_t i = 0; i < n; i++)
        free(texts[i]);
    free(texts);
    if (!text)
        vpsh_failf("cannot find <%s> %zu in the XML", element, index + 1);
    return text;
}

/* @s with the kid element @kid of its root removed (its empty form or
 * the whole of it) and @add (may be NULL) put right after the root's
 * start tag, or after the kid @after when the root has one. (transfer
 * full) */
static char *
set_kid(const char *s, const char *kid, const char *add, const char *after)
{
    _cleanup_free_ char *open = vp_asprintf("<%s", kid);
    _cleanup_free_ char *close = vp_asprintf("</%s>", kid);
    _cleanup_free_ char *out = vp_strdup(s);
    for (char *at = strstr(out, open); at; at = strstr(at + 1, open)) {
        char next = at[strlen(open)];
        if (next != ' ' && next != '/' && next != '>')
            continue;
        char *end = strchr(at, '>');
        if (end && end[-1] != '/' && strstr(end, close))
            end = strstr(end, close) + strlen(close) - 1;
        if (!end)
            break;
        /* The line it stood on goes with it. */
        char *from = at;
        while (from > out && (from[-1] == ' ' || from[-1] == '\t'))
            from--;
        char *to = end + 1;
        if (*to == '\n' && from > out && from[-1] == '\n')
            to++;
        memmove(from, to, strlen(to) + 1);
        break;
    }
    if (!add)
        return VP_STEAL_PTR(out);
    char *place = strchr(out, '>');
    _cleanup_free_ char *after_open = after ? vp_asprintf("<%s", after) : NULL;
    char *a = after_open ? strstr(out, after_open) : NULL;
    if (a && strchr(a, '>'))
        place = strchr(a, '>');
    if (!place)
        return VP_STEAL_PTR(out);
    place++;
    return vp_asprintf("%.*s\n%s%s", (int)(place - out), out, add, place);
}

/* @v escaped for an attribute value. (transfer full) */
static char *
attr_escape(const char *v)
{
    char *out = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&out, &n);
    if (!f)
        return vp_strdup(v);
    vpsh_xml_escaped(f, v);
    fclose(f);
    return out;
}

/* The root start tag of @s with its type attribute set to @type. (transfer full) */
static char *
set_root_type(const char *s, const char *type)
{
    const char *end = strchr(s, '>');
    for (const char *q = "'\""; *q; q++) {
        _cleanup_free_ char *key = vp_asprintf(" type=%c", *q);
        const char *at = strstr(s, key);
        if (!at || !end || at > end)
            continue;
        const char *v = at + strlen(key), *vend = strchr(v, *q);
        if (vend)
            return vp_asprintf("%.*s%s%s", (int)(v - s), s, type, vend);
    }
    return vp_strdup(s);
}

/* --print-xml: the device element instead of the change. */
static int
print_device(vpsh_ctx *ctx, vp_domain *dom, const char *xml)
{
    if (ctx->json) {
        vpsh_json_begin_object(ctx->js, NULL);
        vpsh_json_string(ctx->js, "domain", vp_domain_get_name(dom));
        vpsh_json_string(ctx->js, "xml", xml);
        vpsh_json_end_object(ctx->js);
    } else {
        printf("%s\n", xml);
    }
    return VPSH_EXIT_OK;
}

/* ---- change-media ------------------------------------------------------- */

const vpsh_opt vpsh_change_media_opts[] = {
    {"eject", NULL, false, "eject the medium", NULL},
    {"insert", NULL, false, "insert a medium (SOURCE) into an empty drive", NULL},
    {"update", NULL, false, "replace the medium by SOURCE, or eject it without one (default)",
     NULL},
    {"current", NULL, false, "change the running domain if it runs, else its definition", NULL},
    {"live", NULL, false, "change the running domain", NULL},
    {"config", NULL, false, "change the definition the next start uses", NULL},
    {"force", NULL, false, "force the change, also of a tray the guest locked", NULL},
    {"print-xml", NULL, false, "print the disk's new XML instead of changing it", NULL},
    {"block", NULL, false, "SOURCE is a block device", NULL},
    {NULL, NULL, false, NULL, NULL},
};

typedef enum { MEDIA_EJECT, MEDIA_INSERT, MEDIA_UPDATE } media_action;
static const char *const action_names[] = {"eject", "insert", "update"};
static const char *const action_done[] = {"ejected", "inserted", "updated"};

/* virsh's rule: at most one of two options. */
static bool
exclusive(vpsh_ctx *ctx, const vpsh_args *a, const char *x, const char *y)
{
    if (!vpsh_flag(a, x) || !vpsh_flag(a, y))
        return true;
    vpsh_usage(ctx->cmd, "Options --%s and --%s are mutually exclusive", x, y);
    return false;
}

/* The changeable disk @path names in @disks: its index, or -1 (printed). */
static long
find_disk(vpsh_xml_dev **disks, const char *path)
{
    for (size_t i = 0; disks[i]; i++) {
        const char *keys[] = {"target/@dev", "source/@file", "source/@dev"};
        bool match = false;
        for (size_t k = 0; k < 3; k++) {
            const char *v = vpsh_xml_dev_get(disks[i], keys[k]);
            match = match || (v && strcmp(v, path) == 0);
        }
        if (!match)
            continue;
        /* As virsh's: a disk that has no medium to change is not looked at. */
        const char *device = vpsh_xml_dev_get(disks[i], "@device");
        if (device && (strcmp(device, "cdrom") == 0 || strcmp(device, "floppy") == 0))
            return (long)i;
    }
    vpsh_failf("No disk found whose source path or target is %s", path);
    return -1;
}

/* The disk element @disk with its medium changed by @action. (transfer full) */
static char *
media_xml(const char *disk, const vpsh_xml_dev *d, media_action action, const char *path,
          const char *source, bool block)
{
    bool has = vpsh_xml_dev_get(d, "source/@file") || vpsh_xml_dev_get(d, "source/@dev");
    if (action == MEDIA_EJECT && !has) {
        vpsh_failf("The disk device '%s' doesn't have media", path);
        return NULL;
    }
    if (action == MEDIA_INSERT && has) {
        vpsh_failf("The disk device '%s' already has media", path);
        return NULL;
    }
    if (action == MEDIA_INSERT && !source) {
        vpsh_failf("New disk media source was not specified");
        return NULL;
    }
    _cleanup_free_ char *esc = source ? attr_escape(source) : NULL;
    _cleanup_free_ char *line =
        esc ? vp_asprintf("  <source %s=\"%s\"/>", block ? "dev" : "file", esc) : NULL;
    _cleanup_free_ char *typed =
        source ? set_root_type(disk, block ? "block" : "file") : vp_strdup(disk);
    return set_kid(typed, "source", action == MEDIA_EJECT ? NULL : line, "driver");
}

int
vpsh_cmd_change_media(vpsh_ctx *ctx, const vpsh_args *a)
{
    if (!exclusive(ctx, a, "eject", "insert") || !exclusive(ctx, a, "eject", "update") ||
        !exclusive(ctx, a, "insert", "update") || !exclusive(ctx, a, "current", "live") ||
        !exclusive(ctx, a, "current", "config"))
        return VPSH_EXIT_USAGE;
    media_action action = vpsh_flag(a, "eject")    ? MEDIA_EJECT
                          : vpsh_flag(a, "insert") ? MEDIA_INSERT
                                                   : MEDIA_UPDATE;
    const char *path = a->pos[1], *source = a->npos > 2 ? a->pos[2] : NULL;
    /* virsh's: --eject ignores a SOURCE, --update without one ejects. */
    if (action == MEDIA_EJECT)
        source = NULL;
    if (action == MEDIA_UPDATE && !source)
        action = MEDIA_EJECT;
    bool config = vpsh_flag(a, "config");
    unsigned int flags = (config ? VP_DOMAIN_AFFECT_CONFIG : 0) |
                         (vpsh_flag(a, "live") ? VP_DOMAIN_AFFECT_LIVE : 0) |
                         (vpsh_flag(a, "force") ? VP_DOMAIN_DEVICE_MODIFY_FORCE : 0);
    _cleanup_(vp_domain_freep) vp_domain *dom = NULL;
    if (vpsh_domain(ctx, a->pos[0], &dom) != 0)
        return VPSH_EXIT_FAIL;
    _cleanup_free_ char *xml = NULL;
    vpsh_xml_dev **disks = NULL;
    if (read_devices(dom, config, "disk", &xml, &disks) != VPSH_EXIT_OK)
        return VPSH_EXIT_FAIL;
    long i = find_disk(disks, path);
    _cleanup_free_ char *disk = i < 0 ? NULL : device_xml(xml, "disk", (size_t)i);
    _cleanup_free_ char *next =
        disk ? media_xml(disk, disks[i], action, path, source, vpsh_flag(a, "block")) : NULL;
    vpsh_xml_devices_free(disks);
    if (!next)
        return VPSH_EXIT_FAIL;
    if (vpsh_flag(a, "print-xml"))
        return print_device(ctx, dom, next);
    if (vp_domain_update_device(dom, next, flags) < 0) {
        _cleanup_free_ char *what =
            vp_asprintf("Failed to complete action %s on media", action_names[action]);
        return vpsh_fail_what(what);
    }
    _cleanup_free_ char *text = vp_asprintf("Successfully %s media.", action_done[action]);
    vpsh_print_done(ctx, vp_domain_get_name(dom), action_done[action], text);
    return VPSH_EXIT_OK;
}

/* ---- domif-setlink, domif-getlink --------------------------------------- */

const vpsh_opt vpsh_domif_setlink_opts[] = {
    {"config", NULL, false, "the definition the next start uses", NULL},
    {"print-xml", NULL, false, "print the interface's new XML instead of changing it", NULL},
    {NULL, NULL, false, NULL, NULL},
};

const vpsh_opt vpsh_domif_getlink_opts[] = {
    {"config", NULL, false, "the definition the next start uses", NULL},
    {NULL, NULL, false, NULL, NULL},
};

static bool
looks_like_mac(const char *s)
{
    unsigned int b[6];
    char end;
    return strlen(s) == 17 && sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3],
                                     &b[4], &b[5], &end) == 6;
}

/* The interface @iface names (a MAC address or a target dev): its index
 * or -1 (printed: virsh's two verbs word it differently). */
static long
find_interface(vpsh_xml_dev **ifaces, const char *iface, bool setlink)
{
    bool mac = looks_like_mac(iface);
    for (size_t i = 0; ifaces[i]; i++) {
        const char *v = vpsh_xml_dev_get(ifaces[i], mac ? "mac/@address" : "target/@dev");
        if (v && (mac ? strcasecmp(v, iface) == 0 : strcmp(v, iface) == 0))
            return (long)i;
    }
    if (setlink)
        vpsh_failf("interface '%s' not found", iface);
    else
        vpsh_failf("Interface (%s: %s) not found.", mac ? "mac" : "dev", iface);
    return -1;
}

/* The interfaces of @dom and the one @iface names; prints the error. */
static int
interface_of(vp_domain *dom, const vpsh_args *a, bool setlink, char **ret_xml,
             vpsh_xml_dev ***ret_ifaces, long *ret_index)
{
    if (read_devices(dom, vpsh_flag(a, "config"), "interface", ret_xml, ret_ifaces) != VPSH_EXIT_OK)
        return VPSH_EXIT_FAIL;
    *ret_index = find_interface(*ret_ifaces, a->pos[1], setlink);
    return *ret_index < 0 ? VPSH_EXIT_FAIL : VPSH_EXIT_OK;
}

int
vpsh_cmd_domif_setlink(vpsh_ctx *ctx, const vpsh_args *a)
{
    const char *state = a->pos[2];
    if (strcmp(state, "up") != 0 && strcmp(state, "down") != 0)
        return vpsh_failf("invalid link state '%s'", state);
    _cleanup_(vp_domain_freep) vp_domain *dom = NULL;
    if (vpsh_domain(ctx, a->pos[0], &dom) != 0)
        return VPSH_EXIT_FAIL;
    _cleanup_free_ char *xml = NULL;
    vpsh_xml_dev **ifaces = NULL;
    long i = -1;
    int r = interface_of(dom, a, true, &xml, &ifaces, &i);
    _cleanup_free_ char *nic = r == VPSH_EXIT_OK ? device_xml(xml, "interface", (size_t)i) : NULL;
    vpsh_xml_devices_free(ifaces);
    if (!nic)
        return VPSH_EXIT_FAIL;
    _cleanup_free_ char *line = vp_asprintf("  <link state=\"%s\"/>", state);
    _cleanup_free_ char *next = set_kid(nic, "link", line, "model");
    if (vpsh_flag(a, "print-xml"))
        return print_device(ctx, dom, next);
    bool config = vpsh_flag(a, "config");
    int st = VP_DOMAIN_SHUTOFF;
    if (!config && vp_domain_get_state(dom, &st, NULL, 0) < 0)
        return vpsh_fail();
    unsigned int flags =
        config || st == VP_DOMAIN_SHUTOFF ? VP_DOMAIN_AFFECT_CONFIG : VP_DOMAIN_AFFECT_LIVE;
    if (vp_domain_update_device(dom, next, flags) < 0)
        return vpsh_fail_what("Failed to update interface link state");
    vpsh_print_done(ctx, vp_domain_get_name(dom), state, "Device updated successfully");
    return VPSH_EXIT_OK;
}

int
vpsh_cmd_domif_getlink(vpsh_ctx *ctx, const vpsh_args *a)
{
    _cleanup_(vp_domain_freep) vp_domain *dom = NULL;
    if (vpsh_domain(ctx, a->pos[0], &dom) != 0)
        return VPSH_EXIT_FAIL;
    _cleanup_free_ char *xml = NULL;
    vpsh_xml_dev **ifaces = NULL;
    long i = -1;
    if (interface_of(dom, a, false, &xml, &ifaces, &i) != VPSH_EXIT_OK) {
        vpsh_xml_devices_free(ifaces);
        return VPSH_EXIT_FAIL;
    }
    const char *state = vpsh_xml_dev_get(ifaces[i], "link/@state");
    state = state ? state : "up";
    if (ctx->json) {
        vpsh_json_begin_object(ctx->js, NULL);
        vpsh_json_string(ctx->js, "domain", vp_domain_get_name(dom));
        vpsh_json_string(ctx->js, "interface", a->pos[1]);
        vpsh_json_string(ctx->js, "state", state);
        vpsh_json_end_object(ctx->js);
    } else {
        printf("%s %s\n", a->pos[1], state);
    }
    vpsh_xml_devices_free(ifaces);
    return VPSH_EXIT_OK;
}
