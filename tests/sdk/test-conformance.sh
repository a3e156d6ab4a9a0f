#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# The plugins of this tree pass the conformance kit: the example plugin
# (built from sdk/examples/hello in the tree), the embedded test driver,
# and every plugin file present in plugins/.libs.
set -u
kit="$VP_TOP_BUILDDIR/sdk/conformance/virtplug-plugin-check"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"
status=0
run() {
    echo "== virtplug-plugin-check $*"
    "$kit" "$@" || status=1
}
run "$VP_TOP_BUILDDIR/tests/sdk/.libs/hello.so" --uri "hello://$VP_TOP_SRCDIR/sdk/examples/hello/domains"
run --uri test:///default
for so in "$VP_TOP_BUILDDIR"/plugins/.libs/*.so; do
    [ -f "$so" ] || continue
    name=$(basename "$so" .so)
    case $name in
    qemu)
        # Two defined (not started) domains, so the per-domain checks run.
        mkdir -p "$tmp/qemu"
        for xml in "$VP_TOP_SRCDIR"/sdk/examples/hello/domains/*.xml; do
            VIRTPLUG_PLUGIN_DIR="$VP_TOP_BUILDDIR/plugins/.libs" "$VP_TOP_BUILDDIR/tools/vpsh/vpsh" \
                -c "qemu:///embed?root=$tmp/qemu" define "$xml" >/dev/null || status=1
        done
        run "$so" --uri "qemu:///embed?root=$tmp/qemu"
        ;;
    *) run "$so" ;;
    esac
done
exit $status
