# tests/plugins/qemu/local.mk
include tests/plugins/qemu/qmp.mk
