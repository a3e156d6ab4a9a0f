/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-qemu-chain.c: the qcow2 backing-chain walker (plugins/qemu/
 * qemu-chain.c). The header parser on headers built byte by byte (every
 * way a header can be malformed, the longest name QEMU allows); the walker
 * on chains qemu-img makes in a fresh directory: absolute and relative
 * names, a missing or raw base, a symlink, a loop, a FIFO, names it cannot
 * follow, external data files, and the depth limit.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include <virtplug/sdk/alloc.h>
#include <virtplug/sdk/services.h>
#include <virtplug/virtplug.h>

#include "qemu-chain.h"

/* ---- Headers built by hand ------------------------------------------ */

#define CLUSTER 512 /* 2^9, the smallest cluster */

static void
put32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (24 - 8 * i));
}

static void
put64(unsigned char *p, uint64_t v)
{
    put32(p, (uint32_t)(v >> 32));
    put32(p + 4, (uint32_t)v);
}

/* A header of @version with 512-byte clusters and no backing file. */
static void
hdr_init(unsigned char *b, size_t size, uint32_t version)
{
    memset(b, 0, size);
    memcpy(b, "QFI\xfb", 4);
    put32(b + 4, version);
    put32(b + 20, 9);
    if (version == 3) {
        put32(b + 96, 4);
        put32(b + 100, 104);
    }
}

static void
hdr_backing(unsigned char *b, uint64_t off, const char *name, uint32_t len)
{
    put64(b + 8, off);
    put32(b + 16, len);
    if (name)
        memcpy(b + off, name, len);
}

/* A header extension at @off; returns where the next one goes. */
static size_t
hdr_ext(unsigned char *b, size_t off, uint32_t type, const void *data, uint32_t len)
{
    put32(b + off, type);
    put32(b + off + 4, len);
    if (data)
        memcpy(b + off + 8, data, len);
    return off + 8 + ((len + 7) & ~7u);
}

/* Parse @b as the first @size bytes of a file; check the error's key words. */
static void
assert_malformed(const unsigned char *b, size_t size, const char *keyword)
{
    char *backing = NULL;
    int r = qemu_chain_parse_qcow2_backing(b, size, &backing);
    const char *msg = r < 0 && vp_error_last() ? vp_error_last()->message : "";
    if (r != VP_ERR_INVALID_ARG || !strstr(msg, keyword))
        fprintf(stderr, "expected an error with '%s', got %d: '%s'\n", keyword, r, msg);
    assert_int_equal(r, VP_ERR_INVALID_ARG);
    assert_null(backing);
    assert_non_null(strstr(msg, keyword));
    assert_non_null(strstr(msg, "qcow2 header"));
}

/* Parse @b (@size bytes): a qcow2 header naming the backing file @expected. */
static void
assert_backing(const unsigned char *b, size_t size, const char *expected)
{
    char *backing = NULL;
    assert_int_equal(qemu_chain_parse_qcow2_backing(b, size, &backing), 1);
    assert_string_equal(backing, expected);
    free(backing);
}

static void
test_parse_not_qcow2(void **state)
{
    unsigned char b[CLUSTER];
    char *backing = NULL;
    assert_int_equal(qemu_chain_parse_qcow2_backing((const unsigned char *)"", 0, &backing), 0);
    assert_int_equal(qemu_chain_parse_qcow2_backing((const unsigned char *)"QFI", 3, &backing), 0);
    memset(b, 0, sizeof(b));
    memcpy(b, "\177ELF", 4);
    assert_int_equal(qemu_chain_parse_qcow2_backing(b, sizeof(b), &backing), 0);
    /* qcow version 1 shares the magic but is another format. */
    hdr_init(b, sizeof(b), 1);
    hdr_backing(b, 72, "base", 4);
    assert_int_equal(qemu_chain_parse_qcow2_backing(b, sizeof(b), &backing), 0);
    assert_null(backing);
    assert_int_equal(qemu_chain_parse_qcow2_backing(NULL, 4, &backing), VP_ERR_INVALID_ARG);
}

