/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * services.h: what libvirtplug offers plugins (exported, vp_plugin_*).
 *
 * Plugins link against libvirtplug and call these instead of writing their
 * own: errors land in the calling thread's error slot, debug output follows
 * VIRTPLUG_DEBUG, state files are written atomically, child processes are
 * run with a timeout and their output captured.
 *
 * Since: 1.0
 */
#ifndef VIRTPLUG_SDK_SERVICES_H
#define VIRTPLUG_SDK_SERVICES_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <virtplug/virtplug.h>
#include <virtplug/sdk/driver.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define VP_PLUGIN_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define VP_PLUGIN_PRINTF(a, b)
#endif

/* ---- Errors and debug ----------------------------------------------- */

/**
 * vp_plugin_error_set: set the calling thread's error; returns @code so a
 * slot can write "return vp_plugin_error_set(VP_ERR_NO_DOMAIN, ...)".
 * Set it once, where the failure is detected. Thread-safe.
 */
int vp_plugin_error_set(int code, const char *fmt, ...) VP_PLUGIN_PRINTF(2, 3);
/** vp_plugin_error_setv: the va_list form. */
int vp_plugin_error_setv(int code, const char *fmt, va_list ap) VP_PLUGIN_PRINTF(2, 0);
/** vp_plugin_error_set_errno: as vp_plugin_error_set, appending ": strerror(@errnum)". */
int vp_plugin_error_set_errno(int code, int errnum, const char *fmt, ...) VP_PLUGIN_PRINTF(3, 4);

/**
 * vp_plugin_error_stale_handle: set the error of a call through a handle of
 * domain @name made for the domain of UUID @was_uuid, when the domain of
 * that name now has UUID @now_uuid (both in the string form): the core's
 * own words, "domain 'x' was undefined and redefined since this handle was
 * made (...); look it up again", for a driver that checks handles itself
 * (VP_PLUGIN_GENERATION_CHECKED_BY_DRIVER). Returns VP_ERR_NO_DOMAIN.
 * Thread-safe.
 * Since: 1.1
 */
int vp_plugin_error_stale_handle(const char *name, const char *was_uuid, const char *now_uuid);

/**
 * vp_plugin_saved_error: an error taken out of the thread's slot by
 * vp_plugin_error_save(). Opaque. Since: 1.1
 */
typedef struct vp_plugin_saved_error vp_plugin_saved_error;

/**
 * vp_plugin_error_save: take the calling thread's error out of its slot, so
 * clean-up after a failure (killing what was started, removing what was
 * made) can fail and set its own error without replacing the one the
 * caller must see. After it no error is set. NULL when none was set.
 * Give it back with vp_plugin_error_restore(). (transfer full)
 * Since: 1.1
 */
vp_plugin_saved_error *vp_plugin_error_save(void);

/**
 * vp_plugin_error_restore: make @saved the thread's error again (whatever
 * was set since is dropped) and free @saved; returns its code, so a slot
 * can write "return vp_plugin_error_restore(saved)". With NULL: nothing
 * changes and it returns 0.
 * Since: 1.1
 */
int vp_plugin_error_restore(vp_plugin_saved_error *saved);

/**
 * vp_plugin_call_domain_uuid: in a slot called through a domain handle of
 * a connection whose conn_get_generation returns
 * VP_PLUGIN_GENERATION_CHECKED_BY_DRIVER, the UUID the handle was made
 * for, so the driver can refuse to act when @name names another domain
 * now ("domain 'x' was undefined and redefined since this handle was
 * made"). Returns true and fills @ret_uuid when the current call of this
 * thread goes through a handle of domain @name; false otherwise (a lookup,
 * a call of a driver that lets the core check, another domain).
 * Since: 1.1
 */
bool vp_plugin_call_domain_uuid(const char *name, unsigned char ret_uuid[16]);

/** vp_plugin_debug_enabled: true when VIRTPLUG_DEBUG is set. */
bool vp_plugin_debug_enabled(void);
/** vp_plugin_debug: one line "virtplug: AREA: message" on stderr when enabled. */
void vp_plugin_debug(const char *area, const char *fmt, ...) VP_PLUGIN_PRINTF(2, 3);

#define VP_PLUGIN_DEBUG(area, ...)                                                                 \
    do {                                                                                           \
        if (vp_plugin_debug_enabled())                                                             \
            vp_plugin_debug((area), __VA_ARGS__);                                                  \
    } while (0)

