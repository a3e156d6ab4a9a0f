#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# test-vpsh-domain.sh: the domain verbs on test:///default (one running
# domain named "test" at open; nothing persists between vpsh runs, so
# verbs that change state run as a ';' sequence in one process): text as
# virsh prints it, --json documents, errors and exit statuses.
set -eu
. "$(dirname "$0")/vpsh-lib.sh"

# dominfo's CPU time of a running test domain is the time it has run so
# far: its value varies with the machine's speed, its line must be there.
cpu_time_out() {
    sed -i -E 's/^(CPU time: +)[0-9]+\.[0-9]s$/\1T/' "$tmp/out"
}
U=test:///default

# ---- list ----
vp -c $U list
expect_rc 0
expect_err ""
expect_out " Id   Name   State
----------------------
 1    test   running
"
vp -c $U list --all
expect_rc 0
expect_out " Id   Name   State
----------------------
 1    test   running
"
vp -c $U list --inactive
expect_rc 0
expect_out " Id   Name   State
--------------------
"
vp -c $U --json list --all
expect_rc 0
expect_err ""
expect_json "1
1
test
running" domains.# domains.0.id domains.0.name domains.0.state
vp -c $U list --all --json
expect_rc 0
expect_json "1" domains.#

# The default URI is the library's: no -c means test:///default.
vp list
expect_rc 0
expect_out_has " 1    test   running"

# ---- define, start, and the ids of running domains ----
cat >"$tmp/vm1.xml" <<'XML'
<domain type='test'>
  <name>vm1</name>
  <uuid>11111111-2222-3333-4444-555555555555</uuid>
  <memory unit='MiB'>256</memory>
  <currentMemory unit='MiB'>128</currentMemory>
  <vcpu>2</vcpu>
  <os>
    <type arch='x86_64'>hvm</type>
  </os>
</domain>
XML
vp -c $U define "$tmp/vm1.xml" \; list --all \; start vm1 \; list \; dominfo vm1
cpu_time_out
expect_rc 0
expect_err ""
expect_out "Domain 'vm1' defined from $tmp/vm1.xml

 Id   Name   State
-----------------------
 1    test   running
 -    vm1    shut off

Domain 'vm1' started

 Id   Name   State
----------------------
 1    test   running
 2    vm1    running

Id:             2
Name:           vm1
UUID:           11111111-2222-3333-4444-555555555555
OS Type:        hvm
State:          running
CPU(s):         2
CPU time:       T
Max memory:     262144 KiB
Used memory:    131072 KiB
Persistent:     yes
Autostart:      disable
Managed save:   no
"

vp -c $U --json define "$tmp/vm1.xml" \; dominfo vm1 \; list --all
expect_rc 0
expect_json "3
vm1
defined
null
vm1
11111111-2222-3333-4444-555555555555
hvm
shut off
2
0
262144
131072
true
2
null" '#' 0.domain 0.result 1.id 1.name 1.uuid 1.os_type 1.state 1.cpus \
    1.cpu_time_ns 1.max_memory_kib 1.used_memory_kib 1.persistent 2.domains.# 2.domains.1.id

# ---- ids: running (and paused) domains of a node file are numbered in file
# order, as libvirt's test driver does; list shows them by Id ----
dom() { # NAME UUID-DIGIT RUNSTATE
    printf "  <domain type='test'><name>%s</name><uuid>%s</uuid><memory>1024</memory>" \
        "$1" "0000000$2-0000-0000-0000-000000000000"
    printf "<vcpu>1</vcpu><os><type>hvm</type></os>"
    printf "<test:runstate>%s</test:runstate></domain>\n" "$3"
}
{
    echo "<node xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>"
    dom zeta 1 1
    dom beta 2 3
    dom gamma 3 5
    dom alpha 4 1
    echo "</node>"
} >"$tmp/node.xml"
vp -c "test://$tmp/node.xml" list --all \; list --inactive \; dominfo zeta \; domstate beta
cpu_time_out
expect_rc 0
expect_err ""
expect_out " Id   Name    State
------------------------
 1    zeta    running
 2    beta    paused
 3    alpha   running
 -    gamma   shut off

 Id   Name    State
------------------------
 -    gamma   shut off

Id:             1
Name:           zeta
UUID:           00000001-0000-0000-0000-000000000000
OS Type:        hvm
State:          running
CPU(s):         1
CPU time:       T
Max memory:     1024 KiB
Used memory:    1024 KiB
Persistent:     yes
Autostart:      disable
Managed save:   no

paused
"

# ---- dominfo, domstate ----
vp -c $U dominfo test
cpu_time_out
expect_rc 0
expect_err ""
expect_out "Id:             1
Name:           test
UUID:           6695eb01-f6a4-8304-79aa-97f2502e193f
OS Type:        hvm
State:          running
CPU(s):         2
CPU time:       T
Max memory:     8388608 KiB
Used memory:    2097152 KiB
Persistent:     yes
Autostart:      disable
Managed save:   no
"
vp -c $U --json dominfo test
expect_rc 0
expect_json "1
test
running" id name state

