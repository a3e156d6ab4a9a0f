/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * procvm-store.c: procvm's persistent hosts, written as an out-of-tree
 * driver would write them, with the SDK services only.
 *
 * Owns, for every procvm URI but procvm:///default: the definitions in
 * the URI's state directory (STATE/NAME.xml as the core formatted it,
 * STATE/NAME.def the key=value facts the driver needs: the program to
 * run), and the runtime files (RUN/NAME.state: a key=value record of the
 * state and the running process's identity; RUN/NAME.pid, RUN/NAME.log,
 * RUN/NAME.lock). A domain runs as its <emulator>, started detached with
 * the domain's name as its argument, so it outlives vpsh. Every mutating
 * slot holds the domain's lock, writes the intent first and settles an
 * intent it finds (a start killed midway is adopted or failed), and a
 * recorded process is recognised by its identity, never by its pid alone.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <virtplug/sdk/alloc.h>

#include "procvm.h"

#define PROCVM_NAME_MAX 64
#define PROCVM_LOCK_TIMEOUT_MS 10000

static char *
state_path(const procvm_host *h, const char *name, const char *suffix)
{
    return vp_asprintf("%s/%s%s", h->state_dir, name, suffix);
}

static char *
run_path(const procvm_host *h, const char *name, const char *suffix)
{
    return vp_asprintf("%s/%s%s", h->run_dir, name, suffix);
}

int
procvm_store_open(const vp_plugin_uri *uri, procvm_host *h)
{
    int r = vp_plugin_state_dir(uri, &h->state_dir);
    if (r < 0)
        return r;
    _cleanup_free_ char *run = NULL;
    r = vp_plugin_runtime_dir(&run);
    if (r < 0)
        return r;
    /* The state directory checked every component of the path. */
    h->run_dir = vp_asprintf("%s/procvm%s", run, vp_plugin_uri_get_path(uri));
    return vp_plugin_mkdir_p(h->run_dir, 0700);
}

/* ---- a domain's lock and runtime record ------------------------------ */

static int
lock_domain(const procvm_host *h, const char *name, int *ret_fd)
{
    _cleanup_free_ char *path = run_path(h, name, ".lock");
    _cleanup_free_ char *what = vp_asprintf("domain '%s'", name);
    return vp_plugin_lock_acquire(path, what, PROCVM_LOCK_TIMEOUT_MS, ret_fd);
}

static void
unlockp(int *fd)
{
    vp_plugin_lock_release(*fd);
}

typedef struct record {
    char state[16]; /* "shutoff", "starting", "running" */
    int reason;
    bool has_process;
    vp_plugin_process process;
} record;

/* The runtime record; a missing one reads as shut off. */
static int
record_read(const procvm_host *h, const char *name, record *ret_rec)
{
    record rec = {.state = "shutoff"};
    _cleanup_free_ char *path = run_path(h, name, ".state");
    _cleanup_strv_free_ char **pairs = NULL;
    if (access(path, F_OK) == 0) {
        int r = vp_plugin_kv_read(path, 0, &pairs);
        if (r < 0)
            return r;
        const char *state = vp_plugin_kv_get(pairs, "state");
        const char *reason = vp_plugin_kv_get(pairs, "reason");
        const char *process = vp_plugin_kv_get(pairs, "process");
        snprintf(rec.state, sizeof(rec.state), "%s", state ? state : "shutoff");
        rec.reason = reason ? (int)strtol(reason, NULL, 10) : 0;
        if (process) {
            r = vp_plugin_process_parse(process, &rec.process);
            if (r < 0)
                return r;
            rec.has_process = true;
        }
    }
    *ret_rec = rec;
    return 0;
}

static int
record_write(const procvm_host *h, const char *name, const record *rec)
{
    _cleanup_free_ char *path = run_path(h, name, ".state");
    char reason[16], process[VP_PLUGIN_PROCESS_STRLEN];
    snprintf(reason, sizeof(reason), "%d", rec->reason);
    const char *pairs[] = {"state",
                           rec->state,
                           "reason",
                           reason,
                           rec->has_process ? "process" : NULL,
                           vp_plugin_process_format(&rec->process, process),
                           NULL};
    return vp_plugin_kv_write(path, pairs, 0600);
}

static int
record_stopped(const procvm_host *h, const char *name, record *rec, int reason)
{
    _cleanup_free_ char *pidfile = run_path(h, name, ".pid");
    unlink(pidfile);
    *rec = (record){.state = "shutoff", .reason = reason};
    return record_write(h, name, rec);
}

/* With the lock held: finish what a killed operation left. A start that
 * wrote its intent either spawned the program (its pidfile then names
 * it: the SDK writes the pidfile before the program runs) or did not. */
