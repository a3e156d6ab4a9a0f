/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-pci.c: where every PCI device of a domain goes.
 *
 * Owns the PCI placement of one command line: the <address type='pci'> of
 * every device in the extras tree (checked once: domain 0, a bus that a
 * <controller type='pci'> provides, no slot and function used twice, the
 * machine's own devices where the machine has them), and for a device
 * without one the first free slot of bus 0, as libvirt assigns them. Every
 * PCI device therefore gets an explicit bus and addr, so QEMU never places
 * one in a slot that a later device asks for. Buses are named as libvirt
 * names them: "pci.0" (pc) or "pcie.0" (q35) for bus 0, "pci.N" for the
 * controller with index N (a pcie-root-port, whose bus has slot 0 only,
 * or a pci-bridge or pcie-to-pci-bridge, whose buses have slots 1 to
 * 0x1f, as libvirt has them). It never runs anything.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include <virtplug/sdk/services.h>

#include "qemu-devices.h"

#define PCI_BUSES 256
#define PCI_SLOTS 32

struct qemu_pci {
    bool q35;
    bool bus_exists[PCI_BUSES];
    unsigned char bus_slots[PCI_BUSES][2];    /* the first and last slot devices may take */
    unsigned char used[PCI_BUSES][PCI_SLOTS]; /* one bit per function */
};

bool
qemu_machine_is_q35(const char *machine)
{
    return strncmp(machine, "q35", 3) == 0 || strstr(machine, "-q35") != NULL;
}

static const char *
address_of(json_object *dev)
{
    return qemu_tree_attr(qemu_tree_kid(dev, "address", 0), "type");
}

/* A number of an <address> ("0x1f", "2"): -1 when it is not one. */
static long
number(const char *s, long max)
{
    if (!s || !*s)
        return 0;
    char *end;
    long v = strtol(s, &end, 0);
    return *end || v < 0 || v > max ? -1 : v;
}

static int
bad_address(const char *element, const char *what, const char *value)
{
    return vp_plugin_error_set(
        VP_ERR_NOT_SUPPORTED,
        "<%s><address type='pci' %s='%s'> is not supported by the qemu driver; use domain 0, a bus a <controller type='pci'> provides, slot 0 to 0x1f and function 0 to 7",
        element, what, value);
}

/* Mark the explicit address of @dev, an <@element>. */
static int
mark(qemu_pci *pci, const char *element, json_object *dev)
{
    json_object *a = qemu_tree_kid(dev, "address", 0);
    const char *dom = qemu_tree_attr(a, "domain"), *bus = qemu_tree_attr(a, "bus");
    const char *slot = qemu_tree_attr(a, "slot"), *fn = qemu_tree_attr(a, "function");
    long b = number(bus, PCI_BUSES - 1), s = number(slot, PCI_SLOTS - 1), f = number(fn, 7);
    if (number(dom, 0) != 0)
        return bad_address(element, "domain", dom);
    if (b < 0)
        return bad_address(element, "bus", bus);
    if (!pci->bus_exists[b])
        return vp_plugin_error_set(
            VP_ERR_NOT_SUPPORTED,
            "<%s><address type='pci' bus='%s'>: no <controller type='pci' index='%ld'> in this domain; add one with model='pcie-root-port' (q35), or use bus 0",
            element, bus, b);
    if (s < 0)
        return bad_address(element, "slot", slot);
    if (b > 0 && (s < pci->bus_slots[b][0] || s > pci->bus_slots[b][1])) {
        int lo = pci->bus_slots[b][0], hi = pci->bus_slots[b][1];
        _cleanup_free_ char *range =
            lo == hi ? vp_asprintf("slot %d", lo) : vp_asprintf("slots %d to %d", lo, hi);
        return vp_plugin_error_set(
            VP_ERR_NOT_SUPPORTED,
            "<%s><address type='pci' bus='%s' slot='%s'>: bus %ld takes %s only (libvirt's rule for its controller)",
            element, bus, slot, b, range);
    }
    if (f < 0)
        return bad_address(element, "function", fn);
    if (pci->used[b][s] & (1u << f))
        return vp_plugin_error_set(
            VP_ERR_NOT_SUPPORTED,
            "<%s><address type='pci' bus='%s' slot='%s' function='%s'>: PCI address %02lx:%02lx.%ld is used twice or by the machine itself; give each device its own slot",
            element, bus ? bus : "0", slot ? slot : "0", fn ? fn : "0", b, s, f);
    pci->used[b][s] |= (unsigned char)(1u << f);
    return 0;
}

/* The machine's own controllers are where the machine has them. */
static bool
is_builtin(const qemu_pci *pci, json_object *c)
{
    const char *type = qemu_tree_attr(c, "type"), *index = qemu_tree_attr(c, "index");
    if (index && number(index, 255) != 0)
        return false;
    return (pci->q35 && strcmp(type, "sata") == 0) || (!pci->q35 && strcmp(type, "ide") == 0);
}

static int
check_builtin(const qemu_pci *pci, json_object *c)
{
    json_object *a = qemu_tree_kid(c, "address", 0);
    long b = number(qemu_tree_attr(a, "bus"), 255), s = number(qemu_tree_attr(a, "slot"), 31);
    long f = number(qemu_tree_attr(a, "function"), 7);
    long want_s = pci->q35 ? 0x1f : 1, want_f = pci->q35 ? 2 : 1;
    if (a && (b != 0 || s != want_s || f != want_f))
        return vp_plugin_error_set(
            VP_ERR_NOT_SUPPORTED,
            "<controller type='%s' index='0'> is the machine's own, at PCI address 00:%02lx.%ld; it cannot be moved",
            qemu_tree_attr(c, "type"), want_s, want_f);
    return 0;
}

/* The slots a device may take on the bus of controller @model: a root
 * port has one, slot 0; a PCI bridge's slot 0 is its own (libvirt). */
static bool
bus_model(const char *model, unsigned char ret_slots[2])
{
    if (!model)
        return false;
    if (strcmp(model, "pcie-root-port") == 0) {
        ret_slots[0] = ret_slots[1] = 0;
        return true;
    }
    if (strcmp(model, "pci-bridge") == 0 || strcmp(model, "pcie-to-pci-bridge") == 0) {
        ret_slots[0] = 1;
        ret_slots[1] = PCI_SLOTS - 1;
        return true;
    }
    return false;
}

static int
find_buses(qemu_pci *pci, json_object *tree)
{
    pci->bus_exists[0] = true;
    json_object *c;
    for (size_t i = 0; (c = qemu_tree_kid(tree, "controller", i)); i++) {
        const char *model = qemu_tree_attr(c, "model");
        unsigned char slots[2];
        if (strcmp(qemu_tree_attr(c, "type"), "pci") != 0 || !bus_model(model, slots))
            continue;
        long index = number(qemu_tree_attr(c, "index"), PCI_BUSES - 1);
        if (index < 1)
            return vp_plugin_error_set(
                VP_ERR_NOT_SUPPORTED,
                "<controller type='pci' model='%s' index='%s'>: a PCI controller that makes a bus needs an index from 1 to 255",
                model, qemu_tree_attr(c, "index") ? qemu_tree_attr(c, "index") : "");
        if (pci->bus_exists[index])
            return vp_plugin_error_set(VP_ERR_NOT_SUPPORTED,
                                       "<controller type='pci' index='%ld'> is given twice", index);
        pci->bus_exists[index] = true;
        memcpy(pci->bus_slots[index], slots, 2);
    }
    return 0;
}

/* Every explicit address of the tree's devices (each key an element name). */
static int
mark_all(qemu_pci *pci, json_object *tree)
{
    int r = 0;
    json_object_object_foreach(tree, name, arr)
    {
        for (size_t i = 0; r >= 0 && json_object_is_type(arr, json_type_array) &&
                           i < json_object_array_length(arr);
             i++) {
            json_object *dev = json_object_array_get_idx(arr, i);
            const char *type = address_of(dev);
            if (strcmp(name, "controller") == 0 && is_builtin(pci, dev))
                r = check_builtin(pci, dev);
            else if (type && strcmp(type, "pci") == 0)
                r = mark(pci, name, dev);
        }
    }
    return r;
}

int
qemu_pci_new(json_object *tree, const char *machine, qemu_pci **ret_pci)
{
    _cleanup_(qemu_pci_freep) qemu_pci *pci = vp_new0(qemu_pci, 1);
    pci->q35 = qemu_machine_is_q35(machine);
    /* Host bridge; PIIX3 (ISA, IDE, ACPI: 01.2 is free for its USB) or
     * ICH9 (LPC, SATA, SMBus). */
    pci->used[0][0] = 0xff;
    if (pci->q35)
        pci->used[0][0x1f] = 1u << 0 | 1u << 2 | 1u << 3;
    else
        pci->used[0][1] = 1u << 0 | 1u << 1 | 1u << 3;
    int r = tree ? find_buses(pci, tree) : 0;
    if (r >= 0 && tree)
        r = mark_all(pci, tree);
    if (r < 0)
        return r;
    *ret_pci = VP_STEAL_PTR(pci);
    return 0;
}

void
qemu_pci_free(qemu_pci *pci)
{
    free(pci);
}

char *
qemu_pci_bus_name(const qemu_pci *pci, long bus)
{
    return bus == 0 ? vp_strdup(pci->q35 ? "pcie.0" : "pci.0") : vp_asprintf("pci.%ld", bus);
}

char *
qemu_pci_opts(qemu_pci *pci, json_object *dev)
{
    json_object *a = qemu_tree_kid(dev, "address", 0);
    long b = 0, s = -1, f = 0;
    const char *type = qemu_tree_attr(a, "type");
    if (type && strcmp(type, "pci") == 0) {
        b = number(qemu_tree_attr(a, "bus"), PCI_BUSES - 1);
        s = number(qemu_tree_attr(a, "slot"), PCI_SLOTS - 1);
        f = number(qemu_tree_attr(a, "function"), 7);
    } else {
        for (long i = 1; s < 0 && i < PCI_SLOTS; i++) {
            if (!pci->used[0][i])
                s = i;
        }
        if (s < 0) /* bus 0 is full: QEMU says so */
            return vp_strdup("");
        pci->used[0][s] = 1;
    }
    _cleanup_free_ char *bus = qemu_pci_bus_name(pci, b);
    const char *multi = qemu_tree_attr(a, "multifunction");
    _cleanup_free_ char *fn = f ? vp_asprintf(".0x%lx", f) : vp_strdup("");
    return vp_asprintf(",bus=%s,addr=0x%lx%s%s", bus, s, fn,
                       multi && strcmp(multi, "on") == 0 ? ",multifunction=on" : "");
}

/* The index libvirt gives a <controller type='pci'> written without one:
 * 0 for the root, else the lowest one no other PCI controller has. */
static long
free_index(json_object *c, const bool *used)
{
    const char *model = qemu_tree_attr(c, "model");
    if (model && (strcmp(model, "pci-root") == 0 || strcmp(model, "pcie-root") == 0))
        return 0;
    for (long i = 1; i < PCI_BUSES; i++) {
        if (!used[i])
            return i;
    }
    return -1; /* all taken: qemu_pci_new says so */
}

char *
qemu_pci_add_indexes(const char *xml, json_object *tree)
{
    bool used[PCI_BUSES] = {false};
    json_object *c;
    for (size_t i = 0; (c = qemu_tree_kid(tree, "controller", i)); i++) {
        long n = number(qemu_tree_attr(c, "index"), PCI_BUSES - 1);
        if (strcmp(qemu_tree_attr(c, "type"), "pci") == 0 && qemu_tree_attr(c, "index") && n >= 0)
            used[n] = true;
    }
    /* The tree and the text name the controllers in the same order. */
    static const char tag[] = "    <controller type='pci'";
    size_t k = 0;
    char *out = vp_strdup(xml);
    for (size_t i = 0; (c = qemu_tree_kid(tree, "controller", i)); i++) {
        if (strcmp(qemu_tree_attr(c, "type"), "pci") != 0 || qemu_tree_attr(c, "index"))
            continue;
        long n = free_index(c, used);
        if (n < 0)
            break;
        used[n] = true;
        _cleanup_free_ char *v = vp_asprintf("%ld", n);
        json_object_object_add(c, "@index", json_object_new_string(v));
        /* The k-th PCI controller line without an index. */
        char *at = out;
        for (size_t seen = 0; (at = strstr(at, tag));) {
            size_t len = strcspn(at, "\n");
            bool has = memmem(at, len, " index='", 8) != NULL;
            if (!has && seen++ == k)
                break;
            at += len;
        }
        if (!at)
            break;
        size_t off = (size_t)(at - out) + strlen(tag);
        char *next = vp_asprintf("%.*s index='%ld'%s", (int)off, out, n, out + off);
        free(out);
        out = next;
    }
    return out;
}
