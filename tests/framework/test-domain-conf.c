/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-domain-conf.c: tests of the 1.0 struct's parser and formatter
 * (framework/conf/domain-def.c over the model, xml-util.c, xml-buf.c)
 * through the exported SDK functions.
 *
 * Valid fixtures under tests/data/conf/ parse to the expected fields and
 * format to their canonical *.out.xml; every kind of invalid input is a
 * VP_ERR_XML whose message names the element, the value and the line.
 */
#include <config.h>

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <virtplug/virtplug.h>
#include <virtplug/sdk/alloc.h>
#include <virtplug/sdk/conf.h>

#include "test-assert.h"

VP_DEFINE_CLEANUP(vp_domain_def, vp_plugin_domain_def_free)

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

/* Check the thread's error: @code, and every keyword in the message. */
static char *
format_ok(const vp_domain_def *def)
{
    char *xml = NULL;
    int r = vp_plugin_domain_def_format(def, 0, &xml);
    if (r < 0)
        fail_msg("format failed: %s", vp_error_last()->message);
    return xml;
}

static vp_domain_def *
parse_ok(const char *xml)
{
    vp_domain_def *def = NULL;
    int r = vp_plugin_domain_def_parse(xml, 0, &def);
    if (r < 0)
        fail_msg("parse failed: %s", vp_error_last()->message);
    return def;
}

/* format(parse(x)) is the expected canonical text, and formatting again
 * after a second parse gives the same text. */
static void
test_fixtures_round_trip(void **state)
{
    static const char *const names[] = {"full", "kernel", "libvirt-dumpxml", "escapes", NULL};
    for (size_t i = 0; names[i]; i++) {
        _cleanup_free_ char *in_name = vp_asprintf("%s.xml", names[i]);
        _cleanup_free_ char *out_name = vp_asprintf("%s.out.xml", names[i]);
        _cleanup_free_ char *in = read_fixture(in_name);
        _cleanup_free_ char *expected = read_fixture(out_name);
        _cleanup_(vp_plugin_domain_def_freep) vp_domain_def *def = parse_ok(in);
        _cleanup_free_ char *out = format_ok(def);
        assert_string_equal(out, expected);
        _cleanup_(vp_plugin_domain_def_freep) vp_domain_def *def2 = parse_ok(out);
        _cleanup_free_ char *out2 = format_ok(def2);
        assert_string_equal(out2, out);
    }
}

static void
test_full_fields(void **state)
{
    _cleanup_free_ char *xml = read_fixture("full.xml");
    _cleanup_(vp_plugin_domain_def_freep) vp_domain_def *def = parse_ok(xml);
    char uuid[37];
    assert_string_equal(def->type, "kvm");
    assert_string_equal(def->name, "full");
    assert_string_equal(vp_plugin_uuid_format(def->uuid, uuid),
                        "8f3a47e2-1c4b-4d8e-9a55-0b6e2f7c1d90");
    assert_string_equal(def->description,
                        "A domain that uses every element of the subset & some \"quotes\".");
    assert_int_equal(def->memory_kib, 2 * 1024 * 1024);
    assert_int_equal(def->current_memory_kib, 1024 * 1024);
    assert_int_equal(def->vcpus, 2);
    assert_string_equal(def->os_type, "hvm");
    assert_string_equal(def->os_arch, "x86_64");
    assert_string_equal(def->os_machine, "q35");
    assert_null(def->os_kernel);
    assert_int_equal(def->n_os_boot_devs, 2);
    assert_string_equal(def->os_boot_devs[0], "hd");
    assert_string_equal(def->os_boot_devs[1], "cdrom");
    assert_string_equal(def->on_poweroff, "destroy");
    assert_string_equal(def->on_reboot, "restart");
    assert_string_equal(def->on_crash, "coredump-destroy");
    assert_string_equal(def->emulator, "/usr/bin/qemu-system-x86_64");
    assert_int_equal(def->n_disks, 2);
    assert_string_equal(def->disks[0].device, "disk");
    assert_string_equal(def->disks[0].driver_type, "qcow2");
    assert_string_equal(def->disks[0].source_file, "/var/lib/virtplug/images/full.qcow2");
    assert_string_equal(def->disks[0].target_dev, "vda");
    assert_string_equal(def->disks[0].target_bus, "virtio");
    assert_false(def->disks[0].readonly);
    assert_string_equal(def->disks[1].device, "cdrom");
    assert_true(def->disks[1].readonly);
    assert_int_equal(def->serial_type, VP_DOMAIN_SERIAL_PTY);
    assert_null(def->serial_path);
    assert_true(def->has_console);
    assert_true(def->has_agent_channel);
    assert_string_equal(def->agent_socket_path, "/run/virtplug/full.agent");
}

