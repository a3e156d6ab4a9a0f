# fuzz: one libFuzzer target per parser; each part has its own .mk.
include fuzz/qmp.mk
