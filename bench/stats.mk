# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# bench/stats.mk: runtime statistics (issue 17): vp_conn_get_all_domain_stats
# over 100 QEMU domains beside libvirt 9.0's virConnectGetAllDomainStats
# over the same 100, libvirtd started by the bench. bench-stats runs
# bench-libvirt-stats itself, so only bench-stats is in bench_programs.
if WITH_QEMU
EXTRA_PROGRAMS += bench/bench-stats
bench_programs += bench/bench-stats$(EXEEXT)
if HAVE_LIBVIRT
EXTRA_PROGRAMS += bench/bench-libvirt-stats
bench_targets += bench/bench-libvirt-stats$(EXEEXT)
endif
endif
bench_bench_stats_SOURCES = bench/bench-stats.c bench/bench-common.c bench/bench-common.h
bench_bench_stats_CPPFLAGS = $(AM_CPPFLAGS)
if HAVE_LIBVIRT
bench_bench_stats_CPPFLAGS += -DVP_BENCH_HAVE_LIBVIRT=1
endif
bench_bench_stats_LDADD = framework/libvirtplug.la
bench_bench_stats_LDFLAGS = $(AM_LDFLAGS) -no-install
bench_bench_libvirt_stats_SOURCES = bench/bench-libvirt-stats.c bench/bench-common.c \
	bench/bench-common.h
bench_bench_libvirt_stats_CPPFLAGS = $(AM_CPPFLAGS) $(LIBVIRT_CFLAGS)
bench_bench_libvirt_stats_LDADD = $(LIBVIRT_LIBS)
bench_bench_libvirt_stats_LDFLAGS = $(AM_LDFLAGS) -no-install
