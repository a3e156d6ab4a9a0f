/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * node-suspend-guests.c: what happens to the guests around a host suspend.
 *
 * Owns the guests policy of framework/node-suspend.c: which policy a
 * request gets (its flags, else the key 'guests' of hostpower.conf), the
 * calls of the hypervisor driver's node_suspend_prepare and
 * node_suspend_restore slots, the per-domain outcome they report (merged
 * by domain name) and how that outcome is written into and read from the
 * node-suspend record ("guest.N.*" lines). The mechanism (pausing,
 * resuming, setting clocks) is the driver's; this file never touches a
 * domain itself and never decides when the host sleeps.
 */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"
#include "node-suspend.h"

static void
guest_free(vp_node_suspend_guest *g)
{
    if (!g)
        return;
    free(g->name);
    free(g->message);
    free(g);
}

VP_EXPORT void
vp_node_suspend_guests_free(vp_node_suspend_guest **guests)
{
    if (!guests)
        return;
    for (size_t i = 0; guests[i]; i++)
        guest_free(guests[i]);
    free(guests);
}

void
vpi_ns_guests_clear(vpi_ns_guests *g)
{
    vp_node_suspend_guests_free(g->v);
    free(g->uri);
    *g = (vpi_ns_guests){0};
}

VP_EXPORT const char *
vp_node_suspend_guest_action_name(unsigned int bit)
{
    static const char *const names[] = {"paused",        "was-paused",           "pause-failed",
                                        "resumed",       "resume-failed",        "clock-set",
                                        "clock-not-set", "rtc-reinjection-reset"};
    for (unsigned int i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (bit == 1u << i)
            return names[i];
    return NULL;
}

VP_EXPORT const char *
vp_node_suspend_guests_state_name(unsigned int state)
{
    static const char *const names[] = {"none", "preparing", "prepared", "restored"};
    return state < VP_NODE_SUSPEND_GUESTS_STATE_LAST ? names[state] : NULL;
}

/* ---- the policy --------------------------------------------------------- */

/* The value of @key in the "key = value" file @data, or NULL. The host-power
 * plugins check the whole file; the core reads only its own key. */
static char *
conf_value(char *data, const char *key)
{
    size_t klen = strlen(key);
    for (char *line = data, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        while (isspace((unsigned char)*line))
            line++;
        if (strncmp(line, key, klen) != 0)
            continue;
        char *p = line + klen;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p != '=')
            continue;
        p++;
        while (isspace((unsigned char)*p))
            p++;
        size_t n = strlen(p);
        while (n > 0 && isspace((unsigned char)p[n - 1]))
            p[--n] = '\0';
        if (n >= 2 && p[0] == '"' && p[n - 1] == '"') {
            p[n - 1] = '\0';
            p++;
        }
        return vp_strdup(p);
    }
    return NULL;
}

static int
conf_policy(unsigned int *ret_policy)
{
    const char *path = vp_plugin_hostpower_conf_path();
    *ret_policy = 0;
    if (access(path, F_OK) < 0 && errno == ENOENT)
        return 0;
    _cleanup_free_ char *data = NULL;
    int r = vp_plugin_file_read(path, 1 << 20, &data, NULL);
    if (r < 0)
        return r;
    _cleanup_free_ char *v = conf_value(data, "guests");
    if (!v || strcmp(v, "none") == 0)
        return 0;
    if (strcmp(v, "pause") == 0) {
        *ret_policy = VP_NODE_SUSPEND_GUESTS_PAUSE;
        return 0;
    }
    return vp_error_set(VP_ERR_INVALID_ARG, "%s: key 'guests' is '%s'; use pause or none", path, v);
}

int
vpi_ns_guests_policy(unsigned int flags, unsigned int *ret_policy)
{
    unsigned int pause = flags & VP_NODE_SUSPEND_GUESTS_PAUSE;
    unsigned int none = flags & VP_NODE_SUSPEND_GUESTS_NONE;
    if (pause && none)
        return vp_error_set(VP_ERR_INVALID_ARG,
                            "the guests policy is either pause or none, not both");
    if (none && (flags & VP_NODE_SUSPEND_GUESTS_STRICT))
        return vp_error_set(VP_ERR_INVALID_ARG,
                            "--guests-strict needs the pause policy, not --guests none");
    unsigned int policy = pause;
    if (!pause && !none) {
        int r = conf_policy(&policy);
        if (r < 0)
            return r;
    }
    if (!policy && (flags & VP_NODE_SUSPEND_GUESTS_STRICT))
        return vp_error_set(
            VP_ERR_INVALID_ARG,
            "--guests-strict needs the pause policy: add --guests pause or set 'guests = pause' in '%s'",
            vp_plugin_hostpower_conf_path());
    *ret_policy = policy;
    return 0;
}

