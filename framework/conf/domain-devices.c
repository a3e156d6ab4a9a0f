/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * domain-devices.c: the <devices> of domain XML.
 *
 * Owns parsing, checking and formatting the devices of the subset: the
 * emulator path, file-backed disks and cdroms, one serial port (file or
 * pty) with the <console> that libvirt writes as its alias, and the guest
 * agent's unix channel. Any other device, attribute or value is an error
 * naming it; duplicate disk targets are refused. It must never accept a
 * device the QEMU driver could not honour, and never print.
 */
#include <config.h>

#include <libxml/tree.h>

#include "internal.h"
#include "conf/domain-conf.h"

#define AGENT_CHANNEL_NAME "org.qemu.guest_agent.0"

static const char *const serial_types[] = {"none", "file", "pty", NULL};

/* What the device parsers of one <devices> share. */
typedef struct devices_parse {
    vp_domain_def *def;
    vp_domain_disk_def *disk; /* the <disk> being read */
    bool disk_has_target;
    xmlNode *serial_node;
    xmlNode *console_node;
    int console_type;
    char *console_path;
    int char_type; /* the <serial> or <console> being read */
    char **char_path;
    bool char_has_target;
} devices_parse;

static int
parse_emulator(const vpi_xml *x, xmlNode *node, void *data)
{
    vp_domain_def *def = ((devices_parse *)data)->def;
    _cleanup_free_ char *text = NULL;
    int r = vpi_xml_check_attrs(x, node, NULL);
    if (r >= 0)
        r = vpi_xml_text(x, node, &text);
    if (r >= 0)
        r = vpi_xml_check_path(x, node, "<emulator>", text);
    if (r < 0)
        return r;
    def->emulator = VP_STEAL_PTR(text);
    return 0;
}

/* An optional enumerated attribute: its index, or @dflt when absent. */
static int
enum_attr(const vpi_xml *x, xmlNode *node, const char *name, const char *const *choices, int dflt)
{
    _cleanup_free_ char *v = vpi_xml_attr(node, name);
    if (!v)
        return dflt;
    char what[64];
    snprintf(what, sizeof(what), "attribute '%s' of <%s>", name, (const char *)node->name);
    return vpi_xml_enum(x, node, what, v, choices);
}

/* An empty element whose only attributes are @attrs. */
static int
check_leaf(const vpi_xml *x, xmlNode *node, const char *const *attrs)
{
    int r = vpi_xml_check_attrs(x, node, attrs);
    if (r < 0)
        return r;
    return vpi_xml_check_empty(x, node);
}

static int
parse_disk_driver(const vpi_xml *x, xmlNode *node, void *data)
{
    static const char *const attrs[] = {"name", "type", NULL};
    static const char *const names[] = {"qemu", NULL};
    static const char *const types[] = {"qcow2", "raw", NULL};
    vp_domain_disk_def *disk = ((devices_parse *)data)->disk;
    int r = check_leaf(x, node, attrs);
    if (r >= 0)
        r = enum_attr(x, node, "name", names, 0);
    if (r >= 0)
        r = enum_attr(x, node, "type", types, 0);
    if (r < 0)
        return r;
    disk->driver_type = vpi_xml_attr(node, "type");
    return 0;
}

static int
parse_disk_source(const vpi_xml *x, xmlNode *node, void *data)
{
    static const char *const attrs[] = {"file", NULL};
    vp_domain_disk_def *disk = ((devices_parse *)data)->disk;
    _cleanup_free_ char *file = NULL;
    int r = check_leaf(x, node, attrs);
    if (r >= 0)
        r = vpi_xml_attr_required(x, node, "file", &file);
    if (r >= 0)
        r = vpi_xml_check_path(x, node, "attribute 'file' of <source>", file);
    if (r < 0)
        return r;
    disk->source_file = VP_STEAL_PTR(file);
    return 0;
}

/* "vda", "sdb", "hdc": the prefix names the bus QEMU attaches it to. */
static bool
disk_dev_valid(const char *dev)
{
    if (strncmp(dev, "vd", 2) != 0 && strncmp(dev, "sd", 2) != 0 && strncmp(dev, "hd", 2) != 0)
        return false;
    size_t n = strlen(dev + 2);
    if (n < 1 || n > 3)
        return false;
    for (const char *p = dev + 2; *p; p++)
        if (*p < 'a' || *p > 'z')
            return false;
    return true;
}

