#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# test-vpsh-domcaps.sh: vpsh domcapabilities shows what a driver accepts
# of domain XML, as libvirt's <domainCapabilities> or as vpsh's JSON
# envelope, for the test driver (the whole model) and the QEMU plugin (what
# it runs), and the QEMU plugin refuses a device it lacks with the
# capability message.
set -eu
. "$(dirname "$0")/vpsh-lib.sh"

vp -c test:///default domcapabilities
expect_rc 0
expect_out_has "<domainCapabilities>"
expect_out_has "<driver>test</driver>"
expect_out_has "<sound supported='yes'"

vp -c test:///default --json domcapabilities
expect_rc 0
expect_json_raw 'domcapabilities
true
test' command ok result.driver

if [ -f "$VIRTPLUG_PLUGIN_DIR/qemu.so" ]; then
    uri="qemu:///embed?root=$tmp/qemu"
    vp -c "$uri" domcapabilities
    expect_rc 0
    expect_out_has "<driver>qemu</driver>"
    expect_out_has "<parallel supported='no'/>"
    cat >"$tmp/parallel.xml" <<XML
<domain type='qemu'><name>s</name><memory unit='MiB'>32</memory>
<os><type arch='x86_64' machine='pc'>hvm</type></os>
<devices><parallel type='pty'/></devices></domain>
XML
    vp -c "$uri" define "$tmp/parallel.xml"
    expect_rc 1
    expect_err_has "driver 'qemu' does not support"
    expect_err_has "<parallel>"
fi
done_ok
