/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * virtplug.h: the public application API of libvirtplug.
 *
 * This header is installed and is the whole contract between applications
 * and the library. It includes only system headers, and the parts of the
 * API after connections and domains from virtplug/virtplug-*.h (snapshots,
 * host power, plugins, guest agent, identity, runtime data, events, guest
 * clocks, consoles, domain configuration): include this header only; the parts refuse to be
 * included alone.
 *
 * Every function that can fail returns an int: >= 0 on success, a negative
 * VP_ERR_* code on failure, with a message in vp_error_last().
 * Out-parameters are named ret_* and are written only on success. Unless
 * stated otherwise, every function is safe to call from several threads at
 * once, also on the same vp_conn.
 *
 * The thread's error: every function that returns an int status (or a
 * pointer it looks up, such as vp_registry_plugin_dir()) resets the calling
 * thread's error when it starts, so vp_error_last() is NULL after it
 * succeeded and describes the failure after it failed. Functions that
 * cannot fail never touch it, so they are safe to call while reporting an
 * error: the getters of names and handles (vp_conn_get_uri,
 * vp_conn_get_driver_name, vp_domain_get_name, vp_domain_get_conn,
 * vp_snapshot_get_name, ...), the *_name() tables of codes and states,
 * vp_error_last, vp_error_copy, vp_error_free and every *_free function.
 *
 * Ownership: "(transfer none)" results belong to the library and live as
 * long as the object they came from (or, for the name tables, forever);
 * "(transfer full)" results belong to the caller, who frees them with the
 * function named beside them (free() for plain strings).
 *
 * Since: 1.0
 */
#ifndef VIRTPLUG_VIRTPLUG_H
#define VIRTPLUG_VIRTPLUG_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define VP_VERSION_MAJOR 1
#define VP_VERSION_MINOR 0
#define VP_VERSION_MICRO 0
#define VP_VERSION_STRING "1.0.0"

/* Error codes: always negative, so "ret < 0" tests for failure. */
enum {
    VP_OK = 0,
    VP_ERR_INTERNAL = -1,               /* a bug or an impossible state */
    VP_ERR_INVALID_ARG = -2,            /* an argument or URI is malformed */
    VP_ERR_NOT_SUPPORTED = -3,          /* the driver does not implement it */
    VP_ERR_NO_PLUGIN = -4,              /* the plugin for a URI is not installed */
    VP_ERR_PLUGIN_INVALID = -5,         /* a plugin file was refused */
    VP_ERR_NO_DOMAIN = -6,              /* no domain of that name */
    VP_ERR_NO_SNAPSHOT = -7,            /* no snapshot of that name */
    VP_ERR_XML = -8,                    /* XML that does not parse or validate */
    VP_ERR_OPERATION_INVALID = -9,      /* not valid in the object's current state */
    VP_ERR_OPERATION_IN_PROGRESS = -10, /* another operation holds the object */
    VP_ERR_TIMEOUT = -11,               /* a peer did not answer in time */
    VP_ERR_AGENT_UNRESPONSIVE = -12,    /* the guest agent did not answer */
    VP_ERR_SYSTEM = -13,                /* a system call failed; the message has errno text */
    VP_ERR_NO_URI_SCHEME = -14,         /* no driver is known for the URI's scheme */
    VP_ERR_EXISTS = -15,                /* an object of that name already exists */
    VP_ERR_PROTOCOL = -16,              /* a peer (QMP, agent) broke its protocol */
    VP_ERR_LAST = -17
};

typedef struct vp_conn vp_conn;
typedef struct vp_domain vp_domain;
typedef struct vp_snapshot vp_snapshot;

/* The calling thread's last error. message is never NULL in a returned
 * error; both stay valid until the thread's next virtplug call. */
typedef struct vp_error {
    int code;
    const char *message;
} vp_error;

/**
 * vp_error_last: the calling thread's last error, or NULL when the last
 * virtplug call on this thread succeeded. (transfer none)
 * Since: 1.0
 */
const vp_error *vp_error_last(void);

/**
 * vp_error_code_name: a stable name for an error code ("VP_ERR_NO_DOMAIN"),
 * or "VP_ERR_UNKNOWN". (transfer none)
 * Since: 1.0
 */
const char *vp_error_code_name(int code);

