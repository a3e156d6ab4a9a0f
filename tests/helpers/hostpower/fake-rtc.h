/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * fake-rtc.h: a fake RTC device for tests of the RTC ioctl path.
 *
 * Works only in a program linked with -Wl,--wrap=ioctl: every ioctl() the
 * program's own objects make goes to __wrap_ioctl (fake-rtc.c). Once
 * started on a file (a regular file standing in for /dev/rtc0, recognised
 * by device and inode, so any fd the code under test opened on it counts),
 * the fake answers RTC_RD_TIME, RTC_WKALM_SET and RTC_WKALM_RD on it like
 * the kernel's RTC class does, refusing an alarm time the kernel would
 * refuse; every other ioctl, and every ioctl on another file, goes to the
 * real one. Each call on the fake device appends one line to a log file
 * (a fake host's calls.log, so it shows in order with the fake commands):
 *   "RTC_RD_TIME -> 2023-12-31 23:59:30"
 *   "RTC_WKALM_SET enabled=1 2024-01-01 00:00:30"
 *   "RTC_WKALM_RD -> enabled=1 2024-01-01 00:00:30"
 * or, when it fails, "RTC_WKALM_SET enabled=1 2024-01-01 00:00:30 -> Invalid argument".
 * Thread-safe; times are the RTC's, never converted to local time.
 */
#ifndef VP_TEST_FAKE_RTC_H
#define VP_TEST_FAKE_RTC_H

#include <linux/rtc.h>

/* An RTC time from calendar values (@mon 1..12), with tm_wday and tm_yday
 * filled as the kernel fills them. */
struct rtc_time hp_rtc_time(int year, int mon, int mday, int hour, int min, int sec);

/* Answer the RTC ioctls made on @dev_path (which must exist), whose clock
 * reads @now and whose alarm is disabled, logging to @log_path. */
void hp_rtc_start(const char *dev_path, const char *log_path, struct rtc_time now);
/* Forget the device: every ioctl goes to the real one again. */
void hp_rtc_stop(void);

/* Make every later @request (RTC_RD_TIME, RTC_WKALM_SET or RTC_WKALM_RD)
 * on the device fail with @errnum; 0 makes it work again. */
void hp_rtc_fail(unsigned long request, int errnum);

/* The alarm as last set: whether it is enabled, and its time as
 * "YYYY-MM-DD HH:MM:SS" (transfer full). */
int hp_rtc_alarm_enabled(void);
char *hp_rtc_alarm_time(void);

/* The number of ioctls the fake answered (or failed) since it started. */
unsigned int hp_rtc_calls(void);

int __wrap_ioctl(int fd, unsigned long request, ...);

#endif
