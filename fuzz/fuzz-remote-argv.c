/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * fuzz-remote-argv.c: libFuzzer target for the step from a DRIVER+ssh://
 * URI to ssh's argv (plugins/remote/remote-argv.c). The input is the rest
 * of a "d+ssh://" URI. Whatever it holds: the host after "--" never
 * starts with '-', nothing follows the far command, and a POSIX shell's
 * split of the far command gives exactly two words, the helper's path and
 * the far URI, with no expansion, redirection or second command. The far
 * URI parses back to the same path and the same non-transport parameters.
 */
#include <config.h>

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "remote-argv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Split @s as sh does, allowing only what remote_shell_quote() writes:
 * single-quoted runs, backslash-escaped characters and blanks. Anything
 * the shell would interpret aborts. Returns the number of words. */
static size_t
shell_split(const char *s, char words[][4096], size_t max)
{
    size_t n = 0;
    while (*s) {
        if (*s == ' ') {
            s++;
            continue;
        }
        if (n == max)
            abort();
        size_t len = 0;
        while (*s && *s != ' ') {
            if (*s == '\'') {
                const char *end = strchr(s + 1, '\'');
                if (!end || len + (size_t)(end - s - 1) >= 4096)
                    abort();
                memcpy(words[n] + len, s + 1, (size_t)(end - s - 1));
                len += (size_t)(end - s - 1);
                s = end + 1;
            } else if (*s == '\\' && s[1]) {
                words[n][len++] = s[1];
                s += 2;
            } else {
                abort(); /* an unquoted byte: the shell might interpret it */
            }
            if (len >= 4096)
                abort();
        }
        words[n++][len] = '\0';
    }
    return n;
}

static void
check_target(const vpi_uri *uri, const remote_target *t)
{
    size_t n = 0;
    while (t->argv[n])
        n++;
    if (n < 3 || strcmp(t->argv[n - 3], "--") != 0 || t->argv[n - 2][0] == '-' ||
        strcmp(t->argv[n - 1], t->command) != 0)
        abort();
    static char words[3][4096];
    if (shell_split(t->command, words, 3) != 2 || strcmp(words[1], t->far_uri) != 0)
        abort();
    const char *command = vp_plugin_uri_get_param(uri, "command");
    if (strcmp(words[0], command ? command : REMOTE_DEFAULT_COMMAND) != 0)
        abort();
    vpi_uri *far = NULL;
    if (vpi_uri_parse(t->far_uri, &far) < 0)
        abort();
    if (strcmp(vp_plugin_uri_get_scheme(far), "d") != 0 ||
        strcmp(vp_plugin_uri_get_path(far), vp_plugin_uri_get_path(uri)) != 0)
        abort();
    for (size_t i = 0; i < vp_plugin_uri_get_param_count(far); i++) {
        const char *name = vp_plugin_uri_get_param_name(far, i);
        const char *v = vp_plugin_uri_get_param(uri, name);
        if (!v || strcmp(v, vp_plugin_uri_get_param_value(far, i)) != 0)
            abort();
    }
    vpi_uri_free(far);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 2000)
        return 0;
    _cleanup_free_ char *rest = vp_strndup((const char *)data, size);
    _cleanup_free_ char *str = vp_asprintf("d+ssh://%s", rest);
    /* Quoting alone: any word comes back whole. */
    _cleanup_free_ char *q = remote_shell_quote(rest);
    static char words[2][4096];
    if (strlen(rest) < 2000 && (shell_split(q, words, 2) != 1 || strcmp(words[0], rest) != 0))
        abort();
    vpi_uri *uri = NULL;
    if (vpi_uri_parse(str, &uri) < 0)
        return 0;
    remote_target *t = NULL;
    int r = remote_target_new(uri, size & 1, &t);
    if (r < 0) {
        const vp_error *e = vp_error_last();
        if (r != VP_ERR_INVALID_ARG || !e || !e->message[0])
            abort();
    } else {
        check_target(uri, t);
    }
    remote_target_free(t);
    vpi_uri_free(uri);
    return 0;
}
