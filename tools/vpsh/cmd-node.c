/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * cmd-node.c: the vpsh host-power verbs (nodesuspend, nodesuspend-status,
 * nodesuspend-cancel, nodesuspend-capabilities, capabilities).
 *
 * Owns vpsh's side of a host suspend: the suspend job's thread lives in
 * the calling process, so "vpsh nodesuspend" prints the API's answer at
 * once and then stays until the outcome is known. SIGINT and SIGTERM are
 * blocked before the job's thread exists and taken by a sigwait thread,
 * which cancels the job through the API: no library call ever runs in a
 * signal handler. The policy (limits, lock, delay, record) is the
 * library's; this file never second-guesses it.
 */
#include <config.h>

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <time.h>
#include <unistd.h>

#include "vpsh.h"

#define WAIT_SLICE_MS 200
#define CANCEL_POLL_MS 50
#define CANCEL_WAIT_MS 10000

static bool
state_is_final(int state)
{
    return state == VP_NODE_SUSPEND_RESUMED || state == VP_NODE_SUSPEND_FAILED ||
           state == VP_NODE_SUSPEND_CANCELLED || state == VP_NODE_SUSPEND_ABANDONED ||
           state == VP_NODE_SUSPEND_REQUESTED;
}

static int
get_result(vp_conn *conn, vp_node_suspend_result *ret_res)
{
    vp_node_suspend_result res = {.size = sizeof(res)};
    if (vp_node_get_suspend_result(conn, &res) < 0)
        return vpsh_fail();
    *ret_res = res;
    return 0;
}

static void
json_time(vpsh_json *js, const char *key, int64_t us)
{
    char buf[64];
    _cleanup_free_ char *us_key = vp_asprintf("%s_us", key);
    vpsh_json_string(js, key, us > 0 ? vpsh_time_iso(us, buf, sizeof(buf)) : NULL);
    vpsh_json_int(js, us_key, us);
}

static void
result_json_fields(vpsh_json *js, const vp_node_suspend_result *r)
{
    bool none = r->state == VP_NODE_SUSPEND_NONE;
    vpsh_json_string(js, "state", vp_node_suspend_state_name(r->state));
    vpsh_json_string(js, "target", none ? NULL : vp_node_suspend_target_name(r->target));
    vpsh_json_uint(js, "duration_s", r->duration_s);
    vpsh_json_bool(js, "no_wakeup", r->flags & VP_NODE_SUSPEND_NO_WAKEUP);
    json_time(js, "requested", r->requested_us);
    json_time(js, "suspend_at", r->suspend_at_us);
    json_time(js, "started", r->started_us);
    json_time(js, "ended", r->ended_us);
    json_time(js, "wake_at", r->wake_at_us);
    if (r->pid > 0)
        vpsh_json_int(js, "pid", r->pid);
    else
        vpsh_json_null(js, "pid");
    vpsh_json_string(js, "driver", none ? NULL : r->driver);
    vpsh_json_string(js, "error_code", r->error_code ? vp_error_code_name(r->error_code) : NULL);
    vpsh_json_string(js, "error_message", r->error_message[0] ? r->error_message : NULL);
}

static void
result_json(vpsh_json *js, const char *key, const vp_node_suspend_result *r)
{
    vpsh_json_begin_object(js, key);
    result_json_fields(js, r);
    vpsh_json_end_object(js);
}

static void
result_text(const vp_node_suspend_result *r)
{
    char buf[64];
    vpsh_kv("State", "%s", vp_node_suspend_state_name(r->state));
    if (r->state == VP_NODE_SUSPEND_NONE)
        return;
    const char *target = vp_node_suspend_target_name(r->target);
    vpsh_kv("Target", "%s", target ? target : "-");
    vpsh_kv("Duration", "%llu s%s", (unsigned long long)r->duration_s,
            r->flags & VP_NODE_SUSPEND_NO_WAKEUP ? " (no timed wake-up)" : "");
    vpsh_kv("Requested", "%s", vpsh_time_iso(r->requested_us, buf, sizeof(buf)));
    vpsh_kv("Sleeps at", "%s", vpsh_time_iso(r->suspend_at_us, buf, sizeof(buf)));
    vpsh_kv("Started", "%s", vpsh_time_iso(r->started_us, buf, sizeof(buf)));
    vpsh_kv("Ended", "%s", vpsh_time_iso(r->ended_us, buf, sizeof(buf)));
    vpsh_kv("Wake at", "%s", vpsh_time_iso(r->wake_at_us, buf, sizeof(buf)));
    vpsh_kv("PID", "%lld", (long long)r->pid);
    vpsh_kv("Driver", "%s", r->driver[0] ? r->driver : "-");
    if (r->error_code != 0 || r->error_message[0])
        vpsh_kv("Error", "%s%s%s", r->error_code ? vp_error_code_name(r->error_code) : "",
                r->error_code ? ": " : "", r->error_message);
}

