#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# test-remote-events.sh: an io-error event crosses ssh with its strings.
# The far side is a small helper given by ?command= that speaks the
# protocol (no far driver raises an io-error on demand: the QEMU one needs
# a disk filling up, test-qemu-ioerror): it answers every call, and after
# event-open sends one io-error frame with src_path, dev_alias and reason,
# and one without them, as a helper before these members sends it.
. "$VP_TOP_SRCDIR/tests/plugins/remote/remote-lib.sh"
PYTHON=${PYTHON:-python3}
command -v "$PYTHON" >/dev/null 2>&1 || { echo "SKIP: no $PYTHON for the far helper"; exit 77; }
cat >"$tmp/far" <<SCRIPT
#!/bin/sh
exec "$PYTHON" "$tmp/far.py"
SCRIPT
cat >"$tmp/far.py" <<'SCRIPT'
import json, os, struct, sys

inp, out = sys.stdin.buffer, sys.stdout.buffer

def read():
    head = inp.read(4)
    if len(head) < 4:
        sys.exit(0)
    return json.loads(inp.read(struct.unpack(">I", head)[0]))

def send(obj):
    data = json.dumps(obj).encode()
    out.write(struct.pack(">I", len(data)) + data)
    out.flush()

read()
send({"t": "hello", "proto": 5, "version": "1.1.0", "abi": [1, 1], "driver": "qemu"})
while True:
    m = read()
    if m.get("t") == "ping":
        send({"t": "pong", "id": m["id"]})
        continue
    if m.get("t") != "call":
        continue
    send({"t": "reply", "id": m["id"], "ret": 0})
    if m["op"] == "event-open":
        send({"t": "event", "id": 0, "dom": "web", "event": 10, "detail": 1,
              "src_path": "/var/lib/images/data.raw", "dev_alias": "vdb", "reason": "enospc"})
        send({"t": "event", "id": 0, "dom": "web", "event": 10, "detail": 2})
SCRIPT
chmod +x "$tmp/far"
REMOTE_COMMAND="$tmp/far"
vp_within 30 -c "$(remote_uri qemu /embed)" event --event io-error-reason --loop --timeout 3
expect_rc 0
expect_err ""
expect_out "event 'io-error' for domain 'web': /var/lib/images/data.raw (vdb) pause due to enospc
event 'io-error' for domain 'web':  () report due to 
event loop timed out
events received: 2
"
expect_nothing_left
echo "PASS: $checks checks"
