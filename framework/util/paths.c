/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * util/paths.c: where virtplug keeps things, and the clock.
 *
 * Owns the runtime directory, the persistent state directory of each
 * driver instance and the host-power configuration path, each with its
 * environment override (read with secure_getenv, so setuid programs
 * ignore them). The state directories are those the qemu driver chose
 * before they became a service: moving them would lose users' domains.
 */
#include <config.h>

#include <string.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

VP_EXPORT int
vp_plugin_runtime_dir(char **ret_path)
{
    if (!ret_path)
        return vp_error_set(VP_ERR_INVALID_ARG, "invalid argument: %s", "ret_path");
    _cleanup_free_ char *dir = NULL;
    const char *env = secure_getenv("VIRTPLUG_RUNTIME_DIR");
    if (env && *env) {
        dir = vp_strdup(env);
    } else if (geteuid() == 0) {
        dir = vp_asprintf("%s/virtplug", VP_RUNSTATEDIR);
    } else {
        const char *xdg = secure_getenv("XDG_RUNTIME_DIR");
        if (!xdg || !*xdg)
            return vp_error_set(
                VP_ERR_SYSTEM, "no runtime directory: set XDG_RUNTIME_DIR or VIRTPLUG_RUNTIME_DIR");
        dir = vp_asprintf("%s/virtplug", xdg);
    }
    int r = vp_plugin_mkdir_p(dir, 0700);
    if (r < 0)
        return r;
    *ret_path = VP_STEAL_PTR(dir);
    return 0;
}

/* The base of the state directories: LOCALSTATEDIR/lib/virtplug for the
 * system instance, the user's configuration directory for a session. */
static int
state_base(bool system, char **ret_base)
{
    const char *env = secure_getenv("VIRTPLUG_STATE_DIR");
    if (env && *env) {
        *ret_base = vp_strdup(env);
        return 0;
    }
    if (system) {
        *ret_base = vp_strdup(VP_LOCALSTATEDIR "/lib/virtplug");
        return 0;
    }
    const char *xdg = secure_getenv("XDG_CONFIG_HOME");
    const char *home = secure_getenv("HOME");
    if (xdg && *xdg)
        *ret_base = vp_asprintf("%s/virtplug", xdg);
    else if (home && *home)
        *ret_base = vp_asprintf("%s/.config/virtplug", home);
    else
        return vp_error_set(
            VP_ERR_SYSTEM,
            "no directory for persistent state: set XDG_CONFIG_HOME, HOME or VIRTPLUG_STATE_DIR");
    return 0;
}

/* Append the components of @path to @dir, each one a safe file name. */
static int
append_path(char **dir, const char *path)
{
    _cleanup_free_ char *copy = vp_strdup(path);
    char *save = NULL;
    for (char *c = strtok_r(copy, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
        int r = vp_plugin_name_is_safe("URI path component", c, 0, NULL, 0);
        if (r < 0)
            return r;
        char *longer = vp_asprintf("%s/%s", *dir, c);
        free(*dir);
        *dir = longer;
    }
    return 0;
}

VP_EXPORT int
vp_plugin_state_dir(const vp_plugin_uri *uri, char **ret_path)
{
    if (!uri || !ret_path)
        return vp_error_set(VP_ERR_INVALID_ARG, "invalid argument: %s", !uri ? "uri" : "ret_path");
    const char *scheme = vp_plugin_uri_get_scheme(uri);
    const char *path = vp_plugin_uri_get_path(uri);
    int r = vp_plugin_name_is_safe("URI scheme", scheme ? scheme : "", 0, NULL, 0);
    if (r < 0)
        return r;
    bool named = strcmp(path, "/system") == 0 || strcmp(path, "/session") == 0;
    bool system = named ? strcmp(path, "/system") == 0 : geteuid() == 0;
    _cleanup_free_ char *base = NULL;
    r = state_base(system, &base);
    if (r < 0)
        return r;
    _cleanup_free_ char *dir = vp_asprintf("%s/%s", base, scheme);
    if (!named) {
        r = append_path(&dir, path);
        if (r < 0)
            return r;
    }
    r = vp_plugin_mkdir_p(dir, 0700);
    if (r < 0)
        return r;
    *ret_path = VP_STEAL_PTR(dir);
    return 0;
}

VP_EXPORT const char *
vp_plugin_hostpower_conf_path(void)
{
    const char *env = secure_getenv("VIRTPLUG_HOSTPOWER_CONF");
    return env && *env ? env : VP_SYSCONFDIR "/virtplug/hostpower.conf";
}

VP_EXPORT int64_t
vp_plugin_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}
