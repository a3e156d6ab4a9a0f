/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * fuzz-qmp.c: libFuzzer target for the QMP client's parsing of what QEMU
 * sends (plugins/qemu/qemu-monitor.c, qemu-json.c).
 *
 * The input is the whole byte stream from "QEMU": greeting, replies,
 * events, garbage, one message a line. The client reads it from a
 * socketpair with zero timeouts and plays a snapshot's conversation:
 * negotiate (id 1), then the commands of the plan below (ids 2, 3, 4),
 * each followed by a wait for an event, and prints each result as a debug
 * message would. So the replies, events, stale replies and errors in the
 * seeds (fuzz/corpus/qmp/, real QEMU 7.2 streams) and the dictionary
 * (fuzz/qmp.dict) meet the code that handles them. Whatever the bytes, the
 * client must return an error or a result, never crash, hang or leak.
 */
#include <config.h>

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "qemu-monitor.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What the client runs after negotiating, in order; the seeds follow it. */
static const struct step {
    const char *command; /* its id is 2 + its index */
    const char *event;   /* then waited for */
} plan[] = {
    {"query-status", "STOP"},
    {"query-block", "JOB_STATUS_CHANGE"},
    {"query-jobs", "BLOCK_JOB_COMPLETED"},
};

/* Print @obj as the driver's debug messages do: json-c prints recursively,
 * so this also checks a tree as deep as the parser allows can be printed. */
static void
print(json_object *obj)
{
    if (!json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN))
        abort();
}

static void
converse(qemu_monitor *mon)
{
    for (size_t i = 0; i < sizeof(plan) / sizeof(plan[0]); i++) {
        json_object *ret = NULL;
        if (qemu_monitor_command(mon, plan[i].command, NULL, 0, &ret) == 0) {
            print(ret);
            json_object_put(ret);
        }
        json_object *ev = NULL;
        if (qemu_monitor_wait_event(mon, plan[i].event, 0, &ev) == 0) {
            print(ev);
            json_object_put(ev);
        }
    }
    (void)qemu_monitor_last_error_class(mon);
    (void)qemu_monitor_queued_events(mon);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int sv[2];
    /* All of it must fit in the socket buffer: nothing reads the other end
     * concurrently. */
    if (size > 65536 || socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
        return 0;
    if (size > 0 && write(sv[1], data, size) != (ssize_t)size) {
        close(sv[0]);
        close(sv[1]);
        return 0;
    }
    shutdown(sv[1], SHUT_WR);
    qemu_monitor *mon = NULL;
    if (qemu_monitor_open_fd(sv[0], "fuzz", 0, &mon) == 0) {
        converse(mon);
        qemu_monitor_close(mon);
    }
    close(sv[1]);
    return 0;
}
