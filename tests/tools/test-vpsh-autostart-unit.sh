#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# test-vpsh-autostart-unit.sh: the boot unit virtplug-autostart.service
# as built. systemd is not needed: the test reads the unit's ExecStart,
# checks it runs the installed vpsh on qemu:///system, and runs that very
# command line on a private QEMU instance instead (two '-machine none'
# domains, one marked): the marked one starts, the other does not, and a
# second run (the unit started again) changes nothing.
set -eu
. "$(dirname "$0")/vpsh-lib.sh"

unit="$VP_TOP_BUILDDIR/tools/vpsh/virtplug-autostart.service"
[ -f "$unit" ] || fail "$unit is not built"
[ -x "${QEMU_SYSTEM:-}" ] || { echo "SKIP: no QEMU ('${QEMU_SYSTEM:-}')"; exit 77; }
[ -f "$VIRTPLUG_PLUGIN_DIR/qemu.so" ] || { echo "SKIP: the qemu plugin is not built"; exit 77; }

exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
checks=$((checks + 1))
case $exec_start in
*/bin/vpsh" -c qemu:///system start --autostart-all") ;;
*) fail "unexpected ExecStart in $unit: '$exec_start'" ;;
esac
grep -q '^Type=oneshot$' "$unit" || fail "$unit is not a oneshot unit"
grep -q '^WantedBy=multi-user.target$' "$unit" || fail "$unit is not wanted at boot"

root="$tmp/root"
U="qemu:///embed?root=$root"
cleanup() {
    for p in "$root"/run/*.pid; do
        [ -f "$p" ] && kill -9 "$(cat "$p")" 2>/dev/null || true
    done
    rm -rf "$tmp"
}
trap cleanup EXIT
for n in marked other; do
    cat >"$tmp/$n.xml" <<XML
<domain type='qemu'>
  <name>$n</name>
  <memory unit='MiB'>32</memory>
  <os><type arch='x86_64' machine='none'>hvm</type></os>
</domain>
XML
    vp -c "$U" define "$tmp/$n.xml"
    expect_rc 0
done
vp -c "$U" autostart marked
expect_rc 0

# The unit's command, on this instance, with the vpsh just built.
args=${exec_start#* }
args=$(printf '%s' "$args" | sed "s|qemu:///system|$U|")
# shellcheck disable=SC2086
vp_within 60 $args
expect_rc 0
expect_err ""
expect_out "Domain 'marked' started
"
vp -c "$U" list --all
expect_out " Id   Name     State
-------------------------
 1    marked   running
 -    other    shut off
"
# shellcheck disable=SC2086
vp_within 60 $args
expect_rc 0
expect_err ""
expect_out_blank
vp -c "$U" destroy marked
expect_rc 0

echo "ok: $checks checks"
