/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-firmware.c: UEFI firmware (<os firmware='efi'>, <loader>, <nvram>).
 *
 * Owns which OVMF code and variable store a domain boots with, and the
 * store's life. <os firmware='efi'> without a <loader> takes Debian's
 * OVMF (package ovmf: OVMF_CODE_4M.fd with the template OVMF_VARS_4M.fd).
 * The variable store is, as libvirt has it, the <nvram> path the XML gives,
 * else CONFIG/NAME_VARS.fd, the driver's own. Either is made from the
 * template (the <nvram template>, else the one that belongs to the code)
 * at start when it does not exist, atomically, and is never overwritten.
 * Undefine of a domain whose store exists is refused unless asked what
 * becomes of it, as in libvirt: VP_DOMAIN_UNDEFINE_NVRAM removes it
 * (a path from the XML too: that is what was asked), _KEEP_NVRAM keeps
 * it; without either nothing is removed. The code is mapped read-only.
 */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "qemu-devices.h"
#include "qemu-driver.h"

#define OVMF_DIR "/usr/share/OVMF"
#define VARS_SUFFIX "_VARS.fd"
/* What the driver writes into the <os> node of the tree at start: the
 * resolved code and variable store. */
#define RESOLVED_CODE "vp-code"
#define RESOLVED_VARS "vp-vars"

/* Debian's OVMF builds and their variable templates. */
static const struct {
    const char *code, *vars;
} known[] = {
    {OVMF_DIR "/OVMF_CODE_4M.fd", OVMF_DIR "/OVMF_VARS_4M.fd"},
    {OVMF_DIR "/OVMF_CODE.fd", OVMF_DIR "/OVMF_VARS.fd"},
    {OVMF_DIR "/OVMF_CODE_4M.secboot.fd", OVMF_DIR "/OVMF_VARS_4M.fd"},
    {OVMF_DIR "/OVMF_CODE.secboot.fd", OVMF_DIR "/OVMF_VARS.fd"},
};

static bool
is(const char *v, const char *want)
{
    return v && strcmp(v, want) == 0;
}

static json_object *
os_node(json_object *tree)
{
    return qemu_tree_kid(tree, "os", 0);
}

static const char *
text_of(json_object *o)
{
    json_object *v;
    return o && json_object_object_get_ex(o, "#text", &v) ? json_object_get_string(v) : NULL;
}

/* Whether @tree boots UEFI from pflash (not a <loader type='rom'>). */
static bool
wants_pflash(json_object *tree)
{
    json_object *os = os_node(tree), *loader = qemu_tree_kid(os, "loader", 0);
    if (is(qemu_tree_attr(loader, "type"), "rom"))
        return false;
    return is(qemu_tree_attr(os, "firmware"), "efi") || text_of(loader) ||
           qemu_tree_kid(os, "nvram", 0);
}

/* Refusals that need no file: what the driver cannot run. */
static int
check(json_object *tree)
{
    json_object *os = os_node(tree), *loader = qemu_tree_kid(os, "loader", 0), *f;
    for (size_t i = 0; (f = qemu_tree_kid(qemu_tree_kid(os, "firmware", 0), "feature", i)); i++) {
        if (is(qemu_tree_attr(f, "enabled"), "yes"))
            return vp_plugin_error_set(
                VP_ERR_NOT_SUPPORTED,
                "<firmware><feature enabled='yes' name='%s'/> is not supported by the qemu driver; it boots OVMF without secure boot",
                qemu_tree_attr(f, "name"));
    }
    if (is(qemu_tree_attr(loader, "type"), "rom") && qemu_tree_kid(os, "nvram", 0))
        return vp_plugin_error_set(VP_ERR_NOT_SUPPORTED,
                                   "<loader type='rom'> with <nvram> is not supported: a ROM "
                                   "has no variable store; use type='pflash'");
    if (loader && !text_of(loader) && !is(qemu_tree_attr(os, "firmware"), "efi"))
        return vp_plugin_error_set(VP_ERR_XML,
                                   "<loader> needs a path, or <os firmware='efi'> to pick one");
    return 0;
}

/* The template of @code, or NULL when the driver knows none. */
static const char *
template_of(const char *code)
{
    for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
        if (strcmp(known[i].code, code) == 0)
            return known[i].vars;
    }
    return NULL;
}

/* Copy @template to @vars unless @vars exists; atomically, so a kill
 * leaves no half store (a stale temporary file goes with the next write). */
static int
create_vars(const char *domain, const char *template, const char *vars)
{
    if (access(vars, F_OK) == 0)
        return 0;
    _cleanup_free_ char *data = NULL;
    size_t size = 0;
    if (access(template, R_OK) < 0)
        return vp_plugin_error_set_errno(
            VP_ERR_INVALID_ARG, errno,
            "cannot start domain '%s': its UEFI variable template '%s' cannot be read (install the package ovmf, or name another <nvram template>)",
            domain, template);
    int r = vp_plugin_file_read(template, 64 * 1024 * 1024, &data, &size);
    if (r < 0)
        return r;
    VP_PLUGIN_DEBUG(QEMU_AREA, "domain '%s': UEFI variables '%s' from '%s'", domain, vars,
                    template);
    return vp_plugin_file_write_atomic(vars, data, size, 0600);
}

