# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# fuzz/kv.mk: the libFuzzer target of the key=value records of the SDK
# (framework/util/kv-file.c), compiled with the fuzzer's instrumentation
# as the parser targets are (fuzz/local.mk); `make fuzz-kv-run` runs it.
EXTRA_DIST += fuzz/fuzz-kv.c
if ENABLE_FUZZING
noinst_PROGRAMS += fuzz/fuzz-kv
fuzz_programs += fuzz/fuzz-kv
fuzz_targets += fuzz-kv-run
fuzz_fuzz_kv_SOURCES = fuzz/fuzz-kv.c framework/util/kv-file.c framework/util/file.c \
	$(fuzz_core_sources)
fuzz_fuzz_kv_CPPFLAGS = $(fuzz_cppflags)
fuzz_fuzz_kv_CFLAGS = $(fuzz_cflags) -fno-sanitize-recover=undefined
fuzz_fuzz_kv_LDFLAGS = $(fuzz_ldflags)
fuzz_fuzz_kv_LDADD = $(fuzz_ldadd)

fuzz-kv-run: fuzz/fuzz-kv
	@mkdir -p fuzz/work/kv
	@echo "== fuzz-kv for $(FUZZ_SECONDS) s"
	cd fuzz && ./fuzz-kv $(FUZZ_FLAGS) -max_total_time=$(FUZZ_SECONDS) -artifact_prefix=crash-kv- \
		work/kv $(abs_top_srcdir)/fuzz/corpus/kv
endif
.PHONY: fuzz-kv-run
