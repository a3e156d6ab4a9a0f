/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * pyvp-module.c: the module virtplug._virtplug: its exception classes (one
 * per VP_ERR_* code, under VirtplugError), its constants, the functions
 * that name codes and states, and open(). It never prints: errors become
 * exceptions carrying the library's code and message unchanged.
 */
#include "pyvp.h"

/* One exception class per error code, declared once: the code, its class
 * name and its docstring. */
static const struct pyvp_error_class {
    int code;
    const char *name;
    const char *doc;
} error_classes[] = {
    {VP_ERR_INTERNAL, "InternalError", "A bug or an impossible state (VP_ERR_INTERNAL)."},
    {VP_ERR_INVALID_ARG, "InvalidArgError", "A malformed argument or URI (VP_ERR_INVALID_ARG)."},
    {VP_ERR_NOT_SUPPORTED, "NotSupportedError",
     "The driver does not implement it (VP_ERR_NOT_SUPPORTED)."},
    {VP_ERR_NO_PLUGIN, "NoPluginError",
     "The plugin for a URI is not installed (VP_ERR_NO_PLUGIN)."},
    {VP_ERR_PLUGIN_INVALID, "PluginInvalidError",
     "A plugin file was refused (VP_ERR_PLUGIN_INVALID)."},
    {VP_ERR_NO_DOMAIN, "NoDomainError", "No such domain, or a stale handle (VP_ERR_NO_DOMAIN)."},
    {VP_ERR_NO_SNAPSHOT, "NoSnapshotError", "No such snapshot (VP_ERR_NO_SNAPSHOT)."},
    {VP_ERR_XML, "XMLError", "XML that does not parse or validate (VP_ERR_XML)."},
    {VP_ERR_OPERATION_INVALID, "OperationInvalidError",
     "Not valid in the object's current state (VP_ERR_OPERATION_INVALID)."},
    {VP_ERR_OPERATION_IN_PROGRESS, "OperationInProgressError",
     "Another operation holds the object (VP_ERR_OPERATION_IN_PROGRESS)."},
    {VP_ERR_TIMEOUT, "OperationTimeoutError", "A peer did not answer in time (VP_ERR_TIMEOUT)."},
    {VP_ERR_AGENT_UNRESPONSIVE, "AgentUnresponsiveError",
     "The guest agent did not answer (VP_ERR_AGENT_UNRESPONSIVE)."},
    {VP_ERR_SYSTEM, "SystemCallError", "A system call failed (VP_ERR_SYSTEM)."},
    {VP_ERR_NO_URI_SCHEME, "NoURISchemeError",
     "No driver is known for the URI's scheme (VP_ERR_NO_URI_SCHEME)."},
    {VP_ERR_EXISTS, "ExistsError", "An object of that name already exists (VP_ERR_EXISTS)."},
    {VP_ERR_PROTOCOL, "ProtocolError", "A peer broke its protocol (VP_ERR_PROTOCOL)."},
};
#define N_ERROR_CLASSES (sizeof(error_classes) / sizeof(error_classes[0]))

static PyObject *base_error;
static PyObject *error_types[N_ERROR_CLASSES];

/* The integer constants of virtplug.h that Python programs pass or compare. */
#define C(name)                                                                                    \
    {                                                                                              \
#name, name                                                                                \
    }
