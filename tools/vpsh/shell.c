/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * shell.c: vpsh without a command: the interactive shell, or the commands
 * of stdin when it is not a terminal.
 *
 * Owns reading lines: through libedit (BSD-licensed, with history and
 * line editing; GNU readline's GPL would not suit an LGPL tool) when
 * configure found it and stdin is a terminal, else plain reads with the
 * prompt. Commands from a pipe or file print no banner and no prompt, and
 * vpsh exits with the last command's status (virsh exits 0 there). Every
 * line runs on the one connection, so the simulated host keeps its state
 * for the whole session. It never interprets a command itself.
 */
#include <config.h>

#include <unistd.h>

#ifdef HAVE_LIBEDIT
#include <editline/readline.h>
#endif

#include "vpsh.h"

#define PROMPT "vpsh # "

/* The next line without its newline, or NULL at the end; free() it. */
static char *
read_line(bool tty)
{
#ifdef HAVE_LIBEDIT
    if (tty) {
        char *line = readline(PROMPT);
        if (line && *line)
            add_history(line);
        return line;
    }
#endif
    if (tty) {
        fputs(PROMPT, stdout);
        fflush(stdout);
    }
    char *line = NULL;
    size_t size = 0;
    if (getline(&line, &size, stdin) < 0) {
        free(line);
        return NULL;
    }
    line[strcspn(line, "\n")] = '\0';
    return line;
}

int
vpsh_shell(vpsh_ctx *ctx)
{
    bool tty = isatty(STDIN_FILENO);
    int status = VPSH_EXIT_OK;
    if (tty && !ctx->quiet)
        printf("Welcome to vpsh, the virtplug interactive terminal.\n\n"
               "Type:  'help' for help with commands\n"
               "       'quit' to quit\n\n");
    /* From a pipe, --json makes one array of every command's envelope;
     * typed commands each print theirs at once. */
    vpsh_run_begin(ctx, !tty);
    while (!ctx->quit) {
        char *line = read_line(tty);
        if (!line)
            break;
        int r = vpsh_run_line(ctx, line);
        free(line);
        if (r >= 0)
            status = r;
        fflush(stdout);
    }
    vpsh_run_end(ctx);
    if (tty && !ctx->quit)
        putchar('\n');
    return tty ? VPSH_EXIT_OK : status;
}
