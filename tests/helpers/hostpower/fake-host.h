/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * fake-host.h: a fake Linux host for the hostpower-linux tests.
 *
 * A temporary directory holding a sysfs tree of regular files
 * (root/sys/power/{state,mem_sleep,disk,wakeup_count}, root/sys/class/rtc/rtc0/
 * {wakealarm,since_epoch}), fake commands in bin/ (pm-is-supported,
 * pm-suspend, pm-hibernate, pm-suspend-hybrid, systemctl, rtcwake) and a
 * hostpower.conf pointing every path there. Each fake command appends one
 * line "NAME ARG..." to calls.log (plus "[ALARM]": the wakealarm file's
 * content at that moment), copies the files of root/sys/power to seen/NAME/
 * (what they held when it last ran), prints bin/NAME.stderr to stderr if
 * present and exits with the status in bin/NAME.exit (default 0). Nothing
 * here can reach the real /sys or RTC.
 */
#ifndef VP_TEST_FAKE_HOST_H
#define VP_TEST_FAKE_HOST_H

#include <stdbool.h>

typedef struct hp_fake {
    char *dir;
    char *conf; /* dir/hostpower.conf; VIRTPLUG_HOSTPOWER_CONF points here */
} hp_fake;

/* A fresh fake host whose kernel offers mem, disk and hybrid, with RTC
 * since_epoch 1700000000 and no alarm; conf with backend @backend and
 * @extra_conf lines (may be NULL). Sets VIRTPLUG_HOSTPOWER_CONF. */
hp_fake *hp_fake_new(const char *backend, const char *extra_conf);
void hp_fake_free(hp_fake *fake);

/* Write (create) or remove a file under the fake's directory, "root/sys/power/state". */
void hp_fake_write(hp_fake *fake, const char *rel, const char *content);
void hp_fake_remove(hp_fake *fake, const char *rel);
/* The file's content (transfer full), or NULL when it does not exist. */
char *hp_fake_read(hp_fake *fake, const char *rel);
/* Make fake command @name exit with @status after printing @stderr_text. */
void hp_fake_command_fails(hp_fake *fake, const char *name, int status, const char *stderr_text);
/* calls.log (transfer full); "" when no command ran. */
char *hp_fake_calls(hp_fake *fake);

#endif
