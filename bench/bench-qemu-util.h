/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * bench-qemu-util.h: what bench-qemu-guest needs around its measurements:
 * the guest domain in a private embed root (defined, killed, removed), and
 * the bare raw-socket QMP and agent client that measures the floor.
 */
#ifndef VP_BENCH_QEMU_UTIL_H
#define VP_BENCH_QEMU_UTIL_H

#include <stddef.h>

#include <virtplug/virtplug.h>

/* The tiny guest defined as domain 'tiny' on qemu:///embed?root=ROOT. */
typedef struct bq_guest {
    char *root;
    vp_conn *conn;
    vp_domain *dom;
    char *qmp_path;
    char *agent_path;
    char *top_node; /* the disk's active block node: the last overlay's */
} bq_guest;

/* Check QEMU and set what the guest builder needs (VP_TOP_SRCDIR,
 * VP_TOP_BUILDDIR) when make did not. Returns 0, or -1 after printing why
 * the figures are skipped. */
int bq_environment(void);

/* Copy the guest's disk into a fresh root and define the domain (TCG). */
int bq_guest_define(bq_guest *b, const char *guest_dir);
/* Destroy the domain, SIGKILL its QEMU if still alive, remove the root,
 * free @b's members. Safe on a partly set up @b. */
void bq_guest_destroy(bq_guest *b);
/* After each start: a SIGINT, SIGTERM or SIGHUP from now on kills the
 * domain's QEMU before this process dies of it. */
void bq_guest_started(bq_guest *b);
/* The overlay @node is now the disk's active node. */
void bq_set_top(bq_guest *b, const char *node);

/* Print "bench-qemu-guest: WHAT: <last error>" on stderr; returns -1. */
int bq_fail(const char *what);

/* A raw socket and its unread bytes. */
typedef struct bare_conn {
    int fd;
    int wfd; /* the FIFO written to, for an agent reached through pipes; else fd */
    size_t len;
    char buf[8192];
} bare_conn;

/* Connect to the agent and wait for guest-sync's answer to @id. */
int bare_agent_open(bare_conn *c, const char *path, int id);
/* Connect to QMP, read the greeting, negotiate capabilities. */
int bare_qmp_open(bare_conn *c, const char *path);
/* Write @request (a whole line) and read up to its reply ("return" or
 * "error"), skipping QMP events. -1 (with a note naming @what) on an
 * error reply, a timeout or a closed connection. */
int bare_call(bare_conn *c, const char *request, const char *what);
/* Close; NULL-safe on fd -1. */
void bare_close(bare_conn *c);

#endif
