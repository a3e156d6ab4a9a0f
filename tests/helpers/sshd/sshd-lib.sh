# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# sshd-lib.sh: a private OpenSSH server on 127.0.0.1 for the remote tests;
# sourced, never run.
#
# sshd_start DIR starts /usr/sbin/sshd with its own sshd_config, host key
# and authorized key, all generated in DIR for this run, on a free port of
# the loopback interface, and sets SSHD_PORT, SSHD_KEY (the user's private
# key) and SSHD_KNOWN_HOSTS (a known_hosts file that holds the host key).
# The system's sshd and its configuration are never used. The far side's
# environment points at this build tree through SetEnv, so the helper
# loads this build's plugins; in a sanitizer build, what the far side's
# sanitizers report lands in DIR/sanitizer.* (sshd_sanitizer_check).
# sshd_stop ends it (the tests call it from
# their EXIT trap).
SSHD=${SSHD:-/usr/sbin/sshd}
SSHD_PID=

sshd_skip_unless_available() {
    for p in "$SSHD" ssh ssh-keygen; do
        command -v "$p" >/dev/null 2>&1 || {
            echo "SKIP: '$p' not found; install the packages 'openssh-server' and 'openssh-client'"
            exit 77
        }
    done
}

# A port number from 20000 to 59999 (the kernel tells when it is taken).
sshd_random_port() {
    n=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
    echo $((20000 + n % 40000))
}

sshd_start() {
    dir=$1
    SSHD_DIR=$dir
    mkdir -p "$dir"
    chmod 700 "$dir"
    ssh-keygen -q -t ed25519 -N '' -C virtplug-test-host -f "$dir/host_key"
    ssh-keygen -q -t ed25519 -N '' -C virtplug-test-user -f "$dir/user_key"
    cp "$dir/user_key.pub" "$dir/authorized_keys"
    # The far side's runtime directory (lock files, the node-suspend
    # record) is not this side's: a test can tell whose record it reads.
    mkdir -p "$dir/far-run"
    # sshd run by root wants its privilege-separation directory.
    if [ "$(id -u)" -eq 0 ] && [ ! -d /run/sshd ]; then
        mkdir -p /run/sshd
        chmod 755 /run/sshd
    fi
    for _try in 1 2 3 4 5 6 7 8 9 10; do
        SSHD_PORT=$(sshd_random_port)
        cat >"$dir/sshd_config" <<CONF
Port $SSHD_PORT
ListenAddress 127.0.0.1
HostKey $dir/host_key
PidFile $dir/sshd.pid
AuthorizedKeysFile $dir/authorized_keys
StrictModes no
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
X11Forwarding no
AllowTcpForwarding no
PrintMotd no
SetEnv VIRTPLUG_PLUGIN_DIR=$VIRTPLUG_PLUGIN_DIR VIRTPLUG_XML_MODULE=$VIRTPLUG_XML_MODULE VIRTPLUG_RUNTIME_DIR=$dir/far-run VIRTPLUG_HOSTPOWER_CONF=/nonexistent/hostpower.conf QEMU_SYSTEM=${QEMU_SYSTEM:-/usr/bin/qemu-system-x86_64} ASAN_OPTIONS=log_path=$dir/sanitizer UBSAN_OPTIONS=log_path=$dir/sanitizer TSAN_OPTIONS=log_path=$dir/sanitizer
CONF
        : >"$dir/sshd.log"
        "$SSHD" -D -f "$dir/sshd_config" -E "$dir/sshd.log" &
        SSHD_PID=$!
        i=0
        while [ $i -lt 100 ]; do
            if ! kill -0 "$SSHD_PID" 2>/dev/null; then
                wait "$SSHD_PID" 2>/dev/null || true
                SSHD_PID=
                break
            fi
            grep -q "Server listening" "$dir/sshd.log" && break
            sleep 0.05
            i=$((i + 1))
        done
        [ -n "$SSHD_PID" ] && break
    done
    [ -n "$SSHD_PID" ] || {
        echo "FAIL: sshd did not start; its log:" >&2
        cat "$dir/sshd.log" >&2
        exit 1
    }
    SSHD_KEY=$dir/user_key
    SSHD_KNOWN_HOSTS=$dir/known_hosts
    printf '[127.0.0.1]:%s %s\n' "$SSHD_PORT" "$(cut -d' ' -f1,2 "$dir/host_key.pub")" \
        >"$SSHD_KNOWN_HOSTS"
}

# sshd_sanitizer_check: fail when a far process's sanitizer reported.
sshd_sanitizer_check() {
    for f in "$SSHD_DIR"/sanitizer.*; do
        [ -e "$f" ] || continue
        echo "FAIL: a sanitizer reported on the far side:" >&2
        cat "$f" >&2
        exit 1
    done
}

sshd_stop() {
    if [ -n "$SSHD_PID" ]; then
        kill "$SSHD_PID" 2>/dev/null || true
        wait "$SSHD_PID" 2>/dev/null || true
        SSHD_PID=
    fi
}
