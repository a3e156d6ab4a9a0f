# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
"""The binding against the test driver: connections, lookups, states,
identity and every error as the exception class of its code."""
import sys
import threading
import time

import pytest

import virtplug

TEST_UUID = "6695eb01-f6a4-8304-79aa-97f2502e193f"


def test_open_is_a_context_manager():
    with virtplug.open("test:///default") as c:
        assert c.getURI() == "test:///default"
        assert c.getType() == "test"
    with pytest.raises(ValueError, match="closed"):
        c.listAllDomains()
    c.close()  # closing twice is harmless


def test_list_lookup_and_iterate(conn):
    doms = conn.listAllDomains()
    assert [d.name() for d in doms] == ["test"]
    assert [d.name() for d in conn] == ["test"]
    assert conn.listAllDomains(virtplug.VP_LIST_DOMAINS_INACTIVE) == []
    assert conn.numOfDomains() == 1
    dom = conn.lookupByName("test")
    assert dom.UUIDString() == TEST_UUID
    assert conn.lookupByUUIDString(TEST_UUID.upper()).name() == "test"
    assert dom.ID() >= 1
    assert conn.lookupByID(dom.ID()).UUIDString() == TEST_UUID
    assert dom.connect() is conn
    assert repr(dom) == "<virtplug.Domain 'test'>"


def test_states(conn):
    dom = conn.lookupByName("test")
    assert dom.state() == (virtplug.VP_DOMAIN_RUNNING, virtplug.VP_DOMAIN_RUNNING_BOOTED)
    dom.suspend()
    assert dom.state() == (virtplug.VP_DOMAIN_PAUSED, virtplug.VP_DOMAIN_PAUSED_USER)
    assert virtplug.state_name(*dom.state()[:1]) == "paused"
    dom.resume()
    assert dom.state() == (virtplug.VP_DOMAIN_RUNNING, virtplug.VP_DOMAIN_RUNNING_UNPAUSED)
    dom.destroy()
    assert dom.state() == (virtplug.VP_DOMAIN_SHUTOFF, virtplug.VP_DOMAIN_SHUTOFF_DESTROYED)
    assert virtplug.state_name(*dom.state()) == "destroyed"
    assert dom.ID() == -1 and not dom.isActive()
    dom.create()
    assert dom.state() == (virtplug.VP_DOMAIN_RUNNING, virtplug.VP_DOMAIN_RUNNING_BOOTED)
    assert dom.isActive()


def test_create_xml_transient(conn, test_xml):
    dom = conn.createXML(test_xml("tvm"))
    assert dom.isActive() and dom.isPersistent() == 0
    assert conn.lookupByName("test").isPersistent() == 1
    with pytest.raises(virtplug.VirtplugError, match="already exists"):
        conn.createXML(test_xml("tvm"))
    dom.destroy()
    with pytest.raises(virtplug.VirtplugError, match="no domain named 'tvm'"):
        conn.lookupByName("tvm")


def test_reboot_and_reset(conn):
    dom = conn.lookupByName("test")
    dom.suspend()
    dom.reset()
    assert dom.state()[0] == virtplug.VP_DOMAIN_PAUSED
    dom.reboot(virtplug.VP_DOMAIN_REBOOT_GUEST_AGENT)
    assert dom.state() == (virtplug.VP_DOMAIN_RUNNING, virtplug.VP_DOMAIN_RUNNING_BOOTED)
    dom.destroy()
    with pytest.raises(virtplug.OperationInvalidError, match="not running"):
        dom.reboot()


def test_lifecycle_flags(conn):
    dom = conn.lookupByName("test")
    dom.destroy(virtplug.VP_DOMAIN_DESTROY_GRACEFUL)
    dom.create(virtplug.VP_DOMAIN_START_PAUSED)
    assert dom.state() == (virtplug.VP_DOMAIN_PAUSED, virtplug.VP_DOMAIN_PAUSED_USER)
    dom.resume()
    dom.shutdown(virtplug.VP_DOMAIN_SHUTDOWN_GUEST_AGENT | virtplug.VP_DOMAIN_SHUTDOWN_WAIT)
    assert dom.state()[0] == virtplug.VP_DOMAIN_SHUTOFF
    dom.create()
    dom.shutdown(virtplug.VP_DOMAIN_SHUTDOWN_ACPI_POWER_BTN)
    assert dom.state()[0] == virtplug.VP_DOMAIN_SHUTOFF


def test_fs_freeze_and_pm(conn):
    dom = conn.lookupByName("test")
    assert dom.fsFreeze(["/boot"]) == 1
    assert dom.fsFreeze() == 1
    assert dom.fsThaw() == 2
    with pytest.raises(virtplug.OperationInvalidError, match="mount point not found: /x"):
        dom.fsFreeze(["/x"])
    with pytest.raises(virtplug.VirtplugError, match="domain-pm-suspend"):
        dom.pmSuspendForDuration(0, 0)  # mem
    with pytest.raises(virtplug.VirtplugError, match="domain-pm-wakeup"):
        dom.pmWakeup()


