#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# test-vpsh-cli.sh: vpsh's command line without a driver: global options,
# help for every verb, usage errors in virsh's words and exit status 1, verb option
# parsing, snapshot XML built from --diskspec, nodesuspend argument checks,
# plugin-check handing over to the kit, connection errors, write errors.
set -eu
. "$(dirname "$0")/vpsh-lib.sh"

verbs="list dominfo domstate define undefine start shutdown destroy suspend resume dumpxml
       snapshot-create-as snapshot-list snapshot-dumpxml snapshot-delete
       nodesuspend nodesuspend-status nodesuspend-cancel nodesuspend-capabilities capabilities
       plugin-list plugin-check uri version help quit exit"

# ---- global options ----
# No command and stdin no terminal: the commands of stdin (none here).
vp </dev/null
expect_rc 0
expect_out ""
expect_err ""

vp --help
expect_rc 0
expect_err ""
expect_out_has "usage: vpsh [OPTIONS] [COMMAND [ARGS]] [';' COMMAND [ARGS]]..."
for v in $verbs; do
    grep -q "^  $v  " "$tmp/out" || fail "vpsh --help does not list '$v'"
done
echo >>"$tmp/out" # the blank line after a command
cp "$tmp/out" "$tmp/help-global"
vp help
expect_rc 0
cmp -s "$tmp/out" "$tmp/help-global" || fail "'vpsh help' differs from 'vpsh --help'"

vp --version
expect_rc 0
expect_err ""
grep -Eqx '[0-9]+\.[0-9]+\.[0-9]+' "$tmp/out" || fail "--version printed '$(cat "$tmp/out")'"

vp nosuchverb
expect_rc 1
expect_out ""
expect_err "error: unknown command: 'nosuchverb'"

vp --bogus list
expect_rc 1
expect_err "error: unsupported option '--bogus'. See --help."

vp -c
expect_rc 1
expect_err "error: option '-c' requires an argument"

# An empty command between ';' is nothing, as in virsh's command strings.
vp uri \; \; uri \;
expect_rc 0
expect_out "test:///default

test:///default
"

# ---- per-verb help: "VERB --help" and "help VERB" agree, start with the usage ----
for v in $verbs; do
    vp "$v" --help
    expect_rc 0
    expect_err ""
    head -n 1 "$tmp/out" | grep -q "^usage: vpsh $v\( \|\$\)" ||
        fail "'$v --help' has no usage line"
    cp "$tmp/out" "$tmp/help-verb"
    vp help -- "$v"
    expect_rc 0
    cmp -s "$tmp/out" "$tmp/help-verb" || fail "'help $v' differs from '$v --help'"
done
vp domstate --help
expect_out "usage: vpsh domstate DOMAIN [--reason]

  show a domain's state

Options:
  --reason             also print why the domain is in its state
"

vp help nosuchverb
expect_rc 1
expect_err "error: command or command group 'nosuchverb' doesn't exist"

# ---- verb arguments ----
vp dominfo
expect_rc 1
expect_out ""
expect_err "error: command 'dominfo' requires <domain> option"

vp dominfo a b
expect_rc 1
expect_err "error: unexpected data 'b'"

vp list --all --all
expect_rc 1
expect_err "error: option --all already seen"

vp list --all=yes
expect_rc 1
expect_err "error: invalid '=' after option --all"

vp list --nope
expect_rc 1
expect_err "error: command 'list' doesn't support option --nope"

vp snapshot-create-as dom --description
expect_rc 1
expect_err "error: expected syntax: --description <string>"

vp dominfo --domain
expect_rc 1
expect_err "error: expected syntax: --domain <string>"

vp snapshot-delete --snapshotname s1
expect_rc 1
expect_err "error: command 'snapshot-delete' requires <domain> option"

# ---- snapshot XML from options (no connection needed with --print-xml) ----
vp snapshot-create-as dom s1 --description 'a <b> & "c" '"'d'" \
    --diskspec 'vda,snapshot=external,file=/tmp/a,,b.qcow2,driver=qcow2' \
    --diskspec vdb,snapshot=no --diskspec=vdc,stype=file --print-xml
