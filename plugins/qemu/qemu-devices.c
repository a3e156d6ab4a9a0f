/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-devices.c: QEMU arguments for the domain XML beyond the 1.0 subset.
 *
 * Owns two things: reading the core's model into the "extras" tree (JSON,
 * stored beside the definition by qemu-domain.c, because a plugin cannot
 * parse a model from XML later), and turning that tree into -netdev,
 * -device, -vnc, -object, -cpu, -rtc and -machine options. What it reads
 * of the model is exactly what the capability table (qemu-caps.c) accepts,
 * so the table is the one list of supported elements and attributes. It
 * never touches the disk and never runs anything.
 */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <virtplug/sdk/driver.h>
#include <virtplug/sdk/services.h>

#include "qemu-driver.h"
#include "qemu-devices.h"

extern const vp_plugin_domain_cap qemu_domain_caps[];

const char *const qemu_devices_domain_names[] = {"title", "metadata", "features", "cpu",
                                                 "clock", "pm",       NULL};
const char *const qemu_devices_device_names[] = {
    "controller", "interface", "serial",     "console", "input", "graphics", "sound",    "audio",
    "video",      "watchdog",  "memballoon", "rng",     "panic", "tpm",      "redirdev", NULL};

const char *const qemu_devices_projected_names[] = {"disk", "channel", NULL};

/* ---- the model as a tree -------------------------------------------------- */

static bool
has_name(char **names, const char *name, size_t len)
{
    for (char **n = names; n && *n; n++) {
        if (strlen(*n) == len && strncmp(*n, name, len) == 0)
            return true;
    }
    return false;
}

/* @node (at @path in the table) with the attributes and children the
 * capability table declares under @path. */
static json_object *
node_to_json(const vp_model_node *node, const char *path)
{
    json_object *o = json_object_new_object();
    size_t plen = strlen(path);
    _cleanup_strv_free_ char **kids = vp_new0(char *, 1);
    size_t n_kids = 0;
    for (const vp_plugin_domain_cap *c = qemu_domain_caps; c->path; c++) {
        if (strncmp(c->path, path, plen) != 0 || c->path[plen] != '/')
            continue;
        const char *rest = c->path + plen + 1;
        if (rest[0] == '@') {
            const char *v = vp_plugin_model_node_attr(node, rest + 1);
            if (v)
                json_object_object_add(o, rest, json_object_new_string(v));
            continue;
        }
        size_t len = strcspn(rest, "/");
        if (rest[0] == '*' || has_name(kids, rest, len)) /* <metadata>: kept as text only */
            continue;
        kids = vp_renew(char *, kids, n_kids + 2);
        kids[n_kids++] = vp_strndup(rest, len);
        kids[n_kids] = NULL;
    }
    for (size_t k = 0; k < n_kids; k++) {
        _cleanup_free_ char *kpath = vp_asprintf("%s/%s", path, kids[k]);
        json_object *arr = NULL;
        const vp_model_node *kid;
        for (size_t i = 0; (kid = vp_plugin_model_node_kid(node, kids[k], i)); i++) {
            if (!arr)
                arr = json_object_new_array();
            json_object_array_add(arr, node_to_json(kid, kpath));
        }
        if (arr)
            json_object_object_add(o, kids[k], arr);
    }
    const char *text = vp_plugin_model_node_text(node);
    if (text && *text)
        json_object_object_add(o, "#text", json_object_new_string(text));
    return o;
}

static void
add_kids(json_object *tree, const vp_model_node *parent, const char *prefix,
         const char *const *names)
{
    for (const char *const *n = names; *n; n++) {
        _cleanup_free_ char *path = vp_asprintf("%s%s", prefix, *n);
        json_object *arr = NULL;
        const vp_model_node *kid;
        for (size_t i = 0; parent && (kid = vp_plugin_model_node_kid(parent, *n, i)); i++) {
            if (!arr)
                arr = json_object_new_array();
            json_object_array_add(arr, node_to_json(kid, path));
        }
        if (arr)
            json_object_object_add(tree, *n, arr);
    }
}

