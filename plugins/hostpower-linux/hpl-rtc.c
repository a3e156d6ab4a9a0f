/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * hpl-rtc.c: the RTC wake alarm of the hostpower-linux plugin.
 *
 * Owns arming and clearing the alarm, in this order of preference: the
 * sysfs 'wakealarm' file of the configured RTC (write 0 first, since an
 * armed alarm refuses a new one with EBUSY; then since_epoch + N, computed
 * in the RTC's own time base so local-time RTCs need no conversion; then
 * read back), else (when sysfs does not list the RTC at all) the
 * RTC_WKALM_SET ioctl on rtc_dev_dir/rtc_device, else 'rtcwake -m no -s N'.
 * An RTC that sysfs lists without 'wakealarm' cannot wake the host and is
 * refused. It remembers which one armed the alarm so the same
 * one clears it. It never suspends.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/rtc.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "hpl.h"

static int
check_range(const hpl *hp, uint64_t base, uint64_t duration_s)
{
    if (base <= HPL_RTC_MAX_EPOCH && duration_s <= HPL_RTC_MAX_EPOCH - base)
        return 0;
    return vp_plugin_error_set(
        VP_ERR_INVALID_ARG,
        "suspend duration %llu s is too long for RTC '%s': it holds alarm times up to %llu (2106-02-07); the largest duration now is %llu s",
        (unsigned long long)duration_s, hp->rtc_device, HPL_RTC_MAX_EPOCH,
        base <= HPL_RTC_MAX_EPOCH ? HPL_RTC_MAX_EPOCH - base : 0ull);
}

static int
read_u64(const char *path, uint64_t *ret)
{
    _cleanup_free_ char *line = NULL;
    int r = hpl_read_line(path, &line);
    if (r < 0)
        return r;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(line, &end, 10);
    if (*line == '\0' || *end != '\0' || errno != 0)
        return vp_plugin_error_set(VP_ERR_SYSTEM, "'%s' holds '%s', not a number of seconds", path,
                                   line);
    *ret = v;
    return 0;
}

static int
arm_sysfs(hpl *hp, const char *dir, uint64_t duration_s)
{
    _cleanup_free_ char *alarm = vp_asprintf("%s/wakealarm", dir);
    _cleanup_free_ char *since = vp_asprintf("%s/since_epoch", dir);
    uint64_t now = 0, back = 0;
    int r = read_u64(since, &now);
    if (r < 0)
        return r;
    r = check_range(hp, now, duration_s);
    if (r < 0)
        return r;
    r = hpl_write_file(alarm, "0\n");
    if (r < 0)
        return r;
    char text[32];
    snprintf(text, sizeof(text), "%llu\n", (unsigned long long)(now + duration_s));
    r = hpl_write_file(alarm, text);
    if (r < 0)
        return r;
    _cleanup_free_ char *line = NULL;
    r = hpl_read_line(alarm, &line);
    if (r < 0)
        return r;
    char *end;
    back = strtoull(line, &end, 10);
    if (*line == '\0' || *end != '\0' || back != now + duration_s) {
        (void)hpl_write_file(alarm, "0\n");
        return vp_plugin_error_set(
            VP_ERR_SYSTEM, "RTC wake alarm '%s' did not keep the alarm: wrote %llu, read back '%s'",
            alarm, (unsigned long long)(now + duration_s), line);
    }
    return 0;
}

static int
rtc_open(const hpl *hp, char **ret_path, int *ret_fd)
{
    char *path = vp_asprintf("%s/%s", hp->rtc_dev_dir, hp->rtc_device);
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        int e = errno;
        vp_plugin_error_set_errno(
            VP_ERR_SYSTEM, e, "cannot open RTC '%s'%s", path,
            e == EBUSY ? " (another program, such as hwclock or chrony, holds it)" : "");
        free(path);
        return VP_ERR_SYSTEM;
    }
    *ret_path = path;
    *ret_fd = fd;
    return 0;
}

