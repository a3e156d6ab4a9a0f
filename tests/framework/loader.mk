# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# Loader tests (tests/framework/test-loader.c) and the small real plugins
# they load, one per case, all built from tests/framework/plugins/loader-plugin.c
# with one LT_* macro. -rpath makes libtool build a shared module although
# it is never installed.
if HAVE_CMOCKA
vp_lt_plugin_ldflags = -module -avoid-version -shared -rpath /nowhere
vp_lt_plugin_libadd = framework/libvirtplug.la
check_LTLIBRARIES += \
	tests/framework/plugins/lt-good.la \
	tests/framework/plugins/lt-perm.la \
	tests/framework/plugins/lt-badmagic.la \
	tests/framework/plugins/lt-major.la \
	tests/framework/plugins/lt-minor.la \
	tests/framework/plugins/lt-small.la \
	tests/framework/plugins/lt-misnamed.la \
	tests/framework/plugins/lt-nosym.la \
	tests/framework/plugins/lt-initfail.la \
	tests/framework/plugins/lt-short.la \
	tests/framework/plugins/lt-undef.la \
	tests/framework/plugins/lt-crash.la \
	tests/framework/plugins/lt-ctor.la \
	tests/framework/plugins/lt-hang.la \
	tests/framework/plugins/lt-silent.la \
	tests/framework/plugins/lt-initsilent.la \
	tests/framework/plugins/lt-noname.la \
	tests/framework/plugins/lt-wrongident.la \
	tests/framework/plugins/lt-descself.la \
	tests/framework/plugins/lt-wildptr.la \
	tests/framework/plugins/lt-ptrsize.la \
	tests/framework/plugins/lt-minimal.la
