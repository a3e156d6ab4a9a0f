#!/bin/sh
# test-vpsh-node.sh: the host-power verbs on test:///default, whose host
# power is simulated (nothing here suspends this machine or arms its
# RTC): nodesuspend prints the answer, then the outcome; the 60 s minimum;
# SIGINT during the delay cancels; nodesuspend-status reports the record;
# capabilities.
set -eu
. "$(dirname "$0")/vpsh-lib.sh"
U=test:///default
# The simulated host waits 100 ms before it "sleeps" (see docs/test-driver.md).
F='test:///default?suspend_delay_ms=100'

vp -c $U nodesuspend-status
expect_rc 0
expect_err ""
expect_out "State:          none
"
vp -c $U --json nodesuspend-status
expect_rc 0
expect_json "none
null" state target

vp -c $U nodesuspend-capabilities
expect_rc 0
expect_out "mem
disk
hybrid"
vp -c $U capabilities
expect_rc 0
expect_out "<capabilities>
  <host>
    <power_management>
      <suspend_mem/>
      <suspend_disk/>
      <suspend_hybrid/>
    </power_management>
  </host>
</capabilities>"
vp -c $U --json nodesuspend-capabilities
expect_json "3
mem" suspend_targets.# suspend_targets.0

# Below the minimum: refused by the library, and the message says why.
vp -c $U nodesuspend mem 59
expect_rc 1
expect_out ""
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

vp -c "$F" --json nodesuspend disk 120
expect_rc 0
expect_json "pending
disk
120
resumed
disk" answer.state answer.target answer.duration_s outcome.state outcome.target

# The record outlives the process that made the request.
vp -c "$F" nodesuspend hybrid 60 \; nodesuspend-status
expect_rc 0
expect_out_has "State:          resumed"
expect_out_has "Target:         hybrid"
expect_out_has "Duration:       60 s"
expect_out_has "Driver:         test"

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
"$JSON_QUERY" outcome.state outcome.error_message <"$tmp/out" >"$tmp/jq" ||
    fail "nodesuspend --json printed no document for a failure"
grep -qx failed "$tmp/jq" && grep -q 'hostpower_fail=suspend' "$tmp/jq" ||
    fail "the failure's JSON lacks its state or message"

# A host that can do no target: nothing listed, and a request is refused.
vp -c "$U?hostpower_caps=none" nodesuspend-capabilities
expect_rc 0
expect_out ""
vp -c "$U?hostpower_caps=none" nodesuspend mem 60
expect_rc 1
expect_out ""
expect_error_line

# Nothing to cancel in a fresh process.
vp -c $U nodesuspend-cancel
expect_rc 1
expect_out ""
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

done_ok
