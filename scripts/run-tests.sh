#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# Build virtplug from scratch in ./build (or ./build-asan with --asan) and
# run the whole test suite.
set -eu
cd "$(dirname "$0")/.."
dir=build
flags=""
if [ "${1:-}" = "--asan" ]; then
    dir=build-asan
    flags="--enable-asan"
fi
[ -x configure ] || autoreconf -fi
rm -rf "$dir"
mkdir -p "$dir"
cd "$dir"
# shellcheck disable=SC2086
../configure --with-hostpower-bsd $flags
make -j"$(nproc)"
make -j"$(nproc)" check || { cat tests/*/test-suite.log test-suite.log 2>/dev/null; exit 1; }
