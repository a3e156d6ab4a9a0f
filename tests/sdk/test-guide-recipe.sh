#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# The build recipe of the plugin guide (section 2 of sdk/doc/plugin-guide.md,
# taken out by scripts/guide-extract.sh) does what its text promises, with
# this tree's libtool and library:
#  - its LDFLAGS make the link of a plugin that calls a function defined
#    nowhere fail (libtool's -no-undefined alone does not, on Linux), and
#    the guide's own greet.c links with them;
#  - installed the way automake installs plugindir (libtool --mode=install,
#    then the guide's install-data-hook), it leaves greet.so alone, mode
#    0644, and no greet.la.
set -u
top_src=$(cd "${VP_TOP_SRCDIR:-.}" && pwd)
top_build=$(cd "${VP_TOP_BUILDDIR:-.}" && pwd)
cc=${VP_CC:-cc}
libtool="$top_build/libtool"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
status=0
fail() {
    echo "FAIL: $*"
    status=1
}

sh "$top_src/scripts/guide-extract.sh" files "$top_src/sdk/doc/plugin-guide.md" "$tmp/src" || exit 1
cd "$tmp/src" || exit 99
# The guide's variables, as its Makefile.am sets them (make expands $$).
printf '%s\n' 'show-%: ; $(info $($*))' >show.mk
var() {
    env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s --no-print-directory -f Makefile.am -f show.mk "show-$1" \
        VP_SDK_CFLAGS="-I$top_src/sdk/include -I$top_src/framework/include" \
        VP_SDK_LIBS="$top_build/framework/libvirtplug.la" 2>show.err
}
cflags=$(var greet_la_CFLAGS) || { cat show.err; exit 1; }
ldflags=$(var greet_la_LDFLAGS) || { cat show.err; exit 1; }
libadd=$(var greet_la_LIBADD) || { cat show.err; exit 1; }
echo "guide: CFLAGS $cflags"
echo "guide: LDFLAGS $ldflags"

plugindir=/usr/lib/virtplug/plugins
# link NAME SOURCE: build NAME.la from SOURCE with the guide's flags.
link() {
    # shellcheck disable=SC2086 # the guide's flags are words
    "$libtool" --silent --tag=CC --mode=compile "$cc" $cflags -c "$2" -o "$1.lo" >"$1.log" 2>&1 &&
        eval "\"\$libtool\" --silent --tag=CC --mode=link \"\$cc\" \$cflags -o $1.la -rpath \$plugindir $1.lo \$libadd $ldflags" \
            >>"$1.log" 2>&1
}

if link greet greet.c; then
    echo "ok: the guide's greet.c links with the guide's LDFLAGS"
else
    cat greet.log
    fail "the guide's greet.c does not link with the guide's LDFLAGS"
fi

cp greet.c undef.c
cat >>undef.c <<'EOC'

int greet_helper_defined_nowhere(void);

int
greet_calls_the_undefined(void)
{
    return greet_helper_defined_nowhere();
}
EOC
if link undef undef.c; then
    fail "a plugin calling a function defined nowhere links with the guide's LDFLAGS: $ldflags"
elif grep -q 'greet_helper_defined_nowhere' undef.log; then
    echo "ok: the link of a plugin calling a function defined nowhere fails, naming it"
else
    cat undef.log
    fail "the link of undef.c failed for another reason"
fi

# Install as automake's install-pluginLTLIBRARIES does, then the hook. A
# stand-in greet.la without libvirtplug: libtool would relink the real one
# against the installed library, which a build tree does not have.
mkdir inst && cp Makefile.am inst/ && cd inst || exit 99
echo 'int greet_stand_in;' >stand-in.c
if "$libtool" --silent --tag=CC --mode=compile "$cc" -c stand-in.c -o stand-in.lo >link.log 2>&1 &&
    "$libtool" --silent --tag=CC --mode=link "$cc" -module -avoid-version -shared -o greet.la \
        -rpath "$plugindir" stand-in.lo >>link.log 2>&1; then
    dest="$tmp/stage"
    mkdir -p "$dest$plugindir"
    "$libtool" --silent --mode=install install -c greet.la "$dest$plugindir" >install.log 2>&1 ||
        { cat install.log; fail "libtool cannot install greet.la"; }
    env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s --no-print-directory -f Makefile.am install-data-hook plugindir="$plugindir" DESTDIR="$dest" >>install.log 2>&1 ||
        { cat install.log; fail "the guide's Makefile.am has no working install-data-hook"; }
    got=$(cd "$dest$plugindir" && ls -A | tr '\n' ' ')
    [ "$got" = "greet.so " ] || fail "installed files are '$got', expected 'greet.so' alone (no greet.la)"
    mode=$(stat -c %a "$dest$plugindir/greet.so" 2>/dev/null)
    [ "$mode" = 644 ] || fail "greet.so is installed with mode '$mode', expected 644"
    [ $status -eq 0 ] && echo "ok: installed, the guide's recipe leaves greet.so alone, mode 644"
else
    cat link.log
    fail "cannot build a stand-in greet.la"
fi
exit $status
