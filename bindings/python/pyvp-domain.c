/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * pyvp-domain.c: virtplug.Domain and virtplug.Snapshot, with libvirt-python's
 * method names (create, shutdown, state, XMLDesc, snapshotCreateXML,
 * getParent, ...). Each object owns its vp_domain or vp_snapshot and keeps
 * the object it came from alive; every call that may wait on a hypervisor
 * runs without the GIL.
 */
#include "pyvp.h"

#include <stdbool.h>
#include <stdlib.h>

PyTypeObject *pyvp_domain_type;
PyTypeObject *pyvp_snapshot_type;

PyObject *
pyvp_domain_wrap(PyObject *conn, vp_domain *dom)
{
    pyvp_domain *self = PyObject_New(pyvp_domain, pyvp_domain_type);
    if (!self) {
        vp_domain_free(dom);
        return NULL;
    }
    self->dom = dom;
    Py_INCREF(conn);
    self->conn = conn;
    return (PyObject *)self;
}

static void
domain_dealloc(pyvp_domain *self)
{
    PYVP_NOGIL(vp_domain_free(self->dom));
    Py_CLEAR(self->conn);
    pyvp_heap_free((PyObject *)self);
}

/* The common shape: one optional "flags" argument, an int status. */
typedef int (*domain_flags_fn)(vp_domain *, unsigned int);

static PyObject *
domain_call(pyvp_domain *self, PyObject *args, const char *format, domain_flags_fn fn)
{
    unsigned int flags = 0;
    if (!PyArg_ParseTuple(args, format, &flags))
        return NULL;
    int r;
    PYVP_NOGIL(r = fn(self->dom, flags));
    if (pyvp_check(r) < 0)
        return NULL;
    return PyLong_FromLong(r);
}

#define DOMAIN_VERB(cname, pyname, fn)                                                             \
    static PyObject *cname(pyvp_domain *self, PyObject *args)                                      \
    {                                                                                              \
        return domain_call(self, args, "|I:" pyname, fn);                                          \
    }
DOMAIN_VERB(domain_create, "create", vp_domain_start)
DOMAIN_VERB(domain_shutdown, "shutdown", vp_domain_shutdown)
DOMAIN_VERB(domain_destroy, "destroy", vp_domain_destroy)
DOMAIN_VERB(domain_suspend, "suspend", vp_domain_suspend)
DOMAIN_VERB(domain_resume, "resume", vp_domain_resume)
DOMAIN_VERB(domain_undefine, "undefine", vp_domain_undefine)
DOMAIN_VERB(domain_reboot, "reboot", vp_domain_reboot)
DOMAIN_VERB(domain_reset, "reset", vp_domain_reset)
DOMAIN_VERB(domain_pm_wakeup, "pmWakeup", vp_domain_pm_wakeup)
#undef DOMAIN_VERB

/* libvirt-python's fsFreeze(mountpoints=None, flags=0) and fsThaw(...) ->
 * int: how many filesystems the call froze or thawed. */
static PyObject *
domain_fs_call(pyvp_domain *self, PyObject *args, const char *format, bool freeze)
{
    PyObject *list = Py_None;
    unsigned int flags = 0;
    if (!PyArg_ParseTuple(args, format, &list, &flags))
        return NULL;
    Py_ssize_t n = list == Py_None ? 0 : PySequence_Size(list);
    if (n < 0)
        return NULL;
    /* The UTF-8 bytes of each mount point, alive until the call is done. */
    PyObject **bytes = calloc((size_t)n + 1, sizeof(*bytes));
    const char **mps = calloc((size_t)n + 1, sizeof(*mps));
    PyObject *ret = NULL;
    Py_ssize_t i = 0;
    for (; bytes && mps && i < n; i++) {
        PyObject *item = PySequence_GetItem(list, i);
        bytes[i] = item ? PyUnicode_AsUTF8String(item) : NULL;
        Py_XDECREF(item);
        if (!bytes[i] || !(mps[i] = PyBytes_AsString(bytes[i])))
            break;
    }
    if (!bytes || !mps) {
        PyErr_NoMemory();
    } else if (i == n) {
        int r;
        PYVP_NOGIL(r = freeze ? vp_domain_fs_freeze(self->dom, n ? mps : NULL, (size_t)n, flags)
                              : vp_domain_fs_thaw(self->dom, n ? mps : NULL, (size_t)n, flags));
        if (pyvp_check(r) >= 0)
            ret = PyLong_FromLong(r);
    }
    for (Py_ssize_t k = 0; bytes && k < n; k++)
        Py_XDECREF(bytes[k]);
    free(bytes);
    free(mps);
    return ret;
}

