/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-lifecycle.c: reboot, reset, the autostart mark of a QEMU domain and
 * requests passed to its guest agent as the user wrote them.
 *
 * Owns those slots and the mark, the file CONFIG/NAME.autostart beside the
 * definition (in the configuration directory, so it survives a host
 * reboot, which is when it is read). It is written atomically and removed
 * with the directory synced, under the domain's lock, so a kill leaves it
 * either set or not; undefine removes it before the definition. A reset is QMP's system_reset. A
 * reboot asks the guest through its agent (guest-shutdown, mode "reboot"), the one way QEMU offers
 * that needs no process watching the guest afterwards: the guest restarts itself and QEMU carries
 * out <on_reboot> (restart, or exit with -no-reboot for destroy). libvirt's ACPI reboot powers the
 * guest off and has its daemon reset the machine when it did; without a daemon that reset would
 * never come, so it is refused. Neither slot writes a record: the domain runs before and after, so
 * a process killed at any step leaves nothing to repair.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "qemu-driver.h"
#include "qemu-agent.h"
#include "qemu-devices.h"

int
qemu_agent_guest_shutdown(const qemu_driver *drv, const char *name, const qemu_record *rec,
                          const char *mode)
{
    _cleanup_free_ char *what =
        vp_asprintf("%s the guest", strcmp(mode, "reboot") == 0 ? "reboot" : "shut down");
    int r = qemu_time_check_agent(name, rec, what);
    if (r < 0)
        return r;
    /* The sync of the open shows the agent answers; guest-shutdown itself
     * never replies when it succeeds (the guest goes down). */
    qemu_agent *agent = NULL;
    r = qemu_agent_open_for(rec->agent_path, name, drv->agent_timeout_ms, &agent);
    if (r < 0)
        return r;
    json_object *args = json_object_new_object();
    json_object_object_add(args, "mode", json_object_new_string(mode));
    r = qemu_agent_send_nowait(agent, "guest-shutdown", args, drv->agent_timeout_ms);
    json_object_put(args);
    qemu_agent_close(agent);
    if (r >= 0)
        VP_PLUGIN_DEBUG(QEMU_AREA, "domain '%s': the guest agent was asked to %s", name, mode);
    return r < 0 ? r : 0;
}

int
qemu_domain_reboot(void *priv, const char *name, unsigned int flags)
{
    qemu_driver *drv = priv;
    if (flags & ~(unsigned)(VP_DOMAIN_REBOOT_ACPI_POWER_BTN | VP_DOMAIN_REBOOT_GUEST_AGENT))
        return vp_plugin_error_set(VP_ERR_INVALID_ARG, "unsupported reboot flags 0x%x", flags);
    if (flags & VP_DOMAIN_REBOOT_ACPI_POWER_BTN)
        return vp_plugin_error_set(
            VP_ERR_NOT_SUPPORTED,
            "cannot reboot domain '%s' by ACPI: QEMU would power it off and only a running daemon could reset it then; reboot through the guest agent, or reset it",
            name);
    _cleanup_domain_lock_ int lock = -1;
    _cleanup_(qemu_record_freep) qemu_record *rec = NULL;
    int r = qemu_domain_begin(drv, name, "reboot", &lock, &rec);
    if (r < 0)
        return r;
    return qemu_agent_guest_shutdown(drv, name, rec, "reboot");
}

int
qemu_domain_qmp_active(qemu_driver *drv, const char *name, const char *op, unsigned int flags,
                       const char *what, const char *command)
{
    if (flags != 0)
        return vp_plugin_error_set(VP_ERR_INVALID_ARG, "unsupported %s flags 0x%x", what, flags);
    _cleanup_domain_lock_ int lock = -1;
    _cleanup_(qemu_record_freep) qemu_record *rec = NULL;
    int r = qemu_domain_begin(drv, name, op, &lock, &rec);
    if (r < 0)
        return r;
    if (!rec->active)
        return vp_plugin_error_set(VP_ERR_OPERATION_INVALID,
                                   "cannot %s domain '%s': it is not running", what, name);
    return qemu_domain_qmp(drv, name, rec, command, NULL);
}

int
qemu_domain_reset(void *priv, const char *name, unsigned int flags)
{
    return qemu_domain_qmp_active(priv, name, "reset", flags, "reset", "system_reset");
}

static char *
autostart_path(const qemu_driver *drv, const char *name)
{
    return vp_asprintf("%s/%s.autostart", drv->config_dir, name);
}

int
qemu_autostart_forget(const qemu_driver *drv, const char *name)
{
    _cleanup_free_ char *path = autostart_path(drv, name);
    return qemu_config_unlink(drv, path);
}

int
qemu_config_unlink(const qemu_driver *drv, const char *path)
{
    if (unlink(path) < 0) {
        if (errno == ENOENT)
            return 0;
        return vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno, "cannot remove '%s'", path);
    }
    /* The removal must survive a host crash as the mark's writing does. */
    int dir = open(drv->config_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0 || fsync(dir) < 0) {
        int e = errno;
        if (dir >= 0)
            close(dir);
        return vp_plugin_error_set_errno(VP_ERR_SYSTEM, e, "cannot sync directory '%s'",
                                         drv->config_dir);
    }
    close(dir);
    return 0;
}

