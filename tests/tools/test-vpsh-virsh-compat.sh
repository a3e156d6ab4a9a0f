#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# test-vpsh-virsh-compat.sh: the same command lines through
# "virsh -c test:///default" and "vpsh -c test:///default", comparing the
# exit status, stdout and stderr byte for byte after normalising what
# differs by nature:
#  - times (snapshot creation) become TIME;
#  - dominfo: virsh prints fields virtplug has no data for (Security *):
#    only the lines vpsh prints are compared;
#    the CPU time line is dropped (libvirt's test driver reports the time
#    of day, even for a shut-off domain; virtplug's the simulated running
#    time, and none when shut off), and the OS Type value (virsh's test
#    driver says 'linux' for <type>hvm</type>, virtplug the XML's 'hvm');
#  - dumpxml: the two test hosts' 'test' domains differ in devices, so only
#    the name and uuid lines are compared;
#  - errors whose text is the driver's own (start of a running domain, ...)
#    are compared by shape: exit status, stdout, and one or more
#    "error: " lines.
# Both test:///default hosts hold one running domain 'test' with UUID
# 6695eb01-f6a4-8304-79aa-97f2502e193f, so the content otherwise agrees.
# Verbs covered: list (--all --inactive --name --uuid --id --state-*
# --persistent --transient --with-snapshot --without-snapshot --table,
# --managed-save --with-managed-save --without-managed-save, -q),
# dominfo, domid, domuuid, domname (each domain by name, ID, UUID and
# --domain, in virsh's lookup order), nodeinfo, hostname (when virsh's
# answer is this machine's gethostname, which vpsh reports without asking
# the resolver), domstate (--reason, by UUID, --domain), suspend, resume,
# destroy, start (--force-boot; an active domain), shutdown, undefine
# (--snapshots-metadata), the first error line of their failures,
# define, create (--transient and
# --persistent lists, dominfo's Persistent), dumpxml (--security-info), edit,
# save, restore, managedsave, managedsave-remove, save-image-edit and
# save-image-dumpxml --xpath (--wrap), dumpxml --xpath, snapshot-create-as,
# snapshot-list (--name --parent --roots --leaves --tree --from --current
# --descendants --disk-only --internal --external), snapshot-delete
# (--children --children-only, --metadata with them),
# snapshot-current (--name), snapshot-parent (--current), snapshot-info
# (--current), uri, chains in one string, and the statistics verbs
# domstats (--state and the --list-* filters; after a change, since the
# two test drivers give their first domain different reasons),
# dommemstat, nodecpustats (--cpu, --percent), sysinfo, and the errors of
# domblkstat and domifstat (libvirt's test domain has an interface,
# virtplug's none: compared by shape), domblkinfo (a device,
# --all, --human, by path; a disk without a source), domblkerror and
# vcpuinfo (--pretty; running and shut off; the CPU time line is dropped
# as dominfo's), on a domain with two disks and an empty CD-ROM, listed in
# the order libvirt sorts them (by bus), and capabilities (but for the
# simulated host power in <power_management>); the default domain's disk
# (domblklist, --details, --inactive; domblkinfo, domblkerror, and the
# fields of domblkstat), reboot, reset and their errors' first line,
# autostart, snapshot-create, snapshot-revert (--paused, --running),
# domtime once set, event --timeout, and the lookup errors of domiflist,
# domifaddr, qemu-agent-command, domdisplay and console; change-media,
# domif-getlink and domif-setlink up to the change, and the first error
# line of a live change.
# Skipped (exit 77) without virsh.
set -eu
. "$(dirname "$0")/vpsh-lib.sh"
command -v virsh >/dev/null 2>&1 || { echo "SKIP: no virsh"; exit 77; }
U=test:///default
unset LIBVIRT_DEFAULT_URI VIRSH_DEFAULT_CONNECT_URI

normalise() {
    sed -E -e 's/[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} [+-][0-9]{4}/TIME/g' \
        -e '/^(CPU time|Autostart|Security model|Security DOI|Security label):/d' \
        -e 's/^(OS Type: +).*/\1OSTYPE/' \
        -e 's/^Domain snapshot [0-9]{9,} created$/Domain snapshot EPOCH created/' "$1"
}

