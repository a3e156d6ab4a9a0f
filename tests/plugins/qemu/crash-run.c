/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * crash-run.c: the runner of the crash-injection harness (the scenarios
 * are in test-qemu-crash.c and test-qemu-crash-merge.c; see the former's
 * opening comment for what is checked). It runs real vpsh against a
 * fresh embedded instance per kill, stops it at step N with the driver's
 * test hook (VIRTPLUG_TEST_STOP_AT=N), kills it there, repairs with one
 * ordinary operation, checks the invariants, and runs the verb again.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include <virtplug/sdk/alloc.h>
#include <virtplug/sdk/services.h>
#include <virtplug/virtplug.h>

#include "crash-harness.h"
#include "qemu-test-util.h"

extern char **environ;

/* ---- running vpsh ------------------------------------------------------- */

/* Not a signal: SIGKILL for vpsh and for every QEMU under the root. */
#define KILL_WITH_QEMU (-1)

static const char *
kill_name(int sig)
{
    return sig == SIGKILL ? "SIGKILL" : sig == SIGINT ? "SIGINT" : "SIGKILL of vpsh and QEMU";
}

static void
kill_qemus(const char *root)
{
    pid_t pids[16];
    size_t n = crash_processes_under(root, pids, 16);
    for (size_t i = 0; i < n; i++)
        kill(pids[i], SIGKILL);
    for (size_t i = 0; i < n; i++)
        qt_wait_pid_gone(pids[i], 5000);
}

/* Run vpsh -c URI @args with VIRTPLUG_TEST_STOP_AT=@stop_at (0: none).
 * Returns 1 when it stopped at that step (then killed with @sig; its step
 * name in @ret_step), 0 when it ran to its end (exit status in
 * @ret_status, stderr in @ret_err). */
static int
run_vpsh(const fixture *f, const char *const *args, int stop_at, int sig, char **ret_step,
         int *ret_status, char **ret_err)
{
    _cleanup_free_ char *vpsh = qt_vpsh_path();
    _cleanup_free_ char *err_path = vp_asprintf("%s/vpsh.err", f->root);
    const char *argv[12] = {vpsh, "-c", f->uri};
    size_t n = 3;
    for (size_t i = 0; args[i]; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    size_t ne = 0;
    while (environ[ne])
        ne++;
    char **env = vp_new0(char *, ne + 3);
    size_t k = 0;
    for (size_t i = 0; i < ne; i++) {
        if (strncmp(environ[i], "VIRTPLUG_TEST_STOP_AT=", 22) != 0 &&
            strncmp(environ[i], "VIRTPLUG_DEBUG=", 15) != 0)
            env[k++] = environ[i];
    }
    _cleanup_free_ char *stop = vp_asprintf("VIRTPLUG_TEST_STOP_AT=%d", stop_at);
    env[k++] = stop;
    env[k++] = (char *)"VIRTPLUG_DEBUG=1";
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, err_path, O_WRONLY | O_CREAT | O_TRUNC,
                                     0600);
    /* SIGINT as a terminal's Ctrl-C reaches it: its default action, even
     * when this test was started with SIGINT ignored (a shell's "&"). */
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t def;
    sigemptyset(&def);
    sigaddset(&def, SIGINT);
    posix_spawnattr_setsigdefault(&attr, &def);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF);
    pid_t pid;
    assert_int_equal(posix_spawn(&pid, vpsh, &fa, &attr, (char *const *)argv, env), 0);
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&fa);
    free(env);
    int st;
    assert_int_equal(waitpid(pid, &st, WUNTRACED), pid);
    _cleanup_free_ char *err = NULL;
    vp_plugin_file_read(err_path, 1 << 20, &err, NULL);
    if (WIFSTOPPED(st)) {
        _cleanup_free_ char *needle = vp_asprintf("step %d: ", stop_at);
        const char *p = err ? strstr(err, needle) : NULL;
        assert_non_null(p);
        p += strlen(needle);
        *ret_step = vp_strndup(p, strcspn(p, "\n"));
        kill(pid, sig == KILL_WITH_QEMU ? SIGKILL : sig);
        kill(pid, SIGCONT);
        assert_int_equal(waitpid(pid, &st, 0), pid);
        assert_true(WIFSIGNALED(st));
        if (sig == KILL_WITH_QEMU)
            kill_qemus(f->root);
        return 1;
    }
    assert_true(WIFEXITED(st));
    *ret_status = WEXITSTATUS(st);
    if (ret_err)
        *ret_err = VP_STEAL_PTR(err);
    return 0;
}

