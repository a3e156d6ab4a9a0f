/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-events-log.c: a third QMP monitor whose output is a regular file,
 * so that QEMU itself leaves a trace of every event without anyone
 * listening; a list then knows, from one stat(), whether anything happened
 * to a domain since its record was last found to be its QEMU's run state.
 *
 * QEMU 7.2 has no input-path for a file chardev on its command line, so
 * the monitor is a "pipe" chardev on RUNTIME/NAME.events-log: QEMU opens
 * NAME.events-log.in and NAME.events-log.out with O_RDWR. The driver makes
 * the .in a FIFO (0600), writes qmp_capabilities into it before the launch
 * and removes it once QEMU runs: QEMU holds the only descriptor left, as a
 * reader and a writer, so it never sees an end of input and nobody else can
 * send it a command. The monitor stays in command mode and QEMU writes its
 * greeting, the answer and then each event, one line each ending in CRLF,
 * with a write() per message at its own offset (no O_APPEND) into the .out,
 * a regular file the driver made (0600).
 *
 * Nothing of the log's content is trusted: it only tells that something
 * happened. A record confirmed at size S (RUNTIME/NAME.events-seen: "PID
 * START S STATE REASON\n", written by the list under the domain's lock
 * when query-status agreed with the record, with S taken before asking) is
 * the run state as long as the log is still S bytes long, the record's
 * state and reason are still those confirmed (an operation that changes
 * them, even before QEMU does, as an intent, voids the confirmation) and
 * it names the same QEMU. The confirmation is a cache: written by rename,
 * without fsync, so a reader sees the old one or the new one; one lost
 * or unreadable only makes the next list ask QEMU. QEMU writes an event
 * before a command that caused it answers, so whoever saw a change made is
 * never told the old state by a list that starts after it. The log is
 * bounded on disk: each confirmation punches a hole over the bytes it has
 * covered (the file's size keeps growing, its blocks do not); QEMU writes
 * only past its offset, so a punch never meets a write. QEMU drops an event
 * it cannot write, so RESERVE bytes past the last confirmation are kept
 * allocated: a full file system loses an event only after that many bytes
 * of events no list has confirmed.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "qemu-driver.h"

static const char negotiate[] = "{\"execute\":\"qmp_capabilities\"}\n";

/* Blocks kept allocated past what a confirmation covered: QEMU drops an
 * event it cannot write (a full file system), and writes into these
 * without allocating. */
#define RESERVE (64 * 1024)

/* Best effort: a file system without fallocate() allocates as QEMU writes. */
static void
reserve(int fd, int64_t from)
{
    (void)fallocate(fd, FALLOC_FL_KEEP_SIZE, from, RESERVE);
}

char *
qemu_events_log_base(const qemu_driver *drv, const char *name)
{
    return qemu_domain_path(drv, name, ".events-log");
}

static char *
log_file(const qemu_driver *drv, const char *name, const char *end)
{
    _cleanup_free_ char *base = qemu_events_log_base(drv, name);
    return vp_asprintf("%s.%s", base, end);
}

int
qemu_events_log_prepare(const qemu_driver *drv, const char *name, int *ret_fd)
{
    _cleanup_free_ char *in = log_file(drv, name, "in");
    _cleanup_free_ char *out = log_file(drv, name, "out");
    *ret_fd = -1;
    _cleanup_free_ char *seen = qemu_domain_path(drv, name, ".events-seen");
    /* Whatever an earlier run left: the driver's own files. */
    if ((unlink(in) < 0 && errno != ENOENT) || (unlink(out) < 0 && errno != ENOENT) ||
        (unlink(seen) < 0 && errno != ENOENT))
        return vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno,
                                         "cannot remove the old events log of domain '%s'", name);
    int fd = open(out, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        return vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno, "cannot make events log '%s'", out);
    reserve(fd, 0);
    close(fd);
    if (mkfifo(in, 0600) < 0)
        return vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno,
                                         "cannot make the events log input '%s'", in);
    /* Read-write: opening it neither waits for QEMU nor ends its input. */
    fd = open(in, O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno,
                                         "cannot open the events log input '%s'", in);
    if (write(fd, negotiate, sizeof(negotiate) - 1) != (ssize_t)(sizeof(negotiate) - 1)) {
        int e = errno;
        close(fd);
        return vp_plugin_error_set_errno(VP_ERR_SYSTEM, e,
                                         "cannot write to the events log input '%s'", in);
    }
    *ret_fd = fd;
    return 0;
}

void
qemu_events_log_launched(const qemu_driver *drv, const char *name, int fd)
{
    /* QEMU holds the FIFO open now (or never will): its name and our end
     * go, the request stays in the pipe QEMU reads. */
    if (fd >= 0)
        close(fd);
    _cleanup_free_ char *in = log_file(drv, name, "in");
    unlink(in);
}

