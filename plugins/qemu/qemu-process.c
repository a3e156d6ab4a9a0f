/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-process.c: QEMU processes.
 *
 * Owns starting QEMU daemonized (its output goes to RUNTIME/NAME.log, so a
 * failed start reports QEMU's own words), finding the processes a start
 * launched, stopping QEMU (QMP quit, SIGTERM, SIGKILL), and the KVM probe.
 * Whether a recorded QEMU is still that process, pidfiles and signals go
 * through the SDK's process identities (vp_plugin_process_*), which a
 * reused pid never fools. It never keeps a QEMU as its child: the daemonized QEMU outlives
 * the process that started it.
 */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "qemu-driver.h"
#include "qemu-live.h"
#include "qemu-devices.h"
#include "qemu-json.h"
#include "qemu-monitor.h"

extern char **environ;

#define QEMU_LOG_TAIL_BYTES 4000

static int64_t
mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
sleep_ms(int ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

int
qemu_process_read_stat(pid_t pid, pid_t tid, qemu_proc_stat *ret)
{
    char path[96], buf[1024];
    if (tid > 0)
        snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", (int)pid, (int)tid);
    else
        snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    ssize_t n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    if (n <= 0)
        return -EIO;
    buf[n] = '\0';
    /* The command name may hold spaces and parentheses: skip to the last ')'. */
    char *p = strrchr(buf, ')');
    if (!p || p[1] != ' ')
        return -EIO;
    p += 2; /* field 3 */
    qemu_proc_stat st = {.processor = -1};
    int field = 3;
    for (; field <= 39 && p; field++) {
        if (field == 14)
            st.utime = strtoull(p, NULL, 10);
        else if (field == 15)
            st.stime = strtoull(p, NULL, 10);
        else if (field == 24)
            st.rss_pages = strtoull(p, NULL, 10);
        else if (field == 39)
            st.processor = (int)strtol(p, NULL, 10);
        p = strchr(p, ' ');
        p = p ? p + 1 : NULL;
    }
    if (field <= 24)
        return -EIO;
    *ret = st;
    return 0;
}

int
qemu_process_cpu_time(const vp_plugin_process *proc, uint64_t *ret_ns)
{
    qemu_proc_stat st = {0};
    int r = vp_plugin_process_is_alive(proc) ? qemu_process_read_stat(proc->pid, 0, &st) : -ESRCH;
    /* Read before the check would race with a reuse of the pid: check again. */
    if (r >= 0 && !vp_plugin_process_is_alive(proc))
        r = -ESRCH;
    if (r < 0)
        return vp_plugin_error_set_errno(VP_ERR_SYSTEM, -r,
                                         "cannot read the CPU time of process %d", (int)proc->pid);
    *ret_ns = qemu_ticks_ns(st.utime + st.stime);
    return 0;
}

uint64_t
qemu_ticks_ns(uint64_t ticks)
{
    long hz = sysconf(_SC_CLK_TCK);
    return ticks * (1000000000ull / (uint64_t)(hz > 0 ? hz : 100));
}

/* ---- start ------------------------------------------------------------- */

/* Close, in the child, every descriptor from 3 up that the caller may have
 * left inheritable (an application's pipe, a test harness's log): the
 * daemonized QEMU would hold it for its whole life, and a reader of the
 * other end would never see EOF. @keep_fds stay. */
static void
close_inherited(posix_spawn_file_actions_t *fa, const int *keep_fds, size_t n_keep)
{
    int max_keep = 2;
    for (size_t i = 0; i < n_keep; i++)
        max_keep = keep_fds[i] > max_keep ? keep_fds[i] : max_keep;
    DIR *d = max_keep > 2 ? opendir("/proc/self/fd") : NULL;
    for (struct dirent *e; d && (e = readdir(d));) {
        int fd = (int)strtol(e->d_name, NULL, 10);
        bool keep = fd < 3 || fd > max_keep || fd == dirfd(d);
        for (size_t i = 0; !keep && i < n_keep; i++)
            keep = keep_fds[i] == fd;
        int flags = keep ? 0 : fcntl(fd, F_GETFD);
        if (!keep && flags >= 0 && !(flags & FD_CLOEXEC))
            posix_spawn_file_actions_addclose(fa, fd);
    }
    if (d)
        closedir(d);
    posix_spawn_file_actions_addclosefrom_np(fa, max_keep + 1);
}

/* @keep_fds: descriptors QEMU inherits (the taps), close-on-exec here. */
static int
spawn_logged(char *const *argv, const char *log_path, const int *keep_fds, size_t n_keep,
             pid_t *ret_pid)
{
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    sigset_t none, all;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, log_path, O_WRONLY | O_CREAT | O_APPEND,
                                     0600);
    posix_spawn_file_actions_adddup2(&fa, STDOUT_FILENO, STDERR_FILENO);
    /* dup2 onto itself clears close-on-exec in the child only. */
    for (size_t i = 0; i < n_keep; i++)
        posix_spawn_file_actions_adddup2(&fa, keep_fds[i], keep_fds[i]);
    close_inherited(&fa, keep_fds, n_keep);
    posix_spawnattr_init(&attr);
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &all);
    /* A session of its own: a terminal's ^C to the caller never hits QEMU. */
    posix_spawnattr_setflags(&attr,
                             POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSID);
    int r = posix_spawn(ret_pid, argv[0], &fa, &attr, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    return r;
}

/* Wait for the foreground QEMU, which exits once the daemon is ready. */
static int
wait_launcher(pid_t pid, const char *name, int timeout_ms, int *ret_status)
{
    int64_t deadline = mono_ms() + timeout_ms;
    int st, step = 2;
    for (;;) {
        pid_t w = waitpid(pid, &st, WNOHANG);
        if (w == pid)
            break;
        if (w < 0 && errno != EINTR)
            return vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno,
                                             "cannot wait for QEMU of domain '%s'", name);
        if (mono_ms() >= deadline) {
            /* The launcher leads its own process group: a hanging
             * <emulator> script takes its children with it. */
            kill(-pid, SIGKILL);
            kill(pid, SIGKILL);
            waitpid(pid, &st, 0);
            return vp_plugin_error_set(
                VP_ERR_TIMEOUT,
                "QEMU of domain '%s' did not finish starting within %d ms; it was killed", name,
                timeout_ms);
        }
        sleep_ms(step);
        step = step < 50 ? step * 2 : 50;
    }
    *ret_status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    return 0;
}

