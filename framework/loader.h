/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * loader.h: finding, checking and loading plugins (framework/loader.c).
 */
#ifndef VIRTPLUG_LOADER_H
#define VIRTPLUG_LOADER_H

#include <stdbool.h>
#include <stddef.h>

#include <virtplug/sdk/driver.h>
#include <virtplug/sdk/plugin.h>

/* A loaded, checked plugin. Lives until the process exits (never unloaded). */
typedef struct vpi_plugin {
    char *name;
    char *path; /* NULL for a built-in driver */
    const vp_plugin_descriptor *desc;
    bool has_hypervisor;
    bool has_hostpower;
    vp_hypervisor_driver hypervisor; /* zeroed core-sized copy of the plugin's vtable */
    vp_hostpower_driver hostpower;
} vpi_plugin;

/* The plugin named @name: built in, or loaded from the plugin directory.
 * Errors: VP_ERR_NO_PLUGIN (names the directory and the package),
 * VP_ERR_PLUGIN_INVALID (names the file and what is wrong). */
__attribute__((visibility("hidden"))) int vpi_loader_get(const char *name,
                                                         const vpi_plugin **ret_plugin);

/* Load the plugin file @path (any directory; the same checks). */
__attribute__((visibility("hidden"))) int vpi_loader_load_file(const char *path,
                                                               const vpi_plugin **ret_plugin);

/* Check a descriptor as the loader does; @file names it in messages. */
__attribute__((visibility("hidden"))) int
vpi_loader_check_descriptor(const vp_plugin_descriptor *desc, const char *expected_name,
                            const char *file);

/* Whether @name is a plugin virtplug ships (in the package
 * virtplug-plugin-NAME); *@ret_hypervisor (may be NULL) says whether it
 * serves URIs of its name. */
__attribute__((visibility("hidden"))) bool vpi_loader_plugin_shipped(const char *name,
                                                                     bool *ret_hypervisor);

/* The plugin directory: $VIRTPLUG_PLUGIN_DIR or the compiled-in one. */
__attribute__((visibility("hidden"))) const char *vpi_loader_plugin_dir(void);

/* The name of built-in driver @index (0, 1, ...), or NULL past the last. */
__attribute__((visibility("hidden"))) const char *vpi_loader_builtin_name(size_t index);

/* Load libvirtplug's own module @path (absolute) once and return its
 * symbol @symbol; @what names it in messages ("XML module"). The file
 * checks of plugins apply; the module is never unloaded, and a second call
 * for the same path returns the same symbol without loading again.
 * Errors: VP_ERR_NO_PLUGIN (missing), VP_ERR_PLUGIN_INVALID (unsafe file,
 * cannot be loaded, no such symbol); each names the file and says to
 * reinstall libvirtplug. */
__attribute__((visibility("hidden"))) int vpi_loader_load_module(const char *what, const char *path,
                                                                 const char *symbol,
                                                                 const void **ret_sym);

#endif /* VIRTPLUG_LOADER_H */
