#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# bench-remote.sh: remote connections beside their floors, in one run,
# against a private sshd on 127.0.0.1 (tests/helpers/sshd/sshd-lib.sh):
#  - a whole "vpsh -c test+ssh://127.0.0.1:PORT/default list --all" beside
#    "ssh -p PORT 127.0.0.1 true" (the floor: ssh's own connection) and
#    "virsh -c qemu+ssh://root@127.0.0.1:PORT/system list --all" with
#    Debian's libvirtd on the far side (the anchor, started by
#    bench/libvirtd-ctl.sh when it is installed and not running);
#  - the round trip of vp_domain_get_state on an open connection beside
#    the same frame echoed by 'cat' over the same kind of ssh channel, and
#    8 threads sharing the connection beside one, in alternating rounds
#    (bench/bench-remote-echo.c).
# Medians of RUNS runs (default 15) and ROUNDS rounds (default 25), and
# the best round (on a busy machine, the closest to an idle one), and the
# load average the run began and ended with. Prints figures beside their
# floors and targets, asserts nothing.
set -eu
: "${VP_TOP_BUILDDIR:?run through make bench}"
tmp=$(mktemp -d /tmp/vp-bench-remote.XXXXXX)
. "$VP_TOP_SRCDIR/tests/helpers/sshd/sshd-lib.sh"
libvirtd=$(sh "$VP_TOP_SRCDIR/bench/libvirtd-ctl.sh" start) || libvirtd="n/a: $libvirtd"
trap 'sshd_stop; [ "$libvirtd" != started ] || sh "$VP_TOP_SRCDIR/bench/libvirtd-ctl.sh" stop; rm -rf "$tmp"' EXIT
command -v "$SSHD" >/dev/null 2>&1 || { echo "bench-remote: skipped: no $SSHD (openssh-server)"; exit 0; }
export VIRTPLUG_RUNTIME_DIR="$tmp/run"
mkdir -p "$VIRTPLUG_RUNTIME_DIR"
sshd_start "$tmp/sshd"
RUNS=${RUNS:-15}
echo "remote: load average at the start: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) CPUs)"
URI="test+ssh://127.0.0.1:$SSHD_PORT/default?keyfile=$SSHD_KEY&known_hosts=$SSHD_KNOWN_HOSTS&command=$VP_TOP_BUILDDIR/tools/ssh-helper/.libs/virtplug-ssh-helper"
# The libtool wrapper script would add a shell to every run: run the
# binary itself, with the build's library.
export LD_LIBRARY_PATH="$VP_TOP_BUILDDIR/framework/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
sed -i "s|^SetEnv |SetEnv LD_LIBRARY_PATH=$LD_LIBRARY_PATH |" "$tmp/sshd/sshd_config"
kill -HUP "$SSHD_PID"
sleep 0.3

# median_ms CMD...: the median wall time of RUNS runs, in milliseconds.
median_ms() {
    i=0
    : >"$tmp/times"
    while [ $i -lt "$RUNS" ]; do
        t0=$(date +%s%N)
        "$@" >/dev/null 2>&1 || { echo "bench-remote: '$*' failed" >&2; exit 1; }
        t1=$(date +%s%N)
        echo $(((t1 - t0) / 1000)) >>"$tmp/times"
        i=$((i + 1))
    done
    sort -n "$tmp/times" | sed -n "$(((RUNS + 1) / 2))p" | awk '{ printf "%.1f", $1 / 1000 }'
}

floor=$(median_ms ssh -T -x -o BatchMode=yes -o StrictHostKeyChecking=yes -p "$SSHD_PORT" \
    -i "$SSHD_KEY" -o "UserKnownHostsFile=$SSHD_KNOWN_HOSTS" 127.0.0.1 true)
vpsh=$(median_ms "$VP_TOP_BUILDDIR/tools/vpsh/.libs/vpsh" -c "$URI" list --all)
echo "remote: vpsh list --all over ssh, whole process: $vpsh ms (floor: ssh true $floor ms;" \
    "ratio $(echo "$vpsh $floor" | awk '{ printf "%.2f", $1 / $2 }'); target: 1.20 at most)"
case $libvirtd in
running | started)
    # libvirt's ssh transport (plain ssh, virt-ssh-helper on the far
    # side): no_verify because it has no known_hosts parameter.
    virsh=$(median_ms virsh -c "qemu+ssh://root@127.0.0.1:$SSHD_PORT/system?keyfile=$SSHD_KEY&no_verify=1&no_tty=1" \
        list --all)
    echo "remote: virsh list --all over ssh with libvirtd 9.0 on the far side: $virsh ms" \
        "(vpsh is $(echo "$virsh $vpsh" | awk '{ printf "%.2f", $1 / $2 }')x faster; target: faster)"
    ;;
*)
    echo "remote: libvirt anchor not measured: $libvirtd"
    ;;
esac

# The calls and their floor in alternating rounds of one process (the
# machine's load weighs on both alike): the median and the best round.
"$VP_TOP_BUILDDIR/bench/bench-remote-echo" "${ROUNDS:-25}" 400 "$URI" ssh -T -x -o BatchMode=yes \
    -o StrictHostKeyChecking=yes -p "$SSHD_PORT" -i "$SSHD_KEY" \
    -o "UserKnownHostsFile=$SSHD_KNOWN_HOSTS" -- 127.0.0.1 cat >"$tmp/calls"
figure() { sed -n "s/^$1 //p" "$tmp/calls"; }
ratio() { echo "$1 $2" | awk '{ printf "%.2f", $1 / $2 }'; }
for which in median best; do
    p=; [ $which = median ] || p=best_
    echo_us=$(figure ${p}echo_us) call_us=$(figure ${p}call_us)
    one=$(figure ${p}one_calls_s) eight=$(figure ${p}eight_calls_s)
    echo "remote ($which round): vp_domain_get_state round trip on an open connection: $call_us us" \
        "(floor: the same frame echoed by 'cat' over the same ssh channel $echo_us us;" \
        "ratio $(ratio "$call_us" "$echo_us"); target: 1.20 at most)"
    echo "remote ($which round): 8 threads on one connection: $eight calls/s," \
        "$(ratio "$eight" "$one")x one thread's $one calls/s (target: 6x at least)"
done
echo "remote: load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
