/*
 * qemu-snapshot.h: the driver's snapshot slots (qemu-snapshot.c), called
 * from the vtable in qemu-driver.c. Conventions as the vtable's slots.
 */
#ifndef VIRTPLUG_QEMU_SNAPSHOT_H
#define VIRTPLUG_QEMU_SNAPSHOT_H

#include "qemu-driver.h"

/* CONFIG/DOMAIN.snapshots: one NAME.xml record per snapshot. (transfer full) */
char *qemu_snapshot_dir(const qemu_driver *drv, const char *domain);

int qemu_snapshot_create(qemu_driver *drv, const char *domain, const char *xml, unsigned int flags,
                         char **ret_name);
int qemu_snapshot_list(qemu_driver *drv, const char *domain, unsigned int flags, char ***ret_names);
int qemu_snapshot_lookup(qemu_driver *drv, const char *domain, const char *name,
                         unsigned int flags);
int qemu_snapshot_get_xml(qemu_driver *drv, const char *domain, const char *name,
                          unsigned int flags, char **ret_xml);
int qemu_snapshot_delete(qemu_driver *drv, const char *domain, const char *name,
                         unsigned int flags);

#endif /* VIRTPLUG_QEMU_SNAPSHOT_H */
