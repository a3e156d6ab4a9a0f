/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-domain.c: domain definitions and runtime records on disk.
 *
 * Owns CONFIG/NAME.xml (the persistent definition, written only through
 * vp_plugin_file_write_atomic) and RUNTIME/NAME.json (the runtime record:
 * QEMU's process identity, socket paths, state and reason). A later process
 * finds a running QEMU from the record alone. It never starts or signals
 * QEMU (qemu-process.c does) and never talks QMP.
 */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "qemu-driver.h"
#include "qemu-devices.h"

#define QEMU_RECORD_MAX_BYTES (64 * 1024)
#define QEMU_XML_MAX_BYTES (1024 * 1024)

void
qemu_record_free(qemu_record *rec)
{
    if (!rec)
        return;
    free(rec->qmp_path);
    free(rec->agent_path);
    json_object_put(rec->notes);
    free(rec);
}

/* Names become file names (the SDK's rule) and parts of QEMU options,
 * which split on ','; no hidden files. The define refuses a bad name with
 * the whole rule (qemu-driver.c); lookups answer "no such domain". */
bool
qemu_domain_name_valid(const char *name)
{
    return name &&
           vp_plugin_name_is_safe("domain name", name, QEMU_NAME_MAX, "\\,",
                                  VP_PLUGIN_NAME_NO_LEADING_DOT | VP_PLUGIN_NAME_QUIET) == 0;
}

char *
qemu_domain_path(const qemu_driver *drv, const char *name, const char *suffix)
{
    const char *dir = strcmp(suffix, ".xml") == 0 ? drv->config_dir : drv->runtime_dir;
    return vp_asprintf("%s/%s%s", dir, name, suffix);
}

int
qemu_domain_load_def(const qemu_driver *drv, const char *name, vp_domain_def **ret_def)
{
    if (!qemu_domain_name_valid(name))
        return vp_plugin_error_set(VP_ERR_NO_DOMAIN, "no domain named '%s'", name);
    _cleanup_free_ char *path = qemu_domain_path(drv, name, ".xml");
    if (access(path, F_OK) < 0 && errno == ENOENT)
        return vp_plugin_error_set(VP_ERR_NO_DOMAIN, "no domain named '%s'", name);
    _cleanup_free_ char *xml = NULL;
    int r = vp_plugin_file_read(path, QEMU_XML_MAX_BYTES, &xml, NULL);
    if (r < 0)
        return r;
    return vp_plugin_domain_def_parse(xml, 0, ret_def);
}

int
qemu_domain_save_def(const qemu_driver *drv, const vp_domain_def *def)
{
    _cleanup_free_ char *xml = NULL;
    int r = vp_plugin_domain_def_format(def, 0, &xml);
    if (r < 0)
        return r;
    _cleanup_free_ char *path = qemu_domain_path(drv, def->name, ".xml");
    qemu_generation_bump(drv);
    return vp_plugin_file_write_atomic(path, xml, strlen(xml), 0600);
}

static char *
extras_path(const qemu_driver *drv, const char *name)
{
    return vp_asprintf("%s/%s.extras.json", drv->config_dir, name);
}

static int
delete_extras(const qemu_driver *drv, const char *name)
{
    _cleanup_free_ char *extras = extras_path(drv, name);
    if (unlink(extras) < 0 && errno != ENOENT)
        return vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno, "cannot remove '%s'", extras);
    return 0;
}

int
qemu_domain_delete_def(const qemu_driver *drv, const char *name)
{
    _cleanup_free_ char *path = qemu_domain_path(drv, name, ".xml");
    qemu_generation_bump(drv);
    if (unlink(path) < 0 && errno != ENOENT)
        return vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno, "cannot remove '%s'", path);
    int r = delete_extras(drv, name);
    return r < 0 ? r : qemu_define_next_remove(drv, name);
}

