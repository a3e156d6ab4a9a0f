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

/** The whole URI as given. (transfer none) */
const char *vp_plugin_uri_get_string(const vp_plugin_uri *uri);
/** "qemu" for "qemu:///system". (transfer none) */
const char *vp_plugin_uri_get_scheme(const vp_plugin_uri *uri);
/** The host part, "" when empty. (transfer none) */
const char *vp_plugin_uri_get_host(const vp_plugin_uri *uri);
/** The path, "/system"; "" when empty. Percent-decoded. (transfer none) */
const char *vp_plugin_uri_get_path(const vp_plugin_uri *uri);
/** The value of query parameter @key (decoded), or NULL. (transfer none) */
const char *vp_plugin_uri_get_param(const vp_plugin_uri *uri, const char *key);
/** The number of query parameters. */
size_t vp_plugin_uri_get_param_count(const vp_plugin_uri *uri);
/** The name and value of parameter @index; NULL past the end. (transfer none) */
const char *vp_plugin_uri_get_param_name(const vp_plugin_uri *uri, size_t index);
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
 * unconditionally. Returns 0.
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

#ifdef __cplusplus
}
#endif

#endif /* VIRTPLUG_SDK_SERVICES_H */