static void
test_parse_backing(void **state)
{
    unsigned char b[CLUSTER];
    char *backing = NULL;

    hdr_init(b, sizeof(b), 2);
    assert_int_equal(qemu_chain_parse_qcow2_backing(b, sizeof(b), &backing), 0);
    hdr_backing(b, 72, "../base.qcow2", 13);
    assert_backing(b, sizeof(b), "../base.qcow2");
    assert_backing(b, 72 + 13, "../base.qcow2"); /* exactly the bytes needed */

    /* Version 3 with a backing format extension before the name. */
    hdr_init(b, sizeof(b), 3);
    size_t off = hdr_ext(b, 104, 0xe2792aca, "qcow2", 5);
    off = hdr_ext(b, off, 0, NULL, 0);
    hdr_backing(b, off, "/images/base.qcow2", 18);
    assert_backing(b, sizeof(b), "/images/base.qcow2");

    /* An empty name at a valid offset is no backing file, as for QEMU. */
    hdr_backing(b, off, NULL, 0);
    assert_int_equal(qemu_chain_parse_qcow2_backing(b, sizeof(b), &backing), 0);
    assert_null(backing);
}

static void
test_parse_longest_name(void **state)
{
    unsigned char b[2048];
    char name[1024];
    memset(name, 'n', 1023);
    name[0] = '/';
    name[1023] = '\0';
    hdr_init(b, sizeof(b), 2);
    put32(b + 20, 11); /* 2 KiB clusters */
    hdr_backing(b, 80, name, 1023);
    assert_backing(b, sizeof(b), name);
    /* One byte more is refused. */
    hdr_backing(b, 80, NULL, 1024);
    assert_malformed(b, sizeof(b), "longer than 1023 bytes");
}

static void
test_parse_malformed_header(void **state)
{
    unsigned char b[CLUSTER];
    hdr_init(b, sizeof(b), 3);
    assert_malformed(b, 8, "truncated to 8 bytes");
    assert_malformed(b, 100, "truncated to 100 of 104 bytes");
    hdr_init(b, sizeof(b), 2);
    assert_malformed(b, 71, "truncated to 71 of 72 bytes");

    hdr_init(b, sizeof(b), 4);
    assert_malformed(b, sizeof(b), "version 4");

    hdr_init(b, sizeof(b), 2);
    put32(b + 20, 8);
    assert_malformed(b, sizeof(b), "cluster size 2^8");
    put32(b + 20, 22);
    assert_malformed(b, sizeof(b), "cluster size 2^22");

    hdr_init(b, sizeof(b), 3);
    put32(b + 100, 96);
    assert_malformed(b, sizeof(b), "header length 96 is below 104");
    put32(b + 100, 1024);
    assert_malformed(b, sizeof(b), "header length 1024 exceeds the cluster size 512");
}

static void
test_parse_malformed_backing(void **state)
{
    unsigned char b[CLUSTER];
    hdr_init(b, sizeof(b), 2);
    hdr_backing(b, 600, NULL, 4);
    assert_malformed(b, sizeof(b), "offset 600 lies past the first cluster");

    hdr_init(b, sizeof(b), 2);
    hdr_backing(b, 500, NULL, 20);
    memset(b + 500, 'x', 12);
    assert_malformed(b, sizeof(b), "runs past the first cluster (512 bytes)");

    hdr_init(b, sizeof(b), 2);
    hdr_backing(b, 72, "base.qcow2", 10);
    assert_malformed(b, 80, "runs past the 80 bytes read");

    hdr_init(b, sizeof(b), 2);
    hdr_backing(b, 72, "base\0qcow2", 10);
    assert_malformed(b, sizeof(b), "backing file name contains a NUL byte");
}

