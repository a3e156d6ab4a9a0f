#!/bin/sh
# test-vpsh-node.sh: the host-power verbs on test:///default, whose host
# power is simulated (nothing here suspends this machine or arms its
# RTC): nodesuspend prints the answer, then the outcome; the 60 s minimum;
# SIGINT during the delay cancels; nodesuspend-status reports the record;
# capabilities.
. "$(dirname "$0")/vpsh-lib.sh"
need_test_driver
U=test:///default

vp -c $U nodesuspend-status
if [ "$rc" -ne 0 ] && grep -q 'not implemented\|not support' "$tmp/err"; then
    echo "SKIP: node suspend is not implemented in this build"
    exit 77
fi
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

vp -c $U nodesuspend mem 60
expect_rc 0
expect_err ""
expect_out_has "Host suspend to 'mem' for 60 s requested"
expect_out_has "Outcome:        resumed"
# The answer comes before the outcome.
a=$(grep -n "requested" "$tmp/out" | head -n 1 | cut -d: -f1)
o=$(grep -n "Outcome:" "$tmp/out" | cut -d: -f1)
[ "$a" -lt "$o" ] || fail "the outcome was printed before the answer"
grep -Eq '^Wakes at:       [0-9]{4}-[0-9]{2}-[0-9]{2}T' "$tmp/out" || fail "no wake time"

vp -c $U --json nodesuspend disk 120
expect_rc 0
expect_json "pending
disk
120
resumed
disk" answer.state answer.target answer.duration_s outcome.state outcome.target

# The record outlives the process that made the request.
vp -c $U nodesuspend hybrid 60 \; nodesuspend-status
expect_rc 0
expect_out_has "State:          resumed"
expect_out_has "Target:         hybrid"
expect_out_has "Duration:       60 s"
expect_out_has "Driver:         test"

# SIGINT during the delay cancels cleanly: the outcome is "cancelled" and
# the exit status says which signal did it.
"$VPSH" -c $U nodesuspend mem 60 >"$tmp/out" 2>"$tmp/err" &
pid=$!
tries=0
until grep -q "requested" "$tmp/out" 2>/dev/null; do
    tries=$((tries + 1))
    [ "$tries" -lt 300 ] || { kill "$pid"; fail "nodesuspend printed no answer"; }
    sleep 0.1
done
kill -INT "$pid"
set +e
wait "$pid"
rc=$?
set -e
last="vpsh nodesuspend mem 60 (SIGINT)"
expect_rc 130
expect_out_has "Outcome:        cancelled"
expect_err ""

done_ok
