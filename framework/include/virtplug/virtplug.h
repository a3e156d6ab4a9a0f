/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * virtplug.h: the public application API of libvirtplug.
 *
 * This header is installed and is the whole contract between applications
 * and the library. It includes only system headers. Every function that can
 * fail returns an int: >= 0 on success, a negative VP_ERR_* code on failure,
 * with a message in vp_error_last(). Out-parameters are named ret_* and are
 * written only on success. Unless stated otherwise, every function is safe
 * to call from several threads at once, also on the same vp_conn.
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

/** vp_domain_undefine: remove an inactive domain's definition. Since: 1.0 */
int vp_domain_undefine(vp_domain *dom, unsigned int flags);
/** vp_domain_start: boot a defined, inactive domain. Since: 1.0 */
int vp_domain_start(vp_domain *dom, unsigned int flags);
/** vp_domain_shutdown: ask the guest to power off (ACPI). Since: 1.0 */
int vp_domain_shutdown(vp_domain *dom, unsigned int flags);
/** vp_domain_destroy: stop the domain at once. Since: 1.0 */
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

/** vp_domain_get_xml: the domain's XML. @ret_xml: (transfer full) free(). Since: 1.0 */
int vp_domain_get_xml(vp_domain *dom, unsigned int flags, char **ret_xml);

/** vp_domain_get_name: (transfer none) valid while @dom lives. Since: 1.0 */
const char *vp_domain_get_name(vp_domain *dom);

/** vp_domain_get_conn: (transfer none) the connection @dom belongs to. Since: 1.0 */
vp_conn *vp_domain_get_conn(vp_domain *dom);

/** vp_domain_free: NULL-safe. Since: 1.0 */
void vp_domain_free(vp_domain *dom);

/* ---- Snapshots ------------------------------------------------------ */

/* Store the <domainsnapshot> record given (as a driver wrote it: name,
 * creationTime, state, parent, disks) without taking anything: libvirt's
 * --redefine, to import records or change one's description. Since: 1.1 */
#define VP_SNAPSHOT_CREATE_REDEFINE (1u << 0) /* libvirt's value */
/* With VP_SNAPSHOT_CREATE_REDEFINE only: make it the current snapshot.
 * Since: 1.1 */
#define VP_SNAPSHOT_CREATE_CURRENT (1u << 1)   /* libvirt's value */
#define VP_SNAPSHOT_CREATE_DISK_ONLY (1u << 4) /* libvirt's value */
#define VP_SNAPSHOT_CREATE_QUIESCE (1u << 6)   /* libvirt's value */
#define VP_SNAPSHOT_DELETE_OVERLAYS                                                                \
    (1u << 0) /* also delete an external snapshot's overlay files                                  \
               */

/**
 * vp_snapshot_create_xml: take a snapshot described by <domainsnapshot> XML
 * (NULL or "" lets the driver choose a name and every disk).
 * @flags: VP_SNAPSHOT_CREATE_DISK_ONLY, VP_SNAPSHOT_CREATE_QUIESCE; or
 * (since 1.1) VP_SNAPSHOT_CREATE_REDEFINE, with VP_SNAPSHOT_CREATE_CURRENT,
 * to store a record: it must have a <name>, its <parent> must exist and
 * must not be the snapshot itself or one of its descendants; a record of
 * the same name is replaced.
 * @ret_snap: (transfer full) (optional).
 * Errors: VP_ERR_OPERATION_INVALID (quiesce on a domain that is not
 * running), VP_ERR_AGENT_UNRESPONSIVE, VP_ERR_TIMEOUT, VP_ERR_XML,
 * VP_ERR_INVALID_ARG (CURRENT without REDEFINE, a bad <parent>).
 * Since: 1.0
 */
int vp_snapshot_create_xml(vp_domain *dom, const char *xml, unsigned int flags,
                           vp_snapshot **ret_snap);

/** vp_snapshot_list: NULL-terminated, sorted by creation; returns the count. Since: 1.0 */
int vp_snapshot_list(vp_domain *dom, unsigned int flags, vp_snapshot ***ret_snaps);
/** vp_snapshot_list_free: free a list from vp_snapshot_list(). NULL-safe. Since: 1.0 */
void vp_snapshot_list_free(vp_snapshot **snaps);
/** vp_snapshot_lookup_by_name: Errors: VP_ERR_NO_SNAPSHOT. Since: 1.0 */
int vp_snapshot_lookup_by_name(vp_domain *dom, const char *name, unsigned int flags,
                               vp_snapshot **ret_snap);
/* Remove only the snapshot's record: images, overlays and data stay as they
 * are (libvirt's value and meaning). Since: 1.0 */
#define VP_SNAPSHOT_DELETE_METADATA_ONLY (1u << 1)
/**
 * vp_snapshot_delete: delete a snapshot. Without flags, as libvirt does:
 * an internal snapshot leaves its images; an external (disk-only) one is
 * merged: each overlay it created is folded into the image below it and
 * removed, for running, paused and shut-off domains, so the chain shrinks.
 * A merge is refused when another domain or snapshot still uses the image
 * below (a shared base), saying so.
 * @flags: VP_SNAPSHOT_DELETE_METADATA_ONLY (the record only) or
 * VP_SNAPSHOT_DELETE_OVERLAYS (the record and the overlay files, without
 * merging, only when nothing uses them).
 * Errors: VP_ERR_NO_SNAPSHOT, VP_ERR_OPERATION_INVALID, VP_ERR_INVALID_ARG.
 * Since: 1.0
 */
