/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-driver.h: what the QEMU driver's own files share (never installed,
 * never seen by the core).
 *
 * A connection is a qemu_driver: where definitions live (config_dir), where
 * running domains keep their sockets, pidfile, log and runtime record
 * (runtime_dir), and which QEMU binary to run. Everything else is read from
 * disk on each call, so several processes can manage the same domains.
 */
#ifndef VIRTPLUG_QEMU_DRIVER_H
#define VIRTPLUG_QEMU_DRIVER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <virtplug/sdk/alloc.h>
#include <virtplug/sdk/conf.h>
#include <virtplug/sdk/driver.h>
#include <virtplug/sdk/services.h>

struct json_object;
struct qemu_agent;

#define QEMU_AREA "qemu"
#define QEMU_TRANSIENT_SUFFIX ".transient" /* CONFIG/NAME.transient: transient */
#define QEMU_NEXT_SUFFIX ".next.json"      /* CONFIG/NAME.next.json: qemu-define-next.c */

/* How long one operation waits for another one on the same domain. */
#define QEMU_LOCK_TIMEOUT_MS 30000
/* QMP: connecting, and each command. */
#define QEMU_MONITOR_TIMEOUT_MS 10000
/* The guest agent: the sync on connect, and each command. */
#define QEMU_AGENT_TIMEOUT_MS 10000
/* How long shutdown waits for the guest to power off. */
#define QEMU_SHUTDOWN_TIMEOUT_MS 60000
/* How long QEMU may take to initialise and daemonize. */
#define QEMU_START_TIMEOUT_MS 30000
/* How long destroy waits for a lock a brief holder (no owner record: a
 * watch recording a QMP event, a state query) keeps. */
#define QEMU_DESTROY_GRACE_MS 1000

typedef struct qemu_events qemu_events;

typedef struct qemu_driver {
    char *config_dir;        /* NAME.xml: persistent definitions */
    char *runtime_dir;       /* NAME.json, NAME.qmp, NAME.pid, NAME.log, NAME.lock */
    char *binary;            /* qemu-system-x86_64 */
    int agent_timeout_ms;    /* URI parameter agent_timeout_ms */
    int shutdown_timeout_ms; /* URI parameter shutdown_timeout_ms */
    int lock_timeout_ms;     /* URI parameter lock_timeout_ms */
    int start_timeout_ms;    /* URI parameter start_timeout_ms */
    int destroy_grace_ms;    /* URI parameter destroy_grace_ms */
    qemu_events *events;     /* the event watch (qemu-events.c), NULL until event_open */
    struct qemu_jobs *jobs;  /* the waits in progress (qemu-jobs.c) */
    uint64_t *generation;    /* CONFIG/.generation mapped shared, or NULL (qemu-identity.c) */
    bool generation_rw;      /* mapped writable: this process moves it */
} qemu_driver;

/* ---- qemu-jobs.c: waits on a guest that vp_conn_cancel_jobs() ends ---- */

typedef struct qemu_job {
    int efd; /* readable once the job is cancelled; -1 when not begun */
    struct qemu_job *next;
} qemu_job;

/* The list of a connection's jobs: made by conn_open, freed by conn_close. */
struct qemu_jobs *qemu_jobs_new(void);
void qemu_jobs_free(struct qemu_jobs *jobs);
/* List @job on @drv with a fresh eventfd (VP_ERR_SYSTEM). */
int qemu_job_begin(const qemu_driver *drv, qemu_job *job);
/* Take @job off the list and close its eventfd; a no-op when not begun. */
void qemu_job_end(const qemu_driver *drv, qemu_job *job);
/* Whether vp_conn_cancel_jobs() was called since @job began. */
bool qemu_job_cancelled(const qemu_job *job);
/* The error of a cancelled job: VP_ERR_OPERATION_INVALID "WHAT of domain
 * 'NAME' cancelled by vp_conn_cancel_jobs". */
int qemu_job_cancelled_error(const char *what, const char *name);
/* The hypervisor vtable's conn_cancel_jobs: the number of jobs cancelled. */
int qemu_conn_cancel_jobs(void *priv, unsigned int flags);
/* ---- qemu-guest-info.c: the hypervisor vtable's domain_get_guest_info -- */
int qemu_domain_get_guest_info(void *priv, const char *name, unsigned int flags, char **ret_json);

/* Begin @job and open the guest agent at @path of domain @name for it
 * (qemu_agent_open_cancellable with agent_timeout_ms); on failure the job
 * is ended. The caller closes the agent, then ends the job. */
int qemu_job_agent_open(const qemu_driver *drv, qemu_job *job, const char *path, const char *name,
                        struct qemu_agent **ret_agent);
/* Wait until @proc is gone, at most @timeout_ms (-1: no limit): 1 when
 * gone, 0 on timeout (no error set), or the cancelled error. */
int qemu_job_wait_gone(const qemu_driver *drv, const char *name, const vp_plugin_process *proc,
                       int timeout_ms);

/* ---- qemu-conn.c: connections ----------------------------------------- */

/* The hypervisor vtable's conn_open and conn_close. */
int qemu_conn_open(const vp_plugin_uri *uri, unsigned int flags, void **ret_priv);
void qemu_conn_close(void *priv);

/* ---- qemu-lock.c: one lock file per domain, across processes --------- */

/* Take the lock of domain @name (RUNTIME/NAME.lock) for operation @op (a
 * verb: "start", "snapshot-delete", ...), waiting at most @timeout_ms, and
 * write the owner record "PID:START:BOOT OP SINCE" (SINCE: seconds since
 * the epoch). @ret_fd: close it (qemu_lock_release) to unlock.
 * Errors: VP_ERR_OPERATION_IN_PROGRESS ("domain 'x' is busy: OP by process
 * PID since HH:MM:SS; try again later" when an operation holds it, else
 * "... is busy with another operation ..."), VP_ERR_SYSTEM. */
int qemu_lock_acquire(const qemu_driver *drv, const char *name, const char *op, int timeout_ms,
                      int *ret_fd);
/* Take the lock only if it is free now: 1 and @ret_fd when taken, 0 when
 * another operation holds it (no error set), or VP_ERR_SYSTEM. */
