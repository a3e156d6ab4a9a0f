#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# test-vpsh-procvm.sh: a third-party hypervisor driver (tests/plugins/procvm,
# built against the SDK only) through vpsh: its own domain type
# (type='procvm') and OS type (exe), its own XML namespace kept verbatim,
# its capabilities shown by domcapabilities, and a device it does not
# declare refused by the core with the capability message. procvm keeps
# its domains in memory, so each case is one vpsh chain.
set -eu
. "$(dirname "$0")/vpsh-lib.sh"

VIRTPLUG_PLUGIN_DIR="$VP_TOP_BUILDDIR/tests/plugins/.libs"
export VIRTPLUG_PLUGIN_DIR
[ -f "$VIRTPLUG_PLUGIN_DIR/procvm.so" ] || { echo "SKIP: procvm.so is not built"; exit 77; }

cat >"$tmp/p1.xml" <<'XML'
<domain type='procvm' xmlns:procvm='https://example.org/virtplug/procvm/1'>
  <name>p1</name>
  <memory unit='MiB'>64</memory>
  <os><type>exe</type></os>
  <procvm:limits cpu='50%'><procvm:files max='64'/></procvm:limits>
</domain>
XML

vp -c procvm:///default "define $tmp/p1.xml; dumpxml p1; domcapabilities"
expect_rc 0
expect_out_has "Domain 'p1' defined from $tmp/p1.xml"
expect_out_has "<domain type='procvm' xmlns:procvm='https://example.org/virtplug/procvm/1'>"
expect_out_has "<type>exe</type>"
expect_out_has '<procvm:limits cpu="50%"><procvm:files max="64"/></procvm:limits>'
expect_out_has "<driver>procvm</driver>"
expect_out_has "<domain>procvm</domain>"

sed 's|</domain>|<devices><sound model="ich9"/></devices></domain>|' "$tmp/p1.xml" >"$tmp/sound.xml"
vp -c procvm:///default define "$tmp/sound.xml"
expect_rc 1
expect_err_has "driver 'procvm' does not support <sound"

sed "s|type='procvm'|type='kvm'|" "$tmp/p1.xml" >"$tmp/kvm.xml"
vp -c procvm:///default define "$tmp/kvm.xml"
expect_rc 1
expect_err_has "driver 'procvm' does not support <domain type='kvm'>"
done_ok
