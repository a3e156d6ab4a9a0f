# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# plugins/hostpower-linux: Linux host power (RTC wake alarm, pm-utils,
# systemd and sysfs suspend). Built as plugins/hostpower-linux.la so every
# plugin lands in plugins/.libs, the plugin directory of the tests.
hostpower_linux_sources = \
	plugins/hostpower-linux/hpl.h \
	plugins/hostpower-linux/hostpower-linux.c \
	plugins/hostpower-linux/hpl-rtc.c \
	plugins/hostpower-linux/hpl-suspend.c \
	plugins/hostpower-linux/hpl-util.c \
	plugins/hostpower-linux/hpl-wakeup.c
if WITH_HOSTPOWER_LINUX
plugin_LTLIBRARIES += plugins/hostpower-linux.la
endif
plugins_hostpower_linux_la_SOURCES = $(hostpower_linux_sources)
plugins_hostpower_linux_la_LDFLAGS = $(AM_LDFLAGS) $(VP_PLUGIN_LINK)
plugins_hostpower_linux_la_LIBADD = framework/libvirtplug.la $(PTHREAD_LIBS)
EXTRA_DIST += docs/hostpower.conf docs/hostpower.md
