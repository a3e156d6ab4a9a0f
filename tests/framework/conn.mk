# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# Tests of framework/conn.c, error.c and event.c through the public API.
if HAVE_CMOCKA
check_PROGRAMS += tests/framework/test-conn tests/framework/test-error tests/framework/test-util
TESTS += tests/framework/test-conn tests/framework/test-error tests/framework/test-util
endif
tests_framework_test_conn_SOURCES = tests/framework/test-conn.c
tests_framework_test_conn_CPPFLAGS = $(vp_test_cppflags)
tests_framework_test_conn_LDADD = $(vp_test_ldadd)
tests_framework_test_error_SOURCES = tests/framework/test-error.c
tests_framework_test_error_CPPFLAGS = $(vp_test_cppflags)
tests_framework_test_error_LDADD = $(vp_test_ldadd)
if HAVE_CMOCKA
check_PROGRAMS += tests/framework/test-event
TESTS += tests/framework/test-event
endif
tests_framework_test_event_SOURCES = tests/framework/test-event.c
tests_framework_test_event_CPPFLAGS = $(vp_test_cppflags)
tests_framework_test_event_LDADD = $(vp_test_ldadd) $(PTHREAD_LIBS)
tests_framework_test_util_SOURCES = tests/framework/test-util.c
tests_framework_test_util_CPPFLAGS = $(vp_test_cppflags)
tests_framework_test_util_LDADD = $(vp_test_ldadd)
