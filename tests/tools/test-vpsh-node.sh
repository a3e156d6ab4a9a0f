#!/bin/sh
# test-vpsh-node.sh: the host-power verbs on test:///default, whose host
# power is simulated (nothing here suspends this machine or arms its
# RTC): nodesuspend prints the answer, then the outcome; the 60 s minimum;
# A failure is reported with the driver's reason, and exit status 1.
vp -c "$F&hostpower_fail=suspend" nodesuspend mem 60
expect_rc 1
expect_out_has "Outcome:        failed"
expect_error_line
expect_err_has "error: host suspend failed: "
expect_err_has "hostpower_fail=suspend"
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
