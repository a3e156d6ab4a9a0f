/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-test-qmp.h: the fixture of the device tests against real QEMU: a
 * private embed root, one domain "dev" defined from a body of XML and
 * started, and QMP questions to its QEMU over the driver's own monitor
 * client (qom-get, qom-list, query-*, human-monitor-command).
 */
#ifndef VIRTPLUG_TESTS_QEMU_TEST_QMP_H
#define VIRTPLUG_TESTS_QEMU_TEST_QMP_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <json-c/json.h>

#include <virtplug/virtplug.h>

#include "qemu-monitor.h"

typedef struct qt_fixture {
    char *root;
    vp_conn *conn;
    vp_domain *dom;
    qemu_monitor *mon;
    char *loops[4]; /* the loop devices qt_loop_attach() made */
    size_t n_loops;
} qt_fixture;

/* cmocka setup and teardown: a root, a connection (QEMU must be up within
 * 20 s); teardown kills every QEMU of the root, then detaches the loop
 * devices of qt_loop_attach(). */
int qt_fixture_setup(void **state);
int qt_fixture_teardown(void **state);

/* The XML of domain "dev" on @machine with @top (elements of <domain>,
 * may be NULL; one that starts with "  <os>" replaces the default <os>)
 * and @devices (may be NULL). (transfer full) */
char *qt_domain_xml(const char *machine, const char *top, const char *devices);
/* Define it: 0 or the error. */
int qt_define(qt_fixture *f, const char *machine, const char *top, const char *devices);
/* Define, start, and connect to its QMP socket (asserts). */
void qt_start(qt_fixture *f, const char *machine, const char *top, const char *devices);
/* Start the defined domain and connect to its QMP socket (asserts). */
void qt_start_defined(qt_fixture *f);
/* Destroy and undefine it, so the next qt_start can define it again. */
void qt_stop_undefine(qt_fixture *f);

/* Assert that no domain is defined (every define was refused). */
void qt_assert_no_domain(qt_fixture *f);

/* Take disk-only snapshot "s1" of the running domain and return dumpxml
 * after it (the fixture's monitor is closed first: QEMU takes one client).
 * (transfer full) */
char *qt_snapshot_s1_xml(qt_fixture *f);
/* Destroy the domain, define @xml again, start it and reconnect. */
void qt_redefine_restart(qt_fixture *f, const char *xml);

/* A test run with the fixture. */
#define QT_DEVICE_TEST(f) cmocka_unit_test_setup_teardown(f, qt_fixture_setup, qt_fixture_teardown)

/* The fixture with bridge QT_BRIDGE made before and deleted after, for
 * the programs that run in a network namespace of their own
 * (qt_netns_enter()). */
#define QT_BRIDGE "vpbr0"
int qt_bridge_fixture_setup(void **state);
int qt_bridge_fixture_teardown(void **state);
#define QT_BRIDGE_TEST(f)                                                                          \
    cmocka_unit_test_setup_teardown(f, qt_bridge_fixture_setup, qt_bridge_fixture_teardown)

/* main() of a device test program: skips (77) without QEMU. */
int qt_device_tests_main(char **argv, const struct CMUnitTest *tests, size_t n);

/* The reply of @command with @args (JSON text or NULL); asserts success.
 * (transfer full) json_object_put(). */
json_object *qt_qmp(qt_fixture *f, const char *command, const char *args);
/* A QOM property as a string (json-c's: "true", "false", numbers). (transfer full) */
char *qt_qom_get(qt_fixture *f, const char *path, const char *property);
/* Assert /machine/peripheral/@id is of @type. */
void qt_assert_device_type(qt_fixture *f, const char *id, const char *type);
/* The QOM path of the first object of @type under @path, or NULL. (transfer full) */
char *qt_qom_find(qt_fixture *f, const char *path, const char *type);
/* Assert that device @id sits on PCI bus @bus ("pci.0", "pci.3") at
 * @slot.@function (its QOM parent_bus and addr). */
void qt_assert_pci(qt_fixture *f, const char *id, const char *bus, int slot, int function);
/* The slot * 8 + function of device @id on bus 0 in query-pci, or -1. */
int qt_pci_bus0_devfn(qt_fixture *f, const char *id);
/* Write @text to @path (created or replaced) with mode @mode (asserts). */
void qt_write_file(const char *path, const char *text, unsigned int mode);
/* The output of an HMP command. (transfer full) */
char *qt_hmp(qt_fixture *f, const char *line);
/* The entry of node @name in query-named-block-nodes (asserts it is
 * there). (transfer full) json_object_put(). */
json_object *qt_block_node(qt_fixture *f, const char *name);
/* A loop device on image @img (losetup --find --show), detached by the
 * fixture's teardown whatever the test does; skips the test where loop
 * devices cannot be made (they need root). (transfer none) */
const char *qt_loop_attach(qt_fixture *f, const char *img);

#endif /* VIRTPLUG_TESTS_QEMU_TEST_QMP_H */
