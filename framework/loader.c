/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * loader.c: finding, checking and loading plugins. The only file that
 * calls libltdl.
 *
 * Owns the plugin registry (loaded plugins, by name, never unloaded), the
 * loading of libvirtplug's own modules (the XML module), the security
 * checks on the plugin directory and file, and the descriptor
 * checks that run before any of a plugin's code: magic, ABI major, ABI
 * minor, sizes, name. libltdl is not thread-safe, so one mutex guards every
 * lt_* call and the registry. It must never call into a plugin before its
 * descriptor passed, and never unload one (atexit handlers and thread-local
 * destructors of a plugin would run after its code is gone).
 */
#include <config.h>

#include <ctype.h>
#include <dlfcn.h>
#include <errno.h>
#include <ltdl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

extern const vp_plugin_descriptor *const test_LTX_virtplug_plugin;

/* The built-in drivers, registered through the same descriptor checks. */
static const vp_plugin_descriptor *const *const builtin_plugins[] = {
    &test_LTX_virtplug_plugin,
    NULL,
};

typedef struct registry_entry {
    struct registry_entry *next;
    vpi_plugin plugin;
} registry_entry;

static pthread_mutex_t loader_lock = PTHREAD_MUTEX_INITIALIZER;
static registry_entry *registry; /* guarded by loader_lock */
static bool ltdl_ready;          /* guarded by loader_lock */

/* libvirtplug's own modules, by path, never unloaded. */
typedef struct module_entry {
    struct module_entry *next;
    char *path;
    const void *sym;
} module_entry;
static module_entry *modules; /* guarded by loader_lock */

const char *
vpi_loader_builtin_name(size_t index)
{
    if (index >= sizeof(builtin_plugins) / sizeof(builtin_plugins[0]) - 1)
        return NULL;
    return (*builtin_plugins[index])->name;
}

const char *
vpi_loader_plugin_dir(void)
{
    const char *env = secure_getenv("VIRTPLUG_PLUGIN_DIR");
    return env && *env ? env : VP_PLUGINDIR;
}

static const vpi_plugin *
registry_find(const char *name)
{
    for (registry_entry *e = registry; e; e = e->next)
        if (strcmp(e->plugin.name, name) == 0)
            return &e->plugin;
    return NULL;
}

static const char *
str_or(const char *s, const char *fallback)
{
    return s ? s : fallback;
}

int
vpi_loader_check_descriptor(const vp_plugin_descriptor *d, const char *expected_name,
                            const char *file)
{
    if (d->magic != VP_PLUGIN_MAGIC)
        return vp_error_set(
            VP_ERR_PLUGIN_INVALID,
            "plugin file '%s' is not a virtplug plugin: bad descriptor magic 0x%08x (expected 0x%08x)",
            file, d->magic, VP_PLUGIN_MAGIC);
    if (d->abi_major != VP_PLUGIN_ABI_MAJOR)
        return vp_error_set(
            VP_ERR_PLUGIN_INVALID,
            "plugin file '%s' was built for plugin ABI %u.%u, but this virtplug implements ABI %d.%d; rebuild the plugin against virtplug-sdk %d.x",
            file, d->abi_major, d->abi_minor, VP_PLUGIN_ABI_MAJOR, VP_PLUGIN_ABI_MINOR,
            VP_PLUGIN_ABI_MAJOR);
    if (d->abi_minor > VP_PLUGIN_ABI_MINOR)
        return vp_error_set(
            VP_ERR_PLUGIN_INVALID,
            "plugin file '%s' needs plugin ABI %u.%u, newer than this virtplug's ABI %d.%d; upgrade virtplug or use a plugin built for ABI %d.%d",
            file, d->abi_major, d->abi_minor, VP_PLUGIN_ABI_MAJOR, VP_PLUGIN_ABI_MINOR,
            VP_PLUGIN_ABI_MAJOR, VP_PLUGIN_ABI_MINOR);
    if (d->size < VP_PLUGIN_DESCRIPTOR_SIZE_1_0)
        return vp_error_set(
            VP_ERR_PLUGIN_INVALID,
            "plugin file '%s' has a descriptor of %u bytes, smaller than the %zu bytes of ABI 1.0; rebuild it with VP_PLUGIN_DEFINE()",
            file, d->size, (size_t)VP_PLUGIN_DESCRIPTOR_SIZE_1_0);
    if (!d->name || strcmp(d->name, expected_name) != 0)
        return vp_error_set(
            VP_ERR_PLUGIN_INVALID,
            "plugin file '%s' calls itself '%s', but its file name says '%s'; rename the file to '%s.so' or fix the descriptor's name",
            file, str_or(d->name, "(null)"), expected_name, str_or(d->name, "NAME"));
    if (!d->version || !d->description)
        return vp_error_set(VP_ERR_PLUGIN_INVALID,
                            "plugin file '%s' lacks its %s in the descriptor", file,
                            !d->version ? "version" : "description");
    if ((d->hypervisor && (d->hypervisor_size == 0 || d->hypervisor_size % sizeof(void *))) ||
        (d->hostpower && (d->hostpower_size == 0 || d->hostpower_size % sizeof(void *))))
        return vp_error_set(
            VP_ERR_PLUGIN_INVALID,
            "plugin file '%s' gives a vtable size that is not a whole number of slots (hypervisor %u, hostpower %u bytes)",
            file, d->hypervisor_size, d->hostpower_size);
    if (!d->hypervisor && !d->hostpower)
        return vp_error_set(VP_ERR_PLUGIN_INVALID, "plugin file '%s' provides no driver", file);
    return 0;
}

