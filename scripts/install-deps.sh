#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# Install every Debian 12 package virtplug's build, tests and benchmarks use.
set -eu
pkgs="build-essential autoconf automake libtool libltdl-dev pkg-config
      libxml2-dev libjson-c-dev libcmocka-dev libedit-dev
      qemu-system-x86 qemu-utils qemu-guest-agent busybox-static e2fsprogs ovmf swtpm swtpm-tools openssl
      pm-utils util-linux openssh-client openssh-server valgrind clang clang-format libclang-rt-14-dev libvirt-dev libvirt-clients hyperfine
      python3-dev python3-pytest python3-libvirt"
missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update
    # shellcheck disable=SC2086
    apt-get install -y --no-install-recommends $missing
fi

# The QEMU tests boot a tiny guest built from Debian packages fetched with
# 'apt-get download' (tests/helpers/guest/build-guest.sh): that needs the
# package lists, which a fresh machine may not have yet.
if ! apt-cache show linux-image-cloud-amd64 >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update
fi
