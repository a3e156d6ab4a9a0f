/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-qemu-platform.c: watchdogs, the panic device, sound with a 'none'
 * audio backend and <video model='none'> (plugins/qemu/qemu-platform.c)
 * against real QEMU under TCG, on firmware-only domains: each device read
 * back by its QOM type and properties, the PCI bus by query-pci. What
 * needs a daemon or another host backend is refused at define time.
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

static void
assert_prop(qt_fixture *f, const char *path, const char *prop, const char *want)
{
    _cleanup_free_ char *v = qt_qom_get(f, path, prop);
    if (strcmp(v, want) != 0)
        fprintf(stderr, "%s %s: '%s', want '%s'\n", path, prop, v, want);
    assert_string_equal(v, want);
}

/* Whether bus 0 has a device of PCI class @class (0x0300: VGA). */
static bool
has_pci_class(qt_fixture *f, int class)
{
    json_object *buses = qt_qmp(f, "query-pci", NULL), *devices, *info, *v;
    bool found = false;
    assert_true(
        json_object_object_get_ex(json_object_array_get_idx(buses, 0), "devices", &devices));
    for (size_t i = 0; i < json_object_array_length(devices); i++) {
        json_object *d = json_object_array_get_idx(devices, i);
        if (json_object_object_get_ex(d, "class_info", &info) &&
            json_object_object_get_ex(info, "class", &v) && json_object_get_int(v) == class)
            found = true;
    }
    json_object_put(buses);
    return found;
}

/* What virt-install writes for q35 (less spice): an ich9 sound card on
 * a 'none' backend, two watchdogs, the ISA panic device, no video. */
static void
test_q35_watchdogs_panic_sound(void **state)
{
    qt_fixture *f = *state;
    qt_start(f, "q35", NULL,
             "<sound model='ich9'><codec type='micro'/><audio id='1'/>"
             "<address type='pci' domain='0x0000' bus='0x00' slot='0x1b' function='0x0'/>"
             "</sound>"
             "<audio id='1' type='none'/>"
             "<video><model type='none'/></video>"
             "<watchdog model='itco' action='poweroff'/>"
             "<watchdog model='i6300esb' action='poweroff'>"
             "<address type='pci' domain='0x0000' bus='0x00' slot='0x05' function='0x0'/>"
             "</watchdog>"
             "<panic model='isa'><address type='isa' iobase='0x505'/></panic>");
    qt_assert_device_type(f, "sound0", "ich9-intel-hda");
    assert_prop(f, "/machine/peripheral/sound0", "addr", "216");
    qt_assert_device_type(f, "sound0-codec0", "hda-micro");
    assert_prop(f, "/machine/peripheral/sound0-codec0", "audiodev", "audio1");
    qt_assert_device_type(f, "watchdog1", "i6300esb");
    assert_prop(f, "/machine/peripheral/watchdog1", "addr", "40");
    /* q35's own iTCO may now reset the machine. */
    _cleanup_free_ char *lpc = qt_qom_find(f, "/machine", "ICH9-LPC");
    assert_non_null(lpc);
    assert_prop(f, lpc, "noreboot", "false");
    qt_assert_device_type(f, "panic", "pvpanic");
    assert_prop(f, "/machine/peripheral/panic", "ioport", "1285");
    /* <video model='none'>: no display controller at all. */
    assert_false(has_pci_class(f, 0x0300));
    assert_false(has_pci_class(f, 0x0380));
}

/* pc: ich6 and ac97 on the backend libvirt adds when there is none. */
static void
test_pc_sound_implicit_audio(void **state)
{
    qt_fixture *f = *state;
    qt_start(f, "pc", NULL,
             "<sound model='ich6'/><sound model='ac97'/>"
             "<watchdog model='i6300esb'/><panic model='isa'/>");
    qt_assert_device_type(f, "sound0", "intel-hda");
    qt_assert_device_type(f, "sound0-codec0", "hda-duplex");
    assert_prop(f, "/machine/peripheral/sound0-codec0", "audiodev", "audio1");
    qt_assert_device_type(f, "sound1", "AC97");
    assert_prop(f, "/machine/peripheral/sound1", "audiodev", "audio1");
    qt_assert_device_type(f, "watchdog0", "i6300esb");
    assert_prop(f, "/machine/peripheral/panic", "ioport", "1285");
}

static void
test_refused_platform(void **state)
{
    qt_fixture *f = *state;
    QT_ASSERT_ERROR(qt_define(f, "pc", NULL, "<watchdog model='itco'/>"), VP_ERR_NOT_SUPPORTED,
                    "itco", "q35");
    QT_ASSERT_ERROR(qt_define(f, "q35", NULL,
                              "<watchdog model='itco' action='reset'/>"
                              "<watchdog model='i6300esb' action='pause'/>"),
                    VP_ERR_NOT_SUPPORTED, "different actions", "pause");
    QT_ASSERT_ERROR(qt_define(f, "pc", NULL, "<watchdog model='i6300esb' action='dump'/>"),
                    VP_ERR_XML, "dump");
    QT_ASSERT_ERROR(
        qt_define(f, "pc", NULL, "<sound model='ich9'/><audio id='1' type='pulseaudio'/>"),
        VP_ERR_XML, "pulseaudio");
    QT_ASSERT_ERROR(qt_define(f, "pc", NULL, "<sound model='ich9'/><audio id='1' type='spice'/>"),
                    VP_ERR_NOT_SUPPORTED, "<audio type='spice'>", "<graphics type='spice'>");
    QT_ASSERT_ERROR(qt_define(f, "pc", NULL, "<sound model='sb16'/>"), VP_ERR_XML, "sb16");
    QT_ASSERT_ERROR(qt_define(f, "pc", NULL, "<panic model='hyperv'/>"), VP_ERR_XML, "hyperv");
    QT_ASSERT_ERROR(qt_define(f, "pc", NULL, "<panic model='isa'/><panic model='isa'/>"),
                    VP_ERR_NOT_SUPPORTED, "more than one <panic>");
    qt_assert_no_domain(f);
}

int
main(int argc, char **argv)
{
    (void)argc;
    const struct CMUnitTest tests[] = {
        QT_DEVICE_TEST(test_q35_watchdogs_panic_sound),
        QT_DEVICE_TEST(test_pc_sound_implicit_audio),
        QT_DEVICE_TEST(test_refused_platform),
    };
    return qt_device_tests_main(argv, tests, sizeof(tests) / sizeof(tests[0]));
}
