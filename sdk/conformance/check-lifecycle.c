/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * check-lifecycle.c: the kit's opt-in lifecycle checks (--lifecycle XML):
 * define a scratch domain from the user's XML, then start, pause, resume,
 * destroy and undefine it, checking each state and reason and the errors
 * driver.h promises (already running, not running, not paused, another
 * UUID under the same name, no such domain after undefine), and, for a
 * driver that raises events, that each change reached the event fd once,
 * in order, with libvirt's event and detail.
 *
 * Owns only these checks. It is the one group that changes the host, so it
 * runs only when asked, refuses to touch a domain that already exists, and
 * destroys and undefines its scratch domain whatever happened on the way.
 */
#include <config.h>

#include <poll.h>
#include <stdio.h>
#include <time.h>

#include <virtplug/sdk/conf.h>
#include <virtplug/sdk/services.h>

#include "kit.h"

#define KIT_MAX_XML_BYTES (1024u * 1024)

/* The domain's state and reason must be @want_state and @want_reason. */
static void
check_state(vp_domain *dom, int want_state, int want_reason, const char *after)
{
    int state = -1, reason = -1;
    int r = vp_domain_get_state(dom, &state, &reason, 0);
    if (r == VP_ERR_NOT_SUPPORTED) {
        kit_skip("domain_get_state is not implemented", "state after %s", after);
        return;
    }
    if (!kit_check(r >= 0 && state == want_state && reason == want_reason,
                   "after %s the state is %s (%s)", after, vp_domain_state_name(want_state),
                   vp_domain_state_reason_name(want_state, want_reason)))
        kit_diag("got %s: state %d (%s), reason %d (%s)", r < 0 ? kit_error_message() : "ok", state,
                 vp_domain_state_name(state), reason, vp_domain_state_reason_name(state, reason));
}

/* One transition; false when the driver does not implement it (skipped)
 * or it failed (reported). */
static bool
step(int r, const char *op, const char *name)
{
    if (r == VP_ERR_NOT_SUPPORTED) {
        kit_skip("not implemented", "%s '%s'", op, name);
        return false;
    }
    if (!kit_check(r >= 0, "%s '%s'", op, name)) {
        kit_diag("%s: %s", vp_error_code_name(r), kit_error_message());
        return false;
    }
    return true;
}

/* A call the driver must refuse with @code in this state. */
static void
expect_refusal(int r, int code, const char *what, const char *name)
{
    if (r == VP_ERR_NOT_SUPPORTED)
        return;
    if (!kit_check(r == code && strstr(kit_error_message(), name), "%s fails with %s naming '%s'",
                   what, vp_error_code_name(code), name))
        kit_diag("got %s: %s", r < 0 ? vp_error_code_name(r) : "success", kit_error_message());
}

/* Defining @def's name again under another UUID must fail (VP_ERR_EXISTS)
 * and leave the domain as it was. */
static void
check_other_uuid(vp_conn *conn, vp_domain_def *def)
{
    _cleanup_free_ char *xml = NULL;
    def->uuid[0] ^= 0xff;
    int r = vp_plugin_domain_def_format(def, 0, &xml);
    def->uuid[0] ^= 0xff;
    if (r < 0) {
        kit_skip(kit_error_message(), "redefinition under another UUID");
        return;
    }
    vp_domain *again = NULL;
    r = vp_domain_define_xml(conn, xml, 0, &again);
    vp_domain_free(again);
    expect_refusal(r, VP_ERR_EXISTS, "defining the same name with another UUID", def->name);
}

/* Start, pause, resume and destroy @dom, with the refusals between. */
static void
run_states(vp_domain *dom, const char *name)
{
    if (!step(vp_domain_start(dom, 0), "start", name))
        return;
    check_state(dom, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_BOOTED, "start");
    expect_refusal(vp_domain_start(dom, 0), VP_ERR_OPERATION_INVALID, "starting a running domain",
                   name);
    expect_refusal(vp_domain_resume(dom, 0), VP_ERR_OPERATION_INVALID,
                   "resuming a domain that is not paused", name);
    expect_refusal(vp_domain_undefine(dom, 0), VP_ERR_OPERATION_INVALID,
                   "undefining a running domain", name);
    if (step(vp_domain_suspend(dom, 0), "suspend", name)) {
        check_state(dom, VP_DOMAIN_PAUSED, VP_DOMAIN_PAUSED_USER, "suspend");
        if (step(vp_domain_resume(dom, 0), "resume", name))
            check_state(dom, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_UNPAUSED, "resume");
    }
    if (!step(vp_domain_destroy(dom, 0), "destroy", name))
        return;
    check_state(dom, VP_DOMAIN_SHUTOFF, VP_DOMAIN_SHUTOFF_DESTROYED, "destroy");
    expect_refusal(vp_domain_destroy(dom, 0), VP_ERR_OPERATION_INVALID,
                   "destroying a domain that is not running", name);
}