# run TOOL OUTPREFIX ARGS...
run() {
    tool=$1
    pfx=$2
    shift 2
    set +e
    # A save image both tools would write: each starts without it.
    [ -z "${fresh:-}" ] || rm -f "$fresh"
    if [ "$tool" = virsh ]; then
        # libvirt 9.0's virsh sometimes hangs at exit after a save on its
        # test driver: such a run is tried again.
        for try in 1 2 3 4 5; do
            timeout 10 virsh -c $U "$@" >"$tmp/$pfx.out" 2>"$tmp/$pfx.err" </dev/null
            rc=$?
            [ $rc -eq 124 ] || break
            [ -z "${fresh:-}" ] || rm -f "$fresh"
        done
        (exit $rc)
    else
        "$VPSH" -c $U "$@" >"$tmp/$pfx.out" 2>"$tmp/$pfx.err"
    fi
    echo $? >"$tmp/$pfx.rc"
    set -e
    normalise "$tmp/$pfx.out" >"$tmp/$pfx.nout"
    normalise "$tmp/$pfx.err" >"$tmp/$pfx.nerr"
}

# same ARGS...: exit status, stdout and stderr agree.
same() {
    last="$*"
    run virsh v "$@"
    run vpsh p "$@"
    checks=$((checks + 1))
    [ "$(cat "$tmp/v.rc")" = "$(cat "$tmp/p.rc")" ] ||
        fail "'$*': virsh exited $(cat "$tmp/v.rc"), vpsh $(cat "$tmp/p.rc")"
    diff -u "$tmp/v.nout" "$tmp/p.nout" >&2 || fail "'$*': stdout differs (virsh -, vpsh +)"
    diff -u "$tmp/v.nerr" "$tmp/p.nerr" >&2 || fail "'$*': stderr differs (virsh -, vpsh +)"
}

# same_shape ARGS...: exit status and stdout agree; stderr is "error:" lines in both.
same_shape() {
    last="$*"
    run virsh v "$@"
    run vpsh p "$@"
    checks=$((checks + 1))
    [ "$(cat "$tmp/v.rc")" = "$(cat "$tmp/p.rc")" ] ||
        fail "'$*': virsh exited $(cat "$tmp/v.rc"), vpsh $(cat "$tmp/p.rc")"
    diff -u "$tmp/v.nout" "$tmp/p.nout" >&2 || fail "'$*': stdout differs (virsh -, vpsh +)"
    for f in v p; do
        [ -s "$tmp/$f.err" ] && ! grep -qv '^error: ' "$tmp/$f.err" ||
            fail "'$*': stderr of $f is not 'error:' lines: $(cat "$tmp/$f.err")"
    done
}

# same_what ARGS...: as same_shape, and the first error line (virsh's
# "Failed to ..." one, which scripts match) is the same.
same_what() {
    same_shape "$@"
    checks=$((checks + 1))
    [ "$(head -n 1 "$tmp/v.err")" = "$(head -n 1 "$tmp/p.err")" ] ||
        fail "'$*': first error line differs: virsh '$(head -n 1 "$tmp/v.err")', vpsh '$(head -n 1 "$tmp/p.err")'"
}

# expect_stdout FORMAT: vpsh's stdout is exactly printf FORMAT, trailing
# blank lines included (virsh's blank line after each command of a chain).
expect_stdout() {
    checks=$((checks + 1))
    # shellcheck disable=SC2059
    printf "$1" >"$tmp/want"
    diff -u "$tmp/want" "$tmp/out" >&2 || fail "stdout of '$last' differs (diff above)"
}

# ---- list and its options ----
same list
same list --all
same list --inactive
same -q list
same -q list --all
same list --name
same list --name --all
same list --uuid
same list --uuid --name
same list --state-running
same list --state-paused
same list --state-shutoff
same list --persistent
same list --transient --all
same list --with-snapshot
same list --without-snapshot --all
same list --table --name
same list --all --nope

# ---- one domain ----
same dominfo test
same dominfo 6695eb01-f6a4-8304-79aa-97f2502e193f
same dominfo nosuch
same domstate test
# Not compared: "domstate test --reason" at open: libvirt's test driver
# gives its first domain no reason ("running (unknown)"), virtplug's says
# "running (booted)". The reasons after a change are compared below.
same domstate --domain test
same domstate 6695eb01-f6a4-8304-79aa-97f2502e193f
same -q domstate test
same domstate
same domstate test extra
same uri

# ---- identity: IDs, UUIDs, names, and virsh's lookup order ----
same domid test
same domid --domain test
same domid 6695eb01-f6a4-8304-79aa-97f2502e193f
same domid 1
same domuuid test
same domuuid 1
same domuuid 6695eb01-f6a4-8304-79aa-97f2502e193f
same domname 1
same domname 6695eb01-f6a4-8304-79aa-97f2502e193f
same domname test
same domname 5
same -q domid test
same domid
same domid test extra
same dominfo 1
same dominfo 01
same dominfo +1
same dominfo -1
same dominfo --domain 1
same domstate 1
same 'suspend 1; domstate 1 --reason; resume 6695eb01-f6a4-8304-79aa-97f2502e193f; domstate test'
same list --id
same list --id --all
same list --id --name
same list --id --uuid --name
same list --all --uuid --id
same list --id --table
# A domain named like an ID: an ID is tried first, then the name.
cat >"$tmp/num.xml" <<'XML'
<domain type='test'>
  <name>7</name>
  <uuid>77777777-2222-3333-4444-555555555555</uuid>
  <memory unit='KiB'>262144</memory>
  <vcpu>1</vcpu>
  <os><type>hvm</type></os>