int vp_snapshot_delete(vp_snapshot *snap, unsigned int flags);
/** vp_snapshot_get_xml: (transfer full) free() the XML. Since: 1.0 */
int vp_snapshot_get_xml(vp_snapshot *snap, unsigned int flags, char **ret_xml);
/** vp_snapshot_get_name: (transfer none). Since: 1.0 */
const char *vp_snapshot_get_name(vp_snapshot *snap);
/** vp_snapshot_free: NULL-safe. Since: 1.0 */
void vp_snapshot_free(vp_snapshot *snap);

/* The snapshot tree (since 1.1). Each snapshot records its parent: the
 * domain's current snapshot when it was taken. A new snapshot becomes the
 * current one; deleting a snapshot gives its children its parent (libvirt's
 * rule) and, if it was current, makes its parent current. Drivers built for
 * ABI 1.0 keep no current snapshot: the calls that need one answer
 * VP_ERR_NOT_SUPPORTED naming the operation. */

/**
 * vp_snapshot_current: the domain's current snapshot.
 * @flags: 0.
 * @ret_snap: (transfer full) vp_snapshot_free().
 * Errors: VP_ERR_NO_SNAPSHOT "domain 'x' has no current snapshot",
 * VP_ERR_NO_DOMAIN, VP_ERR_NOT_SUPPORTED ('domain-snapshot-current').
 * Thread-safe. Since: 1.1
 */
int vp_snapshot_current(vp_domain *dom, unsigned int flags, vp_snapshot **ret_snap);
/**
 * vp_snapshot_is_current: whether @snap is its domain's current snapshot.
 * @flags: 0.
 * Returns 1 if it is, 0 if it is not (also when the domain has no current
 * snapshot), or a negative VP_ERR_*: VP_ERR_NO_SNAPSHOT (it no longer
 * exists), VP_ERR_NO_DOMAIN, VP_ERR_NOT_SUPPORTED
 * ('domain-snapshot-is-current'). Thread-safe. Since: 1.1
 */
int vp_snapshot_is_current(vp_snapshot *snap, unsigned int flags);
/**
 * vp_snapshot_get_parent: the snapshot @snap was taken on top of, read from
 * its record's <parent>.
 * @flags: 0.
 * @ret_parent: (transfer full) vp_snapshot_free().
 * Errors: VP_ERR_NO_SNAPSHOT "snapshot 'x' has no parent" for a root (and
 * when @snap no longer exists), VP_ERR_NO_DOMAIN, VP_ERR_XML. Thread-safe.
 * Since: 1.1
 */
int vp_snapshot_get_parent(vp_snapshot *snap, unsigned int flags, vp_snapshot **ret_parent);
/* vp_snapshot_list_children flag: all descendants, not only the children
 * (libvirt's value). Since: 1.1 */
#define VP_SNAPSHOT_LIST_DESCENDANTS (1u << 0)
/**
 * vp_snapshot_list_children: the snapshots whose parent is @snap (with
 * VP_SNAPSHOT_LIST_DESCENDANTS, their children too, and so on), in the
 * order of vp_snapshot_list(); NULL-terminated; returns the count.
 * @ret_snaps: (transfer full) vp_snapshot_list_free().
 * Errors: VP_ERR_NO_SNAPSHOT, VP_ERR_NO_DOMAIN, VP_ERR_INVALID_ARG for
 * unknown @flags, VP_ERR_XML. Thread-safe. Since: 1.1
 */
int vp_snapshot_list_children(vp_snapshot *snap, unsigned int flags, vp_snapshot ***ret_snaps);

/* vp_snapshot_revert flags (libvirt's values). Since: 1.1 */
#define VP_SNAPSHOT_REVERT_RUNNING (1u << 0) /* run the domain afterwards */
#define VP_SNAPSHOT_REVERT_PAUSED (1u << 1)  /* leave it paused afterwards */
#define VP_SNAPSHOT_REVERT_FORCE (1u << 2)   /* allow the risky cases */
/**
 * vp_snapshot_revert: bring @snap's domain back to @snap, as libvirt's
 * virDomainRevertToSnapshot does. The domain's disks (and, for a snapshot
 * with memory, its memory) become what they were when @snap was taken;
 * what the domain held since is discarded unless another snapshot keeps
 * it. Afterwards @snap is the current snapshot, and the next snapshot is
 * its child (the tree branches).
 * The domain ends in the state @snap recorded: running or paused for a
 * snapshot with memory; shut off for a disk-only or shut-off snapshot (a
 * running domain is stopped). VP_SNAPSHOT_REVERT_RUNNING or _PAUSED start
 * (or keep) it running or paused instead. Reverting a running or paused
 * domain to a snapshot without memory while asking it to run or pause
 * again restarts the guest: that needs VP_SNAPSHOT_REVERT_FORCE.
 * @flags: VP_SNAPSHOT_REVERT_RUNNING or VP_SNAPSHOT_REVERT_PAUSED (not
 * both), VP_SNAPSHOT_REVERT_FORCE.
 * Errors: VP_ERR_INVALID_ARG (both RUNNING and PAUSED, unknown flags),
 * VP_ERR_NO_SNAPSHOT, VP_ERR_NO_DOMAIN, VP_ERR_OPERATION_INVALID (a
 * restart without FORCE; what the driver cannot revert, saying what to
 * do), VP_ERR_NOT_SUPPORTED ('domain-snapshot-revert'). Thread-safe.
 * Since: 1.1
 */
int vp_snapshot_revert(vp_snapshot *snap, unsigned int flags);

/* ---- Host power ----------------------------------------------------- */

