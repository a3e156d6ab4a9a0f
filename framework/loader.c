/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * loader.c: finding, checking and loading plugins. The only file that
 * calls libltdl.
 *
 * Owns the plugin registry (loaded plugins, by name, never unloaded), the
 * loading of libvirtplug's own modules (the XML module), the security
 * checks on the plugin directory and file, and the descriptor
 * checks that run before any of a plugin's code: that the entry symbol
 * points into the plugin's own readable memory, magic, ABI major, ABI
 * minor, sizes, name. Files are bound at once (RTLD_NOW), so an undefined
 * symbol refuses the file instead of killing the process at its first
 * call. libltdl is not thread-safe, so one mutex guards every lt_* call
 * and the registry. It must never call into a plugin before its
 * descriptor passed, and never unload one (atexit handlers and thread-local
 * destructors of a plugin would run after its code is gone).
 */
#include <config.h>

#include <ctype.h>
#include <dlfcn.h>
#include <errno.h>
#include <link.h>
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

/* The plugins virtplug ships, each in its own package. Only for these does
 * a "not installed" error name a package: for any other name it would
 * send the user after a package that does not exist. */
static const struct {
    const char *name;
    bool hypervisor; /* serves URIs of its name */
} shipped_plugins[] = {
    {"qemu", true},
    {"remote", true},
    {"hostpower-linux", false},
    {"hostpower-bsd", false},
};

