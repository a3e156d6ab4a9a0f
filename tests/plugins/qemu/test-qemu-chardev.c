/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-qemu-chardev.c: serial ports, consoles and virtio channels
 * (plugins/qemu/qemu-chardev.c) against real QEMU under TCG, on
 * firmware-only domains. Each device is read back from QEMU: its QOM type,
 * index, port number and chardev, and query-chardev for the backend; the
 * unix and tcp backends are connected to (tcp on 127.0.0.1 only). The
 * guest agent's channel keeps its socket beside the other ports.
 */
#include <config.h>

#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>

#include <virtplug/sdk/alloc.h>
#include <virtplug/virtplug.h>

#include "qemu-test-qmp.h"
#include "qemu-test-util.h"

static void
assert_prop(qt_fixture *f, const char *id, const char *prop, const char *want)
{
    _cleanup_free_ char *path = vp_asprintf("/machine/peripheral/%s", id);
    _cleanup_free_ char *v = qt_qom_get(f, path, prop);
    assert_string_equal(v, want);
}

/* The query-chardev "filename" of chardev @label, or NULL. (transfer full) */
static char *
chardev_filename(qt_fixture *f, const char *label)
{
    json_object *list = qt_qmp(f, "query-chardev", NULL), *v;
    char *found = NULL;
    for (size_t i = 0; !found && i < json_object_array_length(list); i++) {
        json_object *c = json_object_array_get_idx(list, i);
        if (json_object_object_get_ex(c, "label", &v) &&
            strcmp(json_object_get_string(v), label) == 0 &&
            json_object_object_get_ex(c, "filename", &v))
            found = vp_strdup(json_object_get_string(v));
    }
    json_object_put(list);
    return found;
}

static void
assert_chardev_starts(qt_fixture *f, const char *label, const char *prefix)
{
    _cleanup_free_ char *name = chardev_filename(f, label);
    if (!name || strncmp(name, prefix, strlen(prefix)) != 0)
        fprintf(stderr, "%s: '%s', want '%s...'\n", label, name ? name : "(none)", prefix);
    assert_non_null(name);
    assert_int_equal(strncmp(name, prefix, strlen(prefix)), 0);
}

/* A free TCP port on 127.0.0.1 (the kernel's pick, released at once). */
static int
free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof(sa);
    assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
    close(fd);
    return ntohs(sa.sin_port);
}

static bool
connects_tcp(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET,
                             .sin_port = htons((uint16_t)port),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    bool ok = connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0;
    close(fd);
    return ok;
}

static bool
connects_unix(const char *path)
{
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
    bool ok = connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0;
    close(fd);
    return ok;
}

/* Four serial ports, one per backend kind, and a console that is the
 * first of them (libvirt's alias). */
static void
test_serial_ports(void **state)
{
    qt_fixture *f = *state;
    int port = free_port();
    _cleanup_free_ char *devices = vp_asprintf(
        "<serial type='pty'><target type='isa-serial' port='0'><model name='isa-serial'/>"
        "</target></serial>"
        "<serial type='file'><source path='%s/ttyS1.log'/><target port='1'/></serial>"
        "<serial type='unix'><source mode='bind' path='%s/ttyS2.sock'/><target port='2'/>"
        "</serial>"
        "<serial type='tcp'><source mode='bind' host='127.0.0.1' service='%d'/>"
        "<protocol type='telnet'/><target port='3'/></serial>"
        "<console type='pty'><target type='serial' port='0'/></console>",
        f->root, f->root, port);
    qt_start(f, "pc", NULL, devices);
    for (int i = 0; i < 4; i++) {
        _cleanup_free_ char *id = vp_asprintf("serial%d", i);
        _cleanup_free_ char *chr = vp_asprintf("charserial%d", i);
        _cleanup_free_ char *index = vp_asprintf("%d", i);
        qt_assert_device_type(f, id, "isa-serial");
        assert_prop(f, id, "index", index);
        assert_prop(f, id, "chardev", chr);
    }
    assert_chardev_starts(f, "charserial0", "pty:/dev/pts/");
    _cleanup_free_ char *log = vp_asprintf("%s/ttyS1.log", f->root);
    assert_int_equal(access(log, F_OK), 0);
    _cleanup_free_ char *sock = vp_asprintf("%s/ttyS2.sock", f->root);
    _cleanup_free_ char *unix_name = vp_asprintf("disconnected:unix:%s,server=on", sock);
    assert_chardev_starts(f, "charserial2", unix_name);
    assert_true(connects_unix(sock));
    assert_chardev_starts(f, "charserial3", "disconnected:telnet:127.0.0.1:");
    assert_true(connects_tcp(port));
    /* The console is serial0 itself: no second device, no second pty. */
    _cleanup_free_ char *none = chardev_filename(f, "charconsole0");
    assert_null(none);
}

/* Without <serial>, the console becomes serial port 0 (libvirt's rule);
 * a virtio console is a virtconsole; null and file backends. */
