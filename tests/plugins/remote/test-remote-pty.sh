#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# test-remote-pty.sh: a key protected by a passphrase. With a terminal
# (vpsh on a pseudo-terminal, its controlling terminal) ssh asks for the
# passphrase there and the call works once it is typed; a wrong one is
# ssh's refusal. Without a terminal (no controlling terminal, stdin not a
# terminal) ssh runs with BatchMode=yes and fails at once with its own
# reason.
. "$VP_TOP_SRCDIR/tests/plugins/remote/remote-lib.sh"

command -v python3 >/dev/null 2>&1 || { echo "SKIP: python3 is needed to drive a pty"; exit 77; }
command -v setsid >/dev/null 2>&1 || { echo "SKIP: setsid (util-linux) is needed"; exit 77; }
# Nothing but the terminal may answer for ssh.
unset SSH_AUTH_SOCK SSH_ASKPASS SSH_ASKPASS_REQUIRE DISPLAY

ssh-keygen -q -t ed25519 -N 'open sesame' -C virtplug-test-passphrase -f "$tmp/pkey"
cat "$tmp/pkey.pub" >>"$SSHD_DIR/authorized_keys"
URI=$(remote_uri test /default | sed "s|keyfile=[^&]*|keyfile=$tmp/pkey|")
PTY="$VP_TOP_SRCDIR/tests/plugins/remote/remote-pty.py"

last="vpsh -c URI list on a terminal, the passphrase typed"
checks=$((checks + 1))
python3 "$PTY" --timeout 60 "expect=Enter passphrase for key '$tmp/pkey'" 'send=open sesame\n' \
    'expect= test ' 'expect=running' 'exit=0' -- "$VPSH" -c "$URI" list >"$tmp/out" 2>"$tmp/err" ||
    fail "the passphrase typed on the terminal did not open the connection"

last="vpsh -c URI list on a terminal, a wrong passphrase"
checks=$((checks + 1))
python3 "$PTY" --timeout 60 "expect=Enter passphrase for key '$tmp/pkey'" 'send=wrong\n' \
    "expect=Enter passphrase for key '$tmp/pkey'" 'send=wrong\n' \
    "expect=Enter passphrase for key '$tmp/pkey'" 'send=wrong\n' \
    "expect=error: cannot connect to host '127.0.0.1': " 'expect=Permission denied' 'exit=1' \
    -- "$VPSH" -c "$URI" list >"$tmp/out" 2>"$tmp/err" ||
    fail "a wrong passphrase was not ssh's refusal"

# No terminal: BatchMode, ssh's own reason, at once (well within the
# 30 s timeout: nobody is asked).
last="vpsh -c URI list without a terminal"
set +e
start=$(date +%s)
setsid -w timeout 20 "$VPSH" -c "$URI" list </dev/null >"$tmp/out" 2>"$tmp/err"
rc=$?
end=$(date +%s)
set -e
expect_rc 1
checks=$((checks + 1))
grep -q "^error: cannot connect to host '127.0.0.1': .*Permission denied (publickey" "$tmp/err" ||
    fail "not ssh's reason: $(cat "$tmp/err")"
[ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "more than one line of error: $(cat "$tmp/err")"
checks=$((checks + 1))
[ $((end - start)) -lt 15 ] || fail "it took $((end - start)) s to fail"

expect_nothing_left
sshd_sanitizer_check
echo "PASS: $checks checks"
