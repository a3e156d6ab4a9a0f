#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# test-vpsh-node.sh: the host-power verbs on test:///default, whose host
# power is simulated (nothing here suspends this machine or arms its
# RTC): nodesuspend prints the answer, then the outcome; the 60 s minimum;
# SIGINT during the delay cancels; nodesuspend-status reports the record,
# also one written before it held the time the host sleeps at;
# capabilities (libvirt's layout with the host power filled in).
set -eu
. "$(dirname "$0")/vpsh-lib.sh"
U=test:///default
# The simulated host waits 100 ms before it "sleeps" (see docs/test-driver.md).
F='test:///default?suspend_delay_ms=100'
ISO='[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{4}'

# json_delay_us PREFIX: suspend_at_us - requested_us of the object at PREFIX
# of the JSON document in $tmp/out.
json_delay_us() {
    "$JSON_QUERY" "result.${1}requested_us" "result.${1}suspend_at_us" <"$tmp/out" >"$tmp/jq" ||
        fail "stdout of '$last' is not one JSON document"
    req=$(sed -n 1p "$tmp/jq")
    at=$(sed -n 2p "$tmp/jq")
    echo $((at - req))
}

# iso_line LABEL: the epoch seconds of the ISO time after "LABEL:" in $tmp/out.
iso_line() {
    t=$(sed -n "s/^$1: *\([^ ]*\).*/\1/p" "$tmp/out" | head -n 1)
    date -d "$t" +%s || fail "no time after '$1:' in the output of '$last'"
}

vp -c $U nodesuspend-status
expect_rc 0
expect_err ""
expect_out "State:          none
"
vp -c $U --json nodesuspend-status
expect_rc 0
expect_json "none
null
null
0" state target suspend_at suspend_at_us

# Nothing was ever requested: cancel says so plainly.
vp -c $U nodesuspend-cancel
expect_rc 1
expect_out_blank
expect_err "error: no host suspend has been requested; there is nothing to cancel"

vp -c $U nodesuspend-capabilities
expect_rc 0
expect_out "mem
disk
hybrid
suspend-then-hibernate
"
# capabilities: libvirt's layout, the host power's targets libvirt names
# in <power_management> (no suspend-then-hibernate), and the same XML in
# the JSON document.
vp -c $U capabilities
expect_rc 0
grep -q "^<capabilities>$" "$tmp/out" || fail "no <capabilities>"
grep -q "^      <cells num='2'>$" "$tmp/out" || fail "no NUMA cells"
grep -q "^    <os_type>hvm</os_type>$" "$tmp/out" || fail "no hvm guest"
sed -n '/<power_management>/,/<\/power_management>/p' "$tmp/out" >"$tmp/power"
printf '%s\n' "    <power_management>" "      <suspend_mem/>" "      <suspend_disk/>" \
    "      <suspend_hybrid/>" "    </power_management>" | diff -u - "$tmp/power" >&2 ||
    fail "power management differs"
grep -v '^$' "$tmp/out" >"$tmp/caps.xml"
vp -c $U --json capabilities
expect_rc 0
json_result capabilities | grep -v '^$' >"$tmp/caps.json"
cmp -s "$tmp/caps.json" "$tmp/caps.xml" || fail "capabilities in JSON differ from the XML"
vp -c "$U?hostpower_caps=none" capabilities
expect_rc 0
grep -q "^    <power_management/>$" "$tmp/out" || fail "no empty power management"
vp -c $U --json nodesuspend-capabilities
expect_json "4
mem" suspend_targets.# suspend_targets.0

# Below the minimum: refused by the library, and the message says why.
vp -c $U nodesuspend mem 59
expect_rc 1
expect_out_blank
expect_error_line
expect_err_has "60"

vp -c "$F" nodesuspend mem 60
expect_rc 0
expect_err ""
expect_out_has "Host suspend to 'mem' for 60 s requested"
expect_out_has "Outcome:        resumed"
# The answer comes before the outcome.
a=$(grep -n "requested" "$tmp/out" | head -n 1 | cut -d: -f1)
o=$(grep -n "Outcome:" "$tmp/out" | cut -d: -f1)
[ "$a" -lt "$o" ] || fail "the outcome was printed before the answer"
grep -Eq '^Wakes at:       [0-9]{4}-[0-9]{2}-[0-9]{2}T' "$tmp/out" || fail "no wake time"
# The answer says when the host sleeps, and that Ctrl-C cancels until then.
grep -Eq "^Sleeps at:      $ISO \(Ctrl-C cancels until then\)\$" "$tmp/out" ||
    fail "the answer does not give the time the host sleeps at"
s=$(grep -n "^Sleeps at:" "$tmp/out" | cut -d: -f1)
[ "$s" -lt "$o" ] || fail "'Sleeps at' was printed after the outcome"

