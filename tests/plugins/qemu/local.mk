# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# tests/plugins/qemu/local.mk: tests of the QEMU driver against real QEMU.
#
# test-qemu-driver runs '-machine none' and firmware-only domains (fast);
# test-qemu-guest boots the tiny Linux guest with qemu-ga, built once per
# build tree by tests/helpers/guest/build-guest.sh into tests/guest/. They
# are separate programs so 'make -j2 check' runs them side by side.
include tests/plugins/qemu/qmp.mk

qemu_test_util_sources = tests/plugins/qemu/qemu-test-util.c tests/plugins/qemu/qemu-test-util.h
qemu_image_util_sources = tests/plugins/qemu/qemu-image-util.c \
	tests/plugins/qemu/qemu-image-util.h
qemu_test_guest_sources = tests/helpers/guest/guest.c tests/helpers/guest/guest.h \
	tests/helpers/guest/guest-xml.c
qemu_test_qmp_sources = tests/plugins/qemu/qemu-test-qmp.c tests/plugins/qemu/qemu-test-qmp.h
qemu_test_rfb_sources = tests/plugins/qemu/qemu-test-rfb.c tests/plugins/qemu/qemu-test-rfb.h
EXTRA_DIST += tests/helpers/guest/build-guest.sh tests/helpers/guest/init

if WITH_QEMU
if HAVE_CMOCKA
check_PROGRAMS += tests/plugins/qemu/test-qemu-command tests/plugins/qemu/test-qemu-driver \
	tests/plugins/qemu/test-qemu-snapshot tests/plugins/qemu/test-qemu-guest \
	tests/plugins/qemu/test-qemu-crash tests/plugins/qemu/test-qemu-trust \
	tests/plugins/qemu/test-qemu-merge tests/plugins/qemu/test-qemu-identity \
	tests/plugins/qemu/test-qemu-jobs tests/plugins/qemu/test-qemu-crash-merge
TESTS += tests/plugins/qemu/test-qemu-command tests/plugins/qemu/test-qemu-driver \
	tests/plugins/qemu/test-qemu-snapshot tests/plugins/qemu/test-qemu-guest \
	tests/plugins/qemu/test-qemu-crash tests/plugins/qemu/test-qemu-trust \
	tests/plugins/qemu/test-qemu-merge tests/plugins/qemu/test-qemu-identity \
	tests/plugins/qemu/test-qemu-jobs tests/plugins/qemu/test-qemu-crash-merge

tests_plugins_qemu_test_qemu_jobs_SOURCES = tests/plugins/qemu/test-qemu-jobs.c \
	$(qemu_test_util_sources)
tests_plugins_qemu_test_qemu_jobs_CPPFLAGS = $(vp_test_cppflags) \
	-DQEMU_BINARY='"$(QEMU_SYSTEM)"'
tests_plugins_qemu_test_qemu_jobs_LDADD = $(vp_test_ldadd)

tests_plugins_qemu_test_qemu_identity_SOURCES = tests/plugins/qemu/test-qemu-identity.c \
	$(qemu_test_util_sources)
tests_plugins_qemu_test_qemu_identity_CPPFLAGS = $(vp_test_cppflags) \
	-DQEMU_BINARY='"$(QEMU_SYSTEM)"'
tests_plugins_qemu_test_qemu_identity_LDADD = $(vp_test_ldadd)

# Statistics against /proc and QMP, asked with the driver's own QMP client.
check_PROGRAMS += tests/plugins/qemu/test-qemu-stats
TESTS += tests/plugins/qemu/test-qemu-stats
tests_plugins_qemu_test_qemu_stats_SOURCES = tests/plugins/qemu/test-qemu-stats.c \
	$(qemu_test_util_sources)
tests_plugins_qemu_test_qemu_stats_CPPFLAGS = $(qemu_client_test_cppflags) \
	-DQEMU_BINARY='"$(QEMU_SYSTEM)"' -DQEMU_IMG='"$(QEMU_IMG)"'
tests_plugins_qemu_test_qemu_stats_LDADD = $(qemu_client_test_ldadd)

