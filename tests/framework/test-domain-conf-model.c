/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-domain-conf-model.c: tests of the declared domain model
 * (framework/conf/model-*.c) through the test driver, which models all of
 * it, and of the 1.0 parser's refusal of what a 1.0 driver cannot run.
 *
 * The corpus test defines every file of tests/data/libvirt/ (inputs that
 * libvirt 9.0 accepts, see its README) on test:///default, prints how many
 * define and fails under 90%; every accepted file must come back from
 * dumpxml with every element, attribute and text of the input (no loss),
 * and dumpxml must be stable when its output is defined again.
 */
#include <config.h>

#include <ctype.h>
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include <virtplug/virtplug.h>
#include <virtplug/sdk/alloc.h>
#include <virtplug/sdk/conf.h>
#include <virtplug/sdk/driver.h>

#include "test-assert.h"

#define CORPUS "tests/data/libvirt/qemuxml2argvdata"

static char *
read_file(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        fail_msg("cannot open '%s'", path);
    char *data = vp_new0(char, 1 << 20);
    size_t n = fread(data, 1, (1 << 20) - 1, f);
    fclose(f);
    data[n] = '\0';
    return data;
}

static bool
is_size(const xmlNode *n)
{
    static const char *const sizes[] = {"memory", "currentMemory", "maxMemory", NULL};
    for (size_t i = 0; sizes[i]; i++)
        if (n->parent && n->parent->parent == NULL && strcmp((const char *)n->name, sizes[i]) == 0)
            return true;
    return false;
}

static bool
same_name(const xmlNode *a, const xmlNode *b)
{
    if (strcmp((const char *)a->name, (const char *)b->name) != 0)
        return false;
    if (!a->ns || !b->ns)
        return !a->ns && !b->ns;
    return strcmp((const char *)a->ns->href, (const char *)b->ns->href) == 0;
}

/* The k-th child element of @parent with @like's name, or NULL. */
static xmlNode *
nth_like(xmlNode *parent, const xmlNode *like, int k)
{
    for (xmlNode *c = parent->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && same_name(c, like) && k-- == 0)
            return c;
    return NULL;
}

