/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-chardev.c: the character devices of a domain on the command line.
 *
 * Owns how <serial>, <console> and <channel> (all but the guest agent's,
 * which qemu-command.c emits beside its socket) become a -chardev backend
 * (pty, file, unix, tcp, null, spicevmc) and a device: isa-serial for a
 * serial port, libvirt's console rule (the first <console> with a serial
 * target is the first serial port, and becomes one when the domain has no
 * <serial>; a virtio target is a virtconsole), virtserialport for a
 * channel, and the virtio-serial0 controller those need. Chardev and
 * device ids are libvirt's (charserial0/serial0, charconsole1/console1,
 * charchannelN/channelN), so a pty is found by query-chardev under the
 * name libvirt gives it. It never creates or removes a file: a unix socket
 * path is checked (qemu_chardev_check_paths) because QEMU unlinks what is
 * there before it listens.
 */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <virtplug/sdk/services.h>

#include "qemu-devices.h"

#define AGENT_NAME "org.qemu.guest_agent.0"
#define SPICE_AGENT_NAME "com.redhat.spice.0"

static bool
is(const char *v, const char *want)
{
    return v && strcmp(v, want) == 0;
}

static int
needs(const char *element, const char *type, const char *what)
{
    return vp_plugin_error_set(VP_ERR_NOT_SUPPORTED, "<%s type='%s'> needs %s", element, type,
                               what);
}

/* The -chardev value of @c (a <serial>, <console> or <channel>) as @id. */
static int
backend(json_object *c, const char *element, const char *id, char **ret)
{
    const char *type = qemu_tree_attr(c, "type");
    json_object *src = qemu_tree_kid(c, "source", 0);
    const char *path = qemu_tree_attr(src, "path"), *mode = qemu_tree_attr(src, "mode");
    /* libvirt's default mode for unix and tcp is connect. */
    const char *server = is(mode, "bind") ? ",server=on,wait=off" : "";
    if (is(type, "pty") || is(type, "null")) {
        *ret = vp_asprintf("%s,id=%s", type, id);
    } else if (is(type, "file") || is(type, "unix")) {
        if (!path)
            return needs(element, type, "a <source path='...'/>");
        _cleanup_free_ char *p = qemu_opts_value(path);
        bool append = is(qemu_tree_attr(src, "append"), "on");
        *ret = is(type, "file")
                   ? vp_asprintf("file,id=%s,path=%s%s", id, p, append ? ",append=on" : "")
                   : vp_asprintf("socket,id=%s,path=%s%s", id, p, server);
    } else if (is(type, "tcp")) {
        const char *host = qemu_tree_attr(src, "host"), *service = qemu_tree_attr(src, "service");
        if (!host || !service)
            return needs(element, type, "a <source host='...' service='...'/>");
        _cleanup_free_ char *h = qemu_opts_value(host), *s = qemu_opts_value(service);
        const char *protocol = qemu_tree_attr(qemu_tree_kid(c, "protocol", 0), "type");
        *ret = vp_asprintf("socket,id=%s,host=%s,port=%s%s%s", id, h, s, server,
                           is(protocol, "telnet") ? ",telnet=on" : "");
    } else if (is(type, "spicevmc")) {
        *ret = vp_asprintf("spicevmc,id=%s,name=vdagent", id);
    } else {
        return vp_plugin_error_set(VP_ERR_NOT_SUPPORTED,
                                   "<%s type='%s'> is not supported by the qemu driver", element,
                                   type ? type : "");
    }
    return 0;
}

/* A serial port: isa-serial on pc and q35 (on machine 'none', which has
 * no ISA bus, QEMU's -serial as in 1.0). */
static int
add_serial(qemu_args *a, json_object *c, const char *element, long index, const char *machine)
{
    const char *port = qemu_tree_attr(qemu_tree_kid(c, "target", 0), "port");
    long p = port ? strtol(port, NULL, 10) : index;
    if (p < 0 || p > 3)
        return vp_plugin_error_set(
            VP_ERR_NOT_SUPPORTED,
            "<%s><target port='%s'> is not supported by the qemu driver; pc and q35 have serial ports 0 to 3",
            element, port);
    _cleanup_free_ char *id = vp_asprintf("charserial%ld", index);
    char *spec = NULL;
    int r = backend(c, element, id, &spec);
    if (r < 0)
        return r;
    qemu_args_add(a, "-chardev", spec);
    if (strcmp(machine, "none") == 0)
        qemu_args_add(a, "-serial", vp_asprintf("chardev:%s", id));
    else
        qemu_args_add(a, "-device",
                      vp_asprintf("isa-serial,chardev=%s,id=serial%ld,index=%ld", id, index, p));
    return 0;
}

