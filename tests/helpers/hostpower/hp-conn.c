/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * hp-conn.c: connections for tests of node suspend (see hp-conn.h).
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>

#include <cmocka.h>

#include "internal.h"
#include "hp-conn.h"

static vpi_plugin hp_plugin;

vp_conn *
hp_conn_new(const char *uri, const vp_plugin_descriptor *hostpower)
{
    vpi_uri *parsed = NULL;
    assert_int_equal(vpi_uri_parse(uri, &parsed), 0);
    vp_conn *conn = vp_new0(vp_conn, 1);
    atomic_init(&conn->refs, 1);
    pthread_mutex_init(&conn->hostpower_lock, NULL);
    conn->uri = parsed;
    conn->uri_string = vp_strdup(uri);
    assert_int_equal(vpi_loader_get("test", &conn->hv_plugin), 0);
    conn->hv = &conn->hv_plugin->hypervisor;
    if (hostpower) {
        hp_plugin.name = (char *)hostpower->name;
        hp_plugin.desc = hostpower;
        hp_plugin.has_hostpower = true;
        memcpy(&hp_plugin.hostpower, hostpower->hostpower, hostpower->hostpower_size);
        void *priv = NULL;
        int r = hp_plugin.hostpower.open(parsed, &priv);
        if (r < 0)
            fail_msg("cannot open host power '%s': %s", hostpower->name, vp_error_last()->message);
        conn->hp_plugin = &hp_plugin;
        conn->hp_priv = priv;
    }
    return conn;
}

void *
hp_conn_hostpower_priv(vp_conn *conn)
{
    const vpi_plugin *p;
    void *priv;
    assert_int_equal(vpi_conn_get_hostpower(conn, &p, &priv), 0);
    return priv;
}

vp_node_suspend_result
hp_conn_suspend_result(vp_conn *conn)
{
    vp_node_suspend_result res = {.size = sizeof(res)};
    assert_int_equal(vp_node_get_suspend_result(conn, &res), 0);
    return res;
}

static char *runtime_dir;

int
hp_runtime_dir_setup(void **state)
{
    runtime_dir = hp_tmpdir_new();
    setenv("VIRTPLUG_RUNTIME_DIR", runtime_dir, 1);
    return 0;
}

int
hp_runtime_dir_teardown(void **state)
{
    hp_tmpdir_free(runtime_dir);
    runtime_dir = NULL;
    return 0;
}

const char *
hp_runtime_dir(void)
{
    return runtime_dir;
}
