/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * fuzz-qcow2.c: libFuzzer target for the qcow2 header parser of the QEMU
 * plugin's backing-chain walker (plugins/qemu/qemu-chain.c). The input is
 * the first bytes of a file. Each parser must say "not qcow2", return a
 * name that is really in the input at the offset the header gives, or fail
 * with VP_ERR_INVALID_ARG and a message; never crash, leak or read past
 * the input. Both parsers read the same header, so they fail together.
 */
#include <config.h>

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <virtplug/virtplug.h>

#include "qemu-chain.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t
be_at(const uint8_t *p, size_t n)
{
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v = v << 8 | p[i];
    return v;
}

/* A failure must carry VP_ERR_INVALID_ARG and a message, and leave no result. */
static void
check_failure(int r, const char *result)
{
    const vp_error *e = vp_error_last();
    if (r != VP_ERR_INVALID_ARG || !e || e->code != r || !e->message[0] || result)
        abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *backing = NULL;
    int rb = qemu_chain_parse_qcow2_backing(data, size, &backing);
    if (rb < 0) {
        check_failure(rb, backing);
    } else if (rb == 1) {
        /* The name is the backing_file_size bytes at backing_file_offset. */
        uint64_t off = be_at(data + 8, 8);
        uint64_t len = be_at(data + 16, 4);
        if (!backing || strlen(backing) != len || len == 0 || len > 1023 || off + len > size ||
            memcmp(backing, data + off, len) != 0)
            abort();
    } else if (rb != 0 || backing) {
        abort();
    }

    char *data_file = NULL;
    int rd = qemu_chain_parse_qcow2_data_file(data, size, &data_file);
    if (rd < 0)
        check_failure(rd, data_file);
    else if ((rd == 1) != (data_file != NULL) || rd > 1 ||
             (data_file && (!data_file[0] || strlen(data_file) > 4095 ||
                            !memmem(data, size, data_file, strlen(data_file)))))
        abort();
    if ((rb < 0) != (rd < 0))
        abort();

    /* Without the magic, neither finds anything. */
    if ((size < 4 || memcmp(data, "QFI\xfb", 4) != 0) && (rb != 0 || rd != 0))
        abort();
    free(backing);
    free(data_file);
    return 0;
}