# The command line builder, compiled into its test (the plugin exports
# nothing but its descriptor).
tests_plugins_qemu_test_qemu_command_SOURCES = tests/plugins/qemu/test-qemu-command.c \
	plugins/qemu/qemu-command.c plugins/qemu/qemu-devices.c plugins/qemu/qemu-caps.c \
	plugins/qemu/qemu-pci.c plugins/qemu/qemu-chardev.c plugins/qemu/qemu-platform.c \
	plugins/qemu/qemu-tap.c plugins/qemu/qemu-firmware.c plugins/qemu/qemu-spice.c
tests_plugins_qemu_test_qemu_command_CPPFLAGS = $(vp_test_cppflags) \
	-I$(top_srcdir)/plugins/qemu $(JSONC_CFLAGS)
tests_plugins_qemu_test_qemu_command_LDADD = $(vp_test_ldadd) $(JSONC_LIBS)

# Which command lines let QEMU change its run state by itself.
check_PROGRAMS += tests/plugins/qemu/test-qemu-selfchange
TESTS += tests/plugins/qemu/test-qemu-selfchange
tests_plugins_qemu_test_qemu_selfchange_SOURCES = tests/plugins/qemu/test-qemu-selfchange.c \
	plugins/qemu/qemu-selfchange.c
tests_plugins_qemu_test_qemu_selfchange_CPPFLAGS = $(vp_test_cppflags) \
	-I$(top_srcdir)/plugins/qemu $(JSONC_CFLAGS)
tests_plugins_qemu_test_qemu_selfchange_LDADD = $(vp_test_ldadd) $(JSONC_LIBS)

# The backing-chain walker, compiled into its test, on chains qemu-img makes.
check_PROGRAMS += tests/plugins/qemu/test-qemu-chain
TESTS += tests/plugins/qemu/test-qemu-chain
tests_plugins_qemu_test_qemu_chain_SOURCES = tests/plugins/qemu/test-qemu-chain.c \
	plugins/qemu/qemu-chain.c plugins/qemu/qemu-chain.h
tests_plugins_qemu_test_qemu_chain_CPPFLAGS = $(vp_test_cppflags) -I$(top_srcdir)/plugins/qemu \
	-DQEMU_IMG='"$(QEMU_IMG)"'
tests_plugins_qemu_test_qemu_chain_LDADD = $(vp_test_ldadd)

tests_plugins_qemu_test_qemu_driver_SOURCES = tests/plugins/qemu/test-qemu-driver.c \
	$(qemu_test_util_sources)
tests_plugins_qemu_test_qemu_driver_CPPFLAGS = $(vp_test_cppflags) \
	-DQEMU_BINARY='"$(QEMU_SYSTEM)"'
tests_plugins_qemu_test_qemu_driver_LDADD = $(vp_test_ldadd)

tests_plugins_qemu_test_qemu_snapshot_SOURCES = tests/plugins/qemu/test-qemu-snapshot.c \
	$(qemu_test_util_sources)
tests_plugins_qemu_test_qemu_snapshot_CPPFLAGS = $(vp_test_cppflags) \
	-DQEMU_BINARY='"$(QEMU_SYSTEM)"' -DQEMU_IMG='"$(QEMU_IMG)"'
tests_plugins_qemu_test_qemu_snapshot_LDADD = $(vp_test_ldadd)

# The crash-injection harness: real vpsh stopped at every step of every
# mutating verb (VIRTPLUG_TEST_STOP_AT), killed there, then checked with
# the driver's own QMP client and chain walker.
crash_harness_sources = tests/plugins/qemu/crash-run.c tests/plugins/qemu/crash-invariants.c \
	tests/plugins/qemu/crash-harness.h $(qemu_test_util_sources) plugins/qemu/qemu-chain.c
crash_harness_cppflags = $(vp_test_cppflags) $(JSONC_CFLAGS) \
	-I$(top_srcdir)/plugins/qemu -DQEMU_BINARY='"$(QEMU_SYSTEM)"' -DQEMU_IMG='"$(QEMU_IMG)"'
crash_harness_ldadd = plugins/qemu/libqemu-client.la $(vp_test_ldadd) $(JSONC_LIBS)
tests_plugins_qemu_test_qemu_crash_SOURCES = tests/plugins/qemu/test-qemu-crash.c \
	$(crash_harness_sources)