/* ---- the definition beyond the 1.0 subset --------------------------------
 *
 * CONFIG/NAME.xml stays the 1.0 definition every part of the driver reads
 * and writes (snapshots point its disks at overlays). CONFIG/NAME.extras.json
 * holds, from the define: "xml", the whole definition as the core formatted
 * it; "base", NAME.xml as written then; "domain" and "devices", the text of
 * the elements the 1.0 subset lacks; "tree", those elements for the command
 * line (qemu-devices.c). A define is two files, so it is staged: the
 * extras are written first with "pending", then NAME.xml, then the extras
 * again without it. A define killed in between is settled by the next
 * operation under the lock (qemu_domain_settle_define): finished when
 * NAME.xml exists (a redefine: the new definition was staged whole), undone
 * when it does not (a first define that never became visible). dumpxml
 * hands back "xml" while pending or while NAME.xml is still "base", else
 * NAME.xml with the extra elements put back.
 */

/* Whether @line opens an element named in @names at @indent spaces. */
static bool
opens_one_of(const char *line, int indent, const char *const *names, const char **ret_name)
{
    for (int i = 0; i < indent; i++) {
        if (line[i] != ' ')
            return false;
    }
    if (line[indent] != '<')
        return false;
    for (const char *const *n = names; *n; n++) {
        size_t len = strlen(*n);
        char after = line[indent + 1 + len];
        if (strncmp(line + indent + 1, *n, len) == 0 &&
            (after == ' ' || after == '>' || after == '/')) {
            *ret_name = *n;
            return true;
        }
    }
    return false;
}

/* Append the @len bytes at @line to @buf. */
static void
buf_add(char *buf, size_t *n, const char *line, size_t len)
{
    memcpy(buf + *n, line, len);
    *n += len;
}

/* ---- disks and the agent channel: kept in NAME.xml in their 1.0 form ---- */

/* The value of attribute @name in the tag @line (up to its end), or NULL.
 * The core writes attributes as name='value', with ' escaped. (transfer full) */
static char *
attr_in(const char *line, size_t len, const char *name)
{
    _cleanup_free_ char *key = vp_asprintf(" %s='", name);
    _cleanup_free_ char *l = vp_strndup(line, len);
    const char *at = strstr(l, key);
    if (!at)
        return NULL;
    at += strlen(key);
    return vp_strndup(at, strcspn(at, "'"));
}

/* The tag @line with only the attributes @keep (and @name's value replaced
 * by @value when @name is given), newline included. */
static char *
tag_with(const char *line, size_t len, const char *const *keep, const char *name, const char *value)
{
    size_t indent = strspn(line, " ");
    size_t head = indent + strcspn(line + indent, " />\n");
    const char *close = line + len;
    while (close > line && (close[-1] == '>' || close[-1] == '/'))
        close--;
    char *out = vp_strndup(line, head);
    for (const char *const *k = keep; *k; k++) {
        _cleanup_free_ char *v =
            name && strcmp(*k, name) == 0 ? vp_strdup(value) : attr_in(line, len, *k);
        if (!v)
            continue;
        char *next = vp_asprintf("%s %s='%s'", out, *k, v);
        free(out);
        out = next;
    }
    char *all = vp_asprintf("%s%.*s\n", out, (int)(line + len - close), close);
    free(out);
    return all;
}

static bool
starts(const char *line, const char *prefix)
{
    return strncmp(line + strspn(line, " "), prefix, strlen(prefix)) == 0;
}

/* @block (a <disk> or <channel> as the core formats it) as the 1.0 subset
 * reads it: type='block' as a file at the same path, and without what the
 * subset lacks (the tree has it). */
