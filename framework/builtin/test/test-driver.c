/*
 * builtin/test/test-driver.c: the embedded test:///default driver.
 *
 * Registered through the same descriptor checks as a plugin file. Not
 * written yet: its vtable is empty, so every call reports "not supported".
 */
#include <config.h>

#include "internal.h"
#include "builtin/test/test-hostpower.h"

static int
test_conn_open(const vp_plugin_uri *uri, unsigned int flags, void **ret_priv)
{
    return vp_error_set(VP_ERR_NOT_SUPPORTED, "the test driver is not implemented in this build");
}

static const vp_hypervisor_driver test_hypervisor = {
    .conn_open = test_conn_open,
};

VP_PLUGIN_DEFINE(test,
                 .name = "test",
                 .version = PACKAGE_VERSION,
                 .license = "LGPL-2.1-or-later",
                 .description = "embedded in-memory test driver (test:///default)",
                 .package = "libvirtplug1",
                 .hypervisor = &test_hypervisor,
                 .hypervisor_size = sizeof(test_hypervisor),
                 .hostpower = &vpi_test_hostpower_driver,
                 .hostpower_size = sizeof(vpi_test_hostpower_driver));
