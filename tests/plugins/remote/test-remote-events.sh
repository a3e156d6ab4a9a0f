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
{
    echo 'import sys'
    echo 'sys.dont_write_bytecode = True'
    echo "sys.path.insert(0, '$VP_TOP_SRCDIR/tests/plugins/remote')"
    cat <<'SCRIPT'
from remote_far import send, serve

def on_call(m):
    send({"t": "reply", "id": m["id"], "ret": 0})
    if m["op"] == "event-open":
        send({"t": "event", "id": 0, "dom": "web", "event": 10, "detail": 1,
              "src_path": "/var/lib/images/data.raw", "dev_alias": "vdb", "reason": "enospc"})
        send({"t": "event", "id": 0, "dom": "web", "event": 10, "detail": 2})

serve("qemu", on_call, version="1.1.0")
SCRIPT
} >"$tmp/far.py"
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
