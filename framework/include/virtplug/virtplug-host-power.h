/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * virtplug-host-power.h: host power, part of the public API of libvirtplug.
 *
 * Included by <virtplug/virtplug.h>, inside its extern "C" block and after
 * the declarations it builds on; never include it on its own.
 */
#ifndef VIRTPLUG_VIRTPLUG_HOST_POWER_H
#define VIRTPLUG_VIRTPLUG_HOST_POWER_H

#ifndef VIRTPLUG_VIRTPLUG_H_INSIDE
#error "include <virtplug/virtplug.h>, not <virtplug/virtplug-host-power.h>"
#endif

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

#endif /* VIRTPLUG_VIRTPLUG_HOST_POWER_H */
