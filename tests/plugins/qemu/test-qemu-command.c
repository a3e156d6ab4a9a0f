/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-qemu-command.c: the QEMU command line built from domain XML
 * (plugins/qemu/qemu-command.c), checked argument by argument: what QEMU
 * is asked to do, the block node names snapshots rely on, each path
 * spelled as QEMU reads the option that carries it, the settings the
 * driver refuses instead of ignoring, and the arguments of the elements
 * beyond the 1.0 subset (qemu-devices.c) from their stored tree.
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <virtplug/sdk/alloc.h>
#include <virtplug/sdk/conf.h>
#include <virtplug/virtplug.h>

#include "qemu-driver.h"
#include "qemu-devices.h"

static const qemu_command_paths paths = {
    .qmp = "/run/vp/d.qmp",
    .pidfile = "/run/vp/d.pid",
    .agent = "/run/vp/d.agent",
    .accel = "tcg",
};

static char **
build(const char *body, int expect)
{
    _cleanup_free_ char *xml =
        vp_asprintf("<domain type='kvm'><name>d</name>"
                    "<uuid>6f1c9a3e-52a4-4c1b-9d6e-0a1b2c3d4e5f</uuid>"
                    "<memory unit='MiB'>256</memory><vcpu>2</vcpu>%s</domain>",
                    body);
    vp_domain_def *def = NULL;
    int r = vp_plugin_domain_def_parse(xml, 0, &def);
    if (r < 0)
        fprintf(stderr, "parse: %s\n", vp_error_last()->message);
    assert_int_equal(r, 0);
    char **argv = NULL;
    assert_int_equal(qemu_command_build("/usr/bin/qemu-system-x86_64", def, &paths, &argv), expect);
    vp_plugin_domain_def_free(def);
    return argv;
}

/* The value after option @opt, at its @nth occurrence (0-based), or NULL. */
static const char *
opt_value(char **argv, const char *opt, int nth)
{
    for (size_t i = 0; argv[i] && argv[i + 1]; i++) {
        if (strcmp(argv[i], opt) == 0 && nth-- == 0)
            return argv[i + 1];
    }
    return NULL;
}

static bool
has_arg(char **argv, const char *arg)
{
    for (size_t i = 0; argv[i]; i++) {
        if (strcmp(argv[i], arg) == 0)
            return true;
    }
    return false;
}

static void
test_basic_options(void **state)
{
    char **argv = build("<os><type arch='x86_64' machine='q35'>hvm</type></os>", 0);
    assert_string_equal(argv[0], "/usr/bin/qemu-system-x86_64");
    assert_string_equal(opt_value(argv, "-name", 0), "guest=d");
    assert_string_equal(opt_value(argv, "-uuid", 0), "6f1c9a3e-52a4-4c1b-9d6e-0a1b2c3d4e5f");
    assert_string_equal(opt_value(argv, "-machine", 0), "q35");
    assert_string_equal(opt_value(argv, "-accel", 0), "tcg");
    assert_string_equal(opt_value(argv, "-m", 0), "262144k");
    assert_string_equal(opt_value(argv, "-smp", 0), "2");
    assert_string_equal(opt_value(argv, "-display", 0), "none");
    assert_string_equal(opt_value(argv, "-pidfile", 0), "/run/vp/d.pid");
    assert_string_equal(opt_value(argv, "-chardev", 0),
                        "socket,id=charmonitor,path=/run/vp/d.qmp,server=on,wait=off");
    assert_string_equal(opt_value(argv, "-mon", 0), "chardev=charmonitor,mode=control");
    assert_null(opt_value(argv, "-qmp", 0));
    assert_true(has_arg(argv, "-daemonize"));
    assert_true(has_arg(argv, "-nodefaults"));
    assert_true(has_arg(argv, "-no-user-config"));
    assert_false(has_arg(argv, "-no-reboot"));
    assert_null(opt_value(argv, "-kernel", 0));
    vp_strv_free(argv);
}

