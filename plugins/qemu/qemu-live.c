/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-live.c: what a running QEMU domain has apart from its definition,
 * and what a start sets in QEMU beyond its command line.
 *
 * Owns RUN/NAME.live-meta, the <title> and <description> of the running
 * domain (libvirt keeps them in the running domain's XML): taken from the
 * definition at each start, before QEMU is launched; laid over the
 * definition by domain_get_xml without VP_DOMAIN_XML_INACTIVE while the
 * record says the domain runs; changed by the domain_set_metadata slot
 * (desc --live), atomically, so a kill leaves the old text or the new;
 * removed with the other runtime files. It also holds the <graphics> the
 * QEMU runs (its extras node at start, "graphics"), changed by the
 * domain_update_device slot (qemu-graphics-live.c); its passwd,
 * passwdValidTo and connected are laid over the definition's; and the
 * media and link states QEMU has (qemu-device-live.c), and the options
 * each disk's format node got (discard: a live move of its image onto
 * another backing restates them, qemu-snapshot-move.c). Everything
 * else of a running domain's XML is its definition's, as the driver's other operations
 * (snapshots) keep it. Also the balloon target a start sets when
 * <currentMemory> is below <memory> (QMP balloon, as libvirt does once
 * QEMU runs). It never touches the persistent definition.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "qemu-device-live.h"
#include "qemu-devices.h"
#include "qemu-driver.h"
#include "qemu-live.h"
#include "qemu-monitor.h"

#define QEMU_LIVE_SUFFIX ".live-meta" /* not ".json": that is a record (qemu-events.c) */
#define QEMU_LIVE_MAX_BYTES (1024 * 1024)

#define QEMU_LIVE_DISK_OPTIONS "disk-options"

static const char *const live_elements[] = {"title", "description"};
#define N_LIVE_ELEMENTS (sizeof(live_elements) / sizeof(live_elements[0]))

/* The text of <@element> in @xml (the core's canonical XML, one element
 * a line), escaped as written; NULL when absent. (transfer full) */
static char *
element_text(const char *xml, const char *element)
{
    _cleanup_free_ char *open = vp_asprintf("\n  <%s>", element);
    _cleanup_free_ char *empty = vp_asprintf("\n  <%s/>\n", element);
    _cleanup_free_ char *close = vp_asprintf("</%s>\n", element);
    const char *from = strstr(xml, open), *to;
    if (from && (to = strstr(from, close)))
        return vp_strndup(from + strlen(open), (size_t)(to - from) - strlen(open));
    return strstr(xml, empty) ? vp_strdup("") : NULL;
}

/* The running domain's texts: 1 and *@ret_obj, 0 when it has none
 * (started before the driver kept them), or an error. */
int
qemu_live_read(const qemu_driver *drv, const char *name, json_object **ret_obj)
{
    _cleanup_free_ char *path = qemu_domain_path(drv, name, QEMU_LIVE_SUFFIX);
    _cleanup_free_ char *text = NULL;
    if (access(path, F_OK) < 0)
        return 0;
    int r = vp_plugin_file_read(path, QEMU_LIVE_MAX_BYTES, &text, NULL);
    if (r < 0)
        return r;
    json_object *o = json_tokener_parse(text);
    if (!o || !json_object_is_type(o, json_type_object)) {
        json_object_put(o);
        return vp_plugin_error_set(VP_ERR_INTERNAL, "'%s' is not a JSON object", path);
    }
    *ret_obj = o;
    return 1;
}

int
qemu_live_store(const qemu_driver *drv, const char *name, json_object *o)
{
    _cleanup_free_ char *path = qemu_domain_path(drv, name, QEMU_LIVE_SUFFIX);
    const char *text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
    return vp_plugin_file_write_atomic(path, text, strlen(text), 0600);
}

int
qemu_live_write(const qemu_driver *drv, const char *name, json_object *devices)
{
    _cleanup_free_ char *xml = NULL;
    int r = qemu_domain_format_xml(drv, name, &xml);
    return r < 0 ? r : qemu_live_write_xml(drv, name, xml, devices);
}

/* The options each disk's format node gets at this start, by target dev:
 * the definition may be edited while the domain runs. A disk whose options
 * cannot be made is left out: the command line refuses it with the same
 * message. */
