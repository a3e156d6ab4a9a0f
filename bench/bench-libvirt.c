/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * bench/bench-libvirt.c: the anchors of bench-core, measured on libvirt.
 *
 * The same operations as bench-core, on libvirt's test:///default in this
 * process, and `virsh -c test:///default list --all` as a whole process.
 * Prints "key value" lines that bench-core reads and puts beside its own
 * figures; never run on its own in `make bench`. Built only when
 * configure found libvirt (a benchmark-only dependency).
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "bench-common.h"

#define OPEN_RUNS 200
#define BATCHES 5

static void
quiet(void *data, virErrorPtr err)
{
    (void)data, (void)err; /* libvirt prints errors by default */
}

static double
bench_open_ms(void)
{
    double ms[OPEN_RUNS];
    for (int i = 0; i < OPEN_RUNS; i++) {
        int64_t t0 = bench_now_ns();
        virConnectPtr c = virConnectOpen("test:///default");
        int64_t t1 = bench_now_ns();
        if (!c) {
            fprintf(stderr, "bench-libvirt: cannot open test:///default\n");
            exit(1);
        }
        virConnectClose(c);
        ms[i] = (double)(t1 - t0) / 1e6;
    }
    return bench_median(ms, OPEN_RUNS);
}

static double
bench_num_ns(virConnectPtr c, int calls)
{
    double ns[BATCHES];
    for (int b = 0; b < BATCHES; b++) {
        int64_t t0 = bench_now_ns();
        for (int i = 0; i < calls; i++)
            bench_sink(virConnectNumOfDomains(c));
        ns[b] = (double)(bench_now_ns() - t0) / calls;
    }
    return bench_median(ns, BATCHES);
}

static double
bench_state_ns(virDomainPtr dom, int calls)
{
    double ns[BATCHES];
    for (int b = 0; b < BATCHES; b++) {
        int64_t t0 = bench_now_ns();
        for (int i = 0; i < calls; i++) {
            int state, reason;
            bench_sink(virDomainGetState(dom, &state, &reason, 0) + state);
        }
        ns[b] = (double)(bench_now_ns() - t0) / calls;
    }
    return bench_median(ns, BATCHES);
}

static void
bench_virsh(int runs)
{
    const char *virsh = "/usr/bin/virsh";
    if (access(virsh, X_OK) != 0) {
        printf("virsh_note virsh not installed (apt-get install libvirt-clients)\n");
        return;
    }
    const char *const argv[] = {virsh, "-c", "test:///default", "list", "--all", NULL};
    double ms, rss;
    char note[256] = "";
    if (bench_process(argv, NULL, runs, &ms, &rss, note, sizeof(note)) < 0) {
        printf("virsh_note %s\n", note);
        return;
    }
    printf("virsh_ms %.3f\nvirsh_rss_kib %.0f\n", ms, rss);
}

int
main(int argc, char **argv)
{
    int runs = argc > 1 ? (int)strtol(argv[1], NULL, 10) : 30;
    virSetErrorFunc(NULL, quiet);
    printf("open_ms %.4f\n", bench_open_ms());
    virConnectPtr c = virConnectOpen("test:///default");
    virDomainPtr dom = c ? virDomainLookupByName(c, "test") : NULL;
    if (!dom) {
        fprintf(stderr, "bench-libvirt: no domain 'test' on test:///default\n");
        return 1;
    }
    printf("num_ns %.2f\n", bench_num_ns(c, 200000));
    printf("state_ns %.2f\n", bench_state_ns(dom, 100000));
    virDomainFree(dom);
    virConnectClose(c);
    fflush(stdout);
    bench_virsh(runs);
    return 0;
}
