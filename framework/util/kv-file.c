/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * util/kv-file.c: small records of key=value lines.
 *
 * Owns the record format drivers keep their state in: one "key=value"
 * line per pair, keys of [A-Za-z0-9_.-], values escaped so that any
 * string (newlines, '=', control bytes, leading spaces) comes back
 * byte for byte. Records are written only through
 * vp_plugin_file_write_atomic(), so a reader sees the old record or the
 * new one. It never trims, guesses or drops: a line it cannot read is an
 * error naming the file and the line.
 */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define KV_KEY_MAX 128
#define KV_DEFAULT_MAX_BYTES (1024 * 1024)

static bool
key_char_ok(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == '-';
}

/* The position (1-based) of the first byte of @key that is not allowed,
 * 0 when the key is good; an empty or too long key gives its length + 1. */
static size_t
key_bad_at(const char *key, size_t len)
{
    if (len == 0 || len > KV_KEY_MAX)
        return len + 1;
    for (size_t i = 0; i < len; i++) {
        if (!key_char_ok(key[i]))
            return i + 1;
    }
    return 0;
}

/* ---- writing --------------------------------------------------------- */

typedef struct kv_buf {
    char *data;
    size_t len, cap;
} kv_buf;

static void
buf_add(kv_buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->data = vp_renew(char, b->data, b->cap);
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static void
buf_add_escaped(kv_buf *b, const char *value)
{
    for (const unsigned char *p = (const unsigned char *)value; *p; p++) {
        char esc[5];
        switch (*p) {
        case '\\':
            buf_add(b, "\\\\", 2);
            break;
        case '\n':
            buf_add(b, "\\n", 2);
            break;
        case '\r':
            buf_add(b, "\\r", 2);
            break;
        case '\t':
            buf_add(b, "\\t", 2);
            break;
        default:
            if (*p < 0x20 || *p == 0x7f) {
                snprintf(esc, sizeof(esc), "\\x%02x", *p);
                buf_add(b, esc, 4);
            } else {
                buf_add(b, (const char *)p, 1);
            }
        }
    }
}

static int
check_pairs(const char *path, const char *const *pairs)
{
    for (size_t i = 0; pairs[i]; i += 2) {
        if (!pairs[i + 1])
            return vp_error_set(
                VP_ERR_INVALID_ARG,
                "record '%s': key '%s' has no value (pairs must be key, value, ..., NULL)", path,
                pairs[i]);
        size_t bad = key_bad_at(pairs[i], strlen(pairs[i]));
        if (bad)
            return vp_error_set(
                VP_ERR_INVALID_ARG,
                "record '%s': invalid key '%s' (byte %zu): a key is 1 to %d characters of A-Z a-z 0-9 _ . -",
                path, pairs[i], bad, KV_KEY_MAX);
        for (size_t j = 0; j < i; j += 2) {
            if (strcmp(pairs[j], pairs[i]) == 0)
                return vp_error_set(VP_ERR_INVALID_ARG, "record '%s': key '%s' is given twice",
                                    path, pairs[i]);
        }
    }
    return 0;
}

int
vpi_kv_format(const char *name, const char *const *pairs, char **ret_text)
{
    int r = check_pairs(name, pairs);
    if (r < 0)
        return r;
    kv_buf b = {0};
    buf_add(&b, "", 0);
    for (size_t i = 0; pairs[i]; i += 2) {
        buf_add(&b, pairs[i], strlen(pairs[i]));
        buf_add(&b, "=", 1);
        buf_add_escaped(&b, pairs[i + 1]);
        buf_add(&b, "\n", 1);
    }
    *ret_text = b.data;
    return 0;
}

VP_EXPORT int
vp_plugin_kv_write(const char *path, const char *const *pairs, unsigned int mode)
{
    if (!path || !pairs)
        return vp_error_set(VP_ERR_INVALID_ARG, "invalid argument: %s", !path ? "path" : "pairs");
    _cleanup_free_ char *text = NULL;
    int r = vpi_kv_format(path, pairs, &text);
    if (r < 0)
        return r;
    return vp_plugin_file_write_atomic(path, text, strlen(text), mode);
}

/* ---- reading --------------------------------------------------------- */

/* The byte of the two hex digits at @s ("\\xHH"), or -1. */
static int
hex_byte(const char *s)
{
    if (!isxdigit((unsigned char)s[0]) || !isxdigit((unsigned char)s[1]))
        return -1;
    char digits[3] = {s[0], s[1], '\0'};
    return (int)strtol(digits, NULL, 16);
}

/* Undo the escapes of the @len bytes at @s; NULL on a bad escape. */
static char *
unescape(const char *s, size_t len)
{
    char *out = vp_new0(char, len + 1);
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] != '\\') {
            out[o++] = s[i];
            continue;
        }
        char c = ++i < len ? s[i] : '\0';
        int byte;
        if (c == '\\')
            out[o++] = '\\';
        else if (c == 'n')
            out[o++] = '\n';
        else if (c == 'r')
            out[o++] = '\r';
        else if (c == 't')
            out[o++] = '\t';
        else if (c == 'x' && i + 2 < len && (byte = hex_byte(s + i + 1)) > 0) {
            out[o++] = (char)byte;
            i += 2;
        } else {
            free(out);
            return NULL;
        }
    }
    return out;
}

