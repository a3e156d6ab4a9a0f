/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * check-save.c: the calls of check-plugin.c's slot table that reach the
 * slots of the XML inside save images. They name a file that does not
 * exist and a domain the kit never saved, so they change nothing.
 */
#include <config.h>

#include <stdlib.h>

#include "kit.h"

int
call_save_image_get_xml(slot_objects *o)
{
    char *xml = NULL;
    int r = vp_domain_save_image_get_xml(o->conn, "/nonexistent/virtplug-check.save", 0, &xml);
    free(xml);
    return r;
}

int
call_save_image_define_xml(slot_objects *o)
{
    return vp_domain_save_image_define_xml(o->conn, "/nonexistent/virtplug-check.save", "<domain/>",
                                           0);
}

int
call_managed_save_get_xml(slot_objects *o)
{
    char *xml = NULL;
    int r = vp_domain_managed_save_get_xml(o->dom, 0, &xml);
    free(xml);
    return r;
}

int
call_managed_save_define_xml(slot_objects *o)
{
    return vp_domain_managed_save_define_xml(o->dom, "<domain/>", 0);
}