/* vpsh @args to its end; its exit status. */
int
crash_vpsh_run(const fixture *f, const char *const *args, char **ret_err)
{
    char *step = NULL;
    int status = -1;
    assert_int_equal(run_vpsh(f, args, 0, 0, &step, &status, ret_err), 0);
    return status;
}

/* ---- the instance ------------------------------------------------------- */

void
crash_write_xml(fixture *f, const char *disk)
{
    _cleanup_free_ char *devices =
        disk ? vp_asprintf("<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
                           "<source file='%s'/><target dev='vda' bus='virtio'/></disk>",
                           disk)
             : vp_strdup("");
    _cleanup_free_ char *xml = vp_asprintf(
        "<domain type='qemu'><name>c</name>"
        "<uuid>6a1c2f2e-8f44-4bfa-9a53-6c5bb1a0c0de</uuid><memory unit='MiB'>32</memory>"
        "<os><type arch='x86_64' machine='%s'>hvm</type></os><devices>%s</devices></domain>",
        disk ? "pc" : "none", devices);
    assert_int_equal(vp_plugin_file_write_atomic(f->xml_path, xml, strlen(xml), 0600), 0);
}

static fixture *
fixture_new(bool diskless)
{
    fixture *f = vp_new0(fixture, 1);
    f->root = qt_root_new();
    f->uri = qt_uri(f->root, "lock_timeout_ms=20000");
    f->xml_path = vp_asprintf("%s/c.xml", f->root);
    if (!diskless) {
        f->disk = vp_asprintf("%s/c.qcow2", f->root);
        assert_int_equal(qt_run_capture((const char *const[]){QEMU_IMG, "create", "-q", "-f",
                                                              "qcow2", f->disk, "16M", NULL},
                                        NULL),
                         0);
        _cleanup_free_ char *io = crash_qemu_io();
        assert_int_equal(
            qt_run_capture(
                (const char *const[]){io, "-f", "qcow2", "-c", BASE_PATTERN, f->disk, NULL}, NULL),
            0);
    }
    crash_write_xml(f, f->disk);
    return f;
}

static void
fixture_free(fixture *f)
{
    kill_qemus(f->root);
    qt_root_destroy(f->root);
    free(f->uri);
    free(f->disk);
    free(f->xml_path);
    free(f);
}

/* Kill vpsh at step @step of @s with @sig, repair with one ordinary
 * operation, check, and run the verb again; or, when the verb has fewer
 * steps, check the run that went to its end. True when it was killed. */
static bool
run_step(const scenario *s, int sig, int step)
{
    fixture *f = fixture_new(s->diskless);
    s->prepare(f);
    const char *args[8];
    size_t n = 0;
    for (size_t i = 0; s->args[i]; i++)
        args[n++] = s->args[i];
    if (strcmp(s->args[0], "define") == 0 || strcmp(s->args[0], "create") == 0 ||
        strcmp(s->args[0], "update-device") == 0 || strcmp(s->args[0], "restore") == 0)
        args[n++] = f->xml_path;
    args[n] = NULL;
    char *name = NULL, *err = NULL;
    int status = -1;
    if (run_vpsh(f, args, step, sig, &name, &status, &err) == 0) {
        if (status != 0)
            fprintf(stderr, "%s: %s\n", s->name, err ? err : "");
        assert_int_equal(status, 0);
        free(err);
        crash_check_invariants(f, s->name);
        if (s->verify)
            s->verify(f, s->name);
        fixture_free(f);
        return false;
    }
    _cleanup_free_ char *when = vp_asprintf("%s, %s at '%s'", s->name, kill_name(sig), name);
    free(name);
    /* The next ordinary operation repairs what the kill left. */
    char *state_err = NULL;
    int st = crash_vpsh_run(f, (const char *const[]){"domstate", "c", NULL}, &state_err);
    if (st != 0 && (!state_err || !strstr(state_err, "no domain named 'c'")))
        fprintf(stderr, "%s: domstate failed: %s\n", when, state_err ? state_err : "");
    assert_true(st == 0 || (state_err && strstr(state_err, "no domain named 'c'")));
    free(state_err);
    crash_check_invariants(f, when);
    if (s->verify)
        s->verify(f, when);
    /* The verb again: done, or refused with a clear error. */
    char *again = NULL;
    st = crash_vpsh_run(f, args, &again);
    if (st != 0 && (!again || !strstr(again, "error: ")))
        fprintf(stderr, "%s: again: %s\n", when, again ? again : "");
    assert_true(st == 0 || (again && strstr(again, "error: ")));
    free(again);
    crash_check_invariants(f, when);
    if (s->verify)
        s->verify(f, when);
    fixture_free(f);
    return true;
}