static void
test_parse_malformed_extensions(void **state)
{
    unsigned char b[CLUSTER];
    /* Larger than the space before the backing name. */
    hdr_init(b, sizeof(b), 3);
    hdr_ext(b, 104, 0x12345678, NULL, 200);
    hdr_backing(b, 200, "base", 4);
    assert_malformed(b, sizeof(b), "header extension 0x12345678 of 200 bytes");
    /* Not even room for the extension's own 8 bytes. */
    hdr_init(b, sizeof(b), 3);
    put32(b + 104, 0x12345678);
    hdr_backing(b, 108, "base", 4);
    assert_malformed(b, sizeof(b), "does not fit before offset 108");
    /* Past what was read: no end marker within the data. */
    hdr_init(b, sizeof(b), 3);
    assert_malformed(b, 104, "header extension at offset 104 lies past the 104 bytes read");
    hdr_ext(b, 104, 0x12345678, NULL, 64);
    assert_malformed(b, 120, "runs past the 120 bytes read");

    hdr_init(b, sizeof(b), 3);
    hdr_ext(b, 104, 0xe2792aca, "qcow2-but-too-long", 18);
    assert_malformed(b, sizeof(b), "backing file format name of 18 bytes");
    hdr_init(b, sizeof(b), 3);
    size_t off = hdr_ext(b, 104, 0xe2792aca, "raw", 3);
    hdr_ext(b, off, 0xe2792aca, "qcow2", 5);
    assert_malformed(b, sizeof(b), "backing file format name appears twice");

    hdr_init(b, sizeof(b), 3);
    hdr_ext(b, 104, 0x44415441, NULL, 0);
    assert_malformed(b, sizeof(b), "external data file name is empty");
    hdr_init(b, sizeof(b), 3);
    hdr_ext(b, 104, 0x44415441, "/d\0ta", 5);
    assert_malformed(b, sizeof(b), "external data file name contains a NUL byte");
    hdr_init(b, sizeof(b), 3);
    off = hdr_ext(b, 104, 0x44415441, "/a", 2);
    hdr_ext(b, off, 0x44415441, "/b", 2);
    assert_malformed(b, sizeof(b), "external data file name appears twice");

    unsigned char big[8192];
    hdr_init(big, sizeof(big), 3);
    put32(big + 20, 13);
    hdr_ext(big, 104, 0x44415441, NULL, 4096);
    memset(big + 112, 'd', 4096);
    assert_malformed(big, sizeof(big), "external data file name of 4096 bytes");
}

static void
test_parse_data_file(void **state)
{
    unsigned char b[CLUSTER];
    char *data_file = NULL;
    hdr_init(b, sizeof(b), 3);
    size_t off = hdr_ext(b, 104, 0x44415441, "/images/d.raw", 13);
    off = hdr_ext(b, off, 0, NULL, 0);
    hdr_backing(b, off, "base", 4);
    /* Without incompatible feature bit 2, QEMU does not use it. */
    assert_int_equal(qemu_chain_parse_qcow2_data_file(b, sizeof(b), &data_file), 0);
    assert_null(data_file);
    put64(b + 72, 1u << 2);
    assert_int_equal(qemu_chain_parse_qcow2_data_file(b, sizeof(b), &data_file), 1);
    assert_string_equal(data_file, "/images/d.raw");
    free(data_file);
    assert_backing(b, sizeof(b), "base");
}

/* ---- Chains on disk ---------------------------------------------------- */

typedef struct fixture {
    char *dir;
    char *base, *mid, *top; /* DIR/base.qcow2, ... (made by chain3()) */
} fixture;

static int
setup(void **state)
{
    fixture *f = vp_new0(fixture, 1);
    f->dir = vp_strdup("/tmp/vp-chain-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    f->base = vp_asprintf("%s/base.qcow2", f->dir);
    f->mid = vp_asprintf("%s/mid.qcow2", f->dir);
    f->top = vp_asprintf("%s/top.qcow2", f->dir);
    *state = f;
    return 0;
}

static int
remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    return remove(path);
}

