/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-qemu-pci.c: PCI placement and controllers (plugins/qemu/qemu-pci.c)
 * against real QEMU under TCG, on firmware-only domains. Where each
 * device sits is read back from QEMU: query-pci for bus 0, and for every
 * device its QOM "parent_bus" and "addr" (slot * 8 + function); root
 * ports' chassis and port by qom-get. A virt-install q35 layout runs as
 * written; a pc layout with the machine's own controllers too; what cannot
 * be placed is refused at define time with the address in the message.
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

#include "qemu-test-qmp.h"
#include "qemu-test-util.h"

#define PCI(bus, slot, fn)                                                                         \
    "<address type='pci' domain='0x0000' bus='" bus "' slot='" slot "' function='" fn "'/>"

/* What virt-install writes for a q35 guest (as libvirt's dumpxml shows
 * it), minus what later steps add: root ports, the sata controller, an
 * empty sata cdrom, and every device at its address. */
static void
test_q35_virt_install_layout(void **state)
{
    qt_fixture *f = *state;
    _cleanup_free_ char *disk = vp_asprintf("%s/d.raw", f->root);
    assert_int_equal(
        qt_run_capture(
            (const char *const[]){QEMU_IMG, "create", "-q", "-f", "raw", disk, "4M", NULL}, NULL),
        0);
    _cleanup_free_ char *devices = vp_asprintf(
        "<disk type='file' device='disk'><driver name='qemu' type='raw'/>"
        "<source file='%s'/><target dev='vda' bus='virtio'/>" PCI(
            "0x04", "0x00",
            "0x0") "</disk>"
                   "<disk type='file' device='cdrom'><driver name='qemu' type='raw'/>"
                   "<target dev='sda' bus='sata'/><readonly/>"
                   "<address type='drive' controller='0' bus='0' target='0' unit='0'/></disk>"
                   "<controller type='usb' index='0' model='qemu-xhci' ports='15'>" PCI(
                       "0x02", "0x00",
                       "0x0") "</controller>"
                              "<controller type='pci' index='0' model='pcie-root'/>"
                              "<controller type='pci' index='1' model='pcie-root-port'><model name='pcie-root-port'/>"
                              "<target chassis='1' port='0x10'/>" PCI(
                                  "0x00", "0x02",
                                  "0x0") "</controller>"
                                         "<controller type='pci' index='2' model='pcie-root-port'><model name='pcie-root-port'/>"
                                         "<target chassis='2' port='0x11'/>" PCI(
                                             "0x00", "0x02",
                                             "0x1") "</controller>"
                                                    "<controller type='pci' index='3' model='pcie-root-port'><model name='pcie-root-port'/>"
                                                    "<target chassis='3' port='0x12'/>" PCI(
                                                        "0x00", "0x02",
                                                        "0x2") "</controller>"
                                                               "<controller type='pci' index='4' model='pcie-root-port'><model name='pcie-root-port'/>"
                                                               "<target chassis='4' port='0x13'/>" PCI(
                                                                   "0x00", "0x02",
                                                                   "0x3") "</controller>"
                                                                          "<controller type='sata' index='0'>" PCI(
                                                                              "0x00", "0x1f",
                                                                              "0x2") "</controller>"
                                                                                     "<interface type='user'><mac address='52:54:00:aa:bb:cc'/><model type='virtio'/>" PCI(
                                                                                         "0x01",
                                                                                         "0x00",
                                                                                         "0x0") "</interface>"
                                                                                                "<input type='tablet' bus='usb'><address type='usb' bus='0' port='1'/></input>"
                                                                                                "<input type='mouse' bus='ps2'/><input type='keyboard' bus='ps2'/>"
                                                                                                "<video><model type='virtio' heads='1' primary='yes'/>" PCI(
                                                                                                    "0x00",
                                                                                                    "0x01",
                                                                                                    "0x0") "</video>"
                                                                                                           "<memballoon model='virtio'>" PCI(
                                                                                                               "0x03",
                                                                                                               "0x00",
                                                                                                               "0x0") "</memballoon>",
        disk);
    /* The first root port opens a multifunction slot, as libvirt writes it. */
    char *mf = strstr(devices, "slot='0x02' function='0x0'/>");
    assert_non_null(mf);
    _cleanup_free_ char *with_mf =
        vp_asprintf("%.*sslot='0x02' function='0x0' multifunction='on'/>%s", (int)(mf - devices),
                    devices, mf + strlen("slot='0x02' function='0x0'/>"));
    qt_start(f, "q35", NULL, with_mf);

    assert_int_equal(qt_pci_bus0_devfn(f, "pci.1"), 2 * 8 + 0);
    assert_int_equal(qt_pci_bus0_devfn(f, "pci.4"), 2 * 8 + 3);
    assert_int_equal(qt_pci_bus0_devfn(f, "video0"), 1 * 8 + 0);
    qt_assert_pci(f, "pci.2", "pcie.0", 2, 1);
    _cleanup_free_ char *multi = qt_qom_get(f, "/machine/peripheral/pci.1", "multifunction");
    assert_string_equal(multi, "true");
    _cleanup_free_ char *chassis = qt_qom_get(f, "/machine/peripheral/pci.3", "chassis");
    assert_string_equal(chassis, "3");
    _cleanup_free_ char *port = qt_qom_get(f, "/machine/peripheral/pci.3", "port");
    assert_string_equal(port, "18");
    qt_assert_pci(f, "net0", "pci.1", 0, 0);
    qt_assert_pci(f, "usb", "pci.2", 0, 0);
    qt_assert_pci(f, "balloon0", "pci.3", 0, 0);
    qt_assert_pci(f, "vda", "pci.4", 0, 0);
    _cleanup_free_ char *p2 = qt_qom_get(f, "/machine/peripheral/usb", "p2");
    assert_string_equal(p2, "15");
    qt_assert_device_type(f, "input0", "usb-tablet");
    /* The empty cdrom on port 0 of q35's own AHCI: no medium. */
    _cleanup_free_ char *bus = qt_qom_get(f, "/machine/peripheral/sda", "parent_bus");
    assert_non_null(strstr(bus, "/ide.0"));
    json_object *blocks = qt_qmp(f, "query-block", NULL);
    bool empty_cdrom = false;
    for (size_t i = 0; i < json_object_array_length(blocks); i++) {
        json_object *b = json_object_array_get_idx(blocks, i), *qdev, *v;
        if (json_object_object_get_ex(b, "qdev", &qdev) &&
            strcmp(json_object_get_string(qdev), "sda") == 0)
            empty_cdrom = !json_object_object_get_ex(b, "inserted", &v) &&
                          json_object_object_get_ex(b, "removable", &v) &&
                          json_object_get_boolean(v);
    }
    json_object_put(blocks);
    assert_true(empty_cdrom);
}

