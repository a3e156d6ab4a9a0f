/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * pyvp-conn.c: virtplug.Connection, with libvirt-python's method names
 * (listAllDomains, lookupByName, defineXML, getInfo, ...), and domain
 * events: callbacks registered with event_register() run in the thread
 * that calls event_dispatch(), which is what asyncio's add_reader() on
 * event_fd() calls. Calls into the library run without the GIL; close()
 * refuses while one of them still runs on the connection.
 */
#include "pyvp.h"

PyTypeObject *pyvp_conn_type;
PyTypeObject *pyvp_event_type;

/* A registration's opaque: the callback and the Connection it reports
 * (borrowed: every registration is removed before the Connection dies). */
typedef struct pyvp_reg {
    PyObject *callback;
    pyvp_conn *owner;
} pyvp_reg;

/* The connection of @self, or NULL with OperationInvalidError once closed.
 * Marks a call in progress: pair with pyvp_conn_done(). */
vp_conn *
pyvp_conn_use(pyvp_conn *self)
{
    if (!self->conn) {
        PyErr_SetString(PyExc_ValueError, "the connection is closed");
        return NULL;
    }
    self->busy++;
    return self->conn;
}

void
pyvp_conn_done(pyvp_conn *self)
{
    self->busy--;
}

PyObject *
pyvp_conn_open(PyObject *module, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"uri", "flags", NULL};
    const char *uri = NULL;
    unsigned int flags = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|zI:open", kwlist, &uri, &flags))
        return NULL;
    pyvp_conn *self = PyObject_New(pyvp_conn, pyvp_conn_type);
    if (!self)
        return NULL;
    self->conn = NULL;
    self->error = NULL;
    self->busy = 0;
    self->regs = PyDict_New();
    if (!self->regs) {
        Py_DECREF(self);
        return NULL;
    }
    int r;
    vp_conn *conn = NULL;
    PYVP_NOGIL(r = vp_conn_open(uri, flags, &conn));
    if (pyvp_check(r) < 0) {
        Py_DECREF(self);
        return NULL;
    }
    self->conn = conn;
    return (PyObject *)self;
}

/* Deregister every callback and close the connection. */
static int
conn_close(pyvp_conn *self)
{
    if (!self->conn)
        return 0;
    if (self->busy > 0) {
        PyErr_SetString(PyExc_RuntimeError,
                        "the connection is in use by another thread; close it once its calls "
                        "returned");
        return -1;
    }
    vp_conn *conn = self->conn;
    self->conn = NULL;
    if (self->regs) {
        PyObject *key, *value;
        Py_ssize_t pos = 0;
        while (PyDict_Next(self->regs, &pos, &key, &value))
            vp_conn_event_deregister(conn, (int)PyLong_AsLong(key));
        PyDict_Clear(self->regs);
    }
    PYVP_NOGIL(vp_conn_close(conn));
    return 0;
}

static void
conn_dealloc(pyvp_conn *self)
{
    self->busy = 0;
    conn_close(self);
    Py_CLEAR(self->regs);
    Py_CLEAR(self->error);
    pyvp_heap_free((PyObject *)self);
}

