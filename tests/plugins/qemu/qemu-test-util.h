/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-test-util.h: what the QEMU driver's tests share: private embed
 * roots, killing every QEMU a test started (also after a failure), and
 * running this test program again as a second process.
 */
#ifndef VIRTPLUG_TESTS_QEMU_TEST_UTIL_H
#define VIRTPLUG_TESTS_QEMU_TEST_UTIL_H

#include <stdbool.h>
#include <sys/types.h>

#include <virtplug/virtplug.h>

#include "test-assert.h"

/* A fresh directory under /tmp. (transfer full) */
char *qt_root_new(void);
/* SIGKILL every QEMU whose pidfile or record is under @root/run, then
 * remove @root. NULL-safe. */
void qt_root_destroy(char *root);
/* "qemu:///embed?root=ROOT" plus "&EXTRA" when given. (transfer full) */
char *qt_uri(const char *root, const char *extra);
/* What most QEMU tests start from: a fresh root and a connection to
 * qt_uri(root, @extra) (asserts it opens). */
typedef struct qt_root_conn {
    char *root;
    vp_conn *conn;
} qt_root_conn;
qt_root_conn *qt_root_conn_open(const char *extra);
/* Close the connection, then qt_root_destroy(). NULL-safe. */
void qt_root_conn_close(qt_root_conn *f);
/* The pid in ROOT/run/NAME.pid, or -1. */
pid_t qt_pid(const char *root, const char *name);
/* ROOT/run/NAME.SUFFIX exists. */
bool qt_run_file_exists(const char *root, const char *name, const char *suffix);
/* Whether @pid is gone (or a zombie) within @timeout_ms. */
bool qt_wait_pid_gone(pid_t pid, int timeout_ms);

/* Run this program (@qt_self: main()'s argv[0], which also works under
 * valgrind, unlike /proc/self/exe) again with @args (NULL-terminated) and
 * return its exit status, or -1. Its main() hands "child-*" arguments to
 * qt_child_main(). */
extern const char *qt_self;
int qt_run_self(const char *const *args);
/* A second process: "child-state URI NAME" exits with state * 10 + reason;
 * "child-start URI NAME" starts the domain first. */
int qt_child_main(int argc, char **argv);

/* Run @argv (argv[0] absolute), return its exit status and, when
 * @ret_out is given, its stdout as text (free()), each NUL byte read as
 * '.'. -1 when it could not run. */
int qt_run_capture(const char *const *argv, char **ret_out);
/* The vpsh built beside the tests: VP_VPSH (make check names the program
 * itself, not libtool's wrapper script, which costs 50 ms a run), else the
 * wrapper under VP_TOP_BUILDDIR. (transfer full) */
char *qt_vpsh_path(void);
/* Start vpsh (the one built beside the tests) -c the URI of @root with
 * @args (NULL-terminated, at most 8), its descriptor @fd written to the
 * file @file (not a pipe: a QEMU it starts inherits it), and @env
 * ("NAME=VALUE"s, NULL-terminated, nullable) in place of those names in
 * this process's environment; its pid. */
pid_t qt_vpsh_spawn(const char *root, const char *const *args, int fd, const char *file,
                    const char *const *env);

/* ip(8), for the tests that run in a network namespace of their own. */
#define QT_IP "/usr/sbin/ip"
/* Move this process into a network namespace of its own, so every tap and
 * bridge it or the driver makes never reaches the host's network: 0, or
 * 77 (the exit status of a skipped test, said on stderr) where that is
 * not allowed or ip(8) or /dev/net/tun is missing. */
int qt_netns_enter(void);

/* Run @argv (argv[0] a path) with VIRTPLUG_TEST_STOP_AT=@step, wait until
 * it stops there (qemu-step.c) and kill it. */
void qt_kill_at_step(const char *const *argv, int step);

/* Assert that @dom reads @state with @reason. */
void qt_assert_state(vp_domain *dom, int state, int reason);

/* The start of a test's main(): runs a child of qt_run_self() when asked
 * (returns its status), or returns 77 (skip) when @qemu is not installed;
 * else -1: run the tests. */
int qt_main_start(int argc, char **argv, const char *qemu);

/* Assert a failure: code and every key word of the message
 * (test-assert.h). */
#define qt_assert_error vpt_assert_error_words
#define QT_ASSERT_ERROR vpt_assert_error

/* The size field of the list's confirmation RUN/@name.events-seen under
 * @root, or -1 when there is none. */
long long qt_events_seen_size(const char *root, const char *name);

#endif /* VIRTPLUG_TESTS_QEMU_TEST_UTIL_H */