int qemu_lock_try(const qemu_driver *drv, const char *name, int *ret_fd);
/* Release a lock of qemu_lock_try() or qemu_lock_acquire(), emptying the
 * owner record an operation wrote into the lock file. */
void qemu_lock_release(int fd);
/* Whether the domain's lock is held by an operation (qemu_lock_acquire()
 * wrote its owner record into NAME.lock: "PID:START:BOOT OP SINCE") whose
 * process is alive; false for a brief holder that writes none (a try). */
bool qemu_lock_held_by_operation(const qemu_driver *drv, const char *name);
static inline void
qemu_lock_releasep(int *fd)
{
    if (*fd >= 0)
        qemu_lock_release(*fd);
}
#define _cleanup_domain_lock_ _cleanup_(qemu_lock_releasep)

/* ---- qemu-domain.c: definitions and runtime records ------------------ */

/* What the runtime directory says about a domain. */
typedef struct qemu_record {
    bool active;            /* a QEMU process was started and not seen to end */
    bool starting;          /* the intent of a start: QEMU may be launching, pid not known yet */
    int stop_reason;        /* the intent of a stop: the shut-off reason if QEMU is found gone */
    vp_plugin_process proc; /* QEMU's pid, start time and boot: robust to pid reuse */
    int id;                 /* the domain's ID while active (1, 2, ...), else 0 */
    int state;              /* VP_DOMAIN_*: SHUTOFF when inactive, else RUNNING/PAUSED */
    int reason;             /* libvirt reason of @state */
    char *qmp_path;
    char *agent_path;     /* NULL without an agent channel */
    bool agent_path_ours; /* the driver picked it: remove it when the domain stops */
    /* qemu-host-suspend.c: paused for a host suspend, to be resumed after
     * it (written before the QMP stop; cleared by restore, and by a user's
     * suspend or resume, which takes the domain over). */
    bool host_paused;
    /* qemu-selfchange.c: whether QEMU can change its run state by itself
     * (decided at start from its command line; true for records written
     * before it was kept). When false, the record is the run state. */
    bool self_change;
    /* qemu-events-qmp.c: events that change no state ("reset", an I/O
     * error), a JSON array of arrays, appended to the record's history by
     * the next write and then dropped (never read back into a record). */
    struct json_object *notes;
    /* qemu-runtime.c: QEMU exited after a guest panic; the next write puts
     * a "panicked" entry before the shut-off state in the history (never
     * read back into a record). */
    bool panicked;
} qemu_record;

void qemu_record_free(qemu_record *rec);
VP_DEFINE_CLEANUP(qemu_record, qemu_record_free)

/* The longest domain or snapshot name, in bytes. */
#define QEMU_NAME_MAX 64
bool qemu_domain_name_valid(const char *name);
char *qemu_domain_path(const qemu_driver *drv, const char *name, const char *suffix);
int qemu_domain_load_def(const qemu_driver *drv, const char *name, vp_domain_def **ret_def);
int qemu_domain_save_def(const qemu_driver *drv, const vp_domain_def *def);
int qemu_domain_delete_def(const qemu_driver *drv, const char *name);
/* Split the core's formatted XML of a define into the 1.0 part (@ret_base)
 * and the text of the elements beyond it (qemu-devices.h), free() each. */
int qemu_domain_split_xml(const char *xml, char **ret_base, char **ret_domain, char **ret_devices);
/* Store a definition made from the model: @def (the 1.0 part), the whole
 * @xml, the split-off @dom and @dev text and the extras @tree. */
int qemu_domain_save_defined(const qemu_driver *drv, const vp_domain_def *def, const char *xml,
                             const char *dom, const char *dev, struct json_object *tree);
/* The same from the 1.0 part's text @base (of domain @name). */
int qemu_domain_save_defined_base(const qemu_driver *drv, const char *name, const char *base,
                                  const char *xml, const char *dom, const char *dev,
                                  struct json_object *tree);
/* The definition as defined (@xml) with the disks as the 1.0 part @base
 * has them now (a snapshot changes nothing else). (transfer full) */
char *qemu_domain_merge_xml(const char *xml, const char *base);
/* Finish (NAME.xml exists) or undo (it does not) a define that was killed
 * between its writes. Call with the domain's lock held. */
int qemu_domain_settle_define(const qemu_driver *drv, const char *name);
/* The members of CONFIG/NAME.extras.json (above) and of a waiting
 * definition (qemu-define-next.c). (transfer full) */
struct json_object *qemu_domain_extras_new(const char *xml, const char *base, const char *dom,
                                           const char *dev, struct json_object *tree);
/* CONFIG/NAME.extras.json (above), or NULL (*@ret_extras) when there is none. */
int qemu_domain_extras_read(const qemu_driver *drv, const char *name,
                            struct json_object **ret_extras);
/* The extras tree of domain @name, or NULL (*ret_tree) when it has none. */
int qemu_domain_load_extras(const qemu_driver *drv, const char *name,
                            struct json_object **ret_tree);
/*
 * <interface type='network'> (qemu-network.c): rewrites each such
 * interface of @tree as the user or bridge interface its network maps to
 * in CONFIG_DIR/qemu.conf ("network.NAME = user | user-restricted |
 * bridge:BRIDGE"; without a key, "default" is user: slirp with outbound
 * NAT). Errors: VP_ERR_INVALID_ARG (an unknown network, naming it and the
 * file; a bad value or key in the file), VP_ERR_XML (no <source
 * network>), VP_ERR_SYSTEM.
 */
int qemu_network_resolve(const qemu_driver *drv, struct json_object *tree, const char *domain);
/* CONFIG_DIR/qemu.conf (missing: empty): the network.* keys above, and
 * "swtpm" (qemu-tpm.c) and "log_max_bytes" (qemu-process.c).
 * @ret_path: the file's path, free(). Errors as vp_plugin_conf_load(). */
int qemu_conf_load(const qemu_driver *drv, char **ret_path, vp_plugin_conf **ret_conf);
VP_DEFINE_CLEANUP(vp_plugin_conf, vp_plugin_conf_free)
/* @xml (the core's formatting of a model) with a <mac address='52:54:00:..'/>
 * (libvirt's prefix, three random bytes) in each <interface> without one,
 * which is added to the interface's node of @tree as well, so the
 * definition keeps it. (transfer full) */
