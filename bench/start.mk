# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# bench/start.mk: issue 15's figures: define + start of a virt-install q35
# domain, and vpsh list --all with 100 running domains, each beside
# libvirt 9.0 in the same run (bench-libvirt-scale, run by bench-qemu-start
# through libvirtd's qemu:///system).
if WITH_QEMU
EXTRA_PROGRAMS += bench/bench-qemu-start
bench_programs += bench/bench-qemu-start$(EXEEXT)
bench_targets += $(bin_PROGRAMS)
if HAVE_LIBVIRT
EXTRA_PROGRAMS += bench/bench-libvirt-scale
bench_targets += bench/bench-libvirt-scale$(EXEEXT)
endif
endif
EXTRA_DIST += bench/data/virt-install-q35.xml
bench_bench_qemu_start_SOURCES = bench/bench-qemu-start.c bench/bench-common.c \
	bench/bench-common.h
bench_bench_qemu_start_CPPFLAGS = $(AM_CPPFLAGS) \
	-DVP_BENCH_TOP_SRCDIR='"$(abs_top_srcdir)"' -DVP_BENCH_TOP_BUILDDIR='"$(abs_top_builddir)"'
if HAVE_LIBVIRT
bench_bench_qemu_start_CPPFLAGS += -DVP_BENCH_HAVE_LIBVIRT=1
endif
bench_bench_qemu_start_LDADD = framework/libvirtplug.la
bench_bench_qemu_start_LDFLAGS = $(AM_LDFLAGS) -no-install
bench_bench_libvirt_scale_SOURCES = bench/bench-libvirt-scale.c bench/bench-common.c \
	bench/bench-common.h
bench_bench_libvirt_scale_CPPFLAGS = $(AM_CPPFLAGS) $(LIBVIRT_CFLAGS)
bench_bench_libvirt_scale_LDADD = $(LIBVIRT_LIBS)
bench_bench_libvirt_scale_LDFLAGS = $(AM_LDFLAGS) -no-install
