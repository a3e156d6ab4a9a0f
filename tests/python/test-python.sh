#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# The Python binding's pytest suite, on the package assembled in the build
# tree (bindings/python/site) and the in-tree libvirtplug. Skips (77) with
# the reason when the binding was not built or pytest is missing.
set -u
top_srcdir=${VP_TOP_SRCDIR:?run through make check}
top_builddir=${VP_TOP_BUILDDIR:?run through make check}
site=$top_builddir/bindings/python/site
if [ -n "${VP_PYTHON_MISSING:-}" ] || [ ! -f "$site/virtplug/_virtplug.abi3.so" ]; then
    echo "SKIP: the Python binding was not built: ${VP_PYTHON_MISSING:-no $site/virtplug/_virtplug.abi3.so}"
    exit 77
fi
python=${PYTHON:-python3}
if ! "$python" -c 'import pytest' 2>/dev/null; then
    echo "SKIP: pytest is missing for $python (install python3-pytest)"
    exit 77
fi
# A module built with ASan needs its runtime loaded first; Python itself is
# not instrumented, so only the library's errors are reported, not leaks.
if grep -q '^SANITIZE_CFLAGS = .*address' "$top_builddir/Makefile" 2>/dev/null; then
    LD_PRELOAD=$(${CC:-cc} -print-file-name=libasan.so)
    VP_PYTHON_ASAN_PRELOAD=1
    export LD_PRELOAD VP_PYTHON_ASAN_PRELOAD
    export ASAN_OPTIONS="detect_leaks=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
fi
LD_LIBRARY_PATH=$top_builddir/framework/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
PYTHONPATH=$site${PYTHONPATH:+:$PYTHONPATH}
export LD_LIBRARY_PATH PYTHONPATH
# VP_PYTHON_VALGRIND=1: the suite under valgrind (Python's allocator off, so
# a handle or object the binding leaks is "definitely lost").
runner=""
if [ "${VP_PYTHON_VALGRIND:-0}" = 1 ]; then
    export PYTHONMALLOC=malloc
    runner="valgrind -q --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite --error-exitcode=99"
fi
# shellcheck disable=SC2086
exec $runner "$python" -m pytest -q -p no:cacheprovider -o addopts= "$top_srcdir/tests/python"