static int
parse_disk_target(const vpi_xml *x, xmlNode *node, void *data)
{
    static const char *const attrs[] = {"dev", "bus", NULL};
    static const char *const buses[] = {"virtio", "ide", "sata", "scsi", NULL};
    devices_parse *p = data;
    vp_domain_disk_def *disk = p->disk;
    _cleanup_free_ char *dev = NULL;
    int r = check_leaf(x, node, attrs);
    if (r >= 0)
        r = vpi_xml_attr_required(x, node, "dev", &dev);
    if (r >= 0)
        r = enum_attr(x, node, "bus", buses, 0);
    if (r < 0)
        return r;
    if (!disk_dev_valid(dev))
        return vpi_xml_error(
            x, node,
            "invalid value '%s' for attribute 'dev' of <target>: expected a name such as 'vda', 'sdb' or 'hdc'",
            dev);
    for (size_t i = 0; i < p->def->n_disks; i++)
        if (strcmp(p->def->disks[i].target_dev, dev) == 0)
            return vpi_xml_error(
                x, node, "disk target '%s' is used twice; give each disk its own <target dev>",
                dev);
    disk->target_dev = VP_STEAL_PTR(dev);
    disk->target_bus = vpi_xml_attr(node, "bus");
    p->disk_has_target = true;
    return 0;
}

static int
parse_disk_readonly(const vpi_xml *x, xmlNode *node, void *data)
{
    int r = check_leaf(x, node, NULL);
    if (r < 0)
        return r;
    ((devices_parse *)data)->disk->readonly = true;
    return 0;
}

static int
parse_disk_body(const vpi_xml *x, xmlNode *node, devices_parse *p)
{
    static const char *const attrs[] = {"type", "device", NULL};
    static const char *const types[] = {"file", NULL};
    static const char *const devices[] = {"disk", "cdrom", NULL};
    static const vpi_xml_child table[] = {
        {"driver", parse_disk_driver, false},
        {"source", parse_disk_source, false},
        {"target", parse_disk_target, false},
        {"readonly", parse_disk_readonly, false},
        {NULL, NULL, false},
    };
    vp_domain_disk_def *disk = p->disk;
    int r = vpi_xml_check_attrs(x, node, attrs);
    if (r >= 0)
        r = enum_attr(x, node, "type", types, 0);
    int device = r >= 0 ? enum_attr(x, node, "device", devices, 0) : r;
    if (device < 0)
        return device;
    disk->device = vp_strdup(devices[device]);
    r = vpi_xml_walk(x, node, table, p);
    if (r < 0)
        return r;
    if (!p->disk_has_target)
        return vpi_xml_error(x, node, "<disk> needs a <target dev='...'/>");
    if (!disk->source_file && device == 0)
        return vpi_xml_error(x, node, "disk '%s' needs a <source file='...'/>", disk->target_dev);
    /* A cdrom is read-only whether or not the XML says so, as in libvirt. */
    if (device == 1)
        disk->readonly = true;
    return 0;
}

static int
parse_disk(const vpi_xml *x, xmlNode *node, void *data)
{
    devices_parse *p = data;
    vp_domain_disk_def disk = {0};
    p->disk = &disk;
    p->disk_has_target = false;
    int r = parse_disk_body(x, node, p);
    p->disk = NULL;
    if (r < 0) {
        vpi_domain_disk_def_clear(&disk);
        return r;
    }
    vp_domain_def *def = p->def;
    def->disks = vp_renew(vp_domain_disk_def, def->disks, def->n_disks + 1);
    def->disks[def->n_disks++] = disk;
    return 0;
}

static int
parse_char_source(const vpi_xml *x, xmlNode *node, void *data)
{
    static const char *const attrs[] = {"path", NULL};
    devices_parse *p = data;
    _cleanup_free_ char *path = NULL;
    if (p->char_type == VP_DOMAIN_SERIAL_PTY)
        return vpi_xml_error(x, node, "a <%s type='pty'> takes no <source>; QEMU allocates the pty",
                             (const char *)node->parent->name);
    int r = check_leaf(x, node, attrs);
    if (r >= 0)
        r = vpi_xml_attr_required(x, node, "path", &path);
    if (r >= 0)
        r = vpi_xml_check_path(x, node, "attribute 'path' of <source>", path);
    if (r < 0)
        return r;
    *p->char_path = VP_STEAL_PTR(path);
    return 0;
}

/* <target port='0'/> of <serial>, <target type='serial' port='0'/> of <console>:
 * the subset has one serial port, so port 0 is the only one. */
static int
parse_char_target(const vpi_xml *x, xmlNode *node, void *data)
{
    static const char *const serial_attrs[] = {"port", NULL};
    static const char *const console_attrs[] = {"type", "port", NULL};
    static const char *const console_types[] = {"serial", NULL};
    static const char *const ports[] = {"0", NULL};
    devices_parse *p = data;
    bool console = strcmp((const char *)node->parent->name, "console") == 0;
    int r = check_leaf(x, node, console ? console_attrs : serial_attrs);
    if (r >= 0 && console)
        r = enum_attr(x, node, "type", console_types, 0);
    if (r >= 0)
        r = enum_attr(x, node, "port", ports, 0);
    if (r < 0)
        return r;
    p->char_has_target = true;
    return 0;
}

