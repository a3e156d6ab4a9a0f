/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * error.c: the per-thread error slot.
 *
 * Owns the calling thread's last error (code + message) and the names of
 * error codes. The message is set once, where a failure is detected, and
 * read by the application with vp_error_last(). Never prints anything.
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

__thread int vpi_error_code;
__thread int vpi_call_depth;
__thread vp_conn *vpi_call_conn;
/* Set by vpi_domain_check (domain.c), reset with the error on entry to a
 * public call: here, so that everything using VPI_ERROR_RESET links. */
__thread bool vpi_call_handle_valid;
static __thread char *error_message;
static __thread vp_error error_view;

static void
error_message_free(void *p)
{
    free(p);
}

static pthread_key_t error_key;
static pthread_once_t error_key_once = PTHREAD_ONCE_INIT;

static void
error_key_init(void)
{
    /* The key's destructor frees a thread's message when the thread exits. */
    (void)pthread_key_create(&error_key, error_message_free);
}

static void
error_store(int code, char *message)
{
    pthread_once(&error_key_once, error_key_init);
    free(error_message);
    error_message = message;
    (void)pthread_setspecific(error_key, message);
    vpi_error_code = code;
}

void
vpi_error_reset(void)
{
    vpi_error_code = 0;
}

VP_EXPORT const vp_error *
vp_error_last(void)
{
    if (vpi_error_code == 0)
        return NULL;
    error_view.code = vpi_error_code;
    error_view.message = error_message ? error_message : "unknown error";
    return &error_view;
}

VP_EXPORT vp_error *
vp_error_copy(const vp_error *err)
{
    if (!err)
        return NULL;
    vp_error *copy = vp_new0(vp_error, 1);
    copy->code = err->code;
    copy->message = vp_strdup(err->message ? err->message : "unknown error");
    return copy;
}

VP_EXPORT void
vp_error_free(vp_error *err)
{
    if (!err)
        return;
    free((char *)err->message);
    free(err);
}

VP_EXPORT int
vp_plugin_error_setv(int code, const char *fmt, va_list ap)
{
    if (code >= 0)
        code = VP_ERR_INTERNAL;
    error_store(code, vp_vasprintf(fmt, ap));
    VP_DEBUG("error", "%s: %s", vp_error_code_name(code), error_message);
    return code;
}

VP_EXPORT int
vp_plugin_error_set(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vp_plugin_error_setv(code, fmt, ap);
    va_end(ap);
    return code < 0 ? code : VP_ERR_INTERNAL;
}

VP_EXPORT int
vp_plugin_error_set_errno(int code, int errnum, const char *fmt, ...)
{
    va_list ap;
    char buf[256];
    va_start(ap, fmt);
    _cleanup_free_ char *head = vp_vasprintf(fmt, ap);
    va_end(ap);
    return vp_plugin_error_set(code, "%s: %s", head, strerror_r(errnum, buf, sizeof(buf)));
}

VP_EXPORT int
vp_plugin_error_stale_handle(const char *name, const char *was_uuid, const char *now_uuid)
{
    return vp_plugin_error_set(VP_ERR_NO_DOMAIN,
                               "domain '%s' was undefined and redefined since this handle was made "
                               "(its uuid was '%s', now '%s'); look it up again",
                               name, was_uuid, now_uuid);
}

struct vp_plugin_saved_error {
    int code;
    char *message;
};

VP_EXPORT vp_plugin_saved_error *
vp_plugin_error_save(void)
{
    if (vpi_error_code == 0)
        return NULL;
    vp_plugin_saved_error *saved = vp_new0(vp_plugin_saved_error, 1);
    saved->code = vpi_error_code;
    saved->message = error_message;
    error_message = NULL;
    (void)pthread_setspecific(error_key, NULL);
    vpi_error_code = 0;
    return saved;
}

VP_EXPORT int
vp_plugin_error_restore(vp_plugin_saved_error *saved)
{
    if (!saved)
        return 0;
    int code = saved->code;
    error_store(code, saved->message);
    free(saved);
    return code;
}

