/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * registry.c: the public view of the plugins (vp_registry_*).
 *
 * Owns vp_registry_entry: what vpsh plugin-list and the conformance kit
 * learn about the built-in drivers and the files of the plugin directory,
 * including the refused ones with their error, and the operation names of
 * the vtable slots. Every load goes through framework/loader.c, so the same
 * checks run; this file never opens a plugin itself and never calls libltdl.
 */
#include <config.h>

#include <dirent.h>
#include <errno.h>

#include "internal.h"

/* The operation names the core uses in "does not implement" messages,
 * one per slot in declaration order (driver.h). */
static const char *const hypervisor_slot_names[] = {
    "connect-open",
    "connect-close",
    "connect-num-of-domains",
    "connect-list-domains",
    "domain-lookup-by-name",
    "domain-define-xml",
    "domain-undefine",
    "domain-start",
    "domain-shutdown",
    "domain-destroy",
    "domain-suspend",
    "domain-resume",
    "domain-get-state",
    "domain-get-xml",
    "domain-snapshot-create-xml",
    "domain-snapshot-list",
    "domain-snapshot-lookup-by-name",
    "domain-snapshot-delete",
    "domain-snapshot-get-xml",
    "domain-get-guest-info",
    "domain-define-model",
    "domain-snapshot-current",
    "domain-get-uuid",
    "domain-lookup-by-uuid",
    "domain-lookup-by-id",
    "domain-get-id",
    "connect-get-generation",
    "domain-get-info",
    "node-get-info",
    "connect-get-hostname",
    "connect-domain-event-register",
    "connect-domain-event-read",
    "connect-domain-event-close",
    "domain-get-time",
    "domain-set-time",
    "node-suspend-prepare",
    "node-suspend-restore",
    "domain-snapshot-revert",
    "connect-get-domain-capabilities",
    "node-suspend-for-duration",
    "node-get-suspend-result",
    "node-suspend-cancel",
    "node-suspend-wait",
    "node-get-suspend-guests",
    "domain-open-console",
    "domain-get-display-uri",
    "domain-get-stats",
    "node-get-memory-stats",
    "node-get-cpu-stats",
    "connect-get-sysinfo",
    "domain-reboot",
    "domain-reset",
    "domain-set-autostart",
    "domain-get-autostart",
    "domain-qemu-agent-command",
    "domain-set-memory",
    "domain-set-vcpus",
    "domain-set-metadata",
    "connect-cancel-jobs",
    "domain-create-xml",
    "domain-create-model",
    "domain-is-persistent",
    "connect-get-capabilities",
    "connect-host-domain-capabilities",
    "domain-save",
    "domain-restore",
    "domain-managed-save",
    "domain-has-managed-save",
    "domain-managed-save-remove",
    "connect-get-domain-states",
    "domain-save-image-get-xml",
    "domain-save-image-define-xml",
    "domain-managed-save-get-xml",
    "domain-managed-save-define-xml",
    "domain-fs-freeze",
    "domain-fs-thaw",
    "domain-pm-suspend",
    "domain-pm-wakeup",
    "domain-update-device",
};

static const char *const hostpower_slot_names[] = {
    "node-hostpower-open",    "node-hostpower-close", "node-get-suspend-capabilities",
    "node-get-suspend-delay", "node-wake-alarm-arm",  "node-wake-alarm-clear",
    "node-suspend",
};

#define N_SLOTS(vtable) (sizeof(vtable) / sizeof(void (*)(void)))
#define N_NAMES(a) (sizeof(a) / sizeof((a)[0]))

_Static_assert(N_NAMES(hypervisor_slot_names) == N_SLOTS(vp_hypervisor_driver),
               "every hypervisor slot needs its operation name");
_Static_assert(N_NAMES(hostpower_slot_names) == N_SLOTS(vp_hostpower_driver),
               "every host-power slot needs its operation name");
/* The public entry's masks hold the first 64 slots (1.0's layout); the
 * library allocates every entry inside this larger one, whose masks hold
 * them all, and vp_registry_entry_has_slot() reads those. */
#define SLOT_WORDS 4
_Static_assert(N_SLOTS(vp_hypervisor_driver) <= SLOT_WORDS * 64 &&
                   N_SLOTS(vp_hostpower_driver) <= SLOT_WORDS * 64,
               "grow SLOT_WORDS: the entry's slot masks are full");

typedef struct {
    vp_registry_entry pub;         /* first: the pointer the caller holds */
    uint64_t slots[2][SLOT_WORDS]; /* [0] hypervisor, [1] host power */
} registry_entry;

static registry_entry *
entry_new(void)
{
    return vp_new0(registry_entry, 1);
}

VP_EXPORT const char *
vp_registry_slot_name(unsigned int kind, unsigned int slot)
{
    if (kind == VP_PLUGIN_KIND_HYPERVISOR && slot < N_NAMES(hypervisor_slot_names))
        return hypervisor_slot_names[slot];
    if (kind == VP_PLUGIN_KIND_HOSTPOWER && slot < N_NAMES(hostpower_slot_names))
        return hostpower_slot_names[slot];
    return NULL;
}

