/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * bench/bench-common.h: timing helpers shared by bench-core and
 * bench-libvirt, so both sides of each figure are measured the same way.
 */
#ifndef VP_BENCH_COMMON_H
#define VP_BENCH_COMMON_H

#include <stddef.h>
#include <stdint.h>

/* Monotonic nanoseconds. */
int64_t bench_now_ns(void);

/* The median of @n values (sorts @v in place). */
double bench_median(double *v, size_t n);

/* Run @argv (argv[0] a path) @runs times with stdout and stderr to
 * /dev/null and @env_extra ("NAME=value" or NULL) added to the
 * environment; report the median wall time in ms and the median peak RSS
 * in KiB (wait4 ru_maxrss). Returns 0, or -1 when a run failed (exit status
 * not 0), with a note in @ret_note. */
int bench_process(const char *const *argv, const char *env_extra, int runs, double *ret_ms,
                  double *ret_rss_kib, char *ret_note, size_t note_size);

/* Consume a value so the compiler keeps a loop. */
void bench_sink(int v);

/* libvirt's anchors: start libvirtd with SRCDIR/bench/libvirtd-ctl.sh (and
 * stop it again if it was not running), run "BUILDDIR/bench/
 * bench-libvirt-qemu ARGS" and read the value of its "KEY value" line for
 * each of the NULL-terminated @keys into @values. 0 when every key was
 * there; -1 with *@note set (why there are no figures) otherwise. */
int bench_libvirt_anchors(const char *srcdir, const char *builddir, const char *const *args,
                          const char *const *keys, double *values, char *note, size_t note_size);

/* The same with another anchor program of this build tree's bench/
 * directory than bench-libvirt-qemu. */
int bench_libvirt_program(const char *srcdir, const char *builddir, const char *program,
                          const char *const *args, const char *const *keys, double *values,
                          char *note, size_t note_size);

/* Run @argv (found on PATH) with stdin from /dev/null and our stderr; with
 * @out, its stdout (NUL-terminated, at most @out_size - 1 bytes). 0 when it
 * exited with 0. */
int bench_run(const char *const *argv, char *out, size_t out_size);

/* vpsh of the build tree @top as a real binary, not libtool's wrapper
 * script (a shell would dominate a figure), into @path; run it with
 * LD_LIBRARY_PATH=@top/framework/.libs. 0, or -1 when it is not built. */
int bench_vpsh_binary(const char *top, char *path, size_t size);

/* Copy a file; -1 with a message on stderr. */
int bench_copy_file(const char *from, const char *to);

#endif
