# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# bench/node-suspend.mk: the node-suspend figure (issue 4) beside its anchor,
# libvirt's rtcwake command path, measured in the same run against a fake
# host (the real hostpower-linux plugin, never the real RTC).
if WITH_HOSTPOWER_LINUX
EXTRA_PROGRAMS += bench/bench-node-suspend
bench_programs += bench/bench-node-suspend$(EXEEXT)
bench_targets += $(plugin_LTLIBRARIES)
endif
bench_bench_node_suspend_SOURCES = bench/bench-node-suspend.c bench/bench-common.c \
	bench/bench-common.h
bench_bench_node_suspend_LDADD = framework/libvirtplug.la
bench_bench_node_suspend_LDFLAGS = $(AM_LDFLAGS) -no-install
bench_bench_node_suspend_CPPFLAGS = $(AM_CPPFLAGS)
