#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# guide-extract.sh: take the plugin guide's example out of its text, so
# that `make installcheck` builds and runs exactly what the guide shows.
#
#   guide-extract.sh files GUIDE DIR
#       Writes the files of the guide's section 2 ("A plugin from nothing")
#       into DIR (which must not exist), plus the empty DIR/m4 the guide
#       asks for. Each "### ..." heading of the section names its file as
#       its first `quoted` word ("### The source: `greet.c`"); every fenced
#       block under it (```c or a bare ```) is appended to that file, one
#       blank line between blocks, in the order of the text.
#   guide-extract.sh output GUIDE COMMAND
#       Prints what the guide shows as the output of COMMAND: the indented
#       lines after the line "    $ COMMAND", up to the next "    $ " line
#       or the end of that indented block, with the indent removed. Blank
#       lines just before the next "$ " line belong to the output; those
#       that end the block do not.
#
# Exits 1, saying why, when the guide has no such section, file, block or
# command, or when a fence is left open: a guide that lost its example must
# fail the check, not pass it with nothing.
set -eu

usage() {
    echo "usage: $0 files GUIDE DIR | output GUIDE COMMAND" >&2
    exit 2
}

[ $# -eq 3 ] || usage
mode=$1
guide=$2
[ -r "$guide" ] || {
    echo "$0: cannot read the guide '$guide'" >&2
    exit 1
}

case $mode in
files)
    dir=$3
    [ ! -e "$dir" ] || {
        echo "$0: '$dir' already exists" >&2
        exit 1
    }
    mkdir -p "$dir/m4"
    awk -v dir="$dir" '
        function fail(msg) { print FILENAME ":" NR ": " msg > "/dev/stderr"; bad = 1; exit 1 }
        /^## / { insec = ($0 ~ /^## 2\./); if (infence) fail("fenced block left open"); next }
        !insec { next }
        /^### / {
            file = ""
            if (match($0, /`[^`]+`/)) file = substr($0, RSTART + 1, RLENGTH - 2)
            if (file ~ /\//) fail("file name with a directory: " file)
            next
        }
        /^```/ {
            if (infence) { infence = 0; next }
            if ($0 != "```" && $0 != "```c") next
            if (file == "") fail("code block under a heading that names no file")
            infence = 1
            path = dir "/" file
            if (path in seen) print "" > path
            seen[path] = 1
            blocks++
            next
        }
        infence { print > path }
        END {
            if (bad) exit 1
            if (infence) fail("fenced block left open at the end")
            if (blocks == 0) { print FILENAME ": no code blocks in section 2" > "/dev/stderr"; exit 1 }
            for (p in seen) close(p)
        }' "$guide"
    for f in configure.ac Makefile.am; do
        [ -s "$dir/$f" ] || {
            echo "$0: section 2 of '$guide' shows no $f" >&2
            exit 1
        }
    done
    ls "$dir"/*.c >/dev/null 2>&1 || {
        echo "$0: section 2 of '$guide' shows no C source" >&2
        exit 1
    }
    ;;
output)
    awk -v cmd="    \$ $3" '
        !found { if ($0 == cmd) found = 1; next }
        /^    \$ / { for (; blank > 0; blank--) print ""; exit }
        /^    / { for (; blank > 0; blank--) print ""; print substr($0, 5); next }
        /^$/ { blank++; next }
        { exit }
        END { exit found ? 0 : 1 }' "$guide" || {
        echo "$0: '$guide' shows no command '\$ $3'" >&2
        exit 1
    }
    ;;
*)
    usage
    ;;
esac
