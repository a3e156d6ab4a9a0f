/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-qemu-media.c: the live media change of cdroms and floppies and the
 * live link state of interfaces (vp_domain_update_device on a <disk> or
 * an <interface>, plugins/qemu/qemu-device-live.c) against real QEMU
 * under TCG, on firmware-only domains. What QEMU has is read back from
 * it: query-block (the medium's file, the tray closed) and the
 * virtio-net NIC's link as its guest reads it (qemu-test-link.c). The running domain's XML shows
 * what QEMU has, the definition keeps its own; every other change of the device is refused naming
 * it and changes nothing; a medium that does not exist is refused naming it; --config changes the
 * definition only.
 */
#include <config.h>

#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include <virtplug/sdk/alloc.h>
#include <virtplug/sdk/services.h>
#include <virtplug/virtplug.h>

#include "qemu-test-link.h"
#include "qemu-test-qmp.h"
#include "qemu-test-util.h"

#define MAC "52:54:00:12:34:56"

static char *
make_file(qt_fixture *f, const char *name, const char *size)
{
    char *path = vp_asprintf("%s/%s", f->root, name);
    assert_int_equal(
        qt_run_capture(
            (const char *const[]){QEMU_IMG, "create", "-q", "-f", "raw", path, size, NULL}, NULL),
        0);
    return path;
}

/* QEMU serves one monitor client: the driver's while it updates. */
static void
update(qt_fixture *f, const char *xml, unsigned int flags)
{
    qemu_monitor_close(VP_STEAL_PTR(f->mon));
    int r = vp_domain_update_device(f->dom, xml, flags);
    if (r < 0)
        fprintf(stderr, "update-device: %s\n", vp_error_last()->message);
    assert_int_equal(r, 0);
    _cleanup_free_ char *qmp = vp_asprintf("%s/run/dev.qmp", f->root);
    assert_int_equal(qemu_monitor_open(qmp, 10000, &f->mon), 0);
}

/* update() that must fail with @code and the words of @...; QEMU's
 * monitor is the fixture's again after it. */
#define UPDATE_REFUSED(f, xml, code, ...)                                                          \
    do {                                                                                           \
        qemu_monitor_close(VP_STEAL_PTR((f)->mon));                                                \
        QT_ASSERT_ERROR(vp_domain_update_device((f)->dom, (xml), 0), code, __VA_ARGS__);           \
        _cleanup_free_ char *qmp_ = vp_asprintf("%s/run/dev.qmp", (f)->root);                      \
        assert_int_equal(qemu_monitor_open(qmp_, 10000, &(f)->mon), 0);                            \
    } while (0)

/* The file of the medium in drive @id, or NULL for none; the tray must be
 * closed. (transfer full) */
static char *
medium(qt_fixture *f, const char *id)
{
    json_object *blocks = qt_qmp(f, "query-block", NULL), *v, *in;
    char *file = NULL;
    bool found = false;
    for (size_t i = 0; !found && i < json_object_array_length(blocks); i++) {
        json_object *b = json_object_array_get_idx(blocks, i);
        if (!json_object_object_get_ex(b, "qdev", &v) || strcmp(json_object_get_string(v), id) != 0)
            continue;
        found = true;
        if (json_object_object_get_ex(b, "tray_open", &v))
            assert_false(json_object_get_boolean(v));
        if (json_object_object_get_ex(b, "inserted", &in) &&
            json_object_object_get_ex(in, "file", &v))
            file = vp_strdup(json_object_get_string(v));
    }
    json_object_put(blocks);
    assert_true(found);
    return file;
}

static void
assert_medium(qt_fixture *f, const char *id, const char *want)
{
    _cleanup_free_ char *file = medium(f, id);
    if (!want) {
        assert_null(file);
        return;
    }
    assert_non_null(file);
    assert_string_equal(file, want);
}

static char *
xml_of(qt_fixture *f, unsigned int flags)
{
    char *xml = NULL;
    assert_int_equal(vp_domain_get_xml(f->dom, flags, &xml), 0);
    return xml;
}

#define CDROM(src)                                                                                 \
    "<disk type='file' device='cdrom'><driver name='qemu' type='raw'/>" src                        \
    "<target dev='hdc' bus='ide'/><readonly/></disk>"

static void
test_media(void **state)
{
    qt_fixture *f = *state;
    _cleanup_free_ char *a = make_file(f, "a.iso", "1M");
    _cleanup_free_ char *b = make_file(f, "b.iso", "2M");
    _cleanup_free_ char *fd1 = make_file(f, "fd1.img", "1440K");
    _cleanup_free_ char *fd2 = make_file(f, "fd2.img", "1440K");
    _cleanup_free_ char *vdb = make_file(f, "vdb.img", "1M");
    _cleanup_free_ char *devices =
        vp_asprintf(CDROM("") "<disk type='file' device='floppy'><driver name='qemu' type='raw'/>"
                              "<source file='%s'/><target dev='fda' bus='fdc'/></disk>"
                              "<disk type='file' device='disk'><driver name='qemu' type='raw'/>"
                              "<source file='%s'/><target dev='vdb' bus='virtio'/></disk>",
                    fd1, vdb);
    qt_start(f, "pc", NULL, devices);
    assert_medium(f, "hdc", NULL);
    assert_medium(f, "fda", fd1);

    /* Insert into the empty drive, then replace. */
    _cleanup_free_ char *with_a = vp_asprintf(CDROM("<source file='%s'/>"), a);
    update(f, with_a, 0);
    assert_medium(f, "hdc", a);
    _cleanup_free_ char *with_b = vp_asprintf(CDROM("<source file='%s'/>"), b);
    update(f, with_b, VP_DOMAIN_AFFECT_LIVE);
    assert_medium(f, "hdc", b);
    /* The running XML has QEMU's medium, the definition none. */
    _cleanup_free_ char *live = xml_of(f, 0);
    _cleanup_free_ char *inactive = xml_of(f, VP_DOMAIN_XML_INACTIVE);
    _cleanup_free_ char *src_b = vp_asprintf("<source file='%s'/>", b);
    if (!strstr(live, src_b))
        fprintf(stderr, "%s", live);
    assert_non_null(strstr(live, src_b));
    assert_null(strstr(inactive, "b.iso"));

    /* A medium that does not exist: named, nothing changed. */
    _cleanup_free_ char *missing = vp_asprintf(CDROM("<source file='%s/nosuch.iso'/>"), f->root);
    UPDATE_REFUSED(f, missing, VP_ERR_INVALID_ARG, "nosuch.iso", "hdc");
    assert_medium(f, "hdc", b);
    /* Anything but the medium cannot change live, a disk's medium neither. */
    _cleanup_free_ char *rw = vp_asprintf(
        "<disk type='file' device='cdrom'><driver name='qemu' type='raw'/><source file='%s'/>"
        "<target dev='hdc' bus='ide'/></disk>",
        a);
    UPDATE_REFUSED(f, rw, VP_ERR_NOT_SUPPORTED, "'readonly'", "hdc", "--config");
    _cleanup_free_ char *other_vdb = vp_asprintf(
        "<disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='%s'/>"
        "<target dev='vdb' bus='virtio'/></disk>",
        a);
    UPDATE_REFUSED(f, other_vdb, VP_ERR_NOT_SUPPORTED, "vdb", "cdrom or floppy");
    UPDATE_REFUSED(f, "<sound model='ich6'/>", VP_ERR_NOT_SUPPORTED, "<sound>", "<disk>");
    assert_medium(f, "hdc", b);

    /* The floppy, then an eject. */
    _cleanup_free_ char *floppy =
        vp_asprintf("<disk type='file' device='floppy'><driver name='qemu' type='raw'/>"
                    "<source file='%s'/><target dev='fda' bus='fdc'/></disk>",
                    fd2);
    update(f, floppy, 0);
    assert_medium(f, "fda", fd2);
    update(f, CDROM(""), 0);
    assert_medium(f, "hdc", NULL);
    _cleanup_free_ char *live2 = xml_of(f, 0);
    assert_null(strstr(live2, "b.iso"));
    assert_non_null(strstr(live2, "fd2.img"));

    /* --config: the definition only, which the next start runs. */
    update(f, with_a, VP_DOMAIN_AFFECT_CONFIG);
    assert_medium(f, "hdc", NULL);
    _cleanup_free_ char *inactive2 = xml_of(f, VP_DOMAIN_XML_INACTIVE);
    assert_non_null(strstr(inactive2, "a.iso"));
    qemu_monitor_close(VP_STEAL_PTR(f->mon));
    assert_int_equal(vp_domain_destroy(f->dom, 0), 0);
    qt_start_defined(f);
    assert_medium(f, "hdc", a);
    assert_medium(f, "fda", fd1);
}

/* The protocol driver QEMU reads drive @dev's medium with. (transfer full) */
static char *
protocol_of(qt_fixture *f, const char *dev)
{
    _cleanup_free_ char *node = vp_asprintf("file-%s", dev);
    json_object *n = qt_block_node(f, node), *v = NULL;
    assert_true(json_object_object_get_ex(n, "drv", &v));
    char *drv = vp_strdup(json_object_get_string(v));
    json_object_put(n);
    return drv;
}

static void
assert_protocol(qt_fixture *f, const char *dev, const char *want)
{
    _cleanup_free_ char *drv = protocol_of(f, dev);
    assert_string_equal(drv, want);
}

/* The running XML holds @want. */
static void
assert_live_has(qt_fixture *f, const char *want)
{
    _cleanup_free_ char *live = xml_of(f, 0);
    if (!strstr(live, want))
        fprintf(stderr, "no \"%s\" in:\n%s", want, live);
    assert_non_null(strstr(live, want));
}

#define FLOPPY(src)                                                                                \
    "<disk type='file' device='floppy'><driver name='qemu' type='raw'/>" src                       \
    "<target dev='fda' bus='fdc'/></disk>"
#define BLOCK_CDROM(dev)                                                                           \
    "<disk type='block' device='cdrom'><driver name='qemu' type='raw'/><source dev='" dev "'/>"    \
    "<target dev='hdc' bus='ide'/><readonly/></disk>"
#define BLOCK_FLOPPY(dev)                                                                          \
    "<disk type='block' device='floppy'><driver name='qemu' type='raw'/><source dev='" dev "'/>"   \
    "<target dev='fda' bus='fdc'/></disk>"

/* A loop device on a new raw image @name of @size. (transfer none) */
static const char *
make_loop(qt_fixture *f, const char *name, const char *size)
{
    _cleanup_free_ char *img = make_file(f, name, size);
    return qt_loop_attach(f, img);
}

/* Media on block devices (loop devices here), as libvirt runs them: a
 * cdrom's through QEMU's host_cdrom, a floppy's through host_device, at
 * start and live, from a file medium to a block one and back. */
static void
test_block_media(void **state)
{
    qt_fixture *f = *state;
    const char *cd_dev = make_loop(f, "cd.img", "1M"), *fd_dev = make_loop(f, "fd.img", "1440K");
    _cleanup_free_ char *a = make_file(f, "a.iso", "1M"), *fd1 = make_file(f, "fd1.img", "1440K");
    _cleanup_free_ char *devices = vp_asprintf(CDROM("") FLOPPY("<source file='%s'/>"), fd1);
    qt_start(f, "pc", NULL, devices);

    /* File to block, live. */
    _cleanup_free_ char *cd_block = vp_asprintf(BLOCK_CDROM("%s"), cd_dev);
    update(f, cd_block, 0);
    assert_medium(f, "hdc", cd_dev);
    assert_protocol(f, "hdc", "host_cdrom");
    _cleanup_free_ char *cd_src = vp_asprintf("<source dev='%s'/>", cd_dev);
    assert_live_has(f, "<disk type='block' device='cdrom'>");
    assert_live_has(f, cd_src);
    _cleanup_free_ char *fd_block = vp_asprintf(BLOCK_FLOPPY("%s"), fd_dev);
    update(f, fd_block, 0);
    assert_medium(f, "fda", fd_dev);
    assert_protocol(f, "fda", "host_device");
    assert_live_has(f, "<disk type='block' device='floppy'>");
    _cleanup_free_ char *inactive = xml_of(f, VP_DOMAIN_XML_INACTIVE);
    assert_null(strstr(inactive, "type='block'"));

    /* The wrong type for what the path is: named, nothing changed. */
    _cleanup_free_ char *file_as_block = vp_asprintf(BLOCK_CDROM("%s"), a);
    UPDATE_REFUSED(f, file_as_block, VP_ERR_INVALID_ARG, "a.iso", "not a block device",
                   "type='file'");
    _cleanup_free_ char *block_as_file = vp_asprintf(CDROM("<source file='%s'/>"), fd_dev);
    UPDATE_REFUSED(f, block_as_file, VP_ERR_INVALID_ARG, fd_dev, "is a block device",
                   "type='block'");
    assert_medium(f, "hdc", cd_dev);

    /* Block to file, live. */
    _cleanup_free_ char *with_a = vp_asprintf(CDROM("<source file='%s'/>"), a);
    update(f, with_a, 0);
    assert_medium(f, "hdc", a);
    assert_protocol(f, "hdc", "file");
    _cleanup_free_ char *a_src = vp_asprintf("<source file='%s'/>", a);
    assert_live_has(f, a_src);
    assert_live_has(f, "<disk type='file' device='cdrom'>");

    /* Block devices from the start, then a file and an eject live. */
    qt_stop_undefine(f);
    _cleanup_free_ char *both = vp_asprintf("%s%s", cd_block, fd_block);
    qt_start(f, "pc", NULL, both);
    assert_medium(f, "hdc", cd_dev);
    assert_protocol(f, "hdc", "host_cdrom");
    assert_medium(f, "fda", fd_dev);
    assert_protocol(f, "fda", "host_device");
    _cleanup_free_ char *with_fd1 = vp_asprintf(FLOPPY("<source file='%s'/>"), fd1);
    update(f, with_fd1, 0);
    assert_medium(f, "fda", fd1);
    assert_protocol(f, "fda", "file");
    assert_live_has(f, "<disk type='file' device='floppy'>");
    update(f,
           "<disk type='block' device='cdrom'><driver name='qemu' type='raw'/>"
           "<target dev='hdc' bus='ide'/><readonly/></disk>",
           0);
    assert_medium(f, "hdc", NULL);
    _cleanup_free_ char *live = xml_of(f, 0);
    assert_null(strstr(live, cd_src));
}

/* vpsh -c URI update-device dev @xml_file, with its debug log in
 * ROOT/vpsh.err and, when @stop_at > 0, stopped at that step of the
 * driver's (VIRTPLUG_TEST_STOP_AT); its pid, waited for until it stops or
 * ends (its wait status in *@ret_status). */
static pid_t
vpsh_update(qt_fixture *f, const char *xml_file, int stop_at, int *ret_status)
{
    _cleanup_free_ char *err = vp_asprintf("%s/vpsh.err", f->root);
    _cleanup_free_ char *stop = vp_asprintf("VIRTPLUG_TEST_STOP_AT=%d", stop_at);
    pid_t pid =
        qt_vpsh_spawn(f->root, (const char *const[]){"update-device", "dev", xml_file, NULL},
                      STDERR_FILENO, err, (const char *const[]){stop, "VIRTPLUG_DEBUG=1", NULL});
    assert_int_equal(waitpid(pid, ret_status, WUNTRACED), pid);
    return pid;
}

/* The number of the step @name in vpsh's last debug log, or 0. */
static int
step_number(qt_fixture *f, const char *name)
{
    _cleanup_free_ char *path = vp_asprintf("%s/vpsh.err", f->root);
    _cleanup_free_ char *log = NULL;
    assert_int_equal(vp_plugin_file_read(path, 1 << 22, &log, NULL), 0);
    for (const char *p = strstr(log, "step "); p; p = strstr(p + 1, "step ")) {
        char *end = NULL;
        long n = strtol(p + 5, &end, 10);
        if (end && strncmp(end, ": ", 2) == 0 && strncmp(end + 2, name, strlen(name)) == 0)
            return (int)n;
    }
    return 0;
}

static bool
log_has(qt_fixture *f, const char *words)
{
    _cleanup_free_ char *path = vp_asprintf("%s/vpsh.err", f->root);
    _cleanup_free_ char *log = NULL;
    assert_int_equal(vp_plugin_file_read(path, 1 << 22, &log, NULL), 0);
    return strstr(log, words) != NULL;
}

/* Update-device of @xml (written to @xml_path) run to its end: the
 * number of its step "change-media: tray open and empty". */
static int
open_empty_step(qt_fixture *f, const char *xml_path, const char *xml)
{
    assert_int_equal(vp_plugin_file_write_atomic(xml_path, xml, strlen(xml), 0600), 0);
    int st = 0;
    vpsh_update(f, xml_path, 0, &st);
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    int n = step_number(f, "change-media: tray open and empty");
    assert_true(n > 0);
    return n;
}

/* The guest closes the tray while a media change has it open and empty
 * (QEMU closes it when the guest asks to load the medium): QEMU refuses
 * the insert, and the change begins again instead of failing. The guest's
 * request is made here over QEMU's second monitor while vpsh is stopped
 * at that step. */
static void
test_tray_closed_meanwhile(void **state)
{
    qt_fixture *f = *state;
    _cleanup_free_ char *a = make_file(f, "a.iso", "1M");
    _cleanup_free_ char *b = make_file(f, "b.iso", "1M");
    qt_start(f, "pc", NULL, CDROM(""));
    qemu_monitor_close(VP_STEAL_PTR(f->mon));
    _cleanup_free_ char *xml_path = vp_asprintf("%s/cdrom.xml", f->root);
    _cleanup_free_ char *with_a = vp_asprintf(CDROM("<source file='%s'/>"), a);
    int st = 0;
    const char *open_empty = "change-media: tray open and empty";
    int n = open_empty_step(f, xml_path, with_a);

    _cleanup_free_ char *with_b = vp_asprintf(CDROM("<source file='%s'/>"), b);
    assert_int_equal(vp_plugin_file_write_atomic(xml_path, with_b, strlen(with_b), 0600), 0);
    pid_t pid = vpsh_update(f, xml_path, n, &st);
    assert_true(WIFSTOPPED(st));
    assert_int_equal(step_number(f, open_empty), n);
    _cleanup_free_ char *events = vp_asprintf("%s/run/dev.qmp-events", f->root);
    qemu_monitor *other = NULL;
    assert_int_equal(qemu_monitor_open(events, 10000, &other), 0);
    json_object *id = json_object_new_object();
    json_object_object_add(id, "id", json_object_new_string("hdc"));
    assert_int_equal(qemu_monitor_command(other, "blockdev-close-tray", id, 10000, NULL), 0);
    json_object_put(id);
    qemu_monitor_close(other);
    kill(pid, SIGCONT);
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(WIFEXITED(st));
    if (WEXITSTATUS(st) != 0 || !log_has(f, "closed the tray of 'hdc' meanwhile")) {
        _cleanup_free_ char *path = vp_asprintf("%s/vpsh.err", f->root);
        _cleanup_free_ char *log = NULL;
        vp_plugin_file_read(path, 1 << 22, &log, NULL);
        fprintf(stderr, "%s", log ? log : "");
    }
    assert_int_equal(WEXITSTATUS(st), 0);
    assert_true(log_has(f, "closed the tray of 'hdc' meanwhile"));
    _cleanup_free_ char *qmp = vp_asprintf("%s/run/dev.qmp", f->root);
    assert_int_equal(qemu_monitor_open(qmp, 10000, &f->mon), 0);
    assert_medium(f, "hdc", b);
}

/* Ask QEMU's second monitor, as the guest's own eject or load would, to
 * move the tray of hdc. */
static void
guest_moves_tray(qt_fixture *f, bool open)
{
    _cleanup_free_ char *events = vp_asprintf("%s/run/dev.qmp-events", f->root);
    qemu_monitor *other = NULL;
    assert_int_equal(qemu_monitor_open(events, 10000, &other), 0);
    json_object *id = json_object_new_object();
    json_object_object_add(id, "id", json_object_new_string("hdc"));
    assert_int_equal(qemu_monitor_command(other,
                                          open ? "blockdev-open-tray" : "blockdev-close-tray", id,
                                          10000, NULL),
                     0);
    json_object_put(id);
    qemu_monitor_close(other);
}

static long long
log_size(qt_fixture *f)
{
    _cleanup_free_ char *path = vp_asprintf("%s/run/dev.events-log.out", f->root);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    return (long long)st.st_size;
}

/* A list's state query: it confirms the events log (or moves the
 * confirmation past harmless events) and frees what it covers. */
static void
confirm_log(qt_fixture *f)
{
    vp_domain *doms[] = {f->dom, NULL};
    int state = -1;
    for (int i = 0; i < 2; i++)
        assert_int_equal(vp_domain_list_get_states(doms, &state, NULL, NULL, 0), 1);
    assert_int_equal(state, VP_DOMAIN_RUNNING);
}

/* The guest opens and closes the tray on its own (QEMU's DEVICE_TRAY_MOVED):
 * the running XML shows tray='open' as libvirt's does, before a state
 * query covers the event in the events log and after it has (and freed
 * its bytes: live-meta keeps the move), and after a save and restore;
 * the inactive XML never does. */
static void
test_guest_tray(void **state)
{
    qt_fixture *f = *state;
    _cleanup_free_ char *a = make_file(f, "a.iso", "1M");
    _cleanup_free_ char *src = vp_asprintf(CDROM("<source file='%s'/>"), a);
    qt_start(f, "pc", NULL, src);
    qemu_monitor_close(VP_STEAL_PTR(f->mon));
    const char *open = "<target dev='hdc' bus='ide' tray='open'/>";
    const char *closed = "<target dev='hdc' bus='ide'/>";
    _cleanup_free_ char *before = xml_of(f, 0);
    assert_non_null(strstr(before, closed));

    guest_moves_tray(f, true);
    _cleanup_free_ char *opened = xml_of(f, 0);
    assert_non_null(strstr(opened, open));
    _cleanup_free_ char *inactive = xml_of(f, VP_DOMAIN_XML_INACTIVE);
    assert_null(strstr(inactive, "tray="));
    confirm_log(f);
    assert_int_equal(qt_events_seen_size(f->root, "dev"), log_size(f));
    _cleanup_free_ char *meta_path = vp_asprintf("%s/run/dev.live-meta", f->root);
    _cleanup_free_ char *meta = NULL;
    assert_int_equal(vp_plugin_file_read(meta_path, 1 << 20, &meta, NULL), 0);
    assert_non_null(strstr(meta, "\"trays\""));
    _cleanup_free_ char *covered = xml_of(f, 0);
    assert_non_null(strstr(covered, open));
    assert_non_null(strstr(covered, a)); /* an open tray keeps its medium */

    /* Saved with the tray open: the image's XML shows it, and a restore
     * takes it back. (What the restored QEMU 7.2 then has is not checked:
     * it may close the tray after the restore, without an event, and the
     * running XML shows the tray closed until a move.) The moves after the
     * restore are followed. */
    _cleanup_free_ char *img = vp_asprintf("%s/dev.sav", f->root);
    assert_int_equal(vp_domain_save(f->dom, img, 0), 0);
    _cleanup_free_ char *image_xml = NULL;
    assert_int_equal(vp_domain_save_image_get_xml(f->conn, img, 0, &image_xml), 0);
    assert_non_null(strstr(image_xml, open));
    int r = vp_domain_restore(f->conn, img, 0, NULL);
    if (r < 0)
        fprintf(stderr, "restore: %s\n", vp_error_last()->message);
    assert_int_equal(r, 0);
    guest_moves_tray(f, true);

    guest_moves_tray(f, false);
    _cleanup_free_ char *shut = xml_of(f, 0);
    assert_null(strstr(shut, "tray="));
    confirm_log(f);
    assert_int_equal(qt_events_seen_size(f->root, "dev"), log_size(f));
    _cleanup_free_ char *after = xml_of(f, 0);
    assert_null(strstr(after, "tray="));
    assert_non_null(strstr(after, closed));
    _cleanup_free_ char *qmp = vp_asprintf("%s/run/dev.qmp", f->root);
    assert_int_equal(qemu_monitor_open(qmp, 10000, &f->mon), 0);
}

#define NIC(link)                                                                                  \
    "<interface type='user'><mac address='" MAC "'/><model type='virtio'/>" link "</interface>"

/* Whether the NIC's guest sees its link up. */
static bool
link_up(qt_fixture *f)
{
    int up = qt_nic_link_up(f->mon, "net0");
    assert_true(up >= 0);
    return up == 1;
}

static void
test_link(void **state)
{
    qt_fixture *f = *state;
    qt_start(f, "pc", NULL, NIC("") "<interface type='user'><model type='e1000'/></interface>");
    assert_true(link_up(f));
    update(f, NIC("<link state='down'/>"), 0);
    assert_false(link_up(f));
    _cleanup_free_ char *live = xml_of(f, 0);
    _cleanup_free_ char *inactive = xml_of(f, VP_DOMAIN_XML_INACTIVE);
    assert_non_null(strstr(live, "<link state='down'/>"));
    assert_null(strstr(inactive, "<link state="));
    /* The MAC in capitals is the same interface. */
    const char *upper = "<interface type='user'><mac address='52:54:00:12:34:56'/>"
                        "<model type='virtio'/><link state='up'/></interface>";
    update(f, upper, 0);
    assert_true(link_up(f));
    /* Other changes are refused, naming them; an unknown MAC too. */
    UPDATE_REFUSED(f,
                   "<interface type='user'><mac address='" MAC "'/><model type='e1000'/>"
                   "<link state='down'/></interface>",
                   VP_ERR_NOT_SUPPORTED, "'model'", MAC);
    UPDATE_REFUSED(f,
                   "<interface type='user'><mac address='52:54:00:99:99:99'/>"
                   "<model type='virtio'/></interface>",
                   VP_ERR_INVALID_ARG, "52:54:00:99:99:99", "cannot find");
    UPDATE_REFUSED(f, "<interface type='user'><model type='virtio'/></interface>",
                   VP_ERR_INVALID_ARG, "<mac address>");
    assert_true(link_up(f));
    /* --config: the next start has the link down. */
    update(f, NIC("<link state='down'/>"), VP_DOMAIN_AFFECT_CONFIG);
    assert_true(link_up(f));
    qemu_monitor_close(VP_STEAL_PTR(f->mon));
    assert_int_equal(vp_domain_destroy(f->dom, 0), 0);
    qt_start_defined(f);
    assert_false(link_up(f));
}

/* Reconnect the fixture's monitor to the QEMU a restore started. */
static void
reconnect(qt_fixture *f)
{
    _cleanup_free_ char *qmp = vp_asprintf("%s/run/dev.qmp", f->root);
    assert_int_equal(qemu_monitor_open(qmp, 10000, &f->mon), 0);
}

/* A save and a managed save keep the medium and the link state changed
 * live: the restored QEMU has them, and the running XML shows them, as
 * libvirt (which saves the running XML); the definition keeps its own. */
static void
test_save_keeps_live_media(void **state)
{
    qt_fixture *f = *state;
    _cleanup_free_ char *a = make_file(f, "a.iso", "1M");
    _cleanup_free_ char *b = make_file(f, "b.iso", "1M");
    qt_start(f, "pc", NULL, CDROM("") NIC(""));
    _cleanup_free_ char *with_a = vp_asprintf(CDROM("<source file='%s'/>"), a);
    update(f, with_a, 0);
    update(f, NIC("<link state='down'/>"), 0);
    qemu_monitor_close(VP_STEAL_PTR(f->mon));
    _cleanup_free_ char *img = vp_asprintf("%s/dev.sav", f->root);
    assert_int_equal(vp_domain_save(f->dom, img, 0), 0);
    assert_int_equal(vp_domain_restore(f->conn, img, 0, NULL), 0);
    reconnect(f);
    assert_medium(f, "hdc", a);
    assert_false(link_up(f));
    _cleanup_free_ char *src_a = vp_asprintf("<source file='%s'/>", a);
    assert_live_has(f, src_a);
    assert_live_has(f, "<link state='down'/>");
    _cleanup_free_ char *inactive = xml_of(f, VP_DOMAIN_XML_INACTIVE);
    assert_null(strstr(inactive, "a.iso"));
    assert_null(strstr(inactive, "<link state="));

    /* The managed save, through the next start. */
    _cleanup_free_ char *with_b = vp_asprintf(CDROM("<source file='%s'/>"), b);
    update(f, with_b, 0);
    update(f, NIC("<link state='up'/>"), 0);
    qemu_monitor_close(VP_STEAL_PTR(f->mon));
    assert_int_equal(vp_domain_managed_save(f->dom, 0), 0);
    assert_int_equal(vp_domain_start(f->dom, 0), 0);
    reconnect(f);
    assert_medium(f, "hdc", b);
    assert_true(link_up(f));
    _cleanup_free_ char *src_b = vp_asprintf("<source file='%s'/>", b);
    assert_live_has(f, src_b);
}

/* save --xml (vp_domain_save_with_xml) of a domain whose cdrom's medium
 * was changed live: the image runs the XML given, whose medium may be the
 * running one (the running XML handed back) or another; the restored QEMU
 * and the running XML hold that one, the definition none. */
static void
test_save_with_xml_of_live_media(void **state)
{
    qt_fixture *f = *state;
    _cleanup_free_ char *a = make_file(f, "a.iso", "1M");
    _cleanup_free_ char *b = make_file(f, "b.iso", "1M");
    qt_start(f, "pc", NULL, CDROM(""));
    _cleanup_free_ char *with_a = vp_asprintf(CDROM("<source file='%s'/>"), a);
    update(f, with_a, 0);
    qemu_monitor_close(VP_STEAL_PTR(f->mon));
    _cleanup_free_ char *img = vp_asprintf("%s/dev.sav", f->root);
    _cleanup_free_ char *live = NULL;
    assert_int_equal(vp_domain_get_xml(f->dom, 0, &live), 0);
    _cleanup_free_ char *src_a = vp_asprintf("<source file='%s'/>", a);
    assert_non_null(strstr(live, src_a));
    assert_int_equal(vp_domain_save_with_xml(f->dom, img, live, 0), 0);
    assert_int_equal(vp_domain_restore(f->conn, img, 0, NULL), 0);
    reconnect(f);
    assert_medium(f, "hdc", a);
    assert_live_has(f, src_a);
    _cleanup_free_ char *inactive = xml_of(f, VP_DOMAIN_XML_INACTIVE);
    assert_null(strstr(inactive, "a.iso"));

    /* Another medium in the XML given: that one comes back. */
    qemu_monitor_close(VP_STEAL_PTR(f->mon));
    const char *at = strstr(live, src_a);
    assert_non_null(at);
    _cleanup_free_ char *src_b = vp_asprintf("<source file='%s'/>", b);
    _cleanup_free_ char *with_b =
        vp_asprintf("%.*s%s%s", (int)(at - live), live, src_b, at + strlen(src_a));
    assert_int_equal(vp_domain_save_with_xml(f->dom, img, with_b, 0), 0);
    assert_int_equal(vp_domain_restore(f->conn, img, 0, NULL), 0);
    reconnect(f);
    assert_medium(f, "hdc", b);
    assert_live_has(f, src_b);
}

/* Whether QEMU's drive @id holds a medium (its tray open or closed). */
static bool
has_medium(qt_fixture *f, const char *id)
{
    json_object *blocks = qt_qmp(f, "query-block", NULL), *v;
    bool found = false, inserted = false;
    for (size_t i = 0; !found && i < json_object_array_length(blocks); i++) {
        json_object *b = json_object_array_get_idx(blocks, i);
        found =
            json_object_object_get_ex(b, "qdev", &v) && strcmp(json_object_get_string(v), id) == 0;
        inserted = found && json_object_object_get_ex(b, "inserted", &v);
    }
    json_object_put(blocks);
    assert_true(found);
    return inserted;
}

/* A save right after a media change killed with the tray open and empty:
 * live-meta still shows the old medium (with the new one as an intent),
 * but the image must keep what QEMU holds: no medium. The save settles
 * the change first, so the restored domain's XML and QEMU agree. */
static void
test_save_after_killed_change(void **state)
{
    qt_fixture *f = *state;
    _cleanup_free_ char *a = make_file(f, "a.iso", "1M");
    _cleanup_free_ char *b = make_file(f, "b.iso", "1M");
    _cleanup_free_ char *with_a = vp_asprintf(CDROM("<source file='%s'/>"), a);
    qt_start(f, "pc", NULL, with_a);
    qemu_monitor_close(VP_STEAL_PTR(f->mon));
    _cleanup_free_ char *xml_path = vp_asprintf("%s/cdrom.xml", f->root);
    _cleanup_free_ char *with_b = vp_asprintf(CDROM("<source file='%s'/>"), b);
    int st = 0;
    /* A first run (to b) finds the step's number. */
    int n = open_empty_step(f, xml_path, with_b);
    assert_int_equal(vp_plugin_file_write_atomic(xml_path, with_a, strlen(with_a), 0600), 0);
    pid_t pid = vpsh_update(f, xml_path, n, &st);
    assert_true(WIFSTOPPED(st));
    kill(pid, SIGKILL);
    kill(pid, SIGCONT);
    assert_int_equal(waitpid(pid, &st, 0), pid);
    reconnect(f);
    assert_false(has_medium(f, "hdc"));
    qemu_monitor_close(VP_STEAL_PTR(f->mon));

    _cleanup_free_ char *img = vp_asprintf("%s/dev.sav", f->root);
    assert_int_equal(vp_domain_save(f->dom, img, 0), 0);
    _cleanup_free_ char *image_xml = NULL;
    assert_int_equal(vp_domain_save_image_get_xml(f->conn, img, 0, &image_xml), 0);
    if (strstr(image_xml, ".iso"))
        fprintf(stderr, "the image keeps a medium QEMU did not hold:\n%s", image_xml);
    assert_null(strstr(image_xml, ".iso"));
    int r = vp_domain_restore(f->conn, img, 0, NULL);
    if (r < 0)
        fprintf(stderr, "restore: %s\n", vp_error_last()->message);
    assert_int_equal(r, 0);
    reconnect(f);
    assert_false(has_medium(f, "hdc"));
    _cleanup_free_ char *live = xml_of(f, 0);
    assert_null(strstr(live, ".iso"));
}

int
main(int argc, char **argv)
{
    (void)argc;
    const struct CMUnitTest tests[] = {
        QT_DEVICE_TEST(test_media),
        QT_DEVICE_TEST(test_block_media),
        QT_DEVICE_TEST(test_link),
        QT_DEVICE_TEST(test_tray_closed_meanwhile),
        QT_DEVICE_TEST(test_guest_tray),
        QT_DEVICE_TEST(test_save_keeps_live_media),
        QT_DEVICE_TEST(test_save_after_killed_change),
        QT_DEVICE_TEST(test_save_with_xml_of_live_media),
    };
    return qt_device_tests_main(argv, tests, sizeof(tests) / sizeof(tests[0]));
}
