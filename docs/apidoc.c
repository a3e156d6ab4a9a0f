/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * apidoc.c: the API reference, made from the installed headers' doc
 * comments at build time (never installed).
 *
 * Owns reading "/ ** name: text * /" comments and the declaration after
 * each, grouped by the headers' "---- Family ----" lines, and writing
 * them out as section-3 man pages (one per family, plus one small page per
 * function that sources its family's page, so "man vp_domain_start"
 * works) and one HTML page; and the check that fails when a public
 * function has no doc comment of its own. It reads only the headers it is
 * given and writes only into the directory it is given.
 *
 *   apidoc --check HEADER...
 *   apidoc --man DIR --html FILE --version V --date YYYY-MM-DD HEADER...
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ITEMS 1024
#define MAX_FAMILIES 64

typedef struct item {
    char *name;  /* the function */
    char *doc;   /* the comment's text, lines joined by '\n', name: removed */
    char *proto; /* the declaration, whitespace folded */
    int family;
    const char *header; /* the include line's path, "virtplug/virtplug.h" */
} item;

typedef struct family {
    char *title; /* "Domains" */
    char *page;  /* "virtplug-domains" */
    const char *header;
} family;

static item items[MAX_ITEMS];
static size_t n_items;
static family families[MAX_FAMILIES];
static size_t n_families;
static int problems;

static void *
xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        fputs("apidoc: out of memory\n", stderr);
        exit(2);
    }
    return p;
}

static char *
xstrndup(const char *s, size_t n)
{
    char *d = xmalloc(n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

static char *
xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

/* A growing string. */
typedef struct buf {
    char *s;
    size_t len, cap;
} buf;

static void
buf_add(buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->s, cap);
        if (!p) {
            fputs("apidoc: out of memory\n", stderr);
            exit(2);
        }
        b->s = p;
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

static void
buf_str(buf *b, const char *s)
{
    buf_add(b, s, strlen(s));
}

static char *
read_file(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "apidoc: cannot open '%s': %s\n", path, strerror(errno));
        exit(2);
    }
    buf b = {0};
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        buf_add(&b, chunk, n);
    fclose(f);
    return b.s ? b.s : xstrdup("");
}

/* "Host power" -> "libvirtplug-host-power"; an SDK header's families get
 * "virtplug-sdk-" (so packages can split the pages by name). Only letters
 * and digits are kept, joined by dashes. */
static char *
page_name(const char *title, const char *header)
{
    buf b = {0};
    buf_str(&b, strstr(header, "/sdk/") ? "virtplug-sdk-" : "libvirtplug-");
    bool dash = false;
    for (const char *p = title; *p; p++) {
        if (isalnum((unsigned char)*p)) {
            if (dash && b.s[b.len - 1] != '-')
                buf_add(&b, "-", 1);
            char c = (char)tolower((unsigned char)*p);
            buf_add(&b, &c, 1);
            dash = false;
        } else {
            dash = true;
        }
    }
    return b.s;
}

static int
family_add(const char *title, const char *header, const char *page)
{
    for (size_t i = 0; i < n_families; i++)
        if (strcmp(families[i].title, title) == 0 && families[i].header == header)
            return (int)i;
    if (n_families == MAX_FAMILIES) {
        fputs("apidoc: too many families\n", stderr);
        exit(2);
    }
    families[n_families].title = xstrdup(title);
    families[n_families].page = page ? xstrdup(page) : page_name(title, header);
    families[n_families].header = header;
    return (int)n_families++;
}

/* The family title of a "/ * ---- Title ---- * /" line, or NULL. */
static char *
family_line(const char *line, size_t len)
{
    if (len < 8 || strncmp(line, "/* ---- ", 8) != 0)
        return NULL;
    const char *start = line + 8, *end = start;
    while (end < line + len && strncmp(end, " --", 3) != 0)
        end++;
    return end > start ? xstrndup(start, (size_t)(end - start)) : NULL;
}

