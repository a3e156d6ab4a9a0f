# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# fuzz/remote.mk: libFuzzer targets for the remote plugin: the frame
# decoder both ends run on what the other sends, and the step from a
# DRIVER+ssh:// URI to ssh's argv and the far shell's command line.
if ENABLE_FUZZING
if WITH_REMOTE
remote_fuzz_cppflags = $(AM_CPPFLAGS) -I$(top_srcdir)/framework -I$(top_srcdir)/plugins/remote \
	$(JSONC_CFLAGS)
remote_fuzz_cflags = $(fuzz_cflags) -fno-sanitize-recover=undefined

noinst_PROGRAMS += fuzz/fuzz-remote-frame fuzz/fuzz-remote-argv
fuzz_programs += fuzz/fuzz-remote-frame fuzz/fuzz-remote-argv
fuzz_fuzz_remote_frame_SOURCES = fuzz/fuzz-remote-frame.c $(remote_proto_sources) \
	$(fuzz_core_sources)
fuzz_fuzz_remote_frame_CPPFLAGS = $(remote_fuzz_cppflags)
fuzz_fuzz_remote_frame_CFLAGS = $(remote_fuzz_cflags)
fuzz_fuzz_remote_frame_LDFLAGS = $(fuzz_ldflags)
fuzz_fuzz_remote_frame_LDADD = $(JSONC_LIBS) $(PTHREAD_LIBS)
fuzz_fuzz_remote_argv_SOURCES = fuzz/fuzz-remote-argv.c $(remote_argv_sources) framework/uri.c \
	$(fuzz_core_sources)
fuzz_fuzz_remote_argv_CPPFLAGS = $(remote_fuzz_cppflags)
fuzz_fuzz_remote_argv_CFLAGS = $(remote_fuzz_cflags)
fuzz_fuzz_remote_argv_LDFLAGS = $(fuzz_ldflags)
fuzz_fuzz_remote_argv_LDADD = $(PTHREAD_LIBS)

fuzz_targets += fuzz-remote-run
fuzz-remote-run: fuzz/fuzz-remote-frame fuzz/fuzz-remote-argv fuzz-run
	@set -e; for n in remote-frame remote-argv; do \
		mkdir -p fuzz/work/$$n; \
		echo "== fuzz-$$n for $(FUZZ_SECONDS) s"; \
		( cd fuzz && ./fuzz-$$n $(FUZZ_FLAGS) -max_total_time=$(FUZZ_SECONDS) \
			-dict=$(abs_top_srcdir)/fuzz/$$n.dict -artifact_prefix=crash-$$n- \
			work/$$n $(abs_top_srcdir)/fuzz/corpus/$$n ); \
	done
endif
endif
EXTRA_DIST += fuzz/fuzz-remote-frame.c fuzz/fuzz-remote-argv.c fuzz/remote-frame.dict \
	fuzz/remote-argv.dict