/* Bit i of @mask set when slot i of the core-sized vtable copy is
 * filled. The copy is an array of function pointers in all but name. */
static void
slot_mask(const void *vtable, size_t n_slots, uint64_t mask[SLOT_WORDS])
{
    for (size_t i = 0; i < n_slots; i++) {
        void (*fn)(void);
        memcpy(&fn, (const char *)vtable + i * sizeof(fn), sizeof(fn));
        if (fn)
            mask[i / 64] |= UINT64_C(1) << (i % 64);
    }
}

static unsigned int
slot_count(unsigned int kind)
{
    if (kind == VP_PLUGIN_KIND_HYPERVISOR)
        return N_SLOTS(vp_hypervisor_driver);
    if (kind == VP_PLUGIN_KIND_HOSTPOWER)
        return N_SLOTS(vp_hostpower_driver);
    return 0;
}

VP_EXPORT unsigned int
vp_registry_slot_count(unsigned int kind)
{
    return slot_count(kind);
}

VP_EXPORT int
vp_registry_entry_has_slot(const vp_registry_entry *entry, unsigned int kind, unsigned int slot)
{
    if (!entry || slot >= slot_count(kind))
        return 0;
    const registry_entry *e = (const registry_entry *)entry;
    const uint64_t *mask = e->slots[kind == VP_PLUGIN_KIND_HOSTPOWER];
    return (mask[slot / 64] >> (slot % 64)) & 1;
}

VP_EXPORT const char *
vp_registry_plugin_dir(void)
{
    VPI_ERROR_RESET();
    return vpi_loader_plugin_dir();
}

VP_EXPORT void
vp_registry_entry_free(vp_registry_entry *entry)
{
    if (!entry)
        return;
    free(entry->name);
    free(entry->path);
    free(entry->version);
    free(entry->license);
    free(entry->description);
    free(entry->package);
    free(entry->error_message);
    free(entry);
}

VP_EXPORT void
vp_registry_list_free(vp_registry_entry **entries)
{
    if (!entries)
        return;
    for (vp_registry_entry **e = entries; *e; e++)
        vp_registry_entry_free(*e);
    free(entries);
}

/* An entry for a plugin that loaded and passed every check. */
static vp_registry_entry *
entry_from_plugin(const vpi_plugin *p)
{
    const vp_plugin_descriptor *d = p->desc;
    registry_entry *full = entry_new();
    vp_registry_entry *e = &full->pub;
    e->name = vp_strdup(p->name);
    e->path = vp_strdup(p->path);
    e->version = vp_strdup(d->version);
    e->license = vp_strdup(d->license);
    e->description = vp_strdup(d->description);
    e->package = vp_strdup(d->package);
    e->abi_major = d->abi_major;
    e->abi_minor = d->abi_minor;
    /* 1.0's fields: the first 64 slots, so that 1 << i stays defined for
     * a program that walks them. */
    e->n_hypervisor_slots = N_SLOTS(vp_hypervisor_driver) < 64 ? N_SLOTS(vp_hypervisor_driver) : 64;
    e->n_hostpower_slots = N_SLOTS(vp_hostpower_driver) < 64 ? N_SLOTS(vp_hostpower_driver) : 64;
    if (p->has_hypervisor) {
        e->kinds |= VP_PLUGIN_KIND_HYPERVISOR;
        slot_mask(&p->hypervisor, N_SLOTS(vp_hypervisor_driver), full->slots[0]);
        e->hypervisor_slots = full->slots[0][0];
    }
    if (p->has_hostpower) {
        e->kinds |= VP_PLUGIN_KIND_HOSTPOWER;
        slot_mask(&p->hostpower, N_SLOTS(vp_hostpower_driver), full->slots[1]);
        e->hostpower_slots = full->slots[1][0];
    }
    return e;
}

/* An entry for a refused plugin: its name, file and the loader's error,
 * which stays set in the thread's error slot. */
static vp_registry_entry *
entry_from_error(const char *name, const char *path, int code)
{
    const vp_error *err = vp_error_last();
    vp_registry_entry *e = &entry_new()->pub;
    e->name = vp_strdup(name);
    e->path = vp_strdup(path);
    e->error_code = code;
    e->error_message = vp_strdup(err ? err->message : "refused for an unknown reason");
    return e;
}

/* Load plugin @name as vp_conn_open() would and describe the outcome. */
static vp_registry_entry *
entry_load(const char *name, const char *path)
{
    const vpi_plugin *p;
    int r = vpi_loader_get(name, &p);
    if (r < 0)
        return entry_from_error(name, path, r);
    return entry_from_plugin(p);
}

static int
entry_compare(const void *a, const void *b)
{
    const vp_registry_entry *ea = *(vp_registry_entry *const *)a;
    const vp_registry_entry *eb = *(vp_registry_entry *const *)b;
    /* Built-in drivers (no path) first, then by name. */
    if (!ea->path != !eb->path)
        return ea->path ? 1 : -1;
    return strcmp(ea->name, eb->name);
}

