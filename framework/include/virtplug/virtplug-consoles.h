/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * virtplug-consoles.h: consoles and displays of running domains, part of
 * the public API of libvirtplug.
 *
 * Included by <virtplug/virtplug.h>, inside its extern "C" block and after
 * the declarations it builds on; never include it on its own.
 */
#ifndef VIRTPLUG_VIRTPLUG_CONSOLES_H
#define VIRTPLUG_VIRTPLUG_CONSOLES_H

#ifndef VIRTPLUG_VIRTPLUG_H_INSIDE
#error "include <virtplug/virtplug.h>, not <virtplug/virtplug-consoles.h>"
#endif

/* ---- Consoles and displays (since 1.1) --------------------------------- */

/* vp_domain_open_console: take the console over from the session that
 * holds it (libvirt's VIR_DOMAIN_CONSOLE_FORCE); that session's stream
 * ends. Since: 1.1 */
#define VP_DOMAIN_CONSOLE_FORCE (1u << 0)

/**
 * vp_domain_open_console: attach to a character device of the running
 * domain (libvirt's virDomainOpenConsole): a serial port or console on a
 * pty, or one on a unix socket QEMU listens on.
 * @dev_name: the device's alias ("serial0", "console1", "channel2"), or
 * NULL for the domain's first console (its first serial port).
 * @flags: 0 or VP_DOMAIN_CONSOLE_FORCE.
 * *@ret_fd: a connected stream socket (close-on-exec): what is read from it
 * is what the guest wrote to the device, what is written to it the guest
 * reads. close() it to detach. It reaches end-of-file when the domain
 * stops, or when another session took the console over with
 * VP_DOMAIN_CONSOLE_FORCE (the domain then still runs). One session per
 * device at a time, across processes: without the flag a device in use is
 * VP_ERR_OPERATION_IN_PROGRESS.
 * The stream is served by a thread of the calling process until it ends.
 * Errors: VP_ERR_OPERATION_INVALID (not running), VP_ERR_NOT_SUPPORTED (a
 * device that is not a pty or a listening unix socket, a driver without
 * consoles), VP_ERR_INVALID_ARG (no device @dev_name), VP_ERR_NO_DOMAIN,
 * VP_ERR_SYSTEM. Thread-safe. Since: 1.1
 */
int vp_domain_open_console(vp_domain *dom, const char *dev_name, unsigned int flags, int *ret_fd);

/**
 * vp_domain_get_display_uri: where a client reaches the graphical display
 * of the running domain (what virsh domdisplay prints): "vnc://HOST:PORT",
 * "vnc+unix://PATH", "spice://HOST:PORT". The port is the one the display
 * listens on now (an autoport domain's too).
 * @flags: must be 0. *@ret_uri: free() it.
 * Errors: VP_ERR_OPERATION_INVALID (not running), VP_ERR_NOT_SUPPORTED (no
 * graphics, a driver without displays), VP_ERR_NO_DOMAIN.
 * Thread-safe. Since: 1.1
 */
int vp_domain_get_display_uri(vp_domain *dom, unsigned int flags, char **ret_uri);

#endif /* VIRTPLUG_VIRTPLUG_CONSOLES_H */
