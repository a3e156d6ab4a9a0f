/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-qemu-guest-net.c: the tiny Linux guest (tests/helpers/guest/) with
 * a NIC: <interface type='user'> (slirp with restrict=on, so the guest
 * reaches nothing beyond QEMU's own DHCP) gives it an address by DHCP,
 * read back with 'vpsh domifaddr --source agent'
 * (guest-network-get-interfaces) and checked to be in slirp's
 * 10.0.2.0/24 on the interface with the domain's MAC; then 'vpsh reboot'
 * through the guest agent: the guest restarts in the same QEMU process
 * (a new boot id, its boot messages twice on the console) and gets its
 * address again. The QEMU is killed in the teardown whatever happened.
 * Skips (77) when the guest cannot be built.
 */
#include <config.h>

#include <arpa/inet.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <json-c/json.h>

#include <virtplug/sdk/alloc.h>
#include <virtplug/virtplug.h>

#include "guest/guest.h"
#include "qemu-test-util.h"

/* Under TCG the agent answers after a few seconds; allow a loaded host. */
#define AGENT_WAIT_S 90
/* udhcpc runs in the background after the agent started. */
#define ADDRESS_WAIT_S 60

#define NIC "    <interface type='user'><model type='virtio'/></interface>\n"

static char *guest_dir;

typedef qt_root_conn fixture;

static int
setup(void **state)
{
    *state = qt_root_conn_open("agent_timeout_ms=5000");
    return 0;
}

static int
teardown(void **state)
{
    qt_root_conn_close(*state);
    return 0;
}

static void
copy_disk(const fixture *f)
{
    assert_int_equal(vp_test_guest_copy_disk(guest_dir, f->root), 0);
}

/* The "return" member of @request's reply, or NULL when the agent did not
 * answer it (a guest rebooting between two requests: the new agent does
 * not know the old one's handles). (transfer full) */
static json_object *
agent_try(vp_domain *dom, const char *request)
{
    char *reply = NULL;
    if (vp_domain_qemu_agent_command(dom, request, 5, 0, &reply) < 0)
        return NULL;
    json_object *top = json_tokener_parse(reply), *ret = NULL;
    free(reply);
    if (json_object_object_get_ex(top, "return", &ret))
        json_object_get(ret);
    json_object_put(top);
    return ret;
}

/* The guest kernel's boot id (/proc/sys/kernel/random/boot_id) as the
 * agent reads it, base64; NULL while the agent does not answer (or the
 * guest rebooted in the middle). */
static char *
boot_id(vp_domain *dom)
{
    json_object *h =
        agent_try(dom, "{\"execute\":\"guest-file-open\",\"arguments\":"
                       "{\"path\":\"/proc/sys/kernel/random/boot_id\",\"mode\":\"r\"}}");
    if (!h)
        return NULL;
    int64_t handle = json_object_get_int64(h);
    json_object_put(h);
    _cleanup_free_ char *read = vp_asprintf(
        "{\"execute\":\"guest-file-read\",\"arguments\":{\"handle\":%lld,\"count\":64}}",
        (long long)handle);
    json_object *ret = agent_try(dom, read), *buf = NULL;
    char *id = ret && json_object_object_get_ex(ret, "buf-b64", &buf)
                   ? vp_strdup(json_object_get_string(buf))
                   : NULL;
    json_object_put(ret);
    _cleanup_free_ char *close_req = vp_asprintf(
        "{\"execute\":\"guest-file-close\",\"arguments\":{\"handle\":%lld}}", (long long)handle);
    json_object_put(agent_try(dom, close_req));
    if (id && strlen(id) <= 40) { /* 36 characters and a newline, base64 */
        free(id);
        fail_msg("the boot id the agent read is too short");
    }
    return id;
}

/* The boot id once the agent answers with one other than @old (NULL: any). */
static char *
wait_boot_id(vp_domain *dom, const char *old)
{
    time_t deadline = time(NULL) + AGENT_WAIT_S;
    for (;;) {
        char *id = boot_id(dom);
        if (id && (!old || strcmp(id, old) != 0))
            return id;
        free(id);
        if (time(NULL) >= deadline)
            fail_msg("no %s boot id from the agent within %d s: %s", old ? "new" : "", AGENT_WAIT_S,
                     vp_error_last()->message);
        sleep(1);
    }
}

static const char *
vpsh_path(void)
{
    static char path[4096];
    _cleanup_free_ char *p = qt_vpsh_path();
    snprintf(path, sizeof(path), "%s", p);
    return path;
}

/* The MAC of the domain's only <interface>, as the definition keeps it. */
static char *
domain_mac(vp_domain *dom)
{
    char *xml = NULL;
    assert_int_equal(vp_domain_get_xml(dom, 0, &xml), 0);
    const char *p = strstr(xml, "<mac address='");
    if (!p)
        fail_msg("no <mac address> in the definition:\n%s", xml);
    p += strlen("<mac address='");
    char *mac = vp_strndup(p, 17);
    free(xml);
    assert_true(strncmp(mac, "52:54:00:", 9) == 0);
    return mac;
}

/* Whether @cidr ("A.B.C.D/N") is an address of slirp's 10.0.2.0/24 other
 * than its gateway (.2) and DNS (.3). */
static bool
in_slirp_net(const char *cidr)
{
    char addr[32];
    int prefix = -1;
    if (sscanf(cidr, "%31[0-9.]/%d", addr, &prefix) != 2 || prefix != 24)
        return false;
    struct in_addr a;
    if (inet_pton(AF_INET, addr, &a) != 1)
        return false;
    uint32_t h = ntohl(a.s_addr);
    return (h & 0xffffff00u) == 0x0a000200u && (h & 0xff) != 2 && (h & 0xff) != 3;
}

/* 'vpsh domifaddr DOMAIN --source agent --full' (each line names its
 * interface and MAC) until the interface with @mac has an IPv4 address;
 * returns it ("10.0.2.15/24"). (transfer full) */
static char *
wait_address(const char *uri, const char *mac)
{
    const char *argv[] = {vpsh_path(), "-c",    uri,      "domifaddr", "tiny",
                          "--source",  "agent", "--full", NULL};
    time_t deadline = time(NULL) + ADDRESS_WAIT_S;
    _cleanup_free_ char *last = NULL;
    for (;;) {
        char *out = NULL;
        int st = qt_run_capture(argv, &out);
        free(last);
        last = out;
        if (st == 0 && out) {
            char *save = NULL;
            _cleanup_free_ char *copy = vp_strdup(out);
            for (char *line = strtok_r(copy, "\n", &save); line;
                 line = strtok_r(NULL, "\n", &save)) {
                char name[64], m[64], proto[16], addr[64];
                if (sscanf(line, " %63s %63s %15s %63s", name, m, proto, addr) == 4 &&
                    strcmp(m, mac) == 0 && strcmp(proto, "ipv4") == 0) {
                    if (!in_slirp_net(addr))
                        fail_msg("the guest's address '%s' is not in slirp's 10.0.2.0/24:\n%s",
                                 addr, out);
                    return vp_strdup(addr);
                }
            }
        }
        if (time(NULL) >= deadline)
            fail_msg("no IPv4 address on %s within %d s; domifaddr said:\n%s", mac, ADDRESS_WAIT_S,
                     last ? last : "");
        sleep(1);
    }
}

/* The same address in 'vpsh --json domifaddr'. */
static void
assert_json_address(const char *uri, const char *mac, const char *cidr)
{
    const char *argv[] = {vpsh_path(), "-c",       uri,     "--json", "domifaddr",
                          "tiny",      "--source", "agent", NULL};
    _cleanup_free_ char *out = NULL;
    assert_int_equal(qt_run_capture(argv, &out), 0);
    json_object *top = json_tokener_parse(out);
    if (!top)
        fail_msg("domifaddr --json is not JSON:\n%s", out);
    json_object *result = NULL, *list = NULL;
    assert_true(json_object_object_get_ex(top, "result", &result));
    assert_true(json_object_object_get_ex(result, "interfaces", &list));
    bool found = false;
    for (size_t i = 0; i < json_object_array_length(list); i++) {
        json_object *x = json_object_array_get_idx(list, i), *v = NULL;
        if (!json_object_object_get_ex(x, "mac", &v) || strcmp(json_object_get_string(v), mac))
            continue;
        if (json_object_object_get_ex(x, "address", &v) &&
            strcmp(json_object_get_string(v), cidr) == 0)
            found = true;
    }
    json_object_put(top);
    if (!found)
        fail_msg("domifaddr --json lacks %s on %s:\n%s", cidr, mac, out);
}

/* How often @text occurs in the guest's console log. */
static int
console_count(const fixture *f, const char *text)
{
    _cleanup_free_ char *path = vp_asprintf("%s/console.log", f->root);
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    int n = 0;
    char line[1024];
    while (fgets(line, sizeof(line), fp))
        n += strstr(line, text) != NULL;
    fclose(fp);
    return n;
}

/* The QEMU of @pid runs slirp restricted: its command line says so. */
static void
assert_restricted(pid_t pid)
{
    _cleanup_free_ char *path = vp_asprintf("/proc/%d/cmdline", (int)pid);
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    char buf[16384];
    size_t n = fread(buf, 1, sizeof(buf) - 1, fp);
    fclose(fp);
    bool found = false;
    for (size_t i = 0; i < n; i += strlen(buf + i) + 1) {
        buf[n] = '\0';
        if (strcmp(buf + i, "user,id=hostnet0,restrict=on") == 0)
            found = true;
    }
    assert_true(found);
}

static void
test_guest_dhcp_and_reboot(void **state)
{
    fixture *f = *state;
    copy_disk(f);
    char xml[8192];
    assert_int_equal(vp_test_guest_xml(xml, sizeof(xml), "kvm", "tiny", guest_dir, f->root, NIC),
                     0);
    vp_domain *dom = NULL;
    assert_int_equal(vp_domain_define_xml(f->conn, xml, 0, &dom), 0);
    _cleanup_free_ char *mac = domain_mac(dom);
    assert_int_equal(vp_domain_start(dom, 0), 0);
    pid_t pid = qt_pid(f->root, "tiny");
    assert_true(pid > 0);
    assert_restricted(pid);
    _cleanup_free_ char *uri = qt_uri(f->root, NULL);

    _cleanup_free_ char *first = wait_boot_id(dom, NULL);
    _cleanup_free_ char *addr = wait_address(uri, mac);
    assert_json_address(uri, mac, addr);
    assert_int_equal(console_count(f, "GUEST: ready"), 1);

    /* vpsh reboot: qemu-ga runs the guest's /sbin/shutdown -r, the kernel
     * restarts, QEMU resets the machine and boots the guest again. */
    const char *reboot[] = {vpsh_path(), "-c", uri, "reboot", "tiny", NULL};
    _cleanup_free_ char *out = NULL;
    assert_int_equal(qt_run_capture(reboot, &out), 0);
    assert_non_null(strstr(out, "Domain 'tiny' is being rebooted"));
    _cleanup_free_ char *second = wait_boot_id(dom, first);
    assert_int_equal(qt_pid(f->root, "tiny"), pid);
    assert_true(kill(pid, 0) == 0);
    qt_assert_state(dom, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_BOOTED);
    assert_int_equal(console_count(f, "GUEST: shutdown: reboot"), 1);
    assert_int_equal(console_count(f, "GUEST: ready"), 2);
    _cleanup_free_ char *again = wait_address(uri, mac);
    assert_true(in_slirp_net(again));

    assert_int_equal(vp_domain_destroy(dom, 0), 0);
    assert_true(qt_wait_pid_gone(pid, 5000));
    assert_int_equal(vp_domain_undefine(dom, 0), 0);
    vp_domain_free(dom);
}

int
main(int argc, char **argv)
{
    int r = qt_main_start(argc, argv, QEMU_BINARY);
    if (r >= 0)
        return r;
    r = vp_test_guest_prepare(&guest_dir);
    if (r != 0)
        return r == 77 ? 77 : 99;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_guest_dhcp_and_reboot, setup, teardown),
    };
    r = cmocka_run_group_tests(tests, NULL, NULL);
    free(guest_dir);
    return r;
}
