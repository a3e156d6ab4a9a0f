/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-platform.c: watchdogs, the panic device, sound and the TPM device
 * on the command line.
 *
 * Owns <watchdog> (i6300esb on PCI, or q35's own iTCO in the ICH9 LPC,
 * with QEMU's -action for what it does), <panic model='isa'> (pvpanic at
 * its ISA port) and <sound> with its <audio> backend ('none', or 'spice'
 * beside spice graphics: the host's sound is never touched), and the
 * <tpm> device on the socket of the swtpm qemu-tpm.c runs. Everything
 * here is what QEMU does alone; an action that needs a daemon (a
 * watchdog's 'dump') is refused. It never runs anything.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include <virtplug/sdk/services.h>

#include "qemu-devices.h"

static bool
is(const char *v, const char *want)
{
    return v && strcmp(v, want) == 0;
}

/* libvirt's watchdog actions as QEMU's -action watchdog=... */
static const char *
watchdog_action(const char *action)
{
    static const char *const same[] = {"reset", "shutdown",   "poweroff", "pause",
                                       "none",  "inject-nmi", NULL};
    for (const char *const *s = same; *s; s++) {
        if (strcmp(*s, action) == 0)
            return *s;
    }
    return NULL;
}

static int
add_watchdogs(qemu_args *a, json_object *tree, const char *machine)
{
    json_object *w;
    const char *action = NULL;
    for (size_t i = 0; (w = qemu_tree_kid(tree, "watchdog", i)); i++) {
        const char *model = qemu_tree_attr(w, "model"), *act = qemu_tree_attr(w, "action");
        if (act && !watchdog_action(act))
            return vp_plugin_error_set(
                VP_ERR_NOT_SUPPORTED,
                "<watchdog action='%s'> is not supported by the qemu driver: it needs a daemon watching QEMU; use reset, shutdown, poweroff, pause, none or inject-nmi",
                act);
        if (act && action && strcmp(act, action) != 0)
            return vp_plugin_error_set(
                VP_ERR_NOT_SUPPORTED,
                "two <watchdog>s with different actions ('%s', '%s'): QEMU has one watchdog action",
                action, act);
        if (act)
            action = act;
        if (is(model, "itco")) {
            if (!qemu_machine_is_q35(machine))
                return vp_plugin_error_set(
                    VP_ERR_NOT_SUPPORTED,
                    "<watchdog model='itco'> needs machine q35 (the iTCO is in its ICH9 LPC); use model='i6300esb' on '%s'",
                    machine);
            /* The iTCO is always there; this lets it reset the machine. */
            qemu_args_add(a, "-global", vp_strdup("ICH9-LPC.noreboot=off"));
        } else {
            qemu_args_add_pci(a, w, vp_asprintf("i6300esb,id=watchdog%zu", i));
        }
    }
    if (action)
        qemu_args_add(a, "-action", vp_asprintf("watchdog=%s", action));
    return 0;
}

static int
add_panic(qemu_args *a, json_object *tree)
{
    json_object *p;
    for (size_t i = 0; (p = qemu_tree_kid(tree, "panic", i)); i++) {
        if (i > 0)
            return vp_plugin_error_set(VP_ERR_NOT_SUPPORTED,
                                       "more than one <panic> is not supported by the qemu driver");
        const char *iobase = qemu_tree_attr(qemu_tree_kid(p, "address", 0), "iobase");
        _cleanup_free_ char *port =
            iobase ? vp_asprintf(",ioport=%ld", strtol(iobase, NULL, 0)) : vp_strdup("");
        qemu_args_add(a, "-device", vp_asprintf("pvpanic,id=panic%s", port));
    }
    return 0;
}

static const char *
hda_codec(const char *type)
{
    return is(type, "micro") ? "hda-micro" : is(type, "output") ? "hda-output" : "hda-duplex";
}

/* The id of the <audio> a <sound> plays to: its <audio id>, else the only
 * (or an implicit) backend, as libvirt picks it. */
static const char *
audio_id(json_object *tree, json_object *sound)
{
    const char *id = qemu_tree_attr(qemu_tree_kid(sound, "audio", 0), "id");
    if (id)
        return id;
    id = qemu_tree_attr(qemu_tree_kid(tree, "audio", 0), "id");
    return id ? id : "1";
}

static int
add_sound(qemu_args *a, json_object *tree)
{
    json_object *s;
    bool implicit = false;
    for (size_t i = 0; (s = qemu_tree_kid(tree, "sound", i)); i++) {
        const char *model = qemu_tree_attr(s, "model");
        _cleanup_free_ char *audio = vp_asprintf("audio%s", audio_id(tree, s));
        implicit = implicit || qemu_tree_n(tree, "audio") == 0;
        if (is(model, "ac97")) {
            qemu_args_add_pci(a, s, vp_asprintf("AC97,id=sound%zu,audiodev=%s", i, audio));
            continue;
        }
        qemu_args_add_pci(
            a, s,
            vp_asprintf("%s,id=sound%zu", is(model, "ich9") ? "ich9-intel-hda" : "intel-hda", i));
        json_object *codec;
        size_t n = qemu_tree_n(s, "codec");
        for (size_t c = 0; c < (n ? n : 1); c++) {
            codec = qemu_tree_kid(s, "codec", c);
            qemu_args_add(a, "-device",
                          vp_asprintf("%s,id=sound%zu-codec%zu,bus=sound%zu.0,cad=%zu,audiodev=%s",
                                      hda_codec(qemu_tree_attr(codec, "type")), i, c, i, c, audio));
        }
    }
    json_object *au;
    for (size_t i = 0; (au = qemu_tree_kid(tree, "audio", i)); i++) {
        const char *type = qemu_tree_attr(au, "type");
        if (is(type, "spice") && !qemu_tree_has_spice(tree))
            return vp_plugin_error_set(VP_ERR_NOT_SUPPORTED,
                                       "<audio type='spice'> needs <graphics type='spice'>");
        qemu_args_add(a, "-audiodev", vp_asprintf("%s,id=audio%s", type, qemu_tree_attr(au, "id")));
    }
    /* libvirt adds <audio id='1'/> to such a domain: type spice beside
     * spice graphics, else none. */
    if (implicit)
        qemu_args_add(a, "-audiodev",
                      vp_strdup(qemu_tree_has_spice(tree) ? "spice,id=audio1" : "none,id=audio1"));
    return 0;
}

int
qemu_platform_args(qemu_args *a, json_object *tree, const char *machine)
{
    int r = add_watchdogs(a, tree, machine);
    if (r >= 0)
        r = add_panic(a, tree);
    if (r >= 0)
        r = add_sound(a, tree);
    return r;
}

/* The TPM's device on the socket of the swtpm qemu-tpm.c started. */
int
qemu_tpm_args(qemu_args *a, json_object *tree)
{
    json_object *tpm = qemu_tree_kid(tree, "tpm", 0);
    if (!tpm)
        return 0;
    const char *model = qemu_tree_attr(tpm, "model"),
               *ctrl = qemu_tree_attr(tpm, QEMU_TPM_CTRL_ATTR);
    if (!ctrl)
        return 0; /* checking a define: swtpm is found at start */
    _cleanup_free_ char *path = qemu_opts_value(ctrl);
    qemu_args_add(a, "-chardev", vp_asprintf("socket,id=chrtpm,path=%s", path));
    qemu_args_add(a, "-tpmdev", vp_strdup("emulator,id=tpm-tpm0,chardev=chrtpm"));
    qemu_args_add(a, "-device",
                  vp_asprintf("%s,tpmdev=tpm-tpm0,id=tpm0", model ? model : "tpm-tis"));
    return 0;
}