static char *
project_block(const char *block)
{
    static const char *const disk_attrs[] = {"type", "device", NULL};
    static const char *const driver_attrs[] = {"name", "type", NULL};
    static const char *const target_attrs[] = {"dev", "bus", NULL}; /* not the running tray */
    static const char *const dropped[] = {"<address ", "<boot ", "<shareable/>", "<alias ", NULL};
    char *out = vp_new0(char, strlen(block) * 2 + 16);
    size_t n = 0;
    bool disk = starts(block, "<disk ");
    for (const char *line = block; *line;) {
        size_t len = strcspn(line, "\n");
        size_t with_nl = len + (line[len] == '\n');
        bool drop = false;
        for (const char *const *d = dropped; *d; d++)
            drop = drop || starts(line, *d);
        _cleanup_free_ char *tag = NULL;
        if (starts(line, "<disk "))
            tag = tag_with(line, len, disk_attrs, "type", "file");
        else if (starts(line, "<driver "))
            tag = tag_with(line, len, driver_attrs, NULL, NULL);
        else if (disk && starts(line, "<target "))
            tag = tag_with(line, len, target_attrs, NULL, NULL);
        else if (starts(line, "<source dev='"))
            tag = vp_asprintf("%.*s<source file='%.*s\n", (int)strspn(line, " "), line,
                              (int)(len - strspn(line, " ") - strlen("<source dev='")),
                              line + strspn(line, " ") + strlen("<source dev='"));
        if (tag)
            buf_add(out, &n, tag, strlen(tag));
        else if (!drop)
            buf_add(out, &n, line, with_nl);
        line += with_nl;
    }
    return out;
}

/* Whether the device block @block of element @name leaves NAME.xml whole:
 * a floppy, a channel but the guest agent's (the 1.0 subset has none). */
static bool
moves_whole(const char *name, const char *block)
{
    if (strcmp(name, "channel") == 0)
        return !strstr(block, " name='org.qemu.guest_agent.0'");
    size_t first = strcspn(block, "\n");
    _cleanup_free_ char *device =
        strcmp(name, "disk") == 0 ? attr_in(block, first, "device") : NULL;
    return device && strcmp(device, "floppy") == 0;
}

/* Whether @line is one of the children of <os> beyond the 1.0 subset
 * (<bootmenu>, UEFI's <loader>, <nvram> and <firmware> with its
 * <feature>s), as the core indents them. */
static bool
os_extra(const char *line)
{
    static const char *const kids[] = {
        "    <bootmenu ",  "    <loader",     "    <nvram", "    <firmware",
        "    </firmware>", "      <feature ", NULL};
    for (const char *const *k = kids; *k; k++) {
        if (strncmp(line, *k, strlen(*k)) == 0)
            return true;
    }
    return false;
}

int
qemu_domain_split_xml(const char *xml, char **ret_base, char **ret_domain, char **ret_devices)
{
    size_t size = strlen(xml) * 2 + 1, nb = 0, nd = 0, nv = 0, nk = 0;
    char *base = vp_new0(char, size), *dom = vp_new0(char, size), *dev = vp_new0(char, size);
    _cleanup_free_ char *kept = vp_new0(char, size); /* a disk or channel being read */
    char *out = base;
    size_t *n_out = &nb;
    const char *kept_name = NULL;
    _cleanup_free_ char *end = NULL; /* the closing line of the block being moved */
    for (const char *line = xml; *line;) {
        size_t len = strcspn(line, "\n");
        size_t with_nl = len + (line[len] == '\n');
        const char *name;
        bool opens = false;
        if (!end && opens_one_of(line, 2, qemu_devices_domain_names, &name)) {
            out = dom, n_out = &nd, opens = true;
            end = vp_asprintf("  </%s>", name);
        } else if (!end && opens_one_of(line, 4, qemu_devices_device_names, &name)) {
            out = dev, n_out = &nv, opens = true;
            end = vp_asprintf("    </%s>", name);
        } else if (!end && opens_one_of(line, 4, qemu_devices_projected_names, &name)) {
            out = kept, n_out = &nk, opens = true, kept_name = name;
            end = vp_asprintf("    </%s>", name);
        } else if (!end && os_extra(line)) {
            line += with_nl; /* of <os>: the tree has it */
            continue;
        } else if (!end && strncmp(line, "  <os ", 6) == 0) {
            buf_add(base, &nb, "  <os>\n", 7); /* firmware='efi': the tree has it */
            line += with_nl;
            continue;
        }
        buf_add(end ? out : base, end ? n_out : &nb, line, with_nl);
        /* Text never holds '<' (it is escaped), so these lines are tags. */
        /* Or closed on its own line: "  <title>text</title>". */
        size_t end_len = end ? strlen(end) - strspn(end, " ") : 0;
        bool self_closed =
            opens && ((len >= 2 && strncmp(line + len - 2, "/>", 2) == 0) ||
                      (len > end_len + 2 &&
                       strncmp(line + len - end_len, end + strspn(end, " "), end_len) == 0));
        if (end && (self_closed || (len == strlen(end) && strncmp(line, end, len) == 0))) {
            free(VP_STEAL_PTR(end));
            if (out == kept) {
                kept[nk] = '\0';
                _cleanup_free_ char *p = moves_whole(kept_name, kept) ? NULL : project_block(kept);
                if (p)
                    buf_add(base, &nb, p, strlen(p));
                else
                    buf_add(dev, &nv, kept, nk);
                nk = 0;
            }
        }
        line += with_nl;
    }
    *ret_base = base;
    *ret_domain = dom;
    *ret_devices = dev;
    return 0;
}

