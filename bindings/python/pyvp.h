/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * pyvp.h: what the files of the Python binding share. The binding is a
 * CPython extension on the limited API (stable ABI, abi3): no object layout
 * of CPython is read, so one build loads in every Python 3 since 3.8.
 * Each Python object owns one C handle and frees it when it dies.
 */
#ifndef VIRTPLUG_PYVP_H
#define VIRTPLUG_PYVP_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <virtplug/virtplug.h>

/* Release the GIL around a call into the library: it may wait on QEMU, a
 * guest agent or a lock another process holds. */
#define PYVP_NOGIL(stmt)                                                                           \
    do {                                                                                           \
        PyThreadState *pyvp_ts_ = PyEval_SaveThread();                                             \
        stmt;                                                                                      \
        PyEval_RestoreThread(pyvp_ts_);                                                            \
    } while (0)

/* A method with keywords, cast as PyMethodDef wants it. */
#define PYVP_KW(fn) ((PyCFunction)(void (*)(void))(fn))

typedef struct pyvp_conn {
    PyObject_HEAD vp_conn *conn; /* NULL once closed */
    PyObject *regs;              /* dict: event registration id -> callback */
    PyObject *error;             /* the first exception a callback raised in this dispatch */
    int busy;                    /* calls running without the GIL; close() waits for none */
} pyvp_conn;

typedef struct pyvp_domain {
    PyObject_HEAD vp_domain *dom;
    PyObject *conn; /* the Connection it came from (a strong reference) */
} pyvp_domain;

typedef struct pyvp_snapshot {
    PyObject_HEAD vp_snapshot *snap;
    PyObject *dom; /* the Domain it belongs to */
} pyvp_snapshot;

extern PyTypeObject *pyvp_conn_type;
extern PyTypeObject *pyvp_domain_type;
extern PyTypeObject *pyvp_snapshot_type;
extern PyTypeObject *pyvp_event_type;

/* pyvp-module.c: raise the exception class of @code with the thread's
 * last message (or @code's name); always returns NULL. */
PyObject *pyvp_raise(int code);
/* Raise unless @ret >= 0: returns 0 when it did not raise, -1 when it did. */
int pyvp_check(int ret);

/* pyvp-conn.c: the connection of a call, marked in use (NULL with a
 * ValueError once closed); pair with pyvp_conn_done(). */
vp_conn *pyvp_conn_use(pyvp_conn *self);
void pyvp_conn_done(pyvp_conn *self);
/* pyvp-stats.c: the statistics methods of Connection. */
PyObject *pyvp_conn_get_all_domain_stats(pyvp_conn *self, PyObject *args, PyObject *kwargs);
PyObject *pyvp_conn_get_memory_stats(pyvp_conn *self, PyObject *args, PyObject *kwargs);
PyObject *pyvp_conn_get_cpu_stats(pyvp_conn *self, PyObject *args, PyObject *kwargs);
PyObject *pyvp_conn_get_sysinfo(pyvp_conn *self, PyObject *args, PyObject *kwargs);
PyObject *pyvp_conn_get_capabilities(pyvp_conn *self, PyObject *args, PyObject *kwargs);
/* Create the types of each file (0, or -1 with an exception set). */
int pyvp_conn_init_type(PyObject *module);
int pyvp_domain_init_types(PyObject *module);

/* Wrap a handle the caller owns; the wrapper takes it (freed on failure). */
PyObject *pyvp_domain_wrap(PyObject *conn, vp_domain *dom);
PyObject *pyvp_snapshot_wrap(PyObject *dom, vp_snapshot *snap);
PyObject *pyvp_conn_open(PyObject *module, PyObject *args, PyObject *kwargs);

/* A list of wrappers of the @n handles of @items, a NULL-terminated array
 * the caller owns: the wrappers take the handles, the array is freed. */
typedef PyObject *(*pyvp_wrap_fn)(PyObject *owner, void *handle);
typedef void (*pyvp_free_fn)(void *handle);
PyObject *pyvp_wrap_list(PyObject *owner, void **items, int n, pyvp_wrap_fn wrap,
                         pyvp_free_fn free_handle);
/* tp_new of the types only the module makes: a TypeError naming how. */
PyObject *pyvp_no_new(PyTypeObject *type, PyObject *args, PyObject *kwargs);
/* Free an object of a heap type (a type made by PyType_FromSpec). */
void pyvp_heap_free(PyObject *self);
/* Make a heap type and add it to @module under its short name. */
PyTypeObject *pyvp_add_type(PyObject *module, PyType_Spec *spec);

#endif /* VIRTPLUG_PYVP_H */
