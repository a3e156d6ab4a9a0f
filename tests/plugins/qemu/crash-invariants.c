/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * crash-invariants.c: what must hold after any kill of any verb in the
 * crash harness (test-qemu-crash.c): QEMU processes and records agree, a
 * running domain's definition names the image QEMU writes, every backing
 * chain of the definition and of every snapshot record is whole and reads
 * the base's data, internal snapshots have records and tags alike, the
 * snapshot tree holds, and no intent is left.
 */
#include <config.h>

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <virtplug/sdk/alloc.h>
#include <virtplug/sdk/services.h>
#include <virtplug/virtplug.h>

#include "crash-harness.h"
#include "qemu-chain.h"
#include "qemu-monitor.h"
#include "qemu-test-util.h"

/* qemu-io, beside qemu-img. */
char *
crash_qemu_io(void)
{
    const char *slash = strrchr(QEMU_IMG, '/');
    return vp_asprintf("%.*s/qemu-io", slash ? (int)(slash - QEMU_IMG) : 0, QEMU_IMG);
}

/* The pids of every live process whose command line mentions the root. */
/* The processes whose command line holds @a and @b (NULL: any). */
static size_t
processes_with(const char *a, const char *b, pid_t *pids, size_t max)
{
    size_t n = 0;
    DIR *d = opendir("/proc");
    struct dirent *e;
    while (d && (e = readdir(d))) {
        char *end;
        long pid = strtol(e->d_name, &end, 10);
        if (*end || pid <= 0 || pid == getpid())
            continue;
        _cleanup_free_ char *path = vp_asprintf("/proc/%ld/cmdline", pid);
        _cleanup_free_ char *buf = NULL;
        size_t len = 0;
        if (vp_plugin_file_read(path, 1 << 20, &buf, &len) < 0)
            continue;
        for (size_t i = 0; i < len; i++)
            buf[i] = buf[i] ? buf[i] : ' ';
        if (strstr(buf, a) && (!b || strstr(buf, b)) && n < max)
            pids[n++] = (pid_t)pid;
    }
    if (d)
        closedir(d);
    return n;
}

size_t
crash_processes_under(const char *root, pid_t *pids, size_t max)
{
    return processes_with("qemu-system", root, pids, max);
}

int
crash_count_cmdline(const char *needle)
{
    pid_t pids[64];
    return (int)processes_with(needle, NULL, pids, 64);
}

/* ---- invariants ---------------------------------------------------------- */

/* Every file='...' attribute value in @xml, in order. (transfer full) */
static char **
files_in(const char *xml)
{
    char **v = vp_new0(char *, 1);
    size_t n = 0;
    for (const char *p = xml; (p = strstr(p, "file='")); p += 6) {
        const char *s = p + 6;
        v = vp_renew(char *, v, n + 2);
        v[n++] = vp_strndup(s, strcspn(s, "'"));
        v[n] = NULL;
    }
    return v;
}

static void
assert_chain_whole(const char *image, const char *whose)
{
    _cleanup_(qemu_chain_freep) qemu_chain *chain = NULL;
    assert_int_equal(qemu_chain_walk(image, &chain), 0);
    for (size_t i = 0; i < chain->n; i++) {
        if (!chain->links[i].exists)
            fprintf(stderr, "%s: chain of '%s' reaches missing '%s'\n", whose, image,
                    chain->links[i].path);
        assert_true(chain->links[i].exists);
    }
    assert_null(chain->unresolved);
}

/* The file QEMU writes for disk vda. (transfer full) */
static char *
qemu_top_file(const fixture *f)
{
    _cleanup_free_ char *qmp = vp_asprintf("%s/run/c.qmp", f->root);
    qemu_monitor *mon = NULL;
    assert_int_equal(qemu_monitor_open(qmp, 10000, &mon), 0);
    json_object *blocks = NULL;
    assert_int_equal(qemu_monitor_command(mon, "query-block", NULL, 10000, &blocks), 0);
    char *file = NULL;
    for (size_t i = 0; i < json_object_array_length(blocks) && !file; i++) {
        json_object *b = json_object_array_get_idx(blocks, i), *ins, *fn;
        if (json_object_object_get_ex(b, "inserted", &ins) &&
            json_object_object_get_ex(ins, "file", &fn))
            file = vp_strdup(json_object_get_string(fn));
    }
    json_object_put(blocks);
    qemu_monitor_close(mon);
    assert_non_null(file);
    return file;
}

