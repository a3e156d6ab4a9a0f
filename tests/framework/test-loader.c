/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-loader.c: tests of framework/loader.c through the public API.
 *
 * Each case copies one small real plugin (tests/framework/plugins/) into a
 * private plugin directory with a chosen mode and opens NAME:///x: the
 * error code and the key words of the message are checked, and a plugin
 * that must be refused before its code runs aborts in init if it is not.
 * The loader caches loaded plugins per process, so every plugin that loads
 * has its own name; checks that must load a refused file after fixing it
 * run in a child process. Also run with LD_BIND_NOW=1 (see
 * test-loader-bindnow.sh), as hardened distribution builds run; the
 * undefined-symbol case must pass either way.
 */
#include <config.h>

#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <virtplug/sdk/plugin.h>
#include <virtplug/virtplug.h>

#include "plugins/plugin-dir.h"

/* Open @uri and expect error @code with every NULL-terminated key word. */
static void
expect_open_error(const char *uri, int code, ...)
{
    vp_conn *conn = NULL;
    int r = vp_conn_open(uri, 0, &conn);
    const vp_error *e = vp_error_last();
    if (r != code || !e)
        fail_msg("opening '%s' returned %d (%s), expected %s", uri, r, e ? e->message : "no error",
                 vp_error_code_name(code));
    assert_null(conn);
    assert_int_equal(e->code, code);
    va_list ap;
    va_start(ap, code);
    for (const char *word; (word = va_arg(ap, const char *));)
        if (!strstr(e->message, word))
            fail_msg("message '%s' lacks '%s'", e->message, word);
    va_end(ap);
}

/* Expect the last call to have failed with @code naming all @words. */
static void
expect_error(int r, int code, const char *word1, const char *word2)
{
    const vp_error *e = vp_error_last();
    assert_int_equal(r, code);
    assert_non_null(e);
    if (!strstr(e->message, word1) || (word2 && !strstr(e->message, word2)))
        fail_msg("message '%s' lacks '%s' or '%s'", e->message, word1, word2 ? word2 : "");
}

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
count_errors(vp_conn *conn, const vp_error *err, void *opaque)
{
    (void)conn;
    (void)err;
    (*(int *)opaque)++;
}

/* A good plugin loads; its NULL slots answer "not supported". */
static void
test_good_plugin(void **state)
{
    assert_int_equal(pd_install(*state, "lt-good", NULL, 0644), 0);
    vp_conn *conn = NULL;
    assert_int_equal(vp_conn_open("lt-good:///x", 0, &conn), 0);
    int errors = 0;
    assert_int_equal(vp_conn_set_error_func(conn, count_errors, &errors), 0);
    assert_string_equal(vp_conn_get_driver_name(conn), "lt-good");
    vp_domain **doms = NULL;
    assert_int_equal(vp_conn_list_domains(conn, 0, &doms), 1);
    assert_string_equal(vp_domain_get_name(doms[0]), "alpha");
    vp_domain_list_free(doms);

    vp_domain *dom = NULL;
    assert_int_equal(vp_domain_lookup_by_name(conn, "alpha", &dom), 0);
    assert_null(vp_error_last()); /* the slot's recovered error is not left behind */
    assert_int_equal(errors, 0);  /* nor reported */
    expect_error(vp_domain_start(dom, 0), VP_ERR_NOT_SUPPORTED,
                 "driver 'lt-good' does not implement 'domain-start'", NULL);
    assert_int_equal(errors, 1);
    int state_ = -1;
    expect_error(vp_domain_get_state(dom, &state_, NULL, 0), VP_ERR_NOT_SUPPORTED,
                 "driver 'lt-good' does not implement 'domain-get-state'", NULL);
    assert_int_equal(state_, -1);
    expect_error(vp_conn_num_of_domains(conn), VP_ERR_NOT_SUPPORTED, "'lt-good'",
                 "'connect-num-of-domains'");
    vp_domain_free(dom);
    expect_error(vp_domain_lookup_by_name(conn, "beta", &dom), VP_ERR_NO_DOMAIN, "'beta'", NULL);
    vp_conn_close(conn);
}

static void
test_bad_magic(void **state)
{
    assert_int_equal(pd_install(*state, "lt-badmagic", NULL, 0644), 0);
    expect_open_error("lt-badmagic:///x", VP_ERR_PLUGIN_INVALID, "lt-badmagic.so",
                      "not a virtplug plugin", "0xdeadbeef", NULL);
}