static void
test_kernel_disks_agent_serial(void **state)
{
    char **argv =
        build("<os><type>hvm</type><kernel>/g/vmlinuz</kernel><initrd>/g/initrd,1.gz</initrd>"
              "<cmdline>console=ttyS0 quiet</cmdline></os>"
              "<devices>"
              "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
              "<source file='/img/a,b.qcow2'/><target dev='vda' bus='virtio'/></disk>"
              "<disk type='file' device='disk'><driver name='qemu' type='raw'/>"
              "<source file='/img/data.raw'/><target dev='hdb' bus='ide'/><readonly/></disk>"
              "<channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>"
              "<serial type='file'><source path='/log/console.log'/></serial>"
              "</devices>",
              0);
    assert_string_equal(opt_value(argv, "-machine", 0), "pc");
    assert_string_equal(opt_value(argv, "-kernel", 0), "/g/vmlinuz");
    assert_string_equal(opt_value(argv, "-initrd", 0), "/g/initrd,1.gz");
    assert_string_equal(opt_value(argv, "-append", 0), "console=ttyS0 quiet");
    /* Protocol node file-DEV under format node drive-DEV: QMP snapshots name these. */
    assert_string_equal(
        opt_value(argv, "-blockdev", 0),
        "{\"driver\":\"file\",\"filename\":\"/img/a,b.qcow2\",\"node-name\":\"file-vda\"}");
    assert_string_equal(opt_value(argv, "-blockdev", 1),
                        "{\"driver\":\"qcow2\",\"file\":\"file-vda\",\"node-name\":\"drive-vda\"}");
    /* Every PCI device has its slot, from 2 up on pc (01 is PIIX3). */
    assert_string_equal(opt_value(argv, "-device", 0),
                        "virtio-blk-pci,bus=pci.0,addr=0x2,drive=drive-vda,id=vda");
    assert_string_equal(
        opt_value(argv, "-blockdev", 2),
        "{\"driver\":\"file\",\"filename\":\"/img/data.raw\",\"node-name\":\"file-hdb\",\"read-only\":true}");
    assert_string_equal(
        opt_value(argv, "-blockdev", 3),
        "{\"driver\":\"raw\",\"file\":\"file-hdb\",\"node-name\":\"drive-hdb\",\"read-only\":true}");
    assert_string_equal(opt_value(argv, "-device", 1), "ide-hd,drive=drive-hdb,id=hdb");
    assert_string_equal(opt_value(argv, "-chardev", 1),
                        "socket,id=charagent0,path=/run/vp/d.agent,server=on,wait=off");
    assert_string_equal(opt_value(argv, "-device", 2),
                        "virtio-serial-pci,id=virtio-serial0,bus=pci.0,addr=0x3");
    assert_non_null(strstr(opt_value(argv, "-device", 3), "name=org.qemu.guest_agent.0"));
    assert_string_equal(opt_value(argv, "-chardev", 2),
                        "file,id=charserial0,path=/log/console.log");
    assert_string_equal(opt_value(argv, "-serial", 0), "chardev:charserial0");
    vp_strv_free(argv);

    _cleanup_free_ char *node = qemu_command_drive_node("vdb");
    assert_string_equal(node, "drive-vdb");
}

static void
test_boot_order_and_lifecycle(void **state)
{
    char **argv = build("<os><type>hvm</type><boot dev='cdrom'/><boot dev='hd'/></os>"
                        "<on_reboot>destroy</on_reboot>",
                        0);
    assert_string_equal(opt_value(argv, "-boot", 0), "order=dc");
    assert_true(has_arg(argv, "-no-reboot"));
    assert_null(opt_value(argv, "-action", 0));
    vp_strv_free(argv);
    /* A panicked guest kept: QEMU pauses it instead of exiting. */
    argv = build("<os><type>hvm</type></os><on_crash>preserve</on_crash>", 0);
    assert_string_equal(opt_value(argv, "-action", 0), "panic=pause");
    vp_strv_free(argv);
}

/* The events-only monitor (qemu-events-qmp.c), a second -mon beside the
 * operations' one, when the caller names its socket; the events log's
 * monitor (qemu-events-log.c), a third, when the caller names its base. */
static void
test_events_monitor(void **state)
{
    qemu_command_paths p = paths;
    p.qmp_events = "/run/vp/d.qmp-events";
    p.events_log = "/run/vp/d,x.events-log";
    _cleanup_free_ char *xml = vp_strdup("<domain type='qemu'><name>d</name>"
                                         "<memory unit='MiB'>64</memory>"
                                         "<os><type>hvm</type></os></domain>");
    vp_domain_def *def = NULL;
    assert_int_equal(vp_plugin_domain_def_parse(xml, 0, &def), 0);
    char **argv = NULL;
    assert_int_equal(qemu_command_build("/usr/bin/qemu-system-x86_64", def, &p, &argv), 0);
    assert_string_equal(opt_value(argv, "-chardev", 0),
                        "socket,id=charmonitor,path=/run/vp/d.qmp,server=on,wait=off");
    assert_string_equal(opt_value(argv, "-chardev", 1),
                        "socket,id=charevents,path=/run/vp/d.qmp-events,server=on,wait=off");
    assert_string_equal(opt_value(argv, "-mon", 0), "chardev=charmonitor,mode=control");
    assert_string_equal(opt_value(argv, "-mon", 1), "chardev=charevents,mode=control");
    /* QEMU's own events log (qemu-events-log.c): a pipe chardev, its
     * path's comma doubled. */
    assert_string_equal(opt_value(argv, "-chardev", 2),
                        "pipe,id=chareventslog,path=/run/vp/d,,x.events-log");
    assert_string_equal(opt_value(argv, "-mon", 2), "chardev=chareventslog,mode=control");
    vp_strv_free(argv);
    vp_plugin_domain_def_free(def);
}

/* QEMU's guest-errors log (-d guest_errors -D), where a panic that ends
 * QEMU leaves its evidence: only with a <panic> device, only when QEMU
 * exits on a panic, and never with a '%' QEMU would expand. */
