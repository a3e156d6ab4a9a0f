/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * remote-conn-priv.h: the state of a remote connection, shared by the
 * files that implement remote-conn.h (remote-conn.c: calls, reading,
 * keepalive, ssh's end; remote-conn-stream.c: consoles). Nothing else
 * includes it.
 */
#ifndef VIRTPLUG_REMOTE_CONN_PRIV_H
#define VIRTPLUG_REMOTE_CONN_PRIV_H

#include <pthread.h>

#include "remote-argv.h"
#include "remote-conn.h"
#include "remote-ssh.h"
#include "remote-stream.h"

typedef struct pending {
    uint64_t id;
    int64_t sent_ms;     /* silence is counted from here at the earliest */
    pthread_cond_t cond; /* signalled when answered, when the socket is free
                          * to read, or when the connection dies */
    bool done;
    remote_msg reply;
    struct pending *next;
} pending;

/* Who reads the socket (c->reader). */
typedef enum { READER_NONE, READER_CALLER, READER_THREAD } reader_role;

struct remote_conn {
    remote_target *target;
    remote_ssh ssh;
    pthread_t thread;
    int wake[2]; /* a byte wakes the connection's thread from its poll */
    /* The bytes read and not decoded yet: only the holder of the reader
     * role touches them. */
    unsigned char *rbuf;
    size_t rlen, rcap;
    remote_decoder *dec;
    pthread_mutex_t lock;       /* everything below */
    pthread_mutex_t write_lock; /* the frames to send (send_frame()) */
    unsigned char *wbuf;
    size_t wlen, wcap;
    bool writing;
    uint64_t next_id;
    pending *pending;
    reader_role reader;
    bool thread_yield;    /* a caller asked the thread to give the socket up */
    bool eof;             /* the socket ended: the thread reaps ssh */
    bool protocol_error;  /* a frame broke the protocol: ssh is killed */
    bool timed_out;       /* the far side was quiet too long: ssh is killed */
    int64_t last_call_ms; /* when the last call ended */
    bool ready;           /* the handshake ended */
    bool interactive;     /* a terminal: ssh may prompt during the handshake */
    int dead_code;        /* < 0 once the connection is gone */
    char *dead_message;   /* the error every later call gets */
    int64_t last_rx_ms, last_ping_ms;
    bool closing;
    int64_t close_at_ms; /* when closing began */
    char *driver;
    char *far_version;        /* the far library's version, from the handshake */
    int far_proto;            /* the protocol both sides speak: at most ours */
    remote_event_fn on_event; /* event frames go there (remote-events.c) */
    void *on_event_opaque;
    remote_stream_list streams; /* the consoles (protocol 5), by call id */
};

/*
 * Send @msg. Threads that send at once share one send(): the frame joins
 * those waiting, and the thread that is sending already sends it with
 * them. A failed send shuts the socket down: the reader then names the
 * cause.
 */
int remote_conn_send_frame(remote_conn *c, const remote_msg *msg);

#endif /* VIRTPLUG_REMOTE_CONN_PRIV_H */
