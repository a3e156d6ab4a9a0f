#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# test-timeout.sh TEST [ARGS]: the LOG_COMPILER of `make check`. Runs a
# test with a time limit of VP_TEST_TIMEOUT seconds (default 1500; 0: no
# limit). A test that outlives it fails, and its log shows every process
# then running with what it waits on, instead of the whole suite hanging
# until whoever runs it gives up.
set -u
limit=${VP_TEST_TIMEOUT:-1500}
case $limit in
'' | *[!0-9]*)
    echo "test-timeout.sh: VP_TEST_TIMEOUT must be a number of seconds, not '$limit'" >&2
    exit 99
    ;;
esac
[ "$limit" -eq 0 ] && exec "$@"
start=$(date +%s)

# The test and the watchdog each in a session of its own (so a process
# group of its own), so that the programs the test started go with it,
# and the watchdog's sleep with the watchdog.
setsid "$@" &
test_pid=$!
setsid sh -c '
    sleep "$1"
    echo "test-timeout.sh: \"$3\" still runs after $1 s (VP_TEST_TIMEOUT): killed." \
        "The processes at that moment:"
    ps -eo pid,ppid,pgid,stat,etimes,wchan:24,args --forest
    kill -TERM -"$2" 2>/dev/null
    sleep 5
    kill -KILL -"$2" 2>/dev/null
' watchdog "$limit" "$test_pid" "$*" >&2 &
dog=$!
# A Ctrl-C of make (or its SIGTERM) reaches only this shell now: pass it on.
trap 'kill -TERM -"$test_pid" "$dog" -"$dog" 2>/dev/null; exit 130' INT TERM HUP
wait "$test_pid"
status=$?
kill -TERM "$dog" -"$dog" 2>/dev/null
wait "$dog" 2>/dev/null
# Read by scripts/run-tests.sh, which lists the slowest tests.
echo "test-timeout.sh: ran $(($(date +%s) - start)) s" >&2
exit "$status"
