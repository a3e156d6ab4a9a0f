/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-qemu-vnc.c: VNC over TLS (qemu.conf's vnc_tls, the display part of
 * plugins/qemu/qemu-spice-tls.c and qemu-devices.c) against real QEMU
 * under TCG, on firmware-only domains, with a CA and certificates the
 * test makes. The server is read back from QEMU (query-vnc's auth), its
 * RFB greeting offers VeNCrypt alone, and a real client goes through
 * VeNCrypt's negotiation to its TLS handshake, made by openssl s_client
 * through a relay (127.0.0.1 only), which verifies the server's
 * certificate against the CA, or fails against another one; with
 * vnc_tls_x509_verify the server refuses a client without a certificate
 * signed by the CA, which it lets in without it.
 *
 * Also the live update of a display (vp_domain_update_device, the
 * domain_update_device slot of qemu-graphics-live.c): the password and
 * its expiry change in the running QEMU, checked by a real VNC
 * authentication before and after; every other change is refused naming
 * it; --config changes the definition only, which the next start runs.
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include <virtplug/sdk/alloc.h>
#include <virtplug/virtplug.h>

#include "qemu-test-qmp.h"
#include "qemu-test-rfb.h"
#include "qemu-test-util.h"

/* VeNCrypt's subtypes X509None and X509Vnc. */
#define X509_NONE 260
#define X509_VNC 261

/* query-vnc's auth of the running domain. (transfer full) */
static char *
vnc_auth_name(qt_fixture *f)
{
    json_object *vnc = qt_qmp(f, "query-vnc", NULL), *v;
    assert_true(json_object_object_get_ex(vnc, "auth", &v));
    char *auth = vp_strdup(json_object_get_string(v));
    json_object_put(vnc);
    return auth;
}

/* The handshake through VeNCrypt subtype @subtype with @ca as the
 * trusted CA and @extra options of s_client, sending @input after it
 * (see qt_vencrypt): s_client's status; its output in @ret_out. */
static int
handshake(int port, uint32_t subtype, const char *ca, const char *extra, const char *input,
          char **ret_out)
{
    uint32_t subtypes[16];
    int status = -1;
    assert_int_equal(qt_vencrypt(port, subtype, ca, extra, input, subtypes, &status, ret_out), 1);
    assert_int_equal(subtypes[0], subtype);
    if (status != (input ? 1 : 0))
        fprintf(stderr, "s_client (%d):\n%s", status, *ret_out ? *ret_out : "");
    return status;
}

static void
test_vnc_tls(void **state)
{
    qt_fixture *f = *state;
    const char *graphics = "<graphics type='vnc' autoport='yes'>"
                           "<listen type='address' address='127.0.0.1'/></graphics>";
    assert_int_equal(qt_define(f, "pc", NULL, graphics), 0);
    _cleanup_free_ char *pki = vp_asprintf("%s/pki", f->root);
    qt_make_certificates(pki);
    _cleanup_free_ char *ca = vp_asprintf("%s/ca-cert.pem", pki);
    _cleanup_free_ char *key = vp_asprintf("%s/server-key.pem", pki);
    _cleanup_free_ char *key_aside = vp_asprintf("%s/key-aside.pem", f->root);
    _cleanup_free_ char *conf_path = vp_asprintf("%s/config/qemu.conf", f->root);
    /* A missing file of the directory: a start error naming it. */
    assert_int_equal(rename(key, key_aside), 0);
    _cleanup_free_ char *conf = vp_asprintf("vnc_tls = 1\nvnc_tls_x509_cert_dir = %s\n", pki);
    qt_write_file(conf_path, conf, 0600);
    QT_ASSERT_ERROR(vp_domain_start(f->dom, 0), VP_ERR_INVALID_ARG, key, "vnc_tls_x509_cert_dir",
                    "VNC over TLS");
    assert_int_equal(rename(key_aside, key), 0);
    qt_write_file(conf_path, "vnc_tls = 2\n", 0600);
    QT_ASSERT_ERROR(vp_domain_start(f->dom, 0), VP_ERR_INVALID_ARG, "vnc_tls = 2", "0 or 1");
    qt_write_file(conf_path, conf, 0600);
    qt_start_defined(f);
    _cleanup_free_ char *auth = vnc_auth_name(f);
    assert_string_equal(auth, "vencrypt+x509+none");
    _cleanup_free_ char *cmdline = qt_qemu_cmdline(f);
    _cleanup_free_ char *object =
        vp_asprintf("tls-creds-x509,id=vnc-tls-creds0,dir=%s,endpoint=server,verify-peer=off", pki);
    assert_non_null(strstr(cmdline, object));
    assert_non_null(strstr(cmdline, ",tls-creds=vnc-tls-creds0"));
    int port = qt_vnc_port(f);
    /* A client without TLS is offered VeNCrypt alone. */
    int fd = qt_connect_tcp("127.0.0.1", port);
    unsigned char types[256];
    assert_int_equal(qt_rfb_security_types(fd, types), 1);
    assert_int_equal(types[0], 19);
    close(fd);
    /* The handshake verifies against the CA... */
    _cleanup_free_ char *out = NULL;
    assert_int_equal(handshake(port, X509_NONE, ca, "", NULL, &out), 0);
    assert_non_null(strstr(out, "CN = 127.0.0.1"));
    assert_non_null(strstr(out, "Verify return code: 0 (ok)"));
    /* Without vnc_tls_x509_verify, a client without a certificate is let
     * in: the server's ServerInit, with the domain's name, answers its
     * ClientInit (1), and a message of no known type (255) ends it. */
    _cleanup_free_ char *in = NULL;
    assert_int_equal(handshake(port, X509_NONE, ca, "", "\\001\\377", &in), 1);
    assert_non_null(strstr(in, "QEMU (dev)"));
    /* ...and fails against a certificate that did not sign the server's. */
    _cleanup_free_ char *other = vp_asprintf("%s/client-cert.pem", pki);
    _cleanup_free_ char *out2 = NULL;
    uint32_t subtypes[16];
    int status = 0;
    qt_vencrypt(port, X509_NONE, other, "", NULL, subtypes, &status, &out2);
    assert_int_not_equal(status, 0);
    assert_non_null(strstr(out2, "unable to get local issuer certificate"));
    qt_stop_undefine(f);
}

/* vnc_tls_x509_verify: the server asks for a client certificate signed
 * by the CA; with a password, VeNCrypt's X509Vnc. */
static void
test_vnc_tls_verify(void **state)
{
    qt_fixture *f = *state;
    _cleanup_free_ char *pki = vp_asprintf("%s/pki", f->root);
    qt_make_certificates(pki);
    _cleanup_free_ char *conf_path = vp_asprintf("%s/config/qemu.conf", f->root);
    _cleanup_free_ char *conf =
        vp_asprintf("vnc_tls = 1\nvnc_tls_x509_cert_dir = %s\nvnc_tls_x509_verify = 1\n", pki);
    qt_write_file(conf_path, conf, 0600);
    qt_start(f, "pc", NULL, "<graphics type='vnc' autoport='yes' passwd='Zq8pass'/>");
    _cleanup_free_ char *auth = vnc_auth_name(f);
    assert_string_equal(auth, "vencrypt+x509+vnc");
    _cleanup_free_ char *cmdline = qt_qemu_cmdline(f);
    assert_non_null(strstr(cmdline, ",verify-peer=on"));
    int port = qt_vnc_port(f);
    _cleanup_free_ char *ca = vp_asprintf("%s/ca-cert.pem", pki);
    _cleanup_free_ char *out = NULL, *out2 = NULL;
    /* QEMU checks the client's certificate once the TLS handshake is
     * done, and closes the connection of a client it refuses. A client
     * it lets in gets VNC authentication's challenge, and after a wrong
     * answer (16 bytes of input) its refusal, "Authentication failed". */
    const char *answer = "0123456789abcdef";
    _cleanup_free_ char *with_cert =
        vp_asprintf("-cert '%s/client-cert.pem' -key '%s/client-key.pem'", pki, pki);
    handshake(port, X509_VNC, ca, with_cert, answer, &out);
    assert_non_null(strstr(out, "Verify return code: 0 (ok)"));
    assert_non_null(strstr(out, "Authentication failed"));
    uint32_t subtypes[16];
    int status = 0;
    qt_vencrypt(port, X509_VNC, ca, "", answer, subtypes, &status, &out2);
    assert_non_null(strstr(out2, "Verify return code: 0 (ok)"));
    assert_null(strstr(out2, "Authentication failed"));
    assert_non_null(strstr(out2, "unexpected eof"));
    assert_int_equal(status, 1); /* not 124: timeout's, the server kept it open */
    /* Off: the default certificate directory, named when it lacks a file. */
    qt_stop_undefine(f);
    qt_write_file(conf_path, "vnc_tls = 1\n", 0600);
    assert_int_equal(qt_define(f, "pc", NULL, "<graphics type='vnc' autoport='yes'/>"), 0);
    if (access("/etc/pki/libvirt-vnc/ca-cert.pem", F_OK) < 0)
        QT_ASSERT_ERROR(vp_domain_start(f->dom, 0), VP_ERR_INVALID_ARG,
                        "/etc/pki/libvirt-vnc/ca-cert.pem");
}

/* The domain's XML with its secrets; @flags: VP_DOMAIN_XML_INACTIVE or 0. */
static char *
secure_xml(qt_fixture *f, unsigned int flags)
{
    char *xml = NULL;
    assert_int_equal(vp_domain_get_xml(f->dom, VP_DOMAIN_XML_SECURE | flags, &xml), 0);
    return xml;
}

static void
update_ok(qt_fixture *f, const char *xml, unsigned int flags)
{
    int r = vp_domain_update_device(f->dom, xml, flags);
    if (r < 0)
        fprintf(stderr, "update-device: %s\n", vp_error_last()->message);
    assert_int_equal(r, 0);
}

static void
test_update_password(void **state)
{
    qt_fixture *f = *state;
    qt_start(f, "pc", NULL, "<graphics type='vnc' autoport='yes' passwd='Zq8pass'/>");
    int port = qt_vnc_port(f);
    /* QEMU serves one monitor client: the driver's from here on. */
    qemu_monitor_close(VP_STEAL_PTR(f->mon));
    assert_int_equal(qt_vnc_auth(f, port, "Zq8pass"), 0);
    update_ok(f, "<graphics type='vnc' autoport='yes' passwd='New8pass'/>", 0);
    assert_int_equal(qt_vnc_auth(f, port, "Zq8pass"), 1);
    assert_int_equal(qt_vnc_auth(f, port, "New8pass"), 0);
    /* The running domain's XML has the new password, the definition the old. */
    _cleanup_free_ char *live = secure_xml(f, 0);
    _cleanup_free_ char *inactive = secure_xml(f, VP_DOMAIN_XML_INACTIVE);
    if (!strstr(live, "passwd='New8pass'"))
        fprintf(stderr, "%s", live);
    assert_non_null(strstr(live, "passwd='New8pass'"));
    assert_non_null(strstr(inactive, "passwd='Zq8pass'"));
    _cleanup_free_ char *plain = NULL;
    assert_int_equal(vp_domain_get_xml(f->dom, 0, &plain), 0);
    assert_null(strstr(plain, "New8pass"));
    /* An expiry in the past locks everybody out; a later update without
     * one ends it. */
    update_ok(f,
              "<graphics type='vnc' autoport='yes' passwd='New8pass' "
              "passwdValidTo='2020-01-01T00:00:00'/>",
              VP_DOMAIN_AFFECT_LIVE);
    assert_int_equal(qt_vnc_auth(f, port, "New8pass"), 1);
    update_ok(f, "<graphics type='vnc' autoport='yes' passwd='New8pass'/>", VP_DOMAIN_AFFECT_LIVE);
    assert_int_equal(qt_vnc_auth(f, port, "New8pass"), 0);
    update_ok(f,
              "<graphics type='vnc' autoport='yes' passwd='New8pass' "
              "passwdValidTo='2099-01-01T00:00:00' connected='keep'/>",
              VP_DOMAIN_AFFECT_LIVE);
    assert_int_equal(qt_vnc_auth(f, port, "New8pass"), 0);
    /* --config: the definition only; the running QEMU keeps its password. */
    update_ok(f, "<graphics type='vnc' autoport='yes' passwd='Cfg8pass'/>",
              VP_DOMAIN_AFFECT_CONFIG);
    assert_int_equal(qt_vnc_auth(f, port, "New8pass"), 0);
    _cleanup_free_ char *inactive2 = secure_xml(f, VP_DOMAIN_XML_INACTIVE);
    assert_non_null(strstr(inactive2, "passwd='Cfg8pass'"));
    /* Both at once. */
    update_ok(f, "<graphics type='vnc' autoport='yes' passwd='Both8pw'/>",
              VP_DOMAIN_AFFECT_LIVE | VP_DOMAIN_AFFECT_CONFIG);
    assert_int_equal(qt_vnc_auth(f, port, "Both8pw"), 0);
    _cleanup_free_ char *inactive3 = secure_xml(f, VP_DOMAIN_XML_INACTIVE);
    assert_non_null(strstr(inactive3, "passwd='Both8pw'"));
    /* The next start runs the definition. */
    update_ok(f, "<graphics type='vnc' autoport='yes' passwd='Next8pw'/>", VP_DOMAIN_AFFECT_CONFIG);
    assert_int_equal(vp_domain_destroy(f->dom, 0), 0);
    qt_start_defined(f);
    int port2 = qt_vnc_port(f);
    qemu_monitor_close(VP_STEAL_PTR(f->mon));
    assert_int_equal(qt_vnc_auth(f, port2, "Next8pw"), 0);
    assert_int_equal(qt_vnc_auth(f, port2, "Both8pw"), 1);
}

/* What cannot change live is refused, naming it, and changes nothing. */
static void
test_update_refused(void **state)
{
    qt_fixture *f = *state;
    qt_start(f, "pc", NULL, "<graphics type='vnc' autoport='yes' passwd='Zq8pass'/>");
    int port = qt_vnc_port(f);
    qemu_monitor_close(VP_STEAL_PTR(f->mon));
    QT_ASSERT_ERROR(vp_domain_update_device(
                        f->dom, "<graphics type='vnc' port='5999' autoport='no' passwd='x'/>", 0),
                    VP_ERR_NOT_SUPPORTED, "autoport", "<graphics type='vnc'>", "--config");
    QT_ASSERT_ERROR(
        vp_domain_update_device(
            f->dom, "<graphics type='vnc' autoport='yes' passwd='x' listen='0.0.0.0'/>", 0),
        VP_ERR_NOT_SUPPORTED, "'listen'");
    QT_ASSERT_ERROR(vp_domain_update_device(f->dom,
                                            "<graphics type='vnc' autoport='yes' passwd='x' "
                                            "keymap='de'/>",
                                            0),
                    VP_ERR_XML, "keymap='de'");
    QT_ASSERT_ERROR(
        vp_domain_update_device(
            f->dom, "<graphics type='vnc' autoport='yes' passwd='x' connected='disconnect'/>", 0),
        VP_ERR_NOT_SUPPORTED, "connected='disconnect'");
    QT_ASSERT_ERROR(vp_domain_update_device(f->dom, "<graphics type='spice' autoport='yes'/>", 0),
                    VP_ERR_INVALID_ARG, "graphics", "'spice'");
    QT_ASSERT_ERROR(vp_domain_update_device(f->dom,
                                            "<disk type='file' device='cdrom'>"
                                            "<target dev='hdc' bus='ide'/></disk>",
                                            0),
                    VP_ERR_INVALID_ARG, "disk", "target 'hdc'");
    QT_ASSERT_ERROR(vp_domain_update_device(f->dom, "<sound model='ich6'/>", 0),
                    VP_ERR_NOT_SUPPORTED, "<sound>", "<graphics>");
    QT_ASSERT_ERROR(vp_domain_update_device(f->dom, "<graphics type='vnc'", 0), VP_ERR_XML, "line");
    QT_ASSERT_ERROR(vp_domain_update_device(f->dom, "<graphics type='vnc'/>", 8),
                    VP_ERR_INVALID_ARG, "flags");
    /* Nothing changed: the old password still lets a client in. */
    assert_int_equal(qt_vnc_auth(f, port, "Zq8pass"), 0);
    _cleanup_free_ char *inactive = secure_xml(f, VP_DOMAIN_XML_INACTIVE);
    assert_non_null(strstr(inactive, "passwd='Zq8pass'"));
    /* No password at start: QEMU's VNC asks for none, so none is set. */
    assert_int_equal(vp_domain_destroy(f->dom, 0), 0);
    assert_int_equal(vp_domain_undefine(f->dom, 0), 0);
    vp_domain_free(VP_STEAL_PTR(f->dom));
    qt_start(f, "pc", NULL, "<graphics type='vnc' autoport='yes'/>");
    qemu_monitor_close(VP_STEAL_PTR(f->mon));
    QT_ASSERT_ERROR(
        vp_domain_update_device(f->dom, "<graphics type='vnc' autoport='yes' passwd='x'/>", 0),
        VP_ERR_NOT_SUPPORTED, "started without one");
    /* Shut off: live is refused, the definition changes. */
    assert_int_equal(vp_domain_destroy(f->dom, 0), 0);
    QT_ASSERT_ERROR(
        vp_domain_update_device(f->dom, "<graphics type='vnc' passwd='x'/>", VP_DOMAIN_AFFECT_LIVE),
        VP_ERR_OPERATION_INVALID, "not running");
    update_ok(f, "<graphics type='vnc' autoport='yes' passwd='Off8pw'/>", 0);
    _cleanup_free_ char *off = secure_xml(f, VP_DOMAIN_XML_INACTIVE);
    assert_non_null(strstr(off, "passwd='Off8pw'"));
}

/* SPICE: the password and connected change over QMP (the new one is in
 * the running XML; QEMU keeps ticketing on), a secure channel cannot. */
static void
test_update_spice(void **state)
{
    qt_fixture *f = *state;
    qt_start(f, "pc", NULL, "<graphics type='spice' autoport='yes' passwd='Zq8pass'/>");
    qemu_monitor_close(VP_STEAL_PTR(f->mon));
    update_ok(f,
              "<graphics type='spice' autoport='yes' passwd='New8pass' connected='disconnect' "
              "passwdValidTo='2099-01-01T00:00:00'/>",
              0);
    _cleanup_free_ char *live = secure_xml(f, 0);
    assert_non_null(strstr(live, "passwd='New8pass' passwdValidTo='2099-01-01T00:00:00' "
                                 "connected='disconnect'"));
    QT_ASSERT_ERROR(vp_domain_update_device(f->dom,
                                            "<graphics type='spice' autoport='yes' passwd='x' "
                                            "defaultMode='secure'/>",
                                            0),
                    VP_ERR_NOT_SUPPORTED, "'defaultMode'", "<graphics type='spice'>");
    _cleanup_free_ char *qmp = vp_asprintf("%s/run/dev.qmp", f->root);
    assert_int_equal(qemu_monitor_open(qmp, 10000, &f->mon), 0);
    json_object *spice = qt_qmp(f, "query-spice", NULL), *v;
    assert_true(json_object_object_get_ex(spice, "auth", &v));
    assert_string_equal(json_object_get_string(v), "spice");
    json_object_put(spice);
}

int
main(int argc, char **argv)
{
    (void)argc;
    const struct CMUnitTest tests[] = {
        QT_DEVICE_TEST(test_vnc_tls),         QT_DEVICE_TEST(test_vnc_tls_verify),
        QT_DEVICE_TEST(test_update_password), QT_DEVICE_TEST(test_update_refused),
        QT_DEVICE_TEST(test_update_spice),
    };
    return qt_device_tests_main(argv, tests, sizeof(tests) / sizeof(tests[0]));
}