</domain>
XML
same "define $tmp/num.xml; domuuid 7; start 7; domid 7; list; domname 2; domname 1"

# ---- the host ----
same nodeinfo
same -q nodeinfo
same nodeinfo extra
if [ "$(virsh -c $U hostname 2>/dev/null | head -n 1)" = "$(hostname)" ]; then
    same hostname
else
    echo "# hostname not compared: virsh completes '$(hostname)' through the resolver" >&2
fi

# ---- changes, as chains in one string ----
same 'suspend test; domstate test --reason; resume test; domstate test'
same -q 'suspend test; domstate test'
same 'destroy test; list --all; list --state-shutoff; domstate test --reason; start test'
# Ids: a started domain takes the next one (2), as libvirt's.
same 'destroy test; start test; list; domid test; dominfo test; domname 2; domuuid 2'
same 'destroy test; domid test; dominfo test; list --all --id --name; domname 1'
same 'destroy test; undefine test; list --all'
same 'domstate nosuch; domstate test'
same 'domstate test; domstate nosuch'
same 'shutdown test; domstate test'
same 'start test'
same -q 'suspend test; start test'
# A failure: virsh's "Failed to VERB domain 'x'" line, then the driver's reason.
same_what 'destroy test; destroy test'
same_what 'destroy test; suspend test'
same_what 'destroy test; resume test'
same_what 'destroy test; shutdown test'
# start --force-boot: without an image it just boots; with one, the image
# goes and the domain boots afresh (vpsh alone: libvirt's test driver may
# hang after a managedsave).
same 'destroy test; start test --force-boot; domstate test --reason'
same_shape 'start test --force-boot'
vp -c $U 'managedsave test; start test --force-boot; domstate test --reason; dominfo test'
expect_rc 0
expect_out_has 'running (booted)'
expect_out_has 'Managed save:   no'
vp -c $U 'destroy test; start test --autodestroy'
expect_rc 1
expect_err "error: option --autodestroy of command 'start' is not supported: virtplug has no daemon: no process outlives vpsh to destroy the domain when it exits"
# undefine of a domain with snapshots: refused, as libvirt; with
# --snapshots-metadata the records go first.
same_shape 'snapshot-create-as test a; destroy test; undefine test'
same 'snapshot-create-as test a; snapshot-create-as test b; destroy test; undefine test --snapshots-metadata; list --all'
same 'destroy test; undefine test --snapshots-metadata; list --all'
# A running domain: libvirt makes it transient, virtplug refuses the
# undefine and keeps its records.
vp -c $U 'snapshot-create-as test a; undefine test --snapshots-metadata; snapshot-list test --name'
expect_rc 0
expect_out_has 'a'
expect_err "error: Failed to undefine domain 'test'
error: cannot undefine domain 'test': it is running; destroy it first"
vp -c $U 'destroy test; undefine test --remove-all-storage; list --all --name'
expect_rc 0
expect_out_has 'test'
expect_err "error: option --remove-all-storage of command 'undefine' is not supported: virtplug never deletes a domain's disk images; remove them yourself once no other domain or snapshot uses them"
same_what 'resume test'
same 'snapshot-create-as test s1; snapshot-list test; snapshot-list test --name; list --with-snapshot --name; snapshot-delete test s1; snapshot-list test'
same -q 'snapshot-create-as test s1; snapshot-list test'
same snapshot-list test
# The snapshot tree: a chain of three, the middle one deleted (its child
# goes to its parent), the current one deleted (its parent is current).
tree='snapshot-create-as test a; snapshot-create-as test b; snapshot-create-as test c'
same "$tree; snapshot-current test --name; snapshot-parent test c; snapshot-parent test --current; snapshot-info test b; snapshot-info test --current"
same "$tree; snapshot-list test --tree; snapshot-list test --parent; snapshot-list test --roots; snapshot-list test --leaves; snapshot-list test --leaves --name; snapshot-list test --roots --leaves"
same "$tree; snapshot-delete test b; snapshot-list test --tree; snapshot-parent test c; snapshot-info test a; snapshot-delete test c; snapshot-current test --name; snapshot-info test a"
same "$tree; snapshot-delete test a; snapshot-list test --tree; snapshot-list test --roots --name; snapshot-delete test b; snapshot-delete test c; snapshot-list test --tree"
same -q "$tree; snapshot-current test --name; snapshot-parent test b"
same_shape 'snapshot-parent test a'
same 'snapshot-create-as test a; snapshot-parent test a'
same 'snapshot-current test --name'
same 'snapshot-current test'
same 'snapshot-info test'
same 'snapshot-parent test a --current'
same 'snapshot-list test --tree --name'
same 'snapshot-list test --parent --roots'
same 'snapshot-list test --parent --tree'
same 'snapshot-list test --roots --tree'
same 'snapshot-list test --leaves --tree'
# --from, --current, --descendants: a tree a-(b-c, d), current a then d.
fork='snapshot-create-as test a; snapshot-create-as test b; snapshot-create-as test c; snapshot-current test a; snapshot-create-as test d'
same "$fork; snapshot-list test --current; snapshot-list test --from a; snapshot-list test --from a --descendants"
same "$fork; snapshot-list test --current --descendants --name; snapshot-list test --from a --tree; snapshot-list test --current --tree"
same "$fork; snapshot-list test --from a --leaves --descendants; snapshot-list test --from a --parent; snapshot-list test --from a --leaves"
same "$fork; snapshot-list test --from a --tree --descendants; snapshot-list --domain test --from=b --parent --descendants"
same "$fork; snapshot-current test a; snapshot-list test --current --name; snapshot-list test --from b --tree"
same 'snapshot-list test --current --from a'
same 'snapshot-list test --current --roots'
same 'snapshot-list test --roots --from a'
same 'snapshot-list test --descendants'
same_shape 'snapshot-list test --current'
same_shape 'snapshot-list test --from x'
# The filters on what each snapshot kept (libvirt's test driver takes no
# disk-only snapshot: its internal ones only are compared).
same "$tree; snapshot-list test --internal --name; snapshot-list test --external --parent; snapshot-list test --disk-only; snapshot-list test --disk-only --internal --name; snapshot-list test --from a --descendants --internal --external --name; snapshot-list test --leaves --internal"
same 'snapshot-list test --tree --disk-only'
same 'snapshot-list test --tree --internal'
same 'snapshot-list test --external --tree'
vp -c $U "snapshot-create-as test a; snapshot-create-as test d --disk-only; snapshot-list test --disk-only --name; snapshot-list test --external --name; snapshot-list test --internal --name; snapshot-list test --from a --external --name; snapshot-list test --internal --external --roots --name"
expect_rc 0
expect_stdout 'Domain snapshot a created\nDomain snapshot d created\nd\n\nd\n\na\n\nd\n\na\n\n'
# snapshot-delete --children, --children-only: the descendants, leaves first.
same "$fork; snapshot-delete test b --children; snapshot-list test --name; snapshot-delete test a --children-only; snapshot-list test --tree"
same "$fork; snapshot-delete test a --children; snapshot-list test --name; snapshot-current test --name"
same "$fork; snapshot-delete test d --children-only; snapshot-list test --name"
same_shape "$fork; snapshot-delete test a --children --children-only"
same_shape 'snapshot-delete test x --children'
# --metadata (which libvirt's test driver refuses) with --children: every
# record goes, the data stays (the test driver keeps none apart).
vp -c $U "$fork; snapshot-delete test a --children --metadata; snapshot-list test --name; snapshot-delete test b --metadata --children-only"
expect_rc 1
expect_stdout 'Domain snapshot a created\nDomain snapshot b created\nDomain snapshot c created\nSnapshot a set as current\nDomain snapshot d created\nDomain snapshot a deleted\n\n\n\n'
expect_err "error: domain 'test' has no snapshot named 'b'"

