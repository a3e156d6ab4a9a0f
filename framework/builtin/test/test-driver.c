/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * builtin/test/test-driver.c: the embedded test:///default driver.
 *
 * Owns the driver's descriptor and vtable and its connections: which
 * in-memory host a URI asks for (test:///default, or a <node> file given by
 * absolute path) and that host's lifetime. Every connection gets its own
 * host, so two connections never see each other's changes and closing one
 * forgets everything it did (libvirt shares test:///default in a process;
 * virtplug does not, so tests and benchmarks cannot disturb each other).
 * Registered through the same descriptor checks as a plugin file; it never
 * touches the real host (its host power is simulated too).
 */
#include <config.h>

#include <stdio.h>

#include <virtplug/sdk/host.h>

#include "internal.h"
#include "builtin/test/test-driver.h"
#include "builtin/test/test-hostpower.h"

/* libvirt's test:///default domain, so scripts written for it find it. */
static const unsigned char test_default_uuid[16] = {0x66, 0x95, 0xeb, 0x01, 0xf6, 0xa4, 0x83, 0x04,
                                                    0x79, 0xaa, 0x97, 0xf2, 0x50, 0x2e, 0x19, 0x3f};

static vp_domain_def *
default_domain_def(void)
{
    vp_domain_def *def = vp_new0(vp_domain_def, 1);
    def->type = vp_strdup("test");
    def->name = vp_strdup("test");
    memcpy(def->uuid, test_default_uuid, sizeof(def->uuid));
    def->memory_kib = 8388608;         /* 8 GiB */
    def->current_memory_kib = 2097152; /* libvirt's test domain uses 2 of them */
    def->vcpus = 2;
    def->os_type = vp_strdup("hvm");
    /* Its disk, as libvirt's (domblklist, domblkinfo, domblkstat find it). */
    def->disks = vp_new0(vp_domain_disk_def, 1);
    def->n_disks = 1;
    def->disks[0].device = vp_strdup("disk");
    def->disks[0].source_file = vp_strdup("/guest/diskimage1");
    def->disks[0].target_dev = vp_strdup("vda");
    def->disks[0].target_bus = vp_strdup("virtio");
    return def;
}

static int
test_open_default(test_host *host)
{
    return test_host_define(host, default_domain_def(), VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_BOOTED,
                            NULL);
}

/* test:///default, or test:///ABS/PATH.xml; anything else is refused with
 * the form that works. */
static int
test_open_path(const vp_plugin_uri *uri, test_host *host)
{
    const char *str = vp_plugin_uri_get_string(uri);
    const char *host_part = vp_plugin_uri_get_host(uri);
    const char *path = vp_plugin_uri_get_path(uri);
    if (*host_part)
        return vp_error_set(VP_ERR_INVALID_ARG,
                            "relative path in '%s'; use an absolute one: 'test:///ABS/PATH.xml'",
                            str);
    if (!*path)
        return vp_error_set(VP_ERR_INVALID_ARG,
                            "no path in '%s'; use 'test:///default' or 'test:///ABS/PATH.xml'",
                            str);
    if (strcmp(path, "/default") == 0)
        return test_open_default(host);
    return test_nodefile_load(host, path);
}

static int
test_conn_open(const vp_plugin_uri *uri, unsigned int flags, void **ret_priv)
{
    int r = test_check_flags("connect-open", flags, 0);
    if (r < 0)
        return r;
    test_host *host = test_host_new();
    r = test_guests_params(host, uri);
    if (r >= 0)
        r = test_open_path(uri, host);
    if (r < 0) {
        test_host_free(host);
        return r;
    }
    *ret_priv = host;
    return 0;
}

static void
test_conn_close(void *priv)
{
    test_host_free(priv);
}

/* libvirt's test driver's fixed host, so nodeinfo reads the same. */
static int
test_node_get_info(void *priv, struct vp_node_info *ret_info)
{
    ret_info->cpus = 16;
    ret_info->memory_kib = 3145728;
    ret_info->mhz = 1400;
    ret_info->nodes = 2;
    ret_info->sockets = 2;
    ret_info->cores = 2;
    ret_info->threads = 2;
    snprintf(ret_info->model, sizeof(ret_info->model), "i686");
    return 0;
}

