/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * bsd-sleep.c: what each BSD can do, and the command that does it.
 *
 * Owns the capability probes (sysctl values, commands present) and the
 * suspend commands of FreeBSD, OpenBSD and NetBSD, all run through the ops
 * table with the paths of hostpower.conf. It never arms a wake alarm (the
 * BSDs have none) and never claims the host slept and woke: every BSD
 * command here can return before the sleep, so a suspend reports
 * VP_NODE_SUSPEND_REQUESTED (docs/hostpower-bsd.md says why, per OS).
 */
#include <ctype.h>
#include <string.h>

#include <virtplug/sdk/services.h>

#include "bsd-host.h"

/* A sysctl read is instant; anything slower is a broken command. */
#define BSD_PROBE_TIMEOUT_MS 10000
/* acpiconf without devd, and NetBSD's sysctl write, return only after the
 * resume: the host may sleep for days. */
#define BSD_SUSPEND_TIMEOUT_MS (-1)
/* Bounds what a command's stderr may add to the outcome record's message. */
#define BSD_STDERR_MAX 300
/* sysexits.h EX_IOERR: acpiconf's exit status when the kernel refuses. */
#define BSD_EX_IOERR 74

#define BIT(target) (1u << (target))

static void
bsd_trim_end(char *s)
{
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
}

int
bsd_sysctl_get(const bsd_host *host, const char *name, char **ret_value)
{
    const char *argv[] = {host->sysctl, "-n", name, NULL};
    int status;
    _cleanup_free_ char *out = NULL;
    _cleanup_free_ char *err = NULL;
    int r = host->ops->run(argv, BSD_PROBE_TIMEOUT_MS, &status, &out, &err);
    if (r < 0)
        return r;
    if (status != 0) {
        /* Not an error: a missing sysctl is how a BSD says "no such feature". */
        bsd_trim_end(err);
        VP_PLUGIN_DEBUG("hostpower-bsd", "no sysctl '%s' (exit status %d): %s", name, status, err);
        return 0;
    }
    bsd_trim_end(out);
    *ret_value = VP_STEAL_PTR(out);
    return 1;
}

/* Whether the blank-separated @list holds the word @word ("S3" in "S3 S4 S5"). */
static bool
bsd_has_word(const char *list, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = list; (p = strstr(p, word)); p += n) {
        bool starts = p == list || isspace((unsigned char)p[-1]);
        bool ends = p[n] == '\0' || isspace((unsigned char)p[n]);
        if (starts && ends)
            return true;
    }
    return false;
}

/* FreeBSD: ACPI lists its sleep states; S4 works only through S4BIOS
 * (acpi(4): no OS hibernation). Without ACPI, APM may still suspend. */
static int
bsd_freebsd_capabilities(const bsd_host *host, unsigned int *ret_targets)
{
    _cleanup_free_ char *states = NULL;
    int r = bsd_sysctl_get(host, "hw.acpi.supported_sleep_state", &states);
    if (r < 0)
        return r;
    unsigned int targets = 0;
    if (r > 0) {
        if (bsd_has_word(states, "S3"))
            targets |= BIT(VP_NODE_SUSPEND_TARGET_MEM);
        _cleanup_free_ char *s4bios = NULL;
        if (bsd_has_word(states, "S4")) {
            r = bsd_sysctl_get(host, "hw.acpi.s4bios", &s4bios);
            if (r < 0)
                return r;
            if (r > 0 && strcmp(s4bios, "1") == 0)
                targets |= BIT(VP_NODE_SUSPEND_TARGET_DISK);
        }
    } else {
        _cleanup_free_ char *delay = NULL;
        r = bsd_sysctl_get(host, "machdep.apm_suspend_delay", &delay);
        if (r < 0)
            return r;
        if (r > 0)
            targets |= BIT(VP_NODE_SUSPEND_TARGET_MEM);
    }
    *ret_targets = targets;
    return 0;
}

