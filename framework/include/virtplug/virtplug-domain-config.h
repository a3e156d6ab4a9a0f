/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * virtplug-domain-config.h: changing a domain's resources, live and in its
 * definition (libvirt's virDomainSetMemoryFlags, virDomainSetVcpusFlags),
 * part of the public API of libvirtplug.
 *
 * Included by <virtplug/virtplug.h>, inside its extern "C" block and after
 * the declarations it builds on; never include it on its own.
 */
#ifndef VIRTPLUG_VIRTPLUG_DOMAIN_CONFIG_H
#define VIRTPLUG_VIRTPLUG_DOMAIN_CONFIG_H

#ifndef VIRTPLUG_VIRTPLUG_H_INSIDE
#error "include <virtplug/virtplug.h>, not <virtplug/virtplug-domain-config.h>"
#endif

/* ---- Live and persistent changes (since 1.1) --------------------------- */

/* vp_domain_get_xml: the persistent definition (what the domain's next
 * start uses) rather than the running domain's (libvirt's
 * VIR_DOMAIN_XML_INACTIVE). Since: 1.1 */
#define VP_DOMAIN_XML_INACTIVE (1u << 1)
/* vp_domain_get_xml: include the secrets (the passwd attributes of
 * <graphics>), which are left out otherwise, as libvirt's
 * VIR_DOMAIN_XML_SECURE (same value). The core applies it whatever the
 * driver (the remote driver's far side always sends them; the near core
 * hides them). Since: 1.1 */
#define VP_DOMAIN_XML_SECURE (1u << 0)

/* What a change affects (libvirt's VIR_DOMAIN_AFFECT_*): 0 (CURRENT) is
 * the running domain when it runs, else its definition. LIVE and CONFIG
 * may be given together. Since: 1.1 */
#define VP_DOMAIN_AFFECT_CURRENT 0u
#define VP_DOMAIN_AFFECT_LIVE (1u << 0)
#define VP_DOMAIN_AFFECT_CONFIG (1u << 1)
/* vp_domain_set_memory_flags: change <memory>, the most the domain may
 * have, instead of <currentMemory>. Since: 1.1 */
#define VP_DOMAIN_MEM_MAXIMUM (1u << 2)
/* vp_domain_set_vcpus_flags: change the most vCPUs (<vcpu>) instead of
 * the current count (<vcpu current>); with CONFIG only. Since: 1.1 */
#define VP_DOMAIN_VCPU_MAXIMUM (1u << 2)

/**
 * vp_domain_set_memory_flags: set the memory of the domain (libvirt's
 * virDomainSetMemoryFlags) to @memory_kib KiB: what the guest has now
 * (<currentMemory>; a running guest through its balloon), or with
 * VP_DOMAIN_MEM_MAXIMUM the most it may have (<memory>; in the definition
 * only, and a <currentMemory> above it comes down to it).
 * @flags: VP_DOMAIN_AFFECT_* | VP_DOMAIN_MEM_MAXIMUM.
 * The definition is changed as a define would change it (the driver's
 * define is kill-safe): parsed, checked against the driver's capabilities
 * and stored whole; a running domain keeps running with what it had and
 * uses it from its next start.
 * Errors: VP_ERR_INVALID_ARG (0 KiB, unknown @flags, more than the
 * maximum: "cannot set memory higher than max memory"),
 * VP_ERR_OPERATION_INVALID (AFFECT_LIVE on a shut-off domain, the maximum
 * of a running domain), VP_ERR_NOT_SUPPORTED (a live change the driver or
 * the guest cannot make: say why, such as no balloon device),
 * VP_ERR_NO_DOMAIN, VP_ERR_XML. Thread-safe. Since: 1.1
 */
int vp_domain_set_memory_flags(vp_domain *dom, uint64_t memory_kib, unsigned int flags);

/**
 * vp_domain_set_vcpus_flags: set the domain's number of vCPUs (libvirt's
 * virDomainSetVcpusFlags): the current count (<vcpu current='N'>; a
 * running guest's by vCPU hotplug, where the driver and the machine allow
 * it), or with VP_DOMAIN_VCPU_MAXIMUM (and VP_DOMAIN_AFFECT_CONFIG only)
 * the most it may have (<vcpu>; a current count above it comes down to
 * it). @nvcpus: at least 1.
 * @flags: VP_DOMAIN_AFFECT_* | VP_DOMAIN_VCPU_MAXIMUM.
 * The definition changes as with vp_domain_set_memory_flags().
 * Errors: VP_ERR_INVALID_ARG (0, unknown @flags, MAXIMUM without CONFIG or
 * with LIVE, more than the maximum: "requested cpu amount exceeds maximum
 * (3 > 2)"), VP_ERR_OPERATION_INVALID (AFFECT_LIVE on a shut-off domain),
 * VP_ERR_NOT_SUPPORTED (a live change the driver or the machine cannot
 * make, with why), VP_ERR_NO_DOMAIN, VP_ERR_XML. Thread-safe. Since: 1.1
 */
int vp_domain_set_vcpus_flags(vp_domain *dom, unsigned int nvcpus, unsigned int flags);

/* vp_domain_set_metadata, vp_domain_get_metadata: which text (libvirt's
 * VIR_DOMAIN_METADATA_*). Since: 1.1 */
typedef enum {
    VP_DOMAIN_METADATA_DESCRIPTION = 0, /* <description> */
    VP_DOMAIN_METADATA_TITLE = 1,       /* <title>: one line */
    VP_DOMAIN_METADATA_LAST
} vp_domain_metadata_type;

/**
 * vp_domain_set_metadata: set the domain's <description> or <title>
 * (libvirt's virDomainSetMetadata for those two) to @text; NULL or ""
 * removes it. @flags: VP_DOMAIN_AFFECT_* (0: the running domain when it
 * runs, else the definition). The definition changes as with
 * vp_domain_set_memory_flags(); the running domain through the driver.
 * Errors: VP_ERR_INVALID_ARG (unknown @type or @flags, a title with a
 * newline), VP_ERR_OPERATION_INVALID (AFFECT_LIVE on a shut-off domain),
 * VP_ERR_NOT_SUPPORTED (a driver that keeps no running definition apart:
 * use AFFECT_CONFIG), VP_ERR_NO_DOMAIN, VP_ERR_XML. Thread-safe.
 * Since: 1.1
 */
int vp_domain_set_metadata(vp_domain *dom, int type, const char *text, unsigned int flags);

/**
 * vp_domain_get_metadata: the domain's <description> or <title>: of the
 * running domain, or with VP_DOMAIN_AFFECT_CONFIG of the definition its
 * next start uses. *@ret_text: the text (free() it), or NULL when the
 * domain has none. Errors: VP_ERR_INVALID_ARG (unknown @type or @flags,
 * AFFECT_LIVE with AFFECT_CONFIG), VP_ERR_NO_DOMAIN, VP_ERR_XML.
 * Thread-safe. Since: 1.1
 */
int vp_domain_get_metadata(vp_domain *dom, int type, unsigned int flags, char **ret_text);

/* vp_domain_update_device: force the change (libvirt's
 * VIR_DOMAIN_DEVICE_MODIFY_FORCE, same value), handed to the driver.
 * Since: 1.1 */
#define VP_DOMAIN_DEVICE_MODIFY_FORCE (1u << 2)

/**
 * vp_domain_update_device: change a device of the domain to @xml, one
 * device element (libvirt's virDomainUpdateDeviceFlags): the running
 * domain's through the driver, and/or the definition, as @flags choose
 * (VP_DOMAIN_AFFECT_*, as vp_domain_set_memory_flags();
 * VP_DOMAIN_DEVICE_MODIFY_FORCE). The device changed is the domain's one
 * of the same kind, found as libvirt finds it: the <graphics> of the same
 * type, the <disk> of the same target dev, the <interface> of the same MAC
 * address (which @xml must give); no other kind can be updated. The
 * definition takes the new element whole and changes as with
 * vp_domain_set_memory_flags(); the running domain changes only what its
 * driver can change live (the QEMU driver: a display's passwd,
 * passwdValidTo and connected; the medium of a cdrom or floppy, inserted,
 * replaced or ejected, MODIFY_FORCE forcing a locked tray open; an
 * interface's <link state>) and every other difference is refused, naming
 * it. The live change is made first: when it is refused, the definition
 * is left. Errors: VP_ERR_INVALID_ARG (NULL @xml, unknown @flags, no
 * device of that kind: "cannot find existing graphics device of type
 * 'vnc' to modify"; a medium that does not exist), VP_ERR_XML (@xml is
 * not one device element), VP_ERR_NOT_SUPPORTED
 * (another kind of device; a change the driver cannot make live),
 * VP_ERR_OPERATION_INVALID (AFFECT_LIVE on a shut-off domain),
 * VP_ERR_NO_DOMAIN. Thread-safe. Since: 1.1
 */
int vp_domain_update_device(vp_domain *dom, const char *xml, unsigned int flags);

#endif /* VIRTPLUG_VIRTPLUG_DOMAIN_CONFIG_H */