static const struct pyvp_const {
    const char *name;
    long value;
} constants[] = {
    C(VP_OK),
    C(VP_ERR_INTERNAL),
    C(VP_ERR_INVALID_ARG),
    C(VP_ERR_NOT_SUPPORTED),
    C(VP_ERR_NO_PLUGIN),
    C(VP_ERR_PLUGIN_INVALID),
    C(VP_ERR_NO_DOMAIN),
    C(VP_ERR_NO_SNAPSHOT),
    C(VP_ERR_XML),
    C(VP_ERR_OPERATION_INVALID),
    C(VP_ERR_OPERATION_IN_PROGRESS),
    C(VP_ERR_TIMEOUT),
    C(VP_ERR_AGENT_UNRESPONSIVE),
    C(VP_ERR_SYSTEM),
    C(VP_ERR_NO_URI_SCHEME),
    C(VP_ERR_EXISTS),
    C(VP_ERR_PROTOCOL),
    C(VP_LIST_DOMAINS_ACTIVE),
    C(VP_LIST_DOMAINS_INACTIVE),
    C(VP_DOMAIN_STATS_STATE),
    C(VP_DOMAIN_STATS_CPU_TOTAL),
    C(VP_DOMAIN_STATS_BALLOON),
    C(VP_DOMAIN_STATS_VCPU),
    C(VP_DOMAIN_STATS_INTERFACE),
    C(VP_DOMAIN_STATS_BLOCK),
    C(VP_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE),
    C(VP_CONNECT_GET_ALL_DOMAINS_STATS_INACTIVE),
    C(VP_CONNECT_GET_ALL_DOMAINS_STATS_RUNNING),
    C(VP_CONNECT_GET_ALL_DOMAINS_STATS_PAUSED),
    C(VP_CONNECT_GET_ALL_DOMAINS_STATS_SHUTOFF),
    C(VP_CONNECT_GET_ALL_DOMAINS_STATS_OTHER),
    C(VP_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS),
    C(VP_NODE_MEMORY_STATS_ALL_CELLS),
    C(VP_NODE_CPU_STATS_ALL_CPUS),
    C(VP_DOMAIN_NOSTATE),
    C(VP_DOMAIN_RUNNING),
    C(VP_DOMAIN_BLOCKED),
    C(VP_DOMAIN_PAUSED),
    C(VP_DOMAIN_SHUTDOWN),
    C(VP_DOMAIN_SHUTOFF),
    C(VP_DOMAIN_CRASHED),
    C(VP_DOMAIN_PMSUSPENDED),
    C(VP_DOMAIN_RUNNING_UNKNOWN),
    C(VP_DOMAIN_RUNNING_BOOTED),
    C(VP_DOMAIN_RUNNING_FROM_SNAPSHOT),
    C(VP_DOMAIN_RUNNING_UNPAUSED),
    C(VP_DOMAIN_RUNNING_WAKEUP),
    C(VP_DOMAIN_PAUSED_UNKNOWN),
    C(VP_DOMAIN_PAUSED_USER),
    C(VP_DOMAIN_PAUSED_IOERROR),
    C(VP_DOMAIN_PAUSED_SNAPSHOT),
    C(VP_DOMAIN_PAUSED_STARTING_UP),
    C(VP_DOMAIN_SHUTDOWN_UNKNOWN),
    C(VP_DOMAIN_SHUTDOWN_USER),
    C(VP_DOMAIN_SHUTOFF_UNKNOWN),
    C(VP_DOMAIN_SHUTOFF_SHUTDOWN),
    C(VP_DOMAIN_SHUTOFF_DESTROYED),
    C(VP_DOMAIN_SHUTOFF_CRASHED),
    C(VP_DOMAIN_SHUTOFF_FAILED),
    C(VP_DOMAIN_CRASHED_UNKNOWN),
    C(VP_DOMAIN_CRASHED_PANICKED),
    C(VP_SNAPSHOT_CREATE_DISK_ONLY),
    C(VP_SNAPSHOT_CREATE_QUIESCE),
    C(VP_SNAPSHOT_DELETE_OVERLAYS),
    C(VP_SNAPSHOT_DELETE_METADATA_ONLY),
    C(VP_SNAPSHOT_LIST_DESCENDANTS),
    C(VP_DOMAIN_XML_INACTIVE),
    C(VP_DOMAIN_XML_SECURE),
    C(VP_DOMAIN_AFFECT_CURRENT),
    C(VP_DOMAIN_AFFECT_LIVE),
    C(VP_DOMAIN_AFFECT_CONFIG),
    C(VP_DOMAIN_DEVICE_MODIFY_FORCE),
    C(VP_DOMAIN_MEM_MAXIMUM),
    C(VP_DOMAIN_VCPU_MAXIMUM),
    C(VP_DOMAIN_METADATA_DESCRIPTION),
    C(VP_DOMAIN_METADATA_TITLE),
    C(VP_DOMAIN_UNDEFINE_NVRAM),
    C(VP_DOMAIN_UNDEFINE_KEEP_NVRAM),
    C(VP_DOMAIN_EVENT_DEFINED),
    C(VP_DOMAIN_EVENT_UNDEFINED),
    C(VP_DOMAIN_EVENT_STARTED),
    C(VP_DOMAIN_EVENT_SUSPENDED),
    C(VP_DOMAIN_EVENT_RESUMED),
    C(VP_DOMAIN_EVENT_STOPPED),
    C(VP_DOMAIN_EVENT_SHUTDOWN),
    C(VP_DOMAIN_EVENT_PMSUSPENDED),
    C(VP_DOMAIN_EVENT_CRASHED),
    C(VP_DOMAIN_EVENT_DEFINED_ADDED),
    C(VP_DOMAIN_EVENT_DEFINED_UPDATED),
    C(VP_DOMAIN_EVENT_DEFINED_RENAMED),
    C(VP_DOMAIN_EVENT_DEFINED_FROM_SNAPSHOT),
    C(VP_DOMAIN_EVENT_UNDEFINED_REMOVED),
    C(VP_DOMAIN_EVENT_UNDEFINED_RENAMED),
    C(VP_DOMAIN_EVENT_STARTED_BOOTED),
    C(VP_DOMAIN_EVENT_STARTED_MIGRATED),
    C(VP_DOMAIN_EVENT_STARTED_RESTORED),
    C(VP_DOMAIN_EVENT_STARTED_FROM_SNAPSHOT),
    C(VP_DOMAIN_EVENT_STARTED_WAKEUP),
    C(VP_DOMAIN_EVENT_SUSPENDED_PAUSED),
    C(VP_DOMAIN_EVENT_SUSPENDED_MIGRATED),
    C(VP_DOMAIN_EVENT_SUSPENDED_IOERROR),
    C(VP_DOMAIN_EVENT_SUSPENDED_WATCHDOG),
    C(VP_DOMAIN_EVENT_SUSPENDED_RESTORED),
    C(VP_DOMAIN_EVENT_SUSPENDED_FROM_SNAPSHOT),
    C(VP_DOMAIN_EVENT_SUSPENDED_API_ERROR),
    C(VP_DOMAIN_EVENT_RESUMED_UNPAUSED),
    C(VP_DOMAIN_EVENT_RESUMED_MIGRATED),
    C(VP_DOMAIN_EVENT_RESUMED_FROM_SNAPSHOT),
    C(VP_DOMAIN_EVENT_STOPPED_SHUTDOWN),
    C(VP_DOMAIN_EVENT_STOPPED_DESTROYED),
    C(VP_DOMAIN_EVENT_STOPPED_CRASHED),
    C(VP_DOMAIN_EVENT_STOPPED_MIGRATED),
    C(VP_DOMAIN_EVENT_STOPPED_SAVED),
    C(VP_DOMAIN_EVENT_STOPPED_FAILED),
    C(VP_DOMAIN_EVENT_STOPPED_FROM_SNAPSHOT),
    C(VP_DOMAIN_EVENT_SHUTDOWN_FINISHED),
    C(VP_DOMAIN_EVENT_SHUTDOWN_GUEST),
    C(VP_DOMAIN_EVENT_SHUTDOWN_HOST),
    C(VP_DOMAIN_EVENT_PMSUSPENDED_MEMORY),
    C(VP_DOMAIN_EVENT_PMSUSPENDED_DISK),
    C(VP_DOMAIN_EVENT_CRASHED_PANICKED),
    C(VP_DOMAIN_EVENT_CRASHED_CRASHLOADED),
    C(VP_DOMAIN_EVENT_NAME_ID),
    C(VP_DOMAIN_REBOOT_ACPI_POWER_BTN),
    C(VP_DOMAIN_REBOOT_GUEST_AGENT),
    C(VP_DOMAIN_START_PAUSED),
    C(VP_DOMAIN_DESTROY_GRACEFUL),
    C(VP_DOMAIN_SHUTDOWN_ACPI_POWER_BTN),
    C(VP_DOMAIN_SHUTDOWN_GUEST_AGENT),
    C(VP_DOMAIN_SHUTDOWN_WAIT),
    C(VP_DOMAIN_EVENT_REBOOT),
    C(VP_DOMAIN_EVENT_IO_ERROR),
    C(VP_DOMAIN_EVENT_REBOOT_RESET),
    C(VP_DOMAIN_EVENT_IO_ERROR_NONE),
    C(VP_DOMAIN_EVENT_IO_ERROR_PAUSE),
    C(VP_DOMAIN_EVENT_IO_ERROR_REPORT),
};
#undef C

