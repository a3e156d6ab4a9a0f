# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# bench/local.mk: each part's benchmarks
include bench/core.mk
include bench/node-suspend.mk
include bench/qmp.mk
include bench/qemu.mk
include bench/caps.mk
include bench/events.mk
include bench/python.mk
include bench/remote.mk
include bench/stats.mk
include bench/start.mk