static void
test_guest_errors_log(void **state)
{
    static const struct {
        const char *on_crash, *log;
        bool panic, want;
    } cases[] = {
        {"", "/run/vp/d.guest-errors", true, true},
        {"<on_crash>destroy</on_crash>", "/run/vp/d.guest-errors", true, true},
        {"<on_crash>preserve</on_crash>", "/run/vp/d.guest-errors", true, false},
        {"", "/run/vp/d.guest-errors", false, false},
        {"", "/run/100%/d.guest-errors", true, false},
        {"", NULL, true, false},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        _cleanup_free_ char *xml =
            vp_asprintf("<domain type='qemu'><name>d</name><memory unit='MiB'>64</memory>"
                        "<os><type>hvm</type></os>%s</domain>",
                        cases[i].on_crash);
        vp_domain_def *def = NULL;
        assert_int_equal(vp_plugin_domain_def_parse(xml, 0, &def), 0);
        qemu_command_paths p = paths;
        p.guest_errors = cases[i].log;
        p.devices =
            json_tokener_parse(cases[i].panic ? "{\"panic\":[{\"@model\":\"isa\"}]}" : "{}");
        char **argv = NULL;
        assert_int_equal(qemu_command_build("/usr/bin/qemu-system-x86_64", def, &p, &argv), 0);
        if (cases[i].want) {
            assert_string_equal(opt_value(argv, "-d", 0), "guest_errors");
            assert_string_equal(opt_value(argv, "-D", 0), cases[i].log);
        } else {
            assert_null(opt_value(argv, "-d", 0));
            assert_null(opt_value(argv, "-D", 0));
        }
        vp_strv_free(argv);
        json_object_put(p.devices);
        vp_plugin_domain_def_free(def);
    }
}

/* An agent socket the XML names is used as is (the caller passes it in
 * the paths, as qemu-process.c does). */
static void
test_agent_socket_from_xml(void **state)
{
    _cleanup_free_ char *xml = vp_strdup(
        "<domain type='qemu'><name>d</name><memory unit='MiB'>64</memory>"
        "<os><type>hvm</type></os><devices><channel type='unix'>"
        "<source mode='bind' path='/var/lib/x/agent.sock'/>"
        "<target type='virtio' name='org.qemu.guest_agent.0'/></channel></devices></domain>");
    vp_domain_def *def = NULL;
    assert_int_equal(vp_plugin_domain_def_parse(xml, 0, &def), 0);
    assert_true(def->has_agent_channel);
    assert_string_equal(def->agent_socket_path, "/var/lib/x/agent.sock");
    qemu_command_paths p = paths;
    p.agent = def->agent_socket_path;
    p.accel = "kvm";
    char **argv = NULL;
    assert_int_equal(qemu_command_build("/q", def, &p, &argv), 0);
    assert_string_equal(opt_value(argv, "-chardev", 1),
                        "socket,id=charagent0,path=/var/lib/x/agent.sock,server=on,wait=off");
    assert_string_equal(opt_value(argv, "-accel", 0), "kvm");
    vp_strv_free(argv);
    /* The driver's own path: a pipe chardev on its FIFO pair. */
    p.agent = "/run/vp/d.agent";
    p.agent_pipes = true;
    assert_int_equal(qemu_command_build("/q", def, &p, &argv), 0);
    assert_string_equal(opt_value(argv, "-chardev", 1), "pipe,id=charagent0,path=/run/vp/d.agent");
    vp_strv_free(argv);
    vp_plugin_domain_def_free(def);
}

static void
test_refused_settings(void **state)
{
    assert_null(build("<os><type>hvm</type></os><on_poweroff>preserve</on_poweroff>",
                      VP_ERR_NOT_SUPPORTED));
    assert_non_null(strstr(vp_error_last()->message, "on_poweroff"));
    assert_non_null(strstr(vp_error_last()->message, "preserve"));
}

/* Every path with the characters that QEMU's option syntaxes treat
 * specially: '=' before ',' (an implied QemuOpts key would take "/p/a" for
 * a key name), a space and both quotes, and a backslash (JSON). */
#define ODD "/p/a=b,c d'e\"f\\g"
#define ODD_XML "/p/a=b,c d&apos;e&quot;f\\g"
/* ODD with its comma doubled: a QemuOpts value. */
#define ODD_OPTS "/p/a=b,,c d'e\"f\\g"
/* ODD as a JSON string's contents. */
#define ODD_JSON "/p/a=b,c d'e\\\"f\\\\g"

static const qemu_command_paths odd_paths = {
    .qmp = ODD "/run/d.qmp",
    .pidfile = ODD "/run/d.pid",
    .agent = ODD "/run/d.agent",
    .accel = "tcg",
};

static char **
build_odd(const char *name, const char *body)
{
    _cleanup_free_ char *xml = vp_asprintf(
        "<domain type='qemu'><name>%s</name><memory unit='MiB'>64</memory>%s</domain>", name, body);
    vp_domain_def *def = NULL;
    int r = vp_plugin_domain_def_parse(xml, 0, &def);
    if (r < 0)
        fprintf(stderr, "parse: %s\n", vp_error_last()->message);
    assert_int_equal(r, 0);
    char **argv = NULL;
    assert_int_equal(qemu_command_build("/q", def, &odd_paths, &argv), 0);
    vp_plugin_domain_def_free(def);
    return argv;
}

