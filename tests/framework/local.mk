# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# Tests of the core library, one cmocka program per source file.
include tests/framework/core.mk
include tests/framework/loader.mk
include tests/framework/conf.mk
include tests/framework/test-driver.mk
include tests/framework/node-suspend.mk
include tests/framework/conn.mk

# The declared domain model (framework/conf/model-*.c) through the test
# driver, on the libvirt files of tests/data/libvirt/.
if HAVE_CMOCKA
check_PROGRAMS += tests/framework/test-domain-conf-model
TESTS += tests/framework/test-domain-conf-model
tests_framework_test_domain_conf_model_SOURCES = tests/framework/test-domain-conf-model.c
tests_framework_test_domain_conf_model_CPPFLAGS = $(vp_test_cppflags) $(LIBXML_CFLAGS)
tests_framework_test_domain_conf_model_LDADD = $(vp_test_ldadd) $(LIBXML_LIBS)
endif
EXTRA_DIST += tests/data/libvirt
include tests/plugins/procvm/local.mk
include tests/framework/services.mk
