/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/* Vendored unchanged (but for these lines) from git ff64fb9: the SDK 1.0 headers, so that
 * tests/plugins/sdk-1.0/old-plugin.c is built as a plugin of ABI 1.0 was. */
/*
 * alloc.h: allocation helpers that abort on out-of-memory, and cleanup
 * attributes. Header-only, so plugins and the core share them without a
 * symbol. Out of memory is not an error virtplug reports: it aborts, so no
 * code path exists that cannot be tested.
 *
 * Since: 1.0
 */
#ifndef VIRTPLUG_SDK_ALLOC_H
#define VIRTPLUG_SDK_ALLOC_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

static inline void *
vp_plugin_oom_check_(void *p)
{
    if (!p)
        abort();
    return p;
}

#define vp_new0(type, n) ((type *)vp_plugin_oom_check_(calloc((n) ? (n) : 1, sizeof(type))))
#define vp_renew(type, p, n)                                                                       \
    ((type *)vp_plugin_oom_check_(reallocarray((p), (n) ? (n) : 1, sizeof(type))))

static inline char *
vp_strdup(const char *s)
{
    return s ? (char *)vp_plugin_oom_check_(strdup(s)) : NULL;
}

static inline char *
vp_strndup(const char *s, size_t n)
{
    return s ? (char *)vp_plugin_oom_check_(strndup(s, n)) : NULL;
}

__attribute__((format(printf, 1, 0))) static inline char *
vp_vasprintf(const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        abort();
    char *s = (char *)vp_plugin_oom_check_(malloc((size_t)n + 1));
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

__attribute__((format(printf, 1, 2))) static inline char *
vp_asprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = vp_vasprintf(fmt, ap);
    va_end(ap);
    return s;
}

/* Free a NULL-terminated array of strings. NULL-safe. */
static inline void
vp_strv_free(char **v)
{
    if (!v)
        return;
    for (char **p = v; *p; p++)
        free(*p);
    free(v);
}

#define _cleanup_(f) __attribute__((cleanup(f)))

static inline void
vp_freep(void *p)
{
    free(*(void **)p);
}
#define _cleanup_free_ _cleanup_(vp_freep)

static inline void
vp_strv_freep(char ***p)
{
    vp_strv_free(*p);
}
#define _cleanup_strv_free_ _cleanup_(vp_strv_freep)

/* Declare foop(foo **) calling foo_free(*p), for _cleanup_(foop). */
#define VP_DEFINE_CLEANUP(type, func)                                                              \
    static inline void func##p(type **p)                                                           \
    {                                                                                              \
        if (*p)                                                                                    \
            func(*p);                                                                              \
    }

/* Hand ownership out of a _cleanup_ variable. */
#define VP_STEAL_PTR(p)                                                                            \
    ({                                                                                             \
        __typeof__(p) steal_ = (p);                                                                \
        (p) = NULL;                                                                                \
        steal_;                                                                                    \
    })

#ifdef __cplusplus
}
#endif

#endif /* VIRTPLUG_SDK_ALLOC_H */
