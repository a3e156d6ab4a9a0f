/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * bsd-fixture.h: a private world of fake BSD commands for one test.
 *
 * A fixture is a fresh directory under /tmp holding a hostpower.conf that
 * points at the fake sysctl, acpiconf, zzz and apm of one flavour
 * (tests/helpers/bsd/FLAVOUR/), the fakes' state directory (sysctl values,
 * overrides, the record of calls) and a runtime directory. It exports
 * VIRTPLUG_HOSTPOWER_CONF, VP_FAKE_BSD_STATE and VIRTPLUG_RUNTIME_DIR.
 */
#ifndef TESTS_BSD_FIXTURE_H
#define TESTS_BSD_FIXTURE_H

#include <stdbool.h>

typedef struct bsd_fixture {
    char *dir;     /* the fixture's root, removed by bsd_fixture_free() */
    char *state;   /* VP_FAKE_BSD_STATE */
    char *conf;    /* VIRTPLUG_HOSTPOWER_CONF */
    char *runtime; /* VIRTPLUG_RUNTIME_DIR */
    char *helpers; /* tests/helpers/bsd/FLAVOUR */
} bsd_fixture;

/* @flavour: "freebsd", "openbsd", "netbsd"; @extra_conf: appended lines or NULL. */
bsd_fixture *bsd_fixture_new(const char *flavour, const char *extra_conf);
void bsd_fixture_free(bsd_fixture *f);
/* Remove the directories of fixtures a failed test left behind; for a
 * cmocka teardown (a failed assertion jumps past the test's own cleanup). */
int bsd_fixture_teardown(void **state);

/* Set the fake sysctl @name to @value. */
void bsd_fixture_sysctl(bsd_fixture *f, const char *name, const char *value);
/* Write the state file @name ("apmd.down", "zzz.exit", "zzz.stderr"). */
void bsd_fixture_state(bsd_fixture *f, const char *name, const char *content);
/* Rewrite hostpower.conf with @extra_conf appended to the flavour's lines. */
void bsd_fixture_write_conf(bsd_fixture *f, const char *flavour, const char *extra_conf);
/* Replace hostpower.conf with exactly @text. */
void bsd_fixture_conf_text(bsd_fixture *f, const char *text);
/* Everything the fakes were asked, one "NAME ARG..." line per call; free(). */
char *bsd_fixture_calls(const bsd_fixture *f);
/* Whether the fakes recorded exactly the line @call. */
bool bsd_fixture_called(const bsd_fixture *f, const char *call);
/* How many recorded calls start with the command @name ("acpiconf"). */
int bsd_fixture_count(const bsd_fixture *f, const char *name);
/* Forget the recorded calls. */
void bsd_fixture_forget_calls(bsd_fixture *f);

#endif /* TESTS_BSD_FIXTURE_H */