static void
test_kernel_fields(void **state)
{
    _cleanup_free_ char *xml = read_fixture("kernel.xml");
    _cleanup_(vp_plugin_domain_def_freep) vp_domain_def *def = parse_ok(xml);
    assert_string_equal(def->type, "qemu");
    assert_string_equal(def->name, "tiny guest");
    /* 268435457 bytes: one byte past 256 MiB rounds up to the next KiB. */
    assert_int_equal(def->memory_kib, 262145);
    assert_int_equal(def->current_memory_kib, 262145);
    assert_int_equal(def->vcpus, 1);
    assert_null(def->os_arch);
    assert_string_equal(def->os_kernel, "/var/lib/virtplug/boot/vmlinuz");
    assert_string_equal(def->os_initrd, "/var/lib/virtplug/boot/initrd.img");
    assert_string_equal(def->os_cmdline, "console=ttyS0 root=/dev/vda rw quiet");
    assert_int_equal(def->n_os_boot_devs, 0);
    assert_null(def->disks[0].driver_type);
    assert_null(def->disks[0].target_bus);
    assert_string_equal(def->disks[0].device, "disk");
    assert_int_equal(def->serial_type, VP_DOMAIN_SERIAL_FILE);
    assert_string_equal(def->serial_path, "/var/log/virtplug/tiny's console.log");
    assert_false(def->has_console);
    assert_true(def->has_agent_channel);
    assert_null(def->agent_socket_path);
    assert_null(def->emulator);
}

/* A domain without <uuid> gets a fresh random (version 4) one each time. */
static void
test_uuid_generated(void **state)
{
    _cleanup_free_ char *xml = read_fixture("minimal.xml");
    _cleanup_(vp_plugin_domain_def_freep) vp_domain_def *a = parse_ok(xml);
    _cleanup_(vp_plugin_domain_def_freep) vp_domain_def *b = parse_ok(xml);
    assert_memory_not_equal(a->uuid, b->uuid, 16);
    assert_int_equal(a->uuid[6] >> 4, 4);
    assert_int_equal(a->uuid[8] >> 6, 2);
    _cleanup_free_ char *out = format_ok(a);
    char uuid[37], line[64];
    snprintf(line, sizeof(line), "  <uuid>%s</uuid>\n", vp_plugin_uuid_format(a->uuid, uuid));
    assert_non_null(strstr(out, line));
}

#define MEM(unit, value)                                                                           \
    "<domain type='test'><name>m</name><memory" unit ">" value                                     \
    "</memory><os><type>hvm</type></os></domain>"

static void
test_memory_units(void **state)
{
    static const struct {
        const char *xml;
        uint64_t kib;
    } cases[] = {
        {MEM("", "512"), 512},
        {MEM(" unit='b'", "1024"), 1},
        {MEM(" unit='bytes'", "1025"), 2},
        {MEM(" unit='KB'", "1000"), 977},
        {MEM(" unit='k'", "5"), 5},
        {MEM(" unit='KiB'", "7"), 7},
        {MEM(" unit='kib'", "8"), 8},
        {MEM(" unit='MB'", "1"), 977},
        {MEM(" unit='M'", "3"), 3 * 1024},
        {MEM(" unit='MiB'", "512"), 512 * 1024},
        {MEM(" unit='GB'", "1"), 976563},
        {MEM(" unit='G'", "2"), 2 * 1024 * 1024},
        {MEM(" unit='GiB'", "4"), 4ull * 1024 * 1024},
        {MEM(" unit='TB'", "1"), 976562500},
        {MEM(" unit='T'", "1"), 1024ull * 1024 * 1024},
        {MEM(" unit='TiB'", "2"), 2048ull * 1024 * 1024},
        {MEM(" unit='EiB'", "15"), 15ull << 50},
        {MEM(" unit='MiB'", "\n  64\n"), 64 * 1024},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        _cleanup_(vp_plugin_domain_def_freep) vp_domain_def *def = parse_ok(cases[i].xml);
        if (def->memory_kib != cases[i].kib)
            fail_msg("case %zu: %llu KiB, expected %llu", i, (unsigned long long)def->memory_kib,
                     (unsigned long long)cases[i].kib);
        _cleanup_free_ char *out = format_ok(def);
        char line[80];
        snprintf(line, sizeof(line), "<memory unit='KiB'>%llu</memory>",
                 (unsigned long long)cases[i].kib);
        assert_non_null(strstr(out, line));
    }
}

/* The base of the invalid cases: a valid domain, then one bad part on line 5 or 6. */
#define HEAD                                                                                       \
    "<domain type='kvm'>\n<name>x</name>\n<memory>1024</memory>\n<os><type>hvm</type></os>\n"
#define DOM(body) HEAD body "\n</domain>"
#define DEV(body) DOM("<devices>\n" body "\n</devices>")
#define OS(body)                                                                                   \
    "<domain type='kvm'>\n<name>x</name>\n<memory>1024</memory>\n<os>\n" body "\n</os>\n</domain>"
