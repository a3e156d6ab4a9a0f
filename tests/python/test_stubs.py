# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
"""The type stubs (virtplug/__init__.pyi) declare exactly what the module
has: every public name, and every method of each class."""
import ast
import inspect
import os

import virtplug

STUBS = os.path.join(os.path.dirname(virtplug.__file__), "__init__.pyi")


def stub_tree():
    with open(STUBS, encoding="utf-8") as f:
        return ast.parse(f.read())


def test_stubs_name_every_public_name():
    tree = stub_tree()
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.ClassDef, ast.FunctionDef)):
            names.add(node.name)
        elif isinstance(node, ast.AnnAssign):
            names.add(node.target.id)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets)
    public = {n for n in dir(virtplug) if not n.startswith("_") and not inspect.ismodule(
        getattr(virtplug, n))}
    assert public - names == set(), "in the module, not in the stubs"
    assert {n for n in names if not n.startswith("_")} - public - {"EventCallback"} == set(), \
        "in the stubs, not in the module"
    assert virtplug.__version__


def test_stubs_declare_every_method():
    for node in stub_tree().body:
        if not isinstance(node, ast.ClassDef) or node.name not in ("Connection", "Domain",
                                                                    "Snapshot"):
            continue
        declared = {f.name for f in node.body if isinstance(f, ast.FunctionDef)}
        cls = getattr(virtplug, node.name)
        actual = {n for n in vars(cls) if not n.startswith("_") or n in ("__enter__", "__exit__")}
        actual |= {"__iter__"} if hasattr(cls, "__iter__") and node.name == "Connection" else set()
        assert declared == actual, node.name


def test_stubs_declare_the_event_fields_in_order():
    for node in stub_tree().body:
        if isinstance(node, ast.ClassDef) and node.name == "DomainEvent":
            declared = tuple(f.target.id for f in node.body if isinstance(f, ast.AnnAssign))
            break
    else:
        raise AssertionError("no DomainEvent in the stubs")
    assert declared == virtplug.DomainEvent.__match_args__
    assert declared[-3:] == ("src_path", "dev_alias", "reason")