/* pc: the machine's own ide controller (01.1) and PIIX3's USB (01.2);
 * devices without an address fill the free slots from 2 up, around those
 * that have one. */
static void
test_pc_own_controllers_and_free_slots(void **state)
{
    qt_fixture *f = *state;
    qt_start(
        f, "pc", NULL,
        "<controller type='pci' index='0' model='pci-root'/>"
        "<controller type='ide' index='0'>" PCI(
            "0x00", "0x01",
            "0x1") "</controller>"
                   "<controller type='usb' index='0' model='piix3-uhci'>" PCI(
                       "0x00", "0x01",
                       "0x2") "</controller>"
                              "<controller type='virtio-serial' index='0'>" PCI(
                                  "0x00", "0x05",
                                  "0x0") "</controller>"
                                         "<rng model='virtio'><backend model='random'>/dev/urandom</backend>" PCI(
                                             "0x00", "0x02",
                                             "0x0") "</rng>"
                                                    "<interface type='user'><model type='e1000'/></interface>"
                                                    "<video><model type='vga'/></video>");
    assert_int_equal(qt_pci_bus0_devfn(f, "usb"), 1 * 8 + 2);
    assert_int_equal(qt_pci_bus0_devfn(f, "rng0"), 2 * 8);
    assert_int_equal(qt_pci_bus0_devfn(f, "virtio-serial0"), 5 * 8);
    assert_int_equal(qt_pci_bus0_devfn(f, "net0"), 3 * 8);
    assert_int_equal(qt_pci_bus0_devfn(f, "video0"), 4 * 8);
    qt_assert_device_type(f, "virtio-serial0", "virtio-serial-pci");
}

