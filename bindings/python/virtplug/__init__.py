# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
"""libvirtplug for Python: manage virtualization hosts through virtplug's drivers.

    import virtplug
    with virtplug.open("test:///default") as conn:
        for dom in conn.listAllDomains():
            print(dom.name(), virtplug.state_name(*dom.state()[:1]))

Method names follow libvirt-python (listAllDomains, lookupByName, create,
state, XMLDesc, snapshotCreateXML, ...). Failures raise VirtplugError or
its subclass for the error code (NoDomainError, XMLError, ...), with .code,
.code_name and .message. Domain events: Connection.event_register(),
event_fd() and event_dispatch(), for example with asyncio:
loop.add_reader(conn.event_fd(), conn.event_dispatch).
"""
from virtplug._virtplug import *  # noqa: F401,F403
from virtplug._virtplug import __version__  # noqa: F401
