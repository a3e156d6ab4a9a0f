/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-spice.c: SPICE displays and USB redirection over SPICE.
 *
 * Owns the -spice option of <graphics type='spice'> (a TCP port on the
 * listen address, or a unix socket), the spicevmc chardevs and usb-redir
 * devices of <redirdev bus='usb' type='spicevmc'>, the port an autoport
 * display gets, and the display password, which QEMU only ever learns
 * over QMP (set_password, right after the launch: until then a display
 * with a password refuses every client, as ticketing is on without one),
 * never from its command line, which every user of the host can read in
 * /proc (qemu-console.c sets it, and picks an autoport display's port:
 * QEMU cannot choose a SPICE port itself). Also the TLS part of -spice:
 * the tls-port, the certificate directory qemu-spice-tls.c checked, the
 * channels that must (or must not) use TLS. It never runs anything.
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "qemu-devices.h"
#include "qemu-driver.h"

static bool
is(const char *v, const char *want)
{
    return v && strcmp(v, want) == 0;
}

const char *
qemu_graphics_listen_address(json_object *g)
{
    const char *a = qemu_tree_attr(qemu_tree_kid(g, "listen", 0), "address");
    if (!a)
        a = qemu_tree_attr(g, "listen");
    return a ? a : "127.0.0.1";
}

int
qemu_graphics_check_listen(json_object *g)
{
    const char *listen_attr = qemu_tree_attr(g, "listen");
    const char *listen_elem = qemu_tree_attr(qemu_tree_kid(g, "listen", 0), "address");
    if (listen_attr && listen_elem && strcmp(listen_attr, listen_elem) != 0)
        return vp_plugin_error_set(
            VP_ERR_XML,
            "<graphics listen='%s'> and its <listen address='%s'> differ; give one address",
            listen_attr, listen_elem);
    return 0;
}

int
qemu_graphics_valid_to(json_object *g, long long *ret_epoch_s)
{
    const char *v = qemu_tree_attr(g, "passwdValidTo");
    *ret_epoch_s = -1;
    if (!v)
        return 0;
    if (!qemu_tree_attr(g, "passwd"))
        return vp_plugin_error_set(
            VP_ERR_XML, "<graphics passwdValidTo='%s'> needs a passwd attribute to expire", v);
    /* libvirt's form: a UTC time, seconds included, no zone. */
    struct tm tm = {0};
    int n = 0;
    if (sscanf(v, "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
               &tm.tm_min, &tm.tm_sec, &n) != 6 ||
        v[n] || tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31 ||
        tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60 || tm.tm_year < 1970)
        return vp_plugin_error_set(
            VP_ERR_XML,
            "<graphics passwdValidTo='%s'> is not a time; write it as libvirt does, in UTC: YYYY-MM-DDTHH:MM:SS",
            v);
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    *ret_epoch_s = (long long)timegm(&tm);
    return 0;
}

int
qemu_graphics_check_auth(json_object *g)
{
    long long epoch;
    int r = qemu_graphics_valid_to(g, &epoch);
    if (r < 0)
        return r;
    /* QEMU applies connected= to the clients of a display whose password
     * changes; its VNC server only keeps them. */
    const char *connected = qemu_tree_attr(g, "connected");
    if (connected && !is(connected, "keep") && !is(qemu_tree_attr(g, "type"), "spice"))
        return vp_plugin_error_set(
            VP_ERR_NOT_SUPPORTED,
            "<graphics type='vnc' connected='%s'> is not supported: QEMU's VNC server only keeps connected clients (connected='keep')",
            connected);
    return 0;
}

bool
qemu_graphics_autoport(json_object *g)
{
    const char *port = qemu_tree_attr(g, "port");
    return is(qemu_tree_attr(g, "autoport"), "yes") || !port || is(port, "-1");
}

/* A port number from 1 to 65535, or -1. */
static long
port_number(const char *s)
{
    char *end;
    errno = 0;
    long p = s && *s ? strtol(s, &end, 10) : -1;
    return errno || !s || !*s || *end || p < 1 || p > 65535 ? -1 : p;
}

/* ",KEY=VALUE" of a <graphics> child's attribute, mapped as QEMU names it. */
static char *
child_opt(json_object *g, const char *child, const char *attr, const char *key,
          const char *(*map)(const char *))
{
    const char *v = qemu_tree_attr(qemu_tree_kid(g, child, 0), attr);
    if (!v)
        return vp_strdup("");
    return vp_asprintf(",%s=%s", key, map ? map(v) : v);
}

