/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-test-driver-common.h: helpers shared by the test driver's tests.
 *
 * Assertions on the thread's error and small domain XML documents. Every
 * test opens its own test:///default connection: each connection has its
 * own in-memory host, so tests cannot see each other's domains.
 */
#ifndef TEST_TEST_DRIVER_COMMON_H
#define TEST_TEST_DRIVER_COMMON_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <virtplug/virtplug.h>

#define TEST_UUID "6695eb01-f6a4-8304-79aa-97f2502e193f"

static inline void
assert_error(int r, int code, const char *keyword)
{
    if (r != code)
        fail_msg("expected %s, got %d (%s)", vp_error_code_name(code), r,
                 vp_error_last() ? vp_error_last()->message : "no error set");
    const vp_error *e = vp_error_last();
    assert_non_null(e);
    assert_int_equal(e->code, code);
    const char *message = e->message ? e->message : "";
    if (!strstr(message, keyword))
        fail_msg("message '%s' lacks '%s'", message, keyword);
}

static inline void
assert_ok(int r)
{
    if (r < 0)
        fail_msg("call failed with %d: %s", r,
                 vp_error_last() ? vp_error_last()->message : "no error set");
}

static inline vp_conn *
open_default(void)
{
    vp_conn *conn = NULL;
    assert_ok(vp_conn_open("test:///default", 0, &conn));
    assert_non_null(conn);
    return conn;
}

static inline vp_domain *
lookup(vp_conn *conn, const char *name)
{
    vp_domain *dom = NULL;
    assert_ok(vp_domain_lookup_by_name(conn, name, &dom));
    return dom;
}

static inline void
assert_state(vp_domain *dom, int want_state, int want_reason)
{
    int state = -1, reason = -1;
    assert_ok(vp_domain_get_state(dom, &state, &reason, 0));
    assert_int_equal(state, want_state);
    assert_int_equal(reason, want_reason);
}

/* A minimal domain document; @uuid may be NULL (the parser generates one). */
static inline char *
domain_xml(const char *name, const char *uuid)
{
    char *xml = NULL;
    int n = asprintf(&xml,
                     "<domain type='test'>\n"
                     "  <name>%s</name>\n"
                     "%s%s%s"
                     "  <memory unit='KiB'>1048576</memory>\n"
                     "  <vcpu>1</vcpu>\n"
                     "  <os>\n"
                     "    <type>hvm</type>\n"
                     "  </os>\n"
                     "</domain>\n",
                     name, uuid ? "  <uuid>" : "", uuid ? uuid : "", uuid ? "</uuid>\n" : "");
    assert_true(n > 0);
    return xml;
}

/* Define @name. */
static inline vp_domain *
define(vp_conn *conn, const char *name, const char *uuid)
{
    char *xml = domain_xml(name, uuid);
    vp_domain *dom = NULL;
    int r = vp_domain_define_xml(conn, xml, 0, &dom);
    free(xml);
    assert_ok(r);
    assert_non_null(dom);
    assert_string_equal(vp_domain_get_name(dom), name);
    return dom;
}

#endif
