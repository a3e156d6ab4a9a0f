# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# remote_far.py: a far side that speaks the remote protocol
# (docs/remote-protocol.md), for the tests whose far helper, given by
# ?command=, must behave in a way the real one does not on demand (stop,
# end, raise an event). serve() reads the client's hello, answers with
# protocol 5 for DRIVER, answers every ping, and hands each call to
# on_call(msg); send() writes one frame. Ends when the client's input does.
import json
import struct
import sys

_inp, _out = sys.stdin.buffer, sys.stdout.buffer


def read_frame():
    head = _inp.read(4)
    if len(head) < 4:
        sys.exit(0)
    return json.loads(_inp.read(struct.unpack(">I", head)[0]))


def send(obj):
    text = json.dumps(obj, separators=(",", ":")).encode()
    _out.write(struct.pack(">I", len(text)) + text)
    _out.flush()


def serve(driver, on_call, version="1.0.0"):
    read_frame()
    send({"t": "hello", "proto": 5, "version": version, "abi": [1, 1], "driver": driver})
    while True:
        m = read_frame()
        if m.get("t") == "ping":
            send({"t": "pong", "id": m["id"]})
        elif m.get("t") == "call":
            on_call(m)
