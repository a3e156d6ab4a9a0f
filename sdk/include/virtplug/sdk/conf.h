/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * conf.h: libvirt-style domain and snapshot XML, parsed by the core.
 *
 * There is one parser, in libvirtplug, shared by every driver: a plugin
 * parses with vp_plugin_domain_def_parse() and formats with
 * vp_plugin_domain_def_format(). Unknown elements and attributes and bad
 * values are VP_ERR_XML errors naming the element and the value; nothing is
 * silently dropped. format(parse(x)) is stable.
 *
 * Since: 1.0
 */
#ifndef VIRTPLUG_SDK_CONF_H
#define VIRTPLUG_SDK_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct vp_domain_disk_def {
    char *device;      /* "disk" (default) or "cdrom" */
    char *driver_type; /* "qcow2" or "raw"; NULL: raw */
    char *source_file; /* absolute path; NULL for an empty cdrom */
    char *target_dev;  /* "vda", "sda", "hda"; unique in the domain */
    char *target_bus;  /* "virtio", "ide", "sata", "scsi"; NULL: from the dev prefix */
    bool readonly;
} vp_domain_disk_def;

enum { VP_DOMAIN_SERIAL_NONE = 0, VP_DOMAIN_SERIAL_FILE = 1, VP_DOMAIN_SERIAL_PTY = 2 };

typedef struct vp_domain_def {
    char *type; /* <domain type=...>: "kvm", "qemu", "test" */
    char *name;
    unsigned char uuid[16];      /* generated when the XML has none */
    char *description;           /* optional */
    uint64_t memory_kib;         /* <memory>, converted from its unit */
    uint64_t current_memory_kib; /* <currentMemory>; equals memory_kib when absent */
    uint32_t vcpus;              /* <vcpu>; 1 when absent */
    char *os_type;               /* "hvm" */
    char *os_arch;               /* optional: "x86_64" */
    char *os_machine;            /* optional: "pc", "q35" */
    char *os_kernel;             /* optional direct kernel boot */
    char *os_initrd;
    char *os_cmdline;
    char **os_boot_devs; /* <boot dev=...> in order: "hd", "cdrom", "network", "fd" */
    size_t n_os_boot_devs;
    vp_domain_disk_def *disks;
    size_t n_disks;
    bool has_agent_channel;  /* <channel type='unix'> with target org.qemu.guest_agent.0 */
    char *agent_socket_path; /* its <source path>; NULL: the driver picks one */
    int serial_type;         /* VP_DOMAIN_SERIAL_* */
    char *serial_path;       /* for VP_DOMAIN_SERIAL_FILE */
    /* Fields below were appended after the first 1.0 draft; new ones go after them. */
    char *emulator;    /* <devices><emulator>: absolute path; NULL: driver's default */
    char *on_poweroff; /* "destroy", "restart", "preserve", "rename-restart"; or NULL */
    char *on_reboot;   /* same values as on_poweroff */
    char *on_crash;    /* those, "coredump-destroy" or "coredump-restart" */
    bool has_console;  /* a <console> aliasing the serial port, as libvirt writes it */
} vp_domain_def;

/**
 * vp_plugin_domain_def_parse: parse a <domain> document. @flags: 0.
 * @ret_def: (transfer full) vp_plugin_domain_def_free(). A missing uuid is
 * generated. Errors: VP_ERR_XML ("domain XML line N: ..."), VP_ERR_INVALID_ARG.
 * Thread-safe.
 */
int vp_plugin_domain_def_parse(const char *xml, unsigned int flags, vp_domain_def **ret_def);
/**
 * vp_plugin_domain_def_format: canonical, indented XML (memory in KiB). @flags: 0.
 * @ret_xml: (transfer full) free(). Errors: VP_ERR_XML when a required field
 * is missing or a string is not valid UTF-8 text, VP_ERR_INVALID_ARG.
 */
int vp_plugin_domain_def_format(const vp_domain_def *def, unsigned int flags, char **ret_xml);
/** vp_plugin_domain_def_copy: a deep copy; NULL for NULL. (transfer full) */
vp_domain_def *vp_plugin_domain_def_copy(const vp_domain_def *def);
/** vp_plugin_domain_def_free: NULL-safe. */
void vp_plugin_domain_def_free(vp_domain_def *def);

/*
 * The whole domain model (since 1.1). A driver with domain_caps gets the
 * parsed, checked <domain> in its domain_define_model slot (driver.h).
 * Nodes are elements of libvirt's domain XML with libvirt's names; they
 * belong to their model and live as long as it. Read-only, thread-safe.
 */
