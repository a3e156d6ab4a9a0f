/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/* Vendored unchanged (but for these lines) from git ff64fb9: the SDK 1.0 headers, so that
 * tests/plugins/sdk-1.0/old-plugin.c is built as a plugin of ABI 1.0 was. */
/*
 * driver.h: the driver vtables a plugin fills.
 *
 * Every slot may be NULL: the core then answers VP_ERR_NOT_SUPPORTED with
 * "driver 'NAME' does not implement 'OPERATION'". The core copies each
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

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A parsed connection URI; read it with vp_plugin_uri_*() (services.h). */
typedef struct vp_plugin_uri vp_plugin_uri;

/* The hypervisor driver: domains and snapshots. @priv is what conn_open
 * returned. Domains and snapshots are named by their names. Name lists are
 * NULL-terminated arrays of malloc()ed strings; the slot returns the count. */
typedef struct vp_hypervisor_driver {
    /* since 1.0 */
    int (*conn_open)(const vp_plugin_uri *uri, unsigned int flags, void **ret_priv);
    /* since 1.0 */
    void (*conn_close)(void *priv);
    /* since 1.0: number of running domains */
    int (*conn_num_of_domains)(void *priv);
    /* since 1.0: VP_LIST_DOMAINS_* flags; names sorted */
    int (*conn_list_domains)(void *priv, unsigned int flags, char ***ret_names);
    /* since 1.0: 0 when the domain exists, else VP_ERR_NO_DOMAIN */
    int (*domain_lookup)(void *priv, const char *name);
    /* since 1.0 */
    int (*domain_define_xml)(void *priv, const char *xml, unsigned int flags, char **ret_name);
    /* since 1.0 */
    int (*domain_undefine)(void *priv, const char *name, unsigned int flags);
    /* since 1.0 */
    int (*domain_start)(void *priv, const char *name, unsigned int flags);
    /* since 1.0 */
    int (*domain_shutdown)(void *priv, const char *name, unsigned int flags);
    /* since 1.0 */
    int (*domain_destroy)(void *priv, const char *name, unsigned int flags);
    /* since 1.0 */
    int (*domain_suspend)(void *priv, const char *name, unsigned int flags);
    /* since 1.0 */
    int (*domain_resume)(void *priv, const char *name, unsigned int flags);
    /* since 1.0 */
    int (*domain_get_state)(void *priv, const char *name, int *ret_state, int *ret_reason,
                            unsigned int flags);
    /* since 1.0 */
    int (*domain_get_xml)(void *priv, const char *name, unsigned int flags, char **ret_xml);
    /* since 1.0 */
    int (*snapshot_create_xml)(void *priv, const char *domain, const char *xml, unsigned int flags,
                               char **ret_name);
    /* since 1.0: names in creation order */
    int (*snapshot_list)(void *priv, const char *domain, unsigned int flags, char ***ret_names);
    /* since 1.0: 0 when it exists, else VP_ERR_NO_SNAPSHOT */
    int (*snapshot_lookup)(void *priv, const char *domain, const char *name, unsigned int flags);
    /* since 1.0 */
    int (*snapshot_delete)(void *priv, const char *domain, const char *name, unsigned int flags);
    /* since 1.0 */
    int (*snapshot_get_xml)(void *priv, const char *domain, const char *name, unsigned int flags,
                            char **ret_xml);
    /* since 1.0: what the guest agent reports, as one JSON object (text) */
    int (*domain_get_guest_info)(void *priv, const char *name, unsigned int flags, char **ret_json);
} vp_hypervisor_driver;

/* The host-power driver: the mechanism behind node suspend. The policy
 * (minimum duration, one suspend at a time, the delay thread, the outcome
 * record) lives in the core; a driver only probes, arms, clears and sleeps.
 * Targets are VP_NODE_SUSPEND_TARGET_*. */
typedef struct vp_hostpower_driver {
    /* since 1.0: @uri is the connection's URI (parameters may configure) */
    int (*open)(const vp_plugin_uri *uri, void **ret_priv);
    /* since 1.0 */
    void (*close)(void *priv);
    /* since 1.0: bit (1 << target) for each target the host can do */
    int (*get_capabilities)(void *priv, unsigned int *ret_targets);
    /* since 1.0: the delay from the request to the suspend; callers see its end
     * as vp_node_suspend_result.suspend_at_us */
    int (*get_suspend_delay_ms)(void *priv, unsigned int *ret_delay_ms);
    /* since 1.0: arm the wake alarm @duration_s from now; report when it fires */
    int (*wake_alarm_arm)(void *priv, uint64_t duration_s, int64_t *ret_wake_at_us);
    /* since 1.0: clear the wake alarm (no error when none is armed) */
    int (*wake_alarm_clear)(void *priv);
    /* since 1.0: suspend now and block until the host resumed or the attempt
     * failed. *ret_state is VP_NODE_SUSPEND_RESUMED, or
     * VP_NODE_SUSPEND_REQUESTED when the OS returns before it slept. */
    int (*suspend)(void *priv, unsigned int target, int *ret_state);
} vp_hostpower_driver;

#ifdef __cplusplus
}
#endif

#endif /* VIRTPLUG_SDK_DRIVER_H */
