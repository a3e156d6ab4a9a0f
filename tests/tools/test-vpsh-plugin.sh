#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# test-vpsh-plugin.sh: plugin-list shows the built-in test driver and the
# plugins of the build tree's plugin directory, in text and --json, and a
# refused plugin with the reason.
set -eu
. "$(dirname "$0")/vpsh-lib.sh"

vp plugin-list
expect_rc 0
expect_err ""
head -n 1 "$tmp/out" | grep -q '^ Name  *Version  *ABI  *Kinds  *Status  *Path$' ||
    fail "plugin-list has no table header"
grep -Eq '^ test  +[0-9.]+ +1\.[0-9]+ +hypervisor,hostpower +ok +\(built-in\)$' "$tmp/out" ||
    fail "plugin-list does not show the built-in test driver"

vp --json plugin-list
expect_rc 0
"$JSON_QUERY" result.plugin_dir <"$tmp/out" | grep -qx "$VIRTPLUG_PLUGIN_DIR" ||
    fail "plugin_dir is not \$VIRTPLUG_PLUGIN_DIR"
n=$("$JSON_QUERY" result.plugins.# <"$tmp/out")
i=0
found=no
while [ "$i" -lt "$n" ]; do
    if [ "$("$JSON_QUERY" result.plugins.$i.name <"$tmp/out")" = test ]; then
        found=yes
        expect_json "null
hypervisor
hostpower
ok
null" plugins.$i.path plugins.$i.kinds.0 plugins.$i.kinds.1 plugins.$i.status \
            plugins.$i.error_code
    fi
    i=$((i + 1))
done
[ "$found" = yes ] || fail "plugin-list --json does not list the test driver"

# A plugin directory holding a file that is not a plugin: it is listed as
# refused, with the loader's reason, and plugin-list still succeeds.
mkdir "$tmp/plugins"
printf 'not an ELF file\n' >"$tmp/plugins/broken.so"
chmod 644 "$tmp/plugins/broken.so"
export VIRTPLUG_PLUGIN_DIR="$tmp/plugins"
vp plugin-list
expect_rc 0
grep -Eq '^ broken  .* refused  +'"$tmp"'/plugins/broken.so$' "$tmp/out" ||
    fail "the broken plugin is not shown as refused"
grep -q '^broken: .' "$tmp/out" || fail "the refusal has no reason"
vp --json plugin-list
expect_rc 0
expect_json "$tmp/plugins" plugin_dir

# plugin-check runs the real conformance kit of this build on a plugin of
# the tree (passes, exit 0) and on a file that is no plugin (fails).
kit="$VP_TOP_BUILDDIR/sdk/conformance/virtplug-plugin-check"
plugin=$VP_TOP_BUILDDIR/plugins/.libs/hostpower-linux.so
[ -f "$plugin" ] || plugin=$VP_TOP_BUILDDIR/plugins/.libs/hostpower-bsd.so
if [ -x "$kit" ] && [ -f "$plugin" ]; then
    export VIRTPLUG_PLUGIN_CHECK="$kit"
    export VIRTPLUG_PLUGIN_DIR="$VP_TOP_BUILDDIR/plugins/.libs"
    vp plugin-check "$plugin"
    expect_rc 0
    expect_out_has "ok 1 - load"
    grep -q '^not ok' "$tmp/out" && fail "the kit failed a check on '$plugin'"
    chmod 755 "$tmp/plugins"
    vp plugin-check "$tmp/plugins/broken.so"
    [ "$rc" -ne 0 ] || fail "the kit passed a file that is no plugin"
    expect_out_has "not ok"
fi

done_ok