/* ---- Files ---------------------------------------------------------- */

/**
 * vp_plugin_file_write_atomic: replace @path with @data: write a temporary
 * file in the same directory, fsync it, rename it over @path, fsync the
 * directory. A crash leaves the old file or the new one, never a mix.
 * @mode: permission bits of the new file (0600, 0644).
 * Errors: VP_ERR_SYSTEM naming the file.
 */
int vp_plugin_file_write_atomic(const char *path, const void *data, size_t size, unsigned int mode);

/**
 * vp_plugin_file_read: read a whole file (at most @max_bytes) into a
 * NUL-terminated buffer. @ret_data: (transfer full) free(). @ret_size: (optional)
 * Errors: VP_ERR_SYSTEM naming the file (ENOENT included), VP_ERR_INVALID_ARG
 * when it is larger than @max_bytes.
 */
int vp_plugin_file_read(const char *path, size_t max_bytes, char **ret_data, size_t *ret_size);

/**
 * vp_plugin_file_read_regular: vp_plugin_file_read() for a file a user
 * names: anything but a regular file (or a symbolic link to one) is
 * refused before it is opened for reading, so a FIFO cannot block the
 * caller and a device is never read.
 * Errors: as vp_plugin_file_read(), and VP_ERR_INVALID_ARG "'PATH' is not
 * a regular file (it is a FIFO)". Thread-safe.
 */
int vp_plugin_file_read_regular(const char *path, size_t max_bytes, char **ret_data,
                                size_t *ret_size);

/** vp_plugin_mkdir_p: create @path and its parents with @mode. Errors: VP_ERR_SYSTEM. */
int vp_plugin_mkdir_p(const char *path, unsigned int mode);

/**
 * vp_plugin_runtime_dir: $VIRTPLUG_RUNTIME_DIR, else RUNSTATEDIR/virtplug for
 * root, else $XDG_RUNTIME_DIR/virtplug. Created (0700) if missing.
 * @ret_path: (transfer full) free().
 */
int vp_plugin_runtime_dir(char **ret_path);

/* ---- Child processes ------------------------------------------------ */

/**
 * vp_plugin_command_run: run @argv (argv[0] an absolute path, no shell)
 * with stdin from /dev/null, wait at most @timeout_ms (-1: no limit; on
 * timeout the child is killed), and capture its output.
 * @ret_exit_status: exit status, or 128 + signal number.
 * @ret_stdout, @ret_stderr: (optional) (transfer full) NUL-terminated, free().
 * Returns 0 when the command ran (whatever its exit status).
 * Errors: VP_ERR_SYSTEM (cannot start it: the message names argv[0]),
 * VP_ERR_TIMEOUT.
 */
int vp_plugin_command_run(const char *const *argv, int timeout_ms, int *ret_exit_status,
                          char **ret_stdout, char **ret_stderr);

/* ---- URIs ----------------------------------------------------------- */

/** vp_plugin_uri_get_string: the whole URI as given. (transfer none) */
const char *vp_plugin_uri_get_string(const vp_plugin_uri *uri);
/** vp_plugin_uri_get_scheme: "qemu" for "qemu:///system". (transfer none) */
const char *vp_plugin_uri_get_scheme(const vp_plugin_uri *uri);
/** vp_plugin_uri_get_host: the host part, "" when empty. (transfer none) */
const char *vp_plugin_uri_get_host(const vp_plugin_uri *uri);
/** vp_plugin_uri_get_path: the path, "/system"; "" when empty. Percent-decoded. (transfer none) */
const char *vp_plugin_uri_get_path(const vp_plugin_uri *uri);
/** vp_plugin_uri_get_param: the value of query parameter @key (decoded), or NULL. (transfer none)
 */
const char *vp_plugin_uri_get_param(const vp_plugin_uri *uri, const char *key);
/** vp_plugin_uri_get_param_count: the number of query parameters. */
size_t vp_plugin_uri_get_param_count(const vp_plugin_uri *uri);
/** vp_plugin_uri_get_param_name: the name of parameter @index; NULL past the end. (transfer none)
 */
const char *vp_plugin_uri_get_param_name(const vp_plugin_uri *uri, size_t index);
/** vp_plugin_uri_get_param_value: the value of parameter @index; NULL past the end. (transfer none)
 */
const char *vp_plugin_uri_get_param_value(const vp_plugin_uri *uri, size_t index);