/* The stem of @file when it is NAME.so with a name the loader accepts. */
static char *
plugin_stem(const char *file)
{
    size_t n = strlen(file);
    if (n < 4 || strcmp(file + n - 3, ".so") != 0 || file[0] == '.')
        return NULL;
    return vp_strndup(file, n - 3);
}

static bool
is_builtin(const char *name)
{
    for (size_t i = 0; vpi_loader_builtin_name(i); i++)
        if (strcmp(vpi_loader_builtin_name(i), name) == 0)
            return true;
    return false;
}

/* Append an entry for every NAME.so of @dir; a missing directory has none. */
static int
list_dir(const char *dir, vp_registry_entry ***entries, size_t *n)
{
    DIR *d = opendir(dir);
    if (!d) {
        if (errno == ENOENT)
            return 0;
        return vp_error_set_errno(VP_ERR_SYSTEM, errno, "cannot read plugin directory '%s'", dir);
    }
    struct dirent *de;
    while ((de = readdir(d))) {
        _cleanup_free_ char *name = plugin_stem(de->d_name);
        if (!name || is_builtin(name))
            continue;
        _cleanup_free_ char *path = vp_asprintf("%s/%s", dir, de->d_name);
        *entries = vp_renew(vp_registry_entry *, *entries, *n + 2);
        (*entries)[(*n)++] = entry_load(name, path);
    }
    closedir(d);
    return 0;
}

VP_EXPORT int
vp_registry_list(unsigned int flags, vp_registry_entry ***ret_entries)
{
    VPI_ERROR_RESET();
    vp_return_if_fail(ret_entries, "ret_entries");
    if (flags != 0)
        return vp_error_set(VP_ERR_INVALID_ARG, "vp_registry_list: unsupported flags 0x%x", flags);
    vp_registry_entry **entries = vp_new0(vp_registry_entry *, 1);
    size_t n = 0;
    for (size_t i = 0; vpi_loader_builtin_name(i); i++) {
        entries = vp_renew(vp_registry_entry *, entries, n + 2);
        entries[n++] = entry_load(vpi_loader_builtin_name(i), NULL);
    }
    entries[n] = NULL;
    int r = list_dir(vpi_loader_plugin_dir(), &entries, &n);
    entries[n] = NULL;
    if (r < 0) {
        vp_registry_list_free(entries);
        return r;
    }
    qsort(entries, n, sizeof(*entries), entry_compare);
    /* A refused plugin's error stays in its entry, not in the call's. */
    vpi_error_reset();
    *ret_entries = entries;
    return (int)n;
}

VP_EXPORT int
vp_registry_load_file(const char *path, unsigned int flags, vp_registry_entry **ret_entry)
{
    VPI_ERROR_RESET();
    vp_return_if_fail(path, "path");
    vp_return_if_fail(ret_entry, "ret_entry");
    if (flags != 0)
        return vp_error_set(VP_ERR_INVALID_ARG, "vp_registry_load_file: unsupported flags 0x%x",
                            flags);
    const vpi_plugin *p;
    int r = vpi_loader_load_file(path, &p);
    if (r == VP_ERR_INVALID_ARG)
        return r;
    if (r < 0) {
        const char *base = strrchr(path, '/') + 1;
        _cleanup_free_ char *name = vp_strndup(base, strlen(base) - 3);
        *ret_entry = entry_from_error(name, path, r);
        return r;
    }
    *ret_entry = entry_from_plugin(p);
    return 0;
}

VP_EXPORT int
vp_registry_get(const char *name, unsigned int flags, vp_registry_entry **ret_entry)
{
    VPI_ERROR_RESET();
    vp_return_if_fail(name, "name");
    vp_return_if_fail(ret_entry, "ret_entry");
    if (flags != 0)
        return vp_error_set(VP_ERR_INVALID_ARG, "vp_registry_get: unsupported flags 0x%x", flags);
    const vpi_plugin *p;
    int r = vpi_loader_get(name, &p);
    if (r == VP_ERR_INVALID_ARG)
        return r;
    if (r < 0) {
        _cleanup_free_ char *path =
            is_builtin(name) ? NULL : vp_asprintf("%s/%s.so", vpi_loader_plugin_dir(), name);
        *ret_entry = entry_from_error(name, path, r);
        return r;
    }
    *ret_entry = entry_from_plugin(p);
    return 0;
}

VP_EXPORT int
vp_registry_call_fini(const char *name, unsigned int flags)
{
    VPI_ERROR_RESET();
    vp_return_if_fail(name, "name");
    if (flags != 0)
        return vp_error_set(VP_ERR_INVALID_ARG, "vp_registry_call_fini: unsupported flags 0x%x",
                            flags);
    const vpi_plugin *p;
    int r = vpi_loader_get(name, &p);
    if (r < 0)
        return r;
    if (!p->desc->fini)
        return 0;
    p->desc->fini();
    return 1;
}
