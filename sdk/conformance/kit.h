/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * kit.h: what the files of virtplug-plugin-check share.
 *
 * The kit runs each group of checks in a forked child. A child reports one
 * line per check through a pipe (kit_check, kit_skip, kit_diag); the parent
 * numbers them, prints TAP and notices a child that crashed or hung. The
 * kit sees only the public API and the SDK, as a plugin author's program
 * would.
 */
#ifndef VP_KIT_H
#define VP_KIT_H

#include <stdbool.h>

#include <virtplug/sdk/alloc.h>
#include <virtplug/sdk/plugin.h>
#include <virtplug/virtplug.h>

#if defined(__GNUC__)
#define KIT_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define KIT_PRINTF(a, b)
#endif

/* What the user asked for; the same in every child. */
typedef struct kit_options {
    const char *file;          /* absolute path of the plugin file, or NULL for a built-in */
    const char *name;          /* the plugin's name: the file's stem, or the URI's scheme */
    const char *uri;           /* --uri, or NULL */
    const char *lifecycle_xml; /* --lifecycle: a scratch domain's XML file, or NULL */
    unsigned int threads;
    unsigned int timeout_s;
} kit_options;

extern kit_options kit_opts;

/* Report one check: passed when @ok. Returns @ok. */
bool kit_check(bool ok, const char *fmt, ...) KIT_PRINTF(2, 3);
/* Report a check that could not run, and why. */
void kit_skip(const char *reason, const char *fmt, ...) KIT_PRINTF(2, 3);
/* A comment line for people: details of a failure, what was not exercised. */
void kit_diag(const char *fmt, ...) KIT_PRINTF(1, 2);
/* The message of the thread's last virtplug error, or "no error". */
const char *kit_error_message(void);

/* Load the plugin under test as its users would: the file (the same checks
 * as the plugin directory) or the built-in driver. */
int kit_load(vp_registry_entry **ret_entry);

/* The check groups, each run in its own child process. */
void kit_group_load(void);
void kit_group_elf(void);
void kit_group_slots(void);
void kit_group_fini(void);
void kit_group_driver(void);
void kit_group_threads(void);
void kit_group_hostpower(void);
void kit_group_lifecycle(void);

/* The read-only checks of one domain: lookup, state, XML (check-driver.c). */
void kit_check_domain(vp_conn *conn, const char *name);

/* The objects a public call needs to reach a slot (check-plugin.c). */
typedef struct slot_objects {
    vp_conn *conn;
    vp_domain *dom;
    vp_snapshot *snap;
} slot_objects;

/* check-save.c: the calls that reach the slots of the XML inside save
 * images, with a file that does not exist and a domain without one. */
int call_save_image_get_xml(slot_objects *o);
int call_save_image_define_xml(slot_objects *o);
int call_managed_save_get_xml(slot_objects *o);
int call_managed_save_define_xml(slot_objects *o);

/* The URI the host-power checks use: --uri when the plugin serves it, else
 * the test driver with ?hostpower=NAME. (transfer full) */
char *kit_hostpower_uri(const vp_registry_entry *entry);

#endif /* VP_KIT_H */
