/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * virtplug-stats.h: runtime statistics, part of the public API of libvirtplug.
 *
 * Included by <virtplug/virtplug.h>, inside its extern "C" block and after
 * the declarations it builds on; never include it on its own.
 */
#ifndef VIRTPLUG_VIRTPLUG_STATS_H
#define VIRTPLUG_VIRTPLUG_STATS_H

#ifndef VIRTPLUG_VIRTPLUG_H_INSIDE
#error "include <virtplug/virtplug.h>, not <virtplug/virtplug-stats.h>"
#endif

/* ---- Typed parameters (since 1.1) --------------------------------------- */

/*
 * A list of named, typed values, as libvirt's virTypedParameter arrays:
 * the keys and units are libvirt's ("cpu.time" in ns, "balloon.current"
 * in KiB). The list is opaque, so it may learn new types without an ABI
 * change; read it by index or by key with the functions below. A list
 * handed to the caller is the caller's: free it with vp_typed_params_free().
 * Reading one list from several threads at once is safe.
 */
typedef struct vp_typed_params vp_typed_params;

/* The type of one value: libvirt's virTypedParameterType numbering. */
enum {
    VP_TYPED_PARAM_INT = 1,     /* int */
    VP_TYPED_PARAM_UINT = 2,    /* unsigned int */
    VP_TYPED_PARAM_LLONG = 3,   /* long long */
    VP_TYPED_PARAM_ULLONG = 4,  /* unsigned long long */
    VP_TYPED_PARAM_DOUBLE = 5,  /* double */
    VP_TYPED_PARAM_BOOLEAN = 6, /* 0 or 1 */
    VP_TYPED_PARAM_STRING = 7,  /* NUL-terminated UTF-8 */
    VP_TYPED_PARAM_LAST = 8
};

/** vp_typed_params_count: how many values @params holds (0 for NULL). Since: 1.1 */
int vp_typed_params_count(const vp_typed_params *params);

/**
 * vp_typed_params_field: the key of the @index-th value (from 0), in the
 * order the driver reported them, or NULL past the end. (transfer none)
 * Since: 1.1
 */
const char *vp_typed_params_field(const vp_typed_params *params, int index);

/**
 * vp_typed_params_type: the VP_TYPED_PARAM_* of the @index-th value, or
 * VP_ERR_INVALID_ARG past the end. Since: 1.1
 */
int vp_typed_params_type(const vp_typed_params *params, int index);

/**
 * vp_typed_params_get_ullong: the value of key @field as an unsigned
 * number (an INT, UINT, LLONG, ULLONG or BOOLEAN that is not negative).
 * Returns 1 and writes *@ret_value when the key is there, 0 when it is not.
 * Errors: VP_ERR_INVALID_ARG (NULL, or a value of another type or a
 * negative one, naming the key). Since: 1.1
 */
int vp_typed_params_get_ullong(const vp_typed_params *params, const char *field,
                               unsigned long long *ret_value);

/**
 * vp_typed_params_get_llong: as vp_typed_params_get_ullong() for a signed
 * number (an ULLONG above LLONG_MAX is VP_ERR_INVALID_ARG). Since: 1.1
 */
int vp_typed_params_get_llong(const vp_typed_params *params, const char *field,
                              long long *ret_value);

/**
 * vp_typed_params_get_double: as vp_typed_params_get_ullong() for a DOUBLE
 * (numbers of the integer types convert). Since: 1.1
 */
int vp_typed_params_get_double(const vp_typed_params *params, const char *field, double *ret_value);

/**
 * vp_typed_params_get_string: as vp_typed_params_get_ullong() for a STRING.
 * *@ret_value: (transfer none) lives as long as @params. Since: 1.1
 */
int vp_typed_params_get_string(const vp_typed_params *params, const char *field,
                               const char **ret_value);

/**
 * vp_typed_params_format_value: the @index-th value as text, as virsh
 * prints it ("123", "-1", "0.500000", "yes"/"no" for a boolean, strings as
 * they are). @ret_text: (transfer full) free().
 * Errors: VP_ERR_INVALID_ARG (past the end). Since: 1.1
 */
int vp_typed_params_format_value(const vp_typed_params *params, int index, char **ret_text);

/** vp_typed_params_free: NULL-safe. Since: 1.1 */
void vp_typed_params_free(vp_typed_params *params);

/* ---- Domain statistics (since 1.1) -------------------------------------- */