/* NetBSD: ACPI lists its states; old and Xen kernels have machdep.sleep_state
 * instead. Suspend-to-disk does not exist there. Returns 1 and the sysctl
 * to write when the host can suspend to RAM, 0 when it cannot. */
static int
bsd_netbsd_sleep_sysctl(const bsd_host *host, const char **ret_name)
{
    _cleanup_free_ char *states = NULL;
    int r = bsd_sysctl_get(host, "hw.acpi.sleep.states", &states);
    if (r < 0)
        return r;
    if (r > 0) {
        if (!bsd_has_word(states, "S3"))
            return 0;
        *ret_name = "hw.acpi.sleep.state";
        return 1;
    }
    _cleanup_free_ char *state = NULL;
    r = bsd_sysctl_get(host, "machdep.sleep_state", &state);
    if (r > 0)
        *ret_name = "machdep.sleep_state";
    return r;
}

int
bsd_sleep_capabilities(const bsd_host *host, unsigned int *ret_targets)
{
    unsigned int targets = 0;
    const char *name;
    int r = 0;
    switch (host->os) {
    case BSD_OS_FREEBSD:
        r = bsd_freebsd_capabilities(host, &targets);
        break;
    case BSD_OS_OPENBSD:
        /* No sysctl lists sleep states: zzz asks apmd, which answers only
         * when asked to sleep. Hibernation needs swap as large as memory,
         * which only the attempt reveals. */
        if (host->ops->executable(host->zzz))
            targets = BIT(VP_NODE_SUSPEND_TARGET_MEM) | BIT(VP_NODE_SUSPEND_TARGET_DISK);
        break;
    case BSD_OS_NETBSD:
        r = bsd_netbsd_sleep_sysctl(host, &name);
        if (r > 0)
            targets = BIT(VP_NODE_SUSPEND_TARGET_MEM);
        break;
    default:
        return vp_plugin_error_set(VP_ERR_INTERNAL, "hostpower-bsd: unknown OS %d", (int)host->os);
    }
    if (r < 0)
        return r;
    VP_PLUGIN_DEBUG("hostpower-bsd", "%s can suspend to targets 0x%x", bsd_os_name(host->os),
                    targets);
    *ret_targets = targets;
    return 0;
}

/* ---- Suspending ---------------------------------------------------------- */

static const char *
bsd_target_name(unsigned int target)
{
    const char *name = vp_node_suspend_target_name(target);
    return name ? name : "unknown";
}

static int
bsd_not_supported(const bsd_host *host, unsigned int target)
{
    return vp_plugin_error_set(
        VP_ERR_NOT_SUPPORTED,
        "%s cannot suspend to '%s' through hostpower-bsd; vp_node_get_suspend_capabilities() lists the targets this host can do",
        bsd_os_name(host->os), bsd_target_name(target));
}

/* The command line as a user would type it, for messages. */
static char *
bsd_argv_string(const char *const *argv)
{
    char *s = vp_strdup(argv[0]);
    for (size_t i = 1; argv[i]; i++) {
        char *t = vp_asprintf("%s %s", s, argv[i]);
        free(s);
        s = t;
    }
    return s;
}

/* A command's stderr on one bounded line, to fit the outcome record. */
static void
bsd_condense(char *s)
{
    bsd_trim_end(s);
    for (char *p = s; *p; p++)
        if (*p == '\n' || *p == '\r' || *p == '\t')
            *p = ' ';
    size_t n = strlen(s);
    if (n > BSD_STDERR_MAX)
        memcpy(s + BSD_STDERR_MAX - 3, "...", 4);
}

static const char *
bsd_failure_hint(const bsd_host *host, const char *const *argv, int status, const char *err)
{
    if (argv[0] == host->acpiconf && status == BSD_EX_IOERR)
        return "; the kernel refused that sleep state: check 'sysctl hw.acpi.supported_sleep_state' and 'sysctl hw.acpi.s4bios'";
    if (argv[0] == host->zzz && strstr(err, "apmd"))
        return "; zzz asks apmd to suspend: start it with 'rcctl enable apmd' and 'rcctl start apmd'";
    return "";
}

