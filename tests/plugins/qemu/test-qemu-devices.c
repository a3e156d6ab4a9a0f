/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-qemu-devices.c: the domain XML beyond the 1.0 subset (issue 15,
 * plugins/qemu/qemu-devices.c) against real QEMU. Each device kind is
 * defined on a firmware-only pc or q35 domain (SeaBIOS finds nothing to
 * boot and waits, under TCG), started, and looked for over QMP with the
 * driver's own monitor client: qom-get of /machine/peripheral/ID's type,
 * query-vnc, query-balloon, "info network". What the driver does not run
 * is refused at define time by the capability message, naming the value;
 * dumpxml hands back the definition as defined. User networking is
 * restrict=on: no packet leaves this machine.
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <virtplug/sdk/alloc.h>
#include <virtplug/virtplug.h>

#include "qemu-monitor.h"
#include "qemu-test-qmp.h"
#include "qemu-test-util.h"

/* ---- one test per device kind ---------------------------------------------- */

static void
test_interface_user(void **state)
{
    qt_fixture *f = *state;
    qt_start(f, "pc", NULL,
             "<interface type='user'><mac address='52:54:00:12:34:aa'/>"
             "<model type='virtio'/></interface>"
             "<interface type='user'><model type='e1000'/></interface>"
             "<interface type='user'><mac address='52:54:00:12:34:cc'/>"
             "<model type='rtl8139'/></interface>");
    qt_assert_device_type(f, "net0", "virtio-net-pci");
    qt_assert_device_type(f, "net1", "e1000");
    qt_assert_device_type(f, "net2", "rtl8139");
    _cleanup_free_ char *mac0 = qt_qom_get(f, "/machine/peripheral/net0", "mac");
    assert_string_equal(mac0, "52:54:00:12:34:aa");
    _cleanup_free_ char *mac2 = qt_qom_get(f, "/machine/peripheral/net2", "mac");
    assert_string_equal(mac2, "52:54:00:12:34:cc");
    _cleanup_free_ char *net = qt_hmp(f, "info network");
    assert_non_null(strstr(net, "hostnet0"));
    assert_non_null(strstr(net, "restrict=on"));
    assert_null(strstr(net, "restrict=off"));
}

static void
test_graphics_vnc_video(void **state)
{
    qt_fixture *f = *state;
    qt_start(f, "pc", NULL,
             "<graphics type='vnc' port='-1' autoport='yes'>"
             "<listen type='address' address='127.0.0.1'/></graphics>"
             "<video><model type='qxl' ram='65536' vram='65536' vgamem='16384' heads='1' "
             "primary='yes'/></video>");
    json_object *vnc = qt_qmp(f, "query-vnc", NULL), *v;
    assert_true(json_object_object_get_ex(vnc, "enabled", &v) && json_object_get_boolean(v));
    assert_true(json_object_object_get_ex(vnc, "host", &v));
    assert_string_equal(json_object_get_string(v), "127.0.0.1");
    assert_true(json_object_object_get_ex(vnc, "service", &v));
    assert_true(strtol(json_object_get_string(v), NULL, 10) >= 5900);
    json_object_put(vnc);
    qt_assert_device_type(f, "video0", "qxl-vga");
    _cleanup_free_ char *vgamem = qt_qom_get(f, "/machine/peripheral/video0", "vgamem_mb");
    assert_string_equal(vgamem, "16");
}

static void
test_video_models(void **state)
{
    qt_fixture *f = *state;
    const struct {
        const char *model, *type;
    } cases[] = {
        {"virtio", "virtio-vga"}, {"vga", "VGA"}, {"bochs", "bochs-display"}, {"ramfb", "ramfb"}};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        _cleanup_free_ char *dev = vp_asprintf("<video><model type='%s'/></video>", cases[i].model);
        qt_start(f, "pc", NULL, dev);
        qt_assert_device_type(f, "video0", cases[i].type);
        /* Without <graphics> QEMU still runs with -display none. */
        json_object *vnc = qt_qmp(f, "query-vnc", NULL), *v;
        assert_true(json_object_object_get_ex(vnc, "enabled", &v));
        assert_false(json_object_get_boolean(v));
        json_object_put(vnc);
        qt_stop_undefine(f);
    }
}

