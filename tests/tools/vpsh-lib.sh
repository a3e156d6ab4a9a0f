# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# vpsh-lib.sh: what the vpsh shell tests share; sourced, never run.
#
# Each test gets its own temporary directory (also its VIRTPLUG_RUNTIME_DIR),
# runs the built vpsh as a child process with "vp ARGS...", and checks the
# exit status, stdout and stderr exactly. json-query validates every JSON
# document and reads values out of it. Any failed check ends the test.
set -eu

: "${VP_TOP_BUILDDIR:?run the vpsh tests through make check}"
# VP_VPSH: the program itself, as make check names it (libtool's wrapper
# script costs 50 ms a run).
VPSH="${VP_VPSH:-$VP_TOP_BUILDDIR/tools/vpsh/vpsh}"
JSON_QUERY="$VP_TOP_BUILDDIR/tests/tools/json-query"
tmp=$(mktemp -d /tmp/vpsh-test.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
export VIRTPLUG_RUNTIME_DIR="$tmp/run"
mkdir -p "$VIRTPLUG_RUNTIME_DIR"
unset VIRTPLUG_DEFAULT_URI VIRTPLUG_PLUGIN_CHECK VIRTPLUG_DEBUG
checks=0

fail() {
    echo "FAIL: $*" >&2
    echo "--- stdout of '$last':" >&2
    cat "$tmp/out" >&2 2>/dev/null || true
    echo "--- stderr:" >&2
    cat "$tmp/err" >&2 2>/dev/null || true
    exit 1
}

# vp ARGS...: run vpsh; keeps its stdout, stderr and exit status ($rc).
vp() {
    last="vpsh $*"
    set +e
    "$VPSH" "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    set -e
}

# vp_within SECONDS ARGS...: vp, but a vpsh still running after SECONDS
# is killed (exit status 124), so a hang fails the test instead of
# stalling it.
vp_within() {
    limit=$1
    shift
    last="vpsh $*"
    set +e
    timeout "$limit" "$VPSH" "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    set -e
}

expect_rc() {
    checks=$((checks + 1))
    [ "$rc" -eq "$1" ] || fail "'$last' exited with $rc, expected $1"
}

# expect_out TEXT: stdout is exactly TEXT plus a newline ("" for nothing).
expect_out() {
    checks=$((checks + 1))
    if [ -z "$1" ]; then
        [ ! -s "$tmp/out" ] || fail "'$last' printed on stdout, expected nothing"
        return 0
    fi
    printf '%s\n' "$1" >"$tmp/want"
    diff -u "$tmp/want" "$tmp/out" >&2 || fail "stdout of '$last' differs (diff above)"
}

# expect_err TEXT: stderr is exactly TEXT plus a newline ("" for nothing).
expect_err() {
    checks=$((checks + 1))
    if [ -z "$1" ]; then
        [ ! -s "$tmp/err" ] || fail "'$last' printed on stderr, expected nothing"
        return 0
    fi
    printf '%s\n' "$1" >"$tmp/want"
    diff -u "$tmp/want" "$tmp/err" >&2 || fail "stderr of '$last' differs (diff above)"
}

# expect_out_blank: stdout is the one blank line virsh prints after a
# command that ran and failed.
expect_out_blank() {
    checks=$((checks + 1))
    [ "$(od -An -c "$tmp/out" | tr -d ' ')" = '\n' ] ||
        fail "stdout of '$last' is not one blank line"
}

expect_out_has() {
    checks=$((checks + 1))
    grep -qF -- "$1" "$tmp/out" || fail "stdout of '$last' lacks '$1'"
}

expect_err_has() {
    checks=$((checks + 1))
    grep -qF -- "$1" "$tmp/err" || fail "stderr of '$last' lacks '$1'"
}

# expect_error_line: stderr is exactly one "error: ..." line.
expect_error_line() {
    checks=$((checks + 1))
    [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -q '^error: .' "$tmp/err" ||
        fail "stderr of '$last' is not one 'error: <message>' line"
}

# expect_json_raw TEXT PATH...: stdout is one valid JSON document and the
# values at PATH... are, one per line, TEXT.
expect_json_raw() {
    checks=$((checks + 1))
    want=$1
    shift
    "$JSON_QUERY" "$@" <"$tmp/out" >"$tmp/jq" || fail "stdout of '$last' is not one JSON document"
    printf '%s\n' "$want" >"$tmp/want"
    diff -u "$tmp/want" "$tmp/jq" >&2 || fail "JSON of '$last' differs at $* (diff above)"
}

# result_path PATH: where a verb's own member PATH sits in vpsh's envelope
# ({command, ok, result}, or an array of them: "N.x" is "N.result.x").
result_path() {
    case $1 in
    '#') echo '#' ;;
    [0-9]*.*) echo "${1%%.*}.result.${1#*.}" ;;
    *) echo "result.$1" ;;
    esac
}

# expect_json TEXT PATH...: expect_json_raw on the verbs' results: PATH is
# a member of the result (or "N.member" of the Nth command's result).
expect_json() {
    want=$1
    shift
    paths=""
    for p in "$@"; do
        paths="$paths $(result_path "$p")"
    done
    # shellcheck disable=SC2086
    expect_json_raw "$want" $paths
}

# json_result PATH: the value at a result's PATH, for tests that compute.
json_result() {
    "$JSON_QUERY" "$(result_path "$1")" <"$tmp/out"
}

done_ok() {
    echo "PASS: $checks checks"
    exit 0
}
