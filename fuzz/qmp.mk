# fuzz/qmp.mk: libFuzzer targets for the QEMU plugin's QMP and agent clients
# (./configure CC=clang --enable-fuzzing; make fuzz; ./fuzz/fuzz-qmp).
if ENABLE_FUZZING
if WITH_QEMU
noinst_PROGRAMS += fuzz/fuzz-qmp
fuzz_programs += fuzz/fuzz-qmp
# The client sources are compiled into the target so they are instrumented.
fuzz_fuzz_qmp_SOURCES = fuzz/fuzz-qmp.c $(qemu_client_sources)
fuzz_fuzz_qmp_CPPFLAGS = $(AM_CPPFLAGS) $(JSONC_CFLAGS) -I$(top_srcdir)/plugins/qemu
fuzz_fuzz_qmp_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
fuzz_fuzz_qmp_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
fuzz_fuzz_qmp_LDADD = framework/libvirtplug.la $(JSONC_LIBS)

noinst_PROGRAMS += fuzz/fuzz-qemu-agent
fuzz_programs += fuzz/fuzz-qemu-agent
fuzz_fuzz_qemu_agent_SOURCES = fuzz/fuzz-qemu-agent.c $(qemu_client_sources)
fuzz_fuzz_qemu_agent_CPPFLAGS = $(AM_CPPFLAGS) $(JSONC_CFLAGS) -I$(top_srcdir)/plugins/qemu
fuzz_fuzz_qemu_agent_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
fuzz_fuzz_qemu_agent_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
fuzz_fuzz_qemu_agent_LDADD = framework/libvirtplug.la $(JSONC_LIBS) $(PTHREAD_LIBS)

# Run by make fuzz after the parser targets; they start from an empty
# corpus and keep what they learn in fuzz/work/.
fuzz_targets += fuzz-qemu-run
fuzz-qemu-run: fuzz/fuzz-qmp fuzz/fuzz-qemu-agent fuzz-run
	@set -e; for n in qmp qemu-agent; do \
		mkdir -p fuzz/work/$$n; \
		echo "== fuzz-$$n for $(FUZZ_SECONDS) s"; \
		( cd fuzz && ./fuzz-$$n $(FUZZ_FLAGS) -max_total_time=$(FUZZ_SECONDS) \
			-artifact_prefix=crash-$$n- work/$$n ); \
	done
endif
endif
