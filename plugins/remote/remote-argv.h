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

#endif /* VIRTPLUG_REMOTE_ARGV_H */
