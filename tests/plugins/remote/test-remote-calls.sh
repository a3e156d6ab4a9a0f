#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# test-remote-calls.sh: the slots of remote protocol 5 through the test
# sshd: statistics over ssh equal the far side's and far errors keep their
# code and name the host (test driver); vp_conn_cancel_jobs() from one
# thread ends a call of another thread that waits on a guest's agent in the
# far helper (QEMU, a firmware-only PC with an agent channel nobody
# answers), whose VNC display domdisplay gives as locally; a console over
# ssh brings the far guest's serial output (the tiny guest's kernel) and
# ends with it; the verbs print what they print locally.
. "$VP_TOP_SRCDIR/tests/plugins/remote/remote-lib.sh"

CALLS="$VP_TOP_BUILDDIR/tests/plugins/remote/remote-calls"
URI=$(remote_uri test /default)

last="remote-calls stats"
checks=$((checks + 1))
"$CALLS" stats "$URI" test:///default >"$tmp/out" 2>"$tmp/err" || fail "the statistics differ"

last="remote-calls idle"
checks=$((checks + 1))
"$CALLS" idle "$(remote_uri test /default timeout=4)" >"$tmp/out" 2>"$tmp/err" ||
    fail "an idle connection failed its next call"

# The verbs, over ssh and here (each connection is a fresh test host);
# CPU times are each process's own.
mask_times() {
    sed -e 's/\(time\|cpu\.user\|cpu\.system\)=[0-9]*/\1=T/' "$1"
}
for verb in "nodememstats" "nodememstats --cell 1" "nodecpustats" "nodecpustats --cpu 3" \
    "nodememstats --json" "nodecpustats --json" "sysinfo" "domstats --state" \
    "domstats --balloon --vcpu --interface --block test" "destroy test; domstats" \
    "nodememstats --cell 9" "nodecpustats --cpu 99" "capabilities" "vcpuinfo test" \
    "domblkinfo test --all" "domblkerror test"; do
    vp -c test:///default "$verb"
    local_rc=$rc
    sed 's/^error: /error: on host '"'127.0.0.1'"': /' "$tmp/err" >"$tmp/local.err"
    mask_times "$tmp/out" >"$tmp/local.out"
    vp -c "$URI" "$verb"
    checks=$((checks + 1))
    [ "$rc" -eq "$local_rc" ] || fail "'$last' exited with $rc, on test:///default with $local_rc"
    mask_times "$tmp/out" >"$tmp/remote.out"
    diff -u "$tmp/local.out" "$tmp/remote.out" >&2 || fail "stdout of '$last' differs from test:///default"
    diff -u "$tmp/local.err" "$tmp/err" >&2 || fail "stderr of '$last' differs from test:///default"
done

# No console on the test driver: the far core's refusal, with the host.
vp -c "$URI" console test
expect_rc 1
expect_err "error: on host '127.0.0.1': driver 'test' does not implement 'domain-open-console'"
vp -c "$URI" domdisplay test
expect_rc 1
expect_err "error: on host '127.0.0.1': driver 'test' does not implement 'domain-get-display-uri'"
expect_nothing_left

# Cancel over ssh: a QEMU guest whose agent never answers.
if [ -x "${QEMU_SYSTEM:-/usr/bin/qemu-system-x86_64}" ] && [ -f "$VIRTPLUG_PLUGIN_DIR/qemu.so" ]; then
    root="$tmp/qemu"
    mkdir -p "$root"
    QURI=$(remote_uri qemu /embed "root=$root&agent_timeout_ms=120000")
    cat >"$tmp/bare.xml" <<XML
<domain type='qemu'><name>bare</name><memory unit='MiB'>32</memory><vcpu>1</vcpu>
<os><type arch='x86_64' machine='pc'>hvm</type></os><devices>
<channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>
<graphics type='vnc' autoport='yes'><listen type='address'/></graphics>
</devices></domain>
XML
    vp -c "$QURI" "define $tmp/bare.xml; start bare"
    expect_rc 0
    # The display's address as the far driver gives it.
    vp -c "qemu:///embed?root=$root" domdisplay bare
    expect_rc 0
    cp "$tmp/out" "$tmp/local.out"
    grep -q '^vnc://' "$tmp/local.out" || fail "no VNC display: $(cat "$tmp/out")"
    vp -c "$QURI" domdisplay bare
    expect_rc 0
    checks=$((checks + 1))
    diff -u "$tmp/local.out" "$tmp/out" >&2 || fail "domdisplay over ssh differs"
    last="remote-calls cancel"
    checks=$((checks + 1))
    "$CALLS" cancel "$QURI" bare >"$tmp/out" 2>"$tmp/err" || fail "the wait was not cancelled"
    vp -c "$QURI" "destroy bare; undefine bare"
    expect_rc 0

    # A console over ssh: the tiny guest's kernel (no initramfs: it panics
    # and, with panic=-1, boots again, printing on its serial port each
    # time) seen through the far helper's stream.
    if sh "$VP_TOP_SRCDIR/tests/helpers/guest/build-guest.sh" "$VP_TOP_BUILDDIR/tests/guest" \
        >"$tmp/guest.log" 2>&1; then
        cat >"$tmp/serial1.xml" <<XML
<domain type='qemu'><name>serial1</name><memory unit='MiB'>128</memory><vcpu>1</vcpu>
<os><type arch='x86_64' machine='pc'>hvm</type>
<kernel>$VP_TOP_BUILDDIR/tests/guest/vmlinuz</kernel>
<cmdline>console=ttyS0 panic=-1</cmdline></os><devices>
<serial type='pty'><target port='0'/></serial>
<console type='pty'><target type='serial' port='0'/></console>
</devices></domain>
XML
        vp -c "$QURI" "define $tmp/serial1.xml; start serial1"
        expect_rc 0
        # vpsh console over ssh on a terminal: the guest's lines after a
        # reset made by another vpsh, and ^] leaves with status 0.
        last="vpsh -c URI console serial1 (on a pty)"
        checks=$((checks + 1))
        python3 "$VP_TOP_SRCDIR/tests/plugins/remote/remote-pty.py" --timeout 120 \
            "expect=Connected to domain 'serial1'" 'expect=Escape character is ^]' \
            "run=\"$VPSH\" -c \"$QURI\" reset serial1 >/dev/null" 'expect=Linux version' \
            'send=\x1d' 'exit=0' -- "$VPSH" -c "$QURI" console serial1 >"$tmp/out" 2>"$tmp/err" ||
            fail "vpsh console over ssh failed: $(cat "$tmp/err")"
        last="remote-calls console"
        checks=$((checks + 1))
        "$CALLS" console "$QURI" serial1 "Linux version" >"$tmp/out" 2>"$tmp/err" ||
            fail "the console over ssh failed"
        vp -c "$QURI" "undefine serial1"
        expect_rc 0
    else
        echo "no tiny guest ($(tail -n 1 "$tmp/guest.log")): the console over ssh is not tested" >&2
    fi
else
    echo "no QEMU or qemu plugin: the cancel over ssh is not tested" >&2
fi

expect_nothing_left
sshd_sanitizer_check
echo "PASS: $checks checks"
