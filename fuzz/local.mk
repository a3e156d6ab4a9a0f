# SPDX-License-Identifier: LGPL-2.1-or-later
# Copyright (C) 2026 The virtplug developers
# fuzz: one libFuzzer target per parser (URI, domain XML, snapshot XML).
#
# ./configure --enable-fuzzing CC=clang && make fuzz [FUZZ_SECONDS=30]
# builds them and runs each for FUZZ_SECONDS on a copy of its seed corpus
# (fuzz/corpus/NAME/) grown in the build tree (fuzz/work/NAME/), so new
# inputs never land in the source tree. A crash leaves its input as
# fuzz/crash-NAME-* in the build dir.
#
# Each target compiles the parser's sources itself with the fuzzer's
# instrumentation instead of linking the (uninstrumented) core library.

fuzz_names = uri domain-xml domain-model snapshot-xml
FUZZ_SECONDS = 30
FUZZ_FLAGS = -max_len=8192 -timeout=10 -rss_limit_mb=1024 -print_final_stats=1

fuzz_cppflags = $(AM_CPPFLAGS) -I$(top_srcdir)/framework $(LIBXML_CFLAGS)
fuzz_cflags = $(AM_CFLAGS) -g -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined
fuzz_ldflags = $(AM_LDFLAGS) -fsanitize=fuzzer,address,undefined
fuzz_ldadd = $(LIBXML_LIBS) $(PTHREAD_LIBS)
# What every parser needs from the core: the error slot and debug output.
fuzz_core_sources = framework/error.c framework/util/debug.c
fuzz_conf_sources = framework/conf/defs.c \
	framework/conf/xml-util.c framework/conf/xml-buf.c framework/conf/uuid.c \
	framework/conf/domain-fields.c framework/conf/domain-def.c framework/conf/domain-subset.c \
	framework/conf/snapshot-conf.c \
	framework/conf/model-compile.c framework/conf/model-schema.c \
	framework/conf/model-schema-devices.c framework/conf/model-node.c \
	framework/conf/model-parse.c framework/conf/model-value.c framework/conf/model-format.c \
	framework/conf/model-rules.c \
	framework/conf/model-caps.c framework/conf/model-caps-format.c framework/conf/model-access.c

fuzz_fuzz_uri_SOURCES = fuzz/fuzz-uri.c framework/uri.c $(fuzz_core_sources)
fuzz_fuzz_uri_CPPFLAGS = $(fuzz_cppflags)
fuzz_fuzz_uri_CFLAGS = $(fuzz_cflags)
fuzz_fuzz_uri_LDFLAGS = $(fuzz_ldflags)
fuzz_fuzz_uri_LDADD = $(fuzz_ldadd)

fuzz_fuzz_domain_xml_SOURCES = fuzz/fuzz-domain-xml.c $(fuzz_conf_sources) $(fuzz_core_sources)
fuzz_fuzz_domain_xml_CPPFLAGS = $(fuzz_cppflags)
fuzz_fuzz_domain_xml_CFLAGS = $(fuzz_cflags)
fuzz_fuzz_domain_xml_LDFLAGS = $(fuzz_ldflags)
fuzz_fuzz_domain_xml_LDADD = $(fuzz_ldadd)

# The declared model (framework/conf/model-*.c), on the domain-xml seeds.
fuzz_fuzz_domain_model_SOURCES = fuzz/fuzz-domain-model.c $(fuzz_conf_sources) \
	$(fuzz_core_sources)
fuzz_fuzz_domain_model_CPPFLAGS = $(fuzz_cppflags)
fuzz_fuzz_domain_model_CFLAGS = $(fuzz_cflags)
fuzz_fuzz_domain_model_LDFLAGS = $(fuzz_ldflags)
fuzz_fuzz_domain_model_LDADD = $(fuzz_ldadd)

fuzz_fuzz_snapshot_xml_SOURCES = fuzz/fuzz-snapshot-xml.c $(fuzz_conf_sources) $(fuzz_core_sources)
fuzz_fuzz_snapshot_xml_CPPFLAGS = $(fuzz_cppflags)
fuzz_fuzz_snapshot_xml_CFLAGS = $(fuzz_cflags)
fuzz_fuzz_snapshot_xml_LDFLAGS = $(fuzz_ldflags)
fuzz_fuzz_snapshot_xml_LDADD = $(fuzz_ldadd)

# Shipped whether or not fuzzing is enabled, so a tarball can fuzz too.
EXTRA_DIST += fuzz/fuzz-uri.c fuzz/fuzz-domain-xml.c fuzz/fuzz-domain-model.c fuzz/fuzz-snapshot-xml.c \
	fuzz/xml.dict fuzz/uri.dict fuzz/corpus

if ENABLE_FUZZING
noinst_PROGRAMS += fuzz/fuzz-uri fuzz/fuzz-domain-xml fuzz/fuzz-domain-model fuzz/fuzz-snapshot-xml
fuzz_programs += fuzz/fuzz-uri fuzz/fuzz-domain-xml fuzz/fuzz-domain-model fuzz/fuzz-snapshot-xml
fuzz_targets += fuzz-run

fuzz-run: fuzz/fuzz-uri fuzz/fuzz-domain-xml fuzz/fuzz-domain-model fuzz/fuzz-snapshot-xml
	@set -e; for n in $(fuzz_names); do \
		case $$n in uri) dict=uri.dict ;; *) dict=xml.dict ;; esac; \
		seeds=$$n; [ $$n != domain-model ] || seeds=domain-xml; \
		mkdir -p fuzz/work/$$n; \
		echo "== fuzz-$$n for $(FUZZ_SECONDS) s"; \
		( cd fuzz && ./fuzz-$$n $(FUZZ_FLAGS) -max_total_time=$(FUZZ_SECONDS) \
			-dict=$(abs_top_srcdir)/fuzz/$$dict -artifact_prefix=crash-$$n- \
			work/$$n $(abs_top_srcdir)/fuzz/corpus/$$seeds ); \
	done
else
fuzz_targets += fuzz-disabled

fuzz-disabled:
	@echo "fuzzing is not enabled: run ./configure --enable-fuzzing CC=clang" >&2; exit 1
endif

# fuzz/work/ keeps what the fuzzers learned between runs; remove it by hand.
CLEANFILES += fuzz/crash-*

.PHONY: fuzz-run fuzz-disabled fuzz-qemu-run

# The QEMU plugin's QMP and agent clients.
include fuzz/qmp.mk
# The SDK's key=value records.
include fuzz/kv.mk
include fuzz/remote.mk