static void
test_abi_major_newer(void **state)
{
    assert_int_equal(pd_install(*state, "lt-major", NULL, 0644), 0);
    char built[32], core[32];
    snprintf(built, sizeof(built), "ABI %d.0", VP_PLUGIN_ABI_MAJOR + 1);
    snprintf(core, sizeof(core), "ABI %d.%d", VP_PLUGIN_ABI_MAJOR, VP_PLUGIN_ABI_MINOR);
    expect_open_error("lt-major:///x", VP_ERR_PLUGIN_INVALID, "lt-major.so", built, core, "rebuild",
                      NULL);
}

static void
test_abi_minor_newer(void **state)
{
    assert_int_equal(pd_install(*state, "lt-minor", NULL, 0644), 0);
    char built[32], core[32];
    snprintf(built, sizeof(built), "ABI %d.%d", VP_PLUGIN_ABI_MAJOR, VP_PLUGIN_ABI_MINOR + 1);
    snprintf(core, sizeof(core), "ABI %d.%d", VP_PLUGIN_ABI_MAJOR, VP_PLUGIN_ABI_MINOR);
    expect_open_error("lt-minor:///x", VP_ERR_PLUGIN_INVALID, "lt-minor.so", built, core,
                      "upgrade virtplug", NULL);
}

static void
test_descriptor_too_small(void **state)
{
    assert_int_equal(pd_install(*state, "lt-small", NULL, 0644), 0);
    expect_open_error("lt-small:///x", VP_ERR_PLUGIN_INVALID, "lt-small.so", "smaller than",
                      "VP_PLUGIN_DEFINE()", NULL);
}

static void
test_name_mismatch(void **state)
{
    assert_int_equal(pd_install(*state, "lt-misnamed", NULL, 0644), 0);
    expect_open_error("lt-misnamed:///x", VP_ERR_PLUGIN_INVALID, "lt-misnamed.so",
                      "calls itself 'lt-othername'", "'lt-misnamed'", "rename", NULL);
}

static void
test_no_entry_symbol(void **state)
{
    assert_int_equal(pd_install(*state, "lt-nosym", NULL, 0644), 0);
    expect_open_error("lt-nosym:///x", VP_ERR_PLUGIN_INVALID, "lt-nosym.so",
                      "no entry symbol 'lt_nosym_LTX_virtplug_plugin'",
                      "VP_PLUGIN_DEFINE(lt_nosym, ...)", NULL);
}

/* A wrong first argument of VP_PLUGIN_DEFINE(): the message names the
 * symbol that was exported instead, not "use VP_PLUGIN_DEFINE()" to
 * someone who did. */
static void
test_wrong_identifier(void **state)
{
    assert_int_equal(pd_install(*state, "lt-wrongident", NULL, 0644), 0);
    expect_open_error("lt-wrongident:///x", VP_ERR_PLUGIN_INVALID, "lt-wrongident.so",
                      "no entry symbol 'lt_wrongident_LTX_virtplug_plugin'",
                      "exports 'lt_wrong_ident_LTX_virtplug_plugin'",
                      "VP_PLUGIN_DEFINE(lt_wrongident, ...)", NULL);
}

/* The descriptor struct exported instead of a pointer to it: read as a
 * pointer, its first bytes point nowhere. Refused, not a crash. */
static void
test_descriptor_not_pointer(void **state)
{
    assert_int_equal(pd_install(*state, "lt-descself", NULL, 0644), 0);
    expect_open_error("lt-descself:///x", VP_ERR_PLUGIN_INVALID, "lt-descself.so",
                      "exports the descriptor itself, not a pointer to it",
                      "use VP_PLUGIN_DEFINE()", NULL);
    /* plugin-list loads every file of the directory: it must survive too. */
    vp_registry_entry **entries = NULL;
    assert_true(vp_registry_list(0, &entries) >= 2);
    bool seen = false;
    for (vp_registry_entry **e = entries; *e; e++)
        if (strcmp((*e)->name, "lt-descself") == 0)
            seen = (*e)->error_code == VP_ERR_PLUGIN_INVALID &&
                   strstr((*e)->error_message, "not a pointer to it");
    vp_registry_list_free(entries);
    assert_true(seen);
}

