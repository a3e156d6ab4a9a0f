#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# test-vpsh-virsh-forms.sh: the forms virsh users type, in vpsh: the
# connection URI from the environment (and never a silent fallback), the
# notice on the simulated host, -q -r -d -e, -cURI, --domain and UUIDs,
# chains in one string and on stdin, the ten one-liners of scripts
# (compared with virsh's output when virsh is installed), virsh's
# list/snapshot options, options refused with a reason, --json envelopes,
# help by keyword and the verb families without a driver.
set -eu
. "$(dirname "$0")/vpsh-lib.sh"
unset LIBVIRT_DEFAULT_URI VIRSH_DEFAULT_CONNECT_URI
U=test:///default
NOTICE="warning: no connection URI is configured (-c, VIRTPLUG_DEFAULT_URI, LIBVIRT_DEFAULT_URI): \
'suspend' changes the simulated host test:///default, which forgets it when vpsh exits"

{
    echo "<node xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>"
    echo "<domain type='test'><name>envdom</name><memory>1024</memory><os><type>hvm</type></os>"
    echo "<test:runstate>1</test:runstate></domain></node>"
} >"$tmp/node.xml"
N="test://$tmp/node.xml"

# ---- the URI: -c, VIRTPLUG_DEFAULT_URI, VIRSH_DEFAULT_CONNECT_URI, LIBVIRT_DEFAULT_URI ----
# The issue's dangerous case: a URI from the environment that cannot be
# opened fails; nothing happens on the simulated host.
LIBVIRT_DEFAULT_URI=nosuchscheme:///system vp destroy test
expect_rc 1
expect_out_blank
expect_error_line
expect_err_has "error: failed to connect to 'nosuchscheme:///system' (from LIBVIRT_DEFAULT_URI):"
VIRSH_DEFAULT_CONNECT_URI=nosuchscheme:///x vp list
expect_rc 1
expect_err_has "(from VIRSH_DEFAULT_CONNECT_URI)"
LIBVIRT_DEFAULT_URI=$N vp list --name
expect_rc 0
expect_err ""
expect_out "envdom
"
LIBVIRT_DEFAULT_URI=$N vp uri
expect_out "$N
"
LIBVIRT_DEFAULT_URI=nosuchscheme:/// VIRSH_DEFAULT_CONNECT_URI=$N vp uri
expect_rc 0
expect_out "$N
"
LIBVIRT_DEFAULT_URI=nosuchscheme:/// VIRTPLUG_DEFAULT_URI=$N vp uri
expect_out "$N
"
LIBVIRT_DEFAULT_URI=nosuchscheme:/// vp -c $U uri
expect_rc 0
expect_out "$U
"
# A URI from the environment is asked for: no simulated-host notice.
LIBVIRT_DEFAULT_URI=$U vp suspend test
expect_rc 0
expect_err ""
vp -c$U uri
expect_out "$U
"
vp --connect=$U uri
expect_out "$U
"

# ---- nothing configured: test:///default, and a notice once per run ----
vp 'suspend test; resume test; domstate test'
expect_rc 0
expect_err "$NOTICE"
expect_out "Domain 'test' suspended

Domain 'test' resumed

running
"
vp domstate test
expect_err ""

# ---- -r, -q, -d, -e ----
vp -r -c $U 'list --name; destroy test; domstate test'
expect_rc 0
expect_err "error: command 'destroy' changes state; refused by -r (--readonly)"
expect_out "test


running
"
vp --readonly -c $U destroy test
expect_rc 1
vp -q -c $U 'suspend test; domstate test; list'
expect_rc 0
expect_out "paused
 1   test   paused"
vp -d 0 -c $U list --name
expect_rc 0
expect_err_has "virtplug: "
vp -d 9 -c $U list --name
expect_rc 0
expect_err "error: ignoring debug level 9 out of range [0-4]"
vp -e '^]' -c $U uri
expect_rc 0
vp -e xx -c $U uri
expect_rc 1
expect_out ""
expect_err "error: Invalid string 'xx' for escape sequence"

# ---- domain arguments: name, --domain, UUID, Id ----
vp -c $U 'domstate --domain test; domstate 6695EB01-F6A4-8304-79AA-97F2502E193F'
expect_rc 0
expect_out "running

