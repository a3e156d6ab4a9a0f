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

/* Whether @image's backing file (qemu-img info) is @backing. */
bool qr_backed_by(const char *image, const char *backing);
/* Another domain, @name, on a new image over @backing; returns the image.
 * (transfer full) */
char *qr_other_domain(qi_fixture *f, const char *name, const char *backing, vp_domain **ret_dom);
/* QMP @cmd with @args (JSON text, NULL: none) to the QEMU of domain
 * @name; its return. (transfer full) */
json_object *qr_qmp_call(const qi_fixture *f, const char *name, const char *cmd, const char *args);
void qr_qmp_ok(const qi_fixture *f, const char *name, const char *cmd, const char *args);
/* The guest of running domain @name reads exactly the layers of @want. */
void qr_assert_guest_layers(const qi_fixture *f, const char *name, const char *want);
/* The block node of the QEMU of @name on @file, or NULL. (transfer full) */
json_object *qr_qemu_node_on(const qi_fixture *f, const char *name, const char *file);

#endif /* VIRTPLUG_TESTS_QEMU_REVERT_UTIL_H */
