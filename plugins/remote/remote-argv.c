/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * remote-argv.c: the ssh command line of a remote connection.
 *
 * Owns splitting the URI's host part into user, host and port, checking
 * each, the transport parameters, the far URI, and quoting the far command
 * for the far user's shell. Every piece becomes its own argv element; the
 * local side never goes through a shell, and no byte of the URI can leave
 * the single quotes on the far side (fuzz/fuzz-remote-argv.c checks).
 * Also the far host's display URIs as seen from here (the connection's
 * host in place of the far driver's "localhost").
 */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <virtplug/sdk/alloc.h>
#include <virtplug/sdk/services.h>

#include "remote-argv.h"

static const char *const transport_params[] = {"keyfile", "known_hosts", "no_verify",
                                               "command", "ssh",         "timeout"};

void
remote_target_free(remote_target *t)
{
    if (!t)
        return;
    free(t->host);
    free(t->far_uri);
    free(t->command);
    vp_strv_free(t->argv);
    free(t);
}
VP_DEFINE_CLEANUP(remote_target, remote_target_free)

char *
remote_shell_quote(const char *word)
{
    size_t n = 2;
    for (const char *p = word; *p; p++)
        n += *p == '\'' ? 4 : 1;
    char *out = vp_new0(char, n + 1), *o = out;
    *o++ = '\'';
    for (const char *p = word; *p; p++) {
        if (*p == '\'') {
            memcpy(o, "'\\''", 4);
            o += 4;
        } else {
            *o++ = *p;
        }
    }
    *o = '\'';
    return out;
}

/* Append @s to *@buf, percent-encoding every byte but letters, digits and @keep. */
static void
append_encoded(char **buf, const char *s, const char *keep)
{
    size_t len = strlen(*buf);
    char *out = vp_renew(char, *buf, len + 3 * strlen(s) + 1);
    char *o = out + len;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (isascii(*p) && (isalnum(*p) || strchr(keep, *p))) {
            *o++ = (char)*p;
        } else {
            static const char hex[] = "0123456789ABCDEF";
            *o++ = '%';
            *o++ = hex[*p >> 4];
            *o++ = hex[*p & 15];
        }
    }
    *o = '\0';
    *buf = out;
}

static bool
is_transport_param(const char *name)
{
    for (size_t i = 0; i < sizeof(transport_params) / sizeof(transport_params[0]); i++)
        if (strcmp(name, transport_params[i]) == 0)
            return true;
    return false;
}

/* DRIVER:///PATH?PARAMS: the URI without the transport and its parameters. */
static char *
far_uri(const vp_plugin_uri *uri, const char *driver)
{
    char *s = vp_asprintf("%s://", driver);
    append_encoded(&s, vp_plugin_uri_get_path(uri), "-._~/");
    char sep = '?';
    for (size_t i = 0; i < vp_plugin_uri_get_param_count(uri); i++) {
        const char *name = vp_plugin_uri_get_param_name(uri, i);
        if (is_transport_param(name))
            continue;
        char *more = vp_asprintf("%s%c", s, sep);
        free(s);
        s = more;
        append_encoded(&s, name, "-._~");
        append_encoded(&s, "=", "=");
        append_encoded(&s, vp_plugin_uri_get_param_value(uri, i), "-._~/:");
        sep = '&';
    }
    return s;
}

static bool
chars_ok(const char *s, const char *extra)
{
    if (!*s || *s == '-')
        return false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (!isascii(*p) || (!isalnum(*p) && !strchr(extra, *p)))
            return false;
    return true;
}

typedef struct endpoint {
    char *user, *host, *port;
} endpoint;

static void
endpoint_clear(endpoint *e)
{
    free(e->user);
    free(e->host);
    free(e->port);
}