/* The comment's text without its frame: " * " prefixes and the markers. */
static char *
comment_text(const char *start, const char *end)
{
    buf b = {0};
    const char *p = start + 3; /* after slash-star-star */
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *stop = nl ? nl : end;
        const char *s = p;
        while (s < stop && (*s == ' ' || *s == '\t'))
            s++;
        if (s < stop && *s == '*' && (s + 1 == stop || s[1] == ' '))
            s += s + 1 == stop ? 1 : 2;
        const char *e = stop;
        while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
            e--;
        if (b.len || e > s) {
            buf_add(&b, s, (size_t)(e - s));
            buf_add(&b, "\n", 1);
        }
        p = nl ? nl + 1 : end;
    }
    while (b.len && (b.s[b.len - 1] == '\n' || b.s[b.len - 1] == ' '))
        b.s[--b.len] = '\0';
    return b.s ? b.s : xstrdup("");
}

/* The identifier before the first '(' of a declaration, or NULL when it is
 * not a function prototype. */
static char *
proto_name(const char *decl)
{
    if (strncmp(decl, "typedef", 7) == 0 || decl[0] == '#')
        return NULL;
    const char *paren = strchr(decl, '(');
    if (!paren || !strstr(decl, ");"))
        return NULL;
    const char *e = paren;
    while (e > decl && e[-1] == ' ')
        e--;
    const char *s = e;
    while (s > decl && (isalnum((unsigned char)s[-1]) || s[-1] == '_'))
        s--;
    return e > s ? xstrndup(s, (size_t)(e - s)) : NULL;
}

/* The declaration starting at @p up to its ';' (at brace depth 0), with
 * whitespace folded and attributes after ')' kept; *ret_end after it. */
static char *
declaration(const char *p, const char **ret_end)
{
    buf b = {0};
    int depth = 0;
    bool space = false;
    for (; *p; p++) {
        char c = *p;
        if (c == '{')
            depth++;
        else if (c == '}')
            depth--;
        if (isspace((unsigned char)c)) {
            space = b.len > 0;
            continue;
        }
        if (space && c != ')' && c != ',' && c != ';' && b.s[b.len - 1] != '(')
            buf_add(&b, " ", 1);
        space = false;
        buf_add(&b, &c, 1);
        if (c == ';' && depth == 0) {
            p++;
            break;
        }
    }
    *ret_end = p;
    return b.s ? b.s : xstrdup("");
}

static bool
line_has(const char *line, size_t len, const char *word)
{
    size_t n = strlen(word);
    for (size_t i = 0; i + n <= len; i++)
        if (strncmp(line + i, word, n) == 0)
            return true;
    return false;
}

/* After the definition (or declaration) starting at @p: its ';' at depth
 * 0, or the '}' that closes its body. */
static const char *
skip_definition(const char *p)
{
    int depth = 0;
    for (; *p; p++) {
        if (*p == '{')
            depth++;
        else if (*p == '}' && --depth == 0)
            return p + 1;
        else if (*p == ';' && depth == 0)
            return p + 1;
    }
    return p;
}

static int
line_of(const char *text, const char *p)
{
    int n = 1;
    for (const char *q = text; q < p; q++)
        n += *q == '\n';
    return n;
}

static void
problem(const char *path, int line, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s:%d: ", path, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    problems++;
}

/* The include line of @path: what follows ".../include/"; the parts of
 * the application API (virtplug/virtplug-*.h) are included through
 * virtplug/virtplug.h. */
static const char *
include_path(const char *path)
{
    const char *p = strstr(path, "include/");
    p = p ? p + 8 : path;
    return strncmp(p, "virtplug/virtplug-", 18) == 0 ? "virtplug/virtplug.h" : p;
}

/* Is @p (at the start of a line, depth 0) a function prototype line? */
static bool
starts_prototype(const char *p)
{
    if (!isalpha((unsigned char)*p) || strncmp(p, "typedef", 7) == 0 ||
        strncmp(p, "extern", 6) == 0 || strncmp(p, "enum", 4) == 0 ||
        strncmp(p, "struct", 6) == 0 || strncmp(p, "static", 6) == 0)
        return false;
    const char *nl = strchr(p, '\n');
    const char *paren = strchr(p, '(');
    const char *brace = strchr(p, '{');
    return paren && (!nl || paren < nl) && (!brace || paren < brace);
}

