/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-test-driver-nodefile.c: test:///ABS/PATH.xml: a host loaded from a
 * <node> file of domains (fixtures in tests/data/test-driver/): the good
 * file's domains and their states, each bad file's error naming the
 * file and the line, and a path that is no regular file refused at once.
 */
#include <config.h>

#include <sys/stat.h>
#include <unistd.h>

#include "test-test-driver-common.h"

/* "test://" + the fixture's absolute path, percent-encoded. */
static char *
fixture_uri(const char *name, char **ret_path)
{
    const char *top = secure_getenv("VP_TOP_SRCDIR");
    assert_non_null(top);
    char *path = NULL;
    assert_true(asprintf(&path, "%s/tests/data/test-driver/%s", top, name) > 0);
    size_t n = strlen(path);
    char *uri = calloc(n * 3 + 8, 1);
    assert_non_null(uri);
    size_t o = (size_t)snprintf(uri, 8, "test://");
    for (const char *p = path; *p; p++) {
        if (strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/._-", *p))
            uri[o++] = *p;
        else
            o += (size_t)snprintf(uri + o, 4, "%%%02X", (unsigned char)*p);
    }
    *ret_path = path;
    return uri;
}

static void
assert_open_fails(const char *fixture, int code, const char *keyword, const char *line)
{
    char *path = NULL;
    char *uri = fixture_uri(fixture, &path);
    vp_conn *conn = NULL;
    int r = vp_conn_open(uri, 0, &conn);
    assert_error(r, code, keyword);
    assert_null(conn);
    const char *msg = vp_error_last()->message;
    if (!strstr(msg, path))
        fail_msg("message '%s' does not name the file '%s'", msg, path);
    if (!strstr(msg, line))
        fail_msg("message '%s' does not name '%s'", msg, line);
    free(uri);
    free(path);
}

static void
test_good_file(void **state)
{
    char *path = NULL;
    char *uri = fixture_uri("good.xml", &path);
    vp_conn *conn = NULL;
    int r = vp_conn_open(uri, 0, &conn);
    assert_ok(r);
    assert_string_equal(vp_conn_get_driver_name(conn), "test");
    assert_int_equal(vp_conn_num_of_domains(conn), 2); /* web runs, db is paused */
    vp_domain **doms = NULL;
    assert_int_equal(vp_conn_list_domains(conn, 0, &doms), 3);
    assert_string_equal(vp_domain_get_name(doms[0]), "db");
    assert_string_equal(vp_domain_get_name(doms[1]), "spare");
    assert_string_equal(vp_domain_get_name(doms[2]), "web");
    vp_domain_list_free(doms);
    /* No default domain in a host loaded from a file. */
    vp_domain *dom = NULL;
    assert_error(vp_domain_lookup_by_name(conn, "test", &dom), VP_ERR_NO_DOMAIN, "'test'");
    dom = lookup(conn, "web");
    assert_state(dom, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_BOOTED);
    char *xml = NULL;
    assert_ok(vp_domain_get_xml(dom, 0, &xml));
    assert_non_null(strstr(xml, "aaaaaaaa-0000-4000-8000-000000000001"));
    assert_null(strstr(xml, "runstate"));
    free(xml);
    vp_domain_free(dom);
    dom = lookup(conn, "db");
    assert_state(dom, VP_DOMAIN_PAUSED, VP_DOMAIN_PAUSED_USER);
    assert_ok(vp_domain_get_xml(dom, 0, &xml));
    assert_null(strstr(xml, "runstate"));
    free(xml);
    assert_ok(vp_domain_resume(dom, 0));
    vp_domain_free(dom);
    dom = lookup(conn, "spare");
    assert_state(dom, VP_DOMAIN_SHUTOFF, VP_DOMAIN_SHUTOFF_UNKNOWN);
    vp_domain_free(dom);
    vp_conn_close(conn);
    free(uri);
    free(path);
}

static void
test_empty_file(void **state)
{
    char *path = NULL;
    char *uri = fixture_uri("empty.xml", &path);
    vp_conn *conn = NULL;
    assert_ok(vp_conn_open(uri, 0, &conn));
    assert_int_equal(vp_conn_num_of_domains(conn), 0);
    vp_domain **doms = NULL;
    assert_int_equal(vp_conn_list_domains(conn, 0, &doms), 0);
    vp_domain_list_free(doms);
    vp_conn_close(conn);
    free(uri);
    free(path);
}

static void
test_bad_files(void **state)
{
    assert_open_fails("bad-syntax.xml", VP_ERR_XML, "malformed XML", "line 4:");
    assert_open_fails("bad-root.xml", VP_ERR_XML,
                      "expected the root element <node>, found <domain>", "line 2:");
    assert_open_fails("bad-doctype.xml", VP_ERR_XML, "DOCTYPE is not allowed", "line 2:");
    assert_open_fails("bad-element.xml", VP_ERR_XML, "unknown element <cpu>", "line 2");
    assert_open_fails("bad-runstate.xml", VP_ERR_XML, "invalid <test:runstate> '9'", "line 8");
    assert_open_fails("missing.xml", VP_ERR_SYSTEM, "missing.xml", "missing.xml");
}

static void
test_bad_domains(void **state)
{
    assert_open_fails("bad-domain.xml", VP_ERR_XML, "bogus", "line 16:");
    assert_open_fails("duplicate.xml", VP_ERR_EXISTS, "domain 'twin' already exists", "line 10:");
}

/* A FIFO without a writer would block the open for ever: it is refused by
 * name before it is opened for reading. The alarm turns a hang into a
 * failure. */
static void
test_not_regular_file(void **state)
{
    char dir[] = "/tmp/vp-nodefile-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char fifo[64], uri[80];
    snprintf(fifo, sizeof(fifo), "%s/node.xml", dir);
    snprintf(uri, sizeof(uri), "test://%s", fifo);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    vp_conn *conn = NULL;
    alarm(20);
    int r = vp_conn_open(uri, 0, &conn);
    alarm(0);
    assert_error(r, VP_ERR_INVALID_ARG, "is not a regular file (it is a FIFO)");
    assert_non_null(strstr(vp_error_last()->message, fifo));
    assert_null(conn);
    snprintf(uri, sizeof(uri), "test://%s", dir);
    assert_error(vp_conn_open(uri, 0, &conn), VP_ERR_INVALID_ARG,
                 "is not a regular file (it is a directory)");
    assert_null(conn);
    unlink(fifo);
    rmdir(dir);
}

static void
test_relative_path(void **state)
{
    vp_conn *conn = NULL;
    assert_error(vp_conn_open("test://tests/data/test-driver/good.xml", 0, &conn),
                 VP_ERR_INVALID_ARG, "relative path");
    assert_non_null(strstr(vp_error_last()->message, "test:///ABS/PATH.xml"));
    assert_null(conn);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_file),     cmocka_unit_test(test_empty_file),
        cmocka_unit_test(test_bad_files),     cmocka_unit_test(test_bad_domains),
        cmocka_unit_test(test_relative_path), cmocka_unit_test(test_not_regular_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
