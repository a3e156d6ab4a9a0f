/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-snapshot-conf.c: tests of framework/conf/snapshot-conf.c, the
 * <domainsnapshot> parser and formatter, through the exported SDK calls.
 *
 * Requests and records round-trip to their canonical form; record-only
 * elements are refused in a request; every kind of invalid input is a
 * VP_ERR_XML whose message names the element, the value and the line.
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <virtplug/virtplug.h>
#include <virtplug/sdk/alloc.h>
#include <virtplug/sdk/conf.h>

#include "test-assert.h"

VP_DEFINE_CLEANUP(vp_snapshot_def, vp_plugin_snapshot_def_free)

#define RECORD VP_PLUGIN_SNAPSHOT_PARSE_RECORD
#define KW(...) ((const char *const[]){__VA_ARGS__, NULL})

static char *
read_fixture(const char *name)
{
    const char *top = secure_getenv("VP_TOP_SRCDIR");
    _cleanup_free_ char *path = vp_asprintf("%s/tests/data/conf/%s", top ? top : "..", name);
    FILE *f = fopen(path, "r");
    if (!f)
        fail_msg("cannot open fixture '%s'", path);
    char *data = vp_new0(char, 1 << 16);
    size_t n = fread(data, 1, (1 << 16) - 1, f);
    fclose(f);
    data[n] = '\0';
    return data;
}

static vp_snapshot_def *
parse_ok(const char *xml, unsigned int flags)
{
    vp_snapshot_def *def = NULL;
    if (vp_plugin_snapshot_def_parse(xml, flags, &def) < 0)
        fail_msg("parse failed: %s", vp_error_last()->message);
    return def;
}

static char *
format_ok(const vp_snapshot_def *def)
{
    char *xml = NULL;
    if (vp_plugin_snapshot_def_format(def, 0, &xml) < 0)
        fail_msg("format failed: %s", vp_error_last()->message);
    return xml;
}

static void
test_round_trip(void **state)
{
    static const struct {
        const char *name;
        unsigned int flags;
    } fixtures[] = {
        {"snapshot-request", 0},
        {"snapshot-record", RECORD},
        {"snapshot-internal", RECORD},
    };
    for (size_t i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++) {
        _cleanup_free_ char *in_name = vp_asprintf("%s.xml", fixtures[i].name);
        _cleanup_free_ char *out_name = vp_asprintf("%s.out.xml", fixtures[i].name);
        _cleanup_free_ char *in = read_fixture(in_name);
        _cleanup_free_ char *expected = read_fixture(out_name);
        _cleanup_(vp_plugin_snapshot_def_freep) vp_snapshot_def *def =
            parse_ok(in, fixtures[i].flags);
        _cleanup_free_ char *out = format_ok(def);
        assert_string_equal(out, expected);
        _cleanup_(vp_plugin_snapshot_def_freep) vp_snapshot_def *again = parse_ok(out, RECORD);
        _cleanup_free_ char *out2 = format_ok(again);
        assert_string_equal(out2, out);
    }
}

static void
test_request_fields(void **state)
{
    _cleanup_free_ char *in = read_fixture("snapshot-request.xml");
    _cleanup_(vp_plugin_snapshot_def_freep) vp_snapshot_def *def = parse_ok(in, 0);
    assert_string_equal(def->name, "before-upgrade");
    assert_string_equal(def->description, "Disk-only snapshot before the upgrade");
    assert_int_equal(def->memory, VP_SNAPSHOT_LOCATION_NO);
    assert_int_equal(def->creation_time, 0);
    assert_int_equal(def->state, 0);
    assert_false(def->quiesced);
    assert_int_equal(def->n_disks, 3);
    assert_string_equal(def->disks[0].name, "vda");
    assert_int_equal(def->disks[0].location, VP_SNAPSHOT_LOCATION_EXTERNAL);
    assert_string_equal(def->disks[0].driver_type, "qcow2");
    assert_string_equal(def->disks[0].source_file,
                        "/var/lib/virtplug/images/vm.before-upgrade.qcow2");
    assert_string_equal(def->disks[1].name, "vdb");
    assert_int_equal(def->disks[1].location, VP_SNAPSHOT_LOCATION_NO);
    assert_null(def->disks[1].source_file);
    assert_string_equal(def->disks[2].name, "/var/lib/virtplug/images/data.qcow2");
    assert_int_equal(def->disks[2].location, VP_SNAPSHOT_LOCATION_DEFAULT);
    assert_null(def->disks[2].driver_type);
}

