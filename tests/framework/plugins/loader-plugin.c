/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * loader-plugin.c: the small real plugins tests/framework/test-loader.c
 * loads, one per case, built from this file with one LT_* macro each.
 *
 * Owns nothing but test fixtures. Descriptors that must be malformed are
 * written by hand (only here: real plugins use VP_PLUGIN_DEFINE()). A
 * plugin the loader must refuse before running its code has an init that
 * aborts, so a loader that calls it too early crashes the test.
 */
#include <stdlib.h>
#include <string.h>

#include <virtplug/sdk/alloc.h>
#include <virtplug/sdk/plugin.h>
#include <virtplug/sdk/services.h>

/* Each variant uses some of the helpers below, none uses all. */
#define LT_UNUSED __attribute__((unused))

static int lt_marker; /* the connection's private data: nothing to hold */

LT_UNUSED static int
lt_conn_open(const vp_plugin_uri *uri, unsigned int flags, void **ret_priv)
{
    *ret_priv = &lt_marker;
    return 0;
}

LT_UNUSED static void
lt_conn_close(void *priv)
{
}

LT_UNUSED static int
lt_list(void *priv, unsigned int flags, char ***ret_names)
{
    char **names = vp_new0(char *, 2);
    names[0] = vp_strdup("alpha");
    *ret_names = names;
    return 1;
}

LT_UNUSED static int
lt_lookup(void *priv, const char *name)
{
    if (strcmp(name, "alpha") != 0)
        return vp_plugin_error_set(VP_ERR_NO_DOMAIN, "no domain named '%s'", name);
    /* A driver that met a failure on the way and recovered (as the QEMU
     * driver does after cleaning up a dead QEMU) still succeeds: the core
     * must not leave this error behind. */
    vp_plugin_error_set(VP_ERR_SYSTEM, "transient failure the driver recovered from");
    return 0;
}

LT_UNUSED static int
lt_init_ok(void)
{
    return 0;
}

LT_UNUSED static int
lt_init_must_not_run(void)
{
    abort();
}

#if defined(LT_UNDEF)
/* Defined nowhere: with LD_BIND_NOW=1 the file cannot be loaded at all. */
int lt_undef_missing_function(void);

static int
lt_undef_open(const vp_plugin_uri *uri, unsigned int flags, void **ret_priv)
{
    return lt_undef_missing_function();
}
#endif

#if defined(LT_HANG)
#include <unistd.h>

/* Never answers: the kit must give up on it and say so. */
static int
lt_hang_get_state(void *priv, const char *name, int *ret_state, int *ret_reason, unsigned int flags)
{
    for (;;)
        pause();
    return 0; /* not reached */
}
#endif

#if defined(LT_SILENT)
/* Fail without saying why: the core must name driver, operation, code. */
static int
lt_silent_start(void *priv, const char *name, unsigned int flags)
{
    return VP_ERR_OPERATION_INVALID;
}

static int
lt_silent_suspend(void *priv, const char *name, unsigned int flags)
{
    return -22; /* -EINVAL: no VP_ERR_* code at all */
}
#endif

#if defined(LT_INITSILENT)
static int
lt_init_silent(void)
{
    return -1;
}
#endif

#if defined(LT_MINIMAL)
/* Opens, but has no conn_close and no conn_list_domains. */
LT_UNUSED static const vp_hypervisor_driver lt_driver = {
    .conn_open = lt_conn_open,
};
#else
LT_UNUSED static const vp_hypervisor_driver lt_driver = {
#if defined(LT_UNDEF)
    .conn_open = lt_undef_open,
#else
    .conn_open = lt_conn_open,
#endif
    .conn_close = lt_conn_close,
    .conn_list_domains = lt_list,
    .domain_lookup = lt_lookup,
#if defined(LT_HANG)
    .domain_get_state = lt_hang_get_state,
#endif
#if defined(LT_SILENT)
    .domain_start = lt_silent_start,
    .domain_suspend = lt_silent_suspend,
#endif
};
#endif

#if defined(LT_INITFAIL)
static int
lt_init_fail(void)
{
    return vp_plugin_error_set(VP_ERR_SYSTEM,
                               "cannot reach the lt-initfail backend; start it first");
}
#endif