static int
record_settle(const procvm_host *h, const char *name, record *rec)
{
    if (strcmp(rec->state, "starting") == 0) {
        _cleanup_free_ char *pidfile = run_path(h, name, ".pid");
        vp_plugin_process p;
        if (access(pidfile, F_OK) == 0 && vp_plugin_process_read_pidfile(pidfile, &p) == 0) {
            VP_PLUGIN_DEBUG("procvm", "domain '%s': adopting process %d", name, (int)p.pid);
            *rec = (record){.state = "running",
                            .reason = VP_DOMAIN_RUNNING_BOOTED,
                            .has_process = true,
                            .process = p};
            return record_write(h, name, rec);
        }
        return record_stopped(h, name, rec, VP_DOMAIN_SHUTOFF_FAILED);
    }
    if (strcmp(rec->state, "running") == 0 && !vp_plugin_process_is_alive(&rec->process))
        return record_stopped(h, name, rec, VP_DOMAIN_SHUTOFF_CRASHED);
    return 0;
}

/* ---- slots ------------------------------------------------------------- */

int
procvm_store_lookup(procvm_host *h, const char *name)
{
    _cleanup_free_ char *path = NULL;
    if (vp_plugin_name_is_safe("domain name", name, PROCVM_NAME_MAX, NULL,
                               VP_PLUGIN_NAME_NO_LEADING_DOT | VP_PLUGIN_NAME_QUIET) == 0)
        path = state_path(h, name, ".xml");
    if (!path || access(path, F_OK) < 0)
        return vp_plugin_error_set(VP_ERR_NO_DOMAIN, "no domain named '%s'", name);
    return 0;
}

static bool
is_active(procvm_host *h, const char *name)
{
    record rec;
    return record_read(h, name, &rec) == 0 && strcmp(rec.state, "shutoff") != 0 &&
           (!rec.has_process || vp_plugin_process_is_alive(&rec.process));
}

int
procvm_store_list(procvm_host *h, unsigned int flags, char ***ret_names)
{
    DIR *d = opendir(h->state_dir);
    if (!d)
        return vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno, "cannot read '%s'", h->state_dir);
    bool want_active = !flags || (flags & VP_LIST_DOMAINS_ACTIVE);
    bool want_inactive = !flags || (flags & VP_LIST_DOMAINS_INACTIVE);
    size_t n = 0;
    char **names = vp_new0(char *, 1);
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (e->d_name[0] == '.' || len <= 4 || strcmp(e->d_name + len - 4, ".xml") != 0)
            continue;
        char *name = vp_strndup(e->d_name, len - 4);
        bool active = is_active(h, name);
        if ((active && want_active) || (!active && want_inactive)) {
            names = vp_renew(char *, names, n + 2);
            names[n++] = name;
            names[n] = NULL;
        } else {
            free(name);
        }
    }
    closedir(d);
    *ret_names = names;
    return (int)n;
}

int
procvm_store_define(procvm_host *h, const vp_domain_model *model, char **ret_name)
{
    const char *name = vp_plugin_domain_model_get(model, "name");
    int r = vp_plugin_name_is_safe("domain name", name ? name : "", PROCVM_NAME_MAX, NULL,
                                   VP_PLUGIN_NAME_NO_LEADING_DOT);
    if (r < 0)
        return r;
    _cleanup_free_ char *xml = NULL;
    r = vp_plugin_domain_model_format(model, 0, &xml);
    if (r < 0)
        return r;
    _cleanup_(unlockp) int fd = -1;
    r = lock_domain(h, name, &fd);
    if (r < 0)
        return r;
    /* The facts first, the definition last: a define killed between the
     * two leaves no domain, or the old one with new facts for its next start. */
    const char *emulator = vp_plugin_domain_model_get(model, "devices/emulator");
    const char *facts[] = {"emulator", emulator ? emulator : "", NULL};
    _cleanup_free_ char *def_path = state_path(h, name, ".def");
    _cleanup_free_ char *xml_path = state_path(h, name, ".xml");
    r = vp_plugin_kv_write(def_path, facts, 0600);
    if (r >= 0)
        r = vp_plugin_file_write_atomic(xml_path, xml, strlen(xml), 0600);
    if (r >= 0)
        *ret_name = vp_strdup(name);
    return r;
}

/* Lock an existing domain and bring its record up to date. */
static int
begin(procvm_host *h, const char *name, int *ret_fd, record *ret_rec)
{
    int r = procvm_store_lookup(h, name);
    if (r >= 0)
        r = lock_domain(h, name, ret_fd);
    if (r >= 0 && procvm_store_lookup(h, name) < 0) {
        /* Undefined while this waited: the lock file it got is new. */
        _cleanup_free_ char *lock = run_path(h, name, ".lock");
        unlink(lock);
        r = VP_ERR_NO_DOMAIN;
    }
    if (r >= 0)
        r = record_read(h, name, ret_rec);
    if (r >= 0)
        r = record_settle(h, name, ret_rec);
    return r;
}

