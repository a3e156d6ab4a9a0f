/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-test-util.c: shared helpers of the QEMU driver tests (see the
 * header). It kills only processes whose pid this test recorded under its
 * own root, and only when /proc says they are QEMU.
 */
#include <config.h>

#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <virtplug/sdk/alloc.h>

#include "qemu-test-util.h"

extern char **environ;

char *
qt_root_new(void)
{
    char *root = vp_strdup("/tmp/vp-qemu-test-XXXXXX");
    assert_non_null(mkdtemp(root));
    return root;
}

char *
qt_uri(const char *root, const char *extra)
{
    return extra ? vp_asprintf("qemu:///embed?root=%s&%s", root, extra)
                 : vp_asprintf("qemu:///embed?root=%s", root);
}

qt_root_conn *
qt_root_conn_open(const char *extra)
{
    qt_root_conn *f = vp_new0(qt_root_conn, 1);
    f->root = qt_root_new();
    _cleanup_free_ char *uri = qt_uri(f->root, extra);
    int r = vp_conn_open(uri, 0, &f->conn);
    if (r < 0)
        fail_msg("cannot open '%s': %s", uri, vp_error_last()->message);
    return f;
}

void
qt_root_conn_close(qt_root_conn *f)
{
    if (!f)
        return;
    vp_conn_close(f->conn);
    qt_root_destroy(f->root);
    free(f);
}

static pid_t
pid_from_file(const char *path)
{
    FILE *f = fopen(path, "re");
    if (!f)
        return -1;
    long pid = -1;
    if (fscanf(f, "%ld", &pid) != 1)
        pid = -1;
    fclose(f);
    return (pid_t)pid;
}

pid_t
qt_pid(const char *root, const char *name)
{
    _cleanup_free_ char *path = vp_asprintf("%s/run/%s.pid", root, name);
    return pid_from_file(path);
}

bool
qt_run_file_exists(const char *root, const char *name, const char *suffix)
{
    _cleanup_free_ char *path = vp_asprintf("%s/run/%s%s", root, name, suffix);
    return access(path, F_OK) == 0;
}

static bool
pid_alive(pid_t pid)
{
    _cleanup_free_ char *path = vp_asprintf("/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "re");
    if (!f)
        return false;
    char buf[512];
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *p = strrchr(buf, ')');
    if (!p || p[1] != ' ' || p[2] == 'X')
        return false;
    if (p[2] != 'Z')
        return true;
    /* A zombie leader whose other threads still exit (a killed QEMU
     * tearing its guest down) still holds its files: not gone yet, as the
     * driver judges it (vp_plugin_process_is_alive()). */
    _cleanup_free_ char *status_path = vp_asprintf("/proc/%d/status", (int)pid);
    f = fopen(status_path, "re");
    if (!f)
        return false;
    char line[256];
    long threads = 0;
    while (fgets(line, sizeof(line), f))
        if (strncmp(line, "Threads:", 8) == 0)
            threads = strtol(line + 8, NULL, 10);
    fclose(f);
    return threads > 1;
}

bool
qt_wait_pid_gone(pid_t pid, int timeout_ms)
{
    for (int waited = 0; pid_alive(pid); waited += 20) {
        if (waited >= timeout_ms)
            return false;
        struct timespec ts = {.tv_nsec = 20 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    return true;
}

static bool
is_qemu(pid_t pid)
{
    _cleanup_free_ char *path = vp_asprintf("/proc/%d/cmdline", (int)pid);
    FILE *f = fopen(path, "re");
    if (!f)
        return false;
    char buf[256] = "";
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    return strstr(buf, "qemu-system") != NULL;
}

static void
kill_from(const char *path)
{
    pid_t pid = pid_from_file(path);
    if (pid > 0 && is_qemu(pid)) {
        kill(pid, SIGKILL);
        qt_wait_pid_gone(pid, 5000);
    }
}

static int
rm_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    return remove(path);
}

void
qt_root_destroy(char *root)
{
    if (!root)
        return;
    _cleanup_free_ char *run = vp_asprintf("%s/run", root);
    DIR *d = opendir(run);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d))) {
            size_t len = strlen(e->d_name);
            if (len > 4 && strcmp(e->d_name + len - 4, ".pid") == 0) {
                _cleanup_free_ char *p = vp_asprintf("%s/%s", run, e->d_name);
                kill_from(p);
            }
        }
        closedir(d);
    }
    nftw(root, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(root);
}

const char *qt_self = "/proc/self/exe";

/* Whether @entry ("NAME=...") sets a name that one of @env sets. */
static bool
env_replaced(const char *entry, const char *const *env)
{
    for (size_t i = 0; env && env[i]; i++) {
        size_t len = strcspn(env[i], "=") + 1;
        if (strncmp(entry, env[i], len) == 0)
            return true;
    }
    return false;
}

char *
qt_vpsh_path(void)
{
    const char *direct = secure_getenv("VP_VPSH");
    if (direct && *direct)
        return vp_strdup(direct);
    const char *top = secure_getenv("VP_TOP_BUILDDIR");
    assert_non_null(top);
    return vp_asprintf("%s/tools/vpsh/vpsh", top);
}

