# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# tests/framework/core.mk: tests of the core's own files.
if HAVE_CMOCKA
# framework/uri.c: vpi_uri_parse is internal, so the test links the
# convenience library.
check_PROGRAMS += tests/framework/test-uri
TESTS += tests/framework/test-uri
tests_framework_test_uri_SOURCES = tests/framework/test-uri.c
tests_framework_test_uri_CPPFLAGS = $(vp_test_internal_cppflags)
tests_framework_test_uri_LDADD = $(vp_test_internal_ldadd)
# framework/node-info.c: the host reader below a fake root is internal.
check_PROGRAMS += tests/framework/test-node-info
TESTS += tests/framework/test-node-info
tests_framework_test_node_info_SOURCES = tests/framework/test-node-info.c
tests_framework_test_node_info_CPPFLAGS = $(vp_test_internal_cppflags)
tests_framework_test_node_info_LDADD = $(vp_test_internal_ldadd)
# framework/stats.c and host-stats.c: the host readers below a fake root are internal.
check_PROGRAMS += tests/framework/test-stats
TESTS += tests/framework/test-stats
tests_framework_test_stats_SOURCES = tests/framework/test-stats.c \
	tests/helpers/hostpower/hp-tmp.c tests/helpers/hostpower/hp-tmp.h
tests_framework_test_stats_CPPFLAGS = $(vp_test_internal_cppflags) -I$(top_srcdir)/tests/helpers
tests_framework_test_stats_LDADD = $(vp_test_internal_ldadd)
endif
