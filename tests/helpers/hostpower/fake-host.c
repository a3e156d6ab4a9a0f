/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * fake-host.c: a fake Linux host for the hostpower-linux tests (see fake-host.h).
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <virtplug/sdk/alloc.h>
#include <virtplug/sdk/services.h>

#include "fake-host.h"
#include "hp-tmp.h"

static const char fake_command[] =
    "#!/bin/sh\n"
    "d=$(dirname \"$0\"); n=$(basename \"$0\"); top=$(dirname \"$d\")\n"
    "{ printf '%s' \"$n\"; for a in \"$@\"; do printf ' %s' \"$a\"; done\n"
    "  printf ' [%s]\\n' \"$(cat \"$top/root/sys/class/rtc/rtc0/wakealarm\" 2>/dev/null)\"\n"
    "} >> \"$top/calls.log\"\n"
    "mkdir -p \"$top/seen/$n\" && cp \"$top\"/root/sys/power/* \"$top/seen/$n/\" 2>/dev/null\n"
    "[ -f \"$d/$n.stderr\" ] && cat \"$d/$n.stderr\" >&2\n"
    "[ -f \"$d/$n.exit\" ] && exit \"$(cat \"$d/$n.exit\")\"\n"
    "exit 0\n";

static const char *const commands[] = {
    "pm-is-supported", "pm-suspend", "pm-hibernate", "pm-suspend-hybrid", "systemctl",
    "rtcwake",         NULL};

static void
mkdirs(const char *path)
{
    assert_int_equal(vp_plugin_mkdir_p(path, 0755), 0);
}

void
hp_fake_write(hp_fake *fake, const char *rel, const char *content)
{
    _cleanup_free_ char *path = vp_asprintf("%s/%s", fake->dir, rel);
    _cleanup_free_ char *parent = vp_strdup(path);
    *strrchr(parent, '/') = '\0';
    mkdirs(parent);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(content, f);
    assert_int_equal(fclose(f), 0);
}

void
hp_fake_remove(hp_fake *fake, const char *rel)
{
    _cleanup_free_ char *path = vp_asprintf("%s/%s", fake->dir, rel);
    assert_true(remove(path) == 0 || errno == ENOENT);
}

char *
hp_fake_read(hp_fake *fake, const char *rel)
{
    _cleanup_free_ char *path = vp_asprintf("%s/%s", fake->dir, rel);
    char *data = NULL;
    if (access(path, F_OK) < 0)
        return NULL;
    assert_int_equal(vp_plugin_file_read(path, 1 << 20, &data, NULL), 0);
    return data;
}

char *
hp_fake_calls(hp_fake *fake)
{
    char *calls = hp_fake_read(fake, "calls.log");
    return calls ? calls : vp_strdup("");
}

void
hp_fake_command_fails(hp_fake *fake, const char *name, int status, const char *stderr_text)
{
    _cleanup_free_ char *exit_rel = vp_asprintf("bin/%s.exit", name);
    _cleanup_free_ char *err_rel = vp_asprintf("bin/%s.stderr", name);
    _cleanup_free_ char *st = vp_asprintf("%d\n", status);
    hp_fake_write(fake, exit_rel, st);
    hp_fake_write(fake, err_rel, stderr_text);
}

static void
fake_tree(hp_fake *fake)
{
    hp_fake_write(fake, "root/sys/power/state", "freeze mem disk\n");
    hp_fake_write(fake, "root/sys/power/mem_sleep", "s2idle [deep]\n");
    hp_fake_write(fake, "root/sys/power/disk", "[platform] shutdown reboot suspend test_resume\n");
    hp_fake_write(fake, "root/sys/power/wakeup_count", "42\n");
    hp_fake_write(fake, "root/sys/class/rtc/rtc0/wakealarm", "");
    hp_fake_write(fake, "root/sys/class/rtc/rtc0/since_epoch", "1700000000\n");
    _cleanup_free_ char *dev = vp_asprintf("%s/dev", fake->dir);
    mkdirs(dev);
    for (size_t i = 0; commands[i]; i++) {
        _cleanup_free_ char *rel = vp_asprintf("bin/%s", commands[i]);
        hp_fake_write(fake, rel, fake_command);
        _cleanup_free_ char *path = vp_asprintf("%s/%s", fake->dir, rel);
        assert_int_equal(chmod(path, 0755), 0);
    }
}

hp_fake *
hp_fake_new(const char *backend, const char *extra_conf)
{
    hp_fake *fake = vp_new0(hp_fake, 1);
    fake->dir = hp_tmpdir_new();
    fake->conf = vp_asprintf("%s/hostpower.conf", fake->dir);
    fake_tree(fake);
    const char *d = fake->dir;
    _cleanup_free_ char *conf = vp_asprintf(
        "# written by tests/helpers/hostpower/fake-host.c\n"
        "backend = %s\nsysfs_root = %s/root\n"
        "pm_is_supported = %s/bin/pm-is-supported\npm_suspend = %s/bin/pm-suspend\n"
        "pm_hibernate = %s/bin/pm-hibernate\npm_suspend_hybrid = %s/bin/pm-suspend-hybrid\n"
        "systemctl = %s/bin/systemctl\nrtcwake = %s/bin/rtcwake\n"
        "rtc_dev_dir = %s/dev\nsystemd_booted_dir = %s/run/systemd/system\n%s",
        backend, d, d, d, d, d, d, d, d, d, extra_conf ? extra_conf : "");
    hp_fake_write(fake, "hostpower.conf", conf);
    setenv("VIRTPLUG_HOSTPOWER_CONF", fake->conf, 1);
    return fake;
}

void
hp_fake_free(hp_fake *fake)
{
    if (!fake)
        return;
    hp_tmpdir_free(fake->dir);
    free(fake->conf);
    setenv("VIRTPLUG_HOSTPOWER_CONF", "/nonexistent/hostpower.conf", 1);
    free(fake);
}