/* Options QEMU reads as the file name itself: nothing escaped. */
static void
test_literal_paths(void **state)
{
    char **argv = build_odd("d", "<os><type>hvm</type><kernel>" ODD "/vmlinuz</kernel>"
                                 "<initrd>" ODD "/initrd</initrd>"
                                 "<cmdline>console=ttyS0,115200 a=b 'c' \"d\"</cmdline></os>");
    assert_string_equal(opt_value(argv, "-pidfile", 0), ODD "/run/d.pid");
    assert_string_equal(opt_value(argv, "-kernel", 0), ODD "/vmlinuz");
    assert_string_equal(opt_value(argv, "-initrd", 0), ODD "/initrd");
    assert_string_equal(opt_value(argv, "-append", 0), "console=ttyS0,115200 a=b 'c' \"d\"");
    vp_strv_free(argv);
}

/* QemuOpts lists: after an explicit key, a comma is doubled and the rest
 * is literal. */
static void
test_opts_paths(void **state)
{
    char **argv = build_odd("a,b=c d", "<os><type>hvm</type></os><devices>"
                                       "<channel type='unix'>"
                                       "<target type='virtio' name='org.qemu.guest_agent.0'/>"
                                       "</channel><serial type='file'><source path='" ODD_XML
                                       "/console.log'/></serial></devices>");
    assert_string_equal(opt_value(argv, "-name", 0), "guest=a,,b=c d");
    assert_string_equal(opt_value(argv, "-chardev", 0),
                        "socket,id=charmonitor,path=" ODD_OPTS "/run/d.qmp,server=on,wait=off");
    assert_string_equal(opt_value(argv, "-mon", 0), "chardev=charmonitor,mode=control");
    assert_null(opt_value(argv, "-qmp", 0));
    assert_string_equal(opt_value(argv, "-chardev", 1),
                        "socket,id=charagent0,path=" ODD_OPTS "/run/d.agent,server=on,wait=off");
    assert_string_equal(opt_value(argv, "-chardev", 2),
                        "file,id=charserial0,path=" ODD_OPTS "/console.log");
    vp_strv_free(argv);
}

/* -blockdev in JSON: only '"' and '\' are escaped. */
static void
test_blockdev_json_paths(void **state)
{
    char **argv =
        build_odd("d", "<os><type>hvm</type></os><devices>"
                       "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
                       "<source file='" ODD_XML "/disk.qcow2'/>"
                       "<target dev='vda' bus='virtio'/></disk>"
                       "<disk type='file' device='cdrom'><driver name='qemu' type='raw'/>"
                       "<source file='" ODD_XML "/cd.iso'/>"
                       "<target dev='sda' bus='scsi'/></disk></devices>");
    assert_string_equal(opt_value(argv, "-blockdev", 0),
                        "{\"driver\":\"file\",\"filename\":\"" ODD_JSON
                        "/disk.qcow2\",\"node-name\":\"file-vda\"}");
    assert_string_equal(opt_value(argv, "-blockdev", 1),
                        "{\"driver\":\"qcow2\",\"file\":\"file-vda\",\"node-name\":\"drive-vda\"}");
    assert_string_equal(opt_value(argv, "-blockdev", 2),
                        "{\"driver\":\"file\",\"filename\":\"" ODD_JSON
                        "/cd.iso\",\"node-name\":\"file-sda\",\"read-only\":true}");
    assert_string_equal(
        opt_value(argv, "-blockdev", 3),
        "{\"driver\":\"raw\",\"file\":\"file-sda\",\"node-name\":\"drive-sda\",\"read-only\":true}");
    vp_strv_free(argv);
}

/* XML refuses control characters in paths, but a definition changed in
 * memory (a snapshot's overlay) must still give QEMU valid JSON. */
static void
test_blockdev_json_control_char(void **state)
{
    _cleanup_free_ char *xml =
        vp_strdup("<domain type='qemu'><name>d</name><memory unit='MiB'>64</memory>"
                  "<os><type>hvm</type></os><devices><disk type='file' device='disk'>"
                  "<source file='/x'/><target dev='vda'/></disk></devices></domain>");
    vp_domain_def *def = NULL;
    assert_int_equal(vp_plugin_domain_def_parse(xml, 0, &def), 0);
    free(def->disks[0].source_file);
    def->disks[0].source_file = vp_strdup("/a\nb\x1f");
    char **argv = NULL;
    assert_int_equal(qemu_command_build("/q", def, &paths, &argv), 0);
    assert_string_equal(opt_value(argv, "-blockdev", 0),
                        "{\"driver\":\"file\",\"filename\":\"/a\\u000ab\\u001f\",\"node-name\":"
                        "\"file-vda\"}");
    vp_strv_free(argv);
    vp_plugin_domain_def_free(def);
}

/* A 1.0 definition on @machine with @devices, and the extras @tree_json
 * (qemu_devices_from_model's shape, as qemu-domain.c stores them). */
static char **
build_tree(const char *machine, const char *devices, const char *tree_json, const char *accel,
           int expect)
{
    _cleanup_free_ char *xml = vp_asprintf("<domain type='kvm'><name>d</name>"
                                           "<memory unit='MiB'>256</memory>"
                                           "<os><type machine='%s'>hvm</type></os>"
                                           "<devices>%s</devices></domain>",
                                           machine, devices);
    vp_domain_def *def = NULL;
    assert_int_equal(vp_plugin_domain_def_parse(xml, 0, &def), 0);
    qemu_command_paths p = paths;
    p.accel = accel;
    p.agent = NULL;
    p.devices = json_tokener_parse(tree_json);
    assert_non_null(p.devices);
    char **argv = NULL;
    int r = qemu_command_build("/usr/bin/qemu-system-x86_64", def, &p, &argv);
    if (r < 0 && expect == 0)
        fprintf(stderr, "build: %s\n", vp_error_last()->message);
    assert_int_equal(r, expect);
    json_object_put(p.devices);
    vp_plugin_domain_def_free(def);
    return argv;
}

