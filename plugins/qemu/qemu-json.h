/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-json.h: line-framed JSON I/O over a unix stream socket, shared by the
 * QMP client (qemu-monitor.c) and the guest-agent client (qemu-agent.c).
 *
 * Both peers end every message with a newline ("\r\n" for QMP, "\n" for
 * qemu-ga) and never put a raw newline inside one, so a message is a line.
 * These helpers only move and parse bytes with deadlines and limits; they
 * set no error message: each returns a qemu_json_status and the caller, who
 * knows what it was waiting for, words the error.
 */
#ifndef VIRTPLUG_QEMU_JSON_H
#define VIRTPLUG_QEMU_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

typedef enum qemu_json_status {
    QEMU_JSON_OK = 0,
    QEMU_JSON_TIMEOUT,   /* the deadline passed */
    QEMU_JSON_EOF,       /* the peer closed the connection */
    QEMU_JSON_ERRNO,     /* a system call failed; errno holds why */
    QEMU_JSON_TOO_LONG,  /* a line longer than QEMU_JSON_MAX_LINE */
    QEMU_JSON_TOO_DEEP,  /* a message nesting deeper than QEMU_JSON_MAX_DEPTH */
    QEMU_JSON_INVALID,   /* a line that is not one JSON object */
    QEMU_JSON_CANCELLED, /* @cancel_fd became readable (vp_conn_cancel_jobs) */
} qemu_json_status;

/* Far above any reply QEMU sends (query-named-block-nodes of a long chain is
 * a few hundred KiB), low enough that a peer spewing garbage cannot exhaust
 * memory. */
#define QEMU_JSON_MAX_LINE (16u * 1024 * 1024)

/* How deep values may nest in a message, counted as json-c counts: every
 * value on the way to the innermost one, that one included. json-c's
 * default (32) is far too few: query-block nests one "backing-image" object
 * per image of a disk's backing chain with seven levels around them (QEMU
 * 7.2: n images nest n + 7), so after 25 external snapshots of a disk no
 * reply could be read. 4096 keeps chains of 4000 images working, four times
 * the 1000 the tests check, and still bounds what a hostile peer can make
 * us spend: 32 bytes of tokener stack per level (128 KiB per message) and
 * about 110 bytes of C stack per level when json-c frees or prints the
 * tree, which it does recursively (under 0.5 MiB). */
#define QEMU_JSON_MAX_DEPTH 4096

typedef struct qemu_json_io {
    int fd;              /* -1 when closed; the read end for a pipe pair */
    int wfd;             /* the write end of a pipe pair (qemu_json_io_open_pipes); else -1
                          * (or 0 in a zeroed struct: only @fd counts then) */
    bool pipes;          /* @fd and @wfd are FIFOs, not one socket */
    char *buf;           /* bytes read but not yet returned as lines */
    size_t len;          /* bytes used in buf */
    size_t cap;          /* bytes allocated in buf */
    size_t scanned;      /* bytes at the start of buf known to hold no newline */
    int64_t rcvtimeo_ms; /* the socket's SO_RCVTIMEO; 0: none (blocks) */
    bool has_cancel;     /* waits also end when @cancel_fd is readable */
    int cancel_fd;       /* a job's eventfd (qemu-jobs.c), used when @has_cancel */
} qemu_json_io;

/* Monotonic milliseconds, for deadlines. */
int64_t qemu_json_now_ms(void);

/* The socket is in blocking mode: writes never block (MSG_DONTWAIT, then
 * poll until the deadline), and a read blocks in recv() itself, bounded by
 * SO_RCVTIMEO, which is set only when it must shrink to fit the deadline:
 * one system call per reply instead of poll + recv.
 *
 * Connect a close-on-exec unix stream socket to @path (without blocking)
 * and attach it to @io (which must be closed). On failure returns
 * QEMU_JSON_ERRNO with errno set (ENAMETOOLONG for a path that does not
 * fit in sun_path). */
qemu_json_status qemu_json_io_connect(qemu_json_io *io, const char *path);

/* Open the FIFO pair of a QEMU "pipe" chardev at @base (QEMU reads
 * @base.in and writes @base.out, holding both open itself) and attach it
 * to @io (which must be closed): reads come from @base.out, writes go to
 * @base.in. Non-blocking opens: ENXIO when nothing holds @base.in open (no
 * QEMU), ENAMETOOLONG, ENOENT. Writes never raise SIGPIPE. */
qemu_json_status qemu_json_io_open_pipes(qemu_json_io *io, const char *base);

/* Attach the connected socket @fd to @io (which must be closed), which owns
 * it from now on, and make it blocking (see above) and close-on-exec.
 * QEMU_JSON_ERRNO if fcntl fails (@fd is still attached: close @io). */
qemu_json_status qemu_json_io_adopt(qemu_json_io *io, int fd);

/* Close the socket (or the pipes) and drop buffered bytes. Idempotent. */
void qemu_json_io_close(qemu_json_io *io);

/* Drop buffered bytes but keep the connection (after a resync marker). */
void qemu_json_io_discard(qemu_json_io *io);

/* Write all of @data before @deadline_ms (monotonic ms; < 0: no limit).
 * Never raises SIGPIPE: a closed peer gives QEMU_JSON_EOF. */
qemu_json_status qemu_json_io_write(qemu_json_io *io, const void *data, size_t size,
                                    int64_t deadline_ms);

/* Return the next line, without its "\r\n" or "\n", before @deadline_ms.
 * Bytes of a line not complete at the deadline stay buffered for the next
 * call. @ret_line: (transfer full) free(); written only on QEMU_JSON_OK. */
qemu_json_status qemu_json_io_read_line(qemu_json_io *io, int64_t deadline_ms, char **ret_line);

/* Serialise @obj compactly followed by "\n". (transfer full) free(). */
char *qemu_json_to_line(json_object *obj);

/* Parse one whole line as a JSON object, nesting at most
 * QEMU_JSON_MAX_DEPTH levels. QEMU_JSON_TOO_DEEP if it nests deeper;
 * QEMU_JSON_INVALID if it is not valid JSON, has trailing bytes, or is not
 * an object. @ret_obj: (transfer full) json_object_put(); written only on
 * QEMU_JSON_OK. */
qemu_json_status qemu_json_parse_object(const char *line, json_object **ret_obj);

/* A printable excerpt of @line for error and debug messages: at most
 * @max bytes, non-printable bytes as '?'. (transfer full) free(). */
char *qemu_json_excerpt(const char *line, size_t max);

/* The string member @key of object @o, or NULL when it has none (or one
 * of another type). (transfer none) */
const char *qemu_json_str(json_object *o, const char *key);

#endif /* VIRTPLUG_QEMU_JSON_H */
