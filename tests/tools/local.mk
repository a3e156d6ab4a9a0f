# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# tests/tools: the vpsh tests. Shell tests run the built vpsh as a child
# process and compare its stdout, stderr and exit status exactly;
# json-query (built here, never installed) validates every JSON document
# so the tests need neither python nor jq.
check_PROGRAMS += tests/tools/json-query
tests_tools_json_query_SOURCES = tests/tools/json-query.c

vpsh_shell_tests = \
	tests/tools/test-vpsh-cli.sh \
	tests/tools/test-vpsh-domain.sh \
	tests/tools/test-vpsh-edit.sh \
	tests/tools/test-vpsh-snapshot.sh \
	tests/tools/test-vpsh-node.sh \
	tests/tools/test-vpsh-plugin.sh \
	tests/tools/test-vpsh-virsh-compat.sh \
	tests/tools/test-vpsh-virsh-forms.sh \
	tests/tools/test-vpsh-shell.sh \
	tests/tools/test-vpsh-domcaps.sh \
	tests/tools/test-vpsh-procvm.sh \
	tests/tools/test-vpsh-event.sh \
	tests/tools/test-vpsh-stats.sh \
	tests/tools/test-vpsh-lifecycle.sh \
	tests/tools/test-vpsh-autostart-unit.sh \
	tests/tools/test-vpsh-devices.sh \
	tests/tools/test-vpsh-agent.sh \
	tests/tools/test-vpsh-save.sh \
	tests/tools/test-vpsh-save-image.sh
TESTS += $(vpsh_shell_tests)
EXTRA_DIST += tests/tools/vpsh-lib.sh $(vpsh_shell_tests)

# Unit tests of the vpsh sources that need no connection; each links only
# the file it tests (args.c's test brings a fake vpsh_usage()).
if HAVE_CMOCKA
vpsh_unit_tests = tests/tools/test-json-writer tests/tools/test-args tests/tools/test-format \
	tests/tools/test-json-flatten
check_PROGRAMS += $(vpsh_unit_tests)
TESTS += $(vpsh_unit_tests)
tests_tools_test_json_writer_SOURCES = tests/tools/test-json-writer.c tools/vpsh/json-writer.c
tests_tools_test_json_writer_CPPFLAGS = $(vp_test_cppflags) -I$(top_srcdir)/tools/vpsh
tests_tools_test_json_writer_LDADD = $(CMOCKA_LIBS)
tests_tools_test_args_SOURCES = tests/tools/test-args.c tools/vpsh/args.c
tests_tools_test_args_CPPFLAGS = $(vp_test_cppflags) -I$(top_srcdir)/tools/vpsh
tests_tools_test_args_LDADD = $(CMOCKA_LIBS)
tests_tools_test_format_SOURCES = tests/tools/test-format.c tools/vpsh/format.c
tests_tools_test_format_CPPFLAGS = $(vp_test_cppflags) -I$(top_srcdir)/tools/vpsh
tests_tools_test_format_LDADD = $(CMOCKA_LIBS)
endif
tests_tools_test_json_flatten_SOURCES = tests/tools/test-json-flatten.c tools/vpsh/json-flatten.c
tests_tools_test_json_flatten_CPPFLAGS = $(vp_test_cppflags) -I$(top_srcdir)/tools/vpsh
tests_tools_test_json_flatten_LDADD = $(CMOCKA_LIBS)

# Two small plugins for test-vpsh-list-state.sh: one leaves its get-state
# slot empty, one fills it with answers that fail. -rpath makes libtool
# build a shared module although it is never installed.
check_LTLIBRARIES += tests/tools/plugins/vpsh-nostate.la tests/tools/plugins/vpsh-badstate.la
vpsh_test_plugin_ldflags = $(AM_LDFLAGS) -module -avoid-version -shared -no-undefined \
	-rpath /nowhere
tests_tools_plugins_vpsh_nostate_la_SOURCES = tests/tools/plugins/vpsh-state-plugin.c
tests_tools_plugins_vpsh_nostate_la_CPPFLAGS = $(AM_CPPFLAGS) -DVT_NOSTATE
tests_tools_plugins_vpsh_nostate_la_LDFLAGS = $(vpsh_test_plugin_ldflags)
tests_tools_plugins_vpsh_nostate_la_LIBADD = framework/libvirtplug.la
tests_tools_plugins_vpsh_badstate_la_SOURCES = tests/tools/plugins/vpsh-state-plugin.c
tests_tools_plugins_vpsh_badstate_la_CPPFLAGS = $(AM_CPPFLAGS) -DVT_BADSTATE
tests_tools_plugins_vpsh_badstate_la_LDFLAGS = $(vpsh_test_plugin_ldflags)
tests_tools_plugins_vpsh_badstate_la_LIBADD = framework/libvirtplug.la
TESTS += tests/tools/test-vpsh-list-state.sh
EXTRA_DIST += tests/tools/test-vpsh-list-state.sh

# The procvm test driver's persistent host, built from the SDK 1.1 services.
TESTS += tests/tools/test-vpsh-procvm-store.sh
EXTRA_DIST += tests/tools/test-vpsh-procvm-store.sh
