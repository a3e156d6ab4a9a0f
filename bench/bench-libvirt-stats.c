/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * bench-libvirt-stats.c: libvirt's side of the statistics figure, run by
 * bench-stats as the unprivileged user of the libvirtd it started
 * (qemu:///session, so the host's own libvirtd is never touched): create
 * COUNT transient domains from the XML on stdin (NAME in it becomes
 * s0, s1, ...) paused, time virConnectGetAllDomainStats over them RUNS
 * times, destroy them, and print the median and the records per call.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libvirt/libvirt.h>

#include "bench-common.h"

#define XML_MAX 8192

static char *
domain_xml(const char *tmpl, int i)
{
    const char *at = strstr(tmpl, "NAME");
    if (!at)
        return NULL;
    size_t n = strlen(tmpl) + 16;
    char *xml = malloc(n);
    if (xml)
        snprintf(xml, n, "%.*ss%d%s", (int)(at - tmpl), tmpl, i, at + 4);
    return xml;
}

int
main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: bench-libvirt-stats COUNT RUNS < domain.xml\n");
        return 2;
    }
    int count = (int)strtol(argv[1], NULL, 10), runs = (int)strtol(argv[2], NULL, 10);
    static char tmpl[XML_MAX];
    size_t len = fread(tmpl, 1, sizeof(tmpl) - 1, stdin);
    tmpl[len] = '\0';
    virConnectPtr conn = virConnectOpen("qemu:///session");
    if (!conn)
        return 1;
    virDomainPtr *doms = calloc((size_t)count, sizeof(*doms));
    int status = 0, made = 0;
    for (; made < count; made++) {
        char *xml = domain_xml(tmpl, made);
        doms[made] = xml ? virDomainCreateXML(conn, xml, VIR_DOMAIN_START_PAUSED) : NULL;
        free(xml);
        if (!doms[made]) {
            status = 1;
            break;
        }
    }
    double *ms = calloc((size_t)runs + 1, sizeof(double));
    int records = 0;
    for (int r = 0; status == 0 && r <= runs; r++) { /* the first call warms up */
        virDomainStatsRecordPtr *recs = NULL;
        int64_t t0 = bench_now_ns();
        int n =
            virConnectGetAllDomainStats(conn, 0, &recs, VIR_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE);
        int64_t t1 = bench_now_ns();
        if (n < 0)
            status = 1;
        else
            virDomainStatsRecordListFree(recs);
        records = n;
        if (r > 0)
            ms[r - 1] = (double)(t1 - t0) / 1e6;
    }
    if (status == 0)
        printf("%.2f %d\n", bench_median(ms, (size_t)runs), records);
    for (int i = 0; i < made; i++) {
        virDomainDestroy(doms[i]);
        virDomainFree(doms[i]);
    }
    free(ms);
    free(doms);
    virConnectClose(conn);
    return status;
}
