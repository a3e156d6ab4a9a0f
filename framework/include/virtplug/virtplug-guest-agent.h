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

/* ---- Guest filesystems and guest power (since 1.1) --------------------- */

/**
 * vp_domain_fs_freeze: freeze the filesystems of the domain's guest
 * (libvirt's virDomainFSFreeze), so that a copy of its disks taken now is
 * consistent: the guest flushes them and blocks its writers until
 * vp_domain_fs_thaw(). @mountpoints (@n of them) names the mount points to
 * freeze; NULL with @n 0 freezes every filesystem the guest can freeze.
 * The strings stay the caller's. @flags: must be 0.
 * Returns the number of filesystems frozen by this call (0 or more), or a
 * negative VP_ERR_* code: VP_ERR_INVALID_ARG (@n without @mountpoints, an
 * empty mount point, unknown @flags), VP_ERR_OPERATION_INVALID (not
 * running; a mount point the guest does not have, named; filesystems
 * already frozen, for the QEMU driver), VP_ERR_NOT_SUPPORTED (no guest
 * agent channel, or a driver without it), VP_ERR_AGENT_UNRESPONSIVE,
 * VP_ERR_TIMEOUT, VP_ERR_NO_DOMAIN. When the call fails after the guest
 * froze some filesystems, the driver thaws them before it returns.
 * Thread-safe. Since: 1.1
 */
int vp_domain_fs_freeze(vp_domain *dom, const char **mountpoints, size_t n, unsigned int flags);

/**
 * vp_domain_fs_thaw: thaw the filesystems vp_domain_fs_freeze() froze
 * (libvirt's virDomainFSThaw). @mountpoints, @n and @flags as there (the
 * QEMU guest agent thaws all of them at once: it refuses a list).
 * Returns the number of filesystems thawed (0 when none was frozen), or the
 * errors of vp_domain_fs_freeze().
 * Thread-safe. Since: 1.1
 */
int vp_domain_fs_thaw(vp_domain *dom, const char **mountpoints, size_t n, unsigned int flags);

/**
 * vp_domain_pm_suspend_for_duration: ask the running domain's guest to
 * suspend itself (libvirt's virDomainPMSuspendForDuration): @target is
 * VP_NODE_SUSPEND_TARGET_MEM (suspend to RAM, S3), _DISK (hibernate, S4) or
 * _HYBRID (both). The guest suspends after the call returns: a guest that
 * reached S3 shows as VP_DOMAIN_PMSUSPENDED, one that hibernated shuts off.
 * @duration: seconds to stay suspended; must be 0 (forever, until
 * vp_domain_pm_wakeup()), as no driver can wake a guest on a timer.
 * @flags: must be 0.
 * Errors: VP_ERR_INVALID_ARG (unknown @target, @duration not 0, @flags),
 * VP_ERR_OPERATION_INVALID (not running; the domain's <pm> disables the
 * target, named), VP_ERR_NOT_SUPPORTED (no guest agent channel, a guest
 * agent without the command, a driver without it), VP_ERR_NO_DOMAIN.
 * Thread-safe. Since: 1.1
 */
int vp_domain_pm_suspend_for_duration(vp_domain *dom, unsigned int target,
                                      unsigned long long duration, unsigned int flags);

/**
 * vp_domain_pm_wakeup: wake the domain's guest up from a suspend to RAM
 * (libvirt's virDomainPMWakeup); it runs again afterwards.
 * @flags: must be 0.
 * Errors: VP_ERR_INVALID_ARG (@flags), VP_ERR_OPERATION_INVALID (not
 * running), VP_ERR_NOT_SUPPORTED (a driver without it), VP_ERR_NO_DOMAIN.
 * Thread-safe. Since: 1.1
 */
int vp_domain_pm_wakeup(vp_domain *dom, unsigned int flags);

#endif /* VIRTPLUG_VIRTPLUG_GUEST_AGENT_H */
