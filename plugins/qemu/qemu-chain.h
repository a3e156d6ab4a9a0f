/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-chain.h: the files a qcow2 image reaches through its backing chain
 * and external data files (qemu-chain.c), so the driver can refuse to
 * delete an image that another one still needs. Never installed.
 */
#ifndef VIRTPLUG_QEMU_CHAIN_H
#define VIRTPLUG_QEMU_CHAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <virtplug/sdk/alloc.h>

/* How many images a backing chain may hold (the image itself included). */
#define QEMU_CHAIN_MAX_DEPTH 1000

/*
 * qemu_chain_parse_qcow2_backing: the backing file name stored in a qcow2
 * header; pure parsing of @data (the first @size bytes of a file, at least
 * the header cluster for a complete answer), for the fuzzer and the walker.
 * Returns 1 and sets *@ret_backing ((transfer full) free()) when the image
 * is qcow2 (magic "QFI\xfb", version 2 or 3) and names a backing file; 0
 * when it is not qcow2 (qcow version 1 included) or names none. Errors:
 * VP_ERR_INVALID_ARG with a message naming the problem when the header is
 * qcow2 but malformed or truncated: version above 3, cluster size, header
 * length, header extensions that overrun their area or @size (the area not
 * ended within @size included), a backing format name of 16 bytes or more
 * or repeated, a backing name outside the header cluster or @size, longer
 * than 1023 bytes or with a NUL inside, a bad external data file name (see
 * below). *@ret_backing is written only when 1 is returned. Thread-safe.
 */
int qemu_chain_parse_qcow2_backing(const unsigned char *data, size_t size, char **ret_backing);

/*
 * qemu_chain_parse_qcow2_backing_format: as qemu_chain_parse_qcow2_backing,
 * for the format the header states for its backing file (header extension
 * 0xe2792aca: "qcow2", "raw", ...): 1 and *@ret_format ((transfer full)
 * free()) when the image names a backing file and its format, 0 otherwise.
 */
int qemu_chain_parse_qcow2_backing_format(const unsigned char *data, size_t size,
                                          char **ret_format);

/*
 * qemu_chain_parse_qcow2_data_file: as qemu_chain_parse_qcow2_backing, for
 * the external data file name (header extension 0x44415441), which QEMU
 * uses only when incompatible feature bit 2 is set: returns 1 and sets
 * *@ret_data_file ((transfer full) free()) when the bit is set and the
 * header names one, 0 otherwise. The same errors; a bad data file name is
 * one that is empty, of 4096 bytes or more, with a NUL inside, or given by
 * two such extensions (with or without the bit, as for both parsers).
 */
int qemu_chain_parse_qcow2_data_file(const unsigned char *data, size_t size, char **ret_data_file);

typedef struct qemu_chain_link {
    char *path;  /* as resolved: absolute; a relative backing name resolved against the directory
                  * of the image that names it (QEMU's rule: the directory of the name the image was
                  * reached by, so through a symlink that of the symlink), never normalised */
    bool exists; /* stat() succeeded */
    dev_t dev;   /* valid when exists */
    ino_t ino;
} qemu_chain_link;

typedef struct qemu_chain {
    qemu_chain_link *links; /* links[0] is the image itself, then its backing file, ...; an
                             * image's external data file comes right after that image */
    size_t n;
    char *unresolved; /* non-NULL when the walk stopped at a backing (or data file) name it cannot
                       * follow ("json:{...}", a protocol like "nbd:"), which then names it */
} qemu_chain;

/*
 * qemu_chain_walk: the chain of files QEMU opens for the image @path
 * (absolute). Follows backing names through qcow2 headers; records an
 * image's external data file as a link of its own (with no further chain;
 * a relative name is resolved against the image's directory, although
 * QEMU up to at least 7.2 opens it relative to its working directory).
 * The walk stops, successfully, at a missing file (recorded with
 * exists=false), a file that is not qcow2, a backing file whose stated
 * format is not qcow2, a file that is neither a regular file nor a block
 * device (recorded but never opened for reading: a FIFO does not hang it),
 * or a name it cannot follow (@unresolved). It reads only the header
 * cluster of each image (open O_RDONLY|O_CLOEXEC|O_NOCTTY|O_NONBLOCK).
 * @ret_chain: (transfer full) qemu_chain_free(); written only on success.
 * Errors: VP_ERR_INVALID_ARG (@path not absolute; a malformed qcow2 header,
 * the message naming the file), VP_ERR_OPERATION_INVALID (a loop, naming
 * the file whose backing name closes it; more than QEMU_CHAIN_MAX_DEPTH
 * images), VP_ERR_SYSTEM (stat, open or read failing other than with
 * ENOENT, naming the file). Thread-safe; it follows symlinks, as QEMU does.
 */
int qemu_chain_walk(const char *path, qemu_chain **ret_chain);

/* qemu_chain_free: NULL-safe. */
void qemu_chain_free(qemu_chain *chain);
VP_DEFINE_CLEANUP(qemu_chain, qemu_chain_free)

/* qemu_chain_reaches: whether a link of @chain (links[0], the image itself,
 * included) that exists is the file (@dev, @ino). False for a NULL @chain. */
bool qemu_chain_reaches(const qemu_chain *chain, dev_t dev, ino_t ino);

/* The sizes of an image in bytes, as libvirt's domblkinfo gives them. */
typedef struct qemu_image_sizes {
    uint64_t capacity;   /* what the guest sees: a qcow2 image's virtual size, else physical */
    uint64_t allocation; /* what it uses on the host: a file's blocks, a device's size */
    uint64_t physical;   /* the file's length or the block device's size */
} qemu_image_sizes;

/*
 * Read the sizes of the image at @path in @format ("raw" never reads a
 * header; NULL or "qcow2" do). Returns 0, or -errno (-EINVAL for a path
 * that is neither a regular file nor a block device). Reads 32 bytes at
 * most; never blocks on a FIFO.
 */
int qemu_chain_image_sizes(const char *path, const char *format, qemu_image_sizes *ret_sizes);

#endif /* VIRTPLUG_QEMU_CHAIN_H */