/* What QEMU wrote to the log since @offset, trimmed, for an error message. */
static char *
log_text_since(const char *log_path, off_t offset)
{
    _cleanup_free_ char *all = NULL;
    size_t size = 0;
    if (vp_plugin_file_read(log_path, 16 * 1024 * 1024, &all, &size) < 0)
        return vp_strdup("(no output)");
    size_t from = (size_t)offset < size ? (size_t)offset : size;
    if (size - from > QEMU_LOG_TAIL_BYTES)
        from = size - QEMU_LOG_TAIL_BYTES;
    char *s = all + from;
    size_t len = strlen(s);
    while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == '\r' || s[len - 1] == ' '))
        s[--len] = '\0';
    return vp_strdup(len ? s : "(no output)");
}

static int
launch(const qemu_driver *drv, const vp_domain_def *def, const qemu_command_paths *paths,
       bool *ret_self_change)
{
    _cleanup_strv_free_ char **argv = NULL;
    /* <emulator> names the binary; the connection's default otherwise. */
    const char *binary = def->emulator ? def->emulator : drv->binary;
    int r = qemu_command_build(binary, def, paths, &argv);
    if (r < 0)
        return r;
    const char *why = NULL;
    *ret_self_change = qemu_command_self_changes(argv, &why);
    VP_PLUGIN_DEBUG(QEMU_AREA, "domain '%s': its run state %s%s", def->name,
                    why ? "can change by itself: " : "changes only by monitor commands",
                    why ? why : "");
    _cleanup_free_ char *log_path = qemu_domain_path(drv, def->name, ".log");
    struct stat st;
    off_t offset = stat(log_path, &st) == 0 ? st.st_size : 0;
    if (vp_plugin_debug_enabled()) {
        for (char **a = argv; *a; a++)
            VP_PLUGIN_DEBUG(QEMU_AREA, "argv: %s", *a);
    }
    /* Checked first: where posix_spawn falls back to fork+exec (valgrind),
     * a missing binary only shows as exit status 127. */
    if (access(binary, X_OK) < 0)
        return vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno, "cannot run '%s' for domain '%s'",
                                         binary, def->name);
    pid_t pid;
    r = spawn_logged(argv, log_path, paths->tap_fds, paths->n_tap_fds, &pid);
    if (r != 0)
        return vp_plugin_error_set_errno(VP_ERR_SYSTEM, r, "cannot run '%s' for domain '%s'",
                                         binary, def->name);
    qemu_step("start: QEMU launched");
    int status = -1;
    r = wait_launcher(pid, def->name, drv->start_timeout_ms, &status);
    if (r < 0)
        return r;
    if (status != 0) {
        _cleanup_free_ char *text = log_text_since(log_path, offset);
        return vp_plugin_error_set(VP_ERR_SYSTEM,
                                   "QEMU failed to start domain '%s' (exit status %d): %s",
                                   def->name, status, text);
    }
    return 0;
}

