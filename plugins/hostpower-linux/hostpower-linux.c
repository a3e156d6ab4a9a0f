/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * hostpower-linux.c: the Linux host-power plugin: configuration and vtable.
 *
 * Owns reading hostpower.conf (every path the plugin touches comes from
 * it, so tests point them at fakes) and the vtable the core calls. The
 * mechanism is in hpl-rtc.c (wake alarm) and hpl-suspend.c (back ends);
 * the policy (limits, lock, delay, record) is the core's. When
 * VIRTPLUG_HOSTPOWER_CONF names a file that does not exist, opening fails:
 * the real host's defaults are used only when no override is set.
 */
#include <config.h>

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <virtplug/sdk/plugin.h>

#include "hpl.h"

static const char *const known_keys[] = {"backend",
                                         "sysfs_root",
                                         "pm_is_supported",
                                         "pm_suspend",
                                         "pm_hibernate",
                                         "pm_suspend_hybrid",
                                         "systemctl",
                                         "rtcwake",
                                         "rtc_device",
                                         "rtc_dev_dir",
                                         "systemd_booted_dir",
                                         "suspend_delay_ms",
                                         "mem_sleep",
                                         "guests", /* the core's (node-suspend-guests.c) */
                                         NULL};

static void
hpl_close(void *priv)
{
    hpl *hp = priv;
    if (!hp)
        return;
    pthread_mutex_destroy(&hp->lock);
    free(hp->conf_path);
    free(hp->mem_sleep);
    free(hp->wakeup_count);
    free(hp->sysfs_root);
    free(hp->pm_is_supported);
    free(hp->pm_suspend);
    free(hp->pm_hibernate);
    free(hp->pm_suspend_hybrid);
    free(hp->systemctl);
    free(hp->rtcwake);
    free(hp->rtc_device);
    free(hp->rtc_dev_dir);
    free(hp->systemd_booted_dir);
    free(hp);
}
VP_DEFINE_CLEANUP(hpl, hpl_close)
VP_DEFINE_CLEANUP(vp_plugin_conf, vp_plugin_conf_free)

static int
parse_backend(const vp_plugin_conf *conf, const char *path, hpl_backend *ret)
{
    const char *v = vp_plugin_conf_get(conf, "backend", "auto");
    for (hpl_backend b = HPL_BACKEND_AUTO; b <= HPL_BACKEND_SYSFS; b++) {
        if (strcmp(v, hpl_backend_name(b)) == 0) {
            *ret = b;
            return 0;
        }
    }
    return vp_plugin_error_set(VP_ERR_INVALID_ARG,
                               "%s: key 'backend' is '%s'; use auto, pm-utils, systemd or sysfs",
                               path, v);
}

/* auto (NULL) keeps the kernel's selection; hpl-suspend.c checks the
 * other values against sys/power/mem_sleep when it is about to use them. */
static int
parse_mem_sleep(const vp_plugin_conf *conf, const char *path, char **ret)
{
    static const char *const variants[] = {"s2idle", "shallow", "deep"};
    const char *v = vp_plugin_conf_get(conf, "mem_sleep", "auto");
    if (strcmp(v, "auto") == 0)
        return 0;
    for (size_t i = 0; i < sizeof(variants) / sizeof(variants[0]); i++) {
        if (strcmp(v, variants[i]) == 0) {
            *ret = vp_strdup(v);
            return 0;
        }
    }
    return vp_plugin_error_set(VP_ERR_INVALID_ARG,
                               "%s: key 'mem_sleep' is '%s'; use auto, s2idle, shallow or deep",
                               path, v);
}

static int
get_path(const vp_plugin_conf *conf, const char *path, const char *key, const char *fallback,
         char **ret)
{
    const char *v = vp_plugin_conf_get(conf, key, fallback);
    if (v[0] != '/')
        return vp_plugin_error_set(VP_ERR_INVALID_ARG,
                                   "%s: key '%s' needs an absolute path, not '%s'", path, key, v);
    *ret = vp_strdup(v);
    return 0;
}

static int
load_paths(hpl *hp, const vp_plugin_conf *conf)
{
    static const struct {
        const char *key;
        const char *fallback;
        size_t offset;
    } paths[] = {
        {"pm_is_supported", "/usr/bin/pm-is-supported", offsetof(hpl, pm_is_supported)},
        {"pm_suspend", "/usr/sbin/pm-suspend", offsetof(hpl, pm_suspend)},
        {"pm_hibernate", "/usr/sbin/pm-hibernate", offsetof(hpl, pm_hibernate)},
        {"pm_suspend_hybrid", "/usr/sbin/pm-suspend-hybrid", offsetof(hpl, pm_suspend_hybrid)},
        {"systemctl", "/usr/bin/systemctl", offsetof(hpl, systemctl)},
        {"rtcwake", "/usr/sbin/rtcwake", offsetof(hpl, rtcwake)},
        {"rtc_dev_dir", "/dev", offsetof(hpl, rtc_dev_dir)},
        {"systemd_booted_dir", "/run/systemd/system", offsetof(hpl, systemd_booted_dir)},
        {"sysfs_root", "/", offsetof(hpl, sysfs_root)},
    };
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        int r = get_path(conf, hp->conf_path, paths[i].key, paths[i].fallback,
                         (char **)((char *)hp + paths[i].offset));
        if (r < 0)
            return r;
    }
    size_t n = strlen(hp->sysfs_root);
    while (n > 0 && hp->sysfs_root[n - 1] == '/')
        hp->sysfs_root[--n] = '\0';
    const char *dev = vp_plugin_conf_get(conf, "rtc_device", "rtc0");
    if (!*dev || strchr(dev, '/') || strcmp(dev, ".") == 0 || strcmp(dev, "..") == 0)
        return vp_plugin_error_set(
            VP_ERR_INVALID_ARG, "%s: key 'rtc_device' needs a device name such as 'rtc0', not '%s'",
            hp->conf_path, dev);
    hp->rtc_device = vp_strdup(dev);
    return 0;
}