static void
test_record_fields(void **state)
{
    _cleanup_free_ char *in = read_fixture("snapshot-record.xml");
    _cleanup_(vp_plugin_snapshot_def_freep) vp_snapshot_def *def = parse_ok(in, RECORD);
    assert_string_equal(def->name, "nightly");
    assert_int_equal(def->state, VP_SNAPSHOT_STATE_DISK_SNAPSHOT);
    assert_int_equal(def->creation_time, 1763900000);
    assert_true(def->quiesced);
    _cleanup_free_ char *in2 = read_fixture("snapshot-internal.xml");
    _cleanup_(vp_plugin_snapshot_def_freep) vp_snapshot_def *def2 = parse_ok(in2, RECORD);
    assert_int_equal(def2->state, VP_DOMAIN_RUNNING);
    assert_int_equal(def2->memory, VP_SNAPSHOT_LOCATION_INTERNAL);
    assert_int_equal(def2->disks[0].location, VP_SNAPSHOT_LOCATION_INTERNAL);
    assert_false(def2->quiesced);
}

/* What "virsh snapshot-dumpxml" shows holds the domain's definition: a
 * record keeps it as text and gives it back; a request may not hold it. */
static void
test_libvirt_domain(void **state)
{
    _cleanup_free_ char *in = read_fixture("snapshot-libvirt.xml");
    _cleanup_(vp_plugin_snapshot_def_freep) vp_snapshot_def *def = parse_ok(in, RECORD);
    assert_non_null(def->domain_xml);
    assert_non_null(strstr(def->domain_xml, "<name>web</name>"));
    assert_non_null(strstr(def->domain_xml, "machine=\"pc-q35-7.2\""));
    _cleanup_free_ char *out = format_ok(def);
    _cleanup_(vp_plugin_snapshot_def_freep) vp_snapshot_def *again = parse_ok(out, RECORD);
    assert_string_equal(again->domain_xml, def->domain_xml);
    assert_non_null(strstr(out, "  <domain type=\"kvm\">\n    <name>web</name>"));
    vp_snapshot_def *bad = NULL;
    vpt_assert_error_words(vp_plugin_snapshot_def_parse(
                               "<domainsnapshot><domain type='kvm'/></domainsnapshot>", 0, &bad),
                           VP_ERR_XML, KW("line 1", "<domain> is set by the driver"));
    vpt_assert_error_words(
        vp_plugin_snapshot_def_parse(
            "<domainsnapshot><domain type='kvm'/><domain type='kvm'/></domainsnapshot>", RECORD,
            &bad),
        VP_ERR_XML, KW("<domain> appears more than once"));
    assert_null(bad);
}

/* What a driver fills in when it takes a snapshot appears in the record. */
static void
test_format_record(void **state)
{
    _cleanup_(vp_plugin_snapshot_def_freep) vp_snapshot_def *def = parse_ok("<domainsnapshot/>", 0);
    assert_null(def->name);
    _cleanup_free_ char *empty = format_ok(def);
    assert_string_equal(empty, "<domainsnapshot>\n</domainsnapshot>\n");
    def->name = vp_strdup("s1");
    def->state = VP_DOMAIN_PAUSED;
    def->creation_time = 42;
    def->quiesced = true;
    _cleanup_free_ char *out = format_ok(def);
    assert_string_equal(out, "<domainsnapshot>\n"
                             "  <name>s1</name>\n"
                             "  <state>paused</state>\n"
                             "  <creationTime>42</creationTime>\n"
                             "  <quiesced/>\n"
                             "</domainsnapshot>\n");
    /* The tree: libvirt's <parent><name>, after <state>, and back. */
    def->parent = vp_strdup("base");
    _cleanup_free_ char *child = format_ok(def);
    assert_non_null(strstr(child, "  <state>paused</state>\n"
                                  "  <parent>\n"
                                  "    <name>base</name>\n"
                                  "  </parent>\n"
                                  "  <creationTime>42</creationTime>\n"));
    _cleanup_(vp_plugin_snapshot_def_freep) vp_snapshot_def *back = parse_ok(child, RECORD);
    assert_string_equal(back->parent, "base");
    free(def->parent);
    def->parent = NULL;
    /* A request may not claim what only the driver knows. */
    vp_snapshot_def *none = NULL;
    vpt_assert_error_words(
        vp_plugin_snapshot_def_parse(out, 0, &none), VP_ERR_XML,
        KW("line 3:", "<state> is set by the driver", "remove it from the request"));
    assert_null(none);
}