static char *
own_text(const xmlNode *n)
{
    for (const xmlNode *c = n->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            return NULL;
    xmlChar *t = xmlNodeGetContent(n);
    /* Blank text around child elements is layout, not content. */
    bool blank = strspn((const char *)t, " \t\r\n") == strlen((const char *)t);
    char *s = blank ? NULL : vp_strdup((const char *)t);
    xmlFree(t);
    return s;
}

/* The values libvirt writes in its own spelling: "element@attribute",
 * "element@" for the text. */
static const char *const cpusets[] = {
    "vcpu@cpuset",        "vcpupin@cpuset",  "emulatorpin@cpuset",
    "iothreadpin@cpuset", "vcpusched@vcpus", "iothreadsched@iothreads",
    "memory@nodeset",     "memnode@nodeset", "page@nodeset",
    "cell@cpus",          "nodemask@",       NULL};
static const char *const macs[] = {"mac@address", NULL};
static const char *const uuids[] = {"uuid@", "secret@uuid", "address@uuid", NULL};

static bool
is_kind(const char *const *kind, const xmlNode *n, const char *attr)
{
    _cleanup_free_ char *key = vp_asprintf("%s@%s", (const char *)n->name, attr ? attr : "");
    for (size_t i = 0; kind[i]; i++)
        if (strcmp(kind[i], key) == 0)
            return true;
    return false;
}

/* The numbers of a cpuset ("0-3,^2,8"), as flags in @set (16384 of them). */
static void
cpuset_expand(const char *s, char *set)
{
    memset(set, 0, 16384);
    while (*s) {
        while (*s == ' ' || *s == ',')
            s++;
        bool neg = *s == '^';
        char *end = NULL;
        long a = strtol(s + neg, &end, 10), b = a;
        if (*end == '-')
            b = strtol(end + 1, &end, 10);
        for (long i = a; i >= 0 && i <= b && i < 16384; i++)
            set[i] = !neg;
        s = end > s ? end : s + 1;
    }
}

/* Whether @in and @out are the same value of @n's attribute @attr (NULL:
 * its text): equal, or the same MAC address, uuid or set of numbers in
 * libvirt's spelling. */
static bool
same_value(const xmlNode *n, const char *attr, const char *in, const char *out)
{
    if (is_kind(cpusets, n, attr)) {
        char *a = vp_new0(char, 16384), *b = vp_new0(char, 16384);
        cpuset_expand(in, a);
        cpuset_expand(out, b);
        bool same = memcmp(a, b, 16384) == 0;
        free(a);
        free(b);
        return same;
    }
    unsigned x[6], y[6];
    if (is_kind(macs, n, attr) &&
        sscanf(in, "%x:%x:%x:%x:%x:%x", &x[0], &x[1], &x[2], &x[3], &x[4], &x[5]) == 6 &&
        sscanf(out, "%x:%x:%x:%x:%x:%x", &y[0], &y[1], &y[2], &y[3], &y[4], &y[5]) == 6)
        return memcmp(x, y, sizeof(x)) == 0;
    if (is_kind(uuids, n, attr)) {
        char a[64] = "", b[64] = "";
        for (size_t i = 0, k = 0; in[i] && k < 63; i++)
            if (isxdigit((unsigned char)in[i]))
                a[k++] = (char)tolower((unsigned char)in[i]);
        for (size_t i = 0, k = 0; out[i] && k < 63; i++)
            if (isxdigit((unsigned char)out[i]))
                b[k++] = (char)tolower((unsigned char)out[i]);
        return strcmp(a, b) == 0;
    }
    return strcmp(in, out) == 0;
}

/* Everything of @in is in @out: its attributes with their values, its
 * text, and (recursively) its child elements, the k-th <x> of @in as the
 * k-th <x> of @out. Sizes are compared after libvirt's normalisation to
 * KiB by their own unit tests, not here; MAC addresses, uuids and cpusets
 * as values (same_value). Returns a description of the first loss, or
 * NULL. */
static char *
lost(xmlNode *in, xmlNode *out, const char *path)
{
    _cleanup_free_ char *here = vp_asprintf("%s/%s", path, (const char *)in->name);
    for (xmlAttr *a = in->properties; a; a = a->next) {
        if (is_size(in) && strcmp((const char *)a->name, "unit") == 0)
            continue;
        xmlChar *vi = xmlGetProp(in, a->name), *vo = xmlGetProp(out, a->name);
        bool ok = vo && same_value(in, (const char *)a->name, (const char *)vi, (const char *)vo);
        char *msg = ok ? NULL
                       : vp_asprintf("%s@%s='%s' became '%s'", here, (const char *)a->name,
                                     (const char *)vi, vo ? (const char *)vo : "(nothing)");
        xmlFree(vi);
        xmlFree(vo);
        if (msg)
            return msg;
    }
    _cleanup_free_ char *ti = own_text(in), *to = own_text(out);
    if (ti && !is_size(in) && (!to || !same_value(in, NULL, ti, to)))
        return vp_asprintf("%s text '%s' became '%s'", here, ti, to ? to : "(nothing)");
    for (xmlNode *c = in->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        int k = 0;
        for (xmlNode *p = in->children; p != c; p = p->next)
            k += p->type == XML_ELEMENT_NODE && same_name(p, c);
        xmlNode *o = nth_like(out, c, k);
        if (!o)
            return vp_asprintf("%s/%s (number %d) is missing", here, (const char *)c->name, k + 1);
        char *msg = lost(c, o, here);
        if (msg)
            return msg;
    }
    return NULL;
}

static char *
check_no_loss(const char *input, const char *output)
{
    xmlDoc *a = xmlReadMemory(input, (int)strlen(input), NULL, NULL, XML_PARSE_NONET);
    xmlDoc *b = xmlReadMemory(output, (int)strlen(output), NULL, NULL, XML_PARSE_NONET);
    char *msg = !a || !b ? vp_strdup("unreadable XML")
                         : lost(xmlDocGetRootElement(a), xmlDocGetRootElement(b), "");
    xmlFreeDoc(a);
    xmlFreeDoc(b);
    return msg;
}

/* Define @xml, fetch its XML; NULL and the error in *ret_err on refusal. */
static char *
define_dump(vp_conn *conn, const char *xml, char **ret_err)
{
    vp_domain *dom = NULL;
    char *out = NULL;
    if (vp_domain_define_xml(conn, xml, 0, &dom) < 0) {
        *ret_err = vp_strdup(vp_error_last()->message);
        return NULL;
    }
    /* With the secrets (virsh's dumpxml --security-info): nothing of the
     * definition may be lost, a graphics password included. */
    if (vp_domain_get_xml(dom, VP_DOMAIN_XML_SECURE, &out) < 0)
        fail_msg("dumpxml failed: %s", vp_error_last()->message);
    vp_domain_free(dom);
    return out;
}

/* The passwd attributes of the <graphics> elements of @n and below
 * removed. */
static void
strip_passwords(xmlNode *n)
{
    if (!n->ns && strcmp((const char *)n->name, "graphics") == 0)
        xmlUnsetProp(n, (const xmlChar *)"passwd");
    for (xmlNode *c = n->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            strip_passwords(c);
}

/* What dumpxml without VP_DOMAIN_XML_SECURE must give for @xml, dumpxml's
 * output with the secrets: the same less the graphics passwords, as
 * libvirt hides them. (transfer full) */
static char *
without_passwords(const char *xml)
{
    xmlDoc *d = xmlReadMemory(xml, (int)strlen(xml), NULL, NULL, XML_PARSE_NONET);
    assert_non_null(d);
    strip_passwords(xmlDocGetRootElement(d));
    xmlChar *buf = NULL;
    int len = 0;
    xmlDocDumpMemory(d, &buf, &len);
    char *out = vp_strdup((const char *)buf);
    xmlFree(buf);
    xmlFreeDoc(d);
    return out;
}

/* dumpxml of the domain named in @xml_out without the secrets; NULL and a
 * failure counted when it differs from @xml_out less its passwords. */
static bool
hides_secrets(vp_conn *conn, const char *xml_out, const char *file)
{
    const char *s = strstr(xml_out, "<name>");
    const char *e = s ? strstr(s, "</name>") : NULL;
    assert_non_null(e);
    _cleanup_free_ char *name = vp_strndup(s + 6, (size_t)(e - s - 6));
    vp_domain *dom = NULL;
    char *hidden = NULL;
    assert_int_equal(vp_domain_lookup_by_name(conn, name, &dom), 0);
    if (vp_domain_get_xml(dom, 0, &hidden) < 0)
        fail_msg("dumpxml of %s failed: %s", file, vp_error_last()->message);
    vp_domain_free(dom);
    _cleanup_free_ char *want = without_passwords(xml_out);
    _cleanup_free_ char *lost_more = check_no_loss(want, hidden);
    _cleanup_free_ char *kept = check_no_loss(hidden, want);
    if (lost_more || kept)
        printf("FAIL %s: dumpxml without secrets: %s\n", file, lost_more ? lost_more : kept);
    free(hidden);
    return !lost_more && !kept;
}

static void
undefine(vp_conn *conn, const char *xml_out)
{
    const char *s = strstr(xml_out, "<name>");
    const char *e = s ? strstr(s, "</name>") : NULL;
    assert_non_null(e);
    _cleanup_free_ char *name = vp_strndup(s + 6, (size_t)(e - s - 6));
    vp_domain *dom = NULL;
    assert_int_equal(vp_domain_lookup_by_name(conn, name, &dom), 0);
    assert_int_equal(vp_domain_undefine(dom, 0), 0);
    vp_domain_free(dom);
}

static void
test_corpus(void **state)
{
    (void)state;
    const char *top = secure_getenv("VP_TOP_SRCDIR");
    _cleanup_free_ char *dir = vp_asprintf("%s/" CORPUS, top ? top : "..");
    DIR *d = opendir(dir);
    if (!d)
        fail_msg("cannot open '%s'", dir);
    vp_conn *conn = NULL;
    assert_int_equal(vp_conn_open("test:///default", 0, &conn), 0);
    unsigned total = 0, defined = 0, failures = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (!strstr(e->d_name, ".xml"))
            continue;
        _cleanup_free_ char *path = vp_asprintf("%s/%s", dir, e->d_name);
        _cleanup_free_ char *in = read_file(path);
        _cleanup_free_ char *err = NULL;
        total++;
        _cleanup_free_ char *out = define_dump(conn, in, &err);
        if (!out) {
            printf("refused %s: %s\n", e->d_name, err);
            continue;
        }
        defined++;
        _cleanup_free_ char *loss = check_no_loss(in, out);
        if (loss) {
            printf("FAIL %s: dumpxml lost %s\n", e->d_name, loss);
            failures++;
        }
        /* Without the secrets: the same, less the graphics passwords. */
        failures += !hides_secrets(conn, out, e->d_name);
        undefine(conn, out);
        /* Defining dumpxml's output again changes nothing. */
        _cleanup_free_ char *again = define_dump(conn, out, &err);
        if (!again) {
            printf("FAIL %s: dumpxml's output is refused: %s\n", e->d_name, err);
            failures++;
            continue;
        }
        if (strcmp(out, again) != 0) {
            printf("FAIL %s: dumpxml is not stable:\n%s\n---\n%s\n", e->d_name, out, again);
            failures++;
        }
        undefine(conn, again);
    }
    closedir(d);
    vp_conn_close(conn);
    printf("libvirt corpus: %u of %u files define on test:///default (%.1f%%)\n", defined, total,
           total ? 100.0 * defined / total : 0.0);
    assert_int_equal(failures, 0);
    assert_true(total >= 100);
    assert_true(defined * 10 >= total * 9);
}

#define DOM(body)                                                                                  \
    "<domain type='test'>\n  <name>m</name>\n  <memory unit='MiB'>1</memory>\n"                    \
    "  <os><type>hvm</type></os>\n" body "</domain>\n"

/* Define @xml on a fresh test:///default and return dumpxml's text. */
static char *
dump_ok(const char *xml)
{
    vp_conn *conn = NULL;
    assert_int_equal(vp_conn_open("test:///default", 0, &conn), 0);
    char *err = NULL;
    char *out = define_dump(conn, xml, &err);
    if (!out)
        fail_msg("define failed: %s", err);
    vp_conn_close(conn);
    return out;
}

static void
assert_refused(const char *xml, const char *k1, const char *k2)
{
    vp_conn *conn = NULL;
    assert_int_equal(vp_conn_open("test:///default", 0, &conn), 0);
    vp_domain *dom = NULL;
    assert_int_equal(vp_domain_define_xml(conn, xml, 0, &dom), VP_ERR_XML);
    const char *msg = vp_error_last()->message;
    if (!strstr(msg, k1) || !strstr(msg, k2))
        fail_msg("message '%s' lacks '%s' or '%s'", msg, k1, k2);
    vp_conn_close(conn);
}

static void
assert_has(const char *text, const char *part)
{
    if (!strstr(text, part))
        fail_msg("'%s' not in:\n%s", part, text);
}

/* The test driver refuses what the model does not declare, by name and line. */
static void
test_refusals(void **state)
{
    (void)state;
    assert_refused(DOM("  <devices>\n    <frobnicator/>\n  </devices>\n"),
                   "line 6:", "unknown element <frobnicator> in <devices>");
    assert_refused(DOM("  <devices>\n    <disk type='file' colour='red'/>\n  </devices>\n"),
                   "line 6:", "unknown attribute 'colour' on <disk>");
    assert_refused(DOM("  <devices><disk type='tape'><target dev='vda'/></disk></devices>\n"),
                   "invalid value 'tape' for attribute 'type' of <disk>", "'file', 'block'");
    assert_refused(DOM("  <devices><disk><target/></disk></devices>\n"),
                   "<target> needs the attribute 'dev'", "line 5:");
    assert_refused(DOM("  <vcpu cpuset='0-1'>two</vcpu>\n"), "invalid value 'two' for <vcpu>",
                   "number");
    assert_refused(DOM("  <pm/><pm/>\n"), "element <pm> appears more than once", "<domain>");
    assert_refused(DOM("  <features><acpi/><warp/></features>\n"), "unknown element <warp>",
                   "<features>");
    assert_refused("<domain type='test'><name>m</name><os><type>hvm</type></os></domain>",
                   "needs a <memory>", "line 1:");
}

/* What virt-install and virsh dumpxml write comes back whole, in
 * libvirt's order, with libvirt's normalisations. */
static void
test_round_trip(void **state)
{
    (void)state;
    _cleanup_free_ char *out = dump_ok(
        DOM("  <metadata>\n    <libosinfo:libosinfo "
            "xmlns:libosinfo='http://libosinfo.org/xmlns/libvirt/domain/1.0'>\n"
            "      <libosinfo:os id='http://debian.org/debian/12'/>\n"
            "    </libosinfo:libosinfo>\n  </metadata>\n"
            "  <vcpu placement='static' cpuset='0-3' current='1'>2</vcpu>\n"
            "  <devices>\n"
            "    <interface type='network'><mac address='52:54:00:aa:bb:cc'/>"
            "<source network='default'/><model type='virtio'/></interface>\n"
            "    <disk type='block' device='disk'><driver name='qemu' type='raw' cache='none' "
            "io='native' discard='unmap'/><source dev='/dev/vg/m'/><target dev='vda' bus='virtio'/>"
            "</disk>\n"
            "    <console type='pty'/>\n"
            "    <memballoon model='none'/>\n"
            "  </devices>\n"
            "  <features><acpi/><apic/><vmport state='off'/></features>\n"
            "  <clock offset='utc'><timer name='rtc' tickpolicy='catchup'/></clock>\n"));
    assert_has(out, "<libosinfo:os id=\"http://debian.org/debian/12\"/>");
    assert_has(out, "<memory unit='KiB'>1024</memory>");
    assert_has(out, "<currentMemory unit='KiB'>1024</currentMemory>");
    assert_has(out, "<vcpu placement='static' cpuset='0-3' current='1'>2</vcpu>");
    assert_has(out, "discard='unmap'");
    assert_has(out, "<memballoon model='none'/>");
    assert_has(out, "<uuid>");
    /* libvirt's order: <features> and <clock> before <devices>, the disk
     * before the interface. */
    assert_true(strstr(out, "<clock") < strstr(out, "<devices>"));
    assert_true(strstr(out, "<disk") < strstr(out, "<interface"));
    /* The console without a serial port gets one, which it aliases. */
    assert_has(out, "<serial type='pty'>\n      <target port='0'/>");
    assert_has(out, "<console type='pty'>\n      <target type='serial' port='0'/>");
}

/* MAC addresses, uuids and cpusets are checked as libvirt checks them and
 * written as libvirt writes them; a bad one is refused with its line, the
 * attribute and the value. */
static void
test_typed_values(void **state)
{
    (void)state;
    _cleanup_free_ char *out =
        dump_ok("<domain type='test'>\n  <name>t</name>\n"
                "  <uuid>8F3A47E21C4B4D8E9A550B6E2F7C1D90</uuid>\n"
                "  <memory unit='MiB'>1</memory>\n"
                "  <vcpu cpuset='0-3,^2,8'>2</vcpu>\n"
                "  <cputune><vcpupin vcpu='0' cpuset=' 1 , 3-4,5,'/></cputune>\n"
                "  <numatune><memory nodeset='0'/></numatune>\n"
                "  <os><type>hvm</type></os>\n"
                "  <devices><interface type='user'><mac address='52:54:0:AA:B:0c'/></interface>"
                "<hostdev mode='subsystem' type='pci'><source><address domain='0x0000' bus='0x06' "
                "slot='0x12' function='0x5'/></source></hostdev></devices>\n"
                "</domain>\n");
    assert_has(out, "<uuid>8f3a47e2-1c4b-4d8e-9a55-0b6e2f7c1d90</uuid>");
    assert_has(out, "cpuset='0-1,3,8'>2</vcpu>");
    assert_has(out, "<vcpupin vcpu='0' cpuset='1,3-5'/>");
    assert_has(out, "<memory nodeset='0'/>");
    assert_has(out, "<mac address='52:54:00:aa:0b:0c'/>");
    assert_has(out, "<address domain='0x0000' bus='0x06' slot='0x12' function='0x5'/>");
    static const struct {
        const char *body, *k1, *k2;
    } bad[] = {
        {"  <vcpu cpuset='0-'>1</vcpu>\n",
         "line 5: invalid value '0-' for attribute 'cpuset' of <vcpu>", "such as '0-3,^2,8'"},
        {"  <vcpu cpuset='3-1'>1</vcpu>\n", "invalid value '3-1'", "such as '0-3,^2,8'"},
        {"  <vcpu cpuset='1,^1'>1</vcpu>\n", "invalid value '1,^1'", "the set is empty"},
        {"  <vcpu cpuset='16384'>1</vcpu>\n", "invalid value '16384'", "up to 16383"},
        {"  <numatune><memnode cellid='0' nodeset='x'/></numatune>\n",
         "attribute 'nodeset' of <memnode>", "such as '0-3,^2,8'"},
        {"  <devices><interface type='user'><mac address='52:54:00:aa:bb'/></interface>"
         "</devices>\n",
         "line 5: invalid value '52:54:00:aa:bb' for attribute 'address' of <mac>",
         "expected a MAC address such as '52:54:00:12:34:56'"},
        {"  <devices><interface type='user'><mac address='52:54:00:aa:bb:1cc'/></interface>"
         "</devices>\n",
         "invalid value '52:54:00:aa:bb:1cc'", "expected a MAC address"},
        {"  <devices><interface type='user'><mac address='01:00:5e:00:00:01'/></interface>"
         "</devices>\n",
         "invalid value '01:00:5e:00:00:01' for attribute 'address' of <mac>", "multicast"},
        {"  <uuid>8f3a47e2-1c4b</uuid>\n", "line 5: invalid value '8f3a47e2-1c4b' for <uuid>",
         "32 hexadecimal digits"},
        {"  <devices><hostdev mode='subsystem' type='pci'><source><address bus='six'/></source>"
         "</hostdev></devices>\n",
         "invalid value 'six' for attribute 'bus' of <address>", "expected a number"},
        {"  <devices><controller type='pci' model='pcie-root-port'><target port='p1'/>"
         "</controller></devices>\n",
         "invalid value 'p1' for attribute 'port' of <target>", "expected a number"},
        {"  <cpu><numa><cell id='0' cpus='0' memory='1G'/></numa></cpu>\n",
         "invalid value '1G' for attribute 'memory' of <cell>", "expected a number"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        _cleanup_free_ char *xml = vp_asprintf(DOM("%s"), bad[i].body);
        assert_refused(xml, bad[i].k1, bad[i].k2);
    }
}

/* A 1.0 driver (any plugin parsing with vp_plugin_domain_def_parse, such
 * as qemu) gets what it cannot run refused with a message that says so,
 * never silently dropped. */
static void
test_v10_refuses(void **state)
{
    (void)state;
    vp_domain_def *def = NULL;
    assert_int_equal(vp_plugin_domain_def_parse(DOM("  <devices><interface type='network'/>"
                                                    "</devices>\n"),
                                                0, &def),
                     VP_ERR_XML);
    assert_null(def);
    const char *msg = vp_error_last()->message;
    assert_non_null(strstr(msg, "<interface> in <devices> is not supported by this driver"));
    assert_non_null(strstr(msg, "1.0 subset"));
    assert_int_equal(vp_plugin_domain_def_parse(DOM("  <pm/>\n"), 0, &def), VP_ERR_XML);
    assert_non_null(strstr(vp_error_last()->message, "<pm> in <domain> is not supported"));
    /* What the model does not know either stays "unknown". */
    assert_int_equal(vp_plugin_domain_def_parse(DOM("  <warp/>\n"), 0, &def), VP_ERR_XML);
    assert_non_null(strstr(vp_error_last()->message, "unknown element <warp>"));
}

/* vp_plugin_domain_model_parse(): a driver's own table, as the core
 * checks a define against it: what it declares reads back whole, what it
 * does not is refused naming the driver. */
static void
test_driver_parse(void **state)
{
    (void)state;
    static const vp_plugin_domain_cap table[] = {
        {"@type", "test"},  {"name", NULL},
        {"uuid", NULL},     {"memory/@unit", NULL},
        {"os/type", "hvm"}, {"devices/watchdog/@model", "i6300esb"},
        {NULL, NULL}};
    vp_domain_model *model = NULL;
    int r = vp_plugin_domain_model_parse(DOM("  <devices><watchdog model='i6300esb'/></devices>\n"),
                                         "tdrv", table, NULL, &model);
    if (r < 0)
        fail_msg("%s", vp_error_last()->message);
    assert_string_equal(vp_plugin_domain_model_get(model, "devices/watchdog/@model"), "i6300esb");
    vp_plugin_domain_model_free(model);
    model = NULL;
    assert_int_equal(
        vp_plugin_domain_model_parse(DOM("  <devices><watchdog model='itco'/></devices>\n"), "tdrv",
                                     table, NULL, &model),
        VP_ERR_XML);
    assert_null(model);
    assert_non_null(strstr(vp_error_last()->message, "driver 'tdrv' does not support"));
    assert_int_equal(vp_plugin_domain_model_parse("<domain", "tdrv", table, NULL, &model),
                     VP_ERR_XML);
}

/* vp_plugin_xml_xpath(): node sets each formatted on their own, --wrap's
 * one <nodes>, nothing for no match; values, bad expressions, broken XML
 * and unknown flags are errors naming them. */
static void
test_xml_xpath(void **state)
{
    (void)state;
    const char *xml = "<domain><name>a</name>\n  <devices><disk dev='x'/><disk dev='y'/></devices>"
                      "</domain>";
    char **texts = NULL;
    size_t n = 9;
    assert_int_equal(vp_plugin_xml_xpath(xml, "//disk", 0, &texts, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(texts[0], "<disk dev=\"x\"/>");
    assert_string_equal(texts[1], "<disk dev=\"y\"/>");
    assert_null(texts[2]);
    for (size_t i = 0; i < n; i++)
        free(texts[i]);
    free(texts);
    assert_int_equal(vp_plugin_xml_xpath(xml, "//disk/@dev", VP_PLUGIN_XML_XPATH_WRAP, &texts, &n),
                     0);
    assert_int_equal(n, 1);
    assert_string_equal(texts[0], "<nodes dev=\"y\"/>");
    free(texts[0]);
    free(texts);
    assert_int_equal(vp_plugin_xml_xpath(xml, "//serial", 0, &texts, &n), 0);
    assert_int_equal(n, 0);
    assert_null(texts[0]);
    free(texts);
    vpt_assert_error(vp_plugin_xml_xpath(xml, "count(//disk)", 0, &texts, &n), VP_ERR_INVALID_ARG,
                     "'count(//disk)' gives a value");
    vpt_assert_error(vp_plugin_xml_xpath(xml, "//[", 0, &texts, &n), VP_ERR_INVALID_ARG,
                     "invalid XPath expression '//['");
    vpt_assert_error(vp_plugin_xml_xpath("<domain", "//a", 0, &texts, &n), VP_ERR_XML,
                     "cannot parse the XML to select '//a'");
    vpt_assert_error(vp_plugin_xml_xpath(xml, "//a", 2, &texts, &n), VP_ERR_INVALID_ARG,
                     "XPath flags 0x2");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_corpus),      cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_round_trip),  cmocka_unit_test(test_typed_values),
        cmocka_unit_test(test_v10_refuses), cmocka_unit_test(test_driver_parse),
        cmocka_unit_test(test_xml_xpath),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
