/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * crash-harness.h: what the crash harness (test-qemu-crash.c) and its
 * invariants (crash-invariants.c) share.
 */
#ifndef VIRTPLUG_TESTS_QEMU_CRASH_HARNESS_H
#define VIRTPLUG_TESTS_QEMU_CRASH_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>

typedef struct fixture {
    char *root;
    char *uri;
    char *disk;     /* NULL: a diskless '-machine none' domain */
    char *xml_path; /* the file a define, create, update-device or restore is given */
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
/* qemu-io's @check ("read -P ...") reads back through @image; @what
 * names the data in messages. */
void crash_assert_pattern(const char *image, const char *check, const char *what, const char *when);
/* The base's pattern reads back through @image. */
void crash_assert_base_data(const char *image, const char *when);
/* Assert every invariant; @when names the kill in messages. */
void crash_check_invariants(const fixture *f, const char *when);

typedef struct scenario {
    const char *name;
    void (*prepare)(fixture *f);
    const char *args[6]; /* vpsh arguments after -c URI */
    bool diskless;       /* '-machine none' without a disk, instead of a firmware-only PC */
    /* (nullable) a check of its own after the invariants */
    void (*verify)(const fixture *f, const char *when);
} scenario;

/* crash-run.c: vpsh -c URI @args to its end; its exit status (stderr in
 * @ret_err, optional). */
int crash_vpsh_run(const fixture *f, const char *const *args, char **ret_err);
/* Write the domain 'c' with disk @disk (NULL: a diskless '-machine none')
 * to f->xml_path. */
void crash_write_xml(fixture *f, const char *disk);
/* Run each of the @n @scenarios killed at every step with SIGKILL, SIGINT
 * and SIGKILL of vpsh and QEMU (VP_CRASH_ONLY=TEXT: only the scenarios
 * whose name holds TEXT; VP_CRASH_KILLS=sigkill,sigint,qemu: only those
 * kinds of kill) as cmocka group @group, shared by VP_CRASH_JOBS
 * processes (default 2); its exit status. */
int crash_run_scenarios(const char *group, const scenario *scenarios, size_t n);

#define VPSH_OK(f, ...)                                                                            \
    do {                                                                                           \
        char *err_ = NULL;                                                                         \
        int st_ = crash_vpsh_run((f), (const char *const[]){__VA_ARGS__, NULL}, &err_);            \
        if (st_ != 0)                                                                              \
            fprintf(stderr, "vpsh failed: %s\n", err_ ? err_ : "");                                \
        free(err_);                                                                                \
        assert_int_equal(st_, 0);                                                                  \
    } while (0)

#endif /* VIRTPLUG_TESTS_QEMU_CRASH_HARNESS_H */
