# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# tests/python: the Python binding's pytest suite, against the test driver
# and QEMU '-machine none' domains; test-python.sh skips (77) naming what is
# missing when the binding was not built or pytest is not installed.
python_test_files = tests/python/conftest.py tests/python/test_test_driver.py \
	tests/python/test_events.py tests/python/test_snapshots.py tests/python/test_qemu.py \
	tests/python/test_qemu_ioerror.py \
	tests/python/test_stubs.py
TESTS += tests/python/test-python.sh
EXTRA_DIST += tests/python/test-python.sh $(python_test_files)
AM_TESTS_ENVIRONMENT += export PYTHON='$(PYTHON)'; export VP_PYTHON_MISSING='$(python_missing)';