static PyObject *
domain_fs_freeze(pyvp_domain *self, PyObject *args)
{
    return domain_fs_call(self, args, "|OI:fsFreeze", true);
}

static PyObject *
domain_fs_thaw(pyvp_domain *self, PyObject *args)
{
    return domain_fs_call(self, args, "|OI:fsThaw", false);
}

/* libvirt-python's pmSuspendForDuration(target, duration, flags=0). */
static PyObject *
domain_pm_suspend(pyvp_domain *self, PyObject *args)
{
    unsigned int target = 0, flags = 0;
    unsigned long long duration = 0;
    if (!PyArg_ParseTuple(args, "IK|I:pmSuspendForDuration", &target, &duration, &flags))
        return NULL;
    int r;
    PYVP_NOGIL(r = vp_domain_pm_suspend_for_duration(self->dom, target, duration, flags));
    if (pyvp_check(r) < 0)
        return NULL;
    return PyLong_FromLong(r);
}

/* libvirt-python's setAutostart(flag) and autostart() -> int. */
static PyObject *
domain_set_autostart(pyvp_domain *self, PyObject *args)
{
    int autostart = 0;
    if (!PyArg_ParseTuple(args, "i:setAutostart", &autostart))
        return NULL;
    int r;
    PYVP_NOGIL(r = vp_domain_set_autostart(self->dom, autostart));
    if (pyvp_check(r) < 0)
        return NULL;
    return PyLong_FromLong(0);
}

static PyObject *
domain_autostart(pyvp_domain *self, PyObject *unused)
{
    int r, autostart = 0;
    PYVP_NOGIL(r = vp_domain_get_autostart(self->dom, &autostart));
    if (pyvp_check(r) < 0)
        return NULL;
    return PyLong_FromLong(autostart);
}

static PyObject *
domain_state(pyvp_domain *self, PyObject *args)
{
    unsigned int flags = 0;
    if (PyTuple_Size(args) != 0 && !PyArg_ParseTuple(args, "|I:state", &flags))
        return NULL;
    int r, state = 0, reason = 0;
    PYVP_NOGIL(r = vp_domain_get_state(self->dom, &state, &reason, flags));
    if (pyvp_check(r) < 0)
        return NULL;
    PyObject *t = PyTuple_New(2);
    if (!t)
        return NULL;
    PyObject *a = PyLong_FromLong(state), *b = PyLong_FromLong(reason);
    if (!a || !b) {
        Py_XDECREF(a);
        Py_XDECREF(b);
        Py_DECREF(t);
        return NULL;
    }
    PyTuple_SetItem(t, 0, a);
    PyTuple_SetItem(t, 1, b);
    return t;
}

/* libvirt-python's info(): [state, maxMem KiB, memory KiB, nrVirtCpu, cpuTime ns]. */
static PyObject *
domain_info(pyvp_domain *self, PyObject *unused)
{
    vp_domain_info info = {.size = sizeof(info)};
    int r;
    PYVP_NOGIL(r = vp_domain_get_info(self->dom, &info));
    if (pyvp_check(r) < 0)
        return NULL;
    return Py_BuildValue("[iKKIK]", (int)info.state, (unsigned long long)info.max_memory_kib,
                         (unsigned long long)info.memory_kib, (unsigned int)info.vcpus,
                         (unsigned long long)info.cpu_time_ns);
}

