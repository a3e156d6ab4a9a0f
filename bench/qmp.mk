# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# bench/qmp.mk: the QMP client's round trip beside a bare socket loop.
if WITH_QEMU
noinst_PROGRAMS += bench/bench-qmp
bench_programs += bench/bench-qmp
bench_bench_qmp_SOURCES = bench/bench-qmp.c \
	tests/helpers/mock-qemu/real-qemu.c tests/helpers/mock-qemu/real-qemu.h
bench_bench_qmp_CPPFLAGS = $(AM_CPPFLAGS) $(JSONC_CFLAGS) -I$(top_srcdir)/plugins/qemu \
	-I$(top_srcdir)/tests/helpers/mock-qemu
bench_bench_qmp_LDADD = plugins/qemu/libqemu-client.la framework/libvirtplug.la $(JSONC_LIBS)
endif