/* What the guests policy did: the domains of the outcome record. */
static void
done_text(unsigned int done, char *buf, size_t size)
{
    buf[0] = '\0';
    for (unsigned int bit = 1; bit < VP_NODE_SUSPEND_GUEST_LAST; bit <<= 1)
        if (done & bit)
            snprintf(buf + strlen(buf), size - strlen(buf), "%s%s", buf[0] ? ", " : "",
                     vp_node_suspend_guest_action_name(bit));
}

static void
guests_json(vpsh_json *js, vp_conn *conn, const vp_node_suspend_result *r)
{
    vp_node_suspend_guest **g = NULL;
    int n = vp_node_get_suspend_guests(conn, 0, &g);
    vpsh_json_begin_object(js, "guests");
    vpsh_json_string(js, "policy", r->guests ? "pause" : "none");
    vpsh_json_string(js, "state", vp_node_suspend_guests_state_name(r->guests_state));
    vpsh_json_begin_array(js, "domains");
    for (int i = 0; i < n; i++) {
        vpsh_json_begin_object(js, NULL);
        vpsh_json_string(js, "name", g[i]->name);
        vpsh_json_begin_array(js, "done");
        for (unsigned int bit = 1; bit < VP_NODE_SUSPEND_GUEST_LAST; bit <<= 1)
            if (g[i]->done & bit)
                vpsh_json_string(js, NULL, vp_node_suspend_guest_action_name(bit));
        vpsh_json_end_array(js);
        vpsh_json_string(js, "error_code",
                         g[i]->error_code ? vp_error_code_name(g[i]->error_code) : NULL);
        vpsh_json_string(js, "message", g[i]->message);
        vpsh_json_end_object(js);
    }
    vpsh_json_end_array(js);
    vpsh_json_end_object(js);
    vp_node_suspend_guests_free(g);
}

static void
guests_text(vp_conn *conn, const vp_node_suspend_result *r)
{
    if (!r->guests)
        return;
    vpsh_kv("Guests", "pause (%s)", vp_node_suspend_guests_state_name(r->guests_state));
    vp_node_suspend_guest **g = NULL;
    int n = vp_node_get_suspend_guests(conn, 0, &g);
    for (int i = 0; i < n; i++) {
        char done[256];
        done_text(g[i]->done, done, sizeof(done));
        _cleanup_free_ char *key = vp_asprintf("Domain %s", g[i]->name);
        vpsh_kv(key, "%s%s%s%s", done, g[i]->message ? " (" : "",
                g[i]->message ? g[i]->message : "", g[i]->message ? ")" : "");
    }
    vp_node_suspend_guests_free(g);
}

static int
parse_target(const vpsh_cmd *cmd, const char *s, unsigned int *ret_target)
{
    for (unsigned int t = 0; t < VP_NODE_SUSPEND_TARGET_LAST; t++)
        if (strcmp(vp_node_suspend_target_name(t), s) == 0) {
            *ret_target = t;
            return 0;
        }
    return vpsh_usage(
        cmd, "unknown suspend target '%s'; use mem, disk, hybrid or suspend-then-hibernate", s);
}

static int
parse_duration(const vpsh_cmd *cmd, const char *s, unsigned long long *ret_duration_s)
{
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (s[0] < '0' || s[0] > '9' || *end != '\0' || errno == ERANGE)
        return vpsh_usage(cmd, "duration '%s' is not a whole number of seconds", s);
    *ret_duration_s = v;
    return 0;
}

/* The sigwait thread: turns SIGINT and SIGTERM into vp_node_suspend_cancel(). */
typedef struct sigwatch {
    vp_conn *conn;
    sigset_t set;
    pthread_t thread;
    atomic_bool stop;
    atomic_int cancelled_by; /* the signal whose cancel succeeded, or 0 */
} sigwatch;

