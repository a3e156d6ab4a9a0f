#!/bin/sh
# The conformance kit itself: it fails a refused plugin with the loader's
# reason, survives and reports a plugin that crashes, catches a driver
# that ignores the list flags, and prints a TAP plan.
set -u
kit="$VP_TOP_BUILDDIR/sdk/conformance/virtplug-plugin-check"
plugins="$VP_TOP_BUILDDIR/tests/framework/plugins/.libs"
status=0
fail() {
    echo "FAIL: $*"
    echo "$out" | sed 's/^/    /'
    status=1
}
expect() { # expect RC PATTERN... -- ARGS...
    want_rc=$1; shift
    pats=
    while [ "$1" != -- ]; do pats="$pats
$1"; shift; done
    shift
    out=$("$kit" "$@" 2>&1); rc=$?
    [ "$rc" -eq "$want_rc" ] || { fail "virtplug-plugin-check $* exited $rc, expected $want_rc"; return; }
    echo "$pats" | while IFS= read -r p; do
        [ -z "$p" ] && continue
        echo "$out" | grep -qE -- "$p" || { echo "missing /$p/"; exit 1; }
    done || fail "virtplug-plugin-check $*: output lacks a pattern"
    echo "ok: virtplug-plugin-check $* (exit $rc)"
}

expect 1 '^not ok 1 - load: ' 'bad descriptor magic' '^1\.\.1$' -- "$plugins/lt-badmagic.so"
expect 1 '^not ok [0-9]+ - load: crashed with signal 6' -- "$plugins/lt-crash.so"
expect 1 '^ok [0-9]+ - empty slots: .*domain-start' \
    '^not ok [0-9]+ - driver: list: 1 active \+ 1 inactive = 1' '^1\.\.[0-9]+$' \
    -- "$plugins/lt-good.so" --uri lt-good:///x
expect 1 '^not ok 1 - load: ' 'does not end in|no such|cannot read|not installed' \
    -- "$plugins/no-such-plugin.so"
expect 2 'give a plugin file' --
expect 0 '^Usage: virtplug-plugin-check' -- --help
exit $status
