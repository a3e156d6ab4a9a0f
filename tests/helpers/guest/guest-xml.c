/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * guest-xml.c: the tiny test guest's domain XML, one definition for the
 * tests and the benchmarks, for virtplug and for libvirt (no library
 * needed: the libvirt anchor program links only libvirt). <features>
 * names ACPI: without it libvirt turns ACPI off while virtplug keeps
 * QEMU's default (on), and the two guests would not be the same machine
 * (ACPI costs this guest about 0.5 s of TCG CPU to boot).
 */
#include <config.h>

#include <stdio.h>

#include "guest.h"

int
vp_test_guest_xml(char *buf, size_t size, const char *type, const char *name, const char *guest_dir,
                  const char *dir, const char *extra_devices)
{
    int n = snprintf(buf, size,
                     "<domain type='%s'>\n"
                     "  <name>%s</name>\n"
                     "  <memory unit='MiB'>256</memory>\n"
                     "  <vcpu>1</vcpu>\n"
                     "  <os>\n"
                     "    <type arch='x86_64' machine='pc'>hvm</type>\n"
                     "    <kernel>%s/vmlinuz</kernel>\n"
                     "    <initrd>%s/initramfs.gz</initrd>\n"
                     "    <cmdline>console=ttyS0 quiet panic=-1</cmdline>\n"
                     "  </os>\n"
                     "  <features><acpi/><apic/></features>\n"
                     "  <devices>\n"
                     "    <disk type='file' device='disk'>\n"
                     "      <driver name='qemu' type='qcow2'/>\n"
                     "      <source file='%s/disk.qcow2'/>\n"
                     "      <target dev='vda' bus='virtio'/>\n"
                     "    </disk>\n"
                     "    <channel type='unix'>\n"
                     "      <target type='virtio' name='org.qemu.guest_agent.0'/>\n"
                     "    </channel>\n"
                     "    <serial type='file'><source path='%s/console.log'/></serial>\n"
                     "%s"
                     "  </devices>\n"
                     "</domain>\n",
                     type, name, guest_dir, guest_dir, dir, dir, extra_devices);
    return n > 0 && (size_t)n < size ? 0 : -1;
}
