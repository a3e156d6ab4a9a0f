/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * bsd-host.c: building a bsd_host from hostpower.conf.
 *
 * Owns the configuration keys of hostpower-bsd, their defaults, and the
 * choice of OS (the "os" key, or uname() for "auto"). It never runs a
 * command: probing and suspending live in bsd-sleep.c.
 */
#include <string.h>
#include <strings.h>

#include <virtplug/sdk/services.h>

#include "bsd-host.h"

static const char *const bsd_conf_keys[] = {
    "os",  "sysctl",           "acpiconf", "zzz",
    "apm", "suspend_delay_ms", "guests", /* the core's (node-suspend-guests.c) */
    NULL,
};

/* Where the base systems install them: the same on all three BSDs. */
#define BSD_DEFAULT_SYSCTL "/sbin/sysctl"
#define BSD_DEFAULT_ACPICONF "/usr/sbin/acpiconf"
#define BSD_DEFAULT_ZZZ "/usr/sbin/zzz"
#define BSD_DEFAULT_APM "/usr/sbin/apm"

static void
bsd_conf_freep(vp_plugin_conf **conf)
{
    vp_plugin_conf_free(*conf);
}

static const char *const bsd_os_names[BSD_OS_LAST] = {"FreeBSD", "OpenBSD", "NetBSD"};

const char *
bsd_os_name(bsd_os os)
{
    return os < BSD_OS_LAST ? bsd_os_names[os] : "unknown";
}

int
bsd_os_from_sysname(const char *sysname, bsd_os *ret_os)
{
    static const struct {
        const char *sysname;
        bsd_os os;
    } map[] = {
        {"FreeBSD", BSD_OS_FREEBSD},
        {"DragonFly", BSD_OS_FREEBSD},
        {"OpenBSD", BSD_OS_OPENBSD},
        {"NetBSD", BSD_OS_NETBSD},
    };
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
        if (strcmp(sysname, map[i].sysname) == 0) {
            *ret_os = map[i].os;
            return 0;
        }
    }
    return -1;
}

void
bsd_host_free(bsd_host *host)
{
    if (!host)
        return;
    free(host->conf_path);
    free(host->sysctl);
    free(host->acpiconf);
    free(host->zzz);
    free(host->apm);
    free(host);
}

static int
bsd_host_pick_os(bsd_host *host, const char *value)
{
    if (strcasecmp(value, "auto") != 0) {
        for (int os = 0; os < BSD_OS_LAST; os++) {
            if (strcasecmp(value, bsd_os_names[os]) == 0) {
                host->os = (bsd_os)os;
                return 0;
            }
        }
        return vp_plugin_error_set(
            VP_ERR_INVALID_ARG,
            "'%s': os '%s' is not one of 'auto', 'freebsd', 'openbsd', 'netbsd'", host->conf_path,
            value);
    }
    char sysname[65];
    int r = host->ops->sysname(sysname, sizeof(sysname));
    if (r < 0)
        return r;
    if (bsd_os_from_sysname(sysname, &host->os) < 0)
        return vp_plugin_error_set(
            VP_ERR_NOT_SUPPORTED,
            "hostpower-bsd does not know the OS '%s'; use the host-power driver of this OS, or set 'os = freebsd', 'openbsd' or 'netbsd' in '%s' to test against fake commands",
            sysname, host->conf_path);
    return 0;
}

/* Command paths must be absolute: commands run without a shell or PATH. */
static int
bsd_host_command(const bsd_host *host, const vp_plugin_conf *conf, const char *key,
                 const char *fallback, char **ret_path)
{
    const char *path = vp_plugin_conf_get(conf, key, fallback);
    if (path[0] != '/')
        return vp_plugin_error_set(
            VP_ERR_INVALID_ARG,
            "'%s': %s '%s' is not an absolute path; write the command's full path", host->conf_path,
            key, path);
    *ret_path = vp_strdup(path);
    return 0;
}

int
bsd_host_new(const char *conf_path, const bsd_ops *ops, bsd_host **ret_host)
{
    _cleanup_(bsd_conf_freep) vp_plugin_conf *conf = NULL;
    int r = vp_plugin_conf_load(conf_path, bsd_conf_keys, true, &conf);
    if (r < 0)
        return r;
    _cleanup_(bsd_host_freep) bsd_host *host = vp_new0(bsd_host, 1);
    host->ops = ops;
    host->conf_path = vp_strdup(conf_path);
    if ((r = bsd_host_pick_os(host, vp_plugin_conf_get(conf, "os", "auto"))) < 0 ||
        (r = bsd_host_command(host, conf, "sysctl", BSD_DEFAULT_SYSCTL, &host->sysctl)) < 0 ||
        (r = bsd_host_command(host, conf, "acpiconf", BSD_DEFAULT_ACPICONF, &host->acpiconf)) < 0 ||
        (r = bsd_host_command(host, conf, "zzz", BSD_DEFAULT_ZZZ, &host->zzz)) < 0 ||
        (r = bsd_host_command(host, conf, "apm", BSD_DEFAULT_APM, &host->apm)) < 0)
        return r;
    r = vp_plugin_conf_get_uint(conf, "suspend_delay_ms", BSD_DEFAULT_SUSPEND_DELAY_MS,
                                &host->suspend_delay_ms);
    if (r < 0)
        return r;
    *ret_host = VP_STEAL_PTR(host);
    return 0;
}