#define NAMED(name)                                                                                \
    "<domain type='kvm'>\n<name>" name "</name>\n<memory>1024</memory>\n"                          \
    "<os><type>hvm</type></os>\n</domain>"
#define MEMX(body)                                                                                 \
    "<domain type='kvm'>\n<name>x</name>\n" body "\n<os><type>hvm</type></os>\n</domain>"
#define DISK(body) DEV("<disk type='file' device='disk'>\n" body "\n</disk>")
#define SRC_TGT "<source file='/a.img'/><target dev='vda'/>"
#define KW(...) ((const char *const[]){__VA_ARGS__, NULL})
/* The whole rule, stated in every refusal of a name or of a machine type. */
#define NAME_RULE "a domain name cannot be empty, '.' or '..', or contain '/' or control characters"
#define WORD_RULE "expected letters, digits, '.', '_' or '-', starting with a letter or digit"

static const struct invalid_case {
    const char *xml;
    const char *const *keywords;
} invalid_cases[] = {
    /* Structure. */
    {DOM("<foo/>"), KW("domain XML line 5:", "unknown element <foo> in <domain>")},
    {DEV("<foo/>"), KW("line 6:", "unknown element <foo> in <devices>")},
    {DOM("<name>y</name>"), KW("line 5:", "<name>", "more than once")},
    {DOM("stray"), KW("line 5:", "unexpected text 'stray' in <domain>")},
    {DEV("<disk type='file'><source file='/a'/><target dev='vda'/></disk>hello"),
     KW("line 6:", "unexpected text 'hello' in <devices>")},
    {"<domain type='kvm' id='3'><name>x</name></domain>",
     KW("attribute 'id' of <domain> is not supported by this driver")},
    {DOM("<qemu:commandline xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'/>"),
     KW("<qemu:commandline> in <domain> is not supported by this driver")},
    {DOM("<title xmlns='urn:x'>t</title>"), KW("unknown element <{urn:x}title>")},
    {"<domain type='kvm'><name>x</name><memory>1</memory></domain>", KW("needs an <os>")},
    {"<domain type='kvm'><memory>1</memory><os><type>hvm</type></os></domain>",
     KW("<domain> needs a <name>")},
    {"<domain type='kvm'><name>x</name><os><type>hvm</type></os></domain>", KW("needs a <memory>")},
    {"<domain><name>x</name></domain>", KW("<domain> needs the attribute 'type'")},
    {"<domain type='xen'/>", KW("invalid value 'xen'", "attribute 'type' of <domain>", "'kvm'")},
    /* Malformed and unsafe XML. */
    {"", KW("malformed XML", "Document is empty")},
    {HEAD "<devices>\n</domain>", KW("malformed XML", "line 6", "mismatch")},
    {HEAD, KW("malformed XML", "Premature end of data")},
    {"<domains/>", KW("expected the root element <domain>, found <domains>")},
    {"<!DOCTYPE domain [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>\n"
     "<domain type='kvm'><name>&x;</name></domain>",
     KW("line 1", "DOCTYPE is not allowed")},
    {"<!DOCTYPE domain [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;'>"
     "<!ENTITY c '&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;'>]><domain type='kvm'><name>&c;</name></domain>",
     KW("DOCTYPE is not allowed")},
    {"<domain type='kvm'><name>&x;</name></domain>", KW("malformed XML", "Entity 'x' not defined")},
    /* Names and uuid. */
    {NAMED(""), KW("line 2:", "the domain name is empty", NAME_RULE)},
    {NAMED("a/b"), KW("invalid domain name 'a/b'", NAME_RULE)},
    {NAMED("a&#9;b"), KW("invalid domain name", NAME_RULE)},
    {NAMED("a&#127;b"), KW("invalid domain name", NAME_RULE)},
    {NAMED(".."), KW("invalid domain name '..'", NAME_RULE)},
    {NAMED("."), KW("invalid domain name '.'", NAME_RULE)},
    {NAMED("x</name><name>y"), KW("<name>", "more than once")},
    {DOM("<uuid>1234</uuid>"), KW("invalid value '1234' for <uuid>", "hexadecimal")},
    {DOM("<uuid>8f3a47e2-1c4b-4d8e-9a55-0b6e2f7c1d9g</uuid>"), KW("for <uuid>")},
    {DOM("<description a='b'>d</description>"), KW("unknown attribute 'a' on <description>")},
    {DOM("<description>d<b>bold</b></description>"), KW("unknown element <b> in <description>")},
    /* Memory and vcpus. */
    {MEMX("<memory>abc</memory>"),
     KW("line 3:", "invalid value 'abc' for <memory>", "expected a number")},
    {MEMX("<memory>-1</memory>"), KW("invalid value '-1' for <memory>")},
    {MEMX("<memory>1.5</memory>"), KW("invalid value '1.5' for <memory>")},
    {MEMX("<memory></memory>"), KW("invalid value '' for <memory>")},
    {MEMX("<memory unit='XB'>1</memory>"),
     KW("invalid value 'XB' for attribute 'unit' of <memory>", "KiB")},
    {MEMX("<memory unit=''>1</memory>"), KW("invalid value '' for attribute 'unit'")},
    {MEMX("<memory unit='kibi'>1</memory>"), KW("invalid value 'kibi'")},
    {MEMX("<memory>0</memory>"), KW("invalid value '0' for <memory>", "needs some memory")},
    {MEMX("<memory unit='EiB'>16</memory>"), KW("invalid value '16' for <memory>", "16 EiB")},
    {MEMX("<memory>99999999999999999999999</memory>"), KW("for <memory>", "the largest")},
    {MEMX("<memory dumpCore='on'>1</memory>"),
     KW("attribute 'dumpCore' of <memory> is not supported by this driver")},
    {MEMX("<memory>1024</memory>\n<currentMemory>2048</currentMemory>"),
     KW("line 4:", "<currentMemory> (2048 KiB) is larger than <memory> (1024 KiB)")},
    {MEMX("<memory>1024</memory><currentMemory unit='x'>1</currentMemory>"),
     KW("attribute 'unit' of <currentMemory>")},
    {DOM("<vcpu>0</vcpu>"), KW("invalid value '0' for <vcpu>", "at least one")},
    {DOM("<vcpu>5000</vcpu>"), KW("invalid value '5000' for <vcpu>", "4096")},
    {DOM("<vcpu>two</vcpu>"), KW("invalid value 'two' for <vcpu>", "expected a number")},
    {DOM("<vcpu placement='auto'>2</vcpu>"),
     KW("invalid value 'auto' for attribute 'placement' of <vcpu>", "'static'")},
    /* <os>. */
    {OS(""), KW("line 4:", "<os> needs a <type>")},
    {OS("<type>xen</type>"), KW("line 5:", "invalid value 'xen' for <type>", "'hvm'")},
    {OS("<type arch='x86 64'>hvm</type>"), KW("invalid value 'x86 64' for attribute 'arch'")},
    {OS("<type machine=''>hvm</type>"), KW("invalid value '' for attribute 'machine'")},
    {OS("<type machine='-sandbox'>hvm</type>"),
     KW("invalid value '-sandbox' for attribute 'machine' of <type>", "cannot start with '-'",
        "QEMU would read it as an option", WORD_RULE)},
    {OS("<type machine='.q35'>hvm</type>"), KW("invalid value '.q35'", WORD_RULE)},
    {OS("<type machine='pc q35'>hvm</type>"), KW("invalid value 'pc q35'", WORD_RULE)},
    {OS("<type machine='pc;q35'>hvm</type>"), KW("invalid value 'pc;q35'", WORD_RULE)},
    {OS("<type machine='m1234567890123456789012345678901234567890123456789012345678901234'>"
        "hvm</type>"),
     KW("for attribute 'machine' of <type>", "longer than 64 characters")},
    {OS("<type arch='-x86_64'>hvm</type>"),
     KW("invalid value '-x86_64' for attribute 'arch' of <type>", "cannot start with '-'")},
    {OS("<type>hvm</type><loader>/x</loader>"),
     KW("<loader> in <os> is not supported by this driver")},
    {OS("<type>hvm</type>\n<initrd>/i</initrd>"), KW("line 6:", "<initrd> needs a <kernel>")},
    {OS("<type>hvm</type><cmdline>x</cmdline>"), KW("<cmdline> needs a <kernel>")},
    {OS("<type>hvm</type><kernel>vmlinuz</kernel>"),
     KW("invalid value 'vmlinuz' for <kernel>", "absolute path")},
    {OS("<type>hvm</type><kernel>/k</kernel><boot dev='hd'/>"),
     KW("<boot> cannot be combined with <kernel>")},
    {OS("<type>hvm</type><boot dev='usb'/>"),
     KW("invalid value 'usb' for attribute 'dev' of <boot>", "'network'")},
    {OS("<type>hvm</type><boot/>"), KW("<boot> needs the attribute 'dev'")},
    {OS("<type>hvm</type><boot dev='hd'/><boot dev='hd'/>"),
     KW("boot device 'hd' is listed twice")},
    {OS("<type>hvm</type><boot dev='hd'>x</boot>"), KW("unexpected text 'x' in <boot>")},
    /* Lifecycle actions. */
    {DOM("<on_crash>explode</on_crash>"), KW("invalid value 'explode' for <on_crash>")},
    {DOM("<on_poweroff>coredump-destroy</on_poweroff>"),
     KW("invalid value 'coredump-destroy' for <on_poweroff>")},
    /* Disks. */
    {DEV("<disk type='block'>" SRC_TGT "</disk>"),
     KW("invalid value 'block' for attribute 'type' of <disk>", "'file'")},
    {DEV("<disk device='floppy'>" SRC_TGT "</disk>"),
     KW("invalid value 'floppy' for attribute 'device' of <disk>", "'cdrom'")},
    {DISK("<driver name='xen'/>" SRC_TGT),
     KW("invalid value 'xen' for attribute 'name' of <driver>")},
    {DISK("<driver name='qemu' type='vmdk'/>" SRC_TGT),
     KW("invalid value 'vmdk' for attribute 'type' of <driver>", "'qcow2' or 'raw'")},
    {DISK("<driver name='qemu' cache='none'/>" SRC_TGT),
     KW("attribute 'cache' of <driver> is not supported by this driver")},
    {DISK("<source file='a.img'/><target dev='vda'/>"),
     KW("invalid value 'a.img' for attribute 'file' of <source>", "absolute path")},
    {DISK("<source dev='/dev/sda'/><target dev='vda'/>"),
     KW("attribute 'dev' of <source> is not supported by this driver")},
    {DISK("<source/><target dev='vda'/>"), KW("<source> needs the attribute 'file'")},
    {DISK("<source file='/a'/>"), KW("line 6:", "<disk> needs a <target dev='...'/>")},
    {DISK("<target dev='vda'/>"), KW("disk 'vda' needs a <source file='...'/>")},
    {DISK("<source file='/a'/><target bus='virtio'/>"), KW("<target> needs the attribute 'dev'")},
    {DISK("<source file='/a'/><target dev='nvme0'/>"),
     KW("invalid value 'nvme0' for attribute 'dev' of <target>", "'vda'")},
    {DISK("<source file='/a'/><target dev='vda' bus='usb'/>"),
     KW("invalid value 'usb' for attribute 'bus' of <target>")},
    {DISK(SRC_TGT "<address type='pci'/>"),
     KW("<address> in <disk> is not supported by this driver")},
    {DISK(SRC_TGT "<readonly>yes</readonly>"), KW("unexpected text 'yes' in <readonly>")},
    {DISK(SRC_TGT "<source file='/b'/>"), KW("<source> appears more than once in <disk>")},
    {DEV("<disk><source file='/a'/><target dev='vda'/></disk>\n"
         "<disk><source file='/b'/><target dev='vda'/></disk>"),
     KW("line 7:", "disk target 'vda' is used twice")},
    /* Guest agent channel. */
    {DEV("<channel type='pty'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>"),
     KW("invalid value 'pty' for attribute 'type' of <channel>", "'unix'")},
    {DEV("<channel type='unix'><target type='virtio' name='org.example.0'/></channel>"),
     KW("line 6:", "invalid value 'org.example.0' for attribute 'name' of <target>",
        "expected 'org.qemu.guest_agent.0'")},
    {DEV("<channel type='unix'><target type='xen' name='org.qemu.guest_agent.0'/></channel>"),
     KW("invalid value 'xen' for attribute 'type' of <target>", "'virtio'")},
    {DEV("<channel type='unix'></channel>"), KW("<channel> needs <target type='virtio'")},
    {DEV("<channel type='unix'><source mode='connect'/>"
         "<target type='virtio' name='org.qemu.guest_agent.0'/></channel>"),
     KW("invalid value 'connect' for attribute 'mode' of <source>", "'bind'")},
    {DEV("<channel type='unix'><source path='agent.sock'/>"
         "<target type='virtio' name='org.qemu.guest_agent.0'/></channel>"),
     KW("invalid value 'agent.sock'", "absolute path")},
    {DEV("<channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>"
         "<channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>"),
     KW("only one guest agent <channel>")},
    /* Serial port and console. */
    {DEV("<serial type='tcp'/>"),
     KW("invalid value 'tcp' for attribute 'type' of <serial>", "'pty'")},
    {DEV("<serial type='file'><target port='0'/></serial>"),
     KW("a <serial type='file'> needs a <source path='...'/>")},
    {DEV("<serial type='pty'><source path='/dev/pts/3'/></serial>"),
     KW("a <serial type='pty'> takes no <source>")},
    {DEV("<serial type='pty'/>\n<serial type='pty'/>"), KW("line 7:", "only one <serial>")},
    {DEV("<serial type='pty'><target port='1'/></serial>"),
     KW("invalid value '1' for attribute 'port' of <target>", "'0'")},
    {DEV("<serial type='pty'><target type='isa-serial'/></serial>"),
     KW("attribute 'type' of <target> is not supported by this driver")},
    {DEV("<serial type='file'><source path='/log' append='on'/></serial>"),
     KW("attribute 'append' of <source> is not supported by this driver")},
    {DEV("<console type='pty'/>"), KW("<console> needs a <serial>")},
    {DEV("<serial type='pty'/><console type='file'><source path='/x'/></console>"),
     KW("<console> must match <serial>")},
    {DEV("<serial type='file'><source path='/x'/></serial>"
         "<console type='file'><source path='/y'/></console>"),
     KW("<console> must match <serial>")},
    {DEV("<serial type='pty'/><console type='pty'><target type='virtio'/></console>"),
     KW("invalid value 'virtio' for attribute 'type' of <target>", "'serial'")},
    {DEV("<emulator>qemu-system-x86_64</emulator>"),
     KW("invalid value 'qemu-system-x86_64' for <emulator>", "absolute path")},
    {DEV("<interface type='network'/>"),
     KW("<interface> in <devices> is not supported by this driver")},
    /* What the 1.0 fields hold once: the model allows more. */
    {DEV("<serial type='file'><source path='/a'/>\n<source path='/a'/></serial>"),
     KW("line 7:", "element <source> appears more than once in <serial>")},
    {DEV("<serial type='pty'/><console type='pty'/>\n<console type='pty'/>"),
     KW("line 7:", "element <console> appears more than once in <devices>")},
    {DEV("<serial type='pty'/><console type='pty'><source path='/x'/></console>"),
     KW("a <console type='pty'> takes no <source>")},
    {DEV("<channel><target type='virtio' name='org.qemu.guest_agent.0'/></channel>"),
     KW("<channel> needs the attribute 'type'")},
    {DEV("<channel type='unix'><target name='org.qemu.guest_agent.0'/></channel>"),
     KW("<target> needs the attribute 'type'")},
    {DEV("<disk device='cdrom'><source/><target dev='hdc'/></disk>"),
     KW("<source> needs the attribute 'file'")},
    /* The subset's own list of values, not the model's wider one. */
    {DEV("<disk device='lun'>" SRC_TGT "</disk>"), KW("expected 'disk' or 'cdrom'")},
    {DEV("<serial type='pty'><target port='x'/></serial>"),
     KW("invalid value 'x' for attribute 'port' of <target>", "expected '0'")},
    {MEMX("<memory dumpCore='bogus'>1</memory>"),
     KW("attribute 'dumpCore' of <memory> is not supported by this driver")},
    {DOM("<vcpu>0x10</vcpu>"), KW("invalid value '0x10' for <vcpu>", "expected a number")},
    {MEMX("<memory>1024</memory>\n<currentMemory>0</currentMemory>"),
     KW("line 4:", "invalid value '0' for <currentMemory>", "needs some memory")},
};

