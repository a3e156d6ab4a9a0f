/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-devices.h: the domain XML beyond the 1.0 subset (issue 15) that the
 * QEMU driver runs: <interface>, <graphics>, <video>, <input>,
 * <controller>, <memballoon>, <rng>, <features>, <cpu>, <clock>, <pm>,
 * and <metadata> (kept, nothing for QEMU); PCI placement (qemu-pci.c),
 * character devices (qemu-chardev.c), watchdogs, panic and sound
 * (qemu-platform.c), taps (qemu-tap.c); and what the disks and the agent
 * channel, kept in NAME.xml, have beyond it.
 *
 * At define time the core's model is read into a JSON tree (the "extras"),
 * stored beside the definition, and turned into QEMU arguments at start.
 */
#ifndef VIRTPLUG_QEMU_DEVICES_H
#define VIRTPLUG_QEMU_DEVICES_H

#include <stdbool.h>

#include <json-c/json.h>

#include <virtplug/sdk/alloc.h>
#include <virtplug/sdk/conf.h>

VP_DEFINE_CLEANUP(json_object, json_object_put)

/* The elements of <domain> and of <devices> the extras hold; NULL-terminated. */
extern const char *const qemu_devices_domain_names[];
extern const char *const qemu_devices_device_names[];
/* The devices NAME.xml keeps in their 1.0 form (qemu-domain.c projects
 * them) and the tree holds whole: <disk>, <channel>. */
extern const char *const qemu_devices_projected_names[];

/*
 * The extras of @model as a JSON object: one array per element name, each
 * element an object with "@attr" strings, "#text" and one array per child
 * element name, as the capability table (qemu-caps.c) declares them.
 * (transfer full) json_object_put(). Never fails.
 */
json_object *qemu_devices_from_model(const vp_domain_model *model);

/* What the devices of the extras leave to qemu-command.c (the disks and
 * the agent channel): @pci places every PCI device (set by the caller);
 * scsi0 and virtio_serial0 say whether those controllers are emitted. */
typedef struct qemu_pci qemu_pci;
typedef struct qemu_devices_ctx {
    qemu_pci *pci;
    bool scsi0;
    bool virtio_serial0;
    const int *tap_fds; /* one per tap interface, in order (qemu_tap_open_all) */
    size_t n_tap_fds;
    size_t next_tap;
} qemu_devices_ctx;

/* The arguments the device files add (qemu-devices.c, qemu-chardev.c):
 * "OPT VALUE" (@value: transfer full), and "-device SPEC" placed on PCI
 * (qemu_pci_opts) for the tree node @dev. */
typedef struct qemu_args {
    char **v;
    size_t n;
    qemu_devices_ctx *ctx;
} qemu_args;
void qemu_args_add(qemu_args *a, const char *opt, char *value);
void qemu_args_add_pci(qemu_args *a, json_object *dev, char *spec);

/*
 * Character devices (qemu-chardev.c): <serial> as isa-serial, <console>
 * (libvirt's rule: the first one is the first serial port, made one when
 * there is none; target type virtio is a virtconsole), <channel>s but the
 * guest agent's (qemu-command.c) as virtio-serial ports, and
 * virtio-serial0 when a virtio port needs it. Errors: VP_ERR_NOT_SUPPORTED.
 */
int qemu_chardev_args(qemu_args *a, json_object *tree, const char *machine);
/* <watchdog>, <panic> and <sound> with its <audio> (qemu-platform.c).
 * Errors: VP_ERR_NOT_SUPPORTED. */
int qemu_platform_args(qemu_args *a, json_object *tree, const char *machine);
/* The <tpm> on the socket of its swtpm (qemu-platform.c), which
 * qemu_tpm_prepare() notes in the tree as attribute QEMU_TPM_CTRL_ATTR.
 * Never fails. */
