#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# The conformance kit itself: it fails a refused plugin with the loader's
# reason, survives and reports a plugin that crashes, catches a driver
# that ignores the list flags or lacks a required slot, runs the opt-in
# lifecycle checks, and prints a TAP plan.
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

expect 1 '^not ok 1 - load: ' 'bad descriptor magic' '^1\.\.[0-9]+$' '^# 1 of [0-9]+ checks failed$' -- "$plugins/lt-badmagic.so"
expect 1 '^not ok [0-9]+ - load: crashed with signal 6' -- "$plugins/lt-crash.so"
expect 1 '^ok [0-9]+ - empty slots: .*domain-start' \
    '^not ok [0-9]+ - driver: list: 1 active \+ 1 inactive = 1' '^1\.\.[0-9]+$' \
    -- "$plugins/lt-good.so" --uri lt-good:///x
# ELF rules only the kit sees (skipped in sanitizer builds, which add constructors).
out=$("$kit" "$plugins/lt-ctor.so" 2>&1)
if echo "$out" | grep -q 'SKIP built with a sanitizer'; then
    expect 1 '^not ok [0-9]+ - elf: exports .lt_ctor_LTX_virtplug_plugin. and nothing else' \
        'lt_ctor_extra_export' '^not ok [0-9]+ - elf: registers no exit handlers' -- "$plugins/lt-ctor.so"
else
    expect 1 '^not ok [0-9]+ - elf: exports .lt_ctor_LTX_virtplug_plugin. and nothing else' \
        'lt_ctor_extra_export' '^not ok [0-9]+ - elf: no ELF constructors' \
        '^not ok [0-9]+ - elf: registers no exit handlers' '__cxa_atexit|atexit' -- "$plugins/lt-ctor.so"
fi
expect 0 '^ok [0-9]+ - elf: no ELF constructors' '^ok [0-9]+ - elf: exports .hello_LTX' \
    -- "$VP_TOP_BUILDDIR/tests/sdk/.libs/hello.so"
expect 1 '^not ok [0-9]+ - driver: timed out after 1 s' '^not ok [0-9]+ - threads: timed out' \
    -- "$plugins/lt-hang.so" --uri lt-hang:///x --timeout 1
# Mistakes a plugin author made following the guide: each one fails the kit.
expect 1 '^not ok 1 - load: ' '^# VP_ERR_PLUGIN_INVALID: .*exports the descriptor itself, not a pointer to it' \
    -- "$plugins/lt-descself.so"
expect 1 '^not ok 1 - load: ' '\.hypervisor_size = [0-9]+, the size of a pointer' -- "$plugins/lt-ptrsize.so"
expect 1 '^not ok 1 - load: ' 'undefined symbol: lt_undef_missing_function' -- "$plugins/lt-undef.so"
expect 1 '^not ok [0-9]+ - load: hypervisor driver fills conn_open, conn_close and conn_list_domains' \
    "empty: 'connect-close', 'connect-list-domains'" -- "$plugins/lt-minimal.so"
# A driver that lists no domains does not pass its per-domain checks unseen.
empty="$(mktemp -d)" || exit 99
expect 0 '^ok [0-9]+ - driver: per-domain checks .* # SKIP it lists no domains' \
    '^# no --lifecycle' -- "$VP_TOP_BUILDDIR/tests/sdk/.libs/hello.so" --uri "hello://$empty"
rmdir "$empty"
# --lifecycle defines, runs and removes a scratch domain.
scratch="$VP_TOP_SRCDIR/tests/data/conf/minimal.xml"
expect 0 "^ok [0-9]+ - lifecycle: define the scratch domain 'm'" \
    "^ok [0-9]+ - lifecycle: after suspend the state is paused \(user\)" \
    "^ok [0-9]+ - lifecycle: starting a running domain fails with VP_ERR_OPERATION_INVALID" \
    "^ok [0-9]+ - lifecycle: undefine 'm'" \
    "^ok [0-9]+ - lifecycle: events: each change raised its event once, in order" \
    -- --uri test:///default --lifecycle "$scratch"
expect 1 "^not ok [0-9]+ - lifecycle: define the scratch domain 'm'" \
    "does not implement 'domain-define-xml'" -- "$plugins/lt-good.so" --uri lt-good:///x --lifecycle "$scratch"
expect 2 '--lifecycle needs --uri' -- "$plugins/lt-good.so" --lifecycle "$scratch"
expect 1 '^not ok 1 - load: ' 'does not end in|no such|cannot read|not installed' \
    -- "$plugins/no-such-plugin.so"
expect 2 'give a plugin file' --
expect 2 "does not name plugin 'hello'" -- "$VP_TOP_BUILDDIR/tests/sdk/.libs/hello.so" --uri test:///default
expect 0 '^Usage: virtplug-plugin-check' -- --help
exit $status
