# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# The fake OpenBSD apm(8), zzz(8) and ZZZ(8), sourced by the three scripts
# of those names (one program on OpenBSD, where the name selects the
# behaviour). apmd runs unless the file
# $VP_FAKE_BSD_STATE/apmd.down exists. Like the original, zzz and ZZZ fail
# without apmd, while "apm -z" then exits 0 without doing anything.
# See ../fake-lib.sh.
. "$(dirname "$0")/../fake-lib.sh"
action=none
for arg in "$@"; do
    case $arg in
    -z) action=suspend ;;
    -Z) action=hibernate ;;
    -S) action=standby ;;
    *)
        echo "usage: $fake_name [-SZz] [-f sockname] (fake)" >&2
        exit 1
        ;;
    esac
done
apmd=up
[ -f "$fake_state/apmd.down" ] && apmd=down
case $fake_name in
zzz | ZZZ)
    [ "$fake_name" = ZZZ ] && action=hibernate
    [ "$action" = none ] && action=suspend
    if [ $apmd = down ]; then
        echo "$fake_name: cannot connect to apmd: No such file or directory" >&2
        exit 1
    fi
    case $action in
    suspend) echo "Suspending system..." ;;
    hibernate) echo "Hibernating system..." ;;
    standby) echo "System standing by..." ;;
    esac
    exit 0
    ;;
esac
[ $apmd = down ] && exit 0
[ "$action" != none ] && echo "System will enter $action mode momentarily."
exit 0
