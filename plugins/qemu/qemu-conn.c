/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-conn.c: connections of the QEMU driver: from a URI (qemu:///system,
 * qemu:///session, qemu:///embed?root=DIR and its parameters) to a
 * qemu_driver, and back.
 *
 * Owns choosing the config and runtime directories, refusing a root that
 * is a system directory and any URI parameter the driver does not know
 * (a typo never silently keeps a default), and reading the timeouts. It
 * creates the two directories and nothing else; it never looks at domains.
 */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "qemu-driver.h"

#ifndef QEMU_DEFAULT_BINARY
#define QEMU_DEFAULT_BINARY "/usr/bin/qemu-system-x86_64"
#endif

static void
driver_free(qemu_driver *drv)
{
    if (!drv)
        return;
    free(drv->config_dir);
    free(drv->runtime_dir);
    free(drv->binary);
    qemu_generation_close(drv);
    qemu_jobs_free(drv->jobs);
    free(drv);
}
VP_DEFINE_CLEANUP(qemu_driver, driver_free)

/* ---- connections --------------------------------------------------------- */

/* The definitions of qemu:///session and qemu:///system live in the SDK's
 * state directory of the URI: $XDG_CONFIG_HOME/virtplug/qemu (or
 * ~/.config/virtplug/qemu) and LOCALSTATEDIR/lib/virtplug/qemu, the
 * directories this driver always used, or $VIRTPLUG_STATE_DIR/qemu. */
static int
session_dirs(qemu_driver *drv, const vp_plugin_uri *uri)
{
    int r = vp_plugin_state_dir(uri, &drv->config_dir);
    if (r < 0)
        return r;
    _cleanup_free_ char *run = NULL;
    r = vp_plugin_runtime_dir(&run);
    if (r < 0)
        return r;
    drv->runtime_dir = vp_asprintf("%s/qemu", run);
    return 0;
}

static int
system_dir_paths(qemu_driver *drv, const vp_plugin_uri *uri)
{
    int r = vp_plugin_state_dir(uri, &drv->config_dir);
    if (r < 0)
        return r;
    const char *env = secure_getenv("VIRTPLUG_RUNTIME_DIR");
    drv->runtime_dir =
        env && *env ? vp_asprintf("%s/qemu", env) : vp_strdup(QEMU_SYSTEM_RUNTIME_DIR);
    return 0;
}

static int
embed_dirs(qemu_driver *drv, const vp_plugin_uri *uri)
{
    const char *root = vp_plugin_uri_get_param(uri, "root");
    if (!root || root[0] != '/')
        return vp_plugin_error_set(
            VP_ERR_INVALID_ARG, "URI '%s' needs an absolute directory: qemu:///embed?root=/ABS/DIR",
            vp_plugin_uri_get_string(uri));
    /* The instance creates ROOT/config and ROOT/run: never in / or in a
     * directory the system owns. */
    static const char *const system_dirs[] = {
        "/",     "/bin",  "/boot", "/dev",  "/etc", "/home", "/lib", "/lib32", "/lib64", "/opt",
        "/proc", "/root", "/run",  "/sbin", "/srv", "/sys",  "/tmp", "/usr",   "/var",   NULL};
    _cleanup_free_ char *clean = vp_strdup(root);
    size_t len = strlen(clean);
    while (len > 1 && clean[len - 1] == '/')
        clean[--len] = '\0';
    for (const char *const *d = system_dirs; *d; d++) {
        if (strcmp(clean, *d) == 0)
            return vp_plugin_error_set(
                VP_ERR_INVALID_ARG,
                "URI '%s': root '%s' is a system directory; give the embedded instance a directory of its own, such as /var/tmp/NAME",
                vp_plugin_uri_get_string(uri), root);
    }
    if (strstr(clean, "/../") || (len >= 3 && strcmp(clean + len - 3, "/..") == 0) ||
        strstr(clean, "//") || strstr(clean, "/./"))
        return vp_plugin_error_set(
            VP_ERR_INVALID_ARG,
            "URI '%s': root '%s' must be a plain absolute path, without '.', '..' or '//'",
            vp_plugin_uri_get_string(uri), root);
    drv->config_dir = vp_asprintf("%s/config", root);
    drv->runtime_dir = vp_asprintf("%s/run", root);
    return 0;
}

/* Optional URI parameter @key: milliseconds, 1 ms to 1 hour. */
static int
timeout_param(const vp_plugin_uri *uri, const char *key, int fallback, int *ret_ms)
{
    const char *v = vp_plugin_uri_get_param(uri, key);
    if (!v) {
        *ret_ms = fallback;
        return 0;
    }
    char *end;
    errno = 0;
    long ms = strtol(v, &end, 10);
    if (errno || end == v || *end || ms < 1 || ms > 3600000)
        return vp_plugin_error_set(
            VP_ERR_INVALID_ARG,
            "URI '%s': '%s' must be milliseconds between 1 and 3600000, not '%s'",
            vp_plugin_uri_get_string(uri), key, v);
    *ret_ms = (int)ms;
    return 0;
}

/* Every parameter a qemu URI understands; any other is a typo to report,
 * not to ignore (a misspelt timeout would silently keep the default). */
static const char *const known_params[] = {"root",
                                           "agent_timeout_ms",
                                           "lock_timeout_ms",
                                           "shutdown_timeout_ms",
                                           "start_timeout_ms",
                                           "destroy_grace_ms",
                                           "hostpower",
                                           NULL};

static int
check_params(const vp_plugin_uri *uri)
{
    for (size_t i = 0; i < vp_plugin_uri_get_param_count(uri); i++) {
        const char *name = vp_plugin_uri_get_param_name(uri, i);
        bool known = false;
        for (const char *const *k = known_params; *k && !known; k++)
            known = strcmp(name, *k) == 0;
        if (!known)
            return vp_plugin_error_set(
                VP_ERR_INVALID_ARG,
                "URI '%s': unknown parameter '%s'; the qemu driver knows root, agent_timeout_ms, lock_timeout_ms, shutdown_timeout_ms, start_timeout_ms, destroy_grace_ms and hostpower",
                vp_plugin_uri_get_string(uri), name);
        if (strcmp(name, "root") == 0 && strcmp(vp_plugin_uri_get_path(uri), "/embed") != 0)
            return vp_plugin_error_set(VP_ERR_INVALID_ARG,
                                       "URI '%s': parameter 'root' belongs to qemu:///embed only",
                                       vp_plugin_uri_get_string(uri));
    }
    return 0;
}

int
qemu_conn_open(const vp_plugin_uri *uri, unsigned int flags, void **ret_priv)
{
    const char *path = vp_plugin_uri_get_path(uri);
    const char *host = vp_plugin_uri_get_host(uri);
    _cleanup_(driver_freep) qemu_driver *drv = vp_new0(qemu_driver, 1);
    drv->jobs = qemu_jobs_new();
    int r;
    if (*host)
        return vp_plugin_error_set(
            VP_ERR_INVALID_ARG,
            "URI '%s': the qemu driver manages the local host only; remove host '%s'",
            vp_plugin_uri_get_string(uri), host);
    r = check_params(uri);
    if (r < 0)
        return r;
    if (strcmp(path, "/system") == 0)
        r = system_dir_paths(drv, uri);
    else if (strcmp(path, "/session") == 0)
        r = session_dirs(drv, uri);
    else if (strcmp(path, "/embed") == 0)
        r = embed_dirs(drv, uri);
    else
        r = vp_plugin_error_set(
            VP_ERR_INVALID_ARG,
            "URI '%s': unknown path '%s'; use qemu:///system, qemu:///session or qemu:///embed?root=DIR",
            vp_plugin_uri_get_string(uri), path);
    if (r >= 0)
        r = timeout_param(uri, "agent_timeout_ms", QEMU_AGENT_TIMEOUT_MS, &drv->agent_timeout_ms);
    if (r >= 0)
        r = timeout_param(uri, "lock_timeout_ms", QEMU_LOCK_TIMEOUT_MS, &drv->lock_timeout_ms);
    if (r >= 0)
        r = timeout_param(uri, "shutdown_timeout_ms", QEMU_SHUTDOWN_TIMEOUT_MS,
                          &drv->shutdown_timeout_ms);
    if (r >= 0)
        r = timeout_param(uri, "start_timeout_ms", QEMU_START_TIMEOUT_MS, &drv->start_timeout_ms);
    if (r >= 0)
        r = timeout_param(uri, "destroy_grace_ms", QEMU_DESTROY_GRACE_MS, &drv->destroy_grace_ms);
    if (r < 0)
        return r;
    r = vp_plugin_mkdir_p(drv->config_dir, 0700);
    if (r < 0)
        return r;
    r = vp_plugin_mkdir_p(drv->runtime_dir, 0700);
    if (r < 0)
        return r;
    const char *bin = QEMU_DEFAULT_BINARY;
    drv->binary = vp_strdup(*bin ? bin : "/usr/bin/qemu-system-x86_64");
    qemu_generation_open(drv);
    VP_PLUGIN_DEBUG(QEMU_AREA, "config '%s', runtime '%s'", drv->config_dir, drv->runtime_dir);
    *ret_priv = VP_STEAL_PTR(drv);
    return 0;
}

void
qemu_conn_close(void *priv)
{
    driver_free(priv);
}
