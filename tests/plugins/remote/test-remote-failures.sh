#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# test-remote-failures.sh: each way a remote connection fails is one error
# that names the host and the cause, within the URI's timeout (a hang is
# killed by vp_within and fails), with no ssh or helper left running. The
# helpers that misbehave are small scripts given by ?command=; they answer
# the handshake as the real helper does, then crash, send a frame over the
# limit, or stop answering.
. "$VP_TOP_SRCDIR/tests/plugins/remote/remote-lib.sh"
# A far helper that stops itself (SIGSTOP) stays stopped after its ssh
# session ended: should a check fail before it is continued, the end of
# the run continues it, and it exits at the end of its input.
trap 'for p in $(left_running "$SSHD_DIR/" | cut -d: -f1); do kill -CONT "$p" 2>/dev/null || :; done
sshd_stop; rm -rf "$tmp"' EXIT

# fake_helper NAME ACTION [HELLO]: a helper that reads the client's hello,
# answers with HELLO (by default the real helper's), waits for the first
# byte of a call, then does ACTION.
fake_helper() {
    hello=${3:-'{"t":"hello","proto":2,"version":"1.0.0","abi":[1,1],"driver":"test"}'}
    cat >"$tmp/$1" <<SCRIPT
#!/bin/sh
read_n() { dd bs=1 count="\$1" 2>/dev/null; }
set -- \$(read_n 4 | od -An -tu1)
read_n \$((\$1 * 16777216 + \$2 * 65536 + \$3 * 256 + \$4)) >/dev/null
hello='$hello'
n=\${#hello}
printf "\$(printf '\\\\%03o\\\\%03o\\\\%03o\\\\%03o' 0 0 \$((n / 256)) \$((n % 256)))%s" "\$hello"
read_n 1 >/dev/null
$2
SCRIPT
    chmod +x "$tmp/$1"
}

# far_script FILE < BODY: a far helper in Python whose BODY speaks the
# protocol through remote_far.py (serve, send).
far_script() {
    {
        echo '#!/usr/bin/env python3'
        echo 'import sys'
        echo 'sys.dont_write_bytecode = True'
        echo "sys.path.insert(0, '$VP_TOP_SRCDIR/tests/plugins/remote')"
        echo 'from remote_far import send, serve'
        cat
    } >"$1"
    chmod +x "$1"
}

fake_helper crash 'kill -SEGV $$'
fake_helper bigframe 'printf "\377\377\377\377"; cat >/dev/null'
fake_helper silent 'cat >/dev/null'
fake_helper stall "touch '$tmp/stall.called'; cat >/dev/null"
fake_helper future 'cat >/dev/null' '{"t":"hello","proto":6,"version":"9.0.0","abi":[2,0],"driver":"test"}'
fake_helper old 'cat >/dev/null' '{"t":"hello","proto":1,"version":"0.9.0","abi":[1,1],"driver":"test"}'

# Port closed: nothing listens on port 1 of the loopback interface.
vp_within 20 -c "test+ssh://127.0.0.1:1/default?keyfile=$SSHD_KEY&known_hosts=$SSHD_KNOWN_HOSTS&timeout=5" list
expect_rc 1
expect_err "error: cannot connect to host '127.0.0.1': ssh: connect to host 127.0.0.1 port 1: Connection refused"

# An unknown host key is refused, never accepted.
: >"$tmp/empty_known_hosts"
vp_within 20 -c "$(remote_uri test /default "timeout=5" | sed "s|known_hosts=[^&]*|known_hosts=$tmp/empty_known_hosts|")" list
expect_rc 1
expect_err "error: cannot connect to host '127.0.0.1': Host key verification failed."
[ ! -s "$tmp/empty_known_hosts" ] || fail "the unknown host key was written to known_hosts"

# ... unless the URI says no_verify=1 (it still authenticates with the key).
vp_within 20 -c "$(remote_uri test /default "no_verify=1" | sed "s|known_hosts=[^&]*|known_hosts=$tmp/empty_known_hosts|")" list
expect_rc 0

# Authentication refused: a key the server does not know.
ssh-keygen -q -t ed25519 -N '' -f "$tmp/other_key"
vp_within 20 -c "$(remote_uri test /default | sed "s|keyfile=[^&]*|keyfile=$tmp/other_key|")" list
expect_rc 1
expect_err "error: cannot connect to host '127.0.0.1': root@127.0.0.1: Permission denied (publickey)."

# The helper is not installed on the far host.
REMOTE_COMMAND=/nonexistent/virtplug-ssh-helper
vp_within 20 -c "$(remote_uri test /default)" list
expect_rc 1
grep -q "^error: cannot start virtplug on host '127.0.0.1': .*/nonexistent/virtplug-ssh-helper.* (exit status 127); install the package 'vpsh' on 127.0.0.1, or give the helper's path with '?command=PATH'$" "$tmp/err" ||
    fail "unexpected error for a missing helper: $(cat "$tmp/err")"

# The helper crashes in the middle of a call.
REMOTE_COMMAND=$tmp/crash
vp_within 20 -c "$(remote_uri test /default "timeout=5")" list
expect_rc 1
grep -q "^error: the connection to host '127.0.0.1' was lost: " "$tmp/err" ||
    fail "unexpected error for a helper that crashed: $(cat "$tmp/err")"
expect_nothing_left

# A frame over the limit.
REMOTE_COMMAND=$tmp/bigframe
vp_within 20 -c "$(remote_uri test /default "timeout=5")" list
expect_rc 1
expect_err "error: host '127.0.0.1' sent a frame of 4294967295 bytes; the remote protocol allows 1 to 16777216"
expect_nothing_left

# A helper that stops answering (keepalive pings too): the call fails
# after the timeout, not never.
REMOTE_COMMAND=$tmp/silent
vp_within 20 -c "$(remote_uri test /default "timeout=2")" list
expect_rc 1
expect_err "error: host '127.0.0.1' did not answer within 2 s; the connection is closed"
expect_nothing_left

# The timeouts below leave the open (an ssh login running the login
# shell's rc files, then Python) room on a loaded machine.
# A console open on an otherwise idle connection whose far helper stops
# (SIGSTOP) after the console's first bytes: the connection's own
# keepalive notices within the timeout, the console ends, and vpsh says
# why, naming the host. The helper answers the calls of "vpsh console"
# as the real one does for a domain 'web' with a console.
far_script "$tmp/console-stop" <<'SCRIPT'
import base64, os, signal, sys
def on_call(m):
    if m["op"] == "domain-get-uuid":
        send({"t": "reply", "id": m["id"], "str": "6695eb01-f6a4-8304-79aa-97f2502e193f"})
        return
    send({"t": "reply", "id": m["id"], "ret": 0})
    if m["op"] == "domain-open-console":
        data = base64.b64encode(b"login: ").decode()
        send({"t": "stream", "id": m["id"], "data": data})
        open(sys.argv[0] + ".flag", "w").close()
        os.kill(os.getpid(), signal.SIGSTOP)
serve("test", on_call)
SCRIPT
REMOTE_COMMAND=$tmp/console-stop
t0=$(date +%s)
vp_within 20 -c "$(remote_uri test /default "timeout=5")" console web </dev/null
t1=$(date +%s)
expect_rc 1
[ -e "$tmp/console-stop.flag" ] || fail "the console never reached the far helper: $(cat "$tmp/err")"
grep -q "login: " "$tmp/out" || fail "the console's bytes did not come: $(cat "$tmp/out")"
expect_err "error: Disconnected from domain 'web': host '127.0.0.1' did not answer within 5 s; the connection is closed"
checks=$((checks + 1))
[ $((t1 - t0)) -le 12 ] || fail "the console ended after $((t1 - t0)) s, the timeout is 5 s"
# Of this run, only the far helper is left, stopped (a stopped process
# stays so, whoever ends its ssh session): no ssh, no sshd session. Once
# continued, it reads the end of its input and exits.
only_stopped_left() {
    left_running "$SSHD_DIR/" >"$tmp/left"
    for p in $(cut -d: -f1 "$tmp/left"); do
        [ "$(cut -d' ' -f3 "/proc/$p/stat" 2>/dev/null)" != T ] || continue
        [ -e "/proc/$p" ] || continue
        return 1
    done
}
# expect_stopped_helper_only WHAT: within 3 s only the stopped far helper
# is left after WHAT ended; it is continued, and then nothing is left.
expect_stopped_helper_only() {
    checks=$((checks + 1))
    i=0
    until only_stopped_left; do
        i=$((i + 1))
        [ $i -lt 30 ] || fail "still running after $1 ended: $(cat "$tmp/left")"
        sleep 0.1
    done
    for p in $(cut -d: -f1 "$tmp/left"); do
        kill -CONT "$p" 2>/dev/null || :
    done
    expect_nothing_left
}
expect_stopped_helper_only "the console"

# A connection that only waits for events (nothing in flight): its own
# keepalive notices a far helper that stopped (SIGSTOP after its first
# event) within the timeout, the event fd turns readable and the dispatch
# fails, and vpsh event says why instead of waiting for its own --timeout.
# A far side that ends (exits) is told as lost. The helper answers the
# calls of "vpsh event" as the real one does.
far_script "$tmp/events-stop" <<'SCRIPT'
import os, signal, sys
def on_call(m):
    send({"t": "reply", "id": m["id"], "ret": 0})
    if m["op"] == "event-open":
        send({"t": "event", "id": 0, "dom": "web", "event": 5, "detail": 1})
        open(sys.argv[0] + ".flag", "w").close()
        if sys.argv[0].endswith("-exit"):
            os._exit(3)
        os.kill(os.getpid(), signal.SIGSTOP)
serve("test", on_call)
SCRIPT
REMOTE_COMMAND=$tmp/events-stop
vp_within 30 -c "$(remote_uri test /default "timeout=5")" event --all --loop --timeout 60
expect_rc 1
[ -e "$tmp/events-stop.flag" ] || fail "the events never reached the far helper: $(cat "$tmp/err")"
expect_out "event 'lifecycle' for domain 'web': Stopped Destroyed
"
expect_err "error: Disconnected while waiting for events: host '127.0.0.1' did not answer within 5 s; the connection is closed"
expect_stopped_helper_only "the event loop"
cp "$tmp/events-stop" "$tmp/events-exit"
REMOTE_COMMAND=$tmp/events-exit
vp_within 30 -c "$(remote_uri test /default "timeout=5")" event --all --loop --timeout 60
expect_rc 1
expect_out "event 'lifecycle' for domain 'web': Stopped Destroyed
"
grep -q "^error: Disconnected while waiting for events: the connection to host '127.0.0.1' was lost: " "$tmp/err" ||
    fail "unexpected error for a far side that ended: $(cat "$tmp/err")"
expect_nothing_left

# ssh killed in the middle of a call (the helper got it and stalls): the
# call fails at once, not after the timeout.
REMOTE_COMMAND=$tmp/stall
last="vpsh list with ssh killed"
set +e
"$VPSH" -c "$(remote_uri test /default "timeout=60")" list >"$tmp/out" 2>"$tmp/err" &
vpsh_pid=$!
set -e
i=0
until [ -e "$tmp/stall.called" ]; do
    i=$((i + 1))
    [ $i -lt 200 ] || fail "the call never reached the helper"
    sleep 0.1
done
pid=$(pgrep -f -- "-- 127.0.0.1 '$tmp/stall'") || fail "no ssh process found"
kill -9 $pid
i=0
while kill -0 $vpsh_pid 2>/dev/null; do
    i=$((i + 1))
    [ $i -lt 100 ] || { kill $vpsh_pid; fail "vpsh still waits 10 s after ssh was killed"; }
    sleep 0.1
done
set +e
wait $vpsh_pid
rc=$?
set -e
expect_rc 1
expect_err "error: the connection to host '127.0.0.1' was lost: ssh was killed by signal 9"
expect_nothing_left

# A helper of another protocol version.
REMOTE_COMMAND=$tmp/future
vp_within 20 -c "$(remote_uri test /default "timeout=5")" list
expect_rc 1
expect_err "error: host '127.0.0.1' speaks remote protocol 6 (virtplug 9.0.0), this side 5 (virtplug 1.0.0): install the same virtplug version on both hosts"
expect_nothing_left

# An older helper: the calls its protocol lacks are refused at once, by
# name, without waiting for an answer that would never come.
REMOTE_COMMAND=$tmp/old
vp_within 20 -c "$(remote_uri test /default "timeout=5")" hostname
expect_rc 1
expect_err "error: 'conn-get-hostname' is not supported by the far helper on host '127.0.0.1': it speaks remote protocol 1 (virtplug 0.9.0), the call needs 2; install virtplug 1.0.0 or later there"
expect_nothing_left

# The real helper answers a call it does not know (a newer client's) with
# an error frame carrying the call's id, and goes on serving.
frame() {
    printf "\\000\\000\\000\\$(printf %03o ${#1})%s" "$1"
}
last="virtplug-ssh-helper with an unknown op"
{
    frame '{"t":"hello","proto":2,"version":"1.0.0","abi":[1,1]}'
    frame '{"t":"call","id":7,"op":"domain-teleport","dom":"test"}'
    frame '{"t":"call","id":8,"op":"num-of-domains"}'
} | "$HELPER" test:///default >"$tmp/out" 2>"$tmp/err" || fail "the helper failed: $(cat "$tmp/err")"
checks=$((checks + 1))
tr -d '\000-\037' <"$tmp/out" >"$tmp/frames"
grep -q "\"id\":7,\"code\":-[0-9]*,\"message\":\"'domain-teleport' is not supported by the far helper: virtplug-ssh-helper [^ ]* (remote protocol 2) does not know it\"" "$tmp/frames" ||
    fail "no refusal of the unknown op: $(cat "$tmp/frames")"
grep -q '"t":"reply","id":8,"ret":1' "$tmp/frames" || fail "the helper stopped serving: $(cat "$tmp/frames")"

# Malformed remote URIs and transports are refused before ssh runs.
vp -c "test+ssh://-oProxyCommand=x/default" list
expect_rc 1
expect_err "error: malformed URI 'test+ssh://-oProxyCommand=x/default': invalid host name '-oProxyCommand=x'"
vp -c "test+ssh://h:99999/default" list
expect_rc 1
expect_err "error: malformed URI 'test+ssh://h:99999/default': invalid port '99999'; use 1 to 65535"
vp -c "test+tls://h/default" list
expect_rc 1
expect_err "error: unknown transport 'tls' in URI 'test+tls://h/default': virtplug reaches other hosts over ssh only, as in 'qemu+ssh://HOST/system'"
vp -c "test+ssh://h/default?timeout=0" list
expect_rc 1
expect_err "error: invalid parameter timeout='0' in URI 'test+ssh://h/default?timeout=0': give seconds, 1 to 86400"

expect_nothing_left
sshd_sanitizer_check
echo "PASS: $checks checks"