/* Copy a plugin's vtable into a zeroed core-sized struct: slots the plugin
 * predates read NULL. */
static void
vtable_copy(void *dst, size_t dst_size, const void *src, size_t src_size)
{
    memset(dst, 0, dst_size);
    memcpy(dst, src, src_size < dst_size ? src_size : dst_size);
}

/* Check, initialise and register a descriptor. Called with loader_lock held. */
static int
registry_add(const vp_plugin_descriptor *d, const char *name, const char *path,
             const vpi_plugin **ret_plugin)
{
    int r = vpi_loader_check_descriptor(d, name, path ? path : name);
    if (r < 0)
        return r;
    if (d->init) {
        VPI_ERROR_RESET();
        r = d->init();
        if (r < 0) {
            if (vpi_error_code == 0)
                vp_error_set(VP_ERR_PLUGIN_INVALID, "plugin '%s' failed to initialise", name);
            const vp_error *e = vp_error_last();
            _cleanup_free_ char *why = vp_strdup(e->message);
            return vp_error_set(VP_ERR_PLUGIN_INVALID, "plugin '%s' (%s) failed to initialise: %s",
                                name, path ? path : "built in", why);
        }
    }
    registry_entry *e = vp_new0(registry_entry, 1);
    e->plugin.name = vp_strdup(name);
    e->plugin.path = vp_strdup(path);
    e->plugin.desc = d;
    if (d->hypervisor) {
        e->plugin.has_hypervisor = true;
        vtable_copy(&e->plugin.hypervisor, sizeof(e->plugin.hypervisor), d->hypervisor,
                    d->hypervisor_size);
    }
    if (d->hostpower) {
        e->plugin.has_hostpower = true;
        vtable_copy(&e->plugin.hostpower, sizeof(e->plugin.hostpower), d->hostpower,
                    d->hostpower_size);
    }
    e->next = registry;
    registry = e;
    VP_DEBUG("loader", "registered plugin '%s' %s (ABI %u.%u) from %s", name, d->version,
             d->abi_major, d->abi_minor, path ? path : "the library");
    *ret_plugin = &e->plugin;
    return 0;
}

