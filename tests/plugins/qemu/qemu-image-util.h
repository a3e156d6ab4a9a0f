/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-image-util.h: what the tests of merges and reverts share to read
 * images: a data pattern per layer of a chain, written and read with
 * qemu-io, the length of a chain (qemu-img info --backing-chain), and the
 * image a definition names. Compiled with -DQEMU_IMG.
 */
#ifndef VIRTPLUG_TESTS_QEMU_IMAGE_UTIL_H
#define VIRTPLUG_TESTS_QEMU_IMAGE_UTIL_H

#include <stdbool.h>
#include <stddef.h>

#include <virtplug/virtplug.h>

/* The pattern byte of layer i (0: the base) and where it is written. */
#define QI_PATTERN(i) (0x11 * ((i) + 1))
#define QI_OFFSET_K(i) ((i)*64)

/* Find qemu-io beside qemu-img; false (and a SKIP line) when it is not
 * installed. */
bool qi_init(void);
/* main() of a test program on images: the child modes of qemu-test-util,
 * qi_init() (77, skipped, without qemu-io), then @tests, @n of them. */
struct CMUnitTest;
int qi_tests_main(int argc, char **argv, const struct CMUnitTest *tests, size_t n);
/* Run @argv (argv[0] absolute) and assert it exits 0. */
void qi_run_ok(const char *const *argv);
/* Write layer @layer's pattern into @image (not in use). */
void qi_write_pattern(const char *image, int layer);
/* Whether layer @layer's pattern reads back through @image. */
bool qi_has_pattern(const char *image, int layer);
/* The same through @uri, read as raw (an NBD export of a running QEMU's
 * node: what its guest reads). */
bool qi_has_pattern_raw(const char *uri, int layer);
/* The number of images in @image's backing chain. */
int qi_chain_length(const char *image);
/* The image the (first) disk of @dom's definition names. (transfer full) */
char *qi_def_image(vp_domain *dom);

/* An embedded instance with one firmware-only domain 'ch' on the qcow2
 * image ROOT/ch.qcow2 (16 MiB, holding layer 0's pattern), shut off. */
typedef struct qi_fixture {
    char *root;
    vp_conn *conn;
    vp_domain *dom;
    char *base;
} qi_fixture;

qi_fixture *qi_fixture_new(void);
/* Kills its QEMU, removes the root. NULL-safe. */
void qi_fixture_free(qi_fixture *f);

#endif /* VIRTPLUG_TESTS_QEMU_IMAGE_UTIL_H */
