/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-test-driver-domains.c: defining domains in the test driver: define,
 * redefine, name and uuid conflicts, undefine, list flags with several
 * domains, the XML round trip through the core's parser, and transient
 * domains (create).
 */
#include <config.h>

#include "test-test-driver-common.h"

#define UUID_A "11111111-2222-3333-4444-555555555555"
#define UUID_B "11111111-2222-3333-4444-666666666666"

static void
test_define_start_undefine(void **state)
{
    vp_conn *conn = open_default();
    vp_domain *dom = define(conn, "vm1", UUID_A);
    assert_state(dom, VP_DOMAIN_SHUTOFF, VP_DOMAIN_SHUTOFF_UNKNOWN);
    assert_int_equal(vp_conn_num_of_domains(conn), 1); /* only 'test' runs */
    assert_ok(vp_domain_start(dom, 0));
    assert_state(dom, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_BOOTED);
    assert_int_equal(vp_conn_num_of_domains(conn), 2);
    assert_error(vp_domain_undefine(dom, 0), VP_ERR_OPERATION_INVALID,
                 "cannot undefine domain 'vm1': it is running");
    assert_ok(vp_domain_destroy(dom, 0));
    assert_ok(vp_domain_undefine(dom, 0));
    vp_domain *again = NULL;
    assert_error(vp_domain_lookup_by_name(conn, "vm1", &again), VP_ERR_NO_DOMAIN,
                 "no domain named 'vm1'");
    vp_domain_free(dom);
    vp_conn_close(conn);
}

/* A created domain runs, is transient, and is gone once it stops. */
static void
test_create_transient(void **state)
{
    vp_conn *conn = open_default();
    char *xml = domain_xml("tvm", UUID_A);
    vp_domain *dom = NULL;
    assert_ok(vp_domain_create_xml(conn, xml, 0, &dom));
    assert_state(dom, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_BOOTED);
    assert_int_equal(vp_domain_is_persistent(dom), 0);
    vp_domain *test = lookup(conn, "test");
    assert_int_equal(vp_domain_is_persistent(test), 1);
    assert_int_equal(vp_conn_num_of_domains(conn), 2);
    assert_error(vp_domain_set_autostart(dom, 1), VP_ERR_OPERATION_INVALID,
                 "cannot set autostart of domain 'tvm': it is transient");
    vp_snapshot *snap = NULL;
    assert_error(vp_snapshot_create_xml(dom, NULL, 0, &snap), VP_ERR_OPERATION_INVALID,
                 "cannot snapshot domain 'tvm': it is transient");
    /* Its name and uuid are taken while it runs. */
    vp_domain *dup = NULL;
    assert_error(vp_domain_create_xml(conn, xml, 0, &dup), VP_ERR_EXISTS,
                 "cannot create domain 'tvm': domain 'tvm' already exists");
    char *other = domain_xml("tvm2", UUID_A);
    assert_error(vp_domain_create_xml(conn, other, 0, &dup), VP_ERR_EXISTS,
                 "domain 'tvm' already exists with uuid '" UUID_A "'");
    free(other);
    char *taken = domain_xml("test", NULL);
    assert_error(vp_domain_create_xml(conn, taken, 0, &dup), VP_ERR_EXISTS,
                 "cannot create domain 'test'");
    free(taken);
    /* A shut-off persistent domain of that name and uuid runs the created
     * definition once, and stays persistent (libvirt). */
    taken = domain_xml("test", TEST_UUID);
    assert_ok(vp_domain_destroy(test, 0));
    assert_ok(vp_domain_create_xml(conn, taken, 0, NULL));
    assert_state(test, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_BOOTED);
    assert_int_equal(vp_domain_is_persistent(test), 1);
    char *now = NULL;
    assert_ok(vp_domain_get_xml(test, 0, &now));
    assert_non_null(strstr(now, "<memory unit='KiB'>1048576</memory>"));
    free(now);
    assert_ok(vp_domain_destroy(test, 0));
    assert_ok(vp_domain_get_xml(test, 0, &now));
    assert_null(strstr(now, "<memory unit='KiB'>1048576</memory>"));
    free(now);
    assert_ok(vp_domain_start(test, 0));
    free(taken);
    assert_error(vp_domain_create_xml(conn, xml, 2, &dup), VP_ERR_INVALID_ARG,
                 "does not support flags 0x2 of 'domain-create-xml'");
    assert_error(vp_domain_create_xml(conn, "<domain", 0, &dup), VP_ERR_XML, "");
    assert_ok(vp_domain_destroy(dom, 0));
    assert_error(vp_domain_get_state(dom, &(int){0}, &(int){0}, 0), VP_ERR_NO_DOMAIN, "tvm");
    vp_domain *gone = NULL;
    assert_error(vp_domain_lookup_by_name(conn, "tvm", &gone), VP_ERR_NO_DOMAIN,
                 "no domain named 'tvm'");
    assert_int_equal(vp_conn_num_of_domains(conn), 1);
    /* Created again without ret_dom, then shut down: gone as well. */
    vp_domain_free(dom);
    assert_ok(vp_domain_create_xml(conn, xml, 0, NULL));
    dom = lookup(conn, "tvm");
    assert_ok(vp_domain_shutdown(dom, 0));
    assert_error(vp_domain_lookup_by_name(conn, "tvm", &gone), VP_ERR_NO_DOMAIN, "tvm");
    vp_domain_free(dom);
    vp_domain_free(test);
    free(xml);
    vp_conn_close(conn);
}