static void
note_disk_options(json_object *meta, json_object *devices)
{
    json_object *all = json_object_new_object(), *d;
    for (size_t i = 0; (d = qemu_tree_kid(devices, "disk", i)); i++) {
        const char *dev = qemu_tree_attr(qemu_tree_kid(d, "target", 0), "dev");
        json_object *opts = NULL;
        if (dev && qemu_command_format_options(devices, dev, &opts) >= 0)
            json_object_object_add(all, dev, opts);
    }
    json_object_object_add(meta, QEMU_LIVE_DISK_OPTIONS, all);
}

int
qemu_live_disk_options(const qemu_driver *drv, const char *name, const char *dev,
                       json_object **ret_opts)
{
    json_object *meta = NULL, *all, *opts;
    int r = qemu_live_read(drv, name, &meta);
    if (r > 0) {
        r = json_object_object_get_ex(meta, QEMU_LIVE_DISK_OPTIONS, &all) &&
                    json_object_object_get_ex(all, dev, &opts) &&
                    json_object_is_type(opts, json_type_object)
                ? 1
                : 0;
        if (r > 0)
            *ret_opts = json_object_get(opts);
    }
    json_object_put(meta);
    return r;
}

int
qemu_live_write_xml(const qemu_driver *drv, const char *name, const char *xml, json_object *devices)
{
    json_object *o = json_object_new_object();
    for (size_t i = 0; i < N_LIVE_ELEMENTS; i++) {
        _cleanup_free_ char *text = element_text(xml, live_elements[i]);
        json_object_object_add(o, live_elements[i], text ? json_object_new_string(text) : NULL);
    }
    json_object *g = qemu_tree_kid(devices, "graphics", 0), *copy = NULL;
    if (g && json_object_deep_copy(g, &copy, NULL) == 0)
        json_object_object_add(o, QEMU_LIVE_GRAPHICS, copy);
    qemu_device_live_note(o, devices);
    note_disk_options(o, devices);
    int r = qemu_live_store(drv, name, o);
    json_object_put(o);
    return r;
}

/* @text as XML character data, as the core writes it; NULL for a control
 * character XML cannot carry. (transfer full) */
static char *
xml_text(const char *text)
{
    size_t n = 0;
    for (const char *c = text; *c; c++)
        n += *c == '&' ? 5 : *c == '<' || *c == '>' ? 4 : *c == '\r' ? 5 : 1;
    char *out = vp_new0(char, n + 1), *o = out;
    for (const char *c = text; *c; c++) {
        const char *esc = *c == '&'    ? "&amp;"
                          : *c == '<'  ? "&lt;"
                          : *c == '>'  ? "&gt;"
                          : *c == '\r' ? "&#13;"
                                       : NULL;
        if (esc) {
            o = stpcpy(o, esc);
        } else if ((unsigned char)*c < 0x20 && *c != '\n' && *c != '\t') {
            free(out);
            return NULL;
        } else {
            *o++ = *c;
        }
    }
    return out;
}

/*
 * @xml, a definition (the core's canonical text: two spaces of indent, one
 * element a line), with <@element> set to @escaped, XML text (NULL:
 * removed). A new element goes where libvirt places it: <title> right
 * after <uuid>, <description> after <title> (else <uuid>). The rest of
 * the text is kept byte for byte. (transfer full)
 */
static int
edit_element(const char *xml, const char *element, const char *escaped, char **ret_xml)
{
    _cleanup_free_ char *open = vp_asprintf("\n  <%s>", element);
    _cleanup_free_ char *empty = vp_asprintf("\n  <%s/>\n", element);
    _cleanup_free_ char *close = vp_asprintf("</%s>\n", element);
    _cleanup_free_ char *line =
        escaped ? vp_asprintf("  <%s>%s</%s>\n", element, escaped, element) : NULL;
    const char *from = strstr(xml, open), *to = NULL;
    if (from)
        to = strstr(from, close) ? strstr(from, close) + strlen(close) : NULL;
    else if ((from = strstr(xml, empty)))
        to = from + strlen(empty);
    if (from && to) {
        from++; /* keep the newline before it */
    } else {
        const char *after = strcmp(element, "description") == 0 ? strstr(xml, "</title>\n") : NULL;
        if (!after)
            after = strstr(xml, "</uuid>\n");
        if (!after)
            return vp_plugin_error_set(VP_ERR_XML, "the running definition has no <uuid>");
        from = to = strchr(after, '\n') + 1;
    }
    *ret_xml = vp_asprintf("%.*s%s%s", (int)(from - xml), xml, line ? line : "", to);
    return 0;
}

