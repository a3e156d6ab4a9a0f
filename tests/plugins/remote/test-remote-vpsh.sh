#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# test-remote-vpsh.sh: vpsh verbs on test+ssh://127.0.0.1:PORT/default,
# through a real sshd and virtplug-ssh-helper, print exactly what they
# print on test:///default (each connection is a fresh in-memory host on
# both sides; save images are files of the far host), and far errors keep
# their code and message and name the host.
. "$VP_TOP_SRCDIR/tests/plugins/remote/remote-lib.sh"

URI=$(remote_uri test /default)

# Snapshot and guest times come from the clock, a second apart at most
# between runs; CPU times are each process's own (a loaded far helper's
# reaches 0.1 s).
mask_times() {
    sed -e 's/[0-9]\{4\}-[0-9][0-9]-[0-9][0-9] [0-9:]\{8\} [-+][0-9]\{4\}/TIME/' \
        -e 's/<creationTime>[0-9]*</<creationTime>T</' \
        -e 's/"creation_time": *[0-9]*/"creation_time": T/' -e 's/^Time: [0-9]*$/Time: T/' \
        -e 's/"cpu_time_ns": [0-9]*/"cpu_time_ns": N/' -e 's/^CPU time: .*/CPU time: T/' "$1"
}

same_as_local() {
    vp -c test:///default "$@"
    local_rc=$rc
    mask_times "$tmp/out" >"$tmp/local.out"
    cp "$tmp/err" "$tmp/local.err"
    vp -c "$URI" "$@"
    checks=$((checks + 1))
    [ "$rc" -eq "$local_rc" ] || fail "'$last' exited with $rc, on test:///default with $local_rc"
    mask_times "$tmp/out" >"$tmp/remote.out"
    diff -u "$tmp/local.out" "$tmp/remote.out" >&2 || fail "stdout of '$last' differs from test:///default"
    diff -u "$tmp/local.err" "$tmp/err" >&2 || fail "stderr of '$last' differs from test:///default"
}

for verb in "list" "list --all" "list --inactive" "dominfo test" "domstate test" \
    "domstate --reason test" "dumpxml test" "list --all --json" "dominfo test --json" \
    "domstate test --json" "suspend test; domstate --reason test; resume test; domstate test" \
    "destroy test; list --all; start test; list" "shutdown test; domstate --reason test" \
    "destroy test; undefine test; list --all" \
    "dumpxml test > $tmp/c.xml; destroy test; undefine test; create $tmp/c.xml; list --transient; dominfo test; destroy test; list --all" \
    "snapshot-create-as test s1; snapshot-create-as test s2 --disk-only; snapshot-list test; snapshot-current test" \
    "snapshot-create-as test s1; snapshot-dumpxml test s1; snapshot-delete test s1; snapshot-list test" \
    "snapshot-list test --json" "domcapabilities" "domcapabilities --json" "dumpxml test > $tmp/t.xml; destroy test; undefine test; define $tmp/t.xml; list --all" \
    "domid test" "domuuid test" "domname 1" "domname 6695eb01-f6a4-8304-79aa-97f2502e193f" \
    "destroy test; domid test; domname 1" "domname 00000000-0000-0000-0000-000000000001" \
    "nodeinfo" "nodeinfo --json" "domid test --json" "hostname --json" "hostname" "domtime test" \
    "domtime test --time 1000000; domtime test" "domtime test --time 1000000 --sync; domtime test" \
    "snapshot-create-as test s1; suspend test; snapshot-revert test s1; domstate --reason test" \
    "snapshot-create-as test s1; destroy test; snapshot-revert test s1 --paused; domstate --reason test; snapshot-current test" \
    "suspend test; reboot test; domstate --reason test; reset test" \
    "autostart test; dominfo test; list --autostart; autostart --disable test; dominfo test" \
    "destroy test; autostart test; start --autostart-all; list" \
    "qemu-agent-command test '{\"execute\":\"guest-info\"}'" "domifaddr test" "domifaddr test --json" \
    "qemu-agent-command test --async '{\"execute\":\"guest-ping\"}'" \
    "setmem test 1G; setvcpus test 1; dominfo test; setmem test 512M --config; setvcpus test 1 --config; dumpxml test --inactive" \
    "setmaxmem test 4G; setmem test 1G --json" \
    "desc test --new-desc 'far text'; desc test --title --new-desc T --config; desc test; desc test --title --config; list --title" \
    "save test $tmp/r.sav --paused; domstate --reason test; restore $tmp/r.sav; domstate --reason test; resume test" \
    "managedsave test; dominfo test; list --all --managed-save; start test; domstate --reason test; managedsave-remove test" \
    "managedsave test; undefine test --managed-save; list --all"; do
    rm -f "$tmp/r.sav"
    # shellcheck disable=SC2086
    same_as_local "$verb"