tests_framework_plugins_lt_good_la_SOURCES = tests/framework/plugins/loader-plugin.c
tests_framework_plugins_lt_good_la_CPPFLAGS = $(AM_CPPFLAGS) -DLT_GOOD
tests_framework_plugins_lt_good_la_LDFLAGS = $(AM_LDFLAGS) $(vp_lt_plugin_ldflags) -no-undefined
tests_framework_plugins_lt_good_la_LIBADD = $(vp_lt_plugin_libadd)
tests_framework_plugins_lt_perm_la_SOURCES = tests/framework/plugins/loader-plugin.c
tests_framework_plugins_lt_perm_la_CPPFLAGS = $(AM_CPPFLAGS) -DLT_PERM
tests_framework_plugins_lt_perm_la_LDFLAGS = $(AM_LDFLAGS) $(vp_lt_plugin_ldflags) -no-undefined
tests_framework_plugins_lt_perm_la_LIBADD = $(vp_lt_plugin_libadd)
tests_framework_plugins_lt_badmagic_la_SOURCES = tests/framework/plugins/loader-plugin.c
tests_framework_plugins_lt_badmagic_la_CPPFLAGS = $(AM_CPPFLAGS) -DLT_BADMAGIC
tests_framework_plugins_lt_badmagic_la_LDFLAGS = $(AM_LDFLAGS) $(vp_lt_plugin_ldflags) -no-undefined
tests_framework_plugins_lt_badmagic_la_LIBADD = $(vp_lt_plugin_libadd)
tests_framework_plugins_lt_major_la_SOURCES = tests/framework/plugins/loader-plugin.c
tests_framework_plugins_lt_major_la_CPPFLAGS = $(AM_CPPFLAGS) -DLT_MAJOR
tests_framework_plugins_lt_major_la_LDFLAGS = $(AM_LDFLAGS) $(vp_lt_plugin_ldflags) -no-undefined
tests_framework_plugins_lt_major_la_LIBADD = $(vp_lt_plugin_libadd)
tests_framework_plugins_lt_minor_la_SOURCES = tests/framework/plugins/loader-plugin.c
tests_framework_plugins_lt_minor_la_CPPFLAGS = $(AM_CPPFLAGS) -DLT_MINOR
tests_framework_plugins_lt_minor_la_LDFLAGS = $(AM_LDFLAGS) $(vp_lt_plugin_ldflags) -no-undefined
tests_framework_plugins_lt_minor_la_LIBADD = $(vp_lt_plugin_libadd)
tests_framework_plugins_lt_small_la_SOURCES = tests/framework/plugins/loader-plugin.c
tests_framework_plugins_lt_small_la_CPPFLAGS = $(AM_CPPFLAGS) -DLT_SMALL
tests_framework_plugins_lt_small_la_LDFLAGS = $(AM_LDFLAGS) $(vp_lt_plugin_ldflags) -no-undefined
tests_framework_plugins_lt_small_la_LIBADD = $(vp_lt_plugin_libadd)
tests_framework_plugins_lt_misnamed_la_SOURCES = tests/framework/plugins/loader-plugin.c
tests_framework_plugins_lt_misnamed_la_CPPFLAGS = $(AM_CPPFLAGS) -DLT_MISNAMED
tests_framework_plugins_lt_misnamed_la_LDFLAGS = $(AM_LDFLAGS) $(vp_lt_plugin_ldflags) -no-undefined
tests_framework_plugins_lt_misnamed_la_LIBADD = $(vp_lt_plugin_libadd)
tests_framework_plugins_lt_nosym_la_SOURCES = tests/framework/plugins/loader-plugin.c
tests_framework_plugins_lt_nosym_la_CPPFLAGS = $(AM_CPPFLAGS) -DLT_NOSYM
tests_framework_plugins_lt_nosym_la_LDFLAGS = $(AM_LDFLAGS) $(vp_lt_plugin_ldflags) -no-undefined
tests_framework_plugins_lt_nosym_la_LIBADD = $(vp_lt_plugin_libadd)
tests_framework_plugins_lt_initfail_la_SOURCES = tests/framework/plugins/loader-plugin.c
tests_framework_plugins_lt_initfail_la_CPPFLAGS = $(AM_CPPFLAGS) -DLT_INITFAIL
tests_framework_plugins_lt_initfail_la_LDFLAGS = $(AM_LDFLAGS) $(vp_lt_plugin_ldflags) -no-undefined
tests_framework_plugins_lt_initfail_la_LIBADD = $(vp_lt_plugin_libadd)
tests_framework_plugins_lt_short_la_SOURCES = tests/framework/plugins/loader-plugin.c
tests_framework_plugins_lt_short_la_CPPFLAGS = $(AM_CPPFLAGS) -DLT_SHORT
tests_framework_plugins_lt_short_la_LDFLAGS = $(AM_LDFLAGS) $(vp_lt_plugin_ldflags) -no-undefined
tests_framework_plugins_lt_short_la_LIBADD = $(vp_lt_plugin_libadd)
tests_framework_plugins_lt_undef_la_SOURCES = tests/framework/plugins/loader-plugin.c
tests_framework_plugins_lt_undef_la_CPPFLAGS = $(AM_CPPFLAGS) -DLT_UNDEF
# No -no-undefined: this one must reach the loader with a hole in it.
tests_framework_plugins_lt_undef_la_LDFLAGS = $(AM_LDFLAGS) $(vp_lt_plugin_ldflags)
tests_framework_plugins_lt_undef_la_LIBADD = $(vp_lt_plugin_libadd)
tests_framework_plugins_lt_crash_la_SOURCES = tests/framework/plugins/loader-plugin.c
tests_framework_plugins_lt_crash_la_CPPFLAGS = $(AM_CPPFLAGS) -DLT_CRASH
tests_framework_plugins_lt_crash_la_LDFLAGS = $(AM_LDFLAGS) $(vp_lt_plugin_ldflags) -no-undefined
tests_framework_plugins_lt_crash_la_LIBADD = $(vp_lt_plugin_libadd)
tests_framework_plugins_lt_ctor_la_SOURCES = tests/framework/plugins/loader-plugin.c
tests_framework_plugins_lt_ctor_la_CPPFLAGS = $(AM_CPPFLAGS) -DLT_CTOR
tests_framework_plugins_lt_ctor_la_LDFLAGS = $(AM_LDFLAGS) $(vp_lt_plugin_ldflags) -no-undefined
tests_framework_plugins_lt_ctor_la_LIBADD = $(vp_lt_plugin_libadd)
tests_framework_plugins_lt_hang_la_SOURCES = tests/framework/plugins/loader-plugin.c
tests_framework_plugins_lt_hang_la_CPPFLAGS = $(AM_CPPFLAGS) -DLT_HANG
tests_framework_plugins_lt_hang_la_LDFLAGS = $(AM_LDFLAGS) $(vp_lt_plugin_ldflags) -no-undefined
tests_framework_plugins_lt_hang_la_LIBADD = $(vp_lt_plugin_libadd)
tests_framework_plugins_lt_silent_la_SOURCES = tests/framework/plugins/loader-plugin.c
tests_framework_plugins_lt_silent_la_CPPFLAGS = $(AM_CPPFLAGS) -DLT_SILENT
tests_framework_plugins_lt_silent_la_LDFLAGS = $(AM_LDFLAGS) $(vp_lt_plugin_ldflags) -no-undefined
tests_framework_plugins_lt_silent_la_LIBADD = $(vp_lt_plugin_libadd)
tests_framework_plugins_lt_initsilent_la_SOURCES = tests/framework/plugins/loader-plugin.c
tests_framework_plugins_lt_initsilent_la_CPPFLAGS = $(AM_CPPFLAGS) -DLT_INITSILENT
tests_framework_plugins_lt_initsilent_la_LDFLAGS = $(AM_LDFLAGS) $(vp_lt_plugin_ldflags) -no-undefined
tests_framework_plugins_lt_initsilent_la_LIBADD = $(vp_lt_plugin_libadd)
tests_framework_plugins_lt_noname_la_SOURCES = tests/framework/plugins/loader-plugin.c
tests_framework_plugins_lt_noname_la_CPPFLAGS = $(AM_CPPFLAGS) -DLT_NONAME
tests_framework_plugins_lt_noname_la_LDFLAGS = $(AM_LDFLAGS) $(vp_lt_plugin_ldflags) -no-undefined
tests_framework_plugins_lt_noname_la_LIBADD = $(vp_lt_plugin_libadd)
tests_framework_plugins_lt_wrongident_la_SOURCES = tests/framework/plugins/loader-plugin.c
tests_framework_plugins_lt_wrongident_la_CPPFLAGS = $(AM_CPPFLAGS) -DLT_WRONGIDENT
tests_framework_plugins_lt_wrongident_la_LDFLAGS = $(AM_LDFLAGS) $(vp_lt_plugin_ldflags) -no-undefined
tests_framework_plugins_lt_wrongident_la_LIBADD = $(vp_lt_plugin_libadd)
tests_framework_plugins_lt_descself_la_SOURCES = tests/framework/plugins/loader-plugin.c
tests_framework_plugins_lt_descself_la_CPPFLAGS = $(AM_CPPFLAGS) -DLT_DESCSELF
tests_framework_plugins_lt_descself_la_LDFLAGS = $(AM_LDFLAGS) $(vp_lt_plugin_ldflags) -no-undefined
tests_framework_plugins_lt_descself_la_LIBADD = $(vp_lt_plugin_libadd)
tests_framework_plugins_lt_wildptr_la_SOURCES = tests/framework/plugins/loader-plugin.c
tests_framework_plugins_lt_wildptr_la_CPPFLAGS = $(AM_CPPFLAGS) -DLT_WILDPTR
tests_framework_plugins_lt_wildptr_la_LDFLAGS = $(AM_LDFLAGS) $(vp_lt_plugin_ldflags) -no-undefined
tests_framework_plugins_lt_wildptr_la_LIBADD = $(vp_lt_plugin_libadd)
tests_framework_plugins_lt_ptrsize_la_SOURCES = tests/framework/plugins/loader-plugin.c
tests_framework_plugins_lt_ptrsize_la_CPPFLAGS = $(AM_CPPFLAGS) -DLT_PTRSIZE
tests_framework_plugins_lt_ptrsize_la_LDFLAGS = $(AM_LDFLAGS) $(vp_lt_plugin_ldflags) -no-undefined
tests_framework_plugins_lt_ptrsize_la_LIBADD = $(vp_lt_plugin_libadd)
tests_framework_plugins_lt_minimal_la_SOURCES = tests/framework/plugins/loader-plugin.c
tests_framework_plugins_lt_minimal_la_CPPFLAGS = $(AM_CPPFLAGS) -DLT_MINIMAL
tests_framework_plugins_lt_minimal_la_LDFLAGS = $(AM_LDFLAGS) $(vp_lt_plugin_ldflags) -no-undefined
tests_framework_plugins_lt_minimal_la_LIBADD = $(vp_lt_plugin_libadd)

check_PROGRAMS += tests/framework/test-loader
tests_framework_test_loader_SOURCES = tests/framework/test-loader.c \
	tests/framework/plugins/plugin-dir.h
tests_framework_test_loader_CPPFLAGS = $(vp_test_cppflags) -I$(top_srcdir)/tests/framework
tests_framework_test_loader_LDADD = $(vp_test_ldadd)
TESTS += tests/framework/test-loader tests/framework/test-loader-bindnow.sh
EXTRA_DIST += tests/framework/test-loader-bindnow.sh

check_PROGRAMS += tests/framework/test-registry
tests_framework_test_registry_SOURCES = tests/framework/test-registry.c \
	tests/framework/plugins/plugin-dir.h
tests_framework_test_registry_CPPFLAGS = $(vp_test_cppflags) -I$(top_srcdir)/tests/framework
tests_framework_test_registry_LDADD = $(vp_test_ldadd)
TESTS += tests/framework/test-registry
endif