/* A string the library allocated, as a str, freed. */
static PyObject *
take_string(int r, char *s)
{
    if (pyvp_check(r) < 0)
        return NULL;
    PyObject *o = PyUnicode_FromString(s);
    free(s);
    return o;
}

static PyObject *
domain_xml_desc(pyvp_domain *self, PyObject *args)
{
    unsigned int flags = 0;
    if (!PyArg_ParseTuple(args, "|I:XMLDesc", &flags))
        return NULL;
    char *xml = NULL;
    int r;
    PYVP_NOGIL(r = vp_domain_get_xml(self->dom, flags, &xml));
    return take_string(r, xml);
}

static PyObject *
domain_os_type(pyvp_domain *self, PyObject *unused)
{
    char *os = NULL;
    int r;
    PYVP_NOGIL(r = vp_domain_get_os_type(self->dom, &os));
    return take_string(r, os);
}

static PyObject *
domain_name(pyvp_domain *self, PyObject *unused)
{
    return PyUnicode_FromString(vp_domain_get_name(self->dom));
}

static PyObject *
domain_uuid_string(pyvp_domain *self, PyObject *unused)
{
    char uuid[VP_UUID_STRING_BUFLEN];
    if (pyvp_check(vp_domain_get_uuid_string(self->dom, uuid)) < 0)
        return NULL;
    return PyUnicode_FromString(uuid);
}

static PyObject *
domain_id(pyvp_domain *self, PyObject *unused)
{
    int r, id = -1;
    PYVP_NOGIL(r = vp_domain_get_id(self->dom, &id));
    if (pyvp_check(r) < 0)
        return NULL;
    return PyLong_FromLong(id);
}

static PyObject *
domain_is_active(pyvp_domain *self, PyObject *unused)
{
    PyObject *id = domain_id(self, NULL);
    if (!id)
        return NULL;
    long v = PyLong_AsLong(id);
    Py_DECREF(id);
    return PyBool_FromLong(v >= 0);
}

/* libvirt-python's isPersistent() -> int: 0 for a domain made by createXML. */
static PyObject *
domain_is_persistent(pyvp_domain *self, PyObject *unused)
{
    int r;
    PYVP_NOGIL(r = vp_domain_is_persistent(self->dom));
    if (pyvp_check(r) < 0)
        return NULL;
    return PyLong_FromLong(r);
}

static PyObject *
domain_connect(pyvp_domain *self, PyObject *unused)
{
    Py_INCREF(self->conn);
    return self->conn;
}

static PyObject *
wrap_snapshot(PyObject *owner, void *handle)
{
    return pyvp_snapshot_wrap(owner, handle);
}

static void
free_snapshot(void *handle)
{
    vp_snapshot_free(handle);
}

static PyObject *
domain_list_all_snapshots(pyvp_domain *self, PyObject *args)
{
    unsigned int flags = 0;
    if (args && !PyArg_ParseTuple(args, "|I:listAllSnapshots", &flags))
        return NULL;
    vp_snapshot **snaps = NULL;
    int n;
    PYVP_NOGIL(n = vp_snapshot_list(self->dom, flags, &snaps));
    if (pyvp_check(n) < 0)
        return NULL;
    return pyvp_wrap_list((PyObject *)self, (void **)snaps, n, wrap_snapshot, free_snapshot);
}

static PyObject *
domain_snapshots(pyvp_domain *self, PyObject *unused)
{
    PyObject *list = domain_list_all_snapshots(self, NULL);
    if (!list)
        return NULL;
    PyObject *it = PyObject_GetIter(list);
    Py_DECREF(list);
    return it;
}

