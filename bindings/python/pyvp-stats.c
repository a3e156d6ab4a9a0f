/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * pyvp-stats.c: the statistics methods of Connection, with libvirt-python's
 * names and shapes: getAllDomainStats() a list of (Domain, dict),
 * getMemoryStats() and getCPUStats() a dict, getSysinfo() and
 * getCapabilities() a str. A typed value becomes an int, a float, a bool
 * or a str by its type.
 */
#include <config.h>

#include <stdlib.h>

#include "pyvp.h"

/* The values of @params as a dict keyed by libvirt's names. */
static PyObject *
params_dict(const vp_typed_params *params)
{
    PyObject *d = PyDict_New();
    for (int i = 0; d && i < vp_typed_params_count(params); i++) {
        const char *field = vp_typed_params_field(params, i);
        int type = vp_typed_params_type(params, i);
        PyObject *v = NULL;
        long long l;
        unsigned long long u;
        double x;
        const char *s;
        if (type == VP_TYPED_PARAM_STRING && vp_typed_params_get_string(params, field, &s) == 1)
            v = PyUnicode_FromString(s);
        else if (type == VP_TYPED_PARAM_DOUBLE &&
                 vp_typed_params_get_double(params, field, &x) == 1)
            v = PyFloat_FromDouble(x);
        else if (type == VP_TYPED_PARAM_BOOLEAN &&
                 vp_typed_params_get_ullong(params, field, &u) == 1)
            v = PyBool_FromLong(u != 0);
        else if ((type == VP_TYPED_PARAM_INT || type == VP_TYPED_PARAM_LLONG) &&
                 vp_typed_params_get_llong(params, field, &l) == 1)
            v = PyLong_FromLongLong(l);
        else if (vp_typed_params_get_ullong(params, field, &u) == 1)
            v = PyLong_FromUnsignedLongLong(u);
        if (!v || PyDict_SetItemString(d, field, v) < 0) {
            Py_XDECREF(v);
            Py_DECREF(d);
            return v ? NULL : pyvp_raise(VP_ERR_INTERNAL);
        }
        Py_DECREF(v);
    }
    return d;
}

/* A handle of its own for the domain of a record (the record keeps its
 * one): by UUID where the driver has UUIDs, else by name. */
static int
record_domain(vp_conn *conn, vp_domain *src, vp_domain **ret_dom)
{
    char uuid[VP_UUID_STRING_BUFLEN];
    if (vp_domain_get_uuid_string(src, uuid) >= 0)
        return vp_domain_lookup_by_uuid_string(conn, uuid, ret_dom);
    return vp_domain_lookup_by_name(conn, vp_domain_get_name(src), ret_dom);
}

PyObject *
pyvp_conn_get_all_domain_stats(pyvp_conn *self, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"stats", "flags", NULL};
    unsigned int stats = 0, flags = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|II:getAllDomainStats", kwlist, &stats, &flags))
        return NULL;
    vp_conn *conn = pyvp_conn_use(self);
    if (!conn)
        return NULL;
    vp_domain_stats **recs = NULL;
    int n;
    PYVP_NOGIL(n = vp_conn_get_all_domain_stats(conn, stats, flags, &recs));
    pyvp_conn_done(self);
    if (pyvp_check(n) < 0)
        return NULL;
    PyObject *list = PyList_New(0);
    for (int i = 0; list && i < n; i++) {
        vp_domain *dom = NULL;
        int r = record_domain(conn, vp_domain_stats_get_domain(recs[i]), &dom);
        if (r == VP_ERR_NO_DOMAIN) /* undefined since: left out, as the call does */
            continue;
        if (r < 0) {
            Py_CLEAR(list);
            pyvp_raise(r);
            break;
        }
        PyObject *w = pyvp_domain_wrap((PyObject *)self, dom);
        PyObject *d = w ? params_dict(vp_domain_stats_get_params(recs[i])) : NULL;
        PyObject *pair = d ? Py_BuildValue("(OO)", w, d) : NULL;
        Py_XDECREF(w);
        Py_XDECREF(d);
        if (!pair || PyList_Append(list, pair) < 0)
            Py_CLEAR(list);
        Py_XDECREF(pair);
    }
    vp_domain_stats_list_free(recs);
    return list;
}

typedef int (*node_stats_fn)(vp_conn *conn, int which, unsigned int flags,
                             vp_typed_params **ret_params);

static PyObject *
node_stats(pyvp_conn *self, PyObject *args, PyObject *kwargs, const char *format, char **kwlist,
           node_stats_fn fn)
{
    int which = -1;
    unsigned int flags = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, format, kwlist, &which, &flags))
        return NULL;
    vp_conn *conn = pyvp_conn_use(self);
    if (!conn)
        return NULL;
    vp_typed_params *params = NULL;
    int r;
    PYVP_NOGIL(r = fn(conn, which, flags, &params));
    pyvp_conn_done(self);
    if (pyvp_check(r) < 0)
        return NULL;
    PyObject *d = params_dict(params);
    vp_typed_params_free(params);
    return d;
}

PyObject *
pyvp_conn_get_memory_stats(pyvp_conn *self, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"cellNum", "flags", NULL};
    return node_stats(self, args, kwargs, "|iI:getMemoryStats", kwlist, vp_node_get_memory_stats);
}

PyObject *
pyvp_conn_get_cpu_stats(pyvp_conn *self, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"cpuNum", "flags", NULL};
    return node_stats(self, args, kwargs, "|iI:getCPUStats", kwlist, vp_node_get_cpu_stats);
}

/* A connection's XML document: getSysinfo(), getCapabilities(). */
static PyObject *
conn_xml(pyvp_conn *self, PyObject *args, PyObject *kwargs, const char *format,
         int (*get)(vp_conn *, unsigned int, char **))
{
    static char *kwlist[] = {"flags", NULL};
    unsigned int flags = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, format, kwlist, &flags))
        return NULL;
    vp_conn *conn = pyvp_conn_use(self);
    if (!conn)
        return NULL;
    char *xml = NULL;
    int r;
    PYVP_NOGIL(r = get(conn, flags, &xml));
    pyvp_conn_done(self);
    if (pyvp_check(r) < 0)
        return NULL;
    PyObject *s = PyUnicode_FromString(xml);
    free(xml);
    return s;
}

PyObject *
pyvp_conn_get_sysinfo(pyvp_conn *self, PyObject *args, PyObject *kwargs)
{
    return conn_xml(self, args, kwargs, "|I:getSysinfo", vp_conn_get_sysinfo);
}

PyObject *
pyvp_conn_get_capabilities(pyvp_conn *self, PyObject *args, PyObject *kwargs)
{
    return conn_xml(self, args, kwargs, "|I:getCapabilities", vp_conn_get_capabilities);
}