static int
arm_ioctl(hpl *hp, uint64_t duration_s)
{
    _cleanup_free_ char *path = NULL;
    int fd;
    int r = rtc_open(hp, &path, &fd);
    if (r < 0)
        return r;
    struct rtc_time rt;
    if (ioctl(fd, RTC_RD_TIME, &rt) < 0) {
        r = vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno, "cannot read the time of RTC '%s'",
                                      path);
        close(fd);
        return r;
    }
    struct tm tm = {.tm_sec = rt.tm_sec,
                    .tm_min = rt.tm_min,
                    .tm_hour = rt.tm_hour,
                    .tm_mday = rt.tm_mday,
                    .tm_mon = rt.tm_mon,
                    .tm_year = rt.tm_year};
    time_t base = timegm(&tm);
    r = base < 0 ? vp_plugin_error_set(VP_ERR_SYSTEM, "RTC '%s' reads an invalid time", path)
                 : check_range(hp, (uint64_t)base, duration_s);
    if (r < 0) {
        close(fd);
        return r;
    }
    time_t at = base + (time_t)duration_s;
    gmtime_r(&at, &tm);
    struct rtc_wkalrm wk = {.enabled = 1};
    wk.time = (struct rtc_time){.tm_sec = tm.tm_sec,
                                .tm_min = tm.tm_min,
                                .tm_hour = tm.tm_hour,
                                .tm_mday = tm.tm_mday,
                                .tm_mon = tm.tm_mon,
                                .tm_year = tm.tm_year,
                                .tm_wday = -1,
                                .tm_yday = -1,
                                .tm_isdst = -1};
    if (ioctl(fd, RTC_WKALM_SET, &wk) < 0) {
        /* EINVAL from the driver, ERANGE from the RTC core (past the
         * range the RTC declares). */
        int e = errno;
        r = vp_plugin_error_set_errno(
            VP_ERR_SYSTEM, e, "cannot arm RTC wake alarm on '%s'%s", path,
            e == EINVAL || e == ERANGE ? " (this RTC has no alarm, or not that far ahead)" : "");
    }
    close(fd);
    return r;
}

static int
clear_ioctl(hpl *hp)
{
    _cleanup_free_ char *path = NULL;
    int fd;
    int r = rtc_open(hp, &path, &fd);
    if (r < 0)
        return r;
    struct rtc_wkalrm wk;
    memset(&wk, 0, sizeof(wk));
    if (ioctl(fd, RTC_WKALM_RD, &wk) < 0 || (wk.enabled = 0, ioctl(fd, RTC_WKALM_SET, &wk) < 0))
        r = vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno, "cannot clear RTC wake alarm on '%s'",
                                      path);
    close(fd);
    return r;
}

static int
arm_rtcwake(hpl *hp, uint64_t duration_s)
{
    int r = check_range(hp, (uint64_t)time(NULL), duration_s);
    if (r < 0)
        return r;
    char seconds[32];
    snprintf(seconds, sizeof(seconds), "%llu", (unsigned long long)duration_s);
    const char *argv[] = {hp->rtcwake, "-m", "no", "-s", seconds, "-d", hp->rtc_device, NULL};
    return hpl_run(argv, HPL_PROBE_TIMEOUT_MS, NULL);
}

/* Which mechanism this host offers; an error says why there is none. */
static int
alarm_pick(hpl *hp, const char *class_dir, const char *dir, hpl_alarm *ret)
{
    _cleanup_free_ char *alarm = vp_asprintf("%s/wakealarm", dir);
    _cleanup_free_ char *dev = vp_asprintf("%s/%s", hp->rtc_dev_dir, hp->rtc_device);
    /* The kernel shows 'wakealarm' only for an RTC that can wake the
     * system; an RTC listed without it cannot, and an alarm set through
     * the ioctl or rtcwake would be accepted and never wake the host. */
    if (hpl_exists(alarm))
        *ret = HPL_ALARM_SYSFS;
    else if (hpl_exists(dir))
        return vp_plugin_error_set(
            VP_ERR_NOT_SUPPORTED,
            "cannot arm RTC wake alarm: RTC '%s' cannot wake the host: the kernel lists it under '%s' without 'wakealarm', which it shows only for an RTC that can wake the system; suspend without wake-up or set 'rtc_device' in '%s'",
            hp->rtc_device, class_dir, hp->conf_path);
    else if (hpl_exists(dev))
        *ret = HPL_ALARM_IOCTL;
    else if (access(hp->rtcwake, X_OK) == 0)
        *ret = HPL_ALARM_RTCWAKE;
    else
        return vp_plugin_error_set(
            VP_ERR_NOT_SUPPORTED,
            "cannot arm RTC wake alarm: no RTC device under '%s', no '%s', and no rtcwake at '%s'; suspend without wake-up or set 'rtc_device' in '%s'",
            class_dir, dev, hp->rtcwake, hp->conf_path);
    return 0;
}