char *qemu_network_add_macs(const char *xml, struct json_object *tree);
/* <link state='down'>: QEMU has no device property for it, so set_link
 * turns each such NIC's link down through the QMP socket @qmp_path right
 * after the launch (libvirt does the same). Errors: as qemu_monitor_command(). */
int qemu_network_set_links(struct json_object *tree, const char *qmp_path, const char *domain);
/* The definition as dumpxml shows it. @ret_xml: free(). */
int qemu_domain_format_xml(const qemu_driver *drv, const char *name, char **ret_xml);
/* The defined names, sorted; in *@ret_marked (optional) those marked transient. */
int qemu_domain_list_names_marked(const qemu_driver *drv, char ***ret_names, char ***ret_marked);
/* strcmp of two char *s a qsort() or bsearch() of names is handed. */
int qemu_name_cmp(const void *a, const void *b);
int qemu_domain_list_names(const qemu_driver *drv, char ***ret_names);
/* Read the record, and if it says active but its QEMU is gone, clean the
 * leftovers and turn it into shut off (crashed when QEMU did not exit on
 * its own). Call with the domain's lock held. A missing record reads as
 * shut off, reason unknown. */
int qemu_domain_refresh(const qemu_driver *drv, const char *name, qemu_record **ret_rec);
/* The shut-off reason of a domain whose record says active but whose QEMU
 * is gone: the intent of a stop, else crashed when QEMU was killed (its
 * pidfile is left behind) or exited after a guest panic, else shutdown.
 * Changes nothing. */
int qemu_domain_gone_reason(const qemu_driver *drv, const char *name, const qemu_record *rec);
/* Whether the gone QEMU of @rec (active, no stop intent) exited on its own
 * because the guest panicked: its guest-errors log (RUNTIME/NAME.guest-errors)
 * holds QEMU's "Guest crashed" line. Changes nothing. */
bool qemu_domain_gone_panicked(const qemu_driver *drv, const char *name, const qemu_record *rec);
/* Whether the record says running and its QEMU is alive; takes no lock
 * and changes nothing, so listing never waits for a busy domain. */
bool qemu_domain_peek_active(const qemu_driver *drv, const char *name);
int qemu_domain_write_record(const qemu_driver *drv, const char *name, const qemu_record *rec);
/* Remove sockets and pidfile of a stopped domain and record it shut off. */
int qemu_domain_mark_stopped(const qemu_driver *drv, const char *name, qemu_record *rec,
                             int reason);
/* The record as it is on disk, without the lock and without repairing
 * anything: for answers that must never wait (state, list). */
int qemu_domain_peek_record(const qemu_driver *drv, const char *name, qemu_record **ret_rec);
/* Remove every runtime file of a domain that is shut off (record, pidfile,
 * sockets the driver made, log, lock file). Call with the lock held. */
void qemu_domain_remove_runtime(const qemu_driver *drv, const char *name, const qemu_record *rec);
/* Remove @path if it is a socket (never a file the user named that is not
 * one); ENOENT is fine. 0, or VP_ERR_INVALID_ARG for a non-socket. */
int qemu_domain_remove_socket(const char *path, const char *what);
/* Remove the driver's own agent channel at @path: a socket there (a QEMU an
 * earlier version started), the FIFOs @path.in and @path.out, and the
 * clients' lock file @path.lock; anything of another type stays. */
int qemu_domain_remove_agent(const char *path);

/* ---- qemu-driver.c: shared by the slots ---------------------------------- */

/* The get_state slot: QMP's answer for a running domain, the record's
 * for a busy or stopped one. */
int qemu_domain_get_state(void *priv, const char *name, int *ret_state, int *ret_reason,
                          unsigned int flags);
/* The state as the get_state slot reads it, with what it read kept for
 * a caller that asks more (qemu-stats.c): @lock (-1: another operation
 * holds the domain, and the state comes from the record without QMP),
 * @rec (NULL then too), and @mon, an open monitor on a running domain
 * (NULL when it is not running). Release with qemu_state_view_end(). */
typedef struct qemu_state_view {
    int state, reason;
    int lock;
    qemu_record *rec;
    struct qemu_monitor *mon;
} qemu_state_view;
int qemu_domain_state_begin(qemu_driver *drv, const char *name, qemu_state_view *v);
void qemu_state_view_end(qemu_state_view *v);
/* The conn_get_domain_states slot (qemu-state-bulk.c). */
int qemu_conn_get_domain_states(void *priv, const char *const *names, size_t n, int *ret_states,
                                int *ret_reasons, int *ret_ids, unsigned int flags);
/* VP_ERR_NO_DOMAIN unless domain @name is defined. */
int qemu_domain_exists(const qemu_driver *drv, const char *name);
/* Check @name exists, take its lock for operation @op (the verb its owner
 * record and a busy error name: "start", "snapshot-delete", ...), and read
 * its up-to-date record. @ret_lock: release with qemu_lock_release (or _cleanup_domain_lock_). */
int qemu_domain_begin(qemu_driver *drv, const char *name, const char *op, int *ret_lock,
                      qemu_record **ret_rec);

/* A define in two halves, so that a create does it under the lock it
 * starts the domain with: the checked parts of the core's model (no lock,
 * nothing written), then their writing (the domain's lock held). */
typedef struct qemu_define_parts {
    char *xml, *base, *dom, *dev; /* the whole definition, its 1.0 part, the rest */
    struct json_object *tree;     /* the extras tree (qemu-devices.c) */
    vp_domain_def *def;           /* the 1.0 part the driver runs */
} qemu_define_parts;
int qemu_define_prepare(const qemu_driver *drv, const vp_domain_model *model, qemu_define_parts *d);
int qemu_define_write(const qemu_driver *drv, const qemu_define_parts *d, bool running);
void qemu_define_parts_free(qemu_define_parts *d);
/* VP_ERR_OPERATION_INVALID "cannot WHAT domain 'NAME': it is not running"
 * unless @rec says the domain runs. */