static bool
listed(vp_conn *conn, unsigned int flags, const char *name)
{
    vp_domain **doms = NULL;
    bool found = false;
    int n = vp_conn_list_domains(conn, flags, &doms);
    for (int i = 0; i < n; i++)
        found = found || strcmp(vp_domain_get_name(doms[i]), name) == 0;
    vp_domain_list_free(doms);
    return found;
}

/* Everything after the scratch domain was defined; it is undefined here,
 * or by the caller's clean-up when a step failed. */
static void
run_lifecycle(vp_conn *conn, vp_domain_def *def, vp_domain *dom)
{
    const char *name = def->name;
    kit_check(listed(conn, VP_LIST_DOMAINS_INACTIVE, name) &&
                  !listed(conn, VP_LIST_DOMAINS_ACTIVE, name),
              "'%s' is listed as inactive after define", name);
    check_state(dom, VP_DOMAIN_SHUTOFF, VP_DOMAIN_SHUTOFF_UNKNOWN, "define");
    kit_check_domain(conn, name);
    check_other_uuid(conn, def);
    run_states(dom, name);
    if (!step(vp_domain_undefine(dom, 0), "undefine", name))
        return;
    vp_domain *gone = NULL;
    expect_refusal(vp_domain_lookup_by_name(conn, name, &gone), VP_ERR_NO_DOMAIN,
                   "looking up an undefined domain", name);
    vp_domain_free(gone);
    kit_check(!listed(conn, 0, name), "'%s' is no longer listed after undefine", name);
}

/* ---- events ----------------------------------------------------------- */

/* The events the lifecycle's changes raise, in order. */
static const int lifecycle_events[][2] = {
    {VP_DOMAIN_EVENT_DEFINED, VP_DOMAIN_EVENT_DEFINED_ADDED},
    {VP_DOMAIN_EVENT_STARTED, VP_DOMAIN_EVENT_STARTED_BOOTED},
    {VP_DOMAIN_EVENT_SUSPENDED, VP_DOMAIN_EVENT_SUSPENDED_PAUSED},
    {VP_DOMAIN_EVENT_RESUMED, VP_DOMAIN_EVENT_RESUMED_UNPAUSED},
    {VP_DOMAIN_EVENT_STOPPED, VP_DOMAIN_EVENT_STOPPED_DESTROYED},
    {VP_DOMAIN_EVENT_UNDEFINED, VP_DOMAIN_EVENT_UNDEFINED_REMOVED},
};
#define N_LIFECYCLE_EVENTS (sizeof(lifecycle_events) / sizeof(lifecycle_events[0]))

typedef struct events_seen {
    const char *name; /* the scratch domain's */
    int got[16][2];
    size_t n;
} events_seen;

static void
collect_event(vp_conn *conn, const vp_domain_event *ev, void *opaque)
{
    events_seen *s = opaque;
    if (strcmp(ev->domain, s->name) == 0 && s->n < sizeof(s->got) / sizeof(s->got[0])) {
        s->got[s->n][0] = ev->event;
        s->got[s->n][1] = ev->detail;
        s->n++;
    }
}

/* Dispatch for up to 10 s until the lifecycle's events came, then a
 * little longer to catch one reported twice. */
