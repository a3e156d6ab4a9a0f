#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# test-vpsh-snapshot.sh: the snapshot verbs on test:///default, run as ';'
# sequences in one process (the test driver keeps snapshots in memory):
# create with a name and description, list, dumpxml, delete, --json, and
# the errors of unknown domains and snapshots; the tree: snapshot-current,
# snapshot-parent, snapshot-info and snapshot-list --tree --parent --roots
# --leaves, with a middle and a current snapshot deleted; snapshot-revert
# (silent as virsh; --running, --paused, --force, --current, --json);
# snapshot-create FILE --redefine [--current] and snapshot-current NAME.
set -eu
. "$(dirname "$0")/vpsh-lib.sh"
U=test:///default

vp -c $U snapshot-list test
expect_rc 0
expect_err ""
expect_out " Name   Creation Time   State
-------------------------------
"

vp -c $U snapshot-create-as test s1 --description 'first one' \; snapshot-list test \
    \; snapshot-dumpxml test s1 \; snapshot-delete test s1 \; snapshot-list test
expect_rc 0
expect_err ""
expect_out_has "Domain snapshot s1 created"
grep -Eq '^ s1     [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8} [-+][0-9]{4}   running$' "$tmp/out" ||
    fail "snapshot-list has no row for s1"
expect_out_has "<name>s1</name>"
expect_out_has "<description>first one</description>"
expect_out_has "Domain snapshot s1 deleted"

vp -c $U --json snapshot-create-as test s1 --description 'a "quoted" one' \; snapshot-list test \
    \; snapshot-dumpxml test s1
expect_rc 0
expect_json "test
s1
false
false
1
s1
running
a \"quoted\" one
s1" 0.domain 0.snapshot 0.disk_only 0.quiesced 1.snapshots.# 1.snapshots.0.name \
    1.snapshots.0.state 1.snapshots.0.description 2.snapshot

# Disk-only snapshots show "disk-snapshot", as in virsh; quiesce is recorded.
vp -c $U snapshot-create-as test d1 --disk-only \; snapshot-create-as test q1 --quiesce \
    \; destroy test \; snapshot-create-as test off1 --disk-only \; snapshot-list test
expect_rc 0
expect_err ""
when='[0-9-]+ [0-9:]+ [-+][0-9]{4}'
grep -Eq "^ d1 +$when   disk-snapshot\$" "$tmp/out" || fail "d1 is not a disk-snapshot"
grep -Eq "^ q1 +$when   running\$" "$tmp/out" || fail "q1 is not running"
grep -Eq "^ off1 +$when   shut off\$" "$tmp/out" || fail "off1 is not shut off"
vp -c $U --json snapshot-create-as test q1 --quiesce \; snapshot-list test
expect_rc 0
expect_json "true
true" 0.quiesced 1.snapshots.0.quiesced

# A name chosen by the driver when none is given.
vp -c $U snapshot-create-as test
expect_rc 0
grep -Eq '^Domain snapshot [^ ]+ created$' "$tmp/out" || fail "no snapshot name printed"

# Quiesce needs a running domain: the driver refuses it on a paused one.
vp -c $U suspend test \; snapshot-create-as test s2 --quiesce
expect_rc 1
expect_error_line
expect_err_has "paused"

# The tree: a chain of three; each new one is current and the previous
# one its parent. Deleting the middle one hands its child to its parent.
chain='snapshot-create-as test a ; snapshot-create-as test b ; snapshot-create-as test c'
# shellcheck disable=SC2086
vp -c $U -q $chain \; snapshot-list test --tree \; snapshot-info test b \; snapshot-delete test b \
    \; snapshot-list test --tree \; snapshot-parent test c \; snapshot-delete test c \
    \; snapshot-current test --name \; snapshot-list test --leaves --name
expect_rc 0
expect_err ""
expect_out "a
  |
  +- b
      |
      +- c
        
Name:           b
Domain:         test
Current:        no
State:          running
Location:       internal
Parent:         a
Children:       1
Descendants:    1
Metadata:       yes
a
  |
  +- c
    
aaa"
# shellcheck disable=SC2086
vp -c $U --json $chain \; snapshot-current test --name \; snapshot-parent test --current \
    \; snapshot-info test a \; snapshot-list test --roots \; snapshot-list test --leaves
