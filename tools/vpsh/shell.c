/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * shell.c: vpsh without a command: the interactive shell, or the commands
 * of stdin when it is not a terminal.
 *
 * Owns reading lines: through libedit (BSD-licensed, with history and
 * line editing; GNU readline's GPL would not suit an LGPL tool) when
 * stdin is a terminal and libedit can be loaded, else plain reads with the
 * prompt. libedit is loaded (dlopen) only then: a vpsh that runs one
 * command, which is most of them, never maps it nor the three libraries it
 * needs. Commands from a pipe or file print no banner and no prompt, and
 * vpsh exits with the last command's status (virsh exits 0 there). Every
 * line runs on the one connection, so the simulated host keeps its state
 * for the whole session. It never interprets a command itself.
 */
#include <config.h>

#include <dlfcn.h>
#include <unistd.h>

#include "vpsh.h"

#define PROMPT "vpsh # "
/* libedit's library (Debian's libedit2), and the two calls of its
 * readline interface the shell makes. */
#define LIBEDIT_SONAME "libedit.so.2"

typedef struct line_editor {
    void *lib;
    char *(*readline)(const char *prompt);
    int (*add_history)(const char *line);
} line_editor;

/* libedit when the shell reads a terminal and it loads; else none (.lib
 * NULL), and the shell reads plain lines, as it says with --debug. */
static void
editor_open(line_editor *ed, bool tty)
{
    *ed = (line_editor){0};
#ifdef HAVE_LIBEDIT
    if (!tty)
        return;
    ed->lib = dlopen(LIBEDIT_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (ed->lib) {
        *(void **)&ed->readline = dlsym(ed->lib, "readline");
        *(void **)&ed->add_history = dlsym(ed->lib, "add_history");
    }
    if (!ed->readline || !ed->add_history) {
        if (secure_getenv("VIRTPLUG_DEBUG"))
            fprintf(stderr, "vpsh: no line editing: %s\n",
                    ed->lib ? "libedit lacks readline()" : dlerror());
        if (ed->lib)
            dlclose(ed->lib);
        *ed = (line_editor){0};
    }
#else
    (void)tty; /* built --without-libedit */
#endif
}

/* The next line without its newline, or NULL at the end; free() it. */
static char *
read_line(const line_editor *ed, bool tty)
{
    if (ed->lib) {
        char *line = ed->readline(PROMPT);
        if (line && *line)
            ed->add_history(line);
        return line;
    }
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
    line_editor ed;
    editor_open(&ed, tty);
    while (!ctx->quit) {
        char *line = read_line(&ed, tty);
        if (!line)
            break;
        int r = vpsh_run_line(ctx, line);
        free(line);
        if (r >= 0)
            status = r;
        fflush(stdout);
    }
    vpsh_run_end(ctx);
    /* libedit stays loaded: its atexit handlers restore the terminal. */
    if (tty && !ctx->quit)
        putchar('\n');
    return tty ? VPSH_EXIT_OK : status;
}
