/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * virtplug-save.h: saving a running domain's memory to a file and
 * restoring it, and managed save, part of the public API of libvirtplug.
 *
 * Included by <virtplug/virtplug.h>, inside its extern "C" block and after
 * the declarations it builds on; never include it on its own.
 */
#ifndef VIRTPLUG_VIRTPLUG_SAVE_H
#define VIRTPLUG_VIRTPLUG_SAVE_H

#ifndef VIRTPLUG_VIRTPLUG_H_INSIDE
#error "include <virtplug/virtplug.h>, not <virtplug/virtplug-save.h>"
#endif

/* ---- Save and restore (since 1.1) ------------------------------------
 *
 * A saved domain is shut off (reason VP_DOMAIN_SHUTOFF_SAVED, event
 * VP_DOMAIN_EVENT_STOPPED_SAVED) and its memory and device state are in
 * an image file; a restore runs it again from there (reason
 * VP_DOMAIN_RUNNING_RESTORED, event VP_DOMAIN_EVENT_STARTED_RESTORED), as
 * libvirt's virDomainSave and virDomainRestore. The image holds the
 * domain's XML, so a restore needs nothing else; a domain that was
 * undefined since comes back as a transient one. Image formats are the
 * driver's: docs/qemu-driver.md and docs/test-driver.md describe them.
 *
 * Crash safety: the image is written to a temporary file in the target's
 * directory and renamed into place once it is whole, and the domain stops
 * only after that; a process killed at any step leaves the domain running
 * (or paused as it was) or a complete image and the domain shut off. A
 * partial image never carries the target's name and is never restored.
 *
 * Existing files: unlike libvirt, a save never replaces a file that is not
 * a save image: when @path exists and is not an image of the driver's
 * format, the call fails with VP_ERR_EXISTS and the file is untouched (a
 * typo must not overwrite a disk). An existing image is replaced, whole,
 * only once the new one is complete.
 */

/* Flags of vp_domain_save(), vp_domain_restore() and
 * vp_domain_managed_save(): libvirt's VIR_DOMAIN_SAVE_* values. */
enum {
    /* Restore the domain running, whatever its state when it was saved. */
    VP_DOMAIN_SAVE_RUNNING = 1u << 1,
    /* Restore the domain paused, whatever its state when it was saved. */
    VP_DOMAIN_SAVE_PAUSED = 1u << 2
};

/* Flags of vp_domain_undefine() (since 1.1): libvirt's value. Remove the
 * domain's managed-save image too; without it, the undefine of a domain
 * that has one fails with VP_ERR_OPERATION_INVALID. */
enum { VP_DOMAIN_UNDEFINE_MANAGED_SAVE = 1u << 0 };

/* State reasons of save and restore (libvirt's numbering; the names are
 * those of vp_domain_state_reason_name()). */
enum { VP_DOMAIN_RUNNING_RESTORED = 3 };
enum { VP_DOMAIN_PAUSED_SAVE = 3 };
enum { VP_DOMAIN_SHUTOFF_SAVED = 5 };

/**
 * vp_domain_save: save the memory and device state of running (or paused)
 * domain @dom to the file @path, then stop it (libvirt's
 * virDomainSaveFlags). @path is a path on the host the connection
 * manages; the image is created with mode 0600.
 * @flags: 0, VP_DOMAIN_SAVE_RUNNING or VP_DOMAIN_SAVE_PAUSED: the state
 * vp_domain_restore() gives the domain by default (0: the state it had).
 * Errors: VP_ERR_INVALID_ARG (unknown flags, both state flags, an empty
 * @path), VP_ERR_OPERATION_INVALID (@dom is not running or paused),
 * VP_ERR_EXISTS (@path exists and is not a save image), VP_ERR_SYSTEM
 * (the file cannot be written: the domain keeps running as it was),
 * VP_ERR_NOT_SUPPORTED.
 * Thread-safe. Since: 1.1
 */
int vp_domain_save(vp_domain *dom, const char *path, unsigned int flags);

/**
 * vp_domain_restore: run the domain saved in @path again (libvirt's
 * virDomainRestoreFlags). A defined domain of the image's name and uuid
 * runs the image's definition for this run and keeps its own for the next
 * start; without one, the domain comes back transient. The image is left
 * in place.
 * @flags: 0 (the state recorded in the image), VP_DOMAIN_SAVE_RUNNING or
 * VP_DOMAIN_SAVE_PAUSED.
 * @ret_dom: (optional) (transfer full) vp_domain_free(): the restored domain.
 * Errors: VP_ERR_INVALID_ARG (unknown flags, both state flags, a file that
 * is not a whole save image of the driver's format), VP_ERR_SYSTEM (cannot
 * read @path), VP_ERR_OPERATION_INVALID (the domain is running: "domain
 * 'x' is already active"), VP_ERR_EXISTS (another domain has its name or
 * uuid), VP_ERR_NOT_SUPPORTED.
 * Thread-safe. Since: 1.1
 */
int vp_domain_restore(vp_conn *conn, const char *path, unsigned int flags, vp_domain **ret_dom);

/**
 * vp_domain_managed_save: save running (or paused) persistent domain @dom
 * to an image the driver keeps for it (libvirt's virDomainManagedSave);
 * the next vp_domain_start() restores it from there and removes the image
 * once the domain runs. The domain is shut off (reason saved).
 * @flags: as vp_domain_save().
 * Errors: as vp_domain_save(), and VP_ERR_OPERATION_INVALID for a
 * transient domain.
 * Thread-safe. Since: 1.1
 */
int vp_domain_managed_save(vp_domain *dom, unsigned int flags);

