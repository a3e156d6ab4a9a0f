/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-test-qmp.c: the fixture of the device tests against real QEMU
 * (qemu-test-qmp.h). Every boot is bounded by the connection's
 * start_timeout_ms and every QMP command by a 10 s timeout.
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include <virtplug/sdk/alloc.h>

#include "qemu-test-qmp.h"
#include "qemu-test-util.h"

#define QT_LOSETUP "/usr/sbin/losetup"

int
qt_fixture_setup(void **state)
{
    qt_fixture *f = vp_new0(qt_fixture, 1);
    f->root = qt_root_new();
    /* Every boot is bounded: QEMU must be up within 20 s. */
    _cleanup_free_ char *uri = qt_uri(f->root, "start_timeout_ms=20000");
    assert_int_equal(vp_conn_open(uri, 0, &f->conn), 0);
    *state = f;
    return 0;
}

int
qt_fixture_teardown(void **state)
{
    qt_fixture *f = *state;
    if (f->mon)
        qemu_monitor_close(f->mon);
    if (f->dom)
        vp_domain_free(f->dom);
    vp_conn_close(f->conn);
    qt_root_destroy(f->root);
    /* After QEMU is gone: a loop device in use is only marked for removal. */
    for (size_t i = 0; i < f->n_loops; i++) {
        qt_run_capture((const char *const[]){QT_LOSETUP, "-d", f->loops[i], NULL}, NULL);
        free(f->loops[i]);
    }
    free(f);
    return 0;
}

const char *
qt_loop_attach(qt_fixture *f, const char *img)
{
    assert_true(f->n_loops < sizeof(f->loops) / sizeof(f->loops[0]));
    char *out = NULL;
    if (geteuid() != 0 ||
        qt_run_capture((const char *const[]){QT_LOSETUP, "--find", "--show", img, NULL}, &out) !=
            0) {
        free(out);
        skip(); /* loop devices need root */
    }
    out[strcspn(out, "\n")] = '\0';
    f->loops[f->n_loops++] = out;
    return out;
}

json_object *
qt_block_node(qt_fixture *f, const char *name)
{
    json_object *nodes = qt_qmp(f, "query-named-block-nodes", NULL), *found = NULL, *v;
    for (size_t i = 0; !found && i < json_object_array_length(nodes); i++) {
        json_object *n = json_object_array_get_idx(nodes, i);
        if (json_object_object_get_ex(n, "node-name", &v) &&
            strcmp(json_object_get_string(v), name) == 0)
            found = json_object_get(n);
    }
    json_object_put(nodes);
    assert_non_null(found);
    return found;
}

int
qt_bridge_fixture_setup(void **state)
{
    assert_int_equal(
        qt_run_capture(
            (const char *const[]){QT_IP, "link", "add", QT_BRIDGE, "type", "bridge", NULL}, NULL),
        0);
    return qt_fixture_setup(state);
}

int
qt_bridge_fixture_teardown(void **state)
{
    int r = qt_fixture_teardown(state);
    qt_run_capture((const char *const[]){QT_IP, "link", "del", QT_BRIDGE, NULL}, NULL);
    return r;
}

char *
qt_domain_xml(const char *machine, const char *top, const char *devices)
{
    /* A @top that brings its own <os> replaces the default one. */
    bool own_os = top && strncmp(top, "  <os", 5) == 0 && (top[5] == '>' || top[5] == ' ');
    _cleanup_free_ char *os =
        own_os ? vp_strdup("")
               : vp_asprintf("  <os><type arch='x86_64' machine='%s'>hvm</type></os>\n", machine);
    return vp_asprintf("<domain type='qemu'>\n"
                       "  <name>dev</name>\n"
                       "  <memory unit='MiB'>64</memory>\n"
                       "%s%s"
                       "  <devices>%s</devices>\n"
                       "</domain>\n",
                       os, top ? top : "", devices ? devices : "");
}

int
qt_define(qt_fixture *f, const char *machine, const char *top, const char *devices)
{
    _cleanup_free_ char *xml = qt_domain_xml(machine, top, devices);
    return vp_domain_define_xml(f->conn, xml, 0, &f->dom);
}

void
qt_start_defined(qt_fixture *f)
{
    int r = vp_domain_start(f->dom, 0);
    if (r < 0)
        fprintf(stderr, "start: %s\n", vp_error_last()->message);
    assert_int_equal(r, 0);
    _cleanup_free_ char *qmp = vp_asprintf("%s/run/dev.qmp", f->root);
    assert_int_equal(qemu_monitor_open(qmp, 10000, &f->mon), 0);
}

void
qt_start(qt_fixture *f, const char *machine, const char *top, const char *devices)
{
    int r = qt_define(f, machine, top, devices);
    if (r < 0)
        fprintf(stderr, "define: %s\n", vp_error_last()->message);
    assert_int_equal(r, 0);
    qt_start_defined(f);
}

void
qt_assert_no_domain(qt_fixture *f)
{
    vp_domain **doms = NULL;
    assert_int_equal(vp_conn_list_domains(f->conn, 0, &doms), 0);
    vp_domain_list_free(doms);
}

char *
qt_snapshot_s1_xml(qt_fixture *f)
{
    if (f->mon)
        qemu_monitor_close(VP_STEAL_PTR(f->mon));
    vp_snapshot *snap = NULL;
    assert_int_equal(vp_snapshot_create_xml(f->dom,
                                            "<domainsnapshot><name>s1</name></domainsnapshot>",
                                            VP_SNAPSHOT_CREATE_DISK_ONLY, &snap),
                     0);
    vp_snapshot_free(snap);
    char *xml = NULL;
    assert_int_equal(vp_domain_get_xml(f->dom, 0, &xml), 0);
    return xml;
}