static void *
sigwatch_run(void *p)
{
    sigwatch *w = p;
    for (;;) {
        int sig = 0;
        if (sigwait(&w->set, &sig) != 0 || atomic_load(&w->stop))
            return NULL;
        if (vp_node_suspend_cancel(w->conn, 0) == 0) {
            atomic_store(&w->cancelled_by, sig);
            return NULL;
        }
        vpsh_fail();
    }
}

static void
sigwatch_stop(sigwatch *w)
{
    atomic_store(&w->stop, true);
    pthread_kill(w->thread, SIGTERM);
    pthread_join(w->thread, NULL);
}

static void
print_answer(vpsh_ctx *ctx, const vp_node_suspend_result *r)
{
    char buf[64];
    if (ctx->json)
        return;
    printf("Host suspend to '%s' for %llu s requested\n", vp_node_suspend_target_name(r->target),
           (unsigned long long)r->duration_s);
    vpsh_kv("Requested", "%s", vpsh_time_iso(r->requested_us, buf, sizeof(buf)));
    vpsh_kv("Sleeps at", "%s (Ctrl-C cancels until then)",
            vpsh_time_iso(r->suspend_at_us, buf, sizeof(buf)));
    vpsh_kv("Wakes at", "%s",
            r->wake_at_us > 0 ? vpsh_time_iso(r->wake_at_us, buf, sizeof(buf))
                              : "by another wake source (no timed wake-up)");
    fflush(stdout);
}

/* Wait for the final state, telling the user when the host went to sleep. */
static int
wait_outcome(vpsh_ctx *ctx, vp_node_suspend_result *ret_res)
{
    bool told_sleep = false;
    for (;;) {
        int r = vp_node_suspend_wait(ctx->conn, WAIT_SLICE_MS);
        if (r < 0 && r != VP_ERR_TIMEOUT)
            return vpsh_fail();
        if (get_result(ctx->conn, ret_res) != 0)
            return VPSH_EXIT_FAIL;
        if (r == 0 || state_is_final(ret_res->state))
            return 0;
        if (!ctx->json && !told_sleep && ret_res->state == VP_NODE_SUSPEND_SUSPENDING) {
            char buf[64];
            vpsh_kv("Sleeping since", "%s", vpsh_time_iso(ret_res->started_us, buf, sizeof(buf)));
            fflush(stdout);
            told_sleep = true;
        }
    }
}

static int
outcome_status(vpsh_ctx *ctx, const vp_node_suspend_result *r, int cancelled_by)
{
    char buf[64];
    if (!ctx->json) {
        vpsh_kv("Outcome", "%s", vp_node_suspend_state_name(r->state));
        vpsh_kv("Started", "%s", vpsh_time_iso(r->started_us, buf, sizeof(buf)));
        vpsh_kv("Ended", "%s", vpsh_time_iso(r->ended_us, buf, sizeof(buf)));
    }
    ctx->json_on_failure = true;
    switch (r->state) {
    case VP_NODE_SUSPEND_RESUMED:
    case VP_NODE_SUSPEND_REQUESTED:
        return VPSH_EXIT_OK;
    case VP_NODE_SUSPEND_CANCELLED:
        if (cancelled_by)
            return 128 + cancelled_by;
        return vpsh_failf("the host suspend was cancelled");
    case VP_NODE_SUSPEND_FAILED:
        return vpsh_failf("host suspend failed: %s", r->error_message);
    default:
        return vpsh_failf("host suspend ended in state '%s'", vp_node_suspend_state_name(r->state));
    }
}