bool
vpi_loader_plugin_shipped(const char *name, bool *ret_hypervisor)
{
    for (size_t i = 0; i < sizeof(shipped_plugins) / sizeof(shipped_plugins[0]); i++) {
        if (strcmp(shipped_plugins[i].name, name) == 0) {
            if (ret_hypervisor)
                *ret_hypervisor = shipped_plugins[i].hypervisor;
            return true;
        }
    }
    return false;
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

/* A vtable of @size bytes where the ABI 1.0 one has @min: a smaller one
 * would lose slots without a word. The likeliest mistake is the size of a
 * pointer, sizeof(&driver), so that one is named. */
static int
check_vtable_size(const char *file, const char *kind, const void *vtable, uint32_t size, size_t min)
{
    if (!vtable)
        return 0;
    if (size == sizeof(void *))
        return vp_error_set(
            VP_ERR_PLUGIN_INVALID,
            "plugin file '%s' gives .%s_size = %u, the size of a pointer, not of its %s vtable (%zu bytes in ABI 1.0); write .%s_size = sizeof(driver), not sizeof(&driver) or sizeof(a pointer)",
            file, kind, size, kind, min, kind);
    if (size < min)
        return vp_error_set(
            VP_ERR_PLUGIN_INVALID,
            "plugin file '%s' gives .%s_size = %u, smaller than the %zu bytes of the ABI 1.0 %s vtable; write .%s_size = sizeof(driver) for the vtable it points to",
            file, kind, size, min, kind, kind);
    if (size % sizeof(void *))
        return vp_error_set(
            VP_ERR_PLUGIN_INVALID,
            "plugin file '%s' gives .%s_size = %u, which is not a whole number of slots; write .%s_size = sizeof(driver)",
            file, kind, size, kind);
    return 0;
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
    if (!d->name)
        return vp_error_set(
            VP_ERR_PLUGIN_INVALID,
            "plugin file '%s' has no name in its descriptor; set .name = \"%s\" in VP_PLUGIN_DEFINE()",
            file, expected_name);
    if (strcmp(d->name, expected_name) != 0)
        return vp_error_set(
            VP_ERR_PLUGIN_INVALID,
            "plugin file '%s' calls itself '%s', but its file name says '%s'; rename the file to '%s.so' or fix the descriptor's name",
            file, d->name, expected_name, d->name);
    if (!d->version || !d->description)
        return vp_error_set(
            VP_ERR_PLUGIN_INVALID,
            "plugin file '%s' lacks its %s in the descriptor; set .%s in VP_PLUGIN_DEFINE()", file,
            !d->version ? "version" : "description", !d->version ? "version" : "description");
    int r = check_vtable_size(file, "hypervisor", d->hypervisor, d->hypervisor_size,
                              VP_PLUGIN_HYPERVISOR_SIZE_1_0);
    if (r < 0)
        return r;
    r = check_vtable_size(file, "hostpower", d->hostpower, d->hostpower_size,
                          VP_PLUGIN_HOSTPOWER_SIZE_1_0);
    if (r < 0)
        return r;
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
                return vp_error_set(
                    VP_ERR_PLUGIN_INVALID,
                    "plugin '%s' (%s) failed to initialise: its init returned %d and set no error message; this is a bug in the plugin: report it to the plugin's authors",
                    name, path ? path : "built in", r);
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
    bool shipped = vpi_loader_plugin_shipped(name, NULL);
    if (stat(dir, &st) < 0 && shipped)
        return vp_error_set(
            VP_ERR_NO_PLUGIN,
            "plugin '%s' is not installed: plugin directory '%s' does not exist; install the package 'virtplug-plugin-%s' or set VIRTPLUG_PLUGIN_DIR",
            name, dir, name);
    if (stat(dir, &st) < 0)
        return vp_error_set(
            VP_ERR_NO_PLUGIN,
            "plugin '%s' is not installed: plugin directory '%s' does not exist; install the plugin there or set VIRTPLUG_PLUGIN_DIR to the directory that holds '%s.so'",
            name, dir, name);
    if (!S_ISDIR(st.st_mode))
        return vp_error_set(VP_ERR_PLUGIN_INVALID, "plugin directory '%s' is not a directory", dir);
    int r = check_perms("directory", dir, &st);
    if (r < 0)
        return r;
    if (lstat(path, &st) < 0) {
        if (errno == ENOENT && shipped)
            return vp_error_set(
                VP_ERR_NO_PLUGIN,
                "plugin '%s' is not installed: no '%s.so' in '%s'; install the package 'virtplug-plugin-%s'",
                name, name, dir, name);
        if (errno == ENOENT)
            return vp_error_set(VP_ERR_NO_PLUGIN,
                                "plugin '%s' is not installed: no '%s.so' in '%s'", name, name,
                                dir);
        return vp_error_set_errno(VP_ERR_PLUGIN_INVALID, errno, "cannot read plugin file '%s'",
                                  path);
    }
    if (!S_ISREG(st.st_mode))
        return vp_error_set(VP_ERR_PLUGIN_INVALID,
                            "plugin file '%s' is %s; a plugin must be a regular file", path,
                            vpi_file_kind(st.st_mode));
    return check_perms("file", path, &st);
}

/* Map @path with every symbol bound now. libltdl binds lazily (it has no
 * advice for RTLD_NOW), so a plugin that calls a function defined nowhere
 * would load, pass every check and kill the process with "symbol lookup
 * error" at its first call; bound here first, it is refused instead, and
 * libltdl's later dlopen() of the same file finds it mapped and bound.
 * libltdl also overwrites the linker's message with "file not found",
 * which hides an undefined symbol or a missing library; this keeps it.
 * The handle is kept (plugins are never unloaded); on failure
 * @ret_reason is the linker's message. */
static void *
dl_open_now(const char *path, char **ret_reason)
{
    (void)dlerror();
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *why = dlerror();
        *ret_reason = vp_strdup(why ? why : "unknown dynamic linker error");
    }
    return h;
}

