/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * xml-devices.c: the devices of a domain's XML as domblklist and domiflist
 * read them.
 *
 * Owns a small reader of the XML the library hands back (the canonical
 * form of vp_domain_get_xml: elements, attributes in quotes, the five
 * predefined entities): for each <devices> child of one name it keeps the
 * element's attributes and those of its direct children, as "@type" and
 * "source/@file", and each direct child's name ("source": it is there). It reads nothing else (no
 * DTD, no CDATA), so vpsh needs no XML library; what it cannot read is an error, never a guess.
 */
#include <config.h>

#include <string.h>

#include "vpsh.h"

#define DEV_MAX_ITEMS 64

struct vpsh_xml_dev {
    char *keys[DEV_MAX_ITEMS];
    char *values[DEV_MAX_ITEMS];
    size_t n;
};

/* @key (transfer full) = @value (transfer full), unless @key is there. */
static void
dev_put(vpsh_xml_dev *d, char *key, char *value)
{
    for (size_t i = 0; i < d->n; i++) {
        if (strcmp(d->keys[i], key) == 0) { /* the first child of a name counts */
            free(key);
            free(value);
            return;
        }
    }
    if (d->n == DEV_MAX_ITEMS) {
        free(key);
        free(value);
        return;
    }
    d->keys[d->n] = key;
    d->values[d->n++] = value;
}

static void
dev_add(vpsh_xml_dev *d, const char *prefix, const char *name, size_t name_len, char *value)
{
    dev_put(d,
            prefix ? vp_asprintf("%s/@%.*s", prefix, (int)name_len, name)
                   : vp_asprintf("@%.*s", (int)name_len, name),
            value);
}

/* @s[0..len) with the predefined entities decoded. (transfer full) */
static char *
decode(const char *s, size_t len)
{
    static const struct {
        const char *ent;
        char c;
    } ents[] = {{"&lt;", '<'}, {"&gt;", '>'}, {"&amp;", '&'}, {"&apos;", '\''}, {"&quot;", '"'}};
    char *out = vp_new0(char, len + 1), *o = out;
    for (size_t i = 0; i < len;) {
        size_t k = 0;
        while (k < sizeof(ents) / sizeof(ents[0]) &&
               strncmp(s + i, ents[k].ent, strlen(ents[k].ent)) != 0)
            k++;
        if (s[i] == '&' && k < sizeof(ents) / sizeof(ents[0])) {
            *o++ = ents[k].c;
            i += strlen(ents[k].ent);
        } else {
            *o++ = s[i++];
        }
    }
    return out;
}

/* The attributes of the tag whose name ends at @p, up to its '>' (or "/>"),
 * into @d under @prefix; *@ret_end: after the tag, *@ret_empty: "/>".
 * -1 on a tag it cannot read. */
static int
read_attrs(const char *p, vpsh_xml_dev *d, const char *prefix, const char **ret_end,
           bool *ret_empty)
{
    for (;;) {
        p += strspn(p, " \t\r\n");
        if (*p == '>' || (p[0] == '/' && p[1] == '>')) {
            *ret_empty = *p == '/';
            *ret_end = p + (*p == '/' ? 2 : 1);
            return 0;
        }
        size_t name_len = strcspn(p, "= \t\r\n/>");
        const char *eq = p + name_len;
        if (name_len == 0 || *eq != '=' || (eq[1] != '\'' && eq[1] != '"'))
            return -1;
        const char *close = strchr(eq + 2, eq[1]);
        if (!close)
            return -1;
        if (d)
            dev_add(d, prefix, p, name_len, decode(eq + 2, (size_t)(close - eq - 2)));
        p = close + 1;
    }
}

int
vpsh_xml_devices(const char *xml, const char *element, vpsh_xml_dev ***ret_devs)
{
    size_t n = 0, elen = strlen(element);
    vpsh_xml_dev **devs = vp_new0(vpsh_xml_dev *, 1);
    vpsh_xml_dev *cur = NULL;
    int depth = 0; /* inside a device: 1 at its own level */
    for (const char *p = strchr(xml, '<'); p; p = strchr(p, '<')) {
        if (p[1] == '?' || p[1] == '!') {
            const char *end = strstr(p, p[1] == '?' ? "?>" : ">");
            if (!end)
                goto bad;
            p = end + 1;
            continue;
        }
        bool closing = p[1] == '/';
        const char *name = p + 1 + closing;
        size_t name_len = strcspn(name, " \t\r\n/>");
        const char *end;
        bool empty = false;
        bool is_dev = name_len == elen && strncmp(name, element, elen) == 0;
        if (closing) {
            end = strchr(name, '>');
            if (!end)
                goto bad;
            if (cur && --depth == 0)
                cur = NULL;
            p = end + 1;
            continue;
        }
        _cleanup_free_ char *prefix = cur ? vp_strndup(name, name_len) : NULL;
        if (!cur && is_dev) {
            cur = vp_new0(vpsh_xml_dev, 1);
            devs = vp_renew(vpsh_xml_dev *, devs, n + 2);
            devs[n++] = cur;
            devs[n] = NULL;
        }
        if (cur && depth == 1) /* "NAME": a direct child is there, even without attributes */
            dev_put(cur, vp_strdup(prefix), vp_strdup(""));
        if (read_attrs(name + name_len, cur && (depth <= 1) ? cur : NULL, prefix, &end, &empty) < 0)
            goto bad;
        if (cur && !empty)
            depth++;
        else if (cur && empty && depth == 0)
            cur = NULL;
        p = end;
    }
    *ret_devs = devs;
    return (int)n;
bad:
    vpsh_xml_devices_free(devs);
    return -1;
}

const char *
vpsh_xml_dev_get(const vpsh_xml_dev *d, const char *key)
{
    for (size_t i = 0; i < d->n; i++)
        if (strcmp(d->keys[i], key) == 0)
            return d->values[i];
    return NULL;
}

void
vpsh_xml_devices_free(vpsh_xml_dev **devs)
{
    if (!devs)
        return;
    for (vpsh_xml_dev **d = devs; *d; d++) {
        for (size_t i = 0; i < (*d)->n; i++) {
            free((*d)->keys[i]);
            free((*d)->values[i]);
        }
        free(*d);
    }
    free(devs);
}