static bool
name_valid(const char *name)
{
    if (!*name || strlen(name) > 64)
        return false;
    for (const char *p = name; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
            return false;
    return true;
}

static int
check_perms(const char *what, const char *path, const struct stat *st)
{
    if (st->st_uid != 0 && st->st_uid != geteuid())
        return vp_error_set(
            VP_ERR_PLUGIN_INVALID,
            "plugin %s '%s' is owned by uid %u, neither root nor the caller; run 'chown root %s'",
            what, path, (unsigned)st->st_uid, path);
    if (st->st_mode & (S_IWGRP | S_IWOTH))
        return vp_error_set(VP_ERR_PLUGIN_INVALID,
                            "plugin %s '%s' is %s-writable; run 'chmod go-w %s'", what, path,
                            (st->st_mode & S_IWOTH) ? "world" : "group", path);
    return 0;
}

/* The file checks of section 5: a regular file in a safe directory. */
static int
check_file(const char *dir, const char *path, const char *name)
{
    struct stat st;
    if (stat(dir, &st) < 0)
        return vp_error_set(
            VP_ERR_NO_PLUGIN,
            "plugin '%s' is not installed: plugin directory '%s' does not exist; install the package 'virtplug-plugin-%s' or set VIRTPLUG_PLUGIN_DIR",
            name, dir, name);
    if (!S_ISDIR(st.st_mode))
        return vp_error_set(VP_ERR_PLUGIN_INVALID, "plugin directory '%s' is not a directory", dir);
    int r = check_perms("directory", dir, &st);
    if (r < 0)
        return r;
    if (lstat(path, &st) < 0) {
        if (errno == ENOENT)
            return vp_error_set(
                VP_ERR_NO_PLUGIN,
                "plugin '%s' is not installed: no '%s.so' in '%s'; install the package 'virtplug-plugin-%s'",
                name, name, dir, name);
        return vp_error_set_errno(VP_ERR_PLUGIN_INVALID, errno, "cannot read plugin file '%s'",
                                  path);
    }
    if (!S_ISREG(st.st_mode))
        return vp_error_set(VP_ERR_PLUGIN_INVALID,
                            "plugin file '%s' is %s; a plugin must be a regular file", path,
                            vpi_file_kind(st.st_mode));
    return check_perms("file", path, &st);
}

/* Why the dynamic linker refuses @path. libltdl overwrites the linker's
 * message with "file not found" even for a file that exists, which hides an
 * undefined symbol or a missing library; asking dlopen() again recovers
 * it. A handle it returns anyway is kept: plugins are never unloaded. */
static char *
dl_reason(const char *path)
{
    (void)dlerror();
    if (dlopen(path, RTLD_LAZY | RTLD_LOCAL))
        return NULL;
    const char *why = dlerror();
    return why ? vp_strdup(why) : NULL;
}

static int
ltdl_open(const char *path, lt_dlhandle *ret_handle)
{
    if (!ltdl_ready) {
        if (lt_dlinit() != 0)
            return vp_error_set(VP_ERR_INTERNAL, "cannot initialise libltdl: %s", lt_dlerror());
        ltdl_ready = true;
    }
    lt_dladvise advise;
    if (lt_dladvise_init(&advise) != 0)
        return vp_error_set(VP_ERR_INTERNAL, "libltdl: %s", lt_dlerror());
    lt_dladvise_local(&advise);
    lt_dladvise_resident(&advise);
    lt_dlhandle h = lt_dlopenadvise(path, advise);
    lt_dladvise_destroy(&advise);
    if (!h) {
        const char *why = lt_dlerror();
        _cleanup_free_ char *detail = dl_reason(path);
        return vp_error_set(VP_ERR_PLUGIN_INVALID, "cannot load plugin file '%s': %s", path,
                            detail ? detail
                            : why  ? why
                                   : "unknown libltdl error");
    }
    *ret_handle = h;
    return 0;
}

/* Load, check and register the file @path as plugin @name. Lock held. */
static int
load_locked(const char *dir, const char *path, const char *name, const vpi_plugin **ret_plugin)
{
    int r = check_file(dir, path, name);
    if (r < 0)
        return r;
    lt_dlhandle h = NULL;
    r = ltdl_open(path, &h);
    if (r < 0)
        return r;
    /* libltdl looks up NAME_LTX_virtplug_plugin first, NAME being the
     * file's stem with '-' turned into '_'. */
    const vp_plugin_descriptor *const *sym = lt_dlsym(h, "virtplug_plugin");
    if (!sym || !*sym) {
        _cleanup_free_ char *ident = vp_strdup(name);
        for (char *p = ident; *p; p++)
            if (!isalnum((unsigned char)*p))
                *p = '_';
        return vp_error_set(
            VP_ERR_PLUGIN_INVALID,
            "plugin file '%s' has no entry symbol '%s_LTX_virtplug_plugin'; build it with VP_PLUGIN_DEFINE()",
            path, ident);
    }
    return registry_add(*sym, name, path, ret_plugin);
}

int
vpi_loader_get(const char *name, const vpi_plugin **ret_plugin)
{
    if (!name || !name_valid(name))
        return vp_error_set(VP_ERR_INVALID_ARG, "invalid plugin name '%s'", name ? name : "(null)");
    pthread_mutex_lock(&loader_lock);
    const vpi_plugin *p = registry_find(name);
    int r = 0;
    if (!p) {
        for (size_t i = 0; builtin_plugins[i]; i++) {
            const vp_plugin_descriptor *d = *builtin_plugins[i];
            if (d->name && strcmp(d->name, name) == 0) {
                r = registry_add(d, name, NULL, &p);
                goto out;
            }
        }
        const char *dir = vpi_loader_plugin_dir();
        _cleanup_free_ char *path = vp_asprintf("%s/%s.so", dir, name);
        r = load_locked(dir, path, name, &p);
    }
out:
    pthread_mutex_unlock(&loader_lock);
    if (r < 0)
        return r;
    *ret_plugin = p;
    return 0;
}

int
vpi_loader_load_file(const char *path, const vpi_plugin **ret_plugin)
{
    if (!path || path[0] != '/')
        return vp_error_set(VP_ERR_INVALID_ARG, "plugin file '%s' must be an absolute path",
                            path ? path : "(null)");
    const char *base = strrchr(path, '/') + 1;
    size_t n = strlen(base);
    if (n < 4 || strcmp(base + n - 3, ".so") != 0)
        return vp_error_set(VP_ERR_INVALID_ARG, "plugin file '%s' does not end in '.so'", path);
    _cleanup_free_ char *name = vp_strndup(base, n - 3);
    _cleanup_free_ char *dir = vp_strndup(path, (size_t)(base - path - 1));
    if (!*dir) {
        free(dir);
        dir = vp_strdup("/");
    }
    if (!name_valid(name))
        return vp_error_set(VP_ERR_INVALID_ARG, "invalid plugin name '%s' in '%s'", name, path);
    pthread_mutex_lock(&loader_lock);
    const vpi_plugin *p = registry_find(name);
    int r = 0;
    if (p && (!p->path || strcmp(p->path, path) != 0))
        r = vp_error_set(VP_ERR_PLUGIN_INVALID, "a plugin named '%s' is already loaded from '%s'",
                         name, p->path ? p->path : "the library");
    else if (!p)
        r = load_locked(dir, path, name, &p);
    pthread_mutex_unlock(&loader_lock);
    if (r < 0)
        return r;
    *ret_plugin = p;
    return 0;
}

/* The file checks of a module: its directory and the file itself, as for
 * a plugin, in messages that name the module. */
static int
module_check_perms(const char *what, const char *path, const struct stat *st)
{
    if (st->st_uid != 0 && st->st_uid != geteuid())
        return vp_error_set(
            VP_ERR_PLUGIN_INVALID,
            "cannot load the %s '%s': owned by uid %u, neither root nor the caller; run 'chown root %s' or reinstall libvirtplug",
            what, path, (unsigned)st->st_uid, path);
    if (st->st_mode & (S_IWGRP | S_IWOTH))
        return vp_error_set(
            VP_ERR_PLUGIN_INVALID,
            "cannot load the %s '%s': it is %s-writable; run 'chmod go-w %s' or reinstall libvirtplug",
            what, path, (st->st_mode & S_IWOTH) ? "world" : "group", path);
    return 0;
}

static int
module_check_file(const char *what, const char *path)
{
    _cleanup_free_ char *dir = vp_strndup(path, (size_t)(strrchr(path, '/') - path));
    struct stat st;
    if (lstat(path, &st) < 0) {
        if (errno == ENOENT || errno == ENOTDIR)
            return vp_error_set(
                VP_ERR_NO_PLUGIN,
                "cannot load the %s '%s': no such file; reinstall libvirtplug (or fix VIRTPLUG_XML_MODULE)",
                what, path);
        return vp_error_set_errno(VP_ERR_PLUGIN_INVALID, errno, "cannot load the %s '%s'", what,
                                  path);
    }
    if (!S_ISREG(st.st_mode))
        return vp_error_set(
            VP_ERR_PLUGIN_INVALID,
            "cannot load the %s '%s': it is %s, not a regular file; reinstall libvirtplug", what,
            path, vpi_file_kind(st.st_mode));
    int r = module_check_perms(what, path, &st);
    if (r < 0)
        return r;
    if (stat(*dir ? dir : "/", &st) < 0)
        return vp_error_set_errno(VP_ERR_PLUGIN_INVALID, errno, "cannot load the %s '%s'", what,
                                  path);
    return module_check_perms(what, *dir ? dir : "/", &st);
}

/* Open, check and register module @path. Called with loader_lock held. */
static int
module_load_locked(const char *what, const char *path, const char *symbol, const void **ret_sym)
{
    int r = module_check_file(what, path);
    if (r < 0)
        return r;
    if (!ltdl_ready) {
        if (lt_dlinit() != 0)
            return vp_error_set(VP_ERR_INTERNAL, "cannot initialise libltdl: %s", lt_dlerror());
        ltdl_ready = true;
    }
    lt_dladvise advise;
    if (lt_dladvise_init(&advise) != 0)
        return vp_error_set(VP_ERR_INTERNAL, "libltdl: %s", lt_dlerror());
    lt_dladvise_local(&advise);
    lt_dladvise_resident(&advise);
    lt_dlhandle h = lt_dlopenadvise(path, advise);
    lt_dladvise_destroy(&advise);
    if (!h) {
        const char *why = lt_dlerror();
        _cleanup_free_ char *detail = dl_reason(path);
        return vp_error_set(VP_ERR_PLUGIN_INVALID,
                            "cannot load the %s '%s': %s; reinstall libvirtplug", what, path,
                            detail ? detail
                            : why  ? why
                                   : "unknown libltdl error");
    }
    const void *sym = lt_dlsym(h, symbol);
    if (!sym)
        return vp_error_set(VP_ERR_PLUGIN_INVALID,
                            "cannot load the %s '%s': it has no symbol '%s'; reinstall libvirtplug",
                            what, path, symbol);
    module_entry *e = vp_new0(module_entry, 1);
    e->path = vp_strdup(path);
    e->sym = sym;
    e->next = modules;
    modules = e;
    VP_DEBUG("loader", "loaded the %s from %s", what, path);
    *ret_sym = sym;
    return 0;
}

int
vpi_loader_load_module(const char *what, const char *path, const char *symbol, const void **ret_sym)
{
    if (!path || path[0] != '/')
        return vp_error_set(
            VP_ERR_INVALID_ARG,
            "cannot load the %s '%s': not an absolute path; reinstall libvirtplug (or fix VIRTPLUG_XML_MODULE)",
            what, path ? path : "(null)");
    pthread_mutex_lock(&loader_lock);
    const void *sym = NULL;
    int r = 0;
    for (module_entry *e = modules; e && !sym; e = e->next)
        if (strcmp(e->path, path) == 0)
            sym = e->sym;
    if (!sym)
        r = module_load_locked(what, path, symbol, &sym);
    pthread_mutex_unlock(&loader_lock);
    if (r < 0)
        return r;
    *ret_sym = sym;
    return 0;
}
