/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * json-query.c: a strict JSON reader for the vpsh shell tests.
 *
 * Reads stdin, which must hold exactly one JSON document (RFC 8259, with
 * nothing but white space after it), and prints the value at each PATH
 * argument on its own line: "domains.0.name" walks members and array
 * indexes, a final "#" prints the number of elements. Strings print
 * unescaped, other scalars as written, objects and arrays as "<object>"
 * and "<array>", a missing path as "<missing>". Exits 1 on a syntax error
 * with its offset, so a test fails on any malformed document. It exists so
 * the tests need no python or jq; it is never installed.
 */
#include <config.h>

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct node {
    char type;   /* 'o', 'a', 's', 'n' (number), 't', 'f', 'z' (null) */
    char *text;  /* string value or number text */
    char **keys; /* for objects */
    struct node **kids;
    size_t n;
} node;

typedef struct parser {
    const char *s;
    size_t pos;
} parser;

static void __attribute__((noreturn)) die(parser *p, const char *what)
{
    fprintf(stderr, "json-query: invalid JSON at offset %zu: %s\n", p->pos, what);
    exit(1);
}

static void *
xrealloc(void *ptr, size_t size)
{
    void *r = realloc(ptr, size ? size : 1);
    if (!r)
        abort();
    return r;
}

static void
skip_ws(parser *p)
{
    while (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' || p->s[p->pos] == '\n' ||
           p->s[p->pos] == '\r')
        p->pos++;
}

static void
put_utf8(char **buf, size_t *len, unsigned long cp)
{
    *buf = xrealloc(*buf, *len + 5);
    char *o = *buf + *len;
    if (cp < 0x80) {
        o[0] = (char)cp;
        *len += 1;
    } else if (cp < 0x800) {
        o[0] = (char)(0xc0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3f));
        *len += 2;
    } else if (cp < 0x10000) {
        o[0] = (char)(0xe0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        o[2] = (char)(0x80 | (cp & 0x3f));
        *len += 3;
    } else {
        o[0] = (char)(0xf0 | (cp >> 18));
        o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
        o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
        o[3] = (char)(0x80 | (cp & 0x3f));
        *len += 4;
    }
}

static unsigned long
parse_hex4(parser *p)
{
    unsigned long v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p->s[p->pos++];
        if (!isxdigit((unsigned char)c))
            die(p, "bad \\u escape");
        v = v * 16 + (unsigned long)(isdigit((unsigned char)c) ? c - '0' : (tolower(c) - 'a' + 10));
    }
    return v;
}

static void
parse_escape(parser *p, char **buf, size_t *len)
{
    char c = p->s[p->pos++];
    const char *from = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t";
    const char *hit = c ? strchr(from, c) : NULL;
    if (hit) {
        put_utf8(buf, len, (unsigned char)to[hit - from]);
        return;
    }
    if (c != 'u')
        die(p, "bad escape");
    unsigned long cp = parse_hex4(p);
    if (cp >= 0xd800 && cp <= 0xdbff) {
        if (p->s[p->pos] != '\\' || p->s[p->pos + 1] != 'u')
            die(p, "lone high surrogate");
        p->pos += 2;
        unsigned long lo = parse_hex4(p);
        if (lo < 0xdc00 || lo > 0xdfff)
            die(p, "bad low surrogate");
        cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
    } else if (cp >= 0xdc00 && cp <= 0xdfff) {
        die(p, "lone low surrogate");
    }
    put_utf8(buf, len, cp);
}

static char *
parse_string(parser *p)
{
    char *buf = NULL;
    size_t len = 0;
    if (p->s[p->pos++] != '"')
        die(p, "expected a string");
    for (;;) {
        unsigned char c = (unsigned char)p->s[p->pos++];
        if (c == '"')
            break;
        if (c == '\0')
            die(p, "unterminated string");
        if (c < 0x20)
            die(p, "unescaped control character in a string");
        if (c == '\\') {
            parse_escape(p, &buf, &len);
            continue;
        }
        buf = xrealloc(buf, len + 2);
        buf[len++] = (char)c;
    }
    buf = xrealloc(buf, len + 1);
    buf[len] = '\0';
    return buf;
}

static node *parse_value(parser *p, int depth);

static void
add_kid(node *n, char *key, node *kid)
{
    n->keys = xrealloc(n->keys, (n->n + 1) * sizeof(char *));
    n->kids = xrealloc(n->kids, (n->n + 1) * sizeof(node *));
    n->keys[n->n] = key;
    n->kids[n->n++] = kid;
}

