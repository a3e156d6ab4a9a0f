#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# test-vpsh-procvm-store.sh: a third-party driver built from the SDK 1.1
# services alone (tests/plugins/procvm, persistent host procvm:///demo),
# one vpsh process per step: definitions persist in the URI's state
# directory, a started domain is a detached process that outlives vpsh
# with a pidfile that names it, a record whose process identity no longer
# matches the pid (pid reuse) reads shut off and is never signalled, a
# killed process reads crashed, an interrupted start is settled, and a
# name that would make a hidden file is refused with the SDK's message.
set -eu
. "$(dirname "$0")/vpsh-lib.sh"

VIRTPLUG_PLUGIN_DIR="$VP_TOP_BUILDDIR/tests/plugins/.libs"
VIRTPLUG_STATE_DIR="$tmp/state"
export VIRTPLUG_PLUGIN_DIR VIRTPLUG_STATE_DIR
[ -f "$VIRTPLUG_PLUGIN_DIR/procvm.so" ] || { echo "SKIP: procvm.so is not built"; exit 77; }
U=procvm:///demo
run="$VIRTPLUG_RUNTIME_DIR/procvm/demo"
pids=""
trap 'for p in $pids; do kill -9 "$p" 2>/dev/null || true; done; rm -rf "$tmp"' EXIT

cat >"$tmp/guest" <<'SH'
#!/bin/sh
echo "procvm guest $1 up"
exec sleep 600
SH
chmod 755 "$tmp/guest"
cat >"$tmp/p1.xml" <<XML
<domain type='procvm'>
  <name>p1</name>
  <memory unit='MiB'>64</memory>
  <os><type>exe</type></os>
  <devices><emulator>$tmp/guest</emulator></devices>
</domain>
XML

# Defined in one process, found by the next: the state directory persists.
vp -c $U define "$tmp/p1.xml"
expect_rc 0
[ -f "$VIRTPLUG_STATE_DIR/procvm/demo/p1.xml" ] || fail "no definition in the state directory"
vp -c $U domstate p1 --reason
expect_rc 0
expect_out "shut off (unknown)
"

# Started: a detached process that outlives vpsh, named by its pidfile.
vp -c $U start p1
expect_rc 0
pid=$(cat "$run/p1.pid")
pids="$pids $pid"
kill -0 "$pid" || fail "the domain's process $pid is not running after vpsh exited"
ppid=$(awk '{ print $4 }' "/proc/$pid/stat")
[ "$ppid" != "$$" ] || fail "the domain's process is a child of the test"
vp -c $U domstate p1 --reason
expect_rc 0
expect_out "running (booted)
"
vp -c $U start p1
expect_rc 1
expect_err "error: Domain is already active"
grep -q "procvm guest p1 up" "$run/p1.log" || fail "the guest's output is not in its log"
grep -q "^process=$pid:" "$run/p1.state" || fail "the record does not hold process $pid"

# The pid now belongs to another process (simulated: the recorded start
# time is not the process's): shut off, and destroy never signals it.
sed -i "s/^process=$pid:[0-9]*:/process=$pid:1:/" "$run/p1.state"
vp -c $U domstate p1 --reason
expect_rc 0
expect_out "shut off (crashed)
"
vp -c $U destroy p1
expect_rc 1
expect_err_has "domain 'p1' is not running"
kill -0 "$pid" || fail "destroy signalled process $pid, which the record does not name"
kill -9 "$pid"

# Killed behind the driver's back: crashed.
vp -c $U start p1
expect_rc 0
pid=$(cat "$run/p1.pid")
pids="$pids $pid"
kill -9 "$pid"
while kill -0 "$pid" 2>/dev/null && [ "$(awk '{ print $3 }' "/proc/$pid/stat")" != Z ]; do
    sleep 0.05
done
vp -c $U domstate p1 --reason
expect_rc 0
expect_out "shut off (crashed)
"

# A start killed after writing its intent and before running anything:
# the next operation settles it (failed) and goes on.
printf 'state=starting\nreason=0\n' >"$run/p1.state"
rm -f "$run/p1.pid"
vp -c $U domstate p1 --reason
expect_rc 0
expect_out "paused (starting up)
"
vp -c $U start p1
expect_rc 0
pid=$(cat "$run/p1.pid")
pids="$pids $pid"
vp -c $U undefine p1
expect_rc 1
expect_err_has "domain 'p1' is running; destroy it first"
vp -c $U destroy p1 \; domstate p1 --reason
expect_rc 0
expect_out_has "shut off (destroyed)"
! kill -0 "$pid" 2>/dev/null || [ "$(awk '{ print $3 }' "/proc/$pid/stat")" = Z ] ||
    fail "destroy left process $pid running"
vp -c $U undefine p1
expect_rc 0
[ ! -e "$VIRTPLUG_STATE_DIR/procvm/demo/p1.xml" ] || fail "undefine left the definition"
[ ! -e "$run/p1.lock" ] || fail "undefine left the lock file"
vp -c $U list --all
expect_rc 0
expect_out_has " Id   Name   State"
! grep -q p1 "$tmp/out" || fail "undefined p1 is still listed"

# A name the core accepts but a file would hide: the SDK's rule, by name.
sed 's|<name>p1</name>|<name>.hidden</name>|' "$tmp/p1.xml" >"$tmp/hidden.xml"
vp -c $U define "$tmp/hidden.xml"
expect_rc 1
expect_err_has "invalid domain name '.hidden': it starts with '.'"

# procvm:///default stays in memory and runs nothing.
vp -c procvm:///default "define $tmp/p1.xml; start p1"
expect_rc 1
expect_err_has "procvm:///default keeps its domains in memory and runs none"
done_ok
