/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * remote-argv.h: from a DRIVER+ssh:// URI to the ssh command line.
 */
#ifndef VIRTPLUG_REMOTE_ARGV_H
#define VIRTPLUG_REMOTE_ARGV_H

#include <stdbool.h>

#include <virtplug/sdk/driver.h>

#define REMOTE_DEFAULT_COMMAND "virtplug-ssh-helper"
#define REMOTE_DEFAULT_TIMEOUT_S 30

typedef struct remote_target {
    char *host;     /* HOST as the URI gives it, for messages */
    char *far_uri;  /* DRIVER:///PATH?PARAMS, the URI the helper opens */
    char *command;  /* the far command line, quoted for the far shell */
    char **argv;    /* ssh's argv, NULL-terminated; argv[0] is the program */
    int timeout_ms; /* the "timeout" parameter */
} remote_target;

/* Build the target of @uri (scheme DRIVER+ssh). @batch: no terminal, so
 * ssh must not prompt. Errors: VP_ERR_INVALID_ARG naming the bad part. */
int remote_target_new(const vp_plugin_uri *uri, bool batch, remote_target **ret_target);
void remote_target_free(remote_target *target);

/* @word quoted for a POSIX shell: '...' with each ' as '\''. (transfer full) */
char *remote_shell_quote(const char *word);

/* Display URI @uri of the far driver ("vnc://HOST:N", "spice://HOST:P"),
 * as seen from here: a HOST that means the far host itself ("localhost":
 * the far driver's word for a display on every address, or a wildcard
 * 0.0.0.0 or ::) becomes @host, the far host's name as the connection's
 * URI gives it (bracketed when IPv6), as virsh does over qemu+ssh. Any
 * other address (a loopback one too: the far host's own, reached through
 * an ssh tunnel) and "vnc+unix://" stay as they are. (transfer full) */
char *remote_display_uri(const char *uri, const char *host);

#endif /* VIRTPLUG_REMOTE_ARGV_H */
