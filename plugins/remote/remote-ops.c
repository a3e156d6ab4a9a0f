/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * remote-ops.c: the table of the remote protocol's ops: each op's name on
 * the wire, what its call carries and its reply returns, and the protocol
 * version that added it. Encoding, decoding, the checks and the helper's
 * dispatch derive from it (remote-proto.c, ssh-helper.c).
 */
#include <config.h>

#include "remote-proto.h"

#define F_DF (REMOTE_F_DOM | REMOTE_F_FLAGS)

static const remote_op_info ops[REMOTE_OP_LAST] = {
    [REMOTE_OP_NUM_OF_DOMAINS] = {"num-of-domains", REMOTE_F_RET},
    [REMOTE_OP_LIST_DOMAINS] = {"list-domains", REMOTE_F_FLAGS | REMOTE_F_NAMES},
    [REMOTE_OP_DOMAIN_LOOKUP] = {"domain-lookup", REMOTE_F_DOM},
    [REMOTE_OP_DOMAIN_DEFINE_XML] = {"domain-define-xml",
                                     REMOTE_F_XML | REMOTE_F_FLAGS | REMOTE_F_STR},
    [REMOTE_OP_DOMAIN_UNDEFINE] = {"domain-undefine", F_DF},
    [REMOTE_OP_DOMAIN_START] = {"domain-start", F_DF},
    [REMOTE_OP_DOMAIN_SHUTDOWN] = {"domain-shutdown", F_DF},
    [REMOTE_OP_DOMAIN_DESTROY] = {"domain-destroy", F_DF},
    [REMOTE_OP_DOMAIN_SUSPEND] = {"domain-suspend", F_DF},
    [REMOTE_OP_DOMAIN_RESUME] = {"domain-resume", F_DF},
    [REMOTE_OP_DOMAIN_GET_STATE] = {"domain-get-state", F_DF | REMOTE_F_AB},
    [REMOTE_OP_DOMAIN_GET_XML] = {"domain-get-xml", F_DF | REMOTE_F_STR},
    [REMOTE_OP_DOMAIN_GET_GUEST_INFO] = {"domain-get-guest-info", F_DF | REMOTE_F_STR},
    [REMOTE_OP_SNAPSHOT_CREATE_XML] = {"snapshot-create-xml", F_DF | REMOTE_F_XML | REMOTE_F_STR},
    [REMOTE_OP_SNAPSHOT_LIST] = {"snapshot-list", F_DF | REMOTE_F_NAMES},
    [REMOTE_OP_SNAPSHOT_LOOKUP] = {"snapshot-lookup", F_DF | REMOTE_F_SNAP},
    [REMOTE_OP_SNAPSHOT_DELETE] = {"snapshot-delete", F_DF | REMOTE_F_SNAP},
    [REMOTE_OP_SNAPSHOT_GET_XML] = {"snapshot-get-xml", F_DF | REMOTE_F_SNAP | REMOTE_F_STR},
    [REMOTE_OP_SNAPSHOT_CURRENT] = {"snapshot-current", F_DF | REMOTE_F_STR},
    [REMOTE_OP_NODE_SUSPEND_CAPABILITIES] = {"node-suspend-capabilities", REMOTE_F_AB},
    [REMOTE_OP_DOMAIN_CAPABILITIES] = {"domain-capabilities", REMOTE_F_FLAGS | REMOTE_F_STR},
    /* a: the target, b: the duration in seconds */
    [REMOTE_OP_NODE_SUSPEND_FOR_DURATION] = {"node-suspend-for-duration",
                                             REMOTE_F_IN_AB | REMOTE_F_FLAGS},
    [REMOTE_OP_NODE_SUSPEND_RESULT] = {"node-suspend-result", REMOTE_F_STR},
    [REMOTE_OP_NODE_SUSPEND_CANCEL] = {"node-suspend-cancel", REMOTE_F_FLAGS},
    /* a: the timeout in milliseconds, negative for none */
    [REMOTE_OP_NODE_SUSPEND_WAIT] = {"node-suspend-wait", REMOTE_F_IN_AB},
    /* ---- protocol 2 ---- */
    [REMOTE_OP_DOMAIN_GET_UUID] = {"domain-get-uuid", REMOTE_F_DOM | REMOTE_F_STR, 2},
    [REMOTE_OP_DOMAIN_LOOKUP_BY_UUID] = {"domain-lookup-by-uuid", REMOTE_F_UUID | REMOTE_F_STR, 2},
    /* a: the id */
    [REMOTE_OP_DOMAIN_LOOKUP_BY_ID] = {"domain-lookup-by-id", REMOTE_F_IN_AB | REMOTE_F_STR, 2},
    [REMOTE_OP_DOMAIN_GET_ID] = {"domain-get-id", REMOTE_F_DOM | REMOTE_F_AB, 2},
    [REMOTE_OP_DOMAIN_GET_INFO] = {"domain-get-info", REMOTE_F_DOM | REMOTE_F_STR, 2},
    [REMOTE_OP_NODE_GET_INFO] = {"node-get-info", REMOTE_F_STR, 2},
    [REMOTE_OP_CONN_GET_HOSTNAME] = {"conn-get-hostname", REMOTE_F_STR, 2},
    /* a: seconds, b: nanoseconds (results of get, arguments of set) */
    [REMOTE_OP_DOMAIN_GET_TIME] = {"domain-get-time", F_DF | REMOTE_F_AB, 2},
    [REMOTE_OP_EVENT_OPEN] = {"event-open", 0, 2},
    [REMOTE_OP_EVENT_CLOSE] = {"event-close", 0, 2},
    [REMOTE_OP_NODE_SUSPEND_GUESTS] = {"node-suspend-guests", REMOTE_F_FLAGS | REMOTE_F_STR, 2},
    [REMOTE_OP_DOMAIN_SET_TIME] = {"domain-set-time", F_DF | REMOTE_F_IN_AB, 2},
    /* ---- protocol 3 ---- */
    [REMOTE_OP_SNAPSHOT_REVERT] = {"snapshot-revert", F_DF | REMOTE_F_SNAP, 3},
    [REMOTE_OP_DOMAIN_REBOOT] = {"domain-reboot", F_DF, 3},
    [REMOTE_OP_DOMAIN_RESET] = {"domain-reset", F_DF, 3},
    /* a: 1 to mark, 0 to unmark (set); the mark (get) */
    [REMOTE_OP_DOMAIN_SET_AUTOSTART] = {"domain-set-autostart", REMOTE_F_DOM | REMOTE_F_IN_AB, 3},
    [REMOTE_OP_DOMAIN_GET_AUTOSTART] = {"domain-get-autostart", REMOTE_F_DOM | REMOTE_F_AB, 3},
    /* xml: the request, a: the timeout (VP_DOMAIN_AGENT_RESPONSE_TIMEOUT_* or
     * seconds), b: 1 when a reply came (str) */
    [REMOTE_OP_DOMAIN_AGENT_COMMAND] = {"domain-agent-command",
                                        F_DF | REMOTE_F_XML | REMOTE_F_IN_AB | REMOTE_F_AB |
                                            REMOTE_F_STR,
                                        3},
    /* ---- protocol 4: live changes; a: KiB, the vCPUs, the metadata type ---- */
    [REMOTE_OP_DOMAIN_SET_MEMORY] = {"domain-set-memory", F_DF | REMOTE_F_IN_AB, 4},
    [REMOTE_OP_DOMAIN_SET_VCPUS] = {"domain-set-vcpus", F_DF | REMOTE_F_IN_AB, 4},
    [REMOTE_OP_DOMAIN_SET_METADATA] = {"domain-set-metadata", F_DF | REMOTE_F_IN_AB | REMOTE_F_XML,
                                       4},
    /* protocol 4, transient domains; a: 1 when persistent (is-persistent) */
    [REMOTE_OP_DOMAIN_CREATE_XML] = {"domain-create-xml",
                                     REMOTE_F_XML | REMOTE_F_FLAGS | REMOTE_F_STR, 4},
    [REMOTE_OP_DOMAIN_IS_PERSISTENT] = {"domain-is-persistent", REMOTE_F_DOM | REMOTE_F_AB, 4},
    /* ---- protocol 5: statistics (str: the typed parameters), the display,
     * cancelling and consoles ---- */
    /* a: the groups asked for; reply a: the groups the far driver knows */
    [REMOTE_OP_DOMAIN_GET_STATS] = {"domain-get-stats",
                                    F_DF | REMOTE_F_IN_AB | REMOTE_F_AB | REMOTE_F_STR, 5},
    /* a: the NUMA cell, the CPU (-1: all) */
    [REMOTE_OP_NODE_GET_MEMORY_STATS] = {"node-get-memory-stats",
                                         REMOTE_F_IN_AB | REMOTE_F_FLAGS | REMOTE_F_STR, 5},
    [REMOTE_OP_NODE_GET_CPU_STATS] = {"node-get-cpu-stats",
                                      REMOTE_F_IN_AB | REMOTE_F_FLAGS | REMOTE_F_STR, 5},
    [REMOTE_OP_CONN_GET_SYSINFO] = {"conn-get-sysinfo", REMOTE_F_FLAGS | REMOTE_F_STR, 5},
    [REMOTE_OP_DOMAIN_GET_DISPLAY_URI] = {"domain-get-display-uri", F_DF | REMOTE_F_STR, 5},
    /* ret: how many far calls were cancelled */
    [REMOTE_OP_CONN_CANCEL_JOBS] = {"conn-cancel-jobs", REMOTE_F_FLAGS | REMOTE_F_RET, 5},
    /* xml: the device's alias, "" for the first console; the call's id
     * then names the console's stream */
    [REMOTE_OP_DOMAIN_OPEN_CONSOLE] = {"domain-open-console", F_DF | REMOTE_F_XML, 5},
    /* str: the far host's <capabilities>, its power management filled */
    [REMOTE_OP_CONN_GET_CAPABILITIES] = {"conn-get-capabilities", REMOTE_F_FLAGS | REMOTE_F_STR, 5},
    /* save and restore; xml: the image's path on the far host, a: 1 when
     * it has a managed-save image (has-managed-save) */
    [REMOTE_OP_DOMAIN_SAVE] = {"domain-save", F_DF | REMOTE_F_XML, 5},
    [REMOTE_OP_DOMAIN_RESTORE] = {"domain-restore", REMOTE_F_XML | REMOTE_F_FLAGS | REMOTE_F_STR,
                                  5},
    [REMOTE_OP_DOMAIN_MANAGED_SAVE] = {"domain-managed-save", F_DF, 5},
    [REMOTE_OP_DOMAIN_HAS_MANAGED_SAVE] = {"domain-has-managed-save", REMOTE_F_DOM | REMOTE_F_AB,
                                           5},
    [REMOTE_OP_DOMAIN_MANAGED_SAVE_REMOVE] = {"domain-managed-save-remove", F_DF, 5},
    /* guest filesystems and guest power; xml: the mount points as a JSON
     * array ([] for all), ret: how many were frozen or thawed; a: the suspend
     * target, b: its duration */
    [REMOTE_OP_DOMAIN_FS_FREEZE] = {"domain-fs-freeze", F_DF | REMOTE_F_XML | REMOTE_F_RET, 5},
    [REMOTE_OP_DOMAIN_FS_THAW] = {"domain-fs-thaw", F_DF | REMOTE_F_XML | REMOTE_F_RET, 5},
    [REMOTE_OP_DOMAIN_PM_SUSPEND] = {"domain-pm-suspend", F_DF | REMOTE_F_IN_AB, 5},
    [REMOTE_OP_DOMAIN_PM_WAKEUP] = {"domain-pm-wakeup", F_DF, 5},
    /* live device update; xml: the device element */
    [REMOTE_OP_DOMAIN_UPDATE_DEVICE] = {"domain-update-device", F_DF | REMOTE_F_XML, 5},
    /* the XML inside save images; path: the image's, on the far host */
    [REMOTE_OP_DOMAIN_SAVE_IMAGE_GET_XML] = {"domain-save-image-get-xml",
                                             REMOTE_F_PATH | REMOTE_F_FLAGS | REMOTE_F_STR, 5},
    [REMOTE_OP_DOMAIN_SAVE_IMAGE_DEFINE_XML] = {"domain-save-image-define-xml",
                                                REMOTE_F_PATH | REMOTE_F_XML | REMOTE_F_FLAGS, 5},
    [REMOTE_OP_DOMAIN_MANAGED_SAVE_GET_XML] = {"domain-managed-save-get-xml", F_DF | REMOTE_F_STR,
                                               5},
    [REMOTE_OP_DOMAIN_MANAGED_SAVE_DEFINE_XML] = {"domain-managed-save-define-xml",
                                                  F_DF | REMOTE_F_XML, 5},
};

const remote_op_info *
remote_op_get(int op)
{
    return op >= 0 && op < REMOTE_OP_LAST ? &ops[op] : NULL;
}