enum {
    VP_NODE_SUSPEND_TARGET_MEM = 0,
    VP_NODE_SUSPEND_TARGET_DISK = 1,
    VP_NODE_SUSPEND_TARGET_HYBRID = 2,
    /* Suspend to RAM, and hibernate if still asleep after the OS's own
     * delay (systemd's HibernateDelaySec=): the wake alarm of the
     * duration still wakes the host if it comes first. Since: 1.1 */
    VP_NODE_SUSPEND_TARGET_SUSPEND_THEN_HIBERNATE = 3,
    /* One past the last target this header knows; a later library may
     * know more, so size arrays by it only for names this header has. */
    VP_NODE_SUSPEND_TARGET_LAST = 4
};

/* Suspend without arming a wake alarm; required for duration 0. */
#define VP_NODE_SUSPEND_NO_WAKEUP (1u << 0)
/* What happens to the connection's running domains (since 1.1); without
 * either flag, the key 'guests' of hostpower.conf decides (default none).
 * PAUSE: pause them before the host sleeps; after it resumed (or the
 * attempt failed, or was cancelled) resume the ones it paused and set their
 * clocks from the host's. NONE: leave them alone. */
#define VP_NODE_SUSPEND_GUESTS_PAUSE (1u << 1)
#define VP_NODE_SUSPEND_GUESTS_NONE (1u << 2)
/* With the pause policy: a domain that cannot be paused fails the request
 * (the ones already paused are resumed) instead of being named in the
 * outcome while the host suspends anyway. Since: 1.1 */
#define VP_NODE_SUSPEND_GUESTS_STRICT (1u << 3)

/* The shortest timed suspend: freezing tasks alone may take 20 s. */
#define VP_NODE_SUSPEND_MIN_DURATION_S 60

enum {
    VP_NODE_SUSPEND_NONE = 0,       /* no suspend was ever requested */
    VP_NODE_SUSPEND_PENDING = 1,    /* armed, waiting for the delay to end */
    VP_NODE_SUSPEND_SUSPENDING = 2, /* the suspend command runs; the host sleeps */
    VP_NODE_SUSPEND_RESUMED = 3,    /* the host slept and woke again */
    VP_NODE_SUSPEND_FAILED = 4,     /* see error_code and error_message */
    VP_NODE_SUSPEND_CANCELLED = 5,  /* cancelled during the delay */
    VP_NODE_SUSPEND_ABANDONED = 6,  /* the requesting process exited before the outcome */
    VP_NODE_SUSPEND_REQUESTED = 7,  /* the OS accepted the request; it cannot tell when it slept */
    VP_NODE_SUSPEND_STATE_LAST = 8
};

/**
 * vp_node_suspend_result: the outcome of the last suspend request on this
 * host. The caller sets @size to sizeof(vp_node_suspend_result) before the
 * call; fields past @size are not written. Times are microseconds since the
 * Unix epoch, 0 when not reached or not known.
 * The struct only grows at its end, so a program built against an older
 * header keeps working: it passes its smaller @size and gets the fields it
 * knows. A program that reads a field appended later should zero the
 * struct before the call, so that a library which predates the field
 * leaves it 0 ("not known").
 * Since: 1.0
 */
typedef struct vp_node_suspend_result {
    uint32_t size;
    int32_t state;   /* VP_NODE_SUSPEND_NONE ... */
    uint32_t target; /* VP_NODE_SUSPEND_TARGET_* */
    uint32_t flags;  /* the flags of the request */
    uint64_t duration_s;
    int64_t requested_us;    /* when the API was called */
    int64_t started_us;      /* when the suspend command started */
    int64_t ended_us;        /* when it returned (resumed, failed) or was cancelled */
    int64_t wake_at_us;      /* when the wake alarm fires, 0 without one */
    int64_t pid;             /* the process that requested it */
    int32_t error_code;      /* VP_ERR_* for FAILED, else 0 */
    char driver[32];         /* the host-power driver, "test", "hostpower-linux" */
    char error_message[512]; /* for FAILED, else "" */
    /* Appended fields: keep them after error_message, in this order. */
    int64_t suspend_at_us; /* when the delay ends and the suspend command starts:
                              requested_us + the driver's suspend_delay_ms; 0 when
                              not known (a record written before this field) */
    /* Since 1.1: the guests (vp_node_get_suspend_guests() lists them). */
    uint32_t guests;           /* the policy applied: VP_NODE_SUSPEND_GUESTS_PAUSE or 0 (none) */
    uint32_t guests_state;     /* VP_NODE_SUSPEND_GUESTS_STATE_* */
    uint32_t n_guests;         /* the domains the outcome names */
    uint32_t n_guest_failures; /* of those, the ones with a step that failed */
} vp_node_suspend_result;

/* vp_node_suspend_result.guests_state. Since: 1.1 */
enum {
    VP_NODE_SUSPEND_GUESTS_STATE_NONE = 0,      /* nothing done to the guests (policy none) */
    VP_NODE_SUSPEND_GUESTS_STATE_PREPARING = 1, /* pausing them */
    VP_NODE_SUSPEND_GUESTS_STATE_PREPARED = 2,  /* paused; to be resumed after the host */
    VP_NODE_SUSPEND_GUESTS_STATE_RESTORED = 3,  /* resumed (or tried to) and clocks set */
    VP_NODE_SUSPEND_GUESTS_STATE_LAST = 4
};

/* What was done to one domain around a host suspend: bits of
 * vp_node_suspend_guest.done. Since: 1.1 */
enum {
    VP_NODE_SUSPEND_GUEST_PAUSED = 1u << 0,       /* paused before the host slept */
    VP_NODE_SUSPEND_GUEST_WAS_PAUSED = 1u << 1,   /* already paused: left alone, stays paused */
    VP_NODE_SUSPEND_GUEST_PAUSE_FAILED = 1u << 2, /* could not be paused (see message) */
    VP_NODE_SUSPEND_GUEST_RESUMED = 1u << 3,      /* resumed after the host */
    VP_NODE_SUSPEND_GUEST_RESUME_FAILED = 1u << 4,
    VP_NODE_SUSPEND_GUEST_CLOCK_SET = 1u << 5,             /* its clock was set from the host's */
    VP_NODE_SUSPEND_GUEST_CLOCK_NOT_SET = 1u << 6,         /* message says why (no agent, ...) */
    VP_NODE_SUSPEND_GUEST_RTC_REINJECTION_RESET = 1u << 7, /* QEMU's rtc-reset-reinjection */
    VP_NODE_SUSPEND_GUEST_LAST = 1u << 8
};

