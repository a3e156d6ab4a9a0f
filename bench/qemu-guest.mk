# bench/qemu-guest.mk: vp_domain_start to the first guest-agent reply for
# the tiny test guest (built once per build tree, as for the tests).
if WITH_QEMU
EXTRA_PROGRAMS += bench/bench-qemu-guest
bench_programs += bench/bench-qemu-guest$(EXEEXT)
bench_bench_qemu_guest_SOURCES = bench/bench-qemu-guest.c bench/bench-common.c \
	bench/bench-common.h tests/helpers/guest/guest.c tests/helpers/guest/guest.h
bench_bench_qemu_guest_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/helpers \
	-DVP_BENCH_SRCDIR='"$(abs_top_srcdir)"' -DVP_BENCH_BUILDDIR='"$(abs_top_builddir)"'
bench_bench_qemu_guest_LDADD = framework/libvirtplug.la
bench_bench_qemu_guest_LDFLAGS = $(AM_LDFLAGS) -no-install
else
EXTRA_DIST += bench/bench-qemu-guest.c
endif