static node *
parse_container(parser *p, int depth, char type)
{
    char close = type == 'o' ? '}' : ']';
    node *n = calloc(1, sizeof(*n));
    if (!n)
        abort();
    n->type = type;
    p->pos++;
    skip_ws(p);
    if (p->s[p->pos] == close) {
        p->pos++;
        return n;
    }
    for (;;) {
        char *key = NULL;
        skip_ws(p);
        if (type == 'o') {
            key = parse_string(p);
            skip_ws(p);
            if (p->s[p->pos++] != ':')
                die(p, "expected ':'");
        }
        add_kid(n, key, parse_value(p, depth + 1));
        skip_ws(p);
        char c = p->s[p->pos++];
        if (c == close)
            return n;
        if (c != ',')
            die(p, "expected ',' or the end of a container");
    }
}

static char *
parse_number(parser *p)
{
    size_t start = p->pos;
    if (p->s[p->pos] == '-')
        p->pos++;
    if (p->s[p->pos] == '0')
        p->pos++;
    else if (isdigit((unsigned char)p->s[p->pos]))
        while (isdigit((unsigned char)p->s[p->pos]))
            p->pos++;
    else
        die(p, "bad number");
    if (p->s[p->pos] == '.') {
        p->pos++;
        if (!isdigit((unsigned char)p->s[p->pos]))
            die(p, "bad fraction");
        while (isdigit((unsigned char)p->s[p->pos]))
            p->pos++;
    }
    if (p->s[p->pos] == 'e' || p->s[p->pos] == 'E') {
        p->pos++;
        if (p->s[p->pos] == '+' || p->s[p->pos] == '-')
            p->pos++;
        if (!isdigit((unsigned char)p->s[p->pos]))
            die(p, "bad exponent");
        while (isdigit((unsigned char)p->s[p->pos]))
            p->pos++;
    }
    return strndup(p->s + start, p->pos - start);
}

static node *
parse_value(parser *p, int depth)
{
    static const struct {
        const char *word;
        char type;
    } words[] = {{"true", 't'}, {"false", 'f'}, {"null", 'z'}};
    if (depth > 64)
        die(p, "nested too deeply");
    skip_ws(p);
    char c = p->s[p->pos];
    if (c == '{' || c == '[')
        return parse_container(p, depth, c == '{' ? 'o' : 'a');
    node *n = calloc(1, sizeof(*n));
    if (!n)
        abort();
    if (c == '"') {
        n->type = 's';
        n->text = parse_string(p);
        return n;
    }
    for (size_t i = 0; i < 3; i++)
        if (strncmp(p->s + p->pos, words[i].word, strlen(words[i].word)) == 0) {
            p->pos += strlen(words[i].word);
            n->type = words[i].type;
            n->text = strdup(words[i].word);
            return n;
        }
    n->type = 'n';
    n->text = parse_number(p);
    return n;
}

static const node *
lookup(const node *n, const char *path, bool *ret_count)
{
    char *copy = strdup(path), *save = NULL;
    *ret_count = false;
    for (char *tok = strtok_r(copy, ".", &save); tok && n; tok = strtok_r(NULL, ".", &save)) {
        const node *next = NULL;
        if (strcmp(tok, "#") == 0) {
            *ret_count = true;
            break;
        }
        for (size_t i = 0; i < n->n; i++) {
            if ((n->type == 'o' && strcmp(n->keys[i], tok) == 0) ||
                (n->type == 'a' && (size_t)strtoul(tok, NULL, 10) == i && isdigit(tok[0])))
                next = n->kids[i];
        }
        n = next;
    }
    free(copy);
    return n;
}

static void
node_free(node *n)
{
    for (size_t i = 0; i < n->n; i++) {
        free(n->keys[i]);
        node_free(n->kids[i]);
    }
    free(n->keys);
    free(n->kids);
    free(n->text);
    free(n);
}

int
main(int argc, char **argv)
{
    size_t cap = 1 << 16, len = 0, got;
    char *buf = malloc(cap);
    while (buf && (got = fread(buf + len, 1, cap - len - 1, stdin)) > 0) {
        len += got;
        if (len + 1 == cap) {
            cap *= 2;
            buf = xrealloc(buf, cap);
        }
    }
    if (!buf)
        abort();
    buf[len] = '\0';
    parser p = {buf, 0};
    if (strlen(buf) != len)
        die(&p, "NUL byte in the input");
    node *root = parse_value(&p, 0);
    skip_ws(&p);
    if (p.s[p.pos] != '\0')
        die(&p, "more than one document, or trailing garbage");
    for (int i = 1; i < argc; i++) {
        bool count;
        const node *n = lookup(root, argv[i], &count);
        if (!n)
            puts("<missing>");
        else if (count)
            printf("%zu\n", n->n);
        else if (n->type == 'o' || n->type == 'a')
            puts(n->type == 'o' ? "<object>" : "<array>");
        else
            puts(n->text);
    }
    node_free(root);
    free(buf);
    return 0;
}