vp -c $U domstate test
expect_rc 0
expect_out "running
"
vp -c $U domstate test --reason
expect_rc 0
expect_out "running (booted)
"
vp -c $U --json domstate test
expect_rc 0
expect_json "running
booted" state reason

# ---- state changes, as virsh words them ----
vp -c $U suspend test \; domstate test --reason \; resume test \; domstate test \
    \; destroy test \; domstate test \; start test \; shutdown test
expect_rc 0
expect_err ""
expect_out "Domain 'test' suspended

paused (user)

Domain 'test' resumed

running

Domain 'test' destroyed

shut off

Domain 'test' started

Domain 'test' is being shutdown
"
vp -c $U --json suspend test
expect_rc 0
expect_json "test
suspended" domain result

vp -c $U destroy test \; undefine test \; list --all
expect_rc 0
expect_out "Domain 'test' destroyed

Domain 'test' has been undefined

 Id   Name   State
--------------------
"

# ---- dumpxml ----
vp -c $U dumpxml test
expect_rc 0
expect_err ""
head -n 1 "$tmp/out" | grep -q '^<domain' || fail "dumpxml does not start with <domain"
expect_out_has "<name>test</name>"
cp "$tmp/out" "$tmp/dumpxml.txt"
vp -c $U --json dumpxml test
expect_rc 0
"$JSON_QUERY" result.xml <"$tmp/out" >"$tmp/dumpxml.json" || fail "dumpxml --json is not JSON"
cmp -s "$tmp/dumpxml.txt" "$tmp/dumpxml.json" || fail "dumpxml --json differs from the text"

# ---- errors: one line on stderr as virsh's, a blank line on stdout, exit
# status 1; with --json the envelope says which command failed and why ----
for verb in dominfo domstate undefine start shutdown destroy suspend resume dumpxml; do
    vp -c $U "$verb" nosuch
    expect_rc 1
    expect_out_blank
    expect_err "error: failed to get domain 'nosuch'"
    vp -c $U --json "$verb" nosuch
    expect_rc 1
    expect_json_raw "$verb
false
VP_ERR_NO_DOMAIN
failed to get domain 'nosuch'
<missing>" command ok error.code error.message result
done
vp -c $U start test
expect_rc 1
expect_err "error: Domain is already active"
vp -c $U resume test
expect_rc 1
expect_err "error: Failed to resume domain 'test'
error: domain 'test' is not paused"
# A chain goes on after a failure and exits with its last command's
# status, as virsh's.
vp -c $U resume test \; list
expect_rc 0
expect_out "
 Id   Name   State
----------------------
 1    test   running
"
expect_err "error: Failed to resume domain 'test'
error: domain 'test' is not paused"
vp -c $U --json list \; resume test
expect_rc 1
expect_json_raw "2
list
true
resume
false
VP_ERR_OPERATION_INVALID" '#' 0.command 0.ok 1.command 1.ok 1.error.code
expect_err "error: Failed to resume domain 'test'
error: domain 'test' is not paused"
# With --json, a sequence prints one array of the verbs' documents.
vp -c $U --json list \; domstate test
expect_rc 0
expect_json "2
1
running" '#' 0.domains.# 1.state

vp -c $U define "$tmp/missing.xml"
expect_rc 1
expect_out_blank
expect_err "error: cannot open '$tmp/missing.xml': No such file or directory"
# Only a regular file is read: a FIFO without a writer would block the
# read for ever, so it is refused by name before it is opened for reading.
mkfifo "$tmp/fifo.xml"
vp_within 20 -c $U define "$tmp/fifo.xml"
expect_rc 1
expect_out_blank
expect_err "error: '$tmp/fifo.xml' is not a regular file (it is a FIFO)"
vp -c $U define "$tmp"
expect_rc 1
expect_out_blank
expect_err "error: '$tmp' is not a regular file (it is a directory)"
# test:///PATH reads its <node> file through the same reader.
vp_within 20 -c "test://$tmp/fifo.xml" list
expect_rc 1
expect_out_blank
expect_err "error: '$tmp/fifo.xml' is not a regular file (it is a FIFO)"
printf '<domain><name>bad</name><frobnicate/></domain>\n' >"$tmp/bad.xml"
vp -c $U define "$tmp/bad.xml"
expect_rc 1
expect_out_blank
expect_error_line

# ---- guestinfo: the test driver has no guest agent ----
vp -c $U guestinfo test
expect_rc 1
expect_out_blank
expect_error_line
expect_err_has "driver 'test' does not implement 'domain-get-guest-info'"
vp -c $U guestinfo nosuch
expect_rc 1
expect_error_line
expect_err "error: failed to get domain 'nosuch'"

