/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * domain-subset.c: what vp_plugin_domain_def_parse() accepts.
 *
 * Owns the 1.0 subset of domain XML: its capabilities, in the terms every
 * driver declares its own (so the model's parse refuses the rest with the
 * subset's message), the checks the field table names (absolute paths,
 * words for QEMU's command line, disk names, vcpus, sizes), each element
 * of a field at most once, and the rules of the 1.0 fields that no table
 * can say: one serial port that the console may alias, a disk needs a
 * target and, unless it is a cdrom, a source, the guest agent's channel,
 * direct kernel boot or boot devices. Every refusal names the element
 * and its line. It must never accept what the 1.0 fields cannot hold.
 */
#include <config.h>

#include <assert.h>
#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>

#include "internal.h"
#include "conf/domain-def.h"
#include "conf/model-caps.h"

#define MAX_VCPUS 4096

/* What vp_plugin_domain_def_parse() accepts, in the terms of a driver's
 * capabilities (driver.h); also what a plugin built before ABI 1.1 shows
 * in vp_conn_get_domain_capabilities(). */
const vp_plugin_domain_cap vpi_domain_caps_1_0[] = {
    {"@type", "kvm|qemu|test"},
    {"name", NULL},
    {"uuid", NULL},
    {"description", NULL},
    {"memory/@unit", NULL},
    {"currentMemory/@unit", NULL},
    {"vcpu/@placement", "static"},
    {"os/type", "hvm"},
    {"os/type/@arch", NULL},
    {"os/type/@machine", NULL},
    {"os/kernel", NULL},
    {"os/initrd", NULL},
    {"os/cmdline", NULL},
    {"os/boot/@dev", "hd|cdrom|network|fd"},
    {"on_poweroff", "destroy|restart|preserve|rename-restart"},
    {"on_reboot", "destroy|restart|preserve|rename-restart"},
    {"on_crash", NULL},
    {"devices/emulator", NULL},
    {"devices/disk/@type", "file"},
    {"devices/disk/@device", "disk|cdrom"},
    {"devices/disk/driver/@name", "qemu"},
    {"devices/disk/driver/@type", "qcow2|raw"},
    {"devices/disk/source/@file", NULL},
    {"devices/disk/target/@dev", NULL},
    {"devices/disk/target/@bus", "virtio|ide|sata|scsi"},
    {"devices/disk/readonly", NULL},
    {"devices/serial/@type", "file|pty"},
    {"devices/serial/source/@path", NULL},
    {"devices/serial/target/@port", "0"},
    {"devices/console/@type", "file|pty"},
    {"devices/console/source/@path", NULL},
    {"devices/console/target/@type", "serial"},
    {"devices/console/target/@port", "0"},
    {"devices/channel/@type", "unix"},
    {"devices/channel/source/@mode", "bind"},
    {"devices/channel/source/@path", NULL},
    {"devices/channel/target/@type", "virtio"},
    {"devices/channel/target/@name", AGENT_CHANNEL_NAME},
    {NULL, NULL},
};

/* ---- Checks of the 1.0 subset, before libvirt's rules ------------------ */

/* An architecture or machine name goes onto QEMU's command line: keep it
 * to the characters such names use, and never let it start with '-',
 * which QEMU would read as one of its options. */
static int
check_word(const vpi_xml *x, long line, const char *what, const char *value, size_t max)
{
    size_t n = strlen(value);
    if (n > max)
        return vpi_xml_error_at(x, line,
                                "invalid value '%s' for %s: it is longer than %zu characters",
                                value, what, max);
    bool ok = n > 0 && isalnum((unsigned char)value[0]);
    for (size_t i = 0; ok && i < n; i++)
        ok = isalnum((unsigned char)value[i]) || strchr("._-", value[i]);
    if (ok)
        return 0;
    if (value[0] == '-')
        return vpi_xml_error_at(
            x, line,
            "invalid value '%s' for %s: it cannot start with '-' (QEMU would read it as an option); expected letters, digits, '.', '_' or '-', starting with a letter or digit",
            value, what);
    return vpi_xml_error_at(
        x, line,
        "invalid value '%s' for %s: expected letters, digits, '.', '_' or '-', starting with a letter or digit",
        value, what);
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
check_value(const vpi_xml *x, long line, const char *what, field_check check, const char *value)
{
    uint64_t n = 0;
    int r = 0;
    switch (check) {
    case C_NONE:
        return 0;
    case C_PATH:
        return vpi_xml_check_path_at(x, line, what, value);
    case C_ARCH:
        return check_word(x, line, what, value, 32);
    case C_MACHINE:
        return check_word(x, line, what, value, 64);
    case C_DISK_DEV:
        if (disk_dev_valid(value))
            return 0;
        return vpi_xml_error_at(
            x, line, "invalid value '%s' for %s: expected a name such as 'vda', 'sdb' or 'hdc'",
            value, what);
    case C_VCPUS:
        r = vpi_xml_parse_u64_at(x, line, what, value, MAX_VCPUS, &n);
        if (r >= 0 && n == 0)
            r = vpi_xml_error_at(x, line,
                                 "invalid value '%s' for %s: a domain needs at least one vcpu",
                                 value, what);
        return r;
    case C_SIZE:
        if (strtoull(value, NULL, 10) != 0)
            return 0;
        return vpi_xml_error_at(x, line, "invalid value '%s' for %s: the domain needs some memory",
                                value, what);
    }
    return 0;
}

static int check_fields(const vpi_xml *x, const vpi_mnode *node, const field *fields);

/* One value of @f on @node (whose element the path ends at). */
static int
check_node(const vpi_xml *x, const vpi_mnode *node, const field *f, const fpath *p)
{
    if (f->kids)
        return check_fields(x, node, f->kids);
    const char *value = p->attr ? vpi_mnode_get(node, p->attr) : node->text;
    if (!value && (f->flags & FL_REQ))
        return vpi_xml_error_at(x, node->line, "<%s> needs the attribute '%s'", node->decl->name,
                                p->attr);
    if (!value || f->check == C_NONE)
        return 0;
    char what[96];
    if (p->attr)
        snprintf(what, sizeof(what), "attribute '%s' of <%s>", p->attr, node->decl->name);
    else
        snprintf(what, sizeof(what), "<%s>", node->decl->name);
    return check_value(x, node->line, what, f->check, value);
}

/* The field table over @node: each element a field holds one of appears
 * once, each value passes its 1.0 check. */
static int
check_fields(const vpi_xml *x, const vpi_mnode *node, const field *fields)
{
    for (const field *f = fields; f && f->path; f++) {
        fpath p;
        vpi_fpath_split(f->path, &p);
        const vpi_mnode *n = node;
        for (size_t i = 0; n && i < p.n; i++) {
            const vpi_mnode *first = NULL;
            bool last = i + 1 == p.n;
            for (size_t k = 0; k < n->n_kids; k++) {
                const vpi_mnode *kid = n->kids[k];
                if (!kid->decl || strcmp(kid->decl->name, p.steps[i]) != 0)
                    continue;
                if (first && !(last && vpi_field_repeats(f)))
                    return vpi_xml_error_at(x, kid->line,
                                            "element <%s> appears more than once in <%s>",
                                            p.steps[i], n->decl->name);
                if (!first)
                    first = kid;
                int r = last && vpi_field_repeats(f) ? check_node(x, kid, f, &p) : 0;
                if (r < 0)
                    return r;
            }
            n = first;
        }
        if (!n || vpi_field_repeats(f))
            continue;
        int r = check_node(x, n, f, &p);
        if (r < 0)
            return r;
    }
    return 0;
}

static uint64_t
kib_of(const vpi_mnode *n)
{
    return n && n->text ? strtoull(n->text, NULL, 10) : 0;
}

/* <os>: direct kernel boot or boot devices, each device once. */
static int
check_os(const vpi_xml *x, const vpi_mnode *os)
{
    const vpi_mnode *kernel = vpi_mnode_kid(os, "kernel");
    const vpi_mnode *need = vpi_mnode_kid(os, "initrd");
    if (!need)
        need = vpi_mnode_kid(os, "cmdline");
    if (need && !kernel)
        return vpi_xml_error_at(x, need->line, "<%s> needs a <kernel> in <os>", need->decl->name);
    for (size_t i = 0; os && i < os->n_kids; i++) {
        const vpi_mnode *boot = os->kids[i];
        if (!boot->decl || strcmp(boot->decl->name, "boot") != 0)
            continue;
        if (kernel)
            return vpi_xml_error_at(
                x, boot->line,
                "<boot> cannot be combined with <kernel>: use direct kernel boot or boot devices");
        const char *dev = vpi_mnode_get(boot, "dev");
        for (size_t j = 0; j < i; j++)
            if (os->kids[j]->decl == boot->decl &&
                strcmp(vpi_mnode_get(os->kids[j], "dev"), dev) == 0)
                return vpi_xml_error_at(x, boot->line, "boot device '%s' is listed twice", dev);
    }
    return 0;
}

/* Each disk has a target of its own and, unless it is a cdrom, a source. */
static int
check_disks(const vpi_xml *x, const vpi_mnode *devices)
{
    for (size_t i = 0; devices && i < devices->n_kids; i++) {
        const vpi_mnode *disk = devices->kids[i];
        if (!disk->decl || strcmp(disk->decl->name, "disk") != 0)
            continue;
        const vpi_mnode *target = vpi_mnode_kid(disk, "target");
        if (!target)
            return vpi_xml_error_at(x, disk->line, "<disk> needs a <target dev='...'/>");
        const char *dev = vpi_mnode_get(target, "dev");
        const char *device = vpi_mnode_get(disk, "device");
        if (!vpi_mnode_kid(disk, "source") && (!device || strcmp(device, "disk") == 0))
            return vpi_xml_error_at(x, disk->line, "disk '%s' needs a <source file='...'/>", dev);
        for (size_t j = 0; j < i; j++) {
            const vpi_mnode *t = vpi_mnode_kid(devices->kids[j], "target");
            if (devices->kids[j]->decl == disk->decl && strcmp(vpi_mnode_get(t, "dev"), dev) == 0)
                return vpi_xml_error_at(
                    x, target->line,
                    "disk target '%s' is used twice; give each disk its own <target dev>", dev);
        }
    }
    return 0;
}

/* The second @name of @devices, or NULL. */
static const vpi_mnode *
second(const vpi_mnode *devices, const char *name)
{
    size_t seen = 0;
    for (size_t i = 0; devices && i < devices->n_kids; i++)
        if (devices->kids[i]->decl && strcmp(devices->kids[i]->decl->name, name) == 0 &&
            seen++ == 1)
            return devices->kids[i];
    return NULL;
}

/* A file serial port (or console) writes to its source; QEMU allocates a pty. */
static int
check_char_source(const vpi_xml *x, const vpi_mnode *c)
{
    const char *type = vpi_mnode_get(c, "type");
    bool has_source = vpi_mnode_kid(c, "source") != NULL;
    if (type && strcmp(type, "pty") == 0 && has_source)
        return vpi_xml_error_at(x, vpi_mnode_kid(c, "source")->line,
                                "a <%s type='pty'> takes no <source>; QEMU allocates the pty",
                                c->decl->name);
    if (type && strcmp(type, "file") == 0 && !has_source)
        return vpi_xml_error_at(x, c->line, "a <%s type='file'> needs a <source path='...'/>",
                                c->decl->name);
    return 0;
}

static const char *
source_path(const vpi_mnode *c)
{
    return vpi_mnode_get(vpi_mnode_kid(c, "source"), "path");
}

/* One serial port, which a <console> may alias (the same type and source,
 * as libvirt writes it), and one guest agent channel with its target. */
static int
check_chardevs(const vpi_xml *x, const vpi_mnode *devices)
{
    const vpi_mnode *serial = vpi_mnode_kid(devices, "serial");
    const vpi_mnode *console = vpi_mnode_kid(devices, "console");
    const vpi_mnode *channel = vpi_mnode_kid(devices, "channel");
    const vpi_mnode *extra = second(devices, "serial");
    if (extra)
        return vpi_xml_error_at(x, extra->line,
                                "only one <serial> is supported; remove the others");
    if ((extra = second(devices, "channel")))
        return vpi_xml_error_at(x, extra->line,
                                "only one guest agent <channel> is supported; remove the others");
    int r = serial ? check_char_source(x, serial) : 0;
    if (r >= 0 && console)
        r = check_char_source(x, console);
    if (r < 0)
        return r;
    if (channel && !vpi_mnode_kid(channel, "target"))
        return vpi_xml_error_at(x, channel->line,
                                "<channel> needs <target type='virtio' name='" AGENT_CHANNEL_NAME
                                "'/>");
    if (!console || second(devices, "console"))
        return 0; /* a second console is refused by the field table */
    if (!serial)
        return vpi_xml_error_at(
            x, console->line,
            "<console> needs a <serial> port to alias; add one with the same type");
    const char *type = vpi_mnode_get(serial, "type");
    const char *ctype = vpi_mnode_get(console, "type");
    const char *path = source_path(serial), *cpath = source_path(console);
    if ((type && ctype && strcmp(type, ctype) != 0) || (path && cpath && strcmp(path, cpath) != 0))
        return vpi_xml_error_at(
            x, console->line,
            "<console> must match <serial> (type '%s'): it is an alias of serial port 0",
            type ? type : "");
    return 0;
}

int
vpi_domain_subset_check(const vpi_xml *x, const vpi_domain_model *m)
{
    const vpi_mnode *root = m->root;
    const vpi_mnode *devices = vpi_mnode_kid(root, "devices");
    int r = check_chardevs(x, devices);
    if (r >= 0)
        r = check_fields(x, root, vpi_domain_fields);
    if (r >= 0)
        r = check_os(x, vpi_mnode_kid(root, "os"));
    if (r >= 0)
        r = check_disks(x, devices);
    if (r < 0)
        return r;
    const vpi_mnode *memory = vpi_mnode_kid(root, "memory");
    const vpi_mnode *current = vpi_mnode_kid(root, "currentMemory");
    if (memory && current && kib_of(current) > kib_of(memory))
        return vpi_xml_error_at(
            x, current->line, "<currentMemory> (%llu KiB) is larger than <memory> (%llu KiB)",
            (unsigned long long)kib_of(current), (unsigned long long)kib_of(memory));
    return 0;
}

static vpi_caps *subset_caps;
static pthread_once_t subset_once = PTHREAD_ONCE_INIT;

static void
subset_compile(void)
{
    int r = vpi_caps_compile("1.0 subset", vpi_domain_caps_1_0, NULL, &subset_caps);
    assert(r >= 0); /* the tests parse with it: a wrong path is a programmer error */
    (void)r;
    subset_caps->subset = true;
}

/* The XML module's implementation, hidden there: libvirtplug exports a
 * function of the same name that calls this one through the module's
 * table (xml-lazy.c). */
int
vp_plugin_domain_def_parse(const char *xml, unsigned int flags, vp_domain_def **ret_def)
{
    pthread_once(&subset_once, subset_compile);
    vpi_domain_model *m = NULL;
    int r = vpi_model_parse(xml, flags, subset_caps, ret_def, &m);
    vpi_model_free(m);
    return r;
}