static int
bsd_run_suspend(const bsd_host *host, unsigned int target, const char *const *argv)
{
    _cleanup_free_ char *cmd = bsd_argv_string(argv);
    _cleanup_free_ char *out = NULL;
    _cleanup_free_ char *err = NULL;
    int status;
    VP_PLUGIN_DEBUG("hostpower-bsd", "suspend to '%s': running '%s'", bsd_target_name(target), cmd);
    int r = host->ops->run(argv, BSD_SUSPEND_TIMEOUT_MS, &status, &out, &err);
    if (r < 0)
        return r;
    if (status == 0)
        return 0;
    bsd_condense(err);
    return vp_plugin_error_set(VP_ERR_SYSTEM,
                               "suspend to '%s' failed: '%s' exited with status %d: %s%s",
                               bsd_target_name(target), cmd, status, *err ? err : "no error output",
                               bsd_failure_hint(host, argv, status, err));
}

/* FreeBSD: acpiconf names the ACPI state itself (zzz would use
 * hw.acpi.suspend_state, which may be S1); without ACPI, APM's "apm -z". */
static int
bsd_freebsd_suspend(const bsd_host *host, unsigned int target)
{
    if (target == VP_NODE_SUSPEND_TARGET_DISK) {
        const char *argv[] = {host->acpiconf, "-s", "4", NULL};
        return bsd_run_suspend(host, target, argv);
    }
    if (target != VP_NODE_SUSPEND_TARGET_MEM)
        return bsd_not_supported(host, target);
    _cleanup_free_ char *states = NULL;
    int r = bsd_sysctl_get(host, "hw.acpi.supported_sleep_state", &states);
    if (r < 0)
        return r;
    if (r > 0) {
        const char *argv[] = {host->acpiconf, "-s", "3", NULL};
        return bsd_run_suspend(host, target, argv);
    }
    const char *argv[] = {host->apm, "-z", NULL};
    return bsd_run_suspend(host, target, argv);
}

/* OpenBSD: zzz, not "apm -z": apm exits 0 without a word when apmd is not
 * running, while zzz fails with "cannot connect to apmd". */
static int
bsd_openbsd_suspend(const bsd_host *host, unsigned int target)
{
    if (target != VP_NODE_SUSPEND_TARGET_MEM && target != VP_NODE_SUSPEND_TARGET_DISK)
        return bsd_not_supported(host, target);
    const char *argv[] = {host->zzz, target == VP_NODE_SUSPEND_TARGET_MEM ? "-z" : "-Z", NULL};
    return bsd_run_suspend(host, target, argv);
}

static int
bsd_netbsd_suspend(const bsd_host *host, unsigned int target)
{
    const char *name = NULL;
    int r = target == VP_NODE_SUSPEND_TARGET_MEM ? bsd_netbsd_sleep_sysctl(host, &name) : 0;
    if (r <= 0)
        return r < 0 ? r : bsd_not_supported(host, target);
    _cleanup_free_ char *assignment = vp_asprintf("%s=3", name);
    const char *argv[] = {host->sysctl, "-w", assignment, NULL};
    return bsd_run_suspend(host, target, argv);
}

int
bsd_sleep_suspend(const bsd_host *host, unsigned int target, int *ret_state)
{
    int r;
    switch (host->os) {
    case BSD_OS_FREEBSD:
        r = bsd_freebsd_suspend(host, target);
        break;
    case BSD_OS_OPENBSD:
        r = bsd_openbsd_suspend(host, target);
        break;
    case BSD_OS_NETBSD:
        r = bsd_netbsd_suspend(host, target);
        break;
    default:
        r = vp_plugin_error_set(VP_ERR_INTERNAL, "hostpower-bsd: unknown OS %d", (int)host->os);
        break;
    }
    if (r < 0)
        return r;
    /* The command returned: the request was accepted, and on FreeBSD with
     * devd and on OpenBSD the host has not even slept yet. */
    *ret_state = VP_NODE_SUSPEND_REQUESTED;
    return 0;
}