static PyObject *
domain_snapshot_create_xml(pyvp_domain *self, PyObject *args)
{
    const char *xml = NULL;
    unsigned int flags = 0;
    if (!PyArg_ParseTuple(args, "z|I:snapshotCreateXML", &xml, &flags))
        return NULL;
    vp_snapshot *snap = NULL;
    int r;
    PYVP_NOGIL(r = vp_snapshot_create_xml(self->dom, xml, flags, &snap));
    if (pyvp_check(r) < 0)
        return NULL;
    return pyvp_snapshot_wrap((PyObject *)self, snap);
}

static PyObject *
domain_snapshot_lookup_by_name(pyvp_domain *self, PyObject *args)
{
    const char *name;
    unsigned int flags = 0;
    if (!PyArg_ParseTuple(args, "s|I:snapshotLookupByName", &name, &flags))
        return NULL;
    vp_snapshot *snap = NULL;
    int r;
    PYVP_NOGIL(r = vp_snapshot_lookup_by_name(self->dom, name, flags, &snap));
    if (pyvp_check(r) < 0)
        return NULL;
    return pyvp_snapshot_wrap((PyObject *)self, snap);
}

static PyObject *
domain_snapshot_current(pyvp_domain *self, PyObject *args)
{
    unsigned int flags = 0;
    if (!PyArg_ParseTuple(args, "|I:snapshotCurrent", &flags))
        return NULL;
    vp_snapshot *snap = NULL;
    int r;
    PYVP_NOGIL(r = vp_snapshot_current(self->dom, flags, &snap));
    if (pyvp_check(r) < 0)
        return NULL;
    return pyvp_snapshot_wrap((PyObject *)self, snap);
}

static PyObject *
domain_set_memory_flags(pyvp_domain *self, PyObject *args)
{
    unsigned long long kib;
    unsigned int flags = 0;
    if (!PyArg_ParseTuple(args, "K|I:setMemoryFlags", &kib, &flags))
        return NULL;
    int r;
    PYVP_NOGIL(r = vp_domain_set_memory_flags(self->dom, kib, flags));
    return pyvp_check(r) < 0 ? NULL : PyLong_FromLong(0);
}

static PyObject *
domain_set_vcpus_flags(pyvp_domain *self, PyObject *args)
{
    unsigned int n, flags = 0;
    if (!PyArg_ParseTuple(args, "I|I:setVcpusFlags", &n, &flags))
        return NULL;
    int r;
    PYVP_NOGIL(r = vp_domain_set_vcpus_flags(self->dom, n, flags));
    return pyvp_check(r) < 0 ? NULL : PyLong_FromLong(0);
}

/* libvirt-python's setMetadata(type, metadata, key, uri, flags): key and
 * uri are for <metadata> elements, which the API does not set yet. */
static PyObject *
domain_set_metadata(pyvp_domain *self, PyObject *args)
{
    int type;
    const char *text, *key = NULL, *uri = NULL;
    unsigned int flags = 0;
    if (!PyArg_ParseTuple(args, "iz|zzI:setMetadata", &type, &text, &key, &uri, &flags))
        return NULL;
    if (key || uri) {
        PyErr_SetString(PyExc_ValueError, "setMetadata: key and uri are for <metadata> elements, "
                                          "which virtplug does not set yet; pass None");
        return NULL;
    }
    int r;
    PYVP_NOGIL(r = vp_domain_set_metadata(self->dom, type, text, flags));
    return pyvp_check(r) < 0 ? NULL : PyLong_FromLong(0);
}

/* libvirt-python's updateDeviceFlags(xml, flags=0). */
static PyObject *
domain_update_device_flags(pyvp_domain *self, PyObject *args)
{
    const char *xml;
    unsigned int flags = 0;
    if (!PyArg_ParseTuple(args, "s|I:updateDeviceFlags", &xml, &flags))
        return NULL;
    int r;
    PYVP_NOGIL(r = vp_domain_update_device(self->dom, xml, flags));
    return pyvp_check(r) < 0 ? NULL : PyLong_FromLong(0);
}

/* metadata(type, uri=None, flags=0) -> str, or None when there is none
 * (libvirt-python raises there; a description is optional). */