tests_plugins_qemu_test_qemu_crash_CPPFLAGS = $(crash_harness_cppflags)
tests_plugins_qemu_test_qemu_crash_LDADD = $(crash_harness_ldadd)
# The same harness on the live streams of a delete (a base other branches share).
tests_plugins_qemu_test_qemu_crash_merge_SOURCES = tests/plugins/qemu/test-qemu-crash-merge.c \
	$(crash_harness_sources)
tests_plugins_qemu_test_qemu_crash_merge_CPPFLAGS = $(crash_harness_cppflags)
tests_plugins_qemu_test_qemu_crash_merge_LDADD = $(crash_harness_ldadd)
# The same harness on the live media change and link state of update-device.
check_PROGRAMS += tests/plugins/qemu/test-qemu-crash-media
TESTS += tests/plugins/qemu/test-qemu-crash-media
tests_plugins_qemu_test_qemu_crash_media_SOURCES = tests/plugins/qemu/test-qemu-crash-media.c \
	$(crash_harness_sources) tests/plugins/qemu/qemu-test-link.c \
	tests/plugins/qemu/qemu-test-link.h
tests_plugins_qemu_test_qemu_crash_media_CPPFLAGS = $(crash_harness_cppflags)
tests_plugins_qemu_test_qemu_crash_media_LDADD = $(crash_harness_ldadd)

tests_plugins_qemu_test_qemu_trust_SOURCES = tests/plugins/qemu/test-qemu-trust.c \
	$(qemu_test_util_sources)
tests_plugins_qemu_test_qemu_trust_CPPFLAGS = $(vp_test_cppflags) -DQEMU_IMG='"$(QEMU_IMG)"'
tests_plugins_qemu_test_qemu_trust_LDADD = $(vp_test_ldadd)

tests_plugins_qemu_test_qemu_merge_SOURCES = tests/plugins/qemu/test-qemu-merge.c \
	$(qemu_test_util_sources) $(qemu_image_util_sources)
tests_plugins_qemu_test_qemu_merge_CPPFLAGS = $(vp_test_cppflags) -DQEMU_IMG='"$(QEMU_IMG)"'
tests_plugins_qemu_test_qemu_merge_LDADD = $(vp_test_ldadd)

# Domain events: inotify on the records (another process's changes), a
# pidfd per QEMU (SIGKILL), this connection's own changes reported once.
check_PROGRAMS += tests/plugins/qemu/test-qemu-events
TESTS += tests/plugins/qemu/test-qemu-events
tests_plugins_qemu_test_qemu_events_SOURCES = tests/plugins/qemu/test-qemu-events.c \
	$(qemu_test_util_sources) $(qemu_test_guest_sources)
tests_plugins_qemu_test_qemu_events_CPPFLAGS = $(vp_test_cppflags) \
	-DQEMU_BINARY='"$(QEMU_SYSTEM)"'
tests_plugins_qemu_test_qemu_events_LDADD = $(vp_test_ldadd)
# Events the guest raises inside QEMU, through the events-only monitor:
# QMP sent straight to QEMU, the holder killed, the tiny guest panicking.
check_PROGRAMS += tests/plugins/qemu/test-qemu-qmp-events
TESTS += tests/plugins/qemu/test-qemu-qmp-events
tests_plugins_qemu_test_qemu_qmp_events_SOURCES = tests/plugins/qemu/test-qemu-qmp-events.c \
	$(qemu_test_util_sources) $(qemu_test_guest_sources)
tests_plugins_qemu_test_qemu_qmp_events_CPPFLAGS = $(qemu_client_test_cppflags) \
	-DQEMU_BINARY='"$(QEMU_SYSTEM)"'
tests_plugins_qemu_test_qemu_qmp_events_LDADD = $(qemu_client_test_ldadd)
# A disk that fills up (a tmpfs in a mount namespace of the test's own,
# as root): io-error events with their strings, suspended I/O error.
check_PROGRAMS += tests/plugins/qemu/test-qemu-ioerror
TESTS += tests/plugins/qemu/test-qemu-ioerror
tests_plugins_qemu_test_qemu_ioerror_SOURCES = tests/plugins/qemu/test-qemu-ioerror.c \
	$(qemu_test_util_sources) $(qemu_test_guest_sources)
tests_plugins_qemu_test_qemu_ioerror_CPPFLAGS = $(vp_test_cppflags) \
	-DQEMU_BINARY='"$(QEMU_SYSTEM)"'
