/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * virtplug-jobs.h: calls that wait on a guest, part of the public API of
 * libvirtplug.
 *
 * Included by <virtplug/virtplug.h>, inside its extern "C" block and after
 * the declarations it builds on; never include it on its own.
 */
#ifndef VIRTPLUG_VIRTPLUG_JOBS_H
#define VIRTPLUG_VIRTPLUG_JOBS_H

#ifndef VIRTPLUG_VIRTPLUG_H_INSIDE
#error "include <virtplug/virtplug.h>, not <virtplug/virtplug-jobs.h>"
#endif

/* ---- Calls that wait on a guest (since 1.1) ------------------------------
 *
 * A call that waits on a guest or its agent never holds the domain's lock
 * while it waits for the guest to act (state queries, destroy and other
 * processes go on), is bounded by a timeout (qemu: the URI parameters
 * agent_timeout_ms for each agent command, shutdown_timeout_ms for
 * vp_domain_shutdown() with VP_DOMAIN_SHUTDOWN_WAIT) and can be cancelled
 * from another thread with vp_conn_cancel_jobs(). These calls are:
 * vp_domain_shutdown() with VP_DOMAIN_SHUTDOWN_WAIT,
 * vp_domain_get_guest_info(), vp_domain_get_time(), vp_domain_set_time()
 * and vp_snapshot_create_xml() with VP_SNAPSHOT_CREATE_QUIESCE.
 */

/**
 * vp_conn_cancel_jobs: cancel the calls of @conn that wait on a guest or
 * its agent now, in any thread. Each returns at once with
 * VP_ERR_OPERATION_INVALID and a message ending in "cancelled by
 * vp_conn_cancel_jobs"; what it changed is undone first (a quiesced
 * snapshot thaws the file systems it froze; the guest still received a
 * shutdown request it was sent). Calls begun after this one returns are not
 * affected; the connection stays usable.
 * @flags: 0.
 * Returns: the number of calls cancelled (0 when none waited), or a
 * negative VP_ERR_* (VP_ERR_INVALID_ARG for unknown flags).
 * Thread-safe: meant to be called from another thread than the waiting
 * calls; it never waits on a guest. Since: 1.1
 */
int vp_conn_cancel_jobs(vp_conn *conn, unsigned int flags);

/* ---- Error callbacks (since 1.1) -----------------------------------------
 *
 * Per connection, as libvirt's virConnSetErrorFunc: an application that
 * logs or counts failures in one place, beside the return codes and
 * vp_error_last() it still gets.
 */

/* The callback: @conn is the connection the failed call went through; @err
 * (transfer none) the error the call returns, valid during the callback
 * (vp_error_copy() keeps it). */
typedef void (*vp_error_func)(vp_conn *conn, const vp_error *err, void *opaque);

/**
 * vp_conn_set_error_func: call @func (NULL: none) with @opaque once for
 * each public call through @conn, or a domain or snapshot handle of it,
 * that fails, in the thread of that call, right before it returns. Never
 * for an error the library or a driver met and recovered from within a
 * call that then succeeded, never twice for one call (a public function
 * that uses another internally reports once), never for a failed
 * vp_conn_open() (there is no connection yet: its return code and
 * vp_error_last() tell). Virtplug calls made from the callback are allowed
 * and report nothing themselves; when it returns, vp_error_last() again
 * holds the error of the failed call. Replaces the previous callback;
 * @opaque is not freed by the library.
 * Returns: 0, or VP_ERR_INVALID_ARG for a NULL @conn.
 * Thread-safe: the callback may run in any thread that uses @conn, and
 * concurrently in several. Since: 1.1
 */
int vp_conn_set_error_func(vp_conn *conn, vp_error_func func, void *opaque);

#endif /* VIRTPLUG_VIRTPLUG_JOBS_H */
