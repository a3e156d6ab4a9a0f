# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# tests/plugins/hostpower-linux: the plugin's sources compiled into the test
# program with the core's convenience library (no plugin file is loaded),
# driven through the node-suspend policy against a fake host.
if HAVE_CMOCKA
if WITH_HOSTPOWER_LINUX
check_PROGRAMS += tests/plugins/hostpower-linux/test-hostpower-linux \
	tests/plugins/hostpower-linux/test-hpl-rtc \
	tests/plugins/hostpower-linux/test-hostpower-linux-load
TESTS += tests/plugins/hostpower-linux/test-hostpower-linux \
	tests/plugins/hostpower-linux/test-hpl-rtc \
	tests/plugins/hostpower-linux/test-hostpower-linux-load
endif
endif
tests_plugins_hostpower_linux_test_hostpower_linux_SOURCES = \
	tests/plugins/hostpower-linux/test-hostpower-linux.c \
	tests/helpers/hostpower/fake-host.c tests/helpers/hostpower/fake-host.h \
	tests/helpers/hostpower/hp-conn.c tests/helpers/hostpower/hp-conn.h \
	tests/helpers/hostpower/hp-tmp.c tests/helpers/hostpower/hp-tmp.h \
	$(hostpower_linux_sources)
tests_plugins_hostpower_linux_test_hostpower_linux_CPPFLAGS = $(vp_test_internal_cppflags)
tests_plugins_hostpower_linux_test_hostpower_linux_LDADD = $(vp_test_internal_ldadd)
# The RTC ioctl path, against the fake RTC of tests/helpers/hostpower/fake-rtc.c.
# The plugin's ioctl() calls reach it through the linker's --wrap, in this
# program only: the plugin keeps calling plain ioctl() (no test hook in it),
# and no preloaded library is needed, so the program runs as it is under
# --enable-asan (the real ioctl, ASan's interceptor, stays reachable) and
# under valgrind. Every ioctl on another file goes to the real one. Its
# sysfs writes (hpl_write_file) are wrapped the same way, to log their order.
tests_plugins_hostpower_linux_test_hpl_rtc_SOURCES = \
	tests/plugins/hostpower-linux/test-hpl-rtc.c \
	tests/helpers/hostpower/fake-host.c tests/helpers/hostpower/fake-host.h \
	tests/helpers/hostpower/fake-rtc.c tests/helpers/hostpower/fake-rtc.h \
	tests/helpers/hostpower/hp-conn.c tests/helpers/hostpower/hp-conn.h \
	tests/helpers/hostpower/hp-tmp.c tests/helpers/hostpower/hp-tmp.h \
	$(hostpower_linux_sources)
tests_plugins_hostpower_linux_test_hpl_rtc_CPPFLAGS = $(vp_test_internal_cppflags)
tests_plugins_hostpower_linux_test_hpl_rtc_LDFLAGS = $(AM_LDFLAGS) -Wl,--wrap=ioctl \
	-Wl,--wrap=hpl_write_file
tests_plugins_hostpower_linux_test_hpl_rtc_LDADD = $(vp_test_internal_ldadd)
# The same plugin loaded from plugins/.libs through the public API.
tests_plugins_hostpower_linux_test_hostpower_linux_load_SOURCES = \
	tests/plugins/hostpower-linux/test-hostpower-linux-load.c \
	tests/helpers/hostpower/fake-host.c tests/helpers/hostpower/fake-host.h \
	tests/helpers/hostpower/hp-tmp.c tests/helpers/hostpower/hp-tmp.h
tests_plugins_hostpower_linux_test_hostpower_linux_load_CPPFLAGS = $(vp_test_cppflags)
tests_plugins_hostpower_linux_test_hostpower_linux_load_LDADD = $(vp_test_ldadd)