tests_plugins_qemu_test_qemu_ioerror_LDADD = $(vp_test_ldadd)
# Reverting to snapshots: data patterns read back through the branches.
check_PROGRAMS += tests/plugins/qemu/test-qemu-revert
TESTS += tests/plugins/qemu/test-qemu-revert
tests_plugins_qemu_test_qemu_revert_SOURCES = tests/plugins/qemu/test-qemu-revert.c \
	tests/plugins/qemu/qemu-revert-util.c tests/plugins/qemu/qemu-revert-util.h \
	$(qemu_test_util_sources) $(qemu_image_util_sources)
tests_plugins_qemu_test_qemu_revert_CPPFLAGS = $(vp_test_cppflags) $(JSONC_CFLAGS) \
	-I$(top_srcdir)/plugins/qemu -DQEMU_IMG='"$(QEMU_IMG)"'
tests_plugins_qemu_test_qemu_revert_LDADD = plugins/qemu/libqemu-client.la $(vp_test_ldadd) \
	$(JSONC_LIBS)
# Another running domain's QEMU moved onto the copy a revert makes: paused,
# two disks, the discard it started with.
check_PROGRAMS += tests/plugins/qemu/test-qemu-revert-move
TESTS += tests/plugins/qemu/test-qemu-revert-move
tests_plugins_qemu_test_qemu_revert_move_SOURCES = tests/plugins/qemu/test-qemu-revert-move.c \
	tests/plugins/qemu/qemu-revert-util.c tests/plugins/qemu/qemu-revert-util.h \
	$(qemu_test_util_sources) $(qemu_image_util_sources)
tests_plugins_qemu_test_qemu_revert_move_CPPFLAGS = $(tests_plugins_qemu_test_qemu_revert_CPPFLAGS)
tests_plugins_qemu_test_qemu_revert_move_LDADD = $(tests_plugins_qemu_test_qemu_revert_LDADD)

# One test per device kind beyond the 1.0 subset, checked over QMP with the
# driver's own monitor client; capability refusals; dumpxml as defined.
check_PROGRAMS += tests/plugins/qemu/test-qemu-devices
TESTS += tests/plugins/qemu/test-qemu-devices
tests_plugins_qemu_test_qemu_devices_SOURCES = tests/plugins/qemu/test-qemu-devices.c \
	$(qemu_test_util_sources) $(qemu_test_qmp_sources)
tests_plugins_qemu_test_qemu_devices_CPPFLAGS = $(vp_test_cppflags) $(JSONC_CFLAGS) \
	-I$(top_srcdir)/plugins/qemu -DQEMU_BINARY='"$(QEMU_SYSTEM)"' -DQEMU_IMG='"$(QEMU_IMG)"'
tests_plugins_qemu_test_qemu_devices_LDADD = plugins/qemu/libqemu-client.la $(vp_test_ldadd) \
	$(JSONC_LIBS)

# Reboot, reset, autostart and transient domains against real QEMU; it
# reads registers over QMP with the driver's own monitor client.
check_PROGRAMS += tests/plugins/qemu/test-qemu-lifecycle
TESTS += tests/plugins/qemu/test-qemu-lifecycle
tests_plugins_qemu_test_qemu_lifecycle_SOURCES = tests/plugins/qemu/test-qemu-lifecycle.c \
	$(qemu_test_util_sources)
tests_plugins_qemu_test_qemu_lifecycle_CPPFLAGS = $(tests_plugins_qemu_test_qemu_devices_CPPFLAGS)
tests_plugins_qemu_test_qemu_lifecycle_LDADD = $(tests_plugins_qemu_test_qemu_devices_LDADD)

# PCI placement and controllers, the disks beyond the 1.0 subset, the
# character devices, watchdogs, panic and sound, read back from real QEMU
# the same way.
check_PROGRAMS += tests/plugins/qemu/test-qemu-pci tests/plugins/qemu/test-qemu-disks \
	tests/plugins/qemu/test-qemu-chardev tests/plugins/qemu/test-qemu-platform \
	tests/plugins/qemu/test-qemu-tap tests/plugins/qemu/test-qemu-network