# ---- define from a file ----
cat >"$tmp/vm1.xml" <<'XML'
<domain type='test'>
  <name>vm1</name>
  <uuid>11111111-2222-3333-4444-555555555555</uuid>
  <memory unit='KiB'>262144</memory>
  <vcpu>1</vcpu>
  <os><type>hvm</type></os>
</domain>
XML
same "define $tmp/vm1.xml; list --all; list --inactive --name; domstate vm1"
same "define --file $tmp/vm1.xml; domstate 11111111-2222-3333-4444-555555555555"
same "define --validate $tmp/vm1.xml; create --validate $tmp/num.xml; list --all"
same 'snapshot-create-as test s1 --atomic; snapshot-list test --name'

# ---- create: a transient domain, gone once it stops ----
same "create $tmp/vm1.xml; list --all; list --transient; list --persistent --all; dominfo vm1"
same "create $tmp/vm1.xml; list --transient --persistent --name; list --transient --uuid --name"
same "create $tmp/vm1.xml; domstate vm1 --reason; destroy vm1; list --all; domstate vm1"
same "create $tmp/vm1.xml; shutdown vm1; list --all --name"
same "create $tmp/vm1.xml; define $tmp/vm1.xml; dominfo vm1; destroy vm1; list --all"
same_shape "create $tmp/vm1.xml; create $tmp/vm1.xml"
same "define $tmp/vm1.xml; create $tmp/vm1.xml; list --all --persistent; destroy vm1; list --all"
same_shape create $tmp/nosuch.xml
same create

