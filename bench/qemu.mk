# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# bench/qemu.mk: the tiny guest's figures (issues 5 and 6): start to first
# agent reply, and the quiesced snapshot's frozen window beside a bare
# client's floor. Built only by `make bench`; the guest comes from the test
# suite's builder (tests/helpers/guest/build-guest.sh) in this build tree.
if WITH_QEMU
EXTRA_PROGRAMS += bench/bench-qemu-guest
bench_programs += bench/bench-qemu-guest$(EXEEXT)
bench_bench_qemu_guest_SOURCES = bench/bench-qemu-guest.c \
	bench/bench-qemu-util.c bench/bench-qemu-util.h \
	bench/bench-common.c bench/bench-common.h \
	tests/helpers/guest/guest.c tests/helpers/guest/guest.h tests/helpers/guest/guest-xml.c
bench_bench_qemu_guest_CPPFLAGS = $(AM_CPPFLAGS) $(JSONC_CFLAGS) -I$(top_srcdir)/plugins/qemu \
	-I$(top_srcdir)/tests/helpers \
	-DVP_BENCH_TOP_SRCDIR='"$(abs_top_srcdir)"' -DVP_BENCH_TOP_BUILDDIR='"$(abs_top_builddir)"'
bench_bench_qemu_guest_LDADD = plugins/qemu/libqemu-client.la framework/libvirtplug.la \
	$(JSONC_LIBS)
bench_bench_qemu_guest_LDFLAGS = $(AM_LDFLAGS) -no-install
# libvirt's anchors on the same guest (bench-qemu-guest runs it).
if HAVE_LIBVIRT_QEMU
EXTRA_PROGRAMS += bench/bench-libvirt-qemu
bench_targets += bench/bench-libvirt-qemu$(EXEEXT)
bench_bench_qemu_guest_CPPFLAGS += -DVP_BENCH_HAVE_LIBVIRT=1
endif
endif
bench_bench_libvirt_qemu_SOURCES = bench/bench-libvirt-qemu.c bench/bench-common.c \
	bench/bench-common.h tests/helpers/guest/guest-xml.c
bench_bench_libvirt_qemu_CPPFLAGS = $(AM_CPPFLAGS) $(LIBVIRT_QEMU_CFLAGS) $(LIBVIRT_CFLAGS) \
	-I$(top_srcdir)/tests/helpers
bench_bench_libvirt_qemu_LDADD = $(LIBVIRT_QEMU_LIBS) $(LIBVIRT_LIBS)

# Deleting an external snapshot merges it (issue 16): vp_snapshot_delete of
# a running domain's 64 MiB overlay beside a bare QMP client's block-commit.
if WITH_QEMU
EXTRA_PROGRAMS += bench/bench-qemu-merge
bench_programs += bench/bench-qemu-merge$(EXEEXT)
bench_bench_qemu_merge_SOURCES = bench/bench-qemu-merge.c \
	bench/bench-common.c bench/bench-common.h
bench_bench_qemu_merge_CPPFLAGS = $(AM_CPPFLAGS) $(JSONC_CFLAGS) -I$(top_srcdir)/plugins/qemu \
	-DQEMU_SYSTEM_PATH='"$(QEMU_SYSTEM)"' -DQEMU_IMG_PATH='"$(QEMU_IMG)"' \
	-DVP_BENCH_TOP_SRCDIR='"$(abs_top_srcdir)"' -DVP_BENCH_TOP_BUILDDIR='"$(abs_top_builddir)"'
bench_bench_qemu_merge_LDADD = plugins/qemu/libqemu-client.la framework/libvirtplug.la \
	$(JSONC_LIBS)
bench_bench_qemu_merge_LDFLAGS = $(AM_LDFLAGS) -no-install
if HAVE_LIBVIRT_QEMU
bench_bench_qemu_merge_CPPFLAGS += -DVP_BENCH_HAVE_LIBVIRT=1
endif
endif

# A host suspend that takes care of the guests (issue 20): prepare + restore
# of 20 running '-machine none' domains beside a bare QMP client's stop and
# cont on the same 20, on a fake host (the real hostpower-linux plugin).
if WITH_QEMU
if WITH_HOSTPOWER_LINUX
EXTRA_PROGRAMS += bench/bench-qemu-host-suspend
bench_programs += bench/bench-qemu-host-suspend$(EXEEXT)
endif
endif
bench_bench_qemu_host_suspend_SOURCES = bench/bench-qemu-host-suspend.c \
	bench/bench-qemu-util.c bench/bench-qemu-util.h \
	bench/bench-common.c bench/bench-common.h tests/helpers/guest/guest-xml.c
bench_bench_qemu_host_suspend_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/helpers \
	-DVP_BENCH_TOP_SRCDIR='"$(abs_top_srcdir)"' -DVP_BENCH_TOP_BUILDDIR='"$(abs_top_builddir)"'
bench_bench_qemu_host_suspend_LDADD = framework/libvirtplug.la
bench_bench_qemu_host_suspend_LDFLAGS = $(AM_LDFLAGS) -no-install
