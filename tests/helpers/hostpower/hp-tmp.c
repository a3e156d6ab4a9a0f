/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * hp-tmp.c: temporary directories and waiting (see hp-tmp.h).
 */
#include <config.h>

#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <cmocka.h>
#include <virtplug/sdk/alloc.h>

#include "hp-tmp.h"

char *
hp_tmpdir_new(void)
{
    char *dir = vp_strdup("/tmp/vp-hostpower-XXXXXX");
    assert_non_null(mkdtemp(dir));
    return dir;
}

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    return remove(path) < 0 ? -1 : 0;
}

void
hp_tmpdir_free(char *dir)
{
    if (!dir)
        return;
    nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(dir);
}

int
hp_wait_for(int (*pred)(void *arg), void *arg, int timeout_ms)
{
    for (int waited = 0; waited < timeout_ms; waited += 2) {
        if (pred(arg))
            return 1;
        struct timespec ts = {.tv_nsec = 2000000};
        nanosleep(&ts, NULL);
    }
    return pred(arg);
}
