/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * json-writer.c: the small JSON writer behind vpsh --json.
 *
 * Owns the syntax of the one document vpsh prints: commas, nesting,
 * indentation and string escaping (RFC 8259; invalid UTF-8 is replaced by
 * U+FFFD so the output always parses). It never decides what goes in the
 * document and never depends on a JSON library, so vpsh stays small.
 */
#include <config.h>

#include <assert.h>

#include "vpsh.h"

#define JSON_MAX_DEPTH 16

struct vpsh_json {
    FILE *out;
    int depth;
    bool first[JSON_MAX_DEPTH + 1]; /* no member written yet at this depth */
};

vpsh_json *
vpsh_json_new(FILE *out)
{
    vpsh_json *js = vp_new0(vpsh_json, 1);
    js->out = out;
    js->first[0] = true;
    return js;
}

void
vpsh_json_free(vpsh_json *js)
{
    free(js);
}

/* The length of the valid UTF-8 sequence at @s, or 0 if it is not one. */
static size_t
utf8_len(const unsigned char *s)
{
    size_t n;
    uint32_t cp;
    if (s[0] < 0x80)
        return 1;
    if ((s[0] & 0xe0) == 0xc0) {
        n = 2;
        cp = s[0] & 0x1f;
    } else if ((s[0] & 0xf0) == 0xe0) {
        n = 3;
        cp = s[0] & 0x0f;
    } else if ((s[0] & 0xf8) == 0xf0) {
        n = 4;
        cp = s[0] & 0x07;
    } else {
        return 0;
    }
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    /* Overlong forms, surrogates and values past U+10FFFF are invalid. */
    static const uint32_t min_cp[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min_cp[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return n;
}

void
vpsh_json_write_string(FILE *out, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    fputc('"', out);
    while (*p) {
        unsigned char c = *p;
        switch (c) {
        case '"':
            fputs("\\\"", out);
            break;
        case '\\':
            fputs("\\\\", out);
            break;
        case '\b':
            fputs("\\b", out);
            break;
        case '\f':
            fputs("\\f", out);
            break;
        case '\n':
            fputs("\\n", out);
            break;
        case '\r':
            fputs("\\r", out);
            break;
        case '\t':
            fputs("\\t", out);
            break;
        default:
            if (c < 0x20 || c == 0x7f) {
                fprintf(out, "\\u%04x", c);
            } else if (c >= 0x80) {
                size_t n = utf8_len(p);
                if (n == 0) {
                    fputs("\\ufffd", out);
                    p++;
                    continue;
                }
                fwrite(p, 1, n, out);
                p += n;
                continue;
            } else {
                fputc(c, out);
            }
        }
        p++;
    }
    fputc('"', out);
}

static void
json_indent(vpsh_json *js)
{
    fputc('\n', js->out);
    for (int i = 0; i < js->depth; i++)
        fputs("  ", js->out);
}

/* Before any value: the comma, the indentation and the member name. */
static void
json_prefix(vpsh_json *js, const char *key)
{
    if (js->depth > 0) {
        if (!js->first[js->depth])
            fputc(',', js->out);
        json_indent(js);
    }
    js->first[js->depth] = false;
    if (key) {
        vpsh_json_write_string(js->out, key);
        fputs(": ", js->out);
    }
}

/* After a value: the top-level document ends with a newline. */
static void
json_suffix(vpsh_json *js)
{
    if (js->depth == 0)
        fputc('\n', js->out);
}

static void
json_open(vpsh_json *js, const char *key, char bracket)
{
    assert(js->depth < JSON_MAX_DEPTH);
    json_prefix(js, key);
    fputc(bracket, js->out);
    js->depth++;
    js->first[js->depth] = true;
}

static void
json_close(vpsh_json *js, char bracket)
{
    assert(js->depth > 0);
    bool empty = js->first[js->depth];
    js->depth--;
    if (!empty)
        json_indent(js);
    fputc(bracket, js->out);
    json_suffix(js);
}

void
vpsh_json_begin_object(vpsh_json *js, const char *key)
{
    json_open(js, key, '{');
}

void
vpsh_json_end_object(vpsh_json *js)
{
    json_close(js, '}');
}

void
vpsh_json_begin_array(vpsh_json *js, const char *key)
{
    json_open(js, key, '[');
}

void
vpsh_json_end_array(vpsh_json *js)
{
    json_close(js, ']');
}

void
vpsh_json_string(vpsh_json *js, const char *key, const char *value)
{
    json_prefix(js, key);
    if (value)
        vpsh_json_write_string(js->out, value);
    else
        fputs("null", js->out);
    json_suffix(js);
}

void
vpsh_json_int(vpsh_json *js, const char *key, long long value)
{
    json_prefix(js, key);
    fprintf(js->out, "%lld", value);
    json_suffix(js);
}

void
vpsh_json_uint(vpsh_json *js, const char *key, unsigned long long value)
{
    json_prefix(js, key);
    fprintf(js->out, "%llu", value);
    json_suffix(js);
}

void
vpsh_json_bool(vpsh_json *js, const char *key, bool value)
{
    json_prefix(js, key);
    fputs(value ? "true" : "false", js->out);
    json_suffix(js);
}

void
vpsh_json_null(vpsh_json *js, const char *key)
{
    json_prefix(js, key);
    fputs("null", js->out);
    json_suffix(js);
}

void
vpsh_json_raw(vpsh_json *js, const char *key, const char *json)
{
    json_prefix(js, key);
    /* Newlines outside strings are layout only (inside they are escaped):
     * indent the document's lines at this depth, without its final one. */
    size_t len = strlen(json);
    while (len > 0 && json[len - 1] == '\n')
        len--;
    for (size_t i = 0; i < len; i++) {
        if (json[i] == '\n') {
            json_indent(js);
        } else {
            fputc(json[i], js->out);
        }
    }
    json_suffix(js);
}