running
"
vp -c $U domstate 1
expect_rc 0
expect_out "running
"
vp -c $U domstate 2
expect_rc 1
expect_err "error: failed to get domain '2'"
vp -c $U domstate 00000000-0000-0000-0000-000000000000
expect_rc 1
expect_err "error: failed to get domain '00000000-0000-0000-0000-000000000000'"

# ---- chains: one string, newlines, ';' arguments; a failure does not stop them ----
vp -c $U 'suspend test
domstate test;domstate test --reason'
expect_rc 0
expect_out "Domain 'test' suspended

paused

paused (user)
"
vp -c $U suspend test \; domstate test --reason
expect_out "Domain 'test' suspended

paused (user)
"
vp -c $U "domstate 'te'st; # a comment
domstate \"test\""
expect_rc 0
expect_out "running

running
"
vp -c $U "domstate 'test"
expect_rc 1
expect_err_has "missing '"
printf 'suspend test\ndomstate test\ndomstate nosuch\n' >"$tmp/cmds"
vp -c $U <"$tmp/cmds"
expect_rc 1
expect_out "Domain 'test' suspended

paused

"
expect_err "error: failed to get domain 'nosuch'"
printf 'suspend test\ndomstate test\nquit\ndomstate nosuch\n' >"$tmp/cmds"
vp -c $U <"$tmp/cmds"
expect_rc 0

# ---- the one-liners of scripts ----
last="for d in \$(vpsh list --name --all); do vpsh domstate \$d; done"
out=$(for d in $("$VPSH" -c "$N" list --name --all); do "$VPSH" -c "$N" domstate "$d"; done)
checks=$((checks + 1))
[ "$out" = running ] || fail "the loop printed '$out'"
last="vpsh list --name | while read d"
n=$("$VPSH" -c $U list --name --all | grep -c .)
checks=$((checks + 1))
[ "$n" = 1 ] || fail "list --name --all gave $n names"

# The ten one-liners (docs/virsh-compat.md names them), each run through
# "virsh -c test:///default" and "vpsh -c test:///default" as $V: stdout,
# stderr and exit status agree byte for byte. Each tool's run starts from
# its own fresh test host, as each process does.
if command -v virsh >/dev/null 2>&1; then
    cat >"$tmp/liners" <<'EOF_LINERS'
for d in $($V list --name --all); do $V domstate "$d"; done
$V list --name | while read -r d; do [ -n "$d" ] && $V domid "$d"; done; true
$V domstate test | grep -qx running && echo up
$V list --all | awk 'NR > 2 && NF { print $2, $3 }'
$V dominfo test | awk -F': +' '$1 == "State" || $1 == "Max memory" { print $2 }'
u=$($V domuuid test) && $V domname "$u"
$V -q list --all | wc -l
$V dumpxml test >"$T/t.xml" && $V "destroy test; undefine test; define $T/t.xml; list --all --name"
$V domblklist test | awk 'NR > 2 && NF { print $2 }'
$V list --state-running --name | xargs -r -n1 $V shutdown
EOF_LINERS
    [ "$(grep -c . "$tmp/liners")" = 10 ] || fail "not ten one-liners"
    while IFS= read -r line; do
        last="$line"
        for tool in virsh vpsh; do
            mkdir -p "$tmp/$tool"
            cmd="virsh -c $U"
            [ $tool = virsh ] || cmd="$VPSH -c $U"
            set +e
            V=$cmd T="$tmp/$tool" timeout 30 sh -c "$line" >"$tmp/$tool.out" 2>"$tmp/$tool.err" </dev/null
            echo $? >"$tmp/$tool.rc"
            set -e
        done
        checks=$((checks + 1))
        [ "$(cat "$tmp/virsh.rc")" = "$(cat "$tmp/vpsh.rc")" ] ||
            fail "one-liner '$line': virsh exited $(cat "$tmp/virsh.rc"), vpsh $(cat "$tmp/vpsh.rc")"
        [ -s "$tmp/virsh.out" ] || fail "one-liner '$line': virsh printed nothing"
        sed "s|$tmp/virsh|T|g" "$tmp/virsh.out" >"$tmp/virsh.nout"
        sed "s|$tmp/vpsh|T|g" "$tmp/vpsh.out" >"$tmp/vpsh.nout"
        diff -u "$tmp/virsh.nout" "$tmp/vpsh.nout" >&2 || fail "one-liner '$line': stdout differs"
        diff -u "$tmp/virsh.err" "$tmp/vpsh.err" >&2 || fail "one-liner '$line': stderr differs"
    done <"$tmp/liners"