static PyObject *
conn_close_method(pyvp_conn *self, PyObject *unused)
{
    if (conn_close(self) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *
conn_enter(pyvp_conn *self, PyObject *unused)
{
    if (!pyvp_conn_use(self))
        return NULL;
    pyvp_conn_done(self);
    Py_INCREF(self);
    return (PyObject *)self;
}

static PyObject *
conn_exit(pyvp_conn *self, PyObject *args)
{
    if (conn_close(self) < 0)
        return NULL;
    Py_RETURN_FALSE;
}

static PyObject *
conn_get_uri(pyvp_conn *self, PyObject *unused)
{
    vp_conn *conn = pyvp_conn_use(self);
    if (!conn)
        return NULL;
    pyvp_conn_done(self);
    return PyUnicode_FromString(vp_conn_get_uri(conn));
}

static PyObject *
conn_get_type(pyvp_conn *self, PyObject *unused)
{
    vp_conn *conn = pyvp_conn_use(self);
    if (!conn)
        return NULL;
    pyvp_conn_done(self);
    return PyUnicode_FromString(vp_conn_get_driver_name(conn));
}

static PyObject *
wrap_domain(PyObject *owner, void *handle)
{
    return pyvp_domain_wrap(owner, handle);
}

static void
free_domain(void *handle)
{
    vp_domain_free(handle);
}

static PyObject *
list_domains(pyvp_conn *self, unsigned int flags)
{
    vp_conn *conn = pyvp_conn_use(self);
    if (!conn)
        return NULL;
    vp_domain **doms = NULL;
    int n;
    PYVP_NOGIL(n = vp_conn_list_domains(conn, flags, &doms));
    pyvp_conn_done(self);
    if (pyvp_check(n) < 0)
        return NULL;
    return pyvp_wrap_list((PyObject *)self, (void **)doms, n, wrap_domain, free_domain);
}

static PyObject *
conn_list_all_domains(pyvp_conn *self, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"flags", NULL};
    unsigned int flags = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|I:listAllDomains", kwlist, &flags))
        return NULL;
    return list_domains(self, flags);
}

static PyObject *
conn_iter(pyvp_conn *self)
{
    PyObject *list = list_domains(self, 0);
    if (!list)
        return NULL;
    PyObject *it = PyObject_GetIter(list);
    Py_DECREF(list);
    return it;
}

/* A call on the connection alone that returns a count or a descriptor. */
static PyObject *
conn_int_call(pyvp_conn *self, int (*fn)(vp_conn *))
{
    vp_conn *conn = pyvp_conn_use(self);
    if (!conn)
        return NULL;
    int n;
    PYVP_NOGIL(n = fn(conn));
    pyvp_conn_done(self);
    return pyvp_check(n) < 0 ? NULL : PyLong_FromLong(n);
}

static PyObject *
conn_num_of_domains(pyvp_conn *self, PyObject *unused)
{
    return conn_int_call(self, vp_conn_num_of_domains);
}

/* The end of every lookup: the call is done, its domain wrapped. */
static PyObject *
lookup_done(pyvp_conn *self, int r, vp_domain *dom)
{
    pyvp_conn_done(self);
    if (pyvp_check(r) < 0)
        return NULL;
    return pyvp_domain_wrap((PyObject *)self, dom);
}

/* The shape of the lookups by a string: one argument, one domain. */
typedef int (*lookup_str_fn)(vp_conn *, const char *, vp_domain **);

static PyObject *
lookup_str(pyvp_conn *self, PyObject *args, const char *format, lookup_str_fn fn)
{
    const char *key;
    if (!PyArg_ParseTuple(args, format, &key))
        return NULL;
    vp_conn *conn = pyvp_conn_use(self);
    if (!conn)
        return NULL;
    vp_domain *dom = NULL;
    int r;
    PYVP_NOGIL(r = fn(conn, key, &dom));
    return lookup_done(self, r, dom);
}

static PyObject *
conn_lookup_by_name(pyvp_conn *self, PyObject *args)
{
    return lookup_str(self, args, "s:lookupByName", vp_domain_lookup_by_name);
}

static PyObject *
conn_lookup_by_uuid_string(pyvp_conn *self, PyObject *args)
{
    return lookup_str(self, args, "s:lookupByUUIDString", vp_domain_lookup_by_uuid_string);
}

static int
define_xml(vp_conn *conn, const char *xml, vp_domain **ret_dom)
{
    return vp_domain_define_xml(conn, xml, 0, ret_dom);
}

static PyObject *
conn_define_xml(pyvp_conn *self, PyObject *args)
{
    return lookup_str(self, args, "s:defineXML", define_xml);
}

/* libvirt-python's createXML(xml, flags=0): a transient domain, running. */
static PyObject *
conn_create_xml(pyvp_conn *self, PyObject *args)
{
    const char *xml;
    unsigned int flags = 0;
    if (!PyArg_ParseTuple(args, "s|I:createXML", &xml, &flags))
        return NULL;
    vp_conn *conn = pyvp_conn_use(self);
    if (!conn)
        return NULL;
    vp_domain *dom = NULL;
    int r;
    PYVP_NOGIL(r = vp_domain_create_xml(conn, xml, flags, &dom));
    return lookup_done(self, r, dom);
}

static PyObject *
conn_lookup_by_id(pyvp_conn *self, PyObject *args)
{
    int id;
    if (!PyArg_ParseTuple(args, "i:lookupByID", &id))
        return NULL;
    vp_conn *conn = pyvp_conn_use(self);
    if (!conn)
        return NULL;
    vp_domain *dom = NULL;
    int r;
    PYVP_NOGIL(r = vp_domain_lookup_by_id(conn, id, &dom));
    return lookup_done(self, r, dom);
}

static PyObject *
conn_get_hostname(pyvp_conn *self, PyObject *unused)
{
    vp_conn *conn = pyvp_conn_use(self);
    if (!conn)
        return NULL;
    char *name = NULL;
    int r;
    PYVP_NOGIL(r = vp_conn_get_hostname(conn, &name));
    pyvp_conn_done(self);
    if (pyvp_check(r) < 0)
        return NULL;
    PyObject *s = PyUnicode_FromString(name);
    free(name);
    return s;
}

/* libvirt-python's getInfo(): [model, memory MiB, cpus, mhz, nodes,
 * sockets, cores, threads]. */
static PyObject *
conn_get_info(pyvp_conn *self, PyObject *unused)
{
    vp_conn *conn = pyvp_conn_use(self);
    if (!conn)
        return NULL;
    vp_node_info info = {.size = sizeof(info)};
    int r;
    PYVP_NOGIL(r = vp_node_get_info(conn, &info));
    pyvp_conn_done(self);
    if (pyvp_check(r) < 0)
        return NULL;
    info.model[sizeof(info.model) - 1] = '\0';
    return Py_BuildValue("[sKIIIIII]", info.model, (unsigned long long)(info.memory_kib >> 10),
                         info.cpus, info.mhz, info.nodes, info.sockets, info.cores, info.threads);
}

static PyObject *
conn_get_domain_capabilities(pyvp_conn *self, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"flags", NULL};
    unsigned int flags = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|I:getDomainCapabilities", kwlist, &flags))
        return NULL;
    vp_conn *conn = pyvp_conn_use(self);
    if (!conn)
        return NULL;
    char *caps = NULL;
    int r;
    PYVP_NOGIL(r = vp_conn_get_domain_capabilities(conn, flags, &caps));
    pyvp_conn_done(self);
    if (pyvp_check(r) < 0)
        return NULL;
    PyObject *s = PyUnicode_FromString(caps);
    free(caps);
    return s;
}

