/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-qemu-guest-fs.c: the checks of test-qemu-guest on the guest's
 * filesystems (freeze, thaw, a freeze that answers late and is thawed by
 * the driver), its own suspend to RAM and wakeup, and its setting its RTC
 * as the list sees it.
 */
#include <config.h>

#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <virtplug/sdk/alloc.h>

#include "qemu-monitor.h"
#include "qemu-test-util.h"
#include "test-qemu-guest.h"

/* domfsfreeze and domfsthaw: the counts qemu-ga answers, the guest's
 * freeze state read through the agent, a second freeze refused without
 * thawing the first, an unknown mount point leaving nothing frozen, and
 * thaw refusing a list (qemu-ga thaws everything at once). */
void
check_fsfreeze(const fixture *f, vp_domain *dom)
{
    int n = vp_domain_fs_freeze(dom, NULL, 0, 0);
    if (n < 1)
        fail_msg("fs_freeze answered %d: %s", n, vp_error_last() ? vp_error_last()->message : "");
    _cleanup_free_ char *frozen = fsfreeze_status(f);
    assert_string_equal(frozen, "frozen");
    QT_ASSERT_ERROR(vp_domain_fs_freeze(dom, NULL, 0, 0), VP_ERR_OPERATION_INVALID,
                    "frozen already");
    _cleanup_free_ char *still = fsfreeze_status(f);
    assert_string_equal(still, "frozen");
    const char *mnt[] = {"/mnt"};
    QT_ASSERT_ERROR(vp_domain_fs_thaw(dom, mnt, 1, 0), VP_ERR_NOT_SUPPORTED, "all filesystems");
    assert_int_equal(vp_domain_fs_thaw(dom, NULL, 0, 0), n);
    _cleanup_free_ char *thawed = fsfreeze_status(f);
    assert_string_equal(thawed, "thawed");
    assert_int_equal(vp_domain_fs_thaw(dom, NULL, 0, 0), 0);

    assert_int_equal(vp_domain_fs_freeze(dom, mnt, 1, 0), 1);
    _cleanup_free_ char *listed = fsfreeze_status(f);
    assert_string_equal(listed, "frozen");
    assert_int_equal(vp_domain_fs_thaw(dom, NULL, 0, 0), 1);

    /* qemu-ga skips a mount point it does not have. */
    const char *unknown[] = {"/mnt", "/no/such/mount"};
    assert_int_equal(vp_domain_fs_freeze(dom, unknown, 2, 0), 1);
    assert_int_equal(vp_domain_fs_thaw(dom, NULL, 0, 0), 1);

    /* A freeze that answers after the connection's timeout (the hook
     * sleeps 7 s, the timeout is 5 s) fails, and the driver has thawed
     * what froze late before it returned. */
    slow_next_freeze(f, "Nw==");
    QT_ASSERT_ERROR(vp_domain_fs_freeze(dom, NULL, 0, 0), VP_ERR_AGENT_UNRESPONSIVE,
                    "guest-fsfreeze-freeze");
    _cleanup_free_ char *after = fsfreeze_status(f);
    assert_string_equal(after, "thawed");
}

/* State of @dom polled until it is @want or @timeout_s passed. */
static int
wait_state(vp_domain *dom, int want, int timeout_s)
{
    time_t deadline = time(NULL) + timeout_s;
    int s = -1, why = -1;
    do {
        assert_int_equal(vp_domain_get_state(dom, &s, &why, 0), 0);
        if (s == want)
            break;
        usleep(200000);
    } while (time(NULL) < deadline);
    return s;
}

/* The state vp_domain_list_get_states() gives @dom. */
static int
listed(vp_domain *dom)
{
    vp_domain *one[] = {dom, NULL};
    int st = 0, re = 0, id = 0;
    assert_int_equal(vp_domain_list_get_states(one, &st, &re, &id, 0), 1);
    return st;
}

/* dompmsuspend --target mem then dompmwakeup: the guest reaches S3 (QEMU
 * status 'suspended', pmsuspended) by the time the call returns and runs
 * again after system_wakeup; a mode the guest refuses fails with the
 * agent's reason; a duration is refused, and so is a second suspend. The
 * list, whose first answer confirmed the record (running), sees the
 * suspend the guest made by itself (QEMU's events log grew) with nobody
 * holding the events monitor. */
