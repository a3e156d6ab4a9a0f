#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# Build virtplug from scratch in ./build (or ./build-asan with --asan) and
# run the whole test suite; or, with --tsan, build ./build-tsan with
# ThreadSanitizer and run the threaded tests (make check-threads).
set -eu
cd "$(dirname "$0")/.."
dir=build
flags=""
if [ "${1:-}" = "--asan" ]; then
    dir=build-asan
    flags="--enable-asan"
elif [ "${1:-}" = "--tsan" ]; then
    dir=build-tsan
    flags="--enable-tsan"
fi
[ -x configure ] || autoreconf -fi
rm -rf "$dir"
mkdir -p "$dir"
cd "$dir"
# shellcheck disable=SC2086
../configure --with-hostpower-bsd $flags
make -j"$(nproc)"
if [ "$dir" = build-tsan ]; then
    make -j"$(nproc)" check-threads || { cat tests/*/test-suite.log test-suite.log 2>/dev/null; exit 1; }
    exit 0
fi
status=0
make -j"$(nproc)" check || status=$?
# The slowest tests (each log ends with its time: scripts/test-timeout.sh).
echo "== the slowest tests:"
grep -r --include='*.log' '^test-timeout.sh: ran [0-9]* s$' tests |
    sed 's|^\(.*\)\.log:test-timeout.sh: ran \([0-9]*\) s$|\2 s  \1|' | sort -rn | head -n 8 |
    sed 's/^/   /'
if [ "$status" -ne 0 ]; then
    cat tests/*/test-suite.log test-suite.log 2>/dev/null
    exit 1
fi
