/*
 * node-suspend.c: the generic asynchronous host-suspend job.
 *
 * Not written yet: every entry point says so with VP_ERR_NOT_SUPPORTED.
 */
#include <config.h>

#include "internal.h"
#include "node-suspend.h"

#define NOT_YET() \
    vp_error_set(VP_ERR_NOT_SUPPORTED, "node suspend is not implemented in this build of virtplug")

VP_EXPORT int
vp_node_suspend_for_duration(vp_conn *conn, unsigned int target, unsigned long long duration_s,
                             unsigned int flags)
{
    VPI_ERROR_RESET();
    return NOT_YET();
}

VP_EXPORT int
vp_node_get_suspend_result(vp_conn *conn, vp_node_suspend_result *ret_result)
{
    VPI_ERROR_RESET();
    return NOT_YET();
}

VP_EXPORT int
vp_node_suspend_cancel(vp_conn *conn, unsigned int flags)
{
    VPI_ERROR_RESET();
    return NOT_YET();
}

VP_EXPORT int
vp_node_suspend_wait(vp_conn *conn, int timeout_ms)
{
    VPI_ERROR_RESET();
    return NOT_YET();
}
