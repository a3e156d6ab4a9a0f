/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-caps.c: driver capabilities (plugin ABI 1.1), through the public API.
 *
 * With tests/plugins/procvm (a third-party driver: its own domain and OS
 * types, its own namespace, a table restricting every device kind),
 * tests/plugins/sdk-1.0 (a plugin built from the 1.0 headers) and the QEMU
 * plugin: the core refuses what a driver does not declare, for each device
 * kind, with one message shape and the line; it keeps the driver's
 * namespace and hands it over; vp_conn_get_domain_capabilities() reports
 * the same table; a 1.0 plugin keeps the 1.0 behaviour.
 */
#include <config.h>

#include <ftw.h>
#include <sys/stat.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <virtplug/virtplug.h>

#define PROCVM_NS "https://example.org/virtplug/procvm/1"

static void
expect_error(int r, int code, const char *k1, const char *k2)
{
    const vp_error *e = vp_error_last();
    if (r != code)
        fail_msg("expected error %d, got %d (%s)", code, r, e ? e->message : "no message");
    assert_non_null(e);
    if (!strstr(e->message, k1) || (k2 && !strstr(e->message, k2)))
        fail_msg("message '%s' lacks '%s' or '%s'", e->message, k1, k2 ? k2 : "");
}

static void
use_plugin_dir(const char *sub)
{
    const char *top = secure_getenv("VP_TOP_BUILDDIR");
    assert_non_null(top);
    char dir[4096];
    snprintf(dir, sizeof(dir), "%s/%s/.libs", top, sub);
    setenv("VIRTPLUG_PLUGIN_DIR", dir, 1);
}

static vp_conn *
open_conn(const char *uri)
{
    vp_conn *conn = NULL;
    int r = vp_conn_open(uri, 0, &conn);
    if (r < 0)
        fail_msg("cannot open '%s': %s", uri, vp_error_last()->message);
    return conn;
}

/* A procvm domain with @head inside <domain> and @device on line 6. */
static char *
procvm_xml(const char *type, const char *os, const char *device)
{
    char *xml = NULL;
    assert_true(asprintf(&xml,
                         "<domain type='%s' xmlns:procvm='" PROCVM_NS "'>\n"
                         "  <name>p1</name>\n"
                         "  <memory unit='MiB'>64</memory>\n"
                         "  <os><type>%s</type></os>\n"
                         "  <devices>\n"
                         "    %s\n"
                         "  </devices>\n"
                         "  <procvm:limits cpu='50%%'><procvm:files max='64'/></procvm:limits>\n"
                         "</domain>\n",
                         type, os, device) > 0);
    return xml;
}

static int
setup(void **state)
{
    use_plugin_dir("tests/plugins");
    *state = open_conn("procvm:///default");
    return 0;
}

static int
teardown(void **state)
{
    vp_conn_close(*state);
    return 0;
}