static void
test_inputs(void **state)
{
    qt_fixture *f = *state;
    qt_start(f, "q35", "  <pm><suspend-to-disk enabled='no'/></pm>\n",
             "<controller type='usb' index='0' model='qemu-xhci'/>"
             "<input type='tablet' bus='usb'/><input type='keyboard' bus='virtio'/>"
             "<input type='mouse' bus='ps2'/><input type='keyboard' bus='ps2'/>"
             "<input type='mouse' bus='usb'/>");
    qt_assert_device_type(f, "usb", "qemu-xhci");
    qt_assert_device_type(f, "input0", "usb-tablet");
    qt_assert_device_type(f, "input1", "virtio-keyboard-pci");
    qt_assert_device_type(f, "input4", "usb-mouse");
    _cleanup_free_ char *lpc = qt_qom_find(f, "/machine", "ICH9-LPC");
    assert_non_null(lpc);
    _cleanup_free_ char *s4 = qt_qom_get(f, lpc, "disable_s4");
    assert_string_equal(s4, "1");
}

static void
test_balloon_rng_console(void **state)
{
    qt_fixture *f = *state;
    qt_start(f, "pc", NULL,
             "<memballoon model='virtio'/>"
             "<rng model='virtio'><backend model='random'>/dev/urandom</backend></rng>"
             "<console type='pty'><target type='serial' port='0'/></console>");
    json_object *b = qt_qmp(f, "query-balloon", NULL), *v;
    assert_true(json_object_object_get_ex(b, "actual", &v));
    assert_int_equal(json_object_get_int64(v), 64 * 1024 * 1024);
    json_object_put(b);
    qt_assert_device_type(f, "balloon0", "virtio-balloon-pci");
    qt_assert_device_type(f, "rng0", "virtio-rng-pci");
    _cleanup_free_ char *file = qt_qom_get(f, "/objects/objrng0", "filename");
    assert_string_equal(file, "/dev/urandom");
    json_object *chardevs = qt_qmp(f, "query-chardev", NULL);
    assert_non_null(strstr(json_object_to_json_string(chardevs), "charserial0"));
    json_object_put(chardevs);
}

static void
test_balloon_none(void **state)
{
    qt_fixture *f = *state;
    qt_start(f, "pc", NULL, "<memballoon model='none'/>");
    json_object *ret = NULL;
    assert_true(qemu_monitor_command(f->mon, "query-balloon", NULL, 10000, &ret) < 0);
    json_object_put(ret);
}

static void
test_features_cpu_clock(void **state)
{
    qt_fixture *f = *state;
    qt_start(f, "pc",
             "  <features><apic/><vmport state='off'/></features>\n"
             "  <cpu mode='host-passthrough' check='none' migratable='on'/>\n"
             "  <clock offset='localtime'><timer name='rtc' tickpolicy='catchup'/>"
             "<timer name='pit' tickpolicy='delay'/><timer name='hpet' present='no'/></clock>\n",
             NULL);
    /* No <acpi/> in <features>: ACPI off, as libvirt does. */
    _cleanup_free_ char *acpi = qt_qom_get(f, "/machine", "acpi");
    assert_string_equal(acpi, "off");
    _cleanup_free_ char *vmport = qt_qom_get(f, "/machine", "vmport");
    assert_string_equal(vmport, "off");
    _cleanup_free_ char *hpet = qt_qom_get(f, "/machine", "hpet");
    assert_string_equal(hpet, "false");
    /* Under TCG every host CPU mode is '-cpu max'. */
    json_object *cpus = qt_qmp(f, "query-cpus-fast", NULL), *path;
    assert_true(json_object_object_get_ex(json_object_array_get_idx(cpus, 0), "qom-path", &path));
    _cleanup_free_ char *type = qt_qom_get(f, json_object_get_string(path), "type");
    json_object_put(cpus);
    assert_string_equal(type, "max-x86_64-cpu");
    _cleanup_free_ char *rtc = qt_hmp(f, "info qtree");
    assert_non_null(strstr(rtc, "lost_tick_policy = \"slew\""));
}