/* Set attribute @name of @obj to @value, taking the reference. */
static int
set_attr(PyObject *obj, const char *name, PyObject *value)
{
    if (!value)
        return -1;
    int r = PyObject_SetAttrString(obj, name, value);
    Py_DECREF(value);
    return r;
}

PyObject *
pyvp_raise(int code)
{
    const vp_error *err = vp_error_last();
    const char *message = err && err->code == code ? err->message : vp_error_code_name(code);
    PyObject *type = base_error;
    for (size_t i = 0; i < N_ERROR_CLASSES; i++)
        if (error_classes[i].code == code)
            type = error_types[i];

    PyObject *exc = PyObject_CallFunction(type, "s", message);
    if (!exc)
        return NULL;
    if (set_attr(exc, "code", PyLong_FromLong(code)) == 0 &&
        set_attr(exc, "code_name", PyUnicode_FromString(vp_error_code_name(code))) == 0 &&
        set_attr(exc, "message", PyUnicode_FromString(message)) == 0)
        PyErr_SetObject(type, exc);
    Py_DECREF(exc);
    return NULL;
}

int
pyvp_check(int ret)
{
    if (ret >= 0)
        return 0;
    pyvp_raise(ret);
    return -1;
}

PyObject *
pyvp_wrap_list(PyObject *owner, void **items, int n, pyvp_wrap_fn wrap, pyvp_free_fn free_handle)
{
    PyObject *list = PyList_New(n);
    for (int i = 0; i < n; i++) {
        PyObject *o = list ? wrap(owner, items[i]) : NULL;
        if (!o) {
            for (int j = i + 1; j < n; j++)
                free_handle(items[j]);
            Py_CLEAR(list);
            break;
        }
        PyList_SetItem(list, i, o);
    }
    free(items);
    return list;
}