json_object *
qemu_devices_from_model(const vp_domain_model *model)
{
    json_object *tree = json_object_new_object();
    const vp_model_node *root = vp_plugin_domain_model_root(model);
    add_kids(tree, root, "", qemu_devices_domain_names);
    add_kids(tree, vp_plugin_model_node_kid(root, "devices", 0), "devices/",
             qemu_devices_device_names);
    /* Kept in NAME.xml as far as the 1.0 subset goes (qemu-domain.c): the
     * tree has the rest of them (addresses, boot order, driver options). */
    add_kids(tree, root, "", (const char *const[]){"os", NULL});
    add_kids(tree, vp_plugin_model_node_kid(root, "devices", 0), "devices/",
             qemu_devices_projected_names);
    return tree;
}

/* ---- reading the tree ------------------------------------------------------ */

static size_t
n_of(json_object *o, const char *name)
{
    json_object *arr;
    return o && json_object_object_get_ex(o, name, &arr) ? json_object_array_length(arr) : 0;
}

static json_object *
kid(json_object *o, const char *name, size_t i)
{
    json_object *arr;
    if (!o || !json_object_object_get_ex(o, name, &arr) || i >= json_object_array_length(arr))
        return NULL;
    return json_object_array_get_idx(arr, i);
}

static const char *
attr(json_object *o, const char *name)
{
    json_object *v;
    _cleanup_free_ char *key = vp_asprintf("@%s", name);
    return o && json_object_object_get_ex(o, key, &v) ? json_object_get_string(v) : NULL;
}

static const char *
text(json_object *o)
{
    json_object *v;
    return o && json_object_object_get_ex(o, "#text", &v) ? json_object_get_string(v) : NULL;
}

static bool
is(const char *v, const char *want)
{
    return v && strcmp(v, want) == 0;
}

/* ---- the arguments ------------------------------------------------------- */

typedef qemu_args args;

static void
add1(args *a, const char *opt)
{
    a->v = vp_renew(char *, a->v, a->n + 2);
    a->v[a->n++] = vp_strdup(opt);
    a->v[a->n] = NULL;
}

static void
add2(args *a, const char *opt, char *value)
{
    add1(a, opt);
    a->v = vp_renew(char *, a->v, a->n + 2);
    a->v[a->n++] = value;
    a->v[a->n] = NULL;
}

/* "-device @spec" placed on PCI where @dev's <address> says, or in the
 * next free slot. */
static void
add_pci(args *a, json_object *dev, char *spec)
{
    _cleanup_free_ char *owned = spec;
    _cleanup_free_ char *addr = qemu_pci_opts(a->ctx->pci, dev);
    add2(a, "-device", vp_asprintf("%s%s", spec, addr));
}

void
qemu_args_add(qemu_args *a, const char *opt, char *value)
{
    add2(a, opt, value);
}

void
qemu_args_add_pci(qemu_args *a, json_object *dev, char *spec)
{
    add_pci(a, dev, spec);
}

static int
unsupported(const char *what)
{
    return vp_plugin_error_set(VP_ERR_NOT_SUPPORTED, "%s is not supported by the qemu driver",
                               what);
}

static int
add_usb_controller(args *a, json_object *c, bool *usb)
{
    const char *model = attr(c, "model"), *ports = attr(c, "ports");
    if (*usb)
        return unsupported("more than one <controller type='usb'>");
    if (is(model, "none"))
        return 0;
    if (model && !is(model, "qemu-xhci") && !is(model, "nec-xhci") && !is(model, "piix3-uhci"))
        return vp_plugin_error_set(
            VP_ERR_NOT_SUPPORTED,
            "<controller type='usb' model='%s'> is not supported by the qemu driver; use qemu-xhci, nec-xhci, piix3-uhci or none",
            model);
    if (ports && is(model, "piix3-uhci"))
        return unsupported("<controller type='usb' model='piix3-uhci' ports='...'>");
    _cleanup_free_ char *p = ports ? vp_asprintf(",p2=%s,p3=%s", ports, ports) : vp_strdup("");
    /* QEMU's names of libvirt's models. */
    const char *dev = is(model, "nec-xhci")     ? "nec-usb-xhci"
                      : is(model, "piix3-uhci") ? "piix3-usb-uhci"
                                                : "qemu-xhci";
    add_pci(a, c, vp_asprintf("%s,id=usb%s", dev, p));
    *usb = true;
    return 0;
}

