/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * remote-hostpower.h: the host-power vtable of DRIVER+ssh:// URIs.
 */
#ifndef VIRTPLUG_REMOTE_HOSTPOWER_H
#define VIRTPLUG_REMOTE_HOSTPOWER_H

#include <virtplug/sdk/driver.h>

/* The descriptor's hostpower (remote-hostpower.c). */
extern const vp_hostpower_driver remote_hostpower;

#endif /* VIRTPLUG_REMOTE_HOSTPOWER_H */
