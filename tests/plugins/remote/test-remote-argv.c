/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-remote-argv.c: tests of plugins/remote/remote-argv.c, from a
 * DRIVER+ssh:// URI to ssh's argv and the far command.
 *
 * The argv holds each part as its own element, the options the URI asks
 * for and no others; the far command quotes every byte for the far shell;
 * transport parameters stay local and the others reach the far URI; every
 * malformed part is VP_ERR_INVALID_ARG naming it.
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "internal.h"
#include "remote-argv.h"

#define ARGV(...) ((const char *const[]){__VA_ARGS__, NULL})

static remote_target *
target_ok(const char *str, bool batch)
{
    vpi_uri *uri = NULL;
    remote_target *t = NULL;
    if (vpi_uri_parse(str, &uri) < 0 || remote_target_new(uri, batch, &t) < 0)
        fail_msg("'%s' was refused: %s", str, vp_error_last()->message);
    vpi_uri_free(uri);
    return t;
}

static void
assert_argv(char **got, const char *const *want)
{
    size_t i = 0;
    for (; want[i]; i++) {
        if (!got[i])
            fail_msg("argv ends before '%s'", want[i]);
        assert_string_equal(got[i], want[i]);
    }
    if (got[i])
        fail_msg("argv has more: '%s'", got[i]);
}

static void
test_default(void **state)
{
    remote_target *t = target_ok("test+ssh://h1/default", true);
    assert_argv(t->argv, ARGV("ssh", "-T", "-x", "-o", "StrictHostKeyChecking=yes", "-o",
                              "BatchMode=yes", "-o", "ConnectTimeout=30", "--", "h1",
                              "'virtplug-ssh-helper' 'test:///default'"));
    assert_string_equal(t->host, "h1");
    assert_string_equal(t->far_uri, "test:///default");
    assert_int_equal(t->timeout_ms, 30000);
    remote_target_free(t);

    /* With a terminal ssh may prompt: no BatchMode. */
    t = target_ok("qemu+ssh://h1/system", false);
    assert_argv(t->argv,
                ARGV("ssh", "-T", "-x", "-o", "StrictHostKeyChecking=yes", "-o",
                     "ConnectTimeout=30", "--", "h1", "'virtplug-ssh-helper' 'qemu:///system'"));
    remote_target_free(t);
}

static void
test_every_part(void **state)
{
    remote_target *t = target_ok(
        "qemu+ssh://root@h1:2222/embed?root=/srv/my%20vms&keyfile=/k%20k&known_hosts=/kh&no_verify=1&command=/opt/v/helper&ssh=/usr/bin/myssh&timeout=5&hostpower=hostpower-bsd",
        true);
    assert_argv(t->argv,
                ARGV("/usr/bin/myssh", "-T", "-x", "-o", "StrictHostKeyChecking=no", "-o",
                     "BatchMode=yes", "-o", "ConnectTimeout=5", "-p", "2222", "-l", "root", "-i",
                     "/k k", "-o", "UserKnownHostsFile=/kh", "--", "h1",
                     "'/opt/v/helper' 'qemu:///embed?root=/srv/my%20vms&hostpower=hostpower-bsd'"));
    assert_string_equal(t->far_uri, "qemu:///embed?root=/srv/my%20vms&hostpower=hostpower-bsd");
    assert_int_equal(t->timeout_ms, 5000);
    remote_target_free(t);

    t = target_ok("test+ssh://[::1]:22/default", true);
    assert_string_equal(t->host, "::1");
    assert_string_equal(t->argv[10], "22");
    remote_target_free(t);
}

/* Nothing in the URI reaches the far shell unquoted. */
static void
test_quoting(void **state)
{
    char *q = remote_shell_quote("it's; $(x) `y`");
    assert_string_equal(q, "'it'\\''s; $(x) `y`'");
    free(q);
    remote_target *t = target_ok("test+ssh://h/a'b;c$(d)?command=/x'y%20z&p=%27;rm", true);
    assert_string_equal(t->far_uri, "test:///a%27b%3Bc%24%28d%29?p=%27%3Brm");
    const char *last = NULL;
    for (char **a = t->argv; *a; a++)
        last = *a;
    assert_string_equal(last, "'/x'\\''y z' 'test:///a%27b%3Bc%24%28d%29?p=%27%3Brm'");
    remote_target_free(t);
}

