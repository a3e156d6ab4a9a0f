/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * builtin/test/test-resources.c: live memory, vCPU, description and title
 * changes of the test driver's running domains (domain_set_memory,
 * domain_set_vcpus, domain_set_metadata).
 *
 * Owns the running definition's edit: the running domain's XML with the
 * new value, parsed again, becomes what it runs with, and the definition
 * it had becomes the one its next start uses (unless one is waiting
 * already), as libvirt's test driver keeps a live and a persistent
 * definition. Definitions themselves are changed by the core
 * (domain-config.c); this file never touches the host.
 */
#include <config.h>

#include <stdio.h>

#include "internal.h"
#include "builtin/test/test-driver.h"
#include "conf/xml-module.h"

/* Under host->lock: running @dom's definition with @path set to @value
 * (and @path2 to @value2 when not NULL). */
static int
live_edit(test_domain *dom, const char *path, const char *value, const char *path2,
          const char *value2)
{
    _cleanup_free_ char *xml = NULL, *edited = NULL, *edited2 = NULL;
    int r = dom->model ? vpi_domain_model_format(dom->model, &xml)
                       : vp_plugin_domain_def_format(dom->def, 0, &xml);
    if (r >= 0)
        r = vp_plugin_domain_xml_set(xml, path, value, &edited);
    if (r >= 0 && path2)
        r = vp_plugin_domain_xml_set(edited, path2, value2, &edited2);
    vp_domain_def *def = NULL;
    vpi_domain_model *model = NULL;
    if (r >= 0)
        r = vpi_domain_model_parse(edited2 ? edited2 : edited, &def, &model);
    if (r < 0)
        return r;
    if (!dom->next_def) {
        dom->next_def = dom->def;
        dom->next_model = dom->model;
    } else {
        vp_plugin_domain_def_free(dom->def);
        vpi_domain_model_free(dom->model);
    }
    dom->def = def;
    dom->model = model;
    return 0;
}

/* Under host->lock: domain @name, running. */
static int
running(test_host *host, const char *name, const char *op, unsigned int flags,
        test_domain **ret_dom)
{
    int r = test_check_flags(op, flags, 0);
    if (r >= 0)
        r = test_host_get(host, name, ret_dom);
    if (r >= 0 && (*ret_dom)->state == VP_DOMAIN_SHUTOFF)
        r = vp_error_set(VP_ERR_OPERATION_INVALID, "domain '%s' is not running", name);
    return r;
}

int
test_domain_set_memory(void *priv, const char *name, uint64_t memory_kib, unsigned int flags)
{
    test_host *host = priv;
    test_domain *dom = NULL;
    pthread_mutex_lock(&host->lock);
    int r = running(host, name, "domain-set-memory", flags, &dom);
    if (r >= 0 && memory_kib > dom->def->memory_kib)
        r = vp_error_set(VP_ERR_INVALID_ARG,
                         "cannot set memory higher than max memory (%llu KiB > %llu KiB)",
                         (unsigned long long)memory_kib, (unsigned long long)dom->def->memory_kib);
    char text[24];
    snprintf(text, sizeof(text), "%llu", (unsigned long long)memory_kib);
    if (r >= 0)
        r = live_edit(dom, "currentMemory/@unit", "KiB", "currentMemory", text);
    pthread_mutex_unlock(&host->lock);
    return r;
}

int
test_domain_set_vcpus(void *priv, const char *name, unsigned int nvcpus, unsigned int flags)
{
    test_host *host = priv;
    test_domain *dom = NULL;
    pthread_mutex_lock(&host->lock);
    int r = running(host, name, "domain-set-vcpus", flags, &dom);
    if (r >= 0 && nvcpus > dom->def->vcpus)
        r = vp_error_set(VP_ERR_INVALID_ARG, "requested cpu amount exceeds maximum (%u > %u)",
                         nvcpus, dom->def->vcpus);
    char text[16];
    snprintf(text, sizeof(text), "%u", nvcpus);
    if (r >= 0)
        r = live_edit(dom, "vcpu/@current", nvcpus == dom->def->vcpus ? NULL : text, NULL, NULL);
    pthread_mutex_unlock(&host->lock);
    return r;
}

int
test_domain_set_metadata(void *priv, const char *name, int type, const char *text,
                         unsigned int flags)
{
    test_host *host = priv;
    test_domain *dom = NULL;
    pthread_mutex_lock(&host->lock);
    int r = running(host, name, "domain-set-metadata", flags, &dom);
    if (r >= 0)
        r = live_edit(dom, type == VP_DOMAIN_METADATA_TITLE ? "title" : "description", text, NULL,
                      NULL);
    pthread_mutex_unlock(&host->lock);
    return r;
}
