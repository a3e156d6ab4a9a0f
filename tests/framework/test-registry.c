/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-registry.c: tests of framework/registry.c (vp_registry_*).
 *
 * The registry lists the built-in drivers and every NAME.so of the plugin
 * directory, refused ones with the loader's error, and says which slots a
 * plugin fills. Plugin files come from tests/framework/plugins (see
 * test-loader.c); the loader caches plugins by name per process, so each
 * case uses plugins no other case loads.
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <virtplug/sdk/driver.h>
#include <virtplug/sdk/plugin.h>
#include <virtplug/virtplug.h>

#include "plugins/plugin-dir.h"

#define SLOT_BIT(field) (UINT64_C(1) << (offsetof(vp_hypervisor_driver, field) / sizeof(void *)))

static int
setup_dir(void **state)
{
    *state = pd_new();
    return 0;
}

static int
teardown_dir(void **state)
{
    pd_free(*state);
    return 0;
}

static void
test_list(void **state)
{
    const char *dir = *state;
    assert_int_equal(pd_install(dir, "lt-good", NULL, 0644), 0);
    assert_int_equal(pd_install(dir, "lt-badmagic", NULL, 0644), 0);
    /* Not plugin files: ignored. */
    assert_int_equal(pd_install(dir, "lt-minor", ".hidden", 0644), 0);
    _cleanup_free_ char *notes = vp_asprintf("%s/notes.txt", dir);
    FILE *f = fopen(notes, "w");
    assert_non_null(f);
    fclose(f);

    vp_registry_entry **entries = NULL;
    assert_int_equal(vp_registry_list(0, &entries), 3);
    assert_null(vp_error_last());
    /* Built-in drivers first, then the directory's files by name. */
    assert_string_equal(entries[0]->name, "test");
    assert_null(entries[0]->path);
    assert_int_equal(entries[0]->error_code, 0);

    assert_string_equal(entries[1]->name, "lt-badmagic");
    assert_int_equal(entries[1]->error_code, VP_ERR_PLUGIN_INVALID);
    assert_non_null(strstr(entries[1]->error_message, "bad descriptor magic"));
    assert_null(entries[1]->version);

    const vp_registry_entry *good = entries[2];
    assert_string_equal(good->name, "lt-good");
    _cleanup_free_ char *path = vp_asprintf("%s/lt-good.so", dir);
    assert_string_equal(good->path, path);
    assert_int_equal(good->error_code, 0);
    assert_null(good->error_message);
    assert_string_equal(good->version, "0.1");
    assert_string_equal(good->license, "MIT");
    assert_string_equal(good->package, "virtplug-plugin-lt-good");
    assert_int_equal(good->abi_major, VP_PLUGIN_ABI_MAJOR);
    assert_int_equal(good->kinds, VP_PLUGIN_KIND_HYPERVISOR);
    const unsigned int n_slots = sizeof(vp_hypervisor_driver) / sizeof(void *);
    assert_int_equal(good->n_hypervisor_slots, n_slots < 64 ? n_slots : 64);
    assert_int_equal(good->hypervisor_slots, SLOT_BIT(conn_open) | SLOT_BIT(conn_close) |
                                                 SLOT_BIT(conn_list_domains) |
                                                 SLOT_BIT(domain_lookup));
    assert_int_equal(good->hostpower_slots, 0);
    /* Every slot, past the 64 the 1.0 masks hold too. */
    assert_int_equal(vp_registry_slot_count(VP_PLUGIN_KIND_HYPERVISOR), n_slots);
    assert_int_equal(vp_registry_slot_count(VP_PLUGIN_KIND_HOSTPOWER),
                     sizeof(vp_hostpower_driver) / sizeof(void *));
    assert_int_equal(vp_registry_slot_count(0), 0);
    unsigned int filled = 0;
    for (unsigned int i = 0; i < n_slots + 2; i++)
        filled += vp_registry_entry_has_slot(good, VP_PLUGIN_KIND_HYPERVISOR, i);
    assert_int_equal(filled, 4);
    assert_int_equal(
        vp_registry_entry_has_slot(good, VP_PLUGIN_KIND_HYPERVISOR,
                                   offsetof(vp_hypervisor_driver, domain_lookup) / sizeof(void *)),
        1);
    assert_int_equal(vp_registry_entry_has_slot(good, VP_PLUGIN_KIND_HOSTPOWER, 0), 0);
    assert_int_equal(vp_registry_entry_has_slot(NULL, VP_PLUGIN_KIND_HYPERVISOR, 0), 0);
    assert_null(entries[3]);
    vp_registry_list_free(entries);
}

static void
test_list_missing_dir(void **state)
{
    _cleanup_free_ char *missing = vp_asprintf("%s/missing", (char *)*state);
    setenv("VIRTPLUG_PLUGIN_DIR", missing, 1);
    assert_string_equal(vp_registry_plugin_dir(), missing);
    vp_registry_entry **entries = NULL;
    assert_int_equal(vp_registry_list(0, &entries), 1);
    assert_string_equal(entries[0]->name, "test");
    vp_registry_list_free(entries);
}

