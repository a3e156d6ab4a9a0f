/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-domain-config.c: framework/domain-config.c through the test driver:
 * which of the running domain and its definition a memory, vCPU,
 * description or title change reaches, the limits, and that a definition change waits for the next
 * start.
 */
#include <config.h>

#include <stdbool.h>

#include "test-test-driver-common.h"

static vp_domain_info
info_of(vp_domain *dom)
{
    vp_domain_info info = {.size = sizeof(info)};
    assert_ok(vp_domain_get_info(dom, &info));
    return info;
}

static bool
xml_has(vp_domain *dom, unsigned int flags, const char *text)
{
    char *xml = NULL;
    assert_ok(vp_domain_get_xml(dom, flags, &xml));
    bool has = strstr(xml, text) != NULL;
    free(xml);
    return has;
}

static void
restart(vp_domain *dom)
{
    assert_ok(vp_domain_destroy(dom, 0));
    assert_ok(vp_domain_start(dom, 0));
}

/* CURRENT on a running domain is live: the definition keeps its value. */
static void
test_memory_current_is_live(void **state)
{
    vp_conn *conn = open_default();
    vp_domain *dom = lookup(conn, "test");
    assert_ok(vp_domain_set_memory_flags(dom, 1048576, VP_DOMAIN_AFFECT_CURRENT));
    assert_int_equal(info_of(dom).memory_kib, 1048576);
    assert_true(xml_has(dom, 0, "<currentMemory unit='KiB'>1048576</currentMemory>"));
    assert_true(xml_has(dom, VP_DOMAIN_XML_INACTIVE, ">2097152</currentMemory>"));
    restart(dom);
    assert_int_equal(info_of(dom).memory_kib, 2097152);
    vp_domain_free(dom);
    vp_conn_close(conn);
}

/* CONFIG on a running domain changes what its next start uses. */
static void
test_memory_config_waits_for_start(void **state)
{
    vp_conn *conn = open_default();
    vp_domain *dom = lookup(conn, "test");
    assert_ok(vp_domain_set_memory_flags(dom, 524288, VP_DOMAIN_AFFECT_CONFIG));
    assert_int_equal(info_of(dom).memory_kib, 2097152);
    assert_true(xml_has(dom, VP_DOMAIN_XML_INACTIVE, ">524288</currentMemory>"));
    restart(dom);
    assert_int_equal(info_of(dom).memory_kib, 524288);
    /* Both at once. */
    assert_ok(
        vp_domain_set_memory_flags(dom, 262144, VP_DOMAIN_AFFECT_LIVE | VP_DOMAIN_AFFECT_CONFIG));
    assert_int_equal(info_of(dom).memory_kib, 262144);
    assert_true(xml_has(dom, VP_DOMAIN_XML_INACTIVE, ">262144</currentMemory>"));
    vp_domain_free(dom);
    vp_conn_close(conn);
}

static void
test_memory_maximum(void **state)
{
    vp_conn *conn = open_default();
    vp_domain *dom = lookup(conn, "test");
    assert_error(vp_domain_set_memory_flags(dom, 4194304, VP_DOMAIN_MEM_MAXIMUM),
                 VP_ERR_OPERATION_INVALID, "cannot resize the maximum memory of running domain");
    /* A maximum below the current memory brings it down. */
    assert_ok(
        vp_domain_set_memory_flags(dom, 1048576, VP_DOMAIN_MEM_MAXIMUM | VP_DOMAIN_AFFECT_CONFIG));
    restart(dom);
    vp_domain_info info = info_of(dom);
    assert_int_equal(info.max_memory_kib, 1048576);
    assert_int_equal(info.memory_kib, 1048576);
    assert_error(vp_domain_set_memory_flags(dom, 2097152, 0), VP_ERR_INVALID_ARG,
                 "cannot set memory higher than max memory");
    assert_error(vp_domain_set_memory_flags(dom, 2097152, VP_DOMAIN_AFFECT_CONFIG),
                 VP_ERR_INVALID_ARG, "cannot set memory higher than max memory");
    vp_domain_free(dom);
    vp_conn_close(conn);
}