/* What `virsh dumpxml` shows of a domain virt-install made for Debian 12
 * on q35 (libvirt 9.0), with user networking and VNC where it would have
 * the default network and spice: every address as libvirt assigned it,
 * fourteen root ports, the agent channel, itco, ich9 sound. */
#define VIRT_INSTALL_XML                                                                                     \
    "<domain type='kvm'>\n"                                                                                  \
    "  <name>dev</name>\n"                                                                                   \
    "  <uuid>9d0c6e57-3a2b-4c1d-8e9f-0a1b2c3d4e5f</uuid>\n"                                                  \
    "  <metadata>\n"                                                                                         \
    "    <libosinfo:libosinfo xmlns:libosinfo=\"http://libosinfo.org/xmlns/libvirt/domain/1.0\">\n"          \
    "      <libosinfo:os id=\"http://debian.org/debian/12\"/>\n"                                             \
    "    </libosinfo:libosinfo>\n"                                                                           \
    "  </metadata>\n"                                                                                        \
    "  <memory unit='KiB'>131072</memory>\n"                                                                 \
    "  <currentMemory unit='KiB'>131072</currentMemory>\n"                                                   \
    "  <vcpu placement='static'>1</vcpu>\n"                                                                  \
    "  <os>\n"                                                                                               \
    "    <type arch='x86_64' machine='pc-q35-7.2'>hvm</type>\n"                                              \
    "    <boot dev='hd'/>\n"                                                                                 \
    "  </os>\n"                                                                                              \
    "  <features>\n"                                                                                         \
    "    <acpi/>\n"                                                                                          \
    "    <apic/>\n"                                                                                          \
    "    <vmport state='off'/>\n"                                                                            \
    "  </features>\n"                                                                                        \
    "  <cpu mode='host-passthrough' check='none' migratable='on'/>\n"                                        \
    "  <clock offset='utc'>\n"                                                                               \
    "    <timer name='rtc' tickpolicy='catchup'/>\n"                                                         \
    "    <timer name='pit' tickpolicy='delay'/>\n"                                                           \
    "    <timer name='hpet' present='no'/>\n"                                                                \
    "  </clock>\n"                                                                                           \
    "  <on_poweroff>destroy</on_poweroff>\n"                                                                 \
    "  <on_reboot>restart</on_reboot>\n"                                                                     \
    "  <on_crash>destroy</on_crash>\n"                                                                       \
    "  <pm>\n"                                                                                               \
    "    <suspend-to-mem enabled='no'/>\n"                                                                   \
    "    <suspend-to-disk enabled='no'/>\n"                                                                  \
    "  </pm>\n"                                                                                              \
    "  <devices>\n"                                                                                          \
    "    <emulator>" QEMU_BINARY "</emulator>\n"                                                             \
    "    <disk type='file' device='disk'>\n"                                                                 \
    "      <driver name='qemu' type='qcow2' discard='unmap'/>\n"                                             \
    "      <source file='%s/debian12.qcow2'/>\n"                                                             \
    "      <target dev='vda' bus='virtio'/>\n"                                                               \
    "      <address type='pci' domain='0x0000' bus='0x04' slot='0x00' function='0x0'/>\n"                    \
    "    </disk>\n"                                                                                          \
    "    <disk type='file' device='cdrom'>\n"                                                                \
    "      <driver name='qemu' type='raw'/>\n"                                                               \
    "      <target dev='sda' bus='sata'/>\n"                                                                 \
    "      <readonly/>\n"                                                                                    \
    "      <address type='drive' controller='0' bus='0' target='0' unit='0'/>\n"                             \
    "    </disk>\n"                                                                                          \
    "    <controller type='usb' index='0' model='qemu-xhci' ports='15'>\n"                                   \
    "      <address type='pci' domain='0x0000' bus='0x02' slot='0x00' function='0x0'/>\n"                    \
    "    </controller>\n"                                                                                    \
    "    <controller type='pci' index='0' model='pcie-root'/>\n"                                             \
    "    <controller type='pci' index='1' model='pcie-root-port'>\n"                                         \
    "      <model name='pcie-root-port'/>\n"                                                                 \
    "      <target chassis='1' port='0x10'/>\n"                                                              \
    "      <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x0' multifunction='on'/>\n" \
    "    </controller>\n"                                                                                    \
    "    <controller type='pci' index='2' model='pcie-root-port'>\n"                                         \
    "      <model name='pcie-root-port'/>\n"                                                                 \
    "      <target chassis='2' port='0x11'/>\n"                                                              \
    "      <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x1'/>\n"                    \
    "    </controller>\n"                                                                                    \
    "    <controller type='pci' index='3' model='pcie-root-port'>\n"                                         \
    "      <model name='pcie-root-port'/>\n"                                                                 \
    "      <target chassis='3' port='0x12'/>\n"                                                              \
    "      <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x2'/>\n"                    \
    "    </controller>\n"                                                                                    \
    "    <controller type='pci' index='4' model='pcie-root-port'>\n"                                         \
    "      <model name='pcie-root-port'/>\n"                                                                 \
    "      <target chassis='4' port='0x13'/>\n"                                                              \
    "      <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x3'/>\n"                    \
    "    </controller>\n"                                                                                    \
    "    <controller type='pci' index='5' model='pcie-root-port'>\n"                                         \
    "      <model name='pcie-root-port'/>\n"                                                                 \
    "      <target chassis='5' port='0x14'/>\n"                                                              \
    "      <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x4'/>\n"                    \
    "    </controller>\n"                                                                                    \
    "    <controller type='pci' index='6' model='pcie-root-port'>\n"                                         \
    "      <model name='pcie-root-port'/>\n"                                                                 \
    "      <target chassis='6' port='0x15'/>\n"                                                              \
    "      <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x5'/>\n"                    \
    "    </controller>\n"                                                                                    \
    "    <controller type='pci' index='7' model='pcie-root-port'>\n"                                         \
    "      <model name='pcie-root-port'/>\n"                                                                 \
    "      <target chassis='7' port='0x16'/>\n"                                                              \
    "      <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x6'/>\n"                    \
    "    </controller>\n"                                                                                    \
    "    <controller type='pci' index='8' model='pcie-root-port'>\n"                                         \
    "      <model name='pcie-root-port'/>\n"                                                                 \
    "      <target chassis='8' port='0x17'/>\n"                                                              \
    "      <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x7'/>\n"                    \
    "    </controller>\n"                                                                                    \
    "    <controller type='pci' index='9' model='pcie-root-port'>\n"                                         \
    "      <model name='pcie-root-port'/>\n"                                                                 \
    "      <target chassis='9' port='0x18'/>\n"                                                              \
    "      <address type='pci' domain='0x0000' bus='0x00' slot='0x03' function='0x0' multifunction='on'/>\n" \
    "    </controller>\n"                                                                                    \
    "    <controller type='pci' index='10' model='pcie-root-port'>\n"                                        \
    "      <model name='pcie-root-port'/>\n"                                                                 \
    "      <target chassis='10' port='0x19'/>\n"                                                             \
    "      <address type='pci' domain='0x0000' bus='0x00' slot='0x03' function='0x1'/>\n"                    \
    "    </controller>\n"                                                                                    \
    "    <controller type='pci' index='11' model='pcie-root-port'>\n"                                        \
    "      <model name='pcie-root-port'/>\n"                                                                 \
    "      <target chassis='11' port='0x1a'/>\n"                                                             \
    "      <address type='pci' domain='0x0000' bus='0x00' slot='0x03' function='0x2'/>\n"                    \
    "    </controller>\n"                                                                                    \
    "    <controller type='pci' index='12' model='pcie-root-port'>\n"                                        \
    "      <model name='pcie-root-port'/>\n"                                                                 \
    "      <target chassis='12' port='0x1b'/>\n"                                                             \
    "      <address type='pci' domain='0x0000' bus='0x00' slot='0x03' function='0x3'/>\n"                    \
    "    </controller>\n"                                                                                    \
    "    <controller type='pci' index='13' model='pcie-root-port'>\n"                                        \
    "      <model name='pcie-root-port'/>\n"                                                                 \
    "      <target chassis='13' port='0x1c'/>\n"                                                             \
    "      <address type='pci' domain='0x0000' bus='0x00' slot='0x03' function='0x4'/>\n"                    \
    "    </controller>\n"                                                                                    \
    "    <controller type='pci' index='14' model='pcie-root-port'>\n"                                        \
    "      <model name='pcie-root-port'/>\n"                                                                 \
    "      <target chassis='14' port='0x1d'/>\n"                                                             \
    "      <address type='pci' domain='0x0000' bus='0x00' slot='0x03' function='0x5'/>\n"                    \
    "    </controller>\n"                                                                                    \
    "    <controller type='sata' index='0'>\n"                                                               \
    "      <address type='pci' domain='0x0000' bus='0x00' slot='0x1f' function='0x2'/>\n"                    \
    "    </controller>\n"                                                                                    \
    "    <controller type='virtio-serial' index='0'>\n"                                                      \
    "      <address type='pci' domain='0x0000' bus='0x03' slot='0x00' function='0x0'/>\n"                    \
    "    </controller>\n"                                                                                    \
    "    <interface type='user'>\n"                                                                          \
    "      <mac address='52:54:00:5e:11:2a'/>\n"                                                             \
    "      <model type='virtio'/>\n"                                                                         \
    "      <address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>\n"                    \
    "    </interface>\n"                                                                                     \
    "    <serial type='pty'>\n"                                                                              \
    "      <target type='isa-serial' port='0'>\n"                                                            \
    "        <model name='isa-serial'/>\n"                                                                   \
    "      </target>\n"                                                                                      \
    "    </serial>\n"                                                                                        \
    "    <console type='pty'>\n"                                                                             \
    "      <target type='serial' port='0'/>\n"                                                               \
    "    </console>\n"                                                                                       \
    "    <channel type='unix'>\n"                                                                            \
    "      <target type='virtio' name='org.qemu.guest_agent.0'/>\n"                                          \
    "      <address type='virtio-serial' controller='0' bus='0' port='1'/>\n"                                \
    "    </channel>\n"                                                                                       \
    "    <input type='tablet' bus='usb'>\n"                                                                  \
    "      <address type='usb' bus='0' port='1'/>\n"                                                         \
    "    </input>\n"                                                                                         \
    "    <input type='mouse' bus='ps2'/>\n"                                                                  \
    "    <input type='keyboard' bus='ps2'/>\n"                                                               \
    "    <graphics type='vnc' port='-1' autoport='yes'>\n"                                                   \
    "      <listen type='address' address='127.0.0.1'/>\n"                                                   \
    "    </graphics>\n"                                                                                      \
    "    <sound model='ich9'>\n"                                                                             \
    "      <address type='pci' domain='0x0000' bus='0x00' slot='0x1b' function='0x0'/>\n"                    \
    "    </sound>\n"                                                                                         \
    "    <audio id='1' type='none'/>\n"                                                                      \
    "    <video>\n"                                                                                          \
    "      <model type='virtio' heads='1' primary='yes'/>\n"                                                 \
    "      <address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x0'/>\n"                    \
    "    </video>\n"                                                                                         \
    "    <watchdog model='itco' action='reset'/>\n"                                                          \
    "    <memballoon model='virtio'>\n"                                                                      \
    "      <address type='pci' domain='0x0000' bus='0x05' slot='0x00' function='0x0'/>\n"                    \
    "    </memballoon>\n"                                                                                    \
    "    <rng model='virtio'>\n"                                                                             \
    "      <backend model='random'>/dev/urandom</backend>\n"                                                 \
    "      <address type='pci' domain='0x0000' bus='0x06' slot='0x00' function='0x0'/>\n"                    \
    "    </rng>\n"                                                                                           \
    "  </devices>\n"                                                                                         \
    "</domain>\n"

