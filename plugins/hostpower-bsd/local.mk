# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# plugins/hostpower-bsd: host power on FreeBSD, OpenBSD and NetBSD. Built on
# Linux too (--with-hostpower-bsd) so its tests run there against fake
# commands. It sees only the SDK headers.
if WITH_HOSTPOWER_BSD
plugin_LTLIBRARIES += plugins/hostpower-bsd.la

# Shared with the unit tests, which compile them with fake ops.
hostpower_bsd_sources = \
	plugins/hostpower-bsd/bsd-ops.c plugins/hostpower-bsd/bsd-ops.h \
	plugins/hostpower-bsd/bsd-host.c plugins/hostpower-bsd/bsd-host.h \
	plugins/hostpower-bsd/bsd-sleep.c

plugins_hostpower_bsd_la_SOURCES = $(hostpower_bsd_sources) \
	plugins/hostpower-bsd/hostpower-bsd.c
plugins_hostpower_bsd_la_CPPFLAGS = -I$(top_srcdir)/sdk/include -I$(top_srcdir)/framework/include
plugins_hostpower_bsd_la_LDFLAGS = $(AM_LDFLAGS) $(VP_PLUGIN_LINK)
plugins_hostpower_bsd_la_LIBADD = framework/libvirtplug.la
endif

# What works on which BSD, and how it is tested on Linux.
EXTRA_DIST += docs/hostpower-bsd.md docs/hostpower-bsd.conf
