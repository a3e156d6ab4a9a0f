/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * node-suspend-record.c: the node-suspend outcome record.
 *
 * Owns the text of node-suspend.state in the runtime directory: one
 * "key=value" line per field of vp_node_suspend_result plus the guests'
 * lines (node-suspend-guests.c formats and parses those), how values are
 * escaped to stay on one line, and reading and writing it atomically. A
 * key it does not know was written by a newer release and is skipped. It
 * never decides anything about a request (node-suspend.c does).
 */
#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <unistd.h>

#include "internal.h"
#include "node-suspend.h"

char *
vpi_ns_escape(const char *s)
{
    char *out = vp_new0(char, strlen(s) * 2 + 1), *o = out;
    for (; *s; s++) {
        if (*s == '\\' || *s == '\n') {
            *o++ = '\\';
            *o++ = *s == '\n' ? 'n' : '\\';
        } else {
            *o++ = *s;
        }
    }
    return out;
}

static void
unescape_into(const char *s, char *dst, size_t size)
{
    size_t n = 0;
    for (; *s && n + 1 < size; s++) {
        if (*s == '\\' && (s[1] == 'n' || s[1] == '\\'))
            dst[n++] = *++s == 'n' ? '\n' : '\\';
        else
            dst[n++] = *s;
    }
    dst[n] = '\0';
}

char *
vpi_ns_unescape(const char *s)
{
    size_t size = strlen(s) + 1;
    char *out = vp_new0(char, size);
    unescape_into(s, out, size);
    return out;
}

static char *
record_format(const vp_node_suspend_result *r, const vpi_ns_guests *g)
{
    _cleanup_free_ char *msg = vpi_ns_escape(r->error_message);
    _cleanup_free_ char *guests = vpi_ns_guests_format(g);
    const char *target = vp_node_suspend_target_name(r->target);
    return vp_asprintf("version=1\nstate=%s\ntarget=%s\nflags=%" PRIu32 "\nduration_s=%" PRIu64
                       "\nrequested_us=%" PRId64 "\nsuspend_at_us=%" PRId64 "\nstarted_us=%" PRId64
                       "\nended_us=%" PRId64 "\nwake_at_us=%" PRId64 "\npid=%" PRId64
                       "\ndriver=%s\nerror_code=%" PRId32 "\nerror_message=%s\n%s",
                       vp_node_suspend_state_name(r->state), target ? target : "mem", r->flags,
                       r->duration_s, r->requested_us, r->suspend_at_us, r->started_us, r->ended_us,
                       r->wake_at_us, r->pid, r->driver, r->error_code, msg, guests);
}

static int
name_index(const char *value, const char *(*name_of)(int), int last)
{
    for (int i = 0; i < last; i++)
        if (strcmp(name_of(i), value) == 0)
            return i;
    return -1;
}

static const char *
target_name_int(int t)
{
    return vp_node_suspend_target_name((unsigned int)t);
}

static int
record_parse_line(vp_node_suspend_result *r, const char *key, const char *v)
{
    if (strcmp(key, "version") == 0)
        return strcmp(v, "1") == 0 ? 0 : -1;
    if (strcmp(key, "state") == 0)
        return (r->state = name_index(v, vp_node_suspend_state_name, VP_NODE_SUSPEND_STATE_LAST));
    if (strcmp(key, "target") == 0) {
        int t = name_index(v, target_name_int, VP_NODE_SUSPEND_TARGET_LAST);
        r->target = t < 0 ? 0 : (uint32_t)t;
        return t;
    }
    if (strcmp(key, "driver") == 0)
        snprintf(r->driver, sizeof(r->driver), "%s", v);
    else if (strcmp(key, "error_message") == 0)
        unescape_into(v, r->error_message, sizeof(r->error_message));
    else if (strcmp(key, "flags") == 0)
        r->flags = (uint32_t)strtoul(v, NULL, 10);
    else if (strcmp(key, "duration_s") == 0)
        r->duration_s = strtoull(v, NULL, 10);
    else if (strcmp(key, "requested_us") == 0)
        r->requested_us = strtoll(v, NULL, 10);
    else if (strcmp(key, "suspend_at_us") == 0)
        r->suspend_at_us = strtoll(v, NULL, 10);
    else if (strcmp(key, "started_us") == 0)
        r->started_us = strtoll(v, NULL, 10);
    else if (strcmp(key, "ended_us") == 0)
        r->ended_us = strtoll(v, NULL, 10);
    else if (strcmp(key, "wake_at_us") == 0)
        r->wake_at_us = strtoll(v, NULL, 10);
    else if (strcmp(key, "pid") == 0)
        r->pid = strtoll(v, NULL, 10);
    else if (strcmp(key, "error_code") == 0)
        r->error_code = (int32_t)strtol(v, NULL, 10);
    return 0; /* unknown keys: written by a newer release */
}

static int record_read_into(const char *path, vp_node_suspend_result *r, vpi_ns_guests *g);

/* The guests part of the public struct, from @g. */
static void
record_guests_summary(vp_node_suspend_result *r, const vpi_ns_guests *g)
{
    r->guests = g->policy;
    r->guests_state = g->state;
    r->n_guests = (uint32_t)g->n;
    r->n_guest_failures = vpi_ns_guests_failures(g);
}

/* Read the record at @path into @r and its guests into @g (may be NULL);
 * a missing file is state NONE. A key the record lacks (one written before
 * the field existed) stays 0. */
int
vpi_ns_record_read(const char *path, vp_node_suspend_result *r, vpi_ns_guests *g)
{
    vpi_ns_guests local = {0};
    if (!g)
        g = &local;
    vpi_ns_guests_clear(g);
    memset(r, 0, sizeof(*r));
    r->size = sizeof(*r);
    int ret = record_read_into(path, r, g);
    record_guests_summary(r, g);
    vpi_ns_guests_clear(&local);
    return ret;
}

static int
record_read_into(const char *path, vp_node_suspend_result *r, vpi_ns_guests *g)
{
    if (access(path, F_OK) < 0 && errno == ENOENT)
        return 0;
    _cleanup_free_ char *data = NULL;
    int ret = vp_plugin_file_read(path, 4 * 1024 * 1024, &data, NULL);
    if (ret < 0)
        return ret;
    for (char *line = data; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        char *eq = strchr(line, '=');
        if (eq) {
            *eq = '\0';
            if (vpi_ns_guests_parse_line(g, line, eq + 1) == 0 &&
                record_parse_line(r, line, eq + 1) < 0)
                return vp_error_set(
                    VP_ERR_INTERNAL,
                    "node-suspend record '%s' has a bad value for '%s'; remove the file", path,
                    line);
        }
        line = nl ? nl + 1 : NULL;
    }
    return 0;
}

int
vpi_ns_record_write(const char *path, vp_node_suspend_result *r, const vpi_ns_guests *g)
{
    record_guests_summary(r, g);
    _cleanup_free_ char *text = record_format(r, g);
    return vp_plugin_file_write_atomic(path, text, strlen(text), 0644);
}