PyObject *
pyvp_no_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    PyErr_Format(PyExc_TypeError,
                 "virtplug objects are made by the module: virtplug.open(uri), then the "
                 "Connection's and Domain's methods");
    return NULL;
}

void
pyvp_heap_free(PyObject *self)
{
    PyTypeObject *type = Py_TYPE(self);
    freefunc tp_free = (freefunc)PyType_GetSlot(type, Py_tp_free);
    tp_free(self);
    Py_DECREF(type);
}

PyTypeObject *
pyvp_add_type(PyObject *module, PyType_Spec *spec)
{
    PyObject *type = PyType_FromSpec(spec);
    if (!type)
        return NULL;
    const char *dot = strrchr(spec->name, '.');
    Py_INCREF(type);
    if (PyModule_AddObject(module, dot ? dot + 1 : spec->name, type) < 0) {
        Py_DECREF(type);
        Py_DECREF(type);
        return NULL;
    }
    return (PyTypeObject *)type;
}

/* ---- Module functions ------------------------------------------------ */

static PyObject *
py_state_name(PyObject *self, PyObject *args)
{
    int state, reason = -1;
    if (!PyArg_ParseTuple(args, "i|i:state_name", &state, &reason))
        return NULL;
    if (reason >= 0)
        return PyUnicode_FromString(vp_domain_state_reason_name(state, reason));
    return PyUnicode_FromString(vp_domain_state_name(state));
}