expect_rc 0
expect_err ""
expect_out "<domainsnapshot>
  <name>s1</name>
  <description>a &lt;b&gt; &amp; &quot;c&quot; &apos;d&apos;</description>
  <disks>
    <disk name='vda' snapshot='external'>
      <driver type='qcow2'/>
      <source file='/tmp/a,b.qcow2'/>
    </disk>
    <disk name='vdb' snapshot='no'/>
    <disk name='vdc'/>
  </disks>
</domainsnapshot>
"

vp --print-xml snapshot-create-as dom
expect_rc 1
vp snapshot-create-as --print-xml dom -- --odd-name
expect_rc 0
expect_out "<domainsnapshot>
  <name>--odd-name</name>
</domainsnapshot>
"

vp snapshot-create-as dom s1 --diskspec vda --print-xml --json
expect_rc 0
expect_err ""
expect_json "<domainsnapshot>
  <name>s1</name>
  <disks>
    <disk name='vda'/>
  </disks>
</domainsnapshot>
" xml

for bad in ',snapshot=no:does not start with a disk name' \
           'vda,snapshot=maybe:snapshot must be no, internal or external' \
           "vda,color=red:unknown key 'color'" \
           "vda,file:'file' needs a value" \
           "vda,stype=block:unknown key 'stype'"; do
    vp snapshot-create-as dom --diskspec "${bad%%:*}" --print-xml
    expect_rc 1
    expect_out_blank
    expect_err_has "${bad#*:}"
    expect_error_line
done

# ---- nodesuspend arguments are checked before anything is asked ----
vp -c nosuch:///x nodesuspend moon 60
expect_rc 1
expect_err "error: unknown suspend target 'moon'; use mem, disk, hybrid or suspend-then-hibernate"
for d in 6x -5 '' 99999999999999999999999; do
    vp -c nosuch:///x nodesuspend mem -- "$d"
    expect_rc 1
    expect_err_has "error: duration '$d' is not a whole number of seconds"
done
vp nodesuspend mem
expect_rc 1
expect_err "error: command 'nodesuspend' requires <duration> option"

# ---- plugin-check hands over to the kit: its output and exit status ----
cat >"$tmp/kit" <<KIT
#!/bin/sh
printf '%s\n' "\$@" > "$tmp/kit.args"
echo "ok 1 - fake kit ran"
echo "kit stderr" >&2
exit 3
KIT
chmod +x "$tmp/kit"
export VIRTPLUG_PLUGIN_CHECK="$tmp/kit"
vp plugin-check /some/plugin.so --uri test:///default
expect_rc 3
expect_out "ok 1 - fake kit ran"
expect_err "kit stderr"
printf '%s\n' /some/plugin.so --uri test:///default >"$tmp/want"
cmp -s "$tmp/want" "$tmp/kit.args" || fail "the kit got '$(cat "$tmp/kit.args")'"
vp plugin-check /some/plugin.so
expect_rc 3
printf '%s\n' /some/plugin.so >"$tmp/want"
cmp -s "$tmp/want" "$tmp/kit.args" || fail "the kit got '$(cat "$tmp/kit.args")'"
vp --json plugin-check /some/plugin.so
expect_rc 1
expect_err_has "plugin-check prints the kit's TAP report; it has no --json"
export VIRTPLUG_PLUGIN_CHECK="$tmp/no-such-kit"
vp plugin-check /some/plugin.so
expect_rc 1
expect_out_blank
expect_err "error: cannot run '$tmp/no-such-kit': No such file or directory; \
install the kit or set VIRTPLUG_PLUGIN_CHECK"
unset VIRTPLUG_PLUGIN_CHECK

# ---- connection errors: one error line; with --json the envelope ----
vp -c nosuch:///x list
expect_rc 1
expect_out_blank
expect_error_line
expect_err_has "'nosuch'"
vp --json --connect=nosuch:///x list --all
expect_rc 1
expect_json_raw "list
false" command ok
expect_error_line
export VIRTPLUG_DEFAULT_URI=otherscheme:///y
vp uri
expect_rc 1
expect_error_line
expect_err_has "'otherscheme'"
unset VIRTPLUG_DEFAULT_URI

# ---- a failed write of the output is an error, not a silent success ----
if [ -w /dev/full ]; then
    last="vpsh --help >/dev/full"
    set +e
    "$VPSH" --help >/dev/full 2>"$tmp/err"
    rc=$?
    set -e
    expect_rc 1
    expect_err_has "error: cannot write the output"
fi

done_ok
