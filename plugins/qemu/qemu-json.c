/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-json.c: line-framed JSON I/O for the QMP and guest-agent clients.
 *
 * Owns the socket of one connection and its read buffer: connect, write
 * with a deadline, split the byte stream into lines with a deadline, and
 * parse a line into a JSON object. It never sets an error message and never
 * interprets a message: the clients decide what a line means and what to
 * tell the user. Every wait is bounded by a deadline and every message by
 * limits on its length and nesting; nothing blocks, nothing grows without
 * bound.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <virtplug/sdk/alloc.h>

#include "qemu-json.h"

int64_t
qemu_json_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Milliseconds left until @deadline_ms for poll(): -1 for no deadline. */
static int
poll_timeout(int64_t deadline_ms)
{
    if (deadline_ms < 0)
        return -1;
    int64_t left = deadline_ms - qemu_json_now_ms();
    if (left <= 0)
        return 0;
    return left > 3600000 ? 3600000 : (int)left;
}

/* Wait until @fd is ready for @events, or the deadline passes, or (when
 * @io has one) its cancel descriptor is readable. */
static qemu_json_status
wait_fd(const qemu_json_io *io, int fd, short events, int64_t deadline_ms)
{
    for (;;) {
        struct pollfd p[2] = {{.fd = fd, .events = events},
                              {.fd = io->has_cancel ? io->cancel_fd : -1, .events = POLLIN}};
        int n = poll(p, io->has_cancel ? 2 : 1, poll_timeout(deadline_ms));
        if (n > 0 && p[1].revents)
            return QEMU_JSON_CANCELLED;
        if (n > 0)
            return QEMU_JSON_OK;
        if (n == 0)
            return QEMU_JSON_TIMEOUT;
        if (errno != EINTR)
            return QEMU_JSON_ERRNO;
    }
}

qemu_json_status
qemu_json_io_connect(qemu_json_io *io, const char *path)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    size_t n = strlen(path);
    if (n >= sizeof(sa.sun_path)) {
        errno = ENAMETOOLONG;
        return QEMU_JSON_ERRNO;
    }
    memcpy(sa.sun_path, path, n + 1);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0)
        return QEMU_JSON_ERRNO;
    /* A unix connect either succeeds at once or fails (EAGAIN when the
     * backlog is full, which the caller reports like any refusal). */
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || fcntl(fd, F_SETFL, 0) < 0) {
        int e = errno;
        close(fd);
        errno = e;
        return QEMU_JSON_ERRNO;
    }
    qemu_json_io_close(io);
    io->fd = fd;
    io->rcvtimeo_ms = 0;
    return QEMU_JSON_OK;
}