/**
 * vp_node_suspend_guest: one domain of the last suspend request's outcome.
 * Allocated by the library (it only grows at its end): never allocate or
 * copy one yourself.
 * Since: 1.1
 */
typedef struct vp_node_suspend_guest {
    char *name;        /* the domain */
    unsigned int done; /* VP_NODE_SUSPEND_GUEST_* bits */
    int error_code;    /* 0, or the VP_ERR_* of the step that failed */
    char *message;     /* NULL, or why: a failure, or why the clock was not set */
} vp_node_suspend_guest;

/** vp_node_suspend_guest_action_name: "paused", "was-paused", "pause-failed",
 * "resumed", "resume-failed", "clock-set", "clock-not-set",
 * "rtc-reinjection-reset" for one VP_NODE_SUSPEND_GUEST_* bit, or NULL.
 * (transfer none) Since: 1.1 */
const char *vp_node_suspend_guest_action_name(unsigned int bit);

/** vp_node_suspend_guests_state_name: "none", "preparing", "prepared",
 * "restored", or NULL. (transfer none) Since: 1.1 */
const char *vp_node_suspend_guests_state_name(unsigned int state);

/**
 * vp_node_get_suspend_guests: the domains named by the last suspend
 * request's outcome on this host (read from the outcome record, so also
 * from another process), in the order the driver handled them.
 * A request whose process died between pausing and resuming the guests
 * (outcome "abandoned", guests_state "preparing" or "prepared") is repaired
 * first when @conn reaches the same hypervisor (same URI): its guests are
 * resumed and their clocks set, and the outcome says so. The same repair
 * runs from vp_node_get_suspend_result() and vp_node_suspend_for_duration().
 * @flags: must be 0.
 * @ret_guests: (transfer full) NULL-terminated; vp_node_suspend_guests_free().
 * Returns the count.
 * Errors: VP_ERR_INVALID_ARG, VP_ERR_SYSTEM (the record cannot be read).
 * Thread-safe. Since: 1.1
 */
int vp_node_get_suspend_guests(vp_conn *conn, unsigned int flags,
                               vp_node_suspend_guest ***ret_guests);

/** vp_node_suspend_guests_free: NULL-safe. Since: 1.1 */
void vp_node_suspend_guests_free(vp_node_suspend_guest **guests);

/** vp_node_suspend_state_name: "pending", "resumed", ... Since: 1.0 */
const char *vp_node_suspend_state_name(int state);

/** vp_node_suspend_target_name: "mem", "disk", "hybrid",
 * "suspend-then-hibernate" (since 1.1), or NULL. Since: 1.0 */
const char *vp_node_suspend_target_name(unsigned int target);

/**
 * vp_node_suspend_for_duration: arm a wake alarm @duration_s from now and
 * suspend the host to @target after a short delay, in a thread of this
 * process. Returns once the request is armed; the outcome is read with
 * vp_node_get_suspend_result().
 * With the pause policy (VP_NODE_SUSPEND_GUESTS_PAUSE, or 'guests = pause'
 * in hostpower.conf) the thread pauses @conn's running domains when the
 * delay ends and resumes them after the host (docs/hostpower.md); the
 * domains are listed by vp_node_get_suspend_guests() (since 1.1).
 * Errors: VP_ERR_INVALID_ARG (duration under 60 s, 0 without
 * VP_NODE_SUSPEND_NO_WAKEUP, unknown target or flags, conflicting guests
 * flags, a bad 'guests' value in hostpower.conf), VP_ERR_NOT_SUPPORTED
 * (target the host cannot do), VP_ERR_OPERATION_IN_PROGRESS (another
 * suspend on this host), or the driver's error arming the alarm.
 * Since: 1.0
 */
int vp_node_suspend_for_duration(vp_conn *conn, unsigned int target, unsigned long long duration_s,
                                 unsigned int flags);

/** vp_node_get_suspend_capabilities: bit (1 << target) for each target the host can do. Since: 1.0
 */
int vp_node_get_suspend_capabilities(vp_conn *conn, unsigned int *ret_targets);

/** vp_node_get_suspend_result: the last request's outcome; see the struct. Since: 1.0 */
int vp_node_get_suspend_result(vp_conn *conn, vp_node_suspend_result *ret_result);

/**
 * vp_node_suspend_cancel: stop a suspend of this process that is still in
 * its delay (or pausing its guests: they are resumed), and clear its wake
 * alarm.
 * Errors: VP_ERR_OPERATION_INVALID when none is pending (or it already
 * started suspending).
 * Since: 1.0
 */
int vp_node_suspend_cancel(vp_conn *conn, unsigned int flags);

/**
 * vp_node_suspend_wait: block until this process's suspend request reaches
 * a final state, or @timeout_ms passes (-1: no limit).
 * Errors: VP_ERR_TIMEOUT, VP_ERR_OPERATION_INVALID (none was started here).
 * Since: 1.0
 */
int vp_node_suspend_wait(vp_conn *conn, int timeout_ms);

/* ---- Plugins ---------------------------------------------------------- */

#define VP_PLUGIN_KIND_HYPERVISOR (1u << 0)
#define VP_PLUGIN_KIND_HOSTPOWER (1u << 1)

