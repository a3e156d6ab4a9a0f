/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * json-flatten.c: JSON text to "path = value" pairs, for vpsh's text output.
 *
 * Owns a small strict JSON reader that walks one document and reports
 * every scalar with its dotted path ("fsinfo.0.mountpoint"). vpsh uses it
 * to print documents the library hands back as JSON (guestinfo) the way
 * virsh prints them. It never prints; malformed input is an error.
 */
#include <config.h>

#include <ctype.h>
#include <string.h>

#include "vpsh.h"

#define FLATTEN_MAX_DEPTH 32

typedef struct flat {
    const char *s;
    vpsh_json_emit_fn emit;
    void *userdata;
    char *path;
    size_t path_len, path_cap;
} flat;

static void
skip_ws(flat *f)
{
    while (*f->s == ' ' || *f->s == '\t' || *f->s == '\n' || *f->s == '\r')
        f->s++;
}

static void
path_push(flat *f, const char *part, size_t *saved)
{
    size_t n = strlen(part);
    *saved = f->path_len;
    if (f->path_len + n + 2 > f->path_cap) {
        f->path_cap = (f->path_len + n + 2) * 2;
        f->path = vp_renew(char, f->path, f->path_cap);
    }
    if (f->path_len > 0)
        f->path[f->path_len++] = '.';
    memcpy(f->path + f->path_len, part, n + 1);
    f->path_len += n;
}

static void
path_pop(flat *f, size_t saved)
{
    f->path_len = saved;
    if (f->path)
        f->path[saved] = '\0';
}

static void
put_utf8(char *out, size_t *o, unsigned long cp)
{
    if (cp < 0x80) {
        out[(*o)++] = (char)cp;
    } else if (cp < 0x800) {
        out[(*o)++] = (char)(0xc0 | (cp >> 6));
        out[(*o)++] = (char)(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
        out[(*o)++] = (char)(0xe0 | (cp >> 12));
        out[(*o)++] = (char)(0x80 | ((cp >> 6) & 0x3f));
        out[(*o)++] = (char)(0x80 | (cp & 0x3f));
    } else {
        out[(*o)++] = (char)(0xf0 | (cp >> 18));
        out[(*o)++] = (char)(0x80 | ((cp >> 12) & 0x3f));
        out[(*o)++] = (char)(0x80 | ((cp >> 6) & 0x3f));
        out[(*o)++] = (char)(0x80 | (cp & 0x3f));
    }
}

static int
hex4(const char *s, unsigned long *ret)
{
    unsigned long v = 0;
    for (int i = 0; i < 4; i++) {
        if (!isxdigit((unsigned char)s[i]))
            return -1;
        v = v * 16 + (unsigned long)(isdigit((unsigned char)s[i])
                                         ? s[i] - '0'
                                         : (tolower((unsigned char)s[i]) - 'a' + 10));
    }
    *ret = v;
    return 0;
}

/* A string at f->s (after the quote); the decoded copy is malloc()ed. */
static int
read_string(flat *f, char **ret)
{
    const char *end = f->s;
    while (*end && *end != '"')
        end += (*end == '\\' && end[1]) ? 2 : 1;
    if (*end != '"')
        return -1;
    char *out = vp_new0(char, (size_t)(end - f->s) + 1);
    size_t o = 0;
    for (const char *p = f->s; p < end; p++) {
        if ((unsigned char)*p < 0x20)
            goto bad;
        if (*p != '\\') {
            out[o++] = *p;
            continue;
        }
        p++;
        const char *simple = strchr("\"\\/bfnrt", *p);
        if (simple && *p) {
            out[o++] = "\"\\/\b\f\n\r\t"[simple - "\"\\/bfnrt"];
            continue;
        }
        unsigned long cp, lo;
        if (*p != 'u' || end - p < 5 || hex4(p + 1, &cp) < 0)
            goto bad;
        p += 4;
        if (cp >= 0xd800 && cp < 0xdc00 && end - p >= 7 && p[1] == '\\' && p[2] == 'u' &&
            hex4(p + 3, &lo) == 0 && lo >= 0xdc00 && lo < 0xe000) {
            cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
            p += 6;
        }
        put_utf8(out, &o, cp);
    }
    out[o] = '\0';
    f->s = end + 1;
    *ret = out;
    return 0;
bad:
    free(out);
    return -1;
}

static int read_value(flat *f, int depth);

static int
read_members(flat *f, int depth, char close)
{
    f->s++;
    skip_ws(f);
    if (*f->s == close) {
        f->s++;
        return 0;
    }
    for (size_t index = 0;; index++) {
        _cleanup_free_ char *key = NULL;
        if (close == '}') {
            if (*f->s != '"')
                return -1;
            f->s++;
            if (read_string(f, &key) < 0)
                return -1;
            skip_ws(f);
            if (*f->s++ != ':')
                return -1;
        } else {
            key = vp_asprintf("%zu", index);
        }
        size_t saved;
        path_push(f, key, &saved);
        int r = read_value(f, depth + 1);
        path_pop(f, saved);
        if (r < 0)
            return r;
        skip_ws(f);
        if (*f->s == close) {
            f->s++;
            return 0;
        }
        if (*f->s++ != ',')
            return -1;
        skip_ws(f);
    }
}

static int
read_scalar(flat *f)
{
    static const char *const words[] = {"true", "false", "null"};
    for (size_t i = 0; i < 3; i++) {
        size_t n = strlen(words[i]);
        if (strncmp(f->s, words[i], n) == 0) {
            f->s += n;
            f->emit(f->userdata, f->path ? f->path : "", words[i]);
            return 0;
        }
    }
    const char *start = f->s;
    if (*f->s == '-')
        f->s++;
    if (!isdigit((unsigned char)*f->s))
        return -1;
    while (isdigit((unsigned char)*f->s) || strchr(".eE+-", *f->s))
        f->s++;
    _cleanup_free_ char *num = vp_strndup(start, (size_t)(f->s - start));
    f->emit(f->userdata, f->path ? f->path : "", num);
    return 0;
}

static int
read_value(flat *f, int depth)
{
    if (depth > FLATTEN_MAX_DEPTH)
        return -1;
    skip_ws(f);
    if (*f->s == '{')
        return read_members(f, depth, '}');
    if (*f->s == '[')
        return read_members(f, depth, ']');
    if (*f->s == '"') {
        f->s++;
        _cleanup_free_ char *s = NULL;
        if (read_string(f, &s) < 0)
            return -1;
        f->emit(f->userdata, f->path ? f->path : "", s);
        return 0;
    }
    return read_scalar(f);
}

int
vpsh_json_flatten(const char *text, vpsh_json_emit_fn emit, void *userdata)
{
    flat f = {.s = text, .emit = emit, .userdata = userdata};
    int r = read_value(&f, 0);
    if (r == 0) {
        skip_ws(&f);
        if (*f.s != '\0')
            r = -1;
    }
    free(f.path);
    return r;
}
