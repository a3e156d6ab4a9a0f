/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-qemu-selfchange.c: qemu_command_self_changes() (qemu-selfchange.c)
 * on command lines of the shapes qemu-command.c builds: a QEMU without
 * disks, panic device or ACPI S3 under TCG cannot change its run state by
 * itself; each thing that lets it (a disk's default or 'stop' error
 * policy, pvpanic, a pausing -action, S3, -no-shutdown, KVM, a gdb stub,
 * a legacy -drive) makes it "can change", and a CD-ROM, a disk with
 * werror=report or ignore, S3 disabled or ACPI off do not.
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "qemu-driver.h"

#define BASE "/usr/bin/qemu-system-x86_64", "-name", "guest=d", "-accel", "tcg", "-nodefaults"

typedef struct {
    const char *const argv[16];
    bool changes;
} case_t;

static void
test_rules(void **state)
{
    (void)state;
    static const case_t cases[] = {
        {{BASE, "-machine", "none", NULL}, false},
        {{BASE, "-machine", "pc", NULL}, true}, /* S3 */
        {{BASE, "-machine", "pc", "-global", "PIIX4_PM.disable_s3=1", NULL}, false},
        {{BASE, "-machine", "q35", "-global", "ICH9-LPC.disable_s3=1", NULL}, false},
        {{BASE, "-machine", "pc,acpi=off", NULL}, false},
        {{BASE, "-machine", "pc,acpi=off", "-device", "virtio-blk-pci,drive=drive-vda,id=vda",
          NULL},
         true},
        {{BASE, "-machine", "pc,acpi=off", "-device",
          "virtio-blk-pci,drive=drive-vda,id=vda,werror=report,rerror=report", NULL},
         false},
        {{BASE, "-machine", "pc,acpi=off", "-device",
          "virtio-blk-pci,drive=drive-vda,id=vda,werror=ignore", NULL},
         false},
        {{BASE, "-machine", "pc,acpi=off", "-device",
          "virtio-blk-pci,drive=drive-vda,id=vda,werror=report,rerror=stop", NULL},
         true},
        {{BASE, "-machine", "pc,acpi=off", "-device", "ide-cd,bus=ide.0,drive=drive-hdc,id=hdc",
          NULL},
         false},
        {{BASE, "-machine", "pc,acpi=off", "-device", "pvpanic,ioport=1285", NULL}, true},
        {{BASE, "-machine", "none", "-action", "panic=pause", NULL}, true},
        {{BASE, "-machine", "none", "-action", "watchdog=pause", NULL}, true},
        {{BASE, "-machine", "none", "-action", "watchdog=reset", NULL}, false},
        {{BASE, "-machine", "none", "-no-shutdown", NULL}, true},
        {{BASE, "-machine", "none", "-gdb", "tcp::1234", NULL}, true},
        {{BASE, "-machine", "none", "-drive", "file=/x", NULL}, true},
        {{"/usr/bin/qemu-system-x86_64", "-accel", "kvm", "-machine", "none", NULL}, true},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *why = "unset";
        bool got = qemu_command_self_changes((char *const *)cases[i].argv, &why);
        if (got != cases[i].changes || (got ? why == NULL : why != NULL))
            fail_msg("case %zu: can change %d (%s), want %d", i, got, why ? why : "-",
                     cases[i].changes);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
