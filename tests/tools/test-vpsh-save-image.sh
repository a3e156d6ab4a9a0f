#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# test-vpsh-save-image.sh: save-image-dumpxml (--xpath), save-image-define,
# save-image-edit, managedsave-dumpxml, managedsave-define and
# managedsave-edit on test:///default: the XML a
# save image holds, its replacement by one of the same domain and machine,
# the refusal of any other (name, uuid, memory, devices), the state flags a
# define records, the editor round trip, save --xml, and --json.
set -eu
. "$(dirname "$0")/vpsh-lib.sh"
U=test:///default
img=$tmp/t.sav

# The image holds the domain's XML, as dumpxml prints it.
vp -c $U "save test $img; save-image-dumpxml $img"
expect_rc 0
sed -n '/^<domain/,/^<\/domain>/p' "$tmp/out" >"$tmp/saved.xml"
grep -q '<name>test</name>' "$tmp/saved.xml" || fail "save-image-dumpxml printed no domain XML"

# A description may change; the restore runs paused with --paused.
sed 's|</domain>|  <description>edited</description>\n</domain>|' "$tmp/saved.xml" >"$tmp/ok.xml"
vp -c $U "save test $img; save-image-define $img $tmp/ok.xml --paused; save-image-dumpxml $img; restore $img; domstate test"
expect_rc 0
expect_out_has "State file $img updated."
expect_out_has "<description>edited</description>"
tail -2 "$tmp/out" | grep -q '^paused$' || fail "save-image-define --paused did not record the state"

# Another name, another uuid, other memory or another device: refused, and
# the image is unchanged.
cp "$img" "$tmp/before"
for change in 's|<name>test</name>|<name>other</name>|:the name' \
    's|<uuid>.*</uuid>|<uuid>00000000-0000-4000-8000-000000000001</uuid>|:the uuid' \
    's|<memory unit=.KiB.>[0-9]*</memory>|<memory unit="KiB">1048576</memory>|:the memory size'; do
    sed "${change%%:*}" "$tmp/saved.xml" >"$tmp/bad.xml"
    vp -c $U save-image-define "$img" "$tmp/bad.xml"
    expect_rc 1
    expect_err "error: the new XML changes ${change#*:} of domain 'test' as saved; a save image takes only an XML of the same domain with the same machine and devices"
    cmp -s "$img" "$tmp/before" || fail "a refused save-image-define changed the image"
done
vp -c $U save-image-define "$img" "$tmp/ok.xml" --running --paused
expect_rc 1
expect_err "error: Options --running and --paused are mutually exclusive"
printf 'not an image\n' >"$tmp/keep"
vp -c $U save-image-dumpxml "$tmp/keep"
expect_rc 1
expect_err "error: '$tmp/keep' is not a save image of the test driver"

# Managed save: the image's XML, replaced, and none without one.
vp -c $U managedsave-dumpxml test
expect_rc 1
expect_err "error: domain 'test' has no managed save image"
vp -c $U "managedsave test; managedsave-define test $tmp/ok.xml --paused; managedsave-dumpxml test; start test; domstate test"
expect_rc 0
expect_out_has "Managed save state file of domain 'test' updated."
expect_out_has "<description>edited</description>"
tail -2 "$tmp/out" | grep -q '^paused$' || fail "managedsave-define --paused did not record the state"
vp -c $U "managedsave test; managedsave-define test $tmp/bad.xml"
expect_rc 1
expect_err_has "error: the new XML changes the memory size of domain 'test' as saved"

# save --xml: the image holds the given XML (the restore runs it); one
# that changes the machine is refused before the save, so the domain keeps
# running and no image is made; restore --xml is refused by name.
vp -c $U "save test $tmp/x.sav --xml $tmp/ok.xml; save-image-dumpxml $tmp/x.sav; restore $tmp/x.sav; domstate test"
expect_rc 0
expect_out_has "Domain 'test' saved to $tmp/x.sav"
expect_out_has "<description>edited</description>"
tail -2 "$tmp/out" | grep -q '^running$' || fail "the restore of a save --xml image did not run"
vp -c $U "save test $tmp/y.sav --xml $tmp/bad.xml; domstate test"
expect_rc 0
expect_err_has "error: Failed to save domain 'test' to $tmp/y.sav"
expect_err_has "error: the new XML changes the memory size of domain 'test' as saved"
expect_out_has "running"
[ ! -e "$tmp/y.sav" ] || fail "a refused save --xml left an image"
vp -c $U save test "$tmp/y.sav" --xml "$tmp/missing.xml"
expect_rc 1
expect_err_has "missing.xml"
[ ! -e "$tmp/y.sav" ] || fail "save --xml of a missing file left an image"
vp -c $U restore "$tmp/x.sav" --xml "$tmp/ok.xml"
expect_rc 1
expect_err_has "not supported yet"
vp -c $U managedsave test --xml "$tmp/ok.xml"
expect_rc 1