static void
test_list_bad_flags(void **state)
{
    vp_registry_entry **entries = NULL;
    assert_int_equal(vp_registry_list(1, &entries), VP_ERR_INVALID_ARG);
    assert_null(entries);
    assert_non_null(strstr(vp_error_last()->message, "flags"));
}

static void
test_load_file(void **state)
{
    const char *dir = *state;
    vp_registry_entry *e = NULL;
    assert_int_equal(vp_registry_load_file("lt-perm.so", 0, &e), VP_ERR_INVALID_ARG);
    assert_non_null(strstr(vp_error_last()->message, "absolute"));
    assert_null(e);

    assert_int_equal(pd_install(dir, "lt-major", NULL, 0644), 0);
    _cleanup_free_ char *bad = vp_asprintf("%s/lt-major.so", dir);
    assert_int_equal(vp_registry_load_file(bad, 0, &e), VP_ERR_PLUGIN_INVALID);
    assert_non_null(e);
    assert_string_equal(e->name, "lt-major");
    assert_string_equal(e->path, bad);
    assert_int_equal(e->error_code, VP_ERR_PLUGIN_INVALID);
    assert_non_null(strstr(e->error_message, "rebuild"));
    vp_registry_entry_free(e);
    e = NULL;

    assert_int_equal(pd_install(dir, "lt-perm", NULL, 0644), 0);
    _cleanup_free_ char *good = vp_asprintf("%s/lt-perm.so", dir);
    assert_int_equal(vp_registry_load_file(good, 0, &e), 0);
    assert_string_equal(e->name, "lt-perm");
    assert_int_equal(e->hypervisor_slots, SLOT_BIT(conn_open) | SLOT_BIT(conn_close) |
                                              SLOT_BIT(conn_list_domains) |
                                              SLOT_BIT(domain_lookup));
    vp_registry_entry_free(e);
    /* The plugin is now known by name, from any directory. */
    assert_int_equal(vp_registry_get("lt-perm", 0, &e), 0);
    assert_string_equal(e->path, good);
    vp_registry_entry_free(e);
    assert_int_equal(vp_registry_call_fini("lt-perm", 0), 0);
}

static void
test_get(void **state)
{
    vp_registry_entry *e = NULL;
    assert_int_equal(vp_registry_get("test", 0, &e), 0);
    assert_null(e->path);
    assert_int_equal(e->kinds, VP_PLUGIN_KIND_HYPERVISOR | VP_PLUGIN_KIND_HOSTPOWER);
    vp_registry_entry_free(e);
    e = NULL;

    assert_int_equal(vp_registry_get("lt-nothere", 0, &e), VP_ERR_NO_PLUGIN);
    assert_non_null(e);
    assert_int_equal(e->error_code, VP_ERR_NO_PLUGIN);
    /* No package is named for a plugin virtplug does not ship. */
    assert_non_null(strstr(e->error_message, "plugin 'lt-nothere' is not installed"));
    assert_null(strstr(e->error_message, "virtplug-plugin-lt-nothere"));
    _cleanup_free_ char *path = vp_asprintf("%s/lt-nothere.so", (char *)*state);
    assert_string_equal(e->path, path);
    vp_registry_entry_free(e);
    e = NULL;
    assert_int_equal(vp_registry_get("hostpower-bsd", 0, &e), VP_ERR_NO_PLUGIN);
    assert_non_null(
        strstr(e->error_message, "install the package 'virtplug-plugin-hostpower-bsd'"));
    vp_registry_entry_free(e);

    assert_int_equal(vp_registry_get("../etc", 0, &e), VP_ERR_INVALID_ARG);
    assert_int_equal(vp_registry_call_fini("lt-nothere", 0), VP_ERR_NO_PLUGIN);
}

static void
test_slot_names(void **state)
{
    assert_string_equal(vp_registry_slot_name(VP_PLUGIN_KIND_HYPERVISOR, 0), "connect-open");
    assert_string_equal(
        vp_registry_slot_name(VP_PLUGIN_KIND_HOSTPOWER,
                              offsetof(vp_hostpower_driver, get_capabilities) / sizeof(void *)),
        "node-get-suspend-capabilities");
    assert_null(vp_registry_slot_name(VP_PLUGIN_KIND_HOSTPOWER, 1000));
    assert_null(vp_registry_slot_name(0, 0));
}

static void
test_free_null(void **state)
{
    vp_registry_entry_free(NULL);
    vp_registry_list_free(NULL);
}

#define DIR_TEST(fn) cmocka_unit_test_setup_teardown(fn, setup_dir, teardown_dir)

int
main(void)
{
    const struct CMUnitTest tests[] = {
        DIR_TEST(test_list),
        DIR_TEST(test_list_missing_dir),
        DIR_TEST(test_list_bad_flags),
        DIR_TEST(test_load_file),
        DIR_TEST(test_get),
        DIR_TEST(test_slot_names),
        DIR_TEST(test_free_null),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