static int
teardown(void **state)
{
    fixture *f = *state;
    nftw(f->dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(f->dir);
    free(f->base);
    free(f->mid);
    free(f->top);
    free(f);
    return 0;
}

static char *
in_dir(const fixture *f, const char *name)
{
    return vp_asprintf("%s/%s", f->dir, name);
}

static void
need_qemu_img(void)
{
    if (access(QEMU_IMG, X_OK) < 0) {
        fprintf(stderr, "SKIP: '%s' is not installed\n", QEMU_IMG);
        skip();
    }
}

static void
run_img(const char *const *argv)
{
    int status = -1;
    _cleanup_free_ char *err = NULL;
    assert_int_equal(vp_plugin_command_run(argv, 60000, &status, NULL, &err), 0);
    if (status != 0)
        fprintf(stderr, "%s %s: %s\n", argv[0], argv[1], err);
    assert_int_equal(status, 0);
}

/* A 1 MiB qcow2 image at @path, over @backing (of @format) when given. */
static void
img_create(const char *path, const char *backing, const char *format)
{
    if (backing)
        run_img((const char *const[]){QEMU_IMG, "create", "-q", "-f", "qcow2", "-b", backing, "-F",
                                      format, path, "1M", NULL});
    else
        run_img((const char *const[]){QEMU_IMG, "create", "-q", "-f", "qcow2", path, "1M", NULL});
}

/* base.qcow2 <- mid.qcow2 <- top.qcow2, by absolute names. */
static void
chain3(const fixture *f)
{
    need_qemu_img();
    img_create(f->base, NULL, NULL);
    img_create(f->mid, f->base, "qcow2");
    img_create(f->top, f->mid, "qcow2");
}

/* Make @path name @backing without opening it ('qemu-img rebase -u'). */
static void
img_rebase_unsafe(const char *path, const char *backing)
{
    run_img(
        (const char *const[]){QEMU_IMG, "rebase", "-u", "-b", backing, "-F", "qcow2", path, NULL});
}

static void
write_file(const char *path, const void *data, size_t size)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, size, fp), size);
    assert_int_equal(fclose(fp), 0);
}

/* A version 3 image @path using the external data file @data_name, over @backing. */
static void
write_data_file_image(const char *path, const char *data_name, const char *backing)
{
    unsigned char b[CLUSTER];
    hdr_init(b, sizeof(b), 3);
    put64(b + 72, 1u << 2);
    size_t off = hdr_ext(b, 104, 0x44415441, data_name, (uint32_t)strlen(data_name));
    off = hdr_ext(b, off, 0, NULL, 0);
    hdr_backing(b, off, backing, (uint32_t)strlen(backing));
    write_file(path, b, sizeof(b));
}

static struct stat
stat_of(const char *path)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    return st;
}

static bool
reaches_file(const qemu_chain *chain, const char *path)
{
    struct stat st = stat_of(path);
    return qemu_chain_reaches(chain, st.st_dev, st.st_ino);
}

static qemu_chain *
walk_ok(const char *path)
{
    qemu_chain *chain = NULL;
    int r = qemu_chain_walk(path, &chain);
    if (r < 0)
        fprintf(stderr, "walk: %s\n", vp_error_last()->message);
    assert_int_equal(r, 0);
    assert_non_null(chain);
    return chain;
}

/* links[@i] is @path; it exists (and is the file stat() finds there) or not. */
static void
assert_link(const qemu_chain *chain, size_t i, const char *path, bool exists)
{
    assert_true(i < chain->n);
    assert_string_equal(chain->links[i].path, path);
    assert_int_equal(chain->links[i].exists, exists);
    if (exists) {
        struct stat st = stat_of(path);
        assert_true(chain->links[i].dev == st.st_dev && chain->links[i].ino == st.st_ino);
        assert_true(qemu_chain_reaches(chain, st.st_dev, st.st_ino));
    }
}

/* The walk fails with @code and a message holding @a and @b. */
static void
assert_walk_fails(const char *path, int code, const char *a, const char *b)
{
    qemu_chain *chain = NULL;
    assert_int_equal(qemu_chain_walk(path, &chain), code);
    assert_null(chain);
    const char *msg = vp_error_last()->message;
    if (!strstr(msg, a) || !strstr(msg, b))
        fprintf(stderr, "unexpected message: %s\n", msg);
    assert_non_null(strstr(msg, a));
    assert_non_null(strstr(msg, b));
}