/* The <disk> block of target @target in @xml: its start and length. */
static const char *
find_disk(const char *xml, const char *target, size_t *ret_len)
{
    _cleanup_free_ char *want = vp_asprintf("<target dev='%s'", target);
    for (const char *at = strstr(xml, "\n    <disk "); at; at = strstr(at + 1, "\n    <disk ")) {
        const char *close = strstr(at, "\n    </disk>\n");
        if (!close)
            return NULL;
        const char *t = strstr(at, want);
        if (t && t < close) {
            *ret_len = (size_t)(close + strlen("\n    </disk>") - (at + 1));
            return at + 1;
        }
    }
    return NULL;
}

/* The line of @block starting (after its indent) with @prefix, or NULL. */
static const char *
line_of(const char *block, size_t len, const char *prefix, size_t *ret_len)
{
    for (const char *line = block; line < block + len;) {
        size_t l = strcspn(line, "\n");
        if (starts(line, prefix)) {
            *ret_len = l;
            return line;
        }
        line += l + 1;
    }
    return NULL;
}

/* The whole <disk> @full as it is now: what a snapshot changed in its 1.0
 * form @now (the source, the format) put into it. */
static char *
merge_disk(const char *full, size_t full_len, const char *now, size_t now_len)
{
    static const char *const driver_attrs[] = {"name",    "type",          "cache", "io",
                                               "discard", "detect_zeroes", NULL};
    size_t src_len = 0, drv_len = 0;
    const char *src = line_of(now, now_len, "<source ", &src_len);
    const char *drv = line_of(now, now_len, "<driver ", &drv_len);
    _cleanup_free_ char *fmt = drv ? attr_in(drv, drv_len, "type") : NULL;
    char *out = vp_new0(char, full_len + now_len + 16);
    size_t n = 0;
    bool has_driver = line_of(full, full_len, "<driver ", &(size_t){0}) != NULL;
    for (const char *line = full; line < full + full_len;) {
        size_t len = strcspn(line, "\n");
        _cleanup_free_ char *tag = NULL;
        if (starts(line, "<disk ")) {
            static const char *const disk_attrs[] = {"type", "device", NULL};
            tag = tag_with(line, len, disk_attrs, "type", "file");
        } else if (starts(line, "<driver ") && fmt) {
            tag = tag_with(line, len, driver_attrs, "type", fmt);
        } else if (starts(line, "<source ") && src) {
            tag = vp_asprintf("%.*s\n", (int)src_len, src);
        }
        if (starts(line, "<source ") && drv && !has_driver)
            buf_add(out, &n, drv, drv_len + 1);
        if (tag)
            buf_add(out, &n, tag, strlen(tag));
        else
            buf_add(out, &n, line, len + 1);
        line += len + 1;
    }
    out[n ? n - 1 : 0] = '\0'; /* the block ends without its newline */
    return out;
}

