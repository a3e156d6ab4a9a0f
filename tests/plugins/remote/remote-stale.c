/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * remote-stale.c: a handle over ssh never acts on another domain that took
 * its name. On the connection to URI (argv[1]): define 'stale1', keep a
 * handle, undefine it and define 'stale1' again with another UUID; a call
 * through the old handle must fail with VP_ERR_NO_DOMAIN saying so (the far
 * helper checks the handle's UUID, remote protocol 3), a new lookup must
 * work, and the old handle must not have touched the new domain. Prints
 * "stale handle refused" and exits 0 when all holds. Run by
 * test-remote-threads.sh.
 */
#include <stdio.h>
#include <string.h>

#include <virtplug/virtplug.h>

#define XML(uuid)                                                                                  \
    "<domain type='test'><name>stale1</name><uuid>" uuid "</uuid>"                                 \
    "<memory unit='MiB'>32</memory><os><type>hvm</type></os></domain>"

static int
failed(const char *what)
{
    const vp_error *e = vp_error_last();
    fprintf(stderr, "remote-stale: %s: %s\n", what, e ? e->message : "no error");
    return 1;
}

int
main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: remote-stale URI\n");
        return 2;
    }
    vp_conn *conn = NULL;
    vp_domain *old = NULL, *fresh = NULL;
    int state, reason, rc = 1, r;
    const vp_error *e = NULL;
    if (vp_conn_open(argv[1], 0, &conn) < 0)
        return failed("open");
    if (vp_domain_define_xml(conn, XML("0c4cbd36-4bb1-4be0-a8b1-50b7a1a8e9a1"), 0, &old) < 0) {
        rc = failed("define");
        goto out;
    }
    if (vp_domain_get_state(old, &state, &reason, 0) < 0 || vp_domain_undefine(old, 0) < 0 ||
        vp_domain_define_xml(conn, XML("5d3b1f0e-7d0b-46b4-9b7f-3f0a4f0c7e52"), 0, NULL) < 0) {
        rc = failed("first handle, undefine, redefine");
        goto out;
    }
    r = vp_domain_start(old, 0);
    e = vp_error_last();
    if (r != VP_ERR_NO_DOMAIN || !e || !strstr(e->message, "redefined since this handle") ||
        !strstr(e->message, "0c4cbd36-4bb1-4be0-a8b1-50b7a1a8e9a1")) {
        fprintf(stderr, "remote-stale: the old handle was not refused: %d %s\n", r,
                e ? e->message : "no error");
        goto out;
    }
    if (vp_domain_lookup_by_name(conn, "stale1", &fresh) < 0 ||
        vp_domain_get_state(fresh, &state, &reason, 0) < 0) {
        rc = failed("new handle");
        goto out;
    }
    if (state != VP_DOMAIN_SHUTOFF) {
        fprintf(stderr, "remote-stale: the old handle started the new domain\n");
        goto out;
    }
    printf("stale handle refused\n");
    rc = 0;
out:
    vp_domain_free(old);
    vp_domain_free(fresh);
    vp_conn_close(conn);
    return rc;
}
