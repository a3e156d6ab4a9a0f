/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * cmd-agent.c: the vpsh verbs qemu-agent-command and domifaddr, as
 * virsh's, declared in cmd-domain.c's table.
 *
 * Owns how a request reaches the guest agent through the public
 * passthrough (vp_domain_qemu_agent_command) and how domifaddr reads the
 * agent's guest-network-get-interfaces reply into virsh's table. Only the
 * agent can tell a guest's addresses here: virtplug has no virtual network
 * driver to keep DHCP leases nor an ARP table of its networks, so
 * --source lease and --source arp are refused saying so.
 */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vpsh.h"

/* --timeout, --async and --block as the API's timeout. */
static int
agent_timeout(vpsh_ctx *ctx, const vpsh_args *a, int *ret_timeout_s)
{
    const char *text = vpsh_opt_value(a, "timeout");
    bool async = vpsh_flag(a, "async");
    if ((text != NULL) + async > 1)
        return vpsh_usage(ctx->cmd, "--timeout and --async are mutually exclusive");
    *ret_timeout_s =
        async ? VP_DOMAIN_AGENT_RESPONSE_TIMEOUT_NOWAIT : VP_DOMAIN_AGENT_RESPONSE_TIMEOUT_DEFAULT;
    if (text) {
        char *end;
        errno = 0;
        long v = strtol(text, &end, 10);
        if (!*text || *end || errno || v < 1 || v > 86400)
            return vpsh_usage(ctx->cmd, "--timeout needs seconds from 1 to 86400, not '%s'", text);
        *ret_timeout_s = (int)v;
    }
    return VPSH_EXIT_OK;
}

int
vpsh_cmd_qemu_agent_command(vpsh_ctx *ctx, const vpsh_args *a)
{
    int timeout_s = VP_DOMAIN_AGENT_RESPONSE_TIMEOUT_DEFAULT;
    int status = agent_timeout(ctx, a, &timeout_s);
    if (status != VPSH_EXIT_OK)
        return status;
    /* As virsh: the words after DOMAIN are one request. */
    _cleanup_free_ char *command = vp_strdup(a->pos[1]);
    for (size_t i = 2; i < a->npos; i++) {
        char *longer = vp_asprintf("%s %s", command, a->pos[i]);
        free(command);
        command = longer;
    }
    _cleanup_(vp_domain_freep) vp_domain *dom = NULL;
    if (vpsh_domain(ctx, a->pos[0], &dom) != 0)
        return VPSH_EXIT_FAIL;
    _cleanup_free_ char *reply = NULL;
    if (vp_domain_qemu_agent_command(dom, command, timeout_s, 0, &reply) < 0)
        return vpsh_fail();
    if (ctx->json) {
        vpsh_json_begin_object(ctx->js, NULL);
        vpsh_json_string(ctx->js, "domain", vp_domain_get_name(dom));
        if (reply)
            vpsh_json_raw(ctx->js, "reply", reply);
        else
            vpsh_json_null(ctx->js, "reply");
        vpsh_json_end_object(ctx->js);
    } else if (reply) {
        printf("%s\n", reply);
    }
    return VPSH_EXIT_OK;
}

/* One address of guest-network-get-interfaces, in the reply's order. */
typedef struct ifaddr {
    long iface; /* the index of its interface in the reply */
    char *type, *addr, *prefix;
} ifaddr;

typedef struct ifaddrs {
    char *names[64], *macs[64]; /* per interface index */
    ifaddr addrs[256];
    size_t n_addrs;
    long last_j; /* the index in its interface of the last address */
} ifaddrs;

/* "return.I.name", "return.I.hardware-address",
 * "return.I.ip-addresses.J.{ip-address-type,ip-address,prefix}". */
static void
collect_addr(void *userdata, const char *path, const char *value)
{
    ifaddrs *s = userdata;
    char *end;
    if (strncmp(path, "return.", 7) != 0)
        return;
    long i = strtol(path + 7, &end, 10);
    if (end == path + 7 || *end != '.' || i < 0 || i >= 64)
        return;
    const char *key = end + 1;
    if (strcmp(key, "name") == 0 && !s->names[i]) {
        s->names[i] = vp_strdup(value);
    } else if (strcmp(key, "hardware-address") == 0 && !s->macs[i]) {
        s->macs[i] = vp_strdup(value);
    } else if (strncmp(key, "ip-addresses.", 13) == 0) {
        long j = strtol(key + 13, &end, 10);
        if (end == key + 13 || *end != '.' || j < 0)
            return;
        /* A new address when the index changes (the reply's order). */
        ifaddr *last = s->n_addrs ? &s->addrs[s->n_addrs - 1] : NULL;
        if (!last || last->iface != i || s->last_j != j) {
            if (s->n_addrs == sizeof(s->addrs) / sizeof(s->addrs[0]))
                return;
            last = &s->addrs[s->n_addrs++];
            last->iface = i;
            s->last_j = j;
        }
        char **field = strcmp(end + 1, "ip-address-type") == 0 ? &last->type
                       : strcmp(end + 1, "ip-address") == 0    ? &last->addr
                       : strcmp(end + 1, "prefix") == 0        ? &last->prefix
                                                               : NULL;
        if (field && !*field)
            *field = vp_strdup(value);
    }
}

