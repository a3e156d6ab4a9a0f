#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# libvirtd-ctl.sh start|stop: the libvirt 9.0 anchor of the benches.
#
# start: make sure Debian's libvirtd (package libvirt-daemon-system) serves
# qemu:///system, for benches that measure virsh beside vpsh in the same
# run. On a machine without systemd it is started by hand, as root, after
# qemu.conf says user = "root", group = "root", security_driver = "none"
# (the settings are appended once, marked, when absent). Prints "running"
# when a libvirtd already answered, "started" when this script started it
# (then "stop" ends it again), or the reason it cannot and exits 1.
# stop: stops the libvirtd and virtlogd that "start" started, nothing else.
set -u
marker=/run/virtplug-bench-libvirtd
conf=/etc/libvirt/qemu.conf
answers() { virsh -q -c qemu:///system uri >/dev/null 2>&1; }

case "${1:-}" in
start)
    command -v virsh >/dev/null 2>&1 || { echo "no virsh (install libvirt-clients)"; exit 1; }
    if answers; then
        echo running
        exit 0
    fi
    [ -x /usr/sbin/libvirtd ] || { echo "no libvirtd (install libvirt-daemon-system)"; exit 1; }
    [ "$(id -u)" = 0 ] || { echo "libvirtd can only be started as root"; exit 1; }
    if ! grep -q '^# virtplug bench' "$conf" 2>/dev/null; then
        printf '%s\n' '# virtplug bench: libvirtd started by hand, without systemd' \
            'user = "root"' 'group = "root"' 'security_driver = "none"' >>"$conf"
    fi
    mkdir -p /run/libvirt
    # The daemons keep the descriptors they are given: never this script's
    # stdout, or a caller reading it would wait for their end.
    pgrep -x virtlogd >/dev/null 2>&1 || /usr/sbin/virtlogd -d </dev/null >/dev/null 2>&1 ||
        { echo "virtlogd did not start"; exit 1; }
    /usr/sbin/libvirtd -d </dev/null >/dev/null 2>&1 || { echo "libvirtd did not start"; exit 1; }
    i=0
    while ! answers; do
        i=$((i + 1))
        [ $i -lt 100 ] || { echo "libvirtd did not answer within 10 s"; exit 1; }
        sleep 0.1
    done
    : >"$marker"
    echo started
    ;;
stop)
    [ -f "$marker" ] || exit 0
    pkill -x libvirtd
    pkill -x virtlogd
    # Until both are gone: a "start" right after must not take a dying
    # virtlogd for a running one (libvirtd then finds no log socket).
    i=0
    while pgrep -x libvirtd >/dev/null 2>&1 || pgrep -x virtlogd >/dev/null 2>&1; do
        i=$((i + 1))
        [ $i -lt 100 ] || break
        sleep 0.1
    done
    rm -f "$marker"
    ;;
*)
    echo "usage: libvirtd-ctl.sh start|stop" >&2
    exit 2
    ;;
esac