int
procvm_store_undefine(procvm_host *h, const char *name)
{
    _cleanup_(unlockp) int fd = -1;
    record rec;
    int r = begin(h, name, &fd, &rec);
    if (r < 0)
        return r;
    if (strcmp(rec.state, "shutoff") != 0)
        return vp_plugin_error_set(VP_ERR_OPERATION_INVALID,
                                   "domain '%s' is running; destroy it first", name);
    /* The definition first: once it is gone, nothing else is a domain. */
    static const char *const state_files[] = {".xml", ".def"};
    static const char *const run_files[] = {".state", ".pid", ".log", ".lock"};
    for (size_t i = 0; i < 2; i++) {
        _cleanup_free_ char *path = state_path(h, name, state_files[i]);
        if (unlink(path) < 0 && errno != ENOENT)
            return vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno, "cannot remove '%s'", path);
    }
    for (size_t i = 0; i < 4; i++) {
        _cleanup_free_ char *path = run_path(h, name, run_files[i]);
        unlink(path);
    }
    return 0;
}

int
procvm_store_start(procvm_host *h, const char *name)
{
    _cleanup_(unlockp) int fd = -1;
    record rec;
    int r = begin(h, name, &fd, &rec);
    if (r < 0)
        return r;
    if (strcmp(rec.state, "running") == 0)
        return vp_plugin_error_set(VP_ERR_OPERATION_INVALID, "domain '%s' is already running",
                                   name);
    _cleanup_free_ char *def_path = state_path(h, name, ".def");
    _cleanup_strv_free_ char **facts = NULL;
    r = vp_plugin_kv_read(def_path, 0, &facts);
    if (r < 0)
        return r;
    const char *emulator = vp_plugin_kv_get(facts, "emulator");
    if (!emulator || emulator[0] != '/')
        return vp_plugin_error_set(
            VP_ERR_OPERATION_INVALID,
            "domain '%s' has no program to run: give it <devices><emulator>/ABS/PATH</emulator>",
            name);
    rec = (record){.state = "starting"};
    r = record_write(h, name, &rec);
    if (r < 0)
        return r;
    _cleanup_free_ char *pidfile = run_path(h, name, ".pid");
    _cleanup_free_ char *log = run_path(h, name, ".log");
    const char *argv[] = {emulator, name, NULL};
    vp_plugin_process p;
    r = vp_plugin_process_spawn_detached(argv, log, pidfile, 0, &p);
    if (r < 0) {
        record_stopped(h, name, &rec, VP_DOMAIN_SHUTOFF_FAILED);
        return r;
    }
    rec = (record){
        .state = "running", .reason = VP_DOMAIN_RUNNING_BOOTED, .has_process = true, .process = p};
    return record_write(h, name, &rec);
}

int
procvm_store_destroy(procvm_host *h, const char *name)
{
    _cleanup_(unlockp) int fd = -1;
    record rec;
    int r = begin(h, name, &fd, &rec);
    if (r < 0)
        return r;
    if (strcmp(rec.state, "running") != 0)
        return vp_plugin_error_set(VP_ERR_OPERATION_INVALID, "domain '%s' is not running", name);
    vp_plugin_process_signal(&rec.process, SIGTERM);
    if (!vp_plugin_process_wait_gone(&rec.process, 3000)) {
        vp_plugin_process_signal(&rec.process, SIGKILL);
        if (!vp_plugin_process_wait_gone(&rec.process, 10000))
            return vp_plugin_error_set(VP_ERR_TIMEOUT,
                                       "process %d of domain '%s' did not exit after SIGKILL",
                                       (int)rec.process.pid, name);
    }
    return record_stopped(h, name, &rec, VP_DOMAIN_SHUTOFF_DESTROYED);
}

int
procvm_store_get_state(procvm_host *h, const char *name, int *ret_state, int *ret_reason)
{
    int r = procvm_store_lookup(h, name);
    record rec;
    if (r >= 0)
        r = record_read(h, name, &rec);
    if (r < 0)
        return r;
    /* Without the lock: a record whose process is gone reads as crashed
     * and is rewritten by the next operation that takes the lock. */
    if (strcmp(rec.state, "running") == 0 && vp_plugin_process_is_alive(&rec.process)) {
        *ret_state = VP_DOMAIN_RUNNING;
        *ret_reason = rec.reason;
    } else if (strcmp(rec.state, "starting") == 0) {
        *ret_state = VP_DOMAIN_PAUSED;
        *ret_reason = VP_DOMAIN_PAUSED_STARTING_UP;
    } else {
        *ret_state = VP_DOMAIN_SHUTOFF;
        *ret_reason = strcmp(rec.state, "running") == 0 ? VP_DOMAIN_SHUTOFF_CRASHED : rec.reason;
    }
    return 0;
}

int
procvm_store_get_xml(procvm_host *h, const char *name, char **ret_xml)
{
    int r = procvm_store_lookup(h, name);
    if (r < 0)
        return r;
    _cleanup_free_ char *path = state_path(h, name, ".xml");
    return vp_plugin_file_read(path, 1024 * 1024, ret_xml, NULL);
}