/* The definition as defined (@xml) with the disks as NAME.xml (@base) has
 * them now: a snapshot changes nothing else. */
char *
qemu_domain_merge_xml(const char *xml, const char *base)
{
    char *out = vp_strdup(xml);
    for (const char *at = strstr(base, "\n    <disk "); at; at = strstr(at + 1, "\n    <disk ")) {
        size_t now_len;
        _cleanup_free_ char *target = NULL;
        const char *t = strstr(at, "<target dev='");
        if (t)
            target = vp_strndup(t + 13, strcspn(t + 13, "'"));
        const char *now = target ? find_disk(base, target, &now_len) : NULL;
        size_t full_len;
        const char *full = now ? find_disk(out, target, &full_len) : NULL;
        if (!full)
            continue;
        _cleanup_free_ char *projected = vp_strndup(full, full_len + 1);
        _cleanup_free_ char *p = project_block(projected);
        if (strlen(p) == now_len + 1 && strncmp(p, now, now_len) == 0)
            continue; /* unchanged since the define */
        _cleanup_free_ char *disk = merge_disk(full, full_len + 1, now, now_len + 1);
        char *next = vp_asprintf("%.*s%s%s", (int)(full - out), out, disk, full + full_len);
        free(out);
        out = next;
    }
    return out;
}

static const char *
json_get(json_object *o, const char *key)
{
    json_object *v;
    return json_object_object_get_ex(o, key, &v) ? json_object_get_string(v) : "";
}

int
qemu_domain_extras_read(const qemu_driver *drv, const char *name, json_object **ret_extras)
{
    _cleanup_free_ char *path = extras_path(drv, name);
    _cleanup_free_ char *text = NULL;
    *ret_extras = NULL;
    if (access(path, F_OK) < 0)
        return 0;
    int r = vp_plugin_file_read(path, QEMU_XML_MAX_BYTES * 4, &text, NULL);
    if (r < 0)
        return r;
    *ret_extras = json_tokener_parse(text);
    if (!*ret_extras)
        return vp_plugin_error_set(VP_ERR_INTERNAL,
                                   "'%s' is not valid JSON; define the domain again", path);
    return 0;
}

static int
extras_write(const qemu_driver *drv, const char *name, json_object *o)
{
    const char *text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY);
    _cleanup_free_ char *path = extras_path(drv, name);
    return vp_plugin_file_write_atomic(path, text, strlen(text), 0600);
}

int
qemu_domain_save_defined_base(const qemu_driver *drv, const char *name, const char *base,
                              const char *xml, const char *dom, const char *dev, json_object *tree)
{
    json_object *o = qemu_domain_extras_new(xml, base, dom, dev, tree);
    json_object_object_add(o, "pending", json_object_new_boolean(true));
    int r = extras_write(drv, name, o);
    if (r >= 0) {
        qemu_step("define: definition staged");
        _cleanup_free_ char *xml_path = qemu_domain_path(drv, name, ".xml");
        qemu_generation_bump(drv);
        r = vp_plugin_file_write_atomic(xml_path, base, strlen(base), 0600);
    }
    if (r >= 0) {
        qemu_step("define: 1.0 definition written");
        json_object_object_del(o, "pending");
        r = extras_write(drv, name, o);
    }
    json_object_put(o);
    return r;
}

int
qemu_domain_save_defined(const qemu_driver *drv, const vp_domain_def *def, const char *xml,
                         const char *dom, const char *dev, json_object *tree)
{
    _cleanup_free_ char *base = NULL;
    int r = vp_plugin_domain_def_format(def, 0, &base);
    return r < 0 ? r : qemu_domain_save_defined_base(drv, def->name, base, xml, dom, dev, tree);
}

static bool
extras_pending(json_object *o)
{
    json_object *v;
    return o && json_object_object_get_ex(o, "pending", &v) && json_object_get_boolean(v);
}

