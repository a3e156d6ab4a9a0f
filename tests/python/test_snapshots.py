# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
"""Snapshots through the binding, on the test driver: create, list, the
tree (parent, current, children), XML and delete."""
import pytest

import virtplug


def snap_xml(name):
    return f"<domainsnapshot><name>{name}</name></domainsnapshot>"


def test_snapshot_tree(conn):
    dom = conn.lookupByName("test")
    assert dom.listAllSnapshots() == []
    one = dom.snapshotCreateXML(snap_xml("one"))
    two = dom.snapshotCreateXML(snap_xml("two"))
    assert [s.getName() for s in dom.listAllSnapshots()] == ["one", "two"]
    assert [s.getName() for s in dom.snapshots()] == ["one", "two"]
    assert two.getParent().getName() == "one"
    assert two.isCurrent() and not one.isCurrent()
    assert dom.snapshotCurrent().getName() == "two"
    assert [s.getName() for s in one.listAllChildren()] == ["two"]
    assert "<name>two</name>" in two.getXMLDesc()
    assert two.getDomain() is dom
    with pytest.raises(virtplug.NoSnapshotError, match="snapshot 'one' has no parent"):
        one.getParent()


def test_snapshot_without_xml_gets_a_name(conn):
    dom = conn.lookupByName("test")
    snap = dom.snapshotCreateXML(None)
    assert snap.getName()
    assert dom.snapshotLookupByName(snap.getName()).getName() == snap.getName()


def test_snapshot_delete(conn):
    dom = conn.lookupByName("test")
    one = dom.snapshotCreateXML(snap_xml("one"))
    two = dom.snapshotCreateXML(snap_xml("two"))
    two.delete()
    assert [s.getName() for s in dom.listAllSnapshots()] == ["one"]
    assert one.isCurrent()
    with pytest.raises(virtplug.NoSnapshotError) as e:
        dom.snapshotLookupByName("two")
    assert e.value.code == virtplug.VP_ERR_NO_SNAPSHOT


def test_snapshot_bad_xml(conn):
    dom = conn.lookupByName("test")
    with pytest.raises(virtplug.XMLError):
        dom.snapshotCreateXML("<domainsnapshot>")
