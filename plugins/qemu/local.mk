# plugins/qemu/local.mk: the QEMU driver plugin
include plugins/qemu/qmp.mk
