/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * undocumented.h: what tests/docs/test-apidoc.sh expects apidoc --check
 * to refuse: a function without a doc comment, and one that sits under
 * another function's comment. Never installed.
 */
#ifndef VP_TEST_UNDOCUMENTED_H
#define VP_TEST_UNDOCUMENTED_H

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Widgets --------------------------------------------------------- */

/** vp_widget_open: open a widget. Since: 1.1 */
int vp_widget_open(const char *name);

int vp_widget_close(int id);

/** vp_widget_get_name: (transfer none) its name. Since: 1.1 */
const char *vp_widget_name(int id);

#ifdef __cplusplus
}
#endif

#endif