int qemu_domain_require_active(const char *name, const qemu_record *rec, const char *what);
/* qemu-stop.c: the domain_shutdown and domain_destroy slots. */
int qemu_domain_shutdown(void *priv, const char *name, unsigned int flags);
int qemu_domain_destroy(void *priv, const char *name, unsigned int flags);
/* Start the shut-off domain of @rec (read under the lock, held); paused
 * (vCPUs stopped, reason user) with @flags VP_DOMAIN_START_PAUSED. */
int qemu_domain_start_locked(const qemu_driver *drv, const char *name, qemu_record *rec,
                             unsigned int flags);

/* ---- qemu-define-next.c: a definition given while the domain runs ----- */

/* Under the lock, domain running: @d waits for the domain's stop. */
int qemu_define_next_write(const qemu_driver *drv, const qemu_define_parts *d);
/* The waiting definition as dumpxml --inactive shows it (*@ret_xml), or
 * its 1.0 part (*@ret_def): 1, 0 when none waits, or an error. */
int qemu_define_next_xml(const qemu_driver *drv, const char *name, char **ret_xml);
int qemu_define_next_def(const qemu_driver *drv, const char *name, vp_domain_def **ret_def);
/* Under the lock, domain stopped, before a restore starts QEMU on the
 * image's definition @running: the domain's own definition waits, as one
 * given while it runs; 1 when it differs from @running and waits now, 0
 * when they are the same, or an error. */
int qemu_define_next_park(const qemu_driver *drv, const char *name,
                          const qemu_define_parts *running);
/* Under the lock, domain stopped: the waiting definition becomes the
 * domain's; 0 when none waited. */
int qemu_define_next_promote(const qemu_driver *drv, const char *name);
int qemu_define_next_remove(const qemu_driver *drv, const char *name);

/* ---- qemu-transient.c: domains made by create ------------------------- */

/* Whether domain @name is transient: CONFIG/NAME.transient, written before
 * anything else of a create, removed after everything else of the domain. */
bool qemu_transient_is(const qemu_driver *drv, const char *name);
/* Make a running transient domain persistent (a define). VP_ERR_SYSTEM. */
int qemu_transient_unmark(const qemu_driver *drv, const char *name);
/* "Transient and not running means removed": with the domain's lock held,
 * when @name is transient and @rec (NULL: the record on disk) says it is
 * not running, report its stop to this connection's watch and remove
 * every file of it, the mark last. Returns 1 when it was removed, else 0. */
int qemu_transient_reap(const qemu_driver *drv, const char *name, const qemu_record *rec);
/* Without the lock: remove transient domain @name if it is not running and
 * its lock is free now (a create or a stop that was killed); else nothing. */
void qemu_transient_settle(const qemu_driver *drv, const char *name);
/* Settle every transient domain of the driver (listing); those of
 * @marked (NULL: read the directory). */
void qemu_transient_settle_all(const qemu_driver *drv, char *const *marked);
/* The domain_create_model and domain_is_persistent slots. */
int qemu_domain_create_model(void *priv, const vp_domain_model *model, unsigned int flags,
                             char **ret_name);
int qemu_domain_is_persistent(void *priv, const char *name, int *ret_persistent);

/* ---- qemu-save.c: save, restore and managed save --------------------- */

/* The save, restore and managed-save slots. */
int qemu_domain_save(void *priv, const char *name, const char *path, unsigned int flags);
int qemu_domain_restore(void *priv, const char *path, unsigned int flags, char **ret_name);
int qemu_domain_managed_save(void *priv, const char *name, unsigned int flags);
int qemu_domain_has_managed_save(void *priv, const char *name, int *ret_has);
int qemu_domain_managed_save_remove(void *priv, const char *name, unsigned int flags);
/* The slots of the XML inside save images. */
int qemu_domain_save_image_get_xml(void *priv, const char *path, unsigned int flags,
                                   char **ret_xml);
int qemu_domain_save_image_define_xml(void *priv, const char *path, const char *xml,
                                      unsigned int flags);
int qemu_domain_managed_save_get_xml(void *priv, const char *name, unsigned int flags,
                                     char **ret_xml);
int qemu_domain_managed_save_define_xml(void *priv, const char *name, const char *xml,
                                        unsigned int flags);
/* With the domain's lock held: finish (the image is whole) or undo (it is
 * not: the guest runs on) a save that was killed. */
int qemu_save_recover(qemu_driver *drv, const char *name, qemu_record *rec);
/* With the lock held, for a start of shut-off @rec: restore from the
 * managed-save image if there is one (*ret_done), then remove it; paused
 * with @flags VP_DOMAIN_START_PAUSED, else as it was saved. */
int qemu_managed_save_start(qemu_driver *drv, const char *name, qemu_record *rec,
                            unsigned int flags, bool *ret_done);
/* Remove the managed-save image of domain @name (none: no error). */
int qemu_managed_save_forget(const qemu_driver *drv, const char *name);

/* ---- qemu-identity.c: UUIDs and IDs ------------------------------------ */

/* The UUID of domain @name from its definition file, without an XML parse.
 * Errors: VP_ERR_NO_DOMAIN. */
int qemu_domain_read_uuid(const qemu_driver *drv, const char *name, unsigned char ret_uuid[16]);
/* The next ID of this driver instance (RUNTIME/.last-id), counted on
 * across processes; never one handed out before while the file lasts. */
int qemu_id_allocate(const qemu_driver *drv, int *ret_id);
/* Map CONFIG/.generation (none: UUIDs read at each call), unmap it; move
 * it before any write or removal of a definition. */
void qemu_generation_open(qemu_driver *drv);
void qemu_generation_close(qemu_driver *drv);
void qemu_generation_bump(const qemu_driver *drv);
/* The identity slots of the vtable. */
uint64_t qemu_conn_get_generation(void *priv);
int qemu_slot_domain_get_uuid(void *priv, const char *name, unsigned char ret_uuid[16]);
int qemu_slot_domain_lookup_by_uuid(void *priv, const unsigned char uuid[16], char **ret_name);
int qemu_slot_domain_lookup_by_id(void *priv, int id, char **ret_name);
int qemu_slot_domain_get_id(void *priv, const char *name, int *ret_id);