int
qemu_domain_settle_define(const qemu_driver *drv, const char *name)
{
    json_object *o = NULL;
    int r = qemu_domain_extras_read(drv, name, &o);
    if (r < 0 || !extras_pending(o)) {
        json_object_put(o);
        return r;
    }
    _cleanup_free_ char *xml_path = qemu_domain_path(drv, name, ".xml");
    if (access(xml_path, F_OK) < 0) {
        VP_PLUGIN_DEBUG(QEMU_AREA, "domain '%s': undoing a first define that was killed", name);
        json_object_put(o);
        return delete_extras(drv, name);
    }
    VP_PLUGIN_DEBUG(QEMU_AREA, "domain '%s': finishing a redefine that was killed", name);
    const char *base = json_get(o, "base");
    qemu_generation_bump(drv);
    r = vp_plugin_file_write_atomic(xml_path, base, strlen(base), 0600);
    if (r >= 0) {
        json_object_object_del(o, "pending");
        r = extras_write(drv, name, o);
    }
    json_object_put(o);
    return r;
}

int
qemu_domain_load_extras(const qemu_driver *drv, const char *name, json_object **ret_tree)
{
    json_object *o = NULL, *tree;
    int r = qemu_domain_extras_read(drv, name, &o);
    if (r < 0)
        return r;
    *ret_tree = o && json_object_object_get_ex(o, "tree", &tree) ? json_object_get(tree) : NULL;
    json_object_put(o);
    return 0;
}

int
qemu_domain_format_xml(const qemu_driver *drv, const char *name, char **ret_xml)
{
    _cleanup_free_ char *path = qemu_domain_path(drv, name, ".xml");
    _cleanup_free_ char *current = NULL;
    int r = vp_plugin_file_read(path, QEMU_XML_MAX_BYTES, &current, NULL);
    if (r < 0)
        return r;
    json_object *o = NULL;
    r = qemu_domain_extras_read(drv, name, &o);
    if (r < 0)
        return r;
    if (!o) {
        vp_domain_def *def = NULL;
        r = vp_plugin_domain_def_parse(current, 0, &def);
        if (r >= 0)
            r = vp_plugin_domain_def_format(def, 0, ret_xml);
        vp_plugin_domain_def_free(def);
        return r < 0 ? r : 0;
    }
    if (extras_pending(o) || strcmp(json_get(o, "base"), current) == 0)
        *ret_xml = vp_strdup(json_get(o, "xml"));
    else
        *ret_xml = qemu_domain_merge_xml(json_get(o, "xml"), current);
    json_object_put(o);
    return 0;
}

int
qemu_name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int
qemu_domain_list_names_marked(const qemu_driver *drv, char ***ret_names, char ***ret_marked)
{
    DIR *d = opendir(drv->config_dir);
    if (!d)
        return vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno, "cannot read directory '%s'",
                                         drv->config_dir);
    size_t n = 0, m = 0;
    char **names = vp_new0(char *, 1), **marked = vp_new0(char *, 1);
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        const char *dot = strrchr(e->d_name, '.');
        if (e->d_name[0] == '.' || !dot || dot == e->d_name)
            continue;
        if (strcmp(dot, ".xml") == 0) {
            names = vp_renew(char *, names, n + 2);
            names[n++] = vp_strndup(e->d_name, len - 4);
            names[n] = NULL;
        } else if (ret_marked && strcmp(dot, QEMU_TRANSIENT_SUFFIX) == 0) {
            marked = vp_renew(char *, marked, m + 2);
            marked[m++] = vp_strndup(e->d_name, (size_t)(dot - e->d_name));
            marked[m] = NULL;
        }
    }
    closedir(d);
    qsort(names, n, sizeof(char *), qemu_name_cmp);
    qsort(marked, m, sizeof(char *), qemu_name_cmp);
    *ret_names = names;
    if (ret_marked)
        *ret_marked = marked;
    else
        vp_strv_free(marked);
    return (int)n;
}

