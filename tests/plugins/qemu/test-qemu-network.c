/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-qemu-network.c: <interface type='network'> mapped through the
 * driver's qemu.conf (plugins/qemu/qemu-network.c), the NIC models,
 * <link state> and <mtu> against real QEMU under TCG, firmware-only
 * boots. Like test-qemu-tap, the whole program runs in a network
 * namespace of its own (unshare at start; skips where that is not
 * allowed): the bridge it makes never reaches the host's network.
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

#include "qemu-test-qmp.h"
#include "qemu-test-util.h"

/* virt-install's interface for libvirt's default network. */
#define VIRT_INSTALL_NIC                                                                           \
    "<interface type='network'><source network='default'/><model type='virtio'/></interface>"

static void
write_qemu_conf(qt_fixture *f, const char *text)
{
    _cleanup_free_ char *path = vp_asprintf("%s/config/qemu.conf", f->root);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    assert_int_equal(fclose(fp), 0);
}

static void
test_default_network(void **state)
{
    qt_fixture *f = *state;
    qt_start(f, "q35", NULL, VIRT_INSTALL_NIC);
    qt_assert_device_type(f, "net0", "virtio-net-pci");
    _cleanup_free_ char *net = qt_hmp(f, "info network");
    /* Outbound NAT, as on libvirt's default network: not restricted. */
    assert_non_null(strstr(net, "hostnet0: index=0,type=user,net=10.0.2.0,restrict=off"));
    /* The definition keeps what the user wrote. */
    _cleanup_free_ char *xml = NULL;
    assert_int_equal(vp_domain_get_xml(f->dom, 0, &xml), 0);
    assert_non_null(strstr(xml, "<interface type='network'>"));
    assert_non_null(strstr(xml, "<source network='default'/>"));
}

static void
test_network_on_bridge(void **state)
{
    qt_fixture *f = *state;
    write_qemu_conf(f, "# networks of this host\nnetwork.lan = bridge:" QT_BRIDGE "\n"
                       "network.default = user-restricted\n");
    qt_start(f, "q35", NULL,
             "<interface type='network'><source network='lan'/><target dev='vplantap'/>"
             "<model type='e1000e'/></interface>" VIRT_INSTALL_NIC "<interface type='user'/>");
    _cleanup_free_ char *on_bridge = NULL;
    assert_int_equal(qt_run_capture((const char *const[]){QT_IP, "-o", "link", "show", "master",
                                                          QT_BRIDGE, NULL},
                                    &on_bridge),
                     0);
    assert_non_null(strstr(on_bridge, "vplantap:"));
    qt_assert_device_type(f, "net0", "e1000e");
    _cleanup_free_ char *net = qt_hmp(f, "info network");
    assert_non_null(strstr(net, "hostnet0: index=0,type=tap,fd="));
    /* <interface type='user'> and "user-restricted" stay restricted. */
    assert_non_null(strstr(net, "hostnet1: index=0,type=user,net=10.0.2.0,restrict=on"));
    assert_non_null(strstr(net, "hostnet2: index=0,type=user,net=10.0.2.0,restrict=on"));
}

static void
test_unknown_network(void **state)
{
    qt_fixture *f = *state;
    QT_ASSERT_ERROR(
        qt_define(f, "pc", NULL,
                  "<interface type='network'><source network='nosuchnet'/></interface>"),
        VP_ERR_INVALID_ARG, "network 'nosuchnet'", "/config/qemu.conf", "network.nosuchnet = ");
    qt_assert_no_domain(f);
    /* A mapping that is neither user nor bridge:NAME names the file. */
    write_qemu_conf(f, "network.default = nat\n");
    QT_ASSERT_ERROR(qt_define(f, "pc", NULL, VIRT_INSTALL_NIC), VP_ERR_INVALID_ARG, "qemu.conf",
                    "'network.default = nat'", "bridge:BRIDGE");
    /* Any other key of the file is refused with its line. */
    write_qemu_conf(f, "network.default = user\nnetwrok.lan = user\n");
    QT_ASSERT_ERROR(qt_define(f, "pc", NULL, VIRT_INSTALL_NIC), VP_ERR_INVALID_ARG, "qemu.conf:2",
                    "unknown key 'netwrok.lan'");
    qt_assert_no_domain(f);
}

/* A mapping removed after the define: the start says which network and
 * which file, and nothing runs. */
static void
test_unmapped_at_start(void **state)
{
    qt_fixture *f = *state;
    write_qemu_conf(f, "network.lan = user-restricted\n");
    assert_int_equal(
        qt_define(f, "pc", NULL, "<interface type='network'><source network='lan'/></interface>"),
        0);
    write_qemu_conf(f, "network.other = user\n");
    QT_ASSERT_ERROR(vp_domain_start(f->dom, 0), VP_ERR_INVALID_ARG, "network 'lan'",
                    "/config/qemu.conf");
    int state_now = 0, reason = 0;
    assert_int_equal(vp_domain_get_state(f->dom, &state_now, &reason, 0), 0);
    assert_int_equal(state_now, VP_DOMAIN_SHUTOFF);
    assert_true(qt_pid(f->root, "dev") <= 0);
}

/* The STATUS register (offset 8 of BAR0) of the e1000 family NIC @id, read
 * once the firmware has placed its BAR0. */