# --json
vp -c $U --json "managedsave test; managedsave-define test $tmp/ok.xml"
expect_rc 0
expect_out_has '"result": "updated"'
vp -c $U --json save-image-dumpxml "$img"
expect_rc 0
expect_out_has '"file": "'"$img"'"'
expect_out_has '"xml": "<domain'
# save-image-edit and managedsave-edit: the editor gets the image's XML
# (with its secrets); unchanged, nothing is written, not even --paused; an
# edit is defined with the state flag; a refused edit is kept in its
# temporary file, named in the error, and the image is unchanged.
printf '#!/bin/sh\nsed -i "s|</domain>|<description>by-editor</description></domain>|" "$1"\n' \
    >"$tmp/describe"
printf '#!/bin/sh\nsed -i "s|<name>test</name>|<name>other</name>|" "$1"\n' >"$tmp/rename"
chmod +x "$tmp/describe" "$tmp/rename"
EDITOR=true vp -c $U "save test $img; save-image-edit $img --paused; restore $img; domstate test"
expect_rc 0
expect_out_has "Saved image $img XML configuration not changed."
tail -2 "$tmp/out" | grep -q '^running$' || fail "an unchanged save-image-edit recorded --paused"
VISUAL="$tmp/describe" EDITOR=false vp -c $U "save test $img; save-image-edit $img --paused; save-image-dumpxml $img; restore $img; domstate test"
expect_rc 0
expect_out_has "State file $img edited."
expect_out_has "<description>by-editor</description>"
tail -2 "$tmp/out" | grep -q '^paused$' || fail "save-image-edit --paused did not record the state"
cp "$img" "$tmp/before"
mkdir "$tmp/edits"
TMPDIR="$tmp/edits" EDITOR="$tmp/rename" vp -c $U save-image-edit "$img"
expect_rc 1
expect_err_has "error: the new XML changes the name of domain 'test' as saved"
expect_err_has "; the edited XML is kept in '$tmp/edits/vpsh"
grep -q '<name>other</name>' "$tmp"/edits/vpsh*.xml || fail "the refused edit was not kept"
cmp -s "$img" "$tmp/before" || fail "a refused save-image-edit changed the image"
vp -c $U save-image-edit "$img" --running --paused
expect_rc 1
expect_err "error: Options --running and --paused are mutually exclusive"
EDITOR="$tmp/describe" vp -c $U "managedsave test; managedsave-edit test --paused; managedsave-dumpxml test --xpath //description; start test; domstate test"
expect_rc 0
expect_out_has "Managed save image of Domain 'test' XML configuration edited."
expect_out_has "<description>by-editor</description>"
tail -2 "$tmp/out" | grep -q '^paused$' || fail "managedsave-edit --paused did not record the state"
EDITOR=true vp -c $U --json "managedsave test; managedsave-edit test"
expect_rc 0
expect_out_has '"result": "not changed"'
vp -c $U managedsave-edit test
expect_rc 1
expect_err "error: domain 'test' has no managed save image"

# --xpath under --json, and its errors.
vp -c $U --json "save test $img; save-image-dumpxml $img --xpath /domain/name"
expect_rc 0
expect_out_has '"xpath": "/domain/name"'
expect_out_has '"<name>test</name>"'
vp -c $U "save test $img; save-image-dumpxml $img --xpath //["
expect_rc 1
expect_err "error: invalid XPath expression '//['"
vp -c $U "save test $img; save-image-dumpxml $img --xpath count(//name)"
expect_rc 1
expect_err "error: XPath expression 'count(//name)' gives a value, not nodes; select elements, attributes or text"
echo "PASS: $checks checks"