static char **
build_extras(const char *tree_json, const char *accel, int expect)
{
    return build_tree("pc", "", tree_json, accel, expect);
}

static void
test_extras_arguments(void **state)
{
    char **argv = build_extras(
        "{\"features\":[{\"acpi\":[{}],\"vmport\":[{\"@state\":\"off\"}]}],"
        "\"cpu\":[{\"@mode\":\"host-passthrough\"}],"
        "\"clock\":[{\"@offset\":\"localtime\",\"timer\":[{\"@name\":\"pit\","
        "\"@tickpolicy\":\"delay\"},{\"@name\":\"hpet\",\"@present\":\"no\"}]}],"
        "\"interface\":[{\"@type\":\"user\",\"mac\":[{\"@address\":\"52:54:00:00:00:01\"}]}],"
        "\"graphics\":[{\"@type\":\"vnc\",\"@port\":\"5905\",\"@autoport\":\"no\","
        "\"listen\":[{\"@type\":\"address\",\"@address\":\"::1\"}]}],"
        "\"video\":[{\"model\":[{\"@type\":\"vga\",\"@vram\":\"16384\"}]}],"
        "\"rng\":[{\"@model\":\"virtio\",\"backend\":[{\"#text\":\"/dev/a,b\"}]}]}",
        "kvm", 0);
    assert_string_equal(opt_value(argv, "-machine", 0), "pc,vmport=off");
    assert_string_equal(opt_value(argv, "-cpu", 0), "host");
    assert_string_equal(opt_value(argv, "-global", 0), "kvm-pit.lost_tick_policy=delay");
    assert_true(has_arg(argv, "-no-hpet"));
    assert_string_equal(opt_value(argv, "-rtc", 0), "base=localtime");
    assert_string_equal(opt_value(argv, "-netdev", 0), "user,id=hostnet0,restrict=on");
    assert_string_equal(opt_value(argv, "-device", 0),
                        "e1000,netdev=hostnet0,id=net0,mac=52:54:00:00:00:01,bus=pci.0,addr=0x2");
    assert_string_equal(opt_value(argv, "-vnc", 0), "[::1]:5");
    assert_null(opt_value(argv, "-display", 0));
    assert_string_equal(opt_value(argv, "-device", 1),
                        "VGA,id=video0,vgamem_mb=16,bus=pci.0,addr=0x3");
    assert_string_equal(opt_value(argv, "-object", 0), "rng-random,id=objrng0,filename=/dev/a,,b");
    vp_strv_free(argv);

    /* Under TCG every host CPU mode is -cpu max, and the PIT needs nothing;
     * <features> without <acpi/> turns ACPI off. */
    argv = build_extras("{\"features\":[{\"apic\":[{}]}],\"cpu\":[{\"@mode\":\"host-model\"}],"
                        "\"clock\":[{\"timer\":[{\"@name\":\"pit\",\"@tickpolicy\":\"delay\"}]}]}",
                        "tcg", 0);
    assert_string_equal(opt_value(argv, "-machine", 0), "pc,acpi=off");
    assert_string_equal(opt_value(argv, "-cpu", 0), "max");
    assert_null(opt_value(argv, "-global", 0));
    assert_string_equal(opt_value(argv, "-rtc", 0), "base=utc");
    assert_string_equal(opt_value(argv, "-display", 0), "none");
    vp_strv_free(argv);

    /* Beside spice graphics: the spice agent's channel and spice audio. */
    argv = build_extras("{\"graphics\":[{\"@type\":\"spice\"}],\"sound\":[{\"@model\":\"ich9\"}],"
                        "\"audio\":[{\"@id\":\"1\",\"@type\":\"spice\"}],"
                        "\"channel\":[{\"@type\":\"spicevmc\",\"target\":[{\"@type\":\"virtio\","
                        "\"@name\":\"com.redhat.spice.0\"}]}]}",
                        "tcg", 0);
    assert_string_equal(opt_value(argv, "-chardev", 1), "spicevmc,id=charchannel1,name=vdagent");
    bool port = false;
    for (int i = 0; opt_value(argv, "-device", i); i++)
        port = port || strcmp(opt_value(argv, "-device", i),
                              "virtserialport,bus=virtio-serial0.0,nr=1,chardev=charchannel1,"
                              "id=channel1,name=com.redhat.spice.0") == 0;
    assert_true(port);
    assert_string_equal(opt_value(argv, "-audiodev", 0), "spice,id=audio1");
    vp_strv_free(argv);

    assert_null(build_extras("{\"input\":[{\"@type\":\"mouse\",\"@bus\":\"usb\"}]}", "tcg",
                             VP_ERR_NOT_SUPPORTED));
    assert_null(build_extras("{\"graphics\":[{\"@type\":\"vnc\"},{\"@type\":\"vnc\"}]}", "tcg",
                             VP_ERR_NOT_SUPPORTED));
}