int
qemu_domain_list_names(const qemu_driver *drv, char ***ret_names)
{
    return qemu_domain_list_names_marked(drv, ret_names, NULL);
}

/* ---- runtime records --------------------------------------------------- */

static const char *
json_str(json_object *o, const char *key)
{
    json_object *v;
    return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string)
               ? json_object_get_string(v)
               : NULL;
}

static int64_t
json_int(json_object *o, const char *key)
{
    json_object *v;
    return json_object_object_get_ex(o, key, &v) ? json_object_get_int64(v) : 0;
}

/* Bytes of a record read at once (a record is about 300). */
#define RECORD_ONE_READ 4096

static int
record_read(const qemu_driver *drv, const char *name, qemu_record **ret_rec)
{
    _cleanup_(qemu_record_freep) qemu_record *rec = vp_new0(qemu_record, 1);
    rec->state = VP_DOMAIN_SHUTOFF;
    _cleanup_free_ char *path = qemu_domain_path(drv, name, ".json");
    _cleanup_free_ char *text = NULL;
    json_object *o = NULL;
    /* Most records fit one read, which the list makes for every domain: a
     * read shorter than asked is the whole file when it parses (no prefix
     * of a JSON object is one); else the file is read to its end. */
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    bool missing = fd < 0 && errno == ENOENT;
    if (fd >= 0) {
        char head[RECORD_ONE_READ + 1];
        ssize_t got = read(fd, head, RECORD_ONE_READ);
        close(fd);
        if (got > 0 && got < RECORD_ONE_READ) {
            head[got] = '\0';
            o = json_tokener_parse(head);
        }
    }
    if (!o && !missing) {
        vp_plugin_saved_error *saved = vp_plugin_error_save();
        int r = vp_plugin_file_read(path, QEMU_RECORD_MAX_BYTES, &text, NULL);
        if (r < 0 && !(access(path, F_OK) < 0 && errno == ENOENT)) {
            vp_plugin_saved_error *failed = vp_plugin_error_save();
            vp_plugin_error_restore(saved);
            return vp_plugin_error_restore(failed);
        }
        vp_plugin_error_restore(saved);
    }
    if (o || text) {
        if (!o)
            o = json_tokener_parse(text);
        if (!o)
            return vp_plugin_error_set(
                VP_ERR_INTERNAL,
                "runtime record '%s' is not valid JSON; remove it if QEMU is not running", path);
        json_object *v;
        rec->active = json_object_object_get_ex(o, "active", &v) && json_object_get_boolean(v);
        rec->starting = json_object_object_get_ex(o, "starting", &v) && json_object_get_boolean(v);
        rec->stop_reason = (int)json_int(o, "stop_reason");
        rec->proc.pid = (pid_t)json_int(o, "pid");
        rec->proc.start_time = (uint64_t)json_int(o, "start_time");
        rec->id = (int)json_int(o, "id");
        /* Records written before the boot id was kept compare pid and start time. */
        const char *boot = json_str(o, "boot_id");
        if (boot && strlen(boot) < sizeof(rec->proc.boot_id))
            memcpy(rec->proc.boot_id, boot, strlen(boot) + 1);
        rec->state = (int)json_int(o, "state");
        rec->reason = (int)json_int(o, "reason");
        rec->qmp_path = vp_strdup(json_str(o, "qmp"));
        rec->agent_path = vp_strdup(json_str(o, "agent"));
        rec->agent_path_ours =
            json_object_object_get_ex(o, "agent_ours", &v) && json_object_get_boolean(v);
        rec->host_paused =
            json_object_object_get_ex(o, "host_paused", &v) && json_object_get_boolean(v);
        rec->self_change =
            !json_object_object_get_ex(o, "self_change", &v) || json_object_get_boolean(v);
        json_object_put(o);
    }
    if (!rec->active)
        rec->state = VP_DOMAIN_SHUTOFF;
    *ret_rec = VP_STEAL_PTR(rec);
    return 0;
}

