/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-qemu-spice.c: SPICE displays (plugins/qemu/qemu-spice.c, the
 * display part of qemu-console.c, the probe of qemu-hostcaps.c) against
 * real QEMU under TCG, on firmware-only domains. The display is read back
 * from QEMU (query-spice: address, port, auth), its server answers a
 * SPICE link message with its link header ("REDQ"), the qxl card, the
 * usb-redir devices, the spice agent's port and the spice audio backend
 * are found over QMP (query-pci, qom-get), and domdisplay prints what
 * virsh prints. The virt-install sample of tests/data/qemu defines and
 * starts unchanged. A display password is never on QEMU's command line;
 * two autoport domains started at once get two ports; what this host's
 * QEMU lacks (an <emulator> without SPICE) is refused naming the piece.
 * passwdValidTo is checked by VNC authentication (DES by the openssl
 * command); SPICE over TLS by a TLS handshake (openssl s_client, on
 * 127.0.0.1 only) with certificates the test makes.
 */
#include <config.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>

#include <virtplug/sdk/alloc.h>
#include <virtplug/sdk/services.h>
#include <virtplug/virtplug.h>

#include "qemu-test-qmp.h"
#include "qemu-test-rfb.h"
#include "qemu-test-util.h"

#define SPICE_DEVICES                                                                              \
    "<controller type='usb' index='0' model='qemu-xhci' ports='15'/>"                              \
    "<controller type='virtio-serial' index='0'/>"                                                 \
    "<channel type='spicevmc'><target type='virtio' name='com.redhat.spice.0'/></channel>"         \
    "<sound model='ich9'/><audio id='1' type='spice'/>"                                            \
    "<video><model type='qxl' ram='65536' vram='65536' vgamem='16384' heads='1' "                  \
    "primary='yes'/></video>"                                                                      \
    "<redirdev bus='usb' type='spicevmc'><address type='usb' bus='0' port='2'/></redirdev>"        \
    "<redirdev bus='usb' type='spicevmc'><address type='usb' bus='0' port='3'/></redirdev>"

/* A member of query-spice's answer as a string ("" when absent). (transfer full) */
static char *
spice_member(qt_fixture *f, const char *key)
{
    json_object *spice = qt_qmp(f, "query-spice", NULL), *v;
    char *s = vp_strdup(json_object_object_get_ex(spice, key, &v) ? json_object_get_string(v) : "");
    json_object_put(spice);
    return s;
}

/* domdisplay, with the fixture's monitor let go (QEMU serves one client). */
static char *
display_uri(qt_fixture *f)
{
    if (f->mon)
        qemu_monitor_close(VP_STEAL_PTR(f->mon));
    char *uri = NULL;
    int r = vp_domain_get_display_uri(f->dom, 0, &uri);
    if (r < 0)
        fprintf(stderr, "display: %s\n", vp_error_last()->message);
    assert_int_equal(r, 0);
    _cleanup_free_ char *qmp = vp_asprintf("%s/run/dev.qmp", f->root);
    assert_int_equal(qemu_monitor_open(qmp, 10000, &f->mon), 0);
    return uri;
}

/* The first four bytes a SPICE server answers a link message for the
 * main channel with, on @fd (connected). */
static void
assert_spice_link_reply(int fd)
{
    /* SpiceLinkHeader (magic, major 2, minor 2, size) + SpiceLinkMess. */
    unsigned char msg[16 + 18] = {'R', 'E', 'D', 'Q', 2, 0, 0, 0, 2, 0, 0, 0, 18, 0, 0, 0};
    msg[16 + 4] = 1;   /* channel_type: main */
    msg[16 + 14] = 18; /* caps_offset */
    assert_int_equal(send(fd, msg, sizeof(msg), MSG_NOSIGNAL), (ssize_t)sizeof(msg));
    char reply[4] = {0};
    size_t got = 0;
    while (got < sizeof(reply)) {
        ssize_t n = recv(fd, reply + got, sizeof(reply) - got, 0);
        assert_true(n > 0);
        got += (size_t)n;
    }
    assert_memory_equal(reply, "REDQ", 4);
    close(fd);
}

static int
connect_unix(const char *path)
{
    struct sockaddr_un un = {.sun_family = AF_UNIX};
    assert_true(strlen(path) < sizeof(un.sun_path));
    memcpy(un.sun_path, path, strlen(path) + 1);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    assert_true(fd >= 0);
    assert_int_equal(connect(fd, (struct sockaddr *)&un, sizeof(un)), 0);
    return fd;
}

