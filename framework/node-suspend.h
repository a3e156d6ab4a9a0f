/*
 * node-suspend.h: the host-suspend job (framework/node-suspend.c).
 */
#ifndef VIRTPLUG_NODE_SUSPEND_H
#define VIRTPLUG_NODE_SUSPEND_H

#endif /* VIRTPLUG_NODE_SUSPEND_H */
