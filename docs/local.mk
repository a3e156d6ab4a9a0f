# docs: the man pages.
dist_man_MANS += docs/vpsh.1

# Design notes shipped in the tarball (each part's own notes are listed in
# its local.mk).
# (domain-xml.md and qemu-clients.md are installed below.)
# virsh-compat.md: the 66 virsh verbs and ten one-liners vpsh is compared on.
EXTRA_DIST += docs/virsh-compat.md

# The API reference, made at build time from the installed headers' doc
# comments by docs/apidoc (never installed): one section-3 page per family
# of functions, one page per function that sources it ("man
# vp_domain_start"), and api.html. The library's pages are libvirtplug-*.3
# and vp_*.3, the plugin SDK's virtplug-sdk-*.3 and vp_plugin_*.3, so
# packages split them by name. A public function without a doc comment
# of its own fails the build (and tests/docs/test-apidoc.sh). Installed
# with the documents for programs that link the library under $(libdocdir)
# ($(docdir) unless the packaging splits them).
noinst_PROGRAMS += docs/apidoc
docs_apidoc_SOURCES = docs/apidoc.c
apidoc_headers = \
	$(top_srcdir)/framework/include/virtplug/virtplug.h \
	$(top_srcdir)/framework/include/virtplug/virtplug-snapshots.h \
	$(top_srcdir)/framework/include/virtplug/virtplug-host-power.h \
	$(top_srcdir)/framework/include/virtplug/virtplug-plugins.h \
	$(top_srcdir)/framework/include/virtplug/virtplug-guest-agent.h \
	$(top_srcdir)/framework/include/virtplug/virtplug-identity.h \
	$(top_srcdir)/framework/include/virtplug/virtplug-jobs.h \
	$(top_srcdir)/framework/include/virtplug/virtplug-runtime-data.h \
	$(top_srcdir)/framework/include/virtplug/virtplug-domain-events.h \
	$(top_srcdir)/framework/include/virtplug/virtplug-guest-clocks.h \
	$(top_srcdir)/framework/include/virtplug/virtplug-consoles.h \
	$(top_srcdir)/framework/include/virtplug/virtplug-stats.h \
	$(top_srcdir)/framework/include/virtplug/virtplug-lifecycle.h \
	$(top_srcdir)/framework/include/virtplug/virtplug-save.h \
	$(top_srcdir)/sdk/include/virtplug/sdk/alloc.h \
	$(top_srcdir)/sdk/include/virtplug/sdk/conf.h \
	$(top_srcdir)/sdk/include/virtplug/sdk/driver.h \
	$(top_srcdir)/sdk/include/virtplug/sdk/host.h \
	$(top_srcdir)/sdk/include/virtplug/sdk/plugin.h \
	$(top_srcdir)/sdk/include/virtplug/sdk/services.h \
	$(top_srcdir)/sdk/include/virtplug/sdk/stats.h
# The pages' date: SOURCE_DATE_EPOCH for reproducible builds, else the
# public header's modification time; never the build's clock.
apidoc_date = $$(date -u -d "@$${SOURCE_DATE_EPOCH:-$$(stat -c %Y $(top_srcdir)/framework/include/virtplug/virtplug.h)}" +%Y-%m-%d)

docs/apidoc.stamp: docs/apidoc$(EXEEXT) $(apidoc_headers)
	$(AM_V_GEN)rm -rf docs/man3 && $(MKDIR_P) docs/man3 && \
	docs/apidoc$(EXEEXT) --man docs/man3 --html docs/api.html --version '$(VERSION)' \
		--date "$(apidoc_date)" $(apidoc_headers) && touch $@
all-local: docs/apidoc.stamp

libdocdir = $(docdir)
apidoc_man3dir = $(mandir)/man3
dist_libdoc_DATA = docs/design.md docs/domain-xml.md docs/qemu-driver.md docs/test-driver.md \
	docs/qemu-clients.md docs/hostpower.md docs/events.md
install-data-local: docs/apidoc.stamp
	$(MKDIR_P) '$(DESTDIR)$(apidoc_man3dir)' '$(DESTDIR)$(libdocdir)'
	for f in `cat docs/man3/pages.list`; do \
		$(INSTALL_DATA) "docs/man3/$$f" '$(DESTDIR)$(apidoc_man3dir)/'"$$f" || exit 1; \
	done
	$(INSTALL_DATA) docs/api.html '$(DESTDIR)$(libdocdir)/api.html'
uninstall-local:
	if test -f docs/man3/pages.list; then \
		for f in `cat docs/man3/pages.list`; do rm -f '$(DESTDIR)$(apidoc_man3dir)/'"$$f"; done; \
	fi
	rm -f '$(DESTDIR)$(libdocdir)/api.html'
clean-local:
	rm -rf docs/man3 docs/api.html docs/apidoc.stamp

TESTS += tests/docs/test-apidoc.sh
EXTRA_DIST += tests/docs/test-apidoc.sh tests/docs/undocumented.h
