/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-hostcaps.c: what this host's QEMU binary has of the optional
 * pieces a domain may need (SPICE).
 *
 * Owns the probe of a binary: whether it has the SPICE server (-spice),
 * the qxl display, USB redirection (usb-redir) and SPICE audio, each
 * asked of the binary itself through its help output (Debian builds them
 * as modules, which a host may lack), and the cache of the answer in the
 * runtime directory, keyed by the binary's path, inode, size and times,
 * so a probe runs once per binary, not once per start. A domain that
 * needs a piece the binary lacks is refused with VP_ERR_NOT_SUPPORTED
 * naming the piece, at define and again at start. Also what
 * domcapabilities adds to the table's document about this host: whether
 * swtpm is installed (<tpm supported='no'/> without it, libvirt's
 * backendModel and backendVersion with it) and which OVMF builds are
 * (<os><loader><value>s; no efi firmware without one). It never starts a
 * guest; the probes run QEMU with help options only.
 */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "qemu-devices.h"
#include "qemu-driver.h"

#define HOSTCAPS_FILE ".qemu-hostcaps.json"
#define PROBE_TIMEOUT_MS 10000

/* The pieces: a name, how the binary is asked, what the answer holds. */
static const struct piece {
    const char *name;    /* the key in the cache */
    const char *what;    /* for the refusal */
    const char *args[3]; /* after the binary */
    const char *line;    /* a line of stdout that says yes (-spice help exits 1
                          * after it); NULL: exit status 0 */
} pieces[] = {
    {"spice", "the SPICE server (-spice)", {"-spice", "help", NULL}, "spice options:"},
    {"qxl", "the qxl display (-device qxl-vga)", {"-device", "qxl-vga,help", NULL}, NULL},
    {"usb-redir", "USB redirection (-device usb-redir)", {"-device", "usb-redir,help", NULL}, NULL},
    {"spice-audio", "SPICE audio (-audiodev spice)", {"-audiodev", "help", NULL}, "spice"},
};
#define N_PIECES (sizeof(pieces) / sizeof(pieces[0]))

static bool
has_line(const char *text, const char *line)
{
    size_t n = strlen(line);
    for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
        if (strncmp(p, line, n) == 0 && (p[n] == '\n' || p[n] == '\0'))
            return true;
    }
    return false;
}

static bool
probe_piece(const char *binary, const struct piece *p)
{
    const char *argv[] = {binary, p->args[0], p->args[1], NULL};
    int status = -1;
    _cleanup_free_ char *out = NULL, *err = NULL;
    if (vp_plugin_command_run(argv, PROBE_TIMEOUT_MS, &status, &out, &err) < 0)
        return false;
    bool yes = p->line ? has_line(out, p->line) : status == 0;
    VP_PLUGIN_DEBUG(QEMU_AREA, "QEMU '%s' %s %s", binary, yes ? "has" : "lacks", p->what);
    return yes;
}

/* Who the binary is: its answers hold while this stays the same. */
static char *
binary_identity(const char *binary)
{
    struct stat st;
    if (stat(binary, &st) < 0)
        return NULL;
    return vp_asprintf("%llu:%llu:%lld.%09ld:%lld.%09ld", (unsigned long long)st.st_ino,
                       (unsigned long long)st.st_size, (long long)st.st_mtim.tv_sec,
                       st.st_mtim.tv_nsec, (long long)st.st_ctim.tv_sec, st.st_ctim.tv_nsec);
}

/* The cached answers for @binary (an object of booleans), or NULL. */
static json_object *
cache_lookup(json_object *cache, const char *binary, const char *identity)
{
    json_object *entry, *id, *has;
    if (!cache || !json_object_object_get_ex(cache, binary, &entry) ||
        !json_object_object_get_ex(entry, "identity", &id) ||
        strcmp(json_object_get_string(id), identity) != 0 ||
        !json_object_object_get_ex(entry, "has", &has))
        return NULL;
    for (size_t i = 0; i < N_PIECES; i++) {
        if (!json_object_object_get_ex(has, pieces[i].name, NULL))
            return NULL; /* written by a version that asked less */
    }
    return has;
}

/* The answers for @binary: from the cache, else probed and cached.
 * (transfer full) */
