/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-define-next.c: a definition given while the domain runs (libvirt's
 * "next boot" definition, what virsh edit of a running domain makes).
 *
 * QEMU goes on running the definition it was started with, and every
 * operation on the running domain (its running XML, its disks for a
 * snapshot, its console) keeps reading CONFIG/NAME.xml. The new one waits
 * in CONFIG/NAME.next.json, written at once (one atomic rename), until the
 * domain stops: then it becomes the definition, through the staged writes
 * of a define (qemu_domain_save_defined_base), and the file goes last. The
 * stop does that (qemu_domain_mark_stopped), and so does the refresh of
 * any later operation under the lock, so a kill at any step leaves either
 * the old definition and the waiting one, or the new one.
 *
 * A disk the new definition leaves as the running one had it when it was
 * given follows what the running domain did to it meanwhile: a snapshot
 * moves the running disk onto an overlay, and the new definition then
 * names that overlay, as libvirt updates both definitions. The file keeps,
 * for that, each disk's source and format at the define ("from").
 *
 * A restore of an image holding another definition than the domain's uses
 * the same file the other way round (qemu_define_next_park): before QEMU
 * starts, the domain's own definition waits there and the image's becomes
 * CONFIG/NAME.xml, so what the running domain reads is what QEMU runs.
 */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include <virtplug/sdk/alloc.h>
#include <virtplug/sdk/conf.h>
#include <virtplug/sdk/services.h>

#include "qemu-devices.h"
#include "qemu-driver.h"

/* The definition's own limit (1 MiB) four times: its text twice, and
 * the extras. */
#define NEXT_MAX_BYTES (4 * 1024 * 1024)

static char *
next_path(const qemu_driver *drv, const char *name)
{
    return vp_asprintf("%s/%s" QEMU_NEXT_SUFFIX, drv->config_dir, name);
}

static const char *
get_str(json_object *o, const char *key)
{
    json_object *v;
    return o && json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string)
               ? json_object_get_string(v)
               : NULL;
}

static bool
same_str(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

static const vp_domain_disk_def *
disk_of(const vp_domain_def *def, const char *target)
{
    for (size_t i = 0; def && i < def->n_disks; i++) {
        if (same_str(def->disks[i].target_dev, target))
            return &def->disks[i];
    }
    return NULL;
}

static void
replace_str(char **field, const char *value)
{
    free(*field);
    *field = value ? vp_strdup(value) : NULL;
}

json_object *
qemu_domain_extras_new(const char *xml, const char *base, const char *dom, const char *dev,
                       json_object *tree)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "xml", json_object_new_string(xml));
    json_object_object_add(o, "base", json_object_new_string(base));
    json_object_object_add(o, "domain", json_object_new_string(dom));
    json_object_object_add(o, "devices", json_object_new_string(dev));
    json_object_object_add(o, "tree", json_object_get(tree));
    return o;
}

/* Write CONFIG/NAME.next.json: the definition of text @xml, 1.0 part
 * @base, extra elements @dom and @dev and extras @tree, waiting while
 * QEMU runs @running, whose disks it notes ("from"). */
static int
next_store(const qemu_driver *drv, const char *name, const char *xml, const char *base,
           const char *dom, const char *dev, json_object *tree, const vp_domain_def *running)
{
    json_object *from = json_object_new_object();
    for (size_t i = 0; i < running->n_disks; i++) {
        const vp_domain_disk_def *disk = &running->disks[i];
        json_object *o = json_object_new_object();
        if (disk->source_file)
            json_object_object_add(o, "source", json_object_new_string(disk->source_file));
        if (disk->driver_type)
            json_object_object_add(o, "type", json_object_new_string(disk->driver_type));
        json_object_object_add(from, disk->target_dev, o);
    }
    json_object *o = qemu_domain_extras_new(xml, base, dom, dev, tree);
    json_object_object_add(o, "from", from);
    const char *text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY);
    _cleanup_free_ char *path = next_path(drv, name);
    int r = vp_plugin_file_write_atomic(path, text, strlen(text), 0600);
    json_object_put(o);
    return r;
}

int
qemu_define_next_write(const qemu_driver *drv, const qemu_define_parts *d)
{
    vp_domain_def *running = NULL;
    _cleanup_free_ char *base = NULL;
    int r = qemu_domain_load_def(drv, d->def->name, &running);
    if (r >= 0)
        r = vp_plugin_domain_def_format(d->def, 0, &base);
    if (r >= 0)
        r = next_store(drv, d->def->name, d->xml, base, d->dom, d->dev, d->tree, running);
    vp_plugin_domain_def_free(running);
    if (r >= 0)
        VP_PLUGIN_DEBUG(QEMU_AREA, "domain '%s' runs: its new definition waits for its stop",
                        d->def->name);
    return r;
}

