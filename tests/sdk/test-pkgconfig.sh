#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# virtplug-sdk.pc asks for a *minimum* virtplug: a plugin built with this SDK
# still configures when the library is a newer release of the same ABI
# major (a security update), which an exact "virtplug = VERSION" refuses.
set -u
pc="$VP_TOP_BUILDDIR/sdk/virtplug-sdk.pc"
[ -f "$pc" ] || { echo "missing $pc"; exit 99; }
command -v pkg-config >/dev/null 2>&1 || { echo "no pkg-config"; exit 77; }
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
version=$(sed -n 's/^Version: *//p' "$pc")
cp "$pc" "$tmp/virtplug-sdk.pc"
status=0
for lib in "$version" "$version.1" "${version%%.*}.99.0"; do
    sed "s/^Version: .*/Version: $lib/" "$VP_TOP_BUILDDIR/sdk/virtplug.pc" >"$tmp/virtplug.pc"
    if PKG_CONFIG_PATH="$tmp" PKG_CONFIG_LIBDIR="$tmp" pkg-config --print-errors --exists "virtplug-sdk >= $version"; then
        echo "ok: virtplug-sdk $version resolves with virtplug $lib"
    else
        echo "FAIL: virtplug-sdk $version does not resolve with virtplug $lib (Requires: $(sed -n 's/^Requires: *//p' "$pc"))"
        status=1
    fi
done
# An older library than the SDK's is not enough.
sed "s/^Version: .*/Version: 0.9/" "$VP_TOP_BUILDDIR/sdk/virtplug.pc" >"$tmp/virtplug.pc"
if PKG_CONFIG_PATH="$tmp" PKG_CONFIG_LIBDIR="$tmp" pkg-config --exists virtplug-sdk; then
    echo "FAIL: virtplug-sdk $version resolves with virtplug 0.9"
    status=1
else
    echo "ok: virtplug-sdk $version needs virtplug >= $version"
fi
exit $status