/* Every piece of a spice domain, as QEMU has it. */
static void
assert_spice_devices(qt_fixture *f, int qxl_devfn, bool redir_ports)
{
    int devfn = qt_pci_bus0_devfn(f, "video0");
    assert_true(devfn >= 0);
    if (qxl_devfn >= 0)
        assert_int_equal(devfn, qxl_devfn);
    qt_assert_device_type(f, "video0", "qxl-vga");
    _cleanup_free_ char *vgamem = qt_qom_get(f, "/machine/peripheral/video0", "vgamem_mb");
    assert_string_equal(vgamem, "16");
    qt_assert_device_type(f, "redir0", "usb-redir");
    qt_assert_device_type(f, "redir1", "usb-redir");
    if (redir_ports) {
        _cleanup_free_ char *port0 = qt_qom_get(f, "/machine/peripheral/redir0", "port");
        _cleanup_free_ char *port1 = qt_qom_get(f, "/machine/peripheral/redir1", "port");
        assert_string_equal(port0, "2");
        assert_string_equal(port1, "3");
    }
    _cleanup_free_ char *chardev = qt_qom_get(f, "/machine/peripheral/redir0", "chardev");
    assert_string_equal(chardev, "charredir0");
    /* The spice agent's port beside the guest agent's. */
    _cleanup_free_ char *path = qt_qom_find(f, "/machine/peripheral", "virtserialport");
    assert_non_null(path);
    json_object *chardevs = qt_qmp(f, "query-chardev", NULL), *v;
    bool vdagent = false;
    for (size_t i = 0; i < json_object_array_length(chardevs); i++) {
        json_object *c = json_object_array_get_idx(chardevs, i);
        if (json_object_object_get_ex(c, "filename", &v) &&
            strcmp(json_object_get_string(v), "spicevmc") == 0 &&
            json_object_object_get_ex(c, "label", &v) &&
            strncmp(json_object_get_string(v), "charchannel", 11) == 0)
            vdagent = true;
    }
    json_object_put(chardevs);
    assert_true(vdagent);
    _cleanup_free_ char *audiodev = qt_qom_get(f, "/machine/peripheral/sound0-codec0", "audiodev");
    assert_string_equal(audiodev, "audio1");
}

/* ---- the whole domain ------------------------------------------------- */

/* What `virsh dumpxml` shows of a Debian 12 domain virt-install made on
 * libvirt 9.0 with spice (tests/data/qemu), with its image directory
 * moved under the test's root: it defines and starts unchanged, and
 * dumpxml gives it back. */
/* A sample of tests/data/qemu with its image directory moved under the
 * test's root, and that image made. (transfer full) */
static char *
load_sample(qt_fixture *f, const char *file, const char *image)
{
    const char *top = secure_getenv("VP_TOP_SRCDIR");
    _cleanup_free_ char *path = vp_asprintf("%s/tests/data/qemu/%s", top ? top : "..", file);
    FILE *in = fopen(path, "r");
    assert_non_null(in);
    _cleanup_free_ char *sample = vp_new0(char, 1 << 16);
    size_t n = fread(sample, 1, (1 << 16) - 1, in);
    fclose(in);
    assert_true(n > 0);
    const char *images = "/var/lib/libvirt/images";
    char *at = strstr(sample, images);
    assert_non_null(at);
    char *xml = vp_asprintf("%.*s%s%s", (int)(at - sample), sample, f->root, at + strlen(images));
    _cleanup_free_ char *disk = vp_asprintf("%s/%s", f->root, image);
    assert_int_equal(qt_run_capture((const char *const[]){QEMU_IMG, "create", "-q", "-f", "qcow2",
                                                          disk, "16M", NULL},
                                    NULL),
                     0);
    return xml;
}

