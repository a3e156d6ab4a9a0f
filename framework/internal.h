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
#define VPI_ERROR_RESET() (vpi_error_code = 0)

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
};

struct vp_domain {
    vp_conn *conn; /* holds a reference */
    char *name;
};

struct vp_snapshot {
    vp_domain *dom; /* owned copy */
    char *name;
};

VPI_HIDDEN vp_conn *vpi_conn_ref(vp_conn *conn);
VPI_HIDDEN void vpi_conn_unref(vp_conn *conn);
VPI_HIDDEN vp_domain *vpi_domain_new(vp_conn *conn, const char *name);
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

/* What a file of mode @mode is, for a message: "a FIFO", "a directory". */
VPI_HIDDEN const char *vpi_file_kind(mode_t mode);

/* Call hv slot @slot of @conn, or fail with "not supported" naming @op. */
#define VPI_HV_SLOT(conn, slot, op)                                                                \
    do {                                                                                           \
        if (!(conn)->hv->slot)                                                                     \
            return vpi_not_supported((conn)->hv_plugin, (op));                                     \
    } while (0)

#endif /* VIRTPLUG_INTERNAL_H */