static int
ltdl_open(const char *path, lt_dlhandle *ret_handle, void **ret_dl)
{
    if (!ltdl_ready) {
        if (lt_dlinit() != 0)
            return vp_error_set(VP_ERR_INTERNAL, "cannot initialise libltdl: %s", lt_dlerror());
        ltdl_ready = true;
    }
    _cleanup_free_ char *reason = NULL;
    void *dl = dl_open_now(path, &reason);
    if (!dl)
        return vp_error_set(VP_ERR_PLUGIN_INVALID, "cannot load plugin file '%s': %s", path,
                            reason);
    lt_dladvise advise;
    if (lt_dladvise_init(&advise) != 0)
        return vp_error_set(VP_ERR_INTERNAL, "libltdl: %s", lt_dlerror());
    lt_dladvise_local(&advise);
    lt_dladvise_resident(&advise);
    lt_dlhandle h = lt_dlopenadvise(path, advise);
    lt_dladvise_destroy(&advise);
    if (!h) {
        const char *why = lt_dlerror();
        return vp_error_set(VP_ERR_PLUGIN_INVALID, "cannot load plugin file '%s': %s", path,
                            why ? why : "unknown libltdl error");
    }
    *ret_handle = h;
    *ret_dl = dl;
    return 0;
}

/* ---- The plugin's own memory ------------------------------------------ */

/* A loaded plugin file as the dynamic linker mapped it: where each of its
 * segments lies, so that what its descriptor points at can be checked to
 * be its own readable memory before the loader reads through it. Valid
 * for the life of the process: plugins are never unloaded. */
typedef struct plugin_image {
    ElfW(Addr) base;
    const ElfW(Phdr) * phdr;
    size_t phnum;
    const char *name; /* the linker's name of the object: the link_map's */
    bool found;
} plugin_image;

static int
image_find_cb(struct dl_phdr_info *info, size_t size, void *data)
{
    plugin_image *img = data;
    (void)size;
    if (info->dlpi_addr != img->base || !info->dlpi_name || strcmp(info->dlpi_name, img->name) != 0)
        return 0;
    img->phdr = info->dlpi_phdr;
    img->phnum = info->dlpi_phnum;
    img->found = true;
    return 1;
}

static int
image_find(void *dl, const char *path, plugin_image *ret_img)
{
    struct link_map *lm = NULL;
    plugin_image img = {0};
    if (dlinfo(dl, RTLD_DI_LINKMAP, &lm) == 0 && lm) {
        img.base = lm->l_addr;
        img.name = lm->l_name;
        dl_iterate_phdr(image_find_cb, &img);
    }
    if (!img.found)
        return vp_error_set(VP_ERR_INTERNAL,
                            "cannot find the segments of plugin file '%s' in this process", path);
    *ret_img = img;
    return 0;
}

/* The end of the readable segment of @img that holds @p, or 0. */
static uintptr_t
image_segment_end(const plugin_image *img, const void *p)
{
    uintptr_t a = (uintptr_t)p;
    for (size_t i = 0; i < img->phnum; i++) {
        const ElfW(Phdr) *ph = &img->phdr[i];
        if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_R))
            continue;
        uintptr_t start = img->base + ph->p_vaddr, end = start + ph->p_memsz;
        if (a >= start && a < end)
            return end;
    }
    return 0;
}

/* [@p, @p + @len) lies in one readable segment of @img. */
static bool
image_readable(const plugin_image *img, const void *p, size_t len)
{
    uintptr_t end = image_segment_end(img, p);
    return end && len <= end - (uintptr_t)p;
}

/* @s is NULL or a string that ends inside a readable segment of @img. */
static bool
image_string(const plugin_image *img, const char *s)
{
    uintptr_t end = image_segment_end(img, s);
    return !s || (end && memchr(s, '\0', end - (uintptr_t)s));
}

/* The entry symbol @sym of plugin file @path must hold a pointer to a
 * descriptor in the plugin's own memory, and the descriptor's strings and
 * vtables must be there too: a plugin that exports the descriptor itself
 * (the first bytes are then its magic, read as a pointer) or a wild
 * pointer must be refused, not crash the process that lists plugins. */