/* ---- qemu-info.c: runtime data ------------------------------------------- */

int qemu_slot_domain_get_info(void *priv, const char *name, struct vp_domain_info *ret_info);
int qemu_slot_node_get_info(void *priv, struct vp_node_info *ret_info);
int qemu_slot_conn_get_hostname(void *priv, char **ret_hostname);

/* ---- qemu-stats.c: statistics -------------------------------------------- */

int qemu_slot_domain_get_stats(void *priv, const char *name, unsigned int groups,
                               unsigned int flags, vp_typed_params *params);
int qemu_slot_node_get_memory_stats(void *priv, int cell, unsigned int flags,
                                    vp_typed_params *params);
int qemu_slot_node_get_cpu_stats(void *priv, int cpu, unsigned int flags, vp_typed_params *params);
int qemu_slot_conn_get_sysinfo(void *priv, unsigned int flags, char **ret_xml);
/* ---- qemu-time.c: guest clocks through the agent ---------------------- */

/* The time slots of the vtable. */
int qemu_domain_get_time(void *priv, const char *name, long long *ret_seconds,
                         unsigned int *ret_nseconds, unsigned int flags);
int qemu_domain_set_time(void *priv, const char *name, long long seconds, unsigned int nseconds,
                         unsigned int flags);
/* VP_ERR_OPERATION_INVALID unless the domain of @rec runs (not paused),
 * VP_ERR_NOT_SUPPORTED without an agent channel; @what: "set the clock". */
int qemu_time_check_agent(const char *name, const qemu_record *rec, const char *what);
/* ---- qemu-guest-fs.c: filesystem freeze and guest power slots --------- */
int qemu_domain_fs_freeze(void *priv, const char *name, const char *const *mountpoints, size_t n,
                          unsigned int flags);
int qemu_domain_fs_thaw(void *priv, const char *name, const char *const *mountpoints, size_t n,
                        unsigned int flags);
int qemu_domain_pm_suspend(void *priv, const char *name, unsigned int target,
                           unsigned long long duration, unsigned int flags);
int qemu_domain_pm_wakeup(void *priv, const char *name, unsigned int flags);
/* guest-set-time to @ns, or with @sync to the host's clock read right
 * before the command. Call with the domain's lock held. */
int qemu_time_agent_set(const qemu_driver *drv, const char *name, const qemu_record *rec, bool sync,
                        int64_t ns);

/* ---- qemu-lifecycle.c: reboot and reset ------------------------------ */

/* One QMP command on the running domain of @rec (qemu-driver.c); when QEMU
 * vanished meanwhile, the domain is recorded as crashed and the error says
 * so. Call with the domain's lock held. @ret_return: (optional). */
int qemu_domain_qmp(qemu_driver *drv, const char *name, qemu_record *rec, const char *command,
                    struct json_object **ret_return);
/* One QMP @command on domain @name, which must be running (else "cannot
 * @what domain 'x': it is not running"); @flags must be 0. Takes the lock. */
int qemu_domain_qmp_active(qemu_driver *drv, const char *name, const char *op, unsigned int flags,
                           const char *what, const char *command);
/* The reboot and reset slots. */
int qemu_domain_reboot(void *priv, const char *name, unsigned int flags);
/* Ask the running domain's guest agent for guest-shutdown in @mode
 * ("reboot", "powerdown"), which never answers when it works: checked that
 * the agent answers first. */
int qemu_agent_guest_shutdown(const qemu_driver *drv, const char *name, const qemu_record *rec,
                              const char *mode);
int qemu_domain_reset(void *priv, const char *name, unsigned int flags);
/* The autostart slots: the mark is the file CONFIG/NAME.autostart. */
int qemu_domain_set_autostart(void *priv, const char *name, int autostart);
int qemu_domain_get_autostart(void *priv, const char *name, int *ret_autostart);
/* Remove the domain's autostart mark, durably (none is no error). Call
 * with the domain's lock held. Errors: VP_ERR_SYSTEM. */
int qemu_autostart_forget(const qemu_driver *drv, const char *name);
/* Remove @path of the config directory durably (sync the directory);
 * ENOENT is no error. Errors: VP_ERR_SYSTEM. */
int qemu_config_unlink(const qemu_driver *drv, const char *path);
/* The guest agent passthrough slot (qemu-agent-command). */
int qemu_domain_agent_command(void *priv, const char *name, const char *command, int timeout_s,
                              unsigned int flags, char **ret_reply);

/* ---- qemu-host-suspend.c: the domains around a host suspend ---------- */

/* The node_suspend_prepare and node_suspend_restore slots. */
int qemu_node_suspend_prepare(void *priv, unsigned int flags,
                              vp_plugin_suspend_guest ***ret_guests);
int qemu_node_suspend_restore(void *priv, unsigned int flags,
                              vp_plugin_suspend_guest ***ret_guests);

/* ---- qemu-process.c: QEMU processes ---------------------------------- */

/* The CPU time (user + system, all threads) of the process @proc, from
 * /proc/PID/stat. Errors: VP_ERR_SYSTEM (it is gone, or its pid was reused). */
int qemu_process_cpu_time(const vp_plugin_process *proc, uint64_t *ret_ns);
/* What /proc/PID/stat (or /proc/PID/task/TID/stat for @tid > 0) says:
 * fields 14 and 15, user and system time (clock ticks; of all threads for
 * a process), and 24, the resident pages. A negative errno on failure. */
typedef struct qemu_proc_stat {
    uint64_t utime, stime, rss_pages;
    int processor; /* the CPU it last ran on; -1: the kernel did not say */
} qemu_proc_stat;
int qemu_process_read_stat(pid_t pid, pid_t tid, qemu_proc_stat *ret);
/* Whether this machine has hardware KVM (/dev/kvm usable and the kvm_intel
 * or kvm_amd module): a start still probes it before using it. */
