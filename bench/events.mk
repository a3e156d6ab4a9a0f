# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# bench/events.mk: domain event latency (issue 17), from the change to the
# callback, per source: the test driver's own changes beside libvirt's
# test:///default, another process's change on QEMU (inotify) and a QEMU
# killed with SIGKILL (pidfd), and a pause made inside QEMU (its events
# monitor). Built only by `make bench`.
EXTRA_PROGRAMS += bench/bench-events
bench_programs += bench/bench-events$(EXEEXT)
bench_bench_events_SOURCES = bench/bench-events.c bench/bench-common.c bench/bench-common.h
bench_bench_events_CPPFLAGS = $(AM_CPPFLAGS)
bench_bench_events_LDADD = framework/libvirtplug.la
bench_bench_events_LDFLAGS = $(AM_LDFLAGS) -no-install
if HAVE_LIBVIRT
bench_bench_events_CPPFLAGS += -DVP_BENCH_HAVE_LIBVIRT=1 $(LIBVIRT_CFLAGS)
bench_bench_events_LDADD += $(LIBVIRT_LIBS)
endif