static void
test_features_acpi_on(void **state)
{
    qt_fixture *f = *state;
    qt_start(f, "pc",
             "  <features><acpi/><apic/></features>\n"
             "  <pm><suspend-to-mem enabled='no'/></pm>\n",
             NULL);
    _cleanup_free_ char *acpi = qt_qom_get(f, "/machine", "acpi");
    assert_string_not_equal(acpi, "off");
    _cleanup_free_ char *hpet = qt_qom_get(f, "/machine", "hpet");
    assert_string_equal(hpet, "true");
    /* <pm>: S3 off on the PIIX4 power management device, S4 as QEMU has it. */
    _cleanup_free_ char *pm = qt_qom_find(f, "/machine", "PIIX4_PM");
    assert_non_null(pm);
    _cleanup_free_ char *s3 = qt_qom_get(f, pm, "disable_s3");
    assert_string_equal(s3, "1");
    _cleanup_free_ char *s4 = qt_qom_get(f, pm, "disable_s4");
    assert_string_equal(s4, "0");
}

/* ---- refusals ------------------------------------------------------------------ */

static void
test_refused(void **state)
{
    qt_fixture *f = *state;
    const struct {
        const char *top, *devices, *word;
    } cases[] = {
        {NULL, "<interface type='network'><source network='default' portgroup='web'/></interface>",
         "portgroup"},
        {NULL, "<interface type='direct'><source dev='eth0' mode='bridge'/></interface>", "direct"},
        {NULL, "<interface type='user'><model type='ne2k_pci'/></interface>", "ne2k_pci"},
        {NULL, "<graphics type='rdp'/>", "rdp"},
        {NULL, "<graphics type='sdl'/>", "sdl"},
        {NULL, "<video><model type='cirrus'/></video>", "cirrus"},
        {NULL, "<input type='tablet' bus='xen'/>", "xen"},
        {NULL, "<memballoon model='virtio-transitional'/>", "virtio-transitional"},
        {NULL, "<rng model='virtio'><backend model='egd' type='tcp'/></rng>", "egd"},
        {NULL, "<controller type='usb' index='0' model='ich9-ehci1'/>", "ich9-ehci1"},
        {NULL, "<controller type='scsi' index='0' model='lsilogic'/>", "lsilogic"},
        {NULL, "<sound model='sb16'/>", "sb16"},
        {"  <cpu mode='custom'><model>qemu64</model></cpu>\n", NULL, "custom"},
        {"  <clock offset='variable'/>\n", NULL, "variable"},
        {"  <clock offset='utc'><timer name='kvmclock'/></clock>\n", NULL, "kvmclock"},
        {"  <features><pae/></features>\n", NULL, "pae"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int r = qt_define(f, "pc", cases[i].top, cases[i].devices);
        if (r >= 0)
            fprintf(stderr, "case %zu was accepted\n", i);
        QT_ASSERT_ERROR(r, VP_ERR_XML, "driver 'qemu' does not support", cases[i].word);
    }
}

/* What the table cannot say is refused at define time, not at start. */
static void
test_refused_combinations(void **state)
{
    qt_fixture *f = *state;
    QT_ASSERT_ERROR(qt_define(f, "pc", NULL, "<input type='tablet' bus='usb'/>"),
                    VP_ERR_NOT_SUPPORTED, "needs a USB controller", "qemu-xhci");
    QT_ASSERT_ERROR(qt_define(f, "pc", NULL, "<input type='tablet' bus='ps2'/>"),
                    VP_ERR_NOT_SUPPORTED, "tablet", "ps2");
    QT_ASSERT_ERROR(qt_define(f, "pc", NULL, "<graphics type='vnc' port='5000' autoport='no'/>"),
                    VP_ERR_NOT_SUPPORTED, "5000", "5900");
    QT_ASSERT_ERROR(qt_define(f, "pc", NULL, "<video><model type='virtio' vram='16384'/></video>"),
                    VP_ERR_NOT_SUPPORTED, "virtio", "vram");
    QT_ASSERT_ERROR(qt_define(f, "none", NULL, "<memballoon model='virtio'/>"),
                    VP_ERR_NOT_SUPPORTED, "'none'");
    QT_ASSERT_ERROR(qt_define(f, "pc",
                              "  <clock offset='utc'><timer name='pit' "
                              "tickpolicy='catchup'/></clock>\n",
                              NULL),
                    VP_ERR_NOT_SUPPORTED, "pit", "catchup");
    qt_assert_no_domain(f);
}

/* ---- the definition ------------------------------------------------------------- */

#define CANONICAL                                                                                   \
    "<domain type='qemu'>\n"                                                                        \
    "  <name>dev</name>\n"                                                                          \
    "  <uuid>4dea22b3-1d52-d8f3-2516-782e98ab3fa0</uuid>\n"                                         \
    "  <metadata>\n"                                                                                \
    "    <libosinfo:libosinfo xmlns:libosinfo=\"http://libosinfo.org/xmlns/libvirt/domain/1.0\">\n" \
    "      <libosinfo:os id=\"http://debian.org/debian/12\"/>\n"                                    \
    "    </libosinfo:libosinfo>\n"                                                                  \
    "  </metadata>\n"                                                                               \
    "  <memory unit='KiB'>65536</memory>\n"                                                         \
    "  <currentMemory unit='KiB'>65536</currentMemory>\n"                                           \
    "  <vcpu placement='static'>1</vcpu>\n"                                                         \
    "  <os>\n"                                                                                      \
    "    <type arch='x86_64' machine='pc'>hvm</type>\n"                                             \
    "  </os>\n"                                                                                     \
    "  <features>\n"                                                                                \
    "    <acpi/>\n"                                                                                 \
    "    <apic/>\n"                                                                                 \
    "  </features>\n"                                                                               \
    "  <cpu mode='host-model'/>\n"                                                                  \
    "  <clock offset='utc'>\n"                                                                      \
    "    <timer name='hpet' present='no'/>\n"                                                       \
    "  </clock>\n"                                                                                  \
    "  <pm>\n"                                                                                      \
    "    <suspend-to-mem enabled='no'/>\n"                                                          \
    "  </pm>\n"                                                                                     \
    "  <devices>\n"                                                                                 \
    "    <controller type='usb' index='0' model='qemu-xhci'/>\n"                                    \
    "    <interface type='user'>\n"                                                                 \
    "      <mac address='52:54:00:6b:3c:58'/>\n"                                                    \
    "      <model type='virtio'/>\n"                                                                \
    "    </interface>\n"                                                                            \
    "    <input type='tablet' bus='usb'/>\n"                                                        \
    "    <graphics type='vnc' port='-1' autoport='yes'>\n"                                          \
    "      <listen type='address' address='127.0.0.1'/>\n"                                          \
    "    </graphics>\n"                                                                             \
    "    <video>\n"                                                                                 \
    "      <model type='virtio'/>\n"                                                                \
    "    </video>\n"                                                                                \
    "    <memballoon model='virtio'/>\n"                                                            \
    "    <rng model='virtio'>\n"                                                                    \
    "      <backend model='random'>/dev/urandom</backend>\n"                                        \
    "    </rng>\n"                                                                                  \
    "  </devices>\n"                                                                                \
    "</domain>\n"

static void
test_dumpxml_as_defined(void **state)
{
    qt_fixture *f = *state;
    assert_int_equal(vp_domain_define_xml(f->conn, CANONICAL, 0, &f->dom), 0);
    _cleanup_free_ char *xml = NULL;
    assert_int_equal(vp_domain_get_xml(f->dom, 0, &xml), 0);
    assert_string_equal(xml, CANONICAL);
    /* A second process (a fresh connection) reads the same, and it starts. */
    vp_conn *other = NULL;
    _cleanup_free_ char *uri = qt_uri(f->root, NULL);
    assert_int_equal(vp_conn_open(uri, 0, &other), 0);
    vp_domain *d = NULL;
    assert_int_equal(vp_domain_lookup_by_name(other, "dev", &d), 0);
    _cleanup_free_ char *again = NULL;
    assert_int_equal(vp_domain_get_xml(d, 0, &again), 0);
    assert_string_equal(again, CANONICAL);
    assert_int_equal(vp_domain_start(d, 0), 0);
    assert_int_equal(vp_domain_destroy(d, 0), 0);
    vp_domain_free(d);
    vp_conn_close(other);
    /* Undefine leaves nothing of it behind. */
    assert_int_equal(vp_domain_undefine(f->dom, 0), 0);
    _cleanup_free_ char *extras = vp_asprintf("%s/config/dev.extras.json", f->root);
    assert_int_equal(access(extras, F_OK), -1);
}

/* A disk-only snapshot rewrites the 1.0 part (the disk's source): dumpxml
 * then shows the overlay and still every element beyond the 1.0 subset. */
static void
test_dumpxml_after_snapshot(void **state)
{
    qt_fixture *f = *state;
    _cleanup_free_ char *disk = vp_asprintf("%s/d.qcow2", f->root);
    assert_int_equal(qt_run_capture((const char *const[]){QEMU_IMG, "create", "-q", "-f", "qcow2",
                                                          disk, "16M", NULL},
                                    NULL),
                     0);
    _cleanup_free_ char *devices =
        vp_asprintf("<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
                    "<source file='%s'/><target dev='vda' bus='virtio'/></disk>"
                    "<interface type='user'><mac address='52:54:00:00:00:01'/>"
                    "<model type='virtio'/></interface>"
                    "<rng model='virtio'><backend model='random'>/dev/urandom</backend></rng>",
                    disk);
    qt_start(f, "pc", "  <features><acpi/></features>\n", devices);
    _cleanup_free_ char *xml = qt_snapshot_s1_xml(f);
    _cleanup_free_ char *overlay = vp_asprintf("<source file='%s/d.s1'/>", f->root);
    assert_non_null(strstr(xml, overlay));
    assert_non_null(strstr(xml, "  <features>\n    <acpi/>\n  </features>\n  <devices>\n"));
    assert_non_null(strstr(xml,
                           "    <interface type='user'>\n      <mac address='52:54:00:00:00:01'/>\n"
                           "      <model type='virtio'/>\n"));
    assert_non_null(strstr(xml, "<backend model='random'>/dev/urandom</backend>"));
    /* What dumpxml shows defines again, and the devices run after a restart. */
    qt_redefine_restart(f, xml);
    qt_assert_device_type(f, "net0", "virtio-net-pci");
    qt_assert_device_type(f, "rng0", "virtio-rng-pci");
}

int
main(int argc, char **argv)
{
    qt_self = argv[0];
    if (argc > 1 && strncmp(argv[1], "child-", 6) == 0)
        return qt_child_main(argc, argv);
    if (access(QEMU_BINARY, X_OK) < 0) {
        fprintf(stderr, "SKIP: '%s' is not installed (Debian package qemu-system-x86)\n",
                QEMU_BINARY);
        return 77;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_interface_user, qt_fixture_setup, qt_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_graphics_vnc_video, qt_fixture_setup,
                                        qt_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_video_models, qt_fixture_setup, qt_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_inputs, qt_fixture_setup, qt_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_balloon_rng_console, qt_fixture_setup,
                                        qt_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_balloon_none, qt_fixture_setup, qt_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_features_cpu_clock, qt_fixture_setup,
                                        qt_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_features_acpi_on, qt_fixture_setup,
                                        qt_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_refused, qt_fixture_setup, qt_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_refused_combinations, qt_fixture_setup,
                                        qt_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_dumpxml_as_defined, qt_fixture_setup,
                                        qt_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_dumpxml_after_snapshot, qt_fixture_setup,
                                        qt_fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