static void
test_descriptor_pointer_outside(void **state)
{
    assert_int_equal(pd_install(*state, "lt-wildptr", NULL, 0644), 0);
    expect_open_error("lt-wildptr:///x", VP_ERR_PLUGIN_INVALID, "lt-wildptr.so",
                      "does not point to a descriptor in the plugin's own data", NULL);
}

static void
test_no_name(void **state)
{
    assert_int_equal(pd_install(*state, "lt-noname", NULL, 0644), 0);
    vp_conn *conn = NULL;
    assert_int_equal(vp_conn_open("lt-noname:///x", 0, &conn), VP_ERR_PLUGIN_INVALID);
    const char *msg = vp_error_last()->message;
    assert_null(strstr(msg, "(null)"));
    if (!strstr(msg, "has no name in its descriptor") || !strstr(msg, ".name = \"lt-noname\""))
        fail_msg("message '%s' does not say to set .name", msg);
}

/* .hypervisor_size = sizeof(&driver): every slot but the first would
 * vanish. Refused, naming the likely cause. */
static void
test_vtable_size_of_pointer(void **state)
{
    assert_int_equal(pd_install(*state, "lt-ptrsize", NULL, 0644), 0);
    char what[64];
    snprintf(what, sizeof(what), ".hypervisor_size = %zu, the size of a pointer", sizeof(void *));
    expect_open_error("lt-ptrsize:///x", VP_ERR_PLUGIN_INVALID, "lt-ptrsize.so", what,
                      "sizeof(driver), not sizeof(&driver)", NULL);
}

/* An init that fails without a message: one sentence naming the plugin,
 * not "failed to initialise" twice. */
static void
test_init_fails_silently(void **state)
{
    assert_int_equal(pd_install(*state, "lt-initsilent", NULL, 0644), 0);
    expect_open_error("lt-initsilent:///x", VP_ERR_PLUGIN_INVALID, "plugin 'lt-initsilent'",
                      "failed to initialise", "set no error message", NULL);
    const char *msg = vp_error_last()->message;
    const char *first = strstr(msg, "failed to initialise");
    if (strstr(first + 1, "failed to initialise"))
        fail_msg("message '%s' says it twice", msg);
}

/* A slot that fails without setting an error: the core names the driver,
 * the operation and the code. */
static void
test_slot_fails_silently(void **state)
{
    assert_int_equal(pd_install(*state, "lt-silent", NULL, 0644), 0);
    vp_conn *conn = NULL;
    assert_int_equal(vp_conn_open("lt-silent:///x", 0, &conn), 0);
    vp_domain *dom = NULL;
    assert_int_equal(vp_domain_lookup_by_name(conn, "alpha", &dom), 0);
    expect_error(vp_domain_start(dom, 0), VP_ERR_OPERATION_INVALID,
                 "driver 'lt-silent' failed in 'domain-start' with VP_ERR_OPERATION_INVALID",
                 "set no error message");
    expect_error(vp_domain_suspend(dom, 0), VP_ERR_INTERNAL,
                 "driver 'lt-silent' failed in 'domain-suspend' with -22", "no VP_ERR_* code");
    vp_domain_free(dom);
    vp_conn_close(conn);
}

static void
test_init_fails(void **state)
{
    assert_int_equal(pd_install(*state, "lt-initfail", NULL, 0644), 0);
    expect_open_error("lt-initfail:///x", VP_ERR_PLUGIN_INVALID, "'lt-initfail'",
                      "failed to initialise", "cannot reach the lt-initfail backend", NULL);
    /* A refused plugin stays refused: no half-registered entry. */
    expect_open_error("lt-initfail:///x", VP_ERR_PLUGIN_INVALID, "failed to initialise", NULL);
}

/* A vtable smaller than ABI 1.0's would lose its last slots without a
 * word: refused. (Slots a plugin predates read NULL once a 1.1 core
 * appends some; at ABI 1.0 no smaller vtable is valid.) */
static void
test_short_vtable(void **state)
{
    assert_int_equal(pd_install(*state, "lt-short", NULL, 0644), 0);
    char min[128];
    snprintf(min, sizeof(min), "smaller than the %zu bytes of the ABI 1.0 hypervisor vtable",
             (size_t)VP_PLUGIN_HYPERVISOR_SIZE_1_0);
    expect_open_error("lt-short:///x", VP_ERR_PLUGIN_INVALID, "lt-short.so", min, "sizeof(driver)",
                      NULL);
}