static PyObject *
domain_metadata(pyvp_domain *self, PyObject *args)
{
    int type;
    const char *uri = NULL;
    unsigned int flags = 0;
    if (!PyArg_ParseTuple(args, "i|zI:metadata", &type, &uri, &flags))
        return NULL;
    char *text = NULL;
    int r;
    PYVP_NOGIL(r = vp_domain_get_metadata(self->dom, type, flags, &text));
    if (pyvp_check(r) < 0)
        return NULL;
    if (!text)
        Py_RETURN_NONE;
    return take_string(r, text);
}

static PyObject *
domain_repr(pyvp_domain *self)
{
    return PyUnicode_FromFormat("<virtplug.Domain '%s'>", vp_domain_get_name(self->dom));
}

#define NOARGS(name, fn, doc)                                                                      \
    {                                                                                              \
        name, (PyCFunction)(fn), METH_NOARGS, doc                                                  \
    }
#define VARARGS(name, fn, doc)                                                                     \
    {                                                                                              \
        name, (PyCFunction)(fn), METH_VARARGS, doc                                                 \
    }

static PyMethodDef domain_methods[] = {
    VARARGS("create", domain_create, "create(flags=0): start the defined domain."),
    VARARGS("shutdown", domain_shutdown, "shutdown(flags=0): ask the guest to power off."),
    VARARGS("destroy", domain_destroy, "destroy(flags=0): stop the domain at once."),
    VARARGS("suspend", domain_suspend, "suspend(flags=0): pause its vCPUs."),
    VARARGS("resume", domain_resume, "resume(flags=0): continue a paused domain."),
    VARARGS("undefine", domain_undefine, "undefine(flags=0): remove an inactive definition."),
    VARARGS("reboot", domain_reboot, "reboot(flags=0): ask the guest to restart."),
    VARARGS("reset", domain_reset, "reset(flags=0): reset the machine at once."),
    VARARGS("fsFreeze", domain_fs_freeze,
            "fsFreeze(mountpoints=None, flags=0) -> int: filesystems this call froze."),
    VARARGS("fsThaw", domain_fs_thaw,
            "fsThaw(mountpoints=None, flags=0) -> int: filesystems this call thawed."),
    VARARGS("pmSuspendForDuration", domain_pm_suspend,
            "pmSuspendForDuration(target, duration, flags=0): VP_NODE_SUSPEND_TARGET_*, 0 s."),
    VARARGS("pmWakeup", domain_pm_wakeup, "pmWakeup(flags=0): wake a guest suspended to RAM."),
    VARARGS("setAutostart", domain_set_autostart,
            "setAutostart(flag): mark (1) or unmark (0) it to start at boot."),
    NOARGS("autostart", domain_autostart, "autostart() -> int: 1 when marked to start at boot."),
    VARARGS("state", domain_state, "state(flags=0) -> (state, reason): VP_DOMAIN_* numbers."),
    NOARGS("info", domain_info,
           "info() -> [state, maxMem KiB, memory KiB, nrVirtCpu, cpuTime ns]."),
    VARARGS("XMLDesc", domain_xml_desc, "XMLDesc(flags=0) -> str: the domain's XML."),
    NOARGS("OSType", domain_os_type, "OSType() -> str: <os><type>, such as 'hvm'."),
    NOARGS("name", domain_name, "name() -> str."),
    NOARGS("UUIDString", domain_uuid_string,
           "UUIDString() -> str: the UUID the handle is bound to."),
    NOARGS("ID", domain_id, "ID() -> int: the running domain's ID, -1 when shut off."),
    NOARGS("isActive", domain_is_active, "isActive() -> bool: whether it runs (also paused)."),
    NOARGS("isPersistent", domain_is_persistent,
           "isPersistent() -> int: 1 when defined, 0 for a transient domain (createXML)."),
    NOARGS("connect", domain_connect, "connect() -> Connection: the one it came from."),
    VARARGS("listAllSnapshots", domain_list_all_snapshots,
            "listAllSnapshots(flags=0) -> list[Snapshot]: in creation order."),
    NOARGS("snapshots", domain_snapshots, "snapshots() -> Iterator[Snapshot]."),
    VARARGS("snapshotCreateXML", domain_snapshot_create_xml,
            "snapshotCreateXML(xml, flags=0) -> Snapshot: xml None or '' lets the driver choose."),
    VARARGS("snapshotLookupByName", domain_snapshot_lookup_by_name,
            "snapshotLookupByName(name, flags=0) -> Snapshot."),
    VARARGS("snapshotCurrent", domain_snapshot_current,
            "snapshotCurrent(flags=0) -> Snapshot: the current snapshot."),
    VARARGS("setMemoryFlags", domain_set_memory_flags,
            "setMemoryFlags(memory_kib, flags=0): VP_DOMAIN_AFFECT_*, VP_DOMAIN_MEM_MAXIMUM."),
    VARARGS("setVcpusFlags", domain_set_vcpus_flags,
            "setVcpusFlags(nvcpus, flags=0): VP_DOMAIN_AFFECT_*, VP_DOMAIN_VCPU_MAXIMUM."),
    VARARGS("setMetadata", domain_set_metadata,
            "setMetadata(type, text, key=None, uri=None, flags=0): description or title."),
    VARARGS("metadata", domain_metadata,
            "metadata(type, uri=None, flags=0) -> str or None: description or title."),
    VARARGS("updateDeviceFlags", domain_update_device_flags,
            "updateDeviceFlags(xml, flags=0): VP_DOMAIN_AFFECT_*, VP_DOMAIN_DEVICE_MODIFY_FORCE."),
    {NULL, NULL, 0, NULL},
};

