/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * check-lifecycle.c: the kit's opt-in lifecycle checks (--lifecycle XML):
 * define a scratch domain from the user's XML, then start, pause, resume,
 * destroy and undefine it, checking each state and reason and the errors
 * driver.h promises (already running, not running, not paused, another
 * UUID under the same name, no such domain after undefine).
 *
 * Owns only these checks. It is the one group that changes the host, so it
 * runs only when asked, refuses to touch a domain that already exists, and
 * destroys and undefines its scratch domain whatever happened on the way.
 */
#include <config.h>

#include <stdio.h>

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
    if (!def)
        return;
    if (!kit_check(vp_conn_open(kit_opts.uri, 0, &conn) >= 0, "opens '%s'", kit_opts.uri)) {
        kit_diag("%s", kit_error_message());
        vp_plugin_domain_def_free(def);
        return;
    }
    vp_domain *dom = NULL;
    int r = vp_domain_lookup_by_name(conn, def->name, &dom);
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
    /* Whatever failed above, leave no scratch domain behind. */
    vp_domain *left = NULL;
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