#define QEMU_TPM_CTRL_ATTR "vp-ctrl"
int qemu_tpm_args(qemu_args *a, json_object *tree);
/* UEFI pflash drives (qemu-firmware.c): the code and variable store
 * qemu_firmware_prepare() resolved, or -bios for <loader type='rom'>.
 * Errors: VP_ERR_NOT_SUPPORTED, VP_ERR_XML. */
int qemu_firmware_args(qemu_args *a, json_object *tree);
/*
 * Taps (qemu-tap.c): whether the tree node @nic (an <interface>) runs on a
 * tap (type ethernet or bridge); qemu_tap_open_all() creates one per such
 * interface of @tree, up and on its bridge, and hands back their
 * descriptors (close-on-exec; @ret_fds: qemu_tap_close_all()). Errors:
 * VP_ERR_INVALID_ARG (a bridge that does not exist, naming it),
 * VP_ERR_SYSTEM. The taps vanish with the last descriptor.
 */
bool qemu_tap_wanted(json_object *nic);
int qemu_tap_open_all(json_object *tree, const char *domain, int **ret_fds, size_t *ret_n);
void qemu_tap_close_all(int *fds, size_t n);

/*
 * Displays (qemu-spice.c). The listen address of <graphics> @g: its
 * <listen address>, else its listen attribute, else 127.0.0.1. (transfer
 * none) Whether @g asks for a port chosen at start (autoport='yes', no
 * port, or port='-1').
 */
const char *qemu_graphics_listen_address(json_object *g);
bool qemu_graphics_autoport(json_object *g);
/* The listen attribute and <listen address> of @g agree (VP_ERR_XML). */
int qemu_graphics_check_listen(json_object *g);
/* @ret_epoch_s: when the password of @g expires (<graphics passwdValidTo>,
 * libvirt's UTC time), -1 when it never does. Errors: VP_ERR_XML. */
int qemu_graphics_valid_to(json_object *g, long long *ret_epoch_s);
/* passwdValidTo and connected of @g are what QEMU can do. Errors:
 * VP_ERR_XML, VP_ERR_NOT_SUPPORTED. */
int qemu_graphics_check_auth(json_object *g);
/* The port (or, on a socket, the path) the driver chose at start, noted in
 * the <graphics> node (qemu_display_prepare); the first autoport port. */
#define QEMU_GRAPHICS_PORT_ATTR "vp-port"
/* The TLS port of a SPICE display the driver chose at start. */
#define QEMU_GRAPHICS_TLS_PORT_ATTR "vp-tls-port"
/* libvirt's spice_tls_x509_cert_dir when qemu.conf names none. */
#define SPICE_TLS_DIR_DEFAULT "/etc/pki/libvirt-spice"
/* libvirt's vnc_tls_x509_cert_dir when qemu.conf names none. */
#define VNC_TLS_DIR_DEFAULT "/etc/pki/libvirt-vnc"
/* The certificate directory of a display with TLS, and for VNC whether
 * client certificates are checked ("on"), noted at start
 * (qemu_spice_tls_prepare, qemu_vnc_tls_prepare). */
#define QEMU_GRAPHICS_X509_DIR_ATTR "vp-x509-dir"
#define QEMU_GRAPHICS_X509_VERIFY_ATTR "vp-x509-verify"
#define QEMU_DISPLAY_PORT_MIN 5900
/* -spice for the spice <graphics> @g; -chardev spicevmc + usb-redir for
 * every <redirdev> of @tree (@usb: a USB controller is there). Errors:
 * VP_ERR_NOT_SUPPORTED, VP_ERR_XML. */
int qemu_spice_graphics_args(qemu_args *a, json_object *g);
/* Some channel of the spice <graphics> @g (or all, by defaultMode) must
 * use TLS. */
bool qemu_spice_wants_secure(json_object *g);
/* @ret_port: the tlsPort of @g (1 to 65535), -1 for none or '-1'.
 * Errors: VP_ERR_NOT_SUPPORTED for any other value. */
int qemu_spice_fixed_tls_port(json_object *g, long *ret_port);
int qemu_spice_redirdev_args(qemu_args *a, json_object *tree, bool usb);