static json_object *
binary_answers(const qemu_driver *drv, const char *binary)
{
    _cleanup_free_ char *identity = binary_identity(binary);
    if (!identity)
        return NULL; /* not there: the launch says so */
    _cleanup_free_ char *path = vp_asprintf("%s/" HOSTCAPS_FILE, drv->runtime_dir);
    _cleanup_free_ char *text = NULL;
    _cleanup_(json_object_putp) json_object *cache = NULL;
    if (access(path, F_OK) == 0 && vp_plugin_file_read(path, 1024 * 1024, &text, NULL) >= 0)
        cache = json_tokener_parse(text);
    if (!json_object_is_type(cache, json_type_object)) {
        json_object_put(cache);
        cache = json_object_new_object();
    }
    json_object *has = cache_lookup(cache, binary, identity);
    if (has)
        return json_object_get(has);
    has = json_object_new_object();
    for (size_t i = 0; i < N_PIECES; i++)
        json_object_object_add(has, pieces[i].name,
                               json_object_new_boolean(probe_piece(binary, &pieces[i])));
    json_object *entry = json_object_new_object();
    json_object_object_add(entry, "identity", json_object_new_string(identity));
    json_object_object_add(entry, "has", json_object_get(has));
    json_object_object_add(cache, binary, entry);
    const char *out = json_object_to_json_string_ext(cache, JSON_C_TO_STRING_PLAIN);
    /* Only a cache: a failed write costs a probe next time. */
    (void)vp_plugin_file_write_atomic(path, out, strlen(out), 0600);
    return has;
}

/* Which pieces @tree needs; the element that needs it, for the message. */
static const char *
needed_by(json_object *tree, const char *piece)
{
    json_object *o;
    if (strcmp(piece, "spice") == 0)
        return qemu_tree_has_spice(tree) ? "<graphics type='spice'>" : NULL;
    if (strcmp(piece, "qxl") == 0) {
        o = qemu_tree_kid(qemu_tree_kid(tree, "video", 0), "model", 0);
        const char *t = qemu_tree_attr(o, "type");
        return t && strcmp(t, "qxl") == 0 ? "<video><model type='qxl'>" : NULL;
    }
    if (strcmp(piece, "usb-redir") == 0)
        return qemu_tree_kid(tree, "redirdev", 0) ? "<redirdev bus='usb'>" : NULL;
    for (size_t i = 0; (o = qemu_tree_kid(tree, "audio", i)); i++) {
        const char *t = qemu_tree_attr(o, "type");
        if (t && strcmp(t, "spice") == 0)
            return "<audio type='spice'>";
    }
    /* The backend libvirt gives a <sound> without <audio> beside SPICE. */
    if (qemu_tree_kid(tree, "sound", 0) && !qemu_tree_kid(tree, "audio", 0) &&
        qemu_tree_has_spice(tree))
        return "<sound> beside <graphics type='spice'>";
    return NULL;
}

int
qemu_hostcaps_check(const qemu_driver *drv, const char *binary, json_object *tree)
{
    bool any = false;
    for (size_t i = 0; tree && i < N_PIECES; i++)
        any = any || needed_by(tree, pieces[i].name);
    if (!any)
        return 0;
    _cleanup_(json_object_putp) json_object *has = binary_answers(drv, binary);
    for (size_t i = 0; has && i < N_PIECES; i++) {
        const char *element = needed_by(tree, pieces[i].name);
        json_object *v;
        if (!element ||
            (json_object_object_get_ex(has, pieces[i].name, &v) && json_object_get_boolean(v)))
            continue;
        return vp_plugin_error_set(
            VP_ERR_NOT_SUPPORTED,
            "%s is not supported on this host: its QEMU '%s' lacks %s (Debian: the package qemu-system-x86 with its modules)",
            element, binary, pieces[i].what);
    }
    return 0;
}

/* ---- domcapabilities -------------------------------------------------------- */

typedef struct host_facts {
    bool swtpm;
    char **loaders; /* OVMF code files */
} host_facts;

/* @text with @insert put before the first @marker after @from (both must
 * be there, else @text as is). (transfer full) */
static char *
insert_before(const char *text, const char *from, const char *marker, const char *insert)
{
    const char *start = strstr(text, from);
    const char *at = start ? strstr(start, marker) : NULL;
    if (!at)
        return vp_strdup(text);
    return vp_asprintf("%.*s%s%s", (int)(at - text), text, insert, at);
}

/* @text without the first @what after @from and before @until. (transfer full) */
static char *
drop_between(const char *text, const char *from, const char *until, const char *what)
{
    const char *start = strstr(text, from);
    const char *end = start ? strstr(start, until) : NULL;
    const char *at = start ? strstr(start, what) : NULL;
    if (!at || (end && at > end))
        return vp_strdup(text);
    return vp_asprintf("%.*s%s", (int)(at - text), text, at + strlen(what));
}

/* @text with the element from @from to the end of @until replaced by @by. */
static char *
replace_block(const char *text, const char *from, const char *until, const char *by)
{
    const char *start = strstr(text, from);
    const char *end = start ? strstr(start, until) : NULL;
    if (!end)
        return vp_strdup(text);
    return vp_asprintf("%.*s%s%s", (int)(start - text), text, by, end + strlen(until));
}

