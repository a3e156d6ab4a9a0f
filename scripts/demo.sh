#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# demo.sh: the README's main job. Builds virtplug in ./build if that was
# not done yet, then runs vpsh on the in-memory test:///default host and
# shows each command and its output. Nothing here touches this machine's
# virtualization or power state.
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
vpsh="$top/build/tools/vpsh/vpsh"

# Configure once; make is cheap when nothing changed. The build's output
# goes to a log, shown only when the build fails.
mkdir -p build
log=build/demo-build.log
echo "building virtplug in ./build (log: $log) ..."
if ! ({ [ -x configure ] || autoreconf -fi; } && cd build &&
    { [ -f Makefile ] || ../configure; } && make -j"$(nproc)") >"$log" 2>&1; then
    tail -n 40 "$log"
    echo "demo.sh: the build failed; the whole log is in $log" >&2
    exit 1
fi

# vpsh runs from the build tree, not installed: point it at the build's
# XML module and plugins (an installed vpsh finds them under its prefix).
export VIRTPLUG_XML_MODULE="$top/build/framework/conf/.libs/virtplug-xml.so"
export VIRTPLUG_PLUGIN_DIR="$top/build/plugins/.libs"

# Each command runs in its own vpsh process, as a user would type it. The
# node-suspend record goes to a private runtime directory.
export VIRTPLUG_RUNTIME_DIR
VIRTPLUG_RUNTIME_DIR=$(mktemp -d /tmp/virtplug-demo.XXXXXX)
trap 'rm -rf "$VIRTPLUG_RUNTIME_DIR"' EXIT

# run ARGS...: show the command as it would be typed, then run it.
run() {
    printf '$ vpsh'
    for a in "$@"; do
        case $a in
        *[!A-Za-z0-9_./:=-]*) printf " '%s'" "$a" ;;
        *) printf ' %s' "$a" ;;
        esac
    done
    printf '\n'
    "$vpsh" "$@"
}

run -c test:///default list --all
run -c test:///default dominfo test
run -c test:///default domstate test --reason
run -c test:///default --json list --all
# test:///default keeps nothing between processes: ';' runs several
# commands on one connection.
run -c test:///default suspend test ';' list --all ';' resume test ';' domstate test
run -c test:///default snapshot-create-as test first --description 'demo snapshot' ';' \
    snapshot-list test
run -c test:///default nodesuspend-capabilities
# The simulated host power: the answer at once, the outcome after the delay;
# the record is read back by another process.
run -c test:///default nodesuspend mem 60
run -c test:///default nodesuspend-status
run -c test:///default version
echo "demo finished: every command above ran on the simulated host test:///default"
