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
expect_err "error: Domain is already active"

vp -c "$URI" "destroy none1; undefine none1; list --all"
expect_rc 0
same_both list --all

# Events over ssh: the far helper watches the far host (its inotify on the
# instance's records), and a change another vpsh makes there reaches
# 'vpsh event' here.
# far_watching: the far helper of the background 'vpsh event' watches.
far_watching() {
    for p in /proc/[0-9]*; do
        case "$({ tr '\0' ' ' <"$p/cmdline"; } 2>/dev/null)" in
        *virtplug-ssh-helper*"root=$root"*)
            n=$(cat "$p"/fdinfo/* 2>/dev/null | grep -c '^inotify wd:' || true)
            [ "$n" -ge 2 ] && return 0
            ;;
        esac
    done
    return 1
}
# remote_event NAME ARGS...: 'vpsh -c URI event ARGS' in the background,
# back once its far helper watches.
remote_event() {
    name=$1
    shift
    "$VPSH" -c "$URI" event "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" &
    bg_pid=$!
    i=0
    until far_watching; do
        i=$((i + 1))
        [ $i -lt 200 ] || fail "the far helper of 'vpsh event' did not start watching"
        sleep 0.05
    done
}
finish() {
    set +e
    wait "$1"
    rc=$?
    set -e
    last="vpsh -c URI event ($2)"
    cp "$tmp/$2.out" "$tmp/out"
    cp "$tmp/$2.err" "$tmp/err"
}
sed 's/none1/ev1/' "$tmp/none1.xml" >"$tmp/ev1.xml"
remote_event defined --all --timeout 60
vp -c "$LOCAL" define "$tmp/ev1.xml"
expect_rc 0
finish "$bg_pid" defined
expect_rc 0
expect_err ""
expect_out "event 'lifecycle' for domain 'ev1': Defined Added
events received: 1
"
remote_event started --all --timeout 60
vp -c "$LOCAL" start ev1
expect_rc 0
finish "$bg_pid" started
expect_rc 0
expect_out "event 'lifecycle' for domain 'ev1': Started Booted
events received: 1
"
vp -c "$URI" "destroy ev1; undefine ev1"
expect_rc 0

expect_nothing_left
sshd_sanitizer_check
echo "PASS: $checks checks"
