/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * internal.h: what the core's files share and nothing else sees.
 *
 * The definitions of the public opaque objects, the per-thread error
 * setter, the debug macro, and the allocation helpers. Never installed;
 * plugins cannot include it (their local.mk never adds -Iframework).
 */
#ifndef VIRTPLUG_INTERNAL_H
#define VIRTPLUG_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <sys/types.h>

#include <virtplug/virtplug.h>
#include <virtplug/sdk/alloc.h>
#include <virtplug/sdk/driver.h>
#include <virtplug/sdk/plugin.h>
#include <virtplug/sdk/services.h>

#include "loader.h"
#include "uri.h"

#define VP_EXPORT __attribute__((visibility("default")))
#define VPI_HIDDEN __attribute__((visibility("hidden")))

/* Set the calling thread's error once, where the failure is detected. */
#define vp_error_set vp_plugin_error_set
#define vp_error_set_errno vp_plugin_error_set_errno
VPI_HIDDEN void vpi_error_reset(void);

/* The per-thread error slot: reset on entry to every public function. The
 * reset is a single store, so hot calls stay cheap. */
extern __thread int vpi_error_code;
/* The handle the current call of this thread goes through, for drivers
 * that check identity themselves (vp_plugin_call_domain_uuid): valid from
 * vpi_domain_check() until the next public call resets it. */
extern __thread bool vpi_call_handle_valid;
/* Public calls of this thread in progress (a public function may call
 * another), and the connection the outermost one goes through, once known:
 * when the outermost call ends with an error set, the connection's error
 * callback hears of it (vp_conn_set_error_func). */
extern __thread int vpi_call_depth;
extern __thread vp_conn *vpi_call_conn;
VPI_HIDDEN void vpi_error_notify(void);
static inline int
vpi_call_begin(void)
{
    vpi_error_code = 0;
    /* A call the outermost one makes keeps its handle (the driver still
     * matches the handle by name: vp_plugin_call_domain_uuid). */
    if (vpi_call_depth++ == 0) {
        vpi_call_conn = NULL;
        vpi_call_handle_valid = false;
    }
    return 0;
}
static inline void
vpi_call_end(int *guard)
{
    (void)guard;
    if (--vpi_call_depth == 0 && __builtin_expect(vpi_error_code != 0, 0))
        vpi_error_notify();
}
/* On entry to every public function that may fail: resets the thread's
 * error and, at the function's end (a cleanup), reports a failure. */
#define VPI_ERROR_RESET()                                                                          \
    __attribute__((cleanup(vpi_call_end), unused)) int vpi_call_guard_ = vpi_call_begin()
static inline void
vpi_call_on(vp_conn *conn)
{
    if (!vpi_call_conn)
        vpi_call_conn = conn;
}

/* A driver may recover from a failure it met on the way (a dead QEMU it
 * cleaned up) and still succeed: a public call that succeeds leaves no
 * error behind. */
static inline int
vpi_result(int r)
{
    if (r >= 0)
        vpi_error_code = 0;
    return r;
}

#define VP_DEBUG(area, ...) VP_PLUGIN_DEBUG(area, __VA_ARGS__)

/* Check a public argument; on failure set VP_ERR_INVALID_ARG naming it. */
#define vp_return_if_fail(expr, what)                                                              \
    do {                                                                                           \
        if (__builtin_expect(!(expr), 0))                                                          \
            return vp_error_set(VP_ERR_INVALID_ARG, "invalid argument: %s", (what));               \
    } while (0)
/* The same for the handle a call goes through, which names its connection. */
#define VPI_RETURN_IF_NO_CONN(conn)                                                                \
    do {                                                                                           \
        vp_return_if_fail(conn, "conn");                                                           \
        vpi_call_on(conn);                                                                         \
    } while (0)
#define VPI_RETURN_IF_NO_DOM(dom)                                                                  \
    do {                                                                                           \
        vp_return_if_fail(dom, "dom");                                                             \
        vpi_call_on((dom)->conn);                                                                  \
    } while (0)
