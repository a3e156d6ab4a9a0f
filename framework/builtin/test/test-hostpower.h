/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * builtin/test/test-hostpower.h: the test driver's simulated host power.
 */
#ifndef VIRTPLUG_TEST_HOSTPOWER_H
#define VIRTPLUG_TEST_HOSTPOWER_H

#include <stdbool.h>
#include <stdint.h>

#include <virtplug/sdk/driver.h>

__attribute__((visibility("hidden"))) extern const vp_hostpower_driver vpi_test_hostpower_driver;

/* What the simulated host did, for tests of the core: whether its alarm is
 * armed, and every call it served, one word each ("arm:60 clear suspend:mem"),
 * in @ret_log (transfer full, free()). */
__attribute__((visibility("hidden"))) void vpi_test_hostpower_inspect(void *priv, bool *ret_armed,
                                                                      char **ret_log);

#endif