/* CLOCK_BOOTTIME - CLOCK_MONOTONIC: grows by the time the host sleeps. */
static int64_t
sleep_mark_ns(void)
{
    struct timespec boot, mono;
    clock_gettime(CLOCK_BOOTTIME, &boot);
    clock_gettime(CLOCK_MONOTONIC, &mono);
    return ((int64_t)boot.tv_sec - mono.tv_sec) * 1000000000 + (boot.tv_nsec - mono.tv_nsec);
}

/* ---- the outcome ---------------------------------------------------------- */

static vp_node_suspend_guest *
guest_find_or_add(vpi_ns_guests *g, const char *name)
{
    for (size_t i = 0; i < g->n; i++)
        if (strcmp(g->v[i]->name, name) == 0)
            return g->v[i];
    g->v = vp_renew(vp_node_suspend_guest *, g->v, g->n + 2);
    vp_node_suspend_guest *e = vp_new0(vp_node_suspend_guest, 1);
    e->name = vp_strdup(name);
    g->v[g->n++] = e;
    g->v[g->n] = NULL;
    return e;
}

static void
guest_note(vp_node_suspend_guest *e, int code, const char *message)
{
    if (code < 0 && e->error_code == 0)
        e->error_code = code;
    if (!message || !*message)
        return;
    char *joined = e->message ? vp_asprintf("%s; %s", e->message, message) : vp_strdup(message);
    free(e->message);
    e->message = joined;
}

/* Merge the driver's @from (freed) into @g. */
static void
guests_merge(vpi_ns_guests *g, vp_plugin_suspend_guest **from)
{
    for (size_t i = 0; from && from[i]; i++) {
        vp_plugin_suspend_guest *s = from[i];
        if (s->name) {
            vp_node_suspend_guest *e = guest_find_or_add(g, s->name);
            e->done |= s->done;
            guest_note(e, s->error_code, s->message);
        }
        free(s->name);
        free(s->message);
        free(s);
    }
    free(from);
}

unsigned int
vpi_ns_guests_failures(const vpi_ns_guests *g)
{
    const unsigned int failed = VP_NODE_SUSPEND_GUEST_PAUSE_FAILED |
                                VP_NODE_SUSPEND_GUEST_RESUME_FAILED |
                                VP_NODE_SUSPEND_GUEST_CLOCK_NOT_SET;
    unsigned int n = 0;
    for (size_t i = 0; i < g->n; i++)
        n += (g->v[i]->done & failed) != 0;
    return n;
}

char *
vpi_ns_guests_pause_failures(const vpi_ns_guests *g)
{
    char *out = NULL;
    for (size_t i = 0; i < g->n; i++) {
        if (!(g->v[i]->done & VP_NODE_SUSPEND_GUEST_PAUSE_FAILED))
            continue;
        const char *why = g->v[i]->message ? g->v[i]->message : "no reason given";
        char *next =
            vp_asprintf("%s%s'%s' (%s)", out ? out : "", out ? ", " : "", g->v[i]->name, why);
        free(out);
        out = next;
    }
    return out;
}

static void
done_words(unsigned int done, char *buf, size_t size)
{
    buf[0] = '\0';
    for (unsigned int bit = 1; bit < VP_NODE_SUSPEND_GUEST_LAST; bit <<= 1)
        if (done & bit)
            snprintf(buf + strlen(buf), size - strlen(buf), "%s%s", buf[0] ? "," : "",
                     vp_node_suspend_guest_action_name(bit));
}

char *
vpi_ns_guests_format(const vpi_ns_guests *g)
{
    _cleanup_free_ char *uri = vpi_ns_escape(g->uri ? g->uri : "");
    char *out =
        vp_asprintf("guests=%s\nguests_state=%s\nguests_uri=%s\nguests_sleep_mark_ns=%" PRId64 "\n",
                    g->policy ? "pause" : "none", vp_node_suspend_guests_state_name(g->state), uri,
                    g->sleep_mark_ns);
    for (size_t i = 0; i < g->n; i++) {
        const vp_node_suspend_guest *e = g->v[i];
        char done[256];
        done_words(e->done, done, sizeof(done));
        _cleanup_free_ char *name = vpi_ns_escape(e->name);
        _cleanup_free_ char *msg = vpi_ns_escape(e->message ? e->message : "");
        char *next = vp_asprintf("%sguest.%zu.name=%s\nguest.%zu.done=%s\nguest.%zu.error_code=%d\n"
                                 "guest.%zu.message=%s\n",
                                 out, i, name, i, done, i, e->error_code, i, msg);
        free(out);
        out = next;
    }
    return out;
}