/* The whole domain defines and starts unchanged; every device sits where
 * libvirt put it. */
static void
test_virt_install_domain(void **state)
{
    qt_fixture *f = *state;
    _cleanup_free_ char *disk = vp_asprintf("%s/debian12.qcow2", f->root);
    assert_int_equal(qt_run_capture((const char *const[]){QEMU_IMG, "create", "-q", "-f", "qcow2",
                                                          disk, "16M", NULL},
                                    NULL),
                     0);
    _cleanup_free_ char *xml = vp_asprintf(VIRT_INSTALL_XML, f->root);
    int r = vp_domain_define_xml(f->conn, xml, 0, &f->dom);
    if (r < 0)
        fprintf(stderr, "define: %s\n", vp_error_last()->message);
    assert_int_equal(r, 0);
    qt_start_defined(f);
    for (int i = 1; i <= 14; i++) {
        _cleanup_free_ char *id = vp_asprintf("pci.%d", i);
        assert_int_equal(qt_pci_bus0_devfn(f, id), (i <= 8 ? 2 : 3) * 8 + (i - 1) % 8);
    }
    qt_assert_pci(f, "net0", "pci.1", 0, 0);
    qt_assert_pci(f, "usb", "pci.2", 0, 0);
    qt_assert_pci(f, "virtio-serial0", "pci.3", 0, 0);
    qt_assert_pci(f, "vda", "pci.4", 0, 0);
    qt_assert_pci(f, "balloon0", "pci.5", 0, 0);
    qt_assert_pci(f, "rng0", "pci.6", 0, 0);
    assert_int_equal(qt_pci_bus0_devfn(f, "video0"), 1 * 8);
    assert_int_equal(qt_pci_bus0_devfn(f, "sound0"), 0x1b * 8);
    _cleanup_free_ char *nr = qt_qom_get(f, "/machine/peripheral/channel0", "nr");
    assert_string_equal(nr, "1");
    qt_assert_device_type(f, "serial0", "isa-serial");
    qt_assert_device_type(f, "input0", "usb-tablet");
    _cleanup_free_ char *back = NULL;
    assert_int_equal(vp_domain_get_xml(f->dom, 0, &back), 0);
    /* The core writes <address> attributes in its schema's order (bus
     * before controller); libvirt writes controller first. */
    _cleanup_free_ char *want = vp_strdup(xml);
    for (char *at = strstr(want, "controller='0' bus='0'"); at;
         at = strstr(at, "controller='0' bus='0'"))
        memcpy(at, "bus='0' controller='0'", strlen("bus='0' controller='0'"));
    if (strcmp(back, want) != 0)
        fprintf(stderr, "dumpxml:\n%s", back);
    assert_string_equal(back, want);
}

