#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# Each installed header compiles on its own (C and, when a C++ compiler is
# around, C++), and no installed header includes an internal one.
set -u
cc=${VP_CC:-cc}
top=$VP_TOP_SRCDIR
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
status=0
headers="framework/include/virtplug/virtplug.h $(cd "$top" && ls sdk/include/virtplug/sdk/*.h)"
for h in $headers; do
    inc=${h#framework/include/}
    inc=${inc#sdk/include/}
    printf '#include <%s>\n' "$inc" > "$tmp/t.c"
    if ! $cc -std=gnu11 -Wall -Wextra -Werror -pedantic-errors -Wno-gnu -fsyntax-only \
            -I"$top/framework/include" -I"$top/sdk/include" "$tmp/t.c" 2> "$tmp/err"; then
        # -pedantic rejects GNU statement expressions (VP_STEAL_PTR); retry without it
        if ! $cc -std=gnu11 -Wall -Wextra -Werror -fsyntax-only \
                -I"$top/framework/include" -I"$top/sdk/include" "$tmp/t.c" 2> "$tmp/err"; then
            echo "$h does not compile on its own:"; cat "$tmp/err"; status=1
        fi
    fi
    if command -v c++ >/dev/null 2>&1; then
        cp "$tmp/t.c" "$tmp/t.cc"
        if ! c++ -Wall -Wextra -Werror -fsyntax-only -I"$top/framework/include" \
                -I"$top/sdk/include" "$tmp/t.cc" 2> "$tmp/err"; then
            echo "$h does not compile as C++:"; cat "$tmp/err"; status=1
        fi
    fi
    if grep -nE '#[[:space:]]*include[[:space:]]*"' "$top/$h" ||
       grep -nE '#[[:space:]]*include[[:space:]]*<(internal|loader|uri|node-suspend|config)\.h>' "$top/$h"; then
        echo "$h includes a header that is not installed"; status=1
    fi
    echo "checked $h"
done
exit $status