# ---- save, restore, managedsave (libvirt's test driver refuses --running
# and --paused, and hangs after a managedsave followed by start or
# managedsave-remove: those are tested against vpsh alone) ----
fresh=$tmp/t.sav
same "save test $tmp/t.sav; domstate test --reason; list --all"
same "save test $tmp/t.sav; restore $tmp/t.sav; domstate test --reason; list; dominfo test"
same -q "save test $tmp/t.sav; restore $tmp/t.sav; domstate test"
same_shape "save test $tmp/t.sav; restore $tmp/t.sav; restore $tmp/t.sav"
same_shape "destroy test; save test $tmp/t.sav"
same_shape "save test $tmp/nosuch/t.sav"
same_shape "restore $tmp/nosuch.sav"
same "managedsave test; domstate test --reason; list --all --managed-save; dominfo test"
same "managedsave test; list --all --with-managed-save; list --all --without-managed-save"
same -q "managedsave test; list --all --managed-save"
same managedsave-remove test
# save-image-dumpxml: the test domains' XML differs by nature (libvirt's
# has devices virtplug's test domain has not): failures are compared.
same_shape "save-image-dumpxml $tmp/nosuch.sav"
# save-image-edit: an editor that changes nothing, then one that adds a
# description, read back through --xpath (and --wrap); the XPath forms.
printf '#!/bin/sh\nsed -i "s|</uuid>|</uuid><description>compat</description>|" "$1"\n' \
    >"$tmp/describe"
chmod +x "$tmp/describe"
EDITOR=true same "save test $tmp/t.sav; save-image-edit $tmp/t.sav"
EDITOR="$tmp/describe" same "save test $tmp/t.sav; save-image-edit $tmp/t.sav; save-image-dumpxml $tmp/t.sav --xpath //description"
same "save test $tmp/t.sav; save-image-dumpxml $tmp/t.sav --xpath /domain/name --wrap"
same "save test $tmp/t.sav; save-image-dumpxml $tmp/t.sav --xpath //nothing"
same "save test $tmp/t.sav; save-image-dumpxml $tmp/t.sav --xpath //name/text() --wrap"
same_shape "save test $tmp/t.sav; save-image-dumpxml $tmp/t.sav --xpath count(//name)"
same dominfo test
fresh=

# ---- dumpxml: the domains differ in devices; their name and uuid agree ----
# A graphics password is hidden without --security-info, shown with it.
cat >"$tmp/vnc.xml" <<'XML'
<domain type='test'>
  <name>vnc</name>
  <memory unit='KiB'>262144</memory>
  <vcpu>1</vcpu>
  <os><type>hvm</type></os>
  <devices>
    <graphics type='vnc' port='-1' autoport='yes' passwd='s3cret'/>
  </devices>
</domain>
XML
last="dumpxml --security-info"
for tool in virsh vpsh; do
    run $tool $tool "define $tmp/vnc.xml; dumpxml vnc; dumpxml vnc --inactive; dumpxml vnc --security-info"
    checks=$((checks + 1))
    [ "$(cat "$tmp/$tool.rc")" = 0 ] || fail "$tool: dumpxml --security-info failed"
    [ "$(grep -c '<graphics type=.vnc.' "$tmp/$tool.out")" = 3 ] || fail "$tool: no graphics"
    [ "$(grep -c "passwd='s3cret'" "$tmp/$tool.out")" = 1 ] ||
        fail "$tool: the password is not shown once, by --security-info only"
done
vp -c $U dumpxml test --update-cpu
expect_rc 1
expect_err "error: option --update-cpu of command 'dumpxml' is not supported: not supported yet: virtplug does not compute the host CPU a host-model guest gets"
last="dumpxml test"
run virsh v dumpxml test
run vpsh p dumpxml test
checks=$((checks + 1))
[ "$(cat "$tmp/v.rc")$(cat "$tmp/p.rc")" = 00 ] || fail "dumpxml test failed"
for f in v p; do
    # libvirt writes the running domain's Id (id='1'); virtplug has none.
    grep -E "^(<domain |  <name>|  <uuid>|</domain>)|^$" "$tmp/$f.out" |
        sed "s/ id='[0-9]*'//" >"$tmp/$f.shape"
