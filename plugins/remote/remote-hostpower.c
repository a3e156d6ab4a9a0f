/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * remote-hostpower.c: the remote plugin's host-power vtable.
 *
 * Owns the mechanism slots of DRIVER+ssh:// URIs, which refuse: a remote
 * host suspends by its own policy (the node-suspend slots of
 * remote-driver.c), never by this host's core arming anything.
 */
#include <config.h>

#include <virtplug/sdk/services.h>

#include "remote-conn.h"
#include "remote-hostpower.h"

/* A second ssh connection, opened on the first capability query. The
 * suspend runs the far host's policy through the node-suspend slots of
 * remote-driver.c, so the core never reaches these mechanism slots;
 * should it ever, they refuse, so that nothing is armed or suspended on
 * the strength of a remote URI (and never the local host). */

static int
remote_hp_open(const vp_plugin_uri *uri, void **ret_priv)
{
    remote_conn *c;
    int r = remote_conn_open(uri, &c);
    if (r >= 0)
        *ret_priv = c;
    return r;
}

static void
remote_hp_close(void *priv)
{
    remote_conn_close(priv);
}

static int
remote_hp_capabilities(void *priv, unsigned int *ret_targets)
{
    remote_msg call = {.op = REMOTE_OP_NODE_SUSPEND_CAPABILITIES}, reply = {0};
    int r = remote_conn_call(priv, &call, &reply);
    if (r >= 0)
        *ret_targets = (unsigned int)reply.a;
    remote_msg_clear(&reply);
    return r;
}

static int
remote_hp_refuse(void *priv)
{
    return vp_plugin_error_set(
        VP_ERR_NOT_SUPPORTED,
        "the host-power mechanism of a remote host is not driven from here; its own node-suspend policy runs there");
}

static int
remote_hp_arm(void *priv, uint64_t duration_s, int64_t *ret_wake_at_us)
{
    return remote_hp_refuse(priv);
}

static int
remote_hp_suspend(void *priv, unsigned int target, int *ret_state)
{
    return remote_hp_refuse(priv);
}

/* Nothing is ever armed through this driver. */
static int
remote_hp_clear(void *priv)
{
    return 0;
}

const vp_hostpower_driver remote_hostpower = {
    .open = remote_hp_open,
    .close = remote_hp_close,
    .get_capabilities = remote_hp_capabilities,
    .wake_alarm_arm = remote_hp_arm,
    .wake_alarm_clear = remote_hp_clear,
    .suspend = remote_hp_suspend,
};
