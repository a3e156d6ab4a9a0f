/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/* Vendored unchanged (but for these lines) from git ff64fb9: the SDK 1.0 headers, so that
 * tests/plugins/sdk-1.0/old-plugin.c is built as a plugin of ABI 1.0 was. */
/*
 * plugin.h: the plugin descriptor, the one symbol a virtplug plugin exports.
 *
 * A plugin file NAME.so exports NAME_LTX_virtplug_plugin ('-' in NAME
 * becomes '_'): a const pointer to a const vp_plugin_descriptor. The loader
 * reads and checks the descriptor before it runs any of the plugin's code:
 * magic, abi_major equal to the core's, abi_minor not newer than the core's,
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
#define VP_PLUGIN_ABI_MINOR 0

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
} vp_plugin_descriptor;

/* The smallest descriptor a 1.x core accepts: the 1.0 layout. */
#define VP_PLUGIN_DESCRIPTOR_SIZE_1_0                                                              \
    (offsetof(vp_plugin_descriptor, hostpower_size) + sizeof(uint32_t))

/**
 * VP_PLUGIN_DEFINE: define the plugin's descriptor and its exported symbol.
 * @ident: the plugin name as a C identifier ("hostpower-linux" -> hostpower_linux)
 * @...: designated initializers for the other fields:
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