/* Defining a running transient domain makes it persistent (libvirt). */
static void
test_create_then_define(void **state)
{
    vp_conn *conn = open_default();
    char *xml = domain_xml("tvm", UUID_B);
    vp_domain *dom = NULL;
    assert_ok(vp_domain_create_xml(conn, xml, 0, &dom));
    vp_domain *same = define(conn, "tvm", UUID_B);
    assert_int_equal(vp_domain_is_persistent(dom), 1);
    assert_ok(vp_domain_destroy(dom, 0));
    assert_state(dom, VP_DOMAIN_SHUTOFF, VP_DOMAIN_SHUTOFF_DESTROYED);
    assert_ok(vp_domain_set_autostart(dom, 1));
    assert_ok(vp_domain_undefine(dom, 0));
    vp_domain_free(same);
    vp_domain_free(dom);
    free(xml);
    vp_conn_close(conn);
}

static void
test_define_without_ret(void **state)
{
    vp_conn *conn = open_default();
    char *xml = domain_xml("vm2", NULL);
    int r = vp_domain_define_xml(conn, xml, 0, NULL);
    free(xml);
    assert_ok(r);
    vp_domain *dom = lookup(conn, "vm2");
    assert_state(dom, VP_DOMAIN_SHUTOFF, VP_DOMAIN_SHUTOFF_UNKNOWN);
    vp_domain_free(dom);
    vp_conn_close(conn);
}

static void
test_redefine(void **state)
{
    vp_conn *conn = open_default();
    vp_domain *dom = define(conn, "vm1", UUID_A);
    assert_ok(vp_domain_start(dom, 0));
    /* Same name and uuid: the definition is replaced, the state kept; the
     * running domain uses the new one from its next start. */
    const char *xml2 = "<domain type='test'><name>vm1</name><uuid>" UUID_A "</uuid>"
                       "<memory unit='KiB'>2097152</memory><vcpu>3</vcpu>"
                       "<os><type>hvm</type></os></domain>";
    assert_ok(vp_domain_define_xml(conn, xml2, 0, NULL));
    assert_state(dom, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_BOOTED);
    char *out = NULL;
    assert_ok(vp_domain_get_xml(dom, 0, &out));
    assert_null(strstr(out, ">3</vcpu>"));
    free(out);
    assert_ok(vp_domain_get_xml(dom, VP_DOMAIN_XML_INACTIVE, &out));
    assert_non_null(strstr(out, ">3</vcpu>"));
    free(out);
    assert_ok(vp_domain_destroy(dom, 0));
    assert_ok(vp_domain_get_xml(dom, 0, &out));
    assert_non_null(strstr(out, "2097152"));
    assert_non_null(strstr(out, ">3</vcpu>"));
    free(out);
    /* Same name, other uuid. */
    char *xml3 = domain_xml("vm1", UUID_B);
    assert_error(vp_domain_define_xml(conn, xml3, 0, NULL), VP_ERR_EXISTS,
                 "domain 'vm1' already exists with uuid '" UUID_A "'");
    free(xml3);
    /* Other name, same uuid (here: the default domain's). */
    char *xml4 = domain_xml("other", TEST_UUID);
    assert_error(vp_domain_define_xml(conn, xml4, 0, NULL), VP_ERR_EXISTS,
                 "domain 'test' already has uuid '" TEST_UUID "'");
    free(xml4);
    vp_domain **doms = NULL;
    assert_int_equal(vp_conn_list_domains(conn, 0, &doms), 2);
    vp_domain_list_free(doms);
    vp_domain_free(dom);
    vp_conn_close(conn);
}

static void
test_define_bad_xml(void **state)
{
    vp_conn *conn = open_default();
    vp_domain *bad = NULL;
    int r = vp_domain_define_xml(conn, "<domain type='test'><name>x</name>", 0, &bad);
    assert_int_equal(r, VP_ERR_XML);
    assert_null(bad);
    r = vp_domain_define_xml(conn, "<domain type='test'><name>y</name><bogus/></domain>", 0, &bad);
    assert_error(r, VP_ERR_XML, "bogus");
    assert_null(bad);
    assert_error(vp_domain_lookup_by_name(conn, "y", &bad), VP_ERR_NO_DOMAIN, "'y'");
    vp_conn_close(conn);
}

static void
assert_list(vp_conn *conn, unsigned int flags, const char *const *want)
{
    vp_domain **doms = NULL;
    size_t n_want = 0;
    while (want[n_want])
        n_want++;
    assert_int_equal(vp_conn_list_domains(conn, flags, &doms), (int)n_want);
    for (size_t i = 0; i < n_want; i++)
        assert_string_equal(vp_domain_get_name(doms[i]), want[i]);
    assert_null(doms[n_want]);
    vp_domain_list_free(doms);
}

