# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# tests/plugins/hostpower-bsd: the BSD host-power plugin on Linux, against
# the fake sysctl, acpiconf, zzz and apm of tests/helpers/bsd/.
EXTRA_DIST += \
	tests/helpers/bsd/fake-lib.sh \
	tests/helpers/bsd/freebsd/sysctl tests/helpers/bsd/freebsd/acpiconf \
	tests/helpers/bsd/freebsd/zzz tests/helpers/bsd/freebsd/apm \
	tests/helpers/bsd/openbsd/sysctl tests/helpers/bsd/openbsd/apm-body.sh tests/helpers/bsd/openbsd/apm \
	tests/helpers/bsd/openbsd/zzz tests/helpers/bsd/openbsd/ZZZ \
	tests/helpers/bsd/netbsd/sysctl

if WITH_HOSTPOWER_BSD
if HAVE_CMOCKA
bsd_test_cppflags = $(vp_test_cppflags) -I$(top_srcdir)/plugins/hostpower-bsd
bsd_fixture_sources = \
	tests/plugins/hostpower-bsd/bsd-fixture.c tests/plugins/hostpower-bsd/bsd-fixture.h

check_PROGRAMS += tests/plugins/hostpower-bsd/test-hostpower-bsd
TESTS += tests/plugins/hostpower-bsd/test-hostpower-bsd
tests_plugins_hostpower_bsd_test_hostpower_bsd_SOURCES = \
	tests/plugins/hostpower-bsd/test-hostpower-bsd.c $(bsd_fixture_sources) \
	$(hostpower_bsd_sources) plugins/hostpower-bsd/hostpower-bsd.c
tests_plugins_hostpower_bsd_test_hostpower_bsd_CPPFLAGS = $(bsd_test_cppflags)
tests_plugins_hostpower_bsd_test_hostpower_bsd_LDADD = $(vp_test_ldadd)
endif
endif

if WITH_HOSTPOWER_BSD
if HAVE_CMOCKA
check_PROGRAMS += tests/plugins/hostpower-bsd/test-bsd-host
TESTS += tests/plugins/hostpower-bsd/test-bsd-host
tests_plugins_hostpower_bsd_test_bsd_host_SOURCES = tests/plugins/hostpower-bsd/test-bsd-host.c \
	plugins/hostpower-bsd/bsd-host.c plugins/hostpower-bsd/bsd-host.h
tests_plugins_hostpower_bsd_test_bsd_host_CPPFLAGS = $(bsd_test_cppflags)
tests_plugins_hostpower_bsd_test_bsd_host_LDADD = $(vp_test_ldadd)
endif
endif

if WITH_HOSTPOWER_BSD
if HAVE_CMOCKA
check_PROGRAMS += tests/plugins/hostpower-bsd/test-bsd-sleep
TESTS += tests/plugins/hostpower-bsd/test-bsd-sleep
tests_plugins_hostpower_bsd_test_bsd_sleep_SOURCES = tests/plugins/hostpower-bsd/test-bsd-sleep.c \
	plugins/hostpower-bsd/bsd-sleep.c plugins/hostpower-bsd/bsd-host.c plugins/hostpower-bsd/bsd-host.h
tests_plugins_hostpower_bsd_test_bsd_sleep_CPPFLAGS = $(bsd_test_cppflags)
tests_plugins_hostpower_bsd_test_bsd_sleep_LDADD = $(vp_test_ldadd)
endif
endif

if WITH_HOSTPOWER_BSD
if HAVE_CMOCKA
check_PROGRAMS += tests/plugins/hostpower-bsd/test-hostpower-bsd-api
TESTS += tests/plugins/hostpower-bsd/test-hostpower-bsd-api
tests_plugins_hostpower_bsd_test_hostpower_bsd_api_SOURCES = \
	tests/plugins/hostpower-bsd/test-hostpower-bsd-api.c $(bsd_fixture_sources)
tests_plugins_hostpower_bsd_test_hostpower_bsd_api_CPPFLAGS = $(bsd_test_cppflags)
tests_plugins_hostpower_bsd_test_hostpower_bsd_api_LDADD = $(vp_test_ldadd)
# It loads plugins/.libs/hostpower-bsd.so.
EXTRA_tests_plugins_hostpower_bsd_test_hostpower_bsd_api_DEPENDENCIES = plugins/hostpower-bsd.la
endif
endif

# vpsh on top of the plugin and the fakes.
if WITH_HOSTPOWER_BSD
TESTS += tests/plugins/hostpower-bsd/test-vpsh-nodesuspend.sh
endif
EXTRA_DIST += tests/plugins/hostpower-bsd/test-vpsh-nodesuspend.sh