/* ---- key = value configuration files -------------------------------- */

typedef struct vp_plugin_conf vp_plugin_conf;

/**
 * vp_plugin_conf_load: read a "key = value" file ('#' comments, blank lines).
 * @known_keys: NULL-terminated; any other key is an error naming the file,
 * the line and the key. A missing file gives an empty configuration when
 * @missing_ok. Only a regular file is read (vp_plugin_file_read_regular()).
 * @ret_conf: (transfer full) vp_plugin_conf_free().
 * Errors: VP_ERR_SYSTEM, VP_ERR_INVALID_ARG (syntax, unknown key, not a
 * regular file).
 */
int vp_plugin_conf_load(const char *path, const char *const *known_keys, bool missing_ok,
                        vp_plugin_conf **ret_conf);
/** vp_plugin_conf_get: the value of @key, else @fallback. (transfer none) */
const char *vp_plugin_conf_get(const vp_plugin_conf *conf, const char *key, const char *fallback);
/** vp_plugin_conf_get_uint: parse @key as an unsigned integer; errors name file and key. */
int vp_plugin_conf_get_uint(const vp_plugin_conf *conf, const char *key, unsigned int fallback,
                            unsigned int *ret_value);
/** vp_plugin_conf_free: NULL-safe. */
void vp_plugin_conf_free(vp_plugin_conf *conf);

/** vp_plugin_hostpower_conf_path: $VIRTPLUG_HOSTPOWER_CONF, else
 * SYSCONFDIR/virtplug/hostpower.conf. */
const char *vp_plugin_hostpower_conf_path(void);

/* ---- Persistent state, names, records, locks, processes (Since: 1.1) ----
 *
 * What every driver of a hypervisor that keeps its own processes needs:
 * a directory that survives reboots, names that are safe as file names,
 * small records written atomically, a lock per domain shared by every
 * process of the host, and processes that outlive the caller and are
 * recognised later even when their pid was given to another process.
 */

/**
 * vp_plugin_state_dir: the persistent directory of the driver instance
 * @uri names, where it keeps definitions and state that survive a reboot
 * (the runtime directory, vp_plugin_runtime_dir(), is emptied at boot).
 * For scheme S and path P:
 *   P "/system":  LOCALSTATEDIR/lib/virtplug/S
 *   P "/session": $XDG_CONFIG_HOME/virtplug/S (else $HOME/.config/virtplug/S)
 *   P "" or "/":  "/system"'s directory for root, "/session"'s for others
 *   any other P:  that same directory followed by P ("/default" gives .../S/default),
 *                 each component of P passing vp_plugin_name_is_safe()
 * $VIRTPLUG_STATE_DIR (read with secure_getenv) replaces both bases, so
 * "/system" and "/session" both become $VIRTPLUG_STATE_DIR/S: tests and
 * embedding applications point it at a private directory. These are the
 * directories the qemu driver used before this service existed, so its
 * domains are found where they were.
 * The directory is created (0700, with its parents) when missing.
 * @ret_path: (transfer full) free().
 * Errors: VP_ERR_INVALID_ARG (a NULL argument, an unsafe path component:
 * the message names it), VP_ERR_SYSTEM (no XDG_CONFIG_HOME nor HOME for a
 * session; the directory cannot be created).
 * Thread-safe. Since: 1.1
 */
int vp_plugin_state_dir(const vp_plugin_uri *uri, char **ret_path);

/* Flags of vp_plugin_name_is_safe(). */
#define VP_PLUGIN_NAME_NO_LEADING_DOT (1u << 0) /* refuse hidden names (".x") too */
#define VP_PLUGIN_NAME_QUIET (1u << 1)          /* report by the return value only */
/* The length limit used when max_len is 0: NAME_MAX, a whole file name. */
#define VP_PLUGIN_NAME_MAX_DEFAULT 255

/**
 * vp_plugin_name_is_safe: whether @name can be used as one file name in a
 * directory the driver owns: not empty, not "." or "..", no '/', no
 * control character (0x01-0x1f, 0x7f), at most @max_len bytes (0: 255),
 * none of the characters in @also_forbidden (NULL: none; the qemu driver
 * adds "\\," because QEMU's option syntax splits on ','), and with
 * VP_PLUGIN_NAME_NO_LEADING_DOT no leading '.'. Bytes >= 0x80 (UTF-8) are
 * allowed.
 * @what: what the name is, for the message ("domain name"); NULL: "name".
 * Returns 0 when safe. Otherwise VP_ERR_INVALID_ARG, with a message that
 * names the value, the offending character and its position: "invalid
 * domain name 'a/b': character '/' at position 2 is not allowed (a domain
 * name becomes a file name)"; with VP_PLUGIN_NAME_QUIET the code comes
 * back and the thread's error is left as it was (for lookups that answer
 * "no such domain" instead).
 * Thread-safe. Since: 1.1
 */