/* A descriptor written by hand, so each field can be wrong on purpose. */
#define LT_HAND_DEFINE(ident, magic_, major_, minor_, size_, name_, init_)                         \
    static const vp_plugin_descriptor ident##_desc = {                                             \
        .magic = (magic_),                                                                         \
        .abi_major = (major_),                                                                     \
        .abi_minor = (minor_),                                                                     \
        .size = (size_),                                                                           \
        .name = (name_),                                                                           \
        .version = "0.1",                                                                          \
        .license = "MIT",                                                                          \
        .description = "loader test plugin",                                                       \
        .package = "virtplug-plugin-" name_,                                                       \
        .init = (init_),                                                                           \
        .hypervisor = &lt_driver,                                                                  \
        .hypervisor_size = sizeof(lt_driver),                                                      \
    };                                                                                             \
    VP_PLUGIN_EXPORT extern const vp_plugin_descriptor *const ident##_LTX_virtplug_plugin;         \
    const vp_plugin_descriptor *const ident##_LTX_virtplug_plugin = &ident##_desc

#define LT_COMMON_FIELDS                                                                           \
    .version = "0.1", .license = "MIT", .description = "loader test plugin",                       \
    .hypervisor = &lt_driver

#if defined(LT_GOOD)
VP_PLUGIN_DEFINE(lt_good, .name = "lt-good", .package = "virtplug-plugin-lt-good",
                 .init = lt_init_ok, LT_COMMON_FIELDS, .hypervisor_size = sizeof(lt_driver));
#elif defined(LT_PERM)
VP_PLUGIN_DEFINE(lt_perm, .name = "lt-perm", .init = lt_init_ok, LT_COMMON_FIELDS,
                 .hypervisor_size = sizeof(lt_driver));
#elif defined(LT_BADMAGIC)
LT_HAND_DEFINE(lt_badmagic, 0xdeadbeefu, VP_PLUGIN_ABI_MAJOR, VP_PLUGIN_ABI_MINOR,
               sizeof(vp_plugin_descriptor), "lt-badmagic", lt_init_must_not_run);
#elif defined(LT_MAJOR)
LT_HAND_DEFINE(lt_major, VP_PLUGIN_MAGIC, VP_PLUGIN_ABI_MAJOR + 1, 0, sizeof(vp_plugin_descriptor),
               "lt-major", lt_init_must_not_run);
#elif defined(LT_MINOR)
LT_HAND_DEFINE(lt_minor, VP_PLUGIN_MAGIC, VP_PLUGIN_ABI_MAJOR, VP_PLUGIN_ABI_MINOR + 1,
               sizeof(vp_plugin_descriptor), "lt-minor", lt_init_must_not_run);
#elif defined(LT_SMALL)
LT_HAND_DEFINE(lt_small, VP_PLUGIN_MAGIC, VP_PLUGIN_ABI_MAJOR, VP_PLUGIN_ABI_MINOR,
               VP_PLUGIN_DESCRIPTOR_SIZE_1_0 - sizeof(uint32_t), "lt-small", lt_init_must_not_run);
#elif defined(LT_MISNAMED)
VP_PLUGIN_DEFINE(lt_misnamed, .name = "lt-othername", .init = lt_init_must_not_run,
                 LT_COMMON_FIELDS, .hypervisor_size = sizeof(lt_driver));
#elif defined(LT_NOSYM)
/* Exports a symbol, but not the entry symbol. */
VP_PLUGIN_EXPORT extern const vp_hypervisor_driver *const lt_nosym_driver;
const vp_hypervisor_driver *const lt_nosym_driver = &lt_driver;
#elif defined(LT_INITFAIL)
VP_PLUGIN_DEFINE(lt_initfail, .name = "lt-initfail", .init = lt_init_fail, LT_COMMON_FIELDS,
                 .hypervisor_size = sizeof(lt_driver));
#elif defined(LT_SHORT)
/* A vtable size below ABI 1.0's: slots would be dropped without a word. */
VP_PLUGIN_DEFINE(lt_short, .name = "lt-short", .init = lt_init_must_not_run, LT_COMMON_FIELDS,
                 .hypervisor_size = offsetof(vp_hypervisor_driver, domain_lookup));
#elif defined(LT_PTRSIZE)
/* The size of a pointer to the vtable: the usual slip. */
VP_PLUGIN_DEFINE(lt_ptrsize, .name = "lt-ptrsize", .init = lt_init_must_not_run, LT_COMMON_FIELDS,
                 .hypervisor_size = sizeof(&lt_driver));
