# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# tests/sdk: the plugin ABI stays stable and the SDK works as a plugin
# author uses it.

# Installed headers compile alone; exported symbols match the version script.
AM_TESTS_ENVIRONMENT += export VP_CC='$(CC)';
TESTS += tests/sdk/test-headers.sh tests/sdk/test-symbols.sh
EXTRA_DIST += tests/sdk/test-headers.sh tests/sdk/test-symbols.sh tests/sdk/test-conformance.sh

# The guide's build recipe (section 2) catches an undefined call at link
# time and installs greet.so alone, mode 0644; virtplug-sdk.pc accepts a
# newer library of the same ABI.
TESTS += tests/sdk/test-guide-recipe.sh tests/sdk/test-pkgconfig.sh
EXTRA_DIST += tests/sdk/test-guide-recipe.sh tests/sdk/test-pkgconfig.sh

# The example plugin built in the tree, for the conformance test.
check_LTLIBRARIES += tests/sdk/hello.la
tests_sdk_hello_la_SOURCES = sdk/examples/hello/hello.c
tests_sdk_hello_la_LDFLAGS = $(AM_LDFLAGS) -module -avoid-version -shared -no-undefined \
	-rpath /nowhere
tests_sdk_hello_la_LIBADD = framework/libvirtplug.la
TESTS += tests/sdk/test-conformance.sh

if HAVE_CMOCKA
check_PROGRAMS += tests/sdk/test-abi
tests_sdk_test_abi_SOURCES = tests/sdk/test-abi.c
tests_sdk_test_abi_CPPFLAGS = $(vp_test_cppflags)
tests_sdk_test_abi_LDADD = $(vp_test_ldadd)
TESTS += tests/sdk/test-abi
endif

# The kit on the loader's test plugins (tests/framework/loader.mk).
if HAVE_CMOCKA
TESTS += tests/sdk/test-kit.sh
endif
EXTRA_DIST += tests/sdk/test-kit.sh
