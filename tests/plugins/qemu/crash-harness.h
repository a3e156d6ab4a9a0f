/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * crash-harness.h: what the crash harness (test-qemu-crash.c) and its
 * invariants (crash-invariants.c) share.
 */
#ifndef VIRTPLUG_TESTS_QEMU_CRASH_HARNESS_H
#define VIRTPLUG_TESTS_QEMU_CRASH_HARNESS_H

#include <stddef.h>
#include <sys/types.h>

typedef struct fixture {
    char *root;
    char *uri;
    char *disk;     /* NULL: a diskless '-machine none' domain */
    char *xml_path; /* the domain's XML, for define */
} fixture;

/* The base image holds a pattern that must read back through the
 * definition's image whatever a kill interrupted. */
#define BASE_PATTERN "write -P 0x5a 0 64k"
#define BASE_CHECK "read -P 0x5a 0 64k"

/* qemu-io, beside qemu-img. (transfer full) */
char *crash_qemu_io(void);
/* The pids of every live QEMU whose command line mentions @root. */
size_t crash_processes_under(const char *root, pid_t *pids, size_t max);
/* How many processes have @needle in their command line. */
int crash_count_cmdline(const char *needle);
/* Assert every invariant; @when names the kill in messages. */
void crash_check_invariants(const fixture *f, const char *when);

#endif /* VIRTPLUG_TESTS_QEMU_CRASH_HARNESS_H */