/* pcie-root-port N is bus "pci.N", chassis N unless the XML says; so are
 * pci-bridge N (chassis_nr N unless <target chassisNr>) and
 * pcie-to-pci-bridge N. */
static int
add_pci_controller(args *a, json_object *c, bool q35)
{
    const char *model = attr(c, "model"), *index = attr(c, "index");
    const char *name = attr(kid(c, "model", 0), "name");
    json_object *target = kid(c, "target", 0);
    /* <model name> is QEMU's device: the one of the controller's model. */
    const char *dev = is(model, "pcie-to-pci-bridge") ? "pcie-pci-bridge" : model;
    if (name && !is(name, dev))
        return vp_plugin_error_set(
            VP_ERR_NOT_SUPPORTED,
            "<controller type='pci' model='%s'><model name='%s'/> is not supported by the qemu driver; its device is '%s'",
            model ? model : "", name, dev ? dev : "");
    if ((is(model, "pci-root") && !q35) || (is(model, "pcie-root") && q35)) {
        if (index && strtol(index, NULL, 10) != 0)
            return vp_plugin_error_set(VP_ERR_NOT_SUPPORTED,
                                       "<controller type='pci' model='%s'> must have index 0",
                                       model);
        return 0; /* the machine's own root bus */
    }
    if (is(model, "pci-bridge")) {
        const char *nr = attr(target, "chassisNr");
        add_pci(a, c, vp_asprintf("pci-bridge,chassis_nr=%s,id=pci.%s", nr ? nr : index, index));
        return 0;
    }
    if (is(model, "pcie-to-pci-bridge") && q35) {
        add_pci(a, c, vp_asprintf("pcie-pci-bridge,id=pci.%s", index));
        return 0;
    }
    if (!is(model, "pcie-root-port") || !q35)
        return vp_plugin_error_set(
            VP_ERR_NOT_SUPPORTED,
            "<controller type='pci' model='%s'> is not supported by the qemu driver on this machine; pc has pci-root and pci-bridge, q35 has pcie-root, pcie-root-port, pcie-to-pci-bridge and pci-bridge",
            model ? model : "");
    const char *chassis = attr(target, "chassis"), *port = attr(target, "port");
    _cleanup_free_ char *p = port ? vp_asprintf(",port=%s", port) : vp_strdup("");
    add_pci(
        a, c,
        vp_asprintf("pcie-root-port%s,chassis=%s,id=pci.%s", p, chassis ? chassis : index, index));
    return 0;
}

/* virtio-scsi and virtio-serial controller N: "scsiN", "virtio-serialN". */
static int
add_bus_controller(args *a, json_object *c)
{
    const char *type = attr(c, "type"), *model = attr(c, "model");
    const char *index = attr(c, "index") ? attr(c, "index") : "0";
    if (is(type, "scsi")) {
        if (!is(model, "virtio-scsi"))
            return unsupported(
                "<controller type='scsi'> without model='virtio-scsi' (libvirt's default is lsilogic)");
        add_pci(a, c, vp_asprintf("virtio-scsi-pci,id=scsi%s", index));
        if (is(index, "0"))
            a->ctx->scsi0 = true;
        return 0;
    }
    add_pci(a, c, vp_asprintf("virtio-serial-pci,id=virtio-serial%s", index));
    if (is(index, "0"))
        a->ctx->virtio_serial0 = true;
    return 0;
}

/* Controllers come first: every device plugged into one needs it. The
 * machine's own (pci-root or pcie-root, pc's ide, q35's sata) add nothing.
 * @ret_usb: the bus every USB input goes on ("usb.0") is there. */
