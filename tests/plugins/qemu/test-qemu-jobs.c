/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-qemu-jobs.c: calls that wait on a guest, against real QEMU with a
 * firmware-only PC (nothing answers the power button or the agent): they
 * hold no domain lock while they wait, and vp_conn_cancel_jobs() from
 * another thread ends them long before their timeouts. Destroy waits for
 * a brief holder of the domain's lock (no owner record: a watch recording
 * a QMP event) and kills QEMU at once under an operation's, whose record
 * names it in the error of a command that finds the lock busy.
 */
#include <config.h>

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <virtplug/sdk/alloc.h>
#include <virtplug/sdk/services.h>
#include <virtplug/virtplug.h>

#include "qemu-test-util.h"

#define BARE_XML                                                                                   \
    "<domain type='qemu'><name>bare</name><memory unit='MiB'>32</memory><vcpu>1</vcpu>"            \
    "<os><type arch='x86_64' machine='pc'>hvm</type></os><devices>"                                \
    "<channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>"         \
    "</devices></domain>"

typedef struct fixture {
    char *root;
    vp_conn *conn;
} fixture;

static int
setup_with(void **state, const char *params)
{
    fixture *f = vp_new0(fixture, 1);
    f->root = qt_root_new();
    _cleanup_free_ char *uri = qt_uri(f->root, params);
    assert_int_equal(vp_conn_open(uri, 0, &f->conn), 0);
    *state = f;
    return 0;
}

/* Long timeouts for the guest (only a cancel ends the waits in time), a
 * short one for the domain's lock (a call that holds it is seen). */
static int
setup(void **state)
{
    return setup_with(state,
                      "lock_timeout_ms=300&agent_timeout_ms=60000&shutdown_timeout_ms=60000");
}

static int
teardown(void **state)
{
    fixture *f = *state;
    vp_conn_close(f->conn);
    qt_root_destroy(f->root);
    free(f);
    return 0;
}

/* "bare", defined and started. */
static vp_domain *
start_bare(vp_conn *conn)
{
    vp_domain *dom = NULL;
    assert_int_equal(vp_domain_define_xml(conn, BARE_XML, 0, &dom), 0);
    assert_int_equal(vp_domain_start(dom, 0), 0);
    return dom;
}

/* A call of another thread that waits on the guest. */
enum { WAIT_SHUTDOWN, WAIT_GUEST_INFO, WAIT_GET_TIME, WAIT_SUSPEND };
typedef struct waiting_call {
    vp_domain *dom;
    int what; /* WAIT_* */
    int r;
    char msg[512];
} waiting_call;

static void *
run_waiting_call(void *arg)
{
    waiting_call *c = arg;
    char *json = NULL;
    long long sec;
    unsigned int nsec;
    c->r = c->what == WAIT_GUEST_INFO ? vp_domain_get_guest_info(c->dom, 0, &json)
           : c->what == WAIT_GET_TIME ? vp_domain_get_time(c->dom, &sec, &nsec, 0)
           : c->what == WAIT_SUSPEND  ? vp_domain_suspend(c->dom, 0)
                                      : vp_domain_shutdown(c->dom, VP_DOMAIN_SHUTDOWN_WAIT);
    free(json);
    if (c->r < 0)
        snprintf(c->msg, sizeof(c->msg), "%s", vp_error_last()->message);
    return NULL;
}

/* Cancel until the call of @t was cancelled (it may not wait yet). */
static void
cancel_waiting_call(fixture *f, pthread_t t, waiting_call *c)
{
    int n = 0;
    for (int i = 0; i < 1000 && n == 0; i++) {
        n = vp_conn_cancel_jobs(f->conn, 0);
        if (n == 0)
            nanosleep(&(struct timespec){.tv_nsec = 10 * 1000 * 1000}, NULL);
    }
    assert_int_equal(n, 1);
    pthread_join(t, NULL);
    assert_int_equal(c->r, VP_ERR_OPERATION_INVALID);
    if (!strstr(c->msg, "cancelled by vp_conn_cancel_jobs") || !strstr(c->msg, "'bare'"))
        fail_msg("unexpected message: %s", c->msg);
}

/* Suspend and resume, each waiting at most lock_timeout_ms=300 for the
 * domain's lock: they fail while a call holds it. */
static void
assert_lock_free(vp_domain *dom)
{
    nanosleep(&(struct timespec){.tv_nsec = 700 * 1000 * 1000}, NULL);
    assert_int_equal(vp_domain_suspend(dom, 0), 0);
    assert_int_equal(vp_domain_resume(dom, 0), 0);
}

/* A shutdown that waits for a guest that ignores the power button holds
 * no lock: another thread reads the state and suspends and resumes
 * meanwhile, then cancels it; agent commands waiting on a guest without
 * an agent hold no lock either and are cancelled the same way, long
 * before agent_timeout_ms. */