/* The child of a permission case: with the mode fixed, the plugin loads. */
static int
open_lt_perm(void *unused)
{
    vp_conn *conn = NULL;
    if (vp_conn_open("lt-perm:///x", 0, &conn) < 0)
        return 1;
    vp_conn_close(conn);
    return 0;
}

static void
check_mode_refused(const char *dir, const char *path, mode_t bad, mode_t good, const char *kind)
{
    assert_int_equal(chmod(path, bad), 0);
    /* On the stack, not malloc()ed: the child below exits without freeing. */
    char fix[4200];
    snprintf(fix, sizeof(fix), "run 'chmod go-w %s'", path);
    expect_open_error("lt-perm:///x", VP_ERR_PLUGIN_INVALID, kind, fix, NULL);
    assert_int_equal(chmod(path, good), 0);
    assert_int_equal(pd_in_child(open_lt_perm, NULL), 0);
}

static void
test_dir_group_writable(void **state)
{
    assert_int_equal(pd_install(*state, "lt-perm", NULL, 0644), 0);
    check_mode_refused(*state, *state, 0775, 0755, "group-writable");
}

static void
test_dir_world_writable(void **state)
{
    assert_int_equal(pd_install(*state, "lt-perm", NULL, 0644), 0);
    check_mode_refused(*state, *state, 0757, 0755, "world-writable");
}

static void
test_file_group_writable(void **state)
{
    assert_int_equal(pd_install(*state, "lt-perm", NULL, 0644), 0);
    char path[4096];
    snprintf(path, sizeof(path), "%s/lt-perm.so", (char *)*state);
    check_mode_refused(*state, path, 0664, 0644, "group-writable");
}

static void
test_file_world_writable(void **state)
{
    assert_int_equal(pd_install(*state, "lt-perm", NULL, 0644), 0);
    char path[4096];
    snprintf(path, sizeof(path), "%s/lt-perm.so", (char *)*state);
    check_mode_refused(*state, path, 0646, 0644, "world-writable");
}

/* A file or directory owned by another user (not root) is refused; only
 * root can hand a file to another uid, so this runs as root only. */
static void
check_owner_refused(const char *path)
{
    assert_int_equal(chown(path, 65534, (gid_t)-1), 0);
    char fix[4200];
    snprintf(fix, sizeof(fix), "run 'chown root %s'", path);
    expect_open_error("lt-perm:///x", VP_ERR_PLUGIN_INVALID, "owned by uid 65534", fix, NULL);
    assert_int_equal(chown(path, 0, (gid_t)-1), 0);
    assert_int_equal(pd_in_child(open_lt_perm, NULL), 0);
}

static void
test_foreign_owner_refused(void **state)
{
    if (geteuid() != 0)
        skip();
    assert_int_equal(pd_install(*state, "lt-perm", NULL, 0644), 0);
    char path[4096];
    snprintf(path, sizeof(path), "%s/lt-perm.so", (char *)*state);
    check_owner_refused(path);
    check_owner_refused(*state);
}

static void
test_symlink_refused(void **state)
{
    _cleanup_free_ char *real = vp_asprintf("%s/real", (char *)*state);
    _cleanup_free_ char *link = vp_asprintf("%s/lt-perm.so", (char *)*state);
    assert_int_equal(mkdir(real, 0755), 0);
    assert_int_equal(pd_install(real, "lt-perm", NULL, 0644), 0);
    assert_int_equal(symlink("real/lt-perm.so", link), 0);
    expect_open_error("lt-perm:///x", VP_ERR_PLUGIN_INVALID, link, "a symbolic link",
                      "must be a regular file", NULL);
}

static void
test_fifo_refused(void **state)
{
    _cleanup_free_ char *fifo = vp_asprintf("%s/lt-perm.so", (char *)*state);
    assert_int_equal(mkfifo(fifo, 0644), 0);
    expect_open_error("lt-perm:///x", VP_ERR_PLUGIN_INVALID, fifo, "a FIFO",
                      "must be a regular file", NULL);
}

static void
test_missing_dir(void **state)
{
    _cleanup_free_ char *missing = vp_asprintf("%s/missing", (char *)*state);
    setenv("VIRTPLUG_PLUGIN_DIR", missing, 1);
    expect_open_error("qemu:///system", VP_ERR_NO_PLUGIN, "'qemu'", missing, "does not exist",
                      "virtplug-plugin-qemu", NULL);
}

