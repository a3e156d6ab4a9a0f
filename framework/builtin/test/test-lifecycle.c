/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * builtin/test/test-lifecycle.c: the test driver's reboot and reset.
 *
 * Owns what the simulated host does when a domain is rebooted or reset:
 * as libvirt's test driver, a reboot carries out the domain's <on_reboot>
 * (restart: running again, booted; destroy: shut off) and a reset only
 * checks that the domain runs; the autostart mark is a flag of the domain
 * (in memory, as all of this host). Nothing here persists and nothing
 * touches the real host.
 */
#include <config.h>

#include <string.h>

#include "internal.h"
#include "builtin/test/test-driver.h"

/* Under host->lock: VP_ERR_OPERATION_INVALID unless @dom is running or paused. */
static int
require_active(const test_domain *dom, const char *what)
{
    if (dom->state == VP_DOMAIN_RUNNING || dom->state == VP_DOMAIN_PAUSED)
        return 0;
    return vp_error_set(VP_ERR_OPERATION_INVALID, "cannot %s domain '%s': it is not running", what,
                        dom->def->name);
}

static int
op_reboot(test_host *host, test_domain *dom)
{
    int r = require_active(dom, "reboot");
    if (r < 0)
        return r;
    if (dom->def->on_reboot && strcmp(dom->def->on_reboot, "destroy") == 0) {
        test_domain_set_state(host, dom, VP_DOMAIN_SHUTOFF, VP_DOMAIN_SHUTOFF_SHUTDOWN);
        return 0;
    }
    dom->clock_offset_ns = 0; /* a rebooted guest reads its clock again */
    test_domain_set_state(host, dom, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_BOOTED);
    return 0;
}

static int
op_reset(test_host *host, test_domain *dom)
{
    return require_active(dom, "reset");
}

int
test_domain_reboot(void *priv, const char *name, unsigned int flags)
{
    /* Both ways end the same on a simulated guest. */
    int r = test_check_flags("domain-reboot", flags,
                             VP_DOMAIN_REBOOT_ACPI_POWER_BTN | VP_DOMAIN_REBOOT_GUEST_AGENT);
    return r < 0 ? r : test_domain_op(priv, name, 0, "domain-reboot", op_reboot);
}

int
test_domain_reset(void *priv, const char *name, unsigned int flags)
{
    return test_domain_op(priv, name, flags, "domain-reset", op_reset);
}

int
test_domain_set_autostart(void *priv, const char *name, int autostart)
{
    test_host *host = priv;
    test_domain *dom = NULL;
    pthread_mutex_lock(&host->lock);
    int r = test_host_get(host, name, &dom);
    if (r >= 0)
        dom->autostart = autostart != 0;
    pthread_mutex_unlock(&host->lock);
    return r;
}

int
test_domain_get_autostart(void *priv, const char *name, int *ret_autostart)
{
    test_host *host = priv;
    test_domain *dom = NULL;
    pthread_mutex_lock(&host->lock);
    int r = test_host_get(host, name, &dom);
    if (r >= 0)
        *ret_autostart = dom->autostart;
    pthread_mutex_unlock(&host->lock);
    return r;
}