/* [USER@]HOST[:PORT], HOST possibly [IPv6]. */
static int
split_endpoint(const char *uri, const char *authority, endpoint *e)
{
    const char *at = strrchr(authority, '@');
    const char *hp = at ? at + 1 : authority;
    if (at)
        e->user = vp_strndup(authority, (size_t)(at - authority));
    const char *colon = NULL;
    if (*hp == '[') {
        const char *close = strchr(hp, ']');
        if (!close || (close[1] && close[1] != ':'))
            return vp_plugin_error_set(
                VP_ERR_INVALID_ARG,
                "malformed URI '%s': an IPv6 host must be '[ADDRESS]' or '[ADDRESS]:PORT'", uri);
        e->host = vp_strndup(hp + 1, (size_t)(close - hp - 1));
        colon = close[1] ? close + 1 : NULL;
    } else {
        colon = strchr(hp, ':');
        if (colon && strchr(colon + 1, ':'))
            return vp_plugin_error_set(
                VP_ERR_INVALID_ARG,
                "malformed URI '%s': write an IPv6 host in brackets, '[ADDRESS]:PORT'", uri);
        e->host = colon ? vp_strndup(hp, (size_t)(colon - hp)) : vp_strdup(hp);
    }
    if (colon)
        e->port = vp_strdup(colon + 1);
    if (!*e->host)
        return vp_plugin_error_set(
            VP_ERR_INVALID_ARG,
            "malformed URI '%s': a remote URI needs a host, as in 'qemu+ssh://HOST/system'", uri);
    if (!chars_ok(e->host, ".-_:"))
        return vp_plugin_error_set(VP_ERR_INVALID_ARG, "malformed URI '%s': invalid host name '%s'",
                                   uri, e->host);
    if (e->user && !chars_ok(e->user, ".-_"))
        return vp_plugin_error_set(VP_ERR_INVALID_ARG, "malformed URI '%s': invalid user name '%s'",
                                   uri, e->user);
    if (e->port) {
        char *end;
        errno = 0;
        unsigned long port = strtoul(e->port, &end, 10);
        if (!isdigit((unsigned char)*e->port) || *end || errno || port < 1 || port > 65535)
            return vp_plugin_error_set(VP_ERR_INVALID_ARG,
                                       "malformed URI '%s': invalid port '%s'; use 1 to 65535", uri,
                                       e->port);
    }
    return 0;
}

static int
parse_timeout(const char *uri, const char *value, int *ret_ms)
{
    if (!value) {
        *ret_ms = REMOTE_DEFAULT_TIMEOUT_S * 1000;
        return 0;
    }
    char *end;
    errno = 0;
    unsigned long s = strtoul(value, &end, 10);
    if (!isdigit((unsigned char)*value) || *end || errno || s < 1 || s > 86400)
        return vp_plugin_error_set(
            VP_ERR_INVALID_ARG,
            "invalid parameter timeout='%s' in URI '%s': give seconds, 1 to 86400", value, uri);
    *ret_ms = (int)s * 1000;
    return 0;
}

typedef struct argv_builder {
    char **v;
    size_t n;
} argv_builder;

static void
add(argv_builder *b, char *owned)
{
    b->v = vp_renew(char *, b->v, b->n + 2);
    b->v[b->n++] = owned;
    b->v[b->n] = NULL;
}

static int
check_params(const char *s, const char **ret_no_verify, const vp_plugin_uri *uri)
{
    const char *no_verify = vp_plugin_uri_get_param(uri, "no_verify");
    if (no_verify && strcmp(no_verify, "0") != 0 && strcmp(no_verify, "1") != 0)
        return vp_plugin_error_set(VP_ERR_INVALID_ARG,
                                   "invalid parameter no_verify='%s' in URI '%s': use 0 or 1",
                                   no_verify, s);
    const char *kh = vp_plugin_uri_get_param(uri, "known_hosts");
    if (kh && (!*kh || strpbrk(kh, " \t\"'\\%")))
        return vp_plugin_error_set(
            VP_ERR_INVALID_ARG,
            "invalid parameter known_hosts='%s' in URI '%s': ssh cannot take a file name that is empty or holds blanks, quotes, '\\' or '%%'",
            kh, s);
    for (const char *const *p = (const char *const[]){"keyfile", "command", "ssh", NULL}; *p; p++) {
        const char *v = vp_plugin_uri_get_param(uri, *p);
        if (v && !*v)
            return vp_plugin_error_set(
                VP_ERR_INVALID_ARG, "invalid parameter %s='' in URI '%s': it needs a value", *p, s);
    }
    *ret_no_verify = no_verify;
    return 0;
}

