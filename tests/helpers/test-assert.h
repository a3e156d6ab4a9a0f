/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-assert.h: the error assertion every test program uses: a call
 * returned @code, the thread's last error has that code, and its message
 * holds each of the given words. Header-only, for cmocka programs.
 */
#ifndef VIRTPLUG_TESTS_TEST_ASSERT_H
#define VIRTPLUG_TESTS_TEST_ASSERT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include <virtplug/virtplug.h>

/* Assert @r == @code, the last error's code is @code and its message
 * holds every word of the NULL-terminated @words. */
static inline void
vpt_assert_error_words(int r, int code, const char *const *words)
{
    const vp_error *e = vp_error_last();
    if (r != code || !e || e->code != code)
        fail_msg("expected %s, got %d (%s: %s)", vp_error_code_name(code), r,
                 e ? vp_error_code_name(e->code) : "no error", e ? e->message : "");
    for (; *words; words++)
        if (!strstr(e->message, *words))
            fail_msg("message '%s' lacks '%s'", e->message, *words);
}

/* vpt_assert_error(r, code, "word", ...): the words as arguments; a NULL
 * among them ends the list early. */
#define vpt_assert_error(r, code, ...)                                                             \
    vpt_assert_error_words((r), (code), (const char *const[]){__VA_ARGS__, NULL})

#endif