/* ---- processes of a domain, found by their pidfile argument ---------------- */

/* Whether the NUL-separated argv in @buf has @flag followed by @value. */
static bool
cmdline_has_arg(const char *buf, size_t len, const char *flag, const char *value)
{
    const char *prev = NULL;
    for (const char *p = buf; p < buf + len; p += strlen(p) + 1) {
        if (prev && strcmp(prev, flag) == 0 && strcmp(p, value) == 0)
            return true;
        prev = p;
    }
    return false;
}

pid_t *
qemu_process_find_by_pidfile(const char *pidfile)
{
    return qemu_process_find_by_arg("-pidfile", pidfile);
}

pid_t *
qemu_process_find_by_arg(const char *flag, const char *value)
{
    size_t n = 0;
    pid_t *pids = vp_new0(pid_t, 1);
    DIR *d = opendir("/proc");
    struct dirent *e;
    while (d && (e = readdir(d))) {
        char *end;
        long pid = strtol(e->d_name, &end, 10);
        if (*end || pid <= 0 || pid == getpid())
            continue;
        _cleanup_free_ char *path = vp_asprintf("/proc/%ld/cmdline", pid);
        _cleanup_free_ char *buf = NULL;
        size_t len = 0;
        /* Not vp_plugin_file_read: a process that ends meanwhile is no error. */
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            continue;
        buf = vp_new0(char, 65537);
        ssize_t got;
        while (len < 65536 && (got = read(fd, buf + len, 65536 - len)) > 0)
            len += (size_t)got;
        close(fd);
        if (len > 0 && cmdline_has_arg(buf, len, flag, value)) {
            pids = vp_renew(pid_t, pids, n + 2);
            pids[n++] = (pid_t)pid;
            pids[n] = 0;
        }
    }
    if (d)
        closedir(d);
    return pids;
}

/* SIGKILL every process launched for this domain's pidfile. A launcher
 * that is daemonizing can fork between the look at /proc and its kill, so
 * the look is repeated until it finds none: a child forked before its
 * parent died is seen at the next look, and a dead parent forks no more. */
static void
kill_launched(const char *name, const char *pidfile)
{
    for (int round = 0; round < 8; round++) {
        _cleanup_free_ pid_t *pids = qemu_process_find_by_pidfile(pidfile);
        if (!pids[0])
            return;
        for (pid_t *p = pids; *p; p++) {
            VP_PLUGIN_DEBUG(QEMU_AREA, "domain '%s': killing QEMU process %d", name, (int)*p);
            kill(*p, SIGKILL);
        }
        for (pid_t *p = pids; *p; p++) {
            vp_plugin_process proc;
            if (vp_plugin_process_identify(*p, &proc) == 0)
                vp_plugin_process_wait_gone(&proc, 5000);
        }
    }
}

/* Whether @pidfile names a live process of @pids; its identity then. */
static bool
pidfile_member(const char *pidfile, const pid_t *pids, vp_plugin_process *ret_proc)
{
    vp_plugin_process proc;
    if (access(pidfile, F_OK) < 0 || vp_plugin_process_read_pidfile(pidfile, &proc) < 0)
        return false;
    for (const pid_t *p = pids; *p; p++) {
        if (*p == proc.pid) {
            *ret_proc = proc;
            return true;
        }
    }
    return false;
}

