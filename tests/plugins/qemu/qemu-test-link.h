/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-test-link.h: what a virtio-net NIC's guest sees of its link, read
 * from the running QEMU (QEMU 7.2's info network does not show a link
 * set down; the NIC's config space does).
 */
#ifndef VIRTPLUG_TESTS_QEMU_TEST_LINK_H
#define VIRTPLUG_TESTS_QEMU_TEST_LINK_H

#include <stdbool.h>

#include "qemu-monitor.h"

/* Whether the virtio-net NIC @id reports its link up (its config space's
 * status, read through its I/O BAR with HMP i once the firmware placed
 * it): 1, 0, or -1 when it cannot be read within 20 s. */
int qt_nic_link_up(qemu_monitor *mon, const char *id);

#endif /* VIRTPLUG_TESTS_QEMU_TEST_LINK_H */
