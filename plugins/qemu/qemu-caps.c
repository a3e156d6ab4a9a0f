/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-caps.c: what the QEMU driver supports of domain XML (plugin ABI 1.1).
 *
 * Owns the driver's capability table: exactly what qemu-command.c turns
 * into a command line today (file and block disks, cdroms and floppies on
 * virtio, ide, sata, scsi or fdc with their driver options, boot order
 * and addresses; PCI controllers and root ports, virtio-scsi,
 * virtio-serial; serial ports, consoles and virtio channels on pty, file,
 * unix, tcp or null, the guest agent's and the spice agent's channels;
 * the guest agent's channel; direct kernel boot or boot devices; the
 * lifecycle actions QEMU itself carries out; user, ethernet, bridge and
 * network interfaces (qemu-tap.c, qemu-network.c), VNC, SPICE and USB
 * redirection over it (qemu-spice.c), video,
 * input, USB, balloon, rng, features, cpu, clock, pm and metadata of
 * qemu-devices.c; watchdog, panic, sound and audio of qemu-platform.c).
 * The core checks every
 * definition against it before domain_define_model runs, with one refusal
 * message for every driver, so the driver's own 1.0 parser only ever sees
 * what it supports. A value the command line cannot honour must never be
 * listed here; what it gains (issue 15) is one more line.
 */
#include <config.h>

#include <stddef.h>

#include <virtplug/sdk/driver.h>

/* <address type='pci'> of a PCI device (qemu-pci.c checks the numbers). */
#define PCI_ADDRESS(dev)                                                                           \
    {dev "/address/@type", "pci"}, {dev "/address/@domain", NULL}, {dev "/address/@bus", NULL},    \
        {dev "/address/@slot", NULL}, {dev "/address/@function", NULL},                            \
    {                                                                                              \
        dev "/address/@multifunction", "on|off"                                                    \
    }

/* The backend of a <serial>, <console> or <channel>. */
#define CHARDEV_SOURCE(dev)                                                                        \
    {dev "/source/@path", NULL}, {dev "/source/@mode", "bind|connect"},                            \
        {dev "/source/@host", NULL}, {dev "/source/@service", NULL},                               \
        {dev "/source/@append", "on|off"},                                                         \
    {                                                                                              \
        dev "/protocol/@type", "raw|telnet"                                                        \
    }

/* Read by the descriptor in qemu-driver.c. */
extern const vp_plugin_domain_cap qemu_domain_caps[];

