# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# tests/plugins/remote: the remote plugin and virtplug-ssh-helper against a
# real OpenSSH server the tests start on 127.0.0.1 (tests/helpers/sshd/).
remote_shell_tests = \
	tests/plugins/remote/test-remote-vpsh.sh \
	tests/plugins/remote/test-remote-failures.sh \
	tests/plugins/remote/test-remote-threads.sh \
	tests/plugins/remote/test-remote-qemu.sh \
	tests/plugins/remote/test-remote-calls.sh \
	tests/plugins/remote/test-remote-pty.sh \
	tests/plugins/remote/test-remote-events.sh
if WITH_REMOTE
TESTS += $(remote_shell_tests)
check_PROGRAMS += tests/plugins/remote/remote-threads tests/plugins/remote/remote-stale \
	tests/plugins/remote/remote-calls
tests_plugins_remote_remote_calls_SOURCES = tests/plugins/remote/remote-calls.c
tests_plugins_remote_remote_calls_LDADD = framework/libvirtplug.la $(PTHREAD_LIBS)
check_PROGRAMS += tests/plugins/remote/remote-blocking tests/plugins/remote/remote-batch
tests_plugins_remote_remote_batch_SOURCES = tests/plugins/remote/remote-batch.c
tests_plugins_remote_remote_batch_LDADD = framework/libvirtplug.la $(PTHREAD_LIBS)
tests_plugins_remote_remote_blocking_SOURCES = tests/plugins/remote/remote-blocking.c
tests_plugins_remote_remote_blocking_LDADD = framework/libvirtplug.la $(PTHREAD_LIBS)
tests_plugins_remote_remote_threads_SOURCES = tests/plugins/remote/remote-threads.c
tests_plugins_remote_remote_threads_LDADD = framework/libvirtplug.la $(PTHREAD_LIBS)
tests_plugins_remote_remote_stale_SOURCES = tests/plugins/remote/remote-stale.c
tests_plugins_remote_remote_stale_LDADD = framework/libvirtplug.la
if HAVE_CMOCKA
# The codec and the URI-to-argv step, compiled in with the core's
# internals (the URI parser is not public).
remote_unit_tests = tests/plugins/remote/test-remote-proto tests/plugins/remote/test-remote-argv
check_PROGRAMS += $(remote_unit_tests)
TESTS += $(remote_unit_tests)
tests_plugins_remote_test_remote_proto_SOURCES = tests/plugins/remote/test-remote-proto.c \
	$(remote_proto_sources) $(remote_stream_sources)
tests_plugins_remote_test_remote_proto_CPPFLAGS = $(vp_test_internal_cppflags) $(JSONC_CFLAGS) \
	-I$(top_srcdir)/plugins/remote
tests_plugins_remote_test_remote_proto_LDADD = $(vp_test_internal_ldadd) $(JSONC_LIBS)
tests_plugins_remote_test_remote_argv_SOURCES = tests/plugins/remote/test-remote-argv.c \
	$(remote_argv_sources)
tests_plugins_remote_test_remote_argv_CPPFLAGS = $(vp_test_internal_cppflags) \
	-I$(top_srcdir)/plugins/remote
tests_plugins_remote_test_remote_argv_LDADD = $(vp_test_internal_ldadd)
endif
endif
EXTRA_DIST += $(remote_shell_tests) tests/plugins/remote/remote-lib.sh \
	tests/plugins/remote/remote-pty.py tests/plugins/remote/remote_far.py \
	tests/helpers/sshd/sshd-lib.sh