/* libvirt's test driver names the machine it runs on. */
static int
test_conn_get_hostname(void *priv, char **ret_hostname)
{
    return vp_plugin_host_name(ret_hostname);
}

static const vp_hypervisor_driver test_hypervisor = {
    .conn_open = test_conn_open,
    .conn_close = test_conn_close,
    .conn_num_of_domains = test_conn_num_of_domains,
    .conn_list_domains = test_conn_list_domains,
    .domain_lookup = test_domain_lookup,
    .domain_define_xml = test_domain_define_xml,
    .domain_undefine = test_domain_undefine,
    .domain_start = test_domain_start,
    .domain_shutdown = test_domain_shutdown,
    .domain_destroy = test_domain_destroy,
    .domain_suspend = test_domain_suspend,
    .domain_resume = test_domain_resume,
    .domain_get_state = test_domain_get_state,
    .domain_get_xml = test_domain_get_xml,
    .snapshot_create_xml = test_snapshot_create_xml,
    .snapshot_list = test_snapshot_list,
    .snapshot_lookup = test_snapshot_lookup,
    .snapshot_delete = test_snapshot_delete,
    .snapshot_get_xml = test_snapshot_get_xml,
    .snapshot_get_current = test_snapshot_get_current,
    .domain_get_uuid = test_domain_get_uuid,
    .domain_lookup_by_uuid = test_domain_lookup_by_uuid,
    .domain_lookup_by_id = test_domain_lookup_by_id,
    .domain_get_id = test_domain_get_id,
    .conn_get_generation = test_conn_get_generation,
    .domain_get_info = test_domain_get_info,
    .node_get_info = test_node_get_info,
    .conn_get_hostname = test_conn_get_hostname,
    .event_open = test_event_open,
    .event_close = test_event_close,
    .domain_get_time = test_domain_get_time,
    .domain_set_time = test_domain_set_time,
    .node_suspend_prepare = test_node_suspend_prepare,
    .node_suspend_restore = test_node_suspend_restore,
    .snapshot_revert = test_snapshot_revert,
    .domain_get_stats = test_domain_get_stats,
    .node_get_memory_stats = test_node_get_memory_stats,
    .node_get_cpu_stats = test_node_get_cpu_stats,
    .conn_get_sysinfo = test_conn_get_sysinfo,
    .domain_reboot = test_domain_reboot,
    .domain_reset = test_domain_reset,
    .domain_set_autostart = test_domain_set_autostart,
    .domain_get_autostart = test_domain_get_autostart,
    .domain_agent_command = test_domain_agent_command,
    .domain_set_memory = test_domain_set_memory,
    .domain_set_vcpus = test_domain_set_vcpus,
    .domain_set_metadata = test_domain_set_metadata,
    .domain_create_xml = test_domain_create_xml,
    .domain_is_persistent = test_domain_is_persistent,
    .conn_get_capabilities = test_conn_get_capabilities,
    .domain_save = test_domain_save,
    .domain_restore = test_domain_restore,
    .domain_managed_save = test_domain_managed_save,
    .domain_has_managed_save = test_domain_has_managed_save,
    .domain_managed_save_remove = test_domain_managed_save_remove,
    .domain_save_image_get_xml = test_domain_save_image_get_xml,
    .domain_save_image_define_xml = test_domain_save_image_define_xml,
    .domain_managed_save_get_xml = test_domain_managed_save_get_xml,
    .domain_managed_save_define_xml = test_domain_managed_save_define_xml,
    .domain_fs_freeze = test_domain_fs_freeze,
    .domain_fs_thaw = test_domain_fs_thaw,
};

/* libvirt's test driver accepts the whole model; so does this one. */
static const vp_plugin_domain_cap test_domain_caps[] = {{"*", NULL}, {NULL, NULL}};

VP_PLUGIN_DEFINE(test, .name = "test", .version = PACKAGE_VERSION, .license = "LGPL-2.1-or-later",
                 .description = "embedded in-memory test driver (test:///default)",
                 .package = "libvirtplug1", .hypervisor = &test_hypervisor,
                 .hypervisor_size = sizeof(test_hypervisor),
                 .hostpower = &vpi_test_hostpower_driver,
                 .hostpower_size = sizeof(vpi_test_hostpower_driver),
                 .domain_caps = test_domain_caps);
