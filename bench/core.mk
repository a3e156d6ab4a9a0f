# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# bench/core.mk: the core's speed figures (issue 3), each beside its libvirt
# anchor measured in the same run. Built only by `make bench`; bench-core
# runs bench-libvirt itself, so only bench-core is in bench_programs.
# -no-install: real binaries (not libtool wrapper scripts) using the
# build tree's shared libvirtplug, as an application would.
EXTRA_PROGRAMS += bench/bench-core
bench_programs += bench/bench-core$(EXEEXT)
# vpsh is measured as a whole process: build it too.
bench_targets += $(bin_PROGRAMS)
bench_bench_core_SOURCES = bench/bench-core.c bench/bench-common.c bench/bench-common.h
bench_bench_core_LDADD = framework/libvirtplug.la
bench_bench_core_LDFLAGS = $(AM_LDFLAGS) -no-install
bench_bench_core_CPPFLAGS = $(AM_CPPFLAGS)

if HAVE_LIBVIRT
EXTRA_PROGRAMS += bench/bench-libvirt
bench_targets += bench/bench-libvirt$(EXEEXT)
bench_bench_core_CPPFLAGS += -DVP_BENCH_HAVE_LIBVIRT=1
endif
bench_bench_libvirt_SOURCES = bench/bench-libvirt.c bench/bench-common.c bench/bench-common.h
bench_bench_libvirt_CPPFLAGS = $(AM_CPPFLAGS) $(LIBVIRT_CFLAGS)
bench_bench_libvirt_LDADD = $(LIBVIRT_LIBS)