int
qemu_domain_set_autostart(void *priv, const char *name, int autostart)
{
    qemu_driver *drv = priv;
    _cleanup_domain_lock_ int lock = -1;
    _cleanup_(qemu_record_freep) qemu_record *rec = NULL;
    int r = qemu_domain_begin(drv, name, "autostart", &lock, &rec);
    if (r < 0)
        return r;
    if (qemu_transient_is(drv, name))
        return vp_plugin_error_set(
            VP_ERR_OPERATION_INVALID,
            "cannot set autostart of domain '%s': it is transient; define it to make it persistent first",
            name);
    if (autostart) {
        _cleanup_free_ char *path = autostart_path(drv, name);
        r = vp_plugin_file_write_atomic(path, "1\n", 2, 0600);
    } else {
        r = qemu_autostart_forget(drv, name);
    }
    if (r >= 0)
        qemu_step("autostart: mark written");
    return r;
}

int
qemu_domain_get_autostart(void *priv, const char *name, int *ret_autostart)
{
    qemu_driver *drv = priv;
    int r = qemu_domain_exists(drv, name);
    if (r < 0)
        return r;
    _cleanup_free_ char *path = autostart_path(drv, name);
    *ret_autostart = access(path, F_OK) == 0;
    return 0;
}

/* @command as "execute" and "arguments"; errors name what is wrong. */
static int
agent_request(const char *command, json_object **ret_req, const char **ret_execute,
              json_object **ret_args)
{
    json_object *req = json_tokener_parse(command), *execute, *args = NULL;
    if (!req || !json_object_is_type(req, json_type_object)) {
        json_object_put(req);
        return vp_plugin_error_set(
            VP_ERR_INVALID_ARG,
            "the guest agent command is not a JSON object: '%s'; write it as {\"execute\": \"guest-info\"}",
            command);
    }
    if (!json_object_object_get_ex(req, "execute", &execute) ||
        !json_object_is_type(execute, json_type_string)) {
        json_object_put(req);
        return vp_plugin_error_set(
            VP_ERR_INVALID_ARG, "the guest agent command '%s' has no \"execute\" string", command);
    }
    const char *name = json_object_get_string(execute);
    /* @name lives in @req: the message is made before @req goes. */
    int r = 0;
    if (strncmp(name, "guest-sync", 10) == 0)
        r = vp_plugin_error_set(
            VP_ERR_INVALID_ARG,
            "'%s' is refused: the driver synchronises with the agent itself before every command",
            name);
    else if (json_object_object_get_ex(req, "arguments", &args) &&
             !json_object_is_type(args, json_type_object))
        r = vp_plugin_error_set(VP_ERR_INVALID_ARG,
                                "the \"arguments\" of guest agent command '%s' are not an object",
                                name);
    if (r < 0) {
        json_object_put(req);
        return r;
    }
    *ret_req = req;
    *ret_execute = name;
    *ret_args = args;
    return 0;
}

int
qemu_domain_agent_command(void *priv, const char *name, const char *command, int timeout_s,
                          unsigned int flags, char **ret_reply)
{
    qemu_driver *drv = priv;
    if (flags != 0)
        return vp_plugin_error_set(VP_ERR_INVALID_ARG, "unsupported agent command flags 0x%x",
                                   flags);
    json_object *req = NULL, *args = NULL;
    const char *execute = NULL;
    int r = agent_request(command, &req, &execute, &args);
    if (r < 0)
        return r;
    _cleanup_(json_object_putp) json_object *owned = req;
    _cleanup_domain_lock_ int lock = -1;
    _cleanup_(qemu_record_freep) qemu_record *rec = NULL;
    r = qemu_domain_begin(drv, name, "qemu-agent-command", &lock, &rec);
    if (r >= 0)
        r = qemu_time_check_agent(name, rec, "pass a command to the guest agent");
    if (r < 0)
        return r;
    int timeout_ms = timeout_s > 0 ? timeout_s * 1000 : drv->agent_timeout_ms;
    qemu_agent *agent = NULL;
    r = qemu_agent_open_for(rec->agent_path, name, drv->agent_timeout_ms, &agent);
    if (r < 0)
        return r;
    json_object *ret = NULL;
    if (timeout_s == 0)
        r = qemu_agent_send_nowait(agent, execute, args, timeout_ms);
    else
        r = qemu_agent_command(agent, execute, args, timeout_ms, &ret);
    qemu_agent_close(agent);
    if (r < 0 || timeout_s == 0) {
        *ret_reply = NULL;
        return r < 0 ? r : 0;
    }
    json_object *reply = json_object_new_object();
    json_object_object_add(reply, "return", ret ? ret : json_object_new_object());
    *ret_reply = vp_strdup(json_object_to_json_string_ext(reply, JSON_C_TO_STRING_PLAIN));
    json_object_put(reply);
    return 0;
}
