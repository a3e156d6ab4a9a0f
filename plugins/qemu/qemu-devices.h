/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-devices.h: the domain XML beyond the 1.0 subset (issue 15) that the
 * QEMU driver runs: <interface>, <graphics>, <video>, <input>,
 * <controller>, <memballoon>, <rng>, <features>, <cpu>, <clock>, <pm>,
 * and <metadata> (kept, nothing for QEMU).
 *
 * At define time the core's model is read into a JSON tree (the "extras"),
 * stored beside the definition, and turned into QEMU arguments at start.
 */
#ifndef VIRTPLUG_QEMU_DEVICES_H
#define VIRTPLUG_QEMU_DEVICES_H

#include <stdbool.h>

#include <json-c/json.h>

#include <virtplug/sdk/alloc.h>
#include <virtplug/sdk/conf.h>

VP_DEFINE_CLEANUP(json_object, json_object_put)

/* The elements of <domain> and of <devices> the extras hold; NULL-terminated. */
extern const char *const qemu_devices_domain_names[];
extern const char *const qemu_devices_device_names[];

/*
 * The extras of @model as a JSON object: one array per element name, each
 * element an object with "@attr" strings, "#text" and one array per child
 * element name, as the capability table (qemu-caps.c) declares them.
 * (transfer full) json_object_put(). Never fails.
 */
json_object *qemu_devices_from_model(const vp_domain_model *model);

/*
 * What the extras add to the command line: @ret_machine_opts
 * (",acpi=off,vmport=off", appended to -machine; may be ""), @ret_args
 * (NULL-terminated, vp_strv_free()), @ret_graphics (a display is
 * configured: no "-display none"). @tree may be NULL (no extras). @accel
 * is "kvm" or "tcg". Errors: VP_ERR_NOT_SUPPORTED for what the capability
 * table cannot express (a USB input without a USB controller).
 */
int qemu_devices_args(json_object *tree, const char *machine, const char *accel,
                      char **ret_machine_opts, char ***ret_args, bool *ret_graphics);

/* Whether @tree (may be NULL) asks for the RTC's catch-up lost-tick policy
 * (<timer name='rtc' tickpolicy='catchup'/>, QEMU's driftfix=slew): then
 * QEMU re-injects the ticks a paused guest missed, and a clock set from
 * the host must reset that (QMP rtc-reset-reinjection). */
bool qemu_devices_rtc_catchup(json_object *tree);

/* A value of a QemuOpts "key=value,..." list: a literal comma is written
 * twice. (transfer full) (qemu-command.c) */
char *qemu_opts_value(const char *s);

#endif /* VIRTPLUG_QEMU_DEVICES_H */
