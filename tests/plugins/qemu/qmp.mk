# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# tests/plugins/qemu/qmp.mk: the QMP and guest-agent clients and the
# snapshot state machine, against mock servers (faults) and real QEMU and
# qemu-ga (protocol).

mock_qemu_sources = \
	tests/helpers/mock-qemu/mock-qemu.c tests/helpers/mock-qemu/mock-qemu.h \
	tests/helpers/mock-qemu/real-qemu.c tests/helpers/mock-qemu/real-qemu.h

if WITH_QEMU
if HAVE_CMOCKA
check_LTLIBRARIES += tests/helpers/mock-qemu/libmock-qemu.la
tests_helpers_mock_qemu_libmock_qemu_la_SOURCES = $(mock_qemu_sources)
tests_helpers_mock_qemu_libmock_qemu_la_CPPFLAGS = $(AM_CPPFLAGS) $(JSONC_CFLAGS)
tests_helpers_mock_qemu_libmock_qemu_la_LIBADD = $(JSONC_LIBS) $(PTHREAD_LIBS)

qemu_client_test_cppflags = $(vp_test_cppflags) $(JSONC_CFLAGS) \
	-I$(top_srcdir)/plugins/qemu -I$(top_srcdir)/tests/helpers/mock-qemu
qemu_client_test_ldadd = plugins/qemu/libqemu-client.la tests/helpers/mock-qemu/libmock-qemu.la \
	$(vp_test_ldadd) $(JSONC_LIBS)

qemu_client_tests = \
	tests/plugins/qemu/test-qemu-monitor \
	tests/plugins/qemu/test-qemu-agent \
	tests/plugins/qemu/test-snapshot-fsm \
	tests/plugins/qemu/test-qemu-events-classify
check_PROGRAMS += $(qemu_client_tests)
TESTS += $(qemu_client_tests)

tests_plugins_qemu_test_qemu_monitor_SOURCES = tests/plugins/qemu/test-qemu-monitor.c
tests_plugins_qemu_test_qemu_monitor_CPPFLAGS = $(qemu_client_test_cppflags)
tests_plugins_qemu_test_qemu_monitor_LDADD = $(qemu_client_test_ldadd)

tests_plugins_qemu_test_qemu_agent_SOURCES = tests/plugins/qemu/test-qemu-agent.c
tests_plugins_qemu_test_qemu_agent_CPPFLAGS = $(qemu_client_test_cppflags)
tests_plugins_qemu_test_qemu_agent_LDADD = $(qemu_client_test_ldadd)

# What a list reads in a domain's events log (qemu-events-classify.c).
tests_plugins_qemu_test_qemu_events_classify_SOURCES = tests/plugins/qemu/test-qemu-events-classify.c
tests_plugins_qemu_test_qemu_events_classify_CPPFLAGS = $(qemu_client_test_cppflags)
tests_plugins_qemu_test_qemu_events_classify_LDADD = $(qemu_client_test_ldadd)

tests_plugins_qemu_test_snapshot_fsm_SOURCES = tests/plugins/qemu/test-snapshot-fsm.c
tests_plugins_qemu_test_snapshot_fsm_CPPFLAGS = $(qemu_client_test_cppflags)
tests_plugins_qemu_test_snapshot_fsm_LDADD = $(qemu_client_test_ldadd)
endif
endif
