#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# test-vpsh-stats.sh: the statistics verbs on test:///default where vpsh
# goes beyond what libvirt's test driver answers (test-vpsh-virsh-compat.sh
# compares the rest with virsh): domstats of every group for a domain with
# disks and interfaces, domblkstat (one device, --human, the summary of
# all), domifstat, nodememstats (--cell), --enforce, and each verb's
# --json document. The values are the test driver's documented ones
# (docs/test-driver.md).
set -eu
. "$(dirname "$0")/vpsh-lib.sh"
U=test:///default
cat >"$tmp/st.xml" <<'XML'
<domain type='test'>
  <name>st</name>
  <memory>1048576</memory>
  <currentMemory>524288</currentMemory>
  <vcpu>2</vcpu>
  <os><type>hvm</type></os>
  <devices>
    <disk type='file' device='disk'><source file='/img/a.qcow2'/><target dev='vda' bus='virtio'/></disk>
    <disk type='file' device='disk'><source file='/img/b.raw'/><target dev='vdb' bus='virtio'/></disk>
    <interface type='network'><source network='default'/><target dev='tap7'/></interface>
  </devices>
</domain>
XML
D="define $tmp/st.xml; start st"

vp -c $U -q "$D; domstats --block --interface st"
expect_rc 0
expect_out "Domain: 'st'
  net.count=1
  net.0.name=tap7
  net.0.rx.bytes=1048576
  net.0.rx.pkts=1024
  net.0.rx.errs=0
  net.0.rx.drop=1
  net.0.tx.bytes=524288
  net.0.tx.pkts=512
  net.0.tx.errs=0
  net.0.tx.drop=0
  block.count=2
  block.0.name=vda
  block.0.path=/img/a.qcow2
  block.0.rd.reqs=100
  block.0.rd.bytes=409600
  block.0.rd.times=1000000
  block.0.wr.reqs=50
  block.0.wr.bytes=204800
  block.0.wr.times=2000000
  block.0.fl.reqs=10
  block.0.fl.times=500000
  block.0.allocation=1099511627776
  block.0.capacity=1099506450432
  block.0.physical=1099511627776
  block.0.error=1
  block.1.name=vdb
  block.1.path=/img/b.raw
  block.1.rd.reqs=200
  block.1.rd.bytes=819200
  block.1.rd.times=2000000
  block.1.wr.reqs=100
  block.1.wr.bytes=409600
  block.1.wr.times=4000000
  block.1.fl.reqs=20
  block.1.fl.times=1000000
  block.1.allocation=1099511627776
  block.1.capacity=1099506450432
  block.1.physical=1099511627776
  block.1.error=2"

vp -c $U -q "$D; domstats --balloon --vcpu st"
expect_rc 0
grep -qx '  balloon.current=524288' "$tmp/out" || fail "no balloon.current"
grep -qx '  balloon.maximum=1048576' "$tmp/out" || fail "no balloon.maximum"
grep -qx '  vcpu.1.state=1' "$tmp/out" || fail "no vcpu.1.state"

# A shut-off domain: its state, and what its definition says of its
# vCPUs and disks; no counters.
vp -c $U -q "define $tmp/st.xml; domstats --list-shutoff"
expect_rc 0
expect_out "Domain: 'st'
  state.state=5
  state.reason=0
  vcpu.current=2
  vcpu.maximum=2
  vcpu.0.affinity=yyyyyyyy
  vcpu.1.affinity=yyyyyyyy
  block.count=2
  block.0.name=vda
  block.0.path=/img/a.qcow2
  block.0.allocation=1099511627776
  block.0.capacity=1099506450432
  block.0.physical=1099511627776
  block.1.name=vdb
  block.1.path=/img/b.raw
  block.1.allocation=1099511627776
  block.1.capacity=1099506450432
  block.1.physical=1099511627776"

vp -c $U "$D; domblkstat st vdb"
expect_rc 0
expect_out "Domain 'st' defined from $tmp/st.xml

Domain 'st' started

vdb rd_req 200
vdb rd_bytes 819200
vdb wr_req 100
vdb wr_bytes 409600
vdb flush_operations 20
vdb rd_total_times 2000000
vdb wr_total_times 4000000
vdb flush_total_times 1000000
"
vp -c $U -q "$D; domblkstat st /img/a.qcow2 --human"
expect_rc 0
expect_out "Device: /img/a.qcow2
 number of read operations:      100
 number of bytes read:           409600
 number of write operations:     50
 number of bytes written:        204800
 number of flush operations:     10
 total duration of reads (ns):   1000000
 total duration of writes (ns):  2000000
 total duration of flushes (ns): 500000"
# No device: the sum of all, as libvirt's QEMU driver gives it.
vp -c $U -q "$D; domblkstat st"
expect_rc 0
grep -qx ' rd_req 300' "$tmp/out" || fail "no summary of rd_req"

vp -c $U -q "$D; domifstat st tap7"
expect_rc 0
expect_out "tap7 rx_bytes 1048576
tap7 rx_packets 1024
tap7 rx_errs 0
tap7 rx_drop 1
tap7 tx_bytes 524288
tap7 tx_packets 512
tap7 tx_errs 0
tap7 tx_drop 0"

vp -c $U -q nodememstats
expect_rc 0
expect_out "total  :              3145728 KiB
free   :              1572864 KiB
buffers:                98304 KiB
cached :               786432 KiB"
vp -c $U -q nodememstats --cell 1
expect_rc 0
expect_out "total  :              1572864 KiB
free   :               786432 KiB"
vp -c $U nodememstats --cell 2
expect_rc 1
expect_err "error: invalid NUMA cell 2: the test host has cells 0 and 1"

vp -c $U domstats --perf
expect_rc 1
grep -q "option --perf of command 'domstats' is not supported" "$tmp/err" || fail "--perf accepted"

# --json: one document per verb, numbers as numbers.
for cmd in 'domstats' 'domstats --vcpu test' 'dommemstat test' 'nodememstats' 'nodecpustats' \
    'nodecpustats --percent' 'sysinfo' "$D; domblkstat st vda" "$D; domifstat st tap7"; do
    vp -c $U --json "$cmd"
    expect_rc 0
    "$JSON_QUERY" '#' <"$tmp/out" >/dev/null || fail "'$cmd --json' is not one JSON document"
done
vp -c $U --json domstats --state test
expect_rc 0
"$JSON_QUERY" result.0.domain <"$tmp/out" >"$tmp/jq"
[ "$(cat "$tmp/jq")" = test ] || fail "domstats --json: no domain"
grep -q '"state.state": 1,' "$tmp/out" || fail "domstats --json: no state.state number"
vp -c $U --json dommemstat test
"$JSON_QUERY" result.actual result.rss <"$tmp/out" >"$tmp/jq"
[ "$(tr '\n' ' ' <"$tmp/jq")" = "2097152 1048576 " ] || fail "dommemstat --json: $(cat "$tmp/jq")"
vp -c $U --json nodecpustats --cpu 2
"$JSON_QUERY" result.kernel <"$tmp/out" >"$tmp/jq"
[ "$(cat "$tmp/jq")" = 34678723400000 ] || fail "nodecpustats --json: $(cat "$tmp/jq")"

done_ok