static void
test_invalid(void **state)
{
    for (size_t i = 0; i < sizeof(invalid_cases) / sizeof(invalid_cases[0]); i++) {
        vp_domain_def *def = NULL;
        int r = vp_plugin_domain_def_parse(invalid_cases[i].xml, 0, &def);
        if (r >= 0)
            fail_msg("case %zu parsed: %s", i, invalid_cases[i].xml);
        assert_null(def);
        vpt_assert_error_words(r, VP_ERR_XML, invalid_cases[i].keywords);
    }
}

/* What the name and machine rules leave allowed: anything else. */
static void
test_names_and_words_allowed(void **state)
{
    static const char *const names[] = {".x", "-x", "a b", "x..", "caf\xc3\xa9", "a\\b", NULL};
    for (size_t i = 0; names[i]; i++) {
        _cleanup_free_ char *xml = vp_asprintf(NAMED("%s"), names[i]);
        _cleanup_(vp_plugin_domain_def_freep) vp_domain_def *def = parse_ok(xml);
        assert_string_equal(def->name, names[i]);
    }
    _cleanup_(vp_plugin_domain_def_freep) vp_domain_def *def =
        parse_ok(OS("<type arch='x86_64' machine='pc-q35-8.2_x'>hvm</type>"));
    assert_string_equal(def->os_machine, "pc-q35-8.2_x");
}