bool qemu_process_kvm_present(void);
/* qemu-host-caps.c: the conn_get_capabilities slot. */
int qemu_conn_get_capabilities(void *priv, unsigned int flags, char **ret_xml);
/* Clock ticks of /proc as ns. */
uint64_t qemu_ticks_ns(uint64_t ticks);
/* Start QEMU for @def. The record is written first as the intent of the
 * start (active, starting), then completed with QEMU's pid; on failure
 * every process launched is killed and the domain recorded shut off
 * (failed), its sockets removed. */
int qemu_process_start(const qemu_driver *drv, const vp_domain_def *def, qemu_record **ret_rec);
/* qemu_process_start() with "-S": the domain is recorded paused (reason
 * user), its vCPUs waiting for QMP cont (vp_domain_resume). */
int qemu_process_start_paused(const qemu_driver *drv, const vp_domain_def *def,
                              qemu_record **ret_rec);
/* qemu_process_start() with "-incoming defer" (a restore, qemu-save.c) of
 * the definition @from (the image's, read as a define reads one: its 1.0
 * part, its extras tree and its XML), not the domain's stored one: the
 * record says paused (starting up) until the caller settles it. */
int qemu_process_start_incoming(const qemu_driver *drv, const qemu_define_parts *from,
                                qemu_record **ret_rec);
/* Finish an interrupted start found in @rec (starting): adopt the QEMU it
 * launched once that is ready, or kill what it launched and record the
 * domain shut off (failed). Call with the lock held. */
int qemu_process_recover_start(const qemu_driver *drv, const char *name, qemu_record *rec);
/* Whether @rec is that of a QEMU a restore launched (paused, starting
 * up) that has not had its state yet: its restore holds the lock, so one
 * found under the lock was interrupted, and recover_start kills it. */
#define qemu_process_incoming(rec)                                                                 \
    ((rec)->state == VP_DOMAIN_PAUSED && (rec)->reason == VP_DOMAIN_PAUSED_STARTING_UP)
/* The pids of every process whose command line has '-pidfile @pidfile'
 * (a QEMU of this domain, or the launcher of one), 0-terminated; free(). */
pid_t *qemu_process_find_by_pidfile(const char *pidfile);
/* QMP quit, then SIGTERM, then SIGKILL (vp_plugin_process_signal: never a
 * process that took QEMU's pid over). */
int qemu_process_kill(const qemu_driver *drv, const char *name, const qemu_record *rec);
/* How long a graceful destroy waits for QEMU after SIGTERM (libvirt: 10 s). */
#define QEMU_GRACEFUL_WAIT_MS 10000
/* QMP quit, then SIGTERM, never SIGKILL (a graceful destroy): VP_ERR_TIMEOUT
 * when QEMU is still there QEMU_GRACEFUL_WAIT_MS after the SIGTERM. */
int qemu_process_terminate(const qemu_driver *drv, const char *name, const qemu_record *rec);
/* As qemu_process_find_by_pidfile() for any process whose argv has
 * @flag followed by @value (swtpm's "--ctrl" of a domain). */
pid_t *qemu_process_find_by_arg(const char *flag, const char *value);
/* Whether to use "kvm" or "tcg" (probed once per process). */
const char *qemu_process_accel(const qemu_driver *drv, const vp_domain_def *def);

/* ---- qemu-events.c: domain events (inotify and pidfds) ---------------- */

/* The hypervisor vtable's event_open, event_read and event_close. */
int qemu_event_open(void *priv, vp_plugin_event_sink *sink, int *ret_fd);
int qemu_event_read(void *priv);
void qemu_event_close(void *priv);
/* Look at domain @name now (@config: its definition was written) and emit
 * what changed: called after each change this connection makes. Does
 * nothing while no watch runs. */
void qemu_events_look(qemu_driver *drv, const char *name, bool config);
/* Add to the record @o about to replace domain @name's the numbered list
 * of its last state transitions ("seq", "history"): the one on disk, plus
 * @rec's state when it differs from the last. A watch that missed some
 * writes (another process changed the domain several times before it
 * looked) reports each transition from it. Call with the domain's lock. */
void qemu_events_record_history(const qemu_driver *drv, const char *name, const qemu_record *rec,
                                struct json_object *o);

/* ---- qemu-events-qmp.c: the events-only monitor of each QEMU --------- */

/* How often a watch that holds no events monitor of a running QEMU tries
 * its socket again (besides each look), and how soon it retries a record
 * it could not write because an operation held the domain's lock. */
#define QEMU_EVENTS_RETRY_MS 1000
#define QEMU_EVENTS_BUSY_RETRY_MS 20

/* RUNTIME/NAME.qmp-events beside @qmp_path (RUNTIME/NAME.qmp). (transfer full) */
char *qemu_events_socket_path(const char *qmp_path);

/* One watch's link to the events monitor of one running QEMU: connecting,
 * waiting for QEMU to accept it (another process holds it), or holding it. */
typedef struct qemu_evlink qemu_evlink;
/* Keep @*link in step with domain @name: when @qmp_path is set (its QEMU
 * runs), connect if not connected (nothing when the socket does not
 * exist: a QEMU started without one); when NULL, close it. @tag is what
 * the link's descriptor carries in @epfd's events. */
void qemu_evlink_sync(qemu_evlink **link, int epfd, void *tag, const char *name,
                      const char *qmp_path);
void qemu_evlink_close(qemu_evlink **link, int epfd);
/* The link's descriptor is readable: read every message without blocking;
 * as the holder, turn QEMU's events into the record (taking the domain's
 * lock with a try). Returns true when the record may have changed. */
bool qemu_evlink_read(qemu_evlink **link, int epfd, const qemu_driver *drv, const char *name);
/* Work the link waits for (a record write the domain's lock delayed, a
 * connect to retry): returns true when the record may have changed, and
 * in @next_ms how soon it wants another call (-1: never). */
bool qemu_evlink_tick(qemu_evlink **link, int epfd, void *tag, const qemu_driver *drv,
                      const char *name, int *next_ms);
/* Whether @link holds the events monitor (for tests and the debug log). */
bool qemu_evlink_holds(const qemu_evlink *link);
/* QMP's RunState @status as libvirt's state and reason, keeping the reason
 * @rec recorded when the state is the same (qemu-state.c). */
/* ---- qemu-selfchange.c ---------------------------------------------- */

