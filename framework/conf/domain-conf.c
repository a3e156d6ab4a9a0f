/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * domain-conf.c: parsing and validating libvirt-style domain XML.
 *
 * Owns the <domain> element and everything outside <devices> (name, uuid,
 * description, memory with its units, vcpu, <os>, lifecycle actions) and
 * the checks that need the whole domain. Every element and attribute the
 * subset knows is listed in a table here or in domain-devices.c; anything
 * else is an error naming it and its line. It must never drop or guess a
 * value, and never print.
 */
#include <config.h>

#include <ctype.h>
#include <strings.h>

#include <libxml/tree.h>

#include "internal.h"
#include "conf/domain-conf.h"

/* What the element parsers of one <domain> share. */
typedef struct domain_parse {
    vp_domain_def *def;
    bool have_uuid;
    xmlNode *memory_node;
    xmlNode *current_node;
    xmlNode *os_type_node;
    xmlNode *kernel_node;
    xmlNode *boot_node;
    xmlNode *need_kernel_node; /* an <initrd> or <cmdline> */
} domain_parse;

#define MAX_VCPUS 4096

static int
parse_name(const vpi_xml *x, xmlNode *node, void *data)
{
    vp_domain_def *def = ((domain_parse *)data)->def;
    _cleanup_free_ char *name = NULL;
    int r = vpi_xml_check_attrs(x, node, NULL);
    if (r >= 0)
        r = vpi_xml_text(x, node, &name);
    if (r >= 0)
        r = vpi_xml_check_name(x, node, "domain", name);
    if (r < 0)
        return r;
    def->name = VP_STEAL_PTR(name);
    return 0;
}

static int
parse_uuid(const vpi_xml *x, xmlNode *node, void *data)
{
    domain_parse *p = data;
    _cleanup_free_ char *text = NULL;
    int r = vpi_xml_check_attrs(x, node, NULL);
    if (r >= 0)
        r = vpi_xml_text(x, node, &text);
    if (r < 0)
        return r;
    if (vp_plugin_uuid_parse(text, p->def->uuid) < 0)
        return vpi_xml_error(
            x, node,
            "invalid value '%s' for <uuid>: expected 32 hexadecimal digits such as '8f3a47e2-1c4b-4d8e-9a55-0b6e2f7c1d90'",
            text);
    p->have_uuid = true;
    return 0;
}

static int
parse_description(const vpi_xml *x, xmlNode *node, void *data)
{
    vp_domain_def *def = ((domain_parse *)data)->def;
    int r = vpi_xml_check_attrs(x, node, NULL);
    if (r < 0)
        return r;
    return vpi_xml_text(x, node, &def->description);
}

/* libvirt's unit suffixes: b/byte/bytes, then k, m, g, t, p, e alone or
 * with "iB" (powers of 1024) or with "B" (powers of 1000), any case. */
int
vpi_xml_memory_scale(const vpi_xml *x, xmlNode *node, const char *unit, uint64_t *ret_scale)
{
    if (!unit) {
        *ret_scale = 1024;
        return 0;
    }
    if (strcasecmp(unit, "b") == 0 || strcasecmp(unit, "byte") == 0 ||
        strcasecmp(unit, "bytes") == 0) {
        *ret_scale = 1;
        return 0;
    }
    static const char prefixes[] = "kmgtpe";
    const char *pos = unit[0] ? strchr(prefixes, tolower((unsigned char)unit[0])) : NULL;
    uint64_t base = 0;
    if (pos && (unit[1] == '\0' || strcasecmp(unit + 1, "ib") == 0))
        base = 1024;
    else if (pos && tolower((unsigned char)unit[1]) == 'b' && unit[2] == '\0')
        base = 1000;
    if (!base)
        return vpi_xml_error(
            x, node,
            "invalid value '%s' for attribute 'unit' of <%s>: expected b, bytes, KB, k, KiB, MB, M, MiB, GB, G, GiB, TB, T, TiB, PB, P, PiB, EB, E or EiB",
            unit, (const char *)node->name);
    uint64_t scale = 1;
    for (const char *p = prefixes; p <= pos; p++)
        scale *= base;
    *ret_scale = scale;
    return 0;
}

/* <memory> and <currentMemory>: a number in @unit, stored in KiB, rounded
 * up as libvirt does. */
