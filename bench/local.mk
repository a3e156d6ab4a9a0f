# bench/local.mk: each part's benchmarks
include bench/core.mk
include bench/node-suspend.mk
include bench/qmp.mk
include bench/qemu.mk