int
qemu_process_recover_start(const qemu_driver *drv, const char *name, qemu_record *rec)
{
    _cleanup_free_ char *pidfile = qemu_domain_path(drv, name, ".pid");
    if (qemu_process_incoming(rec)) {
        /* A restore killed before QEMU had the state (or before it was
         * told to run): the QEMU it launched waits for a stream nobody
         * sends any more, or holds a guest nobody resumes. It goes; the
         * image stays, so the restore can be run again. */
        VP_PLUGIN_DEBUG(QEMU_AREA, "domain '%s': an interrupted restore left QEMU waiting", name);
        if (rec->proc.pid > 0)
            vp_plugin_process_signal(&rec->proc, SIGKILL);
        kill_launched(name, pidfile);
        if (rec->proc.pid > 0)
            vp_plugin_process_wait_gone(&rec->proc, 10000);
        return qemu_domain_mark_stopped(drv, name, rec, VP_DOMAIN_SHUTOFF_FAILED);
    }
    int64_t deadline = mono_ms() + drv->start_timeout_ms;
    for (;;) {
        _cleanup_free_ pid_t *pids = qemu_process_find_by_pidfile(pidfile);
        vp_plugin_process daemon;
        /* Ready when the daemon wrote its pidfile and its launcher is gone. */
        if (pidfile_member(pidfile, pids, &daemon) && !pids[1]) {
            VP_PLUGIN_DEBUG(QEMU_AREA, "domain '%s': adopting QEMU %d of an interrupted start",
                            name, (int)daemon.pid);
            bool paused = rec->state == VP_DOMAIN_PAUSED && rec->reason == VP_DOMAIN_PAUSED_USER;
            rec->starting = false;
            rec->proc = daemon;
            rec->state = paused ? VP_DOMAIN_PAUSED : VP_DOMAIN_RUNNING;
            rec->reason = paused ? VP_DOMAIN_PAUSED_USER : VP_DOMAIN_RUNNING_BOOTED;
            return qemu_domain_write_record(drv, name, rec);
        }
        if (!pids[0] || mono_ms() >= deadline)
            break;
        sleep_ms(20);
    }
    VP_PLUGIN_DEBUG(QEMU_AREA, "domain '%s': an interrupted start left no ready QEMU", name);
    kill_launched(name, pidfile);
    return qemu_domain_mark_stopped(drv, name, rec, VP_DOMAIN_SHUTOFF_FAILED);
}

/* The agent socket path: a socket left by an earlier QEMU is replaced; one
 * something still listens on (another domain's) and anything that is not a
 * socket (a file the user named) are refused, never removed. */
static int
prepare_agent_path(const char *name, const char *path)
{
    struct stat st;
    if (lstat(path, &st) < 0)
        return 0;
    if (S_ISSOCK(st.st_mode)) {
        qemu_json_io io = {.fd = -1};
        bool listening = qemu_json_io_connect(&io, path) == QEMU_JSON_OK;
        qemu_json_io_close(&io);
        if (listening)
            return vp_plugin_error_set(
                VP_ERR_OPERATION_INVALID,
                "cannot start domain '%s': its agent channel socket '%s' is in use by another process",
                name, path);
    }
    return qemu_domain_remove_socket(path, "agent channel source path");
}

/* The driver's own agent channel: the FIFO pair PATH.in and PATH.out,
 * made afresh (what an earlier QEMU left is removed first). */
static int
prepare_agent_pipes(const char *path)
{
    int r = qemu_domain_remove_agent(path);
    for (int i = 0; r >= 0 && i < 2; i++) {
        _cleanup_free_ char *fifo = vp_asprintf("%s.%s", path, i ? "out" : "in");
        if (mkfifo(fifo, 0600) < 0)
            r = vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno,
                                          "cannot make the guest agent channel '%s'", fifo);
    }
    return r;
}

static void
start_failed(const qemu_driver *drv, const char *name, const char *pidfile, qemu_record *rec)
{
    /* The caller reports why the start failed, not what the clean-up met
     * (a QEMU that was gone before it could be identified, ...). */
    vp_plugin_saved_error *why = vp_plugin_error_save();
    kill_launched(name, pidfile);
    qemu_domain_mark_stopped(drv, name, rec, VP_DOMAIN_SHUTOFF_FAILED);
    vp_plugin_error_restore(why);
}

/* Start @def, with the extras tree and XML of @from when given (a
 * restore: the image's definition), else the domain's stored ones. */
