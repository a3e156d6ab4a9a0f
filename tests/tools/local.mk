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

if HAVE_CMOCKA
check_PROGRAMS += tests/tools/test-json-writer
TESTS += tests/tools/test-json-writer
tests_tools_test_json_writer_SOURCES = tests/tools/test-json-writer.c tools/vpsh/json-writer.c
tests_tools_test_json_writer_CPPFLAGS = $(vp_test_cppflags) -I$(top_srcdir)/tools/vpsh
tests_tools_test_json_writer_LDADD = $(CMOCKA_LIBS)
endif