/* Every device kind, refused by value (or as a whole) with the one shape. */
static void
test_refusals_per_device_kind(void **state)
{
    static const struct {
        const char *device, *refusal, *supported;
    } cases[] = {
        {"<sound model='ich9'/>", "does not support <sound model='ich9'>",
         "; it supports: ich6, ac97, usb"},
        {"<disk type='file' device='cdrom'><target dev='vda'/></disk>",
         "does not support <disk device='cdrom'>", "; it supports: disk"},
        {"<disk type='file' device='disk'><target dev='sda' bus='sata'/></disk>",
         "does not support <target bus='sata'> in <disk>", "; it supports: virtio"},
        {"<disk type='network' device='disk'><target dev='vda'/></disk>",
         "does not support <disk type='network'>", "; it supports: file, block"},
        {"<disk type='file' snapshot='no'><target dev='vda'/></disk>",
         "does not support <disk snapshot='no'>", "; it supports on <disk>: type, device"},
        {"<controller type='sata' index='0'/>", "does not support <controller type='sata'>",
         "; it supports: usb, virtio-serial"},
        {"<controller type='usb' index='0' model='piix3-uhci'/>",
         "does not support <controller model='piix3-uhci'>", "; it supports: qemu-xhci"},
        {"<filesystem type='block'><source dev='/dev/x'/><target dir='/x'/></filesystem>",
         "does not support <filesystem type='block'>", "; it supports: mount"},
        {"<interface type='bridge'><source bridge='br0'/></interface>",
         "does not support <interface type='bridge'>", "; it supports: network, user"},
        {"<interface type='user'><model type='e1000'/></interface>",
         "does not support <model type='e1000'> in <interface>", "; it supports: virtio"},
        {"<serial type='file'><source path='/tmp/s'/></serial>",
         "does not support <serial type='file'>", "; it supports: pty"},
        {"<console type='tcp'/>", "does not support <console type='tcp'>", "; it supports: pty"},
        {"<channel type='spicevmc'><target type='virtio' name='com.redhat.spice.0'/></channel>",
         "does not support <channel type='spicevmc'>", "; it supports: unix"},
        {"<input type='mouse' bus='ps2'/>", "does not support <input type='mouse'>",
         "; it supports: tablet"},
        {"<graphics type='spice' port='-1'/>", "does not support <graphics type='spice'>",
         "; it supports: vnc"},
        {"<video><model type='qxl'/></video>", "does not support <model type='qxl'> in <video>",
         "; it supports: virtio"},
        {"<hostdev mode='subsystem' type='pci'/>", "does not support <hostdev type='pci'>",
         "; it supports: usb"},
        {"<watchdog model='ib700'/>", "does not support <watchdog model='ib700'>",
         "; it supports: i6300esb"},
        {"<memballoon model='xen'/>", "does not support <memballoon model='xen'>",
         "; it supports: virtio, none"},
        {"<rng model='virtio'><backend model='egd' type='pty'/></rng>",
         "does not support <backend model='egd'> in <rng>", "; it supports: random"},
        {"<tpm model='tpm-tis'/>", "does not support <tpm model='tpm-tis'>",
         "; it supports: tpm-crb"},
        {"<smartcard mode='host'/>", "does not support <smartcard>",
         "; it supports in <devices>: emulator, disk, controller, filesystem, interface, serial, console, channel, input, tpm, graphics, sound, video, hostdev, watchdog, memballoon, rng"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *xml = procvm_xml("procvm", "exe", cases[i].device);
        expect_error(vp_domain_define_xml(*state, xml, 0, NULL), VP_ERR_XML,
                     "domain XML line 6: driver 'procvm' ", cases[i].refusal);
        expect_error(VP_ERR_XML, VP_ERR_XML, cases[i].supported, NULL);
        free(xml);
    }
}

/* The same shape for types, texts and namespaces, outside <devices>. */
static void
test_refusals_outside_devices(void **state)
{
    char *xml = procvm_xml("kvm", "exe", "");
    expect_error(vp_domain_define_xml(*state, xml, 0, NULL), VP_ERR_XML,
                 "line 1: driver 'procvm' does not support <domain type='kvm'>",
                 "; it supports: procvm");
    free(xml);
    xml = procvm_xml("procvm", "hvm", "");
    expect_error(vp_domain_define_xml(*state, xml, 0, NULL), VP_ERR_XML,
                 "line 4: driver 'procvm' does not support <type>hvm</type> in <os>",
                 "; it supports: exe");
    free(xml);
    /* A type nobody declared stays unknown to the model. */
    xml = procvm_xml("procvm", "nosuch", "");
    expect_error(vp_domain_define_xml(*state, xml, 0, NULL), VP_ERR_XML, "'nosuch'", "<type>");
    free(xml);
    const char *foreign =
        "<domain type='procvm' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>"
        "<name>p</name><memory>1024</memory><os><type>exe</type></os>"
        "<qemu:commandline/></domain>";
    expect_error(vp_domain_define_xml(*state, foreign, 0, NULL), VP_ERR_XML,
                 "driver 'procvm' does not support <qemu:commandline>",
                 "it supports: '" PROCVM_NS "'");
    const char *crash = "<domain type='procvm'><name>p</name><memory>1024</memory>"
                        "<os><type>exe</type></os><on_crash>restart</on_crash></domain>";
    expect_error(vp_domain_define_xml(*state, crash, 0, NULL), VP_ERR_XML,
                 "does not support <on_crash>restart</on_crash>", "; it supports: destroy");
}

/* Its own types and namespace are accepted, kept, and reach the driver. */
static void
test_third_party_types_and_namespace(void **state)
{
    char *xml = procvm_xml("procvm", "exe",
                           "<disk type='file' device='disk'><source file='/srv/p1.img'/>"
                           "<target dev='vdb' bus='virtio'/></disk><sound model='ac97'/>");
    vp_domain *dom = NULL;
    int r = vp_domain_define_xml(*state, xml, 0, &dom);
    if (r < 0)
        fail_msg("define: %s", vp_error_last()->message);
    free(xml);
    char *out = NULL;
    assert_int_equal(vp_domain_get_xml(dom, 0, &out), 0);
    assert_non_null(strstr(out, "<domain type='procvm' xmlns:procvm='" PROCVM_NS "'>"));
    assert_non_null(strstr(out, "<type>exe</type>"));
    assert_non_null(
        strstr(out, "<procvm:limits cpu=\"50%\"><procvm:files max=\"64\"/></procvm:limits>"));
    /* format(parse(x)) is stable through the driver. */
    vp_domain *again = NULL;
    r = vp_domain_define_xml(*state, out, 0, &again);
    if (r < 0)
        fail_msg("redefine of '%s': %s", out, vp_error_last()->message);
    char *out2 = NULL;
    assert_int_equal(vp_domain_get_xml(again, 0, &out2), 0);
    assert_string_equal(out, out2);
    char *json = NULL;
    assert_int_equal(vp_domain_get_guest_info(dom, 0, &json), 0);
    assert_non_null(strstr(json, "\"type\": \"procvm\", \"os\": \"exe\", \"disk\": \"vdb\""));
    assert_non_null(strstr(json, "<procvm:limits cpu='50%'>"));
    free(json);
    free(out);
    free(out2);
    vp_domain_free(again);
    vp_domain_free(dom);
}

static void
test_domain_capabilities(void **state)
{
    char *caps = NULL;
    assert_int_equal(vp_conn_get_domain_capabilities(*state, 0, &caps), 0);
    assert_non_null(strstr(caps, "<domainCapabilities>\n  <driver>procvm</driver>\n"
                                 "  <domain>procvm</domain>\n"));
    assert_non_null(strstr(caps, "<sound supported='yes'>\n      <enum name='model'>\n"
                                 "        <value>ich6</value>\n        <value>ac97</value>\n"
                                 "        <value>usb</value>\n      </enum>\n    </sound>\n"));
    assert_non_null(strstr(caps, "<enum name='target.bus'>\n        <value>virtio</value>\n"));
    assert_non_null(strstr(caps, "<smartcard supported='no'/>"));
    assert_non_null(strstr(caps, "<namespace>" PROCVM_NS "</namespace>"));
    free(caps);
    assert_int_equal(vp_conn_get_domain_capabilities(*state, VP_DOMAIN_CAPS_JSON, &caps), 0);
    assert_non_null(strstr(
        caps,
        "\"sound\": {\"supported\": true, \"enums\": {\"model\": [\"ich6\", \"ac97\", \"usb\"]}}"));
    assert_non_null(strstr(caps, "\"domain\": [\"procvm\"]"));
    free(caps);
    expect_error(vp_conn_get_domain_capabilities(*state, 4, &caps), VP_ERR_INVALID_ARG, "0x4",
                 NULL);
}

/* A plugin built from the 1.0 headers: loaded, its define gets the XML
 * unchecked by the core and refuses with the 1.0 parser's message. */
static void
test_plugin_built_for_1_0(void **state)
{
    (void)state;
    use_plugin_dir("tests/plugins");
    vp_conn *conn = open_conn("oldabi:///x");
    const char *ok = "<domain type='kvm'><name>o</name><memory unit='MiB'>64</memory>"
                     "<os><type>hvm</type></os><devices><disk type='file'>"
                     "<source file='/o.img'/><target dev='vda'/></disk></devices></domain>";
    vp_domain *dom = NULL;
    assert_int_equal(vp_domain_define_xml(conn, ok, 0, &dom), 0);
    char *out = NULL;
    assert_int_equal(vp_domain_get_xml(dom, 0, &out), 0);
    assert_non_null(strstr(out, "<source file='/o.img'/>"));
    free(out);
    vp_domain_free(dom);
    const char *sound =
        "<domain type='kvm'><name>o</name><memory>1024</memory>"
        "<os><type>hvm</type></os><devices><sound model='ich6'/></devices></domain>";
    expect_error(vp_domain_define_xml(conn, sound, 0, NULL), VP_ERR_XML, "<sound>",
                 "not supported by this driver: it runs only the 1.0 subset");
    char *caps = NULL;
    assert_int_equal(vp_conn_get_domain_capabilities(conn, 0, &caps), 0);
    assert_non_null(strstr(caps, "<driver>oldabi</driver>\n  <domain>kvm</domain>\n"
                                 "  <domain>qemu</domain>\n  <domain>test</domain>\n"));
    assert_non_null(strstr(caps, "<sound supported='no'/>"));
    free(caps);
    vp_conn_close(conn);
}

static int
remove_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    (void)type;
    (void)ftw;
    return remove(path);
}

