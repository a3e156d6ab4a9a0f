/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-qemu-guest.h: what the parts of test-qemu-guest share: the
 * fixture (a qemu:///embed root and its connection), the agent helpers of
 * test-qemu-guest.c and the checks of test-qemu-guest-fs.c.
 */
#ifndef VIRTPLUG_TEST_QEMU_GUEST_H
#define VIRTPLUG_TEST_QEMU_GUEST_H

#include <json-c/json.h>
#include <virtplug/virtplug.h>

typedef struct fixture {
    char *root;
    vp_conn *conn;
} fixture;

/* test-qemu-guest.c */
/* guestinfo until the agent is up. (transfer full) */
char *wait_guest_info(vp_domain *dom);
/* One guest-agent command of domain 'tiny'; @args: JSON text or NULL. */
int agent_run(const fixture *f, const char *command, const char *args, json_object **ret_return);
/* guest-fsfreeze-status. (transfer full) */
char *fsfreeze_status(const fixture *f);
/* Make the guest's next freeze sleep @seconds_b64 (base64 text) first. */
void slow_next_freeze(const fixture *f, const char *seconds_b64);

/* test-qemu-guest-fs.c: domfsfreeze/domfsthaw and dompmsuspend/dompmwakeup
 * on the running guest. */
void check_fsfreeze(const fixture *f, vp_domain *dom);
void check_pm_suspend(vp_domain *dom);
/* RTC_CHANGE from the guest leaves the list's confirmation true. */
void check_rtc_listed(const fixture *f, vp_domain *dom);

#endif /* VIRTPLUG_TEST_QEMU_GUEST_H */
