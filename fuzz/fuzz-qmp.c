/*
 * fuzz-qmp.c: libFuzzer target for the QMP client's parsing of what QEMU
 * sends (plugins/qemu/qemu-monitor.c, qemu-json.c).
 *
 * The input is the whole byte stream from "QEMU": greeting, replies,
 * events, garbage. The client reads it from a socketpair with zero
 * timeouts, negotiates, runs one command and waits for one event. Whatever
 * the bytes, it must return an error or a result, never crash, hang or leak.
 */
#include <config.h>

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <unistd.h>

#include "qemu-monitor.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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
        json_object *ret = NULL;
        if (qemu_monitor_command(mon, "query-status", NULL, 0, &ret) == 0)
            json_object_put(ret);
        json_object *ev = NULL;
        if (qemu_monitor_wait_event(mon, "STOP", 0, &ev) == 0)
            json_object_put(ev);
        qemu_monitor_close(mon);
    }
    close(sv[1]);
    return 0;
}
