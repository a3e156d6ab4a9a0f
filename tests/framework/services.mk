# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# Tests of the SDK services 1.1 of framework/util/: one program per file.
# test-paths parses URIs with the core's internal parser, so it links the
# convenience library; the others use the exported services only.
if HAVE_CMOCKA
vp_services_tests = tests/framework/test-names tests/framework/test-kv-file \
	tests/framework/test-lock tests/framework/test-process tests/framework/test-spawn
check_PROGRAMS += $(vp_services_tests) tests/framework/test-paths
TESTS += $(vp_services_tests) tests/framework/test-paths
endif
EXTRA_DIST += tests/framework/test-services-common.h
tests_framework_test_names_SOURCES = tests/framework/test-names.c
tests_framework_test_names_CPPFLAGS = $(vp_test_cppflags)
tests_framework_test_names_LDADD = $(vp_test_ldadd)
tests_framework_test_kv_file_SOURCES = tests/framework/test-kv-file.c
tests_framework_test_kv_file_CPPFLAGS = $(vp_test_cppflags)
tests_framework_test_kv_file_LDADD = $(vp_test_ldadd)
tests_framework_test_lock_SOURCES = tests/framework/test-lock.c
tests_framework_test_lock_CPPFLAGS = $(vp_test_cppflags)
tests_framework_test_lock_LDADD = $(vp_test_ldadd)
tests_framework_test_process_SOURCES = tests/framework/test-process.c
tests_framework_test_process_CPPFLAGS = $(vp_test_cppflags)
tests_framework_test_process_LDADD = $(vp_test_ldadd)
tests_framework_test_spawn_SOURCES = tests/framework/test-spawn.c
tests_framework_test_spawn_CPPFLAGS = $(vp_test_cppflags)
tests_framework_test_spawn_LDADD = $(vp_test_ldadd)
tests_framework_test_paths_SOURCES = tests/framework/test-paths.c
tests_framework_test_paths_CPPFLAGS = $(vp_test_internal_cppflags)
tests_framework_test_paths_LDADD = $(vp_test_internal_ldadd)
