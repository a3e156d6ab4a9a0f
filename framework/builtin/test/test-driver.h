/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * builtin/test/test-driver.h: what the test driver's files share.
 *
 * The in-memory host of one connection: its domains (a hash table keyed by
 * name), their run states and snapshots. Every field is guarded by the
 * host's mutex except n_active, which is also written under it but read
 * without it so that vp_conn_num_of_domains() costs one atomic load.
 */
#ifndef VIRTPLUG_TEST_DRIVER_H
#define VIRTPLUG_TEST_DRIVER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include <virtplug/sdk/conf.h>
#include <virtplug/sdk/driver.h>

#define TEST_HIDDEN __attribute__((visibility("hidden")))

typedef struct test_snapshot {
    vp_snapshot_def *def; /* def->name is the key; def->parent the tree */
    bool current;         /* at most one per domain */
} test_snapshot;

typedef struct vpi_domain_model vpi_domain_model;

typedef struct test_domain {
    vp_domain_def *def;      /* def->name is the key */
    vpi_domain_model *model; /* the whole definition, as defined; NULL: def says it all */
    /* While it runs: the definition its next start uses, when it differs
     * from the running one (libvirt's newDef); NULL: the same. */
    vp_domain_def *next_def;
    vpi_domain_model *next_model;
    int state;            /* VP_DOMAIN_* */
    int reason;           /* the state's VP_DOMAIN_<STATE>_* reason */
    int id;               /* while not shut off, else -1 */
    int64_t cpu_ns;       /* CPU time of the runs since the start, until run_since_ns */
    int64_t run_since_ns; /* CLOCK_MONOTONIC when it last began running */
    test_snapshot *snaps; /* creation order */
    size_t n_snaps;
    struct test_domain *next; /* hash chain */
    /* test-guests.c: the simulated guest clock (host clock + offset; it
     * stops while the domain is paused for a host suspend) and that pause. */
    int64_t clock_offset_ns;
    int64_t host_paused_at_ns; /* 0: not paused for a host suspend */
    /* test-lifecycle.c */
    bool autostart;
    bool transient; /* vp_domain_create_xml: removed when it stops */
    /* test-save.c: the managed-save image, kept in memory as libvirt's
     * test driver does, and whether the domain was paused when saved. */
    bool managed_save;
    bool managed_save_paused;
    /* The XML a managed-save define put in the image; NULL: the
     * domain's own, as it was saved. */
    char *managed_save_xml;
    /* test-guests.c: which of the guest's two filesystems, "/" and
     * "/boot", are frozen (libvirt's test driver has the same two). */
    bool frozen[2];
} test_domain;

typedef struct test_host {
    pthread_mutex_t lock;
    atomic_int n_active;   /* domains not shut off: what libvirt counts */
    test_domain **buckets; /* n_buckets is a power of two */
    size_t n_buckets;
    size_t n_domains;
    int next_id; /* the ID of the next domain to start: 1 first, as libvirt */
    /* Moves at every undefine: conn_get_generation, read without the lock. */
    _Atomic uint64_t generation;
    vp_plugin_event_sink *sink; /* events of this connection's changes; NULL: nobody watches */
    /* Faults for tests of the host-suspend policy (URI parameters
     * guests_pause_fail=NAME, guests_prepare_ms=N; test-guests.c). */
    char pause_fail[256];
    unsigned int prepare_ms;
} test_host;

/* ---- test-domains.c: the domain table and the domain slots -------- */

TEST_HIDDEN test_host *test_host_new(void);
TEST_HIDDEN void test_host_free(test_host *host);
/* Under host->lock. NULL when absent (no error set). */
TEST_HIDDEN test_domain *test_host_find(test_host *host, const char *name);
/* Under host->lock: add @def (taken over) in @state/@reason, or update a
 * domain of the same name and uuid. Errors: VP_ERR_EXISTS. */
TEST_HIDDEN int test_host_define(test_host *host, vp_domain_def *def, int state, int reason,
                                 const char **ret_name);
/* As test_host_define, with the whole model of the definition (taken over;
 * NULL: @def is the whole definition). */
TEST_HIDDEN int test_host_define_model(test_host *host, vp_domain_def *def, vpi_domain_model *model,
                                       int state, int reason, const char **ret_name);
/* Under host->lock: add @def and @model (taken over) as a transient domain
 * that runs (RUNNING_BOOTED) until it stops, and is then removed; a
 * shut-off domain of the same name and uuid runs them instead, keeping
 * its definition (libvirt). Errors: VP_ERR_EXISTS (the name or uuid is
 * another domain's, or it runs). */
TEST_HIDDEN int test_host_create_model(test_host *host, vp_domain_def *def, vpi_domain_model *model,
                                       const char **ret_name);
/* test_host_create_model for a run that starts with @reason (a restore):
 * @what names the call in the VP_ERR_EXISTS message. */