static int
process_start(const qemu_driver *drv, const vp_domain_def *def, const qemu_define_parts *from,
              bool incoming, bool paused, qemu_record **ret_rec)
{
    _cleanup_(qemu_record_freep) qemu_record *rec = vp_new0(qemu_record, 1);
    rec->self_change = true; /* until its command line says otherwise */
    _cleanup_free_ char *pidfile = qemu_domain_path(drv, def->name, ".pid");
    rec->qmp_path = qemu_domain_path(drv, def->name, ".qmp");
    int r = 0;
    if (def->has_agent_channel) {
        rec->agent_path_ours = !def->agent_socket_path;
        rec->agent_path = def->agent_socket_path ? vp_strdup(def->agent_socket_path)
                                                 : qemu_domain_path(drv, def->name, ".agent");
        r = rec->agent_path_ours ? prepare_agent_pipes(rec->agent_path)
                                 : prepare_agent_path(def->name, rec->agent_path);
    }
    _cleanup_free_ char *events = qemu_events_socket_path(rec->qmp_path);
    if (r >= 0)
        r = qemu_domain_remove_socket(rec->qmp_path, "QMP socket");
    if (r >= 0)
        r = qemu_domain_remove_socket(events, "QMP events socket");
    /* The elements beyond the 1.0 subset (qemu-devices.c), read before
     * anything is launched. */
    _cleanup_(json_object_putp) json_object *devices = NULL;
    if (r >= 0 && from)
        r = json_object_deep_copy(from->tree, &devices, NULL) < 0
                ? vp_plugin_error_set(VP_ERR_SYSTEM, "cannot copy the devices of domain '%s'",
                                      def->name)
                : 0;
    else if (r >= 0)
        r = qemu_domain_load_extras(drv, def->name, &devices);
    /* What this host's QEMU lacks of the devices (SPICE) is refused here
     * too, before anything is made: the binary may have changed since the
     * define. */
    if (r >= 0)
        r = qemu_hostcaps_check(drv, def->emulator ? def->emulator : drv->binary, devices);
    if (r >= 0)
        r = qemu_network_resolve(drv, devices, def->name);
    if (r >= 0)
        r = qemu_chardev_check_paths(devices);
    /* Before the intent: a store made here is the domain's whether or
     * not QEMU ever starts (undefine --nvram removes it). */
    if (r >= 0)
        r = qemu_firmware_prepare(drv, devices, def->name);
    if (r >= 0)
        r = qemu_tpm_prepare(drv, devices, def->name);
    _cleanup_domain_lock_ int ports_lock = -1;
    if (r >= 0)
        r = qemu_display_prepare(drv, devices, def->name, &ports_lock);
    if (r >= 0)
        r = from ? qemu_live_write_xml(drv, def->name, from->xml, devices)
                 : qemu_live_write(drv, def->name, devices);
    if (r < 0)
        return r;
    /* A kill here leaves files the next start makes afresh (the agent
     * FIFOs) or keeps (the variable store, the TPM state) and undefine
     * removes: the crash harness stops here too. */
    qemu_step("start: agent channel, variable store and TPM state made");
    unlink(pidfile);
    /* A panic of an earlier run must not read as this run's. */
    _cleanup_free_ char *guest_errors = qemu_domain_path(drv, def->name, ".guest-errors");
    unlink(guest_errors);
    /* The intent first: whatever happens to this process from here on, the
     * next operation finds the QEMU it launched (qemu_process_recover_start). */
    rec->active = true;
    rec->starting = true;
    rec->state = VP_DOMAIN_PAUSED;
    /* A paused start says so in its intent: the recovery of one killed
     * after the launch then records the QEMU it adopts paused (-S). */
    rec->reason = paused ? VP_DOMAIN_PAUSED_USER : VP_DOMAIN_PAUSED_STARTING_UP;
    r = qemu_id_allocate(drv, &rec->id);
    if (r >= 0)
        r = qemu_domain_write_record(drv, def->name, rec);
    if (r < 0)
        return r;
    qemu_step("start: intent written");
    /* The taps live as long as a descriptor does: ours until the launch,
     * then QEMU's, so a kill at any step leaves none behind. */
    int *tap_fds = NULL;
    size_t n_taps = 0;
    int events_log_fd = -1;
    _cleanup_free_ char *events_log = qemu_events_log_base(drv, def->name);
    r = qemu_tpm_start(drv, devices, def->name);
    if (r >= 0)
        r = qemu_tap_open_all(devices, def->name, &tap_fds, &n_taps);
    if (r >= 0)
        r = qemu_events_log_prepare(drv, def->name, &events_log_fd);
    if (r < 0) {
        qemu_events_log_launched(drv, def->name, events_log_fd);
        qemu_tap_close_all(tap_fds, n_taps);
        start_failed(drv, def->name, pidfile, rec);
        return r;
    }
    qemu_command_paths paths = {
        .qmp = rec->qmp_path,
        .pidfile = pidfile,
        .agent = rec->agent_path,
        .agent_pipes = rec->agent_path_ours,
        .accel = qemu_process_accel(drv, def),
        .devices = devices,
        .tap_fds = tap_fds,
        .n_tap_fds = n_taps,
        .qmp_events = events,
        .guest_errors = guest_errors,
        .events_log = events_log,
        .incoming = incoming,
        .paused = paused,
    };
    r = launch(drv, def, &paths, &rec->self_change);
    qemu_tap_close_all(tap_fds, n_taps);
    qemu_events_log_launched(drv, def->name, events_log_fd);
    qemu_lock_release(ports_lock); /* QEMU listens on its display now */
    ports_lock = -1;
    if (r >= 0)
        r = vp_plugin_process_read_pidfile(pidfile, &rec->proc);
    if (r >= 0)
        r = qemu_network_set_links(devices, rec->qmp_path, def->name);
    if (r >= 0)
        r = qemu_live_set_balloon(def, devices, rec->qmp_path);
    if (r >= 0)
        r = qemu_graphics_set_password(devices, rec->qmp_path, def->name);
    if (r < 0) {
        start_failed(drv, def->name, pidfile, rec);
        return r;
    }
    qemu_step("start: QEMU ready");
    rec->starting = false;
    rec->state = incoming || paused ? VP_DOMAIN_PAUSED : VP_DOMAIN_RUNNING;
    rec->reason = incoming ? VP_DOMAIN_PAUSED_STARTING_UP
                  : paused ? VP_DOMAIN_PAUSED_USER
                           : VP_DOMAIN_RUNNING_BOOTED;
    r = qemu_domain_write_record(drv, def->name, rec);
    if (r < 0) {
        start_failed(drv, def->name, pidfile, rec);
        return r;
    }
    qemu_step("start: record written");
    VP_PLUGIN_DEBUG(QEMU_AREA, "domain '%s' runs as pid %d with accel %s", def->name,
                    (int)rec->proc.pid, paths.accel);
    *ret_rec = VP_STEAL_PTR(rec);
    return 0;
}

