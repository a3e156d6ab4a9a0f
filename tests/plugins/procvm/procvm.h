/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * procvm.h: what the two files of the procvm test driver share.
 *
 * procvm:///default is an in-memory host (procvm.c); every other procvm
 * URI is a persistent host (procvm-store.c) whose domains run as real
 * detached processes, built from the SDK services alone.
 */
#ifndef PROCVM_H
#define PROCVM_H

#include <stddef.h>

#include <virtplug/sdk/conf.h>
#include <virtplug/sdk/services.h>

typedef struct procvm_dom {
    char *name;
    vp_domain_model *model;
} procvm_dom;

typedef struct procvm_host {
    procvm_dom doms[16]; /* procvm:///default */
    size_t n;
    char *state_dir; /* a persistent host: NAME.xml, NAME.def; NULL in memory */
    char *run_dir;   /* a persistent host: NAME.state, NAME.lock, NAME.pid, NAME.log */
} procvm_host;

/* ---- procvm-store.c: the persistent hosts ---------------------------- */

int procvm_store_open(const vp_plugin_uri *uri, procvm_host *h);
int procvm_store_list(procvm_host *h, unsigned int flags, char ***ret_names);
int procvm_store_lookup(procvm_host *h, const char *name);
int procvm_store_define(procvm_host *h, const vp_domain_model *model, char **ret_name);
int procvm_store_undefine(procvm_host *h, const char *name);
int procvm_store_start(procvm_host *h, const char *name);
int procvm_store_destroy(procvm_host *h, const char *name);
int procvm_store_get_state(procvm_host *h, const char *name, int *ret_state, int *ret_reason);
int procvm_store_get_xml(procvm_host *h, const char *name, char **ret_xml);

#endif /* PROCVM_H */
