/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-revert-util.h: helpers of test-qemu-revert.c (qemu-revert-util.c):
 * another domain on an image, and QMP to a running domain's QEMU.
 */
#ifndef VIRTPLUG_TESTS_QEMU_REVERT_UTIL_H
#define VIRTPLUG_TESTS_QEMU_REVERT_UTIL_H

#include <stdbool.h>

#include <json-c/json.h>

#include "qemu-image-util.h"

#define QR_LAYERS 6 /* patterns 0..5 may be written */

/* @image reads exactly the patterns of @want (a string of layer digits). */
void qr_assert_layers(const char *image, const char *want);
/* A snapshot @name of @dom from a bare <domainsnapshot>; the test fails
 * if it cannot be taken. */
void qr_snapshot(vp_domain *dom, const char *name, unsigned int flags);
/* Revert @dom to its snapshot @name: vp_snapshot_revert()'s result. */
int qr_revert(vp_domain *dom, const char *name, unsigned int flags);
void qr_revert_ok(vp_domain *dom, const char *name, unsigned int flags);
/* A fixture whose base holds internal snapshot i1 (layer 0), then layer
 * 1; shut off. */
qi_fixture *qr_internal_fixture(void);

/* Whether @image's backing file (qemu-img info) is @backing. */
bool qr_backed_by(const char *image, const char *backing);
/* Another domain, @name, on a new image over @backing; returns the image.
 * (transfer full) */
char *qr_other_domain(qi_fixture *f, const char *name, const char *backing, vp_domain **ret_dom);
/* Another domain, @name, with @n_disks disks on @bus ("virtio": vda,
 * vdb, ...; "ide": hda, hdb, ...), each on a new image over @backing
 * (ROOT/NAME.qcow2, then ROOT/NAME-vdb.qcow2, ...), their <driver>
 * carrying @driver_attrs (" discard='unmap'", or "") too. Returns the
 * images (vp_strv_free()). (transfer full) */
char **qr_other_domain_disks(qi_fixture *f, const char *name, const char *backing, size_t n_disks,
                             const char *bus, const char *driver_attrs, vp_domain **ret_dom);
/* QMP @cmd with @args (JSON text, NULL: none) to the QEMU of domain
 * @name; its return. (transfer full) */
json_object *qr_qmp_call(const qi_fixture *f, const char *name, const char *cmd, const char *args);
void qr_qmp_ok(const qi_fixture *f, const char *name, const char *cmd, const char *args);
/* The guest of running domain @name reads exactly the layers of @want. */
void qr_assert_guest_layers(const qi_fixture *f, const char *name, const char *want);
/* The same through its disk @dev. */
void qr_assert_disk_layers(const qi_fixture *f, const char *name, const char *dev,
                           const char *want);
/* The block node of the QEMU of @name on @file, or NULL. (transfer full) */
json_object *qr_qemu_node_on(const qi_fixture *f, const char *name, const char *file);

#endif /* VIRTPLUG_TESTS_QEMU_REVERT_UTIL_H */
