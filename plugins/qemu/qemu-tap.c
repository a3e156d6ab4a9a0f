/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-tap.c: the tap devices of <interface type='ethernet'> and
 * <interface type='bridge'>.
 *
 * Owns creating them at start: one tap per such interface, named by its
 * <target dev> or by the kernel ("vnet%d"), brought up, and for a bridge
 * enslaved to it (a bridge that does not exist is an error naming it,
 * before any tap is made). The taps are not persistent: QEMU gets their
 * file descriptors (-netdev tap,fd=N) and the driver closes its own after
 * the launch, so a tap lives exactly as long as the QEMU that holds it,
 * and goes with it when QEMU stops, crashes or is killed, or when the
 * driver dies before QEMU ran. It never touches an interface it did not
 * create.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <virtplug/sdk/services.h>

#include "qemu-devices.h"
#include "qemu-driver.h"

static bool
is(const char *v, const char *want)
{
    return v && strcmp(v, want) == 0;
}

bool
qemu_tap_wanted(json_object *nic)
{
    const char *type = qemu_tree_attr(nic, "type");
    return is(type, "ethernet") || is(type, "bridge");
}

static int
set_up(int sock, const char *name)
{
    struct ifreq ifr = {0};
    snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
    if (ioctl(sock, SIOCGIFFLAGS, &ifr) < 0)
        return -errno;
    ifr.ifr_flags |= IFF_UP;
    return ioctl(sock, SIOCSIFFLAGS, &ifr) < 0 ? -errno : 0;
}

static int
enslave(int sock, const char *bridge, const char *tap)
{
    struct ifreq ifr = {0};
    snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", bridge);
    ifr.ifr_ifindex = (int)if_nametoindex(tap);
    return ioctl(sock, SIOCBRADDIF, &ifr) < 0 ? -errno : 0;
}

/* One tap for @nic: its descriptor. */
static int
open_tap(int sock, json_object *nic, const char *domain, int *ret_fd)
{
    const char *dev = qemu_tree_attr(qemu_tree_kid(nic, "target", 0), "dev");
    const char *bridge = qemu_tree_attr(qemu_tree_kid(nic, "source", 0), "bridge");
    if (is(qemu_tree_attr(nic, "type"), "bridge") && (!bridge || !if_nametoindex(bridge)))
        return vp_plugin_error_set(
            VP_ERR_INVALID_ARG,
            "cannot start domain '%s': bridge '%s' of <interface type='bridge'> does not exist on this host; create it or name another",
            domain, bridge ? bridge : "");
    if (dev && strlen(dev) >= IFNAMSIZ)
        return vp_plugin_error_set(
            VP_ERR_INVALID_ARG, "<target dev='%s'> is too long for a network interface name", dev);
    int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno,
                                         "cannot open '/dev/net/tun' for domain '%s'", domain);
    struct ifreq ifr = {0};
    snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", dev ? dev : "vnet%d");
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
    int r = ioctl(fd, TUNSETIFF, &ifr) < 0 ? -errno : 0;
    const char *what = "create tap device";
    if (r == 0) {
        what = "bring up tap device";
        r = set_up(sock, ifr.ifr_name);
    }
    if (r == 0 && bridge) {
        what = "add tap device to bridge";
        r = enslave(sock, bridge, ifr.ifr_name);
    }
    if (r < 0) {
        close(fd);
        return vp_plugin_error_set_errno(VP_ERR_SYSTEM, -r, "cannot %s '%s' for domain '%s'", what,
                                         dev ? dev : ifr.ifr_name, domain);
    }
    VP_PLUGIN_DEBUG(QEMU_AREA, "domain '%s': tap '%s'%s%s", domain, ifr.ifr_name,
                    bridge ? " on bridge " : "", bridge ? bridge : "");
    *ret_fd = fd;
    return 0;
}

void
qemu_tap_close_all(int *fds, size_t n)
{
    for (size_t i = 0; fds && i < n; i++) {
        if (fds[i] >= 0)
            close(fds[i]);
    }
    free(fds);
}

int
qemu_tap_open_all(json_object *tree, const char *domain, int **ret_fds, size_t *ret_n)
{
    size_t n = 0;
    json_object *nic;
    for (size_t i = 0; (nic = qemu_tree_kid(tree, "interface", i)); i++)
        n += qemu_tap_wanted(nic);
    int *fds = vp_new0(int, n + 1);
    int sock = n ? socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0) : -1;
    if (n && sock < 0) {
        free(fds);
        return vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno, "cannot configure tap devices");
    }
    size_t k = 0;
    int r = 0;
    for (size_t i = 0; r >= 0 && (nic = qemu_tree_kid(tree, "interface", i)); i++) {
        if (qemu_tap_wanted(nic))
            r = open_tap(sock, nic, domain, &fds[k++]);
        if (r < 0)
            k--;
    }
    if (sock >= 0)
        close(sock);
    if (r < 0) {
        qemu_tap_close_all(fds, k);
        return r;
    }
    *ret_fds = fds;
    *ret_n = n;
    return 0;
}
