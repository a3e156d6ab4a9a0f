/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * hpl-wakeup.c: the kernel's wakeup_count handshake around a suspend.
 *
 * Owns reading sys/power/wakeup_count before the wake alarm is armed and
 * writing the same count back just before the back end suspends. The
 * kernel accepts that write only if no wakeup event arrived in between,
 * and once it is accepted it aborts a suspend that a later wakeup event
 * races with (the write to sys/power/state fails with EBUSY). So a wakeup
 * event between arming and sleeping is never lost: while the wake alarm
 * is still pending it was some other event, and the handshake is redone
 * (at most HPL_WAKEUP_TRIES times); once the alarm fired, or when its
 * state cannot be read, the host is not suspended, since nothing would
 * wake it. A kernel without the file (no CONFIG_PM_SLEEP) skips it all.
 */
#include <config.h>

#include <errno.h>
#include <stdlib.h>

#include "hpl.h"

static char *
count_path(const hpl *hp)
{
    return hpl_sys_path(hp, "/sys/power/wakeup_count");
}

/* Store @count (transfer full; NULL: no handshake) for hpl_wakeup_commit(). */
static void
store_count(hpl *hp, char *count)
{
    pthread_mutex_lock(&hp->lock);
    free(hp->wakeup_count);
    hp->wakeup_count = count;
    pthread_mutex_unlock(&hp->lock);
}

int
hpl_wakeup_count_read(hpl *hp)
{
    _cleanup_free_ char *path = count_path(hp);
    char *count = NULL;
    if (hpl_exists(path)) {
        /* The kernel blocks this read while wakeup events are in progress. */
        int r = hpl_read_line(path, &count);
        if (r < 0)
            return r;
    }
    VP_PLUGIN_DEBUG("hostpower-linux", "wakeup_count: %s", count ? count : "(no such file)");
    store_count(hp, count);
    return 0;
}

bool
hpl_wakeup_rejected(int errnum)
{
    /* EINVAL: the count changed since it was read; EBUSY: a wakeup event
     * is in progress, or aborted the suspend (sys/power/state). */
    return errnum == EINVAL || errnum == EBUSY;
}

int
hpl_wakeup_event_seen(hpl *hp, unsigned int attempt, const char *where)
{
    _cleanup_free_ char *why = NULL;
    if (!hpl_alarm_pending(hp, &why))
        return vp_plugin_error_set(
            VP_ERR_OPERATION_INVALID,
            "a wakeup event arrived %s and %s; the host was not suspended, since nothing would wake it",
            where, why);
    if (attempt >= HPL_WAKEUP_TRIES)
        return vp_plugin_error_set(
            VP_ERR_OPERATION_IN_PROGRESS,
            "wakeup events kept arriving %s (%u times); the host was not suspended", where,
            attempt);
    VP_PLUGIN_DEBUG("hostpower-linux", "a wakeup event arrived %s; the alarm is pending: retrying",
                    where);
    return hpl_wakeup_count_read(hp);
}

int
hpl_wakeup_commit(hpl *hp)
{
    for (unsigned int attempt = 1;; attempt++) {
        pthread_mutex_lock(&hp->lock);
        _cleanup_free_ char *count = hp->wakeup_count ? vp_strdup(hp->wakeup_count) : NULL;
        pthread_mutex_unlock(&hp->lock);
        if (!count)
            return 0;
        _cleanup_free_ char *path = count_path(hp);
        _cleanup_free_ char *text = vp_asprintf("%s\n", count);
        int r = hpl_write_file(path, text);
        if (r >= 0)
            return 0;
        if (!hpl_wakeup_rejected(errno))
            return r;
        r = hpl_wakeup_event_seen(hp, attempt, "after the wake alarm was armed");
        if (r < 0)
            return r;
    }
}
