/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * virtplug-domain-events.h: domain events, part of the public API of libvirtplug.
 *
 * Included by <virtplug/virtplug.h>, inside its extern "C" block and after
 * the declarations it builds on; never include it on its own.
 */
#ifndef VIRTPLUG_VIRTPLUG_DOMAIN_EVENTS_H
#define VIRTPLUG_VIRTPLUG_DOMAIN_EVENTS_H

#ifndef VIRTPLUG_VIRTPLUG_H_INSIDE
#error "include <virtplug/virtplug.h>, not <virtplug/virtplug-domain-events.h>"
#endif

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
    /* Since 1.1: events that change no state, each a callback of its own in
     * libvirt (VIR_DOMAIN_EVENT_ID_REBOOT, VIR_DOMAIN_EVENT_ID_IO_ERROR and
     * _IO_ERROR_REASON), here numbers after libvirt's lifecycle events. */
    VP_DOMAIN_EVENT_REBOOT = 9, /* the guest was reset (detail 0) */
    VP_DOMAIN_EVENT_IO_ERROR =
        10, /* a disk failed a request (detail: VP_DOMAIN_EVENT_IO_ERROR_*) */
    VP_DOMAIN_EVENT_LAST = 11
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
enum { VP_DOMAIN_EVENT_REBOOT_RESET = 0 };
/* What the hypervisor did about the failed request: libvirt's
 * virDomainEventIOErrorAction. */
enum {
    VP_DOMAIN_EVENT_IO_ERROR_NONE = 0,  /* nothing: the error was ignored */
    VP_DOMAIN_EVENT_IO_ERROR_PAUSE = 1, /* the guest was paused (suspended I/O error follows) */
    VP_DOMAIN_EVENT_IO_ERROR_REPORT = 2 /* the error was reported to the guest */
};

/* The mask bit of one event for vp_conn_event_register(). */
#define VP_DOMAIN_EVENT_MASK(event) (1u << (event))

/**
 * vp_domain_event: one domain event, as a callback receives it. Every
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
    /* Since 1.1, VP_DOMAIN_EVENT_IO_ERROR only (NULL for other events):
     * the disk's source path, its device alias ("vda"), and why ("enospc"
     * when the host ran out of space, else the hypervisor's words). */
    const char *src_path;
    const char *dev_alias;
    const char *reason;
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
 * of the connection's callbacks); when no event can come any more (a
 * remote connection whose host is gone or did not answer within its
 * timeout), the connection's error (VP_ERR_TIMEOUT, VP_ERR_SYSTEM "the
 * connection to host 'h1' was lost: ...") once the events that came
 * before are delivered: the event fd then stays readable and every later
 * dispatch returns that error, as every later call on @conn does; close
 * the connection. Thread-safe. Since: 1.1
 */
int vp_conn_event_dispatch(vp_conn *conn);

/* vp_domain_event_name and vp_domain_event_detail_name flags: libvirt's
 * identifier ("stopped", "from_snapshot") instead of virsh's words. */
#define VP_DOMAIN_EVENT_NAME_ID (1u << 0)

/**
 * vp_domain_event_name: "Stopped", "Started", ... as virsh event prints
 * them, or with VP_DOMAIN_EVENT_NAME_ID "stopped", "started"; "unknown"
 * for a number it does not know. VP_DOMAIN_EVENT_REBOOT and _IO_ERROR
 * read as virsh's event types, "reboot" and "io-error" (IDs "reboot",
 * "io_error"). (transfer none) Since: 1.1
 */
const char *vp_domain_event_name(int event, unsigned int flags);

/**
 * vp_domain_event_detail_name: the detail's name: "Destroyed", "I/O Error"
 * as virsh prints them, or with VP_DOMAIN_EVENT_NAME_ID "destroyed",
 * "ioerror"; "unknown" for a number it does not know. An I/O error's
 * action reads "none", "pause" or "report"; a reboot's "reset".
 * (transfer none)
 * Since: 1.1
 */
const char *vp_domain_event_detail_name(int event, int detail, unsigned int flags);

#endif /* VIRTPLUG_VIRTPLUG_DOMAIN_EVENTS_H */
