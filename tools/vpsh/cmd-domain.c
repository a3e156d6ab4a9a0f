/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * cmd-domain.c: the vpsh domain verbs but list (dominfo, domstate, domid,
 * domuuid, domname, define, create, undefine, start, shutdown, destroy, suspend,
 * resume, dumpxml, guestinfo, domtime).
 *
 * Owns how one domain is shown: virsh's "key: value" layouts and one-line
 * confirmations in text mode, one object per verb with --json, and which
 * of virsh's options map onto the API (an option it cannot honour is
 * declared with the reason and refused). It only calls the public API
 * (and the SDK's file reader for define); it never interprets a driver's
 * state itself.
 */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include <virtplug/sdk/conf.h>
#include <virtplug/sdk/services.h>

#include "vpsh.h"

#define DEFINE_MAX_BYTES (16u << 20)

/* What dominfo shows, as virsh's: only what the API reports. */
typedef struct dominfo {
    int id;
    char uuid[VP_UUID_STRING_BUFLEN];
    vp_domain_info info;
    char *os_type;
    int autostart; /* -1: the driver cannot say */
    bool persistent;
    int managed_save; /* -1: the driver cannot say */
} dominfo;

static void
dominfo_json(vpsh_ctx *ctx, vp_domain *dom, const dominfo *d)
{
    vpsh_json_begin_object(ctx->js, NULL);
    if (d->id >= 0)
        vpsh_json_int(ctx->js, "id", d->id);
    else
        vpsh_json_null(ctx->js, "id");
    vpsh_json_string(ctx->js, "name", vp_domain_get_name(dom));
    vpsh_json_string(ctx->js, "uuid", d->uuid);
    vpsh_json_string(ctx->js, "os_type", d->os_type);
    vpsh_json_string(ctx->js, "state", vp_domain_state_name(d->info.state));
    vpsh_json_uint(ctx->js, "cpus", d->info.vcpus);
    vpsh_json_uint(ctx->js, "cpu_time_ns", d->info.cpu_time_ns);
    vpsh_json_uint(ctx->js, "max_memory_kib", d->info.max_memory_kib);
    vpsh_json_uint(ctx->js, "used_memory_kib", d->info.memory_kib);
    vpsh_json_bool(ctx->js, "persistent", d->persistent);
    if (d->autostart >= 0)
        vpsh_json_bool(ctx->js, "autostart", d->autostart);
    else
        vpsh_json_null(ctx->js, "autostart");
    if (d->managed_save >= 0)
        vpsh_json_bool(ctx->js, "managed_save", d->managed_save);
    else
        vpsh_json_null(ctx->js, "managed_save");
    vpsh_json_end_object(ctx->js);
}

static void
dominfo_print(vpsh_ctx *ctx, vp_domain *dom, const dominfo *d)
{
    if (ctx->json) {
        dominfo_json(ctx, dom, d);
        return;
    }
    if (d->id >= 0)
        vpsh_kv("Id", "%d", d->id);
    else
        vpsh_kv("Id", "-");
    vpsh_kv("Name", "%s", vp_domain_get_name(dom));
    vpsh_kv("UUID", "%s", d->uuid);
    vpsh_kv("OS Type", "%s", d->os_type ? d->os_type : "-");
    vpsh_kv("State", "%s", vp_domain_state_name(d->info.state));
    vpsh_kv("CPU(s)", "%u", d->info.vcpus);
    if (d->info.cpu_time_ns != 0)
        vpsh_kv("CPU time", "%.1lfs", (double)d->info.cpu_time_ns / 1e9);
    vpsh_kv("Max memory", "%llu KiB", (unsigned long long)d->info.max_memory_kib);
    vpsh_kv("Used memory", "%llu KiB", (unsigned long long)d->info.memory_kib);
    vpsh_kv("Persistent", "%s", d->persistent ? "yes" : "no");
    /* As virsh: no line when the driver cannot say. */
    if (d->autostart >= 0)
        vpsh_kv("Autostart", "%s", d->autostart ? "enable" : "disable");
    if (d->managed_save >= 0)
        vpsh_kv("Managed save", "%s", d->managed_save ? "yes" : "no");
}

static int
cmd_dominfo(vpsh_ctx *ctx, const vpsh_args *a)
{
    _cleanup_(vp_domain_freep) vp_domain *dom = NULL;
    if (vpsh_domain(ctx, a->pos[0], &dom) != 0)
        return VPSH_EXIT_FAIL;
    dominfo d = {.info = {.size = sizeof(d.info)}};
    if (vp_domain_get_id(dom, &d.id) < 0 || vpsh_domain_uuid(dom, d.uuid) < 0 ||
        vp_domain_get_os_type(dom, &d.os_type) < 0 || vp_domain_get_info(dom, &d.info) < 0) {
        free(d.os_type);
        return vpsh_fail();
    }
    int r = vp_domain_is_persistent(dom);
    if (r < 0) {
        free(d.os_type);
        return vpsh_fail();
    }
    d.persistent = r == 1;
    r = vp_domain_get_autostart(dom, &d.autostart);
    if (r == VP_ERR_NOT_SUPPORTED) {
        d.autostart = -1;
    } else if (r < 0) {
        free(d.os_type);
        return vpsh_fail();
    }
    d.managed_save = vp_domain_has_managed_save(dom, 0);
    if (d.managed_save == VP_ERR_NOT_SUPPORTED) {
        d.managed_save = -1;
    } else if (d.managed_save < 0) {
        free(d.os_type);
        return vpsh_fail();
    }
    dominfo_print(ctx, dom, &d);
    free(d.os_type);
    return VPSH_EXIT_OK;
}

/* domid, domuuid, domname: one line, as virsh's; {"domain", KEY}. */
static int
print_one(vpsh_ctx *ctx, vp_domain *dom, const char *key, const char *value, bool is_id, int id)
{
    if (ctx->json) {
        vpsh_json_begin_object(ctx->js, NULL);
        vpsh_json_string(ctx->js, "domain", vp_domain_get_name(dom));
        if (is_id && id >= 0)
            vpsh_json_int(ctx->js, key, id);
        else if (is_id)
            vpsh_json_null(ctx->js, key);
        else
            vpsh_json_string(ctx->js, key, value);
        vpsh_json_end_object(ctx->js);
    } else {
        printf("%s\n", value);
    }
    return VPSH_EXIT_OK;
}

static int
cmd_domid(vpsh_ctx *ctx, const vpsh_args *a)
{
    _cleanup_(vp_domain_freep) vp_domain *dom = NULL;
    if (vpsh_domain_by(ctx, a->pos[0], VPSH_BY_NAME | VPSH_BY_UUID, &dom) != 0)
        return VPSH_EXIT_FAIL;
    int id;
    if (vp_domain_get_id(dom, &id) < 0)
        return vpsh_fail();
    char text[16] = "-";
    if (id >= 0)
        snprintf(text, sizeof(text), "%d", id);
    return print_one(ctx, dom, "id", text, true, id);
}

static int
cmd_domuuid(vpsh_ctx *ctx, const vpsh_args *a)
{
    _cleanup_(vp_domain_freep) vp_domain *dom = NULL;
    if (vpsh_domain_by(ctx, a->pos[0], VPSH_BY_ID | VPSH_BY_NAME, &dom) != 0)
        return VPSH_EXIT_FAIL;
    char uuid[VP_UUID_STRING_BUFLEN];
    if (vpsh_domain_uuid(dom, uuid) < 0)
        return vpsh_fail();
    return print_one(ctx, dom, "uuid", uuid, false, 0);
}

static int
cmd_domname(vpsh_ctx *ctx, const vpsh_args *a)
{
    _cleanup_(vp_domain_freep) vp_domain *dom = NULL;
    if (vpsh_domain_by(ctx, a->pos[0], VPSH_BY_ID | VPSH_BY_UUID, &dom) != 0)
        return VPSH_EXIT_FAIL;
    return print_one(ctx, dom, "name", vp_domain_get_name(dom), false, 0);
}

static int
cmd_domstate(vpsh_ctx *ctx, const vpsh_args *a)
{
    _cleanup_(vp_domain_freep) vp_domain *dom = NULL;
    if (vpsh_domain(ctx, a->pos[0], &dom) != 0)
        return VPSH_EXIT_FAIL;
    int state, reason;
    if (vp_domain_get_state(dom, &state, &reason, 0) < 0)
        return vpsh_fail();
    const char *state_name = vp_domain_state_name(state);
    const char *reason_name = vp_domain_state_reason_name(state, reason);
    if (ctx->json) {
        vpsh_json_begin_object(ctx->js, NULL);
        vpsh_json_string(ctx->js, "state", state_name);
        vpsh_json_string(ctx->js, "reason", reason_name);
        vpsh_json_end_object(ctx->js);
    } else if (vpsh_flag(a, "reason")) {
        printf("%s (%s)\n", state_name, reason_name ? reason_name : "unknown");
    } else {
        printf("%s\n", state_name);
    }
    return VPSH_EXIT_OK;
}

/* The library's reader of files a user names: it refuses a FIFO or a
 * device by name before opening it for reading, so "define" never blocks
 * on one. */
int
vpsh_read_file(const char *path, char **ret_data)
{
    if (vp_plugin_file_read_regular(path, DEFINE_MAX_BYTES, ret_data, NULL) < 0)
        return vpsh_fail();
    return 0;
}

/* Every verb's one-line result: "Domain 'x' started", or {"domain", "result"}. */
void
vpsh_print_done(vpsh_ctx *ctx, const char *name, const char *result, const char *text)
{
    if (ctx->json) {
        vpsh_json_begin_object(ctx->js, NULL);
        vpsh_json_string(ctx->js, "domain", name);
        vpsh_json_string(ctx->js, "result", result);
        vpsh_json_end_object(ctx->js);
    } else {
        vpsh_extra(ctx, "%s\n", text);
    }
}

/* define FILE, or create FILE: a transient domain, defined and started at
 * once and gone when it stops. */
static int
from_file(vpsh_ctx *ctx, const vpsh_args *a, bool create)
{
    _cleanup_free_ char *xml = NULL;
    if (vpsh_read_file(a->pos[0], &xml) != 0)
        return VPSH_EXIT_FAIL;
    vp_conn *conn;
    if (vpsh_conn(ctx, &conn) != 0)
        return VPSH_EXIT_FAIL;
    _cleanup_(vp_domain_freep) vp_domain *dom = NULL;
    unsigned int flags = create && vpsh_flag(a, "paused") ? VP_DOMAIN_START_PAUSED : 0;
    int r = create ? vp_domain_create_xml(conn, xml, flags, &dom)
                   : vp_domain_define_xml(conn, xml, 0, &dom);
    if (r < 0)
        return vpsh_fail();
    const char *name = vp_domain_get_name(dom), *done = create ? "created" : "defined";
    _cleanup_free_ char *text = vp_asprintf("Domain '%s' %s from %s", name, done, a->pos[0]);
    vpsh_print_done(ctx, name, done, text);
    return VPSH_EXIT_OK;
}

static int
cmd_define(vpsh_ctx *ctx, const vpsh_args *a)
{
    return from_file(ctx, a, false);
}

static int
cmd_create(vpsh_ctx *ctx, const vpsh_args *a)
{
    return from_file(ctx, a, true);
}

/* The verbs that take a domain and report one line. */
static const struct simple_verb {
    const char *verb;
    int (*call)(vp_domain *dom, unsigned int flags);
    const char *result;
    const char *text; /* as virsh says it, after "Domain 'x' " */
    bool says_name;   /* virsh names the domain, not the argument (an ID, a UUID) */
} simple_verbs[] = {
    {"undefine", vp_domain_undefine, "undefined", "has been undefined", false},
    {"start", vp_domain_start, "started", "started", true},
    {"shutdown", vp_domain_shutdown, "shutting down", "is being shutdown", false},
    {"destroy", vp_domain_destroy, "destroyed", "destroyed", false},
    {"suspend", vp_domain_suspend, "suspended", "suspended", false},
    {"resume", vp_domain_resume, "resumed", "resumed", false},
    {NULL, NULL, NULL, NULL, false},
};

/* virsh's shutdown modes, a comma-separated list, as flags; those the
 * API has no flag for are refused by name. */
static int
shutdown_modes(const char *modes, unsigned int *ret_flags)
{
    static const char *const known = "'acpi', 'agent', 'initctl', 'signal', or 'paravirt'";
    *ret_flags = 0;
    if (!modes)
        return 0;
    _cleanup_free_ char *copy = vp_strdup(modes);
    char *save = NULL;
    for (char *m = strtok_r(copy, ",", &save); m; m = strtok_r(NULL, ",", &save)) {
        if (strcmp(m, "acpi") == 0)
            *ret_flags |= VP_DOMAIN_SHUTDOWN_ACPI_POWER_BTN;
        else if (strcmp(m, "agent") == 0)
            *ret_flags |= VP_DOMAIN_SHUTDOWN_GUEST_AGENT;
        else if (strcmp(m, "initctl") == 0 || strcmp(m, "signal") == 0 ||
                 strcmp(m, "paravirt") == 0)
            return vpsh_failf(
                "shutdown mode '%s' is not supported: virtplug shuts down by 'acpi' or 'agent'", m);
        else
            return vpsh_failf("Unknown mode %s value, expecting %s", m, known);
    }
    if (!*ret_flags)
        return vpsh_failf("Unknown mode %s value, expecting %s", modes, known);
    return 0;
}

/* Whether @dom boots UEFI from a variable store, as the QEMU driver reads
 * its <os> (firmware='efi', a loader that is not a ROM, an <nvram>): its
 * undefine needs --nvram or --keep-nvram once the store exists. 1 yes, 0
 * no, -1 error printed. */
static int
boots_uefi(vp_domain *dom)
{
    _cleanup_free_ char *xml = NULL;
    vpsh_xml_dev **os = NULL;
    if (vp_domain_get_xml(dom, VP_DOMAIN_XML_INACTIVE, &xml) < 0) {
        vpsh_fail();
        return -1;
    }
    if (vpsh_xml_devices(xml, "os", &os) < 0) {
        vpsh_failf("cannot read the <os> element of the XML of domain '%s'",
                   vp_domain_get_name(dom));
        return -1;
    }
    const char *firmware = os[0] ? vpsh_xml_dev_get(os[0], "@firmware") : NULL;
    const char *loader = os[0] ? vpsh_xml_dev_get(os[0], "loader") : NULL;
    const char *loader_type = os[0] ? vpsh_xml_dev_get(os[0], "loader/@type") : NULL;
    const char *nvram = os[0] ? vpsh_xml_dev_get(os[0], "nvram") : NULL;
    bool uefi = !(loader_type && strcmp(loader_type, "rom") == 0) &&
                ((firmware && strcmp(firmware, "efi") == 0) || loader || nvram);
    vpsh_xml_devices_free(os);
    return uefi;
}

/* undefine --snapshots-metadata: the snapshot records go first, metadata
 * only (the images keep the snapshots' data), unless the undefine is
 * refused anyway (a running domain, a managed-save image kept): then
 * nothing is deleted and the driver says why. A UEFI domain undefined
 * without --nvram or --keep-nvram is refused here, before any record
 * goes (the driver would refuse it after): vpsh cannot see whether its
 * store exists yet, so it asks for the option even for a domain never
 * started. */
static int
drop_snapshot_records(vp_domain *dom, unsigned int flags)
{
    int state;
    if (vp_domain_get_state(dom, &state, NULL, 0) < 0)
        return vpsh_fail();
    int saved = vp_domain_has_managed_save(dom, 0);
    if (state != VP_DOMAIN_SHUTOFF || (saved == 1 && !(flags & VP_DOMAIN_UNDEFINE_MANAGED_SAVE)))
        return VPSH_EXIT_OK;
    if (!(flags & (VP_DOMAIN_UNDEFINE_NVRAM | VP_DOMAIN_UNDEFINE_KEEP_NVRAM))) {
        int uefi = boots_uefi(dom);
        if (uefi < 0)
            return VPSH_EXIT_FAIL;
        if (uefi)
            return vpsh_failc(
                VP_ERR_OPERATION_INVALID,
                "cannot undefine domain with nvram: domain '%s' boots UEFI; undefine it with --nvram to remove its variable store too, or with --keep-nvram to keep it (no snapshot record was removed)",
                vp_domain_get_name(dom));
    }
    return vpsh_snapshot_delete_below(dom, NULL, VP_SNAPSHOT_DELETE_METADATA_ONLY);
}

int
vpsh_cmd_simple(vpsh_ctx *ctx, const vpsh_args *a)
{
    const struct simple_verb *v = simple_verbs;
    while (strcmp(v->verb, ctx->cmd->name) != 0)
        v++;
    _cleanup_(vp_domain_freep) vp_domain *dom = NULL;
    if (vpsh_domain(ctx, a->pos[0], &dom) != 0)
        return VPSH_EXIT_FAIL;
    unsigned int flags = 0;
    if (shutdown_modes(vpsh_opt_value(a, "mode"), &flags) != 0)
        return VPSH_EXIT_FAIL;
    /* undefine: what becomes of a UEFI variable store (virsh's options). */
    bool nvram = vpsh_flag(a, "nvram"), keep_nvram = vpsh_flag(a, "keep-nvram");
    if (nvram && keep_nvram)
        return vpsh_failf("Options --nvram and --keep-nvram are mutually exclusive");
    flags |=
        (nvram ? VP_DOMAIN_UNDEFINE_NVRAM : 0) | (keep_nvram ? VP_DOMAIN_UNDEFINE_KEEP_NVRAM : 0);
    if (vpsh_flag(a, "paused"))
        flags |= VP_DOMAIN_START_PAUSED;
    if (vpsh_flag(a, "graceful"))
        flags |= VP_DOMAIN_DESTROY_GRACEFUL;
    if (vpsh_flag(a, "managed-save"))
        flags |= VP_DOMAIN_UNDEFINE_MANAGED_SAVE;
    if (vpsh_flag(a, "snapshots-metadata") && drop_snapshot_records(dom, flags) != VPSH_EXIT_OK)
        return VPSH_EXIT_FAIL;
    /* virsh asks first: a running or paused domain is not started again
     * (one a killed start left starting up is: the driver repairs it). */
    int state, reason;
    if (strcmp(v->verb, "start") == 0 && vp_domain_get_state(dom, &state, &reason, 0) >= 0 &&
        (state == VP_DOMAIN_RUNNING ||
         (state == VP_DOMAIN_PAUSED && reason != VP_DOMAIN_PAUSED_STARTING_UP)))
        return vpsh_failc(VP_ERR_OPERATION_INVALID, "Domain is already active");
    if (v->call(dom, flags) < 0) {
        /* virsh's two lines: "Failed to VERB domain 'x'", then why. */
        _cleanup_free_ char *what = vp_asprintf("Failed to %s domain '%s'", v->verb, a->pos[0]);
        return vpsh_fail_what(what);
    }
    _cleanup_free_ char *text =
        vp_asprintf("Domain '%s' %s", v->says_name ? vp_domain_get_name(dom) : a->pos[0], v->text);
    vpsh_print_done(ctx, vp_domain_get_name(dom), v->result, text);
    return VPSH_EXIT_OK;
}

static int
cmd_dumpxml(vpsh_ctx *ctx, const vpsh_args *a)
{
    _cleanup_(vp_domain_freep) vp_domain *dom = NULL;
    if (vpsh_domain(ctx, a->pos[0], &dom) != 0)
        return VPSH_EXIT_FAIL;
    _cleanup_free_ char *xml = NULL;
    unsigned int flags = vpsh_flag(a, "inactive") ? VP_DOMAIN_XML_INACTIVE : 0;
    if (vpsh_flag(a, "security-info"))
        flags |= VP_DOMAIN_XML_SECURE;
    if (vp_domain_get_xml(dom, flags, &xml) < 0)
        return vpsh_fail();
    return vpsh_print_xml(ctx, a, "domain", vp_domain_get_name(dom), xml);
}

static void
print_flat(void *userdata, const char *path, const char *value)
{
    printf("%-24s: %s\n", path, value);
}

static void
count_flat(void *userdata, const char *path, const char *value)
{
    (*(size_t *)userdata)++;
}

/* What the guest agent reports, as virsh's guestinfo prints it: one
 * "key : value" line per item of the driver's JSON document. */
static int
cmd_guestinfo(vpsh_ctx *ctx, const vpsh_args *a)
{
    _cleanup_(vp_domain_freep) vp_domain *dom = NULL;
    if (vpsh_domain(ctx, a->pos[0], &dom) != 0)
        return VPSH_EXIT_FAIL;
    _cleanup_free_ char *info = NULL;
    if (vp_domain_get_guest_info(dom, 0, &info) < 0)
        return vpsh_fail();
    size_t n = 0;
    if (vpsh_json_flatten(info, count_flat, &n) < 0)
        return vpsh_failf("the driver returned guest information that is not valid JSON");
    if (ctx->json) {
        vpsh_json_begin_object(ctx->js, NULL);
        vpsh_json_string(ctx->js, "domain", vp_domain_get_name(dom));
        vpsh_json_raw(ctx->js, "guestinfo", info);
        vpsh_json_end_object(ctx->js);
    } else {
        vpsh_json_flatten(info, print_flat, NULL);
    }
    return VPSH_EXIT_OK;
}

/* domtime: read the guest's clock, or set it (--time, --now, --sync), as
 * virsh does: "Time: SECONDS", or with --pretty "Time: YYYY-MM-DD HH:MM:SS"
 * in UTC; setting prints nothing. */
static int
domtime_set(vpsh_ctx *ctx, vp_domain *dom, const vpsh_args *a, bool now, bool sync)
{
    if (ctx->readonly)
        return vpsh_failf(
            "command 'domtime' with --time, --now or --sync changes state; refused by -r (--readonly)");
    const char *text = vpsh_opt_value(a, "time");
    long long seconds = 0;
    unsigned int flags = sync ? VP_DOMAIN_TIME_SYNC : 0;
    if (text) {
        char *end;
        errno = 0;
        seconds = strtoll(text, &end, 10);
        if (!*text || *end || errno)
            return vpsh_usage(ctx->cmd, "--time needs seconds since the epoch, not '%s'", text);
    } else if (now) {
        seconds = (long long)time(NULL);
    }
    if (vp_domain_set_time(dom, seconds, 0, flags) < 0)
        return vpsh_fail();
    if (ctx->json) {
        vpsh_json_begin_object(ctx->js, NULL);
        vpsh_json_string(ctx->js, "domain", vp_domain_get_name(dom));
        vpsh_json_string(ctx->js, "result", sync ? "synced" : "set");
        if (!sync)
            vpsh_json_int(ctx->js, "seconds", seconds);
        vpsh_json_end_object(ctx->js);
    }
    return VPSH_EXIT_OK;
}

static int
cmd_domtime(vpsh_ctx *ctx, const vpsh_args *a)
{
    bool now = vpsh_flag(a, "now"), sync = vpsh_flag(a, "sync");
    bool set = vpsh_opt_value(a, "time") != NULL;
    if (now + sync + set > 1)
        return vpsh_usage(ctx->cmd, "--now, --sync and --time are mutually exclusive");
    _cleanup_(vp_domain_freep) vp_domain *dom = NULL;
    if (vpsh_domain(ctx, a->pos[0], &dom) != 0)
        return VPSH_EXIT_FAIL;
    if (now || sync || set)
        return domtime_set(ctx, dom, a, now, sync);
    long long seconds;
    unsigned int nseconds;
    if (vp_domain_get_time(dom, &seconds, &nseconds, 0) < 0)
        return vpsh_fail();
    char pretty[64] = "";
    time_t t = (time_t)seconds;
    struct tm tm;
    if (gmtime_r(&t, &tm))
        strftime(pretty, sizeof(pretty), "%Y-%m-%d %H:%M:%S", &tm);
    if (ctx->json) {
        vpsh_json_begin_object(ctx->js, NULL);
        vpsh_json_string(ctx->js, "domain", vp_domain_get_name(dom));
        vpsh_json_int(ctx->js, "seconds", seconds);
        vpsh_json_int(ctx->js, "nseconds", nseconds);
        vpsh_json_string(ctx->js, "utc", pretty);
        vpsh_json_end_object(ctx->js);
    } else if (vpsh_flag(a, "pretty")) {
        printf("Time: %s", pretty); /* the line ends with virsh's blank one (not under -q) */
    } else {
        printf("Time: %lld", seconds);
    }
    return VPSH_EXIT_OK;
}

static const vpsh_opt domtime_opts[] = {
    {"now", NULL, false, "set the guest's clock to the host's current time (seconds)", NULL},
    {"pretty", NULL, false, "print the time as YYYY-MM-DD HH:MM:SS (UTC)", NULL},
    {"sync", NULL, false, "set the guest's clock from the host's clock", NULL},
    {"time", "SECONDS", false, "set the guest's clock to SECONDS since the epoch", NULL},
    {NULL, NULL, false, NULL, NULL},
};

static const vpsh_opt create_opts[] = {
    {"paused", NULL, false, "leave the domain paused once created (resume starts its vCPUs)", NULL},
    {"console", NULL, false, NULL, "not supported yet: run 'vpsh console' after create"},
    {"autodestroy", NULL, false, NULL, "not supported yet: virtplug has no daemon to destroy it"},
    {"validate", NULL, false, "validate the XML (virtplug always checks it against its model)",
     NULL},
    {NULL, NULL, false, NULL, NULL},
};

static const vpsh_opt define_opts[] = {
    {"validate", NULL, false, "validate the XML (virtplug always checks it against its model)",
     NULL},
    {NULL, NULL, false, NULL, NULL},
};

static const vpsh_opt domstate_opts[] = {
    {"reason", NULL, false, "also print why the domain is in its state", NULL},
    {NULL, NULL, false, NULL, NULL},
};

static const vpsh_opt destroy_opts[] = {
    {"graceful", NULL, false,
     "end the domain's process gently (QMP quit, SIGTERM), never by force; fails if it stays",
     NULL},
    {NULL, NULL, false, NULL, NULL},
};

static const vpsh_opt shutdown_opts[] = {
    {"mode", "MODE", false,
     "how the guest is asked: 'acpi' (the power button), 'agent' (the guest agent), or both "
     "as 'agent,acpi' (the agent first)",
     NULL},
    {NULL, NULL, false, NULL, NULL},
};

static const vpsh_opt undefine_opts[] = {
    {"nvram", NULL, false, "remove the domain's UEFI variable store too", NULL},
    {"keep-nvram", NULL, false, "keep the domain's UEFI variable store", NULL},
    {"managed-save", NULL, false, "also remove the domain's managed-save image", NULL},
    {"snapshots-metadata", NULL, false, "remove the snapshot records first (their data stays)",
     NULL},
    {"remove-all-storage", NULL, false, NULL,
     "virtplug never deletes a domain's disk images; remove them yourself once no other domain or snapshot uses them"},
    {NULL, NULL, false, NULL, NULL},
};

static const vpsh_opt dumpxml_opts[] = {
    {"inactive", NULL, false, "the definition the next start uses, not the running one", NULL},
    {"security-info", NULL, false, "include the secrets (graphics passwords)", NULL},
    {"update-cpu", NULL, false, NULL,
     "not supported yet: virtplug does not compute the host CPU a host-model guest gets"},
    {"xpath", "EXPRESSION", false, "print only the nodes the XPath expression selects", NULL},
    {"wrap", NULL, false, "with --xpath: print the nodes inside one <nodes> element", NULL},
    {NULL, NULL, false, NULL, NULL},
};

#define DOMAIN_VERB(verb, opts, summary)                                                           \
    {                                                                                              \
        verb, "DOMAIN", summary, opts, 1, 1, vpsh_cmd_simple, "domain", VPSH_CMD_MUTATES           \
    }

const vpsh_cmd vpsh_domain_cmds[] = {
    {"list", "", "list running domains (or --all, or --inactive)", vpsh_list_opts, 0, 0,
     vpsh_cmd_list, NULL, 0},
    {"dominfo", "DOMAIN", "show a domain's basic information", NULL, 1, 1, cmd_dominfo, "domain",
     0},
    {"domstate", "DOMAIN", "show a domain's state", domstate_opts, 1, 1, cmd_domstate, "domain", 0},
    {"domid", "DOMAIN", "convert a domain name or UUID to its Id", NULL, 1, 1, cmd_domid, "domain",
     0},
    {"domuuid", "DOMAIN", "convert a domain name or Id to its UUID", NULL, 1, 1, cmd_domuuid,
     "domain", 0},
    {"domname", "DOMAIN", "convert a domain Id or UUID to its name", NULL, 1, 1, cmd_domname,
     "domain", 0},
    {"define", "FILE", "define a domain from an XML file", define_opts, 1, 1, cmd_define, "file",
     VPSH_CMD_MUTATES},
    {"create", "FILE", "create and start a transient domain from an XML file", create_opts, 1, 1,
     cmd_create, "file", VPSH_CMD_MUTATES},
    DOMAIN_VERB("undefine", undefine_opts, "remove an inactive domain's definition"),
    {"start", "DOMAIN", "start a defined, inactive domain (or --autostart-all)", vpsh_start_opts, 0,
     1, vpsh_cmd_start, "domain", VPSH_CMD_MUTATES},
    DOMAIN_VERB("shutdown", shutdown_opts, "ask a domain's guest to power off"),
    DOMAIN_VERB("destroy", destroy_opts, "stop a domain at once"),
    DOMAIN_VERB("suspend", NULL, "pause a running domain"),
    DOMAIN_VERB("resume", NULL, "continue a paused domain"),
    {"dumpxml", "DOMAIN", "print a domain's XML", dumpxml_opts, 1, 1, cmd_dumpxml, "domain", 0},
    {"edit", "DOMAIN", "edit a domain's XML in $VISUAL or $EDITOR, then define it", NULL, 1, 1,
     vpsh_cmd_edit, "domain", VPSH_CMD_MUTATES},
    {"guestinfo", "DOMAIN", "show what the guest agent reports (version, OS, file systems)", NULL,
     1, 1, cmd_guestinfo, "domain", 0},
    {"event", "", "wait for domain events and print them", vpsh_event_opts, 0, 0, vpsh_cmd_event,
     NULL, 0},
    {"domtime", "DOMAIN", "read or set a guest's clock", domtime_opts, 1, 1, cmd_domtime, "domain",
     0},
    {"console", "DOMAIN", "attach the terminal to a running domain's console", vpsh_console_opts, 1,
     1, vpsh_cmd_console, "domain", 0},
    {"domdisplay", "DOMAIN", "print the URI of a running domain's graphical display",
     vpsh_domdisplay_opts, 1, 1, vpsh_cmd_domdisplay, "domain", 0},
    {"reboot", "DOMAIN", "ask a domain's guest to restart", vpsh_reboot_opts, 1, 1, vpsh_cmd_reboot,
     "domain", VPSH_CMD_MUTATES},
    {"reset", "DOMAIN", "reset a domain's machine at once, as its reset button", NULL, 1, 1,
     vpsh_cmd_reset, "domain", VPSH_CMD_MUTATES},
    {"domblklist", "DOMAIN", "list a domain's disks", vpsh_domblklist_opts, 1, 1,
     vpsh_cmd_domblklist, "domain", 0},
    {"domiflist", "DOMAIN", "list a domain's network interfaces", vpsh_domiflist_opts, 1, 1,
     vpsh_cmd_domiflist, "domain", 0},
    {"domifaddr", "DOMAIN", "list a running domain's network addresses, as its guest agent says",
     vpsh_domifaddr_opts, 1, 1, vpsh_cmd_domifaddr, "domain", 0},
    {"qemu-agent-command", "DOMAIN CMD", "pass a request to a domain's guest agent",
     vpsh_agent_command_opts, 2, 4, vpsh_cmd_qemu_agent_command, "domain cmd", VPSH_CMD_MUTATES},
    {"autostart", "DOMAIN", "mark a domain to be started when the host boots (or --disable)",
     vpsh_autostart_opts, 1, 1, vpsh_cmd_autostart, "domain", VPSH_CMD_MUTATES},
    {"update-device", "DOMAIN FILE", "change a device of a domain from an XML file",
     vpsh_update_device_opts, 2, 2, vpsh_cmd_update_device, "domain file", VPSH_CMD_MUTATES},
    {"change-media", "DOMAIN PATH [SOURCE]",
     "insert, replace or eject the medium of a cdrom or floppy", vpsh_change_media_opts, 2, 3,
     vpsh_cmd_change_media, "domain path source", VPSH_CMD_MUTATES},
    {"domif-setlink", "DOMAIN INTERFACE STATE",
     "set the link state of a domain's interface (up or down)", vpsh_domif_setlink_opts, 3, 3,
     vpsh_cmd_domif_setlink, "domain interface state", VPSH_CMD_MUTATES},
    {"domif-getlink", "DOMAIN INTERFACE", "print the link state of a domain's interface",
     vpsh_domif_getlink_opts, 2, 2, vpsh_cmd_domif_getlink, "domain interface", VPSH_CMD_NO_BLANK},
    {"setmem", "DOMAIN SIZE", "change a domain's memory (KiB, or with a unit: 1G)",
     vpsh_setmem_opts, 2, 2, vpsh_cmd_setmem, "domain size", VPSH_CMD_MUTATES},
    {"setmaxmem", "DOMAIN SIZE", "change the most memory a domain may have", vpsh_setmem_opts, 2, 2,
     vpsh_cmd_setmaxmem, "domain size", VPSH_CMD_MUTATES},
    {"setvcpus", "DOMAIN COUNT", "change a domain's number of vCPUs", vpsh_setvcpus_opts, 2, 2,
     vpsh_cmd_setvcpus, "domain count", VPSH_CMD_MUTATES},
    {"desc", "DOMAIN [TEXT...]", "show or set a domain's description or title", vpsh_desc_opts, 1,
     VPSH_MAX_ARGS, vpsh_cmd_desc, "domain", VPSH_CMD_NO_BLANK},
    {"save", "DOMAIN FILE", "save a running domain's state to a file and stop it", vpsh_save_opts,
     2, 2, vpsh_cmd_save, "domain file", VPSH_CMD_MUTATES},
    {"restore", "FILE", "run a domain again from a file written by save", vpsh_restore_opts, 1, 1,
     vpsh_cmd_restore, "file", VPSH_CMD_MUTATES},
    {"managedsave", "DOMAIN", "save a running domain's state for its next start, and stop it",
     vpsh_managedsave_opts, 1, 1, vpsh_cmd_managedsave, "domain", VPSH_CMD_MUTATES},
    {"managedsave-remove", "DOMAIN", "remove a domain's managed-save image", NULL, 1, 1,
     vpsh_cmd_managedsave_remove, "domain", VPSH_CMD_MUTATES | VPSH_CMD_NO_BLANK},
    {"save-image-dumpxml", "FILE", "print the domain XML held in a save image",
     vpsh_save_image_dumpxml_opts, 1, 1, vpsh_cmd_save_image_dumpxml, "file", 0},
    {"save-image-define", "FILE XML", "replace the domain XML held in a save image",
     vpsh_save_image_define_opts, 2, 2, vpsh_cmd_save_image_define, "file xml", VPSH_CMD_MUTATES},
    {"save-image-edit", "FILE", "edit the domain XML held in a save image in $VISUAL or $EDITOR",
     vpsh_save_image_define_opts, 1, 1, vpsh_cmd_save_image_edit, "file", VPSH_CMD_MUTATES},
    {"managedsave-dumpxml", "DOMAIN", "print the domain XML held in a managed-save image",
     vpsh_save_image_dumpxml_opts, 1, 1, vpsh_cmd_managedsave_dumpxml, "domain", 0},
    {"managedsave-define", "DOMAIN XML", "replace the domain XML held in a managed-save image",
     vpsh_save_image_define_opts, 2, 2, vpsh_cmd_managedsave_define, "domain xml",
     VPSH_CMD_MUTATES},
    {"managedsave-edit", "DOMAIN",
     "edit the domain XML held in a managed-save image in $VISUAL or $EDITOR",
     vpsh_save_image_define_opts, 1, 1, vpsh_cmd_managedsave_edit, "domain", VPSH_CMD_MUTATES},
    {"domfsfreeze", "DOMAIN [MOUNTPOINT...]", "freeze a running guest's filesystems",
     vpsh_domfsfreeze_opts, 1, VPSH_MAX_ARGS, vpsh_cmd_domfsfreeze, "domain", VPSH_CMD_MUTATES},
    {"domfsthaw", "DOMAIN [MOUNTPOINT...]", "thaw a guest's frozen filesystems",
     vpsh_domfsfreeze_opts, 1, VPSH_MAX_ARGS, vpsh_cmd_domfsthaw, "domain", VPSH_CMD_MUTATES},
    {"dompmsuspend", "DOMAIN [TARGET]", "ask a guest to suspend itself (mem, disk or hybrid)",
     vpsh_dompmsuspend_opts, 1, 2, vpsh_cmd_dompmsuspend, "domain target", VPSH_CMD_MUTATES},
    {"dompmwakeup", "DOMAIN", "wake a guest up from its suspend to RAM", NULL, 1, 1,
     vpsh_cmd_dompmwakeup, "domain", VPSH_CMD_MUTATES},
    {NULL, NULL, NULL, NULL, 0, 0, NULL, NULL, 0},
};