static void
test_walk_absolute_chain(void **state)
{
    fixture *f = *state;
    chain3(f);
    _cleanup_(qemu_chain_freep) qemu_chain *chain = walk_ok(f->top);
    assert_int_equal(chain->n, 3);
    assert_link(chain, 0, f->top, true);
    assert_link(chain, 1, f->mid, true);
    assert_link(chain, 2, f->base, true);
    assert_null(chain->unresolved);

    /* From the middle, the top is not reached. */
    _cleanup_(qemu_chain_freep) qemu_chain *lower = walk_ok(f->mid);
    assert_int_equal(lower->n, 2);
    assert_link(lower, 0, f->mid, true);
    assert_link(lower, 1, f->base, true);
    assert_false(reaches_file(lower, f->top));
}

static void
test_walk_relative_names(void **state)
{
    fixture *f = *state;
    need_qemu_img();
    _cleanup_free_ char *sub = in_dir(f, "sub");
    _cleanup_free_ char *mid = in_dir(f, "sub/mid.qcow2");
    _cleanup_free_ char *top = in_dir(f, "sub/top.qcow2");
    _cleanup_free_ char *as_qemu = in_dir(f, "sub/../base.qcow2");
    assert_int_equal(mkdir(sub, 0700), 0);
    img_create(f->base, NULL, NULL);
    /* qemu-img stores the names as given, relative to the image. */
    img_create(mid, "../base.qcow2", "qcow2");
    img_create(top, "mid.qcow2", "qcow2");

    _cleanup_(qemu_chain_freep) qemu_chain *chain = walk_ok(top);
    assert_int_equal(chain->n, 3);
    assert_link(chain, 0, top, true);
    assert_link(chain, 1, mid, true);
    /* Not normalised: QEMU opens "DIR/sub/../base.qcow2" too. */
    assert_link(chain, 2, as_qemu, true);
    assert_true(reaches_file(chain, f->base));
}

static void
test_walk_missing_backing(void **state)
{
    fixture *f = *state;
    chain3(f);
    assert_int_equal(unlink(f->mid), 0);
    _cleanup_(qemu_chain_freep) qemu_chain *chain = walk_ok(f->top);
    assert_int_equal(chain->n, 2);
    assert_link(chain, 0, f->top, true);
    assert_link(chain, 1, f->mid, false);
    assert_null(chain->unresolved);

    /* A missing image is a chain of one missing link. */
    _cleanup_(qemu_chain_freep) qemu_chain *none = walk_ok(f->mid);
    assert_int_equal(none->n, 1);
    assert_link(none, 0, f->mid, false);
}

static void
test_walk_raw_base(void **state)
{
    fixture *f = *state;
    need_qemu_img();
    _cleanup_free_ char *raw = in_dir(f, "base.raw");
    run_img((const char *const[]){QEMU_IMG, "create", "-q", "-f", "raw", raw, "1M", NULL});
    img_create(f->top, raw, "raw");
    img_create(f->base, NULL, NULL);
    _cleanup_(qemu_chain_freep) qemu_chain *chain = walk_ok(f->top);
    assert_int_equal(chain->n, 2);
    assert_link(chain, 0, f->top, true);
    assert_link(chain, 1, raw, true);

    /* A guest may write a qcow2 header into its raw disk: stated raw, it is not followed. */
    unsigned char b[CLUSTER];
    hdr_init(b, sizeof(b), 2);
    hdr_backing(b, 72, f->base, (uint32_t)strlen(f->base));
    write_file(raw, b, sizeof(b));
    _cleanup_(qemu_chain_freep) qemu_chain *again = walk_ok(f->top);
    assert_int_equal(again->n, 2);
    assert_false(reaches_file(again, f->base));
}