/* Request the suspend, print the answer, wait for the outcome. */
static int
run_suspend(vpsh_ctx *ctx, sigwatch *w, unsigned int target, unsigned long long duration_s,
            unsigned int flags)
{
    vp_node_suspend_result answer, outcome;
    if (vp_node_suspend_for_duration(w->conn, target, duration_s, flags) < 0)
        return vpsh_fail();
    if (get_result(w->conn, &answer) != 0)
        return VPSH_EXIT_FAIL;
    print_answer(ctx, &answer);
    if (pthread_create(&w->thread, NULL, sigwatch_run, w) != 0)
        abort();
    int status = wait_outcome(ctx, &outcome);
    sigwatch_stop(w);
    if (status != 0)
        return status;
    if (ctx->json) {
        vpsh_json_begin_object(ctx->js, NULL);
        result_json(ctx->js, "answer", &answer);
        result_json(ctx->js, "outcome", &outcome);
        guests_json(ctx->js, w->conn, &outcome);
        vpsh_json_end_object(ctx->js);
    } else {
        guests_text(w->conn, &outcome);
    }
    return outcome_status(ctx, &outcome, atomic_load(&w->cancelled_by));
}

static int
cmd_nodesuspend(vpsh_ctx *ctx, const vpsh_args *a)
{
    unsigned int target = 0;
    unsigned long long duration_s = 0;
    int status = parse_target(ctx->cmd, a->pos[0], &target);
    if (status == 0)
        status = parse_duration(ctx->cmd, a->pos[1], &duration_s);
    vp_conn *conn;
    if (status != 0 || vpsh_conn(ctx, &conn) != 0)
        return status != 0 ? status : VPSH_EXIT_FAIL;
    unsigned int flags = vpsh_flag(a, "no-wakeup") ? VP_NODE_SUSPEND_NO_WAKEUP : 0;
    const char *guests = vpsh_opt_value(a, "guests");
    if (guests && strcmp(guests, "pause") == 0)
        flags |= VP_NODE_SUSPEND_GUESTS_PAUSE;
    else if (guests && strcmp(guests, "none") == 0)
        flags |= VP_NODE_SUSPEND_GUESTS_NONE;
    else if (guests)
        return vpsh_usage(ctx->cmd, "unknown guests policy '%s'; use pause or none", guests);
    if (vpsh_flag(a, "guests-strict"))
        flags |= VP_NODE_SUSPEND_GUESTS_STRICT;
    /* Block the signals before the job's thread starts, so only the
     * sigwait thread ever receives them. */
    sigwatch w = {.conn = conn};
    sigset_t old_mask;
    sigemptyset(&w.set);
    sigaddset(&w.set, SIGINT);
    sigaddset(&w.set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &w.set, &old_mask);
    status = run_suspend(ctx, &w, target, duration_s, flags);
    /* A second Ctrl-C pressed while waiting must not kill the commands
     * that follow in a ';' sequence: drop what is pending, then unblock. */
    struct timespec zero = {0, 0};
    while (sigtimedwait(&w.set, NULL, &zero) > 0)
        ;
    pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
    return status;
}

static int
cmd_nodesuspend_status(vpsh_ctx *ctx, const vpsh_args *a)
{
    vp_conn *conn;
    vp_node_suspend_result r;
    if (vpsh_conn(ctx, &conn) != 0 || get_result(conn, &r) != 0)
        return VPSH_EXIT_FAIL;
    if (ctx->json) {
        vpsh_json_begin_object(ctx->js, NULL);
        result_json_fields(ctx->js, &r);
        guests_json(ctx->js, conn, &r);
        vpsh_json_end_object(ctx->js);
    } else {
        result_text(&r);
        guests_text(conn, &r);
    }
    return VPSH_EXIT_OK;
}

/* Whether @pid runs vpsh, which cancels its own suspend on SIGTERM. */
static bool
pid_is_vpsh(int64_t pid)
{
    char path[64], comm[32] = "";
    snprintf(path, sizeof(path), "/proc/%lld/comm", (long long)pid);
    FILE *f = fopen(path, "re");
    if (!f)
        return false;
    bool read = fgets(comm, sizeof(comm), f) != NULL;
    fclose(f);
    comm[strcspn(comm, "\n")] = '\0';
    return read && (strcmp(comm, "vpsh") == 0 || strcmp(comm, "lt-vpsh") == 0);
}

/* The library cancels only a suspend of the calling process. One that
 * another vpsh waits on is cancelled by that vpsh, on SIGTERM; then its
 * record says so. */