/**
 * vp_registry_entry: what the core knows of one plugin. A plugin that was
 * refused still has an entry: error_code and error_message say why.
 * Since: 1.0
 */
typedef struct vp_registry_entry {
    char *name;
    char *path; /* NULL for a driver built into the library */
    char *version;
    char *license;
    char *description;
    char *package;
    unsigned int abi_major;
    unsigned int abi_minor;
    unsigned int kinds;  /* VP_PLUGIN_KIND_* */
    int error_code;      /* 0, or the VP_ERR_* that refused it */
    char *error_message; /* NULL, or why it was refused */
    /* Which vtable slots the plugin fills, for the conformance kit: bit i
     * is slot i in declaration order (name it with vp_registry_slot_name()).
     * Only this core's slots count: n_*_slots of them. 0 for a refused plugin. */
    uint64_t hypervisor_slots;
    uint64_t hostpower_slots;
    unsigned int n_hypervisor_slots;
    unsigned int n_hostpower_slots;
} vp_registry_entry;

/**
 * vp_registry_list: the built-in drivers, then every NAME.so in the plugin
 * directory (loaded and checked), sorted by name.
 * @ret_entries: (transfer full) NULL-terminated; vp_registry_list_free().
 * Returns the count.
 * Since: 1.0
 */
int vp_registry_list(unsigned int flags, vp_registry_entry ***ret_entries);

/**
 * vp_registry_load_file: load and check the plugin file @path (absolute),
 * with the checks the loader applies to the plugin directory.
 * @ret_entry: (transfer full) vp_registry_entry_free(); written also when
 * the plugin was refused (then the call returns its error).
 * Since: 1.0
 */
int vp_registry_load_file(const char *path, unsigned int flags, vp_registry_entry **ret_entry);

/**
 * vp_registry_get: the plugin @name as vp_conn_open() finds it: built in,
 * or NAME.so of the plugin directory, loaded and checked.
 * @ret_entry: (transfer full) vp_registry_entry_free(); written also when
 * the plugin was refused or is missing (then the call returns its error).
 * Errors: VP_ERR_INVALID_ARG, VP_ERR_NO_PLUGIN, VP_ERR_PLUGIN_INVALID.
 * Since: 1.0
 */
int vp_registry_get(const char *name, unsigned int flags, vp_registry_entry **ret_entry);

/**
 * vp_registry_call_fini: call the fini function of the loaded plugin @name,
 * for test kits only (virtplug-plugin-check): the core itself never calls
 * it, and the plugin must not be used afterwards in this process.
 * Returns 1 when fini was called, 0 when the plugin has none.
 * Errors: those of vp_registry_get().
 * Since: 1.0
 */
int vp_registry_call_fini(const char *name, unsigned int flags);

/** vp_registry_plugin_dir: $VIRTPLUG_PLUGIN_DIR or the compiled-in directory.
 * (transfer none) Since: 1.0 */
const char *vp_registry_plugin_dir(void);

/**
 * vp_registry_slot_name: the operation name of slot @slot of the vtable of
 * @kind (VP_PLUGIN_KIND_HYPERVISOR or _HOSTPOWER), as the core names it in
 * "driver 'x' does not implement 'domain-start'"; NULL past the last slot.
 * (transfer none)
 * Since: 1.0
 */
const char *vp_registry_slot_name(unsigned int kind, unsigned int slot);

/** vp_registry_entry_free: NULL-safe. Since: 1.0 */
void vp_registry_entry_free(vp_registry_entry *entry);
/** vp_registry_list_free: NULL-safe. Since: 1.0 */
void vp_registry_list_free(vp_registry_entry **entries);

/* ---- Guest agent ------------------------------------------------------ */

/**
 * vp_domain_get_guest_info: what the running domain's guest agent reports,
 * as virsh guestinfo shows it: one JSON object with "info" (guest-info:
 * agent version, supported commands), "osinfo" (guest-get-osinfo, when the
 * agent has it) and "fsinfo" (guest-get-fsinfo, when the agent has it).
 * @flags: must be 0.
 * @ret_json: (transfer full) free().
 * Errors: VP_ERR_OPERATION_INVALID (not running), VP_ERR_NOT_SUPPORTED (no
 * agent channel, or a driver without agents), VP_ERR_AGENT_UNRESPONSIVE (the
 * agent did not answer in time).
 * Since: 1.0
 */
int vp_domain_get_guest_info(vp_domain *dom, unsigned int flags, char **ret_json);

/* ---- Identity (since 1.1) ---------------------------------------------- */

/* A UUID as text: 36 characters and the terminating NUL. */
#define VP_UUID_STRING_BUFLEN 37

/*
 * A vp_domain handle is bound to the domain it was made for: the UUID the
 * domain had when the handle was looked up (by name, UUID or ID), listed or
 * defined. Every call through the handle checks that its name still names
 * that domain; when the domain was undefined and another one defined under
 * the same name, the call fails with VP_ERR_NO_DOMAIN "domain 'x' was
 * undefined and redefined since this handle was made (...)" instead of
 * acting on the other domain: look the name up again. The check is cheap
 * (the driver says when a name may have changed meaning), so it costs
 * nothing measurable on calls such as vp_domain_get_state(). A redefinition
 * that races with the call itself, in another process, is not seen by the
 * check; the driver's per-domain serialisation (QEMU: the domain's lock
 * file) decides which domain that call acts on. Handles of a driver built
 * before ABI 1.1 carry no UUID and are names only, as in 1.0.
 */

/**
 * vp_domain_get_uuid_string: the UUID the handle is bound to, as
 * "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" (lower case).
 * @ret_uuid: a buffer of VP_UUID_STRING_BUFLEN bytes, written on success.
 * It does not ask the driver, so it answers also for a domain that has
 * been undefined since.
 * Errors: VP_ERR_INVALID_ARG, VP_ERR_NOT_SUPPORTED ('domain-get-uuid':
 * the driver predates UUIDs). Thread-safe. Since: 1.1
 */
