/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * driver.h: the driver vtables a plugin fills.
 *
 * A slot left NULL makes the core answer VP_ERR_NOT_SUPPORTED with
 * "driver 'NAME' does not implement 'OPERATION'"; only the slots marked
 * "required" must be filled (a hypervisor driver cannot be used without
 * them, and the conformance kit fails it). The core copies each
 * vtable into a zeroed struct of its own size, so slots appended after the
 * plugin was built read NULL. Slots are only ever appended; each says the
 * ABI minor that added it.
 *
 * Conventions for every slot: return >= 0 on success or a negative VP_ERR_*
 * after setting the message with vp_plugin_error_set(); write ret_* only on
 * success; strings and arrays handed back are malloc()ed and the core
 * free()s them. Slots are called from any thread, concurrently, also on the
 * same connection: a driver locks what it shares.
 *
 * Since: 1.0
 */
#ifndef VIRTPLUG_SDK_DRIVER_H
#define VIRTPLUG_SDK_DRIVER_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The outcome record of a node suspend (virtplug.h). */
struct vp_node_suspend_result;

/* A parsed connection URI; read it with vp_plugin_uri_*() (services.h). */
typedef struct vp_plugin_uri vp_plugin_uri;

/* Where a driver reports domain events: vp_plugin_event_emit() (services.h).
 * Since: 1.1 */
typedef struct vp_plugin_event_sink vp_plugin_event_sink;

/* A parsed, checked <domain>: the whole model; read it with
 * vp_plugin_domain_model_*() (conf.h). Since: 1.1 */
typedef struct vp_domain_model vp_domain_model;

/* Runtime data (virtplug.h). Since: 1.1 */
struct vp_domain_info;
struct vp_node_info;
/* Statistics (virtplug.h, stats.h). Since: 1.1 */
typedef struct vp_typed_params vp_typed_params;

/*
 * One capability of a hypervisor driver (since 1.1): a path in the domain
 * model (docs/domain-xml.md, "Capabilities") and the values it accepts.
 *   {"devices/sound/@model", "ich6|ac97|usb"}  an attribute and its values
 *   {"on_crash", "destroy|restart"}            an element and its text values
 *   {"devices/disk/readonly", NULL}            an element, any (declared) value
 *   {"*", NULL}                                the whole model
 * A last step "*" after an element ("devices/sound" then "/", "*") names the
 * element and everything below it that no other entry restricts.
 * Naming a path names its ancestors too; what no entry names is refused
 * with "driver 'NAME' does not support <sound model='ich9'>; it supports:
 * ich6, ac97, usb". Values must be values the model accepts, except for
 * "@type" (of <domain>) and "os/type", where a driver declares its own
 * domain and OS types ("procvm", "exe").
 */
typedef struct vp_plugin_domain_cap {
    const char *path;
    const char *values; /* "a|b|c"; NULL: any */
} vp_plugin_domain_cap;

/**
 * vp_plugin_domain_model_parse: parse and check @xml (a <domain> document)
 * against the capability table @table of driver @driver (its descriptor's
 * domain_caps and xml_namespace @xml_namespace, which may be NULL), as the
 * core does before domain_define_model: for a driver that must read a
 * definition it stored as XML (the one inside a save image) as a model
 * again. @ret_model: (transfer full) vp_plugin_domain_model_free().
 * Errors: VP_ERR_XML (XML that does not parse, or what the table refuses,
 * named with its line), VP_ERR_INVALID_ARG, VP_ERR_PLUGIN_INVALID (a bad
 * table). Thread-safe. Since: 1.1
 */
int vp_plugin_domain_model_parse(const char *xml, const char *driver,
                                 const vp_plugin_domain_cap *table, const char *xml_namespace,
                                 vp_domain_model **ret_model);

/*
 * What node_suspend_prepare and node_suspend_restore did to one domain
 * (since 1.1). @done: VP_NODE_SUSPEND_GUEST_* bits (virtplug.h);
 * @error_code: 0, or the VP_ERR_* of the step that failed; @message:
 * NULL, or why (a failure, or why a clock was not set). Allocate entries
 * and strings with malloc() (vp_new0, vp_strdup).
 */
typedef struct vp_plugin_suspend_guest {
    char *name;
    unsigned int done;
    int error_code;
    char *message;
} vp_plugin_suspend_guest;

/*
 * The hypervisor driver: domains and snapshots. @priv is what conn_open
 * returned. Domains and snapshots are named by their names. Name lists are
 * NULL-terminated arrays of malloc()ed strings; the slot returns the count.
 *
 * What the core does before a slot runs: it checks the public call's own
 * arguments (non-NULL handles and out-parameters, the flags of
 * vp_conn_list_domains) and nothing else. It never checks that a domain or
 * snapshot exists, nor its state: every slot that takes a name looks it up
 * itself and answers an unknown one with
 *     VP_ERR_NO_DOMAIN    "no domain named 'NAME'"
 *     VP_ERR_NO_SNAPSHOT  "domain 'DOM' has no snapshot named 'NAME'"
 * (a domain handle may outlive its domain: another connection or process
 * can undefine it at any time). A call that is not valid in the domain's
 * current state is VP_ERR_OPERATION_INVALID, with a message that names the
 * domain and its state and says what to do ("domain 'x' is not running";
 * "cannot undefine domain 'x': it is running; destroy it first"). Flags a
 * slot does not know are VP_ERR_INVALID_ARG naming them. A slot that fails
 * without setting a message gets one from the core calling it a bug in the
 * plugin; set yours where you detect the failure.
 *
 * States and reasons are libvirt's numbers (virtplug.h): report the reason
 * of the transition that led to the state, as listed for each slot below,
 * and VP_DOMAIN_*_UNKNOWN when the driver cannot tell.
 */
/* What conn_get_generation returns when the driver itself checks, in each
 * call made through a domain handle, that the name still names the domain
 * the handle was made for (vp_plugin_call_domain_uuid()). Since: 1.1 */
#define VP_PLUGIN_GENERATION_CHECKED_BY_DRIVER UINT64_MAX