static int
cancel_other(vp_conn *conn, vp_node_suspend_result *ret_res)
{
    vp_node_suspend_result r;
    if (get_result(conn, &r) != 0)
        return VPSH_EXIT_FAIL;
    long long pid = (long long)r.pid;
    if (r.state == VP_NODE_SUSPEND_NONE)
        return vpsh_failf("no host suspend has been requested; there is nothing to cancel");
    if (r.state != VP_NODE_SUSPEND_PENDING)
        return vpsh_failf("no host suspend is waiting to start (the last one is %s)",
                          vp_node_suspend_state_name(r.state));
    if (!pid_is_vpsh(r.pid))
        return vpsh_failf("the host suspend is pending in process %lld, not vpsh; cancel it there",
                          pid);
    if (kill((pid_t)r.pid, SIGTERM) != 0)
        return vpsh_failf("cannot ask vpsh process %lld to cancel its host suspend: %s", pid,
                          strerror(errno));
    struct timespec slice = {0, CANCEL_POLL_MS * 1000000L};
    for (int waited = 0; waited < CANCEL_WAIT_MS && !state_is_final(r.state);
         waited += CANCEL_POLL_MS) {
        nanosleep(&slice, NULL);
        if (get_result(conn, &r) != 0)
            return VPSH_EXIT_FAIL;
    }
    if (r.state != VP_NODE_SUSPEND_CANCELLED)
        return vpsh_failf("vpsh process %lld did not cancel its host suspend; it is %s", pid,
                          vp_node_suspend_state_name(r.state));
    *ret_res = r;
    return 0;
}

static int
cmd_nodesuspend_cancel(vpsh_ctx *ctx, const vpsh_args *a)
{
    vp_conn *conn;
    vp_node_suspend_result r = {.size = sizeof(r)};
    if (vpsh_conn(ctx, &conn) != 0)
        return VPSH_EXIT_FAIL;
    int ret = vp_node_suspend_cancel(conn, 0);
    if (ret == VP_ERR_OPERATION_INVALID && cancel_other(conn, &r) != 0)
        return VPSH_EXIT_FAIL;
    if (ret < 0 && ret != VP_ERR_OPERATION_INVALID)
        return vpsh_fail();
    if (ret == 0 && get_result(conn, &r) != 0)
        return VPSH_EXIT_FAIL;
    if (ctx->json) {
        result_json(ctx->js, NULL, &r);
    } else {
        printf("Host suspend cancelled\n");
        result_text(&r);
    }
    return VPSH_EXIT_OK;
}

/* nodesuspend-capabilities: the host-power view, one target a line. */
static int
cmd_suspend_capabilities(vpsh_ctx *ctx, const vpsh_args *a)
{
    vp_conn *conn;
    unsigned int targets;
    if (vpsh_conn(ctx, &conn) != 0)
        return VPSH_EXIT_FAIL;
    if (vp_node_get_suspend_capabilities(conn, &targets) < 0)
        return vpsh_fail();
    if (ctx->json) {
        vpsh_json_begin_object(ctx->js, NULL);
        vpsh_json_string(ctx->js, "driver", vp_conn_get_driver_name(conn));
        vpsh_json_begin_array(ctx->js, "suspend_targets");
    }
    for (unsigned int t = 0; t < VP_NODE_SUSPEND_TARGET_LAST; t++) {
        if (!(targets & (1u << t)))
            continue;
        if (ctx->json)
            vpsh_json_string(ctx->js, NULL, vp_node_suspend_target_name(t));
        else
            printf("%s\n", vp_node_suspend_target_name(t));
    }
    if (ctx->json) {
        vpsh_json_end_array(ctx->js);
        vpsh_json_end_object(ctx->js);
    }
    return VPSH_EXIT_OK;
}

/* capabilities: libvirt's <capabilities> XML, as virsh prints it (one
 * more newline after it). */
static int
cmd_capabilities(vpsh_ctx *ctx, const vpsh_args *a)
{
    vp_conn *conn;
    if (vpsh_conn(ctx, &conn) != 0)
        return VPSH_EXIT_FAIL;
    _cleanup_free_ char *xml = NULL;
    if (vp_conn_get_capabilities(conn, 0, &xml) < 0)
        return vpsh_fail();
    if (ctx->json) {
        vpsh_json_begin_object(ctx->js, NULL);
        vpsh_json_string(ctx->js, "capabilities", xml);
        vpsh_json_end_object(ctx->js);
    } else {
        printf("%s\n", xml);
    }
    return VPSH_EXIT_OK;
}

