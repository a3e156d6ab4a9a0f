/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * helper-ops.h: the far side's answers to the calls of
 * docs/remote-protocol.md that need more than one public call (a lookup
 * first, a record or statistics to format); ssh-helper.c dispatches.
 */
#ifndef VIRTPLUG_SSH_HELPER_OPS_H
#define VIRTPLUG_SSH_HELPER_OPS_H

#include <virtplug/virtplug.h>

#include "remote-proto.h"

/* The names of @doms / @snaps, NULL-terminated (the handles stay the
 * caller's). */
char **helper_domain_names(vp_domain **doms, int n);
char **helper_snapshot_names(vp_snapshot **snaps, int n);
int helper_domain_info(vp_domain *dom, remote_msg *reply);
int helper_domain_stats(vp_domain *dom, const remote_msg *c, remote_msg *reply);
/* The node statistics of c->op (c->a: the cell or the CPU). */
int helper_node_stats(vp_conn *conn, const remote_msg *c, remote_msg *reply);
/* The ops that need a domain handle (@dom, looked up by the caller). */
int helper_domain_op(const remote_msg *c, vp_domain *dom, remote_msg *reply);
int helper_node_info(vp_conn *conn, remote_msg *reply);
/* A lookup's answer: @dom's name in reply->str when @r >= 0; frees @dom. */
int helper_lookup_name(int r, vp_domain *dom, remote_msg *reply);

#endif /* VIRTPLUG_SSH_HELPER_OPS_H */