pid_t
qt_vpsh_spawn(const char *root, const char *const *args, int fd, const char *file,
              const char *const *env)
{
    _cleanup_free_ char *path = qt_vpsh_path();
    _cleanup_free_ char *uri = qt_uri(root, NULL);
    const char *argv[12] = {path, "-c", uri};
    size_t n = 3;
    for (size_t i = 0; args[i]; i++) {
        assert_true(n < 11);
        argv[n++] = args[i];
    }
    argv[n] = NULL;
    size_t ne = 0, ns = 0;
    while (environ[ne])
        ne++;
    while (env && env[ns])
        ns++;
    _cleanup_free_ char **envp = vp_new0(char *, ne + ns + 1);
    size_t k = 0;
    for (size_t i = 0; i < ne; i++)
        if (!env_replaced(environ[i], env))
            envp[k++] = environ[i];
    for (size_t i = 0; i < ns; i++)
        envp[k++] = (char *)env[i];
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, fd, file, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    pid_t pid;
    assert_int_equal(posix_spawn(&pid, path, &fa, NULL, (char *const *)argv, envp), 0);
    posix_spawn_file_actions_destroy(&fa);
    return pid;
}

int
qt_run_self(const char *const *args)
{
    size_t n = 0;
    while (args[n])
        n++;
    char **argv = vp_new0(char *, n + 2);
    argv[0] = (char *)qt_self;
    for (size_t i = 0; i < n; i++)
        argv[i + 1] = (char *)args[i];
    pid_t pid;
    int r = posix_spawn(&pid, argv[0], NULL, NULL, argv, environ);
    free(argv);
    if (r != 0)
        return -1;
    int st;
    if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st))
        return -1;
    return WEXITSTATUS(st);
}

int
qt_child_main(int argc, char **argv)
{
    bool start = argc == 4 && strcmp(argv[1], "child-start") == 0;
    if (argc != 4 || (!start && strcmp(argv[1], "child-state") != 0))
        return 100;
    vp_conn *conn = NULL;
    vp_domain *dom = NULL;
    int state = -1, reason = -1;
    if (vp_conn_open(argv[2], 0, &conn) < 0 || vp_domain_lookup_by_name(conn, argv[3], &dom) < 0 ||
        (start && vp_domain_start(dom, 0) < 0) ||
        vp_domain_get_state(dom, &state, &reason, 0) < 0) {
        const vp_error *e = vp_error_last();
        fprintf(stderr, "child: %s\n", e ? e->message : "?");
        state = 10; /* 100 + reason: an error */
    }
    vp_domain_free(dom);
    vp_conn_close(conn);
    return state * 10 + reason;
}

void
qt_assert_state(vp_domain *dom, int state, int reason)
{
    int s = -1, why = -1;
    assert_int_equal(vp_domain_get_state(dom, &s, &why, 0), 0);
    assert_int_equal(s, state);
    assert_int_equal(why, reason);
}

int
qt_main_start(int argc, char **argv, const char *qemu)
{
    qt_self = argv[0];
    if (argc > 1)
        return qt_child_main(argc, argv);
    if (access(qemu, X_OK) < 0) {
        fprintf(stderr, "SKIP: '%s' is not installed (Debian package qemu-system-x86)\n", qemu);
        return 77;
    }
    return -1;
}

int
qt_run_capture(const char *const *argv, char **ret_out)
{
    int pipefd[2];
    if (pipe(pipefd) < 0)
        return -1;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, pipefd[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&fa, pipefd[0]);
    pid_t pid;
    int r = posix_spawn(&pid, argv[0], &fa, NULL, (char *const *)argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(pipefd[1]);
    if (r != 0) {
        close(pipefd[0]);
        return -1;
    }
    size_t len = 0, cap = 4096;
    char *out = vp_new0(char, cap);
    ssize_t n;
    while ((n = read(pipefd[0], out + len, cap - len - 1)) > 0) {
        len += (size_t)n;
        if (cap - len < 1024) {
            cap *= 2;
            out = vp_renew(char, out, cap);
        }
    }
    for (size_t i = 0; i < len; i++)
        if (out[i] == '\0')
            out[i] = '.';
    out[len] = '\0';
    close(pipefd[0]);
    int st;
    if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st)) {
        free(out);
        return -1;
    }
    if (ret_out)
        *ret_out = out;
    else
        free(out);
    return WEXITSTATUS(st);
}

void
qt_kill_at_step(const char *const *argv, int step)
{
    extern char **environ;
    size_t ne = 0;
    while (environ[ne])
        ne++;
    char **env = vp_new0(char *, ne + 2);
    memcpy(env, environ, ne * sizeof(char *));
    char stop[64];
    snprintf(stop, sizeof(stop), "VIRTPLUG_TEST_STOP_AT=%d", step);
    env[ne] = stop;
    pid_t pid;
    assert_int_equal(posix_spawn(&pid, argv[0], NULL, NULL, (char *const *)argv, env), 0);
    free(env);
    int st;
    assert_int_equal(waitpid(pid, &st, WUNTRACED), pid);
    assert_true(WIFSTOPPED(st));
    kill(pid, SIGKILL);
    kill(pid, SIGCONT);
    assert_int_equal(waitpid(pid, &st, 0), pid);
}

int
qt_netns_enter(void)
{
    if (unshare(CLONE_NEWNET) < 0) {
        fprintf(stderr, "SKIP: cannot make a network namespace (root needed)\n");
        return 77;
    }
    if (access(QT_IP, X_OK) < 0 || access("/dev/net/tun", R_OK | W_OK) < 0) {
        fprintf(stderr, "SKIP: '%s' or /dev/net/tun is missing\n", QT_IP);
        return 77;
    }
    return 0;
}

long long
qt_events_seen_size(const char *root, const char *name)
{
    _cleanup_free_ char *path = vp_asprintf("%s/run/%s.events-seen", root, name);
    FILE *fp = fopen(path, "r");
    long long pid, start, size = -1;
    if (fp && fscanf(fp, "%lld %lld %lld", &pid, &start, &size) != 3)
        size = -1;
    if (fp)
        fclose(fp);
    return size;
}