static unsigned long
e1000_status(qt_fixture *f, const char *id)
{
    _cleanup_free_ char *want = vp_asprintf("id \"%s\"", id);
    for (int tries = 0; tries < 400; tries++) {
        _cleanup_free_ char *pci = qt_hmp(f, "info pci");
        char *end = strstr(pci, want);
        assert_non_null(end);
        *end = '\0';
        char *bar = strrchr(pci, '\n');
        while (bar && bar > pci && !strstr(bar, "BAR0: 32 bit memory at 0x")) {
            *bar = '\0';
            bar = strrchr(pci, '\n');
        }
        unsigned long addr = 0;
        if (bar && sscanf(strstr(bar, "BAR0: 32 bit memory at ") + 23, "%lx", &addr) == 1 &&
            addr != 0 && addr < 0xffffffffUL) {
            _cleanup_free_ char *cmd = vp_asprintf("xp /1wx 0x%lx", addr + 8);
            _cleanup_free_ char *out = qt_hmp(f, cmd);
            unsigned long v = 0;
            char *colon = strstr(out, ": ");
            assert_non_null(colon);
            assert_int_equal(sscanf(colon + 2, "%lx", &v), 1);
            return v;
        }
        usleep(50 * 1000);
    }
    fail_msg("the firmware never placed BAR0 of '%s'", id);
    return 0;
}

#define E1000_STATUS_LU 0x2ul

static void
test_link_state(void **state)
{
    qt_fixture *f = *state;
    qt_start(f, "pc", NULL,
             "<interface type='user'><model type='e1000e'/><link state='down'/></interface>"
             "<interface type='user'><model type='e1000'/><link state='up'/></interface>");
    qt_assert_device_type(f, "net0", "e1000e");
    qt_assert_device_type(f, "net1", "e1000");
    assert_int_equal(e1000_status(f, "net0") & E1000_STATUS_LU, 0);
    assert_int_equal(e1000_status(f, "net1") & E1000_STATUS_LU, E1000_STATUS_LU);
}

static void
test_mtu(void **state)
{
    qt_fixture *f = *state;
    qt_start(f, "pc", NULL,
             "<interface type='network'><source network='default'/><model type='virtio'/>"
             "<mtu size='1400'/></interface>");
    _cleanup_free_ char *mtu = qt_qom_get(f, "/machine/peripheral/net0", "host_mtu");
    assert_string_equal(mtu, "1400");
    qt_stop_undefine(f);
    QT_ASSERT_ERROR(qt_define(f, "pc", NULL,
                              "<interface type='user'><model type='e1000'/><mtu size='1400'/>"
                              "</interface>"),
                    VP_ERR_NOT_SUPPORTED, "<mtu size>", "not virtio");
    QT_ASSERT_ERROR(qt_define(f, "pc", NULL,
                              "<interface type='user'><model type='virtio'/><mtu size='12'/>"
                              "</interface>"),
                    VP_ERR_XML, "mtu size='12'", "68 to 65535");
    qt_assert_no_domain(f);
}

/* The @i-th "<mac address='...'/>" of @xml, or NULL. (transfer full) */
static char *
nth_mac(const char *xml, int i)
{
    const char *at = xml;
    for (int k = 0; k <= i; k++) {
        at = strstr(at, "<mac address='");
        if (!at)
            return NULL;
        at += strlen("<mac address='");
    }
    return vp_strndup(at, strcspn(at, "'"));
}

static void
test_mac_generated_and_kept(void **state)
{
    qt_fixture *f = *state;
    qt_start(
        f, "pc", NULL,
        "<interface type='user'/>"
        "<interface type='user'><mac address='52:54:00:ab:cd:ef'/></interface>" VIRT_INSTALL_NIC);
    _cleanup_free_ char *xml = NULL;
    assert_int_equal(vp_domain_get_xml(f->dom, 0, &xml), 0);
    _cleanup_free_ char *m0 = nth_mac(xml, 0), *m1 = nth_mac(xml, 1), *m2 = nth_mac(xml, 2);
    assert_non_null(m0);
    assert_non_null(m2);
    assert_null(nth_mac(xml, 3));
    assert_int_equal(strncmp(m0, "52:54:00:", 9), 0);
    assert_int_equal(strlen(m0), 17);
    assert_string_equal(m1, "52:54:00:ab:cd:ef");
    assert_int_equal(strncmp(m2, "52:54:00:", 9), 0);
    assert_string_not_equal(m0, m2);
    /* QEMU runs with the addresses of the definition. */
    const char *macs[] = {m0, m1, m2};
    for (int i = 0; i < 3; i++) {
        _cleanup_free_ char *path = vp_asprintf("/machine/peripheral/net%d", i);
        _cleanup_free_ char *mac = qt_qom_get(f, path, "mac");
        assert_string_equal(mac, macs[i]);
    }
    /* And the definition keeps them. */
    _cleanup_free_ char *again = NULL;
    assert_int_equal(vp_domain_get_xml(f->dom, 0, &again), 0);
    assert_string_equal(again, xml);
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
        QT_DEVICE_TEST(test_default_network),
        QT_BRIDGE_TEST(test_network_on_bridge),
        QT_DEVICE_TEST(test_unknown_network),
        QT_DEVICE_TEST(test_unmapped_at_start),
        QT_DEVICE_TEST(test_link_state),
        QT_DEVICE_TEST(test_mtu),
        QT_DEVICE_TEST(test_mac_generated_and_kept),
    };
    return qt_device_tests_main(argv, tests, sizeof(tests) / sizeof(tests[0]));
}
