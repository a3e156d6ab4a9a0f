# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# tools/ssh-helper: virtplug-ssh-helper, the far end of DRIVER+ssh://
# connections. Installed beside vpsh (in $(bindir), so that ssh finds it on
# the far host's PATH by its name alone) and shipped in the vpsh package.
if WITH_REMOTE
bin_PROGRAMS += tools/ssh-helper/virtplug-ssh-helper
tools_ssh_helper_virtplug_ssh_helper_SOURCES = tools/ssh-helper/ssh-helper.c \
	tools/ssh-helper/helper-ops.c tools/ssh-helper/helper-ops.h \
	$(remote_proto_sources) $(remote_stream_sources)
tools_ssh_helper_virtplug_ssh_helper_CPPFLAGS = $(AM_CPPFLAGS) $(JSONC_CFLAGS) \
	-I$(top_srcdir)/plugins/remote
tools_ssh_helper_virtplug_ssh_helper_LDADD = framework/libvirtplug.la $(JSONC_LIBS) \
	$(PTHREAD_LIBS)
dist_man_MANS += docs/virtplug-ssh-helper.1
else
EXTRA_DIST += tools/ssh-helper/ssh-helper.c tools/ssh-helper/helper-ops.c \
	tools/ssh-helper/helper-ops.h docs/virtplug-ssh-helper.1
endif