vp -c "$F" --json nodesuspend disk 120
expect_rc 0
expect_json "pending
disk
120
resumed
disk" answer.state answer.target answer.duration_s outcome.state outcome.target
# suspend_at is the request's time plus the driver's delay (100 ms), in
# the answer and in the outcome.
[ "$(json_delay_us answer.)" -eq 100000 ] || fail "answer.suspend_at_us is not requested + 100 ms"
[ "$(json_delay_us outcome.)" -eq 100000 ] || fail "outcome.suspend_at_us is not requested + 100 ms"
"$JSON_QUERY" result.answer.suspend_at <"$tmp/out" | grep -Eqx "$ISO" ||
    fail "answer.suspend_at is not an ISO time"
vp -c $U --json nodesuspend-status
expect_rc 0
[ "$(json_delay_us "")" -eq 100000 ] || fail "nodesuspend-status: suspend_at_us is not requested + 100 ms"
"$JSON_QUERY" result.suspend_at <"$tmp/out" | grep -Eqx "$ISO" || fail "suspend_at is not an ISO time"

# The record outlives the process that made the request.
vp -c "$F" nodesuspend hybrid 60 \; nodesuspend-status
expect_rc 0
expect_out_has "State:          resumed"
expect_out_has "Target:         hybrid"
expect_out_has "Duration:       60 s"
expect_out_has "Driver:         test"
grep -Eq "^Sleeps at:      $ISO\$" "$tmp/out" || fail "nodesuspend-status lacks 'Sleeps at'"

# The verbs after nodesuspend in a ';' sequence still run.
vp -c "$F" nodesuspend mem 60 \; uri
expect_rc 0
expect_out_has "Outcome:        resumed"
tail -n 2 "$tmp/out" | head -n 1 | grep -qx "$F" || fail "uri did not run after nodesuspend"

# A failure is reported with the driver's reason, and exit status 1.
vp -c "$F&hostpower_fail=suspend" nodesuspend mem 60
expect_rc 1
expect_out_has "Outcome:        failed"
expect_error_line
expect_err_has "error: host suspend failed: "
expect_err_has "hostpower_fail=suspend"
vp -c $U nodesuspend-status
expect_rc 0
expect_out_has "State:          failed"
grep -q "^Error:          VP_ERR_[A-Z_]*: .*hostpower_fail=suspend" "$tmp/out" ||
    fail "nodesuspend-status does not show the failure's error"
vp -c "$F&hostpower_fail=suspend" --json nodesuspend mem 60
expect_rc 1
"$JSON_QUERY" result.outcome.state result.outcome.error_message <"$tmp/out" >"$tmp/jq" ||
    fail "nodesuspend --json printed no document for a failure"
grep -qx failed "$tmp/jq" && grep -q 'hostpower_fail=suspend' "$tmp/jq" ||
    fail "the failure's JSON lacks its state or message"

# A host that can do no target: nothing listed, and a request is refused.
vp -c "$U?hostpower_caps=none" nodesuspend-capabilities
expect_rc 0
expect_out_blank
vp -c "$U?hostpower_caps=none" nodesuspend mem 60
expect_rc 1
expect_out_blank
expect_error_line

# Nothing to cancel in a fresh process.
vp -c $U nodesuspend-cancel
expect_rc 1
expect_out_blank
expect_error_line

# SIGINT (and SIGTERM) during the delay cancel cleanly: the outcome is
# "cancelled" and the exit status says which signal did it. The delay is
# long, so the signal always lands inside it.
for sig in INT TERM; do
    "$VPSH" -c "$U?suspend_delay_ms=600000" nodesuspend mem 60 >"$tmp/out" 2>"$tmp/err" &
    pid=$!
    tries=0
    until grep -q "requested" "$tmp/out" 2>/dev/null; do
        tries=$((tries + 1))
        [ "$tries" -lt 600 ] || { kill -9 "$pid"; fail "nodesuspend printed no answer"; }
        sleep 0.1
    done
    # The delay is 600 s: the answer's "Sleeps at" is 600 s after its request.
    last="vpsh nodesuspend mem 60 (delay 600 s)"
    [ $(($(iso_line "Sleeps at") - $(iso_line Requested))) -eq 600 ] ||
        { kill -9 "$pid"; fail "'Sleeps at' is not 600 s after 'Requested'"; }
    kill -"$sig" "$pid"
    set +e
    wait "$pid"
    rc=$?
    set -e
    last="vpsh nodesuspend mem 60 (SIG$sig)"
    [ "$sig" = INT ] && expect_rc 130 || expect_rc 143
    expect_out_has "Outcome:        cancelled"
    expect_err ""
    vp -c $U nodesuspend-status
    expect_rc 0
    expect_out_has "State:          cancelled"
done

# nodesuspend-cancel from another vpsh: the waiting vpsh cancels its own
# suspend (on SIGTERM) and both report "cancelled".
"$VPSH" -c "$U?suspend_delay_ms=600000" nodesuspend mem 60 >"$tmp/bg.out" 2>"$tmp/bg.err" &
pid=$!
tries=0
until grep -q "requested" "$tmp/bg.out" 2>/dev/null; do
    tries=$((tries + 1))
    [ "$tries" -lt 600 ] || { kill -9 "$pid"; fail "nodesuspend printed no answer"; }
    sleep 0.1
