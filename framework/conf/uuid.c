/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * uuid.c: domain uuids.
 *
 * Owns the text form of a uuid (lower-case 8-4-4-4-12 on output; that form
 * or 32 bare hex digits on input, any case, blanks around it allowed as XML
 * text has them) and random version 4 generation from getrandom(). It must
 * never hand out a uuid made from a weak source: without the kernel's
 * randomness it aborts rather than repeat a uuid.
 */
#include <config.h>

#include <errno.h>
#include <sys/random.h>

#include "internal.h"

#include <virtplug/sdk/conf.h>

VP_EXPORT char *
vp_plugin_uuid_format(const unsigned char uuid[16], char buf[37])
{
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    for (size_t i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            buf[o++] = '-';
        buf[o++] = hex[uuid[i] >> 4];
        buf[o++] = hex[uuid[i] & 0xF];
    }
    buf[o] = '\0';
    return buf;
}

static int
hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static bool
is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

VP_EXPORT int
vp_plugin_uuid_parse(const char *str, unsigned char ret_uuid[16])
{
    vp_return_if_fail(str, "str");
    vp_return_if_fail(ret_uuid, "ret_uuid");
    const char *p = str;
    while (is_blank(*p))
        p++;
    const char *end = p + strlen(p);
    while (end > p && is_blank(end[-1]))
        end--;
    bool dashed = end - p == 36;
    unsigned char uuid[16];
    if (!dashed && end - p != 32)
        goto bad;
    for (size_t i = 0; i < 16; i++) {
        if (dashed && (i == 4 || i == 6 || i == 8 || i == 10) && *p++ != '-')
            goto bad;
        int hi = hex_digit(p[0]);
        int lo = hi >= 0 ? hex_digit(p[1]) : -1;
        if (lo < 0)
            goto bad;
        uuid[i] = (unsigned char)(hi << 4 | lo);
        p += 2;
    }
    memcpy(ret_uuid, uuid, sizeof(uuid));
    return 0;
bad:
    return vp_error_set(VP_ERR_INVALID_ARG,
                        "invalid uuid '%s': expected 32 hexadecimal digits, as in '%s'", str,
                        "8f3a47e2-1c4b-4d8e-9a55-0b6e2f7c1d90");
}

static void
random_bytes(unsigned char *buf, size_t n)
{
    while (n > 0) {
        ssize_t r = getrandom(buf, n, 0);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            abort(); /* no kernel randomness: never hand out a predictable uuid */
        buf += r;
        n -= (size_t)r;
    }
}

VP_EXPORT void
vp_plugin_uuid_generate(unsigned char ret_uuid[16])
{
    random_bytes(ret_uuid, 16);
    ret_uuid[6] = (unsigned char)((ret_uuid[6] & 0x0F) | 0x40); /* version 4 */
    ret_uuid[8] = (unsigned char)((ret_uuid[8] & 0x3F) | 0x80); /* RFC 4122 variant */
}
