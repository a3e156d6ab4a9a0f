/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-abi.c: pins the layout of every public and SDK struct.
 *
 * Applications and plugins built against virtplug 1.x keep working only
 * while these sizes and offsets stay. A failure here means an ABI break:
 * append fields instead (then bump abi_minor and update this table in the
 * same commit), or start a new major. Values are for x86_64 (LP64); on
 * other architectures the test only checks that the pinned fields exist.
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include <virtplug/sdk/conf.h>
#include <virtplug/sdk/driver.h>
#include <virtplug/sdk/plugin.h>
#include <virtplug/sdk/services.h>
#include <virtplug/virtplug.h>

typedef struct abi_item {
    const char *what;
    size_t actual;
    size_t pinned;
} abi_item;

#define STRUCT(type, size)                                                                         \
    {                                                                                              \
#type, sizeof(type), (size)                                                                \
    }
#define FIELD(type, field, off)                                                                    \
    {                                                                                              \
#type "." #field, offsetof(type, field), (off)                                             \
    }

static const abi_item abi_items[] = {
    STRUCT(vp_error, 16),
    FIELD(vp_error, code, 0),
    FIELD(vp_error, message, 8),
    STRUCT(vp_node_suspend_result, 640),
    FIELD(vp_node_suspend_result, size, 0),
    FIELD(vp_node_suspend_result, state, 4),
    FIELD(vp_node_suspend_result, target, 8),
    FIELD(vp_node_suspend_result, flags, 12),
    FIELD(vp_node_suspend_result, duration_s, 16),
    FIELD(vp_node_suspend_result, requested_us, 24),
    FIELD(vp_node_suspend_result, started_us, 32),
    FIELD(vp_node_suspend_result, ended_us, 40),
    FIELD(vp_node_suspend_result, wake_at_us, 48),
    FIELD(vp_node_suspend_result, pid, 56),
    FIELD(vp_node_suspend_result, error_code, 64),
    FIELD(vp_node_suspend_result, driver, 68),
    FIELD(vp_node_suspend_result, error_message, 100),
    FIELD(vp_node_suspend_result, suspend_at_us, 616),
    /* ABI 1.1: domain events */
    STRUCT(vp_domain_event, 56),
    FIELD(vp_domain_event, domain, 0),
    FIELD(vp_domain_event, uuid, 8),
    FIELD(vp_domain_event, event, 16),
    FIELD(vp_domain_event, detail, 20),
    FIELD(vp_domain_event, time_us, 24),
    FIELD(vp_domain_event, src_path, 32),
    FIELD(vp_domain_event, dev_alias, 40),
    FIELD(vp_domain_event, reason, 48),
    /* ABI 1.1: the guests of a host suspend */
    FIELD(vp_node_suspend_result, guests, 624),
    FIELD(vp_node_suspend_result, guests_state, 628),
    FIELD(vp_node_suspend_result, n_guests, 632),
    FIELD(vp_node_suspend_result, n_guest_failures, 636),
    STRUCT(vp_node_suspend_guest, 24),
    FIELD(vp_node_suspend_guest, name, 0),
    FIELD(vp_node_suspend_guest, done, 8),
    FIELD(vp_node_suspend_guest, error_code, 12),
    FIELD(vp_node_suspend_guest, message, 16),
    STRUCT(vp_registry_entry, 96),
    FIELD(vp_registry_entry, name, 0),
    FIELD(vp_registry_entry, path, 8),
    FIELD(vp_registry_entry, version, 16),
    FIELD(vp_registry_entry, license, 24),
    FIELD(vp_registry_entry, description, 32),
    FIELD(vp_registry_entry, package, 40),
    FIELD(vp_registry_entry, abi_major, 48),
    FIELD(vp_registry_entry, abi_minor, 52),
    FIELD(vp_registry_entry, kinds, 56),
    FIELD(vp_registry_entry, error_code, 60),
    FIELD(vp_registry_entry, error_message, 64),
    FIELD(vp_registry_entry, hypervisor_slots, 72),
    FIELD(vp_registry_entry, hostpower_slots, 80),
    FIELD(vp_registry_entry, n_hypervisor_slots, 88),
    FIELD(vp_registry_entry, n_hostpower_slots, 92),
    STRUCT(vp_plugin_descriptor, 120),
    FIELD(vp_plugin_descriptor, magic, 0),
    FIELD(vp_plugin_descriptor, abi_major, 4),
    FIELD(vp_plugin_descriptor, abi_minor, 8),
    FIELD(vp_plugin_descriptor, size, 12),
    FIELD(vp_plugin_descriptor, name, 16),
    FIELD(vp_plugin_descriptor, version, 24),
    FIELD(vp_plugin_descriptor, license, 32),
    FIELD(vp_plugin_descriptor, description, 40),
    FIELD(vp_plugin_descriptor, package, 48),
    FIELD(vp_plugin_descriptor, init, 56),
    FIELD(vp_plugin_descriptor, fini, 64),
    FIELD(vp_plugin_descriptor, hypervisor, 72),
    FIELD(vp_plugin_descriptor, hypervisor_size, 80),
    FIELD(vp_plugin_descriptor, hostpower, 88),
    FIELD(vp_plugin_descriptor, hostpower_size, 96),
    /* ABI 1.1 */
    FIELD(vp_plugin_descriptor, domain_caps, 104),
    FIELD(vp_plugin_descriptor, xml_namespace, 112),
    STRUCT(vp_plugin_domain_cap, 16),
    FIELD(vp_plugin_domain_cap, path, 0),
    FIELD(vp_plugin_domain_cap, values, 8),
    STRUCT(vp_hypervisor_driver, 632),
    FIELD(vp_hypervisor_driver, conn_open, 0),
    FIELD(vp_hypervisor_driver, conn_close, 8),
    FIELD(vp_hypervisor_driver, conn_num_of_domains, 16),
    FIELD(vp_hypervisor_driver, conn_list_domains, 24),
    FIELD(vp_hypervisor_driver, domain_lookup, 32),
    FIELD(vp_hypervisor_driver, domain_define_xml, 40),
    FIELD(vp_hypervisor_driver, domain_undefine, 48),
    FIELD(vp_hypervisor_driver, domain_start, 56),
    FIELD(vp_hypervisor_driver, domain_shutdown, 64),
    FIELD(vp_hypervisor_driver, domain_destroy, 72),
    FIELD(vp_hypervisor_driver, domain_suspend, 80),
    FIELD(vp_hypervisor_driver, domain_resume, 88),
    FIELD(vp_hypervisor_driver, domain_get_state, 96),
    FIELD(vp_hypervisor_driver, domain_get_xml, 104),
    FIELD(vp_hypervisor_driver, snapshot_create_xml, 112),
    FIELD(vp_hypervisor_driver, snapshot_list, 120),
    FIELD(vp_hypervisor_driver, snapshot_lookup, 128),
    FIELD(vp_hypervisor_driver, snapshot_delete, 136),
    FIELD(vp_hypervisor_driver, snapshot_get_xml, 144),
    FIELD(vp_hypervisor_driver, domain_get_guest_info, 152),
    /* ABI 1.1 */
    FIELD(vp_hypervisor_driver, domain_define_model, 160),
    FIELD(vp_hypervisor_driver, snapshot_get_current, 168),
    FIELD(vp_hypervisor_driver, domain_get_uuid, 176),
    FIELD(vp_hypervisor_driver, domain_lookup_by_uuid, 184),
    FIELD(vp_hypervisor_driver, domain_lookup_by_id, 192),
    FIELD(vp_hypervisor_driver, domain_get_id, 200),
    FIELD(vp_hypervisor_driver, conn_get_generation, 208),
    FIELD(vp_hypervisor_driver, domain_get_info, 216),
    FIELD(vp_hypervisor_driver, node_get_info, 224),
    FIELD(vp_hypervisor_driver, conn_get_hostname, 232),
    FIELD(vp_hypervisor_driver, event_open, 240),
    FIELD(vp_hypervisor_driver, event_read, 248),
    FIELD(vp_hypervisor_driver, event_close, 256),
    /* ABI 1.1: guest clocks and host suspend, one block */
    FIELD(vp_hypervisor_driver, domain_get_time, 264),
    FIELD(vp_hypervisor_driver, domain_set_time, 272),
    FIELD(vp_hypervisor_driver, node_suspend_prepare, 280),
    FIELD(vp_hypervisor_driver, node_suspend_restore, 288),
    STRUCT(vp_plugin_suspend_guest, 24),
    FIELD(vp_plugin_suspend_guest, name, 0),
    FIELD(vp_plugin_suspend_guest, done, 8),
    FIELD(vp_plugin_suspend_guest, error_code, 12),
    FIELD(vp_plugin_suspend_guest, message, 16),
    FIELD(vp_hypervisor_driver, snapshot_revert, 296),
    FIELD(vp_hypervisor_driver, conn_get_domain_capabilities, 304),
    FIELD(vp_hypervisor_driver, node_suspend_for_duration, 312),
    FIELD(vp_hypervisor_driver, node_get_suspend_result, 320),
    FIELD(vp_hypervisor_driver, node_suspend_cancel, 328),
    FIELD(vp_hypervisor_driver, node_suspend_wait, 336),
    FIELD(vp_hypervisor_driver, node_get_suspend_guests, 344),
    FIELD(vp_hypervisor_driver, domain_open_console, 352),
    FIELD(vp_hypervisor_driver, domain_get_display_uri, 360),
    FIELD(vp_hypervisor_driver, domain_get_stats, 368),
    FIELD(vp_hypervisor_driver, node_get_memory_stats, 376),
    FIELD(vp_hypervisor_driver, node_get_cpu_stats, 384),
    FIELD(vp_hypervisor_driver, conn_get_sysinfo, 392),
    /* ABI 1.1: reboot and reset, one block */
    FIELD(vp_hypervisor_driver, domain_reboot, 400),
    FIELD(vp_hypervisor_driver, domain_reset, 408),
    /* ABI 1.1: autostart, one block */
    FIELD(vp_hypervisor_driver, domain_set_autostart, 416),
    FIELD(vp_hypervisor_driver, domain_get_autostart, 424),
    /* ABI 1.1: the guest agent passthrough */
    FIELD(vp_hypervisor_driver, domain_agent_command, 432),
    FIELD(vp_hypervisor_driver, domain_set_memory, 440),
    FIELD(vp_hypervisor_driver, domain_set_vcpus, 448),
    FIELD(vp_hypervisor_driver, domain_set_metadata, 456),
    FIELD(vp_hypervisor_driver, conn_cancel_jobs, 464),
    /* ABI 1.1: transient domains */
    FIELD(vp_hypervisor_driver, domain_create_xml, 472),
    FIELD(vp_hypervisor_driver, domain_create_model, 480),
    FIELD(vp_hypervisor_driver, domain_is_persistent, 488),
    FIELD(vp_hypervisor_driver, conn_get_capabilities, 496),
    /* ABI 1.1: what this host has (domcapabilities) */
    FIELD(vp_hypervisor_driver, conn_host_domain_capabilities, 504),
    /* ABI 1.1: save, restore and managed save */
    FIELD(vp_hypervisor_driver, domain_save, 512),
    FIELD(vp_hypervisor_driver, domain_restore, 520),
    FIELD(vp_hypervisor_driver, domain_managed_save, 528),
    FIELD(vp_hypervisor_driver, domain_has_managed_save, 536),
    FIELD(vp_hypervisor_driver, domain_managed_save_remove, 544),
    /* ABI 1.1: bulk state */
    FIELD(vp_hypervisor_driver, conn_get_domain_states, 552),
    /* ABI 1.1: the XML inside save images */
    FIELD(vp_hypervisor_driver, domain_save_image_get_xml, 560),
    FIELD(vp_hypervisor_driver, domain_save_image_define_xml, 568),
    FIELD(vp_hypervisor_driver, domain_managed_save_get_xml, 576),
    FIELD(vp_hypervisor_driver, domain_managed_save_define_xml, 584),
    /* ABI 1.1: guest filesystems and guest power */
    FIELD(vp_hypervisor_driver, domain_fs_freeze, 592),
    FIELD(vp_hypervisor_driver, domain_fs_thaw, 600),
    FIELD(vp_hypervisor_driver, domain_pm_suspend, 608),
    FIELD(vp_hypervisor_driver, domain_pm_wakeup, 616),
    FIELD(vp_hypervisor_driver, domain_update_device, 624),
    STRUCT(vp_hostpower_driver, 56),
    FIELD(vp_hostpower_driver, open, 0),
    FIELD(vp_hostpower_driver, close, 8),
    FIELD(vp_hostpower_driver, get_capabilities, 16),
    FIELD(vp_hostpower_driver, get_suspend_delay_ms, 24),
    FIELD(vp_hostpower_driver, wake_alarm_arm, 32),
    FIELD(vp_hostpower_driver, wake_alarm_clear, 40),
    FIELD(vp_hostpower_driver, suspend, 48),
    STRUCT(vp_domain_disk_def, 48),
    FIELD(vp_domain_disk_def, device, 0),
    FIELD(vp_domain_disk_def, driver_type, 8),
    FIELD(vp_domain_disk_def, source_file, 16),
    FIELD(vp_domain_disk_def, target_dev, 24),
    FIELD(vp_domain_disk_def, target_bus, 32),
    FIELD(vp_domain_disk_def, readonly, 40),
    STRUCT(vp_domain_def, 216),
    FIELD(vp_domain_def, type, 0),
    FIELD(vp_domain_def, name, 8),
    FIELD(vp_domain_def, uuid, 16),
    FIELD(vp_domain_def, description, 32),
    FIELD(vp_domain_def, memory_kib, 40),
    FIELD(vp_domain_def, current_memory_kib, 48),
    FIELD(vp_domain_def, vcpus, 56),
    FIELD(vp_domain_def, os_type, 64),
    FIELD(vp_domain_def, os_arch, 72),
    FIELD(vp_domain_def, os_machine, 80),
    FIELD(vp_domain_def, os_kernel, 88),
    FIELD(vp_domain_def, os_initrd, 96),
    FIELD(vp_domain_def, os_cmdline, 104),
    FIELD(vp_domain_def, os_boot_devs, 112),
    FIELD(vp_domain_def, n_os_boot_devs, 120),
    FIELD(vp_domain_def, disks, 128),
    FIELD(vp_domain_def, n_disks, 136),
    FIELD(vp_domain_def, has_agent_channel, 144),
    FIELD(vp_domain_def, agent_socket_path, 152),
    FIELD(vp_domain_def, serial_type, 160),
    FIELD(vp_domain_def, serial_path, 168),
    FIELD(vp_domain_def, emulator, 176),
    FIELD(vp_domain_def, on_poweroff, 184),
    FIELD(vp_domain_def, on_reboot, 192),
    FIELD(vp_domain_def, on_crash, 200),
    FIELD(vp_domain_def, has_console, 208),
    STRUCT(vp_snapshot_disk_def, 32),
    FIELD(vp_snapshot_disk_def, name, 0),
    FIELD(vp_snapshot_disk_def, location, 8),
    FIELD(vp_snapshot_disk_def, driver_type, 16),
    FIELD(vp_snapshot_disk_def, source_file, 24),
    STRUCT(vp_snapshot_def, 72),
    FIELD(vp_snapshot_def, name, 0),
    FIELD(vp_snapshot_def, description, 8),
    FIELD(vp_snapshot_def, creation_time, 16),
    FIELD(vp_snapshot_def, state, 24),
    FIELD(vp_snapshot_def, memory, 28),
    FIELD(vp_snapshot_def, quiesced, 32),
    FIELD(vp_snapshot_def, disks, 40),
    FIELD(vp_snapshot_def, n_disks, 48),
    /* ABI 1.1 */
    FIELD(vp_snapshot_def, parent, 56),
    FIELD(vp_snapshot_def, domain_xml, 64),
    /* ABI 1.1: runtime data */
    STRUCT(vp_domain_info, 40),
    FIELD(vp_domain_info, size, 0),
    FIELD(vp_domain_info, state, 4),
    FIELD(vp_domain_info, reason, 8),
    FIELD(vp_domain_info, vcpus, 12),
    FIELD(vp_domain_info, max_memory_kib, 16),
    FIELD(vp_domain_info, memory_kib, 24),
    FIELD(vp_domain_info, cpu_time_ns, 32),
    STRUCT(vp_node_info, 72),
    FIELD(vp_node_info, size, 0),
    FIELD(vp_node_info, cpus, 4),
    FIELD(vp_node_info, memory_kib, 8),
    FIELD(vp_node_info, mhz, 16),
    FIELD(vp_node_info, nodes, 20),
    FIELD(vp_node_info, sockets, 24),
    FIELD(vp_node_info, cores, 28),
    FIELD(vp_node_info, threads, 32),
    FIELD(vp_node_info, model, 36),
    /* SDK services 1.1: a process identity, stored whole by drivers */
    STRUCT(vp_plugin_process, 56),
    FIELD(vp_plugin_process, pid, 0),
    FIELD(vp_plugin_process, start_time, 8),
    FIELD(vp_plugin_process, boot_id, 16),
};