static void
test_refused_placements(void **state)
{
    qt_fixture *f = *state;
    QT_ASSERT_ERROR(
        qt_define(f, "q35", NULL,
                  "<memballoon model='virtio'>" PCI("0x05", "0x00", "0x0") "</memballoon>"),
        VP_ERR_NOT_SUPPORTED, "memballoon", "index='5'");
    QT_ASSERT_ERROR(
        qt_define(f, "pc", NULL,
                  "<memballoon model='virtio'>" PCI(
                      "0x00", "0x03",
                      "0x0") "</memballoon><video><model type='vga'/>" PCI("0x00", "0x03",
                                                                           "0x0") "</video>"),
        VP_ERR_NOT_SUPPORTED, "00:03.0", "used twice");
    QT_ASSERT_ERROR(
        qt_define(f, "pc", NULL, "<controller type='pci' index='1' model='pcie-root-port'/>"),
        VP_ERR_NOT_SUPPORTED, "pcie-root-port", "q35");
    QT_ASSERT_ERROR(
        qt_define(f, "q35", NULL,
                  "<controller type='sata' index='0'>" PCI("0x00", "0x03", "0x0") "</controller>"),
        VP_ERR_NOT_SUPPORTED, "00:1f.2");
    QT_ASSERT_ERROR(qt_define(f, "q35", NULL, "<controller type='ide' index='0'/>"),
                    VP_ERR_NOT_SUPPORTED, "ide", "q35");
    QT_ASSERT_ERROR(qt_define(f, "pc", NULL,
                              "<rng model='virtio'><backend model='random'>/dev/urandom</backend>"
                              "<address type='pci' domain='0x0001' bus='0' slot='3'/></rng>"),
                    VP_ERR_NOT_SUPPORTED, "domain", "0x0001");
    QT_ASSERT_ERROR(
        qt_define(f, "pc", NULL, "<controller type='pci' index='0' model='pci-bridge'/>"),
        VP_ERR_NOT_SUPPORTED, "pci-bridge", "index from 1 to 255");
    qt_assert_no_domain(f);
}

int
main(int argc, char **argv)
{
    (void)argc;
    const struct CMUnitTest tests[] = {
        QT_DEVICE_TEST(test_q35_virt_install_layout),
        QT_DEVICE_TEST(test_pc_own_controllers_and_free_slots),
        QT_DEVICE_TEST(test_virt_install_domain),
        QT_DEVICE_TEST(test_refused_placements),
    };
    return qt_device_tests_main(argv, tests, sizeof(tests) / sizeof(tests[0]));
}
