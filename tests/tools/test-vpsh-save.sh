#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# test-vpsh-save.sh: save, restore, managedsave and managedsave-remove on
# test:///default, for what the virsh compatibility test cannot compare
# (libvirt's test driver refuses --running and --paused and hangs after a
# managed save and start): the state flags, start from a managed save,
# undefine --managed-save, a file that is not an image, and --json.
set -eu
. "$(dirname "$0")/vpsh-lib.sh"
U=test:///default
img=$tmp/t.sav

vp -c $U "save test $img --paused; restore $img; domstate test --reason"
expect_rc 0
expect_out "
Domain 'test' saved to $img

Domain restored from $img

paused (user)
"
rm -f "$img"
vp -c $U "suspend test; save test $img; restore $img --running; domstate test --reason"
expect_rc 0
expect_out "Domain 'test' suspended


Domain 'test' saved to $img

Domain restored from $img

running (restored)
"
rm -f "$img"
vp -c $U save test "$img" --running --paused
expect_rc 1
expect_err "error: Options --running and --paused are mutually exclusive"

# A file that is not an image is neither replaced nor restored.
printf 'precious\n' >"$tmp/keep"
vp -c $U "save test $tmp/keep; domstate test"
expect_rc 0
expect_out "
running
"
[ "$(cat "$tmp/keep")" = precious ] || fail "save changed $tmp/keep"
vp -c $U save test "$tmp/keep"
expect_rc 1
expect_err "error: Failed to save domain 'test' to $tmp/keep
error: '$tmp/keep' exists and is not a save image; virtplug never overwrites it: remove it or choose another file"
vp -c $U restore "$tmp/keep"
expect_rc 1
expect_err "error: Failed to restore domain from $tmp/keep
error: '$tmp/keep' is not a save image of the test driver"

# Managed save: start restores it; undefine needs --managed-save.
vp -c $U "managedsave test --paused; start test; domstate test --reason; dominfo test"
expect_rc 0
grep -q '^paused (user)$' "$tmp/out" || fail "start did not restore the managed save paused"
grep -q '^Managed save:   no$' "$tmp/out" || fail "the image outlived the start"
vp -c $U "managedsave test; undefine test"
expect_rc 1
expect_err "error: Failed to undefine domain 'test'
error: cannot undefine domain 'test': it has a managed-save image; remove it with 'managedsave-remove', or undefine with --managed-save"
vp -c $U "managedsave test; undefine test --managed-save; list --all --name"
expect_rc 0
expect_out "
Domain 'test' state saved by libvirt

Domain 'test' has been undefined

"
vp -c $U "managedsave test; managedsave-remove test; start test; domstate test --reason"
expect_rc 0
expect_out "
Domain 'test' state saved by libvirt

Removed managedsave image for domain 'test'
Domain 'test' started

running (booted)
"

# --json
vp -c $U --json save test "$img"
expect_rc 0
expect_json "test
saved
$img" domain result file
vp -c $U --json "save test $tmp/j.sav; restore $tmp/j.sav"
expect_rc 0
vp -c $U --json managedsave test
expect_rc 0
expect_json "test
saved" domain result
vp -c $U --json managedsave-remove test
expect_rc 0
expect_json "test
none" domain result
vp -c $U --json "managedsave test; dominfo test"
expect_rc 0
echo "PASS: $checks checks"