done
diff -u "$tmp/v.shape" "$tmp/p.shape" >&2 || fail "dumpxml: name, uuid or layout differ"
# --xpath: the nodes the two domains share.
same dumpxml test --xpath /domain/name
same dumpxml test --xpath /domain/uuid --wrap
same dumpxml test --xpath '/domain/name | /domain/uuid' --wrap
same 'dumpxml test --xpath //memory/@unit'

# ---- edit: an editor that changes nothing, then one that adds a description ----
EDITOR=true same edit test
EDITOR="$tmp/describe" same edit test
EDITOR="$tmp/describe" same 'edit test; dominfo test'

# ---- statistics ----
same 'suspend test; domstats --state'
same 'suspend test; domstats --state --list-paused test'
same 'destroy test; domstats --state test'
same domstats --state --list-shutoff
same 'suspend test; resume test; domstats --state --list-running --list-paused'
same domstats nosuch
same dommemstat test
same dommemstat nosuch
same 'destroy test; dommemstat test'
same nodecpustats
same nodecpustats --cpu 3
same nodecpustats --cpu x
same nodecpustats --percent
same sysinfo
same domblkstat test vdz
same 'destroy test; domblkstat test vda'
# Counters compared by the fields virsh's own printing needs: libvirt's
# test driver makes its values from the clock and sends errs only,
# virtplug's are fixed and its fields those of QEMU (flush, times).
last='domblkstat test vda'
run virsh v domblkstat test vda
run vpsh p domblkstat test vda
checks=$((checks + 1))
[ "$(cat "$tmp/v.rc")$(cat "$tmp/p.rc")" = 00 ] || fail "domblkstat test vda failed"
for f in v p; do
    grep -E '^vda (rd_req|rd_bytes|wr_req|wr_bytes) [0-9]+$' "$tmp/$f.out" | cut -d' ' -f1,2 >"$tmp/$f.fields"
done
diff -u "$tmp/v.fields" "$tmp/p.fields" >&2 || fail "domblkstat test vda: the read/write fields differ"
same domifstat test nope
same 'destroy test; domifstat test nope'
# ---- setmem, setmaxmem, setvcpus (live and --config; limits by shape) ----
same 'setmem test 1G; dominfo test'
same 'setmem test 1048576 --live; dominfo test'
same 'setmem test 524288K --current; dominfo test'
same 'setmem test 1G --config; dominfo test; destroy test; start test; dominfo test'
same 'setmaxmem test 4G --config; destroy test; start test; dominfo test'
same 'setmaxmem test 1G --config; destroy test; start test; dominfo test'
same 'setvcpus test 1; dominfo test'
same 'setvcpus test 4 --config --maximum; setvcpus test 3 --config; destroy test; start test; dominfo test'
same 'destroy test; setmem test 1G --current; setvcpus test 1 --current; setmaxmem test 4G; start test; dominfo test'
same_shape 'destroy test; setmem test 1G'
same_shape 'destroy test; setvcpus test 1'
same setmem nosuch 1G
same setmem test abc
same setmem nosuch abc
same setmem test 0
same setmem test 1G --current --live
same setvcpus test 0
same setvcpus test x
same setvcpus test 1 --maximum
same setvcpus test 1 --current --config
same_shape -r setmem test 1G
same_shape setmem test 100G
same_shape setmaxmem test 4G
same_shape setvcpus test 3 --live
same_shape 'destroy test; setmem test 1G --live'

# ---- desc (description and title, live and --config), list --title ----
same desc test
same desc test --title
same "desc test --new-desc 'hello world'; desc test; desc test --config"
same "desc test --title --new-desc T1; desc test --title; list --title; list --title --all"
same "desc test --config --new-desc cfg; desc test; desc test --config; destroy test; desc test"
same "desc test --live --config --new-desc both; desc test; desc test --config"
same "desc test --new-desc 'x'; desc test --new-desc ''; desc test"
same "desc test extra words; desc test"
same "desc test --config --new-desc 'a & <b>'; destroy test; desc test"
same "destroy test; desc test --live"
same "define $tmp/vm1.xml; desc test --title --new-desc 'A long title'; list --title --all"
same -q "desc test --title --new-desc T1; list --title"
same desc nosuch
same desc test --current --live
same_shape "destroy test; desc test --live --new-desc x"