#define SNAP(body) "<domainsnapshot>\n<name>s</name>\n" body "\n</domainsnapshot>"
#define DISKS(body) SNAP("<disks>\n" body "\n</disks>")

static const struct invalid_case {
    const char *xml;
    unsigned int flags;
    const char *const *keywords;
} invalid_cases[] = {
    {"", 0, KW("snapshot XML line 1", "malformed XML")},
    {"<domain/>", 0, KW("expected the root element <domainsnapshot>, found <domain>")},
    {"<domainsnapshot x='1'/>", 0, KW("unknown attribute 'x' on <domainsnapshot>")},
    {SNAP("<parent><name>p</name></parent>"), 0,
     KW("line 3:", "<parent> is set by the driver", "remove it from the request")},
    {SNAP("<parent/>"), RECORD, KW("line 3:", "<parent> needs a <name>")},
    {SNAP("<parent><name>a/b</name></parent>"), RECORD, KW("invalid snapshot name 'a/b'")},
    {SNAP("<parent><uuid>u</uuid></parent>"), RECORD, KW("unknown element <uuid> in <parent>")},
    {SNAP("<name>t</name>"), 0, KW("<name> appears more than once")},
    {"<domainsnapshot><name></name></domainsnapshot>", 0, KW("the snapshot name is empty")},
    {"<domainsnapshot><name>a/b</name></domainsnapshot>", 0,
     KW("invalid snapshot name 'a/b'",
        "a snapshot name cannot be empty, '.' or '..', or contain '/' or control characters")},
    {SNAP("<creationTime>1</creationTime>"), 0, KW("<creationTime> is set by the driver")},
    {SNAP("<quiesced/>"), 0, KW("<quiesced> is set by the driver")},
    {SNAP("<state>running</state>"), 0, KW("<state> is set by the driver")},
    {SNAP("<state>sleepy</state>"), RECORD, KW("invalid value 'sleepy' for <state>")},
    {SNAP("<creationTime>soon</creationTime>"), RECORD,
     KW("invalid value 'soon' for <creationTime>", "expected a number")},
    {SNAP("<creationTime>99999999999999999999</creationTime>"), RECORD,
     KW("for <creationTime>", "the largest")},
    {SNAP("<quiesced>yes</quiesced>"), RECORD, KW("unexpected text 'yes' in <quiesced>")},
    {SNAP("<memory snapshot='external' file='/m'/>"), 0, KW("unknown attribute 'file'")},
    {SNAP("<memory snapshot='external'/>"), 0,
     KW("invalid value 'external' for attribute 'snapshot' of <memory>", "'internal'")},
    {SNAP("<memory/>"), 0, KW("<memory> needs the attribute 'snapshot'")},
    {DISKS("<disk snapshot='external'/>"), 0, KW("line 4:", "<disk> needs the attribute 'name'")},
    {DISKS("<disk name=''/>"), 0, KW("invalid value '' for attribute 'name' of <disk>")},
    {DISKS("<disk name='vda' snapshot='maybe'/>"), 0,
     KW("invalid value 'maybe' for attribute 'snapshot' of <disk>", "'external'")},
    {DISKS("<disk name='vda'/>\n<disk name='vda'/>"), 0,
     KW("line 5:", "disk 'vda' is listed twice")},
    {DISKS("<disk name='vda' snapshot='internal'><source file='/o'/></disk>"), 0,
     KW("<source> is only allowed in a disk with snapshot='external'", "'internal'")},
    {DISKS("<disk name='vda' snapshot='no'><driver type='qcow2'/></disk>"), 0,
     KW("<driver> is only allowed", "not 'no'")},
    {DISKS("<disk name='vda'><driver type='raw'/></disk>"), 0,
     KW("invalid value 'raw' for attribute 'type' of <driver>", "'qcow2'")},
    {DISKS("<disk name='vda'><source file='o.qcow2'/></disk>"), 0,
     KW("invalid value 'o.qcow2' for attribute 'file' of <source>", "absolute path")},
    {DISKS("<disk name='vda'><source file='/o' type='file'/></disk>"), 0,
     KW("unknown attribute 'type' on <source>")},
    {DISKS("<disk name='vda'><target dev='vda'/></disk>"), 0,
     KW("unknown element <target> in <disk>")},
    {DISKS("<volume name='vda'/>"), 0, KW("unknown element <volume> in <disks>")},
    {"<!DOCTYPE x [<!ENTITY e 'v'>]><domainsnapshot><name>&e;</name></domainsnapshot>", 0,
     KW("DOCTYPE is not allowed")},
};

