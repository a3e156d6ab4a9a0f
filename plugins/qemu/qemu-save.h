/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-save.h: the save image of the qemu driver, shared by qemu-save.c
 * (save, restore, managed save) and qemu-save-xml.c (the XML inside the
 * images). The format is in docs/qemu-driver.md.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "qemu-driver.h"

#define IMAGE_HEADER_LEN 64
#define IMAGE_XML_MAX (16u << 20)
#define PART_SUFFIX ".vpsave-part"

typedef struct image_header {
    uint32_t xml_len;
    uint32_t state;      /* VP_DOMAIN_RUNNING or VP_DOMAIN_PAUSED: how a restore leaves it */
    uint64_t stream_len; /* 0 until the stream is whole */
    uint64_t nonce;      /* the save's intent names it: which save wrote the image */
} image_header;

/* CONFIG/NAME.save. (transfer full) */
char *qemu_save_managed_path(const qemu_driver *drv, const char *name);
/* Open image @path and read its header and XML (free()); VP_ERR_INVALID_ARG
 * unless it is a whole image, VP_ERR_SYSTEM. */
int qemu_save_image_open(const char *path, int *ret_fd, image_header *ret_h, char **ret_xml);
/* Write the header @h (stream length 0) and @xml to the part file @fd. */
int qemu_save_write_head(int fd, const char *part, const char *xml, image_header *h);
/* The stream went into @fd: record its length, sync, and rename @part to
 * @path (steps named for @define, a rewrite of the XML, or a save). */
int qemu_save_seal(int fd, const char *part, const char *path, image_header *h, bool define);
/* Whether a restore of the image @h with @flags (VP_DOMAIN_SAVE_*) leaves
 * the domain paused. */
bool qemu_save_restore_paused(unsigned int flags, const image_header *h);
