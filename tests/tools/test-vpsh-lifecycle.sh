#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# test-vpsh-lifecycle.sh: reboot and reset on test:///default (one running
# domain "test"; nothing persists between runs, so each check runs its
# verbs as one chain): virsh's confirmations, --json, state afterwards,
# and the refusals.
set -eu
. "$(dirname "$0")/vpsh-lib.sh"
U=test:///default

# ---- reboot ----
vp -c $U "suspend test; reboot test; domstate test --reason"
expect_rc 0
expect_err ""
expect_out "Domain 'test' suspended

Domain 'test' is being rebooted

running (booted)
"
vp -c $U "reboot --domain test --mode agent; reboot test --mode acpi"
expect_rc 0
expect_out "Domain 'test' is being rebooted

Domain 'test' is being rebooted
"
vp -c $U --json reboot test
expect_rc 0
expect_json "test
rebooting" domain result
# virsh's two error lines: what failed, then why.
vp -c $U "destroy test; reboot test"
expect_rc 1
expect_err "error: Failed to reboot domain 'test'
error: cannot reboot domain 'test': it is not running"
vp -c $U reboot test --mode initctl
expect_rc 1
expect_err "error: reboot mode 'initctl' is not supported: virtplug reboots by 'acpi' or 'agent' only"
vp -c $U reboot test --mode acpi,agent
expect_rc 1
expect_err_has "--mode takes one mode"
vp -c $U reboot nosuch
expect_rc 1
expect_err "error: failed to get domain 'nosuch'"
vp -c $U -r reboot test
expect_rc 1
expect_err_has "refused by -r"

# A domain whose <on_reboot> is destroy shuts off when rebooted.
cat >"$tmp/once.xml" <<'XML'
<domain type='test'>
  <name>once</name>
  <memory unit='MiB'>64</memory>
  <on_reboot>destroy</on_reboot>
  <os><type>hvm</type></os>
</domain>
XML
vp -c $U "define $tmp/once.xml; start once; reboot once; domstate once --reason"
expect_rc 0
expect_out_has "shut off (shutdown)"

# ---- reset ----
vp -c $U "suspend test; reset test; domstate test; resume test; reset 1; domstate test"
expect_rc 0
expect_err ""
expect_out "Domain 'test' suspended

Domain 'test' was reset

paused

Domain 'test' resumed

Domain '1' was reset

running
"
vp -c $U --json reset test
expect_rc 0
expect_json "test
reset" domain result
vp -c $U "destroy test; reset test"
expect_rc 1
expect_err "error: Failed to reset domain 'test'
error: cannot reset domain 'test': it is not running"
vp -c $U -r reset test
expect_rc 1
expect_err_has "refused by -r"

# ---- autostart ----
vp -c $U "autostart test; list --autostart --name; list --all --no-autostart --name; autostart --disable --domain test; list --all --autostart --name"
expect_rc 0
expect_err ""
expect_out "Domain 'test' marked as autostarted

test


Domain 'test' unmarked as autostarted

"
vp -c $U --json "autostart test; autostart test --disable"
expect_rc 0
expect_json "autostart enabled
autostart disabled" 0.result 1.result
vp -c $U autostart nosuch
expect_rc 1
expect_err "error: failed to get domain 'nosuch'"
vp -c $U -r autostart test
expect_rc 1
expect_err_has "refused by -r"

# start --autostart-all: the marked shut-off domains, and only those.
cat >"$tmp/vm2.xml" <<'XML'
<domain type='test'>
  <name>vm2</name>
  <memory unit='MiB'>64</memory>
  <os><type>hvm</type></os>
</domain>
XML
vp -c $U "define $tmp/vm2.xml; define $tmp/once.xml; destroy test; autostart test; autostart once; start --autostart-all; list --all"
expect_rc 0
expect_err ""
expect_out "Domain 'vm2' defined from $tmp/vm2.xml

Domain 'once' defined from $tmp/once.xml

Domain 'test' destroyed

Domain 'test' marked as autostarted

Domain 'once' marked as autostarted

Domain 'once' started
Domain 'test' started

 Id   Name   State
-----------------------
 2    once   running
 3    test   running
 -    vm2    shut off
"
# Nothing marked, or the marked ones already running: nothing to do.
vp -c $U "start --autostart-all; autostart test; start --autostart-all"
expect_rc 0
expect_out "
Domain 'test' marked as autostarted

"
vp -c $U --json "destroy test; autostart test; start --autostart-all"
expect_rc 0
expect_json "0
1
test" 2.failed.# 2.started.# 2.started.0
vp -c $U start --autostart-all test
expect_rc 1
expect_err_has "give no DOMAIN"
vp -c $U start
expect_rc 1
expect_err "error: command 'start' requires <domain> option"

# dominfo says it, as virsh.
vp -c $U "autostart test; dominfo test"
expect_out_has "Autostart:      enable"
vp -c $U --json dominfo test
expect_json "false" autostart

echo "ok: $checks checks"