static int
image_check_entry(const plugin_image *img, const vp_plugin_descriptor *const *sym, const char *path,
                  const vp_plugin_descriptor **ret_desc)
{
    uint32_t first;
    if (!image_readable(img, sym, sizeof(*sym)))
        return vp_error_set(
            VP_ERR_PLUGIN_INVALID,
            "plugin file '%s' has an entry symbol outside its own readable data; define it with VP_PLUGIN_DEFINE()",
            path);
    memcpy(&first, sym, sizeof(first));
    if (first == VP_PLUGIN_MAGIC)
        return vp_error_set(
            VP_ERR_PLUGIN_INVALID,
            "plugin file '%s' exports the descriptor itself, not a pointer to it; use VP_PLUGIN_DEFINE()",
            path);
    const vp_plugin_descriptor *d = *sym;
    if (!image_readable(img, d, VP_PLUGIN_DESCRIPTOR_SIZE_1_0))
        return vp_error_set(
            VP_ERR_PLUGIN_INVALID,
            "plugin file '%s' has an entry symbol that does not point to a descriptor in the plugin's own data; use VP_PLUGIN_DEFINE()",
            path);
    const char *strings[] = {d->name, d->version, d->license, d->description, d->package};
    for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++)
        if (!image_string(img, strings[i]))
            return vp_error_set(
                VP_ERR_PLUGIN_INVALID,
                "plugin file '%s' has a descriptor whose strings are not in the plugin's own data; give string literals to VP_PLUGIN_DEFINE()",
                path);
    if ((d->hypervisor && !image_readable(img, d->hypervisor,
                                          d->hypervisor_size < sizeof(vp_hypervisor_driver)
                                              ? d->hypervisor_size
                                              : sizeof(vp_hypervisor_driver))) ||
        (d->hostpower && !image_readable(img, d->hostpower,
                                         d->hostpower_size < sizeof(vp_hostpower_driver)
                                             ? d->hostpower_size
                                             : sizeof(vp_hostpower_driver))))
        return vp_error_set(
            VP_ERR_PLUGIN_INVALID,
            "plugin file '%s' has a descriptor whose vtable lies outside the plugin's own data; point .hypervisor or .hostpower at a static vtable and give its sizeof()",
            path);
    *ret_desc = d;
    return 0;
}

/* The dynamic string table of @img: every name the file exports is in it. */
static bool
image_dynstr(const plugin_image *img, const char **ret_strtab, size_t *ret_size)
{
    const ElfW(Dyn) *dyn = NULL;
    for (size_t i = 0; i < img->phnum && !dyn; i++)
        if (img->phdr[i].p_type == PT_DYNAMIC)
            dyn = (const ElfW(Dyn) *)(img->base + img->phdr[i].p_vaddr);
    ElfW(Addr) strtab = 0;
    size_t strsz = 0;
    for (; dyn && dyn->d_tag != DT_NULL; dyn++) {
        if (dyn->d_tag == DT_STRTAB)
            strtab = dyn->d_un.d_ptr;
        else if (dyn->d_tag == DT_STRSZ)
            strsz = dyn->d_un.d_val;
    }
    /* glibc relocates d_ptr in place on most targets, other libcs do not. */
    const char *p = (const char *)strtab;
    if (!strtab || !strsz)
        return false;
    if (!image_readable(img, p, strsz))
        p = (const char *)(img->base + strtab);
    if (!image_readable(img, p, strsz))
        return false;
    *ret_strtab = p;
    *ret_size = strsz;
    return true;
}

/* The part of string @s (@len bytes) after its last character that
 * cannot be in a C name: compilers add names beside a symbol's (ASan's
 * "__odr_asan.NAME" indicators), which are not the plugin's. */
static const char *
identifier_tail(const char *s, size_t len)
{
    const char *tail = s;
    for (size_t i = 0; i < len; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '_')
            tail = s + i + 1;
    return tail;
}

