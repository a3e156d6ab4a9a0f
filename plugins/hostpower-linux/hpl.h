/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * hpl.h: what the files of the hostpower-linux plugin share.
 *
 * hostpower-linux.c owns the configuration and the vtable, hpl-rtc.c the
 * wake alarm, hpl-suspend.c the capability probes and the suspend back
 * ends, hpl-util.c file and command helpers. Only the SDK is included.
 */
#ifndef HPL_H
#define HPL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <virtplug/virtplug.h>
#include <virtplug/sdk/alloc.h>
#include <virtplug/sdk/services.h>

/* The latest alarm a wake alarm may be set to, in RTC seconds: the largest
 * value of a 32-bit RTC counter (2106-02-07 06:28:15 UTC), which is also
 * the range limit of many RTC drivers. Durations are checked against it. */
#define HPL_RTC_MAX_EPOCH 4294967295ull

#define HPL_PROBE_TIMEOUT_MS 30000

/* How often the wakeup_count handshake is redone after wakeup events
 * other than the wake alarm, before the suspend is given up. */
#define HPL_WAKEUP_TRIES 3

typedef enum hpl_backend {
    HPL_BACKEND_NONE = 0,
    HPL_BACKEND_AUTO,
    HPL_BACKEND_PM_UTILS,
    HPL_BACKEND_SYSTEMD,
    HPL_BACKEND_SYSFS,
} hpl_backend;

typedef enum hpl_alarm {
    HPL_ALARM_NONE = 0,
    HPL_ALARM_SYSFS,
    HPL_ALARM_IOCTL,
    HPL_ALARM_RTCWAKE,
} hpl_alarm;

typedef struct hpl {
    pthread_mutex_t lock; /* armed_via: arm and clear may run on two threads */
    hpl_backend backend;
    char *mem_sleep; /* the variant of 'mem' to select (deep, s2idle, shallow); NULL: auto */
    char *conf_path;
    char *sysfs_root; /* without a trailing '/': "" for "/" */
    char *pm_is_supported;
    char *pm_suspend;
    char *pm_hibernate;
    char *pm_suspend_hybrid;
    char *systemctl;
    char *rtcwake;
    char *rtc_device;         /* "rtc0" */
    char *rtc_dev_dir;        /* "/dev": the RTC ioctl opens rtc_dev_dir/rtc_device */
    char *systemd_booted_dir; /* exists when systemd is PID 1 */
    unsigned int delay_ms;
    hpl_alarm armed_via;
    char *wakeup_count; /* read before arming, written back before suspending; NULL: none */
} hpl;

/* hpl-util.c */
char *hpl_sys_path(const hpl *hp, const char *rel);
bool hpl_exists(const char *path);
int hpl_read_line(const char *path, char **ret_line);
/* Leaves errno at the failing call's value on failure (EINVAL, EBUSY...). */
int hpl_write_file(const char *path, const char *text);
bool hpl_word_in(const char *list, const char *word);
int hpl_run(const char *const *argv, int timeout_ms, bool *ret_ran);

/* hpl-rtc.c */
int hpl_alarm_arm(hpl *hp, uint64_t duration_s, int64_t *ret_wake_at_us);
int hpl_alarm_clear(hpl *hp);
bool hpl_alarm_pending(hpl *hp, char **ret_why);

/* hpl-wakeup.c */
int hpl_wakeup_count_read(hpl *hp);
int hpl_wakeup_commit(hpl *hp);
bool hpl_wakeup_rejected(int errnum);
int hpl_wakeup_event_seen(hpl *hp, unsigned int attempt, const char *where);

/* hpl-suspend.c */
int hpl_capabilities(hpl *hp, unsigned int *ret_targets);
int hpl_suspend(hpl *hp, unsigned int target, int *ret_state);
const char *hpl_backend_name(hpl_backend backend);

#endif
