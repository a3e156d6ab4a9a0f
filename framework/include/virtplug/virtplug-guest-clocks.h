/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * virtplug-guest-clocks.h: guest clocks, part of the public API of libvirtplug.
 *
 * Included by <virtplug/virtplug.h>, inside its extern "C" block and after
 * the declarations it builds on; never include it on its own.
 */
#ifndef VIRTPLUG_VIRTPLUG_GUEST_CLOCKS_H
#define VIRTPLUG_VIRTPLUG_GUEST_CLOCKS_H

#ifndef VIRTPLUG_VIRTPLUG_H_INSIDE
#error "include <virtplug/virtplug.h>, not <virtplug/virtplug-guest-clocks.h>"
#endif

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

#endif /* VIRTPLUG_VIRTPLUG_GUEST_CLOCKS_H */