/* The body shared by <serial> and <console>: type, source, target. */
static int
parse_char_dev(const vpi_xml *x, xmlNode *node, devices_parse *p, int *ret_type, char **path)
{
    static const char *const attrs[] = {"type", NULL};
    static const vpi_xml_child table[] = {
        {"source", parse_char_source, false},
        {"target", parse_char_target, false},
        {NULL, NULL, false},
    };
    _cleanup_free_ char *type = NULL;
    int r = vpi_xml_check_attrs(x, node, attrs);
    if (r >= 0)
        r = vpi_xml_attr_required(x, node, "type", &type);
    char what[64];
    snprintf(what, sizeof(what), "attribute 'type' of <%s>", (const char *)node->name);
    /* serial_types + 1: "none" is the absence of the element, not a type. */
    int t = r >= 0 ? vpi_xml_enum(x, node, what, type, serial_types + 1) : r;
    if (t < 0)
        return t;
    t++;
    p->char_type = t;
    p->char_path = path;
    p->char_has_target = false;
    r = vpi_xml_walk(x, node, table, p);
    if (r < 0)
        return r;
    if (t == VP_DOMAIN_SERIAL_FILE && !*path)
        return vpi_xml_error(x, node, "a <%s type='file'> needs a <source path='...'/>",
                             (const char *)node->name);
    *ret_type = t;
    return 0;
}

static int
parse_serial(const vpi_xml *x, xmlNode *node, void *data)
{
    devices_parse *p = data;
    if (p->serial_node)
        return vpi_xml_error(x, node, "only one <serial> is supported; remove the others");
    p->serial_node = node;
    return parse_char_dev(x, node, p, &p->def->serial_type, &p->def->serial_path);
}

static int
parse_console(const vpi_xml *x, xmlNode *node, void *data)
{
    devices_parse *p = data;
    p->console_node = node;
    return parse_char_dev(x, node, p, &p->console_type, &p->console_path);
}

static int
parse_channel_source(const vpi_xml *x, xmlNode *node, void *data)
{
    static const char *const attrs[] = {"mode", "path", NULL};
    static const char *const modes[] = {"bind", NULL};
    vp_domain_def *def = ((devices_parse *)data)->def;
    _cleanup_free_ char *path = NULL;
    int r = check_leaf(x, node, attrs);
    if (r >= 0)
        r = enum_attr(x, node, "mode", modes, 0);
    if (r < 0)
        return r;
    /* Without a path the driver picks one in its runtime dir, as libvirt does. */
    path = vpi_xml_attr(node, "path");
    if (path && (r = vpi_xml_check_path(x, node, "attribute 'path' of <source>", path)) < 0)
        return r;
    def->agent_socket_path = VP_STEAL_PTR(path);
    return 0;
}

static int
parse_channel_target(const vpi_xml *x, xmlNode *node, void *data)
{
    static const char *const attrs[] = {"type", "name", NULL};
    static const char *const types[] = {"virtio", NULL};
    _cleanup_free_ char *type = NULL, *name = NULL;
    int r = check_leaf(x, node, attrs);
    if (r >= 0)
        r = vpi_xml_attr_required(x, node, "type", &type);
    if (r >= 0)
        r = vpi_xml_enum(x, node, "attribute 'type' of <target>", type, types);
    if (r >= 0)
        r = vpi_xml_attr_required(x, node, "name", &name);
    if (r < 0)
        return r;
    if (strcmp(name, AGENT_CHANNEL_NAME) != 0)
        return vpi_xml_error(
            x, node,
            "unsupported channel '%s': only the guest agent channel '" AGENT_CHANNEL_NAME
            "' is supported",
            name);
    ((devices_parse *)data)->def->has_agent_channel = true;
    return 0;
}

static int
parse_channel(const vpi_xml *x, xmlNode *node, void *data)
{
    static const char *const attrs[] = {"type", NULL};
    static const char *const types[] = {"unix", NULL};
    static const vpi_xml_child table[] = {
        {"source", parse_channel_source, false},
        {"target", parse_channel_target, false},
        {NULL, NULL, false},
    };
    devices_parse *p = data;
    _cleanup_free_ char *type = NULL;
    if (p->def->has_agent_channel)
        return vpi_xml_error(x, node,
                             "only one guest agent <channel> is supported; remove the others");
    int r = vpi_xml_check_attrs(x, node, attrs);
    if (r >= 0)
        r = vpi_xml_attr_required(x, node, "type", &type);
    if (r >= 0)
        r = vpi_xml_enum(x, node, "attribute 'type' of <channel>", type, types);
    if (r >= 0)
        r = vpi_xml_walk(x, node, table, p);
    if (r < 0)
        return r;
    if (!p->def->has_agent_channel)
        return vpi_xml_error(
            x, node, "<channel> needs <target type='virtio' name='" AGENT_CHANNEL_NAME "'/>");
    return 0;
}

