# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# Tests of the core library, one cmocka program per source file.
include tests/framework/core.mk
include tests/framework/loader.mk
include tests/framework/conf.mk
include tests/framework/test-driver.mk
include tests/framework/node-suspend.mk
include tests/framework/conn.mk
