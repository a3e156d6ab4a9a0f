/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * stats.h: how a driver hands statistics to the core: it appends typed
 * values (virtplug.h, vp_typed_params) to the list the core gives its
 * domain_get_stats, node_get_memory_stats and node_get_cpu_stats slots
 * (driver.h). Keys and units are libvirt's; the groups and keys each slot
 * reports are listed in virtplug-stats.h.
 *
 * Since: 1.1
 */
#ifndef VIRTPLUG_SDK_STATS_H
#define VIRTPLUG_SDK_STATS_H

#include <virtplug/virtplug.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * vp_plugin_typed_params_add_ullong: append @value under the key that
 * @field_fmt (a printf format: "block.%zu.rd.bytes") makes. The key is
 * copied. A key longer than 255 bytes is cut. Cannot fail (out of memory
 * aborts). Not thread-safe on one list. Since: 1.1
 */
void vp_plugin_typed_params_add_ullong(vp_typed_params *params, unsigned long long value,
                                       const char *field_fmt, ...)
    __attribute__((format(printf, 3, 4)));
/** vp_plugin_typed_params_add_llong: as add_ullong for a LLONG. Since: 1.1 */
void vp_plugin_typed_params_add_llong(vp_typed_params *params, long long value,
                                      const char *field_fmt, ...)
    __attribute__((format(printf, 3, 4)));
/** vp_plugin_typed_params_add_uint: as add_ullong for a UINT. Since: 1.1 */
void vp_plugin_typed_params_add_uint(vp_typed_params *params, unsigned int value,
                                     const char *field_fmt, ...)
    __attribute__((format(printf, 3, 4)));
/** vp_plugin_typed_params_add_int: as add_ullong for an INT. Since: 1.1 */
void vp_plugin_typed_params_add_int(vp_typed_params *params, int value, const char *field_fmt, ...)
    __attribute__((format(printf, 3, 4)));
/** vp_plugin_typed_params_add_double: as add_ullong for a DOUBLE. Since: 1.1 */
void vp_plugin_typed_params_add_double(vp_typed_params *params, double value, const char *field_fmt,
                                       ...) __attribute__((format(printf, 3, 4)));
/**
 * vp_plugin_typed_params_add_string: as add_ullong for a STRING; @value is
 * copied (NULL is stored as ""). Since: 1.1
 */
void vp_plugin_typed_params_add_string(vp_typed_params *params, const char *value,
                                       const char *field_fmt, ...)
    __attribute__((format(printf, 3, 4)));

#ifdef __cplusplus
}
#endif

#endif /* VIRTPLUG_SDK_STATS_H */
