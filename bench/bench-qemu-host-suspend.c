/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * bench-qemu-host-suspend.c: a host suspend that takes care of the guests
 * (issue 20, "Speed"): prepare + restore of 20 running '-machine none'
 * domains with the pause policy, beside a bare QMP client doing stop, then
 * cont, on the same 20 (a fresh connection per command, as the driver's
 * per-domain calls make), measured in the same run. Target: prepare +
 * restore under 100 ms in total.
 *
 * The suspend goes through the whole public path
 * (vp_node_suspend_for_duration with VP_NODE_SUSPEND_GUESTS_PAUSE, delay
 * 0) and the real hostpower-linux plugin against a fake host built here
 * (sysfs back end writing into a tree of regular files; nothing arms this
 * machine's RTC or suspends it). Prepare is the time from the end of the
 * delay to the start of the suspend command (started_us - suspend_at_us of
 * the outcome), restore the time from its end to the request's final
 * record (ended_us to vp_node_suspend_wait() returning). The embed root
 * and the runtime directory are on /dev/shm, as /run is on usual hosts.
 * Every QEMU it starts is destroyed before it exits.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <virtplug/sdk/alloc.h>
#include <virtplug/sdk/services.h>
#include <virtplug/virtplug.h>

#include "bench-common.h"
#include "bench-qemu-util.h"

#define DOMAINS 20
#define ROUNDS 5

static int
fail(const char *what)
{
    const vp_error *e = vp_error_last();
    fprintf(stderr, "bench-qemu-host-suspend: %s: %s\n", what, e ? e->message : "failed");
    return -1;
}

static int
write_file(const char *dir, const char *rel, const char *content)
{
    _cleanup_free_ char *path = vp_asprintf("%s/%s", dir, rel);
    _cleanup_free_ char *parent = vp_strdup(path);
    *strrchr(parent, '/') = '\0';
    if (vp_plugin_mkdir_p(parent, 0755) < 0)
        return fail(parent);
    return vp_plugin_file_write_atomic(path, content, strlen(content), 0644) < 0 ? fail(path) : 0;
}

/* A fake host under @dir; points the environment at it. */
static int
fake_host(const char *dir)
{
    _cleanup_free_ char *conf =
        vp_asprintf("backend = sysfs\nsysfs_root = %s/root\nrtcwake = /bin/true\n"
                    "rtc_dev_dir = %s/dev\npm_is_supported = %s/none\nsuspend_delay_ms = 0\n",
                    dir, dir, dir);
    if (write_file(dir, "root/sys/power/state", "freeze mem disk\n") < 0 ||
        write_file(dir, "root/sys/power/wakeup_count", "7\n") < 0 ||
        write_file(dir, "root/sys/class/rtc/rtc0/wakealarm", "") < 0 ||
        write_file(dir, "root/sys/class/rtc/rtc0/since_epoch", "1700000000\n") < 0 ||
        write_file(dir, "hostpower.conf", conf) < 0 || write_file(dir, "run/.keep", "") < 0)
        return -1;
    _cleanup_free_ char *path = vp_asprintf("%s/hostpower.conf", dir);
    setenv("VIRTPLUG_HOSTPOWER_CONF", path, 1);
    _cleanup_free_ char *run = vp_asprintf("%s/run", dir);
    setenv("VIRTPLUG_RUNTIME_DIR", run, 1);
    return 0;
}

static int
start_domains(vp_conn *conn, vp_domain **doms)
{
    for (int i = 0; i < DOMAINS; i++) {
        _cleanup_free_ char *xml =
            vp_asprintf("<domain type='qemu'><name>d%02d</name><memory unit='MiB'>16</memory>"
                        "<os><type arch='x86_64' machine='none'>hvm</type></os><devices/>"
                        "</domain>",
                        i);
        if (vp_domain_define_xml(conn, xml, 0, &doms[i]) < 0)
            return fail("define");
        if (vp_domain_start(doms[i], 0) < 0)
            return fail("start");
    }
    return 0;
}

/* One suspend with the pause policy: prepare and restore, in ms. */
static int
round_virtplug(vp_conn *conn, double *ret_prepare_ms, double *ret_restore_ms)
{
    if (vp_node_suspend_for_duration(conn, VP_NODE_SUSPEND_TARGET_MEM, 60,
                                     VP_NODE_SUSPEND_GUESTS_PAUSE) < 0)
        return fail("nodesuspend");
    if (vp_node_suspend_wait(conn, 60000) < 0)
        return fail("wait");
    struct timeval tv;
    gettimeofday(&tv, NULL);
    int64_t done_us = (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;
    vp_node_suspend_result res = {.size = sizeof(res)};
    if (vp_node_get_suspend_result(conn, &res) < 0)
        return fail("result");
    if (res.state != VP_NODE_SUSPEND_RESUMED || res.n_guests != DOMAINS ||
        res.guests_state != VP_NODE_SUSPEND_GUESTS_STATE_RESTORED) {
        fprintf(stderr, "bench-qemu-host-suspend: outcome '%s', %u guests, guests '%s': %s\n",
                vp_node_suspend_state_name(res.state), res.n_guests,
                vp_node_suspend_guests_state_name(res.guests_state), res.error_message);
        return -1;
    }
    *ret_prepare_ms = (double)(res.started_us - res.suspend_at_us) / 1000.0;
    *ret_restore_ms = (double)(done_us - res.ended_us) / 1000.0;
    return 0;
}

/* The anchor: connect, stop, close on each domain; then the same with cont. */
static int
round_bare(const char *root, double *ret_ms)
{
    int64_t t0 = bench_now_ns();
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < DOMAINS; i++) {
            _cleanup_free_ char *qmp = vp_asprintf("%s/run/d%02d.qmp", root, i);
            bare_conn c = {.fd = -1, .wfd = -1};
            int r = bare_qmp_open(&c, qmp);
            if (r >= 0)
                r = bare_call(&c, pass ? "{\"execute\":\"cont\"}\n" : "{\"execute\":\"stop\"}\n",
                              pass ? "cont" : "stop");
            bare_close(&c);
            if (r < 0)
                return -1;
        }
    }
    *ret_ms = (double)(bench_now_ns() - t0) / 1e6;
    return 0;
}