/* The internal snapshot tags in @image as " a b ", or "" for none. (transfer full) */
static char *
image_tags(const char *image)
{
    char *out = NULL;
    assert_int_equal(
        qt_run_capture((const char *const[]){QEMU_IMG, "info", "-U", "--output=json", image, NULL},
                       &out),
        0);
    json_object *info = json_tokener_parse(out), *snaps;
    free(out);
    char *tags = vp_strdup("");
    if (info && json_object_object_get_ex(info, "snapshots", &snaps)) {
        for (size_t i = 0; i < json_object_array_length(snaps); i++) {
            json_object *name;
            if (!json_object_object_get_ex(json_object_array_get_idx(snaps, i), "name", &name))
                continue;
            char *more = vp_asprintf("%s %s", *tags ? tags : "", json_object_get_string(name));
            free(tags);
            tags = more;
        }
        if (*tags) {
            char *more = vp_asprintf("%s ", tags);
            free(tags);
            tags = more;
        }
    }
    json_object_put(info);
    return tags;
}

/* The tags of every image of @image's chain and of the images an unstack
 * (a revert to an internal snapshot below an external one) copied, which
 * the domain's other branches no longer reach: " a b " (transfer full) */
static char *
reachable_tags(const fixture *f, const char *image)
{
    _cleanup_(qemu_chain_freep) qemu_chain *chain = NULL;
    assert_int_equal(qemu_chain_walk(image, &chain), 0);
    char *all = vp_strdup(" ");
    for (size_t i = 0; i < chain->n; i++) {
        _cleanup_free_ char *t = chain->links[i].exists ? image_tags(chain->links[i].path) : NULL;
        char *more = vp_asprintf("%s%s", all, t ? t : "");
        free(all);
        all = more;
    }
    _cleanup_free_ char *path = vp_asprintf("%s/config/c.snapshots/.unstacked", f->root);
    _cleanup_free_ char *text = NULL;
    json_object *map =
        vp_plugin_file_read(path, 1 << 20, &text, NULL) >= 0 ? json_tokener_parse(text) : NULL;
    if (map && json_object_is_type(map, json_type_object)) {
        json_object_object_foreach(map, keep, held)
        {
            (void)keep;
            _cleanup_free_ char *t = image_tags(json_object_get_string(held));
            char *more = vp_asprintf("%s%s", all, t);
            free(all);
            all = more;
        }
    }
    json_object_put(map);
    return all;
}

/* The tree: a parent that a record names exists (a deleted snapshot's
 * children were handed to its parent). */
static void
check_tree_link(vp_domain *dom, vp_snapshot *snap, const char *when)
{
    vp_snapshot *parent = NULL, *found = NULL;
    if (vp_snapshot_get_parent(snap, 0, &parent) < 0) {
        if (!strstr(vp_error_last()->message, "has no parent"))
            fprintf(stderr, "%s: parent of '%s': %s\n", when, vp_snapshot_get_name(snap),
                    vp_error_last()->message);
        assert_non_null(strstr(vp_error_last()->message, "has no parent"));
        return;
    }
    int r = vp_snapshot_lookup_by_name(dom, vp_snapshot_get_name(parent), 0, &found);
    if (r < 0)
        fprintf(stderr, "%s: '%s' names a parent '%s' that is gone\n", when,
                vp_snapshot_get_name(snap), vp_snapshot_get_name(parent));
    assert_int_equal(r, 0);
    vp_snapshot_free(found);
    vp_snapshot_free(parent);
}

/* The current snapshot file names an existing record, or is absent. */
static void
check_current(const fixture *f, vp_domain *dom, const char *when)
{
    _cleanup_free_ char *path = vp_asprintf("%s/config/c.snapshots/.current", f->root);
    if (access(path, F_OK) < 0)
        return;
    vp_snapshot *cur = NULL;
    int r = vp_snapshot_current(dom, 0, &cur);
    if (r < 0)
        fprintf(stderr, "%s: '%s' names no snapshot: %s\n", when, path, vp_error_last()->message);
    assert_int_equal(r, 0);
    vp_snapshot_free(cur);
}

void
crash_assert_pattern(const char *image, const char *check, const char *what, const char *when)
{
    _cleanup_free_ char *io = crash_qemu_io();
    char *out = NULL;
    assert_int_equal(
        qt_run_capture((const char *const[]){io, "-r", "-U", "-c", check, image, NULL}, &out), 0);
    if (strstr(out, "Pattern verification failed"))
        fprintf(stderr, "%s: %s does not read back through '%s'\n", when, what, image);
    assert_null(strstr(out, "Pattern verification failed"));
    free(out);
}

