/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * mock-qemu.c: the in-process mock QMP monitor and guest agent (see
 * mock-qemu.h).
 *
 * Owns one server thread, its socket and temporary directory, and the
 * record of what clients sent. It plays QEMU's and qemu-ga's wire
 * behaviour only as far as the clients' tests need; it never touches
 * anything outside its own directory, and a test failure inside it aborts
 * (it is test code, so there is nobody to report an error to).
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "mock-qemu.h"

#define MAX_RULES 32

typedef struct rule {
    char *command;
    mock_qemu_action action;
    char *text;
    int times; /* -1: forever */
    int delay_ms;
} rule;

typedef struct buf {
    char *data;
    size_t len, cap;
} buf;

struct mock_qemu {
    mock_qemu_kind kind;
    char dir[64];
    char path[100];
    int listen_fd, conn_fd, stop_pipe[2];
    pthread_t thread;
    bool started;
    pthread_mutex_t lock; /* guards rules, log, counters, frozen */
    rule rules[MAX_RULES];
    size_t n_rules;
    char *greeting;
    char *on_connect;
    buf in;            /* request bytes not yet served */
    buf out;           /* agent replies written while nobody was connected */
    json_object *late; /* the request being answered late */
    int64_t late_due_ms;
    buf log;
    int connections;
    bool frozen;
};

static void
die(const char *what)
{
    fprintf(stderr, "mock-qemu: %s: %s\n", what, strerror(errno));
    abort();
}

