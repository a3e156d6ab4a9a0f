# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# bindings/python/local.mk: the Python package "virtplug" (python3-virtplug):
# virtplug/__init__.py, its type stubs and py.typed, and the C extension
# virtplug/_virtplug.abi3.so, built on CPython's limited API (stable ABI,
# abi3) and linked against the in-tree libvirtplug, never against libpython.
# Built only when configure found Python.h (--with-python).
#
# bindings/python/site/ is the package assembled in the build tree: the
# tests and the bench put it first on PYTHONPATH.
pyvirtplugdir = $(pythonsitedir)/virtplug
python_binding_sources = bindings/python/pyvp.h bindings/python/pyvp-module.c \
	bindings/python/pyvp-conn.c bindings/python/pyvp-domain.c bindings/python/pyvp-stats.c
# docs/python.md ships with the package (python3-virtplug's documentation).
EXTRA_DIST += docs/python.md
python_package_files = bindings/python/virtplug/__init__.py bindings/python/virtplug/__init__.pyi \
	bindings/python/virtplug/py.typed

if WITH_PYTHON
pyvirtplug_LTLIBRARIES = bindings/python/_virtplug.la
bindings_python__virtplug_la_SOURCES = $(python_binding_sources)
bindings_python__virtplug_la_CPPFLAGS = $(AM_CPPFLAGS) $(PYTHON3_CFLAGS) -DPy_LIMITED_API=0x03080000
bindings_python__virtplug_la_LDFLAGS = $(AM_LDFLAGS) -module -avoid-version -shared \
	-shrext .abi3.so -rpath $(pyvirtplugdir)
bindings_python__virtplug_la_LIBADD = framework/libvirtplug.la
dist_pyvirtplug_DATA = $(python_package_files)

python_site_module = bindings/python/site/virtplug/_virtplug.abi3.so
else
EXTRA_DIST += $(python_binding_sources) $(python_package_files)
endif

# The rules (only reached when the binding is built).
bindings/python/site/virtplug/_virtplug.abi3.so: bindings/python/_virtplug.la $(python_package_files)
	$(AM_V_GEN)$(MKDIR_P) bindings/python/site/virtplug && \
	for f in $(python_package_files); do cp $(srcdir)/$$f bindings/python/site/virtplug/ || exit 1; done && \
	cp bindings/python/.libs/_virtplug.abi3.so $@
all-local: $(python_site_module)
CLEANFILES += bindings/python/site/virtplug/*

# No libtool archive beside a Python module.
install-data-hook: install-data-hook-python
install-data-hook-python:
	rm -f '$(DESTDIR)$(pyvirtplugdir)/_virtplug.la'
uninstall-local: uninstall-local-python
uninstall-local-python:
	rm -f '$(DESTDIR)$(pyvirtplugdir)/_virtplug.abi3.so'
.PHONY: install-data-hook-python uninstall-local-python