static int
parse_memory_value(const vpi_xml *x, xmlNode *node, uint64_t *ret_kib)
{
    static const char *const attrs[] = {"unit", NULL};
    _cleanup_free_ char *unit = NULL, *text = NULL;
    uint64_t scale = 0, value = 0, bytes = 0;
    int r = vpi_xml_check_attrs(x, node, attrs);
    if (r < 0)
        return r;
    unit = vpi_xml_attr(node, "unit");
    char what[64];
    snprintf(what, sizeof(what), "<%s>", (const char *)node->name);
    r = vpi_xml_memory_scale(x, node, unit, &scale);
    if (r >= 0)
        r = vpi_xml_text(x, node, &text);
    if (r >= 0)
        r = vpi_xml_parse_u64(x, node, what, text, UINT64_MAX, &value);
    if (r < 0)
        return r;
    if (__builtin_mul_overflow(value, scale, &bytes))
        return vpi_xml_error(x, node, "invalid value '%s' for %s: the limit is 16 EiB", text, what);
    if (bytes == 0)
        return vpi_xml_error(x, node, "invalid value '%s' for %s: the domain needs some memory",
                             text, what);
    *ret_kib = bytes / 1024 + (bytes % 1024 != 0);
    return 0;
}

static int
parse_memory(const vpi_xml *x, xmlNode *node, void *data)
{
    domain_parse *p = data;
    p->memory_node = node;
    return parse_memory_value(x, node, &p->def->memory_kib);
}

static int
parse_current_memory(const vpi_xml *x, xmlNode *node, void *data)
{
    domain_parse *p = data;
    p->current_node = node;
    return parse_memory_value(x, node, &p->def->current_memory_kib);
}

static int
parse_vcpu(const vpi_xml *x, xmlNode *node, void *data)
{
    static const char *const attrs[] = {"placement", NULL};
    static const char *const placements[] = {"static", NULL};
    vp_domain_def *def = ((domain_parse *)data)->def;
    _cleanup_free_ char *placement = NULL, *text = NULL;
    uint64_t n = 0;
    int r = vpi_xml_check_attrs(x, node, attrs);
    if (r < 0)
        return r;
    /* 'static' is the only placement virtplug has; accepting it loses nothing. */
    placement = vpi_xml_attr(node, "placement");
    if (placement)
        r = vpi_xml_enum(x, node, "attribute 'placement' of <vcpu>", placement, placements);
    if (r >= 0)
        r = vpi_xml_text(x, node, &text);
    if (r >= 0)
        r = vpi_xml_parse_u64(x, node, "<vcpu>", text, MAX_VCPUS, &n);
    if (r < 0)
        return r;
    if (n == 0)
        return vpi_xml_error(
            x, node, "invalid value '%s' for <vcpu>: a domain needs at least one vcpu", text);
    def->vcpus = (uint32_t)n;
    return 0;
}

/* An architecture or machine name goes onto QEMU's command line: keep it
 * to the characters such names use, and never let it start with '-',
 * which QEMU would read as one of its options. */
static int
check_word(const vpi_xml *x, xmlNode *node, const char *what, const char *value, size_t max)
{
    size_t n = strlen(value);
    if (n > max)
        return vpi_xml_error(x, node, "invalid value '%s' for %s: it is longer than %zu characters",
                             value, what, max);
    bool ok = n > 0 && isalnum((unsigned char)value[0]);
    for (size_t i = 0; ok && i < n; i++)
        ok = isalnum((unsigned char)value[i]) || strchr("._-", value[i]);
    if (ok)
        return 0;
    if (value[0] == '-')
        return vpi_xml_error(
            x, node,
            "invalid value '%s' for %s: it cannot start with '-' (QEMU would read it as an option); expected letters, digits, '.', '_' or '-', starting with a letter or digit",
            value, what);
    return vpi_xml_error(
        x, node,
        "invalid value '%s' for %s: expected letters, digits, '.', '_' or '-', starting with a letter or digit",
        value, what);
}

static int
parse_os_type(const vpi_xml *x, xmlNode *node, void *data)
{
    static const char *const attrs[] = {"arch", "machine", NULL};
    static const char *const types[] = {"hvm", NULL};
    domain_parse *p = data;
    vp_domain_def *def = p->def;
    _cleanup_free_ char *text = NULL;
    p->os_type_node = node;
    int r = vpi_xml_check_attrs(x, node, attrs);
    if (r >= 0)
        r = vpi_xml_text(x, node, &text);
    if (r >= 0)
        r = vpi_xml_enum(x, node, "<type>", text, types);
    if (r < 0)
        return r;
    def->os_type = VP_STEAL_PTR(text);
    def->os_arch = vpi_xml_attr(node, "arch");
    def->os_machine = vpi_xml_attr(node, "machine");
    if (def->os_arch &&
        (r = check_word(x, node, "attribute 'arch' of <type>", def->os_arch, 32)) < 0)
        return r;
    if (def->os_machine &&
        (r = check_word(x, node, "attribute 'machine' of <type>", def->os_machine, 64)) < 0)
        return r;
    return 0;
}

