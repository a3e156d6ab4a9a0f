# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# The test driver's simulated host power.
framework_libvirtplug_core_la_SOURCES += \
	framework/builtin/test/test-hostpower.c
