#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# test-vpsh-agent.sh: qemu-agent-command and domifaddr on test:///default,
# whose running domains have a simulated guest agent: the reply as the
# agent sent it, virsh's domifaddr table (--full, --interface), --json,
# and the refusals (--source lease and arp, paused or shut-off domains,
# unknown commands, --block).
set -eu
. "$(dirname "$0")/vpsh-lib.sh"
U=test:///default

vp -c $U qemu-agent-command test '{"execute":"guest-ping"}'
expect_rc 0
expect_err ""
expect_out '{"return":{}}
'
# As virsh, the words after the domain are one request.
vp -c $U qemu-agent-command --domain test --timeout 5 '{"execute":' '"guest-info"}'
expect_rc 0
expect_out_has '"version":"virtplug-test"'
vp -c $U --json qemu-agent-command test '{"execute":"guest-ping"}'
expect_rc 0
expect_json "test
0" domain reply.return.#
vp -c $U qemu-agent-command test --async '{"execute":"guest-ping"}'
expect_rc 0
expect_out_blank
vp -c $U qemu-agent-command test '{"execute":"guest-exec"}'
expect_rc 1
expect_err "error: the simulated guest agent of domain 'test' does not know command 'guest-exec'"
vp -c $U qemu-agent-command test 'guest-ping'
expect_rc 1
expect_err_has 'has no "execute" string'
vp -c $U qemu-agent-command test --block '{"execute":"guest-ping"}'
expect_rc 1
expect_err_has "without a limit"
vp -c $U qemu-agent-command test --timeout 0 '{"execute":"guest-ping"}'
expect_rc 1
expect_err_has "--timeout needs seconds"
vp -c $U "suspend test; qemu-agent-command test '{\"execute\":\"guest-ping\"}'"
expect_rc 1
expect_err_has "it is paused; resume it first"
vp -c $U -r qemu-agent-command test '{"execute":"guest-ping"}'
expect_rc 1
expect_err_has "refused by -r"

vp -c $U domifaddr test
expect_rc 0
expect_err ""
expect_out " Name       MAC address          Protocol     Address
-------------------------------------------------------------------------------
 lo         00:00:00:00:00:00    ipv4         127.0.0.1/8
 -          -                    ipv6         ::1/128
 eth0       52:54:00:2e:19:3f    ipv4         192.168.122.65/24
"
vp -c $U domifaddr test --full --source agent
expect_rc 0
expect_out_has " lo         00:00:00:00:00:00    ipv6         ::1/128"
vp -c $U domifaddr test --interface eth0
expect_rc 0
expect_out " Name       MAC address          Protocol     Address
-------------------------------------------------------------------------------
 eth0       52:54:00:2e:19:3f    ipv4         192.168.122.65/24
"
vp -c $U --json domifaddr test
expect_rc 0
expect_json "3
eth0
192.168.122.65/24" interfaces.# interfaces.2.name interfaces.2.address
vp -c $U domifaddr test --source lease
expect_rc 1
expect_error_line
expect_err_has "--source lease is not supported: virtplug has no virtual network driver"
vp -c $U domifaddr test --source arp
expect_rc 1
expect_err_has "--source arp is not supported"
vp -c $U domifaddr test --source dhcp
expect_rc 1
expect_err_has "unknown --source 'dhcp'"
vp -c $U "destroy test; domifaddr test"
expect_rc 1
expect_err_has "error: Failed to query for interfaces addresses"
expect_err_has "domain 'test': it is not running"

echo "ok: $checks checks"
