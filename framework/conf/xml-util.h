/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * xml-util.h: what the XML parsers of framework/conf share.
 *
 * A safe libxml2 reader (no network, no DTD, no entity expansion, errors
 * captured instead of printed), a table-driven walker that rejects unknown
 * and repeated elements, strict attribute and value helpers, and an output
 * buffer that escapes and validates what it writes. Internal to the core.
 */
#ifndef VIRTPLUG_CONF_XML_UTIL_H
#define VIRTPLUG_CONF_XML_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libxml/tree.h>

#define VPI_HIDDEN_ __attribute__((visibility("hidden")))

/* Where a parse error is reported: @what prefixes every message, such as
 * "domain XML" or "file '/etc/x.xml'", followed by " line N: ". */
typedef struct vpi_xml {
    const char *what;
} vpi_xml;

/* How deep vpi_xml_read lets elements nest, the root element counted as
 * 1: far more than any document of the subset needs (a <node> file of
 * the test driver nests about 6), far less than libxml2's own limit. */
#define VPI_XML_MAX_DEPTH 64

/*
 * vpi_xml_read: parse @xml into a document whose root element is @root.
 * Never touches the network, refuses any DOCTYPE (so no entity can be
 * declared or expanded) and elements nested deeper than VPI_XML_MAX_DEPTH,
 * prints nothing. @ret_doc: (transfer full) xmlFreeDoc().
 * Errors: VP_ERR_XML with libxml2's message and line, VP_ERR_INVALID_ARG.
 */
VPI_HIDDEN_ int vpi_xml_read(const vpi_xml *x, const char *xml, const char *root, xmlDoc **ret_doc);

/* Set a VP_ERR_XML error "WHAT line N: MESSAGE" for @node; returns VP_ERR_XML. */
VPI_HIDDEN_ int vpi_xml_error(const vpi_xml *x, const xmlNode *node, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The same for line @line, when the element is gone (a model node keeps its line). */
VPI_HIDDEN_ int vpi_xml_error_at(const vpi_xml *x, long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* One allowed child element: @fn parses it; @multiple allows repeats. */
typedef int (*vpi_xml_child_fn)(const vpi_xml *x, xmlNode *node, void *data);
typedef struct vpi_xml_child {
    const char *name;
    vpi_xml_child_fn fn;
    bool multiple;
} vpi_xml_child;

/*
 * vpi_xml_walk: call the table entry of each child element of @parent, in
 * document order. Unknown elements, repeats of a single element, stray text
 * and entity references are errors; comments and blank text are skipped.
 * @table ends with a {NULL} entry and has at most 32 entries.
 */
VPI_HIDDEN_ int vpi_xml_walk(const vpi_xml *x, xmlNode *parent, const vpi_xml_child *table,
                             void *data);

/* A child @n of @parent that is not an element: blank text, a comment or a
 * processing instruction is fine, anything else an error naming @parent. */
VPI_HIDDEN_ int vpi_xml_check_other(const vpi_xml *x, xmlNode *parent, xmlNode *n);

/* Fail on any attribute of @node not named in NULL-terminated @allowed. */
VPI_HIDDEN_ int vpi_xml_check_attrs(const vpi_xml *x, xmlNode *node, const char *const *allowed);
/* Fail unless @node has no child elements and no text. */
VPI_HIDDEN_ int vpi_xml_check_empty(const vpi_xml *x, xmlNode *node);

/* The value of attribute @name, or NULL. (transfer full) free(). */
VPI_HIDDEN_ char *vpi_xml_attr(xmlNode *node, const char *name);
/* As vpi_xml_attr, but a missing attribute is an error naming it. */
VPI_HIDDEN_ int vpi_xml_attr_required(const vpi_xml *x, xmlNode *node, const char *name,
                                      char **ret_value);
/* The text of an element that holds only text ("" when empty). (transfer full) */
VPI_HIDDEN_ int vpi_xml_text(const vpi_xml *x, xmlNode *node, char **ret_text);

/* Index of @value in NULL-terminated @choices, or an error listing them. */
VPI_HIDDEN_ int vpi_xml_enum(const vpi_xml *x, xmlNode *node, const char *what, const char *value,
                             const char *const *choices);
/* Parse a decimal unsigned number, surrounding blanks allowed. @what names
 * the field in the message ("<vcpu>", "attribute 'port' of <target>"). */
VPI_HIDDEN_ int vpi_xml_parse_u64(const vpi_xml *x, xmlNode *node, const char *what,
                                  const char *value, uint64_t max, uint64_t *ret_value);
VPI_HIDDEN_ int vpi_xml_parse_u64_at(const vpi_xml *x, long line, const char *what,
                                     const char *value, uint64_t max, uint64_t *ret_value);
/* Fail unless @value is an absolute path without control characters. */
VPI_HIDDEN_ int vpi_xml_check_path(const vpi_xml *x, xmlNode *node, const char *what,
                                   const char *value);
VPI_HIDDEN_ int vpi_xml_check_path_at(const vpi_xml *x, long line, const char *what,
                                      const char *value);
/* Fail unless @value is a usable object name: non-empty, no '/', no control
 * characters (bytes 0x01-0x1f and 0x7f), not "." or "..". Anything else is
 * allowed (spaces, a leading '.' or '-', any UTF-8); a driver may refuse
 * more. The message states the whole rule. @kind: "domain", "snapshot". */
VPI_HIDDEN_ int vpi_xml_check_name(const vpi_xml *x, xmlNode *node, const char *kind,
                                   const char *value);
VPI_HIDDEN_ int vpi_xml_check_name_at(const vpi_xml *x, long line, const char *kind,
                                      const char *value);

/* The bytes in one @unit of libvirt's memory units ("KiB", "M", "GB",
 * "bytes", ...; NULL: KiB), or an error listing them. */
VPI_HIDDEN_ int vpi_xml_memory_scale(const vpi_xml *x, xmlNode *node, const char *unit,
                                     uint64_t *ret_scale);

/* ---- Output ---------------------------------------------------------- */

/* A growing string. Text that cannot be written as XML 1.0 (invalid UTF-8,
 * control characters) is not written: @bad names the first such field. */
typedef struct vpi_buf {
    char *data;
    size_t len;
    size_t cap;
    const char *bad;
} vpi_buf;

VPI_HIDDEN_ void vpi_buf_add(vpi_buf *b, const char *s);
VPI_HIDDEN_ void vpi_buf_printf(vpi_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Write @s escaped for text content or (@attr) a quoted attribute value. */
VPI_HIDDEN_ void vpi_buf_escape(vpi_buf *b, const char *field, const char *s, bool attr);
/* "<indent><name>escaped text</name>\n"; nothing when @text is NULL. */
VPI_HIDDEN_ void vpi_buf_text_elem(vpi_buf *b, int indent, const char *name, const char *text);
/* " name='escaped value'"; nothing when @value is NULL. */
VPI_HIDDEN_ void vpi_buf_attr(vpi_buf *b, const char *name, const char *value);
/*
 * vpi_buf_finish: hand the text out, or fail with VP_ERR_XML "cannot format
 * WHAT: ..." when a field could not be written. Frees the buffer either way.
 */
VPI_HIDDEN_ int vpi_buf_finish(vpi_buf *b, const char *what, char **ret_xml);

#endif /* VIRTPLUG_CONF_XML_UTIL_H */