static void
test_memory_refusals(void **state)
{
    vp_conn *conn = open_default();
    vp_domain *dom = lookup(conn, "test");
    assert_error(vp_domain_set_memory_flags(dom, 0, 0), VP_ERR_INVALID_ARG, "to 0 KiB");
    assert_error(vp_domain_set_memory_flags(dom, 1024, 1u << 7), VP_ERR_INVALID_ARG,
                 "unsupported flags 0x80");
    assert_ok(vp_domain_destroy(dom, 0));
    assert_error(vp_domain_set_memory_flags(dom, 1024, VP_DOMAIN_AFFECT_LIVE),
                 VP_ERR_OPERATION_INVALID, "is not running");
    /* CURRENT on a shut-off domain is its definition. */
    assert_ok(vp_domain_set_memory_flags(dom, 1024, 0));
    assert_true(xml_has(dom, 0, ">1024</currentMemory>"));
    vp_domain_free(dom);
    vp_conn_close(conn);
}

static void
test_vcpus(void **state)
{
    vp_conn *conn = open_default();
    vp_domain *dom = lookup(conn, "test");
    assert_ok(vp_domain_set_vcpus_flags(dom, 1, 0));
    assert_int_equal(info_of(dom).vcpus, 1);
    assert_true(xml_has(dom, 0, "current='1'"));
    assert_false(xml_has(dom, VP_DOMAIN_XML_INACTIVE, "current="));
    assert_error(vp_domain_set_vcpus_flags(dom, 3, VP_DOMAIN_AFFECT_LIVE), VP_ERR_INVALID_ARG,
                 "requested cpu amount exceeds maximum (3 > 2)");
    assert_error(vp_domain_set_vcpus_flags(dom, 4, VP_DOMAIN_VCPU_MAXIMUM), VP_ERR_INVALID_ARG,
                 "in its definition only");
    assert_ok(vp_domain_set_vcpus_flags(dom, 4, VP_DOMAIN_VCPU_MAXIMUM | VP_DOMAIN_AFFECT_CONFIG));
    assert_ok(vp_domain_set_vcpus_flags(dom, 3, VP_DOMAIN_AFFECT_CONFIG));
    assert_true(xml_has(dom, VP_DOMAIN_XML_INACTIVE, "current='3'>4</vcpu>"));
    restart(dom);
    assert_int_equal(info_of(dom).vcpus, 3);
    /* A smaller maximum brings the current count down; equal drops current=. */
    assert_ok(vp_domain_set_vcpus_flags(dom, 2, VP_DOMAIN_VCPU_MAXIMUM | VP_DOMAIN_AFFECT_CONFIG));
    restart(dom);
    assert_int_equal(info_of(dom).vcpus, 2);
    assert_false(xml_has(dom, 0, "current="));
    assert_error(vp_domain_set_vcpus_flags(dom, 0, 0), VP_ERR_INVALID_ARG, "0 vCPUs");
    vp_domain_free(dom);
    vp_conn_close(conn);
}

static char *
metadata(vp_domain *dom, int type, unsigned int flags)
{
    char *text = NULL;
    assert_ok(vp_domain_get_metadata(dom, type, flags, &text));
    return text;
}

static void
assert_metadata(vp_domain *dom, int type, unsigned int flags, const char *want)
{
    char *text = metadata(dom, type, flags);
    if (want)
        assert_string_equal(text, want);
    else
        assert_null(text);
    free(text);
}

static void
test_metadata(void **state)
{
    vp_conn *conn = open_default();
    vp_domain *dom = lookup(conn, "test");
    const int desc = VP_DOMAIN_METADATA_DESCRIPTION, title = VP_DOMAIN_METADATA_TITLE;
    assert_metadata(dom, desc, 0, NULL);
    assert_ok(vp_domain_set_metadata(dom, desc, "live <text> & more", 0));
    assert_metadata(dom, desc, 0, "live <text> & more");
    assert_metadata(dom, desc, VP_DOMAIN_AFFECT_CONFIG, NULL);
    assert_ok(vp_domain_set_metadata(dom, title, "next", VP_DOMAIN_AFFECT_CONFIG));
    assert_metadata(dom, title, 0, NULL);
    assert_metadata(dom, title, VP_DOMAIN_AFFECT_CONFIG, "next");
    assert_true(xml_has(dom, VP_DOMAIN_XML_INACTIVE, "<title>next</title>"));
    restart(dom);
    assert_metadata(dom, title, 0, "next");
    assert_metadata(dom, desc, 0, NULL);
    /* "" removes it, from both at once. */
    assert_ok(
        vp_domain_set_metadata(dom, title, "", VP_DOMAIN_AFFECT_LIVE | VP_DOMAIN_AFFECT_CONFIG));
    assert_metadata(dom, title, 0, NULL);
    assert_metadata(dom, title, VP_DOMAIN_AFFECT_CONFIG, NULL);
    assert_error(vp_domain_set_metadata(dom, title, "two\nlines", 0), VP_ERR_INVALID_ARG,
                 "must be one line");
    assert_error(vp_domain_set_metadata(dom, 7, "x", 0), VP_ERR_INVALID_ARG, "unknown type 7");
    assert_error(vp_domain_get_metadata(dom, desc, VP_DOMAIN_AFFECT_LIVE | VP_DOMAIN_AFFECT_CONFIG,
                                        &(char *){NULL}),
                 VP_ERR_INVALID_ARG, "not both");
    assert_ok(vp_domain_destroy(dom, 0));
    assert_error(vp_domain_set_metadata(dom, desc, "x", VP_DOMAIN_AFFECT_LIVE),
                 VP_ERR_OPERATION_INVALID, "is not running");
    assert_ok(vp_domain_set_metadata(dom, desc, "shut off", 0));
    assert_metadata(dom, desc, 0, "shut off");
    vp_domain_free(dom);
    vp_conn_close(conn);
}