static void
ifaddrs_clear(ifaddrs *s)
{
    for (size_t i = 0; i < 64; i++) {
        free(s->names[i]);
        free(s->macs[i]);
    }
    for (size_t i = 0; i < s->n_addrs; i++) {
        free(s->addrs[i].type);
        free(s->addrs[i].addr);
        free(s->addrs[i].prefix);
    }
}

static int
check_source(vpsh_ctx *ctx, const char *source)
{
    if (!source || strcmp(source, "agent") == 0)
        return VPSH_EXIT_OK;
    if (strcmp(source, "lease") == 0)
        return vpsh_failf(
            "--source lease is not supported: virtplug has no virtual network driver, so no DHCP server keeps leases of the guests; use --source agent (the guest agent)");
    if (strcmp(source, "arp") == 0)
        return vpsh_failf(
            "--source arp is not supported: virtplug does not read the host's ARP table for the guests' interfaces; use --source agent (the guest agent)");
    return vpsh_usage(ctx->cmd, "unknown --source '%s': use 'agent'", source);
}

static void
ifaddr_print(vpsh_ctx *ctx, const ifaddrs *s, const char *only, bool full)
{
    long shown = -1;
    if (ctx->json) {
        vpsh_json_begin_array(ctx->js, "interfaces");
    } else {
        vpsh_extra(ctx, " %-10s %-20s %-8s     %s\n%s%s\n", "Name", "MAC address", "Protocol",
                   "Address", "-------------------------------------------------",
                   "------------------------------");
    }
    for (size_t k = 0; k < s->n_addrs; k++) {
        const ifaddr *x = &s->addrs[k];
        const char *name = s->names[x->iface] ? s->names[x->iface] : "-";
        const char *mac = s->macs[x->iface] ? s->macs[x->iface] : "-";
        if (only && strcmp(only, name) != 0 && strcmp(only, mac) != 0)
            continue;
        _cleanup_free_ char *addr =
            vp_asprintf("%s/%s", x->addr ? x->addr : "-", x->prefix ? x->prefix : "0");
        if (ctx->json) {
            vpsh_json_begin_object(ctx->js, NULL);
            vpsh_json_string(ctx->js, "name", name);
            vpsh_json_string(ctx->js, "mac", mac);
            vpsh_json_string(ctx->js, "protocol", x->type);
            vpsh_json_string(ctx->js, "address", addr);
            vpsh_json_end_object(ctx->js);
            continue;
        }
        bool again = shown == x->iface && !full;
        printf(" %-10s %-17s    %-12s %s\n", again ? "-" : name, again ? "-" : mac,
               x->type ? x->type : "-", addr);
        shown = x->iface;
    }
    if (ctx->json)
        vpsh_json_end_array(ctx->js);
}

int
vpsh_cmd_domifaddr(vpsh_ctx *ctx, const vpsh_args *a)
{
    int status = check_source(ctx, vpsh_opt_value(a, "source"));
    if (status != VPSH_EXIT_OK)
        return status;
    _cleanup_(vp_domain_freep) vp_domain *dom = NULL;
    if (vpsh_domain(ctx, a->pos[0], &dom) != 0)
        return VPSH_EXIT_FAIL;
    _cleanup_free_ char *reply = NULL;
    if (vp_domain_qemu_agent_command(dom, "{\"execute\":\"guest-network-get-interfaces\"}",
                                     VP_DOMAIN_AGENT_RESPONSE_TIMEOUT_DEFAULT, 0, &reply) < 0)
        return vpsh_fail_what("Failed to query for interfaces addresses"); /* virsh's words */
    ifaddrs s = {.last_j = -1};
    if (vpsh_json_flatten(reply, collect_addr, &s) < 0) {
        ifaddrs_clear(&s);
        return vpsh_failf("the guest agent's interfaces of domain '%s' are not valid JSON",
                          vp_domain_get_name(dom));
    }
    if (ctx->json) {
        vpsh_json_begin_object(ctx->js, NULL);
        vpsh_json_string(ctx->js, "domain", vp_domain_get_name(dom));
    }
    ifaddr_print(ctx, &s, vpsh_opt_value(a, "interface"), vpsh_flag(a, "full"));
    if (ctx->json)
        vpsh_json_end_object(ctx->js);
    ifaddrs_clear(&s);
    return VPSH_EXIT_OK;
}

const vpsh_opt vpsh_agent_command_opts[] = {
    {"timeout", "SECONDS", false, "wait at most SECONDS for the reply", NULL},
    {"async", NULL, false, "send the request and do not wait for a reply", NULL},
    {"block", NULL, false, NULL, "virtplug never waits on a guest without a limit; use --timeout"},
    {"pretty", NULL, false, NULL, "not supported yet: the reply is printed as the agent sent it"},
    {NULL, NULL, false, NULL, NULL},
};

const vpsh_opt vpsh_domifaddr_opts[] = {
    {"interface", "NAME", false, "only the interface NAME (or with that MAC address)", NULL},
    {"full", NULL, false, "repeat the name and MAC on every address of an interface", NULL},
    {"source", "SOURCE", false, "'agent' (the guest agent); 'lease' and 'arp' are refused", NULL},
    {NULL, NULL, false, NULL, NULL},
};