static void
need_virtio_serial(qemu_args *a)
{
    if (a->ctx->virtio_serial0)
        return;
    qemu_args_add_pci(a, NULL, vp_strdup("virtio-serial-pci,id=virtio-serial0"));
    a->ctx->virtio_serial0 = true;
}

static bool
is_virtio_console(json_object *c)
{
    return is(qemu_tree_attr(qemu_tree_kid(c, "target", 0), "type"), "virtio");
}

/* The port number of @port on virtio-serial0.0 when its XML gives none,
 * as libvirt numbers them: consoles from 0, channels from 1, skipping the
 * numbers other ports ask for, in the order of the XML. QEMU's own
 * numbering would give a port the number a later one asks for. */
static long
auto_port(json_object *tree, json_object *port)
{
    static const char *const kinds[] = {"console", "channel", NULL};
    bool used[32] = {false};
    json_object *c;
    for (const char *const *k = kinds; *k; k++) {
        for (size_t i = 0; (c = qemu_tree_kid(tree, *k, i)); i++) {
            json_object *addr = qemu_tree_kid(c, "address", 0);
            const char *nr = qemu_tree_attr(addr, "port");
            long n = nr ? strtol(nr, NULL, 10) : -1;
            if (is(qemu_tree_attr(addr, "type"), "virtio-serial") && n >= 0 && n < 32)
                used[n] = true;
        }
    }
    for (const char *const *k = kinds; *k; k++) {
        for (size_t i = 0; (c = qemu_tree_kid(tree, *k, i)); i++) {
            if (qemu_tree_kid(c, "address", 0) ||
                (strcmp(*k, "console") == 0 && !is_virtio_console(c)))
                continue;
            long n = strcmp(*k, "console") == 0 ? 0 : 1;
            while (n < 31 && used[n])
                n++;
            used[n] = true;
            if (c == port)
                return n;
        }
    }
    return -1;
}

char *
qemu_chardev_port_opts(json_object *tree, json_object *port)
{
    json_object *addr = qemu_tree_kid(port, "address", 0);
    if (!is(qemu_tree_attr(addr, "type"), "virtio-serial")) {
        long n = port ? auto_port(tree, port) : -1;
        return n < 0 ? vp_strdup(",bus=virtio-serial0.0")
                     : vp_asprintf(",bus=virtio-serial0.0,nr=%ld", n);
    }
    const char *ctl = qemu_tree_attr(addr, "controller"), *bus = qemu_tree_attr(addr, "bus");
    const char *nr = qemu_tree_attr(addr, "port");
    return vp_asprintf(",bus=virtio-serial%s.%s%s%s", ctl ? ctl : "0", bus ? bus : "0",
                       nr ? ",nr=" : "", nr ? nr : "");
}

/* A virtio port: a virtconsole or a named virtserialport. */
static int
add_virtio_port(qemu_args *a, json_object *tree, json_object *c, const char *element,
                const char *kind, size_t n, const char *name)
{
    _cleanup_free_ char *id = vp_asprintf("char%s%zu", kind, n);
    char *spec = NULL;
    int r = backend(c, element, id, &spec);
    if (r < 0)
        return r;
    need_virtio_serial(a);
    qemu_args_add(a, "-chardev", spec);
    _cleanup_free_ char *port = qemu_chardev_port_opts(tree, c);
    _cleanup_free_ char *n_opt = name ? qemu_opts_value(name) : NULL;
    qemu_args_add(a, "-device",
                  vp_asprintf("%s%s,chardev=%s,id=%s%zu%s%s",
                              name ? "virtserialport" : "virtconsole", port, id, kind, n,
                              name ? ",name=" : "", name ? n_opt : ""));
    return 0;
}

