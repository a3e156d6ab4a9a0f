/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * xml-module-bad.c: a fake XML module for test-xml-lazy.c. Its table has
 * the right symbol but a wrong magic and no slots: libvirtplug must refuse
 * it before calling anything through it.
 */
#include <stdint.h>

__attribute__((visibility("default"))) const struct {
    uint32_t magic;
    uint32_t version;
    uint32_t size;
} virtplug_xml_module = {0xdeadbeefu, 1, 12};