/* <kernel> and <initrd>: a file QEMU reads. */
static int
parse_os_path(const vpi_xml *x, xmlNode *node, char **field)
{
    _cleanup_free_ char *text = NULL;
    char what[32];
    snprintf(what, sizeof(what), "<%s>", (const char *)node->name);
    int r = vpi_xml_check_attrs(x, node, NULL);
    if (r >= 0)
        r = vpi_xml_text(x, node, &text);
    if (r >= 0)
        r = vpi_xml_check_path(x, node, what, text);
    if (r < 0)
        return r;
    *field = VP_STEAL_PTR(text);
    return 0;
}

static int
parse_os_kernel(const vpi_xml *x, xmlNode *node, void *data)
{
    domain_parse *p = data;
    p->kernel_node = node;
    return parse_os_path(x, node, &p->def->os_kernel);
}

static int
parse_os_initrd(const vpi_xml *x, xmlNode *node, void *data)
{
    domain_parse *p = data;
    p->need_kernel_node = node;
    return parse_os_path(x, node, &p->def->os_initrd);
}

static int
parse_os_cmdline(const vpi_xml *x, xmlNode *node, void *data)
{
    domain_parse *p = data;
    p->need_kernel_node = node;
    int r = vpi_xml_check_attrs(x, node, NULL);
    if (r < 0)
        return r;
    return vpi_xml_text(x, node, &p->def->os_cmdline);
}

static int
parse_os_boot(const vpi_xml *x, xmlNode *node, void *data)
{
    static const char *const attrs[] = {"dev", NULL};
    static const char *const devs[] = {"hd", "cdrom", "network", "fd", NULL};
    domain_parse *p = data;
    vp_domain_def *def = p->def;
    _cleanup_free_ char *dev = NULL;
    p->boot_node = node;
    int r = vpi_xml_check_attrs(x, node, attrs);
    if (r >= 0)
        r = vpi_xml_check_empty(x, node);
    if (r >= 0)
        r = vpi_xml_attr_required(x, node, "dev", &dev);
    if (r >= 0)
        r = vpi_xml_enum(x, node, "attribute 'dev' of <boot>", dev, devs);
    if (r < 0)
        return r;
    for (size_t i = 0; i < def->n_os_boot_devs; i++)
        if (strcmp(def->os_boot_devs[i], dev) == 0)
            return vpi_xml_error(x, node, "boot device '%s' is listed twice", dev);
    def->os_boot_devs = vp_renew(char *, def->os_boot_devs, def->n_os_boot_devs + 1);
    def->os_boot_devs[def->n_os_boot_devs++] = VP_STEAL_PTR(dev);
    return 0;
}

static int
parse_os(const vpi_xml *x, xmlNode *node, void *data)
{
    static const vpi_xml_child table[] = {
        {"type", parse_os_type, false},     {"kernel", parse_os_kernel, false},
        {"initrd", parse_os_initrd, false}, {"cmdline", parse_os_cmdline, false},
        {"boot", parse_os_boot, true},      {NULL, NULL, false},
    };
    domain_parse *p = data;
    int r = vpi_xml_check_attrs(x, node, NULL);
    if (r >= 0)
        r = vpi_xml_walk(x, node, table, data);
    if (r < 0)
        return r;
    if (!p->os_type_node)
        return vpi_xml_error(x, node, "<os> needs a <type>: add <type>hvm</type>");
    if (p->need_kernel_node && !p->kernel_node)
        return vpi_xml_error(x, p->need_kernel_node, "<%s> needs a <kernel> in <os>",
                             (const char *)p->need_kernel_node->name);
    if (p->kernel_node && p->boot_node)
        return vpi_xml_error(
            x, p->boot_node,
            "<boot> cannot be combined with <kernel>: use direct kernel boot or boot devices");
    return 0;
}

