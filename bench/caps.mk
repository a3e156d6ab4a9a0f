# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# bench/caps.mk: the domain model's speed (issue 14): parse + validate +
# format of a virt-install domain per call, beside libvirt's test driver
# doing the same in the same process and run.
EXTRA_PROGRAMS += bench/bench-caps
bench_programs += bench/bench-caps$(EXEEXT)
bench_bench_caps_SOURCES = bench/bench-caps.c bench/bench-common.c bench/bench-common.h
bench_bench_caps_CPPFLAGS = $(AM_CPPFLAGS) -DVP_BENCH_SRCDIR='"$(abs_top_srcdir)"'
bench_bench_caps_LDADD = framework/libvirtplug.la
bench_bench_caps_LDFLAGS = $(AM_LDFLAGS) -no-install
if HAVE_LIBVIRT
bench_bench_caps_CPPFLAGS += -DVP_BENCH_HAVE_LIBVIRT=1 $(LIBVIRT_CFLAGS)
bench_bench_caps_LDADD += $(LIBVIRT_LIBS)
endif
EXTRA_DIST += bench/data/virt-install.xml
