#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# test-vpsh-list-state.sh: "vpsh list" on a driver that cannot report
# domain states. A get-state slot that answers VP_ERR_NOT_SUPPORTED (empty,
# or filled and saying so) shows the state as '-' (null with --json) and
# takes from the driver's list which domains run. These drivers have no
# domain Ids either: the Id column shows '-' (null) for every domain,
# never a made-up number. Any other get-state
# error shows the same way after one warning line naming the domain, and
# the others are still listed: the list succeeds.
set -eu
. "$(dirname "$0")/vpsh-lib.sh"

# The loader wants a directory and files writable by nobody else.
mkdir "$tmp/plugins"
for p in vpsh-nostate vpsh-badstate; do
    cp "$VP_TOP_BUILDDIR/tests/tools/plugins/.libs/$p.so" "$tmp/plugins/$p.so"
    chmod 644 "$tmp/plugins/$p.so"
done
chmod 755 "$tmp/plugins"
export VIRTPLUG_PLUGIN_DIR="$tmp/plugins"

# ---- an empty get-state slot ----
vp -c vpsh-nostate:/// list
expect_rc 0
expect_err ""
expect_out " Id   Name    State
---------------------
 -    alpha   -
 -    gamma   -
"

vp -c vpsh-nostate:/// list --all
expect_rc 0
expect_err ""
expect_out " Id   Name    State
---------------------
 -    alpha   -
 -    beta    -
 -    gamma   -
"

vp -c vpsh-nostate:/// list --inactive
expect_rc 0
expect_err ""
expect_out " Id   Name   State
--------------------
 -    beta   -
"

vp -c vpsh-nostate:/// --json list --all
expect_rc 0
expect_err ""
expect_json "3
null
alpha
null
null
beta
null
null
gamma
null" domains.# domains.0.id domains.0.name domains.0.state domains.1.id domains.1.name \
    domains.1.state domains.2.id domains.2.name domains.2.state

# Only "list" makes do without a state: domstate is about nothing else.
vp -c vpsh-nostate:/// domstate alpha
expect_rc 1
expect_out_blank
expect_err "error: driver 'vpsh-nostate' does not implement 'domain-get-state'"

# ---- a filled get-state slot: "not supported" for beta, a failure for gamma ----
vp -c vpsh-badstate:/// list --inactive
expect_rc 0
expect_err ""
expect_out " Id   Name   State
--------------------
 -    beta   -
"

vp -c vpsh-badstate:/// list --all
expect_rc 0
expect_err "warning: cannot read the state of domain 'gamma': cannot read the state of 'gamma': the badstate backend is down"
expect_out " Id   Name    State
-----------------------
 -    alpha   running
 -    beta    -
 -    gamma   -
"

vp -c vpsh-badstate:/// list
expect_rc 0
expect_err "warning: cannot read the state of domain 'gamma': cannot read the state of 'gamma': the badstate backend is down"
expect_out " Id   Name    State
-----------------------
 -    alpha   running
 -    gamma   -
"

vp -c vpsh-badstate:/// --json list --all
expect_rc 0
expect_err "warning: cannot read the state of domain 'gamma': cannot read the state of 'gamma': the badstate backend is down"
expect_json "3
null
alpha
running
null
beta
null
null
gamma
null" domains.# domains.0.id domains.0.name domains.0.state domains.1.id domains.1.name \
    domains.1.state domains.2.id domains.2.name domains.2.state

# domstate has nothing to show but the state: the failure is its error.
vp -c vpsh-badstate:/// domstate gamma
expect_rc 1
expect_out_blank
expect_err "error: cannot read the state of 'gamma': the badstate backend is down"

done_ok