VP_EXPORT const char *
vp_error_code_name(int code)
{
    static const char *const names[] = {
        [0] = "VP_OK",
        [-VP_ERR_INTERNAL] = "VP_ERR_INTERNAL",
        [-VP_ERR_INVALID_ARG] = "VP_ERR_INVALID_ARG",
        [-VP_ERR_NOT_SUPPORTED] = "VP_ERR_NOT_SUPPORTED",
        [-VP_ERR_NO_PLUGIN] = "VP_ERR_NO_PLUGIN",
        [-VP_ERR_PLUGIN_INVALID] = "VP_ERR_PLUGIN_INVALID",
        [-VP_ERR_NO_DOMAIN] = "VP_ERR_NO_DOMAIN",
        [-VP_ERR_NO_SNAPSHOT] = "VP_ERR_NO_SNAPSHOT",
        [-VP_ERR_XML] = "VP_ERR_XML",
        [-VP_ERR_OPERATION_INVALID] = "VP_ERR_OPERATION_INVALID",
        [-VP_ERR_OPERATION_IN_PROGRESS] = "VP_ERR_OPERATION_IN_PROGRESS",
        [-VP_ERR_TIMEOUT] = "VP_ERR_TIMEOUT",
        [-VP_ERR_AGENT_UNRESPONSIVE] = "VP_ERR_AGENT_UNRESPONSIVE",
        [-VP_ERR_SYSTEM] = "VP_ERR_SYSTEM",
        [-VP_ERR_NO_URI_SCHEME] = "VP_ERR_NO_URI_SCHEME",
        [-VP_ERR_EXISTS] = "VP_ERR_EXISTS",
        [-VP_ERR_PROTOCOL] = "VP_ERR_PROTOCOL",
    };
    if (code > 0 || code <= VP_ERR_LAST)
        return "VP_ERR_UNKNOWN";
    return names[-code];
}

int
vpi_not_supported(const vpi_plugin *plugin, const char *operation)
{
    return vp_error_set(VP_ERR_NOT_SUPPORTED, "driver '%s' does not implement '%s'", plugin->name,
                        operation);
}

int
vpi_slot_failed(const vpi_plugin *plugin, const char *operation, int r)
{
    bool known = r < 0 && r > VP_ERR_LAST;
    if (vpi_error_code != 0) {
        /* The code returned is always the one vp_error_last() shows: a
         * plugin whose clean-up replaced its error (it should have used
         * vp_plugin_error_save) is reported by the error it left. */
        if (known && r != vpi_error_code)
            VP_DEBUG("error", "driver '%s' returned %s from '%s' but left %s set", plugin->name,
                     vp_error_code_name(r), operation, vp_error_code_name(vpi_error_code));
        return vpi_error_code;
    }
    if (known)
        return vp_error_set(
            r,
            "driver '%s' failed in '%s' with %s but set no error message; this is a bug in the plugin: report it to the plugin's authors",
            plugin->name, operation, vp_error_code_name(r));
    return vp_error_set(
        VP_ERR_INTERNAL,
        "driver '%s' failed in '%s' with %d, which is no VP_ERR_* code, and set no error message; this is a bug in the plugin: report it to the plugin's authors",
        plugin->name, operation, r);
}

/* ---- the per-connection error callback ---------------------------------- */

VP_EXPORT int
vp_conn_set_error_func(vp_conn *conn, vp_error_func func, void *opaque)
{
    VPI_ERROR_RESET();
    VPI_RETURN_IF_NO_CONN(conn);
    pthread_mutex_lock(&conn->error_func_lock);
    conn->error_func = func;
    conn->error_opaque = func ? opaque : NULL;
    pthread_mutex_unlock(&conn->error_func_lock);
    return 0;
}

/* The outermost public call of this thread ended with an error: tell the
 * callback of its connection. The callback runs as a nested call (its own
 * virtplug calls report nothing), and the thread's error is what the call
 * left, whatever the callback did meanwhile. */
void
vpi_error_notify(void)
{
    vp_conn *conn = vpi_call_conn;
    vpi_call_conn = NULL;
    if (!conn)
        return;
    pthread_mutex_lock(&conn->error_func_lock);
    vp_error_func func = conn->error_func;
    void *opaque = conn->error_opaque;
    pthread_mutex_unlock(&conn->error_func_lock);
    if (!func)
        return;
    vp_error *err = vp_error_copy(vp_error_last());
    vpi_call_depth++;
    func(conn, err, opaque);
    vpi_call_depth--;
    error_store(err->code, vp_strdup(err->message));
    vp_error_free(err);
}