/* The tree's guest agent <channel>, or NULL. (transfer none) */
json_object *qemu_chardev_agent(json_object *tree);
/* ",bus=virtio-serialC.B,nr=PORT" for the virtio port @port of @tree:
 * its <address type='virtio-serial'>, else the number libvirt would give
 * it (@port NULL: QEMU's choice). (transfer full) */
char *qemu_chardev_port_opts(json_object *tree, json_object *port);
/* Every <source mode='bind' path> of a unix chardev in @tree that exists
 * and is not a socket is an error (QEMU would unlink it). */
int qemu_chardev_check_paths(json_object *tree);

/*
 * What the extras add to the command line: @ret_machine_opts
 * (",acpi=off,vmport=off", appended to -machine; may be ""), @ret_args
 * (NULL-terminated, vp_strv_free()), @ret_graphics (a display is
 * configured: no "-display none"). @tree may be NULL (no extras). @accel
 * is "kvm" or "tcg". Errors: VP_ERR_NOT_SUPPORTED for what the capability
 * table cannot express (a USB input without a USB controller).
 */
int qemu_devices_args(json_object *tree, const char *machine, const char *accel,
                      qemu_devices_ctx *ctx, char **ret_machine_opts, char ***ret_args,
                      bool *ret_graphics);

/* Reading the extras tree (the JSON of qemu_devices_from_model): the
 * @i-th child element @name of @o, or NULL; an attribute, or NULL; how
 * many children @name has. (transfer none) */
json_object *qemu_tree_kid(json_object *o, const char *name, size_t i);
const char *qemu_tree_attr(json_object *o, const char *name);
size_t qemu_tree_n(json_object *o, const char *name);
/* Whether @tree has <controller type='@type' index='@index'> (no index
 * is 0). */
bool qemu_tree_has_controller(json_object *tree, const char *type, long index);
/* Whether @tree has <graphics type='spice'> (qemu-chardev.c). */
bool qemu_tree_has_spice(json_object *tree);

/* Machine type names of the q35 family ("q35", "pc-q35-7.2"). */
bool qemu_machine_is_q35(const char *machine);

/*
 * PCI placement (qemu-pci.c). qemu_pci_new() checks every explicit
 * <address type='pci'> of @tree (NULL: none) once; errors:
 * VP_ERR_NOT_SUPPORTED naming the element and the address.
 * qemu_pci_opts() is ",bus=B,addr=0xS[.0xF][,multifunction=on]" for the
 * device @dev (a tree node): its own address, else the next free slot of
 * bus 0. (transfer full) free().
 */
int qemu_pci_new(json_object *tree, const char *machine, qemu_pci **ret_pci);
void qemu_pci_free(qemu_pci *pci);
VP_DEFINE_CLEANUP(qemu_pci, qemu_pci_free)
char *qemu_pci_opts(qemu_pci *pci, json_object *dev);
/* @xml (the definition as the core formats it) and @tree with an index
 * for every <controller type='pci'> given without one, as libvirt assigns
 * them at define (0 for the root, else the lowest free one, in document
 * order), so that devices can name their buses. (transfer full) */
char *qemu_pci_add_indexes(const char *xml, json_object *tree);
/* libvirt's name of PCI bus @bus: "pci.0"/"pcie.0", "pci.N". (transfer full) */
char *qemu_pci_bus_name(const qemu_pci *pci, long bus);

/* Whether @tree (may be NULL) asks for the RTC's catch-up lost-tick policy
 * (<timer name='rtc' tickpolicy='catchup'/>, QEMU's driftfix=slew): then
 * QEMU re-injects the ticks a paused guest missed, and a clock set from
 * the host must reset that (QMP rtc-reset-reinjection). */
bool qemu_devices_rtc_catchup(json_object *tree);

/* A value of a QemuOpts "key=value,..." list: a literal comma is written
 * twice. (transfer full) (qemu-command.c) */
char *qemu_opts_value(const char *s);

#endif /* VIRTPLUG_QEMU_DEVICES_H */