/* The core hides graphics passwords unless VP_DOMAIN_XML_SECURE asks
 * for them; the other attributes stay (a value with '>' and '/' too). */
static void
test_xml_secure(void **state)
{
    vp_conn *conn = open_default();
    const char *xml = "<domain type='test'><name>g</name><memory unit='KiB'>262144</memory>"
                      "<vcpu>1</vcpu><os><type>hvm</type></os><devices>"
                      "<graphics type='vnc' passwd='a/b>c' autoport='yes'/>"
                      "<graphics type='spice' passwd='two' passwdValidTo='2030-01-01T00:00:00'/>"
                      "</devices></domain>";
    vp_domain *dom = NULL;
    assert_ok(vp_domain_define_xml(conn, xml, 0, &dom));
    assert_false(xml_has(dom, 0, "passwd='"));
    assert_false(xml_has(dom, VP_DOMAIN_XML_INACTIVE, "passwd='"));
    assert_true(xml_has(dom, 0, "<graphics type='vnc' autoport='yes'"));
    assert_true(xml_has(dom, 0, "passwdValidTo='2030-01-01T00:00:00'"));
    assert_true(xml_has(dom, VP_DOMAIN_XML_SECURE, "passwd='a/b&gt;c'") ||
                xml_has(dom, VP_DOMAIN_XML_SECURE, "passwd='a/b>c'"));
    assert_true(xml_has(dom, VP_DOMAIN_XML_SECURE | VP_DOMAIN_XML_INACTIVE, "passwd='two'"));
    vp_domain_free(dom);
    vp_conn_close(conn);
}

/* vp_domain_update_device on the test driver, which changes no running
 * device (as libvirt's test driver): the definition takes the new
 * <graphics> of the same type whole, the other one stays. */
static void
test_update_device_config(void **state)
{
    vp_conn *conn = open_default();
    const char *xml = "<domain type='test'><name>u</name><memory unit='KiB'>262144</memory>"
                      "<vcpu>1</vcpu><os><type>hvm</type></os><devices>"
                      "<graphics type='vnc' passwd='one' autoport='yes'/>"
                      "<graphics type='spice' passwd='two' autoport='yes'>"
                      "<listen type='address' address='127.0.0.1'/></graphics>"
                      "</devices></domain>";
    vp_domain *dom = NULL;
    const unsigned int config = VP_DOMAIN_AFFECT_CONFIG, secure = VP_DOMAIN_XML_SECURE;
    assert_ok(vp_domain_define_xml(conn, xml, 0, &dom));
    assert_ok(vp_domain_update_device(dom, "<graphics type='spice' passwd='new' autoport='yes'/>",
                                      config));
    assert_true(xml_has(dom, secure, "<graphics type='vnc' autoport='yes' passwd='one'/>"));
    assert_true(xml_has(dom, secure, "<graphics type='spice' autoport='yes' passwd='new'/>"));
    assert_false(xml_has(dom, secure, "passwd='two'"));
    /* Shut off, no flag: the definition. */
    assert_ok(vp_domain_update_device(dom, "<graphics type='vnc' autoport='yes'/>", 0));
    assert_true(xml_has(dom, secure, "<graphics type='vnc' autoport='yes'/>"));
    assert_error(vp_domain_update_device(dom, "<graphics type='vnc'/>", VP_DOMAIN_AFFECT_LIVE),
                 VP_ERR_NOT_SUPPORTED, "domain-update-device");
    assert_error(vp_domain_update_device(dom, "<graphics type='rdp'/>", config), VP_ERR_INVALID_ARG,
                 "cannot find existing graphics device of type 'rdp'");
    assert_error(vp_domain_update_device(dom, "<sound model='ich6'/>", config),
                 VP_ERR_NOT_SUPPORTED, "<sound>");
    assert_error(vp_domain_update_device(dom, "<graphics type='vnc'/><graphics type='vnc'/>", 0),
                 VP_ERR_XML, "exactly one device element");
    assert_error(vp_domain_update_device(dom, "<graphics type='vnc'", 0), VP_ERR_XML, "line");
    assert_error(vp_domain_update_device(dom, "<graphics type='vnc'/>", 8), VP_ERR_INVALID_ARG,
                 "flags 0x8");
    /* Running: the test driver has no live change, as libvirt's. */
    assert_ok(vp_domain_start(dom, 0));
    assert_error(vp_domain_update_device(dom, "<graphics type='vnc'/>", 0), VP_ERR_NOT_SUPPORTED,
                 "domain-update-device");
    assert_ok(
        vp_domain_update_device(dom, "<graphics type='vnc' passwd='cfg' autoport='yes'/>", config));
    assert_true(xml_has(dom, secure | VP_DOMAIN_XML_INACTIVE, "passwd='cfg'"));
    assert_ok(vp_domain_destroy(dom, 0));
    assert_ok(vp_domain_undefine(dom, 0));
    vp_domain_free(dom);
    vp_conn_close(conn);
}

