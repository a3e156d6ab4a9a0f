/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * conn.c: connections.
 *
 * Owns vp_conn: choosing the driver from the URI scheme, opening it,
 * reference counting (domains keep their connection alive), and opening the
 * host-power driver lazily on the first node-power call. It never calls a
 * driver slot without checking it for NULL.
 */
#include <config.h>

#include <dirent.h>
#include <errno.h>

#include "internal.h"
#include "event.h"

static int
name_compare(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The schemes this process could open, for the error about one it cannot:
 * the built-in drivers and the NAME.so files of the plugin directory,
 * without loading any (virtplug's host-power plugins serve no URI). */
static char *
installed_schemes(void)
{
    char **names = vp_new0(char *, 1);
    size_t n = 0;
    DIR *d = opendir(vpi_loader_plugin_dir());
    for (struct dirent *de; d && (de = readdir(d));) {
        size_t len = strlen(de->d_name);
        bool hypervisor = true;
        if (de->d_name[0] == '.' || len < 4 || strcmp(de->d_name + len - 3, ".so") != 0)
            continue;
        _cleanup_free_ char *name = vp_strndup(de->d_name, len - 3);
        if (vpi_loader_plugin_shipped(name, &hypervisor) && !hypervisor)
            continue;
        names = vp_renew(char *, names, n + 2);
        names[n++] = vp_asprintf("'%s'", name);
    }
    if (d)
        closedir(d);
    qsort(names, n, sizeof(*names), name_compare);
    char *list = vp_strdup("");
    for (size_t i = 0; vpi_loader_builtin_name(i); i++) {
        char *more =
            vp_asprintf("%s%s'%s' (built in)", list, *list ? ", " : "", vpi_loader_builtin_name(i));
        free(list);
        list = more;
    }
    for (size_t i = 0; i < n; i++) {
        char *more = vp_asprintf("%s, %s", list, names[i]);
        free(list);
        list = more;
        free(names[i]);
    }
    free(names);
    return list;
}

vp_conn *
vpi_conn_ref(vp_conn *conn)
{
    atomic_fetch_add_explicit(&conn->refs, 1, memory_order_relaxed);
    return conn;
}

static void
conn_free(vp_conn *conn)
{
    vpi_events_free(conn); /* the driver's event_close runs before conn_close */
    if (conn->hp_plugin && conn->hp_plugin->hostpower.close)
        conn->hp_plugin->hostpower.close(conn->hp_priv);
    if (conn->hv && conn->hv->conn_close && conn->hv_priv)
        conn->hv->conn_close(conn->hv_priv);
    pthread_mutex_destroy(&conn->hostpower_lock);
    pthread_mutex_destroy(&conn->error_func_lock);
    vpi_uri_free(conn->uri);
    free(conn->uri_string);
    free(conn);
}

void
vpi_conn_unref(vp_conn *conn)
{
    if (conn && atomic_fetch_sub_explicit(&conn->refs, 1, memory_order_acq_rel) == 1) {
        if (vpi_call_conn == conn) /* never reported to once freed */
            vpi_call_conn = NULL;
        conn_free(conn);
    }
}

/* DRIVER+TRANSPORT://...: the transport's plugin serves the URI and runs
 * DRIVER on the far host (docs/remote-protocol.md). NULL for a local URI. */
static int
conn_transport_plugin(const vpi_uri *uri, const char **ret_name)
{
    const char *scheme = vp_plugin_uri_get_scheme(uri);
    const char *plus = strrchr(scheme, '+');
    *ret_name = NULL;
    if (!plus)
        return 0;
    if (strcmp(plus, "+ssh") != 0)
        return vp_error_set(
            VP_ERR_NO_URI_SCHEME,
            "unknown transport '%s' in URI '%s': virtplug reaches other hosts over ssh only, as in 'qemu+ssh://HOST/system'",
            plus + 1, vp_plugin_uri_get_string(uri));
    if (plus == scheme)
        return vp_error_set(
            VP_ERR_INVALID_ARG,
            "malformed URI '%s': name the driver before '+ssh', as in 'qemu+ssh://HOST/system'",
            vp_plugin_uri_get_string(uri));
    *ret_name = "remote";
    return 0;
}

static int
conn_pick_plugin(const vpi_uri *uri, const vpi_plugin **ret_plugin)
{
    const char *scheme = vp_plugin_uri_get_scheme(uri);
    const char *transport;
    int r = conn_transport_plugin(uri, &transport);
    if (r < 0)
        return r;
    if (transport)
        scheme = transport;
    const vpi_plugin *p;
    r = vpi_loader_get(scheme, &p);
    if (r == VP_ERR_NO_PLUGIN && !vpi_loader_plugin_shipped(scheme, NULL)) {
        const vp_error *e = vp_error_last();
        _cleanup_free_ char *why = vp_strdup(e ? e->message : "");
        _cleanup_free_ char *schemes = installed_schemes();
        return vp_error_set(
            VP_ERR_NO_URI_SCHEME,
            "no driver for URI scheme '%s' (in '%s'): %s; the installed schemes are %s: fix the URI, or install the plugin that provides '%s'",
            scheme, vp_plugin_uri_get_string(uri), why, schemes, scheme);
    }
    if (r < 0)
        return r;
    if (!p->has_hypervisor)
        return vp_error_set(VP_ERR_NO_URI_SCHEME,
                            "plugin '%s' has no hypervisor driver, so it cannot serve URI '%s'",
                            p->name, vp_plugin_uri_get_string(uri));
    *ret_plugin = p;
    return 0;
}

VP_EXPORT int
vp_conn_open(const char *uri, unsigned int flags, vp_conn **ret_conn)
{
    VPI_ERROR_RESET();
    vp_return_if_fail(ret_conn, "ret_conn");
    if (flags != 0)
        return vp_error_set(VP_ERR_INVALID_ARG, "vp_conn_open: unsupported flags 0x%x", flags);
    if (!uri) {
        uri = secure_getenv("VIRTPLUG_DEFAULT_URI");
        if (!uri || !*uri)
            uri = "test:///default";
    }
    vpi_uri *parsed;
    int r = vpi_uri_parse(uri, &parsed);
    if (r < 0)
        return r;
    vp_conn *conn = vp_new0(vp_conn, 1);
    atomic_init(&conn->refs, 1);
    pthread_mutex_init(&conn->hostpower_lock, NULL);
    pthread_mutex_init(&conn->error_func_lock, NULL);
    conn->events = vpi_events_new();
    conn->uri = parsed;
    conn->uri_string = vp_strdup(uri);
    r = conn_pick_plugin(parsed, &conn->hv_plugin);
    if (r < 0)
        goto fail;
    conn->hv = &conn->hv_plugin->hypervisor;
    if (!conn->hv->conn_open) {
        r = vpi_not_supported(conn->hv_plugin, "connect-open");
        goto fail;
    }
    r = vpi_slot_result(conn->hv_plugin, "connect-open",
                        conn->hv->conn_open(parsed, 0, &conn->hv_priv));
    if (r < 0) {
        conn->hv_priv = NULL;
        goto fail;
    }
    VP_DEBUG("conn", "opened '%s' with driver '%s'", uri, conn->hv_plugin->name);
    *ret_conn = conn;
    return vpi_result(0);
fail:
    conn->hv = NULL;
    conn_free(conn);
    return r;
}

VP_EXPORT void
vp_conn_close(vp_conn *conn)
{
    VPI_ERROR_RESET();
    vpi_conn_unref(conn);
}

VP_EXPORT const char *
vp_conn_get_uri(vp_conn *conn)
{
    return conn ? conn->uri_string : NULL;
}

VP_EXPORT const char *
vp_conn_get_driver_name(vp_conn *conn)
{
    return conn ? conn->hv_plugin->name : NULL;
}

VP_EXPORT int
vp_conn_cancel_jobs(vp_conn *conn, unsigned int flags)
{
    VPI_ERROR_RESET();
    VPI_RETURN_IF_NO_CONN(conn);
    if (flags != 0)
        return vp_error_set(VP_ERR_INVALID_ARG, "vp_conn_cancel_jobs: unsupported flags 0x%x",
                            flags);
    /* A driver whose calls never wait on a guest has nothing to cancel. */
    if (!conn->hv->conn_cancel_jobs)
        return vpi_result(0);
    return vpi_result(vpi_slot_result(conn->hv_plugin, "connect-cancel-jobs",
                                      conn->hv->conn_cancel_jobs(conn->hv_priv, flags)));
}

VP_EXPORT int
vp_conn_num_of_domains(vp_conn *conn)
{
    VPI_ERROR_RESET();
    VPI_RETURN_IF_NO_CONN(conn);
    VPI_HV_SLOT(conn, conn_num_of_domains, "connect-num-of-domains");
    return vpi_result(vpi_slot_result(conn->hv_plugin, "connect-num-of-domains",
                                      conn->hv->conn_num_of_domains(conn->hv_priv)));
}

VP_EXPORT int
vp_conn_list_domains(vp_conn *conn, unsigned int flags, vp_domain ***ret_domains)
{
    VPI_ERROR_RESET();
    VPI_RETURN_IF_NO_CONN(conn);
    vp_return_if_fail(ret_domains, "ret_domains");
    if (flags & ~(VP_LIST_DOMAINS_ACTIVE | VP_LIST_DOMAINS_INACTIVE))
        return vp_error_set(VP_ERR_INVALID_ARG, "vp_conn_list_domains: unsupported flags 0x%x",
                            flags);
    VPI_HV_SLOT(conn, conn_list_domains, "connect-list-domains");
    char **names = NULL;
    int n = vpi_slot_result(conn->hv_plugin, "connect-list-domains",
                            conn->hv->conn_list_domains(conn->hv_priv, flags, &names));
    if (n < 0)
        return n;
    vp_domain **doms = vp_new0(vp_domain *, (size_t)n + 1);
    int kept = 0;
    for (int i = 0; i < n; i++) {
        /* Each handle is bound to the domain's UUID now; a domain
         * undefined since the list was made is left out. */
        int r = vpi_domain_make(conn, names[i], &doms[kept]);
        if (r >= 0)
            kept++;
        else if (r != VP_ERR_NO_DOMAIN) {
            vp_domain_list_free(doms);
            vp_strv_free(names);
            return r;
        }
    }
    vp_strv_free(names);
    *ret_domains = doms;
    return vpi_result(kept);
}

int
vpi_conn_get_hostpower(vp_conn *conn, const vpi_plugin **ret_plugin, void **ret_priv)
{
    int r = 0;
    pthread_mutex_lock(&conn->hostpower_lock);
    if (!conn->hp_plugin) {
        /* A remote URI's parameters are the far host's: host power is the
         * remote driver's, never a local plugin the URI names. */
        const char *name = strchr(vp_plugin_uri_get_scheme(conn->uri), '+')
                               ? NULL
                               : vp_plugin_uri_get_param(conn->uri, "hostpower");
        if (!name)
            name = conn->hv_plugin->has_hostpower ? conn->hv_plugin->name : VP_DEFAULT_HOSTPOWER;
        const vpi_plugin *p;
        void *priv = NULL;
        r = vpi_loader_get(name, &p);
        if (r >= 0 && !p->has_hostpower)
            r = vp_error_set(VP_ERR_NOT_SUPPORTED, "plugin '%s' has no host-power driver", name);
        if (r >= 0 && p->hostpower.open)
            r = vpi_slot_result(p, "node-hostpower-open", p->hostpower.open(conn->uri, &priv));
        if (r >= 0) {
            conn->hp_plugin = p;
            conn->hp_priv = priv;
        }
    }
    pthread_mutex_unlock(&conn->hostpower_lock);
    if (r < 0)
        return r;
    *ret_plugin = conn->hp_plugin;
    *ret_priv = conn->hp_priv;
    return 0;
}