static void
test_virt_install_spice_sample(void **state)
{
    qt_fixture *f = *state;
    _cleanup_free_ char *xml = load_sample(f, "virt-install-debian12-spice.xml", "debian12.qcow2");
    vp_domain *dom = NULL;
    int r = vp_domain_define_xml(f->conn, xml, 0, &dom);
    if (r < 0)
        fprintf(stderr, "define: %s\n", vp_error_last()->message);
    assert_int_equal(r, 0);
    r = vp_domain_start(dom, 0);
    if (r < 0)
        fprintf(stderr, "start: %s\n", vp_error_last()->message);
    assert_int_equal(r, 0);
    _cleanup_free_ char *qmp = vp_asprintf("%s/run/debian12.qmp", f->root);
    assert_int_equal(qemu_monitor_open(qmp, 10000, &f->mon), 0);
    assert_spice_devices(f, 1 * 8, true);
    _cleanup_free_ char *host = spice_member(f, "host");
    _cleanup_free_ char *port = spice_member(f, "port");
    _cleanup_free_ char *auth = spice_member(f, "auth");
    assert_string_equal(host, "127.0.0.1");
    assert_string_equal(auth, "none");
    long port_n = strtol(port, NULL, 10);
    assert_true(port_n >= 5900);
    assert_spice_link_reply(qt_connect_tcp("127.0.0.1", (int)port_n));
    qemu_monitor_close(VP_STEAL_PTR(f->mon));
    char *uri = NULL;
    assert_int_equal(vp_domain_get_display_uri(dom, 0, &uri), 0);
    _cleanup_free_ char *want = vp_asprintf("spice://127.0.0.1:%s", port);
    assert_string_equal(uri, want);
    free(uri);
    /* Given back as defined (the core writes <address> attributes in its
     * schema's order: bus before controller). */
    _cleanup_free_ char *back = NULL;
    assert_int_equal(vp_domain_get_xml(dom, 0, &back), 0);
    _cleanup_free_ char *expect = vp_strdup(xml);
    for (char *c = strstr(expect, "controller='0' bus='0'"); c;
         c = strstr(c, "controller='0' bus='0'"))
        memcpy(c, "bus='0' controller='0'", strlen("bus='0' controller='0'"));
    if (strcmp(back, expect) != 0)
        fprintf(stderr, "dumpxml:\n%s", back);
    assert_string_equal(back, expect);
    assert_int_equal(vp_domain_destroy(dom, 0), 0);
    assert_int_equal(vp_domain_undefine(dom, 0), 0);
    vp_domain_free(dom);
}

/* What virt-install sends to libvirt's define (its --print-xml) for the
 * same guest: no addresses, no controller indexes, the agent channel
 * without a path. It defines and starts unchanged; the root ports get
 * libvirt's indexes in the definition, and every spice piece is there. */
static void
test_virt_install_print_xml_sample(void **state)
{
    qt_fixture *f = *state;
    _cleanup_free_ char *xml =
        load_sample(f, "virt-install-print-xml-spice.xml", "debian12-new.qcow2");
    vp_domain *dom = NULL;
    int r = vp_domain_define_xml(f->conn, xml, 0, &dom);
    if (r < 0)
        fprintf(stderr, "define: %s\n", vp_error_last()->message);
    assert_int_equal(r, 0);
    _cleanup_free_ char *back = NULL;
    assert_int_equal(vp_domain_get_xml(dom, 0, &back), 0);
    assert_non_null(strstr(back, "<controller type='pci' index='0' model='pcie-root'/>"));
    assert_non_null(strstr(back, "<controller type='pci' index='14' model='pcie-root-port'/>"));
    r = vp_domain_start(dom, 0);
    if (r < 0)
        fprintf(stderr, "start: %s\n", vp_error_last()->message);
    assert_int_equal(r, 0);
    _cleanup_free_ char *qmp = vp_asprintf("%s/run/debian12-new.qmp", f->root);
    assert_int_equal(qemu_monitor_open(qmp, 10000, &f->mon), 0);
    assert_spice_devices(f, -1, false);
    qt_assert_device_type(f, "pci.14", "pcie-root-port");
    _cleanup_free_ char *enabled = spice_member(f, "enabled");
    assert_string_equal(enabled, "true");
    qemu_monitor_close(VP_STEAL_PTR(f->mon));
    assert_int_equal(vp_domain_destroy(dom, 0), 0);
    assert_int_equal(vp_domain_undefine(dom, 0), 0);
    vp_domain_free(dom);
}

/* ---- the display -------------------------------------------------------- */

/* A password reaches QEMU over QMP only: ticketing is on (auth "spice"),
 * and neither the command line nor the log holds the password. */
