# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# The public plugin registry API (framework/registry.c), part of the core.
framework_libvirtplug_core_la_SOURCES += framework/registry.c
