/*
 * builtin/test/test-hostpower.c: the test driver's simulated host power.
 *
 * Not written yet: its vtable is empty, so node-power calls on test://
 * report "not supported".
 */
#include <config.h>

#include "internal.h"
#include "builtin/test/test-hostpower.h"

const vp_hostpower_driver vpi_test_hostpower_driver = {0};