int
qemu_firmware_prepare(const qemu_driver *drv, json_object *tree, const char *domain)
{
    int r = tree ? check(tree) : 0;
    if (r < 0 || !tree || !wants_pflash(tree))
        return r;
    json_object *os = os_node(tree), *loader = qemu_tree_kid(os, "loader", 0);
    json_object *nvram = qemu_tree_kid(os, "nvram", 0);
    const char *code = text_of(loader) ? text_of(loader) : known[0].code;
    if (access(code, R_OK) < 0)
        return vp_plugin_error_set_errno(
            VP_ERR_INVALID_ARG, errno,
            "cannot start domain '%s': its UEFI firmware '%s' cannot be read (install the package ovmf, or name another <loader>)",
            domain, code);
    const char *template = qemu_tree_attr(nvram, "template");
    if (!template)
        template = template_of(code);
    _cleanup_free_ char *own = qemu_firmware_own_vars(drv, domain);
    const char *vars = text_of(nvram) ? text_of(nvram) : own;
    if (!template && access(vars, F_OK) < 0)
        return vp_plugin_error_set(
            VP_ERR_INVALID_ARG,
            "cannot start domain '%s': no UEFI variable store '%s' and no template for loader '%s'; add <nvram template='...'/>",
            domain, vars, code);
    if (template)
        r = create_vars(domain, template, vars);
    if (r < 0)
        return r;
    json_object_object_add(os, "@" RESOLVED_CODE, json_object_new_string(code));
    json_object_object_add(os, "@" RESOLVED_VARS, json_object_new_string(vars));
    return 0;
}

int
qemu_firmware_args(qemu_args *a, json_object *tree)
{
    int r = check(tree);
    if (r < 0)
        return r;
    json_object *os = os_node(tree), *loader = qemu_tree_kid(os, "loader", 0);
    if (is(qemu_tree_attr(loader, "type"), "rom")) {
        if (text_of(loader))
            qemu_args_add(a, "-bios", qemu_opts_value(text_of(loader)));
        return 0;
    }
    const char *code = qemu_tree_attr(os, RESOLVED_CODE), *vars = qemu_tree_attr(os, RESOLVED_VARS);
    if (!code || !vars)
        return 0; /* checking a define: the files are found at start */
    _cleanup_free_ char *c = qemu_opts_value(code), *v = qemu_opts_value(vars);
    qemu_args_add(a, "-drive", vp_asprintf("if=pflash,format=raw,unit=0,readonly=on,file=%s", c));
    qemu_args_add(a, "-drive", vp_asprintf("if=pflash,format=raw,unit=1,file=%s", v));
    return 0;
}

char **
qemu_firmware_installed(void)
{
    char **codes = vp_new0(char *, sizeof(known) / sizeof(known[0]) + 1);
    size_t n = 0;
    for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
        /* Secure boot is refused: its builds are not offered. */
        if (strstr(known[i].code, ".secboot.") || access(known[i].code, R_OK) < 0 ||
            access(known[i].vars, R_OK) < 0)
            continue;
        codes[n++] = vp_strdup(known[i].code);
    }
    return codes;
}

char *
qemu_firmware_own_vars(const qemu_driver *drv, const char *domain)
{
    return vp_asprintf("%s/%s" VARS_SUFFIX, drv->config_dir, domain);
}

int
qemu_firmware_undefine_check(const qemu_driver *drv, json_object *tree, const char *domain,
                             unsigned int flags, char **ret_remove)
{
    *ret_remove = NULL;
    if (!tree || !wants_pflash(tree))
        return 0;
    json_object *nvram = qemu_tree_kid(os_node(tree), "nvram", 0);
    _cleanup_free_ char *vars =
        text_of(nvram) ? vp_strdup(text_of(nvram)) : qemu_firmware_own_vars(drv, domain);
    struct stat st;
    if (lstat(vars, &st) < 0)
        return 0; /* never started, or removed by an undefine that was killed */
    if (flags & VP_DOMAIN_UNDEFINE_KEEP_NVRAM)
        return 0;
    if (!(flags & VP_DOMAIN_UNDEFINE_NVRAM))
        return vp_plugin_error_set(
            VP_ERR_OPERATION_INVALID,
            "cannot undefine domain with nvram: domain '%s' has the UEFI variable store '%s'; undefine it with --nvram (VP_DOMAIN_UNDEFINE_NVRAM) to remove the store too, or with --keep-nvram (VP_DOMAIN_UNDEFINE_KEEP_NVRAM) to keep it",
            domain, vars);
    if (!S_ISREG(st.st_mode))
        return vp_plugin_error_set(
            VP_ERR_OPERATION_INVALID,
            "cannot undefine domain '%s' with --nvram: its variable store '%s' is not a regular file, and the qemu driver removes nothing else; use --keep-nvram",
            domain, vars);
    *ret_remove = VP_STEAL_PTR(vars);
    return 0;
}

int
qemu_firmware_remove_vars(const qemu_driver *drv, const char *domain, const char *path)
{
    qemu_firmware_remove_own_vars(drv, domain, false);
    if (!path)
        return 0;
    if (unlink(path) < 0 && errno != ENOENT)
        return vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno, "failed to remove nvram: %s", path);
    VP_PLUGIN_DEBUG(QEMU_AREA, "domain '%s': removed its UEFI variable store '%s'", domain, path);
    return 0;
}

void
qemu_firmware_remove_own_vars(const qemu_driver *drv, const char *domain, bool store)
{
    /* The store (when asked) and the temporary file of a copy that was
     * killed. */
    _cleanup_free_ char *base = vp_asprintf("%s" VARS_SUFFIX, domain);
    _cleanup_free_ char *tmp = vp_asprintf("%s.tmp.", base);
    DIR *d = opendir(drv->config_dir);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if ((!store || strcmp(e->d_name, base) != 0) && strncmp(e->d_name, tmp, strlen(tmp)) != 0)
            continue;
        _cleanup_free_ char *path = vp_asprintf("%s/%s", drv->config_dir, e->d_name);
        if (unlink(path) == 0)
            VP_PLUGIN_DEBUG(QEMU_AREA, "domain '%s': removed '%s'", domain, path);
    }
    if (d)
        closedir(d);
}
