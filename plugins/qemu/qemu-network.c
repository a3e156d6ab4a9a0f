/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-network.c: <interface type='network'> without a network driver.
 *
 * Owns mapping libvirt's network names to what the driver can run: the
 * file qemu.conf in the driver's configuration directory holds keys
 * "network.NAME = user", "user-restricted" or "bridge:BRIDGE"; without a key
 * for it, "default" is user networking with outbound NAT (so virt-install's default XML
 * starts) and any other name is an error naming the network and the file.
 * The mapping is applied to a copy of the extras tree at define (to check
 * the domain) and at start: the definition keeps type='network'.
 */
#include <config.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include <virtplug/sdk/services.h>

#include "qemu-devices.h"
#include "qemu-driver.h"
#include "qemu-monitor.h"

#define NETWORK_PREFIX "network."

/* The "network.*" keys of the file at @path (the lines the SDK's parser
 * will read as "key = value"), so that the parser accepts them and still
 * refuses every other key with the file and line. (transfer full) */
static char **
network_keys(const char *path)
{
    /* The keys of the other parts of the driver (qemu_conf_load). */
    static const char *const own[] = {"swtpm", "log_max_bytes",
                                      /* qemu-spice-tls.c */
                                      "spice_tls", "spice_tls_x509_cert_dir", "vnc_tls",
                                      "vnc_tls_x509_cert_dir", "vnc_tls_x509_verify", NULL};
    size_t n = 0;
    char **keys = vp_new0(char *, sizeof(own) / sizeof(own[0]));
    for (; own[n]; n++)
        keys[n] = vp_strdup(own[n]);
    _cleanup_free_ char *data = NULL;
    if (access(path, F_OK) < 0 || vp_plugin_file_read_regular(path, 1 << 20, &data, NULL) < 0)
        return keys; /* no file, or one the parser refuses with the same error */
    for (char *line = data; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        line += strspn(line, " \t");
        char *eq = strchr(line, '=');
        if (eq && strncmp(line, NETWORK_PREFIX, strlen(NETWORK_PREFIX)) == 0) {
            size_t len = (size_t)(eq - line);
            while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\t'))
                len--;
            keys = vp_renew(char *, keys, n + 2);
            keys[n++] = vp_strndup(line, len);
            keys[n] = NULL;
        }
        line = nl ? nl + 1 : NULL;
    }
    return keys;
}

int
qemu_conf_load(const qemu_driver *drv, char **ret_path, vp_plugin_conf **ret_conf)
{
    _cleanup_free_ char *path = vp_asprintf("%s/qemu.conf", drv->config_dir);
    _cleanup_strv_free_ char **keys = network_keys(path);
    int r = vp_plugin_conf_load(path, (const char *const *)keys, true, ret_conf);
    if (r < 0)
        return r;
    *ret_path = VP_STEAL_PTR(path);
    return 0;
}

/* Sets attribute @name of the tree node @o. */
static void
set_attr(json_object *o, const char *name, const char *value)
{
    _cleanup_free_ char *key = vp_asprintf("@%s", name);
    json_object_object_add(o, key, json_object_new_string(value));
}

/* Rewrites @nic (type='network') as what network @net maps to. "user" is
 * slirp with outbound NAT, as libvirt's default network gives (whoever
 * wrote the mapping decided the guest may reach what the host reaches);
 * "user-restricted" is slirp as <interface type='user'> runs it. The
 * "@restrict" key is the driver's own: the XML cannot reach it, the
 * capability table has no such attribute. */
static int
map_one(json_object *nic, const char *net, const char *value, const char *path, const char *domain)
{
    if (strcmp(value, "user") == 0 || strcmp(value, "user-restricted") == 0) {
        set_attr(nic, "type", "user");
        set_attr(nic, "restrict", strcmp(value, "user") == 0 ? "off" : "on");
        return 0;
    }
    const char *bridge = strncmp(value, "bridge:", 7) == 0 ? value + 7 : NULL;
    if (!bridge || !*bridge)
        return vp_plugin_error_set(
            VP_ERR_INVALID_ARG,
            "%s: 'network.%s = %s' of domain '%s' is not a network mapping; use 'user', 'user-restricted' or 'bridge:BRIDGE'",
            path, net, value, domain);
    json_object *source = qemu_tree_kid(nic, "source", 0);
    set_attr(nic, "type", "bridge");
    set_attr(source, "bridge", bridge);
    return 0;
}

