#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# test-remote-qemu.sh: the QEMU driver over ssh. A '-machine none' domain
# (real qemu-system-x86_64, TCG) is defined, started, paused, resumed,
# snapshotted, destroyed and undefined through
# qemu+ssh://127.0.0.1:PORT/embed?root=DIR, and what vpsh prints over ssh
# is what it prints on qemu:///embed?root=DIR, the same instance seen
# locally (the far host is this machine).
. "$VP_TOP_SRCDIR/tests/plugins/remote/remote-lib.sh"

[ -x "${QEMU_SYSTEM:-/usr/bin/qemu-system-x86_64}" ] ||
    { echo "SKIP: no ${QEMU_SYSTEM:-qemu-system-x86_64} (package qemu-system-x86)"; exit 77; }
[ -f "$VIRTPLUG_PLUGIN_DIR/qemu.so" ] || { echo "SKIP: the qemu plugin was not built"; exit 77; }

root="$tmp/qemu"
mkdir -p "$root"
LOCAL="qemu:///embed?root=$root"
URI=$(remote_uri qemu /embed "root=$root")
cat >"$tmp/none1.xml" <<XML
<domain type='qemu'>
  <name>none1</name>
  <memory unit='MiB'>32</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='none'>hvm</type></os>
</domain>
XML

vp -c "$URI" define "$tmp/none1.xml"
expect_rc 0
expect_out "Domain 'none1' defined from $tmp/none1.xml
"

# same_both CMD: the remote output equals the local one of the same instance.
same_both() {
    vp -c "$URI" "$@"
    remote_rc=$rc
    cp "$tmp/out" "$tmp/remote.out"
    cp "$tmp/err" "$tmp/remote.err"
    vp -c "$LOCAL" "$@"
    checks=$((checks + 1))
    [ "$rc" -eq "$remote_rc" ] || fail "'$*' exited with $remote_rc over ssh, $rc locally"
    # A running guest's CPU time grows between the two calls (and is 0,
    # and not printed, until its first tick).
    sed -i -e '/^CPU time: /d' -e 's/"cpu_time_ns": [0-9]*/"cpu_time_ns": N/' \
        "$tmp/out" "$tmp/remote.out"
    diff -u "$tmp/out" "$tmp/remote.out" >&2 || fail "stdout of '$*' over ssh differs"
    diff -u "$tmp/err" "$tmp/remote.err" >&2 || fail "stderr of '$*' over ssh differs"
}

same_both list --all
same_both dumpxml none1
same_both --json dominfo none1
same_both domcapabilities

vp -c "$URI" "start none1; domstate --reason none1; suspend none1; domstate --reason none1; resume none1; domstate none1"
expect_rc 0
expect_out "Domain 'none1' started

running (booted)

Domain 'none1' suspended

paused (user)

Domain 'none1' resumed

running
"
same_both list --all
same_both dominfo none1
same_both domid none1
same_both domuuid none1
uuid=$("$VPSH" -c "$LOCAL" domuuid none1 | head -n 1)
same_both domname "$uuid"
same_both nodeinfo
same_both hostname
id=$("$VPSH" -c "$LOCAL" domid none1 | head -n 1)
same_both domname "$id"

# No guest agent: the far driver's refusal, with the host.
vp -c "$LOCAL" domtime none1
expect_rc 1
local_err=$(sed 's/^error: //' "$tmp/err")
vp -c "$URI" domtime none1
expect_rc 1
expect_err "error: on host '127.0.0.1': $local_err"

vp -c "$URI" start none1
expect_rc 1
expect_err "error: on host '127.0.0.1': domain 'none1' is already running"

vp -c "$URI" "destroy none1; undefine none1; list --all"
expect_rc 0
same_both list --all

expect_nothing_left
sshd_sanitizer_check
echo "PASS: $checks checks"