static const char *
on_when_yes(const char *v)
{
    return is(v, "yes") || is(v, "on") ? "on" : "off";
}

static const char *
on_when_no(const char *v)
{
    return is(v, "no") ? "on" : "off";
}

static const char *
agent_mouse(const char *v)
{
    return is(v, "client") ? "on" : "off";
}

/* The options libvirt maps from the children of a spice <graphics>. */
static char *
spice_tuning(json_object *g)
{
    _cleanup_free_ char *image = child_opt(g, "image", "compression", "image-compression", NULL);
    _cleanup_free_ char *jpeg = child_opt(g, "jpeg", "compression", "jpeg-wan-compression", NULL);
    _cleanup_free_ char *zlib =
        child_opt(g, "zlib", "compression", "zlib-glz-wan-compression", NULL);
    _cleanup_free_ char *playback =
        child_opt(g, "playback", "compression", "playback-compression", on_when_yes);
    _cleanup_free_ char *streaming = child_opt(g, "streaming", "mode", "streaming-video", NULL);
    _cleanup_free_ char *clip =
        child_opt(g, "clipboard", "copypaste", "disable-copy-paste", on_when_no);
    _cleanup_free_ char *mouse = child_opt(g, "mouse", "mode", "agent-mouse", agent_mouse);
    _cleanup_free_ char *xfer =
        child_opt(g, "filetransfer", "enable", "disable-agent-file-xfer", on_when_no);
    return vp_asprintf("%s%s%s%s%s%s%s%s", image, jpeg, zlib, playback, streaming, clip, mouse,
                       xfer);
}

/* ---- TLS ------------------------------------------------------------- */

/* ",tls-channel=NAME" for @mode 'secure', ",plaintext-channel=NAME" for
 * 'insecure', "" for 'any' (libvirt's mapping). */
static char *
channel_opt(const char *name, const char *mode)
{
    if (is(mode, "secure"))
        return vp_asprintf(",tls-channel=%s", name);
    if (is(mode, "insecure"))
        return vp_asprintf(",plaintext-channel=%s", name);
    return vp_strdup("");
}

bool
qemu_spice_wants_secure(json_object *g)
{
    if (is(qemu_tree_attr(g, "defaultMode"), "secure"))
        return true;
    json_object *c;
    for (size_t i = 0; (c = qemu_tree_kid(g, "channel", i)); i++)
        if (is(qemu_tree_attr(c, "mode"), "secure"))
            return true;
    return false;
}

int
qemu_spice_fixed_tls_port(json_object *g, long *ret_port)
{
    const char *v = qemu_tree_attr(g, "tlsPort");
    *ret_port = -1;
    if (!v || is(v, "-1"))
        return 0;
    *ret_port = port_number(v);
    if (*ret_port < 0)
        return vp_plugin_error_set(
            VP_ERR_NOT_SUPPORTED,
            "<graphics type='spice' tlsPort='%s'> is not supported by the qemu driver; use a port from 1 to 65535, or -1 for one chosen at start",
            v);
    return 0;
}

/* The TLS part of -spice: the port (the driver's pick or the XML's), the
 * certificates, the channel modes. At define (no pick yet) a port that
 * will be chosen is written as the first display port. */
static int
spice_tls_opts(json_object *g, char **ret_opts)
{
    long port;
    int r = qemu_spice_fixed_tls_port(g, &port);
    if (r < 0)
        return r;
    const char *picked = qemu_tree_attr(g, QEMU_GRAPHICS_TLS_PORT_ATTR);
    if (picked)
        port = port_number(picked);
    else if (port < 0 && qemu_spice_wants_secure(g))
        port = QEMU_DISPLAY_PORT_MIN;
    _cleanup_free_ char *def = channel_opt("default", qemu_tree_attr(g, "defaultMode"));
    _cleanup_free_ char *channels = vp_strdup("");
    json_object *c;
    for (size_t i = 0; (c = qemu_tree_kid(g, "channel", i)); i++) {
        _cleanup_free_ char *one =
            channel_opt(qemu_tree_attr(c, "name"), qemu_tree_attr(c, "mode"));
        char *both = vp_asprintf("%s%s", channels, one);
        free(channels);
        channels = both;
    }
    const char *dir = qemu_tree_attr(g, QEMU_GRAPHICS_X509_DIR_ATTR);
    _cleanup_free_ char *x509 = dir ? qemu_opts_value(dir) : NULL;
    *ret_opts = port < 0 ? vp_strdup("")
                         : vp_asprintf(",tls-port=%ld%s%s%s%s", port, x509 ? ",x509-dir=" : "",
                                       x509 ? x509 : "", def, channels);
    return 0;
}