else
    echo "# the ten one-liners not compared: no virsh" >&2
fi

# ---- list and snapshot options ----
vp -c $U 'destroy test; list --state-shutoff --name; list --state-running --name; list --inactive --uuid'
expect_rc 0
expect_out "Domain 'test' destroyed

test


6695eb01-f6a4-8304-79aa-97f2502e193f
"
vp -c $U 'list --transient --all --name; list --persistent --name; list --without-snapshot --name'
expect_out "
test

test
"
vp -c $U 'snapshot-create-as --domain test --name s1; snapshot-list test --name; snapshot-delete test --snapshotname s1 --metadata; snapshot-list test --name'
expect_rc 0
expect_out "Domain snapshot s1 created
s1

Domain snapshot s1 deleted

"
# start and create --paused, destroy --graceful, shutdown --mode with
# virsh's list of modes (libvirt 9.0's test driver refuses all but
# --graceful; its QEMU driver has them, as virtplug's).
vp -c $U 'destroy test --graceful; start test --paused; domstate test --reason; resume test; domstate test --reason'
expect_rc 0
expect_out "Domain 'test' destroyed

Domain 'test' started

paused (user)

Domain 'test' resumed

running (unpaused)
"
vp -c $U 'shutdown test --mode agent; start test; shutdown --domain test --mode acpi,agent; domstate test --reason'
expect_rc 0
expect_out "Domain 'test' is being shutdown

Domain 'test' started

Domain 'test' is being shutdown

shut off (shutdown)
"
printf '%s' "<domain type='test'><name>t2</name><memory>1024</memory><os><type>hvm</type></os></domain>" >"$tmp/t2.xml"
vp -c $U "create $tmp/t2.xml --paused; domstate t2 --reason"
expect_rc 0
expect_out "Domain 't2' created from $tmp/t2.xml

paused (user)
"
vp -c $U shutdown test --mode signal
expect_rc 1
expect_err "error: shutdown mode 'signal' is not supported: virtplug shuts down by 'acpi' or 'agent'"
vp -c $U 'shutdown test --mode foo; domstate test'
expect_rc 0
expect_out "
running
"
expect_err "error: Unknown mode foo value, expecting 'acpi', 'agent', 'initctl', 'signal', or 'paravirt'"

# ---- --json: every document names its command; failures too; help ----
vp -c $U --json 'list --uuid; domstate nosuch'
expect_rc 1
expect_json_raw "2
list
true
6695eb01-f6a4-8304-79aa-97f2502e193f
domstate
false
VP_ERR_NO_DOMAIN" '#' 0.command 0.ok 0.result.domains.0.uuid 1.command 1.ok 1.error.code
vp -c $U nosuchverb --json
expect_rc 1
expect_json_raw "nosuchverb
false
unknown command: 'nosuchverb'" command ok error.message
vp help --json
expect_rc 0
expect_json_raw "help
true
domain
list" command ok result.groups.0.keyword result.groups.0.commands.0.name
vp start --help --json
expect_json_raw "start
autodestroy
virtplug has no daemon: no process outlives vpsh to destroy the domain when it exits" result.name \
    result.options.2.name result.options.2.refused

# ---- help by keyword; families without a driver ----
vp help snapshot
expect_rc 0
expect_out_has "Snapshots (help keyword 'snapshot'):"
expect_out_has "  snapshot-list  "
vp help network
expect_rc 1
expect_err "error: command 'network': virtplug has no network driver; use 'virsh net-*' with libvirtd, or ip(8) and nmcli(1)"
for v in net-list pool-list vol-list; do
    vp -c $U $v
    expect_rc 1
    expect_out ""
    expect_error_line
    expect_err_has "use 'virsh ${v%%-*}-*' with libvirtd"
done

done_ok