/* Plugin file @path has no entry symbol for @name: name the
 * *_LTX_virtplug_plugin symbols it does export, the mark of a wrong first
 * argument to VP_PLUGIN_DEFINE(). */
static int
no_entry_symbol(const plugin_image *img, void *dl, const char *path, const char *name)
{
    static const char suffix[] = "_LTX_virtplug_plugin";
    const size_t n_suffix = sizeof(suffix) - 1;
    _cleanup_free_ char *ident = vp_strdup(name);
    for (char *p = ident; *p; p++)
        if (!isalnum((unsigned char)*p))
            *p = '_';
    _cleanup_free_ char *found = NULL;
    const char *strtab = NULL;
    size_t size = 0;
    if (!image_dynstr(img, &strtab, &size))
        size = 0;
    for (size_t off = 0; off < size;) {
        const char *s = strtab + off;
        size_t len = strnlen(s, size - off);
        off += len + 1;
        /* A linker may store a name as the tail of a longer one
         * ("__odr_asan.NAME" and NAME share bytes): look at both. */
        s = identifier_tail(s, len);
        len = strlen(s);
        if (len <= n_suffix || strcmp(s + len - n_suffix, suffix) != 0 || !dlsym(dl, s))
            continue;
        char *more = vp_asprintf("%s%s'%s'", found ? found : "", found ? ", " : "", s);
        free(found);
        found = more;
    }
    if (found)
        return vp_error_set(
            VP_ERR_PLUGIN_INVALID,
            "plugin file '%s' has no entry symbol '%s%s' but exports %s; the first argument of VP_PLUGIN_DEFINE() must be the file's name with '-' as '_': VP_PLUGIN_DEFINE(%s, ...), or rename the file to match",
            path, ident, suffix, found, ident);
    return vp_error_set(
        VP_ERR_PLUGIN_INVALID,
        "plugin file '%s' has no entry symbol '%s%s'; build it with VP_PLUGIN_DEFINE(%s, ...) and do not hide the symbol with a version script",
        path, ident, suffix, ident);
}

/* Load, check and register the file @path as plugin @name. Lock held. */
static int
load_locked(const char *dir, const char *path, const char *name, const vpi_plugin **ret_plugin)
{
    int r = check_file(dir, path, name);
    if (r < 0)
        return r;
    lt_dlhandle h = NULL;
    void *dl = NULL;
    r = ltdl_open(path, &h, &dl);
    if (r < 0)
        return r;
    plugin_image img;
    r = image_find(dl, path, &img);
    if (r < 0)
        return r;
    /* libltdl looks up NAME_LTX_virtplug_plugin first, NAME being the
     * file's stem with '-' turned into '_'. */
    const vp_plugin_descriptor *const *sym = lt_dlsym(h, "virtplug_plugin");
    if (!sym)
        return no_entry_symbol(&img, dl, path, name);
    const vp_plugin_descriptor *d = NULL;
    r = image_check_entry(&img, sym, path, &d);
    if (r < 0)
        return r;
    return registry_add(d, name, path, ret_plugin);
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
    _cleanup_free_ char *reason = NULL;
    if (!dl_open_now(path, &reason))
        return vp_error_set(VP_ERR_PLUGIN_INVALID,
                            "cannot load the %s '%s': %s; reinstall libvirtplug", what, path,
                            reason);
    lt_dladvise advise;
    if (lt_dladvise_init(&advise) != 0)
        return vp_error_set(VP_ERR_INTERNAL, "libltdl: %s", lt_dlerror());
    lt_dladvise_local(&advise);
    lt_dladvise_resident(&advise);
    lt_dlhandle h = lt_dlopenadvise(path, advise);
    lt_dladvise_destroy(&advise);
    if (!h) {
        const char *why = lt_dlerror();
        return vp_error_set(VP_ERR_PLUGIN_INVALID,
                            "cannot load the %s '%s': %s; reinstall libvirtplug", what, path,
                            why ? why : "unknown libltdl error");
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
