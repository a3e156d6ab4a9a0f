/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * guest.h: the tiny test guest for tests that boot a real Linux with
 * qemu-ga (tests/helpers/guest/build-guest.sh builds it once per build
 * tree, under $VP_TOP_BUILDDIR/tests/guest).
 */
#ifndef VIRTPLUG_TESTS_GUEST_H
#define VIRTPLUG_TESTS_GUEST_H

/* Build the guest if needed. Returns 0 and the directory holding vmlinuz,
 * initramfs.gz and disk.qcow2 in @ret_dir (free() it), 77 when it cannot be
 * built here (the reason is on stderr: the caller skips), or -1 on error. */
int vp_test_guest_prepare(char **ret_dir);

#include <stddef.h>

/* Copy the guest's empty disk @guest_dir/disk.qcow2 to @dir/disk.qcow2,
 * for a domain of its own. 0, or -1 (said on stderr). */
int vp_test_guest_copy_disk(const char *guest_dir, const char *dir);

/* The guest's domain XML into @buf: domain type @type ("qemu" for TCG,
 * "kvm" to let the driver probe), @name, the kernel and initramfs of
 * @guest_dir, the disk @dir/disk.qcow2, the agent channel, the console in
 * @dir/console.log, and @extra_devices (XML lines, or ""). 0, or -1 when
 * it does not fit. */
int vp_test_guest_xml(char *buf, size_t size, const char *type, const char *name,
                      const char *guest_dir, const char *dir, const char *extra_devices);

#endif /* VIRTPLUG_TESTS_GUEST_H */