static void
build_argv(remote_target *t, const endpoint *e, const vp_plugin_uri *uri, const char *no_verify,
           bool batch)
{
    argv_builder b = {0};
    const char *ssh = vp_plugin_uri_get_param(uri, "ssh");
    const char *keyfile = vp_plugin_uri_get_param(uri, "keyfile");
    const char *kh = vp_plugin_uri_get_param(uri, "known_hosts");
    add(&b, vp_strdup(ssh ? ssh : "ssh"));
    add(&b, vp_strdup("-T"));
    add(&b, vp_strdup("-x"));
    add(&b, vp_strdup("-o"));
    add(&b, vp_strdup(no_verify && strcmp(no_verify, "1") == 0 ? "StrictHostKeyChecking=no"
                                                               : "StrictHostKeyChecking=yes"));
    if (batch) {
        add(&b, vp_strdup("-o"));
        add(&b, vp_strdup("BatchMode=yes"));
    }
    add(&b, vp_strdup("-o"));
    add(&b, vp_asprintf("ConnectTimeout=%d", t->timeout_ms / 1000));
    if (e->port) {
        add(&b, vp_strdup("-p"));
        add(&b, vp_strdup(e->port));
    }
    if (e->user) {
        add(&b, vp_strdup("-l"));
        add(&b, vp_strdup(e->user));
    }
    if (keyfile) {
        add(&b, vp_strdup("-i"));
        add(&b, vp_strdup(keyfile));
    }
    if (kh) {
        add(&b, vp_strdup("-o"));
        add(&b, vp_asprintf("UserKnownHostsFile=%s", kh));
    }
    add(&b, vp_strdup("--"));
    add(&b, vp_strdup(e->host));
    add(&b, vp_strdup(t->command));
    t->argv = b.v;
}

int
remote_target_new(const vp_plugin_uri *uri, bool batch, remote_target **ret_target)
{
    const char *s = vp_plugin_uri_get_string(uri);
    const char *scheme = vp_plugin_uri_get_scheme(uri);
    const char *plus = strrchr(scheme, '+');
    if (!plus || plus == scheme || strcmp(plus, "+ssh") != 0)
        return vp_plugin_error_set(
            VP_ERR_INVALID_ARG,
            "malformed URI '%s': the remote plugin serves 'DRIVER+ssh://HOST/PATH'", s);
    _cleanup_free_ char *driver = vp_strndup(scheme, (size_t)(plus - scheme));
    _cleanup_(remote_target_freep) remote_target *t = vp_new0(remote_target, 1);
    endpoint e = {0};
    const char *no_verify = NULL;
    int r = split_endpoint(s, vp_plugin_uri_get_host(uri), &e);
    if (r >= 0)
        r = parse_timeout(s, vp_plugin_uri_get_param(uri, "timeout"), &t->timeout_ms);
    if (r >= 0)
        r = check_params(s, &no_verify, uri);
    if (r < 0) {
        endpoint_clear(&e);
        return r;
    }
    const char *command = vp_plugin_uri_get_param(uri, "command");
    t->host = vp_strdup(e.host);
    t->far_uri = far_uri(uri, driver);
    _cleanup_free_ char *q1 = remote_shell_quote(command ? command : REMOTE_DEFAULT_COMMAND);
    _cleanup_free_ char *q2 = remote_shell_quote(t->far_uri);
    t->command = vp_asprintf("%s %s", q1, q2);
    build_argv(t, &e, uri, no_verify, batch);
    endpoint_clear(&e);
    *ret_target = VP_STEAL_PTR(t);
    return 0;
}

/* A display's host that means "the far host itself": the far driver says
 * "localhost" for a display on every address, as virsh does on a local
 * URI; the wildcards themselves too, should a driver report them. */
static bool
display_host_is_far_host(const char *host, size_t len)
{
    static const char *const words[] = {"localhost", "0.0.0.0", "::", ""};
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
        if (len == strlen(words[i]) && strncmp(host, words[i], len) == 0)
            return true;
    return false;
}

char *
remote_display_uri(const char *uri, const char *host)
{
    const char *sep = strstr(uri, "://");
    size_t scheme_len = sep ? (size_t)(sep - uri) : 0;
    /* Only network displays name a host; "vnc+unix://PATH" is a file. */
    if (!sep || !((scheme_len == 3 && strncmp(uri, "vnc", 3) == 0) ||
                  (scheme_len == 5 && strncmp(uri, "spice", 5) == 0)))
        return vp_strdup(uri);
    const char *start = sep + 3, *at = strchr(start, '@'), *stop = start + strcspn(start, "/?#");
    if (at && at < stop)
        start = at + 1;
    const char *end;
    if (*start == '[') {
        const char *close = memchr(start, ']', (size_t)(stop - start));
        if (!close)
            return vp_strdup(uri);
        end = close + 1;
        if (!display_host_is_far_host(start + 1, (size_t)(close - start - 1)))
            return vp_strdup(uri);
    } else {
        end = start + strcspn(start, ":/?#");
        if (!display_host_is_far_host(start, (size_t)(end - start)))
            return vp_strdup(uri);
    }
    bool v6 = strchr(host, ':') != NULL;
    return vp_asprintf("%.*s%s%s%s%s", (int)(start - uri), uri, v6 ? "[" : "", host, v6 ? "]" : "",
                       end);
}