static void
test_walk_symlink(void **state)
{
    fixture *f = *state;
    need_qemu_img();
    _cleanup_free_ char *a = in_dir(f, "a");
    _cleanup_free_ char *b = in_dir(f, "b");
    _cleanup_free_ char *a_x = in_dir(f, "a/x.qcow2");
    _cleanup_free_ char *b_x = in_dir(f, "b/x.qcow2");
    _cleanup_free_ char *b_mid = in_dir(f, "b/mid.qcow2");
    _cleanup_free_ char *link = in_dir(f, "a/link.qcow2");
    assert_int_equal(mkdir(a, 0700), 0);
    assert_int_equal(mkdir(b, 0700), 0);
    img_create(a_x, NULL, NULL);
    img_create(b_x, NULL, NULL);
    img_create(b_mid, "x.qcow2", "qcow2");
    assert_int_equal(symlink("../b/mid.qcow2", link), 0);
    img_create(f->top, link, "qcow2");

    _cleanup_(qemu_chain_freep) qemu_chain *chain = walk_ok(f->top);
    assert_int_equal(chain->n, 3);
    /* The link's own name, with the dev/ino of its target. */
    assert_link(chain, 1, link, true);
    struct stat st = stat_of(b_mid);
    assert_true(chain->links[1].dev == st.st_dev && chain->links[1].ino == st.st_ino);
    /* "x.qcow2" is taken from the symlink's directory, as QEMU does. */
    assert_link(chain, 2, a_x, true);
    assert_false(reaches_file(chain, b_x));
}

static void
test_walk_loop(void **state)
{
    fixture *f = *state;
    chain3(f);
    img_rebase_unsafe(f->base, f->top);
    /* The message names the image whose backing name closes the loop. */
    _cleanup_free_ char *from_top = vp_asprintf("'%s' names '%s'", f->base, f->top);
    assert_walk_fails(f->top, VP_ERR_OPERATION_INVALID, "loops", from_top);
    _cleanup_free_ char *from_mid = vp_asprintf("'%s' names '%s'", f->top, f->mid);
    assert_walk_fails(f->mid, VP_ERR_OPERATION_INVALID, "loops", from_mid);

    img_rebase_unsafe(f->base, "base.qcow2");
    _cleanup_free_ char *from_self = vp_asprintf("'%s' names '%s'", f->base, f->base);
    assert_walk_fails(f->base, VP_ERR_OPERATION_INVALID, "loops", from_self);
}

static void
on_alarm(int sig)
{
    static const char msg[] = "the walk hung\n";
    (void)!write(STDERR_FILENO, msg, sizeof(msg) - 1);
    _exit(1);
}

static void
test_walk_fifo_and_devices(void **state)
{
    fixture *f = *state;
    chain3(f);
    /* Replaced by a FIFO no one writes to: opening it to read would block. */
    assert_int_equal(unlink(f->mid), 0);
    assert_int_equal(mkfifo(f->mid, 0600), 0);
    signal(SIGALRM, on_alarm);
    alarm(30);
    _cleanup_(qemu_chain_freep) qemu_chain *chain = walk_ok(f->top);
    alarm(0);
    assert_int_equal(chain->n, 2);
    assert_link(chain, 1, f->mid, true);

    /* With a qcow2 header waiting in it, the FIFO is still not read. */
    unsigned char b[CLUSTER], back[CLUSTER];
    hdr_init(b, sizeof(b), 2);
    hdr_backing(b, 72, f->base, (uint32_t)strlen(f->base));
    int fd = open(f->mid, O_RDWR | O_NONBLOCK);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, b, sizeof(b)), sizeof(b));
    _cleanup_(qemu_chain_freep) qemu_chain *full = walk_ok(f->top);
    assert_int_equal(full->n, 2);
    assert_int_equal(read(fd, back, sizeof(back)), sizeof(back));
    assert_memory_equal(back, b, sizeof(b));
    close(fd);

    /* A character device and a directory stop the walk too. */
    img_rebase_unsafe(f->top, "/dev/null");
    _cleanup_(qemu_chain_freep) qemu_chain *dev = walk_ok(f->top);
    assert_int_equal(dev->n, 2);
    assert_link(dev, 1, "/dev/null", true);
    img_rebase_unsafe(f->top, f->dir);
    _cleanup_(qemu_chain_freep) qemu_chain *dir = walk_ok(f->top);
    assert_int_equal(dir->n, 2);
    assert_link(dir, 1, f->dir, true);
}