/* ---- Events ----------------------------------------------------------- */

/* A new str of @s, or None when @s is NULL. */
static PyObject *
str_or_none(const char *s)
{
    if (s)
        return PyUnicode_FromString(s);
    Py_INCREF(Py_None);
    return Py_None;
}

static PyObject *
event_new(const vp_domain_event *ev)
{
    PyObject *obj = PyStructSequence_New(pyvp_event_type);
    if (!obj)
        return NULL;
    PyObject *items[] = {PyUnicode_FromString(ev->domain), str_or_none(ev->uuid),
                         PyLong_FromLong(ev->event),       PyLong_FromLong(ev->detail),
                         PyLong_FromLongLong(ev->time_us), str_or_none(ev->src_path),
                         str_or_none(ev->dev_alias),       str_or_none(ev->reason)};
    int ok = 1;
    for (Py_ssize_t i = 0; i < (Py_ssize_t)(sizeof(items) / sizeof(items[0])); i++) {
        if (!items[i])
            ok = 0;
        /* Steals the reference; a NULL item is refused below. */
        PyStructSequence_SetItem(obj, i, items[i]);
    }
    if (!ok) {
        Py_DECREF(obj);
        return NULL;
    }
    return obj;
}

/* Keep the first exception of a dispatch for event_dispatch() to raise;
 * report the others as unraisable, as Python does for callbacks. */
static void
keep_error(pyvp_reg *reg)
{
    if (reg->owner->error) {
        PyErr_WriteUnraisable(reg->callback);
        return;
    }
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    PyErr_NormalizeException(&type, &value, &tb);
    if (tb)
        PyException_SetTraceback(value, tb);
    reg->owner->error = value;
    Py_XDECREF(type);
    Py_XDECREF(tb);
}

static void
event_callback(vp_conn *conn, const vp_domain_event *ev, void *opaque)
{
    pyvp_reg *reg = opaque;
    PyGILState_STATE gil = PyGILState_Ensure();
    PyObject *event = event_new(ev);
    PyObject *r =
        event ? PyObject_CallFunctionObjArgs(reg->callback, (PyObject *)reg->owner, event, NULL)
              : NULL;
    if (!r)
        keep_error(reg);
    Py_XDECREF(r);
    Py_XDECREF(event);
    PyGILState_Release(gil);
}

static void
event_free(void *opaque)
{
    pyvp_reg *reg = opaque;
    PyGILState_STATE gil = PyGILState_Ensure();
    Py_DECREF(reg->callback);
    free(reg);
    PyGILState_Release(gil);
}