TEST_HIDDEN int test_host_run_model(test_host *host, vp_domain_def *def, vpi_domain_model *model,
                                    int reason, const char *what, const char **ret_name);
/* Under host->lock: the domain, or VP_ERR_NO_DOMAIN naming it. */
TEST_HIDDEN int test_host_get(test_host *host, const char *name, test_domain **ret_dom);
/* Under host->lock: move @dom to @state/@reason, counting active domains. */
TEST_HIDDEN void test_domain_set_state(test_host *host, test_domain *dom, int state, int reason);
/* Run @fn on domain @name under host->lock, refusing any @flags (naming @op). */
TEST_HIDDEN int test_domain_op(void *priv, const char *name, unsigned int flags, const char *op,
                               int (*fn)(test_host *, test_domain *));
/* Refuse flags outside @allowed with VP_ERR_INVALID_ARG naming @op. */
TEST_HIDDEN int test_check_flags(const char *op, unsigned int flags, unsigned int allowed);

TEST_HIDDEN int test_conn_num_of_domains(void *priv);
TEST_HIDDEN int test_conn_list_domains(void *priv, unsigned int flags, char ***ret_names);
TEST_HIDDEN int test_domain_lookup(void *priv, const char *name);
TEST_HIDDEN int test_domain_define_xml(void *priv, const char *xml, unsigned int flags,
                                       char **ret_name);
TEST_HIDDEN int test_domain_create_xml(void *priv, const char *xml, unsigned int flags,
                                       char **ret_name);
TEST_HIDDEN int test_domain_undefine(void *priv, const char *name, unsigned int flags);
TEST_HIDDEN int test_domain_start(void *priv, const char *name, unsigned int flags);
TEST_HIDDEN int test_domain_shutdown(void *priv, const char *name, unsigned int flags);
TEST_HIDDEN int test_domain_destroy(void *priv, const char *name, unsigned int flags);
TEST_HIDDEN int test_domain_suspend(void *priv, const char *name, unsigned int flags);
TEST_HIDDEN int test_domain_resume(void *priv, const char *name, unsigned int flags);
TEST_HIDDEN int test_domain_get_state(void *priv, const char *name, int *ret_state, int *ret_reason,
                                      unsigned int flags);
TEST_HIDDEN int test_domain_get_xml(void *priv, const char *name, unsigned int flags,
                                    char **ret_xml);
TEST_HIDDEN int test_domain_get_uuid(void *priv, const char *name, unsigned char ret_uuid[16]);
TEST_HIDDEN int test_domain_lookup_by_uuid(void *priv, const unsigned char uuid[16],
                                           char **ret_name);
TEST_HIDDEN int test_domain_lookup_by_id(void *priv, int id, char **ret_name);
TEST_HIDDEN int test_domain_get_id(void *priv, const char *name, int *ret_id);
TEST_HIDDEN uint64_t test_conn_get_generation(void *priv);
TEST_HIDDEN int test_domain_get_info(void *priv, const char *name, struct vp_domain_info *ret_info);

/* The current vCPUs of @dom's running definition: <vcpu current>, else <vcpu>. */
TEST_HIDDEN unsigned int test_domain_vcpus(const test_domain *dom);

/* ---- test-resources.c: live memory and vCPUs ----------------------- */

TEST_HIDDEN int test_domain_set_memory(void *priv, const char *name, uint64_t memory_kib,
                                       unsigned int flags);
TEST_HIDDEN int test_domain_set_vcpus(void *priv, const char *name, unsigned int nvcpus,
                                      unsigned int flags);
TEST_HIDDEN int test_domain_set_metadata(void *priv, const char *name, int type, const char *text,
                                         unsigned int flags);

/* The event slots: the test driver reports the changes made through its
 * connection, from the slot that makes them (it has nothing to wait on). */
TEST_HIDDEN int test_event_open(void *priv, vp_plugin_event_sink *sink, int *ret_fd);
TEST_HIDDEN void test_event_close(void *priv);

/* ---- test-snapshots.c ---------------------------------------------- */

/* Free a domain's snapshots (the domain is being removed). */
TEST_HIDDEN void test_domain_snapshots_free(test_domain *dom);

TEST_HIDDEN int test_snapshot_create_xml(void *priv, const char *domain, const char *xml,
                                         unsigned int flags, char **ret_name);
TEST_HIDDEN int test_snapshot_list(void *priv, const char *domain, unsigned int flags,
                                   char ***ret_names);
TEST_HIDDEN int test_snapshot_lookup(void *priv, const char *domain, const char *name,
                                     unsigned int flags);
TEST_HIDDEN int test_snapshot_delete(void *priv, const char *domain, const char *name,
                                     unsigned int flags);
TEST_HIDDEN int test_snapshot_get_xml(void *priv, const char *domain, const char *name,
                                      unsigned int flags, char **ret_xml);
TEST_HIDDEN int test_snapshot_get_current(void *priv, const char *domain, unsigned int flags,
                                          char **ret_name);