static int
load_conf(hpl *hp, const vp_plugin_uri *uri)
{
    const char *env = secure_getenv("VIRTPLUG_HOSTPOWER_CONF");
    bool overridden = env && *env;
    hp->conf_path = vp_strdup(vp_plugin_hostpower_conf_path());
    _cleanup_(vp_plugin_conf_freep) vp_plugin_conf *conf = NULL;
    if (overridden && !hpl_exists(hp->conf_path))
        return vp_plugin_error_set(
            VP_ERR_INVALID_ARG,
            "host-power configuration '%s' (from VIRTPLUG_HOSTPOWER_CONF) does not exist; create it or unset the variable",
            hp->conf_path);
    int r = vp_plugin_conf_load(hp->conf_path, known_keys, true, &conf);
    if (r >= 0)
        r = parse_backend(conf, hp->conf_path, &hp->backend);
    if (r >= 0)
        r = parse_mem_sleep(conf, hp->conf_path, &hp->mem_sleep);
    if (r >= 0)
        r = load_paths(hp, conf);
    if (r >= 0)
        r = vp_plugin_conf_get_uint(conf, "suspend_delay_ms", 10000, &hp->delay_ms);
    if (r < 0)
        return r;
    const char *delay = uri ? vp_plugin_uri_get_param(uri, "suspend_delay_ms") : NULL;
    if (delay) {
        char *end;
        unsigned long v = strtoul(delay, &end, 10);
        if (!*delay || *delay == '-' || *end || v > UINT_MAX)
            return vp_plugin_error_set(
                VP_ERR_INVALID_ARG,
                "URI parameter 'suspend_delay_ms' needs an unsigned integer, not '%s'", delay);
        hp->delay_ms = (unsigned int)v;
    }
    return 0;
}

static int
hpl_open(const vp_plugin_uri *uri, void **ret_priv)
{
    _cleanup_(hpl_closep) hpl *hp = vp_new0(hpl, 1);
    pthread_mutex_init(&hp->lock, NULL);
    int r = load_conf(hp, uri);
    if (r < 0)
        return r;
    VP_PLUGIN_DEBUG("hostpower-linux", "configuration '%s': backend '%s', sysfs root '%s/'",
                    hp->conf_path, hpl_backend_name(hp->backend), hp->sysfs_root);
    *ret_priv = VP_STEAL_PTR(hp);
    return 0;
}

static int
hpl_get_capabilities(void *priv, unsigned int *ret_targets)
{
    return hpl_capabilities(priv, ret_targets);
}

static int
hpl_get_suspend_delay_ms(void *priv, unsigned int *ret_delay_ms)
{
    const hpl *hp = priv;
    *ret_delay_ms = hp->delay_ms;
    return 0;
}

static int
hpl_wake_alarm_arm(void *priv, uint64_t duration_s, int64_t *ret_wake_at_us)
{
    return hpl_alarm_arm(priv, duration_s, ret_wake_at_us);
}

static int
hpl_wake_alarm_clear(void *priv)
{
    return hpl_alarm_clear(priv);
}

static int
hpl_suspend_slot(void *priv, unsigned int target, int *ret_state)
{
    return hpl_suspend(priv, target, ret_state);
}

static const vp_hostpower_driver hostpower_linux_driver = {
    .open = hpl_open,
    .close = hpl_close,
    .get_capabilities = hpl_get_capabilities,
    .get_suspend_delay_ms = hpl_get_suspend_delay_ms,
    .wake_alarm_arm = hpl_wake_alarm_arm,
    .wake_alarm_clear = hpl_wake_alarm_clear,
    .suspend = hpl_suspend_slot,
};

VP_PLUGIN_DEFINE(hostpower_linux, .name = "hostpower-linux", .version = PACKAGE_VERSION,
                 .license = "LGPL-2.1-or-later",
                 .description = "Linux host power: RTC wake alarm, pm-utils/systemd/sysfs suspend",
                 .package = "virtplug-plugin-hostpower-linux", .hostpower = &hostpower_linux_driver,
                 .hostpower_size = sizeof(hostpower_linux_driver));