# ---- domblkinfo, domblkerror, vcpuinfo ----
cat >"$tmp/vm2.xml" <<'XML'
<domain type='test'>
  <name>vm2</name>
  <uuid>22222222-2222-3333-4444-555555555555</uuid>
  <memory unit='KiB'>262144</memory>
  <vcpu>3</vcpu>
  <os><type>hvm</type></os>
  <devices>
    <disk type='file' device='disk'>
      <source file='/guest/a.img'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <disk type='file' device='disk'>
      <source file='/guest/b.img'/>
      <target dev='vdb' bus='virtio'/>
    </disk>
    <disk type='file' device='cdrom'>
      <target dev='hdc' bus='ide'/>
    </disk>
  </devices>
</domain>
XML
same "define $tmp/vm2.xml; start vm2; domblkinfo vm2 vda; domblkinfo vm2 --all; domblkinfo vm2 --all --human"
same "define $tmp/vm2.xml; domblkinfo vm2 /guest/b.img --human; domblkinfo vm2 --all"
same "define $tmp/vm2.xml; start vm2; domblkerror vm2; domblkerror --domain vm2"
same "define $tmp/vm2.xml; start vm2; vcpuinfo vm2; vcpuinfo vm2 --pretty"
same "define $tmp/vm2.xml; vcpuinfo vm2; vcpuinfo vm2 --pretty"
same -q "define $tmp/vm2.xml; domblkinfo vm2 --all"
same "define $tmp/vm2.xml; domblkinfo vm2 hdc"
same "define $tmp/vm2.xml; domblkinfo vm2 vdx"
same "define $tmp/vm2.xml; domblkinfo vm2"
same "define $tmp/vm2.xml; domblkinfo vm2 vda --all"
same 'destroy test; domblkerror test'
same domblkerror nosuch
same domblkerror test extra
same vcpuinfo test
same vcpuinfo test --pretty
same 'setvcpus test 1; vcpuinfo test'
same 'destroy test; vcpuinfo test; vcpuinfo 6695eb01-f6a4-8304-79aa-97f2502e193f --pretty'
same vcpuinfo nosuch
same domblkinfo nosuch vda

# ---- the default domain's disk, as libvirt's ----
same domblklist test
same domblklist test --details
same -q domblklist test
same domblklist test --inactive
same domblklist nosuch
same 'domblkinfo test vda; domblkinfo test --all; domblkinfo test /guest/diskimage1; domblkinfo test vda --human'
same domblkerror test
same "define $tmp/vm2.xml; domblklist vm2; domblklist vm2 --details --inactive"
# libvirt's default domain has an interface virtplug's definition cannot
# hold: only the errors compare.
same domiflist nosuch
same domifaddr nosuch
same_what 'destroy test; domifaddr test'

# ---- reboot, reset, autostart ----
same 'reboot test; domstate test'
same 'suspend test; reboot test; domstate test --reason'
same 'reset test; domstate test'
same_what 'destroy test; reboot test'
same_what 'destroy test; reset test'
same reboot nosuch
same reset nosuch
same 'autostart test; list --autostart --name; list --no-autostart --all; autostart test --disable; list --no-autostart --name; list --autostart'
same -q 'autostart test; autostart --domain test --disable'
same autostart nosuch

# ---- snapshot-create, snapshot-revert ----
same 'snapshot-create test'
same 'snapshot-create-as test a; snapshot-create-as test b; snapshot-revert test a; snapshot-current test --name; domstate test --reason'
same 'snapshot-create-as test a; destroy test; snapshot-revert test a; domstate test --reason'
same 'snapshot-create-as test a; snapshot-revert test a --paused; domstate test --reason; snapshot-revert test --current --running; domstate test --reason'
same -q 'snapshot-create-as test a; snapshot-revert test a'
same_shape 'snapshot-revert test nosuch'
same_shape 'snapshot-dumpxml test nosuch'
same_shape 'snapshot-create-as test a; snapshot-revert test a --running --paused'

# ---- domtime (libvirt's test guest clock starts at a fixed time, so the
# first reading is not compared), event, the guest agent, displays ----
same 'domtime test --time 5; domtime test; domtime test --pretty'
same -q 'domtime test --time 86400; domtime test; domtime test --pretty'
same domtime nosuch
same 'event --timeout 1'
same 'event --all --timeout 1'
same qemu-agent-command nosuch '{}'
same domdisplay nosuch
same console nosuch

