# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
"""An io-error event with its strings, received through the binding, from
the real tiny guest: its disk vdb, a sparse raw file of 16 MiB on a 4 MiB
tmpfs with error_policy='report', fills up when the guest writes it with
dd (asked through vpsh qemu-agent-command), and QEMU reports ENOSPC.

Needs root: the tmpfs is mounted in a mount namespace of its own, made by
a forked child that then starts QEMU, so the mount goes with the child and
its QEMU and the host's mount table never holds it."""
import ctypes
import json
import os
import select
import shutil
import subprocess
import time

import pytest

import virtplug

CLONE_NEWNS = 0x00020000
MS_NOSUID = 2
MS_NODEV = 4
MS_REC = 1 << 14
MS_PRIVATE = 1 << 18
DISK_SIZE = 16 << 20

GUEST_XML = """<domain type='kvm'>
  <name>py-io</name>
  <memory unit='MiB'>256</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <kernel>{guest}/vmlinuz</kernel>
    <initrd>{guest}/initramfs.gz</initrd>
    <cmdline>console=ttyS0 quiet panic=-1</cmdline>
  </os>
  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='{root}/disk.qcow2'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <disk type='file' device='disk'>
      <driver name='qemu' type='raw' error_policy='report'/>
      <source file='{full}'/>
      <target dev='vdb' bus='virtio'/>
    </disk>
    <channel type='unix'>
      <target type='virtio' name='org.qemu.guest_agent.0'/>
    </channel>
  </devices>
</domain>
"""

DD = ('{"execute":"guest-exec","arguments":{"path":"/bin/sh","arg":["-c",'
      '"/bin/busybox dd if=/dev/zero of=/dev/vdb bs=1M count=16 conv=fsync"]}}')


def guest_dir():
    """The tiny guest, built once per build tree (tests/helpers/guest)."""
    src, build = os.environ.get("VP_TOP_SRCDIR"), os.environ.get("VP_TOP_BUILDDIR")
    if not src or not build:
        pytest.skip("VP_TOP_SRCDIR and VP_TOP_BUILDDIR are not set (run through make check)")
    d = os.path.join(build, "tests", "guest")
    r = subprocess.run(["/bin/sh", os.path.join(src, "tests/helpers/guest/build-guest.sh"), d],
                       check=False)
    if r.returncode == 77:
        pytest.skip("the tiny guest cannot be built here (see build-guest.sh's output)")
    assert r.returncode == 0
    return d


def vpsh(uri, *args):
    binary = os.path.join(os.environ["VP_TOP_BUILDDIR"], "tools", "vpsh", "vpsh")
    return subprocess.run([binary, "-c", uri, *args], capture_output=True, text=True,
                          check=False)


def scenario(root, guest):
    """In the child: the namespace, the tmpfs, the guest and its io-error.
    Returns what the parent checks, as a dict."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(CLONE_NEWNS) != 0:
        return {"skip": f"cannot make a mount namespace: {os.strerror(ctypes.get_errno())}"}
    if libc.mount(None, b"/", None, MS_REC | MS_PRIVATE, None) != 0:
        return {"error": f"cannot make the mounts private: {os.strerror(ctypes.get_errno())}"}
    full_dir = os.path.join(root, "full")
    os.mkdir(full_dir, 0o700)
    if libc.mount(b"vp-py-ioerror", full_dir.encode(), b"tmpfs", MS_NOSUID | MS_NODEV,
                  b"size=4M,mode=0700") != 0:
        return {"error": f"cannot mount a tmpfs: {os.strerror(ctypes.get_errno())}"}
    full = os.path.join(full_dir, "report.raw")
    with open(full, "wb") as f:
        f.truncate(DISK_SIZE)
    shutil.copyfile(os.path.join(guest, "disk.qcow2"), os.path.join(root, "disk.qcow2"))
    run = os.path.join(root, "r")
    os.mkdir(run)
    uri = f"qemu:///embed?root={run}"
    seen = []
    with virtplug.open(uri) as conn:
        dom = conn.defineXML(GUEST_XML.format(guest=guest, root=root, full=full))
        dom.create()
        try:
            conn.event_register(lambda c, ev: seen.append(ev),
                                1 << virtplug.VP_DOMAIN_EVENT_IO_ERROR)
            fd = conn.event_fd()
            deadline = time.monotonic() + 120
            while vpsh(uri, "qemu-agent-command", "py-io", '{"execute":"guest-ping"}').returncode:
                if time.monotonic() > deadline:
                    return {"error": "the guest agent never answered"}
                time.sleep(1)
            r = vpsh(uri, "qemu-agent-command", "py-io", DD)
            if r.returncode:
                return {"error": f"guest-exec: {r.stderr}"}
            deadline = time.monotonic() + 180
            while not seen and time.monotonic() < deadline:
                if select.select([fd], [], [], 0.5)[0]:
                    conn.event_dispatch()
        finally:
            dom.destroy()
            dom.undefine()
    return {"full": full,
            "events": [[ev.domain, ev.event, ev.detail, ev.src_path, ev.dev_alias, ev.reason]
                       for ev in seen]}


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting the tmpfs that fills up needs root")
def test_io_error_strings(tmp_path):
    qemu = os.environ.get("QEMU_SYSTEM", "/usr/bin/qemu-system-x86_64")
    if not os.access(qemu, os.X_OK):
        pytest.skip(f"QEMU not found: {qemu}")
    guest = guest_dir()
    root = str(tmp_path)
    rfd, wfd = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(rfd)
        try:
            result = scenario(root, guest)
        except Exception as e:  # reported to the parent, which fails
            result = {"error": repr(e)}
        os.write(wfd, json.dumps(result).encode())
        os._exit(0)
    os.close(wfd)
    with os.fdopen(rfd, "rb") as f:
        result = json.loads(f.read() or b'{"error": "the child said nothing"}')
    os.waitpid(pid, 0)
    if "skip" in result:
        pytest.skip(result["skip"])
    assert "error" not in result, result["error"]
    assert result["events"], "no io-error event came"
    domain, event, detail, src_path, dev_alias, reason = result["events"][0]
    assert (domain, event, detail) == ("py-io", virtplug.VP_DOMAIN_EVENT_IO_ERROR,
                                       virtplug.VP_DOMAIN_EVENT_IO_ERROR_REPORT)
    assert (src_path, dev_alias, reason) == (result["full"], "vdb", "enospc")
    with open("/proc/self/mountinfo", encoding="utf-8") as m:
        assert os.path.join(root, "full") not in m.read()