void
crash_assert_base_data(const char *image, const char *when)
{
    crash_assert_pattern(image, BASE_CHECK, "the base's data", when);
}

void
crash_check_invariants(const fixture *f, const char *when)
{
    vp_conn *conn = NULL;
    assert_int_equal(vp_conn_open(f->uri, 0, &conn), 0);
    vp_domain *dom = NULL;
    pid_t pids[16];
    /* Domain c's QEMU (its pidfile on the command line): another domain
     * of a scenario may run beside it. */
    _cleanup_free_ char *own = vp_asprintf("%s/run/c.pid", f->root);
    size_t n = processes_with("qemu-system", own, pids, 16);
    if (vp_domain_lookup_by_name(conn, "c", &dom) < 0) {
        if (n)
            fprintf(stderr, "%s: QEMU %d runs for an undefined domain\n", when, (int)pids[0]);
        assert_int_equal(n, 0);
        vp_conn_close(conn);
        return;
    }
    int state = -1, reason = -1;
    assert_int_equal(vp_domain_get_state(dom, &state, &reason, 0), 0);
    bool running = state == VP_DOMAIN_RUNNING || state == VP_DOMAIN_PAUSED;
    if (n != (running ? 1u : 0u) || (running && pids[0] != qt_pid(f->root, "c")))
        fprintf(stderr, "%s: state %d, %zu QEMU process(es) %d, recorded %d\n", when, state, n,
                n ? (int)pids[0] : 0, (int)qt_pid(f->root, "c"));
    assert_int_equal(n, running ? 1 : 0);
    if (running)
        assert_int_equal(pids[0], qt_pid(f->root, "c"));

    char *xml = NULL;
    assert_int_equal(vp_domain_get_xml(dom, 0, &xml), 0);
    _cleanup_strv_free_ char **files = files_in(xml);
    free(xml);
    assert_true(!files[0] == !f->disk);
    if (!f->disk) {
        vp_domain_free(dom);
        vp_conn_close(conn);
        return;
    }
    if (running) {
        _cleanup_free_ char *top = qemu_top_file(f);
        if (strcmp(top, files[0]) != 0)
            fprintf(stderr, "%s: QEMU writes '%s', the definition names '%s'\n", when, top,
                    files[0]);
        assert_string_equal(top, files[0]);
    }
    assert_chain_whole(files[0], "the definition");
    crash_assert_base_data(files[0], when);

    /* Internal snapshots: a record for each tag in the image, and an
     * image that holds each record's. */
    _cleanup_free_ char *tags = image_tags(files[0]);
    _cleanup_free_ char *reachable = reachable_tags(f, files[0]);
    vp_snapshot **snaps = NULL;
    int ns = vp_snapshot_list(dom, 0, &snaps);
    assert_true(ns >= 0);
    for (int i = 0; i < ns; i++) {
        char *sx = NULL;
        assert_int_equal(vp_snapshot_get_xml(snaps[i], 0, &sx), 0);
        _cleanup_strv_free_ char **sf = files_in(sx);
        for (char **p = sf; *p; p++)
            assert_chain_whole(*p, vp_snapshot_get_name(snaps[i]));
        if (strstr(sx, "<memory snapshot='internal'")) {
            _cleanup_free_ char *tag = vp_asprintf(" %s ", vp_snapshot_get_name(snaps[i]));
            if (!strstr(reachable, tag))
                fprintf(stderr, "%s: snapshot '%s' has a record but no image holds it (%s)\n", when,
                        vp_snapshot_get_name(snaps[i]), reachable);
            assert_non_null(strstr(reachable, tag));
        }
        free(sx);
        check_tree_link(dom, snaps[i], when);
    }
    vp_snapshot_list_free(snaps);
    check_current(f, dom, when);
    for (const char *t = tags; *t;) {
        t += strspn(t, " ");
        size_t len = strcspn(t, " ");
        if (!len)
            break;
        _cleanup_free_ char *tag = vp_strndup(t, len);
        vp_snapshot *rec = NULL;
        if (vp_snapshot_lookup_by_name(dom, tag, 0, &rec) < 0)
            fprintf(stderr, "%s: image tag '%s' of '%s' has no record\n", when, tag, files[0]);
        assert_non_null(rec);
        vp_snapshot_free(rec);
        t += len;
    }
    _cleanup_free_ char *intent = vp_asprintf("%s/config/c.intent", f->root);
    assert_int_equal(access(intent, F_OK), -1);
    vp_domain_free(dom);
    vp_conn_close(conn);
}