static int
parse_line(const char *path, int lineno, const char *line, size_t len, char ***pairs, size_t *n)
{
    const char *eq = memchr(line, '=', len);
    if (!eq)
        return vp_error_set(VP_ERR_INVALID_ARG, "record '%s' line %d: no '=' (expected key=value)",
                            path, lineno);
    size_t klen = (size_t)(eq - line);
    if (key_bad_at(line, klen))
        return vp_error_set(
            VP_ERR_INVALID_ARG,
            "record '%s' line %d: invalid key '%.*s': a key is 1 to %d characters of A-Z a-z 0-9 _ . -",
            path, lineno, (int)klen, line, KV_KEY_MAX);
    for (size_t i = 0; i < *n; i += 2) {
        if (strlen((*pairs)[i]) == klen && strncmp((*pairs)[i], line, klen) == 0)
            return vp_error_set(VP_ERR_INVALID_ARG, "record '%s' line %d: key '%.*s' appears twice",
                                path, lineno, (int)klen, line);
    }
    char *value = unescape(eq + 1, len - klen - 1);
    if (!value)
        return vp_error_set(
            VP_ERR_INVALID_ARG,
            "record '%s' line %d: bad escape in the value of '%.*s' (known: \\\\ \\n \\r \\t \\xHH)",
            path, lineno, (int)klen, line);
    *pairs = vp_renew(char *, *pairs, *n + 3);
    (*pairs)[(*n)++] = vp_strndup(line, klen);
    (*pairs)[(*n)++] = value;
    (*pairs)[*n] = NULL;
    return 0;
}

VP_EXPORT int
vp_plugin_kv_read(const char *path, size_t max_bytes, char ***ret_pairs)
{
    if (!path || !ret_pairs)
        return vp_error_set(VP_ERR_INVALID_ARG, "invalid argument: %s",
                            !path ? "path" : "ret_pairs");
    _cleanup_free_ char *text = NULL;
    size_t size = 0;
    int r = vp_plugin_file_read(path, max_bytes ? max_bytes : KV_DEFAULT_MAX_BYTES, &text, &size);
    if (r < 0)
        return r;
    return vpi_kv_parse(path, text, size, ret_pairs);
}

int
vpi_kv_parse(const char *path, const char *text, size_t size, char ***ret_pairs)
{
    if (memchr(text, '\0', size))
        return vp_error_set(VP_ERR_INVALID_ARG, "record '%s' holds a NUL byte; it is not a record",
                            path);
    int r;
    _cleanup_strv_free_ char **pairs = vp_new0(char *, 1);
    size_t n = 0;
    int lineno = 0;
    for (const char *line = text; *line;) {
        size_t len = strcspn(line, "\n");
        lineno++;
        if (len > 0 && line[0] != '#') {
            r = parse_line(path, lineno, line, len, &pairs, &n);
            if (r < 0)
                return r;
        }
        line += len + (line[len] == '\n');
    }
    *ret_pairs = VP_STEAL_PTR(pairs);
    return 0;
}

VP_EXPORT const char *
vp_plugin_kv_get(char *const *pairs, const char *key)
{
    if (!pairs || !key)
        return NULL;
    for (size_t i = 0; pairs[i] && pairs[i + 1]; i += 2) {
        if (strcmp(pairs[i], key) == 0)
            return pairs[i + 1];
    }
    return NULL;
}
