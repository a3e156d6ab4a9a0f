/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * remote-call.c: a slot's call of the remote protocol (remote-call.h):
 * the message of an op and its arguments, sent with remote_conn_call(),
 * and the reply's result handed back in the slot's shape.
 */
#include <config.h>

#include <virtplug/sdk/alloc.h>
#include <virtplug/sdk/conf.h>
#include <virtplug/sdk/services.h>

#include "remote-call.h"

remote_msg
remote_call_msg(void *priv, int op, remote_call_args a, char handle[VP_UUID_STRING_BUFLEN])
{
    remote_msg m = {.op = op,
                    .dom = (char *)a.dom,
                    .snap = (char *)a.snap,
                    .xml = (char *)a.xml,
                    .uuid = (char *)a.uuid,
                    .path = (char *)a.path,
                    .flags = a.flags,
                    .a = a.a,
                    .b = a.b};
    unsigned char uuid[16];
    if (a.dom && remote_conn_proto(priv) >= 3 && vp_plugin_call_domain_uuid(a.dom, uuid)) {
        vp_plugin_uuid_format(uuid, handle);
        m.handle = handle;
    }
    return m;
}

int
remote_call(void *priv, int op, remote_call_args a, remote_msg *reply)
{
    char handle[VP_UUID_STRING_BUFLEN];
    remote_msg m = remote_call_msg(priv, op, a, handle);
    return remote_conn_call(priv, &m, reply);
}

int
remote_call_void(void *priv, int op, remote_call_args a)
{
    remote_msg reply = {0};
    int r = remote_call(priv, op, a, &reply);
    remote_msg_clear(&reply);
    return r;
}

int
remote_call_str(void *priv, int op, remote_call_args a, char **ret)
{
    remote_msg reply = {0};
    int r = remote_call(priv, op, a, &reply);
    if (r >= 0)
        *ret = VP_STEAL_PTR(reply.str);
    remote_msg_clear(&reply);
    return r;
}

int
remote_call_names(void *priv, int op, remote_call_args a, char ***ret)
{
    remote_msg reply = {0};
    int r = remote_call(priv, op, a, &reply);
    if (r >= 0) {
        r = (int)reply.n_names;
        *ret = VP_STEAL_PTR(reply.names);
    }
    remote_msg_clear(&reply);
    return r;
}