static const vpsh_opt nodesuspend_opts[] = {
    {"no-wakeup", NULL, false, "arm no wake alarm (DURATION may then be 0)", NULL},
    {"guests", "POLICY", false,
     "pause: pause running domains, resume them and set their clocks after; none: leave them",
     NULL},
    {"guests-strict", NULL, false, "fail when a domain cannot be paused", NULL},
    {NULL, NULL, false, NULL, NULL},
};

/* virsh's nodeinfo: libvirt's virNodeInfo, one "%-20s %s" line each. */
static int
cmd_nodeinfo(vpsh_ctx *ctx, const vpsh_args *a)
{
    vp_conn *conn;
    if (vpsh_conn(ctx, &conn) != 0)
        return VPSH_EXIT_FAIL;
    vp_node_info n = {.size = sizeof(n)};
    if (vp_node_get_info(conn, &n) < 0)
        return vpsh_fail();
    if (ctx->json) {
        vpsh_json_begin_object(ctx->js, NULL);
        vpsh_json_string(ctx->js, "cpu_model", n.model);
        vpsh_json_uint(ctx->js, "cpus", n.cpus);
        vpsh_json_uint(ctx->js, "mhz", n.mhz);
        vpsh_json_uint(ctx->js, "sockets", n.sockets);
        vpsh_json_uint(ctx->js, "cores_per_socket", n.cores);
        vpsh_json_uint(ctx->js, "threads_per_core", n.threads);
        vpsh_json_uint(ctx->js, "numa_cells", n.nodes);
        vpsh_json_uint(ctx->js, "memory_kib", n.memory_kib);
        vpsh_json_end_object(ctx->js);
        return VPSH_EXIT_OK;
    }
    printf("%-20s %s\n", "CPU model:", n.model);
    printf("%-20s %u\n", "CPU(s):", n.cpus);
    printf("%-20s %u MHz\n", "CPU frequency:", n.mhz);
    printf("%-20s %u\n", "CPU socket(s):", n.sockets);
    printf("%-20s %u\n", "Core(s) per socket:", n.cores);
    printf("%-20s %u\n", "Thread(s) per core:", n.threads);
    printf("%-20s %u\n", "NUMA cell(s):", n.nodes);
    printf("%-20s %llu KiB\n", "Memory size:", (unsigned long long)n.memory_kib);
    return VPSH_EXIT_OK;
}

static int
cmd_hostname(vpsh_ctx *ctx, const vpsh_args *a)
{
    vp_conn *conn;
    if (vpsh_conn(ctx, &conn) != 0)
        return VPSH_EXIT_FAIL;
    _cleanup_free_ char *name = NULL;
    if (vp_conn_get_hostname(conn, &name) < 0)
        return vpsh_fail();
    if (ctx->json) {
        vpsh_json_begin_object(ctx->js, NULL);
        vpsh_json_string(ctx->js, "hostname", name);
        vpsh_json_end_object(ctx->js);
    } else {
        printf("%s\n", name);
    }
    return VPSH_EXIT_OK;
}

const vpsh_cmd vpsh_node_cmds[] = {
    {"nodeinfo", "", "show the host's CPUs and memory", NULL, 0, 0, cmd_nodeinfo, NULL, 0},
    {"hostname", "", "print the host's name", NULL, 0, 0, cmd_hostname, NULL, 0},
    {"nodesuspend", "TARGET DURATION", "suspend the host (mem, disk, hybrid) for DURATION s",
     nodesuspend_opts, 2, 2, cmd_nodesuspend, "target duration", VPSH_CMD_MUTATES},
    {"nodesuspend-status", "", "show the outcome of the host's last suspend request", NULL, 0, 0,
     cmd_nodesuspend_status, NULL, 0},
    {"nodesuspend-cancel", "", "cancel a host suspend that is still in its delay", NULL, 0, 0,
     cmd_nodesuspend_cancel, NULL, VPSH_CMD_MUTATES},
    {"nodesuspend-capabilities", "", "list the suspend targets the host supports", NULL, 0, 0,
     cmd_suspend_capabilities, NULL, 0},
    {"capabilities", "", "print the host and guest capabilities as libvirt's XML", NULL, 0, 0,
     cmd_capabilities, NULL, 0},
    {NULL, NULL, NULL, NULL, 0, 0, NULL, NULL, 0},
};