/* <domain> with @depth levels of elements in all, the innermost <a/>. */
static char *
nested(int depth)
{
    size_t n = (size_t)depth;
    char *xml = vp_new0(char, 64 + n * 7);
    char *p = xml + snprintf(xml, 64, "<domain type='kvm'>");
    for (size_t i = 1; i < n; i++)
        p += snprintf(p, 4, "<a>");
    for (size_t i = 1; i < n; i++)
        p += snprintf(p, 5, "</a>");
    snprintf(p, 10, "</domain>");
    return xml;
}

/* Nesting is limited: the message names the limit and never libxml2's
 * own hint (an option of its API, which no user can set). */
static void
test_deep_nesting(void **state)
{
    static const int too_deep[] = {65, 300, 5000};
    for (size_t i = 0; i < sizeof(too_deep) / sizeof(too_deep[0]); i++) {
        _cleanup_free_ char *xml = nested(too_deep[i]);
        vp_domain_def *def = NULL;
        vpt_assert_error_words(
            vp_plugin_domain_def_parse(xml, 0, &def), VP_ERR_XML,
            KW("domain XML line 1:", "nests elements deeper than the limit of 64 levels"));
        assert_null(strstr(vp_error_last()->message, "XML_PARSE_HUGE"));
        assert_null(def);
    }
    /* At the limit, the document is read and refused for what it holds. */
    _cleanup_free_ char *xml = nested(64);
    vp_domain_def *def = NULL;
    vpt_assert_error_words(vp_plugin_domain_def_parse(xml, 0, &def), VP_ERR_XML,
                           KW("unknown element <a> in <domain>"));
}