int vp_domain_get_uuid_string(vp_domain *dom, char *ret_uuid);

/**
 * vp_domain_lookup_by_uuid_string: find the domain with UUID @uuid (any
 * case, with dashes as libvirt writes them).
 * @ret_dom: (transfer full) vp_domain_free().
 * Errors: VP_ERR_INVALID_ARG (not a UUID: the message quotes it),
 * VP_ERR_NO_DOMAIN ("no domain with uuid 'U'"), VP_ERR_NOT_SUPPORTED
 * ('domain-lookup-by-uuid'). Thread-safe. Since: 1.1
 */
int vp_domain_lookup_by_uuid_string(vp_conn *conn, const char *uuid, vp_domain **ret_dom);

/**
 * vp_domain_lookup_by_id: find the running domain with ID @id. IDs are
 * libvirt's: a domain gets the next free number of its driver when it
 * starts (so IDs count up in start order and are not reused while the
 * driver's runtime state lasts) and loses it when it shuts off.
 * @ret_dom: (transfer full) vp_domain_free().
 * Errors: VP_ERR_INVALID_ARG (@id < 0), VP_ERR_NO_DOMAIN ("no running
 * domain with id N"), VP_ERR_NOT_SUPPORTED ('domain-lookup-by-id').
 * Thread-safe. Since: 1.1
 */
int vp_domain_lookup_by_id(vp_conn *conn, int id, vp_domain **ret_dom);

/**
 * vp_domain_get_id: the domain's ID while it runs (also paused), -1 when it
 * is shut off (libvirt's (unsigned)-1).
 * @ret_id: written on success.
 * Errors: VP_ERR_NO_DOMAIN (also for a stale handle, see above),
 * VP_ERR_NOT_SUPPORTED ('domain-get-id'). Thread-safe. Since: 1.1
 */
int vp_domain_get_id(vp_domain *dom, int *ret_id);

/* ---- Runtime data (since 1.1) ------------------------------------------ */

/*
 * The structs below begin with their own size, as vp_node_suspend_result:
 * the caller sets @size to sizeof() the struct it was built with before the
 * call, the library writes the fields that fit and leaves @size alone. They
 * only grow at their end.
 */

/**
 * vp_domain_info: libvirt's virDomainInfo, with the state's reason.
 * Since: 1.1
 */
typedef struct vp_domain_info {
    uint32_t size;
    int32_t state;           /* VP_DOMAIN_* */
    int32_t reason;          /* the state's reason, as vp_domain_get_state() */
    uint32_t vcpus;          /* virtual CPUs */
    uint64_t max_memory_kib; /* <memory>: the most the guest may have */
    uint64_t memory_kib;     /* what the guest has now (<currentMemory> or its balloon) */
    uint64_t cpu_time_ns;    /* CPU time used since the domain started; 0 when shut off */
} vp_domain_info;

/**
 * vp_domain_get_info: the domain's state, memory, vCPUs and CPU time.
 * @ret_info: its @size set by the caller; written on success.
 * Errors: VP_ERR_INVALID_ARG (NULL, or @size below 8), VP_ERR_NO_DOMAIN,
 * VP_ERR_NOT_SUPPORTED ('domain-get-info'). Thread-safe. Since: 1.1
 */
int vp_domain_get_info(vp_domain *dom, vp_domain_info *ret_info);

/**
 * vp_domain_get_os_type: the domain's OS type, the text of <os><type> in
 * its definition ("hvm", or a driver's own type such as "exe"), as
 * libvirt's virDomainGetOSType.
 * @ret_os_type: (transfer full) free().
 * Errors: VP_ERR_NO_DOMAIN, VP_ERR_XML, VP_ERR_NOT_SUPPORTED
 * ('domain-get-xml'). Thread-safe. Since: 1.1
 */
int vp_domain_get_os_type(vp_domain *dom, char **ret_os_type);

/**
 * vp_node_info: libvirt's virNodeInfo: the host the connection manages.
 * As libvirt: @sockets counts per NUMA node; when the topology does not
 * divide evenly (1 node, 1 socket, @cores = @cpus, 1 thread).
 * Since: 1.1
 */
typedef struct vp_node_info {
    uint32_t size;
    uint32_t cpus;       /* online CPUs */
    uint64_t memory_kib; /* memory size */
    uint32_t mhz;        /* CPU frequency, 0 when the host does not say */
    uint32_t nodes;      /* NUMA cells */
    uint32_t sockets;    /* CPU sockets per NUMA cell */
    uint32_t cores;      /* cores per socket */
    uint32_t threads;    /* threads per core */
    char model[32];      /* the CPU architecture as libvirt names it: "x86_64" */
} vp_node_info;

/**
 * vp_node_get_info: the host's CPUs and memory.
 * @ret_info: its @size set by the caller; written on success.
 * Errors: VP_ERR_INVALID_ARG, VP_ERR_SYSTEM (the host's files could not
 * be read), VP_ERR_NOT_SUPPORTED ('node-get-info'). Thread-safe. Since: 1.1
 */
int vp_node_get_info(vp_conn *conn, vp_node_info *ret_info);

/**
 * vp_conn_get_hostname: the name of the host the connection manages.
 * @ret_hostname: (transfer full) free().
 * Errors: VP_ERR_SYSTEM, VP_ERR_NOT_SUPPORTED ('connect-get-hostname').
 * Thread-safe. Since: 1.1
 */
int vp_conn_get_hostname(vp_conn *conn, char **ret_hostname);
/* ---- Domain events (since 1.1) ---------------------------------------- */

