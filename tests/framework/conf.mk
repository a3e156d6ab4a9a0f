# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# tests/framework/conf.mk: tests of framework/conf (domain and snapshot XML).
if HAVE_CMOCKA
conf_tests = \
	tests/framework/test-domain-conf \
	tests/framework/test-snapshot-conf \
	tests/framework/test-uuid
check_PROGRAMS += $(conf_tests)
TESTS += $(conf_tests)

tests_framework_test_domain_conf_SOURCES = tests/framework/test-domain-conf.c
tests_framework_test_domain_conf_CPPFLAGS = $(vp_test_cppflags)
tests_framework_test_domain_conf_LDADD = $(vp_test_ldadd)

tests_framework_test_snapshot_conf_SOURCES = tests/framework/test-snapshot-conf.c
tests_framework_test_snapshot_conf_CPPFLAGS = $(vp_test_cppflags)
tests_framework_test_snapshot_conf_LDADD = $(vp_test_ldadd)

tests_framework_test_uuid_SOURCES = tests/framework/test-uuid.c
tests_framework_test_uuid_CPPFLAGS = $(vp_test_cppflags)
tests_framework_test_uuid_LDADD = $(vp_test_ldadd)
endif

# Fixtures: valid inputs (NAME.xml) and their canonical form (NAME.out.xml).
EXTRA_DIST += tests/data/conf

# The lazy loading of the XML module (framework/conf/xml-lazy.c), with a
# fake module whose table is of another build.
if HAVE_CMOCKA
check_PROGRAMS += tests/framework/test-xml-lazy
TESTS += tests/framework/test-xml-lazy
tests_framework_test_xml_lazy_SOURCES = tests/framework/test-xml-lazy.c
tests_framework_test_xml_lazy_CPPFLAGS = $(vp_test_cppflags)
tests_framework_test_xml_lazy_LDADD = $(vp_test_ldadd)
EXTRA_tests_framework_test_xml_lazy_DEPENDENCIES = \
	tests/framework/plugins/xml-module-bad.la tests/framework/plugins/lt-good.la
check_LTLIBRARIES += tests/framework/plugins/xml-module-bad.la
tests_framework_plugins_xml_module_bad_la_SOURCES = tests/framework/plugins/xml-module-bad.c
tests_framework_plugins_xml_module_bad_la_LDFLAGS = $(AM_LDFLAGS) $(vp_lt_plugin_ldflags) -no-undefined
endif
