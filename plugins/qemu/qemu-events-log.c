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
 * Little of the log's content is trusted: it mostly tells that something
 * happened. A confirmation made at size S (RUNTIME/NAME.events-seen: "PID
 * START S STATE REASON QSTATE QREASON\n", written by the list under the
 * domain's lock after query-status, with S taken before asking) notes the
 * record's state and reason and the state and reason QEMU answered, which
 * may differ (a guest paused by an I/O error, a 'stop' nobody recorded):
 * the list never writes the record, it only remembers what QEMU said. The
 * QEMU answer is the run state as long as the record's state and reason
 * are still those noted (an operation that changes them, even before QEMU
 * does, as an intent, voids the confirmation), it names the same QEMU and
 * the log is still S bytes long, or grew by harmless events only: whole
 * CRLF-ended lines, each one event of an allow list that cannot change a
 * run state (qemu-events-classify.c: RTC_CHANGE, BALLOON_CHANGE, ...), at
 * most QEMU_EVENTS_HARMLESS_MAX bytes. Then the list moves the
 * confirmation past them, under the lock and by the same rules; anything
 * else in the new bytes (an unknown event, a torn line) makes it ask. The
 * confirmation is a cache: written by rename, without fsync, so a reader
 * sees the old one or the new one; one lost or unreadable only makes the
 * next list ask QEMU. QEMU writes an event before a command that caused it
 * answers, so whoever saw a change made is never told the old state by a
 * list that starts after it. The log is bounded on disk: each confirmation
 * punches a hole over the bytes it has covered (the file's size keeps
 * growing, its blocks do not); QEMU writes only past its offset, so a
 * punch never meets a write. QEMU drops an event it cannot write, so
 * RESERVE bytes past the last confirmation are kept allocated: a full file
 * system loses an event only after that many bytes of events no list has
 * confirmed.
 *
 * One harmless event is also content: DEVICE_TRAY_MOVED, which the running
 * XML shows (<target tray='open'/>, as libvirt's), and which the guest
 * sends on its own (an eject). Before a confirmation covers bytes holding
 * tray moves, they are noted in live-meta (QEMU_LIVE_TRAYS), under the
 * same lock; the running XML adds the moves in the bytes past the
 * confirmation. A kill between the two notes them again next time, to the
 * same states.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "qemu-device-live.h"
#include "qemu-driver.h"
#include "qemu-events-classify.h"
#include "qemu-live.h"

static const char negotiate[] = "{\"execute\":\"qmp_capabilities\"}\n";

/* Blocks kept allocated past what a confirmation covered: QEMU drops an
 * event it cannot write (a full file system), and writes into these
 * without allocating. */
#define RESERVE (64 * 1024)

/* The most bytes of events read for tray moves at once: past it, the
 * oldest are skipped (said in the debug log). */
#define TRAYS_SCAN_MAX (4 << 20)

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

/* A confirmation: which QEMU, the log's size, the record's state and
 * reason then, and the state and reason QEMU answered. */
typedef struct seen {
    long long pid, start, size;
    int state, reason;   /* the record's */
    int qstate, qreason; /* QEMU's */
} seen;

static bool
seen_read(const qemu_driver *drv, const char *name, seen *ret)
{
    _cleanup_free_ char *path = qemu_domain_path(drv, name, ".events-seen");
    char buf[160];
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return false;
    ssize_t got = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    if (got <= 0 || buf[got - 1] != '\n')
        return false;
    buf[got] = '\0';
    int end = 0;
    return sscanf(buf, "%lld %lld %lld %d %d %d %d\n%n", &ret->pid, &ret->start, &ret->size,
                  &ret->state, &ret->reason, &ret->qstate, &ret->qreason, &end) == 7 &&
           end == got && ret->size > 0 && ret->qstate >= 0 && ret->qstate < VP_DOMAIN_LAST &&
           ret->qreason >= 0;
}

/* Whether @s was made of record @rec: the same QEMU, the same state. */
static bool
seen_of(const seen *s, const qemu_record *rec)
{
    return s->pid == (long long)rec->proc.pid && s->start == (long long)rec->proc.start_time &&
           s->state == rec->state && s->reason == rec->reason;
}

/* Where the events of a QEMU never confirmed before start in its log: past
 * its greeting and the answer to qmp_capabilities (no event comes before
 * them); 0 while its monitor has not left negotiation (it writes no event
 * at all then). */
static int64_t
log_events_start(const char *path)
{
    char head[1024];
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return 0;
    ssize_t got = pread(fd, head, sizeof(head) - 1, 0);
    close(fd);
    if (got <= 0)
        return 0;
    head[got] = '\0';
    static const char answer[] = "\n{\"return\": {}}\r\n";
    char *nl = strchr(head, '\n');
    if (strncmp(head, "{\"QMP\":", 7) != 0 || !nl || strncmp(nl, answer, sizeof(answer) - 1) != 0)
        return 0;
    return (int64_t)(nl - head) + (int64_t)sizeof(answer) - 1;
}

/* Bytes [@from, @to) of the log @out (*@ret_len of them), or NULL. A range
 * over TRAYS_SCAN_MAX gives its last TRAYS_SCAN_MAX bytes, from the first
 * whole line. (transfer full) */
static char *
log_read(const char *out, int64_t from, int64_t to, size_t *ret_len)
{
    bool cut = to - from > TRAYS_SCAN_MAX;
    if (cut) {
        VP_PLUGIN_DEBUG("qemu", "events log '%s': %lld bytes of events unread for tray moves", out,
                        (long long)(to - TRAYS_SCAN_MAX - from));
        from = to - TRAYS_SCAN_MAX;
    }
    int fd = open(out, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    size_t want = (size_t)(to - from), have = 0;
    char *buf = vp_new0(char, want + 1);
    ssize_t got = 1;
    while (have < want && got > 0)
        if ((got = pread(fd, buf + have, want - have, from + (int64_t)have)) > 0)
            have += (size_t)got;
    close(fd);
    if (have < want) {
        free(buf);
        return NULL;
    }
    size_t skip = 0;
    if (cut) {
        const char *nl = memchr(buf, '\n', want);
        skip = nl ? (size_t)(nl - buf) + 1 : want;
    }
    memmove(buf, buf + skip, want - skip + 1);
    *ret_len = want - skip;
    return buf;
}

/* The tray moves among the events in bytes [@from, @to) of the log @out
 * set in @trays (target dev -> open), in order: how many there were, or
 * -1 when the bytes cannot be read. *@ret_whole (nullable): where the
 * last whole line of the range ends, @to unless it ends inside a line. A
 * line holding a hole's zeros (bytes a confirmation freed meanwhile) is
 * skipped: live-meta has its moves. */
static int
scan_trays(const char *out, int64_t from, int64_t to, json_object *trays, int64_t *ret_whole)
{
    if (ret_whole)
        *ret_whole = to > from ? to : from;
    if (to <= from)
        return 0;
    size_t len = 0;
    _cleanup_free_ char *buf = log_read(out, from, to, &len);
    if (!buf)
        return -1;
    size_t torn = 0;
    while (torn < len && buf[len - 1 - torn] != '\n')
        torn++;
    if (ret_whole)
        *ret_whole = to - (int64_t)torn;
    return qemu_events_tray_moves(buf, len, trays);
}

/* Note the tray moves in the whole lines of bytes [@from, @to) of the log
 * of @name in live-meta, before a confirmation covers (and frees) them:
 * the end of those lines, which a confirmation may cover (@to unless a
 * line is torn there: QEMU is writing it), or -1 when the moves could not
 * be noted and no confirmation must be made. */
static int64_t
keep_trays(const qemu_driver *drv, const char *name, int64_t from, int64_t to)
{
    _cleanup_free_ char *out = log_file(drv, name, "out");
    json_object *moves = json_object_new_object(), *meta = NULL;
    int64_t whole = -1;
    int n = scan_trays(out, from, to, moves, &whole);
    bool ok = n == 0;
    vp_plugin_saved_error *saved = vp_plugin_error_save();
    if (n > 0 && qemu_live_read(drv, name, &meta) > 0) {
        json_object *trays = qemu_device_live_member(meta, QEMU_LIVE_TRAYS);
        json_object_object_foreach(moves, dev, v)
        {
            json_object_object_add(trays, dev, json_object_get(v));
        }
        ok = qemu_live_store(drv, name, meta) == 0;
    } else if (n > 0) {
        ok = true; /* no live-meta (a start of an older driver): nowhere to keep them */
    }
    vp_plugin_error_restore(saved);
    json_object_put(meta);
    json_object_put(moves);
    return ok ? whole : -1;
}

json_object *
qemu_events_log_trays(const qemu_driver *drv, const char *name, const qemu_record *rec)
{
    _cleanup_free_ char *out = log_file(drv, name, "out");
    /* The confirmation first: live-meta is written before it, so the
     * moves it covered are in the live-meta read next. */
    seen s;
    int64_t from = seen_read(drv, name, &s) && s.pid == (long long)rec->proc.pid &&
                           s.start == (long long)rec->proc.start_time
                       ? s.size
                       : log_events_start(out);
    json_object *meta = NULL, *kept = NULL;
    vp_plugin_saved_error *saved = vp_plugin_error_save();
    int r = qemu_live_read(drv, name, &meta);
    vp_plugin_error_restore(saved);
    json_object *trays = json_object_new_object();
    if (r > 0 && json_object_object_get_ex(meta, QEMU_LIVE_TRAYS, &kept) &&
        json_object_is_type(kept, json_type_object)) {
        json_object_object_foreach(kept, dev, v)
        {
            json_object_object_add(trays, dev, json_object_get(v));
        }
    }
    json_object_put(meta);
    int64_t size = qemu_events_log_size(drv, name);
    if (from > 0 && size > from)
        (void)scan_trays(out, from, size, trays, NULL);
    return trays;
}

/* Note @rec and QEMU's @qstate and @qreason at log size @size, replacing
 * @old (NULL: none of this QEMU; the log's events then start at
 * @events_start), and free the log's bytes @old covered. The tray moves
 * among the bytes newly covered are noted in live-meta first. */
static void
seen_store(const qemu_driver *drv, const char *name, const qemu_record *rec, const seen *old,
           int64_t events_start, int64_t size, int qstate, int qreason)
{
    /* Up to a torn last line only: its event may be a tray move. The
     * next list reads it whole, as new bytes. */
    size = keep_trays(drv, name, old ? old->size : events_start, size);
    if (size < 0)
        return; /* not confirmed: the next list asks again */
    _cleanup_free_ char *path = qemu_domain_path(drv, name, ".events-seen");
    _cleanup_free_ char *part = qemu_domain_path(drv, name, ".events-seen.part");
    _cleanup_free_ char *text = vp_asprintf(
        "%lld %lld %lld %d %d %d %d\n", (long long)rec->proc.pid, (long long)rec->proc.start_time,
        (long long)size, rec->state, rec->reason, qstate, qreason);
    int fd = open(part, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        return; /* not confirmed: the next list asks again */
    bool ok = write(fd, text, strlen(text)) == (ssize_t)strlen(text);
    ok = close(fd) == 0 && ok;
    if (!ok || rename(part, path) < 0) {
        unlink(part);
        return;
    }
    _cleanup_free_ char *out = log_file(drv, name, "out");
    int64_t block = 4096, from = old ? old->size / block * block : 0, to = size / block * block;
    fd = open(out, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return;
    /* Best effort: a file system without holes keeps the bytes. */
    if (to > from)
        (void)fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, from, to - from);
    reserve(fd, size);
    close(fd);
}

/* The record of domain @name read again, under its lock, if it is still
 * @asked's state of the same QEMU; else NULL. */
static qemu_record *
record_still(const qemu_driver *drv, const char *name, const qemu_record *asked)
{
    qemu_record *rec = NULL;
    vp_plugin_saved_error *saved = vp_plugin_error_save();
    int r = qemu_domain_peek_record(drv, name, &rec);
    vp_plugin_error_restore(saved);
    if (r < 0)
        return NULL;
    if (!rec->active || rec->starting || rec->state != asked->state ||
        rec->reason != asked->reason || rec->proc.pid != asked->proc.pid ||
        rec->proc.start_time != asked->proc.start_time) {
        qemu_record_free(rec);
        return NULL;
    }
    return rec;
}

/* Whether the log's bytes from @from to @to are harmless events only. */
static bool
grew_harmlessly(const qemu_driver *drv, const char *name, int64_t from, int64_t to)
{
    if (to - from > QEMU_EVENTS_HARMLESS_MAX)
        return false;
    _cleanup_free_ char *out = log_file(drv, name, "out");
    size_t len = 0;
    _cleanup_free_ char *buf = log_read(out, from, to, &len);
    return buf && qemu_events_harmless(buf, len);
}

/* Move the confirmation @old of @rec past harmless events, to @size, under
 * the domain's lock as qemu_events_log_confirm() writes one; best effort. */
static void
advance(const qemu_driver *drv, const char *name, const qemu_record *rec, const seen *old,
        int64_t size)
{
    int lock = -1;
    vp_plugin_saved_error *saved = vp_plugin_error_save();
    int r = qemu_lock_try(drv, name, &lock);
    vp_plugin_error_restore(saved);
    if (r <= 0)
        return; /* busy: the next list moves it */
    _cleanup_(qemu_record_freep) qemu_record *now = record_still(drv, name, rec);
    seen cur;
    /* Unless another list moved it meanwhile (it read the same bytes). */
    if (now && seen_read(drv, name, &cur) && seen_of(&cur, rec) && cur.size == old->size &&
        cur.qstate == old->qstate && cur.qreason == old->qreason)
        seen_store(drv, name, now, old, 0, size, old->qstate, old->qreason);
    qemu_lock_release(lock);
}

bool
qemu_events_log_known(const qemu_driver *drv, const char *name, const qemu_record *rec,
                      int *ret_state, int *ret_reason)
{
    seen s;
    if (!seen_read(drv, name, &s) || !seen_of(&s, rec))
        return false;
    int64_t size = qemu_events_log_size(drv, name);
    if (size < s.size || (size > s.size && !grew_harmlessly(drv, name, s.size, size)))
        return false;
    if (size > s.size)
        advance(drv, name, rec, &s, size);
    *ret_state = s.qstate;
    *ret_reason = s.qreason;
    return true;
}

void
qemu_events_log_confirm(const qemu_driver *drv, const char *name, const qemu_record *asked,
                        int64_t size, int state, int reason)
{
    if (size < 0)
        return;
    /* The record read before the lock may be stale: the one read under it
     * must still be what was asked. */
    _cleanup_(qemu_record_freep) qemu_record *rec = record_still(drv, name, asked);
    if (!rec)
        return;
    seen old;
    bool had = seen_read(drv, name, &old) && old.pid == (long long)rec->proc.pid &&
               old.start == (long long)rec->proc.start_time;
    if (had && seen_of(&old, rec) && old.size == size && old.qstate == state &&
        old.qreason == reason)
        return; /* confirmed already */
    int64_t start = 0;
    if (!had) {
        /* A list that measured the log while QEMU was still negotiating
         * covers the rest of the negotiation too: it holds no event. */
        _cleanup_free_ char *out = log_file(drv, name, "out");
        start = log_events_start(out);
        if (start == 0)
            return;
        if (size < start)
            size = start;
    }
    seen_store(drv, name, rec, had ? &old : NULL, start, size, state, reason);
}