/*
 * Groups of domain statistics: libvirt's virDomainStatsTypes bits, with
 * libvirt's keys:
 *  STATE:     "state.state", "state.reason" (VP_DOMAIN_* and its reason).
 *  CPU_TOTAL: "cpu.time", "cpu.user", "cpu.system" (ns).
 *  BALLOON:   "balloon.current", "balloon.maximum" (KiB), and what the
 *             guest reports ("balloon.swap_in", "balloon.rss", ...).
 *  VCPU:      "vcpu.current", "vcpu.maximum", "vcpu.N.state", "vcpu.N.time"
 *             (ns), "vcpu.N.wait" (ns); virtplug adds "vcpu.N.cpu" (INT:
 *             the host CPU it last ran on) and "vcpu.N.affinity" (STRING:
 *             one character per CPU of the host, from CPU 0, 'y' where it
 *             may run and '-' where not: libvirt's CPU map as virsh's
 *             vcpuinfo prints it; its length is the host's CPU count).
 *  INTERFACE: "net.count", "net.N.name", "net.N.rx.bytes", ".rx.pkts",
 *             ".rx.errs", ".rx.drop", ".tx.bytes", ".tx.pkts", ".tx.errs",
 *             ".tx.drop".
 *  BLOCK:     "block.count", "block.N.name", "block.N.path",
 *             "block.N.rd.reqs", ".rd.bytes", ".rd.times", ".wr.reqs",
 *             ".wr.bytes", ".wr.times", ".fl.reqs", ".fl.times", and
 *             the sizes of the image (bytes) "block.N.allocation" (in use
 *             on the host), ".capacity" (as the guest sees it),
 *             ".physical" (the file's or device's size); virtplug adds
 *             "block.N.error" (INT, libvirt's virDomainDiskErrorCode: 0
 *             none, 1 unspecified, 2 no space), the disk's I/O error
 *             status, which libvirt reads with virDomainGetDiskErrors.
 * A domain that is not running reports "state.*", and of its definition
 * "vcpu.current", "vcpu.maximum", "vcpu.N.affinity" and the block group's
 * names, paths and sizes (read from the images); no counters. Which keys each
 * driver gives, and from where: docs/test-driver.md, docs/qemu-driver.md
 * ("Statistics").
 */
enum {
    VP_DOMAIN_STATS_STATE = 1 << 0,
    VP_DOMAIN_STATS_CPU_TOTAL = 1 << 1,
    VP_DOMAIN_STATS_BALLOON = 1 << 2,
    VP_DOMAIN_STATS_VCPU = 1 << 3,
    VP_DOMAIN_STATS_INTERFACE = 1 << 4,
    VP_DOMAIN_STATS_BLOCK = 1 << 5,
    VP_DOMAIN_STATS_LAST = 1 << 6 /* the first bit no group has */
};

/* Flags of the stats calls: libvirt's virConnectGetAllDomainStatsFlags
 * values, those virtplug knows. */
enum {
    VP_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE = 1 << 0,   /* running or paused */
    VP_CONNECT_GET_ALL_DOMAINS_STATS_INACTIVE = 1 << 1, /* shut off */
    VP_CONNECT_GET_ALL_DOMAINS_STATS_RUNNING = 1 << 4,
    VP_CONNECT_GET_ALL_DOMAINS_STATS_PAUSED = 1 << 5,
    VP_CONNECT_GET_ALL_DOMAINS_STATS_SHUTOFF = 1 << 6,
    VP_CONNECT_GET_ALL_DOMAINS_STATS_OTHER = 1 << 7, /* any other state */
    /* Fail (VP_ERR_NOT_SUPPORTED, naming the group) when the driver has
     * no statistics of a group asked for; without it such groups are
     * left out, as libvirt does. */
    VP_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS = 1u << 31
};

/**
 * vp_domain_get_stats: the statistics of one domain (libvirt's
 * virDomainListGetStats for one domain).
 * @groups: VP_DOMAIN_STATS_* bits; 0: every group the driver has.
 * @flags: 0 or VP_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS.
 * @ret_params: (transfer full) vp_typed_params_free().
 * Errors: VP_ERR_INVALID_ARG (unknown groups or flags), VP_ERR_NO_DOMAIN,
 * VP_ERR_NOT_SUPPORTED ('domain-get-stats', or an enforced group).
 * A value the driver could not read (a QEMU that did not answer) is left
 * out, not an error. Thread-safe. Since: 1.1
 */
int vp_domain_get_stats(vp_domain *dom, unsigned int groups, unsigned int flags,
                        vp_typed_params **ret_params);

/* One domain's statistics in vp_conn_get_all_domain_stats()'s answer. */
typedef struct vp_domain_stats vp_domain_stats;