static int
add_controllers(args *a, json_object *tree, const char *machine, bool *ret_usb)
{
    bool usb = false, q35 = qemu_machine_is_q35(machine);
    int r = 0;
    /* PCI buses first (libvirt lists the USB controller before them), by
     * index: a bridge's bus comes before what sits on it. */
    for (long index = 0; r >= 0 && index < 256; index++) {
        for (size_t i = 0; r >= 0 && i < n_of(tree, "controller"); i++) {
            json_object *c = kid(tree, "controller", i);
            const char *n = attr(c, "index");
            if (is(attr(c, "type"), "pci") && (n ? strtol(n, NULL, 10) : 0) == index)
                r = add_pci_controller(a, c, q35);
        }
    }
    for (size_t i = 0; r >= 0 && i < n_of(tree, "controller"); i++) {
        json_object *c = kid(tree, "controller", i);
        const char *type = attr(c, "type"), *index = attr(c, "index");
        if (is(type, "pci"))
            continue;
        if (is(type, "usb"))
            r = add_usb_controller(a, c, &usb);
        else if (is(type, "scsi") || is(type, "virtio-serial"))
            r = add_bus_controller(a, c);
        else if ((is(type, "ide") && q35) || (is(type, "sata") && !q35) ||
                 (index && !is(index, "0")))
            r = vp_plugin_error_set(
                VP_ERR_NOT_SUPPORTED,
                "<controller type='%s' index='%s'> is not supported by the qemu driver on machine '%s'; pc has one ide controller, q35 one sata controller",
                type, index ? index : "0", machine);
    }
    *ret_usb = usb;
    return r;
}

static const char *
nic_model(const char *model)
{
    if (!model || is(model, "e1000"))
        return "e1000";
    if (is(model, "e1000e"))
        return "e1000e";
    return is(model, "virtio") ? "virtio-net-pci" : "rtl8139";
}

/* <mtu size>: virtio-net's host_mtu, the only NIC of QEMU 7.2 that takes it. */
static int
nic_mtu(json_object *nic, const char *model, char **ret_opt)
{
    const char *size = attr(kid(nic, "mtu", 0), "size");
    *ret_opt = NULL;
    if (!size)
        return 0;
    if (!is(model, "virtio"))
        return unsupported("<mtu size> on an interface whose model is not virtio");
    char *end;
    errno = 0;
    unsigned long v = strtoul(size, &end, 10);
    if (errno || end == size || *end || v < 68 || v > 65535)
        return vp_plugin_error_set(
            VP_ERR_XML, "<interface><mtu size='%s'> must be a number from 68 to 65535", size);
    *ret_opt = vp_asprintf(",host_mtu=%lu", v);
    return 0;
}

/* <interface type='user'> always runs with restrict=on: the guest reaches
 * nothing beyond QEMU's own slirp services (docs/qemu-driver.md says why);
 * only a network that qemu.conf maps to "user" has outbound NAT. */
static int
add_interfaces(args *a, json_object *tree)
{
    for (size_t i = 0; i < n_of(tree, "interface"); i++) {
        json_object *nic = kid(tree, "interface", i);
        const char *mac = attr(kid(nic, "mac", 0), "address");
        const char *model = attr(kid(nic, "model", 0), "type");
        if (is(attr(nic, "type"), "network"))
            return unsupported("<interface type='network'> not mapped through qemu.conf");
        _cleanup_free_ char *mtu = NULL;
        int r = nic_mtu(nic, model, &mtu);
        if (r < 0)
            return r;
        if (qemu_tap_wanted(nic)) {
            /* The driver's tap (qemu-tap.c); -1 when only checking a define. */
            size_t k = a->ctx->next_tap++;
            int fd = k < a->ctx->n_tap_fds ? a->ctx->tap_fds[k] : -1;
            add2(a, "-netdev", vp_asprintf("tap,id=hostnet%zu,fd=%d", i, fd));
        } else {
            /* "@restrict" is only ever set by a qemu.conf network (qemu-network.c). */
            const char *restrict_ = attr(nic, "restrict");
            add2(a, "-netdev",
                 vp_asprintf("user,id=hostnet%zu,restrict=%s", i, restrict_ ? restrict_ : "on"));
        }
        _cleanup_free_ char *m = mac ? qemu_opts_value(mac) : NULL;
        const char *order = attr(kid(nic, "boot", 0), "order");
        add_pci(a, nic,
                vp_asprintf("%s,netdev=hostnet%zu,id=net%zu%s%s%s%s%s", nic_model(model), i, i,
                            m ? ",mac=" : "", m ? m : "", order ? ",bootindex=" : "",
                            order ? order : "", mtu ? mtu : ""));
    }
    return 0;
}

