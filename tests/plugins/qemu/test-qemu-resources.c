/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-qemu-resources.c: setmem, setmaxmem and setvcpus on real QEMU
 * (plugins/qemu/qemu-resources.c and the core's definition changes): the
 * balloon target of a running domain, the limits QEMU reports, the
 * refusals that say why, a definition change that the next start uses,
 * the running definition's title and description (plugins/qemu/qemu-live.c)
 * and the balloon target a start sets from <currentMemory>.
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

/* <title> and <description>: the running definition (live) and the
 * definition (config) apart, as libvirt keeps them. */
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
    /* The running domain still has none. */
    assert_int_equal(vp_domain_get_metadata(f->dom, VP_DOMAIN_METADATA_DESCRIPTION, 0, &text), 0);
    assert_null(text);
    assert_int_equal(vp_domain_set_metadata(f->dom, VP_DOMAIN_METADATA_DESCRIPTION, "live <&>\nx",
                                            VP_DOMAIN_AFFECT_LIVE),
                     0);
    assert_int_equal(vp_domain_set_metadata(f->dom, VP_DOMAIN_METADATA_TITLE, "T", 0), 0);
    assert_int_equal(vp_domain_get_metadata(f->dom, VP_DOMAIN_METADATA_DESCRIPTION,
                                            VP_DOMAIN_AFFECT_LIVE, &text),
                     0);
    assert_string_equal(text, "live <&>\nx");
    free(text);
    assert_int_equal(vp_domain_get_metadata(f->dom, VP_DOMAIN_METADATA_DESCRIPTION,
                                            VP_DOMAIN_AFFECT_CONFIG, &text),
                     0);
    assert_string_equal(text, "two\nlines");
    free(text);
    /* Placed where libvirt places them, the rest of the XML as it was. */
    char *live = NULL, *config = NULL;
    assert_int_equal(vp_domain_get_xml(f->dom, 0, &live), 0);
    assert_non_null(strstr(live, "</uuid>\n  <title>T</title>\n  <description>live &lt;&amp;&gt;\nx"
                                 "</description>\n  <memory"));
    free(live);
    QT_ASSERT_ERROR(
        vp_domain_set_metadata(f->dom, VP_DOMAIN_METADATA_TITLE, "a\x01", VP_DOMAIN_AFFECT_LIVE),
        VP_ERR_INVALID_ARG, "control character");
    assert_int_equal(
        vp_domain_set_metadata(f->dom, VP_DOMAIN_METADATA_TITLE, NULL, VP_DOMAIN_AFFECT_LIVE), 0);
    assert_int_equal(vp_domain_get_xml(f->dom, 0, &live), 0);
    assert_null(strstr(live, "<title>"));
    free(live);
    /* Stopped: the definition, with its own texts; started again, those. */
    assert_int_equal(vp_domain_destroy(f->dom, 0), 0);
    QT_ASSERT_ERROR(
        vp_domain_set_metadata(f->dom, VP_DOMAIN_METADATA_TITLE, "x", VP_DOMAIN_AFFECT_LIVE),
        VP_ERR_OPERATION_INVALID, "not running");
    assert_int_equal(vp_domain_get_xml(f->dom, 0, &config), 0);
    assert_non_null(strstr(config, "<title>web &amp; db</title>"));
    qt_start_defined(f);
    release_monitor(f);
    assert_int_equal(vp_domain_get_xml(f->dom, 0, &live), 0);
    assert_string_equal(live, config);
    free(live);
    free(config);
}

/* <currentMemory> below <memory>: once QEMU runs, the driver sets the
 * balloon target to it (QMP balloon, as libvirt). The firmware has no
 * balloon driver to move "actual", so QEMU's own trace of the target
 * (an <emulator> wrapper turns the trace event on) shows it. */
static void
test_start_balloon(void **state)
{
    qt_fixture *f = *state;
    _cleanup_free_ char *wrapper = vp_asprintf("%s/qemu-traced", f->root);
    _cleanup_free_ char *trace = vp_asprintf("%s/trace.log", f->root);
    FILE *w = fopen(wrapper, "w");
    assert_non_null(w);
    fprintf(w, "#!/bin/sh\nexec %s -trace enable=virtio_balloon_to_target -D %s \"$@\"\n",
            QEMU_BINARY, trace);
    fclose(w);
    assert_int_equal(chmod(wrapper, 0755), 0);
    _cleanup_free_ char *devices =
        vp_asprintf("<emulator>%s</emulator><memballoon model='virtio'/>", wrapper);
    qt_start(f, "pc", "  <currentMemory unit='MiB'>40</currentMemory>\n", devices);
    release_monitor(f);
    _cleanup_free_ char *log = NULL;
    assert_int_equal(qt_run_capture((const char *const[]){"/bin/cat", trace, NULL}, &log), 0);
    /* 40 MiB: 0x2800000 bytes, 10240 pages of 4 KiB below 64 MiB's 16384. */
    assert_non_null(strstr(log, "virtio_balloon_to_target balloon target: 0x2800000"));
}

/* Without a balloon QEMU runs with all of <memory>: nothing is asked. */
static void
test_start_no_balloon(void **state)
{
    qt_fixture *f = *state;
    qt_start(f, "pc", "  <currentMemory unit='MiB'>40</currentMemory>\n",
             "<memballoon model='none'/>");
    release_monitor(f);
    vp_domain_info info = {.size = sizeof(info)};
    assert_int_equal(vp_domain_get_info(f->dom, &info), 0);
    assert_int_equal(info.memory_kib, 65536);
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
        QT_DEVICE_TEST(test_live_memory),      QT_DEVICE_TEST(test_live_memory_without_balloon),
        QT_DEVICE_TEST(test_live_vcpus),       QT_DEVICE_TEST(test_config_next_start),
        QT_DEVICE_TEST(test_metadata),         QT_DEVICE_TEST(test_start_balloon),
        QT_DEVICE_TEST(test_start_no_balloon),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