qemu_json_status
qemu_json_io_open_pipes(qemu_json_io *io, const char *base)
{
    char in[PATH_MAX], out[PATH_MAX];
    if (snprintf(in, sizeof(in), "%s.in", base) >= (int)sizeof(in) ||
        snprintf(out, sizeof(out), "%s.out", base) >= (int)sizeof(out)) {
        errno = ENAMETOOLONG;
        return QEMU_JSON_ERRNO;
    }
    /* The read end first: opening a FIFO to read never waits. The write
     * end fails with ENXIO unless a reader (QEMU) holds it open. */
    int rfd = open(out, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (rfd < 0)
        return QEMU_JSON_ERRNO;
    int wfd = open(in, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    if (wfd < 0) {
        int e = errno;
        close(rfd);
        errno = e;
        return QEMU_JSON_ERRNO;
    }
    qemu_json_io_close(io);
    io->fd = rfd;
    io->wfd = wfd;
    io->pipes = true;
    io->rcvtimeo_ms = 0;
    return QEMU_JSON_OK;
}

qemu_json_status
qemu_json_io_adopt(qemu_json_io *io, int fd)
{
    io->fd = fd;
    io->rcvtimeo_ms = -1; /* unknown: set before the first blocking read */
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0 || fcntl(fd, F_SETFD, FD_CLOEXEC) < 0)
        return QEMU_JSON_ERRNO;
    return QEMU_JSON_OK;
}

void
qemu_json_io_close(qemu_json_io *io)
{
    if (io->fd >= 0)
        close(io->fd);
    if (io->pipes && io->wfd >= 0)
        close(io->wfd);
    io->fd = io->wfd = -1;
    io->pipes = false;
    free(io->buf);
    io->buf = NULL;
    io->len = io->cap = io->scanned = 0;
}

void
qemu_json_io_discard(qemu_json_io *io)
{
    io->len = io->scanned = 0;
}

/* write() to a FIFO whose reader is gone raises SIGPIPE: block it in this
 * thread around the write, and take a SIGPIPE the write raised before
 * unblocking, so the process never sees one. */
static ssize_t
pipe_write(int fd, const void *data, size_t size)
{
    sigset_t pipe_set, old;
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
    ssize_t n = write(fd, data, size);
    int e = errno;
    if (n < 0 && e == EPIPE) {
        static const struct timespec zero = {0, 0};
        while (sigtimedwait(&pipe_set, NULL, &zero) < 0 && errno == EINTR)
            ;
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    errno = e;
    return n;
}

qemu_json_status
qemu_json_io_write(qemu_json_io *io, const void *data, size_t size, int64_t deadline_ms)
{
    const char *p = data;
    if (io->fd < 0)
        return QEMU_JSON_EOF;
    int fd = io->pipes ? io->wfd : io->fd;
    while (size > 0) {
        ssize_t n =
            io->pipes ? pipe_write(fd, p, size) : send(fd, p, size, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n >= 0) {
            p += n;
            size -= (size_t)n;
            continue;
        }
        if (errno == EPIPE || errno == ECONNRESET)
            return QEMU_JSON_EOF;
        if (errno == EINTR)
            continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK)
            return QEMU_JSON_ERRNO;
        qemu_json_status st = wait_fd(io, fd, POLLOUT, deadline_ms);
        if (st != QEMU_JSON_OK)
            return st;
    }
    return QEMU_JSON_OK;
}

/* Hand out the first complete line in the buffer, if there is one. Bytes
 * already searched are not searched again, so a long line arriving in many
 * reads costs linear time, not quadratic. */
static bool
take_line(qemu_json_io *io, char **ret_line)
{
    char *nl =
        io->len > io->scanned ? memchr(io->buf + io->scanned, '\n', io->len - io->scanned) : NULL;
    if (!nl) {
        io->scanned = io->len;
        return false;
    }
    io->scanned = 0;
    size_t used = (size_t)(nl - io->buf) + 1;
    size_t n = used - 1;
    if (n > 0 && io->buf[n - 1] == '\r')
        n--;
    *ret_line = vp_strndup(io->buf, n);
    memmove(io->buf, io->buf + used, io->len - used);
    io->len -= used;
    return true;
}

/* Make a blocking recv() return by @deadline_ms: true when the socket's
 * SO_RCVTIMEO already ends no later than the deadline, else set it to the
 * time left. The same timeout serves every command of a connection, so the
 * option is set once or twice per connection, not once per reply. */
static bool
bound_recv(qemu_json_io *io, int64_t deadline_ms)
{
    int64_t left = deadline_ms < 0 ? 0 : deadline_ms - qemu_json_now_ms();
    if (deadline_ms >= 0 && left <= 0)
        return false;
    if (deadline_ms < 0 ? io->rcvtimeo_ms == 0 : io->rcvtimeo_ms > 0 && io->rcvtimeo_ms <= left)
        return true;
    struct timeval tv = {.tv_sec = left / 1000, .tv_usec = (left % 1000) * 1000};
    if (setsockopt(io->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0)
        return false;
    io->rcvtimeo_ms = left;
    return true;
}

/* Read what the socket has into the buffer; OK when at least one byte came.
 * A caller here has consumed every buffered line, so the answer is usually
 * not there yet: block in recv() (bounded by SO_RCVTIMEO, see bound_recv),
 * one system call where poll + recv would be two. When the receive timeout
 * ends early (it was set for a longer deadline that has since moved), or
 * cannot be set, wait the rest with poll. */
static qemu_json_status
fill(qemu_json_io *io, int64_t deadline_ms)
{
    if (io->len + 4096 + 1 > io->cap) {
        io->cap = io->cap ? io->cap * 2 : 8192;
        io->buf = vp_renew(char, io->buf, io->cap);
    }
    for (;;) {
        int flags = 0;
        if (io->pipes) {
            /* A FIFO has no receive timeout: poll, then read what is there. */
            qemu_json_status st = wait_fd(io, io->fd, POLLIN, deadline_ms);
            if (st != QEMU_JSON_OK)
                return st;
            ssize_t n = read(io->fd, io->buf + io->len, io->cap - io->len - 1);
            if (n > 0) {
                io->len += (size_t)n;
                return QEMU_JSON_OK;
            }
            if (n == 0)
                return QEMU_JSON_EOF;
            if (errno != EINTR && errno != EAGAIN)
                return QEMU_JSON_ERRNO;
            continue;
        }
        if (io->has_cancel || !bound_recv(io, deadline_ms)) {
            qemu_json_status st = wait_fd(io, io->fd, POLLIN, deadline_ms);
            if (st != QEMU_JSON_OK)
                return st;
            flags = MSG_DONTWAIT;
        }
        ssize_t n = recv(io->fd, io->buf + io->len, io->cap - io->len - 1, flags);
        if (n > 0) {
            io->len += (size_t)n;
            return QEMU_JSON_OK;
        }
        if (n == 0 || errno == ECONNRESET)
            return QEMU_JSON_EOF;
        if (errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK)
            return QEMU_JSON_ERRNO;
        if (deadline_ms >= 0 && qemu_json_now_ms() >= deadline_ms)
            return QEMU_JSON_TIMEOUT;
    }
}

qemu_json_status
qemu_json_io_read_line(qemu_json_io *io, int64_t deadline_ms, char **ret_line)
{
    if (io->fd < 0)
        return QEMU_JSON_EOF;
    for (;;) {
        if (take_line(io, ret_line))
            return QEMU_JSON_OK;
        if (io->len >= QEMU_JSON_MAX_LINE)
            return QEMU_JSON_TOO_LONG;
        qemu_json_status st = fill(io, deadline_ms);
        if (st != QEMU_JSON_OK)
            return st;
    }
}

char *
qemu_json_to_line(json_object *obj)
{
    /* json-c prints any depth (it recurses, with no limit to hit); NULL
     * means it could not allocate its buffer. */
    const char *s = json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN);
    if (!s)
        abort();
    return vp_asprintf("%s\n", s);
}

qemu_json_status
qemu_json_parse_object(const char *line, json_object **ret_obj)
{
    json_tokener *tok = json_tokener_new_ex(QEMU_JSON_MAX_DEPTH);
    if (!tok)
        abort();
    size_t n = strlen(line);
    json_object *obj = json_tokener_parse_ex(tok, line, (int)n);
    enum json_tokener_error err = json_tokener_get_error(tok);
    bool ok = obj && err == json_tokener_success;
    if (ok) {
        /* Only whitespace may follow the object. */
        for (size_t i = json_tokener_get_parse_end(tok); i < n && ok; i++)
            ok = line[i] == ' ' || line[i] == '\t' || line[i] == '\r';
    }
    json_tokener_free(tok);
    if (!ok || !json_object_is_type(obj, json_type_object)) {
        json_object_put(obj);
        return err == json_tokener_error_depth ? QEMU_JSON_TOO_DEEP : QEMU_JSON_INVALID;
    }
    *ret_obj = obj;
    return QEMU_JSON_OK;
}

char *
qemu_json_excerpt(const char *line, size_t max)
{
    size_t n = strlen(line);
    bool cut = n > max;
    if (cut)
        n = max;
    char *s = vp_new0(char, n + 4);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)line[i];
        s[i] = c >= 0x20 && c < 0x7f && c != '\'' ? (char)c : '?';
    }
    if (cut)
        memcpy(s + n, "...", 4);
    return s;
}

const char *
qemu_json_str(json_object *o, const char *key)
{
    json_object *v;
    return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string)
               ? json_object_get_string(v)
               : NULL;
}
