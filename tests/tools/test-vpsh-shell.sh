#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# test-vpsh-shell.sh: vpsh without a command, on a terminal: the banner,
# the "vpsh # " prompt, commands on one connection (the simulated host
# keeps its state between lines), chains on a line, quit; with libedit
# also line editing (Ctrl-A) and history (Ctrl-P). python3's pty module
# drives it; without python3 the test is skipped (exit 77).
set -eu
. "$(dirname "$0")/vpsh-lib.sh"
command -v python3 >/dev/null 2>&1 || { echo "SKIP: no python3"; exit 77; }
editing=no
grep -q '^#define HAVE_LIBEDIT 1' "$VP_TOP_BUILDDIR/config.h" && editing=yes

cat >"$tmp/drive.py" <<'PY'
import os, pty, select, sys, time

vpsh, editing = sys.argv[1], sys.argv[2] == "yes"
pid, fd = pty.fork()
if pid == 0:
    os.execv(vpsh, [vpsh, "-c", "test:///default"])

out = b""

def read_until(token, limit=10.0):
    global out
    end = time.time() + limit
    while token not in out:
        if time.time() > end:
            sys.stderr.write("timed out waiting for %r; got %r\n" % (token, out))
            sys.exit(1)
        r, _, _ = select.select([fd], [], [], 0.2)
        if r:
            try:
                out += os.read(fd, 4096)
            except OSError:
                break

def send(line):
    global out
    out = b""
    os.write(fd, line)

read_until(b"Welcome to vpsh")
read_until(b"vpsh # ")
send(b"suspend test; domstate test\r")
read_until(b"paused")
read_until(b"vpsh # ")
send(b"domstate test --reason\r")
read_until(b"paused (user)")
read_until(b"vpsh # ")
if editing:
    send(b"state test\x01dom\r")        # Ctrl-A: to the start of the line
    read_until(b"paused\r\n")
    read_until(b"vpsh # ")
    send(b"\x10\r")                     # Ctrl-P: the previous line again
    read_until(b"paused\r\n")
    read_until(b"vpsh # ")
send(b"quit\r")
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status))
PY
last="vpsh on a pty"
set +e
timeout 60 python3 "$tmp/drive.py" "$VPSH" "$editing" >"$tmp/out" 2>"$tmp/err"
rc=$?
set -e
expect_rc 0
echo "PASS: line editing $editing"
done_ok
