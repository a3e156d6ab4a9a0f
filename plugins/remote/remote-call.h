/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * remote-call.h: a slot's call of the remote protocol, shared by the
 * files that hold the remote plugin's slots (remote-driver.c,
 * remote-save.c).
 */
#ifndef VIRTPLUG_REMOTE_CALL_H
#define VIRTPLUG_REMOTE_CALL_H

#include <virtplug/virtplug.h>

#include "remote-conn.h"

/* The arguments of a call, as the op declares them (remote-ops.c). */
typedef struct remote_call_args {
    const char *dom, *snap, *xml, *uuid, *path;
    unsigned int flags;
    int64_t a, b;
} remote_call_args;

/* The call of @op with @a; protocol 3: a call through a handle names the
 * handle's UUID (in @handle), which the far side checks. */
remote_msg remote_call_msg(void *priv, int op, remote_call_args a,
                           char handle[VP_UUID_STRING_BUFLEN]);
/* Run @op with @a; *@reply is filled on success and cleared by the caller. */
int remote_call(void *priv, int op, remote_call_args a, remote_msg *reply);
/* For the slots with no result but success. */
int remote_call_void(void *priv, int op, remote_call_args a);
/* For the slots that hand back one string, *@ret (transfer full). */
int remote_call_str(void *priv, int op, remote_call_args a, char **ret);
/* For the slots that hand back a list of names; returns the count. */
int remote_call_names(void *priv, int op, remote_call_args a, char ***ret);

/* The slots of save and restore, and of the XML inside save images
 * (remote-save.c): paths are the far host's. */
int remote_save(void *priv, const char *name, const char *path, unsigned int flags);
int remote_restore(void *priv, const char *path, unsigned int flags, char **ret_name);
int remote_managed_save(void *priv, const char *name, unsigned int flags);
int remote_has_managed_save(void *priv, const char *name, int *ret_has);
int remote_managed_save_remove(void *priv, const char *name, unsigned int flags);
int remote_save_image_get_xml(void *priv, const char *path, unsigned int flags, char **ret_xml);
int remote_save_image_define_xml(void *priv, const char *path, const char *xml, unsigned int flags);
int remote_managed_save_get_xml(void *priv, const char *name, unsigned int flags, char **ret_xml);
int remote_managed_save_define_xml(void *priv, const char *name, const char *xml,
                                   unsigned int flags);

#endif /* VIRTPLUG_REMOTE_CALL_H */
