# tests/plugins/qemu/local.mk: tests of the QEMU driver against real QEMU.
# Built once the driver is (see plugins/qemu/local.mk).
include tests/plugins/qemu/qmp.mk

EXTRA_DIST += tests/helpers/guest/build-guest.sh tests/helpers/guest/init \
	tests/helpers/guest/guest.c tests/helpers/guest/guest.h \
	tests/plugins/qemu/qemu-test-util.c tests/plugins/qemu/qemu-test-util.h \
	tests/plugins/qemu/test-qemu-driver.c tests/plugins/qemu/test-qemu-guest.c
