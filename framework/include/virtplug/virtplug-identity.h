/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * virtplug-identity.h: identity, part of the public API of libvirtplug.
 *
 * Included by <virtplug/virtplug.h>, inside its extern "C" block and after
 * the declarations it builds on; never include it on its own.
 */
#ifndef VIRTPLUG_VIRTPLUG_IDENTITY_H
#define VIRTPLUG_VIRTPLUG_IDENTITY_H

#ifndef VIRTPLUG_VIRTPLUG_H_INSIDE
#error "include <virtplug/virtplug.h>, not <virtplug/virtplug-identity.h>"
#endif

/* ---- Identity (since 1.1) ---------------------------------------------- */

/* A UUID as text: 36 characters and the terminating NUL. */
#define VP_UUID_STRING_BUFLEN 37

/*
 * A vp_domain handle is bound to the domain it was made for: the UUID the
 * domain had when the handle was looked up (by name, UUID or ID), listed or
 * defined. Every call through the handle checks that its name still names
 * that domain; when the domain was undefined and another one defined under
 * the same name, the call fails with VP_ERR_NO_DOMAIN "domain 'x' was
 * undefined and redefined since this handle was made (...)" instead of
 * acting on the other domain: look the name up again. The check is cheap
 * (the driver says when a name may have changed meaning), so it costs
 * nothing measurable on calls such as vp_domain_get_state(). A redefinition
 * that races with the call itself, in another process, is not seen by the
 * check; the driver's per-domain serialisation (QEMU: the domain's lock
 * file) decides which domain that call acts on. Handles of a driver built
 * before ABI 1.1 carry no UUID and are names only, as in 1.0.
 */

/**
 * vp_domain_get_uuid_string: the UUID the handle is bound to, as
 * "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" (lower case).
 * @ret_uuid: a buffer of VP_UUID_STRING_BUFLEN bytes, written on success.
 * It does not ask the driver, so it answers also for a domain that has
 * been undefined since.
 * Errors: VP_ERR_INVALID_ARG, VP_ERR_NOT_SUPPORTED ('domain-get-uuid':
 * the driver predates UUIDs). Thread-safe. Since: 1.1
 */
int vp_domain_get_uuid_string(vp_domain *dom, char *ret_uuid);

/**
 * vp_domain_lookup_by_uuid_string: find the domain with UUID @uuid (any
 * case, with dashes as libvirt writes them).
 * @ret_dom: (transfer full) vp_domain_free().
 * Errors: VP_ERR_INVALID_ARG (not a UUID: the message quotes it),
 * VP_ERR_NO_DOMAIN ("no domain with uuid 'U'"), VP_ERR_NOT_SUPPORTED
 * ('domain-lookup-by-uuid'). Thread-safe. Since: 1.1
 */
int vp_domain_lookup_by_uuid_string(vp_conn *conn, const char *uuid, vp_domain **ret_dom);

/**
 * vp_domain_lookup_by_id: find the running domain with ID @id. IDs are
 * libvirt's: a domain gets the next free number of its driver when it
 * starts (so IDs count up in start order and are not reused while the
 * driver's runtime state lasts) and loses it when it shuts off.
 * @ret_dom: (transfer full) vp_domain_free().
 * Errors: VP_ERR_INVALID_ARG (@id < 0), VP_ERR_NO_DOMAIN ("no running
 * domain with id N"), VP_ERR_NOT_SUPPORTED ('domain-lookup-by-id').
 * Thread-safe. Since: 1.1
 */
int vp_domain_lookup_by_id(vp_conn *conn, int id, vp_domain **ret_dom);

/**
 * vp_domain_get_id: the domain's ID while it runs (also paused), -1 when it
 * is shut off (libvirt's (unsigned)-1).
 * @ret_id: written on success.
 * Errors: VP_ERR_NO_DOMAIN (also for a stale handle, see above),
 * VP_ERR_NOT_SUPPORTED ('domain-get-id'). Thread-safe. Since: 1.1
 */
int vp_domain_get_id(vp_domain *dom, int *ret_id);

/**
 * vp_domain_list_get_states: the state, reason and ID of each domain of
 * @domains at once, as vp_domain_get_state() and vp_domain_get_id() would
 * answer them one by one, but in one request to the driver (the QEMU
 * driver asks every running QEMU at the same time). This is what
 * "vpsh list" uses.
 * @domains: a NULL-terminated array of handles of one connection, such as
 * vp_conn_list_domains() gives.
 * @ret_states: one int per domain: its VP_DOMAIN_* state, or, for a domain
 * whose state cannot be read, a negative VP_ERR_* code (VP_ERR_NO_DOMAIN:
 * undefined since, or a stale handle); the other domains are answered.
 * @ret_reasons: (optional) one int per domain: the state's reason (0 for a
 * domain without a state).
 * @ret_ids: (optional) one int per domain: its ID while it is not shut off,
 * else -1 (also when the driver has no IDs).
 * @flags: 0.
 * Returns the number of domains, or an error when none could be asked:
 * VP_ERR_INVALID_ARG (unknown @flags, handles of several connections),
 * VP_ERR_NOT_SUPPORTED ('domain-get-state'). Thread-safe. Since: 1.1
 */
int vp_domain_list_get_states(vp_domain **domains, int *ret_states, int *ret_reasons, int *ret_ids,
                              unsigned int flags);

#endif /* VIRTPLUG_VIRTPLUG_IDENTITY_H */