static void
test_waits_unlocked_and_cancelled(void **state)
{
    fixture *f = *state;
    vp_domain *dom = start_bare(f->conn);
    waiting_call c = {.dom = dom, .what = WAIT_SHUTDOWN};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, run_waiting_call, &c), 0);
    /* Past the request (it holds the lock for one QMP command). */
    nanosleep(&(struct timespec){.tv_nsec = 300 * 1000 * 1000}, NULL);
    qt_assert_state(dom, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_BOOTED);
    assert_lock_free(dom);
    qt_assert_state(dom, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_UNPAUSED);
    cancel_waiting_call(f, t, &c);
    qt_assert_state(dom, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_UNPAUSED);

    for (int what = WAIT_GUEST_INFO; what <= WAIT_GET_TIME; what++) {
        waiting_call a = {.dom = dom, .what = what};
        assert_int_equal(pthread_create(&t, NULL, run_waiting_call, &a), 0);
        assert_lock_free(dom);
        cancel_waiting_call(f, t, &a);
    }
    /* Nothing waits now; the connection goes on. */
    assert_int_equal(vp_conn_cancel_jobs(f->conn, 0), 0);
    QT_ASSERT_ERROR(vp_conn_cancel_jobs(f->conn, 1), VP_ERR_INVALID_ARG, "unsupported flags");
    assert_int_equal(vp_domain_destroy(dom, 0), 0);
    vp_domain_free(dom);
}

/* The owner record of "bare"'s lock file, "" when empty. */
static char *
lock_record(const char *root)
{
    _cleanup_free_ char *path = vp_asprintf("%s/run/bare.lock", root);
    char *text = NULL;
    assert_int_equal(vp_plugin_file_read(path, 4096, &text, NULL), 0);
    return text;
}

/* An operation's owner record names it: a suspend that waits on a stopped
 * QEMU (SIGSTOP: its monitor does not greet) holds the lock as "suspend",
 * and a resume that finds the lock busy says so, with this process's pid
 * and the time, instead of "busy with another operation". */
static void
test_busy_names_operation(void **state)
{
    fixture *f = *state;
    vp_domain *dom = start_bare(f->conn);
    pid_t qemu = qt_pid(f->root, "bare");
    assert_true(qemu > 0);
    assert_int_equal(kill(qemu, SIGSTOP), 0);
    waiting_call c = {.dom = dom, .what = WAIT_SUSPEND};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, run_waiting_call, &c), 0);
    _cleanup_free_ char *record = NULL;
    for (int i = 0; i < 500; i++) {
        free(record);
        record = lock_record(f->root);
        if (strstr(record, " suspend "))
            break;
        nanosleep(&(struct timespec){.tv_nsec = 10 * 1000 * 1000}, NULL);
    }
    _cleanup_free_ char *mine = vp_asprintf("%d:", (int)getpid());
    if (strncmp(record, mine, strlen(mine)) != 0 || !strstr(record, " suspend "))
        fail_msg("unexpected owner record: '%s'", record);
    _cleanup_free_ char *busy =
        vp_asprintf("domain 'bare' is busy: suspend by process %d since ", (int)getpid());
    assert_true(vp_domain_resume(dom, 0) < 0);
    if (vp_error_last()->code != VP_ERR_OPERATION_IN_PROGRESS ||
        !strstr(vp_error_last()->message, busy))
        fail_msg("unexpected error: %s", vp_error_last()->message);
    assert_int_equal(kill(qemu, SIGCONT), 0);
    pthread_join(t, NULL);
    if (c.r != 0)
        fail_msg("suspend failed: %s", c.msg);
    _cleanup_free_ char *after = lock_record(f->root);
    assert_string_equal(after, "");
    assert_int_equal(vp_domain_resume(dom, 0), 0);
    assert_int_equal(vp_domain_destroy(dom, 0), 0);
    vp_domain_free(dom);
}

/* A holder of the domain's lock in another thread, as another process's
 * would be (OFD locks of two descriptions exclude each other): a brief one
 * writes nothing into the lock file, an operation its owner record. It
 * holds until QEMU is gone or @hold_ms passed. */
typedef struct holder {
    char *lock_path;
    bool operation;
    pid_t qemu;
    int hold_ms;
    bool ready, qemu_gone_while_held;
    pthread_mutex_t mu;
    pthread_cond_t cond;
} holder;

