#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# Every symbol libvirtplug.so exports has the vp_ prefix, carries the
# VIRTPLUG_1.0 version and is listed in framework/libvirtplug.sym; every
# symbol listed there is exported.
set -u
lib="$VP_TOP_BUILDDIR/framework/.libs/libvirtplug.so"
sym="$VP_TOP_SRCDIR/framework/libvirtplug.sym"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
[ -f "$lib" ] || { echo "missing $lib"; exit 99; }

nm -D --defined-only "$lib" | awk '$2 ~ /^[TDBRVW]$/ { print $3 }' |
    grep -v '^VIRTPLUG_' | sort -u > "$tmp/exported-versioned"
sed 's/@.*//' "$tmp/exported-versioned" | sort -u > "$tmp/exported"
sed -n 's/^[[:space:]]*\([A-Za-z_][A-Za-z0-9_]*\);[[:space:]]*$/\1/p' "$sym" | sort -u > "$tmp/listed"

status=0
if [ ! -s "$tmp/exported" ]; then
    echo "no symbols exported by $lib"
    exit 1
fi
bad=$(grep -v '^vp_' "$tmp/exported")
if [ -n "$bad" ]; then
    echo "exported without the vp_ prefix:"; echo "$bad"; status=1
fi
bad=$(grep -v '@@VIRTPLUG_1\.[01]$' "$tmp/exported-versioned")
if [ -n "$bad" ]; then
    echo "exported without a VIRTPLUG_1.0 or VIRTPLUG_1.1 version:"; echo "$bad"; status=1
fi
bad=$(comm -23 "$tmp/exported" "$tmp/listed")
if [ -n "$bad" ]; then
    echo "exported but not listed in libvirtplug.sym:"; echo "$bad"; status=1
fi
bad=$(comm -13 "$tmp/exported" "$tmp/listed")
if [ -n "$bad" ]; then
    echo "listed in libvirtplug.sym but not exported (add VP_EXPORT or drop it):"; echo "$bad"; status=1
fi
# Sorted within each version node (one node per release).
if ! awk '/\{/ { n++ } /^[[:space:]]+vp_/ { gsub(/[[:space:];]/, ""); print n, $0 }' "$sym" |
        LC_ALL=C sort -c -k1,1n -k2,2 2>/dev/null; then
    echo "libvirtplug.sym is not sorted"; status=1
fi
# Debian's symbols file (dpkg-gensymbols -c4 wants it exact) names the
# same symbols with their nodes; checked where the tree has it (not in a
# dist tarball).
deb="$VP_TOP_SRCDIR/debian/libvirtplug1.symbols"
if [ -f "$deb" ]; then
    sed -n 's/^ \(vp_[A-Za-z0-9_]*\)@\(VIRTPLUG_[0-9.]*\) .*/\1@@\2/p' "$deb" | sort -u > "$tmp/debian"
    bad=$(comm -3 "$tmp/exported-versioned" "$tmp/debian")
    if [ -n "$bad" ]; then
        echo "exported (first column) or in debian/libvirtplug1.symbols (second) but not both:"
        echo "$bad"; status=1
    fi
fi
[ $status -eq 0 ] && echo "ok: $(wc -l < "$tmp/exported") symbols, all vp_*, all listed"
exit $status
