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
endif
endif