done
vp -c $U nodesuspend-cancel
expect_rc 0
expect_err ""
expect_out_has "Host suspend cancelled"
expect_out_has "State:          cancelled"
expect_out_has "PID:            $pid"
set +e
wait "$pid"
rc=$?
set -e
last="the vpsh whose suspend was cancelled"
expect_rc 143
grep -q "^Outcome:        cancelled$" "$tmp/bg.out" ||
    fail "the waiting vpsh did not report cancelled"
vp -c $U nodesuspend-cancel
expect_rc 1
expect_err "error: no host suspend is waiting to start (the last one is cancelled)"
vp -c $U nodesuspend-status
expect_rc 0
[ $(($(iso_line "Sleeps at") - $(iso_line Requested))) -eq 600 ] ||
    fail "the cancelled record's 'Sleeps at' is not 600 s after 'Requested'"

# A process killed during the delay leaves a record that says so, and
# the next request is not blocked by its lock.
"$VPSH" -c "$U?suspend_delay_ms=600000" nodesuspend mem 60 >"$tmp/out" 2>"$tmp/err" &
pid=$!
tries=0
until grep -q "requested" "$tmp/out" 2>/dev/null; do
    tries=$((tries + 1))
    [ "$tries" -lt 600 ] || { kill -9 "$pid"; fail "nodesuspend printed no answer"; }
    sleep 0.1
done
kill -9 "$pid"
wait "$pid" || true
vp -c $U nodesuspend-status
expect_rc 0
expect_out_has "State:          abandoned"
vp -c "$F" nodesuspend mem 60
expect_rc 0
expect_out_has "Outcome:        resumed"

# A record written before suspend_at_us existed is still read: the time
# is shown as unknown.
cat >"$VIRTPLUG_RUNTIME_DIR/node-suspend.state" <<'EOF'
version=1
state=resumed
target=disk
flags=0
duration_s=120
requested_us=1795000000000000
started_us=1795000010000000
ended_us=1795000130000000
wake_at_us=1795000120000000
pid=4242
driver=hostpower-linux
error_code=0
error_message=
EOF
vp -c $U nodesuspend-status
expect_rc 0
expect_err ""
expect_out_has "State:          resumed"
expect_out_has "Target:         disk"
expect_out_has "Sleeps at:      -"
expect_out_has "Driver:         hostpower-linux"
vp -c $U --json nodesuspend-status
expect_rc 0
expect_json "resumed
1795000000000000
null
0
1795000010000000" state requested_us suspend_at suspend_at_us started_us

# ---- nodeinfo and hostname: libvirt's test host, this machine's name ----
vp -c $U nodeinfo
expect_rc 0
expect_err ""
expect_out "CPU model:           i686
CPU(s):              16
CPU frequency:       1400 MHz
CPU socket(s):       2
Core(s) per socket:  2
Thread(s) per core:  2
NUMA cell(s):        2
Memory size:         3145728 KiB
"
vp -c $U --json nodeinfo
expect_rc 0
expect_json "i686
16
1400
2
2
2
2
3145728" cpu_model cpus mhz sockets cores_per_socket threads_per_core numa_cells memory_kib
vp -c $U hostname
expect_rc 0
expect_out "$(hostname)
"
vp -c $U --json hostname
expect_json "$(hostname)" hostname
vp -c $U nodeinfo extra
expect_rc 1
expect_err "error: unexpected data 'extra'"
# ---- --guests: pause the domains, resume them and set their clocks ----
vp -c "$F" "suspend test; nodesuspend mem 60 --guests pause; domstate test --reason"
expect_rc 0
expect_out_has "Guests:         pause (restored)
Domain test:    was-paused"
expect_out_has "paused (user)"
vp -c "$F" "domtime test --time 1000; nodesuspend mem 60 --guests pause; domtime test; nodesuspend-status"
expect_rc 0
expect_out_has "Domain test:    paused, resumed, clock-set"
guest=$(sed -n 's/^Time: //p' "$tmp/out")
[ "$guest" -gt 1000000000 ] || fail "the guest's clock was not set after resume: $guest"
vp -c "$F" --json "nodesuspend mem 60 --guests pause; nodesuspend-status"
expect_rc 0
expect_json "pause
restored
test
paused
resumed
clock-set
pause
test" 0.guests.policy 0.guests.state 0.guests.domains.0.name \
    0.guests.domains.0.done.0 0.guests.domains.0.done.1 \
    0.guests.domains.0.done.2 1.guests.policy 1.guests.domains.0.name
vp -c "$F" "nodesuspend mem 60 --guests none; domstate test --reason"
expect_rc 0
expect_out_has "running (booted)"
vp -c "$F" nodesuspend mem 60 --guests sometimes
expect_rc 1
expect_err_has "unknown guests policy 'sometimes'; use pause or none"
vp -c "$F" nodesuspend mem 60 --guests none --guests-strict
expect_rc 1
expect_err_has "--guests-strict needs the pause policy"
vp -c "$F&guests_pause_fail=test" nodesuspend mem 60 --guests pause --guests-strict
expect_rc 1
expect_out_has "Domain test:    pause-failed (cannot pause domain 'test'"
expect_err_has "the host was not suspended (--guests-strict)"

done_ok