TESTS += tests/plugins/qemu/test-qemu-pci tests/plugins/qemu/test-qemu-disks \
	tests/plugins/qemu/test-qemu-chardev tests/plugins/qemu/test-qemu-platform \
	tests/plugins/qemu/test-qemu-tap tests/plugins/qemu/test-qemu-network
tests_plugins_qemu_test_qemu_pci_SOURCES = tests/plugins/qemu/test-qemu-pci.c \
	$(qemu_test_util_sources) $(qemu_test_qmp_sources)
tests_plugins_qemu_test_qemu_pci_CPPFLAGS = $(tests_plugins_qemu_test_qemu_devices_CPPFLAGS)
tests_plugins_qemu_test_qemu_pci_LDADD = $(tests_plugins_qemu_test_qemu_devices_LDADD)
tests_plugins_qemu_test_qemu_disks_SOURCES = tests/plugins/qemu/test-qemu-disks.c \
	$(qemu_test_util_sources) $(qemu_test_qmp_sources)
tests_plugins_qemu_test_qemu_disks_CPPFLAGS = $(tests_plugins_qemu_test_qemu_devices_CPPFLAGS)
tests_plugins_qemu_test_qemu_disks_LDADD = $(tests_plugins_qemu_test_qemu_devices_LDADD)
tests_plugins_qemu_test_qemu_chardev_SOURCES = tests/plugins/qemu/test-qemu-chardev.c \
	$(qemu_test_util_sources) $(qemu_test_qmp_sources)
tests_plugins_qemu_test_qemu_chardev_CPPFLAGS = $(tests_plugins_qemu_test_qemu_devices_CPPFLAGS)
tests_plugins_qemu_test_qemu_chardev_LDADD = $(tests_plugins_qemu_test_qemu_devices_LDADD)
tests_plugins_qemu_test_qemu_platform_SOURCES = tests/plugins/qemu/test-qemu-platform.c \
	$(qemu_test_util_sources) $(qemu_test_qmp_sources)
tests_plugins_qemu_test_qemu_platform_CPPFLAGS = $(tests_plugins_qemu_test_qemu_devices_CPPFLAGS)
tests_plugins_qemu_test_qemu_platform_LDADD = $(tests_plugins_qemu_test_qemu_devices_LDADD)
# UEFI with Debian's OVMF: pflash drives, the variable store's life.
check_PROGRAMS += tests/plugins/qemu/test-qemu-firmware
TESTS += tests/plugins/qemu/test-qemu-firmware
tests_plugins_qemu_test_qemu_firmware_SOURCES = tests/plugins/qemu/test-qemu-firmware.c \
	$(qemu_test_util_sources) $(qemu_test_qmp_sources)
tests_plugins_qemu_test_qemu_firmware_CPPFLAGS = $(tests_plugins_qemu_test_qemu_devices_CPPFLAGS)
tests_plugins_qemu_test_qemu_firmware_LDADD = $(tests_plugins_qemu_test_qemu_devices_LDADD)
# The emulated TPM with real swtpm: query-tpm, swtpm's life and state.
check_PROGRAMS += tests/plugins/qemu/test-qemu-tpm
TESTS += tests/plugins/qemu/test-qemu-tpm
tests_plugins_qemu_test_qemu_tpm_SOURCES = tests/plugins/qemu/test-qemu-tpm.c \
	$(qemu_test_util_sources) $(qemu_test_qmp_sources)
tests_plugins_qemu_test_qemu_tpm_CPPFLAGS = $(tests_plugins_qemu_test_qemu_devices_CPPFLAGS)
tests_plugins_qemu_test_qemu_tpm_LDADD = $(tests_plugins_qemu_test_qemu_devices_LDADD)
# SPICE displays, qxl, USB redirection and the spice agent's channel; the
# virt-install sample of tests/data/qemu; the host probe.
check_PROGRAMS += tests/plugins/qemu/test-qemu-spice
TESTS += tests/plugins/qemu/test-qemu-spice
tests_plugins_qemu_test_qemu_spice_SOURCES = tests/plugins/qemu/test-qemu-spice.c \
	$(qemu_test_util_sources) $(qemu_test_qmp_sources) $(qemu_test_rfb_sources)
