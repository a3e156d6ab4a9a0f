# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# Tests of the embedded test driver (framework/builtin/test/) through the
# public API: one program per source file of the driver, plus one that
# hammers a connection from several threads.
vp_test_driver_tests = \
	tests/framework/test-test-driver \
	tests/framework/test-test-driver-domains \
	tests/framework/test-test-driver-save \
	tests/framework/test-test-driver-guest-fs \
	tests/framework/test-test-driver-snapshots \
	tests/framework/test-test-driver-nodefile \
	tests/framework/test-test-driver-threads \
	tests/framework/test-domain \
	tests/framework/test-domain-config
if HAVE_CMOCKA
check_PROGRAMS += $(vp_test_driver_tests)
TESTS += $(vp_test_driver_tests)
endif
noinst_HEADERS += tests/framework/test-test-driver-common.h
EXTRA_DIST += tests/data/test-driver

tests_framework_test_test_driver_SOURCES = tests/framework/test-test-driver.c
tests_framework_test_test_driver_CPPFLAGS = $(vp_test_cppflags)
tests_framework_test_test_driver_LDADD = $(vp_test_ldadd)
tests_framework_test_test_driver_domains_SOURCES = tests/framework/test-test-driver-domains.c
tests_framework_test_test_driver_domains_CPPFLAGS = $(vp_test_cppflags)
tests_framework_test_test_driver_domains_LDADD = $(vp_test_ldadd)
tests_framework_test_test_driver_save_SOURCES = tests/framework/test-test-driver-save.c
tests_framework_test_test_driver_save_CPPFLAGS = $(vp_test_cppflags)
tests_framework_test_test_driver_save_LDADD = $(vp_test_ldadd)
tests_framework_test_test_driver_guest_fs_SOURCES = tests/framework/test-test-driver-guest-fs.c
tests_framework_test_test_driver_guest_fs_CPPFLAGS = $(vp_test_cppflags)
tests_framework_test_test_driver_guest_fs_LDADD = $(vp_test_ldadd)
tests_framework_test_test_driver_snapshots_SOURCES = tests/framework/test-test-driver-snapshots.c
tests_framework_test_test_driver_snapshots_CPPFLAGS = $(vp_test_cppflags)
tests_framework_test_test_driver_snapshots_LDADD = $(vp_test_ldadd)
tests_framework_test_test_driver_nodefile_SOURCES = tests/framework/test-test-driver-nodefile.c
tests_framework_test_test_driver_nodefile_CPPFLAGS = $(vp_test_cppflags)
tests_framework_test_test_driver_nodefile_LDADD = $(vp_test_ldadd)
tests_framework_test_test_driver_threads_SOURCES = tests/framework/test-test-driver-threads.c
tests_framework_test_test_driver_threads_CPPFLAGS = $(vp_test_cppflags)
tests_framework_test_test_driver_threads_LDADD = $(vp_test_ldadd)
tests_framework_test_domain_SOURCES = tests/framework/test-domain.c
tests_framework_test_domain_CPPFLAGS = $(vp_test_cppflags)
tests_framework_test_domain_LDADD = $(vp_test_ldadd)
tests_framework_test_domain_config_SOURCES = tests/framework/test-domain-config.c
tests_framework_test_domain_config_CPPFLAGS = $(vp_test_cppflags)
tests_framework_test_domain_config_LDADD = $(vp_test_ldadd)
