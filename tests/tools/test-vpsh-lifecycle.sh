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
vp -c $U "destroy test; reboot test"
expect_rc 1
expect_error_line
expect_err "error: cannot reboot domain 'test': it is not running"
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
expect_err "error: cannot reset domain 'test': it is not running"
vp -c $U -r reset test
expect_rc 1
expect_err_has "refused by -r"

echo "ok: $checks checks"