/**
 * vp_error_copy: a copy of @err (such as vp_error_last()) that stays valid
 * after the thread's next virtplug call and in any thread, until
 * vp_error_free(). NULL for NULL. (transfer full)
 * Since: 1.1
 */
vp_error *vp_error_copy(const vp_error *err);

/** vp_error_free: free a copy from vp_error_copy(). NULL-safe. Since: 1.1 */
void vp_error_free(vp_error *err);

/* ---- Connections ---------------------------------------------------- */

/**
 * vp_conn_open: open a connection to the driver the URI names.
 * @uri: a URI such as "test:///default" or "qemu:///embed?root=/dir"; NULL
 *       uses $VIRTPLUG_DEFAULT_URI, else "test:///default".
 * @flags: must be 0.
 * @ret_conn: (transfer full) the connection; close it with vp_conn_close().
 * Errors: VP_ERR_INVALID_ARG (malformed URI), VP_ERR_NO_URI_SCHEME,
 * VP_ERR_NO_PLUGIN, VP_ERR_PLUGIN_INVALID, or the driver's own error.
 * Since: 1.0
 */
int vp_conn_open(const char *uri, unsigned int flags, vp_conn **ret_conn);

/**
 * vp_conn_close: drop the caller's reference. Domains and snapshots obtained
 * from the connection keep it alive until they are freed. NULL-safe.
 * Since: 1.0
 */
void vp_conn_close(vp_conn *conn);

/** vp_conn_get_uri: the URI the connection was opened with. (transfer none) Since: 1.0 */
const char *vp_conn_get_uri(vp_conn *conn);

/** vp_conn_get_driver_name: "test", "qemu", ... (transfer none) Since: 1.0 */
const char *vp_conn_get_driver_name(vp_conn *conn);

/* vp_conn_get_domain_capabilities flags. */
#define VP_DOMAIN_CAPS_JSON (1u << 0) /* one JSON object instead of XML */

/**
 * vp_conn_get_domain_capabilities: what the connection's hypervisor driver
 * supports of domain XML (its domain types, OS types, architectures and
 * machines, and for each device kind the values it accepts), as libvirt's
 * <domainCapabilities> document, or as JSON with VP_DOMAIN_CAPS_JSON.
 * Definitions are checked against exactly this before the driver sees them.
 * @ret_caps: (transfer full) free(). Errors: VP_ERR_INVALID_ARG,
 * VP_ERR_PLUGIN_INVALID (the driver's table names what the model lacks).
 * Thread-safe. Since: 1.1
 */
int vp_conn_get_domain_capabilities(vp_conn *conn, unsigned int flags, char **ret_caps);

/** vp_conn_num_of_domains: the number of running domains, or an error. Since: 1.0 */
int vp_conn_num_of_domains(vp_conn *conn);

#define VP_LIST_DOMAINS_ACTIVE (1u << 0)
#define VP_LIST_DOMAINS_INACTIVE (1u << 1)

/**
 * vp_conn_list_domains: the domains of the connection, sorted by name.
 * @flags: VP_LIST_DOMAINS_ACTIVE | VP_LIST_DOMAINS_INACTIVE; 0 means all.
 * @ret_domains: (transfer full) a NULL-terminated array; free each with
 *               vp_domain_free() and the array with free(), or all at once
 *               with vp_domain_list_free().
 * Returns the count.
 * Since: 1.0
 */
int vp_conn_list_domains(vp_conn *conn, unsigned int flags, vp_domain ***ret_domains);

/** vp_domain_list_free: free a list from vp_conn_list_domains(). NULL-safe. Since: 1.0 */
void vp_domain_list_free(vp_domain **domains);

/* ---- Domains -------------------------------------------------------- */

enum {
    VP_DOMAIN_NOSTATE = 0,
    VP_DOMAIN_RUNNING = 1,
    VP_DOMAIN_BLOCKED = 2,
    VP_DOMAIN_PAUSED = 3,
    VP_DOMAIN_SHUTDOWN = 4,
    VP_DOMAIN_SHUTOFF = 5,
    VP_DOMAIN_CRASHED = 6,
    VP_DOMAIN_PMSUSPENDED = 7,
    VP_DOMAIN_LAST = 8
};

