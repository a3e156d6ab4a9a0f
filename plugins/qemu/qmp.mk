# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# plugins/qemu/qmp.mk: QMP and guest-agent clients, snapshot state machine.
#
# The driver (plugins/qemu/local.mk) compiles $(qemu_client_sources) into
# qemu.la; the same sources make a convenience library for the unit tests.

qemu_client_sources = \
	plugins/qemu/qemu-json.c plugins/qemu/qemu-json.h \
	plugins/qemu/qemu-events-classify.c plugins/qemu/qemu-events-classify.h \
	plugins/qemu/qemu-monitor.c plugins/qemu/qemu-monitor.h \
	plugins/qemu/qemu-agent.c plugins/qemu/qemu-agent.h \
	plugins/qemu/snapshot-fsm.c plugins/qemu/snapshot-fsm.h

if WITH_QEMU
noinst_LTLIBRARIES += plugins/qemu/libqemu-client.la
plugins_qemu_libqemu_client_la_SOURCES = $(qemu_client_sources)
plugins_qemu_libqemu_client_la_CPPFLAGS = $(AM_CPPFLAGS) $(JSONC_CFLAGS)
plugins_qemu_libqemu_client_la_LIBADD = framework/libvirtplug.la $(JSONC_LIBS)
endif