static void
test_password_not_on_command_line(void **state)
{
    qt_fixture *f = *state;
    qt_start(f, "q35", NULL,
             SPICE_DEVICES "<graphics type='spice' autoport='yes' passwd='Zq8-secret'>"
                           "<listen type='address' address='127.0.0.1'/></graphics>");
    assert_spice_devices(f, -1, true);
    _cleanup_free_ char *auth = spice_member(f, "auth");
    assert_string_equal(auth, "spice");
    _cleanup_free_ char *cmdline = qt_qemu_cmdline(f);
    assert_null(strstr(cmdline, "Zq8-secret"));
    assert_non_null(strstr(cmdline, " -spice "));
    /* dumpxml shows it only when asked for secrets. */
    _cleanup_free_ char *plain = NULL, *secure = NULL;
    assert_int_equal(vp_domain_get_xml(f->dom, 0, &plain), 0);
    assert_int_equal(vp_domain_get_xml(f->dom, VP_DOMAIN_XML_SECURE, &secure), 0);
    assert_null(strstr(plain, "Zq8-secret"));
    assert_non_null(strstr(plain, "<graphics type='spice' autoport='yes'>"));
    assert_non_null(strstr(secure, "passwd='Zq8-secret'"));
    _cleanup_free_ char *log = vp_asprintf("%s/run/dev.log", f->root);
    _cleanup_free_ char *text = NULL;
    if (qt_run_capture((const char *const[]){"/bin/cat", log, NULL}, &text) == 0)
        assert_null(strstr(text, "Zq8-secret"));
}

/* An autoport display skips a port someone else holds; two domains started
 * at once never get the same port. */
typedef struct start_arg {
    const char *root;
    const char *name;
    int r;
} start_arg;

static void *
start_thread(void *p)
{
    start_arg *a = p;
    _cleanup_free_ char *uri = qt_uri(a->root, "start_timeout_ms=20000");
    vp_conn *conn = NULL;
    vp_domain *dom = NULL;
    a->r = vp_conn_open(uri, 0, &conn);
    if (a->r >= 0)
        a->r = vp_domain_lookup_by_name(conn, a->name, &dom);
    if (a->r >= 0)
        a->r = vp_domain_start(dom, 0);
    vp_domain_free(dom);
    vp_conn_close(conn);
    return NULL;
}

static int
spice_port_of(const char *root, const char *name)
{
    _cleanup_free_ char *qmp = vp_asprintf("%s/run/%s.qmp", root, name);
    qemu_monitor *mon = NULL;
    assert_int_equal(qemu_monitor_open(qmp, 10000, &mon), 0);
    json_object *spice = NULL, *v;
    assert_int_equal(qemu_monitor_command(mon, "query-spice", NULL, 10000, &spice), 0);
    qemu_monitor_close(mon);
    assert_true(json_object_object_get_ex(spice, "port", &v));
    int port = json_object_get_int(v);
    json_object_put(spice);
    return port;
}

static void
test_autoport_concurrent(void **state)
{
    qt_fixture *f = *state;
    /* Someone else's listener on 127.0.0.1:5900 (when free): skipped. */
    int busy = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in in = {.sin_family = AF_INET, .sin_port = htons(5900)};
    inet_pton(AF_INET, "127.0.0.1", &in.sin_addr);
    bool held = bind(busy, (struct sockaddr *)&in, sizeof(in)) == 0 && listen(busy, 1) == 0;
    const char *names[] = {"s1", "s2"};
    for (size_t i = 0; i < 2; i++) {
        _cleanup_free_ char *body = vp_asprintf(
            "<domain type='qemu'><name>%s</name><memory unit='MiB'>32</memory>"
            "<os><type arch='x86_64' machine='pc'>hvm</type></os><devices>"
            "<graphics type='spice' port='-1' tlsPort='-1' autoport='yes'/></devices></domain>",
            names[i]);
        vp_domain *dom = NULL;
        assert_int_equal(vp_domain_define_xml(f->conn, body, 0, &dom), 0);
        vp_domain_free(dom);
    }
    pthread_t t[2];
    start_arg args[2] = {{f->root, names[0], -1}, {f->root, names[1], -1}};
    for (size_t i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&t[i], NULL, start_thread, &args[i]), 0);
    for (size_t i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    assert_int_equal(args[0].r, 0);
    assert_int_equal(args[1].r, 0);
    int p1 = spice_port_of(f->root, "s1"), p2 = spice_port_of(f->root, "s2");
    assert_true(p1 >= 5900 && p2 >= 5900);
    assert_int_not_equal(p1, p2);
    if (held) {
        assert_int_not_equal(p1, 5900);
        assert_int_not_equal(p2, 5900);
    }
    close(busy);
    for (size_t i = 0; i < 2; i++) {
        vp_domain *dom = NULL;
        assert_int_equal(vp_domain_lookup_by_name(f->conn, names[i], &dom), 0);
        assert_int_equal(vp_domain_destroy(dom, 0), 0);
        vp_domain_free(dom);
    }
}

