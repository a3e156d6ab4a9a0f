#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# build-guest.sh OUTDIR: build the tiny test guest (kernel, initramfs with
# busybox + qemu-ga, empty ext4 qcow2 disk) into OUTDIR, once.
#
# The guest comes from Debian packages (shared/reference/test-guest.md):
# the kernel of linux-image-cloud-amd64, busybox-static and qemu-guest-agent
# with the libraries qemu-ga needs. When those packages are installed on
# this machine (a Debian package build has them in Build-Depends) their
# installed files are used and nothing is downloaded; otherwise they are
# fetched with 'apt-get download' (no root needed). A finished build leaves
# OUTDIR/guest.stamp and is reused by later runs; parallel callers serialise
# on OUTDIR/.lock. When the guest cannot be built the script exits 77, so a
# test calling it can skip with the reason printed on stderr.
#
# Environment: VP_GUEST_NO_DOWNLOAD=1 (debian/rules sets it): never use the
# network; without the installed packages, skip and name them.
# VP_GUEST_DEB_CACHE, a directory of already downloaded .debs shared between
# build trees (optional). QEMU_IMG: the qemu-img to use.
set -eu

out=${1:?usage: build-guest.sh OUTDIR}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
out=$(cd "$out" && pwd)

skip() {
    echo "build-guest: $*" >&2
    exit 77
}

need_tools() {
    for tool in "$@"; do
        command -v "$tool" >/dev/null 2>&1 || PATH=$PATH:/usr/sbin:/sbin
        command -v "$tool" >/dev/null 2>&1 || skip "'$tool' is missing; run scripts/install-deps.sh"
    done
}

installed() {
    [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = installed ]
}