#define VPI_RETURN_IF_NO_SNAP(snap)                                                                \
    do {                                                                                           \
        vp_return_if_fail(snap, "snap");                                                           \
        vpi_call_on((snap)->dom->conn);                                                            \
    } while (0)

struct vp_conn {
    atomic_int refs;
    char *uri_string;
    vpi_uri *uri;
    const vpi_plugin *hv_plugin;
    const vp_hypervisor_driver *hv; /* &hv_plugin->hypervisor: a core-sized copy */
    void *hv_priv;

    /* The host-power driver, opened on the first node-power call. */
    pthread_mutex_t hostpower_lock;
    const vpi_plugin *hp_plugin;
    void *hp_priv;

    /* Domain events (event.c): created with the connection. */
    struct vp_plugin_event_sink *events;

    /* vp_conn_set_error_func (error.c), under error_func_lock. */
    pthread_mutex_t error_func_lock;
    vp_error_func error_func;
    void *error_opaque;
};

struct vp_domain {
    vp_conn *conn; /* holds a reference */
    char *name;
    bool has_uuid;          /* false for drivers without domain_get_uuid */
    unsigned char uuid[16]; /* the domain the handle was made for */
    /* The driver's conn_get_generation when the name last named @uuid;
     * 0: check at the next call. */
    _Atomic uint64_t checked_generation;
};

struct vp_snapshot {
    vp_domain *dom; /* owned copy */
    char *name;
};

/* util/clock.c: the monotonic clock in milliseconds, and a sleep on it
 * (interrupted early by a signal, which every caller's loop tolerates). */
VPI_HIDDEN int64_t vpi_mono_ms(void);
VPI_HIDDEN void vpi_sleep_ms(int ms);

/* util/kv-file.c: the key=value record format without the file, for
 * vp_plugin_kv_read/write and the fuzzer. @name names the record in
 * messages; @text holds @size bytes and a NUL after them. */
VPI_HIDDEN int vpi_kv_parse(const char *name, const char *text, size_t size, char ***ret_pairs);
VPI_HIDDEN int vpi_kv_format(const char *name, const char *const *pairs, char **ret_text);

VPI_HIDDEN vp_conn *vpi_conn_ref(vp_conn *conn);
VPI_HIDDEN void vpi_conn_unref(vp_conn *conn);
VPI_HIDDEN vp_domain *vpi_domain_new(vp_conn *conn, const char *name);
/* A handle for @name bound to its current UUID (when the driver has UUIDs);
 * VP_ERR_NO_DOMAIN when it is gone. */
VPI_HIDDEN int vpi_domain_make(vp_conn *conn, const char *name, vp_domain **ret_dom);
/* A new handle for the same domain as @dom, bound to the same UUID. */
VPI_HIDDEN vp_domain *vpi_domain_copy(const vp_domain *dom);
/* The slow half of vpi_domain_check(): ask the driver. */
VPI_HIDDEN int vpi_domain_verify(vp_domain *dom, uint64_t generation);
/* Make @dom the handle of the current call (vpi_call_handle_valid). */
VPI_HIDDEN void vpi_call_handle_set(const vp_domain *dom);

/* Whether @dom's name still names the domain the handle was made for
 * (virtplug.h, "Identity"): 0, or VP_ERR_NO_DOMAIN with the message. When
 * the driver's generation did not move since the last check, this is one
 * indirect call and a compare. */
static inline int
vpi_domain_check(vp_domain *dom)
{
    if (!dom->has_uuid)
        return 0;
    const vp_hypervisor_driver *hv = dom->conn->hv;
    uint64_t gen = hv->conn_get_generation ? hv->conn_get_generation(dom->conn->hv_priv) : 0;
    if (__builtin_expect(gen == VP_PLUGIN_GENERATION_CHECKED_BY_DRIVER, 0)) {
        vpi_call_handle_set(dom);
        return 0;
    }
    if (__builtin_expect(
            gen != 0 && gen == atomic_load_explicit(&dom->checked_generation, memory_order_relaxed),
            1))
        return 0;
    return vpi_domain_verify(dom, gen);
}

