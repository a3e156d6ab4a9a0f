/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * virtplug-lifecycle.h: reboot, reset, autostart and transient domains,
 * part of the public API of libvirtplug.
 *
 * Included by <virtplug/virtplug.h>, inside its extern "C" block and after
 * the declarations it builds on; never include it on its own.
 */
#ifndef VIRTPLUG_VIRTPLUG_LIFECYCLE_H
#define VIRTPLUG_VIRTPLUG_LIFECYCLE_H

#ifndef VIRTPLUG_VIRTPLUG_H_INSIDE
#error "include <virtplug/virtplug.h>, not <virtplug/virtplug-lifecycle.h>"
#endif

/* ---- Domain lifecycle (since 1.1) ------------------------------------- */

/* vp_domain_reboot: how the guest is asked, libvirt's values. With neither,
 * the driver picks (the QEMU driver: the guest agent). Since: 1.1 */
#define VP_DOMAIN_REBOOT_ACPI_POWER_BTN (1u << 0)
/* Through the guest agent's guest-shutdown (mode "reboot"). Since: 1.1 */
#define VP_DOMAIN_REBOOT_GUEST_AGENT (1u << 1)

/* vp_domain_start() and vp_domain_create_xml(): the domain starts with its
 * vCPUs stopped, paused (reason VP_DOMAIN_PAUSED_USER) until
 * vp_domain_resume() (libvirt's VIR_DOMAIN_START_PAUSED). A start that
 * restores a managed-save image restores it paused. Since: 1.1 */
#define VP_DOMAIN_START_PAUSED (1u << 0)

/* vp_domain_destroy(): stop the domain's process as gracefully as the
 * driver can, without forcing it (libvirt's VIR_DOMAIN_DESTROY_GRACEFUL;
 * the QEMU driver: QMP quit, then SIGTERM, never SIGKILL). A process that
 * is still there after the driver's wait is left running and the call
 * fails with VP_ERR_TIMEOUT; a destroy without the flag kills it. Since: 1.1 */
#define VP_DOMAIN_DESTROY_GRACEFUL (1u << 0)

/* vp_domain_shutdown(): how the guest is asked, libvirt's values; with
 * neither, the driver picks (the QEMU driver: the ACPI power button). With
 * both, the guest agent is tried first and the ACPI power button when the
 * agent cannot be reached. Combine with VP_DOMAIN_SHUTDOWN_WAIT. Since: 1.1 */
#define VP_DOMAIN_SHUTDOWN_ACPI_POWER_BTN (1u << 0)
/* Through the guest agent's guest-shutdown (mode "powerdown"). Since: 1.1 */
#define VP_DOMAIN_SHUTDOWN_GUEST_AGENT (1u << 1)

/**
 * vp_domain_reboot: ask the running domain's guest to restart (libvirt's
 * virDomainReboot). Returns once the guest was asked, not when it has
 * rebooted; the domain stays running throughout.
 * @flags: 0, VP_DOMAIN_REBOOT_ACPI_POWER_BTN or VP_DOMAIN_REBOOT_GUEST_AGENT
 * (not both). The QEMU driver reboots through the guest agent only: an ACPI
 * reboot needs a process that resets the machine once the guest powered
 * off, which a library without a daemon does not have, so
 * VP_DOMAIN_REBOOT_ACPI_POWER_BTN is VP_ERR_NOT_SUPPORTED there (use
 * vp_domain_reset() for a hard reset).
 * Errors: VP_ERR_INVALID_ARG (unknown or both flags),
 * VP_ERR_OPERATION_INVALID (not running), VP_ERR_NOT_SUPPORTED (no guest
 * agent channel, or a way the driver cannot do), VP_ERR_AGENT_UNRESPONSIVE,
 * VP_ERR_NO_DOMAIN.
 * Thread-safe. Since: 1.1
 */
int vp_domain_reboot(vp_domain *dom, unsigned int flags);

/**
 * vp_domain_reset: reset the running domain's machine at once, as a reset
 * button would, without asking the guest (libvirt's virDomainReset; QEMU's
 * system_reset). The guest loses what it had not written to its disks.
 * @flags: must be 0.
 * Errors: VP_ERR_INVALID_ARG, VP_ERR_OPERATION_INVALID (not running),
 * VP_ERR_NO_DOMAIN.
 * Thread-safe. Since: 1.1
 */
int vp_domain_reset(vp_domain *dom, unsigned int flags);

/**
 * vp_domain_set_autostart: mark the domain to be started when the host
 * boots (@autostart non-zero), or unmark it (libvirt's
 * virDomainSetAutostart). The mark is kept with the definition: it
 * survives a redefine and goes at undefine. virtplug has no daemon that
 * starts marked domains itself: `vpsh start --autostart-all` does, run at
 * boot by the shipped systemd unit virtplug-autostart.service.
 * Errors: VP_ERR_OPERATION_INVALID (a transient domain), VP_ERR_NO_DOMAIN.
 * Thread-safe. Since: 1.1
 */
