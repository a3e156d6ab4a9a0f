/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * model-rules.c: libvirt's rules that span elements of the domain model.
 *
 * Owns what one element's declaration cannot say: the elements a domain
 * needs, the uuid generated when absent, <currentMemory> and <vcpu>
 * written out as libvirt does, libvirt's console-without-serial rule (a
 * <console> of target type serial with no <serial> gets one, which it
 * then aliases). Values are added here only where libvirt adds them
 * too; none is removed. The 1.0 struct is derived from the result
 * (domain-def.c).
 */
#include <config.h>

#include <stdlib.h>

#include "internal.h"
#include "conf/model.h"

static int
need(const vpi_xml *x, xmlNode *node, const vpi_mnode *n, const char *what, const char *hint)
{
    if (n)
        return 0;
    return vpi_xml_error(x, node, "<domain> needs %s%s", what, hint);
}

/* A console that is a serial port's alias: its target type is serial or unset. */
static bool
console_is_serial(const vpi_mnode *console)
{
    const char *t = vpi_mnode_get(vpi_mnode_kid(console, "target"), "type");
    return !t || strcmp(t, "serial") == 0;
}

/* libvirt (virDomainDefAddConsoleCompat): the first console, when it is
 * of target type serial and the domain has no serial port, becomes an
 * alias of a new serial port 0 of the same type and source. */
static void
console_compat(vpi_mnode *devices)
{
    vpi_mnode *console = vpi_mnode_kid(devices, "console");
    if (!console || vpi_mnode_kid(devices, "serial") || !console_is_serial(console))
        return;
    vpi_mnode *serial = vpi_mnode_add(devices, "serial");
    const char *keep[] = {"type", NULL};
    for (size_t i = 0; keep[i]; i++)
        if (vpi_mnode_get(console, keep[i]))
            vpi_mnode_set(serial, keep[i], vpi_mnode_get(console, keep[i]));
    static const char *const copied[] = {"source", "protocol", "log", NULL};
    for (size_t i = 0; copied[i]; i++) {
        vpi_mnode *k = vpi_mnode_kid(console, copied[i]);
        if (k) {
            vpi_mnode *c = vpi_mnode_copy(serial->arena, k);
            c->order = 0;
            vpi_melem_kid(serial->decl, copied[i], &c->order);
            vpi_mnode_insert(serial, c);
        }
    }
    vpi_mnode *target = vpi_mnode_add(serial, "target");
    vpi_mnode_set(target, "port", "0");
    vpi_mnode *ctarget = vpi_mnode_kid(console, "target");
    if (!ctarget)
        ctarget = vpi_mnode_add(console, "target");
    vpi_mnode_set(ctarget, "type", "serial");
    if (!vpi_mnode_get(ctarget, "port"))
        vpi_mnode_set(ctarget, "port", "0");
}

static uint64_t
kib_of(const vpi_mnode *n)
{
    return n && n->text ? strtoull(n->text, NULL, 10) : 0;
}

/* A uuid generated and written out when there is none (a uuid given is
 * checked and written in libvirt's spelling by its type, =uuid). */
static void
rule_uuid(vpi_mnode *root)
{
    if (vpi_mnode_kid(root, "uuid"))
        return;
    unsigned char bytes[16];
    char buf[37];
    vp_plugin_uuid_generate(bytes);
    vpi_mnode_set_text(vpi_mnode_add(root, "uuid"), vp_plugin_uuid_format(bytes, buf));
}

/* <currentMemory> defaults to, and is capped at, <memory> (libvirt's
 * virDomainDefPostParseMemory); <vcpu> defaults to 1. */
static void
rule_sizes(vpi_mnode *root)
{
    vpi_mnode *memory = vpi_mnode_kid(root, "memory");
    vpi_mnode *current = vpi_mnode_kid(root, "currentMemory");
    if (!current && memory) {
        current = vpi_mnode_add(root, "currentMemory");
        vpi_mnode_set(current, "unit", "KiB");
    }
    if (current && memory && (kib_of(current) == 0 || kib_of(current) > kib_of(memory)))
        vpi_mnode_set_text(current, memory->text);
    if (!vpi_mnode_kid(root, "vcpu")) {
        vpi_mnode *vcpu = vpi_mnode_add(root, "vcpu");
        vpi_mnode_set(vcpu, "placement", "static");
        vpi_mnode_set_text(vcpu, "1");
    }
}

int
vpi_model_rules(const vpi_xml *x, xmlNode *node, vpi_domain_model *m)
{
    vpi_mnode *root = m->root;
    vpi_mnode *name = vpi_mnode_kid(root, "name");
    vpi_mnode *os = vpi_mnode_kid(root, "os");
    int r = need(x, node, name, "a <name>", "");
    if (r >= 0)
        r = need(x, node, vpi_mnode_kid(root, "memory"), "a <memory> size",
                 ", such as <memory unit='MiB'>512</memory>");
    if (r >= 0 && os && !vpi_mnode_kid(os, "type"))
        return vpi_xml_error_at(x, os->line, "<os> needs a <type>: add <type>hvm</type>");
    if (r >= 0)
        r = need(x, node, os, "an <os> element with <type>hvm</type>", "");
    if (r >= 0)
        r = vpi_xml_check_name_at(x, name->line, "domain", name->text);
    if (r < 0)
        return r;
    rule_uuid(root);
    rule_sizes(root);
    vpi_mnode *devices = vpi_mnode_kid(root, "devices");
    if (devices)
        console_compat(devices);
    return 0;
}