static void *
hold_lock(void *arg)
{
    holder *h = arg;
    int fd = open(h->lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
    bool locked = fd >= 0 && fcntl(fd, F_OFD_SETLKW, &fl) == 0;
    if (locked && h->operation) {
        vp_plugin_process self;
        char id[VP_PLUGIN_PROCESS_STRLEN];
        if (vp_plugin_process_identify(getpid(), &self) == 0) {
            _cleanup_free_ char *text =
                vp_asprintf("%s operation\n", vp_plugin_process_format(&self, id));
            locked = pwrite(fd, text, strlen(text), 0) == (ssize_t)strlen(text);
        }
    }
    pthread_mutex_lock(&h->mu);
    h->ready = true;
    pthread_cond_signal(&h->cond);
    pthread_mutex_unlock(&h->mu);
    for (int waited = 0; locked && waited < h->hold_ms; waited += 10) {
        if (kill(h->qemu, 0) < 0) {
            h->qemu_gone_while_held = true;
            break;
        }
        nanosleep(&(struct timespec){.tv_nsec = 10 * 1000 * 1000}, NULL);
    }
    if (fd >= 0 && ftruncate(fd, 0) < 0)
        fprintf(stderr, "cannot empty the lock file\n");
    if (fd >= 0)
        close(fd);
    return NULL;
}

static void
count_event(vp_conn *conn, const vp_domain_event *ev, void *opaque)
{
    int *seen = opaque;
    (void)conn;
    if (ev->event == VP_DOMAIN_EVENT_STOPPED)
        seen[ev->detail]++;
}

/* Destroy of "bare" while @h holds its lock; the events it raised here
 * (@stopped counts each stopped detail). */
static void
destroy_while_held(vp_conn *conn, const char *root, holder *h, int *stopped)
{
    vp_domain *dom = start_bare(conn);
    assert_int_equal(vp_conn_event_register(conn, 0, count_event, stopped, NULL, NULL), 0);
    h->lock_path = vp_asprintf("%s/run/bare.lock", root);
    h->qemu = qt_pid(root, "bare");
    assert_true(h->qemu > 0);
    pthread_mutex_init(&h->mu, NULL);
    pthread_cond_init(&h->cond, NULL);
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, hold_lock, h), 0);
    pthread_mutex_lock(&h->mu);
    while (!h->ready)
        pthread_cond_wait(&h->cond, &h->mu);
    pthread_mutex_unlock(&h->mu);
    assert_int_equal(vp_domain_destroy(dom, 0), 0);
    pthread_join(t, NULL);
    qt_assert_state(dom, VP_DOMAIN_SHUTOFF, VP_DOMAIN_SHUTOFF_DESTROYED);
    struct pollfd p = {.fd = vp_conn_event_fd(conn), .events = POLLIN};
    for (int i = 0; i < 10; i++)
        if (poll(&p, 1, 50) == 1)
            assert_true(vp_conn_event_dispatch(conn) >= 0);
    pthread_cond_destroy(&h->cond);
    pthread_mutex_destroy(&h->mu);
    free(h->lock_path);
    vp_domain_free(dom);
}

/* Brief holders (a watch recording a QMP event) hold the lock a few ms:
 * destroy waits for this one (destroy_grace_ms is a minute here), QEMU
 * still runs when it lets go, and the stop is reported as a destroy. */
static void
test_destroy_waits_for_brief_holder(void **state)
{
    fixture *f = *state;
    holder h = {.operation = false, .hold_ms = 300};
    int stopped[8] = {0};
    destroy_while_held(f->conn, f->root, &h, stopped);
    assert_false(h.qemu_gone_while_held);
    assert_int_equal(stopped[VP_DOMAIN_EVENT_STOPPED_DESTROYED], 1);
    assert_int_equal(stopped[VP_DOMAIN_EVENT_STOPPED_SHUTDOWN], 0);
    assert_int_equal(stopped[VP_DOMAIN_EVENT_STOPPED_CRASHED], 0);
}

/* An operation holds the lock (its owner record names a live process):
 * destroy kills QEMU at once, long before destroy_grace_ms (a minute) and
 * before the holder's 30 s, which then lets go as a real operation does
 * when its QEMU vanishes. */
static void
test_destroy_kills_under_operation(void **state)
{
    fixture *f = *state;
    holder h = {.operation = true, .hold_ms = 30000};
    int stopped[8] = {0};
    destroy_while_held(f->conn, f->root, &h, stopped);
    assert_true(h.qemu_gone_while_held);
}

/* A minute of grace: a destroy that waits for it is seen. */
static int
setup_grace(void **state)
{
    return setup_with(state, "destroy_grace_ms=60000&lock_timeout_ms=60000");
}

int
main(int argc, char **argv)
{
    int r = qt_main_start(argc, argv, QEMU_BINARY);
    if (r >= 0)
        return r;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_waits_unlocked_and_cancelled, setup, teardown),
        cmocka_unit_test_setup_teardown(test_busy_names_operation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_destroy_waits_for_brief_holder, setup_grace, teardown),
        cmocka_unit_test_setup_teardown(test_destroy_kills_under_operation, setup_grace, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