expect_rc 0
expect_json "c
b
a
null
false
2
1
a
c
b" 3.snapshot 4.parent 5.name 5.parent 5.current 5.descendants 6.snapshots.# \
    6.snapshots.0.name 7.snapshots.0.name 7.snapshots.0.parent
# shellcheck disable=SC2086
vp -c $U --json $chain \; snapshot-current test
expect_rc 0
expect_json_has() { grep -q "$1" "$tmp/out" || fail "no '$1' in the JSON"; }
expect_json_has '<parent>\\n    <name>b</name>\\n  </parent>'

vp -c $U snapshot-create-as test a \; snapshot-parent test a
expect_rc 1
expect_err "error: snapshot 'a' has no parent"
vp -c $U snapshot-current test
expect_rc 1
expect_out_blank
expect_err "error: domain 'test' has no current snapshot"
vp -c $U snapshot-list test --tree --roots
expect_rc 1
expect_err "error: Options --roots and --tree are mutually exclusive"

# Revert: the state the snapshot recorded, the tree branching from it.
vp -c $U -q snapshot-create-as test run \; snapshot-create-as test disk --disk-only \
    \; snapshot-revert test run \; domstate test --reason \; snapshot-current test --name \
    \; snapshot-revert test disk \; domstate test --reason \; snapshot-create-as test after \
    \; snapshot-parent test after \; snapshot-revert test --current --paused \; domstate test
expect_rc 0
expect_err ""
expect_out "running (from snapshot)
runshut off (from snapshot)
diskpaused"
# Restarting the guest for a snapshot without memory needs --force.
vp -c $U snapshot-create-as test disk --disk-only \; snapshot-revert test disk --running
expect_rc 1
expect_err_has "must restart the guest"
vp -c $U --json snapshot-create-as test disk --disk-only \
    \; snapshot-revert test disk --running --force
expect_rc 0
expect_json "test
disk
reverted
running" 1.domain 1.snapshot 1.result 1.state
vp -c $U snapshot-create-as test a \; snapshot-revert test a --running --paused
expect_rc 1
expect_err "error: Options --running and --paused are mutually exclusive"
vp -c $U snapshot-revert test
expect_rc 1
expect_err_has "--snapshotname or --current is required"

# Import a record as it is, and set the current snapshot, as virsh.
cat >"$tmp/rec.xml" <<'EOF'
<domainsnapshot>
  <name>imported</name>
  <state>shutoff</state>
  <creationTime>1700000000</creationTime>
  <parent>
    <name>a</name>
  </parent>
</domainsnapshot>
EOF
vp -c $U snapshot-create-as test a \; snapshot-create-as test b \
    \; snapshot-create test "$tmp/rec.xml" --redefine \; snapshot-current test --name \
    \; snapshot-parent test imported \; snapshot-current test imported \
    \; snapshot-current test --name
expect_rc 0
expect_err ""
expect_out_has "Domain snapshot imported created from '$tmp/rec.xml'"
expect_out_has "Snapshot imported set as current"
grep -q '^imported$' "$tmp/out" || fail "imported is not current afterwards"
vp -c $U --json snapshot-create-as test a \; snapshot-create test "$tmp/rec.xml" --redefine \
    --current \; snapshot-current test --name \; snapshot-current test a
expect_rc 0
expect_json "imported
true
true
imported
a
current" 1.snapshot 1.redefined 1.current 2.snapshot 3.snapshot 3.result
vp -c $U snapshot-create test "$tmp/rec.xml" --redefine
expect_rc 1
expect_err_has "parent 'a' of snapshot 'imported' does not exist"
vp -c $U snapshot-create test "$tmp/rec.xml" --current
expect_rc 1
expect_err "error: Option --current requires --redefine"
vp -c $U -r snapshot-current test a
expect_rc 1
expect_err "error: command 'snapshot-current' changes state; refused by -r (--readonly)"

for args in "snapshot-list nosuch" "snapshot-dumpxml nosuch s1" "snapshot-delete test nosnap" \
            "snapshot-dumpxml test nosnap" "snapshot-create-as nosuch s1" \
            "snapshot-info test nosnap" "snapshot-parent test nosnap" "snapshot-current nosuch" \
            "snapshot-revert test nosnap" "snapshot-revert nosuch a"; do
    # shellcheck disable=SC2086
    vp -c $U $args
    expect_rc 1
    expect_out_blank
    expect_error_line
done

done_ok
