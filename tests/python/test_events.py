# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
"""Domain events through the binding: callbacks run by event_dispatch(),
and an asyncio loop that waits on event_fd() with add_reader()."""
import asyncio
import select

import pytest

import virtplug



def test_dispatch_calls_the_callback(conn):
    seen = []
    reg = conn.event_register(lambda c, ev: seen.append((c, ev)))
    dom = conn.lookupByName("test")
    fd = conn.event_fd()
    assert select.select([fd], [], [], 0)[0] == []
    dom.suspend()
    assert select.select([fd], [], [], 5)[0] == [fd]
    assert conn.event_dispatch() == 1
    (c, ev), = seen
    assert c is conn
    assert ev.domain == "test" and ev.uuid == dom.UUIDString()
    assert (ev.event, ev.detail) == (virtplug.VP_DOMAIN_EVENT_SUSPENDED,
                                     virtplug.VP_DOMAIN_EVENT_SUSPENDED_PAUSED)
    assert ev.time_us > 0
    assert virtplug.event_name(ev.event) == "Suspended"
    assert virtplug.event_name(ev.event, ev.detail) == "Paused"
    conn.event_deregister(reg)
    dom.resume()
    conn.event_dispatch()
    assert len(seen) == 1


def test_mask_selects_events(conn):
    seen = []
    conn.event_register(lambda c, ev: seen.append(ev.event),
                        1 << virtplug.VP_DOMAIN_EVENT_RESUMED)
    dom = conn.lookupByName("test")
    dom.suspend()
    dom.resume()
    conn.event_dispatch()
    assert seen == [virtplug.VP_DOMAIN_EVENT_RESUMED]


def test_callback_exception_is_raised_by_dispatch(conn):
    def fail(c, ev):
        raise RuntimeError(f"callback saw {ev.domain}")
    conn.event_register(fail)
    conn.lookupByName("test").suspend()
    with pytest.raises(RuntimeError, match="callback saw test"):
        conn.event_dispatch()
    assert conn.event_dispatch() == 0


def test_asyncio_add_reader(conn, test_xml):
    async def main():
        loop = asyncio.get_running_loop()
        queue = asyncio.Queue()
        conn.event_register(lambda c, ev: queue.put_nowait(ev))
        loop.add_reader(conn.event_fd(), conn.event_dispatch)
        try:
            dom = conn.defineXML(test_xml("ev"))
            dom.create()
            dom.destroy()
            dom.undefine()
            got = []
            for _ in range(4):
                got.append(await asyncio.wait_for(queue.get(), 10))
        finally:
            loop.remove_reader(conn.event_fd())
        return got

    got = asyncio.run(main())
    assert [(e.domain, e.event, e.detail) for e in got] == [
        ("ev", virtplug.VP_DOMAIN_EVENT_DEFINED, virtplug.VP_DOMAIN_EVENT_DEFINED_ADDED),
        ("ev", virtplug.VP_DOMAIN_EVENT_STARTED, virtplug.VP_DOMAIN_EVENT_STARTED_BOOTED),
        ("ev", virtplug.VP_DOMAIN_EVENT_STOPPED, virtplug.VP_DOMAIN_EVENT_STOPPED_DESTROYED),
        ("ev", virtplug.VP_DOMAIN_EVENT_UNDEFINED, virtplug.VP_DOMAIN_EVENT_UNDEFINED_REMOVED),
    ]


def test_callback_may_deregister_itself(conn):
    seen = []

    def once(c, ev):
        seen.append(ev.event)
        c.event_deregister(reg)
    reg = conn.event_register(once)
    dom = conn.lookupByName("test")
    dom.suspend()
    dom.resume()
    conn.event_dispatch()
    assert seen == [virtplug.VP_DOMAIN_EVENT_SUSPENDED]


def test_io_error_fields_are_none_for_other_events(conn):
    """src_path, dev_alias and reason belong to VP_DOMAIN_EVENT_IO_ERROR;
    a lifecycle event has them as None (the QEMU driver's io-error, with
    the strings set, is tested in C: test-qemu-ioerror)."""
    seen = []
    conn.event_register(lambda c, ev: seen.append(ev))
    conn.lookupByName("test").suspend()
    assert conn.event_dispatch() == 1
    ev, = seen
    assert (ev.src_path, ev.dev_alias, ev.reason) == (None, None, None)
    assert tuple(ev)[5:] == (None, None, None)
    assert len(ev) == 8
    assert type(ev).n_fields == 8