def test_update_device(conn):
    dom = conn.lookupByName("test")
    vnc = "<graphics type='vnc'/>"
    # The test driver changes no running device, as libvirt's.
    with pytest.raises(virtplug.VirtplugError, match="domain-update-device"):
        dom.updateDeviceFlags(vnc, virtplug.VP_DOMAIN_AFFECT_LIVE)
    with pytest.raises(virtplug.VirtplugError, match="cannot find existing graphics device"):
        dom.updateDeviceFlags(vnc, virtplug.VP_DOMAIN_AFFECT_CONFIG)


def test_autostart(conn):
    dom = conn.lookupByName("test")
    assert dom.autostart() == 0
    dom.setAutostart(1)
    assert dom.autostart() == 1
    dom.setAutostart(0)
    assert dom.autostart() == 0


def test_info_and_xml(conn):
    dom = conn.lookupByName("test")
    state, max_kib, kib, vcpus, cpu_ns = dom.info()
    assert state == virtplug.VP_DOMAIN_RUNNING
    assert max_kib >= kib > 0 and vcpus >= 1 and cpu_ns >= 0
    assert "<name>test</name>" in dom.XMLDesc()
    assert dom.OSType() == "hvm"
    model, mem_mib, cpus, mhz, nodes, sockets, cores, threads = conn.getInfo()
    assert isinstance(model, str) and mem_mib > 0
    assert cpus == nodes * sockets * cores * threads
    assert conn.getHostname()


def test_define_undefine(conn, test_xml):
    dom = conn.defineXML(test_xml("extra"))
    assert dom.state()[0] == virtplug.VP_DOMAIN_SHUTOFF
    assert [d.name() for d in conn] == ["extra", "test"]
    dom.create()
    assert conn.lookupByID(dom.ID()).name() == "extra"
    dom.destroy()
    dom.undefine()
    with pytest.raises(virtplug.NoDomainError, match="no domain named 'extra'"):
        conn.lookupByName("extra")


def test_stale_handle_is_refused(conn, test_xml):
    old = conn.defineXML(test_xml("x"))
    uuid = old.UUIDString()
    old.undefine()
    new = conn.defineXML(test_xml("x"))
    assert new.UUIDString() != uuid
    with pytest.raises(virtplug.NoDomainError, match="was undefined and redefined") as e:
        old.state()
    assert uuid in e.value.message


@pytest.mark.parametrize("call, cls, code, words", [
    (lambda c: c.lookupByName("nope"), virtplug.NoDomainError, virtplug.VP_ERR_NO_DOMAIN,
     "no domain named 'nope'"),
    (lambda c: c.lookupByID(4242), virtplug.NoDomainError, virtplug.VP_ERR_NO_DOMAIN,
     "no running domain with id 4242"),
    (lambda c: c.lookupByUUIDString("zz"), virtplug.InvalidArgError, virtplug.VP_ERR_INVALID_ARG,
     "'zz' is not a UUID"),
    (lambda c: c.defineXML("<domain"), virtplug.XMLError, virtplug.VP_ERR_XML, "malformed XML"),
    (lambda c: c.lookupByName("test").resume(), virtplug.OperationInvalidError,
     virtplug.VP_ERR_OPERATION_INVALID, "is not paused"),
    (lambda c: c.lookupByName("test").snapshotLookupByName("q"), virtplug.NoSnapshotError,
     virtplug.VP_ERR_NO_SNAPSHOT, "has no snapshot named 'q'"),
    (lambda c: c.event_deregister(42), virtplug.InvalidArgError, virtplug.VP_ERR_INVALID_ARG,
     "no event registration 42"),
    (lambda c: virtplug.open("bogus:///x"), virtplug.NoURISchemeError,
     virtplug.VP_ERR_NO_URI_SCHEME, "no driver for URI scheme 'bogus'"),
])
def test_errors_are_exceptions(conn, call, cls, code, words):
    with pytest.raises(cls) as e:
        call(conn)
    err = e.value
    assert isinstance(err, virtplug.VirtplugError)
    assert err.code == code
    assert err.code_name == virtplug.error_code_name(code)
    assert words in err.message
    assert str(err) == err.message


def test_every_error_code_has_its_class():
    codes = {getattr(virtplug, n): n for n in dir(virtplug)
             if n.startswith("VP_ERR_") and getattr(virtplug, n) < 0}
    classes = [getattr(virtplug, n) for n in dir(virtplug)
               if isinstance(getattr(virtplug, n), type)
               and issubclass(getattr(virtplug, n), virtplug.VirtplugError)
               and getattr(virtplug, n) is not virtplug.VirtplugError]
    assert len(classes) == len(codes)


