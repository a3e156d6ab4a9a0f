/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * bench/bench-caps.c: parse + validate + format of a typical domain.
 *
 * The domain virt-install writes for a desktop guest (bench/data/
 * virt-install.xml: 29 devices) defined and read back per call, on
 * virtplug's test:///default (vp_domain_define_xml + vp_domain_get_xml:
 * the whole model parsed, checked against the driver's capabilities and
 * formatted) beside libvirt's virDomainDefineXML + virDomainGetXMLDesc on
 * its test:///default, in the same process and run, batch by batch in
 * turn. Prints one table row; the target is virtplug at least 3x faster.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>

#include <virtplug/sdk/services.h>
#include <virtplug/virtplug.h>

#ifdef VP_BENCH_HAVE_LIBVIRT
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#endif

#include "bench-common.h"

/* Batches alternate between the two sides, so that a change of load on a
 * shared machine falls on both; each side's figure is its median batch. */
#define CALLS 200
#define BATCHES 15

static char *
read_domain(void)
{
    char *xml = NULL;
    size_t len = 0;
    if (vp_plugin_file_read(VP_BENCH_SRCDIR "/bench/data/virt-install.xml", 1 << 20, &xml, &len) <
        0) {
        fprintf(stderr, "bench-caps: %s\n", vp_error_last()->message);
        exit(1);
    }
    return xml;
}

/* One batch of CALLS define + get-xml on @c: microseconds per call. */
static double
batch_virtplug_us(vp_conn *c, const char *xml)
{
    int64_t t0 = bench_now_ns();
    for (int i = 0; i < CALLS; i++) {
        vp_domain *d = NULL;
        char *out = NULL;
        if (vp_domain_define_xml(c, xml, 0, &d) < 0 || vp_domain_get_xml(d, 0, &out) < 0) {
            fprintf(stderr, "bench-caps: %s\n", vp_error_last()->message);
            exit(1);
        }
        free(out);
        vp_domain_free(d);
    }
    return (double)(bench_now_ns() - t0) / CALLS / 1e3;
}

#ifdef VP_BENCH_HAVE_LIBVIRT
static void
quiet(void *data, virErrorPtr err)
{
    (void)data, (void)err;
}

/* The same batch on libvirt's test driver; -1 when it fails. */
static double
batch_libvirt_us(virConnectPtr c, const char *xml)
{
    int64_t t0 = bench_now_ns();
    for (int i = 0; i < CALLS; i++) {
        virDomainPtr d = virDomainDefineXML(c, xml);
        char *out = d ? virDomainGetXMLDesc(d, 0) : NULL;
        if (d)
            virDomainFree(d);
        if (!out)
            return -1;
        free(out);
    }
    return (double)(bench_now_ns() - t0) / CALLS / 1e3;
}
#endif

int
main(void)
{
    char *xml = read_domain();
    vp_conn *c = NULL;
    if (vp_conn_open("test:///default", 0, &c) < 0) {
        fprintf(stderr, "bench-caps: %s\n", vp_error_last()->message);
        exit(1);
    }
#ifdef VP_BENCH_HAVE_LIBVIRT
    virSetErrorFunc(NULL, quiet);
    virConnectPtr lc = virConnectOpen("test:///default");
#endif
    double mine_us[BATCHES], anchor_us[BATCHES];
    size_t n_anchor = 0;
    for (int b = 0; b < BATCHES; b++) {
        mine_us[b] = batch_virtplug_us(c, xml);
#ifdef VP_BENCH_HAVE_LIBVIRT
        double a = lc ? batch_libvirt_us(lc, xml) : -1;
        if (a > 0)
            anchor_us[n_anchor++] = a;
#endif
    }
    vp_conn_close(c);
#ifdef VP_BENCH_HAVE_LIBVIRT
    if (lc)
        virConnectClose(lc);
#endif
    double mine = bench_median(mine_us, BATCHES);
    /* A side that failed in any batch has no figure. */
    double anchor = n_anchor == BATCHES ? bench_median(anchor_us, n_anchor) : -1;
    char anc[64] = "n/a (configure did not find libvirt)";
    if (anchor > 0)
        snprintf(anc, sizeof(anc), "%.1f us (%.1fx)", anchor, anchor / mine);
    printf("| %-52s | %-10s | %-24s | %-8s | %-4s |\n", "figure", "virtplug",
           "libvirt 9 (same run)", "target", "met");
    printf("| %-52s | %7.1f us | %-24s | %-8s | %-4s |\n",
           "define + get-xml, virt-install domain (29 devices)", mine, anc, ">= 3x",
           anchor <= 0          ? "n/a"
           : anchor / mine >= 3 ? "yes"
                                : "no");
    free(xml);
    return 0;
}