/* State reasons: libvirt's numbering, one enum per state. */
enum {
    VP_DOMAIN_RUNNING_UNKNOWN = 0,
    VP_DOMAIN_RUNNING_BOOTED = 1,
    VP_DOMAIN_RUNNING_FROM_SNAPSHOT = 4,
    VP_DOMAIN_RUNNING_UNPAUSED = 5,
    VP_DOMAIN_RUNNING_WAKEUP = 8
};
enum {
    VP_DOMAIN_PAUSED_UNKNOWN = 0,
    VP_DOMAIN_PAUSED_USER = 1,
    VP_DOMAIN_PAUSED_IOERROR = 5,
    VP_DOMAIN_PAUSED_FROM_SNAPSHOT = 7, /* since 1.1 */
    VP_DOMAIN_PAUSED_SNAPSHOT = 9,
    VP_DOMAIN_PAUSED_STARTING_UP = 11
};
enum { VP_DOMAIN_SHUTDOWN_UNKNOWN = 0, VP_DOMAIN_SHUTDOWN_USER = 1 };
enum {
    VP_DOMAIN_SHUTOFF_UNKNOWN = 0,
    VP_DOMAIN_SHUTOFF_SHUTDOWN = 1,
    VP_DOMAIN_SHUTOFF_DESTROYED = 2,
    VP_DOMAIN_SHUTOFF_CRASHED = 3,
    VP_DOMAIN_SHUTOFF_FAILED = 6,
    VP_DOMAIN_SHUTOFF_FROM_SNAPSHOT = 7 /* since 1.1 */
};
enum { VP_DOMAIN_CRASHED_UNKNOWN = 0, VP_DOMAIN_CRASHED_PANICKED = 1 };

/** vp_domain_state_name: "running", "shut off", ... as virsh prints them. Since: 1.0 */
const char *vp_domain_state_name(int state);

/** vp_domain_state_reason_name: "booted", "destroyed", ... for a state's reason. Since: 1.0 */
const char *vp_domain_state_reason_name(int state, int reason);

/**
 * vp_domain_lookup_by_name: find a domain.
 * @ret_dom: (transfer full) free with vp_domain_free().
 * Errors: VP_ERR_NO_DOMAIN ("no domain named 'x'").
 * Since: 1.0
 */
int vp_domain_lookup_by_name(vp_conn *conn, const char *name, vp_domain **ret_dom);

/**
 * vp_domain_define_xml: define (or, for an existing name with the same
 * uuid, redefine) a persistent domain from libvirt-style domain XML.
 * @ret_dom: (transfer full) (optional) the domain.
 * Errors: VP_ERR_XML naming the element and value, VP_ERR_EXISTS.
 * Since: 1.0
 */
int vp_domain_define_xml(vp_conn *conn, const char *xml, unsigned int flags, vp_domain **ret_dom);

/* Flags of vp_domain_undefine() (libvirt's values). Since: 1.1 */
/* Remove the domain's UEFI variable store too, wherever its <nvram> is. */
#define VP_DOMAIN_UNDEFINE_NVRAM (1u << 2)
/* Keep the domain's UEFI variable store. */
#define VP_DOMAIN_UNDEFINE_KEEP_NVRAM (1u << 3)

/**
 * vp_domain_undefine: remove an inactive domain's definition. A domain
 * that boots UEFI and whose variable store (its <nvram>, or the one the
 * driver made for it) exists is refused, as by libvirt, unless @flags
 * says what becomes of the store: VP_DOMAIN_UNDEFINE_NVRAM removes it,
 * VP_DOMAIN_UNDEFINE_KEEP_NVRAM keeps it (the two together are
 * VP_ERR_INVALID_ARG). Errors: VP_ERR_OPERATION_INVALID ("cannot undefine
 * domain with nvram ..."), VP_ERR_INVALID_ARG for flags the driver does
 * not know, and the driver's errors. Since: 1.0 (the flags since 1.1)
 */
int vp_domain_undefine(vp_domain *dom, unsigned int flags);
/** vp_domain_start: boot a defined, inactive domain (or restore its
 * managed-save image, and forget the image). @flags: 0 or
 * VP_DOMAIN_START_PAUSED (since 1.1) to start it paused. Since: 1.0 */
