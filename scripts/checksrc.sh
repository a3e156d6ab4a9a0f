#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# checksrc.sh SRCDIR: the source rules a compiler does not check.
#  - banned functions (STYLE.md): strcpy strcat strncpy sprintf vsprintf gets
#    atoi atol strtok system popen, raw getenv;
#  - libltdl and dlopen only in framework/loader.c;
#  - plugins never include framework headers;
#  - no source file over 800 lines;
#  - every C file laid out as .clang-format says (when clang-format exists);
#  - every source, build and test file starts with its SPDX-License-Identifier
#    line (within its first 5 lines): all tracked files but documentation,
#    test data, fuzz seeds and the licence texts.
# Prints each violation and exits 1 if there is any.
set -u
top=${1:-.}
cd "$top" || exit 2
status=0
files=$(find framework plugins sdk tools tests bench bindings -name '*.c' -o -name '*.h' 2>/dev/null | sort)

bad=$(grep -nE '(^|[^_a-zA-Z0-9])(strcpy|strcat|strncpy|sprintf|vsprintf|gets|atoi|atol|strtok|system|popen|getenv)[[:space:]]*\(' $files /dev/null |
      grep -vE '^[^:]*:[0-9]+:[[:space:]]*(/?\*|//)')
if [ -n "$bad" ]; then
    echo "banned function calls (use the safe alternatives of STYLE.md):"
    echo "$bad"
    status=1
fi

bad=$(grep -lE '(^|[^_a-zA-Z0-9])(lt_dl[a-z_]+|dlopen)[[:space:]]*\(' $files /dev/null |
      grep -vE '^(framework/loader\.c|tests/)')
if [ -n "$bad" ]; then
    echo "libltdl or dlopen called outside framework/loader.c:"
    echo "$bad"
    status=1
fi

bad=$(grep -lE '#include[[:space:]]+"(internal|loader|uri|node-suspend)\.h"' $(find plugins sdk -name '*.[ch]' 2>/dev/null) /dev/null)
if [ -n "$bad" ]; then
    echo "plugins or SDK include framework-internal headers:"
    echo "$bad"
    status=1
fi

big=$(for f in $files; do n=$(wc -l < "$f"); [ "$n" -gt 800 ] && echo "$f ($n lines)"; done)
if [ -n "$big" ]; then
    echo "files over 800 lines (split them by concern):"
    echo "$big"
    status=1
fi
if command -v clang-format >/dev/null 2>&1 && [ -f .clang-format ]; then
    bad=$(for f in $files $(find sdk/examples fuzz -name '*.[ch]' 2>/dev/null); do
        clang-format --dry-run --Werror "$f" >/dev/null 2>&1 || echo "$f"
    done)
    if [ -n "$bad" ]; then
        echo "files not laid out as .clang-format says (run clang-format -i on them):"
        echo "$bad"
        status=1
    fi
fi
# The files that carry a licence line: what git tracks (or, in a tarball,
# the source, build and test files found by name), less data and prose.
if [ -e .git ] && command -v git >/dev/null 2>&1; then
    tracked=$(git ls-files)
else
    tracked=$(find . -path ./build -prune -o -path './build-*' -prune -o -type f \
        \( -name '*.[ch]' -o -name '*.sh' -o -name '*.mk' -o -name '*.am' -o -name '*.ac' \
        -o -name '*.in' -o -name '*.dict' -o -name '*.sym' -o -name '*.spec' \) -print |
        sed 's|^\./||')
fi
bad=$(echo "$tracked" | grep -vE '^(fuzz/corpus/|tests/data/|docs/|LICENSES/|(.*/)?COPYING$|debian/(changelog|copyright|source/format|.*\.symbols)$)' |
      grep -vE '\.(md|xml|keep|1|7)$|(^|/)Makefile\.in$|^configure$|^aclocal\.m4$|(^|/)config\.h(\.in)?$' |
      while read -r f; do
          [ -f "$f" ] && ! head -n 5 "$f" | grep -q 'SPDX-License-Identifier: ' && echo "$f"
      done)
if [ -n "$bad" ]; then
    echo "files without an SPDX-License-Identifier line in their first 5 lines (LGPL-2.1-or-later; MIT-0 under sdk/examples):"
    echo "$bad"
    status=1
fi
exit $status