int vp_domain_set_autostart(vp_domain *dom, int autostart);

/**
 * vp_domain_get_autostart: @ret_autostart is 1 when the domain is marked
 * to be started when the host boots, else 0 (libvirt's
 * virDomainGetAutostart).
 * Errors: VP_ERR_NO_DOMAIN.
 * Thread-safe. Since: 1.1
 */
int vp_domain_get_autostart(vp_domain *dom, int *ret_autostart);

/**
 * vp_domain_create_xml: define the domain @xml describes (libvirt-style
 * domain XML, as vp_domain_define_xml() reads it) as a transient domain
 * and start it (libvirt's virDomainCreateXML). A transient domain exists
 * only while it runs: once it is shut off (shutdown, destroy, a crash)
 * it is gone, as if undefined, and event watchers see
 * VP_DOMAIN_EVENT_STOPPED then VP_DOMAIN_EVENT_UNDEFINED. Defining a
 * domain of the same name and uuid while it runs makes it persistent.
 * Transient domains have no snapshots and no autostart mark. The QEMU
 * driver marks the domain transient before anything else, so a process
 * killed during the call leaves, after the driver's next operation,
 * either nothing of the domain or the domain running as a transient one.
 * @flags: 0 or VP_DOMAIN_START_PAUSED (since 1.1: the domain starts paused).
 * @ret_dom: (optional) (transfer full) vp_domain_free(): the running domain.
 * A shut-off persistent domain of the same name and uuid is started
 * instead, with @xml's definition for this run only, as libvirt does (the
 * test driver; the QEMU driver refuses it: start the domain).
 * Errors: VP_ERR_INVALID_ARG (unknown @flags), VP_ERR_XML, VP_ERR_EXISTS
 * (a running domain of that name, or another domain with that name or
 * uuid), VP_ERR_NOT_SUPPORTED (a driver without transient domains), and
 * those of vp_domain_start() when the guest cannot start (nothing of the
 * domain remains then).
 * Thread-safe. Since: 1.1
 */
int vp_domain_create_xml(vp_conn *conn, const char *xml, unsigned int flags, vp_domain **ret_dom);

/**
 * vp_domain_is_persistent: whether the domain has a persistent definition
 * (libvirt's virDomainIsPersistent). Returns 1 for a defined domain, 0
 * for a transient one (made by vp_domain_create_xml() and not defined
 * since), or a negative VP_ERR_* code. A driver without transient domains
 * answers 1.
 * Errors: VP_ERR_NO_DOMAIN.
 * Thread-safe. Since: 1.1
 */
int vp_domain_is_persistent(vp_domain *dom);

/* vp_domain_qemu_agent_command: @timeout_s, libvirt's values: wait as long
 * as it takes (refused by virtplug: give a timeout), the driver's default,
 * or do not wait for the reply at all. Positive values are seconds.
 * Since: 1.1 */
#define VP_DOMAIN_AGENT_RESPONSE_TIMEOUT_BLOCK (-2)
#define VP_DOMAIN_AGENT_RESPONSE_TIMEOUT_DEFAULT (-1)
#define VP_DOMAIN_AGENT_RESPONSE_TIMEOUT_NOWAIT 0

/**
 * vp_domain_qemu_agent_command: pass @command, a guest-agent request as
 * JSON text ({"execute": "guest-info"}, with "arguments" when it has any),
 * to the running domain's guest agent and hand back its reply (libvirt's
 * virDomainQemuAgentCommand). The connection to the agent is synchronised
 * first, so guest-sync and guest-sync-delimited are refused. A request the
 * agent answers with an error fails with its class and description.
 * @timeout_s: seconds to wait for the reply, or
 * VP_DOMAIN_AGENT_RESPONSE_TIMEOUT_DEFAULT (the driver's agent timeout) or
 * _NOWAIT (send it and return at once; for a request that never answers,
 * such as guest-shutdown). VP_DOMAIN_AGENT_RESPONSE_TIMEOUT_BLOCK is
 * VP_ERR_INVALID_ARG: every wait on a guest has a limit in virtplug.
 * @flags: must be 0.
 * @ret_reply: (transfer full) free(): the whole reply as JSON text
 * ({"return": ...}); NULL with _NOWAIT.
 * Errors: VP_ERR_INVALID_ARG, VP_ERR_OPERATION_INVALID (not running, or
 * paused: its agent cannot answer; the agent's error reply),
 * VP_ERR_NOT_SUPPORTED (no agent channel, an unknown command, or a driver
 * without agents), VP_ERR_AGENT_UNRESPONSIVE, VP_ERR_NO_DOMAIN.
 * Thread-safe. Since: 1.1
 */
int vp_domain_qemu_agent_command(vp_domain *dom, const char *command, int timeout_s,
                                 unsigned int flags, char **ret_reply);

#endif /* VIRTPLUG_VIRTPLUG_LIFECYCLE_H */