typedef struct vp_domain_model vp_domain_model;
typedef struct vp_model_node vp_model_node;

/** vp_plugin_domain_model_root: the <domain> element. (transfer none) Since: 1.1 */
const vp_model_node *vp_plugin_domain_model_root(const vp_domain_model *model);
/**
 * vp_plugin_model_node_kid: the @index-th (from 0) child element of @node
 * named @name (NULL: any name), in libvirt's order, or NULL past the last.
 * Elements of a driver's own namespace are not among them
 * (vp_plugin_domain_model_ns_xml()). (transfer none) Since: 1.1
 */
const vp_model_node *vp_plugin_model_node_kid(const vp_model_node *node, const char *name,
                                              size_t index);
/** vp_plugin_model_node_name: the element's name, "disk". Since: 1.1 */
const char *vp_plugin_model_node_name(const vp_model_node *node);
/** vp_plugin_model_node_attr: the attribute @name as written, or NULL. Since: 1.1 */
const char *vp_plugin_model_node_attr(const vp_model_node *node, const char *name);
/** vp_plugin_model_node_text: the text content (sizes in KiB), or NULL. Since: 1.1 */
const char *vp_plugin_model_node_text(const vp_model_node *node);
/**
 * vp_plugin_domain_model_get: the value at @path from <domain>: "name",
 * "os/type", "os/type/@arch", "devices/disk/target/@dev" (the first of each
 * step), "@type"; NULL when absent. (transfer none) Since: 1.1
 */
const char *vp_plugin_domain_model_get(const vp_domain_model *model, const char *path);
/**
 * vp_plugin_domain_model_ns_xml: the elements of <domain> in the namespace
 * @uri, as written (one per line), or NULL when there are none.
 * (transfer full) free(). Since: 1.1
 */
char *vp_plugin_domain_model_ns_xml(const vp_domain_model *model, const char *uri);
/**
 * vp_plugin_domain_model_format: canonical, indented <domain> XML (what
 * domain_get_xml hands back). @flags: 0. @ret_xml: (transfer full) free().
 * Errors: VP_ERR_INVALID_ARG, VP_ERR_XML. Since: 1.1
 */
int vp_plugin_domain_model_format(const vp_domain_model *model, unsigned int flags, char **ret_xml);
/** vp_plugin_domain_model_copy: a deep copy. (transfer full) Since: 1.1 */
vp_domain_model *vp_plugin_domain_model_copy(const vp_domain_model *model);
/** vp_plugin_domain_model_free: NULL-safe. Since: 1.1 */
void vp_plugin_domain_model_free(vp_domain_model *model);

/**
 * vp_plugin_domain_xml_set: @xml (a <domain> document) with one change:
 * the text of the element or the attribute at @path from <domain>
 * ("currentMemory", "vcpu/@current", "metadata/x") set to @value, the
 * elements of the path created when missing (appended to their parent),
 * or, when @value is NULL, that element or attribute removed (nothing
 * when absent). Only the first element of each step is looked at. Read
 * the result back through the parser (define it): it checks the value
 * and gives new elements libvirt's place. @ret_xml: (transfer full)
 * free(). Errors: VP_ERR_INVALID_ARG (a malformed @path), VP_ERR_XML.
 * Thread-safe. Since: 1.1
 */
int vp_plugin_domain_xml_set(const char *xml, const char *path, const char *value, char **ret_xml);

/** VP_PLUGIN_XML_XPATH_WRAP: vp_plugin_xml_xpath() returns one <nodes>
 * element holding copies of the selected nodes (virsh's --wrap). */
#define VP_PLUGIN_XML_XPATH_WRAP (1u << 0)
/**
 * vp_plugin_xml_xpath: the nodes XPath 1.0 expression @expr selects in
 * the XML document @xml, each formatted on its own (re-indented, as
 * virsh's dumpxml --xpath prints them), or with VP_PLUGIN_XML_XPATH_WRAP
 * one <nodes> element holding them all. The document is read without its
 * blank text and never from the network. *@ret_texts: a NULL-terminated
 * array of *@ret_n strings (a text node or attribute gives its value);
 * an expression that selects nothing gives none. (transfer full) free
 * each string and the array. Errors: VP_ERR_INVALID_ARG (an expression
 * that is not valid, or that gives a number, string or boolean instead of
 * nodes; unknown @flags), VP_ERR_XML (@xml is not well-formed), and
 * those of loading the XML module. Thread-safe. Since: 1.1
 */
