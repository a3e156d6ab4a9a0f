#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# test-vpsh-cli.sh: vpsh's command line without a driver: global options,
# help for every verb, usage errors and their exit status 2, verb option
# parsing, snapshot XML built from --diskspec, nodesuspend argument checks,
# plugin-check handing over to the kit, connection errors, write errors.
set -eu
. "$(dirname "$0")/vpsh-lib.sh"

verbs="list dominfo domstate define undefine start shutdown destroy suspend resume dumpxml
       snapshot-create-as snapshot-list snapshot-dumpxml snapshot-delete
       nodesuspend nodesuspend-status nodesuspend-cancel nodesuspend-capabilities capabilities
       plugin-list plugin-check uri version help"

# ---- global options ----
vp
expect_rc 2
expect_out ""
expect_err "error: no command given
usage: vpsh [-c URI] [--json] COMMAND [ARGS]; run 'vpsh help' for the commands"

vp --help
expect_rc 0
expect_err ""
expect_out_has "usage: vpsh [-c URI] [--json] COMMAND [ARGS]"
for v in $verbs; do
    grep -q "^  $v  " "$tmp/out" || fail "vpsh --help does not list '$v'"
done
cp "$tmp/out" "$tmp/help-global"
vp help
expect_rc 0
cmp -s "$tmp/out" "$tmp/help-global" || fail "'vpsh help' differs from 'vpsh --help'"

vp --version
expect_rc 0
expect_err ""
grep -Eqx '[0-9]+\.[0-9]+\.[0-9]+' "$tmp/out" || fail "--version printed '$(cat "$tmp/out")'"

vp nosuchverb
expect_rc 2
expect_out ""
expect_err "error: unknown command 'nosuchverb'
usage: vpsh [-c URI] [--json] COMMAND [ARGS]; run 'vpsh help' for the commands"

vp --bogus list
expect_rc 2
expect_err_has "error: unknown option '--bogus'"

vp -c
expect_rc 2
expect_err_has "error: option '-c' needs a URI"

vp help \;
expect_rc 2
expect_err_has "error: empty command before or after ';'"

# ---- per-verb help: "VERB --help" and "help VERB" agree, start with the usage ----
for v in $verbs; do
    vp "$v" --help
    expect_rc 0
    expect_err ""
    head -n 1 "$tmp/out" | grep -q "^usage: vpsh $v\( \|\$\)" ||
        fail "'$v --help' has no usage line"
    cp "$tmp/out" "$tmp/help-verb"
    vp help "$v"
    expect_rc 0
    cmp -s "$tmp/out" "$tmp/help-verb" || fail "'help $v' differs from '$v --help'"
done
vp list --help
expect_out "usage: vpsh list [--all] [--inactive]

  list running domains (or --all, or --inactive)

Options:
  --all                list every domain, running or not
  --inactive           list only domains that are shut off"

vp help nosuchverb
expect_rc 2
expect_err_has "error: unknown command 'nosuchverb'"

# ---- verb arguments ----
vp dominfo
expect_rc 2
expect_out ""
expect_err "error: command 'dominfo' needs DOMAIN
usage: vpsh dominfo DOMAIN"

vp dominfo a b
expect_rc 2
expect_err "error: unexpected argument 'b' for command 'dominfo'
usage: vpsh dominfo DOMAIN"

vp list --all --all
expect_rc 2
expect_err "error: option '--all' was given more than once
usage: vpsh list [--all] [--inactive]"

vp list --all=yes
expect_rc 2
expect_err_has "error: option '--all' takes no value"

vp list --nope
expect_rc 2
expect_err_has "error: command 'list' has no option '--nope'"

vp snapshot-create-as dom --description
expect_rc 2
expect_err "error: option '--description' needs a value TEXT
usage: vpsh snapshot-create-as DOMAIN [NAME] [--description TEXT] [--disk-only] [--quiesce] \
[--diskspec SPEC]... [--print-xml]"

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
</domainsnapshot>"

vp --print-xml snapshot-create-as dom
expect_rc 2
vp snapshot-create-as --print-xml dom -- --odd-name
expect_rc 0
expect_out "<domainsnapshot>
  <name>--odd-name</name>
</domainsnapshot>"

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
    expect_rc 2
    expect_out ""
    expect_err_has "${bad#*:}"
    expect_err_has "usage: vpsh snapshot-create-as"
done

# ---- nodesuspend arguments are checked before anything is asked ----
vp -c nosuch:///x nodesuspend moon 60
expect_rc 2
expect_err "error: unknown suspend target 'moon'; use mem, disk or hybrid
usage: vpsh nodesuspend TARGET DURATION [--no-wakeup]"
for d in 6x -5 '' 99999999999999999999999; do
    vp -c nosuch:///x nodesuspend mem "$d"
    expect_rc 2
    expect_err_has "error: duration '$d' is not a whole number of seconds"
done
vp nodesuspend mem
expect_rc 2
expect_err_has "error: command 'nodesuspend' needs TARGET DURATION"

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
expect_rc 2
expect_err_has "plugin-check prints the kit's TAP report; it has no --json"
export VIRTPLUG_PLUGIN_CHECK="$tmp/no-such-kit"
vp plugin-check /some/plugin.so
expect_rc 1
expect_out ""
expect_err "error: cannot run '$tmp/no-such-kit': No such file or directory; \
install the kit or set VIRTPLUG_PLUGIN_CHECK"
unset VIRTPLUG_PLUGIN_CHECK

# ---- connection errors: one error line, nothing on stdout, even with --json ----
vp -c nosuch:///x list
expect_rc 1
expect_out ""
expect_error_line
expect_err_has "'nosuch'"
vp --json --connect=nosuch:///x list --all
expect_rc 1
expect_out ""
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
