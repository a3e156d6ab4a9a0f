/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-services-common.h: what the tests of the SDK services 1.1 share
 * (names, key=value records, locks, processes, the state directory): a
 * private temporary directory per program, and assertions on the code
 * and the key words of the thread's error.
 */
#ifndef TEST_SERVICES_COMMON_H
#define TEST_SERVICES_COMMON_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <virtplug/sdk/alloc.h>
#include <virtplug/sdk/services.h>
#include <virtplug/virtplug.h>

static char svc_tmpdir[64];

static inline int
svc_setup(void **state)
{
    (void)state;
    snprintf(svc_tmpdir, sizeof(svc_tmpdir), "/tmp/vp-test-svc-XXXXXX");
    return mkdtemp(svc_tmpdir) ? 0 : -1;
}

static inline int
svc_teardown(void **state)
{
    (void)state;
    const char *argv[] = {"/bin/rm", "-rf", svc_tmpdir, NULL};
    int st;
    return vp_plugin_command_run(argv, 10000, &st, NULL, NULL);
}

/* @r is @code, and the thread's error has that code and every key word. */
#define svc_assert_error(r, code, ...)                                                             \
    do {                                                                                           \
        const char *kw_[] = {__VA_ARGS__, NULL};                                                   \
        svc_assert_error_((r), (code), kw_);                                                       \
    } while (0)

static inline void
svc_assert_error_(int r, int code, const char *const *keywords)
{
    const vp_error *e = vp_error_last();
    if (r != code)
        fail_msg("expected %s, got %d (%s)", vp_error_code_name(code), r,
                 e ? e->message : "no error set");
    assert_non_null(e);
    assert_int_equal(e->code, code);
    for (const char *const *k = keywords; *k; k++) {
        if (!strstr(e->message, *k))
            fail_msg("message '%s' lacks '%s'", e->message, *k);
    }
}

#endif /* TEST_SERVICES_COMMON_H */
