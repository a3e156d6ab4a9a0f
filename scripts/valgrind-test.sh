#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# valgrind-test.sh TEST [ARGS]: the LOG_COMPILER of `make check-valgrind`.
# Runs a compiled test under valgrind (through libtool, which knows how to
# run an uninstalled program); a leak or a memory error fails the test.
set -u
test_prog=$1
shift
libtool=${VP_LIBTOOL:-./libtool}
export VP_VALGRIND=1
exec "$libtool" --mode=execute valgrind --quiet --error-exitcode=99 --leak-check=full \
    --errors-for-leak-kinds=definite --show-leak-kinds=definite --track-fds=no \
    "$test_prog" "$@"
