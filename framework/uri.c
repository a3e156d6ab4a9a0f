/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * uri.c: connection URIs.
 *
 * Owns parsing "scheme://[host]/path[?key=value&...]" into its parts, with
 * percent-decoding, and the accessors plugins read them with. A malformed
 * URI is an error that says what is wrong and where; nothing is guessed.
 */
#include <config.h>

#include <ctype.h>

#include "internal.h"

struct vp_plugin_uri {
    char *string;
    char *scheme;
    char *host;
    char *path;
    char **names;
    char **values;
    size_t n_params;
};

void
vpi_uri_free(vpi_uri *uri)
{
    if (!uri)
        return;
    for (size_t i = 0; i < uri->n_params; i++) {
        free(uri->names[i]);
        free(uri->values[i]);
    }
    free(uri->names);
    free(uri->values);
    free(uri->string);
    free(uri->scheme);
    free(uri->host);
    free(uri->path);
    free(uri);
}
VP_DEFINE_CLEANUP(vpi_uri, vpi_uri_free)

static int
hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)tolower((unsigned char)c);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* Decode [s, s+n) into a new string; '+' stays '+'. */
static int
decode(const char *uri, const char *what, const char *s, size_t n, char **ret)
{
    _cleanup_free_ char *out = vp_new0(char, n + 1);
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%') {
            int hi = i + 2 < n ? hexval(s[i + 1]) : -1;
            int lo = i + 2 < n ? hexval(s[i + 2]) : -1;
            if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
                return vp_error_set(VP_ERR_INVALID_ARG,
                                    "malformed URI '%s': bad percent-escape in the %s", uri, what);
            out[o++] = (char)(hi * 16 + lo);
            i += 2;
        } else {
            out[o++] = s[i];
        }
    }
    *ret = VP_STEAL_PTR(out);
    return 0;
}

static int
parse_query(vpi_uri *uri, const char *q)
{
    while (*q) {
        const char *amp = strchrnul(q, '&');
        const char *eq = memchr(q, '=', (size_t)(amp - q));
        if (amp == q)
            return vp_error_set(VP_ERR_INVALID_ARG, "malformed URI '%s': empty query parameter",
                                uri->string);
        const char *name_end = eq ? eq : amp;
        if (name_end == q)
            return vp_error_set(VP_ERR_INVALID_ARG,
                                "malformed URI '%s': query parameter without a name", uri->string);
        _cleanup_free_ char *name = NULL, *value = NULL;
        int r = decode(uri->string, "query", q, (size_t)(name_end - q), &name);
        if (r < 0)
            return r;
        r = eq ? decode(uri->string, "query", eq + 1, (size_t)(amp - eq - 1), &value)
               : (value = vp_strdup(""), 0);
        if (r < 0)
            return r;
        for (size_t i = 0; i < uri->n_params; i++)
            if (strcmp(uri->names[i], name) == 0)
                return vp_error_set(VP_ERR_INVALID_ARG,
                                    "malformed URI '%s': parameter '%s' is given twice",
                                    uri->string, name);
        uri->names = vp_renew(char *, uri->names, uri->n_params + 1);
        uri->values = vp_renew(char *, uri->values, uri->n_params + 1);
        uri->names[uri->n_params] = VP_STEAL_PTR(name);
        uri->values[uri->n_params] = VP_STEAL_PTR(value);
        uri->n_params++;
        q = *amp ? amp + 1 : amp;
        if (*amp && !*q)
            return vp_error_set(VP_ERR_INVALID_ARG, "malformed URI '%s': empty query parameter",
                                uri->string);
    }
    return 0;
}