def test_objects_come_from_the_module():
    with pytest.raises(TypeError, match="virtplug.open"):
        virtplug.Domain()
    with pytest.raises(TypeError):
        virtplug.Connection()


def test_threads_share_a_connection(conn, test_xml):
    doms = [conn.defineXML(test_xml(f"t{i}")) for i in range(4)]
    errors = []

    def work(dom):
        try:
            for _ in range(200):
                dom.create()
                assert dom.state()[0] == virtplug.VP_DOMAIN_RUNNING
                dom.destroy()
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(d,)) for d in doms]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert all(d.state()[0] == virtplug.VP_DOMAIN_SHUTOFF for d in doms)


def test_domain_outlives_close(conn):
    dom = conn.lookupByName("test")
    conn.close()
    # A domain keeps the library's connection alive after close().
    assert dom.state()[0] == virtplug.VP_DOMAIN_RUNNING


def test_calls_release_the_gil(conn):
    """With a switch interval of 30 s, the main thread runs again while the
    worker loops only if the worker's calls release the GIL; the worker
    stops when the main thread ran, or after 2 s. dom.name(), which does
    not call into a driver, keeps the GIL: the same probe then sees the
    worker end first."""
    dom = conn.lookupByName("test")

    def main_ran_while_worker_looped(fn):
        main_ran, done = [], []

        def work():
            deadline = time.monotonic() + 2
            while not main_ran and time.monotonic() < deadline:
                fn()
            done.append(True)
        old = sys.getswitchinterval()
        sys.setswitchinterval(30)
        try:
            t = threading.Thread(target=work)
            t.start()
            early = not done
            main_ran.append(True)
            t.join()
        finally:
            sys.setswitchinterval(old)
        return early

    assert main_ran_while_worker_looped(dom.state)
    assert not main_ran_while_worker_looped(dom.name)


def test_statistics(conn):
    """libvirt-python's shapes: a list of (Domain, dict) and dicts, with
    libvirt's keys; the test driver's documented values."""
    stats = conn.getAllDomainStats()
    assert [(d.name(), s["state.state"]) for d, s in stats] == [("test", virtplug.VP_DOMAIN_RUNNING)]
    dom, s = stats[0]
    assert s["balloon.current"] == 2097152 and s["vcpu.current"] == 2
    assert s["cpu.time"] == s["cpu.user"] + s["cpu.system"]
    only = conn.getAllDomainStats(virtplug.VP_DOMAIN_STATS_STATE,
                                  virtplug.VP_CONNECT_GET_ALL_DOMAINS_STATS_SHUTOFF)
    assert only == []
    assert conn.getMemoryStats() == {"total": 3145728, "free": 1572864, "buffers": 98304,
                                     "cached": 786432}
    assert conn.getCPUStats(virtplug.VP_NODE_CPU_STATS_ALL_CPUS)["kernel"] == 34678723400000
    assert "<entry name='vendor'>LENOVO</entry>" in conn.getSysinfo()
    assert "<cells num='2'>" in conn.getCapabilities()
    with pytest.raises(virtplug.InvalidArgError, match="CPU number 16"):
        conn.getCPUStats(16)
def test_memory_vcpus_metadata(conn):
    dom = conn.lookupByName("test")
    assert dom.setMemoryFlags(1048576, virtplug.VP_DOMAIN_AFFECT_LIVE) == 0
    assert dom.info()[2] == 1048576
    assert dom.setVcpusFlags(1) == 0
    assert dom.info()[3] == 1
    dom.setMetadata(virtplug.VP_DOMAIN_METADATA_TITLE, "web", None, None,
                    virtplug.VP_DOMAIN_AFFECT_CONFIG)
    assert dom.metadata(virtplug.VP_DOMAIN_METADATA_TITLE) is None
    assert dom.metadata(virtplug.VP_DOMAIN_METADATA_TITLE, None,
                        virtplug.VP_DOMAIN_AFFECT_CONFIG) == "web"
    assert "<title>web</title>" in dom.XMLDesc(virtplug.VP_DOMAIN_XML_INACTIVE)
    with pytest.raises(virtplug.InvalidArgError, match=r"exceeds maximum \(3 > 2\)"):
        dom.setVcpusFlags(3)
    with pytest.raises(ValueError, match="key and uri"):
        dom.setMetadata(virtplug.VP_DOMAIN_METADATA_TITLE, "x", "k", "http://x/")


def test_xml_secure(conn):
    dom = conn.defineXML(
        "<domain type='test'><name>vnc</name><memory unit='KiB'>262144</memory>"
        "<vcpu>1</vcpu><os><type>hvm</type></os><devices>"
        "<graphics type='vnc' autoport='yes' passwd='s3cret'/></devices></domain>")
    assert "passwd" not in dom.XMLDesc(0)
    assert "passwd='s3cret'" in dom.XMLDesc(virtplug.VP_DOMAIN_XML_SECURE)
