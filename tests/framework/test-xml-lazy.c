/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-xml-lazy.c: libvirtplug loads libxml2 only with its XML module, on
 * the first XML call (framework/conf/xml-lazy.c, vpi_loader_load_module).
 *
 * The tests run in this order in one process, because a module once
 * loaded stays: first the failures (missing file, relative path, unsafe
 * file, a file without the table, a table of another build), each of which
 * must leave libxml2 unmapped and not stick; then a test:///default
 * connection that lists domains without mapping it; then the first parse,
 * which maps the module and libxml2.
 */
#include <config.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test-test-driver-common.h"

#include <virtplug/sdk/conf.h>

static const char lazy_xml[] =
    "<domain type='test'><name>lazy</name><memory>1024</memory><vcpu>1</vcpu>"
    "<os><type>hvm</type></os></domain>";

/* Whether /proc/self/maps has a mapping whose path contains @needle. */
static bool
mapped(const char *needle)
{
    FILE *f = fopen("/proc/self/maps", "r");
    assert_non_null(f);
    char line[4096];
    bool found = false;
    while (!found && fgets(line, sizeof(line), f))
        found = strstr(line, needle) != NULL;
    fclose(f);
    return found;
}

static void
assert_xml_unloaded(void)
{
    if (mapped("libxml2"))
        fail_msg("libxml2 is mapped before any XML call");
    if (mapped("virtplug-xml"))
        fail_msg("the XML module is mapped before any XML call");
}

/* Parse with VIRTPLUG_XML_MODULE=@path: fails with @code and @keyword and
 * names @path; nothing is loaded. */
static void
assert_parse_fails(const char *path, int code, const char *keyword)
{
    const char *good = secure_getenv("VIRTPLUG_XML_MODULE");
    assert_non_null(good);
    char *saved = strdup(good);
    assert_int_equal(setenv("VIRTPLUG_XML_MODULE", path, 1), 0);
    vp_domain_def *def = NULL;
    int r = vp_plugin_domain_def_parse(lazy_xml, 0, &def);
    assert_error(r, code, keyword);
    assert_null(def);
    const char *msg = vp_error_last()->message;
    if (!strstr(msg, path) || !strstr(msg, "XML module") || !strstr(msg, "reinstall libvirtplug"))
        fail_msg("message '%s' does not name the XML module '%s' and the fix", msg, path);
    assert_int_equal(setenv("VIRTPLUG_XML_MODULE", saved, 1), 0);
    free(saved);
    assert_xml_unloaded();
}

static void
test_missing_module(void **state)
{
    (void)state;
    assert_xml_unloaded();
    assert_parse_fails("/nonexistent/virtplug-xml.so", VP_ERR_NO_PLUGIN, "no such file");
    assert_parse_fails("virtplug-xml.so", VP_ERR_INVALID_ARG, "absolute path");
}

/* The test driver's node files go through the module too. */
static void
test_missing_module_nodefile(void **state)
{
    (void)state;
    const char *top = secure_getenv("VP_TOP_SRCDIR");
    assert_non_null(top);
    char *uri = NULL;
    assert_true(asprintf(&uri, "test://%s/tests/data/test-driver/good.xml", top) > 0);
    char *saved = strdup(secure_getenv("VIRTPLUG_XML_MODULE"));
    assert_int_equal(setenv("VIRTPLUG_XML_MODULE", "/nonexistent/virtplug-xml.so", 1), 0);
    vp_conn *conn = NULL;
    int r = vp_conn_open(uri, 0, &conn);
    assert_error(r, VP_ERR_NO_PLUGIN, "/nonexistent/virtplug-xml.so");
    assert_null(conn);
    assert_int_equal(setenv("VIRTPLUG_XML_MODULE", saved, 1), 0);
    free(saved);
    free(uri);
    assert_xml_unloaded();
}

/* Copy @src to a new file in a fresh directory with mode @mode. */
static char *
copy_file(const char *src, mode_t mode, char **ret_dir)
{
    char tmpl[] = "/tmp/vp-xml-lazy-XXXXXX";
    char *dir = mkdtemp(tmpl);
    assert_non_null(dir);
    char *dst = NULL;
    assert_true(asprintf(&dst, "%s/virtplug-xml.so", dir) > 0);
    FILE *in = fopen(src, "rb");
    assert_non_null(in);
    int fd = open(dst, O_WRONLY | O_CREAT | O_EXCL, 0600);
    assert_true(fd >= 0);
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
        assert_int_equal(write(fd, buf, n), (ssize_t)n);
    fclose(in);
    assert_int_equal(fchmod(fd, mode), 0);
    close(fd);
    *ret_dir = strdup(dir);
    return dst;
}

static void
remove_copy(char *path, char *dir)
{
    assert_int_equal(unlink(path), 0);
    assert_int_equal(rmdir(dir), 0);
    free(path);
    free(dir);
}

static void
test_unsafe_module(void **state)
{
    (void)state;
    char *dir = NULL;
    char *path = copy_file(secure_getenv("VIRTPLUG_XML_MODULE"), 0666, &dir);
    assert_parse_fails(path, VP_ERR_PLUGIN_INVALID, "chmod go-w");
    remove_copy(path, dir);
}

/* A file without the table, and a table of another build. */
static void
test_bad_module(void **state)
{
    (void)state;
    const char *top = secure_getenv("VP_TOP_BUILDDIR");
    assert_non_null(top);
    char *nosym = NULL;
    assert_true(asprintf(&nosym, "%s/tests/framework/plugins/.libs/lt-good.so", top) > 0);
    assert_parse_fails(nosym, VP_ERR_PLUGIN_INVALID, "no symbol 'virtplug_xml_module'");
    char *bad = NULL;
    assert_true(asprintf(&bad, "%s/tests/framework/plugins/.libs/xml-module-bad.so", top) > 0);
    assert_parse_fails(bad, VP_ERR_PLUGIN_INVALID, "another libvirtplug");
    free(nosym);
    free(bad);
}

static void
test_default_does_not_load_xml(void **state)
{
    (void)state;
    vp_conn *conn = NULL;
    assert_int_equal(vp_conn_open("test:///default", 0, &conn), 0);
    vp_domain **doms = NULL;
    int n = vp_conn_list_domains(conn, 0, &doms);
    assert_int_equal(n, 1);
    assert_string_equal(vp_domain_get_name(doms[0]), "test");
    vp_domain_list_free(doms);
    vp_conn_close(conn);
    assert_xml_unloaded();
}

static void
test_first_xml_call_loads(void **state)
{
    (void)state;
    assert_xml_unloaded();
    vp_domain_def *def = NULL;
    int r = vp_plugin_domain_def_parse(lazy_xml, 0, &def);
    if (r < 0)
        fail_msg("parse failed: %s", vp_error_last()->message);
    assert_string_equal(def->name, "lazy");
    assert_true(mapped("virtplug-xml.so"));
    assert_true(mapped("libxml2"));
    /* Errors of the module reach the caller's error slot. */
    vp_domain_def *bad = NULL;
    assert_error(vp_plugin_domain_def_parse("<domain>", 0, &bad), VP_ERR_XML, "domain XML");
    assert_null(bad);
    vp_plugin_domain_def_free(def);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_missing_module),
        cmocka_unit_test(test_missing_module_nodefile),
        cmocka_unit_test(test_unsafe_module),
        cmocka_unit_test(test_bad_module),
        cmocka_unit_test(test_default_does_not_load_xml),
        cmocka_unit_test(test_first_xml_call_loads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
