/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * model-value.c: the typed values of the domain model.
 *
 * Owns what each value type of the schema language (model-compile.c)
 * accepts, the message for a value that does not fit, naming the
 * attribute or element and the value, and libvirt's canonical spelling of
 * the types it normalises: a MAC address in lower case with two digits a
 * byte (virMacAddrFormat), a uuid in lower case with its dashes
 * (virUUIDFormat), a cpuset as the ranges virBitmapFormat writes ("0-3,^2,8"
 * becomes "0-1,3,8"). The parser (model-parse.c) checks each value here
 * and stores the canonical form, so dumpxml writes what libvirt writes. It
 * must never accept a value whose canonical form would not parse back.
 */
#include <config.h>

#include <ctype.h>
#include <stdlib.h>

#include "internal.h"
#include "conf/model.h"
#include "conf/model-caps.h"

/* libvirt's VIR_DOMAIN_CPUMASK_LEN: the bits a cpuset may name. */
#define CPUSET_BITS 16384

static bool
check_number(const char *value, bool is_signed)
{
    const char *p = value;
    while (isspace((unsigned char)*p))
        p++;
    if (is_signed && *p == '-')
        p++;
    bool hex = !is_signed && p[0] == '0' && (p[1] == 'x' || p[1] == 'X');
    if (hex)
        p += 2;
    const char *digits = p;
    while (hex ? isxdigit((unsigned char)*p) : isdigit((unsigned char)*p))
        p++;
    bool ok = p > digits;
    while (isspace((unsigned char)*p))
        p++;
    return ok && *p == '\0';
}

/* libvirt's virMacAddrParse: six bytes of one or two hexadecimal digits,
 * separated by ':'; blanks may follow. */
static bool
mac_parse(const char *s, unsigned char mac[6])
{
    for (size_t i = 0; i < 6; i++) {
        size_t n = 0;
        unsigned byte = 0;
        while (n < 3 && isxdigit((unsigned char)s[n])) {
            byte = byte * 16 +
                   (unsigned)(isdigit((unsigned char)s[n]) ? s[n] - '0' : tolower(s[n]) - 'a' + 10);
            n++;
        }
        if (n < 1 || n > 2)
            return false;
        mac[i] = (unsigned char)byte;
        s += n;
        if (i < 5 && *s++ != ':')
            return false;
    }
    while (isspace((unsigned char)*s))
        s++;
    return *s == '\0';
}

typedef enum cpuset_error { CPUSET_OK, CPUSET_SYNTAX, CPUSET_RANGE, CPUSET_EMPTY } cpuset_error;

/* A number of a cpuset at *@p, moved past it; CPUSET_BITS when too large. */
static size_t
cpuset_number(const char **p)
{
    size_t n = 0;
    for (; isdigit((unsigned char)**p); (*p)++)
        n = n < CPUSET_BITS ? n * 10 + (size_t)(**p - '0') : CPUSET_BITS;
    return n < CPUSET_BITS ? n : CPUSET_BITS;
}

static void
skip_blanks(const char **p)
{
    while (isspace((unsigned char)**p))
        (*p)++;
}

/* libvirt's virBitmapParse: "N", "N-M" (N <= M) and "^N" (taken away),
 * separated by ',', blanks around each; numbers below CPUSET_BITS. */
static cpuset_error
cpuset_parse(const char *s, uint64_t bits[CPUSET_BITS / 64])
{
    memset(bits, 0, CPUSET_BITS / 8);
    skip_blanks(&s);
    if (!*s)
        return CPUSET_SYNTAX;
    while (*s) {
        bool neg = *s == '^';
        s += neg;
        if (!isdigit((unsigned char)*s))
            return CPUSET_SYNTAX;
        size_t first = cpuset_number(&s), last = first;
        skip_blanks(&s);
        if (*s == '-' && !neg) {
            s++;
            skip_blanks(&s);
            if (!isdigit((unsigned char)*s))
                return CPUSET_SYNTAX;
            last = cpuset_number(&s);
            skip_blanks(&s);
        }
        if (first == CPUSET_BITS || last == CPUSET_BITS)
            return CPUSET_RANGE;
        if (last < first || (*s && *s != ','))
            return CPUSET_SYNTAX;
        for (size_t b = first; b <= last; b++)
            bits[b / 64] =
                neg ? bits[b / 64] & ~(1ull << (b % 64)) : bits[b / 64] | 1ull << (b % 64);
        if (*s == ',') {
            s++;
            skip_blanks(&s);
        }
    }
    for (size_t i = 0; i < CPUSET_BITS / 64; i++)
        if (bits[i])
            return CPUSET_OK;
    return CPUSET_EMPTY;
}