/*
 * Lifecycle events without a daemon: the library watches what the host
 * offers (a changed record, a QEMU process that ended, a change made
 * through this connection) and hands the application one file descriptor
 * to wait on. Nothing runs behind the application's back: callbacks run in
 * the thread that calls vp_conn_event_dispatch(). Changes made while no
 * process of the application watched are not replayed; query the state to
 * learn them (docs/events.md says which source sees what).
 *
 * Event and detail numbers and meanings are libvirt's
 * (virDomainEventType and its detail enums).
 */
enum {
    VP_DOMAIN_EVENT_DEFINED = 0,
    VP_DOMAIN_EVENT_UNDEFINED = 1,
    VP_DOMAIN_EVENT_STARTED = 2,
    VP_DOMAIN_EVENT_SUSPENDED = 3,
    VP_DOMAIN_EVENT_RESUMED = 4,
    VP_DOMAIN_EVENT_STOPPED = 5,
    VP_DOMAIN_EVENT_SHUTDOWN = 6,
    VP_DOMAIN_EVENT_PMSUSPENDED = 7,
    VP_DOMAIN_EVENT_CRASHED = 8,
    VP_DOMAIN_EVENT_LAST = 9
};
enum {
    VP_DOMAIN_EVENT_DEFINED_ADDED = 0,
    VP_DOMAIN_EVENT_DEFINED_UPDATED = 1,
    VP_DOMAIN_EVENT_DEFINED_RENAMED = 2,
    VP_DOMAIN_EVENT_DEFINED_FROM_SNAPSHOT = 3
};
enum { VP_DOMAIN_EVENT_UNDEFINED_REMOVED = 0, VP_DOMAIN_EVENT_UNDEFINED_RENAMED = 1 };
enum {
    VP_DOMAIN_EVENT_STARTED_BOOTED = 0,
    VP_DOMAIN_EVENT_STARTED_MIGRATED = 1,
    VP_DOMAIN_EVENT_STARTED_RESTORED = 2,
    VP_DOMAIN_EVENT_STARTED_FROM_SNAPSHOT = 3,
    VP_DOMAIN_EVENT_STARTED_WAKEUP = 4
};
enum {
    VP_DOMAIN_EVENT_SUSPENDED_PAUSED = 0,
    VP_DOMAIN_EVENT_SUSPENDED_MIGRATED = 1,
    VP_DOMAIN_EVENT_SUSPENDED_IOERROR = 2,
    VP_DOMAIN_EVENT_SUSPENDED_WATCHDOG = 3,
    VP_DOMAIN_EVENT_SUSPENDED_RESTORED = 4,
    VP_DOMAIN_EVENT_SUSPENDED_FROM_SNAPSHOT = 5,
    VP_DOMAIN_EVENT_SUSPENDED_API_ERROR = 6,
    VP_DOMAIN_EVENT_SUSPENDED_POSTCOPY = 7,
    VP_DOMAIN_EVENT_SUSPENDED_POSTCOPY_FAILED = 8
};
enum {
    VP_DOMAIN_EVENT_RESUMED_UNPAUSED = 0,
    VP_DOMAIN_EVENT_RESUMED_MIGRATED = 1,
    VP_DOMAIN_EVENT_RESUMED_FROM_SNAPSHOT = 2,
    VP_DOMAIN_EVENT_RESUMED_POSTCOPY = 3,
    VP_DOMAIN_EVENT_RESUMED_POSTCOPY_FAILED = 4
};
enum {
    VP_DOMAIN_EVENT_STOPPED_SHUTDOWN = 0,
    VP_DOMAIN_EVENT_STOPPED_DESTROYED = 1,
    VP_DOMAIN_EVENT_STOPPED_CRASHED = 2,
    VP_DOMAIN_EVENT_STOPPED_MIGRATED = 3,
    VP_DOMAIN_EVENT_STOPPED_SAVED = 4,
    VP_DOMAIN_EVENT_STOPPED_FAILED = 5,
    VP_DOMAIN_EVENT_STOPPED_FROM_SNAPSHOT = 6
};
enum {
    VP_DOMAIN_EVENT_SHUTDOWN_FINISHED = 0,
    VP_DOMAIN_EVENT_SHUTDOWN_GUEST = 1,
    VP_DOMAIN_EVENT_SHUTDOWN_HOST = 2
};
enum { VP_DOMAIN_EVENT_PMSUSPENDED_MEMORY = 0, VP_DOMAIN_EVENT_PMSUSPENDED_DISK = 1 };
enum { VP_DOMAIN_EVENT_CRASHED_PANICKED = 0, VP_DOMAIN_EVENT_CRASHED_CRASHLOADED = 1 };

/* The mask bit of one event for vp_conn_event_register(). */
#define VP_DOMAIN_EVENT_MASK(event) (1u << (event))

/**
 * vp_domain_event: one lifecycle event, as a callback receives it. Every
 * pointer is valid only during the callback: copy what you keep. Fields
 * are only ever appended.
 * Since: 1.1
 */
typedef struct vp_domain_event {
    const char *domain; /* the domain's name */
    const char *uuid;   /* "6695eb01-f6a4-8304-79aa-97f2502e193f", or NULL when unknown */
    int event;          /* VP_DOMAIN_EVENT_* */
    int detail;         /* VP_DOMAIN_EVENT_<EVENT>_* */
    int64_t time_us;    /* when the library saw the change: microseconds since the epoch */
} vp_domain_event;

/**
 * vp_domain_event_cb: called by vp_conn_event_dispatch(), in its thread,
 * once per event the registration's mask selects. It may call any
 * virtplug function, including vp_conn_event_deregister() (of itself),
 * except vp_conn_event_dispatch().
 * Since: 1.1
 */
