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