/* <listen type='socket'/> without a path: the driver's RUNTIME/NAME.spice,
 * whose server answers a link message, shown as spice+unix:// and removed
 * when the domain stops. */
static void
test_unix_socket(void **state)
{
    qt_fixture *f = *state;
    qt_start(f, "pc", NULL,
             "<graphics type='spice'><listen type='socket'/><image compression='auto_glz'/>"
             "<streaming mode='filter'/><mouse mode='client'/></graphics>");
    _cleanup_free_ char *sock = vp_asprintf("%s/run/dev.spice", f->root);
    struct stat st;
    assert_int_equal(lstat(sock, &st), 0);
    assert_true(S_ISSOCK(st.st_mode));
    _cleanup_free_ char *uri = display_uri(f);
    _cleanup_free_ char *want = vp_asprintf("spice+unix://%s", sock);
    assert_string_equal(uri, want);
    assert_spice_link_reply(connect_unix(sock));
    qemu_monitor_close(VP_STEAL_PTR(f->mon));
    assert_int_equal(vp_domain_destroy(f->dom, 0), 0);
    assert_int_equal(lstat(sock, &st), -1);
}

/* A fixed port on a given address, and VNC beside it unchanged. */
static void
test_fixed_port_and_vnc_password(void **state)
{
    qt_fixture *f = *state;
    int port = 0;
    /* A free port from the kernel, handed back before the start. */
    int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in in = {.sin_family = AF_INET};
    inet_pton(AF_INET, "127.0.0.1", &in.sin_addr);
    socklen_t len = sizeof(in);
    assert_int_equal(bind(s, (struct sockaddr *)&in, sizeof(in)), 0);
    assert_int_equal(getsockname(s, (struct sockaddr *)&in, &len), 0);
    port = ntohs(in.sin_port);
    close(s);
    _cleanup_free_ char *dev =
        vp_asprintf("<graphics type='spice' port='%d' autoport='no' listen='127.0.0.1'>"
                    "<listen type='address' address='127.0.0.1'/></graphics>",
                    port);
    qt_start(f, "pc", NULL, dev);
    _cleanup_free_ char *got = spice_member(f, "port");
    _cleanup_free_ char *want_port = vp_asprintf("%d", port);
    assert_string_equal(got, want_port);
    _cleanup_free_ char *uri = display_uri(f);
    _cleanup_free_ char *want = vp_asprintf("spice://127.0.0.1:%d", port);
    assert_string_equal(uri, want);
    qt_stop_undefine(f);
    /* VNC with a password: QEMU asks for one (auth vnc). */
    qt_start(f, "pc", NULL, "<graphics type='vnc' autoport='yes' passwd='abc12345'/>");
    json_object *vnc = qt_qmp(f, "query-vnc", NULL), *v;
    assert_true(json_object_object_get_ex(vnc, "auth", &v));
    assert_string_equal(json_object_get_string(v), "vnc");
    json_object_put(vnc);
}

/* passwdValidTo is QMP expire_password: a password valid until a time to
 * come lets a VNC client in (and a wrong one does not), one whose time is
 * past lets nobody in. connected='keep' is what a VNC server does; the
 * others are refused for VNC and passed to set_password for SPICE. */
