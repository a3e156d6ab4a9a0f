/* SPDX-License-Identifier: MIT-0 */
/* Copyright (C) 2026 The virtplug developers */
/*
 * hello.c: an example virtplug hypervisor plugin, built out of the tree
 * with nothing but the installed SDK (pkg-config virtplug-sdk).
 *
 * It serves the URI hello:///PATH: every PATH/NAME.xml file holds one domain
 * definition in libvirt's domain XML. It can list the domains, look them
 * up, report their state (always "shut off": hello runs nothing) and dump
 * their XML. It leaves every other slot empty, so virtplug answers "driver
 * 'hello' does not implement 'domain-start'" for them. The files are read
 * once, when the connection opens; afterwards the connection's data is
 * read-only, which makes every slot safe to call from several threads
 * without a lock.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <virtplug/sdk/alloc.h>
#include <virtplug/sdk/conf.h>
#include <virtplug/sdk/driver.h>
#include <virtplug/sdk/plugin.h>
#include <virtplug/sdk/services.h>

/* Domain files larger than this are refused rather than read. */
#define HELLO_MAX_FILE_BYTES (1024 * 1024)

typedef struct hello_conn {
    char *dir;
    vp_domain_def **defs; /* sorted by name */
    size_t n_defs;
} hello_conn;

static void
hello_conn_free(hello_conn *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n_defs; i++)
        vp_plugin_domain_def_free(c->defs[i]);
    free(c->defs);
    free(c->dir);
    free(c);
}
VP_DEFINE_CLEANUP(hello_conn, hello_conn_free)

static int
hello_def_compare(const void *a, const void *b)
{
    const vp_domain_def *da = *(vp_domain_def *const *)a;
    const vp_domain_def *db = *(vp_domain_def *const *)b;
    return strcmp(da->name, db->name);
}

static bool
hello_is_xml_file(const char *name)
{
    size_t n = strlen(name);
    return name[0] != '.' && n > 4 && strcmp(name + n - 4, ".xml") == 0;
}

/* Parse @path and append its domain to @c. */
static int
hello_load_file(hello_conn *c, const char *path)
{
    _cleanup_free_ char *xml = NULL;
    int r = vp_plugin_file_read(path, HELLO_MAX_FILE_BYTES, &xml, NULL);
    if (r < 0)
        return r;
    vp_domain_def *def = NULL;
    r = vp_plugin_domain_def_parse(xml, 0, &def);
    if (r < 0) {
        /* The parser's message says what and which line; add the file. */
        const vp_error *e = vp_error_last();
        _cleanup_free_ char *why = vp_strdup(e ? e->message : "invalid XML");
        return vp_plugin_error_set(r, "domain file '%s': %s", path, why);
    }
    for (size_t i = 0; i < c->n_defs; i++) {
        if (strcmp(c->defs[i]->name, def->name) == 0) {
            vp_plugin_error_set(VP_ERR_EXISTS,
                                "domain file '%s' defines '%s' again; rename one of them", path,
                                def->name);
            vp_plugin_domain_def_free(def);
            return VP_ERR_EXISTS;
        }
    }
    c->defs = vp_renew(vp_domain_def *, c->defs, c->n_defs + 1);
    c->defs[c->n_defs++] = def;
    return 0;
}

static int
hello_load_dir(hello_conn *c)
{
    DIR *d = opendir(c->dir);
    if (!d)
        return vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno,
                                         "cannot read the hello domain directory '%s'", c->dir);
    int r = 0;
    struct dirent *de;
    while (r >= 0 && (de = readdir(d))) {
        if (!hello_is_xml_file(de->d_name))
            continue;
        _cleanup_free_ char *path = vp_asprintf("%s/%s", c->dir, de->d_name);
        r = hello_load_file(c, path);
    }
    closedir(d);
    if (r < 0)
        return r;
    if (c->n_defs > 1) /* an empty directory leaves c->defs NULL */
        qsort(c->defs, c->n_defs, sizeof(*c->defs), hello_def_compare);
    return 0;
}

static int
hello_conn_open(const vp_plugin_uri *uri, unsigned int flags, void **ret_priv)
{
    const char *path = vp_plugin_uri_get_path(uri);
    if (path[0] != '/')
        return vp_plugin_error_set(VP_ERR_INVALID_ARG,
                                   "URI '%s' names no directory; use hello:///ABSOLUTE/DIR",
                                   vp_plugin_uri_get_string(uri));
    _cleanup_(hello_conn_freep) hello_conn *c = vp_new0(hello_conn, 1);
    c->dir = vp_strdup(path);
    int r = hello_load_dir(c);
    if (r < 0)
        return r;
    VP_PLUGIN_DEBUG("hello", "%zu domains in '%s'", c->n_defs, c->dir);
    *ret_priv = VP_STEAL_PTR(c);
    return 0;
}

static void
hello_conn_close(void *priv)
{
    hello_conn_free(priv);
}

static int
hello_list_domains(void *priv, unsigned int flags, char ***ret_names)
{
    hello_conn *c = priv;
    /* Nothing runs: the active list is empty, the inactive one is all. */
    bool all = flags == 0 || (flags & VP_LIST_DOMAINS_INACTIVE);
    size_t n = all ? c->n_defs : 0;
    char **names = vp_new0(char *, n + 1);
    for (size_t i = 0; i < n; i++)
        names[i] = vp_strdup(c->defs[i]->name);
    *ret_names = names;
    return (int)n;
}

static const vp_domain_def *
hello_find(const hello_conn *c, const char *name)
{
    for (size_t i = 0; i < c->n_defs; i++)
        if (strcmp(c->defs[i]->name, name) == 0)
            return c->defs[i];
    return NULL;
}

static int
hello_no_domain(const hello_conn *c, const char *name)
{
    return vp_plugin_error_set(VP_ERR_NO_DOMAIN, "no domain named '%s' in '%s'", name, c->dir);
}

static int
hello_domain_lookup(void *priv, const char *name)
{
    return hello_find(priv, name) ? 0 : hello_no_domain(priv, name);
}

static int
hello_domain_get_state(void *priv, const char *name, int *ret_state, int *ret_reason,
                       unsigned int flags)
{
    if (!hello_find(priv, name))
        return hello_no_domain(priv, name);
    *ret_state = VP_DOMAIN_SHUTOFF;
    *ret_reason = VP_DOMAIN_SHUTOFF_UNKNOWN;
    return 0;
}

static int
hello_domain_get_xml(void *priv, const char *name, unsigned int flags, char **ret_xml)
{
    const vp_domain_def *def = hello_find(priv, name);
    if (!def)
        return hello_no_domain(priv, name);
    return vp_plugin_domain_def_format(def, 0, ret_xml);
}

/* Designated initializers: every slot not named here stays NULL. */
static const vp_hypervisor_driver hello_driver = {
    .conn_open = hello_conn_open,
    .conn_close = hello_conn_close,
    .conn_list_domains = hello_list_domains,
    .domain_lookup = hello_domain_lookup,
    .domain_get_state = hello_domain_get_state,
    .domain_get_xml = hello_domain_get_xml,
};

VP_PLUGIN_DEFINE(hello, .name = "hello", .version = "1.0.0", .license = "MIT-0",
                 .description = "example driver: domains from XML files (hello:///DIR)",
                 .package = "virtplug-plugin-hello", .hypervisor = &hello_driver,
                 .hypervisor_size = sizeof(hello_driver));