void
check_pm_suspend(vp_domain *dom)
{
    assert_int_equal(listed(dom), VP_DOMAIN_RUNNING);
    assert_int_equal(listed(dom), VP_DOMAIN_RUNNING);
    QT_ASSERT_ERROR(vp_domain_pm_suspend_for_duration(dom, VP_NODE_SUSPEND_TARGET_MEM, 30, 0),
                    VP_ERR_INVALID_ARG, "duration 0");
    /* The tiny guest has neither systemd nor pm-utils, and qemu-ga's own
     * sysfs path knows no hybrid mode: it refuses, and the call says so
     * with the agent's words instead of reporting a suspend. */
    QT_ASSERT_ERROR(vp_domain_pm_suspend_for_duration(dom, VP_NODE_SUSPEND_TARGET_HYBRID, 0, 0),
                    VP_ERR_OPERATION_INVALID, "not supported by the guest");
    int s = -1, why = -1;
    assert_int_equal(vp_domain_get_state(dom, &s, &why, 0), 0);
    assert_int_equal(s, VP_DOMAIN_RUNNING);
    /* A suspend that succeeds returns once QEMU reports it. */
    assert_int_equal(vp_domain_pm_suspend_for_duration(dom, VP_NODE_SUSPEND_TARGET_MEM, 0, 0), 0);
    assert_int_equal(listed(dom), VP_DOMAIN_PMSUSPENDED);
    assert_int_equal(vp_domain_get_state(dom, &s, &why, 0), 0);
    assert_int_equal(s, VP_DOMAIN_PMSUSPENDED);
    QT_ASSERT_ERROR(vp_domain_pm_suspend_for_duration(dom, VP_NODE_SUSPEND_TARGET_MEM, 0, 0),
                    VP_ERR_OPERATION_INVALID, "suspended already");
    assert_int_equal(vp_domain_pm_wakeup(dom, 0), 0);
    assert_int_equal(wait_state(dom, VP_DOMAIN_RUNNING, 30), VP_DOMAIN_RUNNING);
    assert_int_equal(listed(dom), VP_DOMAIN_RUNNING);
    _cleanup_free_ char *info = wait_guest_info(dom);
    assert_non_null(strstr(info, "\"info\""));
}

static long long
log_size(const fixture *f)
{
    _cleanup_free_ char *path = vp_asprintf("%s/run/tiny.events-log.out", f->root);
    struct stat st;
    return lstat(path, &st) == 0 ? (long long)st.st_size : -1;
}

/* Whether domain 'tiny''s events log holds @text past offset @from. */
static bool
log_has(const fixture *f, long long from, const char *text)
{
    _cleanup_free_ char *path = vp_asprintf("%s/run/tiny.events-log.out", f->root);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    assert_true(fd >= 0);
    char buf[65536];
    ssize_t got = pread(fd, buf, sizeof(buf) - 1, (off_t)from);
    close(fd);
    if (got <= 0)
        return false;
    buf[got] = '\0';
    return strstr(buf, text) != NULL;
}

static void
qmp_direct(const fixture *f, const char *command)
{
    _cleanup_free_ char *path = vp_asprintf("%s/run/tiny.qmp", f->root);
    qemu_monitor *mon = NULL;
    if (qemu_monitor_open(path, 5000, &mon) < 0)
        fail_msg("QMP on '%s': %s", path, vp_error_last()->message);
    assert_int_equal(qemu_monitor_command(mon, command, NULL, 5000, NULL), 0);
    qemu_monitor_close(mon);
}

/* The list of @dom with its QEMU @pid frozen: asked, QEMU cannot answer
 * and the list falls back on the record after its deadline, without
 * confirming anything; @ret_seen: the confirmation's size then, and
 * @ret_log: the log's. */
static int
listed_frozen(const fixture *f, vp_domain *dom, pid_t pid, long long *ret_seen, long long *ret_log)
{
    assert_int_equal(kill(pid, SIGSTOP), 0);
    int st = listed(dom);
    *ret_seen = qt_events_seen_size(f->root, "tiny");
    *ret_log = log_size(f);
    assert_int_equal(kill(pid, SIGCONT), 0);
    return st;
}

/* The guest sets its RTC (domtime: qemu-ga runs 'hwclock -w'), QEMU logs
 * RTC_CHANGE: an event that cannot change the run state, so the list,
 * with QEMU frozen, moves its confirmation past it without asking (asked,
 * QEMU could not have answered and nothing would be confirmed). A pause
 * by a bare QMP client is no such event: the list asks (frozen, nothing is
 * confirmed) and, QEMU thawed, reads paused. */
void
check_rtc_listed(const fixture *f, vp_domain *dom)
{
    pid_t pid = qt_pid(f->root, "tiny");
    assert_true(pid > 0);
    assert_int_equal(listed(dom), VP_DOMAIN_RUNNING);
    long long before = log_size(f);
    assert_true(before > 0);
    assert_int_equal(vp_domain_set_time(dom, (long long)time(NULL), 0, 0), 0);
    /* QEMU sends RTC_CHANGE at most once a second: wait for it. */
    for (int i = 0; i < 200 && !log_has(f, before, "\"event\": \"RTC_CHANGE\""); i++)
        usleep(50000);
    assert_true(log_has(f, before, "\"event\": \"RTC_CHANGE\""));
    long long seen = -1, now = -1;
    assert_int_equal(listed_frozen(f, dom, pid, &seen, &now), VP_DOMAIN_RUNNING);
    assert_true(now > before);
    assert_int_equal(seen, now);

    qmp_direct(f, "stop");
    assert_int_equal(listed_frozen(f, dom, pid, &seen, &now), VP_DOMAIN_RUNNING);
    assert_true(seen < now);
    assert_int_equal(listed(dom), VP_DOMAIN_PAUSED);
    qmp_direct(f, "cont");
    assert_int_equal(listed(dom), VP_DOMAIN_RUNNING);
}
