#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# test-remote-threads.sh: 8 threads share one test+ssh connection (one ssh
# process, calls in flight at once); every answer reaches its own caller.
# A handle whose name came to name another domain is refused over ssh too,
# and a call that blocks on the far side holds up no other.
. "$VP_TOP_SRCDIR/tests/plugins/remote/remote-lib.sh"

last="remote-threads"
checks=$((checks + 1))
"$VP_TOP_BUILDDIR/tests/plugins/remote/remote-threads" "$(remote_uri test /default)" 200 \
    >"$tmp/out" 2>"$tmp/err" || fail "the threads failed"
grep -qx "8 threads x 200 calls: 0 failures" "$tmp/out" || fail "unexpected summary"

# Calls in flight together get their own answers (each thread asks about
# a domain of its own), and the callers answered by one read send their
# next calls together: the connection's debug line at close counts at
# least two frames per write (one send() per frame without it).
last="remote-batch"
checks=$((checks + 1))
VIRTPLUG_DEBUG=1 "$VP_TOP_BUILDDIR/tests/plugins/remote/remote-batch" "$(remote_uri test /default)" \
    400 >"$tmp/out" 2>"$tmp/err" || fail "answers crossed threads: $(grep -v '^virtplug:' "$tmp/err")"
grep -qx "8 threads x 400 calls: 0 crossed" "$tmp/out" || fail "unexpected summary"
line=$(grep "remote: host '127.0.0.1': .* frames sent in .* writes" "$tmp/err") ||
    fail "no count of frames and writes in the debug log"
set -- $(echo "$line" | sed 's/.*: \([0-9]*\) frames sent in \([0-9]*\) writes.*/\1 \2/')
# How many frames share a write depends on how fast the callers call
# again (a held call waits at most 200 us), so it is reported, not
# asserted: make bench-remote measures what it gains. The count itself
# must be whole: every frame sent, in at most as many writes.
echo "remote-batch: $1 frames sent in $2 writes"
[ "$1" -ge 3200 ] && [ "$2" -ge 1 ] && [ "$2" -le "$1" ] || fail "$1 frames in $2 writes"

last="remote-stale"
checks=$((checks + 1))
"$VP_TOP_BUILDDIR/tests/plugins/remote/remote-stale" "$(remote_uri test /default)" \
    >"$tmp/out" 2>"$tmp/err" || fail "the stale handle was not refused"
grep -qx "stale handle refused" "$tmp/out" || fail "unexpected output"
# A call that blocks in the far helper (waiting out a 3 s suspend delay)
# holds up no other call of the connection.
last="remote-blocking"
checks=$((checks + 1))
"$VP_TOP_BUILDDIR/tests/plugins/remote/remote-blocking" \
    "$(remote_uri test /default "suspend_delay_ms=3000")" 20 >"$tmp/out" 2>"$tmp/err" ||
    fail "a blocking call held up the others"
grep -qx "calls answered while a call blocked" "$tmp/out" || fail "unexpected output"
expect_nothing_left
sshd_sanitizer_check
echo "PASS: $checks checks"
