#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# test-vpsh-devices.sh: domblklist and domiflist on test:///default, read
# from the domain's XML as virsh reads it: virsh's tables, '-' for what the
# XML does not say, entities decoded, --json.
set -eu
. "$(dirname "$0")/vpsh-lib.sh"
U=test:///default

cat >"$tmp/devs.xml" <<'XML'
<domain type='test'>
  <name>devs</name>
  <memory unit='MiB'>64</memory>
  <os><type>hvm</type></os>
  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='/var/lib/a &amp; b.qcow2'/>
      <backingStore type='file'><source file='/var/lib/base.qcow2'/></backingStore>
      <target dev='vda' bus='virtio'/>
    </disk>
    <disk type='file' device='cdrom'><target dev='sdb' bus='sata'/><readonly/></disk>
    <disk type='block' device='disk'><source dev='/dev/sdz'/><target dev='vdb' bus='virtio'/></disk>
    <interface type='network'><mac address='52:54:00:aa:bb:cc'/><source network='default'/><model type='virtio'/></interface>
    <interface type='bridge'><mac address='52:54:00:aa:bb:cd'/><source bridge='br0'/><target dev='vnet7'/><model type='e1000e'/></interface>
    <interface type='user'><mac address='52:54:00:aa:bb:ce'/></interface>
  </devices>
</domain>
XML

vp -c $U "define $tmp/devs.xml; domblklist devs; domblklist --domain devs --details; domiflist devs"
expect_rc 0
expect_err ""
expect_out "Domain 'devs' defined from $tmp/devs.xml

 Target   Source
--------------------------------
 vda      /var/lib/a & b.qcow2
 sdb      -
 vdb      /dev/sdz

 Type    Device   Target   Source
-------------------------------------------------
 file    disk     vda      /var/lib/a & b.qcow2
 file    cdrom    sdb      -
 block   disk     vdb      /dev/sdz

 Interface   Type      Source    Model    MAC
-------------------------------------------------------------
 -           network   default   virtio   52:54:00:aa:bb:cc
 vnet7       bridge    br0       e1000e   52:54:00:aa:bb:cd
 -           user      -         -        52:54:00:aa:bb:ce
"
vp -c $U --json "define $tmp/devs.xml; domblklist devs; domiflist devs"
expect_rc 0
expect_json "3
/var/lib/a & b.qcow2
cdrom
null
3
vnet7
br0
null" 1.disks.# 1.disks.0.source 1.disks.1.device 1.disks.1.source 2.interfaces.# \
    2.interfaces.1.interface 2.interfaces.1.source 2.interfaces.2.model

# The test domain has libvirt's disk and no interface (its table's
# header only).
vp -c $U "domblklist test; domiflist test"
expect_rc 0
expect_out " Target   Source
-----------------------------
 vda      /guest/diskimage1

 Interface   Type   Source   Model   MAC
------------------------------------------
"
vp -c $U domblklist nosuch
expect_rc 1
expect_err "error: failed to get domain 'nosuch'"
# --inactive: the definition the next start uses.
cat >"$tmp/next.xml" <<'XML'
<domain type='test'>
  <name>test</name>
  <uuid>6695eb01-f6a4-8304-79aa-97f2502e193f</uuid>
  <memory unit='KiB'>262144</memory>
  <os><type>hvm</type></os>
  <devices>
    <disk type='file' device='disk'>
      <source file='/guest/next.img'/>
      <target dev='vdb' bus='virtio'/>
    </disk>
  </devices>
</domain>
XML
vp -c $U "define $tmp/next.xml; domblklist test; domblklist test --inactive --details; domiflist test --inactive"
expect_rc 0
expect_out "Domain 'test' defined from $tmp/next.xml

 Target   Source
-----------------------------
 vda      /guest/diskimage1

 Type   Device   Target   Source
-------------------------------------------
 file   disk     vdb      /guest/next.img

 Interface   Type   Source   Model   MAC
------------------------------------------
"

echo "ok: $checks checks"
