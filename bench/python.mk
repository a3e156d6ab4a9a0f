# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# bench/python.mk: the Python binding's dom.state() per call beside
# libvirt-python's (issue 17). bench/bench-python is a small script made
# here that runs bench/bench-python.py with the build tree's package and
# library; without the binding it says so and measures nothing.
bench_programs += bench/bench-python
EXTRA_DIST += bench/bench-python.py
CLEANFILES += bench/bench-python
bench/bench-python: $(srcdir)/bench/bench-python.py
	$(AM_V_GEN)$(MKDIR_P) bench && { \
	echo '#!/bin/sh'; \
	echo 'LD_LIBRARY_PATH="$(abs_top_builddir)/framework/.libs$${LD_LIBRARY_PATH:+:$$LD_LIBRARY_PATH}"'; \
	echo 'PYTHONPATH="$(abs_top_builddir)/bindings/python/site$${PYTHONPATH:+:$$PYTHONPATH}"'; \
	echo 'export LD_LIBRARY_PATH PYTHONPATH'; \
	echo 'exec "$${PYTHON:-$(PYTHON)}" "$(abs_top_srcdir)/bench/bench-python.py" "$$@"'; \
	} >$@.tmp && chmod +x $@.tmp && mv $@.tmp $@
if WITH_PYTHON
bench_targets += bindings/python/site/virtplug/_virtplug.abi3.so
endif