static unsigned int
parse_done(const char *v)
{
    unsigned int done = 0;
    _cleanup_free_ char *copy = vp_strdup(v);
    char *save = NULL;
    for (char *w = strtok_r(copy, ",", &save); w; w = strtok_r(NULL, ",", &save))
        for (unsigned int bit = 1; bit < VP_NODE_SUSPEND_GUEST_LAST; bit <<= 1)
            if (strcmp(w, vp_node_suspend_guest_action_name(bit)) == 0)
                done |= bit;
    return done;
}

/* guest.N.FIELD: entries come in order, each starting with its name. */
static int
parse_guest_field(vpi_ns_guests *g, const char *key, const char *v)
{
    char *end;
    unsigned long idx = strtoul(key + strlen("guest."), &end, 10);
    if (*end != '.')
        return 1;
    const char *field = end + 1;
    if (strcmp(field, "name") == 0) {
        _cleanup_free_ char *name = vpi_ns_unescape(v);
        if (idx == g->n)
            guest_find_or_add(g, name);
        return 1;
    }
    if (idx + 1 != g->n)
        return 1; /* a field without its name line: ignore it */
    vp_node_suspend_guest *e = g->v[idx];
    if (strcmp(field, "done") == 0)
        e->done = parse_done(v);
    else if (strcmp(field, "error_code") == 0)
        e->error_code = (int)strtol(v, NULL, 10);
    else if (strcmp(field, "message") == 0 && *v) {
        free(e->message);
        e->message = vpi_ns_unescape(v);
    }
    return 1;
}

int
vpi_ns_guests_parse_line(vpi_ns_guests *g, const char *key, const char *v)
{
    if (strcmp(key, "guests") == 0) {
        g->policy = strcmp(v, "pause") == 0 ? VP_NODE_SUSPEND_GUESTS_PAUSE : 0;
        return 1;
    }
    if (strcmp(key, "guests_state") == 0) {
        for (unsigned int s = 0; s < VP_NODE_SUSPEND_GUESTS_STATE_LAST; s++)
            if (strcmp(v, vp_node_suspend_guests_state_name(s)) == 0)
                g->state = s;
        return 1;
    }
    if (strcmp(key, "guests_sleep_mark_ns") == 0) {
        g->sleep_mark_ns = strtoll(v, NULL, 10);
        return 1;
    }
    if (strcmp(key, "guests_uri") == 0) {
        free(g->uri);
        g->uri = *v ? vpi_ns_unescape(v) : NULL;
        return 1;
    }
    if (strncmp(key, "guest.", 6) == 0)
        return parse_guest_field(g, key, v);
    return 0;
}

/* ---- the driver's slots --------------------------------------------------- */

static int
call_slot(vp_conn *conn, vpi_ns_guests *g, bool prepare)
{
    int (*slot)(void *, unsigned int, vp_plugin_suspend_guest ***) =
        prepare ? conn->hv->node_suspend_prepare : conn->hv->node_suspend_restore;
    const char *op = prepare ? "node-suspend-prepare" : "node-suspend-restore";
    if (!slot)
        return 0;
    vp_plugin_suspend_guest **from = NULL;
    int r = slot(conn->hv_priv, prepare ? VP_NODE_SUSPEND_GUESTS_PAUSE : 0, &from);
    if (r >= 0)
        guests_merge(g, from);
    VP_DEBUG("node-suspend", "%s on '%s': %d", op, conn->hv_plugin->name, r);
    return vpi_slot_result(conn->hv_plugin, op, r);
}

int
vpi_ns_guests_prepare(vp_conn *conn, vpi_ns_guests *g)
{
    g->sleep_mark_ns = sleep_mark_ns();
    int r = call_slot(conn, g, true);
    g->state = VP_NODE_SUSPEND_GUESTS_STATE_PREPARED;
    return r;
}

int
vpi_ns_guests_restore(vp_conn *conn, vpi_ns_guests *g)
{
    int r = call_slot(conn, g, false);
    g->state = VP_NODE_SUSPEND_GUESTS_STATE_RESTORED;
    return r;
}

/* ---- repairing a request whose process died -------------------------- */