static void
test_console_without_serial(void **state)
{
    qt_fixture *f = *state;
    _cleanup_free_ char *devices =
        vp_asprintf("<console type='pty'><target type='serial' port='0'/></console>"
                    "<console type='file'><source path='%s/hvc0.log' append='on'/>"
                    "<target type='virtio' port='1'/></console>"
                    "<console type='null'><target type='virtio' port='2'/></console>",
                    f->root);
    qt_start(f, "q35", NULL, devices);
    qt_assert_device_type(f, "serial0", "isa-serial");
    assert_chardev_starts(f, "charserial0", "pty:/dev/pts/");
    qt_assert_device_type(f, "console1", "virtconsole");
    assert_prop(f, "console1", "chardev", "charconsole1");
    qt_assert_device_type(f, "console2", "virtconsole");
    assert_chardev_starts(f, "charconsole2", "null");
    qt_assert_device_type(f, "virtio-serial0", "virtio-serial-pci");
}

/* The guest agent's channel beside other virtio ports, at the port
 * numbers the XML gives, on a declared virtio-serial controller. */
static void
test_channels_beside_agent(void **state)
{
    qt_fixture *f = *state;
    _cleanup_free_ char *devices = vp_asprintf(
        "<controller type='virtio-serial' index='0'>"
        "<address type='pci' domain='0x0000' bus='0x00' slot='0x06' function='0x0'/>"
        "</controller>"
        "<channel type='unix'><source mode='bind' path='%s/test.sock'/>"
        "<target type='virtio' name='org.example.test.0'/>"
        "<address type='virtio-serial' controller='0' bus='0' port='3'/></channel>"
        "<channel type='unix'><source mode='bind'/>"
        "<target type='virtio' name='org.qemu.guest_agent.0'/>"
        "<address type='virtio-serial' controller='0' bus='0' port='1'/></channel>"
        "<channel type='pty'><target type='virtio' name='org.example.pty.0'/></channel>",
        f->root);
    qt_start(f, "pc", NULL, devices);
    qt_assert_device_type(f, "channel0", "virtserialport");
    assert_prop(f, "channel0", "name", "org.qemu.guest_agent.0");
    assert_prop(f, "channel0", "nr", "1");
    assert_prop(f, "channel1", "name", "org.example.test.0");
    assert_prop(f, "channel1", "nr", "3");
    assert_prop(f, "channel3", "name", "org.example.pty.0");
    assert_prop(f, "channel3", "nr", "2"); /* 1 and 3 are taken */
    assert_chardev_starts(f, "charchannel3", "pty:/dev/pts/");
    _cleanup_free_ char *addr = qt_qom_get(f, "/machine/peripheral/virtio-serial0", "addr");
    assert_string_equal(addr, "48");
    _cleanup_free_ char *sock = vp_asprintf("%s/test.sock", f->root);
    assert_true(connects_unix(sock));
    /* The agent's socket is the driver's, as before. */
    assert_true(qt_run_file_exists(f->root, "dev", ".agent.in"));
    _cleanup_free_ char *xml = NULL;
    assert_int_equal(vp_domain_get_xml(f->dom, 0, &xml), 0);
    assert_non_null(strstr(xml, "<target type='virtio' name='org.example.pty.0'/>"));
}

static void
test_refused_chardevs(void **state)
{
    qt_fixture *f = *state;
    QT_ASSERT_ERROR(qt_define(f, "pc", NULL,
                              "<channel type='spicevmc'>"
                              "<target type='virtio' name='com.redhat.spice.0'/></channel>"),
                    VP_ERR_NOT_SUPPORTED, "spicevmc", "<graphics type='spice'>");
    QT_ASSERT_ERROR(qt_define(f, "pc", NULL,
                              "<console type='pty'/><console type='pty'>"
                              "<target type='serial' port='1'/></console>"),
                    VP_ERR_NOT_SUPPORTED, "first <console>", "virtio");
    QT_ASSERT_ERROR(qt_define(f, "pc", NULL, "<serial type='unix'><target port='0'/></serial>"),
                    VP_ERR_NOT_SUPPORTED, "<serial type='unix'>", "<source path");
    QT_ASSERT_ERROR(qt_define(f, "pc", NULL, "<serial type='pty'><target port='4'/></serial>"),
                    VP_ERR_XML, "port='4'");
    QT_ASSERT_ERROR(qt_define(f, "pc", NULL, "<serial type='udp'/>"), VP_ERR_XML, "udp");
    qt_assert_no_domain(f);
    /* A regular file where a socket would go is never replaced. */
    _cleanup_free_ char *file = vp_asprintf("%s/not-a-socket", f->root);
    FILE *fp = fopen(file, "w");
    assert_non_null(fp);
    fputs("keep", fp);
    fclose(fp);
    _cleanup_free_ char *devices = vp_asprintf(
        "<serial type='unix'><source mode='bind' path='%s'/><target port='0'/></serial>", file);
    assert_int_equal(qt_define(f, "pc", NULL, devices), 0);
    QT_ASSERT_ERROR(vp_domain_start(f->dom, 0), VP_ERR_INVALID_ARG, "not-a-socket",
                    "is not a socket");
    struct stat st;
    assert_int_equal(stat(file, &st), 0);
    assert_true(S_ISREG(st.st_mode));
    assert_int_equal(st.st_size, 4);
}

int
main(int argc, char **argv)
{
    (void)argc;
    const struct CMUnitTest tests[] = {
        QT_DEVICE_TEST(test_serial_ports),
        QT_DEVICE_TEST(test_console_without_serial),
        QT_DEVICE_TEST(test_channels_beside_agent),
        QT_DEVICE_TEST(test_refused_chardevs),
    };
    return qt_device_tests_main(argv, tests, sizeof(tests) / sizeof(tests[0]));
}
