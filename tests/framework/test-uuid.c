/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-uuid.c: tests of framework/conf/uuid.c: the text forms a uuid is
 * parsed from and formatted to, and random version 4 generation.
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <virtplug/virtplug.h>
#include <virtplug/sdk/conf.h>

static const unsigned char sample[16] = {0x8f, 0x3a, 0x47, 0xe2, 0x1c, 0x4b, 0x4d, 0x8e,
                                         0x9a, 0x55, 0x0b, 0x6e, 0x2f, 0x7c, 0x1d, 0x90};

static void
test_format(void **state)
{
    char buf[37];
    assert_ptr_equal(vp_plugin_uuid_format(sample, buf), buf);
    assert_string_equal(buf, "8f3a47e2-1c4b-4d8e-9a55-0b6e2f7c1d90");
}

static void
test_parse_forms(void **state)
{
    static const char *const good[] = {
        "8f3a47e2-1c4b-4d8e-9a55-0b6e2f7c1d90",
        "8F3A47E2-1C4B-4D8E-9A55-0B6E2F7C1D90",
        "8f3a47e21c4b4d8e9a550b6e2f7c1d90",
        "\n  8f3a47e2-1c4b-4d8e-9a55-0b6e2f7c1d90\t\n",
    };
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        unsigned char uuid[16] = {0};
        assert_int_equal(vp_plugin_uuid_parse(good[i], uuid), 0);
        assert_memory_equal(uuid, sample, 16);
    }
}

static void
test_parse_invalid(void **state)
{
    static const char *const bad[] = {
        "",
        "8f3a47e2-1c4b-4d8e-9a55-0b6e2f7c1d9",
        "8f3a47e2-1c4b-4d8e-9a55-0b6e2f7c1d900",
        "8f3a47e2-1c4b-4d8e-9a55-0b6e2f7c1d9g",
        "8f3a47e2x1c4b-4d8e-9a55-0b6e2f7c1d90",
        "8f3a47e21c4b4d8e9a550b6e2f7c1d9",
        "8f3a47e2-1c4b-4d8e-9a55-0b6e2f7c1d90-",
        "8f3a 47e2-1c4b-4d8e-9a55-0b6e2f7c1d9",
        "-8f3a47e2-1c4b-4d8e-9a55-0b6e2f7c1d9",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        unsigned char uuid[16];
        memcpy(uuid, sample, 16);
        int r = vp_plugin_uuid_parse(bad[i], uuid);
        if (r != VP_ERR_INVALID_ARG)
            fail_msg("'%s' parsed (%d)", bad[i], r);
        /* Written only on success. */
        assert_memory_equal(uuid, sample, 16);
        const vp_error *e = vp_error_last();
        assert_non_null(e);
        assert_non_null(strstr(e->message, "invalid uuid"));
        assert_non_null(strstr(e->message, "hexadecimal"));
    }
    unsigned char uuid[16];
    assert_int_equal(vp_plugin_uuid_parse(NULL, uuid), VP_ERR_INVALID_ARG);
}

static void
test_generate(void **state)
{
    unsigned char a[16], b[16];
    vp_plugin_uuid_generate(a);
    vp_plugin_uuid_generate(b);
    assert_memory_not_equal(a, b, 16);
    for (int i = 0; i < 64; i++) {
        vp_plugin_uuid_generate(a);
        assert_int_equal(a[6] >> 4, 4); /* version 4 */
        assert_int_equal(a[8] >> 6, 2); /* RFC 4122 variant */
        char buf[37];
        unsigned char back[16];
        assert_int_equal(vp_plugin_uuid_parse(vp_plugin_uuid_format(a, buf), back), 0);
        assert_memory_equal(a, back, 16);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_parse_forms),
        cmocka_unit_test(test_parse_invalid),
        cmocka_unit_test(test_generate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