int
qemu_process_start(const qemu_driver *drv, const vp_domain_def *def, qemu_record **ret_rec)
{
    return process_start(drv, def, NULL, false, false, ret_rec);
}

int
qemu_process_start_paused(const qemu_driver *drv, const vp_domain_def *def, qemu_record **ret_rec)
{
    return process_start(drv, def, NULL, false, true, ret_rec);
}

int
qemu_process_start_incoming(const qemu_driver *drv, const qemu_define_parts *from,
                            qemu_record **ret_rec)
{
    return process_start(drv, from->def, from, true, false, ret_rec);
}

/* ---- stop -------------------------------------------------------------- */

static void
monitor_quit(const char *name, const qemu_record *rec)
{
    qemu_monitor *mon = NULL;
    if (qemu_monitor_open(rec->qmp_path, 2000, &mon) < 0) {
        VP_PLUGIN_DEBUG(QEMU_AREA, "domain '%s': no QMP for quit, signalling", name);
        return;
    }
    /* The reply may be lost when QEMU exits first; the wait below decides. */
    qemu_monitor_command(mon, "quit", NULL, 2000, NULL);
    qemu_monitor_close(mon);
}

int
qemu_process_terminate(const qemu_driver *drv, const char *name, const qemu_record *rec)
{
    (void)drv;
    monitor_quit(name, rec);
    if (vp_plugin_process_wait_gone(&rec->proc, 3000))
        return 0;
    vp_plugin_process_signal(&rec->proc, SIGTERM);
    if (vp_plugin_process_wait_gone(&rec->proc, QEMU_GRACEFUL_WAIT_MS))
        return 0;
    return vp_plugin_error_set(
        VP_ERR_TIMEOUT,
        "QEMU of domain '%s' (pid %d) is still running after QMP quit and SIGTERM; a graceful destroy does not force it: destroy it without --graceful",
        name, (int)rec->proc.pid);
}

