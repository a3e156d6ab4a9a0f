/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-qemu-save.c: save, restore and managed save of the tiny Linux
 * guest (tests/helpers/guest/) on qemu:///embed?root=<tmpdir>: a value in
 * the guest's tmpfs survives a save and a restore (so the memory came
 * back) and the guest agent answers afterwards; the image's header; a file
 * that is not an image is never replaced; a truncated image is refused;
 * managed save, the start that restores it and removes the image, and
 * undefine's refusal. Then vpsh is killed at every step of a save
 * (VIRTPLUG_TEST_STOP_AT, plugins/qemu/qemu-step.c), and QEMU is killed
 * during one: the next operation finds the domain running with its
 * memory, or shut off (saved) with a whole image, never a partial image
 * under the target's name. save-image-define replaces the image's XML
 * (refusing another name), vpsh killed at each of its steps leaves the old
 * image or the new one, and the new one restores. A restore runs the
 * image's definition, devices included, not one defined since the save.
 * Skips (77) without QEMU or the guest.
 */
#include <config.h>

#include <fcntl.h>
#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <json-c/json.h>

#include <virtplug/sdk/alloc.h>
#include <virtplug/virtplug.h>

#include "guest/guest.h"
#include "qemu-agent.h"
#include "qemu-test-util.h"

#define AGENT_WAIT_S 60
#define MARKER "/run/vp-save-marker"
#define MARKER_B64 "c2F2ZWQ=" /* "saved" */
/* The steps of a save (plugins/qemu/qemu-save.c): intent written, guest
 * paused, migration started, image whole, image renamed, stop intent
 * written. */
#define SAVE_STEPS 6
/* The steps of a save-image-define (plugins/qemu/qemu-save-xml.c): new XML
 * written, stream copied, new image whole, new image renamed. */
#define DEFINE_STEPS 4

static char *guest_dir;

typedef struct fixture {
    char *root;
    char *uri;
    vp_conn *conn;
    vp_domain *dom;
} fixture;

static int
agent_run(const fixture *f, const char *command, const char *args, json_object **ret_return)
{
    _cleanup_free_ char *path = vp_asprintf("%s/run/tiny.agent", f->root);
    qemu_agent *agent = NULL;
    int r = qemu_agent_open_for(path, "tiny", 10000, &agent);
    if (r < 0)
        return r;
    json_object *jargs = args ? json_tokener_parse(args) : NULL;
    r = qemu_agent_command(agent, command, jargs, 10000, ret_return);
    json_object_put(jargs);
    qemu_agent_close(agent);
    return r;
}

/* Until the agent answers guest-ping. */
static void
wait_agent(const fixture *f)
{
    time_t deadline = time(NULL) + AGENT_WAIT_S;
    while (agent_run(f, "guest-ping", NULL, NULL) < 0) {
        if (time(NULL) >= deadline)
            fail_msg("agent silent for %d s", AGENT_WAIT_S);
        usleep(200000);
    }
}

static int64_t
file_open(const fixture *f, const char *mode)
{
    _cleanup_free_ char *args = vp_asprintf("{\"path\":\"" MARKER "\",\"mode\":\"%s\"}", mode);
    json_object *handle = NULL;
    assert_int_equal(agent_run(f, "guest-file-open", args, &handle), 0);
    int64_t h = json_object_get_int64(handle);
    json_object_put(handle);
    return h;
}

static void
file_close(const fixture *f, int64_t h)
{
    _cleanup_free_ char *args = vp_asprintf("{\"handle\":%" PRId64 "}", h);
    assert_int_equal(agent_run(f, "guest-file-close", args, NULL), 0);
}

static void
marker_write(const fixture *f)
{
    int64_t h = file_open(f, "w");
    _cleanup_free_ char *args =
        vp_asprintf("{\"handle\":%" PRId64 ",\"buf-b64\":\"" MARKER_B64 "\"}", h);
    assert_int_equal(agent_run(f, "guest-file-write", args, NULL), 0);
    file_close(f, h);
}

/* The guest's tmpfs still holds the marker: its memory came back. */
static void
assert_marker(const fixture *f)
{
    wait_agent(f);
    int64_t h = file_open(f, "r");
    _cleanup_free_ char *args = vp_asprintf("{\"handle\":%" PRId64 ",\"count\":64}", h);
    json_object *ret = NULL, *buf = NULL;
    assert_int_equal(agent_run(f, "guest-file-read", args, &ret), 0);
    assert_true(json_object_object_get_ex(ret, "buf-b64", &buf));
    assert_string_equal(json_object_get_string(buf), MARKER_B64);
    json_object_put(ret);
    file_close(f, h);
}

