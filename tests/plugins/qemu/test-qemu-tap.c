/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-qemu-tap.c: <interface type='ethernet'> and type='bridge'
 * (plugins/qemu/qemu-tap.c) against real QEMU under TCG. The whole
 * program runs in a network namespace of its own (unshare at start; the
 * test skips where that is not allowed), so every tap and bridge it makes
 * or the driver makes lives and dies there: the host's network is never
 * touched. Taps are read back with ip(8) in that namespace (up, on the
 * bridge) and QEMU's NIC over QMP; they are gone once QEMU stops, also
 * when it is killed.
 */
#include <config.h>

#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <virtplug/sdk/alloc.h>
#include <virtplug/virtplug.h>

#include "qemu-test-qmp.h"
#include "qemu-test-util.h"

/* `ip -o link show ARGS...` in this namespace. (transfer full) */
static char *
ip_links(const char *a1, const char *a2)
{
    char *out = NULL;
    int r = qt_run_capture((const char *const[]){QT_IP, "-o", "link", "show", a1, a2, NULL}, &out);
    if (r != 0) {
        free(out);
        return vp_strdup("");
    }
    return out;
}

static void
test_ethernet_tap(void **state)
{
    qt_fixture *f = *state;
    qt_start(f, "pc", NULL,
             "<interface type='ethernet'><mac address='52:54:00:00:00:e1'/>"
             "<target dev='vptap0'/><model type='virtio'/></interface>");
    _cleanup_free_ char *link = ip_links("dev", "vptap0");
    assert_non_null(strstr(link, "vptap0:"));
    assert_non_null(strstr(link, "UP"));
    qt_assert_device_type(f, "net0", "virtio-net-pci");
    _cleanup_free_ char *mac = qt_qom_get(f, "/machine/peripheral/net0", "mac");
    assert_string_equal(mac, "52:54:00:00:00:e1");
    _cleanup_free_ char *net = qt_hmp(f, "info network");
    assert_non_null(strstr(net, "hostnet0: index=0,type=tap,fd="));
    /* The tap goes with QEMU. */
    qt_stop_undefine(f);
    _cleanup_free_ char *after = ip_links("dev", "vptap0");
    assert_string_equal(after, "");
}

/* Whether no tap is on @bridge any more, waiting up to @timeout_ms. */
static bool
taps_gone_within(const char *bridge, int timeout_ms)
{
    for (int waited = 0;; waited += 50) {
        _cleanup_free_ char *links = ip_links("master", bridge);
        if (!strstr(links, "vnet"))
            return true;
        if (waited >= timeout_ms)
            return false;
        usleep(50 * 1000);
    }
}

static void
test_bridge_tap(void **state)
{
    qt_fixture *f = *state;
    qt_start(f, "q35", NULL,
             "<interface type='bridge'><source bridge='" QT_BRIDGE
             "'/><model type='e1000'/></interface>"
             "<interface type='user'><model type='virtio'/></interface>");
    _cleanup_free_ char *on_bridge = ip_links("master", QT_BRIDGE);
    assert_non_null(strstr(on_bridge, "vnet"));
    assert_non_null(strstr(on_bridge, "UP"));
    qt_assert_device_type(f, "net0", "e1000");
    qt_assert_device_type(f, "net1", "virtio-net-pci");
    /* Killed, not stopped: the tap still goes with it. */
    pid_t pid = qt_pid(f->root, "dev");
    assert_true(pid > 0);
    qemu_monitor_close(VP_STEAL_PTR(f->mon));
    kill(pid, SIGKILL);
    assert_true(qt_wait_pid_gone(pid, 10000));
    /* The kernel unregisters a tap after its last descriptor closed, which
     * a loaded machine may do a little after the process is gone. */
    assert_true(taps_gone_within(QT_BRIDGE, 10000));
    int state_now = 0, reason = 0;
    assert_int_equal(vp_domain_get_state(f->dom, &state_now, &reason, 0), 0);
    assert_int_equal(state_now, VP_DOMAIN_SHUTOFF);
}

static void
test_missing_bridge(void **state)
{
    qt_fixture *f = *state;
    assert_int_equal(qt_define(f, "pc", NULL,
                               "<interface type='bridge'><source bridge='nosuchbr'/>"
                               "<target dev='vptap1'/></interface>"),
                     0);
    QT_ASSERT_ERROR(vp_domain_start(f->dom, 0), VP_ERR_INVALID_ARG, "bridge 'nosuchbr'",
                    "does not exist");
    _cleanup_free_ char *link = ip_links("dev", "vptap1");
    assert_string_equal(link, "");
    int state_now = 0, reason = 0;
    assert_int_equal(vp_domain_get_state(f->dom, &state_now, &reason, 0), 0);
    assert_int_equal(state_now, VP_DOMAIN_SHUTOFF);
}

int
main(int argc, char **argv)
{
    (void)argc;
    /* Everything below happens in a network namespace of this process. */
    int skip = qt_netns_enter();
    if (skip)
        return skip;
    const struct CMUnitTest tests[] = {
        QT_DEVICE_TEST(test_ethernet_tap),
        QT_BRIDGE_TEST(test_bridge_tap),
        QT_DEVICE_TEST(test_missing_bridge),
    };
    return qt_device_tests_main(argv, tests, sizeof(tests) / sizeof(tests[0]));
}