/* A scheme no plugin is known for is not a missing package: the error
 * lists the schemes there are, and suggests no package. */
static void
test_unknown_scheme(void **state)
{
    assert_int_equal(pd_install(*state, "lt-good", NULL, 0644), 0);
    expect_open_error("lt-nowhere:///x", VP_ERR_NO_URI_SCHEME, "'lt-nowhere'", (char *)*state,
                      "installed schemes", "'lt-good'", "'test' (built in)", NULL);
    assert_null(strstr(vp_error_last()->message, "virtplug-plugin-lt-nowhere"));
}

static void
test_known_plugin_missing(void **state)
{
    expect_open_error("qemu:///system", VP_ERR_NO_PLUGIN, "plugin 'qemu' is not installed",
                      (char *)*state, "virtplug-plugin-qemu", NULL);
}

/* A plugin with an undefined function fails to load with the linker's
 * message, with or without LD_BIND_NOW=1; bound lazily, it would load and
 * kill the process ("symbol lookup error") at its first call. */
static void
test_undefined_symbol(void **state)
{
    assert_int_equal(pd_install(*state, "lt-undef", NULL, 0644), 0);
    expect_open_error("lt-undef:///x", VP_ERR_PLUGIN_INVALID, "cannot load plugin file",
                      "lt-undef.so", "lt_undef_missing_function", NULL);
}

/* Several threads load the same plugin at once (libltdl is not thread
 * safe: the loader must serialise it). In a child, so lt-perm stays
 * unloaded in this process for the permission cases. */
static void *
open_thread(void *arg)
{
    vp_conn *conn = NULL;
    int r = vp_conn_open("lt-perm:///x", 0, &conn);
    vp_domain **doms = NULL;
    if (r >= 0 && vp_conn_list_domains(conn, 0, &doms) != 1)
        r = -1;
    vp_domain_list_free(doms);
    vp_conn_close(conn);
    *(int *)arg = r;
    return NULL;
}

static int
open_from_threads(void *unused)
{
    enum { N_THREADS = 8 };
    pthread_t tids[N_THREADS];
    int results[N_THREADS];
    for (int i = 0; i < N_THREADS; i++)
        if (pthread_create(&tids[i], NULL, open_thread, &results[i]) != 0)
            return 2;
    int bad = 0;
    for (int i = 0; i < N_THREADS; i++) {
        pthread_join(tids[i], NULL);
        bad += results[i] < 0;
    }
    return bad ? 1 : 0;
}

static void
test_concurrent_load(void **state)
{
    assert_int_equal(pd_install(*state, "lt-perm", NULL, 0644), 0);
    assert_int_equal(pd_in_child(open_from_threads, NULL), 0);
}

#define DIR_TEST(fn) cmocka_unit_test_setup_teardown(fn, setup_dir, teardown_dir)

int
main(void)
{
    const struct CMUnitTest tests[] = {
        DIR_TEST(test_good_plugin),
        DIR_TEST(test_bad_magic),
        DIR_TEST(test_abi_major_newer),
        DIR_TEST(test_abi_minor_newer),
        DIR_TEST(test_descriptor_too_small),
        DIR_TEST(test_name_mismatch),
        DIR_TEST(test_no_entry_symbol),
        DIR_TEST(test_init_fails),
        DIR_TEST(test_short_vtable),
        DIR_TEST(test_dir_group_writable),
        DIR_TEST(test_dir_world_writable),
        DIR_TEST(test_file_group_writable),
        DIR_TEST(test_file_world_writable),
        DIR_TEST(test_foreign_owner_refused),
        DIR_TEST(test_symlink_refused),
        DIR_TEST(test_fifo_refused),
        DIR_TEST(test_missing_dir),
        DIR_TEST(test_unknown_scheme),
        DIR_TEST(test_known_plugin_missing),
        DIR_TEST(test_undefined_symbol),
        DIR_TEST(test_concurrent_load),
        DIR_TEST(test_wrong_identifier),
        DIR_TEST(test_descriptor_not_pointer),
        DIR_TEST(test_descriptor_pointer_outside),
        DIR_TEST(test_no_name),
        DIR_TEST(test_vtable_size_of_pointer),
        DIR_TEST(test_init_fails_silently),
        DIR_TEST(test_slot_fails_silently),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
