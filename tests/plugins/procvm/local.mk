# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# Plugins of the capability tests (tests/framework/test-caps.c): procvm, a
# third-party driver with its own domain and OS types and XML namespace,
# and oldabi, built against the SDK 1.0 headers vendored in
# tests/plugins/sdk-1.0/include (never the tree's sdk/include). Both land
# in tests/plugins/.libs/, the directory the test installs them from.
if HAVE_CMOCKA
check_LTLIBRARIES += tests/plugins/procvm.la tests/plugins/oldabi.la
tests_plugins_procvm_la_SOURCES = tests/plugins/procvm/procvm.c tests/plugins/procvm/procvm.h \
	tests/plugins/procvm/procvm-store.c
tests_plugins_procvm_la_CPPFLAGS = $(AM_CPPFLAGS)
tests_plugins_procvm_la_CFLAGS = $(AM_CFLAGS) -fvisibility=hidden
tests_plugins_procvm_la_LDFLAGS = $(AM_LDFLAGS) $(vp_lt_plugin_ldflags) -no-undefined
tests_plugins_procvm_la_LIBADD = $(vp_lt_plugin_libadd)
tests_plugins_oldabi_la_SOURCES = tests/plugins/sdk-1.0/old-plugin.c
tests_plugins_oldabi_la_CPPFLAGS = -I$(top_srcdir)/tests/plugins/sdk-1.0/include
tests_plugins_oldabi_la_CFLAGS = $(AM_CFLAGS) -fvisibility=hidden
tests_plugins_oldabi_la_LDFLAGS = $(AM_LDFLAGS) $(vp_lt_plugin_ldflags) -no-undefined
tests_plugins_oldabi_la_LIBADD = $(vp_lt_plugin_libadd)

check_PROGRAMS += tests/framework/test-caps
TESTS += tests/framework/test-caps
tests_framework_test_caps_SOURCES = tests/framework/test-caps.c
tests_framework_test_caps_CPPFLAGS = $(vp_test_cppflags)
tests_framework_test_caps_LDADD = $(vp_test_ldadd)
EXTRA_tests_framework_test_caps_DEPENDENCIES = tests/plugins/procvm.la tests/plugins/oldabi.la \
	plugins/qemu.la
endif
EXTRA_DIST += tests/plugins/sdk-1.0/include