static PyType_Slot domain_slots[] = {
    {Py_tp_dealloc, (void *)domain_dealloc},
    {Py_tp_new, (void *)pyvp_no_new},
    {Py_tp_methods, domain_methods},
    {Py_tp_repr, (void *)domain_repr},
    {Py_tp_doc, "A domain handle, bound to the domain's UUID; from a Connection."},
    {0, NULL},
};

static PyType_Spec domain_spec = {
    "virtplug.Domain", sizeof(pyvp_domain), 0, Py_TPFLAGS_DEFAULT, domain_slots,
};

/* ---- Snapshots ---------------------------------------------------------- */

PyObject *
pyvp_snapshot_wrap(PyObject *dom, vp_snapshot *snap)
{
    pyvp_snapshot *self = PyObject_New(pyvp_snapshot, pyvp_snapshot_type);
    if (!self) {
        vp_snapshot_free(snap);
        return NULL;
    }
    self->snap = snap;
    Py_INCREF(dom);
    self->dom = dom;
    return (PyObject *)self;
}

static void
snapshot_dealloc(pyvp_snapshot *self)
{
    PYVP_NOGIL(vp_snapshot_free(self->snap));
    Py_CLEAR(self->dom);
    pyvp_heap_free((PyObject *)self);
}

static PyObject *
snapshot_get_name(pyvp_snapshot *self, PyObject *unused)
{
    return PyUnicode_FromString(vp_snapshot_get_name(self->snap));
}

static PyObject *
snapshot_get_xml_desc(pyvp_snapshot *self, PyObject *args)
{
    unsigned int flags = 0;
    if (!PyArg_ParseTuple(args, "|I:getXMLDesc", &flags))
        return NULL;
    char *xml = NULL;
    int r;
    PYVP_NOGIL(r = vp_snapshot_get_xml(self->snap, flags, &xml));
    return take_string(r, xml);
}

static PyObject *
snapshot_delete(pyvp_snapshot *self, PyObject *args)
{
    unsigned int flags = 0;
    if (!PyArg_ParseTuple(args, "|I:delete", &flags))
        return NULL;
    int r;
    PYVP_NOGIL(r = vp_snapshot_delete(self->snap, flags));
    if (pyvp_check(r) < 0)
        return NULL;
    return PyLong_FromLong(r);
}