typedef struct vp_hypervisor_driver {
    /* since 1.0, required. Open a connection to the host @uri names (its
     * scheme is the plugin's name; read path and parameters with
     * vp_plugin_uri_*()). @flags: 0. *@ret_priv: the connection's private
     * state, handed to every other slot and to conn_close; never shared
     * between connections. Errors: VP_ERR_INVALID_ARG for a URI the driver
     * does not serve (say which part is wrong), VP_ERR_SYSTEM for a host
     * that cannot be reached. */
    int (*conn_open)(const vp_plugin_uri *uri, unsigned int flags, void **ret_priv);
    /* since 1.0, required. Free what conn_open allocated. Called once,
     * when the last handle of the connection (vp_conn, vp_domain,
     * vp_snapshot) is released, never concurrently with another slot of the
     * same connection. Cannot fail; must not block on a guest. */
    void (*conn_close)(void *priv);
    /* since 1.0. Returns the number of running domains (the active ones of
     * conn_list_domains: running, paused, ...). */
    int (*conn_num_of_domains)(void *priv);
    /* since 1.0, required. *@ret_names: the names of the domains that match
     * @flags, sorted (strcmp), no duplicates; returns their count. @flags:
     * VP_LIST_DOMAINS_ACTIVE (running, paused, in shutdown: anything not
     * shut off), VP_LIST_DOMAINS_INACTIVE (shut off), both or 0 for all;
     * the core has refused other bits. An empty list is an array holding
     * only NULL and returns 0. */
    int (*conn_list_domains)(void *priv, unsigned int flags, char ***ret_names);
    /* since 1.0. Returns 0 when the domain @name exists, else
     * VP_ERR_NO_DOMAIN "no domain named '%s'". Nothing is handed back: the
     * core builds the handle. */
    int (*domain_lookup)(void *priv, const char *name);
    /* since 1.0. Define (persistently) the domain @xml describes, without
     * starting it. Parse @xml with vp_plugin_domain_def_parse(); a missing
     * <uuid> is generated by the parser. *@ret_name: the domain's name.
     * A new domain is shut off (VP_DOMAIN_SHUTOFF_UNKNOWN). Defining an
     * existing name with the same UUID replaces its definition and keeps
     * its run state (a running domain uses the new one from its next start).
     * Errors: VP_ERR_XML (from the parser, or an element the driver does
     * not support: name it), VP_ERR_EXISTS when the name exists with
     * another UUID ("domain 'x' already exists with uuid 'U'; undefine it
     * first or use its uuid to redefine it") or the UUID belongs to another
     * name ("domain 'y' already has uuid 'U'"), VP_ERR_INVALID_ARG for
     * unknown @flags. */
    int (*domain_define_xml)(void *priv, const char *xml, unsigned int flags, char **ret_name);
    /* since 1.0. Remove the definition of the shut-off domain @name.
     * Errors: VP_ERR_NO_DOMAIN; VP_ERR_OPERATION_INVALID when it is
     * running or paused ("destroy it first") or still has snapshots
     * ("delete them first"). Afterwards domain_lookup answers
     * VP_ERR_NO_DOMAIN and the lists leave it out. */
    int (*domain_undefine)(void *priv, const char *name, unsigned int flags);
    /* since 1.0. Start the shut-off domain @name; on return it is running
     * (VP_DOMAIN_RUNNING_BOOTED). Errors: VP_ERR_NO_DOMAIN;
     * VP_ERR_OPERATION_INVALID "domain 'x' is already running" when it is
     * not shut off (running or paused); VP_ERR_SYSTEM or the hypervisor's
     * own error when the guest cannot start (say why). */
    int (*domain_start)(void *priv, const char *name, unsigned int flags);
    /* since 1.0. Ask the guest of the running domain @name to shut down
     * (ACPI power button or agent) and return without waiting; it becomes
     * shut off (VP_DOMAIN_SHUTOFF_SHUTDOWN) when the guest is done, and is
     * in VP_DOMAIN_SHUTDOWN (VP_DOMAIN_SHUTDOWN_USER) meanwhile if the
     * driver can tell. Errors: VP_ERR_NO_DOMAIN; VP_ERR_OPERATION_INVALID
     * when it is shut off ("is not running") or paused ("resume it
     * first"). */
    int (*domain_shutdown)(void *priv, const char *name, unsigned int flags);
    /* since 1.0. Stop the running or paused domain @name at once (power
     * off); on return it is shut off (VP_DOMAIN_SHUTOFF_DESTROYED). The
     * definition stays. Errors: VP_ERR_NO_DOMAIN; VP_ERR_OPERATION_INVALID
     * "domain 'x' is not running" when it is shut off. */
    int (*domain_destroy)(void *priv, const char *name, unsigned int flags);
    /* since 1.0. Pause the vCPUs of the running domain @name; on return it
     * is paused (VP_DOMAIN_PAUSED_USER). Errors: VP_ERR_NO_DOMAIN;
     * VP_ERR_OPERATION_INVALID "domain 'x' is already paused", or "is not
     * running" when it is shut off. */
    int (*domain_suspend)(void *priv, const char *name, unsigned int flags);
    /* since 1.0. Resume the paused domain @name; on return it is running
     * (VP_DOMAIN_RUNNING_UNPAUSED). Errors: VP_ERR_NO_DOMAIN;
     * VP_ERR_OPERATION_INVALID "domain 'x' is not paused" when it runs, or
     * "is not running" when it is shut off. */
    int (*domain_resume)(void *priv, const char *name, unsigned int flags);
    /* since 1.0. *@ret_state: a VP_DOMAIN_* state below VP_DOMAIN_LAST;
     * *@ret_reason: the reason of the transition that led there (the
     * reasons each slot above names; VP_DOMAIN_SHUTOFF_CRASHED or
     * VP_DOMAIN_CRASHED_* when the guest or its process died;
     * VP_DOMAIN_*_UNKNOWN when the driver cannot tell). Both are written
     * only on success. Errors: VP_ERR_NO_DOMAIN. */
    int (*domain_get_state)(void *priv, const char *name, int *ret_state, int *ret_reason,
                            unsigned int flags);
    /* since 1.0. *@ret_xml: the domain's definition as <domain> XML,
     * malloc()ed; format it with vp_plugin_domain_def_format() so that the
     * core's parser accepts it and format(parse(x)) == x (the conformance
     * kit checks). @flags: 0, or since 1.1 VP_DOMAIN_XML_INACTIVE: the
     * definition the domain's next start uses (the same as 0 for a driver
     * whose running domains have no definition of their own). Errors:
     * VP_ERR_NO_DOMAIN. */
    int (*domain_get_xml)(void *priv, const char *name, unsigned int flags, char **ret_xml);
    /* since 1.0. Take a snapshot of @domain from <domainsnapshot> @xml
     * (may be "": the driver chooses the name and covers every disk).
     * @flags: VP_SNAPSHOT_CREATE_DISK_ONLY, VP_SNAPSHOT_CREATE_QUIESCE.
     * *@ret_name: the snapshot's name. The record is written only after the
     * snapshot exists (a crash leaves none or a whole one). Errors:
     * VP_ERR_NO_DOMAIN; VP_ERR_EXISTS for a name the domain already has;
     * VP_ERR_XML; VP_ERR_OPERATION_INVALID "cannot quiesce domain 'x': it
     * is paused" (quiesce needs a running domain), VP_ERR_NOT_SUPPORTED
     * for a flag the driver cannot do; VP_ERR_AGENT_UNRESPONSIVE,
     * VP_ERR_TIMEOUT. */
    int (*snapshot_create_xml)(void *priv, const char *domain, const char *xml, unsigned int flags,
                               char **ret_name);
    /* since 1.0. *@ret_names: the snapshots of @domain in creation order;
     * returns their count. Errors: VP_ERR_NO_DOMAIN. */
    int (*snapshot_list)(void *priv, const char *domain, unsigned int flags, char ***ret_names);
    /* since 1.0. Returns 0 when @domain has the snapshot @name, else
     * VP_ERR_NO_SNAPSHOT (or VP_ERR_NO_DOMAIN for an unknown domain). */
    int (*snapshot_lookup)(void *priv, const char *domain, const char *name, unsigned int flags);
    /* since 1.0. Remove the record of snapshot @name of @domain (libvirt's
     * meaning: images and overlays stay). Errors: VP_ERR_NO_DOMAIN,
     * VP_ERR_NO_SNAPSHOT; VP_ERR_OPERATION_INVALID when the snapshot is in
     * use and removing it would lose data (say what uses it). */
    int (*snapshot_delete)(void *priv, const char *domain, const char *name, unsigned int flags);
    /* since 1.0. *@ret_xml: the snapshot as <domainsnapshot> XML,
     * malloc()ed (vp_plugin_snapshot_def_format()). Errors:
     * VP_ERR_NO_DOMAIN, VP_ERR_NO_SNAPSHOT. */
    int (*snapshot_get_xml)(void *priv, const char *domain, const char *name, unsigned int flags,
                            char **ret_xml);
    /* since 1.0. *@ret_json: what the guest agent reports, as one JSON
     * object (text, malloc()ed). Errors: VP_ERR_NO_DOMAIN;
     * VP_ERR_OPERATION_INVALID when the domain is not running;
     * VP_ERR_NOT_SUPPORTED when it has no agent channel;
     * VP_ERR_AGENT_UNRESPONSIVE, VP_ERR_TIMEOUT. */
    int (*domain_get_guest_info)(void *priv, const char *name, unsigned int flags, char **ret_json);
    /* since 1.1. Define the domain @model describes, already parsed and
     * checked against the descriptor's domain_caps by the core (which
     * calls domain_define_xml instead when this slot is NULL). @model is
     * the core's: read it with vp_plugin_domain_model_*() and keep a copy
     * (vp_plugin_domain_model_copy()) if needed. Same semantics, @flags
     * and errors as domain_define_xml. */
    int (*domain_define_model)(void *priv, const vp_domain_model *model, unsigned int flags,
                               char **ret_name);
    /* since 1.1. *@ret_name: the name of @domain's current snapshot (the
     * one the next snapshot_create_xml takes as its parent), malloc()ed.
     * The driver keeps it, so that it survives the driver and a crash:
     * a new snapshot becomes current and records the previous current one
     * as its <parent> (vp_snapshot_def.parent); deleting a snapshot gives
     * its children its own parent (libvirt's rule) and, if it was current,
     * makes its parent current (none for a root). The core derives parents
     * and children from the records' <parent> (snapshot_get_xml). @flags:
     * 0. Errors: VP_ERR_NO_DOMAIN; VP_ERR_NO_SNAPSHOT "domain 'x' has no
     * current snapshot" when it has none. */
    int (*snapshot_get_current)(void *priv, const char *domain, unsigned int flags,
                                char **ret_name);

    /* ---- since 1.1: identity and runtime data (one block) --------------
     * Domain handles remember the UUID they were made for; before every
     * call through a handle the core checks that the name still names
     * that UUID (domain_get_uuid), unless conn_get_generation says no name
     * can have changed meaning since the handle was last checked. */

    /* since 1.1. *@ret_uuid: the 16 bytes of the UUID of domain @name.
     * Called before calls through a handle, so keep it cheap: no XML
     * parsing per call (read a cached or stored copy). Errors:
     * VP_ERR_NO_DOMAIN "no domain named 'NAME'". NULL: handles are names
     * only (1.0) and vp_domain_get_uuid_string() is not supported. */
    int (*domain_get_uuid)(void *priv, const char *name, unsigned char ret_uuid[16]);
    /* since 1.1. *@ret_name: the name of the domain whose UUID is @uuid,
     * malloc()ed. Errors: VP_ERR_NO_DOMAIN "no domain with uuid 'U'". */
    int (*domain_lookup_by_uuid)(void *priv, const unsigned char uuid[16], char **ret_name);
    /* since 1.1. *@ret_name: the name of the running (or paused) domain
     * whose ID is @id (>= 0; the core refused others), malloc()ed. Errors:
     * VP_ERR_NO_DOMAIN "no running domain with id N". */
    int (*domain_lookup_by_id)(void *priv, int id, char **ret_name);
    /* since 1.1. *@ret_id: the ID of domain @name while it is not shut
     * off, else -1. IDs follow libvirt: a domain gets one when it starts,
     * the next number of a counter the driver keeps per host instance
     * (never one a running domain has, never reused while the counter
     * lasts), keeps it until it shuts off (across processes: store it
     * with the runtime state), and domain_lookup_by_id finds it by it.
     * Errors: VP_ERR_NO_DOMAIN. */
    int (*domain_get_id)(void *priv, const char *name, int *ret_id);
    /* since 1.1. A number that changes (and is never 0) whenever a domain
     * of this connection is undefined, so that a name may come to name
     * another domain; it may change more often. Called before every call
     * through a handle: one atomic load, no lock, no system call. Return
     * 0, or leave the slot NULL, when changes by others (other processes)
     * cannot be seen this cheaply: the core then calls domain_get_uuid
     * before every call through a handle. Return
     * VP_PLUGIN_GENERATION_CHECKED_BY_DRIVER when the driver checks each
     * call itself (vp_plugin_call_domain_uuid(), services.h), more cheaply
     * than the core could: the core then asks nothing. Cannot fail. */
    uint64_t (*conn_get_generation)(void *priv);
    /* since 1.1. Fill *@ret_info (virtplug.h) for domain @name: state and
     * reason as domain_get_state, vcpus, max_memory_kib and memory_kib
     * (what the guest has now; the definition's current memory when the
     * driver cannot ask the guest), cpu_time_ns (0 when shut off). The
     * core zeroes the struct and sets its size to the core's; write no
     * field past it. Errors: VP_ERR_NO_DOMAIN. */
    int (*domain_get_info)(void *priv, const char *name, struct vp_domain_info *ret_info);
    /* since 1.1. Fill *@ret_info (virtplug.h) for the host this
     * connection manages (not the machine the process runs on,
     * unless that is the host: a driver whose domains run here calls
     * vp_plugin_host_node_info(), host.h). Same zeroing and size rule as
     * domain_get_info. Errors: VP_ERR_SYSTEM. */
    int (*node_get_info)(void *priv, struct vp_node_info *ret_info);
    /* since 1.1. *@ret_hostname: the managed host's name, malloc()ed
     * (a driver whose domains run here: vp_plugin_host_name(), host.h).
     * Errors: VP_ERR_SYSTEM. */
    int (*conn_get_hostname)(void *priv, char **ret_hostname);
    /* ---- Domain events (since 1.1): event_open and event_close go
     * together, with event_read when event_open gives a descriptor. ----
     * The driver reports lifecycle events with vp_plugin_event_emit() or
     * vp_plugin_event_emit_transition() (services.h) into the @sink the
     * core hands to event_open; the core queues them and delivers them in
     * the application's thread. Report what changed, when it changed,
     * whoever changed it: this connection (emit from the slot, under the
     * lock that orders the change), another connection or process, or
     * the hypervisor itself (a process that died). Report nothing about
     * what happened before event_open: the application queries state. */

    /* since 1.1. Start watching this connection's domains. @sink is valid
     * until event_close returns; emitting is thread-safe and may be done
     * with the driver's locks held (it takes one leaf lock of the core and
     * calls back into no slot). *@ret_fd: a descriptor the driver owns
     * (an inotify fd, a pidfd, or an epoll fd over several) that polls
     * readable, level-triggered, while changes wait to be read; the core
     * then calls event_read. -1: the driver has nothing to wait on and
     * emits from its slots only. Called once per connection, on the
     * application's first vp_conn_event_register() or vp_conn_event_fd();
     * what it emits before returning is dropped (nothing is registered
     * yet). Errors: VP_ERR_SYSTEM. */
    int (*event_open)(void *priv, vp_plugin_event_sink *sink, int *ret_fd);
    /* since 1.1. The descriptor of event_open is readable: read what
     * waits without blocking, emit the events it means, and leave the
     * descriptor unreadable (else the application spins). Called in the
     * application's thread, never twice at once for one connection, but
     * concurrently with the other slots. NULL when event_open gives -1.
     * Fail only when no event can come any more (the connection to the
     * driver's host is gone): emit what was read first and keep the
     * descriptor readable; vp_conn_event_dispatch() delivers the events
     * queued, then returns the failure (its code and message) from each
     * later call. */
    int (*event_read)(void *priv);
    /* since 1.1. Stop watching: close the descriptor, forget @sink. Called
     * once, before conn_close, only after event_open succeeded. */
    void (*event_close)(void *priv);
    /* ---- Guest clocks and host suspend (since 1.1; one block) ---------- */

    /* since 1.1. The guest's own clock (libvirt's virDomainGetTime), read
     * from inside the guest: *@ret_seconds since the epoch (UTC) and
     * *@ret_nseconds (< 1000000000). @flags: 0. Errors: VP_ERR_NO_DOMAIN;
     * VP_ERR_OPERATION_INVALID when the domain is not running ("domain 'x'
     * is not running") or paused ("resume it first"); VP_ERR_NOT_SUPPORTED
     * when it has no way to ask the guest (no agent channel: say how to
     * add one); VP_ERR_AGENT_UNRESPONSIVE, VP_ERR_TIMEOUT. */
    int (*domain_get_time)(void *priv, const char *name, long long *ret_seconds,
                           unsigned int *ret_nseconds, unsigned int flags);
    /* since 1.1. Set the guest's clock (libvirt's virDomainSetTime) to
     * @seconds + @nseconds (the core has checked nseconds < 1000000000 and
     * seconds >= 0). @flags: VP_DOMAIN_TIME_SYNC: set it from the host's
     * clock; the core then passes the host's time as read just before the
     * call, and a driver may read the host's clock again closer to the act.
     * Errors as domain_get_time. */
    int (*domain_set_time)(void *priv, const char *name, long long seconds, unsigned int nseconds,
                           unsigned int flags);
    /* since 1.1. The host is about to suspend (framework/node-suspend.c):
     * with @flags VP_NODE_SUSPEND_GUESTS_PAUSE, pause every running domain
     * of this connection and remember, durably (a file, not memory, when
     * domains outlive the process), which ones this did, so that
     * node_suspend_restore resumes exactly those (a domain the user had
     * paused stays paused) even when called by another process after this
     * one was killed: record the intent before acting. *@ret_guests: one
     * entry per active domain, NULL-terminated, malloc()ed with its strings
     * (the core free()s the strings, the entries and the array), saying
     * what was done (VP_NODE_SUSPEND_GUEST_PAUSED, _WAS_PAUSED, or
     * _PAUSE_FAILED with error_code and message); returns their count.
     * A domain that cannot be paused is an entry, not an error: the core
     * decides (--guests-strict). Errors: only when the driver cannot even
     * list its domains. Must not block on a guest beyond its own
     * timeouts. */
    int (*node_suspend_prepare)(void *priv, unsigned int flags,
                                vp_plugin_suspend_guest ***ret_guests);
    /* since 1.1. The host resumed, or the suspend failed or was cancelled
     * after node_suspend_prepare: resume every domain that prepare paused
     * (as recorded; nothing when none is), then set each one's clock from
     * the host's (the guest agent; and where it applies the hypervisor's
     * own clock catch-up, QEMU's rtc-reset-reinjection). Idempotent: a
     * second call finds nothing left to do and returns 0 entries.
     * *@ret_guests as for prepare, with VP_NODE_SUSPEND_GUEST_RESUMED,
     * _RESUME_FAILED, _CLOCK_SET, _CLOCK_NOT_SET (message: why, such as
     * "no guest agent channel"), _RTC_REINJECTION_RESET. @flags: 0. */
    int (*node_suspend_restore)(void *priv, unsigned int flags,
                                vp_plugin_suspend_guest ***ret_guests);
    /* since 1.1. Revert @domain to its snapshot @name (libvirt's
     * virDomainRevertToSnapshot): its disks, and its memory when the
     * snapshot holds memory, become what they were when @name was taken.
     * Afterwards @name is the current snapshot (snapshot_get_current), so
     * the next snapshot is its child, and every other snapshot stays
     * usable. The state the domain ends in: the one @name recorded,
     * running or paused (reason VP_DOMAIN_*_FROM_SNAPSHOT) for a snapshot
     * with memory; shut off (VP_DOMAIN_SHUTOFF_FROM_SNAPSHOT if it ran)
     * for a disk-only or shut-off one. @flags: VP_SNAPSHOT_REVERT_RUNNING
     * or _PAUSED end it running or paused instead (the core refuses
     * both); VP_SNAPSHOT_REVERT_FORCE allows restarting a running or
     * paused domain for a snapshot without memory, which is otherwise
     * VP_ERR_OPERATION_INVALID ("... must restart the guest; use force").
     * A driver writes what it is about to do before it does it, so that a
     * revert killed at any step is finished or undone by the next
     * operation on the domain. Errors: VP_ERR_NO_DOMAIN,
     * VP_ERR_NO_SNAPSHOT, VP_ERR_INVALID_ARG for unknown @flags,
     * VP_ERR_OPERATION_INVALID for what cannot be reverted (say what to
     * do), VP_ERR_NOT_SUPPORTED for a kind of snapshot the driver cannot
     * revert. */
    int (*snapshot_revert)(void *priv, const char *domain, const char *name, unsigned int flags);
    /* since 1.1. *@ret_caps: the driver's domain capabilities, formatted
     * as vp_conn_get_domain_capabilities() documents (@flags: 0 or
     * VP_DOMAIN_CAPS_JSON), malloc()ed. Only for a driver whose
     * capabilities are not its descriptor's domain_caps: the remote plugin
     * answers with the far driver's. NULL (every other driver): the core
     * formats the descriptor's table. */
    int (*conn_get_domain_capabilities)(void *priv, unsigned int flags, char **ret_caps);
    /* since 1.1. The node-suspend policy run elsewhere. A driver that fills
     * these four (the remote plugin: on the far host, with its lock, its
     * record and its delay) answers vp_node_suspend_for_duration(),
     * vp_node_get_suspend_result() (into a zeroed record of the core's
     * size), vp_node_suspend_cancel() and vp_node_suspend_wait() itself,
     * with their arguments, semantics and errors; the core then runs none
     * of its own policy and loads no host-power driver for them. NULL
     * (every driver of this host): the core's policy runs here. */
    int (*node_suspend_for_duration)(void *priv, unsigned int target, uint64_t duration_s,
                                     unsigned int flags);
    int (*node_get_suspend_result)(void *priv, struct vp_node_suspend_result *ret_result);
    int (*node_suspend_cancel)(void *priv, unsigned int flags);
    int (*node_suspend_wait)(void *priv, int timeout_ms);
    /* since 1.1. With the four slots above (the policy run elsewhere):
     * vp_node_get_suspend_guests() itself, the domains of the last
     * request's outcome where the policy runs (with its repair of an
     * abandoned request). @flags: 0. *@ret_guests as node_suspend_prepare
     * gives it (entries, strings and array malloc()ed, NULL-terminated);
     * returns their count. NULL: the core reads this host's record. */
    int (*node_get_suspend_guests)(void *priv, unsigned int flags,
                                   vp_plugin_suspend_guest ***ret_guests);
    /* since 1.1. Attach to the character device @dev_name (an alias such
     * as "serial0"; NULL: the domain's first console) of running domain
     * @name, as vp_domain_open_console() documents: *@ret_fd is a
     * connected stream socket (close-on-exec) the caller owns, served by
     * the driver (a thread of this process) until the device closes, the
     * caller closes it, or another session takes the device over (@flags
     * VP_DOMAIN_CONSOLE_FORCE). One session per device across processes.
     * Errors: as vp_domain_open_console(). */
    int (*domain_open_console)(void *priv, const char *name, const char *dev_name,
                               unsigned int flags, int *ret_fd);
    /* since 1.1. *@ret_uri: where the display of running domain @name is
     * reached now ("vnc://HOST:PORT", "vnc+unix://PATH"), malloc()ed.
     * @flags: 0. Errors: as vp_domain_get_display_uri(). */
    int (*domain_get_display_uri)(void *priv, const char *name, unsigned int flags, char **ret_uri);
    /* ---- Statistics (since 1.1; one block) ----------------------------
     * Each appends libvirt's keys (virtplug-stats.h) to @params, a list
     * the core made, with vp_plugin_typed_params_add_*() (stats.h). A
     * driver whose domains run on this machine answers the node slots
     * with vp_plugin_host_*() (host.h). */

    /* since 1.1. The statistics of domain @name of the VP_DOMAIN_STATS_*
     * @groups (never 0: the core asks for what it wants). A value that
     * cannot be read now (a busy or silent QEMU) is left out; a domain
     * that is not running gives "state.*" and what its definition says.
     * Returns the VP_DOMAIN_STATS_* bits of every group the driver knows
     * (also those not asked for), so that the core can refuse an enforced
     * group it lacks. @flags: 0. Errors: VP_ERR_NO_DOMAIN. */
    int (*domain_get_stats)(void *priv, const char *name, unsigned int groups, unsigned int flags,
                            vp_typed_params *params);
    /* since 1.1. The managed host's memory in KiB ("total", "free",
     * "buffers", "cached"; a NUMA @cell: "total", "free"); @cell -1: the
     * whole host. @flags: 0. Errors: VP_ERR_INVALID_ARG (no such cell),
     * VP_ERR_SYSTEM. */
    int (*node_get_memory_stats)(void *priv, int cell, unsigned int flags, vp_typed_params *params);
    /* since 1.1. The managed host's CPU time in ns ("kernel", "user",
     * "idle", "iowait"); @cpu -1: all CPUs. @flags: 0. Errors:
     * VP_ERR_INVALID_ARG (no such CPU), VP_ERR_SYSTEM. */
    int (*node_get_cpu_stats)(void *priv, int cpu, unsigned int flags, vp_typed_params *params);
    /* since 1.1. *@ret_xml: the managed host's <sysinfo type='smbios'>,
     * malloc()ed. @flags: 0. Errors: VP_ERR_NOT_SUPPORTED (no SMBIOS
     * data: say where it was looked for). */
    int (*conn_get_sysinfo)(void *priv, unsigned int flags, char **ret_xml);
    /* since 1.1. Ask the running (or paused) domain's guest to restart
     * (libvirt's virDomainReboot) and return once it was asked, not when
     * it rebooted. @flags: 0 (the driver's choice) or one of
     * VP_DOMAIN_REBOOT_ACPI_POWER_BTN, VP_DOMAIN_REBOOT_GUEST_AGENT; a way
     * the driver cannot do alone is VP_ERR_NOT_SUPPORTED saying why.
     * Errors: VP_ERR_NO_DOMAIN, VP_ERR_OPERATION_INVALID (not running),
     * VP_ERR_NOT_SUPPORTED, VP_ERR_AGENT_UNRESPONSIVE, VP_ERR_INVALID_ARG
     * (unknown @flags). */
    int (*domain_reboot)(void *priv, const char *name, unsigned int flags);
    /* since 1.1. Reset the running domain's virtual machine at once, as
     * its reset button would, without asking the guest (libvirt's
     * virDomainReset). @flags: 0. Errors: VP_ERR_NO_DOMAIN,
     * VP_ERR_OPERATION_INVALID (not running). */
    int (*domain_reset)(void *priv, const char *name, unsigned int flags);
    /* since 1.1. Mark the defined domain to be started when the host
     * boots (@autostart 1) or unmark it (0), durably: the mark survives
     * the process, a kill right after the call and a redefine, and goes
     * with the definition at undefine. Errors: VP_ERR_NO_DOMAIN,
     * VP_ERR_OPERATION_INVALID (a transient domain). */
    int (*domain_set_autostart)(void *priv, const char *name, int autostart);
    /* since 1.1. *@ret_autostart: 1 when the domain is marked, else 0.
     * Errors: VP_ERR_NO_DOMAIN. */
    int (*domain_get_autostart)(void *priv, const char *name, int *ret_autostart);
    /* since 1.1. Pass @command (a guest-agent request, JSON text: an
     * object with "execute" and optional "arguments"; the core checked it
     * is not empty) to the running domain's guest agent, as
     * vp_domain_qemu_agent_command() documents @timeout_s
     * (VP_DOMAIN_AGENT_RESPONSE_TIMEOUT_*, or seconds). *@ret_reply: the
     * agent's whole reply as JSON text ({"return": ...}), malloc()ed; NULL
     * with VP_DOMAIN_AGENT_RESPONSE_TIMEOUT_NOWAIT. @flags: 0. Errors:
     * VP_ERR_INVALID_ARG (not a request: say why), VP_ERR_OPERATION_INVALID
     * (not running, paused, or the agent's error reply with its class and
     * description), VP_ERR_NOT_SUPPORTED (no agent channel; a command the
     * agent does not know), VP_ERR_AGENT_UNRESPONSIVE, VP_ERR_NO_DOMAIN. */
    int (*domain_agent_command)(void *priv, const char *name, const char *command, int timeout_s,
                                unsigned int flags, char **ret_reply);
    /* ---- Live resources (since 1.1; one block) -------------------------
     * vp_domain_set_memory_flags() and vp_domain_set_vcpus_flags() change
     * a definition in the core (domain_get_xml with VP_DOMAIN_XML_INACTIVE,
     * then the define slot); these two change the running domain only.
     * The core calls them for a domain it saw running, after checking
     * @flags (0) and that the value is not 0; a domain shut off since is
     * VP_ERR_OPERATION_INVALID "domain 'x' is not running". The definition
     * stays as it is. */

    /* since 1.1. Give running domain @name @memory_kib KiB now (QEMU: its
     * balloon), at most what it runs with at most. Errors:
     * VP_ERR_NO_DOMAIN; VP_ERR_INVALID_ARG "cannot set memory higher than
     * max memory"; VP_ERR_NOT_SUPPORTED when the guest cannot be resized
     * (no balloon device: say how to add one). */
    int (*domain_set_memory)(void *priv, const char *name, uint64_t memory_kib, unsigned int flags);
    /* since 1.1. Give running domain @name @nvcpus vCPUs now (hotplug).
     * Errors: VP_ERR_NO_DOMAIN; VP_ERR_INVALID_ARG "requested cpu amount
     * exceeds maximum (N > M)"; VP_ERR_NOT_SUPPORTED when the machine or
     * the driver cannot plug or unplug vCPUs (say why). */
    int (*domain_set_vcpus)(void *priv, const char *name, unsigned int nvcpus, unsigned int flags);
    /* since 1.1. Set the <description> (@type VP_DOMAIN_METADATA_DESCRIPTION)
     * or <title> (_TITLE) of running domain @name's running definition to
     * @text (NULL: remove it), as vp_domain_set_metadata() with
     * VP_DOMAIN_AFFECT_LIVE; the core checked @type, @text and @flags (0)
     * and changes the definition itself. Errors: VP_ERR_NO_DOMAIN,
     * VP_ERR_OPERATION_INVALID (not running). NULL: the driver keeps no
     * running definition apart (change the definition instead). */
    int (*domain_set_metadata)(void *priv, const char *name, int type, const char *text,
                               unsigned int flags);
    /* since 1.1. vp_conn_cancel_jobs(): make every call of this connection
     * that waits on a guest or its agent now return at once with
     * VP_ERR_OPERATION_INVALID "... cancelled by vp_conn_cancel_jobs"
     * (calls begun later are not affected); a call that changed the guest
     * (froze its file systems) undoes that first. Called from any thread,
     * concurrently with the other slots; never waits on a guest. @flags: 0.
     * Returns the number of calls cancelled. NULL: no call of the driver
     * waits on a guest, and the core answers 0. */
    int (*conn_cancel_jobs)(void *priv, unsigned int flags);

    /* ---- since 1.1: transient domains (one block) ----------------------
     * A transient domain (libvirt's virDomainCreateXML) exists only while
     * it runs: once it is shut off, for whatever reason (shutdown,
     * destroy, crash, a failed start), it is gone, as if undefined, and
     * the driver emits VP_DOMAIN_EVENT_UNDEFINED after the
     * VP_DOMAIN_EVENT_STOPPED. Defining a domain of the same name and
     * uuid while it runs makes it persistent. Snapshots and autostart of
     * a transient domain are VP_ERR_OPERATION_INVALID. */

    /* since 1.1. Define the domain @xml describes as a transient domain
     * and start it, as one operation: on return it runs
     * (VP_DOMAIN_RUNNING_BOOTED); on failure nothing of it remains. A
     * crash at any step leaves, after the driver's next operation, either
     * nothing or the running transient domain. *@ret_name: its name,
     * malloc()ed. @flags: 0 (the driver refuses others with
     * VP_ERR_INVALID_ARG or VP_ERR_NOT_SUPPORTED). Errors: as
     * domain_define_xml and domain_start; VP_ERR_EXISTS when a domain of
     * that name or uuid exists (libvirt starts a shut-off persistent
     * domain of the same name and uuid with @xml for this run: a driver
     * that keeps a definition per run may do so). The core calls domain_create_model
     * instead when that slot is filled and the driver has a capability
     * table, as for define. */
    int (*domain_create_xml)(void *priv, const char *xml, unsigned int flags, char **ret_name);
    /* since 1.1. domain_create_xml from the core's parsed and checked
     * model (as domain_define_model is to domain_define_xml). */
    int (*domain_create_model)(void *priv, const vp_domain_model *model, unsigned int flags,
                               char **ret_name);
    /* since 1.1. *@ret_persistent: 1 when domain @name has a persistent
     * definition, 0 when it is transient. Errors: VP_ERR_NO_DOMAIN. NULL:
     * every domain of the driver is persistent (the core answers 1). */
    int (*domain_is_persistent)(void *priv, const char *name, int *ret_persistent);

    /* ---- since 1.1: host capabilities (one block) ---------------------- */

    /* since 1.1. The host and its guests in libvirt's <capabilities> XML
     * (virConnectGetCapabilities), indented by two spaces, one element a
     * line: <host> (<uuid>, <cpu>, <power_management/>, <iommu>,
     * <topology>) and one <guest> per OS type and architecture
     * (<os_type>, <arch> with <wordsize>, <emulator>, <machine>s and
     * <domain type>s). Write "    <power_management/>" on a line of its
     * own: the core puts the connection's host-power targets there.
     * @flags: 0. *@ret_xml: malloc()ed. Errors: VP_ERR_SYSTEM (the host's
     * files). NULL: VP_ERR_NOT_SUPPORTED. */
    int (*conn_get_capabilities)(void *priv, unsigned int flags, char **ret_xml);

    /* ---- since 1.1: what this host has (one block) -------------------- */

    /* since 1.1. What this host has of what the capability table declares,
     * which the table cannot say (it is the same on every host): the core
     * formats the descriptor's table as vp_conn_get_domain_capabilities()
     * documents (@flags: 0 or VP_DOMAIN_CAPS_JSON) and hands the document
     * @caps here. *@ret_caps: that document with the host's facts added in
     * libvirt's layout (a device kind this host cannot run shown
     * supported='no', the firmware files found as <os><loader><value>s),
     * malloc()ed. Errors end the call. NULL: the table's document as is
     * (a driver with conn_get_domain_capabilities is never asked). */
    int (*conn_host_domain_capabilities)(void *priv, unsigned int flags, const char *caps,
                                         char **ret_caps);

    /* ---- since 1.1: save, restore and managed save (one block) --------
     * @flags are the VP_DOMAIN_SAVE_* of virtplug.h, checked by the core
     * (known bits, not both state flags). A save writes its image under a
     * temporary name and renames it into place once whole, and stops the
     * domain only after that; it refuses an existing @path that is not an
     * image of its format (VP_ERR_EXISTS). */
    /* since 1.1. Save running or paused domain @name to @path and shut it
     * off (reason saved). Errors: VP_ERR_OPERATION_INVALID (not running),
     * VP_ERR_EXISTS, VP_ERR_SYSTEM. */
    int (*domain_save)(void *priv, const char *name, const char *path, unsigned int flags);
    /* since 1.1. Run the domain saved in @path again; *@ret_name: its
     * name, malloc()ed. Errors: VP_ERR_INVALID_ARG (not a whole image),
     * VP_ERR_OPERATION_INVALID (already active), VP_ERR_EXISTS, VP_ERR_SYSTEM. */
    int (*domain_restore)(void *priv, const char *path, unsigned int flags, char **ret_name);
    /* since 1.1. domain_save to the driver's own image for domain @name;
     * its next domain_start restores from the image and removes it once
     * the domain runs, and domain_undefine refuses while it exists unless
     * given VP_DOMAIN_UNDEFINE_MANAGED_SAVE. */
    int (*domain_managed_save)(void *priv, const char *name, unsigned int flags);
    /* since 1.1. *@ret_has: 1 when domain @name has a managed-save image. */
    int (*domain_has_managed_save)(void *priv, const char *name, int *ret_has);
    /* since 1.1. Remove domain @name's managed-save image; none is not an
     * error. */
    int (*domain_managed_save_remove)(void *priv, const char *name, unsigned int flags);

    /* ---- since 1.1: bulk state (one block) ----------------------------- */

    /* since 1.1. The states of the @n domains @names at once (vpsh list,
     * vp_domain_list_get_states()): for each i, *@ret_states[i] and
     * *@ret_reasons[i] as domain_get_state answers them, and *@ret_ids[i]
     * as domain_get_id does (-1 when shut off); a domain whose state cannot
     * be read gets the negative VP_ERR_* code instead of a state in
     * @ret_states[i] (VP_ERR_NO_DOMAIN when it is gone), and the others
     * are still answered. The answers must be as truthful as
     * domain_get_state's, only cheaper (ask many domains at once). @flags:
     * 0. Returns 0, or an error only when no domain could be asked. NULL:
     * the core calls domain_get_state and domain_get_id per domain. */
    int (*conn_get_domain_states)(void *priv, const char *const *names, size_t n, int *ret_states,
                                  int *ret_reasons, int *ret_ids, unsigned int flags);

    /* ---- since 1.1: the XML inside save images (one block) -------------
     * The core checks the arguments and flags, hides the secrets of what
     * the get calls answer (drivers return the XML whole) and, before a
     * define, that the new XML describes the same domain with the same
     * devices (vp_domain_save_image_define_xml()); drivers replace the XML
     * crash-safely: the old image or the new one under its name, never a
     * partial file. NULL: "not supported by driver". */
    /* since 1.1. *@ret_xml: the domain XML in save image @path, malloc()ed.
     * @flags: 0. Errors: VP_ERR_INVALID_ARG (not a whole image of the
     * driver's format), VP_ERR_SYSTEM (cannot read it). */
    int (*domain_save_image_get_xml)(void *priv, const char *path, unsigned int flags,
                                     char **ret_xml);
    /* since 1.1. Replace the XML in save image @path by @xml (checked by
     * the core); @flags: 0, VP_DOMAIN_SAVE_RUNNING or VP_DOMAIN_SAVE_PAUSED
     * (also change the state a restore gives). Errors: as the get. */
    int (*domain_save_image_define_xml)(void *priv, const char *path, const char *xml,
                                        unsigned int flags);
    /* since 1.1. As domain_save_image_get_xml, for domain @name's
     * managed-save image. Errors: VP_ERR_NO_DOMAIN, VP_ERR_OPERATION_INVALID
     * (it has none). */
    int (*domain_managed_save_get_xml)(void *priv, const char *name, unsigned int flags,
                                       char **ret_xml);
    /* since 1.1. As domain_save_image_define_xml, for domain @name's
     * managed-save image. Errors: as domain_managed_save_get_xml. */
    int (*domain_managed_save_define_xml)(void *priv, const char *name, const char *xml,
                                          unsigned int flags);
    /* ---- Guest filesystems and guest power (since 1.1; one block) ------ */

    /* since 1.1. Freeze the guest's filesystems (libvirt's
     * virDomainFSFreeze): the @n mount points of @mountpoints, or every
     * one when @n is 0 (the core has checked the strings). @flags: 0.
     * Returns how many this call froze. Errors: VP_ERR_NO_DOMAIN,
     * VP_ERR_OPERATION_INVALID (not running; an unknown mount point, named),
     * VP_ERR_NOT_SUPPORTED (no agent channel: say how to add one),
     * VP_ERR_AGENT_UNRESPONSIVE, VP_ERR_TIMEOUT. Never leave the guest
     * frozen by a failing call: thaw what it froze before returning. */
    int (*domain_fs_freeze)(void *priv, const char *name, const char *const *mountpoints, size_t n,
                            unsigned int flags);
    /* since 1.1. Thaw them (libvirt's virDomainFSThaw); arguments and
     * errors as domain_fs_freeze. Returns how many it thawed. */
    int (*domain_fs_thaw)(void *priv, const char *name, const char *const *mountpoints, size_t n,
                          unsigned int flags);
    /* since 1.1. Ask the guest to suspend itself to @target
     * (VP_NODE_SUSPEND_TARGET_MEM, _DISK or _HYBRID; the core has checked
     * it, and that @duration is 0); do not wait for it to happen (a
     * suspending guest does not answer). Errors: VP_ERR_NO_DOMAIN,
     * VP_ERR_OPERATION_INVALID (not running; the domain's <pm> disables
     * the target: name it), VP_ERR_NOT_SUPPORTED. */
    int (*domain_pm_suspend)(void *priv, const char *name, unsigned int target,
                             unsigned long long duration, unsigned int flags);
    /* since 1.1. Wake a guest suspended to RAM (libvirt's
     * virDomainPMWakeup). @flags: 0. Errors: VP_ERR_NO_DOMAIN,
     * VP_ERR_OPERATION_INVALID (not running). */
    int (*domain_pm_wakeup)(void *priv, const char *name, unsigned int flags);
    /* since 1.1. Change a device of running domain @name as @xml, one
     * device element (libvirt's virDomainUpdateDeviceFlags with
     * VP_DOMAIN_AFFECT_LIVE). @after: the running domain as it is to be,
     * its device of the same kind (a <graphics> of the same type, a <disk>
     * of the same target dev, an <interface> of the same MAC) replaced
     * by @xml, parsed and checked against the driver's capability table;
     * NULL for a driver without one. The core checked @flags (0 or
     * VP_DOMAIN_DEVICE_MODIFY_FORCE) and changes the definition itself.
     * Change what the hypervisor can change live, and refuse every other
     * difference with VP_ERR_NOT_SUPPORTED naming the element and the
     * attribute. Errors: VP_ERR_NO_DOMAIN, VP_ERR_OPERATION_INVALID (not
     * running), VP_ERR_NOT_SUPPORTED. */
    int (*domain_update_device)(void *priv, const char *name, const char *xml,
                                const vp_domain_model *after, unsigned int flags);
} vp_hypervisor_driver;

