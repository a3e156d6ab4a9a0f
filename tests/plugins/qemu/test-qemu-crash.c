/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-qemu-crash.c: the crash-injection harness of the QEMU driver.
 *
 * Each mutating verb (define, start, start --paused, which must never
 * leave the guest running, disk-only and internal snapshot,
 * snapshot delete with overlays, internal and metadata only, snapshot
 * revert to disk-only and internal snapshots of running and shut-off
 * domains, destroy, undefine, a start with UEFI and a TPM, where swtpm
 * must end with QEMU, autostart, undefine of a marked domain, create of a
 * transient domain and its destroy, which must leave it running or nothing
 * of it) runs as a real
 * vpsh against a fresh embedded instance with a firmware-only domain (and,
 * for the verbs that need no disk, a diskless
 * '-machine none' one),
 * stopped by the driver's test hook at step N (VIRTPLUG_TEST_STOP_AT=N,
 * qemu-step.c), then killed there with SIGKILL, or with SIGINT as a
 * terminal's Ctrl-C would. N counts up until the verb runs to its end, so
 * every step is hit with both signals; a third round also kills every
 * QEMU of the instance there (power loss of the guest's process, as the
 * host's OOM killer would). After each kill, one ordinary
 * operation (vpsh domstate) runs, and then the invariants must hold:
 *  - every QEMU process started under the instance is the one its record
 *    names, and the domain reads running exactly when one runs;
 *  - a running domain's definition names the image QEMU writes
 *    (query-block);
 *  - every file the backing chain of the definition or of any snapshot
 *    record reaches exists;
 *  - the snapshot tree holds: every parent a record names exists (the
 *    children of a deleted snapshot went to its parent), and the current
 *    snapshot, if any, is one that exists;
 *  - no intent is left;
 * and the verb run again succeeds or fails with a clear error, after
 * which the invariants hold again.
 */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <spawn.h>
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

#include "qemu-chain.h"
#include "qemu-monitor.h"
#include "crash-harness.h"
#include "qemu-test-util.h"

extern char **environ;

/* The definition with a balloon that only the whole model holds (a second
 * file beside the 1.0 one): the old one small without, the new one larger
 * with, so a define killed between its writes shows as a mix. */
static void
write_xml_balloon(fixture *f, bool new_one)
{
    _cleanup_free_ char *xml = vp_asprintf(
        "<domain type='qemu'><name>c</name>"
        "<uuid>6a1c2f2e-8f44-4bfa-9a53-6c5bb1a0c0de</uuid><memory unit='MiB'>%d</memory>"
        "<os><type arch='x86_64' machine='pc'>hvm</type></os><devices>"
        "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
        "<source file='%s'/><target dev='vda' bus='virtio'/></disk>"
        "<memballoon model='%s'/></devices></domain>",
        new_one ? 48 : 32, f->disk, new_one ? "virtio" : "none");
    assert_int_equal(vp_plugin_file_write_atomic(f->xml_path, xml, strlen(xml), 0600), 0);
}

/* ---- the verbs and the state each starts from ---------------------------- */

static void
prepare_nothing(fixture *f)
{
    (void)f;
}

static void
prepare_defined(fixture *f)
{
    VPSH_OK(f, "define", f->xml_path);
}

static void
prepare_running(fixture *f)
{
    prepare_defined(f);
    VPSH_OK(f, "start", "c");
}

static void
prepare_internal(fixture *f)
{
    prepare_running(f);
    VPSH_OK(f, "snapshot-create-as", "c", "s0");
}

/* A disk-only snapshot whose overlay nothing uses any more: the domain
 * was redefined on its base image, as a manual revert does. */
static void
prepare_unused_overlay(fixture *f)
{
    prepare_running(f);
    VPSH_OK(f, "snapshot-create-as", "c", "s0", "--disk-only");
    VPSH_OK(f, "destroy", "c");
    crash_write_xml(f, f->disk);
    VPSH_OK(f, "define", f->xml_path);
}

static void
prepare_one_overlay(fixture *f)
{
    prepare_running(f);
    VPSH_OK(f, "snapshot-create-as", "c", "s0", "--disk-only");
}

static void
prepare_two_overlays(fixture *f)
{
    prepare_one_overlay(f);
    VPSH_OK(f, "snapshot-create-as", "c", "s1", "--disk-only");
}

static void
prepare_one_overlay_off(fixture *f)
{
    prepare_one_overlay(f);
    VPSH_OK(f, "destroy", "c");
}

static void
prepare_two_overlays_off(fixture *f)
{
    prepare_two_overlays(f);
    VPSH_OK(f, "destroy", "c");
}

/* Two internal snapshots: s0, and s1 on top of it (current). */
static void
prepare_internal_chain(fixture *f)
{
    prepare_internal(f);
    VPSH_OK(f, "snapshot-create-as", "c", "s1");
}

static void
prepare_internal_off(fixture *f)
{
    prepare_internal_chain(f);
    VPSH_OK(f, "destroy", "c");
}

/* c.s0 is the base of two branches: s1's overlay, and the overlay a
 * revert to s1 made, which the domain runs on. */
static void
prepare_branched(fixture *f)
{
    prepare_two_overlays(f);
    VPSH_OK(f, "snapshot-revert", "c", "s1", "--running", "--force");
}

/* s0's overlay is on no chain the domain runs on (it reverted to s0),
 * but s1's overlay is built on it. */
static void
prepare_abandoned(fixture *f)
{
    prepare_two_overlays(f);
    VPSH_OK(f, "snapshot-revert", "c", "s0", "--running", "--force");
}

/* The domain runs on s0's overlay again (a revert to s1), and the base
 * below it is shared with s2's branch: merging s0 into the base would
 * change s2's data, so s0's overlay is streamed up instead (shut off). */
static void
prepare_shared_base(fixture *f)
{
    prepare_abandoned(f);
    VPSH_OK(f, "snapshot-create-as", "c", "s2", "--disk-only");
    VPSH_OK(f, "snapshot-revert", "c", "s1", "--running", "--force");
    VPSH_OK(f, "destroy", "c");
}

static void
prepare_ran_once(fixture *f)
{
    prepare_running(f);
    VPSH_OK(f, "destroy", "c");
}

static void
prepare_redefine(fixture *f)
{
    write_xml_balloon(f, false);
    VPSH_OK(f, "define", f->xml_path);
    write_xml_balloon(f, true);
}

static void
prepare_marked(fixture *f)
{
    prepare_ran_once(f);
    VPSH_OK(f, "autostart", "c");
}

static void
prepare_created(fixture *f)
{
    VPSH_OK(f, "create", f->xml_path);
}

/* An autostart mark never outlives its definition. */
static void
verify_no_orphan_mark(const fixture *f, const char *when)
{
    _cleanup_free_ char *def = vp_asprintf("%s/config/c.xml", f->root);
    _cleanup_free_ char *mark = vp_asprintf("%s/config/c.autostart", f->root);
    if (access(def, F_OK) < 0 && access(mark, F_OK) == 0)
        fprintf(stderr, "%s: the autostart mark outlived the definition\n", when);
    assert_false(access(def, F_OK) < 0 && access(mark, F_OK) == 0);
}

/* Whether a file of domain 'c' (c.*, or the snapshot directory c) is in @dir. */
static bool
has_file_of_c(const char *dir)
{
    DIR *d = opendir(dir);
    bool found = false;
    struct dirent *e;
    while (d && !found && (e = readdir(d)))
        found = strcmp(e->d_name, "c") == 0 || strncmp(e->d_name, "c.", 2) == 0;
    if (d)
        closedir(d);
    return found;
}

/* A create leaves the domain running as a transient one, or nothing of it. */
static void
verify_transient(const fixture *f, const char *when)
{
    _cleanup_free_ char *config = vp_asprintf("%s/config", f->root);
    _cleanup_free_ char *run = vp_asprintf("%s/run", f->root);
    _cleanup_free_ char *mark = vp_asprintf("%s/c.transient", config);
    vp_conn *conn = NULL;
    vp_domain *dom = NULL;
    assert_int_equal(vp_conn_open(f->uri, 0, &conn), 0);
    if (vp_domain_lookup_by_name(conn, "c", &dom) == 0) {
        int state = 0;
        assert_int_equal(vp_domain_get_state(dom, &state, NULL, 0), 0);
        if (state != VP_DOMAIN_RUNNING || vp_domain_is_persistent(dom) != 0)
            fprintf(stderr, "%s: domain 'c' is left in state %d, persistent %d\n", when, state,
                    vp_domain_is_persistent(dom));
        assert_int_equal(state, VP_DOMAIN_RUNNING);
        assert_int_equal(vp_domain_is_persistent(dom), 0);
        assert_int_equal(access(mark, F_OK), 0);
        vp_domain_free(dom);
    } else {
        if (has_file_of_c(config) || has_file_of_c(run))
            fprintf(stderr, "%s: files of the gone domain 'c' are left\n", when);
        assert_false(has_file_of_c(config) || has_file_of_c(run));
    }
    vp_conn_close(conn);
}

/* The definition is wholly the old one or wholly the new one. */
static void
verify_redefine(const fixture *f, const char *when)
{
    vp_conn *conn = NULL;
    vp_domain *dom = NULL;
    char *xml = NULL;
    assert_int_equal(vp_conn_open(f->uri, 0, &conn), 0);
    assert_int_equal(vp_domain_lookup_by_name(conn, "c", &dom), 0);
    assert_int_equal(vp_domain_get_xml(dom, 0, &xml), 0);
    bool old_mem = strstr(xml, ">32768<") != NULL, new_mem = strstr(xml, ">49152<") != NULL;
    bool old_dev = strstr(xml, "<memballoon model='none'/>") != NULL;
    bool new_dev = strstr(xml, "<memballoon model='virtio'/>") != NULL;
    if (!((old_mem && old_dev && !new_mem && !new_dev) ||
          (new_mem && new_dev && !old_mem && !old_dev)))
        fprintf(stderr, "%s: the definition mixes the old and the new one:\n%s\n", when, xml);
    assert_true((old_mem && old_dev && !new_mem && !new_dev) ||
                (new_mem && new_dev && !old_mem && !old_dev));
    free(xml);
    vp_domain_free(dom);
    vp_conn_close(conn);
}

/* Whether @xml is wholly the old definition of write_xml_balloon (1), wholly
 * the new one (2), or a mix (0, said). */
static int
which_definition(const char *xml, const char *what, const char *when)
{
    bool old_mem = strstr(xml, ">32768<") != NULL, new_mem = strstr(xml, ">49152<") != NULL;
    bool old_dev = strstr(xml, "<memballoon model='none'/>") != NULL;
    bool new_dev = strstr(xml, "<memballoon model='virtio'/>") != NULL;
    int which = old_mem && old_dev && !new_mem && !new_dev   ? 1
                : new_mem && new_dev && !old_mem && !old_dev ? 2
                                                             : 0;
    if (!which)
        fprintf(stderr, "%s: the %s mixes the old and the new definition:\n%s\n", when, what, xml);
    return which;
}

/* A definition given while the domain runs waits for its stop
 * (qemu-define-next.c): the running XML is the old one while QEMU runs,
 * the inactive one old or new (never a mix), and once the domain is shut
 * off (QEMU killed too, or destroyed) they are the same, and nothing
 * waits. With @given, the new one was given before the verb (a destroy,
 * a restore of an image holding the old one): the inactive XML is always
 * the new one. With @moved, a disk-only snapshot came after the define:
 * the waiting definition's disk follows that onto the overlay. */
static void
check_waiting(const fixture *f, const char *when, bool given, bool moved)
{
    vp_conn *conn = NULL;
    vp_domain *dom = NULL;
    char *live = NULL, *inactive = NULL;
    int state = 0, reason = 0;
    assert_int_equal(vp_conn_open(f->uri, 0, &conn), 0);
    assert_int_equal(vp_domain_lookup_by_name(conn, "c", &dom), 0);
    assert_int_equal(vp_domain_get_state(dom, &state, &reason, 0), 0);
    assert_int_equal(vp_domain_get_xml(dom, 0, &live), 0);
    assert_int_equal(vp_domain_get_xml(dom, VP_DOMAIN_XML_INACTIVE, &inactive), 0);
    int l = which_definition(live, "running XML", when);
    int i = which_definition(inactive, "inactive XML", when);
    assert_int_not_equal(l, 0);
    assert_int_not_equal(i, 0);
    if (given)
        assert_int_equal(i, 2);
    if (state == VP_DOMAIN_SHUTOFF) {
        assert_int_equal(l, i);
        _cleanup_free_ char *next = vp_asprintf("%s/config/c.next.json", f->root);
        assert_int_equal(access(next, F_OK), -1);
    } else {
        assert_int_equal(l, 1);
    }
    _cleanup_free_ char *base = vp_asprintf("<source file='%s'/>", f->disk);
    if (moved && i == 2 && strstr(inactive, base))
        fprintf(stderr, "%s: the new definition did not follow the snapshot:\n%s\n", when,
                inactive);
    assert_true(!moved || i != 2 || !strstr(inactive, base));
    free(live);
    free(inactive);
    vp_domain_free(dom);
    vp_conn_close(conn);
}

static void
prepare_running_old(fixture *f)
{
    write_xml_balloon(f, false);
    VPSH_OK(f, "define", f->xml_path);
    VPSH_OK(f, "start", "c");
    write_xml_balloon(f, true);
}

static void
prepare_waiting_moved(fixture *f)
{
    prepare_running_old(f);
    VPSH_OK(f, "define", f->xml_path);
    VPSH_OK(f, "snapshot-create-as", "c", "s1", "--disk-only");
}

/* The old definition saved running, the new one defined (the domain shut
 * off, so at once), and the image moved to f->xml_path, the file the
 * restore is given. The restore runs the image's, the old one, and the
 * domain's own waits (qemu-save.c). */
static void
prepare_saved_then_redefined(fixture *f)
{
    prepare_running_old(f);
    _cleanup_free_ char *img = vp_asprintf("%s/c.sav", f->root);
    VPSH_OK(f, "save", "c", img);
    VPSH_OK(f, "define", f->xml_path);
    assert_int_equal(rename(img, f->xml_path), 0);
}

/* The domain saved running, its image moved to f->xml_path. */
static void
prepare_saved(fixture *f)
{
    prepare_running(f);
    _cleanup_free_ char *img = vp_asprintf("%s/c.sav", f->root);
    VPSH_OK(f, "save", "c", img);
    assert_int_equal(rename(img, f->xml_path), 0);
}

static void
verify_waiting(const fixture *f, const char *when)
{
    check_waiting(f, when, false, false);
}

static void
verify_waiting_given(const fixture *f, const char *when)
{
    check_waiting(f, when, true, false);
}

static void
verify_waiting_moved(const fixture *f, const char *when)
{
    check_waiting(f, when, true, true);
}

/* A diskless PC booting OVMF with a TPM on swtpm (qemu-firmware.c,
 * qemu-tpm.c): what the start creates and launches beside QEMU. */
static void
prepare_defined_efi_tpm(fixture *f)
{
    const char *xml =
        "<domain type='qemu'><name>c</name>"
        "<uuid>6a1c2f2e-8f44-4bfa-9a53-6c5bb1a0c0de</uuid><memory unit='MiB'>64</memory>"
        "<os firmware='efi'><type arch='x86_64' machine='pc'>hvm</type></os><devices>"
        "<tpm model='tpm-tis'><backend type='emulator' version='2.0'/></tpm>"
        "</devices></domain>";
    assert_int_equal(vp_plugin_file_write_atomic(f->xml_path, xml, strlen(xml), 0600), 0);
    VPSH_OK(f, "define", f->xml_path);
}

/* A swtpm serves the domain exactly while its QEMU runs; the variable
 * store, when there, is whole. */
static void
verify_efi_tpm(const fixture *f, const char *when)
{
    _cleanup_free_ char *ctrl = vp_asprintf("path=%s/run/c.swtpm,", f->root);
    pid_t pids[16];
    bool running = crash_processes_under(f->root, pids, 16) > 0;
    int swtpms = 0;
    /* swtpm of a killed QEMU ends by itself (--terminate): give it time. */
    for (int i = 0; i < 300 && (swtpms = crash_count_cmdline(ctrl)) != (running ? 1 : 0); i++)
        usleep(10000);
    if (swtpms != (running ? 1 : 0))
        fprintf(stderr, "%s: %d swtpm process(es) with QEMU %s\n", when, swtpms,
                running ? "running" : "stopped");
    assert_int_equal(swtpms, running ? 1 : 0);
    _cleanup_free_ char *vars = vp_asprintf("%s/config/c_VARS.fd", f->root);
    struct stat sv, st;
    if (stat(vars, &sv) == 0) {
        assert_int_equal(stat("/usr/share/OVMF/OVMF_VARS_4M.fd", &st), 0);
        assert_int_equal(sv.st_size, st.st_size);
    }
}

/* A start --paused, however killed, leaves 'c' shut off or paused by the
 * user, its QEMU's vCPUs never run: never running. */
static void
verify_paused(const fixture *f, const char *when)
{
    vp_conn *conn = NULL;
    vp_domain *dom = NULL;
    assert_int_equal(vp_conn_open(f->uri, 0, &conn), 0);
    assert_int_equal(vp_domain_lookup_by_name(conn, "c", &dom), 0);
    int state = -1, reason = -1;
    assert_int_equal(vp_domain_get_state(dom, &state, &reason, 0), 0);
    vp_domain_free(dom);
    vp_conn_close(conn);
    if (state != VP_DOMAIN_SHUTOFF &&
        (state != VP_DOMAIN_PAUSED || reason != VP_DOMAIN_PAUSED_USER))
        fprintf(stderr, "%s: state %d reason %d\n", when, state, reason);
    assert_true(state == VP_DOMAIN_SHUTOFF ||
                (state == VP_DOMAIN_PAUSED && reason == VP_DOMAIN_PAUSED_USER));
    if (state != VP_DOMAIN_PAUSED)
        return;
    _cleanup_free_ char *qmp = vp_asprintf("%s/run/c.qmp", f->root);
    qemu_monitor *mon = NULL;
    assert_int_equal(qemu_monitor_open(qmp, 10000, &mon), 0);
    json_object *status = NULL;
    assert_int_equal(qemu_monitor_command(mon, "query-status", NULL, 10000, &status), 0);
    qemu_monitor_close(mon);
    json_object *running = NULL;
    assert_true(json_object_object_get_ex(status, "running", &running));
    if (json_object_get_boolean(running))
        fprintf(stderr, "%s: QEMU runs the guest: %s\n", when, json_object_to_json_string(status));
    assert_false(json_object_get_boolean(running));
    json_object_put(status);
}

/* The first file='...' of @xml. (transfer full) */
static char *
xml_file(const char *xml)
{
    const char *p = strstr(xml, "file='");
    assert_non_null(p);
    p += 6;
    return vp_strndup(p, strcspn(p, "'"));
}

/* A revert of the running domain (s0, then s1 current) to s0 is wholly
 * done or wholly undone: the definition names a new overlay right over
 * the image s0 left, and s0 is current; or it names s1's overlay, and s1
 * is current. */
static void
verify_revert_disk(const fixture *f, const char *when)
{
    vp_conn *conn = NULL;
    vp_domain *dom = NULL;
    vp_snapshot *s1 = NULL, *cur = NULL;
    char *xml = NULL, *s1_xml = NULL;
    assert_int_equal(vp_conn_open(f->uri, 0, &conn), 0);
    assert_int_equal(vp_domain_lookup_by_name(conn, "c", &dom), 0);
    assert_int_equal(vp_domain_get_xml(dom, 0, &xml), 0);
    assert_int_equal(vp_snapshot_lookup_by_name(dom, "s1", 0, &s1), 0);
    assert_int_equal(vp_snapshot_get_xml(s1, 0, &s1_xml), 0);
    assert_int_equal(vp_snapshot_current(dom, 0, &cur), 0);
    _cleanup_free_ char *image = xml_file(xml), *s1_top = xml_file(s1_xml);
    bool reverted = strcmp(image, s1_top) != 0;
    if (strcmp(vp_snapshot_get_name(cur), reverted ? "s0" : "s1") != 0)
        fprintf(stderr, "%s: the domain runs on '%s' but '%s' is current\n", when, image,
                vp_snapshot_get_name(cur));
    assert_string_equal(vp_snapshot_get_name(cur), reverted ? "s0" : "s1");
    if (reverted) {
        _cleanup_(qemu_chain_freep) qemu_chain *chain = NULL;
        assert_int_equal(qemu_chain_walk(image, &chain), 0);
        assert_int_equal(chain->n, 2);
        assert_string_equal(chain->links[1].path, f->disk);
    }
    free(xml);
    free(s1_xml);
    vp_snapshot_free(s1);
    vp_snapshot_free(cur);
    vp_domain_free(dom);
    vp_conn_close(conn);
}

/* A running VNC display with a password; f->xml_path then holds the
 * new <graphics> update-device reads. */
static void
prepare_vnc_running(fixture *f)
{
    const char *xml = "<domain type='qemu'><name>c</name>"
                      "<uuid>6a1c2f2e-8f44-4bfa-9a53-6c5bb1a0c0de</uuid>"
                      "<memory unit='MiB'>64</memory>"
                      "<os><type arch='x86_64' machine='pc'>hvm</type></os><devices>"
                      "<graphics type='vnc' autoport='yes' passwd='Old8pw'/></devices></domain>";
    assert_int_equal(vp_plugin_file_write_atomic(f->xml_path, xml, strlen(xml), 0600), 0);
    prepare_running(f);
    const char *dev = "<graphics type='vnc' autoport='yes' passwd='New8pw'/>";
    assert_int_equal(vp_plugin_file_write_atomic(f->xml_path, dev, strlen(dev), 0600), 0);
}

/* Whatever the kill left, the same update run again succeeds and the
 * running domain then has the new password (the definition the old). */
static void
verify_update_device(const fixture *f, const char *when)
{
    char *err = NULL;
    int st = crash_vpsh_run(f, (const char *const[]){"domstate", "c", NULL}, NULL);
    assert_int_equal(st, 0);
    vp_conn *conn = NULL;
    vp_domain *dom = NULL;
    int state = 0;
    assert_int_equal(vp_conn_open(f->uri, 0, &conn), 0);
    assert_int_equal(vp_domain_lookup_by_name(conn, "c", &dom), 0);
    assert_int_equal(vp_domain_get_state(dom, &state, NULL, 0), 0);
    if (state == VP_DOMAIN_RUNNING) {
        st =
            crash_vpsh_run(f, (const char *const[]){"update-device", "c", f->xml_path, NULL}, &err);
        if (st != 0)
            fprintf(stderr, "%s: update-device again: %s\n", when, err ? err : "");
        assert_int_equal(st, 0);
        char *live = NULL;
        assert_int_equal(vp_domain_get_xml(dom, VP_DOMAIN_XML_SECURE, &live), 0);
        assert_non_null(strstr(live, "passwd='New8pw'"));
        free(live);
    }
    char *inactive = NULL;
    assert_int_equal(
        vp_domain_get_xml(dom, VP_DOMAIN_XML_SECURE | VP_DOMAIN_XML_INACTIVE, &inactive), 0);
    assert_non_null(strstr(inactive, "passwd='Old8pw'"));
    free(inactive);
    free(err);
    vp_domain_free(dom);
    vp_conn_close(conn);
}

static const scenario scenarios[] = {
    {"update-device of a running display's password",
     prepare_vnc_running,
     {"update-device", "c", "--live", NULL},
     true,
     verify_update_device},
    {"redefine with a device beyond 1.0",
     prepare_redefine,
     {"define", NULL},
     false,
     verify_redefine},
    {"define", prepare_nothing, {"define", NULL}, false, NULL},
    {"define of a running domain", prepare_running_old, {"define", NULL}, false, verify_waiting},
    {"destroy with a waiting definition, after a disk-only snapshot",
     prepare_waiting_moved,
     {"destroy", "c", NULL},
     false,
     verify_waiting_moved},
    {"restore", prepare_saved, {"restore", NULL}, false, NULL},
    {"restore of an image holding another definition",
     prepare_saved_then_redefined,
     {"restore", NULL},
     false,
     verify_waiting_given},
    {"start", prepare_defined, {"start", "c", NULL}, false, NULL},
    {"start --paused", prepare_defined, {"start", "c", "--paused", NULL}, true, verify_paused},
    {"start with UEFI and a TPM",
     prepare_defined_efi_tpm,
     {"start", "c", NULL},
     true,
     verify_efi_tpm},
    {"snapshot disk-only",
     prepare_running,
     {"snapshot-create-as", "c", "s1", "--disk-only", NULL},
     false,
     NULL},
    {"snapshot internal", prepare_running, {"snapshot-create-as", "c", "s1", NULL}, false, NULL},
    {"snapshot-delete internal",
     prepare_internal,
     {"snapshot-delete", "c", "s0", NULL},
     false,
     NULL},
    {"snapshot-delete overlays",
     prepare_unused_overlay,
     {"snapshot-delete", "c", "s0", "--overlays", NULL},
     false,
     NULL},
    {"snapshot-delete merge, active layer, running",
     prepare_one_overlay,
     {"snapshot-delete", "c", "s0", NULL},
     false,
     NULL},
    {"snapshot-delete merge, lower layer, running",
     prepare_two_overlays,
     {"snapshot-delete", "c", "s0", NULL},
     false,
     NULL},
    {"snapshot-delete merge, active layer, shut off",
     prepare_one_overlay_off,
     {"snapshot-delete", "c", "s0", NULL},
     false,
     NULL},
    {"snapshot-delete merge, lower layer, shut off",
     prepare_two_overlays_off,
     {"snapshot-delete", "c", "s0", NULL},
     false,
     NULL},
    {"snapshot-delete internal, parent of another",
     prepare_internal_chain,
     {"snapshot-delete", "c", "s0", NULL},
     false,
     NULL},
    {"snapshot-delete --metadata, current",
     prepare_two_overlays,
     {"snapshot-delete", "c", "s1", "--metadata", NULL},
     false,
     NULL},
    {"snapshot-revert disk-only, running",
     prepare_two_overlays,
     {"snapshot-revert", "c", "s0", NULL},
     false,
     verify_revert_disk},
    {"snapshot-revert disk-only, running, --running --force",
     prepare_two_overlays,
     {"snapshot-revert", "c", "s0", "--running", "--force", NULL},
     false,
     verify_revert_disk},
    {"snapshot-revert disk-only, shut off, --paused",
     prepare_two_overlays_off,
     {"snapshot-revert", "c", "s0", "--paused", NULL},
     false,
     verify_revert_disk},
    {"snapshot-revert disk-only after a revert, the left overlay removed",
     prepare_branched,
     {"snapshot-revert", "c", "s0", NULL},
     false,
     NULL},
    {"snapshot-revert internal, running",
     prepare_internal_chain,
     {"snapshot-revert", "c", "s0", NULL},
     false,
     NULL},
    {"snapshot-revert internal, shut off",
     prepare_internal_off,
     {"snapshot-revert", "c", "s0", NULL},
     false,
     NULL},
    {"snapshot-delete merge after a revert, base of two branches, running",
     prepare_branched,
     {"snapshot-delete", "c", "s0", NULL},
     false,
     NULL},
    {"snapshot-delete stream into an abandoned branch, running",
     prepare_abandoned,
     {"snapshot-delete", "c", "s0", NULL},
     false,
     NULL},
    {"snapshot-delete stream, shared base, shut off",
     prepare_shared_base,
     {"snapshot-delete", "c", "s0", NULL},
     false,
     NULL},
    {"destroy", prepare_running, {"destroy", "c", NULL}, false, NULL},
    {"undefine", prepare_ran_once, {"undefine", "c", NULL}, false, NULL},
    {"define, -machine none", prepare_nothing, {"define", NULL}, true, NULL},
    {"start, -machine none", prepare_defined, {"start", "c", NULL}, true, NULL},
    {"destroy, -machine none", prepare_running, {"destroy", "c", NULL}, true, NULL},
    {"undefine, -machine none", prepare_ran_once, {"undefine", "c", NULL}, true, NULL},
    {"autostart, -machine none", prepare_defined, {"autostart", "c", NULL}, true, NULL},
    {"create (transient), -machine none",
     prepare_nothing,
     {"create", NULL},
     true,
     verify_transient},
    {"destroy of a transient domain (removed), -machine none",
     prepare_created,
     {"destroy", "c", NULL},
     true,
     verify_transient},
    {"undefine marked autostart, -machine none",
     prepare_marked,
     {"undefine", "c", NULL},
     true,
     verify_no_orphan_mark},
};

int
main(int argc, char **argv)
{
    qt_self = argv[0];
    if (argc > 1)
        return qt_child_main(argc, argv);
    return crash_run_scenarios("test-qemu-crash", scenarios,
                               sizeof(scenarios) / sizeof(scenarios[0]));
}