/* How a kind of kill samples the steps: every @every-th from @first. */
typedef struct {
    const scenario *scenario;
    int first;
    int every;
} sampling;

/* One scenario, killed with @sig at the steps @how samples (each of them
 * when @every is 1), then run to its end. A verb whose steps all come
 * before @first is killed at step 1, so that every kind kills at least
 * once. */
static void
run_scenario(const sampling *how, int sig)
{
    const scenario *s = how->scenario;
    int kills = 0, step = how->first;
    while (run_step(s, sig, step)) {
        kills++;
        step += how->every;
    }
    if (kills == 0 && step > 1 && run_step(s, sig, 1))
        kills++;
    if (how->every == 1)
        fprintf(stderr, "# %s: %d steps, each killed with %s\n", s->name, step - 1, kill_name(sig));
    else
        fprintf(
            stderr,
            "# %s: fewer than %d steps, killed at %d of them (one in %d from step %d) with %s\n",
            s->name, step, kills, how->every, how->first, kill_name(sig));
    assert_true(kills > 0);
}

static void
test_every_step_sigkill(void **state)
{
    run_scenario(*state, SIGKILL);
}

static void
test_every_step_sigint(void **state)
{
    run_scenario(*state, SIGINT);
}

static void
test_every_step_with_qemu(void **state)
{
    run_scenario(*state, KILL_WITH_QEMU);
}

/* VP_CRASH_KILLS: the kinds of kill to run, a comma-separated list of
 * "sigkill", "sigint" and "qemu" (SIGKILL of vpsh and QEMU); unset: all.
 * Sets @ret_run[k] for each kind asked for; false when a word is none of
 * them (said on stderr). */
static bool
kills_asked(bool ret_run[3])
{
    static const char *const words[3] = {"sigkill", "sigint", "qemu"};
    const char *env = secure_getenv("VP_CRASH_KILLS");
    for (size_t k = 0; k < 3; k++)
        ret_run[k] = !env;
    if (!env)
        return true;
    for (const char *p = env; *p;) {
        size_t len = strcspn(p, ",");
        size_t k = 0;
        while (k < 3 && !(strlen(words[k]) == len && strncmp(p, words[k], len) == 0))
            k++;
        if (k == 3) {
            fprintf(stderr, "VP_CRASH_KILLS: '%.*s' is not one of sigkill, sigint, qemu\n",
                    (int)len, p);
            return false;
        }
        ret_run[k] = true;
        p += len + (p[len] == ',');
    }
    return true;
}

/* VP_CRASH_JOBS: how many processes share the tests (default 2; each
 * test gets a fresh instance, so they are independent). Most of a step is
 * waiting for vpsh, QEMU and qemu-img, so two of them keep one core. */
static size_t
crash_jobs(void)
{
    const char *env = secure_getenv("VP_CRASH_JOBS");
    if (!env)
        return 2;
    char *end;
    long j = strtol(env, &end, 10);
    if (*end || j < 1 || j > 16) {
        fprintf(stderr, "VP_CRASH_JOBS: '%s' is not a number from 1 to 16\n", env);
        return 0;
    }
    return (size_t)j;
}

/* VP_CRASH_SAMPLE=N: each kind of kill takes every Nth step (default 1:
 * every step), the kinds staggered (sigkill from step 1, sigint from 2,
 * qemu from 3, modulo N), so that with N no more than the kinds run
 * together they still kill at every step. 0 when it is not a number from
 * 1 to 100 (said on stderr). */