static int
parse_lifecycle(const vpi_xml *x, xmlNode *node, void *data)
{
    static const char *const actions[] = {
        "destroy",          "restart",          "preserve", "rename-restart",
        "coredump-destroy", "coredump-restart", NULL};
    static const char *const poweroff_actions[] = {"destroy", "restart", "preserve",
                                                   "rename-restart", NULL};
    vp_domain_def *def = ((domain_parse *)data)->def;
    bool crash = strcmp((const char *)node->name, "on_crash") == 0;
    char what[32];
    snprintf(what, sizeof(what), "<%s>", (const char *)node->name);
    _cleanup_free_ char *text = NULL;
    int r = vpi_xml_check_attrs(x, node, NULL);
    if (r >= 0)
        r = vpi_xml_text(x, node, &text);
    if (r >= 0)
        r = vpi_xml_enum(x, node, what, text, crash ? actions : poweroff_actions);
    if (r < 0)
        return r;
    char **field = crash                                                ? &def->on_crash
                   : strcmp((const char *)node->name, "on_reboot") == 0 ? &def->on_reboot
                                                                        : &def->on_poweroff;
    *field = VP_STEAL_PTR(text);
    return 0;
}

static int
parse_devices(const vpi_xml *x, xmlNode *node, void *data)
{
    return vpi_domain_devices_parse(x, node, ((domain_parse *)data)->def);
}

/* Checks that need the whole <domain>: required elements, memory sizes. */
static int
domain_check(const vpi_xml *x, xmlNode *node, domain_parse *p)
{
    vp_domain_def *def = p->def;
    if (!def->name)
        return vpi_xml_error(x, node, "<domain> needs a <name>");
    if (!p->memory_node)
        return vpi_xml_error(
            x, node, "<domain> needs a <memory> size, such as <memory unit='MiB'>512</memory>");
    if (!def->os_type)
        return vpi_xml_error(x, node, "<domain> needs an <os> element with <type>hvm</type>");
    if (!p->current_node)
        def->current_memory_kib = def->memory_kib;
    else if (def->current_memory_kib > def->memory_kib)
        return vpi_xml_error(
            x, p->current_node, "<currentMemory> (%llu KiB) is larger than <memory> (%llu KiB)",
            (unsigned long long)def->current_memory_kib, (unsigned long long)def->memory_kib);
    if (def->vcpus == 0)
        def->vcpus = 1;
    if (!p->have_uuid)
        vp_plugin_uuid_generate(def->uuid);
    return 0;
}

int
vpi_domain_def_parse_node(const vpi_xml *x, xmlNode *node, vp_domain_def **ret_def)
{
    static const char *const attrs[] = {"type", NULL};
    static const char *const types[] = {"kvm", "qemu", "test", NULL};
    static const vpi_xml_child table[] = {
        {"name", parse_name, false},
        {"uuid", parse_uuid, false},
        {"description", parse_description, false},
        {"memory", parse_memory, false},
        {"currentMemory", parse_current_memory, false},
        {"vcpu", parse_vcpu, false},
        {"os", parse_os, false},
        {"on_poweroff", parse_lifecycle, false},
        {"on_reboot", parse_lifecycle, false},
        {"on_crash", parse_lifecycle, false},
        {"devices", parse_devices, false},
        {NULL, NULL, false},
    };
    _cleanup_(vp_plugin_domain_def_freep) vp_domain_def *def = vp_new0(vp_domain_def, 1);
    domain_parse p = {.def = def};
    int r = vpi_xml_check_attrs(x, node, attrs);
    if (r >= 0)
        r = vpi_xml_attr_required(x, node, "type", &def->type);
    if (r >= 0)
        r = vpi_xml_enum(x, node, "attribute 'type' of <domain>", def->type, types);
    if (r >= 0)
        r = vpi_xml_walk(x, node, table, &p);
    if (r >= 0)
        r = domain_check(x, node, &p);
    if (r < 0)
        return r;
    *ret_def = VP_STEAL_PTR(def);
    return 0;
}

/* The XML module's implementation, hidden there: libvirtplug exports a
 * function of the same name that calls this one through the module's
 * table (xml-lazy.c). */
int
vp_plugin_domain_def_parse(const char *xml, unsigned int flags, vp_domain_def **ret_def)
{
    static const vpi_xml x = {.what = "domain XML"};
    vp_return_if_fail(xml, "xml");
    vp_return_if_fail(ret_def, "ret_def");
    if (flags)
        return vp_error_set(VP_ERR_INVALID_ARG, "unsupported flags 0x%x for parsing domain XML",
                            flags);
    xmlDoc *doc = NULL;
    int r = vpi_xml_read(&x, xml, "domain", &doc);
    if (r < 0)
        return r;
    r = vpi_domain_def_parse_node(&x, xmlDocGetRootElement(doc), ret_def);
    xmlFreeDoc(doc);
    return r;
}
