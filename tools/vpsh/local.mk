# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# tools/vpsh: the command-line client. It links libvirtplug and, when
# configure found it, libedit (BSD) for the shell's line editing; nothing
# else, so a whole run stays within a few milliseconds.
bin_PROGRAMS += tools/vpsh/vpsh

tools_vpsh_vpsh_SOURCES = \
	tools/vpsh/vpsh.h \
	tools/vpsh/vpsh.c \
	tools/vpsh/run.c \
	tools/vpsh/shell.c \
	tools/vpsh/help.c \
	tools/vpsh/args.c \
	tools/vpsh/format.c \
	tools/vpsh/json-writer.c \
	tools/vpsh/json-flatten.c \
	tools/vpsh/cmd-domain.c \
	tools/vpsh/cmd-edit.c \
	tools/vpsh/cmd-save.c \
	tools/vpsh/cmd-save-image.c \
	tools/vpsh/cmd-console.c \
	tools/vpsh/cmd-lifecycle.c \
	tools/vpsh/cmd-devices.c tools/vpsh/cmd-media.c \
	tools/vpsh/cmd-agent.c \
	tools/vpsh/cmd-guest-fs.c \
	tools/vpsh/xml-devices.c \
	tools/vpsh/xml-print.c \
	tools/vpsh/cmd-resources.c \
	tools/vpsh/cmd-list.c \
	tools/vpsh/cmd-event.c \
	tools/vpsh/cmd-snapshot.c \
	tools/vpsh/cmd-snapshot-change.c \
	tools/vpsh/cmd-node.c \
	tools/vpsh/cmd-stats.c \
	tools/vpsh/cmd-devinfo.c \
	tools/vpsh/cmd-plugin.c \
	tools/vpsh/cmd-misc.c
tools_vpsh_vpsh_CPPFLAGS = $(AM_CPPFLAGS) -DVP_BINDIR='"$(bindir)"'
tools_vpsh_vpsh_CFLAGS = $(AM_CFLAGS) $(LIBEDIT_CFLAGS)
tools_vpsh_vpsh_LDADD = framework/libvirtplug.la $(LIBEDIT_LIBS)
EXTRA_DIST += scripts/demo.sh

# The boot unit that starts the domains marked autostart: what libvirt's
# daemon does when it starts, run once at boot (no daemon here). Built
# always (its test runs the command it holds), installed where configure
# found systemd's unit directory.
tools/vpsh/virtplug-autostart.service: tools/vpsh/virtplug-autostart.service.in Makefile
	$(AM_V_GEN)$(MKDIR_P) tools/vpsh && \
	sed -e 's|@bindir[@]|$(bindir)|g' $(srcdir)/tools/vpsh/virtplug-autostart.service.in >$@.tmp && \
	mv $@.tmp $@
noinst_DATA += tools/vpsh/virtplug-autostart.service
CLEANFILES += tools/vpsh/virtplug-autostart.service
EXTRA_DIST += tools/vpsh/virtplug-autostart.service.in
if HAVE_SYSTEMD_UNITDIR
systemdsystemunit_DATA = tools/vpsh/virtplug-autostart.service
endif
