# The plugin SDK: installed headers, pkg-config files, the conformance kit,
# the guide, the example plugin and the virtplug-plugins(7) man page.

sdkincludedir = $(includedir)/virtplug-1/virtplug/sdk
sdkinclude_HEADERS = \
	sdk/include/virtplug/sdk/alloc.h \
	sdk/include/virtplug/sdk/conf.h \
	sdk/include/virtplug/sdk/driver.h \
	sdk/include/virtplug/sdk/plugin.h \
	sdk/include/virtplug/sdk/services.h

pkgconfig_DATA = sdk/virtplug.pc sdk/virtplug-sdk.pc
EXTRA_DIST += sdk/virtplug.pc.in sdk/virtplug-sdk.pc.in

# virtplug-plugin-check: the conformance kit a plugin author runs on a .so.
bin_PROGRAMS += sdk/conformance/virtplug-plugin-check
sdk_conformance_virtplug_plugin_check_SOURCES = \
	sdk/conformance/kit.h \
	sdk/conformance/main.c \
	sdk/conformance/check-plugin.c \
	sdk/conformance/check-driver.c \
	sdk/conformance/check-elf.c
sdk_conformance_virtplug_plugin_check_LDADD = framework/libvirtplug.la $(PTHREAD_LIBS)

# The guide, the man page and the out-of-tree example plugin.
dist_doc_DATA = sdk/doc/plugin-guide.md
dist_man_MANS += docs/virtplug-plugins.7 docs/virtplug-plugin-check.1
EXTRA_DIST += sdk/doc/walkthrough.md
# The example is installed with the documentation, ready to copy.
helloexampledir = $(docdir)/examples/hello
dist_helloexample_DATA = \
	sdk/examples/hello/README.md \
	sdk/examples/hello/configure.ac \
	sdk/examples/hello/Makefile.am \
	sdk/examples/hello/hello.c
helloexampledomainsdir = $(helloexampledir)/domains
dist_helloexampledomains_DATA = \
	sdk/examples/hello/domains/alpine.xml \
	sdk/examples/hello/domains/debian.xml

# make installcheck: copy the *installed* example to a scratch directory,
# build it against the installed SDK (.pc files, headers, library), install
# it into its own prefix, and run the installed conformance kit on the
# installed plugin. Proves the installed SDK is self-sufficient.
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
		--uri "hello://$$tmp/src/domains"
.PHONY: installcheck-sdk-example