static int
add_graphics(args *a, json_object *tree, bool *ret_graphics)
{
    size_t n = n_of(tree, "graphics");
    if (n > 1)
        return unsupported("more than one <graphics>");
    if (n == 0)
        return 0;
    json_object *g = kid(tree, "graphics", 0);
    json_object *l = kid(g, "listen", 0);
    *ret_graphics = true;
    int r = qemu_graphics_check_listen(g);
    if (r >= 0)
        r = qemu_graphics_check_auth(g);
    if (r < 0)
        return r;
    if (is(attr(g, "type"), "spice"))
        return qemu_spice_graphics_args(a, g);
    static const char *const spice_only[] = {"image",     "jpeg",  "zlib",         "playback",
                                             "streaming", "mouse", "filetransfer", "clipboard",
                                             "channel",   NULL};
    for (const char *const *c = spice_only; *c; c++) {
        if (kid(g, *c, 0))
            return vp_plugin_error_set(
                VP_ERR_NOT_SUPPORTED,
                "<graphics type='vnc'><%s> is not supported: it is an option of SPICE", *c);
    }
    const char *tls_port = attr(g, "tlsPort");
    if ((tls_port && !is(tls_port, "-1")) || attr(g, "defaultMode"))
        return vp_plugin_error_set(
            VP_ERR_NOT_SUPPORTED,
            "<graphics type='vnc'> with tlsPort or defaultMode is not supported: they are options of SPICE");
    /* With a password, QEMU refuses every client until set_password; with
     * TLS (qemu_vnc_tls_prepare), VeNCrypt with x509 credentials. */
    const char *dir = attr(g, QEMU_GRAPHICS_X509_DIR_ATTR);
    if (dir) {
        _cleanup_free_ char *d = qemu_opts_value(dir);
        add2(a, "-object",
             vp_asprintf("tls-creds-x509,id=vnc-tls-creds0,dir=%s,endpoint=server,verify-peer=%s",
                         d, attr(g, QEMU_GRAPHICS_X509_VERIFY_ATTR) ? "on" : "off"));
    }
    _cleanup_free_ char *pw = vp_asprintf("%s%s", dir ? ",tls-creds=vnc-tls-creds0" : "",
                                          attr(g, "passwd") ? ",password=on" : "");
    if (is(attr(l, "type"), "socket")) {
        /* The XML's path, else the driver's (qemu_display_prepare). */
        const char *path = attr(l, "socket") ? attr(l, "socket") : attr(l, "vp-socket");
        _cleanup_free_ char *p = qemu_opts_value(path ? path : "");
        add2(a, "-vnc", vp_asprintf("unix:%s%s", p, pw));
        return 0;
    }
    const char *listen = qemu_graphics_listen_address(g);
    const char *port = attr(g, "port");
    _cleanup_free_ char *host =
        strchr(listen, ':') ? vp_asprintf("[%s]", listen) : qemu_opts_value(listen);
    if (qemu_graphics_autoport(g)) {
        /* QEMU takes the first free display from 5900 up. */
        add2(a, "-vnc", vp_asprintf("%s:0,to=99%s", host, pw));
    } else {
        char *end;
        long p = strtol(port, &end, 10);
        if (*end || p < 5900 || p > 65535)
            return vp_plugin_error_set(
                VP_ERR_NOT_SUPPORTED,
                "<graphics type='vnc' port='%s'> is not supported by the qemu driver; use a port from 5900 to 65535 or autoport='yes'",
                port);
        add2(a, "-vnc", vp_asprintf("%s:%ld%s", host, p - 5900, pw));
    }
    return 0;
}