static void
copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb");
    FILE *out = fopen(to, "wb");
    assert_non_null(in);
    assert_non_null(out);
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
        assert_int_equal(fwrite(buf, 1, n, out), n);
    fclose(in);
    assert_int_equal(fclose(out), 0);
}

/* One fixture for the whole program: one boot of the guest. */
static int
setup(void **state)
{
    fixture *f = vp_new0(fixture, 1);
    f->root = qt_root_new();
    f->uri = qt_uri(f->root, "agent_timeout_ms=5000");
    assert_int_equal(vp_conn_open(f->uri, 0, &f->conn), 0);
    _cleanup_free_ char *from = vp_asprintf("%s/disk.qcow2", guest_dir);
    _cleanup_free_ char *to = vp_asprintf("%s/disk.qcow2", f->root);
    copy_file(from, to);
    char xml[4096];
    assert_int_equal(vp_test_guest_xml(xml, sizeof(xml), "kvm", "tiny", guest_dir, f->root, ""), 0);
    assert_int_equal(vp_domain_define_xml(f->conn, xml, 0, &f->dom), 0);
    assert_int_equal(vp_domain_start(f->dom, 0), 0);
    wait_agent(f);
    marker_write(f);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    fixture *f = *state;
    vp_domain_free(f->dom);
    vp_conn_close(f->conn);
    qt_root_destroy(f->root);
    free(f->uri);
    free(f);
    return 0;
}

static char *
img_path(const fixture *f, const char *name)
{
    return vp_asprintf("%s/%s", f->root, name);
}

static bool
exists(const char *path)
{
    return access(path, F_OK) == 0;
}

