/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * defs.c: freeing and copying domain and snapshot definitions.
 *
 * Owns vp_plugin_domain_def_free/copy and vp_plugin_snapshot_def_free,
 * which handle plain C structs and so stay in the core: freeing or copying
 * a definition must never load the XML module (and with it libxml2).
 */
#include <config.h>

#include "internal.h"
#include "conf/def-clear.h"

#include <virtplug/sdk/conf.h>

VP_EXPORT void
vp_plugin_domain_def_free(vp_domain_def *def)
{
    if (!def)
        return;
    for (size_t i = 0; i < def->n_disks; i++)
        vpi_domain_disk_def_clear(&def->disks[i]);
    free(def->disks);
    for (size_t i = 0; i < def->n_os_boot_devs; i++)
        free(def->os_boot_devs[i]);
    free(def->os_boot_devs);
    free(def->type);
    free(def->name);
    free(def->description);
    free(def->os_type);
    free(def->os_arch);
    free(def->os_machine);
    free(def->os_kernel);
    free(def->os_initrd);
    free(def->os_cmdline);
    free(def->agent_socket_path);
    free(def->serial_path);
    free(def->emulator);
    free(def->on_poweroff);
    free(def->on_reboot);
    free(def->on_crash);
    free(def);
}

VP_EXPORT vp_domain_def *
vp_plugin_domain_def_copy(const vp_domain_def *def)
{
    if (!def)
        return NULL;
    vp_domain_def *c = vp_new0(vp_domain_def, 1);
    *c = *def;
    c->type = vp_strdup(def->type);
    c->name = vp_strdup(def->name);
    c->description = vp_strdup(def->description);
    c->os_type = vp_strdup(def->os_type);
    c->os_arch = vp_strdup(def->os_arch);
    c->os_machine = vp_strdup(def->os_machine);
    c->os_kernel = vp_strdup(def->os_kernel);
    c->os_initrd = vp_strdup(def->os_initrd);
    c->os_cmdline = vp_strdup(def->os_cmdline);
    c->agent_socket_path = vp_strdup(def->agent_socket_path);
    c->serial_path = vp_strdup(def->serial_path);
    c->emulator = vp_strdup(def->emulator);
    c->on_poweroff = vp_strdup(def->on_poweroff);
    c->on_reboot = vp_strdup(def->on_reboot);
    c->on_crash = vp_strdup(def->on_crash);
    c->os_boot_devs = def->n_os_boot_devs ? vp_new0(char *, def->n_os_boot_devs) : NULL;
    for (size_t i = 0; i < def->n_os_boot_devs; i++)
        c->os_boot_devs[i] = vp_strdup(def->os_boot_devs[i]);
    c->disks = def->n_disks ? vp_new0(vp_domain_disk_def, def->n_disks) : NULL;
    for (size_t i = 0; i < def->n_disks; i++) {
        const vp_domain_disk_def *d = &def->disks[i];
        c->disks[i] = (vp_domain_disk_def){
            .device = vp_strdup(d->device),
            .driver_type = vp_strdup(d->driver_type),
            .source_file = vp_strdup(d->source_file),
            .target_dev = vp_strdup(d->target_dev),
            .target_bus = vp_strdup(d->target_bus),
            .readonly = d->readonly,
        };
    }
    return c;
}

VP_EXPORT void
vp_plugin_snapshot_def_free(vp_snapshot_def *def)
{
    if (!def)
        return;
    for (size_t i = 0; i < def->n_disks; i++)
        vpi_snapshot_disk_def_clear(&def->disks[i]);
    free(def->disks);
    free(def->name);
    free(def->description);
    free(def->parent);
    free(def);
}