/* The family of what comes before a header's first "---- Family" line:
 * the errors in virtplug.h; else what the header's opening comment says
 * after "NAME.h: ", on a page named after the header. */
static int
initial_family(const char *text, const char *header)
{
    if (!strstr(header, "/sdk/"))
        return family_add("Errors", header, NULL);
    const char *base = strrchr(header, '/');
    base = base ? base + 1 : header;
    size_t n = strlen(base) - (strlen(base) > 2 ? 2 : 0); /* without ".h" */
    char key[128];
    snprintf(key, sizeof(key), "%s: ", base);
    const char *p = strstr(text, key);
    char *title;
    if (p) {
        p += strlen(key);
        size_t len = strcspn(p, ".\n");
        title = xstrndup(p, len);
    } else {
        title = xstrdup(base);
    }
    char page[160];
    snprintf(page, sizeof(page), "virtplug-sdk-%.*s", (int)n, base);
    int fam = family_add(title, header, page);
    free(title);
    return fam;
}

static void
scan_header(const char *path)
{
    char *text = read_file(path);
    const char *header = include_path(path);
    int fam = initial_family(text, header);
    char *pending_doc = NULL, *pending_name = NULL;
    int depth = 0;
    bool cplusplus = false;
    for (const char *p = text; *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        char *title = depth == 0 ? family_line(p, len) : NULL;
        if (title) {
            fam = family_add(title, header, NULL);
            free(title);
        } else if (depth == 0 && strncmp(p, "/**", 3) == 0) {
            const char *end = strstr(p, "*/");
            if (!end)
                break;
            char *body = comment_text(p, end);
            const char *colon = strchr(body, ':');
            free(pending_doc);
            free(pending_name);
            pending_doc = pending_name = NULL;
            if (colon && colon > body && !memchr(body, ' ', (size_t)(colon - body))) {
                pending_name = xstrndup(body, (size_t)(colon - body));
                const char *rest = colon + 1;
                while (*rest == ' ')
                    rest++;
                pending_doc = xstrdup(rest);
            }
            free(body);
            p = end + 2;
            continue;
        } else if (depth == 0 && line_has(p, len, "static ")) {
            /* A static inline helper of the header: its definition is
             * skipped whole; it is no part of the library's ABI. */
            p = skip_definition(p);
            continue;
        } else if (depth == 0 && starts_prototype(p)) {
            const char *after;
            char *decl = declaration(p, &after);
            char *name = proto_name(decl);
            if (name && strncmp(name, "VP_", 3) != 0) {
                if (!pending_name)
                    problem(path, line_of(text, p), "'%s' has no doc comment", name);
                else if (strcmp(pending_name, name) != 0)
                    problem(path, line_of(text, p),
                            "'%s' follows the doc comment of '%s'; give it one of its own", name,
                            pending_name);
                else if (n_items < MAX_ITEMS)
                    items[n_items++] = (item){.name = xstrdup(name),
                                              .doc = xstrdup(pending_doc),
                                              .proto = xstrdup(decl),
                                              .family = fam,
                                              .header = header};
            }
            free(name);
            free(decl);
            free(pending_doc);
            free(pending_name);
            pending_doc = pending_name = NULL;
            p = after;
            continue;
        } else if (depth == 0 && strncmp(p, "/*", 2) == 0) {
            /* Other comments are skipped whole and keep a doc pending. */
            const char *end = strstr(p + 2, "*/");
            if (!end)
                break;
            p = end + 2;
            continue;
        } else if (strncmp(p, "extern \"C\"", 10) == 0 || (cplusplus && len == 1 && *p == '}')) {
            /* The C++ guard's braces enclose the whole header. */
        } else {
            for (size_t i = 0; i < len; i++)
                depth += p[i] == '{' ? 1 : p[i] == '}' ? -1 : 0;
            /* A doc comment stays pending across blank lines only. */
            if (len > 0 && depth == 0) {
                free(pending_doc);
                free(pending_name);
                pending_doc = pending_name = NULL;
            }
        }
        cplusplus = strncmp(p, "#ifdef __cplusplus", 18) == 0;
        p = nl ? nl + 1 : p + len;
    }
    free(pending_doc);
    free(pending_name);
    free(text);
}

/* ---- man ------------------------------------------------------------- */

