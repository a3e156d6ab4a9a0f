/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * util/names.c: whether a name may become a file name.
 *
 * Owns vp_plugin_name_is_safe(), the one rule drivers apply before a
 * domain (or snapshot, or instance) name becomes a path component: no
 * separator, no "." or "..", no control character, a length limit. Its
 * messages name the bad character and where it is, never just "invalid".
 * It looks at bytes only and never touches the file system.
 */
#include <config.h>

#include <string.h>

#include "internal.h"

/* @c as it appears in a message: 'x', or 0xHH for what cannot be shown. */
static void
char_shown(unsigned char c, char buf[8])
{
    if (c < 0x20 || c == 0x7f || c >= 0x80)
        snprintf(buf, 8, "0x%02x", c);
    else
        snprintf(buf, 8, "'%c'", c);
}

/* @name with control bytes written as \xHH, so a message stays one line. */
static char *
name_shown(const char *name)
{
    size_t len = strlen(name);
    char *out = vp_new0(char, len * 4 + 1);
    char *o = out;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        if (*p < 0x20 || *p == 0x7f)
            o += snprintf(o, 5, "\\x%02x", *p);
        else
            *o++ = (char)*p;
    }
    *o = '\0';
    return out;
}

/* The first byte of @name the rules refuse, or NULL. */
static const char *
bad_char(const char *name, const char *also_forbidden)
{
    for (const char *p = name; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '/' || c < 0x20 || c == 0x7f || (also_forbidden && strchr(also_forbidden, c)))
            return p;
    }
    return NULL;
}

VP_EXPORT int
vp_plugin_name_is_safe(const char *what, const char *name, size_t max_len,
                       const char *also_forbidden, unsigned int flags)
{
    bool quiet = flags & VP_PLUGIN_NAME_QUIET;
    if (!what)
        what = "name";
    if (!name || (flags & ~(VP_PLUGIN_NAME_NO_LEADING_DOT | VP_PLUGIN_NAME_QUIET)))
        return quiet ? VP_ERR_INVALID_ARG
                     : vp_error_set(VP_ERR_INVALID_ARG, "invalid argument: %s",
                                    !name ? "name" : "flags");
    if (max_len == 0)
        max_len = VP_PLUGIN_NAME_MAX_DEFAULT;
    size_t len = strlen(name);
    const char *bad = bad_char(name, also_forbidden);
    bool dots = strcmp(name, ".") == 0 || strcmp(name, "..") == 0;
    bool hidden = (flags & VP_PLUGIN_NAME_NO_LEADING_DOT) && name[0] == '.';
    if (len > 0 && len <= max_len && !bad && !dots && !hidden)
        return 0;
    if (quiet)
        return VP_ERR_INVALID_ARG;

    _cleanup_free_ char *shown = name_shown(name);
    if (len == 0)
        return vp_error_set(VP_ERR_INVALID_ARG, "invalid %s '': it is empty", what);
    if (dots)
        return vp_error_set(VP_ERR_INVALID_ARG,
                            "invalid %s '%s': '.' and '..' name directories, not files", what,
                            shown);
    if (bad) {
        char c[8];
        char_shown((unsigned char)*bad, c);
        return vp_error_set(
            VP_ERR_INVALID_ARG,
            "invalid %s '%s': character %s at position %zu is not allowed (a %s becomes a file name)",
            what, shown, c, (size_t)(bad - name) + 1, what);
    }
    if (hidden)
        return vp_error_set(VP_ERR_INVALID_ARG,
                            "invalid %s '%s': it starts with '.', which would make a hidden file",
                            what, shown);
    return vp_error_set(VP_ERR_INVALID_ARG,
                        "invalid %s '%s': it is %zu bytes long, at most %zu are allowed", what,
                        shown, len, max_len);
}
