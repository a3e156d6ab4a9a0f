/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-qemu-pci-bridge.c: PCI bridges (plugins/qemu/qemu-pci.c and the
 * controllers of qemu-devices.c) against real QEMU under TCG, on
 * firmware-only domains: pci-bridge on pc, pcie-to-pci-bridge behind a
 * root port on q35, and a pci-bridge behind that, each at the address the
 * XML gives, with devices on their buses where their <address> says, read
 * back from QEMU (QOM parent_bus and addr, chassis_nr). What
 * libvirt does not allow on a bridge's bus (slot 0, a wrong <model name>,
 * pcie-to-pci-bridge on pc) is refused at define time, naming it.
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <virtplug/sdk/alloc.h>
#include <virtplug/virtplug.h>

#include "qemu-test-qmp.h"
#include "qemu-test-util.h"

#define PCI(bus, slot, fn)                                                                         \
    "<address type='pci' domain='0x0000' bus='" bus "' slot='" slot "' function='" fn "'/>"

/* pc: a pci-bridge at 00:05.0 (chassis_nr from <target chassisNr>), the
 * balloon and an rng on its bus where their addresses say, a NIC without
 * an address on bus 0 as before. */
static void
test_pc_pci_bridge(void **state)
{
    qt_fixture *f = *state;
    qt_start(
        f, "pc", NULL,
        "<controller type='pci' index='0' model='pci-root'/>"
        "<controller type='pci' index='1' model='pci-bridge'><model name='pci-bridge'/>"
        "<target chassisNr='7'/>" PCI(
            "0x00", "0x05",
            "0x0") "</controller>"
                   "<memballoon model='virtio'>" PCI(
                       "0x01", "0x03",
                       "0x0") "</memballoon>"
                              "<rng model='virtio'><backend model='random'>/dev/urandom</backend>" PCI(
                                  "0x01", "0x1f",
                                  "0x0") "</rng>"
                                         "<interface type='user'><model type='e1000'/></interface>");
    qt_assert_device_type(f, "pci.1", "pci-bridge");
    qt_assert_pci(f, "pci.1", "pci.0", 5, 0);
    _cleanup_free_ char *nr = qt_qom_get(f, "/machine/peripheral/pci.1", "chassis_nr");
    assert_string_equal(nr, "7");
    qt_assert_pci(f, "balloon0", "pci.1", 3, 0);
    qt_assert_pci(f, "rng0", "pci.1", 0x1f, 0);
    qt_assert_pci(f, "net0", "pci.0", 2, 0);
}

/* q35: pcie-root-port 1 on 00:02.0, pcie-to-pci-bridge 2 behind it (slot
 * 0 of the port), a pci-bridge 3 on the bridge's slot 1 (listed before its
 * parent: the driver emits buses by index), a device on each bus. */
static void
test_q35_pcie_to_pci_bridge(void **state)
{
    qt_fixture *f = *state;
    qt_start(
        f, "q35", NULL,
        "<controller type='pci' index='0' model='pcie-root'/>"
        "<controller type='pci' index='3' model='pci-bridge'><model name='pci-bridge'/>"
        "<target chassisNr='3'/>" PCI(
            "0x02", "0x01",
            "0x0") "</controller>"
                   "<controller type='pci' index='2' model='pcie-to-pci-bridge'>"
                   "<model name='pcie-pci-bridge'/>" PCI(
                       "0x01", "0x00",
                       "0x0") "</controller>"
                              "<controller type='pci' index='1' model='pcie-root-port'><model name='pcie-root-port'/>"
                              "<target chassis='1' port='0x10'/>" PCI(
                                  "0x00", "0x02",
                                  "0x0") "</controller>"
                                         "<memballoon model='virtio'>" PCI(
                                             "0x02", "0x04",
                                             "0x0") "</memballoon>"
                                                    "<rng model='virtio'><backend model='random'>/dev/urandom</backend>" PCI(
                                                        "0x03", "0x02", "0x0") "</rng>");
    qt_assert_device_type(f, "pci.2", "pcie-pci-bridge");
    qt_assert_device_type(f, "pci.3", "pci-bridge");
    qt_assert_pci(f, "pci.1", "pcie.0", 2, 0);
    qt_assert_pci(f, "pci.2", "pci.1", 0, 0);
    qt_assert_pci(f, "pci.3", "pci.2", 1, 0);
    qt_assert_pci(f, "balloon0", "pci.2", 4, 0);
    qt_assert_pci(f, "rng0", "pci.3", 2, 0);
}

