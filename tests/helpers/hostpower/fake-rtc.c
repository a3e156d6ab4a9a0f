/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * fake-rtc.c: a fake RTC device behind -Wl,--wrap=ioctl (see fake-rtc.h).
 *
 * Owns the fake's clock and alarm and the log of the calls it answered. It
 * never opens a device and never passes an RTC request on a fake device to
 * the kernel.
 */
#include <config.h>

#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <cmocka.h>
#include <virtplug/sdk/alloc.h>

#include "fake-rtc.h"

int __real_ioctl(int fd, unsigned long request, ...);

static struct {
    pthread_mutex_t lock;
    bool active;
    dev_t dev;
    ino_t ino;
    char *log_path;
    struct rtc_time now;
    struct rtc_wkalrm alarm;
    int fail_rd_time, fail_wkalm_set, fail_wkalm_rd; /* errno, 0 for none */
    unsigned int calls;
} rtc = {.lock = PTHREAD_MUTEX_INITIALIZER};

static time_t
to_epoch(const struct rtc_time *t)
{
    struct tm tm = {.tm_sec = t->tm_sec,
                    .tm_min = t->tm_min,
                    .tm_hour = t->tm_hour,
                    .tm_mday = t->tm_mday,
                    .tm_mon = t->tm_mon,
                    .tm_year = t->tm_year};
    return timegm(&tm);
}

struct rtc_time
hp_rtc_time(int year, int mon, int mday, int hour, int min, int sec)
{
    struct rtc_time t = {.tm_sec = sec,
                         .tm_min = min,
                         .tm_hour = hour,
                         .tm_mday = mday,
                         .tm_mon = mon - 1,
                         .tm_year = year - 1900};
    time_t at = to_epoch(&t);
    struct tm tm;
    assert_non_null(gmtime_r(&at, &tm));
    assert_int_equal(tm.tm_mday, mday); /* a calendar date that exists */
    t.tm_wday = tm.tm_wday;
    t.tm_yday = tm.tm_yday;
    return t;
}

static void
format_time(const struct rtc_time *t, char *buf, size_t size)
{
    snprintf(buf, size, "%04d-%02d-%02d %02d:%02d:%02d", t->tm_year + 1900, t->tm_mon + 1,
             t->tm_mday, t->tm_hour, t->tm_min, t->tm_sec);
}

static void
log_line(const char *fmt, ...)
{
    FILE *f = fopen(rtc.log_path, "a");
    assert_non_null(f);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(f, fmt, ap);
    va_end(ap);
    assert_int_equal(fclose(f), 0);
}

void
hp_rtc_start(const char *dev_path, const char *log_path, struct rtc_time now)
{
    struct stat st;
    assert_int_equal(stat(dev_path, &st), 0);
    pthread_mutex_lock(&rtc.lock);
    free(rtc.log_path);
    rtc.log_path = vp_strdup(log_path);
    rtc.dev = st.st_dev;
    rtc.ino = st.st_ino;
    rtc.now = now;
    rtc.alarm = (struct rtc_wkalrm){.enabled = 0, .time = hp_rtc_time(1970, 1, 1, 0, 0, 0)};
    rtc.fail_rd_time = rtc.fail_wkalm_set = rtc.fail_wkalm_rd = 0;
    rtc.calls = 0;
    rtc.active = true;
    pthread_mutex_unlock(&rtc.lock);
}

void
hp_rtc_stop(void)
{
    pthread_mutex_lock(&rtc.lock);
    rtc.active = false;
    free(rtc.log_path);
    rtc.log_path = NULL;
    pthread_mutex_unlock(&rtc.lock);
}

void
hp_rtc_fail(unsigned long request, int errnum)
{
    pthread_mutex_lock(&rtc.lock);
    if (request == RTC_RD_TIME)
        rtc.fail_rd_time = errnum;
    else if (request == RTC_WKALM_SET)
        rtc.fail_wkalm_set = errnum;
    else if (request == RTC_WKALM_RD)
        rtc.fail_wkalm_rd = errnum;
    else
        fail_msg("the fake RTC cannot fail request 0x%lx", request);
    pthread_mutex_unlock(&rtc.lock);
}