/*
 * The host-power driver: the mechanism behind node suspend. The policy
 * (minimum duration, one suspend at a time, the delay thread, the outcome
 * record) lives in the core; a driver only probes, arms, clears and sleeps.
 * Targets are VP_NODE_SUSPEND_TARGET_*. The core checks the target against
 * get_capabilities before it arms or suspends, and clears an alarm it armed
 * on every failure after arming. Take every path and command from
 * hostpower.conf, so tests can point them at fakes.
 */
typedef struct vp_hostpower_driver {
    /* since 1.0. @uri is the connection's URI (parameters may configure).
     * *@ret_priv: the driver's state for this connection, or NULL. Errors:
     * VP_ERR_INVALID_ARG for a configuration it cannot use (name the key
     * and the file). */
    int (*open)(const vp_plugin_uri *uri, void **ret_priv);
    /* since 1.0. Free what open allocated. Cannot fail. */
    void (*close)(void *priv);
    /* since 1.0. *@ret_targets: bit (1 << target) for each target the host
     * can do now; 0 is an answer, not an error. Errors: VP_ERR_SYSTEM when
     * the host cannot be asked. Never changes the host (the conformance
     * kit calls it). */
    int (*get_capabilities)(void *priv, unsigned int *ret_targets);
    /* since 1.0. *@ret_delay_ms: the delay from the request to the
     * suspend; callers see its end as vp_node_suspend_result.suspend_at_us.
     * NULL: the core's default. */
    int (*get_suspend_delay_ms)(void *priv, unsigned int *ret_delay_ms);
    /* since 1.0. Arm the wake alarm @duration_s from now (replacing any
     * armed one); *@ret_wake_at_us: when it fires, in microseconds since
     * the epoch, as the hardware was set (read back). Errors:
     * VP_ERR_NOT_SUPPORTED when the host has no wake alarm (say so),
     * VP_ERR_SYSTEM. */
    int (*wake_alarm_arm)(void *priv, uint64_t duration_s, int64_t *ret_wake_at_us);
    /* since 1.0. Clear the wake alarm; no error when none is armed. */
    int (*wake_alarm_clear)(void *priv);
    /* since 1.0. Suspend now and block until the host resumed or the
     * attempt failed. *@ret_state: VP_NODE_SUSPEND_RESUMED, or
     * VP_NODE_SUSPEND_REQUESTED when the OS returns before it slept.
     * Errors: VP_ERR_SYSTEM (with the command's or the kernel's reason),
     * VP_ERR_NOT_SUPPORTED for a target the mechanism cannot do. */
    int (*suspend)(void *priv, unsigned int target, int *ret_state);
} vp_hostpower_driver;

#ifdef __cplusplus
}
#endif

#endif /* VIRTPLUG_SDK_DRIVER_H */
