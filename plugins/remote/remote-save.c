/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * remote-save.c: the remote plugin's slots of save and restore and of the
 * XML inside save images. Every path is the far host's: the image is
 * written, read and replaced there by the far core and driver, which also
 * check it. The near core hides the secrets of what a get answers (the
 * far side sends the XML whole) and checks a new XML against the image's
 * before it calls a define slot, as for every driver.
 */
#include <config.h>

#include "remote-call.h"

int
remote_save(void *priv, const char *name, const char *path, unsigned int flags)
{
    return remote_call_void(priv, REMOTE_OP_DOMAIN_SAVE,
                            (remote_call_args){.dom = name, .xml = path, .flags = flags});
}

int
remote_restore(void *priv, const char *path, unsigned int flags, char **ret_name)
{
    return remote_call_str(priv, REMOTE_OP_DOMAIN_RESTORE,
                           (remote_call_args){.xml = path, .flags = flags}, ret_name);
}

int
remote_managed_save(void *priv, const char *name, unsigned int flags)
{
    return remote_call_void(priv, REMOTE_OP_DOMAIN_MANAGED_SAVE,
                            (remote_call_args){.dom = name, .flags = flags});
}

int
remote_has_managed_save(void *priv, const char *name, int *ret_has)
{
    remote_msg reply = {0};
    int r = remote_call(priv, REMOTE_OP_DOMAIN_HAS_MANAGED_SAVE, (remote_call_args){.dom = name},
                        &reply);
    if (r >= 0)
        *ret_has = reply.a != 0;
    remote_msg_clear(&reply);
    return r;
}

int
remote_managed_save_remove(void *priv, const char *name, unsigned int flags)
{
    return remote_call_void(priv, REMOTE_OP_DOMAIN_MANAGED_SAVE_REMOVE,
                            (remote_call_args){.dom = name, .flags = flags});
}

int
remote_save_image_get_xml(void *priv, const char *path, unsigned int flags, char **ret_xml)
{
    return remote_call_str(priv, REMOTE_OP_DOMAIN_SAVE_IMAGE_GET_XML,
                           (remote_call_args){.path = path, .flags = flags}, ret_xml);
}

int
remote_save_image_define_xml(void *priv, const char *path, const char *xml, unsigned int flags)
{
    return remote_call_void(priv, REMOTE_OP_DOMAIN_SAVE_IMAGE_DEFINE_XML,
                            (remote_call_args){.path = path, .xml = xml, .flags = flags});
}

int
remote_managed_save_get_xml(void *priv, const char *name, unsigned int flags, char **ret_xml)
{
    return remote_call_str(priv, REMOTE_OP_DOMAIN_MANAGED_SAVE_GET_XML,
                           (remote_call_args){.dom = name, .flags = flags}, ret_xml);
}

int
remote_managed_save_define_xml(void *priv, const char *name, const char *xml, unsigned int flags)
{
    return remote_call_void(priv, REMOTE_OP_DOMAIN_MANAGED_SAVE_DEFINE_XML,
                            (remote_call_args){.dom = name, .xml = xml, .flags = flags});
}
