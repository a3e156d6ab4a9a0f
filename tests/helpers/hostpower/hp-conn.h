/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * hp-conn.h: connections for tests of the node-suspend core and of
 * host-power drivers compiled into the test program.
 *
 * Builds a vp_conn the way vp_conn_open() would, on the built-in test
 * driver, without opening its hypervisor side, and with a chosen host-power
 * driver already opened: tests link the core's convenience library and so
 * must never load a plugin file (a second copy of the core). Also the
 * fixture those tests share: a private runtime directory per test, and
 * the request's result.
 */
#ifndef VP_TEST_HP_CONN_H
#define VP_TEST_HP_CONN_H

#include <virtplug/virtplug.h>
#include <virtplug/sdk/plugin.h>

#include "hp-tmp.h"

/* A connection for @uri whose host-power driver is @hostpower's (NULL: the
 * test driver's own, opened lazily as usual). Fails the test on error. */
vp_conn *hp_conn_new(const char *uri, const vp_plugin_descriptor *hostpower);

/* The opened host-power driver's private data (opens it if needed). */
void *hp_conn_hostpower_priv(vp_conn *conn);

/* The connection's node-suspend result. Fails the test on error. */
vp_node_suspend_result hp_conn_suspend_result(vp_conn *conn);

/* cmocka setup and teardown: each test gets a fresh VIRTPLUG_RUNTIME_DIR
 * (lock and record), removed afterwards. */
int hp_runtime_dir_setup(void **state);
int hp_runtime_dir_teardown(void **state);
/* That directory, between the two. */
const char *hp_runtime_dir(void);
/* A cmocka test with that setup and teardown. */
#define HP_RUNTIME_TEST(f)                                                                         \
    cmocka_unit_test_setup_teardown(f, hp_runtime_dir_setup, hp_runtime_dir_teardown)

#endif