static void
test_invalid(void **state)
{
    for (size_t i = 0; i < sizeof(invalid_cases) / sizeof(invalid_cases[0]); i++) {
        vp_snapshot_def *def = NULL;
        int r = vp_plugin_snapshot_def_parse(invalid_cases[i].xml, invalid_cases[i].flags, &def);
        if (r >= 0)
            fail_msg("case %zu parsed: %s", i, invalid_cases[i].xml);
        assert_null(def);
        vpt_assert_error_words(r, VP_ERR_XML, invalid_cases[i].keywords);
    }
}

static void
test_invalid_args(void **state)
{
    vp_snapshot_def *def = NULL;
    char *xml = NULL;
    vpt_assert_error_words(vp_plugin_snapshot_def_parse(NULL, 0, &def), VP_ERR_INVALID_ARG,
                           KW("xml"));
    vpt_assert_error_words(vp_plugin_snapshot_def_parse("<domainsnapshot/>", 0, NULL),
                           VP_ERR_INVALID_ARG, KW("ret_def"));
    vpt_assert_error_words(vp_plugin_snapshot_def_parse("<domainsnapshot/>", 2, &def),
                           VP_ERR_INVALID_ARG, KW("unsupported flags 0x2"));
    vpt_assert_error_words(vp_plugin_snapshot_def_format(NULL, 0, &xml), VP_ERR_INVALID_ARG,
                           KW("def"));
    assert_null(def);
    assert_null(xml);
    vp_plugin_snapshot_def_free(NULL);
}

static void
test_format_refuses(void **state)
{
    _cleanup_(vp_plugin_snapshot_def_freep) vp_snapshot_def *def =
        parse_ok("<domainsnapshot><disks><disk name='vda'/></disks></domainsnapshot>", 0);
    char *xml = NULL;
    def->state = 99;
    vpt_assert_error_words(vp_plugin_snapshot_def_format(def, 0, &xml), VP_ERR_XML,
                           KW("invalid state 99"));
    def->state = 0;
    def->memory = VP_SNAPSHOT_LOCATION_EXTERNAL;
    vpt_assert_error_words(vp_plugin_snapshot_def_format(def, 0, &xml), VP_ERR_XML,
                           KW("invalid memory location"));
    def->memory = 0;
    def->disks[0].location = 7;
    vpt_assert_error_words(vp_plugin_snapshot_def_format(def, 0, &xml), VP_ERR_XML, KW("disk 0"));
    def->disks[0].location = VP_SNAPSHOT_LOCATION_INTERNAL;
    def->disks[0].source_file = vp_strdup("/overlay");
    vpt_assert_error_words(vp_plugin_snapshot_def_format(def, 0, &xml), VP_ERR_XML,
                           KW("disk 'vda' has an overlay", "'internal'"));
    def->disks[0].location = 0;
    def->description = vp_strdup("nul\x01");
    vpt_assert_error_words(vp_plugin_snapshot_def_format(def, 0, &xml), VP_ERR_XML,
                           KW("cannot format snapshot XML", "'description'"));
    assert_null(xml);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),     cmocka_unit_test(test_request_fields),
        cmocka_unit_test(test_record_fields),  cmocka_unit_test(test_format_record),
        cmocka_unit_test(test_invalid),        cmocka_unit_test(test_invalid_args),
        cmocka_unit_test(test_format_refuses), cmocka_unit_test(test_libvirt_domain),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
