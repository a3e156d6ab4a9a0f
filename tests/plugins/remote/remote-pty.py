#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
"""remote-pty.py: run a command on a pseudo-terminal, as under a person's
terminal (its controlling terminal: ssh prompts there), and play steps:

    remote-pty.py [--timeout S] STEP... -- COMMAND ARG...

    expect=TEXT   wait until the output so far holds TEXT (from where the
                  last expect matched); fail after the timeout
    send=TEXT     type TEXT (Python escapes: \\n, \\x1d)
    run=SHELL     run a shell command (not on the terminal), which must
                  succeed
    exit=N        wait for the command to exit with status N

Exits 0 when every step passed; else prints the step and the output and
exits 1. Used by test-remote-pty.sh."""
import os
import pty
import select
import subprocess
import sys
import time


def main():
    args = sys.argv[1:]
    timeout = 60.0
    if args[:1] == ["--timeout"]:
        timeout = float(args[1])
        args = args[2:]
    sep = args.index("--")
    steps, command = args[:sep], args[sep + 1:]
    pid, fd = pty.fork()
    if pid == 0:
        try:
            os.execvp(command[0], command)
        finally:
            os._exit(127)
    out = b""
    seen = 0
    status = None

    def read_some(wait):
        nonlocal out
        r, _, _ = select.select([fd], [], [], wait)
        if not r:
            return True
        try:
            data = os.read(fd, 65536)
        except OSError:
            data = b""
        out += data
        return bool(data)

    def fail(step):
        sys.stderr.write("step '%s' failed; the terminal read:\n%s\n" % (step, out.decode("utf-8", "replace")))
        try:
            os.kill(pid, 9)
        except ProcessLookupError:
            pass
        sys.exit(1)

    for step in steps:
        kind, _, text = step.partition("=")
        until = time.monotonic() + timeout
        if kind == "expect":
            want = text.encode()
            while want not in out[seen:]:
                if time.monotonic() > until or not read_some(0.2):
                    fail(step)
            seen = out.index(want, seen) + len(want)
        elif kind == "send":
            os.write(fd, text.encode().decode("unicode_escape").encode("latin-1"))
        elif kind == "run":
            if subprocess.run(text, shell=True, stdin=subprocess.DEVNULL).returncode != 0:
                fail(step)
        elif kind == "exit":
            while status is None:
                done, st = os.waitpid(pid, os.WNOHANG)
                if done:
                    status = os.waitstatus_to_exitcode(st)
                    break
                if time.monotonic() > until:
                    fail(step)
                read_some(0.2)
            if status != int(text):
                sys.stderr.write("exit status %d\n" % status)
                fail(step)
        else:
            fail(step)
    if status is None:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
