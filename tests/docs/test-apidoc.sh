#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# test-apidoc.sh: every public function of the installed headers has a doc
# comment of its own (apidoc --check fails otherwise: shown on a header
# made to fail), and the reference made from them is sound: groff reads
# every man page without a warning (but for lines it cannot adjust or
# break, such as a long path), each function's page sources its
# family's, and api.html has an anchor for each function.
set -eu
: "${VP_TOP_BUILDDIR:?run through make check}"
: "${VP_TOP_SRCDIR:?run through make check}"
apidoc="$VP_TOP_BUILDDIR/docs/apidoc"
tmp=$(mktemp -d /tmp/apidoc-test.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
s=$VP_TOP_SRCDIR
headers="$s/framework/include/virtplug/virtplug.h
 $s/framework/include/virtplug/virtplug-snapshots.h
 $s/framework/include/virtplug/virtplug-host-power.h
 $s/framework/include/virtplug/virtplug-plugins.h
 $s/framework/include/virtplug/virtplug-guest-agent.h
 $s/framework/include/virtplug/virtplug-identity.h
 $s/framework/include/virtplug/virtplug-runtime-data.h
 $s/framework/include/virtplug/virtplug-domain-events.h
 $s/framework/include/virtplug/virtplug-guest-clocks.h
 $s/framework/include/virtplug/virtplug-consoles.h
 $s/framework/include/virtplug/virtplug-stats.h $s/sdk/include/virtplug/sdk/stats.h
 $s/framework/include/virtplug/virtplug-lifecycle.h $s/framework/include/virtplug/virtplug-domain-config.h $s/framework/include/virtplug/virtplug-jobs.h
 $s/framework/include/virtplug/virtplug-save.h
 $s/sdk/include/virtplug/sdk/alloc.h
 $s/sdk/include/virtplug/sdk/conf.h $s/sdk/include/virtplug/sdk/driver.h
 $s/sdk/include/virtplug/sdk/host.h
 $s/sdk/include/virtplug/sdk/plugin.h $s/sdk/include/virtplug/sdk/services.h"

# shellcheck disable=SC2086
"$apidoc" --check $headers >"$tmp/out" 2>"$tmp/err" || {
    cat "$tmp/err" >&2
    fail "public functions lack a doc comment (above)"
}

if "$apidoc" --check "$s/tests/docs/undocumented.h" >"$tmp/out" 2>"$tmp/err"; then
    fail "apidoc --check accepted tests/docs/undocumented.h"
fi
grep -q "undocumented.h:20: 'vp_widget_close' has no doc comment" "$tmp/err" ||
    fail "no error for vp_widget_close: $(cat "$tmp/err")"
grep -q "'vp_widget_name' follows the doc comment of 'vp_widget_get_name'" "$tmp/err" ||
    fail "no error for vp_widget_name: $(cat "$tmp/err")"
grep -q "apidoc: 2 public function(s) without a doc comment of their own" "$tmp/err" ||
    fail "wrong count: $(cat "$tmp/err")"

mkdir "$tmp/man3"
# shellcheck disable=SC2086
"$apidoc" --man "$tmp/man3" --html "$tmp/api.html" --version 9.9.9 --date 2026-01-02 $headers
n=0
for name in $(sed -n 's/^\(vp_[a-z_0-9]*\)(.*/\1/p; s/^[a-z_ ]*[ *]\(vp_[a-z_0-9]*\)(.*/\1/p' \
    "$s"/framework/include/virtplug/*.h | sort -u); do
    [ -f "$tmp/man3/$name.3" ] || fail "no man page for $name"
    page=$(sed -n 's|^\.so man3/||p' "$tmp/man3/$name.3")
    [ -f "$tmp/man3/$page" ] || fail "$name.3 sources '$page', which was not made"
    grep -q "^\.SS $name\$" "$tmp/man3/$page" || fail "$page does not describe $name"
    grep -q "id=\"$name\"" "$tmp/api.html" || fail "api.html has no anchor for $name"
    n=$((n + 1))
done
[ "$n" -gt 50 ] || fail "only $n functions found in virtplug.h"
grep -q '^\.TH LIBVIRTPLUG-DOMAINS 3 2026-01-02 "virtplug 9.9.9"' "$tmp/man3/libvirtplug-domains.3" ||
    fail "libvirtplug-domains.3 has no proper .TH line"
if command -v groff >/dev/null 2>&1; then
    for f in "$tmp"/man3/libvirtplug-*.3 "$tmp"/man3/virtplug-sdk-*.3; do
        groff -man -Tutf8 -ww -Wbreak -z "$f" 2>"$tmp/groff" || fail "groff failed on $f"
        [ ! -s "$tmp/groff" ] || fail "groff warns on $f: $(cat "$tmp/groff")"
    done
fi
echo "PASS: $n functions of virtplug.h documented, man pages and HTML made"