int
qemu_define_next_park(const qemu_driver *drv, const char *name, const qemu_define_parts *running)
{
    _cleanup_free_ char *own = NULL, *base = NULL;
    int r = qemu_domain_format_xml(drv, name, &own);
    if (r < 0)
        return r;
    if (strcmp(own, running->xml) == 0)
        return 0; /* the image holds the definition: nothing waits */
    _cleanup_free_ char *path = qemu_domain_path(drv, name, ".xml");
    r = vp_plugin_file_read(path, NEXT_MAX_BYTES, &base, NULL);
    _cleanup_(json_object_putp) json_object *extras = NULL;
    if (r >= 0)
        r = qemu_domain_extras_read(drv, name, &extras);
    if (r < 0)
        return r;
    json_object *tree = NULL;
    json_object_object_get_ex(extras, "tree", &tree);
    const char *dom = get_str(extras, "domain"), *dev = get_str(extras, "devices");
    r = next_store(drv, name, own, base, dom ? dom : "", dev ? dev : "", tree, running->def);
    if (r < 0)
        return r;
    VP_PLUGIN_DEBUG(QEMU_AREA, "domain '%s' runs its image's definition: its own waits", name);
    return 1;
}

/* The waiting definition's 1.0 part with the disks it left as they were
 * following the running domain's (the file comment). */
static int
followed_base(const qemu_driver *drv, const char *name, json_object *o, char **ret_base)
{
    const char *base = get_str(o, "base");
    if (!base)
        return vp_plugin_error_set(VP_ERR_INTERNAL, "'%s' of domain '%s' holds no definition",
                                   "next.json", name);
    vp_domain_def *next = NULL, *running = NULL;
    int r = vp_plugin_domain_def_parse(base, 0, &next);
    if (r >= 0)
        r = qemu_domain_load_def(drv, name, &running);
    json_object *from = NULL;
    json_object_object_get_ex(o, "from", &from);
    for (size_t i = 0; r >= 0 && i < next->n_disks; i++) {
        vp_domain_disk_def *disk = &next->disks[i];
        json_object *was = NULL;
        const vp_domain_disk_def *now = disk_of(running, disk->target_dev);
        if (!now || !from || !json_object_object_get_ex(from, disk->target_dev, &was) ||
            !same_str(disk->source_file, get_str(was, "source")) ||
            !same_str(disk->driver_type, get_str(was, "type")))
            continue; /* changed by the define, or new: the define's */
        replace_str(&disk->source_file, now->source_file);
        replace_str(&disk->driver_type, now->driver_type);
    }
    if (r >= 0)
        r = vp_plugin_domain_def_format(next, 0, ret_base);
    vp_plugin_domain_def_free(next);
    vp_plugin_domain_def_free(running);
    return r;
}

static int
next_read(const qemu_driver *drv, const char *name, json_object **ret_obj)
{
    _cleanup_free_ char *path = next_path(drv, name);
    _cleanup_free_ char *text = NULL;
    *ret_obj = NULL;
    if (access(path, F_OK) < 0)
        return 0;
    int r = vp_plugin_file_read(path, NEXT_MAX_BYTES, &text, NULL);
    if (r < 0)
        return r;
    *ret_obj = json_tokener_parse(text);
    if (!*ret_obj || !get_str(*ret_obj, "xml"))
        return vp_plugin_error_set(VP_ERR_INTERNAL,
                                   "'%s' is not a definition; define the domain again", path);
    return 1;
}

/* The waiting definition (*@ret_obj) and its 1.0 part with the disks
 * followed (*@ret_base): 1, 0 when none waits, or an error. */
static int
next_followed(const qemu_driver *drv, const char *name, json_object **ret_obj, char **ret_base)
{
    int r = next_read(drv, name, ret_obj);
    if (r <= 0)
        return r;
    r = followed_base(drv, name, *ret_obj, ret_base);
    return r < 0 ? r : 1;
}

int
qemu_define_next_xml(const qemu_driver *drv, const char *name, char **ret_xml)
{
    _cleanup_(json_object_putp) json_object *o = NULL;
    _cleanup_free_ char *base = NULL;
    int r = next_followed(drv, name, &o, &base);
    if (r > 0)
        *ret_xml = qemu_domain_merge_xml(get_str(o, "xml"), base);
    return r;
}

int
qemu_define_next_def(const qemu_driver *drv, const char *name, vp_domain_def **ret_def)
{
    _cleanup_(json_object_putp) json_object *o = NULL;
    _cleanup_free_ char *base = NULL;
    int r = next_followed(drv, name, &o, &base);
    if (r > 0 && (r = vp_plugin_domain_def_parse(base, 0, ret_def)) >= 0)
        r = 1;
    return r;
}

int
qemu_define_next_promote(const qemu_driver *drv, const char *name)
{
    _cleanup_(json_object_putp) json_object *o = NULL;
    _cleanup_free_ char *base = NULL;
    int r = next_followed(drv, name, &o, &base);
    if (r <= 0)
        return r;
    _cleanup_free_ char *xml = qemu_domain_merge_xml(get_str(o, "xml"), base);
    json_object *tree = NULL;
    json_object_object_get_ex(o, "tree", &tree);
    const char *dom = get_str(o, "domain"), *dev = get_str(o, "devices");
    r = qemu_domain_save_defined_base(drv, name, base, xml, dom ? dom : "", dev ? dev : "", tree);
    if (r < 0)
        return r;
    qemu_step("define: the waiting definition made the definition");
    VP_PLUGIN_DEBUG(QEMU_AREA, "domain '%s' stopped: its waiting definition is now its own", name);
    return qemu_define_next_remove(drv, name);
}

int
qemu_define_next_remove(const qemu_driver *drv, const char *name)
{
    _cleanup_free_ char *path = next_path(drv, name);
    if (unlink(path) < 0 && errno != ENOENT)
        return vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno, "cannot remove '%s'", path);
    return 0;
}