/* QEMU declares what its command line does; a virt-install domain is
 * refused by a capability message, and its own tests' XML is accepted. */
static void
test_qemu_capabilities(void **state)
{
    (void)state;
    use_plugin_dir("plugins");
    char root[] = "/tmp/vp-test-caps-XXXXXX";
    assert_non_null(mkdtemp(root));
    char uri[256];
    snprintf(uri, sizeof(uri), "qemu:///embed?root=%s", root);
    vp_conn *conn = open_conn(uri);
    const char *vi = "<domain type='kvm'>\n  <name>vi</name>\n  <memory>2097152</memory>\n"
                     "  <os><type arch='x86_64' machine='q35'>hvm</type></os>\n"
                     "  <devices><parallel type='pty'/></devices>\n</domain>";
    expect_error(vp_domain_define_xml(conn, vi, 0, NULL), VP_ERR_XML,
                 "domain XML line 5: driver 'qemu' does not support <parallel>",
                 "it supports in <devices>:");
    const char *nic = "<domain type='kvm'><name>vi</name><memory>2097152</memory>"
                      "<os><type>hvm</type></os><devices><interface type='direct'>"
                      "<source dev='eth0' mode='bridge'/></interface></devices></domain>";
    expect_error(vp_domain_define_xml(conn, nic, 0, NULL), VP_ERR_XML,
                 "driver 'qemu' does not support <interface type='direct'>",
                 "it supports: user, ethernet, bridge, network");
    const char *bus =
        "<domain type='kvm'><name>vi</name><memory>2097152</memory>"
        "<os><type>hvm</type></os><devices><disk type='file' device='disk'>"
        "<source file='/x.img'/><target dev='sda' bus='usb'/></disk></devices></domain>";
    expect_error(vp_domain_define_xml(conn, bus, 0, NULL), VP_ERR_XML,
                 "driver 'qemu' does not support <target bus='usb'> in <disk>",
                 "; it supports: virtio, ide, sata, scsi");
    const char *ok = "<domain type='qemu'><name>ok</name><memory unit='MiB'>32</memory>"
                     "<os><type arch='x86_64' machine='none'>hvm</type></os>"
                     "<on_reboot>destroy</on_reboot><devices><serial type='pty'/>"
                     "<console type='pty'/></devices></domain>";
    vp_domain *dom = NULL;
    int r = vp_domain_define_xml(conn, ok, 0, &dom);
    if (r < 0)
        fail_msg("define: %s", vp_error_last()->message);
    assert_int_equal(vp_domain_undefine(dom, 0), 0);
    vp_domain_free(dom);
    vp_conn_close(conn);
    assert_int_equal(nftw(root, remove_one, 16, FTW_DEPTH | FTW_PHYS), 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_refusals_per_device_kind, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refusals_outside_devices, setup, teardown),
        cmocka_unit_test_setup_teardown(test_third_party_types_and_namespace, setup, teardown),
        cmocka_unit_test_setup_teardown(test_domain_capabilities, setup, teardown),
        cmocka_unit_test(test_plugin_built_for_1_0),
        cmocka_unit_test(test_qemu_capabilities),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