#elif defined(LT_DESCSELF)
/* Exports the descriptor itself instead of a pointer to it: read as a
 * pointer, its magic and ABI major point nowhere. */
VP_PLUGIN_EXPORT extern const vp_plugin_descriptor lt_descself_LTX_virtplug_plugin;
const vp_plugin_descriptor lt_descself_LTX_virtplug_plugin = {
    .magic = VP_PLUGIN_MAGIC,
    .abi_major = VP_PLUGIN_ABI_MAJOR,
    .abi_minor = VP_PLUGIN_ABI_MINOR,
    .size = sizeof(vp_plugin_descriptor),
    .name = "lt-descself",
    .init = lt_init_must_not_run,
    LT_COMMON_FIELDS,
    .hypervisor_size = sizeof(lt_driver),
};
#elif defined(LT_WILDPTR)
/* An entry symbol that points outside the plugin. */
VP_PLUGIN_EXPORT extern const vp_plugin_descriptor *const lt_wildptr_LTX_virtplug_plugin;
const vp_plugin_descriptor *const lt_wildptr_LTX_virtplug_plugin =
    (const vp_plugin_descriptor *)(uintptr_t)4096;
#elif defined(LT_WRONGIDENT)
/* A first argument of VP_PLUGIN_DEFINE() that does not match the file. */
VP_PLUGIN_DEFINE(lt_wrong_ident, .name = "lt-wrongident", .init = lt_init_must_not_run,
                 LT_COMMON_FIELDS, .hypervisor_size = sizeof(lt_driver));
#elif defined(LT_NONAME)
VP_PLUGIN_DEFINE(lt_noname, .init = lt_init_must_not_run, LT_COMMON_FIELDS,
                 .hypervisor_size = sizeof(lt_driver));
#elif defined(LT_INITSILENT)
VP_PLUGIN_DEFINE(lt_initsilent, .name = "lt-initsilent", .init = lt_init_silent, LT_COMMON_FIELDS,
                 .hypervisor_size = sizeof(lt_driver));
#elif defined(LT_SILENT)
VP_PLUGIN_DEFINE(lt_silent, .name = "lt-silent", .init = lt_init_ok, LT_COMMON_FIELDS,
                 .hypervisor_size = sizeof(lt_driver));
#elif defined(LT_MINIMAL)
VP_PLUGIN_DEFINE(lt_minimal, .name = "lt-minimal", .package = "virtplug-plugin-lt-minimal",
                 .init = lt_init_ok, LT_COMMON_FIELDS, .hypervisor_size = sizeof(lt_driver));
#elif defined(LT_CRASH)
/* For the conformance kit's tests: a crash in init must not take the kit down. */
VP_PLUGIN_DEFINE(lt_crash, .name = "lt-crash", .init = lt_init_must_not_run, LT_COMMON_FIELDS,
                 .hypervisor_size = sizeof(lt_driver));
#elif defined(LT_CTOR)
/* Breaks every rule the loader cannot see, for the kit's ELF checks: an ELF
 * constructor, an exit handler, a second exported symbol. */
static int lt_ctor_ran;

__attribute__((constructor)) static void
lt_ctor(void)
{
    lt_ctor_ran = 1;
}

static void
lt_at_exit(void)
{
}

static int
lt_init_atexit(void)
{
    return atexit(lt_at_exit) == 0 && lt_ctor_ran ? 0 : VP_ERR_INTERNAL;
}

VP_PLUGIN_EXPORT extern int lt_ctor_extra_export;
int lt_ctor_extra_export = 1;
VP_PLUGIN_DEFINE(lt_ctor, .name = "lt-ctor", .init = lt_init_atexit, LT_COMMON_FIELDS,
                 .hypervisor_size = sizeof(lt_driver));
#elif defined(LT_HANG)
VP_PLUGIN_DEFINE(lt_hang, .name = "lt-hang", .init = lt_init_ok, LT_COMMON_FIELDS,
                 .hypervisor_size = sizeof(lt_driver));
#elif defined(LT_UNDEF)
VP_PLUGIN_DEFINE(lt_undef, .name = "lt-undef", .init = lt_init_ok, LT_COMMON_FIELDS,
                 .hypervisor_size = sizeof(lt_driver));
#else
#error "build with one LT_* variant defined"
#endif
