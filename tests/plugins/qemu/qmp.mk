# tests/plugins/qemu/qmp.mk
