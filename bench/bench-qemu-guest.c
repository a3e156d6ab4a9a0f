/*
 * bench-qemu-guest.c: time from vp_domain_start() to the guest agent's
 * first reply, for the tiny test guest (tests/helpers/guest/) on
 * qemu:///embed, through the public API. The guestinfo call is made right
 * after start with a long agent timeout: the agent client's sync waits in
 * QEMU's chardev until qemu-ga opens its port, so the call returns at the
 * first reply. The anchor (libvirt's 'virsh start' to the first agent
 * reply) needs a running libvirtd and is reported as absent without one.
 */
#include <config.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <virtplug/sdk/alloc.h>
#include <virtplug/virtplug.h>

#include "bench-common.h"
#include "guest/guest.h"

#define RUNS 3

static int
rm_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    return remove(path);
}

/* The guest's disk, so each boot writes to its own copy. */
static int
copy_file(const char *guest, const char *to)
{
    _cleanup_free_ char *from = vp_asprintf("%s/disk.qcow2", guest);
    FILE *in = fopen(from, "rb");
    FILE *out = fopen(to, "wb");
    char buf[65536];
    size_t n;
    int r = in && out ? 0 : -1;
    while (r == 0 && (n = fread(buf, 1, sizeof(buf), in)) > 0)
        r = fwrite(buf, 1, n, out) == n ? 0 : -1;
    if (in)
        fclose(in);
    if (out && fclose(out) != 0)
        r = -1;
    return r;
}

/* One boot: @ret_start_ms for vp_domain_start(), @ret_agent_ms from its
 * call to the first agent reply. */
static int
one_boot(const char *guest, double *ret_start_ms, double *ret_agent_ms)
{
    char root[] = "/tmp/vp-bench-guest-XXXXXX";
    if (!mkdtemp(root))
        return -1;
    _cleanup_free_ char *uri = vp_asprintf("qemu:///embed?root=%s&agent_timeout_ms=60000", root);
    _cleanup_free_ char *disk = vp_asprintf("%s/disk.qcow2", root);
    if (copy_file(guest, disk) < 0)
        return -1;
    _cleanup_free_ char *xml = vp_asprintf(
        "<domain type='kvm'><name>bench</name><memory unit='MiB'>256</memory>"
        "<os><type arch='x86_64' machine='pc'>hvm</type><kernel>%s/vmlinuz</kernel>"
        "<initrd>%s/initramfs.gz</initrd><cmdline>console=ttyS0 quiet panic=-1</cmdline></os>"
        "<devices><disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
        "<source file='%s'/><target dev='vda' bus='virtio'/></disk><channel type='unix'>"
        "<target type='virtio' name='org.qemu.guest_agent.0'/></channel></devices></domain>",
        guest, guest, disk);
    vp_conn *conn = NULL;
    vp_domain *dom = NULL;
    char *info = NULL;
    int r = vp_conn_open(uri, 0, &conn);
    if (r >= 0)
        r = vp_domain_define_xml(conn, xml, 0, &dom);
    int64_t t0 = bench_now_ns();
    if (r >= 0)
        r = vp_domain_start(dom, 0);
    int64_t t1 = bench_now_ns();
    if (r >= 0)
        r = vp_domain_get_guest_info(dom, 0, &info);
    int64_t t2 = bench_now_ns();
    if (r < 0)
        fprintf(stderr, "bench-qemu-guest: %s\n", vp_error_last()->message);
    if (dom) {
        vp_domain_destroy(dom, 0);
        vp_domain_undefine(dom, 0);
    }
    free(info);
    vp_domain_free(dom);
    vp_conn_close(conn);
    nftw(root, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
    *ret_start_ms = (double)(t1 - t0) / 1e6;
    *ret_agent_ms = (double)(t2 - t0) / 1e6;
    return r < 0 ? -1 : 0;
}

int
main(void)
{
    setenv("VP_TOP_SRCDIR", VP_BENCH_SRCDIR, 0);
    setenv("VP_TOP_BUILDDIR", VP_BENCH_BUILDDIR, 0);
    char *guest = NULL;
    int r = vp_test_guest_prepare(&guest);
    if (r != 0) {
        printf("start -> first agent reply: skipped (the test guest cannot be built here)\n");
        return 0;
    }
    double start_ms[RUNS], agent_ms[RUNS];
    for (int i = 0; i < RUNS; i++) {
        if (one_boot(guest, &start_ms[i], &agent_ms[i]) < 0) {
            free(guest);
            return 1;
        }
    }
    printf("tiny guest, %d boots (TCG unless KVM passed the probe), medians:\n", RUNS);
    printf("  vp_domain_start (QEMU up, daemonized)   %8.1f ms\n", bench_median(start_ms, RUNS));
    printf("  vp_domain_start -> first agent reply    %8.1f ms\n", bench_median(agent_ms, RUNS));
    printf("  anchor: virsh start -> first agent reply: n/a (needs a running libvirtd)\n");
    free(guest);
    return 0;
}