# ---- domtime: the test driver's simulated guest clock ----
vp -c $U "domtime test --time 1000000000; domtime test; domtime test --pretty"
expect_rc 0
expect_out "
Time: 1000000000
Time: 2001-09-09 01:46:40"
vp -c $U --json "domtime test --time 86400; domtime test"
expect_rc 0
expect_json "set
86400
test
1970-01-02 00:00:00" 0.result 1.seconds 1.domain 1.utc
# --sync sets it from the host: within a minute of the host's clock.
vp -c $U --json "domtime test --time 5; domtime test --sync; domtime test"
expect_rc 0
host=$(date +%s)
guest=$(sed -n 's/.*"seconds": \([0-9]*\).*/\1/p' "$tmp/out" | tail -n 1)
[ $((host - guest)) -le 60 ] && [ $((guest - host)) -le 60 ] ||
    fail "domtime --sync left the guest at $guest, the host is at $host"
vp -c $U "domtime test --now; domtime test"
expect_rc 0
guest=$(sed -n 's/^Time: //p' "$tmp/out")
[ $((host - guest)) -le 60 ] && [ $((guest - host)) -le 60 ] ||
    fail "domtime --now left the guest at $guest, the host is at $host"
vp -c $U domtime test --now --sync
expect_rc 1
expect_err "error: --now, --sync and --time are mutually exclusive"
vp -c $U domtime test --time soon
expect_rc 1
expect_err_has "--time needs seconds since the epoch, not 'soon'"

# ---- domfsfreeze, domfsthaw, dompmsuspend, dompmwakeup ----
vp -c $U --json "domfsfreeze test --mountpoint /boot; domfsfreeze test; domfsthaw test /"
expect_rc 0
expect_json "1
/boot
1
1
test" 0.frozen 0.mountpoints.0 1.frozen 2.thawed 2.domain
vp -c $U -q "domfsfreeze test; domfsthaw test"
expect_rc 0
expect_out ""
vp -c $U dompmsuspend test --target mem --duration 60
expect_rc 1
expect_err_has "only duration 0"
vp -c $U dompmsuspend test
expect_rc 1
expect_err_has "missing the target"
vp -c $U dompmsuspend test --target s3
expect_rc 1
expect_err_has "Invalid target 's3'"
vp -c $U -r domfsfreeze test
expect_rc 1
vp -c $U --json dompmwakeup test
expect_rc 1
expect_err_has "does not implement 'domain-pm-wakeup'"
vp -c $U -r domtime test --sync
expect_rc 1
expect_err_has "refused by -r"
vp -c $U "suspend test; domtime test"
expect_rc 1
expect_err_has "cannot read the clock of domain 'test': it is paused; resume it first"
vp -c $U "destroy test; domtime test --sync"
expect_rc 1
expect_err_has "cannot set the clock of domain 'test': it is not running"
vp -c $U domtime nosuch
expect_rc 1
expect_err "error: failed to get domain 'nosuch'"

# ---- uri, version ----
vp -c $U uri
expect_rc 0
expect_out "test:///default
"
vp -c $U --json uri
expect_json "test:///default
test" uri driver
vp -c $U version
expect_rc 0
expect_out_has "Using driver: test"
vp --json version
expect_rc 0
expect_json "test" driver

# ---- domid, domuuid, domname: each takes what virsh's takes ----
vp -c $U 'domid test; domuuid test; domname 1; domname 6695eb01-f6a4-8304-79aa-97f2502e193f'
expect_rc 0
expect_err ""
expect_out "1

6695eb01-f6a4-8304-79aa-97f2502e193f

test

test
"
vp -c $U --json 'domid test; destroy test; domid test; start test; domid 6695eb01-f6a4-8304-79aa-97f2502e193f; domuuid 2; domname 2'
expect_rc 0
expect_json_raw "1
null
2
6695eb01-f6a4-8304-79aa-97f2502e193f
test
test" 0.result.id 2.result.id 4.result.id 5.result.uuid 6.result.name 6.result.domain
# domid takes no Id, domname no name, domuuid no UUID (virsh's choices).
for bad in "domid 1" "domname test" "domuuid 6695eb01-f6a4-8304-79aa-97f2502e193f"; do
    # shellcheck disable=SC2086
    vp -c $U $bad
    expect_rc 1
    expect_err "error: failed to get domain '${bad#* }'"
done
vp -c $U --json domid nosuch
expect_rc 1
expect_json_raw "domid
false
VP_ERR_NO_DOMAIN" command ok error.code

# dominfo's CPU time: the time the domain ran, none while shut off.
vp -c $U --json 'dominfo test; destroy test; dominfo test'
expect_rc 0
[ "$(json_result 0.cpu_time_ns)" -ge 0 ] || fail "no cpu_time_ns"
expect_json_raw "0
null" 2.result.cpu_time_ns 2.result.id
vp -c $U 'destroy test; dominfo test'
expect_rc 0
checks=$((checks + 1))
! grep -q '^CPU time' "$tmp/out" || fail "a shut-off domain has no CPU time line"

done_ok