static int64_t
now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
buf_add(buf *b, const char *data, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->data = realloc(b->data, b->cap);
        if (!b->data)
            abort();
    }
    memcpy(b->data + b->len, data, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static void
buf_drop(buf *b, size_t n)
{
    memmove(b->data, b->data + n, b->len - n);
    b->len -= n;
    b->data[b->len] = '\0';
}

/* Send to the client, or keep for the next one (agent only: QEMU's chardev
 * holds guest output until a client connects; a QMP session ends with its
 * connection). */
static void
emit(mock_qemu *m, const char *data, size_t n)
{
    if (m->conn_fd < 0) {
        if (m->kind == MOCK_QEMU_AGENT)
            buf_add(&m->out, data, n);
        return;
    }
    while (n > 0) {
        ssize_t w = send(m->conn_fd, data, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return; /* the client went away; like QEMU, drop it */
        data += w;
        n -= (size_t)w;
    }
}

static void
emit_str(mock_qemu *m, const char *s)
{
    emit(m, s, strlen(s));
}

static void
drop_connection(mock_qemu *m)
{
    if (m->conn_fd >= 0)
        close(m->conn_fd);
    m->conn_fd = -1;
    if (m->kind == MOCK_QEMU_QMP)
        m->in.len = 0;
}

/* A reply line: {"return": @ret} or {"error": ...}, with the request's id. */
static char *
reply_line(json_object *ret, const char *err_class, const char *err_desc, json_object *id,
           bool delimited)
{
    json_object *r = json_object_new_object();
    if (err_class) {
        json_object *e = json_object_new_object();
        json_object_object_add(e, "class", json_object_new_string(err_class));
        json_object_object_add(e, "desc", json_object_new_string(err_desc));
        json_object_object_add(r, "error", e);
    } else {
        json_object_object_add(r, "return", ret ? ret : json_object_new_object());
    }
    if (id)
        json_object_object_add(r, "id", json_object_get(id));
    const char *s = json_object_to_json_string_ext(r, JSON_C_TO_STRING_SPACED);
    size_t n = strlen(s);
    char *line = malloc(n + 4);
    if (!line)
        abort();
    snprintf(line, n + 4, "%s%s\r\n", delimited ? "\xff" : "", s);
    json_object_put(r);
    return line;
}

static const rule *
find_rule(mock_qemu *m, const char *command)
{
    const rule *found = NULL;
    pthread_mutex_lock(&m->lock);
    for (size_t i = 0; i < m->n_rules && !found; i++) {
        rule *r = &m->rules[i];
        if (r->times != 0 && strcmp(r->command, command) == 0) {
            if (r->times > 0)
                r->times--;
            found = r;
        }
    }
    pthread_mutex_unlock(&m->lock);
    return found;
}

static json_object *
agent_answer(mock_qemu *m, const char *cmd, json_object *args, const char **ret_class,
             char **ret_desc)
{
    pthread_mutex_lock(&m->lock);
    json_object *ret = NULL;
    bool was_frozen = m->frozen;
    if (!strcmp(cmd, "guest-sync") || !strcmp(cmd, "guest-sync-delimited")) {
        ret = json_object_get(json_object_object_get(args, "id"));
    } else if (!strcmp(cmd, "guest-fsfreeze-freeze") ||
               !strcmp(cmd, "guest-fsfreeze-freeze-list")) {
        if (was_frozen) {
            *ret_class = "CommandNotFound";
            *ret_desc = strdup(
                "Command guest-fsfreeze-freeze has been disabled: the agent is in frozen state");
        } else {
            m->frozen = true;
            ret = json_object_new_int(1);
        }
    } else if (!strcmp(cmd, "guest-fsfreeze-thaw")) {
        m->frozen = false;
        ret = json_object_new_int(was_frozen ? 1 : 0);
    } else if (!strcmp(cmd, "guest-fsfreeze-status")) {
        ret = json_object_new_string(was_frozen ? "frozen" : "thawed");
    } else if (!strcmp(cmd, "guest-ping")) {
        ret = json_object_new_object();
    } else if (!strcmp(cmd, "guest-info")) {
        ret = json_tokener_parse("{\"version\": \"7.2.22-mock\", \"supported_commands\": []}");
    } else {
        *ret_class = "CommandNotFound";
        if (asprintf(ret_desc, "The command %s has not been found", cmd) < 0)
            abort();
    }
    pthread_mutex_unlock(&m->lock);
    return ret;
}

/* QEMU creates the overlay files of a transaction's actions before it
 * installs them, and leaves them behind when a later action fails. */
static void
create_overlays(json_object *args)
{
    json_object *actions = json_object_object_get(args, "actions");
    for (size_t i = 0; actions && i < json_object_array_length(actions); i++) {
        json_object *data = json_object_object_get(json_object_array_get_idx(actions, i), "data");
        json_object *file = json_object_object_get(data, "snapshot-file");
        if (!file)
            continue;
        int fd = open(json_object_get_string(file), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
        if (fd >= 0)
            close(fd);
    }
}

/* The normal answer to @req. (transfer full) */
static char *
normal_line(mock_qemu *m, json_object *req)
{
    const char *cmd = json_object_get_string(json_object_object_get(req, "execute"));
    json_object *args = json_object_object_get(req, "arguments");
    json_object *id = json_object_object_get(req, "id");
    const char *cls = NULL;
    char *desc = NULL;
    json_object *ret = NULL;
    if (m->kind == MOCK_QEMU_AGENT)
        ret = agent_answer(m, cmd, args, &cls, &desc);
    else if (!strcmp(cmd, "query-status"))
        ret = json_tokener_parse(
            "{\"status\": \"running\", \"singlestep\": false, \"running\": true}");
    else if (!strcmp(cmd, "query-jobs"))
        ret = json_object_new_array();
    if (m->kind == MOCK_QEMU_QMP && !strcmp(cmd, "transaction"))
        create_overlays(args);
    char *line = reply_line(ret, cls, desc, id, !strcmp(cmd, "guest-sync-delimited"));
    free(desc);
    return line;
}

static void
answer_normally(mock_qemu *m, json_object *req)
{
    char *line = normal_line(m, req);
    emit_str(m, line);
    free(line);
}

static void
answer_error(mock_qemu *m, json_object *req, const char *text)
{
    const char *colon = strstr(text, ": ");
    char *cls = colon ? strndup(text, (size_t)(colon - text)) : strdup("GenericError");
    const char *cmd = json_object_get_string(json_object_object_get(req, "execute"));
    if (m->kind == MOCK_QEMU_QMP && !strcmp(cmd, "transaction"))
        create_overlays(json_object_object_get(req, "arguments"));
    char *line =
        reply_line(NULL, cls, colon ? colon + 2 : text, json_object_object_get(req, "id"), false);
    emit_str(m, line);
    free(line);
    free(cls);
}

static const char job_event[] =
    "{\"timestamp\": {\"seconds\": 1, \"microseconds\": 2}, \"event\": \"JOB_STATUS_CHANGE\", "
    "\"data\": {\"status\": \"running\", \"id\": \"j\"}}\r\n";

/* Extras first, then the answer, all in one write: the client must split
 * several messages out of one read. */
static void
answer_with_extras(mock_qemu *m, json_object *req, mock_qemu_action action)
{
    buf b = {0};
    if (action == MOCK_EVENTS_FIRST || action == MOCK_EVENT_FLOOD) {
        for (int i = 0; i < (action == MOCK_EVENT_FLOOD ? 2000 : 3); i++)
            buf_add(&b, job_event, strlen(job_event));
    } else {
        json_object *stale = json_object_new_string("stale-id-0");
        char *line = reply_line(json_object_new_int(1), NULL, NULL, stale, false);
        buf_add(&b, line, strlen(line));
        free(line);
        json_object_put(stale);
    }
    char *line = normal_line(m, req);
    buf_add(&b, line, strlen(line));
    free(line);
    emit(m, b.data, b.len);
    free(b.data);
}

/* The answer in two writes with a pause between: a partial line first. */
static void
answer_split(mock_qemu *m, json_object *req)
{
    char *line = normal_line(m, req);
    size_t n = strlen(line);
    emit(m, line, n / 2);
    struct timespec ts = {0, 50 * 1000 * 1000};
    nanosleep(&ts, NULL);
    emit(m, line + n / 2, n - n / 2);
    free(line);
}

/* {"return": @text} with the request's id. @text goes out as given, not
 * parsed and printed again: a test may send values json-c's default
 * parser refuses (nesting deeper than 32 levels). */
static void
answer_return(mock_qemu *m, json_object *req, const char *text)
{
    json_object *id = json_object_object_get(req, "id");
    char *line = NULL;
    if (asprintf(&line, "{\"return\": %s%s%s}\r\n", text, id ? ", \"id\": " : "",
                 id ? json_object_to_json_string(id) : "") < 0)
        abort();
    emit_str(m, line);
    free(line);
}

static void
record(mock_qemu *m, const char *cmd)
{
    pthread_mutex_lock(&m->lock);
    if (m->log.len)
        buf_add(&m->log, " ", 1);
    buf_add(&m->log, cmd, strlen(cmd));
    pthread_mutex_unlock(&m->lock);
}

static void
serve_request(mock_qemu *m, json_object *req)
{
    const char *cmd = json_object_get_string(json_object_object_get(req, "execute"));
    if (!cmd)
        cmd = "";
    record(m, cmd);
    const rule *r = find_rule(m, cmd);
    mock_qemu_action action = r ? r->action : MOCK_NORMAL;
    switch (action) {
    case MOCK_NORMAL:
        answer_normally(m, req);
        break;
    case MOCK_HANG:
        break;
    case MOCK_GARBAGE:
        emit_str(m, "this is not json }{\r\n");
        break;
    case MOCK_DISCONNECT:
        drop_connection(m);
        break;
    case MOCK_ERROR:
        answer_error(m, req, r->text);
        break;
    case MOCK_LATE:
        m->late = json_object_get(req);
        m->late_due_ms = now_ms() + r->delay_ms;
        break;
    case MOCK_STALE_FIRST:
    case MOCK_EVENTS_FIRST:
    case MOCK_EVENT_FLOOD:
        answer_with_extras(m, req, action);
        break;
    case MOCK_SPLIT:
        answer_split(m, req);
        break;
    case MOCK_PARTIAL_THEN_DISCONNECT: {
        char *line = normal_line(m, req);
        emit(m, line, strlen(line) / 2);
        free(line);
        drop_connection(m);
        break;
    }
    case MOCK_REPLY_THEN_DISCONNECT:
        answer_normally(m, req);
        drop_connection(m);
        break;
    case MOCK_RAW:
        emit_str(m, r->text);
        break;
    case MOCK_RETURN:
        answer_return(m, req, r->text);
        break;
    }
}

/* Serve complete requests in order until none is left or one is pending. */
static void
process_input(mock_qemu *m)
{
    while (!m->late && m->in.len > 0) {
        char *nl = memchr(m->in.data, '\n', m->in.len);
        char *ff = m->kind == MOCK_QEMU_AGENT ? memchr(m->in.data, 0xff, m->in.len) : NULL;
        if (ff && (!nl || ff < nl)) {
            /* qemu-ga 7.2 resets its parser and reports the stray byte. */
            buf_drop(&m->in, (size_t)(ff - m->in.data) + 1);
            emit_str(m, "{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, "
                        "stray '\\uFFFD'\"}}\n");
            continue;
        }
        if (!nl)
            return;
        *nl = '\0';
        json_object *req = json_tokener_parse(m->in.data);
        buf_drop(&m->in, (size_t)(nl - m->in.data) + 1);
        if (req && json_object_is_type(req, json_type_object))
            serve_request(m, req);
        else
            emit_str(
                m,
                "{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error\"}}\r\n");
        json_object_put(req);
    }
}

static void
finish_late(mock_qemu *m)
{
    json_object *req = m->late;
    m->late = NULL;
    answer_normally(m, req);
    json_object_put(req);
}

static void
accept_client(mock_qemu *m)
{
    int fd = accept4(m->listen_fd, NULL, NULL, SOCK_CLOEXEC);
    if (fd < 0)
        return;
    drop_connection(m);
    m->conn_fd = fd;
    pthread_mutex_lock(&m->lock);
    m->connections++;
    pthread_mutex_unlock(&m->lock);
    if (m->kind == MOCK_QEMU_QMP && m->greeting) {
        emit_str(m, m->greeting);
        emit_str(m, "\r\n");
    }
    if (m->on_connect)
        emit_str(m, m->on_connect);
    if (m->out.len) {
        char *held = m->out.data;
        size_t n = m->out.len;
        m->out = (buf){0};
        emit(m, held, n);
        free(held);
    }
}

static void *
serve(void *arg)
{
    mock_qemu *m = arg;
    for (;;) {
        struct pollfd p[3] = {
            {.fd = m->stop_pipe[0], .events = POLLIN},
            {.fd = m->listen_fd, .events = POLLIN},
            {.fd = m->conn_fd, .events = POLLIN},
        };
        int timeout = -1;
        if (m->late) {
            int64_t left = m->late_due_ms - now_ms();
            timeout = left < 0 ? 0 : (int)left;
        }
        if (poll(p, m->conn_fd >= 0 ? 3 : 2, timeout) < 0 && errno != EINTR)
            die("poll");
        if (p[0].revents)
            break;
        /* Read the old connection before accepting a new one, so what a
         * client sent just before it hung up is still served. */
        if (m->conn_fd >= 0 && (p[2].revents & (POLLIN | POLLHUP | POLLERR))) {
            char tmp[4096];
            ssize_t n = recv(m->conn_fd, tmp, sizeof(tmp), 0);
            if (n > 0)
                buf_add(&m->in, tmp, (size_t)n);
            else if (n == 0 || errno != EINTR)
                drop_connection(m);
        }
        if (p[1].revents & POLLIN)
            accept_client(m);
        if (m->late && now_ms() >= m->late_due_ms)
            finish_late(m);
        process_input(m);
    }
    return NULL;
}

mock_qemu *
mock_qemu_start(mock_qemu_kind kind)
{
    mock_qemu *m = calloc(1, sizeof(*m));
    if (!m)
        abort();
    m->kind = kind;
    m->conn_fd = -1;
    pthread_mutex_init(&m->lock, NULL);
    snprintf(m->dir, sizeof(m->dir), "/tmp/vp-mock-qemu-XXXXXX");
    if (!mkdtemp(m->dir))
        die("mkdtemp");
    snprintf(m->path, sizeof(m->path), "%s/%s.sock", m->dir, kind == MOCK_QEMU_QMP ? "qmp" : "qga");
    if (kind == MOCK_QEMU_QMP)
        m->greeting =
            strdup("{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 22, \"minor\": 2, "
                   "\"major\": 7}, \"package\": \"mock\"}, \"capabilities\": [\"oob\"]}}");
    m->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", m->path);
    if (m->listen_fd < 0 || bind(m->listen_fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
        listen(m->listen_fd, 4) < 0)
        die("listen");
    if (pipe2(m->stop_pipe, O_CLOEXEC) < 0)
        die("pipe2");
    return m;
}

const char *
mock_qemu_socket(mock_qemu *m)
{
    /* The thread starts on first use of the path, after the test has set
     * its rules, so the serving thread never reads a half-configured mock. */
    if (!m->started && pthread_create(&m->thread, NULL, serve, m) != 0)
        die("pthread_create");
    m->started = true;
    return m->path;
}

const char *
mock_qemu_dir(const mock_qemu *m)
{
    return m->dir;
}

void
mock_qemu_stop(mock_qemu *m)
{
    if (!m)
        return;
    if (m->started) {
        if (write(m->stop_pipe[1], "x", 1) != 1)
            die("write");
        pthread_join(m->thread, NULL);
    }
    drop_connection(m);
    close(m->listen_fd);
    close(m->stop_pipe[0]);
    close(m->stop_pipe[1]);
    unlink(m->path);
    rmdir(m->dir);
    for (size_t i = 0; i < m->n_rules; i++) {
        free(m->rules[i].command);
        free(m->rules[i].text);
    }
    json_object_put(m->late);
    free(m->greeting);
    free(m->on_connect);
    free(m->in.data);
    free(m->out.data);
    free(m->log.data);
    pthread_mutex_destroy(&m->lock);
    free(m);
}

void
mock_qemu_on(mock_qemu *m, const char *command, mock_qemu_action action, const char *text,
             int times)
{
    pthread_mutex_lock(&m->lock);
    if (m->n_rules == MAX_RULES)
        abort();
    m->rules[m->n_rules++] = (rule){.command = strdup(command),
                                    .action = action,
                                    .text = text ? strdup(text) : NULL,
                                    .times = times};
    pthread_mutex_unlock(&m->lock);
}

void
mock_qemu_on_late(mock_qemu *m, const char *command, int delay_ms, int times)
{
    mock_qemu_on(m, command, MOCK_LATE, NULL, times);
    pthread_mutex_lock(&m->lock);
    m->rules[m->n_rules - 1].delay_ms = delay_ms;
    pthread_mutex_unlock(&m->lock);
}

void
mock_qemu_set_greeting(mock_qemu *m, const char *line)
{
    free(m->greeting);
    m->greeting = line ? strdup(line) : NULL;
}

void
mock_qemu_set_on_connect(mock_qemu *m, const char *bytes)
{
    free(m->on_connect);
    m->on_connect = bytes ? strdup(bytes) : NULL;
}

char *
mock_qemu_log(mock_qemu *m)
{
    pthread_mutex_lock(&m->lock);
    char *s = strdup(m->log.data ? m->log.data : "");
    pthread_mutex_unlock(&m->lock);
    return s;
}

int
mock_qemu_count(mock_qemu *m, const char *command)
{
    char *log = mock_qemu_log(m);
    int n = 0;
    size_t len = strlen(command);
    for (char *p = log; (p = strstr(p, command)); p += len) {
        if ((p == log || p[-1] == ' ') && (p[len] == ' ' || p[len] == '\0'))
            n++;
    }
    free(log);
    return n;
}

bool
mock_qemu_wait_count(mock_qemu *m, const char *command, int count)
{
    int64_t deadline = now_ms() + 30000;
    while (mock_qemu_count(m, command) < count) {
        if (now_ms() > deadline)
            return false;
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    return true;
}

int
mock_qemu_connections(mock_qemu *m)
{
    pthread_mutex_lock(&m->lock);
    int n = m->connections;
    pthread_mutex_unlock(&m->lock);
    return n;
}

bool
mock_qemu_frozen(mock_qemu *m)
{
    pthread_mutex_lock(&m->lock);
    bool f = m->frozen;
    pthread_mutex_unlock(&m->lock);
    return f;
}

void
mock_qemu_set_frozen(mock_qemu *m, bool frozen)
{
    pthread_mutex_lock(&m->lock);
    m->frozen = frozen;
    pthread_mutex_unlock(&m->lock);
}