/**
 * vp_domain_has_managed_save: whether @dom has a managed-save image
 * (libvirt's virDomainHasManagedSaveImage). @flags: 0.
 * Returns 1 when it has one, 0 when not, or a negative VP_ERR_*
 * (VP_ERR_NO_DOMAIN, VP_ERR_NOT_SUPPORTED).
 * Thread-safe. Since: 1.1
 */
int vp_domain_has_managed_save(vp_domain *dom, unsigned int flags);

/**
 * vp_domain_managed_save_remove: remove @dom's managed-save image
 * (libvirt's virDomainManagedSaveRemove), so the next start boots it.
 * Removing when there is none is not an error. @flags: 0.
 * Errors: VP_ERR_NO_DOMAIN, VP_ERR_SYSTEM, VP_ERR_NOT_SUPPORTED.
 * Thread-safe. Since: 1.1
 */
int vp_domain_managed_save_remove(vp_domain *dom, unsigned int flags);

/* ---- The XML inside save images (since 1.1) -------------------------
 *
 * libvirt's virDomainSaveImageGetXMLDesc, virDomainSaveImageDefineXML,
 * virDomainManagedSaveGetXMLDesc and virDomainManagedSaveDefineXML. The
 * XML an image holds is the definition a restore checks (name, uuid);
 * replacing it is allowed only for one that describes the same domain with
 * the same machine: same name and uuid, domain type, architecture, machine
 * type, memory, vcpus, and the same devices (their count, kinds, disk
 * targets and buses, and addresses). Anything else (a disk's source file,
 * a description, a graphics password) may change. A replacement is
 * crash-safe: the image is rewritten whole under a temporary name and
 * renamed over the old one, so a kill at any step leaves the old image or
 * the new one.
 */

/**
 * vp_domain_save_image_get_xml: the domain XML held in save image @path.
 * @flags: 0 or VP_DOMAIN_XML_SECURE (include passwords and other secrets;
 * without it they are left out, as vp_domain_get_xml() does).
 * @ret_xml: (transfer full) free().
 * Errors: VP_ERR_INVALID_ARG (unknown flags, an empty @path, a file that is
 * not a whole save image of the driver's format), VP_ERR_SYSTEM (cannot
 * read @path), VP_ERR_NOT_SUPPORTED.
 * Thread-safe. Since: 1.1
 */
int vp_domain_save_image_get_xml(vp_conn *conn, const char *path, unsigned int flags,
                                 char **ret_xml);

/**
 * vp_domain_save_image_define_xml: replace the domain XML held in save
 * image @path by @xml (see above for what may change).
 * @flags: 0 (keep the state a restore gives), VP_DOMAIN_SAVE_RUNNING or
 * VP_DOMAIN_SAVE_PAUSED (record that state instead).
 * Errors: VP_ERR_INVALID_ARG (unknown flags, both state flags, an empty
 * @path, not a whole save image, an XML that is not the same domain or
 * changes its machine: the message names the difference), VP_ERR_XML
 * (@xml does not parse), VP_ERR_SYSTEM (cannot read or write @path: the
 * old image stays), VP_ERR_NOT_SUPPORTED.
 * Thread-safe. Since: 1.1
 */
int vp_domain_save_image_define_xml(vp_conn *conn, const char *path, const char *xml,
                                    unsigned int flags);

/**
 * vp_domain_save_with_xml: vp_domain_save() with @xml in the image instead
 * of the domain's definition (libvirt's virDomainSaveFlags with dxml):
 * the XML a restore runs. @xml may change only what
 * vp_domain_save_image_define_xml() allows; it is checked before the save,
 * so a refused XML leaves the domain running. The image is written with
 * the domain's XML, then rewritten with @xml as
 * vp_domain_save_image_define_xml() does: a kill between the two leaves a
 * whole image holding the domain's own XML (restorable; replace its XML
 * with vp_domain_save_image_define_xml()), never a partial one.
 * @flags: as vp_domain_save().
 * Errors: as vp_domain_save() and vp_domain_save_image_define_xml(); an
 * error of the rewrite leaves the domain saved with its own XML in @path.
 * Thread-safe. Since: 1.1
 */
int vp_domain_save_with_xml(vp_domain *dom, const char *path, const char *xml, unsigned int flags);

/**
 * vp_domain_managed_save_get_xml: the domain XML held in @dom's
 * managed-save image. @flags: 0 or VP_DOMAIN_XML_SECURE.
 * @ret_xml: (transfer full) free().
 * Errors: VP_ERR_INVALID_ARG (unknown flags), VP_ERR_OPERATION_INVALID
 * (@dom has no managed-save image), VP_ERR_NO_DOMAIN, VP_ERR_SYSTEM,
 * VP_ERR_NOT_SUPPORTED.
 * Thread-safe. Since: 1.1
 */
int vp_domain_managed_save_get_xml(vp_domain *dom, unsigned int flags, char **ret_xml);

/**
 * vp_domain_managed_save_define_xml: replace the domain XML held in
 * @dom's managed-save image by @xml, as vp_domain_save_image_define_xml().
 * @flags: as vp_domain_save_image_define_xml().
 * Errors: as vp_domain_save_image_define_xml(), and
 * VP_ERR_OPERATION_INVALID (@dom has no managed-save image),
 * VP_ERR_NO_DOMAIN.
 * Thread-safe. Since: 1.1
 */
int vp_domain_managed_save_define_xml(vp_domain *dom, const char *xml, unsigned int flags);

#endif /* VIRTPLUG_VIRTPLUG_SAVE_H */
