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

void
vpi_buf_printf(vpi_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    _cleanup_free_ char *s = vp_vasprintf(fmt, ap);
    va_end(ap);
    vpi_buf_add(b, s);
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
    static const unsigned min[] = { 0, 0, 0x80, 0x800, 0x10000 };
    if (cp < min[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE ||
        cp == 0xFFFF)
        return 0;
    return n;
}

static const char *
escape_ascii(char c, bool attr)
{
    switch (c) {
    case '<': return "&lt;";
    case '>': return "&gt;";
    case '&': return "&amp;";
    case '\r': return "&#13;";
    case '\'': return attr ? "&apos;" : NULL;
    case '"': return attr ? "&quot;" : NULL;
    case '\n': return attr ? "&#10;" : NULL;
    case '\t': return attr ? "&#9;" : NULL;
    default: return NULL;
    }
}

void
vpi_buf_escape(vpi_buf *b, const char *field, const char *s, bool attr)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        const char *esc = escape_ascii((char)*p, attr);
        if (esc) {
            vpi_buf_add(b, esc);
            p++;
            continue;
        }
        size_t n = utf8_char_len(p);
        if (n == 0 || (*p < 0x20 && *p != '\t' && *p != '\n')) {
            if (!b->bad)
                b->bad = field;
            return;
        }
        buf_addn(b, (const char *)p, n);
        p += n;
    }
}

void
vpi_buf_text_elem(vpi_buf *b, int indent, const char *name, const char *text)
{
    if (!text)
        return;
    vpi_buf_printf(b, "%*s<%s>", indent, "", name);
    vpi_buf_escape(b, name, text, false);
    vpi_buf_printf(b, "</%s>\n", name);
}

void
vpi_buf_attr(vpi_buf *b, const char *name, const char *value)
{
    if (!value)
        return;
    vpi_buf_printf(b, " %s='", name);
    vpi_buf_escape(b, name, value, true);
    vpi_buf_add(b, "'");
}

int
vpi_buf_finish(vpi_buf *b, const char *what, char **ret_xml)
{
    if (b->bad) {
        int r = vp_error_set(VP_ERR_XML, "cannot format %s: '%s' has invalid UTF-8 or a control byte",
                             what, b->bad);
        free(b->data);
        *b = (vpi_buf){ 0 };
        return r;
    }
    *ret_xml = b->data ? b->data : vp_strdup("");
    *b = (vpi_buf){ 0 };
    return 0;
}
