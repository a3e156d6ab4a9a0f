# tests/tools: the vpsh tests. Shell tests run the built vpsh as a child
# process and compare its stdout, stderr and exit status exactly;
# json-query (built here, never installed) validates every JSON document
# so the tests need neither python nor jq.
check_PROGRAMS += tests/tools/json-query
tests_tools_json_query_SOURCES = tests/tools/json-query.c

vpsh_shell_tests = \
	tests/tools/test-vpsh-cli.sh \
	tests/tools/test-vpsh-domain.sh \
	tests/tools/test-vpsh-snapshot.sh \
	tests/tools/test-vpsh-node.sh \
	tests/tools/test-vpsh-plugin.sh
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