/** vp_domain_stats_get_domain: the domain of @record. (transfer none) Since: 1.1 */
vp_domain *vp_domain_stats_get_domain(const vp_domain_stats *record);

/** vp_domain_stats_get_params: the statistics of @record. (transfer none) Since: 1.1 */
const vp_typed_params *vp_domain_stats_get_params(const vp_domain_stats *record);

/**
 * vp_conn_get_all_domain_stats: the statistics of every domain of the
 * connection, in the order vp_conn_list_domains() gives them (libvirt's
 * virConnectGetAllDomainStats).
 * @groups: as vp_domain_get_stats().
 * @flags: VP_CONNECT_GET_ALL_DOMAINS_STATS_*: ACTIVE and INACTIVE choose
 * by activity, RUNNING, PAUSED, SHUTOFF and OTHER by state (none of a
 * kind: all of them), and ENFORCE_STATS.
 * @ret_records: (transfer full) a NULL-terminated array,
 * vp_domain_stats_list_free(). Returns the count. A domain undefined
 * while the call runs is left out. The domains are asked from up to 8
 * threads at once (the driver's slots are thread-safe), so the call
 * takes about as long as the slowest few domains, not their sum.
 * Errors: as vp_domain_get_stats(), and VP_ERR_NOT_SUPPORTED
 * ('connect-list-domains'). Thread-safe. Since: 1.1
 */
int vp_conn_get_all_domain_stats(vp_conn *conn, unsigned int groups, unsigned int flags,
                                 vp_domain_stats ***ret_records);

/** vp_domain_stats_list_free: each record, its domain, its params, the array. NULL-safe. Since: 1.1
 */
void vp_domain_stats_list_free(vp_domain_stats **records);

/* ---- Host statistics (since 1.1) ----------------------------------------- */

/* All cells, all CPUs: libvirt's VIR_NODE_MEMORY_STATS_ALL_CELLS and
 * VIR_NODE_CPU_STATS_ALL_CPUS. */
#define VP_NODE_MEMORY_STATS_ALL_CELLS (-1)
#define VP_NODE_CPU_STATS_ALL_CPUS (-1)

/**
 * vp_node_get_memory_stats: the memory of the host the connection
 * manages, in KiB with libvirt's keys: "total", "free", "buffers",
 * "cached" (ULLONG); for one NUMA @cell "total" and "free" only.
 * @cell: a NUMA cell (from 0) or VP_NODE_MEMORY_STATS_ALL_CELLS. @flags: 0.
 * @ret_params: (transfer full) vp_typed_params_free().
 * Errors: VP_ERR_INVALID_ARG (a cell the host does not have, naming it;
 * flags), VP_ERR_SYSTEM (the host's files), VP_ERR_NOT_SUPPORTED
 * ('node-get-memory-stats'). Thread-safe. Since: 1.1
 */
int vp_node_get_memory_stats(vp_conn *conn, int cell, unsigned int flags,
                             vp_typed_params **ret_params);

/**
 * vp_node_get_cpu_stats: the CPU time of the host since it booted, in ns
 * with libvirt's keys: "kernel", "user", "idle", "iowait" (ULLONG).
 * @cpu: a CPU number or VP_NODE_CPU_STATS_ALL_CPUS (their sum). @flags: 0.
 * @ret_params: (transfer full) vp_typed_params_free().
 * Errors: VP_ERR_INVALID_ARG (a CPU the host does not have), VP_ERR_SYSTEM,
 * VP_ERR_NOT_SUPPORTED ('node-get-cpu-stats'). Thread-safe. Since: 1.1
 */
int vp_node_get_cpu_stats(vp_conn *conn, int cpu, unsigned int flags, vp_typed_params **ret_params);

/**
 * vp_conn_get_sysinfo: the host's SMBIOS data as libvirt's <sysinfo
 * type='smbios'> XML (virConnectGetSysinfo): <bios>, <system>,
 * <baseBoard> and <chassis> entries. What the host did not let be read
 * (serial numbers are root's only) is named in an XML comment inside
 * <sysinfo>. @flags: 0. @ret_xml: (transfer full) free().
 * Errors: VP_ERR_NOT_SUPPORTED (the host has no SMBIOS data: say where it
 * was looked for; or 'connect-get-sysinfo'), VP_ERR_INVALID_ARG.
 * Thread-safe. Since: 1.1
 */
int vp_conn_get_sysinfo(vp_conn *conn, unsigned int flags, char **ret_xml);

#endif /* VIRTPLUG_VIRTPLUG_STATS_H */
