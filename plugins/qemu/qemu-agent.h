/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-agent.h: the guest-agent client (plugins/qemu/qemu-agent.c).
 *
 * Contract between the QEMU driver and its agent client: signatures here
 * may grow, not change. On every connect and after every timeout the
 * client sends 0xFF and guest-sync-delimited with a fresh id, and discards
 * every line until that id comes back (qemu-ga 7.2 also sends a stray
 * parse-error reply for the 0xFF). Every call has a timeout.
 *
 * An agent connection is used by one thread at a time (the driver's domain
 * lock); QEMU's agent chardev serves one client at a time anyway.
 */
#ifndef VIRTPLUG_QEMU_AGENT_H
#define VIRTPLUG_QEMU_AGENT_H

#include <stdbool.h>

#include <json-c/json.h>

typedef struct qemu_agent qemu_agent;

/* Connect to the agent at @path and synchronise: a unix socket, or the
 * FIFO pair @path.in and @path.out of a QEMU "pipe" chardev (locked with
 * @path.lock while connected: another client waits up to @timeout_ms).
 * Errors: VP_ERR_AGENT_UNRESPONSIVE (no answer to the sync within
 * @timeout_ms), VP_ERR_SYSTEM (cannot connect), VP_ERR_PROTOCOL (the
 * connection was closed), VP_ERR_OPERATION_IN_PROGRESS (another client
 * holds the FIFOs' lock). */
int qemu_agent_open(const char *path, int timeout_ms, qemu_agent **ret_agent);

/* Whether the agent at @path is reached through the FIFO pair @path.in and
 * @path.out (what the driver gives QEMU) rather than a socket at @path. */
bool qemu_agent_path_is_pipe(const char *path);

/* As qemu_agent_open(), with messages naming @domain_name ("the guest
 * agent of domain 'x' did not answer ... within N ms") instead of the
 * socket path. @domain_name: (nullable) (transfer none). */
int qemu_agent_open_for(const char *path, const char *domain_name, int timeout_ms,
                        qemu_agent **ret_agent);

/* As qemu_agent_open() on an already connected stream socket @fd, which the
 * agent owns from now on, also on failure. @label names it in messages.
 * Such an agent cannot reconnect: after the connection closed, commands
 * fail with VP_ERR_PROTOCOL. */
int qemu_agent_open_fd(int fd, const char *label, int timeout_ms, qemu_agent **ret_agent);

/* NULL-safe. */
void qemu_agent_close(qemu_agent *agent);

/* Run @command (args transfer none, may be NULL) under a fresh id; replies
 * with another id are late answers to earlier requests and are discarded.
 * An unsynchronised or closed connection is resynchronised (reconnected)
 * first, within the same @timeout_ms. After a timeout or a garbled line
 * the connection is marked unsynchronised so the next command resyncs.
 * @ret_return: (optional) (transfer full) json_object_put() it.
 * Errors: VP_ERR_AGENT_UNRESPONSIVE ("... did not answer 'cmd' within N ms"),
 * VP_ERR_PROTOCOL (garbage, a line longer than QEMU_JSON_MAX_LINE or
 * nesting deeper than QEMU_JSON_MAX_DEPTH, connection closed),
 * VP_ERR_SYSTEM, or for the agent's error reply VP_ERR_NOT_SUPPORTED (class
 * CommandNotFound, which qemu-ga also uses for commands disabled while
 * frozen) or VP_ERR_OPERATION_INVALID, with class and description in the
 * message. */
int qemu_agent_command(qemu_agent *agent, const char *command, json_object *args, int timeout_ms,
                       json_object **ret_return);

/* Write @command (args transfer none, may be NULL) on the current
 * connection without waiting for its reply and without synchronising
 * first: for a request that must reach the agent even while it is busy
 * (the thaw queued behind a freeze that is still running). The agent runs
 * requests in order, so it runs this one after whatever it is doing; its
 * reply is not read, so the connection is marked unsynchronised and the
 * next command resyncs, discarding it. Needs an open connection.
 * Errors: VP_ERR_PROTOCOL (no connection, or it closed), VP_ERR_SYSTEM,
 * VP_ERR_AGENT_UNRESPONSIVE (the request could not be written within
 * @timeout_ms). */
int qemu_agent_send_nowait(qemu_agent *agent, const char *command, json_object *args,
                           int timeout_ms);

/* Synchronise if needed, then write @command (args transfer none, may be
 * NULL) under a fresh id without waiting: for a request the agent answers
 * only when it fails (guest-suspend-*: a guest that suspends does not
 * answer). Read its answer, if any, with qemu_agent_poll_reply(). @ret_id:
 * (transfer full) free(). Errors as qemu_agent_command() before the write. */
int qemu_agent_send_unanswered(qemu_agent *agent, const char *command, json_object *args,
                               int timeout_ms, char **ret_id);

/* Wait at most @wait_ms for the reply to the request @id of
 * qemu_agent_send_unanswered() (@command names it in messages): 1 with
 * @ret_return (optional, transfer full) when it came, 0 when none came yet
 * (no error set; the stream stays in step, so polling may go on), or the
 * agent's error reply and the connection errors of qemu_agent_command()
 * (VP_ERR_PROTOCOL when the connection closed: a QEMU that ended). */
int qemu_agent_poll_reply(qemu_agent *agent, const char *command, const char *id, int wait_ms,
                          json_object **ret_return);

/* Force a resynchronisation now, on the current connection (connecting if
 * there is none). Errors as qemu_agent_open(). */
int qemu_agent_resync(qemu_agent *agent, int timeout_ms);

/* Drop the connection, connect again and synchronise: what a caller does
 * after a timeout when it must not trust the old stream at all (the thaw
 * after a freeze that timed out). Errors as qemu_agent_open(). */
int qemu_agent_reconnect(qemu_agent *agent, int timeout_ms);

/* As qemu_agent_open_for(), and every wait of the connection (this sync and
 * each later command) also ends when @cancel_fd (a job's eventfd,
 * qemu-jobs.c) becomes readable: the call then fails with
 * VP_ERR_OPERATION_INVALID "... cancelled by vp_conn_cancel_jobs" and the
 * stream is dropped (the next command connects and syncs again). */
int qemu_agent_open_cancellable(const char *path, const char *domain_name, int timeout_ms,
                                int cancel_fd, qemu_agent **ret_agent);

/* Stop (@cancel_fd -1) or start ending waits on @cancel_fd: a caller that
 * must still talk to the guest after a cancel (the thaw after a freeze)
 * stops it first. */
void qemu_agent_set_cancel_fd(qemu_agent *agent, int cancel_fd);

/* True when connected and synchronised. */
bool qemu_agent_is_synced(const qemu_agent *agent);

#endif /* VIRTPLUG_QEMU_AGENT_H */