int64_t
qemu_events_log_size(const qemu_driver *drv, const char *name)
{
    _cleanup_free_ char *out = log_file(drv, name, "out");
    struct stat st;
    if (lstat(out, &st) < 0 || !S_ISREG(st.st_mode))
        return -1;
    return (int64_t)st.st_size;
}

/* A confirmation: which QEMU, the log's size, the record's state. */
typedef struct seen {
    long long pid, start, size;
    int state, reason;
} seen;

static bool
seen_read(const qemu_driver *drv, const char *name, seen *ret)
{
    _cleanup_free_ char *path = qemu_domain_path(drv, name, ".events-seen");
    char buf[128];
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return false;
    ssize_t got = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    if (got <= 0 || buf[got - 1] != '\n')
        return false;
    buf[got] = '\0';
    int end = 0;
    return sscanf(buf, "%lld %lld %lld %d %d\n%n", &ret->pid, &ret->start, &ret->size, &ret->state,
                  &ret->reason, &end) == 5 &&
           end == got;
}

static bool
seen_is(const seen *s, const qemu_record *rec, int64_t size)
{
    return s->pid == (long long)rec->proc.pid && s->start == (long long)rec->proc.start_time &&
           s->size == (long long)size && s->state == rec->state && s->reason == rec->reason;
}

bool
qemu_events_log_unchanged(const qemu_driver *drv, const char *name, const qemu_record *rec)
{
    seen s;
    if (!seen_read(drv, name, &s))
        return false;
    int64_t size = qemu_events_log_size(drv, name);
    return size > 0 && seen_is(&s, rec, size);
}

/* Whether the log of a QEMU never confirmed before shows that its monitor
 * left capability negotiation (else it writes no event at all). */
static bool
log_negotiated(const char *path)
{
    char head[1024];
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return false;
    ssize_t got = pread(fd, head, sizeof(head) - 1, 0);
    close(fd);
    if (got <= 0)
        return false;
    head[got] = '\0';
    static const char answer[] = "\n{\"return\": {}}\r\n";
    char *nl = strchr(head, '\n');
    return strncmp(head, "{\"QMP\":", 7) == 0 && nl && strncmp(nl, answer, sizeof(answer) - 1) == 0;
}

static bool
seen_write(const qemu_driver *drv, const char *name, const qemu_record *rec, int64_t size)
{
    _cleanup_free_ char *path = qemu_domain_path(drv, name, ".events-seen");
    _cleanup_free_ char *part = qemu_domain_path(drv, name, ".events-seen.part");
    _cleanup_free_ char *text =
        vp_asprintf("%lld %lld %lld %d %d\n", (long long)rec->proc.pid,
                    (long long)rec->proc.start_time, (long long)size, rec->state, rec->reason);
    int fd = open(part, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        return false;
    bool ok = write(fd, text, strlen(text)) == (ssize_t)strlen(text);
    ok = close(fd) == 0 && ok;
    if (ok && rename(part, path) == 0)
        return true;
    unlink(part);
    return false;
}

void
qemu_events_log_confirm(const qemu_driver *drv, const char *name, const qemu_record *asked,
                        int64_t size, int state, int reason)
{
    if (size <= 0 || state != asked->state || reason != asked->reason)
        return;
    /* The record read before the lock may be stale: the one read under it
     * must still be what was asked. */
    _cleanup_(qemu_record_freep) qemu_record *rec = NULL;
    vp_plugin_saved_error *saved = vp_plugin_error_save();
    int r = qemu_domain_peek_record(drv, name, &rec);
    vp_plugin_error_restore(saved);
    if (r < 0 || !rec->active || rec->starting || rec->state != state || rec->reason != reason ||
        rec->proc.pid != asked->proc.pid || rec->proc.start_time != asked->proc.start_time)
        return;
    seen old;
    bool had = seen_read(drv, name, &old) && old.pid == (long long)rec->proc.pid &&
               old.start == (long long)rec->proc.start_time;
    if (had && seen_is(&old, rec, size))
        return; /* confirmed already */
    _cleanup_free_ char *out = log_file(drv, name, "out");
    if (!had && !log_negotiated(out))
        return;
    if (!seen_write(drv, name, rec, size))
        return; /* not confirmed: the next list asks again */
    int64_t block = 4096, from = had ? old.size / block * block : 0, to = size / block * block;
    int fd = open(out, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return;
    /* Best effort: a file system without holes keeps the bytes. */
    if (to > from)
        (void)fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, from, to - from);
    reserve(fd, size);
    close(fd);
}
