/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * mock-qemu.h: an in-process mock QMP monitor or guest agent for tests.
 *
 * A thread serves a unix socket in a private temporary directory and
 * answers like QEMU 7.2 (QMP) or qemu-ga 7.2 (agent), except where a test
 * gives a rule for a command: hang, garbage, disconnect, an error, a late
 * answer, events or a stale reply first, a reply split across writes. It
 * records every request it received, so tests can assert what a client
 * sent (or that it sent nothing).
 *
 * Like the real agent, the agent mock serves requests one at a time and in
 * order: while a late answer is pending, later requests wait. Its replies go
 * to whatever connection is open when they are written, and are kept until
 * the next client connects if none is (QEMU's chardev behaves so), which is
 * how a late freeze reply reaches the next connection. Its file-system
 * freeze state survives reconnects.
 */
#ifndef VIRTPLUG_TESTS_MOCK_QEMU_H
#define VIRTPLUG_TESTS_MOCK_QEMU_H

#include <stdbool.h>

typedef struct mock_qemu mock_qemu;

typedef enum mock_qemu_kind {
    MOCK_QEMU_QMP,   /* greets, echoes ids, answers {} by default */
    MOCK_QEMU_AGENT, /* no greeting; 0xFF gets qemu-ga 7.2's parse-error line */
} mock_qemu_kind;

typedef enum mock_qemu_action {
    MOCK_NORMAL,       /* the default answer (below) */
    MOCK_HANG,         /* never answer this request (later ones are served) */
    MOCK_GARBAGE,      /* answer a line that is not JSON */
    MOCK_DISCONNECT,   /* close the connection without answering */
    MOCK_ERROR,        /* answer an error; text "Class: description" */
    MOCK_LATE,         /* act and answer after delay_ms; requests behind it wait */
    MOCK_STALE_FIRST,  /* first a reply carrying another id, then the answer */
    MOCK_EVENTS_FIRST, /* first 3 events (in the same write), then the answer */
    MOCK_SPLIT,        /* the answer in two writes, the first without newline */
    MOCK_REPLY_THEN_DISCONNECT,
    MOCK_PARTIAL_THEN_DISCONNECT, /* half of the answer, then close */
    MOCK_EVENT_FLOOD,             /* 2000 events, then the answer */
    MOCK_RAW,                     /* write text as is (include the newline) */
    MOCK_RETURN,                  /* answer {"return": text} (text is JSON, sent as is) */
} mock_qemu_action;

/* Start a mock; aborts the test on failure. */
mock_qemu *mock_qemu_start(mock_qemu_kind kind);

/* Stop the thread, remove the socket and directory. NULL-safe. */
void mock_qemu_stop(mock_qemu *m);

/* The socket path (starts serving: set rules first) and the private
 * directory (for overlay files). */
const char *mock_qemu_socket(mock_qemu *m);
const char *mock_qemu_dir(const mock_qemu *m);

/* The next @times requests named @command (-1: all of them) get @action.
 * @text: the error for MOCK_ERROR, the bytes for MOCK_RAW, the JSON value
 * for MOCK_RETURN, else NULL.
 * Rules are tried in the order given. Call before the client connects. */
void mock_qemu_on(mock_qemu *m, const char *command, mock_qemu_action action, const char *text,
                  int times);
void mock_qemu_on_late(mock_qemu *m, const char *command, int delay_ms, int times);

/* QMP: the greeting line (without newline); NULL sends none. */
void mock_qemu_set_greeting(mock_qemu *m, const char *line);

/* Bytes written to each new connection before anything else (stale replies
 * left over from an earlier client). */
void mock_qemu_set_on_connect(mock_qemu *m, const char *bytes);

/* What was received: the command names in order, separated by spaces
 * ("guest-sync-delimited guest-fsfreeze-freeze ..."). (transfer full) free() */
char *mock_qemu_log(mock_qemu *m);
/* How many requests named @command were received. */
int mock_qemu_count(mock_qemu *m, const char *command);
/* Wait (up to 30 s) until @count requests named @command were received. */
bool mock_qemu_wait_count(mock_qemu *m, const char *command, int count);
/* How many connections were accepted. */
int mock_qemu_connections(mock_qemu *m);
/* Agent: whether the mock's file systems are frozen. */
bool mock_qemu_frozen(mock_qemu *m);
/* Agent: start frozen (a freeze left over from an earlier client). */
void mock_qemu_set_frozen(mock_qemu *m, bool frozen);

#endif /* VIRTPLUG_TESTS_MOCK_QEMU_H */
