# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# fuzz/qmp.mk: libFuzzer targets for the QEMU plugin's QMP and agent clients
# (./configure CC=clang --enable-fuzzing; make fuzz; ./fuzz/fuzz-qmp).
if ENABLE_FUZZING
if WITH_QEMU
# The client sources and what they need from the core (the error slot and
# debug output) are compiled into each target, instrumented and sanitized
# like the parser targets (fuzz/local.mk), instead of linking the
# uninstrumented libvirtplug.la. UBSan stops at the first report, so
# undefined behaviour counts as a crash instead of a line in the log.
# The agent client takes the lock of a FIFO pair (framework/util/lock.c).
qemu_fuzz_sources = $(qemu_client_sources) $(fuzz_core_sources) framework/util/lock.c \
	framework/util/clock.c
qemu_fuzz_cppflags = $(AM_CPPFLAGS) -I$(top_srcdir)/framework -I$(top_srcdir)/plugins/qemu \
	$(JSONC_CFLAGS)
qemu_fuzz_cflags = $(fuzz_cflags) -fno-sanitize-recover=undefined
qemu_fuzz_ldadd = $(JSONC_LIBS) $(PTHREAD_LIBS)

noinst_PROGRAMS += fuzz/fuzz-qmp
fuzz_programs += fuzz/fuzz-qmp
fuzz_fuzz_qmp_SOURCES = fuzz/fuzz-qmp.c $(qemu_fuzz_sources)
fuzz_fuzz_qmp_CPPFLAGS = $(qemu_fuzz_cppflags)
fuzz_fuzz_qmp_CFLAGS = $(qemu_fuzz_cflags)
fuzz_fuzz_qmp_LDFLAGS = $(fuzz_ldflags)
fuzz_fuzz_qmp_LDADD = $(qemu_fuzz_ldadd)

noinst_PROGRAMS += fuzz/fuzz-qemu-agent
fuzz_programs += fuzz/fuzz-qemu-agent
fuzz_fuzz_qemu_agent_SOURCES = fuzz/fuzz-qemu-agent.c $(qemu_fuzz_sources)
fuzz_fuzz_qemu_agent_CPPFLAGS = $(qemu_fuzz_cppflags)
fuzz_fuzz_qemu_agent_CFLAGS = $(qemu_fuzz_cflags)
fuzz_fuzz_qemu_agent_LDFLAGS = $(fuzz_ldflags)
fuzz_fuzz_qemu_agent_LDADD = $(qemu_fuzz_ldadd)

# The events-log classifier (plugins/qemu/qemu-events-classify.c): the
# bytes QEMU appended to a domain's events log, untrusted, decide whether
# a list asks QEMU.
noinst_PROGRAMS += fuzz/fuzz-events-log
fuzz_programs += fuzz/fuzz-events-log
fuzz_fuzz_events_log_SOURCES = fuzz/fuzz-events-log.c $(qemu_fuzz_sources)
fuzz_fuzz_events_log_CPPFLAGS = $(qemu_fuzz_cppflags)
fuzz_fuzz_events_log_CFLAGS = $(qemu_fuzz_cflags)
fuzz_fuzz_events_log_LDFLAGS = $(fuzz_ldflags)
fuzz_fuzz_events_log_LDADD = $(qemu_fuzz_ldadd)

# The qcow2 header parser of the backing-chain walker (plugins/qemu/
# qemu-chain.c), compiled in with the error slot, sanitized the same way
# (fuzzer, address, undefined in $(fuzz_cflags) and $(fuzz_ldflags)).
noinst_PROGRAMS += fuzz/fuzz-qcow2
fuzz_programs += fuzz/fuzz-qcow2
fuzz_fuzz_qcow2_SOURCES = fuzz/fuzz-qcow2.c plugins/qemu/qemu-chain.c plugins/qemu/qemu-chain.h \
	$(fuzz_core_sources)
fuzz_fuzz_qcow2_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/framework -I$(top_srcdir)/plugins/qemu
fuzz_fuzz_qcow2_CFLAGS = $(fuzz_cflags) -fno-sanitize-recover=undefined
fuzz_fuzz_qcow2_LDFLAGS = $(fuzz_ldflags)
fuzz_fuzz_qcow2_LDADD = $(PTHREAD_LIBS)

# Run by make fuzz after the parser targets; they keep what they learn in
# fuzz/work/, starting from fuzz/corpus/NAME/ where there is one, with
# fuzz/NAME.dict where there is one. QMP replies are long (query-block of
# a 30-image chain is 15 KB), so fuzz-qmp takes inputs up to 32 KiB.
fuzz_targets += fuzz-qemu-run
fuzz-qemu-run: fuzz/fuzz-qmp fuzz/fuzz-qemu-agent fuzz/fuzz-qcow2 fuzz/fuzz-events-log fuzz-run
	@set -e; for n in qmp qemu-agent qcow2 events-log; do \
		mkdir -p fuzz/work/$$n; \
		seeds=; test ! -d $(abs_top_srcdir)/fuzz/corpus/$$n || \
			seeds=$(abs_top_srcdir)/fuzz/corpus/$$n; \
		dict=; test ! -f $(abs_top_srcdir)/fuzz/$$n.dict || \
			dict=-dict=$(abs_top_srcdir)/fuzz/$$n.dict; \
		len=; test $$n != qmp || len=-max_len=32768; \
		test $$n != events-log || len=-max_len=70000; \
		echo "== fuzz-$$n for $(FUZZ_SECONDS) s"; \
		( cd fuzz && ./fuzz-$$n $(FUZZ_FLAGS) $$len -max_total_time=$(FUZZ_SECONDS) \
			$$dict -artifact_prefix=crash-$$n- work/$$n $$seeds ); \
	done
endif
endif

# The seeds are shipped with fuzz/corpus (fuzz/local.mk).
EXTRA_DIST += fuzz/qmp.dict fuzz/qemu-agent.dict fuzz/events-log.dict