int
hpl_alarm_arm(hpl *hp, uint64_t duration_s, int64_t *ret_wake_at_us)
{
    _cleanup_free_ char *class_dir = hpl_sys_path(hp, "/sys/class/rtc");
    _cleanup_free_ char *dir = vp_asprintf("%s/%s", class_dir, hp->rtc_device);
    hpl_alarm how = HPL_ALARM_NONE;
    int r = alarm_pick(hp, class_dir, dir, &how);
    if (r < 0)
        return r;
    /* Before arming: a wakeup event from here on, the alarm's own
     * included, makes the write-back before the suspend fail. */
    r = hpl_wakeup_count_read(hp);
    if (r < 0)
        return r;
    int64_t now_us = vp_plugin_now_us();
    if (how == HPL_ALARM_SYSFS)
        r = arm_sysfs(hp, dir, duration_s);
    else if (how == HPL_ALARM_IOCTL)
        r = arm_ioctl(hp, duration_s);
    else
        r = arm_rtcwake(hp, duration_s);
    if (r < 0)
        return r;
    VP_PLUGIN_DEBUG("hostpower-linux", "wake alarm armed in %llu s (method %d)",
                    (unsigned long long)duration_s, (int)how);
    pthread_mutex_lock(&hp->lock);
    hp->armed_via = how;
    pthread_mutex_unlock(&hp->lock);
    *ret_wake_at_us = now_us + (int64_t)duration_s * 1000000;
    return 0;
}

int
hpl_alarm_clear(hpl *hp)
{
    pthread_mutex_lock(&hp->lock);
    hpl_alarm how = hp->armed_via;
    hp->armed_via = HPL_ALARM_NONE;
    pthread_mutex_unlock(&hp->lock);
    if (how == HPL_ALARM_SYSFS) {
        _cleanup_free_ char *rel = vp_asprintf("/sys/class/rtc/%s/wakealarm", hp->rtc_device);
        _cleanup_free_ char *alarm = hpl_sys_path(hp, rel);
        return hpl_write_file(alarm, "0\n");
    }
    if (how == HPL_ALARM_IOCTL)
        return clear_ioctl(hp);
    if (how == HPL_ALARM_RTCWAKE) {
        const char *argv[] = {hp->rtcwake, "-m", "disable", "-d", hp->rtc_device, NULL};
        return hpl_run(argv, HPL_PROBE_TIMEOUT_MS, NULL);
    }
    return 0;
}

/* Whether the alarm armed for this suspend is still to come. The kernel
 * empties 'wakealarm' once the alarm fired, and the ioctl shows it
 * disabled; rtcwake leaves no way to ask. *ret_why (transfer full): why
 * not, for a message. No alarm at all (--no-wakeup) has nothing to lose. */
bool
hpl_alarm_pending(hpl *hp, char **ret_why)
{
    pthread_mutex_lock(&hp->lock);
    hpl_alarm how = hp->armed_via;
    pthread_mutex_unlock(&hp->lock);
    if (how == HPL_ALARM_NONE)
        return true;
    if (how == HPL_ALARM_SYSFS) {
        _cleanup_free_ char *rel = vp_asprintf("/sys/class/rtc/%s/wakealarm", hp->rtc_device);
        _cleanup_free_ char *alarm = hpl_sys_path(hp, rel);
        _cleanup_free_ char *line = NULL;
        if (hpl_read_line(alarm, &line) < 0) {
            *ret_why = vp_asprintf("'%s' cannot be read", alarm);
            return false;
        }
        if (*line && strcmp(line, "0") != 0)
            return true;
        *ret_why = vp_asprintf("the wake alarm has fired ('%s' is empty)", alarm);
        return false;
    }
    if (how == HPL_ALARM_IOCTL) {
        _cleanup_free_ char *path = NULL;
        int fd;
        if (rtc_open(hp, &path, &fd) < 0) {
            *ret_why = vp_strdup("the RTC cannot be opened to check the wake alarm");
            return false;
        }
        struct rtc_wkalrm wk;
        memset(&wk, 0, sizeof(wk));
        int ok = ioctl(fd, RTC_WKALM_RD, &wk);
        close(fd);
        if (ok == 0 && wk.enabled)
            return true;
        *ret_why = ok == 0 ? vp_asprintf("the wake alarm of '%s' has fired", path)
                           : vp_asprintf("the wake alarm of '%s' cannot be read", path);
        return false;
    }
    *ret_why = vp_strdup("rtcwake, which armed the wake alarm, cannot tell whether it has fired");
    return false;
}
