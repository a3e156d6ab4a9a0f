/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * remote-base64.c: the base64 text (RFC 4648, padded) of the bytes of a
 * "stream" frame (remote-proto.h).
 */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <virtplug/sdk/alloc.h>

#include "remote-proto.h"

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *
remote_base64_encode(const unsigned char *in, size_t len)
{
    char *out = vp_new0(char, (len + 2) / 3 * 4 + 1), *o = out;
    for (size_t i = 0; i < len; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16;
        if (i + 1 < len)
            v |= (uint32_t)in[i + 1] << 8;
        if (i + 2 < len)
            v |= in[i + 2];
        *o++ = b64[v >> 18 & 63];
        *o++ = b64[v >> 12 & 63];
        *o++ = i + 1 < len ? b64[v >> 6 & 63] : '=';
        *o++ = i + 2 < len ? b64[v & 63] : '=';
    }
    return out;
}

bool
remote_base64_decode(const char *text, unsigned char **ret, size_t *ret_len)
{
    size_t n = strlen(text);
    if (n % 4)
        return false;
    unsigned char *out = vp_new0(unsigned char, n / 4 * 3 + 1);
    size_t len = 0;
    for (size_t i = 0; i < n; i += 4) {
        uint32_t v = 0;
        int pad = 0;
        for (int k = 0; k < 4; k++) {
            const char *c = text[i + k] ? strchr(b64, text[i + k]) : NULL;
            if (text[i + k] == '=' && i + 4 == n && k >= 2 && (k == 3 || text[i + 3] == '=')) {
                pad++;
                v <<= 6;
            } else if (c && !pad) {
                v = v << 6 | (uint32_t)(c - b64);
            } else {
                free(out);
                return false;
            }
        }
        out[len++] = (unsigned char)(v >> 16);
        if (pad < 2)
            out[len++] = (unsigned char)(v >> 8);
        if (pad < 1)
            out[len++] = (unsigned char)v;
    }
    *ret = out;
    *ret_len = len;
    return true;
}
