#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# Run the loader tests with immediate binding, as distributions' hardened
# builds do: a plugin with an undefined symbol must fail to load cleanly.
LD_BIND_NOW=1
export LD_BIND_NOW
exec "${VP_TOP_BUILDDIR:-.}/tests/framework/test-loader" "$@"