int
qemu_network_resolve(const qemu_driver *drv, json_object *tree, const char *domain)
{
    _cleanup_(vp_plugin_conf_freep) vp_plugin_conf *conf = NULL;
    _cleanup_free_ char *path = NULL;
    json_object *nic;
    for (size_t i = 0; (nic = qemu_tree_kid(tree, "interface", i)); i++) {
        const char *type = qemu_tree_attr(nic, "type");
        if (!type || strcmp(type, "network") != 0)
            continue;
        if (!conf) {
            int r = qemu_conf_load(drv, &path, &conf);
            if (r < 0)
                return r;
        }
        const char *net = qemu_tree_attr(qemu_tree_kid(nic, "source", 0), "network");
        if (!net)
            return vp_plugin_error_set(
                VP_ERR_XML,
                "domain '%s': <interface type='network'> needs <source network='NAME'/>", domain);
        _cleanup_free_ char *key = vp_asprintf(NETWORK_PREFIX "%s", net);
        const char *value =
            vp_plugin_conf_get(conf, key, strcmp(net, "default") == 0 ? "user" : NULL);
        if (!value)
            return vp_plugin_error_set(
                VP_ERR_INVALID_ARG,
                "domain '%s': network '%s' of <interface type='network'> is not known to the qemu driver; map it in '%s' with 'network.%s = user' or 'network.%s = bridge:BRIDGE'",
                domain, net, path, net, net);
        int r = map_one(nic, net, value, path, domain);
        if (r < 0)
            return r;
        VP_PLUGIN_DEBUG(QEMU_AREA, "domain '%s': network '%s' is %s", domain, net, value);
    }
    return 0;
}

int
qemu_network_set_links(json_object *tree, const char *qmp_path, const char *domain)
{
    qemu_monitor *mon = NULL;
    int r = 0;
    json_object *nic;
    for (size_t i = 0; r >= 0 && (nic = qemu_tree_kid(tree, "interface", i)); i++) {
        const char *state = qemu_tree_attr(qemu_tree_kid(nic, "link", 0), "state");
        if (!state || strcmp(state, "down") != 0)
            continue;
        if (!mon)
            r = qemu_monitor_open(qmp_path, QEMU_MONITOR_TIMEOUT_MS, &mon);
        if (r < 0)
            break;
        _cleanup_(json_object_putp) json_object *args = json_object_new_object();
        _cleanup_free_ char *id = vp_asprintf("net%zu", i);
        json_object_object_add(args, "name", json_object_new_string(id));
        json_object_object_add(args, "up", json_object_new_boolean(0));
        r = qemu_monitor_command(mon, "set_link", args, QEMU_MONITOR_TIMEOUT_MS, NULL);
        if (r >= 0)
            VP_PLUGIN_DEBUG(QEMU_AREA, "domain '%s': link of %s down", domain, id);
    }
    if (mon)
        qemu_monitor_close(mon);
    return r;
}

/* A MAC address with libvirt's prefix 52:54:00 and three random bytes. */
static char *
fresh_mac(void)
{
    unsigned char b[3] = {0};
    if (getrandom(b, sizeof(b), 0) != (ssize_t)sizeof(b)) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        unsigned long v = (unsigned long)ts.tv_nsec ^ ((unsigned long)getpid() << 8);
        b[0] = (unsigned char)v, b[1] = (unsigned char)(v >> 8), b[2] = (unsigned char)(v >> 16);
    }
    return vp_asprintf("52:54:00:%02x:%02x:%02x", b[0], b[1], b[2]);
}

char *
qemu_network_add_macs(const char *xml, json_object *tree)
{
    static const char open_tag[] = "    <interface ", close_tag[] = "    </interface>";
    size_t cap = strlen(xml) + 1, n = 0, k = 0;
    char *out = vp_new0(char, cap);
    for (const char *line = xml; *line;) {
        size_t len = strcspn(line, "\n");
        size_t with_nl = len + (line[len] == '\n');
        _cleanup_free_ char *add = NULL;
        size_t keep = with_nl; /* of this line, what is copied before @add */
        if (strncmp(line, open_tag, strlen(open_tag)) == 0) {
            json_object *nic = qemu_tree_kid(tree, "interface", k++);
            bool self_closed = len >= 2 && strncmp(line + len - 2, "/>", 2) == 0;
            const char *end = self_closed ? line + len : strstr(line, close_tag);
            _cleanup_free_ char *block = vp_strndup(line, end ? (size_t)(end - line) : len);
            if (nic && !strstr(block, "\n      <mac ")) {
                _cleanup_free_ char *mac = fresh_mac();
                json_object *m = json_object_new_object();
                json_object_object_add(m, "@address", json_object_new_string(mac));
                json_object *arr = json_object_new_array();
                json_object_array_add(arr, m);
                json_object_object_add(nic, "mac", arr);
                /* <interface .../> opens, then gets its <mac> and closes. */
                keep = self_closed ? len - 2 : with_nl;
                add = vp_asprintf("%s      <mac address='%s'/>\n%s", self_closed ? ">\n" : "", mac,
                                  self_closed ? "    </interface>\n" : "");
            }
        }
        size_t add_len = add ? strlen(add) : 0;
        if (n + keep + add_len + 1 > cap) {
            cap = 2 * (n + keep + add_len + 1);
            out = vp_renew(char, out, cap);
        }
        memcpy(out + n, line, keep);
        n += keep;
        if (add) {
            memcpy(out + n, add, add_len);
            n += add_len;
        }
        out[n] = '\0';
        line += with_nl;
    }
    return out;
}
