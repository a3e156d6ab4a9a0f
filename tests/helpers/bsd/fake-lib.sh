# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# Shared by the fake BSD commands (sourced, not run). Each fake records its
# argv as one line "NAME ARG..." in $VP_FAKE_BSD_STATE/calls, then either
# obeys an override (NAME.exit, with NAME.stdout and NAME.stderr printed
# first) or imitates its BSD original, reading sysctl values from
# $VP_FAKE_BSD_STATE/sysctl/NAME files. Nothing here touches the real host.

fake_state=${VP_FAKE_BSD_STATE:?set VP_FAKE_BSD_STATE to the fake commands state directory}
fake_name=$(basename "$0")

# One write per call, so the record of each call stays on one line.
fake_record() {
    fake_line=$fake_name
    for fake_arg in "$@"; do
        fake_line="$fake_line $fake_arg"
    done
    printf '%s\n' "$fake_line" >>"$fake_state/calls"
}

fake_override() {
    if [ -f "$fake_state/$fake_name.exit" ]; then
        [ -f "$fake_state/$fake_name.stdout" ] && cat "$fake_state/$fake_name.stdout"
        [ -f "$fake_state/$fake_name.stderr" ] && cat "$fake_state/$fake_name.stderr" >&2
        exit "$(cat "$fake_state/$fake_name.exit")"
    fi
}

# fake_sysctl_value NAME: print the value and succeed, or fail.
fake_sysctl_value() {
    [ -f "$fake_state/sysctl/$1" ] && cat "$fake_state/sysctl/$1"
}

fake_record "$@"
fake_override