static void
test_layout_pinned(void **state)
{
#if defined(__x86_64__) && defined(__LP64__)
    unsigned int bad = 0;
    for (size_t i = 0; i < sizeof(abi_items) / sizeof(abi_items[0]); i++) {
        if (abi_items[i].actual != abi_items[i].pinned) {
            print_error("ABI break: %s is %zu, pinned at %zu\n", abi_items[i].what,
                        abi_items[i].actual, abi_items[i].pinned);
            bad++;
        }
    }
    assert_int_equal(bad, 0);
#else
    skip();
#endif
}

/* The descriptor's 1.0 minimum covers every field a 1.0 core reads. */
static void
test_descriptor_minimum(void **state)
{
    assert_true(VP_PLUGIN_DESCRIPTOR_SIZE_1_0 <= sizeof(vp_plugin_descriptor));
    assert_int_equal(VP_PLUGIN_DESCRIPTOR_SIZE_1_0,
                     offsetof(vp_plugin_descriptor, hostpower_size) + sizeof(uint32_t));
    assert_int_equal(VP_PLUGIN_ABI_MAJOR, 1);
    assert_int_equal(VP_PLUGIN_ABI_MINOR, 1);
    /* 1.1 appended two pointers; a 1.0 descriptor stays loadable. */
    assert_int_equal(VP_PLUGIN_DESCRIPTOR_SIZE_1_1, sizeof(vp_plugin_descriptor));
    assert_int_equal(VP_PLUGIN_DESCRIPTOR_SIZE_1_1,
                     VP_PLUGIN_DESCRIPTOR_SIZE_1_0 + 4 + 2 * sizeof(void *));
    /* The 1.0 vtable minimums are frozen: 20 and 7 slots, whatever 1.x
     * appends later. */
    assert_int_equal(VP_PLUGIN_HYPERVISOR_SIZE_1_0, 20 * sizeof(void (*)(void)));
    assert_int_equal(VP_PLUGIN_HOSTPOWER_SIZE_1_0, 7 * sizeof(void (*)(void)));
    assert_true(VP_PLUGIN_HYPERVISOR_SIZE_1_0 <= sizeof(vp_hypervisor_driver));
    assert_true(VP_PLUGIN_HOSTPOWER_SIZE_1_0 <= sizeof(vp_hostpower_driver));
}