/* Whether the QEMU that @argv launches can leave its run state without a
 * monitor command (a disk pausing on error, a panic device, a pausing
 * -action, ACPI S3, ...); @ret_why (may be NULL) says why, or NULL. */
bool qemu_command_self_changes(char *const *argv, const char **ret_why);

/* ---- qemu-events-qmp.c: the holder's mark --------------------------- */

/* Whether a process holds the events monitor of domain @name's QEMU
 * @proc and has written every event it read into the record (its mark, an
 * OFD lock on RUNTIME/NAME.qmp-events-held at an offset naming @proc, is
 * taken): then the record follows QEMU's own state changes. A dead
 * holder's mark goes with it. */
bool qemu_events_holder_present(const qemu_driver *drv, const char *name,
                                const vp_plugin_process *proc);

void qemu_state_from_status(const char *status, const qemu_record *rec, int *ret_state,
                            int *ret_reason);

/* ---- qemu-events-log.c: QEMU's own log of its events ----------------- */

/* RUNTIME/NAME.events-log: the base of the "pipe" chardev of the monitor
 * whose output (NAME.events-log.out) is a file QEMU writes its events to. */
char *qemu_events_log_base(const qemu_driver *drv, const char *name);
/* Before a launch: a fresh, empty .out and the .in FIFO holding the
 * capability negotiation; @ret_fd is our end, for
 * qemu_events_log_launched() once QEMU runs (or failed to). */
int qemu_events_log_prepare(const qemu_driver *drv, const char *name, int *ret_fd);
void qemu_events_log_launched(const qemu_driver *drv, const char *name, int fd);
/* The size of the .out, or -1 (none, or not a regular file). */
int64_t qemu_events_log_size(const qemu_driver *drv, const char *name);
/* Whether a list may answer running domain @name without asking its
 * QEMU: a confirmation (RUNTIME/NAME.events-seen) names that QEMU and
 * @rec's state and reason, and the log has not grown since, or grown by
 * harmless events only (qemu-events-classify.c; the confirmation then
 * moves past them, best effort). True with @ret_state and @ret_reason set
 * to the state QEMU answered when it was confirmed. */
bool qemu_events_log_known(const qemu_driver *drv, const char *name, const qemu_record *rec,
                           int *ret_state, int *ret_reason);
/* Under the domain's lock, after query-status gave @state and @reason and
 * the log was @size bytes before asking: when the record is still
 * @asked's (read again), NAME.events-seen notes it and QEMU's answer at
 * @size, which may differ from the record's, and the log's bytes up to
 * @size are freed. Never writes the record. Best effort. */
void qemu_events_log_confirm(const qemu_driver *drv, const char *name, const qemu_record *asked,
                             int64_t size, int state, int reason);

/* ---- qemu-console.c: consoles and the display ------------------------ */

/* The domain_open_console and domain_get_display_uri slots. */
int qemu_domain_open_console(void *priv, const char *name, const char *dev_name, unsigned int flags,
                             int *ret_fd);
int qemu_domain_get_display_uri(void *priv, const char *name, unsigned int flags, char **ret_uri);
/* Before a start: a <graphics><listen type='socket'> without a path gets
 * RUNTIME/NAME.vnc or NAME.spice (noted in @tree); one with a path that
 * exists is refused (VP_ERR_INVALID_ARG), as QEMU cannot bind over it. An
 * autoport display: @ret_ports_lock is the lock of the display ports (or
 * -1), to release once QEMU listens; a SPICE one gets its port noted in
 * @tree. Errors: VP_ERR_OPERATION_IN_PROGRESS, VP_ERR_SYSTEM too. */
int qemu_display_prepare(const qemu_driver *drv, struct json_object *tree, const char *domain,
                         int *ret_ports_lock);
/* Before a start (qemu-spice.c): whether the SPICE <graphics> @g uses TLS
 * (a tlsPort, a secure channel, or spice_tls = 1 of qemu.conf with
 * autoport); if so, qemu.conf's spice_tls is on and its certificate
 * directory holds ca-cert.pem, server-cert.pem and server-key.pem (noted
 * in @g), and @ret_pick_port says a TLS port must be chosen. Errors:
 * VP_ERR_NOT_SUPPORTED (TLS off, on a socket), VP_ERR_INVALID_ARG (a file
 * missing, qemu.conf). */
int qemu_spice_tls_prepare(const qemu_driver *drv, struct json_object *g, const char *domain,
                           bool *ret_pick_port);
/* Before a start: with vnc_tls = 1 in qemu.conf, the VNC <graphics> @g
 * uses TLS; its certificate directory (vnc_tls_x509_cert_dir) must hold
 * ca-cert.pem, server-cert.pem and server-key.pem; noted in @g with
 * vnc_tls_x509_verify. Errors: VP_ERR_INVALID_ARG (a file missing,
 * qemu.conf). */
int qemu_vnc_tls_prepare(const qemu_driver *drv, struct json_object *g, const char *domain);
/* ---- qemu-hostcaps.c: what this host's QEMU has ---------------------- */

/* The hypervisor vtable's conn_host_domain_capabilities: whether swtpm
 * (qemu.conf's swtpm) and Debian's OVMF are installed, added to the
 * core's document. */
int qemu_conn_host_domain_capabilities(void *priv, unsigned int flags, const char *caps,
                                       char **ret_caps);
/* The OVMF code files of this host the driver boots (with their variable
 * templates; no secure-boot builds). (transfer full) vp_strv_free(). */
char **qemu_firmware_installed(void);
/* The swtpm binary of @drv: qemu.conf's swtpm, else /usr/bin/swtpm.
 * (transfer full) Errors: those of qemu.conf. */
int qemu_tpm_swtpm(const qemu_driver *drv, char **ret_path);

/* VP_ERR_NOT_SUPPORTED, naming the element and the missing piece, when
 * @tree (may be NULL) needs what @binary lacks (SPICE, qxl, usb-redir,
 * SPICE audio); probed once per binary, cached in the runtime directory. */
int qemu_hostcaps_check(const qemu_driver *drv, const char *binary, struct json_object *tree);