/* libvirt writes a <console> that aliases serial port 0: accept exactly that. */
static int
check_console(const vpi_xml *x, devices_parse *p)
{
    const vp_domain_def *def = p->def;
    if (!p->console_node)
        return 0;
    if (!p->serial_node)
        return vpi_xml_error(
            x, p->console_node,
            "<console> needs a <serial> port to alias; add one with the same type");
    if (p->console_type != def->serial_type ||
        (def->serial_path && p->console_path && strcmp(def->serial_path, p->console_path) != 0))
        return vpi_xml_error(
            x, p->console_node,
            "<console> must match <serial> (type '%s'): it is an alias of serial port 0",
            serial_types[def->serial_type]);
    p->def->has_console = true;
    return 0;
}

int
vpi_domain_devices_parse(const vpi_xml *x, xmlNode *node, vp_domain_def *def)
{
    static const vpi_xml_child table[] = {
        {"emulator", parse_emulator, false}, {"disk", parse_disk, true},
        {"serial", parse_serial, true},      {"console", parse_console, false},
        {"channel", parse_channel, true},    {NULL, NULL, false},
    };
    devices_parse p = {.def = def};
    int r = vpi_xml_check_attrs(x, node, NULL);
    if (r >= 0)
        r = vpi_xml_walk(x, node, table, &p);
    if (r >= 0)
        r = check_console(x, &p);
    free(p.console_path);
    return r;
}

static void
format_disk(vpi_buf *b, const vp_domain_disk_def *disk)
{
    vpi_buf_add(b, "    <disk type='file'");
    vpi_buf_attr(b, "device", disk->device ? disk->device : "disk");
    vpi_buf_add(b, ">\n");
    if (disk->driver_type) {
        vpi_buf_add(b, "      <driver name='qemu'");
        vpi_buf_attr(b, "type", disk->driver_type);
        vpi_buf_add(b, "/>\n");
    }
    if (disk->source_file) {
        vpi_buf_add(b, "      <source");
        vpi_buf_attr(b, "file", disk->source_file);
        vpi_buf_add(b, "/>\n");
    }
    vpi_buf_add(b, "      <target");
    vpi_buf_attr(b, "dev", disk->target_dev);
    vpi_buf_attr(b, "bus", disk->target_bus);
    vpi_buf_add(b, "/>\n");
    if (disk->readonly)
        vpi_buf_add(b, "      <readonly/>\n");
    vpi_buf_add(b, "    </disk>\n");
}

static void
format_char_dev(vpi_buf *b, const vp_domain_def *def, const char *name, const char *target)
{
    vpi_buf_printf(b, "    <%s type='%s'>\n", name, serial_types[def->serial_type]);
    if (def->serial_type == VP_DOMAIN_SERIAL_FILE) {
        vpi_buf_add(b, "      <source");
        vpi_buf_attr(b, "path", def->serial_path);
        vpi_buf_add(b, "/>\n");
    }
    vpi_buf_printf(b, "      %s\n    </%s>\n", target, name);
}

void
vpi_domain_devices_format(vpi_buf *b, const vp_domain_def *def)
{
    bool serial =
        def->serial_type == VP_DOMAIN_SERIAL_FILE || def->serial_type == VP_DOMAIN_SERIAL_PTY;
    if (!def->emulator && !def->n_disks && !serial && !def->has_agent_channel)
        return;
    vpi_buf_add(b, "  <devices>\n");
    vpi_buf_text_elem(b, 4, "emulator", def->emulator);
    for (size_t i = 0; i < def->n_disks; i++)
        format_disk(b, &def->disks[i]);
    if (serial) {
        format_char_dev(b, def, "serial", "<target port='0'/>");
        if (def->has_console)
            format_char_dev(b, def, "console", "<target type='serial' port='0'/>");
    }
    if (def->has_agent_channel) {
        vpi_buf_add(b, "    <channel type='unix'>\n");
        if (def->agent_socket_path) {
            vpi_buf_add(b, "      <source mode='bind'");
            vpi_buf_attr(b, "path", def->agent_socket_path);
            vpi_buf_add(b, "/>\n");
        }
        vpi_buf_add(b, "      <target type='virtio' name='" AGENT_CHANNEL_NAME "'/>\n");
        vpi_buf_add(b, "    </channel>\n");
    }
    vpi_buf_add(b, "  </devices>\n");
}
