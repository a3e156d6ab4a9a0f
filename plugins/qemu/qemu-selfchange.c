/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-selfchange.c: whether a QEMU can change its run state by itself,
 * decided from the command line the driver launches it with.
 *
 * A QEMU that cannot leaves "running" or "paused" only through a command
 * on its monitor (which the driver sends, and records) or by exiting
 * (which /proc shows): its record is then the truth, and a list needs not
 * ask it. It can when the command line has anything that lets the guest
 * or QEMU stop it: a disk whose write error policy is not report or ignore
 * (QEMU's default, enospc, pauses on a full host disk) or whose read
 * policy is stop; a panic device (pvpanic, Hyper-V's crash MSRs); an
 * -action that pauses (panic, watchdog); ACPI S3 (the guest suspends to
 * "suspended"), which a machine has unless it is 'none', has ACPI off or
 * S3 disabled on its power management device; -no-shutdown (a guest
 * poweroff leaves QEMU in "shutdown"); a gdb stub; an accelerator other
 * than TCG (KVM stops the guest on an internal error); and the legacy
 * -drive, whose options are not checked here. Anything not recognised
 * errs on the side of "can change".
 */
#include <config.h>

#include <string.h>

#include "qemu-driver.h"

static bool
has_prefix(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* The value of option @key in a "driver,key=value,..." argument, or NULL
 * (a pointer into @opts; the value ends at the next comma). */
static const char *
opt(const char *opts, const char *key)
{
    size_t k = strlen(key);
    for (const char *p = strchr(opts, ','); p; p = strchr(p + 1, ','))
        if (strncmp(p + 1, key, k) == 0 && p[1 + k] == '=')
            return p + 2 + k;
    return NULL;
}

static bool
opt_is(const char *opts, const char *key, const char *value)
{
    const char *v = opt(opts, key);
    size_t n = strlen(value);
    return v && strncmp(v, value, n) == 0 && (v[n] == ',' || v[n] == '\0');
}

/* Why the block device front end @dev can pause its guest, or NULL. */
static const char *
disk_pauses(const char *dev)
{
    if (opt_is(dev, "rerror", "stop"))
        return "a disk's read error policy is 'stop'";
    /* A CD-ROM is never written. */
    if (has_prefix(dev, "ide-cd,") || has_prefix(dev, "scsi-cd,"))
        return NULL;
    if (opt_is(dev, "werror", "report") || opt_is(dev, "werror", "ignore"))
        return NULL;
    return "a disk's write error policy can pause it (QEMU's default pauses on ENOSPC)";
}

/* Why device @dev can change the run state, or NULL. */
static const char *
device_changes(const char *dev)
{
    if (has_prefix(dev, "pvpanic"))
        return "it has a panic device";
    if (opt(dev, "drive"))
        return disk_pauses(dev);
    return NULL;
}

bool
qemu_command_self_changes(char *const *argv, const char **ret_why)
{
    const char *why = NULL;
    bool s3 = true;
    for (size_t i = 1; argv[i] && !why; i++) {
        const char *a = argv[i], *v = argv[i + 1] ? argv[i + 1] : "";
        if (strcmp(a, "-no-shutdown") == 0)
            why = "-no-shutdown keeps a powered-off guest's QEMU";
        else if (strcmp(a, "-s") == 0 || strcmp(a, "-gdb") == 0)
            why = "a gdb stub can stop it";
        else if (strcmp(a, "-drive") == 0)
            why = "a -drive's error policy is not checked";
        else if (strcmp(a, "-accel") == 0 && !has_prefix(v, "tcg"))
            why = "an accelerator other than TCG can stop it on an internal error";
        else if (strcmp(a, "-action") == 0 && strstr(v, "pause"))
            why = "an -action pauses it";
        else if (strcmp(a, "-cpu") == 0 && (strstr(v, "hv-crash") || strstr(v, "hv_crash")))
            why = "Hyper-V's crash MSRs report a panic";
        else if (strcmp(a, "-device") == 0)
            why = device_changes(v);
        else if (strcmp(a, "-machine") == 0 &&
                 (strcmp(v, "none") == 0 || has_prefix(v, "none,") || opt_is(v, "acpi", "off")))
            s3 = false;
        else if (strcmp(a, "-global") == 0 && strstr(v, ".disable_s3=1"))
            s3 = false;
    }
    if (!why && s3)
        why = "the guest can suspend to RAM (ACPI S3)";
    if (ret_why)
        *ret_why = why;
    return why != NULL;
}
