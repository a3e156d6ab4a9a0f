/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-runtime.c: what a domain leaves in the runtime directory while it
 * runs, and its removal when it stops: the QMP socket, the guest agent's
 * channel, the pidfile, swtpm, the VNC socket, and the record saying it
 * is shut off (and why, when QEMU ended on its own: a guest panic is read
 * from QEMU's guest-errors log, which stays until the next start).
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "qemu-driver.h"

int
qemu_domain_remove_socket(const char *path, const char *what)
{
    struct stat st;
    if (!path || lstat(path, &st) < 0)
        return 0;
    if (!S_ISSOCK(st.st_mode))
        return vp_plugin_error_set(
            VP_ERR_INVALID_ARG,
            "%s '%s' exists and is not a socket; the qemu driver never removes it: choose another path or move the file",
            what, path);
    if (unlink(path) < 0 && errno != ENOENT)
        return vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno, "cannot remove %s '%s'", what, path);
    return 0;
}

int
qemu_domain_remove_agent(const char *path)
{
    /* A socket of a QEMU an earlier virtplug started, the FIFOs of one
     * this one started, and the lock file of their clients. */
    int r = qemu_domain_remove_socket(path, "agent socket");
    static const char *const parts[] = {"in", "out", "lock"};
    for (size_t i = 0; r >= 0 && i < sizeof(parts) / sizeof(parts[0]); i++) {
        _cleanup_free_ char *p = vp_asprintf("%s.%s", path, parts[i]);
        struct stat st;
        if (lstat(p, &st) < 0 || !(i < 2 ? S_ISFIFO(st.st_mode) : S_ISREG(st.st_mode)))
            continue;
        if (unlink(p) < 0 && errno != ENOENT)
            r = vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno, "cannot remove '%s'", p);
    }
    return r;
}

/* Remove RUNTIME/NAME@suffix when it is what the driver made there: a
 * socket, a FIFO or a regular file (never follow or remove anything else). */
static void
remove_runtime_file(const qemu_driver *drv, const char *name, const char *suffix)
{
    _cleanup_free_ char *path = qemu_domain_path(drv, name, suffix);
    struct stat st;
    if (lstat(path, &st) == 0 &&
        (S_ISSOCK(st.st_mode) || S_ISREG(st.st_mode) || S_ISFIFO(st.st_mode)))
        unlink(path);
}

int
qemu_domain_mark_stopped(const qemu_driver *drv, const char *name, qemu_record *rec, int reason)
{
    /* Found gone after a guest panic (asked while its pidfile still says
     * how QEMU ended): the history says so before the stop. */
    if (reason == VP_DOMAIN_SHUTOFF_CRASHED)
        rec->panicked = qemu_domain_gone_panicked(drv, name, rec);
    remove_runtime_file(drv, name, ".pid");
    /* A start killed before QEMU ran leaves the events log's input. */
    remove_runtime_file(drv, name, ".events-log.in");
    qemu_tpm_stop(drv, name);
    remove_runtime_file(drv, name, ".vnc"); /* QEMU leaves its VNC socket */
    remove_runtime_file(drv, name, ".spice");
    qemu_domain_remove_socket(rec->qmp_path, "QMP socket");
    if (rec->qmp_path) {
        _cleanup_free_ char *events = qemu_events_socket_path(rec->qmp_path);
        qemu_domain_remove_socket(events, "QMP events socket");
    }
    if (rec->agent_path && rec->agent_path_ours)
        qemu_domain_remove_agent(rec->agent_path);
    rec->active = false;
    rec->starting = false;
    rec->stop_reason = 0;
    rec->proc = (vp_plugin_process){0};
    rec->id = 0;
    rec->state = VP_DOMAIN_SHUTOFF;
    rec->reason = reason;
    VP_PLUGIN_DEBUG(QEMU_AREA, "domain '%s' is shut off, reason %d", name, reason);
    int r = qemu_domain_write_record(drv, name, rec);
    /* Transient and not running means removed (qemu-transient.c). */
    int reaped = r < 0 ? 0 : qemu_transient_reap(drv, name, rec);
    /* A definition given while it ran is its own now (qemu-define-next.c). */
    if (r >= 0 && reaped >= 0)
        r = qemu_define_next_promote(drv, name);
    return reaped < 0 ? reaped : r;
}

void
qemu_domain_remove_runtime(const qemu_driver *drv, const char *name, const qemu_record *rec)
{
    /* The driver's own agent channel is always RUN/NAME.agent (a path from
     * the XML is the user's and stays); removed also when a start was
     * killed before its record named it. */
    (void)rec;
    _cleanup_free_ char *agent = qemu_domain_path(drv, name, ".agent");
    qemu_domain_remove_agent(agent);
    static const char *const suffixes[] = {".qmp",
                                           ".qmp-events",
                                           ".pid",
                                           ".log",
                                           ".swtpm.log",
                                           ".json",
                                           ".lock",
                                           ".log.1",
                                           ".live-meta",
                                           ".qmp-events-held",
                                           ".guest-errors",
                                           ".events-log.in",
                                           ".events-log.out",
                                           ".events-seen",
                                           ".events-seen.part"};
    for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++)
        remove_runtime_file(drv, name, suffixes[i]);
}

/* How much of the end of the guest-errors log is read: QEMU exits right
 * after the panic, so only what other vCPUs log meanwhile follows it. */
#define GUEST_ERRORS_TAIL (64 * 1024)

/* Whether the last GUEST_ERRORS_TAIL bytes of @path hold QEMU's line
 * "Guest crashed" (QEMU 7.2 ends it without a newline). */
static bool
log_says_panicked(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return false;
    struct stat st;
    bool found = false;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
        off_t from = st.st_size > GUEST_ERRORS_TAIL ? st.st_size - GUEST_ERRORS_TAIL : 0;
        _cleanup_free_ char *buf = vp_new0(char, GUEST_ERRORS_TAIL + 1);
        ssize_t n = pread(fd, buf, GUEST_ERRORS_TAIL, from);
        static const char line[] = "Guest crashed";
        for (ssize_t i = 0; n > 0 && !found && i + (ssize_t)sizeof(line) - 1 <= n; i++)
            found = (i == 0 || buf[i - 1] == '\n') &&
                    memcmp(buf + i, line, sizeof(line) - 1) == 0 &&
                    (buf[i + sizeof(line) - 1] == '\n' || buf[i + sizeof(line) - 1] == '\0');
    }
    close(fd);
    return found;
}

/* QEMU removes its pidfile when it exits on its own (guest power off,
 * quit, a panic); a pidfile left behind means it was killed. */
static bool
exited_on_its_own(const qemu_driver *drv, const char *name)
{
    _cleanup_free_ char *pidfile = qemu_domain_path(drv, name, ".pid");
    return access(pidfile, F_OK) < 0;
}

bool
qemu_domain_gone_panicked(const qemu_driver *drv, const char *name, const qemu_record *rec)
{
    if (!rec->active || rec->stop_reason || !exited_on_its_own(drv, name))
        return false;
    _cleanup_free_ char *log = qemu_domain_path(drv, name, ".guest-errors");
    return log_says_panicked(log);
}

int
qemu_domain_gone_reason(const qemu_driver *drv, const char *name, const qemu_record *rec)
{
    if (rec->stop_reason)
        return rec->stop_reason;
    if (!exited_on_its_own(drv, name) || qemu_domain_gone_panicked(drv, name, rec))
        return VP_DOMAIN_SHUTOFF_CRASHED;
    return VP_DOMAIN_SHUTOFF_SHUTDOWN;
}
