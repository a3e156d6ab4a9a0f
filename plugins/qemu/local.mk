# plugins/qemu/local.mk: the QEMU driver plugin (qemu.so).
#
# The driver needs the QMP/agent clients and the snapshot state machine
# (qmp.mk); until they are in the tree its sources are only distributed.
include plugins/qemu/qmp.mk

qemu_driver_sources = \
	plugins/qemu/qemu-driver.c plugins/qemu/qemu-driver.h \
	plugins/qemu/qemu-domain.c \
	plugins/qemu/qemu-command.c \
	plugins/qemu/qemu-process.c \
	plugins/qemu/qemu-lock.c \
	plugins/qemu/qemu-snapshot.c plugins/qemu/qemu-snapshot.h
EXTRA_DIST += $(qemu_driver_sources)
EXTRA_DIST += docs/qemu-driver.md
