#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# test-vpsh-event.sh: "vpsh event" as virsh event: its usage errors and
# messages, --list, a timeout with no event (exit 1), and on a QEMU embed
# instance the events of changes other vpsh processes make, printed as
# virsh prints them, one per --json line, filtered by --domain, ended by
# the first event without --loop and by Ctrl-C with it; a reset of the
# guest printed as virsh's 'reboot' event.
set -eu
. "$(dirname "$0")/vpsh-lib.sh"

# ---- usage and messages, on test:///default ----
vp event
expect_rc 1
expect_err "error: one of --list, --all, or --event <type> is required"
vp event --all --event lifecycle
expect_rc 1
expect_err "error: Options --all and --event are mutually exclusive"
vp event --event foo
expect_rc 1
expect_err "error: unknown event type foo"
vp event --event rtc-change
expect_rc 1
expect_err "error: not supported yet: event type 'rtc-change'; virtplug raises 'lifecycle', 'reboot', 'io-error' and 'io-error-reason' events"
vp event --all --timeout zero
expect_rc 1
expect_err "error: invalid timeout 'zero': give whole seconds, 1 or more"
vp event --list
expect_rc 0
expect_out "lifecycle
reboot
io-error
io-error-reason
"
vp_within 10 event --all --timeout 1
expect_rc 1
expect_err ""
expect_out "event loop timed out
events received: 0
"
vp_within 10 --json event --event lifecycle --timeout 1
expect_rc 1
expect_json_raw "false
0
timeout" ok result.events_received result.ended
vp event --all --domain nope
expect_rc 1
expect_err "error: failed to get domain 'nope'"

# ---- events of other processes' changes, on QEMU ----
if [ ! -x "${QEMU_SYSTEM:-}" ]; then
    echo "ok: $checks checks (QEMU part skipped: no QEMU_SYSTEM)"
    exit 0
fi
root="$tmp/qemu"
uri="qemu:///embed?root=$root"
cat >"$tmp/ev1.xml" <<EOF
<domain type='qemu'><name>ev1</name><uuid>7a0c6c3e-51c5-4bd8-8e3e-4a54a1b1c0de</uuid>
<memory unit='MiB'>32</memory><vcpu>1</vcpu>
<os><type arch='x86_64' machine='none'>hvm</type></os></domain>
EOF
sed 's/ev1/ev2/; s/7a0c6c3e/7a0c6c3f/' "$tmp/ev1.xml" >"$tmp/ev2.xml"
cleanup_qemu() {
    for f in "$root"/run/*.pid; do
        [ -e "$f" ] && kill -9 "$(cat "$f")" 2>/dev/null || true
    done
    rm -rf "$tmp"
}
trap cleanup_qemu EXIT

# bg NAME ARGS...: run vpsh in the background (output in $tmp/NAME.*) and
# wait until its watch is set up: its inotify descriptor watches both
# directories.
bg() {
    name=$1
    shift
    "$VPSH" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" &
    bg_pid=$!
    for _ in $(seq 200); do
        n=$(cat /proc/$bg_pid/fdinfo/* 2>/dev/null | grep -c '^inotify wd:' || true)
        [ "$n" -ge 2 ] && return 0
        sleep 0.05
    done
    fail "vpsh $* did not start watching"
}

# finish PID NAME: wait for the background vpsh, then check it like vp.
finish() {
    set +e
    wait "$1"
    rc=$?
    set -e
    last="vpsh event ($2)"
    cp "$tmp/$2.out" "$tmp/out"
    cp "$tmp/$2.err" "$tmp/err"
}

# One event, then it exits: the first change another process makes.
vp -c "$uri" list --all
bg one -c "$uri" event --all --timeout 60
one=$bg_pid
vp -c "$uri" define "$tmp/ev1.xml"
expect_rc 0
finish "$one" one
expect_rc 0
expect_err ""
expect_out "event 'lifecycle' for domain 'ev1': Defined Added
events received: 1
"

# --loop until Ctrl-C, text and --json, one of them for ev1 only.
bg text -c "$uri" event --all --loop --timeout 60
text=$bg_pid
bg json -c "$uri" --json event --event lifecycle --loop --domain ev1 --timeout 60
json=$bg_pid
vp -c "$uri" define "$tmp/ev2.xml"
vp -c "$uri" start ev1
expect_rc 0
vp -c "$uri" suspend ev1
vp -c "$uri" resume ev1
vp -c "$uri" destroy ev1
vp -c "$uri" start ev1
kill -9 "$(cat "$root/run/ev1.pid")"
# SIGKILL returns before QEMU has ended: the crash is printed first only
# once it was seen, so wait for it before the next change.
for _ in $(seq 200); do
    grep -q 'Stopped Crashed' "$tmp/text.out" && break
    sleep 0.05
done
vp -c "$uri" undefine ev2
expect_rc 0
# Every event of both is printed before they are interrupted.
for _ in $(seq 200); do
    [ "$(grep -c . "$tmp/text.out" || true)" -ge 8 ] && [ "$(grep -c . "$tmp/json.out" || true)" -ge 6 ] && break
    sleep 0.05
done
kill -INT "$text" "$json"
finish "$text" text
expect_rc 0
expect_err ""
expect_out "event 'lifecycle' for domain 'ev2': Defined Added
event 'lifecycle' for domain 'ev1': Started Booted
event 'lifecycle' for domain 'ev1': Suspended Paused
event 'lifecycle' for domain 'ev1': Resumed Unpaused
event 'lifecycle' for domain 'ev1': Stopped Destroyed
event 'lifecycle' for domain 'ev1': Started Booted
event 'lifecycle' for domain 'ev1': Stopped Crashed
event 'lifecycle' for domain 'ev2': Undefined Removed
event loop interrupted
events received: 8
"
finish "$json" json
expect_rc 0
head -n 6 "$tmp/json.out" | while read -r line; do
    printf '%s\n' "$line" | "$JSON_QUERY" domain uuid type detail
done >"$tmp/json.fields"
cp "$tmp/json.fields" "$tmp/out"
expect_out "ev1
7a0c6c3e-51c5-4bd8-8e3e-4a54a1b1c0de
started
booted
ev1
7a0c6c3e-51c5-4bd8-8e3e-4a54a1b1c0de
suspended
paused
ev1
7a0c6c3e-51c5-4bd8-8e3e-4a54a1b1c0de
resumed
unpaused
ev1
7a0c6c3e-51c5-4bd8-8e3e-4a54a1b1c0de
stopped
destroyed
ev1
7a0c6c3e-51c5-4bd8-8e3e-4a54a1b1c0de
started
booted
ev1
7a0c6c3e-51c5-4bd8-8e3e-4a54a1b1c0de
stopped
crashed"
tail -n +7 "$tmp/json.out" >"$tmp/out"
expect_json_raw "true
6
interrupted" ok result.events_received result.ended

# A reset of the guest: 'reboot', as virsh prints it (the QMP event QEMU
# raises, recorded by the watch that holds the domain's events monitor).
# The watch holds it a moment after it starts: reset until it has seen one.
vp -c "$uri" start ev1
expect_rc 0
bg reboot -c "$uri" event --event reboot --timeout 60
reboot=$bg_pid
for _ in $(seq 40); do
    vp -c "$uri" reset ev1
    expect_rc 0
    kill -0 "$reboot" 2>/dev/null || break
    sleep 0.25
done
finish "$reboot" reboot
expect_rc 0
expect_err ""
expect_out "event 'reboot' for domain 'ev1'
events received: 1
"
vp -c "$uri" destroy ev1
expect_rc 0
echo "ok: $checks checks"
