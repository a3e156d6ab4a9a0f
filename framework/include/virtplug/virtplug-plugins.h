/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * virtplug-plugins.h: plugins, part of the public API of libvirtplug.
 *
 * Included by <virtplug/virtplug.h>, inside its extern "C" block and after
 * the declarations it builds on; never include it on its own.
 */
#ifndef VIRTPLUG_VIRTPLUG_PLUGINS_H
#define VIRTPLUG_VIRTPLUG_PLUGINS_H

#ifndef VIRTPLUG_VIRTPLUG_H_INSIDE
#error "include <virtplug/virtplug.h>, not <virtplug/virtplug-plugins.h>"
#endif

/* ---- Plugins ---------------------------------------------------------- */

#define VP_PLUGIN_KIND_HYPERVISOR (1u << 0)
#define VP_PLUGIN_KIND_HOSTPOWER (1u << 1)

/**
 * vp_registry_entry: what the core knows of one plugin. A plugin that was
 * refused still has an entry: error_code and error_message say why.
 * Since: 1.0
 */
typedef struct vp_registry_entry {
    char *name;
    char *path; /* NULL for a driver built into the library */
    char *version;
    char *license;
    char *description;
    char *package;
    unsigned int abi_major;
    unsigned int abi_minor;
    unsigned int kinds;  /* VP_PLUGIN_KIND_* */
    int error_code;      /* 0, or the VP_ERR_* that refused it */
    char *error_message; /* NULL, or why it was refused */
    /* Which vtable slots the plugin fills, for the conformance kit: bit i
     * is slot i in declaration order (name it with vp_registry_slot_name()).
     * Only this core's slots count: n_*_slots of them. 0 for a refused plugin.
     * These masks hold the first 64 slots only (n_*_slots is at most 64);
     * since 1.1, vp_registry_entry_has_slot() and vp_registry_slot_count()
     * answer for every slot. */
    uint64_t hypervisor_slots;
    uint64_t hostpower_slots;
    unsigned int n_hypervisor_slots;
    unsigned int n_hostpower_slots;
} vp_registry_entry;

/**
 * vp_registry_list: the built-in drivers, then every NAME.so in the plugin
 * directory (loaded and checked), sorted by name.
 * @ret_entries: (transfer full) NULL-terminated; vp_registry_list_free().
 * Returns the count.
 * Since: 1.0
 */
int vp_registry_list(unsigned int flags, vp_registry_entry ***ret_entries);

/**
 * vp_registry_load_file: load and check the plugin file @path (absolute),
 * with the checks the loader applies to the plugin directory.
 * @ret_entry: (transfer full) vp_registry_entry_free(); written also when
 * the plugin was refused (then the call returns its error).
 * Since: 1.0
 */
int vp_registry_load_file(const char *path, unsigned int flags, vp_registry_entry **ret_entry);

/**
 * vp_registry_get: the plugin @name as vp_conn_open() finds it: built in,
 * or NAME.so of the plugin directory, loaded and checked.
 * @ret_entry: (transfer full) vp_registry_entry_free(); written also when
 * the plugin was refused or is missing (then the call returns its error).
 * Errors: VP_ERR_INVALID_ARG, VP_ERR_NO_PLUGIN, VP_ERR_PLUGIN_INVALID.
 * Since: 1.0
 */
int vp_registry_get(const char *name, unsigned int flags, vp_registry_entry **ret_entry);

/**
 * vp_registry_call_fini: call the fini function of the loaded plugin @name,
 * for test kits only (virtplug-plugin-check): the core itself never calls
 * it, and the plugin must not be used afterwards in this process.
 * Returns 1 when fini was called, 0 when the plugin has none.
 * Errors: those of vp_registry_get().
 * Since: 1.0
 */
int vp_registry_call_fini(const char *name, unsigned int flags);

/** vp_registry_plugin_dir: $VIRTPLUG_PLUGIN_DIR or the compiled-in directory.
 * (transfer none) Since: 1.0 */
const char *vp_registry_plugin_dir(void);

/**
 * vp_registry_slot_name: the operation name of slot @slot of the vtable of
 * @kind (VP_PLUGIN_KIND_HYPERVISOR or _HOSTPOWER), as the core names it in
 * "driver 'x' does not implement 'domain-start'"; NULL past the last slot.
 * (transfer none)
 * Since: 1.0
 */
const char *vp_registry_slot_name(unsigned int kind, unsigned int slot);

/**
 * vp_registry_slot_count: how many slots this library's vtable of @kind
 * (VP_PLUGIN_KIND_HYPERVISOR or _HOSTPOWER) has; 0 for another kind. The
 * slots are numbered 0 to the count - 1, as vp_registry_slot_name() names
 * them. Thread-safe.
 * Since: 1.1
 */
unsigned int vp_registry_slot_count(unsigned int kind);

/**
 * vp_registry_entry_has_slot: 1 when the plugin of @entry fills slot @slot
 * of its vtable of @kind, 0 when the slot is empty, the plugin is not of
 * that kind, was refused, or @slot is past vp_registry_slot_count(@kind).
 * Unlike the entry's 64-bit masks it answers for every slot. @entry must
 * come from vp_registry_list(), vp_registry_get() or
 * vp_registry_load_file(). Thread-safe.
 * Since: 1.1
 */
int vp_registry_entry_has_slot(const vp_registry_entry *entry, unsigned int kind,
                               unsigned int slot);

/** vp_registry_entry_free: NULL-safe. Since: 1.0 */
void vp_registry_entry_free(vp_registry_entry *entry);
/** vp_registry_list_free: NULL-safe. Since: 1.0 */
void vp_registry_list_free(vp_registry_entry **entries);

#endif /* VIRTPLUG_VIRTPLUG_PLUGINS_H */
