/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * event-names.c: what lifecycle events are called and which state changes
 * raise them.
 *
 * Owns the one table of events and details (libvirt's numbers, libvirt's
 * identifiers, virsh's words) and the mapping from a state transition to
 * the events libvirt raises for it, which drivers reach through
 * vp_plugin_event_emit_transition(). It keeps no state and never queues
 * anything itself (event.c does).
 */
#include <config.h>

#include "internal.h"
#include "event.h"

typedef struct event_word {
    const char *id;    /* libvirt's enum suffix, lower case */
    const char *label; /* what virsh event prints */
} event_word;

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const event_word defined_details[] = {{"added", "Added"},
                                             {"updated", "Updated"},
                                             {"renamed", "Renamed"},
                                             {"from_snapshot", "Snapshot"}};
static const event_word undefined_details[] = {{"removed", "Removed"}, {"renamed", "Renamed"}};
static const event_word started_details[] = {{"booted", "Booted"},
                                             {"migrated", "Migrated"},
                                             {"restored", "Restored"},
                                             {"from_snapshot", "Snapshot"},
                                             {"wakeup", "Event wakeup"}};
static const event_word suspended_details[] = {
    {"paused", "Paused"},       {"migrated", "Migrated"},  {"ioerror", "I/O Error"},
    {"watchdog", "Watchdog"},   {"restored", "Restored"},  {"from_snapshot", "Snapshot"},
    {"api_error", "API error"}, {"postcopy", "Post-copy"}, {"postcopy_failed", "Post-copy Error"}};
static const event_word resumed_details[] = {{"unpaused", "Unpaused"},
                                             {"migrated", "Migrated"},
                                             {"from_snapshot", "Snapshot"},
                                             {"postcopy", "Post-copy"},
                                             {"postcopy_failed", "Post-copy Error"}};
static const event_word stopped_details[] = {
    {"shutdown", "Shutdown"},     {"destroyed", "Destroyed"}, {"crashed", "Crashed"},
    {"migrated", "Migrated"},     {"saved", "Saved"},         {"failed", "Failed"},
    {"from_snapshot", "Snapshot"}};
static const event_word shutdown_details[] = {{"finished", "Finished"},
                                              {"guest", "Finished after guest request"},
                                              {"host", "Finished after host request"}};
static const event_word pmsuspended_details[] = {{"memory", "Memory"}, {"disk", "Disk"}};
static const event_word crashed_details[] = {{"panicked", "Panicked"},
                                             {"crashloaded", "Crashloaded"}};
/* The events libvirt gives callbacks of their own: virsh prints their type
 * ("event 'reboot' for domain 'x'") and an I/O error's action as is. */
static const event_word reboot_details[] = {{"reset", "reset"}};
static const event_word io_error_details[] = {
    {"none", "none"}, {"pause", "pause"}, {"report", "report"}};

static const struct {
    event_word word;
    const event_word *details;
    size_t n_details;
} events[VP_DOMAIN_EVENT_LAST] = {
    [VP_DOMAIN_EVENT_DEFINED] = {{"defined", "Defined"}, defined_details, N(defined_details)},
    [VP_DOMAIN_EVENT_UNDEFINED] = {{"undefined", "Undefined"},
                                   undefined_details,
                                   N(undefined_details)},
    [VP_DOMAIN_EVENT_STARTED] = {{"started", "Started"}, started_details, N(started_details)},
    [VP_DOMAIN_EVENT_SUSPENDED] = {{"suspended", "Suspended"},
                                   suspended_details,
                                   N(suspended_details)},
    [VP_DOMAIN_EVENT_RESUMED] = {{"resumed", "Resumed"}, resumed_details, N(resumed_details)},
    [VP_DOMAIN_EVENT_STOPPED] = {{"stopped", "Stopped"}, stopped_details, N(stopped_details)},
    [VP_DOMAIN_EVENT_SHUTDOWN] = {{"shutdown", "Shutdown"}, shutdown_details, N(shutdown_details)},
    [VP_DOMAIN_EVENT_PMSUSPENDED] = {{"pmsuspended", "PMSuspended"},
                                     pmsuspended_details,
                                     N(pmsuspended_details)},
    [VP_DOMAIN_EVENT_CRASHED] = {{"crashed", "Crashed"}, crashed_details, N(crashed_details)},
    [VP_DOMAIN_EVENT_REBOOT] = {{"reboot", "reboot"}, reboot_details, N(reboot_details)},
    [VP_DOMAIN_EVENT_IO_ERROR] = {{"io_error", "io-error"}, io_error_details, N(io_error_details)},
};

bool
vpi_event_valid(int event, int detail)
{
    return event >= 0 && event < VP_DOMAIN_EVENT_LAST && detail >= 0 &&
           (size_t)detail < events[event].n_details;
}

static const char *
word(const event_word *w, unsigned int flags)
{
    return flags & VP_DOMAIN_EVENT_NAME_ID ? w->id : w->label;
}

VP_EXPORT const char *
vp_domain_event_name(int event, unsigned int flags)
{
    if (event < 0 || event >= VP_DOMAIN_EVENT_LAST)
        return "unknown";
    return word(&events[event].word, flags);
}

VP_EXPORT const char *
vp_domain_event_detail_name(int event, int detail, unsigned int flags)
{
    if (!vpi_event_valid(event, detail))
        return "unknown";
    return word(&events[event].details[detail], flags);
}

/* ---- From a state transition to events ------------------------------ */

/* A state reason and the detail it means for one event; the first row of
 * each list is also the detail of any reason the list does not name. */
typedef struct reason_detail {
    int reason, detail;
} reason_detail;

static const reason_detail started_by[] = {
    {VP_DOMAIN_RUNNING_BOOTED, VP_DOMAIN_EVENT_STARTED_BOOTED},
    {2 /* migrated */, VP_DOMAIN_EVENT_STARTED_MIGRATED},
    {3 /* restored */, VP_DOMAIN_EVENT_STARTED_RESTORED},
    {VP_DOMAIN_RUNNING_FROM_SNAPSHOT, VP_DOMAIN_EVENT_STARTED_FROM_SNAPSHOT},
    {VP_DOMAIN_RUNNING_WAKEUP, VP_DOMAIN_EVENT_STARTED_WAKEUP},
    {-1, 0}};
static const reason_detail resumed_by[] = {
    {VP_DOMAIN_RUNNING_UNPAUSED, VP_DOMAIN_EVENT_RESUMED_UNPAUSED},
    {2 /* migrated */, VP_DOMAIN_EVENT_RESUMED_MIGRATED},
    {VP_DOMAIN_RUNNING_FROM_SNAPSHOT, VP_DOMAIN_EVENT_RESUMED_FROM_SNAPSHOT},
    {-1, 0}};
static const reason_detail suspended_by[] = {
    {VP_DOMAIN_PAUSED_USER, VP_DOMAIN_EVENT_SUSPENDED_PAUSED},
    {2 /* migration */, VP_DOMAIN_EVENT_SUSPENDED_MIGRATED},
    {VP_DOMAIN_PAUSED_IOERROR, VP_DOMAIN_EVENT_SUSPENDED_IOERROR},
    {6 /* watchdog */, VP_DOMAIN_EVENT_SUSPENDED_WATCHDOG},
    {7 /* from snapshot */, VP_DOMAIN_EVENT_SUSPENDED_FROM_SNAPSHOT},
    {-1, 0}};
/* A domain that is shut off for a reason nobody knows went down; libvirt
 * has no "unknown" detail, so it reads as "shutdown". */
static const reason_detail stopped_by[] = {
    {VP_DOMAIN_SHUTOFF_SHUTDOWN, VP_DOMAIN_EVENT_STOPPED_SHUTDOWN},
    {VP_DOMAIN_SHUTOFF_DESTROYED, VP_DOMAIN_EVENT_STOPPED_DESTROYED},
    {VP_DOMAIN_SHUTOFF_CRASHED, VP_DOMAIN_EVENT_STOPPED_CRASHED},
    {4 /* migrated */, VP_DOMAIN_EVENT_STOPPED_MIGRATED},
    {5 /* saved */, VP_DOMAIN_EVENT_STOPPED_SAVED},
    {VP_DOMAIN_SHUTOFF_FAILED, VP_DOMAIN_EVENT_STOPPED_FAILED},
    {7 /* from snapshot */, VP_DOMAIN_EVENT_STOPPED_FROM_SNAPSHOT},
    {-1, 0}};

static int
detail_of(const reason_detail *table, int reason)
{
    for (const reason_detail *r = table; r->reason >= 0; r++)
        if (r->reason == reason)
            return r->detail;
    return table[0].detail;
}

static bool
state_inactive(int state)
{
    return state == VP_DOMAIN_SHUTOFF || state == VP_DOMAIN_NOSTATE;
}

static bool
state_running(int state)
{
    return state == VP_DOMAIN_RUNNING || state == VP_DOMAIN_BLOCKED;
}

size_t
vpi_event_transition(int old_state, int new_state, int new_reason, vpi_event_pair ret[2])
{
    if (old_state == new_state || (state_running(old_state) && state_running(new_state)) ||
        new_state == VP_DOMAIN_NOSTATE)
        return 0;
    switch (new_state) {
    case VP_DOMAIN_SHUTOFF:
        if (state_inactive(old_state))
            return 0;
        ret[0] = (vpi_event_pair){VP_DOMAIN_EVENT_STOPPED, detail_of(stopped_by, new_reason)};
        return 1;
    case VP_DOMAIN_RUNNING:
    case VP_DOMAIN_BLOCKED:
        if (old_state == VP_DOMAIN_PAUSED) {
            ret[0] = (vpi_event_pair){VP_DOMAIN_EVENT_RESUMED, detail_of(resumed_by, new_reason)};
            return 1;
        }
        if (old_state == VP_DOMAIN_PMSUSPENDED) {
            ret[0] = (vpi_event_pair){VP_DOMAIN_EVENT_STARTED, VP_DOMAIN_EVENT_STARTED_WAKEUP};
            return 1;
        }
        if (state_inactive(old_state) || old_state == VP_DOMAIN_CRASHED) {
            ret[0] = (vpi_event_pair){VP_DOMAIN_EVENT_STARTED, detail_of(started_by, new_reason)};
            return 1;
        }
        return 0; /* in shutdown and running again: libvirt raises nothing */
    case VP_DOMAIN_PAUSED: {
        size_t n = 0;
        if (state_inactive(old_state))
            ret[n++] = (vpi_event_pair){VP_DOMAIN_EVENT_STARTED,
                                        new_reason == 7 /* from snapshot */
                                            ? VP_DOMAIN_EVENT_STARTED_FROM_SNAPSHOT
                                            : VP_DOMAIN_EVENT_STARTED_BOOTED};
        ret[n++] = (vpi_event_pair){VP_DOMAIN_EVENT_SUSPENDED, detail_of(suspended_by, new_reason)};
        return n;
    }
    case VP_DOMAIN_SHUTDOWN:
        ret[0] = (vpi_event_pair){VP_DOMAIN_EVENT_SHUTDOWN, VP_DOMAIN_EVENT_SHUTDOWN_FINISHED};
        return 1;
    case VP_DOMAIN_CRASHED:
        ret[0] = (vpi_event_pair){VP_DOMAIN_EVENT_CRASHED, VP_DOMAIN_EVENT_CRASHED_PANICKED};
        return 1;
    case VP_DOMAIN_PMSUSPENDED:
        ret[0] = (vpi_event_pair){VP_DOMAIN_EVENT_PMSUSPENDED, VP_DOMAIN_EVENT_PMSUSPENDED_MEMORY};
        return 1;
    default:
        return 0;
    }
}