int vp_plugin_name_is_safe(const char *what, const char *name, size_t max_len,
                           const char *also_forbidden, unsigned int flags);

/**
 * vp_plugin_kv_write: replace @path with a record of key=value lines,
 * atomically (vp_plugin_file_write_atomic(): a crash leaves the old record
 * or the new one).
 * @pairs: key, value, key, value, ..., NULL (a NULL-terminated vector of
 * even length). A key is 1 to 128 bytes of [A-Za-z0-9_.-] and appears
 * once. A value is any string: '=' and '#' are kept as they are, while a
 * backslash, newline, carriage return, tab and every other control byte
 * are escaped (\\ \n \r \t \xHH), so one pair is always one line.
 * Leading and trailing spaces are kept.
 * @mode: permission bits (0600).
 * Errors: VP_ERR_INVALID_ARG (odd vector, bad or repeated key: the message
 * names it), VP_ERR_SYSTEM (the write). Thread-safe (distinct paths; two
 * writers of one path: the last rename wins, each record whole).
 * Since: 1.1
 */
int vp_plugin_kv_write(const char *path, const char *const *pairs, unsigned int mode);

/**
 * vp_plugin_kv_read: read a record written by vp_plugin_kv_write(): lines
 * "key=value" (escapes undone), blank lines and lines starting with '#'
 * ignored, at most @max_bytes (0: 1 MiB).
 * @ret_pairs: (transfer full) key, value, ..., NULL in the file's order;
 * vp_strv_free().
 * Errors: VP_ERR_SYSTEM (cannot read it; ENOENT included, so a caller can
 * test for a missing record), VP_ERR_INVALID_ARG naming the file and line
 * (no '=', bad key, repeated key, bad escape, larger than @max_bytes).
 * Thread-safe. Since: 1.1
 */
int vp_plugin_kv_read(const char *path, size_t max_bytes, char ***ret_pairs);

/**
 * vp_plugin_kv_get: the value of @key in @pairs (as vp_plugin_kv_read()
 * returns them), or NULL. (transfer none) Thread-safe. Since: 1.1
 */
const char *vp_plugin_kv_get(char *const *pairs, const char *key);

/**
 * vp_plugin_lock_acquire: take the exclusive lock on the lock file @path
 * (created 0600 when missing; a symbolic link is refused), waiting at most
 * @timeout_ms (0: do not wait; -1: no limit). One lock per domain, shared
 * by every process and every thread of the host: each call opens @path
 * anew and locks that open file (an open file description lock, the kind
 * the qemu driver and the node-suspend lock use, so an older process and
 * a newer one exclude each other; flock() where the OS lacks them). It
 * dies with the descriptor, so a killed holder leaves nothing locked. The
 * holder may remove @path (undefine does): a waiter that then gets the
 * lock on the removed file sees that @path no longer names it and starts
 * again on the new file, so two holders never meet.
 * @what: what is locked, for the busy message ("domain 'web'").
 * @ret_fd: the lock, held until vp_plugin_lock_release(). The descriptor
 * is close-on-exec; a fork()ed child shares the lock until it closes it.
 * Errors: VP_ERR_OPERATION_IN_PROGRESS "WHAT is busy with another
 * operation; try again later" after @timeout_ms, VP_ERR_SYSTEM naming
 * @path, VP_ERR_INVALID_ARG. Thread-safe. Since: 1.1
 */
int vp_plugin_lock_acquire(const char *path, const char *what, int timeout_ms, int *ret_fd);

/**
 * vp_plugin_lock_try: vp_plugin_lock_acquire() without waiting and without
 * an error when the lock is busy: 1 and @ret_fd when taken, 0 when another
 * holder has it (the thread's error untouched), < 0 (VP_ERR_SYSTEM,
 * VP_ERR_INVALID_ARG) on failure. Thread-safe. Since: 1.1
 */
int vp_plugin_lock_try(const char *path, int *ret_fd);

