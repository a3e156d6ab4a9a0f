#!/bin/sh
# demo.sh: the README's main job. Builds virtplug in ./build if that was
# not done yet, then runs vpsh on the in-memory test:///default host and
# shows each command and its output. Nothing here touches this machine's
# virtualization or power state.
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
vpsh="$top/build/tools/vpsh/vpsh"

if [ ! -x "$vpsh" ]; then
    [ -x configure ] || autoreconf -fi
    mkdir -p build
    (cd build && { [ -f Makefile ] || ../configure; } && make -j"$(nproc)")
fi

# Each command runs in its own vpsh process, as a user would type it. The
# node-suspend record goes to a private runtime directory.
export VIRTPLUG_RUNTIME_DIR
VIRTPLUG_RUNTIME_DIR=$(mktemp -d /tmp/virtplug-demo.XXXXXX)
trap 'rm -rf "$VIRTPLUG_RUNTIME_DIR"' EXIT

run() {
    printf '$ vpsh %s\n' "$*"
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
run -c test:///default version
echo "demo finished: every command above ran on the simulated host test:///default"
