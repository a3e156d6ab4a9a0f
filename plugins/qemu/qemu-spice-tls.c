/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-spice-tls.c: whether a SPICE or VNC display starts with TLS, and
 * with what.
 *
 * Owns reading libvirt's settings of qemu.conf for it (spice_tls and
 * vnc_tls, off by default; spice_tls_x509_cert_dir and
 * vnc_tls_x509_cert_dir, /etc/pki/libvirt-spice and /etc/pki/libvirt-vnc
 * by default; vnc_tls_x509_verify, off by default) and checking, before
 * anything is launched, that the certificate directory holds what QEMU
 * reads (ca-cert.pem, server-cert.pem, server-key.pem), so a missing file
 * is a start error naming it rather than a QEMU that exits. It never
 * reads the certificates themselves nor writes anything.
 */
#include <config.h>

#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#include <virtplug/sdk/services.h>

#include "qemu-devices.h"
#include "qemu-driver.h"

static bool
is(const char *v, const char *want)
{
    return v && strcmp(v, want) == 0;
}

/* 0 when the certificate directory @dir (qemu.conf's @key, of @path)
 * holds the files QEMU's TLS servers read, else VP_ERR_INVALID_ARG naming
 * the first one missing. */
static int
check_cert_dir(const char *dir, const char *what, const char *key, const char *path,
               const char *domain)
{
    static const char *const files[] = {"ca-cert.pem", "server-cert.pem", "server-key.pem", NULL};
    for (const char *const *f = files; *f; f++) {
        _cleanup_free_ char *file = vp_asprintf("%s/%s", dir, *f);
        if (access(file, R_OK) < 0)
            return vp_plugin_error_set_errno(
                VP_ERR_INVALID_ARG, errno,
                "cannot start domain '%s': %s over TLS needs '%s' (%s of '%s')", domain, what, file,
                key, path);
    }
    return 0;
}

/* @ret_on: qemu.conf's 0-or-1 setting @key (0 when absent). */
static int
conf_bool(vp_plugin_conf *conf, const char *path, const char *key, bool *ret_on)
{
    unsigned int on = 0;
    int r = vp_plugin_conf_get_uint(conf, key, 0, &on);
    if (r < 0)
        return r;
    if (on > 1)
        return vp_plugin_error_set(VP_ERR_INVALID_ARG, "%s: '%s = %u' is not 0 or 1", path, key,
                                   on);
    *ret_on = on == 1;
    return 0;
}

int
qemu_vnc_tls_prepare(const qemu_driver *drv, json_object *g, const char *domain)
{
    _cleanup_(vp_plugin_conf_freep) vp_plugin_conf *conf = NULL;
    _cleanup_free_ char *path = NULL;
    bool on = false, verify = false;
    int r = qemu_conf_load(drv, &path, &conf);
    if (r >= 0)
        r = conf_bool(conf, path, "vnc_tls", &on);
    if (r >= 0)
        r = conf_bool(conf, path, "vnc_tls_x509_verify", &verify);
    if (r < 0 || !on)
        return r;
    const char *dir = vp_plugin_conf_get(conf, "vnc_tls_x509_cert_dir", VNC_TLS_DIR_DEFAULT);
    r = check_cert_dir(dir, "VNC", "vnc_tls_x509_cert_dir", path, domain);
    if (r < 0)
        return r;
    json_object_object_add(g, "@" QEMU_GRAPHICS_X509_DIR_ATTR, json_object_new_string(dir));
    if (verify)
        json_object_object_add(g, "@" QEMU_GRAPHICS_X509_VERIFY_ATTR, json_object_new_string("on"));
    return 0;
}

int
qemu_spice_tls_prepare(const qemu_driver *drv, json_object *g, const char *domain,
                       bool *ret_pick_port)
{
    *ret_pick_port = false;
    long fixed;
    int r = qemu_spice_fixed_tls_port(g, &fixed);
    if (r < 0)
        return r;
    bool asked = fixed > 0 || qemu_spice_wants_secure(g);
    _cleanup_(vp_plugin_conf_freep) vp_plugin_conf *conf = NULL;
    _cleanup_free_ char *path = NULL;
    bool on = false;
    r = qemu_conf_load(drv, &path, &conf);
    if (r >= 0)
        r = conf_bool(conf, path, "spice_tls", &on);
    if (r < 0)
        return r;
    bool socket = is(qemu_tree_attr(qemu_tree_kid(g, "listen", 0), "type"), "socket");
    /* As libvirt: with TLS on, an autoport display gets a TLS port too,
     * unless every channel is plain text. */
    if (on && !socket && qemu_graphics_autoport(g) &&
        !is(qemu_tree_attr(g, "defaultMode"), "insecure"))
        asked = true;
    if (!asked)
        return 0;
    /* QEMU hands a unix socket to the SPICE server as its address with
     * SPICE_ADDR_FLAG_UNIX_ONLY; the server's TLS listener is a second TCP
     * port (tls-port), which a socket display does not have. */
    if (socket)
        return vp_plugin_error_set(
            VP_ERR_NOT_SUPPORTED,
            "cannot start domain '%s': SPICE over TLS (tlsPort, a secure channel) is not supported on <listen type='socket'>: QEMU's SPICE server speaks only plain text on a unix socket (its TLS listener is a TCP port)",
            domain);
    if (!on)
        return vp_plugin_error_set(
            VP_ERR_NOT_SUPPORTED,
            "cannot start domain '%s': its SPICE display asks for TLS (tlsPort, defaultMode='secure' or a secure <channel>) but TLS is off; set 'spice_tls = 1' in '%s'",
            domain, path);
    const char *dir = vp_plugin_conf_get(conf, "spice_tls_x509_cert_dir", SPICE_TLS_DIR_DEFAULT);
    r = check_cert_dir(dir, "SPICE", "spice_tls_x509_cert_dir", path, domain);
    if (r < 0)
        return r;
    json_object_object_add(g, "@" QEMU_GRAPHICS_X509_DIR_ATTR, json_object_new_string(dir));
    *ret_pick_port = fixed < 0;
    return 0;
}
