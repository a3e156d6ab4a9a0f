/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * snapshot-conf.c: libvirt-style snapshot XML (<domainsnapshot>).
 *
 * Owns parsing, checking and formatting snapshot definitions (part of the
 * XML module; the free is the core's, in defs.c): the
 * request a user writes (name, description, <memory snapshot>, <disks>) and
 * the record a driver stores, which adds when it was taken, the domain's
 * state then, the snapshot it was taken on top of (<parent>), whether the guest's file systems
 * were frozen, and, in a record redefined from libvirt, the <domain> it holds (kept as text).
 * libvirt has no XML for the last; virtplug writes an empty <quiesced/> element in a record whose
 * snapshot was taken with the file systems frozen, and writes nothing otherwise. A request may not
 * hold those three: the driver sets them. Unknown elements and bad values are errors naming them;
 * it must never drop anything, and never print.
 */
#include <config.h>

#include <libxml/tree.h>

#include "internal.h"
#include "conf/def-clear.h"
#include "conf/xml-util.h"

#include <virtplug/sdk/conf.h>

VP_DEFINE_CLEANUP(vp_snapshot_def, vp_plugin_snapshot_def_free)

/* libvirt's names, indexed by VP_DOMAIN_* (and VP_SNAPSHOT_STATE_DISK_SNAPSHOT). */
static const char *const state_names[] = {"nostate",       "running", "blocked", "paused",
                                          "shutdown",      "shutoff", "crashed", "pmsuspended",
                                          "disk-snapshot", NULL};
/* Indexed by VP_SNAPSHOT_LOCATION_*; "default" is the absence of the attribute. */
static const char *const locations[] = {"default", "no", "internal", "external", NULL};

typedef struct snapshot_parse {
    vp_snapshot_def *def;
    bool record;
    vp_snapshot_disk_def *disk; /* the <disk> being read */
} snapshot_parse;

static int
parse_text_field(const vpi_xml *x, xmlNode *node, char **field)
{
    int r = vpi_xml_check_attrs(x, node, NULL);
    if (r < 0)
        return r;
    return vpi_xml_text(x, node, field);
}

static int
parse_name(const vpi_xml *x, xmlNode *node, void *data)
{
    vp_snapshot_def *def = ((snapshot_parse *)data)->def;
    int r = parse_text_field(x, node, &def->name);
    if (r < 0)
        return r;
    return vpi_xml_check_name(x, node, "snapshot", def->name);
}

static int
parse_description(const vpi_xml *x, xmlNode *node, void *data)
{
    return parse_text_field(x, node, &((snapshot_parse *)data)->def->description);
}

/* <state>, <parent>, <creationTime>, <quiesced/> and <domain> say what happened: only a
 * driver's record may hold them. */
static int
check_record(const vpi_xml *x, xmlNode *node, const snapshot_parse *p)
{
    if (p->record)
        return 0;
    return vpi_xml_error(
        x, node, "<%s> is set by the driver when it takes the snapshot; remove it from the request",
        (const char *)node->name);
}

static int
parse_state(const vpi_xml *x, xmlNode *node, void *data)
{
    snapshot_parse *p = data;
    _cleanup_free_ char *text = NULL;
    int r = check_record(x, node, p);
    if (r >= 0)
        r = parse_text_field(x, node, &text);
    int state = r >= 0 ? vpi_xml_enum(x, node, "<state>", text, state_names) : r;
    if (state < 0)
        return state;
    p->def->state = state;
    return 0;
}

static int
parse_parent_name(const vpi_xml *x, xmlNode *node, void *data)
{
    vp_snapshot_def *def = data;
    int r = parse_text_field(x, node, &def->parent);
    if (r < 0)
        return r;
    return vpi_xml_check_name(x, node, "snapshot", def->parent);
}

/* libvirt's <parent><name>P</name></parent>: a record's, never a request's. */
static int
parse_parent(const vpi_xml *x, xmlNode *node, void *data)
{
    static const vpi_xml_child table[] = {{"name", parse_parent_name, false}, {NULL, NULL, false}};
    snapshot_parse *p = data;
    int r = check_record(x, node, p);
    if (r >= 0)
        r = vpi_xml_check_attrs(x, node, NULL);
    if (r >= 0)
        r = vpi_xml_walk(x, node, table, p->def);
    if (r >= 0 && !p->def->parent)
        r = vpi_xml_error(x, node, "<parent> needs a <name>");
    return r;
}

/* libvirt's copy of the definition inside a snapshot: kept as the text it
 * was given (the core checks it against the domain on redefine). */
static int
parse_domain(const vpi_xml *x, xmlNode *node, void *data)
{
    snapshot_parse *p = data;
    int r = check_record(x, node, p);
    if (r < 0)
        return r;
    xmlBuffer *buf = xmlBufferCreate();
    if (!buf || xmlNodeDump(buf, node->doc, node, 1, 0) < 0) {
        xmlBufferFree(buf);
        return vpi_xml_error(x, node, "cannot copy <domain>");
    }
    p->def->domain_xml = vp_strdup((const char *)xmlBufferContent(buf));
    xmlBufferFree(buf);
    return 0;
}

static int
parse_creation_time(const vpi_xml *x, xmlNode *node, void *data)
{
    snapshot_parse *p = data;
    _cleanup_free_ char *text = NULL;
    uint64_t t = 0;
    int r = check_record(x, node, p);
    if (r >= 0)
        r = parse_text_field(x, node, &text);
    if (r >= 0)
        r = vpi_xml_parse_u64(x, node, "<creationTime>", text, INT64_MAX, &t);
    if (r < 0)
        return r;
    p->def->creation_time = (int64_t)t;
    return 0;
}

static int
parse_quiesced(const vpi_xml *x, xmlNode *node, void *data)
{
    snapshot_parse *p = data;
    int r = check_record(x, node, p);
    if (r >= 0)
        r = vpi_xml_check_attrs(x, node, NULL);
    if (r >= 0)
        r = vpi_xml_check_empty(x, node);
    if (r < 0)
        return r;
    p->def->quiesced = true;
    return 0;
}

static int
parse_memory(const vpi_xml *x, xmlNode *node, void *data)
{
    static const char *const attrs[] = {"snapshot", NULL};
    static const char *const choices[] = {"no", "internal", NULL};
    snapshot_parse *p = data;
    _cleanup_free_ char *mode = NULL;
    int r = vpi_xml_check_attrs(x, node, attrs);
    if (r >= 0)
        r = vpi_xml_check_empty(x, node);
    if (r >= 0)
        r = vpi_xml_attr_required(x, node, "snapshot", &mode);
    int m = r >= 0 ? vpi_xml_enum(x, node, "attribute 'snapshot' of <memory>", mode, choices) : r;
    if (m < 0)
        return m;
    p->def->memory = m == 0 ? VP_SNAPSHOT_LOCATION_NO : VP_SNAPSHOT_LOCATION_INTERNAL;
    return 0;
}

/* An overlay (<driver>, <source>) belongs to an external disk snapshot only. */
static int
check_overlay(const vpi_xml *x, xmlNode *node, const vp_snapshot_disk_def *disk)
{
    if (disk->location == VP_SNAPSHOT_LOCATION_DEFAULT ||
        disk->location == VP_SNAPSHOT_LOCATION_EXTERNAL)
        return 0;
    return vpi_xml_error(x, node,
                         "<%s> is only allowed in a disk with snapshot='external', not '%s'",
                         (const char *)node->name, locations[disk->location]);
}

static int
parse_disk_driver(const vpi_xml *x, xmlNode *node, void *data)
{
    static const char *const attrs[] = {"type", NULL};
    static const char *const types[] = {"qcow2", NULL};
    vp_snapshot_disk_def *disk = ((snapshot_parse *)data)->disk;
    _cleanup_free_ char *type = NULL;
    int r = check_overlay(x, node, disk);
    if (r >= 0)
        r = vpi_xml_check_attrs(x, node, attrs);
    if (r >= 0)
        r = vpi_xml_check_empty(x, node);
    if (r >= 0)
        r = vpi_xml_attr_required(x, node, "type", &type);
    if (r >= 0)
        r = vpi_xml_enum(x, node, "attribute 'type' of <driver>", type, types);
    if (r < 0)
        return r;
    disk->driver_type = VP_STEAL_PTR(type);
    return 0;
}

static int
parse_disk_source(const vpi_xml *x, xmlNode *node, void *data)
{
    static const char *const attrs[] = {"file", NULL};
    vp_snapshot_disk_def *disk = ((snapshot_parse *)data)->disk;
    _cleanup_free_ char *file = NULL;
    int r = check_overlay(x, node, disk);
    if (r >= 0)
        r = vpi_xml_check_attrs(x, node, attrs);
    if (r >= 0)
        r = vpi_xml_check_empty(x, node);
    if (r >= 0)
        r = vpi_xml_attr_required(x, node, "file", &file);
    if (r >= 0)
        r = vpi_xml_check_path(x, node, "attribute 'file' of <source>", file);
    if (r < 0)
        return r;
    disk->source_file = VP_STEAL_PTR(file);
    return 0;
}

static int
parse_disk_body(const vpi_xml *x, xmlNode *node, snapshot_parse *p)
{
    static const char *const attrs[] = {"name", "snapshot", NULL};
    static const vpi_xml_child table[] = {
        {"driver", parse_disk_driver, false},
        {"source", parse_disk_source, false},
        {NULL, NULL, false},
    };
    vp_snapshot_disk_def *disk = p->disk;
    int r = vpi_xml_check_attrs(x, node, attrs);
    if (r >= 0)
        r = vpi_xml_attr_required(x, node, "name", &disk->name);
    if (r < 0)
        return r;
    if (!*disk->name || strpbrk(disk->name, "\t\n\r"))
        return vpi_xml_error(
            x, node,
            "invalid value '%s' for attribute 'name' of <disk>: expected a disk target such as 'vda'",
            disk->name);
    for (size_t i = 0; i < p->def->n_disks; i++)
        if (strcmp(p->def->disks[i].name, disk->name) == 0)
            return vpi_xml_error(x, node, "disk '%s' is listed twice in <disks>", disk->name);
    _cleanup_free_ char *mode = vpi_xml_attr(node, "snapshot");
    if (mode) {
        int loc = vpi_xml_enum(x, node, "attribute 'snapshot' of <disk>", mode, locations + 1);
        if (loc < 0)
            return loc;
        disk->location = loc + 1;
    }
    return vpi_xml_walk(x, node, table, p);
}

static int
parse_disk(const vpi_xml *x, xmlNode *node, void *data)
{
    snapshot_parse *p = data;
    vp_snapshot_disk_def disk = {0};
    p->disk = &disk;
    int r = parse_disk_body(x, node, p);
    p->disk = NULL;
    if (r < 0) {
        vpi_snapshot_disk_def_clear(&disk);
        return r;
    }
    vp_snapshot_def *def = p->def;
    def->disks = vp_renew(vp_snapshot_disk_def, def->disks, def->n_disks + 1);
    def->disks[def->n_disks++] = disk;
    return 0;
}

static int
parse_disks(const vpi_xml *x, xmlNode *node, void *data)
{
    static const vpi_xml_child table[] = {{"disk", parse_disk, true}, {NULL, NULL, false}};
    int r = vpi_xml_check_attrs(x, node, NULL);
    if (r < 0)
        return r;
    return vpi_xml_walk(x, node, table, data);
}

/* The XML module's implementation, hidden there: libvirtplug exports a
 * function of the same name that calls this one through the module's
 * table (xml-lazy.c). */
int
vp_plugin_snapshot_def_parse(const char *xml, unsigned int flags, vp_snapshot_def **ret_def)
{
    static const vpi_xml x = {.what = "snapshot XML"};
    static const vpi_xml_child table[] = {
        {"name", parse_name, false},
        {"description", parse_description, false},
        {"state", parse_state, false},
        {"parent", parse_parent, false},
        {"creationTime", parse_creation_time, false},
        {"quiesced", parse_quiesced, false},
        {"memory", parse_memory, false},
        {"disks", parse_disks, false},
        {"domain", parse_domain, false},
        {NULL, NULL, false},
    };
    vp_return_if_fail(xml, "xml");
    vp_return_if_fail(ret_def, "ret_def");
    if (flags & ~VP_PLUGIN_SNAPSHOT_PARSE_RECORD)
        return vp_error_set(VP_ERR_INVALID_ARG, "unsupported flags 0x%x for parsing snapshot XML",
                            flags);
    xmlDoc *doc = NULL;
    int r = vpi_xml_read(&x, xml, "domainsnapshot", &doc);
    if (r < 0)
        return r;
    _cleanup_(vp_plugin_snapshot_def_freep) vp_snapshot_def *def = vp_new0(vp_snapshot_def, 1);
    snapshot_parse p = {.def = def, .record = flags & VP_PLUGIN_SNAPSHOT_PARSE_RECORD};
    xmlNode *root = xmlDocGetRootElement(doc);
    r = vpi_xml_check_attrs(&x, root, NULL);
    if (r >= 0)
        r = vpi_xml_walk(&x, root, table, &p);
    xmlFreeDoc(doc);
    if (r < 0)
        return r;
    *ret_def = VP_STEAL_PTR(def);
    return 0;
}

static int
format_check(const vp_snapshot_def *def)
{
    if (def->state < 0 || def->state > VP_SNAPSHOT_STATE_DISK_SNAPSHOT)
        return vp_error_set(VP_ERR_XML, "cannot format snapshot XML: invalid state %d", def->state);
    if (def->memory < 0 || def->memory > VP_SNAPSHOT_LOCATION_INTERNAL)
        return vp_error_set(VP_ERR_XML, "cannot format snapshot XML: invalid memory location %d",
                            def->memory);
    if (def->creation_time < 0)
        return vp_error_set(VP_ERR_XML, "cannot format snapshot XML: negative creation time");
    if (def->n_disks && !def->disks)
        return vp_error_set(VP_ERR_XML, "cannot format snapshot XML: the definition has no disks");
    for (size_t i = 0; i < def->n_disks; i++) {
        const vp_snapshot_disk_def *d = &def->disks[i];
        if (!d->name || d->location < 0 || d->location > VP_SNAPSHOT_LOCATION_EXTERNAL)
            return vp_error_set(
                VP_ERR_XML,
                "cannot format snapshot XML: disk %zu has no name or an invalid location", i);
        bool overlay = d->location == VP_SNAPSHOT_LOCATION_DEFAULT ||
                       d->location == VP_SNAPSHOT_LOCATION_EXTERNAL;
        if (!overlay && (d->driver_type || d->source_file))
            return vp_error_set(
                VP_ERR_XML,
                "cannot format snapshot XML: disk '%s' has an overlay but snapshot='%s'", d->name,
                locations[d->location]);
    }
    return 0;
}

static void
format_disk(vpi_buf *b, const vp_snapshot_disk_def *d)
{
    vpi_buf_add(b, "    <disk");
    vpi_buf_attr(b, "name", d->name);
    if (d->location != VP_SNAPSHOT_LOCATION_DEFAULT)
        vpi_buf_attr(b, "snapshot", locations[d->location]);
    if (!d->driver_type && !d->source_file) {
        vpi_buf_add(b, "/>\n");
        return;
    }
    vpi_buf_add(b, ">\n");
    if (d->driver_type) {
        vpi_buf_add(b, "      <driver");
        vpi_buf_attr(b, "type", d->driver_type);
        vpi_buf_add(b, "/>\n");
    }
    if (d->source_file) {
        vpi_buf_add(b, "      <source");
        vpi_buf_attr(b, "file", d->source_file);
        vpi_buf_add(b, "/>\n");
    }
    vpi_buf_add(b, "    </disk>\n");
}

/* The XML module's implementation, hidden there: libvirtplug exports a
 * function of the same name that calls this one through the module's
 * table (xml-lazy.c). */
int
vp_plugin_snapshot_def_format(const vp_snapshot_def *def, unsigned int flags, char **ret_xml)
{
    vp_return_if_fail(def, "def");
    vp_return_if_fail(ret_xml, "ret_xml");
    if (flags)
        return vp_error_set(VP_ERR_INVALID_ARG,
                            "unsupported flags 0x%x for formatting snapshot XML", flags);
    int r = format_check(def);
    if (r < 0)
        return r;
    vpi_buf b = {0};
    vpi_buf_add(&b, "<domainsnapshot>\n");
    vpi_buf_text_elem(&b, 2, "name", def->name);
    vpi_buf_text_elem(&b, 2, "description", def->description);
    if (def->state)
        vpi_buf_text_elem(&b, 2, "state", state_names[def->state]);
    if (def->parent) {
        vpi_buf_add(&b, "  <parent>\n");
        vpi_buf_text_elem(&b, 4, "name", def->parent);
        vpi_buf_add(&b, "  </parent>\n");
    }
    if (def->creation_time)
        vpi_buf_printf(&b, "  <creationTime>%lld</creationTime>\n", (long long)def->creation_time);
    if (def->quiesced)
        vpi_buf_add(&b, "  <quiesced/>\n");
    if (def->memory != VP_SNAPSHOT_LOCATION_DEFAULT)
        vpi_buf_printf(&b, "  <memory snapshot='%s'/>\n", locations[def->memory]);
    if (def->n_disks) {
        vpi_buf_add(&b, "  <disks>\n");
        for (size_t i = 0; i < def->n_disks; i++)
            format_disk(&b, &def->disks[i]);
        vpi_buf_add(&b, "  </disks>\n");
    }
    if (def->domain_xml) {
        vpi_buf_add(&b, "  ");
        vpi_buf_add(&b, def->domain_xml);
        vpi_buf_add(&b, "\n");
    }
    vpi_buf_add(&b, "</domainsnapshot>\n");
    return vpi_buf_finish(&b, "snapshot XML", ret_xml);
}