void
qt_redefine_restart(qt_fixture *f, const char *xml)
{
    if (f->mon)
        qemu_monitor_close(VP_STEAL_PTR(f->mon));
    assert_int_equal(vp_domain_destroy(f->dom, 0), 0);
    vp_domain *again = NULL;
    assert_int_equal(vp_domain_define_xml(f->conn, xml, 0, &again), 0);
    vp_domain_free(again);
    qt_start_defined(f);
}

int
qt_device_tests_main(char **argv, const struct CMUnitTest *tests, size_t n)
{
    qt_self = argv[0];
    if (access(QEMU_BINARY, X_OK) < 0) {
        fprintf(stderr, "SKIP: '%s' is not installed (Debian package qemu-system-x86)\n",
                QEMU_BINARY);
        return 77;
    }
    return _cmocka_run_group_tests("tests", tests, n, NULL, NULL);
}

void
qt_stop_undefine(qt_fixture *f)
{
    qemu_monitor_close(VP_STEAL_PTR(f->mon));
    assert_int_equal(vp_domain_destroy(f->dom, 0), 0);
    assert_int_equal(vp_domain_undefine(f->dom, 0), 0);
    vp_domain_free(VP_STEAL_PTR(f->dom));
}

json_object *
qt_qmp(qt_fixture *f, const char *command, const char *args)
{
    json_object *a = args ? json_tokener_parse(args) : NULL;
    json_object *ret = NULL;
    int r = qemu_monitor_command(f->mon, command, a, 10000, &ret);
    json_object_put(a);
    if (r < 0)
        fprintf(stderr, "%s: %s\n", command, vp_error_last()->message);
    assert_int_equal(r, 0);
    return ret;
}

char *
qt_qom_get(qt_fixture *f, const char *path, const char *property)
{
    _cleanup_free_ char *args =
        vp_asprintf("{\"path\":\"%s\",\"property\":\"%s\"}", path, property);
    json_object *ret = qt_qmp(f, "qom-get", args);
    char *s = vp_strdup(json_object_get_string(ret));
    json_object_put(ret);
    return s;
}

void
qt_assert_device_type(qt_fixture *f, const char *id, const char *type)
{
    _cleanup_free_ char *path = vp_asprintf("/machine/peripheral/%s", id);
    _cleanup_free_ char *t = qt_qom_get(f, path, "type");
    assert_string_equal(t, type);
}

char *
qt_qom_find(qt_fixture *f, const char *path, const char *type)
{
    _cleanup_free_ char *args = vp_asprintf("{\"path\":\"%s\"}", path);
    _cleanup_free_ char *want = vp_asprintf("child<%s>", type);
    json_object *props = qt_qmp(f, "qom-list", args);
    char *found = NULL;
    for (size_t i = 0; !found && i < json_object_array_length(props); i++) {
        json_object *p = json_object_array_get_idx(props, i), *name, *t;
        if (!json_object_object_get_ex(p, "name", &name) ||
            !json_object_object_get_ex(p, "type", &t) ||
            strncmp(json_object_get_string(t), "child<", 6) != 0)
            continue;
        _cleanup_free_ char *kid =
            vp_asprintf("%s/%s", strcmp(path, "/") ? path : "", json_object_get_string(name));
        if (strcmp(json_object_get_string(t), want) == 0)
            found = VP_STEAL_PTR(kid);
        else
            found = qt_qom_find(f, kid, type);
    }
    json_object_put(props);
    return found;
}

char *
qt_hmp(qt_fixture *f, const char *line)
{
    _cleanup_free_ char *args = vp_asprintf("{\"command-line\":\"%s\"}", line);
    json_object *ret = qt_qmp(f, "human-monitor-command", args);
    char *s = vp_strdup(json_object_get_string(ret));
    json_object_put(ret);
    return s;
}

void
qt_assert_pci(qt_fixture *f, const char *id, const char *bus, int slot, int function)
{
    _cleanup_free_ char *path = vp_asprintf("/machine/peripheral/%s", id);
    _cleanup_free_ char *parent = qt_qom_get(f, path, "parent_bus");
    _cleanup_free_ char *addr = qt_qom_get(f, path, "addr");
    const char *last = strrchr(parent, '/');
    long devfn = strtol(addr, NULL, 10);
    if (!last || strcmp(last + 1, bus) != 0 || devfn != slot * 8 + function)
        fprintf(stderr, "%s: on %s at devfn %s, want %s %02x.%d\n", id, parent, addr, bus, slot,
                function);
    assert_non_null(last);
    assert_string_equal(last + 1, bus);
    assert_int_equal(devfn, slot * 8 + function);
}

int
qt_pci_bus0_devfn(qt_fixture *f, const char *id)
{
    json_object *buses = qt_qmp(f, "query-pci", NULL), *devices, *v;
    int found = -1;
    assert_true(
        json_object_object_get_ex(json_object_array_get_idx(buses, 0), "devices", &devices));
    for (size_t i = 0; found < 0 && i < json_object_array_length(devices); i++) {
        json_object *d = json_object_array_get_idx(devices, i), *slot, *fn;
        if (json_object_object_get_ex(d, "qdev_id", &v) &&
            strcmp(json_object_get_string(v), id) == 0 &&
            json_object_object_get_ex(d, "slot", &slot) &&
            json_object_object_get_ex(d, "function", &fn))
            found = json_object_get_int(slot) * 8 + json_object_get_int(fn);
    }
    json_object_put(buses);
    return found;
}

void
qt_write_file(const char *path, const char *text, unsigned int mode)
{
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    assert_int_equal(fclose(fp), 0);
    assert_int_equal(chmod(path, (mode_t)mode), 0);
}