/* Whether the host slept since @mark_ns (a sleep_mark_ns() value). */
static bool
slept_since(int64_t mark_ns)
{
    return sleep_mark_ns() > mark_ns + 1000000000;
}

/* Called with the lock held or about to be taken: a live record (pending,
 * suspending) then belongs to a process that is gone. */
static bool
needs_repair(const vp_node_suspend_result *rec, const vpi_ns_guests *g, vp_conn *conn, bool force)
{
    bool pending = g->policy && (g->state == VP_NODE_SUSPEND_GUESTS_STATE_PREPARING ||
                                 g->state == VP_NODE_SUSPEND_GUESTS_STATE_PREPARED);
    bool live = rec->state == VP_NODE_SUSPEND_PENDING || rec->state == VP_NODE_SUSPEND_SUSPENDING;
    bool queued =
        rec->state == VP_NODE_SUSPEND_REQUESTED && (force || slept_since(g->sleep_mark_ns));
    return pending && (live || queued) && g->uri && strcmp(g->uri, vp_conn_get_uri(conn)) == 0;
}

void
vpi_ns_guests_repair_locked(vp_conn *conn, const char *state_path, bool force)
{
    vp_node_suspend_result rec;
    vpi_ns_guests g = {0};
    if (vpi_ns_record_read(state_path, &rec, &g) < 0 || !needs_repair(&rec, &g, conn, force)) {
        vpi_ns_guests_clear(&g);
        return;
    }
    VP_DEBUG("node-suspend", "resuming the guests the request of pid %lld left paused",
             (long long)rec.pid);
    if (vpi_ns_guests_restore(conn, &g) < 0)
        VP_DEBUG("node-suspend", "repair: %s", vp_error_last()->message);
    if (vpi_ns_record_write(state_path, &rec, &g) < 0)
        VP_DEBUG("node-suspend", "repair: %s", vp_error_last()->message);
    vpi_ns_guests_clear(&g);
}

/* The repair for readers: only when the record needs it and no request
 * holds the lock (a live request restores its own guests). */
static void
repair(vp_conn *conn, const char *dir, const char *state_path)
{
    vp_node_suspend_result rec;
    vpi_ns_guests g = {0};
    int r = vpi_ns_record_read(state_path, &rec, &g);
    bool needed = r >= 0 && needs_repair(&rec, &g, conn, false);
    vpi_ns_guests_clear(&g);
    int fd = -1;
    if (needed && vpi_ns_lock_acquire(dir, &fd) >= 0) {
        vpi_ns_guests_repair_locked(conn, state_path, false);
        close(fd);
    }
    vpi_error_reset();
}

int
vpi_ns_guests_read(vp_conn *conn, const char *dir, vp_node_suspend_result *ret_rec,
                   vpi_ns_guests *ret_guests)
{
    _cleanup_free_ char *path = vp_asprintf("%s/" VPI_NODE_SUSPEND_STATE_FILE, dir);
    repair(conn, dir, path);
    return vpi_ns_record_read(path, ret_rec, ret_guests);
}

VP_EXPORT int
vp_node_get_suspend_guests(vp_conn *conn, unsigned int flags, vp_node_suspend_guest ***ret_guests)
{
    VPI_ERROR_RESET();
    VPI_RETURN_IF_NO_CONN(conn);
    vp_return_if_fail(ret_guests, "ret_guests");
    if (flags != 0)
        return vp_error_set(VP_ERR_INVALID_ARG,
                            "vp_node_get_suspend_guests: unsupported flags 0x%x", flags);
    vpi_ns_guests g = {0};
    int r;
    if (conn->hv->node_get_suspend_guests) {
        /* The policy runs elsewhere (the remote plugin: on the far host),
         * and so does its record. */
        vp_plugin_suspend_guest **from = NULL;
        r = vpi_slot_result(conn->hv_plugin, "node-get-suspend-guests",
                            conn->hv->node_get_suspend_guests(conn->hv_priv, flags, &from));
        if (r >= 0)
            guests_merge(&g, from);
    } else {
        _cleanup_free_ char *dir = NULL;
        r = vp_plugin_runtime_dir(&dir);
        if (r < 0)
            return r;
        vp_node_suspend_result rec;
        r = vpi_ns_guests_read(conn, dir, &rec, &g);
    }
    if (r < 0) {
        vpi_ns_guests_clear(&g);
        return r;
    }
    *ret_guests = g.v ? g.v : vp_new0(vp_node_suspend_guest *, 1);
    g.v = NULL;
    int n = (int)g.n;
    vpi_ns_guests_clear(&g);
    return n;
}