TEST_HIDDEN int test_snapshot_revert(void *priv, const char *domain, const char *name,
                                     unsigned int flags);

/* ---- test-guests.c: guest clocks and host suspend ------------------ */

/* Read the fault parameters of @uri into @host. Errors: VP_ERR_INVALID_ARG. */
TEST_HIDDEN int test_guests_params(test_host *host, const vp_plugin_uri *uri);
TEST_HIDDEN int test_domain_get_time(void *priv, const char *name, long long *ret_seconds,
                                     unsigned int *ret_nseconds, unsigned int flags);
TEST_HIDDEN int test_domain_fs_freeze(void *priv, const char *name, const char *const *mountpoints,
                                      size_t n, unsigned int flags);
TEST_HIDDEN int test_domain_fs_thaw(void *priv, const char *name, const char *const *mountpoints,
                                    size_t n, unsigned int flags);
TEST_HIDDEN int test_domain_set_time(void *priv, const char *name, long long seconds,
                                     unsigned int nseconds, unsigned int flags);
TEST_HIDDEN int test_node_suspend_prepare(void *priv, unsigned int flags,
                                          vp_plugin_suspend_guest ***ret_guests);
TEST_HIDDEN int test_node_suspend_restore(void *priv, unsigned int flags,
                                          vp_plugin_suspend_guest ***ret_guests);

/* ---- test-stats.c: statistics of the simulated host ----------------- */

TEST_HIDDEN int test_domain_get_stats(void *priv, const char *name, unsigned int groups,
                                      unsigned int flags, vp_typed_params *params);
TEST_HIDDEN int test_node_get_memory_stats(void *priv, int cell, unsigned int flags,
                                           vp_typed_params *params);
TEST_HIDDEN int test_node_get_cpu_stats(void *priv, int cpu, unsigned int flags,
                                        vp_typed_params *params);
TEST_HIDDEN int test_conn_get_sysinfo(void *priv, unsigned int flags, char **ret_xml);
TEST_HIDDEN int test_conn_get_capabilities(void *priv, unsigned int flags, char **ret_xml);
/* ---- test-lifecycle.c: reboot, reset, autostart, transient domains -- */

/* Under host->lock: VP_ERR_OPERATION_INVALID ("cannot WHAT domain 'x': it
 * is not running") unless @dom is running or paused. */
TEST_HIDDEN int test_require_active(const test_domain *dom, const char *what);
TEST_HIDDEN int test_domain_reboot(void *priv, const char *name, unsigned int flags);
TEST_HIDDEN int test_domain_reset(void *priv, const char *name, unsigned int flags);
TEST_HIDDEN int test_domain_set_autostart(void *priv, const char *name, int autostart);
TEST_HIDDEN int test_domain_is_persistent(void *priv, const char *name, int *ret_persistent);
TEST_HIDDEN int test_domain_get_autostart(void *priv, const char *name, int *ret_autostart);
TEST_HIDDEN int test_domain_agent_command(void *priv, const char *name, const char *command,
                                          int timeout_s, unsigned int flags, char **ret_reply);

/* ---- test-save.c: save, restore and managed save ----------------- */

/* Under host->lock: start shut-off @dom from its managed-save image
 * (running or paused as saved, reason restored) and drop the image. */
TEST_HIDDEN void test_domain_restore_managed(test_host *host, test_domain *dom);
TEST_HIDDEN int test_domain_save(void *priv, const char *name, const char *path,
                                 unsigned int flags);
TEST_HIDDEN int test_domain_restore(void *priv, const char *path, unsigned int flags,
                                    char **ret_name);
TEST_HIDDEN int test_domain_managed_save(void *priv, const char *name, unsigned int flags);
TEST_HIDDEN int test_domain_has_managed_save(void *priv, const char *name, int *ret_has);
TEST_HIDDEN int test_domain_managed_save_remove(void *priv, const char *name, unsigned int flags);
TEST_HIDDEN int test_domain_save_image_get_xml(void *priv, const char *path, unsigned int flags,
                                               char **ret_xml);
TEST_HIDDEN int test_domain_save_image_define_xml(void *priv, const char *path, const char *xml,
                                                  unsigned int flags);
TEST_HIDDEN int test_domain_managed_save_get_xml(void *priv, const char *name, unsigned int flags,
                                                 char **ret_xml);
TEST_HIDDEN int test_domain_managed_save_define_xml(void *priv, const char *name, const char *xml,
                                                    unsigned int flags);

/* ---- test-nodefile.c ----------------------------------------------- */

/* Fill @host from the <node> file at absolute @path. Errors name the file
 * and the line: VP_ERR_SYSTEM (unreadable), VP_ERR_XML, VP_ERR_EXISTS. */
TEST_HIDDEN int test_nodefile_load(test_host *host, const char *path);

#endif /* VIRTPLUG_TEST_DRIVER_H */