/* Vtables are arrays of function pointers in all but name: the core copies
 * them by size and counts slots (vp_registry_entry.n_*_slots). */
static void
test_vtables_are_slot_arrays(void **state)
{
    assert_int_equal(sizeof(vp_hypervisor_driver) % sizeof(void (*)(void)), 0);
    assert_int_equal(sizeof(vp_hostpower_driver) % sizeof(void (*)(void)), 0);
    for (unsigned int i = 0; i < sizeof(vp_hypervisor_driver) / sizeof(void *); i++)
        assert_non_null(vp_registry_slot_name(VP_PLUGIN_KIND_HYPERVISOR, i));
    assert_null(vp_registry_slot_name(VP_PLUGIN_KIND_HYPERVISOR,
                                      sizeof(vp_hypervisor_driver) / sizeof(void *)));
    for (unsigned int i = 0; i < sizeof(vp_hostpower_driver) / sizeof(void *); i++)
        assert_non_null(vp_registry_slot_name(VP_PLUGIN_KIND_HOSTPOWER, i));
    assert_null(vp_registry_slot_name(VP_PLUGIN_KIND_HOSTPOWER,
                                      sizeof(vp_hostpower_driver) / sizeof(void *)));
    assert_string_equal(
        vp_registry_slot_name(VP_PLUGIN_KIND_HYPERVISOR,
                              offsetof(vp_hypervisor_driver, domain_start) / sizeof(void *)),
        "domain-start");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layout_pinned),
        cmocka_unit_test(test_descriptor_minimum),
        cmocka_unit_test(test_vtables_are_slot_arrays),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