/** vp_plugin_lock_release: release a lock (close @fd); a negative @fd is ignored. Since: 1.1 */
void vp_plugin_lock_release(int fd);

/**
 * vp_plugin_process: who a process is, robust to pid reuse: its pid, its
 * start time (field 22 of /proc/PID/stat, clock ticks since boot) and the
 * boot it ran in (/proc/sys/kernel/random/boot_id; "" when unknown, and
 * then not compared). A pid alone may name another process once the first
 * is gone; the three together never do. A value type that never grows:
 * store it whole in a record (vp_plugin_process_format()) and check it
 * later, from any process. Since: 1.1
 */
typedef struct vp_plugin_process {
    pid_t pid;
    uint64_t start_time;
    char boot_id[40];
} vp_plugin_process;

/**
 * vp_plugin_process_identify: the identity of the live process @pid now.
 * Errors: VP_ERR_OPERATION_INVALID "process N is not running" when it is
 * gone or a zombie, VP_ERR_SYSTEM when /proc cannot be read,
 * VP_ERR_INVALID_ARG. Thread-safe. Since: 1.1
 */
int vp_plugin_process_identify(pid_t pid, vp_plugin_process *ret_proc);

/**
 * vp_plugin_process_is_alive: true when @proc still runs: its pid exists,
 * is not a zombie, started at @proc's start time, in @proc's boot. A pid
 * reused by another process reads false. A zombie whose other threads are
 * still exiting reads true: until they have, its files and the locks on
 * them are not released. Never sets an error.
 * Thread-safe. Since: 1.1
 */
bool vp_plugin_process_is_alive(const vp_plugin_process *proc);

/**
 * vp_plugin_process_signal: send @sig to @proc if it is still that
 * process. Where pidfd_open() exists the process is pinned first and its
 * identity checked through the pin, so the signal can never reach a
 * process that took the pid over; elsewhere the check and kill() are
 * separate calls.
 * Returns 1 when sent, 0 when @proc is gone (no error set).
 * Errors: VP_ERR_SYSTEM (EPERM and the like), VP_ERR_INVALID_ARG.
 * Thread-safe. Since: 1.1
 */
int vp_plugin_process_signal(const vp_plugin_process *proc, int sig);

/**
 * vp_plugin_process_wait_gone: wait until @proc is gone (exited, a zombie,
 * or its pid reused) or @timeout_ms passed (-1: no limit). Waits on a
 * pidfd where the OS has them, else polls. Returns true when gone. Never
 * sets an error. Thread-safe. Since: 1.1
 */
bool vp_plugin_process_wait_gone(const vp_plugin_process *proc, int timeout_ms);

/* The longest text vp_plugin_process_format() writes, NUL included. */
#define VP_PLUGIN_PROCESS_STRLEN 80

/**
 * vp_plugin_process_format: @proc as one word for a record,
 * "PID:START_TIME:BOOT_ID" ("4242:1234567:6f1c...", or "4242:1234567:"),
 * into @buf of at least VP_PLUGIN_PROCESS_STRLEN bytes. Returns @buf.
 * Thread-safe. Since: 1.1
 */
char *vp_plugin_process_format(const vp_plugin_process *proc, char *buf);

/**
 * vp_plugin_process_parse: the inverse of vp_plugin_process_format().
 * Errors: VP_ERR_INVALID_ARG naming the text. Thread-safe. Since: 1.1
 */
int vp_plugin_process_parse(const char *text, vp_plugin_process *ret_proc);

/**
 * vp_plugin_process_read_pidfile: the pid in @pidfile ("PID" and an
 * optional newline, as QEMU and daemons write it) and the identity of the
 * live process it names (vp_plugin_process_identify()).
 * Errors: VP_ERR_SYSTEM (cannot read it), VP_ERR_INVALID_ARG ("pidfile
 * 'P' holds no pid"), VP_ERR_OPERATION_INVALID (the process is gone).
 * Thread-safe. Since: 1.1
 */
int vp_plugin_process_read_pidfile(const char *pidfile, vp_plugin_process *ret_proc);