/* ",KEY=VALUE" for a size in KiB (libvirt's unit), scaled by @mul / @div. */
static char *
size_opt(const char *key, const char *kib, unsigned long long mul, unsigned long long div)
{
    if (!kib)
        return vp_strdup("");
    return vp_asprintf(",%s=%llu", key, strtoull(kib, NULL, 10) * mul / div);
}

static int
add_video(args *a, json_object *tree)
{
    size_t n = n_of(tree, "video");
    if (n > 1)
        return unsupported("more than one <video>");
    json_object *m = kid(kid(tree, "video", 0), "model", 0);
    const char *type = attr(m, "type");
    if (n == 0 || is(type, "none"))
        return 0;
    const char *ram = attr(m, "ram"), *vram = attr(m, "vram"), *vgamem = attr(m, "vgamem");
    if (is(type, "qxl")) {
        _cleanup_free_ char *r = size_opt("ram_size", ram, 1024, 1);
        _cleanup_free_ char *v = size_opt("vram_size", vram, 1024, 1);
        _cleanup_free_ char *g = size_opt("vgamem_mb", vgamem, 1, 1024);
        add_pci(a, kid(tree, "video", 0), vp_asprintf("qxl-vga,id=video0%s%s%s", r, v, g));
        return 0;
    }
    if (ram || vgamem || (vram && !is(type, "vga") && !is(type, "bochs")))
        return vp_plugin_error_set(
            VP_ERR_NOT_SUPPORTED,
            "<video><model type='%s'> with ram, vram or vgamem is not supported by the qemu driver; only qxl takes them (vga and bochs take vram)",
            type);
    const char *dev = is(type, "virtio")  ? "virtio-vga"
                      : is(type, "vga")   ? "VGA"
                      : is(type, "bochs") ? "bochs-display"
                                          : "ramfb";
    _cleanup_free_ char *v = size_opt("vgamem_mb", vram, 1, 1024);
    char *spec = vp_asprintf("%s,id=video0%s", dev, v);
    if (is(type, "ramfb")) /* on the system bus, not PCI */
        add2(a, "-device", spec);
    else
        add_pci(a, kid(tree, "video", 0), spec);
    return 0;
}

static int
add_inputs(args *a, json_object *tree, bool usb)
{
    for (size_t i = 0; i < n_of(tree, "input"); i++) {
        json_object *in = kid(tree, "input", i);
        const char *type = attr(in, "type"), *bus = attr(in, "bus");
        if (!bus)
            bus = is(type, "tablet") ? "usb" : "ps2";
        if (is(bus, "ps2")) {
            /* The i8042 of pc and q35 is the PS/2 keyboard and mouse. */
            if (is(type, "tablet"))
                return unsupported("<input type='tablet' bus='ps2'>");
            continue;
        }
        if (is(bus, "usb")) {
            if (!usb)
                return vp_plugin_error_set(
                    VP_ERR_NOT_SUPPORTED,
                    "<input type='%s' bus='usb'> needs a USB controller; add <controller type='usb' model='qemu-xhci'/>",
                    type);
            const char *dev = is(type, "tablet")     ? "usb-tablet"
                              : is(type, "keyboard") ? "usb-kbd"
                                                     : "usb-mouse";
            json_object *addr = kid(in, "address", 0);
            const char *port = is(attr(addr, "type"), "usb") ? attr(addr, "port") : NULL;
            add2(a, "-device",
                 vp_asprintf("%s,id=input%zu,bus=usb.0%s%s", dev, i, port ? ",port=" : "",
                             port ? port : ""));
        } else {
            add_pci(a, in, vp_asprintf("virtio-%s-pci,id=input%zu", type, i));
        }
    }
    return 0;
}

/* <memballoon model='virtio'> with its <stats period='N'/>: how often the
 * guest reports its memory (the statistics' balloon group reads it). */