/* Return from a public call when @dom is stale. */
#define VPI_DOMAIN_CHECK(dom)                                                                      \
    do {                                                                                           \
        int vpi_check_r_ = vpi_domain_check(dom);                                                  \
        if (vpi_check_r_ < 0)                                                                      \
            return vpi_check_r_;                                                                   \
    } while (0)
VPI_HIDDEN int vpi_not_supported(const vpi_plugin *plugin, const char *operation);

/* A slot of @plugin failed with @r: when it set no error (or returned
 * something that is no VP_ERR_* code), set one naming the driver, the
 * operation and the code, so a caller never sees a failure without a
 * message. Returns the code to pass up. */
VPI_HIDDEN int vpi_slot_failed(const vpi_plugin *plugin, const char *operation, int r);

/* What a slot returned, as the core passes it up: @r itself on success. */
static inline int
vpi_slot_result(const vpi_plugin *plugin, const char *operation, int r)
{
    return r < 0 ? vpi_slot_failed(plugin, operation, r) : r;
}

/* The host-power driver of a connection, opened on first use. */
VPI_HIDDEN int vpi_conn_get_hostpower(vp_conn *conn, const vpi_plugin **ret_plugin,
                                      void **ret_priv);

/* caps.c: the driver's capability table from its descriptor (NULL for a
 * plugin built before ABI 1.1), and the define path that checks against it. */
VPI_HIDDEN const vp_plugin_domain_cap *vpi_plugin_domain_caps(const vpi_plugin *plugin);
VPI_HIDDEN int vpi_conn_define(vp_conn *conn, const char *xml, unsigned int flags, char **ret_name);
/* vpi_conn_define for vp_domain_create_xml: the create slots. */
VPI_HIDDEN int vpi_conn_create(vp_conn *conn, const char *xml, unsigned int flags, char **ret_name);
struct vp_domain_def;
/* Parse a definition @xml the connection's driver formatted, as its define
 * would read it (with its capabilities, or the 1.0 subset for a driver
 * without a table). @ret_def: vp_plugin_domain_def_free(). */
VPI_HIDDEN int vpi_conn_parse(vp_conn *conn, const char *xml, struct vp_domain_def **ret_def);
struct vpi_domain_model;
/* Whether the connection's driver has a capability table that checks
 * something (the remote driver's checks nothing: its far core does). */
VPI_HIDDEN bool vpi_conn_checks_caps(vp_conn *conn);
/* @xml parsed into the model, checked against the driver's capability
 * table (vpi_conn_checks_caps). */
VPI_HIDDEN int vpi_conn_parse_model(vp_conn *conn, const char *xml,
                                    struct vpi_domain_model **ret_model);
/* @xml, the connection's driver's domain XML, without its secrets (the
 * graphics passwords), as the XML module formats it from the model read
 * with the driver's capabilities. @ret_xml: a new string (transfer full). */
VPI_HIDDEN int vpi_conn_hide_secrets(vp_conn *conn, const char *xml, char **ret_xml);

/* What a file of mode @mode is, for a message: "a FIFO", "a directory". */
VPI_HIDDEN const char *vpi_file_kind(mode_t mode);

/* Call hv slot @slot of @conn, or fail with "not supported" naming @op. */
#define VPI_HV_SLOT(conn, slot, op)                                                                \
    do {                                                                                           \
        vpi_call_on(conn);                                                                         \
        if (!(conn)->hv->slot)                                                                     \
            return vpi_not_supported((conn)->hv_plugin, (op));                                     \
    } while (0)

/* domain-save.c: the argument checks the save calls share: a path given,
 * and save flags (VP_DOMAIN_SAVE_RUNNING or _PAUSED, not both); 0 or
 * VP_ERR_INVALID_ARG naming @fn. */
int vpi_save_check_path(const char *fn, const char *path);
int vpi_save_check_flags(const char *fn, unsigned int flags);

#endif /* VIRTPLUG_INTERNAL_H */