char *
qemu_live_attr_escape(const char *v)
{
    size_t n = 1;
    for (const char *c = v; *c; c++)
        n += 6;
    char *out = vp_new0(char, n), *o = out;
    for (const char *c = v; *c; c++) {
        const char *esc = *c == '&'    ? "&amp;"
                          : *c == '<'  ? "&lt;"
                          : *c == '>'  ? "&gt;"
                          : *c == '\'' ? "&apos;"
                          : *c == '"'  ? "&quot;"
                                       : NULL;
        if (esc)
            o = stpcpy(o, esc);
        else
            *o++ = *c;
    }
    return out;
}

/* The start tag of the first <graphics> of *@xml (the core's canonical
 * text, one element a line, '>' escaped in values) with the attributes a
 * live update changes taken from @g: the others kept byte for byte, these
 * where libvirt writes them (after type, port, autoport and listen). */
static int
overlay_graphics(char **xml, json_object *g)
{
    char *from = strstr(*xml, "\n    <graphics ");
    char *to = from ? strchr(from + 1, '>') : NULL;
    if (!to)
        return 1; /* no <graphics> in the definition: nothing to lay over */
    if (to[-1] == '/')
        to--;
    _cleanup_free_ char *tag = vp_strndup(from, (size_t)(to - from));
    for (const char *const *a = qemu_graphics_live_attrs; *a; a++) {
        _cleanup_free_ char *key = vp_asprintf(" %s='", *a);
        char *at = strstr(tag, key), *q;
        if (at && (q = strchr(at + strlen(key), '\'')))
            memmove(at, q + 1, strlen(q + 1) + 1);
    }
    size_t cut = strlen(tag);
    static const char *const before[] = {" listen='", " autoport='", " port='", " type='"};
    for (size_t i = 0; i < sizeof(before) / sizeof(before[0]); i++) {
        char *at = strstr(tag, before[i]), *q;
        if (at && (q = strchr(at + strlen(before[i]), '\''))) {
            cut = (size_t)(q + 1 - tag);
            break;
        }
    }
    _cleanup_free_ char *added = vp_strdup("");
    for (const char *const *a = qemu_graphics_live_attrs; *a; a++) {
        const char *v = qemu_tree_attr(g, *a);
        if (!v)
            continue;
        _cleanup_free_ char *esc = qemu_live_attr_escape(v);
        char *next = vp_asprintf("%s %s='%s'", added, *a, esc);
        free(added);
        added = next;
    }
    char *out = vp_asprintf("%.*s%.*s%s%s%s", (int)(from - *xml), *xml, (int)cut, tag, added,
                            tag + cut, to);
    free(*xml);
    *xml = out;
    return 1;
}

