/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-qemu-resources.c: setmem, setmaxmem and setvcpus on real QEMU
 * (plugins/qemu/qemu-resources.c and the core's definition changes): the
 * balloon target of a running domain, the limits QEMU reports, the
 * refusals that say why, and a definition change that the next start uses.
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <virtplug/sdk/alloc.h>
#include <virtplug/virtplug.h>

#include "qemu-monitor.h"
#include "qemu-test-qmp.h"
#include "qemu-test-util.h"

/* The driver takes the QMP socket for each call: QEMU serves one client. */
static void
release_monitor(qt_fixture *f)
{
    if (f->mon)
        qemu_monitor_close(VP_STEAL_PTR(f->mon));
}

static void
test_live_memory(void **state)
{
    qt_fixture *f = *state;
    qt_start(f, "pc", NULL, "<memballoon model='virtio'/>");
    release_monitor(f);
    assert_int_equal(vp_domain_set_memory_flags(f->dom, 32768, VP_DOMAIN_AFFECT_LIVE), 0);
    QT_ASSERT_ERROR(vp_domain_set_memory_flags(f->dom, 131072, VP_DOMAIN_AFFECT_LIVE),
                    VP_ERR_INVALID_ARG, "higher than max memory", "131072 KiB > 65536 KiB");
    QT_ASSERT_ERROR(vp_domain_set_memory_flags(f->dom, 131072, VP_DOMAIN_MEM_MAXIMUM),
                    VP_ERR_OPERATION_INVALID, "maximum memory of running domain 'dev'");
    /* The definition is untouched by a live change. */
    char *xml = NULL;
    assert_int_equal(vp_domain_get_xml(f->dom, VP_DOMAIN_XML_INACTIVE, &xml), 0);
    assert_null(strstr(xml, "32768"));
    free(xml);
}

static void
test_live_memory_without_balloon(void **state)
{
    qt_fixture *f = *state;
    qt_start(f, "pc", NULL, "<memballoon model='none'/>");
    release_monitor(f);
    QT_ASSERT_ERROR(vp_domain_set_memory_flags(f->dom, 32768, 0), VP_ERR_NOT_SUPPORTED,
                    "no balloon device", "<memballoon model='virtio'/>");
}

static void
test_live_vcpus(void **state)
{
    qt_fixture *f = *state;
    qt_start(f, "pc", "  <vcpu>2</vcpu>\n", NULL);
    release_monitor(f);
    assert_int_equal(vp_domain_set_vcpus_flags(f->dom, 2, VP_DOMAIN_AFFECT_LIVE), 0);
    QT_ASSERT_ERROR(vp_domain_set_vcpus_flags(f->dom, 1, 0), VP_ERR_NOT_SUPPORTED, "from 2 to 1",
                    "not supported yet", "no free slot");
    QT_ASSERT_ERROR(vp_domain_set_vcpus_flags(f->dom, 3, 0), VP_ERR_INVALID_ARG,
                    "exceeds maximum (3 > 2)");
}

/* A definition change of a running domain: kept for its next start. */
static void
test_config_next_start(void **state)
{
    qt_fixture *f = *state;
    qt_start(f, "pc", NULL, NULL);
    release_monitor(f);
    assert_int_equal(
        vp_domain_set_memory_flags(f->dom, 131072, VP_DOMAIN_MEM_MAXIMUM | VP_DOMAIN_AFFECT_CONFIG),
        0);
    /* A maximum above the current count needs <vcpu current>, which the
     * driver does not support: refused by its define, naming it. */
    int r = vp_domain_set_vcpus_flags(f->dom, 2, VP_DOMAIN_VCPU_MAXIMUM | VP_DOMAIN_AFFECT_CONFIG);
    assert_true(r < 0);
    assert_non_null(strstr(vp_error_last()->message, "current"));
    char *xml = NULL;
    assert_int_equal(vp_domain_get_xml(f->dom, VP_DOMAIN_XML_INACTIVE, &xml), 0);
    assert_non_null(strstr(xml, "<memory unit='KiB'>131072</memory>"));
    assert_null(strstr(xml, "current="));
    free(xml);
    assert_int_equal(vp_domain_destroy(f->dom, 0), 0);
    qt_start_defined(f);
    json_object *sum = qt_qmp(f, "query-memory-size-summary", NULL), *base;
    assert_true(json_object_object_get_ex(sum, "base-memory", &base));
    assert_int_equal(json_object_get_int64(base), 128 * 1024 * 1024);
    json_object_put(sum);
}

/* <title> and <description>: in the definition only (the driver keeps no
 * running definition apart). */
static void
test_metadata(void **state)
{
    qt_fixture *f = *state;
    qt_start(f, "pc", NULL, NULL);
    release_monitor(f);
    assert_int_equal(vp_domain_set_metadata(f->dom, VP_DOMAIN_METADATA_TITLE, "web & db",
                                            VP_DOMAIN_AFFECT_CONFIG),
                     0);
    assert_int_equal(vp_domain_set_metadata(f->dom, VP_DOMAIN_METADATA_DESCRIPTION, "two\nlines",
                                            VP_DOMAIN_AFFECT_CONFIG),
                     0);
    char *text = NULL;
    assert_int_equal(
        vp_domain_get_metadata(f->dom, VP_DOMAIN_METADATA_TITLE, VP_DOMAIN_AFFECT_CONFIG, &text),
        0);
    assert_string_equal(text, "web & db");
    free(text);
    assert_int_equal(vp_domain_get_metadata(f->dom, VP_DOMAIN_METADATA_DESCRIPTION, 0, &text), 0);
    assert_string_equal(text, "two\nlines");
    free(text);
    QT_ASSERT_ERROR(vp_domain_set_metadata(f->dom, VP_DOMAIN_METADATA_TITLE, "x", 0),
                    VP_ERR_NOT_SUPPORTED, "does not implement 'domain-set-metadata'");
}

int
main(int argc, char **argv)
{
    if (argc > 1 && strncmp(argv[1], "child-", 6) == 0)
        return qt_child_main(argc, argv);
    if (access(QEMU_BINARY, X_OK) < 0) {
        fprintf(stderr, "SKIP: '%s' is not installed (Debian package qemu-system-x86)\n",
                QEMU_BINARY);
        return 77;
    }
    const struct CMUnitTest tests[] = {
        QT_DEVICE_TEST(test_live_memory), QT_DEVICE_TEST(test_live_memory_without_balloon),
        QT_DEVICE_TEST(test_live_vcpus),  QT_DEVICE_TEST(test_config_next_start),
        QT_DEVICE_TEST(test_metadata),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
