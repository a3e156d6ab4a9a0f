/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * virtplug-runtime-data.h: runtime data, part of the public API of libvirtplug.
 *
 * Included by <virtplug/virtplug.h>, inside its extern "C" block and after
 * the declarations it builds on; never include it on its own.
 */
#ifndef VIRTPLUG_VIRTPLUG_RUNTIME_DATA_H
#define VIRTPLUG_VIRTPLUG_RUNTIME_DATA_H

#ifndef VIRTPLUG_VIRTPLUG_H_INSIDE
#error "include <virtplug/virtplug.h>, not <virtplug/virtplug-runtime-data.h>"
#endif

/* ---- Runtime data (since 1.1) ------------------------------------------ */

/*
 * The structs below begin with their own size, as vp_node_suspend_result:
 * the caller sets @size to sizeof() the struct it was built with before the
 * call, the library writes the fields that fit and leaves @size alone. They
 * only grow at their end.
 */

/**
 * vp_domain_info: libvirt's virDomainInfo, with the state's reason.
 * Since: 1.1
 */
typedef struct vp_domain_info {
    uint32_t size;
    int32_t state;           /* VP_DOMAIN_* */
    int32_t reason;          /* the state's reason, as vp_domain_get_state() */
    uint32_t vcpus;          /* virtual CPUs */
    uint64_t max_memory_kib; /* <memory>: the most the guest may have */
    uint64_t memory_kib;     /* what the guest has now (<currentMemory> or its balloon) */
    uint64_t cpu_time_ns;    /* CPU time used since the domain started; 0 when shut off */
} vp_domain_info;

/**
 * vp_domain_get_info: the domain's state, memory, vCPUs and CPU time.
 * @ret_info: its @size set by the caller; written on success.
 * Errors: VP_ERR_INVALID_ARG (NULL, or @size below 8), VP_ERR_NO_DOMAIN,
 * VP_ERR_NOT_SUPPORTED ('domain-get-info'). Thread-safe. Since: 1.1
 */
int vp_domain_get_info(vp_domain *dom, vp_domain_info *ret_info);

/**
 * vp_domain_get_os_type: the domain's OS type, the text of <os><type> in
 * its definition ("hvm", or a driver's own type such as "exe"), as
 * libvirt's virDomainGetOSType.
 * @ret_os_type: (transfer full) free().
 * Errors: VP_ERR_NO_DOMAIN, VP_ERR_XML, VP_ERR_NOT_SUPPORTED
 * ('domain-get-xml'). Thread-safe. Since: 1.1
 */
int vp_domain_get_os_type(vp_domain *dom, char **ret_os_type);

/**
 * vp_node_info: libvirt's virNodeInfo: the host the connection manages.
 * As libvirt: @sockets counts per NUMA node; when the topology does not
 * divide evenly (1 node, 1 socket, @cores = @cpus, 1 thread).
 * Since: 1.1
 */
typedef struct vp_node_info {
    uint32_t size;
    uint32_t cpus;       /* online CPUs */
    uint64_t memory_kib; /* memory size */
    uint32_t mhz;        /* CPU frequency, 0 when the host does not say */
    uint32_t nodes;      /* NUMA cells */
    uint32_t sockets;    /* CPU sockets per NUMA cell */
    uint32_t cores;      /* cores per socket */
    uint32_t threads;    /* threads per core */
    char model[32];      /* the CPU architecture as libvirt names it: "x86_64" */
} vp_node_info;

/**
 * vp_node_get_info: the host's CPUs and memory.
 * @ret_info: its @size set by the caller; written on success.
 * Errors: VP_ERR_INVALID_ARG, VP_ERR_SYSTEM (the host's files could not
 * be read), VP_ERR_NOT_SUPPORTED ('node-get-info'). Thread-safe. Since: 1.1
 */
int vp_node_get_info(vp_conn *conn, vp_node_info *ret_info);

/**
 * vp_conn_get_hostname: the name of the host the connection manages.
 * @ret_hostname: (transfer full) free().
 * Errors: VP_ERR_SYSTEM, VP_ERR_NOT_SUPPORTED ('connect-get-hostname').
 * Thread-safe. Since: 1.1
 */
int vp_conn_get_hostname(vp_conn *conn, char **ret_hostname);

/**
 * vp_conn_get_capabilities: the host and the guests the connection's
 * driver can run, in libvirt's <capabilities> XML
 * (virConnectGetCapabilities): <host> with its <uuid>, <cpu> (<arch>,
 * <topology>, <pages>), <power_management> (the suspend targets of the
 * connection's host-power driver that libvirt names: suspend_mem,
 * suspend_disk, suspend_hybrid; empty when it cannot be asked), <iommu>
 * and <topology> (NUMA cells, their memory and CPUs), then one <guest>
 * per OS type and architecture (<emulator>, <machine>s, <domain type>s).
 * What each driver reports: docs/qemu-driver.md, docs/test-driver.md.
 * The host-power view alone: vp_node_get_suspend_capabilities().
 * @flags: 0. @ret_xml: (transfer full) free().
 * Errors: VP_ERR_INVALID_ARG, VP_ERR_SYSTEM, VP_ERR_NOT_SUPPORTED
 * ('connect-get-capabilities'). Thread-safe. Since: 1.1
 */
int vp_conn_get_capabilities(vp_conn *conn, unsigned int flags, char **ret_xml);

#endif /* VIRTPLUG_VIRTPLUG_RUNTIME_DATA_H */