static int
parse_scheme(vpi_uri *uri, const char **rest)
{
    const char *s = uri->string;
    const char *sep = strstr(s, "://");
    if (!sep)
        return vp_error_set(
            VP_ERR_INVALID_ARG,
            "malformed URI '%s': expected 'scheme:///path', such as 'test:///default'", s);
    if (sep == s)
        return vp_error_set(VP_ERR_INVALID_ARG, "malformed URI '%s': the scheme is empty", s);
    for (const char *p = s; p < sep; p++) {
        bool ok = isalpha((unsigned char)*p) ||
                  (p > s && (isdigit((unsigned char)*p) || *p == '+' || *p == '-' || *p == '.'));
        /* A byte of a multi-byte character is not quoted alone: the message stays UTF-8. */
        if (!isascii((unsigned char)*p))
            return vp_error_set(VP_ERR_INVALID_ARG,
                                "malformed URI '%s': non-ASCII character in the scheme", s);
        if (!ok)
            return vp_error_set(VP_ERR_INVALID_ARG,
                                "malformed URI '%s': invalid character '%c' in the scheme", s, *p);
    }
    uri->scheme = vp_strndup(s, (size_t)(sep - s));
    for (char *p = uri->scheme; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    *rest = sep + 3;
    return 0;
}

int
vpi_uri_parse(const char *str, vpi_uri **ret_uri)
{
    if (!str)
        return vp_error_set(VP_ERR_INVALID_ARG, "invalid argument: %s", "uri");
    _cleanup_(vpi_uri_freep) vpi_uri *uri = vp_new0(vpi_uri, 1);
    uri->string = vp_strdup(str);
    for (const char *p = str; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == 0x7f)
            return vp_error_set(VP_ERR_INVALID_ARG,
                                "malformed URI '%s': it contains a space or control character",
                                str);
    const char *rest = NULL;
    int r = parse_scheme(uri, &rest);
    if (r < 0)
        return r;
    const char *frag = strchr(rest, '#');
    if (frag)
        return vp_error_set(VP_ERR_INVALID_ARG,
                            "malformed URI '%s': fragments ('#') are not allowed", str);
    const char *q = strchr(rest, '?');
    const char *end = q ? q : rest + strlen(rest);
    const char *slash = memchr(rest, '/', (size_t)(end - rest));
    const char *host_end = slash ? slash : end;
    r = decode(str, "host", rest, (size_t)(host_end - rest), &uri->host);
    if (r < 0)
        return r;
    r = decode(str, "path", host_end, (size_t)(end - host_end), &uri->path);
    if (r < 0)
        return r;
    if (q) {
        r = parse_query(uri, q + 1);
        if (r < 0)
            return r;
    }
    *ret_uri = VP_STEAL_PTR(uri);
    return 0;
}

VP_EXPORT const char *
vp_plugin_uri_get_string(const vp_plugin_uri *uri)
{
    return uri ? uri->string : NULL;
}

VP_EXPORT const char *
vp_plugin_uri_get_scheme(const vp_plugin_uri *uri)
{
    return uri ? uri->scheme : NULL;
}

VP_EXPORT const char *
vp_plugin_uri_get_host(const vp_plugin_uri *uri)
{
    return uri ? uri->host : NULL;
}

VP_EXPORT const char *
vp_plugin_uri_get_path(const vp_plugin_uri *uri)
{
    return uri ? uri->path : NULL;
}

VP_EXPORT const char *
vp_plugin_uri_get_param(const vp_plugin_uri *uri, const char *key)
{
    if (!uri || !key)
        return NULL;
    for (size_t i = 0; i < uri->n_params; i++)
        if (strcmp(uri->names[i], key) == 0)
            return uri->values[i];
    return NULL;
}

VP_EXPORT size_t
vp_plugin_uri_get_param_count(const vp_plugin_uri *uri)
{
    return uri ? uri->n_params : 0;
}

VP_EXPORT const char *
vp_plugin_uri_get_param_name(const vp_plugin_uri *uri, size_t index)
{
    return uri && index < uri->n_params ? uri->names[index] : NULL;
}

VP_EXPORT const char *
vp_plugin_uri_get_param_value(const vp_plugin_uri *uri, size_t index)
{
    return uri && index < uri->n_params ? uri->values[index] : NULL;
}
