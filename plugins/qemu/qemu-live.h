/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-live.h: what a running domain has apart from its definition
 * (qemu-live.c, qemu-device-live*.c, qemu-graphics-live.c): RUN/NAME.live-meta
 * and the running XML laid over the definition.
 */
#ifndef VIRTPLUG_QEMU_LIVE_H
#define VIRTPLUG_QEMU_LIVE_H

#include "qemu-driver.h"

/* Write RUN/NAME.live-meta: the <title> and <description> of the
 * definition a start runs (before QEMU is launched; a failed start leaves
 * it to the next, which writes it again). */
int qemu_live_write(const qemu_driver *drv, const char *name, struct json_object *devices);
/* qemu_live_write() from the definition @xml (a restore runs the image's). */
int qemu_live_write_xml(const qemu_driver *drv, const char *name, const char *xml,
                        struct json_object *devices);
/* The member of RUN/NAME.live-meta holding the <graphics> QEMU runs (the
 * extras node of @devices given to qemu_live_write, later changed by
 * domain_update_device). */
#define QEMU_LIVE_GRAPHICS "graphics"
/* The options each disk's format node got at start (qemu_command_format_options
 * of the start's extras), for the block-graph changes of a running
 * domain that must restate them (qemu-snapshot-move.c): *@ret_opts and 1,
 * 0 when the start did not note them (a domain started before the driver
 * did), or an error. (transfer full) */
int qemu_live_disk_options(const qemu_driver *drv, const char *name, const char *dev,
                           struct json_object **ret_opts);
/* The attributes of <graphics> a running QEMU changes (passwd,
 * passwdValidTo, connected); NULL-terminated. */
extern const char *const qemu_graphics_live_attrs[];
/* RUN/NAME.live-meta: 1 and *@ret_obj, 0 when there is none, or an
 * error; stored atomically. */
int qemu_live_read(const qemu_driver *drv, const char *name, struct json_object **ret_obj);
int qemu_live_store(const qemu_driver *drv, const char *name, struct json_object *o);
/* @v as an attribute value between single quotes, as the core writes
 * it. (transfer full) (qemu-live.c) */
char *qemu_live_attr_escape(const char *v);
/* qemu-device-live.c: the running media of the cdroms and floppies and
 * the link states of the NICs of @devices (a start's extras) noted in
 * @meta (live-meta's object); laid over the definition's text *@xml. */
void qemu_device_live_note(struct json_object *meta, struct json_object *devices);
void qemu_device_live_overlay(char **xml, struct json_object *meta);
/* The tray states of running domain @name: those live-meta keeps and
 * the moves in the events log's bytes no confirmation covered yet (a
 * guest's eject, a media change), as a QEMU_LIVE_TRAYS object; NULL when
 * there is no log to read. (transfer full) (qemu-events-log.c) */
struct json_object *qemu_events_log_trays(const qemu_driver *drv, const char *name,
                                          const qemu_record *rec);
/* <target tray='open'/> on each disk of *@xml whose tray @trays says is
 * open, and no tray attribute on one it says is closed. */
void qemu_device_live_overlay_trays(char **xml, struct json_object *trays);
/* domain_update_device for a <disk> (its medium) or an <interface> (its
 * link state): 0 or an error; 1 for any other device, untouched. */
int qemu_device_live_update(qemu_driver *drv, const char *name, const char *xml,
                            const vp_domain_model *after, unsigned int flags);
/* Under the domain's lock: the media changes of running domain @name
 * that a kill left unfinished (an intent in live-meta) settled to what
 * QEMU holds now, as the running XML must show before it is kept (a save
 * image); 0 when none was left, or an error. */
int qemu_device_live_settle(const qemu_driver *drv, const char *name, const qemu_record *rec);
/* The domain_update_device slot (qemu-graphics-live.c): the running
 * <graphics>' passwd, passwdValidTo and connected, over QMP. */
int qemu_domain_update_device(void *priv, const char *name, const char *xml,
                              const vp_domain_model *after, unsigned int flags);
/* The domain_get_xml slot's answer: the definition, with the running
 * domain's title and description unless @flags has VP_DOMAIN_XML_INACTIVE. */
int qemu_live_get_xml(const qemu_driver *drv, const char *name, unsigned int flags, char **ret_xml);
/* The domain_set_metadata slot: <description> or <title> of the running definition. */
int qemu_domain_set_metadata(void *priv, const char *name, int type, const char *text,
                             unsigned int flags);
/* Set the balloon target of a QEMU just started to <currentMemory> when it
 * is below <memory> and @devices has a virtio <memballoon>. */
int qemu_live_set_balloon(const vp_domain_def *def, struct json_object *devices,
                          const char *qmp_path);

#endif /* VIRTPLUG_QEMU_LIVE_H */