int vp_plugin_xml_xpath(const char *xml, const char *expr, unsigned int flags, char ***ret_texts,
                        size_t *ret_n);

/** vp_plugin_uuid_format: "xxxxxxxx-xxxx-..." into @buf (37 bytes). Returns @buf. */
char *vp_plugin_uuid_format(const unsigned char uuid[16], char buf[37]);
/** vp_plugin_uuid_parse: Errors: VP_ERR_INVALID_ARG. */
int vp_plugin_uuid_parse(const char *str, unsigned char ret_uuid[16]);
/** vp_plugin_uuid_generate: a random (version 4) uuid. */
void vp_plugin_uuid_generate(unsigned char ret_uuid[16]);

/* <domainsnapshot>: which disks, and how. */
enum {
    VP_SNAPSHOT_LOCATION_DEFAULT = 0, /* the driver decides (disk-only: external) */
    VP_SNAPSHOT_LOCATION_NO = 1,
    VP_SNAPSHOT_LOCATION_INTERNAL = 2,
    VP_SNAPSHOT_LOCATION_EXTERNAL = 3
};

/* vp_snapshot_def.state of a disk-only snapshot (libvirt's "disk-snapshot"). */
#define VP_SNAPSHOT_STATE_DISK_SNAPSHOT 8

/* vp_plugin_snapshot_def_parse flags: parse a record a driver wrote, which
 * may hold <creationTime>, <state>, <quiesced/> and (since 1.1) <parent>;
 * a request may not. */
#define VP_PLUGIN_SNAPSHOT_PARSE_RECORD (1u << 0)

typedef struct vp_snapshot_disk_def {
    char *name;        /* target dev ("vda") or source path, as libvirt accepts */
    int location;      /* VP_SNAPSHOT_LOCATION_* from snapshot='...' */
    char *driver_type; /* overlay format; NULL: qcow2 */
    char *source_file; /* overlay path; NULL: the driver picks one */
} vp_snapshot_disk_def;

typedef struct vp_snapshot_def {
    char *name; /* NULL in a request: the driver picks (creation time) */
    char *description;
    int64_t creation_time; /* seconds since the epoch; 0 in a request */
    int32_t state;         /* VP_DOMAIN_* when taken; 0 in a request */
    int32_t memory;        /* VP_SNAPSHOT_LOCATION_* of the VM state */
    bool quiesced;         /* file systems were frozen while it was taken */
    vp_snapshot_disk_def *disks;
    size_t n_disks;
    /* Since 1.1: the name of the snapshot this one was taken on top of
     * (<parent><name>P</name></parent>, libvirt's spelling); NULL for a
     * root. Set by the driver: only a record may hold it. Allocate a
     * vp_snapshot_def only with vp_new0() from 1.1 headers, or get it from
     * vp_plugin_snapshot_def_parse(): the core's free and format read it. */
    char *parent;
    /* Since 1.1: the <domain> a libvirt snapshot holds (the definition
     * when it was taken, as "virsh snapshot-dumpxml" shows it), as XML
     * text, kept as given and formatted back; NULL when none. Only a
     * record may hold it (one that a user redefines); the core checks that
     * it is a valid definition of the snapshot's own domain. */
    char *domain_xml;
} vp_snapshot_def;

/**
 * vp_plugin_snapshot_def_parse: parse a <domainsnapshot> document.
 * @flags: 0 for a request, VP_PLUGIN_SNAPSHOT_PARSE_RECORD for a stored record.
 * @ret_def: (transfer full) vp_plugin_snapshot_def_free().
 * Errors: VP_ERR_XML ("snapshot XML line N: ..."), VP_ERR_INVALID_ARG. Thread-safe.
 */
int vp_plugin_snapshot_def_parse(const char *xml, unsigned int flags, vp_snapshot_def **ret_def);
/**
 * vp_plugin_snapshot_def_format: canonical, indented XML, including
 * creationTime, state and quiesced when set. @flags: 0.
 * @ret_xml: (transfer full) free(). Errors: VP_ERR_XML, VP_ERR_INVALID_ARG.
 */
int vp_plugin_snapshot_def_format(const vp_snapshot_def *def, unsigned int flags, char **ret_xml);
/** vp_plugin_snapshot_def_free: NULL-safe. */
void vp_plugin_snapshot_def_free(vp_snapshot_def *def);

#ifdef __cplusplus
}
#endif

#endif /* VIRTPLUG_SDK_CONF_H */
