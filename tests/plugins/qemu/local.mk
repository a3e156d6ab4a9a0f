# tests/plugins/qemu/local.mk: tests of the QEMU driver.
#
# test-qemu-command checks the command line built from domain XML. The
# real-QEMU tests (test-qemu-driver, -snapshot, -guest) are built with the
# driver (see plugins/qemu/local.mk); until then they are only distributed.
include tests/plugins/qemu/qmp.mk

EXTRA_DIST += tests/helpers/guest/build-guest.sh tests/helpers/guest/init \
	tests/helpers/guest/guest.c tests/helpers/guest/guest.h \
	tests/plugins/qemu/qemu-test-util.c tests/plugins/qemu/qemu-test-util.h \
	tests/plugins/qemu/test-qemu-driver.c tests/plugins/qemu/test-qemu-snapshot.c \
	tests/plugins/qemu/test-qemu-guest.c

if WITH_QEMU
if HAVE_CMOCKA
check_PROGRAMS += tests/plugins/qemu/test-qemu-command
TESTS += tests/plugins/qemu/test-qemu-command

# The command line builder, compiled into its test (the plugin exports
# nothing but its descriptor).
tests_plugins_qemu_test_qemu_command_SOURCES = tests/plugins/qemu/test-qemu-command.c \
	plugins/qemu/qemu-command.c
tests_plugins_qemu_test_qemu_command_CPPFLAGS = $(vp_test_cppflags) \
	-I$(top_srcdir)/plugins/qemu $(JSONC_CFLAGS)
tests_plugins_qemu_test_qemu_command_LDADD = $(vp_test_ldadd)
endif
endif