static void
test_invalid_args(void **state)
{
    vp_domain_def *def = NULL;
    char *xml = NULL;
    vpt_assert_error_words(vp_plugin_domain_def_parse(NULL, 0, &def), VP_ERR_INVALID_ARG,
                           KW("xml"));
    vpt_assert_error_words(vp_plugin_domain_def_parse(DOM(""), 0, NULL), VP_ERR_INVALID_ARG,
                           KW("ret_def"));
    vpt_assert_error_words(vp_plugin_domain_def_parse(DOM(""), 4, &def), VP_ERR_INVALID_ARG,
                           KW("unsupported flags 0x4"));
    vpt_assert_error_words(vp_plugin_domain_def_format(NULL, 0, &xml), VP_ERR_INVALID_ARG,
                           KW("def"));
    _cleanup_(vp_plugin_domain_def_freep) vp_domain_def *ok = parse_ok(DOM(""));
    vpt_assert_error_words(vp_plugin_domain_def_format(ok, 1, &xml), VP_ERR_INVALID_ARG,
                           KW("unsupported flags"));
    assert_null(def);
    assert_null(xml);
    assert_null(vp_plugin_domain_def_copy(NULL));
    vp_plugin_domain_def_free(NULL);
}

/* A definition built by a driver: text that XML must escape survives a
 * format/parse round trip byte for byte. */
