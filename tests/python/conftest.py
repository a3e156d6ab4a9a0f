# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
"""Fixtures of the Python binding's tests: a fresh test:///default
connection per test, and a private QEMU instance (qemu:///embed) for the
tests of real '-machine none' domains. Run by tests/python/test-python.sh."""
import os

import pytest

import virtplug

# Under the ASan build, test-python.sh preloads the sanitizer runtime for the
# instrumented module. The QEMU processes the tests start must not inherit
# it: an uninstrumented QEMU with the runtime preloaded can deadlock in the
# fork of -daemonize, and its start then times out.
if os.environ.get("VP_PYTHON_ASAN_PRELOAD"):
    os.environ.pop("LD_PRELOAD", None)

TEST_XML = ("<domain type='test'><name>{name}</name>{uuid}<memory unit='MiB'>32</memory>"
            "<os><type>hvm</type></os></domain>")


@pytest.fixture
def conn():
    with virtplug.open("test:///default") as c:
        yield c


@pytest.fixture
def test_xml():
    def make(name, uuid=None):
        return TEST_XML.format(name=name, uuid=f"<uuid>{uuid}</uuid>" if uuid else "")
    return make


def _qemu_missing():
    qemu = os.environ.get("QEMU_SYSTEM", "/usr/bin/qemu-system-x86_64")
    if not os.access(qemu, os.X_OK):
        return f"QEMU not found: {qemu} (install qemu-system-x86)"
    plugin_dir = os.environ.get("VIRTPLUG_PLUGIN_DIR", "")
    if not os.path.exists(os.path.join(plugin_dir, "qemu.so")):
        return f"the qemu plugin was not built: no qemu.so in '{plugin_dir}' (configure --with-qemu)"
    return None


@pytest.fixture
def qemu_conn(tmp_path):
    missing = _qemu_missing()
    if missing:
        pytest.skip(missing)
    # The runtime directory holds sockets: keep its path short.
    root = tmp_path / "r"
    root.mkdir()
    c = virtplug.open(f"qemu:///embed?root={root}")
    try:
        yield c
    finally:
        for dom in c.listAllDomains():
            if dom.isActive():
                dom.destroy()
            dom.undefine()
        c.close()