static void
test_list_flags(void **state)
{
    vp_conn *conn = open_default();
    vp_domain *c = define(conn, "c-off", NULL);
    vp_domain *a = define(conn, "a-run", NULL);
    vp_domain *b = define(conn, "b-paused", NULL);
    assert_ok(vp_domain_start(a, 0));
    assert_ok(vp_domain_start(b, 0));
    assert_ok(vp_domain_suspend(b, 0));
    static const char *const all[] = {"a-run", "b-paused", "c-off", "test", NULL};
    static const char *const active[] = {"a-run", "b-paused", "test", NULL};
    static const char *const inactive[] = {"c-off", NULL};
    assert_list(conn, 0, all);
    assert_list(conn, VP_LIST_DOMAINS_ACTIVE | VP_LIST_DOMAINS_INACTIVE, all);
    assert_list(conn, VP_LIST_DOMAINS_ACTIVE, active);
    assert_list(conn, VP_LIST_DOMAINS_INACTIVE, inactive);
    assert_int_equal(vp_conn_num_of_domains(conn), 3);
    vp_domain **doms = NULL;
    assert_error(vp_conn_list_domains(conn, 0x10, &doms), VP_ERR_INVALID_ARG, "flags");
    assert_null(doms);
    vp_domain_free(a);
    vp_domain_free(b);
    vp_domain_free(c);
    vp_conn_close(conn);
}

/* More domains than the table's first size: it grows and keeps them. */
static void
test_many_domains(void **state)
{
    vp_conn *conn = open_default();
    char name[32];
    for (int i = 0; i < 100; i++) {
        snprintf(name, sizeof(name), "vm%03d", i);
        vp_domain *dom = define(conn, name, NULL);
        if (i % 2 == 0)
            assert_ok(vp_domain_start(dom, 0));
        vp_domain_free(dom);
    }
    assert_int_equal(vp_conn_num_of_domains(conn), 51);
    vp_domain **doms = NULL;
    assert_int_equal(vp_conn_list_domains(conn, VP_LIST_DOMAINS_INACTIVE, &doms), 50);
    assert_string_equal(vp_domain_get_name(doms[0]), "vm001");
    assert_string_equal(vp_domain_get_name(doms[49]), "vm099");
    vp_domain_list_free(doms);
    vp_domain *dom = lookup(conn, "vm042");
    assert_state(dom, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_BOOTED);
    vp_domain_free(dom);
    vp_conn_close(conn);
}

static void
test_default_domain_xml(void **state)
{
    vp_conn *conn = open_default();
    vp_domain *dom = lookup(conn, "test");
    char *xml = NULL;
    int r = vp_domain_get_xml(dom, 0, &xml);
    assert_ok(r);
    assert_non_null(strstr(xml, "type='test'") ? xml : strstr(xml, "type=\"test\""));
    assert_non_null(strstr(xml, "<name>test</name>"));
    assert_non_null(strstr(xml, "<uuid>" TEST_UUID "</uuid>"));
    assert_non_null(strstr(xml, "8388608"));
    assert_non_null(strstr(xml, ">2</vcpu>"));
    assert_non_null(strstr(xml, ">hvm</type>"));
    /* Its own XML redefines it unchanged. */
    assert_ok(vp_domain_define_xml(conn, xml, 0, NULL));
    char *xml2 = NULL;
    assert_ok(vp_domain_get_xml(dom, 0, &xml2));
    assert_string_equal(xml, xml2);
    free(xml);
    free(xml2);
    vp_domain_free(dom);
    vp_conn_close(conn);
}

static void
test_xml_round_trip(void **state)
{
    vp_conn *conn = open_default();
    vp_domain *dom = define(conn, "rt", UUID_A);
    char *xml = NULL, *xml2 = NULL;
    assert_ok(vp_domain_get_xml(dom, 0, &xml));
    assert_non_null(strstr(xml, "<name>rt</name>"));
    assert_non_null(strstr(xml, UUID_A));
    assert_non_null(strstr(xml, "1048576"));
    assert_ok(vp_domain_undefine(dom, 0));
    assert_ok(vp_domain_define_xml(conn, xml, 0, NULL));
    assert_ok(vp_domain_get_xml(dom, 0, &xml2));
    assert_string_equal(xml, xml2);
    free(xml);
    free(xml2);
    vp_domain_free(dom);
    vp_conn_close(conn);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_define_start_undefine),
        cmocka_unit_test(test_define_without_ret),
        cmocka_unit_test(test_create_transient),
        cmocka_unit_test(test_create_then_define),
        cmocka_unit_test(test_redefine),
        cmocka_unit_test(test_define_bad_xml),
        cmocka_unit_test(test_list_flags),
        cmocka_unit_test(test_many_domains),
        cmocka_unit_test(test_default_domain_xml),
        cmocka_unit_test(test_xml_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