static void
test_format_escapes(void **state)
{
    _cleanup_(vp_plugin_domain_def_freep) vp_domain_def *def = parse_ok(DOM(""));
    def->description = vp_strdup("a < b && c > d ]]> 'q' \"dq\"\r\n\ttab é");
    def->os_kernel = vp_strdup("/boot/vmlinuz-6.1 <&>");
    def->os_cmdline = vp_strdup("console=ttyS0\tx='1'");
    def->serial_type = VP_DOMAIN_SERIAL_FILE;
    def->serial_path = vp_strdup("/tmp/it's \"here\" & <there>");
    _cleanup_free_ char *out = format_ok(def);
    assert_non_null(strstr(out, "&#13;"));
    _cleanup_(vp_plugin_domain_def_freep) vp_domain_def *back = parse_ok(out);
    assert_string_equal(back->description, def->description);
    assert_string_equal(back->os_cmdline, def->os_cmdline);
    assert_string_equal(back->os_kernel, def->os_kernel);
    assert_string_equal(back->serial_path, def->serial_path);
}

/* Long text, multi-byte characters and long numbers grow the output buffer. */
static void
test_format_long(void **state)
{
    _cleanup_(vp_plugin_domain_def_freep) vp_domain_def *def = parse_ok(DOM(""));
    size_t n = 3000;
    def->description = vp_new0(char, n * 3 + 1);
    for (size_t i = 0; i < n; i++)
        memcpy(def->description + i * 3, i % 2 ? "\xc3\xa9&" : "ab<", 3);
    free(def->name);
    def->name = vp_new0(char, 4001);
    memset(def->name, 'n', 4000);
    def->memory_kib = UINT64_MAX / 1024;
    def->current_memory_kib = def->memory_kib;
    _cleanup_free_ char *out = format_ok(def);
    _cleanup_(vp_plugin_domain_def_freep) vp_domain_def *back = parse_ok(out);
    assert_string_equal(back->description, def->description);
    assert_string_equal(back->name, def->name);
    assert_int_equal(back->memory_kib, def->memory_kib);
}

