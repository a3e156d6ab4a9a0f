#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# test-vpsh-nodesuspend.sh: "vpsh nodesuspend" on top of the hostpower-bsd
# plugin, with hostpower.conf pointing at the fake FreeBSD and OpenBSD
# commands of tests/helpers/bsd/. Checks the exit status, what vpsh prints
# for people, and what the fakes were asked to run. Nothing here can
# suspend the machine.
set -u
top_src=${VP_TOP_SRCDIR:?run through make check}
top_build=${VP_TOP_BUILDDIR:?run through make check}
vpsh=${VP_VPSH:-$top_build/tools/vpsh/vpsh}
[ -x "$vpsh" ] || { echo "FAIL: $vpsh is not built"; exit 1; }
dir=$(mktemp -d /tmp/vp-test-bsd-vpsh-XXXXXX) || exit 99
trap 'rm -rf "$dir"' EXIT
export VP_FAKE_BSD_STATE="$dir/state"
export VIRTPLUG_RUNTIME_DIR="$dir/run"
export VIRTPLUG_HOSTPOWER_CONF="$dir/hostpower.conf"
uri='test:///default?hostpower=hostpower-bsd'
failures=0

fail() {
    echo "FAIL: $*"
    for f in out err "$VP_FAKE_BSD_STATE/calls"; do
        [ -f "$dir/$f" ] && { echo "--- $f:"; cat "$dir/$f"; }
        [ -f "$f" ] && { echo "--- $f:"; cat "$f"; }
    done
    failures=$((failures + 1))
}

# A fresh fake host of @1 (freebsd, openbsd) with no delay.
fake_host() {
    rm -rf "$VP_FAKE_BSD_STATE" "$VIRTPLUG_RUNTIME_DIR"
    mkdir -p "$VP_FAKE_BSD_STATE/sysctl" "$VIRTPLUG_RUNTIME_DIR"
    h=$top_src/tests/helpers/bsd/$1
    cat >"$VIRTPLUG_HOSTPOWER_CONF" <<CONF
os = $1
sysctl = $h/sysctl
acpiconf = $h/acpiconf
zzz = $h/zzz
apm = $h/apm
suspend_delay_ms = 0
CONF
}

# run ARGS...: vpsh with the URI, stdout to $dir/out, stderr to $dir/err.
run() {
    "$vpsh" -c "$uri" "$@" >"$dir/out" 2>"$dir/err"
}

called() {
    grep -qx "$1" "$VP_FAKE_BSD_STATE/calls" 2>/dev/null
}

# FreeBSD, suspend to RAM without a wake-up: acpiconf -s 3, outcome "requested".
fake_host freebsd
echo "S3 S4 S5" >"$VP_FAKE_BSD_STATE/sysctl/hw.acpi.supported_sleep_state"
run nodesuspend mem 0 --no-wakeup || fail "freebsd: nodesuspend mem 0 --no-wakeup exited $?"
called "acpiconf -s 3" || fail "freebsd: acpiconf -s 3 was not run"
grep -q requested "$dir/out" || fail "freebsd: the outcome 'requested' was not printed"
run nodesuspend-status || fail "freebsd: nodesuspend-status exited $?"
grep -q requested "$dir/out" || fail "freebsd: nodesuspend-status does not say 'requested'"
grep -q hostpower-bsd "$dir/out" || fail "freebsd: nodesuspend-status does not name the driver"

# A timed request is refused before anything runs, saying what to do.
fake_host freebsd
echo "S3 S4 S5" >"$VP_FAKE_BSD_STATE/sysctl/hw.acpi.supported_sleep_state"
if run nodesuspend mem 120; then
    fail "freebsd: a timed request succeeded"
fi
grep -q "^error: the BSDs have no RTC wake alarm" "$dir/err" || fail "freebsd: no RTC error"
grep -q -- "--no-wakeup" "$dir/err" || fail "freebsd: the error does not mention --no-wakeup"
grep -q "^acpiconf\|^zzz\|^apm" "$VP_FAKE_BSD_STATE/calls" 2>/dev/null &&
    fail "freebsd: a suspend command ran for a refused request"

# OpenBSD: hibernate through zzz -Z.
fake_host openbsd
run nodesuspend disk 0 --no-wakeup || fail "openbsd: nodesuspend disk 0 --no-wakeup exited $?"
called "zzz -Z" || fail "openbsd: zzz -Z was not run"

# OpenBSD without apmd: the failure carries zzz's stderr and what to do.
fake_host openbsd
: >"$VP_FAKE_BSD_STATE/apmd.down"
if run nodesuspend mem 0 --no-wakeup; then
    fail "openbsd: the suspend succeeded without apmd"
fi
grep -q "cannot connect to apmd" "$dir/err" || fail "openbsd: zzz's stderr is not in the error"
grep -q "rcctl start apmd" "$dir/err" || fail "openbsd: the error does not say to start apmd"

[ "$failures" -eq 0 ] || exit 1
echo "ok"
