/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * virtplug-guest-agent.h: guest agent, part of the public API of libvirtplug.
 *
 * Included by <virtplug/virtplug.h>, inside its extern "C" block and after
 * the declarations it builds on; never include it on its own.
 */
#ifndef VIRTPLUG_VIRTPLUG_GUEST_AGENT_H
#define VIRTPLUG_VIRTPLUG_GUEST_AGENT_H

#ifndef VIRTPLUG_VIRTPLUG_H_INSIDE
#error "include <virtplug/virtplug.h>, not <virtplug/virtplug-guest-agent.h>"
#endif

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

#endif /* VIRTPLUG_VIRTPLUG_GUEST_AGENT_H */