/**
 * vp_plugin_process_spawn_detached: start @argv (argv[0] an absolute path,
 * no shell, the caller's environment) as a daemon that outlives the
 * caller: forked twice so it is never the caller's child (no zombie; the
 * intermediate child is reaped here, its SIGCHLD is the only one the
 * caller sees, and ECHILD from a SIGCHLD handler that reaped it first is
 * fine), in a session of
 * its own (setsid: a terminal's ^C or hangup never reaches it), in "/",
 * with the default signal dispositions and an empty signal mask, stdin
 * from /dev/null, stdout and stderr appended to @log_path (created 0600;
 * NULL: /dev/null), and no descriptor of the caller but those three.
 * When @pidfile is not NULL it is written ("PID\n", 0644, atomically)
 * before the program runs: the new process waits for it, and exits
 * without running the program if the caller dies first, so a pidfile
 * names every process this started. An exec failure is reported here
 * (and the pidfile removed).
 * @flags: 0.
 * @ret_proc: the identity of the program's process (the pid the pidfile
 * holds); store it to check it later.
 * Errors: VP_ERR_INVALID_ARG (argv, flags), VP_ERR_SYSTEM (cannot run
 * argv[0], open @log_path or write @pidfile: the message names it).
 * Thread-safe (uses only async-signal-safe calls between fork and exec).
 * Since: 1.1
 */
int vp_plugin_process_spawn_detached(const char *const *argv, const char *log_path,
                                     const char *pidfile, unsigned int flags,
                                     vp_plugin_process *ret_proc);

/* ---- Time ----------------------------------------------------------- */

/** vp_plugin_now_us: wall-clock microseconds since the Unix epoch. */
int64_t vp_plugin_now_us(void);

/* ---- Domain events (since 1.1) ----------------------------------------- */

/**
 * vp_plugin_event_emit: report lifecycle event @event with @detail
 * (VP_DOMAIN_EVENT_*, virtplug.h: libvirt's numbers) of domain @domain
 * (@uuid: its 16 bytes, or NULL when unknown) to the connection that gave
 * @sink to event_open (driver.h). The core copies what it needs and
 * queues the event; it is delivered later, in the application's thread.
 * Never blocks; thread-safe; may be called with the driver's locks held.
 * A NULL @sink (no watch started) does nothing, so a driver can emit
 * unconditionally. VP_DOMAIN_EVENT_IO_ERROR reported here has empty
 * strings: use vp_plugin_event_emit_io_error(). Returns 0.
 * Errors: VP_ERR_INVALID_ARG (no @domain, or an event or detail outside
 * libvirt's numbers). Since: 1.1
 */
int vp_plugin_event_emit(vp_plugin_event_sink *sink, const char *domain, const unsigned char *uuid,
                         int event, int detail);

/**
 * vp_plugin_event_emit_transition: report the events libvirt raises when
 * domain @domain goes from state @old_state to @new_state with
 * @new_reason (VP_DOMAIN_* states and their reasons): shut off -> running
 * is "started booted" (or "from snapshot", ...), running -> paused is
 * "suspended paused" (or "I/O error", ...), active -> shut off is
 * "stopped" with the reason's detail (shutdown, destroyed, crashed,
 * failed, ...), shut off -> paused is "started" then "suspended", and so
 * on (docs/events.md has the table). Drivers that know states rather than
 * events call this so every driver names a change alike.
 * Returns the number of events emitted (0: the transition raises none).
 * Errors: VP_ERR_INVALID_ARG for states outside VP_DOMAIN_*. Thread-safe.
 * Since: 1.1
 */
int vp_plugin_event_emit_transition(vp_plugin_event_sink *sink, const char *domain,
                                    const unsigned char *uuid, int old_state, int new_state,
                                    int new_reason);

/**
 * vp_plugin_event_emit_io_error: report VP_DOMAIN_EVENT_IO_ERROR of domain
 * @domain (@uuid as for vp_plugin_event_emit()): a disk failed a request.
 * @action: VP_DOMAIN_EVENT_IO_ERROR_NONE, _PAUSE or _REPORT (what the
 * hypervisor did); @src_path, @dev_alias, @reason: the disk's source
 * ("" when it has none), its alias and why ("enospc", or the hypervisor's
 * words); copied. Never blocks; thread-safe. Returns 0.
 * Errors: VP_ERR_INVALID_ARG (no @domain, @src_path, @dev_alias or
 * @reason, or an unknown @action). Since: 1.1
 */
int vp_plugin_event_emit_io_error(vp_plugin_event_sink *sink, const char *domain,
                                  const unsigned char *uuid, int action, const char *src_path,
                                  const char *dev_alias, const char *reason);

#ifdef __cplusplus
}
#endif

#endif /* VIRTPLUG_SDK_SERVICES_H */
