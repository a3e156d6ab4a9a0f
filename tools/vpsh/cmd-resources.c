/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * cmd-resources.c: the vpsh verbs that change a domain's memory, vCPUs,
 * description and title (setmem, setmaxmem, setvcpus, desc), declared in
 * cmd-domain.c's table.
 *
 * Owns virsh's forms of these verbs: SIZE as a scaled integer in KiB by
 * default ("1G", "512M", "1048576"), --config, --live and --current with
 * virsh's rules and words for the options that exclude or need each
 * other, and virsh's silence on success ({"domain", "result", ...} with
 * --json). It only calls the public API.
 */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>

#include "vpsh.h"

/* virsh's scaled integer: a number and an optional unit ("k", "KiB",
 * "KB", "M", "MiB", "MB", ..., "b"), KiB without one; *@ret_kib rounds
 * bytes up to KiB. */
static int
parse_size_kib(const char *text, uint64_t *ret_kib)
{
    static const char units[] = "kmgtpe";
    char *end;
    errno = 0;
    unsigned long long n = strtoull(text, &end, 10);
    if (!isdigit((unsigned char)*text) || errno)
        return -1;
    unsigned long long scale = 1024;
    if (*end) {
        const char *u = strchr(units, tolower((unsigned char)*end));
        bool bytes = strcasecmp(end, "b") == 0 || strcasecmp(end, "byte") == 0 ||
                     strcasecmp(end, "bytes") == 0;
        if (bytes) {
            scale = 1;
        } else if (!u ||
                   !(end[1] == '\0' || strcmp(end + 1, "iB") == 0 || strcmp(end + 1, "B") == 0)) {
            return -1;
        } else {
            unsigned long long base = end[1] == 'B' ? 1000 : 1024;
            scale = 1;
            for (long i = 0; i <= u - units; i++)
                scale *= base;
        }
    }
    if (n > ULLONG_MAX / scale)
        return -1;
    unsigned long long bytes = n * scale;
    *ret_kib = bytes / 1024 + (bytes % 1024 != 0);
    return 0;
}

/* The VP_DOMAIN_AFFECT_* of --config, --live and --current, with virsh's
 * refusals; -1 after printing one. Without any of them: @none (virsh's
 * setmem and setvcpus then call libvirt's older calls, which change the
 * running domain only; its setmaxmem's changes the current one). */
static int
affect_flags(vpsh_ctx *ctx, const vpsh_args *a, unsigned int none)
{
    bool config = vpsh_flag(a, "config"), live = vpsh_flag(a, "live");
    bool current = vpsh_flag(a, "current");
    if (current && (config || live)) {
        vpsh_usage(ctx->cmd, "Options --current and --%s are mutually exclusive",
                   live ? "live" : "config");
        return -1;
    }
    if (!current && !config && !live)
        return (int)none;
    return (config ? VP_DOMAIN_AFFECT_CONFIG : 0) | (live ? VP_DOMAIN_AFFECT_LIVE : 0);
}

static void
print_set(vpsh_ctx *ctx, vp_domain *dom, const char *key, unsigned long long value,
          unsigned int flags)
{
    if (!ctx->json)
        return;
    vpsh_json_begin_object(ctx->js, NULL);
    vpsh_json_string(ctx->js, "domain", vp_domain_get_name(dom));
    vpsh_json_string(ctx->js, "result", "set");
    vpsh_json_uint(ctx->js, key, value);
    vpsh_json_bool(ctx->js, "live", flags & VP_DOMAIN_AFFECT_LIVE);
    vpsh_json_bool(ctx->js, "config", flags & VP_DOMAIN_AFFECT_CONFIG);
    vpsh_json_end_object(ctx->js);
}

/* setmem and setmaxmem: DOMAIN SIZE. */
static int
cmd_setmem_common(vpsh_ctx *ctx, const vpsh_args *a, bool maximum)
{
    int affect = affect_flags(ctx, a, maximum ? VP_DOMAIN_AFFECT_CURRENT : VP_DOMAIN_AFFECT_LIVE);
    if (affect < 0)
        return VPSH_EXIT_USAGE;
    _cleanup_(vp_domain_freep) vp_domain *dom = NULL;
    if (vpsh_domain(ctx, a->pos[0], &dom) != 0)
        return VPSH_EXIT_FAIL;
    uint64_t kib;
    if (parse_size_kib(a->pos[1], &kib) < 0)
        return vpsh_failf(
            "Scaled numeric value '%s' for <size> option is malformed or out of range", a->pos[1]);
    if (kib == 0 && !maximum)
        return vpsh_failf("memory in virDomainSetMemoryFlags must not be zero");
    unsigned int flags = (unsigned int)affect | (maximum ? VP_DOMAIN_MEM_MAXIMUM : 0);
    if (vp_domain_set_memory_flags(dom, kib, flags) < 0) {
        if (maximum)
            vpsh_failf("Unable to change MaxMemorySize");
        return vpsh_fail();
    }
    print_set(ctx, dom, maximum ? "max_memory_kib" : "memory_kib", kib, flags);
    return VPSH_EXIT_OK;
}

int
vpsh_cmd_setmem(vpsh_ctx *ctx, const vpsh_args *a)
{
    return cmd_setmem_common(ctx, a, false);
}

int
vpsh_cmd_setmaxmem(vpsh_ctx *ctx, const vpsh_args *a)
{
    return cmd_setmem_common(ctx, a, true);
}