/* Save, the image on disk, restore: the memory and the agent come back. */
static void
test_save_restore(void **state)
{
    fixture *f = *state;
    _cleanup_free_ char *keep = img_path(f, "keep");
    FILE *k = fopen(keep, "w");
    fputs("precious\n", k);
    fclose(k);
    QT_ASSERT_ERROR(vp_domain_save(f->dom, keep, 0), VP_ERR_EXISTS, "is not a save image");
    qt_assert_state(f->dom, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_BOOTED);

    _cleanup_free_ char *img = img_path(f, "tiny.sav");
    assert_int_equal(vp_domain_save(f->dom, img, 0), 0);
    qt_assert_state(f->dom, VP_DOMAIN_SHUTOFF, VP_DOMAIN_SHUTOFF_SAVED);
    _cleanup_free_ char *part = vp_asprintf("%s.vpsave-part", img);
    assert_false(exists(part));
    struct stat st;
    assert_int_equal(stat(img, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_true(st.st_size > 1024 * 1024); /* the guest's memory is in it */
    char magic[17] = "";
    int fd = open(img, O_RDONLY);
    assert_int_equal(read(fd, magic, 16), 16);
    close(fd);
    assert_string_equal(magic, "VirtplugQemuSave");
    _cleanup_free_ char *run_intent = vp_asprintf("%s/run/tiny.save", f->root);
    assert_false(exists(run_intent));

    vp_domain *back = NULL;
    assert_int_equal(vp_domain_restore(f->conn, img, 0, &back), 0);
    assert_string_equal(vp_domain_get_name(back), "tiny");
    vp_domain_free(back);
    qt_assert_state(f->dom, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_RESTORED);
    assert_marker(f);
    QT_ASSERT_ERROR(vp_domain_restore(f->conn, img, 0, NULL), VP_ERR_OPERATION_INVALID,
                    "already active");

    /* A truncated copy is refused; the domain keeps running. */
    _cleanup_free_ char *cut = img_path(f, "cut.sav");
    copy_file(img, cut);
    assert_int_equal(truncate(cut, st.st_size / 2), 0);
    assert_int_equal(vp_domain_destroy(f->dom, 0), 0);
    QT_ASSERT_ERROR(vp_domain_restore(f->conn, cut, 0, NULL), VP_ERR_INVALID_ARG, "incomplete");
    /* Restored paused, then resumed. */
    assert_int_equal(vp_domain_restore(f->conn, img, VP_DOMAIN_SAVE_PAUSED, NULL), 0);
    qt_assert_state(f->dom, VP_DOMAIN_PAUSED, VP_DOMAIN_PAUSED_USER);
    assert_int_equal(vp_domain_resume(f->dom, 0), 0);
    assert_marker(f);
    unlink(cut);
    unlink(img);
}

/* Managed save: start restores it and removes the image; undefine refuses. */
static void
test_managed_save(void **state)
{
    fixture *f = *state;
    assert_int_equal(vp_domain_has_managed_save(f->dom, 0), 0);
    assert_int_equal(vp_domain_managed_save(f->dom, 0), 0);
    qt_assert_state(f->dom, VP_DOMAIN_SHUTOFF, VP_DOMAIN_SHUTOFF_SAVED);
    assert_int_equal(vp_domain_has_managed_save(f->dom, 0), 1);
    QT_ASSERT_ERROR(vp_domain_undefine(f->dom, 0), VP_ERR_OPERATION_INVALID, "managed-save image");
    assert_int_equal(vp_domain_start(f->dom, 0), 0);
    qt_assert_state(f->dom, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_RESTORED);
    assert_int_equal(vp_domain_has_managed_save(f->dom, 0), 0);
    assert_marker(f);
}

/* The vpsh of this build. (transfer full) */
static char *
vpsh_bin(void)
{
    return qt_vpsh_path();
}

/* vpsh killed at step @step of a save to @img: after the next operation,
 * either the guest runs with its memory and no image exists, or it is
 * shut off (saved) and the image is whole (then restored). */
static void
kill_save_at(fixture *f, const char *vpsh, int step)
{
    _cleanup_free_ char *img = img_path(f, "k.sav");
    _cleanup_free_ char *part = vp_asprintf("%s.vpsave-part", img);
    unlink(img);
    qt_kill_at_step((const char *const[]){vpsh, "-c", f->uri, "save", "tiny", img, NULL}, step);
    int state = -1, reason = -1;
    assert_int_equal(vp_domain_get_state(f->dom, &state, &reason, 0), 0);
    assert_false(exists(part));
    if (state == VP_DOMAIN_SHUTOFF) {
        assert_int_equal(reason, VP_DOMAIN_SHUTOFF_SAVED);
        assert_true(exists(img));
        assert_int_equal(vp_domain_restore(f->conn, img, 0, NULL), 0);
    } else {
        assert_int_equal(state, VP_DOMAIN_RUNNING);
        assert_false(exists(img));
    }
    assert_marker(f);
    unlink(img);
}

static void
test_kill_vpsh_at_each_step(void **state)
{
    fixture *f = *state;
    _cleanup_free_ char *vpsh = vpsh_bin();
    if (access(vpsh, X_OK) < 0)
        fail_msg("no vpsh at '%s'", vpsh);
    for (int step = 1; step <= SAVE_STEPS; step++)
        kill_save_at(f, vpsh, step);
}

/* QEMU killed while it writes the state: no image, the domain shut off
 * (crashed), never a partial image under the target's name. */
static void
test_kill_qemu_during_save(void **state)
{
    fixture *f = *state;
    _cleanup_free_ char *vpsh = vpsh_bin();
    _cleanup_free_ char *img = img_path(f, "q.sav");
    _cleanup_free_ char *part = vp_asprintf("%s.vpsave-part", img);
    pid_t qemu = qt_pid(f->root, "tiny");
    assert_true(qemu > 0);
    /* Stopped once the migration started: QEMU dies under it. */
    qt_kill_at_step((const char *const[]){vpsh, "-c", f->uri, "save", "tiny", img, NULL}, 3);
    kill(qemu, SIGKILL);
    assert_true(qt_wait_pid_gone(qemu, 10000));
    int s = -1, reason = -1;
    assert_int_equal(vp_domain_get_state(f->dom, &s, &reason, 0), 0);
    assert_int_equal(s, VP_DOMAIN_SHUTOFF);
    assert_false(exists(img));
    assert_false(exists(part));
    QT_ASSERT_ERROR(vp_domain_restore(f->conn, img, 0, NULL), VP_ERR_SYSTEM, "q.sav");
}

/* save --xml: an XML that changes the machine is refused before anything
 * stops; vpsh killed from the save's last step through each step of the
 * rewrite that puts the given XML in the image leaves the domain saved
 * with a whole image holding its own XML or the given one (only once the
 * rewrite's rename is done), which restores. */
static void
test_save_with_xml(void **state)
{
    fixture *f = *state;
    _cleanup_free_ char *old = NULL, *vpsh = vpsh_bin();
    _cleanup_free_ char *img = img_path(f, "x.sav"), *xml_file = img_path(f, "x.xml");
    _cleanup_free_ char *part = vp_asprintf("%s.vpsave-part", img);
    unlink(img);
    assert_int_equal(vp_domain_get_xml(f->dom, VP_DOMAIN_XML_INACTIVE | VP_DOMAIN_XML_SECURE, &old),
                     0);
    _cleanup_free_ char *renamed = vp_strdup(old);
    memcpy(strstr(renamed, "<name>tiny<") + 6, "tinz", 4);
    QT_ASSERT_ERROR(vp_domain_save_with_xml(f->dom, img, renamed, 0), VP_ERR_INVALID_ARG,
                    "changes the name");
    qt_assert_state(f->dom, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_RESTORED);
    assert_false(exists(img));
    /* The description an earlier test's image gave the domain goes. */
    char *desc = strstr(old, "  <description>");
    if (desc)
        memmove(desc, strchr(desc, '\n') + 1, strlen(strchr(desc, '\n') + 1) + 1);
    char *end = strstr(old, "</domain>");
    _cleanup_free_ char *edited =
        vp_asprintf("%.*s  <description>given</description>\n%s", (int)(end - old), old, end);
    FILE *fp = fopen(xml_file, "w");
    assert_non_null(fp);
    fputs(edited, fp);
    fclose(fp);
    for (int step = SAVE_STEPS; step <= SAVE_STEPS + DEFINE_STEPS; step++) {
        qt_kill_at_step(
            (const char *const[]){vpsh, "-c", f->uri, "save", "tiny", img, "--xml", xml_file, NULL},
            step);
        qt_assert_state(f->dom, VP_DOMAIN_SHUTOFF, VP_DOMAIN_SHUTOFF_SAVED);
        _cleanup_free_ char *now = NULL;
        assert_int_equal(vp_domain_save_image_get_xml(f->conn, img, VP_DOMAIN_XML_SECURE, &now), 0);
        assert_false(exists(part));
        bool given = strstr(now, "<description>given</description>") != NULL;
        assert_true(given == (step == SAVE_STEPS + DEFINE_STEPS));
        assert_int_equal(vp_domain_restore(f->conn, img, 0, NULL), 0);
        unlink(img);
    }
    /* Not killed: the image holds the given XML, which the restore runs. */
    assert_int_equal(vp_domain_save_with_xml(f->dom, img, edited, 0), 0);
    _cleanup_free_ char *now = NULL;
    assert_int_equal(vp_domain_save_image_get_xml(f->conn, img, VP_DOMAIN_XML_SECURE, &now), 0);
    assert_non_null(strstr(now, "<description>given</description>"));
    assert_int_equal(vp_domain_restore(f->conn, img, 0, NULL), 0);
    assert_marker(f);
    unlink(img);
    unlink(xml_file);
}

/* Whether the command line of QEMU @pid holds @text. */
static bool
cmdline_has(pid_t pid, const char *text)
{
    _cleanup_free_ char *path = vp_asprintf("/proc/%d/cmdline", (int)pid);
    char buf[65536];
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    size_t n = fread(buf, 1, sizeof(buf), fp);
    fclose(fp);
    return memmem(buf, n, text, strlen(text)) != NULL;
}

/* A restore runs the definition in the image, all of it: a device a
 * define added since the save is not in the restored QEMU, and the domain
 * keeps that new definition for its next start (as libvirt). */
static void
test_restore_runs_image_devices(void **state)
{
    fixture *f = *state;
    _cleanup_free_ char *img = img_path(f, "dev.sav");
    _cleanup_free_ char *old = NULL, *now = NULL;
    unlink(img);
    /* What runs: the image of the test before set its description. */
    assert_int_equal(vp_domain_get_xml(f->dom, VP_DOMAIN_XML_SECURE, &old), 0);
    assert_null(strstr(old, "i6300esb"));
    assert_int_equal(vp_domain_save(f->dom, img, 0), 0);
    char *end = strstr(old, "</devices>");
    assert_non_null(end);
    _cleanup_free_ char *changed = vp_asprintf(
        "%.*s  <watchdog model='i6300esb' action='reset'/>\n  %s", (int)(end - old), old, end);
    vp_domain *redefined = NULL;
    assert_int_equal(vp_domain_define_xml(f->conn, changed, 0, &redefined), 0);
    vp_domain_free(redefined);

    assert_int_equal(vp_domain_restore(f->conn, img, 0, NULL), 0);
    qt_assert_state(f->dom, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_RESTORED);
    pid_t qemu = qt_pid(f->root, "tiny");
    assert_true(qemu > 0);
    assert_true(cmdline_has(qemu, "-incoming"));
    assert_false(cmdline_has(qemu, "i6300esb"));
    assert_marker(f);
    assert_int_equal(vp_domain_get_xml(f->dom, VP_DOMAIN_XML_INACTIVE | VP_DOMAIN_XML_SECURE, &now),
                     0);
    assert_non_null(strstr(now, "<watchdog model='i6300esb' action='reset'"));
    /* What runs is the image's: the running XML, and so the next save. */
    char *live = NULL;
    assert_int_equal(vp_domain_get_xml(f->dom, VP_DOMAIN_XML_SECURE, &live), 0);
    assert_null(strstr(live, "i6300esb"));
    free(live);

    /* The definition the other tests run: it waits while the domain runs,
     * and is the domain's from the save on; the image holds the running
     * one, the same, so the restore runs it with nothing waiting. */
    assert_int_equal(vp_domain_define_xml(f->conn, old, 0, &redefined), 0);
    vp_domain_free(redefined);
    unlink(img);
    assert_int_equal(vp_domain_save(f->dom, img, 0), 0);
    _cleanup_free_ char *next = vp_asprintf("%s/config/tiny.next.json", f->root);
    assert_int_equal(access(next, F_OK), -1);
    assert_int_equal(vp_domain_restore(f->conn, img, 0, NULL), 0);
    assert_int_equal(access(next, F_OK), -1);
    assert_marker(f);
    unlink(img);
}

/* save-image-define: the XML is replaced, a changed name refused; vpsh
 * killed at each step leaves the old image or the new one under the name,
 * and the next get removes the part file; the new image restores. */
static void
test_save_image_define(void **state)
{
    fixture *f = *state;
    _cleanup_free_ char *vpsh = vpsh_bin();
    _cleanup_free_ char *img = img_path(f, "d.sav");
    _cleanup_free_ char *part = vp_asprintf("%s.vpsave-part", img);
    _cleanup_free_ char *xml_file = img_path(f, "d.xml");
    _cleanup_free_ char *old = NULL;
    unlink(img);
    assert_int_equal(vp_domain_save(f->dom, img, 0), 0);
    assert_int_equal(vp_domain_save_image_get_xml(f->conn, img, VP_DOMAIN_XML_SECURE, &old), 0);
    char *end = strstr(old, "</domain>");
    assert_non_null(end);
    _cleanup_free_ char *edited =
        vp_asprintf("%.*s  <description>defined</description>\n%s", (int)(end - old), old, end);
    _cleanup_free_ char *renamed = vp_strdup(old);
    memcpy(strstr(renamed, "<name>tiny<") + 6, "tinz", 4);
    QT_ASSERT_ERROR(vp_domain_save_image_define_xml(f->conn, img, renamed, 0), VP_ERR_INVALID_ARG,
                    "changes the name");
    FILE *fp = fopen(xml_file, "w");
    assert_non_null(fp);
    fputs(edited, fp);
    fclose(fp);
    for (int step = 1; step <= DEFINE_STEPS; step++) {
        qt_kill_at_step(
            (const char *const[]){vpsh, "-c", f->uri, "save-image-define", img, xml_file, NULL},
            step);
        _cleanup_free_ char *now = NULL;
        assert_int_equal(vp_domain_save_image_get_xml(f->conn, img, VP_DOMAIN_XML_SECURE, &now), 0);
        assert_false(exists(part));
        bool is_new = strstr(now, "<description>defined</description>") != NULL;
        assert_true(is_new == (step == DEFINE_STEPS));
        if (is_new)
            assert_int_equal(vp_domain_save_image_define_xml(f->conn, img, old, 0), 0);
    }
    assert_int_equal(vp_domain_save_image_define_xml(f->conn, img, edited, VP_DOMAIN_SAVE_PAUSED),
                     0);
    assert_int_equal(vp_domain_restore(f->conn, img, 0, NULL), 0);
    qt_assert_state(f->dom, VP_DOMAIN_PAUSED, VP_DOMAIN_PAUSED_USER);
    assert_int_equal(vp_domain_resume(f->dom, 0), 0);
    assert_marker(f);
    unlink(img);
    unlink(xml_file);
}

int
main(int argc, char **argv)
{
    int r = qt_main_start(argc, argv, QEMU_BINARY);
    if (r >= 0)
        return r;
    r = vp_test_guest_prepare(&guest_dir);
    if (r != 0)
        return r == 77 ? 77 : 99;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_save_restore),
        cmocka_unit_test(test_managed_save),
        cmocka_unit_test(test_kill_vpsh_at_each_step),
        cmocka_unit_test(test_save_image_define),
        cmocka_unit_test(test_restore_runs_image_devices),
        cmocka_unit_test(test_save_with_xml),
        cmocka_unit_test(test_kill_qemu_during_save),
    };
    r = cmocka_run_group_tests(tests, setup, teardown);
    free(guest_dir);
    return r;
}