static char *
xml_with_facts(const char *caps, const host_facts *h)
{
    _cleanup_free_ char *a = NULL, *b = NULL;
    if (h->swtpm)
        a = insert_before(caps, "    <tpm supported='yes'>\n", "    </tpm>\n",
                          "      <enum name='backendModel'>\n"
                          "        <value>emulator</value>\n"
                          "      </enum>\n"
                          "      <enum name='backendVersion'>\n"
                          "        <value>2.0</value>\n"
                          "      </enum>\n");
    else
        a = replace_block(caps, "    <tpm supported='yes'>\n", "    </tpm>\n",
                          "    <tpm supported='no'/>\n");
    /* libvirt's <loader> of <os>: the firmware files found. */
    _cleanup_free_ char *values = vp_strdup("");
    for (char **l = h->loaders; *l; l++) {
        char *v = vp_asprintf("%s      <value>%s</value>\n", values, *l);
        free(values);
        values = v;
    }
    _cleanup_free_ char *loader = vp_asprintf("    <loader supported='yes'>\n%s"
                                              "      <enum name='type'>\n"
                                              "        <value>rom</value>\n"
                                              "        <value>pflash</value>\n"
                                              "      </enum>\n"
                                              "      <enum name='readonly'>\n"
                                              "        <value>yes</value>\n"
                                              "      </enum>\n"
                                              "      <enum name='secure'>\n"
                                              "        <value>no</value>\n"
                                              "      </enum>\n"
                                              "    </loader>\n",
                                              values);
    b = insert_before(a, "  <os supported='yes'>\n", "  </os>\n", loader);
    if (h->loaders[0])
        return VP_STEAL_PTR(b);
    /* No OVMF: <os firmware='efi'> cannot start here. */
    return drop_between(b, "    <enum name='firmware'>\n", "    </enum>\n",
                        "      <value>efi</value>\n");
}

static json_object *
strv_json(char *const *v)
{
    json_object *a = json_object_new_array();
    for (; v && *v; v++)
        json_object_array_add(a, json_object_new_string(*v));
    return a;
}

static int
json_with_facts(const char *caps, const host_facts *h, char **ret_caps)
{
    _cleanup_(json_object_putp) json_object *doc = json_tokener_parse(caps);
    json_object *os, *devices, *tpm, *enums, *firmware;
    if (!json_object_is_type(doc, json_type_object))
        return vp_plugin_error_set(VP_ERR_SYSTEM, "the domain capabilities are not JSON");
    if (json_object_object_get_ex(doc, "devices", &devices) &&
        json_object_object_get_ex(devices, "tpm", &tpm)) {
        if (!h->swtpm) {
            json_object_object_add(tpm, "supported", json_object_new_boolean(0));
            json_object_object_del(tpm, "enums");
        } else if (json_object_object_get_ex(tpm, "enums", &enums)) {
            json_object_object_add(enums, "backendModel",
                                   strv_json((char *const[]){"emulator", NULL}));
            json_object_object_add(enums, "backendVersion",
                                   strv_json((char *const[]){"2.0", NULL}));
        }
    }
    if (json_object_object_get_ex(doc, "os", &os)) {
        json_object *loader = json_object_new_object();
        json_object_object_add(loader, "supported", json_object_new_boolean(1));
        json_object_object_add(loader, "values", strv_json(h->loaders));
        json_object_object_add(os, "loader", loader);
        if (!h->loaders[0] && json_object_object_get_ex(os, "enums", &enums) &&
            json_object_object_get_ex(enums, "firmware", &firmware))
            json_object_object_add(enums, "firmware", strv_json((char *const[]){"bios", NULL}));
    }
    *ret_caps = vp_asprintf("%s\n", json_object_to_json_string_ext(doc, JSON_C_TO_STRING_SPACED));
    return 0;
}

int
qemu_conn_host_domain_capabilities(void *priv, unsigned int flags, const char *caps,
                                   char **ret_caps)
{
    const qemu_driver *drv = priv;
    _cleanup_free_ char *swtpm = NULL;
    int r = qemu_tpm_swtpm(drv, &swtpm);
    if (r < 0)
        return r;
    host_facts h = {.swtpm = access(swtpm, X_OK) == 0, .loaders = qemu_firmware_installed()};
    VP_PLUGIN_DEBUG(QEMU_AREA, "domcapabilities: swtpm '%s' %s, OVMF %s", swtpm,
                    h.swtpm ? "installed" : "missing", h.loaders[0] ? h.loaders[0] : "missing");
    if (flags & VP_DOMAIN_CAPS_JSON)
        r = json_with_facts(caps, &h, ret_caps);
    else
        *ret_caps = xml_with_facts(caps, &h);
    vp_strv_free(h.loaders);
    return r;
}