typedef void (*vp_domain_event_cb)(vp_conn *conn, const vp_domain_event *event, void *opaque);

/** vp_free_cb: frees an opaque pointer handed to the library. Since: 1.1 */
typedef void (*vp_free_cb)(void *opaque);

/**
 * vp_conn_event_register: call @callback for every lifecycle event of
 * @conn's domains whose VP_DOMAIN_EVENT_MASK() bit is in @mask (0: every
 * event). The first registration starts the driver's watch (inotify,
 * pidfds); events are delivered only by vp_conn_event_dispatch().
 * @opaque: handed to @callback; @free_opaque (optional) frees it once the
 * registration is gone and no dispatch still uses it.
 * @ret_id: (optional) the registration's id (> 0) for
 * vp_conn_event_deregister().
 * Errors: VP_ERR_INVALID_ARG (no callback, unknown mask bits),
 * VP_ERR_NOT_SUPPORTED ('connect-domain-event-register': a driver that
 * cannot watch), VP_ERR_SYSTEM (no epoll, eventfd, inotify or pidfd).
 * Thread-safe. Since: 1.1
 */
int vp_conn_event_register(vp_conn *conn, unsigned int mask, vp_domain_event_cb callback,
                           void *opaque, vp_free_cb free_opaque, int *ret_id);

/**
 * vp_conn_event_deregister: remove registration @id. Once it returns, no
 * dispatch starts a call of its callback (one already running in another
 * thread finishes). @free_opaque runs when that call is done, or now.
 * Errors: VP_ERR_INVALID_ARG "no event registration N on this connection".
 * Thread-safe. Since: 1.1
 */
int vp_conn_event_deregister(vp_conn *conn, int id);

/**
 * vp_conn_event_fd: a file descriptor that polls readable (POLLIN, level
 * triggered) while events wait for vp_conn_event_dispatch(): wait on it
 * with poll(), epoll, a GLib source or asyncio's add_reader(). It is the
 * library's (an epoll descriptor over its own queue and the driver's
 * sources): never read, write or close it; it lives as long as @conn.
 * Starts the driver's watch as vp_conn_event_register() does.
 * Returns the descriptor (>= 0). Errors: as vp_conn_event_register().
 * Thread-safe. Since: 1.1
 */
int vp_conn_event_fd(vp_conn *conn);

/**
 * vp_conn_event_dispatch: read what the sources report and call the
 * registered callbacks, in this thread, for every waiting event, in the
 * order the changes were seen. Never blocks on the host. Dispatches of
 * one connection run one at a time.
 * Returns the number of events delivered (0 when none waited).
 * Errors: VP_ERR_INVALID_ARG, VP_ERR_OPERATION_INVALID (called from one
 * of the connection's callbacks). Thread-safe. Since: 1.1
 */
int vp_conn_event_dispatch(vp_conn *conn);

/* vp_domain_event_name and vp_domain_event_detail_name flags: libvirt's
 * identifier ("stopped", "from_snapshot") instead of virsh's words. */
#define VP_DOMAIN_EVENT_NAME_ID (1u << 0)

/**
 * vp_domain_event_name: "Stopped", "Started", ... as virsh event prints
 * them, or with VP_DOMAIN_EVENT_NAME_ID "stopped", "started"; "unknown"
 * for a number it does not know. (transfer none) Since: 1.1
 */
const char *vp_domain_event_name(int event, unsigned int flags);

/**
 * vp_domain_event_detail_name: the detail's name: "Destroyed", "I/O Error"
 * as virsh prints them, or with VP_DOMAIN_EVENT_NAME_ID "destroyed",
 * "ioerror"; "unknown" for a number it does not know. (transfer none)
 * Since: 1.1
 */
const char *vp_domain_event_detail_name(int event, int detail, unsigned int flags);
/* ---- Guest clocks (since 1.1) ------------------------------------------ */

/* vp_domain_set_time: set the guest's clock from the host's clock;
 * @seconds and @nseconds are ignored (libvirt's VIR_DOMAIN_TIME_SYNC value;
 * libvirt reads the guest's RTC instead, virtplug takes the host's clock,
 * which is what a guest that slept with its host needs). Since: 1.1 */
#define VP_DOMAIN_TIME_SYNC (1u << 0)

/**
 * vp_domain_get_time: the clock of the running domain's guest, as the guest
 * reads it (libvirt's virDomainGetTime): @ret_seconds since the epoch (UTC)
 * and @ret_nseconds (below 1000000000).
 * @flags: must be 0.
 * Errors: VP_ERR_OPERATION_INVALID (not running, or paused),
 * VP_ERR_NOT_SUPPORTED (no guest agent channel, or a driver without guest
 * clocks), VP_ERR_AGENT_UNRESPONSIVE, VP_ERR_TIMEOUT, VP_ERR_NO_DOMAIN.
 * Thread-safe. Since: 1.1
 */
int vp_domain_get_time(vp_domain *dom, long long *ret_seconds, unsigned int *ret_nseconds,
                       unsigned int flags);

/**
 * vp_domain_set_time: set the clock of the running domain's guest to
 * @seconds + @nseconds (libvirt's virDomainSetTime), or with
 * VP_DOMAIN_TIME_SYNC to the host's clock.
 * Errors: VP_ERR_INVALID_ARG (@nseconds of 1000000000 or more, negative
 * @seconds, unknown @flags), and those of vp_domain_get_time().
 * Thread-safe. Since: 1.1
 */
int vp_domain_set_time(vp_domain *dom, long long seconds, unsigned int nseconds,
                       unsigned int flags);

#ifdef __cplusplus
}
#endif

#endif /* VIRTPLUG_VIRTPLUG_H */