static void
test_password_valid_to(void **state)
{
    qt_fixture *f = *state;
    qt_start(f, "pc", NULL,
             "<graphics type='vnc' autoport='yes' passwd='Zq8pass' "
             "passwdValidTo='2099-01-01T00:00:00' connected='keep'/>");
    int port = qt_vnc_port(f);
    assert_int_equal(qt_vnc_auth(f, port, "Zq8pass"), 0);
    assert_int_equal(qt_vnc_auth(f, port, "wrong"), 1);
    qt_stop_undefine(f);
    qt_start(f, "pc", NULL,
             "<graphics type='vnc' autoport='yes' passwd='Zq8pass' "
             "passwdValidTo='2020-06-01T12:00:00'/>");
    assert_int_equal(qt_vnc_auth(f, qt_vnc_port(f), "Zq8pass"), 1);
    qt_stop_undefine(f);
    /* SPICE takes every connected= value; a past time leaves no ticket. */
    qt_start(f, "pc", NULL,
             "<graphics type='spice' autoport='yes' passwd='Zq8pass' connected='disconnect' "
             "passwdValidTo='2020-06-01T12:00:00'/>");
    _cleanup_free_ char *auth = spice_member(f, "auth");
    assert_string_equal(auth, "spice");
    qt_stop_undefine(f);
    QT_ASSERT_ERROR(
        qt_define(f, "pc", NULL, "<graphics type='vnc' passwd='x' connected='disconnect'/>"),
        VP_ERR_NOT_SUPPORTED, "connected='disconnect'", "keep");
    QT_ASSERT_ERROR(
        qt_define(f, "pc", NULL, "<graphics type='vnc' passwd='x' passwdValidTo='tomorrow'/>"),
        VP_ERR_XML, "passwdValidTo='tomorrow'", "YYYY-MM-DDTHH:MM:SS");
    QT_ASSERT_ERROR(
        qt_define(f, "pc", NULL, "<graphics type='vnc' passwdValidTo='2099-01-01T00:00:00'/>"),
        VP_ERR_XML, "passwdValidTo", "passwd");
    qt_assert_no_domain(f);
}

/* The first port from 5900 free on 127.0.0.1, as the driver binds to
 * check (SO_REUSEADDR). */
static int
first_free_port(void)
{
    for (int port = 5900; port < 65536; port++) {
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
        struct sockaddr_in in = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
        inet_pton(AF_INET, "127.0.0.1", &in.sin_addr);
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        bool ok = bind(fd, (struct sockaddr *)&in, sizeof(in)) == 0 && listen(fd, 1) == 0;
        close(fd);
        if (ok)
            return port;
    }
    fail_msg("no free port from 5900");
    return -1;
}

/* SPICE over TLS: refused while qemu.conf's spice_tls is off, and while
 * its certificate directory lacks a file (named); then a TLS port beside
 * the plain one, a TLS handshake on it that verifies against the CA, the
 * secure channel on QEMU's command line, and virsh's domdisplay form. */