static void
test_refused(void **state)
{
    qt_fixture *f = *state;
    /* Slot 0 of a bridge's bus is the bridge's own (libvirt's rule). */
    QT_ASSERT_ERROR(
        qt_define(f, "pc", NULL,
                  "<controller type='pci' index='1' model='pci-bridge'/>"
                  "<memballoon model='virtio'>" PCI("0x01", "0x00", "0x0") "</memballoon>"),
        VP_ERR_NOT_SUPPORTED, "memballoon", "bus 1 takes slots 1 to 31");
    /* A root port's bus has slot 0 only. */
    QT_ASSERT_ERROR(
        qt_define(f, "q35", NULL,
                  "<controller type='pci' index='1' model='pcie-root-port'/>"
                  "<memballoon model='virtio'>" PCI("0x01", "0x02", "0x0") "</memballoon>"),
        VP_ERR_NOT_SUPPORTED, "bus 1 takes slot 0 only");
    QT_ASSERT_ERROR(
        qt_define(f, "pc", NULL, "<controller type='pci' index='1' model='pcie-to-pci-bridge'/>"),
        VP_ERR_NOT_SUPPORTED, "pcie-to-pci-bridge", "pc has pci-root and pci-bridge");
    QT_ASSERT_ERROR(qt_define(f, "pc", NULL,
                              "<controller type='pci' index='1' model='pci-bridge'>"
                              "<model name='pcie-pci-bridge'/></controller>"),
                    VP_ERR_NOT_SUPPORTED, "<model name='pcie-pci-bridge'/>", "'pci-bridge'");
    QT_ASSERT_ERROR(qt_define(f, "pc", NULL,
                              "<controller type='pci' index='1' model='pci-bridge'/>"
                              "<controller type='pci' index='1' model='pci-bridge'/>"),
                    VP_ERR_NOT_SUPPORTED, "index='1'", "twice");
    qt_assert_no_domain(f);
}

/* A PCI controller without an index gets libvirt's at define (the root
 * 0, the others the lowest free one), kept in the definition. */
static void
test_indexes_assigned(void **state)
{
    qt_fixture *f = *state;
    assert_int_equal(qt_define(f, "q35", NULL,
                               "<controller type='pci' model='pcie-root'/>"
                               "<controller type='pci' model='pcie-root-port'/>"
                               "<controller type='pci' index='1' model='pcie-root-port'/>"
                               "<controller type='pci' model='pcie-to-pci-bridge'/>"),
                     0);
    _cleanup_free_ char *xml = NULL;
    assert_int_equal(vp_domain_get_xml(f->dom, 0, &xml), 0);
    assert_non_null(strstr(xml,
                           "<controller type='pci' index='0' model='pcie-root'/>\n"
                           "    <controller type='pci' index='2' model='pcie-root-port'/>\n"
                           "    <controller type='pci' index='1' model='pcie-root-port'/>\n"
                           "    <controller type='pci' index='3' model='pcie-to-pci-bridge'/>"));
    qt_start_defined(f);
    qt_assert_device_type(f, "pci.3", "pcie-pci-bridge");
    qt_assert_device_type(f, "pci.2", "pcie-root-port");
}

int
main(int argc, char **argv)
{
    (void)argc;
    const struct CMUnitTest tests[] = {
        QT_DEVICE_TEST(test_pc_pci_bridge),
        QT_DEVICE_TEST(test_q35_pcie_to_pci_bridge),
        QT_DEVICE_TEST(test_refused),
        QT_DEVICE_TEST(test_indexes_assigned),
    };
    return qt_device_tests_main(argv, tests, sizeof(tests) / sizeof(tests[0]));
}
