# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# libvirtplug: the core library. Its internal headers live in framework/;
# plugins never see them.

# The objects are built once into a convenience library: libvirtplug.la
# is made from it, and tests and fuzzers of internal functions link it
# directly.
noinst_LTLIBRARIES += framework/libvirtplug-core.la
lib_LTLIBRARIES += framework/libvirtplug.la

include_HEADERS =
virtplugincludedir = $(includedir)/virtplug
virtpluginclude_HEADERS = framework/include/virtplug/virtplug.h \
	framework/include/virtplug/virtplug-snapshots.h \
	framework/include/virtplug/virtplug-host-power.h \
	framework/include/virtplug/virtplug-plugins.h \
	framework/include/virtplug/virtplug-guest-agent.h \
	framework/include/virtplug/virtplug-identity.h \
	framework/include/virtplug/virtplug-jobs.h \
	framework/include/virtplug/virtplug-runtime-data.h \
	framework/include/virtplug/virtplug-domain-events.h \
	framework/include/virtplug/virtplug-guest-clocks.h \
	framework/include/virtplug/virtplug-consoles.h \
	framework/include/virtplug/virtplug-stats.h \
	framework/include/virtplug/virtplug-lifecycle.h \
	framework/include/virtplug/virtplug-domain-config.h \
	framework/include/virtplug/virtplug-save.h

framework_libvirtplug_core_la_SOURCES = \
	framework/internal.h \
	framework/error.c \
	framework/uri.c framework/uri.h \
	framework/loader.c framework/loader.h \
	framework/conn.c \
	framework/caps.c \
	framework/domain.c \
	framework/domain-guest-fs.c \
	framework/console.c \
	framework/domain-config.c \
	framework/domain-save.c \
	framework/domain-save-xml.c \
	framework/event.c framework/event-names.c framework/event.h \
	framework/snapshot.c \
	framework/node.c \
	framework/node-info.c framework/node-info.h \
	framework/stats.c framework/host-stats.c \
	framework/node-suspend.c framework/node-suspend.h \
	framework/node-suspend-guests.c framework/node-suspend-record.c \
	framework/util/debug.c \
	framework/util/file.c \
	framework/util/command.c \
	framework/util/conf-file.c \
	framework/util/paths.c \
	framework/util/clock.c \
	framework/util/names.c \
	framework/util/kv-file.c \
	framework/util/lock.c \
	framework/util/process.c \
	framework/util/spawn.c
framework_libvirtplug_core_la_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/framework
# No libxml2: the XML code is a module loaded on first use (framework/conf/local.mk).
framework_libvirtplug_core_la_LIBADD = $(LTDL_LIBS) $(PTHREAD_LIBS)

framework_libvirtplug_la_SOURCES =
framework_libvirtplug_la_LIBADD = framework/libvirtplug-core.la
framework_libvirtplug_la_LDFLAGS = $(AM_LDFLAGS) -version-info $(VP_LT_VERSION) -no-undefined \
	-Wl,--version-script=$(top_srcdir)/framework/libvirtplug.sym
EXTRA_framework_libvirtplug_la_DEPENDENCIES = $(top_srcdir)/framework/libvirtplug.sym
EXTRA_DIST += framework/libvirtplug.sym

include framework/registry.mk
include framework/conf/local.mk
include framework/builtin/test/local.mk
