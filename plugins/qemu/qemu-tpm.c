/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-tpm.c: the emulated TPM of a domain (<tpm><backend type='emulator'
 * version='2.0'/>), served by swtpm.
 *
 * Owns the swtpm process of a domain and its state. swtpm runs per domain
 * with its state in CONFIG/NAME.tpm (persistent, as the TPM's NVRAM must
 * be) and its control socket at RUNTIME/NAME.swtpm, started with
 * --terminate, so it ends by itself when QEMU, its only client, closes the
 * connection (also when QEMU is killed). Its command line is its record:
 * the swtpm whose --ctrl names this domain's socket is the domain's, so a
 * start killed before QEMU connected leaves one the next operation finds
 * and stops (qemu_tpm_stop from qemu_domain_mark_stopped), and a reused
 * pid is never taken for it. Undefine removes the state directory. The
 * binary is "swtpm" of qemu.conf, else /usr/bin/swtpm (package swtpm).
 */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "qemu-devices.h"
#include "qemu-driver.h"

#define SWTPM_DEFAULT "/usr/bin/swtpm"
#define CTRL_ATTR QEMU_TPM_CTRL_ATTR

static char *
ctrl_arg(const char *ctrl)
{
    return vp_asprintf("type=unixio,path=%s,mode=0600", ctrl);
}

static char *
state_dir(const qemu_driver *drv, const char *domain)
{
    return vp_asprintf("%s/%s.tpm", drv->config_dir, domain);
}

void
qemu_tpm_stop(const qemu_driver *drv, const char *domain)
{
    /* The pidfile is the intent of a start (qemu_tpm_start): without it
     * no swtpm was launched, and /proc need not be read. */
    _cleanup_free_ char *pidfile = qemu_domain_path(drv, domain, ".swtpm.pid");
    if (access(pidfile, F_OK) < 0)
        return;
    _cleanup_free_ char *ctrl = qemu_domain_path(drv, domain, ".swtpm");
    _cleanup_free_ char *arg = ctrl_arg(ctrl);
    _cleanup_free_ pid_t *pids = qemu_process_find_by_arg("--ctrl", arg);
    for (pid_t *p = pids; *p; p++) {
        VP_PLUGIN_DEBUG(QEMU_AREA, "domain '%s': stopping swtpm %d", domain, (int)*p);
        kill(*p, SIGTERM);
    }
    for (pid_t *p = pids; *p; p++) {
        vp_plugin_process proc;
        if (vp_plugin_process_identify(*p, &proc) == 0 && !vp_plugin_process_wait_gone(&proc, 3000))
            vp_plugin_process_signal(&proc, SIGKILL);
    }
    qemu_domain_remove_socket(ctrl, "swtpm control socket");
    unlink(pidfile);
}

int
qemu_tpm_swtpm(const qemu_driver *drv, char **ret_path)
{
    _cleanup_(vp_plugin_conf_freep) vp_plugin_conf *conf = NULL;
    _cleanup_free_ char *conf_path = NULL;
    int r = qemu_conf_load(drv, &conf_path, &conf);
    if (r < 0)
        return r;
    *ret_path = vp_strdup(vp_plugin_conf_get(conf, "swtpm", SWTPM_DEFAULT));
    return 0;
}

int
qemu_tpm_prepare(const qemu_driver *drv, json_object *tree, const char *domain)
{
    json_object *tpm = qemu_tree_kid(tree, "tpm", 0);
    if (!tpm)
        return 0;
    if (qemu_tree_n(tree, "tpm") > 1)
        return vp_plugin_error_set(VP_ERR_NOT_SUPPORTED,
                                   "more than one <tpm> is not supported by the qemu driver");
    _cleanup_free_ char *swtpm = NULL;
    int r = qemu_tpm_swtpm(drv, &swtpm);
    if (r < 0)
        return r;
    if (access(swtpm, X_OK) < 0)
        return vp_plugin_error_set(
            VP_ERR_NOT_SUPPORTED,
            "cannot start domain '%s': <tpm><backend type='emulator'> needs swtpm, and '%s' is not installed (Debian packages swtpm and swtpm-tools)",
            domain, swtpm);
    _cleanup_free_ char *ctrl = qemu_domain_path(drv, domain, ".swtpm");
    json_object_object_add(tpm, "@" CTRL_ATTR, json_object_new_string(ctrl));
    json_object_object_add(tpm, "@vp-swtpm", json_object_new_string(swtpm));
    return 0;
}

int
qemu_tpm_start(const qemu_driver *drv, json_object *tree, const char *domain)
{
    json_object *tpm = qemu_tree_kid(tree, "tpm", 0);
    const char *ctrl = qemu_tree_attr(tpm, CTRL_ATTR), *swtpm = qemu_tree_attr(tpm, "vp-swtpm");
    if (!ctrl || !swtpm)
        return 0;
    qemu_tpm_stop(drv, domain); /* one a killed start left */
    _cleanup_free_ char *dir = state_dir(drv, domain);
    int r = 0;
    if (mkdir(dir, 0700) < 0 && errno != EEXIST)
        return vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno, "cannot create '%s'", dir);
    _cleanup_free_ char *state = vp_asprintf("dir=%s,mode=0600", dir);
    _cleanup_free_ char *arg = ctrl_arg(ctrl);
    _cleanup_free_ char *pidfile = qemu_domain_path(drv, domain, ".swtpm.pid");
    _cleanup_free_ char *log = qemu_domain_path(drv, domain, ".swtpm.log");
    _cleanup_free_ char *pid_arg = vp_asprintf("file=%s", pidfile);
    _cleanup_free_ char *log_arg = vp_asprintf("file=%s", log);
    /* The intent: from here a swtpm may run, and qemu_tpm_stop looks. */
    r = vp_plugin_file_write_atomic(pidfile, "", 0, 0600);
    if (r < 0)
        return r;
    const char *argv[] = {swtpm,   "socket", "--tpmstate",  state,      "--ctrl",
                          arg,     "--tpm2", "--terminate", "--daemon", "--pid",
                          pid_arg, "--log",  log_arg,       NULL};
    int status = -1;
    _cleanup_free_ char *err = NULL;
    r = vp_plugin_command_run(argv, 10000, &status, NULL, &err);
    if (r < 0)
        return r;
    qemu_step("start: swtpm started");
    if (status != 0) {
        _cleanup_free_ char *text = NULL;
        vp_plugin_file_read(log, 4096, &text, NULL);
        return vp_plugin_error_set(VP_ERR_SYSTEM,
                                   "swtpm of domain '%s' failed to start (exit status %d): %s%s",
                                   domain, status, err ? err : "", text ? text : "");
    }
    return 0;
}

void
qemu_tpm_remove_state(const qemu_driver *drv, const char *domain)
{
    _cleanup_free_ char *dir = state_dir(drv, domain);
    DIR *d = opendir(dir);
    struct dirent *e;
    /* Only swtpm's own files: plain files directly in the directory. */
    while (d && (e = readdir(d))) {
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            unlinkat(dirfd(d), e->d_name, 0);
    }
    if (d)
        closedir(d);
    rmdir(dir);
}
