/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * hp-tmp.h: temporary directories and waiting, for the host-power tests.
 * Uses only the public API and the SDK, so tests of either may use it.
 */
#ifndef VP_TEST_HP_TMP_H
#define VP_TEST_HP_TMP_H

/* A fresh directory under /tmp (mkdtemp), returned (transfer full). */
char *hp_tmpdir_new(void);
/* Remove @dir and everything under it, then free it. NULL-safe. */
void hp_tmpdir_free(char *dir);

/* Wait until @pred(@arg) is true or @timeout_ms passes (polls every 2 ms). */
int hp_wait_for(int (*pred)(void *arg), void *arg, int timeout_ms);
#endif