static int
add_consoles(qemu_args *a, json_object *tree, const char *machine)
{
    json_object *c;
    for (size_t i = 0; (c = qemu_tree_kid(tree, "console", i)); i++) {
        const char *type = qemu_tree_attr(qemu_tree_kid(c, "target", 0), "type");
        int r = 0;
        if (is_virtio_console(c))
            r = add_virtio_port(a, tree, c, "console", "console", i, NULL);
        else if (i > 0)
            r = vp_plugin_error_set(
                VP_ERR_NOT_SUPPORTED,
                "<console><target type='%s'> after the first <console> is not supported by the qemu driver; only the first console can be the serial port, the others take type='virtio'",
                type ? type : "serial");
        else if (qemu_tree_n(tree, "serial") == 0) /* libvirt's rule: it becomes the serial port */
            r = add_serial(a, c, "console", 0, machine);
        /* else: an alias of the first <serial>, as libvirt writes it */
        if (r < 0)
            return r;
    }
    return 0;
}

json_object *
qemu_chardev_agent(json_object *tree)
{
    json_object *c;
    for (size_t i = 0; (c = qemu_tree_kid(tree, "channel", i)); i++) {
        if (is(qemu_tree_attr(qemu_tree_kid(c, "target", 0), "name"), AGENT_NAME))
            return c;
    }
    return NULL;
}

bool
qemu_tree_has_spice(json_object *tree)
{
    json_object *g;
    for (size_t i = 0; (g = qemu_tree_kid(tree, "graphics", i)); i++) {
        if (is(qemu_tree_attr(g, "type"), "spice"))
            return true;
    }
    return false;
}

/* The channels but the agent's: channel1, channel2, ... (the agent's
 * is channel0). */
static int
add_channels(qemu_args *a, json_object *tree)
{
    json_object *c;
    for (size_t i = 0; (c = qemu_tree_kid(tree, "channel", i)); i++) {
        const char *type = qemu_tree_attr(c, "type");
        const char *name = qemu_tree_attr(qemu_tree_kid(c, "target", 0), "name");
        const char *ctl = qemu_tree_attr(qemu_tree_kid(c, "address", 0), "controller");
        long n = ctl ? strtol(ctl, NULL, 10) : 0;
        if (n != 0 && !qemu_tree_has_controller(tree, "virtio-serial", n))
            return vp_plugin_error_set(
                VP_ERR_NOT_SUPPORTED,
                "<channel><address type='virtio-serial' controller='%ld'> needs <controller type='virtio-serial' index='%ld'/>",
                n, n);
        if (c == qemu_chardev_agent(tree)) {
            need_virtio_serial(a); /* qemu-command.c adds the agent's port */
            continue;
        }
        if (!name)
            return vp_plugin_error_set(
                VP_ERR_NOT_SUPPORTED,
                "<channel type='%s'> needs <target type='virtio' name='...'/>", type);
        if (is(type, "spicevmc") && (!is(name, SPICE_AGENT_NAME) || !qemu_tree_has_spice(tree)))
            return vp_plugin_error_set(
                VP_ERR_NOT_SUPPORTED,
                "<channel type='spicevmc'> needs <graphics type='spice'> and <target type='virtio' name='%s'/>",
                SPICE_AGENT_NAME);
        int r = add_virtio_port(a, tree, c, "channel", "channel", i + 1, name);
        if (r < 0)
            return r;
    }
    return 0;
}

int
qemu_chardev_args(qemu_args *a, json_object *tree, const char *machine)
{
    json_object *c;
    int r = 0;
    for (size_t i = 0; r >= 0 && (c = qemu_tree_kid(tree, "serial", i)); i++)
        r = add_serial(a, c, "serial", (long)i, machine);
    if (r >= 0)
        r = add_consoles(a, tree, machine);
    if (r >= 0)
        r = add_channels(a, tree);
    return r;
}

static int
check_path(json_object *c)
{
    json_object *src = qemu_tree_kid(c, "source", 0);
    const char *path = qemu_tree_attr(src, "path");
    struct stat st;
    if (!is(qemu_tree_attr(c, "type"), "unix") || !is(qemu_tree_attr(src, "mode"), "bind") ||
        !path || lstat(path, &st) < 0 || S_ISSOCK(st.st_mode))
        return 0;
    return vp_plugin_error_set(
        VP_ERR_INVALID_ARG,
        "socket path '%s' exists and is not a socket; the qemu driver never removes it: choose another path or move the file",
        path);
}

int
qemu_chardev_check_paths(json_object *tree)
{
    static const char *const kinds[] = {"serial", "console", "channel", NULL};
    json_object *c;
    for (const char *const *k = kinds; *k; k++) {
        for (size_t i = 0; (c = qemu_tree_kid(tree, *k, i)); i++) {
            int r = check_path(c);
            if (r < 0)
                return r;
        }
    }
    return 0;
}