done

# A live change the far driver refuses: its words, from the far host.
vp -c "$URI" "setvcpus test 3 --live"
expect_rc 1
expect_err "error: on host '127.0.0.1': requested cpu amount exceeds maximum (3 > 2)"

# A far error: its code's message, prefixed with the host.
vp -c "$URI" "destroy test; destroy test"
expect_rc 1
expect_err "error: Failed to destroy domain 'test'
error: on host '127.0.0.1': domain 'test' is not running"

vp -c "$URI" "destroy test; reset test"
expect_rc 1
expect_err "error: Failed to reset domain 'test'
error: on host '127.0.0.1': cannot reset domain 'test': it is not running"

vp -c "$URI" qemu-agent-command test '{"execute":"guest-exec"}'
expect_rc 1
expect_err "error: on host '127.0.0.1': the simulated guest agent of domain 'test' does not know command 'guest-exec'"

vp -c "$URI" "destroy test; domtime test"
expect_rc 1
expect_err "error: on host '127.0.0.1': cannot read the clock of domain 'test': it is not running"

# The far error's code survives the trip (VP_ERR_NO_DOMAIN in --json).
same_as_local --json domstate nosuch

# A far URI the far host cannot open: the far error, with the host.
vp -c "$(remote_uri nosuchdriver /x)" list
expect_rc 1
grep -q "^error: on host '127.0.0.1': no driver for URI scheme 'nosuchdriver'" "$tmp/err" ||
    fail "unexpected error for an unknown far scheme: $(cat "$tmp/err")"

# Node suspend runs the whole policy on the far host (the far test
# driver's simulated host power): its lock, its delay, its record, which
# nodesuspend-status reads over ssh while this side's record stays empty.
FS=$(remote_uri test /default "suspend_delay_ms=100")
vp -c "$FS" nodesuspend mem 60
expect_rc 0
grep -q "^Outcome: *resumed$" "$tmp/out" || fail "no outcome 'resumed' from '$last'"
vp -c "$URI" nodesuspend-status
expect_rc 0
grep -q "^State: *resumed$" "$tmp/out" || fail "the far record does not say 'resumed'"
grep -q "^Driver: *test$" "$tmp/out" || fail "the far record does not name the far driver"
[ -f "$SSHD_DIR/far-run/node-suspend.state" ] || [ -n "$(ls "$SSHD_DIR/far-run")" ] ||
    fail "no record in the far runtime directory"
vp -c test:///default nodesuspend-status
expect_out "State:          none
"
# The guests policy runs there too: the far guests are paused, resumed and
# their clocks set by the far core, and the far record names them, read
# again over a second connection.
vp -c "$FS" "domtime test --time 1000; nodesuspend mem 60 --guests pause; domtime test; nodesuspend-status"
expect_rc 0
expect_out_has "Guests:         pause (restored)
Domain test:    paused, resumed, clock-set"
guest=$(sed -n 's/^Time: //p' "$tmp/out")
[ "$guest" -gt 1000000000 ] || fail "the far guest's clock was not set after resume: $guest"
vp -c "$URI" nodesuspend-status
expect_rc 0
expect_out_has "Domain test:    paused, resumed, clock-set"
vp -c "$URI" --json nodesuspend-status
expect_rc 0
expect_json "pause
restored
test
paused" guests.policy guests.state guests.domains.0.name guests.domains.0.done.0
vp -c "$FS" "suspend test; nodesuspend mem 60 --guests pause; domstate test --reason"
expect_rc 0
expect_out_has "Domain test:    was-paused"
expect_out_has "paused (user)"
vp -c test:///default nodesuspend-status
expect_out "State:          none
"
same_as_local nodesuspend-capabilities
grep -q "^mem$" "$tmp/out" || fail "the far host cannot do 'mem'"
# The far policy's refusals, with the host.
vp -c "$URI" nodesuspend mem 10
expect_rc 1
grep -q "^error: on host '127.0.0.1': .*60" "$tmp/err" || fail "no far refusal of 10 s: $(cat "$tmp/err")"

