# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# plugins/remote/local.mk: the remote plugin (remote.so), which serves
# DRIVER+ssh:// URIs by forwarding every slot over OpenSSH to
# virtplug-ssh-helper (tools/ssh-helper/). The frame codec is compiled
# into both ends from the same source; it needs json-c.
remote_proto_sources = plugins/remote/remote-proto.c plugins/remote/remote-proto.h \
	plugins/remote/remote-ops.c plugins/remote/remote-base64.c
# What both ends need beyond the frames: statistics as text, and consoles
# as streams of frames.
remote_stream_sources = plugins/remote/remote-params.c \
	plugins/remote/remote-stream.c plugins/remote/remote-stream.h
remote_argv_sources = plugins/remote/remote-argv.c plugins/remote/remote-argv.h
remote_plugin_sources = \
	plugins/remote/remote-driver.c \
	plugins/remote/remote-hostpower.c plugins/remote/remote-hostpower.h \
	plugins/remote/remote-call.c plugins/remote/remote-call.h plugins/remote/remote-save.c \
	plugins/remote/remote-conn.c plugins/remote/remote-conn.h \
	plugins/remote/remote-conn-priv.h plugins/remote/remote-conn-stream.c \
	plugins/remote/remote-conn-send.c \
	plugins/remote/remote-events.c plugins/remote/remote-events.h \
	plugins/remote/remote-ssh.c plugins/remote/remote-ssh.h \
	$(remote_argv_sources) $(remote_proto_sources) $(remote_stream_sources)

if WITH_REMOTE
plugin_LTLIBRARIES += plugins/remote.la
plugins_remote_la_SOURCES = $(remote_plugin_sources)
plugins_remote_la_CPPFLAGS = $(AM_CPPFLAGS) $(JSONC_CFLAGS)
plugins_remote_la_LDFLAGS = $(AM_LDFLAGS) $(VP_PLUGIN_LINK)
plugins_remote_la_LIBADD = framework/libvirtplug.la $(JSONC_LIBS) $(PTHREAD_LIBS)
else
EXTRA_DIST += $(remote_plugin_sources)
endif
EXTRA_DIST += docs/remote-protocol.md
