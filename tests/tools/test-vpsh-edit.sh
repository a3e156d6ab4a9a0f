#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# test-vpsh-edit.sh: "vpsh edit" with editors that are scripts: unchanged
# (nothing defined, the temporary file removed), edited (defined, the
# change visible to the next command of the chain), $VISUAL before
# $EDITOR, an editor with arguments, a definition the driver refuses (the
# edit kept, its path in the one error line, --json too), a failing
# editor (the XML kept), -r refusing it, and on a terminal the offer to
# edit again (python3's pty; that part is skipped without python3).
set -eu
. "$(dirname "$0")/vpsh-lib.sh"
U=test:///default
export TMPDIR="$tmp/tmp dir"
mkdir -p "$TMPDIR"

# editor NAME SED-SCRIPT: a script that edits its argument in place.
editor() {
    printf '#!/bin/sh\nsed -i "%s" "$1"\n' "$2" >"$tmp/$1"
    chmod +x "$tmp/$1"
}
editor describe 's|</uuid>|</uuid><description>edited by vpsh edit</description>|'
editor break 's|<memory|<memoryx|'
editor rename 's|<name>test</name>|<name>test2</name>|;/<uuid>/d'
printf '#!/bin/sh\nexit 3\n' >"$tmp/fails"
chmod +x "$tmp/fails"
unset VISUAL

temp_files() {
    ls "$TMPDIR" | wc -l
}

EDITOR=true vp -c $U edit test
expect_rc 0
expect_out "Domain 'test' XML configuration not changed.
"
[ "$(temp_files)" -eq 0 ] || fail "the unchanged temporary file was left in $TMPDIR"

EDITOR="$tmp/describe" vp -c $U 'edit test; dumpxml test --inactive'
expect_rc 0
expect_out_has "Domain 'test' XML configuration edited."
expect_out_has "<description>edited by vpsh edit</description>"
[ "$(temp_files)" -eq 0 ] || fail "the defined temporary file was left in $TMPDIR"

# $VISUAL wins over $EDITOR, and an editor string is a shell command line.
VISUAL="sh $tmp/describe" EDITOR=false vp -c $U 'edit test; dumpxml test --inactive'
expect_rc 0
expect_out_has "<description>edited by vpsh edit</description>"

# A new name (and no uuid) defines a new domain, as virsh does; the old
# one stays.
EDITOR="$tmp/rename" vp -c $U 'edit test; list --all --name'
expect_rc 0
expect_out "Domain 'test2' XML configuration edited.

test
test2
"

EDITOR="$tmp/break" vp -c $U edit test </dev/null
expect_rc 1
expect_out_blank
expect_error_line
expect_err_has "malformed XML"
expect_err_has "the edited XML is kept in '$TMPDIR/vpsh"
kept=$(sed -n "s/.*kept in '\(.*\)'\$/\1/p" "$tmp/err")
grep -q '<memoryx' "$kept" || fail "the kept file '$kept' lacks the edit"
rm -f "$kept"

EDITOR="$tmp/break" vp --json -c $U edit test </dev/null
expect_rc 1
expect_json_raw "false
VP_ERR_XML" ok error.code
rm -f "$TMPDIR"/vpsh*

EDITOR="$tmp/fails" vp -c $U edit test
expect_rc 1
expect_error_line
expect_err_has "the editor '$tmp/fails' exited with status 3; the XML is kept in '$TMPDIR/vpsh"
rm -f "$TMPDIR"/vpsh*

EDITOR=true vp -r -c $U edit test
expect_rc 1
expect_error_line

EDITOR=true vp -c $U edit nosuch
expect_rc 1
expect_err "error: failed to get domain 'nosuch'"

# On a terminal a refused definition is offered for another edit: the
# second run of the editor repairs the file, and the definition goes in.
if command -v python3 >/dev/null 2>&1; then
    cat >"$tmp/twice" <<EOS
#!/bin/sh
if [ -e "$tmp/first-done" ]; then
    sed -i 's|<memoryx|<memory|' "\$1"
    sed -i 's|</uuid>|</uuid><description>second try</description>|' "\$1"
else
    touch "$tmp/first-done"
    sed -i 's|<memory|<memoryx|' "\$1"
fi
EOS
    chmod +x "$tmp/twice"
    cat >"$tmp/drive.py" <<'PY'
import os, pty, select, sys, time
vpsh = sys.argv[1]
pid, fd = pty.fork()
if pid == 0:
    os.execv(vpsh, [vpsh, "-c", "test:///default", "edit test; dumpxml test --inactive"])
out = b""
def read_until(token):
    global out
    end = time.time() + 20
    while token not in out:
        if time.time() > end:
            sys.stderr.write("timed out waiting for %r; got %r\n" % (token, out))
            sys.exit(1)
        r, _, _ = select.select([fd], [], [], 0.2)
        if r:
            try:
                out += os.read(fd, 4096)
            except OSError:
                break
read_until(b"Failed. Try again? [y,n]: ")
os.write(fd, b"y\n")
read_until(b"</domain>")
os.waitpid(pid, 0)
sys.stdout.write(out.decode())
PY
    last="edit on a terminal"
    EDITOR="$tmp/twice" python3 "$tmp/drive.py" "$VPSH" >"$tmp/out" 2>"$tmp/err" ||
        fail "the pty driver failed"
    expect_out_has "malformed XML"
    expect_out_has "Domain 'test' XML configuration edited."
    expect_out_has "<description>second try</description>"
fi

done_ok