/* A <disk> is found by its target, an <interface> by its MAC address
 * (in any case), as libvirt finds them; the definition takes the new
 * element whole, the others stay. */
static void
test_update_device_disk_interface(void **state)
{
    (void)state;
    vp_conn *conn = open_default();
    const char *xml = "<domain type='test'><name>m</name><memory unit='KiB'>262144</memory>"
                      "<vcpu>1</vcpu><os><type>hvm</type></os><devices>"
                      "<disk type='file' device='cdrom'><target dev='hdc' bus='ide'/></disk>"
                      "<disk type='file' device='cdrom'><source file='/b.iso'/>"
                      "<target dev='hdd' bus='ide'/></disk>"
                      "<interface type='user'><mac address='52:54:00:00:00:0a'/></interface>"
                      "<interface type='user'><mac address='52:54:00:00:00:0b'/></interface>"
                      "</devices></domain>";
    vp_domain *dom = NULL;
    assert_ok(vp_domain_define_xml(conn, xml, 0, &dom));
    assert_ok(vp_domain_update_device(dom,
                                      "<disk type='file' device='cdrom'><source file='/a.iso'/>"
                                      "<target dev='hdc' bus='ide'/></disk>",
                                      0));
    assert_true(xml_has(dom, 0, "<source file='/a.iso'/>"));
    assert_true(xml_has(dom, 0, "<source file='/b.iso'/>"));
    assert_ok(vp_domain_update_device(
        dom, "<disk type='file' device='cdrom'><target dev='hdd' bus='ide'/></disk>", 0));
    assert_false(xml_has(dom, 0, "/b.iso"));
    assert_ok(vp_domain_update_device(dom,
                                      "<interface type='user'><mac address='52:54:00:00:00:0A'/>"
                                      "<link state='down'/></interface>",
                                      0));
    assert_true(xml_has(dom, 0, "<link state='down'/>"));
    assert_true(xml_has(dom, 0, "<mac address='52:54:00:00:00:0b'/>"));
    assert_error(vp_domain_update_device(dom,
                                         "<interface type='user'><mac address='52:54:00:00:00:0c'/>"
                                         "<link state='down'/></interface>",
                                         0),
                 VP_ERR_INVALID_ARG, "interface device with MAC address '52:54:00:00:00:0c'");
    assert_error(vp_domain_update_device(
                     dom, "<disk type='file' device='cdrom'><target dev='hdx'/></disk>", 0),
                 VP_ERR_INVALID_ARG, "disk device with target 'hdx'");
    assert_error(vp_domain_update_device(dom, "<interface type='user'/>", 0), VP_ERR_INVALID_ARG,
                 "<mac address>");
    vp_domain_free(dom);
    vp_conn_close(conn);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_memory_current_is_live),
        cmocka_unit_test(test_memory_config_waits_for_start),
        cmocka_unit_test(test_memory_maximum),
        cmocka_unit_test(test_memory_refusals),
        cmocka_unit_test(test_vcpus),
        cmocka_unit_test(test_metadata),
        cmocka_unit_test(test_xml_secure),
        cmocka_unit_test(test_update_device_config),
        cmocka_unit_test(test_update_device_disk_interface),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