int vp_domain_start(vp_domain *dom, unsigned int flags);
/* Flags of vp_domain_shutdown(). */
enum {
    /* Wait until the domain is shut off (since 1.1). */
    VP_DOMAIN_SHUTDOWN_WAIT = 1u << 16
};
/**
 * vp_domain_shutdown: ask the guest to power off (the ACPI power button).
 * Returns once the request reached the guest, as libvirt's does (since
 * 1.1; 1.0 waited): the guest may take its time or ignore it, and
 * vp_domain_get_state() and the VP_DOMAIN_EVENT_STOPPED event tell when it
 * is off. How the guest is asked: VP_DOMAIN_SHUTDOWN_ACPI_POWER_BTN and
 * VP_DOMAIN_SHUTDOWN_GUEST_AGENT (since 1.1, <virtplug/virtplug-lifecycle.h>).
 * @flags may add VP_DOMAIN_SHUTDOWN_WAIT (since 1.1) to return only
 * once the domain is shut off, waiting at most the driver's shutdown
 * timeout (qemu: the URI parameter shutdown_timeout_ms, 60 s by default)
 * without holding the domain's lock, so other threads and processes read
 * its state and may destroy it meanwhile; vp_conn_cancel_jobs() ends the
 * wait. Errors: VP_ERR_OPERATION_INVALID (not running; paused on the test
 * driver; QEMU killed while waiting; the wait cancelled), VP_ERR_TIMEOUT
 * (the guest did not power off in time: destroy stops it).
 * Thread-safe. Since: 1.0
 */
int vp_domain_shutdown(vp_domain *dom, unsigned int flags);
/** vp_domain_destroy: stop the domain at once. @flags: 0 or
 * VP_DOMAIN_DESTROY_GRACEFUL (since 1.1: never forced; see there).
 * Since: 1.0 */
int vp_domain_destroy(vp_domain *dom, unsigned int flags);
/** vp_domain_suspend: pause a running domain's vCPUs. Since: 1.0 */
int vp_domain_suspend(vp_domain *dom, unsigned int flags);
/** vp_domain_resume: continue a paused domain. Since: 1.0 */
int vp_domain_resume(vp_domain *dom, unsigned int flags);

/**
 * vp_domain_get_state: the domain's VP_DOMAIN_* state and its reason.
 * @ret_reason: (optional) may be NULL.
 * Since: 1.0
 */
int vp_domain_get_state(vp_domain *dom, int *ret_state, int *ret_reason, unsigned int flags);

/** vp_domain_get_xml: the domain's XML; @flags 0, or VP_DOMAIN_XML_INACTIVE (since 1.1) for
 * the definition a running domain starts from next, and VP_DOMAIN_XML_SECURE (since 1.1) to
 * include the secrets (graphics passwd attributes), left out without it (since 1.1, as
 * libvirt). @ret_xml: (transfer full) free(). Thread-safe. Since: 1.0 */
int vp_domain_get_xml(vp_domain *dom, unsigned int flags, char **ret_xml);

/** vp_domain_get_name: (transfer none) valid while @dom lives. Since: 1.0 */
const char *vp_domain_get_name(vp_domain *dom);

/** vp_domain_get_conn: (transfer none) the connection @dom belongs to. Since: 1.0 */
vp_conn *vp_domain_get_conn(vp_domain *dom);

/** vp_domain_free: NULL-safe. Since: 1.0 */
void vp_domain_free(vp_domain *dom);

/* The rest of the API, one header per part (each needs what precedes it). */
#define VIRTPLUG_VIRTPLUG_H_INSIDE
#include <virtplug/virtplug-snapshots.h>
#include <virtplug/virtplug-host-power.h>
#include <virtplug/virtplug-plugins.h>
#include <virtplug/virtplug-guest-agent.h>
#include <virtplug/virtplug-identity.h>
#include <virtplug/virtplug-runtime-data.h>
#include <virtplug/virtplug-domain-events.h>
#include <virtplug/virtplug-guest-clocks.h>
#include <virtplug/virtplug-consoles.h>
#include <virtplug/virtplug-stats.h>
#include <virtplug/virtplug-lifecycle.h>
#include <virtplug/virtplug-domain-config.h>
#include <virtplug/virtplug-jobs.h>
#include <virtplug/virtplug-save.h>
#undef VIRTPLUG_VIRTPLUG_H_INSIDE

#ifdef __cplusplus
}
#endif

#endif /* VIRTPLUG_VIRTPLUG_H */
