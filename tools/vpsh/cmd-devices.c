/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * cmd-devices.c: the vpsh verbs domblklist and domiflist, as virsh's,
 * declared in cmd-domain.c's table.
 *
 * Owns virsh's tables of a domain's disks and network interfaces, read
 * from the domain's XML (xml-devices.c) as virsh reads them: what is not
 * in the XML shows as '-'. It only calls the public API.
 */
#include <config.h>

#include <string.h>

#include "vpsh.h"

static const char *
or_dash(const char *s)
{
    return s && *s ? s : "-";
}

/* The devices named @element of @dom's XML (the definition its next start
 * uses with --inactive); prints the error. */
static int
devices_of(vp_domain *dom, const vpsh_args *a, const char *element, vpsh_xml_dev ***ret_devs)
{
    _cleanup_free_ char *xml = NULL;
    unsigned int flags = vpsh_flag(a, "inactive") ? VP_DOMAIN_XML_INACTIVE : 0;
    if (vp_domain_get_xml(dom, flags, &xml) < 0)
        return vpsh_fail();
    if (vpsh_xml_devices(xml, element, ret_devs) < 0)
        return vpsh_failf("cannot read the <%s> elements of the XML of domain '%s'", element,
                          vp_domain_get_name(dom));
    return VPSH_EXIT_OK;
}

/* The first of @keys (NULL-terminated) that @d has, or NULL. */
static const char *
first_of(const vpsh_xml_dev *d, const char *const *keys)
{
    for (; *keys; keys++)
        if (vpsh_xml_dev_get(d, *keys))
            return vpsh_xml_dev_get(d, *keys);
    return NULL;
}

/* A disk's source as virsh shows it: the file, the block device, the
 * directory, the network name or the pool volume. */
static const char *const disk_sources[] = {"source/@file", "source/@dev",    "source/@dir",
                                           "source/@name", "source/@volume", NULL};
/* An interface's: the network, the bridge, the host device; nothing for
 * user networking. */
static const char *const interface_sources[] = {"source/@network", "source/@bridge", "source/@dev",
                                                NULL};

/* The end of both verbs: the JSON array and object, or the table. */
static int
devices_done(vpsh_ctx *ctx, const vpsh_table *t)
{
    if (ctx->json) {
        vpsh_json_end_array(ctx->js);
        vpsh_json_end_object(ctx->js);
    } else {
        vpsh_table_print(t, stdout, !ctx->quiet);
    }
    return VPSH_EXIT_OK;
}

int
vpsh_cmd_domblklist(vpsh_ctx *ctx, const vpsh_args *a)
{
    _cleanup_(vp_domain_freep) vp_domain *dom = NULL;
    if (vpsh_domain(ctx, a->pos[0], &dom) != 0)
        return VPSH_EXIT_FAIL;
    vpsh_xml_dev **disks = NULL;
    if (devices_of(dom, a, "disk", &disks) != VPSH_EXIT_OK)
        return VPSH_EXIT_FAIL;
    bool details = vpsh_flag(a, "details");
    static const char *const short_heads[] = {"Target", "Source"};
    static const char *const long_heads[] = {"Type", "Device", "Target", "Source"};
    _cleanup_(vpsh_table_freep) vpsh_table *t =
        details ? vpsh_table_new(4, long_heads) : vpsh_table_new(2, short_heads);
    if (ctx->json) {
        vpsh_json_begin_object(ctx->js, NULL);
        vpsh_json_string(ctx->js, "domain", vp_domain_get_name(dom));
        vpsh_json_begin_array(ctx->js, "disks");
    }
    for (vpsh_xml_dev **d = disks; *d; d++) {
        const char *type = or_dash(vpsh_xml_dev_get(*d, "@type"));
        const char *device = vpsh_xml_dev_get(*d, "@device");
        const char *target = or_dash(vpsh_xml_dev_get(*d, "target/@dev"));
        const char *source = first_of(*d, disk_sources);
        device = device ? device : "disk";
        if (ctx->json) {
            vpsh_json_begin_object(ctx->js, NULL);
            vpsh_json_string(ctx->js, "type", type);
            vpsh_json_string(ctx->js, "device", device);
            vpsh_json_string(ctx->js, "target", target);
            vpsh_json_string(ctx->js, "source", source);
            vpsh_json_end_object(ctx->js);
        } else if (details) {
            vpsh_table_add(t, (const char *const[]){type, device, target, or_dash(source)});
        } else {
            vpsh_table_add(t, (const char *const[]){target, or_dash(source)});
        }
    }
    vpsh_xml_devices_free(disks);
    return devices_done(ctx, t);
}