static int
crash_sample(void)
{
    const char *env = secure_getenv("VP_CRASH_SAMPLE");
    if (!env)
        return 1;
    char *end;
    long n = strtol(env, &end, 10);
    if (*end || end == env || n < 1 || n > 100) {
        fprintf(stderr, "VP_CRASH_SAMPLE: '%s' is not a number from 1 to 100\n", env);
        return 0;
    }
    return (int)n;
}

/* Run the @n @tests in @jobs processes, each every @jobs-th of them as a
 * cmocka group of its own; how many processes failed. Their output goes
 * to this process's, a whole line at a time. */
static int
run_shared(const char *group, const struct CMUnitTest *tests, size_t n, size_t jobs)
{
    pid_t pids[16];
    fflush(stdout);
    fflush(stderr);
    for (size_t j = 0; j < jobs; j++) {
        pids[j] = fork();
        assert_true(pids[j] >= 0);
        if (pids[j] > 0)
            continue;
        setvbuf(stdout, NULL, _IOLBF, 0);
        struct CMUnitTest *share = vp_new0(struct CMUnitTest, n);
        size_t m = 0;
        for (size_t i = j; i < n; i += jobs)
            share[m++] = tests[i];
        _cleanup_free_ char *name = vp_asprintf("%s (share %zu of %zu)", group, j + 1, jobs);
        int r = _cmocka_run_group_tests(name, share, m, NULL, NULL);
        free(share);
        fflush(stdout);
        _exit(r == 0 ? 0 : 1);
    }
    int failed = 0;
    for (size_t j = 0; j < jobs; j++) {
        int st;
        assert_int_equal(waitpid(pids[j], &st, 0), pids[j]);
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
            fprintf(stderr, "%s: share %zu of %zu failed\n", group, j + 1, jobs);
            failed++;
        }
    }
    return failed;
}

int
crash_run_scenarios(const char *group, const scenario *scenarios, size_t n_scenarios)
{
    enum { K = 3 };
    size_t N = n_scenarios;
    static const int kills[K] = {SIGKILL, SIGINT, KILL_WITH_QEMU};
    static const CMUnitTestFunction funcs[K] = {test_every_step_sigkill, test_every_step_sigint,
                                                test_every_step_with_qemu};
    bool run_kill[K];
    size_t jobs = crash_jobs();
    int every = crash_sample();
    if (!kills_asked(run_kill) || jobs == 0 || every == 0)
        return 99;
    size_t total = K * N;
    struct CMUnitTest *tests = vp_new0(struct CMUnitTest, total);
    sampling *hows = vp_new0(sampling, total);
    char **names = vp_new0(char *, total);
    for (size_t i = 0; i < N; i++) {
        for (size_t k = 0; k < K; k++) {
            sampling *how = &hows[K * i + k];
            *how = (sampling){&scenarios[i], 1 + (int)k % every, every};
            names[K * i + k] =
                every == 1 ? vp_asprintf("%s, killed at every step by %s", scenarios[i].name,
                                         kill_name(kills[k]))
                           : vp_asprintf("%s, killed at one step in %d from step %d by %s",
                                         scenarios[i].name, every, how->first, kill_name(kills[k]));
            tests[K * i + k] = (struct CMUnitTest){
                .name = names[K * i + k],
                .test_func = funcs[k],
                .initial_state = how,
            };
        }
    }
    /* VP_CRASH_ONLY=TEXT runs only the scenarios whose name holds TEXT. */
    const char *only = secure_getenv("VP_CRASH_ONLY");
    size_t n = 0;
    for (size_t i = 0; i < K * N; i++) {
        if ((!only || strstr(tests[i].name, only)) && run_kill[i % K])
            tests[n++] = tests[i];
    }
    int r = jobs > 1 && n > 1 ? run_shared(group, tests, n, jobs < n ? jobs : n)
                              : _cmocka_run_group_tests(group, tests, n, NULL, NULL);
    for (size_t i = 0; i < K * N; i++)
        free(names[i]);
    free(names);
    free(hows);
    free(tests);
    return r;
}
