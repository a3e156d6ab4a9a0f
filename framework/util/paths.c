/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * util/paths.c: where virtplug keeps things, and the clock.
 *
 * Owns the runtime directory and host-power configuration paths, each with
 * its environment override (read with secure_getenv, so setuid programs
 * ignore them).
 */
#include <config.h>

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