static void
test_refused(void **state)
{
    static const struct {
        const char *uri, *words;
    } cases[] = {
        {"test+ssh:///default", "needs a host"},
        {"test+ssh://-oProxyCommand=x/default", "invalid host name '-oProxyCommand=x'"},
        {"test+ssh://h%3Bx/default", "invalid host name 'h;x'"},
        {"test+ssh://-l@h/default", "invalid user name '-l'"},
        {"test+ssh://h:0/default", "invalid port '0'; use 1 to 65535"},
        {"test+ssh://h:22x/default", "invalid port '22x'"},
        {"test+ssh://h:/default", "invalid port ''"},
        {"test+ssh://::1/default", "write an IPv6 host in brackets"},
        {"test+ssh://[::1/default", "an IPv6 host must be"},
        {"test+ssh://h/d?timeout=0", "invalid parameter timeout='0'"},
        {"test+ssh://h/d?timeout=1e3", "invalid parameter timeout='1e3'"},
        {"test+ssh://h/d?no_verify=yes", "invalid parameter no_verify='yes'"},
        {"test+ssh://h/d?known_hosts=/a%20b", "invalid parameter known_hosts='/a b'"},
        {"test+ssh://h/d?command=", "invalid parameter command=''"},
        {"remote://h/d", "serves 'DRIVER+ssh://HOST/PATH'"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        vpi_uri *uri = NULL;
        remote_target *t = NULL;
        assert_int_equal(vpi_uri_parse(cases[i].uri, &uri), 0);
        int r = remote_target_new(uri, true, &t);
        if (r != VP_ERR_INVALID_ARG || !strstr(vp_error_last()->message, cases[i].words))
            fail_msg("'%s': got %d '%s', expected '%s'", cases[i].uri, r,
                     r < 0 ? vp_error_last()->message : "", cases[i].words);
        assert_null(t);
        vpi_uri_free(uri);
    }
}

/* The far driver's display URI as seen from here: the far host's own
 * word for "every address" becomes the URI's host, as virsh prints over
 * qemu+ssh; a loopback address, another host and a unix socket stay. */
static void
test_display_uri(void **state)
{
    (void)state;
    static const struct {
        const char *far, *host, *want;
    } cases[] = {
        {"vnc://localhost:0", "h1", "vnc://h1:0"},
        {"vnc://0.0.0.0:3", "h1", "vnc://h1:3"},
        {"vnc://[::]:1", "h1", "vnc://h1:1"},
        {"vnc://localhost:0", "fd00::7", "vnc://[fd00::7]:0"},
        {"spice://localhost:5901?tls-port=5902", "h1.example",
         "spice://h1.example:5901?tls-port=5902"},
        {"spice://localhost?tls-port=5902", "10.0.0.2", "spice://10.0.0.2?tls-port=5902"},
        {"spice://:pw@localhost:5901", "h1", "spice://:pw@h1:5901"},
        {"vnc://127.0.0.1:0", "h1", "vnc://127.0.0.1:0"},
        {"vnc://[::1]:0", "h1", "vnc://[::1]:0"},
        {"vnc://192.168.1.5:2", "h1", "vnc://192.168.1.5:2"},
        {"vnc://localhost.example:2", "h1", "vnc://localhost.example:2"},
        {"vnc+unix:///run/x/localhost.sock", "h1", "vnc+unix:///run/x/localhost.sock"},
        {"spice+unix:///run/x.sock", "h1", "spice+unix:///run/x.sock"},
        {"vnc://[::", "h1", "vnc://[::"},
        {"odd", "h1", "odd"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *got = remote_display_uri(cases[i].far, cases[i].host);
        if (strcmp(got, cases[i].want) != 0)
            fail_msg("'%s' on host '%s' became '%s', expected '%s'", cases[i].far, cases[i].host,
                     got, cases[i].want);
        free(got);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default),     cmocka_unit_test(test_every_part),
        cmocka_unit_test(test_quoting),     cmocka_unit_test(test_refused),
        cmocka_unit_test(test_display_uri),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
