/*
 * builtin/test/test-hostpower.h: the test driver's simulated host power.
 */
#ifndef VIRTPLUG_TEST_HOSTPOWER_H
#define VIRTPLUG_TEST_HOSTPOWER_H

#include <virtplug/sdk/driver.h>

__attribute__((visibility("hidden"))) extern const vp_hostpower_driver vpi_test_hostpower_driver;

#endif
