# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# Tests of framework/node-suspend.c (the policy) against the test driver's
# simulated host power. Internal: it builds its connections by hand.
if HAVE_CMOCKA
check_PROGRAMS += tests/framework/test-node-suspend
TESTS += tests/framework/test-node-suspend
endif
tests_framework_test_node_suspend_SOURCES = tests/framework/test-node-suspend.c \
	tests/helpers/hostpower/hp-conn.c tests/helpers/hostpower/hp-conn.h \
	tests/helpers/hostpower/hp-tmp.c tests/helpers/hostpower/hp-tmp.h
tests_framework_test_node_suspend_CPPFLAGS = $(vp_test_internal_cppflags)
tests_framework_test_node_suspend_LDADD = $(vp_test_internal_ldadd)

# The guests policy (node-suspend-guests.c) on test:///default, through the
# public API.
if HAVE_CMOCKA
check_PROGRAMS += tests/framework/test-node-suspend-guests
TESTS += tests/framework/test-node-suspend-guests
endif
tests_framework_test_node_suspend_guests_SOURCES = tests/framework/test-node-suspend-guests.c \
	tests/helpers/hostpower/hp-conn.c tests/helpers/hostpower/hp-conn.h \
	tests/helpers/hostpower/hp-tmp.c tests/helpers/hostpower/hp-tmp.h
tests_framework_test_node_suspend_guests_CPPFLAGS = $(vp_test_internal_cppflags)
tests_framework_test_node_suspend_guests_LDADD = $(vp_test_internal_ldadd)