# guest_installed: true when every package of the guest is installed and its
# kernel is readable; sets kpkg and kver, or not_installed to what is missing.
guest_installed() {
    not_installed=""
    command -v dpkg-query >/dev/null 2>&1 || {
        not_installed=" dpkg"
        return 1
    }
    [ "$(dpkg --print-architecture)" = amd64 ] || skip "the test guest is x86_64: it needs amd64 packages"
    for p in linux-image-cloud-amd64 busybox-static qemu-guest-agent; do
        installed "$p" || not_installed="$not_installed $p"
    done
    [ -z "$not_installed" ] || return 1
    kpkg=$(dpkg-query -W -f='${Depends}' linux-image-cloud-amd64 |
           tr ',' '\n' | sed -n 's/^ *\(linux-image-[^ ]*\).*/\1/p' | head -n 1)
    kver=${kpkg#linux-image-}
    installed "$kpkg" || {
        not_installed=" $kpkg"
        return 1
    }
    [ -r "/boot/vmlinuz-$kver" ] || skip "cannot read the installed kernel '/boot/vmlinuz-$kver'"
    [ -d "/lib/modules/$kver/kernel" ] || skip "the modules of '$kpkg' are missing from '/lib/modules/$kver'"
    return 0
}

# download: fetch the guest's packages with apt-get download into the .deb
# cache and unpack them into $work/x; sets kpkg and kver.
download() {
    need_tools apt-get apt-cache
    kpkg=$(apt-cache depends linux-image-cloud-amd64 2>/dev/null |
           awk '/Depends: linux-image-/{print $2; exit}')
    [ -n "$kpkg" ] || skip "apt does not know linux-image-cloud-amd64; run 'apt-get update'"
    kver=${kpkg#linux-image-}
    pkgs="$kpkg busybox-static qemu-guest-agent libc6 libglib2.0-0 libnuma1 libudev1 liburing2 libpcre2-8-0"

    debs=${VP_GUEST_DEB_CACHE:-$out/debs}
    mkdir -p "$debs"
    missing=""
    for p in $pkgs; do
        ls "$debs/${p}_"*.deb >/dev/null 2>&1 || missing="$missing $p"
    done
    if [ -n "$missing" ]; then
        # apt-get download writes into the current directory.
        # shellcheck disable=SC2086
        (cd "$debs" && apt-get download $missing) >"$out/download.log" 2>&1 ||
            skip "cannot download the guest's Debian packages (see $out/download.log)"
    fi
    mkdir -p "$work/x"
    for p in $pkgs; do
        for d in "$debs/${p}_"*.deb; do dpkg -x "$d" "$work/x"; done
    done
}

build() {
    # The stamp names the recipe it was built from: a changed recipe rebuilds.
    recipe=$(cat "$here/build-guest.sh" "$here/init" | cksum | cut -d' ' -f1)
    [ -f "$out/guest.stamp" ] && [ "$(tail -n 1 "$out/guest.stamp")" = "$recipe" ] && return 0
    need_tools dpkg gzip mkfs.ext4
    qemu_img=${QEMU_IMG:-$(command -v qemu-img || true)}
    [ -n "$qemu_img" ] || skip "'qemu-img' is missing; install qemu-utils"

    # The guest's packages, installed on this machine: use their files.
    work=$out/work
    rm -rf "$work"
    if guest_installed; then
        source=installed
        x=""
    elif [ -n "${VP_GUEST_NO_DOWNLOAD:-}" ]; then
        skip "not installed:$not_installed; downloads are off (VP_GUEST_NO_DOWNLOAD is set," \
            "as in a Debian package build): run 'apt-get install$not_installed'"
    else
        source=downloaded
        download
        x=$work/x
    fi
    r=$work/root
    mkdir -p "$r/bin" "$r/usr/sbin" "$r/lib/modules" "$r/lib/x86_64-linux-gnu" "$r/lib64" \
             "$r/proc" "$r/sys" "$r/dev" "$r/mnt" "$r/run" "$r/tmp" "$r/var" "$r/etc/acpi/PWRF"
    ln -s ../run "$r/var/run"
    cp "$x/bin/busybox" "$r/bin/busybox"
    # qemu-ga's guest-set-time runs /sbin/hwclock (busybox's applet here).
    mkdir -p "$r/sbin"
    ln -s ../bin/busybox "$r/sbin/hwclock"
    cp "$x/usr/sbin/qemu-ga" "$r/usr/sbin/qemu-ga"
    for l in libc.so.6 libm.so.6; do cp -L "$x/lib/x86_64-linux-gnu/$l" "$r/lib/x86_64-linux-gnu/"; done
    cp -L "$x/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2" "$r/lib64/"
    for l in libglib-2.0.so.0 libgmodule-2.0.so.0 libpcre2-8.so.0 libudev.so.1 libnuma.so.1 liburing.so.2; do
        cp -L "$x/usr/lib/x86_64-linux-gnu/$l" "$r/lib/x86_64-linux-gnu/" 2>/dev/null ||
            cp -L "$x/lib/x86_64-linux-gnu/$l" "$r/lib/x86_64-linux-gnu/"
    done
    m=$x/lib/modules/$kver/kernel
    for f in drivers/virtio/virtio_ring drivers/virtio/virtio drivers/virtio/virtio_pci_modern_dev \
             drivers/virtio/virtio_pci_legacy_dev drivers/virtio/virtio_pci drivers/block/virtio_blk \
             drivers/char/virtio_console drivers/acpi/button drivers/input/evdev \
             drivers/misc/pvpanic/pvpanic drivers/misc/pvpanic/pvpanic-mmio \
             net/core/failover drivers/net/net_failover drivers/net/virtio_net; do
        cp "$m/$f.ko" "$r/lib/modules/"
    done
    cp "$here/init" "$r/init"
    chmod 755 "$r/init"
    # The ACPI power button (QMP system_powerdown) powers the guest off.
    printf '#!/bin/sh\necho "GUEST: power button"\nsync\numount /mnt\npoweroff -f\n' \
        >"$r/etc/acpi/PWRF/00000080"
    chmod 755 "$r/etc/acpi/PWRF/00000080"
    # qemu-ga's guest-shutdown runs '/sbin/shutdown -h -P|-H|-r +0 MESSAGE'
    # and waits for it: act in the background, answer at once.
    printf '%s\n' '#!/bin/sh' 'act=poweroff' 'for a in "$@"; do' '    case "$a" in' \
        '    -r) act=reboot ;;' '    -H) act=halt ;;' '    -P) act=poweroff ;;' '    esac' 'done' \
        'echo "GUEST: shutdown: $act" >/dev/console' \
        '(sync; umount /mnt; "$act" -f) </dev/null >/dev/null 2>&1 &' 'exit 0' \
        >"$r/sbin/shutdown"
    chmod 755 "$r/sbin/shutdown"
    # udhcpc's hook: the lease's address, prefix and default route on the
    # interface, announced on the console.
    printf '%s\n' '#!/bin/sh' 'case "$1" in' \
        'deconfig) ip -4 addr flush dev "$interface"; ip link set "$interface" up ;;' \
        'bound|renew)' '    ip -4 addr flush dev "$interface"' \
        '    ip addr add "$ip/${mask:-24}" dev "$interface"' \
        '    [ -n "$router" ] && ip route replace default via "${router%% *}" dev "$interface"' \
        '    echo "GUEST: $interface has $ip" >/dev/console ;;' 'esac' 'exit 0' \
        >"$r/etc/udhcpc.script"
    chmod 755 "$r/etc/udhcpc.script"
    # qemu-ga's fsfreeze hook: a freeze that answers late, on demand. When
    # a test created /run/vp-slow-freeze, the next freeze sleeps as many
    # seconds as the file says (4 when it is empty) before the file systems
    # are frozen, and consumes the marker.
    mkdir -p "$r/etc/qemu-ga"
    printf '%s\n' '#!/bin/sh' \
        'if [ "$1" = freeze ] && [ -e /run/vp-slow-freeze ]; then' \
        '    s=$(cat /run/vp-slow-freeze)' '    rm -f /run/vp-slow-freeze' \
        '    sleep "${s:-4}"' 'fi' 'exit 0' \
        >"$r/etc/qemu-ga/fsfreeze-hook"
    chmod 755 "$r/etc/qemu-ga/fsfreeze-hook"
    (cd "$r" && find . | sort | "$x/bin/busybox" cpio -o -H newc 2>/dev/null) |
        gzip -9 >"$work/initramfs.gz"
    cp "$x/boot/vmlinuz-$kver" "$work/vmlinuz"

    truncate -s 64M "$work/base.raw"
    mkfs.ext4 -q -F -L testfs "$work/base.raw"
    "$qemu_img" convert -f raw -O qcow2 "$work/base.raw" "$work/disk.qcow2"

    mv "$work/vmlinuz" "$work/initramfs.gz" "$work/disk.qcow2" "$out/"
    rm -rf "$work"
    printf '%s\n%s\n%s\n' "$kpkg" "$source" "$recipe" >"$out/guest.stamp"
}

# Only one build per tree, even when several tests start at once.
exec 9>"$out/.lock"
if command -v flock >/dev/null 2>&1; then
    flock 9
fi
build