int
qemu_live_get_xml(const qemu_driver *drv, const char *name, unsigned int flags, char **ret_xml)
{
    _cleanup_free_ char *xml = NULL;
    /* The definition for the next start: one given while the domain ran
     * waits apart (qemu-define-next.c). */
    int r = (flags & VP_DOMAIN_XML_INACTIVE) ? qemu_define_next_xml(drv, name, &xml) : 0;
    if (r > 0) {
        *ret_xml = VP_STEAL_PTR(xml);
        return 0;
    }
    if (r >= 0)
        r = qemu_domain_format_xml(drv, name, &xml);
    if (r < 0)
        return r;
    _cleanup_(qemu_record_freep) qemu_record *rec = NULL;
    json_object *o = NULL;
    if (!(flags & VP_DOMAIN_XML_INACTIVE) && qemu_domain_peek_active(drv, name) &&
        qemu_domain_peek_record(drv, name, &rec) >= 0 && !rec->starting)
        r = qemu_live_read(drv, name, &o);
    for (size_t i = 0; r > 0 && i < N_LIVE_ELEMENTS; i++) {
        json_object *v = NULL;
        json_object_object_get_ex(o, live_elements[i], &v);
        char *next = NULL;
        r = edit_element(xml, live_elements[i], v ? json_object_get_string(v) : NULL, &next);
        if (r >= 0) {
            free(xml);
            xml = next;
            r = 1;
        }
    }
    json_object *g = NULL;
    if (r > 0 && json_object_object_get_ex(o, QEMU_LIVE_GRAPHICS, &g))
        r = overlay_graphics(&xml, g);
    if (r > 0)
        qemu_device_live_overlay(&xml, o);
    json_object *media = NULL;
    if (r > 0 && json_object_object_get_ex(o, QEMU_LIVE_MEDIA, &media) &&
        json_object_object_length(media) > 0) {
        json_object *trays = qemu_events_log_trays(drv, name, rec);
        qemu_device_live_overlay_trays(&xml, trays);
        json_object_put(trays);
    }
    json_object_put(o);
    if (r >= 0)
        *ret_xml = VP_STEAL_PTR(xml);
    return r < 0 ? r : 0;
}

static int
set_metadata(qemu_driver *drv, const char *name, int type, const char *text, unsigned int flags)
{
    const char *element = type == VP_DOMAIN_METADATA_TITLE ? "title" : "description";
    if (flags)
        return vp_plugin_error_set(VP_ERR_INVALID_ARG, "unsupported set-metadata flags 0x%x",
                                   flags);
    _cleanup_free_ char *escaped = text ? xml_text(text) : NULL;
    if (text && !escaped)
        return vp_plugin_error_set(VP_ERR_INVALID_ARG,
                                   "the %s holds a control character XML cannot carry", element);
    _cleanup_domain_lock_ int lock = -1;
    _cleanup_(qemu_record_freep) qemu_record *rec = NULL;
    int r = qemu_domain_begin(drv, name, "desc", &lock, &rec);
    if (r < 0)
        return r;
    if (!rec->active)
        return vp_plugin_error_set(VP_ERR_OPERATION_INVALID, "domain '%s' is not running", name);
    json_object *o = NULL;
    r = qemu_live_read(drv, name, &o);
    if (r == 0) { /* started before the driver kept them: the definition's */
        r = qemu_live_write(drv, name, NULL);
        if (r >= 0)
            r = qemu_live_read(drv, name, &o);
    }
    if (r <= 0)
        return r < 0
                   ? r
                   : vp_plugin_error_set(VP_ERR_INTERNAL, "domain '%s' has no running texts", name);
    json_object_object_add(o, element, escaped ? json_object_new_string(escaped) : NULL);
    r = qemu_live_store(drv, name, o);
    json_object_put(o);
    return r;
}

/* Looked at as the other mutating slots (qemu-driver.c): it may find a crash. */
int
qemu_domain_set_metadata(void *priv, const char *name, int type, const char *text,
                         unsigned int flags)
{
    int r = set_metadata(priv, name, type, text, flags);
    qemu_events_look(priv, name, false);
    return r;
}

int
qemu_live_set_balloon(const vp_domain_def *def, json_object *devices, const char *qmp_path)
{
    json_object *balloon = qemu_tree_kid(devices, "memballoon", 0);
    const char *model = balloon ? qemu_tree_attr(balloon, "model") : NULL;
    if (!def->current_memory_kib || def->current_memory_kib >= def->memory_kib || !model ||
        strcmp(model, "virtio") != 0)
        return 0; /* QEMU runs with all of <memory>: nothing to set */
    qemu_monitor *mon = NULL;
    int r = qemu_monitor_open(qmp_path, QEMU_MONITOR_TIMEOUT_MS, &mon);
    if (r < 0)
        return r;
    json_object *args = json_object_new_object();
    json_object_object_add(args, "value",
                           json_object_new_int64((int64_t)def->current_memory_kib * 1024));
    r = qemu_monitor_command(mon, "balloon", args, QEMU_MONITOR_TIMEOUT_MS, NULL);
    json_object_put(args);
    qemu_monitor_close(mon);
    return r;
}