int
vpsh_cmd_setvcpus(vpsh_ctx *ctx, const vpsh_args *a)
{
    int affect = affect_flags(ctx, a, VP_DOMAIN_AFFECT_LIVE);
    if (affect < 0)
        return VPSH_EXIT_USAGE;
    bool maximum = vpsh_flag(a, "maximum");
    if (maximum && !(affect & VP_DOMAIN_AFFECT_CONFIG))
        return vpsh_usage(ctx->cmd, "Option --config is required by option --maximum");
    _cleanup_(vp_domain_freep) vp_domain *dom = NULL;
    if (vpsh_domain(ctx, a->pos[0], &dom) != 0)
        return VPSH_EXIT_FAIL;
    char *end;
    errno = 0;
    unsigned long n = strtoul(a->pos[1], &end, 10);
    if (!isdigit((unsigned char)a->pos[1][0]) || *end || errno || n > INT_MAX)
        return vpsh_failf("Numeric value '%s' for <count> option is malformed or out of range",
                          a->pos[1]);
    if (n == 0)
        return vpsh_failf("Can't set 0 processors for a VM");
    unsigned int flags = (unsigned int)affect | (maximum ? VP_DOMAIN_VCPU_MAXIMUM : 0);
    if (vp_domain_set_vcpus_flags(dom, (unsigned int)n, flags) < 0)
        return vpsh_fail();
    print_set(ctx, dom, maximum ? "max_vcpus" : "vcpus", n, flags);
    return VPSH_EXIT_OK;
}

#define AFFECT_OPTS                                                                                \
    {"config", NULL, false, "change the definition the next start uses", NULL},                    \
        {"live", NULL, false, "change the running domain", NULL},                                  \
    {                                                                                              \
        "current", NULL, false, "change the running domain if it runs, else its definition", NULL  \
    }

const vpsh_opt vpsh_setmem_opts[] = {
    AFFECT_OPTS,
    {NULL, NULL, false, NULL, NULL},
};

const vpsh_opt vpsh_setvcpus_opts[] = {
    AFFECT_OPTS,
    {"maximum", NULL, false, "change the most vCPUs the domain may have (with --config)", NULL},
    {"guest", NULL, false, NULL, "vCPUs are not changed inside the guest (agent) yet"},
    {"hotpluggable", NULL, false, NULL, "vCPUs are not hotplugged yet"},
    {NULL, NULL, false, NULL, NULL},
};

/* desc DOMAIN [TEXT...]: the description or (--title) the title, read or
 * set as virsh's: the words after DOMAIN, or --new-desc, are the new
 * text ("" removes it). */
static int
desc_set(vpsh_ctx *ctx, vp_domain *dom, int type, const char *text, unsigned int flags)
{
    if (ctx->readonly)
        return vpsh_failf(
            "command 'desc' with a new text changes state; refused by -r (--readonly)");
    if (vp_domain_set_metadata(dom, type, text, flags) < 0)
        return vpsh_fail();
    bool title = type == VP_DOMAIN_METADATA_TITLE;
    if (ctx->json) {
        vpsh_json_begin_object(ctx->js, NULL);
        vpsh_json_string(ctx->js, "domain", vp_domain_get_name(dom));
        vpsh_json_string(ctx->js, "result", "updated");
        vpsh_json_string(ctx->js, title ? "title" : "description", *text ? text : NULL);
        vpsh_json_end_object(ctx->js);
    } else {
        vpsh_extra(ctx, "Domain %s updated successfully\n", title ? "title" : "description");
    }
    return VPSH_EXIT_OK;
}

int
vpsh_cmd_desc(vpsh_ctx *ctx, const vpsh_args *a)
{
    int affect = affect_flags(ctx, a, VP_DOMAIN_AFFECT_CURRENT);
    if (affect < 0)
        return VPSH_EXIT_USAGE;
    _cleanup_(vp_domain_freep) vp_domain *dom = NULL;
    if (vpsh_domain(ctx, a->pos[0], &dom) != 0)
        return VPSH_EXIT_FAIL;
    int type = vpsh_flag(a, "title") ? VP_DOMAIN_METADATA_TITLE : VP_DOMAIN_METADATA_DESCRIPTION;
    const char *what = type == VP_DOMAIN_METADATA_TITLE ? "title" : "description";
    const char *new_desc = vpsh_opt_value(a, "new-desc");
    if (new_desc || a->npos > 1) {
        _cleanup_free_ char *words = vp_strdup(new_desc ? new_desc : "");
        for (size_t i = 1; i < a->npos; i++) {
            char *next = vp_asprintf("%s%s%s", words, *words ? " " : "", a->pos[i]);
            free(words);
            words = next;
        }
        return desc_set(ctx, dom, type, words, (unsigned int)affect);
    }
    _cleanup_free_ char *text = NULL;
    unsigned int get_flags = (affect & VP_DOMAIN_AFFECT_CONFIG) ? VP_DOMAIN_AFFECT_CONFIG : 0;
    if (vp_domain_get_metadata(dom, type, get_flags, &text) < 0)
        return vpsh_fail();
    if (ctx->json) {
        vpsh_json_begin_object(ctx->js, NULL);
        vpsh_json_string(ctx->js, "domain", vp_domain_get_name(dom));
        vpsh_json_string(ctx->js, what, text);
        vpsh_json_end_object(ctx->js);
    } else if (text) {
        printf("%s\n", text);
    } else {
        printf("No %s for domain: %s\n", what, vp_domain_get_name(dom));
    }
    return VPSH_EXIT_OK;
}

const vpsh_opt vpsh_desc_opts[] = {
    AFFECT_OPTS,
    {"title", NULL, false, "the title (one line) instead of the description", NULL},
    {"new-desc", "TEXT", false, "the new text (\"\" removes it); also the words after DOMAIN",
     NULL},
    {"edit", NULL, false, NULL, "the text is not edited in an editor yet; give --new-desc"},
    {NULL, NULL, false, NULL, NULL},
};