static PyObject *
py_error_code_name(PyObject *self, PyObject *args)
{
    int code;
    if (!PyArg_ParseTuple(args, "i:error_code_name", &code))
        return NULL;
    return PyUnicode_FromString(vp_error_code_name(code));
}

static PyObject *
py_event_name(PyObject *self, PyObject *args)
{
    int event, detail = -1;
    unsigned int flags = 0;
    if (!PyArg_ParseTuple(args, "i|iI:event_name", &event, &detail, &flags))
        return NULL;
    if (detail >= 0)
        return PyUnicode_FromString(vp_domain_event_detail_name(event, detail, flags));
    return PyUnicode_FromString(vp_domain_event_name(event, flags));
}

static PyMethodDef module_methods[] = {
    {"open", PYVP_KW(pyvp_conn_open), METH_VARARGS | METH_KEYWORDS,
     "open(uri=None, flags=0) -> Connection: open a connection (also a context manager)."},
    {"state_name", py_state_name, METH_VARARGS,
     "state_name(state[, reason]) -> str: 'running', 'shut off'; with a reason, its name."},
    {"error_code_name", py_error_code_name, METH_VARARGS,
     "error_code_name(code) -> str: 'VP_ERR_NO_DOMAIN'."},
    {"event_name", py_event_name, METH_VARARGS,
     "event_name(event[, detail[, flags]]) -> str: 'Stopped'; with a detail, its name."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT,
    "virtplug._virtplug",
    "libvirtplug for Python: connections, domains, snapshots and events.",
    -1,
    module_methods,
    NULL,
    NULL,
    NULL,
    NULL,
};

static int
add_errors(PyObject *module)
{
    base_error = PyErr_NewExceptionWithDoc(
        "virtplug.VirtplugError",
        "A libvirtplug call failed: .code (VP_ERR_*), .code_name and .message.", NULL, NULL);
    if (!base_error)
        return -1;
    Py_INCREF(base_error);
    if (PyModule_AddObject(module, "VirtplugError", base_error) < 0)
        return -1;
    for (size_t i = 0; i < N_ERROR_CLASSES; i++) {
        char qualname[64];
        PyOS_snprintf(qualname, sizeof(qualname), "virtplug.%s", error_classes[i].name);
        error_types[i] =
            PyErr_NewExceptionWithDoc(qualname, error_classes[i].doc, base_error, NULL);
        if (!error_types[i])
            return -1;
        Py_INCREF(error_types[i]);
        if (PyModule_AddObject(module, error_classes[i].name, error_types[i]) < 0)
            return -1;
    }
    return 0;
}

PyMODINIT_FUNC PyInit__virtplug(void);

PyMODINIT_FUNC
PyInit__virtplug(void)
{
    PyObject *module = PyModule_Create(&module_def);
    if (!module)
        return NULL;
    if (add_errors(module) < 0 || pyvp_conn_init_type(module) < 0 ||
        pyvp_domain_init_types(module) < 0 ||
        PyModule_AddStringConstant(module, "__version__", VP_VERSION_STRING) < 0)
        goto fail;
    for (size_t i = 0; i < sizeof(constants) / sizeof(constants[0]); i++)
        if (PyModule_AddIntConstant(module, constants[i].name, constants[i].value) < 0)
            goto fail;
    return module;
fail:
    Py_DECREF(module);
    return NULL;
}
