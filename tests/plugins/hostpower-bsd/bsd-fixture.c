/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * bsd-fixture.c: the fake-BSD world of one test (see bsd-fixture.h).
 *
 * Owns the fixture's temporary directory and everything in it. It never
 * points a configuration at a real system command.
 */
#define _GNU_SOURCE
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <virtplug/sdk/alloc.h>

#include "bsd-fixture.h"

/* The fixtures not yet freed, so a teardown can remove their directories. */
#define LIVE_MAX 8
static bsd_fixture *live[LIVE_MAX];

static void
write_file(const char *path, const char *content)
{
    FILE *fp = fopen(path, "w");
    if (!fp)
        abort();
    fputs(content, fp);
    if (fclose(fp) != 0)
        abort();
}

/* Whether @extra sets @key itself (a key may appear only once). */
static bool
conf_sets(const char *extra, const char *key)
{
    _cleanup_free_ char *prefix = vp_asprintf("%s =", key);
    size_t n = strlen(prefix);
    for (const char *p = extra; p && *p;) {
        if (strncmp(p, prefix, n) == 0)
            return true;
        const char *nl = strchr(p, '\n');
        p = nl ? nl + 1 : NULL;
    }
    return false;
}

void
bsd_fixture_write_conf(bsd_fixture *f, const char *flavour, const char *extra_conf)
{
    static const char *const commands[] = {"sysctl", "acpiconf", "zzz", "apm"};
    const char *top = secure_getenv("VP_TOP_SRCDIR");
    free(f->helpers);
    f->helpers = vp_asprintf("%s/tests/helpers/bsd/%s", top ? top : ".", flavour);
    char *text = vp_asprintf("# written by bsd-fixture.c\nos = %s\n", flavour);
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
        if (conf_sets(extra_conf, commands[i]))
            continue;
        char *more = vp_asprintf("%s%s = %s/%s\n", text, commands[i], f->helpers, commands[i]);
        free(text);
        text = more;
    }
    _cleanup_free_ char *all = vp_asprintf("%s%s", text, extra_conf ? extra_conf : "");
    free(text);
    write_file(f->conf, all);
}

void
bsd_fixture_conf_text(bsd_fixture *f, const char *text)
{
    write_file(f->conf, text);
}

bsd_fixture *
bsd_fixture_new(const char *flavour, const char *extra_conf)
{
    bsd_fixture *f = vp_new0(bsd_fixture, 1);
    char tmpl[] = "/tmp/vp-test-bsd-XXXXXX";
    if (!mkdtemp(tmpl))
        abort();
    f->dir = vp_strdup(tmpl);
    f->state = vp_asprintf("%s/state", f->dir);
    f->conf = vp_asprintf("%s/hostpower.conf", f->dir);
    f->runtime = vp_asprintf("%s/run", f->dir);
    _cleanup_free_ char *sysctl_dir = vp_asprintf("%s/sysctl", f->state);
    if (mkdir(f->state, 0700) < 0 || mkdir(sysctl_dir, 0700) < 0 || mkdir(f->runtime, 0700) < 0)
        abort();
    bsd_fixture_write_conf(f, flavour, extra_conf);
    for (size_t i = 0; i < LIVE_MAX; i++) {
        if (!live[i]) {
            live[i] = f;
            break;
        }
    }
    setenv("VP_FAKE_BSD_STATE", f->state, 1);
    setenv("VIRTPLUG_HOSTPOWER_CONF", f->conf, 1);
    setenv("VIRTPLUG_RUNTIME_DIR", f->runtime, 1);
    return f;
}

static int
remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    return remove(path);
}

void
bsd_fixture_free(bsd_fixture *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < LIVE_MAX; i++)
        if (live[i] == f)
            live[i] = NULL;
    nftw(f->dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(f->dir);
    free(f->state);
    free(f->conf);
    free(f->runtime);
    free(f->helpers);
    free(f);
}

int
bsd_fixture_teardown(void **state)
{
    for (size_t i = 0; i < LIVE_MAX; i++)
        bsd_fixture_free(live[i]);
    return 0;
}

void
bsd_fixture_sysctl(bsd_fixture *f, const char *name, const char *value)
{
    _cleanup_free_ char *path = vp_asprintf("%s/sysctl/%s", f->state, name);
    _cleanup_free_ char *line = vp_asprintf("%s\n", value);
    write_file(path, line);
}

void
bsd_fixture_state(bsd_fixture *f, const char *name, const char *content)
{
    _cleanup_free_ char *path = vp_asprintf("%s/%s", f->state, name);
    write_file(path, content);
}

char *
bsd_fixture_calls(const bsd_fixture *f)
{
    _cleanup_free_ char *path = vp_asprintf("%s/calls", f->state);
    FILE *fp = fopen(path, "r");
    if (!fp)
        return vp_strdup("");
    char *text = NULL;
    size_t size = 0;
    FILE *mem = open_memstream(&text, &size);
    if (!mem)
        abort();
    int c;
    while ((c = fgetc(fp)) != EOF)
        fputc(c, mem);
    fclose(fp);
    fclose(mem);
    return text;
}

bool
bsd_fixture_called(const bsd_fixture *f, const char *call)
{
    _cleanup_free_ char *calls = bsd_fixture_calls(f);
    _cleanup_free_ char *line = vp_asprintf("%s\n", call);
    size_t n = strlen(line);
    for (const char *p = calls; (p = strstr(p, line)); p += n)
        if (p == calls || p[-1] == '\n')
            return true;
    return false;
}

int
bsd_fixture_count(const bsd_fixture *f, const char *name)
{
    _cleanup_free_ char *calls = bsd_fixture_calls(f);
    size_t n = strlen(name);
    int count = 0;
    for (const char *p = calls; *p;) {
        if (strncmp(p, name, n) == 0 && (p[n] == ' ' || p[n] == '\n'))
            count++;
        const char *nl = strchr(p, '\n');
        p = nl ? nl + 1 : p + strlen(p);
    }
    return count;
}

void
bsd_fixture_forget_calls(bsd_fixture *f)
{
    _cleanup_free_ char *path = vp_asprintf("%s/calls", f->state);
    unlink(path);
}
