/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * cmd-event.c: the vpsh "event" verb: wait for domain events and print
 * them as virsh event does ("event 'lifecycle' for domain 'x': Stopped
 * Destroyed", "event 'reboot' for domain 'x'", "event 'io-error' for
 * domain 'x': /path (vda) report"), or with --json one compact object per
 * line as each event arrives.
 *
 * Owns the wait: poll() on the connection's event fd, dispatch, the
 * --timeout deadline and Ctrl-C ("event loop interrupted"), and virsh's
 * closing lines and exit status (1 when no event came). It never polls a
 * domain's state: what it prints comes from the library's events only.
 */
#include <config.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <time.h>

#include "vpsh.h"

/* The event types virsh knows; virtplug raises those of raised_types. */
static const char *const virsh_event_types[] = {"lifecycle",
                                                "reboot",
                                                "rtc-change",
                                                "watchdog",
                                                "io-error",
                                                "graphics",
                                                "io-error-reason",
                                                "control-error",
                                                "block-job",
                                                "disk-change",
                                                "tray-change",
                                                "pm-wakeup",
                                                "pm-suspend",
                                                "balloon-change",
                                                "pm-suspend-disk",
                                                "device-removed",
                                                "block-job-2",
                                                "tunable",
                                                "agent-lifecycle",
                                                "device-added",
                                                "migration-iteration",
                                                "job-completed",
                                                "device-removal-failed",
                                                "metadata-change",
                                                "block-threshold",
                                                "memory-failure",
                                                "memory-device-size-change",
                                                "nic-mac-change",
                                                NULL};

/* The types virtplug raises, and the event each is made of. An I/O error
 * is one event printed as two types, as virsh's two callbacks print it. */
static const struct {
    const char *type;
    int event; /* -1: every lifecycle event */
} raised_types[] = {
    {"lifecycle", -1},
    {"reboot", VP_DOMAIN_EVENT_REBOOT},
    {"io-error", VP_DOMAIN_EVENT_IO_ERROR},
    {"io-error-reason", VP_DOMAIN_EVENT_IO_ERROR},
};
#define N_RAISED (sizeof(raised_types) / sizeof(raised_types[0]))

static bool
is_lifecycle(int event)
{
    return event != VP_DOMAIN_EVENT_REBOOT && event != VP_DOMAIN_EVENT_IO_ERROR;
}

typedef struct event_wait {
    const vpsh_ctx *ctx;
    const char *type;   /* --event TYPE; NULL: --all */
    const char *domain; /* --domain, as looked up; NULL: every domain */
    bool loop, timestamp;
    int count;
} event_wait;

static volatile sig_atomic_t interrupted;

static void
on_sigint(int sig)
{
    interrupted = 1;
}

/* virsh's timestamp: UTC with milliseconds. */
static void
print_time(int64_t us)
{
    struct tm tm;
    time_t t = (time_t)(us / 1000000);
    gmtime_r(&t, &tm);
    printf("%04d-%02d-%02d %02d:%02d:%02d.%03d+0000: ", tm.tm_year + 1900, tm.tm_mon + 1,
           tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(us % 1000000 / 1000));
}

static void
print_json_field(const char *key, const char *value)
{
    printf(",\"%s\":", key);
    vpsh_json_write_string(stdout, value ? value : "");
}

static void
print_json_line(const char *type, const vp_domain_event *ev)
{
    char when[64];
    printf("{\"event\":\"%s\",\"domain\":", type);
    vpsh_json_write_string(stdout, ev->domain);
    fputs(",\"uuid\":", stdout);
    if (ev->uuid)
        vpsh_json_write_string(stdout, ev->uuid);
    else
        fputs("null", stdout);
    if (ev->event == VP_DOMAIN_EVENT_IO_ERROR) {
        print_json_field("src_path", ev->src_path);
        print_json_field("dev_alias", ev->dev_alias);
        print_json_field("action", vp_domain_event_detail_name(ev->event, ev->detail, 0));
        print_json_field("reason", ev->reason);
    }
    if (is_lifecycle(ev->event))
        printf(",\"type\":\"%s\",\"detail\":\"%s\",\"type_code\":%d,\"detail_code\":%d",
               vp_domain_event_name(ev->event, VP_DOMAIN_EVENT_NAME_ID),
               vp_domain_event_detail_name(ev->event, ev->detail, VP_DOMAIN_EVENT_NAME_ID),
               ev->event, ev->detail);
    printf(",\"time\":\"%s\",\"time_us\":%lld}\n", vpsh_time_iso(ev->time_us, when, sizeof(when)),
           (long long)ev->time_us);
}

/* virsh's line for @ev as event type @type. */
static void
print_line(const char *type, const vp_domain_event *ev)
{
    /* virsh prints both I/O error callbacks as 'io-error'. */
    if (!is_lifecycle(ev->event))
        printf("event '%s' for domain '%s'",
               ev->event == VP_DOMAIN_EVENT_IO_ERROR ? "io-error" : type, ev->domain);
    if (ev->event == VP_DOMAIN_EVENT_IO_ERROR)
        printf(": %s (%s) %s", ev->src_path, ev->dev_alias,
               vp_domain_event_detail_name(ev->event, ev->detail, 0));
    if (strcmp(type, "io-error-reason") == 0)
        printf(" due to %s", ev->reason);
    if (is_lifecycle(ev->event))
        printf("event 'lifecycle' for domain '%s': %s %s", ev->domain,
               vp_domain_event_name(ev->event, 0),
               vp_domain_event_detail_name(ev->event, ev->detail, 0));
    putchar('\n');
}

static void
on_event(vp_conn *conn, const vp_domain_event *ev, void *opaque)
{
    event_wait *w = opaque;
    if (w->domain && strcmp(w->domain, ev->domain) != 0)
        return;
    for (size_t i = 0; i < N_RAISED; i++) {
        const char *type = raised_types[i].type;
        bool match = raised_types[i].event < 0 ? is_lifecycle(ev->event)
                                               : raised_types[i].event == ev->event;
        if (!match || (w->type && strcmp(w->type, type) != 0) || (!w->loop && w->count > 0))
            continue;
        if (w->ctx->json) {
            print_json_line(type, ev);
        } else {
            if (w->timestamp)
                print_time(ev->time_us);
            print_line(type, ev);
        }
        fflush(stdout);
        w->count++;
    }
}

static int64_t
mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wait and dispatch until one event (or, with --loop, the deadline or
 * Ctrl-C). Returns "event", "timeout" or "interrupted", or NULL after an
 * error it printed. */
static const char *
wait_loop(vp_conn *conn, event_wait *w, int64_t timeout_ms)
{
    struct pollfd p = {.fd = vp_conn_event_fd(conn), .events = POLLIN};
    if (p.fd < 0)
        return vpsh_fail(), NULL;
    int64_t deadline = timeout_ms > 0 ? mono_ms() + timeout_ms : -1;
    while (w->loop || w->count == 0) {
        int64_t left = deadline < 0 ? -1 : deadline - mono_ms();
        if (deadline >= 0 && left <= 0)
            return "timeout";
        int r = poll(&p, 1, left > INT32_MAX ? INT32_MAX : (int)left);
        if (interrupted)
            return "interrupted";
        if (r < 0 && errno != EINTR)
            return vpsh_failf("cannot wait for events: %s", strerror(errno)), NULL;
        if (r > 0 && vp_conn_event_dispatch(conn) < 0) {
            /* No event can come any more: a remote host gone or silent. */
            const vp_error *e = vp_error_last();
            return vpsh_failc(e->code, "Disconnected while waiting for events: %s", e->message),
                   NULL;
        }
    }
    return "event";
}

static int
parse_timeout(const char *text, int64_t *ret_ms)
{
    char *end;
    errno = 0;
    long long s = text ? strtoll(text, &end, 10) : 0;
    if (text && (errno || end == text || *end || s < 1 || s > INT32_MAX / 1000))
        return vpsh_failf("invalid timeout '%s': give whole seconds, 1 or more", text);
    *ret_ms = s * 1000;
    return 0;
}

static int
list_types(vpsh_ctx *ctx)
{
    if (ctx->json)
        vpsh_json_begin_array(ctx->js, NULL);
    for (size_t i = 0; i < N_RAISED; i++) {
        if (ctx->json)
            vpsh_json_string(ctx->js, NULL, raised_types[i].type);
        else
            printf("%s\n", raised_types[i].type);
    }
    if (ctx->json)
        vpsh_json_end_array(ctx->js);
    return VPSH_EXIT_OK;
}

/* --event TYPE: one virtplug raises; another type of virsh's is not
 * supported yet, anything else is unknown (virsh's message). */
static int
check_type(const char *type)
{
    for (size_t i = 0; i < N_RAISED; i++)
        if (strcmp(type, raised_types[i].type) == 0)
            return 0;
    for (const char *const *t = virsh_event_types; *t; t++)
        if (strcmp(type, *t) == 0)
            return vpsh_failc(
                VP_ERR_NOT_SUPPORTED,
                "not supported yet: event type '%s'; virtplug raises 'lifecycle', 'reboot', 'io-error' and 'io-error-reason' events",
                type);
    return vpsh_failf("unknown event type %s", type);
}

int
vpsh_cmd_event(vpsh_ctx *ctx, const vpsh_args *a)
{
    const char *type = vpsh_opt_value(a, "event");
    bool all = vpsh_flag(a, "all"), list = vpsh_flag(a, "list");
    if (all && type)
        return vpsh_usage(a->cmd, "Options --all and --event are mutually exclusive");
    if (list && (all || type))
        return vpsh_usage(a->cmd, "Options --list and --%s are mutually exclusive",
                          all ? "all" : "event");
    if (list)
        return list_types(ctx);
    if (!type && !all)
        return vpsh_usage(a->cmd, "one of --list, --all, or --event <type> is required");
    if (type && check_type(type) != 0)
        return VPSH_EXIT_FAIL;
    int64_t timeout_ms = 0;
    if (parse_timeout(vpsh_opt_value(a, "timeout"), &timeout_ms) != 0)
        return VPSH_EXIT_FAIL;
    vp_conn *conn;
    if (vpsh_conn(ctx, &conn) != 0)
        return VPSH_EXIT_FAIL;
    _cleanup_(vp_domain_freep) vp_domain *dom = NULL;
    if (vpsh_opt_value(a, "domain") && vpsh_domain(ctx, vpsh_opt_value(a, "domain"), &dom) != 0)
        return VPSH_EXIT_FAIL;
    event_wait w = {.ctx = ctx,
                    .type = type,
                    .domain = dom ? vp_domain_get_name(dom) : NULL,
                    .loop = vpsh_flag(a, "loop"),
                    .timestamp = vpsh_flag(a, "timestamp")};
    int id;
    if (vp_conn_event_register(conn, VP_DOMAIN_EVENT_MASK(VP_DOMAIN_EVENT_LAST) - 1, on_event, &w,
                               NULL, &id) < 0)
        return vpsh_fail();
    struct sigaction sa = {.sa_handler = on_sigint}, old;
    sigemptyset(&sa.sa_mask);
    interrupted = 0;
    sigaction(SIGINT, &sa, &old);
    const char *end = wait_loop(conn, &w, timeout_ms);
    sigaction(SIGINT, &old, NULL);
    vp_conn_event_deregister(conn, id);
    if (!end)
        return VPSH_EXIT_FAIL;
    if (ctx->json) {
        ctx->json_on_failure = true;
        vpsh_json_begin_object(ctx->js, NULL);
        vpsh_json_int(ctx->js, "events_received", w.count);
        vpsh_json_string(ctx->js, "ended", end);
        vpsh_json_end_object(ctx->js);
    } else {
        if (strcmp(end, "timeout") == 0)
            printf("event loop timed out\n");
        else if (strcmp(end, "interrupted") == 0)
            printf("event loop interrupted\n");
        printf("events received: %d\n", w.count);
    }
    return w.count > 0 ? VPSH_EXIT_OK : VPSH_EXIT_FAIL;
}

const vpsh_opt vpsh_event_opts[] = {
    {"domain", "DOMAIN", false, "only the events of this domain (name or UUID)", NULL},
    {"event", "TYPE", false,
     "which event type to wait for ('lifecycle', 'reboot', 'io-error', 'io-error-reason')", NULL},
    {"all", NULL, false, "wait for every event type", NULL},
    {"loop", NULL, false, "loop until the timeout or Ctrl-C, rather than one event", NULL},
    {"timeout", "SECONDS", false, "stop waiting after this many seconds", NULL},
    {"list", NULL, false, "list the event types", NULL},
    {"timestamp", NULL, false, "print when each event was seen (UTC)", NULL},
    {NULL, NULL, false, NULL, NULL},
};
