/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * builtin/test/test-lifecycle.c: the test driver's reboot and reset, and
 * its transient domains.
 *
 * Owns what the simulated host does when a domain is rebooted or reset:
 * as libvirt's test driver, a reboot carries out the domain's <on_reboot>
 * (restart: running again, booted; destroy: shut off) and a reset only
 * checks that the domain runs; the autostart mark is a flag of the domain
 * (in memory, as all of this host). A created (transient) domain is a
 * domain flagged transient, which the domain table removes when it stops
 * (test-domains.c). A running domain has a simulated
 * guest agent that answers guest-ping, guest-info and
 * guest-network-get-interfaces (lo, and eth0 with a MAC and an address
 * made from the domain's UUID), for the verbs built on the agent
 * passthrough. Nothing here persists and nothing touches the real host.
 */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "builtin/test/test-driver.h"

int
test_require_active(const test_domain *dom, const char *what)
{
    if (dom->state == VP_DOMAIN_RUNNING || dom->state == VP_DOMAIN_PAUSED)
        return 0;
    return vp_error_set(VP_ERR_OPERATION_INVALID, "cannot %s domain '%s': it is not running", what,
                        dom->def->name);
}

static int
op_reboot(test_host *host, test_domain *dom)
{
    int r = test_require_active(dom, "reboot");
    if (r < 0)
        return r;
    if (dom->def->on_reboot && strcmp(dom->def->on_reboot, "destroy") == 0) {
        test_domain_set_state(host, dom, VP_DOMAIN_SHUTOFF, VP_DOMAIN_SHUTOFF_SHUTDOWN);
        return 0;
    }
    dom->clock_offset_ns = 0; /* a rebooted guest reads its clock again */
    test_domain_set_state(host, dom, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_BOOTED);
    return 0;
}

static int
op_reset(test_host *host, test_domain *dom)
{
    return test_require_active(dom, "reset");
}

int
test_domain_reboot(void *priv, const char *name, unsigned int flags)
{
    /* Both ways end the same on a simulated guest. */
    int r = test_check_flags("domain-reboot", flags,
                             VP_DOMAIN_REBOOT_ACPI_POWER_BTN | VP_DOMAIN_REBOOT_GUEST_AGENT);
    return r < 0 ? r : test_domain_op(priv, name, 0, "domain-reboot", op_reboot);
}

int
test_domain_reset(void *priv, const char *name, unsigned int flags)
{
    return test_domain_op(priv, name, flags, "domain-reset", op_reset);
}

int
test_domain_set_autostart(void *priv, const char *name, int autostart)
{
    test_host *host = priv;
    test_domain *dom = NULL;
    pthread_mutex_lock(&host->lock);
    int r = test_host_get(host, name, &dom);
    if (r >= 0 && dom->transient)
        r = vp_error_set(
            VP_ERR_OPERATION_INVALID,
            "cannot set autostart of domain '%s': it is transient; define it to make it persistent first",
            name);
    if (r >= 0)
        dom->autostart = autostart != 0;
    pthread_mutex_unlock(&host->lock);
    return r;
}

/* *@ret: the persistent (@persistent) or the autostart flag of domain @name. */
static int
read_flag(void *priv, const char *name, bool persistent, int *ret)
{
    test_host *host = priv;
    test_domain *dom = NULL;
    pthread_mutex_lock(&host->lock);
    int r = test_host_get(host, name, &dom);
    if (r >= 0)
        *ret = persistent ? !dom->transient : dom->autostart;
    pthread_mutex_unlock(&host->lock);
    return r;
}

int
test_domain_is_persistent(void *priv, const char *name, int *ret_persistent)
{
    return read_flag(priv, name, true, ret_persistent);
}

int
test_domain_get_autostart(void *priv, const char *name, int *ret_autostart)
{
    return read_flag(priv, name, false, ret_autostart);
}

/* The "execute" of a request, copied into @buf; -1 when there is none
 * (the simulated agent reads nothing else of it). */
static int
request_execute(const char *command, char *buf, size_t size)
{
    const char *p = strstr(command, "\"execute\"");
    if (!p)
        return -1;
    p += strlen("\"execute\"");
    p += strspn(p, " \t\r\n");
    if (*p++ != ':')
        return -1;
    p += strspn(p, " \t\r\n");
    if (*p++ != '"')
        return -1;
    size_t len = strcspn(p, "\"\\");
    if (p[len] != '"' || len == 0 || len >= size)
        return -1;
    memcpy(buf, p, len);
    buf[len] = '\0';
    return 0;
}

/* What the simulated agent answers to @execute, or NULL. (transfer full) */
static char *
agent_answer(const test_domain *dom, const char *execute)
{
    const unsigned char *u = dom->def->uuid;
    if (strcmp(execute, "guest-ping") == 0)
        return vp_strdup("{\"return\":{}}");
    if (strcmp(execute, "guest-info") == 0)
        return vp_strdup(
            "{\"return\":{\"version\":\"virtplug-test\",\"supported_commands\":["
            "{\"enabled\":true,\"name\":\"guest-info\",\"success-response\":true},"
            "{\"enabled\":true,\"name\":\"guest-network-get-interfaces\",\"success-response\":true},"
            "{\"enabled\":true,\"name\":\"guest-ping\",\"success-response\":true}]}}");
    if (strcmp(execute, "guest-network-get-interfaces") == 0)
        return vp_asprintf(
            "{\"return\":[{\"name\":\"lo\",\"hardware-address\":\"00:00:00:00:00:00\","
            "\"ip-addresses\":[{\"ip-address-type\":\"ipv4\",\"ip-address\":\"127.0.0.1\",\"prefix\":8},"
            "{\"ip-address-type\":\"ipv6\",\"ip-address\":\"::1\",\"prefix\":128}]},"
            "{\"name\":\"eth0\",\"hardware-address\":\"52:54:00:%02x:%02x:%02x\","
            "\"ip-addresses\":[{\"ip-address-type\":\"ipv4\",\"ip-address\":\"192.168.122.%d\","
            "\"prefix\":24}]}]}",
            u[13], u[14], u[15], 2 + u[15] % 250);
    return NULL;
}

int
test_domain_agent_command(void *priv, const char *name, const char *command, int timeout_s,
                          unsigned int flags, char **ret_reply)
{
    test_host *host = priv;
    int r = test_check_flags("domain-qemu-agent-command", flags, 0);
    if (r < 0)
        return r;
    char execute[128];
    if (request_execute(command, execute, sizeof(execute)) < 0)
        return vp_error_set(VP_ERR_INVALID_ARG,
                            "the guest agent command '%s' has no \"execute\" string", command);
    test_domain *dom = NULL;
    char *reply = NULL;
    pthread_mutex_lock(&host->lock);
    r = test_host_get(host, name, &dom);
    if (r >= 0 && dom->state == VP_DOMAIN_PAUSED)
        r = vp_error_set(
            VP_ERR_OPERATION_INVALID,
            "cannot pass a command to the guest agent of domain '%s': it is paused; resume it first",
            name);
    else if (r >= 0)
        r = test_require_active(dom, "pass a command to the guest agent of");
    if (r >= 0 && !(reply = agent_answer(dom, execute)))
        r = vp_error_set(VP_ERR_NOT_SUPPORTED,
                         "the simulated guest agent of domain '%s' does not know command '%s'",
                         name, execute);
    pthread_mutex_unlock(&host->lock);
    if (r < 0)
        return r;
    if (timeout_s == 0) { /* sent, and no reply read */
        free(reply);
        reply = NULL;
    }
    *ret_reply = reply;
    return 0;
}