static void
test_format_refuses(void **state)
{
    char *xml = NULL;
    _cleanup_(vp_plugin_domain_def_freep) vp_domain_def *def = parse_ok(DOM(""));
    def->description = vp_strdup("bell \a");
    vpt_assert_error_words(vp_plugin_domain_def_format(def, 0, &xml), VP_ERR_XML,
                           KW("cannot format domain XML", "'description'"));
    free(def->description);
    def->description = vp_strdup("bad \xc3\x28 utf-8");
    vpt_assert_error_words(vp_plugin_domain_def_format(def, 0, &xml), VP_ERR_XML,
                           KW("'description'"));
    free(def->description);
    def->description = NULL;
    free(def->name);
    def->name = NULL;
    vpt_assert_error_words(vp_plugin_domain_def_format(def, 0, &xml), VP_ERR_XML, KW("no name"));
    def->name = vp_strdup("n");
    def->current_memory_kib = def->memory_kib + 1;
    vpt_assert_error_words(vp_plugin_domain_def_format(def, 0, &xml), VP_ERR_XML,
                           KW("current_memory_kib", "larger"));
    def->current_memory_kib = 0;
    def->serial_type = VP_DOMAIN_SERIAL_FILE;
    vpt_assert_error_words(vp_plugin_domain_def_format(def, 0, &xml), VP_ERR_XML,
                           KW("serial_path"));
    def->serial_type = 7;
    vpt_assert_error_words(vp_plugin_domain_def_format(def, 0, &xml), VP_ERR_XML,
                           KW("serial_type 7"));
    def->serial_type = VP_DOMAIN_SERIAL_NONE;
    def->has_console = true;
    vpt_assert_error_words(vp_plugin_domain_def_format(def, 0, &xml), VP_ERR_XML,
                           KW("has_console", "serial"));
    def->has_console = false;
    def->agent_socket_path = vp_strdup("/run/a.sock");
    vpt_assert_error_words(vp_plugin_domain_def_format(def, 0, &xml), VP_ERR_XML,
                           KW("agent_socket_path", "has_agent_channel"));
    def->has_agent_channel = true;
    def->serial_type = VP_DOMAIN_SERIAL_PTY;
    def->serial_path = vp_strdup("/dev/pts/1");
    vpt_assert_error_words(vp_plugin_domain_def_format(def, 0, &xml), VP_ERR_XML,
                           KW("serial_path"));
    free(def->serial_path);
    def->serial_path = NULL;
    free(xml);
    xml = format_ok(def);
    assert_non_null(strstr(xml, "<source mode='bind' path='/run/a.sock'/>"));
    free(xml);
    xml = NULL;
    assert_null(xml);
}

static void
test_copy(void **state)
{
    _cleanup_free_ char *in = read_fixture("full.xml");
    _cleanup_(vp_plugin_domain_def_freep) vp_domain_def *def = parse_ok(in);
    _cleanup_(vp_plugin_domain_def_freep) vp_domain_def *copy = vp_plugin_domain_def_copy(def);
    assert_non_null(copy);
    assert_ptr_not_equal(copy->name, def->name);
    assert_ptr_not_equal(copy->disks, def->disks);
    assert_ptr_not_equal(copy->disks[0].source_file, def->disks[0].source_file);
    assert_ptr_not_equal(copy->os_boot_devs[0], def->os_boot_devs[0]);
    _cleanup_free_ char *a = format_ok(def);
    /* The copy stands alone once the original is gone. */
    vp_plugin_domain_def_free(VP_STEAL_PTR(def));
    _cleanup_free_ char *b = format_ok(copy);
    assert_string_equal(a, b);
}

/* libxml2 must not print: its errors come back in the message only. */
static void
test_no_stderr(void **state)
{
    fflush(stderr);
    FILE *tmp = tmpfile();
    assert_non_null(tmp);
    int saved = dup(2);
    dup2(fileno(tmp), 2);
    vp_domain_def *def = NULL;
    int r = vp_plugin_domain_def_parse("<domain><a></b></domain>", 0, &def);
    r += vp_plugin_domain_def_parse("<domain \x01/>", 0, &def);
    r += vp_plugin_domain_def_parse("<?xml version='1.0' encoding='bogus'?><domain/>", 0, &def);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    assert_true(r < 0);
    assert_int_equal(ftell(tmp), 0);
    fclose(tmp);
}

/* Parses in several threads at once keep their errors apart: libxml2's
 * error capture is per thread. */
static void *
parse_thread(void *arg)
{
    const char *xml = arg;
    for (int i = 0; i < 100; i++) {
        vp_domain_def *def = NULL;
        int r = vp_plugin_domain_def_parse(i % 2 ? xml : "<domain><a></b></domain>", 0, &def);
        const vp_error *e = vp_error_last();
        if (i % 2 && (r < 0 || !def))
            return "valid input failed";
        if (!(i % 2) && (r != VP_ERR_XML || !e || !strstr(e->message, "mismatch")))
            return "wrong error for malformed input";
        vp_plugin_domain_def_free(def);
    }
    return NULL;
}

static void
test_threads(void **state)
{
    _cleanup_free_ char *xml = read_fixture("full.xml");
    pthread_t threads[4];
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&threads[i], NULL, parse_thread, xml), 0);
    for (size_t i = 0; i < 4; i++) {
        void *res = NULL;
        assert_int_equal(pthread_join(threads[i], &res), 0);
        if (res)
            fail_msg("thread %zu: %s", i, (const char *)res);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixtures_round_trip),
        cmocka_unit_test(test_full_fields),
        cmocka_unit_test(test_kernel_fields),
        cmocka_unit_test(test_uuid_generated),
        cmocka_unit_test(test_memory_units),
        cmocka_unit_test(test_invalid),
        cmocka_unit_test(test_names_and_words_allowed),
        cmocka_unit_test(test_deep_nesting),
        cmocka_unit_test(test_invalid_args),
        cmocka_unit_test(test_format_escapes),
        cmocka_unit_test(test_format_long),
        cmocka_unit_test(test_format_refuses),
        cmocka_unit_test(test_copy),
        cmocka_unit_test(test_no_stderr),
        cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
