/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * real-qemu.c: real QEMU and qemu-ga processes for client tests (see
 * real-qemu.h).
 *
 * Owns the child processes it starts and their temporary directories. It
 * never leaves a process behind (killed on stop, and on the test's death by
 * PR_SET_PDEATHSIG), and never lets qemu-ga freeze anything.
 */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "real-qemu.h"

static const char *
executable(const char *path)
{
    return path && *path && access(path, X_OK) == 0 ? path : NULL;
}

const char *
real_qemu_binary(void)
{
    return executable(secure_getenv("QEMU_SYSTEM"));
}

const char *
real_qemu_ga_binary(void)
{
    const char *env = secure_getenv("QEMU_GA");
    return executable(env && *env ? env : "/usr/sbin/qemu-ga");
}

static bool
can_connect(const char *path)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof(sa.sun_path))
        return false;
    memcpy(sa.sun_path, path, strlen(path) + 1);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return false;
    bool ok = connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0;
    close(fd);
    return ok;
}

/* Wait until the child listens; a child that exits early fails at once. */
static bool
wait_listening(real_proc *p, const char *path)
{
    for (int i = 0; i < 3000; i++) {
        if (can_connect(path))
            return true;
        if (waitpid(p->pid, NULL, WNOHANG) == p->pid) {
            p->pid = 0;
            return false;
        }
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    return false;
}

static void
child_setup(const char *dir, bool drop_root)
{
    char log[128];
    snprintf(log, sizeof(log), "%s/log", dir);
    int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (fd < 0 || null < 0 || dup2(null, 0) < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
        _exit(127);
    if (drop_root && geteuid() == 0 &&
        (setgroups(0, NULL) < 0 || setresgid(65534, 65534, 65534) < 0 ||
         setresuid(65534, 65534, 65534) < 0))
        _exit(127);
    /* After the credential change, which clears it. */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
}

static bool
spawn(real_proc *p, const char *const *argv, bool drop_root)
{
    p->pid = fork();
    if (p->pid < 0) {
        p->pid = 0;
        return false;
    }
    if (p->pid == 0) {
        child_setup(p->dir, drop_root);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    if (!wait_listening(p, p->socket)) {
        real_proc_stop(p);
        return false;
    }
    return true;
}

static bool
make_dir(real_proc *p, const char *sock)
{
    memset(p, 0, sizeof(*p));
    snprintf(p->dir, sizeof(p->dir), "/tmp/vp-real-qemu-XXXXXX");
    if (!mkdtemp(p->dir))
        return false;
    snprintf(p->socket, sizeof(p->socket), "%s/%s", p->dir, sock);
    return true;
}

static bool
start_qemu(real_proc *p, bool two)
{
    const char *qemu = real_qemu_binary();
    if (!qemu || !make_dir(p, "qmp.sock"))
        return false;
    char qmp[160], qmp2[160];
    snprintf(qmp, sizeof(qmp), "unix:%s,server=on,wait=off", p->socket);
    snprintf(p->socket2, sizeof(p->socket2), "%s/qmp2.sock", p->dir);
    snprintf(qmp2, sizeof(qmp2), "unix:%s,server=on,wait=off", p->socket2);
    const char *argv[] = {qemu,       "-machine", "none", "-nodefaults", "-no-user-config",
                          "-display", "none",     "-qmp", qmp,           two ? "-qmp" : NULL,
                          qmp2,       NULL};
    return spawn(p, argv, false);
}

bool
real_qemu_start(real_proc *p)
{
    return start_qemu(p, false);
}

bool
real_qemu_start2(real_proc *p)
{
    return start_qemu(p, true);
}

bool
real_qemu_ga_start(real_proc *p)
{
    const char *ga = real_qemu_ga_binary();
    if (!ga || !make_dir(p, "qga.sock"))
        return false;
    if (geteuid() == 0 && chown(p->dir, 65534, 65534) < 0)
        return false;
    char pidfile[128];
    snprintf(pidfile, sizeof(pidfile), "%s/qga.pid", p->dir);
    const char *argv[] = {ga,
                          "-m",
                          "unix-listen",
                          "-p",
                          p->socket,
                          "-t",
                          p->dir,
                          "-f",
                          pidfile,
                          "-b",
                          "guest-fsfreeze-freeze,guest-fsfreeze-freeze-list",
                          NULL};
    return spawn(p, argv, true);
}

void
real_proc_kill(real_proc *p)
{
    if (p->pid <= 0)
        return;
    kill(p->pid, SIGKILL);
    while (waitpid(p->pid, NULL, 0) < 0 && errno == EINTR)
        ;
    p->pid = 0;
}

void
real_proc_stop(real_proc *p)
{
    real_proc_kill(p);
    if (!p->dir[0])
        return;
    DIR *d = opendir(p->dir);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            unlinkat(dirfd(d), e->d_name, 0);
    }
    if (d)
        closedir(d);
    rmdir(p->dir);
    p->dir[0] = '\0';
}
