/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * plugin.h: the plugin descriptor, the one symbol a virtplug plugin exports.
 *
 * A plugin file NAME.so exports NAME_LTX_virtplug_plugin ('-' in NAME
 * becomes '_'): a const pointer to a const vp_plugin_descriptor, never the
 * descriptor itself. The loader reads and checks the descriptor before it
 * runs any of the plugin's code: that the symbol, the descriptor, its
 * strings and vtables lie in the plugin's own readable memory, magic,
 * abi_major equal to the core's, abi_minor not newer than the core's,
 * sizes not below the 1.0 minimum, name equal to the file's stem. Write the
 * descriptor only with VP_PLUGIN_DEFINE().
 *
 * Since: 1.0
 */
#ifndef VIRTPLUG_SDK_PLUGIN_H
#define VIRTPLUG_SDK_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#include <virtplug/sdk/driver.h>

#ifdef __cplusplus
extern "C" {
#endif

#define VP_PLUGIN_MAGIC 0x76706c67u /* "vplg" */

/* The ABI this SDK describes. A plugin built against minor N runs on any
 * core 1.M with M >= N. Appending a vtable slot or a descriptor field bumps
 * the minor; any other change is a new major. */
#define VP_PLUGIN_ABI_MAJOR 1
#define VP_PLUGIN_ABI_MINOR 1

#if defined(__GNUC__)
#define VP_PLUGIN_EXPORT __attribute__((visibility("default")))
#else
#define VP_PLUGIN_EXPORT
#endif

typedef struct vp_plugin_descriptor {
    uint32_t magic;          /* VP_PLUGIN_MAGIC */
    uint32_t abi_major;      /* VP_PLUGIN_ABI_MAJOR the plugin was built with */
    uint32_t abi_minor;      /* VP_PLUGIN_ABI_MINOR the plugin was built with */
    uint32_t size;           /* sizeof(vp_plugin_descriptor) the plugin was built with */
    const char *name;        /* equals the file's stem: "qemu" for qemu.so */
    const char *version;     /* the plugin's own version */
    const char *license;     /* SPDX identifier */
    const char *description; /* one line */
    const char *package;     /* distribution package, "virtplug-plugin-qemu" */
    /* Called once, after every check passed; < 0 refuses the plugin (set an
     * error with vp_plugin_error_set()). May be NULL. */
    int (*init)(void);
    /* Never called by the core (plugins are never unloaded); kept for the
     * conformance kit, which calls it after its checks. May be NULL. */
    void (*fini)(void);
    const vp_hypervisor_driver *hypervisor; /* NULL: no hypervisor driver */
    uint32_t hypervisor_size;               /* sizeof(vp_hypervisor_driver) built with */
    const vp_hostpower_driver *hostpower;   /* NULL: no host-power driver */
    uint32_t hostpower_size;                /* sizeof(vp_hostpower_driver) built with */
    /* since 1.1. What the hypervisor driver supports of the domain model:
     * a table ending with {NULL, NULL} (driver.h, vp_plugin_domain_cap).
     * The core checks every definition against it before the driver sees
     * it. NULL: the driver predates capabilities and parses the 1.0
     * subset itself with vp_plugin_domain_def_parse(). */
    const vp_plugin_domain_cap *domain_caps;
    /* since 1.1. The URI of the driver's own XML namespace, whose elements
     * in <domain> (<procvm:limits xmlns:procvm='URI'>) the core keeps as
     * written and hands to the driver (vp_plugin_domain_model_ns_xml());
     * NULL: none. */
    const char *xml_namespace;
} vp_plugin_descriptor;

/* The smallest descriptor a 1.x core accepts: the 1.0 layout. */
#define VP_PLUGIN_DESCRIPTOR_SIZE_1_0                                                              \
    (offsetof(vp_plugin_descriptor, hostpower_size) + sizeof(uint32_t))

/* The descriptor of ABI 1.1: a core reads domain_caps and xml_namespace
 * only from a descriptor at least this large. */
#define VP_PLUGIN_DESCRIPTOR_SIZE_1_1                                                              \
    (offsetof(vp_plugin_descriptor, xml_namespace) + sizeof(const char *))

/* The smallest vtables a 1.x core accepts: their 1.0 layouts, up to the
 * last slot of ABI 1.0. A .hypervisor_size or .hostpower_size below these
 * is refused (it would drop slots without a word); the usual cause is the
 * size of a pointer, sizeof(&driver), where sizeof(driver) was meant. */
#define VP_PLUGIN_HYPERVISOR_SIZE_1_0                                                              \
    (offsetof(vp_hypervisor_driver, domain_get_guest_info) + sizeof(void (*)(void)))
#define VP_PLUGIN_HOSTPOWER_SIZE_1_0                                                               \
    (offsetof(vp_hostpower_driver, suspend) + sizeof(void (*)(void)))

/**
 * VP_PLUGIN_DEFINE: define the plugin's descriptor and its exported symbol,
 * @ident##_LTX_virtplug_plugin, a pointer to the descriptor.
 * @ident: the plugin name as a C identifier, the file's stem with '-' as '_'
 *   ("hostpower-linux" -> hostpower_linux); another identifier exports a
 *   symbol the loader does not look for.
 * @...: designated initializers for the other fields; .name is required,
 *   and each vtable's size is sizeof() the vtable struct, not of a pointer
 *   to it:
 *
 *   VP_PLUGIN_DEFINE(hello,
 *                    .name = "hello", .version = "1.0", .license = "MIT",
 *                    .description = "domains from XML files",
 *                    .package = "virtplug-plugin-hello",
 *                    .hypervisor = &hello_driver,
 *                    .hypervisor_size = sizeof(hello_driver));
 */
#define VP_PLUGIN_DEFINE(ident, ...)                                                               \
    static const vp_plugin_descriptor ident##_vp_plugin_descriptor = {                             \
        .magic = VP_PLUGIN_MAGIC,                                                                  \
        .abi_major = VP_PLUGIN_ABI_MAJOR,                                                          \
        .abi_minor = VP_PLUGIN_ABI_MINOR,                                                          \
        .size = sizeof(vp_plugin_descriptor),                                                      \
        __VA_ARGS__};                                                                              \
    VP_PLUGIN_EXPORT extern const vp_plugin_descriptor *const ident##_LTX_virtplug_plugin;         \
    const vp_plugin_descriptor *const ident##_LTX_virtplug_plugin = &ident##_vp_plugin_descriptor

#ifdef __cplusplus
}
#endif

#endif /* VIRTPLUG_SDK_PLUGIN_H */