int
hp_rtc_alarm_enabled(void)
{
    pthread_mutex_lock(&rtc.lock);
    int enabled = rtc.alarm.enabled;
    pthread_mutex_unlock(&rtc.lock);
    return enabled;
}

char *
hp_rtc_alarm_time(void)
{
    char buf[64];
    pthread_mutex_lock(&rtc.lock);
    format_time(&rtc.alarm.time, buf, sizeof(buf));
    pthread_mutex_unlock(&rtc.lock);
    return vp_strdup(buf);
}

unsigned int
hp_rtc_calls(void)
{
    pthread_mutex_lock(&rtc.lock);
    unsigned int n = rtc.calls;
    pthread_mutex_unlock(&rtc.lock);
    return n;
}

/* What the kernel's rtc_valid_tm() accepts. */
static bool
valid_time(const struct rtc_time *t)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (t->tm_year < 70 || (unsigned int)t->tm_mon >= 12 || t->tm_mday < 1 ||
        (unsigned int)t->tm_hour >= 24 || (unsigned int)t->tm_min >= 60 ||
        (unsigned int)t->tm_sec >= 60)
        return false;
    int year = t->tm_year + 1900;
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return t->tm_mday <= days[t->tm_mon] + (t->tm_mon == 1 && leap);
}

/* RTC_WKALM_SET: the kernel refuses an invalid time (EINVAL) and an
 * enabled alarm that is not in the future (ETIME). */
static int
set_alarm(const struct rtc_wkalrm *wk)
{
    char when[64];
    format_time(&wk->time, when, sizeof(when));
    int e = rtc.fail_wkalm_set;
    if (e == 0 && !valid_time(&wk->time))
        e = EINVAL;
    else if (e == 0 && wk->enabled && to_epoch(&wk->time) <= to_epoch(&rtc.now))
        e = ETIME;
    if (e != 0) {
        log_line("RTC_WKALM_SET enabled=%d %s -> %s\n", wk->enabled, when, strerror(e));
        return e;
    }
    rtc.alarm.enabled = wk->enabled;
    rtc.alarm.pending = 0;
    rtc.alarm.time = wk->time;
    log_line("RTC_WKALM_SET enabled=%d %s\n", wk->enabled, when);
    return 0;
}

static int
answer(unsigned long request, void *arg)
{
    char when[64];
    if (request == RTC_RD_TIME) {
        if (rtc.fail_rd_time) {
            log_line("RTC_RD_TIME -> %s\n", strerror(rtc.fail_rd_time));
            return rtc.fail_rd_time;
        }
        *(struct rtc_time *)arg = rtc.now;
        format_time(&rtc.now, when, sizeof(when));
        log_line("RTC_RD_TIME -> %s\n", when);
        return 0;
    }
    if (request == RTC_WKALM_SET)
        return set_alarm(arg);
    if (request == RTC_WKALM_RD) {
        if (rtc.fail_wkalm_rd) {
            log_line("RTC_WKALM_RD -> %s\n", strerror(rtc.fail_wkalm_rd));
            return rtc.fail_wkalm_rd;
        }
        *(struct rtc_wkalrm *)arg = rtc.alarm;
        format_time(&rtc.alarm.time, when, sizeof(when));
        log_line("RTC_WKALM_RD -> enabled=%d %s\n", rtc.alarm.enabled, when);
        return 0;
    }
    log_line("unexpected ioctl 0x%lx -> %s\n", request, strerror(ENOTTY));
    return ENOTTY;
}

int
__wrap_ioctl(int fd, unsigned long request, ...)
{
    va_list ap;
    va_start(ap, request);
    void *arg = va_arg(ap, void *);
    va_end(ap);
    struct stat st;
    pthread_mutex_lock(&rtc.lock);
    if (!rtc.active || fstat(fd, &st) < 0 || st.st_dev != rtc.dev || st.st_ino != rtc.ino) {
        pthread_mutex_unlock(&rtc.lock);
        return __real_ioctl(fd, request, arg);
    }
    rtc.calls++;
    int e = answer(request, arg);
    pthread_mutex_unlock(&rtc.lock);
    if (e == 0)
        return 0;
    errno = e;
    return -1;
}