static bool
bit(const uint64_t *bits, size_t b)
{
    return b < CPUSET_BITS && (bits[b / 64] >> (b % 64) & 1);
}

/* virBitmapFormat: runs of two or more as "N-M", the others alone. */
static char *
cpuset_format(vpi_arena *a, const uint64_t *bits)
{
    vpi_buf b = {0};
    for (size_t i = 0; i < CPUSET_BITS; i++) {
        if (!bit(bits, i))
            continue;
        size_t last = i;
        while (bit(bits, last + 1))
            last++;
        if (last > i)
            vpi_buf_printf(&b, "%s%zu-%zu", b.len ? "," : "", i, last);
        else
            vpi_buf_printf(&b, "%s%zu", b.len ? "," : "", i);
        i = last;
    }
    char *s = vpi_arena_strdup(a, b.data ? b.data : "");
    free(b.data);
    return s;
}

bool
vpi_model_value_ok(const vpi_mvalue *v, const char *value)
{
    unsigned char bytes[16];
    uint64_t bits[CPUSET_BITS / 64];
    switch (v->type) {
    case VPI_V_ENUM:
        return vpi_caps_has(v->choices, value);
    case VPI_V_NUM:
    case VPI_V_KIB:
        return check_number(value, false);
    case VPI_V_INT:
        return check_number(value, true);
    case VPI_V_MAC:
        return mac_parse(value, bytes) && !(bytes[0] & 1);
    case VPI_V_UUID:
        return vp_plugin_uuid_parse(value, bytes) >= 0;
    case VPI_V_CPUSET:
        return cpuset_parse(value, bits) == CPUSET_OK;
    case VPI_V_STR:
        return true;
    }
    return true;
}

static int
bad(const vpi_xml *x, xmlNode *node, const char *what, const char *value, const char *why)
{
    return vpi_xml_error(x, node, "invalid value '%s' for %s: %s", value, what, why);
}

int
vpi_model_check_value(const vpi_xml *x, xmlNode *node, const char *what, const vpi_mvalue *v,
                      const char *value)
{
    unsigned char mac[6];
    uint64_t bits[CPUSET_BITS / 64];
    if (vpi_model_value_ok(v, value))
        return 0;
    switch (v->type) {
    case VPI_V_ENUM:
        return vpi_xml_enum(x, node, what, value, v->choices);
    case VPI_V_NUM:
    case VPI_V_KIB:
        return bad(x, node, what, value, "expected a number");
    case VPI_V_INT:
        return bad(x, node, what, value, "expected an integer");
    case VPI_V_MAC:
        if (mac_parse(value, mac))
            return bad(
                x, node, what, value,
                "a multicast address (its first byte is odd); use a unicast one such as '52:54:00:12:34:56'");
        return bad(x, node, what, value, "expected a MAC address such as '52:54:00:12:34:56'");
    case VPI_V_UUID:
        return bad(x, node, what, value,
                   "expected 32 hexadecimal digits such as '8f3a47e2-1c4b-4d8e-9a55-0b6e2f7c1d90'");
    case VPI_V_CPUSET:
        switch (cpuset_parse(value, bits)) {
        case CPUSET_RANGE:
            return bad(x, node, what, value, "numbers go up to 16383");
        case CPUSET_EMPTY:
            return bad(x, node, what, value, "the set is empty");
        default:
            return bad(
                x, node, what, value,
                "expected numbers and ranges separated by commas, such as '0-3,^2,8' ('^' takes one away)");
        }
    case VPI_V_STR:
        return 0;
    }
    return 0;
}

char *
vpi_model_value_canonical(vpi_arena *a, const vpi_mvalue *v, char *value)
{
    unsigned char bytes[16];
    char buf[40];
    uint64_t bits[CPUSET_BITS / 64];
    switch (v->type) {
    case VPI_V_MAC:
        mac_parse(value, bytes);
        snprintf(buf, sizeof(buf), "%02x:%02x:%02x:%02x:%02x:%02x", bytes[0], bytes[1], bytes[2],
                 bytes[3], bytes[4], bytes[5]);
        return vpi_arena_strdup(a, buf);
    case VPI_V_UUID:
        vp_plugin_uuid_parse(value, bytes);
        return vpi_arena_strdup(a, vp_plugin_uuid_format(bytes, buf));
    case VPI_V_CPUSET:
        cpuset_parse(value, bits);
        return cpuset_format(a, bits);
    default:
        return value;
    }
}