int
qemu_spice_graphics_args(qemu_args *a, json_object *g)
{
    json_object *l = qemu_tree_kid(g, "listen", 0);
    _cleanup_free_ char *where = NULL;
    if (is(qemu_tree_attr(l, "type"), "socket")) {
        /* The XML's path, else the driver's (qemu_display_prepare). */
        const char *path = qemu_tree_attr(l, "socket") ? qemu_tree_attr(l, "socket")
                                                       : qemu_tree_attr(l, "vp-socket");
        _cleanup_free_ char *p = qemu_opts_value(path ? path : "");
        where = vp_asprintf("unix=on,addr=%s", p);
    } else {
        long port = port_number(qemu_tree_attr(g, QEMU_GRAPHICS_PORT_ATTR));
        if (!qemu_graphics_autoport(g)) {
            port = port_number(qemu_tree_attr(g, "port"));
            if (port < 0)
                return vp_plugin_error_set(
                    VP_ERR_NOT_SUPPORTED,
                    "<graphics type='spice' port='%s'> is not supported by the qemu driver; use a port from 1 to 65535 or autoport='yes'",
                    qemu_tree_attr(g, "port"));
        }
        /* Checking a define: the port is picked at start. */
        if (port < 0)
            port = QEMU_DISPLAY_PORT_MIN;
        /* SPICE takes an IPv6 address without brackets. */
        _cleanup_free_ char *addr = qemu_opts_value(qemu_graphics_listen_address(g));
        where = vp_asprintf("port=%ld,addr=%s", port, addr);
    }
    _cleanup_free_ char *tuning = spice_tuning(g);
    _cleanup_free_ char *tls = NULL;
    int r = spice_tls_opts(g, &tls);
    if (r < 0)
        return r;
    /* With a password, ticketing stays on and no client gets in before
     * set_password (qemu_graphics_set_password). */
    qemu_args_add(a, "-spice",
                  vp_asprintf("%s%s%s%s", where, tls,
                              qemu_tree_attr(g, "passwd") ? "" : ",disable-ticketing=on", tuning));
    return 0;
}

int
qemu_spice_redirdev_args(qemu_args *a, json_object *tree, bool usb)
{
    json_object *rd;
    for (size_t i = 0; (rd = qemu_tree_kid(tree, "redirdev", i)); i++) {
        if (!usb)
            return vp_plugin_error_set(
                VP_ERR_NOT_SUPPORTED,
                "<redirdev bus='usb'> needs a USB controller; add <controller type='usb' model='qemu-xhci'/>");
        if (!qemu_tree_has_spice(tree))
            return vp_plugin_error_set(
                VP_ERR_NOT_SUPPORTED,
                "<redirdev type='spicevmc'> needs <graphics type='spice'>, as in libvirt");
        json_object *addr = qemu_tree_kid(rd, "address", 0);
        const char *port =
            is(qemu_tree_attr(addr, "type"), "usb") ? qemu_tree_attr(addr, "port") : NULL;
        const char *bus = qemu_tree_attr(addr, "bus");
        if (bus && strcmp(bus, "0") != 0)
            return vp_plugin_error_set(
                VP_ERR_NOT_SUPPORTED,
                "<redirdev><address type='usb' bus='%s'> is not supported by the qemu driver; the domain has one USB bus, 0",
                bus);
        if (port && port_number(port) < 0)
            return vp_plugin_error_set(
                VP_ERR_XML, "<redirdev><address type='usb' port='%s'> is not a port number", port);
        qemu_args_add(a, "-chardev", vp_asprintf("spicevmc,id=charredir%zu,name=usbredir", i));
        qemu_args_add(a, "-device",
                      vp_asprintf("usb-redir,chardev=charredir%zu,id=redir%zu,bus=usb.0%s%s", i, i,
                                  port ? ",port=" : "", port ? port : ""));
    }
    return 0;
}
