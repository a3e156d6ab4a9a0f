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