static void
test_tls(void **state)
{
    qt_fixture *f = *state;
    const char *graphics = "<graphics type='spice' autoport='yes' defaultMode='any'>"
                           "<listen type='address' address='127.0.0.1'/>"
                           "<channel name='main' mode='secure'/>"
                           "<channel name='inputs' mode='insecure'/></graphics>";
    assert_int_equal(qt_define(f, "pc", NULL, graphics), 0);
    QT_ASSERT_ERROR(vp_domain_start(f->dom, 0), VP_ERR_NOT_SUPPORTED, "TLS is off", "spice_tls = 1",
                    "qemu.conf");
    _cleanup_free_ char *pki = vp_asprintf("%s/pki", f->root);
    qt_make_certificates(pki);
    _cleanup_free_ char *key = vp_asprintf("%s/server-key.pem", pki);
    _cleanup_free_ char *key_aside = vp_asprintf("%s/key-aside.pem", f->root);
    assert_int_equal(rename(key, key_aside), 0);
    _cleanup_free_ char *conf_path = vp_asprintf("%s/config/qemu.conf", f->root);
    _cleanup_free_ char *conf = vp_asprintf("spice_tls = 1\nspice_tls_x509_cert_dir = %s\n", pki);
    qt_write_file(conf_path, conf, 0600);
    QT_ASSERT_ERROR(vp_domain_start(f->dom, 0), VP_ERR_INVALID_ARG, key, "spice_tls_x509_cert_dir");
    assert_int_equal(rename(key_aside, key), 0);
    qt_start_defined(f);
    _cleanup_free_ char *port = spice_member(f, "port");
    _cleanup_free_ char *tls_port = spice_member(f, "tls-port");
    long plain = strtol(port, NULL, 10), tls = strtol(tls_port, NULL, 10);
    assert_true(plain >= 5900 && tls >= 5900);
    assert_int_not_equal(plain, tls);
    _cleanup_free_ char *cmdline = qt_qemu_cmdline(f);
    assert_non_null(strstr(cmdline, ",tls-channel=main"));
    assert_non_null(strstr(cmdline, ",plaintext-channel=inputs"));
    _cleanup_free_ char *x509 = vp_asprintf(",x509-dir=%s", pki);
    assert_non_null(strstr(cmdline, x509));
    _cleanup_free_ char *handshake =
        vp_asprintf("exec openssl s_client -connect 127.0.0.1:%ld -CAfile '%s/ca-cert.pem' "
                    "-verify_return_error </dev/null 2>&1",
                    tls, pki);
    _cleanup_free_ char *out = NULL;
    int r = qt_run_capture((const char *const[]){"/bin/sh", "-c", handshake, NULL}, &out);
    if (r != 0)
        fprintf(stderr, "s_client:\n%s", out ? out : "");
    assert_int_equal(r, 0);
    assert_non_null(strstr(out, "CN = 127.0.0.1"));
    assert_non_null(strstr(out, "Verify return code: 0 (ok)"));
    _cleanup_free_ char *uri = display_uri(f);
    _cleanup_free_ char *want = vp_asprintf("spice://127.0.0.1:%ld?tls-port=%ld", plain, tls);
    assert_string_equal(uri, want);
    qt_stop_undefine(f);
    /* A fixed plain port, the TLS port picked: never the plain one, which
     * QEMU has not bound when the pick is made. */
    int first = first_free_port();
    _cleanup_free_ char *fixed =
        vp_asprintf("<graphics type='spice' port='%d' autoport='no' tlsPort='-1' "
                    "defaultMode='secure'/>",
                    first);
    qt_start(f, "pc", NULL, fixed);
    _cleanup_free_ char *port2 = spice_member(f, "port");
    _cleanup_free_ char *tls2 = spice_member(f, "tls-port");
    assert_int_equal(strtol(port2, NULL, 10), first);
    assert_true(strtol(tls2, NULL, 10) > first);
    qt_stop_undefine(f);
    /* A fixed tlsPort on VNC, and a secure channel on a socket: refused. */
    QT_ASSERT_ERROR(qt_define(f, "pc", NULL, "<graphics type='vnc' tlsPort='5901'/>"),
                    VP_ERR_NOT_SUPPORTED, "tlsPort", "SPICE");
    QT_ASSERT_ERROR(qt_define(f, "pc", NULL, "<graphics type='spice' tlsPort='70000'/>"),
                    VP_ERR_NOT_SUPPORTED, "tlsPort='70000'");
    assert_int_equal(qt_define(f, "pc", NULL,
                               "<graphics type='spice' defaultMode='secure'>"
                               "<listen type='socket'/></graphics>"),
                     0);
    QT_ASSERT_ERROR(vp_domain_start(f->dom, 0), VP_ERR_NOT_SUPPORTED, "TLS",
                    "<listen type='socket'>", "plain text on a unix socket");
}

/* ---- refusals ------------------------------------------------------------ */

static void
test_refused(void **state)
{
    qt_fixture *f = *state;
    QT_ASSERT_ERROR(qt_define(f, "pc", NULL,
                              "<graphics type='spice'/>"
                              "<redirdev bus='usb' type='spicevmc'/>"),
                    VP_ERR_NOT_SUPPORTED, "<redirdev bus='usb'>", "USB controller");
    QT_ASSERT_ERROR(qt_define(f, "pc", NULL,
                              "<controller type='usb' model='qemu-xhci'/>"
                              "<graphics type='vnc'/><redirdev bus='usb' type='spicevmc'/>"),
                    VP_ERR_NOT_SUPPORTED, "<redirdev type='spicevmc'>", "<graphics type='spice'>");
    QT_ASSERT_ERROR(
        qt_define(f, "pc", NULL, "<graphics type='vnc'><image compression='off'/></graphics>"),
        VP_ERR_NOT_SUPPORTED, "<image>", "SPICE");
    QT_ASSERT_ERROR(qt_define(f, "pc", NULL, "<graphics type='spice' port='70000' autoport='no'/>"),
                    VP_ERR_NOT_SUPPORTED, "port='70000'");
    QT_ASSERT_ERROR(qt_define(f, "pc", NULL,
                              "<graphics type='spice' listen='0.0.0.0'>"
                              "<listen type='address' address='127.0.0.1'/></graphics>"),
                    VP_ERR_XML, "listen='0.0.0.0'", "127.0.0.1");
    QT_ASSERT_ERROR(qt_define(f, "pc", NULL, "<graphics type='spice' defaultMode='never'/>"),
                    VP_ERR_XML, "defaultMode");
    qt_assert_no_domain(f);
}

