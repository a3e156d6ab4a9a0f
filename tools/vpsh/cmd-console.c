/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * cmd-console.c: the verbs console and domdisplay.
 *
 * Owns the terminal side of a console session: virsh's greeting, the
 * terminal in raw mode (restored on every way out), the escape character
 * (-e, default ^]) that detaches, and what is said when the session ends
 * by itself. The stream itself comes from vp_domain_open_console(); this
 * file never opens a device.
 */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "vpsh.h"

/* The byte of virsh's escape spelling: "^]" is 0x1d, "x" is 'x'. */
static int
escape_byte(const char *escape)
{
    if (!escape)
        escape = "^]";
    if (escape[0] == '^' && escape[1])
        return toupper((unsigned char)escape[1]) ^ 0x40;
    return (unsigned char)escape[0];
}

static bool
write_all(int fd, const char *buf, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, buf, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        buf += w;
        n -= (size_t)w;
    }
    return true;
}

/* Copy between the terminal and the console until the escape (true) or
 * the end of the stream (false). */
static bool
relay(int con, int escape)
{
    bool in_open = true;
    char buf[4096];
    for (;;) {
        struct pollfd p[2] = {{.fd = con, .events = POLLIN},
                              {.fd = in_open ? STDIN_FILENO : -1, .events = POLLIN}};
        if (poll(p, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        if (p[0].revents) {
            ssize_t n = read(con, buf, sizeof(buf));
            if (n <= 0 && !(n < 0 && errno == EINTR))
                return false;
            if (n > 0 && !write_all(STDOUT_FILENO, buf, (size_t)n))
                return false;
        }
        if (p[1].revents) {
            ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));
            if (n <= 0) {
                in_open = n < 0 && errno == EINTR; /* end of input: keep reading the guest */
                continue;
            }
            char *esc = memchr(buf, escape, (size_t)n);
            size_t len = esc ? (size_t)(esc - buf) : (size_t)n;
            if (len > 0)
                write_all(con, buf, len);
            if (esc)
                return true;
        }
    }
}

int
vpsh_cmd_console(vpsh_ctx *ctx, const vpsh_args *a)
{
    if (ctx->json)
        return vpsh_usage(ctx->cmd, "console is interactive and has no --json output");
    _cleanup_(vp_domain_freep) vp_domain *dom = NULL;
    if (vpsh_domain(ctx, a->pos[0], &dom) != 0)
        return VPSH_EXIT_FAIL;
    unsigned int flags = vpsh_flag(a, "force") ? VP_DOMAIN_CONSOLE_FORCE : 0;
    int con = -1;
    if (vp_domain_open_console(dom, vpsh_opt_value(a, "devname"), flags, &con) < 0)
        return vpsh_fail();
    const char *name = vp_domain_get_name(dom);
    /* Raw before the greeting (no flush): what is typed once it shows,
     * the escape too, reaches the relay. */
    struct termios saved;
    bool tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved) == 0;
    if (tty) {
        struct termios raw = saved;
        cfmakeraw(&raw);
        tcsetattr(STDIN_FILENO, TCSANOW, &raw);
    }
    const char *nl = tty ? "\r\n" : "\n"; /* raw output: no newline translation */
    vpsh_extra(ctx, "Connected to domain '%s'%s", name, nl);
    vpsh_extra(ctx, "Escape character is %s%s%s", ctx->escape ? ctx->escape : "^]",
               ctx->escape ? "" : " (Ctrl + ])", nl);
    fflush(stdout);
    bool escaped = relay(con, escape_byte(ctx->escape));
    if (tty)
        tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    close(con);
    printf("\n");
    fflush(stdout);
    if (escaped)
        return VPSH_EXIT_OK;
    int state = 0, reason = 0;
    if (vp_domain_get_state(dom, &state, &reason, 0) < 0) {
        /* Gone (a transient domain that stopped), or the connection
         * itself ended (a remote host that stopped answering): say which. */
        const vp_error *e = vp_error_last();
        if (e && e->code != VP_ERR_NO_DOMAIN)
            return vpsh_failc(e->code, "Disconnected from domain '%s': %s", name, e->message);
    } else if (state != VP_DOMAIN_SHUTOFF) {
        return vpsh_failf(
            "Disconnected from domain '%s': another session took the console over (console --force)",
            name);
    }
    return vpsh_failf("Disconnected from domain '%s': it stopped", name);
}

/* domdisplay --include-password: the password of the display *@uri shows
 * (the <graphics> of its scheme, in the XML with its secrets) goes in as
 * virsh writes it, "SCHEME://:PASSWORD@HOST:PORT"; none when the display
 * has none. Prints the error. */
static int
with_password(vp_domain *dom, char **uri)
{
    _cleanup_free_ char *xml = NULL;
    if (vp_domain_get_xml(dom, VP_DOMAIN_XML_SECURE, &xml) < 0)
        return vpsh_fail();
    vpsh_xml_dev **graphics = NULL;
    if (vpsh_xml_devices(xml, "graphics", &graphics) < 0)
        return vpsh_failf("cannot read the <graphics> elements of the XML of domain '%s'",
                          vp_domain_get_name(dom));
    const char *sep = strstr(*uri, "://");
    size_t scheme_len = sep ? (size_t)(sep - *uri) : 0;
    const char *passwd = NULL;
    for (vpsh_xml_dev **g = graphics; sep && *g && !passwd; g++) {
        const char *type = vpsh_xml_dev_get(*g, "@type");
        if (type && strlen(type) == scheme_len && strncmp(type, *uri, scheme_len) == 0)
            passwd = vpsh_xml_dev_get(*g, "@passwd");
    }
    if (passwd && *passwd) {
        char *with = vp_asprintf("%.*s://:%s@%s", (int)scheme_len, *uri, passwd, sep + 3);
        free(*uri);
        *uri = with;
    }
    vpsh_xml_devices_free(graphics);
    return VPSH_EXIT_OK;
}

int
vpsh_cmd_domdisplay(vpsh_ctx *ctx, const vpsh_args *a)
{
    _cleanup_(vp_domain_freep) vp_domain *dom = NULL;
    if (vpsh_domain(ctx, a->pos[0], &dom) != 0)
        return VPSH_EXIT_FAIL;
    _cleanup_free_ char *uri = NULL;
    if (vp_domain_get_display_uri(dom, 0, &uri) < 0)
        return vpsh_fail();
    if (vpsh_flag(a, "include-password") && with_password(dom, &uri) != VPSH_EXIT_OK)
        return VPSH_EXIT_FAIL;
    if (ctx->json) {
        vpsh_json_begin_object(ctx->js, NULL);
        vpsh_json_string(ctx->js, "domain", vp_domain_get_name(dom));
        vpsh_json_string(ctx->js, "uri", uri);
        vpsh_json_end_object(ctx->js);
    } else {
        printf("%s\n", uri);
    }
    return VPSH_EXIT_OK;
}

const vpsh_opt vpsh_console_opts[] = {
    {"devname", "NAME", false, "the character device's alias (serial0, console1, ...)", NULL},
    {"force", NULL, false, "take the console over from the session that has it", NULL},
    {"safe", NULL, false, "only with exclusive access, which virtplug always ensures", NULL},
    {NULL, NULL, false, NULL, NULL},
};

const vpsh_opt vpsh_domdisplay_opts[] = {
    {"include-password", NULL, false, "put the display's password in the URI", NULL},
    {"type", "TYPE", false, NULL, "virtplug's domains have one display at most"},
    {"all", NULL, false, NULL, "virtplug's domains have one display at most"},
    {NULL, NULL, false, NULL, NULL},
};
