/*
 * qemu-agent.h: the guest-agent client (plugins/qemu/qemu-agent.c).
 *
 * Contract between the QEMU driver and its agent client: signatures here
 * may grow, not change. On every connect and after every timeout the
 * client sends 0xFF and guest-sync-delimited with a fresh id, and discards
 * every line until that id comes back (qemu-ga 7.2 also sends a stray
 * parse-error reply for the 0xFF). Every call has a timeout.
 */
#ifndef VIRTPLUG_QEMU_AGENT_H
#define VIRTPLUG_QEMU_AGENT_H

#include <json-c/json.h>

typedef struct qemu_agent qemu_agent;

/* Connect to the agent socket at @path and synchronise.
 * Errors: VP_ERR_AGENT_UNRESPONSIVE (no answer to the sync within
 * @timeout_ms), VP_ERR_SYSTEM (cannot connect). */
int qemu_agent_open(const char *path, int timeout_ms, qemu_agent **ret_agent);

/* NULL-safe. */
void qemu_agent_close(qemu_agent *agent);

/* Run @command (args transfer none, may be NULL). After a timeout the
 * connection is marked unsynchronised and the next command resyncs first.
 * @ret_return: (optional) (transfer full).
 * Errors: VP_ERR_AGENT_UNRESPONSIVE / VP_ERR_TIMEOUT, VP_ERR_PROTOCOL, or
 * the agent's error (class and description in the message). */
int qemu_agent_command(qemu_agent *agent, const char *command, json_object *args, int timeout_ms,
                       json_object **ret_return);

/* Force a resynchronisation now. */
int qemu_agent_resync(qemu_agent *agent, int timeout_ms);

#endif /* VIRTPLUG_QEMU_AGENT_H */
