# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# The plugin SDK: installed headers, pkg-config files, the conformance kit,
# the guide, the example plugin and the virtplug-plugins(7) man page.

sdkincludedir = $(includedir)/virtplug-1/virtplug/sdk
sdkinclude_HEADERS = \
	sdk/include/virtplug/sdk/alloc.h \
	sdk/include/virtplug/sdk/conf.h \
	sdk/include/virtplug/sdk/driver.h \
	sdk/include/virtplug/sdk/host.h \
	sdk/include/virtplug/sdk/plugin.h \
	sdk/include/virtplug/sdk/services.h \
	sdk/include/virtplug/sdk/stats.h

pkgconfig_DATA = sdk/virtplug.pc sdk/virtplug-sdk.pc
EXTRA_DIST += sdk/virtplug.pc.in sdk/virtplug-sdk.pc.in

# virtplug-plugin-check: the conformance kit a plugin author runs on a .so.
bin_PROGRAMS += sdk/conformance/virtplug-plugin-check
sdk_conformance_virtplug_plugin_check_SOURCES = \
	sdk/conformance/kit.h \
	sdk/conformance/main.c \
	sdk/conformance/check-plugin.c \
	sdk/conformance/check-driver.c \
	sdk/conformance/check-elf.c \
	sdk/conformance/check-lifecycle.c \
	sdk/conformance/check-save.c
sdk_conformance_virtplug_plugin_check_LDADD = framework/libvirtplug.la $(PTHREAD_LIBS)

# The guide, the man page and the out-of-tree example plugin.
dist_doc_DATA = sdk/doc/plugin-guide.md
dist_man_MANS += docs/virtplug-plugins.7 docs/virtplug-plugin-check.1
EXTRA_DIST += sdk/doc/walkthrough.md
# The example is installed with the documentation, ready to copy.
helloexampledir = $(docdir)/examples/hello
dist_helloexample_DATA = \
	sdk/examples/hello/README.md \
	sdk/examples/hello/COPYING \
	sdk/examples/hello/configure.ac \
	sdk/examples/hello/Makefile.am \
	sdk/examples/hello/hello.c
helloexampledomainsdir = $(helloexampledir)/domains
dist_helloexampledomains_DATA = \
	sdk/examples/hello/domains/alpine.xml \
	sdk/examples/hello/domains/debian.xml

# make installcheck: copy the *installed* example to a scratch directory,
# build it against the installed SDK (.pc files, headers, library), install
# it into its own prefix, run the installed conformance kit on the
# installed plugin, and run the installed vpsh on it, found by its URI
# scheme in VIRTPLUG_PLUGIN_DIR as a user finds it. Proves the installed
# SDK is self-sufficient.
installcheck_targets += installcheck-sdk-example
installcheck-sdk-example:
	@set -e; tmp=$$(mktemp -d "$${TMPDIR:-/tmp}/vp-sdk-example-XXXXXX"); \
	trap 'chmod -R u+w "$$tmp"; rm -rf "$$tmp"' EXIT; \
	cp -R '$(DESTDIR)$(helloexampledir)' "$$tmp/src"; chmod -R u+w "$$tmp/src"; \
	mkdir -p "$$tmp/src/m4"; \
	cd "$$tmp/src"; \
	echo "== building sdk/examples/hello against $(DESTDIR)$(libdir)/pkgconfig"; \
	autoreconf -fi >"$$tmp/autoreconf.log" 2>&1 || { cat "$$tmp/autoreconf.log"; exit 1; }; \
	PKG_CONFIG_PATH='$(DESTDIR)$(libdir)/pkgconfig' ./configure --prefix="$$tmp/inst" \
		--quiet CC='$(CC)'; \
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL $(MAKE) V=0 install >/dev/null; \
	'$(DESTDIR)$(bindir)/virtplug-plugin-check' "$$tmp/inst/lib/virtplug/plugins/hello.so" \
		--uri "hello://$$tmp/src/domains"; \
	export VIRTPLUG_PLUGIN_DIR="$$tmp/inst/lib/virtplug/plugins"; \
	echo "== VIRTPLUG_PLUGIN_DIR=$$VIRTPLUG_PLUGIN_DIR vpsh -c hello://$$tmp/src/domains list --all"; \
	'$(DESTDIR)$(bindir)/vpsh' -c "hello://$$tmp/src/domains" list --all >"$$tmp/list.got"; \
	cat "$$tmp/list.got"; \
	printf '%s\n' ' Id   Name     State' '-------------------------' ' -    alpine   shut off' \
		' -    debian   shut off' '' >"$$tmp/list.want"; \
	diff -u "$$tmp/list.want" "$$tmp/list.got"; \
	echo "== VIRTPLUG_PLUGIN_DIR=$$VIRTPLUG_PLUGIN_DIR vpsh -c hello://$$tmp/src/domains dumpxml alpine"; \
	'$(DESTDIR)$(bindir)/vpsh' -c "hello://$$tmp/src/domains" dumpxml alpine >"$$tmp/xml.got"; \
	cat "$$tmp/xml.got"; \
	grep -q '^<domain type=.kvm.>$$' "$$tmp/xml.got"; \
	grep -q '^  <name>alpine</name>$$' "$$tmp/xml.got"; \
	grep -q '^  <uuid>6d3c8f5e-2b1a-4c3e-9f4d-0a1b2c3d4e5f</uuid>$$' "$$tmp/xml.got"