static PyObject *
snapshot_get_parent(pyvp_snapshot *self, PyObject *args)
{
    unsigned int flags = 0;
    if (!PyArg_ParseTuple(args, "|I:getParent", &flags))
        return NULL;
    vp_snapshot *parent = NULL;
    int r;
    PYVP_NOGIL(r = vp_snapshot_get_parent(self->snap, flags, &parent));
    if (pyvp_check(r) < 0)
        return NULL;
    return pyvp_snapshot_wrap(self->dom, parent);
}

static PyObject *
snapshot_is_current(pyvp_snapshot *self, PyObject *args)
{
    unsigned int flags = 0;
    if (!PyArg_ParseTuple(args, "|I:isCurrent", &flags))
        return NULL;
    int r;
    PYVP_NOGIL(r = vp_snapshot_is_current(self->snap, flags));
    if (pyvp_check(r) < 0)
        return NULL;
    return PyBool_FromLong(r);
}

static PyObject *
snapshot_list_all_children(pyvp_snapshot *self, PyObject *args)
{
    unsigned int flags = 0;
    if (!PyArg_ParseTuple(args, "|I:listAllChildren", &flags))
        return NULL;
    vp_snapshot **snaps = NULL;
    int n;
    PYVP_NOGIL(n = vp_snapshot_list_children(self->snap, flags, &snaps));
    if (pyvp_check(n) < 0)
        return NULL;
    return pyvp_wrap_list(self->dom, (void **)snaps, n, wrap_snapshot, free_snapshot);
}

static PyObject *
snapshot_get_domain(pyvp_snapshot *self, PyObject *unused)
{
    Py_INCREF(self->dom);
    return self->dom;
}

static PyObject *
snapshot_repr(pyvp_snapshot *self)
{
    return PyUnicode_FromFormat("<virtplug.Snapshot '%s'>", vp_snapshot_get_name(self->snap));
}

static PyMethodDef snapshot_methods[] = {
    NOARGS("getName", snapshot_get_name, "getName() -> str."),
    VARARGS("getXMLDesc", snapshot_get_xml_desc, "getXMLDesc(flags=0) -> str: <domainsnapshot>."),
    VARARGS("delete", snapshot_delete,
            "delete(flags=0): VP_SNAPSHOT_DELETE_METADATA_ONLY or _OVERLAYS."),
    VARARGS("getParent", snapshot_get_parent, "getParent(flags=0) -> Snapshot."),
    VARARGS("isCurrent", snapshot_is_current, "isCurrent(flags=0) -> bool."),
    VARARGS("listAllChildren", snapshot_list_all_children,
            "listAllChildren(flags=0) -> list[Snapshot]; VP_SNAPSHOT_LIST_DESCENDANTS for all."),
    NOARGS("getDomain", snapshot_get_domain, "getDomain() -> Domain."),
    {NULL, NULL, 0, NULL},
};

static PyType_Slot snapshot_slots[] = {
    {Py_tp_dealloc, (void *)snapshot_dealloc},
    {Py_tp_new, (void *)pyvp_no_new},
    {Py_tp_methods, snapshot_methods},
    {Py_tp_repr, (void *)snapshot_repr},
    {Py_tp_doc, "A snapshot of a domain; from Domain.snapshotCreateXML() or a list."},
    {0, NULL},
};

static PyType_Spec snapshot_spec = {
    "virtplug.Snapshot", sizeof(pyvp_snapshot), 0, Py_TPFLAGS_DEFAULT, snapshot_slots,
};

int
pyvp_domain_init_types(PyObject *module)
{
    pyvp_domain_type = pyvp_add_type(module, &domain_spec);
    if (!pyvp_domain_type)
        return -1;
    pyvp_snapshot_type = pyvp_add_type(module, &snapshot_spec);
    return pyvp_snapshot_type ? 0 : -1;
}