# The conformance kit on the remote plugin, lifecycle and 8 threads included.
last="virtplug-plugin-check remote.so"
"$VPSH" -c test:///default dumpxml test | sed -e 's/<name>test</<name>scratch</' -e '/<uuid>/d' \
    >"$tmp/scratch.xml"
checks=$((checks + 1))
"$VP_TOP_BUILDDIR/sdk/conformance/virtplug-plugin-check" "$VP_TOP_BUILDDIR/plugins/.libs/remote.so" \
    --uri "$URI" --lifecycle "$tmp/scratch.xml" -j 8 >"$tmp/out" 2>"$tmp/err" ||
    fail "the conformance kit failed on the remote plugin"

# A graphics password: hidden by the near core unless asked, and kept by a
# --config change, which the near core makes by redefining from the XML.
cat >"$tmp/vnc.xml" <<'XML'
<domain type='test'>
  <name>vnc</name>
  <uuid>11111111-2222-3333-4444-666666666666</uuid>
  <memory unit='KiB'>262144</memory>
  <vcpu>1</vcpu>
  <os><type>hvm</type></os>
  <devices>
    <graphics type='vnc' port='-1' autoport='yes' passwd='s3cret'/>
  </devices>
</domain>
XML
same_as_local "define $tmp/vnc.xml; dumpxml vnc; setmem vnc 200M --config; dumpxml vnc --inactive --security-info"
checks=$((checks + 1))
[ "$(grep -c "passwd='s3cret'" "$tmp/out")" = 1 ] || fail "the password is not shown once, by --security-info only"

# The XML inside save images, on the far host (its paths): read, replaced
# by an edited one of the same domain (and state), refused by the near
# core's check when the machine changes, and the secrets hidden unless
# asked, as on test:///default.
vp -c test:///default "save test $tmp/r.sav; save-image-dumpxml $tmp/r.sav"
expect_rc 0
sed -n '/^<domain/,/^<\/domain>/p' "$tmp/out" >"$tmp/saved.xml"
sed 's|</domain>|  <description>edited</description>\n</domain>|' "$tmp/saved.xml" >"$tmp/edited.xml"
sed 's|<memory unit=.KiB.>[0-9]*</memory>|<memory unit="KiB">1048576</memory>|' "$tmp/saved.xml" \
    >"$tmp/bigger.xml"
for verb in "save test $tmp/r.sav; save-image-dumpxml $tmp/r.sav; save-image-dumpxml $tmp/r.sav --json" \
    "save test $tmp/r.sav; save-image-define $tmp/r.sav $tmp/edited.xml --paused; save-image-dumpxml $tmp/r.sav; restore $tmp/r.sav; domstate --reason test" \
    "save test $tmp/r.sav; save-image-define $tmp/r.sav $tmp/bigger.xml" \
    "managedsave test; managedsave-dumpxml test; managedsave-define test $tmp/edited.xml --paused; managedsave-dumpxml test; start test; domstate --reason test" \
    "managedsave test; managedsave-define test $tmp/bigger.xml" \
    "managedsave test; managedsave-define test $tmp/edited.xml --json" \
    "define $tmp/vnc.xml; start vnc; save vnc $tmp/r.sav; save-image-dumpxml $tmp/r.sav; save-image-dumpxml $tmp/r.sav --security-info" \
    "define $tmp/vnc.xml; start vnc; managedsave vnc; managedsave-dumpxml vnc; managedsave-dumpxml vnc --security-info"; do
    rm -f "$tmp/r.sav"
    same_as_local "$verb"
done
checks=$((checks + 1))
[ "$(grep -c "passwd='s3cret'" "$tmp/out")" = 1 ] || fail "the saved password is not shown once, by --security-info only"
# The far side's refusals, with the host.
vp -c "$URI" managedsave-dumpxml test
expect_rc 1
expect_err "error: on host '127.0.0.1': domain 'test' has no managed save image"
printf 'not an image\n' >"$tmp/keep"
vp -c "$URI" save-image-dumpxml "$tmp/keep"
expect_rc 1
expect_err "error: on host '127.0.0.1': '$tmp/keep' is not a save image of the test driver"
vp -c "$URI" save-image-define "$tmp/keep" "$tmp/edited.xml"
expect_rc 1
expect_err "error: on host '127.0.0.1': '$tmp/keep' is not a save image of the test driver"
[ "$(cat "$tmp/keep")" = "not an image" ] || fail "a refused save-image-define changed the file"

expect_nothing_left
sshd_sanitizer_check
echo "PASS: $checks checks"