static int
add_balloon_rng(args *a, json_object *tree)
{
    json_object *balloon = kid(tree, "memballoon", 0);
    const char *period = attr(kid(balloon, "stats", 0), "period");
    if (period &&
        (!*period || strspn(period, "0123456789") != strlen(period) || strlen(period) > 9))
        return vp_plugin_error_set(VP_ERR_INVALID_ARG,
                                   "<memballoon><stats period='%s'> is not a number of seconds",
                                   period);
    if (is(attr(balloon, "model"), "virtio"))
        add_pci(a, balloon,
                vp_asprintf("virtio-balloon-pci,id=balloon0%s%s",
                            period ? ",guest-stats-polling-interval=" : "", period ? period : ""));
    for (size_t i = 0; i < n_of(tree, "rng"); i++) {
        const char *path = text(kid(kid(tree, "rng", i), "backend", 0));
        _cleanup_free_ char *p = qemu_opts_value(path ? path : "/dev/urandom");
        add2(a, "-object", vp_asprintf("rng-random,id=objrng%zu,filename=%s", i, p));
        add_pci(a, kid(tree, "rng", i),
                vp_asprintf("virtio-rng-pci,rng=objrng%zu,id=rng%zu", i, i));
    }
    return 0;
}

static void
add_cpu(args *a, json_object *tree, const char *accel)
{
    const char *mode = attr(kid(tree, "cpu", 0), "mode");
    if (!mode)
        return;
    const char *model = "max";
    if (strcmp(accel, "tcg") == 0)
        VP_PLUGIN_DEBUG(QEMU_AREA, "<cpu mode='%s'> under TCG runs as -cpu max", mode);
    else if (!is(mode, "maximum"))
        model = "host"; /* host-model too: the host's CPU, not a named model */
    add2(a, "-cpu", vp_strdup(model));
}

bool
qemu_devices_rtc_catchup(json_object *tree)
{
    json_object *clock = kid(tree, "clock", 0);
    for (size_t i = 0; i < n_of(clock, "timer"); i++) {
        json_object *t = kid(clock, "timer", i);
        if (is(attr(t, "name"), "rtc") && !is(attr(t, "present"), "no"))
            return is(attr(t, "tickpolicy"), "catchup");
    }
    return false;
}

static int
add_clock(args *a, json_object *tree, const char *accel)
{
    json_object *clock = kid(tree, "clock", 0);
    if (!clock)
        return 0;
    const char *driftfix = "";
    for (size_t i = 0; i < n_of(clock, "timer"); i++) {
        json_object *t = kid(clock, "timer", i);
        const char *name = attr(t, "name"), *policy = attr(t, "tickpolicy");
        bool absent = is(attr(t, "present"), "no");
        if (is(name, "rtc") && !absent) {
            /* delay is what QEMU's RTC does by itself. */
            driftfix = is(policy, "catchup") ? ",driftfix=slew" : "";
        } else if (is(name, "pit") && !absent && (!policy || is(policy, "delay"))) {
            /* delay is what QEMU's PIT does; KVM's in-kernel PIT is told. */
            if (policy && strcmp(accel, "kvm") == 0)
                add2(a, "-global", vp_strdup("kvm-pit.lost_tick_policy=delay"));
        } else if (is(name, "hpet") && !policy) {
            if (absent)
                add1(a, "-no-hpet");
        } else {
            return vp_plugin_error_set(
                VP_ERR_NOT_SUPPORTED,
                "<timer name='%s'%s%s%s%s> is not supported by the qemu driver; it runs rtc (catchup, delay), pit (delay) and hpet (present='no')",
                name, policy ? " tickpolicy='" : "", policy ? policy : "", policy ? "'" : "",
                absent ? " present='no'" : "");
        }
    }
    const char *offset = attr(clock, "offset");
    add2(a, "-rtc", vp_asprintf("base=%s%s", offset ? offset : "utc", driftfix));
    return 0;
}

