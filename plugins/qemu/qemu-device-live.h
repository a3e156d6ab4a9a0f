/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-device-live.h: what qemu-device-live.c (the live change of a
 * medium or a link) and qemu-device-live-xml.c (what the running XML
 * shows of them) share: the members of RUN/NAME.live-meta they keep, and
 * the small helpers on the extras tree and on live-meta's objects.
 */
#ifndef VIRTPLUG_QEMU_DEVICE_LIVE_H
#define VIRTPLUG_QEMU_DEVICE_LIVE_H

#include <stdbool.h>

#include <json-c/json.h>

/* Target dev -> the medium's file or block device QEMU has, or null. */
#define QEMU_LIVE_MEDIA "media"
/* Target dev -> the <disk type> of that medium: "file" or "block"; null
 * or absent: the definition's type. */
#define QEMU_LIVE_MEDIA_TYPES "media-types"
/* Target dev -> the medium a change asked for and QEMU may not have yet. */
#define QEMU_LIVE_MEDIA_INTENT "media-intent"
/* Target dev -> true when its tray is open, false when closed: the tray
 * moves (the guest's own too) that a confirmation of the events log
 * covered (qemu-events-log.c); absent: closed, as QEMU starts it. */
#define QEMU_LIVE_TRAYS "trays"
/* MAC -> "up", "down", or null for QEMU's default. */
#define QEMU_LIVE_LINKS "links"
/* MAC -> QEMU's id of the NIC. */
#define QEMU_LIVE_NIC_IDS "nic-ids"

/* Whether the <disk> @disk of an extras tree is a cdrom or a floppy. */
bool qemu_device_live_removable(json_object *disk);
/* The file or block device of @disk's <source>, or NULL. (transfer none) */
const char *qemu_device_live_source(json_object *disk);
/* The object member @key of @o, made empty when it is not an object.
 * (transfer none) */
json_object *qemu_device_live_member(json_object *o, const char *key);
/* @o's member @key set to the string @v, or to null when @v is NULL. */
void qemu_device_live_put(json_object *o, const char *key, const char *v);

#endif