int
qemu_domain_write_record(const qemu_driver *drv, const char *name, const qemu_record *rec)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "active", json_object_new_boolean(rec->active));
    if (rec->starting)
        json_object_object_add(o, "starting", json_object_new_boolean(true));
    if (rec->stop_reason)
        json_object_object_add(o, "stop_reason", json_object_new_int(rec->stop_reason));
    json_object_object_add(o, "pid", json_object_new_int64(rec->proc.pid));
    json_object_object_add(o, "start_time", json_object_new_int64((int64_t)rec->proc.start_time));
    if (rec->proc.boot_id[0])
        json_object_object_add(o, "boot_id", json_object_new_string(rec->proc.boot_id));
    if (rec->active && rec->id > 0)
        json_object_object_add(o, "id", json_object_new_int(rec->id));
    json_object_object_add(o, "state", json_object_new_int(rec->state));
    json_object_object_add(o, "reason", json_object_new_int(rec->reason));
    if (rec->qmp_path)
        json_object_object_add(o, "qmp", json_object_new_string(rec->qmp_path));
    if (rec->agent_path)
        json_object_object_add(o, "agent", json_object_new_string(rec->agent_path));
    json_object_object_add(o, "agent_ours", json_object_new_boolean(rec->agent_path_ours));
    qemu_events_record_history(drv, name, rec, o);
    if (rec->host_paused)
        json_object_object_add(o, "host_paused", json_object_new_boolean(true));
    if (rec->active && !rec->self_change)
        json_object_object_add(o, "self_change", json_object_new_boolean(false));
    const char *text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY);
    _cleanup_free_ char *path = qemu_domain_path(drv, name, ".json");
    int r = vp_plugin_file_write_atomic(path, text, strlen(text), 0600);
    json_object_put(o);
    return r;
}

int
qemu_domain_refresh(const qemu_driver *drv, const char *name, qemu_record **ret_rec)
{
    _cleanup_(qemu_record_freep) qemu_record *rec = NULL;
    int r = record_read(drv, name, &rec);
    if (r < 0)
        return r;
    if (rec->active && (rec->starting || qemu_process_incoming(rec))) {
        r = qemu_process_recover_start(drv, name, rec);
        if (r < 0)
            return r;
    } else if (rec->active && !vp_plugin_process_is_alive(&rec->proc)) {
        int reason = qemu_domain_gone_reason(drv, name, rec);
        VP_PLUGIN_DEBUG(QEMU_AREA, "QEMU of domain '%s' (pid %d) is gone (reason %d)", name,
                        (int)rec->proc.pid, reason);
        r = qemu_domain_mark_stopped(drv, name, rec, reason);
        if (r < 0)
            return r;
    } else if (rec->active && rec->id <= 0) {
        /* A domain started before records held IDs, or adopted without a
         * record: it gets one now, as a start would have given it. */
        r = qemu_id_allocate(drv, &rec->id);
        if (r >= 0)
            r = qemu_domain_write_record(drv, name, rec);
        if (r < 0)
            return r;
    }
    /* Stopped: a definition given while it ran is its own now. */
    if (!rec->active && (r = qemu_define_next_promote(drv, name)) < 0)
        return r;
    _cleanup_free_ char *xml = qemu_domain_path(drv, name, ".xml");
    if (!rec->active && access(xml, F_OK) < 0)
        return vp_plugin_error_set(VP_ERR_NO_DOMAIN,
                                   "no domain named '%s' (it was transient and has stopped)", name);
    *ret_rec = VP_STEAL_PTR(rec);
    return 0;
}

int
qemu_domain_peek_record(const qemu_driver *drv, const char *name, qemu_record **ret_rec)
{
    return record_read(drv, name, ret_rec);
}

bool
qemu_domain_peek_active(const qemu_driver *drv, const char *name)
{
    _cleanup_(qemu_record_freep) qemu_record *rec = NULL;
    return record_read(drv, name, &rec) == 0 && rec->active &&
           vp_plugin_process_is_alive(&rec->proc);
}
