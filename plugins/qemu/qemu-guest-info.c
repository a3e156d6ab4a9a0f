/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-guest-info.c: vp_domain_get_guest_info() through the guest agent
 * (guest-info, guest-get-osinfo, guest-get-fsinfo), waiting on the agent
 * without the domain's lock, as a job vp_conn_cancel_jobs() can end.
 */
#include <config.h>

#include <string.h>

#include <json-c/json.h>

#include "qemu-agent.h"
#include "qemu-driver.h"

/* Whether guest-info's supported_commands lists @command as enabled:
 * asking only for those keeps an older or locked-down agent's refusals out
 * of the way. */
static bool
agent_supports(json_object *info, const char *command)
{
    json_object *cmds;
    if (!json_object_object_get_ex(info, "supported_commands", &cmds) ||
        !json_object_is_type(cmds, json_type_array))
        return false;
    for (size_t i = 0; i < json_object_array_length(cmds); i++) {
        json_object *c = json_object_array_get_idx(cmds, i), *name, *enabled;
        if (json_object_object_get_ex(c, "name", &name) &&
            strcmp(json_object_get_string(name), command) == 0)
            return json_object_object_get_ex(c, "enabled", &enabled) &&
                   json_object_get_boolean(enabled);
    }
    return false;
}

/* Run @command, when the agent has it, and add its answer under @key. */
static int
agent_collect(const qemu_driver *drv, qemu_agent *agent, json_object *out, const char *key,
              const char *command)
{
    json_object *info;
    if (json_object_object_get_ex(out, "info", &info) && !agent_supports(info, command))
        return 0;
    json_object *ret = NULL;
    int r = qemu_agent_command(agent, command, NULL, drv->agent_timeout_ms, &ret);
    if (r < 0)
        return r;
    json_object_object_add(out, key, ret ? ret : json_object_new_object());
    return 0;
}

int
qemu_domain_get_guest_info(void *priv, const char *name, unsigned int flags, char **ret_json)
{
    qemu_driver *drv = priv;
    if (flags != 0)
        return vp_plugin_error_set(VP_ERR_INVALID_ARG, "unsupported guest info flags 0x%x", flags);
    _cleanup_free_ char *agent_path = NULL;
    {
        /* The domain's lock only to read the record: the agent's own lock
         * (NAME.agent.lock) serialises its clients, and waiting on the
         * guest does not hold up the domain's other operations. */
        _cleanup_domain_lock_ int lock = -1;
        _cleanup_(qemu_record_freep) qemu_record *rec = NULL;
        int r = qemu_domain_begin(drv, name, "guestinfo", &lock, &rec);
        if (r < 0)
            return r;
        if (!rec->active)
            return vp_plugin_error_set(
                VP_ERR_OPERATION_INVALID,
                "cannot query the guest agent of domain '%s': it is not running", name);
        if (!rec->agent_path)
            return vp_plugin_error_set(
                VP_ERR_NOT_SUPPORTED,
                "domain '%s' has no guest agent channel; add <channel type='unix'> with target 'org.qemu.guest_agent.0' to its XML",
                name);
        agent_path = VP_STEAL_PTR(rec->agent_path);
    }
    qemu_agent *agent = NULL;
    qemu_job job;
    int r = qemu_job_agent_open(drv, &job, agent_path, name, &agent);
    if (r < 0)
        return r;
    json_object *out = json_object_new_object();
    r = agent_collect(drv, agent, out, "info", "guest-info");
    if (r >= 0)
        r = agent_collect(drv, agent, out, "osinfo", "guest-get-osinfo");
    if (r >= 0)
        r = agent_collect(drv, agent, out, "fsinfo", "guest-get-fsinfo");
    qemu_agent_close(agent);
    qemu_job_end(drv, &job);
    if (r >= 0)
        *ret_json = vp_strdup(json_object_to_json_string_ext(out, JSON_C_TO_STRING_PLAIN));
    json_object_put(out);
    return r < 0 ? r : 0;
}
