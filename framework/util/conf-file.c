/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * util/conf-file.c: "key = value" configuration files (hostpower.conf).
 *
 * Owns the parser and the lookups. Unknown keys and malformed lines are
 * errors naming the file, the line and the key: a typo in a configuration
 * file must never be silently ignored.
 */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <unistd.h>

#include "internal.h"

struct vp_plugin_conf {
    char *path;
    char **keys;
    char **values;
    size_t n;
};

VP_EXPORT void
vp_plugin_conf_free(vp_plugin_conf *conf)
{
    if (!conf)
        return;
    for (size_t i = 0; i < conf->n; i++) {
        free(conf->keys[i]);
        free(conf->values[i]);
    }
    free(conf->keys);
    free(conf->values);
    free(conf->path);
    free(conf);
}
VP_DEFINE_CLEANUP(vp_plugin_conf, vp_plugin_conf_free)

static char *
trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}

static bool
key_known(const char *const *known, const char *key)
{
    for (; known && *known; known++)
        if (strcmp(*known, key) == 0)
            return true;
    return false;
}

static int
conf_parse_line(vp_plugin_conf *conf, const char *const *known, char *line, unsigned lineno)
{
    char *s = trim(line);
    if (*s == '\0' || *s == '#')
        return 0;
    char *eq = strchr(s, '=');
    if (!eq)
        return vp_error_set(VP_ERR_INVALID_ARG, "%s:%u: expected 'key = value', got '%s'",
                            conf->path, lineno, s);
    *eq = '\0';
    char *key = trim(s), *value = trim(eq + 1);
    size_t vlen = strlen(value);
    if (vlen >= 2 && value[0] == '"' && value[vlen - 1] == '"') {
        value[vlen - 1] = '\0';
        value++;
    }
    if (!key_known(known, key))
        return vp_error_set(VP_ERR_INVALID_ARG, "%s:%u: unknown key '%s'", conf->path, lineno, key);
    for (size_t i = 0; i < conf->n; i++)
        if (strcmp(conf->keys[i], key) == 0)
            return vp_error_set(VP_ERR_INVALID_ARG, "%s:%u: key '%s' is set twice", conf->path,
                                lineno, key);
    conf->keys = vp_renew(char *, conf->keys, conf->n + 1);
    conf->values = vp_renew(char *, conf->values, conf->n + 1);
    conf->keys[conf->n] = vp_strdup(key);
    conf->values[conf->n] = vp_strdup(value);
    conf->n++;
    return 0;
}

VP_EXPORT int
vp_plugin_conf_load(const char *path, const char *const *known_keys, bool missing_ok,
                    vp_plugin_conf **ret_conf)
{
    if (!path || !ret_conf)
        return vp_error_set(VP_ERR_INVALID_ARG, "invalid argument: %s",
                            !path ? "path" : "ret_conf");
    _cleanup_(vp_plugin_conf_freep) vp_plugin_conf *conf = vp_new0(vp_plugin_conf, 1);
    conf->path = vp_strdup(path);
    _cleanup_free_ char *data = NULL;
    if (access(path, F_OK) < 0 && errno == ENOENT && missing_ok) {
        *ret_conf = VP_STEAL_PTR(conf);
        return 0;
    }
    int r = vp_plugin_file_read_regular(path, 1 << 20, &data, NULL);
    if (r < 0)
        return r;
    unsigned lineno = 1;
    for (char *line = data; line; lineno++) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        r = conf_parse_line(conf, known_keys, line, lineno);
        if (r < 0)
            return r;
        line = nl ? nl + 1 : NULL;
    }
    *ret_conf = VP_STEAL_PTR(conf);
    return 0;
}

VP_EXPORT const char *
vp_plugin_conf_get(const vp_plugin_conf *conf, const char *key, const char *fallback)
{
    if (!conf || !key)
        return fallback;
    for (size_t i = 0; i < conf->n; i++)
        if (strcmp(conf->keys[i], key) == 0)
            return conf->values[i];
    return fallback;
}

VP_EXPORT int
vp_plugin_conf_get_uint(const vp_plugin_conf *conf, const char *key, unsigned int fallback,
                        unsigned int *ret_value)
{
    if (!conf || !key || !ret_value)
        return vp_error_set(VP_ERR_INVALID_ARG, "invalid argument: %s", "conf, key or ret_value");
    const char *v = vp_plugin_conf_get(conf, key, NULL);
    if (!v) {
        *ret_value = fallback;
        return 0;
    }
    char *end;
    errno = 0;
    unsigned long n = strtoul(v, &end, 10);
    if (*v == '\0' || *v == '-' || *end != '\0' || errno != 0 || n > UINT_MAX)
        return vp_error_set(VP_ERR_INVALID_ARG, "%s: key '%s' needs an unsigned integer, not '%s'",
                            conf->path, key, v);
    *ret_value = (unsigned int)n;
    return 0;
}