tests_plugins_qemu_test_qemu_spice_CPPFLAGS = $(tests_plugins_qemu_test_qemu_devices_CPPFLAGS)
tests_plugins_qemu_test_qemu_spice_LDADD = $(tests_plugins_qemu_test_qemu_devices_LDADD) \
	$(PTHREAD_LIBS)
# VNC over TLS (qemu.conf's vnc_tls): VeNCrypt up to a TLS handshake made
# by openssl s_client with a CA the test makes.
check_PROGRAMS += tests/plugins/qemu/test-qemu-vnc
TESTS += tests/plugins/qemu/test-qemu-vnc
tests_plugins_qemu_test_qemu_vnc_SOURCES = tests/plugins/qemu/test-qemu-vnc.c \
	$(qemu_test_util_sources) $(qemu_test_qmp_sources) $(qemu_test_rfb_sources)
tests_plugins_qemu_test_qemu_vnc_CPPFLAGS = $(tests_plugins_qemu_test_qemu_devices_CPPFLAGS)
tests_plugins_qemu_test_qemu_vnc_LDADD = $(tests_plugins_qemu_test_qemu_devices_LDADD) \
	$(PTHREAD_LIBS)
# Live media change and interface link state (update-device, change-media).
check_PROGRAMS += tests/plugins/qemu/test-qemu-media
TESTS += tests/plugins/qemu/test-qemu-media
qemu_test_link_sources = tests/plugins/qemu/qemu-test-link.c tests/plugins/qemu/qemu-test-link.h
tests_plugins_qemu_test_qemu_media_SOURCES = tests/plugins/qemu/test-qemu-media.c \
	$(qemu_test_util_sources) $(qemu_test_qmp_sources) $(qemu_test_link_sources)
tests_plugins_qemu_test_qemu_media_CPPFLAGS = $(tests_plugins_qemu_test_qemu_devices_CPPFLAGS)
tests_plugins_qemu_test_qemu_media_LDADD = $(tests_plugins_qemu_test_qemu_devices_LDADD)
EXTRA_DIST += tests/data/qemu
# undefine of UEFI domains: --nvram, --keep-nvram, libvirt's refusal.
check_PROGRAMS += tests/plugins/qemu/test-qemu-nvram
TESTS += tests/plugins/qemu/test-qemu-nvram
tests_plugins_qemu_test_qemu_nvram_SOURCES = tests/plugins/qemu/test-qemu-nvram.c \
	$(qemu_test_util_sources) $(qemu_test_qmp_sources)
tests_plugins_qemu_test_qemu_nvram_CPPFLAGS = $(tests_plugins_qemu_test_qemu_devices_CPPFLAGS)
tests_plugins_qemu_test_qemu_nvram_LDADD = $(tests_plugins_qemu_test_qemu_devices_LDADD)
# domcapabilities: swtpm and OVMF as this host has them.
check_PROGRAMS += tests/plugins/qemu/test-qemu-hostcaps
TESTS += tests/plugins/qemu/test-qemu-hostcaps
tests_plugins_qemu_test_qemu_hostcaps_SOURCES = tests/plugins/qemu/test-qemu-hostcaps.c \
	$(qemu_test_util_sources) $(qemu_test_qmp_sources)
tests_plugins_qemu_test_qemu_hostcaps_CPPFLAGS = $(tests_plugins_qemu_test_qemu_devices_CPPFLAGS)
tests_plugins_qemu_test_qemu_hostcaps_LDADD = $(tests_plugins_qemu_test_qemu_devices_LDADD)
# pci-bridge and pcie-to-pci-bridge with the devices on their buses.
check_PROGRAMS += tests/plugins/qemu/test-qemu-pci-bridge
TESTS += tests/plugins/qemu/test-qemu-pci-bridge
tests_plugins_qemu_test_qemu_pci_bridge_SOURCES = tests/plugins/qemu/test-qemu-pci-bridge.c \
	$(qemu_test_util_sources) $(qemu_test_qmp_sources)
tests_plugins_qemu_test_qemu_pci_bridge_CPPFLAGS = $(tests_plugins_qemu_test_qemu_devices_CPPFLAGS)
tests_plugins_qemu_test_qemu_pci_bridge_LDADD = $(tests_plugins_qemu_test_qemu_devices_LDADD)
# The cap on the QEMU log of a domain (qemu.conf log_max_bytes).
check_PROGRAMS += tests/plugins/qemu/test-qemu-log
TESTS += tests/plugins/qemu/test-qemu-log
tests_plugins_qemu_test_qemu_log_SOURCES = tests/plugins/qemu/test-qemu-log.c \
	$(qemu_test_util_sources) $(qemu_test_qmp_sources)