static int
measure(vp_conn *conn, const char *root)
{
    double prep[ROUNDS], rest[ROUNDS], total[ROUNDS], bare[ROUNDS];
    for (int r = 0; r < ROUNDS; r++) {
        if (round_virtplug(conn, &prep[r], &rest[r]) < 0 || round_bare(root, &bare[r]) < 0)
            return -1;
        total[r] = prep[r] + rest[r];
    }
    double p = bench_median(prep, ROUNDS), s = bench_median(rest, ROUNDS);
    double t = bench_median(total, ROUNDS), b = bench_median(bare, ROUNDS);
    printf("host suspend with --guests pause, %d running '-machine none' domains, median of %d:\n",
           DOMAINS, ROUNDS);
    printf("  virtplug prepare (lock, record mark, QMP stop)        %8.2f ms\n", p);
    printf("  virtplug restore (cont, record, clock: no agent)      %8.2f ms\n", s);
    printf("  virtplug prepare + restore                            %8.2f ms  (target < 100 ms)\n",
           t);
    printf("  bare QMP client: connect + stop, connect + cont        %8.2f ms  (anchor)\n", b);
    printf("  ratio virtplug / bare                                  %8.2fx\n", t / b);
    return 0;
}

int
main(void)
{
    if (bq_environment() != 0)
        return 0;
    char tmpl[] = "/dev/shm/vp-bench-host-suspend-XXXXXX";
    if (!mkdtemp(tmpl)) {
        perror("bench-qemu-host-suspend: mkdtemp");
        return 1;
    }
    _cleanup_free_ char *host = vp_asprintf("%s/host", tmpl);
    _cleanup_free_ char *root = vp_asprintf("%s/qemu", tmpl);
    int ret = 1;
    vp_conn *conn = NULL;
    vp_domain *doms[DOMAINS] = {0};
    _cleanup_free_ char *uri = vp_asprintf("qemu:///embed?root=%s", root);
    if (fake_host(host) == 0 && vp_plugin_mkdir_p(root, 0700) >= 0 &&
        vp_conn_open(uri, 0, &conn) >= 0 && start_domains(conn, doms) == 0 &&
        measure(conn, root) == 0)
        ret = 0;
    for (int i = 0; i < DOMAINS; i++) {
        if (doms[i]) {
            vp_domain_destroy(doms[i], 0);
            vp_domain_undefine(doms[i], 0);
            vp_domain_free(doms[i]);
        }
    }
    vp_conn_close(conn);
    const char *rm[] = {"/bin/rm", "-rf", tmpl, NULL};
    int st;
    vp_plugin_command_run(rm, 60000, &st, NULL, NULL);
    return ret;
}