static char **
build_disks(const char *machine, const char *devices, const char *tree_json, int expect)
{
    return build_tree(machine, devices, tree_json, "tcg", expect);
}

#define DISK_VDA                                                                                   \
    "<disk type='file' device='disk'><driver name='qemu' type='raw'/>"                             \
    "<source file='/dev/loop7'/><target dev='vda' bus='virtio'/></disk>"

static void
test_disk_options(void **state)
{
    /* type='block' is a host_device while the disk is still that device;
     * cache='none' is cache.direct on both nodes and write-cache on. */
    char **argv = build_disks(
        "q35", DISK_VDA,
        "{\"disk\":[{\"@type\":\"block\",\"source\":[{\"@dev\":\"/dev/loop7\"}],"
        "\"target\":[{\"@dev\":\"vda\"}],\"driver\":[{\"@cache\":\"none\",\"@io\":\"native\","
        "\"@discard\":\"unmap\",\"@detect_zeroes\":\"unmap\"}],\"boot\":[{\"@order\":\"2\"}],"
        "\"address\":[{\"@type\":\"pci\",\"@domain\":\"0x0000\",\"@bus\":\"0x00\","
        "\"@slot\":\"0x07\",\"@function\":\"0x0\"}]}],"
        "\"os\":[{\"bootmenu\":[{\"@enable\":\"yes\",\"@timeout\":\"3000\"}]}]}",
        0);
    assert_string_equal(opt_value(argv, "-blockdev", 0),
                        "{\"driver\":\"host_device\",\"filename\":\"/dev/loop7\",\"node-name\":"
                        "\"file-vda\",\"cache\":{\"direct\":true,\"no-flush\":false},"
                        "\"discard\":\"unmap\",\"aio\":\"native\"}");
    assert_string_equal(opt_value(argv, "-blockdev", 1),
                        "{\"driver\":\"raw\",\"file\":\"file-vda\",\"node-name\":\"drive-vda\","
                        "\"cache\":{\"direct\":true,\"no-flush\":false},\"discard\":\"unmap\","
                        "\"detect-zeroes\":\"unmap\"}");
    assert_string_equal(opt_value(argv, "-device", 0),
                        "virtio-blk-pci,bus=pcie.0,addr=0x7,drive=drive-vda,id=vda,bootindex=2,"
                        "write-cache=on");
    assert_string_equal(opt_value(argv, "-boot", 0), "menu=on,splash-time=3000");
    vp_strv_free(argv);

    /* A snapshot's overlay is a file, whatever the disk was defined as;
     * detect_zeroes='unmap' without discard='unmap' is 'on'. */
    argv = build_disks("pc", DISK_VDA,
                       "{\"disk\":[{\"@type\":\"block\",\"source\":[{\"@dev\":\"/dev/sdz\"}],"
                       "\"target\":[{\"@dev\":\"vda\"}],\"driver\":[{\"@cache\":\"unsafe\","
                       "\"@detect_zeroes\":\"unmap\"}]}]}",
                       0);
    assert_non_null(strstr(opt_value(argv, "-blockdev", 0), "{\"driver\":\"file\""));
    assert_non_null(strstr(opt_value(argv, "-blockdev", 1), "\"detect-zeroes\":\"on\""));
    assert_non_null(strstr(opt_value(argv, "-blockdev", 1), "\"no-flush\":true"));
    vp_strv_free(argv);

    /* error_policy: what QEMU does on a failed write (reads follow it,
     * except for enospace, which only writes know), as libvirt says. */
    argv = build_disks("pc", DISK_VDA,
                       "{\"disk\":[{\"target\":[{\"@dev\":\"vda\"}],"
                       "\"driver\":[{\"@error_policy\":\"stop\"}]}]}",
                       0);
    assert_non_null(strstr(opt_value(argv, "-device", 0), ",werror=stop,rerror=stop"));
    vp_strv_free(argv);
    argv = build_disks("pc", DISK_VDA,
                       "{\"disk\":[{\"target\":[{\"@dev\":\"vda\"}],\"driver\":[{"
                       "\"@error_policy\":\"enospace\",\"@rerror_policy\":\"report\"}]}]}",
                       0);
    assert_non_null(strstr(opt_value(argv, "-device", 0), ",werror=enospc,rerror=report"));
    vp_strv_free(argv);

    /* Drive addresses as libvirt spells them. */
    argv = build_disks(
        "pc",
        "<disk type='file' device='cdrom'><target dev='hdc' bus='ide'/></disk>"
        "<disk type='file' device='cdrom'><target dev='sda' bus='scsi'/></disk>",
        "{\"disk\":[{\"target\":[{\"@dev\":\"hdc\"}],\"address\":[{\"@type\":\"drive\","
        "\"@controller\":\"0\",\"@bus\":\"1\",\"@target\":\"0\",\"@unit\":\"0\"}]},"
        "{\"target\":[{\"@dev\":\"sda\"}],\"address\":[{\"@type\":\"drive\","
        "\"@controller\":\"0\",\"@bus\":\"0\",\"@target\":\"0\",\"@unit\":\"3\"}]}],"
        "\"controller\":[{\"@type\":\"scsi\",\"@index\":\"0\",\"@model\":\"virtio-scsi\"}]}",
        0);
    assert_string_equal(opt_value(argv, "-device", 0),
                        "virtio-scsi-pci,id=scsi0,bus=pci.0,addr=0x2");
    assert_string_equal(opt_value(argv, "-device", 1), "ide-cd,bus=ide.1,unit=0,id=hdc");
    assert_string_equal(opt_value(argv, "-device", 2),
                        "scsi-cd,bus=scsi0.0,channel=0,scsi-id=0,lun=3,id=sda");
    assert_null(opt_value(argv, "-blockdev", 0));
    vp_strv_free(argv);

    /* Refused before QEMU runs, naming what to change. */
    const struct {
        const char *machine, *devices, *tree, *word;
    } bad[] = {
        {"pc", DISK_VDA,
         "{\"disk\":[{\"target\":[{\"@dev\":\"vda\"}],\"driver\":[{\"@io\":\"native\"}]}]}",
         "cache='none'"},
        {"pc", DISK_VDA,
         "{\"disk\":[{\"target\":[{\"@dev\":\"vda\"}],\"address\":[{\"@type\":\"drive\"}]}]}",
         "type='pci'"},
        {"pc",
         "<disk type='file' device='disk'><source file='/a'/><target dev='sda' bus='sata'/></disk>",
         "{}", "q35"},
        {"q35",
         "<disk type='file' device='disk'><source file='/a'/><target dev='hda' bus='ide'/></disk>",
         "{}", "sata"},
        {"q35", "", "{\"disk\":[{\"@device\":\"floppy\",\"target\":[{\"@dev\":\"fda\"}]}]}",
         "floppy"},
        {"pc", "",
         "{\"rng\":[{\"@model\":\"virtio\",\"address\":[{\"@type\":\"pci\",\"@bus\":\"0x02\",\"@slot\":\"0x01\"}]}]}",
         "index='2'"},
        {"pc", "",
         "{\"rng\":[{\"@model\":\"virtio\",\"address\":[{\"@type\":\"pci\",\"@slot\":\"0x01\"}]}]}",
         "used twice"},
        {"pc",
         "<disk type='file' device='disk'><source file='/a'/><target dev='sdb' bus='scsi'/></disk>",
         "{\"disk\":[{\"target\":[{\"@dev\":\"sdb\"}],\"address\":[{\"@type\":\"drive\","
         "\"@controller\":\"2\"}]}]}",
         "index='2' model='virtio-scsi'"},
        {"pc", "",
         "{\"channel\":[{\"@type\":\"pty\",\"target\":[{\"@name\":\"a.b\"}],"
         "\"address\":[{\"@type\":\"virtio-serial\",\"@controller\":\"1\"}]}]}",
         "<controller type='virtio-serial' index='1'/>"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_null(build_disks(bad[i].machine, bad[i].devices, bad[i].tree, VP_ERR_NOT_SUPPORTED));
        if (!strstr(vp_error_last()->message, bad[i].word))
            fprintf(stderr, "case %zu: %s\n", i, vp_error_last()->message);
        assert_non_null(strstr(vp_error_last()->message, bad[i].word));
    }
    (void)state;
}

/* SPICE displays, USB redirection and PCI bridges: the spelling of each
 * option, the password never on the command line. */
static void
test_spice_redirdev_bridges(void **state)
{
    char **argv = build_extras(
        "{\"controller\":[{\"@type\":\"usb\",\"@model\":\"qemu-xhci\"}],"
        "\"graphics\":[{\"@type\":\"spice\",\"@autoport\":\"yes\",\"@passwd\":\"pw,1\","
        "\"@vp-port\":\"5907\",\"listen\":[{\"@type\":\"address\",\"@address\":\"::1\"}],"
        "\"image\":[{\"@compression\":\"off\"}],\"jpeg\":[{\"@compression\":\"never\"}],"
        "\"zlib\":[{\"@compression\":\"always\"}],\"playback\":[{\"@compression\":\"on\"}],"
        "\"streaming\":[{\"@mode\":\"all\"}],\"clipboard\":[{\"@copypaste\":\"no\"}],"
        "\"mouse\":[{\"@mode\":\"client\"}],\"filetransfer\":[{\"@enable\":\"no\"}]}],"
        "\"redirdev\":[{\"@bus\":\"usb\",\"@type\":\"spicevmc\",\"address\":[{\"@type\":\"usb\","
        "\"@bus\":\"0\",\"@port\":\"2\"}]},{\"@bus\":\"usb\",\"@type\":\"spicevmc\"}]}",
        "tcg", 0);
    assert_string_equal(opt_value(argv, "-spice", 0),
                        "port=5907,addr=::1,image-compression=off,jpeg-wan-compression=never,"
                        "zlib-glz-wan-compression=always,playback-compression=on,"
                        "streaming-video=all,disable-copy-paste=on,agent-mouse=on,"
                        "disable-agent-file-xfer=on");
    for (char **a = argv; *a; a++)
        assert_null(strstr(*a, "pw,1"));
    assert_null(opt_value(argv, "-display", 0));
    assert_string_equal(opt_value(argv, "-chardev", 1), "spicevmc,id=charredir0,name=usbredir");
    assert_string_equal(opt_value(argv, "-device", 1),
                        "usb-redir,chardev=charredir0,id=redir0,bus=usb.0,port=2");
    assert_string_equal(opt_value(argv, "-device", 2),
                        "usb-redir,chardev=charredir1,id=redir1,bus=usb.0");
    vp_strv_free(argv);

    /* No password: no ticketing; a socket without a path: the driver's. */
    argv = build_extras("{\"graphics\":[{\"@type\":\"spice\",\"listen\":[{\"@type\":\"socket\","
                        "\"@vp-socket\":\"/run/a,b.spice\"}]}]}",
                        "tcg", 0);
    assert_string_equal(opt_value(argv, "-spice", 0),
                        "unix=on,addr=/run/a,,b.spice,disable-ticketing=on");
    vp_strv_free(argv);
    argv = build_extras("{\"graphics\":[{\"@type\":\"spice\",\"@port\":\"5999\","
                        "\"@autoport\":\"no\",\"@listen\":\"0.0.0.0\"}]}",
                        "tcg", 0);
    assert_string_equal(opt_value(argv, "-spice", 0),
                        "port=5999,addr=0.0.0.0,disable-ticketing=on");
    vp_strv_free(argv);
    /* A <sound> without <audio> beside SPICE plays to SPICE, as libvirt
     * gives it; beside VNC to none. */
    argv = build_extras("{\"graphics\":[{\"@type\":\"spice\"}],\"sound\":[{\"@model\":\"ich9\"}]}",
                        "tcg", 0);
    assert_string_equal(opt_value(argv, "-audiodev", 0), "spice,id=audio1");
    vp_strv_free(argv);
    argv = build_extras("{\"graphics\":[{\"@type\":\"vnc\"}],\"sound\":[{\"@model\":\"ich9\"}]}",
                        "tcg", 0);
    assert_string_equal(opt_value(argv, "-audiodev", 0), "none,id=audio1");
    vp_strv_free(argv);
    /* VNC with a password asks QEMU for one. */
    argv = build_extras("{\"graphics\":[{\"@type\":\"vnc\",\"@passwd\":\"x\"}]}", "tcg", 0);
    assert_string_equal(opt_value(argv, "-vnc", 0), "127.0.0.1:0,to=99,password=on");
    vp_strv_free(argv);

    /* pci-bridge on pc and pcie-to-pci-bridge on q35, emitted by index. */
    argv = build_extras("{\"controller\":[{\"@type\":\"pci\",\"@index\":\"1\","
                        "\"@model\":\"pci-bridge\",\"target\":[{\"@chassisNr\":\"4\"}],"
                        "\"address\":[{\"@type\":\"pci\",\"@bus\":\"0\",\"@slot\":\"5\"}]}],"
                        "\"memballoon\":[{\"@model\":\"virtio\",\"address\":[{\"@type\":\"pci\","
                        "\"@bus\":\"1\",\"@slot\":\"3\"}]}]}",
                        "tcg", 0);
    assert_string_equal(opt_value(argv, "-device", 0),
                        "pci-bridge,chassis_nr=4,id=pci.1,bus=pci.0,addr=0x5");
    assert_string_equal(opt_value(argv, "-device", 1),
                        "virtio-balloon-pci,id=balloon0,bus=pci.1,addr=0x3");
    vp_strv_free(argv);
    argv = build_tree("q35", "",
                      "{\"controller\":[{\"@type\":\"pci\",\"@index\":\"2\","
                      "\"@model\":\"pcie-to-pci-bridge\",\"address\":[{\"@type\":\"pci\","
                      "\"@bus\":\"1\",\"@slot\":\"0\"}]},{\"@type\":\"pci\",\"@index\":\"1\","
                      "\"@model\":\"pcie-root-port\",\"address\":[{\"@type\":\"pci\","
                      "\"@bus\":\"0\",\"@slot\":\"2\"}]}]}",
                      "tcg", 0);
    assert_string_equal(opt_value(argv, "-device", 0),
                        "pcie-root-port,chassis=1,id=pci.1,bus=pcie.0,addr=0x2");
    assert_string_equal(opt_value(argv, "-device", 1),
                        "pcie-pci-bridge,id=pci.2,bus=pci.1,addr=0x0");
    vp_strv_free(argv);
    (void)state;
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic_options),
        cmocka_unit_test(test_kernel_disks_agent_serial),
        cmocka_unit_test(test_boot_order_and_lifecycle),
        cmocka_unit_test(test_events_monitor),
        cmocka_unit_test(test_guest_errors_log),
        cmocka_unit_test(test_agent_socket_from_xml),
        cmocka_unit_test(test_refused_settings),
        cmocka_unit_test(test_literal_paths),
        cmocka_unit_test(test_opts_paths),
        cmocka_unit_test(test_blockdev_json_paths),
        cmocka_unit_test(test_blockdev_json_control_char),
        cmocka_unit_test(test_extras_arguments),
        cmocka_unit_test(test_disk_options),
        cmocka_unit_test(test_spice_redirdev_bridges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