tests_plugins_qemu_test_qemu_log_CPPFLAGS = $(tests_plugins_qemu_test_qemu_devices_CPPFLAGS)
tests_plugins_qemu_test_qemu_log_LDADD = $(tests_plugins_qemu_test_qemu_devices_LDADD)
# In a network namespace of its own: taps and bridges never reach the host.
tests_plugins_qemu_test_qemu_tap_SOURCES = tests/plugins/qemu/test-qemu-tap.c \
	$(qemu_test_util_sources) $(qemu_test_qmp_sources)
tests_plugins_qemu_test_qemu_tap_CPPFLAGS = $(tests_plugins_qemu_test_qemu_devices_CPPFLAGS)
tests_plugins_qemu_test_qemu_tap_LDADD = $(tests_plugins_qemu_test_qemu_devices_LDADD)
# <interface type='network'> through qemu.conf, NIC models, link and mtu; in
# a network namespace of its own as well.
tests_plugins_qemu_test_qemu_network_SOURCES = tests/plugins/qemu/test-qemu-network.c \
	$(qemu_test_util_sources) $(qemu_test_qmp_sources)
tests_plugins_qemu_test_qemu_network_CPPFLAGS = $(tests_plugins_qemu_test_qemu_devices_CPPFLAGS)
tests_plugins_qemu_test_qemu_network_LDADD = $(tests_plugins_qemu_test_qemu_devices_LDADD)

# setmem, setmaxmem and setvcpus on real QEMU: balloon, limits, refusals,
# definition changes used by the next start.
check_PROGRAMS += tests/plugins/qemu/test-qemu-resources
TESTS += tests/plugins/qemu/test-qemu-resources
tests_plugins_qemu_test_qemu_resources_SOURCES = tests/plugins/qemu/test-qemu-resources.c \
	$(qemu_test_util_sources) $(qemu_test_qmp_sources)
tests_plugins_qemu_test_qemu_resources_CPPFLAGS = $(tests_plugins_qemu_test_qemu_devices_CPPFLAGS)
tests_plugins_qemu_test_qemu_resources_LDADD = $(tests_plugins_qemu_test_qemu_devices_LDADD)

# Console sessions on the tiny guest through vpsh on a pty, and VNC
# displays (domdisplay, the RFB greeting) of concurrent autoport starts.
check_PROGRAMS += tests/plugins/qemu/test-qemu-console
TESTS += tests/plugins/qemu/test-qemu-console
tests_plugins_qemu_test_qemu_console_SOURCES = tests/plugins/qemu/test-qemu-console.c \
	$(qemu_test_util_sources) $(qemu_test_guest_sources)
tests_plugins_qemu_test_qemu_console_CPPFLAGS = $(vp_test_cppflags) \
	-DQEMU_BINARY='"$(QEMU_SYSTEM)"'
tests_plugins_qemu_test_qemu_console_LDADD = $(vp_test_ldadd)

tests_plugins_qemu_test_qemu_guest_SOURCES = tests/plugins/qemu/test-qemu-guest.c \
	tests/plugins/qemu/test-qemu-guest.h tests/plugins/qemu/test-qemu-guest-fs.c \
	$(qemu_test_util_sources) $(qemu_test_guest_sources) \
	tests/helpers/hostpower/fake-host.c tests/helpers/hostpower/fake-host.h \
	tests/helpers/hostpower/hp-tmp.c tests/helpers/hostpower/hp-tmp.h
# It also talks to the guest agent directly (guest-fsfreeze-status, files)
# with the driver's own agent client.
tests_plugins_qemu_test_qemu_guest_CPPFLAGS = $(vp_test_cppflags) $(JSONC_CFLAGS) \
	-I$(top_srcdir)/plugins/qemu \
	-DQEMU_BINARY='"$(QEMU_SYSTEM)"' -DQEMU_IMG='"$(QEMU_IMG)"'