static void
check_events(vp_conn *conn, events_seen *s)
{
    struct pollfd p = {.fd = vp_conn_event_fd(conn), .events = POLLIN};
    time_t give_up = time(NULL) + 10;
    while (p.fd >= 0 && s->n < N_LIFECYCLE_EVENTS && time(NULL) < give_up)
        if (poll(&p, 1, 100) == 1)
            vp_conn_event_dispatch(conn);
    if (p.fd >= 0 && poll(&p, 1, 200) == 1)
        vp_conn_event_dispatch(conn);
    bool same = s->n == N_LIFECYCLE_EVENTS;
    for (size_t i = 0; same && i < N_LIFECYCLE_EVENTS; i++)
        same = s->got[i][0] == lifecycle_events[i][0] && s->got[i][1] == lifecycle_events[i][1];
    if (kit_check(same, "events: each change raised its event once, in order (defined added ... "
                        "undefined removed)"))
        return;
    for (size_t i = 0; i < s->n; i++)
        kit_diag("event %zu: %s %s", i, vp_domain_event_name(s->got[i][0], VP_DOMAIN_EVENT_NAME_ID),
                 vp_domain_event_detail_name(s->got[i][0], s->got[i][1], VP_DOMAIN_EVENT_NAME_ID));
    kit_diag("expected %zu events: defined added, started booted, suspended paused, resumed "
             "unpaused, stopped destroyed, undefined removed (docs/events.md)",
             N_LIFECYCLE_EVENTS);
}

/* Parse the XML file the user gave; NULL (reported) when it cannot. */
static vp_domain_def *
read_scratch(char **ret_xml)
{
    char *xml = NULL;
    size_t size = 0;
    vp_domain_def *def = NULL;
    if (!kit_check(vp_plugin_file_read(kit_opts.lifecycle_xml, KIT_MAX_XML_BYTES, &xml, &size) >= 0,
                   "reads the scratch domain '%s'", kit_opts.lifecycle_xml)) {
        kit_diag("%s", kit_error_message());
        return NULL;
    }
    if (!kit_check(vp_plugin_domain_def_parse(xml, 0, &def) >= 0,
                   "the scratch domain's XML parses")) {
        kit_diag("%s", kit_error_message());
        free(xml);
        return NULL;
    }
    *ret_xml = xml;
    return def;
}

void
kit_group_lifecycle(void)
{
    vp_registry_entry *e = NULL;
    if (kit_load(&e) < 0) {
        kit_skip("it does not load", "lifecycle");
        vp_registry_entry_free(e);
        return;
    }
    vp_registry_entry_free(e);
    _cleanup_free_ char *xml = NULL;
    vp_domain_def *def = read_scratch(&xml);
    vp_conn *conn = NULL;
    vp_domain *left = NULL;
    if (!def)
        return;
    if (!kit_check(vp_conn_open(kit_opts.uri, 0, &conn) >= 0, "opens '%s'", kit_opts.uri)) {
        kit_diag("%s", kit_error_message());
        vp_plugin_domain_def_free(def);
        return;
    }
    vp_domain *dom = NULL;
    events_seen seen = {.name = def->name};
    int events_id = 0;
    int r = vp_conn_event_register(conn, 0, collect_event, &seen, NULL, &events_id);
    if (r == VP_ERR_NOT_SUPPORTED)
        events_id = 0; /* the driver raises no events: nothing to check */
    else if (!kit_check(r >= 0, "registers for events"))
        kit_diag("%s", kit_error_message());
    r = vp_domain_lookup_by_name(conn, def->name, &dom);
    if (!kit_check(r == VP_ERR_NO_DOMAIN || r == VP_ERR_NOT_SUPPORTED,
                   "no domain '%s' exists before the lifecycle checks", def->name)) {
        kit_diag(
            "the kit never touches an existing domain: give --lifecycle the XML of a domain with an unused name");
        goto out;
    }
    r = vp_domain_define_xml(conn, xml, 0, &dom);
    if (!kit_check(r >= 0 && dom && strcmp(vp_domain_get_name(dom), def->name) == 0,
                   "define the scratch domain '%s'", def->name)) {
        kit_diag("%s: %s; the lifecycle checks need domain_define_xml and domain_undefine",
                 vp_error_code_name(r), kit_error_message());
        goto out;
    }
    run_lifecycle(conn, def, dom);
    if (events_id > 0)
        check_events(conn, &seen);
    else
        kit_skip("the driver raises no events", "events of the lifecycle");
    /* Whatever failed above, leave no scratch domain behind. */
    if (vp_domain_lookup_by_name(conn, def->name, &left) >= 0) {
        vp_domain_free(left);
        (void)vp_domain_destroy(dom, 0);
        if (vp_domain_undefine(dom, 0) < 0)
            kit_diag("could not remove the scratch domain '%s': %s; remove it by hand", def->name,
                     kit_error_message());
    }
out:
    vp_domain_free(dom);
    vp_conn_close(conn);
    vp_plugin_domain_def_free(def);
}