.PHONY: installcheck-sdk-example

# make installcheck: the plugin the guide writes in its section 2, taken
# out of the *installed* guide by scripts/guide-extract.sh, built against
# the installed SDK with warnings as errors, checked by the guide's own
# `make check` (the conformance kit), installed into its own prefix and
# run by the installed vpsh: every vpsh command of the guide that names
# greet must print what the guide shows. The guide's code cannot drift
# from what works.
EXTRA_DIST += scripts/guide-extract.sh
installcheck_targets += installcheck-sdk-guide
installcheck-sdk-guide:
	@set -e; tmp=$$(mktemp -d "$${TMPDIR:-/tmp}/vp-sdk-guide-XXXXXX"); \
	trap 'chmod -R u+w "$$tmp"; rm -rf "$$tmp"' EXIT; \
	guide='$(DESTDIR)$(docdir)/plugin-guide.md'; \
	extract='$(abs_srcdir)/scripts/guide-extract.sh'; \
	$(SHELL) "$$extract" files "$$guide" "$$tmp/src"; \
	cd "$$tmp/src"; \
	echo "== building the plugin of $$guide, section 2 ($$(ls | tr '\n' ' '))"; \
	autoreconf -fi >"$$tmp/autoreconf.log" 2>&1 || { cat "$$tmp/autoreconf.log"; exit 1; }; \
	PKG_CONFIG_PATH='$(DESTDIR)$(libdir)/pkgconfig' ./configure --prefix="$$tmp/inst" \
		--quiet CC='$(CC)'; \
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL $(MAKE) V=0 CFLAGS='-g -O2 -Werror' install >/dev/null; \
	echo "== make check (the guide's check-local: the conformance kit)"; \
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL $(MAKE) --no-print-directory V=0 check; \
	export VIRTPLUG_PLUGIN_DIR="$$tmp/inst/lib/virtplug/plugins"; \
	vpsh='$(DESTDIR)$(bindir)/vpsh'; \
	for args in list 'suspend ada'; do \
		shown="vpsh -c 'greet:///?who=ada' $$args"; \
		echo "== VIRTPLUG_PLUGIN_DIR=$$VIRTPLUG_PLUGIN_DIR $$shown"; \
		status=0; "$$vpsh" -c 'greet:///?who=ada' $$args >"$$tmp/got" 2>&1 || status=$$?; \
		cat "$$tmp/got"; \
		case "$$args:$$status" in list:0|suspend*:1) ;; \
		*) echo "'$$shown' exited with status $$status"; exit 1;; esac; \
		$(SHELL) "$$extract" output "$$guide" "$$shown" >"$$tmp/want"; \
		diff -u "$$tmp/want" "$$tmp/got" || { echo "'$$shown' does not print what the guide shows"; exit 1; }; \
	done; \
	echo "== the guide's 'make install' leaves greet.so alone, mode 0644"; \
	ls -lA "$$VIRTPLUG_PLUGIN_DIR"; \
	test "$$(ls -A "$$VIRTPLUG_PLUGIN_DIR")" = greet.so; \
	test "$$(stat -c %a "$$VIRTPLUG_PLUGIN_DIR/greet.so")" = 644; \
	echo "== the guide's LDFLAGS fail the link of a call to a function defined nowhere"; \
	printf '%s\n' 'int greet_nowhere(void);' 'int greet_calls(void) { return greet_nowhere(); }' >>greet.c; \
	if env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL $(MAKE) V=0 >"$$tmp/undef.log" 2>&1; then \
		echo "a plugin calling a function defined nowhere links with the guide's recipe"; exit 1; fi; \
	grep greet_nowhere "$$tmp/undef.log"
.PHONY: installcheck-sdk-guide
