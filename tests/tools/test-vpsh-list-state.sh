#!/bin/sh
# test-vpsh-list-state.sh: "vpsh list" on a driver that cannot report
# domain states. A get-state slot that answers VP_ERR_NOT_SUPPORTED (empty,
# or filled and saying so) shows the state as '-' (null with --json) and
# numbers the domains the driver lists as running; any other get-state
# error still fails the whole list.
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
 1    alpha   -
 2    gamma   -
"

vp -c vpsh-nostate:/// list --all
expect_rc 0
expect_err ""
expect_out " Id   Name    State
---------------------
 1    alpha   -
 -    beta    -
 2    gamma   -
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
1
alpha
null
null
beta
null
2
gamma
null" domains.# domains.0.id domains.0.name domains.0.state domains.1.id domains.1.name \
    domains.1.state domains.2.id domains.2.name domains.2.state

# Only "list" makes do without a state: domstate is about nothing else.
vp -c vpsh-nostate:/// domstate alpha
expect_rc 1
expect_out ""
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
expect_rc 1
expect_out ""
expect_err "error: cannot read the state of 'gamma': the badstate backend is down"

vp -c vpsh-badstate:/// --json list
expect_rc 1
expect_out ""
expect_err "error: cannot read the state of 'gamma': the badstate backend is down"

done_ok
