# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# The embedded test driver, compiled into libvirtplug (reading node files
# needs libxml2: test-nodefile-xml.c is in the XML module, framework/conf/local.mk).
framework_libvirtplug_core_la_SOURCES += \
	framework/builtin/test/test-driver.c \
	framework/builtin/test/test-driver.h \
	framework/builtin/test/test-domains.c \
	framework/builtin/test/test-snapshots.c \
	framework/builtin/test/test-resources.c \
	framework/builtin/test/test-guests.c \
	framework/builtin/test/test-stats.c \
	framework/builtin/test/test-lifecycle.c \
	framework/builtin/test/test-save.c \
	framework/builtin/test/test-nodefile.c \
	framework/builtin/test/test-hostpower.h
include framework/builtin/test/hostpower.mk
EXTRA_DIST += docs/test-driver.md