# ---- domfsfreeze, domfsthaw (libvirt's test guest has "/" and "/boot");
# dompmsuspend and dompmwakeup, which neither test driver implements ----
same domfsfreeze test
same -q domfsfreeze test
same 'domfsfreeze test; domfsfreeze test; domfsthaw test --mountpoint /boot'
same 'domfsfreeze test --mountpoint / --mountpoint /boot; domfsthaw test; domfsthaw test'
same 'domfsfreeze test / /boot; domfsthaw --domain test'
same 'suspend test; domfsfreeze test; domfsthaw test'
same_what domfsfreeze test --mountpoint /nosuch
same_what domfsthaw test --mountpoint /a --mountpoint /b
same_what 'destroy test; domfsfreeze test'
same domfsfreeze nosuch
same domfsthaw nosuch
same_what dompmsuspend test --target mem
same_what dompmsuspend test disk --duration 5
same_what dompmwakeup test
same dompmwakeup nosuch

# ---- update-device: libvirt's test driver changes no device, nor does
# virtplug's running one; the options' rules are virsh's ----
printf '%s\n' "<graphics type='vnc' autoport='yes' passwd='x'/>" >"$tmp/vnc.xml"
same_what update-device test "$tmp/vnc.xml"
same_what update-device test "$tmp/vnc.xml" --live
same_what update-device test "$tmp/vnc.xml" --persistent
same update-device test "$tmp/vnc.xml" --current --live
same update-device test "$tmp/vnc.xml" --current --config
same update-device nosuch "$tmp/vnc.xml"

# ---- change-media, domif-getlink, domif-setlink: libvirt's test driver
# changes no device (the live changes fail alike, by their first line);
# finding the drive or the interface and the checks before the change are
# virsh's, byte for byte. virtplug's test driver changes a definition
# (--config, a shut-off domain), libvirt's does not: not compared. ----
cat >"$tmp/media.xml" <<'XML'
<domain type='test'>
  <name>vm3</name>
  <uuid>33333333-2222-3333-4444-555555555555</uuid>
  <memory unit='KiB'>262144</memory>
  <vcpu>1</vcpu>
  <os><type>hvm</type></os>
  <devices>
    <disk type='file' device='disk'>
      <source file='/guest/a.img'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <disk type='file' device='cdrom'>
      <target dev='hdc' bus='ide'/>
    </disk>
    <disk type='file' device='cdrom'>
      <source file='/guest/b.iso'/>
      <target dev='hdd' bus='ide'/>
      <readonly/>
    </disk>
    <interface type='user'>
      <mac address='52:54:00:aa:bb:cc'/>
      <model type='virtio'/>
    </interface>
  </devices>
</domain>
XML
m="define $tmp/media.xml"
same "$m; change-media vm3 hdc --eject"
same "$m; change-media vm3 hdc /x.iso --eject"
same "$m; change-media vm3 hdd --insert /x.iso"
same "$m; change-media vm3 hdc --insert"
same "$m; change-media vm3 nosuch --insert"
same "$m; change-media vm3 vda --eject"
same "$m; change-media vm3 /guest/a.img /x.iso"
same "$m; change-media vm3 hdc --eject --insert"
same "$m; change-media vm3 hdc /x.iso --current --live"
same "$m; change-media vm3 hdc --insert --update /x.iso"
same change-media nosuch hdc --eject
same_what "$m; start vm3; change-media vm3 hdd --eject"
same_what "$m; start vm3; change-media vm3 /guest/b.iso /x.iso"
same_what "$m; start vm3; change-media vm3 hdc --insert /x.iso --live"
same "$m; domif-getlink vm3 52:54:00:aa:bb:cc"
same "$m; domif-getlink vm3 52:54:00:AA:BB:CC --config"
same "$m; domif-getlink vm3 vnet0"
same "$m; domif-getlink vm3 52:54:00:00:00:01"
same domif-getlink nosuch x
same "$m; domif-setlink vm3 52:54:00:aa:bb:cc sideways"
same "$m; domif-setlink vm3 nosuch down"
same "$m; domif-setlink vm3 52:54:00:00:00:01 up"
same domif-setlink nosuch x up
same_what "$m; start vm3; domif-setlink vm3 52:54:00:aa:bb:cc down"

# ---- capabilities: libvirt's test host; virtplug's simulated host can
# suspend (its <power_management> lists the targets), libvirt's cannot ----
last="capabilities"
run virsh v capabilities
run vpsh p capabilities
checks=$((checks + 1))
[ "$(cat "$tmp/v.rc")$(cat "$tmp/p.rc")" = 00 ] || fail "capabilities failed"
sed '/^    <power_management>$/,/^    <\/power_management>$/c\    <power_management/>' \
    "$tmp/p.out" >"$tmp/p.caps"
diff -u "$tmp/v.out" "$tmp/p.caps" >&2 || fail "capabilities differ (virsh -, vpsh +)"
grep -q '^      <suspend_mem/>$' "$tmp/p.out" || fail "no power management in capabilities"
same capabilities extra

done_ok