/* After the launch: the <graphics passwd> over QMP set_password. */
int qemu_graphics_set_password(struct json_object *tree, const char *qmp_path, const char *domain);
/* QMP set_password for the <graphics> node @g (its passwd, "" without
 * one, and connected), then expire_password at its passwdValidTo; with
 * @update "never" without one. */
int qemu_graphics_apply_password(struct json_object *g, const char *qmp_path, const char *domain,
                                 bool update);

/* ---- qemu-firmware.c: UEFI firmware and its variable store ------------ */

/* At start: find the OVMF code and variable store of @tree's <os> (may
 * be NULL), make the store from its template when it does not exist, and
 * note both in @tree for the command line. Errors: VP_ERR_INVALID_ARG (a
 * firmware or template that cannot be read, naming it), VP_ERR_NOT_SUPPORTED,
 * VP_ERR_SYSTEM. */
int qemu_firmware_prepare(const qemu_driver *drv, struct json_object *tree, const char *domain);
/* CONFIG/NAME_VARS.fd, the store of a domain whose <nvram> names none.
 * (transfer full) */
char *qemu_firmware_own_vars(const qemu_driver *drv, const char *domain);
/* Remove the temporary files of killed copies of that store, and with
 * @store the store itself (a transient domain's removal). */
void qemu_firmware_remove_own_vars(const qemu_driver *drv, const char *domain, bool store);
/* Undefine, before anything is removed: the UEFI variable store of
 * @domain (its extras @tree, may be NULL) that @flags (VP_DOMAIN_UNDEFINE_NVRAM, _KEEP_NVRAM) asks
 * to remove (@ret_remove, or NULL). A store that exists without either flag is
 * VP_ERR_OPERATION_INVALID (libvirt's "cannot undefine domain with nvram"). Then
 * qemu_firmware_remove_vars() removes @path (may be NULL) and the temporary files of killed copies
 * (VP_ERR_SYSTEM). */
int qemu_firmware_undefine_check(const qemu_driver *drv, struct json_object *tree,
                                 const char *domain, unsigned int flags, char **ret_remove);
int qemu_firmware_remove_vars(const qemu_driver *drv, const char *domain, const char *path);

/* ---- qemu-tpm.c: the emulated TPM (swtpm) ----------------------------- */

/* Before a start: check swtpm is there for @tree's <tpm> (may be NULL)
 * and note its control socket in @tree. Errors: VP_ERR_NOT_SUPPORTED (no
 * swtpm: naming the path and the package), VP_ERR_INVALID_ARG (qemu.conf). */
int qemu_tpm_prepare(const qemu_driver *drv, struct json_object *tree, const char *domain);
/* After the start's intent: launch swtpm (its state in CONFIG/NAME.tpm).
 * Errors: VP_ERR_SYSTEM (with swtpm's words). */
int qemu_tpm_start(const qemu_driver *drv, struct json_object *tree, const char *domain);
/* Stop the swtpm of domain @name if one runs, remove its socket. */
void qemu_tpm_stop(const qemu_driver *drv, const char *domain);
/* Undefine: remove the TPM's state. */
void qemu_tpm_remove_state(const qemu_driver *drv, const char *domain);

/* ---- qemu-log.c: the cap on the QEMU log ------------------------------ */

/* When RUNTIME/NAME.log passed log_max_bytes of qemu.conf (1 MiB), move
 * its end to NAME.log.1 and empty it. Call with the lock held. */
void qemu_log_cap(const qemu_driver *drv, const char *name);

/* ---- qemu-resources.c: live memory and vCPUs ------------------------- */

/* The domain_set_memory and domain_set_vcpus slots. */
int qemu_domain_set_memory(void *priv, const char *name, uint64_t memory_kib, unsigned int flags);
int qemu_domain_set_vcpus(void *priv, const char *name, unsigned int nvcpus, unsigned int flags);

/* ---- qemu-step.c: the steps crash tests stop at ---------------------- */

/* Log step @what of a mutating operation; stop here when
 * VIRTPLUG_TEST_STOP_AT names this step's number. */
void qemu_step(const char *what);

/* ---- qemu-command.c: the command line --------------------------------- */

typedef struct qemu_command_paths {
    const char *qmp;
    const char *pidfile;
    const char *agent;           /* NULL without an agent channel */
    bool agent_pipes;            /* @agent is the base of a FIFO pair: a "pipe" chardev */
    const char *accel;           /* "kvm" or "tcg" */
    struct json_object *devices; /* the extras (qemu-devices.h); NULL: none */
    const int *tap_fds;          /* the taps' descriptors QEMU inherits (qemu-tap.c) */
    size_t n_tap_fds;
    const char *qmp_events; /* the events-only QMP socket (qemu-events.c); NULL: none */
    /* QEMU's log of guest errors (-d guest_errors -D), where a panic that
     * ends QEMU leaves its evidence (qemu-runtime.c); NULL: none */
    const char *guest_errors;
    /* The base of the events log's pipe chardev (qemu-events-log.c); NULL: none */
    const char *events_log;
    bool incoming; /* "-incoming defer": a restore feeds the state (qemu-save.c) */
    bool paused;   /* "-S": the vCPUs wait for QMP cont (start --paused) */
} qemu_command_paths;

/* The argv (NULL-terminated, vp_strv_free()) that starts @def daemonized. */
int qemu_command_build(const char *binary, const vp_domain_def *def,
                       const qemu_command_paths *paths, char ***ret_argv);
/* The block node names QEMU knows a disk by ("drive-vda", "file-vda"). */
char *qemu_command_drive_node(const char *target_dev);
char *qemu_command_file_node(const char *target_dev);
/* QEMU's protocol driver for a <disk device=@device>'s medium: "file", or on
 * a block device (@block) "host_cdrom" (cdrom) or "host_device", as libvirt. */
const char *qemu_command_protocol(const char *device, bool block);
/* The options this driver gives disk @dev's format node on -blockdev
 * (cache, discard, detect-zeroes), from the extras @tree (may be NULL),
 * as a JSON object. (transfer full) */
int qemu_command_format_options(struct json_object *tree, const char *dev,
                                struct json_object **ret_options);

#endif /* VIRTPLUG_QEMU_DRIVER_H */