/* <pm>: the ACPI S3 and S4 states of the power management device. */
static void
add_pm(args *a, json_object *tree, const char *machine)
{
    json_object *pm = kid(tree, "pm", 0);
    const char *dev =
        strncmp(machine, "q35", 3) == 0 || strstr(machine, "-q35") ? "ICH9-LPC" : "PIIX4_PM";
    const char *kinds[][2] = {{"suspend-to-mem", "disable_s3"}, {"suspend-to-disk", "disable_s4"}};
    for (size_t i = 0; i < 2; i++) {
        const char *enabled = attr(kid(pm, kinds[i][0], 0), "enabled");
        if (enabled)
            add2(a, "-global", vp_asprintf("%s.%s=%d", dev, kinds[i][1], is(enabled, "no")));
    }
}

static char *
machine_opts(json_object *tree)
{
    json_object *f = kid(tree, "features", 0);
    if (!f)
        return vp_strdup("");
    /* <features> without <acpi/> is libvirt's way to turn ACPI off; with no
     * <features> at all the 1.0 behaviour (QEMU's default, on) stays. */
    const char *vmport = attr(kid(f, "vmport", 0), "state");
    return vp_asprintf("%s%s%s", kid(f, "acpi", 0) ? "" : ",acpi=off", vmport ? ",vmport=" : "",
                       vmport ? vmport : "");
}

/* Whether @tree holds more than the 1.0 subset has (disks and the agent
 * channel are in the tree for their extra attributes). */
static bool
beyond_1_0(json_object *tree)
{
    static const char *const in_1_0[] = {"metadata", "disk",    "channel", "os",
                                         "serial",   "console", NULL};
    json_object_object_foreach(tree, name, val)
    {
        bool known = false;
        for (const char *const *k = in_1_0; *k; k++)
            known = known || strcmp(name, *k) == 0;
        (void)val;
        if (!known)
            return true;
    }
    return false;
}

int
qemu_devices_args(json_object *tree, const char *machine, const char *accel, qemu_devices_ctx *ctx,
                  char **ret_machine_opts, char ***ret_args, bool *ret_graphics)
{
    args a = {.v = vp_new0(char *, 1), .ctx = ctx};
    bool usb = false, graphics = false;
    int r = 0;
    if (tree && strcmp(machine, "none") == 0 && beyond_1_0(tree))
        r = unsupported("a device, <features>, <cpu> or <clock> on machine 'none'");
    if (r >= 0 && tree) {
        r = qemu_firmware_args(&a, tree);
        if (r >= 0)
            r = add_controllers(&a, tree, machine, &usb);
        if (r >= 0)
            r = add_interfaces(&a, tree);
        if (r >= 0)
            r = add_graphics(&a, tree, &graphics);
        if (r >= 0)
            r = add_video(&a, tree);
        if (r >= 0)
            r = add_inputs(&a, tree, usb);
        if (r >= 0)
            r = qemu_spice_redirdev_args(&a, tree, usb);
        if (r >= 0)
            r = qemu_chardev_args(&a, tree, machine);
        if (r >= 0)
            r = qemu_platform_args(&a, tree, machine);
        if (r >= 0)
            r = qemu_tpm_args(&a, tree);
        if (r >= 0)
            r = add_balloon_rng(&a, tree);
        if (r >= 0) {
            add_cpu(&a, tree, accel);
            add_pm(&a, tree, machine);
            r = add_clock(&a, tree, accel);
        }
    }
    if (r < 0) {
        vp_strv_free(a.v);
        return r;
    }
    *ret_machine_opts = tree ? machine_opts(tree) : vp_strdup("");
    *ret_args = a.v;
    *ret_graphics = graphics;
    return 0;
}

/* ---- the tree for the other files of the driver ------------------------------ */

json_object *
qemu_tree_kid(json_object *o, const char *name, size_t i)
{
    return kid(o, name, i);
}

const char *
qemu_tree_attr(json_object *o, const char *name)
{
    return attr(o, name);
}

size_t
qemu_tree_n(json_object *o, const char *name)
{
    return n_of(o, name);
}

bool
qemu_tree_has_controller(json_object *tree, const char *type, long index)
{
    json_object *c;
    for (size_t i = 0; (c = kid(tree, "controller", i)); i++) {
        const char *n = attr(c, "index");
        if (is(attr(c, "type"), type) && (n ? strtol(n, NULL, 10) : 0) == index)
            return true;
    }
    return false;
}