static PyObject *
conn_event_register(pyvp_conn *self, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"callback", "mask", NULL};
    PyObject *callback;
    unsigned int mask = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|I:event_register", kwlist, &callback, &mask))
        return NULL;
    if (!PyCallable_Check(callback)) {
        PyErr_SetString(PyExc_TypeError, "event_register: callback must be callable");
        return NULL;
    }
    vp_conn *conn = pyvp_conn_use(self);
    if (!conn)
        return NULL;
    pyvp_reg *reg = malloc(sizeof(*reg));
    if (!reg) {
        pyvp_conn_done(self);
        return PyErr_NoMemory();
    }
    Py_INCREF(callback);
    reg->callback = callback;
    reg->owner = self;
    int r, id = 0;
    PYVP_NOGIL(r = vp_conn_event_register(conn, mask, event_callback, reg, event_free, &id));
    pyvp_conn_done(self);
    if (r < 0) {
        Py_DECREF(callback);
        free(reg);
        return pyvp_raise(r);
    }
    PyObject *key = PyLong_FromLong(id);
    if (!key || PyDict_SetItem(self->regs, key, callback) < 0) {
        Py_XDECREF(key);
        vp_conn_event_deregister(conn, id);
        return NULL;
    }
    return key;
}

static PyObject *
conn_event_deregister(pyvp_conn *self, PyObject *args)
{
    int id;
    if (!PyArg_ParseTuple(args, "i:event_deregister", &id))
        return NULL;
    vp_conn *conn = pyvp_conn_use(self);
    if (!conn)
        return NULL;
    int r;
    PYVP_NOGIL(r = vp_conn_event_deregister(conn, id));
    pyvp_conn_done(self);
    if (pyvp_check(r) < 0)
        return NULL;
    PyObject *key = PyLong_FromLong(id);
    if (!key)
        return NULL;
    if (PyDict_DelItem(self->regs, key) < 0)
        PyErr_Clear();
    Py_DECREF(key);
    Py_RETURN_NONE;
}

static PyObject *
conn_event_fd(pyvp_conn *self, PyObject *unused)
{
    return conn_int_call(self, vp_conn_event_fd);
}

static PyObject *
conn_event_dispatch(pyvp_conn *self, PyObject *unused)
{
    vp_conn *conn = pyvp_conn_use(self);
    if (!conn)
        return NULL;
    int n;
    PYVP_NOGIL(n = vp_conn_event_dispatch(conn));
    pyvp_conn_done(self);
    if (self->error) {
        PyObject *error = self->error;
        self->error = NULL;
        PyErr_SetObject((PyObject *)Py_TYPE(error), error);
        Py_DECREF(error);
        return NULL;
    }
    return pyvp_check(n) < 0 ? NULL : PyLong_FromLong(n);
}

static PyObject *
conn_repr(pyvp_conn *self)
{
    if (!self->conn)
        return PyUnicode_FromString("<virtplug.Connection (closed)>");
    return PyUnicode_FromFormat("<virtplug.Connection '%s'>", vp_conn_get_uri(self->conn));
}

#define NOARGS(name, fn, doc)                                                                      \
    {                                                                                              \
        name, (PyCFunction)(fn), METH_NOARGS, doc                                                  \
    }
#define VARARGS(name, fn, doc)                                                                     \
    {                                                                                              \
        name, (PyCFunction)(fn), METH_VARARGS, doc                                                 \
    }
#define KWARGS(name, fn, doc)                                                                      \
    {                                                                                              \
        name, PYVP_KW(fn), METH_VARARGS | METH_KEYWORDS, doc                                       \
    }