static void
test_walk_unresolved(void **state)
{
    fixture *f = *state;
    chain3(f);
    _cleanup_free_ char *json = vp_asprintf(
        "json:{\"driver\":\"qcow2\",\"file\":{\"driver\":\"file\",\"filename\":\"%s\"}}", f->mid);
    const char *names[] = {json, "nbd://localhost:10809/disk", "file:mid.qcow2"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        img_rebase_unsafe(f->top, names[i]);
        _cleanup_(qemu_chain_freep) qemu_chain *chain = walk_ok(f->top);
        assert_int_equal(chain->n, 1);
        assert_link(chain, 0, f->top, true);
        assert_non_null(chain->unresolved);
        assert_string_equal(chain->unresolved, names[i]);
    }
    /* "file:" with an absolute path is a local file. */
    _cleanup_free_ char *file_uri = vp_asprintf("file:%s", f->mid);
    img_rebase_unsafe(f->top, file_uri);
    _cleanup_(qemu_chain_freep) qemu_chain *chain = walk_ok(f->top);
    assert_int_equal(chain->n, 3);
    assert_link(chain, 1, f->mid, true);
    assert_null(chain->unresolved);
}

static void
test_walk_data_file(void **state)
{
    fixture *f = *state;
    need_qemu_img();
    _cleanup_free_ char *base_data = in_dir(f, "base.data");
    _cleanup_free_ char *opt = vp_asprintf("data_file=%s", base_data);
    run_img((const char *const[]){QEMU_IMG, "create", "-q", "-f", "qcow2", "-o", opt, f->base, "1M",
                                  NULL});
    img_create(f->mid, f->base, "qcow2");
    _cleanup_(qemu_chain_freep) qemu_chain *chain = walk_ok(f->mid);
    assert_int_equal(chain->n, 3);
    assert_link(chain, 0, f->mid, true);
    assert_link(chain, 1, f->base, true);
    assert_link(chain, 2, base_data, true);

    /* A relative name is taken from the image's directory; a missing one is recorded. */
    _cleanup_free_ char *top_data = in_dir(f, "top.data");
    write_data_file_image(f->top, "top.data", "mid.qcow2");
    _cleanup_(qemu_chain_freep) qemu_chain *full = walk_ok(f->top);
    assert_int_equal(full->n, 5);
    assert_link(full, 0, f->top, true);
    assert_link(full, 1, top_data, false);
    assert_link(full, 2, f->mid, true);
    assert_link(full, 3, f->base, true);
    assert_link(full, 4, base_data, true);

    /* One with a protocol stops the walk there. */
    write_data_file_image(f->top, "nbd:host:10809", "mid.qcow2");
    _cleanup_(qemu_chain_freep) qemu_chain *proto = walk_ok(f->top);
    assert_int_equal(proto->n, 1);
    assert_string_equal(proto->unresolved, "nbd:host:10809");
}

static void
test_walk_depth(void **state)
{
    fixture *f = *state;
    unsigned char b[CLUSTER];
    /* img-0 -> img-1 -> ... -> img-1000: 1001 images. */
    for (int i = 0; i <= QEMU_CHAIN_MAX_DEPTH; i++) {
        _cleanup_free_ char *path = vp_asprintf("%s/img-%d", f->dir, i);
        _cleanup_free_ char *next = vp_asprintf("img-%d", i + 1);
        hdr_init(b, sizeof(b), 2);
        if (i < QEMU_CHAIN_MAX_DEPTH)
            hdr_backing(b, 72, next, (uint32_t)strlen(next));
        write_file(path, b, 72 + strlen(next));
    }
    _cleanup_free_ char *second = in_dir(f, "img-1");
    _cleanup_free_ char *last = in_dir(f, "img-1000");
    _cleanup_(qemu_chain_freep) qemu_chain *chain = walk_ok(second);
    assert_int_equal(chain->n, QEMU_CHAIN_MAX_DEPTH);
    assert_link(chain, QEMU_CHAIN_MAX_DEPTH - 1, last, true);

    _cleanup_free_ char *first = in_dir(f, "img-0");
    assert_walk_fails(first, VP_ERR_OPERATION_INVALID, "deeper than 1000 images", first);
}

