/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * hostpower-bsd.c: the hostpower-bsd plugin's descriptor and vtable.
 *
 * Owns the vp_hostpower_driver of FreeBSD, OpenBSD and NetBSD: it opens a
 * bsd_host from hostpower.conf, answers capability and delay queries, and
 * refuses every wake alarm, because no BSD can program the RTC to wake the
 * host. That refusal is what makes the core's policy turn a timed suspend
 * down before anything happens. It must never include core headers or
 * keep state between calls other than the immutable bsd_host.
 */
#include <virtplug/sdk/plugin.h>
#include <virtplug/sdk/services.h>

#include "bsd-host.h"

static int
hostpower_bsd_open(const vp_plugin_uri *uri, void **ret_priv)
{
    bsd_host *host;
    int r = bsd_host_new(vp_plugin_hostpower_conf_path(), &bsd_real_ops, &host);
    if (r < 0)
        return r;
    VP_PLUGIN_DEBUG("hostpower-bsd", "opened for %s (configuration '%s')", bsd_os_name(host->os),
                    host->conf_path);
    *ret_priv = host;
    return 0;
}

static void
hostpower_bsd_close(void *priv)
{
    bsd_host_free(priv);
}

static int
hostpower_bsd_get_capabilities(void *priv, unsigned int *ret_targets)
{
    return bsd_sleep_capabilities(priv, ret_targets);
}

static int
hostpower_bsd_get_suspend_delay_ms(void *priv, unsigned int *ret_delay_ms)
{
    const bsd_host *host = priv;
    *ret_delay_ms = host->suspend_delay_ms;
    return 0;
}

static int
hostpower_bsd_wake_alarm_arm(void *priv, uint64_t duration_s, int64_t *ret_wake_at_us)
{
    const bsd_host *host = priv;
    return vp_plugin_error_set(
        VP_ERR_NOT_SUPPORTED,
        "the BSDs have no RTC wake alarm, so %s cannot wake itself after %llu s; suspend without one with VP_NODE_SUSPEND_NO_WAKEUP ('vpsh nodesuspend TARGET 0 --no-wakeup') and wake the host by another source (power button, keyboard, lid, Wake-on-LAN)",
        bsd_os_name(host->os), (unsigned long long)duration_s);
}

/* Nothing can have been armed (see wake_alarm_arm): clearing always succeeds. */
static int
hostpower_bsd_wake_alarm_clear(void *priv)
{
    return 0;
}

static int
hostpower_bsd_suspend(void *priv, unsigned int target, int *ret_state)
{
    return bsd_sleep_suspend(priv, target, ret_state);
}

static const vp_hostpower_driver hostpower_bsd_driver = {
    .open = hostpower_bsd_open,
    .close = hostpower_bsd_close,
    .get_capabilities = hostpower_bsd_get_capabilities,
    .get_suspend_delay_ms = hostpower_bsd_get_suspend_delay_ms,
    .wake_alarm_arm = hostpower_bsd_wake_alarm_arm,
    .wake_alarm_clear = hostpower_bsd_wake_alarm_clear,
    .suspend = hostpower_bsd_suspend,
};

/* One descriptor field per line reads best. */
/* clang-format off */
VP_PLUGIN_DEFINE(hostpower_bsd,
                 .name = "hostpower-bsd",
                 .version = "1.0.0",
                 .license = "LGPL-2.1-or-later",
                 .description = "host suspend on FreeBSD, OpenBSD and NetBSD (no RTC wake alarm)",
                 .package = "virtplug-plugin-hostpower-bsd",
                 .hostpower = &hostpower_bsd_driver,
                 .hostpower_size = sizeof(hostpower_bsd_driver));
/* clang-format on */