int
vpsh_cmd_domiflist(vpsh_ctx *ctx, const vpsh_args *a)
{
    _cleanup_(vp_domain_freep) vp_domain *dom = NULL;
    if (vpsh_domain(ctx, a->pos[0], &dom) != 0)
        return VPSH_EXIT_FAIL;
    vpsh_xml_dev **ifaces = NULL;
    if (devices_of(dom, a, "interface", &ifaces) != VPSH_EXIT_OK)
        return VPSH_EXIT_FAIL;
    static const char *const heads[] = {"Interface", "Type", "Source", "Model", "MAC"};
    _cleanup_(vpsh_table_freep) vpsh_table *t = vpsh_table_new(5, heads);
    if (ctx->json) {
        vpsh_json_begin_object(ctx->js, NULL);
        vpsh_json_string(ctx->js, "domain", vp_domain_get_name(dom));
        vpsh_json_begin_array(ctx->js, "interfaces");
    }
    for (vpsh_xml_dev **d = ifaces; *d; d++) {
        const char *cells[5] = {
            vpsh_xml_dev_get(*d, "target/@dev"),  vpsh_xml_dev_get(*d, "@type"),
            first_of(*d, interface_sources),      vpsh_xml_dev_get(*d, "model/@type"),
            vpsh_xml_dev_get(*d, "mac/@address"),
        };
        if (ctx->json) {
            static const char *const keys[] = {"interface", "type", "source", "model", "mac"};
            vpsh_json_begin_object(ctx->js, NULL);
            for (size_t i = 0; i < 5; i++)
                vpsh_json_string(ctx->js, keys[i], cells[i]);
            vpsh_json_end_object(ctx->js);
        } else {
            for (size_t i = 0; i < 5; i++)
                cells[i] = or_dash(cells[i]);
            vpsh_table_add(t, cells);
        }
    }
    vpsh_xml_devices_free(ifaces);
    return devices_done(ctx, t);
}

const vpsh_opt vpsh_domblklist_opts[] = {
    {"details", NULL, false, "also show each disk's type and device", NULL},
    {"inactive", NULL, false, "the disks of the definition the next start uses", NULL},
    {NULL, NULL, false, NULL, NULL},
};

const vpsh_opt vpsh_domiflist_opts[] = {
    {"inactive", NULL, false, "the interfaces of the definition the next start uses", NULL},
    {NULL, NULL, false, NULL, NULL},
};

const vpsh_opt vpsh_update_device_opts[] = {
    {"persistent", NULL, false, "change the definition, and the running domain if it runs", NULL},
    {"config", NULL, false, "change the definition the next start uses", NULL},
    {"live", NULL, false, "change the running domain", NULL},
    {"current", NULL, false, "change the running domain if it runs, else its definition", NULL},
    {"force", NULL, false, "force the change", NULL},
    {NULL, NULL, false, NULL, NULL},
};

/* update-device DOMAIN FILE, as virsh's: --persistent is --config, and
 * --live too when the domain runs; --current excludes the others. */
int
vpsh_cmd_update_device(vpsh_ctx *ctx, const vpsh_args *a)
{
    bool persistent = vpsh_flag(a, "persistent"), config = vpsh_flag(a, "config");
    bool live = vpsh_flag(a, "live"), current = vpsh_flag(a, "current");
    if (current && (persistent || live || config)) {
        vpsh_usage(ctx->cmd, "Options --current and --%s are mutually exclusive",
                   persistent ? "persistent"
                   : live     ? "live"
                              : "config");
        return VPSH_EXIT_USAGE;
    }
    _cleanup_(vp_domain_freep) vp_domain *dom = NULL;
    if (vpsh_domain(ctx, a->pos[0], &dom) != 0)
        return VPSH_EXIT_FAIL;
    unsigned int flags = (config || persistent ? VP_DOMAIN_AFFECT_CONFIG : 0) |
                         (live ? VP_DOMAIN_AFFECT_LIVE : 0) |
                         (vpsh_flag(a, "force") ? VP_DOMAIN_DEVICE_MODIFY_FORCE : 0);
    int state = VP_DOMAIN_SHUTOFF;
    if (persistent && vp_domain_get_state(dom, &state, NULL, 0) < 0)
        return vpsh_fail();
    if (persistent && state != VP_DOMAIN_SHUTOFF)
        flags |= VP_DOMAIN_AFFECT_LIVE;
    _cleanup_free_ char *xml = NULL;
    if (vpsh_read_file(a->pos[1], &xml) != 0)
        return VPSH_EXIT_FAIL;
    if (vp_domain_update_device(dom, xml, flags) < 0) {
        _cleanup_free_ char *what = vp_asprintf("Failed to update device from %s", a->pos[1]);
        return vpsh_fail_what(what);
    }
    vpsh_print_done(ctx, vp_domain_get_name(dom), "updated", "Device updated successfully");
    return VPSH_EXIT_OK;
}
