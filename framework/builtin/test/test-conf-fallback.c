/*
 * builtin/test/test-conf-fallback.c: TEMPORARY stand-ins for the core's
 * XML functions (sdk conf.h) until framework/conf/ lands.
 *
 * Each is a weak definition, so the real parser, once linked in, replaces
 * it. Parsing and formatting answer "not supported" (no fake results);
 * freeing frees. Delete this file when framework/conf/ provides them.
 */
#include <config.h>

#include <stdio.h>

#include "internal.h"
#include "builtin/test/test-driver.h"

#define TEST_WEAK __attribute__((weak, visibility("hidden")))

TEST_WEAK int
vp_plugin_domain_def_parse(const char *xml, unsigned int flags, vp_domain_def **ret_def)
{
    (void)xml, (void)flags, (void)ret_def;
    return vp_error_set(VP_ERR_NOT_SUPPORTED, "the domain XML parser is not in this build");
}

TEST_WEAK int
vp_plugin_domain_def_format(const vp_domain_def *def, unsigned int flags, char **ret_xml)
{
    (void)def, (void)flags, (void)ret_xml;
    return vp_error_set(VP_ERR_NOT_SUPPORTED, "the domain XML formatter is not in this build");
}

TEST_WEAK void
vp_plugin_domain_def_free(vp_domain_def *def)
{
    if (!def)
        return;
    free(def->type);
    free(def->name);
    free(def->description);
    free(def->os_type);
    free(def->os_arch);
    free(def->os_machine);
    free(def->os_kernel);
    free(def->os_initrd);
    free(def->os_cmdline);
    vp_strv_free(def->os_boot_devs);
    free(def->agent_socket_path);
    free(def->serial_path);
    free(def);
}

TEST_WEAK char *
vp_plugin_uuid_format(const unsigned char u[16], char buf[37])
{
    snprintf(buf, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", u[0],
             u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13],
             u[14], u[15]);
    return buf;
}

TEST_WEAK int
vp_plugin_snapshot_def_parse(const char *xml, unsigned int flags, vp_snapshot_def **ret_def)
{
    (void)xml, (void)flags, (void)ret_def;
    return vp_error_set(VP_ERR_NOT_SUPPORTED, "the snapshot XML parser is not in this build");
}

TEST_WEAK int
vp_plugin_snapshot_def_format(const vp_snapshot_def *def, unsigned int flags, char **ret_xml)
{
    (void)def, (void)flags, (void)ret_xml;
    return vp_error_set(VP_ERR_NOT_SUPPORTED, "the snapshot XML formatter is not in this build");
}

TEST_WEAK void
vp_plugin_snapshot_def_free(vp_snapshot_def *def)
{
    if (!def)
        return;
    free(def->name);
    free(def->description);
    free(def);
}