/* The display-ports lock is the user's, not the root's: a SPICE autoport
 * start in one root waits while a start in another root (here, the test
 * holding the lock) is placing its port. CI once lost that race: a VNC
 * QEMU of another root bound the port a SPICE start had just picked. */
static void
test_ports_lock_shared_by_roots(void **state)
{
    qt_fixture *f = *state;
    _cleanup_free_ char *run = vp_asprintf("%s/user-run", f->root);
    assert_int_equal(vp_plugin_mkdir_p(run, 0700), 0);
    setenv("VIRTPLUG_RUNTIME_DIR", run, 1);
    assert_int_equal(qt_define(f, "pc", NULL, "<graphics type='spice' autoport='yes'/>"), 0);
    _cleanup_free_ char *uri = qt_uri(f->root, "lock_timeout_ms=300&start_timeout_ms=20000");
    vp_conn *conn = NULL;
    vp_domain *dom = NULL;
    assert_int_equal(vp_conn_open(uri, 0, &conn), 0);
    assert_int_equal(vp_domain_lookup_by_name(conn, "dev", &dom), 0);
    _cleanup_free_ char *lock_path = vp_asprintf("%s/.display-ports.lock", run);
    int lock = -1;
    assert_int_equal(vp_plugin_lock_acquire(lock_path, "the display ports", 0, &lock), 0);
    QT_ASSERT_ERROR(vp_domain_start(dom, 0), VP_ERR_OPERATION_IN_PROGRESS, "display ports");
    vp_plugin_lock_release(lock);
    int r = vp_domain_start(dom, 0);
    if (r < 0)
        fprintf(stderr, "start: %s\n", vp_error_last()->message);
    assert_int_equal(r, 0);
    assert_int_equal(vp_domain_destroy(dom, 0), 0);
    unsetenv("VIRTPLUG_RUNTIME_DIR");
    vp_domain_free(dom);
    vp_conn_close(conn);
}

/* An <emulator> without SPICE (a QEMU whose -spice help says nothing):
 * refused at define, naming the element, the binary and the piece. The
 * same binary runs a VNC domain. */
static void
test_host_without_spice(void **state)
{
    qt_fixture *f = *state;
    _cleanup_free_ char *fake = vp_asprintf("%s/qemu-nospice", f->root);
    _cleanup_free_ char *script = vp_asprintf(
        "#!/bin/sh\n"
        "if [ \"$1\" = -spice ]; then echo 'qemu: spice support is disabled' >&2; exit 1; fi\n"
        "exec %s \"$@\"\n",
        QEMU_BINARY);
    qt_write_file(fake, script, 0755);
    _cleanup_free_ char *emulator = vp_asprintf("<emulator>%s</emulator>", fake);
    _cleanup_free_ char *spice = vp_asprintf("%s<graphics type='spice'/>", emulator);
    QT_ASSERT_ERROR(qt_define(f, "pc", NULL, spice), VP_ERR_NOT_SUPPORTED,
                    "<graphics type='spice'> is not supported on this host", fake, "-spice");
    qt_assert_no_domain(f);
    /* The answer is cached for the binary in the runtime directory. */
    _cleanup_free_ char *cache = vp_asprintf("%s/run/.qemu-hostcaps.json", f->root);
    assert_int_equal(access(cache, F_OK), 0);
    _cleanup_free_ char *qxl =
        vp_asprintf("%s<graphics type='vnc'/><video><model type='qxl'/></video>", emulator);
    qt_start(f, "pc", NULL, qxl);
    qt_assert_device_type(f, "video0", "qxl-vga");
}

int
main(int argc, char **argv)
{
    (void)argc;
    const struct CMUnitTest tests[] = {
        QT_DEVICE_TEST(test_virt_install_spice_sample),
        QT_DEVICE_TEST(test_virt_install_print_xml_sample),
        QT_DEVICE_TEST(test_password_not_on_command_line),
        QT_DEVICE_TEST(test_autoport_concurrent),
        QT_DEVICE_TEST(test_unix_socket),
        QT_DEVICE_TEST(test_fixed_port_and_vnc_password),
        QT_DEVICE_TEST(test_password_valid_to),
        QT_DEVICE_TEST(test_tls),
        QT_DEVICE_TEST(test_refused),
        QT_DEVICE_TEST(test_host_without_spice),
        QT_DEVICE_TEST(test_ports_lock_shared_by_roots),
    };
    return qt_device_tests_main(argv, tests, sizeof(tests) / sizeof(tests[0]));
}