const vp_plugin_domain_cap qemu_domain_caps[] = {
    {"@type", "kvm|qemu"},
    {"name", NULL},
    {"uuid", NULL},
    {"title", NULL},
    {"description", NULL},
    {"memory/@unit", NULL},
    {"currentMemory/@unit", NULL},
    {"vcpu/@placement", "static"},
    {"os/type", "hvm"},
    {"os/type/@arch", "x86_64"},
    {"os/type/@machine", NULL}, /* any machine the binary has: -machine NAME */
    {"os/kernel", NULL},
    {"os/initrd", NULL},
    {"os/cmdline", NULL},
    {"os/boot/@dev", "hd|cdrom|network|fd"},
    {"os/bootmenu/@enable", "yes|no"},
    {"os/bootmenu/@timeout", NULL},
    {"os/@firmware", "efi|bios"},
    {"os/firmware/feature/@enabled", "no|yes"}, /* yes: refused at define (qemu-firmware.c) */
    {"os/firmware/feature/@name", "secure-boot|enrolled-keys"},
    {"os/loader", NULL},
    {"os/loader/@readonly", "yes"},
    {"os/loader/@type", "pflash|rom"},
    {"os/loader/@secure", "no"},
    {"os/nvram", NULL},
    {"os/nvram/@template", NULL},
    {"on_poweroff", "destroy"},
    {"on_reboot", "restart|destroy"},
    {"on_crash", "destroy|preserve"},
    {"devices/emulator", NULL},
    {"devices/disk/@type", "file|block"},
    {"devices/disk/@device", "disk|cdrom|floppy"},
    {"devices/disk/driver/@name", "qemu"},
    {"devices/disk/driver/@type", "qcow2|raw"},
    {"devices/disk/driver/@cache", "default|none|writethrough|writeback|directsync|unsafe"},
    {"devices/disk/driver/@io", "native|threads|io_uring"},
    {"devices/disk/driver/@discard", "unmap|ignore"},
    {"devices/disk/driver/@detect_zeroes", "off|on|unmap"},
    {"devices/disk/driver/@error_policy", "stop|report|ignore|enospace"},
    {"devices/disk/driver/@rerror_policy", "stop|report|ignore"},
    {"devices/disk/source/@file", NULL},
    {"devices/disk/source/@dev", NULL}, /* type='block' */
    {"devices/disk/target/@dev", NULL},
    {"devices/disk/target/@bus", "virtio|ide|sata|scsi|fdc"},
    /* The tray the running XML shows (a save image's too), taken back as
     * libvirt takes it: a start's QEMU has every tray closed. */
    {"devices/disk/target/@tray", "open|closed"},
    {"devices/disk/readonly", NULL},
    {"devices/disk/shareable", NULL},
    {"devices/disk/boot/@order", NULL},
    {"devices/disk/address/@type", "pci|drive"},
    {"devices/disk/address/@domain", NULL},
    {"devices/disk/address/@bus", NULL},
    {"devices/disk/address/@slot", NULL},
    {"devices/disk/address/@function", NULL},
    {"devices/disk/address/@multifunction", "on|off"},
    {"devices/disk/address/@controller", NULL},
    {"devices/disk/address/@target", NULL},
    {"devices/disk/address/@unit", NULL},
    /* qemu-chardev.c */
    {"devices/serial/@type", "pty|file|unix|tcp|null"},
    CHARDEV_SOURCE("devices/serial"),
    {"devices/serial/target/@type", "isa-serial"},
    {"devices/serial/target/@port", "0|1|2|3"},
    {"devices/serial/target/model/@name", "isa-serial"},
    {"devices/console/@type", "pty|file|unix|tcp|null"},
    CHARDEV_SOURCE("devices/console"),
    {"devices/console/target/@type", "serial|virtio"},
    {"devices/console/target/@port", NULL},
    {"devices/channel/@type", "unix|pty|file|tcp|null|spicevmc"},
    CHARDEV_SOURCE("devices/channel"),
    {"devices/channel/target/@type", "virtio"},
    {"devices/channel/target/@name", NULL},
    {"devices/channel/address/@type", "virtio-serial"},
    {"devices/channel/address/@controller", NULL},
    {"devices/channel/address/@bus", NULL},
    {"devices/channel/address/@port", NULL},
    /* Issue 15 (qemu-devices.c); every PCI device takes its <address>. */
    {"metadata/*", NULL}, /* kept as written; nothing for QEMU */
    {"pm/suspend-to-mem/@enabled", "yes|no"},
    {"pm/suspend-to-disk/@enabled", "yes|no"},
    {"features/acpi", NULL},
    {"features/apic", NULL},
    {"features/vmport/@state", "on|off"},
    {"cpu/@mode", "host-passthrough|host-model|maximum"},
    {"cpu/@check", "none"},
    {"cpu/@migratable", "on"},
    {"clock/@offset", "utc|localtime"},
    {"clock/timer/@name", "rtc|pit|hpet"},
    {"clock/timer/@tickpolicy", "catchup|delay"},
    {"clock/timer/@present", "yes|no"},
    {"devices/controller/@type", "usb|pci|ide|sata|scsi|virtio-serial"},
    {"devices/controller/@index", NULL},
    {"devices/controller/@model",
     "qemu-xhci|nec-xhci|piix3-uhci|none|pci-root|pcie-root|pcie-root-port|virtio-scsi|"
     "pci-bridge|pcie-to-pci-bridge"},
    {"devices/controller/@ports", NULL},
    {"devices/controller/model/@name", "pcie-root-port|pci-bridge|pcie-pci-bridge"},
    {"devices/controller/target/@chassis", NULL},
    {"devices/controller/target/@chassisNr", NULL}, /* pci-bridge */
    {"devices/controller/target/@port", NULL},
    PCI_ADDRESS("devices/controller"),
    {"devices/interface/@type", "user|ethernet|bridge|network"}, /* network: qemu.conf */
    {"devices/interface/source/@bridge", NULL},
    {"devices/interface/source/@network", NULL},
    {"devices/interface/target/@dev", NULL},
    {"devices/interface/boot/@order", NULL},
    {"devices/interface/mac/@address", NULL},
    {"devices/interface/model/@type", "virtio|e1000|e1000e|rtl8139"},
    {"devices/interface/link/@state", "up|down"},
    {"devices/interface/mtu/@size", NULL}, /* virtio only: host_mtu */
    PCI_ADDRESS("devices/interface"),
    {"devices/input/@type", "tablet|keyboard|mouse"},
    {"devices/input/@bus", "usb|ps2|virtio"},
    {"devices/input/address/@type", "pci|usb"},
    {"devices/input/address/@domain", NULL},
    {"devices/input/address/@bus", NULL},
    {"devices/input/address/@slot", NULL},
    {"devices/input/address/@function", NULL},
    {"devices/input/address/@port", NULL},
    {"devices/graphics/@type", "vnc|spice"}, /* spice: qemu-spice.c, where QEMU has it */
    {"devices/graphics/@port", NULL},
    {"devices/graphics/@autoport", "yes|no"},
    {"devices/graphics/@tlsPort", NULL}, /* qemu-spice.c: TLS by qemu.conf's spice_tls */
    {"devices/graphics/@defaultMode", "any|secure|insecure"},
    {"devices/graphics/channel/@name",
     "main|display|inputs|cursor|playback|record|smartcard|usbredir"},
    {"devices/graphics/channel/@mode", "any|secure|insecure"},
    {"devices/graphics/@passwd", NULL},        /* set over QMP, never on the command line */
    {"devices/graphics/@passwdValidTo", NULL}, /* QMP expire_password */
    {"devices/graphics/@connected", "keep|disconnect|fail"}, /* VNC: keep only */
    {"devices/graphics/@listen", NULL},
    {"devices/graphics/listen/@type", "address|socket"},
    {"devices/graphics/listen/@socket", NULL},
    {"devices/graphics/listen/@address", NULL},
    {"devices/graphics/image/@compression", "auto_glz|auto_lz|quic|glz|lz|off"},
    {"devices/graphics/jpeg/@compression", "auto|never|always"},
    {"devices/graphics/zlib/@compression", "auto|never|always"},
    {"devices/graphics/playback/@compression", "on|off"},
    {"devices/graphics/streaming/@mode", "filter|all|off"},
    {"devices/graphics/clipboard/@copypaste", "yes|no"},
    {"devices/graphics/mouse/@mode", "server|client"},
    {"devices/graphics/filetransfer/@enable", "yes|no"},
    {"devices/redirdev/@bus", "usb"},
    {"devices/redirdev/@type", "spicevmc"},
    {"devices/redirdev/address/@type", "usb"},
    {"devices/redirdev/address/@bus", NULL},
    {"devices/redirdev/address/@port", NULL},
    {"devices/video/model/@type", "virtio|vga|qxl|bochs|ramfb|none"},
    {"devices/video/model/@ram", NULL},
    {"devices/video/model/@vram", NULL},
    {"devices/video/model/@vgamem", NULL},
    {"devices/video/model/@heads", "1"},
    {"devices/video/model/@primary", "yes"},
    PCI_ADDRESS("devices/video"),
    /* qemu-platform.c */
    {"devices/sound/@model", "ich6|ich9|ac97"},
    {"devices/sound/codec/@type", "duplex|micro|output"},
    {"devices/sound/audio/@id", NULL},
    PCI_ADDRESS("devices/sound"),
    {"devices/audio/@id", NULL},
    {"devices/audio/@type", "none|spice"}, /* spice: with <graphics type='spice'> */
    {"devices/watchdog/@model", "i6300esb|itco"},
    {"devices/watchdog/@action", "reset|shutdown|poweroff|pause|none|inject-nmi"},
    PCI_ADDRESS("devices/watchdog"),
    {"devices/panic/@model", "isa"},
    {"devices/tpm/@model", "tpm-crb|tpm-tis"},
    {"devices/tpm/backend/@type", "emulator"},
    {"devices/tpm/backend/@version", "2.0"},
    {"devices/panic/address/@type", "isa"},
    {"devices/panic/address/@iobase", NULL},
    {"devices/memballoon/@model", "virtio|none"},
    {"devices/memballoon/stats/@period", NULL},
    PCI_ADDRESS("devices/memballoon"),
    {"devices/rng/@model", "virtio"},
    {"devices/rng/backend/@model", "random"},
    {"devices/rng/backend", NULL},
    PCI_ADDRESS("devices/rng"),
    {NULL, NULL},
};