static void
test_walk_errors(void **state)
{
    fixture *f = *state;
    qemu_chain *chain = NULL;
    assert_int_equal(qemu_chain_walk("images/top.qcow2", &chain), VP_ERR_INVALID_ARG);
    assert_non_null(strstr(vp_error_last()->message, "'images/top.qcow2'"));
    assert_int_equal(qemu_chain_walk(NULL, &chain), VP_ERR_INVALID_ARG);
    assert_int_equal(qemu_chain_walk("/x", NULL), VP_ERR_INVALID_ARG);
    assert_null(chain);

    /* A symlink to itself: stat() fails with ELOOP, not ENOENT. */
    assert_int_equal(symlink("mid.qcow2", f->mid), 0);
    assert_walk_fails(f->mid, VP_ERR_SYSTEM, f->mid, strerror(ELOOP));

    /* A malformed header in the chain names the file. */
    unsigned char b[CLUSTER];
    hdr_init(b, sizeof(b), 4);
    write_file(f->base, b, sizeof(b));
    hdr_init(b, sizeof(b), 2);
    hdr_backing(b, 72, "base.qcow2", 10);
    write_file(f->top, b, sizeof(b));
    assert_walk_fails(f->top, VP_ERR_INVALID_ARG, f->base, "version 4");
}

static void
test_reaches(void **state)
{
    fixture *f = *state;
    chain3(f);
    _cleanup_free_ char *unrelated = in_dir(f, "unrelated.qcow2");
    img_create(unrelated, NULL, NULL);
    struct stat sb = stat_of(f->base), st = stat_of(f->top);

    _cleanup_(qemu_chain_freep) qemu_chain *chain = walk_ok(f->top);
    assert_true(qemu_chain_reaches(chain, sb.st_dev, sb.st_ino));
    assert_true(qemu_chain_reaches(chain, st.st_dev, st.st_ino));
    assert_true(reaches_file(chain, f->mid));
    assert_false(reaches_file(chain, unrelated));
    assert_false(qemu_chain_reaches(NULL, sb.st_dev, sb.st_ino));

    /* A link that does not exist reaches nothing, whatever its dev/ino fields hold. */
    assert_int_equal(unlink(f->base), 0);
    _cleanup_(qemu_chain_freep) qemu_chain *gone = walk_ok(f->top);
    assert_int_equal(gone->n, 3);
    assert_false(gone->links[2].exists);
    assert_false(qemu_chain_reaches(gone, sb.st_dev, sb.st_ino));
    assert_false(qemu_chain_reaches(gone, gone->links[2].dev, gone->links[2].ino));
    assert_true(qemu_chain_reaches(gone, st.st_dev, st.st_ino));
}

int
main(void)
{
#define WALK(t) cmocka_unit_test_setup_teardown(t, setup, teardown)
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_not_qcow2),
        cmocka_unit_test(test_parse_backing),
        cmocka_unit_test(test_parse_longest_name),
        cmocka_unit_test(test_parse_malformed_header),
        cmocka_unit_test(test_parse_malformed_backing),
        cmocka_unit_test(test_parse_malformed_extensions),
        cmocka_unit_test(test_parse_data_file),
        WALK(test_walk_absolute_chain),
        WALK(test_walk_relative_names),
        WALK(test_walk_missing_backing),
        WALK(test_walk_raw_base),
        WALK(test_walk_symlink),
        WALK(test_walk_loop),
        WALK(test_walk_fifo_and_devices),
        WALK(test_walk_unresolved),
        WALK(test_walk_data_file),
        WALK(test_walk_depth),
        WALK(test_walk_errors),
        WALK(test_reaches),
    };
#undef WALK
    return cmocka_run_group_tests(tests, NULL, NULL);
}
