/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-graphics-live.c: the domain_update_device slot, a running
 * domain's <graphics> changed live (libvirt's update-device).
 *
 * Owns what a running QEMU's display may change: its passwd,
 * passwdValidTo and connected, over QMP set_password and expire_password,
 * as libvirt changes them. Every other difference between the <graphics>
 * QEMU runs (kept in RUN/NAME.live-meta from its start, qemu-live.c) and
 * the new one is refused, naming the attribute or the element; the listen
 * address and the ports are compared as QEMU uses them (an autoport
 * display's port is whatever QEMU took). The new <graphics> is written to
 * live-meta before QMP is asked and put back when QMP refuses: a kill in
 * between leaves live-meta ahead of QEMU, which the same update made again
 * repairs (QMP is always asked, also for an unchanged password). The
 * definition is the core's to change (--config). A <disk> or an
 * <interface> goes to qemu-device-live.c.
 */
#include <config.h>

#include <string.h>

#include <json-c/json.h>

#include <virtplug/sdk/services.h>

#include "qemu-devices.h"
#include "qemu-driver.h"
#include "qemu-live.h"

const char *const qemu_graphics_live_attrs[] = {"passwd", "passwdValidTo", "connected", NULL};

static bool
live_attr(const char *key)
{
    for (const char *const *a = qemu_graphics_live_attrs; *a; a++)
        if (key[0] == '@' && strcmp(key + 1, *a) == 0)
            return true;
    return false;
}

/* The keys of a <graphics> node compared as QEMU uses them (below), or
 * the driver's own notes ("@vp-..."). */
static bool
compared_apart(const char *key)
{
    static const char *const apart[] = {"@port",   "@tlsPort", "@autoport",
                                        "@listen", "listen",   NULL};
    if (strncmp(key, "@vp-", 4) == 0)
        return true;
    for (const char *const *a = apart; *a; a++)
        if (strcmp(key, *a) == 0)
            return true;
    return false;
}

static int
refuse(const char *key, const char *type, const char *domain)
{
    const char *what = key[0] == '@' ? "attribute" : "element";
    return vp_plugin_error_set(
        VP_ERR_NOT_SUPPORTED,
        "cannot change %s '%s' of <graphics type='%s'> of running domain '%s': only passwd, passwdValidTo and connected change live; change the definition (--config) and restart it",
        what, key[0] == '@' ? key + 1 : key, type, domain);
}

static bool
same(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* The port settings, the listen address, its type and socket. */
static int
compare_places(json_object *old, json_object *new, const char *type, const char *domain)
{
    bool autoport = qemu_graphics_autoport(old);
    if (autoport != qemu_graphics_autoport(new))
        return refuse("@autoport", type, domain);
    if (!autoport && !same(qemu_tree_attr(old, "port"), qemu_tree_attr(new, "port")))
        return refuse("@port", type, domain);
    const char *ot = qemu_tree_attr(old, "tlsPort"), *nt = qemu_tree_attr(new, "tlsPort");
    if (!same(ot, nt) &&
        !(autoport && (!ot || !nt || strcmp(ot, "-1") == 0 || strcmp(nt, "-1") == 0)))
        return refuse("@tlsPort", type, domain);
    json_object *ol = qemu_tree_kid(old, "listen", 0), *nl = qemu_tree_kid(new, "listen", 0);
    const char *olt = qemu_tree_attr(ol, "type"), *nlt = qemu_tree_attr(nl, "type");
    bool osock = same(olt, "socket"), nsock = same(nlt, "socket");
    if (osock != nsock ||
        (osock && !same(qemu_tree_attr(ol, "socket"), qemu_tree_attr(nl, "socket"))))
        return refuse("listen", type, domain);
    if (!osock && strcmp(qemu_graphics_listen_address(old), qemu_graphics_listen_address(new)) != 0)
        return refuse("@listen", type, domain);
    return 0;
}

/* Every other key of @a is the same in @b. */
static int
compare_rest(json_object *a, json_object *b, const char *type, const char *domain)
{
    json_object_object_foreach(a, key, v)
    {
        json_object *w = NULL;
        if (live_attr(key) || compared_apart(key))
            continue;
        if (!json_object_object_get_ex(b, key, &w) || !json_object_equal(v, w))
            return refuse(key, type, domain);
    }
    return 0;
}

static int
graphics_diff(json_object *old, json_object *new, const char *domain)
{
    const char *type = qemu_tree_attr(old, "type");
    if (!same(type, qemu_tree_attr(new, "type")))
        return refuse("@type", type ? type : "", domain);
    int r = compare_places(old, new, type, domain);
    if (r >= 0)
        r = compare_rest(old, new, type, domain);
    if (r >= 0)
        r = compare_rest(new, old, type, domain);
    /* QEMU's display asks for a password only when it started with one. */
    if (r >= 0 && !qemu_tree_attr(old, "passwd") && qemu_tree_attr(new, "passwd"))
        return vp_plugin_error_set(
            VP_ERR_NOT_SUPPORTED,
            "cannot set a password on the <graphics type='%s'> of running domain '%s': it started without one, so QEMU does not ask for one; change the definition (--config) and restart it",
            type, domain);
    return r;
}

/* The <graphics> QEMU runs, as live-meta has it, else the definition's
 * (a QEMU started before live-meta kept it). (transfer full) */
static int
running_graphics(qemu_driver *drv, const char *name, json_object **ret_meta, json_object **ret_g)
{
    json_object *meta = NULL, *g = NULL;
    int r = qemu_live_read(drv, name, &meta);
    if (r < 0)
        return r;
    if (r == 0)
        meta = json_object_new_object();
    if (json_object_object_get_ex(meta, QEMU_LIVE_GRAPHICS, &g)) {
        json_object_get(g);
    } else {
        json_object *tree = NULL;
        r = qemu_domain_load_extras(drv, name, &tree);
        if (r < 0) {
            json_object_put(meta);
            return r;
        }
        g = json_object_get(qemu_tree_kid(tree, "graphics", 0));
        json_object_put(tree);
    }
    *ret_meta = meta;
    *ret_g = g;
    return 0;
}

static int
update_graphics(qemu_driver *drv, const char *name, const vp_domain_model *after)
{
    _cleanup_domain_lock_ int lock = -1;
    _cleanup_(qemu_record_freep) qemu_record *rec = NULL;
    int r = qemu_domain_begin(drv, name, "update-device", &lock, &rec);
    if (r < 0)
        return r;
    if (!rec->active || rec->starting)
        return vp_plugin_error_set(VP_ERR_OPERATION_INVALID, "domain '%s' is not running", name);
    _cleanup_(json_object_putp) json_object *tree = qemu_devices_from_model(after);
    json_object *new = qemu_tree_kid(tree, "graphics", 0);
    _cleanup_(json_object_putp) json_object *meta = NULL;
    _cleanup_(json_object_putp) json_object *old = NULL;
    r = running_graphics(drv, name, &meta, &old);
    if (r < 0)
        return r;
    if (!old || !new)
        return vp_plugin_error_set(VP_ERR_INVALID_ARG,
                                   "cannot find existing graphics device to modify in domain '%s'",
                                   name);
    r = qemu_graphics_check_listen(new);
    if (r >= 0)
        r = qemu_graphics_check_auth(new);
    if (r >= 0)
        r = graphics_diff(old, new, name);
    if (r < 0)
        return r;
    /* The QEMU-run node with the new live attributes: the driver's notes
     * (the chosen port, the certificate directory) stay. */
    json_object *next = NULL;
    json_object_deep_copy(old, &next, NULL);
    for (const char *const *a = qemu_graphics_live_attrs; *a; a++) {
        _cleanup_free_ char *key = vp_asprintf("@%s", *a);
        const char *v = qemu_tree_attr(new, *a);
        if (v)
            json_object_object_add(next, key, json_object_new_string(v));
        else
            json_object_object_del(next, key);
    }
    json_object_object_add(meta, QEMU_LIVE_GRAPHICS, next);
    r = qemu_live_store(drv, name, meta);
    if (r < 0)
        return r;
    qemu_step("update-device: running graphics written");
    r = qemu_graphics_apply_password(next, rec->qmp_path, name, true);
    if (r < 0) {
        vp_plugin_saved_error *saved = vp_plugin_error_save();
        json_object_object_add(meta, QEMU_LIVE_GRAPHICS, json_object_get(old));
        qemu_live_store(drv, name, meta);
        return vp_plugin_error_restore(saved);
    }
    qemu_step("update-device: QEMU has the password");
    return 0;
}

int
qemu_domain_update_device(void *priv, const char *name, const char *xml,
                          const vp_domain_model *after, unsigned int flags)
{
    if (flags & ~VP_DOMAIN_DEVICE_MODIFY_FORCE)
        return vp_plugin_error_set(VP_ERR_INVALID_ARG, "unsupported update-device flags 0x%x",
                                   flags);
    if (!after)
        return vp_plugin_error_set(VP_ERR_INTERNAL, "update-device without the domain's model");
    int r = qemu_device_live_update(priv, name, xml, after, flags);
    if (r == 1)
        r = update_graphics(priv, name, after);
    qemu_events_look(priv, name, false);
    return r;
}
