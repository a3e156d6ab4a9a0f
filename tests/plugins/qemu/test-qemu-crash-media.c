/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-qemu-crash-media.c: the crash-injection harness (crash-run.c) on
 * the live device changes of qemu-device-live.c: a cdrom's medium
 * replaced (update-device), ejected (change-media --eject), and a NIC's
 * link set down (update-device), each vpsh killed at every step with
 * SIGKILL, SIGINT, and SIGKILL of vpsh and QEMU. After each kill and the
 * repairing domstate, the invariants of test-qemu-crash.c hold, and on a
 * domain still running the same command run again leaves what it asked:
 * the tray closed with the new medium (or none), the link down, as QEMU
 * says (query-block, the NIC's config space) and as the running XML shows,
 * while the definition keeps its own.
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
#include <virtplug/sdk/services.h>
#include <virtplug/virtplug.h>

#include "qemu-monitor.h"
#include "crash-harness.h"
#include "qemu-test-link.h"
#include "qemu-test-util.h"

#define MAC "52:54:00:0a:0b:0c"

static char *
iso_path(const fixture *f, const char *name)
{
    return vp_asprintf("%s/%s.iso", f->root, name);
}

/* The domain 'c' with its disk, a cdrom holding old.iso and a user NIC,
 * defined and running; f->xml_path then holds @device. */
static void
prepare_with(fixture *f, const char *device)
{
    _cleanup_free_ char *old = iso_path(f, "old"), *new = iso_path(f, "new");
    const char *const isos[] = {old, new};
    for (size_t i = 0; i < 2; i++)
        assert_int_equal(qt_run_capture((const char *const[]){QEMU_IMG, "create", "-q", "-f", "raw",
                                                              isos[i], "1M", NULL},
                                        NULL),
                         0);
    _cleanup_free_ char *xml = vp_asprintf(
        "<domain type='qemu'><name>c</name>"
        "<uuid>6a1c2f2e-8f44-4bfa-9a53-6c5bb1a0c0de</uuid><memory unit='MiB'>32</memory>"
        "<os><type arch='x86_64' machine='pc'>hvm</type></os><devices>"
        "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
        "<source file='%s'/><target dev='vda' bus='virtio'/></disk>"
        "<disk type='file' device='cdrom'><driver name='qemu' type='raw'/>"
        "<source file='%s'/><target dev='hdc' bus='ide'/><readonly/></disk>"
        "<interface type='user'><mac address='" MAC "'/><model type='virtio'/></interface>"
        "</devices></domain>",
        f->disk, old);
    assert_int_equal(vp_plugin_file_write_atomic(f->xml_path, xml, strlen(xml), 0600), 0);
    VPSH_OK(f, "define", f->xml_path);
    VPSH_OK(f, "start", "c");
    assert_int_equal(vp_plugin_file_write_atomic(f->xml_path, device, strlen(device), 0600), 0);
}

static void
prepare_new_medium(fixture *f)
{
    _cleanup_free_ char *dev =
        vp_asprintf("<disk type='file' device='cdrom'><driver name='qemu' type='raw'/>"
                    "<source file='%s/new.iso'/><target dev='hdc' bus='ide'/><readonly/></disk>",
                    f->root);
    prepare_with(f, dev);
}

static void
prepare_link_down(fixture *f)
{
    prepare_with(f, "<interface type='user'><mac address='" MAC "'/><model type='virtio'/>"
                    "<link state='down'/></interface>");
}

/* One QMP or HMP question to the running QEMU of 'c'. (transfer full) */
static json_object *
ask(const fixture *f, const char *command, json_object *args)
{
    _cleanup_free_ char *qmp = vp_asprintf("%s/run/c.qmp", f->root);
    qemu_monitor *mon = NULL;
    assert_int_equal(qemu_monitor_open(qmp, 10000, &mon), 0);
    json_object *ret = NULL;
    assert_int_equal(qemu_monitor_command(mon, command, args, 10000, &ret), 0);
    qemu_monitor_close(mon);
    json_object_put(args);
    return ret;
}

/* The medium of hdc as QEMU has it, the tray closed. (transfer full) */
static char *
hdc_medium(const fixture *f)
{
    json_object *blocks = ask(f, "query-block", NULL), *v, *in;
    char *file = NULL;
    for (size_t i = 0; i < json_object_array_length(blocks); i++) {
        json_object *b = json_object_array_get_idx(blocks, i);
        if (!json_object_object_get_ex(b, "qdev", &v) ||
            strcmp(json_object_get_string(v), "hdc") != 0)
            continue;
        assert_true(json_object_object_get_ex(b, "tray_open", &v));
        assert_false(json_object_get_boolean(v));
        if (json_object_object_get_ex(b, "inserted", &in) &&
            json_object_object_get_ex(in, "file", &v))
            file = vp_strdup(json_object_get_string(v));
    }
    json_object_put(blocks);
    return file;
}

/* Run the killed command (@args, NULL: none) once more when the domain
 * still runs; *@ret_dom is 'c', or NULL when it no longer runs. */
static void
again(const fixture *f, const char *const *args, const char *when, vp_conn **ret_conn,
      vp_domain **ret_dom)
{
    assert_int_equal(vp_conn_open(f->uri, 0, ret_conn), 0);
    assert_int_equal(vp_domain_lookup_by_name(*ret_conn, "c", ret_dom), 0);
    int state = 0;
    assert_int_equal(vp_domain_get_state(*ret_dom, &state, NULL, 0), 0);
    if (state != VP_DOMAIN_RUNNING) {
        vp_domain_free(*ret_dom);
        *ret_dom = NULL;
        return;
    }
    if (!args)
        return;
    char *err = NULL;
    int st = crash_vpsh_run(f, args, &err);
    if (st != 0)
        fprintf(stderr, "%s: the same command again: %s\n", when, err ? err : "");
    free(err);
    assert_int_equal(st, 0);
}

static void
check_medium(const fixture *f, const char *const *args, const char *want_name, const char *when)
{
    vp_conn *conn = NULL;
    vp_domain *dom = NULL;
    again(f, args, when, &conn, &dom);
    _cleanup_free_ char *want = want_name ? iso_path(f, want_name) : NULL;
    _cleanup_free_ char *old = iso_path(f, "old");
    if (dom) {
        _cleanup_free_ char *have = hdc_medium(f);
        if (!have != !want || (want && strcmp(have, want) != 0))
            fprintf(stderr, "%s: hdc has '%s', want '%s'\n", when, have ? have : "nothing",
                    want ? want : "nothing");
        assert_true(!have == !want);
        if (want)
            assert_string_equal(have, want);
        char *live = NULL;
        assert_int_equal(vp_domain_get_xml(dom, 0, &live), 0);
        assert_true(strstr(live, "old.iso") == NULL);
        assert_true(!strstr(live, "new.iso") == !want);
        free(live);
        vp_domain_free(dom);
    }
    /* A live change leaves the definition (the harness's own run again
     * of a change on a domain the kill stopped changes the definition,
     * as virsh's --current would). */
    vp_domain *def = NULL;
    char *inactive = NULL;
    assert_int_equal(vp_domain_lookup_by_name(conn, "c", &def), 0);
    assert_int_equal(vp_domain_get_xml(def, VP_DOMAIN_XML_INACTIVE, &inactive), 0);
    int state = 0;
    assert_int_equal(vp_domain_get_state(def, &state, NULL, 0), 0);
    if (state == VP_DOMAIN_RUNNING)
        assert_non_null(strstr(inactive, old));
    free(inactive);
    vp_domain_free(def);
    vp_conn_close(conn);
}

static void
verify_new_medium(const fixture *f, const char *when)
{
    check_medium(f, (const char *const[]){"update-device", "c", f->xml_path, NULL}, "new", when);
}

/* The eject again while the running XML still shows the medium (the
 * harness verifies before and after its own run again, and an eject of
 * an empty drive is refused, as virsh's). */
static void
verify_ejected(const fixture *f, const char *when)
{
    vp_conn *conn = NULL;
    vp_domain *dom = NULL;
    char *live = NULL;
    assert_int_equal(vp_conn_open(f->uri, 0, &conn), 0);
    assert_int_equal(vp_domain_lookup_by_name(conn, "c", &dom), 0);
    assert_int_equal(vp_domain_get_xml(dom, 0, &live), 0);
    bool has = strstr(live, "old.iso") != NULL;
    free(live);
    vp_domain_free(dom);
    vp_conn_close(conn);
    const char *const eject[] = {"change-media", "c", "hdc", "--eject", NULL};
    check_medium(f, has ? eject : NULL, NULL, when);
}

static void
verify_link_down(const fixture *f, const char *when)
{
    vp_conn *conn = NULL;
    vp_domain *dom = NULL;
    again(f, (const char *const[]){"update-device", "c", f->xml_path, NULL}, when, &conn, &dom);
    if (dom) {
        _cleanup_free_ char *qmp = vp_asprintf("%s/run/c.qmp", f->root);
        qemu_monitor *mon = NULL;
        assert_int_equal(qemu_monitor_open(qmp, 10000, &mon), 0);
        int up = qt_nic_link_up(mon, "net0");
        qemu_monitor_close(mon);
        if (up != 0)
            fprintf(stderr, "%s: the guest sees the link %s\n", when, up ? "up" : "unread");
        assert_int_equal(up, 0);
        char *live = NULL;
        assert_int_equal(vp_domain_get_xml(dom, 0, &live), 0);
        assert_non_null(strstr(live, "<link state='down'/>"));
        free(live);
        vp_domain_free(dom);
    }
    vp_conn_close(conn);
}

static const scenario scenarios[] = {
    {"update-device of a running cdrom's medium",
     prepare_new_medium,
     {"update-device", "c", "--live", NULL},
     false,
     verify_new_medium},
    {"change-media --eject of a running cdrom",
     prepare_new_medium,
     {"change-media", "c", "hdc", "--eject", NULL},
     false,
     verify_ejected},
    {"update-device of a running NIC's link state",
     prepare_link_down,
     {"update-device", "c", NULL},
     false,
     verify_link_down},
};

int
main(int argc, char **argv)
{
    qt_self = argv[0];
    if (argc > 1)
        return qt_child_main(argc, argv);
    return crash_run_scenarios("test-qemu-crash-media", scenarios,
                               sizeof(scenarios) / sizeof(scenarios[0]));
}
