/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * xml-buf.c: the output buffer of the XML formatters.
 *
 * Owns escaping: text and attribute values are written so that parsing
 * them back gives the same bytes (carriage returns and tabs included).
 * It must never write a byte sequence that is not XML 1.0: a field with
 * invalid UTF-8 or a control character is refused, not mangled.
 */
#include <config.h>

#include <stdarg.h>

#include "internal.h"
#include "conf/xml-util.h"

static void
buf_reserve(vpi_buf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra + 1)
        cap *= 2;
    b->data = vp_renew(char, b->data, cap);
    b->cap = cap;
}

static void
buf_addn(vpi_buf *b, const char *s, size_t n)
{
    buf_reserve(b, n);
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void
vpi_buf_add(vpi_buf *b, const char *s)
{
    buf_addn(b, s, strlen(s));
}

/* Formats straight into the buffer: most calls fit the room already there. */
void
vpi_buf_printf(vpi_buf *b, const char *fmt, ...)
{
    buf_reserve(b, 64);
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    if (n < 0)
        abort();
    if ((size_t)n >= b->cap - b->len) {
        buf_reserve(b, (size_t)n);
        va_start(ap, fmt);
        vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
        va_end(ap);
    }
    b->len += (size_t)n;
}

/* Length of the valid UTF-8 XML character at @s, or 0. */
static size_t
utf8_char_len(const unsigned char *s)
{
    unsigned cp;
    size_t n;
    if (s[0] < 0x80)
        return 1;
    else if ((s[0] & 0xE0) == 0xC0)
        n = 2, cp = s[0] & 0x1F;
    else if ((s[0] & 0xF0) == 0xE0)
        n = 3, cp = s[0] & 0x0F;
    else if ((s[0] & 0xF8) == 0xF0)
        n = 4, cp = s[0] & 0x07;
    else
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    static const unsigned min[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE ||
        cp == 0xFFFF)
        return 0;
    return n;
}

static const char *
escape_ascii(char c, bool attr)
{
    switch (c) {
    case '<':
        return "&lt;";
    case '>':
        return "&gt;";
    case '&':
        return "&amp;";
    case '\r':
        return "&#13;";
    case '\'':
        return attr ? "&apos;" : NULL;
    case '"':
        return attr ? "&quot;" : NULL;
    case '\n':
        return attr ? "&#10;" : NULL;
    case '\t':
        return attr ? "&#9;" : NULL;
    default:
        return NULL;
    }
}

void
vpi_buf_escape(vpi_buf *b, const char *field, const char *s, bool attr)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        /* Copy the run of characters that need no escaping in one go. */
        const unsigned char *run = p;
        size_t n;
        while (*p >= 0x20 && !escape_ascii((char)*p, attr) && (n = utf8_char_len(p)) > 0)
            p += n;
        if (p > run)
            buf_addn(b, (const char *)run, (size_t)(p - run));
        if (!*p)
            break;
        const char *esc = escape_ascii((char)*p, attr);
        if (esc) {
            vpi_buf_add(b, esc);
            p++;
        } else if (*p == '\t' || *p == '\n') {
            buf_addn(b, (const char *)p++, 1);
        } else {
            if (!b->bad)
                b->bad = field;
            return;
        }
    }
}

void
vpi_buf_text_elem(vpi_buf *b, int indent, const char *name, const char *text)
{
    if (!text)
        return;
    static const char spaces[] = "                ";
    buf_addn(b, spaces, (size_t)indent < sizeof(spaces) - 1 ? (size_t)indent : sizeof(spaces) - 1);
    buf_addn(b, "<", 1);
    vpi_buf_add(b, name);
    buf_addn(b, ">", 1);
    vpi_buf_escape(b, name, text, false);
    buf_addn(b, "</", 2);
    vpi_buf_add(b, name);
    buf_addn(b, ">\n", 2);
}

void
vpi_buf_attr(vpi_buf *b, const char *name, const char *value)
{
    if (!value)
        return;
    buf_addn(b, " ", 1);
    vpi_buf_add(b, name);
    buf_addn(b, "='", 2);
    vpi_buf_escape(b, name, value, true);
    buf_addn(b, "'", 1);
}

int
vpi_buf_finish(vpi_buf *b, const char *what, char **ret_xml)
{
    if (b->bad) {
        int r = vp_error_set(
            VP_ERR_XML, "cannot format %s: '%s' has invalid UTF-8 or a control byte", what, b->bad);
        free(b->data);
        *b = (vpi_buf){0};
        return r;
    }
    *ret_xml = b->data ? b->data : vp_strdup("");
    *b = (vpi_buf){0};
    return 0;
}
