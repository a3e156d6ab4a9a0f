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

# expect_nothing_left PATTERN: within 3 s no process's command line holds
# PATTERN (a helper, ssh or sshd session of the test that should be gone).
expect_nothing_left() {
    checks=$((checks + 1))
    i=0
    while ps -eo args= | grep -F -- "$1" | grep -v -e grep -e "sshd -D" >"$tmp/left"; do
        i=$((i + 1))
        [ $i -lt 30 ] || fail "still running after '$last': $(cat "$tmp/left")"
        sleep 0.1
    done
}
