/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * domain-format.c: writing domain definitions.
 *
 * Owns the canonical form of domain XML: libvirt's element order and
 * two-space indentation, memory always in KiB, defaults written out, so
 * that format(parse(format(parse(x)))) equals format(parse(x)). Part of
 * the XML module (the copy and the free are the core's, in defs.c). It
 * must never write XML that the parser would refuse for lack of a
 * required field: such a definition is an error.
 */
#include <config.h>

#include "internal.h"
#include "conf/domain-conf.h"

/* Fields that only mean something together with another: writing one
 * without the other would silently lose it. */
static int
format_check_devices(const vp_domain_def *def)
{
    if (def->serial_type < VP_DOMAIN_SERIAL_NONE || def->serial_type > VP_DOMAIN_SERIAL_PTY)
        return vp_error_set(VP_ERR_XML, "cannot format domain XML: invalid serial_type %d",
                            def->serial_type);
    if (def->has_console && def->serial_type == VP_DOMAIN_SERIAL_NONE)
        return vp_error_set(
            VP_ERR_XML, "cannot format domain XML: has_console needs a serial port (serial_type)");
    if (def->agent_socket_path && !def->has_agent_channel)
        return vp_error_set(
            VP_ERR_XML,
            "cannot format domain XML: agent_socket_path is set but has_agent_channel is false");
    if (def->serial_path && def->serial_type != VP_DOMAIN_SERIAL_FILE)
        return vp_error_set(
            VP_ERR_XML, "cannot format domain XML: serial_path is set but serial_type is not file");
    return 0;
}

/* The fields without which the output would not parse back. */
static int
format_check(const vp_domain_def *def)
{
    const char *missing = !def->type                                  ? "type"
                          : !def->name                                ? "name"
                          : !def->os_type                             ? "os_type"
                          : def->memory_kib == 0                      ? "memory_kib"
                          : def->n_disks && !def->disks               ? "disks"
                          : def->n_os_boot_devs && !def->os_boot_devs ? "os_boot_devs"
                                                                      : NULL;
    for (size_t i = 0; !missing && i < def->n_disks; i++)
        if (!def->disks[i].target_dev)
            missing = "disks[].target_dev";
    for (size_t i = 0; !missing && i < def->n_os_boot_devs; i++)
        if (!def->os_boot_devs[i])
            missing = "os_boot_devs[]";
    if (!missing && def->serial_type == VP_DOMAIN_SERIAL_FILE && !def->serial_path)
        missing = "serial_path";
    if (missing)
        return vp_error_set(VP_ERR_XML, "cannot format domain XML: the definition has no %s",
                            missing);
    if (def->current_memory_kib > def->memory_kib)
        return vp_error_set(
            VP_ERR_XML,
            "cannot format domain XML: current_memory_kib %llu is larger than memory_kib %llu",
            (unsigned long long)def->current_memory_kib, (unsigned long long)def->memory_kib);
    return format_check_devices(def);
}

static void
format_os(vpi_buf *b, const vp_domain_def *def)
{
    vpi_buf_add(b, "  <os>\n    <type");
    vpi_buf_attr(b, "arch", def->os_arch);
    vpi_buf_attr(b, "machine", def->os_machine);
    vpi_buf_add(b, ">");
    vpi_buf_escape(b, "os_type", def->os_type, false);
    vpi_buf_add(b, "</type>\n");
    vpi_buf_text_elem(b, 4, "kernel", def->os_kernel);
    vpi_buf_text_elem(b, 4, "initrd", def->os_initrd);
    vpi_buf_text_elem(b, 4, "cmdline", def->os_cmdline);
    for (size_t i = 0; i < def->n_os_boot_devs; i++) {
        vpi_buf_add(b, "    <boot");
        vpi_buf_attr(b, "dev", def->os_boot_devs[i]);
        vpi_buf_add(b, "/>\n");
    }
    vpi_buf_add(b, "  </os>\n");
}

/* The XML module's implementation, hidden there: libvirtplug exports a
 * function of the same name that calls this one through the module's
 * table (xml-lazy.c). */
int
vp_plugin_domain_def_format(const vp_domain_def *def, unsigned int flags, char **ret_xml)
{
    vp_return_if_fail(def, "def");
    vp_return_if_fail(ret_xml, "ret_xml");
    if (flags)
        return vp_error_set(VP_ERR_INVALID_ARG, "unsupported flags 0x%x for formatting domain XML",
                            flags);
    int r = format_check(def);
    if (r < 0)
        return r;
    vpi_buf b = {0};
    char uuid[37];
    vpi_buf_add(&b, "<domain");
    vpi_buf_attr(&b, "type", def->type);
    vpi_buf_add(&b, ">\n");
    vpi_buf_text_elem(&b, 2, "name", def->name);
    vpi_buf_text_elem(&b, 2, "uuid", vp_plugin_uuid_format(def->uuid, uuid));
    vpi_buf_text_elem(&b, 2, "description", def->description);
    vpi_buf_printf(&b, "  <memory unit='KiB'>%llu</memory>\n", (unsigned long long)def->memory_kib);
    vpi_buf_printf(
        &b, "  <currentMemory unit='KiB'>%llu</currentMemory>\n",
        (unsigned long long)(def->current_memory_kib ? def->current_memory_kib : def->memory_kib));
    vpi_buf_printf(&b, "  <vcpu>%u</vcpu>\n", def->vcpus ? def->vcpus : 1);
    format_os(&b, def);
    vpi_buf_text_elem(&b, 2, "on_poweroff", def->on_poweroff);
    vpi_buf_text_elem(&b, 2, "on_reboot", def->on_reboot);
    vpi_buf_text_elem(&b, 2, "on_crash", def->on_crash);
    vpi_domain_devices_format(&b, def);
    vpi_buf_add(&b, "</domain>\n");
    return vpi_buf_finish(&b, "domain XML", ret_xml);
}