int
qemu_process_kill(const qemu_driver *drv, const char *name, const qemu_record *rec)
{
    monitor_quit(name, rec);
    if (vp_plugin_process_wait_gone(&rec->proc, 3000))
        return 0;
    vp_plugin_process_signal(&rec->proc, SIGTERM);
    if (vp_plugin_process_wait_gone(&rec->proc, 3000))
        return 0;
    vp_plugin_process_signal(&rec->proc, SIGKILL);
    if (vp_plugin_process_wait_gone(&rec->proc, 10000))
        return 0;
    return vp_plugin_error_set(VP_ERR_TIMEOUT,
                               "QEMU of domain '%s' (pid %d) did not exit even after SIGKILL", name,
                               (int)rec->proc.pid);
}

/* ---- the KVM probe ------------------------------------------------------ */

/* A 64 KiB firmware whose reset vector writes 0x42 to the isa-debug-exit
 * port, so QEMU exits with status (0x42 << 1) | 1 once a vCPU really ran. */
#define PROBE_BIOS_SIZE 65536
#define PROBE_EXIT_STATUS 0x85

static int
write_probe_bios(const char *path)
{
    _cleanup_free_ unsigned char *bios = vp_new0(unsigned char, PROBE_BIOS_SIZE);
    static const unsigned char reset[] = {
        0xb0, 0x42, /* mov al, 0x42 */
        0xe6, 0xf4, /* out 0xf4, al */
        0xf4,       /* hlt */
        0xeb, 0xfd, /* jmp back to hlt */
    };
    memcpy(bios + PROBE_BIOS_SIZE - 16, reset, sizeof(reset));
    return vp_plugin_file_write_atomic(path, bios, PROBE_BIOS_SIZE, 0600);
}

/* Run the probe firmware under @accel; 0 when the guest code ran. */
static int
probe_accel(const qemu_driver *drv, const char *accel)
{
    _cleanup_free_ char *bios = vp_asprintf("%s/accel-probe.bin", drv->runtime_dir);
    int r = write_probe_bios(bios);
    if (r < 0)
        return r;
    const char *argv[] = {drv->binary,
                          "-machine",
                          "pc",
                          "-accel",
                          accel,
                          "-nodefaults",
                          "-no-user-config",
                          "-display",
                          "none",
                          "-m",
                          "16",
                          "-bios",
                          bios,
                          "-device",
                          "isa-debug-exit,iobase=0xf4,iosize=0x04",
                          NULL};
    int status = -1;
    _cleanup_free_ char *err = NULL;
    r = vp_plugin_command_run(argv, 5000, &status, NULL, &err);
    unlink(bios);
    if (r < 0)
        return r;
    if (status != PROBE_EXIT_STATUS)
        return vp_plugin_error_set(
            VP_ERR_NOT_SUPPORTED, "accelerator '%s' failed the probe (%d): %s", accel, status, err);
    return 0;
}

/* Hardware KVM only: /dev/kvm from kvm_pvm and the like starts QEMU fine
 * but real guests die on it, so a module check comes before the probe. */
bool
qemu_process_kvm_present(void)
{
    if (access("/dev/kvm", R_OK | W_OK) < 0)
        return false;
    return access("/sys/module/kvm_intel", F_OK) == 0 || access("/sys/module/kvm_amd", F_OK) == 0;
}

static pthread_mutex_t probe_lock = PTHREAD_MUTEX_INITIALIZER;
static int kvm_probed; /* 0: not yet, 1: works, -1: does not */

const char *
qemu_process_accel(const qemu_driver *drv, const vp_domain_def *def)
{
    /* libvirt's meaning: type='qemu' is plain emulation. */
    if (def->type && strcmp(def->type, "kvm") != 0)
        return "tcg";
    pthread_mutex_lock(&probe_lock);
    if (kvm_probed == 0) {
        bool ok = qemu_process_kvm_present() && probe_accel(drv, "kvm") == 0;
        kvm_probed = ok ? 1 : -1;
        VP_PLUGIN_DEBUG(QEMU_AREA, "KVM probe: %s", ok ? "works" : "unusable, using TCG");
    }
    int probed = kvm_probed;
    pthread_mutex_unlock(&probe_lock);
    return probed > 0 ? "kvm" : "tcg";
}