/* @s as roff text: backslashes escaped, no line starting with '.' or '\''. */
static void
roff_text(FILE *f, const char *s, size_t n)
{
    bool bol = true;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (bol && (c == '.' || c == '\''))
            fputs("\\&", f);
        if (c == '\\')
            fputs("\\e", f);
        else if (c == '-')
            fputs("\\-", f);
        else
            fputc(c, f);
        bol = c == '\n';
    }
}

/* One doc comment: plain lines as text, "@arg: ..." as a tagged paragraph,
 * "Errors:", "Since:" and the like (a capitalised word and a colon at the
 * start of a line) as paragraphs of their own. */
static void
man_doc(FILE *f, const char *doc)
{
    for (const char *p = doc; *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        const char *colon = memchr(p, ':', len);
        if (*p == '@' && colon) {
            fputs(".TP\n.I ", f);
            roff_text(f, p + 1, (size_t)(colon - p - 1));
            fputc('\n', f);
            const char *rest = colon + 1;
            while (*rest == ' ')
                rest++;
            roff_text(f, rest, len - (size_t)(rest - p));
        } else if (isupper((unsigned char)*p) && colon && !memchr(p, ' ', (size_t)(colon - p))) {
            fputs(".PP\n", f);
            roff_text(f, p, len);
        } else {
            roff_text(f, p, len);
        }
        fputc('\n', f);
        p = nl ? nl + 1 : p + len;
    }
}

static FILE *
open_out(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *path = xmalloc(n);
    snprintf(path, n, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "apidoc: cannot write '%s': %s\n", path, strerror(errno));
        exit(2);
    }
    free(path);
    return f;
}

static void
close_out(FILE *f)
{
    if (ferror(f) || fclose(f) != 0) {
        fputs("apidoc: write error\n", stderr);
        exit(2);
    }
}

static void
write_man_family(const char *dir, size_t fi, const char *version, const char *date)
{
    const family *fa = &families[fi];
    char name[256];
    snprintf(name, sizeof(name), "%s.3", fa->page);
    FILE *f = open_out(dir, name);
    fputs(".\\\" SPDX-License-Identifier: LGPL-2.1-or-later\n", f);
    fputs(".\\\" Generated from the doc comments of the header by docs/apidoc.c.\n", f);
    fputs(".TH ", f);
    for (const char *p = fa->page; *p; p++)
        fputc(toupper((unsigned char)*p), f);
    fprintf(f, " 3 %s \"virtplug %s\" \"virtplug API\"\n.SH NAME\n", date, version);
    bool first = true;
    for (size_t i = 0; i < n_items; i++) {
        if ((size_t)items[i].family != fi)
            continue;
        fprintf(f, "%s%s", first ? "" : ", ", items[i].name);
        first = false;
    }
    fputs(" \\- ", f);
    roff_text(f, fa->title, strlen(fa->title));
    fprintf(f, "\n.SH SYNOPSIS\n.nf\n.B #include <%s>\n", fa->header);
    for (size_t i = 0; i < n_items; i++) {
        if ((size_t)items[i].family != fi)
            continue;
        fputs(".PP\n", f);
        roff_text(f, items[i].proto, strlen(items[i].proto));
        fputc('\n', f);
    }
    fputs(".fi\n.SH DESCRIPTION\n", f);
    for (size_t i = 0; i < n_items; i++) {
        if ((size_t)items[i].family != fi)
            continue;
        fprintf(f, ".SS %s\n", items[i].name);
        man_doc(f, items[i].doc);
    }
    fputs(".SH SEE ALSO\n", f);
    for (size_t j = 0; j < n_families; j++)
        if (j != fi)
            fprintf(f, ".BR %s (3),\n", families[j].page);
    fputs(".BR vpsh (1),\n.BR virtplug-plugins (7)\n", f);
    close_out(f);
}

