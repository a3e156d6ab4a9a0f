# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# bench/remote.mk: remote connections over a private sshd (bench/bench-remote.sh).
if WITH_REMOTE
bench_targets += bench-remote
EXTRA_PROGRAMS += bench/bench-remote-echo
bench_bench_remote_echo_SOURCES = bench/bench-remote-echo.c bench/bench-common.c \
	bench/bench-common.h
bench_bench_remote_echo_LDADD = framework/libvirtplug.la $(PTHREAD_LIBS)
bench_bench_remote_echo_LDFLAGS = $(AM_LDFLAGS) -no-install
CLEANFILES += bench/bench-remote-echo$(EXEEXT)
bench-remote: tools/vpsh/vpsh$(EXEEXT) tools/ssh-helper/virtplug-ssh-helper$(EXEEXT) \
		bench/bench-remote-echo$(EXEEXT) $(plugin_LTLIBRARIES)
	@echo "== bench-remote"
	@VIRTPLUG_PLUGIN_DIR='$(abs_top_builddir)/plugins/.libs' \
	VIRTPLUG_XML_MODULE='$(abs_top_builddir)/framework/conf/.libs/virtplug-xml.so' \
	VP_TOP_SRCDIR='$(abs_top_srcdir)' VP_TOP_BUILDDIR='$(abs_top_builddir)' \
	$(SHELL) $(abs_top_srcdir)/bench/bench-remote.sh
endif
EXTRA_DIST += bench/bench-remote.sh bench/bench-remote-echo.c bench/libvirtd-ctl.sh
