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
#include <time.h>

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
    uint64_t batch; /* the batch of replies this one came in (0: alone) */
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
    /* Corking (under write_lock): the callers answered by one read owe
     * their next frames to one send(); cork counts those that did not
     * send yet, and the frames wait at most until cork_until_ns. */
    unsigned int cork;
    uint64_t cork_batch;
    int64_t cork_until_ns;
    uint64_t frames_sent, sends; /* under write_lock */
    uint64_t frames_read, reads; /* by the holder of the reader role */
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

/* CLOCK_MONOTONIC in nanoseconds: every wait of a connection measures
 * time with it. */
static inline int64_t
remote_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/*
 * Send @msg (remote-conn-send.c). Threads that send at once share one
 * send(): the frame joins those waiting, and the thread that is sending
 * already sends it with them. A call of a caller answered in a batch
 * waits for the other callers of the batch (remote_conn_cork()). A failed
 * send shuts the socket down: the reader then names the cause.
 */
int remote_conn_send_frame(remote_conn *c, const remote_msg *msg);
/* The replies of one read answer @callers callers: when several, they
 * form a batch whose next calls leave in one send(); returns the batch's
 * number for remote_conn_owe(), 0 for none. */
uint64_t remote_conn_cork(remote_conn *c, unsigned int callers);
/* The calling thread's caller came in @batch: its next call is owed to it. */
void remote_conn_owe(const remote_conn *c, uint64_t batch);
/* Send the held calls once their batch's deadline passed; else the
 * nanoseconds left until it (0: no batch open). By the reader before it
 * waits for input. */
int64_t remote_conn_flush_due(remote_conn *c);
/* Send every held frame now (closing). */
void remote_conn_flush(remote_conn *c);

#endif /* VIRTPLUG_REMOTE_CONN_PRIV_H */