static void
write_man(const char *dir, const char *version, const char *date)
{
    FILE *list = open_out(dir, "pages.list");
    for (size_t fi = 0; fi < n_families; fi++) {
        bool used = false;
        for (size_t i = 0; i < n_items && !used; i++)
            used = (size_t)items[i].family == fi;
        if (!used)
            continue;
        write_man_family(dir, fi, version, date);
        fprintf(list, "%s.3\n", families[fi].page);
    }
    for (size_t i = 0; i < n_items; i++) {
        char name[256];
        snprintf(name, sizeof(name), "%s.3", items[i].name);
        FILE *f = open_out(dir, name);
        fprintf(f, ".so man3/%s.3\n", families[items[i].family].page);
        close_out(f);
        fprintf(list, "%s\n", name);
    }
    close_out(list);
}

/* ---- HTML ------------------------------------------------------------ */

static void
html_text(FILE *f, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        switch (s[i]) {
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '&':
            fputs("&amp;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        default:
            fputc(s[i], f);
        }
    }
}

static void
write_html(const char *path, const char *version)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "apidoc: cannot write '%s': %s\n", path, strerror(errno));
        exit(2);
    }
    fprintf(f,
            "<!DOCTYPE html>\n<!-- SPDX-License-Identifier: LGPL-2.1-or-later -->\n"
            "<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
            "<title>virtplug %s API reference</title>\n"
            "<style>body{max-width:60em;margin:auto;font-family:sans-serif}"
            "pre{background:#f4f4f4;padding:.5em;white-space:pre-wrap}</style>\n"
            "</head><body>\n<h1>virtplug %s API reference</h1>\n<ul>\n",
            version, version);
    for (size_t fi = 0; fi < n_families; fi++) {
        fprintf(f, "<li><a href=\"#%s\">", families[fi].page);
        html_text(f, families[fi].title, strlen(families[fi].title));
        fprintf(f, "</a> (%s)<ul>\n", families[fi].header);
        for (size_t i = 0; i < n_items; i++)
            if ((size_t)items[i].family == fi)
                fprintf(f, "<li><a href=\"#%s\"><code>%s</code></a></li>\n", items[i].name,
                        items[i].name);
        fputs("</ul></li>\n", f);
    }
    fputs("</ul>\n", f);
    for (size_t fi = 0; fi < n_families; fi++) {
        fprintf(f, "<h2 id=\"%s\">", families[fi].page);
        html_text(f, families[fi].title, strlen(families[fi].title));
        fprintf(f, "</h2>\n<p><code>#include &lt;%s&gt;</code></p>\n", families[fi].header);
        for (size_t i = 0; i < n_items; i++) {
            if ((size_t)items[i].family != fi)
                continue;
            fprintf(f, "<h3 id=\"%s\"><code>%s</code></h3>\n<pre>", items[i].name, items[i].name);
            html_text(f, items[i].proto, strlen(items[i].proto));
            fputs("</pre>\n<pre>", f);
            html_text(f, items[i].doc, strlen(items[i].doc));
            fputs("</pre>\n", f);
        }
    }
    fputs("</body></html>\n", f);
    close_out(f);
}

static int
usage(void)
{
    fputs("usage: apidoc --check HEADER...\n"
          "       apidoc --man DIR --html FILE --version V --date YYYY-MM-DD HEADER...\n",
          stderr);
    return 2;
}

int
main(int argc, char **argv)
{
    const char *man = NULL, *html = NULL, *version = "?", *date = NULL;
    bool check = false;
    int i = 1;
    for (; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
        if (strcmp(argv[i], "--check") == 0)
            check = true;
        else if (i + 1 < argc && strcmp(argv[i], "--man") == 0)
            man = argv[++i];
        else if (i + 1 < argc && strcmp(argv[i], "--html") == 0)
            html = argv[++i];
        else if (i + 1 < argc && strcmp(argv[i], "--version") == 0)
            version = argv[++i];
        else if (i + 1 < argc && strcmp(argv[i], "--date") == 0)
            date = argv[++i];
        else
            return usage();
    }
    if (i == argc || (!check && (!man || !html || !date)))
        return usage();
    for (; i < argc; i++)
        scan_header(argv[i]);
    if (problems) {
        fprintf(stderr, "apidoc: %d public function(s) without a doc comment of their own\n",
                problems);
        return 1;
    }
    if (check) {
        printf("apidoc: %zu functions documented\n", n_items);
        return 0;
    }
    write_man(man, version, date);
    write_html(html, version);
    return 0;
}
