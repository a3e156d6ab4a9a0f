/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * fuzz-qemu-agent.c: libFuzzer target for the guest-agent client's parsing
 * of what an agent sends (plugins/qemu/qemu-agent.c, qemu-json.c).
 *
 * A thread plays the agent: it reads the client's sync request, then sends
 * the input with every "@ID@" replaced by the sync's random id (so the
 * fuzzer can reach the synchronised state), and closes its side. The
 * client synchronises, runs two commands (ids "vp-1", "vp-2") and must
 * return a result or an error, never crash, hang or leak. Seeds are in
 * fuzz/corpus/qemu-agent/, the dictionary in fuzz/qemu-agent.dict.
 */
#include <config.h>

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "qemu-agent.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct peer {
    int fd;
    const uint8_t *data;
    size_t size;
} peer;

/* The sync id in the client's first request, or "0". */
static void
read_sync_id(int fd, char *id, size_t id_size)
{
    char req[512];
    size_t n = 0;
    while (n + 1 < sizeof(req)) {
        ssize_t r = read(fd, req + n, 1);
        if (r <= 0 || req[n] == '\n')
            break;
        n++;
    }
    req[n] = '\0';
    const char *p = strstr(req, "\"id\":");
    snprintf(id, id_size, "%lld", p ? strtoll(p + 5, NULL, 10) : 0LL);
}

static bool
send_all(int fd, const void *data, size_t size)
{
    return size == 0 || send(fd, data, size, MSG_NOSIGNAL) == (ssize_t)size;
}

static void *
play_agent(void *arg)
{
    peer *p = arg;
    char id[32];
    read_sync_id(p->fd, id, sizeof(id));
    /* Send the input in runs between placeholders; MSG_NOSIGNAL because the
     * client may have hung up already. */
    size_t start = 0, i = 0;
    bool ok = true;
    while (ok && i + 4 <= p->size) {
        if (memcmp(p->data + i, "@ID@", 4) != 0) {
            i++;
            continue;
        }
        ok = send_all(p->fd, p->data + start, i - start) && send_all(p->fd, id, strlen(id));
        i += 4;
        start = i;
    }
    if (ok)
        send_all(p->fd, p->data + start, p->size - start);
    shutdown(p->fd, SHUT_WR);
    char sink[4096];
    while (read(p->fd, sink, sizeof(sink)) > 0)
        ;
    return NULL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int sv[2];
    if (size > 16384 || socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
        return 0;
    peer p = {.fd = sv[1], .data = data, .size = size};
    pthread_t t;
    if (pthread_create(&t, NULL, play_agent, &p) != 0) {
        close(sv[0]);
        close(sv[1]);
        return 0;
    }
    qemu_agent *agent = NULL;
    /* The peer closes after the input: waits end at EOF, not at the timeout. */
    if (qemu_agent_open_fd(sv[0], "fuzz", 5000, &agent) == 0) {
        static const char *const commands[] = {"guest-fsfreeze-status", "guest-info"};
        for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
            json_object *ret = NULL;
            if (qemu_agent_command(agent, commands[i], NULL, 5000, &ret) == 0) {
                /* As a debug message would; json-c prints recursively. */
                if (!json_object_to_json_string_ext(ret, JSON_C_TO_STRING_PLAIN))
                    abort();
                json_object_put(ret);
            }
        }
        qemu_agent_close(agent);
    }
    /* The client end is closed by now (the agent owns it, also after a
     * failed open), which ends the peer's drain loop. */
    pthread_join(t, NULL);
    close(sv[1]);
    return 0;
}
