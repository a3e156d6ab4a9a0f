# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# plugins/qemu/local.mk: the QEMU driver plugin (qemu.so).
#
# Built at plugins/ so the module lands in plugins/.libs/, the directory the
# tests name in VIRTPLUG_PLUGIN_DIR. It sees only sdk/include (never
# -Iframework): everything it needs from the core goes through the SDK.
include plugins/qemu/qmp.mk

qemu_driver_sources = \
	plugins/qemu/qemu-driver.c plugins/qemu/qemu-driver.h \
	plugins/qemu/qemu-caps.c \
	plugins/qemu/qemu-conn.c \
	plugins/qemu/qemu-events.c plugins/qemu/qemu-events-qmp.c \
	plugins/qemu/qemu-events-log.c \
	plugins/qemu/qemu-define-next.c \
	plugins/qemu/qemu-domain.c \
	plugins/qemu/qemu-runtime.c \
	plugins/qemu/qemu-identity.c \
	plugins/qemu/qemu-info.c \
	plugins/qemu/qemu-stats.c \
	plugins/qemu/qemu-state.c \
	plugins/qemu/qemu-state-bulk.c \
	plugins/qemu/qemu-selfchange.c \
	plugins/qemu/qemu-command.c \
	plugins/qemu/qemu-devices.c plugins/qemu/qemu-devices.h plugins/qemu/qemu-pci.c \
	plugins/qemu/qemu-chardev.c plugins/qemu/qemu-platform.c plugins/qemu/qemu-tap.c \
	plugins/qemu/qemu-network.c plugins/qemu/qemu-firmware.c \
	plugins/qemu/qemu-tpm.c \
	plugins/qemu/qemu-spice.c plugins/qemu/qemu-spice-tls.c plugins/qemu/qemu-hostcaps.c \
	plugins/qemu/qemu-log.c \
	plugins/qemu/qemu-process.c \
	plugins/qemu/qemu-lock.c \
	plugins/qemu/qemu-jobs.c \
	plugins/qemu/qemu-guest-info.c \
	plugins/qemu/qemu-time.c \
	plugins/qemu/qemu-guest-fs.c \
	plugins/qemu/qemu-console.c \
	plugins/qemu/qemu-lifecycle.c \
	plugins/qemu/qemu-stop.c \
	plugins/qemu/qemu-transient.c \
	plugins/qemu/qemu-save.c \
	plugins/qemu/qemu-save-xml.c \
	plugins/qemu/qemu-save.h \
	plugins/qemu/qemu-resources.c \
	plugins/qemu/qemu-live.c plugins/qemu/qemu-live.h plugins/qemu/qemu-graphics-live.c plugins/qemu/qemu-device-live.c \
	plugins/qemu/qemu-device-live.h plugins/qemu/qemu-device-live-xml.c \
	plugins/qemu/qemu-host-caps.c \
	plugins/qemu/qemu-host-suspend.c \
	plugins/qemu/qemu-chain.c plugins/qemu/qemu-chain.h \
	plugins/qemu/qemu-step.c \
	plugins/qemu/qemu-snapshot-intent.c \
	plugins/qemu/qemu-snapshot-delete.c \
	plugins/qemu/qemu-snapshot-merge.c plugins/qemu/qemu-snapshot-merge.h \
	plugins/qemu/qemu-snapshot-live.c \
	plugins/qemu/qemu-snapshot-branch.c \
	plugins/qemu/qemu-snapshot-revert.c plugins/qemu/qemu-snapshot-unstack.c \
	plugins/qemu/qemu-snapshot-move.c \
	plugins/qemu/qemu-snapshot-reverts.c \
	plugins/qemu/qemu-snapshot.c plugins/qemu/qemu-snapshot.h

if WITH_QEMU
plugin_LTLIBRARIES += plugins/qemu.la
plugins_qemu_la_SOURCES = $(qemu_driver_sources) $(qemu_client_sources)
plugins_qemu_la_CPPFLAGS = $(AM_CPPFLAGS) $(JSONC_CFLAGS) \
	-DQEMU_SYSTEM_RUNTIME_DIR='"$(runstatedir)/virtplug/qemu"' \
	-DQEMU_DEFAULT_BINARY='"$(QEMU_SYSTEM)"' \
	-DQEMU_IMG_BINARY='"$(QEMU_IMG)"'
plugins_qemu_la_LDFLAGS = $(AM_LDFLAGS) $(VP_PLUGIN_LINK)
plugins_qemu_la_LIBADD = framework/libvirtplug.la $(JSONC_LIBS)
else
EXTRA_DIST += $(qemu_driver_sources)
endif
EXTRA_DIST += docs/qemu-driver.md