static PyMethodDef conn_methods[] = {
    NOARGS("close", conn_close_method, "close(): deregister every callback and close."),
    NOARGS("__enter__", conn_enter, NULL),
    VARARGS("__exit__", conn_exit, NULL),
    NOARGS("getURI", conn_get_uri, "getURI() -> str: the URI it was opened with."),
    NOARGS("getType", conn_get_type, "getType() -> str: the driver's name ('test', 'qemu')."),
    KWARGS("listAllDomains", conn_list_all_domains,
           "listAllDomains(flags=0) -> list[Domain]: sorted by name; flags "
           "VP_LIST_DOMAINS_ACTIVE | VP_LIST_DOMAINS_INACTIVE, 0 for all."),
    NOARGS("numOfDomains", conn_num_of_domains, "numOfDomains() -> int: running domains."),
    VARARGS("lookupByName", conn_lookup_by_name, "lookupByName(name) -> Domain."),
    VARARGS("lookupByUUIDString", conn_lookup_by_uuid_string,
            "lookupByUUIDString(uuid) -> Domain."),
    VARARGS("lookupByID", conn_lookup_by_id, "lookupByID(id) -> Domain: a running domain."),
    VARARGS("defineXML", conn_define_xml, "defineXML(xml) -> Domain: define or redefine."),
    VARARGS("createXML", conn_create_xml,
            "createXML(xml, flags=0) -> Domain: a transient domain, started; gone once it stops."),
    NOARGS("getHostname", conn_get_hostname, "getHostname() -> str."),
    NOARGS("getInfo", conn_get_info,
           "getInfo() -> [model, memory MiB, cpus, mhz, nodes, sockets, cores, threads]."),
    KWARGS("getDomainCapabilities", conn_get_domain_capabilities,
           "getDomainCapabilities(flags=0) -> str: <domainCapabilities> XML (JSON with "
           "VP_DOMAIN_CAPS_JSON)."),
    KWARGS("getAllDomainStats", pyvp_conn_get_all_domain_stats,
           "getAllDomainStats(stats=0, flags=0) -> list[(Domain, dict)]: libvirt's keys "
           "('state.state', 'cpu.time', 'block.0.rd.bytes', ...) and units."),
    KWARGS("getMemoryStats", pyvp_conn_get_memory_stats,
           "getMemoryStats(cellNum=-1, flags=0) -> dict: total, free, buffers, cached (KiB)."),
    KWARGS("getCPUStats", pyvp_conn_get_cpu_stats,
           "getCPUStats(cpuNum=-1, flags=0) -> dict: kernel, user, idle, iowait (ns)."),
    KWARGS("getSysinfo", pyvp_conn_get_sysinfo,
           "getSysinfo(flags=0) -> str: <sysinfo type='smbios'> XML."),
    KWARGS(
        "getCapabilities", pyvp_conn_get_capabilities,
        "getCapabilities(flags=0) -> str: the host and its guests, libvirt's <capabilities> XML."),
    KWARGS("event_register", conn_event_register,
           "event_register(callback, mask=0) -> int: call callback(conn, DomainEvent) from "
           "event_dispatch() for each event whose bit (1 << event) is in mask (0: all)."),
    VARARGS("event_deregister", conn_event_deregister, "event_deregister(id)."),
    NOARGS("event_fd", conn_event_fd,
           "event_fd() -> int: readable while events wait for event_dispatch(); never "
           "read or close it."),
    NOARGS("event_dispatch", conn_event_dispatch,
           "event_dispatch() -> int: deliver the waiting events; raises the first exception "
           "a callback raised."),
    {NULL, NULL, 0, NULL},
};

static PyType_Slot conn_slots[] = {
    {Py_tp_dealloc, (void *)conn_dealloc},
    {Py_tp_new, (void *)pyvp_no_new},
    {Py_tp_methods, conn_methods},
    {Py_tp_iter, (void *)conn_iter},
    {Py_tp_repr, (void *)conn_repr},
    {Py_tp_doc, "A connection to a virtplug driver; made by virtplug.open(uri)."},
    {0, NULL},
};

static PyType_Spec conn_spec = {
    "virtplug.Connection", sizeof(pyvp_conn), 0, Py_TPFLAGS_DEFAULT, conn_slots,
};

static PyStructSequence_Field event_fields[] = {
    {"domain", "the domain's name"},
    {"uuid", "the domain's UUID, or None when unknown"},
    {"event", "VP_DOMAIN_EVENT_*"},
    {"detail", "VP_DOMAIN_EVENT_<EVENT>_*"},
    {"time_us", "when the library saw the change, in microseconds since the epoch"},
    {"src_path", "VP_DOMAIN_EVENT_IO_ERROR: the disk's source path (\"\" when it has none); "
                 "None for other events"},
    {"dev_alias", "VP_DOMAIN_EVENT_IO_ERROR: the disk's alias (\"vdb\"); None for other events"},
    {"reason", "VP_DOMAIN_EVENT_IO_ERROR: why (\"enospc\" when the host ran out of space, "
               "else the hypervisor's words); None for other events"},
    {NULL, NULL},
};

static PyStructSequence_Desc event_desc = {
    "virtplug.DomainEvent",
    "One domain lifecycle event, as an event_register() callback receives it.",
    event_fields,
    8,
};

int
pyvp_conn_init_type(PyObject *module)
{
    pyvp_conn_type = pyvp_add_type(module, &conn_spec);
    if (!pyvp_conn_type)
        return -1;
    pyvp_event_type = PyStructSequence_NewType(&event_desc);
    if (!pyvp_event_type)
        return -1;
    Py_INCREF(pyvp_event_type);
    return PyModule_AddObject(module, "DomainEvent", (PyObject *)pyvp_event_type);
}
