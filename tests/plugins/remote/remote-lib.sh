# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# remote-lib.sh: what the remote tests share; sourced, never run. A private
# sshd on 127.0.0.1 (tests/helpers/sshd/sshd-lib.sh) serves this build's
# virtplug-ssh-helper, named by ?command=, with a host key and a user key
# made for the run; REMOTE_URI PATH [PARAMS] prints a test+ssh URI to it.
. "$VP_TOP_SRCDIR/tests/tools/vpsh-lib.sh"
. "$VP_TOP_SRCDIR/tests/helpers/sshd/sshd-lib.sh"

sshd_skip_unless_available
trap 'sshd_stop; rm -rf "$tmp"' EXIT
HELPER="$VP_TOP_BUILDDIR/tools/ssh-helper/virtplug-ssh-helper"
[ -x "$HELPER" ] || { echo "SKIP: virtplug-ssh-helper was not built (configure --with-remote)"; exit 77; }
sshd_start "$tmp/sshd"

# remote_uri DRIVER PATH [EXTRA-PARAMS]: DRIVER+ssh://127.0.0.1:PORT/PATH
# with the run's key, known_hosts and helper.
remote_uri() {
    printf '%s+ssh://127.0.0.1:%s%s?keyfile=%s&known_hosts=%s&command=%s%s\n' "$1" "$SSHD_PORT" \
        "$2" "$SSHD_KEY" "$SSHD_KNOWN_HOSTS" "${REMOTE_COMMAND:-$HELPER}" "${3:+&$3}"
}

# left_running PATTERN: print the command line of every process (but this
# shell and the sshd listener) whose command line or environment holds
# PATTERN; the far side's processes carry this run's sshd directory in
# their environment (SetEnv), so tests running at once never see each
# other's. No grep: its own command line would hold PATTERN.
left_running() {
    for p in /proc/[0-9]*; do
        pid=${p#/proc/}
        [ "$pid" != $$ ] && [ "$pid" != "$SSHD_PID" ] || continue
        args=$({ tr '\0' ' ' <"$p/cmdline"; } 2>/dev/null) || continue
        env=$({ tr '\0' ' ' <"$p/environ"; } 2>/dev/null) || env=
        case "$args $env" in
        *"$1"*) echo "$pid: $args" ;;
        esac
    done
}

# expect_nothing_left [PATTERN]: within 3 s no process of this run is left
# (an ssh, a helper, an sshd session); PATTERN defaults to this run's sshd
# directory, which every one of them names.
expect_nothing_left() {
    checks=$((checks + 1))
    i=0
    while left_running "${1:-$SSHD_DIR/}" >"$tmp/left" && [ -s "$tmp/left" ]; do
        i=$((i + 1))
        [ $i -lt 30 ] || fail "still running after '$last': $(cat "$tmp/left")"
        sleep 0.1
    done
}
