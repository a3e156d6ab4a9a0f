# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# tests/plugins/remote: the remote plugin and virtplug-ssh-helper against a
# real OpenSSH server the tests start on 127.0.0.1 (tests/helpers/sshd/).
remote_shell_tests = \
	tests/plugins/remote/test-remote-vpsh.sh \
	tests/plugins/remote/test-remote-failures.sh \
	tests/plugins/remote/test-remote-threads.sh
if WITH_REMOTE
TESTS += $(remote_shell_tests)
check_PROGRAMS += tests/plugins/remote/remote-threads
tests_plugins_remote_remote_threads_SOURCES = tests/plugins/remote/remote-threads.c
tests_plugins_remote_remote_threads_LDADD = framework/libvirtplug.la $(PTHREAD_LIBS)
endif
EXTRA_DIST += $(remote_shell_tests) tests/plugins/remote/remote-lib.sh \
	tests/helpers/sshd/sshd-lib.sh