tests_plugins_qemu_test_qemu_guest_LDADD = plugins/qemu/libqemu-client.la $(vp_test_ldadd) \
	$(JSONC_LIBS)

# The tiny guest with a NIC: DHCP over slirp read back with domifaddr,
# and a reboot through its agent.
check_PROGRAMS += tests/plugins/qemu/test-qemu-guest-net
TESTS += tests/plugins/qemu/test-qemu-guest-net
tests_plugins_qemu_test_qemu_guest_net_SOURCES = tests/plugins/qemu/test-qemu-guest-net.c \
	$(qemu_test_util_sources) $(qemu_test_guest_sources)
tests_plugins_qemu_test_qemu_guest_net_CPPFLAGS = $(vp_test_cppflags) $(JSONC_CFLAGS) \
	-DQEMU_BINARY='"$(QEMU_SYSTEM)"'
tests_plugins_qemu_test_qemu_guest_net_LDADD = $(vp_test_ldadd) $(JSONC_LIBS)

# A host suspend with the pause policy: real '-machine none' QEMUs, the
# hostpower-linux plugin on a fake host (tests/helpers/hostpower).
if WITH_HOSTPOWER_LINUX
check_PROGRAMS += tests/plugins/qemu/test-qemu-host-suspend
TESTS += tests/plugins/qemu/test-qemu-host-suspend
endif
tests_plugins_qemu_test_qemu_host_suspend_SOURCES = tests/plugins/qemu/test-qemu-host-suspend.c \
	$(qemu_test_util_sources) \
	tests/helpers/hostpower/fake-host.c tests/helpers/hostpower/fake-host.h \
	tests/helpers/hostpower/hp-tmp.c tests/helpers/hostpower/hp-tmp.h
tests_plugins_qemu_test_qemu_host_suspend_CPPFLAGS = $(vp_test_cppflags) \
	-DQEMU_BINARY='"$(QEMU_SYSTEM)"'
tests_plugins_qemu_test_qemu_host_suspend_LDADD = $(vp_test_ldadd)

# vp_domain_list_get_states (the driver's states at once) beside the
# per-domain answers, with a QMP client of its own.
check_PROGRAMS += tests/plugins/qemu/test-qemu-list-states
TESTS += tests/plugins/qemu/test-qemu-list-states
tests_plugins_qemu_test_qemu_list_states_SOURCES = tests/plugins/qemu/test-qemu-list-states.c \
	$(qemu_test_util_sources)
tests_plugins_qemu_test_qemu_list_states_CPPFLAGS = $(tests_plugins_qemu_test_qemu_devices_CPPFLAGS)
tests_plugins_qemu_test_qemu_list_states_LDADD = $(tests_plugins_qemu_test_qemu_devices_LDADD)
else
EXTRA_DIST += $(qemu_test_util_sources) $(qemu_test_guest_sources) $(qemu_test_qmp_sources)
endif
else
EXTRA_DIST += $(qemu_test_util_sources) $(qemu_test_guest_sources) $(qemu_test_qmp_sources)
endif

# The guest (about 20 MB) lives in the build tree until 'make clean'.
clean-local: clean-local-qemu-guest
clean-local-qemu-guest:
	-rm -rf tests/guest
.PHONY: clean-local-qemu-guest

# Save, restore and managed save of the tiny guest, and a save killed at
# each step (vpsh and QEMU): a file of its own, as the crash tests' is full.
if WITH_QEMU
if HAVE_CMOCKA
check_PROGRAMS += tests/plugins/qemu/test-qemu-save
TESTS += tests/plugins/qemu/test-qemu-save
tests_plugins_qemu_test_qemu_save_SOURCES = tests/plugins/qemu/test-qemu-save.c \
	$(qemu_test_util_sources) $(qemu_test_guest_sources)
tests_plugins_qemu_test_qemu_save_CPPFLAGS = $(vp_test_cppflags) $(JSONC_CFLAGS) \
	-I$(top_srcdir)/plugins/qemu -DQEMU_BINARY='"$(QEMU_SYSTEM)"' -DQEMU_IMG='"$(QEMU_IMG)"'
tests_plugins_qemu_test_qemu_save_LDADD = plugins/qemu/libqemu-client.la $(vp_test_ldadd) \
	$(JSONC_LIBS)
endif
endif
